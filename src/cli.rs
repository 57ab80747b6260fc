//! The command line: flags defined once here, from which `--help` is derived.

use crate::pipeline::{self, FileReport, Options};
use crate::report::{self, human, RunInfo};
use crate::ruleset::Catalog;
use clap::{Parser, Subcommand, ValueEnum};
use jiff::civil::Date;
use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// escp checks a consortium's eligibility for an EU "Clusters Go
/// International" call before the proposal is submitted.
#[derive(Debug, Parser)]
#[command(
    name = "escp",
    version,
    about = "Eligibility linter for EU \"Clusters Go International\" (ESCP-4i) calls for proposals",
    long_about = "escp reads a consortium file (consortium.toml), loads the rules of the call it names, and \
reports every eligibility problem at the line that causes it, then a readiness summary.\n\n\
Exit codes: 0 ready, 1 not ready (errors, or warnings with --deny-warnings), 2 could not check.",
    after_help = "Start with: escp check consortium.toml"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check consortium files against the rules of their call.
    Check(CheckArgs),
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Consortium files to check; `-` reads standard input.
    #[arg(value_name = "PATH", default_value = "consortium.toml")]
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

    /// The date of the check (YYYY-MM-DD), for the deadline; default: today.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub today: Option<Date>,

    /// When to use colours (NO_COLOR is honoured by `auto`).
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto, value_name = "WHEN")]
    pub color: ColorWhen,

    /// Print only the one-line verdict of each file.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Diagnostics with source lines, and a readiness summary.
    Human,
    /// The report as JSON (version 1), for scripts and CI.
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

fn parse_date(value: &str) -> Result<Date, String> {
    value
        .parse::<Date>()
        .map_err(|_| format!("\"{value}\" is not a date: write YYYY-MM-DD, e.g. 2020-11-01"))
}

/// The entry point of the binary: parses the command line, runs the
/// command, and turns every outcome into an exit code (never a panic).
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check(args) => check(args),
    }
}

fn check(args: CheckArgs) -> ExitCode {
    let folders = if args.calls.is_empty() {
        std::env::var_os("ESCP_CALLS")
            .map(|v| {
                std::env::split_paths(&v)
                    .filter(|p| !p.as_os_str().is_empty())
                    .collect()
            })
            .unwrap_or_default()
    } else {
        args.calls.clone()
    };
    let catalog = match Catalog::new(&folders) {
        Ok(c) => c,
        Err(e) => return fatal(e),
    };
    let options = Options {
        today: args.today.unwrap_or_else(|| jiff::Zoned::now().date()),
    };
    let run = RunInfo {
        deny_warnings: args.deny_warnings,
    };
    let stdout = io::stdout();
    let look = human::Look {
        color: match args.color {
            ColorWhen::Always => true,
            ColorWhen::Never => false,
            ColorWhen::Auto => {
                stdout.is_terminal()
                    && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && std::env::var("TERM").map_or(true, |t| t != "dumb")
            }
        },
        width: terminal_width(),
    };
    let mut out = io::BufWriter::new(stdout.lock());
    let mut reports: Vec<FileReport> = Vec::with_capacity(args.paths.len());
    for path in &args.paths {
        let report = match crate::input::read(path) {
            Ok(source) => match pipeline::check(source, &catalog, options) {
                Ok(r) => r,
                Err(e) => return fatal(e),
            },
            Err((name, why)) => FileReport::unreadable(&name, &why),
        };
        if args.format == Format::Human {
            let written = if args.quiet {
                human::write_verdict(&mut out, &report, run, look)
            } else {
                human::write_file(&mut out, &report, run, look)
            };
            if let Err(e) = written.and_then(|_| out.flush()) {
                return write_failed(e);
            }
        }
        reports.push(report);
    }
    let written = match args.format {
        Format::Human if reports.len() > 1 => human::write_totals(&mut out, &reports, run),
        Format::Human => Ok(()),
        Format::Json => report::json::write(&mut out, &reports, run),
    };
    if let Err(e) = written.and_then(|_| out.flush()) {
        return write_failed(e);
    }
    ExitCode::from(report::exit_code(&reports, run))
}

fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .filter(|w: &usize| *w >= 40)
        .unwrap_or(100)
}

/// A problem that stops the whole run (an invalid ruleset): exit code 2.
fn fatal(error: impl miette::Diagnostic + Send + Sync + 'static) -> ExitCode {
    let report = miette::Report::new(error);
    let _ = writeln!(io::stderr(), "{report:?}");
    ExitCode::from(2)
}

/// Output could not be written. A closed pipe (`escp check | head`) is not
/// an error worth reporting.
fn write_failed(error: io::Error) -> ExitCode {
    if error.kind() == io::ErrorKind::BrokenPipe {
        return ExitCode::SUCCESS;
    }
    let _ = writeln!(io::stderr(), "escp: cannot write the report: {error}");
    ExitCode::from(2)
}
