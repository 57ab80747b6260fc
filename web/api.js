// The workbench's server, as the page calls it. Every answer about a
// consortium comes from there: the page reads no TOML and judges nothing
// itself (docs/workbench.md describes the API).

/** The query string of the "check as of" date, if one is set. */
function dateQuery(today) {
  return today ? `today=${encodeURIComponent(today)}` : "";
}

/** A JSON answer, or an Error carrying the server's sentence. */
async function json(response) {
  let body = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON: said below.
  }
  if (!response.ok) {
    const error = new Error(body?.error ?? `the server answered ${response.status}`);
    error.help = body?.help ?? null;
    error.status = response.status;
    throw error;
  }
  return body;
}

/** The server's own time for an answer (its Server-Timing header), in ms. */
function serverTime(response) {
  const header = response.headers.get("Server-Timing") ?? "";
  const match = /dur=([0-9.]+)/.exec(header);
  return match ? Number(match[1]) : null;
}

/** The known calls, as `escp calls --format json` lists them. */
export async function calls(today) {
  return json(await fetch(`/api/calls?${dateQuery(today)}`));
}

/** What the form offers for a call and strand: countries, words, hints. */
export async function vocabulary(call, strand) {
  const query = new URLSearchParams({ call, strand: strand ?? "" });
  return json(await fetch(`/api/vocabulary?${query}`));
}

/** The starter file of `escp init` for a call and strand. */
export async function starter(call, strand) {
  const query = new URLSearchParams({ call, strand: strand ?? "" });
  return json(await fetch(`/api/starter?${query}`));
}

/**
 * The form's edits applied to `text`, then its check: the new text, its
 * outline, the report and each diagnostic's place in the form.
 */
export async function edit(text, edits, today) {
  const response = await fetch(`/api/edit?${dateQuery(today)}`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ text, edits }),
  });
  const answer = await json(response);
  answer.serverMs = serverTime(response);
  return answer;
}

/** A spreadsheet imported as `escp import --format json` does it. */
export async function importSpreadsheet(file, today) {
  const query = new URLSearchParams({ name: file.name });
  if (today) query.set("today", today);
  const response = await fetch(`/api/import?${query}`, {
    method: "POST",
    headers: { "Content-Type": "application/octet-stream" },
    body: await file.arrayBuffer(),
  });
  return json(response);
}

/** The workbook (.xlsx) of the consortium in `text`, as a Blob. */
export async function workbook(text) {
  const response = await fetch("/api/workbook", {
    method: "POST",
    headers: { "Content-Type": "text/plain; charset=utf-8" },
    body: text,
  });
  if (!response.ok) {
    await json(response);
  }
  return response.blob();
}
