//! `legal-entity`: each applicant is a legal entity.

use super::{each_applicant, Cx, Explanation, Verdict};
use crate::ruleset::params::legal_entity::Params;

pub const EXPLANATION: Explanation = Explanation {
    summary: "each applicant is a legal entity",
    why: "A grant agreement is signed by legal persons. The 2017 and 2020 calls state that applicants are \
legal entities (a cluster managed by a host organisation applies through that organisation). \
`legal_entity` defaults to true; set it to false for an informal cluster without legal personality, \
and escp reports it.",
    failing: r#"[[partner]]
short_name = "INFORMAL-NET"
legal_entity = false"#,
    fixed: r#"[[partner]]
short_name = "NET-ASSOCIATION"
legal_entity = true"#,
};

/// What the rule's parameter is, in its summary line ("inferred condition").
pub const PARAMETER: &str = "condition";

/// The keys of the consortium file the rule reads.
pub const READS: &[super::KeyRef] = &[("partner", "legal_entity")];

pub fn check(_: &Params, cx: &mut Cx<'_>) -> Verdict {
    let judged = each_applicant(
        cx,
        "legal_entity",
        |partner| &partner.legal_entity,
        Some(true),
        |legal| legal,
        |cx, name, _, span| {
            cx.finding(span, format!("{name} is not a legal entity"))
                .label("not a legal entity")
                .help(format!(
                    "{} applicants must be legal entities: apply through the organisation that holds the cluster's legal personality",
                    cx.call.id
                ))
        },
    );
    match judged {
        Err(skip) => skip,
        Ok(judged) => judged.verdict(
            cx,
            |checked| format!("{checked} of {checked} applicants are legal entities"),
            |refused, checked| {
                format!(
                    "{} of {checked} applicants are legal entities",
                    checked - refused
                )
            },
        ),
    }
}
