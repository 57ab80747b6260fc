//! World regions for `[[target]] region`: hover shows a region's members,
//! completion offers the regions' names.
//!
//! TODO(regions): the table of world regions (`calls/countries/regions.toml`,
//! SPEC §6) is being written and its loader does not exist yet. When it
//! lands, make [`all`] return its regions, e.g. by calling the loader's
//! `crate::ruleset::regions::all()` and mapping each region to a [`Region`];
//! nothing else in the language server needs to change.

use crate::countries::Country;

/// A world region as the language server shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    /// The name to write (`"Mercosur"`).
    pub name: String,
    /// Other accepted spellings.
    pub aliases: Vec<String>,
    /// The member countries, sorted by code.
    pub members: Vec<Country>,
}

/// Every known region: none until the regions table is wired in (see the
/// TODO above).
pub fn all() -> Vec<Region> {
    Vec::new()
}

/// The region a value names (its name or an alias, ignoring case).
pub fn find(written: &str) -> Option<Region> {
    let written = written.trim();
    all().into_iter().find(|r| {
        r.name.eq_ignore_ascii_case(written)
            || r.aliases.iter().any(|a| a.eq_ignore_ascii_case(written))
    })
}
