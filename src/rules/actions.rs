//! `actions`: the proposal covers the actions its strand requires.

use super::{and_list, Cx, Explanation, Verdict};
use crate::consortium::{Action, Keyword};
use crate::ruleset::params::actions::Params;

pub const EXPLANATION: Explanation = Explanation {
    summary: "the proposal covers the actions that its strand requires, and no others",
    why: "Strands differ by the kind of action they fund: preparatory actions build the partnership and its \
joint internationalisation strategy; implementation actions carry it out with partners in third \
countries. Strand A of the 2020 call requires both, strand B implementation; the earlier calls \
split them between strands 1 and 2. Where a strand funds one kind of action only (strand 1 of the 2014 \
call: preparatory), `actions` may be left out: the proposal does what its strand funds.",
    failing: r#"strand = "A"
[proposal]
actions = ["preparatory"]"#,
    fixed: r#"strand = "A"
[proposal]
actions = ["preparatory", "implementation"]"#,
};

/// What the rule's parameter is, in its summary line ("inferred actions").
pub const PARAMETER: &str = "actions";

/// The keys of the consortium file the rule reads.
pub const READS: &[super::KeyRef] = &[("proposal", "actions")];

pub fn check(p: &Params, cx: &mut Cx<'_>) -> Verdict {
    // A strand that funds one kind of action only leaves nothing to
    // choose: without `actions`, the proposal does what its strand funds.
    if let (crate::consortium::Field::Absent, Some([only])) =
        (&cx.consortium.proposal.actions, p.allowed.as_deref())
    {
        if p.required.iter().all(|r| r == only) {
            return Verdict::Checked(format!(
                "actions: {only} (implied: the strand funds {only} actions only; `actions` not given)"
            ));
        }
    }
    let actions = match super::needed(cx, &cx.consortium.proposal.actions, "actions") {
        Ok(actions) => actions,
        Err(skip) => return skip,
    };
    let listed: Vec<Action> = actions.value.iter().map(|a| a.value).collect();
    let missing: Vec<&str> = p
        .required
        .iter()
        .filter(|a| !listed.contains(a))
        .map(|a| a.as_str())
        .collect();
    let required: Vec<&str> = p.required.iter().map(|a| a.as_str()).collect();
    if !missing.is_empty() {
        let f = cx
            .finding(
                actions.span.clone(),
                format!(
                    "{} requires {} actions; the proposal lacks {}",
                    cx.call_name(),
                    and_list(&required),
                    and_list(&missing)
                ),
            )
            .label(format!("missing {}", and_list(&missing)))
            .help(format!(
                "add {} to `actions`, or choose the strand that funds what the proposal does",
                and_list(
                    &missing
                        .iter()
                        .map(|m| format!("\"{m}\""))
                        .collect::<Vec<_>>()
                )
            ));
        cx.emit(f);
    }
    if let Some(allowed) = &p.allowed {
        let allowed_words: Vec<&str> = allowed.iter().map(|a| a.as_str()).collect();
        for action in &actions.value {
            if allowed.contains(&action.value) {
                continue;
            }
            let f = cx
                .finding(
                    action.span.clone(),
                    format!("{} does not fund {} actions", cx.call_name(), action.value),
                )
                .label("not funded by this strand")
                .help(format!(
                    "this strand funds {} actions only: remove \"{}\", or choose another strand",
                    and_list(&allowed_words),
                    action.value
                ));
            cx.emit(f);
        }
    }
    let words: Vec<&str> = listed.iter().map(|a| a.as_str()).collect();
    Verdict::Checked(format!(
        "actions: {} (requires {})",
        if words.is_empty() {
            "none".into()
        } else {
            words.join(", ")
        },
        and_list(&required)
    ))
}
