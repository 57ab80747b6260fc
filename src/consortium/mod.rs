//! The consortium file (README, "The consortium file"): its model, and the parser that reads it
//! with the position of every key and value.
//!
//! The parser walks the TOML tree once and reports *every* format problem of
//! the file (`unknown-key`, `missing-key`, `invalid-value`) instead of
//! stopping at the first, as serde would. What is wrong is left out of the
//! model (`None`), so that the call rules check what is right and skip what
//! they cannot judge.

use crate::countries::{Countries, Country};
use crate::finding::{Finding, Fix};
use crate::money::{AmountError, Euros};
use crate::rule_id::RuleId;
use crate::source::Span;
use serde::Deserialize;
use std::fmt;
use toml::de::{DeArray, DeString, DeTable, DeValue};
use toml::Spanned;

pub mod identity;
pub mod keys;
mod sections;

/// A value and where it is written.
#[derive(Debug, Clone, PartialEq)]
pub struct Sp<T> {
    pub value: T,
    pub span: Span,
}

/// A value of the file, as far as it could be read. Rules judge only
/// [`Field::Given`] values; for the others they report what they could not
/// check (and why) instead of passing or failing on a guess.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Field<T> {
    /// Written, and valid.
    Given(Sp<T>),
    /// Not written. For keys with a default (`role`, `legal_entity`,
    /// `defence_related`) the default applies.
    #[default]
    Absent,
    /// Written, but it could not be read: `Span` is where that was reported
    /// (the invalid value, or a misspelt key that stands for this one).
    Lost(Span),
}

impl<T> Field<T> {
    /// The value and its place, if it was written and is valid.
    pub fn given(&self) -> Option<&Sp<T>> {
        match self {
            Field::Given(sp) => Some(sp),
            _ => None,
        }
    }

    pub fn value(&self) -> Option<&T> {
        self.given().map(|sp| &sp.value)
    }

    /// Where the value was lost, if it was.
    pub fn lost(&self) -> Option<&Span> {
        match self {
            Field::Lost(at) => Some(at),
            _ => None,
        }
    }

    pub fn is_absent(&self) -> bool {
        matches!(self, Field::Absent)
    }

    /// The first of `self` and `other` that was written (valid or not).
    pub fn or(self, other: Field<T>) -> Field<T> {
        match self {
            Field::Absent => other,
            written => written,
        }
    }

    fn from_option(value: Option<Sp<T>>, at: Span) -> Field<T> {
        match value {
            Some(sp) => Field::Given(sp),
            None => Field::Lost(at),
        }
    }
}

impl<T: Copy> Field<T> {
    /// For a key with a default: the value written, or the default when the
    /// key is absent; `None` when the value could not be read.
    pub fn or_default(&self, default: T) -> Option<T> {
        match self {
            Field::Given(sp) => Some(sp.value),
            Field::Absent => Some(default),
            Field::Lost(_) => None,
        }
    }
}

impl<T> Field<T> {
    /// Where to point for this value: the value, else where it was lost,
    /// else (absent) the entry's header.
    pub fn span_or(&self, header: &Span) -> Span {
        match self {
            Field::Given(sp) => sp.span.clone(),
            Field::Lost(at) => at.clone(),
            Field::Absent => header.clone(),
        }
    }
}

/// The whole file, as far as it could be read.
#[derive(Debug, Clone, Default)]
pub struct Consortium {
    pub call: Field<String>,
    pub strand: Field<String>,
    pub proposal: Proposal,
    pub partners: Vec<Partner>,
    /// Where applicants are written in a way that cannot be read (a
    /// misspelt `[[partners]]`, `partner = 5`): the applicants counted are
    /// then only some of them.
    pub partners_lost: Vec<Span>,
    pub targets: Vec<Target>,
    /// Where target markets are written in a way that cannot be read.
    pub targets_lost: Vec<Span>,
    /// Each applicant's organisation key ([`identity::organisation`] of its
    /// legal name), computed once for the rules that need it.
    organisations: std::sync::OnceLock<Vec<Option<String>>>,
}

impl Consortium {
    /// The organisation key of applicant `i` (`None` where its legal name
    /// could not be read): two applicants with the same key are one
    /// organisation, as `min-partners`, `duplicate-partner` and
    /// `one-consortium` all count them.
    pub fn organisation(&self, i: usize) -> Option<&str> {
        self.organisations
            .get_or_init(|| {
                self.partners
                    .iter()
                    .map(|p| p.name.value().map(|name| identity::organisation(name)))
                    .collect()
            })
            .get(i)?
            .as_deref()
    }
}

#[derive(Debug, Clone, Default)]
pub struct Proposal {
    /// The `[proposal]` header, if the table is there.
    pub header: Option<Span>,
    pub acronym: Field<String>,
    pub title: Field<String>,
    pub duration_months: Field<u64>,
    pub requested_grant_eur: Field<Euros>,
    pub total_costs_eur: Field<Euros>,
    /// The part of the costs passed on to SMEs as financial support to
    /// third parties (cascade funding).
    pub third_party_support_eur: Field<Euros>,
    pub actions: Field<Vec<Sp<Action>>>,
}

impl Proposal {
    /// The field of the proposal named `key`, for messages about it.
    pub fn amount(&self, key: &str) -> Option<&Field<Euros>> {
        match key {
            "requested_grant_eur" => Some(&self.requested_grant_eur),
            "total_costs_eur" => Some(&self.total_costs_eur),
            "third_party_support_eur" => Some(&self.third_party_support_eur),
            _ => None,
        }
    }
}

/// One `[[partner]]` entry: an applicant.
#[derive(Debug, Clone)]
pub struct Partner {
    /// The `[[partner]]` header (or the inline table).
    pub header: Span,
    pub short_name: Field<String>,
    pub name: Field<String>,
    pub role: Field<Role>,
    pub country: Field<Country>,
    pub kind: Field<OrgType>,
    pub eccp: Field<Eccp>,
    pub defence_related: Field<bool>,
    pub legal_entity: Field<bool>,
    pub sme_members: Field<u64>,
}

impl Partner {
    fn new(header: Span) -> Partner {
        Partner {
            header,
            short_name: Field::Absent,
            name: Field::Absent,
            role: Field::Absent,
            country: Field::Absent,
            kind: Field::Absent,
            eccp: Field::Absent,
            defence_related: Field::Absent,
            legal_entity: Field::Absent,
            sme_members: Field::Absent,
        }
    }

    /// How the partner is named in messages: its short name, else its legal
    /// name, else its position; safe to print (see [`crate::text::clean`]).
    pub fn label(&self, index: usize) -> String {
        self.short_name
            .given()
            .or(self.name.given())
            .map(|s| crate::text::clean(&s.value))
            .unwrap_or_else(|| format!("applicant #{}", index + 1))
    }

    /// The field named `key` (a key of [[partner]]) as "written or not":
    /// whether it is absent, and where it is, for the checks that need it.
    pub fn field_state(&self, key: &str) -> Option<(bool, Span)> {
        let state = |absent: bool, span: Span| Some((absent, span));
        let h = &self.header;
        match key {
            "short_name" => state(self.short_name.is_absent(), self.short_name.span_or(h)),
            "name" => state(self.name.is_absent(), self.name.span_or(h)),
            "role" => state(self.role.is_absent(), self.role.span_or(h)),
            "country" => state(self.country.is_absent(), self.country.span_or(h)),
            "type" => state(self.kind.is_absent(), self.kind.span_or(h)),
            "eccp" => state(self.eccp.is_absent(), self.eccp.span_or(h)),
            "defence_related" => state(
                self.defence_related.is_absent(),
                self.defence_related.span_or(h),
            ),
            "legal_entity" => state(self.legal_entity.is_absent(), self.legal_entity.span_or(h)),
            _ => None,
        }
    }
}

/// One `[[target]]` entry: a target market.
#[derive(Debug, Clone)]
pub struct Target {
    pub header: Span,
    pub market: Field<Market>,
    /// The key of the market (`country` or `region`), for fixes.
    pub key: Option<Span>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Market {
    Country(Country),
    /// A world region, as written (matched against the regions table by
    /// the rules).
    Region(String),
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
pub const TOP_KEYS: &[&str] = &["call", "strand", "proposal", "partner", "target"];
pub const PROPOSAL_KEYS: &[&str] = &[
    "acronym",
    "title",
    "duration_months",
    "requested_grant_eur",
    "total_costs_eur",
    "third_party_support_eur",
    "actions",
];
pub const PARTNER_KEYS: &[&str] = &[
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
pub const TARGET_KEYS: &[&str] = &["country", "region"];

/// The keys of [[partner]] that every file needs, whatever its call: they
/// name the applicant.
pub const PARTNER_ALWAYS_REQUIRED: &[&str] = &["short_name", "name"];

/// The keys of [[partner]] that are required when the call's rules read
/// them: a Eurocluster call without an ECCP rule does not need
/// `eccp`.
pub const PARTNER_REQUIRED_IF_READ: &[&str] = &["country", "type", "eccp"];

/// What to add for a missing key: a placeholder to fill, never a made-up
/// value, and what goes in it.
pub fn missing_hint(key: &str) -> &'static str {
    match key {
        "short_name" => "a short name that is unique in the file, such as the organisation's acronym",
        "name" => "the organisation's legal name",
        "country" => "the two-letter ISO code of the country where the organisation is established",
        "type" => "cluster-organisation, business-network-organisation or other",
        "eccp" => "registered, requested, planned or none: its status on the European Cluster Collaboration Platform",
        "acronym" => "the proposal's acronym",
        "call" => "the id of the call this consortium applies to",
        _ => "its value",
    }
}

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
    let mut reader = Reader::new(text);
    let mut c = Consortium::default();
    let mut seen = Seen::default();
    reader.root(root.get_ref(), &mut c, &mut seen);
    reader.finish(&seen, &mut c);
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
        whole.consortium.partners_lost.extend(c.partners_lost);
        whole.consortium.targets.extend(c.targets);
        whole.consortium.targets_lost.extend(c.targets_lost);
        whole.findings.extend(part.findings);
        whole.errors.extend(part.errors);
        whole.seen.merge(part.seen);
    }
    if !whole.errors.is_empty() {
        return Some(Err(one_per_cause(whole.errors)));
    }
    let mut reader = Reader::new(text);
    reader.finish(&whole.seen, &mut whole.consortium);
    whole.findings.extend(reader.findings);
    Some(Ok((whole.consortium, whole.findings)))
}

/// Reads `batch`, a run of consecutive sections of `all`.
fn read_batch(text: &str, all: &[sections::Section], batch: &[sections::Section]) -> Option<Part> {
    let mut reader = Reader::new(text);
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

/// The `missing-key` finding for `key`, absent from the table headed at
/// `header` (`place` names it: "[[partner]]"). Its fix inserts the key as a
/// placeholder on the line after the header, where the header is a
/// `[[...]]` or `[...]` line of its own.
pub fn missing_key(text: &str, key: &str, header: Span, place: &str) -> Finding {
    let mut finding = Finding::new(
        RuleId::MissingKey,
        header.clone(),
        format!("`{key}` is missing from {place}"),
    )
    .label(format!("`{key}` is required here"))
    .help(format!("add `{key} = \"...\"`: {}", missing_hint(key)));
    let written = text.get(header.clone()).unwrap_or_default();
    if written.starts_with('[') && written.ends_with(']') {
        let line_end = text[header.end..]
            .find('\n')
            .map_or(text.len(), |i| header.end + i);
        let (at, insert) = if line_end == text.len() {
            (line_end, format!("\n{key} = \"\""))
        } else {
            (line_end + 1, format!("{key} = \"\"\n"))
        };
        finding = finding
            .fix(Fix::replace(format!("add `{key} = \"\"` to fill in"), at..at, insert).scaffold());
    }
    finding
}

struct Reader<'t> {
    /// The whole file (sections are read at `offset` into it).
    text: &'t str,
    findings: Vec<Finding>,
    countries: &'static Countries,
    /// Where the section being read starts in the file.
    offset: usize,
    /// The header of the table being read, for "empty" findings.
    table: Option<Span>,
}

/// The top-level keys met so far, for the checks at the end.
#[derive(Default)]
struct Seen {
    call: bool,
    proposal: bool,
    strand: bool,
    /// Misspelt top-level keys: (the key meant, where it is written).
    typos: Vec<(&'static str, Span)>,
}

impl Seen {
    fn merge(&mut self, other: Seen) {
        self.call |= other.call;
        self.proposal |= other.proposal;
        self.strand |= other.strand;
        self.typos.extend(other.typos);
    }
}

/// The keys of one table met while reading it, and the misspelt ones.
#[derive(Default)]
struct TableKeys {
    present: Vec<String>,
    typos: Vec<(&'static str, Span)>,
}

impl TableKeys {
    fn has(&self, key: &str) -> bool {
        self.present.iter().any(|k| k == key)
    }

    /// Where a misspelling of `key` stands for it, if `key` itself is absent.
    fn typo_for(&self, key: &str) -> Option<Span> {
        if self.has(key) {
            return None;
        }
        self.typos
            .iter()
            .find(|(meant, _)| *meant == key)
            .map(|(_, at)| at.clone())
    }
}

impl<'t> Reader<'t> {
    fn new(text: &'t str) -> Reader<'t> {
        Reader {
            text,
            findings: Vec::new(),
            countries: Countries::get(),
            offset: 0,
            table: None,
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
                    c.call = self.text_field("call", value);
                }
                "strand" => {
                    seen.strand = true;
                    c.strand = self.strand(value);
                }
                "proposal" => {
                    seen.proposal = true;
                    match self.table("proposal", value) {
                        Some(table) => c.proposal = self.proposal(table, self.at(value)),
                        None => c.proposal = Proposal::lost(self.at(value)),
                    }
                }
                "partner" => {
                    let (entries, lost) = self.entries("partner", value);
                    c.partners_lost.extend(lost);
                    for (table, header) in entries {
                        let partner = self.partner(table, header);
                        c.partners.push(partner);
                    }
                }
                "target" => {
                    let (entries, lost) = self.entries("target", value);
                    c.targets_lost.extend(lost);
                    for (table, header) in entries {
                        let target = self.target(table, header);
                        c.targets.push(target);
                    }
                }
                _ => {
                    if let Some(meant) = self.unknown_key(key, TOP_KEYS, "at the top of the file") {
                        seen.typos.push((meant, self.at(key)));
                    }
                }
            }
        }
    }

    /// The checks that need the whole file: required top-level keys, and
    /// the tables that a misspelt key stands for.
    fn finish(&mut self, seen: &Seen, c: &mut Consortium) {
        let typo = |key: &str| {
            seen.typos
                .iter()
                .find(|(meant, _)| *meant == key)
                .map(|(_, at)| at.clone())
        };
        // `[[partners]]` next to `[[partner]]` entries still holds applicants.
        for (meant, at) in &seen.typos {
            match *meant {
                "partner" => c.partners_lost.push(at.clone()),
                "target" => c.targets_lost.push(at.clone()),
                _ => {}
            }
        }
        if !seen.call {
            match typo("call") {
                Some(at) => c.call = Field::Lost(at),
                None => self.findings.push(
                    Finding::new(RuleId::MissingKey, 0..0, "the file names no call")
                        .label("`call` is required")
                        .help(
                            "add `call = \"...\"` with the id of the call this consortium applies to: \
                             `escp calls` lists the calls escp knows, and `escp init --call ID` writes \
                             a starter file for one",
                        ),
                ),
            }
        }
        if !seen.strand {
            if let Some(at) = typo("strand") {
                c.strand = Field::Lost(at);
            }
        }
        if !seen.proposal {
            match typo("proposal") {
                Some(at) => c.proposal = Proposal::lost(at),
                None => self.findings.push(
                    Finding::new(RuleId::MissingKey, 0..0, "the file has no [proposal] table")
                        .label("`[proposal]` is required")
                        .help("add a `[proposal]` table with the proposal's `acronym`"),
                ),
            }
        }
    }

    /// Reads a table's keys with `read`, which returns `false` for a key it
    /// does not know; those are reported as unknown (with the closest key).
    fn keys(
        &mut self,
        table: &DeTable<'_>,
        known: &[&'static str],
        place: &str,
        mut read: impl FnMut(&mut Self, &str, &Spanned<DeValue<'_>>) -> bool,
    ) -> TableKeys {
        let mut keys = TableKeys::default();
        for (key, value) in table.iter() {
            let name = key.get_ref().as_ref();
            if read(self, name, value) {
                keys.present.push(name.to_string());
            } else if let Some(meant) = self.unknown_key(key, known, place) {
                keys.typos.push((meant, self.at(key)));
            }
        }
        keys
    }

    fn proposal(&mut self, table: &DeTable<'_>, header: Span) -> Proposal {
        self.table = Some(header.clone());
        let mut p = Proposal {
            header: Some(header.clone()),
            ..Proposal::default()
        };
        let keys = self.keys(table, PROPOSAL_KEYS, "in [proposal]", |r, name, value| {
            match name {
                "acronym" => p.acronym = r.text_field(name, value),
                "title" => p.title = r.string_field(name, value),
                "duration_months" => p.duration_months = r.whole(name, value, 1),
                "requested_grant_eur" => p.requested_grant_eur = r.amount(name, value),
                "total_costs_eur" => p.total_costs_eur = r.amount(name, value),
                "third_party_support_eur" => p.third_party_support_eur = r.amount(name, value),
                "actions" => p.actions = r.keywords(name, value),
                _ => return false,
            }
            true
        });
        for (key, field) in [
            ("acronym", &mut p.acronym as &mut dyn LoseTo),
            ("title", &mut p.title),
            ("duration_months", &mut p.duration_months),
            ("requested_grant_eur", &mut p.requested_grant_eur),
            ("total_costs_eur", &mut p.total_costs_eur),
            ("third_party_support_eur", &mut p.third_party_support_eur),
            ("actions", &mut p.actions),
        ] {
            if let Some(at) = keys.typo_for(key) {
                field.lose_to(at);
            }
        }
        if p.acronym.is_absent() {
            self.findings
                .push(missing_key(self.text, "acronym", header, "[proposal]"));
        }
        self.table = None;
        p
    }

    fn partner(&mut self, table: &DeTable<'_>, header: Span) -> Partner {
        self.table = Some(header.clone());
        let mut p = Partner::new(header.clone());
        let keys = self.keys(table, PARTNER_KEYS, "in [[partner]]", |r, name, value| {
            match name {
                "short_name" => p.short_name = r.text_field(name, value),
                "name" => p.name = r.text_field(name, value),
                "role" => p.role = r.keyword(name, value),
                "country" => p.country = r.country(name, value),
                "type" => p.kind = r.keyword(name, value),
                "eccp" => p.eccp = r.keyword(name, value),
                "defence_related" => p.defence_related = r.boolean(name, value),
                "legal_entity" => p.legal_entity = r.boolean(name, value),
                "sme_members" => p.sme_members = r.whole(name, value, 0),
                _ => return false,
            }
            true
        });
        for (key, field) in [
            ("short_name", &mut p.short_name as &mut dyn LoseTo),
            ("name", &mut p.name),
            ("role", &mut p.role),
            ("country", &mut p.country),
            ("type", &mut p.kind),
            ("eccp", &mut p.eccp),
            ("defence_related", &mut p.defence_related),
            ("legal_entity", &mut p.legal_entity),
            ("sme_members", &mut p.sme_members),
        ] {
            if let Some(at) = keys.typo_for(key) {
                field.lose_to(at);
            }
        }
        for key in PARTNER_ALWAYS_REQUIRED {
            let absent = match *key {
                "short_name" => p.short_name.is_absent(),
                _ => p.name.is_absent(),
            };
            if absent {
                self.findings
                    .push(missing_key(self.text, key, header.clone(), "[[partner]]"));
            }
        }
        self.table = None;
        p
    }

    fn target(&mut self, table: &DeTable<'_>, header: Span) -> Target {
        self.table = Some(header.clone());
        let mut country = None;
        let mut region = None;
        let keys = self.keys(table, TARGET_KEYS, "in [[target]]", |r, name, value| {
            match name {
                "country" => country = Some(r.country(name, value)),
                "region" => region = Some(r.text_field(name, value)),
                _ => return false,
            }
            true
        });
        self.table = None;
        let key = table
            .iter()
            .find(|(k, _)| matches!(k.get_ref().as_ref(), "country" | "region"))
            .map(|(k, _)| self.at(k));
        let market = match (country, region) {
            (Some(country), None) => match country {
                Field::Given(c) => Field::Given(Sp {
                    value: Market::Country(c.value),
                    span: c.span,
                }),
                Field::Lost(at) => Field::Lost(at),
                Field::Absent => Field::Absent,
            },
            (None, Some(region)) => match region {
                Field::Given(r) => Field::Given(Sp {
                    value: Market::Region(r.value),
                    span: r.span,
                }),
                Field::Lost(at) => Field::Lost(at),
                Field::Absent => Field::Absent,
            },
            (None, None) => {
                if let Some(at) = keys.typo_for("country").or_else(|| keys.typo_for("region")) {
                    // The misspelt key is reported; it stands for the market.
                    return Target {
                        header,
                        market: Field::Lost(at),
                        key,
                    };
                }
                self.findings.push(
                    Finding::new(
                        RuleId::InvalidValue,
                        header.clone(),
                        "this target has neither `country` nor `region`",
                    )
                    .label("a target market is one country or one world region")
                    .help("give each [[target]] exactly one of `country = \"..\"` (a two-letter code) or `region = \"..\"` (a world region)"),
                );
                Field::Lost(header.clone())
            }
            (Some(_), Some(_)) => {
                self.findings.push(
                    Finding::new(
                        RuleId::InvalidValue,
                        header.clone(),
                        "this target has both `country` and `region`",
                    )
                    .label("a target market is one country or one world region")
                    .help(
                        "write the country and the region as two [[target]] entries, or keep one",
                    ),
                );
                Field::Lost(header.clone())
            }
        };
        Target {
            header,
            market,
            key,
        }
    }

    // --- keys ---------------------------------------------------------------

    /// Reports an unknown key; returns the key it probably stands for.
    fn unknown_key(
        &mut self,
        key: &Spanned<DeString<'_>>,
        known: &[&'static str],
        place: &str,
    ) -> Option<&'static str> {
        let name = key.get_ref().as_ref();
        let mut finding = Finding::new(
            RuleId::UnknownKey,
            self.at(key),
            format!("unknown key `{}` {place}", crate::text::clean(name)),
        )
        .label("not a key of the consortium format");
        let meant = crate::text::closest(name, known.iter().copied());
        finding = match meant {
            Some(best) => finding
                .help(format!("did you mean `{best}`?"))
                // Offered in the editor, never applied by `--fix`: a key
                // close to another is not always a typo of it
                // (`no_legal_entity` is not `legal_entity`).
                .fix(
                    Fix::replace(
                        format!("rename `{}` to `{best}`", crate::text::clean(name)),
                        self.at(key),
                        best,
                    )
                    .scaffold(),
                ),
            None => match crate::text::mixed_scripts(name) {
                Some(mixed) => finding.help(format!(
                    "`{}` mixes scripts: the \\u{{{:x}}} is a {} letter among {} ones; retype the key in Latin letters (the keys here are: {})",
                    mixed.shown(name),
                    mixed.odd as u32,
                    mixed.odd_script,
                    mixed.main_script,
                    known.join(", ")
                )),
                None => finding.help(format!("the keys here are: {}", known.join(", "))),
            },
        };
        self.findings.push(finding);
        meant
    }

    fn invalid(&mut self, span: Span, message: String, help: String) {
        self.findings
            .push(Finding::new(RuleId::InvalidValue, span, message).help(help));
    }

    /// A value left empty (`""`, `[]`): the placeholder of a starter file.
    /// Reported as `invalid-value`, marked so that the human report can
    /// show a table's empty keys together.
    fn empty(&mut self, key: &str, span: Span, what: &str) {
        let mut finding = Finding::new(RuleId::InvalidValue, span, format!("`{key}` is empty"))
            .label("empty")
            .help(format!("write {what}"));
        finding.placeholder_in = Some(self.table.clone().unwrap_or(0..0));
        self.findings.push(finding);
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

    /// Whether `value` is an empty placeholder (`""`, `"  "`, `[]`); if so
    /// it is reported as empty.
    fn is_placeholder(&mut self, key: &str, value: &Spanned<DeValue<'_>>, what: &str) -> bool {
        let empty = match value.get_ref() {
            DeValue::String(s) => s.trim().is_empty(),
            DeValue::Array(items) => items.is_empty(),
            _ => false,
        };
        if empty {
            self.empty(key, self.at(value), what);
        }
        empty
    }

    // --- values -------------------------------------------------------------

    fn string(&mut self, key: &str, value: &Spanned<DeValue<'_>>) -> Option<Sp<String>> {
        match value.get_ref() {
            DeValue::String(s) if crate::text::mixed_scripts(s).is_some() => {
                self.mixed_scripts(key, s, self.at(value));
                None
            }
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

    /// A value with look-alike letters of another script ("European
    /// Uni\u{43e}n"): it is not what it seems, so it is never matched or
    /// suggested against what it looks like.
    fn mixed_scripts(&mut self, key: &str, value: &str, span: Span) {
        let Some(mixed) = crate::text::mixed_scripts(value) else {
            return;
        };
        let shown = mixed.shown(value);
        self.findings.push(
            Finding::new(
                RuleId::InvalidValue,
                span,
                format!(
                    "`{key}` = \"{shown}\" mixes scripts: the \\u{{{:x}}} in \"{}\" is a {} letter among {} ones",
                    mixed.odd as u32,
                    mixed.shown(&mixed.word),
                    mixed.odd_script,
                    mixed.main_script
                ),
            )
            .label(format!("a {} letter that looks like a {} one", mixed.odd_script, mixed.main_script))
            .help(format!(
                "retype \"{}\" in {} letters only: a look-alike from another alphabet makes the value differ from what it seems, so escp cannot match it",
                mixed.shown(&mixed.word),
                mixed.main_script
            )),
        );
    }

    /// A string that may be empty.
    fn string_field(&mut self, key: &str, value: &Spanned<DeValue<'_>>) -> Field<String> {
        Field::from_option(self.string(key, value), self.at(value))
    }

    /// A string that must not be empty.
    fn text_field(&mut self, key: &str, value: &Spanned<DeValue<'_>>) -> Field<String> {
        if self.is_placeholder(key, value, missing_hint(key)) {
            return Field::Lost(self.at(value));
        }
        self.string_field(key, value)
    }

    /// `strand`: a string; a number is a strand written without quotes.
    fn strand(&mut self, value: &Spanned<DeValue<'_>>) -> Field<String> {
        if self.is_placeholder(
            "strand",
            value,
            "the strand of the call this proposal applies to",
        ) {
            return Field::Lost(self.at(value));
        }
        let number = match value.get_ref() {
            DeValue::Integer(i) => Some(i.as_str().to_string()),
            DeValue::Float(f) => Some(f.as_str().to_string()),
            _ => None,
        };
        match number {
            Some(n) => {
                let quoted = format!("\"{n}\"");
                self.findings.push(
                    Finding::new(
                        RuleId::InvalidValue,
                        self.at(value),
                        "`strand` must be a string, not a number",
                    )
                    .label("a strand is written in quotes")
                    .help(format!("write `strand = {quoted}`"))
                    .fix(Fix::replace(
                        format!("write the strand as {quoted}"),
                        self.at(value),
                        quoted,
                    )),
                );
                Field::Lost(self.at(value))
            }
            None => self.string_field("strand", value),
        }
    }

    fn boolean(&mut self, key: &str, value: &Spanned<DeValue<'_>>) -> Field<bool> {
        if self.is_placeholder(key, value, "`true` or `false`") {
            return Field::Lost(self.at(value));
        }
        match value.get_ref() {
            DeValue::Boolean(b) => Field::Given(Sp {
                value: *b,
                span: self.at(value),
            }),
            _ => {
                self.wrong_type(key, value, "`true` or `false`");
                Field::Lost(self.at(value))
            }
        }
    }

    /// A whole number >= `min`.
    fn whole(&mut self, key: &str, value: &Spanned<DeValue<'_>>, min: u64) -> Field<u64> {
        if self.is_placeholder(key, value, "a whole number") {
            return Field::Lost(self.at(value));
        }
        let span = self.at(value);
        let DeValue::Integer(i) = value.get_ref() else {
            self.wrong_type(key, value, "a whole number");
            return Field::Lost(span);
        };
        let digits = i.as_str().replace('_', "");
        match i64::from_str_radix(&digits, i.radix()) {
            Ok(n) if n >= 0 && n as u64 >= min => Field::Given(Sp {
                value: n as u64,
                span,
            }),
            Ok(n) => {
                self.invalid(
                    span.clone(),
                    format!("`{key}` is {n}; it must be at least {min}"),
                    format!("write a whole number of at least {min}"),
                );
                Field::Lost(span)
            }
            Err(_) => {
                self.invalid(
                    span.clone(),
                    format!("`{key}` is too large a number"),
                    "write a smaller whole number".into(),
                );
                Field::Lost(span)
            }
        }
    }

    /// An amount of euros: an integer or a float, read to the cent.
    fn amount(&mut self, key: &str, value: &Spanned<DeValue<'_>>) -> Field<Euros> {
        if self.is_placeholder(key, value, "the amount in euros, e.g. 540000") {
            return Field::Lost(self.at(value));
        }
        let span = self.at(value);
        let (number, literal) = match value.get_ref() {
            DeValue::Integer(i) => (
                Euros::from_integer(i.as_str(), i.radix()),
                i.as_str().to_string(),
            ),
            DeValue::Float(f) => (Euros::from_float(f.as_str()), f.as_str().to_string()),
            _ => {
                self.wrong_type(key, value, "an amount in euros (a number)");
                return Field::Lost(span);
            }
        };
        let euros = match number {
            Ok(euros) => euros,
            Err(why) => {
                let (message, help) = match why {
                    AmountError::Negative => (
                        format!("`{key}` is negative"),
                        "amounts are in euros and at least 0",
                    ),
                    AmountError::NotFinite => (
                        format!("`{key}` is not a finite number"),
                        "write the amount in euros, e.g. 540000",
                    ),
                    AmountError::TooLarge => (
                        format!(
                            "`{key}` is too large to be an amount of a grant (more than EUR {})",
                            Euros::MAX
                        ),
                        "write the amount in euros, e.g. 540000",
                    ),
                };
                self.invalid(span.clone(), message, help.into());
                return Field::Lost(span);
            }
        };
        if let Some(finding) = implausible(key, &literal, euros, span.clone()) {
            self.findings.push(finding);
            return Field::Lost(span);
        }
        Field::Given(Sp { value: euros, span })
    }

    fn keyword<K: Keyword + PartialEq>(
        &mut self,
        key: &str,
        value: &Spanned<DeValue<'_>>,
    ) -> Field<K> {
        let words: Vec<&str> = K::ALL.iter().map(|(text, _)| *text).collect();
        if self.is_placeholder(key, value, &format!("one of: {}", words.join(", "))) {
            return Field::Lost(self.at(value));
        }
        let Some(s) = self.string(key, value) else {
            return Field::Lost(self.at(value));
        };
        if let Some((_, k)) = K::ALL.iter().find(|(text, _)| *text == s.value) {
            return Field::Given(Sp {
                value: *k,
                span: s.span,
            });
        }
        let mut finding = Finding::new(
            RuleId::InvalidValue,
            s.span.clone(),
            format!(
                "\"{}\" is not a valid `{key}`",
                crate::text::clean(&s.value)
            ),
        );
        finding = match crate::text::closest(&s.value, words.iter().copied()) {
            Some(best) => finding
                .help(format!(
                    "did you mean \"{best}\"? `{key}` is one of: {}",
                    words.join(", ")
                ))
                // A value close to a word is not certainly that word
                // (`"registration-requested"` is not `"registered"`): a quick
                // fix to pick, never applied by `--fix`.
                .fix(
                    Fix::replace(
                        format!("write \"{best}\""),
                        s.span.clone(),
                        format!("\"{best}\""),
                    )
                    .scaffold(),
                ),
            None => finding.help(format!("`{key}` is one of: {}", words.join(", "))),
        };
        self.findings.push(finding);
        Field::Lost(s.span)
    }

    fn keywords<K: Keyword + PartialEq>(
        &mut self,
        key: &str,
        value: &Spanned<DeValue<'_>>,
    ) -> Field<Vec<Sp<K>>> {
        let words: Vec<&str> = K::ALL.iter().map(|(text, _)| *text).collect();
        let list = format!(
            "a list of one or more of: {}",
            words
                .iter()
                .map(|w| format!("\"{w}\""))
                .collect::<Vec<_>>()
                .join(", ")
        );
        if self.is_placeholder(key, value, &list) {
            return Field::Lost(self.at(value));
        }
        let DeValue::Array(items) = value.get_ref() else {
            self.wrong_type(key, value, "a list of strings");
            return Field::Lost(self.at(value));
        };
        let mut out = Vec::with_capacity(items.len());
        let mut lost = false;
        for item in items.iter() {
            match self.keyword(key, item) {
                Field::Given(k) => out.push(k),
                _ => lost = true,
            }
        }
        if lost {
            return Field::Lost(self.at(value));
        }
        Field::Given(Sp {
            value: out,
            span: self.at(value),
        })
    }

    fn country(&mut self, key: &str, value: &Spanned<DeValue<'_>>) -> Field<Country> {
        if self.is_placeholder(
            key,
            value,
            "the two-letter ISO 3166-1 code of the country, e.g. \"DE\", \"FR\", \"IT\"",
        ) {
            return Field::Lost(self.at(value));
        }
        let Some(s) = self.string(key, value) else {
            return Field::Lost(self.at(value));
        };
        match self.countries.parse(&s.value) {
            Ok(country) => Field::Given(Sp {
                value: country,
                span: s.span,
            }),
            Err(not_a_code) => {
                let shown = crate::text::clean(&s.value);
                let mut finding = Finding::new(
                    RuleId::InvalidValue,
                    s.span.clone(),
                    format!("\"{shown}\" is not a country code"),
                )
                .label("expected a two-letter ISO 3166-1 code");
                finding = match (not_a_code.suggestion, not_a_code.exact) {
                    // A certain suggestion (a name, an alpha-3 code, an
                    // abbreviation) is a safe fix; a close one only a hint.
                    (Some(c), true) => finding
                        .help(format!(
                            "write the code: `{key} = \"{}\"` ({})",
                            c.code(),
                            c.name()
                        ))
                        .fix(Fix::replace(
                            format!("write the code \"{}\" ({})", c.code(), c.name()),
                            s.span.clone(),
                            format!("\"{}\"", c.code()),
                        )),
                    (Some(c), false) => finding.help(format!(
                        "did you mean {}? Then write `{key} = \"{}\"`",
                        c.name(),
                        c.code()
                    )),
                    (None, _) => finding.help(
                        "write the two-letter ISO 3166-1 code of the country, e.g. \"DE\", \"FR\", \"IT\"",
                    ),
                };
                self.findings.push(finding);
                Field::Lost(s.span)
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

    /// The entries of an array of tables (`[[partner]]`), each with its
    /// header span, and where entries are written that cannot be read.
    #[allow(clippy::type_complexity)]
    fn entries<'a, 'i>(
        &mut self,
        key: &str,
        value: &'a Spanned<DeValue<'i>>,
    ) -> (Vec<(&'a DeTable<'i>, Span)>, Vec<Span>) {
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
                return (Vec::new(), vec![self.at(value)]);
            }
        };
        let mut out = Vec::with_capacity(items.len());
        let mut lost = Vec::new();
        for item in items.iter() {
            match item.get_ref() {
                DeValue::Table(t) => out.push((t, self.at(item))),
                other => {
                    self.invalid(
                        self.at(item),
                        format!(
                            "each `{key}` entry must be a table, not {}",
                            type_name(other)
                        ),
                        help.clone(),
                    );
                    lost.push(self.at(item));
                }
            }
        }
        (out, lost)
    }
}

impl Proposal {
    /// A proposal that could not be read (`proposal = 5`, `[proposals]`):
    /// every value is lost at `at`.
    fn lost(at: Span) -> Proposal {
        Proposal {
            header: None,
            acronym: Field::Lost(at.clone()),
            title: Field::Lost(at.clone()),
            duration_months: Field::Lost(at.clone()),
            requested_grant_eur: Field::Lost(at.clone()),
            total_costs_eur: Field::Lost(at.clone()),
            third_party_support_eur: Field::Lost(at.clone()),
            actions: Field::Lost(at),
        }
    }
}

/// A field that a misspelt key stands for: lost at the misspelling.
trait LoseTo {
    fn lose_to(&mut self, at: Span);
}

impl<T> LoseTo for Field<T> {
    fn lose_to(&mut self, at: Span) {
        if self.is_absent() {
            *self = Field::Lost(at);
        }
    }
}

/// `implausible-amount`: an amount that is valid TOML but almost certainly
/// not what was meant. `literal` is the number as written.
fn implausible(key: &str, literal: &str, euros: Euros, span: Span) -> Option<Finding> {
    // A point used as a thousands separator: 450.000, 1.450.000 cannot be
    // TOML, but 450.000 is, and reads as 450.
    let plain = literal.trim_start_matches('+');
    let looks_grouped = plain.split_once('.').is_some_and(|(whole, frac)| {
        !whole.is_empty()
            && whole.len() <= 3
            && whole.bytes().all(|b| b.is_ascii_digit())
            && frac.len() == 3
            && frac.bytes().all(|b| b.is_ascii_digit())
    });
    if looks_grouped {
        let meant: String = plain.chars().filter(|c| *c != '.').collect();
        let meant = meant.trim_start_matches('0').to_string();
        let grouped = Euros::from_integer(&meant, 10).ok()?;
        let underscored = crate::money::group_thousands(&meant, '_');
        return Some(
            Finding::new(
                RuleId::ImplausibleAmount,
                span.clone(),
                format!(
                    "`{key} = {literal}` reads as EUR {euros}: in TOML the point is a decimal point, not a thousands separator"
                ),
            )
            .label(format!("EUR {euros}, probably meant EUR {grouped}"))
            .help(format!(
                "if you meant EUR {grouped}, write `{meant}` or `{underscored}`"
            ))
            .fix(Fix::replace(
                format!("write {meant} (EUR {grouped})"),
                span,
                meant.clone(),
            )),
        );
    }
    if euros < Euros::from_cents(1_000 * 100) {
        let millions = if euros > Euros::ZERO && euros < Euros::from_cents(100 * 100) {
            let n = euros.as_f64();
            let as_millions = Euros::from_f64(n * 1_000_000.0).unwrap_or(Euros::ZERO);
            format!(
                "; if you meant EUR {n} million, write `{}`",
                as_millions.whole()
            )
        } else {
            String::new()
        };
        return Some(
            Finding::new(
                RuleId::ImplausibleAmount,
                span,
                format!(
                    "`{key}` is EUR {euros}: the amounts of these calls are at least thousands of euros"
                ),
            )
            .label(format!("EUR {euros}"))
            .help(format!(
                "write the whole amount in euros, e.g. `450000` for EUR 450,000{millions}"
            )),
        );
    }
    None
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

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(text: &str) -> (Consortium, Vec<Finding>) {
        parse(text).unwrap_or_else(|e| panic!("syntax: {e:?}"))
    }

    fn rules(findings: &[Finding]) -> Vec<&'static str> {
        findings.iter().map(|f| f.rule.as_str()).collect()
    }

    #[test]
    fn a_misspelt_key_stands_for_the_key_it_meant() {
        let (c, findings) = parse_ok(
            "call = \"X\"\n[proposal]\nacronym = \"A\"\n[[partner]]\nshort_name = \"A\"\nname = \"A\"\ncontry = \"IT\"\ndefence_relatd = true\n",
        );
        // One finding per typo, no `missing-key` for `country`.
        assert_eq!(rules(&findings), ["unknown-key", "unknown-key"]);
        assert!(c.partners[0].country.lost().is_some());
        // The default is not assumed for a misspelt optional key.
        assert_eq!(c.partners[0].defence_related.or_default(false), None);
        assert_eq!(findings[0].fixes[0].edits[0].text, "country");
    }

    #[test]
    fn a_misspelt_table_loses_its_entries_instead_of_counting_none() {
        let (c, findings) = parse_ok(
            "call = \"X\"\n[proposal]\nacronym = \"A\"\n[[partners]]\nshort_name = \"A\"\n",
        );
        assert_eq!(rules(&findings), ["unknown-key"]);
        assert!(c.partners.is_empty());
        assert_eq!(c.partners_lost.len(), 1);
    }

    #[test]
    fn decimal_points_as_thousands_separators_are_implausible() {
        let (c, findings) = parse_ok(
            "call = \"X\"\n[proposal]\nacronym = \"A\"\nrequested_grant_eur = 450.000\ntotal_costs_eur = 539999.50\n",
        );
        assert_eq!(rules(&findings), ["implausible-amount"]);
        assert!(findings[0]
            .help
            .as_deref()
            .unwrap()
            .contains("`450000` or `450_000`"));
        assert!(c.proposal.requested_grant_eur.lost().is_some());
        assert_eq!(
            c.proposal.total_costs_eur.value().map(|e| e.to_string()),
            Some("539,999.50".to_string())
        );
    }

    #[test]
    fn small_amounts_are_implausible() {
        for literal in ["450", "0", "999.99", "1.4"] {
            let (_, findings) = parse_ok(&format!(
                "call = \"X\"\n[proposal]\nacronym = \"A\"\nrequested_grant_eur = {literal}\n"
            ));
            assert_eq!(rules(&findings), ["implausible-amount"], "{literal}");
        }
        let (_, findings) =
            parse_ok("call = \"X\"\n[proposal]\nacronym = \"A\"\nrequested_grant_eur = 1000\n");
        assert!(findings.is_empty());
    }

    #[test]
    fn empty_placeholders_are_marked_per_table() {
        let (c, findings) = parse_ok(
            "call = \"X\"\n[proposal]\nacronym = \"A\"\nduration_months = \"\"\nactions = []\n[[partner]]\nshort_name = \"\"\nname = \"N\"\ncountry = \"\"\n",
        );
        assert_eq!(findings.len(), 4);
        assert!(findings.iter().all(|f| f.message.ends_with("is empty")));
        assert!(findings.iter().all(|f| f.placeholder_in.is_some()));
        assert_ne!(findings[0].placeholder_in, findings[3].placeholder_in);
        assert!(c.proposal.duration_months.lost().is_some());
        assert!(c.proposal.actions.lost().is_some());
    }

    #[test]
    fn no_call_is_reported_and_a_strand_number_can_be_quoted() {
        let (c, findings) = parse_ok("strand = 2\n[proposal]\nacronym = \"A\"\n");
        assert_eq!(rules(&findings), ["invalid-value", "missing-key"]);
        assert!(c.call.is_absent());
        assert_eq!(findings[0].fixes[0].edits[0].text, "\"2\"");
    }

    #[test]
    fn a_missing_key_is_inserted_as_a_placeholder_after_its_header() {
        let text = "call = \"X\"\n[proposal]\nacronym = \"A\"\n[[partner]]\nname = \"N\"\n";
        let (_, findings) = parse_ok(text);
        let fix = &findings[0].fixes[0].edits[0];
        let mut fixed = text.to_string();
        fixed.replace_range(fix.span.clone(), &fix.text);
        assert!(
            fixed.contains("[[partner]]\nshort_name = \"\"\nname"),
            "{fixed}"
        );
    }
}
