//! The workbook template of `escp init --format xlsx`: the sheets
//! `Proposal`, `Partners` and `Targets` that `escp import` reads back, for
//! teams that keep their partner list in a spreadsheet.
//!
//! Each header has a note saying what the key means and what the call
//! requires (the words of the TOML starter file, from the call's ruleset);
//! the cells take drop-down lists: the countries eligible at the deadline
//! and the third countries (from the call's country groups), the world
//! regions, the types, ECCP statuses, roles and strands. The lists live on
//! a hidden sheet `Lists`.

use crate::consortium::keys;
use crate::countries::{Countries, Country};
use crate::rules::{RuleId, RuleParams};
use crate::ruleset::Ruleset;
use crate::template::Requirements;
use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, DataValidationRule, Format, Formula, Note, Workbook,
    Worksheet, XlsxError,
};

/// The rows of the Partners and Targets sheets that take drop-down lists.
pub const ROWS: u32 = 500;

/// The partner columns: header, key, the rules whose requirement the note
/// states.
const PARTNER_COLUMNS: &[(&str, &str, &[RuleId])] = &[
    ("Short name", "short_name", &[]),
    ("Legal name", "name", &[]),
    ("Role", "role", &[RuleId::Coordinator]),
    ("Country", "country", &[RuleId::EligibleCountry]),
    ("Type", "type", &[RuleId::OrganisationType]),
    ("ECCP", "eccp", &[RuleId::EccpRegistration]),
    (
        "Defence-related",
        "defence_related",
        &[RuleId::DefenceRelated],
    ),
    ("Legal entity", "legal_entity", &[RuleId::LegalEntity]),
    ("SME members", "sme_members", &[]),
];

/// The countries whose membership of the rule's groups, at the deadline,
/// is what the rule wants: eligible countries for `eligible-country`,
/// third countries for `target-third-country`. All countries when the rule
/// does not apply.
pub(crate) fn countries(needs: &Requirements<'_>, rule: RuleId, members: bool) -> Vec<Country> {
    let on = needs.call.deadline.date;
    let groups: Vec<&crate::ruleset::groups::Group> = match needs.setting(rule).map(|s| &s.params) {
        Some(p @ (RuleParams::EligibleCountry(_) | RuleParams::TargetThirdCountry(_))) => p
            .groups()
            .into_iter()
            .filter_map(|g| needs.call.group(g))
            .collect(),
        _ => return Countries::get().iter().map(|(c, _)| c).collect(),
    };
    let mut out: Vec<Country> = Countries::get()
        .iter()
        .map(|(c, _)| c)
        .filter(|c| groups.iter().any(|g| g.membership(*c, on).is_member()) == members)
        .collect();
    out.sort_by_key(|c| c.name());
    out
}

/// "Austria (AT)": how the lists write a country, and `escp import` reads it.
fn entry(c: Country) -> String {
    format!("{} ({})", c.name(), c.code())
}

fn description(table: keys::Table, key: &str) -> String {
    keys::find(table, key).map_or(String::new(), |k| k.description.to_string())
}

/// The note on a header: what the key is, and what the call requires.
fn note(needs: &Requirements<'_>, table: &str, key: &str, what: String, rules: &[RuleId]) -> Note {
    let mut text = what;
    let required = needs.requirements(rules);
    if !required.is_empty() {
        text.push_str(&format!("\n\nThe call requires: {}.", required.join("; ")));
    } else if !table.is_empty()
        && !needs.reads(table, key)
        && !matches!(key, "short_name" | "name" | "role" | "acronym" | "title")
    {
        text.push_str("\n\nOptional for this call.");
    }
    Note::new(text)
        .set_author("escp")
        .add_author_prefix(false)
        .set_width(360)
        .set_height(160)
}

/// A drop-down list from a range of the Lists sheet.
fn list(range: &str, title: &str) -> Result<DataValidation, XlsxError> {
    DataValidation::new()
        .allow_list_formula(Formula::new(range))
        .set_error_style(DataValidationErrorStyle::Warning)
        .set_error_title(title)?
        .set_error_message("This value is not in the list; escp import will check it.")
}

fn words(list: &[impl AsRef<str>], title: &str) -> Result<DataValidation, XlsxError> {
    DataValidation::new()
        .allow_list_strings(list)?
        .set_error_style(DataValidationErrorStyle::Warning)
        .set_error_title(title)?
        .set_error_message("This value is not in the list; escp import will check it.")
}

/// The template's bytes (an XLSX file) for a call and strand.
pub fn workbook(call: &Ruleset, strand: Option<usize>) -> Result<Vec<u8>, XlsxError> {
    filled(call, strand, &Fill::default())
}

/// Values to write into the template (the web workbench's download of a
/// consortium as a workbook), each as `escp import` reads it back: keys of
/// the consortium file with their values as text.
#[derive(Debug, Clone, Default)]
pub struct Fill {
    /// `[proposal]`'s keys and values (`actions` as words separated by commas).
    pub proposal: Vec<(String, String)>,
    /// One list of keys and values per applicant.
    pub partners: Vec<Vec<(String, String)>>,
    /// One `country` or `region` per target market.
    pub targets: Vec<(String, String)>,
}

/// How a value of the file is written in a cell: a country's code as the
/// drop-down list writes it ("Germany (DE)"), a boolean as yes or no.
fn cell_text(key: &str, value: &str) -> String {
    match (key, value) {
        ("country", v) => Countries::get()
            .parse(v)
            .map(entry)
            .unwrap_or_else(|_| v.to_string()),
        (_, "true") => "yes".into(),
        (_, "false") => "no".into(),
        (_, v) => v.to_string(),
    }
}

/// The template for a call and strand with `fill`'s values in it.
pub fn filled(call: &Ruleset, strand: Option<usize>, fill: &Fill) -> Result<Vec<u8>, XlsxError> {
    let given = |key: &str| {
        fill.proposal
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    };
    let needs = Requirements { call, strand };
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap();
    let title = Format::new().set_bold().set_font_size(13);
    let mut book = Workbook::new();

    // Lists (hidden): eligible countries, third countries, regions.
    let eligible = countries(&needs, RuleId::EligibleCountry, true);
    let third = countries(&needs, RuleId::TargetThirdCountry, false);
    let regions: Vec<String> = crate::ruleset::regions::Regions::get()
        .all()
        .iter()
        .map(|r| r.name.clone())
        .collect();
    let mut lists = Worksheet::new();
    lists.set_name("Lists")?;
    lists.write_string_with_format(0, 0, "Eligible countries", &bold)?;
    lists.write_string_with_format(0, 1, "Third countries", &bold)?;
    lists.write_string_with_format(0, 2, "World regions", &bold)?;
    for (i, c) in eligible.iter().enumerate() {
        lists.write_string(i as u32 + 1, 0, entry(*c))?;
    }
    for (i, c) in third.iter().enumerate() {
        lists.write_string(i as u32 + 1, 1, entry(*c))?;
    }
    for (i, r) in regions.iter().enumerate() {
        lists.write_string(i as u32 + 1, 2, r)?;
    }
    lists.set_hidden(true);
    let range = |col: &str, n: usize| format!("=Lists!${col}$2:${col}${}", n.max(1) + 1);

    // Proposal: a label, its value, what the call requires.
    let mut proposal = Worksheet::new();
    proposal.set_name("Proposal")?;
    proposal.write_string_with_format(
        0,
        0,
        format!("Consortium for {}: {}", call.id, call.title),
        &title,
    )?;
    proposal.write_string(
        1,
        0,
        "Fill in column B here, one row per applicant in Partners, one per target market in Targets. Then run: escp import <this file> -o consortium.toml",
    )?;
    proposal.write_string(2, 0, format!("Deadline: {}.", call.deadline.when()))?;
    for (col, header) in ["Field", "Value", "What it is; what the call requires"]
        .iter()
        .enumerate()
    {
        proposal.write_string_with_format(4, col as u16, *header, &bold)?;
    }
    let mut row = 5;
    let mut line = |sheet: &mut Worksheet,
                    label: &str,
                    value: Option<&str>,
                    what: String|
     -> Result<u32, XlsxError> {
        sheet.write_string_with_format(row, 0, label, &bold)?;
        if let Some(v) = value {
            sheet.write_string(row, 1, v)?;
        }
        sheet.write_string_with_format(row, 2, what, &wrap)?;
        row += 1;
        Ok(row - 1)
    };
    line(
        &mut proposal,
        "Call",
        Some(&call.id),
        format!("The call for proposals: {}.", call.title),
    )?;
    if !call.strands.is_empty() {
        let strands: Vec<String> = call
            .strands
            .iter()
            .map(|s| format!("{} ({})", s.id, s.title))
            .collect();
        let current = strand.map(|i| call.strands[i].id.as_str());
        let r = line(
            &mut proposal,
            "Strand",
            current,
            format!("The strand applied to: {}.", strands.join(", ")),
        )?;
        let ids: Vec<&str> = call.strands.iter().map(|s| s.id.as_str()).collect();
        if ids.iter().map(|s| s.len() + 1).sum::<usize>() < 250 {
            proposal.add_data_validation(r, 1, r, 1, &words(&ids, "Strand")?)?;
        }
    }
    let with = |what: String, rules: &[RuleId]| {
        let required = needs.requirements(rules);
        if required.is_empty() {
            what
        } else {
            format!("{what}. The call requires: {}.", required.join("; "))
        }
    };
    line(
        &mut proposal,
        "Acronym",
        given("acronym"),
        "Required: the proposal's acronym.".into(),
    )?;
    line(
        &mut proposal,
        "Title",
        given("title"),
        "The proposal's title.".into(),
    )?;
    let r = line(
        &mut proposal,
        "Duration (months)",
        given("duration_months"),
        with("A whole number of months".into(), &[RuleId::Duration]),
    )?;
    proposal.add_data_validation(
        r,
        1,
        r,
        1,
        &DataValidation::new().allow_whole_number(DataValidationRule::GreaterThanOrEqualTo(1)),
    )?;
    let amount =
        DataValidation::new().allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0));
    let r = line(
        &mut proposal,
        "Requested grant (EUR)",
        given("requested_grant_eur"),
        with(
            "The EU contribution requested, in euros, e.g. 450000".into(),
            &[RuleId::MaxGrant, RuleId::FundingRate],
        ),
    )?;
    proposal.add_data_validation(r, 1, r, 1, &amount)?;
    let r = line(
        &mut proposal,
        "Total costs (EUR)",
        given("total_costs_eur"),
        "The project's total eligible costs, in euros.".into(),
    )?;
    proposal.add_data_validation(r, 1, r, 1, &amount)?;
    if needs.funds_third_parties() {
        let r = line(
            &mut proposal,
            "Third-party support (EUR)",
            given("third_party_support_eur"),
            with(
                "The part of the costs passed on to SMEs as financial support to third parties"
                    .into(),
                &[RuleId::ThirdPartySupport],
            ),
        )?;
        proposal.add_data_validation(r, 1, r, 1, &amount)?;
    }
    let actions = needs
        .actions()
        .unwrap_or_else(|| vec!["preparatory".into(), "implementation".into()]);
    let r = line(
        &mut proposal,
        "Actions",
        given("actions"),
        with(
            format!(
                "The kinds of action the proposal covers, from: {}, separated by commas",
                actions.join(", ")
            ),
            &[RuleId::Actions],
        ),
    )?;
    let mut choices: Vec<String> = actions.clone();
    if actions.len() > 1 {
        choices.push(actions.join(", "));
    }
    proposal.add_data_validation(
        r,
        1,
        r,
        1,
        &words(&choices, "Actions")?.set_error_style(DataValidationErrorStyle::Information),
    )?;
    proposal.set_column_width(0, 26)?;
    proposal.set_column_width(1, 40)?;
    proposal.set_column_width(2, 100)?;

    // Partners: one row per applicant.
    let mut partners = Worksheet::new();
    partners.set_name("Partners")?;
    let min = needs.min_partners();
    let counts = needs.requirements(&[
        RuleId::MinPartners,
        RuleId::DistinctCountries,
        RuleId::MinEuCountries,
    ]);
    partners.write_string_with_format(
        0,
        0,
        format!(
            "Applicants: one row each, the coordinator included{}. Point at a header for what the call requires.",
            if counts.is_empty() { format!(" (at least {min})") } else { format!("; the call requires {}", counts.join(", ")) }
        ),
        &bold,
    )?;
    let header_row = 1;
    let (first, last) = (header_row + 1, header_row + ROWS);
    for (col, (header, key, rules)) in PARTNER_COLUMNS.iter().enumerate() {
        let col = col as u16;
        partners.write_string_with_format(header_row, col, *header, &bold)?;
        let what = format!("{} (`{key}`).", description(keys::Table::Partner, key));
        partners.insert_note(header_row, col, &note(&needs, "partner", key, what, rules))?;
        partners.set_column_width(col, if *key == "name" { 45 } else { 18 })?;
        let validation = match *key {
            "role" => Some(words(&["coordinator", "partner"], "Role")?),
            "country" => Some(list(&range("A", eligible.len()), "Country")?),
            "type" => Some(words(
                &[
                    "cluster-organisation",
                    "business-network-organisation",
                    "other",
                ],
                "Type",
            )?),
            "eccp" => Some(words(
                &["registered", "requested", "planned", "none"],
                "ECCP",
            )?),
            "defence_related" | "legal_entity" => Some(words(&["yes", "no"], header)?),
            "sme_members" => Some(
                DataValidation::new()
                    .allow_whole_number(DataValidationRule::GreaterThanOrEqualTo(0)),
            ),
            _ => None,
        };
        if let Some(v) = validation {
            partners.add_data_validation(first, col, last, col, &v)?;
        }
    }
    for (i, values) in fill.partners.iter().enumerate() {
        for (col, (_, key, _)) in PARTNER_COLUMNS.iter().enumerate() {
            if let Some((_, v)) = values.iter().find(|(k, _)| k == key) {
                partners.write_string(first + i as u32, col as u16, cell_text(key, v))?;
            }
        }
    }
    let pic = PARTNER_COLUMNS.len() as u16;
    partners.write_string_with_format(header_row, pic, "PIC", &bold)?;
    partners.insert_note(
        header_row,
        pic,
        &Note::new("Optional: the participant identification code (9 digits) of the EU Funding & Tenders Portal. Written as a comment in the consortium file.")
            .set_author("escp")
            .add_author_prefix(false),
    )?;
    partners.set_column_width(pic, 14)?;
    partners.set_freeze_panes(header_row + 1, 0)?;

    // Targets: a third country or a world region per row.
    let mut targets = Worksheet::new();
    targets.set_name("Targets")?;
    let markets = needs.requirements(&[
        RuleId::MinTargets,
        RuleId::MaxTargets,
        RuleId::TargetThirdCountry,
    ]);
    targets.write_string_with_format(
        0,
        0,
        format!(
            "Target markets: a country or a world region per row{}.",
            if markets.is_empty() {
                String::new()
            } else {
                format!("; the call requires {}", markets.join(", "))
            }
        ),
        &bold,
    )?;
    targets.write_string_with_format(header_row, 0, "Country", &bold)?;
    targets.write_string_with_format(header_row, 1, "Region", &bold)?;
    targets.insert_note(
        header_row,
        0,
        &note(
            &needs,
            "target",
            "country",
            format!(
                "{} (`country`).",
                description(keys::Table::Target, "country")
            ),
            &[RuleId::TargetThirdCountry],
        ),
    )?;
    targets.insert_note(
        header_row,
        1,
        &note(
            &needs,
            "target",
            "region",
            format!(
                "{} Leave Country empty on that row.",
                description(keys::Table::Target, "region")
            ),
            &[],
        ),
    )?;
    targets.add_data_validation(
        first,
        0,
        last,
        0,
        &list(&range("B", third.len()), "Country")?,
    )?;
    targets.add_data_validation(
        first,
        1,
        last,
        1,
        &list(&range("C", regions.len()), "Region")?,
    )?;
    for (i, (key, v)) in fill.targets.iter().enumerate() {
        let col = if key == "region" { 1 } else { 0 };
        targets.write_string(first + i as u32, col, cell_text(key, v))?;
    }
    targets.set_column_width(0, 36)?;
    targets.set_column_width(1, 36)?;
    targets.set_freeze_panes(header_row + 1, 0)?;

    proposal.set_active(true);
    book.push_worksheet(proposal);
    book.push_worksheet(partners);
    book.push_worksheet(targets);
    book.push_worksheet(lists);
    book.save_to_buffer()
}
