//! `--format junit`: JUnit XML, as CI systems (GitLab, Jenkins, Azure)
//! display test results. A test suite per file, a test case per check of
//! the readiness summary, and one for the file's format (keys and values).

use super::RunInfo;
use crate::finding::{Finding, Severity};
use crate::pipeline::{FileReport, Readiness, Status};
use crate::rule_id::RuleId;
use std::fmt::Write as _;
use std::io::{self, Write};

/// Escapes text for XML attributes and content; drops characters XML 1.0
/// cannot carry.
fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

fn describe(file: &FileReport, f: &Finding) -> String {
    let (start, _) = file.source.range(&f.primary.span);
    let mut text = format!(
        "{}:{}:{}: {}: {}",
        crate::text::escape(&file.source.name),
        start.line,
        start.column,
        f.severity.as_str(),
        f.message
    );
    if let Some(help) = &f.help {
        let _ = write!(text, "\nhelp: {help}");
    }
    if let Some(source) = &f.source {
        let _ = write!(text, "\nsource: {source}");
    }
    text
}

struct Case {
    name: String,
    outcome: Outcome,
    output: String,
}

enum Outcome {
    Pass,
    Failure(String),
    Error(String),
    Skipped(String),
}

fn cases(file: &FileReport, run: RunInfo) -> Vec<Case> {
    let for_rule = |rule: RuleId| file.findings.iter().filter(move |f| f.rule == rule);
    let mut out = Vec::new();
    // The file's format: every format finding in one case.
    let format: Vec<&Finding> = file
        .findings
        .iter()
        .filter(|f| f.rule.is_format_rule())
        .collect();
    let format_text = format
        .iter()
        .map(|f| describe(file, f))
        .collect::<Vec<_>>()
        .join("\n\n");
    let outcome = if file.readiness == Readiness::Unchecked {
        Outcome::Error(
            format
                .first()
                .map(|f| f.message.clone())
                .unwrap_or_default(),
        )
    } else if format.iter().any(|f| f.severity == Severity::Error) {
        Outcome::Failure(format!(
            "{} in the file's keys and values",
            crate::text::plural(format.len(), "problem", "problems")
        ))
    } else {
        Outcome::Pass
    };
    out.push(Case {
        name: "format".into(),
        outcome,
        output: format_text,
    });
    for check in &file.checks {
        let text = for_rule(check.rule)
            .map(|f| describe(file, f))
            .collect::<Vec<_>>()
            .join("\n\n");
        let outcome = match check.status {
            Status::Pass => Outcome::Pass,
            Status::Fail => Outcome::Failure(check.detail.clone()),
            Status::Warn if run.deny_warnings => {
                Outcome::Failure(format!("{} (warnings denied)", check.detail))
            }
            Status::Warn => Outcome::Pass,
            Status::Skip => Outcome::Skipped(check.detail.clone()),
        };
        out.push(Case {
            name: check.rule.as_str().into(),
            outcome,
            output: if text.is_empty() {
                check.detail.clone()
            } else {
                text
            },
        });
    }
    // The file's verdict, as the exit code counts it: a CI system that reads
    // only the test cases sees an incomplete file, or denied warnings, fail.
    let verdict = super::Verdict::of(file, run);
    let keys = file.keys_to_add();
    let said = if keys.is_empty() || verdict != super::Verdict::Incomplete {
        verdict.word().to_string()
    } else {
        format!("{}: add or fix {}", verdict.word(), keys.join(", "))
    };
    out.push(Case {
        name: "readiness".into(),
        outcome: match verdict {
            super::Verdict::Ready => Outcome::Pass,
            super::Verdict::Unchecked => Outcome::Error(said.clone()),
            _ => Outcome::Failure(said.clone()),
        },
        output: said,
    });
    out
}

pub fn write(out: &mut dyn Write, files: &[FileReport], run: RunInfo) -> io::Result<()> {
    let suites: Vec<(&FileReport, Vec<Case>)> = files.iter().map(|f| (f, cases(f, run))).collect();
    let count = |pred: &dyn Fn(&Outcome) -> bool| -> usize {
        suites
            .iter()
            .flat_map(|(_, c)| c)
            .filter(|c| pred(&c.outcome))
            .count()
    };
    let tests: usize = suites.iter().map(|(_, c)| c.len()).sum();
    let mut xml_out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        xml_out,
        "<testsuites name=\"escp\" tests=\"{tests}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\">",
        count(&|o| matches!(o, Outcome::Failure(_))),
        count(&|o| matches!(o, Outcome::Error(_))),
        count(&|o| matches!(o, Outcome::Skipped(_)))
    );
    for (file, cases) in &suites {
        let n = |pred: &dyn Fn(&Outcome) -> bool| cases.iter().filter(|c| pred(&c.outcome)).count();
        let class = match &file.call {
            Some(call) => match &file.strand {
                Some(s) => format!("{}.strand-{s}", call.id),
                None => call.id.clone(),
            },
            None => "escp".into(),
        };
        let _ = writeln!(
            xml_out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\">",
            xml(&crate::text::escape(&file.source.name)),
            cases.len(),
            n(&|o| matches!(o, Outcome::Failure(_))),
            n(&|o| matches!(o, Outcome::Error(_))),
            n(&|o| matches!(o, Outcome::Skipped(_)))
        );
        let _ = writeln!(
            xml_out,
            "    <properties>\n      <property name=\"status\" value=\"{}\"/>\n    </properties>",
            super::Verdict::of(file, run).status()
        );
        for case in cases {
            let _ = write!(
                xml_out,
                "    <testcase name=\"{}\" classname=\"{}\"",
                xml(&case.name),
                xml(&class)
            );
            let body = match &case.outcome {
                Outcome::Pass => String::new(),
                Outcome::Failure(m) => format!(
                    "      <failure message=\"{}\" type=\"error\">{}</failure>\n",
                    xml(m),
                    xml(&case.output)
                ),
                Outcome::Error(m) => format!(
                    "      <error message=\"{}\" type=\"unchecked\">{}</error>\n",
                    xml(m),
                    xml(&case.output)
                ),
                Outcome::Skipped(m) => format!("      <skipped message=\"{}\"/>\n", xml(m)),
            };
            let system_out = if matches!(case.outcome, Outcome::Pass) && !case.output.is_empty() {
                format!("      <system-out>{}</system-out>\n", xml(&case.output))
            } else {
                String::new()
            };
            if body.is_empty() && system_out.is_empty() {
                xml_out.push_str("/>\n");
            } else {
                let _ = write!(xml_out, ">\n{body}{system_out}    </testcase>\n");
            }
        }
        xml_out.push_str("  </testsuite>\n");
    }
    xml_out.push_str("</testsuites>\n");
    out.write_all(xml_out.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::xml;

    #[test]
    fn xml_escapes_markup_and_drops_control_characters() {
        assert_eq!(xml("a<b & \"c\"\u{1b}"), "a&lt;b &amp; &quot;c&quot;");
    }
}
