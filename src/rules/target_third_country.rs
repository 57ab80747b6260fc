//! `target-third-country`: each target country is a third country for the call.

use super::{group_names, membership, Cx, Explanation, Verdict};
use crate::consortium::Market;
use crate::ruleset::groups::Membership;
use crate::ruleset::Ruleset;
use serde::{Deserialize, Serialize};

pub const EXPLANATION: Explanation = Explanation {
    summary: "a target `country` is a third country: not an EU Member State and not a COSME participating country",
    why: "Clusters Go International takes SMEs to markets beyond Europe (\"third countries\", i.e. non-COSME \
participating countries). A target inside the EU or the COSME area is not a target market for this \
action. World regions (`region = \"Mercosur\"`) are not checked.",
    failing: r#"[[target]]
country = "RS""#,
    fixed: r#"[[target]]
country = "JP""#,
};

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    /// The groups whose members are not third countries.
    pub not_in: Vec<String>,
}

impl super::Params for Params {
    fn groups(&self) -> Vec<&str> {
        self.not_in.iter().map(String::as_str).collect()
    }
}

/// The requirement in words, for `explain`, `calls` and `init`.
pub fn describe(p: &Params, call: &Ruleset) -> String {
    let names: Vec<&str> = p
        .not_in
        .iter()
        .filter_map(|g| call.group(g))
        .map(|g| g.name.as_str())
        .collect();
    format!("target countries outside the {}", super::or_list(&names))
}

pub fn check(p: &Params, cx: &mut Cx<'_>) -> Verdict {
    let deadline = cx.call.deadline.date.strftime("%-d %B %Y").to_string();
    let excluded = group_names(cx, &p.not_in);
    let (mut countries, mut regions, mut bad) = (0, 0, 0);
    for target in &cx.consortium.targets {
        let Some(market) = &target.market else {
            continue;
        };
        let country = match market {
            Market::Region(_) => {
                regions += 1;
                continue;
            }
            Market::Country(c) => c,
        };
        countries += 1;
        // Name the group that makes it not a third country: one it is
        // surely in, else one it is in by inference.
        let mut inside = None;
        for group in &p.not_in {
            match membership(cx, std::slice::from_ref(group), country.value) {
                Membership::Yes => {
                    inside = Some((group, Membership::Yes));
                    break;
                }
                inferred @ Membership::Inferred(_) if inside.is_none() => {
                    inside = Some((group, inferred))
                }
                _ => {}
            }
        }
        let Some((group, member)) = inside else {
            continue;
        };
        bad += 1;
        let group_name = cx.group(group).name.clone();
        let message = match member {
            Membership::Inferred(_) => format!(
                "{} counts among the {group_name} on {deadline} by inference, so it may not be a third country for {}",
                country.value, cx.call.id
            ),
            _ => format!(
                "{} is among the {group_name} on {deadline}, so it is not a third country for {}",
                country.value, cx.call.id
            ),
        };
        let f = cx
            .finding(country.span.clone(), message)
            .label("not a third country")
            .help(format!(
                "target markets are outside the {excluded}: choose another country, or a world region"
            ));
        match member {
            Membership::Inferred(why) => cx.emit_inferred(f, why),
            _ => cx.emit(f),
        }
    }
    if countries + regions == 0 {
        return Verdict::Skipped("no `[[target]]` to check".into());
    }
    Verdict::Checked(format!(
        "{} of {} target countries are third countries{}",
        countries - bad,
        countries,
        if regions > 0 {
            format!(
                "; {} not checked",
                crate::text::plural(regions, "region", "regions")
            )
        } else {
            String::new()
        }
    ))
}
