//! Fuzz target: the whole of `escp check` on any input, in memory.
//!
//! The input is one consortium file, or several separated by a form-feed
//! line (`\n\x0c\n`, at most four; the seed corpus has such a pair, and the
//! dictionary the separator), which are checked as one run, so that the
//! checks across files (`one-consortium`) compare them. Every reporter then
//! writes the run; the human one in colour or not, by the input's length
//! (rendering both would halve the executions per second). Besides
//! panics, the target aborts when a finding's span leaves the file, when the
//! JSON or SARIF output does not parse or puts a position outside the file,
//! or when an exit code is not 0, 1 or 2: the invariants of
//! `tests/properties.rs`.
//!
//! Run it as docs/fuzzing.md says.

#![no_main]

use escp::pipeline::{self, FileReport, Options};
use escp::report::{self, human, RunInfo};
use escp::ruleset::Catalog;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

const SEPARATOR: &[u8] = b"\n\x0c\n";
const MAX_FILES: usize = 4;

fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| Catalog::new(&[]).expect("the embedded catalog loads"))
}

/// Splits the input into the files of one run.
fn files(data: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut rest = data;
    while out.len() + 1 < MAX_FILES {
        match rest.windows(SEPARATOR.len()).position(|w| w == SEPARATOR) {
            Some(at) => {
                out.push(&rest[..at]);
                rest = &rest[at + SEPARATOR.len()..];
            }
            None => break,
        }
    }
    out.push(rest);
    out
}

fn render(write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>) -> String {
    let mut out = Vec::new();
    write(&mut out).expect("a reporter writes to memory without failing");
    String::from_utf8(out).expect("a reporter writes UTF-8")
}

fn spans_inside(r: &FileReport) {
    let text = &*r.source.text;
    for f in &r.findings {
        for label in std::iter::once(&f.primary).chain(&f.secondary) {
            let s = &label.span;
            assert!(
                s.start <= s.end
                    && s.end <= text.len()
                    && text.is_char_boundary(s.start)
                    && text.is_char_boundary(s.end),
                "{} finding {:?} has span {s:?} outside the text of {} bytes",
                f.rule.as_str(),
                f.message,
                text.len()
            );
        }
    }
}

/// Asserts that a 1-based line and column are inside `text`.
fn position_inside(text: &str, line: u64, column: u64, what: &str) {
    let widths: Vec<usize> = text.split('\n').map(|l| l.chars().count()).collect();
    assert!(
        line >= 1 && line as usize <= widths.len(),
        "{what}: line {line} of a file of {} lines",
        widths.len()
    );
    let width = widths[line as usize - 1];
    assert!(
        column >= 1 && column as usize <= width + 1,
        "{what}: column {column} of line {line}, which has {width} characters"
    );
}

fn number(v: &serde_json::Value, key: &str) -> u64 {
    v[key]
        .as_u64()
        .unwrap_or_else(|| panic!("`{key}` is not a number in {v}"))
}

fn check_json(json: &str, reports: &[FileReport]) {
    let json: serde_json::Value = serde_json::from_str(json).expect("the JSON output parses");
    let files = json["files"].as_array().expect("JSON has `files`");
    assert_eq!(files.len(), reports.len());
    for (file, r) in files.iter().zip(reports) {
        let diagnostics = file["diagnostics"].as_array().expect("`diagnostics`");
        assert_eq!(diagnostics.len(), r.findings.len());
        for d in diagnostics {
            let start = (number(d, "line"), number(d, "column"));
            let end = (number(d, "end_line"), number(d, "end_column"));
            position_inside(&r.source.text, start.0, start.1, "JSON start");
            position_inside(&r.source.text, end.0, end.1, "JSON end");
            assert!(start <= end, "JSON diagnostic ends before it starts: {d}");
        }
    }
}

fn check_sarif(sarif: &str, reports: &[FileReport]) {
    let sarif: serde_json::Value = serde_json::from_str(sarif).expect("the SARIF output parses");
    let results = sarif["runs"][0]["results"]
        .as_array()
        .expect("SARIF has results");
    // A result per finding; the results of kind "open" (checks of an
    // incomplete file that could not run) are located at the file's call.
    let results: Vec<&serde_json::Value> = results
        .iter()
        .filter(|r| r["kind"] != "open")
        .collect();
    let files: Vec<&FileReport> = reports
        .iter()
        .flat_map(|r| r.findings.iter().map(move |_| r))
        .collect();
    assert_eq!(results.len(), files.len());
    for (result, r) in results.iter().zip(files) {
        let region = &result["locations"][0]["physicalLocation"]["region"];
        if region.is_null() {
            continue;
        }
        let start = (number(region, "startLine"), number(region, "startColumn"));
        let end = (number(region, "endLine"), number(region, "endColumn"));
        position_inside(&r.source.text, start.0, start.1, "SARIF start");
        position_inside(&r.source.text, end.0, end.1, "SARIF end");
        assert!(start <= end, "SARIF region ends before it starts: {region}");
    }
}

fuzz_target!(|data: &[u8]| {
    let options = Options {
        clock: escp::clock::Clock::Today(jiff::civil::date(2020, 11, 1)),
    };
    let parts = files(data);
    let mut reports = Vec::with_capacity(parts.len() + 1);
    for (i, part) in parts.iter().enumerate() {
        let name = format!("fuzz/{i}.toml");
        let report = pipeline::check_bytes(&name, part.to_vec(), catalog(), options);
        reports.push(report);
    }
    pipeline::across_files(&mut reports);

    for deny_warnings in [false, true] {
        let code = report::exit_code(&reports, RunInfo { deny_warnings });
        assert!(code <= 2, "exit code {code}");
    }
    for r in &reports {
        spans_inside(r);
    }

    let run = RunInfo {
        deny_warnings: false,
    };
    check_json(
        &render(|out| report::json::write(out, &reports, run)),
        &reports,
    );
    check_sarif(
        &render(|out| report::sarif::write(out, &reports, run)),
        &reports,
    );
    render(|out| report::github::write(out, &reports, run));
    render(|out| report::junit::write(out, &reports, run));
    render(|out| report::markdown::write(out, &reports, run));
    // From the narrowest width the CLI accepts, by input length.
    let look = human::Look {
        color: data.len().is_multiple_of(2),
        width: 40 + data.len() % 121,
    };
    render(|out| {
        for r in &reports {
            human::write_file(out, r, run, look)?;
            human::write_verdict(out, r, run, look)?;
        }
        human::write_totals(out, &reports, run)
    });
});
