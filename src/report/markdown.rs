//! `--format markdown`: the readiness summary as Markdown tables, for a pull
//! request comment or `$GITHUB_STEP_SUMMARY`. What comes from the checked
//! files (file names, messages, details) is escaped for where it goes: a
//! code span, a table cell or plain text; `tests/formats.rs` renders the
//! result as GitHub does and checks what a reader sees.

use super::{RunInfo, Verdict};
use crate::finding::Severity;
use crate::pipeline::{FileReport, Status};
use std::fmt::Write as _;
use std::io::{self, Write};

/// Plain text made inert in Markdown: every punctuation character that
/// could start markup is backslash-escaped, lines are joined, and nothing
/// that would drive a terminal is left.
fn text(raw: &str) -> String {
    let escaped = crate::text::escape(&raw.replace(['\n', '\r'], " "));
    let mut out = String::with_capacity(escaped.len());
    for c in escaped.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '~' | '!' | '&'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Text as a code span: backticks inside are fenced by a longer run of
/// backticks (CommonMark), and nothing inside is escaped, since a code span
/// shows its content literally. In a table cell, `|` ends the cell even in a
/// code span, so there it is written `\|` (which GitHub shows as `|`).
fn code(raw: &str, in_table: bool) -> String {
    let mut content = crate::text::escape(&raw.replace(['\n', '\r'], " "));
    if in_table {
        content = content.replace('|', "\\|");
    }
    let longest = content.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if content.starts_with('`') || content.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{content}{pad}{fence}")
}

pub fn write(out: &mut dyn Write, files: &[FileReport], run: RunInfo) -> io::Result<()> {
    let mut md = String::from("## escp readiness\n\n");
    if files.len() > 1 {
        md.push_str("| file | call | verdict | errors | warnings |\n|---|---|---|---:|---:|\n");
        for file in files {
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} | {} |",
                code(&file.source.name, true),
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
            "### {}: {}\n",
            code(&file.source.name, false),
            verdict(file, run)
        );
        let _ = writeln!(
            md,
            "{} · {} · {}\n",
            call(file),
            crate::text::plural(file.count(Severity::Error), "error", "errors"),
            crate::text::plural(file.count(Severity::Warning), "warning", "warnings")
        );
        if Verdict::of(file, run) == Verdict::Incomplete {
            let keys: Vec<String> = file.keys_to_add().iter().map(|k| code(k, false)).collect();
            let _ = writeln!(
                md,
                "Some checks could not run: add or fix {}.\n",
                crate::text::and_list(&keys)
            );
        }
        if !file.checks.is_empty() {
            md.push_str("| | rule | detail |\n|---|---|---|\n");
            for check in &file.checks {
                let mark = match check.status {
                    Status::Pass => "✅ pass",
                    Status::Fail => "❌ fail",
                    Status::Warn => "⚠️ warn",
                    _ => "⏭️ skip",
                };
                let _ = writeln!(
                    md,
                    "| {mark} | {} | {} |",
                    code(check.rule.as_str(), true),
                    text(&check.detail)
                );
            }
            md.push('\n');
        }
        if !file.findings.is_empty() {
            md.push_str("<details><summary>Diagnostics</summary>\n\n");
            for f in &file.findings {
                let (start, _) = file.source.range(&f.primary.span);
                let links: Vec<String> = f
                    .source_urls
                    .iter()
                    .enumerate()
                    .map(|(i, u)| format!("[source {}](<{}>)", i + 1, u.replace('>', "%3E")))
                    .collect();
                let _ = writeln!(
                    md,
                    "- **{}** {} line {}: {}{}",
                    f.severity.as_str(),
                    code(f.rule.as_str(), false),
                    start.line,
                    text(&f.message),
                    if links.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", links.join(", "))
                    }
                );
            }
            md.push_str("\n</details>\n\n");
        }
    }
    out.write_all(md.as_bytes())
}

fn call(file: &FileReport) -> String {
    match (&file.call, &file.strand) {
        (Some(c), Some(s)) => format!("{} strand {}", text(&c.id), text(s)),
        (Some(c), None) => text(&c.id),
        (None, _) => "unknown call".into(),
    }
}

fn verdict(file: &FileReport, run: RunInfo) -> String {
    let verdict = Verdict::of(file, run);
    let mark = match verdict {
        Verdict::Ready => "✅",
        Verdict::Incomplete => "⏳",
        Verdict::Unchecked => "❔",
        _ => "❌",
    };
    format!("{mark} {}", verdict.word())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_spans_fence_backticks_and_escape_pipes_only_in_tables() {
        assert_eq!(code("<stdin>", false), "`<stdin>`");
        assert_eq!(code("a|b", true), "`a\\|b`");
        assert_eq!(code("a|b", false), "`a|b`");
        assert_eq!(code("x`y", false), "``x`y``");
        assert_eq!(code("`x", false), "`` `x ``");
    }

    #[test]
    fn text_is_inert() {
        assert_eq!(text("a *b* <c> [d](e)"), "a \\*b\\* \\<c\\> \\[d\\](e)");
    }
}
