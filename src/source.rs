//! A checked file's text and the mapping from byte offsets to the 1-based
//! line / character-column positions that the machine formats report.
//!
//! The line index is built once per file (one pass over the bytes), with the
//! number of characters before every 1 KiB of text, so each diagnostic's
//! position costs a binary search plus a scan of at most 1 KiB: positions
//! never re-read the file, even when it is one endless line.

use std::ops::Range;
use std::sync::Arc;

/// A byte range into a [`SourceFile`]'s text.
pub type Span = Range<usize>;

/// A 1-based position: `column` counts Unicode characters, not bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// The text of one input (a file or standard input) and its line index.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The name shown to the user (`examples/x.toml`, `<stdin>`).
    pub name: String,
    /// The text, without a leading UTF-8 byte-order mark.
    pub text: Arc<str>,
    line_starts: Vec<usize>,
    /// The number of characters before byte `k * CHAR_MARK`, for each `k`:
    /// counted on the first position asked (a file without diagnostics, or
    /// checked with `--quiet`, never needs it).
    char_marks: std::sync::OnceLock<Vec<usize>>,
}

/// Lines longer than this are not echoed in a diagnostic (a 5 MB string, a
/// minified file): the message gives the position instead.
pub const LONGEST_SHOWN_LINE: usize = 500;

/// How often the character count is recorded, in bytes.
const CHAR_MARK: usize = 1024;

/// Whether `b` starts a character (is not a UTF-8 continuation byte).
fn starts_char(b: &u8) -> bool {
    (b & 0xC0) != 0x80
}

impl SourceFile {
    /// Wraps `text`; a leading byte-order mark (common from Windows editors)
    /// is dropped, so that column 1 is the first visible character.
    pub fn new(name: impl Into<String>, text: &str) -> Self {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut line_starts = vec![0];
        // memchr's vectorised search: byte by byte, the line index was a
        // fortieth of a batch's instructions.
        line_starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        SourceFile {
            name: name.into(),
            text: Arc::from(text),
            line_starts,
            char_marks: std::sync::OnceLock::new(),
        }
    }

    fn count_chars(&self) -> Vec<usize> {
        let text = &self.text;
        let mut char_marks = Vec::with_capacity(text.len() / CHAR_MARK + 1);
        let mut chars = 0;
        for block in text.as_bytes().chunks(CHAR_MARK) {
            char_marks.push(chars);
            chars += block.iter().filter(|b| starts_char(b)).count();
        }
        // The end of a text whose length is a multiple of CHAR_MARK.
        char_marks.push(chars);
        char_marks
    }

    /// The number of characters before byte `offset` (a character boundary).
    fn chars_before(&self, offset: usize) -> usize {
        let k = offset / CHAR_MARK;
        let from = k * CHAR_MARK;
        self.char_marks.get_or_init(|| self.count_chars())[k]
            + self.text.as_bytes()[from.min(offset)..offset]
                .iter()
                .filter(|b| starts_char(b))
                .count()
    }

    /// The position of byte `offset` (clamped to the text, and moved back to
    /// a character boundary if it falls inside one).
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let start = self.line_starts[line];
        let column = self.chars_before(offset) - self.chars_before(start) + 1;
        Position {
            line: line + 1,
            column,
        }
    }

    /// The bytes of the line that holds byte `offset`, without its line break.
    pub fn line_of(&self, offset: usize) -> Span {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let start = self.line_starts[line];
        let end = self
            .line_starts
            .get(line + 1)
            .map_or(self.text.len(), |next| next - 1);
        start..end
    }

    /// The same file as it may be shown in a terminal, under `name`: every
    /// character that could drive it replaced (see `text::displayable`).
    /// Byte offsets do not change, so neither does the line index, which is
    /// shared instead of built again.
    pub fn displayable(&self, name: String) -> SourceFile {
        let (text, char_marks) = match crate::text::displayable(&self.text) {
            std::borrow::Cow::Borrowed(_) => (self.text.clone(), self.char_marks.clone()),
            // Replacements keep byte lengths, not character counts.
            std::borrow::Cow::Owned(safe) => (Arc::from(safe), std::sync::OnceLock::new()),
        };
        SourceFile {
            name,
            text,
            line_starts: self.line_starts.clone(),
            char_marks,
        }
    }

    /// Whether the line holding `offset` is too long to echo.
    pub fn too_long_to_show(&self, offset: usize) -> bool {
        self.line_of(offset).len() > LONGEST_SHOWN_LINE
    }

    /// Where `offset` is, said in words for a diagnostic whose line is not
    /// shown: "(line 1, column 88; the line is too long to show)".
    pub fn unshown(&self, offset: usize) -> String {
        let at = self.position(offset);
        format!(
            "(line {}, column {}; the line is too long to show)",
            at.line, at.column
        )
    }

    /// The lines around `span`: from `before` lines before its first line to
    /// `after` lines after its last, as (index of the first line, 0-based;
    /// the bytes of those lines, with their line breaks).
    pub fn lines_around(&self, span: &Span, before: usize, after: usize) -> (usize, Span) {
        let line = |offset: usize| {
            let offset = offset.min(self.text.len());
            self.line_starts.partition_point(|&start| start <= offset) - 1
        };
        let first = line(span.start).saturating_sub(before);
        let last = line(span.end.max(span.start)).saturating_add(after);
        let end = self
            .line_starts
            .get(last.saturating_add(1))
            .copied()
            .unwrap_or(self.text.len());
        (first, self.line_starts[first]..end)
    }

    /// Start and (exclusive) end positions of `span`.
    pub fn range(&self, span: &Span) -> (Position, Position) {
        (self.position(span.start), self.position(span.end))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_and_lines_ignore_cr() {
        let src = SourceFile::new("t", "a = 1\r\nname = \"Ελλάδα\" # x\r\n");
        // `#` on line 2: after `name = "Ελλάδα" ` (16 characters, 22 bytes).
        let hash = src.text.find('#').unwrap();
        assert_eq!(
            src.position(hash),
            Position {
                line: 2,
                column: 17
            }
        );
        assert_eq!(src.position(0), Position { line: 1, column: 1 });
        // The \r before \n belongs to line 1.
        assert_eq!(src.position(5), Position { line: 1, column: 6 });
    }

    #[test]
    fn columns_on_an_endless_line_are_counted_from_the_marks() {
        let line = "é".repeat(3000) + "x = 1";
        let src = SourceFile::new("t", &format!("a\n{line}\n"));
        let x = src.text.find('x').unwrap();
        assert_eq!(
            src.position(x),
            Position {
                line: 2,
                column: 3001
            }
        );
        let exact = SourceFile::new("t", &"a".repeat(2 * CHAR_MARK));
        assert_eq!(exact.position(2 * CHAR_MARK).column, 2 * CHAR_MARK + 1);
        let ends = [src.text.len()];
        let offsets = src.text.char_indices().map(|(i, _)| i).step_by(97);
        for offset in offsets.chain(ends) {
            let start = src.line_of(offset).start;
            let expected = src.text[start..offset].chars().count() + 1;
            assert_eq!(src.position(offset).column, expected, "offset {offset}");
        }
    }

    #[test]
    fn bom_is_dropped_and_offsets_are_clamped() {
        let src = SourceFile::new("t", "\u{feff}x = 1\n");
        assert_eq!(&*src.text, "x = 1\n");
        assert_eq!(src.position(999), Position { line: 2, column: 1 });
    }

    #[test]
    fn offset_inside_a_character_moves_to_its_start() {
        let src = SourceFile::new("t", "é");
        assert_eq!(src.position(1), Position { line: 1, column: 1 });
    }
}
