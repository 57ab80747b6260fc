//! `legal-entity`: each applicant is a legal entity.

use super::{Coverage, Cx, Explanation, Verdict};
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

/// What the rule's parameter is, in its summary line ("inferred condition").
pub const PARAMETER: &str = "condition";

/// The keys of the consortium file the rule reads.
pub const READS: &[super::KeyRef] = &[("partner", "legal_entity")];

/// The requirement in words, for `explain`, `calls` and `init`.
pub fn describe(_: &Params, _: &Ruleset) -> String {
    "every applicant a legal entity".into()
}

pub fn check(_: &Params, cx: &mut Cx<'_>) -> Verdict {
    let mut coverage = Coverage::applicants(cx, "legal_entity");
    let (mut checked, mut bad) = (0, 0);
    let consortium = cx.consortium;
    for (i, partner) in consortium.partners.iter().enumerate() {
        let Some((legal, span)) = coverage.read(partner, &partner.legal_entity, Some(true)) else {
            continue;
        };
        checked += 1;
        if legal {
            continue;
        }
        bad += 1;
        let f = cx
            .finding(span, format!("{} is not a legal entity", partner.label(i)))
            .label("not a legal entity")
            .help(format!(
                "{} applicants must be legal entities: apply through the organisation that holds the cluster's legal personality",
                cx.call.id
            ));
        cx.emit(f);
    }
    if consortium.partners.is_empty() && coverage.complete() {
        return Verdict::skip("no applicants to check", &["[[partner]]"]);
    }
    let detail = format!(
        "{} of {} applicants are legal entities",
        checked - bad,
        checked
    );
    coverage.verdict(cx, detail, ("applicant", "applicants"))
}
