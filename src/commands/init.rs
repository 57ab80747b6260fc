//! `escp init [PATH] --call ID [--strand S] [--force]`: writes a starter
//! consortium file for a call, with a comment on every key saying what it
//! means and what the call requires. Every text the team must supply is left
//! as `""`, so `escp check` on the new file reports exactly those; numbers
//! and true/false values are examples in comments (`# duration_months =
//! 36`), of the right type, since a `""` there invited `"36"` and `"true"`.
//!
//! The file is written atomically (a temporary file in the same folder, then
//! renamed), and an existing file is never replaced without `--force`.

use crate::ruleset::Catalog;
pub use crate::template::starter::text as template;
pub use crate::template::Requirements;
use clap::ValueEnum;
use std::io::Write as _;
use std::path::{Path, PathBuf};

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

/// Why `init` wrote nothing (exit code 2).
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum InitError {
    #[error("{} already exists", path.display())]
    #[diagnostic(
        code(init),
        help("escp never overwrites a file unless asked: add --force to replace it")
    )]
    Exists { path: PathBuf },

    #[error("cannot write {}: {source}", path.display())]
    #[diagnostic(code(init))]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },

    #[error("{call} has strands; choose one with --strand")]
    #[diagnostic(code(init), help("the strands are: {strands}"))]
    NeedsStrand { call: String, strands: String },

    #[error("\"{strand}\" is not a strand of {call}")]
    #[diagnostic(code(init), help("{near}the strands are: {strands}"))]
    UnknownStrand {
        call: String,
        strand: String,
        /// "did you mean ...? " where the text is near one strand.
        near: String,
        strands: String,
    },
}

/// Writes the starter file: never over an existing file without `force`.
pub fn write_file(path: &Path, text: &str, force: bool) -> Result<(), InitError> {
    write_bytes(path, text.as_bytes(), force)
}

/// Writes a new file (a starter file, a workbook template, an imported
/// consortium file): never over an existing file without `force`.
pub fn write_bytes(path: &Path, bytes: &[u8], force: bool) -> Result<(), InitError> {
    crate::output::write_atomically(path, bytes, force).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => InitError::Exists {
            path: path.to_path_buf(),
        },
        _ => InitError::Write {
            path: path.to_path_buf(),
            source: e,
        },
    })
}

/// `escp init` from its arguments: the format follows `--format`, else
/// the path's extension (`.xlsx` writes the workbook template); the path
/// defaults to consortium.toml or consortium.xlsx.
/// `escp init` as the command line gives it.
pub fn run_args(args: InitArgs) -> u8 {
    match super::catalog(&args.calls) {
        Ok(catalog) => init_with(&args, &catalog, super::clock(None)),
        Err(e) => super::fatal(e),
    }
}

/// `escp init` with the catalog and the moment of the run.
pub fn init_with(args: &InitArgs, catalog: &Catalog, today: crate::clock::Clock) -> u8 {
    let format = args.format.unwrap_or_else(|| {
        let xlsx = args
            .path
            .as_ref()
            .and_then(|p| p.extension())
            .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
        if xlsx {
            InitFormat::Xlsx
        } else {
            InitFormat::Toml
        }
    });
    let xlsx = format == InitFormat::Xlsx;
    let default = if xlsx {
        "consortium.xlsx"
    } else {
        "consortium.toml"
    };
    let path = args.path.clone().unwrap_or_else(|| PathBuf::from(default));
    run(
        &path,
        args.call.as_deref(),
        args.strand.as_deref(),
        args.force,
        xlsx,
        catalog,
        today,
    )
}

pub fn run(
    path: &Path,
    call: Option<&str>,
    strand: Option<&str>,
    force: bool,
    xlsx: bool,
    catalog: &Catalog,
    today: crate::clock::Clock,
) -> u8 {
    let Some(id) = call else {
        let calls = match catalog.all() {
            Ok(c) => c,
            Err(e) => return super::fatal(e),
        };
        let _ = writeln!(
            std::io::stderr(),
            "escp init: choose the call with --call ID (and --strand S for calls with strands):\n"
        );
        return super::print(&crate::describe::calls::list_text(&calls, today), 2);
    };
    let ruleset = match catalog.find(id) {
        Ok(Some(r)) => r,
        Ok(None) => {
            return super::error(&format!(
                "unknown call `{}`; {}",
                crate::text::clean(id),
                catalog.unknown_hint(id)
            ))
        }
        Err(e) => return super::fatal(e),
    };
    let strands = || {
        ruleset
            .strands
            .iter()
            .map(|s| format!("{} ({})", s.id, s.title))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let index = match (ruleset.strands.is_empty(), strand) {
        (true, _) => None,
        (false, None) => {
            return super::fatal(InitError::NeedsStrand {
                call: ruleset.id.clone(),
                strands: strands(),
            })
        }
        (false, Some(s)) => match ruleset.strand_index(s) {
            Some(i) => Some(i),
            None => {
                return super::fatal(InitError::UnknownStrand {
                    call: ruleset.id.clone(),
                    strand: crate::text::clean(s),
                    near: ruleset
                        .strand_near(s)
                        .map(|i| &ruleset.strands[i])
                        .map(|n| format!("did you mean --strand {} ({})? ", n.id, n.title))
                        .unwrap_or_default(),
                    strands: strands(),
                })
            }
        },
    };
    let bytes = if xlsx {
        match crate::template::workbook::workbook(&ruleset, index) {
            Ok(bytes) => bytes,
            Err(e) => return super::error(&format!("cannot build the workbook template: {e}")),
        }
    } else {
        template(&ruleset, index).into_bytes()
    };
    let shown = crate::text::escape(&path.display().to_string());
    let next = if xlsx {
        format!(
            "wrote {shown}: fill it in with a spreadsheet program, then run `escp import {shown} -o consortium.toml`\n"
        )
    } else {
        format!(
            "wrote {shown}: fill in every \"\", write the numbers (the `# key = ...` examples), then run `escp check {shown}`\n"
        )
    };
    match write_bytes(path, &bytes, force) {
        Ok(()) => super::print(&next, 0),
        Err(e) => super::fatal(e),
    }
}
