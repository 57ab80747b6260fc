//! `max-grant`: the requested grant is within the call's maximum per project.

use super::{Cx, Explanation, Verdict};
use crate::money::Euros;
use crate::ruleset::Ruleset;
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

/// What the rule's parameter is, in its summary line ("inferred cap").
pub const PARAMETER: &str = "cap";

/// The keys of the consortium file the rule reads.
pub const READS: &[super::KeyRef] = &[("proposal", "requested_grant_eur")];

/// The requirement in words, for `explain`, `calls` and `init`.
pub fn describe(p: &Params, _: &Ruleset) -> String {
    format!("a grant of at most EUR {}", p.max())
}

impl Params {
    /// The cap, to the cent (refused at load time if not a valid amount).
    pub fn max(&self) -> Euros {
        Euros::from_f64(self.max_eur).unwrap_or(Euros::MAX)
    }
}

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
