//! Reading the files to check: paths or `-` for standard input. escp only
//! ever reads them; nothing here writes.

use crate::source::SourceFile;
use std::io::Read;
use std::path::Path;

/// The name standard input is shown under.
pub const STDIN_NAME: &str = "<stdin>";

/// Reads one input. `Err` is a sentence saying why it cannot be read.
pub fn read(path: &Path) -> Result<SourceFile, (String, String)> {
    let is_stdin = path.as_os_str() == "-";
    let name = if is_stdin {
        STDIN_NAME.to_string()
    } else {
        path.display().to_string()
    };
    let bytes = if is_stdin {
        let mut buf = Vec::new();
        std::io::stdin()
            .lock()
            .read_to_end(&mut buf)
            .map_err(|e| (name.clone(), e.to_string()))?;
        buf
    } else {
        if path.is_dir() {
            return Err((name, "it is a directory, not a file".into()));
        }
        std::fs::read(path).map_err(|e| {
            let why = match e.kind() {
                std::io::ErrorKind::NotFound => "no such file".to_string(),
                std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
                _ => e.to_string(),
            };
            (name.clone(), why)
        })?
    };
    match String::from_utf8(bytes) {
        Ok(text) => Ok(SourceFile::new(name, &text)),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            Err((
                name,
                format!("it is not UTF-8 text (invalid byte at offset {at})"),
            ))
        }
    }
}
