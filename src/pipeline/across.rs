//! The checks across the files of one run: `one-consortium`.

use super::{Check, FileReport, Status};
use crate::finding::{Finding, Severity};
use crate::rule_id::RuleId;
use crate::rules::{self, RuleParams};
use crate::ruleset::{RuleSetting, StrandSetting};

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
