//! The check of one file: parse it, find its call's ruleset, run the rules
//! the call switches on, and gather the findings and the readiness summary.

use crate::consortium::{self, Consortium};
use crate::finding::{Finding, Severity};
use crate::rules::{self, Cx, RuleId, Verdict};
use crate::ruleset::{Catalog, CatalogError, Ruleset, StrandSetting};
use crate::source::SourceFile;
use jiff::civil::Date;
use serde::Serialize;
use std::sync::Arc;

/// What a check needs besides the file.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// The date of the check: the deadline has passed when it is later than
    /// the deadline's date.
    pub today: Date,
}

/// The outcome of one rule in the readiness summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pass,
    Fail,
    Warn,
    Skip,
}

/// One line of the readiness summary.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    pub rule: RuleId,
    pub status: Status,
    pub detail: String,
}

/// Whether the file is ready to submit, as far as escp can tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Readiness {
    /// No error.
    Ready,
    /// At least one error.
    NotReady,
    /// The file could not be checked (unreadable, not TOML, unknown call).
    Unchecked,
}

/// Everything escp found in one file.
#[derive(Debug, Clone)]
pub struct FileReport {
    pub source: SourceFile,
    /// The call's ruleset, if the file names a known call.
    pub call: Option<Arc<Ruleset>>,
    /// The strand's id as the ruleset spells it, if the file names one.
    pub strand: Option<String>,
    /// Sorted by position in the file.
    pub findings: Vec<Finding>,
    /// The readiness summary: every call rule evaluated, in a fixed order.
    pub checks: Vec<Check>,
    pub readiness: Readiness,
}

impl FileReport {
    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }

    /// A file that could not be read at all.
    pub fn unreadable(name: &str, why: &str) -> FileReport {
        let finding = Finding::new(
            RuleId::ReadError,
            0..0,
            format!("cannot read {name}: {why}"),
        )
        .help("check the path; escp reads UTF-8 text files (or `-` for standard input)");
        FileReport {
            source: SourceFile::new(name, ""),
            call: None,
            strand: None,
            findings: vec![finding],
            checks: Vec::new(),
            readiness: Readiness::Unchecked,
        }
    }
}

/// Checks one consortium file. `Err` only when the call's ruleset itself
/// cannot be loaded (an invalid `--calls` ruleset).
pub fn check(
    source: SourceFile,
    catalog: &Catalog,
    options: Options,
) -> Result<FileReport, CatalogError> {
    let (consortium, mut findings) = match consortium::parse(&source.text) {
        Ok(parsed) => parsed,
        Err(syntax) => {
            return Ok(finish(source, None, None, syntax, Vec::new()));
        }
    };
    let Some(call) = &consortium.call else {
        return Ok(finish(source, None, None, findings, Vec::new()));
    };
    let Some(ruleset) = catalog.find(&call.value)? else {
        let shown = crate::text::clean(&call.value);
        let help = match catalog.closest(&call.value) {
            Some(best) => format!("did you mean \"{best}\"?"),
            None => format!(
                "the known calls are {}; add a ruleset for another call with --calls DIR",
                catalog.ids().join(", ")
            ),
        };
        findings.push(
            Finding::new(
                RuleId::UnknownCall,
                call.span.clone(),
                format!("\"{shown}\" is not a call escp knows"),
            )
            .label("unknown call")
            .help(help),
        );
        return Ok(finish(source, None, None, findings, Vec::new()));
    };
    let strand = consortium
        .strand
        .as_ref()
        .and_then(|s| ruleset.strand_index(&s.value));
    let checks = run_rules(&consortium, &ruleset, strand, options, &mut findings);
    let strand_id = strand.map(|i| ruleset.strands[i].id.clone());
    Ok(finish(source, Some(ruleset), strand_id, findings, checks))
}

fn run_rules(
    consortium: &Consortium,
    ruleset: &Ruleset,
    strand: Option<usize>,
    options: Options,
    findings: &mut Vec<Finding>,
) -> Vec<Check> {
    let mut checks = Vec::with_capacity(ruleset.rules.len());
    for entry in &ruleset.rules {
        let setting = match entry.setting(strand) {
            StrandSetting::Applies(setting) => setting,
            StrandSetting::NotApplicable => continue,
            StrandSetting::NeedsStrand => {
                checks.push(Check {
                    rule: entry.rule,
                    status: Status::Skip,
                    detail: "depends on the strand: set a valid `strand`".into(),
                });
                continue;
            }
        };
        let mut cx = Cx {
            consortium,
            call: ruleset,
            strand: strand.map(|i| &ruleset.strands[i]),
            today: options.today,
            rule: entry.rule,
            setting,
            findings: Vec::new(),
        };
        let verdict = rules::check(&setting.params, &mut cx);
        let emitted = cx.findings;
        let status = match verdict {
            Verdict::Skipped(_) => Status::Skip,
            Verdict::Checked(_) if emitted.iter().any(|f| f.severity == Severity::Error) => {
                Status::Fail
            }
            Verdict::Checked(_) if !emitted.is_empty() => Status::Warn,
            Verdict::Checked(_) => Status::Pass,
        };
        let (Verdict::Checked(detail) | Verdict::Skipped(detail)) = verdict;
        checks.push(Check {
            rule: entry.rule,
            status,
            detail,
        });
        findings.extend(emitted);
    }
    checks
}

fn finish(
    source: SourceFile,
    call: Option<Arc<Ruleset>>,
    strand: Option<String>,
    mut findings: Vec<Finding>,
    checks: Vec<Check>,
) -> FileReport {
    findings.sort_by(|a, b| {
        (a.primary.span.start, a.primary.span.end, a.rule).cmp(&(
            b.primary.span.start,
            b.primary.span.end,
            b.rule,
        ))
    });
    let readiness = if findings.iter().any(|f| {
        matches!(
            f.rule,
            RuleId::Syntax | RuleId::UnknownCall | RuleId::ReadError
        )
    }) {
        Readiness::Unchecked
    } else if findings.iter().any(|f| f.severity == Severity::Error) {
        Readiness::NotReady
    } else {
        Readiness::Ready
    };
    FileReport {
        source,
        call,
        strand,
        findings,
        checks,
        readiness,
    }
}
