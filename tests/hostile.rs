//! Hostile inputs (issue "Robustness: no input can crash, hang or mislead
//! escp"): a corpus of malformed, huge and malicious consortium files and
//! paths, each with the outcome the README promises — the exit code, the rule ids
//! of the `--format json` report and words of the message a person reads.
//!
//! Every run is also held to the robustness contract, whatever the input:
//! - no signal, no exit 101, no "panicked" / backtrace / stack overflow;
//! - finished within the watchdog (`WATCHDOG`), else killed and failed;
//! - the human report (NO_COLOR=1, COLUMNS=100) holds no raw control
//!   characters but `\n`, `\t` and `\r`: no ESC, BEL, NUL, DEL, no C1
//!   control, no bidirectional embedding, override or isolate — a file must
//!   not be able to drive the terminal of the person who checks it.
//!
//! Building the corpus found five bugs, all fixed and guarded here: raw
//! control characters in source snippets, a hang on a long country value,
//! a human report quadratic in its diagnostics, one syntax error per line
//! for CR-only line endings, and 309-digit amounts.

mod common;

use serde_json::Value;
use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

/// The date every check runs with, so that deadlines are stable.
const TODAY: &str = "2020-11-01";
/// How long one run of escp may take before it counts as a hang.
const WATCHDOG: Duration = Duration::from_secs(60);
/// The valid file the hostile ones are made from.
const READY: &str = "examples/2020-strand-a-ready.toml";
/// The rules about the file itself rather than the call.
const FORMAT_RULES: [&str; 6] = [
    "syntax",
    "read-error",
    "unknown-key",
    "missing-key",
    "invalid-value",
    "unknown-call",
];
/// "Megabytes" of the huge inputs.
const MB: usize = 1_000_000;
/// The most a human report of one file may print, whatever the input.
const MAX_HUMAN_REPORT: usize = 64 * 1024;

// ---------------------------------------------------------------------------
// Running escp under a watchdog
// ---------------------------------------------------------------------------

/// A fresh folder under the system's temporary folder, removed on drop.
struct Scratch(PathBuf);

impl Scratch {
    fn new(tag: &str) -> Scratch {
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "escp-hostile-{}-{tag}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("a scratch folder");
        Scratch(dir)
    }

    fn path(&self) -> &Path {
        &self.0
    }

    fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.0.join(name);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).expect("a folder in the scratch folder");
        }
        fs::write(&path, bytes).expect("a scratch file");
        path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// One run of escp.
struct Run {
    /// `None` when the watchdog had to kill it.
    status: Option<ExitStatus>,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
    elapsed: Duration,
}

impl Run {
    fn code(&self) -> Option<i32> {
        self.status.and_then(|s| s.code())
    }

    fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }

    fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.stderr).into_owned()
    }
}

/// Runs escp with `args` in `dir`, as `common::escp_in` does (fixed width,
/// no colour, no `ESCP_CALLS`), under the watchdog.
fn escp_run(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_escp"));
    command.args(args).current_dir(dir);
    watched(command, stdin)
}

/// Spawns `command` with the test environment, feeds it `stdin`, collects
/// its output, and kills it when it runs longer than `WATCHDOG`.
fn watched(mut command: Command, stdin: Option<&[u8]>) -> Run {
    command
        .env("COLUMNS", "100")
        .env("NO_COLOR", "1")
        .env_remove("ESCP_CALLS")
        .env_remove("RUST_BACKTRACE")
        .env_remove("RUST_LIB_BACKTRACE")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let start = Instant::now();
    let mut child = command.spawn().expect("escp starts");
    let writer = stdin.map(|bytes| {
        let bytes = bytes.to_vec();
        let mut pipe = child.stdin.take().expect("a stdin pipe");
        // Dropping the pipe at the end closes escp's standard input.
        thread::spawn(move || {
            let _ = pipe.write_all(&bytes);
        })
    });
    let out = drain(child.stdout.take().expect("a stdout pipe"));
    let err = drain(child.stderr.take().expect("a stderr pipe"));
    let status = loop {
        if let Some(status) = child.try_wait().expect("escp can be waited for") {
            break Some(status);
        }
        if start.elapsed() > WATCHDOG {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        thread::sleep(Duration::from_millis(10));
    };
    let elapsed = start.elapsed();
    if let Some(writer) = writer {
        let _ = writer.join();
    }
    Run {
        status,
        stdout: out.join().expect("stdout is read"),
        stderr: err.join().expect("stderr is read"),
        elapsed,
    }
}

fn drain(mut pipe: impl Read + Send + 'static) -> thread::JoinHandle<Vec<u8>> {
    thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = pipe.read_to_end(&mut bytes);
        bytes
    })
}

// ---------------------------------------------------------------------------
// What every run must respect
// ---------------------------------------------------------------------------

/// No hang, no signal, no panic, no backtrace.
fn robustness(run: &Run) -> Vec<String> {
    let mut problems = Vec::new();
    match run.status {
        None => problems.push(format!(
            "still running after {}s: killed by the watchdog (a hang)",
            run.elapsed.as_secs()
        )),
        Some(status) => match status.code() {
            None => problems.push(format!("killed by a signal ({status})")),
            Some(101) => problems.push("exit code 101 (a panic)".to_string()),
            Some(_) => {}
        },
    }
    let stderr = run.stderr();
    for word in [
        "panicked",
        "RUST_BACKTRACE",
        "stack overflow",
        "overflowed its stack",
        "stack backtrace",
        "fatal runtime error",
    ] {
        if let Some(at) = stderr.find(word) {
            problems.push(format!("stderr contains {word:?}: {}", around(&stderr, at)));
        }
    }
    problems
}

/// Whether `c` must never reach a terminal raw: control characters other
/// than line breaks and tabs (C0 — ESC starts escape sequences, BEL rings,
/// NUL hides text —, DEL, C1 — U+009B is a one-character CSI) and the
/// bidirectional embeddings, overrides and isolates, which reorder what is
/// displayed ("Trojan Source").
fn is_hostile_char(c: char) -> bool {
    (c.is_control() && !matches!(c, '\n' | '\t' | '\r'))
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Problems with bytes meant for a terminal: output that is not UTF-8, and
/// each kind of raw hostile character, with where it first appears.
fn terminal_safety(stream: &str, bytes: &[u8]) -> Vec<String> {
    let mut problems = Vec::new();
    if let Err(e) = std::str::from_utf8(bytes) {
        problems.push(format!("{stream} is not UTF-8 ({e})"));
    }
    let text = String::from_utf8_lossy(bytes);
    let mut seen = Vec::new();
    for (at, c) in text.char_indices() {
        if is_hostile_char(c) && !seen.contains(&c) {
            seen.push(c);
            problems.push(format!(
                "{stream} has a raw {} at byte {at}: {}",
                c.escape_unicode(),
                around(&text, at)
            ));
        }
    }
    problems
}

/// The line of `text` around byte `at`, escaped and shortened, for a
/// failure message.
fn around(text: &str, at: usize) -> String {
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    let line: String = text[start..end].chars().take(160).collect();
    format!("{:?}", line)
}

fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let head: String = text.chars().take(max).collect();
        format!("{head}… ({} bytes in all)", text.len())
    }
}

// ---------------------------------------------------------------------------
// The table of cases
// ---------------------------------------------------------------------------

/// One hostile file and what `escp check` must make of it.
struct Case {
    name: String,
    bytes: Vec<u8>,
    /// The exit code (README, "Verdicts and exit codes").
    code: i32,
    /// Rule ids that must be in the JSON report. Format rules (`syntax`,
    /// `invalid-value`, ...) not listed must not be; call rules may follow.
    /// Empty: the report must have no diagnostic at all.
    rules: Vec<&'static str>,
    /// Words of a diagnostic's message or help with one of `rules`; with no
    /// rules, words of the human report.
    message: &'static str,
    /// The line a diagnostic with the first of `rules` points at.
    line: Option<u64>,
}

fn case(
    name: impl Into<String>,
    bytes: impl Into<Vec<u8>>,
    code: i32,
    rules: &[&'static str],
    message: &'static str,
) -> Case {
    Case {
        name: name.into(),
        bytes: bytes.into(),
        code,
        rules: rules.to_vec(),
        message,
        line: None,
    }
}

impl Case {
    fn at(mut self, line: u64) -> Case {
        self.line = Some(line);
        self
    }
}

fn ready_text() -> String {
    fs::read_to_string(common::root().join(READY)).expect("the ready example")
}

/// The ready example with the first `old` replaced by `new`.
fn with(old: &str, new: &str) -> String {
    let text = ready_text();
    assert!(text.contains(old), "{old:?} is not in {READY}");
    text.replacen(old, new, 1)
}

/// The 1-based line where `needle` first occurs in `text`.
fn line_of(text: &str, needle: &str) -> u64 {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} is not in the case"));
    text[..at].matches('\n').count() as u64 + 1
}

/// The 1-based line where `needle` last occurs in `text`.
fn last_line_of(text: &str, needle: &str) -> u64 {
    let at = text
        .rfind(needle)
        .unwrap_or_else(|| panic!("{needle:?} is not in the case"));
    text[..at].matches('\n').count() as u64 + 1
}

/// A value of the wrong type (or outside the allowed set) in place of
/// `old`: `invalid-value` at the line of `new`, exit 1.
fn wrong(old: &str, new: &str, message: &'static str) -> Case {
    let text = with(old, new);
    // The last line of `new` holds the wrong value.
    let line = line_of(&text, new) + new.matches('\n').count() as u64;
    case(
        format!("wrong value: {new}"),
        text,
        1,
        &["invalid-value"],
        message,
    )
    .at(line)
}

/// Deterministic pseudo-random bytes (xorshift64, fixed seed).
fn xorshift_bytes(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 32) as u8
        })
        .collect()
}

/// A partner entry.
fn partner(short_name: &str, name: &str, country: &str) -> String {
    format!(
        "[[partner]]\nshort_name = \"{short_name}\"\nname = \"{name}\"\ncountry = \"{country}\"\n\
         type = \"cluster-organisation\"\neccp = \"registered\"\n\n"
    )
}

fn corpus() -> Vec<Case> {
    let ready = ready_text();
    let title = "title = \"European agri-food clusters going to Japan and Canada\"";

    // --- Encodings, blank files, line endings -----------------------------
    let mut cases = vec![case("empty file", "", 2, &["missing-key"], "names no call")];
    cases.push(case(
        "whitespace only",
        "  \n\t\n\r\n   ",
        2,
        &["missing-key"],
        "names no call",
    ));
    cases.push(case(
        "byte-order mark only",
        "\u{feff}",
        2,
        &["missing-key"],
        "names no call",
    ));
    cases.push(case(
        "64 KiB of random bytes",
        xorshift_bytes(0x9E37_79B9_7F4A_7C15, 64 * 1024),
        2,
        &["read-error"],
        "not UTF-8",
    ));
    let printable: Vec<u8> = xorshift_bytes(42, 64 * 1024)
        .into_iter()
        .map(|b| if b % 40 == 0 { b'\n' } else { b' ' + b % 95 })
        .collect();
    cases.push(case(
        "64 KiB of random printable ASCII",
        printable,
        2,
        &["syntax"],
        "invalid TOML",
    ));
    let mut invalid_utf8 = ready.clone().into_bytes();
    let at = ready.find("Japan").unwrap() + 3;
    invalid_utf8.insert(at, 0xff);
    cases.push(case(
        "invalid UTF-8 (a 0xFF byte) in the title",
        invalid_utf8,
        2,
        &["read-error"],
        "not UTF-8",
    ));
    let mut surrogate = ready.clone().into_bytes();
    surrogate.splice(at..at, [0xed, 0xa0, 0x80]);
    cases.push(case(
        "an encoded UTF-16 surrogate (ED A0 80) in the title",
        surrogate,
        2,
        &["read-error"],
        "not UTF-8",
    ));
    let mut utf16 = vec![0xff, 0xfe];
    utf16.extend(ready.encode_utf16().flat_map(|u| u.to_le_bytes()));
    cases.push(case(
        "the file saved as UTF-16 with a byte-order mark",
        utf16,
        2,
        &["read-error"],
        "not UTF-8",
    ));
    let nul_in_string = with(title, "title = \"European\0agri-food clusters\"");
    let nul_line = line_of(&nul_in_string, "title = ");
    cases.push(
        case(
            "a NUL byte inside a string value",
            nul_in_string,
            2,
            &["syntax"],
            "invalid TOML",
        )
        .at(nul_line),
    );
    let nul_line_text = with("[proposal]\n", "[proposal]\n\0\0\0\n");
    cases.push(case(
        "a line of NUL bytes between keys",
        nul_line_text,
        2,
        &["syntax"],
        "invalid TOML",
    ));
    cases.push(case(
        "a UTF-8 byte-order mark before a valid file (accepted)",
        format!("\u{feff}{ready}"),
        0,
        &[],
        "READY: 0 errors, 0 warnings",
    ));
    cases.push(case(
        "CRLF line endings (accepted)",
        ready.replace('\n', "\r\n"),
        0,
        &[],
        "READY: 0 errors, 0 warnings",
    ));
    cases.push(case(
        "byte-order mark and CRLF line endings (accepted)",
        format!("\u{feff}{}", ready.replace('\n', "\r\n")),
        0,
        &[],
        "READY: 0 errors, 0 warnings",
    ));
    cases.push(case(
        "CR-only line endings",
        ready.replace('\n', "\r"),
        2,
        &["syntax"],
        "carriage return",
    ));
    let stray_cr = with("acronym = \"AGRI4i\"\n", "acronym = \"AGRI4i\"\r");
    let stray_line = line_of(&stray_cr, "acronym");
    cases.push(
        case(
            "one stray CR between two keys",
            stray_cr,
            2,
            &["syntax"],
            "carriage return",
        )
        .at(stray_line),
    );

    // --- Deep nesting: a syntax error, not a stack overflow ----------------
    const DEEP: usize = 300_000;
    cases.push(case(
        "300,000 nested arrays",
        format!("call = {}{}\n", "[".repeat(DEEP), "]".repeat(DEEP)),
        2,
        &["syntax"],
        "invalid TOML",
    ));
    cases.push(case(
        "300,000 nested inline tables",
        format!("x = {}1{}\n", "{a=".repeat(DEEP), "}".repeat(DEEP)),
        2,
        &["syntax"],
        "invalid TOML",
    ));
    cases.push(case(
        "300,000 nested arrays of inline tables",
        format!(
            "call = {}1{}\n",
            "[{a=".repeat(DEEP / 2),
            "}]".repeat(DEEP / 2)
        ),
        2,
        &["syntax"],
        "invalid TOML",
    ));
    cases.push(case(
        "300,000 unclosed arrays",
        format!("call = {}\n", "[".repeat(DEEP)),
        2,
        &["syntax"],
        "invalid TOML",
    ));
    cases.push(case(
        "300,000 unclosed inline tables",
        format!("x = {}\n", "{a=".repeat(DEEP)),
        2,
        &["syntax"],
        "invalid TOML",
    ));
    cases.push(case(
        "a dotted key of 300,000 parts",
        format!("a{} = 1\n", ".a".repeat(DEEP)),
        2,
        &["syntax"],
        "invalid TOML",
    ));
    cases.push(case(
        "a table header of 300,000 parts",
        format!("[a{}]\n", ".a".repeat(DEEP)),
        2,
        &["syntax"],
        "invalid TOML",
    ));

    // --- Huge but valid files: checked normally ----------------------------
    cases.push(case(
        "a 5 MB title",
        with(title, &format!("title = \"{}\"", "a".repeat(5 * MB))),
        0,
        &[],
        "READY: 0 errors, 0 warnings",
    ));
    cases.push(case(
        "a 5 MB comment line",
        format!("# {}\n{ready}", "c".repeat(5 * MB)),
        0,
        &[],
        "READY: 0 errors, 0 warnings",
    ));
    cases.push(case(
        "5 MB of comment lines",
        format!(
            "{}{ready}",
            "# a comment line of fifty characters, more or le\n".repeat(MB / 10)
        ),
        0,
        &[],
        "READY: 0 errors, 0 warnings",
    ));
    cases.push(case(
        "a 5 MB multi-line title",
        with(
            title,
            &format!("title = \"\"\"\n{}\"\"\"", "line\n".repeat(MB)),
        ),
        0,
        &[],
        "READY: 0 errors, 0 warnings",
    ));
    let mut many = ready.clone();
    for i in 0..20_000 {
        let country = ["IT", "FR", "ES", "DE"][i % 4];
        many.push_str(&partner(&format!("P{i}"), &format!("Partner {i}"), country));
    }
    cases.push(case(
        "20,000 distinct partners",
        many,
        0,
        &[],
        "READY: 0 errors, 0 warnings",
    ));
    // Huge values that are echoed in a diagnostic.
    let long = "A".repeat(MB);
    let text = with(
        "call = \"COS-CLUSINT-2020-3-01\"",
        &format!("call = \"{long}\""),
    );
    cases.push(
        case(
            "a 1 MB call id",
            text,
            2,
            &["unknown-call"],
            "is not a call escp knows",
        )
        .at(8),
    );
    let text = with("acronym = ", &format!("\"{long}\" = 1\nacronym = "));
    let line = line_of(&text, &long);
    cases.push(
        case(
            "a 1 MB unknown key",
            text,
            1,
            &["unknown-key"],
            "unknown key",
        )
        .at(line),
    );
    let text = with(
        "type = \"cluster-organisation\"",
        &format!("type = \"{long}\""),
    );
    let line = line_of(&text, &long);
    cases.push(
        case(
            "a 1 MB organisation type",
            text,
            1,
            &["invalid-value"],
            "is not a valid `type`",
        )
        .at(line),
    );
    let text = with("country = \"IT\"", &format!("country = \"{long}\""));
    let line = line_of(&text, &long);
    cases.push(
        case(
            "a 1 MB country value",
            text,
            1,
            &["invalid-value"],
            "is not a country code",
        )
        .at(line),
    );
    // 20,000 targets of 200 different countries: more than the 5 advised.
    let mut targets = ready.clone();
    let codes: Vec<&str> = ["JP", "CA", "US", "BR", "AR", "CL", "MX", "IN", "CN", "KR"]
        .into_iter()
        .collect();
    for i in 0..20_000 {
        targets.push_str(&format!(
            "[[target]]\ncountry = \"{}\"\n\n",
            codes[i % codes.len()]
        ));
    }
    cases.push(case(
        "20,000 targets",
        targets,
        0,
        &["max-targets", "min-targets"],
        "target markets",
    ));
    let same = partner("SAME", "Same legal name", "DE").repeat(5_000);
    // Each organisation applies once (a general rule of EU proposals): the
    // copies are errors, reported without a hang.
    cases.push(case(
        "5,000 partners with the same names",
        with("[[target]]", &format!("{same}[[target]]")),
        1,
        &["duplicate-partner"],
        "same short name",
    ));

    cases.push(case(
        "100,000 invalid lines after a valid file",
        format!("{ready}\n{}", "= x\n".repeat(100_000)),
        2,
        &["syntax"],
        "invalid TOML",
    ));

    // --- Numbers -----------------------------------------------------------
    cases.push(wrong(
        "duration_months = 30",
        "duration_months = 99999999999999999999999",
        "too large",
    ));
    cases.push(wrong(
        "sme_members = 85",
        "sme_members = 99999999999999999999999",
        "too large",
    ));
    for (key, value) in [
        ("requested_grant_eur", "450000"),
        ("total_costs_eur", "500000"),
    ] {
        let old = format!("{key} = {value}");
        for bad in ["nan", "+nan", "-nan", "inf", "+inf", "1e400"] {
            cases.push(wrong(
                &old,
                &format!("{key} = {bad}"),
                "not a finite number",
            ));
        }
        cases.push(wrong(&old, &format!("{key} = -inf"), "negative"));
        cases.push(wrong(&old, &format!("{key} = -1"), "negative"));
        cases.push(wrong(&old, &format!("{key} = -1e308"), "negative"));
        cases.push(wrong(
            &old,
            &format!("{key} = \"{value}\""),
            "must be an amount in euros",
        ));
    }
    let text = with(
        "requested_grant_eur = 450000",
        "requested_grant_eur = 1e308",
    );
    cases.push(
        case(
            "requested_grant_eur = 1e308",
            text,
            1,
            &["invalid-value"],
            "too large to be an amount",
        )
        .at(15),
    );
    cases.push(case(
        "total_costs_eur = 1e308",
        with("total_costs_eur = 500000", "total_costs_eur = 1e308"),
        1,
        &["invalid-value"],
        "too large to be an amount",
    ));
    cases.push(case(
        "requested_grant_eur = 0",
        with("requested_grant_eur = 450000", "requested_grant_eur = 0"),
        1,
        &["implausible-amount"],
        "is EUR 0",
    ));
    let text = with("total_costs_eur = 500000", "total_costs_eur = 0");
    let line = line_of(&text, "total_costs_eur = 0");
    cases.push(
        case(
            "total_costs_eur = 0 (no division by zero)",
            text,
            1,
            &["implausible-amount"],
            "`total_costs_eur` is EUR 0",
        )
        .at(line),
    );
    cases.push(case(
        "both amounts 0.0 (no 0/0)",
        with("requested_grant_eur = 450000", "requested_grant_eur = 0.0")
            .replace("total_costs_eur = 500000", "total_costs_eur = 0.0"),
        1,
        &["implausible-amount"],
        "is EUR 0",
    ));
    cases.push(wrong(
        "duration_months = 30",
        "duration_months = 0",
        "at least 1",
    ));
    cases.push(wrong(
        "duration_months = 30",
        "duration_months = -9223372036854775808",
        "at least 1",
    ));
    cases.push(wrong(
        "duration_months = 30",
        "duration_months = 30.5",
        "whole number",
    ));
    cases.push(wrong(
        "duration_months = 30",
        "duration_months = nan",
        "whole number",
    ));
    cases.push(wrong("sme_members = 85", "sme_members = -1", "at least 0"));

    // --- Wrong types at every key -----------------------------------------
    let call = "call = \"COS-CLUSINT-2020-3-01\"";
    for new in [
        "call = 5",
        "call = 2020-12-02T17:00:00Z",
        "call = [\"COS-CLUSINT-2020-3-01\"]",
        "call = { id = \"COS-CLUSINT-2020-3-01\" }",
        "call = true",
    ] {
        // Without a call that can be read there is nothing to check against.
        let mut c = wrong(call, new, "`call` must be a string");
        c.code = 2;
        cases.push(c);
    }
    for new in [
        "strand = [\"A\"]",
        "strand = 1",
        "strand = 1.5",
        "strand = false",
        "strand = 2020-12-02",
    ] {
        cases.push(wrong("strand = \"A\"", new, "`strand` must be a string"));
    }
    cases.push(wrong(
        "acronym = \"AGRI4i\"",
        "acronym = 4",
        "`acronym` must be a string",
    ));
    cases.push(wrong(
        "acronym = \"AGRI4i\"",
        "acronym = [\"AGRI4i\"]",
        "`acronym` must be a string",
    ));
    cases.push(wrong("acronym = \"AGRI4i\"", "acronym = \"\"", "empty"));
    cases.push(wrong(
        title,
        "title = 1979-05-27",
        "`title` must be a string",
    ));
    cases.push(wrong(title, "title = 3", "`title` must be a string"));
    for new in [
        "duration_months = \"30\"",
        "duration_months = true",
        "duration_months = [30]",
    ] {
        cases.push(wrong("duration_months = 30", new, "whole number"));
    }
    cases.push(wrong(
        "requested_grant_eur = 450000",
        "requested_grant_eur = \"540 000 EUR\"",
        "must be an amount in euros",
    ));
    cases.push(wrong(
        "requested_grant_eur = 450000",
        "requested_grant_eur = [540000]",
        "must be an amount in euros",
    ));
    cases.push(wrong(
        "total_costs_eur = 500000",
        "total_costs_eur = 07:32:00",
        "must be an amount in euros",
    ));
    let actions = "actions = [\"preparatory\", \"implementation\"]";
    cases.push(wrong(
        actions,
        "actions = \"preparatory\"",
        "must be a list of strings",
    ));
    cases.push(wrong(actions, "actions = [1, 2]", "not an integer"));
    cases.push(wrong(
        actions,
        "actions = [[\"preparatory\"]]",
        "not an array",
    ));
    cases.push(wrong(
        actions,
        "actions = [\"dance\"]",
        "not a valid `actions`",
    ));
    cases.push(wrong(
        "short_name = \"AGRI-IT\"",
        "short_name = 1",
        "`short_name` must be a string",
    ));
    cases.push(wrong(
        "short_name = \"AGRI-IT\"",
        "short_name = \"\"",
        "empty",
    ));
    cases.push(wrong(
        "name = \"Consorzio Agrifood Cluster Italia\"",
        "name = {}",
        "`name` must be a string",
    ));
    cases.push(wrong(
        "role = \"coordinator\"",
        "role = true",
        "`role` must be a string",
    ));
    cases.push(wrong(
        "role = \"coordinator\"",
        "role = \"boss\"",
        "not a valid `role`",
    ));
    cases.push(wrong(
        "country = \"IT\"",
        "country = 42",
        "`country` must be a string",
    ));
    cases.push(wrong(
        "country = \"IT\"",
        "country = [\"IT\"]",
        "`country` must be a string",
    ));
    cases.push(wrong(
        "country = \"IT\"",
        "country = \"Italy\"",
        "country = \"IT\"",
    ));
    cases.push(wrong(
        "country = \"IT\"",
        "country = \"ZZ\"",
        "not a country code",
    ));
    cases.push(wrong("country = \"IT\"", "country = \"\"", "empty"));
    cases.push(wrong(
        "type = \"cluster-organisation\"",
        "type = 1",
        "`type` must be a string",
    ));
    cases.push(wrong(
        "type = \"cluster-organisation\"",
        "type = \"company\"",
        "not a valid `type`",
    ));
    cases.push(wrong(
        "eccp = \"registered\"",
        "eccp = true",
        "`eccp` must be a string",
    ));
    cases.push(wrong(
        "eccp = \"registered\"",
        "eccp = \"yes\"",
        "not a valid `eccp`",
    ));
    cases.push(wrong(
        "sme_members = 85",
        "sme_members = \"85\"",
        "whole number",
    ));
    cases.push(wrong(
        "sme_members = 85",
        "sme_members = 8.5",
        "whole number",
    ));
    cases.push(wrong(
        "sme_members = 85",
        "sme_members = 85\ndefence_related = \"no\"",
        "`defence_related` must be `true` or `false`",
    ));
    cases.push(wrong(
        "sme_members = 85",
        "sme_members = 85\nlegal_entity = 1",
        "`legal_entity` must be `true` or `false`",
    ));
    cases.push(wrong(
        "country = \"JP\"",
        "country = 81",
        "`country` must be a string",
    ));
    cases.push(wrong(
        "region = \"Mercosur\"",
        "region = [\"Mercosur\"]",
        "`region` must be a string",
    ));
    cases.push(wrong(
        "region = \"Mercosur\"",
        "region = 1",
        "`region` must be a string",
    ));
    // Wrong shapes of the tables themselves.
    let top = |key_value: &str| {
        ready.replacen(
            "strand = \"A\"\n",
            &format!("strand = \"A\"\n{key_value}\n"),
            1,
        )
    };
    let before = |text: &str, from: &str| text[..text.find(from).expect("the section")].to_string();
    let without = |text: &str, from: &str, to: &str| {
        let start = text.find(from).expect("the section");
        let end = text[start..].find(to).map_or(text.len(), |i| start + i);
        format!("{}{}", &text[..start], &text[end..])
    };
    let text = without(&top("partner = 5"), "[[partner]]", "[[target]]");
    let line = line_of(&text, "partner = 5");
    cases.push(
        case(
            "partner = 5",
            text,
            1,
            &["invalid-value"],
            "list of `[[partner]]` entries",
        )
        .at(line),
    );
    let text = without(&top("partner = [\"AGRI-IT\"]"), "[[partner]]", "[[target]]");
    let line = line_of(&text, "partner = [");
    cases.push(
        case(
            "partner = [\"AGRI-IT\"]",
            text,
            1,
            &["invalid-value"],
            "must be a table",
        )
        .at(line),
    );
    let text = without(&ready, "[[partner]]", "[[target]]").replacen(
        "[[target]]",
        "[partner]\nshort_name = \"AGRI-IT\"\nname = \"Consorzio\"\ncountry = \"IT\"\n\n[[target]]",
        1,
    );
    let line = line_of(&text, "[partner]");
    cases.push(
        case(
            "[partner] as a single table",
            text,
            1,
            &["invalid-value"],
            "not a single `[partner]` table",
        )
        .at(line),
    );
    let text = before(&top("target = \"JP\""), "[[target]]");
    let line = line_of(&text, "target = \"JP\"");
    cases.push(
        case(
            "target = \"JP\"",
            text,
            1,
            &["invalid-value"],
            "list of `[[target]]` entries",
        )
        .at(line),
    );
    let text = format!(
        "{}[target]\ncountry = \"JP\"\n",
        before(&ready, "[[target]]")
    );
    let line = line_of(&text, "[target]");
    cases.push(
        case(
            "[target] as a single table",
            text,
            1,
            &["invalid-value"],
            "[[target]]",
        )
        .at(line),
    );
    let text = without(&top("proposal = 5"), "[proposal]", "[[partner]]");
    let line = line_of(&text, "proposal = 5");
    cases.push(
        case(
            "proposal = 5",
            text,
            1,
            &["invalid-value"],
            "`proposal` must be a table",
        )
        .at(line),
    );
    let text = with("[proposal]", "[[proposal]]");
    let line = line_of(&text, "[[proposal]]");
    cases.push(
        case(
            "[[proposal]] as an array of tables",
            text,
            1,
            &["invalid-value"],
            "`proposal` must be a table",
        )
        .at(line),
    );

    // --- Targets with both or neither of country and region ----------------
    let text = with(
        "[[target]]\nregion = \"Mercosur\"",
        "[[target]]\ncountry = \"BR\"\nregion = \"Mercosur\"",
    );
    let line = last_line_of(&text, "[[target]]");
    cases.push(
        case(
            "a target with both country and region",
            text,
            1,
            &["invalid-value"],
            "both `country` and `region`",
        )
        .at(line),
    );
    let text = with("[[target]]\nregion = \"Mercosur\"", "[[target]]\n");
    let line = last_line_of(&text, "[[target]]");
    cases.push(
        case(
            "a target with neither country nor region",
            text,
            1,
            &["invalid-value"],
            "neither `country` nor `region`",
        )
        .at(line),
    );

    // --- Duplicates: not valid TOML ------------------------------------------
    let text = format!("{ready}\n[proposal]\nacronym = \"AGAIN\"\n");
    let line = last_line_of(&text, "[proposal]");
    cases.push(case("[proposal] twice", text, 2, &["syntax"], "duplicate").at(line));
    let text = with(
        "strand = \"A\"",
        "strand = \"A\"\ncall = \"COS-CLUSINT-2020-3-01\"",
    );
    let line = last_line_of(&text, "call = ");
    cases.push(case("call twice", text, 2, &["syntax"], "duplicate key").at(line));
    let text = with("country = \"IT\"", "country = \"IT\"\ncountry = \"FR\"");
    let line = line_of(&text, "country = \"FR\"");
    cases.push(
        case(
            "country twice in a partner",
            text,
            2,
            &["syntax"],
            "duplicate key",
        )
        .at(line),
    );
    cases.push(case(
        "partner = 5 beside [[partner]] tables",
        top("partner = 5"),
        2,
        &["syntax"],
        "duplicate key",
    ));

    // --- Odd Unicode in keys: unknown keys, never echoed raw ------------------
    let odd_key = |name: &str, key: &str, message: &'static str| {
        let text = with(
            "acronym = \"AGRI4i\"",
            &format!("acronym = \"AGRI4i\"\n{key} = \"x\""),
        );
        let line = line_of(&text, key);
        case(name, text, 1, &["unknown-key"], message).at(line)
    };
    cases.push(odd_key(
        "a key with an escaped right-to-left override",
        "\"ac\\u202Eronym\"",
        "unknown key",
    ));
    cases.push(odd_key(
        "a key with escaped bidi isolates",
        "\"\\u2066acronym\\u2069\"",
        "unknown key",
    ));
    cases.push(odd_key(
        "a key with an escaped ESC sequence",
        "\"a\\u001b[31mb\"",
        "unknown key",
    ));
    cases.push(odd_key(
        "a key with an escaped BEL and NUL",
        "\"acr\\u0007\\u0000onym\"",
        "unknown key",
    ));
    cases.push(odd_key(
        "a key with a raw zero-width space",
        "\"acr\u{200b}onym\"",
        "did you mean `acronym`?",
    ));
    cases.push(odd_key(
        "a key with a Cyrillic homoglyph",
        "\"\u{430}cronym\"",
        "mixes scripts",
    ));
    cases.push(odd_key(
        "a key with a raw right-to-left override",
        "\"ac\u{202e}ronym\"",
        "unknown key",
    ));
    cases.push(odd_key(
        "a key with a raw C1 control (NEL)",
        "\"acr\u{85}onym\"",
        "unknown key",
    ));

    // --- Escape sequences in values that are echoed ---------------------------
    cases.push(wrong(
        "country = \"IT\"",
        "country = \"\\u001b[31mIT\"",
        "not a country code",
    ));
    cases.push(wrong(
        "type = \"cluster-organisation\"",
        "type = \"\\u001b[31mcompany\"",
        "not a valid `type`",
    ));
    let text = with(call, "call = \"\\u001b]0;pwned\\u0007COS\"");
    cases.push(
        case(
            "an unknown call id with an OSC sequence and BEL",
            text,
            2,
            &["unknown-call"],
            "is not a call escp knows",
        )
        .at(8),
    );
    let text = with("strand = \"A\"", "strand = \"\\u001b[2J\"");
    cases.push(
        case(
            "a strand that would clear the screen",
            text,
            1,
            &["strand"],
            "is not a strand of",
        )
        .at(9),
    );
    cases.push(case(
        "a raw ESC byte inside a string",
        with(title, "title = \"\x1b[31mred\x1b[0m\""),
        2,
        &["syntax"],
        "invalid TOML",
    ));
    cases.push(
        case(
            "raw ESC and BEL bytes in a comment",
            format!("# \x1b[2J\x1b]0;owned\x07 hi\n{ready}"),
            2,
            &["syntax"],
            "invalid TOML",
        )
        .at(1),
    );
    cases.push(case(
        "a raw DEL byte inside a string",
        with(title, "title = \"\x7fEuropean\""),
        2,
        &["syntax"],
        "invalid TOML",
    ));
    cases.push(wrong(
        "country = \"IT\"",
        "country = \"\u{9b}31mIT\"",
        "not a country code",
    ));
    cases.push(wrong(
        "country = \"IT\"",
        "country = \"I\u{202e}T\"",
        "not a country code",
    ));
    cases.push(case(
        "bidi controls in a comment (never shown)",
        format!("# \u{202e} reversed \u{2066}isolated\u{2069}\n{ready}"),
        0,
        &[],
        "READY: 0 errors, 0 warnings",
    ));

    cases
}

/// Checks one case in JSON and human form; returns what is wrong.
fn check_case(scratch: &Scratch, index: usize, case: &Case) -> Vec<String> {
    let file = format!("case-{index:03}.toml");
    scratch.write(&file, &case.bytes);
    let mut problems = Vec::new();

    let json_run = escp_run(
        scratch.path(),
        &["check", "--format", "json", "--today", TODAY, &file],
        None,
    );
    problems.extend(
        robustness(&json_run)
            .into_iter()
            .map(|p| format!("--format json: {p}")),
    );
    if json_run.status.is_none() {
        return problems;
    }
    if json_run.code() != Some(case.code) {
        problems.push(format!(
            "--format json: exit code {:?}, expected {}",
            json_run.code(),
            case.code
        ));
    }
    match serde_json::from_slice::<Value>(&json_run.stdout) {
        Err(e) => problems.push(format!(
            "--format json printed invalid JSON ({e}): {}",
            shorten(&json_run.stdout(), 300)
        )),
        Ok(json) => problems.extend(check_report(&json, case)),
    }

    let human = escp_run(scratch.path(), &["check", "--today", TODAY, &file], None);
    problems.extend(
        robustness(&human)
            .into_iter()
            .map(|p| format!("human: {p}")),
    );
    problems.extend(terminal_safety("human stdout", &human.stdout));
    problems.extend(terminal_safety("human stderr", &human.stderr));
    if human.status.is_some() && human.code() != json_run.code() {
        problems.push(format!(
            "human: exit code {:?}, but {:?} with --format json",
            human.code(),
            json_run.code()
        ));
    }
    if case.rules.is_empty() && !human.stdout().contains(case.message) {
        problems.push(format!(
            "human: the report does not say {:?}: {}",
            case.message,
            shorten(&human.stdout(), 600)
        ));
    }
    problems
}

/// What is wrong with the JSON report of `case`.
fn check_report(json: &Value, case: &Case) -> Vec<String> {
    let mut problems = Vec::new();
    let Some(files) = json["files"].as_array() else {
        return vec![format!(
            "the JSON report has no files: {}",
            shorten(&json.to_string(), 300)
        )];
    };
    if files.len() != 1 {
        problems.push(format!("{} files in the report, expected 1", files.len()));
    }
    let file = &files[0];
    let expected_status = match case.code {
        0 => "ready",
        1 => "not-ready",
        _ => "unchecked",
    };
    if file["status"] != expected_status {
        problems.push(format!(
            "status {}, expected {expected_status:?}",
            file["status"]
        ));
    }
    let diagnostics = file["diagnostics"].as_array().cloned().unwrap_or_default();
    let summary: Vec<String> = diagnostics
        .iter()
        .map(|d| {
            format!(
                "{} (line {}): {}",
                d["rule"].as_str().unwrap_or("?"),
                d["line"],
                shorten(d["message"].as_str().unwrap_or(""), 160)
            )
        })
        .collect();
    let rules: Vec<&str> = diagnostics
        .iter()
        .filter_map(|d| d["rule"].as_str())
        .collect();
    if case.rules.is_empty() && !diagnostics.is_empty() {
        problems.push(format!("expected no diagnostic, got {summary:#?}"));
    }
    for rule in &case.rules {
        if !rules.contains(rule) {
            problems.push(format!("no `{rule}` diagnostic; got {summary:#?}"));
        }
    }
    let mut unexpected: Vec<&str> = rules
        .iter()
        .copied()
        .filter(|r| FORMAT_RULES.contains(r) && !case.rules.contains(r))
        .collect();
    unexpected.dedup();
    if !unexpected.is_empty() {
        problems.push(format!(
            "unexpected {unexpected:?} diagnostics; got {summary:#?}"
        ));
    }
    if !case.rules.is_empty() {
        let said = diagnostics.iter().any(|d| {
            case.rules.iter().any(|r| d["rule"] == *r)
                && ["message", "help"].iter().any(|key| {
                    d[*key]
                        .as_str()
                        .is_some_and(|text| text.contains(case.message))
                })
        });
        if !said {
            problems.push(format!(
                "no {:?} diagnostic says {:?}; got {summary:#?}",
                case.rules, case.message
            ));
        }
    }
    if let (Some(line), Some(rule)) = (case.line, case.rules.first()) {
        let lines: Vec<u64> = diagnostics
            .iter()
            .filter(|d| d["rule"] == *rule)
            .filter_map(|d| d["line"].as_u64())
            .collect();
        if !lines.contains(&line) {
            problems.push(format!(
                "no `{rule}` diagnostic at line {line}; at lines {lines:?}"
            ));
        }
    }
    // Messages are for people: escaped, whatever the file holds.
    let texts = diagnostics
        .iter()
        .flat_map(|d| [&d["message"], &d["help"]])
        .chain(
            file["checks"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|c| &c["detail"]),
        )
        .filter_map(Value::as_str);
    for text in texts {
        if let Some(c) = text.chars().find(|c| is_hostile_char(*c)) {
            problems.push(format!(
                "a JSON message holds a raw {}: {:?}",
                c.escape_unicode(),
                shorten(text, 160)
            ));
        }
    }
    problems
}

/// Runs every case of the corpus; fails listing every failing case at once.
fn run_corpus(tag: &str) {
    let scratch = Scratch::new(tag);
    let cases: Vec<Case> = corpus();
    let mut failures = Vec::new();
    for (index, case) in cases.iter().enumerate() {
        let problems = check_case(&scratch, index, case);
        if !problems.is_empty() {
            failures.push(format!(
                "case {index:03} {:?}:\n  - {}",
                case.name,
                problems.join("\n  - ")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} hostile inputs are mishandled:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

#[test]
fn hostile_files_are_diagnosed_without_crash_hang_or_raw_controls() {
    run_corpus("corpus");
}

#[test]
fn the_corpus_states_an_outcome_for_every_case() {
    let cases = corpus();
    let mut names: Vec<&str> = cases.iter().map(|c| c.name.as_str()).collect();
    names.sort_unstable();
    let before = names.len();
    names.dedup();
    assert_eq!(before, names.len(), "case names are unique");
    for c in &cases {
        assert!(matches!(c.code, 0..=2), "{}: exit code {}", c.name, c.code);
        assert!(!c.message.is_empty(), "{}: no message", c.name);
        if c.code == 2 {
            assert!(!c.rules.is_empty(), "{}: exit 2 needs its cause", c.name);
        }
    }
    // The random bytes really are not UTF-8, the printable ones really are.
    let bytes = |name: &str| &cases.iter().find(|c| c.name == name).expect(name).bytes;
    assert!(std::str::from_utf8(bytes("64 KiB of random bytes")).is_err());
    assert!(std::str::from_utf8(bytes("64 KiB of random printable ASCII")).is_ok());
}

// ---------------------------------------------------------------------------
// Separate tests
// ---------------------------------------------------------------------------

/// The JSON report of `args`, with the robustness checks of its run and of
/// the human run of the same arguments.
fn json_and_human(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> (Run, Value, Run) {
    let mut json_args = vec!["check", "--format", "json", "--today", TODAY];
    json_args.extend_from_slice(args);
    let json_run = escp_run(dir, &json_args, stdin);
    let mut problems = robustness(&json_run);
    let json: Value = serde_json::from_slice(&json_run.stdout).unwrap_or_else(|e| {
        panic!(
            "invalid JSON for {args:?} ({e}; {problems:?}): {}",
            shorten(&json_run.stdout(), 600)
        )
    });
    let mut human_args = vec!["check", "--today", TODAY];
    human_args.extend_from_slice(args);
    let human = escp_run(dir, &human_args, stdin);
    problems.extend(robustness(&human));
    problems.extend(terminal_safety("human stdout", &human.stdout));
    problems.extend(terminal_safety("human stderr", &human.stderr));
    assert!(problems.is_empty(), "{args:?}:\n{}", problems.join("\n"));
    (json_run, json, human)
}

fn diagnostics(file: &Value) -> Vec<(String, String, String)> {
    file["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap_or_default().to_string(),
                d["message"].as_str().unwrap_or_default().to_string(),
                d["help"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[test]
fn a_byte_order_mark_and_crlf_give_the_same_diagnostics() {
    let scratch = Scratch::new("bom");
    let plain = fs::read_to_string(common::root().join("examples/2020-strand-a-not-ready.toml"))
        .expect("the not-ready example");
    let crlf = plain.replace('\n', "\r\n");
    scratch.write("plain.toml", plain.as_bytes());
    scratch.write("bom.toml", format!("\u{feff}{plain}").as_bytes());
    scratch.write("crlf.toml", crlf.as_bytes());
    scratch.write("bom-crlf.toml", format!("\u{feff}{crlf}").as_bytes());
    // A diagnostic on the first line: the mark is not a column.
    scratch.write("call.toml", b"call = \"NOPE\"\n");
    scratch.write("bom-call.toml", "\u{feff}call = \"NOPE\"\n".as_bytes());

    let report = |name: &str| {
        let (run, json, _) = json_and_human(scratch.path(), &[name], None);
        (
            run.code(),
            common::positions(&json),
            diagnostics(&json["files"][0]),
        )
    };
    let expected = report("plain.toml");
    assert_eq!(expected.0, Some(1));
    assert!(expected.1.len() >= 8, "{:?}", expected.1);
    for name in ["bom.toml", "crlf.toml", "bom-crlf.toml"] {
        assert_eq!(report(name), expected, "{name} differs from plain.toml");
    }
    let first_line = report("call.toml");
    assert_eq!(first_line.0, Some(2));
    assert_eq!(report("bom-call.toml"), first_line);
}

#[test]
fn call_ids_that_look_like_paths_are_never_read_as_paths() {
    let scratch = Scratch::new("paths");
    let rules = scratch.path().join("rules");
    fs::create_dir_all(&rules).unwrap();
    // Valid rulesets (recognisable by their title) where each id would
    // resolve if it were taken as a path relative to the --calls folder.
    let genuine = fs::read_to_string(common::root().join("calls/COS-CLUSINT-2020-3-01.toml"))
        .expect("the 2020 ruleset");
    let decoy = genuine.replace(
        "title = \"Clusters Go International (4th call)\"",
        "title = \"DECOY RULESET\"",
    );
    assert_ne!(decoy, genuine, "the decoy is recognisable");
    for place in [
        "calls/COS-CLUSINT-2020-3-01.toml",
        "calls/COS-CLUSINT-2020-3-01",
        "etc/passwd",
        "etc/passwd.toml",
    ] {
        scratch.write(place, decoy.as_bytes());
    }
    let rules_arg = rules.to_str().unwrap();
    // The decoy is a ruleset escp would use if it were in the folder.
    scratch.write("decoy-folder/COS-CLUSINT-2020-3-01.toml", decoy.as_bytes());
    scratch.write("consortium.toml", ready_text().as_bytes());
    let overridden = escp_run(
        scratch.path(),
        &[
            "check",
            "--calls",
            "decoy-folder",
            "--today",
            TODAY,
            "consortium.toml",
        ],
        None,
    );
    assert!(
        overridden.stdout().contains("DECOY RULESET"),
        "the decoy is a working ruleset: {}",
        overridden.stdout()
    );

    let mut failures = Vec::new();
    for id in [
        "../../etc/passwd",
        "/etc/passwd",
        "../etc/passwd",
        "../calls/COS-CLUSINT-2020-3-01",
        "../calls/COS-CLUSINT-2020-3-01.toml",
        "./COS-CLUSINT-2020-3-01",
        "COS-CLUSINT-2020-3-01/../COS-CLUSINT-2020-3-01",
    ] {
        let text = with(
            "call = \"COS-CLUSINT-2020-3-01\"",
            &format!("call = \"{id}\""),
        );
        scratch.write("consortium.toml", text.as_bytes());
        let (run, json, human) = json_and_human(
            scratch.path(),
            &["--calls", rules_arg, "consortium.toml"],
            None,
        );
        let file = &json["files"][0];
        let rules: Vec<String> = diagnostics(file).into_iter().map(|d| d.0).collect();
        let everything = format!("{}{}", json, human.stdout());
        if run.code() != Some(2)
            || human.code() != Some(2)
            || !rules.contains(&"unknown-call".to_string())
            || file["status"] != "unchecked"
            || file["call"] != Value::Null
            || everything.contains("DECOY")
            || everything.contains("root:")
        {
            failures.push(format!(
                "call = {id:?}: exit {:?}/{:?}, rules {rules:?}, call {}, status {}\n{}",
                run.code(),
                human.code(),
                file["call"],
                file["status"],
                shorten(&human.stdout(), 800)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn paths_that_cannot_be_read_are_read_errors() {
    let scratch = Scratch::new("unreadable");
    scratch.write("file.toml", ready_text().as_bytes());
    fs::create_dir_all(scratch.path().join("folder.toml")).unwrap();
    let mut cases: Vec<(&str, &str, &str)> = vec![
        ("no/such/consortium.toml", "no such file", "escp init"),
        ("folder.toml", "directory", ""),
        ("file.toml/consortium.toml", "cannot read", ""),
    ];
    // chmod 000: only meaningful when the file really becomes unreadable,
    // which it does not for root.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let locked = scratch.write("locked.toml", ready_text().as_bytes());
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
        if fs::read(&locked).is_err() {
            cases.push(("locked.toml", "cannot read", ""));
        } else {
            eprintln!("skipping the chmod 000 case: this user can read any file (root?)");
        }
    }
    let mut failures = Vec::new();
    for (path, message, help) in cases {
        let (run, json, human) = json_and_human(scratch.path(), &[path], None);
        let file = &json["files"][0];
        let found = diagnostics(file);
        let ok = run.code() == Some(2)
            && human.code() == Some(2)
            && file["status"] == "unchecked"
            && found.len() == 1
            && found[0].0 == "read-error"
            && found[0].1.contains(message)
            && found[0].2.contains(help);
        if !ok {
            failures.push(format!(
                "{path:?}: exit {:?}/{:?}, expected 2 with one read-error saying {message:?} \
                 (help {help:?}); got {found:#?}",
                run.code(),
                human.code()
            ));
        }
    }
    // An empty path is bad usage: exit 2, said on stderr.
    for format in ["human", "json"] {
        let run = escp_run(scratch.path(), &["check", "--format", format, ""], None);
        let mut problems = robustness(&run);
        problems.extend(terminal_safety("stderr", &run.stderr));
        if run.code() != Some(2) || run.stderr().trim().is_empty() {
            problems.push(format!(
                "exit {:?}, expected 2 with a usage error on stderr",
                run.code()
            ));
        }
        if !problems.is_empty() {
            failures.push(format!("an empty path ({format}): {}", problems.join("; ")));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn hostile_path_names_are_never_echoed_raw() {
    let scratch = Scratch::new("names");
    fs::create_dir_all(scratch.path().join("folder\u{1b}[1m")).unwrap();
    scratch.write("evil\u{1b}[31m\u{202e}.toml", ready_text().as_bytes());
    let mut failures = Vec::new();
    for (path, code, rule) in [
        ("missing\u{1b}]0;owned\u{7}.toml", 2, "read-error"),
        ("folder\u{1b}[1m", 2, "read-error"),
        ("evil\u{1b}[31m\u{202e}.toml", 0, ""),
    ] {
        let mut json_args = vec!["check", "--format", "json", "--today", TODAY, path];
        let json_run = escp_run(scratch.path(), &json_args, None);
        json_args.drain(1..3);
        let human = escp_run(scratch.path(), &json_args, None);
        let mut problems = robustness(&json_run);
        problems.extend(robustness(&human));
        problems.extend(terminal_safety("human stdout", &human.stdout));
        problems.extend(terminal_safety("human stderr", &human.stderr));
        if json_run.code() != Some(code) || human.code() != Some(code) {
            problems.push(format!(
                "exit {:?}/{:?}, expected {code}",
                json_run.code(),
                human.code()
            ));
        }
        if !rule.is_empty() && !json_run.stdout().contains(&format!("\"rule\": \"{rule}\"")) {
            problems.push(format!("no {rule}: {}", shorten(&json_run.stdout(), 400)));
        }
        if !problems.is_empty() {
            failures.push(format!("{path:?}:\n  - {}", problems.join("\n  - ")));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn several_files_with_some_hostile_still_report_the_others() {
    let scratch = Scratch::new("several");
    let ready = ready_text();
    let not_ready = fs::read(common::root().join("examples/2020-strand-a-not-ready.toml"))
        .expect("the not-ready example");
    scratch.write("ready.toml", ready.as_bytes());
    scratch.write("random.toml", &xorshift_bytes(7, 4096));
    scratch.write(
        "deep.toml",
        format!("call = {}{}\n", "[".repeat(300_000), "]".repeat(300_000)).as_bytes(),
    );
    scratch.write(
        "duplicate.toml",
        format!("{ready}\n[proposal]\n").as_bytes(),
    );
    scratch.write("not-ready.toml", &not_ready);
    scratch.write(
        "escape.toml",
        with("country = \"IT\"", "country = \"\\u001b[31mIT\"").as_bytes(),
    );
    scratch.write(
        "path-call.toml",
        with(
            "call = \"COS-CLUSINT-2020-3-01\"",
            "call = \"../../etc/passwd\"",
        )
        .as_bytes(),
    );
    fs::create_dir_all(scratch.path().join("folder")).unwrap();
    let files = [
        ("ready.toml", "ready"),
        ("random.toml", "unchecked"),
        ("missing.toml", "unchecked"),
        ("deep.toml", "unchecked"),
        ("not-ready.toml", "not-ready"),
        ("duplicate.toml", "unchecked"),
        ("folder", "unchecked"),
        ("escape.toml", "not-ready"),
        ("path-call.toml", "unchecked"),
    ];
    let paths: Vec<&str> = files.iter().map(|f| f.0).collect();
    let (run, json, human) = json_and_human(scratch.path(), &paths, None);
    assert_eq!(run.code(), Some(2), "{}", shorten(&json.to_string(), 1000));
    assert_eq!(human.code(), Some(2));
    let reported = json["files"].as_array().expect("files");
    let got: Vec<(&str, &str)> = reported
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap_or_default(),
                f["status"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(got, files, "every file is reported, in order");
    assert_eq!(
        json["summary"],
        serde_json::json!({"files": 9, "ready": 1, "not_ready": 2, "incomplete": 0, "unchecked": 6})
    );
    // The valid files are checked in full despite their neighbours.
    for (index, name) in [(0, "ready.toml"), (4, "not-ready.toml"), (7, "escape.toml")] {
        let (_, alone, _) = json_and_human(scratch.path(), &[name], None);
        for key in ["status", "errors", "warnings", "diagnostics", "checks"] {
            assert_eq!(
                reported[index][key], alone["files"][0][key],
                "{name}: `{key}` differs from a check of the file alone"
            );
        }
    }
    assert_eq!(reported[0]["checks"].as_array().map(Vec::len), Some(18));
    let text = human.stdout();
    for (path, _) in files {
        assert!(
            text.contains(&format!("Readiness of {path}")),
            "{path}:\n{text}"
        );
    }
    assert!(text.contains("READY: 0 errors, 0 warnings"), "{text}");
    assert!(text.contains("NOT READY"), "{text}");
}

#[test]
fn hostile_standard_input_is_diagnosed() {
    let scratch = Scratch::new("stdin");
    let cases: Vec<(&str, Vec<u8>, i32, &str)> = vec![
        ("nothing", Vec::new(), 2, "missing-key"),
        ("random bytes", xorshift_bytes(99, 100_000), 2, "read-error"),
        (
            "deep nesting",
            format!("x = {}1{}\n", "{a=".repeat(300_000), "}".repeat(300_000)).into_bytes(),
            2,
            "syntax",
        ),
        (
            "a 5 MB title",
            with(
                "title = \"European agri-food clusters going to Japan and Canada\"",
                &format!("title = \"{}\"", "t".repeat(5 * MB)),
            )
            .into_bytes(),
            0,
            "",
        ),
    ];
    let mut failures = Vec::new();
    for (name, bytes, code, rule) in cases {
        let (run, json, human) = json_and_human(scratch.path(), &["-"], Some(&bytes));
        let file = &json["files"][0];
        let rules: Vec<String> = diagnostics(file).into_iter().map(|d| d.0).collect();
        let rule_ok = if rule.is_empty() {
            rules.is_empty()
        } else {
            rules.iter().any(|r| r == rule)
        };
        if run.code() != Some(code)
            || human.code() != Some(code)
            || file["path"] != "<stdin>"
            || !rule_ok
        {
            failures.push(format!(
                "{name} on stdin: exit {:?}/{:?}, expected {code}; rules {rules:?}, expected {rule:?}; path {}",
                run.code(),
                human.code(),
                file["path"]
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[cfg(target_os = "linux")]
#[test]
fn an_endless_file_is_a_read_error_not_a_hang() {
    // /dev/zero never ends: escp must give up with a read error instead of
    // reading forever. The address space is capped (1 GB) so that a reader
    // without a limit fails here instead of exhausting the machine.
    if !Path::new("/dev/zero").exists() {
        return;
    }
    let mut command = Command::new("sh");
    command.args([
        "-c",
        "ulimit -v 1000000 && exec \"$0\" \"$@\"",
        env!("CARGO_BIN_EXE_escp"),
        "check",
        "--format",
        "json",
        "--today",
        TODAY,
        "/dev/zero",
    ]);
    let run = watched(command, None);
    let problems = robustness(&run);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert_eq!(run.code(), Some(2), "{}", run.stderr());
    let json: Value = serde_json::from_slice(&run.stdout).expect("a JSON report");
    assert_eq!(json["files"][0]["diagnostics"][0]["rule"], "read-error");
    assert!(json["files"][0]["diagnostics"][0]["message"]
        .as_str()
        .unwrap_or_default()
        .contains("cannot read /dev/zero"));
}

#[test]
fn cr_only_line_endings_are_one_syntax_error_at_a_consistent_place() {
    let scratch = Scratch::new("cr");
    scratch.write("cr.toml", ready_text().replace('\n', "\r").as_bytes());
    let (run, json, human) = json_and_human(scratch.path(), &["cr.toml"], None);
    assert_eq!(run.code(), Some(2));
    let positions = common::positions(&json);
    assert_eq!(
        positions.len(),
        1,
        "one syntax error for one cause, got {}: {:?}",
        positions.len(),
        &positions[..positions.len().min(5)]
    );
    let (rule, line, column, _, _) = &positions[0];
    assert_eq!(rule, "syntax");
    // The place as the human report gives it, wherever it wraps the line.
    let text = human.stdout();
    let flat = text
        .replace('│', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        flat.contains(&format!("cr.toml:{line}:{column}"))
            || flat.contains(&format!("line {line}, column {column}")),
        "the human report places the error where the JSON does ({line}:{column}):\n{}",
        shorten(&text, 1500)
    );
    assert!(
        !text.contains(" 0 │"),
        "no line 0:\n{}",
        shorten(&text, 1500)
    );
}

#[test]
fn absurd_amounts_are_shown_readably() {
    let scratch = Scratch::new("absurd");
    scratch.write(
        "huge.toml",
        with(
            "requested_grant_eur = 450000",
            "requested_grant_eur = 1e308",
        )
        .as_bytes(),
    );
    let (_, json, human) = json_and_human(scratch.path(), &["huge.toml"], None);
    // The longest run of digits (thousands separators and decimal points
    // included) that a report prints.
    let longest = |text: &str| {
        text.split(|c: char| !(c.is_ascii_digit() || c == ',' || c == '.'))
            .map(|run| run.chars().filter(char::is_ascii_digit).count())
            .max()
            .unwrap_or(0)
    };
    let messages: String = diagnostics(&json["files"][0])
        .into_iter()
        .map(|d| format!("{}\n{}\n", d.1, d.2))
        .collect();
    assert!(longest(&messages) <= 30, "{messages}");
    assert!(longest(&human.stdout()) <= 30, "{}", human.stdout());
}

/// Endless lines and thousands of diagnostics give a human report that a
/// person can read: no line of the input is echoed whole, and its size grows
/// with the number of problems, not with the size of the input.
#[test]
fn huge_inputs_give_a_report_of_reasonable_size() {
    let scratch = Scratch::new("report-size");
    let depth = 300_000;
    scratch.write(
        "deep.toml",
        format!("call = {}{}\n", "[".repeat(depth), "]".repeat(depth)).as_bytes(),
    );
    let title = format!("title = \"{}\"", "x".repeat(5_000_000));
    scratch.write(
        "long-title.toml",
        with("[proposal]", &format!("[proposal]\n{title}\nunknown = 1")).as_bytes(),
    );
    let spaces = with(
        "[proposal]",
        &format!("[proposal]{}", " ".repeat(1_000_000)),
    );
    scratch.write("trailing-spaces.toml", spaces.as_bytes());
    for file in ["deep.toml", "long-title.toml", "trailing-spaces.toml"] {
        let (_, _, human) = json_and_human(scratch.path(), &[file], None);
        let out = human.stdout();
        assert!(
            out.len() < MAX_HUMAN_REPORT,
            "{file}: a report of {} bytes:\n{}",
            out.len(),
            shorten(&out, 1500)
        );
    }
}
