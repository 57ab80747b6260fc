//! `escp calls [ID]`: the known calls, or one call with every rule.

use crate::clock::Clock;
use crate::describe::calls::{list_json, list_text, show_json, show_text, sources_markdown};
use crate::ruleset::Catalog;
use clap::ValueEnum;
use jiff::civil::Date;
use serde_json::Value;
use std::path::PathBuf;

/// The arguments of `escp calls`.
#[derive(Debug, clap::Args)]
pub struct CallsArgs {
    /// A call id or alias: show its strands and every rule.
    pub id: Option<String>,

    /// A folder of extra ruleset files (repeatable; default: $ESCP_CALLS).
    #[arg(long = "calls", value_name = "DIR")]
    pub calls: Vec<PathBuf>,

    /// The output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Human)]
    pub format: ListFormat,

    /// The date deadlines are compared with (YYYY-MM-DD); default: today.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = crate::commands::parse_date)]
    pub today: Option<Date>,

    /// Print every call's sources, and what escp takes from each, as
    /// Markdown (the text of docs/sources.md).
    #[arg(long, conflicts_with_all = ["id", "format"])]
    pub sources: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    /// A table for people.
    Human,
    /// JSON (version 1).
    Json,
}

pub fn run(id: Option<&str>, json_format: bool, catalog: &Catalog, today: Clock) -> u8 {
    let render = |value: Value| serde_json::to_string_pretty(&value).unwrap_or_default() + "\n";
    match id {
        None => {
            // Every call that loads is listed; a broken ruleset is reported
            // after the list (exit code 2), not instead of it.
            let calls = catalog.loadable();
            let code = super::print(
                &if json_format {
                    render(list_json(&calls, today))
                } else {
                    list_text(&calls, today)
                },
                0,
            );
            let broken = catalog.broken();
            for (_, error) in &broken {
                super::fatal_ref(error);
            }
            if broken.is_empty() {
                code
            } else {
                2
            }
        }
        Some(id) => match catalog.find(id) {
            Ok(Some(call)) if json_format => super::print(&render(show_json(&call, today)), 0),
            Ok(Some(call)) => super::print(&show_text(&call, today), 0),
            Ok(None) => super::error(&format!(
                "unknown call `{}`; {}",
                crate::text::clean(id),
                catalog.unknown_hint(id)
            )),
            Err(e) => super::fatal(e),
        },
    }
}

/// `escp calls` as the command line gives it.
pub fn run_args(args: CallsArgs) -> u8 {
    let catalog = match super::catalog(&args.calls) {
        Ok(c) => c,
        Err(e) => return super::fatal(e),
    };
    if args.sources {
        return match catalog.all() {
            Ok(calls) => super::print(&sources_markdown(&calls), 0),
            Err(e) => super::fatal(e),
        };
    }
    run(
        args.id.as_deref(),
        args.format == ListFormat::Json,
        &catalog,
        super::clock(args.today),
    )
}
