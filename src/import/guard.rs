//! Looking into a workbook before calamine reads it. A spreadsheet is
//! untrusted input: an XLSX or ODS file is a zip archive (a few kilobytes
//! can claim gigabytes), and calamine builds each sheet as one dense block
//! of cells from its highest row and column, so one cell at `XFD1048576`
//! would ask for seventeen billion. Everything here refuses such a file
//! with a clear error before any of it is decompressed or allocated:
//!
//! - the file itself is at most [`MAX_FILE`];
//! - a zip archive has at most [`MAX_ENTRIES`] entries, each declared at
//!   most [`MAX_ENTRY`] once decompressed and [`MAX_UNPACKED`] together (the
//!   zip reader stops an entry that decompresses beyond its declared size);
//! - the shared-strings table of an XLSX declares at most
//!   [`MAX_SHARED_STRINGS`] strings (calamine reserves room for them all);
//! - an ODS sheet, its repeated rows and columns counted, and an XLS sheet,
//!   its declared dimensions and every cell record, stay within
//!   [`MAX_ROWS`] rows and [`MAX_COLUMNS`] columns of values.
//!
//! XLSX sheets are read cell by cell ([`super::read`]), with the same bounds.

use super::cell::Merge;
use std::io::{Cursor, Read};

/// The largest spreadsheet file read: a partner list of 10,000 rows is a
/// few megabytes.
pub const MAX_FILE: usize = 32 * 1024 * 1024;
/// The most entries a zip archive may have.
pub const MAX_ENTRIES: usize = 10_000;
/// The largest declared size of one decompressed entry.
pub const MAX_ENTRY: u64 = 128 * 1024 * 1024;
/// The largest declared size of all entries together.
pub const MAX_UNPACKED: u64 = 256 * 1024 * 1024;
/// The most shared strings an XLSX may declare.
pub const MAX_SHARED_STRINGS: u64 = 1_000_000;
/// The most rows of values read from a sheet (the header and title rows
/// included): far more than any consortium.
pub const MAX_ROWS: u32 = 10_000;
/// The most columns of values read from a sheet.
pub const MAX_COLUMNS: u32 = 200;
/// The most cells an XLS sheet may declare in its dimensions (calamine
/// reserves room for them).
const MAX_DECLARED_CELLS: u64 = 4 * 1024 * 1024;

/// Why a file is refused, in a sentence, with what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub message: String,
    pub help: String,
    /// The sheet it concerns, if one.
    pub sheet: Option<String>,
    /// The cell it concerns in that sheet (0-based row and column), if one.
    pub at: Option<(u32, u32)>,
}

fn refuse(message: impl Into<String>, help: impl Into<String>) -> Refused {
    Refused {
        message: message.into(),
        help: help.into(),
        sheet: None,
        at: None,
    }
}

/// A sheet with values beyond the bounds: `row` and `col` are the 1-based
/// row and column of the farthest value found.
pub(crate) fn too_many(sheet: &str, row: u64, col: u64) -> Refused {
    let shown = crate::text::clean(sheet);
    let at = format!(
        "{}{}",
        super::cell::column_letters(col.saturating_sub(1).min(u64::from(u32::MAX)) as u32),
        row
    );
    let what = if row > u64::from(MAX_ROWS) {
        format!(
            "sheet \"{shown}\" has a value at {at}, beyond row {}: escp reads at most {} rows of a sheet",
            group(u64::from(MAX_ROWS)),
            group(u64::from(MAX_ROWS))
        )
    } else {
        format!(
            "sheet \"{shown}\" has a value at {at}, beyond column {}: escp reads at most {} columns of a sheet",
            super::cell::column_letters(MAX_COLUMNS - 1),
            MAX_COLUMNS
        )
    };
    Refused {
        message: what,
        help: "a partner list is far smaller: copy the partner list to a workbook of its own, or delete the values below and to the right of it".into(),
        sheet: Some(sheet.to_string()),
        at: Some((
            row.saturating_sub(1).min(u64::from(u32::MAX)) as u32,
            col.saturating_sub(1).min(u64::from(u32::MAX)) as u32,
        )),
    }
}

fn group(n: u64) -> String {
    crate::money::group_thousands(&n.to_string(), ',')
}

/// Checks a zip archive's declared sizes (and, for an XLSX, its shared
/// strings; for an ODS, its sheets) before calamine opens it. Returns the
/// merged ranges of an ODS's sheets, by sheet name, which calamine does not
/// report.
pub fn zip(bytes: &[u8], ods: bool) -> Result<Vec<(String, Vec<Merge>)>, Refused> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
        refuse(
            format!("the file is not a readable workbook: its zip archive is damaged ({e})"),
            "open it in a spreadsheet program and save it again",
        )
    })?;
    if archive.len() > MAX_ENTRIES {
        return Err(refuse(
            format!(
                "the workbook's archive has {} parts; escp reads workbooks of at most {}",
                group(archive.len() as u64),
                group(MAX_ENTRIES as u64)
            ),
            "save the partner list as a workbook of its own",
        ));
    }
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let entry = archive.by_index_raw(i).map_err(|e| {
            refuse(
                format!("the workbook's archive is damaged ({e})"),
                "open it in a spreadsheet program and save it again",
            )
        })?;
        if entry.encrypted() {
            return Err(password());
        }
        let size = entry.size();
        total = total.saturating_add(size);
        if size > MAX_ENTRY || total > MAX_UNPACKED {
            return Err(refuse(
                format!(
                    "the workbook would decompress to more than {} MiB (its part \"{}\" alone claims {} MiB): escp does not read it",
                    if size > MAX_ENTRY { MAX_ENTRY } else { MAX_UNPACKED } / (1024 * 1024),
                    crate::text::clean(&entry.name().map(|n| n.into_owned()).unwrap_or_default()),
                    size / (1024 * 1024)
                ),
                "a partner list is far smaller; if this is a real workbook, copy the partner list to a new one",
            ));
        }
    }
    if ods {
        return ods_sheets(&mut archive);
    }
    shared_strings(&mut archive)?;
    Ok(Vec::new())
}

fn password() -> Refused {
    refuse(
        "the workbook is password-protected (encrypted): escp cannot read it",
        "open it in a spreadsheet program, remove the password (or save an unprotected copy), then import that copy",
    )
}

/// The `uniqueCount` of an XLSX's shared-strings table, bounded.
fn shared_strings(archive: &mut zip::ZipArchive<Cursor<&[u8]>>) -> Result<(), Refused> {
    let names: Vec<usize> = (0..archive.len())
        .filter(|&i| {
            archive
                .name_for_index(i)
                .and_then(|n| n.ok())
                .is_some_and(|n| n.to_ascii_lowercase().ends_with("sharedstrings.xml"))
        })
        .collect();
    for i in names {
        let Ok(entry) = archive.by_index(i) else {
            continue;
        };
        // The table's start tag is in its first bytes in any file a
        // spreadsheet program wrote.
        let mut head = Vec::new();
        if entry.take(64 * 1024).read_to_end(&mut head).is_err() {
            return Err(refuse(
                "the workbook's shared strings cannot be read: the file is damaged",
                "open it in a spreadsheet program and save it again",
            ));
        }
        let text = String::from_utf8_lossy(&head);
        let Some(start) = text.find("<sst").or_else(|| text.find(":sst")) else {
            continue;
        };
        let Some(end) = text[start..].find('>') else {
            return Err(refuse(
                "the workbook's shared strings do not start as a spreadsheet program writes them",
                "open it in a spreadsheet program and save it again",
            ));
        };
        let tag = &text[start..start + end];
        if let Some(at) = tag.find("uniqueCount=") {
            let digits: String = tag[at + "uniqueCount=".len()..]
                .chars()
                .skip(1)
                .take_while(|c| c.is_ascii_digit())
                .collect();
            let count: u64 = digits.parse().unwrap_or(u64::MAX);
            if count > MAX_SHARED_STRINGS {
                return Err(refuse(
                    format!(
                        "the workbook declares {} different texts; escp reads workbooks of at most {}",
                        if count == u64::MAX { "countless".to_string() } else { group(count) },
                        group(MAX_SHARED_STRINGS)
                    ),
                    "a partner list is far smaller; copy it to a new workbook",
                ));
            }
        }
    }
    Ok(())
}

/// Scans an ODS's sheets (`content.xml`) for their extent, repeated rows
/// and columns counted as calamine will expand them, and collects their
/// merged ranges.
fn ods_sheets(
    archive: &mut zip::ZipArchive<Cursor<&[u8]>>,
) -> Result<Vec<(String, Vec<Merge>)>, Refused> {
    use quick_xml::events::Event;
    let Ok(content) = archive.by_name("content.xml") else {
        // calamine reports the missing part.
        return Ok(Vec::new());
    };
    let mut reader = quick_xml::Reader::from_reader(std::io::BufReader::new(content));
    let mut buf = Vec::new();
    let mut out = Vec::new();
    let damaged = |e: &dyn std::fmt::Display| {
        refuse(
            format!("the workbook's sheets cannot be read: the file is damaged ({e})"),
            "open it in a spreadsheet program and save it again",
        )
    };
    // The sheet being scanned.
    struct Table {
        name: String,
        row: u64,
        first_row: Option<u64>,
        last_row: u64,
        first_col: u64,
        last_col: u64,
        merges: Vec<Merge>,
        // Within a row:
        in_row: Option<u64>,
        col: u64,
        row_has: bool,
    }
    let mut table: Option<Table> = None;
    let number = |e: &quick_xml::events::BytesStart<'_>, name: &str| -> Option<u64> {
        let attr = e.try_get_attribute(name).ok().flatten()?;
        attr.value.parse().ok()
    };
    loop {
        let event = reader.read_event_into(&mut buf).map_err(|e| damaged(&e))?;
        let (start, empty) = match &event {
            Event::Start(e) => (Some(e.clone()), false),
            Event::Empty(e) => (Some(e.clone()), true),
            _ => (None, false),
        };
        if let Some(e) = start {
            match e.name().as_ref() {
                "table:table" => {
                    let name = e
                        .try_get_attribute("table:name")
                        .ok()
                        .flatten()
                        .map(|a| a.value.into_owned())
                        .unwrap_or_default();
                    table = Some(Table {
                        name,
                        row: 0,
                        first_row: None,
                        last_row: 0,
                        first_col: u64::MAX,
                        last_col: 0,
                        merges: Vec::new(),
                        in_row: None,
                        col: 0,
                        row_has: false,
                    });
                }
                "table:table-row" => {
                    if let Some(t) = table.as_mut() {
                        let repeats = number(&e, "table:number-rows-repeated").unwrap_or(1);
                        let repeats = repeats.min(1_048_576u64.saturating_sub(t.row)).max(1);
                        if empty {
                            t.row += repeats;
                        } else {
                            t.in_row = Some(repeats);
                            t.col = 0;
                            t.row_has = false;
                        }
                    }
                }
                "table:table-cell" | "table:covered-table-cell" => {
                    if let Some(t) = table.as_mut().filter(|t| t.in_row.is_some()) {
                        let repeats = number(&e, "table:number-columns-repeated")
                            .unwrap_or(1)
                            .min(16_384u64.saturating_sub(t.col))
                            .max(1);
                        let has_value = !empty
                            || e.try_get_attribute("office:value-type")
                                .ok()
                                .flatten()
                                .is_some()
                            || e.try_get_attribute("table:formula")
                                .ok()
                                .flatten()
                                .is_some();
                        if has_value {
                            t.first_col = t.first_col.min(t.col);
                            t.last_col = t.last_col.max(t.col + repeats - 1);
                            t.row_has = true;
                        }
                        let rows = number(&e, "table:number-rows-spanned").unwrap_or(1);
                        let cols = number(&e, "table:number-columns-spanned").unwrap_or(1);
                        if (rows > 1 || cols > 1) && t.merges.len() < 100_000 {
                            let r = t.row.min(u64::from(u32::MAX)) as u32;
                            let c = t.col.min(u64::from(u32::MAX)) as u32;
                            t.merges.push(Merge {
                                first: (r, c),
                                last: (
                                    r.saturating_add((rows - 1).min(u64::from(u32::MAX)) as u32),
                                    c.saturating_add((cols - 1).min(u64::from(u32::MAX)) as u32),
                                ),
                            });
                        }
                        t.col += repeats;
                        if !empty {
                            let end = e.to_end().into_owned();
                            let mut skip = Vec::new();
                            reader
                                .read_to_end_into(end.name(), &mut skip)
                                .map_err(|e| damaged(&e))?;
                        }
                    }
                }
                _ => {}
            }
        }
        match &event {
            Event::End(e) if e.name().as_ref() == "table:table-row" => {
                if let Some(t) = table.as_mut() {
                    if let Some(repeats) = t.in_row.take() {
                        if t.row_has {
                            t.first_row.get_or_insert(t.row);
                            t.last_row = t.row + repeats - 1;
                        }
                        t.row += repeats;
                        check_extent(t.first_row, t.last_row, t.first_col, t.last_col, &t.name)?;
                    }
                }
            }
            Event::End(e) if e.name().as_ref() == "table:table" => {
                if let Some(t) = table.take() {
                    check_extent(t.first_row, t.last_row, t.first_col, t.last_col, &t.name)?;
                    out.push((t.name, t.merges));
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(out)
}

fn check_extent(
    first_row: Option<u64>,
    last_row: u64,
    first_col: u64,
    last_col: u64,
    sheet: &str,
) -> Result<(), Refused> {
    let Some(first_row) = first_row else {
        return Ok(());
    };
    // calamine keeps the rows above the first value out of its block, but
    // the positions are absolute: the bound is on the last row and column.
    let _ = (first_row, first_col);
    if last_row >= u64::from(MAX_ROWS) || last_col >= u64::from(MAX_COLUMNS) {
        return Err(too_many(sheet, last_row + 1, last_col + 1));
    }
    Ok(())
}

/// Checks an XLS (a compound file holding BIFF records): not encrypted, and
/// every sheet's declared dimensions and cell records within bounds.
pub fn xls(bytes: &[u8]) -> Result<(), Refused> {
    let damaged = |e: &dyn std::fmt::Display| {
        refuse(
            format!("the file is not a readable XLS workbook ({e})"),
            "open it in a spreadsheet program and save it again (as XLSX)",
        )
    };
    let mut file = cfb::CompoundFile::open(Cursor::new(bytes)).map_err(|e| damaged(&e))?;
    if file.exists("/EncryptedPackage") || file.exists("EncryptedPackage") {
        return Err(password());
    }
    let path = ["/Workbook", "/Book", "/WORKBOOK", "/BOOK"]
        .into_iter()
        .find(|p| file.is_stream(p))
        .ok_or_else(|| {
            refuse(
                "the file is a compound document but not an XLS workbook (it has no workbook stream)",
                "open it in a spreadsheet program and save it as XLSX",
            )
        })?;
    let mut stream = Vec::new();
    file.open_stream(path)
        .map_err(|e| damaged(&e))?
        .take(MAX_FILE as u64)
        .read_to_end(&mut stream)
        .map_err(|e| damaged(&e))?;
    // The globals: FILEPASS means encryption; BOUNDSHEET gives each sheet's
    // offset and name.
    let mut sheets: Vec<(usize, String)> = Vec::new();
    for (typ, data) in records(&stream, 0) {
        match typ {
            0x002F => return Err(password()),
            0x0085 if data.len() >= 8 => {
                let offset = u32::from_le_bytes([data[0], data[1], data[2], data[3]]) as usize;
                sheets.push((offset, sheet_name(data)));
            }
            0x000A => break,
            _ => {}
        }
    }
    for (offset, name) in sheets.into_iter().take(1_000) {
        for (typ, data) in records(&stream, offset) {
            let u16_at = |i: usize| -> u64 {
                data.get(i..i + 2)
                    .map_or(0, |b| u64::from(u16::from_le_bytes([b[0], b[1]])))
            };
            match typ {
                0x0200 => {
                    let (rows, cols) = match data.len() {
                        10 => (
                            u16_at(2).saturating_sub(u16_at(0)),
                            u16_at(6).saturating_sub(u16_at(4)),
                        ),
                        14 | 16 => {
                            let u32_at = |i: usize| -> u64 {
                                u64::from(u32::from_le_bytes([
                                    data[i],
                                    data[i + 1],
                                    data[i + 2],
                                    data[i + 3],
                                ]))
                            };
                            (
                                u32_at(4).saturating_sub(u32_at(0)),
                                u16_at(10).saturating_sub(u16_at(8)),
                            )
                        }
                        _ => (0, 0),
                    };
                    if rows.saturating_mul(cols) > MAX_DECLARED_CELLS {
                        return Err(too_many(&name, rows.min(u64::from(MAX_ROWS) + 1), cols));
                    }
                }
                // Number, Label, RString, BoolErr, RK, LabelSst, Formula:
                // row and column first.
                0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006 => {
                    let (row, col) = (u16_at(0), u16_at(2));
                    if row >= u64::from(MAX_ROWS) || col >= u64::from(MAX_COLUMNS) {
                        return Err(too_many(&name, row + 1, col + 1));
                    }
                }
                // MulRk: row, first column, then 6 bytes per cell.
                0x00BD => {
                    let (row, col) = (u16_at(0), u16_at(2));
                    let last = col + (data.len().saturating_sub(6) / 6) as u64;
                    if row >= u64::from(MAX_ROWS) || last >= u64::from(MAX_COLUMNS) {
                        return Err(too_many(&name, row + 1, last + 1));
                    }
                }
                0x000A => break,
                _ => {}
            }
        }
    }
    Ok(())
}

/// The name in a BOUNDSHEET record (BIFF8: a short string at offset 6, in
/// Latin-1 or UTF-16), for messages only.
fn sheet_name(data: &[u8]) -> String {
    let (Some(&count), Some(&flags)) = (data.get(6), data.get(7)) else {
        return String::new();
    };
    let count = usize::from(count);
    let text = &data[8.min(data.len())..];
    let name: String = if flags & 1 == 1 {
        let units: Vec<u16> = text
            .chunks_exact(2)
            .take(count)
            .map(|b| u16::from_le_bytes([b[0], b[1]]))
            .collect();
        String::from_utf16_lossy(&units)
    } else {
        text.iter().take(count).map(|&b| char::from(b)).collect()
    };
    name.chars().filter(|c| !c.is_control()).collect()
}

/// The BIFF records of a stream from `offset`: (type, data), until the data
/// ends or a record is cut short.
fn records(stream: &[u8], offset: usize) -> impl Iterator<Item = (u16, &[u8])> {
    let mut at = offset;
    std::iter::from_fn(move || {
        let header = stream.get(at..at.checked_add(4)?)?;
        let typ = u16::from_le_bytes([header[0], header[1]]);
        let len = usize::from(u16::from_le_bytes([header[2], header[3]]));
        let data = stream.get(at + 4..at + 4 + len)?;
        at += 4 + len;
        Some((typ, data))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_stop_at_a_record_cut_short() {
        let stream = [0x09, 0x08, 2, 0, 1, 2, 0x0a, 0, 5, 0, 1];
        let all: Vec<(u16, Vec<u8>)> = records(&stream, 0).map(|(t, d)| (t, d.to_vec())).collect();
        assert_eq!(all, vec![(0x0809, vec![1, 2])]);
        assert_eq!(records(&stream, 1000).count(), 0);
        assert_eq!(records(&stream, usize::MAX).count(), 0);
    }

    #[test]
    fn a_damaged_zip_is_refused_with_a_reason() {
        let err = zip(b"PK\x03\x04 not really", false).unwrap_err();
        assert!(err.message.contains("damaged"), "{}", err.message);
    }
}
