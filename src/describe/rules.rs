//! The rules as `escp explain` and docs/rules.md describe them: what each
//! checks and why, and its parameters in each call, with their readings and
//! sources.

use crate::rule_id::RuleId;
use crate::ruleset::{Catalog, RuleSetting, Ruleset};
use std::fmt::Write as _;
use std::sync::Arc;

/// How a rule is set in one call: per strand, or once for all of them.
pub struct CallSetting<'a> {
    pub call: &'a Ruleset,
    /// `None`: the same for the whole call.
    pub strand: Option<&'a str>,
    pub setting: &'a RuleSetting,
}

impl CallSetting<'_> {
    /// "COS-CLUSINT-2020-3-01 strand A", or just the call's id.
    pub fn label(&self) -> String {
        match self.strand {
            Some(s) => format!("{} strand {s}", self.call.id),
            None => self.call.id.clone(),
        }
    }
}

/// The settings of `rule` in each of `calls`, strands folded where equal.
pub fn settings<'a>(rule: RuleId, calls: &'a [Arc<Ruleset>]) -> Vec<CallSetting<'a>> {
    let mut out = Vec::new();
    for call in calls {
        let Some(entry) = call.entry(rule) else {
            continue;
        };
        let first = entry.per_strand.first().and_then(Option::as_ref);
        let uniform = first.is_some() && entry.per_strand.iter().all(|s| s.as_ref() == first);
        if uniform || call.strands.is_empty() {
            if let Some(setting) = first {
                out.push(CallSetting {
                    call,
                    strand: None,
                    setting,
                });
            }
            continue;
        }
        for (strand, setting) in call.strands.iter().zip(&entry.per_strand) {
            if let Some(setting) = setting {
                out.push(CallSetting {
                    call,
                    strand: Some(&strand.id),
                    setting,
                });
            }
        }
    }
    out
}

/// The terminal text of `escp explain RULE`.
pub fn text(rule: RuleId, calls: &[Arc<Ruleset>]) -> String {
    let e = rule.explanation();
    let mut out = String::new();
    let _ = writeln!(out, "{rule}: {}\n", e.summary);
    let _ = writeln!(out, "{}\n", wrap(e.why, 78, ""));
    let _ = writeln!(
        out,
        "A consortium file that fails it:\n{}\n",
        indent(e.failing)
    );
    let _ = writeln!(out, "Fixed:\n{}\n", indent(e.fixed));
    if rule.is_format_rule() {
        let _ = writeln!(out, "A format rule: always on, for every call.");
        return out;
    }
    let rows = settings(rule, calls);
    if rows.is_empty() {
        let _ = writeln!(out, "None of the known calls switches it on.");
        return out;
    }
    let _ = writeln!(out, "In the known calls:");
    for row in rows {
        let cite = row.setting.citation(row.call);
        let _ = writeln!(
            out,
            "  {}: {} ({})",
            row.label(),
            row.setting.params.describe(row.call),
            row.setting.basis.as_str(),
        );
        if row.setting.basis != crate::finding::Basis::Confirmed
            || row.setting.severity == crate::finding::Severity::Warning
        {
            let judged = format!("a failure is {}", row.setting.judged(row.call));
            let _ = writeln!(out, "{}", wrap(&judged, 74, "      "));
        }
        let _ = writeln!(
            out,
            "{}",
            wrap(&format!("source: {}", cite.text), 74, "      ")
        );
        for url in cite.urls {
            let _ = writeln!(out, "      {url}");
        }
    }
    if rule == RuleId::TargetThirdCountry {
        out.push('\n');
        out.push_str(&regions_text());
    }
    out
}

/// The world regions escp knows, for `explain target-third-country`.
fn regions_text() -> String {
    let regions = crate::ruleset::regions::Regions::get();
    let mut out = String::from(
        "The world regions escp knows (a `region` is matched by its name or an alias):\n",
    );
    for region in regions.all() {
        let aliases = if region.aliases.is_empty() {
            String::new()
        } else {
            format!(" (also: {})", region.aliases.join(", "))
        };
        let _ = writeln!(
            out,
            "{}",
            wrap(&format!("{}{aliases}", region.name), 76, "  ")
        );
    }
    out
}

/// `docs/rules.md`: every rule's explanation, and its parameters in each
/// call that `catalog` knows (the embedded ones when generating the docs).
pub fn markdown(catalog: &Catalog) -> Result<String, crate::ruleset::CatalogError> {
    let calls = catalog.all()?;
    let mut out = String::from(
        "# The rules of escp\n\n<!-- Generated from the explanations in src/rules/ by `escp explain --all --markdown`; \
do not edit by hand (a test checks it is up to date). -->\n\n\
Each diagnostic names the rule it comes from. Format rules are always on; call rules are switched on and \
parameterised by each call's ruleset (`calls/`). `escp explain RULE` prints the same text.\n\n",
    );
    for rule in RuleId::ALL {
        let _ = writeln!(out, "- [`{rule}`](#{rule}): {}", rule.explanation().summary);
    }
    for rule in RuleId::ALL {
        let e = rule.explanation();
        let _ = write!(
            out,
            "\n## {rule}\n\n{}.\n\n{}\n\nFails:\n\n```toml\n{}\n```\n\nFixed:\n\n```toml\n{}\n```\n",
            capitalise(e.summary),
            e.why,
            e.failing,
            e.fixed
        );
        if rule.is_format_rule() {
            out.push_str("\nA format rule: always on, for every call.\n");
            continue;
        }
        let rows = settings(*rule, &calls);
        if rows.is_empty() {
            out.push_str("\nNone of the shipped calls switches it on.\n");
            continue;
        }
        out.push_str(
            "\n| call | requirement | basis | a failure is | source |\n|---|---|---|---|---|\n",
        );
        for row in rows {
            let cite = row.setting.citation(row.call);
            let links: Vec<String> = cite
                .urls
                .iter()
                .enumerate()
                .map(|(i, u)| format!("[{}]({u})", i + 1))
                .collect();
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {}{} |",
                row.label(),
                row.setting.params.describe(row.call),
                row.setting.basis.as_str(),
                row.setting.judged(row.call).replace('|', "\\|"),
                cite.text.replace('|', "\\|"),
                if links.is_empty() {
                    String::new()
                } else {
                    format!(" {}", links.join(" "))
                }
            );
        }
        if *rule == RuleId::TargetThirdCountry {
            out.push_str("\nThe world regions escp knows:\n\n");
            for region in crate::ruleset::regions::Regions::get().all() {
                let aliases = if region.aliases.is_empty() {
                    String::new()
                } else {
                    format!(" (also: {})", region.aliases.join(", "))
                };
                let _ = writeln!(out, "- [{}]({}){aliases}", region.name, region.url);
            }
        }
    }
    Ok(out)
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn indent(snippet: &str) -> String {
    snippet
        .lines()
        .map(|l| format!("    {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Wraps at `width` columns, each line starting with `prefix`.
fn wrap(text: &str, width: usize, prefix: &str) -> String {
    let mut lines = Vec::new();
    let mut line = String::from(prefix);
    for word in text.split_whitespace() {
        if line.len() > prefix.len() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::replace(&mut line, String::from(prefix)));
        }
        if line.len() > prefix.len() {
            line.push(' ');
        }
        line.push_str(word);
    }
    lines.push(line);
    lines.join("\n")
}
