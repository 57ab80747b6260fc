//! Splitting a large consortium file into its sections (`[[partner]]`,
//! `[[target]]`, `[proposal]` and the keys before them), so that each is
//! parsed on its own. The toml crate's document tree costs about twenty
//! times the file's size; section by section, only one small tree exists at
//! a time, and memory stays close to the size of the text and the model.
//!
//! Headers are found with toml's own lexer, so a `[` inside a string or a
//! multi-line array is never taken for one. Only the simple layout is split:
//! bare `[proposal]` (once), `[[partner]]` and `[[target]]` headers. Any
//! other header (`[partner.x]`, quoted keys, a second `[proposal]`, ...)
//! returns `None`, and the caller parses the whole document at once, so
//! TOML's rules about redefining tables are always applied by the parser.

use toml_parser::lexer::{Token, TokenKind};

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
pub(super) fn split(text: &str) -> Option<Vec<Section>> {
    let source = toml_parser::Source::new(text);
    let mut tokens = source.lex();
    let mut sections = vec![Section {
        start: 0,
        end: text.len(),
        kind: Kind::Root,
    }];
    let mut depth = 0usize;
    let mut line_start = true;
    let mut proposal_seen = false;
    while let Some(token) = tokens.next() {
        match token.kind() {
            TokenKind::Newline => {
                if depth == 0 {
                    line_start = true;
                }
            }
            TokenKind::Whitespace | TokenKind::Comment => {}
            TokenKind::LeftSquareBracket if depth == 0 && line_start => {
                let start = token.span().start();
                let kind = header(text, &mut tokens)?;
                if kind == Kind::Proposal {
                    if proposal_seen {
                        return None;
                    }
                    proposal_seen = true;
                }
                if let Some(last) = sections.last_mut() {
                    last.end = start;
                }
                sections.push(Section {
                    start,
                    end: text.len(),
                    kind,
                });
                line_start = false;
            }
            TokenKind::LeftSquareBracket | TokenKind::LeftCurlyBracket => {
                depth += 1;
                line_start = false;
            }
            TokenKind::RightSquareBracket | TokenKind::RightCurlyBracket => {
                depth = depth.saturating_sub(1);
                line_start = false;
            }
            TokenKind::Eof => break,
            _ => line_start = false,
        }
    }
    Some(sections)
}

/// Reads a header after its first `[`; `None` unless it is one of the three
/// simple ones.
fn header(text: &str, tokens: &mut impl Iterator<Item = Token>) -> Option<Kind> {
    let mut next = || tokens.find(|t| t.kind() != TokenKind::Whitespace);
    let mut token = next()?;
    let array = token.kind() == TokenKind::LeftSquareBracket;
    if array {
        token = next()?;
    }
    if token.kind() != TokenKind::Atom {
        return None;
    }
    let name = text.get(token.span().start()..token.span().end())?;
    if next()?.kind() != TokenKind::RightSquareBracket {
        return None;
    }
    if array && next()?.kind() != TokenKind::RightSquareBracket {
        return None;
    }
    match (name, array) {
        ("proposal", false) => Some(Kind::Proposal),
        ("partner", true) => Some(Kind::Partner),
        ("target", true) => Some(Kind::Target),
        _ => None,
    }
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
