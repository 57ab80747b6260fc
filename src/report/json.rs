//! `--format json` (SPEC §5): version 1. Keys may be added in later
//! versions; none is removed or renamed.

use super::RunInfo;
use crate::finding::Severity;
use crate::pipeline::{Check, FileReport, Readiness};
use crate::rules::RuleId;
use serde::Serialize;
use std::io::{self, Write};

#[derive(Serialize)]
struct Output<'a> {
    version: u32,
    files: Vec<File<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct File<'a> {
    path: &'a str,
    call: Option<&'a str>,
    strand: Option<&'a str>,
    status: Readiness,
    errors: usize,
    warnings: usize,
    diagnostics: Vec<Diagnostic<'a>>,
    checks: &'a [Check],
}

#[derive(Serialize)]
struct Diagnostic<'a> {
    rule: RuleId,
    severity: Severity,
    message: &'a str,
    help: Option<&'a str>,
    source: Option<&'a str>,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
}

#[derive(Serialize)]
struct Summary {
    files: usize,
    ready: usize,
    not_ready: usize,
    unchecked: usize,
}

pub fn write(out: &mut dyn Write, files: &[FileReport], _run: RunInfo) -> io::Result<()> {
    let count = |r: Readiness| files.iter().filter(|f| f.readiness == r).count();
    let output = Output {
        version: 1,
        files: files.iter().map(file).collect(),
        summary: Summary {
            files: files.len(),
            ready: count(Readiness::Ready),
            not_ready: count(Readiness::NotReady),
            unchecked: count(Readiness::Unchecked),
        },
    };
    serde_json::to_writer_pretty(&mut *out, &output)?;
    writeln!(out)
}

fn file(report: &FileReport) -> File<'_> {
    File {
        path: &report.source.name,
        call: report.call.as_ref().map(|c| c.id.as_str()),
        strand: report.strand.as_deref(),
        status: report.readiness,
        errors: report.count(Severity::Error),
        warnings: report.count(Severity::Warning),
        diagnostics: report
            .findings
            .iter()
            .map(|f| {
                let (start, end) = report.source.range(&f.primary.span);
                Diagnostic {
                    rule: f.rule,
                    severity: f.severity,
                    message: &f.message,
                    help: f.help.as_deref(),
                    source: f.source.as_deref(),
                    line: start.line,
                    column: start.column,
                    end_line: end.line,
                    end_column: end.column,
                }
            })
            .collect(),
        checks: &report.checks,
    }
}
