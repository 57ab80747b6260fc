//! Readings: every parameter is judged under its plausible readings, and the
//! summary, `explain` and `calls` say what the verdict rests on. (The
//! verdicts themselves, per reading, are pinned by the fixtures of
//! `tests/fixtures/rules/`: fails every reading -> error, some -> warning,
//! none -> pass.)

mod common;

use common::{code, escp, escp_with_input, stderr, stdout};
use serde_json::Value;
use std::fs;

fn json(out: &std::process::Output) -> Value {
    serde_json::from_str(&stdout(out)).unwrap_or_else(|e| panic!("{e}: {}", stdout(out)))
}

/// The readiness line of `rule` in a JSON report of standard input.
fn check_of(text: &str, today: &str, rule: &str) -> (String, String) {
    let out = escp_with_input(
        &common::root(),
        &["check", "--format", "json", "--today", today, "-"],
        text.as_bytes(),
    );
    let report = json(&out);
    let check = report["files"][0]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["rule"] == rule)
        .unwrap_or_else(|| panic!("no {rule} in {report}"))
        .clone();
    (
        check["status"].as_str().unwrap().to_string(),
        check["detail"].as_str().unwrap().to_string(),
    )
}

const STRAND_2A_2019: &str = r#"call = "COS-CLUSINT-2019-3-01"
strand = "2.a"
partner = [
  { short_name = "AGRI-IT", name = "Cluster Agrifood Italia", country = "IT", type = "cluster-organisation", eccp = "registered", role = "coordinator", legal_entity = true },
  { short_name = "AGRI-FR", name = "Pole Agroalimentaire", country = "FR", type = "cluster-organisation", eccp = "registered", legal_entity = true },
  { short_name = "AGRI-RS", name = "Klaster hrane Srbije", country = "RS", type = "cluster-organisation", eccp = "registered" },
]

[proposal]
acronym = "FIX"
duration_months = 24
requested_grant_eur = 450000
total_costs_eur = 500000
actions = ["implementation"]

[[target]]
country = "JP"
"#;

#[test]
fn a_pass_on_an_inferred_or_contested_basis_says_so() {
    let (status, detail) = check_of(STRAND_2A_2019, "2019-10-01", "max-grant");
    assert_eq!(
        (status.as_str(), detail.as_str()),
        (
            "pass",
            "grant EUR 450,000 of at most 450,000 (inferred cap)"
        )
    );
    // A confirmed pass says nothing of its basis.
    let (status, detail) = check_of(STRAND_2A_2019, "2019-10-01", "min-partners");
    assert_eq!(
        (status.as_str(), detail.as_str()),
        ("pass", "3 applicants (at least 3)")
    );
    // A contested one says it is.
    let (status, detail) = check_of(STRAND_2A_2019, "2019-10-01", "target-third-country");
    assert_eq!(status, "pass");
    assert!(detail.ends_with("(contested country list)"), "{detail}");
}

#[test]
fn a_pass_that_rests_on_a_default_says_so() {
    let (status, detail) = check_of(STRAND_2A_2019, "2019-10-01", "legal-entity");
    assert_eq!(status, "pass");
    assert_eq!(
        detail,
        "3 of 3 applicants are legal entities (`legal_entity` not given for 1: taken as true)"
    );
    let all_given = STRAND_2A_2019.replace(
        "eccp = \"registered\" }",
        "eccp = \"registered\", legal_entity = true }",
    );
    let (_, detail) = check_of(&all_given, "2019-10-01", "legal-entity");
    assert_eq!(detail, "3 of 3 applicants are legal entities");
}

#[test]
fn a_warning_on_an_inferred_reading_says_which_reading_passes() {
    let over = STRAND_2A_2019.replace(
        "requested_grant_eur = 450000",
        "requested_grant_eur = 480000",
    );
    let (status, detail) = check_of(&over, "2019-10-01", "max-grant");
    assert_eq!(status, "warn");
    assert_eq!(
        detail,
        "grant EUR 480,000 of at most 450,000 (inferred cap; no requirement known for certain: warnings only)"
    );
    let rate = STRAND_2A_2019.replace("total_costs_eur = 500000", "total_costs_eur = 470000");
    let (status, detail) = check_of(&rate, "2019-10-01", "funding-rate");
    assert_eq!(status, "warn");
    assert!(
        detail.ends_with("(inferred rate: passes only its most lenient reading)"),
        "{detail}"
    );
    // Above 100% of the costs, no reading passes.
    let above = STRAND_2A_2019.replace("total_costs_eur = 500000", "total_costs_eur = 440000");
    let (status, _) = check_of(&above, "2019-10-01", "funding-rate");
    assert_eq!(status, "fail");
}

#[test]
fn explain_and_calls_state_each_rules_readings() {
    let out = escp(&["explain", "coordinator"]);
    let text = stdout(&out);
    assert!(text.contains("A general rule of EU proposals"), "{text}");
    assert!(
        !text.contains("(warning, inferred)") && text.contains("(confirmed)"),
        "{text}"
    );
    let out = escp(&["explain", "distinct-countries"]);
    let text = stdout(&out)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        text.contains("a failure is an error where even the most lenient reading fails (applicants in at least 2 different countries"),
        "{text}"
    );
    let out = escp(&["calls", "SMP-COSME-2024-CLUSTER-01", "--format", "json"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let call = json(&out);
    let rules = call["call"]["rules"].as_array().unwrap();
    let distinct = rules
        .iter()
        .find(|r| r["rule"] == "distinct-countries")
        .unwrap();
    assert_eq!(distinct["basis"], "inferred");
    assert_eq!(distinct["lenient_reading"]["params"]["min"], 2);
    assert!(distinct["lenient_reading"]["why"]
        .as_str()
        .unwrap()
        .contains("trans-European"));
    let coordinator = rules.iter().find(|r| r["rule"] == "coordinator").unwrap();
    assert_eq!(coordinator["basis"], "confirmed");
    assert!(coordinator["sources"]
        .to_string()
        .contains("webgate.ec.europa.eu"));
}

/// The loader refuses an inferred parameter that does not state its most
/// lenient reading, and a lenient reading on a parameter that is not
/// inferred.
#[test]
fn an_inferred_parameter_states_its_most_lenient_reading() {
    let dir = std::env::temp_dir().join(format!("escp-readings-{}", std::process::id()));
    let shipped =
        fs::read_to_string(common::root().join("calls/SMP-COSME-2024-CLUSTER-01.toml")).unwrap();
    let lenient = shipped
        .lines()
        .find(|l| l.starts_with("lenient = { min = 2"))
        .expect("the shipped 2024 ruleset states a lenient reading of distinct-countries");
    for (case, text, says) in [
        (
            "without",
            shipped.replacen(&format!("{lenient}\n"), "", 1),
            "is inferred but does not state its most lenient reading (`lenient`)",
        ),
        (
            "without-why",
            shipped.replacen(lenient, "lenient = { min = 2 }", 1),
            "does not say why",
        ),
        (
            "on-a-confirmed-rule",
            shipped.replacen(
                "[rules.min-partners]\nmin = 3\n",
                "[rules.min-partners]\nmin = 3\nlenient = { min = 2, why = \"a reason of some length\" }\n",
                1,
            ),
            "has a `lenient` reading but is not inferred",
        ),
    ] {
        assert_ne!(text, shipped, "{case}: the edit applies");
        let folder = dir.join(case);
        fs::create_dir_all(&folder).unwrap();
        fs::write(folder.join("SMP-COSME-2024-CLUSTER-01.toml"), &text).unwrap();
        let out = escp(&["calls", "--calls", folder.to_str().unwrap()]);
        assert_eq!(code(&out), 2, "{case}: {}", stdout(&out));
        let err = stderr(&out).split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(err.contains(says), "{case}: {err}");
    }
    let _ = fs::remove_dir_all(&dir);
}
