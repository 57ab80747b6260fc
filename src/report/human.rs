//! The default output: each finding as a miette diagnostic with the source
//! lines it points at, then the file's readiness summary.

use super::{fails, RunInfo};
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

/// Writes one file's diagnostics and readiness summary.
pub fn write_file(
    out: &mut dyn Write,
    report: &FileReport,
    run: RunInfo,
    look: Look,
) -> io::Result<()> {
    let handler = GraphicalReportHandler::new_themed(if look.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    })
    .with_width(look.width)
    .with_links(false);
    // What miette echoes of the file is made safe for a terminal, with every
    // byte offset unchanged (see `text::displayable`).
    let name = crate::text::escape(&report.source.name);
    let source = Arc::new(Snippets(report.source.displayable(name)));
    for finding in &report.findings {
        let mut text = String::new();
        let shown = Shown::new(finding, &report.source, source.clone());
        handler
            .render_report(&mut text, &shown)
            .map_err(|_| io::Error::other("cannot format a diagnostic"))?;
        out.write_all(text.as_bytes())?;
    }
    summary(out, report, run, look)
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
        crate::text::escape(&report.source.name),
        verdict(report, run, look)
    )
}

/// After several files: how many are ready.
pub fn write_totals(out: &mut dyn Write, files: &[FileReport], run: RunInfo) -> io::Result<()> {
    let ready = files.iter().filter(|f| !fails(f, run)).count();
    let unchecked = files
        .iter()
        .filter(|f| f.readiness == Readiness::Unchecked)
        .count();
    let not_ready = files.len() - ready - unchecked;
    writeln!(
        out,
        "{} checked: {ready} ready, {not_ready} not ready, {unchecked} unchecked",
        crate::text::plural(files.len(), "file", "files")
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
            &format!("Readiness of {}", crate::text::escape(&report.source.name)),
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
            Status::Skip => ("○ skip", Style::new().dimmed()),
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
    let (word, style) = match report.readiness {
        Readiness::Unchecked => ("UNCHECKED", Style::new().red().bold()),
        Readiness::NotReady => ("NOT READY", Style::new().red().bold()),
        Readiness::Ready if fails(report, run) => {
            ("NOT READY (warnings denied)", Style::new().red().bold())
        }
        Readiness::Ready => ("READY", Style::new().green().bold()),
    };
    let word = if look.color {
        word.style(style).to_string()
    } else {
        word.to_string()
    };
    format!("{word}: {counts}{checks}")
}

/// A label over more lines than this is drawn on its first line only.
const TALLEST_SHOWN_SPAN: usize = 12;
/// At most this many secondary labels are drawn per finding (2,000
/// duplicates of one applicant need not be drawn under each of them).
const MOST_SHOWN_LABELS: usize = 10;

/// A finding as miette sees it.
struct Shown<'a> {
    finding: &'a Finding,
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
    fn new(finding: &'a Finding, file: &crate::source::SourceFile, source: Arc<Snippets>) -> Self {
        let mut shown = Shown {
            finding,
            source,
            labels: Vec::new(),
            unshown: None,
            more: finding.secondary.len().saturating_sub(MOST_SHOWN_LABELS),
        };
        // A file that could not be read has no text to show.
        if file.text.is_empty() {
            return shown;
        }
        let labels = std::iter::once((&finding.primary, true)).chain(
            finding
                .secondary
                .iter()
                .take(MOST_SHOWN_LABELS)
                .map(|l| (l, false)),
        );
        for (label, primary) in labels {
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
            shown.labels.push(if primary {
                LabeledSpan::new_primary_with_span(text, span)
            } else {
                LabeledSpan::new_with_span(text, span)
            });
        }
        shown
    }
}

/// The file's text as miette reads it, with two fixes:
/// - miette finds a span's lines by scanning the text from its start, once
///   per label, which made a report quadratic in the file's size; here its
///   scan runs only over the few lines around the span, found with the line
///   index;
/// - miette 7.6 reports the line count of a snippet as its last line number,
///   and so merges labels that are far apart into one snippet with every
///   line between them; this reports the true count, so that distant labels
///   get snippets of their own.
struct Snippets(crate::source::SourceFile);

impl SourceCode for Snippets {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let file = &self.0;
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
        let data = inner.data();
        let newlines = data.iter().filter(|b| **b == b'\n').count();
        let lines = newlines + usize::from(!data.ends_with(b"\n"));
        let at = SourceSpan::new(
            (inner.span().offset() + window.start).into(),
            inner.span().len(),
        );
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
        f.write_str(&self.finding.message)?;
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
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        let help = self.finding.help.as_deref();
        let source = self.finding.source.as_ref().map(|s| format!("source: {s}"));
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
