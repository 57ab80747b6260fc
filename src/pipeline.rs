//! The check of one file: parse it, find its call's ruleset, run the rules
//! the call switches on, and gather the findings and the readiness summary.

use crate::consortium::{self, Consortium, Sp};
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
    /// The applicants' legal names and where they are written, for the
    /// checks across files (`one-consortium`).
    pub applicants: Vec<Sp<String>>,
}

impl FileReport {
    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }

    /// A file that could not be read at all.
    pub fn unreadable(input: &crate::input::Unreadable) -> FileReport {
        let help = if input.not_found {
            "check the path; to start a consortium file, run `escp init --call ID` (`escp calls` lists the calls)"
        } else {
            "check the path; escp reads UTF-8 text files (or `-` for standard input)"
        };
        let finding = Finding::new(
            RuleId::ReadError,
            0..0,
            format!("cannot read {}: {}", input.name, input.why),
        )
        .help(help);
        finish(
            SourceFile::new(&input.name, ""),
            None,
            None,
            vec![finding],
            Vec::new(),
        )
    }
}

/// Checks the bytes of one input, as read from a file: the entry point of
/// the property tests and the fuzzer (`fuzz/`), which feed it anything.
pub fn check_bytes(
    name: &str,
    bytes: Vec<u8>,
    catalog: &Catalog,
    options: Options,
) -> Result<FileReport, CatalogError> {
    check_input(crate::input::decode(name, bytes), catalog, options)
}

/// Checks an input as [`crate::input`] read it: its text, or why it could
/// not be read (then the report is that `read-error`).
pub fn check_input(
    input: Result<SourceFile, crate::input::Unreadable>,
    catalog: &Catalog,
    options: Options,
) -> Result<FileReport, CatalogError> {
    match input {
        Ok(source) => check(source, catalog, options),
        Err(unreadable) => Ok(FileReport::unreadable(&unreadable)),
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
        let help = catalog.unknown_hint(&call.value);
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
    let mut report = finish(source, Some(ruleset), strand_id, findings, checks);
    report.applicants = consortium
        .partners
        .into_iter()
        .filter_map(|p| p.name)
        .collect();
    Ok(report)
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
    findings: Vec<Finding>,
    checks: Vec<Check>,
) -> FileReport {
    let mut report = FileReport {
        source,
        call,
        strand,
        findings,
        checks,
        readiness: Readiness::Ready,
        applicants: Vec::new(),
    };
    report.settle();
    report
}

impl FileReport {
    /// Sorts the findings by position and derives the readiness from them;
    /// run again whenever findings are added.
    fn settle(&mut self) {
        self.findings
            .sort_by_key(|f| (f.primary.span.start, f.primary.span.end, f.rule));
        let cannot_check = |f: &Finding| {
            matches!(
                f.rule,
                RuleId::Syntax | RuleId::UnknownCall | RuleId::ReadError
            )
        };
        self.readiness = if self.findings.iter().any(cannot_check) {
            Readiness::Unchecked
        } else if self.findings.iter().any(|f| f.severity == Severity::Error) {
            Readiness::NotReady
        } else {
            Readiness::Ready
        };
    }
}

/// The checks that need several files: `one-consortium`. Files that name
/// the same call (and phase, where the call has phases) are compared; an
/// organisation (legal name, ignoring case and repeated spaces) that applies
/// in more than one of them is reported in each, naming the others.
pub fn across_files(reports: &mut [FileReport]) {
    use std::collections::BTreeMap;
    let key = |name: &str| {
        name.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    // (call id, phase) -> indices of the files in it.
    let mut groups: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
    for (i, report) in reports.iter().enumerate() {
        let Some(call) = &report.call else { continue };
        let Some(entry) = call.entry(RuleId::OneConsortium) else {
            continue;
        };
        let strand = report.strand.as_deref().and_then(|s| call.strand_index(s));
        if let StrandSetting::Applies(setting) = entry.setting(strand) {
            if let rules::RuleParams::OneConsortium(p) = &setting.params {
                groups
                    .entry((call.id.clone(), p.phase(report.strand.as_deref())))
                    .or_default()
                    .push(i);
            }
        }
    }
    let run_size = reports.len();
    for ((call_id, phase), files) in groups {
        if files.len() < 2 {
            if run_size > 1 {
                for &f in &files {
                    if let Some(check) = reports[f]
                        .checks
                        .iter_mut()
                        .find(|c| c.rule == RuleId::OneConsortium)
                    {
                        check.detail =
                            "no other consortium for this call (and phase) in this run".into();
                    }
                }
            }
            continue;
        }
        // Legal name -> every (file, applicant) that has it.
        let mut seen: BTreeMap<String, Vec<(usize, usize)>> = BTreeMap::new();
        for &f in &files {
            for (a, name) in reports[f].applicants.iter().enumerate() {
                let places = seen.entry(key(&name.value)).or_default();
                if !places.iter().any(|(other, _)| *other == f) {
                    places.push((f, a));
                }
            }
        }
        let within = if phase.is_empty() {
            String::new()
        } else {
            format!(" (phase {phase})")
        };
        let mut shared: BTreeMap<usize, usize> = BTreeMap::new();
        for places in seen.values().filter(|p| p.len() > 1) {
            for &(f, a) in places {
                let others: Vec<String> = places
                    .iter()
                    .filter(|(o, _)| *o != f)
                    .map(|&(o, oa)| {
                        let at = reports[o]
                            .source
                            .position(reports[o].applicants[oa].span.start);
                        format!("{}:{}", reports[o].source.name, at.line)
                    })
                    .collect();
                let report = &reports[f];
                let call = report.call.as_ref().expect("grouped by call");
                let strand = report.strand.as_deref().and_then(|s| call.strand_index(s));
                let StrandSetting::Applies(setting) = call
                    .entry(RuleId::OneConsortium)
                    .expect("grouped")
                    .setting(strand)
                else {
                    continue;
                };
                let name = &report.applicants[a];
                let finding = Finding::new(
                    RuleId::OneConsortium,
                    name.span.clone(),
                    format!(
                        "\"{}\" is also an applicant in {} for {call_id}{within}",
                        crate::text::clean(&name.value),
                        rules::and_list(&others)
                    ),
                )
                .severity(setting.severity)
                .source(setting.citation())
                .label("applies in another consortium too")
                .help("an organisation may be in only one consortium: keep it in one of them");
                *shared.entry(f).or_default() += 1;
                reports[f].findings.push(finding);
            }
        }
        for &f in &files {
            let report = &mut reports[f];
            let count = shared.get(&f).copied().unwrap_or(0);
            let others = files.len() - 1;
            let severity = report
                .findings
                .iter()
                .filter(|x| x.rule == RuleId::OneConsortium)
                .map(|x| x.severity)
                .max();
            if let Some(check) = report
                .checks
                .iter_mut()
                .find(|c| c.rule == RuleId::OneConsortium)
            {
                check.status = match severity {
                    Some(Severity::Error) => Status::Fail,
                    Some(Severity::Warning) => Status::Warn,
                    None => Status::Pass,
                };
                check.detail = match count {
                    0 => format!(
                        "no applicant shared with {}",
                        crate::text::plural(others, "other consortium", "other consortia")
                    ),
                    n => format!(
                        "{} also in {}",
                        crate::text::plural(n, "applicant", "applicants"),
                        crate::text::plural(others, "other consortium", "other consortia")
                    ),
                };
            }
            report.settle();
        }
    }
}
