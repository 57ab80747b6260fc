//! The import's result as data: `escp import --format json` prints it, and
//! the web workbench answers `POST /api/import` with it:
//!
//! ```json
//! { "version": 1, "toml": "...", "diagnostics": [ { "severity": "warning",
//!   "code": "unknown-column", "message": "...", "help": "...",
//!   "cell": "Partners!F3", "sheet": "Partners", "row": 3, "column": "F" } ],
//!   "report": { ... } }
//! ```
//!
//! `report` is the check's JSON report of the written text (as `escp check
//! --format json` gives it), each of its diagnostics with the `cell` (or
//! row, `Partners!5:5`) its value came from, where known. Where nothing
//! could be imported, `toml` and `report` are null.

use super::{CellRef, Diagnostic, Import};
use crate::pipeline::FileReport;
use crate::report::RunInfo;
use serde_json::{json, Value};

/// One import diagnostic as JSON.
pub fn diagnostic(d: &Diagnostic) -> Value {
    let cell = d.cell.as_ref();
    json!({
        "severity": d.severity,
        "code": d.code,
        "message": d.message,
        "help": d.help,
        "cell": cell.map(CellRef::to_string),
        "sheet": cell.map(|c| crate::text::escape(&c.sheet)),
        "row": cell.map(CellRef::row_number),
        "column": cell.and_then(CellRef::column_letters),
    })
}

/// The whole result: the text, the import's diagnostics and the check's
/// report (with cells).
pub fn result(import: &Import, report: &FileReport, run: RunInfo) -> Value {
    let mut bytes = Vec::new();
    let report_json =
        match crate::report::json::write(&mut bytes, std::slice::from_ref(report), run) {
            Ok(()) => serde_json::from_slice::<Value>(&bytes).unwrap_or(Value::Null),
            Err(_) => Value::Null,
        };
    let mut report_json = report_json;
    if let Some(diags) = report_json
        .pointer_mut("/files/0/diagnostics")
        .and_then(Value::as_array_mut)
    {
        for (d, finding) in diags.iter_mut().zip(&report.findings) {
            if let (Some(obj), Some(cell)) = (
                d.as_object_mut(),
                import.cell_at(finding.primary.span.start),
            ) {
                obj.insert("cell".into(), Value::String(cell.to_string()));
            }
        }
    }
    json!({
        "version": 1,
        "toml": import.toml,
        "diagnostics": import.diagnostics.iter().map(diagnostic).collect::<Vec<_>>(),
        "report": report_json,
    })
}

/// The result when nothing could be imported.
pub fn failure(error: &Diagnostic) -> Value {
    json!({
        "version": 1,
        "toml": Value::Null,
        "diagnostics": [diagnostic(error)],
        "report": Value::Null,
    })
}

/// The check's findings with the cell of each named in its message
/// ("... (Partners!D5)"), for the human report.
pub fn name_cells(import: &Import, report: &mut FileReport) {
    for finding in &mut report.findings {
        if let Some(cell) = import.cell_at(finding.primary.span.start) {
            finding.message = format!("{} (from {cell})", finding.message);
        }
    }
}

/// The whole of an import for a caller that only wants the JSON (the web
/// workbench's `POST /api/import`): imports the bytes, checks the written
/// text under `name` (`<workbench>`, say) and returns the document of
/// [`result`], or of [`failure`] when nothing could be imported, with the
/// exit code `escp import` would give.
pub fn api(
    bytes: &[u8],
    file_name: &str,
    options: &super::Options<'_>,
    catalog: &crate::ruleset::Catalog,
    check: crate::pipeline::Options,
    name: &str,
) -> (Value, u8) {
    let imported = match super::import(bytes, file_name, None, options, catalog) {
        Ok(i) => i,
        Err(e) => return (failure(&e), 2),
    };
    let mut report = crate::pipeline::check(
        crate::source::SourceFile::new(name, &imported.toml),
        catalog,
        check,
    );
    crate::pipeline::across_files(std::slice::from_mut(&mut report));
    let run = RunInfo {
        deny_warnings: false,
    };
    let mut code = crate::report::exit_code(std::slice::from_ref(&report), run);
    if imported.has_errors() {
        code = code.max(1);
    }
    (result(&imported, &report, run), code)
}
