//! `min-partners`: the consortium has at least N applicants.

use super::{Bound, Count, Cx, Explanation, Verdict};
use crate::ruleset::Ruleset;
use serde::{Deserialize, Serialize};

pub const EXPLANATION: Explanation = Explanation {
    summary: "the consortium has at least the number of applicants the call requires",
    why: "An ESCP-4i is a partnership across borders: every Clusters Go International call requires a \
consortium of at least three cluster or business network organisations. Every `[[partner]]`, the \
coordinator included, is an applicant.",
    failing: r#"[[partner]]
short_name = "AGRI-IT"
role = "coordinator"

[[partner]]
short_name = "AGRI-FR""#,
    fixed: r#"[[partner]]
short_name = "AGRI-IT"
role = "coordinator"

[[partner]]
short_name = "AGRI-FR"

[[partner]]
short_name = "AGRI-RS""#,
};

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    /// The least number of applicants.
    pub min: usize,
}

impl super::Params for Params {
    fn invalid(&self) -> Option<(&'static str, String)> {
        super::at_least_one("min", self.min)
    }
}

/// The requirement in words, for `explain`, `calls` and `init`.
pub fn describe(p: &Params, _: &Ruleset) -> String {
    format!(
        "at least {}",
        crate::text::plural(p.min, "applicant", "applicants")
    )
}

pub fn check(p: &Params, cx: &mut Cx<'_>) -> Verdict {
    let partners = &cx.consortium.partners;
    Count {
        n: partners.len(),
        bound: Bound::AtLeast(p.min),
        noun: ("applicant", "applicants"),
        labels: partners
            .iter()
            .enumerate()
            .map(|(i, partner)| {
                (
                    partner.header.clone(),
                    format!("applicant {}: {}", i + 1, partner.label(i)),
                )
            })
            .collect(),
        help: format!(
            "add {} more `[[partner]]` entr{}",
            p.min.saturating_sub(partners.len()),
            if p.min.saturating_sub(partners.len()) == 1 {
                "y"
            } else {
                "ies"
            }
        ),
    }
    .check(cx)
}
