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
