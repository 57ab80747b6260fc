//! Writing the consortium file: TOML text written here, every string
//! escaped so that any cell's content reads back as the same value, with
//! where each part came from ([`Origins`]): a comment above each entry in
//! the text, and spans for the check's findings.
//!
//! A key the call needs that the spreadsheet does not give is written as
//! a placeholder (`""`, `[]`) with a comment on what the call requires, as
//! `escp init` writes it.

use super::cell::CellRef;
use super::model::{Entry, Field};
use super::values::Out;
use crate::rules::RuleId;
use crate::template::Requirements;
use std::fmt::Write as _;
use std::ops::Range;

/// A TOML basic string holding exactly `text`.
pub fn toml_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if c.is_control() || crate::text::is_unsafe(c) => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Text for a comment: one line, nothing a terminal would act on.
fn comment(text: &str) -> String {
    crate::text::clean(text)
}

/// Where the parts of the written text came from.
#[derive(Debug, Clone, Default)]
pub struct Origins {
    /// Byte ranges of the text and their cell or row; an entry's range
    /// covers its whole table, a value's range its value.
    spans: Vec<(Range<usize>, CellRef)>,
}

impl Origins {
    /// The cell (or row) that the text at `offset` came from: the narrowest
    /// recorded range around it.
    pub fn at(&self, offset: usize) -> Option<&CellRef> {
        self.spans
            .iter()
            .filter(|(r, _)| r.start <= offset && offset < r.end.max(r.start + 1))
            .min_by_key(|(r, _)| r.end - r.start)
            .map(|(_, c)| c)
    }
}

/// What to write: the parts of the file the spreadsheet gave.
pub struct Parts<'a> {
    /// The spreadsheet's file name, for the header comment.
    pub file: &'a str,
    pub call: Option<Field>,
    pub strand: Option<Field>,
    pub proposal: Vec<Field>,
    pub partners: Vec<Entry>,
    pub targets: Vec<Entry>,
}

/// The written text, where it came from, and the keys written as
/// placeholders (what is still to fill in).
pub struct Written {
    pub text: String,
    pub origins: Origins,
    pub placeholders: Vec<String>,
}

struct Writer<'a> {
    out: String,
    origins: Origins,
    placeholders: Vec<String>,
    needs: Option<Requirements<'a>>,
}

impl Writer<'_> {
    fn reads(&self, table: &str, key: &str) -> bool {
        match &self.needs {
            Some(n) => n.reads(table, key),
            // No known call: the keys that every call needs.
            None => matches!(
                (table, key),
                ("proposal", "acronym") | ("partner", "country" | "type" | "eccp")
            ),
        }
    }

    fn notes(&self, rules: &[RuleId]) -> String {
        self.needs
            .as_ref()
            .map_or(String::new(), |n| n.notes(rules))
    }

    /// `key = value`, recording where the value came from.
    fn value(&mut self, key: &str, value: &Out, from: Option<&CellRef>) {
        let _ = write!(self.out, "{key} = ");
        let start = self.out.len();
        match value {
            Out::Text(t) => self.out.push_str(&toml_string(t)),
            Out::Whole(n) => {
                let _ = write!(self.out, "{n}");
            }
            Out::Amount(e) => {
                let _ = write!(self.out, "{}", e.whole());
                if e.has_cents() {
                    let _ = write!(self.out, ".{:02}", e.cents() % 100);
                }
            }
            Out::Number(n) => self.out.push_str(&toml_float(*n)),
            Out::Bool(b) => {
                let _ = write!(self.out, "{b}");
            }
            Out::List(items) => {
                let quoted: Vec<String> = items.iter().map(|i| toml_string(i)).collect();
                let _ = write!(self.out, "[{}]", quoted.join(", "));
            }
        }
        if let Some(cell) = from {
            self.origins
                .spans
                .push((start..self.out.len(), cell.clone()));
        }
        self.out.push('\n');
    }

    /// `key = ""  # comment`: a value to fill in.
    fn placeholder(
        &mut self,
        place: &str,
        key: &str,
        empty: &str,
        what: String,
        field: Option<&Field>,
    ) {
        let _ = write!(self.out, "{key} = ");
        let start = self.out.len();
        self.out.push_str(empty);
        if let Some(cell) = field.and_then(|f| f.from.as_ref()) {
            self.origins
                .spans
                .push((start..self.out.len(), cell.clone()));
        }
        let was = match field {
            Some(Field {
                failed: Some(shown),
                from: Some(cell),
                ..
            }) => format!("{cell} holds {}, not usable here: ", comment(shown)),
            Some(Field {
                from: Some(cell), ..
            }) => format!("{cell} is empty: "),
            _ => String::new(),
        };
        let _ = writeln!(self.out, "  # {was}{what}");
        let name = if place.is_empty() {
            key.to_string()
        } else {
            format!("{place}.{key}")
        };
        if !self.placeholders.contains(&name) {
            self.placeholders.push(name);
        }
    }

    /// A key: its value, or a placeholder where the call needs it.
    fn key(
        &mut self,
        place: &str,
        key: &str,
        field: Option<&Field>,
        empty: &str,
        what: impl FnOnce() -> String,
    ) {
        match field.and_then(|f| f.value.as_ref().map(|v| (v, f.from.as_ref()))) {
            Some((value, from)) => {
                let value = value.clone();
                let from = from.cloned();
                self.value(key, &value, from.as_ref());
            }
            None => {
                let required = matches!(key, "short_name" | "name" | "acronym" | "call");
                if required || self.reads(place, key) || field.is_some_and(|f| f.failed.is_some()) {
                    let what = what();
                    self.placeholder(place, key, empty, what, field);
                }
            }
        }
    }
}

/// A float TOML reads back: `24.5`, `-3.0`, `1e300`.
fn toml_float(n: f64) -> String {
    if !n.is_finite() {
        return "nan".into();
    }
    let text = format!("{n:?}");
    if text.contains(['.', 'e', 'E']) {
        text
    } else {
        format!("{text}.0")
    }
}

fn find<'f>(fields: &'f [Field], key: &str) -> Option<&'f Field> {
    fields.iter().find(|f| f.key == key)
}

/// Writes the consortium file for the parts, with the call's requirements
/// (where the call is known) for the placeholders and their comments.
pub fn write(
    parts: &Parts<'_>,
    needs: Option<Requirements<'_>>,
    call_id: Option<&str>,
    strand_id: Option<&str>,
) -> Written {
    let mut w = Writer {
        out: String::new(),
        origins: Origins::default(),
        placeholders: Vec::new(),
        needs,
    };
    match &w.needs {
        Some(n) => {
            let _ = writeln!(
                w.out,
                "# Consortium file for {}: {}.",
                n.call.id,
                comment(&n.call.title)
            );
            if let Some(s) = n.strand.map(|i| &n.call.strands[i]) {
                let _ = writeln!(w.out, "# Strand {}: {}.", comment(&s.id), comment(&s.title));
            }
        }
        None => w.out.push_str("# Consortium file.\n"),
    }
    let _ = writeln!(
        w.out,
        "# Written by `escp import` from {}; each [[partner]] and [[target]]",
        comment(parts.file)
    );
    w.out.push_str("# says the row it came from. Fill in every \"\" and [] left, then run: escp check <this file>\n\n");

    // call and strand
    let call_field = parts.call.clone();
    match call_id {
        Some(id) => {
            let from = call_field.as_ref().and_then(|f| f.from.clone());
            w.value("call", &Out::Text(id.to_string()), from.as_ref());
        }
        None => w.placeholder(
            "",
            "call",
            "\"\"",
            "the id of the call (`escp calls` lists them; or import again with --call ID)".into(),
            call_field.as_ref(),
        ),
    }
    let has_strands = w.needs.as_ref().is_some_and(|n| !n.call.strands.is_empty());
    match strand_id {
        Some(s) => {
            let from = parts.strand.as_ref().and_then(|f| f.from.clone());
            w.value("strand", &Out::Text(s.to_string()), from.as_ref());
        }
        None if has_strands || parts.strand.as_ref().is_some_and(|f| f.failed.is_some()) => {
            let strands = w
                .needs
                .as_ref()
                .map(|n| {
                    n.call
                        .strands
                        .iter()
                        .map(|s| format!("{} ({})", s.id, s.title))
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_default();
            w.placeholder(
                "",
                "strand",
                "\"\"",
                format!("the strand: {}", comment(&strands)),
                parts.strand.as_ref(),
            );
        }
        None => {}
    }

    // [proposal]
    w.out.push_str("\n[proposal]\n");
    let p = &parts.proposal;
    w.key("proposal", "acronym", find(p, "acronym"), "\"\"", || {
        "required: the proposal's acronym".into()
    });
    if let Some(f) = find(p, "title").filter(|f| f.value.is_some()) {
        w.key("proposal", "title", Some(f), "\"\"", String::new);
    }
    let notes = w.notes(&[RuleId::Duration]);
    w.key(
        "proposal",
        "duration_months",
        find(p, "duration_months"),
        "\"\"",
        || format!("a whole number of months{notes}"),
    );
    let notes = w.notes(&[RuleId::MaxGrant, RuleId::FundingRate]);
    w.key(
        "proposal",
        "requested_grant_eur",
        find(p, "requested_grant_eur"),
        "\"\"",
        || format!("the EU contribution requested, in euros, e.g. 450000{notes}"),
    );
    w.key(
        "proposal",
        "total_costs_eur",
        find(p, "total_costs_eur"),
        "\"\"",
        || "the project's total eligible costs, in euros".into(),
    );
    let third = find(p, "third_party_support_eur");
    if third.is_some_and(|f| f.value.is_some() || f.failed.is_some())
        || w.needs.as_ref().is_some_and(|n| n.funds_third_parties())
    {
        let notes = w.notes(&[RuleId::ThirdPartySupport]);
        let f = third.cloned().unwrap_or(Field {
            key: "third_party_support_eur",
            value: None,
            from: None,
            failed: None,
        });
        if f.value.is_some() {
            w.key(
                "proposal",
                "third_party_support_eur",
                Some(&f),
                "\"\"",
                String::new,
            );
        } else {
            w.placeholder("proposal", "third_party_support_eur", "\"\"", format!("the part of the costs passed on to SMEs as financial support to third parties{notes}"), Some(&f));
        }
    }
    let actions = w.needs.as_ref().and_then(|n| n.actions());
    let notes = w.notes(&[RuleId::Actions]);
    w.key(
        "proposal",
        "actions",
        find(p, "actions"),
        "[]",
        || match &actions {
            Some(words) => format!(
                "the kinds of action the proposal covers, from {}{notes}",
                words.join(", ")
            ),
            None => {
                "the kinds of action the proposal covers, \"preparatory\" and/or \"implementation\""
                    .into()
            }
        },
    );

    // [[partner]]
    let min = w.needs.as_ref().map_or(3, |n| n.min_partners());
    let notes = w.notes(&[
        RuleId::MinPartners,
        RuleId::DistinctCountries,
        RuleId::MinEuCountries,
    ]);
    if parts.partners.is_empty() {
        let _ = writeln!(w.out, "\n# No applicant was found in the spreadsheet: one [[partner]] per applicant, the coordinator included{notes}.");
        for i in 0..min {
            w.out.push_str("[[partner]]\n");
            partner_keys(&mut w, None, i == 0);
            w.out.push('\n');
        }
    } else {
        w.out.push('\n');
    }
    for entry in &parts.partners {
        let start = w.out.len();
        let _ = write!(w.out, "# From {}", entry.row);
        if let Some(pic) = &entry.pic {
            let _ = write!(w.out, " (PIC {})", comment(pic));
        }
        w.out.push_str("\n[[partner]]\n");
        partner_keys(&mut w, Some(entry), false);
        let end = w.out.len();
        w.origins.spans.push((start..end, entry.row.clone()));
        w.out.push('\n');
    }

    // [[target]]
    let targets_needed = w.needs.as_ref().and_then(|n| n.targets());
    let notes = w.notes(&[
        RuleId::MinTargets,
        RuleId::MaxTargets,
        RuleId::TargetThirdCountry,
    ]);
    if parts.targets.is_empty() {
        match targets_needed {
            Some(n) => {
                let _ = writeln!(w.out, "# Target markets: one [[target]] each, with a `country` (ISO code) or, instead, a world `region`{notes}.");
                for _ in 0..n {
                    w.out.push_str("[[target]]\n");
                    w.placeholder(
                        "target",
                        "country",
                        "\"\"",
                        "or: region = \"\" (a world region such as Mercosur)".into(),
                        None,
                    );
                    w.out.push('\n');
                }
            }
            None if w.needs.is_none() => {
                w.out.push_str("# Target markets: one [[target]] each, with a `country` (ISO code) or a world `region`.\n[[target]]\n");
                w.placeholder(
                    "target",
                    "country",
                    "\"\"",
                    "or: region = \"\"".into(),
                    None,
                );
            }
            None => {}
        }
    }
    for entry in &parts.targets {
        let start = w.out.len();
        let _ = writeln!(w.out, "# From {}\n[[target]]", entry.row);
        for f in &entry.fields {
            match &f.value {
                Some(v) => w.value(f.key, v, f.from.as_ref()),
                None => w.placeholder(
                    "target",
                    f.key,
                    "\"\"",
                    "a third country's ISO code, or a world region".into(),
                    Some(f),
                ),
            }
        }
        w.origins
            .spans
            .push((start..w.out.len(), entry.row.clone()));
        w.out.push('\n');
    }
    while w.out.ends_with("\n\n") {
        w.out.pop();
    }
    Written {
        text: w.out,
        origins: w.origins,
        placeholders: w.placeholders,
    }
}

/// A partner's keys; `coordinator` marks the first of the placeholder
/// entries written for a list without applicants, as `escp init` does.
fn partner_keys(w: &mut Writer<'_>, entry: Option<&Entry>, coordinator: bool) {
    let get = |key: &str| entry.and_then(|e| e.field(key)).cloned();
    w.key(
        "partner",
        "short_name",
        get("short_name").as_ref(),
        "\"\"",
        || "required, unique: a short name such as the organisation's acronym".into(),
    );
    w.key("partner", "name", get("name").as_ref(), "\"\"", || {
        "required: the organisation's legal name".into()
    });
    if coordinator {
        let notes = w.notes(&[RuleId::Coordinator]);
        w.value("role", &Out::Text("coordinator".into()), None);
        if !notes.is_empty() {
            w.out.pop();
            let _ = writeln!(w.out, "  # coordinator or partner{notes}");
        }
    }
    if let Some(f) = get("role").filter(|f| f.value.is_some() || f.failed.is_some()) {
        w.key("partner", "role", Some(&f), "\"\"", || {
            "coordinator or partner".into()
        });
    }
    let notes = w.notes(&[RuleId::EligibleCountry]);
    w.key(
        "partner",
        "country",
        get("country").as_ref(),
        "\"\"",
        || format!("two-letter ISO code of the country of establishment{notes}"),
    );
    let notes = w.notes(&[RuleId::OrganisationType]);
    w.key("partner", "type", get("type").as_ref(), "\"\"", || {
        format!("cluster-organisation, business-network-organisation or other{notes}")
    });
    let notes = w.notes(&[RuleId::EccpRegistration]);
    w.key("partner", "eccp", get("eccp").as_ref(), "\"\"", || {
        format!("registered, requested, planned or none (European Cluster Collaboration Platform){notes}")
    });
    let notes = w.notes(&[RuleId::DefenceRelated]);
    w.key(
        "partner",
        "defence_related",
        get("defence_related").as_ref(),
        "\"\"",
        || format!("true or false: whether it is a defence-related entity{notes}"),
    );
    let notes = w.notes(&[RuleId::LegalEntity]);
    w.key(
        "partner",
        "legal_entity",
        get("legal_entity").as_ref(),
        "\"\"",
        || format!("true or false: whether it has legal personality{notes}"),
    );
    if let Some(f) = get("sme_members").filter(|f| f.value.is_some() || f.failed.is_some()) {
        w.key("partner", "sme_members", Some(&f), "\"\"", || {
            "how many SMEs the organisation has as members".into()
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped_to_read_back_the_same() {
        for text in [
            "plain",
            "quote \" and \\ back",
            "line\nbreak\r\n",
            "\u{0}\u{1b}\u{7f}\u{85}",
            "tab\t",
            "\u{202e}x",
        ] {
            let doc = format!("v = {}", toml_string(text));
            let table: toml::Table = toml::from_str(&doc).unwrap();
            assert_eq!(table["v"].as_str(), Some(text), "{doc}");
        }
    }

    #[test]
    fn floats_read_back_as_floats() {
        for n in [24.5, -3.0, 1e300, 0.1, -0.0] {
            let doc = format!("v = {}", toml_float(n));
            let table: toml::Table = toml::from_str(&doc).unwrap();
            assert_eq!(table["v"].as_float(), Some(n), "{doc}");
        }
    }

    #[test]
    fn the_narrowest_origin_wins() {
        let cell = |c| CellRef {
            sheet: "P".into(),
            row: 1,
            column: c,
        };
        let origins = Origins {
            spans: vec![(0..100, cell(None)), (10..20, cell(Some(2)))],
        };
        assert_eq!(origins.at(15), Some(&cell(Some(2))));
        assert_eq!(origins.at(50), Some(&cell(None)));
        assert_eq!(origins.at(100), None);
    }
}
