//! The parameters of `coordinator`: exactly one applicant coordinates.

use super::Ruleset;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Params {}

impl super::Validate for Params {}

/// The requirement in words, for `explain`, `calls` and `init`.
pub fn describe(_: &Params, _: &Ruleset) -> String {
    "exactly one coordinator".into()
}
