//! The requests an editor makes: hover, completion and code actions.

use super::convert::LineIndex;
use super::documents::{applies, Cx};
use super::{actions, complete, hover, worker, Server};
use lsp_server::{ErrorCode, Request, Response};
use lsp_types::{
    CodeActionParams, CompletionItem, CompletionItemKind, CompletionParams, CompletionTextEdit,
    Documentation, Hover, HoverContents, HoverParams, InsertTextFormat, MarkupContent, MarkupKind,
    TextEdit, Uri,
};
use std::sync::Arc;

/// The largest document checked on the main loop when a code action is
/// asked for before the background check of its latest version is done
/// (a typical file takes well under a millisecond).
const CHECK_NOW_UP_TO: usize = 256 * 1024;

impl Server<'_> {
    pub(super) fn request(&mut self, request: Request) -> Response {
        let id = request.id.clone();
        let invalid = |e: String| Response::new_err(id.clone(), ErrorCode::InvalidParams as i32, e);
        match request.method.as_str() {
            "textDocument/hover" => match request.extract::<HoverParams>("textDocument/hover") {
                Ok((id, p)) => {
                    let pos = p.text_document_position_params;
                    Response::new_ok(id, self.hover(&pos.text_document.uri, pos.position))
                }
                Err(e) => invalid(e.to_string()),
            },
            "textDocument/completion" => {
                match request.extract::<CompletionParams>("textDocument/completion") {
                    Ok((id, p)) => {
                        let pos = p.text_document_position;
                        Response::new_ok(id, self.complete(&pos.text_document.uri, pos.position))
                    }
                    Err(e) => invalid(e.to_string()),
                }
            }
            "textDocument/codeAction" => {
                match request.extract::<CodeActionParams>("textDocument/codeAction") {
                    Ok((id, p)) => Response::new_ok(id, self.code_actions(&p)),
                    Err(e) => invalid(e.to_string()),
                }
            }
            _ => Response::new_err(
                id.clone(),
                ErrorCode::MethodNotFound as i32,
                format!("escp does not handle {}", request.method),
            ),
        }
    }

    /// Runs `f` with the document's context: the findings are those of the
    /// last check if it was of the current text.
    fn with_cx<T>(&self, uri: &Uri, f: impl FnOnce(&Cx<'_>, &LineIndex<'_>) -> T) -> Option<T> {
        let doc = self.docs.get(uri.as_str())?;
        // A document too large has no text to speak of.
        let text = doc.text()?;
        if !applies(uri, text) {
            return None;
        }
        let shared = worker::lock(&self.shared);
        let findings = shared
            .checked
            .get(uri.as_str())
            .filter(|c| c.version == doc.version && Arc::ptr_eq(&c.text, text))
            .map(|c| c.findings())
            .unwrap_or(&[]);
        // Nor when the ruleset folders cannot be read: no call is known.
        let catalog = self.env.catalog.as_ref().ok()?;
        let cx = Cx {
            text,
            catalog,
            clock: crate::clock::Clock::from_args(None, self.env.today),
            findings,
            shift: worker::bom(text),
        };
        let index = LineIndex::new(text, self.env.encoding);
        Some(f(&cx, &index))
    }

    fn hover(&self, uri: &Uri, position: lsp_types::Position) -> Option<Hover> {
        let markdown = self.caps.markdown_hover;
        self.with_cx(uri, |cx, index| {
            let (text, span) = hover::hover(cx, index.offset(position))?;
            Some(Hover {
                contents: HoverContents::Markup(MarkupContent {
                    kind: if markdown {
                        MarkupKind::Markdown
                    } else {
                        MarkupKind::PlainText
                    },
                    value: text,
                }),
                range: Some(index.range(&span)),
            })
        })
        .flatten()
    }

    fn complete(&self, uri: &Uri, position: lsp_types::Position) -> Vec<CompletionItem> {
        let snippets = self.caps.snippets;
        self.with_cx(uri, |cx, index| {
            complete::complete(cx, index.offset(position), snippets)
                .into_iter()
                .map(|item| completion_item(item, index))
                .collect()
        })
        .unwrap_or_default()
    }

    fn code_actions(&self, p: &CodeActionParams) -> Vec<lsp_types::CodeActionOrCommand> {
        let uri = &p.text_document.uri;
        let Some(doc) = self.docs.get(uri.as_str()) else {
            return Vec::new();
        };
        let Some(text) = doc.text() else {
            return Vec::new();
        };
        if !applies(uri, text) {
            return Vec::new();
        }
        // The fixes' spans are bytes of the text that was checked: the last
        // check if it was of the current text, else a check now.
        let shared = worker::lock(&self.shared);
        let last = shared
            .checked
            .get(uri.as_str())
            .filter(|c| c.version == doc.version && Arc::ptr_eq(&c.text, text));
        // A small file is checked here and now; a large one only in the
        // background (its actions come once its diagnostics are published,
        // when clients ask again), so that asking never makes the editor wait.
        let now;
        let (findings, fixes) = match last {
            Some(checked) => (checked.findings(), checked.fixes()),
            None if text.len() <= CHECK_NOW_UP_TO => {
                now = worker::check(uri, text, &self.env).ok();
                now.as_ref()
                    .map(|r| (r.findings.as_slice(), r.fixes.as_slice()))
                    .unwrap_or((&[], &[]))
            }
            None => (&[][..], &[][..]),
        };
        let index = LineIndex::new(text, self.env.encoding);
        let target = actions::Target {
            uri,
            version: Some(doc.version),
            document_changes: self.caps.document_changes,
            index: &index,
            shift: worker::bom(text),
            how: &self.env.how,
        };
        let range = index.span(p.range);
        actions::actions(findings, fixes, range, p.context.only.as_deref(), &target)
    }
}

fn completion_item(item: complete::Item, index: &LineIndex<'_>) -> CompletionItem {
    use complete::ItemKind as K;
    CompletionItem {
        label: item.label,
        kind: Some(match item.kind {
            K::Key => CompletionItemKind::PROPERTY,
            K::Table => CompletionItemKind::MODULE,
            K::Word | K::Boolean => CompletionItemKind::ENUM_MEMBER,
            K::Country | K::Region => CompletionItemKind::VALUE,
            K::Call | K::Strand => CompletionItemKind::CONSTANT,
        }),
        detail: item.detail,
        documentation: item.documentation.map(Documentation::String),
        filter_text: item.filter,
        sort_text: item.sort,
        insert_text_format: Some(if item.snippet {
            InsertTextFormat::SNIPPET
        } else {
            InsertTextFormat::PLAIN_TEXT
        }),
        text_edit: Some(CompletionTextEdit::Edit(TextEdit {
            range: index.range(&item.replace),
            new_text: item.text,
        })),
        ..CompletionItem::default()
    }
}
