//! World regions for `[[target]] region`: hover shows a region's members,
//! completion offers the regions' names.
//!
//! The regions come from the same table the checks use
//! ([`crate::ruleset::regions`]).

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

/// Every known region, from the regions table (`calls/countries/regions.toml`),
/// with its members today (hover names the call's deadline where it matters).
pub fn all() -> Vec<Region> {
    crate::ruleset::regions::Regions::get()
        .all()
        .into_iter()
        .map(shown)
        .collect()
}

/// The region a value names (its name or an alias), as the checks match it.
pub fn find(written: &str) -> Option<Region> {
    crate::ruleset::regions::Regions::get()
        .find(written)
        .map(shown)
}

fn shown(r: &crate::ruleset::regions::Region) -> Region {
    Region {
        name: r.name.clone(),
        aliases: r.aliases.clone(),
        members: r.members.members_on(jiff::Zoned::now().date()),
    }
}
