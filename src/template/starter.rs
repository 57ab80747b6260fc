//! The starter consortium file (`escp init`): every key the call's rules
//! read, with a comment saying what it means and what the call requires.

use super::Requirements;
use crate::rule_id::RuleId;
use crate::ruleset::params::RuleParams;
use crate::ruleset::{Ruleset, StrandSetting};
use std::fmt::Write as _;

/// The starter file's text for `call` and (if it has strands) strand `strand`.
/// Every text and list that the call's rules read is present, as a
/// placeholder (`""`, `[]`) that `escp check` reports as empty until it is
/// filled in; every number and true/false value is a commented example
/// (`# duration_months = 36`), absent until it is written, so the checks
/// that need it are skipped: a starter file is never ready.
///
/// The exception is a true/false value whose default cannot meet the
/// call: `defence_related` (default false) where the call requires a
/// defence-related applicant is a `""` placeholder, so that the
/// unfilled file does not fail that check for want of an answer.
pub fn text(call: &Ruleset, strand: Option<usize>) -> String {
    let needs = Requirements { call, strand };
    let notes = |rules: &[RuleId]| needs.notes(rules);
    let read = |table: &str, key: &str| needs.reads(table, key);
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
        "# Written by `escp init`. Fill in every \"\" and [] below. Numbers and true/false values are"
    );
    let _ = writeln!(
        out,
        "# examples in comments (`# duration_months = 36`): remove the `#` and write yours, without"
    );
    let _ = writeln!(out, "# quotes. Then run: escp check <this file>");
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
    // A number or a true/false value: a commented example of its type.
    let example = |out: &mut String, table: &str, key: &str, value: &str, comment: String| {
        let optional = if read(table, key) { "" } else { "optional: " };
        let _ = writeln!(out, "# {key} = {value}  # {optional}{comment}");
    };
    let months = match needs.setting(RuleId::Duration).map(|s| &s.params) {
        Some(RuleParams::Duration(p)) => p.max_months.or(p.min_months).unwrap_or(24),
        _ => 24,
    };
    out.push_str("\n[proposal]\n");
    out.push_str("acronym = \"\"  # required: the proposal's acronym\n");
    out.push_str("title = \"\"  # the proposal's title\n");
    example(
        &mut out,
        "proposal",
        "duration_months",
        &months.to_string(),
        format!(
            "a whole number of months, without quotes{}",
            notes(&[RuleId::Duration])
        ),
    );
    example(
        &mut out,
        "proposal",
        "requested_grant_eur",
        "450000",
        format!(
            "the EU contribution requested: a number of euros, without quotes or spaces (450000 or 450_000){}",
            notes(&[RuleId::MaxGrant, RuleId::FundingRate])
        ),
    );
    example(
        &mut out,
        "proposal",
        "total_costs_eur",
        "500000",
        "the project's total eligible costs: a number of euros, without quotes or spaces".into(),
    );
    let funds_third_parties = needs.funds_third_parties();
    if funds_third_parties {
        let _ = writeln!(
            out,
            "# third_party_support_eur = 340000  # the part of the costs passed on to SMEs as financial support to third parties, in euros, without quotes{}",
            notes(&[RuleId::ThirdPartySupport])
        );
    } else {
        out.push_str("# third_party_support_eur = 0  # optional: financial support to third parties, in euros, without quotes\n");
    }
    let actions = needs.actions().map(|words| {
        let quoted: Vec<String> = words.iter().map(|a| format!("\"{a}\"")).collect();
        quoted.join(", ")
    });
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

    let min = needs.min_partners();
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
        let defence = format!(
            "true or false, without quotes: whether it is a defence-related entity{}",
            notes(&[RuleId::DefenceRelated])
        );
        if needs.setting(RuleId::DefenceRelated).is_some() {
            // Absent, it is false, and the call needs one that is true:
            // the team must answer for each applicant.
            let _ = writeln!(out, "defence_related = \"\"  # {defence}");
        } else {
            example(
                &mut out,
                "partner",
                "defence_related",
                "false",
                format!("{defence} (default false)"),
            );
        }
        example(
            &mut out,
            "partner",
            "legal_entity",
            "true",
            format!(
                "true or false, without quotes: whether it has legal personality (default true){}",
                notes(&[RuleId::LegalEntity])
            ),
        );
        out.push_str(
            "# sme_members = 0  # optional: how many SMEs the organisation has as members, a whole number\n\n",
        );
    }
    let targets = needs.targets();
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
