//! `--format sarif`: SARIF 2.1.0, as GitHub code scanning reads it. One run,
//! a `rules` entry per rule id with its explanation as help, and a result
//! per finding with a region in 1-based lines and Unicode-character columns
//! (`columnKind: unicodeCodePoints`). Built with the typed structures that
//! serde-sarif generates from the official schema.

use super::RunInfo;
use crate::finding::Severity;
use crate::pipeline::FileReport;
use crate::rules::RuleId;
use serde_sarif::sarif::{
    ArtifactLocation, Location, Message, MultiformatMessageString, PhysicalLocation, Region,
    ReportingConfiguration, ReportingDescriptor, Result as SarifResult, ResultLevel, Run, Sarif,
    Tool, ToolComponent,
};
use std::io::{self, Write};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn rule(id: RuleId) -> ReportingDescriptor {
    let e = id.explanation();
    let help = format!(
        "{}\n\nA consortium file that fails it:\n\n{}\n\nFixed:\n\n{}",
        e.why, e.failing, e.fixed
    );
    let help_markdown = format!(
        "{}\n\nFails:\n\n```toml\n{}\n```\n\nFixed:\n\n```toml\n{}\n```",
        e.why, e.failing, e.fixed
    );
    ReportingDescriptor::builder()
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
        .build()
}

pub fn build(files: &[FileReport]) -> Sarif {
    let results: Vec<SarifResult> = files
        .iter()
        .flat_map(|file| {
            file.findings.iter().map(move |f| {
                let mut text = f.message.clone();
                if let Some(help) = &f.help {
                    text.push_str(&format!("\nhelp: {help}"));
                }
                if let Some(source) = &f.source {
                    text.push_str(&format!("\nsource: {source}"));
                }
                let artifact = ArtifactLocation::builder()
                    .uri(file.source.name.replace('\\', "/"))
                    .build();
                let physical = if file.source.text.is_empty() {
                    PhysicalLocation::builder()
                        .artifact_location(artifact)
                        .build()
                } else {
                    let (start, end) = file.source.range(&f.primary.span);
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
                };
                SarifResult::builder()
                    .rule_id(f.rule.as_str())
                    .rule_index(RuleId::ALL.iter().position(|r| *r == f.rule).unwrap_or(0) as i64)
                    .level(match f.severity {
                        Severity::Error => ResultLevel::Error,
                        Severity::Warning => ResultLevel::Warning,
                    })
                    .message(Message::builder().text(text).build())
                    .locations(vec![Location::builder()
                        .physical_location(physical)
                        .build()])
                    .build()
            })
        })
        .collect();
    let driver = ToolComponent::builder()
        .name("escp")
        .version(env!("CARGO_PKG_VERSION"))
        .semantic_version(env!("CARGO_PKG_VERSION"))
        .rules(RuleId::ALL.iter().map(|r| rule(*r)).collect::<Vec<_>>())
        .build();
    let run = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        .column_kind(serde_json::json!("unicodeCodePoints"))
        .results(results)
        .build();
    Sarif::builder()
        .schema(SCHEMA)
        .version(serde_json::json!("2.1.0"))
        .runs(vec![run])
        .build()
}

pub fn write(out: &mut dyn Write, files: &[FileReport], _run: RunInfo) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &build(files))?;
    writeln!(out)
}
