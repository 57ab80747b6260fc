//! The default output: each finding as a miette diagnostic with the source
//! lines it points at, then the file's readiness summary.

use super::{RunInfo, Verdict};
use crate::finding::{Finding, Severity};
use crate::pipeline::{FileReport, Readiness, Status};
use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};
use owo_colors::{OwoColorize, Style};
use std::fmt;
use std::io::{self, Write};
use std::sync::Arc;

/// How to draw: colours and the width to wrap at.
#[derive(Debug, Clone, Copy)]
pub struct Look {
    pub color: bool,
    pub width: usize,
}

/// The diagnostic renderer: text wrapped at the width, but never inside a
/// word (a call id, a code, an amount with its "EUR") and never at a hyphen.
fn handler(look: Look) -> GraphicalReportHandler {
    GraphicalReportHandler::new_themed(if look.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    })
    .with_width(look.width)
    .with_links(false)
    .with_break_words(false)
    .with_word_splitter(textwrap::WordSplitter::NoHyphenation)
    .with_word_separator(textwrap::WordSeparator::Custom(words))
}

/// Splits a line into words at ASCII spaces, keeping "EUR" with the amount
/// that follows it ("EUR 550,000" is one word for wrapping), an option with
/// its value ("--today 2020-12-01") and "strand" with its id ("strand 2").
fn words(line: &str) -> Box<dyn Iterator<Item = textwrap::core::Word<'_>> + '_> {
    let mut pieces = Vec::new();
    let mut start = 0;
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b' ' {
            let mut end = i;
            while end < bytes.len() && bytes[end] == b' ' {
                end += 1;
            }
            let word = &line[start..i];
            let next = &line[end..];
            let option = word
                .rsplit(' ')
                .next()
                .unwrap_or(word)
                .trim_start_matches(['`', '(']);
            let glued = (word.ends_with("EUR") && bytes.get(end).is_some_and(u8::is_ascii_digit))
                || (option.starts_with("--") && bytes.get(end).is_some_and(u8::is_ascii_digit))
                || (word.ends_with("strand")
                    && next
                        .split(' ')
                        .next()
                        .is_some_and(|w| w.len() <= 4 && !w.is_empty()));
            if !glued {
                pieces.push(&line[start..end]);
                start = end;
            }
            i = end;
        } else {
            i += 1;
        }
    }
    if start < line.len() {
        pieces.push(&line[start..]);
    }
    Box::new(pieces.into_iter().map(textwrap::core::Word::from))
}

/// Writes one file's diagnostics and readiness summary.
pub fn write_file(
    out: &mut dyn Write,
    report: &FileReport,
    run: RunInfo,
    look: Look,
) -> io::Result<()> {
    let handler = handler(look);
    // What miette echoes of the file is made safe for a terminal, with every
    // byte offset unchanged (see `text::displayable`).
    let name = crate::text::escape(&report.source.name);
    let source = Arc::new(Snippets::new(report.source.displayable(name), look.width));
    for group in groups(&report.findings) {
        let mut text = String::new();
        let shown = Shown::new(group, &report.source, source.clone());
        handler
            .render_report(&mut text, &shown)
            .map_err(|_| io::Error::other("cannot format a diagnostic"))?;
        out.write_all(text.trim_end().as_bytes())?;
        // A blank line between diagnostics.
        out.write_all(b"\n\n")?;
    }
    summary(out, report, run, look)
}

/// The findings as they are drawn: one each, except that the empty values of
/// one table (an unfilled starter file) are drawn together.
fn groups(findings: &[Finding]) -> Vec<&[Finding]> {
    let mut out = Vec::new();
    let mut start = 0;
    while start < findings.len() {
        let mut end = start + 1;
        if let Some(table) = &findings[start].placeholder_in {
            while end < findings.len() && findings[end].placeholder_in.as_ref() == Some(table) {
                end += 1;
            }
        }
        out.push(&findings[start..end]);
        start = end;
    }
    out
}

/// The line written for each file under `--quiet`.
pub fn write_verdict(
    out: &mut dyn Write,
    report: &FileReport,
    run: RunInfo,
    look: Look,
) -> io::Result<()> {
    writeln!(
        out,
        "{}: {}",
        crate::text::file_name(&report.source.name),
        verdict(report, run, look)
    )
}

/// After several files: how many are ready.
pub fn write_totals(out: &mut dyn Write, files: &[FileReport], run: RunInfo) -> io::Result<()> {
    let t = super::Totals::of(files, run);
    writeln!(
        out,
        "{} checked: {} ready, {} not ready, {} incomplete, {} unchecked",
        crate::text::plural(t.files, "file", "files"),
        t.ready,
        t.not_ready,
        t.incomplete,
        t.unchecked
    )
}

fn summary(out: &mut dyn Write, report: &FileReport, run: RunInfo, look: Look) -> io::Result<()> {
    let paint = |text: &str, style: Style| -> String {
        if look.color {
            text.style(style).to_string()
        } else {
            text.to_string()
        }
    };
    writeln!(
        out,
        "{}",
        paint(
            &format!(
                "Readiness of {}",
                crate::text::file_name(&report.source.name)
            ),
            Style::new().bold()
        )
    )?;
    if let Some(call) = &report.call {
        let strand = report
            .strand
            .as_ref()
            .map(|s| format!(" strand {s}"))
            .unwrap_or_default();
        writeln!(out, "  call      {}{strand}: {}", call.id, call.title)?;
    }
    let width = report
        .checks
        .iter()
        .map(|c| c.rule.as_str().len())
        .max()
        .unwrap_or(0);
    for check in &report.checks {
        let (mark, style) = match check.status {
            Status::Pass => ("✔ pass", Style::new().green()),
            Status::Fail => ("✘ FAIL", Style::new().red().bold()),
            Status::Warn => ("⚠ warn", Style::new().yellow()),
            _ => ("○ skip", Style::new().dimmed()),
        };
        writeln!(
            out,
            "  {}  {:width$}  {}",
            paint(mark, style),
            check.rule.as_str(),
            check.detail
        )?;
    }
    writeln!(out, "{}", verdict(report, run, look))?;
    writeln!(out)
}

fn verdict(report: &FileReport, run: RunInfo, look: Look) -> String {
    let errors = report.count(Severity::Error);
    let warnings = report.count(Severity::Warning);
    let counts = format!(
        "{}, {}",
        crate::text::plural(errors, "error", "errors"),
        crate::text::plural(warnings, "warning", "warnings")
    );
    let tally = |status: Status| report.checks.iter().filter(|c| c.status == status).count();
    let checks = if report.checks.is_empty() {
        String::new()
    } else {
        format!(
            " · {}: {} pass, {} fail, {} warn, {} skip",
            crate::text::plural(report.checks.len(), "check", "checks"),
            tally(Status::Pass),
            tally(Status::Fail),
            tally(Status::Warn),
            tally(Status::Skip)
        )
    };
    let verdict = Verdict::of(report, run);
    let style = match verdict {
        Verdict::Ready => Style::new().green().bold(),
        Verdict::Incomplete => Style::new().yellow().bold(),
        _ => Style::new().red().bold(),
    };
    let word = if look.color {
        verdict.word().style(style).to_string()
    } else {
        verdict.word().to_string()
    };
    // What keeps the file from being checked in full: the keys to add.
    let keys = report.keys_to_add();
    let add = if keys.is_empty() || report.readiness == Readiness::Unchecked {
        String::new()
    } else {
        let keys: Vec<String> = keys.iter().map(|k| format!("`{k}`")).collect();
        format!(
            " · to check everything, add or fix {}",
            crate::text::and_list(&keys)
        )
    };
    format!("{word}: {counts}{checks}{add}")
}

/// A label over more lines than this is drawn on its first line only.
const TALLEST_SHOWN_SPAN: usize = 12;
/// At most this many secondary labels are drawn per finding (2,000
/// duplicates of one applicant need not be drawn under each of them).
const MOST_SHOWN_LABELS: usize = 10;

/// A finding (or the empty values of one table) as miette sees it.
struct Shown<'a> {
    finding: &'a Finding,
    /// The message: the finding's, or the list of a table's empty keys.
    message: String,
    help: Option<String>,
    source: Arc<Snippets>,
    /// The labels to draw: none for a file that could not be read, or when a
    /// line is too long to show.
    labels: Vec<LabeledSpan>,
    /// Where the finding is, when its lines are not shown.
    unshown: Option<String>,
    /// Secondary labels left out.
    more: usize,
}

impl<'a> Shown<'a> {
    fn new(group: &'a [Finding], file: &crate::source::SourceFile, source: Arc<Snippets>) -> Self {
        let finding = &group[0];
        let (message, help, labels): (String, Option<String>, Vec<(&crate::finding::Label, bool)>) =
            if group.len() == 1 {
                let labels = std::iter::once((&finding.primary, true))
                    .chain(finding.secondary.iter().map(|l| (l, false)))
                    .collect();
                (finding.message.clone(), finding.help.clone(), labels)
            } else {
                // "`short_name`, `name` and `country` are empty": the keys
                // from each finding's message ("`country` is empty").
                let keys: Vec<&str> = group
                    .iter()
                    .map(|f| f.message.trim_end_matches(" is empty"))
                    .collect();
                (
                    format!("{} are empty", crate::text::and_list(&keys)),
                    Some(
                        "fill in each value; the comment beside each key says what goes there"
                            .into(),
                    ),
                    group.iter().map(|f| (&f.primary, true)).collect(),
                )
            };
        let mut shown = Shown {
            finding,
            message,
            help,
            source,
            labels: Vec::new(),
            unshown: None,
            more: labels.len().saturating_sub(MOST_SHOWN_LABELS + 1),
        };
        // A file that could not be read has no text to show.
        if file.text.is_empty() {
            return shown;
        }
        for (label, primary) in labels.into_iter().take(MOST_SHOWN_LABELS + 1) {
            let mut span = label.span.clone();
            let (start, end) = file.range(&span);
            if end.line - start.line > TALLEST_SHOWN_SPAN {
                span.end = file.line_of(span.start).end.max(span.start);
            }
            if file.too_long_to_show(span.start) || file.too_long_to_show(span.end) {
                shown.labels.clear();
                shown.unshown = Some(file.unshown(finding.primary.span.start));
                return shown;
            }
            let text = label.text.clone();
            shown.labels.push(if primary && shown.labels.is_empty() {
                LabeledSpan::new_primary_with_span(text, span)
            } else {
                LabeledSpan::new_with_span(text, span)
            });
        }
        shown
    }
}

/// The file's text as miette reads it, with three fixes:
/// - miette finds a span's lines by scanning the text from its start, once
///   per label, which made a report quadratic in the file's size; here its
///   scan runs only over the few lines around the span, found with the line
///   index;
/// - miette 7.6 reports the line count of a snippet as its last line number,
///   and so merges labels that are far apart into one snippet with every
///   line between them; this reports the true count, so that distant labels
///   get snippets of their own;
/// - a context line (above or below the lines a label is on) longer than the
///   terminal, such as a long comment, is cut with an ellipsis.
struct Snippets {
    file: crate::source::SourceFile,
    /// Context lines longer than this (in characters) are cut.
    widest: usize,
    /// The cut excerpts handed to miette, kept for as long as it reads them.
    cut: elsa::sync::FrozenVec<Box<[u8]>>,
}

impl Snippets {
    fn new(file: crate::source::SourceFile, width: usize) -> Snippets {
        Snippets {
            file,
            // The gutter ("12 │ ") takes about eight columns.
            widest: width.saturating_sub(10).max(20),
            cut: elsa::sync::FrozenVec::new(),
        }
    }

    /// `data` (lines from `start` in the file) with its context lines cut
    /// where they are too long: lines that end before `wanted` starts or
    /// begin after it ends. Returns the new data and how many bytes were
    /// removed before `wanted` (the data's offset moves by that much, so
    /// that every label stays where it is).
    fn cut_context(
        &self,
        data: &[u8],
        start: usize,
        wanted: &std::ops::Range<usize>,
    ) -> Option<(Vec<u8>, usize)> {
        let text = std::str::from_utf8(data).ok()?;
        let mut out = String::with_capacity(text.len());
        let mut removed_before = 0;
        let mut changed = false;
        let mut at = start;
        for line in text.split_inclusive('\n') {
            let body = line.trim_end_matches(['\n', '\r']);
            let ending = &line[body.len()..];
            let context = at + line.len() <= wanted.start || at > wanted.end;
            let long = body.chars().count() > self.widest + 3;
            if context && long {
                let kept: String = body.chars().take(self.widest - 1).collect();
                let removed = body.len() - kept.len();
                out.push_str(&kept);
                out.push('…');
                out.push_str(ending);
                if at < wanted.start {
                    // The ellipsis is three bytes of the line's own.
                    removed_before += removed - '…'.len_utf8();
                }
                changed = true;
            } else {
                out.push_str(line);
            }
            at += line.len();
        }
        changed.then(|| (out.into_bytes(), removed_before))
    }
}

impl SourceCode for Snippets {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let file = &self.file;
        let wanted = span.offset()..span.offset() + span.len();
        if wanted.end > file.text.len() {
            return Err(MietteError::OutOfBounds);
        }
        // One line more than asked after the span: miette stops at the line
        // break that ends the last context line.
        let (first_line, window) = file.lines_around(
            &wanted,
            context_lines_before,
            context_lines_after.saturating_add(1),
        );
        let text = &file.text.as_bytes()[window.clone()];
        let within = SourceSpan::new((wanted.start - window.start).into(), span.len());
        let inner = text.read_span(&within, context_lines_before, context_lines_after)?;
        let mut data = inner.data();
        let mut offset = inner.span().offset() + window.start;
        if let Some((cut, removed_before)) = self.cut_context(data, offset, &wanted) {
            data = self.cut.push_get(cut.into_boxed_slice());
            offset += removed_before;
        }
        let newlines = data.iter().filter(|b| **b == b'\n').count();
        let lines = newlines + usize::from(!data.ends_with(b"\n"));
        let at = SourceSpan::new(offset.into(), data.len());
        Ok(Box::new(MietteSpanContents::new_named(
            file.name.clone(),
            data,
            at,
            inner.line() + first_line,
            inner.column(),
            lines,
        )))
    }
}

impl fmt::Debug for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Shown")
            .field("rule", &self.finding.rule)
            .finish()
    }
}

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if self.more > 0 {
            write!(f, " ({} more places not shown)", self.more)?;
        }
        match &self.unshown {
            Some(where_) => write!(f, " {where_}"),
            None => Ok(()),
        }
    }
}

impl std::error::Error for Shown<'_> {}

impl Diagnostic for Shown<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(self.finding.rule.as_str()))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.finding.severity {
            Severity::Error => miette::Severity::Error,
            _ => miette::Severity::Warning,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        let help = self.help.as_deref();
        let source = self.finding.source.as_ref().map(|s| {
            let urls = &self.finding.source_urls;
            if urls.is_empty() {
                format!("source: {s}")
            } else {
                format!("source: {s}\n{}", urls.join("\n"))
            }
        });
        match (help, source) {
            (None, None) => None,
            (Some(h), None) => Some(Box::new(h)),
            (None, Some(s)) => Some(Box::new(s)),
            (Some(h), Some(s)) => Some(Box::new(format!("{h}\n{s}"))),
        }
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&*self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() {
            return None;
        }
        Some(Box::new(self.labels.iter().cloned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_stay_with_their_currency_when_wrapped() {
        let words: Vec<String> = words("the grant of EUR 550,000 is above the cap")
            .map(|w| w.word.to_string())
            .collect();
        assert!(words.contains(&"EUR 550,000".to_string()), "{words:?}");
        assert!(words.contains(&"cap".to_string()));
        let option: Vec<String> =
            super::words("check it: `escp check --today 2020-12-01` (or `--now`)")
                .map(|w| w.word.to_string())
                .collect();
        assert!(
            option.contains(&"--today 2020-12-01`".to_string()),
            "{option:?}"
        );
        assert!(option.contains(&"`--now`)".to_string()), "{option:?}");
    }

    #[test]
    fn long_context_lines_are_cut_and_labels_keep_their_offsets() {
        let comment = format!("# {}", "x".repeat(300));
        let text = format!("{comment}\ncountry = \"CH\"\n{comment}\n");
        let file = crate::source::SourceFile::new("t", &text);
        let snippets = Snippets::new(file, 80);
        let at = text.find("\"CH\"").unwrap();
        let span = SourceSpan::new(at.into(), 4);
        let contents = snippets.read_span(&span, 1, 1).unwrap();
        let data = std::str::from_utf8(contents.data()).unwrap();
        assert!(data.lines().all(|l| l.chars().count() <= 70), "{data}");
        assert!(data.contains("…"));
        // The label's text sits at its offset within the cut data.
        let into = at - contents.span().offset();
        assert_eq!(&data[into..into + 4], "\"CH\"");
    }
}
