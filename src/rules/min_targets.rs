//! `min-targets`: the proposal targets at least N third countries or regions.

use super::markets::Resolved;
use super::{Bound, Count, Cx, Explanation, Verdict};
use crate::ruleset::params::min_targets::Params;

pub const EXPLANATION: Explanation = Explanation {
    summary: "the proposal has at least the number of target markets the call requires",
    why: "The partnership builds cooperation with international partners in specific third markets. The \
2020 call asks for a minimum of two third countries or world regions. Each `[[target]]` names one \
country (`country = \"JP\"`) or one world region (`region = \"Mercosur\"`). A region escp does not know \
never counts toward the minimum: it cannot tell whether it is a third country, or how many.",
    failing: r#"[[target]]
country = "JP""#,
    fixed: r#"[[target]]
country = "JP"

[[target]]
region = "Mercosur""#,
};

/// What the rule's parameter is, in its summary line ("inferred minimum").
pub const PARAMETER: &str = "minimum";

/// The keys of the consortium file the rule reads.
pub const READS: &[super::KeyRef] = &[("", "target")];

pub fn check(p: &Params, cx: &mut Cx<'_>) -> Verdict {
    let markets = cx.markets();
    markets.report_repeats(cx);
    // A target escp cannot place (a region it does not know) never counts:
    // it may be a third country, or not, or several. It is counted as
    // unknown: a minimum it could reach is not judged, and one that even
    // counting it falls short of fails.
    let (placed, unplaced): (Vec<_>, Vec<_>) = markets
        .distinct
        .iter()
        .partition(|m| !matches!(m.resolved, Resolved::Unknown));
    let mut unknown: Vec<_> = unplaced.iter().map(|m| m.span.clone()).collect();
    let why = if markets.unknown.is_empty() {
        "cannot be placed: escp does not know the region (name its countries one by one)"
    } else if unknown.is_empty() {
        "could not be read"
    } else {
        "could not be read or placed"
    };
    unknown.extend(markets.unknown.iter().cloned());
    let key = if unplaced.is_empty() {
        "[[target]]"
    } else {
        "region"
    };
    Count {
        n: placed.len(),
        bound: Bound::AtLeast(p.min),
        noun: ("target market", "target markets"),
        labels: &|| {
            placed
                .iter()
                .map(|m| (m.span.clone(), m.resolved.name(&m.written)))
                .collect()
        },
        help: "add a `[[target]]` with a third country (`country = \"..\"`, a two-letter code) or a world region (`region = \"..\"`)"
            .into(),
        unknown_open: markets.unknown_open,
        unknown,
        unknown_why: why,
        key,
    }
    .check(cx)
}
