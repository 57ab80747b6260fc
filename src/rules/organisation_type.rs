//! `organisation-type`: each applicant is an organisation type the call allows.

use super::{or_list, Coverage, Cx, Explanation, Verdict};
use crate::consortium::{Keyword, OrgType};
use crate::ruleset::Ruleset;
use serde::{Deserialize, Serialize};

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

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    pub allowed: Vec<OrgType>,
}

impl super::Params for Params {}

/// What the rule's parameter is, in its summary line ("inferred types").
pub const PARAMETER: &str = "types";

/// The keys of the consortium file the rule reads.
pub const READS: &[super::KeyRef] = &[("partner", "type")];

/// The requirement in words, for `explain`, `calls` and `init`.
pub fn describe(p: &Params, _: &Ruleset) -> String {
    let words: Vec<&str> = p.allowed.iter().map(|t| t.as_str()).collect();
    format!("every applicant of type {}", super::or_list(&words))
}

pub fn check(p: &Params, cx: &mut Cx<'_>) -> Verdict {
    let allowed: Vec<&str> = p.allowed.iter().map(|t| t.as_str()).collect();
    let mut coverage = Coverage::applicants(cx, "type");
    let (mut checked, mut bad) = (0, 0);
    let consortium = cx.consortium;
    for (i, partner) in consortium.partners.iter().enumerate() {
        let Some((kind, span)) = coverage.read(partner, &partner.kind, None) else {
            continue;
        };
        checked += 1;
        if p.allowed.contains(&kind) {
            continue;
        }
        bad += 1;
        let f = cx
            .finding(
                span,
                format!(
                    "{} is of type \"{kind}\", which cannot apply to {}",
                    partner.label(i),
                    cx.call_name()
                ),
            )
            .label("type not allowed")
            .help(format!("applicants must be {}", or_list(&allowed)));
        cx.emit(f);
    }
    if consortium.partners.is_empty() && coverage.complete() {
        return Verdict::skip("no applicants to check", &["[[partner]]"]);
    }
    let detail = if bad == 0 {
        format!(
            "{} of an allowed type",
            crate::text::plural(checked, "applicant", "applicants")
        )
    } else {
        format!("{bad} of {checked} applicants of a type not allowed")
    };
    coverage.verdict(cx, detail, ("applicant", "applicants"))
}
