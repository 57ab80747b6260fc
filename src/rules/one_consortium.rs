//! `one-consortium`: an organisation applies in at most one consortium per
//! call (or per phase of a call). One file cannot show it: the check runs
//! across the files of one run (`crate::pipeline::across_files`); alone, a
//! file gets "skip".

use super::{Cx, Explanation, Verdict};
use crate::ruleset::params::one_consortium::Params;

pub const EXPLANATION: Explanation = Explanation {
    summary: "an organisation is an applicant in more than one consortium for the same call, where the call forbids it",
    why: "Some calls limit each organisation to one consortium: in the 2016 call an organisation may be in at \
most one consortium per phase (preparatory strands 1.a and 1.b, implementation strand 2). escp compares \
the files checked in one run that name the same call, by legal name (ignoring case and repeated spaces), \
and reports the organisation in each file. Check all the consortia you know of together: \
`escp check a.toml b.toml`.",
    failing: r#"# a.toml and b.toml, both for COS-CLUSINT-2016-03-01 strand 1.a
[[partner]]
name = "Cluster Agroalimentare Veneto""#,
    fixed: r#"# only a.toml lists it; b.toml has another partner
[[partner]]
name = "Cluster Agroalimentare Veneto""#,
};

/// What the rule's parameter is, in its summary line ("inferred rule").
pub const PARAMETER: &str = "rule";

/// The keys of the consortium file the rule reads.
pub const READS: &[super::KeyRef] = &[("partner", "name")];

pub fn check(_: &Params, _: &mut Cx<'_>) -> Verdict {
    // Judged across the files of a run (`pipeline::across_files`).
    Verdict::skip(
        "needs the other consortia: check them in the same run (escp check a.toml b.toml)",
        &[],
    )
}
