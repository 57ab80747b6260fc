//! `escp lsp`: a Language Server Protocol server over standard input and
//! output, for editors (docs/editors.md): the diagnostics of `escp check` as the
//! file is typed, hover, completion and the findings' safe fixes.
//!
//! Built on rust-analyzer's `lsp-server` (a synchronous scaffold: the
//! initialize handshake, a channel of messages) and `lsp-types`; the framing
//! on standard input and output is escp's own ([`transport`]), bounded, and
//! answers a frame that is not a message instead of ending. The
//! library is synchronous and parallel with rayon; an async runtime would
//! add a second model of concurrency for nothing: one worker thread
//! ([`worker`]) runs the checks, debounced, and drops stale results.
//!
//! The server never checks anything itself: it calls
//! [`crate::pipeline::check`] and converts the findings ([`convert`]).
//! Hover and completion read the library's tables (keys, keywords,
//! countries, the catalog of calls, the country groups), and the quick
//! fixes are the findings' own [`crate::finding::Fix`]es.
//!
//! Settings, in `initializationOptions` or `workspace/didChangeConfiguration`
//! (`{"settings": {"escp": {...}}}` or the object itself):
//! - `calls`: folders of extra rulesets (as `--calls`; default `ESCP_CALLS`),
//!   relative to the workspace's root; one that cannot be read stops every
//!   check, as it stops `escp check`;
//! - `docsUrl`: the address of the rules' documentation (e.g. a repository's
//!   `docs/rules.md`); diagnostics link to `{docsUrl}#{rule}`;
//! - `today`: the date of the checks (`YYYY-MM-DD`, as `--today`);
//! - `debounceMs`: the wait after an edit before a check (default 200).
//!
//! Logs go to standard error only (standard output is the protocol); set
//! `ESCP_LSP_LOG` to log each check and its time.

pub mod actions;
pub mod complete;
pub mod convert;
pub mod hover;
pub mod regions;
pub mod syntax;
pub mod transport;
pub mod worker;

use crate::input::MAX_BYTES;
use crate::ruleset::Catalog;
use convert::{Encoding, Presentation};
use lsp_server::{Connection, ErrorCode, Message, Notification, RequestId, Response};
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionProviderCapability, CompletionOptions,
    DidChangeConfigurationParams, DidChangeTextDocumentParams, DidCloseTextDocumentParams,
    DidOpenTextDocumentParams, DidSaveTextDocumentParams, HoverProviderCapability,
    InitializeParams, MarkupKind, MessageType, PublishDiagnosticsParams, SaveOptions,
    ServerCapabilities, ServerInfo, ShowMessageParams, TextDocumentSyncCapability,
    TextDocumentSyncKind, TextDocumentSyncOptions, TextDocumentSyncSaveOptions, Uri,
};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Runs the server on standard input and output until the client says
/// `exit`. The exit code is 0 after `shutdown` then `exit`, 1 otherwise (as
/// LSP asks).
/// `calls` are the ruleset folders used when the client gives none (`escp
/// lsp --calls DIR`; else `ESCP_CALLS`).
pub fn run(calls: Vec<PathBuf>) -> u8 {
    let (connection, io_threads) = match transport::stdio(crate::input::MAX_BYTES) {
        Ok(io) => io,
        Err(e) => {
            log(&format!("cannot start: {e}"));
            return 1;
        }
    };
    let outcome = serve(&connection, calls);
    drop(connection);
    match outcome {
        Ok(clean) => {
            // The reader stopped at `exit` or at the end of the input, so
            // the threads end; joining lets the writer finish writing.
            if let Err(e) = io_threads.join() {
                log(&format!("the connection failed: {e}"));
            }
            if clean {
                0
            } else {
                1
            }
        }
        Err(e) => {
            log(&e);
            1
        }
    }
}

fn log(message: &str) {
    eprintln!("escp lsp: {message}");
}

mod documents;
mod requests;
mod settings;

pub use documents::{applies, display_name, file_path, Cx};
use documents::{workspace_root, Doc};
use settings::{ClientCaps, Settings};

struct Server<'c> {
    conn: &'c Connection,
    caps: ClientCaps,
    root: Option<PathBuf>,
    /// The ruleset folders when the client names none.
    default_calls: Vec<PathBuf>,
    settings: Settings,
    /// The folders the catalog was made from (`None`: not made yet).
    catalog_calls: Option<Vec<PathBuf>>,
    env: Arc<worker::Env>,
    /// The open documents, by URI.
    docs: HashMap<String, Doc>,
    generation: u64,
    shared: worker::SharedState,
    jobs: crossbeam_channel::Sender<worker::Msg>,
}

/// The initialize handshake, then the main loop. `Ok(true)` when the
/// client shut the server down properly.
fn serve(conn: &Connection, default_calls: Vec<PathBuf>) -> Result<bool, String> {
    let (id, params) = conn.initialize_start().map_err(|e| e.to_string())?;
    let init: InitializeParams = serde_json::from_value(params.clone()).unwrap_or_default();
    let encoding = Encoding::negotiate(
        init.capabilities
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_deref()),
    );
    let text_caps = init.capabilities.text_document.as_ref();
    let caps = ClientCaps {
        snippets: text_caps
            .and_then(|t| t.completion.as_ref())
            .and_then(|c| c.completion_item.as_ref())
            .and_then(|i| i.snippet_support)
            .unwrap_or(false),
        markdown_hover: text_caps
            .and_then(|t| t.hover.as_ref())
            .and_then(|h| h.content_format.as_ref())
            .is_none_or(|formats| formats.contains(&MarkupKind::Markdown)),
        document_changes: init
            .capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.workspace_edit.as_ref())
            .and_then(|e| e.document_changes)
            .unwrap_or(false),
    };
    let root = workspace_root(&params);
    let settings = params
        .get("initializationOptions")
        .map(|v| Settings::read(v, root.as_ref(), &Settings::default()))
        .unwrap_or_default();
    let capabilities = ServerCapabilities {
        position_encoding: Some(encoding.kind()),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                    include_text: Some(false),
                })),
                ..TextDocumentSyncOptions::default()
            },
        )),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec!["\"".into(), "=".into(), "[".into()]),
            ..CompletionOptions::default()
        }),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![
                CodeActionKind::QUICKFIX,
                CodeActionKind::new(actions::FIX_ALL),
            ]),
            resolve_provider: Some(false),
            ..CodeActionOptions::default()
        })),
        ..ServerCapabilities::default()
    };
    let result = serde_json::json!({
        "capabilities": capabilities,
        "serverInfo": ServerInfo {
            name: "escp".into(),
            version: Some(env!("CARGO_PKG_VERSION").into()),
        },
    });
    conn.initialize_finish(id, result)
        .map_err(|e| e.to_string())?;

    let shared = worker::SharedState::default();
    let jobs = worker::spawn(conn.sender.clone(), shared.clone())
        .map_err(|e| format!("cannot start the checking thread: {e}"))?;
    let mut server = Server {
        conn,
        caps,
        root,
        default_calls,
        settings: Settings::default(),
        catalog_calls: None,
        env: Arc::new(worker::Env {
            catalog: Ok(Arc::new(Catalog::embedded())),
            today: None,
            encoding,
            how: Presentation::default(),
        }),
        docs: HashMap::new(),
        generation: 0,
        shared,
        jobs,
    };
    server.configure(settings);

    let mut shutdown = false;
    for message in &conn.receiver {
        match message {
            Message::Request(request) => {
                if shutdown {
                    server.reply(Response::new_err(
                        request.id,
                        ErrorCode::InvalidRequest as i32,
                        "the server is shutting down".into(),
                    ));
                } else if request.method == "shutdown" {
                    shutdown = true;
                    server.reply(Response::new_ok(request.id, ()));
                } else {
                    let id = request.id.clone();
                    let response = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        server.request(request)
                    }))
                    .unwrap_or_else(|_| internal_error(id));
                    server.reply(response);
                }
            }
            Message::Notification(note) => {
                if note.method == "exit" {
                    return Ok(shutdown);
                }
                let method = note.method.clone();
                let handled = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    server.notification(note)
                }));
                if handled.is_err() {
                    log(&format!("internal error while handling {method}"));
                }
            }
            Message::Response(_) => {}
        }
    }
    // The input ended without `exit`.
    Ok(false)
}

fn internal_error(id: RequestId) -> Response {
    Response::new_err(
        id,
        ErrorCode::InternalError as i32,
        "escp failed on this request (internal error)".into(),
    )
}

impl Server<'_> {
    fn reply(&self, response: Response) {
        if self.conn.sender.send(response.into()).is_err() {
            log("the connection is closed");
        }
    }

    fn notify(&self, method: &str, params: impl serde::Serialize) {
        let note = Notification::new(method.into(), params);
        if self.conn.sender.send(note.into()).is_err() {
            log("the connection is closed");
        }
    }

    /// Applies new settings: a new catalog when the ruleset folders change,
    /// and every open document checked again.
    fn configure(&mut self, settings: Settings) {
        let calls = if settings.calls.is_empty() {
            self.default_calls.clone()
        } else {
            settings.calls.clone()
        };
        let catalog = if self.catalog_calls.as_ref() == Some(&calls) {
            self.env.catalog.clone()
        } else {
            self.catalog_calls = Some(calls.clone());
            self.load_catalog(&calls)
        };
        self.env = Arc::new(worker::Env {
            catalog,
            today: settings.today,
            encoding: self.env.encoding,
            how: Presentation {
                docs_url: settings.docs_url.clone(),
            },
        });
        self.settings = settings;
        let open: Vec<Uri> = self.docs.values().map(|d| d.uri.clone()).collect();
        for uri in open {
            self.schedule(&uri, Duration::ZERO);
        }
    }

    /// The rulesets of `calls` (and the embedded ones). Folders that
    /// cannot be read are, as for `escp check`, an error that stops every
    /// check: the user is told, and each document gets the error on its
    /// `call` line, never a check against the embedded rulesets alone.
    fn load_catalog(&self, calls: &[PathBuf]) -> Result<Arc<Catalog>, String> {
        let e = match crate::ruleset::Catalog::with_env(calls) {
            Ok(catalog) => return Ok(Arc::new(catalog)),
            Err(e) => e,
        };
        let message = format!(
            "{e}: escp checks no file until it can read its ruleset folders (as `escp check` stops); \
             fix the `calls` setting (or `escp lsp --calls`, or ESCP_CALLS)"
        );
        log(&message);
        self.notify(
            "window/showMessage",
            ShowMessageParams {
                typ: MessageType::ERROR,
                message,
            },
        );
        Err(format!(
            "{e}\nhelp: the `calls` setting (or `escp lsp --calls`, or ESCP_CALLS) names folders of \
             ruleset files (*.toml); no file is checked until every one can be read, as with `escp check`"
        ))
    }

    /// Ruleset folders that could not be read are read again when a
    /// document is opened or saved (the folder may have been made since):
    /// once they can be, every open document is checked again.
    fn retry_catalog(&mut self) {
        if self.env.catalog.is_ok() {
            return;
        }
        let calls = self.catalog_calls.clone().unwrap_or_default();
        let Ok(catalog) = crate::ruleset::Catalog::with_env(&calls) else {
            return;
        };
        self.env = Arc::new(worker::Env {
            catalog: Ok(Arc::new(catalog)),
            today: self.env.today,
            encoding: self.env.encoding,
            how: self.env.how.clone(),
        });
        let open: Vec<Uri> = self.docs.values().map(|d| d.uri.clone()).collect();
        for uri in open {
            self.schedule(&uri, Duration::ZERO);
        }
    }

    fn debounce(&self) -> Duration {
        self.settings.debounce.unwrap_or(worker::DEBOUNCE)
    }

    /// Queues a check of the document's current version.
    fn schedule(&mut self, uri: &Uri, delay: Duration) {
        let Some(doc) = self.docs.get(uri.as_str()) else {
            return;
        };
        self.generation += 1;
        worker::lock(&self.shared)
            .generations
            .insert(uri.as_str().to_string(), self.generation);
        let job = worker::Job {
            uri: uri.clone(),
            version: doc.version,
            generation: self.generation,
            content: doc.content.clone(),
            due: Instant::now() + delay,
            env: self.env.clone(),
        };
        if self.jobs.send(worker::Msg::Check(job)).is_err() {
            log("the checking thread has stopped");
        }
    }

    fn notification(&mut self, note: Notification) {
        match note.method.as_str() {
            "textDocument/didOpen" => {
                let Ok(p) = note.extract::<DidOpenTextDocumentParams>("textDocument/didOpen")
                else {
                    return log("ignoring a malformed didOpen");
                };
                let uri = p.text_document.uri;
                let doc = Doc::open(
                    uri.clone(),
                    p.text_document.version,
                    p.text_document.text,
                    MAX_BYTES,
                );
                self.docs.insert(uri.as_str().to_string(), doc);
                self.retry_catalog();
                self.schedule(&uri, Duration::ZERO);
            }
            "textDocument/didChange" => {
                let Ok(p) = note.extract::<DidChangeTextDocumentParams>("textDocument/didChange")
                else {
                    return log("ignoring a malformed didChange");
                };
                let uri = p.text_document.uri;
                let encoding = self.env.encoding;
                let Some(doc) = self.docs.get_mut(uri.as_str()) else {
                    return log("ignoring a change of a document that is not open");
                };
                doc.change(
                    p.text_document.version,
                    p.content_changes,
                    encoding,
                    MAX_BYTES,
                );
                let delay = self.debounce();
                self.schedule(&uri, delay);
            }
            transport::TOO_LARGE => self.too_large(&note.params),
            "textDocument/didSave" => {
                if let Ok(p) = note.extract::<DidSaveTextDocumentParams>("textDocument/didSave") {
                    self.retry_catalog();
                    self.schedule(&p.text_document.uri, Duration::ZERO);
                }
            }
            "textDocument/didClose" => {
                let Ok(p) = note.extract::<DidCloseTextDocumentParams>("textDocument/didClose")
                else {
                    return;
                };
                let uri = p.text_document.uri;
                self.docs.remove(uri.as_str());
                {
                    let mut shared = worker::lock(&self.shared);
                    shared.generations.remove(uri.as_str());
                    shared.checked.remove(uri.as_str());
                }
                let _ = self.jobs.send(worker::Msg::Close(uri.clone()));
                self.notify(
                    "textDocument/publishDiagnostics",
                    PublishDiagnosticsParams {
                        uri,
                        diagnostics: Vec::new(),
                        version: None,
                    },
                );
            }
            "workspace/didChangeConfiguration" => {
                if let Ok(p) =
                    note.extract::<DidChangeConfigurationParams>("workspace/didChangeConfiguration")
                {
                    let settings = Settings::read(&p.settings, self.root.as_ref(), &self.settings);
                    self.configure(settings);
                }
            }
            _ => {}
        }
    }

    /// A `didOpen` or `didChange` over the cap, as the reader names it
    /// ([`transport::TOO_LARGE`]): the document is too large, as `escp
    /// check` would find the file.
    fn too_large(&mut self, params: &serde_json::Value) {
        let (Some(uri), Some(version)) = (
            params["uri"].as_str().and_then(|u| u.parse::<Uri>().ok()),
            params["version"]
                .as_i64()
                .and_then(|v| i32::try_from(v).ok()),
        ) else {
            return;
        };
        let applies = if params["opened"] == true {
            documents::applies(&uri, params["start"].as_str().unwrap_or_default())
        } else {
            match self.docs.get(uri.as_str()) {
                Some(doc) => doc.applies(),
                None => return log("ignoring a change of a document that is not open"),
            }
        };
        let doc = Doc {
            uri: uri.clone(),
            version,
            content: worker::Content::TooLarge { applies },
        };
        self.docs.insert(uri.as_str().to_string(), doc);
        let delay = if params["opened"] == true {
            Duration::ZERO
        } else {
            self.debounce()
        };
        self.schedule(&uri, delay);
    }
}
