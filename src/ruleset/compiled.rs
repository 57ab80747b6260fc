//! The embedded rulesets in compiled form.
//!
//! A ruleset is written in TOML (`calls/*.toml`) for people: comments,
//! citations, one rule per table. Reading TOML with the position of every
//! value costs more than the whole check of a typical consortium file, so
//! the rulesets shipped in the binary are stored as the [`Ruleset`] they
//! load into, serialized as JSON (`calls/compiled/`), which reads about ten
//! times faster. The TOML files stay the source; the compiled files are
//! derived from them and a test fails when one is stale:
//!
//! ```text
//! ESCP_BLESS=1 cargo test --test rulesets   # rewrites calls/compiled/
//! ```
//!
//! Rulesets given with `--calls` are read from TOML, with full diagnostics.

use super::groups::{self, Group};
use super::load::{load, RulesetError};
use super::{Origin, Ruleset};
use std::collections::BTreeMap;

/// The compiled form of ruleset `text` (TOML), shown as `name` in errors.
pub fn compile(name: &str, text: &str) -> Result<String, Box<RulesetError>> {
    let ruleset = load(name, text, Origin::Embedded)?;
    Ok(to_json(&ruleset))
}

/// The compiled form of a groups file (`calls/countries/groups.toml`).
pub fn compile_groups(text: &str) -> Result<String, String> {
    Ok(groups_to_json(&groups::from_toml(text)?))
}

/// A ruleset as compiled JSON.
pub fn to_json(ruleset: &Ruleset) -> String {
    let mut json = serde_json::to_string_pretty(ruleset).expect("a ruleset serializes");
    json.push('\n');
    json
}

/// Groups as compiled JSON.
pub fn groups_to_json(groups: &BTreeMap<String, Group>) -> String {
    let mut json = serde_json::to_string_pretty(groups).expect("groups serialize");
    json.push('\n');
    json
}

/// Reads a compiled ruleset. The embedded ones are tested to read back to
/// what their TOML loads into.
pub fn read(json: &str) -> Result<Ruleset, serde_json::Error> {
    serde_json::from_str(json)
}
