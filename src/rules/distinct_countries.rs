//! `distinct-countries`: the eligible applicants come from at least N countries.

use super::{Cx, DistinctCountries, Explanation, Verdict};
use crate::ruleset::params::distinct_countries::Params;

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

/// What the rule's parameter is, in its summary line ("inferred minimum").
pub const PARAMETER: &str = "minimum";

/// The keys of the consortium file the rule reads.
pub const READS: &[super::KeyRef] = &[("partner", "country")];

pub fn check(p: &Params, cx: &mut Cx<'_>) -> Verdict {
    let noun = if p.among.is_empty() {
        ("country", "different countries")
    } else {
        ("eligible country", "different eligible countries")
    };
    let help = |cx: &Cx<'_>| {
        if p.among.is_empty() {
            "add an applicant established in another country".to_string()
        } else {
            format!(
                "add an applicant established in another of the {}",
                super::group_names(cx, &p.among)
            )
        }
    };
    DistinctCountries::of(cx, &p.among).at_least(cx, p.min, "countries", noun, help)
}
