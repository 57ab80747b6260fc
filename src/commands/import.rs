//! `escp import FILE [--sheet NAME] [--call ID] [--strand S] [-o OUT]
//! [--force] [--format human|json]`: a thin front end over
//! [`crate::import::import`]. It reads the file, writes the consortium file
//! (to standard output, or atomically to OUT, never over a file without
//! `--force`), checks the written text and prints the import's messages
//! and the check's report. The exit code is the check's (at least 1 when
//! the import left a value out); 2 when nothing could be imported.

use super::ColorWhen;
use crate::import::{self, json, Import};
use crate::pipeline::{self, Options};
use crate::report::{human, RunInfo};
use crate::source::SourceFile;
use clap::ValueEnum;
use jiff::civil::Date;
use std::io::{self, IsTerminal, Read, Write};
use std::path::Path;
use std::path::PathBuf;

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
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = crate::commands::parse_date)]
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

pub fn run(args: ImportArgs) -> u8 {
    let catalog = match super::catalog(&args.calls) {
        Ok(c) => c,
        Err(e) => return super::fatal(e),
    };
    let output = args.output.as_ref().filter(|p| p.as_os_str() != "-");
    let is_stdin = args.file.as_os_str() == "-";
    let name = if is_stdin {
        crate::input::STDIN_NAME.to_string()
    } else {
        args.file.display().to_string()
    };
    let fail = |error: &import::Diagnostic| -> u8 {
        if args.format == ImportFormat::Json {
            let text = format!("{:#}\n", json::failure(error));
            return super::print(&text, 2);
        }
        let _ = writeln!(
            io::stderr(),
            "escp import: {}: {error}",
            crate::text::escape(&name)
        );
        2
    };
    if let Some(out) = output {
        if !is_stdin && super::check::same_file(&args.file, out) {
            return super::error(
                "-o names the spreadsheet itself; escp never writes over the file it reads",
            );
        }
        // A device or a folder is never replaced, even with --force.
        if std::fs::metadata(out).is_ok_and(|m| !m.is_file()) {
            return super::error(&format!(
                "-o {} is not a regular file; leave -o out to write to standard output",
                crate::text::escape(&out.display().to_string())
            ));
        }
    }
    let bytes = match read(&args.file) {
        Ok(b) => b,
        Err(why) => {
            return fail(&import::Diagnostic::error("unreadable", format!("cannot read it: {why}")).help(
                "check the path; escp import reads .csv, .xlsx, .xls and .ods files (or `-` for standard input)",
            ))
        }
    };
    let options = import::Options {
        sheet: args.sheet.as_deref(),
        call: args.call.as_deref(),
        strand: args.strand.as_deref(),
    };
    let imported = match import::import(&bytes, &name, None, &options, &catalog) {
        Ok(i) => i,
        Err(e) => return fail(&e),
    };

    // The consortium file: to OUT, or to standard output.
    if let Some(out) = output {
        if let Err(e) = super::init::write_bytes(out, imported.toml.as_bytes(), args.force) {
            return super::fatal(e);
        }
    }
    let checked_name = match output {
        Some(out) => out.display().to_string(),
        None => "<stdout>".to_string(),
    };
    let options = Options {
        clock: crate::clock::Clock::from_args(None, args.today),
    };
    let mut report = pipeline::check(
        SourceFile::new(checked_name, &imported.toml),
        &catalog,
        options,
    );
    pipeline::across_files(std::slice::from_mut(&mut report));
    let run = RunInfo {
        deny_warnings: false,
    };
    let mut code = crate::report::exit_code(std::slice::from_ref(&report), run);
    if imported.has_errors() {
        code = code.max(1);
    }

    if args.format == ImportFormat::Json {
        let text = format!("{:#}\n", json::result(&imported, &report, run));
        return super::print(&text, code);
    }
    // Human: the file on standard output (and the messages on standard
    // error), or the messages on standard output when the file went to OUT.
    let mut messages = |out: &mut dyn Write, to_terminal: bool| -> io::Result<()> {
        write_messages(out, &imported, output.map(|p| p.as_path()))?;
        json::name_cells(&imported, &mut report);
        let look = human::Look {
            color: super::check::use_color(args.color, to_terminal),
            width: std::env::var("COLUMNS")
                .ok()
                .and_then(|c| c.parse().ok())
                .filter(|w: &usize| *w >= 40)
                .unwrap_or(100),
        };
        writeln!(out)?;
        human::write_file(out, &report, run, look)
    };
    let written = match output {
        Some(_) => {
            let mut out = io::BufWriter::new(io::stdout().lock());
            let to_terminal = io::stdout().is_terminal();
            messages(&mut out, to_terminal).and_then(|_| out.flush())
        }
        None => {
            let mut stdout = io::stdout().lock();
            stdout
                .write_all(imported.toml.as_bytes())
                .and_then(|_| stdout.flush())
                .and_then(|_| {
                    let mut err = io::stderr().lock();
                    let to_terminal = io::stderr().is_terminal();
                    messages(&mut err, to_terminal)
                })
        }
    };
    match written {
        Ok(()) => code,
        Err(e) => super::write_failed(e, code),
    }
}

/// The import's own messages: what was read, each problem at its cell,
/// where the file went.
fn write_messages(out: &mut dyn Write, imported: &Import, output: Option<&Path>) -> io::Result<()> {
    for d in &imported.diagnostics {
        writeln!(out, "{d}")?;
    }
    if let Some(path) = output {
        writeln!(
            out,
            "wrote {}: run `escp check {}` after each change",
            crate::text::escape(&path.display().to_string()),
            crate::text::escape(&path.display().to_string())
        )?;
    }
    Ok(())
}

/// The spreadsheet's bytes, at most one byte more than the import reads
/// (so that a larger file is known to be too large).
fn read(path: &Path) -> Result<Vec<u8>, String> {
    let limit = import::guard::MAX_FILE as u64 + 1;
    let mut bytes = Vec::new();
    let result = if path.as_os_str() == "-" {
        io::stdin().lock().take(limit).read_to_end(&mut bytes)
    } else {
        std::fs::File::open(path).and_then(|f| f.take(limit).read_to_end(&mut bytes))
    };
    match result {
        Ok(_) => Ok(bytes),
        Err(e) => Err(match e.kind() {
            io::ErrorKind::NotFound => "no such file".into(),
            io::ErrorKind::PermissionDenied => "permission denied".into(),
            io::ErrorKind::IsADirectory => "it is a directory, not a file".into(),
            _ => e.to_string(),
        }),
    }
}
