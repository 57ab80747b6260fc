//! The parameters of `strand`: the file names one of the call's strands.

use super::Ruleset;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Params {}

impl super::Validate for Params {}

/// The requirement in words, for `explain`, `calls` and `init`.
pub fn describe(_: &Params, call: &Ruleset) -> String {
    if call.strands.is_empty() {
        "the call has no strands".into()
    } else {
        let ids: Vec<&str> = call.strands.iter().map(|s| s.id.as_str()).collect();
        format!("one of the strands {}", crate::text::or_list(&ids))
    }
}
