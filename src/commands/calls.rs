//! `escp calls [ID]`: the known calls, or one call with every rule.

use super::explain::settings;
use crate::rules::RuleId;
use crate::ruleset::{Catalog, Origin, Ruleset};
use jiff::civil::Date;
use serde_json::{json, Value};
use std::fmt::Write as _;
use std::sync::Arc;

/// "closed", or "open, 31 days left".
fn state(call: &Ruleset, today: Date) -> String {
    let deadline = call.deadline.date;
    if today > deadline {
        "closed".into()
    } else {
        let days = (deadline - today).get_days();
        format!(
            "open, {}",
            crate::text::plural(days as usize, "day left", "days left")
        )
    }
}

fn origin(call: &Ruleset) -> String {
    match &call.origin {
        Origin::Embedded => "embedded".into(),
        Origin::File(path) => path.display().to_string(),
    }
}

fn strands(call: &Ruleset) -> String {
    if call.strands.is_empty() {
        "-".into()
    } else {
        call.strands
            .iter()
            .map(|s| s.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The table of `escp calls`.
pub fn list_text(calls: &[Arc<Ruleset>], today: Date) -> String {
    let rows: Vec<[String; 5]> = calls
        .iter()
        .map(|c| {
            [
                c.id.clone(),
                c.title.clone(),
                format!("{} ({})", c.deadline.when(), state(c, today)),
                strands(c),
                origin(c),
            ]
        })
        .collect();
    let header = ["CALL", "TITLE", "DEADLINE", "STRANDS", "FROM"].map(String::from);
    let mut widths = [0; 5];
    for row in std::iter::once(&header).chain(&rows) {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in std::iter::once(&header).chain(&rows) {
        let cells: Vec<String> = row
            .iter()
            .zip(widths)
            .map(|(cell, w)| format!("{cell:w$}"))
            .collect();
        let _ = writeln!(out, "{}", cells.join("  ").trim_end());
    }
    out.push_str("\n`escp calls ID` shows a call's strands and rules.\n");
    out
}

fn call_json(call: &Ruleset, today: Date) -> Value {
    json!({
        "id": call.id,
        "aliases": call.aliases,
        "title": call.title,
        "programme": call.programme,
        "deadline": {
            "date": call.deadline.date.to_string(),
            "time": call.deadline.time.map(|t| t.strftime("%H:%M").to_string()),
            "zone": call.deadline.zone,
            "passed": today > call.deadline.date,
            "source": call.deadline.source,
            "basis": call.deadline.basis,
        },
        "budget_eur": call.budget_eur,
        "strands": call.strands.iter().map(|s| json!({
            "id": s.id, "title": s.title, "budget_eur": s.budget_eur, "projects": s.projects,
        })).collect::<Vec<_>>(),
        "origin": origin(call),
    })
}

pub fn list_json(calls: &[Arc<Ruleset>], today: Date) -> Value {
    json!({ "version": 1, "calls": calls.iter().map(|c| call_json(c, today)).collect::<Vec<_>>() })
}

/// `escp calls ID`: the call, its strands, and every rule with its
/// parameters per strand, severity and citation.
pub fn show_text(call: &Arc<Ruleset>, today: Date) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}: {}", call.id, call.title);
    if !call.aliases.is_empty() {
        let _ = writeln!(out, "  also written  {}", call.aliases.join(", "));
    }
    if let Some(p) = &call.programme {
        let _ = writeln!(out, "  programme     {p}");
    }
    let _ = writeln!(
        out,
        "  deadline      {} ({})",
        call.deadline.when(),
        state(call, today)
    );
    if let Some(b) = call.budget_eur {
        let _ = writeln!(out, "  budget        EUR {}", crate::text::euros(b));
    }
    let _ = writeln!(out, "  from          {}", origin(call));
    if let Some(s) = &call.summary {
        let _ = writeln!(out, "\n{s}");
    }
    if !call.strands.is_empty() {
        out.push_str("\nStrands:\n");
        for s in &call.strands {
            let mut facts = Vec::new();
            if let Some(b) = s.budget_eur {
                facts.push(format!("EUR {}", crate::text::euros(b)));
            }
            if let Some(p) = s.projects {
                facts.push(crate::text::plural(p as usize, "project", "projects"));
            }
            let facts = if facts.is_empty() {
                String::new()
            } else {
                format!(" ({})", facts.join(", "))
            };
            let _ = writeln!(out, "  {:5} {}{facts}", s.id, s.title);
            if let Some(note) = &s.max_grant_note {
                let _ = writeln!(out, "  {:5} maximum grant: {note}", "");
            }
        }
    }
    out.push_str("\nRules:\n");
    let calls = std::slice::from_ref(call);
    for rule in RuleId::ALL {
        for row in settings(*rule, calls) {
            let strand = row
                .strand
                .map(|s| format!(" [strand {s}]"))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "  {:22} {}{strand}, {}\n  {:22} source: {}",
                rule.as_str(),
                row.setting.params.describe(call),
                row.setting.severity.as_str(),
                "",
                row.setting.citation()
            );
            if let Some(note) = &row.setting.note {
                let _ = writeln!(out, "  {:22} note: {note}", "");
            }
        }
    }
    if !call.sources.is_empty() {
        out.push_str("\nSources:\n");
        for s in &call.sources {
            let url = s
                .url
                .as_ref()
                .map(|u| format!(" <{u}>"))
                .unwrap_or_default();
            let _ = writeln!(out, "  {}: {}{url}", s.id, s.title);
        }
    }
    out
}

pub fn show_json(call: &Arc<Ruleset>, today: Date) -> Value {
    let mut value = call_json(call, today);
    let calls = std::slice::from_ref(call);
    let rules: Vec<Value> = RuleId::ALL
        .iter()
        .flat_map(|rule| {
            settings(*rule, calls).into_iter().map(move |row| {
                json!({
                    "rule": rule,
                    "strand": row.strand,
                    "requirement": row.setting.params.describe(call),
                    "params": row.setting.params.to_toml(),
                    "severity": row.setting.severity,
                    "basis": row.setting.basis,
                    "source": row.setting.source,
                    "note": row.setting.note,
                })
            })
        })
        .collect();
    value["rules"] = Value::from(rules);
    json!({ "version": 1, "call": value })
}

pub fn run(id: Option<&str>, json_format: bool, catalog: &Catalog, today: Date) -> u8 {
    let render = |value: Value| serde_json::to_string_pretty(&value).unwrap_or_default() + "\n";
    match id {
        None => match catalog.all() {
            Ok(calls) if json_format => super::print(&render(list_json(&calls, today)), 0),
            Ok(calls) => super::print(&list_text(&calls, today), 0),
            Err(e) => super::fatal(e),
        },
        Some(id) => match catalog.find(id) {
            Ok(Some(call)) if json_format => super::print(&render(show_json(&call, today)), 0),
            Ok(Some(call)) => super::print(&show_text(&call, today), 0),
            Ok(None) => super::error(&format!(
                "unknown call `{}`; {}",
                crate::text::clean(id),
                catalog.unknown_hint(id)
            )),
            Err(e) => super::fatal(e),
        },
    }
}
