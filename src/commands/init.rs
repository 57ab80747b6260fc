//! `escp init [PATH] --call ID [--strand S] [--force]`: writes a starter
//! consortium file for a call, with a comment on every key saying what it
//! means and what the call requires. Every value the team must supply is left
//! as `""`, so `escp check` on the new file reports exactly those.
//!
//! The file is written atomically (a temporary file in the same folder, then
//! renamed), and an existing file is never replaced without `--force`.

use crate::rule_id::RuleId;
use crate::ruleset::params::RuleParams;
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
    #[diagnostic(code(init), help("{near}the strands are: {strands}"))]
    UnknownStrand {
        call: String,
        strand: String,
        /// "did you mean ...? " where the text is near one strand.
        near: String,
        strands: String,
    },
}

/// The starter file's text for `call` and (if it has strands) strand `strand`.
/// Every key that the call's rules read is present, as a placeholder (`""`,
/// `[]`) that `escp check` reports as empty until it is filled in: a starter
/// file is never ready.
pub fn template(call: &Ruleset, strand: Option<usize>) -> String {
    let setting = |rule: RuleId| match call.entry(rule).map(|e| e.setting(strand)) {
        Some(StrandSetting::Applies(s)) => Some(s),
        _ => None,
    };
    let requirement =
        |rule: RuleId| setting(rule).map(|s| format!("{} [{rule}]", s.params.describe(call)));
    // "; the call requires 30 to 36 months [duration]", appended to a comment.
    let notes = |rules: &[RuleId]| -> String {
        let parts: Vec<String> = rules.iter().filter_map(|r| requirement(*r)).collect();
        if parts.is_empty() {
            String::new()
        } else {
            format!("; the call requires {}", parts.join(", "))
        }
    };
    // Whether a rule that applies reads `key` of `table`.
    let read = |table: &str, key: &str| {
        call.rules.iter().any(|e| {
            matches!(e.setting(strand), StrandSetting::Applies(_))
                && e.rule.reads().iter().any(|(t, k)| *t == table && *k == key)
        })
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
        "# Written by `escp init`. Fill in every \"\" and [] below, then run: escp check <this file>"
    );
    let _ = writeln!(
        out,
        "# What the call requires (`escp explain RULE` tells more; `escp calls {}` cites the sources):",
        call.id
    );
    for entry in &call.rules {
        if let StrandSetting::Applies(s) = entry.setting(strand) {
            let _ = writeln!(
                out,
                "#   {:22} {} ({})",
                entry.rule.as_str(),
                s.params.describe(call),
                s.basis_words()
            );
        }
    }
    out.push('\n');
    let _ = writeln!(out, "call = \"{}\"", call.id);
    if let Some(s) = strand_name {
        let _ = writeln!(out, "strand = \"{}\"", s.id);
    }

    // A key the call reads is a placeholder to fill in; another is an
    // optional, commented-out line.
    let line = |out: &mut String, table: &str, key: &str, placeholder: &str, comment: String| {
        if read(table, key) {
            let _ = writeln!(out, "{key} = {placeholder}  # {comment}");
        } else {
            let _ = writeln!(out, "# {key} = {placeholder}  # optional: {comment}");
        }
    };
    out.push_str("\n[proposal]\n");
    out.push_str("acronym = \"\"  # required: the proposal's acronym\n");
    out.push_str("title = \"\"  # the proposal's title\n");
    line(
        &mut out,
        "proposal",
        "duration_months",
        "\"\"",
        format!("a whole number of months{}", notes(&[RuleId::Duration])),
    );
    line(
        &mut out,
        "proposal",
        "requested_grant_eur",
        "\"\"",
        format!(
            "the EU contribution requested, in euros, e.g. 450000{}",
            notes(&[RuleId::MaxGrant, RuleId::FundingRate])
        ),
    );
    line(
        &mut out,
        "proposal",
        "total_costs_eur",
        "\"\"",
        "the project's total eligible costs, in euros".into(),
    );
    let funds_third_parties = matches!(
        setting(RuleId::FundingRate).map(|s| &s.params),
        Some(RuleParams::FundingRate(p)) if p.third_party_percent.is_some()
    ) || setting(RuleId::ThirdPartySupport).is_some();
    if funds_third_parties {
        let _ = writeln!(
            out,
            "third_party_support_eur = \"\"  # the part of the costs passed on to SMEs as financial support to third parties{}",
            notes(&[RuleId::ThirdPartySupport])
        );
    } else {
        out.push_str("# third_party_support_eur = \"\"  # optional: financial support to third parties, in euros\n");
    }
    let actions = match setting(RuleId::Actions).map(|s| &s.params) {
        Some(RuleParams::Actions(p)) => {
            let words: Vec<String> = p.required.iter().map(|a| format!("\"{a}\"")).collect();
            Some(words.join(", "))
        }
        _ => None,
    };
    match actions {
        Some(words) => {
            let _ = writeln!(
                out,
                "actions = []  # the kinds of action the proposal covers, from {words}{}",
                notes(&[RuleId::Actions])
            );
        }
        None => out.push_str(
            "# actions = []  # optional: the kinds of action the proposal covers, \"preparatory\" and/or \"implementation\"\n",
        ),
    }

    let min = match setting(RuleId::MinPartners).map(|s| &s.params) {
        Some(RuleParams::MinPartners(p)) => p.min.clamp(1, 50),
        _ => 3,
    };
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
        out.push_str("short_name = \"\"  # required, unique: a short name such as the organisation's acronym\n");
        out.push_str("name = \"\"  # required: the organisation's legal name\n");
        let role = if i == 0 { "coordinator" } else { "partner" };
        let _ = writeln!(
            out,
            "role = \"{role}\"  # coordinator or partner{}",
            notes(&[RuleId::Coordinator])
        );
        line(
            &mut out,
            "partner",
            "country",
            "\"\"",
            format!(
                "two-letter ISO code of the country of establishment{}",
                notes(&[RuleId::EligibleCountry])
            ),
        );
        line(
            &mut out,
            "partner",
            "type",
            "\"\"",
            format!(
                "cluster-organisation, business-network-organisation or other{}",
                notes(&[RuleId::OrganisationType])
            ),
        );
        line(
            &mut out,
            "partner",
            "eccp",
            "\"\"",
            format!(
                "registered, requested, planned or none (European Cluster Collaboration Platform){}",
                notes(&[RuleId::EccpRegistration])
            ),
        );
        line(
            &mut out,
            "partner",
            "defence_related",
            "\"\"",
            format!(
                "true or false: whether it is a defence-related entity{}",
                notes(&[RuleId::DefenceRelated])
            ),
        );
        line(
            &mut out,
            "partner",
            "legal_entity",
            "\"\"",
            format!(
                "true or false: whether it has legal personality{}",
                notes(&[RuleId::LegalEntity])
            ),
        );
        out.push_str(
            "# sme_members = 0  # optional: how many SMEs the organisation has as members\n\n",
        );
    }
    let targets = match setting(RuleId::MinTargets).map(|s| &s.params) {
        Some(RuleParams::MinTargets(p)) => Some(p.min.clamp(1, 20)),
        _ if read("target", "country") => Some(1),
        _ => None,
    };
    match targets {
        Some(n) => {
            let _ = writeln!(
                out,
                "# Target markets: one [[target]] each, with a `country` (ISO code) or, instead, a world `region`{}.",
                notes(&[RuleId::MinTargets, RuleId::MaxTargets, RuleId::TargetThirdCountry])
            );
            for _ in 0..n {
                out.push_str("[[target]]\ncountry = \"\"  # or: region = \"\" (a world region such as Mercosur)\n\n");
            }
        }
        None => out.push_str(
            "# Target markets (optional for this call): one [[target]] each, with a `country` or a world `region`.\n# [[target]]\n# country = \"\"\n",
        ),
    }
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
    today: crate::clock::Clock,
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
                    near: ruleset
                        .strand_near(s)
                        .map(|i| &ruleset.strands[i])
                        .map(|n| format!("did you mean --strand {} ({})? ", n.id, n.title))
                        .unwrap_or_default(),
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
