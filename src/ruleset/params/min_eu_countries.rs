//! The parameters of `min-eu-countries`: at least N different EU Member States among the applicants.

use super::Ruleset;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    /// The least number of different Member States.
    pub min: usize,
    /// The group of Member States (default "eu").
    #[serde(default = "eu")]
    pub group: String,
}

fn eu() -> String {
    "eu".into()
}

impl super::Validate for Params {
    fn groups(&self) -> Vec<&str> {
        vec![self.group.as_str()]
    }

    fn invalid(&self) -> Option<(&'static str, String)> {
        super::at_least_one("min", self.min)
    }
}

/// The requirement in words, for `explain`, `calls` and `init`.
pub fn describe(p: &Params, call: &Ruleset) -> String {
    let name = call
        .group(&p.group)
        .map(|g| g.name.as_str())
        .unwrap_or(&p.group);
    if p.min == 1 {
        return format!("at least 1 applicant established in one of the {name}");
    }
    format!(
        "at least {} different {name} among the applicants' countries",
        p.min
    )
}
