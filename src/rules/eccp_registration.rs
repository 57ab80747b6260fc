//! `eccp-registration`: each applicant's ECCP status is accepted by the call.

use super::{or_list, Cx, Explanation, Verdict};
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

/// The requirement in words, for `explain`, `calls` and `init`.
pub fn describe(p: &Params, _: &Ruleset) -> String {
    let words: Vec<&str> = p.accepted.iter().map(|s| s.as_str()).collect();
    format!("every applicant's ECCP status {}", super::or_list(&words))
}

pub fn check(p: &Params, cx: &mut Cx<'_>) -> Verdict {
    let accepted: Vec<&str> = p.accepted.iter().map(|s| s.as_str()).collect();
    let (mut checked, mut bad) = (0, 0);
    for (i, partner) in cx.consortium.partners.iter().enumerate() {
        let Some(status) = &partner.eccp else {
            continue;
        };
        checked += 1;
        if p.accepted.contains(&status.value) {
            continue;
        }
        bad += 1;
        let f = cx
            .finding(
                status.span.clone(),
                format!(
                    "{}'s ECCP status is \"{}\"; {} accepts only {}",
                    partner.label(i),
                    status.value,
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
    match (checked, bad) {
        (0, _) => Verdict::Skipped("no applicant has a valid `eccp`".into()),
        (n, 0) => Verdict::Checked(format!(
            "{} {}",
            crate::text::plural(n, "applicant", "applicants"),
            or_list(&accepted)
        )),
        (n, bad) => Verdict::Checked(format!(
            "{bad} of {n} applicants not {}",
            or_list(&accepted)
        )),
    }
}
