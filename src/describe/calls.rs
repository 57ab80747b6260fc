//! The calls as `escp calls` (text and JSON), the workbench's list of calls
//! and docs/sources.md describe them: id, title, deadline and its state,
//! strands, each rule's requirement with its basis, readings and sources.

use super::rules::settings;
use crate::clock::Clock;
use crate::rule_id::RuleId;
use crate::ruleset::{Origin, Ruleset};
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
            "sources": sources_json(call, &call.deadline_sources()),
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
    let (cited, _) = call.deadline_cite();
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
                "  {:22} {}{strand} ({})",
                rule.as_str(),
                row.setting.params.describe(call),
                row.setting.basis.as_str(),
            );
            if row.setting.basis != crate::finding::Basis::Confirmed
                || row.setting.severity == crate::finding::Severity::Warning
            {
                let _ = writeln!(out, "  {:22} a failure is {}", "", row.setting.judged(call));
            }
            let _ = writeln!(out, "  {:22} source: {}", "", cite.text);
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
                    "sources": sources_json(call, &row.setting.cited_sources(call)),
                    "quote": row.setting.quote,
                    "inferred_from": row.setting.inferred_from,
                    "judged": row.setting.judged(call),
                    "lenient_reading": row.setting.lenient.as_ref().map(|l| json!({
                        "requirement": l.params.as_ref().map(|p| p.describe(call)),
                        "params": l.params.as_ref().map(|p| p.to_json()),
                        "why": l.why,
                    })),
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

/// Text safe in a Markdown table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// `docs/sources.md`: for every call, its sources with their addresses and
/// what escp takes from each; then the sources of the country groups and
/// of the world regions.
pub fn sources_markdown(calls: &[Arc<Ruleset>]) -> String {
    let mut out = String::from(
        "# Where escp's facts come from\n\n<!-- Generated by `escp calls --sources`; do not edit by hand \
(a test checks it is up to date). -->\n\n\
Every parameter escp checks comes from a public page, quoted in the words that state it. A parameter \
is *confirmed* when a page states it, *contested* when pages disagree (escp checks both readings: an \
error only where both fail, otherwise a warning that names the reading that fails), and *inferred* when \
no page states it and it is deduced (a warning that says from what). The official call documents were \
not available in full: the pages below are the Commission's and the European Cluster Collaboration \
Platform's, national contact points', regional agencies' and call aggregators' summaries of them. \
`escp calls ID` shows the same for one call, and every diagnostic cites its sources with their \
addresses.\n\n",
    );
    for call in calls {
        let _ = writeln!(out, "## {}: {}\n", call.id, call.title);
        let (deadline, _) = call.deadline_cite();
        let _ = writeln!(
            out,
            "Deadline {} ({}): {}\n",
            call.deadline.when(),
            call.deadline.basis.as_str(),
            if deadline.is_empty() {
                "no source".to_string()
            } else {
                deadline
            }
        );
        out.push_str("| source | page | language | address |\n|---|---|---|---|\n");
        for s in &call.sources {
            let address = match (&s.url, &s.cite) {
                (Some(url), _) => format!("<{url}>"),
                (None, Some(cite)) => format!("no address known; cite: {}", cell(cite)),
                (None, None) => String::new(),
            };
            let _ = writeln!(
                out,
                "| `{}` | {} | {} | {address} |",
                s.id,
                cell(&s.short()),
                s.language
            );
        }
        out.push_str("\nWhat escp takes from each source:\n\n");
        let all = std::slice::from_ref(call);
        let deadline_sources = call.deadline_sources();
        for s in &call.sources {
            let mut uses = Vec::new();
            if deadline_sources.contains(&s.id) {
                uses.push("the deadline".to_string());
            }
            for rule in RuleId::ALL {
                for row in settings(*rule, all) {
                    let strand = row
                        .strand
                        .map(|s| format!(" (strand {s})"))
                        .unwrap_or_default();
                    if row.setting.cited_sources(call).contains(&s.id) {
                        uses.push(format!(
                            "`{rule}`{strand}: {}, {}",
                            row.setting.params.describe(call),
                            row.setting.basis.as_str()
                        ));
                    }
                    if let Some(other) = row
                        .setting
                        .other
                        .as_ref()
                        .filter(|o| o.sources.contains(&s.id))
                    {
                        uses.push(format!(
                            "`{rule}`{strand}: the other reading, {}",
                            other.params.describe(call)
                        ));
                    }
                }
            }
            if uses.is_empty() {
                uses.push("background only".into());
            }
            let _ = writeln!(out, "- `{}`: {}", s.id, uses.join("; "));
        }
        let inferred: Vec<String> = RuleId::ALL
            .iter()
            .flat_map(|rule| {
                settings(*rule, all).into_iter().filter_map(move |row| {
                    row.setting.inferred_from.as_ref().map(|from| {
                        let strand = row
                            .strand
                            .map(|s| format!(" (strand {s})"))
                            .unwrap_or_default();
                        format!(
                            "- `{rule}`{strand}: {}, inferred from {from}; the most lenient reading: {}",
                            row.setting.params.describe(row.call),
                            row.setting.lenient_words(row.call).unwrap_or_default()
                        )
                    })
                })
            })
            .collect();
        if !inferred.is_empty() {
            let _ = writeln!(
                out,
                "\nInferred, with what they are deduced from:\n\n{}",
                inferred.join("\n")
            );
        }
        out.push('\n');
    }
    out.push_str("## Country groups\n\n");
    for (id, group) in crate::ruleset::groups::embedded() {
        let _ = writeln!(out, "- `{id}`, {}: {}", group.name, group.source);
    }
    out.push_str(
        "\nMembership is dated (joining and leaving), judged at each call's deadline; a period that no \
source dates exactly is inferred and gives a warning.\n\n## World regions\n\n\
| region | members | source |\n|---|---:|---|\n",
    );
    for region in crate::ruleset::regions::Regions::get().all() {
        let members = region
            .members
            .members_on(jiff::civil::date(2025, 1, 1))
            .len();
        let _ = writeln!(
            out,
            "| {} | {members} | [{}](<{}>) |",
            cell(&region.name),
            cell(&region.source),
            region.url
        );
    }
    out.push_str("\nMember counts are on 1 January 2025; escp judges each region's members at the call's deadline.\n");
    out
}
