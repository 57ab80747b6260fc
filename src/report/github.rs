//! `--format github`: GitHub Actions workflow commands, so that each finding
//! shows as an annotation on the pull request's diff:
//! `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=RULE::message`.

use super::{RunInfo, Verdict};
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

/// The position properties of a span (none for a file without text).
fn position(file: &FileReport, span: &crate::source::Span) -> Vec<String> {
    if file.source.text.is_empty() {
        return Vec::new();
    }
    let (start, end) = file.source.range(span);
    vec![
        format!("line={}", start.line),
        format!("col={}", start.column),
        format!("endLine={}", end.line),
        format!("endColumn={}", end.column),
    ]
}

pub fn write(out: &mut dyn Write, files: &[FileReport], run: RunInfo) -> io::Result<()> {
    for file in files {
        let name = property(&crate::text::escape(&file.source.name));
        for f in &file.findings {
            let command = match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            let mut props = vec![format!("file={name}")];
            props.extend(position(file, &f.primary.span));
            props.push(format!("title={}", property(f.rule.as_str())));
            let mut message = f.message.clone();
            if let Some(help) = &f.help {
                message.push_str(&format!("\nhelp: {help}"));
            }
            writeln!(out, "::{command} {}::{}", props.join(","), data(&message))?;
        }
    }
    for file in files {
        let verdict = Verdict::of(file, run);
        // An incomplete file has no error to annotate, yet fails the run: one
        // annotation on its `call` line says what keeps it from being checked.
        if verdict == Verdict::Incomplete {
            let keys: Vec<&str> = file.keys_to_add();
            let skipped: Vec<&str> = file
                .checks
                .iter()
                .filter(|c| c.status == crate::pipeline::Status::Skip)
                .map(|c| c.rule.as_str())
                .collect();
            let mut props = vec![format!(
                "file={}",
                property(&crate::text::escape(&file.source.name))
            )];
            if let Some(span) = &file.call_span {
                props.extend(position(file, span));
            }
            props.push("title=incomplete".to_string());
            writeln!(
                out,
                "::error {}::{}",
                props.join(","),
                data(&format!(
                    "INCOMPLETE: {} could not run; add or fix {}",
                    crate::text::and_list(&skipped),
                    crate::text::and_list(&keys)
                ))
            )?;
        }
    }
    for file in files {
        let verdict = Verdict::of(file, run).word();
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
