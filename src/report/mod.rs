//! Reporters: one per output format, each reading the same [`FileReport`]s.

pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod sarif;

use crate::finding::Severity;
use crate::pipeline::{FileReport, Readiness};

/// What every reporter needs to know about the run besides the files.
#[derive(Debug, Clone, Copy)]
pub struct RunInfo {
    /// Warnings count as failures (`--deny-warnings`).
    pub deny_warnings: bool,
}

/// Whether a file fails the run: errors, or warnings under `--deny-warnings`.
pub fn fails(file: &FileReport, run: RunInfo) -> bool {
    file.readiness != Readiness::Ready || (run.deny_warnings && file.count(Severity::Warning) > 0)
}

/// The exit code of a run (SPEC §2): 2 if a file could not be checked,
/// else 1 if a file has an error (or a warning under `--deny-warnings`),
/// else 0.
pub fn exit_code(files: &[FileReport], run: RunInfo) -> u8 {
    if files.iter().any(|f| f.readiness == Readiness::Unchecked) {
        2
    } else if files.iter().any(|f| fails(f, run)) {
        1
    } else {
        0
    }
}
