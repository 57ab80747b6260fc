//! Spreadsheets in: a partner list or a whole workbook (CSV, XLSX, XLS,
//! ODS) to a consortium file, for `escp import` and the web workbench.
//!
//! [`import`] is the one entry point: it takes the file's bytes, its name
//! and the options, and returns the TOML text with the import's own
//! diagnostics, each at its cell. It reads no file, writes none and prints
//! nothing; the caller checks the text ([`crate::pipeline::check`]) and
//! may name the cells of the check's findings with [`Import::cell_at`].
//!
//! The parts: [`read`] (bytes to sheets, behind [`guard`]), [`vocabulary`]
//! (the headers and words understood), [`model`] (sheets to the file's
//! parts), [`values`] (cells to values), [`write`] (the TOML text).

pub mod cell;
pub mod guard;
pub mod json;
pub mod model;
pub mod read;
pub mod values;
pub mod vocabulary;
pub mod write;

pub use cell::{CellRef, Diagnostic, Severity};
pub use read::Kind;

use crate::ruleset::Catalog;
use crate::template::Requirements;
use model::Field;
use values::Out;
use vocabulary::{Place, Vocabulary};

/// What the caller chooses.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options<'a> {
    /// The sheet holding the partner list (default: a sheet named
    /// `Partners` or so, else the first sheet with a partner list's headers).
    pub sheet: Option<&'a str>,
    /// The call (overrides a `Proposal` sheet's).
    pub call: Option<&'a str>,
    /// The strand (overrides a `Proposal` sheet's).
    pub strand: Option<&'a str>,
}

/// A spreadsheet imported: the consortium file's text and what the import
/// found, at its cells.
#[derive(Debug, Clone)]
pub struct Import {
    pub toml: String,
    pub diagnostics: Vec<Diagnostic>,
    /// The sheet the partners were read from.
    pub sheet: String,
    pub partners: usize,
    pub targets: usize,
    /// Whether the workbook gave the whole file (a `Proposal` sheet), not
    /// only a partner list.
    pub whole: bool,
    origins: write::Origins,
}

impl Import {
    /// The cell (or row) that the text at byte `offset` of [`Import::toml`]
    /// came from, for a finding of the check at that offset.
    pub fn cell_at(&self, offset: usize) -> Option<&CellRef> {
        self.origins.at(offset)
    }

    /// Whether an import diagnostic is an error (a value left out).
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }
}

/// Imports a spreadsheet. `name` is its file name (for the kind its
/// extension says, a CSV's sheet name and the header comment); `kind`
/// overrides what the bytes and the name say. `Err` is the reason nothing
/// could be imported (a damaged, encrypted or oversized file, no partner
/// list): the command's exit code 2.
pub fn import(
    bytes: &[u8],
    name: &str,
    kind: Option<Kind>,
    options: &Options<'_>,
    catalog: &Catalog,
) -> Result<Import, Diagnostic> {
    let refused = |r: guard::Refused| {
        Diagnostic::error("unreadable", r.message)
            .help(r.help)
            .at_opt(r.sheet.zip(r.at).map(|(sheet, (row, col))| CellRef {
                sheet,
                row,
                column: Some(col),
            }))
    };
    let hint = kind.or_else(|| Kind::from_name(name));
    let kind = match kind {
        Some(k) => k,
        None => Kind::detect(bytes, hint).map_err(refused)?,
    };
    let mut diags = Vec::new();
    let mut book = read::open(bytes, name, kind, &mut diags).map_err(refused)?;
    let names: Vec<String> = book.sheet_names().to_vec();
    let vocabulary = Vocabulary::get();
    let by_place = |place: Place| {
        names
            .iter()
            .find(|n| vocabulary.sheet(n) == Some(place))
            .cloned()
    };

    // The partner list: the sheet named, a sheet called Partners, or the
    // first sheet with a partner list's headers.
    let mut partner_sheet = None;
    if let Some(wanted) = options.sheet {
        let found = names
            .iter()
            .find(|n| *n == wanted)
            .or_else(|| {
                names
                    .iter()
                    .find(|n| vocabulary::fold(n) == vocabulary::fold(wanted))
            })
            .cloned();
        let Some(found) = found else {
            return Err(Diagnostic::error(
                "no-such-sheet",
                format!(
                    "the workbook has no sheet \"{}\"",
                    crate::text::clean(wanted)
                ),
            )
            .help(format!("its sheets are: {}", shown_list(&names))));
        };
        partner_sheet = Some(book.sheet(&found).map_err(refused)?);
    } else if names.len() == 1 {
        partner_sheet = Some(book.sheet(&names[0]).map_err(refused)?);
    } else if let Some(found) = by_place(Place::Partner) {
        partner_sheet = Some(book.sheet(&found).map_err(refused)?);
    } else {
        for n in names.iter().take(50) {
            if vocabulary.sheet(n).is_some() {
                continue;
            }
            let sheet = book.sheet(n).map_err(refused)?;
            if model::columns(&sheet, Place::Partner, 2, &mut Vec::new()).is_some() {
                partner_sheet = Some(sheet);
                break;
            }
        }
    }
    let Some(sheet) = partner_sheet else {
        return Err(Diagnostic::error(
            "no-partner-list",
            "no sheet of the file has a partner list: escp looks for a header row naming at least two columns, such as Name and Country",
        )
        .help(format!(
            "name the columns (Short name, Legal name, Role, Country, Type, ECCP, ...: docs/spreadsheets.md lists them), or choose the sheet with --sheet; the sheets are: {}",
            shown_list(&names)
        )));
    };
    let Some(columns) = model::columns(&sheet, Place::Partner, 2, &mut diags) else {
        let first = sheet
            .rows
            .iter()
            .find(|r| r.iter().any(|v| !v.is_empty()))
            .map(|r| {
                r.iter()
                    .filter_map(|v| v.as_text())
                    .filter(|t| !t.is_empty())
                    .map(|t| format!("\"{}\"", crate::text::clean(&t)))
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default();
        return Err(Diagnostic::error(
            "no-header-row",
            format!(
                "sheet \"{}\" has no header row escp knows in its first rows: it looks for a row naming at least two columns, such as Name and Country",
                crate::text::clean(&sheet.name)
            ),
        )
        .help(if first.is_empty() {
            "the sheet is empty".to_string()
        } else {
            format!("its first row reads {first}; docs/spreadsheets.md lists the headers escp reads")
        })
        .at(sheet.row_ref(0)));
    };
    let partners = model::partners(&sheet, &columns, &mut diags);

    // The rest of a whole workbook.
    let proposal_name = by_place(Place::Proposal).filter(|n| *n != sheet.name);
    let proposal = match &proposal_name {
        Some(n) => model::proposal(&book.sheet(n).map_err(refused)?, &mut diags),
        None => Vec::new(),
    };
    let targets_name = by_place(Place::Target).filter(|n| *n != sheet.name);
    let mut targets = Vec::new();
    if let Some(n) = &targets_name {
        let t = book.sheet(n).map_err(refused)?;
        match model::columns(&t, Place::Target, 1, &mut diags) {
            Some(cols) => targets = model::targets(&t, &cols, &mut diags),
            None if t.rows.iter().any(|r| r.iter().any(|v| !v.is_empty())) => diags.push(
                Diagnostic::warning(
                    "no-header-row",
                    format!(
                        "sheet \"{}\" has no Country or Region column: its rows were not read",
                        crate::text::clean(&t.name)
                    ),
                )
                .help("give its first row the headers Country and Region")
                .at(t.row_ref(0)),
            ),
            None => {}
        }
    }

    // The call and strand: the options, else the Proposal sheet.
    let given = |key: &str| proposal.iter().find(|f| f.key == key).cloned();
    let text_of = |f: &Option<Field>| match f.as_ref().and_then(|f| f.value.as_ref()) {
        Some(Out::Text(t)) => Some(t.clone()),
        _ => None,
    };
    let (call_field, strand_field) = (given("call"), given("strand"));
    for (option, field, what) in [
        (options.call, &call_field, "call"),
        (options.strand, &strand_field, "strand"),
    ] {
        if let (Some(o), Some(t), Some(f)) = (option, text_of(field), field) {
            if !o.trim().eq_ignore_ascii_case(t.trim()) {
                diags.push(
                    Diagnostic::note(
                        "option-overrides",
                        format!(
                            "the {what} given with --{what} ({}) replaces the sheet's ({})",
                            crate::text::clean(o),
                            crate::text::clean(&t)
                        ),
                    )
                    .at_opt(f.from.clone()),
                );
            }
        }
    }
    let call_written = options
        .call
        .map(str::to_string)
        .or_else(|| text_of(&call_field));
    let strand_written = options
        .strand
        .map(str::to_string)
        .or_else(|| text_of(&strand_field));
    let ruleset = call_written
        .as_deref()
        .and_then(|c| catalog.find(c).ok().flatten());
    let strand_index = match (&ruleset, &strand_written) {
        (Some(r), Some(s)) => r.strand_index(s),
        _ => None,
    };
    let call_id = match (&ruleset, &call_written) {
        (Some(r), _) => Some(r.id.clone()),
        (None, c) => c.clone(),
    };
    let strand_id = match (&ruleset, strand_index) {
        (Some(r), Some(i)) => Some(r.strands[i].id.clone()),
        _ => strand_written.clone(),
    };
    let needs = ruleset.as_deref().map(|call| Requirements {
        call,
        strand: strand_index,
    });
    let parts = write::Parts {
        file: name,
        call: call_field,
        strand: strand_field,
        proposal,
        partners,
        targets,
    };
    let written = write::write(&parts, needs, call_id.as_deref(), strand_id.as_deref());

    let whole = proposal_name.is_some();
    let rows = match (parts.partners.first(), parts.partners.last()) {
        (Some(a), Some(b)) if a.row != b.row => {
            format!(" (rows {} to {})", a.row.row_number(), b.row.row_number())
        }
        (Some(a), _) => format!(" (row {})", a.row.row_number()),
        _ => String::new(),
    };
    let mut read_note = format!(
        "read {} from sheet \"{}\"{rows}",
        crate::text::plural(parts.partners.len(), "applicant", "applicants"),
        crate::text::clean(&sheet.name),
    );
    if targets_name.is_some() {
        read_note.push_str(&format!(
            " and {} from sheet \"{}\"",
            crate::text::plural(parts.targets.len(), "target market", "target markets"),
            crate::text::clean(targets_name.as_deref().unwrap_or_default())
        ));
    }
    diags.insert(0, Diagnostic::note("read", read_note));
    if !written.placeholders.is_empty() {
        let mut still: Vec<String> = Vec::new();
        for p in &written.placeholders {
            let shown = p
                .replace("proposal.", "[proposal] ")
                .replace("partner.", "[[partner]] ")
                .replace("target.", "[[target]] ");
            still.push(shown);
        }
        let help = if whole {
            "fill them in the workbook and import it again, or in the written file".to_string()
        } else if call_id.is_none() {
            "import again with --call ID (and --strand S) for the call's own placeholders; `escp calls` lists the calls".to_string()
        } else {
            "the partner list gives the applicants; fill in the rest in the written file (or use the workbook template: escp init --format xlsx)".to_string()
        };
        diags.push(
            Diagnostic::note(
                "still-to-add",
                format!("still to fill in: {}", still.join(", ")),
            )
            .help(help),
        );
    }
    Ok(Import {
        toml: written.text,
        diagnostics: diags,
        sheet: sheet.name.clone(),
        partners: parts.partners.len(),
        targets: parts.targets.len(),
        whole,
        origins: written.origins,
    })
}

fn shown_list(names: &[String]) -> String {
    if names.is_empty() {
        return "(none)".into();
    }
    names
        .iter()
        .take(20)
        .map(|n| format!("\"{}\"", crate::text::clean(n)))
        .collect::<Vec<_>>()
        .join(", ")
}
