//! Reporters: one per output format, each reading the same [`FileReport`]s
//! and stating the same [`Verdict`] for each file, the one the exit code
//! counts.

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

/// A file's verdict in a run: its readiness, with `--deny-warnings` applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Verdict {
    /// Every check that applies ran on valid data; no error (and no warning
    /// under `--deny-warnings`).
    Ready,
    /// No error, but a check could not run: keys are missing or invalid.
    Incomplete,
    /// At least one error.
    NotReady,
    /// Ready but for warnings, which `--deny-warnings` makes failures.
    WarningsDenied,
    /// The file could not be checked.
    Unchecked,
}

impl Verdict {
    pub fn of(file: &FileReport, run: RunInfo) -> Verdict {
        match file.readiness {
            Readiness::Unchecked => Verdict::Unchecked,
            Readiness::NotReady => Verdict::NotReady,
            Readiness::Incomplete => Verdict::Incomplete,
            _ if run.deny_warnings && file.count(Severity::Warning) > 0 => Verdict::WarningsDenied,
            _ => Verdict::Ready,
        }
    }

    /// The status of the machine formats: `ready`, `not-ready`
    /// (errors, or warnings under `--deny-warnings`), `incomplete` or
    /// `unchecked`.
    pub fn status(self) -> &'static str {
        match self {
            Verdict::Ready => "ready",
            Verdict::Incomplete => "incomplete",
            Verdict::NotReady | Verdict::WarningsDenied => "not-ready",
            Verdict::Unchecked => "unchecked",
        }
    }

    /// The word people read.
    pub fn word(self) -> &'static str {
        match self {
            Verdict::Ready => "READY",
            Verdict::Incomplete => "INCOMPLETE",
            Verdict::NotReady => "NOT READY",
            Verdict::WarningsDenied => "NOT READY (warnings denied)",
            Verdict::Unchecked => "UNCHECKED",
        }
    }

    /// Whether the file fails the run (exit code 1 or 2).
    pub fn fails(self) -> bool {
        self != Verdict::Ready
    }
}

/// Whether a file fails the run: anything but READY.
pub fn fails(file: &FileReport, run: RunInfo) -> bool {
    Verdict::of(file, run).fails()
}

/// How many files have each status, for the totals of every format.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Totals {
    pub files: usize,
    pub ready: usize,
    pub not_ready: usize,
    pub incomplete: usize,
    pub unchecked: usize,
}

impl Totals {
    pub fn of(files: &[FileReport], run: RunInfo) -> Totals {
        let mut t = Totals {
            files: files.len(),
            ..Totals::default()
        };
        for file in files {
            match Verdict::of(file, run).status() {
                "ready" => t.ready += 1,
                "incomplete" => t.incomplete += 1,
                "unchecked" => t.unchecked += 1,
                _ => t.not_ready += 1,
            }
        }
        t
    }
}

/// The exit code of a run (README, "Verdicts and exit codes"): 2 if a file could not be checked,
/// else 1 if a file is not ready (errors, a check that could not run, or a
/// warning under `--deny-warnings`), else 0.
pub fn exit_code(files: &[FileReport], run: RunInfo) -> u8 {
    let verdicts = files.iter().map(|f| Verdict::of(f, run));
    if files.iter().any(|f| f.readiness == Readiness::Unchecked) {
        2
    } else if verdicts.into_iter().any(Verdict::fails) {
        1
    } else {
        0
    }
}
