//! `escp check`: check consortium files and report.

use crate::cli::{CheckArgs, ColorWhen, Format};
use crate::clock::Clock;
use crate::input::{self, Unreadable};
use crate::pipeline::{self, FileReport, Options};
use crate::report::{self, human, RunInfo};
use crate::source::SourceFile;
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
    // Files escp was asked to fix and could not: the run fails (exit 2),
    // once every file is checked and reported.
    let unfixed = if args.fix {
        let found: Vec<PathBuf> = paths
            .iter()
            .filter(|p| !none_found.iter().any(|(n, _)| n == *p))
            .cloned()
            .collect();
        fix_files(&found, &catalog, options)
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
    let inputs = distinct(&paths);
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
    match output {
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
    }
}

/// The files to check, from the paths given.
struct Inputs {
    /// Each path given, a folder replaced by the consortium files below it
    /// (sorted); with no path, `consortium.toml` if there is one, else the
    /// consortium files below the current folder.
    paths: Vec<PathBuf>,
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
        none_found: Vec::new(),
        failed: false,
    };
    if given.is_empty() && std::fs::symlink_metadata(&default).is_ok() {
        inputs.paths.push(default);
        return inputs;
    }
    let here = [PathBuf::from(".")];
    let no_path = given.is_empty();
    for path in if no_path { &here[..] } else { given } {
        let is_dir = path.as_os_str() != "-" && std::fs::metadata(path).is_ok_and(|m| m.is_dir());
        if !is_dir {
            inputs.paths.push(path.clone());
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
            inputs.paths.push(name.clone());
            inputs.none_found.push((name, unreadable));
        }
        inputs.paths.extend(found.files);
    }
    inputs
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
fn distinct(paths: &[PathBuf]) -> Vec<PathBuf> {
    // Each file's identity, with the first path it was given as: a hash
    // lookup per path, so a batch of thousands of files stays linear.
    let mut first_as: std::collections::HashMap<PathBuf, usize> = Default::default();
    let mut kept: Vec<PathBuf> = Vec::new();
    for path in paths {
        let identity = if path.as_os_str() == "-" {
            PathBuf::from("-")
        } else {
            std::fs::canonicalize(path).unwrap_or_else(|_| normalise(path))
        };
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
            for report in reports {
                if args.quiet {
                    human::write_verdict(out, report, run, look)?;
                } else {
                    human::write_file(out, report, run, look)?;
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

/// How many times `--fix` checks a file again after fixing it: a fix can
/// reveal a finding that has a fix of its own (a misspelt key, then its
/// value).
const FIX_ROUNDS: usize = 4;

/// `--fix`: applies the findings' safe fixes to each file named (never to
/// standard input), round after round until none applies, writes the file
/// if anything changed, and says on standard error what changed
/// ("x.toml: 2 fixes: write the code "DE" (line 12), ..."). A fix that would
/// make a file that parses into one that does not is never written.
///
/// Only what can be rewritten as it is, is: a regular file (through a
/// symbolic link, the file it names), writable, with no other hard link
/// (the new text replaces the file atomically, and a rename would leave
/// another link with the old text). A pipe, a device or a socket is never
/// read here (the check that follows reads it, once) nor written; it is
/// only checked, like standard input. Any other file that needed fixes and
/// was not fixed is said on standard error, and counted: the run then
/// exits 2, after every other file was fixed and all were checked.
fn fix_files(
    paths: &[std::path::PathBuf],
    catalog: &crate::ruleset::Catalog,
    options: Options,
) -> usize {
    let mut err = io::stderr().lock();
    let mut failed = 0;
    for path in paths {
        if path.as_os_str() == "-" {
            let _ = writeln!(
                err,
                "escp: --fix does not change standard input; it is only checked"
            );
            continue;
        }
        let shown = crate::text::escape(&path.display().to_string());
        match fix_file(path, catalog, options) {
            Fixed::Nothing => {}
            Fixed::Written(changes) => {
                let _ = writeln!(
                    err,
                    "{shown}: {}: {}",
                    crate::text::plural(changes.len(), "fix", "fixes"),
                    changes.join(", ")
                );
            }
            Fixed::OnlyChecked(why) => {
                let _ = writeln!(
                    err,
                    "escp: {shown}: not fixed: {why}; --fix rewrites regular files only, so it is \
                     only checked"
                );
            }
            Fixed::Invalid => {
                let _ = writeln!(
                    err,
                    "escp: {shown}: the fixes would make the file invalid TOML; not applied"
                );
            }
            Fixed::Refused { why, fixes } => {
                failed += 1;
                let _ = writeln!(
                    err,
                    "escp: {shown}: not fixed: {why} ({} not applied)",
                    crate::text::plural(fixes, "fix", "fixes")
                );
            }
        }
    }
    failed
}

/// What `--fix` did with one file.
enum Fixed {
    /// Nothing to fix, or the file cannot be read (the check says why).
    Nothing,
    /// The file was rewritten with these changes.
    Written(Vec<String>),
    /// Not a regular file (a pipe, a device), or no path to one: only
    /// checked, for this reason.
    OnlyChecked(String),
    /// The fixes would break the file; none was written.
    Invalid,
    /// The file needed fixes and could not take them.
    Refused { why: String, fixes: usize },
}

fn fix_file(path: &Path, catalog: &crate::ruleset::Catalog, options: Options) -> Fixed {
    // What the path names, through links, without opening it: opening a
    // pipe would wait for a writer, and reading it would consume the input
    // the check needs.
    let Ok(named) = std::fs::metadata(path) else {
        // The check that follows reports why it cannot be read.
        return Fixed::Nothing;
    };
    if !named.is_file() {
        return Fixed::OnlyChecked(not_regular(&named.file_type()));
    }
    // The file itself, not a link to it, is replaced.
    let Some(target) = real_path(path) else {
        return Fixed::OnlyChecked(
            "it names an open file descriptor (as /dev/stdin does), not a file by its path".into(),
        );
    };
    let Ok(before) = std::fs::symlink_metadata(&target) else {
        return Fixed::Nothing;
    };
    if !before.is_file() {
        return Fixed::OnlyChecked(not_regular(&before.file_type()));
    }
    let Ok(bytes) = read_bounded(&target) else {
        return Fixed::Nothing;
    };
    let bom = bytes.starts_with("\u{feff}".as_bytes());
    let Ok(mut source) = crate::input::decode(path.display().to_string(), bytes) else {
        return Fixed::Nothing;
    };
    let parsed_before = crate::consortium::parse(&source.text).is_ok();
    let mut changes = Vec::new();
    for _ in 0..FIX_ROUNDS {
        let report = pipeline::check(source.clone(), catalog, options);
        let fixed = crate::fix::apply(
            &source.text,
            crate::fix::safe(&report.findings, &report.fixes),
        );
        if fixed.applied.is_empty() || *fixed.text == *source.text {
            break;
        }
        if parsed_before && crate::consortium::parse(&fixed.text).is_err() {
            return Fixed::Invalid;
        }
        changes.extend(fixed.applied.iter().map(|a| {
            format!(
                "{} (line {})",
                crate::text::clean(&a.title),
                source.position(a.at).line
            )
        }));
        source = SourceFile::new(source.name.clone(), &fixed.text);
    }
    if changes.is_empty() {
        return Fixed::Nothing;
    }
    let refused = |why: String| Fixed::Refused {
        why,
        fixes: changes.len(),
    };
    // As in-place formatters do, a read-only file is left alone, whoever
    // runs escp (root may write it regardless of its mode).
    if before.permissions().readonly() {
        return refused(format!(
            "it is read-only{}; make it writable to fix it",
            mode_of(&before)
        ));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if before.nlink() > 1 {
            return refused(format!(
                "it has {} hard links, and --fix writes a new file in its place, which would leave \
                 the other links with the old text; fix a copy, or make the changes the report shows",
                before.nlink()
            ));
        }
    }
    let mut out = Vec::with_capacity(source.text.len() + 3);
    if bom {
        out.extend_from_slice("\u{feff}".as_bytes());
    }
    out.extend_from_slice(source.text.as_bytes());
    match crate::output::replace_file(&target, &out, &before) {
        Ok(()) => Fixed::Written(changes),
        Err(e) if e.kind() == io::ErrorKind::PermissionDenied => refused(format!(
            "cannot write it: permission denied in {}",
            crate::text::escape(
                &target
                    .parent()
                    .unwrap_or(Path::new("."))
                    .display()
                    .to_string()
            )
        )),
        Err(e) => refused(format!("cannot write it: {e}")),
    }
}

/// Reads a file, at most one byte more than a checked input may hold.
fn read_bounded(path: &Path) -> io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(crate::input::MAX_BYTES as u64 + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() > crate::input::MAX_BYTES {
        // The check reports it as too large.
        return Err(io::ErrorKind::InvalidData.into());
    }
    Ok(bytes)
}

/// The real path of the file `path` names, through symbolic links; `None`
/// for a path that names an open file descriptor rather than a file
/// (`/dev/stdin`, `/dev/fd/3`, `/proc/self/fd/0`: links into /proc, which
/// lead to whatever the descriptor is, and must never be replaced).
fn real_path(path: &Path) -> Option<PathBuf> {
    let in_proc = |p: &Path| p.starts_with("/proc");
    let mut at = path.to_path_buf();
    // Each link of the chain, as the system follows them (at most 40).
    for _ in 0..40 {
        let folder = match at.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let folder = std::fs::canonicalize(folder).ok()?;
        if in_proc(&folder) {
            return None;
        }
        let here = folder.join(at.file_name()?);
        match std::fs::read_link(&here) {
            Ok(next) => {
                if in_proc(&next) {
                    return None;
                }
                at = folder.join(next);
            }
            Err(_) => {
                return std::fs::canonicalize(&here).ok().filter(|p| !in_proc(p));
            }
        }
    }
    None
}

/// Why a file that is not a regular file is not fixed, in words.
fn not_regular(kind: &std::fs::FileType) -> String {
    format!("it is {}, not a regular file", kind_of(kind))
}

/// What a file that is not a regular file is, in words.
fn kind_of(kind: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a named pipe";
        }
        if kind.is_char_device() {
            return "a character device";
        }
        if kind.is_block_device() {
            return "a block device";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    if kind.is_dir() {
        "a directory"
    } else {
        "not a file escp can rewrite"
    }
}

/// " (mode 0444)" on Unix.
fn mode_of(meta: &std::fs::Metadata) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        format!(" (mode {:04o})", meta.permissions().mode() & 0o7777)
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        String::new()
    }
}
