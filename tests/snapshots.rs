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
        "syntax--fail",
        "unknown-call--fail",
    ] {
        let rel = format!("tests/fixtures/rules/{fixture}.toml");
        let out = common::escp(&["check", "--color", "never", "--today", "2020-11-01", &rel]);
        insta::assert_snapshot!(fixture, common::stdout(&out));
    }
}
