//! Reading a spreadsheet's bytes into [`Sheet`]s: CSV with the csv crate,
//! XLSX, XLS and ODS with calamine, after [`super::guard`] has looked into
//! them. Every cell is bounded by [`guard::MAX_ROWS`] and
//! [`guard::MAX_COLUMNS`]; formulas give their cached value; merged cells
//! give their value to the rows they cover.

use super::cell::{Diagnostic, Merge, Sheet, Value};
use super::guard::{self, Refused, MAX_COLUMNS, MAX_ROWS};
use calamine::{Data, DataRef, Reader};
use std::io::Cursor;

/// The kinds of file `escp import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Csv,
    Xlsx,
    Xls,
    Ods,
}

impl Kind {
    /// The kind a file name's extension says (`.csv`, `.tsv` and `.txt` are CSV).
    pub fn from_name(name: &str) -> Option<Kind> {
        let ext = std::path::Path::new(name)
            .extension()?
            .to_str()?
            .to_ascii_lowercase();
        match ext.as_str() {
            "csv" | "tsv" | "txt" => Some(Kind::Csv),
            "xlsx" | "xlsm" => Some(Kind::Xlsx),
            "xls" => Some(Kind::Xls),
            "ods" => Some(Kind::Ods),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Csv => "CSV",
            Kind::Xlsx => "XLSX",
            Kind::Xls => "XLS",
            Kind::Ods => "ODS",
        }
    }

    /// What the bytes are: a zip archive is an XLSX or an ODS, a compound
    /// file an XLS, anything else CSV text. `hint` (the name's extension,
    /// or the kind the caller says) is only used to word an error.
    pub fn detect(bytes: &[u8], hint: Option<Kind>) -> Result<Kind, Refused> {
        let refuse = |message: String, help: &str| Refused {
            message,
            help: help.into(),
            sheet: None,
            at: None,
        };
        if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
            let head = &bytes[..bytes.len().min(4096)];
            let ods = contains(head, b"application/vnd.oasis.opendocument.spreadsheet")
                || (!contains(head, b"xl/") && contains(head, b"content.xml"));
            if contains(head, b"application/vnd.oasis.opendocument")
                && !contains(head, b"opendocument.spreadsheet")
            {
                return Err(refuse(
                    "the file is an OpenDocument file but not a spreadsheet (a text document?)"
                        .into(),
                    "save the partner list from a spreadsheet program as ODS, XLSX or CSV",
                ));
            }
            if contains(bytes, b"xl/workbook.bin") {
                return Err(refuse(
                    "the file is an Excel binary workbook (XLSB), which escp does not read".into(),
                    "save it as XLSX (Excel Workbook) or CSV",
                ));
            }
            return Ok(
                if ods || hint == Some(Kind::Ods) && !contains(head, b"xl/") {
                    Kind::Ods
                } else {
                    Kind::Xlsx
                },
            );
        }
        if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
            return Ok(Kind::Xls);
        }
        let start = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]).to_ascii_lowercase();
        let start = start.trim_start_matches('\u{feff}').trim_start();
        if start.starts_with("<html")
            || start.starts_with("<!doctype html")
            || start.starts_with("<table")
        {
            return Err(refuse(
                "the file is a web page (HTML), not a spreadsheet, though some programs export it under a spreadsheet's name".into(),
                "open it in a spreadsheet program and save it as XLSX or CSV",
            ));
        }
        match hint {
            Some(kind @ (Kind::Xlsx | Kind::Xls | Kind::Ods)) => Err(refuse(
                format!(
                    "the file is not an {} workbook: {}",
                    kind.as_str(),
                    match kind {
                        Kind::Xls => "it does not start as an Excel 97-2003 file does",
                        _ => "it is not a zip archive, as XLSX and ODS files are",
                    }
                ),
                "check the file (it may be damaged, or not a spreadsheet); save it again from a spreadsheet program",
            )),
            _ if bytes.iter().take(4096).filter(|&&b| b == 0).count() > 16
                && !bytes.starts_with(&[0xFF, 0xFE])
                && !bytes.starts_with(&[0xFE, 0xFF]) =>
            {
                Err(refuse(
                    "the file is neither a workbook (XLSX, XLS, ODS) nor CSV text".into(),
                    "save the partner list from a spreadsheet program as XLSX, ODS or CSV",
                ))
            }
            _ => Ok(Kind::Csv),
        }
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// An open workbook: its sheet names, and each sheet read on demand.
pub struct Book<'a> {
    pub kind: Kind,
    names: Vec<String>,
    inner: Inner<'a>,
    /// Merged ranges of an ODS's sheets (calamine does not report them).
    ods_merges: Vec<(String, Vec<Merge>)>,
}

enum Inner<'a> {
    Csv(Sheet),
    Xlsx(Box<calamine::Xlsx<Cursor<&'a [u8]>>>),
    Xls(Box<calamine::Xls<Cursor<&'a [u8]>>>),
    Ods(Box<calamine::Ods<Cursor<&'a [u8]>>>),
}

/// Opens a spreadsheet. `name` is the file's name, for a CSV's sheet name;
/// notes about how the file was read (a CSV's encoding) go to `notes`.
pub fn open<'a>(
    bytes: &'a [u8],
    name: &str,
    kind: Kind,
    notes: &mut Vec<Diagnostic>,
) -> Result<Book<'a>, Refused> {
    if bytes.len() > guard::MAX_FILE {
        return Err(Refused {
            message: format!(
                "the file is larger than {} MiB, far more than any partner list (escp stops reading there)",
                guard::MAX_FILE / (1024 * 1024)
            ),
            help: "check that the path names the partner list".into(),
            sheet: None,
            at: None,
        });
    }
    let unreadable = |e: &dyn std::fmt::Display| Refused {
        message: format!(
            "the file is not a readable {} workbook: {}",
            kind.as_str(),
            crate::text::clean(&e.to_string())
        ),
        help: "open it in a spreadsheet program and save it again".into(),
        sheet: None,
        at: None,
    };
    let password = || {
        Refused {
        message: "the workbook is password-protected (encrypted): escp cannot read it".into(),
        help: "open it in a spreadsheet program, remove the password (or save an unprotected copy), then import that copy".into(),
        sheet: None,
        at: None,
    }
    };
    let (inner, ods_merges) = match kind {
        Kind::Csv => (Inner::Csv(csv_sheet(bytes, name, notes)?), Vec::new()),
        Kind::Xlsx => {
            guard::zip(bytes, false)?;
            let book = calamine_safely(|| {
                calamine::Xlsx::new(Cursor::new(bytes)).map_err(|e| unreadable(&e))
            })?;
            (Inner::Xlsx(Box::new(book)), Vec::new())
        }
        Kind::Ods => {
            let merges = guard::zip(bytes, true)?;
            let book = calamine_safely(|| {
                calamine::Ods::new(Cursor::new(bytes)).map_err(|e| match e {
                    calamine::OdsError::Password => password(),
                    e => unreadable(&e),
                })
            })?;
            (Inner::Ods(Box::new(book)), merges)
        }
        Kind::Xls => {
            guard::xls(bytes)?;
            let book = calamine_safely(|| {
                calamine::Xls::new(Cursor::new(bytes)).map_err(|e| match e {
                    calamine::XlsError::Password => password(),
                    e => unreadable(&e),
                })
            })?;
            (Inner::Xls(Box::new(book)), Vec::new())
        }
    };
    let names = match &inner {
        Inner::Csv(sheet) => vec![sheet.name.clone()],
        Inner::Xlsx(b) => b.sheet_names(),
        Inner::Xls(b) => b.sheet_names(),
        Inner::Ods(b) => b.sheet_names(),
    };
    Ok(Book {
        kind,
        names,
        inner,
        ods_merges,
    })
}

impl Book<'_> {
    /// The names of the sheets, in the workbook's order.
    pub fn sheet_names(&self) -> &[String] {
        &self.names
    }

    /// Reads one sheet (a name from [`Book::sheet_names`]).
    pub fn sheet(&mut self, name: &str) -> Result<Sheet, Refused> {
        calamine_safely(|| self.read_sheet(name))
    }

    fn read_sheet(&mut self, name: &str) -> Result<Sheet, Refused> {
        let unreadable = |e: &dyn std::fmt::Display| Refused {
            message: format!(
                "sheet \"{}\" cannot be read: {}",
                crate::text::clean(name),
                crate::text::clean(&e.to_string())
            ),
            help: "open the workbook in a spreadsheet program and save it again".into(),
            sheet: Some(name.to_string()),
            at: None,
        };
        let mut sheet = match &mut self.inner {
            Inner::Csv(sheet) => sheet.clone(),
            Inner::Xlsx(book) => xlsx_sheet(book, name).map_err(|e| match e {
                Failure::Refused(r) => r,
                Failure::Calamine(e) => unreadable(&e),
            })?,
            Inner::Xls(book) => {
                let values = book.worksheet_range(name).map_err(|e| unreadable(&e))?;
                let formulas = book.worksheet_formula(name).ok();
                let merges = book.merge_cells_by_sheet_name(name).unwrap_or_default();
                range_sheet(name, &values, formulas.as_ref(), &merges)?
            }
            Inner::Ods(book) => {
                let values = book.worksheet_range(name).map_err(|e| unreadable(&e))?;
                let formulas = book.worksheet_formula(name).ok();
                let merges: Vec<calamine::Dimensions> = self
                    .ods_merges
                    .iter()
                    .find(|(n, _)| n == name)
                    .map(|(_, m)| {
                        m.iter()
                            .map(|m| calamine::Dimensions {
                                start: m.first,
                                end: m.last,
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                range_sheet(name, &values, formulas.as_ref(), &merges)?
            }
        };
        fill_merges(&mut sheet);
        Ok(sheet)
    }
}

thread_local! {
    /// Whether a panic on this thread is calamine's, caught and reported
    /// as a damaged file (so the panic hook stays quiet).
    static QUIET: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs calamine on untrusted bytes. calamine is a large parser of binary
/// formats, and a damaged file can make it index past the end of a record
/// (the fuzzer found one): such a panic is caught here and is a damaged
/// file, exit code 2, with no panic message or backtrace printed. The
/// guard's bounds still come first, so no allocation is left to chance.
fn calamine_safely<T>(read: impl FnOnce() -> Result<T, Refused>) -> Result<T, Refused> {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(std::cell::Cell::get) {
                previous(info);
            }
        }));
    });
    let was = QUIET.with(|q| q.replace(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(read));
    QUIET.with(|q| q.set(was));
    result.unwrap_or_else(|_| {
        Err(Refused {
            message: "the file is damaged: escp could not read its structure".into(),
            help: "open it in a spreadsheet program and save it again (as XLSX or ODS)".into(),
            sheet: None,
            at: None,
        })
    })
}

enum Failure {
    Refused(Refused),
    Calamine(calamine::XlsxError),
}

/// An XLSX sheet, cell by cell: no block of the sheet's whole extent is
/// ever built.
fn xlsx_sheet(book: &mut calamine::Xlsx<Cursor<&[u8]>>, name: &str) -> Result<Sheet, Failure> {
    let merges = book.merge_cells_by_sheet_name(name).unwrap_or_default();
    let mut sheet = Sheet {
        name: name.to_string(),
        merges: merges.iter().map(merge).collect(),
        ..Sheet::default()
    };
    let mut cells = book
        .worksheet_cells_reader(name)
        .map_err(Failure::Calamine)?;
    while let Some(record) = cells
        .next_cell_with_formula_metadata()
        .map_err(Failure::Calamine)?
    {
        let value = match (&record.value, &record.formula) {
            (DataRef::Empty, Some(_)) => Value::Uncalculated,
            (DataRef::String(s), Some(_)) if s.is_empty() => Value::Uncalculated,
            (DataRef::SharedString(""), Some(_)) => Value::Uncalculated,
            (v, _) => value_ref(v),
        };
        if value == Value::Empty {
            continue;
        }
        let (row, col) = record.pos;
        bound(name, row, col).map_err(Failure::Refused)?;
        sheet.set(row as usize, col as usize, value);
    }
    Ok(sheet)
}

fn bound(sheet: &str, row: u32, col: u32) -> Result<(), Refused> {
    if row >= MAX_ROWS || col >= MAX_COLUMNS {
        return Err(guard::too_many(
            sheet,
            u64::from(row) + 1,
            u64::from(col) + 1,
        ));
    }
    Ok(())
}

fn merge(d: &calamine::Dimensions) -> Merge {
    Merge {
        first: d.start,
        last: d.end,
    }
}

/// An XLS or ODS sheet, from calamine's block of values (bounded by the
/// guard before calamine built it).
fn range_sheet(
    name: &str,
    values: &calamine::Range<Data>,
    formulas: Option<&calamine::Range<String>>,
    merges: &[calamine::Dimensions],
) -> Result<Sheet, Refused> {
    let mut sheet = Sheet {
        name: name.to_string(),
        merges: merges.iter().map(merge).collect(),
        ..Sheet::default()
    };
    let (row0, col0) = values.start().unwrap_or((0, 0));
    for (r, c, data) in values.used_cells() {
        let (row, col) = (row0 + r as u32, col0 + c as u32);
        bound(name, row, col)?;
        sheet.set(row as usize, col as usize, value(data));
    }
    if let Some(formulas) = formulas {
        let (frow0, fcol0) = formulas.start().unwrap_or((0, 0));
        for (r, c, formula) in formulas.used_cells() {
            let (row, col) = (frow0 + r as u32, fcol0 + c as u32);
            if formula.is_empty() || row >= MAX_ROWS || col >= MAX_COLUMNS {
                continue;
            }
            if *sheet.get(row as usize, col as usize) == Value::Empty {
                sheet.set(row as usize, col as usize, Value::Uncalculated);
            }
        }
    }
    Ok(sheet)
}

fn value(data: &Data) -> Value {
    match data {
        Data::Int(i) => Value::Number(*i as f64),
        Data::Float(f) => Value::Number(*f),
        Data::String(s) => Value::Text(s.clone()),
        Data::Bool(b) => Value::Bool(*b),
        Data::DateTime(d) => Value::Date(date_text(d)),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Value::Date(s.clone()),
        Data::Error(e) => Value::Error(e.to_string()),
        Data::Empty => Value::Empty,
    }
}

fn value_ref(data: &DataRef<'_>) -> Value {
    match data {
        DataRef::Int(i) => Value::Number(*i as f64),
        DataRef::Float(f) => Value::Number(*f),
        DataRef::String(s) => Value::Text(s.clone()),
        DataRef::SharedString(s) => Value::Text((*s).to_string()),
        DataRef::Bool(b) => Value::Bool(*b),
        DataRef::DateTime(d) => Value::Date(date_text(d)),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Value::Date(s.clone()),
        DataRef::Error(e) => Value::Error(e.to_string()),
        DataRef::Empty => Value::Empty,
    }
}

/// An Excel date as ISO 8601 text: "2020-05-01", or with its time.
fn date_text(d: &calamine::ExcelDateTime) -> String {
    let (y, mo, day, h, mi, s, _) = d.to_ymd_hms_milli();
    if d.is_duration() {
        let hours = (d.as_f64() * 24.0).floor();
        return format!("{hours}:{mi:02}:{s:02}");
    }
    if (h, mi, s) == (0, 0, 0) {
        format!("{y:04}-{mo:02}-{day:02}")
    } else {
        format!("{y:04}-{mo:02}-{day:02}T{h:02}:{mi:02}:{s:02}")
    }
}

/// The most cells that merged ranges may fill in one sheet.
const MAX_FILLED: usize = 1_000_000;

/// A merged range's value belongs to every row it covers (a country merged
/// over three partners is each one's country): the first column of each
/// merged range takes its value, down to the last row read. Columns to the
/// right stay empty (a title merged across the sheet is one value).
fn fill_merges(sheet: &mut Sheet) {
    let mut budget = MAX_FILLED;
    let merges = sheet.merges.clone();
    for m in merges.iter().take(10_000) {
        let (row, col) = (m.first.0 as usize, m.first.1 as usize);
        let value = sheet.get(row, col).clone();
        if value.is_empty() {
            continue;
        }
        let last = (m.last.0 as usize).min(sheet.rows.len().saturating_sub(1));
        for r in row + 1..=last {
            if budget == 0 {
                return;
            }
            budget -= 1;
            if sheet.get(r, col).is_empty() {
                sheet.set(r, col, value.clone());
            }
        }
    }
}

/// A CSV file as one sheet named after the file. The text may be UTF-8
/// (with or without a byte-order mark), UTF-16 with a byte-order mark, or
/// Windows-1252 (what Excel writes as "CSV" on Windows): a note says so.
/// The delimiter (comma, semicolon, tab or bar) is the one that splits the
/// first lines most consistently.
fn csv_sheet(bytes: &[u8], name: &str, notes: &mut Vec<Diagnostic>) -> Result<Sheet, Refused> {
    let text = decode(bytes, notes);
    let delimiter = sniff(&text);
    let sheet_name = std::path::Path::new(name)
        .file_stem()
        .and_then(|s| s.to_str())
        .filter(|s| !s.is_empty() && *s != "-" && !s.starts_with('<'))
        .unwrap_or("CSV")
        .to_string();
    let mut sheet = Sheet {
        name: sheet_name.clone(),
        ..Sheet::default()
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut record = csv::StringRecord::new();
    let mut row = 0u32;
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                return Err(Refused {
                    message: format!(
                        "the CSV file cannot be read at line {}: {}",
                        e.position().map_or(0, |p| p.line()),
                        crate::text::clean(&e.to_string())
                    ),
                    help: "save the partner list again from a spreadsheet program as CSV".into(),
                    sheet: Some(sheet_name),
                    at: None,
                })
            }
        }
        for (col, field) in record.iter().enumerate() {
            if field.trim().is_empty() {
                continue;
            }
            bound(&sheet_name, row, col.min(u32::MAX as usize) as u32)?;
            sheet.set(row as usize, col, Value::Text(field.to_string()));
        }
        row = row.saturating_add(1);
    }
    Ok(sheet)
}

fn decode(bytes: &[u8], notes: &mut Vec<Diagnostic>) -> String {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom..]);
        return text.into_owned();
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => {
            notes.push(
                Diagnostic::note(
                    "encoding",
                    "the CSV file is not UTF-8: it was read as Windows-1252 (what Excel writes on Windows)",
                )
                .help("if accented letters look wrong, save the file as \"CSV UTF-8\""),
            );
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
            text.into_owned()
        }
    }
}

/// The delimiter that gives the same number of fields (more than one) on
/// most of the first lines; a comma when none does.
fn sniff(text: &str) -> u8 {
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(20)
        .collect();
    let mut best = (b',', 0usize, 0usize);
    for delimiter in [b',', b';', b'\t', b'|'] {
        let counts: Vec<usize> = lines.iter().map(|l| outside_quotes(l, delimiter)).collect();
        let mut modes: std::collections::HashMap<usize, usize> = Default::default();
        for &c in counts.iter().filter(|&&c| c > 0) {
            *modes.entry(c).or_default() += 1;
        }
        if let Some((&count, &lines)) = modes.iter().max_by_key(|(c, n)| (**n, **c)) {
            if (lines, count) > (best.1, best.2) {
                best = (delimiter, lines, count);
            }
        }
    }
    best.0
}

fn outside_quotes(line: &str, delimiter: u8) -> usize {
    let mut quoted = false;
    let mut count = 0;
    for b in line.bytes() {
        if b == b'"' {
            quoted = !quoted;
        } else if b == delimiter && !quoted {
            count += 1;
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    fn csv(text: &[u8]) -> (Sheet, Vec<Diagnostic>) {
        let mut notes = Vec::new();
        let sheet = csv_sheet(text, "partners.csv", &mut notes).unwrap();
        (sheet, notes)
    }

    #[test]
    fn csv_delimiters_are_sniffed() {
        let (s, _) = csv(b"Name;Country\n\"Foo, Inc.\";DE\nBar;FR\n");
        assert_eq!(s.get(1, 0), &Value::Text("Foo, Inc.".into()));
        assert_eq!(s.get(1, 1), &Value::Text("DE".into()));
        let (s, _) = csv(b"Name\tCountry\nFoo\tDE\n");
        assert_eq!(s.get(1, 1), &Value::Text("DE".into()));
        let (s, _) = csv(b"Name,Country\nFoo,DE\n");
        assert_eq!(s.get(1, 1), &Value::Text("DE".into()));
        assert_eq!(s.name, "partners");
    }

    #[test]
    fn csv_encodings_are_read_with_a_note_for_windows_1252() {
        let (s, notes) = csv(b"Name\n\xe9cole\n");
        assert_eq!(s.get(1, 0), &Value::Text("école".into()));
        assert_eq!(notes.len(), 1);
        let (s, notes) = csv("\u{feff}Name\nÉcole\n".as_bytes());
        assert_eq!(s.get(0, 0), &Value::Text("Name".into()));
        assert_eq!(s.get(1, 0), &Value::Text("École".into()));
        assert!(notes.is_empty());
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("A\tB\n1\t2\n".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let (s, _) = csv(&utf16);
        assert_eq!(s.get(1, 1), &Value::Text("2".into()));
    }

    #[test]
    fn a_csv_beyond_the_bounds_is_refused() {
        let mut text = String::from("Name\n");
        for _ in 0..MAX_ROWS {
            text.push_str("x\n");
        }
        let err = csv_sheet(text.as_bytes(), "p.csv", &mut Vec::new()).unwrap_err();
        assert!(err.message.contains("beyond row 10,000"), "{}", err.message);
        let wide = format!("{}x\n", ",".repeat(MAX_COLUMNS as usize));
        let err = csv_sheet(wide.as_bytes(), "p.csv", &mut Vec::new()).unwrap_err();
        assert!(err.message.contains("beyond column"), "{}", err.message);
        // Empty rows and fields beyond the bounds are not values.
        let mut text = String::from("Name\nx\n");
        text.push_str(&"\n".repeat(MAX_ROWS as usize + 5));
        assert!(csv_sheet(text.as_bytes(), "p.csv", &mut Vec::new()).is_ok());
    }

    #[test]
    fn kinds_are_detected_from_the_bytes() {
        assert_eq!(Kind::detect(b"a,b\n", None), Ok(Kind::Csv));
        assert_eq!(
            Kind::detect(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0], None),
            Ok(Kind::Xls)
        );
        let err = Kind::detect(b"a,b\n", Some(Kind::Xlsx)).unwrap_err();
        assert!(err.message.contains("not a zip archive"), "{}", err.message);
        let err = Kind::detect(b"<html><table>", Some(Kind::Xls)).unwrap_err();
        assert!(err.message.contains("HTML"), "{}", err.message);
        assert_eq!(Kind::from_name("Partners.XLSX"), Some(Kind::Xlsx));
        assert_eq!(Kind::from_name("p"), None);
    }

    #[test]
    fn merged_cells_fill_the_rows_they_cover() {
        let mut sheet = Sheet::default();
        sheet.set(0, 0, Value::Text("Italy".into()));
        sheet.set(2, 1, Value::Text("x".into()));
        sheet.merges.push(Merge {
            first: (0, 0),
            last: (u32::MAX, 3),
        });
        fill_merges(&mut sheet);
        assert_eq!(sheet.get(2, 0), &Value::Text("Italy".into()));
        assert_eq!(sheet.get(0, 1), &Value::Empty);
        assert_eq!(sheet.rows.len(), 3);
    }
}
