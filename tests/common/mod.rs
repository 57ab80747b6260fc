//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the `escp` binary with `args` from the repository root, with a
/// fixed terminal width and no colour.
pub fn escp(args: &[&str]) -> Output {
    escp_in(&root(), args)
}

pub fn escp_in(dir: &Path, args: &[&str]) -> Output {
    command_in(dir).args(args).output().expect("escp runs")
}

/// The `escp` binary to run in `dir`, without the parts of the machine's
/// environment that could change its output (terminal width, NO_COLOR,
/// ESCP_CALLS).
pub fn command_in(dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_escp"));
    command
        .current_dir(dir)
        .env("COLUMNS", "100")
        .env("NO_COLOR", "1")
        .env_remove("ESCP_CALLS");
    command
}

/// Runs `escp` in `dir` with `input` on its standard input.
pub fn escp_with_input(dir: &Path, args: &[&str], input: &[u8]) -> Output {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = command_in(dir)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("escp runs");
    let mut stdin = child.stdin.take().expect("a pipe");
    let input = input.to_vec();
    // Written from a thread, so that a large input cannot block on a pipe
    // that escp is not reading while it writes its report.
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let output = child.wait_with_output().expect("escp runs");
    writer.join().expect("the writer thread");
    output
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8")
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("stderr is UTF-8")
}

pub fn code(output: &Output) -> i32 {
    output
        .status
        .code()
        .expect("escp exits with a code, not a signal")
}

/// `escp check --format json` on one file, parsed.
pub fn check_json(path: &str, today: &str) -> (i32, serde_json::Value) {
    let out = escp(&["check", "--format", "json", "--today", today, path]);
    let json = serde_json::from_str(&stdout(&out)).unwrap_or_else(|e| {
        panic!(
            "escp printed invalid JSON for {path}: {e}\n{}",
            stdout(&out)
        )
    });
    (code(&out), json)
}

/// A diagnostic's rule and position: (rule, line, column, end line, end column).
pub type Position = (String, u64, u64, u64, u64);

/// The positions of every diagnostic of a JSON report, file after file.
pub fn positions(json: &serde_json::Value) -> Vec<Position> {
    json["files"]
        .as_array()
        .expect("a JSON report has files")
        .iter()
        .flat_map(|f| {
            f["diagnostics"]
                .as_array()
                .expect("each file has diagnostics")
                .clone()
        })
        .map(|d| {
            let n = |key: &str| d[key].as_u64().expect("positions are numbers");
            (
                d["rule"].as_str().expect("a rule id").to_string(),
                n("line"),
                n("column"),
                n("end_line"),
                n("end_column"),
            )
        })
        .collect()
}

/// The official SARIF 2.1.0 schema, compiled with formats validated (an
/// artifact location must be a URI reference).
pub fn sarif_validator() -> jsonschema::Validator {
    // The official schema, as serde-sarif ships it. Its `run.language`
    // pattern has a stray `]` that ECMAScript reads as a literal but the Rust
    // regex engine rejects; it is escaped here, with the same meaning.
    let schema_text =
        std::fs::read_to_string(root().join("tests/fixtures/sarif-2.1.0-schema.json"))
            .expect("the SARIF schema is in the repository")
            .replace("[a-zA-Z]{2}]?$", "[a-zA-Z]{2}\\\\]?$");
    let schema: serde_json::Value = serde_json::from_str(&schema_text).unwrap();
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles")
}

/// Fails with every schema error of `sarif`, naming `case`.
pub fn assert_valid_sarif(
    validator: &jsonschema::Validator,
    sarif: &serde_json::Value,
    case: &str,
) {
    let errors: Vec<String> = validator
        .iter_errors(sarif)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{case}: SARIF output violates the schema:\n{}",
        errors.join("\n")
    );
}
