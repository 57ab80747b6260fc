//! The consortium file (SPEC §1): its model, and the parser that reads it
//! with the position of every key and value.
//!
//! The parser walks the TOML tree once and reports *every* format problem of
//! the file (`unknown-key`, `missing-key`, `invalid-value`) instead of
//! stopping at the first, as serde would. What is wrong is left out of the
//! model (`None`), so that the call rules check what is right and skip what
//! they cannot judge.

use crate::countries::{Countries, Country};
use crate::finding::Finding;
use crate::rules::RuleId;
use crate::source::Span;
use serde::Deserialize;
use std::fmt;
use toml::de::{DeArray, DeString, DeTable, DeValue};
use toml::Spanned;

pub mod keys;
mod sections;

/// A value and where it is written.
#[derive(Debug, Clone, PartialEq)]
pub struct Sp<T> {
    pub value: T,
    pub span: Span,
}

/// A value that has a default: `span` is `None` when the key is absent.
#[derive(Debug, Clone, PartialEq)]
pub struct Defaulted<T> {
    pub value: T,
    pub span: Option<Span>,
}

impl<T> Defaulted<T> {
    /// Where to point for this value: the value, or the entry's header when
    /// the default is used.
    pub fn span_or(&self, header: &Span) -> Span {
        self.span.clone().unwrap_or_else(|| header.clone())
    }
}

/// The whole file, as far as it could be read.
#[derive(Debug, Clone, Default)]
pub struct Consortium {
    pub call: Option<Sp<String>>,
    pub strand: Option<Sp<String>>,
    pub proposal: Proposal,
    pub partners: Vec<Partner>,
    pub targets: Vec<Target>,
}

#[derive(Debug, Clone, Default)]
pub struct Proposal {
    /// The `[proposal]` header, if the table is there.
    pub header: Option<Span>,
    pub acronym: Option<Sp<String>>,
    pub title: Option<Sp<String>>,
    pub duration_months: Option<Sp<u64>>,
    pub requested_grant_eur: Option<Sp<f64>>,
    pub total_costs_eur: Option<Sp<f64>>,
    pub actions: Option<Sp<Vec<Sp<Action>>>>,
}

/// One `[[partner]]` entry: an applicant.
#[derive(Debug, Clone)]
pub struct Partner {
    /// The `[[partner]]` header (or the inline table).
    pub header: Span,
    pub short_name: Option<Sp<String>>,
    pub name: Option<Sp<String>>,
    pub role: Defaulted<Role>,
    pub country: Option<Sp<Country>>,
    pub kind: Option<Sp<OrgType>>,
    pub eccp: Option<Sp<Eccp>>,
    pub defence_related: Defaulted<bool>,
    pub legal_entity: Defaulted<bool>,
    pub sme_members: Option<Sp<u64>>,
}

impl Partner {
    /// How the partner is named in messages: its short name, else its legal
    /// name, else its position; safe to print (see [`crate::text::clean`]).
    pub fn label(&self, index: usize) -> String {
        self.short_name
            .as_ref()
            .or(self.name.as_ref())
            .map(|s| crate::text::clean(&s.value))
            .unwrap_or_else(|| format!("applicant #{}", index + 1))
    }
}

/// One `[[target]]` entry: a target market.
#[derive(Debug, Clone)]
pub struct Target {
    pub header: Span,
    pub market: Option<Market>,
}

#[derive(Debug, Clone)]
pub enum Market {
    Country(Sp<Country>),
    Region(Sp<String>),
}

/// A closed set of words a key accepts.
pub trait Keyword: Sized + Copy + 'static {
    /// Each accepted spelling with its value, in the order help lists them.
    const ALL: &'static [(&'static str, Self)];

    fn as_str(self) -> &'static str
    where
        Self: PartialEq,
    {
        Self::ALL
            .iter()
            .find(|(_, v)| *v == self)
            .map(|(s, _)| *s)
            .unwrap_or("?")
    }
}

macro_rules! keyword {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, serde::Serialize)]
        pub enum $name { $(#[serde(rename = $text)] $variant),+ }
        impl Keyword for $name {
            const ALL: &'static [(&'static str, Self)] = &[$(($text, $name::$variant)),+];
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

keyword!(
    /// An applicant's role in the consortium.
    Role { Coordinator = "coordinator", Partner = "partner" }
);
keyword!(
    /// The kind of organisation an applicant is.
    OrgType {
        ClusterOrganisation = "cluster-organisation",
        BusinessNetworkOrganisation = "business-network-organisation",
        Other = "other",
    }
);
keyword!(
    /// An applicant's status on the European Cluster Collaboration Platform.
    Eccp { Registered = "registered", Requested = "requested", Planned = "planned", None = "none" }
);
keyword!(
    /// The kinds of action a proposal covers.
    Action { Preparatory = "preparatory", Implementation = "implementation" }
);

/// The keys of each table, for `unknown-key` and its did-you-mean.
const TOP_KEYS: &[&str] = &["call", "strand", "proposal", "partner", "target"];
const PROPOSAL_KEYS: &[&str] = &[
    "acronym",
    "title",
    "duration_months",
    "requested_grant_eur",
    "total_costs_eur",
    "actions",
];
const PARTNER_KEYS: &[&str] = &[
    "short_name",
    "name",
    "role",
    "country",
    "type",
    "eccp",
    "defence_related",
    "legal_entity",
    "sme_members",
];
const TARGET_KEYS: &[&str] = &["country", "region"];

/// Files larger than this are parsed section by section (see [`sections`]);
/// smaller ones in one go. Both give the same model and findings (tested).
const SECTIONS_FROM: usize = 64 * 1024;

/// Files larger than this have their sections parsed on every core.
const PARALLEL_FROM: usize = 1024 * 1024;

/// How [`parse_with`] reads a file. All three give the same model and
/// findings (`tests/sections.rs`); they differ in memory and speed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strategy {
    /// One document tree for the whole file: simplest, for small files.
    Whole,
    /// One section at a time: memory stays close to the file's size.
    Sections,
    /// Sections in contiguous batches, one batch per task on rayon's pool,
    /// merged in file order: for files of megabytes.
    Parallel,
}

/// Parses a consortium file. `Err` holds the TOML syntax errors (the file
/// cannot be checked); `Ok` holds the model and the format findings.
pub fn parse(text: &str) -> Result<(Consortium, Vec<Finding>), Vec<Finding>> {
    let strategy = match text.len() {
        n if n >= PARALLEL_FROM => Strategy::Parallel,
        n if n >= SECTIONS_FROM => Strategy::Sections,
        _ => Strategy::Whole,
    };
    parse_with(text, strategy)
}

/// [`parse`] with a chosen strategy. Files whose layout cannot be split
/// (see [`sections`]) are parsed whole whatever the strategy.
pub fn parse_with(
    text: &str,
    strategy: Strategy,
) -> Result<(Consortium, Vec<Finding>), Vec<Finding>> {
    if strategy != Strategy::Whole {
        if let Some(sections) = sections::split(text) {
            if let Some(parsed) = parse_sections(text, &sections, strategy) {
                return parsed;
            }
        }
    }
    let (root, errors) = DeTable::parse_recoverable(text);
    if !errors.is_empty() {
        return Err(one_per_cause(
            errors
                .iter()
                .map(|e| syntax_finding(e, 0, text.len()))
                .collect(),
        ));
    }
    let mut reader = Reader::new();
    let mut c = Consortium::default();
    let mut seen = Seen::default();
    reader.root(root.get_ref(), &mut c, &mut seen);
    reader.finish(&seen);
    Ok((c, reader.findings))
}

/// What one batch of sections gives: its part of the model, its findings
/// and syntax errors, and the top-level keys it met.
#[derive(Default)]
struct Part {
    consortium: Consortium,
    findings: Vec<Finding>,
    errors: Vec<Finding>,
    seen: Seen,
}

/// Each section parsed on its own, its positions shifted to the file's.
/// `None` when the keys before the first header also define a table that a
/// header defines (`partner = [...]` and `[[partner]]`): TOML forbids that,
/// and the whole-document parser says so.
#[allow(clippy::type_complexity)]
fn parse_sections(
    text: &str,
    sections: &[sections::Section],
    strategy: Strategy,
) -> Option<Result<(Consortium, Vec<Finding>), Vec<Finding>>> {
    let parts: Vec<Part> = if strategy == Strategy::Parallel {
        use rayon::prelude::*;
        // A few batches per thread, so that uneven sections even out.
        let batch = sections
            .len()
            .div_ceil(4 * rayon::current_num_threads())
            .max(1);
        sections
            .par_chunks(batch)
            .map(|batch| read_batch(text, sections, batch))
            .collect::<Option<Vec<Part>>>()?
    } else {
        vec![read_batch(text, sections, sections)?]
    };
    // Merged in file order: call and strand come from the keys before the
    // first header, the proposal from its one section (the splitter only
    // splits files with at most one `[proposal]`).
    // The first batch's part grows to hold the rest: `reserve_exact` on a
    // large buffer extends it in place where it can, so the merge does not
    // hold a second copy of every applicant.
    let more: usize = parts
        .iter()
        .skip(1)
        .map(|p| p.consortium.partners.len())
        .sum();
    let mut parts = parts.into_iter();
    let mut whole = parts.next().unwrap_or_default();
    whole.consortium.partners.reserve_exact(more);
    for part in parts {
        let c = part.consortium;
        whole.consortium.call = whole.consortium.call.or(c.call);
        whole.consortium.strand = whole.consortium.strand.or(c.strand);
        if part.seen.proposal {
            whole.consortium.proposal = c.proposal;
        }
        whole.consortium.partners.extend(c.partners);
        whole.consortium.targets.extend(c.targets);
        whole.findings.extend(part.findings);
        whole.errors.extend(part.errors);
        whole.seen.call |= part.seen.call;
        whole.seen.proposal |= part.seen.proposal;
    }
    if !whole.errors.is_empty() {
        return Some(Err(one_per_cause(whole.errors)));
    }
    let mut reader = Reader::new();
    reader.finish(&whole.seen);
    whole.findings.extend(reader.findings);
    Some(Ok((whole.consortium, whole.findings)))
}

/// Reads `batch`, a run of consecutive sections of `all`.
fn read_batch(text: &str, all: &[sections::Section], batch: &[sections::Section]) -> Option<Part> {
    let mut reader = Reader::new();
    let mut part = Part::default();
    // One applicant per `[[partner]]` section: sized once, no doubling.
    let applicants = batch.iter().filter(|s| s.kind == sections::Kind::Partner);
    part.consortium.partners.reserve_exact(applicants.count());
    for section in batch {
        let chunk = &text[section.start..section.end];
        let (root, errs) = DeTable::parse_recoverable(chunk);
        if !errs.is_empty() {
            part.errors.extend(
                errs.iter()
                    .map(|e| syntax_finding(e, section.start, text.len())),
            );
            continue;
        }
        if section.kind == sections::Kind::Root {
            let redefined = |name: &str, kind| {
                root.get_ref().get(name).is_some() && all.iter().any(|s| s.kind == kind)
            };
            if redefined("proposal", sections::Kind::Proposal)
                || redefined("partner", sections::Kind::Partner)
                || redefined("target", sections::Kind::Target)
            {
                return None;
            }
        }
        if part.errors.is_empty() {
            reader.offset = section.start;
            reader.root(root.get_ref(), &mut part.consortium, &mut part.seen);
        }
    }
    part.findings = reader.findings;
    Some(part)
}

/// One syntax finding per message: the parser recovers and reports the same
/// mistake again on every line it recurs (a file with CR-only line endings
/// gave one error per line); the first stands for the others.
fn one_per_cause(findings: Vec<Finding>) -> Vec<Finding> {
    let mut kept: Vec<(Finding, usize)> = Vec::new();
    for finding in findings {
        match kept.iter_mut().find(|(k, _)| k.message == finding.message) {
            Some((_, again)) => *again += 1,
            None => kept.push((finding, 0)),
        }
    }
    kept.into_iter()
        .map(|(mut finding, again)| {
            if again > 0 {
                let times = crate::text::plural(again, "more time", "more times");
                finding
                    .message
                    .push_str(&format!(" (and {times} further on)"));
            }
            finding
        })
        .collect()
}

fn syntax_finding(error: &toml::de::Error, offset: usize, len: usize) -> Finding {
    let span = error.span().unwrap_or(0..0);
    let span = (span.start + offset).min(len)..(span.end + offset).min(len);
    let message = error.message().trim().trim_end_matches('.').to_string();
    let help = if message.contains("carriage return") {
        "TOML lines end with LF or CRLF; a file with CR-only line endings (old Mac \
         editors) must be saved with LF or CRLF line endings"
    } else {
        "fix the TOML syntax; escp checks the rules once the file parses"
    };
    Finding::new(RuleId::Syntax, span, format!("invalid TOML: {message}")).help(help)
}

struct Reader {
    findings: Vec<Finding>,
    countries: &'static Countries,
    /// Where the section being read starts in the file.
    offset: usize,
}

/// The top-level keys met so far, for the missing-key checks at the end.
#[derive(Default)]
struct Seen {
    call: bool,
    proposal: bool,
}

impl Reader {
    fn new() -> Reader {
        Reader {
            findings: Vec::new(),
            countries: Countries::get(),
            offset: 0,
        }
    }

    /// A position in the section, as a position in the file.
    fn at<T>(&self, spanned: &Spanned<T>) -> Span {
        let span = spanned.span();
        span.start + self.offset..span.end + self.offset
    }

    /// Reads the top-level keys of the file (or of one section of it).
    fn root(&mut self, root: &DeTable<'_>, c: &mut Consortium, seen: &mut Seen) {
        for (key, value) in root.iter() {
            match key.get_ref().as_ref() {
                "call" => {
                    seen.call = true;
                    c.call = self.string("call", value);
                }
                "strand" => c.strand = self.string("strand", value),
                "proposal" => {
                    seen.proposal = true;
                    if let Some(table) = self.table("proposal", value) {
                        c.proposal = self.proposal(table, self.at(value));
                    }
                }
                "partner" => {
                    for (table, header) in self.entries("partner", value) {
                        let partner = self.partner(table, header);
                        c.partners.push(partner);
                    }
                }
                "target" => {
                    for (table, header) in self.entries("target", value) {
                        let target = self.target(table, header);
                        c.targets.push(target);
                    }
                }
                _ => self.unknown_key(key, TOP_KEYS, "at the top of the file"),
            }
        }
    }

    /// The checks that need the whole file: required top-level keys.
    fn finish(&mut self, seen: &Seen) {
        if !seen.call {
            self.missing("call", 0..0, "the file", "call = \"COS-CLUSINT-2020-3-01\"");
        }
        if !seen.proposal {
            self.missing(
                "proposal",
                0..0,
                "the file",
                "[proposal]\nacronym = \"...\"",
            );
        }
    }

    fn proposal(&mut self, table: &DeTable<'_>, header: Span) -> Proposal {
        let mut p = Proposal {
            header: Some(header.clone()),
            ..Proposal::default()
        };
        for (key, value) in table.iter() {
            let name = key.get_ref().as_ref();
            match name {
                "acronym" => p.acronym = self.text(name, value),
                "title" => p.title = self.string(name, value),
                "duration_months" => p.duration_months = self.whole(name, value, 1),
                "requested_grant_eur" | "total_costs_eur" => {
                    let amount = self.amount(name, value);
                    if name == "requested_grant_eur" {
                        p.requested_grant_eur = amount;
                    } else {
                        p.total_costs_eur = amount;
                    }
                }
                "actions" => p.actions = self.keywords(name, value),
                _ => self.unknown_key(key, PROPOSAL_KEYS, "in [proposal]"),
            }
        }
        if table.get("acronym").is_none() {
            self.missing("acronym", header, "[proposal]", "acronym = \"...\"");
        }
        p
    }

    fn partner(&mut self, table: &DeTable<'_>, header: Span) -> Partner {
        let mut p = Partner {
            header: header.clone(),
            short_name: None,
            name: None,
            role: Defaulted {
                value: Role::Partner,
                span: None,
            },
            country: None,
            kind: None,
            eccp: None,
            defence_related: Defaulted {
                value: false,
                span: None,
            },
            legal_entity: Defaulted {
                value: true,
                span: None,
            },
            sme_members: None,
        };
        for (key, value) in table.iter() {
            let name = key.get_ref().as_ref();
            match name {
                "short_name" => p.short_name = self.text(name, value),
                "name" => p.name = self.text(name, value),
                "role" => defaulted(&mut p.role, self.keyword(name, value)),
                "country" => p.country = self.country(name, value),
                "type" => p.kind = self.keyword(name, value),
                "eccp" => p.eccp = self.keyword(name, value),
                "defence_related" => defaulted(&mut p.defence_related, self.boolean(name, value)),
                "legal_entity" => defaulted(&mut p.legal_entity, self.boolean(name, value)),
                "sme_members" => p.sme_members = self.whole(name, value, 0),
                _ => self.unknown_key(key, PARTNER_KEYS, "in [[partner]]"),
            }
        }
        for (key, example) in [
            ("short_name", "short_name = \"AGRI-IT\""),
            ("name", "name = \"Consorzio Agrifood Cluster Italia\""),
            ("country", "country = \"IT\""),
            ("type", "type = \"cluster-organisation\""),
            ("eccp", "eccp = \"registered\""),
        ] {
            if table.get(key).is_none() {
                self.missing(key, header.clone(), "[[partner]]", example);
            }
        }
        p
    }

    fn target(&mut self, table: &DeTable<'_>, header: Span) -> Target {
        let mut country = None;
        let mut region = None;
        for (key, value) in table.iter() {
            let name = key.get_ref().as_ref();
            match name {
                "country" => country = Some(self.country(name, value)),
                "region" => region = Some(self.text(name, value)),
                _ => self.unknown_key(key, TARGET_KEYS, "in [[target]]"),
            }
        }
        let market = match (country, region) {
            (Some(country), None) => country.map(Market::Country),
            (None, Some(region)) => region.map(Market::Region),
            (both_or_neither, _) => {
                let message = if both_or_neither.is_some() {
                    "this target has both `country` and `region`"
                } else {
                    "this target has neither `country` nor `region`"
                };
                self.findings.push(
                    Finding::new(RuleId::InvalidValue, header.clone(), message)
                        .label("a target market is one country or one world region")
                        .help("give each [[target]] exactly one of `country = \"JP\"` or `region = \"Mercosur\"`"),
                );
                None
            }
        };
        Target { header, market }
    }

    // --- keys ---------------------------------------------------------------

    fn unknown_key(&mut self, key: &Spanned<DeString<'_>>, known: &[&str], place: &str) {
        let name = key.get_ref().as_ref();
        let mut finding = Finding::new(
            RuleId::UnknownKey,
            self.at(key),
            format!("unknown key `{}` {place}", crate::text::clean(name)),
        )
        .label("not a key of the consortium format");
        finding = match crate::text::closest(name, known.iter().copied()) {
            Some(best) => finding.help(format!("did you mean `{best}`?")),
            None => finding.help(format!("the keys here are: {}", known.join(", "))),
        };
        self.findings.push(finding);
    }

    fn missing(&mut self, key: &str, at: Span, place: &str, example: &str) {
        let example = example.replace('\n', "` then `");
        self.findings.push(
            Finding::new(
                RuleId::MissingKey,
                at,
                format!("`{key}` is missing from {place}"),
            )
            .label(format!("`{key}` is required here"))
            .help(format!("add `{example}`")),
        );
    }

    fn invalid(&mut self, span: Span, message: String, help: String) {
        self.findings
            .push(Finding::new(RuleId::InvalidValue, span, message).help(help));
    }

    fn wrong_type(&mut self, key: &str, value: &Spanned<DeValue<'_>>, expected: &str) {
        self.invalid(
            self.at(value),
            format!(
                "`{key}` must be {expected}, not {}",
                type_name(value.get_ref())
            ),
            format!("write `{key}` as {expected}"),
        );
    }

    // --- values -------------------------------------------------------------

    fn string(&mut self, key: &str, value: &Spanned<DeValue<'_>>) -> Option<Sp<String>> {
        match value.get_ref() {
            DeValue::String(s) => Some(Sp {
                value: s.to_string(),
                span: self.at(value),
            }),
            _ => {
                self.wrong_type(key, value, "a string");
                None
            }
        }
    }

    /// A string that must not be empty.
    fn text(&mut self, key: &str, value: &Spanned<DeValue<'_>>) -> Option<Sp<String>> {
        let s = self.string(key, value)?;
        if s.value.trim().is_empty() {
            self.invalid(
                s.span,
                format!("`{key}` is empty"),
                format!("write a value for `{key}`"),
            );
            return None;
        }
        Some(s)
    }

    fn boolean(&mut self, key: &str, value: &Spanned<DeValue<'_>>) -> Option<Sp<bool>> {
        match value.get_ref() {
            DeValue::Boolean(b) => Some(Sp {
                value: *b,
                span: self.at(value),
            }),
            _ => {
                self.wrong_type(key, value, "`true` or `false`");
                None
            }
        }
    }

    /// A whole number >= `min`.
    fn whole(&mut self, key: &str, value: &Spanned<DeValue<'_>>, min: u64) -> Option<Sp<u64>> {
        let DeValue::Integer(i) = value.get_ref() else {
            self.wrong_type(key, value, "a whole number");
            return None;
        };
        let digits = i.as_str().replace('_', "");
        match i64::from_str_radix(&digits, i.radix()) {
            Ok(n) if n >= 0 && n as u64 >= min => Some(Sp {
                value: n as u64,
                span: self.at(value),
            }),
            Ok(n) => {
                self.invalid(
                    self.at(value),
                    format!("`{key}` is {n}; it must be at least {min}"),
                    format!("write a whole number of at least {min}"),
                );
                None
            }
            Err(_) => {
                self.invalid(
                    self.at(value),
                    format!("`{key}` is too large a number"),
                    "write a smaller whole number".into(),
                );
                None
            }
        }
    }

    /// An amount of euros: an integer or a finite float, >= 0.
    fn amount(&mut self, key: &str, value: &Spanned<DeValue<'_>>) -> Option<Sp<f64>> {
        let number = match value.get_ref() {
            DeValue::Integer(i) => i64::from_str_radix(&i.as_str().replace('_', ""), i.radix())
                .map(|n| n as f64)
                .ok(),
            DeValue::Float(f) => f.as_str().replace('_', "").parse::<f64>().ok(),
            _ => {
                self.wrong_type(key, value, "an amount in euros (a number)");
                return None;
            }
        };
        match number {
            Some(n) if n.is_finite() && n >= 0.0 => Some(Sp {
                value: n,
                span: self.at(value),
            }),
            Some(n) if n < 0.0 => {
                self.invalid(
                    self.at(value),
                    format!("`{key}` is negative"),
                    "amounts are in euros and at least 0".into(),
                );
                None
            }
            _ => {
                self.invalid(
                    self.at(value),
                    format!("`{key}` is not a finite number"),
                    "write the amount in euros, e.g. 540000".into(),
                );
                None
            }
        }
    }

    fn keyword<K: Keyword + PartialEq>(
        &mut self,
        key: &str,
        value: &Spanned<DeValue<'_>>,
    ) -> Option<Sp<K>> {
        let s = self.string(key, value)?;
        let words: Vec<&str> = K::ALL.iter().map(|(text, _)| *text).collect();
        if s.value.trim().is_empty() {
            self.invalid(
                s.span,
                format!("`{key}` is empty"),
                format!("write one of: {}", words.join(", ")),
            );
            return None;
        }
        if let Some((_, k)) = K::ALL.iter().find(|(text, _)| *text == s.value) {
            return Some(Sp {
                value: *k,
                span: s.span,
            });
        }
        let help = match crate::text::closest(&s.value, words.iter().copied()) {
            Some(best) => format!(
                "did you mean \"{best}\"? `{key}` is one of: {}",
                words.join(", ")
            ),
            None => format!("`{key}` is one of: {}", words.join(", ")),
        };
        self.invalid(
            s.span,
            format!(
                "\"{}\" is not a valid `{key}`",
                crate::text::clean(&s.value)
            ),
            help,
        );
        None
    }

    fn keywords<K: Keyword + PartialEq>(
        &mut self,
        key: &str,
        value: &Spanned<DeValue<'_>>,
    ) -> Option<Sp<Vec<Sp<K>>>> {
        let DeValue::Array(items) = value.get_ref() else {
            self.wrong_type(key, value, "a list of strings");
            return None;
        };
        let mut out = Vec::with_capacity(items.len());
        for item in items.iter() {
            out.extend(self.keyword(key, item));
        }
        Some(Sp {
            value: out,
            span: self.at(value),
        })
    }

    fn country(&mut self, key: &str, value: &Spanned<DeValue<'_>>) -> Option<Sp<Country>> {
        let s = self.string(key, value)?;
        if s.value.trim().is_empty() {
            self.invalid(
                s.span,
                format!("`{key}` is empty"),
                "write the two-letter ISO 3166-1 code of the country, e.g. \"DE\", \"FR\", \"IT\""
                    .into(),
            );
            return None;
        }
        match self.countries.parse(&s.value) {
            Ok(country) => Some(Sp {
                value: country,
                span: s.span,
            }),
            Err(not_a_code) => {
                let shown = crate::text::clean(&s.value);
                let help = match not_a_code.suggestion {
                    Some(c) => format!("write the code: `{key} = \"{}\"` ({})", c.code(), c.name()),
                    None => "write the two-letter ISO 3166-1 code of the country, e.g. \"DE\", \"FR\", \"IT\"".into(),
                };
                let mut finding = Finding::new(
                    RuleId::InvalidValue,
                    s.span.clone(),
                    format!("\"{shown}\" is not a country code"),
                )
                .label("expected a two-letter ISO 3166-1 code")
                .help(help);
                if let Some(c) = not_a_code.suggestion {
                    finding = finding.fix(crate::finding::Fix::replace(
                        format!("write the code \"{}\"", c.code()),
                        s.span.clone(),
                        format!("\"{}\"", c.code()),
                    ));
                }
                self.findings.push(finding);
                None
            }
        }
    }

    // --- tables -------------------------------------------------------------

    fn table<'a, 'i>(
        &mut self,
        key: &str,
        value: &'a Spanned<DeValue<'i>>,
    ) -> Option<&'a DeTable<'i>> {
        match value.get_ref() {
            DeValue::Table(t) => Some(t),
            _ => {
                self.invalid(
                    self.at(value),
                    format!(
                        "`{key}` must be a table, not {}",
                        type_name(value.get_ref())
                    ),
                    format!("write it as a `[{key}]` section"),
                );
                None
            }
        }
    }

    /// The entries of an array of tables (`[[partner]]`), each with its header span.
    fn entries<'a, 'i>(
        &mut self,
        key: &str,
        value: &'a Spanned<DeValue<'i>>,
    ) -> Vec<(&'a DeTable<'i>, Span)> {
        let help = format!("write each entry as its own `[[{key}]]` section");
        let items: &DeArray<'i> = match value.get_ref() {
            DeValue::Array(items) => items,
            other => {
                let found = match other {
                    DeValue::Table(_) => format!("a single `[{key}]` table"),
                    other => type_name(other).to_string(),
                };
                self.invalid(
                    self.at(value),
                    format!("`{key}` must be a list of `[[{key}]]` entries, not {found}"),
                    help,
                );
                return Vec::new();
            }
        };
        let mut out = Vec::with_capacity(items.len());
        for item in items.iter() {
            match item.get_ref() {
                DeValue::Table(t) => out.push((t, self.at(item))),
                other => self.invalid(
                    self.at(item),
                    format!(
                        "each `{key}` entry must be a table, not {}",
                        type_name(other)
                    ),
                    help.clone(),
                ),
            }
        }
        out
    }
}

fn defaulted<T>(slot: &mut Defaulted<T>, value: Option<Sp<T>>) {
    if let Some(v) = value {
        *slot = Defaulted {
            value: v.value,
            span: Some(v.span),
        };
    }
}

fn type_name(value: &DeValue<'_>) -> &'static str {
    match value {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date-time",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}
