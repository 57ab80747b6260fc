//! One rule's setting for one strand, read from its (merged) table: its
//! basis and citation, and the readings it is judged under: the one used,
//! the other reading of contested sources, or the most lenient reading of an
//! inferred parameter.

use super::Problem;
use crate::finding::{Basis, Severity};
use crate::rule_id::RuleId;
use crate::ruleset::groups;
use crate::ruleset::{Lenient, Reading, RuleSetting};
use std::collections::BTreeMap;
use toml::{Table, Value};

/// Whether a fact is cited as its basis requires: a confirmed or contested
/// fact names its sources and quotes them; an inferred one says what it is
/// deduced from. Every source named must be in the ruleset's `[[source]]`s.
pub(super) fn cited(
    sources: &[String],
    quote: Option<&str>,
    basis: Basis,
    inferred_from: Option<&str>,
    known: &dyn Fn(&str) -> bool,
    what: &str,
) -> Result<(), String> {
    if let Some(unknown) = sources.iter().find(|id| !known(id)) {
        return Err(format!(
            "{what} cites the source \"{unknown}\", which is not among the ruleset's [[source]]s"
        ));
    }
    match basis {
        Basis::Confirmed | Basis::Contested if sources.is_empty() || quote.is_none() => Err(format!(
            "{what} is {} but has no {}: a stated fact names the public pages that state it and quotes them",
            basis.as_str(),
            match (sources.is_empty(), quote.is_none()) {
                (true, true) => "`sources` and `quote`",
                (true, false) => "`sources`",
                _ => "`quote`",
            }
        )),
        Basis::Inferred if inferred_from.is_none() && what != "the deadline" => Err(format!(
            "{what} is inferred but does not say from what (`inferred_from`)"
        )),
        _ => Ok(()),
    }
}

/// Builds one setting from a merged table. The error names the key at fault
/// (if known) so the caller can point at it.
pub(super) fn setting(
    rule: RuleId,
    mut table: Table,
    within: &str,
    groups: &BTreeMap<String, groups::Group>,
    known_source: &dyn Fn(&str) -> bool,
) -> Result<RuleSetting, (Option<String>, Problem)> {
    let fail =
        |key: Option<&str>, message: String| (key.map(str::to_string), Problem::at(0..0, message));
    if table.contains_key("source") {
        return Err(fail(
            Some("source"),
            format!("rule `{rule}`{within}: `source` is now `sources` (a list of [[source]] ids) and `quote`"),
        )
        .map_help("see docs/rulesets.md: each rule cites the ids of its [[source]]s and quotes the words that state the parameter"));
    }
    let text =
        |table: &mut Table, key: &str| -> Result<Option<String>, (Option<String>, Problem)> {
            match table.remove(key) {
                Some(Value::String(s)) => Ok(Some(s)),
                Some(_) => Err(fail(
                    Some(key),
                    format!("`{key}` of rule `{rule}`{within} must be a string"),
                )),
                None => Ok(None),
            }
        };
    let list = |table: &mut Table, key: &str| -> Result<Vec<String>, (Option<String>, Problem)> {
        match table.remove(key) {
            None => Ok(Vec::new()),
            Some(v) => v.try_into::<Vec<String>>().map_err(|_| {
                fail(
                    Some(key),
                    format!("`{key}` of rule `{rule}`{within} must be a list of source ids"),
                )
            }),
        }
    };
    let basis = match text(&mut table, "basis")?.as_deref() {
        Some("confirmed") => Basis::Confirmed,
        Some("contested") => Basis::Contested,
        Some("inferred") => Basis::Inferred,
        other => {
            return Err(fail(
                if other.is_some() { Some("basis") } else { None },
                format!(
                    "`basis` of rule `{rule}`{within} is {}; it is \"confirmed\", \"contested\" or \"inferred\"",
                    other.map_or("missing".to_string(), |o| format!("\"{o}\""))
                ),
            )
            .map_help("every rule cites its sources and says whether they state it (confirmed), disagree (contested) or it is deduced (inferred)"))
        }
    };
    let sources = list(&mut table, "sources")?;
    let quote = text(&mut table, "quote")?;
    let inferred_from = text(&mut table, "inferred_from")?;
    let note = text(&mut table, "note")?;
    cited(
        &sources,
        quote.as_deref(),
        basis,
        inferred_from.as_deref(),
        known_source,
        &format!("rule `{rule}`{within}"),
    )
    .map_err(|m| {
        fail(
            Some(if sources.is_empty() {
                "basis"
            } else {
                "sources"
            }),
            m,
        )
    })?;
    // Every basis can fail a consortium: an error where it fails every
    // plausible reading, a warning where it fails only some. `warning` is
    // for advice ("encouraged to target at most five countries").
    let severity = match text(&mut table, "severity")?.as_deref() {
        None | Some("error") => Severity::Error,
        Some("warning") => Severity::Warning,
        Some(other) => {
            return Err(fail(
                Some("severity"),
                format!("`severity` of rule `{rule}`{within} is \"{other}\"; it is \"error\" or \"warning\""),
            ))
        }
    };
    let lenient = match (table.remove("lenient"), basis) {
        (None, Basis::Inferred) => {
            return Err(fail(
                Some("basis"),
                format!("rule `{rule}`{within} is inferred but does not state its most lenient reading (`lenient`)"),
            )
            .map_help("an inferred parameter states the most lenient reading that no plausible interpretation of the call goes below, and why: e.g. `lenient = { min = 2, why = \"a trans-European partnership has partners in at least two countries\" }`, `lenient = { why = \"...\" }` where it is the value used, or `lenient = { none = true, why = \"...\" }` where no requirement is known (the rule then only warns)"))
        }
        (None, _) => None,
        (Some(_), b) if b != Basis::Inferred => {
            return Err(fail(
                Some("lenient"),
                format!("rule `{rule}`{within} has a `lenient` reading but is not inferred"),
            )
            .map_help("a confirmed parameter has one reading and a contested one its `other`: set `basis = \"inferred\"`, or remove `lenient`"))
        }
        (Some(Value::Table(mut lenient)), _) => {
            let why = match lenient.remove("why") {
                Some(Value::String(why)) if !why.trim().is_empty() => why,
                _ => {
                    return Err(fail(
                        Some("lenient"),
                        format!("the lenient reading of rule `{rule}`{within} does not say why (`why`, a sentence)"),
                    )
                    .map_help("say why no plausible reading of the call is more lenient"))
                }
            };
            let none = match lenient.remove("none") {
                None => false,
                Some(Value::Boolean(b)) => b,
                Some(_) => {
                    return Err(fail(
                        Some("lenient"),
                        format!("`none` of the lenient reading of rule `{rule}`{within} must be true or false"),
                    ))
                }
            };
            if none && !lenient.is_empty() {
                return Err(fail(
                    Some("lenient"),
                    format!("the lenient reading of rule `{rule}`{within} says `none = true` (no requirement known) but also sets parameters"),
                ));
            }
            let params = if none {
                None
            } else {
                let mut merged = table.clone();
                for (k, v) in lenient {
                    merged.insert(k, v);
                }
                Some(crate::ruleset::params::parse_params(rule, merged).map_err(|e| {
                    (
                        Some("lenient".to_string()),
                        Problem::at(0..0, format!("the lenient reading of rule `{rule}`{within}: {}", e.message)),
                    )
                })?)
            };
            Some(Box::new(Lenient { params, why }))
        }
        (Some(_), _) => {
            return Err(fail(
                Some("lenient"),
                format!("`lenient` of rule `{rule}`{within} must be a table"),
            ))
        }
    };
    let other = match (table.remove("other"), basis) {
        (None, Basis::Contested) => {
            return Err(fail(
                Some("basis"),
                format!("rule `{rule}`{within} is contested but gives no `other` reading"),
            )
            .map_help("write the reading of the other sources, e.g. `other = { max_eur = 450000, sources = [\"...\"], quote = \"...\" }`"))
        }
        (None, _) => None,
        (Some(_), b) if b != Basis::Contested => {
            return Err(fail(
                Some("other"),
                format!("rule `{rule}`{within} has an `other` reading but is not contested"),
            )
            .map_help("set `basis = \"contested\"`, or remove `other`"))
        }
        (Some(Value::Table(mut other)), _) => {
            let other_sources = list(&mut other, "sources")?;
            let other_quote = text(&mut other, "quote")?;
            cited(
                &other_sources,
                other_quote.as_deref(),
                Basis::Contested,
                None,
                known_source,
                &format!("the other reading of rule `{rule}`{within}"),
            )
            .map_err(|m| fail(Some("other"), m))?;
            let mut merged = table.clone();
            for (k, v) in other {
                merged.insert(k, v);
            }
            let params = crate::ruleset::params::parse_params(rule, merged).map_err(|e| {
                (
                    Some("other".to_string()),
                    Problem::at(0..0, format!("the other reading of rule `{rule}`{within}: {}", e.message)),
                )
            })?;
            Some(Box::new(Reading {
                params,
                sources: other_sources,
                quote: other_quote,
            }))
        }
        (Some(_), _) => {
            return Err(fail(
                Some("other"),
                format!("`other` of rule `{rule}`{within} must be a table"),
            ))
        }
    };
    let params = crate::ruleset::params::parse_params(rule, table).map_err(|e| {
        (
            e.key.clone(),
            Problem::at(0..0, format!("rule `{rule}`{within}: {}", e.message)),
        )
    })?;
    if other.as_ref().is_some_and(|o| o.params == params) {
        return Err(fail(
            Some("other"),
            format!(
                "the other reading of rule `{rule}`{within} sets the same parameters as the rule"
            ),
        ));
    }
    let written = params.to_json();
    let group_key = ["groups", "among", "group", "not_in"]
        .into_iter()
        .find(|k| written.get(*k).is_some())
        .unwrap_or("groups");
    let mut names = params.groups();
    if let Some(o) = &other {
        names.extend(o.params.groups());
    }
    if let Some(p) = lenient.as_ref().and_then(|l| l.params.as_ref()) {
        names.extend(p.groups());
    }
    for name in names {
        if !groups.contains_key(name) {
            let known: Vec<&str> = groups.keys().map(String::as_str).collect();
            return Err(fail(
                Some(group_key),
                format!(
                    "rule `{rule}`{within} names the country group `{name}`, which is not defined"
                ),
            )
            .map_help(format!("the groups are: {}", known.join(", "))));
        }
    }
    Ok(RuleSetting {
        severity,
        basis,
        sources,
        quote,
        inferred_from,
        note,
        params,
        other,
        lenient,
    })
}

trait MapHelp {
    fn map_help(self, help: impl Into<String>) -> Self;
}

impl MapHelp for (Option<String>, Problem) {
    fn map_help(self, help: impl Into<String>) -> Self {
        (self.0, self.1.help(help))
    }
}
