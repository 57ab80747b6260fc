//! `funding-rate`: the requested grant is within the call's co-financing rate.

use super::{Cx, Explanation, Verdict};
use crate::money::Euros;
use crate::rule_id::RuleId;
use crate::ruleset::params::funding_rate::Params;
use crate::ruleset::params::percent;

pub const EXPLANATION: Explanation = Explanation {
    summary: "`requested_grant_eur` / `total_costs_eur` is within the call's co-financing rate",
    why: "EU grants co-finance a project: the EU pays at most a share of the eligible costs (75% in the \
2014-2017 calls, 90% in 2020) and the consortium pays the rest. The rate is the requested grant \
divided by the total eligible costs.",
    failing: r#"[proposal]
requested_grant_eur = 400000
total_costs_eur = 420000"#,
    fixed: r#"[proposal]
requested_grant_eur = 378000
total_costs_eur = 420000"#,
};

/// What the rule's parameter is, in its summary line ("inferred rate").
pub const PARAMETER: &str = "rate";

/// The keys of the consortium file the rule reads.
pub const READS: &[super::KeyRef] = &[
    ("proposal", "requested_grant_eur"),
    ("proposal", "total_costs_eur"),
    ("proposal", "third_party_support_eur"),
];

pub fn check(p: &Params, cx: &mut Cx<'_>) -> Verdict {
    let proposal = &cx.consortium.proposal;
    let grant = super::needed(cx, &proposal.requested_grant_eur, "requested_grant_eur");
    let costs = super::needed(cx, &proposal.total_costs_eur, "total_costs_eur");
    let (grant, costs) = match (grant, costs) {
        (Ok(g), Ok(c)) => (g, c),
        (Err(Verdict::Skipped(a)), Err(Verdict::Skipped(b))) => {
            return Verdict::Skipped(super::Skip {
                detail: format!("{}; {}", a.detail, b.detail),
                keys: [a.keys, b.keys].concat(),
            })
        }
        (Err(skip), _) | (_, Err(skip)) => return skip,
    };
    // The part of the costs funded at the third-party rate, if the call has one.
    let third_party = match p.third_party_percent {
        None => None,
        Some(rate) => {
            match super::needed(
                cx,
                &proposal.third_party_support_eur,
                "third_party_support_eur",
            ) {
                Ok(tp) => Some((tp.value.min(costs.value), rate)),
                Err(skip) => return skip,
            }
        }
    };
    let max = p.max_percent;
    let max_shown = percent(max);
    if costs.value == Euros::ZERO {
        let f = cx
            .finding(
                costs.span.clone(),
                format!(
                    "total costs are EUR 0, but the proposal requests EUR {}",
                    grant.value
                ),
            )
            .label("no costs to co-finance")
            .also(grant.span.clone(), "requested grant")
            .help("write the total eligible costs of the project in `total_costs_eur`");
        cx.emit(f);
        return Verdict::Checked("total costs are 0".into());
    }
    let (allowed, limit) = match third_party {
        None => (
            costs.value.percent(max),
            format!("{max_shown}% of EUR {}", costs.value),
        ),
        Some((tp, rate)) => {
            let other = costs.value.saturating_sub(tp);
            (
                tp.percent(rate).saturating_add(other.percent(max)),
                format!(
                    "{}% of EUR {tp} of financial support to third parties plus {max_shown}% of the other EUR {other}",
                    percent(rate)
                ),
            )
        }
    };
    let rate = grant.value.as_f64() / costs.value.as_f64() * 100.0;
    let allowed_rate = allowed.as_f64() / costs.value.as_f64() * 100.0;
    let over = grant.value > allowed;
    let shown = show_rate(rate, allowed_rate, over);
    if over {
        // Never suggest a grant above the call's cap.
        let cap = cx
            .setting_of(RuleId::MaxGrant)
            .and_then(|s| match &s.params {
                super::RuleParams::MaxGrant(m) => Some((m.max(), s.basis)),
                _ => None,
            });
        let (most, why) = match cap {
            Some((cap, basis)) if cap < allowed => (
                cap,
                match basis {
                    crate::finding::Basis::Confirmed => " (the call's maximum grant)",
                    crate::finding::Basis::Contested => {
                        " (the call's maximum grant, in the reading escp uses)"
                    }
                    _ => " (the call's maximum grant, as escp infers it)",
                }
                .to_string(),
            ),
            _ => (allowed, format!(" ({limit})")),
        };
        let f = cx
            .finding(
                grant.span.clone(),
                format!(
                    "the grant is {shown}% of the total costs; {} co-finances at most {}",
                    cx.call_name(),
                    if third_party.is_some() {
                        format!("EUR {allowed} ({limit})")
                    } else {
                        format!("{max_shown}%")
                    }
                ),
            )
            .label(format!("{shown}% of the total costs"))
            .also(costs.span.clone(), "total eligible costs")
            .help(format!(
                "request at most EUR {most}{why}, or raise the consortium's own contribution"
            ));
        cx.emit(f);
    }
    Verdict::Checked(match third_party {
        None => format!("co-financing {shown}% of at most {max_shown}%"),
        Some(_) => format!(
            "grant EUR {} of at most EUR {allowed} ({shown}% of the costs; {limit})",
            grant.value
        ),
    })
}

/// The rate with one decimal, or as many more as it takes to show that a
/// rate over the maximum is over it (75.0003% is not "75.0%").
fn show_rate(rate: f64, max: f64, over: bool) -> String {
    // An absurd rate (a grant of 1e308) is shown in scientific notation.
    if rate.abs() >= 1e6 {
        return format!("{rate:.3e}");
    }
    let mut decimals = 1;
    let mut shown = format!("{rate:.1}");
    while over && decimals < 6 && shown.parse::<f64>().is_ok_and(|r| r <= max) {
        decimals += 1;
        shown = format!("{rate:.decimals$}");
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::show_rate;

    #[test]
    fn a_rate_just_over_the_maximum_shows_enough_decimals() {
        assert_eq!(show_rate(90.0, 90.0, false), "90.0");
        assert_eq!(show_rate(93.333, 90.0, true), "93.3");
        assert_eq!(show_rate(75.0003, 75.0, true), "75.0003");
        assert_eq!(show_rate(75.04, 75.0, true), "75.04");
    }
}
