//! `funding-rate`: the requested grant is within the call's co-financing rate.

use super::{Cx, Explanation, Verdict};
use crate::ruleset::Ruleset;
use crate::text::euros;
use serde::{Deserialize, Serialize};

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

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    /// The maximum co-financing rate, in percent of the total eligible costs.
    pub max_percent: f64,
}

impl super::Params for Params {
    fn invalid(&self) -> Option<(&'static str, String)> {
        super::positive("max_percent", self.max_percent, Some(100.0))
    }
}

/// Tolerance for amounts that hit the rate exactly but round in binary.
const EPSILON: f64 = 1e-9;

/// The requirement in words, for `explain`, `calls` and `init`.
pub fn describe(p: &Params, _: &Ruleset) -> String {
    format!(
        "a grant of at most {}% of the total eligible costs",
        format_percent(p.max_percent)
    )
}

pub fn check(p: &Params, cx: &mut Cx<'_>) -> Verdict {
    let proposal = &cx.consortium.proposal;
    let (Some(grant), Some(costs)) = (&proposal.requested_grant_eur, &proposal.total_costs_eur)
    else {
        let missing: Vec<&str> = [
            (
                "requested_grant_eur",
                proposal.requested_grant_eur.is_none(),
            ),
            ("total_costs_eur", proposal.total_costs_eur.is_none()),
        ]
        .iter()
        .filter(|(_, absent)| *absent)
        .map(|(k, _)| *k)
        .collect();
        return Verdict::Skipped(format!("add `{}` to [proposal]", missing.join("` and `")));
    };
    let max = p.max_percent;
    let max_shown = format_percent(max);
    if costs.value == 0.0 {
        if grant.value == 0.0 {
            return Verdict::Skipped("`total_costs_eur` is 0: no rate to check".into());
        }
        let f = cx
            .finding(
                costs.span.clone(),
                format!(
                    "total costs are EUR 0, but the proposal requests EUR {}",
                    euros(grant.value)
                ),
            )
            .label("no costs to co-finance")
            .also(grant.span.clone(), "requested grant")
            .help("write the total eligible costs of the project in `total_costs_eur`");
        cx.emit(f);
        return Verdict::Checked("total costs are 0".into());
    }
    let rate = grant.value / costs.value * 100.0;
    let over = rate > max + EPSILON;
    let shown = show_rate(rate, max, over);
    if over {
        let allowed = costs.value * max / 100.0;
        let f = cx
            .finding(
                grant.span.clone(),
                format!(
                    "the grant is {shown}% of the total costs; {} co-finances at most {max_shown}%",
                    cx.call_name()
                ),
            )
            .label(format!("{shown}% of the total costs"))
            .also(costs.span.clone(), "total eligible costs")
            .help(format!(
                "request at most EUR {} ({max_shown}% of EUR {}), or raise the consortium's own contribution",
                euros(allowed.floor()),
                euros(costs.value)
            ));
        cx.emit(f);
    }
    Verdict::Checked(format!("co-financing {shown}% of at most {max_shown}%"))
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

/// "90", "87.5".
fn format_percent(value: f64) -> String {
    if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value}")
    }
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
