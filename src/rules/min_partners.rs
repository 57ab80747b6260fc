//! `min-partners`: the consortium has at least N applicants.

use super::{Bound, Count, Cx, Explanation, Verdict};
use crate::ruleset::params::min_partners::Params;

pub const EXPLANATION: Explanation = Explanation {
    summary: "the consortium has at least the number of applicants the call requires",
    why: "An ESCP-4i is a partnership across borders: every Clusters Go International call requires a \
consortium of at least three cluster or business network organisations. Every `[[partner]]`, the \
coordinator included, is an applicant.",
    failing: r#"[[partner]]
short_name = "AGRI-IT"
role = "coordinator"

[[partner]]
short_name = "AGRI-FR""#,
    fixed: r#"[[partner]]
short_name = "AGRI-IT"
role = "coordinator"

[[partner]]
short_name = "AGRI-FR"

[[partner]]
short_name = "AGRI-RS""#,
};

/// What the rule's parameter is, in its summary line ("inferred minimum").
pub const PARAMETER: &str = "minimum";

/// The keys of the consortium file the rule reads.
pub const READS: &[super::KeyRef] = &[("", "partner")];

pub fn check(p: &Params, cx: &mut Cx<'_>) -> Verdict {
    let consortium = cx.consortium;
    let partners = &consortium.partners;
    // Applicants are counted as organisations: the same legal name written
    // twice (as `duplicate-partner` defines it) is one applicant.
    let mut seen = std::collections::HashSet::with_capacity(partners.len());
    let n = (0..partners.len())
        .filter(|&i| match consortium.organisation(i) {
            Some(key) => seen.insert(key),
            None => true,
        })
        .count();
    let missing = p.min.saturating_sub(n);
    let noun = if n == partners.len() {
        ("applicant", "applicants")
    } else {
        ("different organisation", "different organisations")
    };
    Count {
        n,
        bound: Bound::AtLeast(p.min),
        noun,
        labels: &|| {
            partners
                .iter()
                .enumerate()
                .map(|(i, partner)| {
                    (
                        partner.header.clone(),
                        format!("applicant {}: {}", i + 1, partner.label(i)),
                    )
                })
                .collect()
        },
        help: format!(
            "add {missing} more `[[partner]]` entr{} for another organisation",
            if missing == 1 { "y" } else { "ies" }
        ),
        unknown_open: !consortium.partners_lost.is_empty(),
        unknown_why: "could not be read",
        unknown: consortium.partners_lost.clone(),
        key: "[[partner]]",
    }
    .check(cx)
}
