//! The check of one file: parse it, find its call's ruleset, run the rules
//! the call switches on, and gather the findings and the readiness summary.

use crate::clock::Clock;
use crate::consortium::{self, Consortium, Field, Sp};
use crate::finding::{Finding, Fix, Severity};
use crate::rule_id::RuleId;
use crate::rules::{self, Cx, RuleParams, Verdict};
use crate::ruleset::{Catalog, RuleSetting, Ruleset, StrandSetting};
use crate::source::SourceFile;
use serde::Serialize;
use std::sync::Arc;

mod across;
mod readings;

pub use across::across_files;

/// What a check needs besides the file.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// When the check is made, for the deadline.
    pub clock: Clock,
}

/// The outcome of one rule in the readiness summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Status {
    Pass,
    Fail,
    Warn,
    /// Not judged, or judged on part of the data only.
    Skip,
}

/// One line of the readiness summary.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    pub rule: RuleId,
    pub status: Status,
    pub detail: String,
    /// For a skipped check: the keys to add or fix for it to run.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub keys: Vec<String>,
}

/// Whether the file is ready to submit, as far as escp can tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Readiness {
    /// Every check that applies ran on valid data, and none failed.
    Ready,
    /// No error, but a check could not run (or ran on part of the data):
    /// the keys to add are in its readiness line.
    Incomplete,
    /// At least one error.
    NotReady,
    /// The file could not be checked (unreadable, not TOML, no call or an
    /// unknown one, an invalid ruleset).
    Unchecked,
}

/// An applicant as the checks across files see it.
#[derive(Debug, Clone)]
pub struct Applicant {
    /// Its legal name, where it is written.
    pub name: Sp<String>,
    /// Its organisation key ([`consortium::identity::organisation`]).
    pub organisation: String,
}

/// Everything escp found in one file.
#[derive(Debug, Clone)]
pub struct FileReport {
    pub source: SourceFile,
    /// The call's ruleset, if the file names a known call.
    pub call: Option<Arc<Ruleset>>,
    /// The strand's id as the ruleset spells it, if the file names one.
    pub strand: Option<String>,
    /// Where the file names its call (for verdicts that belong to the whole
    /// file), if it does.
    pub call_span: Option<crate::source::Span>,
    /// Format findings first, then the call rules' findings, each in the
    /// order of their position in the file.
    pub findings: Vec<Finding>,
    /// The readiness summary: every call rule evaluated, in a fixed order.
    pub checks: Vec<Check>,
    pub readiness: Readiness,
    /// Safe repairs that no finding carries (a strand written loosely).
    pub fixes: Vec<Fix>,
    /// The applicants' legal names, where they are written and their
    /// organisation keys, for the checks across files (`one-consortium`).
    pub applicants: Vec<Applicant>,
    /// Whether the rules could run at all.
    runnable: bool,
}

impl FileReport {
    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }

    /// The keys to add or fix for the skipped checks to run, in order.
    pub fn keys_to_add(&self) -> Vec<&str> {
        let mut keys: Vec<&str> = Vec::new();
        for check in self.checks.iter().filter(|c| c.status == Status::Skip) {
            for key in &check.keys {
                if !keys.contains(&key.as_str()) {
                    keys.push(key);
                }
            }
        }
        keys
    }

    /// A file that could not be read at all.
    pub fn unreadable(input: &crate::input::Unreadable) -> FileReport {
        use crate::input::UnreadableKind;
        let help = match input.kind {
            UnreadableKind::NotFound => "check the path; to start a consortium file, run `escp init --call ID` (`escp calls` lists the calls)",
            UnreadableKind::TooLarge => "check that the path names the consortium file: no consortium file comes near this size",
            UnreadableKind::Other => "check the path; escp reads UTF-8 text files (or `-` for standard input)",
        };
        let finding = Finding::new(
            RuleId::ReadError,
            0..0,
            format!(
                "cannot read {}: {}",
                crate::text::escape(&input.name),
                input.why
            ),
        )
        .help(help);
        finish(SourceFile::new(&input.name, ""), None, vec![finding])
    }
}

/// Checks the bytes of one input, as read from a file: the entry point of
/// the property tests and the fuzzer (`fuzz/`), which feed it anything.
pub fn check_bytes(name: &str, bytes: Vec<u8>, catalog: &Catalog, options: Options) -> FileReport {
    check_input(crate::input::decode(name, bytes), catalog, options)
}

/// Checks an input as [`crate::input`] read it: its text, or why it could
/// not be read (then the report is that `read-error`).
pub fn check_input(
    input: Result<SourceFile, crate::input::Unreadable>,
    catalog: &Catalog,
    options: Options,
) -> FileReport {
    match input {
        Ok(source) => check(source, catalog, options),
        Err(unreadable) => FileReport::unreadable(&unreadable),
    }
}

/// Checks one consortium file. A ruleset that cannot be loaded makes this
/// file unchecked (`invalid-ruleset`); it does not stop other files.
pub fn check(source: SourceFile, catalog: &Catalog, options: Options) -> FileReport {
    let (consortium, mut findings) = match consortium::parse(&source.text) {
        Ok(parsed) => parsed,
        Err(syntax) => return finish(source, None, syntax),
    };
    let call = match &consortium.call {
        Field::Given(call) => call,
        // No call (reported by the parser), or one that cannot be read:
        // nothing to check against.
        _ => return finish(source, None, findings),
    };
    let ruleset = match catalog.find(&call.value) {
        Ok(Some(ruleset)) => ruleset,
        Ok(None) => {
            let shown = crate::text::clean(&call.value);
            findings.push(
                Finding::new(
                    RuleId::UnknownCall,
                    call.span.clone(),
                    format!("\"{shown}\" is not a call escp knows"),
                )
                .label("unknown call")
                .help(catalog.unknown_hint(&call.value)),
            );
            return finish(source, None, findings);
        }
        Err(error) => {
            findings.push(
                Finding::new(
                    RuleId::InvalidRuleset,
                    call.span.clone(),
                    format!(
                        "the ruleset of \"{}\" cannot be loaded: {}",
                        crate::text::clean(&call.value),
                        error.summary()
                    ),
                )
                .label("its ruleset is invalid")
                .help("fix the ruleset (docs/rulesets.md describes the format); `escp calls` shows the error in full"),
            );
            return finish(source, None, findings);
        }
    };
    let strand = consortium
        .strand
        .given()
        .and_then(|s| ruleset.strand_index(&s.value));
    findings.extend(required_keys(&consortium, &source, &ruleset, strand));
    let mut run = Run {
        consortium: &consortium,
        source: &source,
        ruleset: &ruleset,
        strand,
        options,
        per_file: rules::PerFile::default(),
        findings: Vec::new(),
        fixes: Vec::new(),
    };
    let checks = run.rules();
    let (rule_findings, fixes) = (run.findings, run.fixes);
    findings.extend(rule_findings);
    let strand_id = strand.map(|i| ruleset.strands[i].id.clone());
    let call_span = call.span.clone();
    let mut report = finish(source, Some(ruleset), findings);
    report.call_span = Some(call_span);
    report.strand = strand_id;
    report.checks = checks;
    report.fixes = fixes;
    report.runnable = true;
    // The keys the rules computed (or compute now), not derived again.
    let keys: Vec<Option<String>> = (0..consortium.partners.len())
        .map(|i| consortium.organisation(i).map(str::to_string))
        .collect();
    report.applicants = consortium
        .partners
        .into_iter()
        .zip(keys)
        .filter_map(|(p, key)| match (p.name, key) {
            (Field::Given(name), Some(organisation)) => Some(Applicant { name, organisation }),
            _ => None,
        })
        .collect();
    report.settle();
    report
}

/// `missing-key` for the keys of [[partner]] that the call's rules read
/// (`country`, `type`, `eccp` are required where a rule reads them; a
/// call without an ECCP rule does not need `eccp`).
fn required_keys(
    consortium: &Consortium,
    source: &SourceFile,
    ruleset: &Ruleset,
    strand: Option<usize>,
) -> Vec<Finding> {
    let mut required: Vec<&str> = Vec::new();
    for entry in &ruleset.rules {
        let applies = match strand {
            Some(_) => matches!(entry.setting(strand), StrandSetting::Applies(_)),
            // Strand unknown: required if any strand's rule reads it.
            None => entry.per_strand.iter().any(Option::is_some),
        };
        if !applies {
            continue;
        }
        for (table, key) in entry.rule.reads() {
            if *table == "partner"
                && consortium::PARTNER_REQUIRED_IF_READ.contains(key)
                && !required.contains(key)
            {
                required.push(key);
            }
        }
    }
    let mut out = Vec::new();
    for partner in &consortium.partners {
        for key in consortium::PARTNER_REQUIRED_IF_READ {
            if !required.contains(key) {
                continue;
            }
            if let Some((true, header)) = partner.field_state(key) {
                out.push(consortium::missing_key(
                    &source.text,
                    key,
                    header,
                    "[[partner]]",
                ));
            }
        }
    }
    out
}

/// The rules of one file's call, run in order.
struct Run<'a> {
    consortium: &'a Consortium,
    source: &'a SourceFile,
    ruleset: &'a Ruleset,
    strand: Option<usize>,
    options: Options,
    per_file: rules::PerFile,
    findings: Vec<Finding>,
    fixes: Vec<Fix>,
}

impl Run<'_> {
    fn rules(&mut self) -> Vec<Check> {
        let mut checks = Vec::with_capacity(self.ruleset.rules.len());
        let mut ran: Vec<(RuleId, &RuleParams, usize, usize)> = Vec::new();
        for entry in &self.ruleset.rules {
            // Judged across the files of a run, not in one file (see
            // `across_files`).
            if entry.rule == RuleId::OneConsortium {
                continue;
            }
            let setting = match entry.setting(self.strand) {
                StrandSetting::Applies(setting) => setting,
                StrandSetting::NeedsStrand => {
                    checks.push(Check {
                        rule: entry.rule,
                        status: Status::Skip,
                        detail: "depends on the strand: set a valid `strand`".into(),
                        keys: vec!["strand".into()],
                    });
                    continue;
                }
                _ => continue,
            };
            let first = self.findings.len();
            let check = self.rule(entry.rule, setting);
            ran.push((entry.rule, &setting.params, first, self.findings.len()));
            checks.push(check);
        }
        self.one_cause_one_finding(&ran, &mut checks);
        checks
    }

    /// Runs one rule under every reading of its sources ([`readings`]).
    fn rule(&mut self, rule: RuleId, setting: &RuleSetting) -> Check {
        let (verdict, used, fixes) = self.judge(rule, setting, &setting.params);
        self.fixes.extend(fixes);
        let others: Vec<_> = setting
            .alternatives()
            .into_iter()
            .map(|alternative| {
                let (_, findings, _) = self.judge(rule, setting, alternative.params());
                (alternative, findings)
            })
            .collect();
        let (emitted, weighed) = readings::weigh(self.ruleset, setting, used, &others);
        let status = status_of(&verdict, &emitted);
        let note = readings::note(setting, rule.parameter(), weighed, status);
        let (detail, keys) = match verdict {
            Verdict::Checked(detail) => (detail, Vec::new()),
            Verdict::Skipped(skip) => (skip.detail, skip.keys),
        };
        self.findings.extend(emitted);
        Check {
            rule,
            status,
            detail: annotate(detail, &note),
            keys,
        }
    }

    /// One rule's verdict and findings under `params`.
    fn judge(
        &self,
        rule: RuleId,
        setting: &RuleSetting,
        params: &RuleParams,
    ) -> (Verdict, Vec<Finding>, Vec<Fix>) {
        let mut cx = Cx {
            consortium: self.consortium,
            source: self.source,
            call: self.ruleset,
            strand: self.strand.map(|i| &self.ruleset.strands[i]),
            clock: self.options.clock,
            rule,
            setting,
            per_file: &self.per_file,
            findings: Vec::new(),
            fixes: Vec::new(),
        };
        let verdict = rules::check(params, &mut cx);
        (verdict, cx.findings, cx.fixes)
    }

    /// Where one rule's requirement implies another's (three different EU
    /// Member States imply three different countries), a failure of both
    /// is one missing fact: it is reported once, by the stronger rule, and
    /// the weaker rule's summary line says so.
    fn one_cause_one_finding(
        &mut self,
        ran: &[(RuleId, &RuleParams, usize, usize)],
        checks: &mut [Check],
    ) {
        let worst = |range: std::ops::Range<usize>, findings: &[Finding]| {
            findings[range].iter().map(|f| f.severity).max()
        };
        let mut dropped: Vec<std::ops::Range<usize>> = Vec::new();
        // Only rules with findings can share a cause: most files have few.
        let with_findings: Vec<_> = ran.iter().filter(|(_, _, s0, s1)| s0 < s1).collect();
        for (strong, strong_params, s0, s1) in &with_findings {
            for (weak, weak_params, w0, w1) in &with_findings {
                if strong == weak {
                    continue;
                }
                let (Some(a), Some(b)) = (
                    worst(*s0..*s1, &self.findings),
                    worst(*w0..*w1, &self.findings),
                ) else {
                    continue;
                };
                if !strong_params.implies(weak_params, self.ruleset) {
                    continue;
                }
                // Both failed, or both warn of the same doubt.
                let status =
                    |rule: RuleId| checks.iter().find(|c| c.rule == rule).map(|c| c.status);
                let same = matches!(
                    (status(*strong), status(*weak)),
                    (Some(Status::Fail), Some(Status::Fail))
                        | (Some(Status::Warn), Some(Status::Warn))
                );
                if same && a >= b && !dropped.contains(&(*w0..*w1)) {
                    dropped.push(*w0..*w1);
                    if let Some(check) = checks.iter_mut().find(|c| c.rule == *weak) {
                        check.detail.push_str(&format!(" (reported with {strong})"));
                    }
                }
            }
        }
        dropped.sort_by_key(|r| std::cmp::Reverse(r.start));
        for range in dropped {
            self.findings.drain(range);
        }
    }
}

/// A summary line with the note on its basis: "(inferred cap)" after the
/// detail, or inside the detail's own closing parenthesis ("... (`legal_entity`
/// not given: taken as true; inferred condition)").
fn annotate(detail: String, note: &str) -> String {
    if note.is_empty() {
        // Most checks: no copy of the detail.
        return detail;
    }
    match note.strip_prefix(" (") {
        Some(inner) if detail.ends_with(')') => {
            format!("{}; {inner}", &detail[..detail.len() - 1])
        }
        _ => format!("{detail}{note}"),
    }
}

/// A check's status: it fails if it emitted an error (even when it could
/// not judge everything); otherwise a skip if it could not judge
/// everything; otherwise a warning or a pass.
fn status_of(verdict: &Verdict, emitted: &[Finding]) -> Status {
    if emitted.iter().any(|f| f.severity == Severity::Error) {
        Status::Fail
    } else if matches!(verdict, Verdict::Skipped(_)) {
        Status::Skip
    } else if !emitted.is_empty() {
        Status::Warn
    } else {
        Status::Pass
    }
}

fn finish(source: SourceFile, call: Option<Arc<Ruleset>>, findings: Vec<Finding>) -> FileReport {
    let mut report = FileReport {
        source,
        call,
        strand: None,
        call_span: None,
        findings,
        checks: Vec::new(),
        readiness: Readiness::Unchecked,
        fixes: Vec::new(),
        applicants: Vec::new(),
        runnable: false,
    };
    report.settle();
    report
}

impl FileReport {
    /// Orders the findings (format problems first: they are the causes) and
    /// derives the readiness; run again whenever findings or checks change.
    fn settle(&mut self) {
        self.findings.sort_by_key(|f| {
            (
                !f.rule.is_format_rule(),
                f.primary.span.start,
                f.primary.span.end,
                f.rule,
            )
        });
        self.readiness = if !self.runnable {
            Readiness::Unchecked
        } else if self.findings.iter().any(|f| f.severity == Severity::Error) {
            Readiness::NotReady
        } else if self.checks.iter().any(|c| c.status == Status::Skip) {
            Readiness::Incomplete
        } else {
            Readiness::Ready
        };
    }
}
