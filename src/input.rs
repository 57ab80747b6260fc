//! Reading the files to check: paths or `-` for standard input. escp only
//! ever reads them; nothing here writes.

use crate::source::SourceFile;
use std::io::Read;
use std::path::Path;

/// The name standard input is shown under.
pub const STDIN_NAME: &str = "<stdin>";

/// An input that cannot be read, and why, in a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    pub name: String,
    pub why: String,
    /// The path does not exist (a newcomer may not have a file yet).
    pub not_found: bool,
}

/// Reads one input.
pub fn read(path: &Path) -> Result<SourceFile, Unreadable> {
    let is_stdin = path.as_os_str() == "-";
    let name = if is_stdin {
        STDIN_NAME.to_string()
    } else {
        path.display().to_string()
    };
    let fail = |why: String, not_found: bool| Unreadable {
        name: name.clone(),
        why,
        not_found,
    };
    let bytes = if is_stdin {
        let mut buf = Vec::new();
        std::io::stdin()
            .lock()
            .read_to_end(&mut buf)
            .map_err(|e| fail(e.to_string(), false))?;
        buf
    } else {
        // No stat before the read: one system call less per file of a batch.
        std::fs::read(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::IsADirectory => fail("it is a directory, not a file".into(), false),
            std::io::ErrorKind::NotFound => fail("no such file".into(), true),
            std::io::ErrorKind::PermissionDenied => fail("permission denied".into(), false),
            _ => fail(e.to_string(), false),
        })?
    };
    decode(name, bytes)
}

/// Turns the bytes of an input into text: escp reads UTF-8 (a byte-order
/// mark is accepted and dropped).
pub fn decode(name: impl Into<String>, bytes: Vec<u8>) -> Result<SourceFile, Unreadable> {
    let name = name.into();
    match String::from_utf8(bytes) {
        Ok(text) => Ok(SourceFile::new(name, &text)),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            Err(Unreadable {
                name,
                why: format!("it is not UTF-8 text (invalid byte at offset {at})"),
                not_found: false,
            })
        }
    }
}
