//! The consortium file's parser: from text to the model of
//! [`crate::consortium`], every value with its span, and every format
//! problem of the file as a finding. Large files are split into sections
//! ([`sections`]) and parsed section by section, on every core for the
//! largest; every way gives the same model and findings.

use crate::consortium::missing_hint;
use crate::consortium::Consortium;
use crate::finding::{Finding, Fix};
use crate::rule_id::RuleId;
use crate::source::Span;
use reader::{Reader, Seen};
use toml::de::DeTable;

mod reader;
pub mod sections;
mod values;
mod written;

/// Files larger than this are parsed section by section (see [`sections`]);
/// smaller ones in one go. Both give the same model and findings (tested).
const SECTIONS_FROM: usize = 64 * 1024;

/// Files larger than this have their sections parsed on every core.
const PARALLEL_FROM: usize = 1024 * 1024;

/// How [`parse_with`] reads a file. All three give the same model and
/// findings (`tests/sections.rs`); they differ in memory and speed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strategy {
    /// One document tree for the whole file: simplest, for small files.
    Whole,
    /// One section at a time: memory stays close to the file's size.
    Sections,
    /// Sections in contiguous batches, one batch per task on rayon's pool,
    /// merged in file order: for files of megabytes.
    Parallel,
}

/// Parses a consortium file. `Err` holds the TOML syntax errors (the file
/// cannot be checked); `Ok` holds the model and the format findings.
pub fn parse(text: &str) -> Result<(Consortium, Vec<Finding>), Vec<Finding>> {
    parse_with(text, Strategy::for_len(text.len()))
}

impl Strategy {
    /// The way to read a file of `len` bytes: whole below 64 KiB, section
    /// by section below 1 MiB, on every core from there.
    pub fn for_len(len: usize) -> Strategy {
        match len {
            n if n >= PARALLEL_FROM => Strategy::Parallel,
            n if n >= SECTIONS_FROM => Strategy::Sections,
            _ => Strategy::Whole,
        }
    }
}

/// [`parse`] with a chosen strategy. Files whose layout cannot be split
/// (see [`sections`]) are parsed whole whatever the strategy.
pub fn parse_with(
    text: &str,
    strategy: Strategy,
) -> Result<(Consortium, Vec<Finding>), Vec<Finding>> {
    let headers = Headers::default();
    if strategy != Strategy::Whole {
        if let Some(sections) = sections::split(text) {
            if let Some(parsed) = parse_sections(text, &sections, strategy, &headers) {
                return parsed;
            }
        }
    }
    let (root, errors) = DeTable::parse_recoverable(text);
    if !errors.is_empty() {
        let mut described = Described::default();
        return Err(one_per_cause(
            errors
                .iter()
                .map(|e| syntax_finding(e, 0, text, &headers, &mut described))
                .collect(),
        ));
    }
    let mut reader = Reader::new(text);
    let mut c = Consortium::default();
    let mut seen = Seen::default();
    reader.root(root.get_ref(), &mut c, &mut seen);
    reader.finish(&seen, &mut c);
    Ok((c, reader.findings))
}

/// What one batch of sections gives: its part of the model, its findings
/// and syntax errors, and the top-level keys it met.
#[derive(Default)]
struct Part {
    consortium: Consortium,
    findings: Vec<Finding>,
    errors: Vec<Finding>,
    seen: Seen,
}

/// Each section parsed on its own, its positions shifted to the file's.
/// `None` when the keys before the first header also define a table that a
/// header defines (`partner = [...]` and `[[partner]]`): TOML forbids that,
/// and the whole-document parser says so.
#[allow(clippy::type_complexity)]
fn parse_sections(
    text: &str,
    sections: &[sections::Section],
    strategy: Strategy,
    headers: &Headers,
) -> Option<Result<(Consortium, Vec<Finding>), Vec<Finding>>> {
    let parts: Vec<Part> = if strategy == Strategy::Parallel {
        use rayon::prelude::*;
        // A few batches per thread, so that uneven sections even out.
        let batch = sections
            .len()
            .div_ceil(4 * rayon::current_num_threads())
            .max(1);
        sections
            .par_chunks(batch)
            .map(|batch| read_batch(text, sections, batch, headers))
            .collect::<Option<Vec<Part>>>()?
    } else {
        vec![read_batch(text, sections, sections, headers)?]
    };
    // Merged in file order: call and strand come from the keys before the
    // first header, the proposal from its one section (the splitter only
    // splits files with at most one `[proposal]`).
    // The first batch's part grows to hold the rest: `reserve_exact` on a
    // large buffer extends it in place where it can, so the merge does not
    // hold a second copy of every applicant.
    let more: usize = parts
        .iter()
        .skip(1)
        .map(|p| p.consortium.partners.len())
        .sum();
    let mut parts = parts.into_iter();
    let mut whole = parts.next().unwrap_or_default();
    whole.consortium.partners.reserve_exact(more);
    for part in parts {
        let c = part.consortium;
        whole.consortium.call = whole.consortium.call.or(c.call);
        whole.consortium.strand = whole.consortium.strand.or(c.strand);
        if part.seen.proposal {
            whole.consortium.proposal = c.proposal;
        }
        whole.consortium.partners.extend(c.partners);
        whole.consortium.partners_lost.extend(c.partners_lost);
        whole.consortium.targets.extend(c.targets);
        whole.consortium.targets_lost.extend(c.targets_lost);
        whole.findings.extend(part.findings);
        whole.errors.extend(part.errors);
        whole.seen.merge(part.seen);
    }
    if !whole.errors.is_empty() {
        return Some(Err(one_per_cause(whole.errors)));
    }
    let mut reader = Reader::new(text);
    reader.finish(&whole.seen, &mut whole.consortium);
    whole.findings.extend(reader.findings);
    Some(Ok((whole.consortium, whole.findings)))
}

/// Reads `batch`, a run of consecutive sections of `all`.
fn read_batch(
    text: &str,
    all: &[sections::Section],
    batch: &[sections::Section],
    headers: &Headers,
) -> Option<Part> {
    let mut reader = Reader::new(text);
    let mut part = Part::default();
    let mut described = Described::default();
    // One applicant per `[[partner]]` section: sized once, no doubling.
    let applicants = batch.iter().filter(|s| s.kind == sections::Kind::Partner);
    part.consortium.partners.reserve_exact(applicants.count());
    for section in batch {
        let chunk = &text[section.start..section.end];
        let (root, errs) = DeTable::parse_recoverable(chunk);
        if !errs.is_empty() {
            part.errors.extend(
                errs.iter()
                    .map(|e| syntax_finding(e, section.start, text, headers, &mut described)),
            );
            continue;
        }
        if section.kind == sections::Kind::Root {
            let redefined = |name: &str, kind| {
                root.get_ref().get(name).is_some() && all.iter().any(|s| s.kind == kind)
            };
            if redefined("proposal", sections::Kind::Proposal)
                || redefined("partner", sections::Kind::Partner)
                || redefined("target", sections::Kind::Target)
            {
                return None;
            }
        }
        if part.errors.is_empty() {
            reader.offset = section.start;
            reader.root(root.get_ref(), &mut part.consortium, &mut part.seen);
        }
    }
    part.findings = reader.findings;
    Some(part)
}

/// One syntax finding per message: the parser recovers and reports the same
/// mistake again on every line it recurs (a file with CR-only line endings
/// gave one error per line); the first stands for the others.
fn one_per_cause(findings: Vec<Finding>) -> Vec<Finding> {
    let mut kept: Vec<(Finding, usize)> = Vec::new();
    for finding in findings {
        match kept.iter_mut().find(|(k, _)| k.message == finding.message) {
            // The same cause found again at the same place is one finding.
            Some((k, _)) if k.primary.span == finding.primary.span => {}
            Some((_, again)) => *again += 1,
            None => kept.push((finding, 0)),
        }
    }
    kept.into_iter()
        .map(|(mut finding, again)| {
            if again > 0 {
                let times = crate::text::plural(again, "more time", "more times");
                finding
                    .message
                    .push_str(&format!(" (and {times} further on)"));
            }
            finding
        })
        .collect()
}

/// The lines of numbers with separators described already, in one run of
/// errors in file order (a whole file, or one batch of its sections), with
/// the message each got: the same line again gets only the message, which
/// [`one_per_cause`] counts as the same cause further on, instead of a
/// whole description that it would drop. A file of 200,000 such lines
/// then costs little more than TOML's own errors.
type Described = std::collections::HashMap<String, String>;

fn syntax_finding(
    error: &toml::de::Error,
    offset: usize,
    text: &str,
    headers: &Headers,
    described: &mut Described,
) -> Finding {
    let len = text.len();
    let span = error.span().unwrap_or(0..0);
    let span = (span.start + offset).min(len)..(span.end + offset).min(len);
    let message = error.message().trim().trim_end_matches('.').to_string();
    if message.starts_with("duplicate key") {
        if let Some(finding) = single_among_arrays(text, &span, headers) {
            return finding;
        }
    }
    if let Some(finding) = number_with_separators(text, &span, described) {
        return finding;
    }
    let help = if message.contains("carriage return") {
        "TOML lines end with LF or CRLF; a file with CR-only line endings (old Mac \
         editors) must be saved with LF or CRLF line endings"
    } else {
        "fix the TOML syntax; escp checks the rules once the file parses"
    };
    Finding::new(RuleId::Syntax, span, format!("invalid TOML: {message}")).help(help)
}

/// A number written with separators where the format takes a number
/// (`requested_grant_eur = 540 000`, `total_costs_eur = 600.000,00`): TOML
/// says "string values must be quoted", which leads to a string, which is
/// not a number either. The finding is at the value on the line of the
/// error, says what it reads as, and (where that is certain) has the
/// number to write as its fix. Every error TOML reports on the line is the
/// same finding.
fn number_with_separators(text: &str, at: &Span, described: &mut Described) -> Option<Finding> {
    use written::{Number, Reading};
    // Only a short line can be such a case: the search for its ends is
    // bounded, so that a long line with many errors costs no more per error.
    const LONGEST: usize = 256;
    let from = at.start.min(text.len());
    let mut lo = from.saturating_sub(LONGEST);
    while !text.is_char_boundary(lo) {
        lo -= 1;
    }
    let start = match text[lo..from].rfind('\n') {
        Some(i) => lo + i + 1,
        None if lo == 0 => 0,
        None => return None,
    };
    let mut hi = (start + LONGEST).min(text.len());
    while !text.is_char_boundary(hi) {
        hi -= 1;
    }
    let end = match text[start..hi].find('\n') {
        Some(i) => start + i,
        None if hi == text.len() => hi,
        None => return None,
    };
    let line = &text[start..end];
    let (key, rest) = line.split_once('=')?;
    // `requested_grant_eur`, `"requested_grant_eur"`, `proposal.requested_grant_eur`.
    let name = key.trim().rsplit('.').next()?.trim().trim_matches('"');
    let number = Number::of_key(name)?;
    // The value: up to a comment, spaces around it left out.
    let value = rest.split('#').next()?.trim_end_matches('\r');
    let lead = value.len() - value.trim_start().len();
    let written = value.trim();
    let value_start = start + key.len() + 1 + lead;
    let value_span = value_start..value_start + written.len();
    if let Some(message) = described.get(line) {
        return Some(Finding::new(RuleId::Syntax, value_span, message.clone()));
    }
    let reading = written::read(written, number)?;
    // A number TOML reads is no such case (the error is another one).
    if DeTable::parse(&format!("x = {written}")).is_ok() {
        return None;
    }
    let shown = crate::text::clean(written);
    let message = format!("invalid TOML: `{name} = {shown}` is not a number in TOML");
    described.insert(line.to_string(), message.clone());
    let finding = Finding::new(RuleId::Syntax, value_span.clone(), message);
    let rule = "a TOML number groups its digits only with `_`, and writes cents after a point";
    Some(match reading {
        Reading::Certain {
            literal,
            grouped,
            said,
            words,
        } => finding
            .label(format!("{said}: write {literal}"))
            .help(format!(
                "escp reads `{shown}` as {said}: write `{name} = {literal}` (or `{grouped}`); {rule}"
            ))
            // Certain, and the line then parses: a safe fix, which
            // `--fix` applies although the file does not parse yet.
            .fix(Fix::replace(
                format!("write {literal} ({words})"),
                value_span,
                literal,
            )),
        Reading::Ambiguous { said } => finding
            .label("which number is it?")
            .help(format!("{said}; {rule}")),
    })
}

/// The table headers of a file, by name, found on the first duplicate-key
/// error (once per file, however many errors ask).
#[derive(Default)]
struct Headers(std::sync::OnceLock<HeaderIndex>);

#[derive(Default)]
struct HeaderIndex {
    /// Names written as `[[name]]`.
    double: std::collections::HashSet<String>,
    /// The first `[name]` header of each name, where it is written.
    single: std::collections::HashMap<String, Span>,
}

impl Headers {
    fn of(&self, text: &str) -> &HeaderIndex {
        self.0.get_or_init(|| {
            let mut index = HeaderIndex::default();
            let mut offset = 0;
            for line in text.split_inclusive('\n') {
                let start = offset;
                offset += line.len();
                let trimmed = line.trim_start();
                let lead = start + line.len() - trimmed.len();
                if let Some(rest) = trimmed.strip_prefix("[[") {
                    if let Some((name, _)) = rest.split_once("]]") {
                        index
                            .double
                            .insert(name.trim().trim_matches('"').to_string());
                    }
                } else if let Some(rest) = trimmed.strip_prefix('[') {
                    if let Some((name, _)) = rest.split_once(']') {
                        let end = lead + 1 + name.len() + 1;
                        index
                            .single
                            .entry(name.trim().trim_matches('"').to_string())
                            .or_insert(lead..end);
                    }
                }
            }
            index
        })
    }
}

/// `[partner]` written once among `[[partner]]` tables: TOML reports a
/// duplicate key at whichever comes second, often a correct `[[partner]]`.
/// The cause is the single-bracket header: the finding points there and
/// says to write `[[partner]]` (a safe fix: the other tables say what it is).
fn single_among_arrays(text: &str, at: &Span, headers: &Headers) -> Option<Finding> {
    let name = text.get(at.clone())?.trim().trim_matches('"');
    let index = headers.of(text);
    if !index.double.contains(name) {
        return None;
    }
    let single = index.single.get(name)?.clone();
    Some(
        Finding::new(
            RuleId::Syntax,
            single.clone(),
            format!("invalid TOML: `[{name}]` is written once among `[[{name}]]` tables"),
        )
        .label(format!("write `[[{name}]]`"))
        .help(format!(
            "each applicant is a `[[{name}]]` table (two brackets); `[{name}]` with one bracket makes a single table, which TOML cannot mix with the list"
        ))
        .fix(crate::finding::Fix::replace(
            format!("write `[[{name}]]`"),
            single,
            format!("[[{name}]]"),
        )),
    )
}

/// The `missing-key` finding for `key`, absent from the table headed at
/// `header` (`place` names it: "[[partner]]"). Its fix inserts the key as a
/// placeholder on the line after the header, where the header is a
/// `[[...]]` or `[...]` line of its own.
pub fn missing_key(text: &str, key: &str, header: Span, place: &str) -> Finding {
    let mut finding = Finding::new(
        RuleId::MissingKey,
        header.clone(),
        format!("`{key}` is missing from {place}"),
    )
    .label(format!("`{key}` is required here"))
    .help(format!("add `{key} = \"...\"`: {}", missing_hint(key)));
    let written = text.get(header.clone()).unwrap_or_default();
    if written.starts_with('[') && written.ends_with(']') {
        let line_end = text[header.end..]
            .find('\n')
            .map_or(text.len(), |i| header.end + i);
        let (at, insert) = if line_end == text.len() {
            (line_end, format!("\n{key} = \"\""))
        } else {
            (line_end + 1, format!("{key} = \"\"\n"))
        };
        finding = finding
            .fix(Fix::replace(format!("add `{key} = \"\"` to fill in"), at..at, insert).scaffold());
    }
    finding
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::consortium::*;

    /// A file of many sections, with `root` before the first header.
    fn sectioned(root: &str, partners: usize) -> String {
        let mut text = format!("call = \"COS-CLUSINT-2020-3-01\"\n{root}\n");
        for i in 0..partners {
            text.push_str(&format!(
                "[[partner]]\nshort_name = \"P{i}\"\nname = \"Partner {i}\"\ncountry = \"IT\"\n\n"
            ));
        }
        text.push_str("[proposal]\nacronym = \"X\"\n\n[[target]]\ncountry = \"JP\"\n");
        text
    }

    #[test]
    fn sections_are_read_by_sections_and_in_parallel_when_they_can_be() {
        let text = sectioned("strand = \"A\"", 300);
        let headers = Headers::default();
        let all = sections::split(&text).expect("a layout that splits");
        let whole = parse_with(&text, Strategy::Whole).unwrap();
        for strategy in [Strategy::Sections, Strategy::Parallel] {
            let (c, findings) = parse_sections(&text, &all, strategy, &headers)
                .expect("read by sections, not left to the whole-file parser")
                .unwrap();
            assert_eq!(c.partners.len(), 300, "{strategy:?}");
            assert_eq!(c.targets.len(), 1, "{strategy:?}");
            assert!(c.proposal.acronym.given().is_some(), "{strategy:?}");
            assert_eq!(findings.len(), whole.1.len(), "{strategy:?}");
        }
        // Keys before the first header that also define a headed table:
        // TOML forbids it, and only the whole-file parser says so.
        for (root, what) in [
            ("partner = []", "partner"),
            ("target = []", "target"),
            ("proposal = { acronym = \"Y\" }", "proposal"),
        ] {
            let text = sectioned(root, 3);
            let all = sections::split(&text).expect("a layout that splits");
            assert!(
                parse_sections(&text, &all, Strategy::Sections, &headers).is_none(),
                "{what} defined before its header"
            );
        }
    }

    #[test]
    fn one_cause_at_one_place_is_one_finding_and_again_elsewhere_is_counted() {
        let at = |span: Span| Finding::new(RuleId::Syntax, span, "invalid TOML: duplicate key");
        let kept = one_per_cause(vec![at(5..9), at(5..9)]);
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].message, "invalid TOML: duplicate key");
        let kept = one_per_cause(vec![at(5..9), at(20..24), at(5..9)]);
        assert_eq!(kept.len(), 1);
        assert_eq!(
            kept[0].message,
            "invalid TOML: duplicate key (and 1 more time further on)"
        );
        let other = Finding::new(RuleId::Syntax, 30..31, "invalid TOML: something else");
        assert_eq!(one_per_cause(vec![at(5..9), other]).len(), 2);
    }

    #[test]
    fn the_strategy_follows_the_size() {
        assert_eq!(Strategy::for_len(0), Strategy::Whole);
        assert_eq!(Strategy::for_len(64 * 1024 - 1), Strategy::Whole);
        assert_eq!(Strategy::for_len(64 * 1024), Strategy::Sections);
        assert_eq!(Strategy::for_len(1024 * 1024 - 1), Strategy::Sections);
        assert_eq!(Strategy::for_len(1024 * 1024), Strategy::Parallel);
    }

    fn parse_ok(text: &str) -> (Consortium, Vec<Finding>) {
        parse(text).unwrap_or_else(|e| panic!("syntax: {e:?}"))
    }

    fn rules(findings: &[Finding]) -> Vec<&'static str> {
        findings.iter().map(|f| f.rule.as_str()).collect()
    }

    #[test]
    fn a_misspelt_key_stands_for_the_key_it_meant() {
        let (c, findings) = parse_ok(
            "call = \"X\"\n[proposal]\nacronym = \"A\"\n[[partner]]\nshort_name = \"A\"\nname = \"A\"\ncontry = \"IT\"\ndefence_relatd = true\n",
        );
        // One finding per typo, no `missing-key` for `country`.
        assert_eq!(rules(&findings), ["unknown-key", "unknown-key"]);
        assert!(c.partners[0].country.lost().is_some());
        // The default is not assumed for a misspelt optional key.
        assert_eq!(c.partners[0].defence_related.or_default(false), None);
        assert_eq!(findings[0].fixes[0].edits[0].text, "country");
    }

    #[test]
    fn a_misspelt_table_loses_its_entries_instead_of_counting_none() {
        let (c, findings) = parse_ok(
            "call = \"X\"\n[proposal]\nacronym = \"A\"\n[[partners]]\nshort_name = \"A\"\n",
        );
        assert_eq!(rules(&findings), ["unknown-key"]);
        assert!(c.partners.is_empty());
        assert_eq!(c.partners_lost.len(), 1);
    }

    #[test]
    fn decimal_points_as_thousands_separators_are_implausible() {
        let (c, findings) = parse_ok(
            "call = \"X\"\n[proposal]\nacronym = \"A\"\nrequested_grant_eur = 450.000\ntotal_costs_eur = 539999.50\n",
        );
        assert_eq!(rules(&findings), ["implausible-amount"]);
        assert!(findings[0]
            .help
            .as_deref()
            .unwrap()
            .contains("`450000` or `450_000`"));
        assert!(c.proposal.requested_grant_eur.lost().is_some());
        assert_eq!(
            c.proposal.total_costs_eur.value().map(|e| e.to_string()),
            Some("539,999.50".to_string())
        );
    }

    #[test]
    fn small_amounts_are_implausible() {
        for literal in ["450", "0", "999.99", "1.4"] {
            let (_, findings) = parse_ok(&format!(
                "call = \"X\"\n[proposal]\nacronym = \"A\"\nrequested_grant_eur = {literal}\n"
            ));
            assert_eq!(rules(&findings), ["implausible-amount"], "{literal}");
        }
        let (_, findings) =
            parse_ok("call = \"X\"\n[proposal]\nacronym = \"A\"\nrequested_grant_eur = 1000\n");
        assert!(findings.is_empty());
    }

    #[test]
    fn empty_placeholders_are_marked_per_table() {
        let (c, findings) = parse_ok(
            "call = \"X\"\n[proposal]\nacronym = \"A\"\nduration_months = \"\"\nactions = []\n[[partner]]\nshort_name = \"\"\nname = \"N\"\ncountry = \"\"\n",
        );
        assert_eq!(findings.len(), 4);
        assert!(findings.iter().all(|f| f.message.ends_with("is empty")));
        assert!(findings.iter().all(|f| f.placeholder_in.is_some()));
        assert_ne!(findings[0].placeholder_in, findings[3].placeholder_in);
        assert!(c.proposal.duration_months.lost().is_some());
        assert!(c.proposal.actions.lost().is_some());
    }

    #[test]
    fn no_call_is_reported_and_a_strand_number_can_be_quoted() {
        let (c, findings) = parse_ok("strand = 2\n[proposal]\nacronym = \"A\"\n");
        assert_eq!(rules(&findings), ["invalid-value", "missing-key"]);
        assert!(c.call.is_absent());
        assert_eq!(findings[0].fixes[0].edits[0].text, "\"2\"");
    }

    #[test]
    fn a_number_with_separators_repeated_is_one_finding_in_every_strategy() {
        let mut text = String::from("call = \"X\"\n[proposal]\nacronym = \"A\"\n");
        text.push_str("requested_grant_eur = 540 000\n");
        for i in 0..3_000 {
            text.push_str(&format!(
                "[[partner]]\nshort_name = \"P{i}\"\nsme_members = 1 200\n"
            ));
        }
        assert!(text.len() > PARALLEL_FROM / 16);
        let whole = parse_with(&text, Strategy::Whole).unwrap_err();
        for strategy in [Strategy::Sections, Strategy::Parallel] {
            let other = parse_with(&text, strategy).unwrap_err();
            assert_eq!(format!("{other:?}"), format!("{whole:?}"), "{strategy:?}");
        }
        assert_eq!(whole.len(), 2, "{whole:?}");
        assert_eq!(
            whole[1].message,
            "invalid TOML: `sme_members = 1 200` is not a number in TOML (and 2999 more times further on)"
        );
        // The first is described in full, with its fix.
        assert_eq!(whole[1].fixes[0].edits[0].text, "1200");
        assert_eq!(whole[0].fixes[0].edits[0].text, "540000");
    }

    #[test]
    fn a_missing_key_is_inserted_as_a_placeholder_after_its_header() {
        let text = "call = \"X\"\n[proposal]\nacronym = \"A\"\n[[partner]]\nname = \"N\"\n";
        let (_, findings) = parse_ok(text);
        let fix = &findings[0].fixes[0].edits[0];
        let mut fixed = text.to_string();
        fixed.replace_range(fix.span.clone(), &fix.text);
        assert!(
            fixed.contains("[[partner]]\nshort_name = \"\"\nname"),
            "{fixed}"
        );
    }
}
