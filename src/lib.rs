//! escp: an eligibility linter for the EU "Clusters Go International"
//! (ESCP-4i) calls for proposals.
//!
//! A consortium of cluster organisations describes itself in a TOML file;
//! escp loads the rules of the call that file names (data files in
//! `calls/`), checks every rule, and reports each problem at the line that
//! causes it, then a readiness summary.
//!
//! The library is organised by concern:
//! - [`source`]: the checked text and its positions;
//! - [`consortium`]: the consortium file's model and span-keeping parser;
//! - [`money`]: amounts of euros, exact to the cent;
//! - [`countries`]: country codes and names;
//! - [`ruleset`]: the calls' rulesets, country groups and the catalog;
//! - [`rules`]: one module per rule, with its explanation;
//! - [`pipeline`]: one file's check, from text to report;
//! - [`fix`]: applying the findings' safe fixes to a text;
//! - [`import`]: spreadsheets (CSV, XLSX, XLS, ODS) to a consortium file;
//! - [`workbook_template`]: the workbook template `escp init --format xlsx` writes;
//! - [`report`]: one reporter per output format;
//! - [`walk`]: finding the consortium files below a folder;
//! - [`commands`]: one module per subcommand (check, calls, explain, init, import, lsp, serve);
//! - [`lsp`]: the language server for editors (`escp lsp`);
//! - [`serve`]: the web workbench (`escp serve`);
//! - [`cli`]: the command line.

pub mod cli;
pub mod clock;
pub mod commands;
pub mod consortium;
pub mod countries;
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
pub mod text;
pub mod walk;
pub mod workbook_template;
