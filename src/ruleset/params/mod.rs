//! Each call rule's parameters, as a ruleset sets them: their types, how
//! they are read from a ruleset's table and checked for sense, and the
//! requirement they make in words. The rules (`crate::rules`) read them;
//! nothing here knows how a rule checks a consortium.
//!
//! One module per call rule, named as in [`crate::rule_id`]'s list; the
//! [`RuleParams`] enum over them is generated from that list.

use super::Ruleset;
use crate::rule_id::{with_rules, RuleId};

pub mod actions;
pub mod coordinator;
pub mod deadline;
pub mod defence_related;
pub mod distinct_countries;
pub mod duplicate_partner;
pub mod duration;
pub mod eccp_registration;
pub mod eligible_country;
pub mod funding_rate;
pub mod legal_entity;
pub mod max_grant;
pub mod max_partners;
pub mod max_targets;
pub mod min_eu_countries;
pub mod min_partners;
pub mod min_targets;
pub mod one_consortium;
pub mod organisation_type;
pub mod strand;
pub mod target_third_country;
pub mod third_party_support;

macro_rules! rule_params {
    (
        format { $($fvariant:ident = $fid:literal => $fexpl:ident,)* }
        call { $($variant:ident = $id:literal => $module:ident,)* }
    ) => {
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

            /// The rule these parameters belong to.
            pub fn rule(&self) -> RuleId {
                match self { $(RuleParams::$variant(_) => RuleId::$variant,)* }
            }
        }

        /// Reads the parameters of `rule` from its ruleset table.
        pub fn parse_params(rule: RuleId, table: toml::Table) -> Result<RuleParams, ParamError> {
            match rule {
                $(RuleId::$variant => Ok(RuleParams::$variant(params(table)?)),)*
                other => Err(ParamError { key: None, message: format!("`{other}` cannot be set in a ruleset") }),
            }
        }
    };
}

with_rules!(rule_params);

/// The parameters of a rule that counts up to a least number
/// (`min-partners`, `min-targets`, `defence-related`).
#[derive(Debug, Clone, PartialEq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct AtLeast {
    /// The least number that counts.
    pub min: usize,
}

impl Validate for AtLeast {
    fn invalid(&self) -> Option<(&'static str, String)> {
        at_least_one("min", self.min)
    }
}

/// The parameters of a rule that counts up to a greatest number
/// (`max-partners`, `max-targets`).
#[derive(Debug, Clone, PartialEq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct AtMost {
    /// The greatest number that counts.
    pub max: usize,
}

impl Validate for AtMost {
    fn invalid(&self) -> Option<(&'static str, String)> {
        at_least_one("max", self.max)
    }
}

impl RuleParams {
    /// Whether meeting these parameters means meeting `other`'s too, for
    /// `call` (so that one missing fact is reported once).
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
}

/// Parameters of a rule: which country groups they name, if any, and
/// whether their values make sense.
pub(crate) trait Validate {
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

fn params<P: serde::de::DeserializeOwned + Validate>(table: toml::Table) -> Result<P, ParamError> {
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

/// "90", "87.5": a percentage as a ruleset writes it.
pub(crate) fn percent(value: f64) -> String {
    if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value}")
    }
}
