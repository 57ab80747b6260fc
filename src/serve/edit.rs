//! The form's edits, applied to the consortium file's text in place: a
//! value replaced keeps its key's place and the comment after it, a key
//! added goes at the end of its table, an entry added goes after the last
//! of its kind, an entry removed takes its comments with it. Everything
//! else the user wrote, comments and layout, stays as it was
//! ([`toml_edit`] keeps them).
//!
//! The page sends what the user typed; the key's kind decides how it is
//! written: a number field that reads as a TOML number is written as that
//! number, digits as typed (`450.000` stays `450.000`, for the check to
//! question); anything else is written as text, for the check to report
//! beside the field. A field emptied is written `""` (the placeholder of
//! `escp init`, which the check reports as still to fill in) where the
//! format or the call needs the key, and is removed otherwise.

use crate::consortium::keys::{self, Table, Value as Kind};
use serde::Deserialize;
use toml_edit::{value, Array, ArrayOfTables, DocumentMut, Item, TableLike, Value};

/// One edit from the form.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "op", rename_all = "lowercase")]
pub enum Edit {
    /// Sets (or clears, with `null` or `""`) the value of `key` in
    /// `table` (`root`, `proposal`, `partner`, `target`; entries by `index`).
    Set {
        table: String,
        #[serde(default)]
        index: usize,
        key: String,
        value: serde_json::Value,
    },
    /// Adds an entry (`partner`, `target`) at the end of its list.
    Add { table: String },
    /// Removes entry `index` of `table`.
    Remove { table: String, index: usize },
    /// Applies the first fix of diagnostic `diagnostic` of the text's
    /// report (handled by the caller, which has the report).
    Fix { diagnostic: usize },
}

/// Why an edit could not be made (the text is left as it was).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused(pub String);

/// What the call needs, for an emptied field: whether its rules read
/// `key` of `table` (`""`-placeholder rather than removal).
pub type Reads<'a> = &'a dyn Fn(&str, &str) -> bool;

/// Applies one edit (not a fix) to `text`.
pub fn apply(text: &str, edit: &Edit, reads: Reads<'_>) -> Result<String, Refused> {
    let mut doc: DocumentMut = text.parse().map_err(|_| {
        Refused("the file is not valid TOML: fix the error shown in the text view first".into())
    })?;
    match edit {
        Edit::Set {
            table,
            index,
            key,
            value,
        } => set(&mut doc, table, *index, key, value, reads)?,
        Edit::Add { table } => add(&mut doc, table, reads)?,
        Edit::Remove { table, index } => remove(&mut doc, table, *index)?,
        Edit::Fix { .. } => return Err(Refused("a fix needs the text's report".into())),
    }
    Ok(doc.to_string())
}

fn table_of(name: &str) -> Result<Table, Refused> {
    Ok(match name {
        "root" => Table::Root,
        "proposal" => Table::Proposal,
        "partner" => Table::Partner,
        "target" => Table::Target,
        _ => return Err(Refused(format!("there is no table `{}`", clean(name)))),
    })
}

fn clean(text: &str) -> String {
    crate::text::clean(&text.chars().take(40).collect::<String>())
}

/// The table an edit of `table` (entry `index`) applies to.
fn target(
    doc: &mut DocumentMut,
    table: Table,
    index: usize,
) -> Result<&mut dyn TableLike, Refused> {
    let name = match table {
        Table::Root => return Ok(doc.as_table_mut()),
        Table::Proposal => {
            let item = doc
                .as_table_mut()
                .entry("proposal")
                .or_insert_with(|| Item::Table(toml_edit::Table::new()));
            return item.as_table_like_mut().ok_or_else(|| {
                Refused("`proposal` is not a table here: edit it in the text view".into())
            });
        }
        Table::Partner => "partner",
        Table::Target => "target",
    };
    match doc.get_mut(name) {
        Some(Item::ArrayOfTables(list)) => list
            .get_mut(index)
            .map(|t| t as &mut dyn TableLike)
            .ok_or_else(|| Refused(format!("there is no [[{name}]] number {}", index + 1))),
        Some(_) => Err(Refused(format!(
            "`{name}` is not written as [[{name}]] tables here: edit it in the text view"
        ))),
        None => Err(Refused(format!(
            "there is no [[{name}]] number {}",
            index + 1
        ))),
    }
}

fn set(
    doc: &mut DocumentMut,
    table_name: &str,
    index: usize,
    key: &str,
    given: &serde_json::Value,
    reads: Reads<'_>,
) -> Result<(), Refused> {
    let table = table_of(table_name)?;
    let Some(spec) = keys::find(table, key) else {
        return Err(Refused(format!(
            "`{}` is not a key of {}",
            clean(key),
            table.header()
        )));
    };
    if matches!(spec.value, Kind::Table | Kind::Entries) {
        return Err(Refused(format!("`{key}` is a table, not a value")));
    }
    let new = written(spec.value, given);
    let entry = target(doc, table, index)?;
    // A target market has a country or a region, never both.
    let mut decor = None;
    if table == Table::Target {
        let other = if key == "country" {
            "region"
        } else {
            "country"
        };
        if let Some(Item::Value(old)) = entry.remove(other) {
            decor = Some(old.decor().clone());
        }
    }
    let Some(mut new) = new else {
        // Emptied: a placeholder where the key is needed, else nothing.
        let table_word = match table {
            Table::Root => "",
            Table::Proposal => "proposal",
            Table::Partner => "partner",
            Table::Target => "target",
        };
        if spec.required || reads(table_word, key) || table == Table::Target {
            let placeholder = if spec.value == Kind::WordList(keys::Words::Action) {
                Value::Array(Array::new())
            } else {
                Value::from("")
            };
            put(entry, key, placeholder, decor);
        } else {
            entry.remove(key);
        }
        return Ok(());
    };
    if let Some(d) = decor {
        *new.decor_mut() = d;
    }
    put(entry, key, new, None);
    Ok(())
}

/// Sets `key` to `new`, keeping the old value's spacing and comment.
fn put(entry: &mut dyn TableLike, key: &str, mut new: Value, decor: Option<toml_edit::Decor>) {
    match entry.get_mut(key) {
        Some(Item::Value(old)) => {
            *new.decor_mut() = old.decor().clone();
            *old = new;
        }
        _ => {
            if let Some(d) = decor {
                *new.decor_mut() = d;
            }
            entry.insert(key, Item::Value(new));
        }
    }
}

/// How a field's input is written for a key of `kind`; `None` for an
/// emptied field.
fn written(kind: Kind, given: &serde_json::Value) -> Option<Value> {
    use serde_json::Value as J;
    let text = match given {
        J::Null => return None,
        J::Bool(b) => return Some(Value::from(*b)),
        J::Number(n) => n.to_string(),
        J::String(s) => s.clone(),
        J::Array(items) => {
            let words: Vec<String> = items
                .iter()
                .filter_map(|i| i.as_str().map(str::to_string))
                .collect();
            if words.is_empty() {
                return None;
            }
            return Some(Value::Array(words.iter().map(String::as_str).collect()));
        }
        J::Object(_) => return None,
    };
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return None;
    }
    match kind {
        Kind::Whole | Kind::Amount => match trimmed.parse::<Value>() {
            Ok(mut number @ (Value::Integer(_) | Value::Float(_))) => {
                number.decor_mut().clear();
                Some(number)
            }
            _ => Some(Value::from(text.as_str())),
        },
        Kind::Boolean => match trimmed {
            "true" => Some(Value::from(true)),
            "false" => Some(Value::from(false)),
            _ => Some(Value::from(text.as_str())),
        },
        Kind::WordList(_) => Some(Value::Array(
            trimmed
                .split(',')
                .map(str::trim)
                .filter(|w| !w.is_empty())
                .collect(),
        )),
        _ => Some(Value::from(text.as_str())),
    }
}

/// The largest position of any table, for placing a new one last.
fn last_position(table: &toml_edit::Table) -> isize {
    let mut max = table.position().unwrap_or(0);
    for (_, item) in table.iter() {
        match item {
            Item::Table(t) => max = max.max(last_position(t)),
            Item::ArrayOfTables(list) => {
                for t in list.iter() {
                    max = max.max(last_position(t));
                }
            }
            _ => {}
        }
    }
    max
}

fn add(doc: &mut DocumentMut, table_name: &str, reads: Reads<'_>) -> Result<(), Refused> {
    let table = table_of(table_name)?;
    let mut new = toml_edit::Table::new();
    new.decor_mut().set_prefix("\n");
    match table {
        Table::Partner => {
            new.insert("short_name", value(""));
            new.insert("name", value(""));
            new.insert("role", value("partner"));
            for key in ["country", "type", "eccp"] {
                if key == "country" || reads("partner", key) {
                    new.insert(key, value(""));
                }
            }
        }
        Table::Target => {
            new.insert("country", value(""));
        }
        _ => {
            return Err(Refused(format!(
                "entries are added to [[partner]] and [[target]], not to `{table_name}`"
            )))
        }
    }
    let position = match doc.get(table_name) {
        Some(Item::ArrayOfTables(list)) => list.iter().filter_map(|t| t.position()).max(),
        None => None,
        Some(_) => {
            return Err(Refused(format!(
                "`{table_name}` is not written as [[{table_name}]] tables here: edit it in the text view"
            )))
        }
    };
    // After the last entry of its kind (a stable sort keeps it after it),
    // else after every table.
    new.set_position(Some(
        position.unwrap_or_else(|| last_position(doc.as_table()) + 1),
    ));
    let list = doc
        .as_table_mut()
        .entry(table_name)
        .or_insert_with(|| Item::ArrayOfTables(ArrayOfTables::new()));
    match list {
        Item::ArrayOfTables(list) => {
            list.push(new);
            Ok(())
        }
        _ => Err(Refused(format!("`{table_name}` cannot take entries here"))),
    }
}

fn remove(doc: &mut DocumentMut, table_name: &str, index: usize) -> Result<(), Refused> {
    table_of(table_name)?;
    let Some(Item::ArrayOfTables(list)) = doc.get_mut(table_name) else {
        return Err(Refused(format!(
            "there is no [[{}]] number {}",
            clean(table_name),
            index + 1
        )));
    };
    if index >= list.len() {
        return Err(Refused(format!(
            "there is no [[{table_name}]] number {}",
            index + 1
        )));
    }
    list.remove(index);
    if list.is_empty() {
        doc.remove(table_name);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const TEXT: &str = "# Our consortium.\ncall = \"COS-CLUSINT-2020-3-01\"\n\n[proposal]\nacronym = \"\"  # required: the acronym\nduration_months = 24\n\n# The coordinator.\n[[partner]]\nshort_name = \"A\"\ncountry = \"DE\"  # where it is established\n\n# The second.\n[[partner]]\nshort_name = \"B\"\n\n[[target]]\ncountry = \"JP\"\n";

    fn none(_: &str, _: &str) -> bool {
        false
    }

    fn set(text: &str, table: &str, index: usize, key: &str, v: serde_json::Value) -> String {
        let edit = Edit::Set {
            table: table.into(),
            index,
            key: key.into(),
            value: v,
        };
        apply(text, &edit, &none).unwrap()
    }

    #[test]
    fn a_value_replaced_keeps_its_comment_and_the_rest_of_the_file() {
        let out = set(TEXT, "partner", 0, "country", json!("Germany"));
        assert_eq!(
            out,
            TEXT.replace("country = \"DE\"", "country = \"Germany\"")
        );
        let out = set(TEXT, "proposal", 0, "acronym", json!("AGRI4i"));
        assert!(out.contains("acronym = \"AGRI4i\"  # required: the acronym\n"));
    }

    #[test]
    fn numbers_are_written_as_typed_and_anything_else_as_text() {
        let out = set(TEXT, "proposal", 0, "requested_grant_eur", json!("450.000"));
        assert!(out.contains("requested_grant_eur = 450.000\n"), "{out}");
        let out = set(TEXT, "proposal", 0, "duration_months", json!("2 years"));
        assert!(out.contains("duration_months = \"2 years\"\n"), "{out}");
        let out = set(TEXT, "partner", 1, "legal_entity", json!(false));
        assert!(
            out.contains("short_name = \"B\"\nlegal_entity = false\n"),
            "{out}"
        );
        let out = set(TEXT, "proposal", 0, "actions", json!(["preparatory"]));
        assert!(out.contains("actions = [\"preparatory\"]"), "{out}");
    }

    #[test]
    fn an_emptied_field_is_a_placeholder_where_needed_and_removed_elsewhere() {
        let out = set(TEXT, "proposal", 0, "duration_months", json!(""));
        assert!(!out.contains("duration_months"), "{out}");
        let reads = |t: &str, k: &str| t == "proposal" && k == "duration_months";
        let edit = Edit::Set {
            table: "proposal".into(),
            index: 0,
            key: "duration_months".into(),
            value: json!(null),
        };
        let out = apply(TEXT, &edit, &reads).unwrap();
        assert!(out.contains("duration_months = \"\"\n"), "{out}");
    }

    #[test]
    fn a_target_has_a_country_or_a_region() {
        let out = set(TEXT, "target", 0, "region", json!("Mercosur"));
        assert!(
            out.ends_with("[[target]]\nregion = \"Mercosur\"\n"),
            "{out}"
        );
    }

    #[test]
    fn entries_are_added_after_their_kind_and_removed_with_their_comments() {
        let out = apply(
            TEXT,
            &Edit::Add {
                table: "partner".into(),
            },
            &none,
        )
        .unwrap();
        let added = out.find("short_name = \"\"").unwrap();
        assert!(added > out.find("short_name = \"B\"").unwrap());
        assert!(added < out.find("[[target]]").unwrap(), "{out}");
        let out = apply(
            TEXT,
            &Edit::Remove {
                table: "partner".into(),
                index: 0,
            },
            &none,
        )
        .unwrap();
        assert!(
            !out.contains("The coordinator") && !out.contains("\"A\""),
            "{out}"
        );
        assert!(out.contains("# The second.\n[[partner]]\nshort_name = \"B\""));
        let out = apply(
            "call = \"X\"\n",
            &Edit::Add {
                table: "target".into(),
            },
            &none,
        )
        .unwrap();
        assert_eq!(out, "call = \"X\"\n\n[[target]]\ncountry = \"\"\n");
    }

    #[test]
    fn edits_of_what_is_not_there_are_refused() {
        let edit = Edit::Set {
            table: "partner".into(),
            index: 9,
            key: "country".into(),
            value: json!("DE"),
        };
        assert!(apply(TEXT, &edit, &none).is_err());
        let edit = Edit::Set {
            table: "partner".into(),
            index: 0,
            key: "colour".into(),
            value: json!("DE"),
        };
        assert!(apply(TEXT, &edit, &none).is_err());
        assert!(apply(
            "call = ",
            &Edit::Add {
                table: "partner".into()
            },
            &none
        )
        .is_err());
    }
}
