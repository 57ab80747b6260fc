//! The parameters of `eccp-registration`: each applicant's ECCP status is accepted by the call.

use super::Ruleset;
use crate::consortium::{Eccp, Keyword};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    pub accepted: Vec<Eccp>,
}

impl super::Validate for Params {}

/// The requirement in words, for `explain`, `calls` and `init`.
pub fn describe(p: &Params, _: &Ruleset) -> String {
    let words: Vec<&str> = p.accepted.iter().map(|s| s.as_str()).collect();
    format!(
        "every applicant's ECCP status {}",
        crate::text::or_list(&words)
    )
}
