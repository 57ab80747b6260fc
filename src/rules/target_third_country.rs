//! `target-third-country`: each target country is a third country for the call.

use super::markets::Resolved;
use super::{and_list, group_names, membership, Cx, Explanation, Verdict};
use crate::countries::Country;
use crate::finding::Severity;
use crate::ruleset::groups::Membership;
use crate::ruleset::params::target_third_country::Params;
use crate::ruleset::regions::{Region, Regions};
use crate::source::Span;

pub const EXPLANATION: Explanation = Explanation {
    summary: "each target market is a third country, or a world region of third countries: not an EU Member State and not a COSME participating country",
    why: "Clusters Go International takes SMEs to markets beyond Europe (\"third countries\", i.e. non-COSME \
participating countries). A target inside the EU or the COSME area is not a target market for this \
action. Membership is judged at the call's deadline. A world region (`region = \"Mercosur\"`) is matched \
against escp's table of regions (their names, common aliases and member countries): a region whose members \
are all EU or participating countries (\"European Union\", \"Western Balkans\" in 2020) is an error, a \
region that mixes them (\"Eastern Partnership\") is a warning naming the members that are not third \
countries, and a region escp does not know is a warning: it cannot be checked. A country written as a \
region (`region = \"Japan\"`) is an error: write it as `country = \"JP\"`.",
    failing: r#"[[target]]
country = "RS""#,
    fixed: r#"[[target]]
country = "JP""#,
};

/// What the rule's parameter is, in its summary line ("inferred country list").
pub const PARAMETER: &str = "country list";

/// The keys of the consortium file the rule reads.
pub const READS: &[super::KeyRef] = &[("target", "country"), ("target", "region")];

pub fn check(p: &Params, cx: &mut Cx<'_>) -> Verdict {
    let deadline = cx.call.deadline.date.strftime("%-d %B %Y").to_string();
    let excluded = group_names(cx, &p.not_in);
    let markets = cx.markets();
    let consortium = cx.consortium;
    let (mut judged, mut bad, mut unknown_regions) = (0, 0, 0);
    for market in &markets.distinct {
        judged += 1;
        let span = market.span.clone();
        let country = match market.resolved {
            Resolved::Country(c) => c,
            Resolved::CountryAsRegion(c) => {
                bad += 1;
                let key = consortium
                    .targets
                    .iter()
                    .find(|t| t.market.given().is_some_and(|m| m.span == span))
                    .and_then(|t| t.key.clone());
                let mut f = cx
                    .finding(
                        span.clone(),
                        format!(
                            "\"{}\" is a country, not a world region",
                            crate::text::clean(&market.written)
                        ),
                    )
                    .label("a country written as a region")
                    .help(format!(
                        "write it as `country = \"{}\"` ({}), which is judged like any target country",
                        c.code(),
                        c.name()
                    ));
                if let Some(key) = key {
                    f = f.fix(crate::finding::Fix {
                        title: format!("write `country = \"{}\"`", c.code()),
                        edits: vec![
                            crate::finding::Edit {
                                span: key,
                                text: "country".into(),
                            },
                            crate::finding::Edit {
                                span: span.clone(),
                                text: format!("\"{}\"", c.code()),
                            },
                        ],
                        safe: true,
                    });
                }
                cx.emit(f);
                continue;
            }
            Resolved::Region(region) => {
                judge_region(cx, p, region, span, &deadline, &excluded, &mut bad);
                continue;
            }
            Resolved::Unknown => {
                unknown_regions += 1;
                let shown = crate::text::clean(&market.written);
                let help = match Regions::get().closest(&market.written) {
                    Some(r) => format!("did you mean \"{}\"? Otherwise name the target countries one by one (`escp explain target-third-country` lists the regions escp knows)", r.name),
                    None => "name the target countries one by one, or a region escp knows (`escp explain target-third-country` lists them)".into(),
                };
                let f = cx
                    .finding(
                        span,
                        format!("escp does not know the region \"{shown}\", so it cannot check that it lies outside the {excluded}"),
                    )
                    .severity(Severity::Warning)
                    .label("unknown region")
                    .help(help);
                cx.emit(f);
                continue;
            }
        };
        // Name the group that makes it not a third country: one it is
        // surely in, else one it is in by inference.
        let Some((group, member)) = inside(cx, p, country) else {
            continue;
        };
        bad += 1;
        let group_name = cx.group(group).name.clone();
        let message = match member {
            Membership::Inferred(_) => format!(
                "{country} counts among the {group_name} on {deadline} by inference, so it may not be a third country for {}",
                cx.call.id
            ),
            _ => format!(
                "{country} is among the {group_name} on {deadline}, so it is not a third country for {}",
                cx.call.id
            ),
        };
        let f = cx
            .finding(span, message)
            .label("not a third country")
            .help(format!(
            "target markets are outside the {excluded}: choose another country, or a world region"
        ));
        match member {
            Membership::Inferred(why) => cx.emit_inferred(f, why),
            _ => cx.emit(f),
        }
    }
    if judged == 0 && markets.unknown.is_empty() {
        return Verdict::skip("no `[[target]]` to check", &["[[target]]"]);
    }
    let mut detail = format!(
        "{} of {} target markets are third countries or regions of them",
        judged - bad - unknown_regions,
        judged
    );
    if unknown_regions > 0 {
        detail.push_str(&format!(
            "; {} not known to escp",
            crate::text::plural(unknown_regions, "region", "regions")
        ));
    }
    if markets.unknown.is_empty() {
        Verdict::Checked(detail)
    } else {
        Verdict::skip(
            format!(
                "{detail}; not judged: the targets at {} could not be read",
                cx.lines(&markets.unknown)
            ),
            &["[[target]]"],
        )
    }
}

/// The group of `not_in` that `country` belongs to on the deadline (one it
/// is surely in, else one it is in by inference), if any.
fn inside<'a>(
    cx: &Cx<'a>,
    p: &'a Params,
    country: Country,
) -> Option<(&'a String, Membership<'a>)> {
    let mut found = None;
    for group in &p.not_in {
        match membership(cx, std::slice::from_ref(group), country) {
            Membership::Yes => return Some((group, Membership::Yes)),
            inferred @ Membership::Inferred(_) if found.is_none() => {
                found = Some((group, inferred))
            }
            _ => {}
        }
    }
    found
}

/// A world region: an error if none of its members is a third country on
/// the deadline, a warning naming those that are not if it mixes them.
fn judge_region(
    cx: &mut Cx<'_>,
    p: &Params,
    region: &Region,
    span: Span,
    deadline: &str,
    excluded: &str,
    bad: &mut usize,
) {
    // The region's members on the deadline; the verdict rests on its
    // certain members (a member only by inference, such as the UK in the
    // EU during the Brexit transition, does not decide it).
    let members = region.members.members_on(cx.deadline());
    let certain: Vec<Country> = members
        .iter()
        .copied()
        .filter(|c| region.members.membership(*c, cx.deadline()) == Membership::Yes)
        .collect();
    if certain.is_empty() {
        return;
    }
    // Members that only some definitions of the region count (Cyprus and
    // Turkey in the Middle East): if they are not third countries, the
    // region may not be all third countries either.
    let doubtful: Vec<(Country, &str)> = members
        .iter()
        .filter_map(|c| match region.members.membership(*c, cx.deadline()) {
            Membership::Inferred(why) => Some((*c, why)),
            _ => None,
        })
        .filter(|(c, _)| inside(cx, p, *c).is_some())
        .collect();
    let mut not_third = Vec::new();
    let mut inferred_why = None;
    for country in &certain {
        if let Some((_, member)) = inside(cx, p, *country) {
            if let Membership::Inferred(why) = member {
                inferred_why.get_or_insert(why);
            }
            not_third.push(*country);
        }
    }
    if not_third.is_empty() {
        if let Some((_, why)) = doubtful.first() {
            let names: Vec<String> = doubtful.iter().map(|(c, _)| c.to_string()).collect();
            let f = cx
                .finding(
                    span,
                    format!(
                        "by some definitions the region {} includes {}, among the {excluded} on {deadline} and so not third countries for {}",
                        region.name,
                        and_list(&names),
                        cx.call.id
                    ),
                )
                .severity(Severity::Warning)
                .label("may include countries that are not third countries")
                .help(format!(
                    "{why}; activities in those countries would not count as going international: name the target countries one by one to be sure\nthe members of {}: {}",
                    region.name, region.source
                ));
            let mut f = f;
            f.source_urls.push(region.url.clone());
            cx.emit(f);
        }
        return;
    }
    let members = certain;
    let names: Vec<String> = not_third.iter().map(|c| c.to_string()).collect();
    let all = not_third.len() == members.len();
    let f = if all {
        *bad += 1;
        cx.finding(
            span,
            format!(
                "no member of the region {} is a third country for {}: all are among the {excluded} on {deadline}",
                region.name, cx.call.id
            ),
        )
        .label("not a region of third countries")
        .help(format!(
            "target markets are outside the {excluded}: choose another region, or the countries one by one"
        ))
    } else {
        cx.finding(
            span,
            format!(
                "the region {} includes {}, among the {excluded} on {deadline} and so not third countries for {}",
                region.name,
                and_list(&names),
                cx.call.id
            ),
        )
        .severity(Severity::Warning)
        .label(format!(
            "{} of its {} members are not third countries",
            not_third.len(),
            members.len()
        ))
        .help("the activities in those countries do not count as going international: target the region's third countries, or name them one by one")
    };
    // Where the region's members come from, beside the call's citation.
    let help = f.help.clone().unwrap_or_default();
    let mut f = f.help(format!(
        "{help}\nthe members of {}: {}",
        region.name, region.source
    ));
    f.source_urls.push(region.url.clone());
    match inferred_why {
        Some(why) if all => cx.emit_inferred(f, why),
        _ => cx.emit(f),
    }
}
