//! The rules: one module per rule, each holding its explanation (what it
//! checks, why, a failing and a fixed example), its parameters (read from
//! rulesets) and its check.
//!
//! Format rules (`syntax`, `unknown-key`, ...) are always on and live with
//! the consortium parser; their explanations are in [`format`]. Call rules
//! are switched on and parameterised by each call's ruleset.

/// Re-exported for front ends and tests that name rules beside running them.
pub use crate::rule_id::RuleId;
pub use crate::ruleset::params::RuleParams;
pub(crate) use crate::text::{and_list, or_list};

pub mod format;

mod context;
mod count;
mod countries;
mod coverage;

pub(crate) use context::needed;
pub use context::{Cx, PerFile, Skip, Verdict};
pub(crate) use count::{Bound, Count, Outcome};
pub(crate) use countries::{group_names, membership, DistinctCountries};
pub(crate) use coverage::{each_applicant, Coverage};

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
        format { $($fvariant:ident = $fid:literal => $fexpl:ident,)* }
        call { $($variant:ident = $id:literal => $module:ident,)* }
    ) => {
        impl RuleId {
            pub fn explanation(self) -> &'static Explanation {
                match self {
                    $(RuleId::$fvariant => &format::$fexpl,)*
                    $(RuleId::$variant => &$module::EXPLANATION,)*
                }
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

        /// Runs one call rule.
        pub(crate) fn check(params: &RuleParams, cx: &mut Cx<'_>) -> Verdict {
            match params { $(RuleParams::$variant(p) => $module::check(p, cx),)* }
        }
    };
}

crate::rule_id::with_rules!(rules);

/// A key of the consortium file: its table (`""` for the top level,
/// `"proposal"`, `"partner"`, `"target"`) and its name.
pub type KeyRef = (&'static str, &'static str);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_is_explained() {
        for rule in RuleId::ALL {
            let e = rule.explanation();
            assert!(!e.summary.is_empty() && !e.why.is_empty(), "{rule}");
            assert!(!e.failing.is_empty() && !e.fixed.is_empty(), "{rule}");
            assert_ne!(e.failing, e.fixed, "{rule}");
        }
    }
}
