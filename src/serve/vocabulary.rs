//! What the form offers for a call and strand (`GET /api/vocabulary`):
//! the countries with their eligibility at the call's deadline, the world
//! regions, the words of the closed keys with the ones the call accepts,
//! and for each key what it means and what the call requires of it. All
//! of it from the rulesets and escp's own tables, as the workbook
//! template takes it: the page hard-codes none of it.

use crate::consortium::keys::{self, Table, Value as Kind, Words};
use crate::countries::Countries;
use crate::rule_id::RuleId;
use crate::ruleset::{Ruleset, StrandSetting};
use crate::template::workbook::countries;
use crate::template::Requirements;
use serde_json::{json, Value};
use std::collections::HashSet;

/// The vocabulary for `call` and strand `strand` (an index into its strands).
pub fn vocabulary(call: &Ruleset, strand: Option<usize>) -> Value {
    let needs = Requirements { call, strand };
    let set = |rule: RuleId, members: bool| -> Option<HashSet<String>> {
        needs.setting(rule)?;
        Some(
            countries(&needs, rule, members)
                .iter()
                .map(|c| c.code().to_string())
                .collect(),
        )
    };
    let eligible = set(RuleId::EligibleCountry, true);
    let third = set(RuleId::TargetThirdCountry, false);
    let mut all: Vec<(String, &str)> = Countries::get()
        .iter()
        .map(|(c, name)| (c.code().to_string(), name))
        .collect();
    all.sort_by(|a, b| a.1.cmp(b.1));
    let countries: Vec<Value> = all
        .iter()
        .map(|(code, name)| {
            json!({
                "code": code,
                "name": name,
                "eligible": eligible.as_ref().map(|s| s.contains(code)),
                "third": third.as_ref().map(|s| s.contains(code)),
            })
        })
        .collect();
    let regions: Vec<Value> = crate::ruleset::regions::Regions::get()
        .all()
        .iter()
        .map(|r| json!({ "name": r.name, "aliases": r.aliases }))
        .collect();
    let accepted = |rule: RuleId| -> Option<Vec<String>> {
        let params = needs.setting(rule)?.params.to_json();
        let list = params
            .get("allowed")
            .or_else(|| params.get("accepted"))?
            .as_array()?
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect();
        Some(list)
    };
    let words = |words: Words, rule: Option<RuleId>| -> Value {
        let ok = rule.and_then(accepted);
        Value::from(
            words
                .all()
                .iter()
                .map(|w| {
                    json!({
                        "value": w,
                        "accepted": ok.as_ref().map(|list| list.iter().any(|a| a == w)),
                    })
                })
                .collect::<Vec<_>>(),
        )
    };
    let tables = [
        (Table::Root, "", keys::TOP),
        (Table::Proposal, "proposal", keys::PROPOSAL),
        (Table::Partner, "partner", keys::PARTNER),
        (Table::Target, "target", keys::TARGET),
    ];
    let mut fields = Vec::new();
    for (table, word, list) in tables {
        for key in list {
            if matches!(key.value, Kind::Table | Kind::Entries) {
                continue;
            }
            let requirement = needs.requirements(&key.rules());
            fields.push(json!({
                "table": if word.is_empty() { "root" } else { word },
                "key": key.name,
                "description": key.description,
                "kind": kind(key.value),
                "required": key.required || (table == Table::Partner && keys_required_if_read(key.name) && needs.reads(word, key.name)),
                "read": word.is_empty() || needs.reads(word, key.name),
                "default": key.default,
                "requirement": requirement,
            }));
        }
    }
    let applies: Vec<&str> = call
        .rules
        .iter()
        .filter(|e| matches!(e.setting(strand), StrandSetting::Applies(_)))
        .map(|e| e.rule.as_str())
        .collect();
    json!({
        "version": 1,
        "call": call.id,
        "strand": strand.map(|i| call.strands[i].id.clone()),
        "deadline": call.deadline.date.to_string(),
        "deadline_words": call.deadline.when(),
        "strands": call.strands.iter().map(|s| json!({ "id": s.id, "title": s.title })).collect::<Vec<_>>(),
        "rules": applies,
        "countries": countries,
        "regions": regions,
        "words": {
            "role": words(Words::Role, None),
            "type": words(Words::OrgType, Some(RuleId::OrganisationType)),
            "eccp": words(Words::Eccp, Some(RuleId::EccpRegistration)),
            "actions": match needs.actions() {
                Some(required) => Value::from(Words::Action.all().iter().map(|w| json!({ "value": w, "accepted": required.iter().any(|r| r == w) })).collect::<Vec<_>>()),
                None => words(Words::Action, None),
            },
        },
        "fields": fields,
        "partners": needs.requirements(&[RuleId::MinPartners, RuleId::MaxPartners, RuleId::DistinctCountries, RuleId::MinEuCountries, RuleId::Coordinator, RuleId::DefenceRelated]),
        "targets": needs.requirements(&[RuleId::MinTargets, RuleId::MaxTargets, RuleId::TargetThirdCountry]),
    })
}

fn keys_required_if_read(key: &str) -> bool {
    crate::consortium::PARTNER_REQUIRED_IF_READ.contains(&key)
}

/// How the form edits a key's value.
fn kind(value: Kind) -> &'static str {
    match value {
        Kind::Text => "text",
        Kind::Call => "call",
        Kind::Strand => "strand",
        Kind::Country => "country",
        Kind::Region => "region",
        Kind::Word(_) => "word",
        Kind::WordList(_) => "words",
        Kind::Boolean => "boolean",
        Kind::Whole => "whole",
        Kind::Amount => "amount",
        Kind::Table | Kind::Entries => "table",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eligibility_and_accepted_words_come_from_the_ruleset() {
        let catalog = crate::ruleset::Catalog::new(&[]).unwrap();
        let call = catalog.find("COS-CLUSINT-2020-3-01").unwrap().unwrap();
        let strand = call.strand_index("A");
        let v = vocabulary(&call, strand);
        let country = |code: &str| {
            v["countries"]
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["code"] == code)
                .unwrap()
                .clone()
        };
        assert_eq!(country("DE")["eligible"], json!(true));
        assert_eq!(country("CH")["eligible"], json!(false));
        assert_eq!(country("JP")["third"], json!(true));
        assert_eq!(country("DE")["third"], json!(false));
        let eccp = v["words"]["eccp"].as_array().unwrap();
        let planned = eccp.iter().find(|w| w["value"] == "planned").unwrap();
        assert_eq!(planned["accepted"], json!(false));
        assert!(v["fields"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["key"] == "duration_months"
                && !f["requirement"].as_array().unwrap().is_empty()));
    }
}
