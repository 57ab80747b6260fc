//! Snapshots of what users read: the human rendering (fixed width, no
//! colour, no hyperlinks) and the JSON report of every example, checked on
//! a date before its call's deadline (from the example's header).

mod common;

use std::fs;
use std::path::Path;

fn today_of(path: &Path) -> String {
    let text = fs::read_to_string(path).unwrap();
    let rest = text
        .split("--today ")
        .nth(1)
        .expect("example headers give --today");
    rest[..10].to_string()
}

#[test]
fn human_output_of_every_example() {
    insta::glob!("../examples", "*.toml", |path| {
        let rel = format!("examples/{}", path.file_name().unwrap().to_str().unwrap());
        let out = common::escp(&[
            "check",
            "--color",
            "never",
            "--today",
            &today_of(path),
            &rel,
        ]);
        insta::assert_snapshot!(common::stdout(&out));
    });
}

#[test]
fn json_output_of_every_example() {
    insta::glob!("../examples", "*.toml", |path| {
        let rel = format!("examples/{}", path.file_name().unwrap().to_str().unwrap());
        let (_, json) = common::check_json(&rel, &today_of(path));
        insta::assert_json_snapshot!(json);
    });
}

#[test]
fn human_output_of_format_problems() {
    for fixture in [
        "invalid-value--fail",
        "missing-key--fail",
        "missing-key--fail-no-call",
        "syntax--fail",
        "unknown-call--fail",
        "unknown-key--fail-misspelt-table-no-cascade",
        "implausible-amount--fail-2020-decimal-point",
        "target-third-country--fail-2020-country-as-region",
        "eligible-country--skip-2020-two-of-four-unread",
        "min-targets--fail-2020-whatever-the-unread-target-is",
    ] {
        let rel = format!("tests/fixtures/rules/{fixture}.toml");
        let out = common::escp(&["check", "--color", "never", "--today", "2020-11-01", &rel]);
        insta::assert_snapshot!(fixture, common::stdout(&out));
    }
}

/// What a team sees first: `escp init`, then `escp check` on the unfilled
/// file. Compact (a table's empty keys in one diagnostic), every check that
/// reads a placeholder skipped, never READY.
#[test]
fn human_output_of_an_unfilled_template() {
    let dir = std::env::temp_dir().join(format!("escp-snapshot-init-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    let init = common::escp_in(
        &dir,
        &["init", "--call", "COS-CLUSINT-2020-3-01", "--strand", "B"],
    );
    assert_eq!(common::code(&init), 0);
    let out = common::escp_in(
        &dir,
        &["check", "--color", "never", "--today", "2020-11-01"],
    );
    assert_eq!(common::code(&out), 1);
    let text = common::stdout(&out);
    assert!(
        !text.contains("READY:") || text.contains("NOT READY"),
        "{text}"
    );
    insta::assert_snapshot!(text);
    fs::remove_dir_all(dir).unwrap();
}
