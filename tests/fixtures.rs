//! Runs every fixture of `tests/fixtures/rules/`: small consortium files,
//! each headed by comments that say what escp must report for it:
//!
//! ```toml
//! # today: 2020-11-01
//! # status: not-ready               (the file's status: required)
//! # check: min-partners fail        (the rule's line in the readiness summary)
//! # error: min-partners 5:8         (a diagnostic, at line:column)
//! # warning: eligible-country 12:11
//! # calls: tests/fixtures/calls     (a --calls folder, optional)
//! # missing: country [[partner]]    (the keys to add, in order, optional)
//! ```
//!
//! The expectation is complete: the diagnostics must be exactly the ones
//! listed (every rule, same severity and position), and the status must be
//! the one given, so a passing fixture asserts that its rule passes and that
//! nothing else fails. `a_wrong_expectation_fails` tests the harness itself.

mod common;

use serde_json::Value;
use std::collections::BTreeSet;
use std::fs;

#[derive(Debug, Default)]
struct Expected {
    today: String,
    calls: Option<String>,
    status: Option<String>,
    checks: Vec<(String, String)>,
    missing: Option<Vec<String>>,
    diagnostics: BTreeSet<(String, String, String)>, // (rule, severity, "line:col")
}

fn expected(text: &str) -> Expected {
    let mut e = Expected {
        today: "2020-11-01".into(),
        ..Expected::default()
    };
    for line in text.lines() {
        let Some(rest) = line.strip_prefix("# ") else {
            continue;
        };
        let Some((key, value)) = rest.split_once(": ") else {
            continue;
        };
        let words: Vec<&str> = value.split_whitespace().collect();
        match (key, words.as_slice()) {
            ("today", [date]) => e.today = date.to_string(),
            ("calls", [dir]) => e.calls = Some(dir.to_string()),
            ("status", [status]) => e.status = Some(status.to_string()),
            ("missing", keys) => e.missing = Some(keys.iter().map(|k| k.to_string()).collect()),
            ("check", [rule, status]) => {
                e.checks.push((rule.to_string(), status.to_string()));
            }
            ("error" | "warning", [rule, at]) => {
                e.diagnostics
                    .insert((rule.to_string(), key.to_string(), at.to_string()));
            }
            _ => {}
        }
    }
    e
}

/// What differs between a fixture's header and escp's JSON report of it
/// (empty when they agree).
fn verify(want: &Expected, file: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    match &want.status {
        None => problems.push("the header gives no `# status:`".to_string()),
        Some(status) if file["status"] != status.as_str() => {
            problems.push(format!("status {} (expected {status})", file["status"]))
        }
        Some(_) => {}
    }
    if want.checks.is_empty() && want.diagnostics.is_empty() {
        problems.push("the header names no check and no diagnostic".to_string());
    }
    let empty = Vec::new();
    if let Some(missing) = &want.missing {
        let got: Vec<String> = file["missing"]
            .as_array()
            .unwrap_or(&empty)
            .iter()
            .map(|k| k.as_str().unwrap_or_default().to_string())
            .collect();
        if &got != missing {
            problems.push(format!("missing {got:?}, expected {missing:?}"));
        }
    }
    let checks = file["checks"].as_array().unwrap_or(&empty);
    for (rule, status) in &want.checks {
        match checks.iter().find(|c| c["rule"] == rule.as_str()) {
            Some(c) if c["status"] == status.as_str() => {}
            Some(c) => problems.push(format!(
                "check {rule}: {} ({}), expected {status}",
                c["status"], c["detail"]
            )),
            None => problems.push(format!(
                "check {rule}: not in the summary, expected {status}"
            )),
        }
    }
    let diagnostics = file["diagnostics"].as_array().unwrap_or(&empty);
    let got: BTreeSet<(String, String, String)> = diagnostics
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap_or_default().to_string(),
                d["severity"].as_str().unwrap_or_default().to_string(),
                format!("{}:{}", d["line"], d["column"]),
            )
        })
        .collect();
    for missing in want.diagnostics.difference(&got) {
        problems.push(format!(
            "missing {} {} at {}",
            missing.1, missing.0, missing.2
        ));
    }
    for extra in got.difference(&want.diagnostics) {
        let message = diagnostics
            .iter()
            .find(|d| d["rule"] == extra.0.as_str())
            .map(|d| d["message"].to_string())
            .unwrap_or_default();
        problems.push(format!(
            "unexpected {} {} at {}: {message}",
            extra.1, extra.0, extra.2
        ));
    }
    problems
}

/// escp's JSON report of one fixture, as the header asks to run it.
fn report(rel: &str, want: &Expected) -> Value {
    let mut args = vec!["check", "--format", "json", "--today", &want.today, rel];
    if let Some(dir) = &want.calls {
        args.extend(["--calls", dir]);
    }
    let out = common::escp(&args);
    let json: Value = serde_json::from_str(&common::stdout(&out))
        .unwrap_or_else(|e| panic!("{rel}: invalid JSON: {e}\n{}", common::stdout(&out)));
    json["files"][0].clone()
}

#[test]
fn every_rule_fixture_reports_what_its_header_says() {
    let dir = common::root().join("tests/fixtures/rules");
    let mut paths: Vec<_> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    let mut failures = Vec::new();
    let mut count = 0;
    for path in paths
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
    {
        count += 1;
        let text = fs::read_to_string(path).unwrap();
        let want = expected(&text);
        let rel = path
            .strip_prefix(common::root())
            .unwrap()
            .to_str()
            .unwrap()
            .to_string();
        let problems = verify(&want, &report(&rel, &want));
        if !problems.is_empty() {
            failures.push(format!("{rel}:\n  {}", problems.join("\n  ")));
        }
    }
    assert!(
        count >= 40,
        "expected a passing and a failing fixture per rule, found {count} files"
    );
    assert!(
        failures.is_empty(),
        "{} fixtures failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The harness catches a fixture whose header is wrong in any way: a
/// missing, extra or misplaced diagnostic, a wrong status or check.
#[test]
fn a_wrong_expectation_fails() {
    let rel = "tests/fixtures/rules/min-partners--fail-2020.toml";
    let text = fs::read_to_string(common::root().join(rel)).unwrap();
    let right = expected(&text);
    let file = report(rel, &right);
    assert_eq!(
        verify(&right, &file),
        Vec::<String>::new(),
        "the fixture itself passes"
    );
    type Change = Box<dyn Fn(&mut Expected)>;
    let variants: Vec<(&str, Change)> = vec![
        ("no status", Box::new(|e: &mut Expected| e.status = None)),
        (
            "another status",
            Box::new(|e: &mut Expected| e.status = Some("ready".into())),
        ),
        (
            "a diagnostic left out",
            Box::new(|e: &mut Expected| {
                let first = e.diagnostics.iter().next().cloned().unwrap();
                e.diagnostics.remove(&first);
            }),
        ),
        (
            "an extra diagnostic",
            Box::new(|e: &mut Expected| {
                e.diagnostics
                    .insert(("coordinator".into(), "error".into(), "1:1".into()));
            }),
        ),
        (
            "a diagnostic moved",
            Box::new(|e: &mut Expected| {
                let first = e.diagnostics.iter().next().cloned().unwrap();
                e.diagnostics.remove(&first);
                e.diagnostics.insert((first.0, first.1, "99:1".into()));
            }),
        ),
        (
            "another severity",
            Box::new(|e: &mut Expected| {
                let first = e.diagnostics.iter().next().cloned().unwrap();
                e.diagnostics.remove(&first);
                e.diagnostics.insert((first.0, "warning".into(), first.2));
            }),
        ),
        (
            "a check's status",
            Box::new(|e: &mut Expected| e.checks.push(("min-partners".into(), "pass".into()))),
        ),
        (
            "other keys to add",
            Box::new(|e: &mut Expected| e.missing = Some(vec!["country".into()])),
        ),
        (
            "nothing named",
            Box::new(|e: &mut Expected| {
                e.checks.clear();
                e.diagnostics.clear();
            }),
        ),
    ];
    for (what, change) in variants {
        let mut wrong = expected(&text);
        change(&mut wrong);
        assert!(
            !verify(&wrong, &file).is_empty(),
            "a header with {what} was accepted"
        );
    }
}

#[test]
fn every_call_rule_has_a_passing_and_a_failing_fixture() {
    let dir = common::root().join("tests/fixtures/rules");
    let names: Vec<String> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let rules = [
        "strand",
        "min-partners",
        "max-partners",
        "distinct-countries",
        "min-eu-countries",
        "eligible-country",
        "organisation-type",
        "legal-entity",
        "eccp-registration",
        "defence-related",
        "coordinator",
        "duplicate-partner",
        "min-targets",
        "max-targets",
        "target-third-country",
        "actions",
        "max-grant",
        "funding-rate",
        "third-party-support",
        "duration",
        "deadline",
        "unknown-key",
        "missing-key",
        "invalid-value",
        "implausible-amount",
        "syntax",
        "unknown-call",
    ];
    // A rule that is inferred in every call can only warn: its "failing"
    // fixture is a `--warn` one.
    for rule in rules {
        let passing = format!("{rule}--pass");
        assert!(
            names.iter().any(|n| n.starts_with(&passing)),
            "no fixture {passing}*.toml in tests/fixtures/rules"
        );
        let failing = [format!("{rule}--fail"), format!("{rule}--warn")];
        assert!(
            names
                .iter()
                .any(|n| failing.iter().any(|f| n.starts_with(f.as_str()))),
            "no fixture {rule}--fail*.toml or {rule}--warn*.toml in tests/fixtures/rules"
        );
    }
}
