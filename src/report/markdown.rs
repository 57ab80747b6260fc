//! `--format markdown`: the readiness summary as Markdown tables, for a pull
//! request comment or `$GITHUB_STEP_SUMMARY`.

use super::{fails, RunInfo};
use crate::finding::Severity;
use crate::pipeline::{FileReport, Readiness, Status};
use std::fmt::Write as _;
use std::io::{self, Write};

/// Text safe inside a table cell: pipes escaped, lines joined, no HTML.
fn cell(text: &str) -> String {
    crate::text::escape(&text.replace('\n', " "))
        .replace('|', "\\|")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

pub fn write(out: &mut dyn Write, files: &[FileReport], run: RunInfo) -> io::Result<()> {
    let mut md = String::from("## escp readiness\n\n");
    if files.len() > 1 {
        md.push_str("| file | call | verdict | errors | warnings |\n|---|---|---|---:|---:|\n");
        for file in files {
            let _ = writeln!(
                md,
                "| `{}` | {} | {} | {} | {} |",
                cell(&file.source.name),
                call(file),
                verdict(file, run),
                file.count(Severity::Error),
                file.count(Severity::Warning)
            );
        }
        md.push('\n');
    }
    for file in files {
        let _ = writeln!(
            md,
            "### `{}`: {}\n",
            cell(&file.source.name),
            verdict(file, run)
        );
        let _ = writeln!(
            md,
            "{} · {} · {}\n",
            call(file),
            crate::text::plural(file.count(Severity::Error), "error", "errors"),
            crate::text::plural(file.count(Severity::Warning), "warning", "warnings")
        );
        if !file.checks.is_empty() {
            md.push_str("| | rule | detail |\n|---|---|---|\n");
            for check in &file.checks {
                let mark = match check.status {
                    Status::Pass => "✅ pass",
                    Status::Fail => "❌ fail",
                    Status::Warn => "⚠️ warn",
                    Status::Skip => "⏭️ skip",
                };
                let _ = writeln!(
                    md,
                    "| {mark} | `{}` | {} |",
                    check.rule,
                    cell(&check.detail)
                );
            }
            md.push('\n');
        }
        if !file.findings.is_empty() {
            md.push_str("<details><summary>Diagnostics</summary>\n\n");
            for f in &file.findings {
                let (start, _) = file.source.range(&f.primary.span);
                let _ = writeln!(
                    md,
                    "- **{}** `{}` line {}: {}",
                    f.severity.as_str(),
                    f.rule,
                    start.line,
                    cell(&f.message)
                );
            }
            md.push_str("\n</details>\n\n");
        }
    }
    out.write_all(md.as_bytes())
}

fn call(file: &FileReport) -> String {
    match (&file.call, &file.strand) {
        (Some(c), Some(s)) => format!("{} strand {s}", c.id),
        (Some(c), None) => c.id.clone(),
        (None, _) => "unknown call".into(),
    }
}

fn verdict(file: &FileReport, run: RunInfo) -> &'static str {
    match file.readiness {
        Readiness::Unchecked => "❔ UNCHECKED",
        _ if fails(file, run) => "❌ NOT READY",
        _ => "✅ READY",
    }
}
