//! `--format json`: version 1 (README, "Command line"). Keys may be added in later
//! versions; none is removed or renamed.

use super::{RunInfo, Totals, Verdict};
use crate::finding::Severity;
use crate::pipeline::{Check, FileReport};
use crate::rule_id::RuleId;
use crate::source::SourceFile;
use serde::Serialize;
use std::io::{self, Write};

#[derive(Serialize)]
struct Output<'a> {
    version: u32,
    files: Vec<File<'a>>,
    summary: Totals,
}

#[derive(Serialize)]
struct File<'a> {
    path: String,
    call: Option<&'a str>,
    strand: Option<&'a str>,
    /// The verdict, the same as the exit code counts it: `ready`,
    /// `not-ready` (errors, or warnings under --deny-warnings),
    /// `incomplete` or `unchecked`.
    status: &'static str,
    errors: usize,
    warnings: usize,
    /// Whenever a check was skipped, whatever the status: the keys to add
    /// or fix to run it (the human report's "to check everything, add or
    /// fix ..."); absent when every check ran.
    #[serde(skip_serializing_if = "Option::is_none")]
    missing: Option<Vec<&'a str>>,
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
    /// The addresses of the public sources the rule cites.
    source_urls: &'a [String],
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    /// Safe repairs (`escp check --fix` applies them).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fixes: Vec<Fix<'a>>,
}

#[derive(Serialize)]
struct Fix<'a> {
    title: &'a str,
    /// Whether `check --fix` applies it (false: a placeholder to fill in).
    safe: bool,
    edits: Vec<Edit<'a>>,
}

#[derive(Serialize)]
struct Edit<'a> {
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    text: &'a str,
}

pub fn write(out: &mut dyn Write, files: &[FileReport], run: RunInfo) -> io::Result<()> {
    let output = Output {
        version: 1,
        files: files.iter().map(|f| file(f, run)).collect(),
        summary: Totals::of(files, run),
    };
    serde_json::to_writer_pretty(&mut *out, &output)?;
    writeln!(out)
}

fn fixes<'a>(source: &SourceFile, fixes: &'a [crate::finding::Fix]) -> Vec<Fix<'a>> {
    fixes
        .iter()
        .map(|fix| Fix {
            title: &fix.title,
            safe: fix.safe,
            edits: fix
                .edits
                .iter()
                .map(|e| {
                    let (start, end) = source.range(&e.span);
                    Edit {
                        line: start.line,
                        column: start.column,
                        end_line: end.line,
                        end_column: end.column,
                        text: &e.text,
                    }
                })
                .collect(),
        })
        .collect()
}

fn file(report: &FileReport, run: RunInfo) -> File<'_> {
    let verdict = Verdict::of(report, run);
    File {
        path: crate::text::escape(&report.source.name),
        call: report.call.as_ref().map(|c| c.id.as_str()),
        strand: report.strand.as_deref(),
        status: verdict.status(),
        errors: report.count(Severity::Error),
        warnings: report.count(Severity::Warning),
        missing: report
            .checks
            .iter()
            .any(|c| c.status == crate::pipeline::Status::Skip)
            .then(|| report.keys_to_add()),
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
                    source_urls: &f.source_urls,
                    line: start.line,
                    column: start.column,
                    end_line: end.line,
                    end_column: end.column,
                    fixes: fixes(&report.source, &f.fixes),
                }
            })
            .collect(),
        checks: &report.checks,
    }
}
