//! escp: an eligibility linter for the EU "Clusters Go International"
//! (ESCP-4i) calls for proposals.
//!
//! A consortium of cluster organisations describes itself in a TOML file;
//! escp loads the rules of the call that file names (data files in
//! `calls/`), checks every rule, and reports each problem at the line that
//! causes it, then a readiness summary.
//!
//! The library has one room per concern. Imports run one way, from the
//! front ends down to the model (`tests/architecture.rs` keeps it so):
//!
//! - the model, at the bottom: [`text`], [`money`] (euros to the cent),
//!   [`source`] (the checked text and its positions), [`countries`],
//!   [`clock`] (the moment of the check), [`rule_id`] (every rule's id: the
//!   one place a rule is registered), [`finding`] (the one diagnostic type),
//!   [`input`] and [`output`] (reading and writing files), and
//!   [`consortium`] (the consortium file's model, and its span-keeping
//!   parser in `consortium::parse`);
//! - [`ruleset`]: the calls' rulesets, with each rule's parameters as data
//!   (`ruleset::params`), their sources and readings, the country groups,
//!   the world regions and the catalog;
//! - [`rules`]: one module per rule (its explanation and its check), reading
//!   the parameters the ruleset holds;
//! - [`pipeline`]: one file's check, from text to findings, readings and
//!   verdict;
//! - built on it: [`report`] (one reporter per output format), [`fix`]
//!   (applying safe fixes to a text), [`walk`] (the consortium files below a
//!   folder), [`template`] (the starter file and the workbook template) and
//!   [`import`] (spreadsheets to a consortium file), and [`describe`] (what
//!   `escp calls` and `escp explain` say of the calls and rules);
//! - the front ends: [`lsp`] (`escp lsp`), [`serve`] (the web workbench,
//!   `escp serve`), [`commands`] (one module per subcommand, with its
//!   arguments) and [`cli`] (the command line, assembled).

pub mod cli;
pub mod clock;
pub mod commands;
pub mod consortium;
pub mod countries;
pub mod describe;
pub mod finding;
pub mod fix;
pub mod import;
pub mod input;
pub mod lsp;
pub mod money;
pub mod output;
pub mod pipeline;
pub mod report;
pub mod rule_id;
pub mod rules;
pub mod ruleset;
pub mod serve;
pub mod source;
pub mod template;
pub mod text;
pub mod walk;
