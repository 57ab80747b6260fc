//! The parameters of `organisation-type`: each applicant is an organisation type the call allows.

use super::Ruleset;
use crate::consortium::{Keyword, OrgType};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    pub allowed: Vec<OrgType>,
}

impl super::Validate for Params {}

/// The requirement in words, for `explain`, `calls` and `init`.
pub fn describe(p: &Params, _: &Ruleset) -> String {
    let words: Vec<&str> = p.allowed.iter().map(|t| t.as_str()).collect();
    format!("every applicant of type {}", crate::text::or_list(&words))
}
