//! `escp check`: check consortium files and report.

use crate::cli::{CheckArgs, ColorWhen, Format};
use crate::pipeline::{self, FileReport, Options};
use crate::report::{self, human, RunInfo};
use std::io::{self, IsTerminal, Write};

pub fn run(args: CheckArgs) -> u8 {
    let catalog = match super::catalog(&args.calls) {
        Ok(c) => c,
        Err(e) => return super::fatal(e),
    };
    let options = Options {
        today: super::today(args.today),
    };
    let run = RunInfo {
        deny_warnings: args.deny_warnings,
    };
    let stdout = io::stdout();
    let look = human::Look {
        color: use_color(args.color, stdout.is_terminal()),
        width: terminal_width(),
    };
    let mut out = io::BufWriter::new(stdout.lock());
    let mut reports: Vec<FileReport> = Vec::with_capacity(args.paths.len());
    for path in &args.paths {
        let report = match crate::input::read(path) {
            Ok(source) => match pipeline::check(source, &catalog, options) {
                Ok(r) => r,
                Err(e) => return super::fatal(e),
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
                return super::write_failed(e, 0);
            }
        }
        reports.push(report);
    }
    let code = report::exit_code(&reports, run);
    let written = match args.format {
        Format::Human if reports.len() > 1 => human::write_totals(&mut out, &reports, run),
        Format::Human => Ok(()),
        Format::Json => report::json::write(&mut out, &reports, run),
    };
    match written.and_then(|_| out.flush()) {
        Ok(()) => code,
        Err(e) => super::write_failed(e, code),
    }
}

/// `--color`: `auto` colours a terminal unless NO_COLOR is set (to anything
/// but the empty string) or TERM is `dumb`.
pub fn use_color(when: ColorWhen, is_terminal: bool) -> bool {
    match when {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => {
            is_terminal
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::env::var("TERM").map_or(true, |t| t != "dumb")
        }
    }
}

fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .filter(|w: &usize| *w >= 40)
        .unwrap_or(100)
}
