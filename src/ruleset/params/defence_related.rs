//! The parameters of `defence-related`: at least N applicants are defence-related entities.

use super::Ruleset;

/// The number the rule counts must reach.
pub type Params = super::AtLeast;

/// The requirement in words, for `explain`, `calls` and `init`.
pub fn describe(p: &Params, _: &Ruleset) -> String {
    format!(
        "at least {}",
        crate::text::plural(
            p.min,
            "defence-related applicant",
            "defence-related applicants"
        )
    )
}
