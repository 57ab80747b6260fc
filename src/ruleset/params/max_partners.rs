//! The parameters of `max-partners`: the consortium has at most N applicants.

use super::Ruleset;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    /// The greatest number of applicants.
    pub max: usize,
}

impl super::Validate for Params {
    fn invalid(&self) -> Option<(&'static str, String)> {
        super::at_least_one("max", self.max)
    }
}

/// The requirement in words, for `explain`, `calls` and `init`.
pub fn describe(p: &Params, _: &Ruleset) -> String {
    format!(
        "at most {}",
        crate::text::plural(p.max, "applicant", "applicants")
    )
}
