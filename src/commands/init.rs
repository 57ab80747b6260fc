//! `escp init [PATH] --call ID [--strand S] [--force]`: writes a starter
//! consortium file for a call, with a comment on every key saying what it
//! means and what the call requires. Every value the team must supply is left
//! as `""`, so `escp check` on the new file reports exactly those.
//!
//! The file is written atomically (a temporary file in the same folder, then
//! renamed), and an existing file is never replaced without `--force`.

use crate::rules::RuleId;
use crate::ruleset::{Catalog, Ruleset, StrandSetting};
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// Why `init` wrote nothing (exit code 2).
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum InitError {
    #[error("{} already exists", path.display())]
    #[diagnostic(
        code(init),
        help("escp never overwrites a file unless asked: add --force to replace it")
    )]
    Exists { path: PathBuf },

    #[error("cannot write {}: {source}", path.display())]
    #[diagnostic(code(init))]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },

    #[error("{call} has strands; choose one with --strand")]
    #[diagnostic(code(init), help("the strands are: {strands}"))]
    NeedsStrand { call: String, strands: String },

    #[error("\"{strand}\" is not a strand of {call}")]
    #[diagnostic(code(init), help("the strands are: {strands}"))]
    UnknownStrand {
        call: String,
        strand: String,
        strands: String,
    },
}

/// The starter file's text for `call` and (if it has strands) strand `strand`.
pub fn template(call: &Ruleset, strand: Option<usize>) -> String {
    let requirement = |rule: RuleId| -> Option<String> {
        match call.entry(rule)?.setting(strand) {
            StrandSetting::Applies(s) => Some(format!("{} [{rule}]", s.params.describe(call))),
            _ => None,
        }
    };
    // "; the call requires 30 to 36 months [duration]", appended to a comment.
    let notes = |rules: &[RuleId]| -> String {
        let parts: Vec<String> = rules.iter().filter_map(|r| requirement(*r)).collect();
        if parts.is_empty() {
            String::new()
        } else {
            format!("; the call requires {}", parts.join(", "))
        }
    };
    let strand_name = strand.map(|i| &call.strands[i]);
    let mut out = String::new();
    let _ = writeln!(out, "# Consortium file for {}: {}.", call.id, call.title);
    if let Some(s) = strand_name {
        let _ = writeln!(out, "# Strand {}: {}.", s.id, s.title);
    }
    let _ = writeln!(out, "# Deadline: {}.", call.deadline.when());
    let _ = writeln!(out, "#");
    let _ = writeln!(
        out,
        "# Written by `escp init`. Fill in every \"\" below, then run: escp check <this file>"
    );
    let _ = writeln!(
        out,
        "# What the call requires (`escp explain RULE` tells more):"
    );
    for entry in &call.rules {
        if let StrandSetting::Applies(s) = entry.setting(strand) {
            let _ = writeln!(
                out,
                "#   {:22} {} ({})",
                entry.rule.as_str(),
                s.params.describe(call),
                s.severity.as_str()
            );
        }
    }
    out.push('\n');
    let _ = writeln!(out, "call = \"{}\"", call.id);
    if let Some(s) = strand_name {
        let _ = writeln!(out, "strand = \"{}\"", s.id);
    }

    out.push_str("\n[proposal]\n");
    out.push_str("acronym = \"\"  # required: the proposal's acronym\n");
    out.push_str("title = \"\"  # the proposal's title\n");
    let _ = writeln!(
        out,
        "# duration_months = 0  # in months{}",
        notes(&[RuleId::Duration])
    );
    let _ = writeln!(
        out,
        "# requested_grant_eur = 0  # the EU contribution requested, in euros{}",
        notes(&[RuleId::MaxGrant, RuleId::FundingRate])
    );
    out.push_str("# total_costs_eur = 0  # the project's total eligible costs, in euros\n");
    let actions = match call.entry(RuleId::Actions).map(|e| e.setting(strand)) {
        Some(StrandSetting::Applies(s)) => match s.params.to_toml().get("required") {
            Some(toml::Value::Array(words)) => Some(toml::Value::Array(words.clone()).to_string()),
            _ => None,
        },
        _ => None,
    };
    match actions {
        Some(list) => {
            let _ = writeln!(out, "actions = {list}  # the kinds of action the proposal covers{}", notes(&[RuleId::Actions]));
        }
        None => out.push_str("# actions = [\"preparatory\", \"implementation\"]  # the kinds of action the proposal covers\n"),
    }

    let min = call
        .entry(RuleId::MinPartners)
        .and_then(|e| match e.setting(strand) {
            StrandSetting::Applies(s) => s
                .params
                .to_toml()
                .get("min")
                .and_then(toml::Value::as_integer),
            _ => None,
        })
        .unwrap_or(3)
        .clamp(1, 50) as usize;
    let defence = matches!(
        call.entry(RuleId::DefenceRelated)
            .map(|e| e.setting(strand)),
        Some(StrandSetting::Applies(_))
    );
    let _ = writeln!(
        out,
        "\n# One [[partner]] per applicant, the coordinator included{}.",
        notes(&[
            RuleId::MinPartners,
            RuleId::DistinctCountries,
            RuleId::MinEuCountries
        ])
    );
    for i in 0..min {
        // The call's requirements are spelt out on the first entry only.
        let notes = |rules: &[RuleId]| if i == 0 { notes(rules) } else { String::new() };
        out.push_str("[[partner]]\n");
        out.push_str("short_name = \"\"  # required, unique: a short name such as AGRI-IT\n");
        out.push_str("name = \"\"  # required: the organisation's legal name\n");
        let role = if i == 0 { "coordinator" } else { "partner" };
        let _ = writeln!(
            out,
            "role = \"{role}\"  # coordinator or partner{}",
            notes(&[RuleId::Coordinator])
        );
        let _ = writeln!(
            out,
            "country = \"\"  # required: two-letter ISO code of the country of establishment{}",
            notes(&[RuleId::EligibleCountry])
        );
        let _ = writeln!(
            out,
            "type = \"\"  # required: cluster-organisation, business-network-organisation or other{}",
            notes(&[RuleId::OrganisationType])
        );
        let _ = writeln!(
            out,
            "eccp = \"\"  # required: registered, requested, planned or none (European Cluster Collaboration Platform){}",
            notes(&[RuleId::EccpRegistration])
        );
        if defence {
            let _ = writeln!(
                out,
                "defence_related = {}  # true for a defence-related entity{}",
                i == 0,
                notes(&[RuleId::DefenceRelated])
            );
        }
        let _ = writeln!(
            out,
            "legal_entity = true  # false for an organisation without legal personality{}",
            notes(&[RuleId::LegalEntity])
        );
        out.push_str("# sme_members = 0  # how many SMEs the organisation has as members\n\n");
    }
    let _ =
        writeln!(
        out,
        "# Target markets: one [[target]] each, with a `country` (ISO code) or a world `region`{}.",
        notes(&[RuleId::MinTargets, RuleId::MaxTargets, RuleId::TargetThirdCountry])
    );
    out.push_str("[[target]]\ncountry = \"\"  # e.g. \"JP\"\n\n[[target]]\nregion = \"\"  # e.g. \"Mercosur\"\n");
    out
}

/// Writes the starter file: never over an existing file without `force`.
pub fn write_file(path: &Path, text: &str, force: bool) -> Result<(), InitError> {
    crate::output::write_atomically(path, text.as_bytes(), force).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => InitError::Exists {
            path: path.to_path_buf(),
        },
        _ => InitError::Write {
            path: path.to_path_buf(),
            source: e,
        },
    })
}

pub fn run(
    path: &Path,
    call: Option<&str>,
    strand: Option<&str>,
    force: bool,
    catalog: &Catalog,
    today: jiff::civil::Date,
) -> u8 {
    let Some(id) = call else {
        let calls = match catalog.all() {
            Ok(c) => c,
            Err(e) => return super::fatal(e),
        };
        let _ = writeln!(
            std::io::stderr(),
            "escp init: choose the call with --call ID (and --strand S for calls with strands):\n"
        );
        return super::print(&super::calls::list_text(&calls, today), 2);
    };
    let ruleset = match catalog.find(id) {
        Ok(Some(r)) => r,
        Ok(None) => {
            return super::error(&format!(
                "unknown call `{}`; {}",
                crate::text::clean(id),
                catalog.unknown_hint(id)
            ))
        }
        Err(e) => return super::fatal(e),
    };
    let strands = || {
        ruleset
            .strands
            .iter()
            .map(|s| format!("{} ({})", s.id, s.title))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let index = match (ruleset.strands.is_empty(), strand) {
        (true, _) => None,
        (false, None) => {
            return super::fatal(InitError::NeedsStrand {
                call: ruleset.id.clone(),
                strands: strands(),
            })
        }
        (false, Some(s)) => match ruleset.strand_index(s) {
            Some(i) => Some(i),
            None => {
                return super::fatal(InitError::UnknownStrand {
                    call: ruleset.id.clone(),
                    strand: crate::text::clean(s),
                    strands: strands(),
                })
            }
        },
    };
    match write_file(path, &template(&ruleset, index), force) {
        Ok(()) => super::print(
            &format!(
                "wrote {}: fill in every \"\", then run `escp check {}`\n",
                path.display(),
                path.display()
            ),
            0,
        ),
        Err(e) => super::fatal(e),
    }
}
