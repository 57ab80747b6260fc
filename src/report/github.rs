//! `--format github`: GitHub Actions workflow commands, so that each finding
//! shows as an annotation on the pull request's diff:
//! `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=RULE::message`.

use super::{fails, RunInfo};
use crate::finding::Severity;
use crate::pipeline::FileReport;
use std::io::{self, Write};

/// Escapes a command's message as the runner requires; other control
/// characters (which the log viewer would interpret) are written as
/// `\u{…}` escapes.
fn data(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c if crate::text::is_unsafe(c) => out.push_str(&crate::text::escape(&c.to_string())),
            c => out.push(c),
        }
    }
    out
}

/// Escapes a property value: as data, plus `:` and `,`.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

pub fn write(out: &mut dyn Write, files: &[FileReport], run: RunInfo) -> io::Result<()> {
    for file in files {
        for f in &file.findings {
            let command = match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            let mut props = vec![format!("file={}", property(&file.source.name))];
            if !file.source.text.is_empty() {
                let (start, end) = file.source.range(&f.primary.span);
                props.push(format!("line={}", start.line));
                props.push(format!("col={}", start.column));
                props.push(format!("endLine={}", end.line));
                props.push(format!("endColumn={}", end.column));
            }
            props.push(format!("title={}", property(f.rule.as_str())));
            let mut message = f.message.clone();
            if let Some(help) = &f.help {
                message.push_str(&format!("\nhelp: {help}"));
            }
            writeln!(out, "::{command} {}::{}", props.join(","), data(&message))?;
        }
    }
    for file in files {
        let verdict = match file.readiness {
            crate::pipeline::Readiness::Unchecked => "UNCHECKED",
            _ if fails(file, run) => "NOT READY",
            _ => "READY",
        };
        writeln!(
            out,
            "escp: {}: {verdict} ({}, {})",
            crate::text::escape(&file.source.name),
            crate::text::plural(file.count(Severity::Error), "error", "errors"),
            crate::text::plural(file.count(Severity::Warning), "warning", "warnings")
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{data, property};

    #[test]
    fn values_are_escaped_as_github_requires() {
        assert_eq!(data("50% done\r\nnext"), "50%25 done%0D%0Anext");
        assert_eq!(property("a:b,c%"), "a%3Ab%2Cc%25");
        assert_eq!(data("\u{1b}[31mred"), "\\u{1b}[31mred");
    }
}
