//! Help suggests only what escp knows: a code for a country's
//! name, alpha-3 code or abbreviation; the closest key; the call's strands
//! with their titles; a near-miss call id, never another edition; a grant
//! within both the rate and the cap. Never a made-up country, strand or id.

mod common;

use serde_json::Value;
use std::fs;

/// The JSON report of `text` checked as a 2020 file on 2020-11-01.
fn report(name: &str, text: &str) -> Value {
    let dir = std::env::temp_dir().join(format!("escp-suggest-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    let path = dir.join("consortium.toml");
    fs::write(&path, text).unwrap();
    let out = common::escp(&[
        "check",
        "--format",
        "json",
        "--today",
        "2020-11-01",
        path.to_str().unwrap(),
    ]);
    fs::remove_dir_all(&dir).unwrap();
    serde_json::from_str(&common::stdout(&out)).unwrap()
}

fn diagnostics(json: &Value) -> Vec<Value> {
    json["files"][0]["diagnostics"].as_array().unwrap().clone()
}

fn ready() -> String {
    fs::read_to_string(common::root().join("examples/2020-strand-a-ready.toml")).unwrap()
}

#[test]
fn alpha_3_codes_and_abbreviations_suggest_the_code_with_a_fix() {
    for (written, code) in [("USA", "US"), ("U.S.", "US"), ("DEU", "DE"), ("UAE", "AE")] {
        let text = ready().replacen("country = \"JP\"", &format!("country = \"{written}\""), 1);
        let json = report(&format!("a3-{code}"), &text);
        let d = diagnostics(&json)
            .into_iter()
            .find(|d| d["rule"] == "invalid-value")
            .unwrap_or_else(|| panic!("{written}: no invalid-value"));
        let help = d["help"].as_str().unwrap();
        assert!(help.contains(&format!("\"{code}\"")), "{written}: {help}");
        assert_eq!(d["fixes"][0]["edits"][0]["text"], format!("\"{code}\""));
    }
    // A close guess is a hint, never an automatic fix.
    let text = ready().replacen("country = \"IT\"", "country = \"Itlay\"", 1);
    let d = diagnostics(&report("guess", &text))
        .into_iter()
        .find(|d| d["rule"] == "invalid-value")
        .unwrap();
    assert!(
        d["help"].as_str().unwrap().contains("did you mean Italy"),
        "{d}"
    );
    assert!(d.get("fixes").is_none(), "{d}");
}

#[test]
fn a_missing_country_is_never_invented() {
    let text = ready().replacen("country = \"IT\"\n", "", 1);
    let d = diagnostics(&report("no-country", &text))
        .into_iter()
        .find(|d| d["rule"] == "missing-key")
        .unwrap();
    let help = d["help"].as_str().unwrap();
    assert!(help.contains("country = \"...\""), "{help}");
    assert!(!help.contains("\"IT\""), "{help}");
    // Its fix inserts a placeholder to fill in, not a country.
    assert_eq!(d["fixes"][0]["edits"][0]["text"], "country = \"\"\n");
}

#[test]
fn a_missing_strand_lists_the_strands_with_their_titles() {
    let text = ready().replacen("strand = \"A\"\n", "", 1);
    let d = diagnostics(&report("no-strand", &text))
        .into_iter()
        .find(|d| d["rule"] == "strand")
        .unwrap();
    let help = d["help"].as_str().unwrap();
    assert!(
        help.contains("\"A\" (all sectors except defence and security)"),
        "{help}"
    );
    assert!(help.contains("\"B\" (defence and security"), "{help}");
    assert!(!help.contains("add `strand = \"A\"`"), "{help}");
}

#[test]
fn a_strand_written_as_a_number_is_quoted() {
    let text = fs::read_to_string(common::root().join("examples/2014-strand-1-ready.toml"))
        .unwrap()
        .replacen("strand = \"1\"", "strand = 1", 1);
    let d = diagnostics(&report("strand-number", &text))
        .into_iter()
        .find(|d| d["rule"] == "invalid-value")
        .unwrap();
    assert!(
        d["help"].as_str().unwrap().contains("strand = \"1\""),
        "{d}"
    );
    assert_eq!(d["fixes"][0]["edits"][0]["text"], "\"1\"");
}

#[test]
fn a_call_id_typo_is_suggested_but_never_another_edition() {
    let near = ready().replacen(
        "call = \"COS-CLUSINT-2020-3-01\"",
        "call = \"COS-CLUSINT-2020-03-01\"",
        1,
    );
    let d = &diagnostics(&report("near", &near))[0];
    assert_eq!(d["rule"], "unknown-call");
    assert!(
        d["help"]
            .as_str()
            .unwrap()
            .contains("did you mean \"COS-CLUSINT-2020-3-01\"?"),
        "{d}"
    );
    for other in [
        "COS-CLUSINT-2021-3-01",
        "COS-CLUSINT-2018-3-01",
        "COS-CLUSINT-2020-4-01",
    ] {
        let text = ready().replacen(
            "call = \"COS-CLUSINT-2020-3-01\"",
            &format!("call = \"{other}\""),
            1,
        );
        let d = &diagnostics(&report(other, &text))[0];
        let help = d["help"].as_str().unwrap();
        assert!(!help.contains("did you mean"), "{other}: {help}");
        assert!(help.contains("escp calls"), "{other}: {help}");
    }
}

#[test]
fn the_co_financing_hint_respects_the_grant_cap() {
    // 95% of EUR 800,000 is over the rate, and 90% (EUR 720,000) is over
    // the cap of EUR 550,000: the help names the lower of the two limits.
    let text = ready()
        .replacen(
            "requested_grant_eur = 450000",
            "requested_grant_eur = 760000",
            1,
        )
        .replacen("total_costs_eur = 500000", "total_costs_eur = 800000", 1);
    let d = diagnostics(&report("cap", &text))
        .into_iter()
        .find(|d| d["rule"] == "funding-rate")
        .unwrap();
    let help = d["help"].as_str().unwrap();
    assert!(help.contains("at most EUR 550,000"), "{help}");
    assert!(!help.contains("720,000"), "{help}");
}

#[test]
fn a_misspelt_key_suggests_the_key_and_a_fix_renames_it() {
    let text = ready().replacen("eccp = \"registered\"", "ecpp = \"registered\"", 1);
    let json = report("typo", &text);
    let all = diagnostics(&json);
    let d = all.iter().find(|d| d["rule"] == "unknown-key").unwrap();
    assert!(
        d["help"].as_str().unwrap().contains("did you mean `eccp`?"),
        "{d}"
    );
    assert_eq!(d["fixes"][0]["edits"][0]["text"], "eccp");
    // One cause, one error: no missing-key for `eccp` as well.
    assert!(all.iter().all(|d| d["rule"] != "missing-key"), "{all:?}");
}
