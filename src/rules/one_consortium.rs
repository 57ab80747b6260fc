//! `one-consortium`: an organisation applies in at most one consortium per
//! call. It is checked across the files of one run, so it is not yet
//! available (single-file runs cannot see it); its explanation is here so
//! that the rule id is documented from the start.

use super::Explanation;

pub const EXPLANATION: Explanation = Explanation {
    summary: "an organisation is an applicant in more than one consortium for the same call, where the call forbids it",
    why: "Some calls limit each organisation to one consortium: in the 2016 call an organisation may be in at \
most one consortium per phase. The rule compares the files of one run that name the same call, by \
legal name, ignoring case.",
    failing: r#"# a.toml and b.toml, both for COS-CLUSINT-2016-03-01
[[partner]]
name = "Cluster Agroalimentare Veneto""#,
    fixed: r#"# only a.toml lists it
[[partner]]
name = "Cluster Agroalimentare Veneto""#,
};
