//! What a rule sees while it checks one file ([`Cx`]), and what it returns
//! besides its findings ([`Verdict`]).

use crate::clock::Clock;
use crate::consortium::{Consortium, Field};
use crate::finding::{Finding, Severity};
use crate::rule_id::RuleId;
use crate::ruleset::groups::Group;
use crate::ruleset::{RuleSetting, Ruleset, Strand};
use crate::source::{SourceFile, Span};
use crate::text::and_list;

/// The outcome of one rule on one file, besides the findings it emitted.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// Judged on all the data it needs; the detail line of the readiness summary.
    Checked(String),
    /// Not judged, or judged on part of the data only (a check never passes
    /// on data it could not read). If it emitted an error on what it did
    /// judge, it still fails.
    Skipped(Skip),
}

/// Why a check did not run on everything it needs.
#[derive(Debug, Clone, PartialEq)]
pub struct Skip {
    /// The detail line: what it could judge, and what it could not.
    pub detail: String,
    /// The keys to add or fix for the check to run.
    pub keys: Vec<String>,
}

impl Verdict {
    pub fn skip(detail: impl Into<String>, keys: &[&str]) -> Verdict {
        Verdict::Skipped(Skip {
            detail: detail.into(),
            keys: keys.iter().map(|k| k.to_string()).collect(),
        })
    }
}

/// What the rules work out from the file alone, once per file: each rule
/// runs once per reading of its parameter, and three rules read the target
/// markets (their resolution was a tenth of a batch's rule time).
#[derive(Default)]
pub struct PerFile {
    markets: std::cell::OnceCell<super::markets::Markets>,
}

/// What a rule sees while it checks one file.
pub struct Cx<'a> {
    pub consortium: &'a Consortium,
    pub source: &'a SourceFile,
    pub call: &'a Ruleset,
    /// The file's strand, if the call has strands and the file names one.
    pub strand: Option<&'a Strand>,
    /// When the check is made (`--now`, `--today`, or the system clock).
    pub clock: Clock,
    pub rule: RuleId,
    pub setting: &'a RuleSetting,
    /// Shared by every rule run on this file.
    pub per_file: &'a PerFile,
    pub(crate) findings: Vec<Finding>,
    /// Safe repairs that no finding carries (a strand written loosely).
    pub(crate) fixes: Vec<crate::finding::Fix>,
}

impl<'a> Cx<'a> {
    /// The file's target markets, resolved on first use.
    pub(crate) fn markets(&self) -> &'a super::markets::Markets {
        let per_file: &'a PerFile = self.per_file;
        per_file
            .markets
            .get_or_init(|| super::markets::Markets::of(self.consortium))
    }

    /// A finding of this rule, with its severity and citation.
    pub fn finding(&self, span: Span, message: impl Into<String>) -> Finding {
        let cite = self.setting.citation(self.call);
        let mut finding = Finding::new(self.rule, span, message)
            .severity(self.setting.severity)
            .source(cite.text);
        finding.source_urls = cite.urls;
        finding
    }

    pub fn emit(&mut self, finding: Finding) {
        self.findings.push(finding);
    }

    /// Emits a finding that rests on an inferred fact: at most a warning,
    /// with the inference explained.
    pub fn emit_inferred(&mut self, mut finding: Finding, why: &str) {
        finding.severity = Severity::Warning;
        let help = finding
            .help
            .take()
            .map(|h| format!("{h}\n"))
            .unwrap_or_default();
        finding = finding.help(format!("{help}inferred, not confirmed: {why}"));
        self.findings.push(finding);
    }

    /// The date eligibility is judged on: the call's deadline.
    pub fn deadline(&self) -> jiff::civil::Date {
        self.call.deadline.date
    }

    /// A country group named by the rule's parameters (checked at load time).
    pub fn group(&self, name: &str) -> &'a Group {
        self.call
            .group(name)
            .expect("ruleset loading checks that every group a rule names exists")
    }

    /// Where consortium-wide findings point: the `call` value.
    pub fn call_span(&self) -> Span {
        self.consortium.call.span_or(&(0..0))
    }

    /// "COS-CLUSINT-2020-3-01 strand A", or just the id.
    pub fn call_name(&self) -> String {
        match self.strand {
            Some(s) => format!("{} strand {}", self.call.id, s.id),
            None => self.call.id.clone(),
        }
    }

    /// The setting of another rule of the call, for this file's strand.
    pub fn setting_of(&self, rule: RuleId) -> Option<&'a RuleSetting> {
        let strand = self
            .strand
            .and_then(|s| self.call.strands.iter().position(|t| t.id == s.id));
        match self.call.entry(rule)?.setting(strand) {
            crate::ruleset::StrandSetting::Applies(s) => Some(s),
            _ => None,
        }
    }

    /// "line 12", "lines 12 and 20", "lines 12, 20, 31 and 4 more".
    pub fn lines(&self, spans: &[Span]) -> String {
        let mut lines: Vec<usize> = spans
            .iter()
            .map(|s| self.source.position(s.start).line)
            .collect();
        lines.sort_unstable();
        lines.dedup();
        let shown: Vec<String> = lines.iter().take(3).map(|l| l.to_string()).collect();
        let more = lines.len().saturating_sub(3);
        match (lines.len(), more) {
            (0, _) => String::new(),
            (1, _) => format!("line {}", shown[0]),
            (_, 0) => format!("lines {}", and_list(&shown)),
            _ => format!("lines {} and {more} more", shown.join(", ")),
        }
    }
}

/// The value of a `[proposal]` key a rule needs, or the skip that says
/// what to add or fix.
pub(crate) fn needed<'f, T>(
    cx: &Cx<'_>,
    field: &'f Field<T>,
    key: &str,
) -> Result<&'f crate::consortium::Sp<T>, Verdict> {
    match field {
        Field::Given(sp) => Ok(sp),
        Field::Absent => Err(Verdict::skip(format!("add `{key}` to [proposal]"), &[key])),
        Field::Lost(at) => Err(Verdict::skip(
            format!(
                "`{key}` could not be read ({}): fix it",
                cx.lines(std::slice::from_ref(at))
            ),
            &[key],
        )),
    }
}
