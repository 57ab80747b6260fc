//! No internal name anywhere a user looks: escp's output in every
//! format and command, the shipped rulesets, the README and the docs never
//! name a file the user does not have (the project's working notes, its
//! copies of public pages), only public pages.

mod common;

use std::fs;
use std::path::Path;

/// Words that name files or notes users do not have.
const INTERNAL: &[&str] = &[
    "seed 0",
    "seed-0",
    "seeds/",
    "DOMAIN.md",
    "SOURCES.md",
    "SPEC.md",
    "SPEC §",
    "SPEC section",
    "SPEC:",
    "(SPEC",
    "../shared",
    "/shared/",
    "shared/DOMAIN",
    "shared/seeds",
    "STYLE.md",
];

fn internal_names(text: &str) -> Vec<&'static str> {
    INTERNAL
        .iter()
        .copied()
        .filter(|word| text.contains(word))
        .collect()
}

fn files_under(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

#[test]
fn no_output_of_any_command_names_an_internal_file() {
    let mut failures = Vec::new();
    let mut runs: Vec<Vec<String>> = Vec::new();
    let examples = common::root().join("examples");
    let mut paths: Vec<_> = fs::read_dir(&examples)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    for path in &paths {
        let rel = format!("examples/{}", path.file_name().unwrap().to_str().unwrap());
        for format in ["human", "json", "sarif", "github", "junit", "markdown"] {
            // Before and after the deadline: the deadline's help differs.
            for today in ["2014-01-01", "2026-01-01"] {
                runs.push(
                    ["check", "--format", format, "--today", today, &rel]
                        .map(String::from)
                        .to_vec(),
                );
            }
        }
    }
    let calls: Vec<String> = escp_calls();
    for id in &calls {
        runs.push(["calls", id].map(String::from).to_vec());
        runs.push(["calls", id, "--format", "json"].map(String::from).to_vec());
    }
    for args in [
        vec!["calls"],
        vec!["calls", "--format", "json"],
        vec!["calls", "--sources"],
        vec!["explain", "--all"],
        vec!["explain", "--all", "--markdown"],
        vec!["explain"],
        vec!["--help"],
        vec!["check", "--help"],
        vec!["import", "--help"],
        vec!["import", "examples/partners.csv"],
        vec![
            "import",
            "examples/partners.csv",
            "--format",
            "json",
            "--call",
            "COS-CLUSINT-2020-3-01",
            "--strand",
            "A",
        ],
        vec![
            "import",
            "tests/fixtures/spreadsheets/partenaires-openpyxl.xlsx",
        ],
        vec!["import", "tests/fixtures/spreadsheets/far-cell.xlsx"],
    ] {
        runs.push(args.into_iter().map(String::from).collect());
    }
    for id in &calls {
        for strand in strands_of(id) {
            let dir = std::env::temp_dir()
                .join(format!("escp-names-{}-{id}-{strand}", std::process::id()));
            let _ = fs::remove_dir_all(&dir);
            fs::create_dir_all(&dir).unwrap();
            let mut args = vec!["init", "consortium.toml", "--call", id.as_str()];
            if !strand.is_empty() {
                args.extend(["--strand", strand.as_str()]);
            }
            let out = common::escp_in(&dir, &args);
            let text = fs::read_to_string(dir.join("consortium.toml")).unwrap_or_default();
            let check = common::escp_in(&dir, &["check", "--today", "2014-01-01"]);
            for (what, said) in [
                ("init", common::stdout(&out) + &common::stderr(&out) + &text),
                ("check of the template", common::stdout(&check)),
            ] {
                let found = internal_names(&said);
                if !found.is_empty() {
                    failures.push(format!("{what} {id} {strand}: {found:?}"));
                }
            }
            fs::remove_dir_all(dir).unwrap();
        }
    }
    let count = runs.len();
    for args in runs {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = common::escp(&args);
        let said = common::stdout(&out) + &common::stderr(&out);
        let found = internal_names(&said);
        if !found.is_empty() {
            failures.push(format!("escp {}: {found:?}", args.join(" ")));
        }
    }
    assert!(count > 200, "{count} runs");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every file of the repository (as git tracks it, or every file when
/// there is no git): code comments and tests are read by the next engineer
/// and by users who open the source, so they cite public pages too. This
/// file is left out: it lists the words.
#[test]
fn no_file_of_the_repository_names_an_internal_file() {
    let root = common::root();
    let listed = std::process::Command::new("git")
        .args(["ls-files", "-z"])
        .current_dir(&root)
        .output()
        .ok()
        .filter(|out| out.status.success() && !out.stdout.is_empty());
    let files: Vec<std::path::PathBuf> = match listed {
        Some(out) => String::from_utf8_lossy(&out.stdout)
            .split('\0')
            .filter(|p| !p.is_empty())
            .map(|p| root.join(p))
            .collect(),
        None => {
            let mut files = Vec::new();
            for dir in ["calls", "docs", "examples", "src", "tests", "bench"] {
                files_under(&root.join(dir), &mut files);
            }
            files.push(root.join("README.md"));
            files
        }
    };
    assert!(files.len() > 100, "{} files", files.len());
    let mut failures = Vec::new();
    for path in files {
        if path.ends_with("tests/names.rs")
            || path.components().any(|c| c.as_os_str() == "node_modules")
        {
            continue;
        }
        let Ok(text) = fs::read_to_string(&path) else {
            continue;
        };
        let found = internal_names(&text);
        if !found.is_empty() {
            failures.push(format!("{}: {found:?}", path.display()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The ids of the shipped calls, as `escp calls --format json` lists them.
fn escp_calls() -> Vec<String> {
    let out = common::escp(&["calls", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&common::stdout(&out)).unwrap();
    json["calls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect()
}

/// The strands of a call (one empty string for a call without strands).
fn strands_of(id: &str) -> Vec<String> {
    let out = common::escp(&["calls", id, "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&common::stdout(&out)).unwrap();
    let strands: Vec<String> = json["call"]["strands"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_string())
        .collect();
    if strands.is_empty() {
        vec![String::new()]
    } else {
        strands
    }
}
