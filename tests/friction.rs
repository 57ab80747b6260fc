//! What a new user trips over: each case was seen in a first try of escp,
//! and the message must lead straight to the fix.

mod common;

use common::{code, escp_with_input, stdout};
use serde_json::Value;

fn report(text: &str) -> Value {
    let out = escp_with_input(
        &common::root(),
        &["check", "--format", "json", "--today", "2020-11-01", "-"],
        text.as_bytes(),
    );
    serde_json::from_str(&stdout(&out)).unwrap_or_else(|e| panic!("{e}: {}", stdout(&out)))
}

fn ready_2020() -> String {
    std::fs::read_to_string(common::root().join("examples/2020-strand-a-ready.toml")).unwrap()
}

/// `[partner]` written once among `[[partner]]` tables: TOML's own message
/// ("duplicate key") points at whichever table comes second, often a correct
/// one. escp points at the single-bracket header, once, and says to write
/// `[[partner]]`, with that as the fix.
#[test]
fn a_single_bracket_partner_among_the_list_is_pointed_at() {
    let ready = ready_2020();
    let first = ready.find("[[partner]]").unwrap();
    for (which, text) in [
        ("first", ready.replacen("[[partner]]", "[partner]", 1)),
        ("last", {
            let last = ready.rfind("[[partner]]").unwrap();
            format!("{}[partner]{}", &ready[..last], &ready[last + 11..])
        }),
    ] {
        let report = report(&text);
        let file = &report["files"][0];
        assert_eq!(file["status"], "unchecked", "{which}");
        let diagnostics = file["diagnostics"].as_array().unwrap();
        assert_eq!(diagnostics.len(), 1, "{which}: {diagnostics:?}");
        let d = &diagnostics[0];
        assert_eq!(d["rule"], "syntax");
        assert_eq!(
            d["message"],
            "invalid TOML: `[partner]` is written once among `[[partner]]` tables"
        );
        let line = text[..=text.find("\n[partner]").unwrap()]
            .matches('\n')
            .count()
            + 1;
        assert_eq!(d["line"], line, "{which}: {d}");
        assert_eq!(d["column"], 1);
        assert_eq!(d["fixes"][0]["safe"], true, "{d}");
        assert_eq!(d["fixes"][0]["edits"][0]["text"], "[[partner]]", "{d}");
    }
    // Far into a large file (parsed section by section) too.
    let padding: String = (0..600)
        .map(|i| {
            format!(
                "[[partner]]\nshort_name = \"P{i}\"\nname = \"Partner {i}\"\ncountry = \"IT\"\ntype = \"cluster-organisation\"\neccp = \"registered\"\n\n"
            )
        })
        .collect();
    let big = format!(
        "{}{padding}[partner]\nshort_name = \"X\"\n",
        &ready[..first]
    );
    assert!(big.len() > 64 * 1024);
    let report = report(&big);
    let d = &report["files"][0]["diagnostics"][0];
    assert_eq!(
        d["message"], "invalid TOML: `[partner]` is written once among `[[partner]]` tables",
        "{d}"
    );
    assert_eq!(
        d["line"],
        big[..=big.find("\n[partner]").unwrap()]
            .matches('\n')
            .count()
            + 1
    );
}

#[test]
fn the_single_bracket_fix_makes_the_file_parse() {
    let dir = std::env::temp_dir().join(format!("escp-friction-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("consortium.toml");
    let text = ready_2020().replacen("[[partner]]", "[partner]", 1);
    std::fs::write(&path, &text).unwrap();
    let out = common::escp(&[
        "check",
        "--fix",
        "--today",
        "2020-11-01",
        path.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), ready_2020());
    let _ = std::fs::remove_dir_all(&dir);
}

/// `path` in a fresh folder of its own, holding `text`.
fn temp_file(name: &str, text: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("escp-friction-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("consortium.toml");
    std::fs::write(&path, text).unwrap();
    path
}

/// `escp check --fix` on `text`: the exit code, standard error and the
/// file as it is after.
fn fixed(name: &str, text: &str) -> (i32, String, String) {
    let path = temp_file(name, text);
    let out = common::escp(&[
        "check",
        "--fix",
        "--today",
        "2020-11-01",
        path.to_str().unwrap(),
    ]);
    let after = std::fs::read_to_string(&path).unwrap();
    let _ = std::fs::remove_dir_all(path.parent().unwrap());
    (code(&out), common::stderr(&out), after)
}

fn diagnostics(report: &Value) -> Vec<Value> {
    report["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .clone()
}

/// Whether a diagnostic has no fix that `--fix` would apply.
fn no_safe_fix(d: &Value) -> bool {
    d["fixes"]
        .as_array()
        .is_none_or(|fixes| fixes.iter().all(|f| f["safe"] == false))
}

/// The 1-based line of the first line of `text` that starts with `start`.
fn line_of(text: &str, start: &str) -> u64 {
    text.lines().position(|l| l.starts_with(start)).unwrap() as u64 + 1
}

/// `requested_grant_eur = 540 000`: TOML says "string values must be
/// quoted", and quoting it gives "not a string". escp reads the number as
/// written where its grouping leaves no doubt, says what it read in words,
/// and gives the number to write, as a safe fix.
#[test]
fn an_amount_written_with_separators_gets_the_number_to_write() {
    let ready = ready_2020();
    for (written, literal, words) in [
        ("540 000", "540000", "540 thousand euros"),
        ("600.000,00", "600000", "600 thousand euros"),
        ("1 234 567", "1234567", "1 million 234 thousand 567 euros"),
        ("450'000", "450000", "450 thousand euros"),
        ("450\u{a0}000 €", "450000", "450 thousand euros"),
        (
            "539 999,50",
            "539999.50",
            "539 thousand 999 euros and 50 cents",
        ),
    ] {
        let text = ready.replace(
            "requested_grant_eur = 450000",
            &format!("requested_grant_eur = {written}  # the grant"),
        );
        let report = report(&text);
        assert_eq!(report["files"][0]["status"], "unchecked", "{written}");
        let diagnostics = diagnostics(&report);
        assert_eq!(diagnostics.len(), 1, "{written}: {diagnostics:?}");
        let d = &diagnostics[0];
        assert_eq!(d["rule"], "syntax", "{d}");
        assert_eq!(
            d["message"],
            format!("invalid TOML: `requested_grant_eur = {written}` is not a number in TOML"),
            "{d}"
        );
        let help = d["help"].as_str().unwrap();
        assert!(
            help.contains(&format!("`requested_grant_eur = {literal}`")),
            "{written}: {help}"
        );
        assert!(help.contains(words), "{written}: {help}");
        // The fix replaces the value, and only the value.
        let line = line_of(&text, "requested_grant_eur");
        assert_eq!(
            (d["line"].as_u64(), d["column"].as_u64()),
            (Some(line), Some(23))
        );
        assert_eq!(
            d["end_column"].as_u64(),
            Some(23 + written.chars().count() as u64),
            "{d}"
        );
        let fix = &d["fixes"][0];
        assert_eq!(fix["safe"], true, "{d}");
        assert_eq!(fix["edits"][0]["text"], literal, "{d}");
    }
}

/// Two amounts written with spaces are two findings, each with its fix,
/// and `--fix` repairs a file that does not parse until they are fixed.
#[test]
fn fix_repairs_amounts_with_separators_in_a_file_that_does_not_parse() {
    let ready = ready_2020();
    let text = ready
        .replace(
            "requested_grant_eur = 450000",
            "requested_grant_eur = 450 000",
        )
        .replace("total_costs_eur = 500000", "total_costs_eur = 500.000,00");
    let report = report(&text);
    let diagnostics = diagnostics(&report);
    assert_eq!(diagnostics.len(), 2, "{diagnostics:?}");
    let (code, stderr, after) = fixed("unquoted", &text);
    assert_eq!(after, ready, "{stderr}");
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("2 fixes"), "{stderr}");
}

/// `600,000` is 600000 where the comma separates thousands and 600 where
/// it is a decimal comma: both readings, and no fix.
#[test]
fn an_ambiguous_amount_gets_both_readings_and_no_fix() {
    let ready = ready_2020();
    for written in ["600,000", "\"600,000\"", "600.000 EUR", "\"600.000\""] {
        let text = ready.replace(
            "total_costs_eur = 500000",
            &format!("total_costs_eur = {written}"),
        );
        let report = report(&text);
        let diagnostics = diagnostics(&report);
        let d = diagnostics
            .iter()
            .find(|d| d["line"].as_u64() == Some(line_of(&text, "total_costs_eur")))
            .unwrap_or_else(|| panic!("{written}: {diagnostics:?}"));
        let help = d["help"].as_str().unwrap();
        for part in ["`600000`", "`600`", "600 thousand euros", "600 euros"] {
            assert!(help.contains(part), "{written}: {part} not in {help}");
        }
        assert!(no_safe_fix(d), "{d}");
    }
}

/// `requested_grant_eur = "540 000"` (what following TOML's "must be
/// quoted" gives): the number to write, and a safe fix.
#[test]
fn a_quoted_amount_gets_the_number_to_write_as_a_safe_fix() {
    let ready = ready_2020();
    let text = ready.replace(
        "requested_grant_eur = 450000",
        "requested_grant_eur = \"450 000\"",
    );
    let report = report(&text);
    let diagnostics = diagnostics(&report);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    let d = &diagnostics[0];
    assert_eq!(d["rule"], "invalid-value");
    let help = d["help"].as_str().unwrap();
    assert!(
        help.contains("`requested_grant_eur = 450000`") && help.contains("450 thousand euros"),
        "{help}"
    );
    assert_eq!(d["fixes"][0]["safe"], true, "{d}");
    assert_eq!(d["fixes"][0]["edits"][0]["text"], "450000", "{d}");
    let (code, stderr, after) = fixed("quoted", &text);
    assert_eq!((code, after), (0, ready), "{stderr}");
}

/// `"36"` for a whole number, `"true"` for a boolean, `"540 000"` for an
/// amount: the value is certain, so `--fix` writes it without quotes. What
/// is not certain ("36 months", "yes") is left for the team.
#[test]
fn fix_writes_quoted_numbers_and_booleans_where_the_key_makes_them_certain() {
    let ready = ready_2020();
    let quoted = ready
        .replace("duration_months = 30", "duration_months = \"30\"")
        .replace("sme_members = 85", "sme_members = \" 85 \"")
        .replace(
            "eccp = \"registered\"\nsme_members = 210",
            "eccp = \"registered\"\nlegal_entity = \"true\"\ndefence_related = \"False\"\nsme_members = 210",
        );
    let (code, stderr, after) = fixed("typed", &quoted);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        after,
        ready.replace(
            "eccp = \"registered\"\nsme_members = 210",
            "eccp = \"registered\"\nlegal_entity = true\ndefence_related = false\nsme_members = 210",
        ),
        "{stderr}"
    );
    assert!(stderr.contains("4 fixes"), "{stderr}");
    for (from, to) in [
        ("duration_months = 30", "duration_months = \"30 months\""),
        ("sme_members = 85", "sme_members = \"-85\""),
        (
            "eccp = \"registered\"\nsme_members = 210",
            "eccp = \"registered\"\nlegal_entity = \"yes\"\nsme_members = 210",
        ),
    ] {
        let text = ready.replace(from, to);
        let report = report(&text);
        let d = &diagnostics(&report)[0];
        assert_eq!(d["rule"], "invalid-value", "{to}: {d}");
        assert!(no_safe_fix(d), "{to}: {d}");
    }
}

/// The starter file leaves numbers and booleans as commented examples of
/// the right type (a `""` invited `"36"` and `"true"`), except where the
/// team must answer and no default can: `defence_related` in a defence
/// call. Each example, uncommented, is a valid value.
#[test]
fn the_starter_file_does_not_invite_quoted_numbers_or_booleans() {
    let dir = std::env::temp_dir().join(format!("escp-friction-{}-init", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for (call, strand) in [
        ("COS-CLUSINT-2020-3-01", "A"),
        ("COS-CLUSINT-2020-3-01", "B"),
        ("COS-CLUSINT-2017-03-6", ""),
        ("SMP-COSME-2021-CLUSTER-01", "open"),
    ] {
        let path = dir.join(format!("{call}-{strand}.toml"));
        let path = path.to_str().unwrap();
        let mut args = vec!["init", path, "--call", call, "--force"];
        if !strand.is_empty() {
            args.extend(["--strand", strand]);
        }
        assert_eq!(code(&common::escp(&args)), 0);
        let text = std::fs::read_to_string(path).unwrap();
        let defence_call = call == "COS-CLUSINT-2017-03-6" || strand == "B";
        for key in [
            "duration_months",
            "requested_grant_eur",
            "total_costs_eur",
            "third_party_support_eur",
            "legal_entity",
            "sme_members",
        ]
        .into_iter()
        .chain((!defence_call).then_some("defence_related"))
        {
            assert!(
                !text.contains(&format!("{key} = \"\"")),
                "{call} {strand}: {key} invites a string"
            );
            assert!(
                text.contains(&format!("\n# {key} = ")),
                "{call} {strand}: no example of {key}"
            );
        }
        // Every example uncommented: no value of the wrong type.
        let uncommented: String = text
            .lines()
            .map(|l| match l.strip_prefix("# ") {
                Some(rest)
                    if rest
                        .split_once(" = ")
                        .is_some_and(|(k, v)| !k.contains(' ') && !v.starts_with('"')) =>
                {
                    rest.to_string()
                }
                _ => l.to_string(),
            })
            .map(|l| l + "\n")
            .collect();
        assert_ne!(uncommented, text);
        let report = report(&uncommented);
        for d in diagnostics(&report) {
            let message = d["message"].as_str().unwrap();
            assert!(
                d["rule"] != "invalid-value" || message.ends_with("is empty"),
                "{call} {strand}: {d}"
            );
            assert_ne!(d["rule"], "syntax", "{call} {strand}: {d}");
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Country names in the applicants' own languages (CLDR's names, in the
/// official languages of the EU, the EEA and the countries taking part)
/// give the code, with a safe fix.
#[test]
fn country_names_in_the_applicants_languages_give_their_code() {
    let ready = ready_2020();
    for (name, code) in [
        // The ones a new user wrote.
        ("Noruega", "NO"),
        ("Ucrania", "UA"),
        ("Suiza", "CH"),
        ("Norwegen", "NO"),
        ("Turquía", "TR"),
        ("España", "ES"),
        // In every language of the calls' countries.
        ("Almanya", "DE"),
        ("Gjermani", "DE"),
        ("Німеччина", "DE"),
        ("Þýskaland", "DE"),
        ("Saksamaa", "DE"),
        ("Vācija", "DE"),
        ("il-Ġermanja", "DE"),
        ("an Ghearmáin", "DE"),
        ("Германија", "DE"),
        ("Njemačka", "DE"),
        ("Nemačka", "DE"),
        ("გერმანია", "DE"),
        ("Գերմանիա", "DE"),
        ("Sveitsi", "CH"),
        ("Švica", "CH"),
        ("İsviçre", "CH"),
        ("Ουκρανία", "UA"),
        ("Ukrajina", "UA"),
        ("Noreg", "NO"),
        ("Noregur", "NO"),
        ("Moldávia", "MD"),
        ("Crna Gora", "ME"),
        // Countries beyond the calls' own: target markets, partners abroad.
        ("Marruecos", "MA"),
        ("Japonsko", "JP"),
        ("Égypte", "EG"),
        ("Kanada", "CA"),
        ("Brasil", "BR"),
    ] {
        let text = ready.replacen("country = \"FR\"", &format!("country = \"{name}\""), 1);
        let report = report(&text);
        let d = diagnostics(&report)
            .into_iter()
            .find(|d| d["rule"] == "invalid-value")
            .unwrap_or_else(|| panic!("{name}"));
        assert_eq!(d["fixes"][0]["safe"], true, "{name}: {d}");
        assert_eq!(
            d["fixes"][0]["edits"][0]["text"],
            format!("\"{code}\""),
            "{name}: {d}"
        );
    }
}
