//! One module per subcommand. Each takes its parsed arguments and returns
//! the process exit code; output goes through the writer it is given.

pub mod calls;
pub mod check;
pub mod explain;
pub mod import;
pub mod init;
pub mod lsp;
pub mod serve;

use crate::ruleset::{Catalog, CatalogError};
use clap::ValueEnum;
use std::io::{self, Write};
use std::path::PathBuf;

/// The catalog of rulesets: embedded, plus `--calls` folders, or the folders
/// of `ESCP_CALLS` (separated like PATH) when no `--calls` is given.
pub fn catalog(folders: &[PathBuf]) -> Result<Catalog, CatalogError> {
    Catalog::with_env(folders)
}

/// The moment of the run: the start of `--today` in each call's zone, or
/// the current instant.
pub fn clock(today: Option<jiff::civil::Date>) -> crate::clock::Clock {
    crate::clock::Clock::from_args(None, today)
}

/// A problem that stops the command (an invalid ruleset, a refused write):
/// printed as a miette diagnostic on standard error; exit code 2.
pub fn fatal(error: impl miette::Diagnostic + Send + Sync + 'static) -> u8 {
    let report = miette::Report::new(error);
    let _ = writeln!(io::stderr(), "{report:?}");
    2
}

/// Like [`fatal`], for an error the caller keeps.
pub fn fatal_ref(error: &dyn miette::Diagnostic) -> u8 {
    let handler =
        miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
            .with_width(100)
            .with_break_words(false);
    let mut text = String::new();
    let _ = handler.render_report(&mut text, error);
    let _ = write!(io::stderr(), "{text}");
    2
}

/// A one-line error on standard error ("escp: ..."); returns exit code 2.
pub fn error(message: &str) -> u8 {
    let _ = writeln!(io::stderr(), "escp: {message}");
    2
}

/// Output could not be written. A closed pipe (`escp ... | head`) ends the
/// run quietly; anything else is exit code 2.
pub fn write_failed(error: io::Error, code: u8) -> u8 {
    if error.kind() == io::ErrorKind::BrokenPipe {
        return code;
    }
    let _ = writeln!(io::stderr(), "escp: cannot write the output: {error}");
    2
}

/// Writes `text` to standard output, handling a closed pipe.
pub fn print(text: &str, code: u8) -> u8 {
    let mut out = io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => code,
        Err(e) => write_failed(e, code),
    }
}

/// `--color`: when to colour the human report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

/// A `--today` value: a date written YYYY-MM-DD.
pub(crate) use crate::clock::parse_date;
