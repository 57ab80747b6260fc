//! The documents an editor opens: their paths, whether escp speaks about
//! them, and what hover and completion know of one ([`Cx`]).

use super::convert::{Encoding, LineIndex};
use super::syntax;
use super::worker::Content;
use crate::finding::Finding;
use crate::ruleset::{Catalog, Ruleset};
use lsp_types::{TextDocumentContentChangeEvent, Uri};
use serde_json::Value;
use std::path::PathBuf;
use std::sync::Arc;

/// An open document.
pub(crate) struct Doc {
    pub(crate) uri: Uri,
    pub(crate) version: i32,
    pub(crate) content: Content,
}

impl Doc {
    /// A document as the editor opened it: over `cap` bytes (the input cap
    /// of `escp check`), only whether escp speaks about it is kept.
    pub(crate) fn open(uri: Uri, version: i32, text: String, cap: usize) -> Doc {
        let content = if text.len() > cap {
            Content::TooLarge {
                applies: applies(&uri, &text),
            }
        } else {
            Content::Text(Arc::from(text))
        };
        Doc {
            uri,
            version,
            content,
        }
    }

    /// Its text, unless it is too large.
    pub(crate) fn text(&self) -> Option<&Arc<str>> {
        match &self.content {
            Content::Text(text) => Some(text),
            Content::TooLarge { .. } => None,
        }
    }

    /// Whether escp speaks about it ([`applies`]).
    pub(crate) fn applies(&self) -> bool {
        match &self.content {
            Content::Text(text) => applies(&self.uri, text),
            Content::TooLarge { applies } => *applies,
        }
    }

    /// Applies an editor's changes, in order. A change that would make the
    /// text longer than `cap` is not made: the document is too large from
    /// then on, and changes of a range cannot apply to it (there is no text
    /// to change) until a change gives the whole text again.
    pub(crate) fn change(
        &mut self,
        version: i32,
        changes: Vec<TextDocumentContentChangeEvent>,
        encoding: Encoding,
        cap: usize,
    ) {
        self.version = version;
        // The text is copied only for a change of a range.
        let mut owned: Option<String> = None;
        for change in changes {
            let Some(range) = change.range else {
                owned = None;
                *self = Doc::open(self.uri.clone(), version, change.text, cap);
                continue;
            };
            let text: &mut String = match (&mut owned, &self.content) {
                (Some(text), _) => text,
                (None, Content::Text(text)) => owned.insert(text.to_string()),
                (None, Content::TooLarge { .. }) => continue,
            };
            let span = LineIndex::new(text, encoding).span(range);
            if text.len() - span.len() + change.text.len() > cap {
                self.content = Content::TooLarge {
                    applies: applies(&self.uri, text),
                };
                owned = None;
                continue;
            }
            text.replace_range(span, &change.text);
        }
        if let Some(text) = owned {
            self.content = Content::Text(Arc::from(text));
        }
    }
}

/// The workspace's root folder: the first workspace folder, else `rootUri`,
/// else `rootPath`.
pub(crate) fn workspace_root(params: &Value) -> Option<PathBuf> {
    let from_uri = |v: &Value| {
        v.as_str()
            .and_then(|s| s.parse::<Uri>().ok())
            .and_then(|u| file_path(&u))
    };
    params
        .get("workspaceFolders")
        .and_then(|f| f.get(0))
        .and_then(|f| f.get("uri"))
        .and_then(from_uri)
        .or_else(|| params.get("rootUri").and_then(from_uri))
        .or_else(|| {
            params
                .get("rootPath")
                .and_then(Value::as_str)
                .map(PathBuf::from)
        })
}

/// The path of a `file:` URI, percent-decoded.
pub fn file_path(uri: &Uri) -> Option<PathBuf> {
    let text = uri.as_str();
    let rest = text.strip_prefix("file://")?;
    // `file:///path` or `file://host/path` (a host is ignored).
    let path = &rest[rest.find('/')?..];
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let mut bytes = Vec::with_capacity(path.len());
    let raw = path.as_bytes();
    let mut i = 0;
    while i < raw.len() {
        if raw[i] == b'%' && i + 2 < raw.len() {
            let hex = std::str::from_utf8(&raw[i + 1..i + 3]).ok();
            if let Some(b) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                bytes.push(b);
                i += 3;
                continue;
            }
        }
        bytes.push(raw[i]);
        i += 1;
    }
    String::from_utf8(bytes).ok().map(PathBuf::from)
}

/// Whether escp has anything to say about a document: a file named
/// `consortium.toml` or `*.consortium.toml` (whatever it holds), or any
/// other that names a `call`. Editors that start servers per language
/// (every TOML file) then see nothing from escp in `Cargo.toml`.
pub fn applies(uri: &Uri, text: &str) -> bool {
    let path = uri.as_str().split(['?', '#']).next().unwrap_or("");
    let name = path.rsplit('/').next().unwrap_or(path);
    name == "consortium.toml"
        || name.ends_with(".consortium.toml")
        || syntax::top_value(text, "call").is_some()
}

/// The name a document is shown under in messages: its path, or its URI.
pub fn display_name(uri: &Uri) -> String {
    match file_path(uri) {
        Some(path) => path.display().to_string(),
        None => uri.as_str().to_string(),
    }
}

/// What hover and completion need to know about a document.
pub struct Cx<'a> {
    pub text: &'a str,
    pub catalog: &'a Catalog,
    /// When the checks are made (the `today` setting, else the clock).
    pub clock: crate::clock::Clock,
    /// The findings of the last check, if it was of this very text.
    pub findings: &'a [Finding],
    /// Bytes before the text the findings count from (a byte-order mark).
    pub shift: usize,
}

impl Cx<'_> {
    /// The ruleset of the call the document names, if escp knows it.
    pub fn call(&self) -> Option<Arc<Ruleset>> {
        let (call, _) = syntax::top_value(self.text, "call")?;
        self.catalog.find(&call).ok().flatten()
    }

    /// The index of the strand the document names, in `call`.
    pub fn strand(&self, call: &Ruleset) -> Option<usize> {
        let (strand, _) = syntax::top_value(self.text, "strand")?;
        call.strand_index(&strand)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lsp_types::{Position, Range};

    fn insert(line: u32, text: &str) -> TextDocumentContentChangeEvent {
        let at = Position::new(line, 0);
        TextDocumentContentChangeEvent {
            range: Some(Range::new(at, at)),
            range_length: None,
            text: text.into(),
        }
    }

    fn whole(text: &str) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: None,
            range_length: None,
            text: text.into(),
        }
    }

    fn text(doc: &Doc) -> Option<&str> {
        doc.text().map(|t| &**t)
    }

    #[test]
    fn a_document_over_the_cap_keeps_no_text_until_it_is_sent_whole_again() {
        let uri: Uri = "file:///x/c.toml".parse().unwrap();
        let enc = Encoding::Utf16;
        let mut doc = Doc::open(uri.clone(), 1, "call = \"X\"\n".into(), 40);
        assert_eq!(text(&doc), Some("call = \"X\"\n"));
        // Under the cap, changes apply in order.
        doc.change(2, vec![insert(1, "a = 1\n"), insert(0, "# c\n")], enc, 40);
        assert_eq!(text(&doc), Some("# c\ncall = \"X\"\na = 1\n"));
        // A change past the cap is not made, and none after it.
        doc.change(3, vec![insert(0, &"#".repeat(30)), insert(0, "x")], enc, 40);
        assert_eq!(text(&doc), None);
        assert_eq!(doc.version, 3);
        assert!(doc.applies(), "it names a call");
        doc.change(4, vec![insert(0, "y")], enc, 40);
        assert_eq!(text(&doc), None);
        // The whole text again, small enough: kept, and changed again.
        doc.change(
            5,
            vec![whole("call = \"Y\"\n"), insert(1, "b = 2\n")],
            enc,
            40,
        );
        assert_eq!(text(&doc), Some("call = \"Y\"\nb = 2\n"));
        // Opened too large: whether escp speaks about it is still known.
        let big = format!("call = \"X\"\n{}", "#".repeat(50));
        assert!(Doc::open(uri, 1, big.clone(), 40).applies());
        let other: Uri = "file:///x/Cargo.toml".parse().unwrap();
        let doc = Doc::open(other, 1, "#".repeat(50), 40);
        assert!(doc.text().is_none() && !doc.applies());
    }

    #[test]
    fn file_uris_become_paths() {
        let uri: Uri = "file:///home/ana/M%C3%BCnchen%20team/consortium.toml"
            .parse()
            .unwrap();
        assert_eq!(
            file_path(&uri),
            Some(PathBuf::from("/home/ana/München team/consortium.toml"))
        );
        let other: Uri = "untitled:Untitled-1".parse().unwrap();
        assert_eq!(file_path(&other), None);
        assert_eq!(display_name(&other), "untitled:Untitled-1");
        assert!(applies(&"file:///x/consortium.toml".parse().unwrap(), ""));
        assert!(applies(&"file:///x/a.consortium.toml".parse().unwrap(), ""));
        assert!(!applies(
            &"file:///x/Cargo.toml".parse().unwrap(),
            "[package]\n"
        ));
        assert!(applies(
            &"file:///x/c.toml".parse().unwrap(),
            "call = \"X\"\n"
        ));
    }
}
