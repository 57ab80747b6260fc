//! Reading one value of a consortium file: strings, numbers, amounts,
//! keywords and country codes, each with the diagnostic a value of the wrong
//! type or outside its set gets.

use super::reader::Reader;
use super::written::{self, Number, Reading};
use crate::consortium::*;
use crate::countries::Country;
use crate::finding::{Finding, Fix};
use crate::money::{AmountError, Euros};
use crate::rule_id::RuleId;
use crate::source::Span;
use toml::de::{DeString, DeValue};
use toml::Spanned;

impl Reader<'_> {
    // --- keys ---------------------------------------------------------------

    /// Reports an unknown key; returns the key it probably stands for.
    pub(super) fn unknown_key(
        &mut self,
        key: &Spanned<DeString<'_>>,
        known: &[&'static str],
        place: &str,
    ) -> Option<&'static str> {
        let name = key.get_ref().as_ref();
        let mut finding = Finding::new(
            RuleId::UnknownKey,
            self.at(key),
            format!("unknown key `{}` {place}", crate::text::clean(name)),
        )
        .label("not a key of the consortium format");
        let meant = crate::text::closest(name, known.iter().copied());
        finding = match meant {
            Some(best) => finding
                .help(format!("did you mean `{best}`?"))
                // Offered in the editor, never applied by `--fix`: a key
                // close to another is not always a typo of it
                // (`no_legal_entity` is not `legal_entity`).
                .fix(
                    Fix::replace(
                        format!("rename `{}` to `{best}`", crate::text::clean(name)),
                        self.at(key),
                        best,
                    )
                    .scaffold(),
                ),
            None => match crate::text::mixed_scripts(name) {
                Some(mixed) => finding.help(format!(
                    "`{}` mixes scripts: the \\u{{{:x}}} is a {} letter among {} ones; retype the key in Latin letters (the keys here are: {})",
                    mixed.shown(name),
                    mixed.odd as u32,
                    mixed.odd_script,
                    mixed.main_script,
                    known.join(", ")
                )),
                None => finding.help(format!("the keys here are: {}", known.join(", "))),
            },
        };
        self.findings.push(finding);
        meant
    }

    pub(super) fn invalid(&mut self, span: Span, message: String, help: String) {
        self.findings
            .push(Finding::new(RuleId::InvalidValue, span, message).help(help));
    }

    /// A value left empty (`""`, `[]`): the placeholder of a starter file.
    /// Reported as `invalid-value`, marked so that the human report can
    /// show a table's empty keys together.
    pub(super) fn empty(&mut self, key: &str, span: Span, what: &str) {
        let mut finding = Finding::new(RuleId::InvalidValue, span, format!("`{key}` is empty"))
            .label("empty")
            .help(format!("write {what}"));
        finding.placeholder_in = Some(self.table.clone().unwrap_or(0..0));
        self.findings.push(finding);
    }

    pub(super) fn wrong_type(&mut self, key: &str, value: &Spanned<DeValue<'_>>, expected: &str) {
        self.invalid(
            self.at(value),
            format!(
                "`{key}` must be {expected}, not {}",
                type_name(value.get_ref())
            ),
            format!("write `{key}` as {expected}"),
        );
    }

    /// A number or a boolean written in quotes, whose value is certain:
    /// the `wrong_type` finding, with the value to write (`literal`) as a
    /// safe fix. `what` says what it reads as, for the help.
    fn quoted(
        &mut self,
        key: &str,
        value: &Spanned<DeValue<'_>>,
        expected: &str,
        what: &str,
        literal: String,
    ) {
        let span = self.at(value);
        let shown = match value.get_ref() {
            DeValue::String(s) => crate::text::clean(s),
            _ => String::new(),
        };
        let read = if what == literal {
            format!("write it without quotes: `{key} = {literal}`")
        } else {
            format!("\"{shown}\" reads as {what}, without quotes")
        };
        self.findings.push(
            Finding::new(
                RuleId::InvalidValue,
                span.clone(),
                format!("`{key}` must be {expected}, not a string"),
            )
            .label("in quotes")
            .help(read)
            .fix(Fix::replace(
                format!("write {literal} without quotes"),
                span,
                literal,
            )),
        );
    }

    /// Whether `value` is an empty placeholder (`""`, `"  "`, `[]`); if so
    /// it is reported as empty.
    pub(super) fn is_placeholder(
        &mut self,
        key: &str,
        value: &Spanned<DeValue<'_>>,
        what: &str,
    ) -> bool {
        self.is_placeholder_with(key, value, || what.to_string())
    }

    /// [`Reader::is_placeholder`] with the description of what to write made
    /// only for an empty value (a list of words is built for nothing on
    /// every other value).
    pub(super) fn is_placeholder_with(
        &mut self,
        key: &str,
        value: &Spanned<DeValue<'_>>,
        what: impl FnOnce() -> String,
    ) -> bool {
        let empty = is_blank(value);
        if empty {
            self.empty(key, self.at(value), &what());
        }
        empty
    }

    // --- values -------------------------------------------------------------

    pub(super) fn string(&mut self, key: &str, value: &Spanned<DeValue<'_>>) -> Option<Sp<String>> {
        match value.get_ref() {
            DeValue::String(s) if crate::text::mixed_scripts(s).is_some() => {
                self.mixed_scripts(key, s, self.at(value));
                None
            }
            DeValue::String(s) => Some(Sp {
                value: s.to_string(),
                span: self.at(value),
            }),
            _ => {
                self.wrong_type(key, value, "a string");
                None
            }
        }
    }

    /// A value with look-alike letters of another script ("European
    /// Uni\u{43e}n"): it is not what it seems, so it is never matched or
    /// suggested against what it looks like.
    pub(super) fn mixed_scripts(&mut self, key: &str, value: &str, span: Span) {
        let Some(mixed) = crate::text::mixed_scripts(value) else {
            return;
        };
        let shown = mixed.shown(value);
        self.findings.push(
            Finding::new(
                RuleId::InvalidValue,
                span,
                format!(
                    "`{key}` = \"{shown}\" mixes scripts: the \\u{{{:x}}} in \"{}\" is a {} letter among {} ones",
                    mixed.odd as u32,
                    mixed.shown(&mixed.word),
                    mixed.odd_script,
                    mixed.main_script
                ),
            )
            .label(format!("a {} letter that looks like a {} one", mixed.odd_script, mixed.main_script))
            .help(format!(
                "retype \"{}\" in {} letters only: a look-alike from another alphabet makes the value differ from what it seems, so escp cannot match it",
                mixed.shown(&mixed.word),
                mixed.main_script
            )),
        );
    }

    /// A string that may be empty.
    pub(super) fn string_field(
        &mut self,
        key: &str,
        value: &Spanned<DeValue<'_>>,
    ) -> Field<String> {
        Field::from_option(self.string(key, value), self.at(value))
    }

    /// A string that must not be empty.
    pub(super) fn text_field(&mut self, key: &str, value: &Spanned<DeValue<'_>>) -> Field<String> {
        if self.is_placeholder(key, value, missing_hint(key)) {
            return Field::Lost(self.at(value));
        }
        self.string_field(key, value)
    }

    /// `strand`: a string; a number is a strand written without quotes.
    pub(super) fn strand(&mut self, value: &Spanned<DeValue<'_>>) -> Field<String> {
        if self.is_placeholder(
            "strand",
            value,
            "the strand of the call this proposal applies to",
        ) {
            return Field::Lost(self.at(value));
        }
        let number = match value.get_ref() {
            DeValue::Integer(i) => Some(i.as_str().to_string()),
            DeValue::Float(f) => Some(f.as_str().to_string()),
            _ => None,
        };
        match number {
            Some(n) => {
                let quoted = format!("\"{n}\"");
                self.findings.push(
                    Finding::new(
                        RuleId::InvalidValue,
                        self.at(value),
                        "`strand` must be a string, not a number",
                    )
                    .label("a strand is written in quotes")
                    .help(format!("write `strand = {quoted}`"))
                    .fix(Fix::replace(
                        format!("write the strand as {quoted}"),
                        self.at(value),
                        quoted,
                    )),
                );
                Field::Lost(self.at(value))
            }
            None => self.string_field("strand", value),
        }
    }

    pub(super) fn boolean(&mut self, key: &str, value: &Spanned<DeValue<'_>>) -> Field<bool> {
        if self.is_placeholder(key, value, "`true` or `false`") {
            return Field::Lost(self.at(value));
        }
        match value.get_ref() {
            DeValue::Boolean(b) => Field::Given(Sp {
                value: *b,
                span: self.at(value),
            }),
            // `"true"`: the boolean in quotes, which a `""` placeholder
            // invited. Certain, so a safe fix.
            DeValue::String(s)
                if ["true", "false"]
                    .iter()
                    .any(|b| s.trim().eq_ignore_ascii_case(b)) =>
            {
                let literal = s.trim().to_ascii_lowercase();
                self.quoted(key, value, "`true` or `false`", &literal, literal.clone());
                Field::Lost(self.at(value))
            }
            _ => {
                self.wrong_type(key, value, "`true` or `false`");
                Field::Lost(self.at(value))
            }
        }
    }

    /// A whole number >= `min`.
    pub(super) fn whole(
        &mut self,
        key: &str,
        value: &Spanned<DeValue<'_>>,
        min: u64,
    ) -> Field<u64> {
        if self.is_placeholder(key, value, "a whole number") {
            return Field::Lost(self.at(value));
        }
        let span = self.at(value);
        if let DeValue::String(s) = value.get_ref() {
            if let Some(Reading::Certain { literal, .. }) = written::read(s, Number::Whole) {
                self.quoted(key, value, "a whole number", &literal, literal.clone());
                return Field::Lost(span);
            }
        }
        let DeValue::Integer(i) = value.get_ref() else {
            self.wrong_type(key, value, "a whole number");
            return Field::Lost(span);
        };
        let digits = i.as_str().replace('_', "");
        match i64::from_str_radix(&digits, i.radix()) {
            Ok(n) if n >= 0 && n as u64 >= min => Field::Given(Sp {
                value: n as u64,
                span,
            }),
            Ok(n) => {
                self.invalid(
                    span.clone(),
                    format!("`{key}` is {n}; it must be at least {min}"),
                    format!("write a whole number of at least {min}"),
                );
                Field::Lost(span)
            }
            Err(_) => {
                self.invalid(
                    span.clone(),
                    format!("`{key}` is too large a number"),
                    "write a smaller whole number".into(),
                );
                Field::Lost(span)
            }
        }
    }

    /// An amount of euros: an integer or a float, read to the cent.
    pub(super) fn amount(&mut self, key: &str, value: &Spanned<DeValue<'_>>) -> Field<Euros> {
        if self.is_placeholder(key, value, "the amount in euros, e.g. 540000") {
            return Field::Lost(self.at(value));
        }
        let span = self.at(value);
        let (number, literal) = match value.get_ref() {
            DeValue::Integer(i) => (
                Euros::from_integer(i.as_str(), i.radix()),
                i.as_str().to_string(),
            ),
            DeValue::Float(f) => (Euros::from_float(f.as_str()), f.as_str().to_string()),
            DeValue::String(s) => {
                let expected = "an amount in euros (a number)";
                match written::read(s, Number::Euros) {
                    Some(Reading::Certain {
                        literal,
                        grouped,
                        said,
                        ..
                    }) => self.quoted(
                        key,
                        value,
                        expected,
                        &format!("{said}: write `{key} = {literal}` (or `{grouped}`)"),
                        literal,
                    ),
                    Some(Reading::Ambiguous { said }) => self.findings.push(
                        Finding::new(
                            RuleId::InvalidValue,
                            span.clone(),
                            format!("`{key}` must be {expected}, not a string"),
                        )
                        .label("which number is it?")
                        .help(format!("{said}, without quotes")),
                    ),
                    None => self.wrong_type(key, value, expected),
                }
                return Field::Lost(span);
            }
            _ => {
                self.wrong_type(key, value, "an amount in euros (a number)");
                return Field::Lost(span);
            }
        };
        let euros = match number {
            Ok(euros) => euros,
            Err(why) => {
                let (message, help) = match why {
                    AmountError::Negative => (
                        format!("`{key}` is negative"),
                        "amounts are in euros and at least 0",
                    ),
                    AmountError::NotFinite => (
                        format!("`{key}` is not a finite number"),
                        "write the amount in euros, e.g. 540000",
                    ),
                    AmountError::TooLarge => (
                        format!(
                            "`{key}` is too large to be an amount of a grant (more than EUR {})",
                            Euros::MAX
                        ),
                        "write the amount in euros, e.g. 540000",
                    ),
                };
                self.invalid(span.clone(), message, help.into());
                return Field::Lost(span);
            }
        };
        if let Some(finding) = implausible(key, &literal, euros, span.clone()) {
            self.findings.push(finding);
            return Field::Lost(span);
        }
        Field::Given(Sp { value: euros, span })
    }

    pub(super) fn keyword<K: Keyword + PartialEq>(
        &mut self,
        key: &str,
        value: &Spanned<DeValue<'_>>,
    ) -> Field<K> {
        // The usual case first, with nothing allocated: a word of the list
        // as written (ASCII, so no look-alike letters to look for).
        if let DeValue::String(written) = value.get_ref() {
            if let Some((_, k)) = K::ALL.iter().find(|(text, _)| *text == written.as_ref()) {
                return Field::Given(Sp {
                    value: *k,
                    span: self.at(value),
                });
            }
        }
        let words: Vec<&str> = K::ALL.iter().map(|(text, _)| *text).collect();
        if self.is_placeholder_with(key, value, || format!("one of: {}", words.join(", "))) {
            return Field::Lost(self.at(value));
        }
        // Not a word of the list (that was taken above): a string to
        // report, or a value of another type, reported by `string`.
        let Some(s) = self.string(key, value) else {
            return Field::Lost(self.at(value));
        };
        let mut finding = Finding::new(
            RuleId::InvalidValue,
            s.span.clone(),
            format!(
                "\"{}\" is not a valid `{key}`",
                crate::text::clean(&s.value)
            ),
        );
        finding = match crate::text::closest(&s.value, words.iter().copied()) {
            Some(best) => finding
                .help(format!(
                    "did you mean \"{best}\"? `{key}` is one of: {}",
                    words.join(", ")
                ))
                // A value close to a word is not certainly that word
                // (`"registration-requested"` is not `"registered"`): a quick
                // fix to pick, never applied by `--fix`.
                .fix(
                    Fix::replace(
                        format!("write \"{best}\""),
                        s.span.clone(),
                        format!("\"{best}\""),
                    )
                    .scaffold(),
                ),
            None => finding.help(format!("`{key}` is one of: {}", words.join(", "))),
        };
        self.findings.push(finding);
        Field::Lost(s.span)
    }

    pub(super) fn keywords<K: Keyword + PartialEq>(
        &mut self,
        key: &str,
        value: &Spanned<DeValue<'_>>,
    ) -> Field<Vec<Sp<K>>> {
        let list = || {
            let words: Vec<String> = K::ALL.iter().map(|(w, _)| format!("\"{w}\"")).collect();
            format!("a list of one or more of: {}", words.join(", "))
        };
        if self.is_placeholder_with(key, value, list) {
            return Field::Lost(self.at(value));
        }
        let DeValue::Array(items) = value.get_ref() else {
            self.wrong_type(key, value, "a list of strings");
            return Field::Lost(self.at(value));
        };
        let mut out = Vec::with_capacity(items.len());
        let mut lost = false;
        for item in items.iter() {
            match self.keyword(key, item) {
                Field::Given(k) => out.push(k),
                _ => lost = true,
            }
        }
        if lost {
            return Field::Lost(self.at(value));
        }
        Field::Given(Sp {
            value: out,
            span: self.at(value),
        })
    }

    pub(super) fn country(&mut self, key: &str, value: &Spanned<DeValue<'_>>) -> Field<Country> {
        // The usual case first, with nothing allocated: a code ("FR", "fr").
        if let DeValue::String(written) = value.get_ref() {
            if let Some(country) = self.countries.code(written) {
                return Field::Given(Sp {
                    value: country,
                    span: self.at(value),
                });
            }
        }
        if self.is_placeholder(
            key,
            value,
            "the two-letter ISO 3166-1 code of the country, e.g. \"DE\", \"FR\", \"IT\"",
        ) {
            return Field::Lost(self.at(value));
        }
        let Some(s) = self.string(key, value) else {
            return Field::Lost(self.at(value));
        };
        match self.countries.parse(&s.value) {
            Ok(country) => Field::Given(Sp {
                value: country,
                span: s.span,
            }),
            Err(not_a_code) => {
                let shown = crate::text::clean(&s.value);
                let mut finding = Finding::new(
                    RuleId::InvalidValue,
                    s.span.clone(),
                    format!("\"{shown}\" is not a country code"),
                )
                .label("expected a two-letter ISO 3166-1 code");
                finding = match (not_a_code.suggestion, not_a_code.exact) {
                    // A certain suggestion (a name, an alpha-3 code, an
                    // abbreviation) is a safe fix; a close one only a hint.
                    (Some(c), true) => finding
                        .help(format!(
                            "write the code: `{key} = \"{}\"` ({})",
                            c.code(),
                            c.name()
                        ))
                        .fix(Fix::replace(
                            format!("write the code \"{}\" ({})", c.code(), c.name()),
                            s.span.clone(),
                            format!("\"{}\"", c.code()),
                        )),
                    (Some(c), false) => finding.help(format!(
                        "did you mean {}? Then write `{key} = \"{}\"`",
                        c.name(),
                        c.code()
                    )),
                    (None, _) => finding.help(
                        "write the two-letter ISO 3166-1 code of the country, e.g. \"DE\", \"FR\", \"IT\"",
                    ),
                };
                self.findings.push(finding);
                Field::Lost(s.span)
            }
        }
    }
}

/// `implausible-amount`: an amount that is valid TOML but almost certainly
/// not what was meant. `literal` is the number as written.
fn implausible(key: &str, literal: &str, euros: Euros, span: Span) -> Option<Finding> {
    // A point used as a thousands separator: 450.000, 1.450.000 cannot be
    // TOML, but 450.000 is, and reads as 450.
    let plain = literal.trim_start_matches('+');
    let looks_grouped = plain.split_once('.').is_some_and(|(whole, frac)| {
        !whole.is_empty()
            && whole.len() <= 3
            && whole.bytes().all(|b| b.is_ascii_digit())
            && frac.len() == 3
            && frac.bytes().all(|b| b.is_ascii_digit())
    });
    if looks_grouped {
        let meant: String = plain.chars().filter(|c| *c != '.').collect();
        let meant = meant.trim_start_matches('0').to_string();
        let grouped = Euros::from_integer(&meant, 10).ok()?;
        let underscored = crate::money::group_thousands(&meant, '_');
        return Some(
            Finding::new(
                RuleId::ImplausibleAmount,
                span.clone(),
                format!(
                    "`{key} = {literal}` reads as EUR {euros}: in TOML the point is a decimal point, not a thousands separator"
                ),
            )
            .label(format!("EUR {euros}, probably meant EUR {grouped}"))
            .help(format!(
                "if you meant EUR {grouped}, write `{meant}` or `{underscored}`"
            ))
            .fix(Fix::replace(
                format!("write {meant} (EUR {grouped})"),
                span,
                meant.clone(),
            )),
        );
    }
    if euros < Euros::from_cents(1_000 * 100) {
        let millions = if euros > Euros::ZERO && euros < Euros::from_cents(100 * 100) {
            let n = euros.as_f64();
            let as_millions = Euros::from_f64(n * 1_000_000.0).unwrap_or(Euros::ZERO);
            format!(
                "; if you meant EUR {n} million, write `{}`",
                as_millions.whole()
            )
        } else {
            String::new()
        };
        return Some(
            Finding::new(
                RuleId::ImplausibleAmount,
                span,
                format!(
                    "`{key}` is EUR {euros}: the amounts of these calls are at least thousands of euros"
                ),
            )
            .label(format!("EUR {euros}"))
            .help(format!(
                "write the whole amount in euros, e.g. `450000` for EUR 450,000{millions}"
            )),
        );
    }
    None
}

/// An empty placeholder: `""`, `"  "` or `[]`.
fn is_blank(value: &Spanned<DeValue<'_>>) -> bool {
    match value.get_ref() {
        DeValue::String(s) => s.trim().is_empty(),
        DeValue::Array(items) => items.is_empty(),
        _ => false,
    }
}

pub(super) fn type_name(value: &DeValue<'_>) -> &'static str {
    match value {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date-time",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}
