//! `--format sarif`: SARIF 2.1.0, as GitHub code scanning reads it. One run,
//! a `rules` entry per rule id with its explanation as help and the
//! addresses of the sources the run's calls cite, a result per finding with
//! a region in 1-based lines and Unicode-character columns
//! (`columnKind: unicodeCodePoints`), a result of kind `open` for each check
//! of an incomplete file that could not run, and the run's exit code in its
//! invocation. Built with the typed structures that serde-sarif generates
//! from the official schema.

use super::{RunInfo, Verdict};
use crate::finding::Severity;
use crate::pipeline::{FileReport, Status};
use crate::rule_id::RuleId;
use serde_json::json;
use serde_sarif::sarif::{
    ArtifactLocation, Invocation, Location, Message, MultiformatMessageString, PhysicalLocation,
    PropertyBag, Region, ReportingConfiguration, ReportingDescriptor, Result as SarifResult,
    ResultKind, ResultLevel, Run, Sarif, Tool, ToolComponent,
};
use std::collections::BTreeMap;
use std::io::{self, Write};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The base of relative artifact URIs: the folder escp was run in.
const SRCROOT: &str = "%SRCROOT%";

fn rule(id: RuleId, urls: &[String]) -> ReportingDescriptor {
    let e = id.explanation();
    let help = format!(
        "{}\n\nA consortium file that fails it:\n\n{}\n\nFixed:\n\n{}",
        e.why, e.failing, e.fixed
    );
    let sources = if urls.is_empty() {
        String::new()
    } else {
        let links: Vec<String> = urls.iter().map(|u| format!("- <{u}>")).collect();
        format!("\n\nSources:\n\n{}", links.join("\n"))
    };
    let help_markdown = format!(
        "{}\n\nFails:\n\n```toml\n{}\n```\n\nFixed:\n\n```toml\n{}\n```{sources}",
        e.why, e.failing, e.fixed
    );
    let builder = ReportingDescriptor::builder()
        .id(id.as_str())
        .name(id.as_str())
        .short_description(MultiformatMessageString::builder().text(e.summary).build())
        .full_description(MultiformatMessageString::builder().text(e.why).build())
        .help(
            MultiformatMessageString::builder()
                .text(help)
                .markdown(help_markdown)
                .build(),
        )
        .default_configuration(
            ReportingConfiguration::builder()
                .level(serde_json::json!("error"))
                .build(),
        )
        .properties(
            PropertyBag::builder()
                .additional_properties(BTreeMap::from([("source_urls".to_string(), json!(urls))]))
                .build(),
        );
    match urls.first() {
        Some(first) => builder.help_uri(first.clone()).build(),
        None => builder.build(),
    }
}

/// Percent-encodes a path for a URI: letters, digits, `-._~` and `/` stay.
fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(byte as char)
            }
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

/// Where a file is, as SARIF wants it: a relative path percent-encoded
/// against `%SRCROOT%`, an absolute one as a `file://` URI, and standard
/// input by description only (it has no URI).
fn artifact(name: &str) -> ArtifactLocation {
    if name == crate::input::STDIN_NAME {
        return ArtifactLocation::builder()
            .description(Message::builder().text("standard input").build())
            .build();
    }
    let path = name.replace('\\', "/");
    let is_windows_absolute = path.as_bytes().get(1) == Some(&b':');
    if path.starts_with('/') || is_windows_absolute {
        let path = if is_windows_absolute {
            format!("/{path}")
        } else {
            path
        };
        return ArtifactLocation::builder()
            .uri(format!("file://{}", encode_path(&path)))
            .build();
    }
    let relative = path.trim_start_matches("./");
    ArtifactLocation::builder()
        .uri(encode_path(relative))
        .uri_base_id(SRCROOT)
        .build()
}

/// The addresses of the sources each rule cites in the calls of the run.
fn source_urls(files: &[FileReport]) -> BTreeMap<RuleId, Vec<String>> {
    let mut urls: BTreeMap<RuleId, Vec<String>> = BTreeMap::new();
    for f in files.iter().flat_map(|file| &file.findings) {
        let list = urls.entry(f.rule).or_default();
        for url in &f.source_urls {
            if !list.contains(url) {
                list.push(url.clone());
            }
        }
    }
    urls
}

fn location(file: &FileReport, span: Option<&crate::source::Span>) -> Location {
    let artifact = artifact(&file.source.name);
    let physical = match span.filter(|_| !file.source.text.is_empty()) {
        None => PhysicalLocation::builder()
            .artifact_location(artifact)
            .build(),
        Some(span) => {
            let (start, end) = file.source.range(span);
            let region = Region::builder()
                .start_line(start.line as i64)
                .start_column(start.column as i64)
                .end_line(end.line as i64)
                .end_column(end.column as i64)
                .build();
            PhysicalLocation::builder()
                .artifact_location(artifact)
                .region(region)
                .build()
        }
    };
    Location::builder().physical_location(physical).build()
}

fn rule_index(rule: RuleId) -> i64 {
    RuleId::ALL.iter().position(|r| *r == rule).unwrap_or(0) as i64
}

pub fn build(files: &[FileReport], run: RunInfo) -> Sarif {
    let mut results: Vec<SarifResult> = Vec::new();
    for file in files {
        for f in &file.findings {
            let mut text = f.message.clone();
            if let Some(help) = &f.help {
                text.push_str(&format!("\nhelp: {help}"));
            }
            if let Some(source) = &f.source {
                text.push_str(&format!("\nsource: {source}"));
            }
            let result = SarifResult::builder()
                .rule_id(f.rule.as_str())
                .rule_index(rule_index(f.rule))
                .level(match f.severity {
                    Severity::Error => ResultLevel::Error,
                    _ => ResultLevel::Warning,
                })
                .message(Message::builder().text(text).build())
                .locations(vec![location(file, Some(&f.primary.span))])
                .properties(
                    PropertyBag::builder()
                        .additional_properties(BTreeMap::from([(
                            "source_urls".to_string(),
                            json!(f.source_urls),
                        )]))
                        .build(),
                );
            results.push(result.build());
        }
        // An incomplete file: each check that could not run is a result of
        // kind "open" (the tool could not decide), so that the verdict and
        // its causes are in the log, not only in the exit code.
        if Verdict::of(file, run) == Verdict::Incomplete {
            for check in file.checks.iter().filter(|c| c.status == Status::Skip) {
                let keys = if check.keys.is_empty() {
                    String::new()
                } else {
                    format!("; add or fix {}", check.keys.join(", "))
                };
                results.push(
                    SarifResult::builder()
                        .rule_id(check.rule.as_str())
                        .rule_index(rule_index(check.rule))
                        .kind(ResultKind::Open)
                        .level(ResultLevel::None)
                        .message(
                            Message::builder()
                                .text(format!("not checked: {}{keys}", check.detail))
                                .build(),
                        )
                        .locations(vec![location(file, file.call_span.as_ref())])
                        .build(),
                );
            }
        }
    }
    let urls = source_urls(files);
    let none = Vec::new();
    let driver = ToolComponent::builder()
        .name("escp")
        .version(env!("CARGO_PKG_VERSION"))
        .semantic_version(env!("CARGO_PKG_VERSION"))
        .rules(
            RuleId::ALL
                .iter()
                .map(|r| rule(*r, urls.get(r).unwrap_or(&none)))
                .collect::<Vec<_>>(),
        )
        .build();
    let code = super::exit_code(files, run);
    let verdicts: Vec<serde_json::Value> = files
        .iter()
        .map(|f| {
            json!({
                "path": crate::text::escape(&f.source.name),
                "status": Verdict::of(f, run).status(),
            })
        })
        .collect();
    let invocation = Invocation::builder()
        .execution_successful(code != 2)
        .exit_code(i64::from(code))
        .properties(
            PropertyBag::builder()
                .additional_properties(BTreeMap::from([
                    ("files".to_string(), json!(verdicts)),
                    ("summary".to_string(), json!(super::Totals::of(files, run))),
                ]))
                .build(),
        )
        .build();
    let root = std::env::current_dir()
        .map(|d| {
            let mut uri = format!(
                "file://{}",
                encode_path(&d.display().to_string().replace('\\', "/"))
            );
            if !uri.ends_with('/') {
                uri.push('/');
            }
            uri
        })
        .unwrap_or_else(|_| "file:///".into());
    let run = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        .column_kind(serde_json::json!("unicodeCodePoints"))
        .original_uri_base_ids(BTreeMap::from([(
            SRCROOT.to_string(),
            ArtifactLocation::builder().uri(root).build(),
        )]))
        .invocations(vec![invocation])
        .results(results)
        .build();
    Sarif::builder()
        .schema(SCHEMA)
        .version(serde_json::json!("2.1.0"))
        .runs(vec![run])
        .build()
}

pub fn write(out: &mut dyn Write, files: &[FileReport], run: RunInfo) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &build(files, run))?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uri(name: &str) -> (Option<String>, Option<String>) {
        let a = artifact(name);
        (a.uri, a.uri_base_id)
    }

    #[test]
    fn artifact_uris_are_encoded_relative_absolute_or_absent() {
        assert_eq!(
            uri("team #1/50%,draft.toml"),
            (
                Some("team%20%231/50%25%2Cdraft.toml".into()),
                Some(SRCROOT.into())
            )
        );
        assert_eq!(
            uri("./a.toml"),
            (Some("a.toml".into()), Some(SRCROOT.into()))
        );
        assert_eq!(
            uri("/tmp/a b.toml"),
            (Some("file:///tmp/a%20b.toml".into()), None)
        );
        assert_eq!(uri(crate::input::STDIN_NAME), (None, None));
    }
}
