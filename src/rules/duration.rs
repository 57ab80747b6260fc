//! `duration`: the project's duration is within the call's range.

use super::{Cx, Explanation, Verdict};
use crate::ruleset::params::duration::Params;

pub const EXPLANATION: Explanation = Explanation {
    summary: "`duration_months` is within the call's range",
    why: "Calls set how long projects run: 30 to 36 months for strand A of the 2020 call, 18 to 24 months \
for strand B. A duration outside the range does not match the call's work programme.",
    failing: r#"strand = "B"
[proposal]
duration_months = 30"#,
    fixed: r#"strand = "B"
[proposal]
duration_months = 24"#,
};

/// What the rule's parameter is, in its summary line ("inferred duration").
pub const PARAMETER: &str = "duration";

/// The keys of the consortium file the rule reads.
pub const READS: &[super::KeyRef] = &[("proposal", "duration_months")];

pub fn check(p: &Params, cx: &mut Cx<'_>) -> Verdict {
    let range = crate::ruleset::params::duration::describe(p, cx.call);
    let months = match super::needed(
        cx,
        &cx.consortium.proposal.duration_months,
        "duration_months",
    ) {
        Ok(months) => months,
        Err(skip) => return skip,
    };
    let n = months.value;
    let outside =
        p.min_months.is_some_and(|min| n < min) || p.max_months.is_some_and(|max| n > max);
    if outside {
        let f = cx
            .finding(
                months.span.clone(),
                format!(
                    "a duration of {n} months is outside the {range} of {}",
                    cx.call_name()
                ),
            )
            .label(format!("expected {range}"))
            .help(format!("plan the project over {range}"));
        cx.emit(f);
    }
    Verdict::Checked(format!("{n} months ({range})"))
}
