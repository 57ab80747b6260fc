//! Country codes: ISO 3166-1 alpha-2 plus Kosovo's `XK`, with the EU's own
//! aliases `EL` (Greece) and `UK` (United Kingdom).
//!
//! The table itself is data (`calls/countries/iso3166.tsv`, embedded at build
//! time); this module only reads it. Which countries are eligible for which
//! call is not here: that is the country groups of `calls/countries/groups.toml`.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;
use unicode_normalization::UnicodeNormalization;

const TABLE: &str = include_str!("../calls/countries/iso3166.tsv");
const TERRITORIES: &str = include_str!("../calls/countries/territories.tsv");
/// Countries' names in the languages of the calls' countries ("Italie",
/// "Niemcy", "Noruega"), from CLDR (`calls/countries/make_exonyms.py`),
/// read as more names of each country. Each row holds the name folded
/// already, so the table of names is built without folding them.
const EXONYMS: &str = include_str!("../calls/countries/exonyms.tsv");

/// No name of the tables is longer, folded, than this many characters
/// (the longest, CLDR's Maltese name of Hong Kong, has 80) ...
const LONGEST_NAME_CHARS: usize = 80;
/// ... or than this many bytes (a Georgian name of Hong Kong has 145), a
/// test makes sure: a longer value is no name, and is not looked up.
const LONGEST_NAME_BYTES: usize = 160;

/// A country, by its canonical two-letter code (`GR`, never `EL`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Country([u8; 2]);

impl Country {
    pub fn code(&self) -> &str {
        // Only ever built from two ASCII upper-case letters.
        std::str::from_utf8(&self.0).unwrap_or("??")
    }

    /// The English short name ("Switzerland").
    pub fn name(&self) -> &'static str {
        Countries::get().name(*self)
    }

    /// The country it counts as where the calls count countries: the
    /// country a territory with a code of its own is part of (Réunion,
    /// `RE`, is France), or itself.
    pub fn counts_as(self) -> Country {
        Countries::get().part_of[self.index()].unwrap_or(self)
    }

    fn index(&self) -> usize {
        usize::from(self.0[0] - b'A') * 26 + usize::from(self.0[1] - b'A')
    }
}

/// A set of countries: one bit per possible code, so that counting the
/// distinct countries of a consortium hashes and allocates nothing.
#[derive(Debug, Clone, Default)]
pub struct CountrySet([u64; 11]);

impl CountrySet {
    /// Adds `country`; whether it was not in the set yet.
    pub fn insert(&mut self, country: Country) -> bool {
        let i = country.index();
        let (word, bit) = (i / 64, 1u64 << (i % 64));
        let new = self.0[word] & bit == 0;
        self.0[word] |= bit;
        new
    }
}

/// Written as its code ("CH"), in the compiled rulesets.
impl serde::Serialize for Country {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

/// Read back from a known code.
impl<'de> serde::Deserialize<'de> for Country {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let code = <String as serde::Deserialize>::deserialize(deserializer)?;
        Countries::get()
            .parse(&code)
            .map_err(|_| serde::de::Error::custom(format!("\"{code}\" is not a country code")))
    }
}

impl fmt::Display for Country {
    /// "Switzerland (CH)", "the United Kingdom (GB)": as it reads in a sentence.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = self.name();
        // English puts "the" before plural names and names of unions.
        let article = [
            "United ",
            "Republic",
            "Islands",
            "Netherlands",
            "Philippines",
            "Bahamas",
            "Gambia",
            "Maldives",
            "Comoros",
        ]
        .iter()
        .any(|word| name.contains(word));
        write!(
            f,
            "{}{name} ({})",
            if article { "the " } else { "" },
            self.code()
        )
    }
}

/// Why a value is not a country code, with the code to suggest if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotACode {
    pub suggestion: Option<Country>,
    /// Whether the suggestion is certain: the value is the country's name,
    /// another of its names, its alpha-3 code or a common abbreviation
    /// ("Deutschland", "DEU", "U.S."), not only close to one ("Germny").
    /// Only a certain suggestion is offered as an automatic fix.
    pub exact: bool,
}

/// The table of known codes and names, built once per process.
pub struct Countries {
    /// English short name per code index (A..Z x A..Z); empty = unknown code.
    names: Vec<&'static str>,
    /// Per code index: the country a territory is part of, if it is one.
    part_of: Vec<Option<Country>>,
    /// Folded names (every spelling) to code, built on the first failed
    /// lookup: a file whose countries are codes never builds it. The
    /// exonyms' names are borrowed from the embedded table, folded already.
    by_name: OnceLock<HashMap<Cow<'static, str>, Country>>,
}

impl Countries {
    /// The process-wide table.
    pub fn get() -> &'static Countries {
        static TABLE_ONCE: OnceLock<Countries> = OnceLock::new();
        TABLE_ONCE.get_or_init(Countries::build)
    }

    fn build() -> Countries {
        let mut names = vec![""; 26 * 26];
        for (code, name, _, _) in rows() {
            if let Some(country) = parse_letters(code) {
                names[country.index()] = name;
            }
        }
        let mut part_of = vec![None; 26 * 26];
        for line in data_lines(TERRITORIES) {
            let mut columns = split_ascii(line, b'\t');
            if let (Some(code), Some(state)) = (
                columns.next().and_then(parse_letters),
                columns.next().and_then(parse_letters),
            ) {
                part_of[code.index()] = Some(state);
            }
        }
        Countries {
            names,
            part_of,
            by_name: OnceLock::new(),
        }
    }

    fn name(&self, country: Country) -> &'static str {
        self.names[country.index()]
    }

    /// Every known country with its English short name, sorted by code
    /// (for completion and listings; the aliases `EL` and `UK` are not
    /// listed: they read as `GR` and `GB`).
    pub fn iter(&self) -> impl Iterator<Item = (Country, &'static str)> + '_ {
        (0..26 * 26).filter_map(|i| {
            let name = self.names[i];
            let letters = [b'A' + (i / 26) as u8, b'A' + (i % 26) as u8];
            (!name.is_empty()).then_some((Country(letters), name))
        })
    }

    /// Reads a country code as users write it: case-insensitive, surrounding
    /// spaces ignored, `EL` and `UK` mapped to `GR` and `GB`.
    pub fn parse(&self, value: &str) -> Result<Country, NotACode> {
        let trimmed = value.trim();
        if let Some(country) = self.code(trimmed) {
            return Ok(country);
        }
        if let Some(country) = self
            .by_exact_name(trimmed)
            .or_else(|| self.compact(trimmed))
        {
            return Err(NotACode {
                suggestion: Some(country),
                exact: true,
            });
        }
        Err(NotACode {
            suggestion: self.by_name(trimmed),
            exact: false,
        })
    }

    /// The country whose two-letter code `value` is (any case, surrounding
    /// spaces ignored, `EL` and `UK` read as `GR` and `GB`), and nothing
    /// else: no name is looked up.
    pub fn code(&self, value: &str) -> Option<Country> {
        let country = parse_letters(value.trim())?;
        let country = match &country.0 {
            b"EL" => Country(*b"GR"),
            b"UK" => Country(*b"GB"),
            _ => country,
        };
        (!self.name(country).is_empty()).then_some(country)
    }

    /// A code written with dots or spaces ("U.S.", "u k"): its letters, if
    /// they are a known alpha-2 code.
    fn compact(&self, value: &str) -> Option<Country> {
        if value.len() > 12 {
            return None;
        }
        let letters: String = value.chars().filter(|c| c.is_ascii_alphabetic()).collect();
        let country = parse_letters(&letters)?;
        let country = match &country.0 {
            b"EL" => Country(*b"GR"),
            b"UK" => Country(*b"GB"),
            _ => country,
        };
        (!self.name(country).is_empty()).then_some(country)
    }

    /// The country whose name (in English or a local language, any case,
    /// without accents) is exactly `value`: no guessing.
    pub fn by_exact_name(&self, value: &str) -> Option<Country> {
        if value.len() > LONGEST_NAME_BYTES {
            return None;
        }
        self.names_table().get(fold(value).as_str()).copied()
    }

    fn names_table(&self) -> &HashMap<Cow<'static, str>, Country> {
        self.by_name.get_or_init(|| {
            let mut map = HashMap::with_capacity(8_192);
            for (code, name, others, alpha3) in rows() {
                let Some(country) = parse_letters(code) else {
                    continue;
                };
                for spelling in std::iter::once(name)
                    .chain(others.split(';'))
                    .chain(std::iter::once(alpha3))
                {
                    if !spelling.is_empty() {
                        map.entry(Cow::Owned(fold(spelling))).or_insert(country);
                    }
                }
            }
            for (code, folded, _) in exonyms() {
                if let Some(country) = parse_letters(code) {
                    map.entry(Cow::Borrowed(folded)).or_insert(country);
                }
            }
            map
        })
    }

    /// The code of a country written by name, in English or a local language
    /// ("Germany", "Deutschland", "Србија"), by its alpha-3 code ("DEU"), or
    /// close to one of its names ("Germny").
    ///
    /// The search for a close name is bounded: values that cannot be a
    /// name (digits, longer than any name) are not compared, a name whose
    /// length alone rules out a match is skipped, and each distinct value is
    /// searched once per process. A file with a thousand invalid countries
    /// costs one search per distinct value, not a thousand.
    pub fn by_name(&self, value: &str) -> Option<Country> {
        let table = self.names_table();
        if value.len() > LONGEST_NAME_BYTES {
            return None;
        }
        let folded = fold(value);
        let length = folded.chars().count();
        if length < 3 {
            return None;
        }
        if let Some(country) = table.get(folded.as_str()) {
            return Some(*country);
        }
        // At 80% similarity a match is within a fifth of the length of a
        // name, and no name is longer than LONGEST_NAME_CHARS.
        if length > LONGEST_NAME_CHARS * 5 / 4 || folded.chars().any(|c| c.is_ascii_digit()) {
            return None;
        }
        static SEARCHED: OnceLock<std::sync::Mutex<HashMap<String, Option<Country>>>> =
            OnceLock::new();
        let searched = SEARCHED.get_or_init(Default::default);
        if let Some(found) = searched
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&folded)
        {
            return *found;
        }
        // Each name is weighed only if neither its length nor its letters
        // rule a match out (a cheap bound that the distance cannot go
        // below), so that the larger table of names costs little more.
        let letters = Letters::of(&folded);
        let found = table
            .iter()
            .filter(|(name, _)| {
                let n = name.chars().count();
                let longest = n.max(length);
                n.abs_diff(length) * 5 <= longest && letters.apart(name) * 5 <= longest
            })
            .map(|(name, country)| {
                (
                    strsim::normalized_damerau_levenshtein(name, &folded),
                    country,
                )
            })
            .filter(|(score, _)| *score >= 0.8)
            .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
            .map(|(_, country)| *country);
        let mut cache = searched.lock().unwrap_or_else(|e| e.into_inner());
        // Bounded, like the inputs: a file of hostile values cannot grow it
        // without end.
        if cache.len() < 10_000 {
            cache.insert(folded, found);
        }
        found
    }
}

/// How many times each letter occurs in a text, letters hashed into a few
/// buckets: [`Letters::apart`] is then a lower bound of the edit distance
/// (Damerau-Levenshtein) between two texts, cheap to compute. Each edit
/// (an insertion, a deletion, a substitution; a transposition changes no
/// count) moves at most one letter in or out of each side's excess, and
/// letters sharing a bucket only make the excess smaller.
struct Letters([i16; 64]);

impl Letters {
    fn of(text: &str) -> Letters {
        let mut counts = [0i16; 64];
        for c in text.chars() {
            let bucket = &mut counts[c as usize % 64];
            *bucket = bucket.saturating_add(1);
        }
        Letters(counts)
    }

    /// At most the edit distance from the text of `self` to `other`.
    fn apart(&self, other: &str) -> usize {
        let mut counts = self.0;
        for c in other.chars() {
            let bucket = &mut counts[c as usize % 64];
            *bucket = bucket.saturating_sub(1);
        }
        let (more, fewer) = counts.iter().fold((0usize, 0usize), |(more, fewer), &n| {
            if n > 0 {
                (more + n as usize, fewer)
            } else {
                (more, fewer + n.unsigned_abs() as usize)
            }
        });
        more.max(fewer)
    }
}

/// The data rows: (code, English name, other names joined by `;`,
/// alpha-3 code).
fn rows() -> impl Iterator<Item = (&'static str, &'static str, &'static str, &'static str)> {
    data_lines(TABLE).filter_map(|line| {
        let mut columns = split_ascii(line, b'\t');
        Some((
            columns.next()?,
            columns.next()?,
            columns.next().unwrap_or(""),
            columns.next().unwrap_or(""),
        ))
    })
}

/// The rows of the names in other languages: (code, the name folded, the
/// ways CLDR writes it with their languages, "Turquía (es); Turquia (pt)").
fn exonyms() -> impl Iterator<Item = (&'static str, &'static str, &'static str)> {
    data_lines(EXONYMS).filter_map(|line| {
        let (code, rest) = line.split_once('\t')?;
        let (folded, written) = rest.split_once('\t')?;
        Some((code, folded, written))
    })
}

/// The lines of an embedded table that hold data: not comments, not blank.
fn data_lines(table: &'static str) -> impl Iterator<Item = &'static str> {
    split_ascii(table, b'\n')
        .map(|line| line.strip_suffix('\r').unwrap_or(line))
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
}

/// `text` split at each `sep`, an ASCII byte (so each piece is valid
/// UTF-8): what `str::split` does, with memchr's vectorised search instead
/// of the set-up of a character search for every piece, which was most of
/// building the country table (a tenth of the instructions of checking a
/// typical file).
fn split_ascii(text: &str, sep: u8) -> impl Iterator<Item = &str> {
    debug_assert!(sep.is_ascii());
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let piece = rest?;
        match memchr::memchr(sep, piece.as_bytes()) {
            Some(at) => {
                rest = Some(&piece[at + 1..]);
                Some(&piece[..at])
            }
            None => {
                rest = None;
                Some(piece)
            }
        }
    })
}

fn parse_letters(value: &str) -> Option<Country> {
    match value.as_bytes() {
        [a, b] if a.is_ascii_alphabetic() && b.is_ascii_alphabetic() => {
            Some(Country([a.to_ascii_uppercase(), b.to_ascii_uppercase()]))
        }
        _ => None,
    }
}

/// Lower case, accents stripped, runs of spaces, dots and dashes folded:
/// "  Česká  Republika" and "ceska republika" compare equal.
fn fold(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.nfkd().filter(|c| !crate::text::is_combining_mark(*c)) {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.is_empty() && !out.ends_with(' ') {
            out.push(' ');
        }
    }
    out.truncate(out.trim_end().len());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_characters_that_are_not_letters_are_no_code() {
        let countries = Countries::get();
        for value in ["1A", "A1", "12", "!!", "D-", "É1"] {
            assert_eq!(countries.code(value), None, "{value}");
        }
        assert_eq!(countries.code("de"), Some(Country(*b"DE")));
    }

    #[test]
    fn a_country_set_holds_each_code_once_from_aa_to_zz() {
        let mut set = CountrySet::default();
        let all: Vec<Country> = (b'A'..=b'Z')
            .flat_map(|a| (b'A'..=b'Z').map(move |b| Country([a, b])))
            .collect();
        assert!(all.iter().all(|&c| set.insert(c)), "each code is new once");
        assert!(all.iter().all(|&c| !set.insert(c)), "and then known");
        let mut other = CountrySet::default();
        assert!(other.insert(Country(*b"ZZ")));
        assert!(other.insert(Country(*b"AA")));
        assert!(!other.insert(Country(*b"ZZ")));
        assert!(other.insert(Country(*b"AB")), "neighbours are distinct");
        assert!(other.insert(Country(*b"CL")), "index 63, the end of a word");
        assert!(
            other.insert(Country(*b"CM")),
            "index 64, the start of the next"
        );
    }

    #[test]
    fn split_ascii_splits_as_str_split_does() {
        for text in ["", "\t", "a", "a\tb", "\ta\t\tb\t", "Åland\tAX\t", "x\n\ny"] {
            for sep in [b'\t', b'\n'] {
                let fast: Vec<&str> = split_ascii(text, sep).collect();
                let std: Vec<&str> = text.split(sep as char).collect();
                assert_eq!(fast, std, "{text:?} at {sep}");
            }
        }
    }

    #[test]
    fn data_lines_skip_comments_and_blank_lines_and_carriage_returns() {
        let lines: Vec<&str> = data_lines("# note\nFR\tFrance\r\n\n  \nDE\tGermany").collect();
        assert_eq!(lines, ["FR\tFrance", "DE\tGermany"]);
    }

    fn code(value: &str) -> Result<String, Option<String>> {
        Countries::get()
            .parse(value)
            .map(|c| c.code().to_string())
            .map_err(|e| e.suggestion.map(|c| c.code().to_string()))
    }

    #[test]
    fn codes_are_case_insensitive_with_eu_aliases() {
        assert_eq!(code("de"), Ok("DE".into()));
        assert_eq!(code("EL"), Ok("GR".into()));
        assert_eq!(code("uk"), Ok("GB".into()));
        assert_eq!(code("XK"), Ok("XK".into()));
        assert_eq!(code(" it "), Ok("IT".into()));
    }

    #[test]
    fn names_suggest_their_code() {
        assert_eq!(code("Germany"), Err(Some("DE".into())));
        assert_eq!(code("Deutschland"), Err(Some("DE".into())));
        assert_eq!(code("Srbija"), Err(Some("RS".into())));
        assert_eq!(code("Србија"), Err(Some("RS".into())));
        assert_eq!(code("Ελλάδα"), Err(Some("GR".into())));
        assert_eq!(code("osterreich"), Err(Some("AT".into())));
        assert_eq!(code("Germny"), Err(Some("DE".into())));
        assert_eq!(code("Schweiz"), Err(Some("CH".into())));
    }

    #[test]
    fn alpha_3_codes_and_abbreviations_suggest_their_code_with_certainty() {
        let exact = |value: &str| {
            let e = Countries::get().parse(value).unwrap_err();
            (e.suggestion.map(|c| c.code().to_string()), e.exact)
        };
        for (value, code) in [
            ("USA", "US"),
            ("U.S.", "US"),
            ("u.s.a.", "US"),
            ("UAE", "AE"),
            ("KSA", "SA"),
            ("DEU", "DE"),
            ("deu", "DE"),
            ("U.K.", "GB"),
            ("Deutschland", "DE"),
        ] {
            assert_eq!(exact(value), (Some(code.to_string()), true), "{value}");
        }
        // A close name is suggested, but not as a certain fix.
        assert_eq!(exact("Germny"), (Some("DE".to_string()), false));
    }

    #[test]
    fn names_in_other_languages_of_the_calls_countries_give_their_code_with_certainty() {
        for (value, code) in [
            ("Italie", "IT"),
            ("Niemcy", "DE"),
            ("Spanien", "ES"),
            ("Pays-Bas", "NL"),
            ("Royaume-Uni", "GB"),
            ("Türkei", "TR"),
        ] {
            let e = Countries::get().parse(value).unwrap_err();
            assert_eq!(
                e.suggestion.map(|c| c.code().to_string()),
                Some(code.into()),
                "{value}"
            );
            assert!(e.exact, "{value}");
        }
    }

    #[test]
    fn every_exonym_row_names_a_known_country_and_no_name_two() {
        let mut seen = std::collections::HashMap::new();
        let alpha3: HashMap<String, &str> = rows()
            .map(|(code, _, _, alpha3)| (alpha3.to_lowercase(), code))
            .collect();
        let mut count = 0;
        for (code, folded, written) in exonyms() {
            let country = Countries::get()
                .code(code)
                .unwrap_or_else(|| panic!("{code}"));
            // The generator folds as escp does: every way CLDR writes the
            // name folds, here, to the name the row gives.
            for form in written.split("; ") {
                let (name, languages) = form.rsplit_once(" (").unwrap_or_else(|| panic!("{form}"));
                assert!(languages.ends_with(')'), "{form}");
                assert_eq!(fold(name), folded, "{code}: {form}");
            }
            if let Some(other) = seen.insert(folded, country) {
                assert_eq!(other, country, "{folded} names two countries");
            }
            // No name of another country in the main table, and no code.
            assert_eq!(Countries::get().by_exact_name(folded), Some(country));
            assert!(
                Countries::get().code(folded).is_none_or(|c| c == country),
                "{folded}"
            );
            assert!(alpha3.get(folded).is_none_or(|c| *c == code), "{folded}");
            count += 1;
        }
        assert!(count > 4_000, "{count}");
    }

    #[test]
    fn the_letters_bound_is_never_above_the_distance() {
        let names: Vec<&str> = Countries::get()
            .names_table()
            .keys()
            .map(|k| k.as_ref())
            .step_by(7)
            .collect();
        for value in [
            "germny",
            "itlay",
            "noruegaa",
            "ukriane",
            "srbja",
            "xx yy",
            "ελλαδα",
        ] {
            let letters = Letters::of(value);
            for name in &names {
                assert!(
                    letters.apart(name) <= strsim::damerau_levenshtein(value, name),
                    "{value} {name}"
                );
            }
        }
    }

    #[test]
    fn no_name_is_longer_than_the_lookups_bound() {
        for name in Countries::get().names_table().keys() {
            assert!(name.len() <= LONGEST_NAME_BYTES, "{name}");
            assert!(name.chars().count() <= LONGEST_NAME_CHARS, "{name}");
        }
        let longest = "ჰონკონგის სპეციალური ადმინისტრაციული რეგიონი ჩინეთი";
        assert_eq!(
            Countries::get()
                .by_exact_name(longest)
                .map(|c| c.code().to_string()),
            Some("HK".into())
        );
    }

    #[test]
    fn codes_are_read_without_building_the_table_of_names() {
        let countries = Countries::build();
        assert_eq!(
            countries.parse("de").map(|c| c.code().to_string()),
            Ok("DE".into())
        );
        assert_eq!(
            countries.parse(" EL ").map(|c| c.code().to_string()),
            Ok("GR".into())
        );
        assert!(countries.by_name.get().is_none());
        assert!(countries.parse("Noruega").is_err());
        assert!(countries.by_name.get().is_some());
    }

    #[test]
    fn unknown_codes_have_no_suggestion() {
        assert_eq!(code("XX"), Err(None));
        assert_eq!(code("QQQ"), Err(None));
        assert_eq!(code(""), Err(None));
    }

    #[test]
    fn every_row_is_a_two_letter_code_with_a_name() {
        let mut count = 0;
        for (code, name, _, alpha3) in rows() {
            assert!(parse_letters(code).is_some(), "{code}");
            assert_eq!(code, code.to_ascii_uppercase());
            assert!(!name.is_empty(), "{code} has no name");
            assert!(
                alpha3.len() == 3 && alpha3.bytes().all(|b| b.is_ascii_uppercase()),
                "{code} has no alpha-3 code"
            );
            count += 1;
        }
        assert_eq!(count, 250);
    }

    #[test]
    fn iter_lists_every_country_once_by_code() {
        let all: Vec<(Country, &str)> = Countries::get().iter().collect();
        assert_eq!(all.len(), 250);
        assert!(all.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(all.iter().any(|(c, n)| c.code() == "DE" && *n == "Germany"));
        assert!(!all
            .iter()
            .any(|(c, _)| c.code() == "EL" || c.code() == "UK"));
    }

    #[test]
    fn display_names_the_country() {
        let ch = Countries::get().parse("ch").unwrap();
        assert_eq!(ch.to_string(), "Switzerland (CH)");
        let uk = Countries::get().parse("uk").unwrap();
        assert_eq!(uk.to_string(), "the United Kingdom (GB)");
    }
}
