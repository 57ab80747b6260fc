//! `organisation-type`: each applicant is an organisation type the call allows.

use super::{each_applicant, or_list, Cx, Explanation, Verdict};
use crate::consortium::Keyword;
use crate::ruleset::params::organisation_type::Params;

pub const EXPLANATION: Explanation = Explanation {
    summary: "each applicant's `type` is one the call allows",
    why: "Clusters Go International funds cluster organisations and business network organisations: the \
bodies that manage a cluster or network of SMEs, not companies, universities or public authorities \
(`type = \"other\"`). Such bodies can support a partnership, but not as applicants.",
    failing: r#"[[partner]]
short_name = "UNI-X"
type = "other""#,
    fixed: r#"[[partner]]
short_name = "CLUSTER-X"
type = "cluster-organisation""#,
};

/// What the rule's parameter is, in its summary line ("inferred types").
pub const PARAMETER: &str = "types";

/// The keys of the consortium file the rule reads.
pub const READS: &[super::KeyRef] = &[("partner", "type")];

pub fn check(p: &Params, cx: &mut Cx<'_>) -> Verdict {
    let allowed: Vec<&str> = p.allowed.iter().map(|t| t.as_str()).collect();
    let judged = each_applicant(
        cx,
        "type",
        |partner| &partner.kind,
        None,
        |kind| p.allowed.contains(&kind),
        |cx, name, kind, span| {
            cx.finding(
                span,
                format!(
                    "{name} is of type \"{kind}\", which cannot apply to {}",
                    cx.call_name()
                ),
            )
            .label("type not allowed")
            .help(format!("applicants must be {}", or_list(&allowed)))
        },
    );
    match judged {
        Err(skip) => skip,
        Ok(judged) => judged.verdict(
            cx,
            |checked| {
                format!(
                    "{} of an allowed type",
                    crate::text::plural(checked, "applicant", "applicants")
                )
            },
            |refused, checked| format!("{refused} of {checked} applicants of a type not allowed"),
        ),
    }
}
