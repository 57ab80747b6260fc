//! Checks run off the main loop, so that a file of 10,000 applicants never
//! makes the editor wait for a hover or a completion.
//!
//! The main loop sends a [`Job`] per edit; the worker keeps only the newest
//! job of each document (a newer edit cancels an older one that has not run
//! yet), waits until the job is due (the debounce: typing a word runs one
//! check, not one per key), runs it unless a newer version has arrived by
//! then, and publishes the diagnostics only if no newer version of the
//! document has arrived meanwhile: an older result is dropped, never
//! published.
//!
//! A check that has started runs to its end (the library's check cannot
//! be interrupted), but its work is bounded: the document is at most 64 MiB
//! (a larger one is never checked), and every search the rules make for a
//! typo's suggestion (keys, words, countries, regions) is bounded by the
//! length of the value and remembered per value, so a check takes time in
//! proportion to the document's size.

use super::convert::{self, Encoding, LineIndex, Presentation};
use super::syntax;
use crate::finding::Finding;
use crate::input::{Unreadable, UnreadableKind, MAX_BYTES};
use crate::pipeline::{self, FileReport, Options};
use crate::ruleset::Catalog;
use crate::source::SourceFile;
use crossbeam_channel::{Receiver, RecvTimeoutError, Sender};
use lsp_server::{Message, Notification};
use lsp_types::{Diagnostic, DiagnosticSeverity, NumberOrString, PublishDiagnosticsParams, Uri};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// What every check of the session shares (replaced whole when the
/// settings change).
#[derive(Debug)]
pub struct Env {
    /// The rulesets. `Err`: the ruleset folders cannot be read (the
    /// diagnostic's message), and then no document is checked, as `escp
    /// check` checks no file: never the embedded rulesets instead.
    pub catalog: Result<Arc<Catalog>, String>,
    /// The date of the checks; `None`: the system's date at each check.
    pub today: Option<jiff::civil::Date>,
    pub encoding: Encoding,
    pub how: Presentation,
}

impl Env {
    pub fn options(&self) -> Options {
        Options {
            clock: crate::clock::Clock::from_args(None, self.today),
        }
    }
}

/// What is kept of a document version.
#[derive(Debug, Clone)]
pub enum Content {
    Text(Arc<str>),
    /// Larger than `escp check` reads ([`crate::input::MAX_BYTES`]): its
    /// text is not kept, and it is never checked; its diagnostic is the
    /// `read-error` that `escp check` gives such a file. `applies`: whether
    /// escp speaks about it (see [`super::applies`]).
    TooLarge {
        applies: bool,
    },
}

/// One document version to check.
pub struct Job {
    pub uri: Uri,
    pub version: i32,
    /// Bumped by every change and close of the document: a result is
    /// published only if its generation is still the latest.
    pub generation: u64,
    pub content: Content,
    pub due: Instant,
    pub env: Arc<Env>,
}

/// The last check of a document, for code actions and hover.
pub struct Checked {
    pub version: i32,
    pub text: Arc<str>,
    /// `Err`: the call's ruleset could not be loaded (the message).
    pub report: Result<FileReport, String>,
}

impl Checked {
    pub fn findings(&self) -> &[Finding] {
        match &self.report {
            Ok(report) => &report.findings,
            Err(_) => &[],
        }
    }

    /// The safe repairs no finding carries (a strand written loosely).
    pub fn fixes(&self) -> &[crate::finding::Fix] {
        match &self.report {
            Ok(report) => &report.fixes,
            Err(_) => &[],
        }
    }
}

/// What the main loop and the worker share.
#[derive(Default)]
pub struct Shared {
    /// The latest generation of each open document (by URI).
    pub generations: HashMap<String, u64>,
    /// The last published check of each open document (by URI).
    pub checked: HashMap<String, Checked>,
}

pub type SharedState = Arc<Mutex<Shared>>;

pub fn lock(shared: &SharedState) -> std::sync::MutexGuard<'_, Shared> {
    // Whatever panicked while holding the lock left whole entries behind.
    shared.lock().unwrap_or_else(|e| e.into_inner())
}

pub enum Msg {
    Check(Job),
    /// The document was closed: drop its pending job.
    Close(Uri),
}

/// Starts the worker; it ends when the returned sender is dropped.
pub fn spawn(out: Sender<Message>, shared: SharedState) -> std::io::Result<Sender<Msg>> {
    let (tx, rx) = crossbeam_channel::unbounded();
    std::thread::Builder::new()
        .name("escp-check".into())
        .spawn(move || work(&rx, &out, &shared, run))?;
    Ok(tx)
}

/// The worker's loop; `check` is [`run`] (a test counts the checks it starts).
fn work(
    rx: &Receiver<Msg>,
    out: &Sender<Message>,
    shared: &SharedState,
    check: impl Fn(&Job) -> (Checked, Vec<Diagnostic>),
) {
    // The newest job of each document (by URI).
    let mut pending: HashMap<String, Job> = HashMap::new();
    let take = |pending: &mut HashMap<String, Job>, msg: Msg| match msg {
        Msg::Check(job) => {
            pending.insert(job.uri.as_str().to_string(), job);
        }
        Msg::Close(uri) => {
            pending.remove(uri.as_str());
        }
    };
    loop {
        let next = pending.values().map(|j| j.due).min();
        let msg = match next {
            None => rx.recv().map_err(|_| RecvTimeoutError::Disconnected),
            Some(due) => rx.recv_timeout(due.saturating_duration_since(Instant::now())),
        };
        match msg {
            Ok(msg) => take(&mut pending, msg),
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return,
        }
        // Everything already sent first: the newest version wins.
        while let Ok(msg) = rx.try_recv() {
            take(&mut pending, msg);
        }
        let now = Instant::now();
        let Some(uri) = pending
            .iter()
            .filter(|(_, j)| j.due <= now)
            .min_by_key(|(_, j)| j.due)
            .map(|(uri, _)| uri.clone())
        else {
            continue;
        };
        let Some(job) = pending.remove(&uri) else {
            continue;
        };
        // A version that a newer one has replaced since its job was sent
        // is never checked (the newer one's job is on its way).
        if lock(shared).generations.get(job.uri.as_str()) != Some(&job.generation) {
            continue;
        }
        let started = Instant::now();
        let (checked, diagnostics) = check(&job);
        let mut state = lock(shared);
        if state.generations.get(job.uri.as_str()) != Some(&job.generation) {
            // A newer version arrived while this one was checked.
            continue;
        }
        let params = PublishDiagnosticsParams {
            uri: job.uri.clone(),
            diagnostics,
            version: Some(job.version),
        };
        let note = Notification::new("textDocument/publishDiagnostics".into(), params);
        if out.send(Message::Notification(note)).is_err() {
            return;
        }
        state.checked.insert(job.uri.as_str().to_string(), checked);
        drop(state);
        if std::env::var_os("ESCP_LSP_LOG").is_some() {
            eprintln!(
                "escp lsp: checked {} version {} in {:.1} ms",
                job.uri.as_str(),
                job.version,
                started.elapsed().as_secs_f64() * 1000.0
            );
        }
    }
}

/// Checks one document version and converts the findings, never panicking:
/// a panic in the library is reported as a diagnostic and logged.
pub fn run(job: &Job) -> (Checked, Vec<Diagnostic>) {
    let (text, applies) = match &job.content {
        Content::Text(text) => (text.clone(), super::applies(&job.uri, text)),
        Content::TooLarge { applies } => (Arc::from(""), *applies),
    };
    if !applies {
        let checked = Checked {
            version: job.version,
            text,
            report: Err("not a consortium file".into()),
        };
        return (checked, Vec::new());
    }
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        match (&job.env.catalog, &job.content) {
            // `escp check` stops before it reads any file.
            (Err(why), _) => Err(why.clone()),
            (Ok(_), Content::TooLarge { .. }) => Ok(FileReport::unreadable(&too_large(
                super::display_name(&job.uri),
            ))),
            (Ok(_), Content::Text(text)) => check(&job.uri, text, &job.env),
        }
    }));
    let report = match outcome {
        Ok(report) => report,
        Err(_) => {
            eprintln!(
                "escp lsp: internal error while checking {} (please report it)",
                job.uri.as_str()
            );
            Err("escp failed on this file (internal error); run `escp check` on it".into())
        }
    };
    let index = LineIndex::new(&text, job.env.encoding);
    let shift = bom(&text);
    let call = syntax::top_value(&text, "call").map(|(_, span)| span);
    let diagnostics = match &report {
        Ok(report) => convert::diagnostics(report, &index, shift, &job.uri, call, &job.env.how),
        // The file is not checked: the error, and the verdict, on the
        // `call` line.
        Err(message) => {
            let range = call.map(|s| index.range(&s)).unwrap_or_default();
            vec![
                Diagnostic {
                    range,
                    severity: Some(DiagnosticSeverity::ERROR),
                    code: Some(NumberOrString::String("ruleset".into())),
                    source: Some("escp".into()),
                    message: message.clone(),
                    ..Diagnostic::default()
                },
                Diagnostic {
                    range,
                    severity: Some(DiagnosticSeverity::INFORMATION),
                    source: Some("escp".into()),
                    message: "UNCHECKED: 1 error, 0 warnings".into(),
                    ..Diagnostic::default()
                },
            ]
        }
    };
    let checked = Checked {
        version: job.version,
        text,
        report,
    };
    (checked, diagnostics)
}

/// What `escp check` says of an input larger than it reads (as
/// [`crate::input::read`] words it).
pub fn too_large(name: String) -> Unreadable {
    Unreadable {
        name,
        why: format!(
            "it is larger than {} MiB, far more than any consortium file (escp stops reading there)",
            MAX_BYTES / (1024 * 1024)
        ),
        kind: UnreadableKind::TooLarge,
    }
}

/// The library's check of a document's text (the one home of every rule).
pub fn check(uri: &Uri, text: &str, env: &Env) -> Result<FileReport, String> {
    let catalog = env.catalog.as_ref().map_err(Clone::clone)?;
    let name = super::display_name(uri);
    Ok(pipeline::check(
        SourceFile::new(name, text),
        catalog,
        env.options(),
    ))
}

/// The length of a leading byte-order mark, which the library drops.
pub fn bom(text: &str) -> usize {
    if text.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8()
    } else {
        0
    }
}

/// The debounce before a check of a changed document.
pub const DEBOUNCE: Duration = Duration::from_millis(200);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_version_already_superseded_is_never_checked() {
        let shared = SharedState::default();
        let (out, published) = crossbeam_channel::unbounded();
        let (jobs, rx) = crossbeam_channel::unbounded();
        let started = Arc::new(Mutex::new(Vec::new()));
        let worker = {
            let (started, shared) = (started.clone(), shared.clone());
            std::thread::spawn(move || {
                work(&rx, &out, &shared, |job| {
                    started.lock().unwrap().push(job.version);
                    run(job)
                })
            })
        };
        let uri: Uri = "file:///x/a.consortium.toml".parse().unwrap();
        let env = Arc::new(Env {
            catalog: Ok(Arc::new(Catalog::embedded())),
            today: None,
            encoding: Encoding::Utf16,
            how: Presentation::default(),
        });
        let job = |version: i32| Job {
            uri: uri.clone(),
            version,
            generation: version as u64,
            content: Content::Text(Arc::from("call = \"X\"\n")),
            due: Instant::now(),
            env: env.clone(),
        };
        // Version 2 arrived (its generation is the latest) before the
        // worker took the job of version 1; its own job comes later.
        lock(&shared).generations.insert(uri.as_str().into(), 2);
        jobs.send(Msg::Check(job(1))).unwrap();
        std::thread::sleep(Duration::from_millis(200));
        jobs.send(Msg::Check(job(2))).unwrap();
        let Ok(Message::Notification(note)) = published.recv_timeout(Duration::from_secs(30))
        else {
            panic!("nothing published");
        };
        assert_eq!(note.params["version"], 2);
        drop(jobs);
        worker.join().unwrap();
        assert_eq!(*started.lock().unwrap(), [2]);
    }

    /// The editor's words for a document over the cap are those of
    /// `escp check` for a file over it.
    #[test]
    #[cfg(unix)]
    fn a_document_too_large_is_worded_as_escp_check_words_it() {
        let read = crate::input::read(std::path::Path::new("/dev/zero")).unwrap_err();
        assert_eq!(read.kind, UnreadableKind::TooLarge);
        assert_eq!(too_large(read.name.clone()), read);
    }
}
