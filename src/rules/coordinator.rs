//! `coordinator`: exactly one applicant coordinates.

use super::{Cx, Explanation, Verdict};
use crate::consortium::Role;
use crate::ruleset::params::coordinator::Params;

pub const EXPLANATION: Explanation = Explanation {
    summary: "exactly one applicant has `role = \"coordinator\"`",
    why: "A general rule of EU proposals, in every call: the Funding & Tenders portal knows two roles, the \
proposal coordinator, \"the single point of contact between the participants ... and the EU\", and the \
partners. A consortium submits one proposal through one coordinator, who signs the grant agreement on \
behalf of all; a proposal with no coordinator, or with two, cannot be submitted.",
    failing: r#"[[partner]]
short_name = "AGRI-IT"
role = "coordinator"
[[partner]]
short_name = "AGRI-FR"
role = "coordinator""#,
    fixed: r#"[[partner]]
short_name = "AGRI-IT"
role = "coordinator"
[[partner]]
short_name = "AGRI-FR"
role = "partner""#,
};

/// What the rule's parameter is, in its summary line ("inferred rule").
pub const PARAMETER: &str = "rule";

/// The keys of the consortium file the rule reads.
pub const READS: &[super::KeyRef] = &[("partner", "role")];

pub fn check(_: &Params, cx: &mut Cx<'_>) -> Verdict {
    let consortium = cx.consortium;
    let partners = &consortium.partners;
    let mut coordinators: Vec<(usize, &crate::consortium::Partner)> = Vec::new();
    let mut unknown = Vec::new();
    for (i, partner) in partners.iter().enumerate() {
        match partner.role.or_default(Role::Partner) {
            Some(Role::Coordinator) => coordinators.push((i, partner)),
            Some(Role::Partner) => {}
            None => unknown.push(partner.role.span_or(&partner.header)),
        }
    }
    unknown.extend(consortium.partners_lost.iter().cloned());
    match coordinators.as_slice() {
        [(first_i, first), rest @ ..] if !rest.is_empty() => {
            let first_label = first.label(*first_i);
            for (i, other) in rest {
                let f = cx
                    .finding(
                        other.role.span_or(&other.header),
                        format!(
                            "{} is a second coordinator; {first_label} already coordinates",
                            other.label(*i)
                        ),
                    )
                    .label("second coordinator")
                    .also(first.role.span_or(&first.header), "first coordinator")
                    .help("keep one coordinator and set `role = \"partner\"` on the others");
                cx.emit(f);
            }
            Verdict::Checked(format!("{} coordinators", coordinators.len()))
        }
        _ if !unknown.is_empty() => Verdict::skip(
            format!(
                "{} found; not judged: the role at {} could not be read",
                crate::text::plural(coordinators.len(), "coordinator", "coordinators"),
                cx.lines(&unknown)
            ),
            &[if unknown.len() == consortium.partners_lost.len() {
                "[[partner]]"
            } else {
                "role"
            }],
        ),
        [] if partners.is_empty() => Verdict::skip("no applicants to check", &["[[partner]]"]),
        [] => {
            let f = cx
                .finding(cx.call_span(), "no applicant is the coordinator")
                .label("the consortium needs a coordinator")
                .help("set `role = \"coordinator\"` on the applicant that submits the proposal");
            cx.emit(f);
            Verdict::Checked("no coordinator".into())
        }
        [(i, one), ..] => Verdict::Checked(format!("coordinator: {}", one.label(*i))),
    }
}
