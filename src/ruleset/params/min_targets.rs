//! The parameters of `min-targets`: the proposal targets at least N third countries or regions.

use super::Ruleset;

/// The number the rule counts must reach.
pub type Params = super::AtLeast;

/// The requirement in words, for `explain`, `calls` and `init`.
pub fn describe(p: &Params, _: &Ruleset) -> String {
    format!(
        "at least {} (third countries or world regions)",
        crate::text::plural(p.min, "target market", "target markets")
    )
}
