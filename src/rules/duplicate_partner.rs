//! `duplicate-partner`: no two applicants share a short name or a legal name.

use super::{Cx, Explanation, Verdict};
use crate::consortium::{identity, Field, Sp};
use crate::ruleset::params::duplicate_partner::Params;
use std::borrow::Cow;
use std::collections::HashMap;

pub const EXPLANATION: Explanation = Explanation {
    summary: "two applicants share a short name or a legal name",
    why: "A general rule of EU proposals, in every call: each participant is one organisation, registered \
once on the Funding & Tenders portal with its PIC, so the same organisation cannot be two applicants. A \
repeated legal name usually means an entry was copied and not edited; it is counted once by every count \
(applicants, countries, EU Member States). Names are compared without case, accents, spacing, \
punctuation or the spelling of a legal form.",
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

/// What the rule's parameter is, in its summary line ("inferred rule").
pub const PARAMETER: &str = "rule";

/// The keys of the consortium file the rule reads.
pub const READS: &[super::KeyRef] = &[("partner", "short_name"), ("partner", "name")];

pub fn check(_: &Params, cx: &mut Cx<'_>) -> Verdict {
    let consortium = cx.consortium;
    let partners = &consortium.partners;
    if partners.is_empty() && consortium.partners_lost.is_empty() {
        return Verdict::skip("no applicants to check", &["[[partner]]"]);
    }
    let mut duplicates = 0;
    let mut unknown = consortium.partners_lost.clone();
    let mut keys: Vec<&str> = Vec::new();
    for (what, key, field) in [("short name", "short_name", 0), ("legal name", "name", 1)] {
        let mut first_seen: HashMap<Cow<str>, &Sp<String>> = HashMap::with_capacity(partners.len());
        for (i, partner) in partners.iter().enumerate() {
            let value = if field == 0 {
                &partner.short_name
            } else {
                &partner.name
            };
            let value = match value {
                Field::Given(v) => v,
                other => {
                    unknown.push(other.span_or(&partner.header));
                    if !keys.contains(&key) {
                        keys.push(key);
                    }
                    continue;
                }
            };
            let identity = if field == 0 {
                Cow::Owned(identity::short_name(&value.value))
            } else {
                // Given, so the key is there.
                Cow::Borrowed(consortium.organisation(i).unwrap_or_default())
            };
            match first_seen.get(&identity) {
                None => {
                    first_seen.insert(identity, value);
                }
                Some(first) => {
                    duplicates += 1;
                    let same = if first.value == value.value {
                        String::new()
                    } else {
                        format!(
                            " (\"{}\" and \"{}\")",
                            crate::text::clean(&first.value),
                            crate::text::clean(&value.value)
                        )
                    };
                    let f = cx
                        .finding(
                            value.span.clone(),
                            format!(
                                "two applicants have the same {what}{same}",
                            ),
                        )
                        .label(format!("repeats the {what} of an earlier applicant"))
                        .also(first.span.clone(), "first used here")
                        .help(format!("each applicant is a different organisation: remove the copy, or correct its names ({what}s are compared without case, accents, spacing, punctuation or the spelling of a legal form)"));
                    cx.emit(f);
                }
            }
        }
    }
    if !consortium.partners_lost.is_empty() && !keys.contains(&"[[partner]]") {
        keys.push("[[partner]]");
    }
    if duplicates == 0 && !unknown.is_empty() {
        return Verdict::skip(
            format!(
                "no repeated name among those read; not judged: names at {} could not be read",
                cx.lines(&unknown)
            ),
            &keys,
        );
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
