//! Cells and sheets as `escp import` reads them, whatever the file format:
//! a sheet is rows of [`Value`]s, and every problem names its [`CellRef`].

use serde::Serialize;
use std::fmt;

/// The value of one cell, as the spreadsheet program last computed it.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Empty,
    Text(String),
    Number(f64),
    Bool(bool),
    /// A date or time, as ISO 8601 text ("2020-05-01", "2020-05-01T10:30:00").
    Date(String),
    /// An error value such as `#DIV/0!` or `#N/A`.
    Error(String),
    /// A formula whose value the file does not hold (it was saved without
    /// being calculated).
    Uncalculated,
}

impl Value {
    pub fn is_empty(&self) -> bool {
        match self {
            Value::Empty => true,
            Value::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }

    /// The value as text where text is expected: numbers without a
    /// needless ".0", booleans and dates as they read.
    pub fn as_text(&self) -> Option<String> {
        match self {
            Value::Text(t) => Some(t.trim().to_string()),
            Value::Number(n) => Some(number_text(*n)),
            Value::Bool(b) => Some(if *b { "TRUE" } else { "FALSE" }.to_string()),
            Value::Date(d) => Some(d.clone()),
            Value::Empty | Value::Error(_) | Value::Uncalculated => None,
        }
    }
}

/// A number as a person reads it: `12` for 12.0, `0.5`, `1e21`.
pub fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// A merged range of cells (0-based, inclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Merge {
    pub first: (u32, u32),
    pub last: (u32, u32),
}

/// One sheet: its name and its rows (0-based positions from A1).
#[derive(Debug, Clone, Default)]
pub struct Sheet {
    pub name: String,
    pub rows: Vec<Vec<Value>>,
    pub merges: Vec<Merge>,
}

impl Sheet {
    pub fn get(&self, row: usize, col: usize) -> &Value {
        self.rows
            .get(row)
            .and_then(|r| r.get(col))
            .unwrap_or(&Value::Empty)
    }

    /// Sets a cell, growing the rows as needed (the reader bounds the
    /// positions before calling this).
    pub fn set(&mut self, row: usize, col: usize, value: Value) {
        if self.rows.len() <= row {
            self.rows.resize_with(row + 1, Vec::new);
        }
        let cells = &mut self.rows[row];
        if cells.len() <= col {
            cells.resize(col + 1, Value::Empty);
        }
        cells[col] = value;
    }

    /// The number of columns of the widest row.
    pub fn width(&self) -> usize {
        self.rows.iter().map(Vec::len).max().unwrap_or(0)
    }

    /// The reference of a cell of this sheet.
    pub fn cell(&self, row: usize, col: usize) -> CellRef {
        CellRef {
            sheet: self.name.clone(),
            row: row as u32,
            column: Some(col as u32),
        }
    }

    /// The reference of a whole row of this sheet.
    pub fn row_ref(&self, row: usize) -> CellRef {
        CellRef {
            sheet: self.name.clone(),
            row: row as u32,
            column: None,
        }
    }

    /// The merged range whose top-left cell is (row, col), if any.
    pub fn merge_at(&self, row: usize, col: usize) -> Option<Merge> {
        self.merges
            .iter()
            .copied()
            .find(|m| m.first == (row as u32, col as u32))
    }
}

/// Where a value came from: a cell (`Partners!C4`), or a whole row
/// (`Partners!4:4`). Rows and columns are 0-based here and shown 1-based.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CellRef {
    pub sheet: String,
    pub row: u32,
    pub column: Option<u32>,
}

impl CellRef {
    /// The row as people count it (1 for the first).
    pub fn row_number(&self) -> u32 {
        self.row + 1
    }

    /// The column's letters ("C"), if the reference is a cell.
    pub fn column_letters(&self) -> Option<String> {
        self.column.map(column_letters)
    }

    /// The sheet name as a formula writes it: quoted when it is not a
    /// plain word (`'My partners'!C4`).
    pub fn sheet_shown(&self) -> String {
        let plain = !self.sheet.is_empty()
            && self
                .sheet
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '.')
            && !self.sheet.starts_with(|c: char| c.is_ascii_digit());
        let name = crate::text::clean(&self.sheet);
        if plain {
            name
        } else {
            format!("'{}'", name.replace('\'', "''"))
        }
    }
}

impl fmt::Display for CellRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sheet = self.sheet_shown();
        match self.column {
            Some(c) => write!(f, "{sheet}!{}{}", column_letters(c), self.row + 1),
            None => write!(f, "{sheet}!{}:{}", self.row + 1, self.row + 1),
        }
    }
}

/// "A" for column 0, "Z", "AA", ... "XFD".
pub fn column_letters(col: u32) -> String {
    let mut n = col as u64 + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = ((n - 1) % 26) as u8;
        out.push(b'A' + rem);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// How serious an import problem is. Errors leave a value out of the file
/// (a placeholder is written instead), so the check that follows fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A problem of the spreadsheet, at its cell.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A stable name for the kind of problem (`unknown-column`, ...).
    pub code: &'static str,
    pub message: String,
    pub help: Option<String>,
    pub cell: Option<CellRef>,
}

impl Diagnostic {
    pub fn new(severity: Severity, code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            code,
            message: crate::text::printable(message.into()),
            help: None,
            cell: None,
        }
    }

    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic::new(Severity::Error, code, message)
    }

    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic::new(Severity::Warning, code, message)
    }

    pub fn note(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic::new(Severity::Note, code, message)
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(crate::text::printable(help.into()));
        self
    }

    pub fn at(mut self, cell: CellRef) -> Self {
        self.cell = Some(cell);
        self
    }

    pub fn at_opt(mut self, cell: Option<CellRef>) -> Self {
        self.cell = cell;
        self
    }
}

impl fmt::Display for Diagnostic {
    /// "error: Partners!C4: ..." and the help on the next line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}[{}]: ", self.severity.as_str(), self.code)?;
        if let Some(cell) = &self.cell {
            write!(f, "{cell}: ")?;
        }
        write!(f, "{}", self.message)?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_lettered_as_spreadsheets_do() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
        assert_eq!(column_letters(16383), "XFD");
    }

    #[test]
    fn references_read_as_in_a_formula() {
        let cell = |sheet: &str, row, column| CellRef {
            sheet: sheet.into(),
            row,
            column,
        };
        assert_eq!(cell("Partners", 3, Some(2)).to_string(), "Partners!C4");
        assert_eq!(cell("Partners", 3, None).to_string(), "Partners!4:4");
        assert_eq!(
            cell("My partners", 0, Some(0)).to_string(),
            "'My partners'!A1"
        );
        assert_eq!(cell("O'Brien", 0, Some(0)).to_string(), "'O''Brien'!A1");
        assert_eq!(cell("a\u{1b}b", 0, Some(0)).to_string(), "'a\\u{1b}b'!A1");
    }

    #[test]
    fn numbers_read_as_text_without_a_needless_fraction() {
        assert_eq!(number_text(12.0), "12");
        assert_eq!(number_text(0.5), "0.5");
        assert_eq!(number_text(-3.0), "-3");
        assert_eq!(number_text(1e20), "100000000000000000000");
    }
}
