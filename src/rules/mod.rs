//! The rules: one module per rule, each holding its explanation (what it
//! checks, why, a failing and a fixed example), its parameters (read from
//! rulesets) and its check.
//!
//! Format rules (`syntax`, `unknown-key`, ...) are always on and live with
//! the consortium parser; their explanations are in [`format`]. Call rules
//! are switched on and parameterised by each call's ruleset.

use crate::clock::Clock;
use crate::consortium::{Consortium, Field, Partner};
use crate::finding::{Finding, Severity};
use crate::ruleset::groups::Group;
use crate::ruleset::{RuleSetting, Ruleset, Strand};
use crate::source::{SourceFile, Span};
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
mod markets;
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
mod third_party_support;

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

            /// What a call rule's parameter is called in its summary line
            /// ("inferred cap"); empty for format rules.
            pub fn parameter(self) -> &'static str {
                match self {
                    $(RuleId::$variant => $module::PARAMETER,)*
                    _ => "",
                }
            }

            /// The keys of the consortium file a call rule reads (none for
            /// format rules): they are required, or at least needed for a
            /// verdict, in the calls that switch the rule on.
            pub fn reads(self) -> &'static [KeyRef] {
                match self {
                    $(RuleId::$variant => $module::READS,)*
                    _ => &[],
                }
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

            /// The parameters as written in a ruleset (for listings and
            /// JSON). Every parameter type is a struct of plain values, so
            /// this cannot fail (a test serializes every shipped ruleset).
            pub fn to_json(&self) -> serde_json::Value {
                let value = match self { $(RuleParams::$variant(p) => serde_json::to_value(p),)* };
                value.unwrap_or(serde_json::Value::Null)
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

        impl RuleParams {
            /// Whether meeting these parameters means meeting `other`'s
            /// too, for `call` (so that one missing fact is reported once).
            pub fn implies(&self, other: &RuleParams, call: &Ruleset) -> bool {
                match (self, other) {
                    (RuleParams::MinEuCountries(eu), RuleParams::DistinctCountries(d)) => {
                        eu.min >= d.min
                            && (d.among.is_empty()
                                || call.group(&eu.group).is_some_and(|g| {
                                    g.members_on(call.deadline.date).iter().all(|c| {
                                        d.among.iter().any(|a| {
                                            call.group(a).is_some_and(|a| {
                                                a.membership(*c, call.deadline.date).is_member()
                                            })
                                        })
                                    })
                                }))
                    }
                    _ => false,
                }
            }

            /// The rule these parameters belong to.
            pub fn rule(&self) -> RuleId {
                match self { $(RuleParams::$variant(_) => RuleId::$variant,)* }
            }
        }
    };
}

rules! {
    format {
        Syntax = "syntax" => format::SYNTAX,
        UnknownKey = "unknown-key" => format::UNKNOWN_KEY,
        MissingKey = "missing-key" => format::MISSING_KEY,
        InvalidValue = "invalid-value" => format::INVALID_VALUE,
        ImplausibleAmount = "implausible-amount" => format::IMPLAUSIBLE_AMOUNT,
        UnknownCall = "unknown-call" => format::UNKNOWN_CALL,
        InvalidRuleset = "invalid-ruleset" => format::INVALID_RULESET,
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
        ThirdPartySupport = "third-party-support" => third_party_support,
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

/// A key of the consortium file: its table (`""` for the top level,
/// `"proposal"`, `"partner"`, `"target"`) and its name.
pub type KeyRef = (&'static str, &'static str);

/// The outcome of one rule on one file, besides the findings it emitted.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// Judged on all the data it needs; the detail line of the readiness summary.
    Checked(String),
    /// Not judged, or judged on part of the data only (a check never passes
    /// on data it could not read). If it emitted an error on what it did
    /// judge, it still fails.
    Skipped(Skip),
}

/// Why a check did not run on everything it needs.
#[derive(Debug, Clone, PartialEq)]
pub struct Skip {
    /// The detail line: what it could judge, and what it could not.
    pub detail: String,
    /// The keys to add or fix for the check to run.
    pub keys: Vec<String>,
}

impl Verdict {
    pub fn skip(detail: impl Into<String>, keys: &[&str]) -> Verdict {
        Verdict::Skipped(Skip {
            detail: detail.into(),
            keys: keys.iter().map(|k| k.to_string()).collect(),
        })
    }
}

/// What a rule sees while it checks one file.
pub struct Cx<'a> {
    pub consortium: &'a Consortium,
    pub source: &'a SourceFile,
    pub call: &'a Ruleset,
    /// The file's strand, if the call has strands and the file names one.
    pub strand: Option<&'a Strand>,
    /// When the check is made (`--now`, `--today`, or the system clock).
    pub clock: Clock,
    pub rule: RuleId,
    pub setting: &'a RuleSetting,
    pub(crate) findings: Vec<Finding>,
    /// Safe repairs that no finding carries (a strand written loosely).
    pub(crate) fixes: Vec<crate::finding::Fix>,
}

impl<'a> Cx<'a> {
    /// A finding of this rule, with its severity and citation.
    pub fn finding(&self, span: Span, message: impl Into<String>) -> Finding {
        let cite = self.setting.citation(self.call);
        let mut finding = Finding::new(self.rule, span, message)
            .severity(self.setting.severity)
            .source(cite.text);
        finding.source_urls = cite.urls;
        finding
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
    pub fn deadline(&self) -> jiff::civil::Date {
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
        self.consortium.call.span_or(&(0..0))
    }

    /// "COS-CLUSINT-2020-3-01 strand A", or just the id.
    pub fn call_name(&self) -> String {
        match self.strand {
            Some(s) => format!("{} strand {}", self.call.id, s.id),
            None => self.call.id.clone(),
        }
    }

    /// The setting of another rule of the call, for this file's strand.
    pub fn setting_of(&self, rule: RuleId) -> Option<&'a RuleSetting> {
        let strand = self
            .strand
            .and_then(|s| self.call.strands.iter().position(|t| t.id == s.id));
        match self.call.entry(rule)?.setting(strand) {
            crate::ruleset::StrandSetting::Applies(s) => Some(s),
            _ => None,
        }
    }

    /// "line 12", "lines 12 and 20", "lines 12, 20, 31 and 4 more".
    pub fn lines(&self, spans: &[Span]) -> String {
        let mut lines: Vec<usize> = spans
            .iter()
            .map(|s| self.source.position(s.start).line)
            .collect();
        lines.sort_unstable();
        lines.dedup();
        let shown: Vec<String> = lines.iter().take(3).map(|l| l.to_string()).collect();
        let more = lines.len().saturating_sub(3);
        match (lines.len(), more) {
            (0, _) => String::new(),
            (1, _) => format!("line {}", shown[0]),
            (_, 0) => format!("lines {}", and_list(&shown)),
            _ => format!("lines {} and {more} more", shown.join(", ")),
        }
    }
}

/// The value of a `[proposal]` key a rule needs, or the skip that says
/// what to add or fix.
pub(crate) fn needed<'f, T>(
    cx: &Cx<'_>,
    field: &'f Field<T>,
    key: &str,
) -> Result<&'f crate::consortium::Sp<T>, Verdict> {
    match field {
        Field::Given(sp) => Ok(sp),
        Field::Absent => Err(Verdict::skip(format!("add `{key}` to [proposal]"), &[key])),
        Field::Lost(at) => Err(Verdict::skip(
            format!(
                "`{key}` could not be read ({}): fix it",
                cx.lines(std::slice::from_ref(at))
            ),
            &[key],
        )),
    }
}

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

/// "90", "87.5": a percentage as a ruleset writes it.
pub(crate) fn percent(value: f64) -> String {
    if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value}")
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
    /// The entries that count, for secondary labels.
    pub labels: Vec<(Span, String)>,
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
                for (span, text) in self.labels {
                    finding = finding.also(span, text);
                }
                cx.emit(finding);
                Verdict::Checked(format!("{detail}{unread}"))
            }
        }
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
        let mut seen = std::collections::HashSet::new();
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
        let mut organisations = std::collections::HashSet::new();
        let consortium = cx.consortium;
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
        let listed = if codes.is_empty() {
            String::new()
        } else {
            format!(" ({})", and_list(&codes))
        };
        if total < min {
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
                .label(format!(
                    "requires at least {}",
                    crate::text::plural(min, noun.0, noun.1)
                ))
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
