//! `escp lsp` at the protocol level: the built binary is started and spoken
//! to in JSON-RPC over its pipes (Content-Length framing), as an editor
//! does (the client is tests/lsp_client). Every wait has a timeout, so a
//! hang fails a test instead of blocking CI.

mod common;
mod lsp_client;

use lsp_client::*;
use serde_json::{json, Value};

#[test]
fn diagnostics_are_those_of_escp_check() {
    for name in [
        "2020-strand-a-not-ready.toml",
        "2020-strand-a-ready.toml",
        "2017-defence-not-ready.toml",
        "2016-strand-2-not-ready.toml",
    ] {
        let path = format!("examples/{name}");
        let output = common::escp(&["check", "--format", "json", "--today", TODAY, &path]);
        let report: Value = serde_json::from_slice(&output.stdout).unwrap();
        let file = &report["files"][0];
        let (uri, text) = example(name);
        let expected: Vec<Value> = file["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                let n = |k: &str| d[k].as_u64().unwrap() as usize;
                json!({
                    "code": d["rule"],
                    "severity": if d["severity"] == "error" { 1 } else { 2 },
                    "range": {
                        "start": {"line": n("line") - 1, "character": utf16(&text, n("line"), n("column"))},
                        "end": {"line": n("end_line") - 1, "character": utf16(&text, n("end_line"), n("end_column"))},
                    },
                    "message": d["message"],
                })
            })
            .collect();

        let (mut client, _) = Client::start(options(), json!({}));
        client.open(&uri, &text);
        let published = client.diagnostics(&uri, 1);
        let (findings, verdicts): (Vec<&Value>, Vec<&Value>) =
            published.iter().partition(|d| d["severity"] != 3);
        let got: Vec<Value> = findings
            .iter()
            .map(|d| {
                let message = d["message"].as_str().unwrap();
                json!({
                    "code": d["code"],
                    "severity": d["severity"],
                    "range": d["range"],
                    // The first line is the finding's message; help and
                    // source follow.
                    "message": message.lines().next().unwrap(),
                })
            })
            .collect();
        assert_eq!(got, expected, "{name}");
        for d in &findings {
            assert_eq!(d["source"], "escp");
            assert!(
                d.get("codeDescription").is_none(),
                "no documentation link unless given"
            );
        }
        // The verdict, on the `call` value.
        assert_eq!(verdicts.len(), 1, "{name}");
        let verdict = verdicts[0]["message"].as_str().unwrap();
        let status = file["status"]
            .as_str()
            .unwrap()
            .replace('-', " ")
            .to_uppercase();
        assert!(verdict.starts_with(&format!("{status}: ")), "{verdict}");
        let (line, character) = find(&text, "\"COS-");
        assert_eq!(
            verdicts[0]["range"]["start"],
            json!({"line": line, "character": character})
        );
        assert_eq!(client.shutdown(), 0);
    }
}

#[test]
fn secondary_labels_are_related_information_and_rules_link_to_their_docs() {
    let (uri, text) = example("2020-strand-a-not-ready.toml");
    let docs = "https://example.invalid/escp/docs/rules.md";
    let (mut client, _) = Client::start(json!({"today": TODAY, "docsUrl": docs}), json!({}));
    client.open(&uri, &text);
    let published = client.diagnostics(&uri, 1);
    let distinct = published
        .iter()
        .find(|d| d["code"] == "distinct-countries")
        .expect("distinct-countries");
    let related = distinct["relatedInformation"]
        .as_array()
        .expect("related information");
    assert!(!related.is_empty());
    for r in related {
        assert_eq!(r["location"]["uri"], uri);
        assert!(r["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
    assert_eq!(
        distinct["codeDescription"]["href"],
        format!("{docs}#distinct-countries")
    );
    let message = distinct["message"].as_str().unwrap();
    assert!(message.contains("\nhelp: "), "{message}");
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn a_change_that_fixes_the_problem_clears_its_diagnostic() {
    let (uri, text) = example("2020-strand-a-not-ready.toml");
    let (mut client, _) = Client::start(options(), json!({}));
    client.open(&uri, &text);
    let before = client.diagnostics(&uri, 1);
    assert!(codes(&before).contains(&"eligible-country".to_string()));
    // Switzerland (CH) -> Austria (AT).
    let (line, character) = find(&text, "\"CH\"");
    client.change(
        &uri,
        2,
        json!({"start": {"line": line, "character": character + 1}, "end": {"line": line, "character": character + 3}}),
        "AT",
    );
    let after = client.diagnostics(&uri, 2);
    assert!(
        !codes(&after).contains(&"eligible-country".to_string()),
        "{after:?}"
    );
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn a_newer_edit_cancels_an_older_check() {
    let (uri, text) = example("2020-strand-a-ready.toml");
    // A long debounce, so that every edit below lands within it.
    let (mut client, _) = Client::start(json!({"today": TODAY, "debounceMs": 300}), json!({}));
    client.open(&uri, &text);
    client.diagnostics(&uri, 1);
    let end = text.lines().count();
    for version in 2..=6 {
        client.change(
            &uri,
            version,
            json!({"start": {"line": end, "character": 0}, "end": {"line": end, "character": 0}}),
            "\n",
        );
    }
    let last = client.diagnostics(&uri, 6);
    assert!(codes(&last).is_empty(), "{last:?}");
    // Nothing was published for the versions in between.
    let stale: Vec<&Value> = client
        .notes
        .iter()
        .filter(|m| m["method"] == "textDocument/publishDiagnostics")
        .collect();
    assert!(stale.is_empty(), "stale diagnostics published: {stale:?}");
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn hover_explains_a_country_code_the_call_and_a_key() {
    let (uri, text) = example("2020-strand-a-not-ready.toml");
    let (mut client, _) = Client::start(options(), json!({}));
    client.open(&uri, &text);
    client.diagnostics(&uri, 1);

    let (line, character) = find(&text, "\"CH\"");
    let hover = client.at("textDocument/hover", &uri, line, character + 1);
    let value = hover["contents"]["value"].as_str().unwrap();
    assert_eq!(hover["contents"]["kind"], "markdown");
    assert!(value.contains("Switzerland"), "{value}");
    assert!(
        value.contains("COSME participating countries: no"),
        "{value}"
    );
    assert!(value.contains("EU Member States: no"), "{value}");
    // The diagnostic there is explained too.
    assert!(value.contains("`eligible-country`"), "{value}");
    assert_eq!(
        hover["range"]["start"],
        json!({"line": line, "character": character})
    );

    let (line, character) = find(&text, "\"IT\"");
    let hover = client.at("textDocument/hover", &uri, line, character + 2);
    let value = hover["contents"]["value"].as_str().unwrap();
    assert!(
        value.contains("Italy") && value.contains("EU Member States: yes"),
        "{value}"
    );

    let (line, character) = find(&text, "COS-CLUSINT-2020-3-01\"");
    let hover = client.at("textDocument/hover", &uri, line, character + 3);
    let value = hover["contents"]["value"].as_str().unwrap();
    assert!(value.contains("Clusters Go International"), "{value}");
    assert!(value.contains("2 December 2020"), "{value}");
    assert!(value.contains("`A`") && value.contains("`B`"), "{value}");

    let (line, character) = find(&text, "\"A\"");
    let hover = client.at("textDocument/hover", &uri, line, character + 1);
    let value = hover["contents"]["value"].as_str().unwrap();
    assert!(
        value.contains("Strand A") && value.contains("min-partners"),
        "{value}"
    );

    let (line, character) = find(&text, "eccp = \"planned\"");
    let hover = client.at("textDocument/hover", &uri, line, character + 1);
    let value = hover["contents"]["value"].as_str().unwrap();
    assert!(
        value.contains("European Cluster Collaboration Platform"),
        "{value}"
    );
    assert!(value.contains("`eccp-registration`"), "{value}");

    // On a blank line: nothing.
    let blank = text.lines().position(str::is_empty).unwrap();
    assert_eq!(client.at("textDocument/hover", &uri, blank, 0), Value::Null);
    assert_eq!(client.shutdown(), 0);
}

/// A strand named by its title is the strand in the hover too; a near miss
/// gets the did-you-mean the check gives.
#[test]
fn hover_on_a_strand_named_by_its_title() {
    let path = "tests/fixtures/rules/strand--pass-2021-title-with-and.toml";
    let text = std::fs::read_to_string(common::root().join(path)).unwrap();
    let uri = uri_of(path);
    let (mut client, _) = Client::start(options(), json!({}));
    client.open(&uri, &text);
    client.diagnostics(&uri, 1);
    let (line, character) = find(&text, "strand = \"Creative and Cultural Industries\"");
    let hover = client.at("textDocument/hover", &uri, line, character + 12);
    let value = hover["contents"]["value"].as_str().unwrap();
    assert!(
        value.contains("**Strand creative-cultural** of SMP-COSME-2021-CLUSTER-01: Creative & Cultural Industries"),
        "{value}"
    );

    let near = text.replace(
        "Creative and Cultural Industries",
        "Creative Cultural Industry",
    );
    let uri = uri_of("scratch/near.toml");
    client.open(&uri, &near);
    let published = client.diagnostics(&uri, 1);
    // The near miss is a quick fix to pick, never part of "fix all".
    let strand = published
        .iter()
        .find(|d| d["code"] == "strand")
        .expect("a strand diagnostic");
    let actions = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": uri},
            "range": strand["range"],
            "context": {"diagnostics": [strand]},
        }),
    );
    let actions = actions.as_array().unwrap();
    let quick = actions
        .iter()
        .find(|a| a["kind"] == "quickfix")
        .expect("a quick fix");
    assert_eq!(
        quick["title"],
        "write the strand \"creative-cultural\" (Creative & Cultural Industries)"
    );
    assert_eq!(
        quick["edit"]["changes"][&uri][0]["newText"],
        "\"creative-cultural\""
    );
    assert!(
        actions.iter().all(|a| a["kind"] != "source.fixAll.escp"),
        "{actions:?}"
    );
    let (line, character) = find(&near, "strand = \"Creative Cultural Industry\"");
    let hover = client.at("textDocument/hover", &uri, line, character + 12);
    let value = hover["contents"]["value"].as_str().unwrap();
    assert!(
        value.contains("Did you mean `creative-cultural` (Creative & Cultural Industries)?"),
        "{value}"
    );
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn completion_offers_keys_words_countries_calls_and_strands() {
    let uri = uri_of("scratch/consortium.toml");
    let text = "call = \"COS-CLUSINT-2020-3-01\"\nstrand = \"\"\n\n[[partner]]\nshort_name = \"X\"\ntype = \"\ncountry = \"\n\n";
    let (mut client, _) = Client::start(options(), json!({}));
    client.open(&uri, text);
    client.diagnostics(&uri, 1);
    let labels = |items: &Value| -> Vec<String> {
        let items = items.as_array().or(items["items"].as_array()).unwrap();
        items
            .iter()
            .map(|i| i["label"].as_str().unwrap().to_string())
            .collect()
    };

    let (line, character) = find(text, "type = \"");
    let items = client.at("textDocument/completion", &uri, line, character + 8);
    assert_eq!(
        labels(&items),
        [
            "cluster-organisation",
            "business-network-organisation",
            "other"
        ]
    );
    let first = &items.as_array().unwrap()[0];
    assert_eq!(first["textEdit"]["newText"], "cluster-organisation");

    let (line, character) = find(text, "country = \"");
    let items = client.at("textDocument/completion", &uri, line, character + 11);
    let countries = labels(&items);
    assert_eq!(countries.len(), 250);
    let de = items
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["label"] == "DE")
        .unwrap();
    assert_eq!(de["detail"], "Germany");
    assert!(de["filterText"].as_str().unwrap().contains("Germany"));
    let ch = items
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["label"] == "CH")
        .unwrap();
    assert!(
        ch["detail"].as_str().unwrap().contains("not eligible"),
        "{ch}"
    );

    let (line, _) = find(text, "strand = ");
    let items = client.at("textDocument/completion", &uri, line, 10);
    assert_eq!(labels(&items), ["A", "B"]);
    // Typing a strand's title finds it (a file may name a strand by its
    // title); the id is what is written.
    let a = &items.as_array().unwrap()[0];
    assert!(
        a["filterText"]
            .as_str()
            .unwrap()
            .contains("all sectors except defence and security"),
        "{a}"
    );
    assert_eq!(a["textEdit"]["newText"], "A");

    let items = client.at("textDocument/completion", &uri, 0, 10);
    let calls = labels(&items);
    assert!(
        calls.contains(&"COS-CLUSTER-2014-3-03".to_string()),
        "{calls:?}"
    );
    // Every embedded ruleset: one per `calls/*.toml`.
    let rulesets = std::fs::read_dir(common::root().join("calls"))
        .unwrap()
        .filter(|e| {
            let path = e.as_ref().unwrap().path();
            path.extension().is_some_and(|x| x == "toml")
        })
        .count();
    assert_eq!(calls.len(), rulesets, "{calls:?}");

    // Keys of [[partner]] not written yet, on the blank line after it.
    let blank = text.lines().count() - 1;
    let keys = labels(&client.at("textDocument/completion", &uri, blank, 0));
    assert!(keys.contains(&"eccp".to_string()), "{keys:?}");
    assert!(!keys.contains(&"short_name".to_string()), "{keys:?}");
    assert!(keys.contains(&"[[target]]".to_string()), "{keys:?}");
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn a_country_name_gets_a_quick_fix_to_its_code() {
    let uri = uri_of("scratch/greek.toml");
    let text = "call = \"COS-CLUSINT-2020-3-01\"\nstrand = \"A\"\n\n[proposal]\nacronym = \"ΕΛΛ\"\n\n[[partner]]\nshort_name = \"ΣΥΜ\"\nname = \"Ελληνικό Σύμπλεγμα Τροφίμων\"\ncountry = \"Ελλάδα\"\ntype = \"cluster-organisation\"\neccp = \"registered\"\n";
    let (mut client, init) = Client::start(options(), json!({}));
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-16");
    client.open(&uri, text);
    let published = client.diagnostics(&uri, 1);
    let invalid = published
        .iter()
        .find(|d| d["code"] == "invalid-value")
        .expect("invalid-value");
    let (line, character) = find(text, "\"Ελλάδα\"");
    assert_eq!(
        invalid["range"],
        json!({"start": {"line": line, "character": character}, "end": {"line": line, "character": character + 8}})
    );
    let actions = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": uri},
            "range": invalid["range"],
            "context": {"diagnostics": [invalid]},
        }),
    );
    let actions = actions.as_array().unwrap();
    let quick = actions
        .iter()
        .find(|a| a["kind"] == "quickfix")
        .expect("a quick fix");
    assert_eq!(quick["title"], "write the code \"GR\" (Greece)");
    assert_eq!(quick["diagnostics"][0]["code"], "invalid-value");
    let edits = &quick["edit"]["changes"][&uri];
    assert_eq!(
        edits,
        &json!([{"range": invalid["range"], "newText": "\"GR\""}])
    );
    assert!(actions.iter().any(|a| a["kind"] == "source.fixAll.escp"));
    // Only the kinds asked for.
    let only = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": uri},
            "range": invalid["range"],
            "context": {"diagnostics": [], "only": ["source.fixAll"]},
        }),
    );
    assert!(only
        .as_array()
        .unwrap()
        .iter()
        .all(|a| a["kind"] == "source.fixAll.escp"));
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn quick_fixes_of_an_edit_not_yet_checked() {
    let (uri, text) = example("2020-strand-a-ready.toml");
    // A debounce long enough that the edit is not checked in the test.
    let (mut client, _) = Client::start(json!({"today": TODAY, "debounceMs": 10000}), json!({}));
    client.open(&uri, &text);
    client.diagnostics(&uri, 1);
    let (line, character) = find(&text, "\"IT\"");
    let range = json!({"start": {"line": line, "character": character + 1}, "end": {"line": line, "character": character + 3}});
    client.change(&uri, 2, range, "Deutschland");
    let actions = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": uri},
            "range": {"start": {"line": line, "character": character + 2}, "end": {"line": line, "character": character + 2}},
            "context": {"diagnostics": []},
        }),
    );
    let quick = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["kind"] == "quickfix")
        .expect("a quick fix from a check of the current text");
    assert_eq!(quick["title"], "write the code \"DE\" (Germany)");
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn utf8_positions_when_the_client_offers_them() {
    let uri = uri_of("scratch/greek.toml");
    let text = "call = \"COS-CLUSINT-2020-3-01\"\n[[partner]]\nname = \"Ελληνικό\"\ncountry = \"Ελλάδα\"\n";
    let (mut client, init) = Client::start(
        options(),
        json!({"general": {"positionEncodings": ["utf-8", "utf-16"]}}),
    );
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-8");
    client.open(&uri, text);
    let published = client.diagnostics(&uri, 1);
    let invalid = published
        .iter()
        .find(|d| d["code"] == "invalid-value")
        .expect("invalid-value");
    let start = text.find("\"Ελλάδα\"").unwrap();
    let line_start = text[..start].rfind('\n').unwrap() + 1;
    let character = start - line_start;
    assert_eq!(
        invalid["range"]["end"],
        json!({"line": 3, "character": character + "\"Ελλάδα\"".len()})
    );
    // Hover at a UTF-8 offset inside the Greek value.
    let hover = client.at("textDocument/hover", &uri, 3, character + 3);
    let value = hover["contents"]["value"].as_str().unwrap();
    assert!(value.contains("`GR`"), "{value}");
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn a_broken_file_gets_its_syntax_diagnostics_and_the_server_carries_on() {
    let uri = uri_of("scratch/broken.toml");
    let text = "call = \"COS-CLUSINT-2020-3-01\"\n[[partner]]\ncountry = \"DE\ntype = \"\n";
    let (mut client, _) = Client::start(options(), json!({}));
    client.open(&uri, text);
    let published = client.diagnostics(&uri, 1);
    assert!(
        codes(&published).contains(&"syntax".to_string()),
        "{published:?}"
    );
    let verdict = published.iter().find(|d| d["severity"] == 3).unwrap();
    assert!(verdict["message"]
        .as_str()
        .unwrap()
        .starts_with("UNCHECKED"));
    // Hover and completion still read the half-written lines.
    let hover = client.at("textDocument/hover", &uri, 2, 12);
    assert!(hover["contents"]["value"]
        .as_str()
        .unwrap()
        .contains("Germany"));
    let items = client.at("textDocument/completion", &uri, 3, 8);
    assert_eq!(items.as_array().unwrap().len(), 3);
    // Requests the server does not know, and nonsense parameters, are
    // errors, not crashes.
    let unknown = client.request("textDocument/definition", json!({}));
    assert_eq!(unknown["error"]["code"], -32601);
    let bad = client.request("textDocument/hover", json!({"nonsense": true}));
    assert_eq!(bad["error"]["code"], -32602);
    let far = client.at("textDocument/hover", &uri, 999, 999);
    assert_eq!(far, Value::Null);
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn ruleset_folders_come_from_the_settings() {
    let uri = uri_of("scratch/test-call.toml");
    let text = "call = \"TEST-MAX-PARTNERS\"\n[proposal]\nacronym = \"T\"\n";
    // Without the folder, the call is unknown.
    let (mut client, _) = Client::start(options(), json!({}));
    client.open(&uri, text);
    assert!(codes(&client.diagnostics(&uri, 1)).contains(&"unknown-call".to_string()));
    // After the settings change, the document is checked again with it.
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"escp": {"calls": ["tests/fixtures/calls"], "today": TODAY}}}),
    );
    let again = client.diagnostics(&uri, 1);
    assert!(
        !codes(&again).contains(&"unknown-call".to_string()),
        "{again:?}"
    );
    assert_eq!(client.shutdown(), 0);

    // From the initialization options, relative to the workspace root.
    let (mut client, _) = Client::start(
        json!({"calls": ["tests/fixtures/calls"], "today": TODAY}),
        json!({}),
    );
    client.open(&uri, text);
    let published = client.diagnostics(&uri, 1);
    assert!(
        codes(&published).contains(&"min-partners".to_string()),
        "{published:?}"
    );
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn ruleset_folders_come_from_escp_calls_and_the_command_line() {
    let uri = uri_of("scratch/test-call.toml");
    let text = "call = \"TEST-MAX-PARTNERS\"\n[proposal]\nacronym = \"T\"\n";
    for (args, env) in [
        (&["lsp"][..], Some("tests/fixtures/calls")),
        (
            &["lsp", "--calls", "tests/fixtures/calls", "--stdio"][..],
            None,
        ),
    ] {
        let (mut client, _) = Client::start_with(args, env, options(), json!({}));
        client.open(&uri, text);
        let published = client.diagnostics(&uri, 1);
        assert!(
            !codes(&published).contains(&"unknown-call".to_string()),
            "{args:?}: {published:?}"
        );
        assert!(
            codes(&published).contains(&"min-partners".to_string()),
            "{published:?}"
        );
        assert_eq!(client.shutdown(), 0);
    }
}

#[test]
fn exit_without_shutdown_is_exit_code_1() {
    let (mut client, _) = Client::start(options(), json!({}));
    client.notify("exit", Value::Null);
    client.stdin = None;
    assert_eq!(client.exit_code(), 1);
}

#[test]
fn requests_after_shutdown_are_refused() {
    let (mut client, _) = Client::start(options(), json!({}));
    assert_eq!(client.request("shutdown", Value::Null), Value::Null);
    let refused = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": "file:///x"}, "position": {"line": 0, "character": 0}}),
    );
    assert_eq!(refused["error"]["code"], -32600);
    client.notify("exit", Value::Null);
    client.stdin = None;
    assert_eq!(client.exit_code(), 0);
}

#[test]
fn other_toml_files_get_nothing_from_escp() {
    // Editors that start a server per language send every TOML file.
    let uri = uri_of("Cargo.toml");
    let text = "[package]\nname = \"x\"\nversion = \"0.1.0\"\n";
    let (mut client, _) = Client::start(options(), json!({}));
    client.open(&uri, text);
    assert!(client.diagnostics(&uri, 1).is_empty());
    assert_eq!(client.at("textDocument/hover", &uri, 1, 1), Value::Null);
    assert_eq!(client.at("textDocument/completion", &uri, 3, 0), json!([]));
    // A file named like a consortium file is checked whatever it holds.
    let uri = uri_of("scratch/team.consortium.toml");
    client.open(&uri, "");
    let published = client.diagnostics(&uri, 1);
    assert!(
        codes(&published).contains(&"missing-key".to_string()),
        "{published:?}"
    );
    assert_eq!(client.shutdown(), 0);
}
