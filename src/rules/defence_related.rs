//! `defence-related`: at least N applicants are defence-related entities.

use super::{Bound, Count, Cx, Explanation, Verdict};
use crate::ruleset::params::defence_related::Params;

pub const EXPLANATION: Explanation = Explanation {
    summary: "enough applicants are defence-related entities",
    why: "The defence and security calls fund partnerships in dual-use technologies: the 2017 call requires \
at least one of the applying organisations to be a defence-related entity (call section 6.2). For \
strand B of the 2020 call it is inferred, not stated, and no requirement is known for certain, so a \
consortium without one gets a warning. Mark such an applicant with `defence_related = true`.",
    failing: r#"[[partner]]
short_name = "SEC-FR"
defence_related = false"#,
    fixed: r#"[[partner]]
short_name = "SEC-FR"
defence_related = true"#,
};

/// What the rule's parameter is, in its summary line ("inferred minimum").
pub const PARAMETER: &str = "minimum";

/// The keys of the consortium file the rule reads.
pub const READS: &[super::KeyRef] = &[("partner", "defence_related")];

pub fn check(p: &Params, cx: &mut Cx<'_>) -> Verdict {
    let partners = &cx.consortium.partners;
    let mut n = 0;
    let mut unknown = cx.consortium.partners_lost.clone();
    for partner in partners {
        match partner.defence_related.or_default(false) {
            Some(true) => n += 1,
            Some(false) => {}
            None => unknown.push(partner.defence_related.span_or(&partner.header)),
        }
    }
    let labels = || {
        partners
            .iter()
            .enumerate()
            .filter(|(_, p)| p.defence_related.or_default(false) == Some(false))
            .map(|(i, p)| {
                (
                    p.defence_related.span_or(&p.header),
                    format!("{}: not defence-related", p.label(i)),
                )
            })
            .collect()
    };
    Count {
        n,
        bound: Bound::AtLeast(p.min),
        noun: ("defence-related applicant", "defence-related applicants"),
        labels: &labels,
        help: "set `defence_related = true` on the applicants that are defence-related entities, or add one".into(),
        unknown_open: !cx.consortium.partners_lost.is_empty(),
        unknown_why: "could not be read",
        unknown,
        key: "defence_related",
    }
    .check(cx)
}
