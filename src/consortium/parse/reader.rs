//! The reader of a consortium file's tables: the top level, `[proposal]`,
//! each `[[partner]]` and `[[target]]`, with every format problem found on
//! the way (unknown and missing keys, misspelt tables).

use super::values::type_name;
use crate::consortium::*;
use crate::countries::Countries;
use crate::finding::Finding;
use crate::rule_id::RuleId;
use crate::source::Span;
use toml::de::{DeArray, DeTable, DeValue};
use toml::Spanned;

pub(super) struct Reader<'t> {
    /// The whole file (sections are read at `offset` into it).
    pub(super) text: &'t str,
    pub(super) findings: Vec<Finding>,
    pub(super) countries: &'static Countries,
    /// Where the section being read starts in the file.
    pub(super) offset: usize,
    /// The header of the table being read, for "empty" findings.
    pub(super) table: Option<Span>,
}

/// The top-level keys met so far, for the checks at the end.
#[derive(Default)]
pub(super) struct Seen {
    pub(super) call: bool,
    pub(super) proposal: bool,
    pub(super) strand: bool,
    /// Misspelt top-level keys: (the key meant, where it is written).
    pub(super) typos: Vec<(&'static str, Span)>,
}

impl Seen {
    pub(super) fn merge(&mut self, other: Seen) {
        self.call |= other.call;
        self.proposal |= other.proposal;
        self.strand |= other.strand;
        self.typos.extend(other.typos);
    }
}

/// The keys of one table met while reading it, and the misspelt ones.
#[derive(Default)]
pub(super) struct TableKeys {
    pub(super) present: Vec<String>,
    pub(super) typos: Vec<(&'static str, Span)>,
}

impl TableKeys {
    pub(super) fn has(&self, key: &str) -> bool {
        self.present.iter().any(|k| k == key)
    }

    /// Where a misspelling of `key` stands for it, if `key` itself is absent.
    pub(super) fn typo_for(&self, key: &str) -> Option<Span> {
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
    pub(super) fn new(text: &'t str) -> Reader<'t> {
        Reader {
            text,
            findings: Vec::new(),
            countries: Countries::get(),
            offset: 0,
            table: None,
        }
    }

    /// A position in the section, as a position in the file.
    pub(super) fn at<T>(&self, spanned: &Spanned<T>) -> Span {
        let span = spanned.span();
        span.start + self.offset..span.end + self.offset
    }

    /// Reads the top-level keys of the file (or of one section of it).
    pub(super) fn root(&mut self, root: &DeTable<'_>, c: &mut Consortium, seen: &mut Seen) {
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
    pub(super) fn finish(&mut self, seen: &Seen, c: &mut Consortium) {
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
    pub(super) fn keys(
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

    pub(super) fn proposal(&mut self, table: &DeTable<'_>, header: Span) -> Proposal {
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

    pub(super) fn partner(&mut self, table: &DeTable<'_>, header: Span) -> Partner {
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

    pub(super) fn target(&mut self, table: &DeTable<'_>, header: Span) -> Target {
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

    // --- tables -------------------------------------------------------------

    pub(super) fn table<'a, 'i>(
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
    pub(super) fn entries<'a, 'i>(
        &mut self,
        key: &str,
        value: &'a Spanned<DeValue<'i>>,
    ) -> (Vec<(&'a DeTable<'i>, Span)>, Vec<Span>) {
        // Made only for a finding.
        let help = || format!("write each entry as its own `[[{key}]]` section");
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
                    help(),
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
                        help(),
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
    pub(super) fn lost(at: Span) -> Proposal {
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
pub(super) trait LoseTo {
    fn lose_to(&mut self, at: Span);
}

impl<T> LoseTo for Field<T> {
    fn lose_to(&mut self, at: Span) {
        if self.is_absent() {
            *self = Field::Lost(at);
        }
    }
}
