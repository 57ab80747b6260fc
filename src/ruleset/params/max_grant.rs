//! The parameters of `max-grant`: the requested grant is within the call's maximum per project.

use super::Ruleset;
use crate::money::Euros;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    /// The maximum EU contribution per project, in euros.
    pub max_eur: f64,
}

impl super::Validate for Params {
    fn invalid(&self) -> Option<(&'static str, String)> {
        super::positive("max_eur", self.max_eur, None)
    }
}

/// The requirement in words, for `explain`, `calls` and `init`.
pub fn describe(p: &Params, _: &Ruleset) -> String {
    format!("a grant of at most EUR {}", p.max())
}

impl Params {
    /// The cap, to the cent (refused at load time if not a valid amount).
    pub fn max(&self) -> Euros {
        Euros::from_f64(self.max_eur).unwrap_or(Euros::MAX)
    }
}
