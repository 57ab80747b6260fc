//! The parameters of `funding-rate`: the requested grant is within the call's co-financing rate.

use super::Ruleset;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    /// The maximum co-financing rate, in percent of the total eligible costs
    /// (of the costs other than financial support to third parties, where
    /// `third_party_percent` is set).
    pub max_percent: f64,
    /// The rate for the costs of financial support to third parties
    /// (`third_party_support_eur`), where the call funds them at a rate of
    /// their own (the Euroclusters calls: 100%).
    #[serde(default)]
    pub third_party_percent: Option<f64>,
}

impl super::Validate for Params {
    fn invalid(&self) -> Option<(&'static str, String)> {
        super::positive("max_percent", self.max_percent, Some(100.0)).or_else(|| {
            self.third_party_percent
                .and_then(|p| super::positive("third_party_percent", p, Some(100.0)))
        })
    }
}

/// The requirement in words, for `explain`, `calls` and `init`.
pub fn describe(p: &Params, _: &Ruleset) -> String {
    match p.third_party_percent {
        None => format!(
            "a grant of at most {}% of the total eligible costs",
            super::percent(p.max_percent)
        ),
        Some(tp) => format!(
            "a grant of at most {}% of the financial support to third parties plus {}% of the other eligible costs",
            super::percent(tp),
            super::percent(p.max_percent)
        ),
    }
}
