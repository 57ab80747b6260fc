//! Property tests of the language server's pieces on half-written files:
//! whatever the text and wherever the cursor, finding what is under it,
//! hover, completion, code actions and the conversion of findings to LSP
//! diagnostics never panic, and positions convert back to the offsets they
//! came from, in UTF-8, UTF-16 and UTF-32.
//!
//! `PROPTEST_CASES=5000 cargo test --release --test lsp_properties` runs more.

use escp::lsp::convert::{self, Encoding, LineIndex, Presentation};
use escp::lsp::{actions, complete, hover, syntax, Cx};
use escp::pipeline::{self, Options};
use escp::ruleset::Catalog;
use escp::source::SourceFile;
use lsp_types::Uri;
use proptest::prelude::*;
use proptest::sample::select;
use std::sync::OnceLock;

fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(Catalog::embedded)
}

/// Text made of the pieces a consortium file is made of, in any order: keys,
/// values, quotes, brackets, comments, line breaks of every kind, Greek and
/// characters outside the Basic Multilingual Plane.
fn half_written() -> impl Strategy<Value = String> {
    let pieces = vec![
        "call",
        "strand",
        "country",
        "type",
        "eccp",
        "region",
        "actions",
        "name",
        " = ",
        "=",
        "\"",
        "'",
        "\"\"\"",
        "[",
        "]",
        "[[partner]]\n",
        "[[target]]\n",
        "[proposal]\n",
        "{",
        "}",
        ",",
        "#",
        "\n",
        "\r\n",
        "\r",
        " ",
        "\t",
        "Ελλάδα",
        "𝔾",
        "DE",
        "el",
        "\\",
        ".",
        "COS-CLUSINT-2020-3-01",
        "A",
        "1.a",
        "450.000",
        "true",
        "\u{feff}",
    ];
    proptest::collection::vec(select(pieces), 0..48).prop_map(|p| p.concat())
}

fn encodings() -> impl Strategy<Value = Encoding> {
    select(vec![Encoding::Utf8, Encoding::Utf16, Encoding::Utf32])
}

proptest! {
    #[test]
    fn the_cursor_anywhere_never_panics(text in half_written(), at in 0usize..400, strict: bool) {
        let offset = at.min(text.len() + 2);
        let _ = syntax::at(&text, offset, strict);
        let _ = syntax::keys_of_entry(&text, offset);
        let _ = syntax::top_value(&text, "call");
        let cx = Cx {
            text: &text,
            catalog: catalog(),
            clock: escp::clock::Clock::Today(jiff::civil::date(2020, 11, 1)),
            findings: &[],
            shift: 0,
        };
        let _ = hover::hover(&cx, offset);
        for snippets in [false, true] {
            for item in complete::complete(&cx, offset, snippets) {
                prop_assert!(item.replace.start <= item.replace.end);
                prop_assert!(item.replace.end <= text.len());
                prop_assert!(text.is_char_boundary(item.replace.start));
                prop_assert!(text.is_char_boundary(item.replace.end));
            }
        }
    }

    #[test]
    fn positions_convert_back_to_their_offsets(text in half_written(), encoding in encodings()) {
        let index = LineIndex::new(&text, encoding);
        for offset in (0..=text.len()).filter(|&o| text.is_char_boundary(o)) {
            let inside_crlf = offset > 0
                && text.as_bytes()[offset - 1] == b'\r'
                && text.as_bytes().get(offset) == Some(&b'\n');
            if inside_crlf {
                continue;
            }
            let position = index.position(offset);
            prop_assert_eq!(index.offset(position), offset, "{:?}", position);
        }
    }

    #[test]
    fn findings_convert_and_fixes_apply_on_any_text(text in half_written(), encoding in encodings()) {
        let uri: Uri = "file:///tmp/consortium.toml".parse().unwrap();
        let shift = if text.starts_with('\u{feff}') { 3 } else { 0 };
        let options = Options {
            clock: escp::clock::Clock::Today(jiff::civil::date(2020, 11, 1)),
        };
        let report = pipeline::check(SourceFile::new("t", &text), catalog(), options);
        let index = LineIndex::new(&text, encoding);
        let call = syntax::top_value(&text, "call").map(|(_, span)| span);
        let diagnostics =
            convert::diagnostics(&report, &index, shift, &uri, call, &Presentation::default());
        prop_assert_eq!(diagnostics.len(), report.findings.len() + 1);
        for d in &diagnostics {
            prop_assert!(d.range.start <= d.range.end, "{:?}", d.range);
        }
        let how = Presentation::default();
        let target = actions::Target {
            uri: &uri,
            version: Some(1),
            document_changes: true,
            index: &index,
            shift,
            how: &how,
        };
        let _ = actions::actions(&report.findings, &report.fixes, 0..text.len(), None, &target);
    }
}
