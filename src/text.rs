//! Small text helpers shared by the parser, the rules and the reporters.

/// The candidate closest to `input`, if it is close enough to be a likely
/// typo ("contry" -> "country"). Case is ignored.
pub fn closest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    // Keys, words and call ids are short: a long value is no typo of one,
    // and comparing it would cost its length times each candidate's.
    if input.len() > 100 {
        return None;
    }
    // A look-alike ("c\u{43e}untry", with a Cyrillic о) is never suggested
    // as what it looks like: it is not a typo, and it may be a trap.
    if mixed_scripts(input).is_some() {
        return None;
    }
    let input = input.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&input, &c.to_lowercase()), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// User text made safe to print: control characters, bidirectional
/// overrides and other invisible format characters are written as
/// `\u{…}` escapes, so a file cannot move the cursor, recolour the
/// terminal or reorder what the user reads. Long values are shortened.
pub fn clean(input: &str) -> String {
    shown(input, 80)
}

/// A message made safe to print: like [`escape`], but line breaks are kept
/// (help texts have several lines). Text with nothing to escape is returned
/// as it is, without copying.
pub fn printable(text: String) -> String {
    if text.chars().any(|c| c != '\n' && is_unsafe(c)) {
        text.split('\n').map(escape).collect::<Vec<_>>().join("\n")
    } else {
        text
    }
}

/// User text made safe to print, like [`clean`], but never shortened.
pub fn escape(input: &str) -> String {
    shown(input, usize::MAX)
}

fn shown(input: &str, max: usize) -> String {
    let mut out = String::with_capacity(input.len().min(max.saturating_add(8)));
    for (i, c) in input.chars().enumerate() {
        if i == max {
            out.push('…');
            break;
        }
        if is_unsafe(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// The text of a file as it may be shown in a terminal: every character that
/// [`clean`] escapes is replaced by one of the same length in bytes (`?`, or
/// U+FFFD for three bytes), so that byte offsets into the original still
/// point at the same places. Line breaks and tabs are kept.
pub fn displayable(text: &str) -> std::borrow::Cow<'_, str> {
    let keep = |c: char| matches!(c, '\n' | '\t' | '\r') || !is_unsafe(c);
    if !text.chars().any(|c| c == '\r' || !keep(c)) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        // A carriage return is kept only before a line feed (CRLF).
        let lone_cr = c == '\r' && chars.peek() != Some(&'\n');
        if keep(c) && !lone_cr {
            out.push(c);
        } else if c.len_utf8() == 3 {
            out.push('\u{fffd}');
        } else {
            out.extend(std::iter::repeat_n('?', c.len_utf8()));
        }
    }
    std::borrow::Cow::Owned(out)
}

/// A file name as it is printed at the start of a line: escaped like any
/// user text, and quoted when it could be read as something else (a file
/// named `::error title=x::y` would start a GitHub Actions command in a CI
/// log; a leading `-` or space would be misread).
pub fn file_name(name: &str) -> String {
    let escaped = escape(name);
    let odd =
        escaped.is_empty() || escaped.starts_with([':', '-', ' ', '"']) || escaped.ends_with(' ');
    if odd {
        format!("\"{}\"", escaped.replace('"', "\\\""))
    } else {
        escaped
    }
}

/// Whether printing `c` raw could move the cursor, recolour the terminal or
/// reorder the text around it (see [`clean`]).
/// A combining diacritical mark (the Unicode blocks a decomposition leaves
/// accents in): what folding a name for comparison drops, so that "Česká"
/// and "Ceska" compare equal.
pub fn is_combining_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036f}' | '\u{1ab0}'..='\u{1aff}' | '\u{1dc0}'..='\u{1dff}' | '\u{20d0}'..='\u{20ff}' | '\u{fe20}'..='\u{fe2f}')
}

pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{200b}'..='\u{200f}' // zero-width spaces and marks
            | '\u{2028}'..='\u{202e}' // separators, bidi embeddings and overrides
            | '\u{2060}'..='\u{2069}' // word joiner, bidi isolates
            | '\u{feff}')
}

/// Euros with thousands separators, to the cent: `540000.0` -> "540,000",
/// `1234.5` -> "1,234.50" (see [`crate::money::Euros`]).
pub fn euros(amount: f64) -> String {
    match crate::money::Euros::from_f64(amount) {
        Some(euros) => euros.to_string(),
        // Beyond any budget: 1.000e308.
        None => format!("{amount:.3e}"),
    }
}

/// "1 applicant", "3 applicants".
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn combining_marks_are_the_diacritical_blocks_only() {
        for mark in [
            '\u{0300}', '\u{0301}', '\u{036f}', '\u{1ab0}', '\u{1dff}', '\u{20d0}', '\u{fe2f}',
        ] {
            assert!(is_combining_mark(mark), "{mark:?}");
        }
        // Next to the blocks: a Greek letter, a letter, a space.
        for other in ['\u{0370}', '\u{02ff}', 'e', ' ', '\u{fe30}'] {
            assert!(!is_combining_mark(other), "{other:?}");
        }
    }

    #[test]
    fn displayable_text_keeps_every_offset_and_no_control_character() {
        let text = "a = \"\u{1b}[2J\"\r\nb = \"\u{202e}x\u{85}\"\rc\t= 1\0\n";
        let shown = displayable(text);
        assert_eq!(shown.len(), text.len());
        for (i, _) in text.char_indices() {
            assert!(shown.is_char_boundary(i), "offset {i}");
        }
        assert_eq!(shown, "a = \"?[2J\"\r\nb = \"\u{fffd}x??\"?c\t= 1?\n");
        assert!(matches!(
            displayable("a = 1\n"),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn closest_finds_typos_only() {
        assert_eq!(closest("contry", ["country", "region"]), Some("country"));
        assert_eq!(
            closest("Short_Name", ["short_name", "name"]),
            Some("short_name")
        );
        assert_eq!(closest("budget", ["country", "region"]), None);
    }

    #[test]
    fn clean_escapes_controls_and_bidi() {
        assert_eq!(clean("a\u{1b}[31mb"), "a\\u{1b}[31mb");
        assert_eq!(clean("x\u{202e}y"), "x\\u{202e}y");
        assert_eq!(clean("Ελλάδα"), "Ελλάδα");
        assert_eq!(clean(&"a".repeat(100)).chars().count(), 81);
    }

    #[test]
    fn euros_group_thousands() {
        assert_eq!(euros(540000.0), "540,000");
        assert_eq!(euros(0.0), "0");
        assert_eq!(euros(1234.5), "1,234.50");
        assert_eq!(euros(100.0), "100");
    }
}

/// "IT, FR and RS" style lists.
pub fn and_list<T: AsRef<str>>(items: &[T]) -> String {
    joined(items, "and")
}

/// "registered or requested" style lists.
pub fn or_list<T: AsRef<str>>(items: &[T]) -> String {
    joined(items, "or")
}

fn joined<T: AsRef<str>>(items: &[T], word: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.as_ref().to_string(),
        [init @ .., last] => {
            let init: Vec<&str> = init.iter().map(AsRef::as_ref).collect();
            format!("{} {word} {}", init.join(", "), last.as_ref())
        }
    }
}

/// A word that mixes letters of different scripts ("Uni\u{43e}n", with a
/// Cyrillic о among Latin letters): the word, the first odd letter, its
/// script and the word's main script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MixedScripts {
    pub word: String,
    pub odd: char,
    pub odd_script: &'static str,
    pub main_script: &'static str,
}

impl MixedScripts {
    /// The value with each letter of another script than the word's own
    /// written as an escape, so that look-alikes are seen: "European
    /// Uni\u{43e}n".
    pub fn shown(&self, value: &str) -> String {
        use unicode_script::{Script, UnicodeScript};
        let main = script_named(self.main_script);
        let mut out = String::with_capacity(value.len() + 8);
        for c in value.chars() {
            let ext = c.script_extension();
            let odd = !c.is_ascii()
                && c.is_alphabetic()
                && main.is_some_and(|m| !ext.contains_script(m))
                && !matches!(c.script(), Script::Common | Script::Inherited);
            if odd || is_unsafe(c) {
                out.push_str(&format!("\\u{{{:x}}}", c as u32));
            } else {
                out.push(c);
            }
        }
        out
    }
}

fn script_named(name: &str) -> Option<unicode_script::Script> {
    unicode_script::Script::from_full_name(name)
}

/// The first word of `value` that mixes scripts, if any (UTS #39's
/// resolved script set: Japanese mixing Han and kana is one script, and
/// digits and punctuation belong to every script). Plain ASCII never does.
pub fn mixed_scripts(value: &str) -> Option<MixedScripts> {
    use unicode_script::{Script, UnicodeScript};
    use unicode_security::mixed_script::AugmentedScriptSet;
    if value.is_ascii() {
        return None;
    }
    for word in value.split(|c: char| !is_alphanumeric(c)) {
        if word.is_ascii() || one_alphabet(word) || !AugmentedScriptSet::for_str(word).is_empty() {
            continue;
        }
        // The word's main script: the one most of its letters are in.
        let mut counts: Vec<(Script, usize)> = Vec::new();
        for c in word.chars() {
            let script = c.script();
            if matches!(script, Script::Common | Script::Inherited | Script::Unknown) {
                continue;
            }
            match counts.iter_mut().find(|(s, _)| *s == script) {
                Some((_, n)) => *n += 1,
                None => counts.push((script, 1)),
            }
        }
        let Some(&(main, _)) = counts.iter().max_by_key(|(_, n)| *n) else {
            continue;
        };
        let odd = word
            .chars()
            .find(|c| {
                !matches!(c.script(), Script::Common | Script::Inherited)
                    && !c.script_extension().contains_script(main)
            })
            .unwrap_or_default();
        return Some(MixedScripts {
            word: word.to_string(),
            odd,
            odd_script: odd.script().full_name(),
            main_script: main.full_name(),
        });
    }
    None
}

#[cfg(test)]
mod list_tests {
    use super::{and_list, or_list};

    #[test]
    fn lists_read_naturally() {
        assert_eq!(and_list(&["IT"]), "IT");
        assert_eq!(and_list(&["IT", "FR", "RS"]), "IT, FR and RS");
        assert_eq!(
            or_list(&["registered", "requested"]),
            "registered or requested"
        );
        assert_eq!(and_list::<&str>(&[]), "");
    }
}

/// The alphabet of a letter or digit of the blocks most names are written
/// in, told by its code point alone: a word of one of them does not mix
/// scripts, and needs no lookup in the Unicode script tables (which were
/// a twentieth of the time of a batch check, for names like "Pôle de
/// compétitivité" or "Агро кластер"). Other characters are `Unknown`, for
/// the full check; a test holds each range to the Unicode data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Alphabet {
    /// Digits, which every script uses.
    Any,
    Latin,
    Greek,
    Cyrillic,
    Unknown,
}

fn alphabet(c: char) -> Alphabet {
    match c {
        '0'..='9' => Alphabet::Any,
        // ASCII, Latin-1 Supplement (but × and ÷), Latin Extended-A and -B.
        'a'..='z'
        | 'A'..='Z'
        | '\u{c0}'..='\u{d6}'
        | '\u{d8}'..='\u{f6}'
        | '\u{f8}'..='\u{24f}' => Alphabet::Latin,
        // Greek and Coptic, from Έ to ϡ (the Coptic letters follow), but
        // the three code points unassigned.
        '\u{388}'..='\u{38a}' | '\u{38c}' | '\u{38e}'..='\u{3a1}' | '\u{3a3}'..='\u{3e1}' => {
            Alphabet::Greek
        }
        // Cyrillic, but the sign ҂ and the combining marks U+0483 to U+0489.
        '\u{400}'..='\u{481}' | '\u{48a}'..='\u{4ff}' => Alphabet::Cyrillic,
        _ => Alphabet::Unknown,
    }
}

/// `char::is_alphanumeric`, told by code point for the letters of the
/// common alphabets (every one of them is a letter), so that splitting a
/// name into words looks up only the rarer characters in the Unicode tables.
pub fn is_alphanumeric(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || (!c.is_ascii() && (alphabet(c) != Alphabet::Unknown || c.is_alphanumeric()))
}

/// Whether every character of `word` is of one [`Alphabet`] (or a digit).
fn one_alphabet(word: &str) -> bool {
    let mut seen = Alphabet::Any;
    for c in word.chars() {
        match alphabet(c) {
            Alphabet::Any => {}
            Alphabet::Unknown => return false,
            a if seen == Alphabet::Any => seen = a,
            a if a != seen => return false,
            _ => {}
        }
    }
    true
}

#[cfg(test)]
mod mixed_script_tests {
    use super::{alphabet, mixed_scripts, one_alphabet, Alphabet};
    use unicode_script::{Script, UnicodeScript};
    use unicode_security::mixed_script::AugmentedScriptSet;

    /// Every letter and digit the quick path names is of that script in
    /// the Unicode data, and all of one alphabet together make a word of
    /// one script: the quick path says what the full check would.
    #[test]
    fn the_alphabets_agree_with_the_unicode_script_data() {
        for (alphabet_, script) in [
            (Alphabet::Latin, Script::Latin),
            (Alphabet::Greek, Script::Greek),
            (Alphabet::Cyrillic, Script::Cyrillic),
        ] {
            let letters: String = ('\0'..='\u{ffff}')
                .filter(|&c| c.is_alphanumeric() && alphabet(c) == alphabet_)
                .collect();
            assert!(letters.chars().count() > 50, "{script:?}");
            for c in letters.chars() {
                assert_eq!(c.script(), script, "{c:?}");
            }
            let word = format!("{letters}0123456789");
            assert!(one_alphabet(&word));
            assert!(!AugmentedScriptSet::for_str(&word).is_empty(), "{script:?}");
        }
        for c in '0'..='9' {
            assert_eq!((alphabet(c), c.script()), (Alphabet::Any, Script::Common));
        }
        // Every character of an alphabet is a letter or digit, and the
        // quick test says what `char::is_alphanumeric` says of every one.
        for c in '\0'..=char::MAX {
            assert_eq!(super::is_alphanumeric(c), c.is_alphanumeric(), "{c:?}");
            if alphabet(c) != Alphabet::Unknown {
                assert!(c.is_alphanumeric(), "{c:?}");
            }
        }
        // The characters at the ranges' edges that are not in them.
        for c in [
            '\u{d7}', '\u{f7}', '\u{250}', '\u{387}', '\u{38b}', '\u{38d}', '\u{3a2}', '\u{3e2}',
            '\u{482}', '\u{483}', '\u{489}', '\u{500}', 'ª',
        ] {
            assert_eq!(alphabet(c), Alphabet::Unknown, "{c:?}");
        }
        assert_eq!(alphabet('\u{48a}'), Alphabet::Cyrillic);
        assert_eq!(alphabet('\u{388}'), Alphabet::Greek);
        assert!(!one_alphabet("Uni\u{43e}n"));
        assert!(!one_alphabet("Ελλάδa"));
        assert!(!one_alphabet("東南"));
        assert!(one_alphabet("Србија2020"));
        assert!(one_alphabet("2020"));
    }

    #[test]
    fn a_look_alike_letter_of_another_script_is_found_and_shown() {
        let value = "European Uni\u{43e}n";
        let mixed = mixed_scripts(value).expect("a Cyrillic о among Latin letters");
        assert_eq!(mixed.word, "Uni\u{43e}n");
        assert_eq!(mixed.odd, '\u{43e}');
        assert_eq!((mixed.odd_script, mixed.main_script), ("Cyrillic", "Latin"));
        assert_eq!(mixed.shown(value), "European Uni\\u{43e}n");
        // A Latin letter in a Greek word, a Greek one in a Latin word.
        assert!(mixed_scripts("Ελλάδa").is_some());
        assert!(mixed_scripts("Agrif\u{3bf}od").is_some());
        // The main script is the one of most letters, wherever they are.
        let mixed = mixed_scripts("xпривет").expect("a Latin x before Cyrillic letters");
        assert_eq!(
            (mixed.odd, mixed.main_script, mixed.odd_script),
            ('x', "Cyrillic", "Latin")
        );
    }

    #[test]
    fn names_in_one_script_per_word_are_not_mixed() {
        for value in [
            "Consorzio Agrifood Cluster Italia",
            "Србија",
            "Ελληνικό Σύμπλεγμα",
            "Pôle Agroalimentaire Île-de-France",
            "東南アジア",
            "الشرق الأوسط",
            "Cluster Србија 2020",
            "Łódź AGRI4i",
            "",
        ] {
            assert_eq!(mixed_scripts(value), None, "{value}");
        }
    }
}
