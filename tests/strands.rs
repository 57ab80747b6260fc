//! A strand named as the calls write it: by its id or its title, matched
//! leniently (`&`, `+` and "and" the same; "strand", "ecosystem" and
//! "industrial ecosystem" ignored). A name that is certain is checked as the
//! id and `--fix` writes the id; a near miss gets a did-you-mean and a quick
//! fix that `--fix` never applies. The cases come from consortia funded under
//! SMP-COSME-2021-CLUSTER-01 (the fixtures `strand--*-2021-*` of
//! tests/fixtures/rules/, which also hold what those consortia look like:
//! research centres and chambers of commerce as applicants, three countries
//! among five applicants, 24 and 30 months).

mod common;

use common::{code, escp, stderr, stdout};
use serde_json::Value;
use std::fs;
use std::path::PathBuf;

fn tempdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("escp-strands-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn fixture(name: &str) -> String {
    fs::read_to_string(common::root().join("tests/fixtures/rules").join(name)).unwrap()
}

fn json(out: &std::process::Output) -> Value {
    serde_json::from_str(&stdout(out)).unwrap_or_else(|e| panic!("{e}: {}", stdout(out)))
}

#[test]
fn a_strand_named_by_its_title_is_checked_as_its_id() {
    for (name, written) in [
        (
            "strand--pass-2021-named-by-its-title.toml",
            "Creative & Cultural Industries",
        ),
        (
            "strand--pass-2021-title-with-and.toml",
            "Creative and Cultural Industries",
        ),
    ] {
        let text = fixture(name);
        assert!(text.contains(&format!("strand = \"{written}\"")));
        let path = format!("tests/fixtures/rules/{name}");
        let out = escp(&["check", "--format", "json", "--today", "2021-11-15", &path]);
        let file = &json(&out)["files"][0];
        assert_eq!(file["status"], "ready", "{written}: {file}");
        assert_eq!(file["strand"], "creative-cultural", "{written}");
        // The same report as naming the id: the rules of that strand ran.
        let by_id = text.replace(
            &format!("strand = \"{written}\""),
            "strand = \"creative-cultural\"",
        );
        let dir = tempdir("by-id");
        let id_path = dir.join("consortium.toml");
        fs::write(&id_path, by_id).unwrap();
        let out = escp(&[
            "check",
            "--format",
            "json",
            "--today",
            "2021-11-15",
            id_path.to_str().unwrap(),
        ]);
        let by_id = &json(&out)["files"][0];
        assert_eq!(by_id["checks"], file["checks"], "{written}");
    }
}

#[test]
fn fix_writes_the_id_of_a_strand_named_by_its_title_but_not_of_a_near_miss() {
    let dir = tempdir("fix");
    let certain = dir.join("title.toml");
    fs::write(
        &certain,
        fixture("strand--pass-2021-industrial-ecosystem-words-ignored.toml"),
    )
    .unwrap();
    let out = escp(&[
        "check",
        "--fix",
        "--today",
        "2021-11-15",
        certain.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    let text = fs::read_to_string(&certain).unwrap();
    assert!(
        text.contains("\nstrand = \"proximity-social-economy\"\n"),
        "{text}"
    );

    let near = dir.join("near.toml");
    let original = fixture("strand--fail-2021-near-a-title-did-you-mean.toml");
    fs::write(&near, &original).unwrap();
    let out = escp(&[
        "check",
        "--fix",
        "--today",
        "2021-11-15",
        near.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), 1, "{}", stdout(&out));
    assert_eq!(fs::read_to_string(&near).unwrap(), original);
}

#[test]
fn a_near_miss_suggests_the_one_strand_it_is_near_as_a_quick_fix_only() {
    let out = escp(&[
        "check",
        "--format",
        "json",
        "--today",
        "2021-11-15",
        "tests/fixtures/rules/strand--fail-2021-near-a-title-did-you-mean.toml",
    ]);
    let file = &json(&out)["files"][0];
    let d = file["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == "strand")
        .unwrap();
    let help = d["help"].as_str().unwrap();
    assert!(
        help.starts_with(
            "did you mean \"creative-cultural\" (Creative & Cultural Industries)? the strands are: \"open\""
        ),
        "{help}"
    );
    assert_eq!(d["fixes"][0]["safe"], false, "{d}");
    assert_eq!(d["fixes"][0]["edits"][0]["text"], "\"creative-cultural\"");

    // Near several strands ("Strand 1" in 2016: 1.a and 1.b), or near
    // none: no guess, the list only.
    for (fixture_name, old, written, today) in [
        (
            "strand--pass-2016-lenient.toml",
            "Strand 1.A",
            "Strand 1",
            "2017-05-01",
        ),
        (
            "strand--fail-2021-near-a-title-did-you-mean.toml",
            "Creative Cultural Industry",
            "Quantum",
            "2021-11-15",
        ),
        (
            "strand--fail-2021-near-a-title-did-you-mean.toml",
            "Creative Cultural Industry",
            "Energy",
            "2021-11-15",
        ),
    ] {
        let text = fixture(fixture_name).replace(old, written);
        let dir = tempdir("near");
        let path = dir.join("consortium.toml");
        fs::write(&path, text).unwrap();
        let out = escp(&[
            "check",
            "--format",
            "json",
            "--today",
            today,
            path.to_str().unwrap(),
        ]);
        let file = &json(&out)["files"][0];
        let d = file["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["rule"] == "strand")
            .unwrap_or_else(|| panic!("{written}: {file}"));
        let help = d["help"].as_str().unwrap();
        if written == "Energy" {
            // Near "energy-intensive" only ("Renewable Energy" reads
            // "renewableenergy", too far): one strand, so it is suggested.
            assert!(
                help.starts_with("did you mean \"energy-intensive\""),
                "{help}"
            );
        } else {
            assert!(help.starts_with("the strands are:"), "{written}: {help}");
            assert!(d["fixes"].as_array().is_none_or(Vec::is_empty), "{d}");
        }
    }
}

#[test]
fn init_takes_a_strand_by_its_title_and_suggests_a_near_one() {
    let dir = tempdir("init");
    let path = dir.join("consortium.toml");
    let out = escp(&[
        "init",
        path.to_str().unwrap(),
        "--call",
        "SMP-COSME-2021-CLUSTER-01",
        "--strand",
        "Aerospace and Defence ecosystem",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = fs::read_to_string(&path).unwrap();
    assert!(
        text.contains("\nstrand = \"aerospace-defence\"\n"),
        "{text}"
    );

    let other = dir.join("other.toml");
    let out = escp(&[
        "init",
        other.to_str().unwrap(),
        "--call",
        "SMP-COSME-2021-CLUSTER-01",
        "--strand",
        "Creative Cultural Industry",
    ]);
    assert_eq!(code(&out), 2);
    assert!(!other.exists());
    let err = stderr(&out)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        err.contains("did you mean --strand creative-cultural (Creative & Cultural Industries)?"),
        "{err}"
    );
}

/// An organisation may be an applicant in several consortia of one call
/// where the call does not forbid it: SMP-COSME-2021-CLUSTER-01 sets no
/// `one-consortium` rule, so two funded consortia that share a partner are
/// both ready when checked together; the duplicate rule stays within one
/// proposal.
#[test]
fn one_organisation_in_two_funded_consortia_of_a_call_that_allows_it() {
    let a_name = "strand--pass-2021-named-by-its-title.toml";
    let a = format!("tests/fixtures/rules/{a_name}");
    let b_text = fixture("strand--pass-2021-title-with-and.toml");
    let shared = "{ short_name = \"CRIA-PT\", name = \"Cluster das Indústrias Criativas do Norte\", country = \"PT\", type = \"cluster-organisation\" },";
    assert!(fixture(a_name).contains(shared));
    let b_text = b_text.replacen("partner = [\n", &format!("partner = [\n  {shared}\n"), 1);
    let dir = tempdir("shared");
    let b = dir.join("consortium.toml");
    fs::write(&b, b_text).unwrap();
    let out = escp(&[
        "check",
        "--format",
        "json",
        "--today",
        "2021-11-15",
        &a,
        b.to_str().unwrap(),
    ]);
    let report = json(&out);
    assert_eq!(code(&out), 0, "{report}");
    for file in report["files"].as_array().unwrap() {
        assert_eq!(file["status"], "ready", "{file}");
        let checks = file["checks"].as_array().unwrap();
        assert!(checks.iter().all(|c| c["rule"] != "one-consortium"));
        let duplicate = checks
            .iter()
            .find(|c| c["rule"] == "duplicate-partner")
            .unwrap();
        assert_eq!(duplicate["status"], "pass");
    }
}
