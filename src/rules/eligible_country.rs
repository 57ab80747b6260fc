//! `eligible-country`: each applicant is established in an eligible country.

use super::{group_names, membership, Coverage, Cx, Explanation, Verdict};
use crate::ruleset::groups::Membership;
use crate::ruleset::params::eligible_country::Params;

pub const EXPLANATION: Explanation = Explanation {
    summary: "each applicant is established in a country eligible for the call, as of its deadline",
    why: "COSME funds organisations of the countries that take part in the programme: the EU Member States \
and the countries with an association agreement in force (Serbia from 2016, Ukraine from 2017, ...). The \
2017 defence call is open to EU Member States only. Switzerland, Norway and Liechtenstein never took \
part in any reading. Membership is judged at the deadline; a membership that no source dates (a country \
that counts only by inference) gives a warning.",
    failing: r#"[[partner]]
short_name = "SWISS-FOOD"
country = "CH""#,
    fixed: r#"[[partner]]
short_name = "AUSTRIA-FOOD"
country = "AT""#,
};

/// What the rule's parameter is, in its summary line ("inferred country list").
pub const PARAMETER: &str = "country list";

/// The keys of the consortium file the rule reads.
pub const READS: &[super::KeyRef] = &[("partner", "country")];

pub fn check(p: &Params, cx: &mut Cx<'_>) -> Verdict {
    let eligible_in = group_names(cx, &p.groups);
    let deadline = cx.call.deadline.date.strftime("%-d %B %Y").to_string();
    let mut coverage = Coverage::applicants(cx, "country");
    let (mut checked, mut ineligible) = (0, 0);
    let consortium = cx.consortium;
    for (i, partner) in consortium.partners.iter().enumerate() {
        let Some((country, span)) = coverage.read(partner, &partner.country, None) else {
            continue;
        };
        checked += 1;
        let name = partner.label(i);
        match membership(cx, &p.groups, country) {
            Membership::Yes => {}
            Membership::No => {
                ineligible += 1;
                let f = cx
                    .finding(
                        span,
                        format!(
                            "{name} is established in {country}, which is not eligible for {}",
                            cx.call_name()
                        ),
                    )
                    .label("not an eligible country")
                    .help(format!(
                        "applicants must be established in {eligible_in} on {deadline} (the deadline); replace {name} or correct its country"
                    ));
                cx.emit(f);
            }
            Membership::Inferred(why) => {
                let f = cx
                    .finding(
                        span,
                        format!(
                            "{name} is established in {country}, which counts among the {eligible_in} on {deadline} only by inference"
                        ),
                    )
                    .label("eligibility not confirmed")
                    .help(format!("confirm with the call text that {country} was eligible"));
                cx.emit_inferred(f, why);
            }
        }
    }
    if consortium.partners.is_empty() && coverage.complete() {
        return Verdict::skip("no applicants to check", &["[[partner]]"]);
    }
    let detail = if ineligible == 0 {
        format!(
            "{} in {eligible_in}",
            crate::text::plural(checked, "applicant", "applicants")
        )
    } else {
        format!("{ineligible} of {checked} applicants not in {eligible_in}")
    };
    coverage.verdict(cx, detail, ("applicant", "applicants"))
}
