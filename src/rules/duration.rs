//! `duration`: the project's duration is within the call's range.

use super::{Cx, Explanation, Verdict};
use crate::ruleset::Ruleset;
use serde::{Deserialize, Serialize};

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

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    pub min_months: Option<u64>,
    pub max_months: Option<u64>,
}

impl super::Params for Params {
    fn invalid(&self) -> Option<(&'static str, String)> {
        let months = |key, value: Option<u64>| {
            value.and_then(|v| super::at_least_one(key, usize::try_from(v).unwrap_or(usize::MAX)))
        };
        months("min_months", self.min_months)
            .or_else(|| months("max_months", self.max_months))
            .or_else(|| match (self.min_months, self.max_months) {
                (Some(min), Some(max)) if min > max => Some((
                    "min_months",
                    format!("`min_months` ({min}) is more than `max_months` ({max})"),
                )),
                _ => None,
            })
    }
}

/// What the rule's parameter is, in its summary line ("inferred duration").
pub const PARAMETER: &str = "duration";

/// The keys of the consortium file the rule reads.
pub const READS: &[super::KeyRef] = &[("proposal", "duration_months")];

/// The requirement in words, for `explain`, `calls` and `init`.
pub fn describe(p: &Params, _: &Ruleset) -> String {
    match (p.min_months, p.max_months) {
        (Some(a), Some(b)) if a == b => format!("{a} months"),
        (Some(a), Some(b)) => format!("{a} to {b} months"),
        (Some(a), None) => format!("at least {a} months"),
        (None, Some(b)) => format!("at most {b} months"),
        (None, None) => "any duration".into(),
    }
}

pub fn check(p: &Params, cx: &mut Cx<'_>) -> Verdict {
    let range = describe(p, cx.call);
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
