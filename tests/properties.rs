//! Property-based tests of the whole pipeline: whatever escp is given
//! (arbitrary bytes, arbitrary strings, generated consortium files, and
//! mutations of the example files), checking it, the checks across files and
//! every reporter must not panic, and what they report must make sense:
//!
//! - the exit code is 0, 1 or 2;
//! - every finding's span (primary and secondary labels) lies inside the
//!   file's text and on character boundaries;
//! - every line and column of the JSON and SARIF outputs lies inside the
//!   file (a line that exists, a column at most one past its last
//!   character), and each diagnostic ends no earlier than it starts;
//! - the JSON and SARIF outputs parse as JSON, and the other reporters
//!   write UTF-8 without failing.
//!
//! And one more (`human_output_is_terminal_safe`): without colour, the
//! human output contains no terminal escape (ESC) and no bidirectional
//! override, whatever the file contains.
//!
//! Each property runs 256 cases by default; `PROPTEST_CASES=5000 cargo test
//! --release --test properties` runs more. The fuzzer (`fuzz/`, see
//! docs/fuzzing.md) checks the same invariants with coverage guidance.

use escp::pipeline::{self, FileReport, Options, Readiness, Status};
use escp::report::{self, human, RunInfo};
use escp::ruleset::Catalog;
use proptest::prelude::*;
use proptest::sample::select;
use std::fmt;
use std::path::PathBuf;
use std::sync::OnceLock;

/// The embedded rulesets, loaded once for every case.
fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| Catalog::new(&[]).expect("the embedded catalog loads"))
}

fn options() -> Options {
    Options {
        clock: escp::clock::Clock::Today(jiff::civil::date(2020, 11, 1)),
    }
}

/// The `.toml` files of a folder of the repository, sorted.
fn read_folder(dir: &str) -> Vec<Vec<u8>> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut paths: Vec<PathBuf> = std::fs::read_dir(root.join(dir))
        .expect("seed folder")
        .map(|entry| entry.expect("seed entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "toml"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| std::fs::read(p).expect("seed file"))
        .collect()
}

/// The consortia of the cross-file tests: they name the same call and
/// share applicants, for `one-consortium`.
fn consortia() -> &'static [Vec<u8>] {
    static CONSORTIA: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    CONSORTIA.get_or_init(|| read_folder("tests/fixtures/one-consortium"))
}

/// The files the mutations start from: every example, and [`consortia`].
fn seeds() -> &'static [Vec<u8>] {
    static SEEDS: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let mut seeds = read_folder("examples");
        assert!(seeds.len() >= 10, "the examples are there");
        seeds.extend_from_slice(consortia());
        seeds
    })
}

/// One input: a name and its bytes. Shown as text (or escaped bytes when it
/// is not UTF-8), so that a failing case prints the file itself.
#[derive(Clone)]
struct Input {
    name: String,
    bytes: Vec<u8>,
}

impl fmt::Debug for Input {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match std::str::from_utf8(&self.bytes) {
            Ok(text) => write!(f, "Input {{ name: {:?}, text: {text:?} }}", self.name),
            Err(_) => write!(
                f,
                "Input {{ name: {:?}, bytes: b\"{}\" }}",
                self.name,
                self.bytes.escape_ascii()
            ),
        }
    }
}

fn input(name: &str, bytes: Vec<u8>) -> Input {
    Input {
        name: name.to_string(),
        bytes,
    }
}

// ---------------------------------------------------------------------------
// The invariants
// ---------------------------------------------------------------------------

/// Runs the whole pipeline on `inputs` as one run and checks every
/// invariant. `Err` describes the first one broken.
fn check_run(inputs: &[Input], run: RunInfo, width: usize) -> Result<(), TestCaseError> {
    let mut reports = Vec::with_capacity(inputs.len());
    for i in inputs {
        reports.push(pipeline::check_bytes(
            &i.name,
            i.bytes.clone(),
            catalog(),
            options(),
        ));
    }
    pipeline::across_files(&mut reports);

    let code = report::exit_code(&reports, run);
    prop_assert!(code <= 2, "exit code {code}");

    for r in &reports {
        spans_inside(r)?;
        // READY is earned: never said of a file with a check that could
        // not run on valid data.
        if r.checks.iter().any(|c| c.status == Status::Skip) {
            prop_assert_ne!(
                r.readiness,
                Readiness::Ready,
                "a skipped check in a READY file"
            );
        }
        if r.readiness == Readiness::Ready {
            prop_assert!(r
                .findings
                .iter()
                .all(|f| f.severity != escp::finding::Severity::Error));
        }
    }

    let json = render(|out| report::json::write(out, &reports, run), "json")?;
    let json: serde_json::Value = serde_json::from_str(&json)
        .map_err(|e| TestCaseError::fail(format!("JSON output does not parse: {e}\n{json}")))?;
    json_positions_inside(&json, &reports)?;
    // The JSON verdicts are the exit code's.
    let statuses: Vec<&str> = json["files"]
        .as_array()
        .map(|files| files.iter().filter_map(|f| f["status"].as_str()).collect())
        .unwrap_or_default();
    prop_assert_eq!(statuses.len(), reports.len());
    let all_ready = statuses.iter().all(|s| *s == "ready");
    prop_assert_eq!(
        code == 0,
        all_ready,
        "exit code {} but statuses {:?}",
        code,
        statuses
    );
    prop_assert_eq!(
        code == 2,
        statuses.contains(&"unchecked"),
        "exit code {} but statuses {:?}",
        code,
        statuses
    );

    let sarif = render(|out| report::sarif::write(out, &reports, run), "sarif")?;
    let sarif: serde_json::Value = serde_json::from_str(&sarif)
        .map_err(|e| TestCaseError::fail(format!("SARIF output does not parse: {e}\n{sarif}")))?;
    sarif_positions_inside(&sarif, &reports, run)?;
    prop_assert_eq!(
        sarif["runs"][0]["invocations"][0]["exitCode"].as_u64(),
        Some(u64::from(code))
    );

    render(|out| report::github::write(out, &reports, run), "github")?;
    render(|out| report::junit::write(out, &reports, run), "junit")?;
    render(
        |out| report::markdown::write(out, &reports, run),
        "markdown",
    )?;
    for color in [true, false] {
        let look = human::Look { color, width };
        render(|out| write_human(out, &reports, run, look), "human")?;
    }
    Ok(())
}

/// The human report of every file: diagnostics, summary, verdict, totals.
fn write_human(
    out: &mut dyn std::io::Write,
    reports: &[FileReport],
    run: RunInfo,
    look: human::Look,
) -> std::io::Result<()> {
    for r in reports {
        human::write_file(out, r, run, look)?;
        human::write_verdict(out, r, run, look)?;
    }
    human::write_totals(out, reports, run)
}

/// Checks `inputs` and writes the human report without colour: nothing the
/// files contain may reach the terminal as an escape sequence or a
/// bidirectional override (escp shows user text through `text::clean`).
fn check_terminal_safe(inputs: &[Input]) -> Result<(), TestCaseError> {
    let mut reports = Vec::with_capacity(inputs.len());
    for i in inputs {
        reports.push(pipeline::check_bytes(
            &i.name,
            i.bytes.clone(),
            catalog(),
            options(),
        ));
    }
    pipeline::across_files(&mut reports);
    let run = RunInfo {
        deny_warnings: false,
    };
    let look = human::Look {
        color: false,
        width: 80,
    };
    let text = render(|out| write_human(out, &reports, run, look), "human")?;
    for (n, line) in text.lines().enumerate() {
        let bad = line.chars().find(|&c| {
            c == '\x1b' || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        });
        prop_assert!(
            bad.is_none(),
            "line {} of the uncoloured human output contains {:?}: {:?}",
            n + 1,
            bad,
            line
        );
    }
    Ok(())
}

/// The output of one reporter, which must succeed and be UTF-8.
fn render(
    write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
    format: &str,
) -> Result<String, TestCaseError> {
    let mut out = Vec::new();
    write(&mut out).map_err(|e| TestCaseError::fail(format!("{format} reporter failed: {e}")))?;
    String::from_utf8(out)
        .map_err(|e| TestCaseError::fail(format!("{format} output is not UTF-8: {e}")))
}

fn spans_inside(r: &FileReport) -> Result<(), TestCaseError> {
    let text = &*r.source.text;
    for f in &r.findings {
        for label in std::iter::once(&f.primary).chain(&f.secondary) {
            let s = &label.span;
            prop_assert!(
                s.start <= s.end
                    && s.end <= text.len()
                    && text.is_char_boundary(s.start)
                    && text.is_char_boundary(s.end),
                "{} finding {:?} ({:?}) has span {:?} outside the text of {} bytes \
                 or not on character boundaries",
                f.rule.as_str(),
                f.message,
                label.text,
                s,
                text.len()
            );
        }
    }
    Ok(())
}

/// The number of characters of each line (without its `\n`).
fn line_widths(text: &str) -> Vec<usize> {
    text.split('\n').map(|l| l.chars().count()).collect()
}

/// A 1-based position must name a line of the file and a column at most
/// one past that line's last character.
fn position_inside(
    widths: &[usize],
    line: u64,
    column: u64,
    what: &str,
) -> Result<(), TestCaseError> {
    prop_assert!(
        line >= 1 && (line as usize) <= widths.len(),
        "{what}: line {line} of a file of {} lines",
        widths.len()
    );
    let width = widths[line as usize - 1];
    prop_assert!(
        column >= 1 && (column as usize) <= width + 1,
        "{what}: column {column} of line {line}, which has {width} characters"
    );
    Ok(())
}

fn number(v: &serde_json::Value, key: &str) -> Result<u64, TestCaseError> {
    v[key]
        .as_u64()
        .ok_or_else(|| TestCaseError::fail(format!("`{key}` is not a number in {v}")))
}

fn json_positions_inside(
    json: &serde_json::Value,
    reports: &[FileReport],
) -> Result<(), TestCaseError> {
    let files = json["files"]
        .as_array()
        .ok_or_else(|| TestCaseError::fail("JSON has no `files` array"))?;
    prop_assert_eq!(files.len(), reports.len());
    for (file, r) in files.iter().zip(reports) {
        let widths = line_widths(&r.source.text);
        let diagnostics = file["diagnostics"]
            .as_array()
            .ok_or_else(|| TestCaseError::fail("JSON file has no `diagnostics` array"))?;
        prop_assert_eq!(diagnostics.len(), r.findings.len());
        for d in diagnostics {
            let start = (number(d, "line")?, number(d, "column")?);
            let end = (number(d, "end_line")?, number(d, "end_column")?);
            position_inside(&widths, start.0, start.1, &format!("JSON start of {d}"))?;
            position_inside(&widths, end.0, end.1, &format!("JSON end of {d}"))?;
            prop_assert!(start <= end, "JSON diagnostic ends before it starts: {}", d);
        }
    }
    Ok(())
}

fn sarif_positions_inside(
    sarif: &serde_json::Value,
    reports: &[FileReport],
    run: RunInfo,
) -> Result<(), TestCaseError> {
    let results = sarif["runs"][0]["results"]
        .as_array()
        .ok_or_else(|| TestCaseError::fail("SARIF has no results array"))?;
    // A result per finding, then (for an incomplete file) one per check
    // that could not run.
    let files = reports.iter().flat_map(|r| {
        let open = if report::Verdict::of(r, run) == report::Verdict::Incomplete {
            r.checks.iter().filter(|c| c.status == Status::Skip).count()
        } else {
            0
        };
        std::iter::repeat_n(r, r.findings.len() + open)
    });
    prop_assert_eq!(results.len(), files.clone().count());
    for (result, r) in results.iter().zip(files) {
        let region = &result["locations"][0]["physicalLocation"]["region"];
        if region.is_null() {
            continue;
        }
        let widths = line_widths(&r.source.text);
        let start = (number(region, "startLine")?, number(region, "startColumn")?);
        let end = (number(region, "endLine")?, number(region, "endColumn")?);
        position_inside(
            &widths,
            start.0,
            start.1,
            &format!("SARIF start of {region}"),
        )?;
        position_inside(&widths, end.0, end.1, &format!("SARIF end of {region}"))?;
        prop_assert!(
            start <= end,
            "SARIF region ends before it starts: {}",
            region
        );
    }
    Ok(())
}

fn run_info() -> impl Strategy<Value = RunInfo> {
    any::<bool>().prop_map(|deny_warnings| RunInfo { deny_warnings })
}

// ---------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------

/// Pieces of TOML and of consortium files, and characters that have caused
/// trouble elsewhere (terminal escapes, bidirectional overrides, BOMs).
const TOKENS: &[&str] = &[
    "[",
    "]",
    "[[",
    "]]",
    "\"",
    "'",
    "\"\"\"",
    "'''",
    "=",
    " = ",
    ".",
    ",",
    "{",
    "}",
    "#",
    "\\",
    "\\u",
    "\n",
    "\r\n",
    "\r",
    "\t",
    " ",
    "[[partner]]",
    "[[target]]",
    "[proposal]",
    "[partner]",
    "[target]",
    "\u{202e}",
    "\u{202d}",
    "\u{2066}",
    "\u{200b}",
    "\u{feff}",
    "\x1b",
    "\x1b[2J",
    "\x1b]8;;x\x07",
    "\0",
    "\x7f",
    "\u{85}",
    "\u{2028}",
    "é",
    "ß",
    "Ω",
    "字",
    "🇪🇺",
    "👩‍👩‍👧",
    "e\u{301}",
    "0",
    "-1",
    "1_000",
    "1e400",
    "-0.0",
    "nan",
    "inf",
    "-inf",
    "0x1F",
    "9223372036854775807",
    "18446744073709551616",
    "true",
    "false",
    "1979-05-27",
    "2020-11-01T00:00:00Z",
    "call",
    "strand",
    "proposal",
    "partner",
    "target",
    "acronym",
    "title",
    "duration_months",
    "requested_grant_eur",
    "total_costs_eur",
    "actions",
    "short_name",
    "name",
    "role",
    "country",
    "region",
    "type",
    "eccp",
    "defence_related",
    "legal_entity",
    "sme_members",
    "\"coordinator\"",
    "\"partner\"",
    "\"cluster-organisation\"",
    "\"registered\"",
    "\"none\"",
    "\"preparatory\"",
    "\"implementation\"",
    "\"UK\"",
    "\"GB\"",
    "\"XK\"",
    "\"CH\"",
    "\"EL\"",
    "\"COS-CLUSINT-2020-3-01\"",
    "\"COS-CLUSINT-2016-03-01\"",
    "\"A\"",
    "\"B\"",
    "\"1.a\"",
    "partner = 1",
    "partner = []",
    "partner = [{}]",
    "target = {}",
    "proposal = \"x\"",
    "call = 1",
    "country = [\"IT\"]",
    "role = \"coordinator\"",
];

/// Text made of [`TOKENS`] and arbitrary characters.
fn token_soup() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => select(TOKENS).prop_map(str::to_string),
        1 => any::<char>().prop_map(String::from),
        1 => "[a-zA-Z0-9_ -]{1,8}",
    ];
    prop::collection::vec(piece, 0..64).prop_map(|pieces| pieces.concat())
}

/// A name for the input, as reporters show it: usually a path, sometimes
/// anything (reporters escape names in their own ways).
fn file_name() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => Just("input.toml".to_string()),
        1 => select(TOKENS).prop_map(|t| format!("dir/{t}.toml")),
        1 => any::<String>(),
    ]
}

/// A position in a sequence of any length, chosen as a fraction of it
/// (shrinks towards the start).
#[derive(Debug, Clone, Copy)]
struct Index(u32);

impl Index {
    /// The position in a sequence of `len` (> 0) items.
    fn index(self, len: usize) -> usize {
        assert!(len > 0, "an index into an empty sequence");
        ((len as u64 * u64::from(self.0)) >> 32) as usize
    }
}

fn index() -> impl Strategy<Value = Index> {
    any::<u32>().prop_map(Index)
}

/// One edit of a file.
#[derive(Debug, Clone)]
enum Mutation {
    FlipBit(Index, u8),
    SetByte(Index, u8),
    Delete(Index, usize),
    Insert(Index, &'static str),
    InsertChar(Index, char),
    DuplicateLine(Index),
    RemoveLine(Index),
    SwapLines(Index, Index),
    /// Copies the line to another place.
    CopyLine(Index, Index),
    Truncate(Index),
    /// Makes the file larger than 64 KiB, where escp parses it section by
    /// section: comment lines at a line boundary, after a copy of the
    /// partners and targets if `repeat`.
    Grow {
        repeat: bool,
        at: Index,
    },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        2 => (index(), 0..8u8).prop_map(|(i, b)| Mutation::FlipBit(i, b)),
        1 => (index(), any::<u8>()).prop_map(|(i, b)| Mutation::SetByte(i, b)),
        3 => (index(), 1..24usize).prop_map(|(i, n)| Mutation::Delete(i, n)),
        8 => (index(), select(TOKENS)).prop_map(|(i, t)| Mutation::Insert(i, t)),
        1 => (index(), any::<char>()).prop_map(|(i, c)| Mutation::InsertChar(i, c)),
        2 => index().prop_map(Mutation::DuplicateLine),
        3 => index().prop_map(Mutation::RemoveLine),
        1 => (index(), index()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        1 => (index(), index()).prop_map(|(a, b)| Mutation::CopyLine(a, b)),
        1 => index().prop_map(Mutation::Truncate),
    ]
}

/// A position in `buf` (0..=len), moved back to a character boundary when
/// `buf` is UTF-8 so that text edits keep the file UTF-8.
fn at(buf: &[u8], i: &Index) -> usize {
    let mut pos = i.index(buf.len() + 1);
    if let Ok(text) = std::str::from_utf8(buf) {
        while !text.is_char_boundary(pos) {
            pos -= 1;
        }
    }
    pos
}

/// The lines of `buf`, each with its `\n`.
fn lines(buf: &[u8]) -> Vec<Vec<u8>> {
    buf.split_inclusive(|&b| b == b'\n')
        .map(<[u8]>::to_vec)
        .collect()
}

fn apply(buf: &mut Vec<u8>, m: &Mutation) {
    match m {
        Mutation::FlipBit(i, bit) => {
            if !buf.is_empty() {
                let p = i.index(buf.len());
                buf[p] ^= 1 << bit;
            }
        }
        Mutation::SetByte(i, b) => {
            if !buf.is_empty() {
                let p = i.index(buf.len());
                buf[p] = *b;
            }
        }
        Mutation::Delete(i, n) => {
            let start = at(buf, i);
            let mut end = (start + n).min(buf.len());
            if let Ok(text) = std::str::from_utf8(buf) {
                while !text.is_char_boundary(end) {
                    end += 1;
                }
            }
            buf.drain(start..end);
        }
        Mutation::Insert(i, token) => {
            let p = at(buf, i);
            buf.splice(p..p, token.bytes());
        }
        Mutation::InsertChar(i, c) => {
            let p = at(buf, i);
            let mut tmp = [0; 4];
            buf.splice(p..p, c.encode_utf8(&mut tmp).bytes());
        }
        Mutation::DuplicateLine(i) | Mutation::RemoveLine(i) | Mutation::Truncate(i)
            if buf.is_empty() => {}
        Mutation::DuplicateLine(i) => {
            let mut ls = lines(buf);
            let l = i.index(ls.len());
            ls.insert(l, ls[l].clone());
            *buf = ls.concat();
        }
        Mutation::RemoveLine(i) => {
            let mut ls = lines(buf);
            ls.remove(i.index(ls.len()));
            *buf = ls.concat();
        }
        Mutation::SwapLines(a, b) | Mutation::CopyLine(a, b) if buf.is_empty() => {}
        Mutation::SwapLines(a, b) => {
            let mut ls = lines(buf);
            let (a, b) = (a.index(ls.len()), b.index(ls.len()));
            ls.swap(a, b);
            *buf = ls.concat();
        }
        Mutation::CopyLine(a, b) => {
            let mut ls = lines(buf);
            let line = ls[a.index(ls.len())].clone();
            ls.insert(b.index(ls.len() + 1), line);
            *buf = ls.concat();
        }
        Mutation::Truncate(i) => {
            let p = at(buf, i);
            buf.truncate(p);
        }
        Mutation::Grow { repeat, at } => {
            if *repeat {
                let body = match buf.windows(11).position(|w| w == b"[[partner]]") {
                    Some(p) => buf[p..].to_vec(),
                    None => buf.clone(),
                };
                if !buf.ends_with(b"\n") {
                    buf.push(b'\n');
                }
                buf.extend_from_slice(&body);
            }
            let mut padding = Vec::new();
            let mut n = 0;
            while buf.len() + padding.len() <= 64 * 1024 {
                n += 1;
                padding.extend_from_slice(
                    format!("# padding line {n}: a comment that makes the file large\n").as_bytes(),
                );
                if n % 7 == 0 {
                    padding.push(b'\n');
                }
            }
            let mut ls = lines(buf);
            let l = at.index(ls.len() + 1);
            if l > 0 && !ls[l - 1].ends_with(b"\n") {
                ls[l - 1].push(b'\n');
            }
            ls.insert(l, padding);
            *buf = ls.concat();
        }
    }
}

/// A file of `pool` with a few edits (none, sometimes: the file itself).
fn mutated_file(pool: fn() -> &'static [Vec<u8>]) -> impl Strategy<Value = Input> {
    let seed = index();
    let edits = prop_oneof![
        1 => Just(Vec::new()),
        6 => prop::collection::vec(mutation(), 1..3),
        3 => prop::collection::vec(mutation(), 3..8),
        1 => prop::collection::vec(mutation(), 8..32),
    ];
    // Sometimes made larger than 64 KiB, then edited again.
    let grow = prop::option::weighted(
        0.05,
        (
            any::<bool>(),
            index(),
            prop::collection::vec(mutation(), 0..4),
        ),
    );
    (seed, edits, grow).prop_map(move |(seed, edits, grow)| {
        let pool = pool();
        let mut buf = pool[seed.index(pool.len())].clone();
        for m in &edits {
            apply(&mut buf, m);
        }
        if let Some((repeat, at, after)) = grow {
            apply(&mut buf, &Mutation::Grow { repeat, at });
            for m in &after {
                apply(&mut buf, m);
            }
        }
        input("examples/mutated.toml", buf)
    })
}

// Consortium files generated from their schema, with values that are often
// right and sometimes wrong (wrong types, out of range, unknown codes).

fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn text_value() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => select(&[
            "Cluster Agroalimentare Veneto",
            "Pôle Agri Sud",
            "Clúster Agro Galicia",
            "CLUSTER  agroalimentare veneto",
            "Агро кластер Србије",
            "",
            " ",
            "x",
            "\u{202e}evil",
            "\x1b[31mred",
            "a\nb",
            "🇪🇺 Cluster",
        ][..])
        .prop_map(toml_string),
        2 => any::<String>().prop_map(|s| toml_string(&s)),
        1 => any_value(),
    ]
}

fn word_value(words: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop_oneof![
        6 => select(words).prop_map(toml_string),
        1 => "[a-zA-Z.-]{0,12}".prop_map(|s| toml_string(&s)),
        1 => any_value(),
    ]
}

const CALLS: &[&str] = &[
    "COS-CLUSINT-2020-3-01",
    "COS-CLUSINT-2017-03-6",
    "COS-CLUSTER-2017-3-6",
    "COS-CLUSINT-2016-03-01",
    "COSME-2016-CLUSTER-1A",
    "COS-CLUSTER-2014-3-03",
    "cos-clusint-2020-3-01",
    " COS-CLUSINT-2020-3-01 ",
    "COS-CLUSINT-2020-3-02",
];
const STRANDS: &[&str] = &["A", "B", "a", "1.a", "1.b", "2", "C", ""];
const COUNTRIES: &[&str] = &[
    "IT", "FR", "ES", "DE", "BE", "EE", "EL", "GR", "UK", "GB", "RS", "AL", "XK", "ME", "MK", "CH",
    "NO", "IS", "TR", "UA", "US", "JP", "CA", "BR", "it", "Italy", "ZZ", "",
];
const REGIONS: &[&str] = &["Mercosur", "ASEAN", "Africa", ""];

fn number_value() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => (0..1_000_000u64).prop_map(|n| n.to_string()),
        2 => (0..60u64).prop_map(|n| n.to_string()),
        1 => any::<i64>().prop_map(|n| n.to_string()),
        1 => any::<f64>().prop_map(|n| format!("{n:?}")),
        1 => select(&["nan", "inf", "-inf", "1e400", "-0.0", "0.5", "200_000", "448750.01"][..])
            .prop_map(str::to_string),
        1 => any_value(),
    ]
}

/// Any TOML value, of any type.
fn any_value() -> BoxedStrategy<String> {
    let leaf = prop_oneof![
        any::<String>().prop_map(|s| toml_string(&s)),
        any::<i64>().prop_map(|n| n.to_string()),
        any::<f64>().prop_map(|n| format!("{n:?}")),
        any::<bool>().prop_map(|b| b.to_string()),
        Just("1979-05-27T07:32:00Z".to_string()),
        Just("07:32:00".to_string()),
    ];
    leaf.prop_recursive(2, 8, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(|v| format!("[{}]", v.join(", "))),
            prop::collection::vec(("[a-z_]{1,8}", inner), 0..3).prop_map(|v| {
                let entries: Vec<String> = v.iter().map(|(k, v)| format!("{k} = {v}")).collect();
                format!("{{ {} }}", entries.join(", "))
            }),
        ]
    })
    .boxed()
}

/// `key = value` lines, each key present or not, plus sometimes an unknown key.
fn entries(fields: Vec<(&'static str, BoxedStrategy<String>)>) -> BoxedStrategy<String> {
    let lines: Vec<BoxedStrategy<Option<String>>> = fields
        .into_iter()
        .map(|(key, value)| {
            prop::option::weighted(0.8, value)
                .prop_map(move |v| v.map(|v| format!("{key} = {v}\n")))
                .boxed()
        })
        .collect();
    let unknown = prop::option::weighted(0.1, ("[a-z_]{1,12}", any_value()))
        .prop_map(|kv| kv.map(|(k, v)| format!("{k} = {v}\n")));
    (lines, unknown)
        .prop_map(|(lines, unknown)| lines.into_iter().flatten().chain(unknown).collect())
        .boxed()
}

fn proposal() -> BoxedStrategy<String> {
    let actions = prop_oneof![
        4 => prop::collection::vec(
            word_value(&["preparatory", "implementation", "other"]),
            0..3
        )
        .prop_map(|v| format!("[{}]", v.join(", "))),
        1 => any_value(),
    ];
    entries(vec![
        ("acronym", text_value().boxed()),
        ("title", text_value().boxed()),
        ("duration_months", number_value().boxed()),
        ("requested_grant_eur", number_value().boxed()),
        ("total_costs_eur", number_value().boxed()),
        ("actions", actions.boxed()),
    ])
}

fn partner() -> BoxedStrategy<String> {
    let boolean = prop_oneof![
        4 => any::<bool>().prop_map(|b| b.to_string()),
        1 => any_value()
    ];
    entries(vec![
        ("short_name", text_value().boxed()),
        ("name", text_value().boxed()),
        (
            "role",
            word_value(&["coordinator", "partner", "Coordinator"]).boxed(),
        ),
        ("country", word_value(COUNTRIES).boxed()),
        (
            "type",
            word_value(&[
                "cluster-organisation",
                "business-network-organisation",
                "other",
            ])
            .boxed(),
        ),
        (
            "eccp",
            word_value(&["registered", "requested", "planned", "none"]).boxed(),
        ),
        ("defence_related", boolean.clone().boxed()),
        ("legal_entity", boolean.boxed()),
        ("sme_members", number_value().boxed()),
    ])
}

fn target() -> BoxedStrategy<String> {
    prop_oneof![
        4 => word_value(COUNTRIES).prop_map(|c| format!("country = {c}\n")),
        2 => word_value(REGIONS).prop_map(|r| format!("region = {r}\n")),
        1 => entries(vec![
            ("country", word_value(COUNTRIES).boxed()),
            ("region", word_value(REGIONS).boxed()),
        ]),
    ]
    .boxed()
}

/// A consortium file built from the schema.
fn generated_file() -> impl Strategy<Value = Input> {
    (
        prop::option::weighted(0.95, word_value(CALLS)),
        prop::option::weighted(0.7, word_value(STRANDS)),
        prop::option::weighted(0.9, proposal()),
        prop::collection::vec(partner(), 0..9),
        prop::collection::vec(target(), 0..6),
    )
        .prop_map(|(call, strand, proposal, partners, targets)| {
            let mut text = String::new();
            if let Some(call) = call {
                text.push_str(&format!("call = {call}\n"));
            }
            if let Some(strand) = strand {
                text.push_str(&format!("strand = {strand}\n"));
            }
            if let Some(proposal) = proposal {
                text.push_str(&format!("\n[proposal]\n{proposal}"));
            }
            for p in partners {
                text.push_str(&format!("\n[[partner]]\n{p}"));
            }
            for t in targets {
                text.push_str(&format!("\n[[target]]\n{t}"));
            }
            input("generated.toml", text.into_bytes())
        })
}

// ---------------------------------------------------------------------------
// The properties
// ---------------------------------------------------------------------------

proptest! {
    /// (a) Arbitrary bytes: mostly not UTF-8, so mostly a read error.
    #[test]
    fn arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..2048), run in run_info()) {
        check_run(&[input("bytes.toml", bytes)], run, 80)?;
    }

    /// (a') Arbitrary bytes after a valid start, so that the non-UTF-8 part
    /// is not always at offset 0.
    #[test]
    fn bytes_after_an_example(
        seed in index(),
        cut in index(),
        tail in prop::collection::vec(any::<u8>(), 0..256),
    ) {
        let seeds = seeds();
        let mut bytes = seeds[seed.index(seeds.len())].clone();
        bytes.truncate(cut.index(bytes.len() + 1));
        bytes.extend(tail);
        check_run(&[input("bytes.toml", bytes)], RunInfo { deny_warnings: false }, 80)?;
    }

    /// (b) Arbitrary strings, and strings made of TOML pieces, under
    /// arbitrary names.
    #[test]
    fn arbitrary_strings(
        text in prop_oneof![any::<String>(), token_soup()],
        name in file_name(),
        run in run_info(),
    ) {
        check_run(&[input(&name, text.into_bytes())], run, 80)?;
    }

    /// (b') Consortium files generated from the schema, with right and
    /// wrong values: these reach every rule. Several files in one run, for
    /// the checks across files.
    #[test]
    fn generated_consortium_files(
        files in prop::collection::vec(generated_file(), 1..4),
        run in run_info(),
    ) {
        check_run(&files, run, 80)?;
    }

    /// (c) Mutations of the examples (and of the one-consortium fixtures),
    /// one to three files per run, at the widths the CLI accepts; a quarter
    /// of the runs are mutations of the one-consortium fixtures only, which
    /// the checks across files compare.
    #[test]
    fn mutated_examples(
        files in prop_oneof![
            3 => prop::collection::vec(mutated_file(seeds), 1..4),
            1 => prop::collection::vec(mutated_file(consortia), 2..4),
        ],
        run in run_info(),
        width in prop_oneof![Just(80usize), 40..200usize],
    ) {
        check_run(&files, run, width)?;
    }
}

proptest! {
    /// Without colour, the human output shows what the file contains
    /// escaped: a consortium file cannot clear the screen, recolour the
    /// terminal or reorder the text the user reads. (Names come from the
    /// command line, not the file, and are fixed here.)
    #[test]
    fn human_output_is_terminal_safe(
        files in prop_oneof![
            prop::collection::vec(generated_file(), 1..3),
            prop::collection::vec(mutated_file(seeds), 1..3),
        ],
    ) {
        check_terminal_safe(&files)?;
    }
}

/// The unmutated seeds all pass through the pipeline, as one run.
#[test]
fn seeds_pass_the_invariants() {
    let inputs: Vec<Input> = seeds()
        .iter()
        .map(|b| input("examples/seed.toml", b.clone()))
        .collect();
    check_run(
        &inputs,
        RunInfo {
            deny_warnings: true,
        },
        80,
    )
    .unwrap();
}

/// The mutations do what they say (a test of the test).
#[test]
fn mutations_behave() {
    let mut buf = b"a = 1\nb = 2\n".to_vec();
    apply(&mut buf, &Mutation::RemoveLine(Index(0)));
    assert_eq!(buf, b"b = 2\n");
    apply(&mut buf, &Mutation::DuplicateLine(Index(0)));
    assert_eq!(buf, b"b = 2\nb = 2\n");
    let mut text = "é".as_bytes().to_vec();
    apply(&mut text, &Mutation::Truncate(Index(u32::MAX / 2)));
    assert!(std::str::from_utf8(&text).is_ok());
    let mut big = seeds()[0].clone();
    apply(
        &mut big,
        &Mutation::Grow {
            repeat: true,
            at: Index(u32::MAX / 2),
        },
    );
    assert!(big.len() > 64 * 1024);
    assert!(std::str::from_utf8(&big).is_ok());
}
