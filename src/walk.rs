//! Finding the consortium files below a folder, for `escp check DIR` (and
//! `escp check` in a folder without `consortium.toml`): every
//! `consortium.toml` and `*.consortium.toml`, walked as ripgrep walks a
//! folder (with its library, `ignore`): files and folders that `.gitignore`
//! (inside a git repository), `.ignore` or `.git/info/exclude` exclude are
//! skipped, and so are hidden ones (`.git/`, `.cache/`, `.x.consortium.toml`);
//! symbolic links are not followed. The files found are sorted, so the report
//! has the same order on every machine and every run.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

/// The names of consortium files, for messages.
pub const NAMES: &str = "consortium.toml or *.consortium.toml";

/// Whether a file name is a consortium file's: `consortium.toml`, or a
/// name ending in `.consortium.toml` (`team-a.consortium.toml`).
pub fn is_consortium_name(name: &OsStr) -> bool {
    let Some(name) = name.to_str() else {
        return false;
    };
    name == "consortium.toml" || name.ends_with(".consortium.toml")
}

/// What a walk found.
#[derive(Debug, Default)]
pub struct Found {
    /// The consortium files, sorted by path.
    pub files: Vec<PathBuf>,
    /// Folders (or files) that could not be read: some consortium file may
    /// be missing from `files`.
    pub unreadable: Vec<String>,
    /// Problems that leave the walk whole (a `.gitignore` line that is not
    /// a valid pattern), said as ripgrep says them.
    pub warnings: Vec<String>,
}

/// The consortium files below `dir`. Their paths start with `dir`, except
/// that for `.` they are relative (`a/consortium.toml`, not
/// `./a/consortium.toml`).
pub fn consortium_files(dir: &Path) -> Found {
    let mut found = Found::default();
    let walk = ignore::WalkBuilder::new(dir)
        .standard_filters(true)
        .follow_links(false)
        .build();
    for entry in walk {
        match entry {
            Ok(entry) => {
                let is_file = entry.file_type().is_some_and(|t| t.is_file());
                if is_file && is_consortium_name(entry.file_name()) {
                    found.files.push(shown(dir, entry.into_path()));
                }
            }
            // A folder that cannot be read (no permission): what is in it
            // is not checked.
            Err(error) if error.io_error().is_some() => {
                let why = match error.io_error().map(|e| (e.kind(), e.to_string())) {
                    Some((std::io::ErrorKind::PermissionDenied, _)) => "permission denied".into(),
                    Some((_, other)) => other,
                    None => String::new(),
                };
                found.unreadable.push(match path_of(&error) {
                    Some(path) => format!(
                        "cannot read {}: {why}",
                        shown(dir, path.to_path_buf()).display()
                    ),
                    None => format!("cannot read a folder below {}: {why}", dir.display()),
                });
            }
            // A line of an ignore file that is not a pattern: said, and the
            // walk goes on, as ripgrep does.
            Err(error) => found.warnings.push(error.to_string()),
        }
    }
    found.files.sort();
    found
}

/// A path found below `dir`, as shown: relative for `.`.
fn shown(dir: &Path, path: PathBuf) -> PathBuf {
    match path.strip_prefix(".") {
        Ok(relative) if dir == Path::new(".") => relative.to_path_buf(),
        _ => path,
    }
}

/// The path a walk error is about.
fn path_of(error: &ignore::Error) -> Option<&Path> {
    match error {
        ignore::Error::WithPath { path, .. } => Some(path),
        ignore::Error::WithLineNumber { err, .. } | ignore::Error::WithDepth { err, .. } => {
            path_of(err)
        }
        ignore::Error::Partial(errors) => errors.iter().find_map(path_of),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::is_consortium_name;
    use std::ffi::OsStr;

    #[test]
    fn consortium_names() {
        for name in [
            "consortium.toml",
            "agrifood.consortium.toml",
            "a.b.consortium.toml",
        ] {
            assert!(is_consortium_name(OsStr::new(name)), "{name}");
        }
        for name in [
            "myconsortium.toml",
            "consortium.toml.bak",
            "Cargo.toml",
            "consortium.TOML",
        ] {
            assert!(!is_consortium_name(OsStr::new(name)), "{name}");
        }
    }
}
