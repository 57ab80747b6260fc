//! The parameters of `duplicate-partner`: no two applicants share a short name or a legal name.

use super::Ruleset;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Params {}

impl super::Validate for Params {}

/// The requirement in words, for `explain`, `calls` and `init`.
pub fn describe(_: &Params, _: &Ruleset) -> String {
    "no two applicants with the same short or legal name".into()
}
