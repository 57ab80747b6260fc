//! The CI formats (SARIF, GitHub, JUnit, Markdown), --output, several
//! files in one run, standard input, closed pipes and one-consortium.

mod common;

use common::{code, escp, stderr, stdout};
use std::fs;

const FILES: [&str; 2] = [
    "examples/2020-strand-a-not-ready.toml",
    "examples/2020-strand-b-not-ready.toml",
];

fn run(format: &str) -> (i32, String) {
    let mut args = vec!["check", "--today", "2020-11-01", "--format", format];
    args.extend(FILES);
    let out = escp(&args);
    (code(&out), stdout(&out))
}

#[test]
fn every_format_snapshot() {
    for format in ["sarif", "github", "junit", "markdown"] {
        let (exit, text) = run(format);
        assert_eq!(exit, 1, "{format}");
        // SARIF names the folder escp ran in (the base of relative URIs).
        insta::with_settings!({filters => vec![(r#""file://[^"]*/""#, r#""file:///[the folder escp ran in]/""#)]}, {
            insta::assert_snapshot!(format!("format-{format}"), text);
        });
    }
}

/// The positions of every diagnostic in the JSON report of the same run.
fn json_positions() -> Vec<common::Position> {
    let (_, text) = run("json");
    common::positions(&serde_json::from_str(&text).unwrap())
}

#[test]
fn sarif_is_valid_against_the_official_schema_and_matches_the_json() {
    let (_, text) = run("sarif");
    let sarif: serde_json::Value = serde_json::from_str(&text).unwrap();
    common::assert_valid_sarif(&common::sarif_validator(), &sarif, "one file");
    let run = &sarif["runs"][0];
    assert_eq!(sarif["runs"].as_array().unwrap().len(), 1);
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let rule_ids: Vec<&str> = run["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert!(rule_ids.contains(&"eligible-country") && rule_ids.contains(&"syntax"));
    assert!(run["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["help"]["text"].is_string()));
    let positions: Vec<common::Position> = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let region = &r["locations"][0]["physicalLocation"]["region"];
            (
                r["ruleId"].as_str().unwrap().to_string(),
                region["startLine"].as_u64().unwrap(),
                region["startColumn"].as_u64().unwrap(),
                region["endLine"].as_u64().unwrap(),
                region["endColumn"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(positions, json_positions());
}

#[test]
fn github_annotations_carry_the_json_positions() {
    let (_, text) = run("github");
    let positions: Vec<common::Position> = text
        .lines()
        .filter(|l| l.starts_with("::"))
        .map(|l| {
            let props = l.split(' ').nth(1).unwrap().split("::").next().unwrap();
            let get = |key: &str| -> String {
                props
                    .split(',')
                    .find_map(|p| p.strip_prefix(&format!("{key}=")))
                    .unwrap()
                    .to_string()
            };
            let n = |key: &str| get(key).parse::<u64>().unwrap();
            (
                get("title"),
                n("line"),
                n("col"),
                n("endLine"),
                n("endColumn"),
            )
        })
        .collect();
    assert_eq!(positions, json_positions());
    assert!(text
        .lines()
        .any(|l| l.starts_with("::warning file=examples/2020-strand-b-not-ready.toml,")));
    assert!(
        !text
            .lines()
            .filter(|l| l.starts_with("::"))
            .any(|l| l.matches("::").count() != 2),
        "{text}"
    );
}

#[test]
fn junit_is_read_by_a_junit_parser() {
    let (_, text) = run("junit");
    let suites =
        junit_parser::from_reader(std::io::Cursor::new(text.as_bytes())).expect("valid JUnit XML");
    assert_eq!(suites.suites.len(), 2);
    let a = &suites.suites[0];
    assert_eq!(a.name, FILES[0]);
    // junit-parser names a case "classname::name".
    let name = |c: &junit_parser::TestCase| c.name.rsplit("::").next().unwrap().to_string();
    let failed: Vec<String> = a
        .cases
        .iter()
        .filter(|c| c.status.is_failure())
        .map(name)
        .collect();
    assert_eq!(
        failed,
        [
            "format", // the misspelt `sme_member`
            "distinct-countries",
            "min-eu-countries",
            "eligible-country",
            "eccp-registration",
            "target-third-country",
            "max-grant",
            "funding-rate",
            "readiness", // the file's verdict, as the exit code counts it
        ]
    );
    assert!(a
        .cases
        .iter()
        .all(|c| c.classname.as_deref() == Some("COS-CLUSINT-2020-3-01.strand-A")));
    // One case for the format, one per check of the summary, and one for
    // the file's verdict.
    let (_, json) = run("json");
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        a.cases.len(),
        2 + json["files"][0]["checks"].as_array().unwrap().len()
    );
}

#[test]
fn output_writes_the_report_to_a_file_and_never_over_a_checked_file() {
    let dir = std::env::temp_dir().join(format!("escp-formats-{}", std::process::id()));
    fs::create_dir_all(&dir).unwrap();
    let report = dir.join("report.sarif");
    fs::write(&report, "old").unwrap();
    let out = escp(&[
        "check",
        "--today",
        "2020-11-01",
        "--format",
        "sarif",
        "--output",
        report.to_str().unwrap(),
        FILES[0],
    ]);
    assert_eq!(code(&out), 1);
    assert!(stdout(&out).is_empty());
    let written: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(written["version"], "2.1.0");
    let names: Vec<String> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["report.sarif"], "no temporary file left");
    let copy = dir.join("consortium.toml");
    fs::copy(common::root().join(FILES[0]), &copy).unwrap();
    let before = fs::read(&copy).unwrap();
    let clash = escp(&[
        "check",
        "--output",
        copy.to_str().unwrap(),
        copy.to_str().unwrap(),
    ]);
    assert_eq!(code(&clash), 2);
    assert!(stderr(&clash).contains("never writes over a checked file"));
    assert_eq!(fs::read(&copy).unwrap(), before);
}

#[test]
fn several_files_keep_their_order_and_give_the_worst_exit_code() {
    let out = escp(&[
        "check",
        "--today",
        "2020-11-01",
        "--format",
        "json",
        "examples/2020-strand-a-ready.toml",
        "no/such.toml",
        "examples",
        "examples/2020-strand-a-not-ready.toml",
    ]);
    assert_eq!(code(&out), 2);
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let files: Vec<(&str, &str)> = json["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["path"].as_str().unwrap(), f["status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        files,
        [
            ("examples/2020-strand-a-ready.toml", "ready"),
            ("no/such.toml", "unchecked"),
            ("examples", "unchecked"),
            ("examples/2020-strand-a-not-ready.toml", "not-ready"),
        ]
    );
    assert_eq!(
        json["summary"],
        serde_json::json!({"files": 4, "ready": 1, "not_ready": 1, "incomplete": 0, "unchecked": 2})
    );
    let quiet = escp(&[
        "check",
        "-q",
        "--today",
        "2020-11-01",
        "examples/2020-strand-a-ready.toml",
        "examples/2020-strand-a-not-ready.toml",
    ]);
    assert_eq!(code(&quiet), 1);
    assert_eq!(stdout(&quiet).lines().count(), 3, "{}", stdout(&quiet));
}

#[test]
fn a_closed_pipe_ends_quietly() {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_escp"))
        .args(["check", "--today", "2020-11-01"])
        .args(std::iter::repeat_n(
            "examples/2020-strand-a-not-ready.toml",
            200,
        ))
        .current_dir(common::root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap(); // then the pipe closes
    let status = child.wait().unwrap();
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert!(
        !err.contains("panicked") && !err.contains("Broken pipe"),
        "{err}"
    );
    assert_ne!(status.code(), Some(101));
}

#[test]
fn one_consortium_reports_an_organisation_in_two_consortia_of_a_phase() {
    let out = escp(&[
        "check",
        "--today",
        "2017-05-01",
        "--format",
        "json",
        "tests/fixtures/one-consortium/a-1a.toml",
        "tests/fixtures/one-consortium/b-1b.toml",
        "tests/fixtures/one-consortium/c-2.toml",
    ]);
    assert_eq!(code(&out), 1);
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    // (path, status of the one-consortium check, positions of its findings)
    type FileSummary = (String, String, Vec<(u64, u64)>);
    let summary: Vec<FileSummary> = json["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let check = f["checks"]
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["rule"] == "one-consortium")
                .unwrap();
            let at = f["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|d| d["rule"] == "one-consortium")
                .map(|d| (d["line"].as_u64().unwrap(), d["column"].as_u64().unwrap()))
                .collect();
            (
                f["path"].as_str().unwrap().to_string(),
                check["status"].as_str().unwrap().to_string(),
                at,
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                "tests/fixtures/one-consortium/a-1a.toml".to_string(),
                "fail".to_string(),
                vec![(14, 8)]
            ),
            (
                "tests/fixtures/one-consortium/b-1b.toml".to_string(),
                "fail".to_string(),
                vec![(22, 8)]
            ),
            // Strand 2 is another phase: the same organisation may apply
            // there, and no other consortium of that phase is in the run.
            (
                "tests/fixtures/one-consortium/c-2.toml".to_string(),
                "pass".to_string(),
                vec![]
            ),
        ]
    );
    let message = json["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == "one-consortium")
        .unwrap()["message"]
        .clone();
    assert!(
        message.as_str().unwrap().contains("b-1b.toml:22"),
        "{message}"
    );
    // Alone, a file cannot show it: the rule is not judged, nor listed.
    let alone = escp(&[
        "check",
        "--today",
        "2017-05-01",
        "--format",
        "json",
        "tests/fixtures/one-consortium/a-1a.toml",
    ]);
    assert_eq!(code(&alone), 0, "{}", stdout(&alone));
    let json: serde_json::Value = serde_json::from_str(&stdout(&alone)).unwrap();
    assert!(json["files"][0]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["rule"] != "one-consortium"));
}

/// A NOT READY file that also skipped checks: JSON names the keys to add
/// in `missing`, as the human report does, whatever the status.
#[test]
fn json_names_the_missing_keys_of_a_not_ready_file_that_skipped_checks() {
    let text =
        fs::read_to_string(common::root().join("examples/2020-strand-a-not-ready.toml")).unwrap();
    let without_costs: String = text
        .lines()
        .filter(|l| !l.starts_with("total_costs_eur"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_ne!(
        without_costs.len(),
        text.len(),
        "the example has total_costs_eur"
    );
    let dir = std::env::temp_dir().join(format!("escp-missing-{}", std::process::id()));
    fs::create_dir_all(&dir).unwrap();
    let path = dir.join("consortium.toml");
    fs::write(&path, without_costs).unwrap();
    let path = path.to_str().unwrap();

    let human = escp(&["check", "--today", "2020-11-01", path]);
    assert!(
        stdout(&human).contains("NOT READY")
            && stdout(&human).contains("add or fix `total_costs_eur`"),
        "{}",
        stdout(&human)
    );
    let (exit, json) = common::check_json(path, "2020-11-01");
    assert_eq!(exit, 1);
    let file = &json["files"][0];
    assert_eq!(file["status"], "not-ready");
    assert!(
        file["checks"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["rule"] == "funding-rate" && c["status"] == "skip"),
        "{file}"
    );
    assert_eq!(
        file["missing"],
        serde_json::json!(["total_costs_eur"]),
        "{file}"
    );
    // A file with no skipped check has no `missing`.
    let (_, json) = common::check_json("examples/2020-strand-a-not-ready.toml", "2020-11-01");
    assert!(
        json["files"][0].get("missing").is_none(),
        "{}",
        json["files"][0]
    );
    fs::remove_dir_all(dir).unwrap();
}
