//! Every rule of escp, and its stable id: the one place a rule is
//! registered.
//!
//! This sits below everything that names rules: the consortium model and
//! its parser (format findings), findings, rulesets and reporters import
//! [`RuleId`] from here, never from the rules' code. [`with_rules!`] hands
//! the same list to the layers that need one item per rule: the rulesets
//! (each rule's parameters, `crate::ruleset::params`) and the rules (each
//! rule's check and explanation, `crate::rules`). Adding a rule is a line
//! here, its parameters in `src/ruleset/params/` and its check in
//! `src/rules/`, both named after the module given here; the compiler says
//! what is missing.

use std::fmt;

/// Calls `$callback!` with the list of every rule: the format rules (the
/// name of their explanation in `crate::rules::format`), then the call rules
/// (the module that holds their parameters and their check), each with its
/// stable id. The order is the order of the readiness summary.
macro_rules! with_rules {
    ($callback:ident) => {
        $callback! {
            format {
                Syntax = "syntax" => SYNTAX,
                UnknownKey = "unknown-key" => UNKNOWN_KEY,
                MissingKey = "missing-key" => MISSING_KEY,
                InvalidValue = "invalid-value" => INVALID_VALUE,
                ImplausibleAmount = "implausible-amount" => IMPLAUSIBLE_AMOUNT,
                UnknownCall = "unknown-call" => UNKNOWN_CALL,
                InvalidRuleset = "invalid-ruleset" => INVALID_RULESET,
                ReadError = "read-error" => READ_ERROR,
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
    };
}
pub(crate) use with_rules;

macro_rules! rule_ids {
    (
        format { $($fvariant:ident = $fid:literal => $fexpl:ident,)* }
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

            /// Format rules are always on and not set by rulesets.
            pub fn is_format_rule(self) -> bool {
                matches!(self, $(RuleId::$fvariant)|*)
            }

            /// Whether a ruleset can switch the rule on (the call rules).
            pub fn is_configurable(self) -> bool {
                matches!(self, $(RuleId::$variant)|*)
            }
        }
    };
}

with_rules!(rule_ids);

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

#[cfg(test)]
mod tests {
    use super::RuleId;
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
    fn format_and_call_rules_partition_the_ids() {
        for rule in RuleId::ALL {
            assert_ne!(rule.is_format_rule(), rule.is_configurable(), "{rule}");
        }
        assert!(RuleId::Syntax.is_format_rule());
        assert!(RuleId::OneConsortium.is_configurable());
    }
}
