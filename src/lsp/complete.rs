//! Completion: the keys of the table the cursor is in (those not written
//! yet), the table headers, and the values a key accepts: the words of
//! `type`, `eccp`, `role` and `actions`, country codes with their names,
//! world regions, call ids and the strands of the call the file names.

use super::syntax::{self, At, Val};
use super::Cx;
use crate::consortium::keys::{self, Key, Table, Value};
use crate::countries::Countries;
use crate::rule_id::RuleId;
use crate::ruleset::StrandSetting;
use crate::source::Span;

/// One completion, in the library's terms: the server turns `replace`
/// into an LSP range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub label: String,
    pub kind: ItemKind,
    pub detail: Option<String>,
    pub documentation: Option<String>,
    /// What to write over `replace`.
    pub text: String,
    /// `text` is a snippet (`$1` placeholders).
    pub snippet: bool,
    pub replace: Span,
    pub filter: Option<String>,
    pub sort: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemKind {
    Key,
    Table,
    Word,
    Country,
    Region,
    Call,
    Strand,
    Boolean,
}

/// The completions at `offset`; `snippets` when the client takes snippets.
pub fn complete(cx: &Cx<'_>, offset: usize, snippets: bool) -> Vec<Item> {
    let offset = syntax::boundary(cx.text, offset);
    match syntax::at(cx.text, offset, false) {
        At::Header { span } => headers(span),
        At::Key { table, span, .. } => {
            let (line_start, line) = syntax::line_at(cx.text, offset);
            let rest = &line[span.end - line_start..];
            let valued = rest.contains('=');
            let mut items = keys_of(cx, table, offset, &span, snippets && !valued);
            let alone = line.trim() == cx.text[span.clone()].trim();
            if alone {
                items.extend(headers(span));
            }
            items
        }
        At::Value {
            table, key, value, ..
        } => match keys::find(table, &key) {
            Some(key) => values(cx, key, value.as_ref(), offset),
            None => Vec::new(),
        },
        At::Nothing => Vec::new(),
    }
}

fn headers(replace: Span) -> Vec<Item> {
    [
        ("[proposal]", Table::Root, "proposal"),
        ("[[partner]]", Table::Root, "partner"),
        ("[[target]]", Table::Root, "target"),
    ]
    .into_iter()
    .map(|(header, table, name)| Item {
        label: header.to_string(),
        kind: ItemKind::Table,
        detail: keys::find(table, name).map(|k| k.description.to_string()),
        documentation: None,
        text: header.to_string(),
        snippet: false,
        replace: replace.clone(),
        filter: Some(header.to_string()),
        sort: Some(format!("9{header}")),
    })
    .collect()
}

/// The keys of `table` not yet written in the entry at `offset`.
fn keys_of(cx: &Cx<'_>, table: Table, offset: usize, replace: &Span, snippets: bool) -> Vec<Item> {
    let written = syntax::keys_of_entry(cx.text, offset);
    keys::of(table)
        .iter()
        .filter(|k| !matches!(k.value, Value::Table | Value::Entries))
        .filter(|k| !written.iter().any(|w| w == k.name))
        .map(|k| Item {
            label: k.name.to_string(),
            kind: ItemKind::Key,
            detail: Some(k.description.to_string()),
            documentation: None,
            text: if snippets {
                format!("{} = {}", k.name, placeholder(k))
            } else {
                k.name.to_string()
            },
            snippet: snippets,
            replace: replace.clone(),
            filter: None,
            // Required keys first, then in the format's order.
            sort: Some(format!(
                "{}{:02}",
                if k.required { 0 } else { 1 },
                keys::of(table)
                    .iter()
                    .position(|o| o.name == k.name)
                    .unwrap_or(0)
            )),
        })
        .collect()
}

/// The value a key snippet leaves to fill in.
fn placeholder(key: &Key) -> String {
    match key.value {
        Value::Word(words) => format!("\"${{1|{}|}}\"", words.all().join(",")),
        Value::WordList(words) => format!("[\"${{1|{}|}}\"]", words.all().join(",")),
        Value::Boolean => "${1|true,false|}".into(),
        Value::Whole | Value::Amount => "$1".into(),
        _ => "\"$1\"".into(),
    }
}

/// The values `key` accepts, written over the value under the cursor.
fn values(cx: &Cx<'_>, key: &Key, value: Option<&Val>, offset: usize) -> Vec<Item> {
    let quoted = value.is_some_and(|v| v.quoted);
    let replace = match value {
        Some(v) if v.quoted => v.content.clone(),
        Some(v) => v.span.clone(),
        None => offset..offset,
    };
    // After `=` with no space, a space first.
    let space = if value.is_none() && cx.text[..offset].ends_with('=') {
        " "
    } else {
        ""
    };
    let write = |word: &str| {
        if quoted {
            word.to_string()
        } else {
            format!("{space}\"{word}\"")
        }
    };
    let item = |label: String, kind, detail: Option<String>| Item {
        text: write(&label),
        label,
        kind,
        detail,
        documentation: None,
        snippet: false,
        replace: replace.clone(),
        filter: None,
        sort: None,
    };
    match key.value {
        Value::Word(words) | Value::WordList(words) => words
            .all()
            .into_iter()
            .map(|w| {
                item(
                    w.to_string(),
                    ItemKind::Word,
                    Some(key.description.to_string()),
                )
            })
            .collect(),
        Value::Boolean => ["true", "false"]
            .into_iter()
            .map(|b| Item {
                text: format!("{space}{b}"),
                ..item(b.to_string(), ItemKind::Boolean, None)
            })
            .collect(),
        Value::Country => countries(cx, key, item),
        Value::Region => super::regions::all()
            .into_iter()
            .map(|r| {
                let members: Vec<&str> = r.members.iter().map(|c| c.code()).collect();
                Item {
                    filter: Some(format!("{} {}", r.name, r.aliases.join(" "))),
                    ..item(r.name.clone(), ItemKind::Region, Some(members.join(", ")))
                }
            })
            .collect(),
        Value::Call => match cx.catalog.all() {
            Ok(calls) => calls
                .iter()
                .map(|c| {
                    let strands: Vec<&str> = c.strands.iter().map(|s| s.id.as_str()).collect();
                    let strands = if strands.is_empty() {
                        "no strands".to_string()
                    } else {
                        format!("strands {}", strands.join(", "))
                    };
                    Item {
                        documentation: Some(format!("deadline {}; {strands}", c.deadline.when())),
                        filter: Some(format!("{} {}", c.id, c.aliases.join(" "))),
                        sort: Some(c.deadline.date.to_string()),
                        ..item(c.id.clone(), ItemKind::Call, Some(c.title.clone()))
                    }
                })
                .collect(),
            Err(_) => cx
                .catalog
                .ids()
                .into_iter()
                .map(|id| item(id.to_string(), ItemKind::Call, None))
                .collect(),
        },
        Value::Strand => match cx.call() {
            Some(call) => call
                .strands
                .iter()
                .map(|s| Item {
                    // Typing the title finds the strand, as a file may name
                    // it (`Ruleset::strand_index`); the id is written.
                    filter: Some(format!("{} {}", s.id, s.title)),
                    ..item(s.id.clone(), ItemKind::Strand, Some(s.title.clone()))
                })
                .collect(),
            None => Vec::new(),
        },
        Value::Text | Value::Whole | Value::Amount | Value::Table | Value::Entries => Vec::new(),
    }
}

/// Every country code with its name (typing a name finds its code). With
/// a known call, the countries that its rule on this key accepts come
/// first: eligible ones for an applicant, third countries for a target.
fn countries(
    cx: &Cx<'_>,
    key: &Key,
    item: impl Fn(String, ItemKind, Option<String>) -> Item,
) -> Vec<Item> {
    let call = cx.call();
    let strand = call.as_ref().and_then(|c| cx.strand(c));
    // (groups, whether membership is what the rule wants).
    let rule = if key.table == Table::Target {
        (RuleId::TargetThirdCountry, false)
    } else {
        (RuleId::EligibleCountry, true)
    };
    // The groups of each setting that applies: the file's strand's, or,
    // with the strand unknown, every strand's (a country is marked only if
    // no strand admits it).
    let settings: Vec<Vec<&crate::ruleset::groups::Group>> =
        match (&call, call.as_ref().and_then(|c| c.entry(rule.0))) {
            (Some(c), Some(e)) => {
                let chosen: Vec<&crate::ruleset::RuleSetting> = match e.setting(strand) {
                    StrandSetting::Applies(s) => vec![s],
                    StrandSetting::NeedsStrand => e.per_strand.iter().flatten().collect(),
                    _ => Vec::new(),
                };
                chosen
                    .into_iter()
                    .map(|s| {
                        s.params
                            .groups()
                            .into_iter()
                            .filter_map(|n| c.group(n))
                            .collect()
                    })
                    .collect()
            }
            _ => Vec::new(),
        };
    let deadline = call
        .as_ref()
        .map(|c| c.deadline.date)
        .filter(|_| !settings.is_empty());
    Countries::get()
        .iter()
        .map(|(country, name)| {
            let member = deadline.map(|on| {
                let member = |groups: &Vec<&crate::ruleset::groups::Group>| {
                    groups.iter().any(|g| g.membership(country, on).is_member())
                };
                // Eligible: admitted by some setting; a target: a member of
                // the excluded groups in every setting.
                if rule.1 {
                    settings.iter().any(member)
                } else {
                    settings.iter().all(member)
                }
            });
            let fits = member.map(|m| m == rule.1);
            let note = match (fits, key.table) {
                (Some(false), Table::Target) => " (not a third country for this call)",
                (Some(false), _) => " (not eligible for this call)",
                _ => "",
            };
            Item {
                filter: Some(format!("{} {name}", country.code())),
                sort: Some(format!(
                    "{}{}",
                    if fits == Some(false) { 1 } else { 0 },
                    country.code()
                )),
                ..item(
                    country.code().to_string(),
                    ItemKind::Country,
                    Some(format!("{name}{note}")),
                )
            }
        })
        .collect()
}
