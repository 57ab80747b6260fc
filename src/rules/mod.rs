//! The rules: one module per rule, each holding its explanation (what it
//! checks, why, a failing and a fixed example), its parameters (read from
//! rulesets) and its check.
//!
//! Format rules (`syntax`, `unknown-key`, ...) are always on and live with
//! the consortium parser; their explanations are in [`format`]. Call rules
//! are switched on and parameterised by each call's ruleset.

use crate::consortium::Consortium;
use crate::finding::{Finding, Severity};
use crate::ruleset::groups::Group;
use crate::ruleset::{RuleSetting, Ruleset, Strand};
use crate::source::Span;
use jiff::civil::Date;
use std::fmt;

pub mod format;

mod actions;
mod coordinator;
mod deadline;
mod defence_related;
mod distinct_countries;
mod duplicate_partner;
mod duration;
mod eccp_registration;
mod eligible_country;
mod funding_rate;
mod legal_entity;
mod max_grant;
mod max_partners;
mod max_targets;
mod min_eu_countries;
mod min_partners;
mod min_targets;
mod one_consortium;
mod organisation_type;
mod strand;
mod target_third_country;

/// What a rule checks and why. Written once, next to the rule's code.
#[derive(Debug, Clone, Copy)]
pub struct Explanation {
    /// One line: what the rule checks.
    pub summary: &'static str,
    /// Why calls have the rule.
    pub why: &'static str,
    /// A consortium snippet that fails the rule.
    pub failing: &'static str,
    /// The same snippet, fixed.
    pub fixed: &'static str,
}

macro_rules! rules {
    (
        format { $($fvariant:ident = $fid:literal => $fexpl:path,)* }
        call { $($variant:ident = $id:literal => $module:ident,)* }
    ) => {
        /// Every rule id. The order is the order of the readiness summary.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum RuleId { $($fvariant,)* $($variant,)* }

        impl RuleId {
            pub const ALL: &'static [RuleId] = &[$(RuleId::$fvariant,)* $(RuleId::$variant,)*];

            /// The stable id used in output, `explain` and rulesets.
            pub fn as_str(self) -> &'static str {
                match self { $(RuleId::$fvariant => $fid,)* $(RuleId::$variant => $id,)* }
            }

            pub fn explanation(self) -> &'static Explanation {
                match self {
                    $(RuleId::$fvariant => &$fexpl,)*
                    $(RuleId::$variant => &$module::EXPLANATION,)*
                }
            }

            /// Format rules are always on and not set by rulesets.
            pub fn is_format_rule(self) -> bool {
                matches!(self, $(RuleId::$fvariant)|*)
            }

            /// Whether a ruleset can switch the rule on (the call rules).
            pub fn is_configurable(self) -> bool {
                matches!(self, $(RuleId::$variant)|*)
            }
        }

        /// A call rule's parameters, as read from a ruleset. In the compiled
        /// form of a ruleset (`calls/compiled/`) they are tagged with the
        /// rule's id: `{"min-partners": {"min": 3}}`.
        #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
        pub enum RuleParams { $(#[serde(rename = $id)] $variant($module::Params),)* }

        impl RuleParams {
            /// The requirement in words ("at least 3 applicants").
            pub fn describe(&self, call: &Ruleset) -> String {
                match self { $(RuleParams::$variant(p) => $module::describe(p, call),)* }
            }

            /// The parameters as written in a ruleset (for listings and JSON).
            pub fn to_toml(&self) -> toml::Table {
                let value = match self { $(RuleParams::$variant(p) => toml::Table::try_from(p),)* };
                value.unwrap_or_default()
            }

            /// The country groups the parameters name (checked at load time).
            pub fn groups(&self) -> Vec<&str> {
                match self { $(RuleParams::$variant(p) => p.groups(),)* }
            }
        }

        /// Reads the parameters of `rule` from its ruleset table.
        pub fn parse_params(rule: RuleId, table: toml::Table) -> Result<RuleParams, ParamError> {
            match rule {
                $(RuleId::$variant => Ok(RuleParams::$variant(params(table)?)),)*
                other => Err(ParamError { key: None, message: format!("`{other}` cannot be set in a ruleset") }),
            }
        }

        /// Runs one call rule.
        pub(crate) fn check(params: &RuleParams, cx: &mut Cx<'_>) -> Verdict {
            match params { $(RuleParams::$variant(p) => $module::check(p, cx),)* }
        }
    };
}

rules! {
    format {
        Syntax = "syntax" => format::SYNTAX,
        UnknownKey = "unknown-key" => format::UNKNOWN_KEY,
        MissingKey = "missing-key" => format::MISSING_KEY,
        InvalidValue = "invalid-value" => format::INVALID_VALUE,
        UnknownCall = "unknown-call" => format::UNKNOWN_CALL,
        ReadError = "read-error" => format::READ_ERROR,
    }
    call {
        Strand = "strand" => strand,
        MinPartners = "min-partners" => min_partners,
        MaxPartners = "max-partners" => max_partners,
        DistinctCountries = "distinct-countries" => distinct_countries,
        MinEuCountries = "min-eu-countries" => min_eu_countries,
        EligibleCountry = "eligible-country" => eligible_country,
        OrganisationType = "organisation-type" => organisation_type,
        LegalEntity = "legal-entity" => legal_entity,
        EccpRegistration = "eccp-registration" => eccp_registration,
        DefenceRelated = "defence-related" => defence_related,
        Coordinator = "coordinator" => coordinator,
        DuplicatePartner = "duplicate-partner" => duplicate_partner,
        MinTargets = "min-targets" => min_targets,
        MaxTargets = "max-targets" => max_targets,
        TargetThirdCountry = "target-third-country" => target_third_country,
        Actions = "actions" => actions,
        MaxGrant = "max-grant" => max_grant,
        FundingRate = "funding-rate" => funding_rate,
        Duration = "duration" => duration,
        Deadline = "deadline" => deadline,
        OneConsortium = "one-consortium" => one_consortium,
    }
}

impl RuleId {
    pub fn parse(id: &str) -> Option<RuleId> {
        RuleId::ALL.iter().copied().find(|r| r.as_str() == id)
    }
}

/// Read back from its stable id ("min-partners"), as it is written.
impl<'de> serde::Deserialize<'de> for RuleId {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let id = <String as serde::Deserialize>::deserialize(deserializer)?;
        RuleId::parse(&id).ok_or_else(|| serde::de::Error::custom(format!("unknown rule `{id}`")))
    }
}

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for RuleId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Parameters of a rule: which country groups they name, if any, and
/// whether their values make sense.
pub(crate) trait Params {
    fn groups(&self) -> Vec<&str> {
        Vec::new()
    }

    /// A value that reads as its type but cannot be meant (a maximum grant
    /// of `nan` or `-inf`, at least 0 applicants, 40 to 36 months): the key
    /// at fault and why. A ruleset with one is refused, not half-applied.
    fn invalid(&self) -> Option<(&'static str, String)> {
        None
    }
}

/// `value` as a count a rule can require: at least 1.
pub(crate) fn at_least_one(key: &'static str, value: usize) -> Option<(&'static str, String)> {
    (value < 1).then(|| {
        (
            key,
            format!(
                "`{key}` is {value}; it must be at least 1 (to switch the rule off, remove it)"
            ),
        )
    })
}

/// `value` as an amount: a finite number above 0 (and at most `max`).
pub(crate) fn positive(
    key: &'static str,
    value: f64,
    max: Option<f64>,
) -> Option<(&'static str, String)> {
    let fits = value.is_finite() && value > 0.0 && max.is_none_or(|max| value <= max);
    (!fits).then(|| {
        let bound = max.map(|m| format!(" and at most {m}")).unwrap_or_default();
        (
            key,
            format!("`{key}` is {value}; it must be a number above 0{bound}"),
        )
    })
}

/// A rule's parameters that could not be read; `key` is the one at fault.
#[derive(Debug)]
pub struct ParamError {
    pub key: Option<String>,
    pub message: String,
}

fn params<P: serde::de::DeserializeOwned + Params>(table: toml::Table) -> Result<P, ParamError> {
    let params: P = read_params(table)?;
    match params.invalid() {
        Some((key, message)) => Err(ParamError {
            key: Some(key.to_string()),
            message,
        }),
        None => Ok(params),
    }
}

fn read_params<P: serde::de::DeserializeOwned>(table: toml::Table) -> Result<P, ParamError> {
    serde_path_to_error::deserialize(toml::Value::Table(table)).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner().to_string();
        // The first line is the message; say types in words, not Rust.
        let inner = inner
            .lines()
            .next()
            .unwrap_or_default()
            .trim()
            .replace("expected usize", "expected a whole number")
            .replace("expected u64", "expected a whole number")
            .replace("expected u32", "expected a whole number")
            .replace("expected f64", "expected a number");
        // serde names an unknown key in its message, not in the path.
        let key = if path == "." || path.is_empty() {
            inner.split('`').nth(1).map(str::to_string)
        } else {
            path.split(['.', '[']).next().map(str::to_string)
        };
        ParamError {
            key,
            message: inner,
        }
    })
}

/// The outcome of one rule on one file, besides the findings it emitted.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// Checked; the detail line of the readiness summary.
    Checked(String),
    /// Not checked; why (e.g. the key to add).
    Skipped(String),
}

/// What a rule sees while it checks one file.
pub struct Cx<'a> {
    pub consortium: &'a Consortium,
    pub call: &'a Ruleset,
    /// The file's strand, if the call has strands and the file names one.
    pub strand: Option<&'a Strand>,
    /// The date the check is made on (`--today`).
    pub today: Date,
    pub rule: RuleId,
    pub setting: &'a RuleSetting,
    pub(crate) findings: Vec<Finding>,
}

impl<'a> Cx<'a> {
    /// A finding of this rule, with its severity and citation.
    pub fn finding(&self, span: Span, message: impl Into<String>) -> Finding {
        Finding::new(self.rule, span, message)
            .severity(self.setting.severity)
            .source(self.setting.citation())
    }

    pub fn emit(&mut self, finding: Finding) {
        self.findings.push(finding);
    }

    /// Emits a finding that rests on an inferred fact: at most a warning,
    /// with the inference explained.
    pub fn emit_inferred(&mut self, mut finding: Finding, why: &str) {
        finding.severity = Severity::Warning;
        let help = finding
            .help
            .take()
            .map(|h| format!("{h}\n"))
            .unwrap_or_default();
        finding = finding.help(format!("{help}inferred, not confirmed: {why}"));
        self.findings.push(finding);
    }

    /// The date eligibility is judged on: the call's deadline.
    pub fn deadline(&self) -> Date {
        self.call.deadline.date
    }

    /// A country group named by the rule's parameters (checked at load time).
    pub fn group(&self, name: &str) -> &'a Group {
        self.call
            .group(name)
            .expect("ruleset loading checks that every group a rule names exists")
    }

    /// Where consortium-wide findings point: the `call` value.
    pub fn call_span(&self) -> Span {
        self.consortium
            .call
            .as_ref()
            .map(|c| c.span.clone())
            .unwrap_or(0..0)
    }

    /// "COS-CLUSINT-2020-3-01 strand A", or just the id.
    pub fn call_name(&self) -> String {
        match self.strand {
            Some(s) => format!("{} strand {}", self.call.id, s.id),
            None => self.call.id.clone(),
        }
    }
}

/// "IT, FR and RS" style lists.
pub fn and_list<T: AsRef<str>>(items: &[T]) -> String {
    joined(items, "and")
}

/// "registered or requested" style lists.
pub(crate) fn or_list<T: AsRef<str>>(items: &[T]) -> String {
    joined(items, "or")
}

fn joined<T: AsRef<str>>(items: &[T], word: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.as_ref().to_string(),
        [init @ .., last] => {
            let init: Vec<&str> = init.iter().map(AsRef::as_ref).collect();
            format!("{} {word} {}", init.join(", "), last.as_ref())
        }
    }
}

/// A bound on a count: "at least 3" or "at most 5".
#[derive(Debug, Clone, Copy)]
pub(crate) enum Bound {
    AtLeast(usize),
    AtMost(usize),
}

impl Bound {
    fn holds(self, n: usize) -> bool {
        match self {
            Bound::AtLeast(min) => n >= min,
            Bound::AtMost(max) => n <= max,
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
    /// The entries that count, for secondary labels.
    pub labels: Vec<(Span, String)>,
    pub help: String,
}

impl Count<'_> {
    pub fn check(self, cx: &mut Cx<'_>) -> Verdict {
        let counted = crate::text::plural(self.n, self.noun.0, self.noun.1);
        let detail = format!("{counted} ({})", self.bound);
        let limit = match self.bound {
            Bound::AtLeast(n) | Bound::AtMost(n) => n,
        };
        let bound_noun = if limit == 1 { self.noun.0 } else { self.noun.1 };
        if !self.bound.holds(self.n) {
            let mut finding = cx
                .finding(
                    cx.call_span(),
                    format!(
                        "the consortium has {counted}; {} requires {} {}",
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
            for (span, text) in self.labels {
                finding = finding.also(span, text);
            }
            cx.emit(finding);
        }
        Verdict::Checked(detail)
    }
}

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
/// countries when `groups` is empty) for sure, or by inference only.
pub(crate) struct DistinctCountries<'a> {
    pub confirmed: Vec<(crate::countries::Country, Span)>,
    pub inferred: Vec<(crate::countries::Country, Span, &'a str)>,
}

impl<'a> DistinctCountries<'a> {
    pub fn of(cx: &Cx<'a>, groups: &[String]) -> Self {
        use crate::ruleset::groups::Membership;
        let mut seen = std::collections::HashSet::new();
        let mut out = DistinctCountries {
            confirmed: Vec::new(),
            inferred: Vec::new(),
        };
        for partner in &cx.consortium.partners {
            let Some(country) = &partner.country else {
                continue;
            };
            if !seen.insert(country.value) {
                continue;
            }
            let member = if groups.is_empty() {
                Membership::Yes
            } else {
                membership(cx, groups, country.value)
            };
            match member {
                Membership::Yes => out.confirmed.push((country.value, country.span.clone())),
                Membership::Inferred(why) => {
                    out.inferred
                        .push((country.value, country.span.clone(), why))
                }
                Membership::No => {}
            }
        }
        out
    }

    /// Checks "at least `min`" and emits the finding; `what` names the
    /// countries in the summary ("countries", "EU Member States") and
    /// `noun` in messages, singular and plural ("eligible country").
    pub fn at_least(
        self,
        cx: &mut Cx<'_>,
        min: usize,
        what: &str,
        noun: (&str, &str),
        help: String,
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
                .collect::<Vec<_>>()
        };
        let listed = if codes.is_empty() {
            String::new()
        } else {
            format!(" ({})", and_list(&codes))
        };
        if total < min {
            let mut f = cx
                .finding(
                    cx.call_span(),
                    format!(
                        "the consortium is established in {}{listed}; {} requires at least {min}",
                        crate::text::plural(total, noun.0, noun.1),
                        cx.call_name()
                    ),
                )
                .label(format!("requires at least {min} {}", noun.1))
                .help(help);
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
                .label(format!("requires at least {min} {}", noun.1))
                .help(help);
            for (span, text) in labels() {
                f = f.also(span, text);
            }
            cx.emit_inferred(f, why);
        }
        Verdict::Checked(detail)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn ids_are_unique_kebab_case_and_round_trip() {
        let mut seen = HashSet::new();
        for rule in RuleId::ALL {
            let id = rule.as_str();
            assert!(seen.insert(id), "duplicate id {id}");
            assert!(
                id.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{id}"
            );
            assert_eq!(RuleId::parse(id), Some(*rule));
        }
        assert_eq!(RuleId::parse("nope"), None);
    }

    #[test]
    fn every_rule_is_explained() {
        for rule in RuleId::ALL {
            let e = rule.explanation();
            assert!(!e.summary.is_empty() && !e.why.is_empty(), "{rule}");
            assert!(!e.failing.is_empty() && !e.fixed.is_empty(), "{rule}");
            assert_ne!(e.failing, e.fixed, "{rule}");
        }
    }

    #[test]
    fn lists_read_naturally() {
        assert_eq!(and_list(&["IT"]), "IT");
        assert_eq!(and_list(&["IT", "FR", "RS"]), "IT, FR and RS");
        assert_eq!(
            or_list(&["registered", "requested"]),
            "registered or requested"
        );
    }
}
