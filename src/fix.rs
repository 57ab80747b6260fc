//! Applying the safe fixes of findings ([`crate::finding::Fix`]) to a text:
//! the one place that turns fixes into a new text, for `escp check --fix`
//! and the language server's "fix all" action. Pure: no file is read or
//! written here.
//!
//! A fix is applied whole or not at all. A fix is skipped when one of its
//! edits overlaps an edit already taken (an earlier fix wins), falls outside
//! the text, or cuts a character in two; what was skipped is simply not in
//! [`Fixed::applied`], and a later round (after a new check) can take it.

use crate::finding::{Edit, Finding, Fix};
use crate::source::Span;

/// A fix that was applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    /// The fix's title ("write the code \"DE\"").
    pub title: String,
    /// Where its first edit starts, in the original text.
    pub at: usize,
}

/// The outcome of [`apply`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fixed {
    pub text: String,
    /// The fixes applied, in the order given.
    pub applied: Vec<Applied>,
    /// The edits made, in text order (none overlap): what an editor applies
    /// to reach `text`.
    pub edits: Vec<Edit>,
}

/// The fixes that `escp check --fix` and the editor's "fix all" apply: the
/// safe fixes of the findings, then the repairs no finding carries (a
/// strand written loosely), in that order.
pub fn safe<'a>(findings: &'a [Finding], extra: &'a [Fix]) -> impl Iterator<Item = &'a Fix> {
    findings
        .iter()
        .flat_map(|f| &f.fixes)
        .chain(extra)
        .filter(|fix| fix.safe)
}

/// Whether two edits of the same text cannot both be made: they overlap,
/// or they start at the same place (two insertions there, or an insertion
/// before a replacement, have no one order).
fn clash(a: &Span, b: &Span) -> bool {
    a.start == b.start || (a.start < b.end && b.start < a.end)
}

/// Applies `fixes` to `text`, in the order given, skipping any fix that
/// clashes with one taken before it or does not fit the text.
pub fn apply<'a>(text: &str, fixes: impl IntoIterator<Item = &'a Fix>) -> Fixed {
    let fits = |span: &Span| {
        span.start <= span.end
            && span.end <= text.len()
            && text.is_char_boundary(span.start)
            && text.is_char_boundary(span.end)
    };
    let mut taken: Vec<&Edit> = Vec::new();
    let mut applied = Vec::new();
    for fix in fixes {
        let Some(first) = fix.edits.first() else {
            continue;
        };
        let edits = &fix.edits;
        let whole = edits.iter().all(|e| fits(&e.span))
            && edits.iter().enumerate().all(|(i, e)| {
                edits[..i].iter().all(|o| !clash(&o.span, &e.span))
                    && taken.iter().all(|t| !clash(&t.span, &e.span))
            });
        if !whole {
            continue;
        }
        taken.extend(edits.iter());
        applied.push(Applied {
            title: fix.title.clone(),
            at: first.span.start,
        });
    }
    taken.sort_by_key(|e| e.span.start);
    let mut out = String::with_capacity(text.len());
    let mut from = 0;
    for edit in &taken {
        out.push_str(&text[from..edit.span.start]);
        out.push_str(&edit.text);
        from = edit.span.end;
    }
    out.push_str(&text[from..]);
    Fixed {
        text: out,
        applied,
        edits: taken.into_iter().cloned().collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fix(title: &str, edits: &[(Span, &str)]) -> Fix {
        Fix {
            title: title.into(),
            edits: edits
                .iter()
                .map(|(span, text)| Edit {
                    span: span.clone(),
                    text: text.to_string(),
                })
                .collect(),
            safe: true,
        }
    }

    #[test]
    fn edits_apply_in_text_order_whatever_the_order_given() {
        let text = "country = \"Germany\"\ncountry = \"France\"\n";
        let de = fix("de", &[(10..19, "\"DE\"")]);
        let fr = fix("fr", &[(30..38, "\"FR\"")]);
        let fixed = apply(text, [&fr, &de]);
        assert_eq!(fixed.text, "country = \"DE\"\ncountry = \"FR\"\n");
        let titles: Vec<&str> = fixed.applied.iter().map(|a| a.title.as_str()).collect();
        assert_eq!(titles, ["fr", "de"]);
        assert_eq!(fixed.applied[1].at, 10);
    }

    #[test]
    fn a_fix_that_overlaps_an_earlier_one_is_skipped_whole() {
        let text = "abcdef";
        let first = fix("first", &[(1..3, "X")]);
        let second = fix("second", &[(5..6, "Y"), (2..4, "Z")]);
        let fixed = apply(text, [&first, &second]);
        assert_eq!(fixed.text, "aXdef");
        assert_eq!(fixed.applied.len(), 1);
    }

    #[test]
    fn insertions_at_one_place_clash_but_touching_edits_do_not() {
        let text = "ab";
        let one = fix("one", &[(1..1, "X")]);
        let two = fix("two", &[(1..1, "Y")]);
        assert_eq!(apply(text, [&one, &two]).text, "aXb");
        let left = fix("left", &[(0..1, "L")]);
        let right = fix("right", &[(1..2, "R")]);
        assert_eq!(apply(text, [&left, &right]).text, "LR");
        let end = fix("end", &[(2..2, "!")]);
        assert_eq!(apply(text, [&right, &end]).text, "aR!");
    }

    #[test]
    fn edits_outside_the_text_or_inside_a_character_are_skipped() {
        let text = "é = 1";
        let outside = fix("outside", &[(3..99, "x")]);
        let inside = fix("inside", &[(1..2, "x")]);
        let backwards = fix("backwards", &[(Span { start: 3, end: 2 }, "x")]);
        let empty = Fix {
            title: "nothing".into(),
            edits: Vec::new(),
            safe: true,
        };
        let fixed = apply(text, [&outside, &inside, &backwards, &empty]);
        assert_eq!(fixed.text, text);
        assert!(fixed.applied.is_empty());
    }
}
