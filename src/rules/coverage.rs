//! The applicants a per-applicant rule judged, and those it could not.

use super::{Cx, Skip, Verdict};
use crate::consortium::{Field, Partner};
use crate::source::Span;
use std::fmt;

/// The applicants a per-applicant rule could not judge, for its summary
/// line: "2 of 4 applicants could not be checked (`country` at lines 14
/// and 20)". Applicants written unreadably (`[[partners]]`) are among them.
pub(crate) struct Coverage {
    key: &'static str,
    total: usize,
    unread: Vec<Span>,
    /// Entries that could not be read at all: their number is unknown.
    lost_entries: Vec<Span>,
    /// Applicants that do not give the key, judged on its default, and
    /// that default as written.
    defaulted: usize,
    default: String,
}

impl Coverage {
    /// Coverage of `key` over the applicants.
    pub fn applicants(cx: &Cx<'_>, key: &'static str) -> Coverage {
        Coverage {
            key,
            total: cx.consortium.partners.len(),
            unread: Vec::new(),
            lost_entries: cx.consortium.partners_lost.clone(),
            defaulted: 0,
            default: String::new(),
        }
    }

    /// The value of a partner's field to judge, or `None` (counted as not
    /// checked) when it is absent or could not be read. With `default`,
    /// an absent key takes it.
    pub fn read<'p, T: Copy + fmt::Display>(
        &mut self,
        partner: &'p Partner,
        field: &'p Field<T>,
        default: Option<T>,
    ) -> Option<(T, Span)> {
        match field {
            Field::Given(sp) => Some((sp.value, sp.span.clone())),
            Field::Absent => match default {
                Some(d) => {
                    self.defaulted += 1;
                    self.default = d.to_string();
                    Some((d, partner.header.clone()))
                }
                None => {
                    self.unread.push(partner.header.clone());
                    None
                }
            },
            Field::Lost(at) => {
                self.unread.push(at.clone());
                None
            }
        }
    }

    pub fn complete(&self) -> bool {
        self.unread.is_empty() && self.lost_entries.is_empty()
    }

    /// The verdict: `detail` as it is when everything was judged, else a
    /// skip that says what could not be checked.
    pub fn verdict(self, cx: &Cx<'_>, detail: String, noun: (&str, &str)) -> Verdict {
        // A verdict that rests on a default says so: the file does not state it.
        let detail = match self.defaulted {
            0 => detail,
            n if n == self.total => format!(
                "{detail} (`{}` not given: taken as {})",
                self.key, self.default
            ),
            n => format!(
                "{detail} (`{}` not given for {n}: taken as {})",
                self.key, self.default
            ),
        };
        if self.complete() {
            return Verdict::Checked(detail);
        }
        let mut parts = Vec::new();
        if !self.unread.is_empty() {
            parts.push(format!(
                "{} of {} could not be checked (`{}` at {})",
                self.unread.len(),
                crate::text::plural(self.total, noun.0, noun.1),
                self.key,
                cx.lines(&self.unread)
            ));
        }
        if !self.lost_entries.is_empty() {
            parts.push(format!(
                "{} written at {} could not be read",
                noun.1,
                cx.lines(&self.lost_entries)
            ));
        }
        let keys = if self.unread.is_empty() {
            vec![format!(
                "[[{}]]",
                if noun.0.contains("target") {
                    "target"
                } else {
                    "partner"
                }
            )]
        } else {
            vec![self.key.to_string()]
        };
        // When nothing could be judged, what was judged says nothing.
        let nothing_judged = self.unread.len() >= self.total;
        let detail = if detail.is_empty() || nothing_judged {
            parts.join("; ")
        } else {
            format!("{detail}; {}", parts.join("; "))
        };
        Verdict::Skipped(Skip { detail, keys })
    }
}

/// What [`each_applicant`] found: how many applicants it judged, how many
/// it refused, and what it could not read.
pub(crate) struct Judged {
    pub checked: usize,
    pub refused: usize,
    pub coverage: Coverage,
}

/// The shared loop of the rules that check that each applicant's value is
/// in the call's allowed set (`eccp-registration`, `organisation-type`,
/// `legal-entity`): reads the applicants' `key` (absent: `default`, if
/// any), and emits the finding `refuse` builds, at the value, for each value
/// that `allowed` refuses. `Err` is the skip of a file without applicants.
pub(crate) fn each_applicant<T: Copy + fmt::Display>(
    cx: &mut Cx<'_>,
    key: &'static str,
    field: impl Fn(&Partner) -> &Field<T>,
    default: Option<T>,
    allowed: impl Fn(T) -> bool,
    refuse: impl Fn(&Cx<'_>, String, T, Span) -> crate::finding::Finding,
) -> Result<Judged, Verdict> {
    let mut coverage = Coverage::applicants(cx, key);
    let (mut checked, mut refused) = (0, 0);
    let consortium = cx.consortium;
    for (i, partner) in consortium.partners.iter().enumerate() {
        let Some((value, span)) = coverage.read(partner, field(partner), default) else {
            continue;
        };
        checked += 1;
        if allowed(value) {
            continue;
        }
        refused += 1;
        let finding = refuse(cx, partner.label(i), value, span);
        cx.emit(finding);
    }
    if consortium.partners.is_empty() && coverage.complete() {
        return Err(Verdict::skip("no applicants to check", &["[[partner]]"]));
    }
    Ok(Judged {
        checked,
        refused,
        coverage,
    })
}

impl Judged {
    /// The summary line: `all` when every applicant judged is allowed,
    /// `some` (given the refused and the judged) otherwise, with what could
    /// not be read.
    pub fn verdict(
        self,
        cx: &Cx<'_>,
        all: impl FnOnce(usize) -> String,
        some: impl FnOnce(usize, usize) -> String,
    ) -> Verdict {
        let detail = match self.refused {
            0 => all(self.checked),
            n => some(n, self.checked),
        };
        self.coverage
            .verdict(cx, detail, ("applicant", "applicants"))
    }
}
