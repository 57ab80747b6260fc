//! `eccp-registration`: each applicant's ECCP status is accepted by the call.

use super::{each_applicant, or_list, Cx, Explanation, Verdict};
use crate::consortium::Keyword;
use crate::ruleset::params::eccp_registration::Params;

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

/// What the rule's parameter is, in its summary line ("inferred statuses").
pub const PARAMETER: &str = "statuses";

/// The keys of the consortium file the rule reads.
pub const READS: &[super::KeyRef] = &[("partner", "eccp")];

pub fn check(p: &Params, cx: &mut Cx<'_>) -> Verdict {
    let accepted: Vec<&str> = p.accepted.iter().map(|s| s.as_str()).collect();
    let judged = each_applicant(
        cx,
        "eccp",
        |partner| &partner.eccp,
        None,
        |status| p.accepted.contains(&status),
        |cx, name, status, span| {
            cx.finding(
                span,
                format!(
                    "{name}'s ECCP status is \"{status}\"; {} accepts only {}",
                    cx.call_name(),
                    or_list(&accepted)
                ),
            )
            .label("ECCP status not accepted")
            .help(format!(
                "register the organisation on the European Cluster Collaboration Platform before the deadline, then set `eccp = \"{}\"`",
                accepted.first().copied().unwrap_or("registered")
            ))
        },
    );
    match judged {
        Err(skip) => skip,
        Ok(judged) => judged.verdict(
            cx,
            |checked| {
                format!(
                    "{} {}",
                    crate::text::plural(checked, "applicant", "applicants"),
                    or_list(&accepted)
                )
            },
            |refused, checked| {
                format!(
                    "{refused} of {checked} applicants not {}",
                    or_list(&accepted)
                )
            },
        ),
    }
}
