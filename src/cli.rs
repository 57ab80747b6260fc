//! The command line, assembled: the subcommands and their order. Each
//! subcommand's flags are defined once, with the command that reads them
//! (`crate::commands::check::CheckArgs`, ...); `--help`, the man page (`escp
//! man`) and shell completions (`escp completions`) derive from them.

use crate::commands::{self, calls, check, explain, import, init, lsp, serve};
use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand};
use std::ffi::OsString;
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
Exit codes: 0 ready, 1 not ready or incomplete (errors, a check that could not run, or warnings with --deny-warnings), 2 could not check.",
    after_help = "Start with: escp init --call COS-CLUSINT-2020-3-01 --strand A, then escp check"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check consortium files against the rules of their call.
    Check(check::CheckArgs),
    /// List the known calls, or show one call's strands and rules.
    Calls(calls::CallsArgs),
    /// Explain a rule: what it checks, why, and its parameters in each call.
    Explain(explain::ExplainArgs),
    /// Write a commented starter consortium file for a call (or, with
    /// --format xlsx, a workbook template to fill in).
    Init(init::InitArgs),
    /// Read a partner list or a workbook (CSV, XLSX, XLS, ODS) into a
    /// consortium file, then check it.
    #[command(
        long_about = "Reads a partner list (CSV, XLSX, XLS or ODS) or a whole workbook (sheets Proposal, Partners and Targets, as `escp init --format xlsx` writes it), writes a consortium file, then checks it.\n\n\
Columns are found by their header, in English and the languages of the calls' countries. Every problem names its cell (Partners!C4); each [[partner]] written says the row it came from.\n\n\
The consortium file goes to standard output (the messages then go to standard error), or to OUT with -o. Exit codes: those of `escp check` on the written file; 2 when the spreadsheet cannot be read."
    )]
    Import(import::ImportArgs),
    /// Run the language server for editors (LSP on standard input and output).
    Lsp(lsp::LspArgs),
    /// Serve the web workbench: a local page to edit and check a
    /// consortium, for people who do not use a terminal.
    Serve(serve::ServeArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), e.g. `escp man > escp.1`.
    Man,
}

/// The entry point of the binary: parses the command line, runs the
/// command, and turns every outcome into an exit code (never a panic).
pub fn main() -> ExitCode {
    if let Some(args) = quick_check(std::env::args_os()) {
        return ExitCode::from(check::run(args));
    }
    let cli = Cli::parse();
    ExitCode::from(run(cli.command))
}

/// `escp check ...`, the common case, read with the flags of `check` alone:
/// building the whole tree of subcommands first was a sixth of the
/// instructions of a typical check. Anything else, and anything those flags
/// do not take as it is (a request for help, a mistake), is read again with
/// the whole tree, so that the words and the exit codes are the same.
fn quick_check(args: impl IntoIterator<Item = OsString>) -> Option<check::CheckArgs> {
    let mut args = args.into_iter().skip(1).peekable();
    if args.peek()? != "check" {
        return None;
    }
    let matches = check::CheckArgs::augment_args(clap::Command::new("check"))
        .try_get_matches_from(args)
        .ok()?;
    check::CheckArgs::from_arg_matches(&matches).ok()
}

fn run(command: Command) -> u8 {
    match command {
        Command::Check(args) => check::run(args),
        Command::Calls(args) => calls::run_args(args),
        Command::Explain(args) => explain::run_args(args),
        Command::Init(args) => init::run_args(args),
        Command::Import(args) => import::run(args),
        Command::Lsp(args) => lsp::run(args),
        Command::Serve(args) => serve::run(args),
        Command::Completions { shell } => {
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "escp", &mut out);
            commands::print(&String::from_utf8_lossy(&out), 0)
        }
        Command::Man => {
            let mut out = Vec::new();
            match clap_mangen::Man::new(Cli::command()).render(&mut out) {
                Ok(()) => commands::print(&String::from_utf8_lossy(&out), 0),
                Err(e) => commands::write_failed(e, 2),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(line: &str) -> Vec<OsString> {
        line.split_whitespace().map(OsString::from).collect()
    }

    /// What the quick reading of `escp check` gives is what the whole
    /// command line gives, and whatever it does not take is left to it.
    #[test]
    fn the_quick_reading_of_check_is_the_whole_reading() {
        for line in [
            "escp check",
            "escp check a.toml",
            "escp check a.toml b.toml --quiet --today 2020-11-01",
            "escp check --format json --deny-warnings -- -x.toml",
            "escp check --now 2020-12-02T16:59:00+01:00 --calls dir --calls other .",
            "escp check --fix --color never --output report.txt a.toml",
            "escp check --format=sarif -",
        ] {
            let quick =
                quick_check(argv(line)).unwrap_or_else(|| panic!("{line}: not read quickly"));
            let Command::Check(whole) = Cli::try_parse_from(argv(line)).unwrap().command else {
                panic!("{line}: not check");
            };
            assert_eq!(format!("{quick:?}"), format!("{whole:?}"), "{line}");
        }
        for line in [
            "escp",
            "escp calls",
            "escp explain check",
            "escp --help",
            "escp check --help",
            "escp check -h",
            "escp check --version",
            "escp check --format yaml a.toml",
            "escp check --today 2020-13-01",
            "escp check --no-such-flag",
            "escp chec a.toml",
        ] {
            assert!(quick_check(argv(line)).is_none(), "{line}");
        }
    }
}
