//! The general rules of EU proposals (`calls/general/rules.toml`): one
//! coordinator, each organisation once. They hold for every call, so every
//! ruleset gets them, with their sources, whatever it says itself.

use super::{read_rule, read_sources, Problem, RawRule, RawSource};
use crate::rule_id::RuleId;
use crate::ruleset::{groups, RuleEntry, Source, Strand};
use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

/// The rules that `GENERAL` sets for every call (a test checks that it
/// sets exactly these).
pub const RULES: &[RuleId] = &[RuleId::Coordinator, RuleId::DuplicatePartner];

/// The general rules as written.
pub const GENERAL: &str = include_str!("../../../calls/general/rules.toml");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGeneral {
    #[serde(rename = "source")]
    sources: Vec<Spanned<RawSource>>,
    rules: BTreeMap<Spanned<String>, RawRule>,
}

/// Adds the general rules to a ruleset's `rules` (replacing the ruleset's
/// own setting of the same rule) and their sources to its `sources`.
pub(super) fn add(
    rules: &mut Vec<RuleEntry>,
    sources: &mut Vec<Source>,
    strands: &[Strand],
    groups: &BTreeMap<String, groups::Group>,
) -> Result<(), Problem> {
    // The file ships with escp and a test loads it: a problem here is a bug
    // of escp's, said as such rather than pinned on the user's ruleset.
    let broken = |message: String| {
        Problem::at(
            0..0,
            format!("escp's general rules (calls/general/rules.toml) cannot be read: {message}"),
        )
    };
    let raw: RawGeneral =
        toml::from_str(GENERAL).map_err(|e| broken(e.message().trim().to_string()))?;
    let own = read_sources(raw.sources).map_err(|p| broken(p.message))?;
    let known = |id: &str| own.iter().any(|s| s.id == id);
    for (key, table) in raw.rules {
        let rule = super::parse_rule_id(&key).map_err(|p| broken(p.message))?;
        if !RULES.contains(&rule) {
            return Err(broken(format!("`{rule}` is not among the general rules")));
        }
        let entry = read_rule(rule, table, strands, groups, &known, GENERAL)
            .map_err(|p| broken(p.message))?;
        rules.retain(|e| e.rule != rule);
        rules.push(entry);
    }
    for source in own {
        if !sources.iter().any(|s| s.id == source.id) {
            sources.push(source);
        }
    }
    Ok(())
}
