//! `legal-entity`: each applicant is a legal entity.

use super::{Cx, Explanation, Verdict};
use crate::ruleset::Ruleset;
use serde::{Deserialize, Serialize};

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

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Params {}

impl super::Params for Params {}

/// The requirement in words, for `explain`, `calls` and `init`.
pub fn describe(_: &Params, _: &Ruleset) -> String {
    "every applicant a legal entity".into()
}

pub fn check(_: &Params, cx: &mut Cx<'_>) -> Verdict {
    let partners = &cx.consortium.partners;
    if partners.is_empty() {
        return Verdict::Skipped("no applicants".into());
    }
    let mut bad = 0;
    for (i, partner) in partners.iter().enumerate() {
        if partner.legal_entity.value {
            continue;
        }
        bad += 1;
        let f = cx
            .finding(
                partner.legal_entity.span_or(&partner.header),
                format!("{} is not a legal entity", partner.label(i)),
            )
            .label("not a legal entity")
            .help(format!(
                "{} applicants must be legal entities: apply through the organisation that holds the cluster's legal personality",
                cx.call.id
            ));
        cx.emit(f);
    }
    Verdict::Checked(format!(
        "{} of {} applicants are legal entities",
        partners.len() - bad,
        partners.len()
    ))
}
