//! `distinct-countries`: the eligible applicants come from at least N countries.

use super::{Cx, DistinctCountries, Explanation, Verdict};
use crate::ruleset::Ruleset;
use serde::{Deserialize, Serialize};

pub const EXPLANATION: Explanation = Explanation {
    summary: "the eligible applicants are established in at least N different countries",
    why: "A European Strategic Cluster Partnership spans borders: the calls ask for organisations from at \
least three different countries. Only applicants established in an eligible country count. Two \
clusters from the same country count once.",
    failing: r#"[[partner]]
short_name = "AGRI-IT"
country = "IT"
[[partner]]
short_name = "FOOD-IT"
country = "IT"
[[partner]]
short_name = "AGRI-FR"
country = "FR""#,
    fixed: r#"[[partner]]
short_name = "AGRI-IT"
country = "IT"
[[partner]]
short_name = "AGRI-ES"
country = "ES"
[[partner]]
short_name = "AGRI-FR"
country = "FR""#,
};

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    /// The least number of different countries.
    pub min: usize,
    /// The country groups whose members count (all countries if empty).
    #[serde(default)]
    pub among: Vec<String>,
}

impl super::Params for Params {
    fn groups(&self) -> Vec<&str> {
        self.among.iter().map(String::as_str).collect()
    }

    fn invalid(&self) -> Option<(&'static str, String)> {
        super::at_least_one("min", self.min)
    }
}

/// What the rule's parameter is, in its summary line ("inferred minimum").
pub const PARAMETER: &str = "minimum";

/// The keys of the consortium file the rule reads.
pub const READS: &[super::KeyRef] = &[("partner", "country")];

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
        format!(" among the {}", super::or_list(&names))
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

pub fn check(p: &Params, cx: &mut Cx<'_>) -> Verdict {
    let noun = if p.among.is_empty() {
        ("country", "different countries")
    } else {
        ("eligible country", "different eligible countries")
    };
    let help = if p.among.is_empty() {
        "add an applicant established in another country".to_string()
    } else {
        format!(
            "add an applicant established in another of the {}",
            super::group_names(cx, &p.among)
        )
    };
    DistinctCountries::of(cx, &p.among).at_least(cx, p.min, "countries", noun, help)
}
