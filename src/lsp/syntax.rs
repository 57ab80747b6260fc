//! What the cursor is on: a table header, a key, or a key's value, and in
//! which table. Read from the lines around the cursor with a small lexer,
//! not from a parse of the document, so that it works on a file that is
//! half-written and not valid TOML (the usual state of a file being typed).

use crate::consortium::keys::Table;
use crate::source::Span;

/// A token of one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub kind: Kind,
    /// Byte offsets in the document.
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A bare word: a key, a number, a boolean, a date.
    Bare,
    /// A string; `closed` when its closing quote is on the line.
    Str {
        closed: bool,
    },
    Eq,
    Comma,
    OpenBracket,
    CloseBracket,
    OpenBrace,
    CloseBrace,
    Comment,
}

/// Splits one line (`line` is its text, `at` its offset in the document).
pub fn tokens(line: &str, at: usize) -> Vec<Token> {
    let bytes = line.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let start = i;
        let kind = match b {
            b' ' | b'\t' | b'\r' | b'\n' => {
                i += 1;
                continue;
            }
            b'#' => {
                i = bytes.len();
                Kind::Comment
            }
            b'"' | b'\'' => {
                let triple = bytes[i..].starts_with(if b == b'"' { b"\"\"\"" } else { b"'''" });
                i += if triple { 3 } else { 1 };
                let mut closed = false;
                while i < bytes.len() {
                    if b == b'"' && bytes[i] == b'\\' {
                        i += 2;
                        continue;
                    }
                    if bytes[i] == b {
                        if !triple {
                            i += 1;
                            closed = true;
                            break;
                        }
                        if bytes[i..].starts_with(&[b, b, b]) {
                            i += 3;
                            closed = true;
                            break;
                        }
                    }
                    i += 1;
                }
                i = i.min(bytes.len());
                Kind::Str { closed }
            }
            b'=' | b',' | b'[' | b']' | b'{' | b'}' => {
                i += 1;
                match b {
                    b'=' => Kind::Eq,
                    b',' => Kind::Comma,
                    b'[' => Kind::OpenBracket,
                    b']' => Kind::CloseBracket,
                    b'{' => Kind::OpenBrace,
                    _ => Kind::CloseBrace,
                }
            }
            _ => {
                while i < bytes.len()
                    && !matches!(
                        bytes[i],
                        b' ' | b'\t'
                            | b'\r'
                            | b'\n'
                            | b'#'
                            | b'"'
                            | b'\''
                            | b'='
                            | b','
                            | b'['
                            | b']'
                            | b'{'
                            | b'}'
                    )
                {
                    i += 1;
                }
                Kind::Bare
            }
        };
        // Every boundary above is an ASCII byte or the end of the line, so
        // spans never cut a character, except after a backslash escape at
        // the end of the line, clamped above.
        let mut end = i;
        while !line.is_char_boundary(end) {
            end += 1;
        }
        out.push(Token {
            kind,
            span: start + at..end + at,
        });
        i = end;
    }
    out
}

/// The text of a key token: a bare key, or a quoted key without its quotes.
fn key_text(text: &str, token: &Token) -> String {
    let raw = &text[token.span.clone()];
    match token.kind {
        Kind::Str { .. } => unquote(raw).0.to_string(),
        // A dotted key (`a.b`): its last part.
        _ => raw.rsplit('.').next().unwrap_or(raw).trim().to_string(),
    }
}

/// A string token's content (without quotes) and the offset of the content
/// in the token.
fn unquote(raw: &str) -> (&str, usize) {
    for quote in ["\"\"\"", "'''", "\"", "'"] {
        if let Some(rest) = raw.strip_prefix(quote) {
            let content = rest.strip_suffix(quote).unwrap_or(rest);
            return (content, quote.len());
        }
    }
    (raw, 0)
}

/// The table a header line opens, if the line is a header:
/// `Some(Some(table))` for the format's tables, `Some(None)` for another.
pub fn header(line: &str) -> Option<Option<Table>> {
    let trimmed = line.trim_start();
    if !trimmed.starts_with('[') {
        return None;
    }
    let inner: String = trimmed
        .split('#')
        .next()
        .unwrap_or("")
        .chars()
        .filter(|c| !matches!(c, '[' | ']' | ' ' | '\t' | '"' | '\''))
        .collect();
    let double = trimmed.starts_with("[[");
    Some(match (inner.trim_end_matches('\r'), double) {
        ("proposal", false) => Some(Table::Proposal),
        ("partner", true) => Some(Table::Partner),
        ("target", true) => Some(Table::Target),
        _ => None,
    })
}

/// The lines of a text with their offsets (`\n` line breaks; a `\r` before
/// one stays on the line, where the lexer skips it).
fn lines(text: &str) -> impl DoubleEndedIterator<Item = (usize, &str)> {
    // The offset of each line from where it lies in `text` (read in either
    // direction).
    let base = text.as_ptr() as usize;
    text.split('\n')
        .map(move |line| (line.as_ptr() as usize - base, line))
}

/// `offset` clamped to the text and moved back to a character's start.
pub fn boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// The line that holds `offset`: its start and its text.
pub fn line_at(text: &str, offset: usize) -> (usize, &str) {
    let offset = boundary(text, offset);
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    (start, &text[start..end])
}

/// The table the line starting at `line_start` belongs to: that of the
/// nearest header above it (`None` for a table the format does not have).
pub fn table_at(text: &str, line_start: usize) -> Option<Table> {
    for (_, line) in lines(&text[..line_start]).rev() {
        if let Some(table) = header(line) {
            return table;
        }
    }
    Some(Table::Root)
}

/// Where the cursor is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum At {
    /// On a table header line; `span` is the line's text up to its end.
    Header {
        span: Span,
    },
    /// On a key, or where a key is written (`span` empty at the cursor).
    Key {
        table: Table,
        name: String,
        span: Span,
    },
    /// On a value of `key`, or where it is written.
    Value {
        table: Table,
        key: String,
        key_span: Span,
        value: Option<Val>,
    },
    Nothing,
}

/// A value token under the cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Val {
    /// The whole token, quotes included.
    pub span: Span,
    /// The content: inside the quotes for a string, else the token.
    pub content: Span,
    pub quoted: bool,
    /// The content as written (escapes not decoded).
    pub text: String,
}

/// What is at byte `offset` of `text`. `strict` asks for a token the
/// cursor is on (hover); otherwise the cursor may stand right after a
/// token or in the blank where a key or value is to be typed (completion).
pub fn at(text: &str, offset: usize, strict: bool) -> At {
    let offset = boundary(text, offset);
    let (start, line) = line_at(text, offset);
    if header(line).is_some() {
        return At::Header {
            span: start..start + line.trim_end_matches('\r').len(),
        };
    }
    let Some(table) = table_at(text, start) else {
        return At::Nothing;
    };
    let tokens = tokens(line, start);
    // The token under the cursor: one it is inside, else (not strict) one
    // that ends at the cursor.
    let on = tokens
        .iter()
        .position(|t| t.span.start <= offset && offset < t.span.end)
        .or_else(|| {
            (!strict)
                .then(|| tokens.iter().position(|t| t.span.end == offset))
                .flatten()
        });
    if let Some(i) = on {
        if tokens[i].kind == Kind::Comment {
            return At::Nothing;
        }
        // A closed string the cursor stands after is not being typed in.
        if !strict && tokens[i].span.end == offset && tokens[i].kind == (Kind::Str { closed: true })
        {
            return At::Nothing;
        }
    }
    if let Some(comment) = tokens.iter().find(|t| t.kind == Kind::Comment) {
        if offset >= comment.span.start {
            return At::Nothing;
        }
    }
    if strict && on.is_none() {
        return At::Nothing;
    }
    // Walk the line up to the cursor, keeping the enclosing tables, arrays
    // and the key being written or valued.
    let upto = on.unwrap_or_else(|| tokens.iter().take_while(|t| t.span.end <= offset).count());
    let mut frames = continued(text, start, table);
    for token in &tokens[..upto] {
        step(&mut frames, text, token);
    }
    let frame = frames.last().cloned().unwrap_or(Frame::Table {
        table,
        expecting_key: true,
        key: None,
    });
    let token = on.map(|i| &tokens[i]);
    match frame {
        Frame::Table {
            table,
            expecting_key: true,
            ..
        } => match token {
            Some(t) if matches!(t.kind, Kind::Bare | Kind::Str { .. }) => At::Key {
                table,
                name: key_text(text, t),
                span: t.span.clone(),
            },
            Some(_) => At::Nothing,
            None => At::Key {
                table,
                name: String::new(),
                span: offset..offset,
            },
        },
        Frame::Table {
            table,
            key: Some((key, key_span)),
            ..
        }
        | Frame::Array {
            table,
            key: (key, key_span),
        } => At::Value {
            table,
            key,
            key_span,
            value: match token {
                Some(t) if matches!(t.kind, Kind::Bare | Kind::Str { .. }) => Some(val(text, t)),
                Some(_) => return At::Nothing,
                None => None,
            },
        },
        Frame::Table { key: None, .. } => At::Nothing,
    }
}

fn val(text: &str, token: &Token) -> Val {
    let raw = &text[token.span.clone()];
    let (content, skip) = match token.kind {
        Kind::Str { .. } => unquote(raw),
        _ => (raw, 0),
    };
    let from = token.span.start + skip;
    Val {
        span: token.span.clone(),
        content: from..from + content.len(),
        quoted: matches!(token.kind, Kind::Str { .. }),
        text: content.to_string(),
    }
}

#[derive(Debug, Clone)]
enum Frame {
    Table {
        table: Table,
        expecting_key: bool,
        key: Option<(String, Span)>,
    },
    Array {
        table: Table,
        key: (String, Span),
    },
}

fn step(frames: &mut Vec<Frame>, text: &str, token: &Token) {
    let nested = frames.len() > 1;
    let Some(top) = frames.last_mut() else {
        return;
    };
    match (top, token.kind) {
        (
            Frame::Table {
                expecting_key: true,
                key,
                ..
            },
            Kind::Bare | Kind::Str { .. },
        ) => *key = Some((key_text(text, token), token.span.clone())),
        (Frame::Table { expecting_key, .. }, Kind::Eq) => *expecting_key = false,
        (Frame::Table { table, key, .. }, Kind::OpenBracket) => {
            if let Some(key) = key.clone() {
                let table = *table;
                frames.push(Frame::Array { table, key });
            }
        }
        (Frame::Array { .. }, Kind::CloseBracket) => {
            frames.pop();
        }
        (top, Kind::OpenBrace) => {
            let (outer, key) = match top {
                Frame::Table { table, key, .. } => (*table, key.clone()),
                Frame::Array { table, key } => (*table, Some(key.clone())),
            };
            // `partner = [{ ... }]`: the inline tables are entries.
            let table = match (outer, key.as_ref().map(|k| k.0.as_str())) {
                (Table::Root, Some("proposal")) => Table::Proposal,
                (Table::Root, Some("partner")) => Table::Partner,
                (Table::Root, Some("target")) => Table::Target,
                (other, _) => other,
            };
            frames.push(Frame::Table {
                table,
                expecting_key: true,
                key: None,
            });
        }
        (Frame::Table { .. }, Kind::CloseBrace) if nested => {
            frames.pop();
        }
        (
            Frame::Table {
                expecting_key, key, ..
            },
            Kind::Comma,
        ) => {
            *expecting_key = true;
            *key = None;
        }
        _ => {}
    }
}

/// The frames a line starts in: a line inside a multi-line array
/// (`actions = [` on an earlier line) continues that key's value.
fn continued(text: &str, line_start: usize, table: Table) -> Vec<Frame> {
    let plain = vec![Frame::Table {
        table,
        expecting_key: true,
        key: None,
    }];
    let mut depth: i64 = 0;
    for (at, line) in lines(&text[..line_start]).rev().skip(1).take(200) {
        if header(line).is_some() {
            break;
        }
        let tokens = tokens(line, at);
        for t in &tokens {
            match t.kind {
                Kind::OpenBracket => depth += 1,
                Kind::CloseBracket => depth -= 1,
                _ => {}
            }
        }
        if let [key, eq, ..] = tokens.as_slice() {
            if eq.kind == Kind::Eq && matches!(key.kind, Kind::Bare | Kind::Str { .. }) {
                if depth > 0 {
                    let key = (key_text(text, key), key.span.clone());
                    return vec![
                        Frame::Table {
                            table,
                            expecting_key: false,
                            key: Some(key.clone()),
                        },
                        Frame::Array { table, key },
                    ];
                }
                break;
            }
        }
    }
    plain
}

/// The value of a top-level string key (`call`, `strand`) as written, and
/// its span (quotes included): read from the lines before the first header.
pub fn top_value(text: &str, key: &str) -> Option<(String, Span)> {
    for (at, line) in lines(text) {
        if header(line).is_some() {
            break;
        }
        let tokens = tokens(line, at);
        if let [k, eq, v, ..] = tokens.as_slice() {
            if eq.kind == Kind::Eq
                && matches!(k.kind, Kind::Bare | Kind::Str { .. })
                && key_text(text, k) == key
                && matches!(v.kind, Kind::Str { .. })
            {
                return Some((val(text, v).text, v.span.clone()));
            }
        }
    }
    None
}

/// The keys already written in the entry (table) that holds `offset`, from
/// its header to the next.
pub fn keys_of_entry(text: &str, offset: usize) -> Vec<String> {
    let (start, _) = line_at(text, offset);
    let mut keys = Vec::new();
    let mut take = |at: usize, line: &str| {
        let tokens = tokens(line, at);
        if let [k, eq, ..] = tokens.as_slice() {
            if eq.kind == Kind::Eq && matches!(k.kind, Kind::Bare | Kind::Str { .. }) {
                keys.push(key_text(text, k));
            }
        }
    };
    for (at, line) in lines(&text[..start]).rev().skip(1) {
        if header(line).is_some() {
            break;
        }
        take(at, line);
    }
    for (at, line) in lines(&text[start..]).skip(1) {
        if header(line).is_some() {
            break;
        }
        take(start + at, line);
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `text` with `|` marking the cursor.
    fn at_cursor(marked: &str, strict: bool) -> (At, String) {
        let offset = marked.find('|').expect("a cursor");
        let text = marked.replacen('|', "", 1);
        (at(&text, offset, strict), text)
    }

    fn key(marked: &str) -> (Table, String) {
        match at_cursor(marked, false).0 {
            At::Key { table, name, .. } => (table, name),
            other => panic!("not a key: {other:?}"),
        }
    }

    fn value(marked: &str, strict: bool) -> (Table, String, Option<String>) {
        match at_cursor(marked, strict).0 {
            At::Value {
                table, key, value, ..
            } => (table, key, value.map(|v| v.text)),
            other => panic!("not a value: {other:?}"),
        }
    }

    #[test]
    fn keys_and_values_in_each_table() {
        let file = "call = \"COS\"\n[proposal]\nacronym = \"A\"\n[[partner]]\ncountry = \"DE\"\n[[target]]\ncountry = \"JP\"\n";
        let cursor = |needle: &str, shift: usize| {
            let i = file.find(needle).unwrap() + shift;
            format!("{}|{}", &file[..i], &file[i..])
        };
        assert_eq!(key(&cursor("call", 2)), (Table::Root, "call".into()));
        assert_eq!(
            key(&cursor("acronym", 0)),
            (Table::Proposal, "acronym".into())
        );
        assert_eq!(
            value(&cursor("\"DE", 2), true),
            (Table::Partner, "country".into(), Some("DE".into()))
        );
        assert_eq!(
            value(&cursor("\"JP", 1), true),
            (Table::Target, "country".into(), Some("JP".into()))
        );
        assert_eq!(
            value(&cursor("\"COS", 0), true),
            (Table::Root, "call".into(), Some("COS".into()))
        );
    }

    #[test]
    fn half_written_lines_in_a_broken_file() {
        // Not valid TOML: an unterminated string, a key without a value.
        assert_eq!(
            value("[[partner]]\ntype = \"clus|", false),
            (Table::Partner, "type".into(), Some("clus".into()))
        );
        assert_eq!(
            value("[[partner]]\neccp = |\nname = ", false),
            (Table::Partner, "eccp".into(), None)
        );
        assert_eq!(key("[[partner]]\ncou|"), (Table::Partner, "cou".into()));
        assert_eq!(key("[[target]]\n|"), (Table::Target, String::new()));
        assert_eq!(
            at_cursor("[[partner]]\ncountry = \"DE\" # a comment |", false).0,
            At::Nothing
        );
        assert!(matches!(at_cursor("[[part|", false).0, At::Header { .. }));
        assert_eq!(at_cursor("[other]\nx = |", false).0, At::Nothing);
    }

    #[test]
    fn arrays_inline_tables_and_quoted_keys() {
        assert_eq!(
            value("[proposal]\nactions = [\"preparatory\", \"impl|\"]", false),
            (Table::Proposal, "actions".into(), Some("impl".into()))
        );
        assert_eq!(
            value(
                "[proposal]\nactions = [\n  \"preparatory\",\n  \"|\n",
                false
            ),
            (Table::Proposal, "actions".into(), Some(String::new()))
        );
        assert_eq!(
            value(
                "partner = [{ short_name = \"A\", country = \"D|\" }]",
                false
            ),
            (Table::Partner, "country".into(), Some("D".into()))
        );
        assert_eq!(
            key("partner = [{ short_name = \"A\", ty| }]"),
            (Table::Partner, "ty".into())
        );
        assert_eq!(
            value("[[partner]]\n\"country\" = \"F|R\"", true),
            (Table::Partner, "country".into(), Some("FR".into()))
        );
    }

    #[test]
    fn greek_text_and_crlf_do_not_shift_the_cursor() {
        let (at, text) = at_cursor(
            "[[partner]]\r\nname = \"Ελληνικό Σύμπλεγμα\"\r\ncountry = \"E|L\"\r\n",
            true,
        );
        let At::Value {
            value: Some(v),
            key,
            ..
        } = at
        else {
            panic!("not a value");
        };
        assert_eq!(key, "country");
        assert_eq!(&text[v.span], "\"EL\"");
        assert_eq!(&text[v.content], "EL");
    }

    #[test]
    fn top_values_and_the_keys_of_an_entry() {
        let text = "# c\ncall = \"X-1\" # the call\nstrand = 'A'\n[[partner]]\nname = \"n\"\ncountry = \"DE\"\n[[partner]]\ntype = \"other\"\n";
        let (call, span) = top_value(text, "call").unwrap();
        assert_eq!(call, "X-1");
        assert_eq!(&text[span], "\"X-1\"");
        assert_eq!(top_value(text, "strand").unwrap().0, "A");
        assert_eq!(top_value(text, "proposal"), None);
        // The keys of the entry but the one on the cursor's line.
        let inside = text.find("country").unwrap();
        assert_eq!(keys_of_entry(text, inside), ["name"]);
        let below = text.find("name").unwrap();
        assert_eq!(keys_of_entry(text, below), ["country"]);
    }

    #[test]
    fn any_text_any_offset_never_panics() {
        let texts = [
            "",
            "\"",
            "a = \"\\",
            "[[",
            "x = [[[{{{",
            "é = 'ü",
            "a = \"\"\"\nmulti\n\"\"\"",
            "\r\r\n\n",
            "= = =",
            "}}]]",
        ];
        for text in texts {
            for offset in 0..=text.len() + 2 {
                let _ = at(text, offset, true);
                let _ = at(text, offset, false);
                let _ = keys_of_entry(text, offset.min(text.len()));
            }
            let _ = top_value(text, "call");
        }
    }
}
