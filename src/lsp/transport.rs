//! The base protocol on standard input and output: JSON-RPC messages, each
//! after a `Content-Length` header.
//!
//! lsp-server's own reader ends the connection at the first frame that is not
//! a message, and allocates whatever length a header names. This one reads
//! every frame within bounds and answers what is not a message itself, as
//! JSON-RPC asks (<https://www.jsonrpc.org/specification#error_object>):
//! a body that is not JSON is a parse error (`-32700`, `id: null`), JSON that
//! is not a message an invalid request (`-32600`); the server carries on.
//!
//! Bounds: a header line is at most [`LINE_MAX`] bytes kept (a longer one is
//! read to its end and dropped), a header section at most [`LINES_MAX`]
//! lines; a body is read whole only up to the cap of `escp check` (64 MiB,
//! [`crate::input::MAX_BYTES`]). A longer body is never held: it is read
//! through once, keeping only the start of each string (the method, the
//! document's URI and version), so that the document it carries is marked
//! too large ([`TOO_LARGE`]) and a request gets an error.
//!
//! The messages go to the server loop in lsp-server's [`Connection`], so its
//! initialize handshake and [`Message`] type are used as they are.

use crossbeam_channel::{Receiver, Sender};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use serde::de::{self, Deserializer, IgnoredAny, Visitor};
use serde::Deserialize;
use serde_json::{json, Value};
use std::io::{self, BufRead, Read, Write};
use std::thread::JoinHandle;

/// The longest header line kept (a longer one is read and dropped).
pub const LINE_MAX: usize = 4096;
/// The most header lines of one message that are read as headers.
pub const LINES_MAX: usize = 32;
/// The most JSON values (arrays, objects and their items) a body read whole
/// may hold: every message of an editor holds far fewer, and a body of
/// millions of tiny values would take many times its size in memory.
pub const VALUES_MAX: usize = 1 << 20;
/// The deepest nesting read in a body over the cap (serde_json stops at
/// 128 in a body read whole).
pub const DEPTH_MAX: usize = 64;
/// How much of each string is kept from a body over the cap.
pub const KEPT: usize = 16 * 1024;

/// The notification the reader sends the server loop in place of a
/// `didOpen` or `didChange` over the cap: `{"uri", "version", "opened",
/// "start"}` (`start`: the beginning of the text of a `didOpen`). A client
/// that sends it itself can only mark its own documents too large, which it
/// could do by sending them.
pub const TOO_LARGE: &str = "$/escp/tooLarge";

/// What one frame of the input is.
#[derive(Debug)]
pub enum Frame {
    /// A message for the server.
    Message(Message),
    /// An error the reader answers itself (a whole JSON-RPC response).
    Answer(Value),
    /// Nothing to hand on (why, for the log): a response to nothing, or a
    /// notification over the cap that names no document.
    Dropped(String),
}

/// Reads frames from `input`: whole bodies up to `cap` bytes.
pub struct Reader<R> {
    input: R,
    cap: u64,
}

enum Line {
    Text(String),
    TooLong,
}

impl<R: BufRead> Reader<R> {
    pub fn new(input: R, cap: usize) -> Self {
        Reader {
            input,
            cap: cap as u64,
        }
    }

    /// The next frame; `None` when the input ends (also inside a frame).
    pub fn next_frame(&mut self) -> io::Result<Option<Frame>> {
        let length = match self.header()? {
            None => return Ok(None),
            Some(Ok(length)) => length,
            Some(Err(why)) => {
                return Ok(Some(Frame::Answer(error(
                    Value::Null,
                    ErrorCode::ParseError,
                    &why,
                ))))
            }
        };
        if length > self.cap {
            return self.oversized(length);
        }
        let length = length as usize;
        let mut body = Vec::with_capacity(length);
        (&mut self.input)
            .take(length as u64)
            .read_to_end(&mut body)?;
        if body.len() < length {
            return Ok(None);
        }
        Ok(Some(classify(body)))
    }

    /// A header section: the body's length, or why there is none; `None`
    /// when the input ends.
    fn header(&mut self) -> io::Result<Option<Result<u64, String>>> {
        let mut length: Option<Result<u64, String>> = None;
        let mut problem: Option<String> = None;
        let mut lines = 0;
        loop {
            let line = match self.line()? {
                None => return Ok(None),
                Some(Line::TooLong) => {
                    lines += 1;
                    problem.get_or_insert(format!("a header line is longer than {LINE_MAX} bytes"));
                    continue;
                }
                Some(Line::Text(line)) => line,
            };
            if line.is_empty() {
                // Blank lines between messages are no header.
                if lines == 0 {
                    continue;
                }
                break;
            }
            lines += 1;
            if lines > LINES_MAX {
                problem.get_or_insert(format!("more than {LINES_MAX} header lines"));
                continue;
            }
            let Some((name, value)) = from_content_length(&line).split_once(':') else {
                problem.get_or_insert(format!(
                    "a header line is not `Name: value`: {}",
                    crate::text::clean(&line)
                ));
                continue;
            };
            if name.trim().eq_ignore_ascii_case("content-length") {
                let value = value.trim();
                length = Some(value.parse::<u64>().map_err(|_| {
                    format!(
                        "the Content-Length {} is not a length in bytes",
                        crate::text::clean(value)
                    )
                }));
            }
        }
        Ok(Some(match (length, problem) {
            // Other headers are ignored: the length is what frames a body.
            (Some(length), _) => length,
            (None, Some(problem)) => Err(format!("no Content-Length header ({problem})")),
            (None, None) => Err("no Content-Length header".into()),
        }))
    }

    /// One header line without its line break, at most [`LINE_MAX`] bytes
    /// kept; `None` when the input ends.
    fn line(&mut self) -> io::Result<Option<Line>> {
        let mut kept = Vec::new();
        let mut too_long = false;
        loop {
            let chunk = self.input.fill_buf()?;
            if chunk.is_empty() {
                return Ok(None);
            }
            let (used, done) = match chunk.iter().position(|&b| b == b'\n') {
                Some(i) => (i + 1, true),
                None => (chunk.len(), false),
            };
            if !too_long {
                if kept.len() + used > LINE_MAX + 2 {
                    too_long = true;
                    kept = Vec::new();
                } else {
                    kept.extend_from_slice(&chunk[..used]);
                }
            }
            self.input.consume(used);
            if done {
                break;
            }
        }
        if too_long {
            return Ok(Some(Line::TooLong));
        }
        while kept.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
            kept.pop();
        }
        Ok(Some(Line::Text(
            String::from_utf8_lossy(&kept).into_owned(),
        )))
    }

    /// A body over the cap, read through once and never held.
    fn oversized(&mut self, length: u64) -> io::Result<Option<Frame>> {
        let mut body = (&mut self.input).take(length);
        let parsed = {
            let scan = Scan {
                keep: KEPT,
                values_max: usize::MAX,
                ..Scan::default()
            };
            let shortened = io::BufReader::new(Shorten {
                inner: &mut body,
                scan,
            });
            serde_json::from_reader::<_, Oversized>(shortened)
        };
        // What the parse did not read of the body.
        io::copy(&mut body, &mut io::sink())?;
        if body.limit() > 0 {
            return Ok(None);
        }
        let cap = self.cap / (1024 * 1024);
        let frame = match parsed {
            Ok(message) => message.frame(cap),
            Err(e) if e.is_data() => Frame::Answer(error(
                Value::Null,
                ErrorCode::InvalidRequest,
                &e.to_string(),
            )),
            Err(e) => Frame::Answer(error(
                Value::Null,
                ErrorCode::ParseError,
                &format!("a message of {length} bytes that is not JSON: {e}"),
            )),
        };
        Ok(Some(frame))
    }
}

/// A line that starts with the rest of a body (after a header that was not
/// valid) and ends with a `Content-Length` header: the header.
fn from_content_length(line: &str) -> &str {
    match line.to_ascii_lowercase().find("content-length:") {
        Some(at) if at > 0 => &line[at..],
        _ => line,
    }
}

/// A JSON-RPC error response.
fn error(id: Value, code: ErrorCode, message: &str) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "error": {"code": code as i32, "message": message}})
}

/// An id that can be echoed in an error: a number or a string.
fn echo(id: Option<Value>) -> Value {
    match id {
        Some(id @ (Value::Number(_) | Value::String(_))) => id,
        _ => Value::Null,
    }
}

/// A body read whole: a message, or the error that answers it.
fn classify(body: Vec<u8>) -> Frame {
    let invalid = |id: Option<Value>, why: &str| {
        Frame::Answer(error(echo(id), ErrorCode::InvalidRequest, why))
    };
    let mut scan = Scan {
        keep: usize::MAX,
        values_max: VALUES_MAX,
        depth_max: usize::MAX,
        ..Scan::default()
    };
    if let Some(why) = body.iter().find_map(|&b| scan.step(b).err()) {
        return invalid(None, why);
    }
    let value: Value = match serde_json::from_slice(&body) {
        Ok(value) => value,
        Err(e) => {
            let why = match std::str::from_utf8(&body) {
                Ok(_) => format!("the message is not JSON: {e}"),
                Err(_) => "the message is not UTF-8 text".to_string(),
            };
            return Frame::Answer(error(Value::Null, ErrorCode::ParseError, &why));
        }
    };
    drop(body);
    let Value::Object(mut fields) = value else {
        return invalid(None, "a message is a JSON object");
    };
    // As lsp-server reads them: `id: null` is no id.
    let id = fields.remove("id").filter(|id| !id.is_null());
    let params = fields.remove("params").unwrap_or(Value::Null);
    match (fields.remove("method"), id) {
        (Some(Value::String(method)), None) => {
            Frame::Message(Message::Notification(Notification { method, params }))
        }
        (Some(Value::String(method)), Some(id)) => {
            match serde_json::from_value::<RequestId>(id.clone()) {
                Ok(id) => Frame::Message(Message::Request(Request { id, method, params })),
                Err(_) => invalid(Some(id), "the id of a request is an integer or a string"),
            }
        }
        (Some(_), id) => invalid(id, "the method of a message is a string"),
        (None, Some(id)) if fields.contains_key("result") || fields.contains_key("error") => {
            fields.insert("id".into(), id);
            match serde_json::from_value::<Response>(Value::Object(fields)) {
                Ok(response) => Frame::Message(Message::Response(response)),
                // A response is never answered.
                Err(e) => Frame::Dropped(format!("a response that cannot be read: {e}")),
            }
        }
        (None, id) => invalid(id, "a message has a method (or is a response)"),
    }
}

/// A byte-by-byte reading of JSON text, enough to bound it: where strings
/// start and end, and the units inside them (a character or an escape), how
/// deep the nesting is and how many values there are. It does not check
/// that the text is JSON; serde_json does.
struct Scan {
    /// Bytes of each string kept: the rest of a longer one is dropped.
    keep: usize,
    values_max: usize,
    depth_max: usize,
    string: Option<InString>,
    depth: usize,
    values: usize,
}

impl Default for Scan {
    fn default() -> Self {
        Scan {
            keep: usize::MAX,
            values_max: usize::MAX,
            depth_max: DEPTH_MAX,
            string: None,
            depth: 0,
            values: 0,
        }
    }
}

#[derive(Default)]
struct InString {
    kept: usize,
    dropping: bool,
    escape: Escape,
    /// The last unit was a high surrogate (`\uD83D`): its low half goes with it.
    pair: bool,
}

#[derive(Default, Clone, Copy)]
enum Escape {
    #[default]
    None,
    Backslash,
    Hex {
        left: u8,
        value: u16,
    },
}

impl Scan {
    /// Whether byte `b` is kept; `Err` when the text is beyond the bounds.
    fn step(&mut self, b: u8) -> Result<bool, &'static str> {
        let Some(s) = &mut self.string else {
            match b {
                b'"' => self.string = Some(InString::default()),
                b'[' | b'{' => {
                    self.depth += 1;
                    self.values += 1;
                    if self.depth > self.depth_max {
                        return Err("the message is nested too deeply");
                    }
                }
                b']' | b'}' => self.depth = self.depth.saturating_sub(1),
                b',' => self.values += 1,
                _ => {}
            }
            if self.values > self.values_max {
                return Err("the message holds too many values");
            }
            return Ok(true);
        };
        match s.escape {
            Escape::None if b == b'"' => {
                self.string = None;
                return Ok(true);
            }
            Escape::None => {
                let boundary = !s.pair && !(0x80..=0xbf).contains(&b);
                if boundary && !s.dropping && s.kept >= self.keep {
                    s.dropping = true;
                }
                if b == b'\\' {
                    s.escape = Escape::Backslash;
                } else {
                    s.kept += 1;
                    s.pair = false;
                }
            }
            Escape::Backslash if b == b'u' => s.escape = Escape::Hex { left: 4, value: 0 },
            Escape::Backslash => {
                s.escape = Escape::None;
                s.kept += 1;
                s.pair = false;
            }
            Escape::Hex { left, value } => {
                let digit = (b as char).to_digit(16).unwrap_or(0) as u16;
                let value = value.wrapping_mul(16).wrapping_add(digit);
                if left > 1 {
                    s.escape = Escape::Hex {
                        left: left - 1,
                        value,
                    };
                } else {
                    s.escape = Escape::None;
                    s.kept += 1;
                    s.pair = (0xd800..0xdc00).contains(&value);
                }
            }
        }
        Ok(!s.dropping)
    }
}

/// JSON text with each string cut after [`Scan::keep`] bytes (at a unit's
/// boundary, so it stays JSON), and an error past [`DEPTH_MAX`] levels.
struct Shorten<R> {
    inner: R,
    scan: Scan,
}

impl<R: Read> Read for Shorten<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            let n = self.inner.read(buf)?;
            if n == 0 {
                return Ok(0);
            }
            let mut kept = 0;
            for i in 0..n {
                let b = buf[i];
                let keep = self
                    .scan
                    .step(b)
                    .map_err(|why| io::Error::new(io::ErrorKind::InvalidData, why))?;
                if keep {
                    buf[kept] = b;
                    kept += 1;
                }
            }
            if kept > 0 {
                return Ok(kept);
            }
        }
    }
}

/// What is read of a message over the cap.
#[derive(Deserialize)]
struct Oversized {
    #[serde(default)]
    id: Option<Loose>,
    #[serde(default)]
    method: Option<Loose>,
    #[serde(default)]
    params: Option<OversizedParams>,
}

#[derive(Deserialize)]
struct OversizedParams {
    #[serde(default, rename = "textDocument")]
    text_document: Option<OversizedDocument>,
}

#[derive(Deserialize)]
struct OversizedDocument {
    #[serde(default)]
    uri: Option<Loose>,
    #[serde(default)]
    version: Option<Loose>,
    /// Its first [`KEPT`] bytes.
    #[serde(default)]
    text: Option<Loose>,
}

/// A value as far as it matters here: a string, an integer or anything else.
enum Loose {
    Str(String),
    Int(i64),
    Other,
}

impl Loose {
    fn str(this: &Option<Loose>) -> Option<&str> {
        match this {
            Some(Loose::Str(s)) => Some(s),
            _ => None,
        }
    }
}

impl<'de> Deserialize<'de> for Loose {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Loose;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("any value")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Loose, E> {
                Ok(Loose::Str(v.to_string()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Loose, E> {
                Ok(Loose::Str(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Loose, E> {
                Ok(Loose::Int(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Loose, E> {
                Ok(i64::try_from(v).map_or(Loose::Other, Loose::Int))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Loose, E> {
                Ok(Loose::Other)
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Loose, E> {
                Ok(Loose::Other)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Loose, E> {
                Ok(Loose::Other)
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Loose, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Loose::Other)
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Loose, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Loose::Other)
            }
        }
        deserializer.deserialize_any(V)
    }
}

impl Oversized {
    fn frame(self, cap_mib: u64) -> Frame {
        let method = Loose::str(&self.method).map(str::to_string);
        let document = self.params.and_then(|p| p.text_document);
        let opened = method.as_deref() == Some("textDocument/didOpen");
        let changed = method.as_deref() == Some("textDocument/didChange");
        if let (true, Some(document)) = (opened || changed, document) {
            let version = match document.version {
                Some(Loose::Int(v)) => i32::try_from(v).ok(),
                _ => None,
            };
            if let (Some(uri), Some(version)) = (Loose::str(&document.uri), version) {
                let params = json!({
                    "uri": uri,
                    "version": version,
                    "opened": opened,
                    "start": Loose::str(&document.text),
                });
                return Frame::Message(Message::Notification(Notification::new(
                    TOO_LARGE.into(),
                    params,
                )));
            }
        }
        let why = format!("the message is larger than {cap_mib} MiB, more than escp reads");
        match (method, self.id) {
            (Some(_), Some(id @ (Loose::Str(_) | Loose::Int(_)))) => {
                let id = match id {
                    Loose::Str(s) => Value::String(s),
                    Loose::Int(i) => Value::from(i),
                    Loose::Other => Value::Null,
                };
                Frame::Answer(error(id, ErrorCode::InvalidRequest, &why))
            }
            (Some(method), _) => {
                Frame::Dropped(format!("ignoring {}: {why}", crate::text::clean(&method)))
            }
            (None, _) => Frame::Dropped(format!("ignoring a message without a method: {why}")),
        }
    }
}

/// The reader and writer threads of [`stdio`].
pub struct Io {
    reader: JoinHandle<()>,
    writer: JoinHandle<io::Result<()>>,
}

impl Io {
    /// Waits for the threads: the reader stops at `exit` or at the end of
    /// the input, the writer once every sender of messages is dropped.
    pub fn join(self) -> io::Result<()> {
        if self.reader.join().is_err() {
            return Err(io::Error::other("the reading thread failed"));
        }
        self.writer
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("the writing thread failed")))
    }
}

/// A connection on standard input and output, reading bodies whole up to
/// `cap` bytes.
pub fn stdio(cap: usize) -> io::Result<(Connection, Io)> {
    let (to_server, from_reader) = crossbeam_channel::bounded::<Message>(0);
    let (to_writer, from_server) = crossbeam_channel::bounded::<Message>(0);
    // Unbuffered: an answer is written before the reader reads on, so it
    // comes before the answers to later messages.
    let (answer, answers) = crossbeam_channel::bounded::<Value>(0);
    let writer = std::thread::Builder::new()
        .name("escp-lsp-writer".into())
        .spawn(move || write_all(&from_server, &answers, io::stdout().lock()))?;
    let reader = std::thread::Builder::new()
        .name("escp-lsp-reader".into())
        .spawn(move || read_all(Reader::new(io::stdin().lock(), cap), &to_server, &answer))?;
    let connection = Connection {
        sender: to_writer,
        receiver: from_reader,
    };
    Ok((connection, Io { reader, writer }))
}

fn read_all(mut reader: Reader<impl BufRead>, server: &Sender<Message>, answers: &Sender<Value>) {
    loop {
        let frame = match reader.next_frame() {
            Ok(Some(frame)) => frame,
            Ok(None) => return,
            Err(e) => return super::log(&format!("cannot read the input: {e}")),
        };
        match frame {
            Frame::Message(message) => {
                let exit = matches!(&message, Message::Notification(n) if n.method == "exit");
                if server.send(message).is_err() || exit {
                    return;
                }
            }
            Frame::Answer(answer) => {
                super::log(&format!(
                    "refused a message: {}",
                    answer["error"]["message"].as_str().unwrap_or_default()
                ));
                if answers.send(answer).is_err() {
                    return;
                }
            }
            Frame::Dropped(why) => super::log(&why),
        }
    }
}

fn write_all(
    messages: &Receiver<Message>,
    answers: &Receiver<Value>,
    mut out: impl Write,
) -> io::Result<()> {
    let never = crossbeam_channel::never();
    let mut answers = Some(answers);
    loop {
        crossbeam_channel::select! {
            recv(messages) -> message => match message {
                Ok(message) => message.write(&mut out)?,
                Err(_) => return Ok(()),
            },
            recv(answers.unwrap_or(&never)) -> answer => match answer {
                Ok(answer) => {
                    let body = answer.to_string();
                    write!(out, "Content-Length: {}\r\n\r\n{body}", body.len())?;
                    out.flush()?;
                }
                Err(_) => answers = None,
            },
        }
    }
}

#[cfg(test)]
#[path = "transport_tests.rs"]
mod tests;
