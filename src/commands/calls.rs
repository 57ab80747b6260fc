//! `escp calls [ID]`: the known calls, or one call with every rule.

use super::explain::settings;
use crate::clock::Clock;
use crate::rules::RuleId;
use crate::ruleset::{Catalog, Origin, Ruleset};
use serde_json::{json, Value};
use std::fmt::Write as _;
use std::sync::Arc;

/// Whether the call has closed at the moment of the run.
fn closed(call: &Ruleset, clock: Clock) -> bool {
    let closes = call.deadline.instant();
    clock.in_zone(closes.time_zone()).timestamp() > closes.timestamp()
}

/// "closed", or "open, 31 days left".
fn state(call: &Ruleset, clock: Clock) -> String {
    if closed(call, clock) {
        return "closed".into();
    }
    let closes = call.deadline.instant();
    let now = clock.in_zone(closes.time_zone());
    let days = (closes.date() - now.date()).get_days();
    match days {
        0 => "open, closes today".into(),
        n => format!(
            "open, {}",
            crate::text::plural(n as usize, "day left", "days left")
        ),
    }
}

fn origin(call: &Ruleset) -> String {
    match &call.origin {
        Origin::File(path) => crate::text::escape(&path.display().to_string()),
        _ => "embedded".into(),
    }
}

/// The strands for the list: all of a few, or how many and the first ones.
fn strands(call: &Ruleset) -> String {
    let ids: Vec<&str> = call.strands.iter().map(|s| s.id.as_str()).collect();
    match ids.len() {
        0 => "-".into(),
        1..=4 => ids.join(", "),
        n => format!("{n}: {}, …", ids[..2].join(", ")),
    }
}

/// The table of `escp calls`.
pub fn list_text(calls: &[Arc<Ruleset>], today: Clock) -> String {
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

/// The sources a rule or fact cites, with their addresses.
fn sources_json(call: &Ruleset, ids: &[String]) -> Value {
    Value::from(
        ids.iter()
            .map(|id| {
                let s = call.source(id);
                json!({ "id": id, "url": s.and_then(|s| s.url.clone()), "cite": s.and_then(|s| s.cite.clone()) })
            })
            .collect::<Vec<_>>(),
    )
}

fn call_json(call: &Ruleset, today: Clock) -> Value {
    json!({
        "id": call.id,
        "aliases": call.aliases,
        "title": call.title,
        "programme": call.programme,
        "deadline": {
            "date": call.deadline.date.to_string(),
            "time": call.deadline.time.map(|t| t.strftime("%H:%M").to_string()),
            "zone": call.deadline.zone,
            "instant": call.deadline.instant().timestamp().to_string(),
            "passed": closed(call, today),
            "basis": call.deadline.basis,
            "sources": sources_json(call, &call.deadline.sources),
            "quote": call.deadline.quote,
        },
        "budget_eur": call.budget_eur,
        "strands": call.strands.iter().map(|s| json!({
            "id": s.id, "title": s.title, "budget_eur": s.budget_eur, "projects": s.projects, "note": s.note,
        })).collect::<Vec<_>>(),
        "sources": call.sources.iter().map(|s| json!({
            "id": s.id, "title": s.title, "publisher": s.publisher, "date": s.date,
            "language": s.language, "url": s.url, "cite": s.cite,
        })).collect::<Vec<_>>(),
        "origin": origin(call),
    })
}

pub fn list_json(calls: &[Arc<Ruleset>], today: Clock) -> Value {
    json!({ "version": 1, "calls": calls.iter().map(|c| call_json(c, today)).collect::<Vec<_>>() })
}

/// `escp calls ID`: the call, its strands, and every rule with its
/// parameters per strand, severity and citation.
pub fn show_text(call: &Arc<Ruleset>, today: Clock) -> String {
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
    let (cited, _) = call.cite(&call.deadline.sources, call.deadline.quote.as_deref());
    if !cited.is_empty() {
        let _ = writeln!(
            out,
            "                {cited} ({})",
            call.deadline.basis.as_str()
        );
    }
    if let Some(b) = call.budget_eur {
        let _ = writeln!(out, "  budget        EUR {}", crate::text::euros(b));
    }
    let _ = writeln!(out, "  from          {}", origin(call));
    if let Some(s) = &call.summary {
        let _ = writeln!(out, "\n{s}");
    }
    if !call.strands.is_empty() {
        out.push_str("\nStrands:\n");
        let w = call
            .strands
            .iter()
            .map(|s| s.id.chars().count())
            .max()
            .unwrap_or(0)
            .max(5);
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
            let _ = writeln!(out, "  {:w$} {}{facts}", s.id, s.title);
            if let Some(note) = &s.note {
                let _ = writeln!(out, "  {:w$} note: {note}", "");
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
            let cite = row.setting.citation(call);
            let _ = writeln!(
                out,
                "  {:22} {}{strand}, {}\n  {:22} source: {}",
                rule.as_str(),
                row.setting.params.describe(call),
                row.setting.severity.as_str(),
                "",
                cite.text
            );
            for url in &cite.urls {
                let _ = writeln!(out, "  {:22}   {url}", "");
            }
            if let Some(note) = &row.setting.note {
                let _ = writeln!(out, "  {:22} note: {note}", "");
            }
        }
    }
    if !call.sources.is_empty() {
        out.push_str("\nSources:\n");
        for s in &call.sources {
            let _ = writeln!(
                out,
                "  {}: {} [{}]\n  {:w$}  {}",
                s.id,
                s.short(),
                s.language,
                "",
                s.address(),
                w = s.id.len()
            );
        }
    }
    out
}

pub fn show_json(call: &Arc<Ruleset>, today: Clock) -> Value {
    let mut value = call_json(call, today);
    let calls = std::slice::from_ref(call);
    let rules: Vec<Value> = RuleId::ALL
        .iter()
        .flat_map(|rule| {
            settings(*rule, calls).into_iter().map(move |row| {
                let cite = row.setting.citation(call);
                json!({
                    "rule": rule,
                    "strand": row.strand,
                    "requirement": row.setting.params.describe(call),
                    "params": row.setting.params.to_json(),
                    "severity": row.setting.severity,
                    "basis": row.setting.basis,
                    "source": cite.text,
                    "sources": sources_json(call, &row.setting.sources),
                    "quote": row.setting.quote,
                    "inferred_from": row.setting.inferred_from,
                    "other_reading": row.setting.other.as_ref().map(|o| json!({
                        "requirement": o.params.describe(call),
                        "params": o.params.to_json(),
                        "sources": sources_json(call, &o.sources),
                        "quote": o.quote,
                    })),
                    "note": row.setting.note,
                })
            })
        })
        .collect();
    value["rules"] = Value::from(rules);
    json!({ "version": 1, "call": value })
}

pub fn run(id: Option<&str>, json_format: bool, catalog: &Catalog, today: Clock) -> u8 {
    let render = |value: Value| serde_json::to_string_pretty(&value).unwrap_or_default() + "\n";
    match id {
        None => {
            // Every call that loads is listed; a broken ruleset is reported
            // after the list (exit code 2), not instead of it.
            let calls = catalog.loadable();
            let code = super::print(
                &if json_format {
                    render(list_json(&calls, today))
                } else {
                    list_text(&calls, today)
                },
                0,
            );
            let broken = catalog.broken();
            for (_, error) in &broken {
                super::fatal_ref(error);
            }
            if broken.is_empty() {
                code
            } else {
                2
            }
        }
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
