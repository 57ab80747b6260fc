//! The parameters of `max-targets`: the proposal targets at most N third countries or regions.

use super::Ruleset;

/// The number the rule counts must not exceed.
pub type Params = super::AtMost;

/// The requirement in words, for `explain`, `calls` and `init`.
pub fn describe(p: &Params, _: &Ruleset) -> String {
    format!(
        "at most {}",
        crate::text::plural(p.max, "target market", "target markets")
    )
}
