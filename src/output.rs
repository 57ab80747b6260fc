//! Writing files: only `init`, `--output` and `check --fix` write, and
//! always atomically, so that a reader never sees half a file and an
//! interrupted run leaves the old file in place.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes `bytes` to `path` through a temporary file in the same folder.
/// With `replace`, an existing file is replaced (rename); without it, the
/// write fails with `AlreadyExists` if `path` exists, even if it appeared
/// meanwhile (a hard link never replaces).
pub fn write_atomically(path: &Path, bytes: &[u8], replace: bool) -> std::io::Result<()> {
    if !replace && path.exists() {
        return Err(std::io::ErrorKind::AlreadyExists.into());
    }
    // Only a regular file is ever replaced: a rename over `/dev/null` (or
    // another device, or a fifo) would put a file in its place.
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file()) {
        return Err(std::io::Error::other(
            "it is not a regular file (a device, a folder or a pipe); escp writes only regular files",
        ));
    }
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let temp = temporary_in(&folder);
    let result = (|| {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        if replace {
            std::fs::rename(&temp, path)
        } else {
            std::fs::hard_link(&temp, path)
        }
    })();
    // After a rename the temporary name is gone; after a link, or a
    // failure, it is removed here.
    let _ = std::fs::remove_file(&temp);
    result
}

/// A temporary name in `folder`. Short: a file name near the system's
/// limit (255 bytes) must still be writable beside it.
fn temporary_in(folder: &Path) -> PathBuf {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    folder.join(format!(".escp-{}-{n}.tmp", std::process::id()))
}

/// Replaces the regular file `path` with `bytes`, atomically, for `check
/// --fix`: through a temporary file in the same folder that takes the
/// file's mode, owner and group before it is renamed over it. `before` is
/// the file's metadata when it was read: if `path` is no longer that file,
/// or it changed since (its size or modification time), nothing is
/// written. `path` must name the file itself, not a symbolic link to it
/// (the caller resolves links), and the caller has refused files with
/// other hard links, which a rename would split from it.
pub fn replace_file(path: &Path, bytes: &[u8], before: &std::fs::Metadata) -> std::io::Result<()> {
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let temp = temporary_in(&folder);
    let result = (|| {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            // Readable by no one else until it has the file's own mode.
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options.open(&temp)?;
        file.write_all(bytes)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let now = file.metadata()?;
            if (now.uid(), now.gid()) != (before.uid(), before.gid()) {
                std::os::unix::fs::fchown(&file, Some(before.uid()), Some(before.gid())).map_err(
                    |e| {
                        std::io::Error::new(
                            e.kind(),
                            format!("cannot give the new file the old one's owner and group: {e}"),
                        )
                    },
                )?;
            }
        }
        // After the owner: a change of owner clears the set-id bits.
        file.set_permissions(before.permissions())?;
        file.sync_all()?;
        if !unchanged(path, before) {
            return Err(std::io::Error::other(
                "it changed while escp was fixing it; run escp again",
            ));
        }
        std::fs::rename(&temp, path)?;
        // The rename itself is durable once the folder is synced (where the
        // system allows opening a folder).
        if let Ok(folder) = std::fs::File::open(&folder) {
            let _ = folder.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

/// Whether `path` is still the file `before` describes, as it was.
fn unchanged(path: &Path, before: &std::fs::Metadata) -> bool {
    let Ok(now) = std::fs::symlink_metadata(path) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if (now.dev(), now.ino()) != (before.dev(), before.ino()) {
            return false;
        }
    }
    now.is_file() && now.len() == before.len() && now.modified().ok() == before.modified().ok()
}

#[cfg(test)]
mod tests {
    use super::replace_file;
    use std::fs;

    fn scratch(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("escp-output-{}-{name}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn a_file_is_replaced_with_its_mode() {
        let dir = scratch("mode");
        let path = dir.join("a.toml");
        fs::write(&path, "old").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
        }
        let before = fs::metadata(&path).unwrap();
        replace_file(&path, b"new", &before).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o7777, 0o640);
        }
        assert_eq!(
            fs::read_dir(&dir).unwrap().count(),
            1,
            "no temporary file left"
        );
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_file_changed_since_it_was_read_is_not_replaced() {
        let dir = scratch("changed");
        let path = dir.join("a.toml");
        fs::write(&path, "old").unwrap();
        let before = fs::metadata(&path).unwrap();
        // Someone saves the file meanwhile.
        fs::write(&path, "edited meanwhile").unwrap();
        let error = replace_file(&path, b"new", &before).unwrap_err();
        assert!(error
            .to_string()
            .contains("changed while escp was fixing it"));
        assert_eq!(fs::read_to_string(&path).unwrap(), "edited meanwhile");
        // Or replaces it with another file.
        let before = fs::metadata(&path).unwrap();
        fs::write(dir.join("other"), "another file").unwrap();
        fs::rename(dir.join("other"), &path).unwrap();
        assert!(replace_file(&path, b"new", &before).is_err());
        assert_eq!(fs::read_to_string(&path).unwrap(), "another file");
        assert_eq!(
            fs::read_dir(&dir).unwrap().count(),
            1,
            "no temporary file left"
        );
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_device_or_a_folder_is_never_replaced() {
        use super::write_atomically;
        let dir = scratch("device");
        assert!(write_atomically(&dir, b"x", true).is_err());
        assert!(dir.is_dir());
        // A named pipe stands for a device: replacing it would be harmless
        // here, but is refused all the same.
        let fifo = dir.join("pipe");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            assert!(write_atomically(&fifo, b"x", true).is_err());
            assert!(!fs::metadata(&fifo).unwrap().is_file());
        }
        let file = dir.join("f.txt");
        write_atomically(&file, b"a", false).unwrap();
        write_atomically(&file, b"b", true).unwrap();
        assert_eq!(fs::read(&file).unwrap(), b"b");
        let _ = fs::remove_dir_all(&dir);
    }
}
