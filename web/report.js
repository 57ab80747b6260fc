// The check's report on the page: the verdict, the readiness summary, each
// diagnostic beside the field or partner it concerns (with its help, its
// basis and its sources as links), the list by line for the text view, and
// the readiness report for printing. Everything shown here is the JSON
// report of `escp check --format json`, as the server sends it.

import { el } from "./form.js";

/** The verdict's word, as the command line prints it. */
const WORDS = {
  ready: "READY",
  incomplete: "INCOMPLETE",
  "not-ready": "NOT READY",
  unchecked: "UNCHECKED",
};

const OUTCOMES = { pass: "✔ pass", fail: "✘ fail", warn: "! warn", skip: "– skip" };

function plural(n, one, many) {
  return `${n} ${n === 1 ? one : many}`;
}

/** The one line under the verdict: counts, and what is still missing. */
function verdictLine(file) {
  const parts = [plural(file.errors, "error", "errors"), plural(file.warnings, "warning", "warnings")];
  let line = parts.join(", ");
  if (file.missing?.length) line += `; to check everything, add or fix: ${file.missing.join(", ")}`;
  return line;
}

/** Renders the verdict (a live region: screen readers hear each change). */
export function renderVerdict(root, report) {
  const file = report.files[0];
  const word = WORDS[file.status] ?? file.status.toUpperCase();
  const text = `${word} ${verdictLine(file)}`;
  if (root.dataset.text === text) return;
  root.dataset.text = text;
  root.dataset.status = file.status;
  root.replaceChildren(
    el("span", { className: "word", text: word }),
    el("span", { className: "counts", text: verdictLine(file) }),
    file.call ? el("span", { className: "call", text: `${file.call}${file.strand ? `, strand ${file.strand}` : ""}` }) : null,
  );
}

/** The readiness summary: one row per rule of the call. */
export function renderChecks(body, report) {
  const checks = report.files[0].checks ?? [];
  body.replaceChildren(...checks.map((c) => el("tr", { className: `check-${c.status}` },
    el("td", { className: "outcome", text: OUTCOMES[c.status] ?? c.status }),
    el("td", {}, el("code", { text: c.rule })),
    el("td", { text: c.detail + (c.keys?.length ? ` (add or fix: ${c.keys.join(", ")})` : "") }))));
  if (!checks.length) {
    body.append(el("tr", {}, el("td", { colspan: "3", text: "No rule ran: see the diagnostics." })));
  }
}

/** A short name for a source's address: its host and the start of its path. */
function linkText(url) {
  try {
    const u = new URL(url);
    const path = u.pathname.length > 28 ? `${u.pathname.slice(0, 28)}…` : u.pathname;
    return u.host + (path === "/" ? "" : path);
  } catch {
    return url;
  }
}

/** One diagnostic, in full: message, help, basis, sources, its fix. */
export function diagnostic(d, place, index, onFix) {
  const id = `diag-${index}`;
  const node = el("div", { className: `diag ${d.severity}`, id },
    el("p", { className: "msg" },
      el("span", { className: "sev", text: d.severity === "error" ? "Error" : "Warning" }), " ",
      el("code", { className: "rule", text: d.rule }), " ",
      d.message));
  if (d.help) node.append(el("p", { className: "help" }, el("strong", { text: "Help: " }), d.help));
  if (d.rule === "deadline") {
    node.append(el("p", { className: "help", text: "To check the proposal as it stood before the deadline, set “Check as of” at the top of the page to an earlier date." }));
  }
  if (place?.basis) {
    node.append(el("p", { className: "basis" }, el("strong", { text: "Basis: " }), place.basis));
  }
  if (d.source) node.append(el("p", { className: "source" }, el("strong", { text: "Source: " }), d.source));
  if (d.source_urls?.length) {
    node.append(el("ul", { className: "links", "aria-label": "Sources" },
      ...d.source_urls.map((url) => el("li", {}, el("a", { href: url, target: "_blank", rel: "noopener noreferrer", title: url, text: linkText(url) })))));
  }
  const fix = d.fixes?.[0];
  if (fix && onFix) {
    const button = el("button", { type: "button", className: "fix", text: `Fix: ${fix.title}` });
    button.addEventListener("click", () => onFix(index));
    node.append(button);
  }
  return node;
}

/** Which container of the form a diagnostic's place belongs in. */
function container(place) {
  const exact = document.querySelector(`.diagnostics[data-place="${CSS.escape(place)}"]`);
  if (exact) return { box: exact, control: null };
  const entry = /^(partner|target)\.(\d+)\.(.+)$/.exec(place);
  if (entry) {
    const [, table, i, key] = entry;
    const box = document.querySelector(`.diagnostics[data-place="${table}.${i}"]`);
    const id = table === "partner" ? `p-${i}-${key}` : `t-${i}-value`;
    if (box) return { box, control: document.getElementById(id), key };
  }
  const field = /^proposal\.(.+)$/.exec(place);
  if (field) {
    const box = document.querySelector('.diagnostics[data-place="proposal"]');
    if (box) return { box, control: null };
  }
  return { box: document.getElementById("file-diagnostics"), control: null };
}

/** Places every diagnostic beside the field or entry it concerns. */
export function renderDiagnostics(report, places, onFix) {
  document.querySelectorAll(".diagnostics").forEach((box) => box.replaceChildren());
  document.querySelectorAll("[aria-invalid]").forEach((c) => {
    c.removeAttribute("aria-invalid");
    const described = (c.getAttribute("aria-describedby") ?? "").split(" ").filter((t) => t && !t.startsWith("diag-"));
    if (described.length) c.setAttribute("aria-describedby", described.join(" "));
    else c.removeAttribute("aria-describedby");
  });
  const diagnostics = report.files[0].diagnostics;
  diagnostics.forEach((d, i) => {
    const place = places[i]?.place ?? "file";
    const { box, control, key } = container(place);
    const node = diagnostic(d, places[i], i, onFix);
    if (key) node.querySelector(".msg").prepend(el("span", { className: "where", text: `${key.replaceAll("_", " ")}: ` }));
    box.append(node);
    const target = control ?? document.getElementById(`f-${place.replace(/^proposal\./, "")}`)
      ?? (place === "call" ? document.getElementById("f-call") : place === "strand" ? document.getElementById("f-strand") : null);
    if (target) {
      target.setAttribute("aria-invalid", "true");
      const described = (target.getAttribute("aria-describedby") ?? "").split(" ").filter(Boolean);
      described.push(node.id);
      target.setAttribute("aria-describedby", described.join(" "));
    }
  });
}

/** The diagnostics by line, for the text view: each selects its text. */
export function renderTextDiagnostics(list, report, places, onJump) {
  const diagnostics = report.files[0].diagnostics;
  list.replaceChildren(...diagnostics.map((d, i) => {
    const button = el("button", { type: "button", className: "jump", text: `Line ${d.line}, column ${d.column}` });
    button.addEventListener("click", () => onJump(places[i]?.span ?? [0, 0]));
    return el("li", { className: d.severity }, button, " ",
      el("code", { text: d.rule }), " ", d.message);
  }));
  if (!diagnostics.length) list.append(el("li", { text: "No diagnostic." }));
}

/** The readiness report for a consortium meeting, as it prints. */
export function renderPrint(section, report, model, today) {
  const file = report.files[0];
  const fields = model?.proposal?.fields ?? {};
  const value = (f) => (f ? (typeof f.value === "string" ? f.value : f.raw) : "");
  const acronym = value(fields.acronym) || "Consortium";
  const checked = today || new Date().toISOString().slice(0, 10);
  const partnerRows = (model?.partners ?? []).map((p, i) => el("tr", {},
    el("td", { text: String(i + 1) }),
    ...["short_name", "name", "role", "country", "type", "eccp"].map((k) => el("td", { text: value(p.fields[k]) }))));
  const targets = (model?.targets ?? []).map((t) => value(t.fields.country) || value(t.fields.region)).filter(Boolean);
  section.replaceChildren(
    el("h1", { text: `Readiness report: ${acronym}` }),
    el("p", { text: `${file.call ?? "No known call"}${file.strand ? `, strand ${file.strand}` : ""}${value(fields.title) ? ` — ${value(fields.title)}` : ""}` }),
    el("p", { text: `Checked by escp on ${checked}.` }),
    el("p", { className: `print-verdict ${file.status}` }, el("strong", { text: WORDS[file.status] ?? file.status }), ` — ${verdictLine(file)}`),
    el("h2", { text: "Readiness summary" }),
    el("table", {}, el("thead", {}, el("tr", {}, el("th", { text: "Outcome" }), el("th", { text: "Rule" }), el("th", { text: "Detail" }))),
      el("tbody", {}, ...(file.checks ?? []).map((c) => el("tr", {},
        el("td", { text: OUTCOMES[c.status] ?? c.status }), el("td", { text: c.rule }), el("td", { text: c.detail }))))),
    el("h2", { text: "Partners" }),
    el("table", {}, el("thead", {}, el("tr", {}, ...["#", "Short name", "Legal name", "Role", "Country", "Type", "ECCP"].map((h) => el("th", { text: h })))),
      el("tbody", {}, ...partnerRows)),
    el("p", { text: `Target markets: ${targets.length ? targets.join(", ") : "none given"}.` }),
    el("h2", { text: `Diagnostics (${file.diagnostics.length})` }),
    el("ol", {}, ...file.diagnostics.map((d) => el("li", {},
      el("p", {}, el("strong", { text: `${d.severity === "error" ? "Error" : "Warning"} ${d.rule}` }), ` (line ${d.line}): ${d.message}`),
      d.help ? el("p", { text: `Help: ${d.help}` }) : null,
      d.source ? el("p", { className: "source", text: `Source: ${d.source}` }) : null,
      ...(d.source_urls ?? []).map((u) => el("p", { className: "url", text: u }))))),
  );
}
