//! The shape of the code, kept as it is described in the README and in
//! `src/lib.rs`: imports run one way, from the front ends down to the model,
//! with no circle between rooms; no source file over 800 lines; a thin
//! `main.rs`.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

/// The rooms of `src/`, bottom first. A room may use only the rooms before
/// it in this list.
const ROOMS: &[&str] = &[
    // The model: text, amounts, positions, countries, time, rule ids,
    // findings, reading and writing files, the consortium file.
    "money",
    "text",
    "source",
    "countries",
    "clock",
    "rule_id",
    "finding",
    "input",
    "output",
    "consortium",
    // The calls' rulesets (with each rule's parameters), then the rules.
    "ruleset",
    "rules",
    // One file's check, and what is built on it.
    "pipeline",
    "report",
    "fix",
    "walk",
    "template",
    "import",
    // What escp says about its calls and rules (`escp calls`, `explain`).
    "describe",
    // The front ends.
    "lsp",
    "serve",
    "commands",
    "cli",
];

/// The room of every `crate::ROOM` a file of `src/` names (comments aside).
fn uses(root: &Path) -> BTreeMap<String, BTreeMap<String, Vec<String>>> {
    let mut out: BTreeMap<String, BTreeMap<String, Vec<String>>> = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let rel = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let room = rel
                .split('/')
                .next()
                .unwrap()
                .trim_end_matches(".rs")
                .to_string();
            let text = fs::read_to_string(&path).unwrap();
            for line in text.lines() {
                let code = line.split("//").next().unwrap_or("");
                let mut rest = code;
                while let Some(at) = rest.find("crate::") {
                    rest = &rest[at + "crate::".len()..];
                    let name: String = rest
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect();
                    if !name.is_empty() && name != room {
                        out.entry(room.clone())
                            .or_default()
                            .entry(name)
                            .or_default()
                            .push(rel.clone());
                    }
                }
            }
        }
    }
    out
}

#[test]
fn imports_run_from_the_front_ends_down_to_the_model() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let rank = |room: &str| ROOMS.iter().position(|r| *r == room);
    let mut wrong = Vec::new();
    for (room, used) in uses(&root) {
        if room == "lib" || room == "main" {
            continue;
        }
        let Some(mine) = rank(&room) else {
            wrong.push(format!(
                "src/{room} is no room of tests/architecture.rs: place it in ROOMS"
            ));
            continue;
        };
        for (dep, files) in used {
            match rank(&dep) {
                Some(theirs) if theirs < mine => {}
                Some(_) => wrong.push(format!(
                    "{room} uses {dep}, a room above it ({})",
                    files.join(", ")
                )),
                None => wrong.push(format!("{room} uses {dep}, which is no room")),
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn no_source_file_is_over_800_lines_and_main_is_thin() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut long = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let lines = fs::read_to_string(&path).unwrap().lines().count();
                if lines > 800 {
                    long.push(format!("{} ({lines} lines)", path.display()));
                }
            }
        }
    }
    assert!(long.is_empty(), "files over 800 lines: {long:?}");
    let main = fs::read_to_string(root.join("main.rs")).unwrap();
    let code = main
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with("//"))
        .count();
    assert!(code <= 8, "src/main.rs has {code} lines of code:\n{main}");
}

/// The test itself sees a wrong import: a room that names one above it.
#[test]
fn a_room_that_uses_one_above_it_is_seen() {
    let dir = std::env::temp_dir().join(format!("escp-arch-{}", std::process::id()));
    fs::create_dir_all(dir.join("consortium")).unwrap();
    fs::write(
        dir.join("consortium/mod.rs"),
        "// crate::pipeline in a comment is fine\nuse crate::rules::RuleId;\nuse crate::text::clean;\n",
    )
    .unwrap();
    let used = uses(&dir);
    let consortium = &used["consortium"];
    assert!(consortium.contains_key("rules"));
    assert!(consortium.contains_key("text"));
    assert!(!consortium.contains_key("pipeline"));
    let _ = fs::remove_dir_all(&dir);
}
