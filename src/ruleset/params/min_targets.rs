//! The parameters of `min-targets`: the proposal targets at least N third countries or regions.

use super::Ruleset;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    /// The least number of target markets.
    pub min: usize,
}

impl super::Validate for Params {
    fn invalid(&self) -> Option<(&'static str, String)> {
        super::at_least_one("min", self.min)
    }
}

/// The requirement in words, for `explain`, `calls` and `init`.
pub fn describe(p: &Params, _: &Ruleset) -> String {
    format!(
        "at least {} (third countries or world regions)",
        crate::text::plural(p.min, "target market", "target markets")
    )
}
