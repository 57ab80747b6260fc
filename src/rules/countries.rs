//! Countries as the rules count them: group memberships at the deadline,
//! and the different countries of establishment among the applicants.

use super::{and_list, or_list, Bound, Cx, Outcome, Verdict};
use crate::consortium::Field;
use crate::source::Span;

/// A country's membership of any of several groups, at the call's deadline:
/// confirmed if any group confirms it, else inferred if any infers it.
pub(crate) fn membership<'a>(
    cx: &Cx<'a>,
    groups: &[String],
    country: crate::countries::Country,
) -> crate::ruleset::groups::Membership<'a> {
    use crate::ruleset::groups::Membership;
    let mut best = Membership::No;
    for name in groups {
        match cx.group(name).membership(country, cx.deadline()) {
            Membership::Yes => return Membership::Yes,
            inferred @ Membership::Inferred(_) => best = inferred,
            Membership::No => {}
        }
    }
    best
}

/// "EU Member States or COSME participating countries".
pub(crate) fn group_names(cx: &Cx<'_>, groups: &[String]) -> String {
    let names: Vec<&str> = groups.iter().map(|g| cx.group(g).name.as_str()).collect();
    or_list(&names)
}

/// The different countries of establishment among the applicants, first
/// applicant first, split by whether they count: members of `groups` (all
/// countries when `groups` is empty) for sure, or by inference only; and
/// where countries could not be read.
pub(crate) struct DistinctCountries<'a> {
    pub confirmed: Vec<(crate::countries::Country, Span)>,
    pub inferred: Vec<(crate::countries::Country, Span, &'a str)>,
    /// Countries not counted because they are not in the groups.
    pub outside: Vec<(crate::countries::Country, Span)>,
    /// Applicants whose country could not be read.
    pub unknown: Vec<Span>,
    /// Applicants written in a way that cannot be read (their number unknown).
    pub unknown_open: bool,
}

impl<'a> DistinctCountries<'a> {
    pub fn of(cx: &Cx<'a>, groups: &[String]) -> Self {
        use crate::ruleset::groups::Membership;
        let mut seen = crate::countries::CountrySet::default();
        let mut out = DistinctCountries {
            confirmed: Vec::new(),
            inferred: Vec::new(),
            outside: Vec::new(),
            unknown: cx.consortium.partners_lost.clone(),
            unknown_open: !cx.consortium.partners_lost.is_empty(),
        };
        // Each organisation counts once (the same legal name written twice
        // is one applicant, as `duplicate-partner` says), and a territory
        // with a code of its own as the country it is part of.
        let consortium = cx.consortium;
        let mut organisations = std::collections::HashSet::with_capacity(consortium.partners.len());
        for (i, partner) in consortium.partners.iter().enumerate() {
            if consortium
                .organisation(i)
                .is_some_and(|key| !organisations.insert(key))
            {
                continue;
            }
            let country = match &partner.country {
                Field::Given(c) => c,
                other => {
                    out.unknown.push(other.span_or(&partner.header));
                    continue;
                }
            };
            let counted = country.value.counts_as();
            if !seen.insert(counted) {
                continue;
            }
            let member = if groups.is_empty() {
                Membership::Yes
            } else {
                membership(cx, groups, counted)
            };
            match member {
                Membership::Yes => out.confirmed.push((counted, country.span.clone())),
                Membership::Inferred(why) => {
                    out.inferred.push((counted, country.span.clone(), why))
                }
                Membership::No => out.outside.push((counted, country.span.clone())),
            }
        }
        out
    }

    /// Checks "at least `min`" and emits the finding; `what` names the
    /// countries in the summary ("countries", "EU Member States") and
    /// `noun` in messages, singular and plural ("eligible country"); `help`
    /// is made only for a finding.
    pub fn at_least(
        self,
        cx: &mut Cx<'_>,
        min: usize,
        what: &str,
        noun: (&str, &str),
        help: impl FnOnce(&Cx<'_>) -> String,
    ) -> Verdict {
        let total = self.confirmed.len() + self.inferred.len();
        let codes: Vec<&str> = self
            .confirmed
            .iter()
            .map(|(c, _)| c.code())
            .chain(self.inferred.iter().map(|(c, _, _)| c.code()))
            .collect();
        let mut detail = format!(
            "{what}: {} ({total}, at least {min})",
            if codes.is_empty() {
                "none".to_string()
            } else {
                codes.join(", ")
            }
        );
        if !self.inferred.is_empty() {
            let inferred: Vec<&str> = self.inferred.iter().map(|(c, _, _)| c.code()).collect();
            detail.push_str(&format!("; {} inferred", inferred.join(", ")));
        }
        let unknown = (!self.unknown_open).then_some(self.unknown.len());
        if total < min && Bound::AtLeast(min).judge(total, unknown) == Outcome::Open {
            // Whole applicants lost (a misspelt `[[partners]]`): the table
            // is what to fix; otherwise their countries.
            let key = if self.unknown.len() == cx.consortium.partners_lost.len() {
                "[[partner]]"
            } else {
                "country"
            };
            return Verdict::skip(
                format!(
                    "{detail}; not judged: the country of {} at {} could not be read",
                    crate::text::plural(self.unknown.len(), "applicant", "applicants"),
                    cx.lines(&self.unknown)
                ),
                &[key],
            );
        }
        let labels = || {
            self.confirmed
                .iter()
                .map(|(c, span)| (span.clone(), format!("{} counts", c.code())))
                .chain(self.inferred.iter().map(|(c, span, _)| {
                    (
                        span.clone(),
                        format!("{} counts only if inferred", c.code()),
                    )
                }))
                .chain(
                    self.outside
                        .iter()
                        .map(|(c, span)| (span.clone(), format!("{} does not count", c.code()))),
                )
                .collect::<Vec<_>>()
        };
        if total < min {
            let listed = if codes.is_empty() {
                String::new()
            } else {
                format!(" ({})", and_list(&codes))
            };
            // Fails whatever the unread countries are; they are named all
            // the same (a problem of their own).
            let unread = if self.unknown.is_empty() {
                String::new()
            } else {
                let phrase = format!(
                    "the country of {} at {} could not be read",
                    crate::text::plural(self.unknown.len(), "applicant", "applicants"),
                    cx.lines(&self.unknown)
                );
                detail.push_str(&format!("; {phrase}"));
                format!(", and {phrase}")
            };
            let mut f = cx
                .finding(
                    cx.call_span(),
                    format!(
                        "the consortium is established in {}{listed}{unread}; {} requires at least {min}",
                        crate::text::plural(total, noun.0, noun.1),
                        cx.call_name()
                    ),
                )
                .label(format!(
                    "requires at least {}",
                    crate::text::plural(min, noun.0, noun.1)
                ))
                .help(help(cx));
            for (span, text) in labels() {
                f = f.also(span, text);
            }
            cx.emit(f);
        } else if self.confirmed.len() < min {
            let why = self.inferred[0].2;
            let mut f = cx
                .finding(
                    cx.call_span(),
                    format!(
                        "the consortium reaches {min} {} only by counting {}",
                        noun.1,
                        and_list(
                            &self
                                .inferred
                                .iter()
                                .map(|(c, _, _)| c.to_string())
                                .collect::<Vec<_>>()
                        )
                    ),
                )
                .label(format!(
                    "requires at least {}",
                    crate::text::plural(min, noun.0, noun.1)
                ))
                .help(help(cx));
            for (span, text) in labels() {
                f = f.also(span, text);
            }
            cx.emit_inferred(f, why);
        }
        Verdict::Checked(detail)
    }
}
