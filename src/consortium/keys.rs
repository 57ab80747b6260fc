//! The keys of the consortium format (README, "The consortium file"), each with a one-line
//! description, its value and the call rules that read it: what the
//! language server shows on hover and offers in completion.
//!
//! The parser's own key lists (`TOP_KEYS`, `PARTNER_KEYS`, ... in the
//! parent module) are the authority on which keys exist; a test below
//! keeps these tables the same as them.

use super::{Action, Eccp, Keyword, OrgType, Role};
use crate::rule_id::RuleId;

/// A table of the consortium file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Table {
    /// The keys before the first header.
    Root,
    /// `[proposal]`.
    Proposal,
    /// A `[[partner]]` entry.
    Partner,
    /// A `[[target]]` entry.
    Target,
}

impl Table {
    /// How the table is written in the file.
    pub fn header(self) -> &'static str {
        match self {
            Table::Root => "(top of the file)",
            Table::Proposal => "[proposal]",
            Table::Partner => "[[partner]]",
            Table::Target => "[[target]]",
        }
    }
}

/// The kind of value a key takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value {
    /// Free text (a string).
    Text,
    /// A call id or alias (a string).
    Call,
    /// One of the call's strands (a string).
    Strand,
    /// An ISO 3166-1 alpha-2 country code (a string).
    Country,
    /// A world region (a string).
    Region,
    /// One word of a closed set (a string).
    Word(Words),
    /// A list of words of a closed set.
    WordList(Words),
    /// `true` or `false`.
    Boolean,
    /// A whole number.
    Whole,
    /// An amount in euros (a number).
    Amount,
    /// A table (`[proposal]`).
    Table,
    /// An array of tables (`[[partner]]`).
    Entries,
}

/// The closed sets of words of the format (the [`Keyword`] enums).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Words {
    Role,
    OrgType,
    Eccp,
    Action,
}

impl Words {
    /// Every accepted word, in the order help lists them.
    pub fn all(self) -> Vec<&'static str> {
        fn words<K: Keyword>() -> Vec<&'static str> {
            K::ALL.iter().map(|(text, _)| *text).collect()
        }
        match self {
            Words::Role => words::<Role>(),
            Words::OrgType => words::<OrgType>(),
            Words::Eccp => words::<Eccp>(),
            Words::Action => words::<Action>(),
        }
    }
}

/// One key of the format.
#[derive(Debug, Clone, Copy)]
pub struct Key {
    pub name: &'static str,
    pub table: Table,
    /// What the key means, in one line.
    pub description: &'static str,
    pub value: Value,
    /// Whether the format requires the key (`missing-key` when absent).
    pub required: bool,
    /// The value used when the key is absent, if it has a default.
    pub default: Option<&'static str>,
}

impl Key {
    /// The call rules that read the key (the requirements a call can make
    /// of it), from the rules' own declarations.
    pub fn rules(&self) -> Vec<RuleId> {
        let table = match self.table {
            Table::Root => "",
            Table::Proposal => "proposal",
            Table::Partner => "partner",
            Table::Target => "target",
        };
        RuleId::ALL
            .iter()
            .copied()
            .filter(|r| {
                r.reads()
                    .iter()
                    .any(|(t, k)| *t == table && *k == self.name)
            })
            .collect()
    }
}

const fn key(table: Table, name: &'static str, value: Value, description: &'static str) -> Key {
    Key {
        name,
        table,
        description,
        value,
        required: false,
        default: None,
    }
}

const fn required(mut k: Key) -> Key {
    k.required = true;
    k
}

const fn defaults(mut k: Key, default: &'static str) -> Key {
    k.default = Some(default);
    k
}

/// The keys before the first header.
pub const TOP: &[Key] = &[
    required(key(
        Table::Root,
        "call",
        Value::Call,
        "the call for proposals (topic identifier) the consortium applies to; it selects the rules",
    )),
    key(
        Table::Root,
        "strand",
        Value::Strand,
        "the strand (topic, section) of the call applied to; required when the call has strands",
    ),
    required(key(
        Table::Root,
        "proposal",
        Value::Table,
        "the `[proposal]` table: acronym, duration, budget and actions",
    )),
    key(
        Table::Root,
        "partner",
        Value::Entries,
        "one `[[partner]]` entry per applicant, the coordinator included",
    ),
    key(
        Table::Root,
        "target",
        Value::Entries,
        "one `[[target]]` entry per target market: a third country or a world region",
    ),
];

/// The keys of `[proposal]`.
pub const PROPOSAL: &[Key] = &[
    required(key(
        Table::Proposal,
        "acronym",
        Value::Text,
        "the proposal's acronym",
    )),
    key(
        Table::Proposal,
        "title",
        Value::Text,
        "the proposal's title",
    ),
    key(
        Table::Proposal,
        "duration_months",
        Value::Whole,
        "the duration of the action, in months (a whole number, at least 1)",
    ),
    key(
        Table::Proposal,
        "requested_grant_eur",
        Value::Amount,
        "the EU contribution requested, in euros",
    ),
    key(
        Table::Proposal,
        "total_costs_eur",
        Value::Amount,
        "the total eligible costs of the action, in euros",
    ),
    key(
        Table::Proposal,
        "third_party_support_eur",
        Value::Amount,
        "the part of the costs passed on to SMEs as financial support to third parties (cascade funding), in euros",
    ),
    key(
        Table::Proposal,
        "actions",
        Value::WordList(Words::Action),
        "the kinds of action the proposal covers",
    ),
];

/// The keys of a `[[partner]]` entry.
pub const PARTNER: &[Key] = &[
    required(key(
        Table::Partner,
        "short_name",
        Value::Text,
        "the applicant's short name, unique in the file (case-insensitive)",
    )),
    required(key(
        Table::Partner,
        "name",
        Value::Text,
        "the applicant's legal name",
    )),
    defaults(
        key(
            Table::Partner,
            "role",
            Value::Word(Words::Role),
            "the applicant's role: exactly one applicant coordinates",
        ),
        "\"partner\"",
    ),
    required(key(
        Table::Partner,
        "country",
        Value::Country,
        "the applicant's country of establishment (ISO 3166-1 alpha-2 code; EL, UK and XK accepted)",
    )),
    required(key(
        Table::Partner,
        "type",
        Value::Word(Words::OrgType),
        "the kind of organisation the applicant is",
    )),
    key(
        Table::Partner,
        "eccp",
        Value::Word(Words::Eccp),
        "the applicant's status on the European Cluster Collaboration Platform (required where the call has an ECCP rule)",
    ),
    defaults(
        key(
            Table::Partner,
            "defence_related",
            Value::Boolean,
            "whether the applicant is a defence-related entity",
        ),
        "false",
    ),
    defaults(
        key(
            Table::Partner,
            "legal_entity",
            Value::Boolean,
            "whether the applicant is a legal entity",
        ),
        "true",
    ),
    key(
        Table::Partner,
        "sme_members",
        Value::Whole,
        "the number of SMEs among the applicant's members (optional)",
    ),
];

/// The keys of a `[[target]]` entry (exactly one of them per entry).
pub const TARGET: &[Key] = &[
    key(
        Table::Target,
        "country",
        Value::Country,
        "a target third country (ISO 3166-1 alpha-2 code): not an EU Member State nor a participating country",
    ),
    key(
        Table::Target,
        "region",
        Value::Region,
        "a target world region (\"Mercosur\", \"ASEAN\"), instead of a `country`",
    ),
];

/// The keys of a table.
pub fn of(table: Table) -> &'static [Key] {
    match table {
        Table::Root => TOP,
        Table::Proposal => PROPOSAL,
        Table::Partner => PARTNER,
        Table::Target => TARGET,
    }
}

/// A key of a table, by name.
pub fn find(table: Table, name: &str) -> Option<&'static Key> {
    of(table).iter().find(|k| k.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(keys: &[Key]) -> Vec<&'static str> {
        keys.iter().map(|k| k.name).collect()
    }

    #[test]
    fn the_keys_are_the_parsers_keys() {
        assert_eq!(names(TOP), super::super::TOP_KEYS);
        assert_eq!(names(PROPOSAL), super::super::PROPOSAL_KEYS);
        assert_eq!(names(PARTNER), super::super::PARTNER_KEYS);
        assert_eq!(names(TARGET), super::super::TARGET_KEYS);
    }

    #[test]
    fn every_key_a_rule_reads_exists() {
        for rule in RuleId::ALL {
            for (table, name) in rule.reads() {
                let table = match *table {
                    "" => Table::Root,
                    "proposal" => Table::Proposal,
                    "partner" => Table::Partner,
                    _ => Table::Target,
                };
                assert!(find(table, name).is_some(), "{rule} reads {name}");
            }
        }
    }

    #[test]
    fn every_key_is_described_in_its_table() {
        for table in [Table::Root, Table::Proposal, Table::Partner, Table::Target] {
            for k in of(table) {
                assert_eq!(k.table, table, "{}", k.name);
                assert!(!k.description.is_empty(), "{}", k.name);
                assert!(!(k.required && k.default.is_some()), "{}", k.name);
                assert!(k.rules().iter().all(|r| r.is_configurable()), "{}", k.name);
            }
        }
        assert_eq!(
            Words::OrgType.all(),
            [
                "cluster-organisation",
                "business-network-organisation",
                "other"
            ]
        );
    }
}
