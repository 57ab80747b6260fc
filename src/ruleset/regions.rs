//! World regions that a consortium names as target markets
//! (`[[target]] region = "Mercosur"`), with their member countries and the
//! dates members joined or left: data in `calls/countries/regions.toml`,
//! beside the country groups, and read only by a check that meets a region.
//!
//! A region is a country group with the names applicants give it; it is
//! judged at the call's deadline like a country (see `target-third-country`).

use super::groups::{self, Group, RawGroup, RawMembers};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, OnceLock};
use unicode_normalization::UnicodeNormalization;

/// The regions in their compiled form (see [`super::compiled`]), as JSON
/// lines: every region's names; the lookup keys (the names folded as
/// [`Regions::find`] compares them) with the region they name; where each
/// region's line starts, counted from the fourth line; then one region per
/// line. A check that meets `region = "Mercosur"` reads the three short
/// lines and decodes Mercosur alone: no name is folded and no other
/// region's members are read.
pub const EMBEDDED: &[u8] = include_bytes!("../../calls/compiled/regions.bin");

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

/// The regions table, with a lookup by any of a region's names. Each
/// region is decoded the first time it is asked for.
#[derive(Debug)]
pub struct Regions {
    /// Every name folded for lookup ([`fold`]), with the region it names,
    /// sorted by key. Borrowed from the compiled table where possible: a
    /// check that meets one region allocates nothing for the others.
    keys: Vec<(Cow<'static, str>, usize)>,
    /// Every region's names (its name first, then its aliases): decoded
    /// only for suggestions and listings.
    names: OnceLock<Vec<Vec<String>>>,
    names_blob: &'static [u8],
    /// Each region in its compiled form, where it is not decoded yet.
    blobs: Vec<&'static [u8]>,
    decoded: Vec<OnceLock<Region>>,
    /// Every name as [`Regions::closest`] compares it, made on first use.
    candidates: OnceLock<Vec<Candidate>>,
    /// What [`Regions::closest`] found for each value it was asked (bounded).
    searched: Mutex<HashMap<String, Option<usize>>>,
}

/// A region's name, for the search of the one closest to a typo.
#[derive(Debug)]
struct Candidate {
    name: String,
    region: usize,
    chars: usize,
    digits: String,
    letters: Letters,
}

/// The characters of a name in lower case (as [`crate::text::closest`]
/// compares names), counted: the letters a to z, the digits, the space,
/// and all others together; and how many there are.
#[derive(Debug, Clone, Copy)]
struct Letters {
    counts: [u16; 38],
    len: usize,
}

impl Letters {
    fn of(name: &str) -> Letters {
        let mut counts = [0u16; 38];
        let mut len = 0;
        for c in name.chars().flat_map(char::to_lowercase) {
            let bin = match c {
                'a'..='z' => c as usize - 'a' as usize,
                '0'..='9' => 26 + (c as usize - '0' as usize),
                ' ' => 36,
                _ => 37,
            };
            counts[bin] = counts[bin].saturating_add(1);
            len += 1;
        }
        Letters { counts, len }
    }

    /// Whether the two names may be similar enough for a suggestion. The
    /// Jaro-Winkler similarity is at least 0.8 only if the Jaro similarity
    /// `(m/|a| + m/|b| + (m-t)/m) / 3` is above 0.7, so only if the matching
    /// characters `m` make `m/|a| + m/|b|` above 1.1; `m` is at most the
    /// characters the two have in common. An upper bound: no match is lost.
    fn may_match(&self, other: &Letters) -> bool {
        let common: usize = (0..38)
            .map(|i| self.counts[i].min(other.counts[i]) as usize)
            .sum();
        let (a, b) = (self.len, other.len);
        a > 0 && b > 0 && 10 * common * (a + b) > 11 * a * b
    }
}

/// The most distinct values [`Regions::closest`] remembers: a file of hostile
/// values cannot grow it without end.
const SEARCHED_MAX: usize = 10_000;

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
            Regions::compiled(EMBEDDED).expect("calls/compiled/regions.bin is valid (tested)")
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

    /// The table from its compiled form (see [`EMBEDDED`]): the lookup
    /// keys borrowed from it, every region left encoded until asked for.
    fn compiled(bytes: &'static [u8]) -> Result<Regions, String> {
        let table: Compiled<'static> = postcard::from_bytes(bytes).map_err(|e| e.to_string())?;
        let sorted = table.keys.windows(2).all(|w| w[0].0 < w[1].0);
        if !sorted
            || table
                .keys
                .iter()
                .any(|&(_, i)| i as usize >= table.regions.len())
        {
            return Err("the index does not match the regions".into());
        }
        Ok(Regions {
            keys: table
                .keys
                .into_iter()
                .map(|(k, i)| (Cow::Borrowed(k), i as usize))
                .collect(),
            names: OnceLock::new(),
            names_blob: table.names,
            decoded: table.regions.iter().map(|_| OnceLock::new()).collect(),
            blobs: table.regions,
            candidates: OnceLock::new(),
            searched: Mutex::default(),
        })
    }

    /// Indexes `regions` by every name; two regions may not share a name.
    pub fn new(regions: Vec<Region>) -> Result<Regions, String> {
        let (names, keys) = index(&regions)?;
        let keys = keys.into_iter().map(|(k, i)| (Cow::Owned(k), i)).collect();
        Ok(Regions {
            keys,
            names: OnceLock::from(names),
            names_blob: &[],
            blobs: Vec::new(),
            decoded: regions.into_iter().map(OnceLock::from).collect(),
            candidates: OnceLock::new(),
            searched: Mutex::default(),
        })
    }

    fn names_of_all(&self) -> &[Vec<String>] {
        self.names.get_or_init(|| {
            postcard::from_bytes(self.names_blob)
                .expect("calls/compiled/regions.bin is valid (tested)")
        })
    }

    /// Region `i`, decoded on first use.
    fn region(&self, i: usize) -> &Region {
        self.decoded[i].get_or_init(|| {
            postcard::from_bytes(self.blobs[i])
                .expect("calls/compiled/regions.bin is valid (tested)")
        })
    }

    /// The region a target names, by any of its names (case, accents,
    /// spaces, dots and dashes ignored, and a leading "the").
    pub fn find(&self, written: &str) -> Option<&Region> {
        if written.len() > 200 {
            return None;
        }
        let key = fold(written);
        let at = self
            .keys
            .binary_search_by(|(k, _)| k.as_ref().cmp(key.as_str()))
            .ok()?;
        Some(self.region(self.keys[at].1))
    }

    /// The known region whose name is closest to `written`, for a typo.
    ///
    /// Bounded, as the search for a country's name is
    /// ([`crate::countries::Countries::by_name`]): only names whose length
    /// is within a fifth of the value's are compared (a typo changes a few
    /// letters, not the length: a value much longer than every name is
    /// compared with none), and only names with the same digits ("G21" is
    /// no typo of "G20"); each distinct value is searched once per process.
    /// A file of thousands of unknown regions costs a few comparisons each.
    pub fn closest(&self, written: &str) -> Option<&Region> {
        let written = written.trim();
        let key = written.to_lowercase();
        let searched = || self.searched.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(found) = searched().get(&key) {
            return found.map(|i| self.region(i));
        }
        let chars = written.chars().count();
        let digits = digits(written);
        let letters = Letters::of(written);
        let near = self.candidates().iter().filter(|c| {
            c.chars.abs_diff(chars) * 5 <= c.chars.max(chars)
                && c.digits == digits
                && c.letters.may_match(&letters)
        });
        let names: Vec<&Candidate> = near.collect();
        let found = crate::text::closest(written, names.iter().map(|c| c.name.as_str()))
            .and_then(|best| names.iter().find(|c| c.name == best))
            .map(|c| c.region);
        let mut cache = searched();
        if cache.len() < SEARCHED_MAX {
            cache.insert(key, found);
        }
        found.map(|i| self.region(i))
    }

    fn candidates(&self) -> &[Candidate] {
        self.candidates.get_or_init(|| {
            let mut out = Vec::new();
            for (region, names) in self.names_of_all().iter().enumerate() {
                for name in names {
                    out.push(Candidate {
                        name: name.clone(),
                        region,
                        chars: name.chars().count(),
                        digits: digits(name),
                        letters: Letters::of(name),
                    });
                }
            }
            out
        })
    }

    /// The names of every region (its name, then its aliases), in order,
    /// without decoding any member list.
    pub fn names(&self) -> impl Iterator<Item = &[String]> {
        self.names_of_all().iter().map(Vec::as_slice)
    }

    /// Every region, decoded (for listings).
    pub fn all(&self) -> Vec<&Region> {
        (0..self.decoded.len()).map(|i| self.region(i)).collect()
    }
}

/// Lookup keys with the region each names (see [`keys`]).
type Keys = Vec<(String, usize)>;

/// Every region's names (its name, then its aliases) and the lookup keys
/// of [`keys`].
fn index(regions: &[Region]) -> Result<(Vec<Vec<String>>, Keys), String> {
    let names: Vec<Vec<String>> = regions
        .iter()
        .map(|r| {
            std::iter::once(&r.name)
                .chain(&r.aliases)
                .cloned()
                .collect()
        })
        .collect();
    let ids: Vec<&str> = regions.iter().map(|r| r.id.as_str()).collect();
    let keys = keys(&names, &ids)?;
    Ok((names, keys))
}

/// Every name's lookup key with the region it names, sorted by key; two
/// regions may not share a key.
fn keys(names: &[Vec<String>], ids: &[&str]) -> Result<Keys, String> {
    let mut keys: Vec<(String, usize)> = names
        .iter()
        .enumerate()
        .flat_map(|(i, spellings)| spellings.iter().map(move |n| (fold(n), i)))
        .collect();
    keys.sort();
    keys.dedup();
    for w in keys.windows(2) {
        if w[0].0 == w[1].0 {
            let spelt = |i: usize| {
                names[i]
                    .iter()
                    .find(|n| fold(n) == w[0].0)
                    .cloned()
                    .unwrap_or_default()
            };
            return Err(format!(
                "the name \"{}\" is given to both `{}` and `{}`",
                spelt(w[1].1),
                ids[w[0].1],
                ids[w[1].1]
            ));
        }
    }
    Ok(keys)
}

/// The digits of a name, in order ("EU-27" -> "27").
fn digits(name: &str) -> String {
    name.chars().filter(char::is_ascii_digit).collect()
}

/// How region names are compared.
fn fold(name: &str) -> String {
    let lower: String = if name.is_ascii() {
        // The same result without Unicode decomposition (run per target).
        name.chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect()
    } else {
        name.nfkd()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    match lower.strip_prefix("the") {
        Some(rest) if name.trim().to_lowercase().starts_with("the ") => rest.to_string(),
        _ => lower,
    }
}

/// The compiled form of the regions table (see [`EMBEDDED`]).
pub fn to_bytes(regions: &[Region]) -> Vec<u8> {
    let (names, keys) =
        index(regions).expect("the regions have distinct names (checked when built)");
    let names = postcard::to_allocvec(&names).expect("names serialize");
    let blobs: Vec<Vec<u8>> = regions
        .iter()
        .map(|r| postcard::to_allocvec(r).expect("regions serialize"))
        .collect();
    let table = Compiled {
        names: &names,
        keys: keys.iter().map(|(k, i)| (k.as_str(), *i as u32)).collect(),
        regions: blobs.iter().map(Vec::as_slice).collect(),
    };
    postcard::to_allocvec(&table).expect("the table serializes")
}

/// The compiled table as stored: every region's names (one encoded blob),
/// the lookup keys, and each region encoded on its own.
#[derive(serde::Serialize, Deserialize)]
struct Compiled<'a> {
    #[serde(borrow)]
    names: &'a [u8],
    #[serde(borrow)]
    keys: Vec<(&'a str, u32)>,
    #[serde(borrow)]
    regions: Vec<&'a [u8]>,
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
    fn the_compiled_form_finds_what_the_source_finds() {
        let source = Regions::from_toml(TABLE).unwrap();
        let bytes: &'static [u8] = Box::leak(to_bytes(&source).into_boxed_slice());
        let compiled = Regions::compiled(bytes).unwrap();
        assert!(compiled.all().into_iter().eq(&source));
        for region in &source {
            for name in std::iter::once(&region.name).chain(&region.aliases) {
                assert_eq!(compiled.find(name).unwrap().id, region.id, "{name}");
            }
        }
        assert_eq!(compiled.find("the Gulf States").unwrap().id, "gcc");
        assert!(compiled.find("Far East").is_none());
        // A damaged index is an error, not a wrong answer.
        assert!(Regions::compiled(&bytes[..bytes.len() - 10]).is_err());
    }

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
    fn only_names_a_typo_away_are_suggested() {
        let regions = Regions::get();
        let closest = |w: &str| regions.closest(w).map(|r| r.name.as_str());
        assert_eq!(closest("Mercosor"), Some("Mercosur"));
        assert_eq!(
            closest("Gulf Cooperation Counsil"),
            Some("Gulf Cooperation Council")
        );
        // Another number is another group, not a typo.
        assert_eq!(closest("G21"), None);
        assert_eq!(closest("EU29"), None);
        // Far longer than the name it begins like.
        assert_eq!(
            closest("association of southern european and pacific island federations"),
            None
        );
        // Asked again: the same answer, from the cache.
        assert_eq!(closest("Mercosor"), Some("Mercosur"));
    }

    #[test]
    fn the_bound_on_common_letters_never_drops_a_suggestion() {
        // Every pair of region names the similarity would match passes the
        // bound, and the typos below too.
        let names: Vec<&String> = Regions::get().names().flatten().collect();
        let typos = [
            "Mercosor",
            "Asian",
            "Gulf Cooperation Counsil",
            "Eastren Europe",
            "G 20",
        ];
        for a in names.iter().map(|n| n.as_str()).chain(typos) {
            for b in &names {
                let similar = strsim::jaro_winkler(&a.to_lowercase(), &b.to_lowercase()) >= 0.8;
                assert!(
                    !similar || Letters::of(a).may_match(&Letters::of(b)),
                    "{a} / {b}"
                );
            }
        }
    }

    #[test]
    fn thousands_of_unknown_regions_are_searched_quickly() {
        let regions = Regions::get();
        let words = [
            "northern", "southern", "pacific", "island", "union", "league",
        ];
        let started = std::time::Instant::now();
        for i in 0..5000usize {
            // Long names, as a file of made-up regions has them: 8 to 12 words.
            let name: Vec<&str> = (0..(8 + i % 5))
                .map(|k| words[(i / 7 + k * 5 + i * k) % words.len()])
                .collect();
            regions.closest(&format!("{} {i:x}", name.join(" ")).replace(char::is_numeric, "x"));
        }
        let took = started.elapsed();
        assert!(took < std::time::Duration::from_secs(2), "{took:?}");
    }

    #[test]
    fn two_regions_may_not_share_a_name() {
        let clash = TABLE.replace("aliases = [\"EU\"]", "aliases = [\"GCC\"]");
        assert!(Regions::from_toml(&clash).unwrap_err().contains("GCC"));
    }
}
