//! Numbers written as people write them, where the format takes a TOML
//! number: `requested_grant_eur = 540 000` (a TOML syntax error), `"540
//! 000"` (a string), `"36"`, `"true"`. What such a value reads as is
//! certain only where the grouping of its digits leaves no doubt: the rule
//! of [`crate::money::text_amount`], which `escp import` follows for the
//! cells of a spreadsheet too. A certain reading gives the number to write,
//! as a safe fix; an ambiguous one (`600,000`: 600000, or 600 with a
//! decimal comma) gives both readings, and no fix.

use crate::consortium::keys::{self, Table};
use crate::money::{self, text_amount, AmountProblem, Euros};

/// What a key takes, of the values this module reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Number {
    /// An amount in euros.
    Euros,
    /// A whole number (months, members).
    Whole,
}

impl Number {
    /// What the format's key `key` takes, if it is a number.
    pub(super) fn of_key(key: &str) -> Option<Number> {
        [Table::Proposal, Table::Partner]
            .into_iter()
            .filter_map(|table| keys::find(table, key))
            .find_map(|k| match k.value {
                keys::Value::Amount => Some(Number::Euros),
                keys::Value::Whole => Some(Number::Whole),
                _ => None,
            })
    }
}

/// What a number written as text reads as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Reading {
    /// One reading: the TOML number to write (`540000`), the same with its
    /// thousands grouped (`540_000`), and what it is in words ("EUR
    /// 540,000 (540 thousand euros)"), and in words only ("540 thousand
    /// euros"; for a whole number, the number).
    Certain {
        literal: String,
        grouped: String,
        said: String,
        words: String,
    },
    /// Two readings, said in a sentence that gives the number to write
    /// for each.
    Ambiguous { said: String },
}

/// How `written` reads for a key that takes `number`; `None` if it is not
/// a number written with separators (a word, a negative number, "36
/// months": the caller's usual diagnostic stands).
pub(super) fn read(written: &str, number: Number) -> Option<Reading> {
    let written = written.trim();
    if number == Number::Whole
        && written
            .chars()
            .any(|c| !c.is_ascii_digit() && !is_separator(c))
    {
        return None;
    }
    let whole = |digits: &str| -> Option<Reading> {
        let n: u64 = digits.parse().ok()?;
        Some(Reading::Certain {
            literal: n.to_string(),
            grouped: money::group_thousands(&n.to_string(), '_'),
            said: n.to_string(),
            words: n.to_string(),
        })
    };
    match (text_amount(written), number) {
        (Ok(e), Number::Euros) => Some(Reading::Certain {
            literal: money::literal(e),
            grouped: money::literal_grouped(e),
            said: said(e),
            words: money::in_words(e),
        }),
        (Ok(e), Number::Whole) if !e.has_cents() => whole(&e.whole().to_string()),
        // A count has no decimals: "1.500" members are 1500.
        (Err(AmountProblem::Ambiguous { grouped, .. }), Number::Whole) => whole(&grouped),
        (Err(AmountProblem::Ambiguous { grouped, decimal }), Number::Euros) => {
            let reading = |literal: &str| Euros::from_float(literal).ok().map(said);
            let separator = if written.contains(',') {
                "comma"
            } else {
                "point"
            };
            let underscored = money::group_thousands(&grouped, '_');
            Some(Reading::Ambiguous {
                said: format!(
                    "`{written}` could be {}, if the {separator} separates thousands, or {}, if it is a decimal {separator}: write `{grouped}` (or `{underscored}`) for the first, `{decimal}` for the second",
                    reading(&grouped)?,
                    reading(&decimal)?
                ),
            })
        }
        _ => None,
    }
}

/// "EUR 540,000 (540 thousand euros)": the amount, and in words, which no
/// separator can make ambiguous.
fn said(euros: Euros) -> String {
    format!("EUR {euros} ({})", money::in_words(euros))
}

fn is_separator(c: char) -> bool {
    matches!(
        c,
        ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}' | '\'' | '’' | ',' | '.'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn certain(written: &str, number: Number) -> Option<(String, String)> {
        match read(written, number)? {
            Reading::Certain { literal, said, .. } => Some((literal, said)),
            Reading::Ambiguous { .. } => None,
        }
    }

    #[test]
    fn certain_readings_give_the_number_to_write() {
        assert_eq!(
            certain("540 000", Number::Euros),
            Some(("540000".into(), "EUR 540,000 (540 thousand euros)".into()))
        );
        assert_eq!(
            certain(" 600.000,00 ", Number::Euros).map(|c| c.0),
            Some("600000".into())
        );
        assert_eq!(
            certain("539 999,50", Number::Euros).map(|c| c.0),
            Some("539999.50".into())
        );
        assert_eq!(certain("36", Number::Whole).map(|c| c.0), Some("36".into()));
        assert_eq!(
            certain("036", Number::Whole).map(|c| c.0),
            Some("36".into())
        );
        assert_eq!(
            certain("1 200", Number::Whole).map(|c| c.0),
            Some("1200".into())
        );
        assert_eq!(
            certain("1.500", Number::Whole).map(|c| c.0),
            Some("1500".into())
        );
        for not in ["", "36 months", "-5", "85 EUR", "1,5", "abc"] {
            assert_eq!(read(not, Number::Whole), None, "{not}");
        }
        for not in ["", "-5", "five", "1,23,456"] {
            assert_eq!(read(not, Number::Euros), None, "{not}");
        }
    }

    #[test]
    fn an_ambiguous_amount_gives_both_readings() {
        let Some(Reading::Ambiguous { said }) = read("600,000", Number::Euros) else {
            panic!()
        };
        assert_eq!(
            said,
            "`600,000` could be EUR 600,000 (600 thousand euros), if the comma separates thousands, or EUR 600 (600 euros), if it is a decimal comma: write `600000` (or `600_000`) for the first, `600` for the second"
        );
        let Some(Reading::Ambiguous { said }) = read("1.250", Number::Euros) else {
            panic!()
        };
        assert!(said.contains("EUR 1.25 (1 euro and 25 cents)"), "{said}");
        assert!(said.contains("`1.25` for the second"), "{said}");
    }

    #[test]
    fn keys_that_take_numbers_are_known() {
        assert_eq!(Number::of_key("requested_grant_eur"), Some(Number::Euros));
        assert_eq!(Number::of_key("duration_months"), Some(Number::Whole));
        assert_eq!(Number::of_key("sme_members"), Some(Number::Whole));
        assert_eq!(Number::of_key("country"), None);
        assert_eq!(Number::of_key("legal_entity"), None);
    }
}
