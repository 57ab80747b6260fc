//! Rulesets from `--calls` are files that users write or download: a broken
//! or hostile one must give a clear error (exit 2), never a panic, a hang,
//! a silently wrong check, or text that drives the terminal. Only the
//! `*.toml` files directly in the named folder are read.

mod common;

use common::{code, escp, stderr, stdout};
use std::fs;
use std::path::{Path, PathBuf};

const ID: &str = "COS-CLUSINT-2020-3-01";
const READY: &str = "examples/2020-strand-a-ready.toml";

/// A fresh folder under the system's temporary directory.
fn folder(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "escp-hostile-rulesets-{}-{name}",
        std::process::id()
    ));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn shipped() -> String {
    fs::read_to_string(common::root().join(format!("calls/{ID}.toml"))).unwrap()
}

/// Checks the ready example against the rulesets of `dir`.
fn check_with(dir: &Path) -> std::process::Output {
    escp(&[
        "check",
        "--calls",
        dir.to_str().unwrap(),
        "--today",
        "2020-11-01",
        READY,
    ])
}

/// No raw control character (but line breaks) and no bidi control.
fn assert_printable(text: &str, case: &str) {
    if let Some(c) = text
        .chars()
        .find(|c| !matches!(c, '\n') && escp::text::is_unsafe(*c))
    {
        panic!("{case}: output holds U+{:04X}:\n{text}", c as u32);
    }
}

#[test]
fn values_that_cannot_be_meant_are_refused_where_they_are_written() {
    // (edit of the shipped ruleset, words of the error); the error points
    // at the line of the edit.
    let cases = [
        ("max_eur = 450_000 }", "max_eur = nan }", "`max_eur` is NaN"),
        (
            "max_eur = 450_000 }",
            "max_eur = -inf }",
            "must be a number above 0",
        ),
        ("max_eur = 450_000 }", "max_eur = 0 }", "`max_eur` is 0"),
        (
            "max_percent = 90",
            "max_percent = nan",
            "`max_percent` is NaN",
        ),
        ("max_percent = 90", "max_percent = 101", "at most 100"),
        (
            "min_months = 30",
            "min_months = 40",
            "`min_months` (40) is more than `max_months` (36)",
        ),
        (
            "\nmax = 5",
            "\nmax = 0",
            "`max` is 0; it must be at least 1",
        ),
        (
            "\nmin = 3",
            "\nmin = -1",
            "invalid value: integer `-1`, expected a whole number",
        ),
        ("\nmin = 3", "\nmin = 99999999999999999999", "invalid"),
        ("\nmin = 3", "\nmin = \"three\"", "expected a whole number"),
    ];
    let mut failures = Vec::new();
    for (i, (from, to, words)) in cases.iter().enumerate() {
        let text = shipped();
        assert!(text.contains(from), "case {i}: the shipped ruleset changed");
        let at = text.find(from).unwrap() + to.len() - to.trim_start_matches('\n').len();
        let line = text[..at].matches('\n').count() + 1;
        let dir = folder(&format!("values-{i}"));
        fs::write(dir.join(format!("{ID}.toml")), text.replacen(from, to, 1)).unwrap();
        let out = check_with(&dir);
        let err = stderr(&out);
        // The message may be wrapped: compare its words.
        let flat = err
            .split_whitespace()
            .filter(|w| *w != "│")
            .collect::<Vec<_>>()
            .join(" ");
        let at = format!("{ID}.toml:{line}:");
        if code(&out) != 2
            || !flat.contains(words)
            || !err.contains(&at)
            || !stdout(&out).contains("invalid-ruleset")
        {
            failures.push(format!(
                "{to}: exit {}, want 2, {words:?} at {at}\n{err}",
                code(&out)
            ));
        }
        fs::remove_dir_all(dir).unwrap();
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn control_characters_in_ruleset_texts_are_refused() {
    for (i, (from, to)) in [
        (
            "title = \"Clusters Go International (4th call)\"",
            "title = \"\\u001b[2JEVIL\"",
        ),
        (
            "title = \"Clusters Go International (4th call)\"",
            "title = \"EVIL\u{202e}\"",
        ),
        (
            "quote = \"DEADLINE : 2 December 2020 17:00 Brussels Time\"",
            "quote = \"DEADLINE\\u0007\"",
        ),
    ]
    .iter()
    .enumerate()
    {
        let text = shipped();
        assert!(text.contains(from), "case {i}: the shipped ruleset changed");
        let dir = folder(&format!("control-{i}"));
        fs::write(dir.join(format!("{ID}.toml")), text.replacen(from, to, 1)).unwrap();
        for out in [
            check_with(&dir),
            escp(&["calls", "--calls", dir.to_str().unwrap()]),
        ] {
            let err = stderr(&out);
            assert_eq!(code(&out), 2, "{to}: {err}");
            assert!(
                err.contains("invisible or control character"),
                "{to}: {err}"
            );
            assert_printable(&err, to);
            assert_printable(&stdout(&out), to);
        }
        fs::remove_dir_all(dir).unwrap();
    }
}

#[test]
fn deep_nesting_and_endless_lines_give_a_short_clear_error() {
    let dir = folder("deep");
    let depth = 300_000;
    let text = format!("id = {}{}\n", "[".repeat(depth), "]".repeat(depth));
    fs::write(dir.join(format!("{ID}.toml")), text).unwrap();
    let out = check_with(&dir);
    let err = stderr(&out);
    assert_eq!(code(&out), 2, "{err}");
    assert!(err.contains("recursion"), "{err}");
    assert!(err.contains("the line is too long to show"), "{err}");
    assert!(
        err.len() < 2_000,
        "the error echoes the line: {} bytes",
        err.len()
    );
    fs::remove_dir_all(dir).unwrap();
}

#[test]
fn unreadable_rulesets_are_clear_errors() {
    // Invalid UTF-8 and random bytes.
    for (i, bytes) in [
        b"\xff\xfe\x00garbage".to_vec(),
        (0..=255u8).cycle().take(4096).collect(),
    ]
    .into_iter()
    .enumerate()
    {
        let dir = folder(&format!("bytes-{i}"));
        fs::write(dir.join(format!("{ID}.toml")), bytes).unwrap();
        let out = check_with(&dir);
        let err = stderr(&out);
        assert_eq!(code(&out), 2, "{err}");
        assert!(
            err.contains("cannot read the ruleset") && err.contains("UTF-8"),
            "{err}"
        );
        fs::remove_dir_all(dir).unwrap();
    }
}

#[cfg(unix)]
#[test]
fn symbolic_link_loops_and_unreadable_files_are_clear_errors() {
    use std::os::unix::fs::{symlink, PermissionsExt};
    let dir = folder("links");
    symlink(format!("{ID}.toml"), dir.join(format!("{ID}.toml"))).unwrap();
    let out = check_with(&dir);
    let err = stderr(&out);
    assert_eq!(code(&out), 2, "{err}");
    assert!(
        err.contains("cannot read the ruleset") && err.contains("symbolic links"),
        "{err}"
    );
    fs::remove_dir_all(&dir).unwrap();

    let dir = folder("unreadable");
    let file = dir.join(format!("{ID}.toml"));
    fs::write(&file, shipped()).unwrap();
    fs::set_permissions(&file, fs::Permissions::from_mode(0o000)).unwrap();
    if fs::read(&file).is_ok() {
        // Running as root: permissions do not stop reading.
        fs::remove_dir_all(&dir).unwrap();
        return;
    }
    let out = check_with(&dir);
    let err = stderr(&out);
    assert_eq!(code(&out), 2, "{err}");
    assert!(
        err.contains("cannot read the ruleset") && err.contains("ermission denied"),
        "{err}"
    );
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn only_toml_files_directly_in_the_folder_are_read() {
    let dir = folder("layout");
    // A ruleset for a call escp does not ship, in places that must be ignored.
    let other = shipped().replacen(&format!("id = \"{ID}\""), "id = \"COS-OTHER-1\"", 1);
    fs::create_dir_all(dir.join("sub")).unwrap();
    fs::write(dir.join("sub/COS-OTHER-1.toml"), &other).unwrap();
    fs::write(dir.join("COS-OTHER-1.toml.bak"), &other).unwrap();
    fs::write(dir.join("COS-OTHER-1.txt"), &other).unwrap();
    fs::create_dir_all(dir.join("COS-OTHER-2.toml")).unwrap();
    let consortium = dir.join("consortium.toml.in");
    let text = fs::read_to_string(common::root().join(READY)).unwrap();
    let call = format!("call = \"{ID}\"");
    assert!(text.contains(&call));
    fs::write(
        &consortium,
        text.replacen(&call, "call = \"COS-OTHER-1\"", 1),
    )
    .unwrap();
    let out = escp(&[
        "check",
        "--calls",
        dir.to_str().unwrap(),
        "--format",
        "json",
        "--today",
        "2020-11-01",
        consortium.to_str().unwrap(),
    ]);
    // An unknown call is exit 2 (the file cannot be checked).
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(
        stdout(&out).contains("\"unknown-call\""),
        "{}",
        stdout(&out)
    );
    let listed = escp(&["calls", "--calls", dir.to_str().unwrap()]);
    assert_eq!(code(&listed), 0, "{}", stderr(&listed));
    assert!(
        !stdout(&listed).contains("COS-OTHER"),
        "{}",
        stdout(&listed)
    );
    fs::remove_dir_all(dir).unwrap();
}
