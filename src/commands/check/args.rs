//! The arguments of `escp check`.

use super::ColorWhen;
use clap::ValueEnum;
use jiff::civil::Date;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Consortium files to check; `-` reads standard input; a folder: every
    /// consortium.toml and *.consortium.toml below it (as ripgrep walks
    /// it, .gitignore respected). Default: ./consortium.toml, or, without
    /// one, the current folder.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// A folder of extra ruleset files (repeatable); a ruleset there
    /// overrides an embedded one with the same id. Default: $ESCP_CALLS
    /// (folders separated like PATH).
    #[arg(long = "calls", value_name = "DIR")]
    pub calls: Vec<PathBuf>,

    /// The output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// Warnings count as failures for the exit code.
    #[arg(long)]
    pub deny_warnings: bool,

    /// The date of the check (YYYY-MM-DD), for the deadline: the start of
    /// that day in the call's time zone. Default: the current instant.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = crate::commands::parse_date)]
    pub today: Option<Date>,

    /// The instant of the check (RFC 3339, e.g. 2020-12-02T16:59:00+01:00),
    /// for the deadline; overrides --today.
    #[arg(long, value_name = "INSTANT", value_parser = crate::clock::parse_instant)]
    pub now: Option<jiff::Timestamp>,

    /// When to use colours (NO_COLOR is honoured by `auto`; a report
    /// written with --output is coloured only with `always`).
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto, value_name = "WHEN")]
    pub color: ColorWhen,

    /// Print only the one-line verdict of each file (human format only).
    #[arg(long, short)]
    pub quiet: bool,

    /// Write the report to FILE (atomically) instead of standard output;
    /// `-` is standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Apply the findings' safe fixes (a country name to its code, ...) to
    /// the files named, atomically, say on standard error what changed,
    /// then check the result. Only regular files are rewritten: standard
    /// input, pipes and devices are only checked; a read-only file, or one
    /// with other hard links, is not fixed (and the run exits 2).
    #[arg(long)]
    pub fix: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Diagnostics with source lines, and a readiness summary.
    Human,
    /// The report as JSON (version 1), for scripts and CI.
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// GitHub Actions workflow commands: annotations on the pull request.
    Github,
    /// JUnit XML: a test suite per file, a test case per check.
    Junit,
    /// The readiness summary as Markdown, for a PR comment or step summary.
    Markdown,
}
