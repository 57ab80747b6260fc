//! Writing files: only `init` and `--output` write, and always atomically,
//! so that a reader never sees half a file and an interrupted run leaves
//! the old file in place.

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
    // A short temporary name: a file name near the system's limit (255
    // bytes) must still be writable.
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let temp = folder.join(format!(".escp-{}-{n}.tmp", std::process::id()));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_device_or_a_folder_is_never_replaced() {
        let dir = std::env::temp_dir().join(format!("escp-output-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        assert!(write_atomically(&dir, b"x", true).is_err());
        assert!(dir.is_dir());
        // A named pipe stands for a device: replacing it would be harmless
        // here, but is refused all the same.
        let fifo = dir.join("pipe");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            assert!(write_atomically(&fifo, b"x", true).is_err());
            assert!(!std::fs::metadata(&fifo).unwrap().is_file());
        }
        let file = dir.join("f.txt");
        write_atomically(&file, b"a", false).unwrap();
        write_atomically(&file, b"b", true).unwrap();
        assert_eq!(std::fs::read(&file).unwrap(), b"b");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
