//! Between the library's byte offsets and LSP positions, and from findings
//! to LSP diagnostics.
//!
//! LSP counts a position's `character` in UTF-16 code units unless the
//! client and server agree on another encoding (`positionEncoding`); escp
//! offers UTF-8 when the client can take it (no conversion at all) and
//! converts to UTF-16 (or UTF-32) otherwise. LSP's line breaks are `\n`,
//! `\r\n` and a lone `\r`.

use crate::finding::{Finding, Severity};
use crate::pipeline::{FileReport, Status};
use crate::source::Span;
use lsp_types::{
    CodeDescription, Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location,
    NumberOrString, Position, PositionEncodingKind, Range, Uri,
};

/// How a position's `character` is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
    Utf32,
}

impl Encoding {
    /// The encoding to use given the client's preferences (in its order of
    /// preference): UTF-8 if offered, else UTF-16, LSP's default, which
    /// every client supports.
    pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Encoding {
        let offered = offered.unwrap_or_default();
        if offered.contains(&PositionEncodingKind::UTF8) {
            Encoding::Utf8
        } else if offered.contains(&PositionEncodingKind::UTF16) || offered.is_empty() {
            Encoding::Utf16
        } else if offered.contains(&PositionEncodingKind::UTF32) {
            Encoding::Utf32
        } else {
            Encoding::Utf16
        }
    }

    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
            Encoding::Utf32 => PositionEncodingKind::UTF32,
        }
    }

    fn units(self, c: char) -> usize {
        match self {
            Encoding::Utf8 => c.len_utf8(),
            Encoding::Utf16 => c.len_utf16(),
            Encoding::Utf32 => 1,
        }
    }
}

/// The lines of a text, to turn byte offsets into LSP positions and back.
#[derive(Debug, Clone)]
pub struct LineIndex<'a> {
    text: &'a str,
    /// The byte offset where each line starts.
    starts: Vec<usize>,
    encoding: Encoding,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str, encoding: Encoding) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        for (i, &b) in bytes.iter().enumerate() {
            let breaks = b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
            if breaks {
                starts.push(i + 1);
            }
        }
        LineIndex {
            text,
            starts,
            encoding,
        }
    }

    pub fn text(&self) -> &'a str {
        self.text
    }

    /// The bytes of line `line` (0-based), without its line break.
    pub fn line(&self, line: usize) -> Span {
        let Some(&start) = self.starts.get(line) else {
            return self.text.len()..self.text.len();
        };
        let mut end = self
            .starts
            .get(line + 1)
            .copied()
            .unwrap_or(self.text.len());
        let bytes = self.text.as_bytes();
        if end > start && bytes[end - 1] == b'\n' {
            end -= 1;
        }
        if end > start && bytes[end - 1] == b'\r' {
            end -= 1;
        }
        start..end
    }

    /// The 0-based line that holds byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset) - 1
    }

    /// The position of byte `offset` (clamped to the text, and moved back
    /// to the start of a character it falls inside).
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_of(offset);
        let start = self.starts[line];
        // Within a line break (between \r and \n) the position is the
        // line's end.
        let end = self.line(line).end.max(start);
        let upto = &self.text[start..offset.min(end)];
        let character = match self.encoding {
            Encoding::Utf8 => upto.len(),
            encoding => upto.chars().map(|c| encoding.units(c)).sum(),
        };
        Position::new(
            u32::try_from(line).unwrap_or(u32::MAX),
            u32::try_from(character).unwrap_or(u32::MAX),
        )
    }

    /// The byte offset of a position: a line past the end is the end of the
    /// text, a character past the end of its line is the line's end, and a
    /// character inside a multi-unit character is that character's start.
    pub fn offset(&self, position: Position) -> usize {
        let line = self.line(position.line as usize);
        let wanted = position.character as usize;
        let mut units = 0;
        for (i, c) in self.text[line.clone()].char_indices() {
            let next = units + self.encoding.units(c);
            if next > wanted {
                return line.start + i;
            }
            units = next;
        }
        line.end
    }

    pub fn range(&self, span: &Span) -> Range {
        Range::new(self.position(span.start), self.position(span.end))
    }

    /// The bytes of a range, its ends put in order.
    pub fn span(&self, range: Range) -> Span {
        let (a, b) = (self.offset(range.start), self.offset(range.end));
        a.min(b)..a.max(b)
    }
}

/// What turning a report into diagnostics needs besides the report.
#[derive(Debug, Clone, Default)]
pub struct Presentation {
    /// The base address of the rules' documentation (e.g. a repository's
    /// `docs/rules.md`): a diagnostic links to `{docs_url}#{rule}`.
    pub docs_url: Option<String>,
}

/// The diagnostics of a report on the document `uri`, whose text `index`
/// indexes. `shift` is the number of bytes the pipeline did not see at the
/// start of the document (a byte-order mark); `call` is where the `call`
/// value is, for the readiness verdict.
pub fn diagnostics(
    report: &FileReport,
    index: &LineIndex<'_>,
    shift: usize,
    uri: &Uri,
    call: Option<Span>,
    how: &Presentation,
) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = report
        .findings
        .iter()
        .map(|f| diagnostic(f, index, shift, uri, how))
        .collect();
    out.push(readiness(report, index, call));
    out
}

fn shifted(span: &Span, shift: usize) -> Span {
    span.start + shift..span.end + shift
}

/// One finding as an LSP diagnostic: code = rule id, the help and the
/// source of the rule in the message, the secondary labels as related
/// information.
pub fn diagnostic(
    finding: &Finding,
    index: &LineIndex<'_>,
    shift: usize,
    uri: &Uri,
    how: &Presentation,
) -> Diagnostic {
    let mut message = finding.message.clone();
    if let Some(help) = &finding.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    if let Some(source) = &finding.source {
        message.push_str("\nsource: ");
        message.push_str(source);
    }
    let related: Vec<DiagnosticRelatedInformation> = finding
        .secondary
        .iter()
        .map(|label| DiagnosticRelatedInformation {
            location: Location::new(uri.clone(), index.range(&shifted(&label.span, shift))),
            message: label
                .text
                .clone()
                .unwrap_or_else(|| finding.message.clone()),
        })
        .collect();
    let code_description = how.docs_url.as_deref().and_then(|base| {
        format!("{base}#{}", finding.rule.as_str())
            .parse::<Uri>()
            .ok()
            .map(|href| CodeDescription { href })
    });
    Diagnostic {
        range: index.range(&shifted(&finding.primary.span, shift)),
        severity: Some(match finding.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
        }),
        code: Some(NumberOrString::String(finding.rule.as_str().to_string())),
        code_description,
        source: Some("escp".into()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: None,
    }
}

/// The readiness verdict, as `escp check` ends its report, on the `call`
/// line: an information diagnostic ("NOT READY: 8 errors, 0 warnings · 18
/// checks: 11 pass, 7 fail, 0 warn, 0 skip"), with each skipped check and
/// what it needs on a line of its own.
pub fn readiness(report: &FileReport, index: &LineIndex<'_>, call: Option<Span>) -> Diagnostic {
    let range = match call {
        Some(span) => index.range(&span),
        None => Range::default(),
    };
    Diagnostic {
        range,
        severity: Some(DiagnosticSeverity::INFORMATION),
        code: None,
        code_description: None,
        source: Some("escp".into()),
        message: verdict(report),
        related_information: None,
        tags: None,
        data: None,
    }
}

/// The verdict in words. The word is the readiness as the JSON report
/// spells it (`not-ready` -> "NOT READY"), so a readiness added to the
/// library later is shown without a change here.
pub fn verdict(report: &FileReport) -> String {
    let word = serde_json::to_value(report.readiness)
        .ok()
        .and_then(|v| v.as_str().map(|s| s.replace('-', " ").to_uppercase()))
        .unwrap_or_else(|| "UNCHECKED".into());
    let errors = report.count(Severity::Error);
    let warnings = report.count(Severity::Warning);
    let plural = crate::text::plural;
    let mut out = format!(
        "{word}: {}, {}",
        plural(errors, "error", "errors"),
        plural(warnings, "warning", "warnings")
    );
    if !report.checks.is_empty() {
        let tally = |s: Status| report.checks.iter().filter(|c| c.status == s).count();
        out.push_str(&format!(
            " · {}: {} pass, {} fail, {} warn, {} skip",
            plural(report.checks.len(), "check", "checks"),
            tally(Status::Pass),
            tally(Status::Fail),
            tally(Status::Warn),
            tally(Status::Skip)
        ));
    }
    if let Some(call) = &report.call {
        let strand = report
            .strand
            .as_deref()
            .map(|s| format!(" strand {s}"))
            .unwrap_or_default();
        out.push_str(&format!("\n{}{strand}: {}", call.id, call.title));
    }
    for check in report.checks.iter().filter(|c| c.status == Status::Skip) {
        out.push_str(&format!("\nskip {}: {}", check.rule, check.detail));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_counts_units_and_utf8_bytes() {
        // "Ελλάδα" is 6 characters, 12 bytes, 6 UTF-16 units; "𝔾" is 4
        // bytes and 2 units.
        let text = "name = \"Ελλάδα\" # 𝔾x\r\nnext\n";
        let x = text.find('x').unwrap();
        let utf16 = LineIndex::new(text, Encoding::Utf16);
        let utf8 = LineIndex::new(text, Encoding::Utf8);
        let utf32 = LineIndex::new(text, Encoding::Utf32);
        assert_eq!(utf16.position(x), Position::new(0, 20));
        assert_eq!(utf8.position(x), Position::new(0, x as u32));
        assert_eq!(utf32.position(x), Position::new(0, 19));
        for index in [&utf16, &utf8, &utf32] {
            assert_eq!(index.offset(index.position(x)), x);
            let next = text.find("next").unwrap();
            assert_eq!(index.position(next), Position::new(1, 0));
            assert_eq!(index.offset(Position::new(1, 0)), next);
        }
    }

    #[test]
    fn positions_past_the_end_and_inside_characters_are_clamped() {
        let text = "é𝔾\nab";
        let index = LineIndex::new(text, Encoding::Utf16);
        // Inside the surrogate pair of 𝔾: its start.
        assert_eq!(index.offset(Position::new(0, 2)), 2);
        assert_eq!(index.offset(Position::new(0, 99)), "é𝔾".len());
        assert_eq!(index.offset(Position::new(9, 0)), text.len());
        // A byte inside é: the position of é.
        assert_eq!(index.position(1), Position::new(0, 0));
        assert_eq!(index.position(999), Position::new(1, 2));
    }

    #[test]
    fn lone_carriage_returns_break_lines_as_lsp_says() {
        let text = "a\rb\r\nc";
        let index = LineIndex::new(text, Encoding::Utf16);
        assert_eq!(index.position(2), Position::new(1, 0));
        assert_eq!(index.position(5), Position::new(2, 0));
        // Between \r and \n: the end of line 1.
        assert_eq!(index.position(4), Position::new(1, 1));
        assert_eq!(index.line(1), 2..3);
    }

    #[test]
    fn utf8_is_chosen_when_offered_else_utf16() {
        let offer = |kinds: &[PositionEncodingKind]| Encoding::negotiate(Some(kinds));
        assert_eq!(
            offer(&[PositionEncodingKind::UTF16, PositionEncodingKind::UTF8]),
            Encoding::Utf8
        );
        assert_eq!(offer(&[PositionEncodingKind::UTF16]), Encoding::Utf16);
        assert_eq!(offer(&[PositionEncodingKind::UTF32]), Encoding::Utf32);
        assert_eq!(Encoding::negotiate(None), Encoding::Utf16);
    }
}
