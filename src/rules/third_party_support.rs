//! `third-party-support`: the part of the grant passed on to SMEs as
//! financial support to third parties (cascade funding) is at least the
//! call's share.

use super::{Cx, Explanation, Verdict};
use crate::ruleset::params::third_party_support::Params;

pub const EXPLANATION: Explanation = Explanation {
    summary: "the financial support to third parties (`third_party_support_eur`) is at least the call's share of the requested grant",
    why: "The Euroclusters calls of the Single Market Programme fund consortia that pass most of the grant on to \
SMEs, through open calls for financial support to third parties (cascade funding): at least 75% of the \
grant in the 2021 and 2024 calls. `third_party_support_eur` is the part of the project's costs that goes \
to SMEs in this way; it must be at least that share of `requested_grant_eur`, and it cannot exceed the \
total eligible costs. Support the consortium delivers as its own services does not count.",
    failing: r#"[proposal]
requested_grant_eur = 1_400_000
total_costs_eur = 1_480_000
third_party_support_eur = 900_000"#,
    fixed: r#"[proposal]
requested_grant_eur = 1_400_000
total_costs_eur = 1_480_000
third_party_support_eur = 1_050_000"#,
};

/// What the rule's parameter is, in its summary line ("inferred share").
pub const PARAMETER: &str = "share";

/// The keys of the consortium file the rule reads.
pub const READS: &[super::KeyRef] = &[
    ("proposal", "third_party_support_eur"),
    ("proposal", "requested_grant_eur"),
    ("proposal", "total_costs_eur"),
];

pub fn check(p: &Params, cx: &mut Cx<'_>) -> Verdict {
    let proposal = &cx.consortium.proposal;
    let support = match super::needed(
        cx,
        &proposal.third_party_support_eur,
        "third_party_support_eur",
    ) {
        Ok(s) => s,
        Err(skip) => return skip,
    };
    let grant = match super::needed(cx, &proposal.requested_grant_eur, "requested_grant_eur") {
        Ok(g) => g,
        Err(skip) => return skip,
    };
    let share = crate::ruleset::params::percent(p.min_percent_of_grant);
    let required = grant.value.percent_up(p.min_percent_of_grant);
    let of_grant = support.value.as_f64() / grant.value.as_f64().max(0.01) * 100.0;
    if let Some(costs) = proposal.total_costs_eur.given() {
        if support.value > costs.value {
            let f = cx
                .finding(
                    support.span.clone(),
                    format!(
                        "the financial support to third parties (EUR {}) is more than the total eligible costs (EUR {})",
                        support.value, costs.value
                    ),
                )
                .label("more than the total costs")
                .also(costs.span.clone(), "total eligible costs")
                .help("the support passed on to SMEs is part of the total eligible costs: correct one of the two");
            cx.emit(f);
            return Verdict::Checked(format!(
                "support EUR {} above the total costs EUR {}",
                support.value, costs.value
            ));
        }
    }
    if support.value < required {
        let missing = required.saturating_sub(support.value);
        let f = cx
            .finding(
                support.span.clone(),
                format!(
                    "the financial support to third parties is EUR {} ({of_grant:.1}% of the requested grant); {} requires at least {share}% (EUR {required})",
                    support.value,
                    cx.call_name()
                ),
            )
            .label(format!("EUR {missing} short"))
            .also(grant.span.clone(), "requested grant")
            .help(format!(
                "pass at least EUR {required} on to SMEs through open calls (EUR {missing} more), or request a smaller grant"
            ));
        cx.emit(f);
    }
    Verdict::Checked(format!(
        "support EUR {} ({of_grant:.1}% of the grant; at least {share}%)",
        support.value
    ))
}
