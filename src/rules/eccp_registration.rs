//! `eccp-registration`: each applicant's ECCP status is accepted by the call.

use super::{or_list, Coverage, Cx, Explanation, Verdict};
use crate::consortium::{Eccp, Keyword};
use crate::ruleset::Ruleset;
use serde::{Deserialize, Serialize};

pub const EXPLANATION: Explanation = Explanation {
    summary: "each applicant's status on the European Cluster Collaboration Platform is accepted by the call",
    why: "The calls are open only to organisations that have a profile on the European Cluster Collaboration \
Platform (ECCP). The 2020 call accepts organisations registered or with a registration request \
submitted; the earlier calls also accept those that plan to register. `eccp` is \"registered\", \
\"requested\", \"planned\" or \"none\".",
    failing: r#"[[partner]]
short_name = "AGRI-FR"
eccp = "planned""#,
    fixed: r#"[[partner]]
short_name = "AGRI-FR"
eccp = "requested""#,
};

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    pub accepted: Vec<Eccp>,
}

impl super::Params for Params {}

/// What the rule's parameter is, in its summary line ("inferred statuses").
pub const PARAMETER: &str = "statuses";

/// The keys of the consortium file the rule reads.
pub const READS: &[super::KeyRef] = &[("partner", "eccp")];

/// The requirement in words, for `explain`, `calls` and `init`.
pub fn describe(p: &Params, _: &Ruleset) -> String {
    let words: Vec<&str> = p.accepted.iter().map(|s| s.as_str()).collect();
    format!("every applicant's ECCP status {}", super::or_list(&words))
}

pub fn check(p: &Params, cx: &mut Cx<'_>) -> Verdict {
    let accepted: Vec<&str> = p.accepted.iter().map(|s| s.as_str()).collect();
    let mut coverage = Coverage::applicants(cx, "eccp");
    let (mut checked, mut bad) = (0, 0);
    let consortium = cx.consortium;
    for (i, partner) in consortium.partners.iter().enumerate() {
        let Some((status, span)) = coverage.read(partner, &partner.eccp, None) else {
            continue;
        };
        checked += 1;
        if p.accepted.contains(&status) {
            continue;
        }
        bad += 1;
        let f = cx
            .finding(
                span,
                format!(
                    "{}'s ECCP status is \"{status}\"; {} accepts only {}",
                    partner.label(i),
                    cx.call_name(),
                    or_list(&accepted)
                ),
            )
            .label("ECCP status not accepted")
            .help(format!(
                "register the organisation on the European Cluster Collaboration Platform before the deadline, then set `eccp = \"{}\"`",
                accepted.first().copied().unwrap_or("registered")
            ));
        cx.emit(f);
    }
    if consortium.partners.is_empty() && coverage.complete() {
        return Verdict::skip("no applicants to check", &["[[partner]]"]);
    }
    let detail = if bad == 0 {
        format!(
            "{} {}",
            crate::text::plural(checked, "applicant", "applicants"),
            or_list(&accepted)
        )
    } else {
        format!("{bad} of {checked} applicants not {}", or_list(&accepted))
    };
    coverage.verdict(cx, detail, ("applicant", "applicants"))
}
