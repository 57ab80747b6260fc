//! `duplicate-partner`: no two applicants share a short name or a legal name.

use super::{Cx, Explanation, Verdict};
use crate::ruleset::Ruleset;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

pub const EXPLANATION: Explanation = Explanation {
    summary: "two applicants share a short name or a legal name",
    why: "Each applicant is a different organisation. A repeated legal name usually means an entry was copied \
and not edited, and it inflates the count of partners and countries. Names are compared without \
regard to case or repeated spaces.",
    failing: r#"[[partner]]
short_name = "AGRI-IT"
name = "Consorzio Agrifood"
[[partner]]
short_name = "agri-it"
name = "Consorzio Agrifood""#,
    fixed: r#"[[partner]]
short_name = "AGRI-IT"
name = "Consorzio Agrifood"
[[partner]]
short_name = "AGRI-FR"
name = "Pôle Agroalimentaire""#,
};

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Params {}

impl super::Params for Params {}

/// Lower case with runs of white space folded: how names are compared.
fn key(name: &str) -> String {
    let mut key = String::with_capacity(name.len());
    for word in name.split_whitespace() {
        if !key.is_empty() {
            key.push(' ');
        }
        key.extend(word.chars().flat_map(char::to_lowercase));
    }
    key
}

/// The requirement in words, for `explain`, `calls` and `init`.
pub fn describe(_: &Params, _: &Ruleset) -> String {
    "no two applicants with the same short or legal name".into()
}

pub fn check(_: &Params, cx: &mut Cx<'_>) -> Verdict {
    let partners = &cx.consortium.partners;
    if partners.is_empty() {
        return Verdict::Skipped("no applicants".into());
    }
    let mut duplicates = 0;
    for (what, field) in [("short name", 0), ("legal name", 1)] {
        let mut first_seen: HashMap<String, &crate::consortium::Sp<String>> = HashMap::new();
        for partner in partners {
            let value = if field == 0 {
                &partner.short_name
            } else {
                &partner.name
            };
            let Some(value) = value else { continue };
            match first_seen.get(&key(&value.value)) {
                None => {
                    first_seen.insert(key(&value.value), value);
                }
                Some(first) => {
                    duplicates += 1;
                    let f = cx
                        .finding(
                            value.span.clone(),
                            format!("two applicants have the {what} \"{}\"", crate::text::clean(&value.value)),
                        )
                        .label(format!("repeats the {what} of an earlier applicant"))
                        .also(first.span.clone(), "first used here")
                        .help("each applicant is a different organisation: remove the copy, or correct its names");
                    cx.emit(f);
                }
            }
        }
    }
    Verdict::Checked(if duplicates == 0 {
        format!(
            "{} with distinct names",
            crate::text::plural(partners.len(), "applicant", "applicants")
        )
    } else {
        format!(
            "{} repeated",
            crate::text::plural(duplicates, "name", "names")
        )
    })
}
