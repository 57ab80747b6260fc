//! `escp import` and `escp init --format xlsx` on files other programs
//! wrote (tests/fixtures/spreadsheets: LibreOffice, openpyxl, odfpy; make.sh
//! regenerates them): the template round trip, messages at their cells,
//! the written file's provenance comments, and the command's rules for
//! writing files.

mod common;

use common::{code, escp, escp_in, stderr, stdout};
use std::fs;
use std::path::PathBuf;

const FIXTURES: &str = "tests/fixtures/spreadsheets";

fn tempdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("escp-import-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn json(args: &[&str]) -> (i32, serde_json::Value) {
    let out = escp(args);
    let value = serde_json::from_str(&stdout(&out))
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}{}", stdout(&out), stderr(&out)));
    (code(&out), value)
}

/// The partners of a consortium file, each as (key, value) pairs of the
/// keys the README's example writes.
fn partners(toml_text: &str) -> Vec<Vec<(String, String)>> {
    let table: toml::Table = toml::from_str(toml_text).expect("the written file is TOML");
    table["partner"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            [
                "short_name",
                "name",
                "role",
                "country",
                "type",
                "eccp",
                "sme_members",
            ]
            .iter()
            .filter_map(|k| p.get(*k).map(|v| (k.to_string(), v.to_string())))
            .filter(|(k, v)| !(k == "role" && v == "\"partner\""))
            .collect()
        })
        .collect()
}

#[test]
fn the_template_filled_by_openpyxl_and_converted_by_libreoffice_reads_back_ready() {
    let example = fs::read_to_string("examples/2020-strand-a-ready.toml").unwrap();
    for file in [
        "filled-template.xlsx",
        "filled-template-libreoffice.xlsx",
        "filled-template.ods",
        "filled-template.xls",
    ] {
        let path = format!("{FIXTURES}/{file}");
        let (exit, result) = json(&["import", &path, "--format", "json", "--today", "2020-11-01"]);
        let file_report = &result["report"]["files"][0];
        assert_eq!(exit, 0, "{file}: {result:#}");
        assert_eq!(file_report["status"], "ready", "{file}");
        assert_eq!(file_report["call"], "COS-CLUSINT-2020-3-01");
        assert_eq!(file_report["strand"], "A");
        let text = result["toml"].as_str().unwrap();
        // The same applicants as the README's example.
        assert_eq!(partners(text), partners(&example), "{file}");
        // Each entry says where it came from.
        assert!(
            text.contains("# From Partners!3:3 (PIC 999999999)\n[[partner]]"),
            "{file}:\n{text}"
        );
        assert!(
            text.contains("# From Targets!5:5\n[[target]]\nregion = \"Mercosur\""),
            "{file}:\n{text}"
        );
    }
}

#[test]
fn the_unfilled_template_reads_back_as_the_call_with_only_placeholders_to_fill() {
    let dir = tempdir("unfilled");
    for (call, strand, today) in [
        ("COS-CLUSINT-2020-3-01", Some("B"), "2020-11-01"),
        ("COS-CLUSINT-2017-03-6", None, "2017-12-01"),
        ("SMP-COSME-2024-CLUSTER-01", Some("2"), "2025-01-10"),
    ] {
        let path = dir.join(format!("{call}.xlsx"));
        let path = path.to_str().unwrap();
        let mut args = vec!["init", "--format", "xlsx", path, "--call", call];
        args.extend(strand.iter().flat_map(|s| ["--strand", s]));
        let out = escp(&args);
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        let (_, result) = json(&["import", path, "--format", "json", "--today", today]);
        let text = result["toml"].as_str().unwrap();
        let table: toml::Table = toml::from_str(text).unwrap();
        assert_eq!(table["call"].as_str(), Some(call));
        assert_eq!(table.get("strand").and_then(|s| s.as_str()), strand);
        let report = &result["report"]["files"][0];
        assert_eq!(report["status"], "not-ready", "{call}");
        let lines: Vec<&str> = text.lines().collect();
        for d in report["diagnostics"].as_array().unwrap() {
            assert_eq!(d["rule"], "invalid-value", "{call}: {d}");
            let line = lines[d["line"].as_u64().unwrap() as usize - 1];
            assert!(
                line.contains("= \"\"") || line.contains("= []"),
                "{call}: {line}"
            );
        }
        for c in report["checks"].as_array().unwrap() {
            assert!(
                c["status"] != "fail" && c["status"] != "warn",
                "{call}: {c}"
            );
        }
    }
}

#[test]
fn a_csv_partner_list_gives_the_partners_and_placeholders_with_messages() {
    let out = escp(&[
        "import",
        "examples/partners.csv",
        "--call",
        "COS-CLUSINT-2020-3-01",
        "--strand",
        "A",
        "--today",
        "2020-11-01",
    ]);
    assert_eq!(code(&out), 1);
    insta::assert_snapshot!("csv_partner_list_toml", stdout(&out));
    insta::assert_snapshot!("csv_partner_list_messages", stderr(&out));
}

#[test]
fn every_problem_of_a_hand_kept_list_names_its_cell() {
    let path = format!("{FIXTURES}/partenaires-openpyxl.xlsx");
    let (exit, result) = json(&[
        "import",
        &path,
        "--format",
        "json",
        "--call",
        "COS-CLUSINT-2020-3-01",
        "--strand",
        "A",
        "--today",
        "2020-11-01",
    ]);
    assert_eq!(exit, 1);
    let mut lines: Vec<String> = result["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "import {} {} [{}] {}",
                d["severity"].as_str().unwrap(),
                d["cell"].as_str().unwrap_or("-"),
                d["code"].as_str().unwrap(),
                d["message"].as_str().unwrap()
            )
        })
        .collect();
    for d in result["report"]["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
    {
        lines.push(format!(
            "check {} {} [{}] {}",
            d["severity"].as_str().unwrap(),
            d["cell"].as_str().unwrap_or("-"),
            d["rule"].as_str().unwrap(),
            d["message"].as_str().unwrap()
        ));
    }
    insta::assert_snapshot!("hand_kept_list_cells", lines.join("\n"));
    // A column and row of a cell that JSON gives apart too.
    let first = &result["diagnostics"][1];
    assert_eq!(first["sheet"], "Partenaires");
    assert!(
        first["row"].is_u64() && first["column"].is_string(),
        "{first}"
    );
}

#[test]
fn an_ods_by_odfpy_reads_german_headers_and_a_merged_country() {
    let path = format!("{FIXTURES}/partners-odfpy.ods");
    let (_, result) = json(&[
        "import",
        &path,
        "--format",
        "json",
        "--call",
        "COS-CLUSINT-2020-3-01",
        "--strand",
        "A",
    ]);
    let text = result["toml"].as_str().unwrap();
    let p = partners(text);
    assert_eq!(p.len(), 3, "{text}");
    assert!(
        p[0].contains(&("role".into(), "\"coordinator\"".into())),
        "{text}"
    );
    assert!(
        p[0].contains(&("eccp".into(), "\"registered\"".into())),
        "{text}"
    );
    assert!(
        p[2].contains(&("country".into(), "\"AT\"".into())),
        "the merged cell's value: {text}"
    );
    // LibreOffice's XLSX of the example CSV gives the same partners as the CSV.
    let csv = escp(&["import", "examples/partners.csv"]);
    let lo = escp(&["import", &format!("{FIXTURES}/partners-libreoffice.xlsx")]);
    assert_eq!(partners(&stdout(&csv)), partners(&stdout(&lo)));
}

#[test]
fn import_writes_out_only_where_asked_and_never_over_a_file_without_force() {
    let dir = tempdir("output");
    let csv = common::root().join("examples/partners.csv");
    let csv = csv.to_str().unwrap();
    let out = escp_in(
        &dir,
        &[
            "import",
            csv,
            "-o",
            "consortium.toml",
            "--call",
            "COS-CLUSINT-2020-3-01",
            "--strand",
            "A",
        ],
    );
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let written = fs::read_to_string(dir.join("consortium.toml")).unwrap();
    assert!(written.contains("short_name = \"AGRI-IT\""));
    // With -o, the messages and the report go to standard output.
    assert!(
        stdout(&out).contains("wrote consortium.toml"),
        "{}",
        stdout(&out)
    );
    assert!(stdout(&out).contains("NOT READY"), "{}", stdout(&out));
    // Again: refused, the file kept.
    fs::write(dir.join("consortium.toml"), "kept").unwrap();
    let again = escp_in(&dir, &["import", csv, "-o", "consortium.toml"]);
    assert_eq!(code(&again), 2);
    assert!(stderr(&again).contains("--force"), "{}", stderr(&again));
    assert_eq!(
        fs::read_to_string(dir.join("consortium.toml")).unwrap(),
        "kept"
    );
    let forced = escp_in(
        &dir,
        &[
            "import",
            csv,
            "-o",
            "consortium.toml",
            "--force",
            "--call",
            "COS-CLUSINT-2020-3-01",
            "--strand",
            "A",
        ],
    );
    assert_ne!(code(&forced), 2);
    assert_ne!(
        fs::read_to_string(dir.join("consortium.toml")).unwrap(),
        "kept"
    );
    // Never over the spreadsheet itself.
    fs::copy(csv, dir.join("p.csv")).unwrap();
    let itself = escp_in(&dir, &["import", "p.csv", "-o", "p.csv", "--force"]);
    assert_eq!(code(&itself), 2);
    assert!(fs::read_to_string(dir.join("p.csv"))
        .unwrap()
        .starts_with("Partner list"));
    // Never over a device, a pipe or a folder, even with --force (a pipe
    // here: a test must not risk a real device).
    let fifo = dir.join("pipe");
    if std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success())
    {
        let device = escp_in(&dir, &["import", csv, "-o", "pipe", "--force"]);
        assert_eq!(code(&device), 2);
        assert!(
            stderr(&device).contains("not a regular file"),
            "{}",
            stderr(&device)
        );
        assert!(!fs::metadata(&fifo).unwrap().is_file());
    }
    let folder = escp_in(&dir, &["import", csv, "-o", ".", "--force"]);
    assert_eq!(code(&folder), 2);
    // Standard input, with the kind read from the bytes.
    let bytes = fs::read(common::root().join(FIXTURES).join("filled-template.xlsx")).unwrap();
    let piped = common::escp_with_input(&dir, &["import", "-", "--today", "2020-11-01"], &bytes);
    assert_eq!(code(&piped), 0, "{}", stderr(&piped));
    assert!(stdout(&piped).starts_with("# Consortium file for COS-CLUSINT-2020-3-01"));
}

#[test]
fn a_file_that_cannot_be_imported_is_exit_code_2_in_every_format() {
    let (exit, result) = json(&["import", "Cargo.lock", "--format", "json"]);
    assert_eq!(exit, 2);
    assert!(
        result["toml"].is_null() && result["report"].is_null(),
        "{result}"
    );
    assert_eq!(result["diagnostics"][0]["severity"], "error");
    let out = escp(&["import", "no-such-file.xlsx"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("no such file"), "{}", stderr(&out));
    assert!(stdout(&out).is_empty());
    let out = escp(&["import", "examples/partners.csv", "--sheet", "Nope"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("its sheets are: \"partners\""),
        "{}",
        stderr(&out)
    );
}

#[test]
fn init_writes_the_workbook_template_only_where_asked() {
    let dir = tempdir("init-xlsx");
    let out = escp_in(
        &dir,
        &[
            "init",
            "--format",
            "xlsx",
            "--call",
            "COS-CLUSINT-2020-3-01",
            "--strand",
            "A",
        ],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let bytes = fs::read(dir.join("consortium.xlsx")).unwrap();
    assert!(bytes.starts_with(b"PK"));
    assert!(!dir.join("consortium.toml").exists());
    let again = escp_in(
        &dir,
        &[
            "init",
            "--format",
            "xlsx",
            "--call",
            "COS-CLUSINT-2020-3-01",
            "--strand",
            "A",
        ],
    );
    assert_eq!(code(&again), 2);
    assert!(
        stderr(&again).contains("already exists"),
        "{}",
        stderr(&again)
    );
    // A path ending in .xlsx chooses the workbook.
    let named = escp_in(
        &dir,
        &["init", "team.xlsx", "--call", "COS-CLUSINT-2017-03-6"],
    );
    assert_eq!(code(&named), 0, "{}", stderr(&named));
    assert!(fs::read(dir.join("team.xlsx")).unwrap().starts_with(b"PK"));
}

#[test]
fn the_template_lists_the_countries_eligible_at_the_deadline_from_the_ruleset() {
    use calamine::{Data, Reader};
    let catalog = escp::ruleset::Catalog::embedded();
    // The 2017 defence call is open to EU Member States only (then 28,
    // the United Kingdom included); the 2020 call to COSME countries.
    for (call, strand, has_gb, has_rs) in [
        ("COS-CLUSINT-2017-03-6", None, true, false),
        ("COS-CLUSINT-2020-3-01", Some(0), true, true),
    ] {
        let ruleset = catalog.find(call).unwrap().unwrap();
        let bytes = escp::template::workbook::workbook(&ruleset, strand).unwrap();
        let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        assert_eq!(
            book.sheet_names(),
            ["Proposal", "Partners", "Targets", "Lists"]
        );
        let lists = book.worksheet_range("Lists").unwrap();
        let eligible: Vec<String> = lists
            .rows()
            .skip(1)
            .filter_map(|r| match &r[0] {
                Data::String(s) => Some(s.clone()),
                _ => None,
            })
            .collect();
        assert_eq!(
            eligible.iter().any(|c| c.ends_with("(GB)")),
            has_gb,
            "{call}"
        );
        assert_eq!(
            eligible.iter().any(|c| c.ends_with("(RS)")),
            has_rs,
            "{call}"
        );
        assert!(!eligible.iter().any(|c| c.ends_with("(CH)")), "{call}");
        assert!(eligible.iter().any(|c| c == "Austria (AT)"), "{call}");
    }
}

#[test]
fn the_library_entry_point_gives_what_the_command_prints() {
    // What the web workbench calls: bytes in, the JSON document out.
    let bytes = fs::read(format!("{FIXTURES}/partenaires-openpyxl.xlsx")).unwrap();
    let catalog = escp::ruleset::Catalog::embedded();
    let options = escp::import::Options {
        call: Some("COS-CLUSINT-2020-3-01"),
        strand: Some("A"),
        ..Default::default()
    };
    let clock = escp::clock::Clock::from_args(None, Some("2020-11-01".parse().unwrap()));
    let (value, exit) = escp::import::json::api(
        &bytes,
        "partenaires-openpyxl.xlsx",
        &options,
        &catalog,
        escp::pipeline::Options { clock },
        "<stdout>",
    );
    let path = format!("{FIXTURES}/partenaires-openpyxl.xlsx");
    let (cli_exit, mut cli) = json(&[
        "import",
        &path,
        "--format",
        "json",
        "--call",
        "COS-CLUSINT-2020-3-01",
        "--strand",
        "A",
        "--today",
        "2020-11-01",
    ]);
    // The command names the file by its path; the rest is the same.
    cli["toml"] = value["toml"].clone();
    assert_eq!(exit as i32, cli_exit);
    assert_eq!(value["diagnostics"], cli["diagnostics"]);
    assert_eq!(
        value["report"]["files"][0]["diagnostics"],
        cli["report"]["files"][0]["diagnostics"]
    );
}
