//! `escp lsp` against what an editor (or anything else on its input) may
//! send: frames that are not JSON-RPC, headers that never end, documents
//! larger than `escp check` reads, ruleset folders that cannot be read and
//! files full of unknown regions. The verdict is always `escp check`'s, the
//! server carries on, and nothing grows without bound. The client is
//! tests/lsp_client.

mod common;
mod lsp_client;

use lsp_client::*;
use serde_json::{json, Value};
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn is_error(message: &Value, code: i64) -> bool {
    message.get("method").is_none() && message["error"]["code"] == code
}

/// A hover request that must be answered: the server is still serving.
fn still_serving(client: &mut Client) {
    let (uri, text) = example("2020-strand-a-ready.toml");
    client.open(&uri, &text);
    let (line, character) = find(&text, "\"JP\"");
    let hover = client.at("textDocument/hover", &uri, line, character + 1);
    assert!(
        hover["contents"]["value"]
            .as_str()
            .unwrap_or_default()
            .contains("Japan"),
        "{hover}"
    );
}

#[test]
fn a_body_that_is_not_json_rpc_is_answered_and_the_server_carries_on() {
    let (mut client, _) = Client::start(options(), json!({}));
    // Not JSON at all: a parse error, with no id (there is none to read).
    client.send_body(b"this is not JSON");
    let answer = client.wait(|m| is_error(m, -32700));
    assert_eq!(answer["id"], Value::Null, "{answer}");
    assert_eq!(answer["jsonrpc"], "2.0", "{answer}");
    // Not UTF-8 either.
    client.send_body(b"{\"jsonrpc\": \"2.0\", \"method\": \"\xff\"}");
    client.wait(|m| is_error(m, -32700));
    // JSON, but not a JSON-RPC message: an invalid request.
    for body in [
        &b"[1, 2, 3]"[..],
        b"42",
        b"{\"jsonrpc\": \"2.0\", \"id\": {\"x\": 1}, \"method\": \"textDocument/hover\"}",
    ] {
        client.send_body(body);
        let answer = client.wait(|m| is_error(m, -32600));
        assert_eq!(answer["id"], Value::Null, "{answer}");
    }
    // A method that is not a string, in a request whose id can be read:
    // the answer carries that id.
    client.send_body(b"{\"jsonrpc\": \"2.0\", \"id\": 9001, \"method\": 7}");
    let answer = client.wait(|m| m["id"] == 9001);
    assert_eq!(answer["error"]["code"], -32600, "{answer}");
    still_serving(&mut client);
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn broken_headers_are_parse_errors_and_the_server_carries_on() {
    let (mut client, _) = Client::start(options(), json!({}));
    // No Content-Length, then one that is not a number.
    client.send_raw(b"Content-Type: application/vscode-jsonrpc\r\n\r\n");
    client.wait(|m| is_error(m, -32700));
    client.send_raw(b"Content-Length: twelve\r\n\r\n");
    client.wait(|m| is_error(m, -32700));
    // A header line of 4 MiB: refused once it is longer than any header.
    let mut long = b"X-Padding: ".to_vec();
    long.resize(4 * 1024 * 1024, b'a');
    long.extend_from_slice(b"\r\n\r\n");
    client.send_raw(&long);
    client.wait(|m| is_error(m, -32700));
    still_serving(&mut client);
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn a_content_length_beyond_any_input_is_never_allocated() {
    let (mut client, _) = Client::start(options(), json!({}));
    client.send_raw(b"Content-Length: 18446744073709551615\r\n\r\n{\"jsonrpc\":");
    // The body never comes: the input ends. The server ends as it does when
    // its input ends without `exit` (code 1), not by a crash.
    client.stdin = None;
    assert_eq!(client.exit_code(), 1);
    if let Some(peak) = client.peak_memory_kib() {
        assert!(peak < 64 * 1024, "peak memory {peak} KiB");
    }
}

/// A TOML file of `bytes` bytes that names a call: padding in comments.
fn huge_consortium(bytes: usize) -> String {
    let (_, ready) = example("2020-strand-a-ready.toml");
    let mut text = ready;
    let line = "# padding padding padding padding padding padding padding padding\n";
    while text.len() + line.len() <= bytes {
        text.push_str(line);
    }
    text
}

fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("lsp-limits");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// `escp check`'s diagnostics of a file, as the editor shows them: the
/// message with its help, and the code.
fn checked(path: &str) -> (Vec<(String, String)>, i32) {
    let output = common::escp(&["check", "--format", "json", "--today", TODAY, path]);
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let file = &report["files"][0];
    let diagnostics = file["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let mut message = d["message"].as_str().unwrap().to_string();
            if let Some(help) = d["help"].as_str() {
                message.push_str("\nhelp: ");
                message.push_str(help);
            }
            (d["rule"].as_str().unwrap().to_string(), message)
        })
        .collect();
    (diagnostics, output.status.code().unwrap_or(-1))
}

fn shown(diagnostics: &[Value]) -> Vec<(String, String)> {
    diagnostics
        .iter()
        .filter(|d| d["code"].is_string())
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn verdict(diagnostics: &[Value]) -> String {
    diagnostics
        .iter()
        .find(|d| d["severity"] == 3)
        .and_then(|d| d["message"].as_str())
        .unwrap_or_default()
        .to_string()
}

#[test]
fn a_document_larger_than_escp_check_reads_is_its_read_error() {
    let path = scratch("huge.consortium.toml");
    let text = huge_consortium(70 * 1024 * 1024);
    std::fs::write(&path, &text).unwrap();
    let shown_path = path.display().to_string();
    let (expected, code) = checked(&shown_path);
    assert_eq!(code, 2, "{expected:?}");
    assert_eq!(expected.len(), 1, "{expected:?}");
    assert_eq!(expected[0].0, "read-error");

    let (mut client, _) = Client::start(options(), json!({}));
    let uri = format!("file://{shown_path}");
    client.open(&uri, &text);
    let published = client.diagnostics(&uri, 1);
    assert_eq!(shown(&published), expected);
    assert!(
        verdict(&published).starts_with("UNCHECKED"),
        "{published:?}"
    );
    // Neither the message nor the document was held whole.
    if let Some(peak) = client.peak_memory_kib() {
        assert!(peak < 48 * 1024, "peak memory {peak} KiB");
    }
    // Hover and completion have nothing to say about it.
    assert_eq!(client.at("textDocument/hover", &uri, 0, 2), Value::Null);
    // A change of a few bytes cannot be applied to text that was never
    // kept: the document stays too large...
    client.change(
        &uri,
        2,
        json!({"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}),
        "# ",
    );
    assert_eq!(shown(&client.diagnostics(&uri, 2)), expected);
    // ... until the editor sends it whole again, small enough.
    let (_, ready) = example("2020-strand-a-ready.toml");
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 3}, "contentChanges": [{"text": ready}]}),
    );
    let published = client.diagnostics(&uri, 3);
    assert!(verdict(&published).starts_with("READY"), "{published:?}");
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn a_change_that_makes_a_document_too_large_makes_it_a_read_error() {
    let (uri, ready) = example("2020-strand-a-ready.toml");
    // A long debounce: the 40 MiB version is never checked, the next
    // change arrives first.
    let (mut client, _) = Client::start(json!({"today": TODAY, "debounceMs": 1500}), json!({}));
    client.open(&uri, &ready);
    assert!(verdict(&client.diagnostics(&uri, 1)).starts_with("READY"));
    let end = ready.lines().count();
    let at_end =
        json!({"start": {"line": end, "character": 0}, "end": {"line": end, "character": 0}});
    let padding = "# padding padding padding padding padding padding padding padding\n";
    // Each message is under the cap; the document after both is over it.
    client.change(
        &uri,
        2,
        at_end.clone(),
        &padding.repeat(40 * 1024 * 1024 / padding.len()),
    );
    client.change(
        &uri,
        3,
        at_end,
        &padding.repeat(30 * 1024 * 1024 / padding.len()),
    );
    let published = client.diagnostics(&uri, 3);
    let read_error = shown(&published);
    assert_eq!(read_error.len(), 1, "{published:?}");
    assert_eq!(read_error[0].0, "read-error");
    assert!(
        read_error[0].1.contains("larger than 64 MiB"),
        "{read_error:?}"
    );
    assert!(
        verdict(&published).starts_with("UNCHECKED"),
        "{published:?}"
    );
    // Nothing was published for version 2.
    assert!(
        !client
            .notes
            .iter()
            .any(|m| m["params"]["version"] == 2 && m["params"]["uri"] == uri.as_str()),
        "version 2 was checked"
    );
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn an_unreadable_ruleset_folder_checks_nothing_as_escp_check_does() {
    let (uri, ready) = example("2020-strand-a-ready.toml");
    for bad in ["Cargo.toml", "tests/fixtures/no-such-folder"] {
        // `escp check` with the same folders stops, naming the folder.
        let output = common::escp(&[
            "check",
            "--calls",
            "tests/fixtures/calls",
            "--calls",
            bad,
            "--today",
            TODAY,
            "examples/2020-strand-a-ready.toml",
        ]);
        assert_eq!(output.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains("cannot read the ruleset folder") && stderr.contains(bad),
            "{stderr}"
        );

        let (mut client, _) = Client::start(
            json!({"calls": ["tests/fixtures/calls", bad], "today": TODAY, "debounceMs": 50}),
            json!({}),
        );
        let said = client.wait(|m| m["method"] == "window/showMessage");
        let message = said["params"]["message"].as_str().unwrap();
        assert_eq!(said["params"]["type"], 1, "{said}");
        assert!(
            message.contains("cannot read the ruleset folder") && message.contains(bad),
            "{message}"
        );
        assert!(!message.contains("embedded"), "{message}");
        client.open(&uri, &ready);
        let published = client.diagnostics(&uri, 1);
        assert!(!verdict(&published).starts_with("READY"), "{published:?}");
        let ruleset = published
            .iter()
            .find(|d| d["code"] == "ruleset")
            .unwrap_or_else(|| panic!("no ruleset diagnostic: {published:?}"));
        assert_eq!(ruleset["severity"], 1);
        let message = ruleset["message"].as_str().unwrap();
        assert!(
            message.contains("cannot read the ruleset folder") && message.contains(bad),
            "{message}"
        );
        // On the `call` line.
        let (line, _) = find(&ready, "call = ");
        assert_eq!(ruleset["range"]["start"]["line"], line);
        // Readable folders again: checked again, with them.
        client.notify(
            "workspace/didChangeConfiguration",
            json!({"settings": {"escp": {"calls": ["tests/fixtures/calls"]}}}),
        );
        let published = client.diagnostics(&uri, 1);
        assert!(verdict(&published).starts_with("READY"), "{published:?}");
        assert_eq!(client.shutdown(), 0);
    }
}

#[test]
fn many_unknown_regions_are_checked_without_delay() {
    let (_, ready) = example("2020-strand-a-ready.toml");
    let words = [
        "northern",
        "southern",
        "eastern",
        "western",
        "greater",
        "lesser",
        "upper",
        "lower",
        "pacific",
        "atlantic",
        "coastal",
        "highland",
        "island",
        "federation",
        "union",
    ];
    let mut text = ready;
    let mut state = 7u64;
    for _ in 0..2000 {
        let name: Vec<&str> = (0..8)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                words[(state % words.len() as u64) as usize]
            })
            .collect();
        text.push_str(&format!("\n[[target]]\nregion = \"{}\"\n", name.join(" ")));
    }
    let uri = uri_of("scratch/regions.consortium.toml");
    let (mut client, _) = Client::start(options(), json!({}));
    let started = Instant::now();
    client.open(&uri, &text);
    let published = client.diagnostics(&uri, 1);
    let took = started.elapsed();
    assert!(
        codes(&published)
            .iter()
            .filter(|c| *c == "target-third-country")
            .count()
            >= 2000,
        "{:?}",
        codes(&published).len()
    );
    assert!(took < Duration::from_secs(10), "took {took:?}");
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn a_ruleset_folder_made_later_is_read_when_a_document_is_saved() {
    let folder = scratch("calls-made-later");
    let _ = std::fs::remove_dir_all(&folder);
    let uri = uri_of("scratch/test-call.toml");
    let text = "call = \"TEST-MAX-PARTNERS\"\n[proposal]\nacronym = \"T\"\n";
    let (mut client, _) = Client::start(
        json!({"calls": [folder.display().to_string()], "today": TODAY, "debounceMs": 50}),
        json!({}),
    );
    client.open(&uri, text);
    let published = client.diagnostics(&uri, 1);
    assert_eq!(codes(&published), ["ruleset"], "{published:?}");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::copy(
        common::root().join("tests/fixtures/calls/TEST-MAX-PARTNERS.toml"),
        folder.join("TEST-MAX-PARTNERS.toml"),
    )
    .unwrap();
    client.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": uri}}),
    );
    let published = client.diagnostics(&uri, 1);
    assert!(
        codes(&published).contains(&"min-partners".to_string()),
        "{published:?}"
    );
    assert_eq!(client.shutdown(), 0);
}
