//! `escp lsp`: a Language Server Protocol server over standard input and
//! output, for editors (docs/editors.md): the diagnostics of `escp check` as the
//! file is typed, hover, completion and the findings' safe fixes.
//!
//! Built on rust-analyzer's `lsp-server` (a synchronous scaffold: framing,
//! the initialize handshake, a channel of messages) and `lsp-types`. The
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
//!   relative to the workspace's root;
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
pub mod worker;

use crate::finding::Finding;
use crate::ruleset::{Catalog, Ruleset};
use convert::{Encoding, LineIndex, Presentation};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionParams, CodeActionProviderCapability,
    CompletionItem, CompletionItemKind, CompletionOptions, CompletionParams, CompletionTextEdit,
    DidChangeConfigurationParams, DidChangeTextDocumentParams, DidCloseTextDocumentParams,
    DidOpenTextDocumentParams, DidSaveTextDocumentParams, Documentation, Hover, HoverContents,
    HoverParams, HoverProviderCapability, InitializeParams, InsertTextFormat, MarkupContent,
    MarkupKind, MessageType, PublishDiagnosticsParams, SaveOptions, ServerCapabilities, ServerInfo,
    ShowMessageParams, TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
    TextDocumentSyncSaveOptions, TextEdit, Uri,
};
use serde_json::Value;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The largest document checked on the main loop when a code action is
/// asked for before the background check of its latest version is done
/// (a typical file takes well under a millisecond).
const CHECK_NOW_UP_TO: usize = 256 * 1024;

/// Runs the server on standard input and output until the client says
/// `exit`. The exit code is 0 after `shutdown` then `exit`, 1 otherwise (as
/// LSP asks).
/// `calls` are the ruleset folders used when the client gives none (`escp
/// lsp --calls DIR`; else `ESCP_CALLS`).
pub fn run(calls: Vec<PathBuf>) -> u8 {
    let (connection, io_threads) = Connection::stdio();
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

/// What the client can take.
#[derive(Debug, Clone, Copy, Default)]
struct ClientCaps {
    snippets: bool,
    markdown_hover: bool,
    document_changes: bool,
}

/// The settings a client can give.
#[derive(Debug, Clone, Default, PartialEq)]
struct Settings {
    /// Empty: `escp lsp --calls`, else `ESCP_CALLS`.
    calls: Vec<PathBuf>,
    docs_url: Option<String>,
    today: Option<jiff::civil::Date>,
    debounce: Option<Duration>,
}

impl Settings {
    /// `base` with the settings that `value` gives: a key that is absent
    /// keeps its value in `base` (a client that sends an empty
    /// `didChangeConfiguration` does not undo the initialization options);
    /// an empty value (`""`, `[]`) is the default. Read leniently: an
    /// ill-typed entry is ignored (and logged), never fatal.
    fn read(value: &Value, root: Option<&PathBuf>, base: &Settings) -> Settings {
        let value = value.get("escp").unwrap_or(value);
        let mut settings = base.clone();
        let folder = |p: &str| {
            let path = PathBuf::from(p);
            match root {
                Some(root) if path.is_relative() => root.join(path),
                _ => path,
            }
        };
        match value.get("calls") {
            None => {}
            Some(Value::Array(items)) => {
                settings.calls = items.iter().filter_map(Value::as_str).map(folder).collect()
            }
            Some(Value::String(one)) if !one.is_empty() => settings.calls = vec![folder(one)],
            Some(Value::String(_) | Value::Null) => settings.calls = Vec::new(),
            Some(other) => log(&format!(
                "ignoring the setting calls = {other}: not a list of folders"
            )),
        }
        if let Some(url) = value.get("docsUrl") {
            settings.docs_url = url.as_str().filter(|s| !s.is_empty()).map(str::to_string);
        }
        match value.get("today") {
            None => {}
            Some(Value::String(today)) if !today.is_empty() => match today.parse() {
                Ok(date) => settings.today = Some(date),
                Err(_) => log(&format!(
                    "ignoring the setting today = {today:?}: not YYYY-MM-DD"
                )),
            },
            Some(_) => settings.today = None,
        }
        if let Some(ms) = value.get("debounceMs") {
            settings.debounce = ms.as_u64().map(|ms| Duration::from_millis(ms.min(10_000)));
        }
        settings
    }
}

/// An open document.
struct Doc {
    uri: Uri,
    version: i32,
    text: Arc<str>,
}

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
            catalog: Arc::new(Catalog::embedded()),
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

/// The workspace's root folder: the first workspace folder, else `rootUri`,
/// else `rootPath`.
fn workspace_root(params: &Value) -> Option<PathBuf> {
    let from_uri = |v: &Value| {
        v.as_str()
            .and_then(|s| s.parse::<Uri>().ok())
            .and_then(|u| file_path(&u))
    };
    params
        .get("workspaceFolders")
        .and_then(|f| f.get(0))
        .and_then(|f| f.get("uri"))
        .and_then(from_uri)
        .or_else(|| params.get("rootUri").and_then(from_uri))
        .or_else(|| {
            params
                .get("rootPath")
                .and_then(Value::as_str)
                .map(PathBuf::from)
        })
}

/// The path of a `file:` URI, percent-decoded.
pub fn file_path(uri: &Uri) -> Option<PathBuf> {
    let text = uri.as_str();
    let rest = text.strip_prefix("file://")?;
    // `file:///path` or `file://host/path` (a host is ignored).
    let path = &rest[rest.find('/')?..];
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let mut bytes = Vec::with_capacity(path.len());
    let raw = path.as_bytes();
    let mut i = 0;
    while i < raw.len() {
        if raw[i] == b'%' && i + 2 < raw.len() {
            let hex = std::str::from_utf8(&raw[i + 1..i + 3]).ok();
            if let Some(b) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                bytes.push(b);
                i += 3;
                continue;
            }
        }
        bytes.push(raw[i]);
        i += 1;
    }
    String::from_utf8(bytes).ok().map(PathBuf::from)
}

/// Whether escp has anything to say about a document: a file named
/// `consortium.toml` or `*.consortium.toml` (whatever it holds), or any
/// other that names a `call`. Editors that start servers per language
/// (every TOML file) then see nothing from escp in `Cargo.toml`.
pub fn applies(uri: &Uri, text: &str) -> bool {
    let path = uri.as_str().split(['?', '#']).next().unwrap_or("");
    let name = path.rsplit('/').next().unwrap_or(path);
    name == "consortium.toml"
        || name.ends_with(".consortium.toml")
        || syntax::top_value(text, "call").is_some()
}

/// The name a document is shown under in messages: its path, or its URI.
pub fn display_name(uri: &Uri) -> String {
    match file_path(uri) {
        Some(path) => path.display().to_string(),
        None => uri.as_str().to_string(),
    }
}

/// What hover and completion need to know about a document.
pub struct Cx<'a> {
    pub text: &'a str,
    pub catalog: &'a Catalog,
    /// When the checks are made (the `today` setting, else the clock).
    pub clock: crate::clock::Clock,
    /// The findings of the last check, if it was of this very text.
    pub findings: &'a [Finding],
    /// Bytes before the text the findings count from (a byte-order mark).
    pub shift: usize,
}

impl Cx<'_> {
    /// The ruleset of the call the document names, if escp knows it.
    pub fn call(&self) -> Option<Arc<Ruleset>> {
        let (call, _) = syntax::top_value(self.text, "call")?;
        self.catalog.find(&call).ok().flatten()
    }

    /// The index of the strand the document names, in `call`.
    pub fn strand(&self, call: &Ruleset) -> Option<usize> {
        let (strand, _) = syntax::top_value(self.text, "strand")?;
        call.strand_index(&strand)
    }
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
            match crate::commands::catalog(&calls) {
                Ok(catalog) => Arc::new(catalog),
                Err(e) => {
                    let message = format!(
                        "the ruleset folders cannot be used: {e}; using the embedded rulesets"
                    );
                    log(&message);
                    self.notify(
                        "window/showMessage",
                        ShowMessageParams {
                            typ: MessageType::ERROR,
                            message,
                        },
                    );
                    Arc::new(Catalog::embedded())
                }
            }
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
            text: doc.text.clone(),
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
                self.docs.insert(
                    uri.as_str().to_string(),
                    Doc {
                        uri: uri.clone(),
                        version: p.text_document.version,
                        text: Arc::from(p.text_document.text),
                    },
                );
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
                let mut text = doc.text.to_string();
                for change in p.content_changes {
                    match change.range {
                        None => text = change.text,
                        Some(range) => {
                            let span = LineIndex::new(&text, encoding).span(range);
                            text.replace_range(span, &change.text);
                        }
                    }
                }
                doc.text = Arc::from(text);
                doc.version = p.text_document.version;
                let delay = self.debounce();
                self.schedule(&uri, delay);
            }
            "textDocument/didSave" => {
                if let Ok(p) = note.extract::<DidSaveTextDocumentParams>("textDocument/didSave") {
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

    fn request(&mut self, request: Request) -> Response {
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
        if !applies(uri, &doc.text) {
            return None;
        }
        let shared = worker::lock(&self.shared);
        let findings = shared
            .checked
            .get(uri.as_str())
            .filter(|c| c.version == doc.version && Arc::ptr_eq(&c.text, &doc.text))
            .map(|c| c.findings())
            .unwrap_or(&[]);
        let cx = Cx {
            text: &doc.text,
            catalog: &self.env.catalog,
            clock: crate::commands::clock(self.env.today),
            findings,
            shift: worker::bom(&doc.text),
        };
        let index = LineIndex::new(&doc.text, self.env.encoding);
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
        if !applies(uri, &doc.text) {
            return Vec::new();
        }
        // The fixes' spans are bytes of the text that was checked: the last
        // check if it was of the current text, else a check now.
        let shared = worker::lock(&self.shared);
        let last = shared
            .checked
            .get(uri.as_str())
            .filter(|c| c.version == doc.version && Arc::ptr_eq(&c.text, &doc.text));
        // A small file is checked here and now; a large one only in the
        // background (its actions come once its diagnostics are published,
        // when clients ask again), so that asking never makes the editor wait.
        let now;
        let (findings, fixes) = match last {
            Some(checked) => (checked.findings(), checked.fixes()),
            None if doc.text.len() <= CHECK_NOW_UP_TO => {
                now = worker::check(uri, &doc.text, &self.env).ok();
                now.as_ref()
                    .map(|r| (r.findings.as_slice(), r.fixes.as_slice()))
                    .unwrap_or((&[], &[]))
            }
            None => (&[][..], &[][..]),
        };
        let index = LineIndex::new(&doc.text, self.env.encoding);
        let target = actions::Target {
            uri,
            version: Some(doc.version),
            document_changes: self.caps.document_changes,
            index: &index,
            shift: worker::bom(&doc.text),
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn settings_change_only_what_they_name() {
        let root = PathBuf::from("/work/space");
        let first = Settings::read(
            &json!({"calls": ["calls", "/abs"], "docsUrl": "https://x.invalid/r.md", "today": "2020-11-01"}),
            Some(&root),
            &Settings::default(),
        );
        assert_eq!(first.calls, [root.join("calls"), PathBuf::from("/abs")]);
        assert_eq!(first.docs_url.as_deref(), Some("https://x.invalid/r.md"));
        assert_eq!(first.today, Some(jiff::civil::date(2020, 11, 1)));
        // An empty change (Neovim sends one at start) keeps everything.
        assert_eq!(Settings::read(&json!({}), Some(&root), &first), first);
        assert_eq!(Settings::read(&Value::Null, Some(&root), &first), first);
        // Nested under "escp", as VS Code sends them; empty values reset.
        let second = Settings::read(
            &json!({"escp": {"calls": [], "docsUrl": "", "debounceMs": 0}}),
            Some(&root),
            &first,
        );
        assert!(second.calls.is_empty());
        assert_eq!(second.docs_url, None);
        assert_eq!(second.today, first.today);
        assert_eq!(second.debounce, Some(Duration::ZERO));
        // Ill-typed values are ignored, not fatal.
        let odd = Settings::read(&json!({"calls": 3, "today": "soon"}), None, &first);
        assert_eq!(odd.calls, first.calls);
        assert_eq!(odd.today, first.today);
    }

    #[test]
    fn file_uris_become_paths() {
        let uri: Uri = "file:///home/ana/M%C3%BCnchen%20team/consortium.toml"
            .parse()
            .unwrap();
        assert_eq!(
            file_path(&uri),
            Some(PathBuf::from("/home/ana/München team/consortium.toml"))
        );
        let other: Uri = "untitled:Untitled-1".parse().unwrap();
        assert_eq!(file_path(&other), None);
        assert_eq!(display_name(&other), "untitled:Untitled-1");
        assert!(applies(&"file:///x/consortium.toml".parse().unwrap(), ""));
        assert!(applies(&"file:///x/a.consortium.toml".parse().unwrap(), ""));
        assert!(!applies(
            &"file:///x/Cargo.toml".parse().unwrap(),
            "[package]\n"
        ));
        assert!(applies(
            &"file:///x/c.toml".parse().unwrap(),
            "call = \"X\"\n"
        ));
    }
}
