//! Fuzz target: `escp import` on any bytes, in memory.
//!
//! The first byte chooses how the rest is read: as the file's own bytes
//! say (detection), or as CSV, XLSX, XLS or ODS regardless; and whether
//! the call and strand are given. The rest is the spreadsheet. Besides
//! panics (and hangs and runaway allocations, which libFuzzer reports), the
//! target aborts when an import that succeeds writes text that is not
//! TOML, when a cell named by a diagnostic lies beyond the bounds the
//! import reads, or when the check of the written text fails the
//! invariants of the `check` target (spans inside the file, JSON that
//! parses, exit code 0, 1 or 2).
//!
//! Seed it with the spreadsheets of tests/fixtures/spreadsheets and
//! examples/partners.csv; run it as docs/fuzzing.md says.

#![no_main]

use escp::import::{self, guard, Kind, Options};
use escp::pipeline::{self, Options as CheckOptions};
use escp::report::{self, RunInfo};
use escp::ruleset::Catalog;
use escp::source::SourceFile;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| Catalog::new(&[]).expect("the embedded catalog loads"))
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, bytes)) = data.split_first() else {
        return;
    };
    let kind = match mode % 5 {
        0 => None,
        1 => Some(Kind::Csv),
        2 => Some(Kind::Xlsx),
        3 => Some(Kind::Xls),
        _ => Some(Kind::Ods),
    };
    let options = if mode & 0x80 != 0 {
        Options {
            sheet: None,
            call: Some("COS-CLUSINT-2020-3-01"),
            strand: Some("A"),
        }
    } else {
        Options::default()
    };
    let result = match import::import(bytes, "fuzz.xlsx", kind, &options, catalog()) {
        Ok(result) => result,
        Err(error) => {
            assert_eq!(error.severity, import::Severity::Error);
            return;
        }
    };
    for d in &result.diagnostics {
        if let Some(cell) = &d.cell {
            assert!(cell.row < guard::MAX_ROWS, "{d}");
            assert!(cell.column.is_none_or(|c| c < guard::MAX_COLUMNS), "{d}");
        }
    }
    if let Err(e) = result.toml.parse::<toml::Table>() {
        panic!("the import wrote text that is not TOML: {e}\n{}", result.toml);
    }
    let clock = escp::clock::Clock::from_args(None, Some(jiff::civil::date(2020, 11, 1)));
    let file = pipeline::check(
        SourceFile::new("fuzz.toml", &result.toml),
        catalog(),
        CheckOptions { clock },
    );
    let len = file.source.text.len();
    for f in &file.findings {
        let span = &f.primary.span;
        assert!(span.start <= span.end && span.end <= len, "{span:?} outside {len}");
        assert!(result.cell_at(span.start).is_none_or(|c| c.row < guard::MAX_ROWS));
    }
    let run = RunInfo { deny_warnings: false };
    let reports = [file];
    assert!(report::exit_code(&reports, run) <= 2);
    let json = import::json::result(&result, &reports[0], run);
    assert!(json["report"]["version"] == 1, "{json}");
});
