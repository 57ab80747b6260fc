//! `min-eu-countries`: at least N different EU Member States among the applicants.

use super::{Cx, DistinctCountries, Explanation, Verdict};
use crate::ruleset::Ruleset;
use serde::{Deserialize, Serialize};

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

impl super::Params for Params {
    fn groups(&self) -> Vec<&str> {
        vec![self.group.as_str()]
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

pub fn check(p: &Params, cx: &mut Cx<'_>) -> Verdict {
    let name = cx.group(&p.group).name.clone();
    let groups = std::slice::from_ref(&p.group);
    let noun = (
        format!("country among the {name}"),
        format!("different countries among the {name}"),
    );
    DistinctCountries::of(cx, groups).at_least(
        cx,
        p.min,
        &name,
        (&noun.0, &noun.1),
        format!("add an applicant established in another of the {name}"),
    )
}
