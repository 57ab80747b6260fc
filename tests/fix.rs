//! `escp check --fix`: the findings' safe fixes applied to the files named,
//! atomically, with a word on what changed; never to standard input, and
//! never a file written without `--fix`.

mod common;

use std::fs;
use std::path::PathBuf;

fn tempdir() -> PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "escp-fix-test-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// `escp check --fix` on one file, on the day the examples are checked.
fn fix(path: &std::path::Path) -> std::process::Output {
    common::escp(&[
        "check",
        "--fix",
        "--today",
        "2020-11-01",
        path.to_str().unwrap(),
    ])
}

/// The ready example with two applicants' countries written as names.
fn with_names() -> String {
    let text =
        fs::read_to_string(common::root().join("examples/2020-strand-a-ready.toml")).unwrap();
    let mut count = 0;
    let mut out = String::new();
    for line in text.split_inclusive('\n') {
        if line.starts_with("country = \"IT\"") && count == 0 {
            out.push_str("country = \"Italia\"\n");
            count += 1;
        } else if line.starts_with("country = \"FR\"") {
            out.push_str("country = \"France\"\n");
            count += 1;
        } else {
            out.push_str(line);
        }
    }
    assert_eq!(
        count, 2,
        "the example has an Italian and a French applicant"
    );
    out
}

#[test]
fn fix_writes_the_codes_and_says_what_it_changed() {
    let dir = tempdir();
    let path = dir.join("consortium.toml");
    let broken = with_names();
    fs::write(&path, &broken).unwrap();
    let ready =
        fs::read_to_string(common::root().join("examples/2020-strand-a-ready.toml")).unwrap();

    // Without --fix: reported, never written.
    let output = common::escp(&["check", "--today", "2020-11-01", path.to_str().unwrap()]);
    assert_eq!(common::code(&output), 1);
    assert_eq!(fs::read_to_string(&path).unwrap(), broken);

    let output = fix(&path);
    let stderr = common::stderr(&output);
    assert!(
        stderr.contains("consortium.toml: 2 fixes: write the code \"IT\" (Italy) (line "),
        "{stderr}"
    );
    assert!(stderr.contains("write the code \"FR\""), "{stderr}");
    assert_eq!(fs::read_to_string(&path).unwrap(), ready);
    // The result is checked: the fixed file is ready.
    assert_eq!(common::code(&output), 0, "{}", common::stdout(&output));
    assert!(common::stdout(&output).contains("READY"));
    // No temporary file is left behind.
    assert_eq!(fs::read_dir(&dir).unwrap().count(), 1);

    // Nothing left to fix: the file is not written again.
    let before = fs::metadata(&path).unwrap().modified().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    let output = fix(&path);
    assert_eq!(common::code(&output), 0);
    assert!(
        common::stderr(&output).is_empty(),
        "{}",
        common::stderr(&output)
    );
    assert_eq!(fs::metadata(&path).unwrap().modified().unwrap(), before);
    fs::remove_dir_all(dir).unwrap();
}

#[test]
fn fix_keeps_a_byte_order_mark_and_the_file_mode() {
    let dir = tempdir();
    let path = dir.join("bom.toml");
    fs::write(&path, format!("\u{feff}{}", with_names())).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
    }
    let output = fix(&path);
    assert_eq!(common::code(&output), 0, "{}", common::stderr(&output));
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.starts_with('\u{feff}'));
    assert!(!text.contains("\"Italia\"") && !text.contains("\"France\""));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    fs::remove_dir_all(dir).unwrap();
}

#[test]
fn fix_never_changes_standard_input() {
    let output = common::escp_with_input(
        &common::root(),
        &[
            "check",
            "--fix",
            "--today",
            "2020-11-01",
            "--format",
            "json",
            "-",
        ],
        with_names().as_bytes(),
    );
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("--fix does not change standard input"),
        "{stderr}"
    );
    // Checked as it is: the names are still findings.
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.contains("\"invalid-value\""), "{stdout}");
    assert_eq!(output.status.code(), Some(1));
}

/// A missing key's placeholder (`type = ""`) is scaffolding, not a repair:
/// the editor offers it one by one, JSON marks it `"safe": false`, and
/// `--fix` leaves the file without it (while still making the safe fixes).
#[test]
fn fix_applies_no_placeholder() {
    let dir = tempdir();
    let path = dir.join("consortium.toml");
    let text = with_names().replacen("type = \"cluster-organisation\"\n", "", 1);
    fs::write(&path, &text).unwrap();

    let output = common::escp(&[
        "check",
        "--format",
        "json",
        "--today",
        "2020-11-01",
        path.to_str().unwrap(),
    ]);
    let report: serde_json::Value = serde_json::from_str(&common::stdout(&output)).unwrap();
    let diagnostics = report["files"][0]["diagnostics"].as_array().unwrap();
    let safety = |rule: &str| -> Vec<bool> {
        diagnostics
            .iter()
            .filter(|d| d["rule"] == rule)
            .flat_map(|d| d["fixes"].as_array().unwrap())
            .map(|f| f["safe"].as_bool().unwrap())
            .collect()
    };
    assert_eq!(safety("missing-key"), [false], "{report}");
    assert_eq!(safety("invalid-value"), [true, true], "{report}");

    let output = fix(&path);
    let stderr = common::stderr(&output);
    assert!(stderr.contains(": 2 fixes: "), "{stderr}");
    assert!(!stderr.contains("to fill in"), "{stderr}");
    let fixed = fs::read_to_string(&path).unwrap();
    assert!(!fixed.contains("type = \"\""), "{fixed}");
    assert!(fixed.contains("country = \"IT\""), "{fixed}");
    // Still missing, so still not ready.
    assert_eq!(common::code(&output), 1);
    assert!(common::stdout(&output).contains("`type` is missing"));
    fs::remove_dir_all(dir).unwrap();
}

/// `--fix` applies only what escp is certain of: a key or a word renamed by
/// similarity is a guess (`no_legal_entity` is not `legal_entity`, and the
/// rename would turn NOT READY into READY), offered in the editor only.
#[test]
fn fix_renames_nothing_by_similarity() {
    let dir = tempdir();
    let ready =
        fs::read_to_string(common::root().join("examples/2020-strand-a-ready.toml")).unwrap();
    for (what, old, new) in [
        (
            "a key",
            "eccp = \"registered\"\n",
            "eccp = \"registered\"\nno_legal_entity = true\n",
        ),
        (
            "a table",
            "[[partner]]\nshort_name = \"AGRI-IT\"",
            "[[partner_withdrawn]]\nshort_name = \"AGRI-IT\"",
        ),
        ("a duration", "duration_months = 30", "duration_years = 30"),
        (
            "a word",
            "eccp = \"registered\"\n",
            "eccp = \"registred\"\n",
        ),
    ] {
        assert!(ready.contains(old), "{what}: the example has {old:?}");
        let text = ready.replacen(old, new, 1);
        let path = dir.join(format!("{}.toml", what.replace(' ', "-")));
        fs::write(&path, &text).unwrap();
        let out = fix(&path);
        assert_eq!(
            fs::read_to_string(&path).unwrap(),
            text,
            "{what}: --fix changed the file: {}",
            common::stderr(&out)
        );
        assert_eq!(common::code(&out), 1, "{what}: {}", common::stdout(&out));
    }
}
