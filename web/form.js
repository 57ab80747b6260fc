// The form: the consortium file's fields, built from the outline the
// server sends (the values as written, valid or not) and the vocabulary
// of the call (countries with their eligibility, accepted words, what the
// call requires). Each change becomes an edit sent to the server, which
// writes it into the text; the form never writes TOML.

/** The proposal's fields, in the order of the starter file. */
const PROPOSAL = [
  ["acronym", "Acronym"],
  ["title", "Title"],
  ["duration_months", "Duration (months)"],
  ["requested_grant_eur", "Requested grant (EUR)"],
  ["total_costs_eur", "Total eligible costs (EUR)"],
  ["third_party_support_eur", "Support to third parties (EUR)"],
  ["actions", "Actions"],
];

/** The partner table's columns. */
const PARTNER = [
  ["short_name", "Short name"],
  ["name", "Legal name"],
  ["role", "Role"],
  ["country", "Country"],
  ["type", "Type"],
  ["eccp", "ECCP status"],
  ["defence_related", "Defence-related"],
  ["legal_entity", "Legal entity"],
  ["sme_members", "SME members"],
];

/** Creates an element with attributes and children. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "text") node.textContent = value;
    else if (name === "className") node.className = value;
    else node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) {
      node.append(child);
    }
  }
  return node;
}

/** The text a field shows for a value of the outline. */
function shown(field) {
  if (!field) return "";
  const { value, raw } = field;
  if (typeof value === "string") return value;
  if (typeof value === "number") return raw;
  if (typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return value.join(", ");
  return raw;
}

export class Form {
  /**
   * @param {HTMLFormElement} root the form
   * @param {(edit: object, id: string) => void} onEdit called with each edit
   */
  constructor(root, onEdit) {
    this.root = root;
    this.onEdit = onEdit;
    this.vocab = null;
    this.calls = [];
    this.model = null;
    /** Ids of the fields whose newest input the server has not answered. */
    this.pending = new Set();
    this.partnerCount = -1;
    this.targetCount = -1;
    this.buildProposal();
    this.root.querySelector("#f-call").addEventListener("change", (e) => {
      this.send({ op: "set", table: "root", key: "call", value: e.target.value || null }, e.target.id);
    });
    this.root.querySelector("#f-strand").addEventListener("change", (e) => {
      this.send({ op: "set", table: "root", key: "strand", value: e.target.value || null }, e.target.id);
    });
    document.querySelector("#add-partner").addEventListener("click", () => {
      this.send({ op: "add", table: "partner" }, "add-partner");
    });
    document.querySelector("#add-target").addEventListener("click", () => {
      this.send({ op: "add", table: "target" }, "add-target");
    });
  }

  send(edit, id) {
    this.pending.add(id);
    this.onEdit(edit, id);
  }

  /** The fields that the latest answer covers are no longer pending. */
  settled(ids) {
    for (const id of ids) this.pending.delete(id);
  }

  /** Sets a control's value unless the user is typing in it. */
  setValue(control, value) {
    if (this.pending.has(control.id)) return;
    if (control.value !== value) control.value = value;
  }

  /** The vocabulary entry of a field (kind, description, requirement). */
  spec(table, key) {
    return this.vocab?.fields.find((f) => f.table === table && f.key === key) ?? null;
  }

  /** The hint under a field: what it is, and what the call requires. */
  hint(table, key) {
    const spec = this.spec(table, key);
    if (!spec) return "";
    let text = spec.description;
    if (spec.requirement.length) text += `. The call requires ${spec.requirement.join("; ")}.`;
    else if (!spec.read && !spec.required) text += " (optional for this call).";
    return text.charAt(0).toUpperCase() + text.slice(1);
  }

  buildProposal() {
    const grid = this.root.querySelector("#proposal-grid");
    grid.replaceChildren();
    for (const [key, label] of PROPOSAL) {
      const id = `f-${key}`;
      const hintId = `${id}-hint`;
      let control;
      if (key === "actions") {
        control = el("fieldset", { id, className: "checks", "aria-describedby": hintId },
          el("legend", { text: label }));
      } else {
        const numeric = key !== "acronym" && key !== "title";
        control = el("input", {
          id, type: "text", inputmode: numeric ? "decimal" : null,
          autocomplete: "off", "aria-describedby": hintId,
        });
        control.addEventListener("input", () => {
          this.send({ op: "set", table: "proposal", key, value: control.value }, id);
        });
      }
      grid.append(el("div", { className: `field field-${key}` },
        key === "actions" ? null : el("label", { for: id, text: label }),
        control,
        el("p", { className: "hint", id: hintId }),
        el("div", { className: "diagnostics", "data-place": `proposal.${key}` })));
    }
  }

  /** The call list of the call selector. */
  setCalls(calls) {
    this.calls = calls;
  }

  /** A new vocabulary (another call or strand): lists and hints change. */
  setVocabulary(vocab) {
    this.vocab = vocab;
    const countries = (id, flag, yes, no) => {
      const list = document.getElementById(id);
      list.replaceChildren(...(vocab?.countries ?? []).map((c) => {
        const status = c[flag] === null ? "" : c[flag] ? ` (${yes})` : ` (${no})`;
        return el("option", { value: c.code, label: `${c.name}${status}` });
      }));
    };
    countries("countries-partner", "eligible", "eligible at the deadline", "not eligible");
    countries("countries-target", "third", "third country", "not a third country");
    document.getElementById("regions").replaceChildren(
      ...(vocab?.regions ?? []).map((r) => el("option", { value: r.name })));
    for (const [key] of PROPOSAL) {
      document.getElementById(`f-${key}-hint`).textContent = this.hint("proposal", key);
    }
    const actions = this.root.querySelector("#f-actions");
    const legend = actions.querySelector("legend");
    actions.replaceChildren(legend, ...(vocab?.words.actions ?? [
      { value: "preparatory" }, { value: "implementation" },
    ]).map((w) => {
      const id = `f-actions-${w.value}`;
      const box = el("input", { type: "checkbox", id, value: w.value });
      box.addEventListener("change", () => {
        const checked = [...actions.querySelectorAll("input:checked")].map((b) => b.value);
        this.send({ op: "set", table: "proposal", key: "actions", value: checked }, "f-actions");
      });
      const note = w.accepted ? " (required by the call)" : "";
      return el("span", { className: "check" }, box, el("label", { for: id, text: w.value + note }));
    }));
    const deadline = document.getElementById("deadline");
    deadline.textContent = vocab ? `Deadline: ${vocab.deadline_words}.` : "";
    const needs = (id, list, what) => {
      document.getElementById(id).textContent = list?.length ? `The call requires ${list.join("; ")}.` : what;
    };
    needs("partner-needs", vocab?.partners, "One row per applicant, the coordinator included.");
    needs("target-needs", vocab?.targets, "One row per target market: a third country or a world region.");
    this.partnerCount = -1;
    this.targetCount = -1;
  }

  /** A select of words, with the file's own value kept if it is not one. */
  wordSelect(id, words, current, label, acceptedNote, fallback) {
    const select = el("select", { id, "aria-label": label });
    // A key left out takes its default in the check: the list says which.
    select.append(el("option", { value: "", text: fallback ? `(not given: ${fallback})` : "(not given)" }));
    for (const w of words) {
      const note = w.accepted === false ? ` (${acceptedNote})` : "";
      select.append(el("option", { value: w.value, text: w.value + note }));
    }
    if (current && !words.some((w) => w.value === current)) {
      select.append(el("option", { value: current, text: `${current} (not a valid value)` }));
    }
    select.value = current;
    return select;
  }

  /** Shows the outline: every value as the file writes it. */
  update(model) {
    this.model = model;
    const editable = model !== null;
    this.root.querySelectorAll("input, select, button").forEach((c) => { c.disabled = !editable; });
    document.querySelector("#add-partner").disabled = !editable || model.not_editable.includes("partner");
    document.querySelector("#add-target").disabled = !editable || model.not_editable.includes("target");
    if (!editable) return;
    this.updateCall(model.root);
    const proposal = model.proposal?.fields ?? {};
    for (const [key] of PROPOSAL) {
      if (key === "actions") {
        const words = Array.isArray(proposal.actions?.value) ? proposal.actions.value : [];
        if (!this.pending.has("f-actions")) {
          this.root.querySelectorAll("#f-actions input").forEach((b) => { b.checked = words.includes(b.value); });
        }
      } else {
        this.setValue(document.getElementById(`f-${key}`), shown(proposal[key]));
      }
    }
    this.updatePartners(model.partners);
    this.updateTargets(model.targets);
  }

  updateCall(root) {
    const call = this.root.querySelector("#f-call");
    const current = shown(root.call);
    call.replaceChildren(el("option", { value: "", text: "(choose a call)" }),
      ...this.calls.map((c) => el("option", { value: c.id, text: `${c.id}: ${c.title}` })));
    const known = this.calls.find((c) => c.id.toLowerCase() === current.toLowerCase()
      || c.aliases.some((a) => a.toLowerCase() === current.toLowerCase()));
    if (current && !known) call.append(el("option", { value: current, text: `${current} (unknown call)` }));
    call.value = known ? known.id : current;
    if (known && known.id !== current) {
      // An alias: keep what the file says selected.
      call.append(el("option", { value: current, text: `${current} (${known.id})` }));
      call.value = current;
    }
    const strand = this.root.querySelector("#f-strand");
    const strands = known?.strands ?? [];
    document.getElementById("strand-field").hidden = strands.length === 0 && !root.strand;
    const written = shown(root.strand);
    strand.replaceChildren(el("option", { value: "", text: "(choose a strand)" }),
      ...strands.map((s) => el("option", { value: s.id, text: `${s.id}: ${s.title}` })));
    if (written && !strands.some((s) => s.id === written)) {
      strand.append(el("option", { value: written, text: `${written} (as written)` }));
    }
    strand.value = written;
  }

  /** One input of a partner's row. */
  partnerControl(i, key, label, field) {
    const id = `p-${i}-${key}`;
    const name = `${label} of partner ${i + 1}`;
    const value = shown(field);
    const words = this.vocab?.words;
    const send = (v) => this.send({ op: "set", table: "partner", index: i, key, value: v }, id);
    let control;
    const fallback = this.spec("partner", key)?.default?.replaceAll("\"", "");
    if (key === "role" || key === "type" || key === "eccp") {
      const list = words?.[key] ?? [];
      control = this.wordSelect(id, list, value, name, "not accepted", fallback);
      control.addEventListener("change", () => send(control.value || null));
    } else if (key === "defence_related" || key === "legal_entity") {
      const list = [{ value: "true" }, { value: "false" }];
      control = this.wordSelect(id, list, value, name, null,
        fallback === "true" ? "yes" : fallback === "false" ? "no" : fallback);
      control.querySelector('option[value="true"]').textContent = "yes";
      control.querySelector('option[value="false"]').textContent = "no";
      control.addEventListener("change", () => {
        const v = control.value;
        send(v === "" ? null : v === "true" ? true : v === "false" ? false : v);
      });
    } else {
      control = el("input", {
        id, type: "text", "aria-label": name, autocomplete: "off",
        list: key === "country" ? "countries-partner" : null,
        inputmode: key === "sme_members" ? "numeric" : null,
        className: key === "name" ? "wide" : null,
      });
      control.value = value;
      control.addEventListener("input", () => send(control.value));
    }
    const cell = el("td", {}, control);
    if (key === "country") {
      cell.append(el("span", { className: "badge", id: `${id}-status` }));
      this.countryStatus(control, "eligible", "eligible at the deadline", "not eligible at the deadline");
      control.addEventListener("input", () =>
        this.countryStatus(control, "eligible", "eligible at the deadline", "not eligible at the deadline"));
    }
    return cell;
  }

  /** The badge beside a country: its name and eligibility at the deadline. */
  countryStatus(control, flag, yes, no) {
    const badge = document.getElementById(`${control.id}-status`) ?? control.parentElement?.querySelector(".badge");
    if (!badge) return;
    const code = control.value.trim().toUpperCase();
    const alias = { EL: "GR", UK: "GB" }[code] ?? code;
    const country = this.vocab?.countries.find((c) => c.code === alias);
    if (!country) {
      badge.textContent = "";
      badge.className = "badge";
      return;
    }
    const ok = country[flag];
    badge.textContent = ok === null ? country.name : `${country.name}: ${ok ? yes : no}`;
    badge.className = `badge ${ok === false ? "bad" : ok ? "good" : ""}`;
  }

  updatePartners(partners) {
    const table = this.root.querySelector("#partners");
    if (partners.length !== this.partnerCount) {
      const focused = document.activeElement?.id;
      this.partnerCount = partners.length;
      table.tHead.replaceChildren(el("tr", {},
        el("th", { scope: "col", text: "#" }),
        ...PARTNER.map(([key, label]) => el("th", { scope: "col", title: this.hint("partner", key) }, label)),
        el("th", { scope: "col" }, el("span", { className: "visually-hidden", text: "Remove" }))));
      const body = table.tBodies[0];
      body.replaceChildren();
      partners.forEach((p, i) => {
        const row = el("tr", { id: `partner-${i}` }, el("th", { scope: "row", text: String(i + 1) }));
        for (const [key, label] of PARTNER) row.append(this.partnerControl(i, key, label, p.fields[key]));
        const label = shown(p.fields.short_name) || shown(p.fields.name) || `number ${i + 1}`;
        const remove = el("button", { type: "button", id: `p-${i}-remove`, className: "remove", "aria-label": `Remove partner ${i + 1} (${label})`, text: "Remove" });
        remove.addEventListener("click", () => this.send({ op: "remove", table: "partner", index: i }, remove.id));
        row.append(el("td", {}, remove));
        body.append(row, el("tr", { className: "diag-row" },
          el("td", { colspan: String(PARTNER.length + 2) },
            el("div", { className: "diagnostics", "data-place": `partner.${i}` }))));
      });
      const added = focused === "add-partner" && partners.length > 0;
      if (added) document.getElementById(`p-${partners.length - 1}-short_name`).focus();
      else if (focused && document.getElementById(focused)) document.getElementById(focused).focus();
      else if (focused?.startsWith("p-")) document.querySelector("#add-partner").focus();
      return;
    }
    partners.forEach((p, i) => {
      for (const [key] of PARTNER) {
        const control = document.getElementById(`p-${i}-${key}`);
        const value = shown(p.fields[key]);
        if (control.tagName === "SELECT" && ![...control.options].some((o) => o.value === value)) {
          control.append(el("option", { value, text: `${value} (not a valid value)` }));
        }
        this.setValue(control, value);
        if (key === "country") {
          this.countryStatus(control, "eligible", "eligible at the deadline", "not eligible at the deadline");
        }
      }
    });
  }

  updateTargets(targets) {
    const body = this.root.querySelector("#targets").tBodies[0];
    const render = targets.length !== this.targetCount;
    const focused = document.activeElement?.id;
    if (render) {
      this.targetCount = targets.length;
      body.replaceChildren();
    }
    targets.forEach((t, i) => {
      const kind = t.fields.region ? "region" : "country";
      const value = shown(t.fields[kind]);
      if (render) {
        const kindId = `t-${i}-kind`;
        const valueId = `t-${i}-value`;
        const select = el("select", { id: kindId, "aria-label": `Kind of target market ${i + 1}` },
          el("option", { value: "country", text: "Country" }),
          el("option", { value: "region", text: "World region" }));
        const input = el("input", { id: valueId, type: "text", autocomplete: "off", "aria-label": `Target market ${i + 1}` });
        const badge = el("span", { className: "badge", id: `${valueId}-status` });
        const status = () => {
          if (select.value === "country") this.countryStatus(input, "third", "a third country", "not a third country");
          else { badge.textContent = ""; badge.className = "badge"; }
        };
        select.addEventListener("change", () => {
          input.setAttribute("list", select.value === "region" ? "regions" : "countries-target");
          status();
          this.send({ op: "set", table: "target", index: i, key: select.value, value: input.value }, kindId);
        });
        input.addEventListener("input", () => {
          status();
          this.send({ op: "set", table: "target", index: i, key: select.value, value: input.value }, valueId);
        });
        const remove = el("button", { type: "button", id: `t-${i}-remove`, className: "remove", "aria-label": `Remove target market ${i + 1}`, text: "Remove" });
        remove.addEventListener("click", () => this.send({ op: "remove", table: "target", index: i }, remove.id));
        body.append(el("tr", { id: `target-${i}` },
          el("th", { scope: "row", text: String(i + 1) }),
          el("td", {}, select),
          el("td", {}, input, badge),
          el("td", {}, remove)),
        el("tr", { className: "diag-row" }, el("td", { colspan: "4" },
          el("div", { className: "diagnostics", "data-place": `target.${i}` }))));
      }
      const select = document.getElementById(`t-${i}-kind`);
      const input = document.getElementById(`t-${i}-value`);
      this.setValue(select, kind);
      this.setValue(input, value);
      input.setAttribute("list", select.value === "region" ? "regions" : "countries-target");
      if (select.value === "country") this.countryStatus(input, "third", "a third country", "not a third country");
    });
    if (render) {
      if (focused === "add-target" && targets.length > 0) document.getElementById(`t-${targets.length - 1}-value`).focus();
      else if (focused && document.getElementById(focused)) document.getElementById(focused).focus();
      else if (focused?.startsWith("t-")) document.querySelector("#add-target").focus();
    }
  }
}
