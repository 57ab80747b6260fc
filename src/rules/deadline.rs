//! `deadline`: the call's submission deadline, and whether it has passed.

use super::{Cx, Explanation, Verdict};
use crate::finding::Severity;
use crate::ruleset::Ruleset;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

pub const EXPLANATION: Explanation = Explanation {
    summary: "the call's submission deadline has passed (warning), or how long is left",
    why: "A proposal submitted after the deadline is not accepted. escp shows the countdown in the readiness \
summary and warns once the deadline has passed (the day after the deadline's date, on the date of \
the check, which `--today` sets). A closed call can still be checked, e.g. to learn from it.",
    failing: r#"call = "COS-CLUSINT-2020-3-01"   # checked on 2026-11-21: closed"#,
    fixed: r#"call = "COS-CLUSINT-2020-3-01"   # checked with --today 2020-11-01: 31 days left"#,
};

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Params {}

impl super::Params for Params {}

/// The requirement in words, for `explain`, `calls` and `init`.
pub fn describe(_: &Params, call: &Ruleset) -> String {
    format!("submitted by {}", call.deadline.when())
}

pub fn check(_: &Params, cx: &mut Cx<'_>) -> Verdict {
    let when = cx.call.deadline.when();
    let date = cx.call.deadline.date;
    if cx.today > date {
        let ago = ago(date, cx.today);
        let f = cx
            .finding(
                cx.call_span(),
                format!("the deadline of {} passed on {when}, {ago}", cx.call.id),
            )
            .severity(Severity::Warning)
            .label("call closed")
            .help(
                "this call no longer accepts proposals: check the consortium against an open call",
            );
        cx.emit(f);
        return Verdict::Checked(format!("closed {when}, {ago}"));
    }
    let days = (date - cx.today).get_days();
    Verdict::Checked(match days {
        0 => format!("closes {when}, today"),
        1 => format!("closes {when}, tomorrow"),
        n => format!("closes {when}, in {n} days"),
    })
}

/// "3 days ago", "2 months ago", "5 years ago" (by calendar).
fn ago(then: Date, now: Date) -> String {
    let days = (now - then).get_days();
    let months = (now.year() as i32 - then.year() as i32) * 12
        + (now.month() as i32 - then.month() as i32)
        - i32::from(now.day() < then.day());
    let (n, unit) = if days < 45 {
        (days, "day")
    } else if months < 24 {
        (months, "month")
    } else {
        (months / 12, "year")
    };
    format!("{n} {unit}{} ago", if n == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests {
    use super::ago;
    use jiff::civil::date;

    #[test]
    fn ago_reads_naturally() {
        assert_eq!(ago(date(2020, 12, 2), date(2020, 12, 3)), "1 day ago");
        assert_eq!(ago(date(2020, 12, 2), date(2021, 3, 1)), "2 months ago");
        assert_eq!(ago(date(2020, 12, 2), date(2026, 11, 21)), "5 years ago");
    }
}
