//! `deadline`: the call's submission deadline, and whether it has passed.

use super::{Cx, Explanation, Verdict};
use crate::ruleset::params::deadline::Params;
use jiff::civil::Date;

pub const EXPLANATION: Explanation = Explanation {
    summary: "the call's submission deadline has passed, or how long is left",
    why: "A proposal submitted after the deadline is not accepted. The deadline is an instant in the call's \
own time zone (17:00 Brussels time for the COSME calls: CET in winter, CEST in summer), and escp compares \
it with the moment of the check: the system clock, an instant given with `--now`, or the start of a day \
given with `--today` (in the call's zone, so the verdict is the same on every machine). The readiness \
summary shows the countdown. Once the deadline has passed, the check fails: a closed call takes no proposal, \
so no consortium is ready for it. To look back at a past proposal, check it as of an earlier day \
(`--today 2020-11-01`) or instant (`--now 2020-12-02T16:59:00+01:00`).",
    failing: r#"call = "COS-CLUSINT-2020-3-01"   # checked on 2026-11-21: closed"#,
    fixed: r#"call = "COS-CLUSINT-2020-3-01"   # checked with --today 2020-11-01: 31 days left"#,
};

/// What the rule's parameter is, in its summary line ("inferred deadline").
pub const PARAMETER: &str = "deadline";

/// The keys of the consortium file the rule reads.
pub const READS: &[super::KeyRef] = &[];

pub fn check(_: &Params, cx: &mut Cx<'_>) -> Verdict {
    let deadline = &cx.call.deadline;
    let when = deadline.when();
    let closes = deadline.instant();
    let now = cx.clock.in_zone(closes.time_zone());
    if now.timestamp() > closes.timestamp() {
        let ago = ago(closes.date(), now.date());
        let f = cx
            .finding(
                cx.call_span(),
                format!("the deadline of {} passed on {when}, {ago}", cx.call.id),
            )
            .label("call closed")
            .help(format!(
                "a closed call takes no proposal: this consortium cannot be submitted to it. To look back at a \
                 past proposal, check it as of a day before the deadline: `escp check --today {}` (or \
                 `--now` with an instant); for a call escp does not ship, write a ruleset for it \
                 (docs/rulesets.md) and give its folder with --calls",
                closes.date().yesterday().unwrap_or(closes.date())
            ));
        cx.emit(f);
        return Verdict::Checked(format!("closed {when}, {ago}"));
    }
    let days = (closes.date() - now.date()).get_days();
    Verdict::Checked(match days {
        0 => {
            let left = closes.timestamp().duration_since(now.timestamp());
            let minutes = left.as_secs() / 60;
            format!(
                "closes {when}, today (in {})",
                if minutes >= 60 {
                    crate::text::plural((minutes / 60) as usize, "hour", "hours")
                } else {
                    crate::text::plural(minutes as usize, "minute", "minutes")
                }
            )
        }
        1 => format!("closes {when}, tomorrow"),
        n => format!("closes {when}, in {n} days"),
    })
}

/// "3 days ago", "2 months ago", "5 years ago" (by calendar; whole units,
/// so 5 years and 11 months is "more than 5 years ago").
fn ago(then: Date, now: Date) -> String {
    let days = (now - then).get_days();
    let months = (now.year() as i32 - then.year() as i32) * 12
        + (now.month() as i32 - then.month() as i32)
        - i32::from(now.day() < then.day());
    let (n, unit, more) = if days < 45 {
        (days, "day", false)
    } else if months < 24 {
        (months, "month", false)
    } else {
        (months / 12, "year", months % 12 != 0)
    };
    format!(
        "{}{n} {unit}{} ago",
        if more { "more than " } else { "" },
        if n == 1 { "" } else { "s" }
    )
}

#[cfg(test)]
mod tests {
    use super::ago;
    use jiff::civil::date;

    #[test]
    fn ago_reads_naturally() {
        assert_eq!(ago(date(2020, 12, 2), date(2020, 12, 3)), "1 day ago");
        assert_eq!(ago(date(2020, 12, 2), date(2021, 3, 1)), "2 months ago");
        assert_eq!(
            ago(date(2020, 12, 2), date(2026, 11, 21)),
            "more than 5 years ago"
        );
        assert_eq!(ago(date(2020, 12, 2), date(2025, 12, 2)), "5 years ago");
    }
}
