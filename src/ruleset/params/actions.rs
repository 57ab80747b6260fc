//! The parameters of `actions`: the proposal covers the actions its strand requires.

use super::Ruleset;
use crate::consortium::{Action, Keyword};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    /// Actions the proposal must cover.
    pub required: Vec<Action>,
    /// Actions the strand funds at all (any, if absent).
    pub allowed: Option<Vec<Action>>,
}

impl super::Validate for Params {}

/// The requirement in words, for `explain`, `calls` and `init`.
pub fn describe(p: &Params, _: &Ruleset) -> String {
    let required: Vec<&str> = p.required.iter().map(|a| a.as_str()).collect();
    let mut out = format!("{} actions", crate::text::and_list(&required));
    if let Some(allowed) = &p.allowed {
        let allowed: Vec<&str> = allowed.iter().map(|a| a.as_str()).collect();
        out.push_str(&format!(" ({} only)", crate::text::and_list(&allowed)));
    }
    out
}
