//! The parameters of `distinct-countries`: the eligible applicants come from at least N countries.

use super::Ruleset;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    /// The least number of different countries.
    pub min: usize,
    /// The country groups whose members count (all countries if empty).
    #[serde(default)]
    pub among: Vec<String>,
}

impl super::Validate for Params {
    fn groups(&self) -> Vec<&str> {
        self.among.iter().map(String::as_str).collect()
    }

    fn invalid(&self) -> Option<(&'static str, String)> {
        super::at_least_one("min", self.min)
    }
}

/// The requirement in words, for `explain`, `calls` and `init`.
pub fn describe(p: &Params, call: &Ruleset) -> String {
    let among = if p.among.is_empty() {
        String::new()
    } else {
        let names: Vec<&str> = p
            .among
            .iter()
            .filter_map(|g| call.group(g))
            .map(|g| g.name.as_str())
            .collect();
        format!(" among the {}", crate::text::or_list(&names))
    };
    if p.min == 1 {
        // "at least 1 different countries" is not English: one country
        // means at least one applicant established there.
        return if among.is_empty() {
            "at least 1 applicant with a country".to_string()
        } else {
            format!(
                "at least 1 applicant established in one of the{}",
                &among[" among the".len()..]
            )
        };
    }
    format!(
        "applicants in at least {} different countries{among}",
        p.min
    )
}
