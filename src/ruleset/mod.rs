//! Rulesets: the rules of one call, loaded from a data file in `calls/`.
//!
//! A ruleset holds every call-specific fact escp uses: title, deadline,
//! strands, the rules the call switches on with their parameters, severity
//! and citation, and any country groups of its own. The file format is
//! documented in `docs/rulesets.md`; [`load`] reads it, [`catalog`] finds the
//! one a consortium file names.

pub mod catalog;
pub mod compiled;
pub mod groups;
pub mod load;

use crate::finding::{Basis, Severity};
use crate::rules::{RuleId, RuleParams};
use groups::Group;
use jiff::civil::{Date, Time};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub use catalog::{Catalog, CatalogError};
pub use load::RulesetError;

/// Where a ruleset was loaded from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Origin {
    #[default]
    Embedded,
    File(std::path::PathBuf),
}

/// One call's rules. Serialized, it is the compiled form of an embedded
/// ruleset ([`compiled`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ruleset {
    pub id: String,
    pub aliases: Vec<String>,
    pub title: String,
    pub programme: Option<String>,
    pub summary: Option<String>,
    pub budget_eur: Option<f64>,
    pub deadline: Deadline,
    pub strands: Vec<Strand>,
    pub sources: Vec<Citation>,
    /// Groups the rules may name: the embedded ones plus the ruleset's own
    /// (only its own are written in the compiled form).
    #[serde(with = "groups::own")]
    pub groups: BTreeMap<String, Group>,
    /// The rules switched on, in the canonical order of [`RuleId`].
    pub rules: Vec<RuleEntry>,
    #[serde(skip)]
    pub origin: Origin,
}

/// The submission deadline. `time` and `zone` are shown to the user; the
/// deadline has passed when the check date is after `date`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deadline {
    pub date: Date,
    pub time: Option<Time>,
    pub zone: Option<String>,
    pub source: String,
    pub basis: Basis,
}

impl Deadline {
    /// "2 December 2020 17:00 CET".
    pub fn when(&self) -> String {
        let mut out = self.date.strftime("%-d %B %Y").to_string();
        if let Some(time) = self.time {
            out.push_str(&time.strftime(" %H:%M").to_string());
        }
        if let Some(zone) = &self.zone {
            out.push(' ');
            out.push_str(zone);
        }
        out
    }
}

/// A strand (a "topic" or "section" of the call) with its own parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Strand {
    pub id: String,
    pub title: String,
    pub budget_eur: Option<f64>,
    pub max_grant_note: Option<String>,
    pub projects: Option<u32>,
}

/// An entry of the ruleset's bibliography.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Citation {
    pub id: String,
    pub title: String,
    pub url: Option<String>,
}

/// How one rule is set for one strand (or for the whole call).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSetting {
    pub severity: Severity,
    pub basis: Basis,
    pub source: String,
    pub note: Option<String>,
    pub params: RuleParams,
}

impl RuleSetting {
    /// "COS-CLUSINT-2020-3-01 call text, section 6.2 (confirmed)".
    pub fn citation(&self) -> String {
        format!("{} ({})", self.source, self.basis.as_str())
    }
}

/// A rule switched on by the call, with its setting per strand.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleEntry {
    pub rule: RuleId,
    /// One slot per strand, in the order of `Ruleset::strands` (one slot if
    /// the call has no strands); `None` where the rule does not apply.
    pub per_strand: Vec<Option<RuleSetting>>,
}

impl RuleEntry {
    /// The setting for a strand (an index into `Ruleset::strands`); with no
    /// strand known, the setting only if it is the same for every strand.
    pub fn setting(&self, strand: Option<usize>) -> StrandSetting<'_> {
        match strand {
            Some(i) => match self.per_strand.get(i).and_then(Option::as_ref) {
                Some(s) => StrandSetting::Applies(s),
                None => StrandSetting::NotApplicable,
            },
            None => {
                let first = self.per_strand.first().and_then(Option::as_ref);
                match first {
                    Some(s) if self.per_strand.iter().all(|o| o.as_ref() == Some(s)) => {
                        StrandSetting::Applies(s)
                    }
                    _ => StrandSetting::NeedsStrand,
                }
            }
        }
    }
}

/// What a rule does for the strand of a file.
#[derive(Debug, Clone, Copy)]
pub enum StrandSetting<'a> {
    Applies(&'a RuleSetting),
    /// The rule is not switched on for this strand.
    NotApplicable,
    /// The rule's setting differs between strands and the strand is unknown.
    NeedsStrand,
}

impl Ruleset {
    /// Whether `id` names this call (its id or an alias, case-insensitive).
    pub fn is_named(&self, id: &str) -> bool {
        let id = id.trim();
        self.id.eq_ignore_ascii_case(id) || self.aliases.iter().any(|a| a.eq_ignore_ascii_case(id))
    }

    /// The index of the strand a user wrote, matched leniently: case, spaces,
    /// dots and a leading word "Strand" are ignored ("Strand 1.A" = "1a").
    pub fn strand_index(&self, written: &str) -> Option<usize> {
        let wanted = strand_key(written);
        self.strands
            .iter()
            .position(|s| strand_key(&s.id) == wanted)
    }

    /// The rule entry for `rule`, if the call switches it on.
    pub fn entry(&self, rule: RuleId) -> Option<&RuleEntry> {
        self.rules.iter().find(|e| e.rule == rule)
    }

    pub fn group(&self, name: &str) -> Option<&Group> {
        self.groups.get(name)
    }
}

fn strand_key(s: &str) -> String {
    let lower = s.trim().to_lowercase();
    let rest = lower.strip_prefix("strand").unwrap_or(&lower);
    rest.chars()
        .filter(|c| !c.is_whitespace() && *c != '.')
        .collect()
}

/// A TOML date (`2020-12-02`, no time) as a calendar date.
pub(crate) fn date(value: &toml::value::Datetime) -> Result<Date, String> {
    match (value.date, value.time, value.offset) {
        (Some(d), None, None) => Date::new(d.year as i16, d.month as i8, d.day as i8)
            .map_err(|e| format!("{value} is not a valid date: {e}")),
        _ => Err(format!("{value} must be a plain date such as 2020-12-02")),
    }
}

#[cfg(test)]
mod tests {
    use super::strand_key;

    #[test]
    fn strands_match_leniently() {
        for written in ["1.a", "1a", "Strand 1.A", " strand 1 . a ", "1.A"] {
            assert_eq!(strand_key(written), "1a", "{written}");
        }
        assert_eq!(strand_key("A"), "a");
        assert_ne!(strand_key("1.b"), strand_key("1.a"));
    }
}
