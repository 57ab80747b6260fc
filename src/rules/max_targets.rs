//! `max-targets`: the proposal targets at most N third countries or regions.

use super::{Bound, Count, Cx, Explanation, RuleId, Verdict};
use crate::ruleset::params::max_targets::Params;

pub const EXPLANATION: Explanation = Explanation {
    summary: "the proposal does not spread over more target markets than the call advises",
    why: "The 2020 call encourages applicants to target no more than five third countries or regions, so that \
the partnership's effort is not spread too thin. It is advice, not an eligibility condition, so the \
shipped rulesets report it as a warning.",
    failing: r#"[[target]]
country = "JP"
[[target]]
country = "CA"
[[target]]
country = "US"
[[target]]
country = "CN"
[[target]]
country = "IN"
[[target]]
region = "Mercosur""#,
    fixed: r#"[[target]]
country = "JP"
[[target]]
country = "CA"
[[target]]
region = "Mercosur""#,
};

/// What the rule's parameter is, in its summary line ("inferred maximum").
pub const PARAMETER: &str = "maximum";

/// The keys of the consortium file the rule reads.
pub const READS: &[super::KeyRef] = &[("", "target")];

pub fn check(p: &Params, cx: &mut Cx<'_>) -> Verdict {
    let markets = cx.markets();
    // Repeats are reported once, by `min-targets` where the call has it.
    if cx.setting_of(RuleId::MinTargets).is_none() {
        markets.report_repeats(cx);
    }
    Count {
        n: markets.distinct.len(),
        bound: Bound::AtMost(p.max),
        noun: ("target market", "target markets"),
        labels: &|| {
            markets
                .distinct
                .iter()
                .enumerate()
                .skip(p.max)
                .map(|(i, m)| {
                    (
                        m.span.clone(),
                        format!("market {} of at most {}", i + 1, p.max),
                    )
                })
                .collect()
        },
        help: format!("focus the strategy on at most {} target markets", p.max),
        unknown_open: markets.unknown_open,
        unknown_why: "could not be read",
        unknown: markets.unknown.clone(),
        key: "[[target]]",
    }
    .check(cx)
}
