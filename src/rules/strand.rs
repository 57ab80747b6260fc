//! `strand`: the file names one of the call's strands.

use super::{Cx, Explanation, Verdict};
use crate::consortium::Field;
use crate::finding::Fix;
use crate::ruleset::params::strand::Params;

pub const EXPLANATION: Explanation = Explanation {
    summary: "the strand is missing for a call with strands, or is not one of the call's strands",
    why: "Calls with strands (\"1.a\", \"B\", ...) set different caps, durations and consortium rules per \
strand, and a proposal applies to one strand only. escp needs the strand to know which rules apply. \
A strand is named by its id or its title, matched leniently: \"1.a\", \"1a\" and \"Strand 1.A\" are the \
same, and so are \"Creative & Cultural Industries\", \"Creative and Cultural Industries\" and the id \
\"creative-cultural\" (case, spaces, punctuation, \"and\" and the words \"strand\", \"ecosystem\" and \
\"industrial ecosystem\" are ignored). `check --fix` writes the id.",
    failing: r#"call = "COS-CLUSINT-2020-3-01"
strand = "C""#,
    fixed: r#"call = "COS-CLUSINT-2020-3-01"
strand = "A""#,
};

/// What the rule's parameter is, in its summary line ("inferred strands").
pub const PARAMETER: &str = "strands";

/// The keys of the consortium file the rule reads.
pub const READS: &[super::KeyRef] = &[("", "strand")];

pub fn check(_: &Params, cx: &mut Cx<'_>) -> Verdict {
    let strands = &cx.call.strands;
    let listed = || {
        strands
            .iter()
            .map(|s| format!("\"{}\" ({})", s.id, s.title))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let written = cx.consortium.strand.clone();
    match (strands.is_empty(), written, cx.strand) {
        (_, Field::Lost(at), _) => Verdict::skip(
            format!(
                "`strand` could not be read ({}): fix it",
                cx.lines(std::slice::from_ref(&at))
            ),
            &["strand"],
        ),
        (true, Field::Absent, _) => Verdict::Checked("the call has no strands".into()),
        (true, Field::Given(w), _) => {
            let f = cx
                .finding(
                    w.span,
                    format!("{} has no strands; `strand` is ignored", cx.call.id),
                )
                .label("not used by this call")
                .help("remove the `strand` line");
            cx.emit(f);
            Verdict::Checked("the call has no strands".into())
        }
        (false, Field::Absent, _) => {
            let f = cx
                .finding(
                    cx.call_span(),
                    format!("{} has strands, but the file names none", cx.call.id),
                )
                .label("this call has strands")
                .help(format!(
                    "add `strand = \"...\"` with the strand the proposal applies to: {}",
                    listed()
                ));
            cx.emit(f);
            Verdict::Checked("no strand given".into())
        }
        (false, Field::Given(w), None) => {
            let mut f = cx
                .finding(
                    w.span.clone(),
                    format!(
                        "\"{}\" is not a strand of {}",
                        crate::text::clean(&w.value),
                        cx.call.id
                    ),
                )
                .label("unknown strand");
            // A near miss of one strand's id or title is suggested, and
            // offered as a quick fix to pick; never applied by `--fix`: it
            // is a guess, not what the file says.
            f = match cx.call.strand_near(&w.value).map(|i| &strands[i]) {
                Some(near) => f
                    .help(format!(
                        "did you mean \"{}\" ({})? the strands are: {}",
                        near.id,
                        near.title,
                        listed()
                    ))
                    .fix(
                        Fix::replace(
                            format!("write the strand \"{}\" ({})", near.id, near.title),
                            w.span,
                            format!("\"{}\"", near.id),
                        )
                        .scaffold(),
                    ),
                None => f.help(format!("the strands are: {}", listed())),
            };
            cx.emit(f);
            Verdict::Checked(format!(
                "\"{}\" is not a strand",
                crate::text::clean(&w.value)
            ))
        }
        (false, Field::Given(w), Some(s)) => {
            if w.value != s.id {
                // Written loosely ("strand 1.A"): the canonical id is offered
                // as a fix, without a diagnostic of its own.
                cx.fixes.push(Fix::replace(
                    format!("write the strand as \"{}\"", s.id),
                    w.span.clone(),
                    format!("\"{}\"", s.id),
                ));
            }
            Verdict::Checked(format!("strand {}: {}", s.id, s.title))
        }
    }
}
