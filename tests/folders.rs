//! `escp check DIR`, and `escp check` in a folder without `consortium.toml`:
//! every `consortium.toml` and `*.consortium.toml` below the folder, walked
//! as ripgrep walks it, checked in a stable order.

mod common;

use common::{code, escp_in, stderr, stdout};
use std::fs;
use std::path::{Path, PathBuf};

fn tempdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("escp-folders-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn put(dir: &Path, path: &str, example: &str) {
    let path = dir.join(path);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::copy(common::root().join("examples").join(example), path).unwrap();
}

const READY: &str = "2020-strand-a-ready.toml";
const NOT_READY: &str = "2020-strand-a-not-ready.toml";

/// A proposal repository: consortium files at several depths, and files
/// the walk must leave out.
fn repository(name: &str) -> PathBuf {
    let dir = tempdir(name);
    // A git repository (as ripgrep, escp reads .gitignore inside one).
    fs::create_dir(dir.join(".git")).unwrap();
    fs::write(dir.join(".gitignore"), "target/\n*.draft.consortium.toml\n").unwrap();
    put(&dir, "zz.consortium.toml", READY);
    put(&dir, "b/deep/agrifood.consortium.toml", NOT_READY);
    put(&dir, "a/consortium.toml", READY);
    put(&dir, "a/team.consortium.toml", READY);
    // Left out: ignored, hidden, or not named as a consortium file.
    put(&dir, "target/consortium.toml", NOT_READY);
    put(&dir, "b/x.draft.consortium.toml", NOT_READY);
    put(&dir, ".cache/consortium.toml", NOT_READY);
    put(&dir, "notes/proposal.toml", NOT_READY);
    put(&dir, "notes/myconsortium.toml", NOT_READY);
    dir
}

const FOUND: [&str; 4] = [
    "a/consortium.toml",
    "a/team.consortium.toml",
    "b/deep/agrifood.consortium.toml",
    "zz.consortium.toml",
];

/// The paths of a JSON report, in order.
fn paths(output: &std::process::Output) -> Vec<String> {
    let json: serde_json::Value = serde_json::from_str(&stdout(output))
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", stdout(output), stderr(output)));
    json["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_folder_is_every_consortium_file_below_it_in_a_stable_order() {
    let dir = repository("walk");
    let json = ["check", "--today", "2020-11-01", "--format", "json"];
    let output = escp_in(&dir, &[&json[..], &["."]].concat());
    assert_eq!(paths(&output), FOUND, "{}", stderr(&output));
    assert_eq!(code(&output), 1, "the not-ready file decides");
    // The same report every time (the files are checked in parallel).
    for _ in 0..3 {
        assert_eq!(
            stdout(&escp_in(&dir, &[&json[..], &["."]].concat())),
            stdout(&output)
        );
    }
    // A folder given by its path: the paths start with it; named files
    // around it keep their place.
    let first = format!("{}/zz.consortium.toml", dir.display());
    let folder = dir.join("b");
    let output = escp_in(
        dir.parent().unwrap(),
        &[&json[..], &[first.as_str(), folder.to_str().unwrap()]].concat(),
    );
    assert_eq!(
        paths(&output),
        [
            format!("{}/zz.consortium.toml", dir.display()),
            format!("{}/deep/agrifood.consortium.toml", dir.join("b").display()),
        ]
    );
    // The human report names each file, then the totals.
    let output = escp_in(&dir, &["check", "--today", "2020-11-01", "--quiet", "."]);
    let text = stdout(&output);
    assert!(
        text.contains("4 files checked: 3 ready, 1 not ready"),
        "{text}"
    );
    assert!(!text.contains("target/") && !text.contains(".cache") && !text.contains("notes/"));
    fs::remove_dir_all(dir).unwrap();
}

#[test]
fn check_with_no_path_checks_the_folder_when_it_has_no_consortium_toml() {
    let dir = repository("default");
    let json = ["check", "--today", "2020-11-01", "--format", "json"];
    let output = escp_in(&dir, &json);
    assert_eq!(paths(&output), FOUND, "{}", stderr(&output));
    // With a consortium.toml there, that file only, as before.
    put(&dir, "consortium.toml", READY);
    let output = escp_in(&dir, &json);
    assert_eq!(paths(&output), ["consortium.toml"]);
    assert_eq!(code(&output), 0);
    fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_folder_without_consortium_files_is_said_and_exits_2() {
    let dir = tempdir("empty");
    put(&dir, "notes/proposal.toml", READY);
    // `escp check` with nothing to check: said as for a missing file.
    let output = escp_in(&dir, &["check"]);
    assert_eq!(code(&output), 2);
    let said = stdout(&output);
    assert!(
        said.contains("cannot read consortium.toml: no such file, and no consortium file")
            && said.contains("in this folder or below it")
            && said.contains("escp init --call ID"),
        "{said}"
    );
    let output = escp_in(&dir, &["check", "notes"]);
    assert_eq!(code(&output), 2);
    assert!(
        stdout(&output).contains("cannot read notes: it is a directory with no consortium file"),
        "{}",
        stdout(&output)
    );
    // With files to check besides it: they are checked and reported, in
    // order, and the run still fails.
    put(&dir, "consortium.toml", READY);
    let output = escp_in(
        &dir,
        &[
            "check",
            "--today",
            "2020-11-01",
            "--format",
            "json",
            "notes",
            "consortium.toml",
        ],
    );
    assert_eq!(paths(&output), ["notes", "consortium.toml"]);
    assert_eq!(code(&output), 2);
    fs::remove_dir_all(dir).unwrap();
}

/// A folder that cannot be read in full: said, the rest checked, exit 2.
#[cfg(unix)]
#[test]
fn a_folder_that_cannot_be_read_is_said_and_the_rest_checked() {
    use std::os::unix::fs::PermissionsExt;
    let dir = repository("unreadable");
    let closed = dir.join("b/deep");
    fs::set_permissions(&closed, fs::Permissions::from_mode(0o000)).unwrap();
    // As root (CI), without the privilege that reads any folder.
    let probe = dir.join(".owner");
    fs::write(&probe, "").unwrap();
    let root = std::os::unix::fs::MetadataExt::uid(&fs::metadata(&probe).unwrap()) == 0;
    fs::remove_file(probe).unwrap();
    let mut command = if root {
        let mut c = std::process::Command::new("setpriv");
        c.args(["--bounding-set", "-dac_override,-dac_read_search", "--"]);
        c.arg(env!("CARGO_BIN_EXE_escp"));
        c
    } else {
        std::process::Command::new(env!("CARGO_BIN_EXE_escp"))
    };
    let output = command
        .current_dir(&dir)
        .args(["check", "--today", "2020-11-01", "--format", "json", "."])
        .output()
        .unwrap();
    fs::set_permissions(&closed, fs::Permissions::from_mode(0o755)).unwrap();
    let said = stderr(&output);
    assert!(
        said.contains("b/deep") && said.contains("not checked"),
        "{said}"
    );
    assert_eq!(
        paths(&output),
        [
            "a/consortium.toml",
            "a/team.consortium.toml",
            "zz.consortium.toml"
        ]
    );
    assert_eq!(code(&output), 2);
    fs::remove_dir_all(dir).unwrap();
}

#[test]
fn fix_fixes_the_files_found_in_a_folder() {
    let dir = tempdir("fix");
    fs::create_dir(dir.join(".git")).unwrap();
    let text = fs::read_to_string(common::root().join("examples").join(READY)).unwrap();
    let named = text.replacen("country = \"IT\"", "country = \"Italia\"", 1);
    assert_ne!(named, text);
    for path in ["one/consortium.toml", "two/x.consortium.toml"] {
        fs::create_dir_all(dir.join(path).parent().unwrap()).unwrap();
        fs::write(dir.join(path), &named).unwrap();
    }
    let output = escp_in(&dir, &["check", "--fix", "--today", "2020-11-01", "."]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    for path in ["one/consortium.toml", "two/x.consortium.toml"] {
        assert_eq!(fs::read_to_string(dir.join(path)).unwrap(), text, "{path}");
        assert!(
            stderr(&output).contains(&format!("{path}: 1 fix: ")),
            "{}",
            stderr(&output)
        );
    }
    fs::remove_dir_all(dir).unwrap();
}
