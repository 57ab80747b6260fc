//! The parameters of `eligible-country`: each applicant is established in an eligible country.

use super::Ruleset;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    /// The country groups whose members are eligible.
    pub groups: Vec<String>,
}

impl super::Validate for Params {
    fn groups(&self) -> Vec<&str> {
        self.groups.iter().map(String::as_str).collect()
    }
}

/// The requirement in words, for `explain`, `calls` and `init`.
pub fn describe(p: &Params, call: &Ruleset) -> String {
    let names: Vec<&str> = p
        .groups
        .iter()
        .filter_map(|g| call.group(g))
        .map(|g| g.name.as_str())
        .collect();
    format!(
        "every applicant established in {} on the deadline",
        crate::text::or_list(&names)
    )
}
