//! World regions that a consortium names as target markets
//! (`[[target]] region = "Mercosur"`), with their member countries and the
//! dates members joined or left: data in `calls/countries/regions.toml`,
//! beside the country groups, and read only by a check that meets a region.
//!
//! A region is a country group with the names applicants give it; it is
//! judged at the call's deadline like a country (see `target-third-country`).

use super::groups::{self, Group, RawGroup, RawMembers};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;
use unicode_normalization::UnicodeNormalization;

/// The regions in their compiled form (JSON, see [`super::compiled`]).
pub const EMBEDDED: &str = include_str!("../../calls/compiled/regions.json");

/// One world region.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Region {
    pub id: String,
    pub name: String,
    /// Other names and abbreviations ("GCC", "Mercosul").
    pub aliases: Vec<String>,
    /// The page that lists its members.
    pub source: String,
    pub url: String,
    /// Its members, with the periods of their membership.
    pub members: Group,
}

/// The regions table, with a lookup by any of a region's names.
#[derive(Debug)]
pub struct Regions {
    regions: Vec<Region>,
    by_name: HashMap<String, usize>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRegion {
    name: String,
    #[serde(default)]
    aliases: Vec<String>,
    source: String,
    url: String,
    #[serde(default)]
    include: Vec<String>,
    #[serde(default)]
    members: Vec<RawMembers>,
}

impl Regions {
    /// The embedded table, read on first use.
    pub fn get() -> &'static Regions {
        static REGIONS: OnceLock<Regions> = OnceLock::new();
        REGIONS.get_or_init(|| {
            let regions: Vec<Region> = serde_json::from_str(EMBEDDED)
                .expect("calls/compiled/regions.json is valid (tested)");
            Regions::new(regions).expect("the embedded regions have distinct names (tested)")
        })
    }

    /// The table from its TOML source (`calls/countries/regions.toml`),
    /// with the country groups it may include. Errors are sentences.
    pub fn from_toml(text: &str) -> Result<Vec<Region>, String> {
        let raw: BTreeMap<String, RawRegion> = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut as_groups = BTreeMap::new();
        let mut extra = BTreeMap::new();
        for (id, r) in raw {
            as_groups.insert(
                id.clone(),
                RawGroup {
                    name: r.name.clone(),
                    source: r.source.clone(),
                    include: r.include,
                    members: r.members,
                },
            );
            extra.insert(id, (r.name, r.aliases, r.source, r.url));
        }
        let built = groups::build(as_groups, groups::embedded())?;
        let regions: Vec<Region> = built
            .into_iter()
            .map(|(id, members)| {
                let (name, aliases, source, url) = extra.remove(&id).expect("built from `extra`");
                Region {
                    id,
                    name,
                    aliases,
                    source,
                    url,
                    members,
                }
            })
            .collect();
        Regions::new(regions.clone())?;
        Ok(regions)
    }

    /// Indexes `regions` by every name; two regions may not share a name.
    pub fn new(regions: Vec<Region>) -> Result<Regions, String> {
        let mut by_name = HashMap::new();
        for (i, region) in regions.iter().enumerate() {
            for name in std::iter::once(&region.name).chain(&region.aliases) {
                let key = fold(name);
                if let Some(&other) = by_name.get::<String>(&key) {
                    let other: usize = other;
                    if other != i {
                        return Err(format!(
                            "the name \"{name}\" is given to both `{}` and `{}`",
                            regions[other].id, region.id
                        ));
                    }
                }
                by_name.insert(key, i);
            }
        }
        Ok(Regions { regions, by_name })
    }

    /// The region a target names, by any of its names (case, accents,
    /// spaces, dots and dashes ignored, and a leading "the").
    pub fn find(&self, written: &str) -> Option<&Region> {
        if written.len() > 200 {
            return None;
        }
        self.by_name.get(&fold(written)).map(|&i| &self.regions[i])
    }

    /// The known region whose name is closest to `written`, for a typo.
    pub fn closest(&self, written: &str) -> Option<&Region> {
        let names = self.regions.iter().flat_map(|r| {
            std::iter::once(r.name.as_str()).chain(r.aliases.iter().map(String::as_str))
        });
        let best = crate::text::closest(written, names)?;
        self.find(best)
    }

    pub fn all(&self) -> &[Region] {
        &self.regions
    }
}

/// How region names are compared.
fn fold(name: &str) -> String {
    let lower: String = name
        .nfkd()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    match lower.strip_prefix("the") {
        Some(rest) if name.trim().to_lowercase().starts_with("the ") => rest.to_string(),
        _ => lower,
    }
}

/// The compiled form of the regions table.
pub fn to_json(regions: &[Region]) -> String {
    let mut json = serde_json::to_string_pretty(regions).expect("regions serialize");
    json.push('\n');
    json
}

#[cfg(test)]
mod tests {
    use super::*;

    const TABLE: &str = r#"
[gcc]
name = "Gulf Cooperation Council"
aliases = ["GCC", "Gulf states"]
source = "GCC: member states"
url = "https://example.org/gcc"
members = [{ countries = ["AE", "BH", "KW", "OM", "QA", "SA"], source = "GCC Charter" }]

[european-union]
name = "European Union"
aliases = ["EU"]
source = "EU"
url = "https://example.org/eu"
include = ["eu"]
"#;

    #[test]
    fn regions_are_found_by_any_name_and_include_country_groups() {
        let regions = Regions::new(Regions::from_toml(TABLE).unwrap()).unwrap();
        assert_eq!(regions.find("the Gulf States").unwrap().id, "gcc");
        assert_eq!(regions.find("g.c.c.").unwrap().id, "gcc");
        let eu = regions.find("EU").unwrap();
        let fr = crate::countries::Countries::get().parse("FR").unwrap();
        assert!(eu
            .members
            .membership(fr, jiff::civil::date(2020, 12, 2))
            .is_member());
        assert!(regions.find("Far East").is_none());
        assert_eq!(
            regions.closest("Gulf Cooperation Counsil").unwrap().id,
            "gcc"
        );
    }

    #[test]
    fn two_regions_may_not_share_a_name() {
        let clash = TABLE.replace("aliases = [\"EU\"]", "aliases = [\"GCC\"]");
        assert!(Regions::from_toml(&clash).unwrap_err().contains("GCC"));
    }
}
