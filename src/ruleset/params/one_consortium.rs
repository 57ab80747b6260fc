//! The parameters of `one-consortium`: an organisation applies in at most one consortium per
//! call (or per phase of a call). One file cannot show it: the check runs
//! across the files of one run (`crate::pipeline::across_files`); alone, a
//! file gets "skip".

use super::Ruleset;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    /// The phase of each strand: one consortium per organisation and phase.
    /// Without it, one consortium per organisation for the whole call.
    #[serde(default)]
    pub phases: BTreeMap<String, String>,
}

impl Params {
    /// The phase a strand belongs to ("" for the whole call).
    pub fn phase(&self, strand: Option<&str>) -> String {
        strand
            .and_then(|s| self.phases.get(s))
            .cloned()
            .unwrap_or_default()
    }
}

impl super::Validate for Params {}

/// The requirement in words, for `explain`, `calls` and `init`.
pub fn describe(p: &Params, _: &Ruleset) -> String {
    if p.phases.is_empty() {
        "each organisation in at most one consortium for the call".into()
    } else {
        "each organisation in at most one consortium per phase".into()
    }
}
