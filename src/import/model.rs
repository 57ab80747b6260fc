//! The sheets of a workbook to the parts of a consortium file: the
//! proposal's fields (a `Proposal` sheet of labels and values), the
//! applicants (a partner list, its columns found by their header wherever
//! the header row is) and the target markets (a `Targets` list).

use super::cell::{CellRef, Diagnostic, Sheet, Value};
use super::values::{self, Converted, Kind, Out};
use super::vocabulary::{Place, Set, Vocabulary};

/// One key's value, and the cell it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub key: &'static str,
    /// `None`: the cell is empty or could not be used (see `failed`).
    pub value: Option<Out>,
    pub from: Option<CellRef>,
    /// What the cell held, where it could not be used.
    pub failed: Option<String>,
}

/// One `[[partner]]` or `[[target]]`: its row and fields.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub row: CellRef,
    /// The partner's PIC (participant identification code), if the list
    /// has one: written in the comment above the entry.
    pub pic: Option<String>,
    pub fields: Vec<Field>,
}

impl Entry {
    pub fn field(&self, key: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.key == key)
    }
}

/// The partner keys and the kind of value each column holds; `role` also
/// comes from a yes/no `coordinator` column.
fn partner_kind(field: &str) -> Option<Kind> {
    Some(match field {
        "short_name" | "name" | "pic" => Kind::Text,
        "role" => Kind::Word(Set::Role),
        "coordinator" | "defence_related" | "legal_entity" => Kind::Boolean,
        "country" => Kind::Country,
        "type" => Kind::Word(Set::Type),
        "eccp" => Kind::Word(Set::Eccp),
        "sme_members" => Kind::Whole { months: false },
        _ => return None,
    })
}

fn proposal_kind(field: &str) -> Option<Kind> {
    Some(match field {
        "call" | "strand" | "acronym" | "title" => Kind::Text,
        "duration_months" => Kind::Whole { months: true },
        "requested_grant_eur" | "total_costs_eur" | "third_party_support_eur" => Kind::Amount,
        "actions" => Kind::Actions,
        _ => return None,
    })
}

/// The columns of a list: the header row, and each known field's column.
#[derive(Debug, Clone)]
pub struct Columns {
    pub header_row: usize,
    pub fields: Vec<(&'static str, usize)>,
}

/// How many rows from the top the header row may be.
const HEADER_SEARCH: usize = 30;

/// Finds the header row of a list: among the first rows, the one that
/// names the most known fields (at least `min`). Reports the headers it
/// does not know (with did-you-mean) and the columns it ignores.
pub fn columns(
    sheet: &Sheet,
    place: Place,
    min: usize,
    diags: &mut Vec<Diagnostic>,
) -> Option<Columns> {
    let vocabulary = Vocabulary::get();
    let mut best: Option<(usize, usize)> = None;
    for (r, row) in sheet.rows.iter().enumerate().take(HEADER_SEARCH) {
        let mut fields: Vec<&str> = row
            .iter()
            .filter_map(|v| match v {
                Value::Text(t) => vocabulary.header(place, t),
                _ => None,
            })
            .collect();
        fields.sort_unstable();
        fields.dedup();
        if fields.len() >= min && best.is_none_or(|(_, n)| fields.len() > n) {
            best = Some((r, fields.len()));
        }
    }
    let (header_row, _) = best?;
    let mut out = Columns {
        header_row,
        fields: Vec::new(),
    };
    let mut ignored: Vec<String> = Vec::new();
    let width = sheet.width();
    for col in 0..width {
        let header = sheet.get(header_row, col);
        let cell = sheet.cell(header_row, col);
        let text = header.as_text().unwrap_or_default();
        if text.is_empty() {
            let has_data =
                (header_row + 1..sheet.rows.len()).any(|r| !sheet.get(r, col).is_empty());
            if has_data {
                ignored.push(format!(
                    "column {} (no header)",
                    cell.column_letters().unwrap_or_default()
                ));
            }
            continue;
        }
        let shown = crate::text::clean(&text);
        match vocabulary.header(place, &text) {
            Some(field) if out.fields.iter().any(|(f, _)| *f == field) => {
                let first = out
                    .fields
                    .iter()
                    .find(|(f, _)| *f == field)
                    .map(|(_, c)| *c)
                    .unwrap_or(0);
                diags.push(
                    Diagnostic::warning(
                        "duplicate-column",
                        format!(
                            "column \"{shown}\" is a second column of {}: only the first ({}) is read",
                            field_name(field),
                            sheet.cell(header_row, first)
                        ),
                    )
                    .help("delete or rename one of the two columns")
                    .at(cell),
                );
            }
            Some(field) => out.fields.push((field, col)),
            None if vocabulary.is_ignored(place, &text) => {
                ignored.push(format!("\"{shown}\" ({cell})"))
            }
            None => match vocabulary.closest_header(place, &text) {
                Some(field) => diags.push(
                    Diagnostic::warning(
                        "unknown-column",
                        format!("column \"{shown}\" is not one escp knows; it was ignored"),
                    )
                    .help(format!(
                        "did you mean {}? Rename the header to import the column",
                        field_name(field)
                    ))
                    .at(cell),
                ),
                None => ignored.push(format!("\"{shown}\" ({cell})")),
            },
        }
    }
    if !ignored.is_empty() {
        diags.push(
            Diagnostic::note(
                "ignored-columns",
                format!(
                    "{} of sheet \"{}\" not imported: {}",
                    if ignored.len() == 1 {
                        "one column"
                    } else {
                        "columns"
                    },
                    crate::text::clean(&sheet.name),
                    ignored.join(", ")
                ),
            )
            .help("docs/spreadsheets.md lists the headers escp reads")
            .at(sheet.row_ref(header_row)),
        );
    }
    Some(out)
}

/// The header people read for a field ("Country", "Legal name").
pub fn field_name(field: &str) -> &'static str {
    match field {
        "short_name" => "\"Short name\"",
        "name" => "\"Legal name\"",
        "role" => "\"Role\"",
        "coordinator" => "\"Coordinator\"",
        "country" => "\"Country\"",
        "type" => "\"Type\"",
        "eccp" => "\"ECCP\"",
        "defence_related" => "\"Defence-related\"",
        "legal_entity" => "\"Legal entity\"",
        "sme_members" => "\"SME members\"",
        "pic" => "\"PIC\"",
        "region" => "\"Region\"",
        "call" => "\"Call\"",
        "strand" => "\"Strand\"",
        "acronym" => "\"Acronym\"",
        "title" => "\"Title\"",
        "duration_months" => "\"Duration (months)\"",
        "requested_grant_eur" => "\"Requested grant (EUR)\"",
        "total_costs_eur" => "\"Total costs (EUR)\"",
        "third_party_support_eur" => "\"Third-party support (EUR)\"",
        "actions" => "\"Actions\"",
        _ => "a known column",
    }
}

fn field(
    key: &'static str,
    kind: Kind,
    sheet: &Sheet,
    row: usize,
    col: usize,
    diags: &mut Vec<Diagnostic>,
) -> Field {
    let cell = sheet.cell(row, col);
    let (value, failed) = match values::convert(kind, sheet.get(row, col), &cell, key, diags) {
        Converted::Empty => (None, None),
        Converted::Value(v) => (Some(v), None),
        Converted::Failed(shown) => (None, Some(shown)),
    };
    Field {
        key,
        value,
        from: Some(cell),
        failed,
    }
}

/// The applicants of a partner list, one per row below the header that
/// has a value in a known column. A row with values but no name, short
/// name or country (a total, a footnote) is skipped, with a note.
pub fn partners(sheet: &Sheet, columns: &Columns, diags: &mut Vec<Diagnostic>) -> Vec<Entry> {
    let mut out = Vec::new();
    let mut skipped: Vec<String> = Vec::new();
    for row in columns.header_row + 1..sheet.rows.len() {
        let used = columns
            .fields
            .iter()
            .any(|(_, col)| !sheet.get(row, *col).is_empty());
        if !used {
            continue;
        }
        // An applicant has a legal name or a country; a row with neither
        // ("Total", a footnote) is not one.
        let given = |f: &str| {
            columns
                .fields
                .iter()
                .any(|(k, col)| *k == f && !sheet.get(row, *col).is_empty())
        };
        let applicant = given("name") || given("country");
        if !applicant {
            skipped.push((row + 1).to_string());
            continue;
        }
        let mut entry = Entry {
            row: sheet.row_ref(row),
            pic: None,
            fields: Vec::new(),
        };
        let mut coordinator: Option<Field> = None;
        for &(key, col) in &columns.fields {
            let Some(kind) = partner_kind(key) else {
                continue;
            };
            let f = field(key, kind, sheet, row, col, diags);
            match key {
                "pic" => {
                    entry.pic = match f.value {
                        Some(Out::Text(t)) => Some(t),
                        _ => None,
                    }
                }
                "coordinator" => coordinator = Some(f),
                _ => entry.fields.push(f),
            }
        }
        // A yes/no "Coordinator" column gives the role where no role is written.
        if let Some(c) = coordinator {
            let role_given = entry.field("role").is_some_and(|f| f.value.is_some());
            if !role_given {
                entry.fields.retain(|f| f.key != "role");
                entry.fields.push(Field {
                    key: "role",
                    value: match c.value {
                        Some(Out::Bool(true)) => Some(Out::Text("coordinator".into())),
                        Some(Out::Bool(false)) => Some(Out::Text("partner".into())),
                        _ => None,
                    },
                    from: c.from,
                    failed: c.failed,
                });
            }
        }
        out.push(entry);
    }
    if !skipped.is_empty() {
        diags.push(
            Diagnostic::note(
                "skipped-rows",
                format!(
                    "{} of sheet \"{}\" ({}) {} values but no legal name nor country: not imported as applicants",
                    if skipped.len() == 1 { "one row" } else { "rows" },
                    crate::text::clean(&sheet.name),
                    skipped.join(", "),
                    if skipped.len() == 1 { "has" } else { "have" }
                ),
            )
            .at(sheet.row_ref(skipped[0].parse::<usize>().unwrap_or(1) - 1)),
        );
    }
    out
}

/// The target markets of a `Targets` list: a `Country` or `Region` per
/// row. A single "Target market" column whose value is no country but a
/// known region is read as the region.
pub fn targets(sheet: &Sheet, columns: &Columns, diags: &mut Vec<Diagnostic>) -> Vec<Entry> {
    let mut out = Vec::new();
    let col = |f: &str| {
        columns
            .fields
            .iter()
            .find(|(k, _)| *k == f)
            .map(|(_, c)| *c)
    };
    let (country, region) = (col("country"), col("region"));
    for row in columns.header_row + 1..sheet.rows.len() {
        let mut entry = Entry {
            row: sheet.row_ref(row),
            pic: None,
            fields: Vec::new(),
        };
        if let Some(c) = country.filter(|c| !sheet.get(row, *c).is_empty()) {
            let mut f = field("country", Kind::Country, sheet, row, c, diags);
            if let Some(Out::Text(t)) = &f.value {
                let is_code = crate::countries::Countries::get().code(t).is_some();
                let region_empty = region.is_none_or(|r| sheet.get(row, r).is_empty());
                if !is_code
                    && region_empty
                    && crate::ruleset::regions::Regions::get().find(t).is_some()
                {
                    f.key = "region";
                }
            }
            entry.fields.push(f);
        }
        if let Some(r) = region.filter(|r| !sheet.get(row, *r).is_empty()) {
            entry
                .fields
                .push(field("region", Kind::Text, sheet, row, r, diags));
        }
        if !entry.fields.is_empty() {
            out.push(entry);
        }
    }
    out
}

/// The fields of a `Proposal` sheet: rows of a label and, to its right,
/// its value. Labels escp does not know are reported when they have a value.
pub fn proposal(sheet: &Sheet, diags: &mut Vec<Diagnostic>) -> Vec<Field> {
    let vocabulary = Vocabulary::get();
    let mut out: Vec<Field> = Vec::new();
    for (row, cells) in sheet.rows.iter().enumerate() {
        let Some(col) = cells.iter().position(|v| !v.is_empty()) else {
            continue;
        };
        let Value::Text(label) = &cells[col] else {
            continue;
        };
        let value_empty = sheet.get(row, col + 1).is_empty();
        match vocabulary.header(Place::Proposal, label) {
            Some(key) if out.iter().any(|f| f.key == key) => {
                if !value_empty {
                    diags.push(
                        Diagnostic::warning(
                            "duplicate-field",
                            format!(
                                "{} appears twice: only its first row is read",
                                field_name(key)
                            ),
                        )
                        .at(sheet.cell(row, col)),
                    );
                }
            }
            Some(key) => {
                let kind = proposal_kind(key).unwrap_or(Kind::Text);
                out.push(field(key, kind, sheet, row, col + 1, diags));
            }
            None if value_empty || vocabulary.is_ignored(Place::Proposal, label) => {}
            None => {
                let shown = crate::text::clean(label);
                let d = Diagnostic::warning(
                    "unknown-field",
                    format!("\"{shown}\" is not a field escp knows; its row was ignored"),
                )
                .at(sheet.cell(row, col));
                diags.push(match vocabulary.closest_header(Place::Proposal, label) {
                    Some(key) => d.help(format!("did you mean {}?", field_name(key))),
                    None => d.help("docs/spreadsheets.md lists the fields of the Proposal sheet"),
                });
            }
        }
    }
    out
}
