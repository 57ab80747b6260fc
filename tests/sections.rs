//! Large files are parsed section by section (`[[partner]]` by
//! `[[partner]]`) to keep memory close to the file's size. This must never
//! change what escp reports: for every fixture and example, and for every
//! copy of them with one line deleted, the model and findings are the same
//! as when the whole document is parsed at once; and the same again when the
//! sections are read in parallel batches (files of megabytes).

use escp::consortium::{parse_with, Strategy};
use std::fs;
use std::path::{Path, PathBuf};

fn toml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            toml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(path);
        }
    }
}

/// The outcome of a parse, comparable: the model and the findings sorted by
/// position, or the position of the first syntax error.
fn outcome(text: &str, strategy: Strategy) -> String {
    match parse_with(text, strategy) {
        Ok((model, mut findings)) => {
            findings.sort_by_key(|f| (f.primary.span.start, f.message.clone()));
            format!("{model:?}\n{findings:?}")
        }
        Err(errors) => format!(
            "syntax error at {:?}",
            errors.first().map(|e| e.primary.span.clone())
        ),
    }
}

#[test]
fn sections_and_whole_documents_give_the_same_result() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in [
        "examples",
        "tests/fixtures/rules",
        "tests/fixtures/one-consortium",
        "docs/examples",
    ] {
        toml_files(&root.join(dir), &mut files);
    }
    assert!(files.len() > 80);
    let mut compared = 0;
    for path in files {
        let text = fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        let variants = std::iter::once(text.clone()).chain((0..lines.len()).map(|skip| {
            let kept: Vec<&str> = lines
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != skip)
                .map(|(_, l)| *l)
                .collect();
            kept.join("\n") + "\n"
        }));
        for (i, variant) in variants.enumerate() {
            let whole = outcome(&variant, Strategy::Whole);
            for strategy in [Strategy::Sections, Strategy::Parallel] {
                assert_eq!(
                    outcome(&variant, strategy),
                    whole,
                    "{} (variant {i}: line {i} deleted, 0 = unchanged; {strategy:?})",
                    path.display()
                );
            }
            compared += 1;
        }
    }
    assert!(compared > 2000, "{compared}");
}

#[test]
fn a_large_file_is_the_same_either_way() {
    let mut text = String::from(
        "call = \"COS-CLUSINT-2020-3-01\"\nstrand = \"A\"\n[proposal]\nacronym = \"BIG\"\n",
    );
    for i in 0..3000 {
        text.push_str(&format!(
            "\n[[partner]]\nshort_name = \"P{i}\"\nname = \"Partner {}\"\ncountry = \"{}\"\ntype = \"cluster-organisation\"\neccp = \"registered\"\n",
            i % 2900,
            ["IT", "FR", "XX", "Deutschland"][i % 4]
        ));
    }
    text.push_str("\n[[target]]\nregion = \"ASEAN\"\n");
    assert!(text.len() > 64 * 1024);
    let whole = outcome(&text, Strategy::Whole);
    assert!(
        whole.contains("Deutschland"),
        "the file has findings to compare"
    );
    assert_eq!(outcome(&text, Strategy::Sections), whole);
    assert_eq!(outcome(&text, Strategy::Parallel), whole);

    // Syntax errors in several batches: the same first error either way.
    let broken = text
        .replacen("short_name = \"P1500\"", "short_name = P1500", 1)
        .replacen("short_name = \"P2999\"", "short_name = \"P2999", 1);
    let whole = outcome(&broken, Strategy::Whole);
    assert!(whole.starts_with("syntax error"), "{whole}");
    assert_eq!(outcome(&broken, Strategy::Sections), whole);
    assert_eq!(outcome(&broken, Strategy::Parallel), whole);
}
