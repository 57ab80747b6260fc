//! The consortium file (README, "The consortium file"): its model, and the parser that reads it
//! with the position of every key and value.
//!
//! The parser walks the TOML tree once and reports *every* format problem of
//! the file (`unknown-key`, `missing-key`, `invalid-value`) instead of
//! stopping at the first, as serde would. What is wrong is left out of the
//! model (`None`), so that the call rules check what is right and skip what
//! they cannot judge.

use crate::countries::Country;
use crate::money::Euros;
use crate::source::Span;
use serde::Deserialize;
use std::fmt;

pub mod identity;
pub mod keys;
pub mod parse;

pub use parse::{missing_key, parse, parse_with, Strategy};

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
