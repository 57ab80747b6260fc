//! Country groups ("EU Member States", "COSME participating countries") with
//! the dates of joining and leaving, judged at a call's deadline.

use crate::countries::{Countries, Country};
use crate::finding::Basis;
use jiff::civil::Date;
use serde::Deserialize;
use std::collections::BTreeMap;

/// The embedded groups every ruleset can refer to, in their compiled form
/// (postcard, see [`super::compiled`]); their source is
/// `calls/countries/groups.toml`.
pub const EMBEDDED: &[u8] = include_bytes!("../../calls/compiled/groups.bin");

/// Whether a country belongs to a group on a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Membership<'a> {
    No,
    /// A member by a period marked inferred; the text says why.
    Inferred(&'a str),
    Yes,
}

impl Membership<'_> {
    pub fn is_member(&self) -> bool {
        !matches!(self, Membership::No)
    }
}

/// One period of membership. The note is shared by every country of the
/// entry it was written in (and by the groups that include it).
#[derive(Debug, Clone, PartialEq)]
struct Period {
    from: Option<Date>,
    until: Option<Date>,
    basis: Basis,
    note: std::sync::Arc<str>,
}

/// Each member's periods. The keys are country codes from the data files,
/// never from a checked file, so a fast hash without flooding resistance is
/// safe here.
type Members = rustc_hash::FxHashMap<Country, Vec<Period>>;

/// One named group, with the periods of every member (included groups
/// flattened in at load time, so a lookup is one hash probe).
#[derive(Debug, Clone, PartialEq, serde::Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    pub name: String,
    pub source: String,
    /// Shared: every ruleset holds the embedded groups, without copying them.
    #[serde(with = "members")]
    members: std::sync::Arc<Members>,
}

/// Members are written sorted by code, so that a compiled file is the same
/// from one run to the next, and each distinct note once: a note is shared
/// by every country of its entry and by the groups that include it, and
/// decoding a copy per country was most of reading the groups.
mod members {
    use super::{Basis, Country, Date, Period};
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use std::collections::BTreeMap;
    use std::sync::Arc;

    /// A period as compiled: its country's two letters, its dates as year,
    /// month and day, and its note by its index in the notes; one flat list
    /// sorted by country. Read from text, a code and two dates per period
    /// were most of reading the groups (an allocation and a lookup for the
    /// code, a parse for each date).
    type Compiled = ([u8; 2], Option<Day>, Option<Day>, Basis, u32);
    type Day = (i16, i8, i8);

    fn day(date: &Date) -> Day {
        (date.year(), date.month(), date.day())
    }

    pub fn serialize<S: Serializer>(
        members: &Arc<super::Members>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        // Numbered in the order of the sorted members, so that the bytes are
        // the same from one run to the next.
        let by_code: BTreeMap<&Country, &Vec<Period>> = members.iter().collect();
        let mut notes: Vec<&str> = Vec::new();
        let mut numbers: std::collections::HashMap<&str, u32> = Default::default();
        let mut periods: Vec<Compiled> = Vec::new();
        for (country, list) in by_code {
            for p in list {
                let note = *numbers.entry(&p.note).or_insert_with(|| {
                    notes.push(&p.note);
                    u32::try_from(notes.len() - 1).expect("fewer than 2^32 notes")
                });
                let code = country.code().as_bytes();
                let (from, until) = (p.from.as_ref().map(day), p.until.as_ref().map(day));
                periods.push(([code[0], code[1]], from, until, p.basis, note));
            }
        }
        (notes, periods).serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Arc<super::Members>, D::Error> {
        use serde::de::Error;
        let (notes, periods): (Vec<String>, Vec<Compiled>) =
            Deserialize::deserialize(deserializer)?;
        let notes: Vec<Arc<str>> = notes.into_iter().map(Arc::from).collect();
        let mut members = super::Members::default();
        members.reserve(periods.len());
        let date = |day: Option<Day>| {
            day.map(|(y, m, d)| Date::new(y, m, d).map_err(D::Error::custom))
                .transpose()
        };
        let countries = crate::countries::Countries::get();
        for (code, from, until, basis, note) in periods {
            let country = std::str::from_utf8(&code)
                .ok()
                .and_then(|code| countries.code(code))
                .ok_or_else(|| D::Error::custom("a period's country is not a country code"))?;
            let (from, until) = (date(from)?, date(until)?);
            let note = notes
                .get(note as usize)
                .ok_or_else(|| D::Error::custom("a period's note is not in the notes"))?;
            members.entry(country).or_default().push(Period {
                from,
                until,
                basis,
                note: note.clone(),
            });
        }
        Ok(Arc::new(members))
    }
}

/// A ruleset's groups in its compiled form: only those that are not the
/// embedded ones; reading adds the embedded ones back (shared, not copied).
pub mod own {
    use super::{embedded, Group};
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use std::collections::BTreeMap;

    pub fn serialize<S: Serializer>(
        groups: &BTreeMap<String, Group>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        let base = embedded();
        let own: BTreeMap<&String, &Group> = groups
            .iter()
            .filter(|(id, group)| base.get(*id) != Some(group))
            .collect();
        own.serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<BTreeMap<String, Group>, D::Error> {
        let own = BTreeMap::<String, Group>::deserialize(deserializer)?;
        let mut all = embedded().clone();
        all.extend(own);
        Ok(all)
    }
}

impl Group {
    pub fn membership(&self, country: Country, on: Date) -> Membership<'_> {
        let mut best = Membership::No;
        for period in self.members.get(&country).into_iter().flatten() {
            let started = period.from.is_none_or(|from| from <= on);
            let not_ended = period.until.is_none_or(|until| on <= until);
            if started && not_ended {
                match period.basis {
                    Basis::Confirmed => return Membership::Yes,
                    _ => best = Membership::Inferred(&period.note),
                }
            }
        }
        best
    }

    /// The members on a date, sorted by code (for listings and docs).
    pub fn members_on(&self, on: Date) -> Vec<Country> {
        let mut out: Vec<Country> = self
            .members
            .keys()
            .copied()
            .filter(|c| self.membership(*c, on).is_member())
            .collect();
        out.sort();
        out
    }
}

/// A groups table as written in TOML (embedded file or a ruleset's `[groups]`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawGroup {
    pub(crate) name: String,
    pub(crate) source: String,
    #[serde(default)]
    pub(crate) include: Vec<String>,
    #[serde(default)]
    pub(crate) members: Vec<RawMembers>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawMembers {
    countries: Vec<String>,
    from: Option<toml::value::Datetime>,
    until: Option<toml::value::Datetime>,
    #[serde(default = "confirmed")]
    basis: Basis,
    source: String,
    note: Option<String>,
}

fn confirmed() -> Basis {
    Basis::Confirmed
}

/// Builds groups from their raw form; `base` holds groups already built
/// that `include` may name. Errors are plain sentences (the caller adds where).
pub fn build(
    raw: BTreeMap<String, RawGroup>,
    base: &BTreeMap<String, Group>,
) -> Result<BTreeMap<String, Group>, String> {
    let countries = Countries::get();
    let mut own: BTreeMap<String, (RawGroup, Members)> = BTreeMap::new();
    for (id, group) in raw {
        let mut members = Members::default();
        for entry in &group.members {
            let from = entry.from.as_ref().map(crate::ruleset::date).transpose()?;
            let until = entry.until.as_ref().map(crate::ruleset::date).transpose()?;
            let note: std::sync::Arc<str> = entry.note.as_deref().unwrap_or(&entry.source).into();
            for code in &entry.countries {
                let country = countries
                    .parse(code)
                    .map_err(|_| format!("group `{id}`: \"{code}\" is not a country code"))?;
                members.entry(country).or_default().push(Period {
                    from,
                    until,
                    basis: entry.basis,
                    note: note.clone(),
                });
            }
        }
        own.insert(id, (group, members));
    }
    // Resolve `include` (one level deep into already-built or sibling groups;
    // includes of includes are flattened by processing in dependency order).
    let mut done: BTreeMap<String, Group> = BTreeMap::new();
    let mut pending: Vec<String> = own.keys().cloned().collect();
    while !pending.is_empty() {
        let before = pending.len();
        pending.retain(|id| {
            let (raw, _) = &own[id];
            let ready = raw.include.iter().all(|inc| {
                done.contains_key(inc) || (!own.contains_key(inc) && base.contains_key(inc))
            });
            if !ready {
                return true;
            }
            let (raw, members) = own.get(id).expect("pending ids are in `own`");
            let mut members = members.clone();
            for inc in &raw.include {
                let included = done
                    .get(inc)
                    .or_else(|| base.get(inc))
                    .expect("checked above");
                for (country, periods) in included.members.iter() {
                    members
                        .entry(*country)
                        .or_default()
                        .extend(periods.iter().cloned());
                }
            }
            done.insert(
                id.clone(),
                Group {
                    name: raw.name.clone(),
                    source: raw.source.clone(),
                    members: std::sync::Arc::new(members),
                },
            );
            false
        });
        if pending.len() == before {
            let id = &pending[0];
            let missing: Vec<&String> = own[id]
                .0
                .include
                .iter()
                .filter(|inc| !done.contains_key(*inc) && !base.contains_key(*inc))
                .collect();
            return Err(format!(
                "group `{id}` includes {}, which is not a known group (or the includes form a cycle)",
                missing.first().map(|s| format!("`{s}`")).unwrap_or_else(|| "itself".into())
            ));
        }
    }
    Ok(done)
}

/// The embedded groups, read on first use from their compiled form.
pub fn embedded() -> &'static BTreeMap<String, Group> {
    use std::sync::OnceLock;
    static GROUPS: OnceLock<BTreeMap<String, Group>> = OnceLock::new();
    GROUPS.get_or_init(|| {
        super::compiled::read_groups(EMBEDDED).expect("calls/compiled/groups.bin is valid (tested)")
    })
}

/// Groups from a groups file as written (`calls/countries/groups.toml`):
/// what the compiled form is made from.
pub fn from_toml(text: &str) -> Result<BTreeMap<String, Group>, String> {
    let raw: BTreeMap<String, RawGroup> = toml::from_str(text).map_err(|e| e.to_string())?;
    build(raw, &BTreeMap::new())
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn member(group: &str, code: &str, on: Date) -> Membership<'static> {
        let country = Countries::get().parse(code).unwrap();
        embedded()[group].membership(country, on)
    }

    #[test]
    fn the_uk_is_a_member_state_until_brexit_then_inferred_in_the_transition() {
        assert_eq!(member("eu", "GB", date(2017, 12, 13)), Membership::Yes);
        assert!(matches!(
            member("eu", "UK", date(2020, 12, 2)),
            Membership::Inferred(_)
        ));
        assert_eq!(member("eu", "GB", date(2021, 1, 1)), Membership::No);
    }

    #[test]
    fn the_compiled_form_keeps_each_note_once_and_reads_back_the_same() {
        let groups = embedded();
        let bytes = postcard::to_allocvec(groups).unwrap();
        let back: BTreeMap<String, Group> = postcard::from_bytes(&bytes).unwrap();
        assert_eq!(&back, groups);
        // The EU's 27 founding-to-2013 members share a handful of notes:
        // each is written once, not once per country.
        let eu = postcard::to_allocvec(&groups["eu"]).unwrap();
        let treaty = b"2003 Treaty of accession";
        let times = eu.windows(treaty.len()).filter(|w| w == treaty).count();
        assert_eq!(times, 1);
    }

    #[test]
    fn a_note_out_of_range_is_an_error_not_a_panic() {
        let fr = Countries::get().parse("FR").unwrap();
        let compiled = (
            vec!["a note".to_string()],
            vec![(fr, None::<Date>, None::<Date>, Basis::Confirmed, 5u32)],
        );
        let bytes = postcard::to_allocvec(&compiled).unwrap();
        let mut de = postcard::Deserializer::from_bytes(&bytes);
        assert!(members::deserialize(&mut de).is_err());
    }

    #[test]
    fn croatia_joined_in_2013() {
        assert_eq!(member("eu", "HR", date(2013, 6, 30)), Membership::No);
        assert_eq!(member("eu", "HR", date(2013, 7, 1)), Membership::Yes);
    }

    #[test]
    fn cosme_includes_the_eu_and_dates_its_associated_countries() {
        assert_eq!(member("cosme", "FR", date(2015, 3, 31)), Membership::Yes);
        // Kosovo: not a participant for the 2014 and 2016 calls.
        assert_eq!(member("cosme", "XK", date(2015, 3, 31)), Membership::No);
        assert_eq!(member("cosme", "XK", date(2017, 5, 23)), Membership::No);
        assert_eq!(member("cosme", "XK", date(2020, 12, 2)), Membership::Yes);
        // Serbia: in force 1 January 2016.
        assert_eq!(member("cosme", "RS", date(2015, 3, 31)), Membership::No);
        assert_eq!(member("cosme", "RS", date(2020, 12, 2)), Membership::Yes);
        // Albania: signature date only, so inferred until the 2018 list.
        assert!(matches!(
            member("cosme", "AL", date(2017, 5, 23)),
            Membership::Inferred(_)
        ));
        // Never participants.
        assert_eq!(member("cosme", "CH", date(2020, 12, 2)), Membership::No);
        assert_eq!(member("cosme", "NO", date(2020, 12, 2)), Membership::No);
    }

    #[test]
    fn an_unknown_include_is_an_error() {
        let raw: BTreeMap<String, RawGroup> =
            toml::from_str("[x]\nname = \"X\"\nsource = \"s\"\ninclude = [\"nope\"]\n").unwrap();
        let err = build(raw, embedded()).unwrap_err();
        assert!(err.contains("`nope`"), "{err}");
    }
}
