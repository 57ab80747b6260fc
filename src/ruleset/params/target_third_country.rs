//! The parameters of `target-third-country`: each target country is a third country for the call.

use super::Ruleset;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    /// The groups whose members are not third countries.
    pub not_in: Vec<String>,
}

impl super::Validate for Params {
    fn groups(&self) -> Vec<&str> {
        self.not_in.iter().map(String::as_str).collect()
    }
}

/// The requirement in words, for `explain`, `calls` and `init`.
pub fn describe(p: &Params, call: &Ruleset) -> String {
    let names: Vec<&str> = p
        .not_in
        .iter()
        .filter_map(|g| call.group(g))
        .map(|g| g.name.as_str())
        .collect();
    format!(
        "target countries outside the {}",
        crate::text::or_list(&names)
    )
}
