//! Amounts of euros, exact to the cent.
//!
//! A consortium file writes amounts as TOML numbers (`540000`, `539999.50`).
//! escp reads the number as it is written, to the cent (a half cent rounds
//! up), and then compares and prints those cents: what a diagnostic says is
//! exactly what was compared. Binary floating point is used only for rates.

use std::fmt;

/// An amount of euros, in whole cents, from 0 to [`Euros::MAX`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Euros {
    cents: i64,
}

/// Why a written number is not an amount escp can use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AmountError {
    Negative,
    /// `nan`, `inf`.
    NotFinite,
    /// Above [`Euros::MAX`]: no grant or budget is this large.
    TooLarge,
}

impl Euros {
    /// A thousand billion euros: far above any call's budget, and small
    /// enough that every sum of amounts in cents fits in 64 bits.
    pub const MAX: Euros = Euros {
        cents: 1_000_000_000_000 * 100,
    };

    pub const ZERO: Euros = Euros { cents: 0 };

    pub fn from_cents(cents: i64) -> Euros {
        Euros { cents }
    }

    pub fn cents(self) -> i64 {
        self.cents
    }

    /// An amount from a number of euros (a ruleset's parameter), rounded to
    /// the cent; `None` if it is not a finite amount within range.
    pub fn from_f64(euros: f64) -> Option<Euros> {
        let cents = (euros * 100.0).round();
        (cents.is_finite() && cents >= 0.0 && cents <= Euros::MAX.cents as f64).then_some(Euros {
            cents: cents as i64,
        })
    }

    pub fn as_f64(self) -> f64 {
        self.cents as f64 / 100.0
    }

    /// The amount `percent`% of this one, rounded down to the cent (what
    /// "at most 90% of the costs" allows).
    pub fn percent(self, percent: f64) -> Euros {
        let cents = (self.cents as f64 * percent / 100.0).floor();
        Euros {
            cents: cents.clamp(0.0, i64::MAX as f64) as i64,
        }
    }

    /// The amount `percent`% of this one, rounded up to the cent (what "at
    /// least 75% of the grant" requires).
    pub fn percent_up(self, percent: f64) -> Euros {
        let cents = (self.cents as f64 * percent / 100.0 - 1e-6).ceil();
        Euros {
            cents: cents.clamp(0.0, i64::MAX as f64) as i64,
        }
    }

    /// Reads a TOML integer literal (underscores allowed, any radix TOML
    /// allows) as whole euros.
    pub fn from_integer(digits: &str, radix: u32) -> Result<Euros, AmountError> {
        let digits = digits.replace('_', "");
        let (negative, digits) = match digits.strip_prefix('-') {
            Some(rest) => (true, rest.to_string()),
            None => (false, digits.trim_start_matches('+').to_string()),
        };
        let value = u128::from_str_radix(&digits, radix).map_err(|_| AmountError::TooLarge)?;
        if negative && value > 0 {
            return Err(AmountError::Negative);
        }
        let cents = value.checked_mul(100).ok_or(AmountError::TooLarge)?;
        if cents > Euros::MAX.cents as u128 {
            return Err(AmountError::TooLarge);
        }
        Ok(Euros {
            cents: cents as i64,
        })
    }

    /// Reads a TOML float literal exactly: `550000.999` is 55,000,100 cents,
    /// `550000.004` is 55,000,000. Exponents (`5.5e5`) are read through
    /// binary floating point, then rounded to the cent.
    pub fn from_float(literal: &str) -> Result<Euros, AmountError> {
        let text = literal.replace('_', "");
        let (negative, body) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text.strip_prefix('+').unwrap_or(&text)),
        };
        if body == "nan" {
            return Err(AmountError::NotFinite);
        }
        // A negative amount is negative, however large.
        let nonzero = body.bytes().any(|b| (b'1'..=b'9').contains(&b)) || body == "inf";
        if negative && nonzero {
            return Err(AmountError::Negative);
        }
        if body == "inf" {
            return Err(AmountError::NotFinite);
        }
        let exact = body.split_once('.').filter(|(whole, fraction)| {
            !whole.is_empty()
                && whole.bytes().all(|b| b.is_ascii_digit())
                && fraction.bytes().all(|b| b.is_ascii_digit())
        });
        let cents: u128 = match exact {
            Some((whole, fraction)) => {
                let whole = whole.trim_start_matches('0');
                if whole.len() > 20 {
                    return Err(AmountError::TooLarge);
                }
                let whole: u128 = if whole.is_empty() {
                    0
                } else {
                    whole.parse().map_err(|_| AmountError::TooLarge)?
                };
                let digit = |i: usize| -> u128 {
                    fraction
                        .as_bytes()
                        .get(i)
                        .map_or(0, |b| u128::from(b - b'0'))
                };
                let round_up = u128::from(digit(2) >= 5);
                whole * 100 + digit(0) * 10 + digit(1) + round_up
            }
            None => {
                let value: f64 = body.parse().map_err(|_| AmountError::NotFinite)?;
                if !value.is_finite() {
                    return Err(AmountError::NotFinite);
                }
                let cents = (value * 100.0).round();
                if cents > Euros::MAX.cents as f64 {
                    return Err(AmountError::TooLarge);
                }
                cents as u128
            }
        };
        if negative && cents > 0 {
            return Err(AmountError::Negative);
        }
        if cents > Euros::MAX.cents as u128 {
            return Err(AmountError::TooLarge);
        }
        Ok(Euros {
            cents: cents as i64,
        })
    }

    pub fn saturating_sub(self, other: Euros) -> Euros {
        Euros {
            cents: self.cents.saturating_sub(other.cents).max(0),
        }
    }

    pub fn saturating_add(self, other: Euros) -> Euros {
        Euros {
            cents: self.cents.saturating_add(other.cents),
        }
    }

    /// Whole euros, cents dropped.
    pub fn whole(self) -> i64 {
        self.cents / 100
    }

    /// Whether the amount has cents.
    pub fn has_cents(self) -> bool {
        self.cents % 100 != 0
    }
}

/// `digits` in groups of three from the right, joined by `separator`:
/// ("450000", ',') is "450,000", ("450000", '_') the TOML "450_000".
pub fn group_thousands(digits: &str, separator: char) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(separator);
        }
        out.push(d);
    }
    out
}

/// "540,000", "539,999.50": thousands grouped, cents shown when there are any.
impl fmt::Display for Euros {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = group_thousands(&self.whole().to_string(), ',');
        if self.has_cents() {
            out.push_str(&format!(".{:02}", self.cents % 100));
        }
        f.write_str(&out)
    }
}

/// Why a text is not an amount.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AmountProblem {
    /// "600,000": 600000 with a thousands separator, or 600 with a decimal
    /// one. Both readings are numbers as TOML writes them: `grouped` whole
    /// ("600000"), `decimal` with a decimal point where it has a fraction
    /// ("600", "600.25").
    Ambiguous {
        grouped: String,
        decimal: String,
    },
    NotANumber,
}

/// Reads an amount written as text, only where it is certain: digits,
/// grouped by spaces or apostrophes (`540 000`, `1'200'000`), or by
/// commas or points when there are two or more groups (`1,234,567`), or
/// when the last separator differs from the others and is followed by one
/// or two digits (`600.000,00`, `600,000.50`). A single comma or point
/// followed by three digits (`600,000`, `600.000`) could be either; it is
/// refused with both readings. A currency sign or word (€, EUR) is dropped.
pub fn text_amount(text: &str) -> Result<Euros, AmountProblem> {
    let mut t = text.trim();
    for unit in ["€", "euros", "euro", "eur"] {
        if let Some(rest) = t.len().checked_sub(unit.len()).and_then(|i| {
            t.get(i..)
                .filter(|end| end.eq_ignore_ascii_case(unit))
                .map(|_| &t[..i])
        }) {
            t = rest.trim();
        }
        if let Some(rest) = t
            .get(..unit.len())
            .filter(|start| start.eq_ignore_ascii_case(unit))
            .map(|_| &t[unit.len()..])
        {
            t = rest.trim();
        }
    }
    if t.is_empty() || t.len() > 40 {
        return Err(AmountProblem::NotANumber);
    }
    // Groups of digits and the separator after each.
    let mut groups: Vec<String> = vec![String::new()];
    let mut seps: Vec<char> = Vec::new();
    for c in t.chars() {
        match c {
            '0'..='9' => groups.last_mut().map_or((), |g| g.push(c)),
            ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}' | '\'' | '’' => {
                seps.push(' ');
                groups.push(String::new());
            }
            ',' | '.' => {
                seps.push(c);
                groups.push(String::new());
            }
            _ => return Err(AmountProblem::NotANumber),
        }
    }
    if groups.iter().any(String::is_empty) {
        return Err(AmountProblem::NotANumber);
    }
    let grouping =
        |groups: &[String]| groups[0].len() <= 3 && groups[1..].iter().all(|g| g.len() == 3);
    let euros = |whole: &str, cents: Option<&str>| -> Result<Euros, AmountProblem> {
        let literal = match cents {
            Some(c) => format!("{whole}.{c}"),
            None => format!("{whole}.0"),
        };
        Euros::from_float(&literal).map_err(|_| AmountProblem::NotANumber)
    };
    let n = seps.len();
    if n == 0 {
        return euros(&groups[0], None);
    }
    let last = seps[n - 1];
    let last_group = &groups[n];
    let (int_groups, int_seps) = (&groups[..n], &seps[..n - 1]);
    let int_ok = |int_seps: &[char]| {
        int_seps.is_empty() || (int_seps.iter().all(|&s| s == int_seps[0]) && grouping(int_groups))
    };
    // A decimal separator: the last one, a comma or point, followed by
    // other than three digits, or different from the separators before it.
    let different = !int_seps.is_empty() && int_seps[0] != last;
    if last != ' ' && (last_group.len() != 3 || different) {
        if int_seps.contains(&last) || !int_ok(int_seps) {
            return Err(AmountProblem::NotANumber);
        }
        return euros(&int_groups.concat(), Some(last_group));
    }
    if !seps.iter().all(|&s| s == last) || !grouping(&groups) {
        return Err(AmountProblem::NotANumber);
    }
    if n == 1 && last != ' ' {
        let grouped = groups.concat();
        let grouped = grouped.trim_start_matches('0');
        let whole = groups[0].trim_start_matches('0');
        let whole = if whole.is_empty() { "0" } else { whole };
        // "600,000" read with a decimal comma is 600; "600,250" is 600.25.
        let fraction = groups[1].trim_end_matches('0');
        return Err(AmountProblem::Ambiguous {
            grouped: if grouped.is_empty() {
                "0".into()
            } else {
                grouped.into()
            },
            decimal: if fraction.is_empty() {
                whole.to_string()
            } else {
                format!("{whole}.{fraction}")
            },
        });
    }
    euros(&groups.concat(), None)
}

/// An amount as a TOML number: `540000`, `539999.50`.
pub fn literal(euros: Euros) -> String {
    if euros.has_cents() {
        format!("{}.{:02}", euros.whole(), euros.cents % 100)
    } else {
        euros.whole().to_string()
    }
}

/// An amount as a TOML number with its thousands grouped by `_`:
/// `540_000`, `539_999.50`.
pub fn literal_grouped(euros: Euros) -> String {
    let whole = group_thousands(&euros.whole().to_string(), '_');
    if euros.has_cents() {
        format!("{whole}.{:02}", euros.cents % 100)
    } else {
        whole
    }
}

/// An amount in words, with no separator that reads differently in
/// different languages (is "600,000" six hundred thousand, or six
/// hundred?): "540 thousand euros", "1 million 234 thousand 567 euros",
/// "539 thousand 999 euros and 50 cents". Millions are the largest unit
/// ("1000 million"): a billion is a thousand million in some languages and
/// a million million in others.
pub fn in_words(euros: Euros) -> String {
    let whole = euros.whole();
    let cents = euros.cents % 100;
    let mut parts = Vec::new();
    let (millions, thousands, units) = (whole / 1_000_000, whole / 1_000 % 1_000, whole % 1_000);
    if millions > 0 {
        parts.push(format!("{millions} million"));
    }
    if thousands > 0 {
        parts.push(format!("{thousands} thousand"));
    }
    if units > 0 || parts.is_empty() {
        parts.push(units.to_string());
    }
    let unit = if whole == 1 { "euro" } else { "euros" };
    let mut out = format!("{} {unit}", parts.join(" "));
    if whole == 0 && cents > 0 {
        out = String::new();
    }
    if cents > 0 {
        let cent = if cents == 1 { "cent" } else { "cents" };
        if out.is_empty() {
            out = format!("{cents} {cent}");
        } else {
            out.push_str(&format!(" and {cents} {cent}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_grouped_from_the_right() {
        assert_eq!(group_thousands("450000", ','), "450,000");
        assert_eq!(group_thousands("1400000", '_'), "1_400_000");
        assert_eq!(group_thousands("999", ','), "999");
        assert_eq!(group_thousands("", ','), "");
    }

    fn float(s: &str) -> String {
        Euros::from_float(s).unwrap().to_string()
    }

    #[test]
    fn floats_are_read_exactly_to_the_cent_and_rounding_carries() {
        assert_eq!(float("550000.999"), "550,001");
        assert_eq!(float("550000.004"), "550,000");
        assert_eq!(float("550000.005"), "550,000.01");
        assert_eq!(float("539999.50"), "539,999.50");
        assert_eq!(float("539_999.5"), "539,999.50");
        assert_eq!(float("0.999"), "1");
        assert_eq!(float("5.5e5"), "550,000");
        assert_eq!(float("+450.000"), "450");
        assert_eq!(float("-0.0"), "0");
    }

    #[test]
    fn bad_floats_say_why() {
        assert_eq!(Euros::from_float("-1.5"), Err(AmountError::Negative));
        assert_eq!(Euros::from_float("nan"), Err(AmountError::NotFinite));
        assert_eq!(Euros::from_float("-inf"), Err(AmountError::Negative));
        assert_eq!(Euros::from_float("inf"), Err(AmountError::NotFinite));
        assert_eq!(Euros::from_float("-1e308"), Err(AmountError::Negative));
        assert_eq!(Euros::from_float("1e308"), Err(AmountError::TooLarge));
        assert_eq!(
            Euros::from_float("99999999999999999999999.0"),
            Err(AmountError::TooLarge)
        );
    }

    #[test]
    fn integers_of_any_size_are_read_or_refused_as_too_large() {
        assert_eq!(
            Euros::from_integer("540_000", 10).unwrap().to_string(),
            "540,000"
        );
        assert_eq!(Euros::from_integer("10", 16).unwrap().cents(), 1600);
        assert_eq!(
            Euros::from_integer("99999999999999999999", 10),
            Err(AmountError::TooLarge)
        );
        assert_eq!(Euros::from_integer("-5", 10), Err(AmountError::Negative));
        assert_eq!(Euros::from_integer("-0", 10), Ok(Euros::ZERO));
    }

    #[test]
    fn percentages_round_down_to_the_cent() {
        let costs = Euros::from_integer("600000", 10).unwrap();
        assert_eq!(costs.percent(90.0).to_string(), "540,000");
        let odd = Euros::from_cents(33_333);
        assert_eq!(odd.percent(75.0).cents(), 24_999);
    }

    #[test]
    fn display_groups_thousands() {
        assert_eq!(Euros::ZERO.to_string(), "0");
        assert_eq!(Euros::from_cents(123_456_789).to_string(), "1,234,567.89");
        assert_eq!(Euros::from_cents(100_000).to_string(), "1,000");
        assert_eq!(Euros::MAX.to_string(), "1,000,000,000,000");
    }

    fn amount(t: &str) -> Result<String, AmountProblem> {
        text_amount(t).map(|e| e.to_string())
    }

    #[test]
    fn text_amounts_are_read_only_where_the_grouping_is_unambiguous() {
        assert_eq!(amount("540000"), Ok("540,000".into()));
        assert_eq!(amount("540 000"), Ok("540,000".into()));
        assert_eq!(amount("540\u{a0}000 €"), Ok("540,000".into()));
        assert_eq!(amount("EUR 1'200'000"), Ok("1,200,000".into()));
        assert_eq!(amount("1,234,567"), Ok("1,234,567".into()));
        assert_eq!(amount("1.234.567"), Ok("1,234,567".into()));
        assert_eq!(amount("600.000,00"), Ok("600,000".into()));
        assert_eq!(amount("600,000.50"), Ok("600,000.50".into()));
        assert_eq!(amount("540 000,50"), Ok("540,000.50".into()));
        assert_eq!(amount("539999,5"), Ok("539,999.50".into()));
        assert_eq!(amount("539999.50"), Ok("539,999.50".into()));
        assert_eq!(
            amount("600,000"),
            Err(AmountProblem::Ambiguous {
                grouped: "600000".into(),
                decimal: "600".into()
            })
        );
        assert!(matches!(
            amount("600.000"),
            Err(AmountProblem::Ambiguous { .. })
        ));
        // The decimal reading keeps the fraction.
        assert_eq!(
            amount("600,250"),
            Err(AmountProblem::Ambiguous {
                grouped: "600250".into(),
                decimal: "600.25".into()
            })
        );
        for bad in [
            "",
            "abc",
            "1,23,456",
            "54 00",
            "1.234,567.00",
            "1,234.567,00",
            "12..5",
            "-5",
            "5k",
        ] {
            assert_eq!(amount(bad), Err(AmountProblem::NotANumber), "{bad}");
        }
    }

    #[test]
    fn amounts_are_said_in_words_and_written_as_toml_numbers() {
        let words = |cents: i64| in_words(Euros::from_cents(cents));
        assert_eq!(words(54_000_000), "540 thousand euros");
        assert_eq!(words(123_456_700), "1 million 234 thousand 567 euros");
        assert_eq!(words(53_999_950), "539 thousand 999 euros and 50 cents");
        assert_eq!(words(100_000_000), "1 million euros");
        assert_eq!(words(60_000), "600 euros");
        assert_eq!(words(100), "1 euro");
        assert_eq!(words(0), "0 euros");
        assert_eq!(words(5), "5 cents");
        assert_eq!(words(Euros::MAX.cents()), "1000000 million euros");
        let e = Euros::from_cents(53_999_950);
        assert_eq!(
            (literal(e), literal_grouped(e)),
            ("539999.50".into(), "539_999.50".into())
        );
        let e = Euros::from_cents(54_000_000);
        assert_eq!(
            (literal(e), literal_grouped(e)),
            ("540000".into(), "540_000".into())
        );
    }
}
