//! `max-grant`: the requested grant is within the call's maximum per project.

use super::{Cx, Explanation, Verdict};
use crate::ruleset::params::max_grant::Params;

pub const EXPLANATION: Explanation = Explanation {
    summary: "`requested_grant_eur` is within the call's maximum grant per project",
    why: "Each call (and strand) caps the EU contribution to one project: for example EUR 550,000 for strand A \
and EUR 450,000 for strand B of the 2020 call. A proposal asking for more is not eligible as it \
stands.",
    failing: r#"strand = "B"
[proposal]
requested_grant_eur = 500000"#,
    fixed: r#"strand = "B"
[proposal]
requested_grant_eur = 450000"#,
};

/// What the rule's parameter is, in its summary line ("inferred cap").
pub const PARAMETER: &str = "cap";

/// The keys of the consortium file the rule reads.
pub const READS: &[super::KeyRef] = &[("proposal", "requested_grant_eur")];

pub fn check(p: &Params, cx: &mut Cx<'_>) -> Verdict {
    let grant = match super::needed(
        cx,
        &cx.consortium.proposal.requested_grant_eur,
        "requested_grant_eur",
    ) {
        Ok(grant) => grant,
        Err(skip) => return skip,
    };
    let max = p.max();
    if grant.value > max {
        let f = cx
            .finding(
                grant.span.clone(),
                format!(
                    "the requested grant of EUR {} is above the maximum of EUR {max} for {}",
                    grant.value,
                    cx.call_name()
                ),
            )
            .label(format!(
                "EUR {} over the cap",
                grant.value.saturating_sub(max)
            ))
            .help(format!("request at most EUR {max}"));
        cx.emit(f);
    }
    Verdict::Checked(format!("grant EUR {} of at most {max}", grant.value))
}
