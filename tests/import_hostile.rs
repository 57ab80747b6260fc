//! Hostile and odd spreadsheets: each is refused with a clear error (exit
//! code 2) or read with a warning, never a panic, a hang or an unbounded
//! allocation; and any cell's content reads back the same from the
//! written TOML (property test).

mod common;

use common::{code, escp_with_input, stderr};
use escp::import::{self, Options};
use proptest::prelude::*;
use std::io::Write;
use std::time::{Duration, Instant};

const FIXTURES: &str = "tests/fixtures/spreadsheets";

/// Imports `bytes` through the command; returns the exit code and stderr.
fn import_bytes(bytes: &[u8], args: &[&str]) -> (i32, String) {
    let mut all = vec!["import", "-"];
    all.extend_from_slice(args);
    let started = Instant::now();
    let out = escp_with_input(&common::root(), &all, bytes);
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "took {:?}",
        started.elapsed()
    );
    let err = stderr(&out);
    assert!(
        !err.contains("panicked") && !err.contains("RUST_BACKTRACE"),
        "{err}"
    );
    (code(&out), err)
}

fn refused(bytes: &[u8], why: &str) {
    let (exit, err) = import_bytes(bytes, &[]);
    assert_eq!(exit, 2, "{err}");
    assert!(err.contains(why), "expected {why:?} in: {err}");
}

/// A zip archive of (name, content) entries, deflated.
fn zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    for (name, content) in entries {
        out.start_file(*name, options).unwrap();
        out.write_all(content).unwrap();
    }
    out.finish().unwrap().into_inner()
}

#[test]
fn damaged_encrypted_and_disguised_files_are_refused() {
    let fixture = |f: &str| std::fs::read(common::root().join(FIXTURES).join(f)).unwrap();
    refused(&fixture("encrypted.xlsx"), "password-protected");
    let good = fixture("filled-template.xlsx");
    refused(&good[..good.len() / 2], "damaged");
    let ods = fixture("filled-template.ods");
    refused(&ods[..ods.len() / 3], "damaged");
    let xls = fixture("filled-template.xls");
    refused(&xls[..xls.len() / 2], "XLS");
    refused(b"<html><body><table><tr><td>Name</td></tr></table>", "HTML");
    refused(b"", "no header row");
    refused(b"just some words\nwithout any header\n", "no header row");
    refused(&[0u8; 1000], "neither a workbook");
    let mut junk = b"PK\x03\x04".to_vec();
    junk.extend(std::iter::repeat_n(0xAB, 5000));
    refused(&junk, "damaged");
}

#[test]
fn a_workbook_that_trips_the_reader_is_a_damaged_file_not_a_crash() {
    // Found by the fuzzer (fuzz/fuzz_targets/import.rs): an XLS whose sheet
    // record is cut short made calamine index past its end.
    let bytes = std::fs::read(
        common::root()
            .join(FIXTURES)
            .join("fuzz-short-boundsheet.xls"),
    )
    .unwrap();
    refused(&bytes, "damaged");
    let catalog = escp::ruleset::Catalog::embedded();
    let error = import::import(
        &bytes,
        "x.xls",
        Some(import::Kind::Xls),
        &Options::default(),
        &catalog,
    )
    .unwrap_err();
    assert_eq!(error.code, "unreadable");
}

#[test]
fn a_zip_bomb_is_refused_before_it_is_decompressed() {
    // 130 MiB of zeros in a sheet: a few hundred kilobytes of file.
    let zeros = vec![0u8; 130 * 1024 * 1024];
    let bomb = zip(&[
        ("[Content_Types].xml", b"<Types/>"),
        ("xl/worksheets/sheet1.xml", &zeros),
    ]);
    assert!(bomb.len() < 2 * 1024 * 1024);
    refused(&bomb, "would decompress to more than");
}

#[test]
fn a_shared_strings_table_that_claims_billions_is_refused() {
    let sst = br#"<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="4000000000" uniqueCount="4000000000"><si><t>x</t></si></sst>"#;
    let book = zip(&[
        ("[Content_Types].xml", b"<Types/>"),
        ("xl/sharedStrings.xml", sst),
    ]);
    refused(&book, "different texts");
}

#[test]
fn an_ods_that_repeats_a_cell_a_billion_times_is_refused() {
    let content = br#"<?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet><table:table table:name="Partners"><table:table-row><table:table-cell office:value-type="string"><text:p>Name</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>Country</text:p></table:table-cell></table:table-row><table:table-row table:number-rows-repeated="1048570"><table:table-cell table:number-columns-repeated="95" office:value-type="float" office:value="1"/></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#;
    let book = zip(&[
        (
            "mimetype",
            b"application/vnd.oasis.opendocument.spreadsheet",
        ),
        ("content.xml", content),
    ]);
    refused(&book, "beyond row 10,000");
}

#[test]
fn a_sheet_of_a_million_rows_is_refused_with_the_cell_beyond_the_bounds() {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Partners").unwrap();
    sheet.write_string(0, 0, "Name").unwrap();
    sheet.write_string(0, 1, "Country").unwrap();
    sheet.write_string(1_048_575, 16_383, "far").unwrap();
    let bytes = book.save_to_buffer().unwrap();
    refused(&bytes, "Partners!XFD1048576");
    // So do the fixtures LibreOffice and openpyxl wrote with a value at row 20,000.
    for f in ["far-cell.xlsx", "far-cell.ods", "far-cell.xls"] {
        let bytes = std::fs::read(common::root().join(FIXTURES).join(f)).unwrap();
        let (exit, err) = import_bytes(&bytes, &[]);
        assert_eq!(exit, 2, "{f}: {err}");
        assert!(err.contains("beyond row 10,000"), "{f}: {err}");
    }
}

#[test]
fn a_wide_csv_and_a_long_one_are_refused() {
    let wide = format!("Name,Country{}\nx,DE\n", ",x".repeat(300));
    refused(wide.as_bytes(), "beyond column");
    let mut long = String::from("Name,Country\n");
    for i in 0..10_001 {
        long.push_str(&format!("c{i},DE\n"));
    }
    refused(long.as_bytes(), "beyond row 10,000");
}

/// A minimal XLSX whose one sheet is `rows` (the XML of its `<row>`s).
fn xlsx(rows: &str) -> Vec<u8> {
    let sheet = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{rows}</sheetData></worksheet>"#
    );
    zip(&[
        ("[Content_Types].xml", br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#),
        ("_rels/.rels", br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#),
        ("xl/workbook.xml", br#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Partners" sheetId="1" r:id="rId1"/></sheets></workbook>"#),
        ("xl/_rels/workbook.xml.rels", br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#),
        ("xl/worksheets/sheet1.xml", sheet.as_bytes()),
    ])
}

#[test]
fn formulas_without_values_error_cells_and_booleans_are_named_at_their_cell() {
    let text = |r: &str, t: &str| format!(r#"<c r="{r}" t="inlineStr"><is><t>{t}</t></is></c>"#);
    let rows = format!(
        r#"<row r="1">{}{}{}{}</row><row r="2">{}{}{}<c r="D2"><f>SUM(X1:X9)</f></c></row><row r="3">{}<c r="B3" t="b"><v>1</v></c>{}<c r="D3" t="e"><v>#DIV/0!</v></c></row>"#,
        text("A1", "Short name"),
        text("B1", "Name"),
        text("C1", "Country"),
        text("D1", "SME members"),
        text("A2", "A"),
        text("B2", "Alpha"),
        text("C2", "DE"),
        text("A3", "B"),
        text("C3", "FR"),
    );
    let bytes = xlsx(&rows);
    let catalog = escp::ruleset::Catalog::embedded();
    let result = import::import(&bytes, "list.xlsx", None, &Options::default(), &catalog).unwrap();
    let shown: Vec<String> = result.diagnostics.iter().map(|d| d.to_string()).collect();
    let find = |cell: &str, what: &str| {
        assert!(
            shown.iter().any(|d| d.contains(cell) && d.contains(what)),
            "{cell} {what}: {shown:#?}"
        );
    };
    find("Partners!B3", "boolean");
    find("Partners!D2", "no-cached-value");
    find("Partners!D3", "#DIV/0!");
    assert!(result.toml.contains("name = \"TRUE\""), "{}", result.toml);
    assert!(
        result
            .toml
            .contains("sme_members = \"\"  # Partners!D2 holds a formula"),
        "{}",
        result.toml
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Any text in a cell (quotes, backslashes, newlines, control
    /// characters) is written as TOML that reads back as the same text,
    /// and any file name gives a valid header comment.
    #[test]
    fn any_cell_reads_back_the_same_from_the_written_file(
        names in proptest::collection::vec("\\PC*|[\"\\\\\\n\\r\\t\\u{0}-\\u{1f}\\u{7f}\\u{85}\\u{2028}\\u{202e}a ]{1,12}", 1..4),
        file in "[^\\u{0}]{0,20}",
    ) {
        let mut csv = csv::Writer::from_writer(Vec::new());
        csv.write_record(["Short name", "Name", "Country"]).unwrap();
        let kept: Vec<String> = names.iter().map(|n| n.trim().to_string()).collect();
        for (i, name) in names.iter().enumerate() {
            csv.write_record([format!("P{i}"), name.clone(), "DE".into()]).unwrap();
        }
        let bytes = csv.into_inner().unwrap();
        let catalog = escp::ruleset::Catalog::embedded();
        let name = format!("{file}.csv");
        let result = import::import(&bytes, &name, Some(import::Kind::Csv), &Options::default(), &catalog).unwrap();
        let table: toml::Table = toml::from_str(&result.toml).map_err(|e| TestCaseError::fail(format!("{e}\n{}", result.toml)))?;
        let partners = table["partner"].as_array().unwrap();
        prop_assert_eq!(partners.len(), names.len());
        for (partner, expected) in partners.iter().zip(&kept) {
            match partner.get("name").and_then(|n| n.as_str()) {
                Some(read) => prop_assert_eq!(read, expected.as_str()),
                // A name of spaces is empty: a placeholder.
                None => prop_assert!(expected.is_empty()),
            }
        }
    }
}
