//! What escp says about its calls and rules, for people and scripts: the
//! listings of `escp calls`, `escp explain`, the generated docs/sources.md and
//! docs/rules.md, and the workbench's list of calls. Built from the rulesets
//! and the rules' explanations; the commands print it.

pub mod calls;
pub mod rules;
