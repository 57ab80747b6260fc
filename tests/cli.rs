//! The command line as users and CI meet it: exit codes, positions, inputs.

mod common;

use common::{check_json, code, escp, stderr, stdout};
use std::fs;

#[test]
fn exit_codes_follow_the_spec() {
    let ready = escp(&[
        "check",
        "--today",
        "2020-11-01",
        "examples/2020-strand-a-ready.toml",
    ]);
    assert_eq!(code(&ready), 0, "{}", stdout(&ready));
    let not_ready = escp(&[
        "check",
        "--today",
        "2020-11-01",
        "examples/2020-strand-a-not-ready.toml",
    ]);
    assert_eq!(code(&not_ready), 1);
    let syntax = escp(&["check", "tests/fixtures/rules/syntax--fail.toml"]);
    assert_eq!(code(&syntax), 2);
    let unknown_call = escp(&["check", "tests/fixtures/rules/unknown-call--fail.toml"]);
    assert_eq!(code(&unknown_call), 2);
    let missing = escp(&["check", "no/such/consortium.toml"]);
    assert_eq!(code(&missing), 2);
    assert!(
        stdout(&missing).contains("no such file")
            && stdout(&missing).contains("escp init --call ID"),
        "{}",
        stdout(&missing)
    );
    // A folder is every consortium file below it (tests/folders.rs); the
    // examples are not named as consortium files, so there is none.
    let folder = escp(&["check", "examples"]);
    assert_eq!(code(&folder), 2);
    assert!(
        stdout(&folder).contains("cannot read examples: it is a directory with no consortium file"),
        "{}",
        stdout(&folder)
    );
    let usage = escp(&["check", "--today", "yesterday"]);
    assert_eq!(code(&usage), 2);
    assert!(stderr(&usage).contains("is not a date"));
}

#[test]
fn warnings_fail_only_under_deny_warnings() {
    // A Serbian partner in strand B fails one reading of contested sources:
    // one warning, no error.
    let args = [
        "check",
        "--today",
        "2020-11-01",
        "tests/fixtures/rules/eligible-country--warn-2020-b-serbian-partner-fails-one-reading.toml",
    ];
    let out = escp(&args);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    assert!(
        stdout(&out).contains("READY: 0 errors, 1 warning"),
        "{}",
        stdout(&out)
    );
    let mut denied = args.to_vec();
    denied.push("--deny-warnings");
    let out = escp(&denied);
    assert_eq!(code(&out), 1);
    assert!(stdout(&out).contains("NOT READY (warnings denied)"));
}

#[test]
fn a_closed_call_takes_no_proposal() {
    // After the deadline, a consortium that is otherwise ready is not: the
    // deadline is an error, and its help says how to look back.
    let out = escp(&[
        "check",
        "--today",
        "2021-01-10",
        "--color",
        "never",
        "examples/2020-strand-a-ready.toml",
    ]);
    assert_eq!(code(&out), 1, "{}", stdout(&out));
    let text = stdout(&out);
    assert!(
        text.contains("closed 2 December 2020, 17:00 Brussels time (CET), 39 days ago"),
        "{text}"
    );
    assert!(text.contains("NOT READY: 1 error"), "{text}");
    assert!(text.contains("--today 2020-12-01"), "{text}");
}

#[test]
fn json_status_counts_and_summary() {
    let (exit, json) = check_json("examples/2020-strand-a-not-ready.toml", "2020-11-01");
    assert_eq!(exit, 1);
    assert_eq!(json["version"], 1);
    let file = &json["files"][0];
    assert_eq!(file["call"], "COS-CLUSINT-2020-3-01");
    assert_eq!(file["strand"], "A");
    assert_eq!(file["status"], "not-ready");
    let diagnostics = file["diagnostics"].as_array().unwrap();
    let errors = diagnostics
        .iter()
        .filter(|d| d["severity"] == "error")
        .count();
    assert_eq!(file["errors"], errors);
    assert_eq!(
        json["summary"],
        serde_json::json!({"files": 1, "ready": 0, "not_ready": 1, "incomplete": 0, "unchecked": 0})
    );
    // The spec's example: CH is reported at its value.
    let ch = diagnostics
        .iter()
        .find(|d| d["rule"] == "eligible-country")
        .unwrap();
    assert_eq!(
        (ch["line"].as_u64(), ch["column"].as_u64()),
        (Some(34), Some(11))
    );
    assert_eq!(
        (ch["end_line"].as_u64(), ch["end_column"].as_u64()),
        (Some(34), Some(15))
    );
    assert!(ch["source"].as_str().unwrap().ends_with("(confirmed)"));

    let (exit, json) = check_json("tests/fixtures/rules/unknown-call--fail.toml", "2020-11-01");
    assert_eq!(exit, 2);
    assert_eq!(json["files"][0]["status"], "unchecked");
    assert_eq!(json["files"][0]["call"], serde_json::Value::Null);
    assert_eq!(json["summary"]["unchecked"], 1);
}

#[test]
fn crlf_line_endings_give_the_same_positions() {
    let dir = tempdir();
    let lf =
        fs::read_to_string(common::root().join("examples/2020-strand-a-not-ready.toml")).unwrap();
    let crlf_path = dir.join("crlf.toml");
    fs::write(&crlf_path, lf.replace('\n', "\r\n")).unwrap();
    let (_, lf_json) = check_json("examples/2020-strand-a-not-ready.toml", "2020-11-01");
    let (exit, crlf_json) = check_json(crlf_path.to_str().unwrap(), "2020-11-01");
    assert_eq!(exit, 1);
    let lf_positions = common::positions(&lf_json);
    assert!(lf_positions.len() >= 8);
    assert_eq!(lf_positions, common::positions(&crlf_json));
}

#[test]
fn columns_count_characters_in_multibyte_names() {
    let dir = tempdir();
    let path = dir.join("utf8.toml");
    // Column of `"CH"`: 33 characters in (37 bytes, as Ž ť č ý take two bytes each).
    let line4 = r#"partner = [{ name = "Žluťoučký", country = "CH", short_name = "CZ-1", type = "cluster-organisation", eccp = "registered" },"#;
    let line5 = r#"  { short_name = "ΕΛ-1", name = "Ελληνικό σύμπλεγμα", country = "CH", type = "cluster-organisation", eccp = "registered" },"#;
    let line6 = r#"  { short_name = "RS-1", name = "Агро кластер Србије", country = "CH", type = "cluster-organisation", eccp = "registered" }]"#;
    let text = format!("call = \"COS-CLUSINT-2020-3-01\"\r\nstrand = \"A\"\r\n# ünïcödé comment\r\n{line4}\r\n{line5}\r\n{line6}\r\n[proposal]\r\nacronym = \"Ü\"\r\n");
    fs::write(&path, text).unwrap();
    let (_, json) = check_json(path.to_str().unwrap(), "2020-11-01");
    let eligible: Vec<_> = common::positions(&json)
        .into_iter()
        .filter(|p| p.0 == "eligible-country")
        .collect();
    let prefix4 = r#"partner = [{ name = "Žluťoučký", country = "#;
    let prefix5 = r#"  { short_name = "ΕΛ-1", name = "Ελληνικό σύμπλεγμα", country = "#;
    let prefix6 = r#"  { short_name = "RS-1", name = "Агро кластер Србије", country = "#;
    // Hand-counted: the value starts one character after each prefix.
    assert_eq!(prefix4.chars().count(), 43);
    assert_eq!(
        eligible,
        vec![
            ("eligible-country".to_string(), 4, 44, 4, 48),
            (
                "eligible-country".to_string(),
                5,
                prefix5.chars().count() as u64 + 1,
                5,
                prefix5.chars().count() as u64 + 5
            ),
            (
                "eligible-country".to_string(),
                6,
                prefix6.chars().count() as u64 + 1,
                6,
                prefix6.chars().count() as u64 + 5
            ),
        ]
    );
    assert_ne!(
        prefix5.len(),
        prefix5.chars().count(),
        "the Greek line must have multi-byte characters"
    );
}

#[test]
fn a_byte_order_mark_is_accepted() {
    let dir = tempdir();
    let path = dir.join("bom.toml");
    let text =
        fs::read_to_string(common::root().join("examples/2020-strand-a-ready.toml")).unwrap();
    fs::write(&path, format!("\u{feff}{text}")).unwrap();
    let (exit, json) = check_json(path.to_str().unwrap(), "2020-11-01");
    assert_eq!(exit, 0, "{json}");
}

#[test]
fn country_names_get_their_code_suggested() {
    let (_, json) = check_json(
        "tests/fixtures/rules/invalid-value--fail.toml",
        "2020-11-01",
    );
    let help: Vec<&str> = json["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["help"].as_str())
        .collect();
    assert!(
        help.iter().any(|h| h.contains("country = \"DE\"")),
        "{help:?}"
    );
}

#[test]
fn checking_never_modifies_the_file() {
    let path = common::root().join("examples/2020-strand-a-not-ready.toml");
    let before = (
        fs::read(&path).unwrap(),
        fs::metadata(&path).unwrap().modified().unwrap(),
    );
    let _ = escp(&["check", "examples/2020-strand-a-not-ready.toml"]);
    let after = (
        fs::read(&path).unwrap(),
        fs::metadata(&path).unwrap().modified().unwrap(),
    );
    assert_eq!(before, after);
}

#[test]
fn standard_input_is_read_with_a_dash() {
    let text = fs::read(common::root().join("examples/2020-strand-a-ready.toml")).unwrap();
    let out = common::escp_with_input(
        &common::root(),
        &["check", "--format", "json", "--today", "2020-11-01", "-"],
        &text,
    );
    assert_eq!(out.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["files"][0]["path"], "<stdin>");
}

#[test]
fn examples_are_ready_or_not_as_their_names_say() {
    let mut seen = 0;
    for entry in fs::read_dir(common::root().join("examples")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        if !name.ends_with(".toml") {
            continue;
        }
        let text = fs::read_to_string(&path).unwrap();
        let today = text
            .split("--today ")
            .nth(1)
            .map(|rest| rest[..10].to_string())
            .unwrap_or_else(|| panic!("{name}: the header gives no `--today DATE` to run it with"));
        let (exit, json) = check_json(&format!("examples/{name}"), &today);
        let file = &json["files"][0];
        if name.ends_with("-not-ready.toml") {
            assert_eq!(exit, 1, "{name} should be not ready: {file}");
            assert_eq!(file["status"], "not-ready");
        } else {
            assert!(
                name.ends_with("-ready.toml"),
                "{name}: examples end in -ready or -not-ready"
            );
            assert_eq!(exit, 0, "{name} should be ready: {}", file["diagnostics"]);
            assert_eq!(file["status"], "ready");
            // The only warnings of a ready example flag facts the sources
            // dispute or that are inferred: what a team must double-check.
            for d in file["diagnostics"].as_array().unwrap() {
                let said = format!("{} {}", d["message"], d["help"]);
                assert!(
                    said.contains("the sources disagree")
                        || said.contains("inferred, not confirmed"),
                    "{name}: an unexpected warning: {d}"
                );
            }
        }
        seen += 1;
    }
    assert!(seen >= 2);
}

/// A fresh folder under the target directory (no extra crates needed).
fn tempdir() -> std::path::PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "escp-test-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn a_file_that_is_not_utf8_is_unchecked_without_an_empty_snippet() {
    let dir = tempdir();
    let path = dir.join("binary.toml");
    fs::write(&path, [0x63u8, 0x61, 0xff, 0xfe, 0x00, 0x01]).unwrap();
    let out = escp(&["check", "--color", "never", path.to_str().unwrap()]);
    assert_eq!(code(&out), 2);
    let text = stdout(&out);
    assert!(
        text.contains("not UTF-8 text") && text.contains("invalid byte at offset"),
        "{text}"
    );
    assert!(
        !text.contains("╭─["),
        "no source snippet for a file without text:\n{text}"
    );
}

#[test]
fn huge_numbers_nan_and_deep_nesting_are_diagnostics_not_crashes() {
    let dir = tempdir();
    let numbers = dir.join("numbers.toml");
    fs::write(
        &numbers,
        "call = \"COS-CLUSINT-2020-3-01\"\nstrand = \"A\"\n[proposal]\nacronym = \"X\"\nduration_months = 99999999999999999999999\nrequested_grant_eur = nan\ntotal_costs_eur = -inf\n",
    )
    .unwrap();
    let (exit, json) = check_json(numbers.to_str().unwrap(), "2020-11-01");
    assert_eq!(exit, 1);
    let invalid: Vec<u64> = json["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "invalid-value")
        .map(|d| d["line"].as_u64().unwrap())
        .collect();
    assert_eq!(invalid, [5, 6, 7]);
    let deep = dir.join("deep.toml");
    fs::write(
        &deep,
        format!("x = {}{}\n", "[".repeat(100_000), "]".repeat(100_000)),
    )
    .unwrap();
    let (exit, json) = check_json(deep.to_str().unwrap(), "2020-11-01");
    assert_eq!(exit, 2);
    assert_eq!(json["files"][0]["diagnostics"][0]["rule"], "syntax");
}
