//! Splitting a large consortium file into its sections (`[[partner]]`,
//! `[[target]]`, `[proposal]` and the keys before them), so that each is
//! parsed on its own. The toml crate's document tree costs about twenty
//! times the file's size; section by section, only one small tree exists at
//! a time, and memory stays close to the size of the text and the model.
//!
//! Headers are found by a scan that knows TOML's strings, comments and
//! brackets, so a `[` inside a string or a multi-line array is never taken
//! for one. Only the simple layout is split:
//! bare `[proposal]` (once), `[[partner]]` and `[[target]]` headers. Any
//! other header (`[partner.x]`, quoted keys, a second `[proposal]`, ...)
//! returns `None`, and the caller parses the whole document at once, so
//! TOML's rules about redefining tables are always applied by the parser.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// The keys before the first header.
    Root,
    Proposal,
    Partner,
    Target,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Section {
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
}

/// The sections of `text`, in order, or `None` if its layout is not the
/// simple one (then it must be parsed whole).
///
/// A byte scan that knows just enough of TOML's lexical rules to find the
/// headers: strings (basic, literal, multi-line, with escapes), comments
/// and the nesting of arrays and inline tables. It runs at memory speed,
/// before the sections are parsed in parallel; `tests/sections.rs` checks
/// that what it splits parses to what the whole document does.
pub(super) fn split(text: &str) -> Option<Vec<Section>> {
    let bytes = text.as_bytes();
    let mut sections = vec![Section {
        start: 0,
        end: text.len(),
        kind: Kind::Root,
    }];
    let mut depth = 0usize;
    let mut line_start = true;
    let mut proposal_seen = false;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => {
                if depth == 0 {
                    line_start = true;
                }
                i += 1;
            }
            b' ' | b'\t' => i += 1,
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => i += 1,
            b'#' => i = line_end(bytes, i),
            b'"' | b'\'' => {
                i = string_end(bytes, i);
                line_start = false;
            }
            b'[' if depth == 0 && line_start => {
                let (kind, end) = header(bytes, i)?;
                if kind == Kind::Proposal {
                    if proposal_seen {
                        return None;
                    }
                    proposal_seen = true;
                }
                if let Some(last) = sections.last_mut() {
                    last.end = i;
                }
                sections.push(Section {
                    start: i,
                    end: text.len(),
                    kind,
                });
                line_start = false;
                i = end;
            }
            b'[' | b'{' => {
                depth += 1;
                line_start = false;
                i += 1;
            }
            b']' | b'}' => {
                depth = depth.saturating_sub(1);
                line_start = false;
                i += 1;
            }
            _ => {
                line_start = false;
                i += 1;
            }
        }
    }
    Some(sections)
}

/// Where the line holding `from` ends (at its `\n`, or the end of the text).
fn line_end(bytes: &[u8], from: usize) -> usize {
    bytes[from..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |n| from + n)
}

/// Where the string that opens at `from` ends (just after its closing
/// quote). A one-line string that is not closed ends at its line's end, as
/// the TOML lexer ends it; a multi-line one at the end of the text.
fn string_end(bytes: &[u8], from: usize) -> usize {
    let quote = bytes[from];
    let escapes = quote == b'"';
    let multi = bytes.get(from + 1) == Some(&quote) && bytes.get(from + 2) == Some(&quote);
    let mut i = from + if multi { 3 } else { 1 };
    while i < bytes.len() {
        let b = bytes[i];
        if escapes && b == b'\\' {
            // An escape; a one-line string cannot continue past its line.
            if !multi && bytes.get(i + 1) == Some(&b'\n') {
                return i + 1;
            }
            i += 2;
        } else if b == quote {
            if !multi {
                return i + 1;
            }
            // A multi-line string may end with up to two quotes of its own:
            // the closing delimiter is the last three of the run.
            let run = bytes[i..].iter().take_while(|&&c| c == quote).count();
            if run >= 3 {
                return i + run;
            }
            i += run;
        } else if b == b'\n' && !multi {
            return i;
        } else {
            i += 1;
        }
    }
    bytes.len()
}

/// Reads the header that opens at `from`: its kind and where it ends, or
/// `None` unless it is one of the three simple ones.
fn header(bytes: &[u8], from: usize) -> Option<(Kind, usize)> {
    let blank = |mut i: usize| {
        while matches!(bytes.get(i), Some(b' ' | b'\t')) {
            i += 1;
        }
        i
    };
    let mut i = blank(from + 1);
    let array = bytes.get(i) == Some(&b'[');
    if array {
        i = blank(i + 1);
    }
    let name_start = i;
    while bytes
        .get(i)
        .is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-'))
    {
        i += 1;
    }
    let name = &bytes[name_start..i];
    i = blank(i);
    if bytes.get(i) != Some(&b']') {
        return None;
    }
    i += 1;
    if array {
        i = blank(i);
        if bytes.get(i) != Some(&b']') {
            return None;
        }
        i += 1;
    }
    let kind = match (name, array) {
        (b"proposal", false) => Kind::Proposal,
        (b"partner", true) => Kind::Partner,
        (b"target", true) => Kind::Target,
        _ => return None,
    };
    Some((kind, i))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Option<Vec<(Kind, &str)>> {
        split(text).map(|s| s.iter().map(|s| (s.kind, &text[s.start..s.end])).collect())
    }

    #[test]
    fn splits_at_the_simple_headers() {
        let text = "call = \"X\"\n[proposal]\na = 1\n  [[partner]] # c\nb = 2\n[[target]]\nc = 3\n";
        assert_eq!(
            kinds(text).unwrap(),
            vec![
                (Kind::Root, "call = \"X\"\n"),
                (Kind::Proposal, "[proposal]\na = 1\n  "),
                (Kind::Partner, "[[partner]] # c\nb = 2\n"),
                (Kind::Target, "[[target]]\nc = 3\n"),
            ]
        );
    }

    #[test]
    fn brackets_in_strings_and_arrays_are_not_headers() {
        let text = "a = \"\"\"\n[[partner]]\n\"\"\"\nb = [\n[1],\n]\n[[partner]]\nx = 1\n";
        let sections = kinds(text).unwrap();
        assert_eq!(sections.len(), 2, "{sections:?}");
        assert_eq!(sections[1], (Kind::Partner, "[[partner]]\nx = 1\n"));
    }

    #[test]
    fn quotes_escapes_and_comments_do_not_hide_or_invent_headers() {
        let text = concat!(
            "a = \"x\\\"[[partner]]\" # \"[[partner]]\n",
            "b = 'c:\\' # '\n",
            "c = '''\n[[partner]]\n''''\n",
            "d = \"\"\"q\"\"\"\"\" # ends after five quotes\n",
            "e = [ # [\n  \"]\", { f = \"}\" },\n]\n",
            "[[partner]]\nx = 1\n",
        );
        let sections = kinds(text).unwrap();
        assert_eq!(sections.len(), 2, "{sections:?}");
        assert_eq!(sections[1], (Kind::Partner, "[[partner]]\nx = 1\n"));
        // Every byte is in exactly one section, in order.
        let joined: String = sections.iter().map(|(_, s)| *s).collect();
        assert_eq!(joined, text);
    }

    #[test]
    fn other_layouts_are_parsed_whole() {
        for text in [
            "[partner]\nx = 1\n",
            "[[partner.sub]]\nx = 1\n",
            "[\"partner\"]\n",
            "[proposal]\n[proposal]\n",
            "[[proposal]]\n",
            "[other]\n",
        ] {
            assert_eq!(split(text), None, "{text}");
        }
    }
}
