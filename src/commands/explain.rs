//! `escp explain RULE`: what a rule checks, why, a failing and a fixed
//! example, and its parameters in each known call. The text comes from the
//! rule's own module (`src/rules/<rule>.rs`); `docs/rules.md` is generated
//! from the same text by [`markdown`], and a test keeps it in step.

use crate::describe::rules::{markdown, text};
use crate::rule_id::RuleId;
use crate::ruleset::Catalog;
use std::fmt::Write as _;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// The rule id, e.g. `eligible-country`; without it, the list of rules.
    pub rule: Option<String>,

    /// Explain every rule.
    #[arg(long, conflicts_with = "rule")]
    pub all: bool,

    /// Print every rule as Markdown (the text of docs/rules.md).
    #[arg(long, conflicts_with = "rule")]
    pub markdown: bool,

    /// A folder of extra ruleset files (repeatable; default: $ESCP_CALLS).
    #[arg(long = "calls", value_name = "DIR")]
    pub calls: Vec<PathBuf>,
}

/// `escp explain RULE` (or `--all`): exit 0, or 2 for an unknown rule.
pub fn run(rule: Option<&str>, all: bool, as_markdown: bool, catalog: &Catalog) -> u8 {
    if as_markdown {
        return match markdown(catalog) {
            Ok(text) => super::print(&text, 0),
            Err(e) => super::fatal(e),
        };
    }
    let calls = match catalog.all() {
        Ok(c) => c,
        Err(e) => return super::fatal(e),
    };
    if all {
        let text: Vec<String> = RuleId::ALL.iter().map(|r| text(*r, &calls)).collect();
        return super::print(&text.join("\n"), 0);
    }
    let Some(name) = rule else {
        let mut out = String::from("The rules (escp explain RULE tells more):\n");
        for r in RuleId::ALL {
            let _ = writeln!(out, "  {:22} {}", r.as_str(), r.explanation().summary);
        }
        return super::print(&out, 0);
    };
    match RuleId::parse(name.trim()) {
        Some(rule) => super::print(&text(rule, &calls), 0),
        None => {
            let ids = RuleId::ALL.iter().map(|r| r.as_str());
            let hint = match crate::text::closest(name, ids) {
                Some(best) => format!("did you mean `{best}`?"),
                None => "`escp explain` with no rule lists them".into(),
            };
            super::error(&format!(
                "unknown rule `{}`; {hint}",
                crate::text::clean(name)
            ))
        }
    }
}

/// `escp explain` as the command line gives it.
pub fn run_args(args: ExplainArgs) -> u8 {
    match super::catalog(&args.calls) {
        Ok(c) => run(args.rule.as_deref(), args.all, args.markdown, &c),
        Err(e) => super::fatal(e),
    }
}
