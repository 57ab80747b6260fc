//! The parameters of `third-party-support`: the part of the grant passed on to SMEs as
//! financial support to third parties (cascade funding) is at least the
//! call's share.

use super::Ruleset;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    /// The least share of the requested grant, in percent, that goes to
    /// third parties.
    pub min_percent_of_grant: f64,
}

impl super::Validate for Params {
    fn invalid(&self) -> Option<(&'static str, String)> {
        super::positive(
            "min_percent_of_grant",
            self.min_percent_of_grant,
            Some(100.0),
        )
    }
}

/// The requirement in words, for `explain`, `calls` and `init`.
pub fn describe(p: &Params, _: &Ruleset) -> String {
    format!(
        "financial support to third parties of at least {}% of the requested grant",
        super::percent(p.min_percent_of_grant)
    )
}
