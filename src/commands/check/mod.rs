//! `escp check`: check consortium files and report.

mod args;
mod fix;

use super::ColorWhen;
use crate::clock::Clock;
use crate::input::{self, Unreadable};
use crate::pipeline::{self, FileReport, Options};
use crate::report::{self, human, RunInfo};
use crate::source::SourceFile;
pub use args::{CheckArgs, Format};
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};

pub fn run(args: CheckArgs) -> u8 {
    if args.quiet && args.format != Format::Human {
        return super::error(
            "--quiet applies to the human format only; the machine formats always carry the whole report",
        );
    }
    let catalog = match super::catalog(&args.calls) {
        Ok(c) => c,
        Err(e) => return super::fatal(e),
    };
    let Inputs {
        paths,
        identities,
        none_found,
        failed: walk_failed,
    } = inputs(&args.paths);
    // `--output -` is standard output.
    let output = args.output.as_ref().filter(|p| p.as_os_str() != "-");
    if let Some(output) = output {
        if let Some(clash) = paths.iter().find(|p| same_file(p, output)) {
            let _ = writeln!(
                io::stderr(),
                "escp: --output {} is one of the files to check; escp never writes over a checked file",
                crate::text::escape(&clash.display().to_string())
            );
            return 2;
        }
    }
    let options = Options {
        clock: Clock::from_args(args.now, args.today),
    };
    if paths.len() > 1 {
        grow_heaps_in_large_steps();
    }
    // Each file once, told apart before any is fixed (a fixed file is a
    // new file, with a new inode).
    let inputs = distinct(&paths, identities);
    // Files escp was asked to fix and could not: the run fails (exit 2),
    // once every file is checked and reported.
    let unfixed = if args.fix {
        let found: Vec<PathBuf> = inputs
            .iter()
            .filter(|p| !none_found.iter().any(|(n, _)| n == *p))
            .cloned()
            .collect();
        fix::fix_files(&found, &catalog, options)
    } else {
        0
    };
    let run = RunInfo {
        deny_warnings: args.deny_warnings,
    };
    let color = match output {
        None => use_color(args.color, io::stdout().is_terminal()),
        // A file is coloured only when asked.
        Some(_) => args.color == ColorWhen::Always,
    };
    let look = human::Look {
        color,
        width: terminal_width(),
    };
    // Standard input is read once, here, before the parallel work: every
    // `-` is the same input.
    let stdin = inputs
        .iter()
        .any(|p| p.as_os_str() == "-")
        .then(|| input::read(Path::new("-")));
    let read = |path: &PathBuf| -> Result<SourceFile, Unreadable> {
        if let Some((_, none)) = none_found.iter().find(|(n, _)| n == path) {
            return Err(none.clone());
        }
        match &stdin {
            Some(text) if path.as_os_str() == "-" => text.clone(),
            _ => input::read(path),
        }
    };
    // Files are checked in parallel (rayon keeps the order of the paths);
    // the rulesets they name are loaded once and shared through the catalog.
    // A single file is checked on this thread: starting a pool would cost
    // more than it saves.
    use rayon::prelude::*;
    let check_one = |path: &PathBuf| pipeline::check_input(read(path), &catalog, options);
    let mut reports: Vec<FileReport> = if inputs.len() > 1 {
        inputs.par_iter().map(check_one).collect()
    } else {
        inputs.iter().map(check_one).collect()
    };
    pipeline::across_files(&mut reports);
    explain_broken_rulesets(&reports, &catalog);
    let failed = unfixed > 0 || walk_failed;
    let code = report::exit_code(&reports, run).max(if failed { 2 } else { 0 });
    let code = match output {
        None => {
            let mut out = io::BufWriter::new(io::stdout().lock());
            match render(&mut out, &args, &reports, run, look).and_then(|_| out.flush()) {
                Ok(()) => code,
                Err(e) => super::write_failed(e, code),
            }
        }
        Some(path) => {
            let mut bytes = Vec::new();
            let written = render(&mut bytes, &args, &reports, run, look)
                .and_then(|_| crate::output::write_atomically(path, &bytes, true));
            match written {
                Ok(()) => code,
                Err(e) => {
                    let _ = writeln!(
                        io::stderr(),
                        "escp: cannot write {}: {e}",
                        crate::text::escape(&path.display().to_string())
                    );
                    2
                }
            }
        }
    };
    // The process ends here: giving every report and ruleset back to the
    // allocator, one block at a time on this one thread after the parallel
    // checks, is work the exit does at once.
    std::mem::forget(reports);
    std::mem::forget(catalog);
    code
}

/// Many files are checked on every core, each thread allocating from a heap
/// of its own, which glibc grows by what each allocation needs: a page at a
/// time, 1,220 `mprotect` calls in a 1,000-file run, each a change to the
/// process's address space, made under its lock. Grown 4 MiB at a time
/// (address space only: a page uses memory once it is written), the same
/// run makes 12, and takes about 5% less time.
fn grow_heaps_in_large_steps() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `mallopt` sets one of glibc's allocator settings; it takes the
    // allocator's lock, and M_TOP_PAD changes only how much the heaps grow
    // by, never memory already given out.
    unsafe {
        libc::mallopt(libc::M_TOP_PAD, 4 << 20);
    }
}

/// The files to check, from the paths given.
struct Inputs {
    /// Each path given, a folder replaced by the consortium files below it
    /// (sorted); with no path, `consortium.toml` if there is one, else the
    /// consortium files below the current folder.
    paths: Vec<PathBuf>,
    /// The identity of each path given as a file, from the stat that told
    /// it from a folder (`None` for the others, found when needed): one
    /// stat per file, where a batch made two, one after the other, before
    /// its checks began.
    identities: Vec<Option<Identity>>,
    /// The paths that stand for a folder with no consortium file (or for
    /// the missing `consortium.toml`), reported as unreadable in their place.
    none_found: Vec<(PathBuf, Unreadable)>,
    /// Part of a folder could not be read (said on standard error): the run
    /// exits 2, after checking the rest.
    failed: bool,
}

fn inputs(given: &[PathBuf]) -> Inputs {
    let mut err = io::stderr().lock();
    let default = PathBuf::from("consortium.toml");
    let mut inputs = Inputs {
        paths: Vec::new(),
        identities: Vec::new(),
        none_found: Vec::new(),
        failed: false,
    };
    if given.is_empty() && std::fs::symlink_metadata(&default).is_ok() {
        inputs.push(default, None);
        return inputs;
    }
    let here = [PathBuf::from(".")];
    let no_path = given.is_empty();
    for path in if no_path { &here[..] } else { given } {
        let metadata = (path.as_os_str() != "-").then(|| std::fs::metadata(path));
        if !matches!(&metadata, Some(Ok(m)) if m.is_dir()) {
            let identity = match metadata {
                Some(m) => identity_of(path, m),
                None => identity(path),
            };
            inputs.push(path.clone(), Some(identity));
            continue;
        }
        let found = crate::walk::consortium_files(path);
        for warning in &found.warnings {
            let _ = writeln!(err, "escp: {}", crate::text::escape(warning));
        }
        for unreadable in &found.unreadable {
            inputs.failed = true;
            let _ = writeln!(
                err,
                "escp: {}; the consortium files there are not checked",
                crate::text::escape(unreadable)
            );
        }
        if found.files.is_empty() {
            let (name, why) = if no_path {
                (
                    default.clone(),
                    format!(
                        "no such file, and no consortium file ({}) in this folder or below it",
                        crate::walk::NAMES
                    ),
                )
            } else {
                (
                    path.clone(),
                    format!(
                        "it is a directory with no consortium file ({}) in it or below it",
                        crate::walk::NAMES
                    ),
                )
            };
            let unreadable = Unreadable {
                name: name.display().to_string(),
                why,
                kind: input::UnreadableKind::NotFound,
            };
            inputs.push(name.clone(), None);
            inputs.none_found.push((name, unreadable));
        }
        for file in found.files {
            inputs.push(file, None);
        }
    }
    inputs
}

impl Inputs {
    fn push(&mut self, path: PathBuf, identity: Option<Identity>) {
        self.paths.push(path);
        self.identities.push(identity);
    }
}

/// A ruleset that a checked file needs but that cannot be loaded: its file
/// gets a one-line `invalid-ruleset` diagnostic; the whole diagnostic, into
/// the ruleset file, goes to standard error, once per ruleset.
fn explain_broken_rulesets(reports: &[FileReport], catalog: &crate::ruleset::Catalog) {
    let mut shown: Vec<String> = Vec::new();
    for report in reports {
        let Some(finding) = report
            .findings
            .iter()
            .find(|f| f.rule == crate::rule_id::RuleId::InvalidRuleset)
        else {
            continue;
        };
        let call = report
            .source
            .text
            .get(finding.primary.span.clone())
            .unwrap_or_default()
            .trim_matches('"')
            .to_string();
        if shown.contains(&call) {
            continue;
        }
        if let Err(error) = catalog.find(&call) {
            super::fatal_ref(&error);
        }
        shown.push(call);
    }
}

/// The paths to check, each file once: the same file given twice (`a.toml`
/// and `./a.toml`, or overlapping globs) is one file, and so is `-` given
/// twice. What was dropped is said on standard error.
fn distinct(paths: &[PathBuf], identities: Vec<Option<Identity>>) -> Vec<PathBuf> {
    // Each file's identity, with the first path it was given as: a hash
    // lookup per path, so a batch of thousands of files stays linear.
    let mut first_as: std::collections::HashMap<Identity, usize> = Default::default();
    let mut kept: Vec<PathBuf> = Vec::new();
    for (path, known) in paths.iter().zip(identities) {
        let identity = known.unwrap_or_else(|| identity(path));
        match first_as.get(&identity) {
            Some(&i) => {
                let first = &kept[i];
                let shown = |p: &Path| {
                    if p.as_os_str() == "-" {
                        "standard input (-)".to_string()
                    } else {
                        crate::text::escape(&p.display().to_string())
                    }
                };
                let _ = writeln!(
                    io::stderr(),
                    "escp: {} is the same file as {}: checked once",
                    shown(path),
                    shown(first)
                );
            }
            None => {
                first_as.insert(identity, kept.len());
                kept.push(path.clone());
            }
        }
    }
    kept
}

/// What makes two paths the same file.
#[derive(PartialEq, Eq, Hash)]
enum Identity {
    /// The device and inode (Unix): one stat per path, where resolving the
    /// path (`canonicalize`) cost a system call per component and one for
    /// the current folder, five per file of a batch. Links to one file,
    /// hard or symbolic, are that file.
    #[cfg(unix)]
    Inode(u64, u64),
    /// The resolved path (other systems), or the path as written, without
    /// `.` components, for a path that does not exist.
    Path(PathBuf),
}

fn identity(path: &Path) -> Identity {
    if path.as_os_str() == "-" {
        return Identity::Path(PathBuf::from("-"));
    }
    identity_of(path, std::fs::metadata(path))
}

/// The identity of `path` (not `-`), from its metadata.
fn identity_of(path: &Path, metadata: io::Result<std::fs::Metadata>) -> Identity {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match metadata {
            Ok(m) => Identity::Inode(m.dev(), m.ino()),
            Err(_) => Identity::Path(normalise(path)),
        }
    }
    #[cfg(not(unix))]
    {
        let _ = metadata;
        Identity::Path(std::fs::canonicalize(path).unwrap_or_else(|_| normalise(path)))
    }
}

/// A path that does not exist, without `.` components and repeated
/// separators, so that `./x.toml` and `x.toml` are one (missing) file.
fn normalise(path: &Path) -> PathBuf {
    path.components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .collect()
}

/// Writes the report of every file in the chosen format.
fn render(
    out: &mut dyn Write,
    args: &CheckArgs,
    reports: &[FileReport],
    run: RunInfo,
    look: human::Look,
) -> io::Result<()> {
    match args.format {
        Format::Human => {
            let one = |out: &mut dyn Write, report: &FileReport| {
                if args.quiet {
                    human::write_verdict(out, report, run, look)
                } else {
                    human::write_file(out, report, run, look)
                }
            };
            if let [report] = reports {
                return one(out, report);
            }
            // Many files: each file's part is written on its own, in
            // parallel, a few dozen files at a time, then all in order (on
            // one thread after the parallel checks, the parts were 3% of the
            // instructions of a batch, and twice that of its time).
            use rayon::prelude::*;
            for chunk in reports.chunks(64) {
                let parts: Vec<io::Result<Vec<u8>>> = chunk
                    .par_iter()
                    .map(|report| {
                        let mut part = Vec::new();
                        one(&mut part, report).map(|()| part)
                    })
                    .collect();
                for part in parts {
                    out.write_all(&part?)?;
                }
            }
            if reports.len() > 1 {
                human::write_totals(out, reports, run)?;
            }
            Ok(())
        }
        Format::Json => report::json::write(out, reports, run),
        Format::Sarif => report::sarif::write(out, reports, run),
        Format::Github => report::github::write(out, reports, run),
        Format::Junit => report::junit::write(out, reports, run),
        Format::Markdown => report::markdown::write(out, reports, run),
    }
}

/// Whether two paths name the same file (the output must never be a checked file).
pub(crate) fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => normalise(a) == normalise(b),
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
