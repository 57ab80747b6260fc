//! The parameters of `duration`: the project's duration is within the call's range.

use super::Ruleset;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    pub min_months: Option<u64>,
    pub max_months: Option<u64>,
}

impl super::Validate for Params {
    fn invalid(&self) -> Option<(&'static str, String)> {
        let months = |key, value: Option<u64>| {
            value.and_then(|v| super::at_least_one(key, usize::try_from(v).unwrap_or(usize::MAX)))
        };
        months("min_months", self.min_months)
            .or_else(|| months("max_months", self.max_months))
            .or_else(|| match (self.min_months, self.max_months) {
                (Some(min), Some(max)) if min > max => Some((
                    "min_months",
                    format!("`min_months` ({min}) is more than `max_months` ({max})"),
                )),
                _ => None,
            })
    }
}

/// The requirement in words, for `explain`, `calls` and `init`.
pub fn describe(p: &Params, _: &Ruleset) -> String {
    match (p.min_months, p.max_months) {
        (Some(a), Some(b)) if a == b => format!("{a} months"),
        (Some(a), Some(b)) => format!("{a} to {b} months"),
        (Some(a), None) => format!("at least {a} months"),
        (None, Some(b)) => format!("at most {b} months"),
        (None, None) => "any duration".into(),
    }
}
