//! `escp init [PATH] --call ID [--strand S] [--force]`: writes a starter
//! consortium file for a call, with a comment on every key saying what it
//! means and what the call requires. Every text the team must supply is left
//! as `""`, so `escp check` on the new file reports exactly those; numbers
//! and true/false values are examples in comments (`# duration_months =
//! 36`), of the right type, since a `""` there invited `"36"` and `"true"`.
//!
//! The file is written atomically (a temporary file in the same folder, then
//! renamed), and an existing file is never replaced without `--force`.

use crate::rule_id::RuleId;
use crate::ruleset::params::RuleParams;
use crate::ruleset::{Catalog, Ruleset, StrandSetting};
use clap::ValueEnum;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// Where to write the file. Default: consortium.toml, or
    /// consortium.xlsx with --format xlsx.
    #[arg(value_name = "PATH")]
    pub path: Option<PathBuf>,

    /// The call to prepare for; without it, the known calls are listed.
    #[arg(long, value_name = "ID")]
    pub call: Option<String>,

    /// The strand, for calls with strands: its id or its title, as the call
    /// writes it ("A", "Creative & Cultural Industries").
    #[arg(long, value_name = "S")]
    pub strand: Option<String>,

    /// Replace the file if it exists.
    #[arg(long)]
    pub force: bool,

    /// What to write: a commented TOML file, or a workbook template (XLSX)
    /// for a spreadsheet program, to read back with `escp import`.
    /// Default: xlsx when PATH ends in .xlsx, else toml.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<InitFormat>,

    /// A folder of extra ruleset files (repeatable; default: $ESCP_CALLS).
    #[arg(long = "calls", value_name = "DIR")]
    pub calls: Vec<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InitFormat {
    /// A commented consortium.toml.
    Toml,
    /// A workbook template (sheets Proposal, Partners, Targets) with the
    /// call's requirements and drop-down lists.
    Xlsx,
}

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

/// What a call (and strand) requires of a consortium, in the words the
/// starter file uses: shared by the TOML starter file, the workbook
/// template and `escp import`'s placeholders.
#[derive(Clone, Copy)]
pub struct Requirements<'a> {
    pub call: &'a Ruleset,
    pub strand: Option<usize>,
}

impl<'a> Requirements<'a> {
    /// The setting of a rule, where it applies to the strand.
    pub fn setting(&self, rule: RuleId) -> Option<&'a crate::ruleset::RuleSetting> {
        match self.call.entry(rule).map(|e| e.setting(self.strand)) {
            Some(StrandSetting::Applies(s)) => Some(s),
            _ => None,
        }
    }

    /// "30 to 36 months [duration]": what a rule that applies requires.
    pub fn requirement(&self, rule: RuleId) -> Option<String> {
        self.setting(rule)
            .map(|s| format!("{} [{rule}]", s.params.describe(self.call)))
    }

    /// The requirements of the rules that apply, in order.
    pub fn requirements(&self, rules: &[RuleId]) -> Vec<String> {
        rules.iter().filter_map(|r| self.requirement(*r)).collect()
    }

    /// "; the call requires 30 to 36 months [duration]", appended to a
    /// comment (empty when none of the rules applies).
    pub fn notes(&self, rules: &[RuleId]) -> String {
        let parts = self.requirements(rules);
        if parts.is_empty() {
            String::new()
        } else {
            format!("; the call requires {}", parts.join(", "))
        }
    }

    /// Whether a rule that applies reads `key` of `table` ("" for the top,
    /// "proposal", "partner", "target").
    pub fn reads(&self, table: &str, key: &str) -> bool {
        self.call.rules.iter().any(|e| {
            matches!(e.setting(self.strand), StrandSetting::Applies(_))
                && e.rule.reads().iter().any(|(t, k)| *t == table && *k == key)
        })
    }

    /// Whether the call funds financial support to third parties.
    pub fn funds_third_parties(&self) -> bool {
        matches!(
            self.setting(RuleId::FundingRate).map(|s| &s.params),
            Some(RuleParams::FundingRate(p)) if p.third_party_percent.is_some()
        ) || self.setting(RuleId::ThirdPartySupport).is_some()
    }

    /// The actions the call requires, if it says.
    pub fn actions(&self) -> Option<Vec<String>> {
        match self.setting(RuleId::Actions).map(|s| &s.params) {
            Some(RuleParams::Actions(p)) => {
                Some(p.required.iter().map(|a| a.to_string()).collect())
            }
            _ => None,
        }
    }

    /// The fewest applicants the call allows (3 where it does not say),
    /// bounded for a starter file.
    pub fn min_partners(&self) -> usize {
        match self.setting(RuleId::MinPartners).map(|s| &s.params) {
            Some(RuleParams::MinPartners(p)) => p.min.clamp(1, 50),
            _ => 3,
        }
    }

    /// How many target markets a starter file lists, if the call reads them.
    pub fn targets(&self) -> Option<usize> {
        match self.setting(RuleId::MinTargets).map(|s| &s.params) {
            Some(RuleParams::MinTargets(p)) => Some(p.min.clamp(1, 20)),
            _ if self.reads("target", "country") => Some(1),
            _ => None,
        }
    }
}

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
pub fn template(call: &Ruleset, strand: Option<usize>) -> String {
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

/// Writes the starter file: never over an existing file without `force`.
pub fn write_file(path: &Path, text: &str, force: bool) -> Result<(), InitError> {
    write_bytes(path, text.as_bytes(), force)
}

/// Writes a new file (a starter file, a workbook template, an imported
/// consortium file): never over an existing file without `force`.
pub fn write_bytes(path: &Path, bytes: &[u8], force: bool) -> Result<(), InitError> {
    crate::output::write_atomically(path, bytes, force).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => InitError::Exists {
            path: path.to_path_buf(),
        },
        _ => InitError::Write {
            path: path.to_path_buf(),
            source: e,
        },
    })
}

/// `escp init` from its arguments: the format follows `--format`, else
/// the path's extension (`.xlsx` writes the workbook template); the path
/// defaults to consortium.toml or consortium.xlsx.
/// `escp init` as the command line gives it.
pub fn run_args(args: InitArgs) -> u8 {
    match super::catalog(&args.calls) {
        Ok(catalog) => init_with(&args, &catalog, super::clock(None)),
        Err(e) => super::fatal(e),
    }
}

/// `escp init` with the catalog and the moment of the run.
pub fn init_with(args: &InitArgs, catalog: &Catalog, today: crate::clock::Clock) -> u8 {
    let format = args.format.unwrap_or_else(|| {
        let xlsx = args
            .path
            .as_ref()
            .and_then(|p| p.extension())
            .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
        if xlsx {
            InitFormat::Xlsx
        } else {
            InitFormat::Toml
        }
    });
    let xlsx = format == InitFormat::Xlsx;
    let default = if xlsx {
        "consortium.xlsx"
    } else {
        "consortium.toml"
    };
    let path = args.path.clone().unwrap_or_else(|| PathBuf::from(default));
    run(
        &path,
        args.call.as_deref(),
        args.strand.as_deref(),
        args.force,
        xlsx,
        catalog,
        today,
    )
}

pub fn run(
    path: &Path,
    call: Option<&str>,
    strand: Option<&str>,
    force: bool,
    xlsx: bool,
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
    let bytes = if xlsx {
        match crate::workbook_template::workbook(&ruleset, index) {
            Ok(bytes) => bytes,
            Err(e) => return super::error(&format!("cannot build the workbook template: {e}")),
        }
    } else {
        template(&ruleset, index).into_bytes()
    };
    let shown = crate::text::escape(&path.display().to_string());
    let next = if xlsx {
        format!(
            "wrote {shown}: fill it in with a spreadsheet program, then run `escp import {shown} -o consortium.toml`\n"
        )
    } else {
        format!(
            "wrote {shown}: fill in every \"\", write the numbers (the `# key = ...` examples), then run `escp check {shown}`\n"
        )
    };
    match write_bytes(path, &bytes, force) {
        Ok(()) => super::print(&next, 0),
        Err(e) => super::fatal(e),
    }
}
