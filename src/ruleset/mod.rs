//! Rulesets: the rules of one call, loaded from a data file in `calls/`.
//!
//! A ruleset holds every call-specific fact escp uses: title, deadline,
//! strands, the rules the call switches on with their parameters, severity
//! and citation, and any country groups of its own. The file format is
//! documented in `docs/rulesets.md`; [`load`] reads it, [`catalog`] finds the
//! one a consortium file names.

pub mod catalog;
pub mod compiled;
pub mod groups;
pub mod load;
pub mod params;
pub mod regions;

use crate::finding::{Basis, Severity};
use crate::rule_id::RuleId;
use groups::Group;
use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;
use jiff::Zoned;
use params::RuleParams;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub use catalog::{Catalog, CatalogError};
pub use load::RulesetError;

/// Where a ruleset was loaded from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Origin {
    #[default]
    Embedded,
    File(std::path::PathBuf),
}

/// One call's rules. Serialized, it is the compiled form of an embedded
/// ruleset ([`compiled`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ruleset {
    pub id: String,
    pub aliases: Vec<String>,
    pub title: String,
    pub programme: Option<String>,
    pub summary: Option<String>,
    pub budget_eur: Option<f64>,
    pub deadline: Deadline,
    pub strands: Vec<Strand>,
    /// The public pages the rules cite.
    pub sources: Vec<Source>,
    /// Groups the rules may name: the embedded ones plus the ruleset's own
    /// (only its own are written in the compiled form).
    #[serde(with = "groups::own")]
    pub groups: BTreeMap<String, Group>,
    /// The rules switched on, in the canonical order of [`RuleId`].
    pub rules: Vec<RuleEntry>,
    #[serde(skip)]
    pub origin: Origin,
    /// Each strand's id and title as [`strand_key`] reads them, made on
    /// first use: every file checked against the call names a strand.
    #[serde(skip)]
    strand_keys: Made<Vec<(String, String)>>,
}

/// The submission deadline: a date, a time of day (where a source gives
/// it) and the IANA time zone of the call ("Europe/Brussels").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deadline {
    pub date: Date,
    pub time: Option<Time>,
    pub zone: String,
    pub basis: Basis,
    pub sources: Vec<String>,
    pub quote: Option<String>,
    pub note: Option<String>,
    /// [`Deadline::when`], made once per ruleset: every file checked
    /// against the call shows it twice (a 1,000-file run made it 2,000
    /// times, 2% of its instructions).
    #[serde(skip)]
    words: Made<String>,
}

/// Something derived from the rest of its ruleset, made on first use. Not
/// part of what the ruleset says: two rulesets are equal whatever they
/// have made so far.
#[derive(Debug, Clone)]
struct Made<T>(std::sync::OnceLock<T>);

impl<T> Default for Made<T> {
    fn default() -> Made<T> {
        Made(std::sync::OnceLock::new())
    }
}

impl<T> PartialEq for Made<T> {
    fn eq(&self, _: &Made<T>) -> bool {
        true
    }
}

impl Deadline {
    /// The deadline's time zone (checked at load time).
    pub fn tz(&self) -> TimeZone {
        crate::clock::zone(&self.zone).unwrap_or(TimeZone::UTC)
    }

    /// The instant the call closes: the time given, or the end of the day
    /// when no source gives the hour.
    pub fn instant(&self) -> Zoned {
        let tz = self.tz();
        let at = match self.time {
            Some(time) => self.date.to_datetime(time).to_zoned(tz.clone()),
            None => self
                .date
                .tomorrow()
                .unwrap_or(self.date)
                .to_zoned(tz.clone()),
        };
        at.unwrap_or_else(|_| jiff::Timestamp::UNIX_EPOCH.to_zoned(tz))
    }

    /// "2 December 2020, 17:00 Brussels time (CET)", or "23 May 2017 (hour
    /// not stated)".
    pub fn when(&self) -> String {
        self.words.0.get_or_init(|| self.words()).clone()
    }

    fn words(&self) -> String {
        let day = self.date.strftime("%-d %B %Y").to_string();
        match self.time {
            None => format!("{day} (hour not stated)"),
            Some(time) => {
                let at = self.instant();
                let city = self
                    .zone
                    .rsplit('/')
                    .next()
                    .unwrap_or(&self.zone)
                    .replace('_', " ");
                let abbreviation = self
                    .tz()
                    .to_offset_info(at.timestamp())
                    .abbreviation()
                    .to_string();
                let abbreviation =
                    if abbreviation.is_empty() || abbreviation.starts_with(['+', '-']) {
                        String::new()
                    } else {
                        format!(" ({abbreviation})")
                    };
                format!(
                    "{day}, {} {city} time{abbreviation}",
                    time.strftime("%H:%M")
                )
            }
        }
    }
}

/// A strand (a "topic" or "section" of the call) with its own parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Strand {
    pub id: String,
    pub title: String,
    pub budget_eur: Option<f64>,
    pub projects: Option<u32>,
    /// A remark shown with the strand (e.g. where sources disagree).
    pub note: Option<String>,
}

/// A public page a ruleset cites.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub id: String,
    pub title: String,
    pub publisher: String,
    /// When it was published, as precisely as known ("2020-10", "2017").
    pub date: Option<String>,
    /// The page's language (ISO 639-1: "en", "it").
    pub language: String,
    /// Its address, where one is known.
    pub url: Option<String>,
    /// What to cite where no address is known ("Clust-ER news, October 2020").
    pub cite: Option<String>,
}

impl Source {
    /// "ECCP: '€7.5m Clusters Go International call launched' (2020)".
    pub fn short(&self) -> String {
        match &self.date {
            Some(date) => format!("{}: \"{}\" ({date})", self.publisher, self.title),
            None => format!("{}: \"{}\"", self.publisher, self.title),
        }
    }

    /// The address, or what to cite instead.
    pub fn address(&self) -> String {
        self.url
            .clone()
            .or_else(|| self.cite.clone())
            .unwrap_or_else(|| self.short())
    }
}

/// How one rule is set for one strand (or for the whole call).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSetting {
    pub severity: Severity,
    pub basis: Basis,
    /// The ids of the sources that state the parameter.
    pub sources: Vec<String>,
    /// The short quote that states it.
    pub quote: Option<String>,
    /// For an inferred parameter: what it is deduced from.
    pub inferred_from: Option<String>,
    pub note: Option<String>,
    pub params: RuleParams,
    /// For a contested parameter: the other reading of the sources.
    pub other: Option<Box<Reading>>,
    /// For an inferred parameter: the most lenient reading that no
    /// plausible interpretation of the call goes below.
    pub lenient: Option<Box<Lenient>>,
}

/// The most lenient reading of an inferred parameter, and why no plausible
/// reading of the call is more lenient ("a trans-European partnership has
/// partners in at least two countries").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lenient {
    /// Its parameters; `None` where no requirement is known at all (the rule
    /// then only ever warns).
    pub params: Option<RuleParams>,
    pub why: String,
}

/// A reading of a rule's sources other than the one it uses, as the
/// pipeline judges a consortium under it.
#[derive(Debug, Clone, Copy)]
pub enum Alternative<'a> {
    /// The other reading of contested sources.
    Other(&'a Reading),
    /// The most lenient reading of an inferred parameter.
    Lenient(&'a RuleParams, &'a str),
}

impl<'a> Alternative<'a> {
    pub fn params(&self) -> &'a RuleParams {
        match self {
            Alternative::Other(reading) => &reading.params,
            Alternative::Lenient(params, _) => params,
        }
    }
}

/// A reading of the sources that differs from the one a rule uses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reading {
    pub params: RuleParams,
    pub sources: Vec<String>,
    pub quote: Option<String>,
}

/// A citation as findings show it: a sentence and the addresses.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Cite {
    pub text: String,
    pub urls: Vec<String>,
}

impl RuleSetting {
    /// The readings the consortium is judged under besides `params`: the
    /// other reading of contested sources, or the most lenient reading of an
    /// inferred parameter (where it differs from the one used).
    pub fn alternatives(&self) -> Vec<Alternative<'_>> {
        let mut out = Vec::new();
        if let Some(other) = &self.other {
            out.push(Alternative::Other(other));
        }
        if let Some(lenient) = &self.lenient {
            if let Some(params) = lenient.params.as_ref().filter(|p| **p != self.params) {
                out.push(Alternative::Lenient(params, &lenient.why));
            }
        }
        out
    }

    /// Whether no requirement is known at all under the most lenient
    /// reading: the rule's findings are then warnings only.
    pub fn warn_only(&self) -> bool {
        self.lenient.as_ref().is_some_and(|l| l.params.is_none())
    }

    /// The most lenient reading in words, for citations, `explain` and
    /// `calls`: "at least 2 countries (a trans-European partnership ...)",
    /// or "no requirement known (...)".
    pub fn lenient_words(&self, call: &Ruleset) -> Option<String> {
        let lenient = self.lenient.as_deref()?;
        Some(match &lenient.params {
            None => format!("no requirement known ({})", lenient.why),
            Some(p) if *p == self.params => format!("the same ({})", lenient.why),
            Some(p) => format!("{} ({})", p.describe(call), lenient.why),
        })
    }

    /// How a failure of the rule is judged, in words, for `explain` and
    /// `calls`: "an error", "an error where both readings fail (at most EUR
    /// 550,000 or at most EUR 450,000), else a warning", ...
    pub fn judged(&self, call: &Ruleset) -> String {
        if self.severity == Severity::Warning {
            return "a warning (advice, not an eligibility condition)".into();
        }
        let used = self.params.describe(call);
        match (self.basis, &self.other, self.lenient.as_deref()) {
            (Basis::Contested, Some(other), _) => format!(
                "an error where both readings of the sources fail ({used}; {}), a warning where one does",
                other.params.describe(call)
            ),
            (Basis::Inferred, _, Some(lenient)) => match &lenient.params {
                None => format!(
                    "a warning only: no requirement is known for certain ({})",
                    lenient.why
                ),
                Some(p) if *p == self.params => {
                    format!("an error: every reading asks the same ({})", lenient.why)
                }
                Some(p) => format!(
                    "an error where even the most lenient reading fails ({}: {}), a warning where only the inferred value ({used}) does",
                    p.describe(call),
                    lenient.why
                ),
            },
            _ => "an error".into(),
        }
    }

    /// The basis and what a failure is, in a few words, for the requirements
    /// listed at the top of an `init` template: "confirmed", "inferred: a
    /// warning only", ...
    pub fn basis_words(&self) -> &'static str {
        if self.severity == Severity::Warning {
            return "advice: a warning";
        }
        match (self.basis, self.lenient.as_deref().map(|l| &l.params)) {
            (Basis::Confirmed, _) => "confirmed",
            (Basis::Contested, _) => "contested: an error where every reading fails",
            (_, Some(None)) => "inferred: a warning only",
            (_, Some(Some(p))) if *p == self.params => "inferred: every reading agrees",
            _ => "inferred: an error below its most lenient reading, else a warning",
        }
    }

    /// The ids of the sources the parameter cites: for the `deadline`
    /// rule, those of the call's deadline ([`Ruleset::deadline_sources`]).
    pub fn cited_sources(&self, call: &Ruleset) -> Vec<String> {
        match self.params {
            RuleParams::Deadline(_) => call.deadline_sources(),
            _ => self.sources.clone(),
        }
    }

    /// The citation of the parameter, in `call`'s sources.
    pub fn citation(&self, call: &Ruleset) -> Cite {
        let (stated, mut urls) = match self.params {
            // The deadline rule's parameter is the call's deadline: it
            // cites what states the deadline, as `escp calls` does.
            RuleParams::Deadline(_) => call.deadline_cite(),
            _ => call.cite(&self.sources, self.quote.as_deref()),
        };
        let text = match self.basis {
            Basis::Confirmed => format!("{stated} (confirmed)"),
            Basis::Inferred => format!(
                "inferred from {}{}",
                self.inferred_from
                    .as_deref()
                    .unwrap_or("the call's other rules"),
                if stated.is_empty() {
                    String::new()
                } else {
                    format!("; {stated}")
                }
            ),
            Basis::Contested => {
                let other = self.other.as_deref();
                let (other_text, other_urls) = other
                    .map(|o| call.cite(&o.sources, o.quote.as_deref()))
                    .unwrap_or_default();
                urls.extend(
                    other_urls
                        .into_iter()
                        .filter(|u| !urls.contains(u))
                        .collect::<Vec<_>>(),
                );
                format!(
                    "contested: {stated}; another reading, {}: {other_text}",
                    other.map(|o| o.params.describe(call)).unwrap_or_default()
                )
            }
        };
        Cite { text, urls }
    }
}

/// A rule switched on by the call, with its setting per strand.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleEntry {
    pub rule: RuleId,
    /// One slot per strand, in the order of `Ruleset::strands` (one slot if
    /// the call has no strands); `None` where the rule does not apply.
    pub per_strand: Vec<Option<RuleSetting>>,
}

impl RuleEntry {
    /// The setting for a strand (an index into `Ruleset::strands`); with no
    /// strand known, the setting only if it is the same for every strand.
    pub fn setting(&self, strand: Option<usize>) -> StrandSetting<'_> {
        match strand {
            Some(i) => match self.per_strand.get(i).and_then(Option::as_ref) {
                Some(s) => StrandSetting::Applies(s),
                None => StrandSetting::NotApplicable,
            },
            None => {
                let first = self.per_strand.first().and_then(Option::as_ref);
                match first {
                    Some(s) if self.per_strand.iter().all(|o| o.as_ref() == Some(s)) => {
                        StrandSetting::Applies(s)
                    }
                    _ if self.per_strand.iter().all(Option::is_none) => {
                        StrandSetting::NotApplicable
                    }
                    _ => StrandSetting::NeedsStrand,
                }
            }
        }
    }
}

/// What a rule does for the strand of a file.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub enum StrandSetting<'a> {
    Applies(&'a RuleSetting),
    /// The rule is not switched on for this strand.
    NotApplicable,
    /// The rule's setting differs between strands and the strand is unknown.
    NeedsStrand,
}

impl Ruleset {
    /// Whether `id` names this call (its id or an alias, case-insensitive).
    pub fn is_named(&self, id: &str) -> bool {
        let id = id.trim();
        self.id.eq_ignore_ascii_case(id) || self.aliases.iter().any(|a| a.eq_ignore_ascii_case(id))
    }

    /// The index of the strand a user wrote, by its id or its title, matched
    /// leniently (see [`strand_key`]): "Strand 1.A" names strand `1a`, and
    /// "Creative and Cultural Industries" the strand whose title is
    /// "Creative & Cultural Industries". Every command that reads a strand
    /// (`check`, `init --strand`, the language server, `import`, the web
    /// workbench) goes through here, so they all accept the same spellings.
    pub fn strand_index(&self, written: &str) -> Option<usize> {
        let wanted = strand_key(written);
        if wanted.is_empty() {
            return None;
        }
        let keys = self.strand_keys.0.get_or_init(|| {
            self.strands
                .iter()
                .map(|s| (strand_key(&s.id), strand_key(&s.title)))
                .collect()
        });
        keys.iter()
            .position(|(id, _)| *id == wanted)
            .or_else(|| keys.iter().position(|(_, title)| *title == wanted))
    }

    /// The one strand that `written` is near, for a did-you-mean: a typo of
    /// its id or its title ("Creative Cultural Industry"). None where the
    /// text names a strand ([`Ruleset::strand_index`]), where it is near
    /// none or several, or where it mixes scripts (a look-alike is never
    /// suggested as what it looks like).
    pub fn strand_near(&self, written: &str) -> Option<usize> {
        if written.len() > 100
            || crate::text::mixed_scripts(written).is_some()
            || self.strand_index(written).is_some()
        {
            return None;
        }
        let wanted = strand_key(written);
        if wanted.is_empty() {
            return None;
        }
        let near = |text: &str| {
            let key = strand_key(text);
            !key.is_empty() && strsim::jaro_winkler(&wanted, &key) >= 0.8
        };
        let mut found = self
            .strands
            .iter()
            .enumerate()
            .filter(|(_, s)| near(&s.id) || near(&s.title))
            .map(|(i, _)| i);
        match (found.next(), found.next()) {
            (Some(one), None) => Some(one),
            _ => None,
        }
    }

    /// The rule entry for `rule`, if the call switches it on.
    pub fn entry(&self, rule: RuleId) -> Option<&RuleEntry> {
        self.rules.iter().find(|e| e.rule == rule)
    }

    pub fn group(&self, name: &str) -> Option<&Group> {
        self.groups.get(name)
    }

    pub fn source(&self, id: &str) -> Option<&Source> {
        self.sources.iter().find(|s| s.id == id)
    }

    /// The ids of the sources that state the deadline: the `[deadline]`
    /// table's, then any more that `[rules.deadline]` names. The one list
    /// behind every citation of the deadline (`escp calls`,
    /// docs/sources.md, the `deadline` rule's findings), so that they all
    /// name the same sources.
    pub fn deadline_sources(&self) -> Vec<String> {
        let mut ids = self.deadline.sources.clone();
        let rule = self.entry(RuleId::Deadline);
        for setting in rule.into_iter().flat_map(|e| e.per_strand.iter().flatten()) {
            for id in &setting.sources {
                if !ids.contains(id) {
                    ids.push(id.clone());
                }
            }
        }
        ids
    }

    /// The deadline's citation: its quote (or, without one, the `deadline`
    /// rule's) and [`Ruleset::deadline_sources`], with their addresses.
    pub fn deadline_cite(&self) -> (String, Vec<String>) {
        let quote = self.deadline.quote.as_deref().or_else(|| {
            self.entry(RuleId::Deadline)
                .into_iter()
                .flat_map(|e| e.per_strand.iter().flatten())
                .find_map(|s| s.quote.as_deref())
        });
        self.cite(&self.deadline_sources(), quote)
    }

    /// The quote and sources as one sentence, and the sources' addresses:
    /// "\"Open exclusively to ...\" (ECCP: \"...\" (2020))".
    pub fn cite(&self, ids: &[String], quote: Option<&str>) -> (String, Vec<String>) {
        let found: Vec<&Source> = ids.iter().filter_map(|id| self.source(id)).collect();
        let urls: Vec<String> = found.iter().filter_map(|s| s.url.clone()).collect();
        let who = match found.as_slice() {
            [] => String::new(),
            [one] => one.short(),
            [first, rest @ ..] => format!(
                "{} and {}",
                first.short(),
                crate::text::plural(rest.len(), "other source", "other sources")
            ),
        };
        let text = match (quote, who.is_empty()) {
            (Some(q), false) => format!("\"{q}\" ({who})"),
            (Some(q), true) => format!("\"{q}\""),
            (None, _) => who,
        };
        (text, urls)
    }
}

/// How a written strand is compared with a strand's id and title: case,
/// spaces and ASCII punctuation (dots, hyphens, underscores, colons, ...)
/// are ignored, as are a leading word "Strand", the words "and",
/// "strand", "ecosystem" and "industrial ecosystem" (so `&`, `+` and "and"
/// read the same). "Strand 1.A" and "1a" read `1a`; "Proximity and Social
/// Economy Industrial Ecosystem", "Proximity & Social Economy" and
/// "proximity-social-economy" all read `proximitysocialeconomy`. Other
/// characters are kept as they are: a letter of another script, or an
/// invisible one, makes another key.
pub fn strand_key(s: &str) -> String {
    let lower = s.trim().to_lowercase();
    let rest = lower.strip_prefix("strand").unwrap_or(&lower);
    let spaced: String = rest
        .chars()
        .map(|c| if c.is_ascii_punctuation() { ' ' } else { c })
        .collect();
    let words: Vec<&str> = spaced.split_whitespace().collect();
    let mut key = String::with_capacity(rest.len());
    let mut i = 0;
    while i < words.len() {
        match (words[i], words.get(i + 1)) {
            ("industrial", Some(&"ecosystem")) => i += 2,
            ("and" | "strand" | "ecosystem", _) => i += 1,
            (word, _) => {
                key.push_str(word);
                i += 1;
            }
        }
    }
    key
}

/// A TOML date (`2020-12-02`, no time) as a calendar date.
pub(crate) fn date(value: &toml::value::Datetime) -> Result<Date, String> {
    match (value.date, value.time, value.offset) {
        (Some(d), None, None) => Date::new(d.year as i16, d.month as i8, d.day as i8)
            .map_err(|e| format!("{value} is not a valid date: {e}")),
        _ => Err(format!("{value} must be a plain date such as 2020-12-02")),
    }
}

#[cfg(test)]
mod tests {
    use super::strand_key;

    #[test]
    fn strands_match_leniently() {
        for written in [
            "1.a",
            "1a",
            "Strand 1.A",
            " strand 1 . a ",
            "1.A",
            "1-a",
            "Strand: 1a",
        ] {
            assert_eq!(strand_key(written), "1a", "{written}");
        }
        assert_eq!(strand_key("A"), "a");
        assert_ne!(strand_key("1.b"), strand_key("1.a"));
    }

    #[test]
    fn titles_read_with_and_for_ampersand_and_without_ecosystem_words() {
        for written in [
            "Creative & Cultural Industries",
            "Creative and Cultural Industries",
            "creative + cultural industries",
            "Creative & Cultural Industries ecosystem",
            "Creative and Cultural Industries strand",
            "Strand Creative & Cultural Industries",
        ] {
            assert_eq!(
                strand_key(written),
                "creativeculturalindustries",
                "{written}"
            );
        }
        for written in [
            "Proximity and Social Economy Industrial Ecosystem",
            "Proximity & Social Economy",
            "proximity-social-economy",
            "Proximity, Social Economy",
        ] {
            assert_eq!(strand_key(written), "proximitysocialeconomy", "{written}");
        }
        // Only the word "and", not the letters: "Land" stays.
        assert_eq!(strand_key("Land and Sea"), "landsea");
        // "industrial" is dropped only before "ecosystem".
        assert_eq!(
            strand_key("Energy Intensive Industrial"),
            "energyintensiveindustrial"
        );
        // Another script, or an invisible character, is not ignored.
        assert_ne!(strand_key("Digit\u{430}l"), strand_key("Digital"));
        assert_ne!(strand_key("Digi\u{200b}tal"), strand_key("Digital"));
        assert_eq!(strand_key("&"), "");
    }
}
