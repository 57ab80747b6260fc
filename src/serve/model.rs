//! The consortium file as the page's form shows it: every key of the
//! top level, of `[proposal]`, of each `[[partner]]` and `[[target]]`, with
//! its value as written (valid or not: the form shows what the file says,
//! and the check says what is wrong with it) and where it is written.
//!
//! The page never reads TOML itself: it gets this outline from the server
//! with each check, and sends its edits back ([`super::edit`]). Positions
//! for the page are in UTF-16 code units, as JavaScript counts a string.
//!
//! [`place`] says where in the form a diagnostic belongs: beside a field
//! (`partner.1.country`), on an entry (`partner.1`), or on a part of the
//! form (`partners`, `targets`, `proposal`, `call`), from the position the
//! check gives it.

use crate::rule_id::RuleId;
use crate::source::Span;
use serde_json::{json, Map, Value};
use toml_edit::{Document, Item, TableLike};

/// One key as written.
#[derive(Debug, Clone)]
pub struct Field {
    pub key: String,
    /// The key and its value, from the start of the key to the end of the value.
    pub span: Span,
    /// The value alone.
    pub value_span: Span,
    pub value: Value,
    /// The value's text as written (`"DE"`, `450.000`).
    pub raw: String,
}

/// A table of the file: `[proposal]` or one entry of `[[partner]]`.
#[derive(Debug, Clone, Default)]
pub struct Entry {
    /// From its header to the next table's header.
    pub span: Span,
    pub fields: Vec<Field>,
}

/// The outline of a file that is valid TOML.
#[derive(Debug, Clone, Default)]
pub struct Outline {
    pub root: Vec<Field>,
    pub proposal: Option<Entry>,
    pub partners: Vec<Entry>,
    pub targets: Vec<Entry>,
    /// `partner` or `target` written in a way the form cannot edit (an
    /// inline array, a misspelt table): edit those in the text.
    pub not_editable: Vec<String>,
}

/// The outline of `text`, or `None` when it is not valid TOML (the check
/// reports the syntax error; the form waits for the text to be fixed).
pub fn outline(text: &str) -> Option<Outline> {
    let doc = Document::parse(text).ok()?;
    let root = doc.as_table();
    // Where each table's header starts, to bound the entries.
    let mut starts: Vec<usize> = Vec::new();
    collect_starts(root, &mut starts);
    starts.push(text.len());
    starts.sort_unstable();
    let extent = |start: usize| -> Span {
        let end = starts
            .iter()
            .copied()
            .find(|s| *s > start)
            .unwrap_or(text.len());
        start..end
    };
    let mut out = Outline::default();
    for (key, item) in root.iter() {
        match (key, item) {
            ("proposal", item) => match item.as_table_like() {
                Some(table) => {
                    let start = item.span().map_or(0, |s| s.start);
                    out.proposal = Some(Entry {
                        span: if item.is_table() {
                            extent(start)
                        } else {
                            item.span().unwrap_or_default()
                        },
                        fields: fields(table, text),
                    });
                }
                None => out.not_editable.push("proposal".into()),
            },
            (name @ ("partner" | "target"), Item::ArrayOfTables(entries)) => {
                let list: Vec<Entry> = entries
                    .iter()
                    .map(|t| Entry {
                        span: extent(t.span().map_or(0, |s| s.start)),
                        fields: fields(t, text),
                    })
                    .collect();
                if name == "partner" {
                    out.partners = list;
                } else {
                    out.targets = list;
                }
            }
            (name @ ("partner" | "target"), _) => out.not_editable.push(name.into()),
            (_, Item::Value(_)) => {
                if let Some(field) = field(root, key, text) {
                    out.root.push(field);
                }
            }
            _ => {}
        }
    }
    Some(out)
}

fn collect_starts(table: &toml_edit::Table, starts: &mut Vec<usize>) {
    for (_, item) in table.iter() {
        match item {
            Item::Table(t) => {
                if let Some(s) = t.span() {
                    starts.push(s.start);
                }
                collect_starts(t, starts);
            }
            Item::ArrayOfTables(list) => {
                for t in list.iter() {
                    if let Some(s) = t.span() {
                        starts.push(s.start);
                    }
                    collect_starts(t, starts);
                }
            }
            _ => {}
        }
    }
}

fn fields(table: &dyn TableLike, text: &str) -> Vec<Field> {
    table
        .iter()
        .filter_map(|(key, _)| field(table, key, text))
        .collect()
}

fn field(table: &dyn TableLike, key: &str, text: &str) -> Option<Field> {
    let (k, item) = table.get_key_value(key)?;
    let value = item.as_value()?;
    let value_span = value.span()?;
    let start = k.span().map_or(value_span.start, |s| s.start);
    Some(Field {
        key: key.to_string(),
        span: start..value_span.end,
        raw: text.get(value_span.clone()).unwrap_or_default().to_string(),
        value_span,
        value: to_json(value),
    })
}

/// A TOML value as JSON, for the form (dates as their text).
fn to_json(value: &toml_edit::Value) -> Value {
    use toml_edit::Value as V;
    match value {
        V::String(s) => Value::String(s.value().clone()),
        V::Integer(i) => json!(i.value()),
        V::Float(f) => json!(f.value()),
        V::Boolean(b) => json!(b.value()),
        V::Datetime(d) => Value::String(d.value().to_string()),
        V::Array(a) => Value::Array(a.iter().map(to_json).collect()),
        V::InlineTable(_) => Value::Null,
    }
}

/// UTF-16 positions of the text's bytes, for the page.
pub struct Utf16<'t> {
    text: &'t str,
}

impl<'t> Utf16<'t> {
    pub fn new(text: &'t str) -> Self {
        Utf16 { text }
    }

    /// The UTF-16 offset of byte `offset` (clamped to a character boundary).
    pub fn at(&self, offset: usize) -> usize {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        self.text[..offset].encode_utf16().count()
    }

    pub fn span(&self, span: &Span) -> [usize; 2] {
        [self.at(span.start), self.at(span.end)]
    }
}

impl Outline {
    /// The outline as the page reads it.
    pub fn to_json(&self, text: &str) -> Value {
        let u = Utf16::new(text);
        let fields = |fields: &[Field]| -> Value {
            let mut map = Map::new();
            for f in fields {
                map.insert(
                    f.key.clone(),
                    json!({ "value": f.value, "raw": f.raw, "span": u.span(&f.value_span) }),
                );
            }
            Value::Object(map)
        };
        let entry = |e: &Entry| json!({ "span": u.span(&e.span), "fields": fields(&e.fields) });
        json!({
            "root": fields(&self.root),
            "proposal": self.proposal.as_ref().map(entry),
            "partners": self.partners.iter().map(entry).collect::<Vec<_>>(),
            "targets": self.targets.iter().map(entry).collect::<Vec<_>>(),
            "not_editable": self.not_editable,
        })
    }
}

impl Outline {
    /// The values to write into a workbook, as text.
    pub fn fill(&self) -> crate::template::workbook::Fill {
        let text = |f: &Field| match &f.value {
            Value::String(s) => s.clone(),
            Value::Array(items) => items
                .iter()
                .map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_string))
                .collect::<Vec<_>>()
                .join(", "),
            Value::Bool(b) => b.to_string(),
            _ => f.raw.clone(),
        };
        let pairs = |e: &Entry| -> Vec<(String, String)> {
            e.fields.iter().map(|f| (f.key.clone(), text(f))).collect()
        };
        // A key left out takes its default in the check (`legal_entity`
        // is true): the workbook says so, for the import to read it back.
        let with_defaults = |e: &Entry| {
            let mut out = pairs(e);
            for key in crate::consortium::keys::PARTNER {
                if let Some(default) = key.default {
                    if !out.iter().any(|(k, _)| k == key.name) {
                        out.push((key.name.to_string(), default.to_string()));
                    }
                }
            }
            out
        };
        crate::template::workbook::Fill {
            proposal: self.proposal.as_ref().map(pairs).unwrap_or_default(),
            partners: self.partners.iter().map(with_defaults).collect(),
            targets: self
                .targets
                .iter()
                .filter_map(|t| t.fields.first().map(|f| (f.key.clone(), text(f))))
                .collect(),
        }
    }
}

/// Where in the form a diagnostic of `rule` at `span` belongs.
pub fn place(outline: Option<&Outline>, rule: RuleId, span: &Span) -> String {
    let at = span.start;
    let within = |f: &Field| f.span.start <= at && at < f.span.end.max(f.span.start + 1);
    if let Some(o) = outline {
        for (name, list) in [("partner", &o.partners), ("target", &o.targets)] {
            for (i, entry) in list.iter().enumerate() {
                if let Some(f) = entry.fields.iter().find(|f| within(f)) {
                    return format!("{name}.{i}.{}", f.key);
                }
                if entry.span.contains(&at) {
                    return format!("{name}.{i}");
                }
            }
        }
        if let Some(p) = &o.proposal {
            if let Some(f) = p.fields.iter().find(|f| within(f)) {
                return format!("proposal.{}", f.key);
            }
            if p.span.contains(&at) {
                return "proposal".into();
            }
        }
        if let Some(f) = o.root.iter().find(|f| within(f)) {
            // A consortium-wide finding points at `call`: it belongs to
            // the part of the form that it counts.
            if f.key == "call" {
                return whole(rule).unwrap_or("call").into();
            }
            return f.key.clone();
        }
    }
    whole(rule).unwrap_or("file").into()
}

/// The part of the form a consortium-wide rule is about.
fn whole(rule: RuleId) -> Option<&'static str> {
    use RuleId as R;
    Some(match rule {
        R::MinPartners
        | R::MaxPartners
        | R::DistinctCountries
        | R::MinEuCountries
        | R::DefenceRelated
        | R::Coordinator
        | R::DuplicatePartner
        | R::OneConsortium => "partners",
        R::MinTargets | R::MaxTargets => "targets",
        R::Actions | R::MaxGrant | R::FundingRate | R::Duration | R::ThirdPartySupport => {
            "proposal"
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "call = \"X\"  # the call\nstrand = \"A\"\n\n[proposal]\nacronym = \"Ü\"\nrequested_grant_eur = 450.000\n\n[[partner]]\nshort_name = \"A\"\ncountry = \"Germany\"\n\n[[partner]]\nname = \"B\"\n\n[[target]]\nregion = \"Mercosur\"\n";

    #[test]
    fn every_value_is_kept_as_written_with_its_place() {
        let o = outline(TEXT).unwrap();
        assert_eq!(o.root.len(), 2);
        let p = o.proposal.as_ref().unwrap();
        assert_eq!(p.fields[1].raw, "450.000");
        assert_eq!(p.fields[1].value, json!(450.0));
        assert_eq!(o.partners.len(), 2);
        let country = &o.partners[0].fields[1];
        assert_eq!(country.value, json!("Germany"));
        assert_eq!(&TEXT[country.value_span.clone()], "\"Germany\"");
        assert_eq!(o.targets[0].fields[0].key, "region");
        // The first partner's entry ends where the second begins.
        assert!(o.partners[0].span.end <= o.partners[1].span.start);
        assert!(outline("call = ").is_none());
    }

    #[test]
    fn diagnostics_are_placed_beside_their_field_or_entry() {
        let o = outline(TEXT).unwrap();
        let at = |needle: &str| {
            let s = TEXT.find(needle).unwrap();
            s..s + needle.len()
        };
        let country = at("\"Germany\"");
        assert_eq!(
            place(Some(&o), RuleId::InvalidValue, &country),
            "partner.0.country"
        );
        let header = at("[[partner]]\nname");
        assert_eq!(place(Some(&o), RuleId::MissingKey, &header), "partner.1");
        let call = at("\"X\"");
        assert_eq!(place(Some(&o), RuleId::MinPartners, &call), "partners");
        assert_eq!(place(Some(&o), RuleId::Deadline, &call), "call");
        assert_eq!(place(None, RuleId::Syntax, &(0..0)), "file");
    }

    #[test]
    fn positions_are_counted_as_javascript_counts_them() {
        let u = Utf16::new("a😀b");
        assert_eq!(u.at(1), 1);
        assert_eq!(u.at(5), 3);
        assert_eq!(u.at(3), 1);
    }
}
