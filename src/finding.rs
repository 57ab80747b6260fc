//! The one diagnostic type that every check produces and every reporter reads.

use crate::rule_id::RuleId;
use crate::source::Span;
use serde::Serialize;

/// How serious a finding is. Errors make a consortium "not ready".
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Severity {
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// Whether a fact (a rule's parameter, a country's membership of a group) is
/// stated by a source, disputed between sources, or deduced. A consortium
/// is judged under every plausible reading of the fact: a failure under
/// every reading is an error, under only some a warning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Basis {
    /// A source states it.
    Confirmed,
    /// Sources disagree: the value used and another reading are both known.
    Contested,
    /// No source states it; it is deduced.
    Inferred,
}

impl Basis {
    pub fn as_str(self) -> &'static str {
        match self {
            Basis::Confirmed => "confirmed",
            Basis::Contested => "contested",
            Basis::Inferred => "inferred",
        }
    }
}

/// A labelled span in the checked file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub text: Option<String>,
}

/// One problem found in one file.
#[derive(Debug, Clone)]
pub struct Finding {
    pub rule: RuleId,
    pub severity: Severity,
    /// What is wrong, in the user's terms.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
    /// Where the rule comes from: the public sources that state the
    /// parameter, with the short quote, and whether it is confirmed.
    pub source: Option<String>,
    /// The addresses of those sources (and of any data the finding rests
    /// on, such as a region's member list).
    pub source_urls: Vec<String>,
    /// The offending value; its position is the finding's position.
    pub primary: Label,
    /// Other places that explain the finding (e.g. the entries that count).
    pub secondary: Vec<Label>,
    /// Safe, mechanical repairs (a country name to its code, a misspelt key
    /// to the key meant): offered as quick fixes in the editor and applied by
    /// `escp check --fix`. Only what escp knows for sure is ever offered.
    pub fixes: Vec<Fix>,
    /// For an empty value (a starter file's placeholder): the header of its
    /// table, so that the human report can show a table's empty keys in one
    /// diagnostic.
    pub placeholder_in: Option<Span>,
}

/// A repair of the checked file: text edits that belong together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    /// What the fix does, in words ("write the code \"DE\"").
    pub title: String,
    /// Non-overlapping edits of the original text.
    pub edits: Vec<Edit>,
    /// Whether the fix writes what the user certainly meant (a country's
    /// name to its code, `450.000` to `450000`): `check --fix` and the
    /// editor's "fix all" apply only these. A fix that only scaffolds (a
    /// placeholder `key = ""` to fill in) or guesses by similarity (a key
    /// or word renamed to the closest one) is offered one by one in the
    /// editor and never applied in bulk.
    pub safe: bool,
}

/// Replace the bytes of `span` with `text` (an empty span inserts).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub span: Span,
    pub text: String,
}

impl Fix {
    /// A fix made of one edit.
    pub fn replace(title: impl Into<String>, span: Span, text: impl Into<String>) -> Self {
        Fix {
            title: printable(title),
            edits: vec![Edit {
                span,
                text: text.into(),
            }],
            safe: true,
        }
    }

    /// The same fix, marked as a quick fix to pick (scaffolding, or a guess
    /// by similarity) rather than a safe repair.
    pub fn scaffold(mut self) -> Self {
        self.safe = false;
        self
    }
}

/// Every text of a finding goes through here: whatever part of it comes
/// from the checked file (a name, a value) cannot drive a terminal or a CI
/// log in any output format (see [`crate::text::printable`]).
fn printable(text: impl Into<String>) -> String {
    crate::text::printable(text.into())
}

impl Finding {
    /// A finding of `rule` at `span`, with the rule's default severity
    /// (format rules: error).
    pub fn new(rule: RuleId, span: Span, message: impl Into<String>) -> Self {
        Finding {
            rule,
            severity: Severity::Error,
            message: printable(message),
            help: None,
            source: None,
            source_urls: Vec::new(),
            primary: Label { span, text: None },
            secondary: Vec::new(),
            fixes: Vec::new(),
            placeholder_in: None,
        }
    }

    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(printable(help));
        self
    }

    pub fn source(mut self, source: impl Into<String>) -> Self {
        self.source = Some(printable(source));
        self
    }

    /// The text shown under the primary span.
    pub fn label(mut self, text: impl Into<String>) -> Self {
        self.primary.text = Some(printable(text));
        self
    }

    /// A safe, mechanical repair of the file.
    pub fn fix(mut self, fix: Fix) -> Self {
        self.fixes.push(fix);
        self
    }

    /// A secondary label.
    pub fn also(mut self, span: Span, text: impl Into<String>) -> Self {
        self.secondary.push(Label {
            span,
            text: Some(printable(text)),
        });
        self
    }
}
