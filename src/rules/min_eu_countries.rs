//! `min-eu-countries`: at least N different EU Member States among the applicants.

use super::{Cx, DistinctCountries, Explanation, Verdict};
use crate::ruleset::params::min_eu_countries::Params;

pub const EXPLANATION: Explanation = Explanation {
    summary: "the applicants are established in at least N different EU Member States",
    why: "Calls open to non-EU COSME participating countries still anchor the partnership in the EU: strand \
A of the 2020 call requires at least two of the three countries to be EU Member States, strand B and \
the 2017 defence call three. Membership is judged at the call's deadline (the United Kingdom was a \
Member State until 31 January 2020, and counts during the Brexit transition only by inference).",
    failing: r#"[[partner]]
country = "IT"
[[partner]]
country = "RS"
[[partner]]
country = "TR""#,
    fixed: r#"[[partner]]
country = "IT"
[[partner]]
country = "FR"
[[partner]]
country = "RS""#,
};

/// What the rule's parameter is, in its summary line ("inferred minimum").
pub const PARAMETER: &str = "minimum";

/// The keys of the consortium file the rule reads.
pub const READS: &[super::KeyRef] = &[("partner", "country")];

pub fn check(p: &Params, cx: &mut Cx<'_>) -> Verdict {
    let name = cx.group(&p.group).name.clone();
    let groups = std::slice::from_ref(&p.group);
    let noun = (
        format!("country among the {name}"),
        format!("different countries among the {name}"),
    );
    DistinctCountries::of(cx, groups).at_least(cx, p.min, &name, (&noun.0, &noun.1), |_| {
        format!("add an applicant established in another of the {name}")
    })
}
