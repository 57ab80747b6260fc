//! What a call (and strand) requires of a consortium, in the words the
//! starter files use.

use crate::rule_id::RuleId;
use crate::ruleset::params::RuleParams;
use crate::ruleset::{Ruleset, StrandSetting};

/// What a call (and strand) requires of a consortium, in the words the
/// starter file uses: shared by the TOML starter file, the workbook
/// template and `escp import`'s placeholders.
#[derive(Clone, Copy)]
pub struct Requirements<'a> {
    pub call: &'a Ruleset,
    pub strand: Option<usize>,
}

impl<'a> Requirements<'a> {
    /// The setting of a rule, where it applies to the strand.
    pub fn setting(&self, rule: RuleId) -> Option<&'a crate::ruleset::RuleSetting> {
        match self.call.entry(rule).map(|e| e.setting(self.strand)) {
            Some(StrandSetting::Applies(s)) => Some(s),
            _ => None,
        }
    }

    /// "30 to 36 months [duration]": what a rule that applies requires.
    pub fn requirement(&self, rule: RuleId) -> Option<String> {
        self.setting(rule)
            .map(|s| format!("{} [{rule}]", s.params.describe(self.call)))
    }

    /// The requirements of the rules that apply, in order.
    pub fn requirements(&self, rules: &[RuleId]) -> Vec<String> {
        rules.iter().filter_map(|r| self.requirement(*r)).collect()
    }

    /// "; the call requires 30 to 36 months [duration]", appended to a
    /// comment (empty when none of the rules applies).
    pub fn notes(&self, rules: &[RuleId]) -> String {
        let parts = self.requirements(rules);
        if parts.is_empty() {
            String::new()
        } else {
            format!("; the call requires {}", parts.join(", "))
        }
    }

    /// Whether a rule that applies reads `key` of `table` ("" for the top,
    /// "proposal", "partner", "target").
    pub fn reads(&self, table: &str, key: &str) -> bool {
        self.call.rules.iter().any(|e| {
            matches!(e.setting(self.strand), StrandSetting::Applies(_))
                && e.rule.reads().iter().any(|(t, k)| *t == table && *k == key)
        })
    }

    /// Whether the call funds financial support to third parties.
    pub fn funds_third_parties(&self) -> bool {
        matches!(
            self.setting(RuleId::FundingRate).map(|s| &s.params),
            Some(RuleParams::FundingRate(p)) if p.third_party_percent.is_some()
        ) || self.setting(RuleId::ThirdPartySupport).is_some()
    }

    /// The actions the call requires, if it says.
    pub fn actions(&self) -> Option<Vec<String>> {
        match self.setting(RuleId::Actions).map(|s| &s.params) {
            Some(RuleParams::Actions(p)) => {
                Some(p.required.iter().map(|a| a.to_string()).collect())
            }
            _ => None,
        }
    }

    /// The fewest applicants the call allows (3 where it does not say),
    /// bounded for a starter file.
    pub fn min_partners(&self) -> usize {
        match self.setting(RuleId::MinPartners).map(|s| &s.params) {
            Some(RuleParams::MinPartners(p)) => p.min.clamp(1, 50),
            _ => 3,
        }
    }

    /// How many target markets a starter file lists, if the call reads them.
    pub fn targets(&self) -> Option<usize> {
        match self.setting(RuleId::MinTargets).map(|s| &s.params) {
            Some(RuleParams::MinTargets(p)) => Some(p.min.clamp(1, 20)),
            _ if self.reads("target", "country") => Some(1),
            _ => None,
        }
    }
}
