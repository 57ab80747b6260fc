//! Cell values to the values of the consortium format, through the same
//! suggestions as a consortium file: a country's name or alpha-3 code to
//! its code, loose spellings of the words of the format, yes and no in
//! several languages, amounts from number cells (and from text only where
//! the grouping of the digits leaves no doubt), lists of actions.
//!
//! What is certain is converted. A word or country that is not certain is
//! written as it is, so that `escp check` reports it with its own
//! did-you-mean (at the cell it came from). A value that the consortium
//! file could not even hold (a date for an amount, an ambiguous number, a
//! formula with no value) is a diagnostic here, and a placeholder there.

use super::cell::{number_text, CellRef, Diagnostic, Value};
use super::vocabulary::{Set, Vocabulary};
use crate::countries::Countries;
use crate::money::{text_amount, AmountProblem, Euros};

/// A value of the consortium file.
#[derive(Debug, Clone, PartialEq)]
pub enum Out {
    Text(String),
    Whole(i64),
    Amount(Euros),
    /// A number written as it is (negative, or not whole where a whole
    /// number is expected): the check reports it.
    Number(f64),
    Bool(bool),
    List(Vec<String>),
}

/// What a key's column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Country,
    Word(Set),
    Boolean,
    /// A whole number (the check judges its range); `months` allows
    /// "30 months".
    Whole {
        months: bool,
    },
    Amount,
    Actions,
}

/// The outcome of one cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Converted {
    Empty,
    Value(Out),
    /// Not usable: a diagnostic says why (the file gets a placeholder).
    Failed(String),
}

/// Converts one cell for a key. Diagnostics (with the cell) go to `diags`.
pub fn convert(
    kind: Kind,
    value: &Value,
    cell: &CellRef,
    key: &str,
    diags: &mut Vec<Diagnostic>,
) -> Converted {
    if value.is_empty() {
        return Converted::Empty;
    }
    let fail = |diags: &mut Vec<Diagnostic>, d: Diagnostic, shown: String| {
        diags.push(d.at(cell.clone()));
        Converted::Failed(shown)
    };
    match value {
        Value::Error(e) => {
            return fail(
                diags,
                Diagnostic::error(
                    "cell-error",
                    format!("the cell holds the error {}", crate::text::clean(e)),
                )
                .help(format!("correct the formula or type the {key} in the cell")),
                e.clone(),
            )
        }
        Value::Uncalculated => {
            return fail(
                diags,
                Diagnostic::error(
                    "no-cached-value",
                    "the cell holds a formula whose value the file does not keep (it was saved without being calculated)",
                )
                .help("open the file in a spreadsheet program and save it again (it calculates the formulas), or type the value"),
                "a formula".into(),
            )
        }
        _ => {}
    }
    match kind {
        Kind::Text => text(value, cell, key, diags)
            .map_or(Converted::Empty, |t| Converted::Value(Out::Text(t))),
        Kind::Country => match text(value, cell, key, diags) {
            Some(t) => Converted::Value(Out::Text(country(&t))),
            None => Converted::Empty,
        },
        Kind::Word(set) => match text(value, cell, key, diags) {
            Some(t) => Converted::Value(Out::Text(word(set, &t))),
            None => Converted::Empty,
        },
        Kind::Actions => match text(value, cell, key, diags) {
            Some(t) => Converted::Value(Out::List(actions(&t))),
            None => Converted::Empty,
        },
        Kind::Boolean => match boolean(value) {
            Some(b) => Converted::Value(Out::Bool(b)),
            None => fail(
                diags,
                Diagnostic::error(
                    "not-yes-or-no",
                    format!(
                        "{} is not yes or no (`{key}` is true or false)",
                        shown(value)
                    ),
                )
                .help("write yes or no (or TRUE or FALSE) in the cell"),
                shown(value),
            ),
        },
        Kind::Whole { months } => match whole(value, months) {
            Ok(n) => Converted::Value(Out::Whole(n)),
            Err(Some(n)) => Converted::Value(Out::Number(n)),
            Err(None) => fail(
                diags,
                Diagnostic::error(
                    "not-a-number",
                    format!("{} is not a whole number (`{key}`)", shown(value)),
                )
                .help(if months {
                    "write the number of months, e.g. 30"
                } else {
                    "write a whole number, e.g. 85"
                }),
                shown(value),
            ),
        },
        Kind::Amount => match amount(value) {
            Ok(out) => Converted::Value(out),
            Err(problem) => {
                let (message, help) = match problem {
                    AmountProblem::Ambiguous { grouped, decimal } => (
                        format!(
                            "{} could be {} or {}: the separator is a thousands separator in some languages and a decimal separator in others",
                            shown(value),
                            grouped,
                            decimal
                        ),
                        format!(
                            "write the amount in euros without separators ({grouped} or {decimal}), or make the cell a number"
                        ),
                    ),
                    AmountProblem::NotANumber => (
                        format!("{} is not an amount in euros (`{key}`)", shown(value)),
                        "write the amount in euros as a number, e.g. 540000".to_string(),
                    ),
                };
                fail(
                    diags,
                    Diagnostic::error("not-an-amount", message).help(help),
                    shown(value),
                )
            }
        },
    }
}

/// A value as a message quotes it.
fn shown(value: &Value) -> String {
    match value {
        Value::Text(t) => format!("\"{}\"", crate::text::clean(t.trim())),
        Value::Number(n) => number_text(*n),
        Value::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Value::Date(d) => format!("the date {d}"),
        Value::Error(e) => crate::text::clean(e),
        Value::Uncalculated => "a formula".into(),
        Value::Empty => "an empty cell".into(),
    }
}

/// A cell where text is expected; a date or a boolean is read as its text,
/// with a warning (it is seldom what was meant).
fn text(value: &Value, cell: &CellRef, key: &str, diags: &mut Vec<Diagnostic>) -> Option<String> {
    if let Value::Date(_) | Value::Bool(_) = value {
        diags.push(
            Diagnostic::warning(
                "not-text",
                format!(
                    "the cell holds {} where `{key}` expects text: it was read as \"{}\"",
                    match value {
                        Value::Date(_) => "a date",
                        _ => "a boolean",
                    },
                    value.as_text().unwrap_or_default()
                ),
            )
            .help("if that is not what you meant, format the cell as text and type the value again")
            .at(cell.clone()),
        );
    }
    value.as_text().filter(|t| !t.is_empty())
}

/// A country's code, where the text names one for certain: a code
/// (`de`, `EL`), a name in English or a local language ("Deutschland"), an
/// alpha-3 code ("DEU"), or "Name (XX)" as the template's lists write it.
/// Anything else is kept as written, for the check to report.
pub fn country(text: &str) -> String {
    let countries = Countries::get();
    let text = text.trim();
    if let Some(c) = countries.code(text) {
        return c.code().to_string();
    }
    if let Some(open) = text.rfind('(') {
        let (name, rest) = text.split_at(open);
        let inner = rest
            .trim_start_matches('(')
            .trim_end()
            .trim_end_matches(')');
        if let Some(c) = countries.code(inner) {
            let name = name.trim();
            let agrees = name.is_empty()
                || countries.by_exact_name(name) == Some(c)
                || name.eq_ignore_ascii_case(c.name());
            if agrees {
                return c.code().to_string();
            }
        }
    }
    match countries.parse(text) {
        Err(e) if e.exact => e
            .suggestion
            .map_or(text.to_string(), |c| c.code().to_string()),
        _ => text.to_string(),
    }
}

/// The canonical word of a set, or the text as written.
pub fn word(set: Set, text: &str) -> String {
    Vocabulary::get()
        .value(set, text)
        .map_or_else(|| text.trim().to_string(), str::to_string)
}

/// A list of actions: "preparatory, implementation", "Preparatory and
/// implementation actions".
pub fn actions(text: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    let separated = text.replace(['/', ';', '+', '&', '\n', '\r', '|'], ",");
    for part in separated.split(',') {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        // "preparatory and implementation": split on a conjunction only
        // when each side is an action.
        let mut pieces = vec![part.to_string()];
        for conjunction in [" and ", " et ", " und ", " y ", " e ", " en ", " i "] {
            let lower = part.to_lowercase();
            if let Some(i) = lower.find(conjunction) {
                let (a, b) = (&part[..i], &part[i + conjunction.len()..]);
                let read = |s: &str| Vocabulary::get().value(Set::Action, s);
                let b_action = read(b).or_else(|| read(&format!("{b} actions")));
                if read(a).is_some() || b_action.is_some() {
                    pieces = vec![a.to_string(), b.to_string()];
                    break;
                }
            }
        }
        for piece in pieces {
            let w = word(Set::Action, &piece);
            let w = if w == piece.trim() {
                // "implementation actions" of a split "preparatory and
                // implementation actions".
                Vocabulary::get()
                    .value(Set::Action, &format!("{} actions", piece.trim()))
                    .map_or(w, str::to_string)
            } else {
                w
            };
            if !w.is_empty() && !words.contains(&w) {
                words.push(w);
            }
        }
    }
    words
}

/// Yes or no: a boolean cell, 1 or 0, or a word of several languages.
fn boolean(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        Value::Number(n) if *n == 1.0 => Some(true),
        Value::Number(n) if *n == 0.0 => Some(false),
        Value::Text(t) => match Vocabulary::get().value(Set::Boolean, t.trim()) {
            Some("true") => Some(true),
            Some("false") => Some(false),
            _ => match t.trim() {
                "1" => Some(true),
                "0" => Some(false),
                _ => None,
            },
        },
        _ => None,
    }
}

/// A whole number: `Err(Some(n))` for a number that is not whole (the
/// check reports it), `Err(None)` for a value that is not a number.
fn whole(value: &Value, months: bool) -> Result<i64, Option<f64>> {
    match value {
        Value::Number(n) if n.fract() == 0.0 && n.abs() < 9e15 => Ok(*n as i64),
        Value::Number(n) if n.is_finite() => Err(Some(*n)),
        Value::Text(t) => {
            let t = t.trim();
            let digits_end = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
            let (digits, rest) = t.split_at(digits_end);
            let rest = rest.trim();
            let unit_ok =
                rest.is_empty() || (months && Vocabulary::get().value(Set::Months, rest).is_some());
            if digits.is_empty() || digits.len() > 15 || !unit_ok {
                // "1 234" written with a space, as amounts may be.
                // "1.500" is 1500: a count has no decimals, so the grouped
                // reading is the only one.
                return match text_amount(t) {
                    Ok(e) if !e.has_cents() => Ok(e.whole()),
                    Err(AmountProblem::Ambiguous { grouped, .. }) => {
                        grouped.parse().map_err(|_| None)
                    }
                    _ => Err(None),
                };
            }
            digits.parse().map_err(|_| None)
        }
        _ => Err(None),
    }
}

/// An amount from a cell: any number (a negative one is written as it is,
/// for the check to report), or a text that [`text_amount`] reads.
fn amount(value: &Value) -> Result<Out, AmountProblem> {
    match value {
        Value::Number(n) if !n.is_finite() => Err(AmountProblem::NotANumber),
        Value::Number(n) => Ok(match Euros::from_f64(*n) {
            Some(e) => Out::Amount(e),
            None => Out::Number(*n),
        }),
        Value::Text(t) => text_amount(t).map(Out::Amount),
        _ => Err(AmountProblem::NotANumber),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countries_are_converted_only_where_certain() {
        assert_eq!(country("de"), "DE");
        assert_eq!(country("Deutschland"), "DE");
        assert_eq!(country("DEU"), "DE");
        assert_eq!(country("Austria (AT)"), "AT");
        assert_eq!(country("España"), "ES");
        assert_eq!(country("Germany (AT)"), "Germany (AT)");
        assert_eq!(country("Germny"), "Germny");
    }

    #[test]
    fn actions_are_split_and_read() {
        assert_eq!(
            actions("preparatory, implementation"),
            ["preparatory", "implementation"]
        );
        assert_eq!(
            actions("Preparatory and implementation actions"),
            ["preparatory", "implementation"]
        );
        assert_eq!(actions("Implementation"), ["implementation"]);
        assert_eq!(actions("prep; other"), ["preparatory", "other"]);
    }

    #[test]
    fn cells_convert_or_say_why_at_their_cell() {
        let cell = CellRef {
            sheet: "Partners".into(),
            row: 3,
            column: Some(8),
        };
        let mut d = Vec::new();
        let b = |v: Value, d: &mut Vec<Diagnostic>| {
            convert(Kind::Boolean, &v, &cell, "legal_entity", d)
        };
        assert_eq!(
            b(Value::Text("Oui".into()), &mut d),
            Converted::Value(Out::Bool(true))
        );
        assert_eq!(
            b(Value::Number(0.0), &mut d),
            Converted::Value(Out::Bool(false))
        );
        assert!(d.is_empty());
        assert!(matches!(
            b(Value::Text("maybe".into()), &mut d),
            Converted::Failed(_)
        ));
        assert_eq!(d[0].cell.as_ref().unwrap().to_string(), "Partners!I4");
        let w = |v: Value, d: &mut Vec<Diagnostic>| {
            convert(
                Kind::Whole { months: true },
                &v,
                &cell,
                "duration_months",
                d,
            )
        };
        assert_eq!(
            w(Value::Text("30 months".into()), &mut d),
            Converted::Value(Out::Whole(30))
        );
        assert_eq!(
            w(Value::Text("30 mois".into()), &mut d),
            Converted::Value(Out::Whole(30))
        );
        assert_eq!(
            w(Value::Number(24.5), &mut d),
            Converted::Value(Out::Number(24.5))
        );
        // Out of range, but whole: the check says what range.
        assert_eq!(
            w(Value::Number(-2.0), &mut d),
            Converted::Value(Out::Whole(-2))
        );
        let before = d.len();
        assert!(matches!(
            w(Value::Date("2020-01-01".into()), &mut d),
            Converted::Failed(_)
        ));
        assert!(matches!(
            w(Value::Uncalculated, &mut d),
            Converted::Failed(_)
        ));
        assert_eq!(d.len(), before + 2);
        assert_eq!(d.last().unwrap().code, "no-cached-value");
        // A date where text is expected is read, with a warning.
        let mut d = Vec::new();
        let t = convert(
            Kind::Text,
            &Value::Date("2020-05-01".into()),
            &cell,
            "name",
            &mut d,
        );
        assert_eq!(t, Converted::Value(Out::Text("2020-05-01".into())));
        assert_eq!(d[0].code, "not-text");
        // An ambiguous amount gives both readings.
        let mut d = Vec::new();
        let a = convert(
            Kind::Amount,
            &Value::Text("600,000".into()),
            &cell,
            "total_costs_eur",
            &mut d,
        );
        assert!(matches!(a, Converted::Failed(_)));
        assert!(
            d[0].help.as_ref().unwrap().contains("600000 or 600"),
            "{:?}",
            d[0]
        );
    }
}
