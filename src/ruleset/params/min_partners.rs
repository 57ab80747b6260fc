//! The parameters of `min-partners`: the consortium has at least N applicants.

use super::Ruleset;

/// The number the rule counts must reach.
pub type Params = super::AtLeast;

/// The requirement in words, for `explain`, `calls` and `init`.
pub fn describe(p: &Params, _: &Ruleset) -> String {
    format!(
        "at least {}",
        crate::text::plural(p.min, "applicant", "applicants")
    )
}
