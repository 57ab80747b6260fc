//! Guard tests for the shipped rulesets (`calls/`): each file is embedded,
//! named after its id, loads, cites a source for every rule, and keeps the
//! rule that inferred parameters are never errors.

use escp::finding::{Basis, Severity};
use escp::rules::RuleId;
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
    let differs = |file: &PathBuf, fresh: &[u8]| {
        let stale = fs::read(file).unwrap_or_default() != fresh;
        if stale && bless {
            fs::write(file, fresh).unwrap();
        }
        stale
    };
    let mut stale = Vec::new();
    let groups = fs::read_to_string(calls_dir().join("countries/groups.toml")).unwrap();
    let groups = compiled::compile_groups(&groups).expect("groups.toml builds");
    let groups_file = calls_dir().join("compiled/groups.bin");
    if differs(&groups_file, &groups) {
        // The rulesets are compiled against the groups built into this test.
        assert!(
            !bless,
            "rewrote {}; the groups changed, so run the same command once more",
            groups_file.display()
        );
        stale.push(groups_file.display().to_string());
    }
    let regions = fs::read_to_string(calls_dir().join("countries/regions.toml")).unwrap();
    let regions = escp::ruleset::regions::Regions::from_toml(&regions)
        .unwrap_or_else(|e| panic!("regions.toml builds: {e}"));
    let regions_file = calls_dir().join("compiled/regions.bin");
    if differs(&regions_file, &escp::ruleset::regions::to_bytes(&regions)) {
        stale.push(regions_file.display().to_string());
    }
    for (id, _) in EMBEDDED {
        let name = format!("calls/{id}.toml");
        let text = fs::read_to_string(calls_dir().join(format!("{id}.toml"))).unwrap();
        let bytes = compiled::compile(&name, &text).unwrap_or_else(|e| panic!("{e:?}"));
        let file = calls_dir().join(format!("compiled/{id}.bin"));
        if differs(&file, &bytes) {
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
        "calls/compiled/groups.bin reads back differently"
    );
    let regions = fs::read_to_string(calls_dir().join("countries/regions.toml")).unwrap();
    assert!(
        escp::ruleset::regions::Regions::get()
            .all()
            .into_iter()
            .eq(&escp::ruleset::regions::Regions::from_toml(&regions).unwrap()),
        "calls/compiled/regions.bin reads back differently"
    );
}

/// Every fact is cited from a public page with the words that
/// state it (or, if inferred, says what it is deduced from and states its
/// most lenient reading, with why), every source a rule cites is listed with
/// an address or what to cite, and the general rules of EU proposals are
/// errors in every call.
#[test]
fn every_rule_cites_public_sources_and_inferred_rules_state_their_lenient_reading() {
    for ruleset in Catalog::embedded().all().unwrap() {
        let id = &ruleset.id;
        assert!(
            !ruleset.deadline.sources.is_empty() && ruleset.deadline.quote.is_some(),
            "{id}: deadline without sources and quote"
        );
        for source in &ruleset.sources {
            assert!(
                source.url.as_deref().is_some_and(|u| u.starts_with("http"))
                    || source.cite.is_some(),
                "{id}: source {} has no address and nothing to cite",
                source.id
            );
            assert!(
                !source.publisher.is_empty() && source.language.len() == 2,
                "{id}: {source:?}"
            );
        }
        assert!(!ruleset.rules.is_empty(), "{id}: no rules");
        for general in [RuleId::Coordinator, RuleId::DuplicatePartner] {
            let entry = ruleset
                .entry(general)
                .unwrap_or_else(|| panic!("{id}: no {general}"));
            for setting in &entry.per_strand {
                let setting = setting
                    .as_ref()
                    .unwrap_or_else(|| panic!("{id}: {general} not in every strand"));
                assert_eq!(
                    (setting.basis, setting.severity),
                    (Basis::Confirmed, Severity::Error),
                    "{id} {general}"
                );
                assert!(setting
                    .sources
                    .iter()
                    .all(|s| s.starts_with("ft-portal") && ruleset.source(s).is_some()));
            }
        }
        for entry in &ruleset.rules {
            for setting in entry.per_strand.iter().flatten() {
                match setting.basis {
                    Basis::Inferred => {
                        assert!(
                            setting.lenient.as_ref().is_some_and(|l| l.why.len() > 20),
                            "{id} {}: states no most lenient reading, or not why",
                            entry.rule
                        );
                        assert!(
                            setting
                                .inferred_from
                                .as_deref()
                                .is_some_and(|s| s.len() > 20),
                            "{id} {}: says not what it is inferred from",
                            entry.rule
                        );
                    }
                    _ => {
                        assert!(
                            !setting.sources.is_empty(),
                            "{id} {}: no sources",
                            entry.rule
                        );
                        assert!(
                            setting.quote.as_deref().is_some_and(|q| q.len() > 5),
                            "{id} {}: no quote",
                            entry.rule
                        );
                    }
                }
                if setting.basis == Basis::Contested {
                    assert!(
                        setting.other.is_some(),
                        "{id} {}: no other reading",
                        entry.rule
                    );
                }
                // Each source cited is in the list (with an address, or what
                // to cite where none is known).
                let other = setting.other.iter().flat_map(|o| &o.sources);
                for cited in setting.sources.iter().chain(other) {
                    assert!(
                        ruleset.source(cited).is_some(),
                        "{id} {}: cites the unknown source {cited}",
                        entry.rule
                    );
                }
            }
        }
    }
}

#[test]
fn the_shipped_calls_are_found_by_id_and_alias() {
    let catalog = Catalog::embedded();
    for (call, id) in [
        ("COS-CLUSTER-2014-3-03", "COS-CLUSTER-2014-3-03"),
        ("cos-clusint-2016-03-01", "COS-CLUSINT-2016-03-01"),
        ("COSME-2016-CLUSTER-1A", "COS-CLUSINT-2016-03-01"),
        ("COS-CLUSINT-2017-03-6", "COS-CLUSINT-2017-03-6"),
        ("COS-CLUSTER-2017-3-6", "COS-CLUSINT-2017-03-6"),
        (" COS-CLUSINT-2020-3-01 ", "COS-CLUSINT-2020-3-01"),
        ("cos-clusint-2019-3-01", "COS-CLUSINT-2019-3-01"),
        (
            "SMP-COSME-2023-AGRICLUSTER",
            "SMP-COSME-2023-AGRICLUSTER-01",
        ),
        (
            "smp-cosme-2023-agricluster-01",
            "SMP-COSME-2023-AGRICLUSTER-01",
        ),
        (
            "SMP-COSME-2026-BIOAGRIFOOD",
            "SMP-COSME-2026-BIOAGRIFOOD-01",
        ),
        (
            "SMP-COSME-2026-BIOAGRIFOOD-01",
            "SMP-COSME-2026-BIOAGRIFOOD-01",
        ),
    ] {
        let found = catalog
            .find(call)
            .unwrap()
            .unwrap_or_else(|| panic!("{call} not found"));
        assert_eq!(found.id, id);
    }
    assert!(catalog.find("COS-CLUSINT-2099-1-01").unwrap().is_none());
    // A near miss is suggested, another edition never is.
    assert_eq!(
        catalog.closest("COS-CLUSINT-2020-03-01").as_deref(),
        Some("COS-CLUSINT-2020-3-01")
    );
    assert_eq!(
        catalog.closest("COS-CLUSTINT-2020-301").as_deref(),
        Some("COS-CLUSINT-2020-3-01")
    );
    assert_eq!(catalog.closest("COS-CLUSINT-2021-3-01"), None);
    assert_eq!(catalog.closest("COS-CLUSINT-2018-3-01"), None);
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

const HEAD: &str = "id = \"X\"\ntitle = \"X\"\n[[source]]\nid = \"s\"\ntitle = \"t\"\npublisher = \"p\"\nlanguage = \"en\"\nurl = \"https://example.org/\"\n[deadline]\ndate = 2030-01-01\nzone = \"Europe/Brussels\"\nsources = [\"s\"]\nquote = \"q\"\nbasis = \"confirmed\"\n";

/// A rule's citation, as the shipped rulesets write it.
const CITED: &str = "sources = [\"s\"]\nquote = \"the words\"\n";

#[test]
fn malformed_rulesets_are_reported_clearly() {
    let unknown = load_err(&format!(
        "{HEAD}[rules.min-partner]\nmin = 3\n{CITED}basis = \"confirmed\"\n"
    ));
    assert!(
        unknown.contains("unknown rule `min-partner`") && unknown.contains("min-partners"),
        "{unknown}"
    );
    let wrong_type = load_err(&format!(
        "{HEAD}[rules.min-partners]\nmin = \"3\"\n{CITED}basis = \"confirmed\"\n"
    ));
    assert!(wrong_type.contains("min-partners"), "{wrong_type}");
    let inferred_error = load_err(&format!(
        "{HEAD}[rules.min-partners]\nmin = 3\ninferred_from = \"a guess of ours\"\nbasis = \"inferred\"\nseverity = \"error\"\n"
    ));
    assert!(inferred_error.contains("inferred"), "{inferred_error}");
    let no_source = load_err(&format!(
        "{HEAD}[rules.min-partners]\nmin = 3\nbasis = \"confirmed\"\n"
    ));
    assert!(
        no_source.contains("no `sources` and `quote`"),
        "{no_source}"
    );
    let old_source = load_err(&format!(
        "{HEAD}[rules.min-partners]\nmin = 3\nsource = \"somewhere\"\nbasis = \"confirmed\"\n"
    ));
    assert!(old_source.contains("`sources`"), "{old_source}");
    let unknown_source = load_err(&format!(
        "{HEAD}[rules.min-partners]\nmin = 3\nsources = [\"nope\"]\nquote = \"q\"\nbasis = \"confirmed\"\n"
    ));
    assert!(unknown_source.contains("\"nope\""), "{unknown_source}");
    let no_reading = load_err(&format!(
        "{HEAD}[rules.max-grant]\nmax_eur = 550000\n{CITED}basis = \"contested\"\n"
    ));
    assert!(no_reading.contains("no `other` reading"), "{no_reading}");
    let same_reading = load_err(&format!(
        "{HEAD}[rules.max-grant]\nmax_eur = 550000\n{CITED}basis = \"contested\"\nother = {{ max_eur = 550000, sources = [\"s\"], quote = \"q\" }}\n"
    ));
    assert!(same_reading.contains("same parameters"), "{same_reading}");
    let bad_strand = load_err(&format!(
        "{HEAD}[[strand]]\nid = \"A\"\ntitle = \"a\"\n[rules.max-grant]\n{CITED}basis = \"confirmed\"\nstrands.Z = {{ max_eur = 1 }}\n"
    ));
    assert!(
        bad_strand.contains("`strands.Z` names no strand"),
        "{bad_strand}"
    );
    let bad_group = load_err(&format!(
        "{HEAD}[rules.eligible-country]\ngroups = [\"efta\"]\n{CITED}basis = \"confirmed\"\n"
    ));
    assert!(bad_group.contains("`efta`"), "{bad_group}");
    let colliding = load_err(&format!(
        "{HEAD}[[strand]]\nid = \"A\"\ntitle = \"a\"\n[[strand]]\nid = \"A.\"\ntitle = \"b\"\n[rules.strand]\n{CITED}basis = \"confirmed\"\n"
    ));
    assert!(colliding.contains("read as the same strand"), "{colliding}");
    // Strands are named by title too: a title that reads as another
    // strand's id or title is refused as well.
    let title_as_id = load_err(&format!(
        "{HEAD}[[strand]]\nid = \"digital\"\ntitle = \"Digital\"\n[[strand]]\nid = \"open\"\ntitle = \"Digital ecosystem\"\n[rules.strand]\n{CITED}basis = \"confirmed\"\n"
    ));
    assert!(
        title_as_id.contains("strands \"digital\" and \"open\" read as the same strand: the id \"digital\" and the title \"Digital ecosystem\""),
        "{title_as_id}"
    );
    let titles = load_err(&format!(
        "{HEAD}[[strand]]\nid = \"cci\"\ntitle = \"Creative & Cultural\"\n[[strand]]\nid = \"cc2\"\ntitle = \"Creative and cultural\"\n[rules.strand]\n{CITED}basis = \"confirmed\"\n"
    ));
    assert!(
        titles
            .contains("the title \"Creative & Cultural\" and the title \"Creative and cultural\"")
            && titles.contains("\"industrial ecosystem\""),
        "{titles}"
    );
    let bad_zone = load_err(&(HEAD.replace("Europe/Brussels", "Brussels time") + "[rules]\n"));
    assert!(bad_zone.contains("not a time zone"), "{bad_zone}");
    let no_address =
        load_err(&(HEAD.replace("url = \"https://example.org/\"\n", "") + "[rules]\n"));
    assert!(
        no_address.contains("neither `url` nor `cite`"),
        "{no_address}"
    );
}

/// `escp calls` lists each call under a title of its own: the 2021 and
/// 2024 Euroclusters calls share their official name, so their titles say
/// the year.
#[test]
fn every_call_has_a_title_of_its_own() {
    let all = Catalog::embedded().all().unwrap();
    let mut seen = std::collections::HashMap::new();
    for ruleset in &all {
        if let Some(other) = seen.insert(ruleset.title.to_lowercase(), &ruleset.id) {
            panic!(
                "{} and {other} have the same title: {}",
                ruleset.id, ruleset.title
            );
        }
    }
}
