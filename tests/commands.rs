//! The companion commands: calls, explain, init, completions, man, and the
//! diagnostics for malformed rulesets.

mod common;

use common::{code, escp, escp_in, stderr, stdout};
use std::fs;

#[test]
fn calls_lists_every_known_call() {
    let out = escp(&["calls", "--today", "2020-11-01"]);
    assert_eq!(code(&out), 0);
    insta::assert_snapshot!(stdout(&out));
}

#[test]
fn calls_id_shows_strands_and_every_rule() {
    let out = escp(&["calls", "cos-clusint-2020-3-01", "--today", "2020-11-01"]);
    assert_eq!(code(&out), 0);
    insta::assert_snapshot!(stdout(&out));
}

#[test]
fn calls_json_has_the_rules_per_strand() {
    let out = escp(&[
        "calls",
        "COS-CLUSINT-2020-3-01",
        "--format",
        "json",
        "--today",
        "2020-11-01",
    ]);
    assert_eq!(code(&out), 0);
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["version"], 1);
    let rules = json["call"]["rules"].as_array().unwrap();
    let grants: Vec<_> = rules
        .iter()
        .filter(|r| r["rule"] == "max-grant")
        .map(|r| (r["strand"].clone(), r["params"]["max_eur"].clone()))
        .collect();
    assert_eq!(
        grants,
        vec![
            (serde_json::json!("A"), serde_json::json!(550000.0)),
            (serde_json::json!("B"), serde_json::json!(450000.0))
        ]
    );
    assert!(rules
        .iter()
        .all(|r| r["source"].as_str().is_some_and(|s| !s.is_empty())));
    let list = escp(&["calls", "--format", "json", "--today", "2020-11-01"]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&list)).unwrap();
    let ids: Vec<&str> = json["calls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "COS-CLUSTER-2014-3-03",
            "COS-CLUSINT-2016-03-01",
            "COS-CLUSINT-2017-03-6",
            "COS-CLUSINT-2019-3-01",
            "COS-CLUSINT-2020-3-01",
            "SMP-COSME-2021-CLUSTER-01",
            "SMP-COSME-2023-AGRICLUSTER-01",
            "SMP-COSME-2024-CLUSTER-01",
            "SMP-COSME-2024-CLUSTERUA-01",
            "SMP-COSME-2026-BIOAGRIFOOD-01"
        ]
    );
    assert_eq!(json["calls"][4]["deadline"]["passed"], false);
    assert_eq!(json["calls"][0]["deadline"]["passed"], true);
}

#[test]
fn calls_with_an_unknown_id_suggests_the_closest() {
    let out = escp(&["calls", "COS-CLUSINT-2020-03-01"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("did you mean \"COS-CLUSINT-2020-3-01\"?"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn explain_prints_the_rule_and_its_parameters_in_each_call() {
    let out = escp(&["explain", "max-grant"]);
    assert_eq!(code(&out), 0);
    insta::assert_snapshot!(stdout(&out));
}

#[test]
fn explain_an_unknown_rule_is_exit_2_with_a_suggestion() {
    let out = escp(&["explain", "eligble-country"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("did you mean `eligible-country`?"));
    let listing = escp(&["explain"]);
    assert_eq!(code(&listing), 0);
    assert!(stdout(&listing).contains("target-third-country"));
}

#[test]
fn docs_sources_md_lists_every_source() {
    let out = escp(&["calls", "--sources"]);
    assert_eq!(code(&out), 0);
    let text = fs::read_to_string(common::root().join("docs/sources.md")).unwrap();
    assert!(
        stdout(&out) == text,
        "docs/sources.md is stale: run `cargo run -- calls --sources > docs/sources.md`"
    );
    for id in [
        "COS-CLUSINT-2019-3-01",
        "SMP-COSME-2024-CLUSTER-01",
        "confindustria-lombardia-2020",
    ] {
        assert!(text.contains(id), "{id}");
    }
}

#[test]
fn docs_rules_md_is_the_explanations() {
    let generated = escp(&["explain", "--markdown"]);
    let on_disk = fs::read_to_string(common::root().join("docs/rules.md")).unwrap();
    assert!(
        stdout(&generated) == on_disk,
        "docs/rules.md is stale: run `cargo run -- explain --markdown > docs/rules.md`"
    );
}

fn tempdir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("escp-commands-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn init_writes_a_file_whose_only_problems_are_its_placeholders() {
    let dir = tempdir("init-all");
    for (call, strands, today) in [
        ("COS-CLUSTER-2014-3-03", vec!["1", "2"], "2015-03-01"),
        (
            "COS-CLUSINT-2016-03-01",
            vec!["1.a", "1.b", "2"],
            "2017-05-01",
        ),
        ("COS-CLUSINT-2017-03-6", vec![""], "2017-12-01"),
        (
            "COS-CLUSINT-2019-3-01",
            vec!["1", "2.a", "2.b"],
            "2019-10-01",
        ),
        ("COS-CLUSINT-2020-3-01", vec!["A", "B"], "2020-11-01"),
        (
            "SMP-COSME-2021-CLUSTER-01",
            vec!["open", "tourism"],
            "2021-11-01",
        ),
        ("SMP-COSME-2024-CLUSTER-01", vec!["1", "2"], "2025-01-10"),
        ("SMP-COSME-2024-CLUSTERUA-01", vec!["digital"], "2024-05-20"),
        ("SMP-COSME-2023-AGRICLUSTER-01", vec![""], "2023-09-15"),
        ("SMP-COSME-2026-BIOAGRIFOOD-01", vec![""], "2026-05-20"),
    ] {
        for strand in strands {
            let path = dir.join(format!("{call}-{strand}.toml"));
            let path = path.to_str().unwrap();
            let mut args = vec!["init", path, "--call", call];
            if !strand.is_empty() {
                args.extend(["--strand", strand]);
            }
            let out = escp(&args);
            assert_eq!(code(&out), 0, "{}", stderr(&out));
            let check = escp(&["check", "--format", "json", "--today", today, path]);
            let json: serde_json::Value = serde_json::from_str(&stdout(&check)).unwrap();
            let file = &json["files"][0];
            assert_eq!(file["status"], "not-ready");
            let text = fs::read_to_string(path).unwrap();
            let lines: Vec<&str> = text.lines().collect();
            for d in file["diagnostics"].as_array().unwrap() {
                assert_eq!(d["rule"], "invalid-value", "{call} {strand}: {d}");
                let line = lines[d["line"].as_u64().unwrap() as usize - 1];
                assert!(
                    line.contains("= \"\"") || line.contains("= []"),
                    "{call} {strand}: not a placeholder: {line}"
                );
                assert!(
                    d["message"].as_str().unwrap().ends_with("is empty"),
                    "{call} {strand}: {d}"
                );
            }
            // Nothing fails on the placeholders: the checks that read them
            // are skipped, so the file could never be ready as it is.
            let checks = file["checks"].as_array().unwrap();
            for c in checks {
                assert!(
                    c["status"] != "fail" && c["status"] != "warn",
                    "{call} {strand}: {c}"
                );
            }
            assert!(
                checks.iter().any(|c| c["status"] == "skip"),
                "{call} {strand}: an unfilled template with no skipped check"
            );
        }
    }
}

#[test]
fn init_never_overwrites_without_force() {
    let dir = tempdir("init-force");
    let path = dir.join("consortium.toml");
    fs::write(&path, "# the team's own file\n").unwrap();
    let args = ["init", "consortium.toml", "--call", "COS-CLUSINT-2017-03-6"];
    let refused = escp_in(&dir, &args);
    assert_eq!(code(&refused), 2);
    assert!(
        stderr(&refused).contains("already exists"),
        "{}",
        stderr(&refused)
    );
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        "# the team's own file\n"
    );
    let mut forced = args.to_vec();
    forced.push("--force");
    let out = escp_in(&dir, &forced);
    assert_eq!(code(&out), 0);
    assert!(fs::read_to_string(&path)
        .unwrap()
        .contains("call = \"COS-CLUSINT-2017-03-6\""));
    // No temporary file is left behind.
    let names: Vec<String> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["consortium.toml"]);
}

#[test]
fn init_without_call_lists_the_calls_and_needs_a_strand_where_there_are_strands() {
    let dir = tempdir("init-usage");
    let out = escp_in(&dir, &["init"]);
    assert_eq!(code(&out), 2);
    assert!(stdout(&out).contains("COS-CLUSINT-2020-3-01"));
    let out = escp_in(&dir, &["init", "--call", "COS-CLUSINT-2020-3-01"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("choose one with --strand"),
        "{}",
        stderr(&out)
    );
    let out = escp_in(
        &dir,
        &["init", "--call", "COS-CLUSINT-2020-3-01", "--strand", "C"],
    );
    assert_eq!(code(&out), 2);
    assert_eq!(
        fs::read_dir(&dir).unwrap().count(),
        0,
        "nothing is written on a usage error"
    );
}

#[test]
fn init_template_for_2020_strand_a() {
    let dir = tempdir("init-snapshot");
    let out = escp_in(
        &dir,
        &["init", "--call", "COS-CLUSINT-2020-3-01", "--strand", "a"],
    );
    assert_eq!(code(&out), 0);
    insta::assert_snapshot!(fs::read_to_string(dir.join("consortium.toml")).unwrap());
}

#[test]
fn completions_and_man_page_come_from_the_same_definitions() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = escp(&["completions", shell]);
        assert_eq!(code(&out), 0, "{shell}");
        let script = stdout(&out);
        assert!(
            script.contains("escp") && script.contains("deny-warnings"),
            "{shell}"
        );
    }
    let man = escp(&["man"]);
    assert_eq!(code(&man), 0);
    let page = stdout(&man);
    assert!(
        page.contains(".TH escp") && page.contains("check"),
        "{page}"
    );
}

#[test]
fn malformed_rulesets_point_into_the_ruleset_file() {
    let dir = tempdir("bad-calls");
    let mut report = String::new();
    for (folder, id) in [
        ("unknown-rule", "BAD-UNKNOWN-RULE"),
        ("wrong-type", "BAD-WRONG-TYPE"),
        ("bad-strand", "BAD-STRAND"),
        ("bad-toml", "BAD-TOML"),
    ] {
        let consortium = dir.join(format!("{folder}.toml"));
        fs::write(
            &consortium,
            format!("call = \"{id}\"\n[proposal]\nacronym = \"X\"\n"),
        )
        .unwrap();
        let calls = format!("tests/fixtures/bad-calls/{folder}");
        // The file that names the broken ruleset is unchecked, with the
        // error in one line at its `call`...
        let out = escp(&[
            "check",
            "--format",
            "json",
            "--calls",
            &calls,
            consortium.to_str().unwrap(),
        ]);
        assert_eq!(code(&out), 2, "{folder}");
        let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
        let d = &json["files"][0]["diagnostics"][0];
        assert_eq!(d["rule"], "invalid-ruleset", "{folder}: {d}");
        assert_eq!(json["files"][0]["status"], "unchecked");
        // ... and `escp calls` shows the whole diagnostic, into the ruleset.
        let listed = escp(&["calls", "--calls", &calls]);
        assert_eq!(code(&listed), 2, "{folder}");
        report.push_str(&format!(
            "--- {folder}\n{}\n\n{}\n",
            d["message"].as_str().unwrap(),
            stderr(&listed)
        ));
    }
    insta::assert_snapshot!(report);
}

#[test]
fn a_ruleset_folder_overrides_an_embedded_call() {
    let dir = tempdir("override");
    let text = fs::read_to_string(common::root().join("calls/COS-CLUSINT-2017-03-6.toml")).unwrap();
    fs::write(
        dir.join("COS-CLUSINT-2017-03-6.toml"),
        text.replace("max_eur = 200_000", "max_eur = 100_000"),
    )
    .unwrap();
    let out = escp(&[
        "calls",
        "COS-CLUSINT-2017-03-6",
        "--calls",
        dir.to_str().unwrap(),
    ]);
    assert!(stdout(&out).contains("EUR 100,000"), "{}", stdout(&out));
    let second = tempdir("override-2");
    fs::write(second.join("COS-CLUSINT-2017-03-6.toml"), "").unwrap();
    let clash = escp(&[
        "calls",
        "--calls",
        dir.to_str().unwrap(),
        "--calls",
        second.to_str().unwrap(),
    ]);
    assert_eq!(code(&clash), 2);
    assert!(
        stderr(&clash).contains("two ruleset folders define"),
        "{}",
        stderr(&clash)
    );
}

#[test]
fn the_worked_example_of_docs_rulesets_md_works() {
    let calls = "docs/examples/calls";
    let ready = escp(&[
        "check",
        "--calls",
        calls,
        "--today",
        "2020-11-01",
        "--format",
        "json",
        "docs/examples/house-policy-ready.toml",
    ]);
    assert_eq!(code(&ready), 0, "{}", stdout(&ready));
    let json: serde_json::Value = serde_json::from_str(&stdout(&ready)).unwrap();
    assert_eq!(json["files"][0]["status"], "ready");
    assert_eq!(json["files"][0]["warnings"], 0);
    let not_ready = escp(&[
        "check",
        "--calls",
        calls,
        "--today",
        "2020-11-01",
        "docs/examples/house-policy-not-ready.toml",
    ]);
    assert_eq!(code(&not_ready), 1);
    let without = escp(&[
        "check",
        "--today",
        "2020-11-01",
        "docs/examples/house-policy-ready.toml",
    ]);
    assert_eq!(code(&without), 2, "an unknown call without --calls");
}

/// The deadline of every call is cited the same way by a closed call's
/// finding (`escp check`) and by docs/sources.md (`escp calls --sources`):
/// the same quote and the same sources ("and 2 other sources" in both, not
/// "and 1 other source" in one of them), with the same addresses.
#[test]
fn a_deadline_cites_the_same_sources_in_check_and_in_docs_sources_md() {
    let sources = stdout(&escp(&["calls", "--sources"]));
    let listing: serde_json::Value =
        serde_json::from_str(&stdout(&escp(&["calls", "--format", "json"]))).unwrap();
    let dir = std::env::temp_dir().join(format!("escp-deadline-cite-{}", std::process::id()));
    fs::create_dir_all(&dir).unwrap();
    let calls = listing["calls"].as_array().unwrap();
    assert!(calls.len() >= 8, "{listing}");
    for call in calls {
        let id = call["id"].as_str().unwrap();
        // docs/sources.md: "Deadline WHEN (BASIS): CITATION".
        let section = sources
            .split(&format!("## {id}: "))
            .nth(1)
            .unwrap_or_else(|| panic!("{id} has no section in docs/sources.md"));
        let line = section
            .lines()
            .find(|l| l.starts_with("Deadline "))
            .unwrap_or_else(|| panic!("{id}: no Deadline line"));
        let (_, cited) = line.split_once("): ").unwrap();

        let path = dir.join(format!("{id}.consortium.toml"));
        fs::write(&path, format!("call = \"{id}\"\n")).unwrap();
        let (_, report) = common::check_json(path.to_str().unwrap(), "2100-01-01");
        let finding = report["files"][0]["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["rule"] == "deadline")
            .unwrap_or_else(|| panic!("{id}: no deadline finding in 2100: {report}"));
        let said = finding["source"].as_str().unwrap();
        assert!(
            said.starts_with(cited),
            "{id}: check says\n  {said}\nbut docs/sources.md says\n  {cited}"
        );
        let urls: Vec<&str> = call["deadline"]["sources"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|s| s["url"].as_str())
            .collect();
        let found: Vec<&str> = finding["source_urls"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u.as_str().unwrap())
            .collect();
        assert_eq!(found, urls, "{id}");
    }
    fs::remove_dir_all(dir).unwrap();
}
