// The workbench page: starts a consortium (a call's starter file, a file
// or a spreadsheet from disk, or pasted text), keeps the form and the text
// view in step through the server, and shows the check's verdict as the
// user types. One request to the server at a time: edits made while one
// is under way go together in the next, so the page always shows the
// answer for the newest text.

import * as api from "./api.js";
import { Form } from "./form.js";
import { renderVerdict, renderChecks, renderDiagnostics, renderTextDiagnostics, renderPrint } from "./report.js";

const $ = (selector) => document.querySelector(selector);
const textarea = $("#text");

const state = {
  /** The newest answer of the server: text, model, report, places. */
  answer: null,
  /** Edits from the form not yet sent, with the ids of their fields. */
  queue: [],
  queuedIds: [],
  inFlight: false,
  again: false,
  /** When the oldest input not yet answered happened (performance.now()). */
  since: null,
  calls: [],
  vocabKey: null,
  fileName: "consortium.toml",
};

/**
 * Each answer's timing: from the input to the new verdict on the page, and
 * the server's own time for the check (read by the end-to-end test).
 */
window.escpTimings = [];

const form = new Form($("#form"), (edit, id) => {
  state.queue.push(edit);
  state.queuedIds.push(id);
  changed();
});

function today() {
  return $("#today").value || "";
}

/** Something changed (text or form): ask the server, now or after the answer under way. */
function changed() {
  state.since ??= performance.now();
  if (state.inFlight) {
    state.again = true;
    return;
  }
  send();
}

async function send() {
  state.inFlight = true;
  const edits = state.queue.splice(0);
  const ids = state.queuedIds.splice(0);
  const base = textarea.value;
  const since = state.since;
  state.since = null;
  $("#busy").textContent = "Checking…";
  try {
    const answer = await api.edit(base, edits, today());
    await show(answer, base);
    form.settled(ids.filter((id) => !state.queuedIds.includes(id)));
    const latency = performance.now() - since;
    window.escpTimings.push({ latency, server: answer.serverMs });
    $("#busy").textContent = `Checked in ${Math.round(latency)} ms.`;
    $("#form-note").hidden = true;
  } catch (error) {
    form.settled(ids);
    note(error.message);
    $("#busy").textContent = "";
  }
  state.inFlight = false;
  if (state.again || state.queue.length) {
    state.again = false;
    changed();
  }
}

/** A sentence above the form (an edit refused, a file not understood). */
function note(text) {
  const p = $("#form-note");
  p.textContent = text;
  p.hidden = false;
}

/** Shows an answer: text view, form, verdict, summary, diagnostics. */
async function show(answer, base) {
  state.answer = answer;
  // The text view takes the new text unless the user typed on since.
  if (textarea.value === base && textarea.value !== answer.text) {
    const { selectionStart, selectionEnd } = textarea;
    const focused = document.activeElement === textarea;
    textarea.value = answer.text;
    if (focused) textarea.setSelectionRange(selectionStart, selectionEnd);
  }
  const file = answer.report.files[0];
  await vocabularyFor(file.call, file.strand);
  form.update(answer.model);
  if (!answer.model) {
    note("The text is not valid TOML, so the form cannot show it: fix the error in the text view (it is listed beside the text).");
  }
  renderVerdict($("#verdict"), answer.report);
  renderChecks($("#checks").tBodies[0], answer.report);
  renderDiagnostics(answer.report, answer.places, (i) => {
    state.queue.push({ op: "fix", diagnostic: i });
    state.queuedIds.push("fix");
    changed();
  });
  renderTextDiagnostics($("#text-diagnostics"), answer.report, answer.places, jump);
  renderPrint($("#print-report"), answer.report, answer.model, today());
  for (const id of ["#download-toml", "#download-xlsx", "#print"]) $(id).disabled = false;
  $("#download-xlsx").disabled = !file.call;
}

/** Loads the vocabulary of a call and strand once, when they change. */
async function vocabularyFor(call, strand) {
  const key = `${call}\u0000${strand}`;
  if (key === state.vocabKey) return;
  state.vocabKey = key;
  let vocab = null;
  if (call) {
    try {
      vocab = await api.vocabulary(call, strand);
    } catch {
      vocab = null;
    }
  }
  form.setVocabulary(vocab);
}

/** Selects a diagnostic's text in the text view. */
function jump([start, end]) {
  textarea.focus();
  textarea.setSelectionRange(start, end);
}

/** Puts a consortium file in the workbench. */
function load(text, name) {
  state.fileName = name ?? "consortium.toml";
  state.queue = [];
  state.queuedIds = [];
  textarea.value = text;
  changed();
}

function message(text, kind = "info") {
  const box = $("#start-messages");
  box.replaceChildren();
  const p = document.createElement("p");
  p.className = kind;
  p.textContent = text;
  box.append(p);
  return box;
}

/** A file from the picker or dropped: a consortium file or a spreadsheet. */
async function open(file) {
  if (file.size > 4 * 1024 * 1024) {
    message(`${file.name} is larger than 4 MiB: no consortium file or spreadsheet comes near that size.`, "error");
    return;
  }
  if (/\.(toml|txt)$/i.test(file.name)) {
    load(await file.text(), file.name);
    message(`Opened ${file.name}.`);
    return;
  }
  try {
    const result = await api.importSpreadsheet(file, today());
    const box = message(result.toml === null ? `Nothing could be imported from ${file.name}:` : `Imported ${file.name}:`, result.toml === null ? "error" : "info");
    const list = document.createElement("ul");
    for (const d of result.diagnostics) {
      const li = document.createElement("li");
      li.className = d.severity;
      li.textContent = `${d.cell ? `${d.cell}: ` : ""}${d.message}${d.help ? ` (${d.help})` : ""}`;
      list.append(li);
    }
    box.append(list);
    if (result.toml !== null) load(result.toml, file.name.replace(/\.[^.]+$/, "") + ".toml");
  } catch (error) {
    message(`${file.name}: ${error.message}`, "error");
  }
}

/** Offers a Blob as a download. */
function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

/** The calls of the start form and the form's call list. */
async function loadCalls() {
  try {
    const list = await api.calls(today());
    state.calls = list.calls;
  } catch (error) {
    message(`Cannot list the calls: ${error.message}`, "error");
    return;
  }
  form.setCalls(state.calls);
  const select = $("#new-call");
  select.replaceChildren(...state.calls.map((c) => {
    const o = document.createElement("option");
    o.value = c.id;
    o.textContent = `${c.id}: ${c.title} (${c.deadline.passed ? "closed" : "open"})`;
    return o;
  }));
  const open = state.calls.find((c) => !c.deadline.passed);
  if (open) select.value = open.id;
  strandsOf();
}

function strandsOf() {
  const call = state.calls.find((c) => c.id === $("#new-call").value);
  const select = $("#new-strand");
  select.replaceChildren(...(call?.strands ?? []).map((s) => {
    const o = document.createElement("option");
    o.value = s.id;
    o.textContent = `${s.id}: ${s.title}`;
    return o;
  }));
  select.disabled = !call?.strands.length;
  if (!call?.strands.length) {
    const o = document.createElement("option");
    o.value = "";
    o.textContent = "(this call has no strands)";
    select.append(o);
  }
}

$("#new-call").addEventListener("change", strandsOf);
$("#new-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  try {
    const start = await api.starter($("#new-call").value, $("#new-strand").value);
    load(start.toml, "consortium.toml");
    message(`Started a consortium for ${start.call}${start.strand ? `, strand ${start.strand}` : ""}: fill in the form.`);
  } catch (error) {
    message(`${error.message}${error.help ? `: ${error.help}` : ""}`, "error");
  }
});
$("#file").addEventListener("change", (event) => {
  const [file] = event.target.files;
  if (file) open(file);
  event.target.value = "";
});
// Drag and drop anywhere on the page.
document.addEventListener("dragover", (event) => {
  event.preventDefault();
  $("#drop").classList.add("over");
});
document.addEventListener("dragleave", () => $("#drop").classList.remove("over"));
document.addEventListener("drop", (event) => {
  event.preventDefault();
  $("#drop").classList.remove("over");
  const [file] = event.dataTransfer?.files ?? [];
  if (file) open(file);
});
textarea.addEventListener("input", changed);
$("#today").addEventListener("change", () => {
  loadCalls();
  if (state.answer) changed();
});
$("#form").addEventListener("submit", (event) => event.preventDefault());
$("#download-toml").addEventListener("click", () => {
  download(new Blob([textarea.value], { type: "application/toml" }), state.fileName);
});
$("#download-xlsx").addEventListener("click", async () => {
  try {
    const blob = await api.workbook(textarea.value);
    download(blob, state.fileName.replace(/\.[^.]+$/, "") + ".xlsx");
  } catch (error) {
    note(`Cannot make the workbook: ${error.message}`);
  }
});
$("#print").addEventListener("click", () => window.print());

form.update(null);
loadCalls();
