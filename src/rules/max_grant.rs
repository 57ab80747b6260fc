//! `max-grant`: the requested grant is within the call's maximum per project.

use super::{Cx, Explanation, Verdict};
use crate::ruleset::Ruleset;
use crate::text::euros;
use serde::{Deserialize, Serialize};

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

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    /// The maximum EU contribution per project, in euros.
    pub max_eur: f64,
}

impl super::Params for Params {
    fn invalid(&self) -> Option<(&'static str, String)> {
        super::positive("max_eur", self.max_eur, None)
    }
}

/// The requirement in words, for `explain`, `calls` and `init`.
pub fn describe(p: &Params, _: &Ruleset) -> String {
    format!("a grant of at most EUR {}", crate::text::euros(p.max_eur))
}

pub fn check(p: &Params, cx: &mut Cx<'_>) -> Verdict {
    let Some(grant) = &cx.consortium.proposal.requested_grant_eur else {
        return Verdict::Skipped("add `requested_grant_eur` to [proposal]".into());
    };
    if grant.value > p.max_eur {
        let f = cx
            .finding(
                grant.span.clone(),
                format!(
                    "the requested grant of EUR {} is above the maximum of EUR {} for {}",
                    euros(grant.value),
                    euros(p.max_eur),
                    cx.call_name()
                ),
            )
            .label(format!(
                "EUR {} over the cap",
                euros(grant.value - p.max_eur)
            ))
            .help(format!("request at most EUR {}", euros(p.max_eur)));
        cx.emit(f);
    }
    Verdict::Checked(format!(
        "grant EUR {} of at most {}",
        euros(grant.value),
        euros(p.max_eur)
    ))
}
