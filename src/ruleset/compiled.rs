//! The embedded rulesets in compiled form.
//!
//! A ruleset is written in TOML (`calls/*.toml`) for people: comments,
//! citations, one rule per table. Reading TOML with the position of every
//! value costs more than the whole check of a typical consortium file, so
//! the rulesets shipped in the binary are stored as the [`Ruleset`] they
//! load into, serialized with postcard (`calls/compiled/*.bin`, a compact
//! binary serde format), which reads many times faster. The TOML files stay the source; the compiled files are
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
pub fn compile(name: &str, text: &str) -> Result<Vec<u8>, Box<RulesetError>> {
    let ruleset = load(name, text, Origin::Embedded)?;
    Ok(to_bytes(&ruleset))
}

/// The compiled form of a groups file (`calls/countries/groups.toml`).
pub fn compile_groups(text: &str) -> Result<Vec<u8>, String> {
    Ok(groups_to_bytes(&groups::from_toml(text)?))
}

/// A ruleset in its compiled form.
pub fn to_bytes(ruleset: &Ruleset) -> Vec<u8> {
    postcard::to_allocvec(ruleset).expect("a ruleset serializes")
}

/// Groups in their compiled form.
pub fn groups_to_bytes(groups: &BTreeMap<String, Group>) -> Vec<u8> {
    postcard::to_allocvec(groups).expect("groups serialize")
}

/// Reads a compiled ruleset. The embedded ones are tested to read back to
/// what their TOML loads into.
pub fn read(bytes: &[u8]) -> Result<Ruleset, postcard::Error> {
    postcard::from_bytes(bytes)
}

/// Reads compiled groups.
pub fn read_groups(bytes: &[u8]) -> Result<BTreeMap<String, Group>, postcard::Error> {
    postcard::from_bytes(bytes)
}
