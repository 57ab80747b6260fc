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

fn diagnostics(report: &Value) -> Vec<Value> {
    report["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .clone()
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
