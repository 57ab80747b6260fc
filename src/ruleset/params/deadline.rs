//! The parameters of `deadline`: the call's submission deadline, and whether it has passed.

use super::Ruleset;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Params {}

impl super::Validate for Params {}

/// The requirement in words, for `explain`, `calls` and `init`.
pub fn describe(_: &Params, call: &Ruleset) -> String {
    format!("submitted by {}", call.deadline.when())
}
