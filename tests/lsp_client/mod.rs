//! The client side of the protocol tests (tests/lsp.rs, tests/lsp_limits.rs):
//! the built binary is started and spoken to in JSON-RPC over its pipes
//! (Content-Length framing), as an editor does. Every wait has a timeout,
//! so a hang fails a test instead of blocking CI.
#![allow(dead_code)]

use super::common;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// How long any one answer may take.
pub const WAIT: Duration = Duration::from_secs(30);

pub struct Client {
    child: Child,
    pub stdin: Option<ChildStdin>,
    messages: Receiver<Value>,
    /// Notifications received while waiting for something else.
    pub notes: Vec<Value>,
    next_id: i64,
}

impl Client {
    /// Starts `escp lsp` and initializes it with `options` as the
    /// initialization options and `capabilities` as the client's.
    pub fn start(options: Value, capabilities: Value) -> (Client, Value) {
        Client::start_with(&["lsp"], None, options, capabilities)
    }

    /// [`Client::start`] with other arguments and `ESCP_CALLS`.
    pub fn start_with(
        args: &[&str],
        escp_calls: Option<&str>,
        options: Value,
        capabilities: Value,
    ) -> (Client, Value) {
        let mut command = Command::new(env!("CARGO_BIN_EXE_escp"));
        command.args(args).current_dir(common::root());
        match escp_calls {
            Some(folders) => command.env("ESCP_CALLS", folders),
            None => command.env_remove("ESCP_CALLS"),
        };
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("escp lsp starts");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut out = BufReader::new(stdout);
            while let Some(message) = read_message(&mut out) {
                if tx.send(message).is_err() {
                    break;
                }
            }
        });
        let stdin = child.stdin.take();
        let mut client = Client {
            child,
            stdin,
            messages: rx,
            notes: Vec::new(),
            next_id: 1,
        };
        let root = format!("file://{}", common::root().display());
        let result = client.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": root,
                "capabilities": capabilities,
                "initializationOptions": options,
            }),
        );
        client.notify("initialized", json!({}));
        (client, result)
    }

    pub fn send(&mut self, message: &Value) {
        let body = serde_json::to_string(message).unwrap();
        let stdin = self.stdin.as_mut().expect("stdin open");
        write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        stdin.flush().unwrap();
    }

    /// Writes `bytes` as they are: a frame of the test's making.
    pub fn send_raw(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        stdin.write_all(bytes).unwrap();
        stdin.flush().unwrap();
    }

    /// `body` in a frame of its own, whatever it holds.
    pub fn send_body(&mut self, body: &[u8]) {
        let mut frame = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        frame.extend_from_slice(body);
        self.send_raw(&frame);
    }

    /// The server's peak resident memory so far, in KiB (Linux only).
    pub fn peak_memory_kib(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
        line.split_whitespace().nth(1)?.parse().ok()
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and waits for its response (its `result`, or the
    /// whole response if it is an error).
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        let response = self.wait(|m| m.get("id") == Some(&json!(id)) && m.get("method").is_none());
        match response.get("result") {
            Some(result) => result.clone(),
            None => response,
        }
    }

    /// The next message (or buffered notification) that `wanted` accepts.
    pub fn wait(&mut self, wanted: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.notes.iter().position(&wanted) {
            return self.notes.remove(i);
        }
        let deadline = Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.messages.recv_timeout(left) {
                Ok(message) if wanted(&message) => return message,
                Ok(message) => self.notes.push(message),
                Err(RecvTimeoutError::Timeout) => panic!("no answer within {WAIT:?}"),
                Err(RecvTimeoutError::Disconnected) => panic!("the server closed its output"),
            }
        }
    }

    /// The diagnostics published for `uri` at `version`.
    pub fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        let note = self.wait(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["version"] == version
        });
        note["params"]["diagnostics"].as_array().unwrap().clone()
    }

    pub fn open(&mut self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "toml", "version": 1, "text": text}}),
        );
    }

    /// Replaces `range` of the document (an incremental change).
    pub fn change(&mut self, uri: &str, version: i64, range: Value, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"range": range, "text": text}],
            }),
        );
    }

    pub fn at(&mut self, method: &str, uri: &str, line: usize, character: usize) -> Value {
        self.request(
            method,
            json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}),
        )
    }

    /// `shutdown` then `exit`; the exit code.
    pub fn shutdown(mut self) -> i32 {
        let answer = self.request("shutdown", Value::Null);
        assert_eq!(answer, Value::Null);
        self.notify("exit", Value::Null);
        self.stdin = None;
        self.exit_code()
    }

    pub fn exit_code(&mut self) -> i32 {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code().unwrap_or(-1);
            }
            assert!(Instant::now() < deadline, "the server did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn read_message(out: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if out.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(n) = line.strip_prefix("Content-Length: ") {
            length = n.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    out.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

pub fn uri_of(path: &str) -> String {
    format!("file://{}/{path}", common::root().display())
}

pub fn example(name: &str) -> (String, String) {
    let path = format!("examples/{name}");
    let text = std::fs::read_to_string(common::root().join(&path)).unwrap();
    (uri_of(&path), text)
}

/// A 1-based character column of `line` (1-based) as a UTF-16 offset.
pub fn utf16(text: &str, line: usize, column: usize) -> usize {
    let line = text.split('\n').nth(line - 1).unwrap_or("");
    line.chars().take(column - 1).map(char::len_utf16).sum()
}

pub const TODAY: &str = "2020-11-01";

pub fn options() -> Value {
    json!({"today": TODAY, "debounceMs": 50})
}

/// The position of the first `needle` in `text`, in UTF-16 units.
pub fn find(text: &str, needle: &str) -> (usize, usize) {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} not in text"));
    let line = text[..at].matches('\n').count();
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    (line, text[start..at].encode_utf16().count())
}

pub fn codes(diagnostics: &[Value]) -> Vec<String> {
    diagnostics
        .iter()
        .filter_map(|d| d["code"].as_str().map(str::to_string))
        .collect()
}
