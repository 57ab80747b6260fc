//! Hover: what the thing under the cursor means for the call the file
//! names. On a key, its meaning and what the call's rules require of it; on
//! a country code, the country and its membership of the call's country
//! groups on the deadline; on a region, its members; on `call`, the call's
//! title, deadline and strands; on `strand`, the strand and its rules; on a
//! diagnostic, the rule's explanation (`escp explain RULE`).

use super::syntax::{self, At};
use super::Cx;
use crate::consortium::keys::{self, Key, Table};
use crate::countries::{Countries, Country};
use crate::ruleset::{Ruleset, StrandSetting};
use crate::source::Span;
use crate::text::clean;

/// The hover text (Markdown) at `offset`, and the span it is about.
pub fn hover(cx: &Cx<'_>, offset: usize) -> Option<(String, Span)> {
    let offset = syntax::boundary(cx.text, offset);
    let at = syntax::at(cx.text, offset, true);
    let (mut text, span) = match at {
        At::Header { span } => {
            let line = &cx.text[span.clone()];
            let name: String = line
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            let key = keys::find(Table::Root, &name)?;
            (key_text(cx, key), span)
        }
        At::Key { table, name, span } => {
            let key = keys::find(table, &name)?;
            let mut text = key_text(cx, key);
            if table == Table::Root && name == "call" {
                if let Some((call, _)) = syntax::top_value(cx.text, "call") {
                    text.push_str("\n\n---\n\n");
                    text.push_str(&call_text(cx, &call));
                }
            }
            (text, span)
        }
        At::Value {
            table, key, value, ..
        } => {
            let value = value?;
            let span = value.span.clone();
            let written = value.text.as_str();
            let text = match (table, key.as_str()) {
                (Table::Root, "call") => call_text(cx, written),
                (Table::Root, "strand") => strand_text(cx, written),
                (Table::Partner | Table::Target, "country") => country_text(cx, written),
                (Table::Target, "region") => match super::regions::find(written) {
                    Some(region) => region_text(cx, &region),
                    None => key_text(cx, keys::find(table, &key)?),
                },
                _ => key_text(cx, keys::find(table, &key)?),
            };
            (text, span)
        }
        At::Nothing => (String::new(), offset..offset),
    };
    // The rules of the diagnostics under the cursor, explained.
    let mut explained = Vec::new();
    for finding in cx.findings {
        let span = finding.primary.span.start + cx.shift..finding.primary.span.end + cx.shift;
        let on = span.start <= offset && (offset < span.end || offset == span.start);
        if on && !explained.contains(&finding.rule) {
            explained.push(finding.rule);
        }
    }
    for rule in explained {
        let e = rule.explanation();
        if !text.is_empty() {
            text.push_str("\n\n---\n\n");
        }
        text.push_str(&format!(
            "**`{rule}`**: {}\n\n{}\n\n(`escp explain {rule}`)",
            e.summary, e.why
        ));
    }
    (!text.is_empty()).then_some((text, span))
}

/// A key: what it means, whether it is required, and what the file's call
/// requires of it.
fn key_text(cx: &Cx<'_>, key: &Key) -> String {
    let place = match key.table {
        Table::Root => String::new(),
        table => format!(" in `{}`", table.header()),
    };
    let mut out = format!("**`{}`**{place}: {}", key.name, key.description);
    if key.required {
        out.push_str("\n\nRequired.");
    } else if let Some(default) = key.default {
        out.push_str(&format!("\n\nOptional; default `{default}`."));
    }
    if let keys::Value::Word(words) | keys::Value::WordList(words) = key.value {
        let words: Vec<String> = words.all().iter().map(|w| format!("`\"{w}\"`")).collect();
        out.push_str(&format!("\n\nOne of: {}.", words.join(", ")));
    }
    let rules = key.rules();
    if rules.is_empty() {
        return out;
    }
    let Some(call) = cx.call() else {
        out.push_str(&format!(
            "\n\nRead by the rules {}; name a known `call` to see what it requires.",
            code_list(rules.iter().map(|r| r.as_str()))
        ));
        return out;
    };
    let strand = cx.strand(&call);
    let mut lines = Vec::new();
    for rule in rules {
        let Some(entry) = call.entry(rule) else {
            continue;
        };
        match entry.setting(strand) {
            StrandSetting::Applies(setting) => lines.push(format!(
                "- `{rule}` ({}, {}): {}",
                setting.severity.as_str(),
                setting.basis.as_str(),
                setting.params.describe(&call)
            )),
            StrandSetting::NeedsStrand => lines.push(format!(
                "- `{rule}`: depends on the strand: set a valid `strand`"
            )),
            StrandSetting::NotApplicable => {}
        }
    }
    let within = within(cx, &call);
    if lines.is_empty() {
        out.push_str(&format!("\n\n{within} sets no rule on it."));
    } else {
        out.push_str(&format!("\n\n{within} requires:\n{}", lines.join("\n")));
    }
    out
}

/// "COS-CLUSINT-2020-3-01 strand A".
fn within(cx: &Cx<'_>, call: &Ruleset) -> String {
    match cx.strand(call) {
        Some(i) => format!("{} strand {}", call.id, call.strands[i].id),
        None => call.id.clone(),
    }
}

fn code_list<'a>(items: impl Iterator<Item = &'a str>) -> String {
    items
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A call: title, deadline, strands.
fn call_text(cx: &Cx<'_>, written: &str) -> String {
    let call = match cx.catalog.find(written) {
        Ok(Some(call)) => call,
        Ok(None) => {
            return format!(
                "\"{}\" is not a call escp knows: {}",
                clean(written),
                cx.catalog.unknown_hint(written)
            )
        }
        Err(e) => return format!("the ruleset of this call cannot be read: {e}"),
    };
    let mut out = format!("**{}**: {}", call.id, call.title);
    if let Some(programme) = &call.programme {
        out.push_str(&format!(" ({programme})"));
    }
    let deadline = &call.deadline;
    let closes = deadline.instant();
    let now = cx.clock.in_zone(closes.time_zone());
    let days = (closes.date() - now.date()).get_days();
    let when = match days {
        _ if now.timestamp() > closes.timestamp() => "passed".to_string(),
        0 => "today".to_string(),
        d => format!("in {}", crate::text::plural(d as usize, "day", "days")),
    };
    out.push_str(&format!("\n\nDeadline: {} ({when}).", deadline.when()));
    if !call.aliases.is_empty() {
        out.push_str(&format!(
            "\n\nAlso written: {}.",
            code_list(call.aliases.iter().map(String::as_str))
        ));
    }
    if call.strands.is_empty() {
        out.push_str("\n\nNo strands.");
    } else {
        out.push_str("\n\nStrands:");
        for strand in &call.strands {
            out.push_str(&format!("\n- `{}`: {}", strand.id, strand.title));
        }
    }
    if let Some(summary) = &call.summary {
        out.push_str(&format!("\n\n{summary}"));
    }
    out
}

/// A strand: its title and what the call requires in it.
fn strand_text(cx: &Cx<'_>, written: &str) -> String {
    let Some(call) = cx.call() else {
        return "name a known `call` first: the strands are the call's".into();
    };
    let Some(i) = call.strand_index(written) else {
        let strands: Vec<String> = call
            .strands
            .iter()
            .map(|s| format!("`{}` ({})", s.id, s.title))
            .collect();
        let near = call
            .strand_near(written)
            .map(|i| &call.strands[i])
            .map(|n| format!(" Did you mean `{}` ({})?", n.id, n.title))
            .unwrap_or_default();
        return if strands.is_empty() {
            format!("{} has no strands", call.id)
        } else {
            format!(
                "\"{}\" is not a strand of {}.{near} Its strands are {}",
                clean(written),
                call.id,
                strands.join(", ")
            )
        };
    };
    let strand = &call.strands[i];
    let mut out = format!("**Strand {}** of {}: {}", strand.id, call.id, strand.title);
    if let Some(budget) = strand.budget_eur {
        if let Some(budget) = crate::money::Euros::from_f64(budget) {
            out.push_str(&format!("\n\nBudget: EUR {budget}."));
        }
    }
    if let Some(projects) = strand.projects {
        out.push_str(&format!(" About {projects} projects funded."));
    }
    if let Some(note) = &strand.note {
        out.push_str(&format!("\n\n{note}"));
    }
    let rules: Vec<String> = call
        .rules
        .iter()
        .filter_map(|entry| match entry.setting(Some(i)) {
            StrandSetting::Applies(s) => Some(format!(
                "- `{}` ({}): {}",
                entry.rule,
                s.severity.as_str(),
                s.params.describe(&call)
            )),
            _ => None,
        })
        .collect();
    if !rules.is_empty() {
        out.push_str(&format!("\n\nRules:\n{}", rules.join("\n")));
    }
    out
}

/// A country: its name, and whether it belonged to each of the call's
/// country groups (EU Member States, COSME participating countries) on the
/// call's deadline.
fn country_text(cx: &Cx<'_>, written: &str) -> String {
    let countries = Countries::get();
    let country = match countries.parse(written) {
        Ok(country) => country,
        Err(not) => {
            return match not.suggestion {
                Some(c) => format!(
                    "\"{}\" is not a country code; the code of {} is `{}`",
                    clean(written),
                    c.name(),
                    c.code()
                ),
                None => format!(
                    "\"{}\" is not a country code: write the two-letter ISO 3166-1 code",
                    clean(written)
                ),
            };
        }
    };
    let mut out = format!("**{}** (`{}`)", country.name(), country.code());
    let alias = written.trim().to_ascii_uppercase();
    if alias != country.code() {
        out.push_str(&format!(
            "; `{alias}` is the EU's code for it, read as `{}`",
            country.code()
        ));
    }
    match cx.call() {
        Some(call) => out.push_str(&memberships(&call, country)),
        None => out.push_str(
            "\n\nName a known `call` to see whether it was eligible on the call's deadline.",
        ),
    }
    out
}

fn memberships(call: &Ruleset, country: Country) -> String {
    use crate::ruleset::groups::Membership;
    let on = call.deadline.date;
    let mut out = format!(
        "\n\nOn the deadline of {} ({}):",
        call.id,
        on.strftime("%-d %B %Y")
    );
    for group in call.groups.values() {
        let said = match group.membership(country, on) {
            Membership::Yes => "yes".to_string(),
            Membership::Inferred(why) => format!("yes, by inference: {why}"),
            Membership::No => "no".to_string(),
        };
        out.push_str(&format!("\n- {}: {said}", group.name));
    }
    out
}

fn region_text(cx: &Cx<'_>, region: &super::regions::Region) -> String {
    let mut out = format!("**{}**: a world region", region.name);
    let members: Vec<String> = region
        .members
        .iter()
        .map(|c| format!("{} (`{}`)", c.name(), c.code()))
        .collect();
    if !members.is_empty() {
        out.push_str(&format!("\n\nMembers: {}.", members.join(", ")));
    }
    if let Some(call) = cx.call() {
        for country in &region.members {
            let m = memberships(&call, *country);
            if m.contains(": yes") {
                out.push_str(&format!("\n\n{} ({}):{m}", country.name(), country.code()));
            }
        }
    }
    out
}
