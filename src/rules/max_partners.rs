//! `max-partners`: the consortium has at most N applicants.

use super::{Bound, Count, Cx, Explanation, Verdict};
use crate::ruleset::params::max_partners::Params;

pub const EXPLANATION: Explanation = Explanation {
    summary: "the consortium has no more applicants than the call allows",
    why: "Some calls cap the size of a consortium to keep partnerships manageable. None of the Clusters Go \
International calls escp ships sets a cap, so this rule is available for rulesets of other calls.",
    failing: r#"# with a ruleset that sets max = 2
[[partner]]
short_name = "A"
[[partner]]
short_name = "B"
[[partner]]
short_name = "C""#,
    fixed: r#"[[partner]]
short_name = "A"
[[partner]]
short_name = "B""#,
};

/// What the rule's parameter is, in its summary line ("inferred maximum").
pub const PARAMETER: &str = "maximum";

/// The keys of the consortium file the rule reads.
pub const READS: &[super::KeyRef] = &[("", "partner")];

pub fn check(p: &Params, cx: &mut Cx<'_>) -> Verdict {
    let partners = &cx.consortium.partners;
    Count {
        n: partners.len(),
        bound: Bound::AtMost(p.max),
        noun: ("applicant", "applicants"),
        labels: &|| {
            partners
                .iter()
                .enumerate()
                .skip(p.max)
                .map(|(i, partner)| {
                    (
                        partner.header.clone(),
                        format!("applicant {} of at most {}", i + 1, p.max),
                    )
                })
                .collect()
        },
        help: format!("keep at most {} `[[partner]]` entries", p.max),
        unknown_open: !cx.consortium.partners_lost.is_empty(),
        unknown_why: "could not be read",
        unknown: cx.consortium.partners_lost.clone(),
        key: "[[partner]]",
    }
    .check(cx)
}
