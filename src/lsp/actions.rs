//! Code actions: the findings' own fixes ([`crate::finding::Fix`]), never
//! a repair made up here. Each fix of a finding under the requested range
//! is a quick fix; "fix all" applies every safe fix of the file that does not
//! clash with another (the same set `escp check --fix` applies).

use super::convert::{self, LineIndex, Presentation};
use crate::finding::{Edit, Finding, Fix};
use crate::source::Span;
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, DocumentChanges, OneOf,
    OptionalVersionedTextDocumentIdentifier, TextDocumentEdit, TextEdit, Uri, WorkspaceEdit,
};
use std::collections::HashMap;

/// The kind of the "fix all" action.
pub const FIX_ALL: &str = "source.fixAll.escp";

/// Where the actions go and how edits are sent.
pub struct Target<'a> {
    pub uri: &'a Uri,
    /// The document's version: edits are sent for that version when the
    /// client takes versioned edits (`documentChanges`).
    pub version: Option<i32>,
    pub document_changes: bool,
    pub index: &'a LineIndex<'a>,
    /// Bytes before the text the findings' spans count from (a BOM).
    pub shift: usize,
    pub how: &'a Presentation,
}

/// Whether the client asked for actions of `kind` (`only` absent: all).
fn wanted(only: Option<&[CodeActionKind]>, kind: &str) -> bool {
    only.is_none_or(|only| {
        only.iter().any(|k| {
            let k = k.as_str();
            kind == k || kind.starts_with(&format!("{k}."))
        })
    })
}

/// The actions for `range` (bytes of the document).
pub fn actions(
    findings: &[Finding],
    // Repairs that no finding carries (a strand written loosely).
    extra: &[Fix],
    range: Span,
    only: Option<&[CodeActionKind]>,
    target: &Target<'_>,
) -> Vec<CodeActionOrCommand> {
    let mut out = Vec::new();
    let text = &target.index.text()[target.shift..];
    let touches = |span: &Span| {
        let (start, end) = (span.start + target.shift, span.end + target.shift);
        start <= range.end && range.start <= end
    };
    // A fix whose edits do not fit the text is not offered.
    let quick_fix = |fix: &Fix, diagnostics, is_preferred| {
        let fixed = crate::fix::apply(text, [fix]);
        (!fixed.applied.is_empty()).then(|| {
            CodeActionOrCommand::CodeAction(CodeAction {
                title: fix.title.clone(),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics,
                edit: Some(edit(target, &fixed.edits)),
                is_preferred,
                ..CodeAction::default()
            })
        })
    };
    if wanted(only, CodeActionKind::QUICKFIX.as_str()) {
        for finding in findings.iter().filter(|f| touches(&f.primary.span)) {
            let diagnostic =
                convert::diagnostic(finding, target.index, target.shift, target.uri, target.how);
            let preferred = Some(finding.fixes.len() == 1);
            out.extend(
                finding
                    .fixes
                    .iter()
                    .filter_map(|fix| quick_fix(fix, Some(vec![diagnostic.clone()]), preferred)),
            );
        }
        out.extend(
            extra
                .iter()
                .filter(|fix| fix.edits.iter().any(|e| touches(&e.span)))
                .filter_map(|fix| quick_fix(fix, None, None)),
        );
    }
    if wanted(only, FIX_ALL) {
        let fixed = crate::fix::apply(text, crate::fix::safe(findings, extra));
        if !fixed.applied.is_empty() {
            out.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: format!(
                    "Apply every safe escp fix ({})",
                    crate::text::plural(fixed.applied.len(), "fix", "fixes")
                ),
                kind: Some(CodeActionKind::new(FIX_ALL)),
                edit: Some(edit(target, &fixed.edits)),
                ..CodeAction::default()
            }));
        }
    }
    out
}

/// `edits` (bytes of the text the findings count from) as a workspace edit.
fn edit(target: &Target<'_>, edits: &[Edit]) -> WorkspaceEdit {
    let edits: Vec<TextEdit> = edits
        .iter()
        .map(|e| TextEdit {
            range: target
                .index
                .range(&(e.span.start + target.shift..e.span.end + target.shift)),
            new_text: e.text.clone(),
        })
        .collect();
    if target.document_changes {
        WorkspaceEdit {
            document_changes: Some(DocumentChanges::Edits(vec![TextDocumentEdit {
                text_document: OptionalVersionedTextDocumentIdentifier {
                    uri: target.uri.clone(),
                    version: target.version,
                },
                edits: edits.into_iter().map(OneOf::Left).collect(),
            }])),
            ..WorkspaceEdit::default()
        }
    } else {
        WorkspaceEdit {
            changes: Some(HashMap::from([(target.uri.clone(), edits)])),
            ..WorkspaceEdit::default()
        }
    }
}
