//! The check of one file: parse it, find its call's ruleset, run the rules
//! the call switches on, and gather the findings and the readiness summary.

use crate::clock::Clock;
use crate::consortium::{self, Consortium, Field, Sp};
use crate::finding::{Finding, Fix, Severity};
use crate::rules::{self, Cx, RuleId, RuleParams, Verdict};
use crate::ruleset::{Catalog, RuleSetting, Ruleset, StrandSetting};
use crate::source::SourceFile;
use serde::Serialize;
use std::sync::Arc;

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

    /// Runs one rule; a contested parameter is checked under both readings.
    fn rule(&mut self, rule: RuleId, setting: &RuleSetting) -> Check {
        let (verdict, mut emitted, fixes) = self.judge(rule, setting, &setting.params);
        self.fixes.extend(fixes);
        let mut detail_note = String::new();
        if let Some(other) = &setting.other {
            let (_, other_findings, _) = self.judge(rule, setting, &other.params);
            let fails = |f: &[Finding]| f.iter().any(|x| x.severity == Severity::Error);
            // Described only when the readings disagree.
            let call = self.ruleset;
            let readings = || (setting.params.describe(call), other.params.describe(call));
            // An error under one reading only is a warning that says which
            // reading it fails.
            let soften = |mut f: Finding, under: String, verdict: String| {
                f.severity = Severity::Warning;
                f.message = crate::text::printable(format!("{under}: {}", f.message));
                let help = f.help.take().map(|h| format!("{h}\n")).unwrap_or_default();
                f.help = Some(crate::text::printable(format!(
                    "{help}the sources disagree: {verdict}"
                )));
                f
            };
            match (fails(&emitted), fails(&other_findings)) {
                // Every reading agrees: the failure stands.
                (true, true) | (false, false) => {}
                (true, false) => {
                    let (used, another) = readings();
                    emitted = emitted
                        .into_iter()
                        .map(|f| match f.severity {
                            Severity::Error => soften(
                                f,
                                format!("under the reading of the sources escp uses ({used})"),
                                format!("this fails the reading used ({used}), but passes another ({another})"),
                            ),
                            _ => f,
                        })
                        .collect();
                    detail_note = " (fails one reading of contested sources)".into();
                }
                (false, true) => {
                    let (used, another) = readings();
                    emitted.extend(
                        other_findings
                            .into_iter()
                            .filter(|f| f.severity == Severity::Error)
                            .map(|f| {
                                soften(
                                    f,
                                    format!("under another reading of the sources ({another})"),
                                    format!("this passes the reading used ({used}), but fails another ({another})"),
                                )
                            }),
                    );
                    detail_note = " (fails another reading of contested sources)".into();
                }
            }
        }
        let status = status_of(&verdict, &emitted);
        let (detail, keys) = match verdict {
            Verdict::Checked(detail) => (detail, Vec::new()),
            Verdict::Skipped(skip) => (skip.detail, skip.keys),
        };
        self.findings.extend(emitted);
        Check {
            rule,
            status,
            detail: format!("{detail}{detail_note}"),
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
        for (strong, strong_params, s0, s1) in ran {
            for (weak, weak_params, w0, w1) in ran {
                if strong == weak || !strong_params.implies(weak_params, self.ruleset) {
                    continue;
                }
                let (Some(a), Some(b)) = (
                    worst(*s0..*s1, &self.findings),
                    worst(*w0..*w1, &self.findings),
                ) else {
                    continue;
                };
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

/// The checks that need several files: `one-consortium`. When a run checks
/// several files, those that name the same call (and phase, where the call
/// has phases) are compared; an organisation (the same legal name, as
/// [`consortium::identity::organisation`] defines it) that applies in more
/// than one of them is reported in each, naming the others. A run of one
/// file cannot judge the rule, and does not list it.
pub fn across_files(reports: &mut [FileReport]) {
    use std::collections::BTreeMap;
    if reports.len() < 2 {
        return;
    }
    // (call id, phase) -> indices of the files in it.
    let mut groups: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
    for (i, report) in reports.iter().enumerate() {
        let Some(call) = &report.call else { continue };
        if !report.runnable {
            continue;
        }
        if let Some(setting) = one_consortium(report) {
            if let RuleParams::OneConsortium(p) = &setting.params {
                groups
                    .entry((call.id.clone(), p.phase(report.strand.as_deref())))
                    .or_default()
                    .push(i);
            }
        }
    }
    for ((call_id, phase), files) in groups {
        // Legal name -> every (file, applicant) that has it.
        let mut seen: BTreeMap<String, Vec<(usize, usize)>> = BTreeMap::new();
        for &f in &files {
            for (a, applicant) in reports[f].applicants.iter().enumerate() {
                let places = seen.entry(applicant.organisation.clone()).or_default();
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
                            .position(reports[o].applicants[oa].name.span.start);
                        format!(
                            "{}:{}",
                            crate::text::escape(&reports[o].source.name),
                            at.line
                        )
                    })
                    .collect();
                let report = &reports[f];
                let call = report.call.as_ref().expect("grouped by call");
                let Some(setting) = one_consortium(report) else {
                    continue;
                };
                let cite = setting.citation(call);
                let name = &report.applicants[a].name;
                let mut finding = Finding::new(
                    RuleId::OneConsortium,
                    name.span.clone(),
                    format!(
                        "\"{}\" is also an applicant in {} for {call_id}{within}",
                        crate::text::clean(&name.value),
                        rules::and_list(&others)
                    ),
                )
                .severity(setting.severity)
                .source(cite.text)
                .label("applies in another consortium too")
                .help("an organisation may be in only one consortium: keep it in one of them (legal names are compared without case, accents, spacing, punctuation or the spelling of a legal form)");
                finding.source_urls = cite.urls;
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
            let status = match severity {
                Some(Severity::Error) => Status::Fail,
                Some(_) => Status::Warn,
                None => Status::Pass,
            };
            let detail = match (others, count) {
                (0, _) => "no other consortium for this call (and phase) in this run".to_string(),
                (_, 0) => format!(
                    "no applicant shared with {}",
                    crate::text::plural(others, "other consortium", "other consortia")
                ),
                (_, n) => format!(
                    "{} also in {}",
                    crate::text::plural(n, "applicant", "applicants"),
                    crate::text::plural(others, "other consortium", "other consortia")
                ),
            };
            let at = report
                .checks
                .iter()
                .position(|c| c.rule > RuleId::OneConsortium)
                .unwrap_or(report.checks.len());
            report.checks.insert(
                at,
                Check {
                    rule: RuleId::OneConsortium,
                    status,
                    detail,
                    keys: Vec::new(),
                },
            );
            report.settle();
        }
    }
}

/// The `one-consortium` setting of a checked file's call and strand.
fn one_consortium(report: &FileReport) -> Option<&RuleSetting> {
    let call = report.call.as_ref()?;
    let strand = report.strand.as_deref().and_then(|s| call.strand_index(s));
    match call.entry(RuleId::OneConsortium)?.setting(strand) {
        StrandSetting::Applies(setting) => Some(setting),
        _ => None,
    }
}
