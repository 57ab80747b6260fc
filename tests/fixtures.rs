//! Runs every fixture of `tests/fixtures/rules/`: small consortium files,
//! each headed by comments that say what escp must report for it:
//!
//! ```toml
//! # today: 2020-11-01
//! # check: min-partners fail        (the rule's line in the readiness summary)
//! # error: min-partners 5:8         (a diagnostic of that rule, at line:column)
//! # warning: eligible-country 12:11
//! # status: not-ready               (the file's status, optional)
//! # calls: tests/fixtures/calls       (a --calls folder, optional)
//! ```
//!
//! For every rule the header names, the diagnostics of that rule must be
//! exactly the ones listed (no more, no fewer, same severity and position).
//! Other rules are not looked at, so each fixture can stay small.

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
    diagnostics: BTreeSet<(String, String, String)>, // (rule, severity, "line:col")
    rules: BTreeSet<String>,
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
            ("check", [rule, status]) => {
                e.rules.insert(rule.to_string());
                e.checks.push((rule.to_string(), status.to_string()));
            }
            ("error" | "warning", [rule, at]) => {
                e.rules.insert(rule.to_string());
                e.diagnostics
                    .insert((rule.to_string(), key.to_string(), at.to_string()));
            }
            _ => {}
        }
    }
    e
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
        assert!(
            !want.rules.is_empty(),
            "{} names no rule to check",
            path.display()
        );
        let rel = path
            .strip_prefix(common::root())
            .unwrap()
            .to_str()
            .unwrap()
            .to_string();
        let mut args = vec!["check", "--format", "json", "--today", &want.today, &rel];
        if let Some(dir) = &want.calls {
            args.extend(["--calls", dir]);
        }
        let out = common::escp(&args);
        let json: Value = serde_json::from_str(&common::stdout(&out))
            .unwrap_or_else(|e| panic!("{rel}: invalid JSON: {e}\n{}", common::stdout(&out)));
        let file = &json["files"][0];
        let mut problems = Vec::new();
        if let Some(status) = &want.status {
            if file["status"] != status.as_str() {
                problems.push(format!("status {} (expected {status})", file["status"]));
            }
        }
        for (rule, status) in &want.checks {
            let got = file["checks"]
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["rule"] == rule.as_str());
            match got {
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
        let got: BTreeSet<(String, String, String)> = file["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| want.rules.contains(d["rule"].as_str().unwrap()))
            .map(|d| {
                (
                    d["rule"].as_str().unwrap().to_string(),
                    d["severity"].as_str().unwrap().to_string(),
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
            let message = file["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .find(|d| d["rule"] == extra.0.as_str())
                .map(|d| d["message"].to_string())
                .unwrap_or_default();
            problems.push(format!(
                "unexpected {} {} at {}: {message}",
                extra.1, extra.0, extra.2
            ));
        }
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
        "duration",
        "deadline",
        "unknown-key",
        "missing-key",
        "invalid-value",
        "syntax",
        "unknown-call",
    ];
    for rule in rules {
        for kind in ["pass", "fail"] {
            let prefix = format!("{rule}--{kind}");
            assert!(
                names.iter().any(|n| n.starts_with(&prefix)),
                "no fixture {prefix}*.toml in tests/fixtures/rules"
            );
        }
    }
}
