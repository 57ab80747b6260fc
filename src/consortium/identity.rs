//! When two applicants are the same organisation: the one definition used
//! within a file (`duplicate-partner`) and across files (`one-consortium`).
//!
//! Legal names are compared without case, accents, spacing or punctuation,
//! and with the usual abbreviations of legal forms written one way:
//! "Cluster Bayern e.V." and "CLUSTER BAYERN E. V." are one organisation,
//! as are "Agrifood S.A.S." and "AGRIFOOD SAS", or "ΚΛΑΣΤΕΡ ΑΘΗΝΑΣ" and
//! "Κλάστερ Αθηνάς".

/// Legal forms written out in full, and the abbreviation they stand for.
/// Matched as whole words, after case and accents are removed.
const LEGAL_FORMS: &[(&[&str], &str)] = &[
    (&["limited"], "ltd"),
    (&["incorporated"], "inc"),
    (&["corporation"], "corp"),
    (&["company"], "co"),
    (&["gesellschaft", "mit", "beschrankter", "haftung"], "gmbh"),
    (&["eingetragener", "verein"], "ev"),
    (&["eingetragene", "genossenschaft"], "eg"),
    (&["aktiengesellschaft"], "ag"),
    (&["sociedad", "limitada"], "sl"),
    (&["sociedad", "anonima"], "sa"),
    (&["societe", "anonyme"], "sa"),
    (&["societe", "par", "actions", "simplifiee"], "sas"),
    (&["societa", "a", "responsabilita", "limitata"], "srl"),
    (&["societa", "per", "azioni"], "spa"),
    (&["besloten", "vennootschap"], "bv"),
    (&["naamloze", "vennootschap"], "nv"),
    (&["association", "sans", "but", "lucratif"], "asbl"),
    (&["vereniging", "zonder", "winstoogmerk"], "vzw"),
    (
        &["spolka", "z", "ograniczona", "odpowiedzialnoscia"],
        "spzoo",
    ),
];

/// The key under which two legal names are the same organisation.
pub fn organisation(name: &str) -> String {
    let words = words(name);
    // Runs of one-letter words are an abbreviation written with points or
    // spaces: "e. V." and "S.A.S." are "ev" and "sas".
    let mut joined: Vec<String> = Vec::with_capacity(words.len());
    let mut letters = String::new();
    for word in words {
        if word.chars().count() == 1 {
            letters.push_str(&word);
        } else {
            if !letters.is_empty() {
                joined.push(std::mem::take(&mut letters));
            }
            joined.push(word);
        }
    }
    if !letters.is_empty() {
        joined.push(letters);
    }
    let mut key = String::with_capacity(name.len());
    let mut i = 0;
    'words: while i < joined.len() {
        for (full, short) in LEGAL_FORMS {
            let end = i + full.len();
            if end <= joined.len() && joined[i..end].iter().zip(full.iter()).all(|(a, b)| a == b) {
                key.push_str(short);
                i = end;
                continue 'words;
            }
        }
        key.push_str(&joined[i]);
        i += 1;
    }
    key
}

/// The key under which two short names are the same (the format asks for
/// short names unique in the file, case-insensitive): case, accents, spacing and punctuation ignored.
pub fn short_name(name: &str) -> String {
    words(name).concat()
}

/// The words of a name: lower case, accents removed, split at anything that
/// is not a letter or a digit.
fn words(name: &str) -> Vec<String> {
    if name.is_ascii() {
        // The same words, without the Unicode decomposition most names
        // do not need (it was a tenth of the time of a batch check).
        return name
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_ascii_lowercase)
            .collect();
    }
    // Each character decomposed on its own: the combining marks it yields
    // are dropped, so their canonical order (what a whole-string NFKD pass
    // would sort out, at a cost) does not matter.
    split(name.chars().flat_map(|c| {
        let mut parts = smallchars::Parts::new();
        if c.is_ascii() {
            parts.push(c);
        } else {
            unicode_normalization::char::decompose_compatible(c, |d| parts.push(d));
        }
        parts
    }))
}

/// The characters one character decomposes into, without allocating for
/// the usual one to three.
mod smallchars {
    pub struct Parts {
        inline: [char; 4],
        len: usize,
        more: Vec<char>,
        at: usize,
    }

    impl Parts {
        pub fn new() -> Parts {
            Parts {
                inline: ['\0'; 4],
                len: 0,
                more: Vec::new(),
                at: 0,
            }
        }

        pub fn push(&mut self, c: char) {
            if self.len < 4 {
                self.inline[self.len] = c;
            } else {
                self.more.push(c);
            }
            self.len += 1;
        }
    }

    impl Iterator for Parts {
        type Item = char;
        fn next(&mut self) -> Option<char> {
            let i = self.at;
            if i >= self.len {
                return None;
            }
            self.at += 1;
            Some(if i < 4 {
                self.inline[i]
            } else {
                self.more[i - 4]
            })
        }
    }
}

/// The words of decomposed text (see [`words`]).
fn split(chars: impl Iterator<Item = char>) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    for c in chars {
        if crate::text::is_combining_mark(c) {
            continue;
        }
        if crate::text::is_alphanumeric(c) {
            for lower in c.to_lowercase() {
                // Greek final sigma is the same letter as sigma.
                word.push(if lower == 'ς' { 'σ' } else { lower });
            }
        } else if !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Decomposing each character on its own gives the words a whole-text
    /// NFKD pass gives (the marks it reorders are dropped anyway).
    #[test]
    fn decomposing_each_character_gives_the_words_of_nfkd() {
        use unicode_normalization::UnicodeNormalization;
        for name in [
            "Pôle de compétitivité Valorial",
            "Clúster Alimentario de Galicia",
            "Агро кластер Србије",
            "ΚΛΑΣΤΕΡ ΑΘΗΝΑΣ Κλάστερ Αθηνάς",
            "Tiếng Việt có dấu ặ ờ ử",
            "ﬁnance ＡＧＲＩ ① ǅ",
            "Łódź Spółka z o.o.",
            "a\u{0323}\u{0302} o\u{0302}\u{0323}",
            "Ærø Øresund Straße",
        ] {
            assert_eq!(words(name), split(name.nfkd()), "{name}");
        }
    }

    fn same(a: &str, b: &str) -> bool {
        organisation(a) == organisation(b)
    }

    #[test]
    fn legal_names_match_across_case_spacing_punctuation_and_accents() {
        assert!(same("Cluster Bayern e.V.", "CLUSTER  BAYERN E. V."));
        assert!(same("Agrifood S.A.S.", "AGRIFOOD SAS"));
        assert!(same(
            "Agrifood SAS",
            "Agrifood Société par actions simplifiée"
        ));
        assert!(same("Metal GmbH", "Metal G.m.b.H."));
        assert!(same(
            "Metal GmbH",
            "Metal Gesellschaft mit beschränkter Haftung"
        ));
        assert!(same(
            "Clúster Agroalimentario S.L.",
            "Cluster agroalimentario SL"
        ));
        assert!(same("Food Cluster Ltd.", "Food Cluster Limited"));
        assert!(same("ΚΛΑΣΤΕΡ ΑΘΗΝΑΣ", "κλαστερ αθηνας"));
        assert!(same("ΚΛΑΣΤΕΡ ΑΘΗΝΑΣ", "Κλάστερ Αθηνάς"));
        assert!(same(
            "Consorzio Agrifood - Cluster Italia",
            "Consorzio Agrifood Cluster Italia"
        ));
    }

    #[test]
    fn different_organisations_stay_different() {
        assert!(!same("Agrifood Cluster Italia", "Agrifood Cluster France"));
        assert!(!same("Metal GmbH", "Metal AG"));
        assert!(!same("Cluster 1", "Cluster 2"));
    }

    #[test]
    fn ascii_names_split_as_the_unicode_path_splits_them() {
        // The ASCII fast path must agree with the general one: a name with
        // one accented letter takes the general path for the whole name.
        for (ascii, accented) in [
            ("Cluster Bayern e.V. -- 2", "Clüster Bayern e.V. -- 2"),
            ("  AGRI_IT/food  ", "  AGRÍ_IT/food  "),
        ] {
            assert_eq!(words(ascii), words(accented));
        }
        assert_eq!(words("Agri-IT e.V."), ["agri", "it", "e", "v"]);
        // Already decomposed, or not: the same words.
        assert_eq!(words("Агро кластер"), ["агро", "кластер"]);
        assert_eq!(words("Κλάστερ"), words("Κλαστερ"));
        assert_eq!(words("Κλα\u{301}στερ"), words("Κλαστερ"));
    }

    #[test]
    fn short_names_ignore_case_and_punctuation() {
        assert_eq!(short_name("AGRI-IT"), short_name("agri it"));
        assert_ne!(short_name("AGRI-IT"), short_name("AGRI-FR"));
    }
}
