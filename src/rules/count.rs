//! The consortium-wide counts (`min-partners`, `max-targets`, ...): a count
//! against a bound, with the entries that could not be read.

use super::{Cx, Verdict};
use crate::source::Span;
use std::fmt;

/// A bound on a count: "at least 3" or "at most 5".
#[derive(Debug, Clone, Copy)]
pub(crate) enum Bound {
    AtLeast(usize),
    AtMost(usize),
}

/// Whether a count meets its bound, when some entries could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    Holds,
    Fails,
    /// The entries that could not be read decide it.
    Open,
}

impl Bound {
    /// `known` entries counted, `unknown` more that could not be read
    /// (`None`: an unknown number of them).
    pub fn judge(self, known: usize, unknown: Option<usize>) -> Outcome {
        let most = unknown.map(|u| known.saturating_add(u));
        match self {
            Bound::AtLeast(min) if known >= min => Outcome::Holds,
            Bound::AtLeast(min) if most.is_some_and(|m| m < min) => Outcome::Fails,
            Bound::AtLeast(_) => Outcome::Open,
            Bound::AtMost(max) if known > max => Outcome::Fails,
            Bound::AtMost(max) if most.is_some_and(|m| m <= max) => Outcome::Holds,
            Bound::AtMost(_) => Outcome::Open,
        }
    }
}

impl fmt::Display for Bound {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Bound::AtLeast(n) => write!(f, "at least {n}"),
            Bound::AtMost(n) => write!(f, "at most {n}"),
        }
    }
}

/// The shared shape of the consortium-wide count rules (`min-partners`,
/// `max-targets`, `defence-related`, ...): compare a count with a bound,
/// and on failure point at `call` with a label on each entry that counts.
pub(crate) struct Count<'s> {
    pub n: usize,
    pub bound: Bound,
    /// Singular and plural of what is counted ("applicant", "applicants").
    pub noun: (&'s str, &'s str),
    /// The entries that count, for secondary labels: made only when the
    /// count fails (most files pass).
    pub labels: &'s dyn Fn() -> Vec<(Span, String)>,
    pub help: String,
    /// Entries that could not be read: where (and whether their number is
    /// known), and the key to fix.
    pub unknown: Vec<Span>,
    pub unknown_open: bool,
    /// What is wrong with the unknown entries: "could not be read".
    pub unknown_why: &'s str,
    pub key: &'s str,
}

impl Count<'_> {
    pub fn check(self, cx: &mut Cx<'_>) -> Verdict {
        let counted = crate::text::plural(self.n, self.noun.0, self.noun.1);
        let detail = format!("{counted} ({})", self.bound);
        let limit = match self.bound {
            Bound::AtLeast(n) | Bound::AtMost(n) => n,
        };
        let bound_noun = if limit == 1 { self.noun.0 } else { self.noun.1 };
        let unknown = (!self.unknown_open).then_some(self.unknown.len());
        match self.bound.judge(self.n, unknown) {
            Outcome::Holds => Verdict::Checked(detail),
            Outcome::Open => Verdict::skip(
                format!(
                    "{counted} counted ({}); not judged: the {} at {} {}",
                    self.bound,
                    self.key,
                    cx.lines(&self.unknown),
                    self.unknown_why
                ),
                &[self.key],
            ),
            Outcome::Fails => {
                // A failure that holds whatever the unread entries say
                // still names them: they are a problem of their own.
                let unread = if self.unknown.is_empty() {
                    String::new()
                } else {
                    format!(
                        ", and {} more at {} that {}",
                        self.unknown.len(),
                        cx.lines(&self.unknown),
                        self.unknown_why
                    )
                };
                let mut finding = cx
                    .finding(
                        cx.call_span(),
                        format!(
                            "the consortium has {counted}{unread}; {} requires {} {}",
                            cx.call_name(),
                            self.bound,
                            bound_noun
                        ),
                    )
                    .label(format!(
                        "{} requires {} {bound_noun}",
                        cx.call.id, self.bound
                    ))
                    .help(self.help);
                for (span, text) in (self.labels)() {
                    finding = finding.also(span, text);
                }
                cx.emit(finding);
                Verdict::Checked(format!("{detail}{unread}"))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_with_unread_entries_are_open_until_they_decide() {
        use Outcome::*;
        assert_eq!(Bound::AtLeast(3).judge(3, Some(1)), Holds);
        assert_eq!(Bound::AtLeast(3).judge(2, Some(1)), Open);
        assert_eq!(Bound::AtLeast(3).judge(1, Some(1)), Fails);
        assert_eq!(Bound::AtLeast(3).judge(1, None), Open);
        assert_eq!(Bound::AtMost(5).judge(6, None), Fails);
        assert_eq!(Bound::AtMost(5).judge(4, Some(1)), Holds);
        assert_eq!(Bound::AtMost(5).judge(5, Some(1)), Open);
        assert_eq!(Bound::AtMost(5).judge(5, None), Open);
    }
}
