//! `escp check --fix`: the findings' safe fixes written to the files named,
//! with every care an in-place formatter takes (regular files only, never a
//! read-only file or one with other hard links, atomically).

use crate::pipeline::{self, Options};
use crate::source::SourceFile;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

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
pub(super) fn fix_files(
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
