//! The command line: every flag is defined once here; `--help`, the man page
//! (`escp man`) and shell completions (`escp completions`) derive from it.

use crate::commands;
use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use jiff::civil::Date;
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
    Check(CheckArgs),
    /// List the known calls, or show one call's strands and rules.
    Calls(CallsArgs),
    /// Explain a rule: what it checks, why, and its parameters in each call.
    Explain(ExplainArgs),
    /// Write a commented starter consortium file for a call (or, with
    /// --format xlsx, a workbook template to fill in).
    Init(InitArgs),
    /// Read a partner list or a workbook (CSV, XLSX, XLS, ODS) into a
    /// consortium file, then check it.
    #[command(
        long_about = "Reads a partner list (CSV, XLSX, XLS or ODS) or a whole workbook (sheets Proposal, Partners and Targets, as `escp init --format xlsx` writes it), writes a consortium file, then checks it.\n\n\
Columns are found by their header, in English and the languages of the calls' countries. Every problem names its cell (Partners!C4); each [[partner]] written says the row it came from.\n\n\
The consortium file goes to standard output (the messages then go to standard error), or to OUT with -o. Exit codes: those of `escp check` on the written file; 2 when the spreadsheet cannot be read."
    )]
    Import(ImportArgs),
    /// Run the language server for editors (LSP on standard input and output).
    Lsp(LspArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), e.g. `escp man > escp.1`.
    Man,
}

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
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
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

#[derive(Debug, clap::Args)]
pub struct CallsArgs {
    /// A call id or alias: show its strands and every rule.
    pub id: Option<String>,

    /// A folder of extra ruleset files (repeatable; default: $ESCP_CALLS).
    #[arg(long = "calls", value_name = "DIR")]
    pub calls: Vec<PathBuf>,

    /// The output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Human)]
    pub format: ListFormat,

    /// The date deadlines are compared with (YYYY-MM-DD); default: today.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub today: Option<Date>,

    /// Print every call's sources, and what escp takes from each, as
    /// Markdown (the text of docs/sources.md).
    #[arg(long, conflicts_with_all = ["id", "format"])]
    pub sources: bool,
}

#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// The rule id, e.g. `eligible-country`; without it, the list of rules.
    pub rule: Option<String>,

    /// Explain every rule.
    #[arg(long, conflicts_with = "rule")]
    pub all: bool,

    /// Print every rule as Markdown (the text of docs/rules.md).
    #[arg(long, conflicts_with = "rule")]
    pub markdown: bool,

    /// A folder of extra ruleset files (repeatable; default: $ESCP_CALLS).
    #[arg(long = "calls", value_name = "DIR")]
    pub calls: Vec<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// Where to write the file. Default: consortium.toml, or
    /// consortium.xlsx with --format xlsx.
    #[arg(value_name = "PATH")]
    pub path: Option<PathBuf>,

    /// The call to prepare for; without it, the known calls are listed.
    #[arg(long, value_name = "ID")]
    pub call: Option<String>,

    /// The strand, for calls with strands: its id or its title, as the call
    /// writes it ("A", "Creative & Cultural Industries").
    #[arg(long, value_name = "S")]
    pub strand: Option<String>,

    /// Replace the file if it exists.
    #[arg(long)]
    pub force: bool,

    /// What to write: a commented TOML file, or a workbook template (XLSX)
    /// for a spreadsheet program, to read back with `escp import`.
    /// Default: xlsx when PATH ends in .xlsx, else toml.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<InitFormat>,

    /// A folder of extra ruleset files (repeatable; default: $ESCP_CALLS).
    #[arg(long = "calls", value_name = "DIR")]
    pub calls: Vec<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InitFormat {
    /// A commented consortium.toml.
    Toml,
    /// A workbook template (sheets Proposal, Partners, Targets) with the
    /// call's requirements and drop-down lists.
    Xlsx,
}

/// `escp import`: everything it takes, in one place.
#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// The spreadsheet: .csv, .xlsx, .xls or .ods (the content decides);
    /// `-` reads standard input.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// The sheet with the partner list (default: a sheet named Partners,
    /// else the first sheet with a partner list's headers).
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,

    /// The call (replaces the one a Proposal sheet gives).
    #[arg(long, value_name = "ID")]
    pub call: Option<String>,

    /// The strand (replaces the one a Proposal sheet gives).
    #[arg(long, value_name = "S")]
    pub strand: Option<String>,

    /// Write the consortium file to OUT (atomically) instead of standard
    /// output; `-` is standard output.
    #[arg(long, short, value_name = "OUT")]
    pub output: Option<PathBuf>,

    /// Replace OUT if it exists.
    #[arg(long)]
    pub force: bool,

    /// The format of the messages and the check's report: human, or json
    /// (the import's diagnostics with their cells, the written text and the
    /// check's JSON report, in one document on standard output).
    #[arg(long, value_enum, default_value_t = ImportFormat::Human, value_name = "FORMAT")]
    pub format: ImportFormat,

    /// The date of the check (YYYY-MM-DD), for the deadline. Default: today.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub today: Option<Date>,

    /// When to use colours in the check's report (NO_COLOR is honoured).
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto, value_name = "WHEN")]
    pub color: ColorWhen,

    /// A folder of extra ruleset files (repeatable; default: $ESCP_CALLS).
    #[arg(long = "calls", value_name = "DIR")]
    pub calls: Vec<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImportFormat {
    /// Messages and the check's report for people.
    Human,
    /// One JSON document (version 1).
    Json,
}

#[derive(Debug, clap::Args)]
pub struct LspArgs {
    /// A folder of extra ruleset files (repeatable), used when the editor
    /// names none in its settings; default: $ESCP_CALLS.
    #[arg(long = "calls", value_name = "DIR")]
    pub calls: Vec<PathBuf>,

    /// Accepted for editors that pass it (LSP over standard input and
    /// output is the only transport).
    #[arg(long, hide = true)]
    pub stdio: bool,
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    /// A table for people.
    Human,
    /// JSON (version 1).
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
    ExitCode::from(run(cli.command))
}

fn run(command: Command) -> u8 {
    match command {
        Command::Check(args) => commands::check::run(args),
        Command::Calls(args) if args.sources => match commands::catalog(&args.calls) {
            Ok(c) => match c.all() {
                Ok(calls) => commands::print(&commands::calls::sources_markdown(&calls), 0),
                Err(e) => commands::fatal(e),
            },
            Err(e) => commands::fatal(e),
        },
        Command::Calls(args) => match commands::catalog(&args.calls) {
            Ok(c) => commands::calls::run(
                args.id.as_deref(),
                args.format == ListFormat::Json,
                &c,
                commands::clock(args.today),
            ),
            Err(e) => commands::fatal(e),
        },
        Command::Explain(args) => match commands::catalog(&args.calls) {
            Ok(c) => commands::explain::run(args.rule.as_deref(), args.all, args.markdown, &c),
            Err(e) => commands::fatal(e),
        },
        Command::Init(args) => match commands::catalog(&args.calls) {
            Ok(c) => commands::init::run_args(&args, &c, commands::clock(None)),
            Err(e) => commands::fatal(e),
        },
        Command::Import(args) => commands::import::run(args),
        Command::Lsp(args) => commands::lsp::run(args),
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
