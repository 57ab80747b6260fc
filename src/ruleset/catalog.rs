//! Finding the ruleset that a consortium file names.
//!
//! The catalog knows the embedded rulesets and the `*.toml` files of the
//! `--calls` folders by file name only; a ruleset file is named after its id,
//! so a lookup by id parses just that one file. Only a lookup by alias, or
//! an unknown call (to suggest the closest id), parses the others.

use super::load::{load, RulesetError};
use super::{Origin, Ruleset};
use miette::Diagnostic;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// The rulesets shipped in the binary: the id of each `calls/*.toml` and
/// its compiled form (`calls/compiled/ID.bin`, see [`super::compiled`]).
pub const EMBEDDED: &[(&str, &[u8])] = &[
    (
        "COS-CLUSTER-2014-3-03",
        include_bytes!("../../calls/compiled/COS-CLUSTER-2014-3-03.bin"),
    ),
    (
        "COS-CLUSINT-2016-03-01",
        include_bytes!("../../calls/compiled/COS-CLUSINT-2016-03-01.bin"),
    ),
    (
        "COS-CLUSINT-2017-03-6",
        include_bytes!("../../calls/compiled/COS-CLUSINT-2017-03-6.bin"),
    ),
    (
        "COS-CLUSINT-2019-3-01",
        include_bytes!("../../calls/compiled/COS-CLUSINT-2019-3-01.bin"),
    ),
    (
        "COS-CLUSINT-2020-3-01",
        include_bytes!("../../calls/compiled/COS-CLUSINT-2020-3-01.bin"),
    ),
    (
        "SMP-COSME-2021-CLUSTER-01",
        include_bytes!("../../calls/compiled/SMP-COSME-2021-CLUSTER-01.bin"),
    ),
    (
        "SMP-COSME-2023-AGRICLUSTER-01",
        include_bytes!("../../calls/compiled/SMP-COSME-2023-AGRICLUSTER-01.bin"),
    ),
    (
        "SMP-COSME-2024-CLUSTER-01",
        include_bytes!("../../calls/compiled/SMP-COSME-2024-CLUSTER-01.bin"),
    ),
    (
        "SMP-COSME-2024-CLUSTERUA-01",
        include_bytes!("../../calls/compiled/SMP-COSME-2024-CLUSTERUA-01.bin"),
    ),
    (
        "SMP-COSME-2026-BIOAGRIFOOD-01",
        include_bytes!("../../calls/compiled/SMP-COSME-2026-BIOAGRIFOOD-01.bin"),
    ),
];

/// Why the catalog or one of its rulesets cannot be used (exit code 2).
#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum CatalogError {
    #[error("cannot read the ruleset folder {}: {error}", path.display())]
    #[diagnostic(
        code(ruleset),
        help("--calls and ESCP_CALLS name folders of ruleset files (*.toml)")
    )]
    Folder {
        path: PathBuf,
        error: std::io::Error,
    },

    #[error("cannot read the ruleset {}: {error}", path.display())]
    #[diagnostic(code(ruleset))]
    File {
        path: PathBuf,
        error: std::io::Error,
    },

    #[error("two ruleset folders define {id}: {} and {}", first.display(), second.display())]
    #[diagnostic(
        code(ruleset),
        help("keep one ruleset per call id across the --calls folders")
    )]
    Duplicate {
        id: String,
        first: PathBuf,
        second: PathBuf,
    },

    #[error("the ruleset {} has id \"{id}\"; its file must be named {id}.toml", path.display())]
    #[diagnostic(
        code(ruleset),
        help(
            "a ruleset file is named after its id, so escp can find it without reading the others"
        )
    )]
    Misnamed { id: String, path: PathBuf },

    #[error(transparent)]
    #[diagnostic(transparent)]
    Invalid(Box<RulesetError>),
}

impl CatalogError {
    /// The error in one line, for a diagnostic in the files that need the
    /// ruleset: "calls/X.toml, line 12: `max_eur` is -1; ...".
    pub fn summary(&self) -> String {
        match self {
            CatalogError::Invalid(e) => e.summary(),
            other => other.to_string(),
        }
    }
}

#[derive(Debug)]
struct Entry {
    /// The file name without `.toml`: the ruleset id.
    stem: String,
    /// Shown in diagnostics.
    name: String,
    text: Text,
}

#[derive(Debug)]
enum Text {
    Embedded(&'static [u8]),
    File(PathBuf),
}

/// The known rulesets: those of the `--calls` folders first, then the
/// embedded ones they do not override.
#[derive(Debug)]
pub struct Catalog {
    entries: Vec<Entry>,
    loaded: Mutex<HashMap<usize, Arc<Ruleset>>>,
}

impl Catalog {
    /// The catalog of the command line and the editor: the embedded
    /// rulesets, plus `folders`, or the folders of `ESCP_CALLS` (separated
    /// like PATH) when none is given.
    pub fn with_env(folders: &[PathBuf]) -> Result<Catalog, CatalogError> {
        let folders: Vec<PathBuf> = if folders.is_empty() {
            std::env::var_os("ESCP_CALLS")
                .map(|v| {
                    std::env::split_paths(&v)
                        .filter(|p| !p.as_os_str().is_empty())
                        .collect()
                })
                .unwrap_or_default()
        } else {
            folders.to_vec()
        };
        Catalog::new(&folders)
    }

    /// The embedded rulesets only.
    pub fn embedded() -> Catalog {
        Catalog::new(&[]).expect("no folders to read")
    }

    /// The embedded rulesets and those of `folders` (which override an
    /// embedded ruleset with the same id). Only the folders are listed here;
    /// no ruleset is read until it is needed.
    pub fn new(folders: &[PathBuf]) -> Result<Catalog, CatalogError> {
        let mut entries: Vec<Entry> = Vec::new();
        // The same folder given twice (or through two paths) is one folder.
        let mut seen: Vec<PathBuf> = Vec::new();
        for folder in folders {
            let canonical = std::fs::canonicalize(folder).unwrap_or_else(|_| folder.clone());
            if seen.contains(&canonical) {
                continue;
            }
            seen.push(canonical);
            for path in ruleset_files(folder)? {
                let stem = path
                    .file_stem()
                    .and_then(|s| s.to_str())
                    .unwrap_or_default()
                    .to_string();
                if let Some(first) = entries.iter().find(|e| e.stem.eq_ignore_ascii_case(&stem)) {
                    let Text::File(first_path) = &first.text else {
                        unreachable!("only folders are listed so far")
                    };
                    return Err(CatalogError::Duplicate {
                        id: stem,
                        first: first_path.clone(),
                        second: path,
                    });
                }
                entries.push(Entry {
                    stem,
                    name: path.display().to_string(),
                    text: Text::File(path),
                });
            }
        }
        for (id, text) in EMBEDDED {
            if !entries.iter().any(|e| e.stem.eq_ignore_ascii_case(id)) {
                entries.push(Entry {
                    stem: id.to_string(),
                    name: format!("calls/{id}.toml"),
                    text: Text::Embedded(text),
                });
            }
        }
        Ok(Catalog {
            entries,
            loaded: Mutex::new(HashMap::new()),
        })
    }

    /// The ruleset whose id or alias is `call` (case-insensitive).
    pub fn find(&self, call: &str) -> Result<Option<Arc<Ruleset>>, CatalogError> {
        let call = call.trim();
        if let Some(i) = self
            .entries
            .iter()
            .position(|e| e.stem.eq_ignore_ascii_case(call))
        {
            return self.get(i).map(Some);
        }
        // By alias: every ruleset is read. A broken one that is not the call
        // asked for must not stop the check: the call is then unknown, and
        // the hint names the rulesets that could not be read.
        for i in 0..self.entries.len() {
            if let Ok(ruleset) = self.get(i) {
                if ruleset.is_named(call) {
                    return Ok(Some(ruleset));
                }
            }
        }
        Ok(None)
    }

    /// The rulesets that cannot be loaded, with why.
    pub fn broken(&self) -> Vec<(String, CatalogError)> {
        (0..self.entries.len())
            .filter_map(|i| self.get(i).err().map(|e| (self.entries[i].name.clone(), e)))
            .collect()
    }

    /// Every ruleset that loads (for suggestions and listings that go on
    /// past a broken one).
    pub fn loadable(&self) -> Vec<Arc<Ruleset>> {
        (0..self.entries.len())
            .filter_map(|i| self.get(i).ok())
            .collect()
    }

    /// The ids of the known rulesets (from their file names: nothing is parsed).
    pub fn ids(&self) -> Vec<&str> {
        self.entries.iter().map(|e| e.stem.as_str()).collect()
    }

    /// Every ruleset, loaded (for listings and suggestions).
    pub fn all(&self) -> Result<Vec<Arc<Ruleset>>, CatalogError> {
        (0..self.entries.len()).map(|i| self.get(i)).collect()
    }

    /// What to tell a user whose call is unknown: the closest id, or the
    /// known ones (in pipeline diagnostics, `calls` and `init` alike).
    pub fn unknown_hint(&self, call: &str) -> String {
        let mut hint = match self.closest(call) {
            Some(best) => format!("did you mean \"{best}\"?"),
            None => {
                // Only the rulesets that load are known calls; a broken one
                // is named below as what it is (its file name is no call id).
                let ids: Vec<String> = self.loadable().iter().map(|r| r.id.clone()).collect();
                format!(
                    "the known calls are {} (`escp calls` lists them); for another call, write a ruleset (docs/rulesets.md) and give its folder with --calls",
                    ids.join(", ")
                )
            }
        };
        let broken: Vec<String> = self
            .broken()
            .into_iter()
            .map(|(name, _)| crate::text::escape(&name))
            .collect();
        if !broken.is_empty() {
            hint.push_str(&format!(
                "; {} could not be loaded and may be the call meant (`escp calls` shows why)",
                crate::text::and_list(&broken)
            ));
        }
        hint
    }

    /// The known id or alias closest to `call`, to suggest for a typo: only
    /// a near miss with the same numbers (year, edition), never another
    /// edition of the call.
    pub fn closest(&self, call: &str) -> Option<String> {
        let rulesets = self.loadable();
        let names: Vec<&str> = rulesets
            .iter()
            .flat_map(|r| {
                std::iter::once(r.id.as_str()).chain(r.aliases.iter().map(String::as_str))
            })
            .collect();
        let same_numbers = names
            .iter()
            .copied()
            .filter(|name| same_numbers(name, call))
            .collect::<Vec<_>>();
        crate::text::closest(call, same_numbers).map(|name| {
            rulesets
                .iter()
                .find(|r| r.is_named(name))
                .map(|r| r.id.clone())
                .unwrap_or_else(|| name.to_string())
        })
    }

    fn get(&self, i: usize) -> Result<Arc<Ruleset>, CatalogError> {
        if let Some(r) = self.lock().get(&i) {
            return Ok(r.clone());
        }
        let entry = &self.entries[i];
        let (ruleset, origin) = match &entry.text {
            Text::Embedded(bytes) => (
                super::compiled::read(bytes).expect("the compiled rulesets read back (tested)"),
                Origin::Embedded,
            ),
            Text::File(path) => {
                let text = std::fs::read_to_string(path).map_err(|error| CatalogError::File {
                    path: path.clone(),
                    error,
                })?;
                let origin = Origin::File(path.clone());
                let ruleset =
                    load(&entry.name, &text, origin.clone()).map_err(CatalogError::Invalid)?;
                (ruleset, origin)
            }
        };
        if !ruleset.id.eq_ignore_ascii_case(&entry.stem) {
            return Err(CatalogError::Misnamed {
                id: ruleset.id,
                path: match origin {
                    Origin::File(p) => p,
                    Origin::Embedded => PathBuf::from(&entry.name),
                },
            });
        }
        let ruleset = Arc::new(ruleset);
        self.lock().insert(i, ruleset.clone());
        Ok(ruleset)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<usize, Arc<Ruleset>>> {
        // A panic while holding the lock cannot leave the cache inconsistent
        // (inserts are whole), so a poisoned lock is still usable.
        self.loaded.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Whether two call ids have the same numbers ("2020-3-01" and "2020-03-1",
/// "2020-301"): a typo keeps the year and the edition.
fn same_numbers(a: &str, b: &str) -> bool {
    let numbers = |s: &str| -> Vec<u64> {
        s.split(|c: char| !c.is_ascii_digit())
            .filter(|d| !d.is_empty())
            .map(|d| d.parse().unwrap_or(u64::MAX))
            .collect()
    };
    let digits = |s: &str| -> String { s.chars().filter(char::is_ascii_digit).collect() };
    let (na, nb) = (numbers(a), numbers(b));
    !na.is_empty() && (na == nb || digits(a) == digits(b))
}

/// The `*.toml` files directly in `folder`, sorted by name.
fn ruleset_files(folder: &Path) -> Result<Vec<PathBuf>, CatalogError> {
    let folder_error = |error| CatalogError::Folder {
        path: folder.to_path_buf(),
        error,
    };
    let mut out = Vec::new();
    for entry in std::fs::read_dir(folder).map_err(folder_error)? {
        let path = entry.map_err(folder_error)?.path();
        if path.extension().is_some_and(|e| e == "toml") {
            let meta = std::fs::metadata(&path).map_err(|error| CatalogError::File {
                path: path.clone(),
                error,
            })?;
            if meta.is_file() {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}
