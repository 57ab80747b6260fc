//! `min-targets`: the proposal targets at least N third countries or regions.

use super::markets::Markets;
use super::{Bound, Count, Cx, Explanation, Verdict};
use crate::ruleset::Ruleset;
use serde::{Deserialize, Serialize};

pub const EXPLANATION: Explanation = Explanation {
    summary: "the proposal has at least the number of target markets the call requires",
    why: "The partnership builds cooperation with international partners in specific third markets. The \
2020 call asks for a minimum of two third countries or world regions. Each `[[target]]` names one \
country (`country = \"JP\"`) or one world region (`region = \"Mercosur\"`).",
    failing: r#"[[target]]
country = "JP""#,
    fixed: r#"[[target]]
country = "JP"

[[target]]
region = "Mercosur""#,
};

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    /// The least number of target markets.
    pub min: usize,
}

impl super::Params for Params {
    fn invalid(&self) -> Option<(&'static str, String)> {
        super::at_least_one("min", self.min)
    }
}

/// The keys of the consortium file the rule reads.
pub const READS: &[super::KeyRef] = &[("", "target")];

/// The requirement in words, for `explain`, `calls` and `init`.
pub fn describe(p: &Params, _: &Ruleset) -> String {
    format!(
        "at least {} (third countries or world regions)",
        crate::text::plural(p.min, "target market", "target markets")
    )
}

pub fn check(p: &Params, cx: &mut Cx<'_>) -> Verdict {
    let markets = Markets::of(cx);
    markets.report_repeats(cx);
    Count {
        n: markets.distinct.len(),
        bound: Bound::AtLeast(p.min),
        noun: ("target market", "target markets"),
        labels: markets
            .distinct
            .iter()
            .map(|m| (m.span.clone(), m.resolved.name(&m.written)))
            .collect(),
        help: "add a `[[target]]` with a third country (`country = \"..\"`, a two-letter code) or a world region (`region = \"..\"`)"
            .into(),
        unknown_open: markets.unknown_open,
        unknown: markets.unknown,
        key: "[[target]]",
    }
    .check(cx)
}
