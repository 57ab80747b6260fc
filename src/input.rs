//! Reading the files to check: paths or `-` for standard input. escp only
//! ever reads them; nothing here writes.

use crate::source::SourceFile;
use std::io::Read;
use std::path::Path;

/// The name standard input is shown under.
pub const STDIN_NAME: &str = "<stdin>";

/// The largest input escp reads: 64 MiB, hundreds of times any real
/// consortium file (a file of 100,000 applicants is 17 MB). A larger input
/// (or an endless one, such as /dev/zero) is refused after reading this much.
pub const MAX_BYTES: usize = 64 * 1024 * 1024;

/// An input that cannot be read, and why, in a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    pub name: String,
    pub why: String,
    /// What kind of failure, for the help that goes with it.
    pub kind: UnreadableKind,
}

/// Why an input could not be read, as far as the help differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnreadableKind {
    /// The path does not exist (a newcomer may not have a file yet).
    NotFound,
    /// The input is larger than [`MAX_BYTES`].
    TooLarge,
    /// Anything else: a folder, no permission, not UTF-8, ...
    Other,
}

/// Reads one input.
pub fn read(path: &Path) -> Result<SourceFile, Unreadable> {
    let is_stdin = path.as_os_str() == "-";
    let name = if is_stdin {
        STDIN_NAME.to_string()
    } else {
        path.display().to_string()
    };
    let fail = |why: String, kind: UnreadableKind| Unreadable {
        name: name.clone(),
        why,
        kind,
    };
    let why = |e: std::io::Error| match e.kind() {
        std::io::ErrorKind::IsADirectory => fail(
            "it is a directory, not a file".into(),
            UnreadableKind::Other,
        ),
        std::io::ErrorKind::NotFound => fail("no such file".into(), UnreadableKind::NotFound),
        std::io::ErrorKind::PermissionDenied => {
            fail("permission denied".into(), UnreadableKind::Other)
        }
        _ => fail(e.to_string(), UnreadableKind::Other),
    };
    let bytes = if is_stdin {
        bounded(std::io::stdin().lock()).map_err(why)?
    } else {
        // No stat before the read: one system call less per file of a batch.
        bounded(std::fs::File::open(path).map_err(why)?).map_err(why)?
    };
    if bytes.len() > MAX_BYTES {
        return Err(fail(
            format!(
                "it is larger than {} MiB, far more than any consortium file (escp stops reading there)",
                MAX_BYTES / (1024 * 1024)
            ),
            UnreadableKind::TooLarge,
        ));
    }
    decode(name, bytes)
}

/// Reads at most one byte more than [`MAX_BYTES`], so that a larger input
/// is known to be too large without reading it all.
fn bounded(reader: impl Read) -> std::io::Result<Vec<u8>> {
    // Room for a typical consortium file from the start: with none, the
    // reads began at 32 bytes and doubled, eight system calls for a 1.3 KB
    // file; now it is one read and the one that finds the end.
    let mut buf = Vec::with_capacity(16 * 1024);
    reader.take(MAX_BYTES as u64 + 1).read_to_end(&mut buf)?;
    Ok(buf)
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
                kind: UnreadableKind::Other,
            })
        }
    }
}
