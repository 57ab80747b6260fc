//! The documents an editor opens: their paths, whether escp speaks about
//! them, and what hover and completion know of one ([`Cx`]).

use super::syntax;
use crate::finding::Finding;
use crate::ruleset::{Catalog, Ruleset};
use lsp_types::Uri;
use serde_json::Value;
use std::path::PathBuf;
use std::sync::Arc;

/// An open document.
pub(crate) struct Doc {
    pub(crate) uri: Uri,
    pub(crate) version: i32,
    pub(crate) text: Arc<str>,
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
