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

/// `--fix` rewrites regular files only, and only those it can rewrite as
/// they are: never a pipe or a device, never a read-only file, never one of
/// several hard links; a file it cannot fix is said, the others are fixed,
/// every file is checked and the report printed (exit 2).
#[cfg(unix)]
mod careful {
    use super::{tempdir, with_names};
    use crate::common;
    use std::fs;
    use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
    use std::path::Path;
    use std::process::{Command, Output, Stdio};
    use std::time::{Duration, Instant};

    /// Runs a command, killing it (and failing the test) after 30 s: a pipe
    /// that escp opens one time too many must not hang the test suite.
    fn bounded(mut command: Command) -> Output {
        let mut child = command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the command runs");
        let start = Instant::now();
        while child.try_wait().unwrap().is_none() {
            if start.elapsed() > Duration::from_secs(30) {
                let _ = child.kill();
                panic!("the command did not end within 30 s: {command:?}");
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        child.wait_with_output().unwrap()
    }

    fn escp_fix(paths: &[&Path]) -> Command {
        let mut command = common::command_in(&common::root());
        command.args(["check", "--fix", "--today", "2020-11-01"]);
        command.args(paths);
        command
    }

    /// Whether the tests run as root, who may write where the mode bits say
    /// no.
    fn is_root(dir: &Path) -> bool {
        let probe = dir.join(".owner");
        fs::write(&probe, "").unwrap();
        let uid = fs::metadata(&probe).unwrap().uid();
        fs::remove_file(probe).unwrap();
        uid == 0
    }

    /// escp without the privilege to write where the mode bits say no: as
    /// root (CI runs as root), through `setpriv` without the capabilities
    /// that override file permissions.
    fn escp_unprivileged(dir: &Path, paths: &[&Path]) -> Command {
        let plain = escp_fix(paths);
        if !is_root(dir) {
            return plain;
        }
        let mut command = Command::new("setpriv");
        command
            .args(["--bounding-set", "-dac_override,-dac_read_search", "--"])
            .arg(plain.get_program())
            .args(plain.get_args())
            .current_dir(common::root())
            .env("COLUMNS", "100")
            .env("NO_COLOR", "1")
            .env_remove("ESCP_CALLS");
        command
    }

    /// Makes a named pipe and feeds it `text` once, from a thread; returns
    /// a function that unblocks the writer if nobody read.
    fn fifo_with(path: &Path, text: String) -> impl FnOnce() {
        let made = Command::new("mkfifo")
            .arg(path)
            .status()
            .expect("mkfifo runs");
        assert!(made.success());
        let at = path.to_path_buf();
        let writer = std::thread::spawn(move || {
            use std::io::Write;
            let mut pipe = fs::OpenOptions::new().write(true).open(&at).unwrap();
            let _ = pipe.write_all(text.as_bytes());
        });
        let at = path.to_path_buf();
        move || {
            if !writer.is_finished() {
                // Opening the reading end unblocks the writer's open.
                use std::os::unix::fs::OpenOptionsExt;
                let _ = fs::OpenOptions::new()
                    .read(true)
                    .custom_flags(0o4000) // O_NONBLOCK on Linux
                    .open(&at);
            }
            let _ = writer.join();
        }
    }

    #[test]
    fn a_named_pipe_and_a_link_to_one_are_checked_and_never_replaced() {
        for through_a_link in [false, true] {
            let dir = tempdir();
            let fifo = dir.join("pipe.consortium.toml");
            let done = fifo_with(&fifo, with_names());
            let named = if through_a_link {
                let link = dir.join("consortium.toml");
                std::os::unix::fs::symlink(&fifo, &link).unwrap();
                link
            } else {
                fifo.clone()
            };
            let output = bounded(escp_fix(&[&named]));
            done();
            let stderr = common::stderr(&output);
            let kind = fs::symlink_metadata(&fifo).unwrap().file_type();
            assert!(
                kind.is_fifo(),
                "the pipe was replaced ({through_a_link}): {stderr}"
            );
            if through_a_link {
                assert!(fs::symlink_metadata(&named)
                    .unwrap()
                    .file_type()
                    .is_symlink());
            }
            assert!(
                stderr.contains("not fixed: it is a named pipe, not a regular file"),
                "{stderr}"
            );
            // Checked as it is: the names are still errors, and reported.
            let stdout = common::stdout(&output);
            assert!(stdout.contains("Readiness of"), "{stdout}");
            assert!(stdout.contains("\"Italia\""), "{stdout}");
            assert_eq!(common::code(&output), 1, "{stderr}");
            fs::remove_dir_all(dir).unwrap();
        }
    }

    /// `escp check --fix <(cat f)`: a pipe under /dev/fd, checked and
    /// reported like any input.
    #[test]
    fn a_process_substitution_is_checked_and_reported() {
        let dir = tempdir();
        let path = dir.join("consortium.toml");
        fs::write(&path, with_names()).unwrap();
        let mut command = Command::new("bash");
        command
            .arg("-c")
            .arg(r#""$0" check --fix --today 2020-11-01 <(cat "$1")"#)
            .arg(env!("CARGO_BIN_EXE_escp"))
            .arg(&path)
            .env("COLUMNS", "100")
            .env("NO_COLOR", "1")
            .env_remove("ESCP_CALLS");
        let output = bounded(command);
        let stderr = common::stderr(&output);
        assert!(stderr.contains("not a regular file"), "{stderr}");
        let stdout = common::stdout(&output);
        assert!(
            stdout.contains("Readiness of /dev/fd/"),
            "{stdout}\n{stderr}"
        );
        assert_eq!(common::code(&output), 1, "{stderr}");
        assert_eq!(fs::read_to_string(&path).unwrap(), with_names());
        fs::remove_dir_all(dir).unwrap();
    }

    /// `/dev/stdin` is a link to an open file descriptor: never fixed, not
    /// even when standard input is a file (the file behind it is not the
    /// one named).
    #[test]
    fn dev_stdin_is_only_checked() {
        let dir = tempdir();
        let path = dir.join("consortium.toml");
        fs::write(&path, with_names()).unwrap();
        let mut command = escp_fix(&[Path::new("/dev/stdin")]);
        let output = command
            .stdin(fs::File::open(&path).unwrap())
            .output()
            .unwrap();
        let stderr = common::stderr(&output);
        assert!(
            stderr.contains("/dev/stdin: not fixed: it names an open file descriptor"),
            "{stderr}"
        );
        assert_eq!(fs::read_to_string(&path).unwrap(), with_names());
        assert!(common::stdout(&output).contains("Readiness of /dev/stdin"));
        assert_eq!(common::code(&output), 1, "{stderr}");
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_file_that_cannot_be_written_is_said_and_the_others_are_fixed_and_checked() {
        let dir = tempdir();
        let locked = dir.join("locked");
        fs::create_dir(&locked).unwrap();
        let stuck = locked.join("consortium.toml");
        fs::write(&stuck, with_names()).unwrap();
        let free = dir.join("free.consortium.toml");
        fs::write(&free, with_names()).unwrap();
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o555)).unwrap();

        let output = bounded(escp_unprivileged(&dir, &[&stuck, &free]));
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
        let stderr = common::stderr(&output);
        let stdout = common::stdout(&output);
        assert!(
            stderr.contains(&format!("{}: not fixed: cannot write it", stuck.display())),
            "{stderr}"
        );
        assert!(stderr.contains("2 fixes not applied"), "{stderr}");
        assert_eq!(fs::read_to_string(&stuck).unwrap(), with_names());
        // The other file is fixed, and both are checked and reported.
        assert!(!fs::read_to_string(&free).unwrap().contains("\"Italia\""));
        assert!(
            stderr.contains("free.consortium.toml: 2 fixes: "),
            "{stderr}"
        );
        assert_eq!(stdout.matches("Readiness of").count(), 2, "{stdout}");
        assert!(
            stdout.contains("2 files checked: 1 ready, 1 not ready"),
            "{stdout}"
        );
        // No temporary file is left in either folder.
        assert_eq!(fs::read_dir(&locked).unwrap().count(), 1);
        // A file escp was asked to fix and could not fails the run.
        assert_eq!(common::code(&output), 2, "{stdout}");
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_read_only_file_is_never_rewritten() {
        let dir = tempdir();
        let path = dir.join("consortium.toml");
        fs::write(&path, with_names()).unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o444)).unwrap();
        let output = bounded(escp_fix(&[&path]));
        let stderr = common::stderr(&output);
        assert!(
            stderr.contains("not fixed: it is read-only (mode 0444)"),
            "{stderr}"
        );
        assert_eq!(fs::read_to_string(&path).unwrap(), with_names());
        assert_eq!(fs::metadata(&path).unwrap().mode() & 0o7777, 0o444);
        assert!(common::stdout(&output).contains("Readiness of"));
        assert_eq!(common::code(&output), 2, "{stderr}");

        // Nothing to fix: a read-only file is simply checked.
        let ready = dir.join("ready.consortium.toml");
        fs::copy(
            common::root().join("examples/2020-strand-a-ready.toml"),
            &ready,
        )
        .unwrap();
        fs::set_permissions(&ready, fs::Permissions::from_mode(0o444)).unwrap();
        let output = bounded(escp_fix(&[&ready]));
        assert!(
            common::stderr(&output).is_empty(),
            "{}",
            common::stderr(&output)
        );
        assert_eq!(common::code(&output), 0);
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_file_with_other_hard_links_is_never_split_from_them() {
        let dir = tempdir();
        let path = dir.join("consortium.toml");
        let other = dir.join("copy.consortium.toml");
        fs::write(&path, with_names()).unwrap();
        fs::hard_link(&path, &other).unwrap();
        let output = bounded(escp_fix(&[&path]));
        let stderr = common::stderr(&output);
        assert!(
            stderr.contains("not fixed: it has 2 hard links"),
            "{stderr}"
        );
        assert_eq!(fs::read_to_string(&path).unwrap(), with_names());
        let (a, b) = (fs::metadata(&path).unwrap(), fs::metadata(&other).unwrap());
        assert_eq!((a.ino(), a.nlink()), (b.ino(), 2), "the links were split");
        assert!(common::stdout(&output).contains("Readiness of"));
        assert_eq!(common::code(&output), 2, "{stderr}");
        fs::remove_dir_all(dir).unwrap();
    }

    /// As root, a fixed file keeps its owner and group (the new file would
    /// otherwise belong to root). Not checkable without root: only root can
    /// give a file away.
    #[test]
    fn a_fixed_file_keeps_its_owner() {
        let dir = tempdir();
        if !is_root(&dir) {
            fs::remove_dir_all(dir).unwrap();
            return;
        }
        let path = dir.join("consortium.toml");
        fs::write(&path, with_names()).unwrap();
        std::os::unix::fs::chown(&path, Some(65534), Some(65534)).unwrap();
        let output = bounded(escp_fix(&[&path]));
        assert_eq!(common::code(&output), 0, "{}", common::stderr(&output));
        assert!(!fs::read_to_string(&path).unwrap().contains("\"Italia\""));
        let meta = fs::metadata(&path).unwrap();
        assert_eq!((meta.uid(), meta.gid()), (65534, 65534));
        fs::remove_dir_all(dir).unwrap();
    }
}
