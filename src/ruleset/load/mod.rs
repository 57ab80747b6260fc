//! Reading a ruleset file into a [`Ruleset`], with every mistake reported as
//! a diagnostic that points into the ruleset file.

use super::groups::{self, RawGroup};
use super::{Deadline, Origin, RuleEntry, Ruleset, Source, Strand};
use crate::finding::Basis;
use setting::{cited, setting};

mod general;
mod setting;
use crate::rule_id::RuleId;
use miette::{Diagnostic, NamedSource, SourceSpan};
use serde::Deserialize;
use std::collections::BTreeMap;
use toml::{Spanned, Table, Value};

/// A ruleset that cannot be used, and where in its file the problem is.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("invalid ruleset {name}: {message}")]
#[diagnostic(code(ruleset))]
pub struct RulesetError {
    pub name: String,
    pub message: String,
    /// The line at fault (1-based), where known.
    pub line: Option<usize>,
    /// The ruleset's text as it may be shown (see `text::displayable`); none
    /// when the line at fault is too long to show.
    #[source_code]
    pub src: Option<NamedSource<String>>,
    #[label("{label}")]
    pub span: Option<SourceSpan>,
    pub label: String,
    #[help]
    pub help: Option<String>,
}

impl RulesetError {
    /// The error in one line: "calls/X.toml, line 12: ...".
    pub fn summary(&self) -> String {
        match self.line {
            Some(line) => format!("{}, line {line}: {}", self.name, self.message),
            None => format!("{}: {}", self.name, self.message),
        }
    }
}

/// A problem found while reading, before the file's name and text are attached.
struct Problem {
    span: std::ops::Range<usize>,
    message: String,
    help: Option<String>,
}

impl Problem {
    fn at(span: std::ops::Range<usize>, message: impl Into<String>) -> Self {
        Problem {
            span,
            message: message.into(),
            help: None,
        }
    }
    fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRuleset {
    id: Spanned<String>,
    #[serde(default)]
    aliases: Vec<String>,
    title: String,
    programme: Option<String>,
    summary: Option<String>,
    budget_eur: Option<f64>,
    deadline: Spanned<RawDeadline>,
    #[serde(default, rename = "strand")]
    strands: Vec<Spanned<RawStrand>>,
    #[serde(default, rename = "source")]
    sources: Vec<Spanned<RawSource>>,
    #[serde(default)]
    groups: Option<Spanned<BTreeMap<String, RawGroup>>>,
    rules: BTreeMap<Spanned<String>, RawRule>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDeadline {
    date: toml::value::Datetime,
    time: Option<toml::value::Datetime>,
    zone: String,
    basis: Basis,
    #[serde(default)]
    sources: Vec<String>,
    quote: Option<String>,
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStrand {
    id: String,
    title: String,
    budget_eur: Option<f64>,
    projects: Option<u32>,
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    id: String,
    title: String,
    publisher: String,
    date: Option<String>,
    language: String,
    url: Option<String>,
    cite: Option<String>,
}

/// Reads ruleset `text`; `name` is shown in diagnostics (a path, or
/// `calls/ID.toml` for an embedded ruleset).
pub fn load(name: &str, text: &str, origin: Origin) -> Result<Ruleset, Box<RulesetError>> {
    read(text, origin).map_err(|p| {
        let len = text.len();
        let mut span = p.span.start.min(len)..p.span.end.min(len);
        while !text.is_char_boundary(span.start) {
            span.start -= 1;
        }
        let name = crate::text::escape(name);
        let file = crate::source::SourceFile::new(name.clone(), text);
        let line = (len > 0).then(|| file.position(span.start).line);
        // As in the check's own diagnostics: no endless line is echoed, and
        // nothing that would drive the terminal.
        let (message, src, span) = if file.too_long_to_show(span.start) {
            let message = format!("{} {}", p.message, file.unshown(span.start));
            (message, None, None)
        } else {
            let end = span.end.min(file.line_of(span.start).end).max(span.start);
            let shown = file.displayable(name.clone()).text.to_string();
            let span = (span.start..end).into();
            (
                p.message,
                Some(NamedSource::new(name.clone(), shown)),
                Some(span),
            )
        };
        Box::new(RulesetError {
            name,
            line,
            label: "here".into(),
            message,
            src,
            span,
            help: p.help,
        })
    })
}

fn read(text: &str, origin: Origin) -> Result<Ruleset, Problem> {
    let ruleset = build(text, origin)?;
    printable(&ruleset, text)?;
    Ok(ruleset)
}

/// The `[[source]]`s of a ruleset, each with an id of its own and an
/// address (or what to cite where none is known).
fn read_sources(raw: Vec<Spanned<RawSource>>) -> Result<Vec<Source>, Problem> {
    let mut sources: Vec<Source> = Vec::with_capacity(raw.len());
    for entry in raw {
        let span = entry.span();
        let s = entry.into_inner();
        if sources.iter().any(|o| o.id == s.id) {
            return Err(Problem::at(
                span,
                format!("two sources have the id \"{}\"", s.id),
            ));
        }
        if s.url.is_none() && s.cite.is_none() {
            return Err(Problem::at(
                span,
                format!("source \"{}\" has neither `url` nor `cite`", s.id),
            )
            .help("give the address of the page, or, where none is known, what to cite (`cite = \"...\"`)"));
        }
        if let Some(url) = &s.url {
            if !(url.starts_with("https://") || url.starts_with("http://")) {
                return Err(Problem::at(
                    span,
                    format!("source \"{}\": `url` is not a web address", s.id),
                )
                .help("write the address of a public page, starting with https:// or http://"));
            }
        }
        sources.push(Source {
            id: s.id,
            title: s.title,
            publisher: s.publisher,
            date: s.date,
            language: s.language,
            url: s.url,
            cite: s.cite,
        });
    }
    Ok(sources)
}

/// Every text of a ruleset is shown to users (titles, sources, notes, strand
/// and group names), so none may hold a character that would drive the
/// terminal or reorder the text around it: such a ruleset is refused.
fn printable(ruleset: &Ruleset, text: &str) -> Result<(), Problem> {
    fn find(value: &serde_json::Value, path: &str) -> Option<(String, char)> {
        let bad = |s: &str| s.chars().find(|c| crate::text::is_unsafe(*c));
        match value {
            serde_json::Value::String(s) => bad(s).map(|c| (path.to_string(), c)),
            serde_json::Value::Array(items) => items
                .iter()
                .enumerate()
                .find_map(|(i, v)| find(v, &format!("{path}[{i}]"))),
            serde_json::Value::Object(map) => map.iter().find_map(|(k, v)| {
                let path = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                bad(k).map(|c| (path.clone(), c)).or_else(|| find(v, &path))
            }),
            _ => None,
        }
    }
    let value = serde_json::to_value(ruleset).unwrap_or_default();
    let Some((path, c)) = find(&value, "") else {
        return Ok(());
    };
    // Point at the character as written: raw, or as a \u / \U escape.
    let code = c as u32;
    let written = [
        c.to_string(),
        format!("\\u{code:04x}"),
        format!("\\u{code:04X}"),
        format!("\\U{code:08x}"),
        format!("\\U{code:08X}"),
    ];
    let at = written
        .iter()
        .filter_map(|w| text.find(w.as_str()).map(|i| i..i + w.len()))
        .min_by_key(|span| span.start);
    let (at, what) = match at {
        Some(at) => (at, "this text".to_string()),
        None => (0..0, format!("`{path}`")),
    };
    Err(Problem::at(
        at,
        format!("{what} holds the invisible or control character U+{code:04X}"),
    )
    .help("remove it: escp prints ruleset texts to terminals and CI logs"))
}

fn build(text: &str, origin: Origin) -> Result<Ruleset, Problem> {
    let raw: RawRuleset = toml::from_str(text).map_err(|e| {
        Problem::at(e.span().unwrap_or(0..0), e.message().trim().to_string())
            .help("see docs/rulesets.md for the ruleset format")
    })?;

    let mut sources = read_sources(raw.sources)?;
    let known_source = |id: &str| sources.iter().any(|s| s.id == id);

    let deadline_span = raw.deadline.span();
    let d = raw.deadline.into_inner();
    if crate::clock::zone(&d.zone).is_err() {
        return Err(
            Problem::at(deadline_span, format!("\"{}\" is not a time zone", d.zone))
                .help("write an IANA time zone such as \"Europe/Brussels\""),
        );
    }
    cited(
        &d.sources,
        d.quote.as_deref(),
        d.basis,
        None,
        &known_source,
        "the deadline",
    )
    .map_err(|m| Problem::at(deadline_span.clone(), m))?;
    let deadline = Deadline {
        date: super::date(&d.date).map_err(|m| Problem::at(deadline_span.clone(), m))?,
        time: d
            .time
            .map(|t| match (t.date, t.time, t.offset) {
                (None, Some(t), None) => jiff::civil::Time::new(t.hour as i8, t.minute as i8, 0, 0)
                    .map_err(|e| e.to_string()),
                _ => Err(format!(
                    "deadline time {t} must be a time of day such as 17:00:00"
                )),
            })
            .transpose()
            .map_err(|m| Problem::at(deadline_span.clone(), m))?,
        zone: d.zone,
        basis: d.basis,
        sources: d.sources,
        quote: d.quote,
        note: d.note,
        words: Default::default(),
    };

    let mut strands: Vec<Strand> = Vec::with_capacity(raw.strands.len());
    for entry in raw.strands {
        let span = entry.span();
        let s = entry.into_inner();
        // Strands are matched leniently, by id or by title: two strands
        // whose ids or titles read the same would make a file's strand
        // ambiguous.
        let new = [("id", &s.id), ("title", &s.title)];
        let clash = strands.iter().find_map(|o| {
            let old = [("id", &o.id), ("title", &o.title)];
            old.into_iter().find_map(|(what_o, text_o)| {
                let key = super::strand_key(text_o);
                new.iter()
                    .find(|(_, text)| !key.is_empty() && super::strand_key(text) == key)
                    .map(|&(what, text)| (o.id.clone(), what_o, text_o.clone(), what, text.clone()))
            })
        });
        if let Some((other, what_o, text_o, what, text)) = clash {
            return Err(Problem::at(
                span,
                format!(
                    "strands \"{other}\" and \"{}\" read as the same strand: the {what_o} \"{text_o}\" and the {what} \"{text}\"",
                    s.id
                ),
            )
            .help("a file names a strand by its id or its title, matched ignoring case, spaces, punctuation, the word \"and\" (so \"&\" and \"+\" too) and the words \"strand\", \"ecosystem\" and \"industrial ecosystem\": give the strands ids and titles that differ otherwise"));
        }
        strands.push(Strand {
            id: s.id,
            title: s.title,
            budget_eur: s.budget_eur,
            projects: s.projects,
            note: s.note,
        });
    }

    let groups = match raw.groups {
        None => groups::embedded().clone(),
        Some(own) => {
            let span = own.span();
            let own = own.into_inner();
            let mut all = groups::embedded().clone();
            all.extend(groups::build(own, groups::embedded()).map_err(|m| Problem::at(span, m))?);
            all
        }
    };

    let mut rules = Vec::new();
    for (key, table) in raw.rules {
        let rule = parse_rule_id(&key)?;
        // The general rules of EU proposals replace a ruleset's own table
        // for them (see `general`), so it is not read.
        if general::RULES.contains(&rule) {
            continue;
        }
        rules.push(read_rule(
            rule,
            table,
            &strands,
            &groups,
            &known_source,
            text,
        )?);
    }
    general::add(&mut rules, &mut sources, &strands, &groups)?;
    rules.sort_by_key(|e| e.rule);

    Ok(Ruleset {
        id: raw.id.into_inner(),
        aliases: raw.aliases,
        title: raw.title,
        programme: raw.programme,
        summary: raw.summary,
        budget_eur: raw.budget_eur,
        deadline,
        strands,
        sources,
        groups,
        rules,
        origin,
        strand_keys: Default::default(),
    })
}

fn parse_rule_id(key: &Spanned<String>) -> Result<RuleId, Problem> {
    let name = key.get_ref();
    match RuleId::parse(name) {
        Some(rule) if rule.is_configurable() => Ok(rule),
        Some(rule) => Err(
            Problem::at(key.span(), format!("`{rule}` cannot be set in a ruleset")).help(
                if rule.is_format_rule() {
                    "format rules are always on"
                } else {
                    "this rule is not supported in rulesets yet"
                },
            ),
        ),
        None => {
            let known: Vec<&str> = RuleId::ALL
                .iter()
                .filter(|r| r.is_configurable())
                .map(|r| r.as_str())
                .collect();
            let help = match crate::text::closest(name, known.iter().copied()) {
                Some(best) => format!("did you mean `{best}`?"),
                None => format!("the rules are: {}", known.join(", ")),
            };
            Err(Problem::at(
                key.span(),
                format!("unknown rule `{}`", crate::text::clean(name)),
            )
            .help(help))
        }
    }
}

type RawRule = Spanned<BTreeMap<Spanned<String>, Spanned<Value>>>;

fn read_rule(
    rule: RuleId,
    table: RawRule,
    strands: &[Strand],
    groups: &BTreeMap<String, groups::Group>,
    known_source: &dyn Fn(&str) -> bool,
    text: &str,
) -> Result<RuleEntry, Problem> {
    let rule_span = table.span();
    // Where `strands.ID = ...` is written in the rule, to point at the
    // override of the strand at fault.
    let override_span = |id: &str| -> Option<std::ops::Range<usize>> {
        // The rule's table runs from its header to the next header.
        let rest = text.get(rule_span.start..)?;
        let end = rest[1..]
            .find("\n[")
            .map_or(text.len(), |i| rule_span.start + 1 + i);
        let within = text.get(rule_span.start..end)?;
        [
            format!("strands.{id} "),
            format!("strands.{id}="),
            format!("strands.\"{id}\""),
        ]
        .iter()
        .filter_map(|w| within.find(w.as_str()))
        .min()
        .map(|at| {
            let start = rule_span.start + at;
            let end = text[start..].find('\n').map_or(text.len(), |e| start + e);
            start..end
        })
    };
    let table = table.into_inner();
    let span_of = |key: &str| -> std::ops::Range<usize> {
        table
            .iter()
            .find(|(k, _)| k.get_ref() == key)
            .map(|(_, v)| v.span())
            .unwrap_or_else(|| rule_span.clone())
    };
    let base: Table = table
        .iter()
        .map(|(k, v)| (k.get_ref().clone(), v.get_ref().clone()))
        .collect();

    let applies_to: Option<Vec<String>> = match base.get("applies_to") {
        None => None,
        Some(v) => Some(v.clone().try_into().map_err(|_| {
            Problem::at(
                span_of("applies_to"),
                "`applies_to` must be a list of strand ids",
            )
        })?),
    };
    let overrides: Table = match base.get("strands") {
        None => Table::new(),
        Some(Value::Table(t)) => t.clone(),
        Some(_) => {
            return Err(Problem::at(
                span_of("strands"),
                "`strands` must be a table of per-strand settings",
            )
            .help("write e.g. `strands.A = { max_eur = 550000 }`"))
        }
    };
    if strands.is_empty() && (applies_to.is_some() || !overrides.is_empty()) {
        let key = if applies_to.is_some() {
            "applies_to"
        } else {
            "strands"
        };
        return Err(Problem::at(
            span_of(key),
            format!("`{key}` is set, but the call has no strands"),
        )
        .help("declare the call's strands with [[strand]] tables, or remove it"));
    }
    let strand_ids = || {
        strands
            .iter()
            .map(|s| s.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    for (id, value) in &overrides {
        if !strands.iter().any(|s| &s.id == id) {
            return Err(Problem::at(
                span_of("strands"),
                format!("`strands.{id}` names no strand of this call"),
            )
            .help(format!("the strands are: {}", strand_ids())));
        }
        if !value.is_table() {
            return Err(Problem::at(
                span_of("strands"),
                format!("`strands.{id}` must be a table"),
            ));
        }
    }
    if let Some(only) = &applies_to {
        if let Some(id) = overrides.keys().find(|id| !only.contains(id)) {
            return Err(Problem::at(
                span_of("strands"),
                format!("`strands.{id}` sets the rule for a strand that `applies_to` leaves out"),
            )
            .help("add the strand to `applies_to`, or remove its override"));
        }
    }
    for id in applies_to.iter().flatten() {
        if !strands.iter().any(|s| &s.id == id) {
            return Err(Problem::at(
                span_of("applies_to"),
                format!("`applies_to` names \"{id}\", which is no strand of this call"),
            )
            .help(format!("the strands are: {}", strand_ids())));
        }
    }

    let slots: Vec<Option<&Strand>> = if strands.is_empty() {
        vec![None]
    } else {
        strands.iter().map(Some).collect()
    };
    let mut per_strand = Vec::with_capacity(slots.len());
    for strand in slots {
        if let (Some(s), Some(only)) = (strand, &applies_to) {
            if !only.contains(&s.id) {
                per_strand.push(None);
                continue;
            }
        }
        let mut merged = base.clone();
        merged.remove("applies_to");
        merged.remove("strands");
        let mut error_span = rule_span.clone();
        // Errors name the strand only where its own override is involved.
        let mut within = String::new();
        if let Some(Value::Table(over)) = strand.and_then(|s| overrides.get(&s.id)) {
            error_span = strand
                .and_then(|s| override_span(&s.id))
                .unwrap_or_else(|| span_of("strands"));
            within = format!(
                " (strand {})",
                strand.map(|s| s.id.as_str()).unwrap_or_default()
            );
            // A strand whose basis differs has readings of its own: the
            // rule's `other`, `lenient` and `inferred_from` belong to the
            // rule's basis, not to the strand's.
            if over.contains_key("basis") {
                for key in ["other", "lenient", "inferred_from"] {
                    merged.remove(key);
                }
            }
            for (k, v) in over {
                merged.insert(k.clone(), v.clone());
            }
        }
        per_strand.push(Some(
            setting(rule, merged, &within, groups, known_source).map_err(|(key, problem)| {
                let span = key
                    .filter(|_| error_span == rule_span)
                    .map(|k| span_of(&k))
                    .unwrap_or_else(|| error_span.clone());
                Problem { span, ..problem }
            })?,
        ));
    }
    Ok(RuleEntry { rule, per_strand })
}
