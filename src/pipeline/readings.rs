//! Judging one rule under every plausible reading of its sources.
//!
//! A confirmed parameter has one reading. A contested one has two (the
//! value used and the other sources' value); an inferred one has the value
//! used and the most lenient reading that no plausible interpretation of
//! the call goes below (or none at all: no requirement is known). The rule
//! runs under each, and each of its errors is weighed on its own, by where
//! it points: an error that every reading makes stays an error; one that
//! only some readings make is a warning that says which. So, in one file,
//! a Swiss partner (outside every reading's countries) is an error on its
//! line while a Serbian one (outside only the stricter reading) is a
//! warning on its.

use super::Status;
use crate::finding::{Basis, Finding, Severity};
use crate::ruleset::{Alternative, RuleSetting, Ruleset};

/// What the readings made of a rule's findings, for its summary line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Weighed {
    /// One reading, or every reading agrees on every finding.
    Agreed,
    /// Some error holds under some readings only: it is a warning.
    Split,
    /// No requirement is known for certain: every error is a warning.
    WarnOnly,
}

/// The findings of a rule, once weighed across its readings: `used` are
/// the findings under the reading used, `others` those under each other
/// reading (in the order of [`RuleSetting::alternatives`]).
pub(super) fn weigh(
    call: &Ruleset,
    setting: &RuleSetting,
    used: Vec<Finding>,
    others: &[(Alternative<'_>, Vec<Finding>)],
) -> (Vec<Finding>, Weighed) {
    let fails = |findings: &[Finding], at: &crate::source::Span| {
        findings
            .iter()
            .any(|f| f.severity == Severity::Error && f.primary.span == *at)
    };
    // Worded only where a finding needs it: most rules of most files pass.
    let used_words = std::cell::OnceCell::new();
    let used_words = || {
        used_words
            .get_or_init(|| setting.params.describe(call))
            .as_str()
    };
    let mut weighed = Weighed::Agreed;
    let mut out: Vec<Finding> = Vec::with_capacity(used.len());
    for finding in used {
        if finding.severity != Severity::Error {
            out.push(finding);
            continue;
        }
        if setting.warn_only() {
            weighed = Weighed::WarnOnly;
            let why = setting
                .lenient
                .as_ref()
                .map(|l| l.why.as_str())
                .unwrap_or_default();
            out.push(soften(
                finding,
                "inferred requirement",
                &format!(
                    "no requirement is known for certain ({why}), so this is a warning: confirm it with the call text"
                ),
            ));
            continue;
        }
        let passes: Vec<&Alternative<'_>> = others
            .iter()
            .filter(|(_, theirs)| !fails(theirs, &finding.primary.span))
            .map(|(a, _)| a)
            .collect();
        match passes.first() {
            None => out.push(every_reading_fails(finding, call, setting)),
            Some(passing) => {
                weighed = Weighed::Split;
                let another = passing.params().describe(call);
                let (under, why) = match (setting.basis, passing) {
                    (_, Alternative::Lenient(_, why)) => (
                        "inferred requirement".to_string(),
                        format!(
                            "inferred, not confirmed: the most lenient reading, {another} ({why}), passes, so this is a warning"
                        ),
                    ),
                    _ => (
                        format!("under the reading of the sources escp uses ({})", used_words()),
                        format!(
                            "the sources disagree: this fails the reading used ({}), but passes another ({another})",
                            used_words()
                        ),
                    ),
                };
                out.push(soften(finding, &under, &why));
            }
        }
    }
    // Errors that only another reading makes (a stricter reading of
    // contested sources): warnings, once per place.
    for (alternative, theirs) in others {
        let another = alternative.params().describe(call);
        for finding in theirs {
            let at = &finding.primary.span;
            if finding.severity != Severity::Error || out.iter().any(|f| f.primary.span == *at) {
                continue;
            }
            weighed = Weighed::Split;
            let under = match alternative {
                Alternative::Lenient(..) => format!("under the most lenient reading ({another})"),
                Alternative::Other(_) => {
                    format!("under another reading of the sources ({another})")
                }
            };
            out.push(soften(
                finding.clone(),
                &under,
                &format!(
                    "the sources disagree: this passes the reading used ({}), but fails another ({another})",
                    used_words()
                ),
            ));
        }
    }
    (out, weighed)
}

/// An error under every reading stays an error; where the rule has more
/// than one reading, its help says that they all fail.
fn every_reading_fails(mut finding: Finding, call: &Ruleset, setting: &RuleSetting) -> Finding {
    let note = match setting.basis {
        Basis::Confirmed => return finding,
        Basis::Contested => {
            "the sources disagree, but this fails every reading of them".to_string()
        }
        Basis::Inferred => match setting.lenient.as_deref() {
            Some(lenient) if lenient.params.as_ref() == Some(&setting.params) => format!(
                "inferred, not confirmed, but every reading asks the same: {}",
                lenient.why
            ),
            Some(_) => format!(
                "inferred, not confirmed; but even the most lenient reading fails: {}",
                setting.lenient_words(call).unwrap_or_default()
            ),
            None => return finding,
        },
    };
    let help = finding
        .help
        .take()
        .map(|h| format!("{h}\n"))
        .unwrap_or_default();
    finding.help = Some(crate::text::printable(format!("{help}{note}")));
    finding
}

/// An error under some readings only: a warning that says under which.
fn soften(mut finding: Finding, under: &str, why: &str) -> Finding {
    finding.severity = Severity::Warning;
    finding.message = crate::text::printable(format!("{under}: {}", finding.message));
    let help = finding
        .help
        .take()
        .map(|h| format!("{h}\n"))
        .unwrap_or_default();
    finding.help = Some(crate::text::printable(format!("{help}{why}")));
    finding
}

/// What the summary line of a rule that passes or warns adds about its
/// basis: "(inferred cap)", "(contested cap: fails one reading of the
/// sources)"; nothing for a confirmed one, nor where it fails or was
/// skipped (the findings say why).
pub(super) fn note(
    setting: &RuleSetting,
    parameter: &str,
    weighed: Weighed,
    status: Status,
) -> String {
    if !matches!(status, Status::Pass | Status::Warn) {
        return String::new();
    }
    match (setting.basis, weighed) {
        (Basis::Confirmed, _) => String::new(),
        (_, Weighed::WarnOnly) => {
            format!(" (inferred {parameter}; no requirement known for certain: warnings only)")
        }
        (Basis::Contested, Weighed::Agreed) => format!(" (contested {parameter})"),
        (_, Weighed::Agreed) => format!(" (inferred {parameter})"),
        (Basis::Contested, Weighed::Split) => {
            format!(" (contested {parameter}: fails one reading of the sources)")
        }
        (_, Weighed::Split) => {
            format!(" (inferred {parameter}: passes only its most lenient reading)")
        }
    }
}
