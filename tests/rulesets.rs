//! Guard tests for the shipped rulesets (`calls/`): each file is embedded,
//! named after its id, loads, cites a source for every rule, and keeps the
//! rule that inferred parameters are never errors.

use escp::finding::{Basis, Severity};
use escp::ruleset::catalog::EMBEDDED;
use escp::ruleset::{compiled, load, Catalog, Origin};
use std::fs;
use std::path::PathBuf;

fn calls_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("calls")
}

#[test]
fn every_ruleset_file_is_embedded_and_named_after_its_id() {
    let mut on_disk: Vec<String> = fs::read_dir(calls_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .map(|p| p.file_stem().unwrap().to_str().unwrap().to_string())
        .collect();
    on_disk.sort();
    let mut embedded: Vec<String> = EMBEDDED.iter().map(|(id, _)| id.to_string()).collect();
    embedded.sort();
    assert_eq!(
        on_disk, embedded,
        "calls/*.toml and the EMBEDDED list differ"
    );
    for id in &on_disk {
        let text = fs::read_to_string(calls_dir().join(format!("{id}.toml"))).unwrap();
        let ruleset = load::load(&format!("calls/{id}.toml"), &text, Origin::Embedded)
            .unwrap_or_else(|e| panic!("{id} does not load: {e:?}"));
        assert_eq!(&ruleset.id, id, "calls/{id}.toml has id {}", ruleset.id);
    }
}

/// The compiled forms in `calls/compiled/` are what the TOML files load
/// into. With `ESCP_BLESS=1` the test rewrites the stale ones instead.
#[test]
fn the_compiled_rulesets_are_fresh() {
    let bless = std::env::var_os("ESCP_BLESS").is_some_and(|v| v == "1");
    let how = "run `ESCP_BLESS=1 cargo test --test rulesets` to recompile calls/compiled/";
    // Whether `file` differs from `fresh` (rewritten when blessing).
    let differs = |file: &PathBuf, fresh: &str| {
        let stale = fs::read_to_string(file).unwrap_or_default() != fresh;
        if stale && bless {
            fs::write(file, fresh).unwrap();
        }
        stale
    };
    let mut stale = Vec::new();
    let groups = fs::read_to_string(calls_dir().join("countries/groups.toml")).unwrap();
    let groups = compiled::compile_groups(&groups).expect("groups.toml builds");
    let groups_file = calls_dir().join("compiled/groups.json");
    if differs(&groups_file, &groups) {
        // The rulesets are compiled against the groups built into this test.
        assert!(
            !bless,
            "rewrote {}; the groups changed, so run the same command once more",
            groups_file.display()
        );
        stale.push(groups_file.display().to_string());
    }
    for (id, _) in EMBEDDED {
        let name = format!("calls/{id}.toml");
        let text = fs::read_to_string(calls_dir().join(format!("{id}.toml"))).unwrap();
        let json = compiled::compile(&name, &text).unwrap_or_else(|e| panic!("{e:?}"));
        let file = calls_dir().join(format!("compiled/{id}.json"));
        if differs(&file, &json) {
            stale.push(file.display().to_string());
        }
    }
    assert!(
        stale.is_empty() || bless,
        "stale compiled rulesets: {stale:?}; {how}"
    );
}

/// What the binary reads (the embedded compiled form) is exactly what the
/// TOML loads into: nothing is lost on the way through JSON.
#[test]
fn the_embedded_rulesets_read_back_to_their_toml() {
    let catalog = Catalog::embedded();
    for (id, _) in EMBEDDED {
        let text = fs::read_to_string(calls_dir().join(format!("{id}.toml"))).unwrap();
        let from_toml = load::load(&format!("calls/{id}.toml"), &text, Origin::Embedded).unwrap();
        let embedded = catalog.find(id).unwrap().unwrap();
        assert!(
            *embedded == from_toml,
            "{id}: the compiled form reads back differently"
        );
    }
    let groups = fs::read_to_string(calls_dir().join("countries/groups.toml")).unwrap();
    assert!(
        *escp::ruleset::groups::embedded() == escp::ruleset::groups::from_toml(&groups).unwrap(),
        "calls/compiled/groups.json reads back differently"
    );
}

#[test]
fn every_rule_cites_a_source_and_inferred_rules_are_warnings() {
    for ruleset in Catalog::embedded().all().unwrap() {
        assert!(
            !ruleset.deadline.source.is_empty(),
            "{}: deadline without source",
            ruleset.id
        );
        assert!(!ruleset.rules.is_empty(), "{}: no rules", ruleset.id);
        for entry in &ruleset.rules {
            for setting in entry.per_strand.iter().flatten() {
                assert!(
                    setting.source.len() > 10,
                    "{} {}: no real source",
                    ruleset.id,
                    entry.rule
                );
                if setting.basis == Basis::Inferred {
                    assert_eq!(
                        setting.severity,
                        Severity::Warning,
                        "{} {}",
                        ruleset.id,
                        entry.rule
                    );
                }
            }
        }
    }
}

#[test]
fn the_four_seed_calls_are_found_by_id_and_alias() {
    let catalog = Catalog::embedded();
    for (call, id) in [
        ("COS-CLUSTER-2014-3-03", "COS-CLUSTER-2014-3-03"),
        ("cos-clusint-2016-03-01", "COS-CLUSINT-2016-03-01"),
        ("COSME-2016-CLUSTER-1A", "COS-CLUSINT-2016-03-01"),
        ("COS-CLUSINT-2017-03-6", "COS-CLUSINT-2017-03-6"),
        ("COS-CLUSTER-2017-3-6", "COS-CLUSINT-2017-03-6"),
        (" COS-CLUSINT-2020-3-01 ", "COS-CLUSINT-2020-3-01"),
    ] {
        let found = catalog
            .find(call)
            .unwrap()
            .unwrap_or_else(|| panic!("{call} not found"));
        assert_eq!(found.id, id);
    }
    assert!(catalog.find("COS-CLUSINT-2099-1-01").unwrap().is_none());
    assert_eq!(
        catalog.closest("COS-CLUSINT-2020-03-01").as_deref(),
        Some("COS-CLUSINT-2020-3-01")
    );
}

#[test]
fn the_2020_strands_carry_their_own_parameters() {
    let catalog = Catalog::embedded();
    let call = catalog.find("COS-CLUSINT-2020-3-01").unwrap().unwrap();
    assert_eq!(call.strand_index("a"), Some(0));
    assert_eq!(call.strand_index("Strand B"), Some(1));
    let grant = call.entry(escp::rules::RuleId::MaxGrant).unwrap();
    let caps: Vec<String> = grant
        .per_strand
        .iter()
        .map(|s| format!("{:?}", s.as_ref().unwrap().params))
        .collect();
    assert!(caps[0].contains("550000"), "{caps:?}");
    assert!(caps[1].contains("450000"), "{caps:?}");
    // defence-related applies to strand B only.
    let defence = call.entry(escp::rules::RuleId::DefenceRelated).unwrap();
    assert!(defence.per_strand[0].is_none() && defence.per_strand[1].is_some());
}

fn load_err(text: &str) -> String {
    let err = load::load("test.toml", text, Origin::Embedded).expect_err("the ruleset is invalid");
    format!("{}: {}", err.message, err.help.clone().unwrap_or_default())
}

const HEAD: &str = "id = \"X\"\ntitle = \"X\"\n[deadline]\ndate = 2030-01-01\nsource = \"s\"\nbasis = \"confirmed\"\n";

#[test]
fn malformed_rulesets_are_reported_clearly() {
    let unknown = load_err(&format!(
        "{HEAD}[rules.min-partner]\nmin = 3\nsource = \"s\"\nbasis = \"confirmed\"\n"
    ));
    assert!(
        unknown.contains("unknown rule `min-partner`") && unknown.contains("min-partners"),
        "{unknown}"
    );
    let wrong_type = load_err(&format!(
        "{HEAD}[rules.min-partners]\nmin = \"3\"\nsource = \"s\"\nbasis = \"confirmed\"\n"
    ));
    assert!(wrong_type.contains("min-partners"), "{wrong_type}");
    let inferred_error = load_err(&format!(
        "{HEAD}[rules.min-partners]\nmin = 3\nsource = \"s\"\nbasis = \"inferred\"\nseverity = \"error\"\n"
    ));
    assert!(inferred_error.contains("inferred"), "{inferred_error}");
    let no_source = load_err(&format!(
        "{HEAD}[rules.min-partners]\nmin = 3\nbasis = \"confirmed\"\n"
    ));
    assert!(no_source.contains("no `source`"), "{no_source}");
    let bad_strand = load_err(&format!(
        "{HEAD}[[strand]]\nid = \"A\"\ntitle = \"a\"\n[rules.max-grant]\nsource = \"s\"\nbasis = \"confirmed\"\nstrands.Z = {{ max_eur = 1 }}\n"
    ));
    assert!(
        bad_strand.contains("`strands.Z` names no strand"),
        "{bad_strand}"
    );
    let bad_group = load_err(&format!(
        "{HEAD}[rules.eligible-country]\ngroups = [\"efta\"]\nsource = \"s\"\nbasis = \"confirmed\"\n"
    ));
    assert!(bad_group.contains("`efta`"), "{bad_group}");
}
