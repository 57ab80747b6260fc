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
    Command::new(env!("CARGO_BIN_EXE_escp"))
        .args(args)
        .current_dir(dir)
        .env("COLUMNS", "100")
        .env("NO_COLOR", "1")
        .env_remove("ESCP_CALLS")
        .output()
        .expect("escp runs")
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
