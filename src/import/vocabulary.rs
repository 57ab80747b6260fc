//! The words `escp import` understands: column headers and cell values in
//! the languages of the calls' countries. The words are data
//! (`vocabulary.toml` beside this file, embedded at build time); this module
//! reads them once and looks words up, folded.

use std::collections::HashMap;
use std::sync::OnceLock;
use unicode_normalization::UnicodeNormalization;

const TEXT: &str = include_str!("vocabulary.toml");

/// A table of the consortium file, as far as the spreadsheet's sheets go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Place {
    Partner,
    Proposal,
    Target,
}

impl Place {
    fn name(self) -> &'static str {
        match self {
            Place::Partner => "partner",
            Place::Proposal => "proposal",
            Place::Target => "target",
        }
    }
}

/// The closed sets of cell values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Set {
    Role,
    Type,
    Eccp,
    Action,
    Boolean,
    Months,
}

impl Set {
    fn name(self) -> &'static str {
        match self {
            Set::Role => "role",
            Set::Type => "type",
            Set::Eccp => "eccp",
            Set::Action => "action",
            Set::Boolean => "boolean",
            Set::Months => "months",
        }
    }
}

/// The vocabulary, folded, built once per process.
pub struct Vocabulary {
    /// (place, folded header) -> field.
    headers: HashMap<(Place, String), &'static str>,
    /// Every header spelling of a place with its field, for did-you-mean.
    spellings: HashMap<Place, Vec<(String, &'static str)>>,
    /// (place, folded header) of columns known and not used.
    ignored: HashMap<Place, Vec<String>>,
    /// (set, folded value) -> canonical word.
    values: HashMap<(Set, String), &'static str>,
    /// Folded sheet names -> the place they hold.
    sheets: HashMap<String, Place>,
}

#[derive(serde::Deserialize)]
struct Raw {
    headers: HashMap<String, HashMap<String, Vec<String>>>,
    ignore: HashMap<String, RawIgnore>,
    values: HashMap<String, HashMap<String, Vec<String>>>,
    sheets: HashMap<String, Vec<String>>,
}

#[derive(serde::Deserialize)]
struct RawIgnore {
    headers: Vec<String>,
}

impl Vocabulary {
    pub fn get() -> &'static Vocabulary {
        static ONCE: OnceLock<Vocabulary> = OnceLock::new();
        ONCE.get_or_init(|| {
            Vocabulary::parse(TEXT).expect("the embedded vocabulary is valid (tested)")
        })
    }

    /// Reads the vocabulary; `Err` says what is wrong with it.
    pub fn parse(text: &str) -> Result<Vocabulary, String> {
        let raw: Raw = toml::from_str(text).map_err(|e| e.to_string())?;
        let leak = |s: String| -> &'static str { Box::leak(s.into_boxed_str()) };
        let mut v = Vocabulary {
            headers: HashMap::new(),
            spellings: HashMap::new(),
            ignored: HashMap::new(),
            values: HashMap::new(),
            sheets: HashMap::new(),
        };
        for place in [Place::Partner, Place::Proposal, Place::Target] {
            let fields = raw
                .headers
                .get(place.name())
                .ok_or_else(|| format!("no [headers.{}]", place.name()))?;
            let mut names: Vec<&String> = fields.keys().collect();
            names.sort();
            for field in names {
                let field_name = leak(field.clone());
                for spelling in &fields[field] {
                    let folded = fold(spelling);
                    if let Some(other) = v.headers.insert((place, folded.clone()), field_name) {
                        if other != field_name {
                            return Err(format!(
                                "header \"{spelling}\" names both {other} and {field_name} in [headers.{}]",
                                place.name()
                            ));
                        }
                    }
                    v.spellings
                        .entry(place)
                        .or_default()
                        .push((folded, field_name));
                }
            }
            for name in raw.sheets.get(place.name()).into_iter().flatten() {
                if let Some(other) = v.sheets.insert(fold(name), place) {
                    if other != place {
                        return Err(format!("sheet name \"{name}\" names two sheets"));
                    }
                }
            }
            if let Some(ignore) = raw.ignore.get(place.name()) {
                let folded: Vec<String> = ignore.headers.iter().map(|h| fold(h)).collect();
                v.ignored.insert(place, folded);
            }
        }
        for set in [
            Set::Role,
            Set::Type,
            Set::Eccp,
            Set::Action,
            Set::Boolean,
            Set::Months,
        ] {
            let words = raw
                .values
                .get(set.name())
                .ok_or_else(|| format!("no [values.{}]", set.name()))?;
            let mut names: Vec<&String> = words.keys().collect();
            names.sort();
            for word in names {
                let canonical = leak(word.clone());
                for spelling in words[word].iter().chain(std::iter::once(word)) {
                    let folded = fold(spelling);
                    if let Some(other) = v.values.insert((set, folded), canonical) {
                        if other != canonical {
                            return Err(format!(
                                "value \"{spelling}\" means both {other} and {canonical} in [values.{}]",
                                set.name()
                            ));
                        }
                    }
                }
            }
        }
        Ok(v)
    }

    /// The field a header names in a sheet of `place`, if escp knows it:
    /// folded, then without a part in brackets ("Country (ISO code)").
    pub fn header(&self, place: Place, header: &str) -> Option<&'static str> {
        let folded = fold(header);
        if let Some(field) = self.headers.get(&(place, folded)) {
            return Some(field);
        }
        let bare = without_brackets(header);
        self.headers.get(&(place, fold(&bare))).copied()
    }

    /// What a sheet holds, by its name ("Partners", "Partenaires").
    pub fn sheet(&self, name: &str) -> Option<Place> {
        if name.len() > 100 {
            return None;
        }
        self.sheets.get(&fold(name)).copied()
    }

    /// Whether a header is a column escp knows and does not use (email,
    /// phone, ...).
    pub fn is_ignored(&self, place: Place, header: &str) -> bool {
        let list = self.ignored.get(&place);
        let folded = fold(header);
        let bare = fold(&without_brackets(header));
        list.is_some_and(|l| l.contains(&folded) || l.contains(&bare))
    }

    /// The field a header not known is probably a misspelling of.
    pub fn closest_header(&self, place: Place, header: &str) -> Option<&'static str> {
        let folded = fold(header);
        if folded.chars().count() < 3 || folded.len() > 100 {
            return None;
        }
        self.spellings
            .get(&place)?
            .iter()
            .filter(|(s, _)| s.chars().count() >= 4)
            .map(|(s, field)| (strsim::jaro_winkler(&folded, s), *field))
            .filter(|(score, _)| *score >= 0.88)
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, field)| field)
    }

    /// The canonical word a cell value stands for in a set ("Cluster
    /// organisation" -> "cluster-organisation", "oui" -> "true").
    pub fn value(&self, set: Set, value: &str) -> Option<&'static str> {
        if value.len() > 200 {
            return None;
        }
        self.values.get(&(set, fold(value))).copied()
    }
}

/// A header or value as compared: lower case, accents dropped,
/// punctuation and runs of spaces as one space. "Légal-Name*" is "legal name".
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.nfkd() {
        if crate::text::is_combining_mark(c) {
            continue;
        }
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if c == '#' && out.is_empty() {
            // "#" alone is a header (a row number).
            out.push('#');
        } else if !out.is_empty() && !out.ends_with(' ') {
            out.push(' ');
        }
    }
    out.truncate(out.trim_end().len());
    out
}

/// The text without its parts in brackets: "Country (ISO code)" -> "Country".
fn without_brackets(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_vocabulary_is_valid_and_no_spelling_names_two_keys() {
        Vocabulary::parse(TEXT).unwrap();
    }

    #[test]
    fn a_conflict_is_reported() {
        let text = TEXT.replace("short_name = [", "short_name = [\"country\", ");
        let err = Vocabulary::parse(&text).err().unwrap();
        assert!(err.contains("country"), "{err}");
    }

    #[test]
    fn headers_match_without_case_accents_or_punctuation() {
        let v = Vocabulary::get();
        assert_eq!(v.header(Place::Partner, "Organisation"), Some("name"));
        assert_eq!(v.header(Place::Partner, "LEGAL NAME*"), Some("name"));
        assert_eq!(v.header(Place::Partner, "Nom"), Some("name"));
        assert_eq!(v.header(Place::Partner, "Pays"), Some("country"));
        assert_eq!(v.header(Place::Partner, "País"), Some("country"));
        assert_eq!(v.header(Place::Partner, "Land"), Some("country"));
        assert_eq!(v.header(Place::Partner, "Rôle"), Some("role"));
        assert_eq!(
            v.header(Place::Partner, "Coordinator?"),
            Some("coordinator")
        );
        assert_eq!(v.header(Place::Partner, "PIC"), Some("pic"));
        assert_eq!(v.header(Place::Partner, "SME members"), Some("sme_members"));
        assert_eq!(
            v.header(Place::Partner, "Country (ISO code)"),
            Some("country")
        );
        assert_eq!(v.header(Place::Partner, "Short-name"), Some("short_name"));
        assert_eq!(v.header(Place::Partner, "Χώρα"), Some("country"));
        assert_eq!(v.header(Place::Partner, "Email"), None);
        assert!(v.is_ignored(Place::Partner, "E-mail"));
        assert_eq!(
            v.header(Place::Proposal, "Duration (months)"),
            Some("duration_months")
        );
        assert_eq!(v.header(Place::Target, "Target market"), Some("country"));
    }

    #[test]
    fn close_headers_are_suggested_and_far_ones_not() {
        let v = Vocabulary::get();
        assert_eq!(v.closest_header(Place::Partner, "Contry"), Some("country"));
        assert_eq!(
            v.closest_header(Place::Partner, "Organisaton"),
            Some("name")
        );
        assert_eq!(v.closest_header(Place::Partner, "Budget"), None);
        assert_eq!(v.closest_header(Place::Partner, "xy"), None);
    }

    #[test]
    fn values_read_loose_spellings_in_several_languages() {
        let v = Vocabulary::get();
        assert_eq!(
            v.value(Set::Type, "Cluster organisation"),
            Some("cluster-organisation")
        );
        assert_eq!(
            v.value(Set::Type, "cluster-organisation"),
            Some("cluster-organisation")
        );
        assert_eq!(v.value(Set::Eccp, "Registered"), Some("registered"));
        assert_eq!(v.value(Set::Boolean, "Oui"), Some("true"));
        assert_eq!(v.value(Set::Boolean, "nein"), Some("false"));
        assert_eq!(v.value(Set::Boolean, "Ναι"), Some("true"));
        assert_eq!(v.value(Set::Role, "Chef de file"), Some("coordinator"));
        assert_eq!(v.value(Set::Action, "Préparatoire"), Some("preparatory"));
        assert_eq!(v.value(Set::Type, "Clustre"), None);
    }
}
