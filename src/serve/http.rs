//! The part of HTTP/1.1 that the workbench speaks, read and written by hand
//! on a plain socket: a request line, headers and a body of a declared
//! length; one request per connection (`Connection: close`).
//!
//! Written here rather than taken from a crate for the bounds: the request
//! head is at most [`MAX_HEAD`] bytes, the body at most [`MAX_BODY`] and
//! never read beyond its declared length; a request must arrive whole
//! before its deadline; `Transfer-Encoding` (chunked bodies), a repeated
//! or malformed `Content-Length` and folded headers are refused, so that
//! no two readers of a request can disagree on where it ends.

use std::io::{self, Read, Write};

/// The largest body accepted: a consortium file or a spreadsheet.
pub const MAX_BODY: usize = 4 * 1024 * 1024;
/// The largest request head (request line and headers).
pub const MAX_HEAD: usize = 16 * 1024;
/// The most headers in a request.
const MAX_HEADERS: usize = 64;

/// A request, read whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    /// The path, without the query.
    pub path: String,
    /// The query's `name=value` pairs, decoded.
    pub query: Vec<(String, String)>,
    /// Header names in lower case, values trimmed.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// The address of this server the request came in on (set by the
    /// server, for a server bound to every interface).
    pub local: Option<std::net::IpAddr>,
}

impl Request {
    /// The value of header `name` (lower case), if it was sent once.
    pub fn header(&self, name: &str) -> Option<&str> {
        let mut found = self.headers.iter().filter(|(n, _)| n == name);
        match (found.next(), found.next()) {
            (Some((_, v)), None) => Some(v),
            _ => None,
        }
    }

    /// How many times header `name` was sent.
    pub fn header_count(&self, name: &str) -> usize {
        self.headers.iter().filter(|(n, _)| n == name).count()
    }

    /// The value of query parameter `name`, if given.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Why a request could not be read: the answer to give, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The client closed the connection, or sent nothing in time: no answer.
    Gone,
    /// An answer, then close: the status and a sentence saying why.
    Status(u16, &'static str),
}

/// Reads one request. `before_read` runs before each read from the socket
/// (to set its timeout to what is left of the request's deadline); it
/// returns an error once the deadline has passed.
pub fn read_request(
    stream: &mut dyn Read,
    before_read: &mut dyn FnMut() -> io::Result<()>,
) -> Result<Request, Refusal> {
    let mut head = Vec::with_capacity(1024);
    let mut chunk = [0u8; 4096];
    let end = loop {
        if let Some(end) = find(&head, b"\r\n\r\n") {
            break end;
        }
        if head.len() > MAX_HEAD {
            return Err(Refusal::Status(431, "the request's headers are too large"));
        }
        let n = read_some(stream, before_read, &mut chunk, head.is_empty())?;
        head.extend_from_slice(&chunk[..n]);
    };
    if end > MAX_HEAD {
        return Err(Refusal::Status(431, "the request's headers are too large"));
    }
    let rest = head.split_off(end + 4);
    head.truncate(end);
    let mut request = parse_head(&head)?;
    let length = body_length(&request)?;
    if length > MAX_BODY {
        return Err(Refusal::Status(
            413,
            "the body is larger than 4 MiB: no consortium file or spreadsheet comes near that size",
        ));
    }
    if rest.len() > length {
        // More than the declared body: a second request in the same
        // packet (pipelining), or a body longer than it says.
        return Err(Refusal::Status(
            400,
            "more bytes than the Content-Length says: send one request per connection",
        ));
    }
    let mut body = rest;
    body.reserve_exact(length - body.len());
    while body.len() < length {
        let want = (length - body.len()).min(chunk.len());
        let n = read_some(stream, before_read, &mut chunk[..want], false)?;
        body.extend_from_slice(&chunk[..n]);
    }
    request.body = body;
    Ok(request)
}

/// One read: the bytes read, or why the request ends here.
fn read_some(
    stream: &mut dyn Read,
    before_read: &mut dyn FnMut() -> io::Result<()>,
    buf: &mut [u8],
    nothing_yet: bool,
) -> Result<usize, Refusal> {
    let timed_out = if nothing_yet {
        Refusal::Gone
    } else {
        Refusal::Status(408, "the request did not arrive in time")
    };
    if before_read().is_err() {
        return Err(timed_out);
    }
    loop {
        match stream.read(buf) {
            Ok(0) => return Err(Refusal::Gone),
            Ok(n) => return Ok(n),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                return Err(timed_out)
            }
            Err(_) => return Err(Refusal::Gone),
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The request line and headers.
fn parse_head(head: &[u8]) -> Result<Request, Refusal> {
    let bad = |why: &'static str| Refusal::Status(400, why);
    let head = std::str::from_utf8(head).map_err(|_| bad("the request's head is not text"))?;
    let mut lines = head.split("\r\n");
    let line = lines.next().unwrap_or_default();
    let mut parts = line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(bad("the request line is not METHOD PATH HTTP/1.1"));
    };
    if version != "HTTP/1.1" && version != "HTTP/1.0" {
        return Err(Refusal::Status(505, "only HTTP/1.1 is spoken here"));
    }
    if method.is_empty() || !method.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(bad("the request's method is not a word in capitals"));
    }
    if !target.starts_with('/') {
        return Err(bad("the request's target is not a path"));
    }
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let mut headers = Vec::new();
    for line in lines {
        if line.starts_with([' ', '\t']) {
            return Err(bad("folded header lines are not accepted"));
        }
        let Some((name, value)) = line.split_once(':') else {
            return Err(bad("a header line has no colon"));
        };
        let token = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
        if name.is_empty() || !name.bytes().all(token) {
            return Err(bad("a header's name is not a token"));
        }
        if value.bytes().any(|b| b == b'\r' || b == b'\n' || b == 0) {
            return Err(bad("a header's value has a control character"));
        }
        headers.push((name.to_ascii_lowercase(), value.trim().to_string()));
        if headers.len() > MAX_HEADERS {
            return Err(Refusal::Status(431, "the request has too many headers"));
        }
    }
    Ok(Request {
        method: method.to_string(),
        path: decode(path).ok_or(bad("the path is not valid percent-encoded UTF-8"))?,
        query: query
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|pair| {
                let (n, v) = pair.split_once('=').unwrap_or((pair, ""));
                Some((decode_form(n)?, decode_form(v)?))
            })
            .collect::<Option<Vec<_>>>()
            .ok_or(bad("the query is not valid percent-encoded UTF-8"))?,
        headers,
        body: Vec::new(),
        local: None,
    })
}

/// The body's length: its one `Content-Length`, or 0 for a request that
/// declares no body. A chunked body is refused (a browser's `fetch` of a
/// text or a file always sends its length).
fn body_length(request: &Request) -> Result<usize, Refusal> {
    if request.header_count("transfer-encoding") > 0 {
        return Err(Refusal::Status(
            501,
            "Transfer-Encoding is not accepted: send the body with a Content-Length",
        ));
    }
    match request.header_count("content-length") {
        0 if request.method == "POST" => {
            Err(Refusal::Status(411, "a POST needs a Content-Length header"))
        }
        0 => Ok(0),
        1 => {
            let value = request.header("content-length").unwrap_or_default();
            if value.is_empty() || value.len() > 12 || !value.bytes().all(|b| b.is_ascii_digit()) {
                return Err(Refusal::Status(400, "the Content-Length is not a number"));
            }
            // At most 12 digits: no overflow.
            Ok(value
                .parse::<u64>()
                .unwrap_or(u64::MAX)
                .min(usize::MAX as u64) as usize)
        }
        _ => Err(Refusal::Status(
            400,
            "the request has more than one Content-Length",
        )),
    }
}

/// Percent-decoding of a path (`+` stays `+`).
fn decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Percent-decoding of a query's name or value (`+` is a space).
fn decode_form(text: &str) -> Option<String> {
    decode(&text.replace('+', " "))
}

/// An answer.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
    /// Extra headers (name, value).
    pub headers: Vec<(&'static str, String)>,
}

impl Response {
    pub fn new(status: u16, content_type: &'static str, body: impl Into<Vec<u8>>) -> Response {
        Response {
            status,
            content_type,
            body: body.into(),
            headers: Vec::new(),
        }
    }

    /// A JSON document.
    pub fn json(status: u16, value: &serde_json::Value) -> Response {
        let mut body = serde_json::to_vec_pretty(value).unwrap_or_default();
        body.push(b'\n');
        Response::new(status, "application/json; charset=utf-8", body)
    }

    /// An error, as JSON: `{"error": "..."}`.
    pub fn error(status: u16, message: &str) -> Response {
        Response::json(status, &serde_json::json!({ "error": message }))
    }

    pub fn with_header(mut self, name: &'static str, value: impl Into<String>) -> Response {
        self.headers.push((name, value.into()));
        self
    }

    /// Writes the response, then the connection is closed by the caller.
    pub fn write_to(&self, out: &mut dyn Write) -> io::Result<()> {
        let mut head = format!(
            "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n",
            self.status,
            reason(self.status),
            self.content_type,
            self.body.len()
        );
        for (name, value) in SECURITY_HEADERS
            .iter()
            .copied()
            .chain(self.headers.iter().map(|(n, v)| (*n, v.as_str())))
        {
            head.push_str(name);
            head.push_str(": ");
            head.push_str(value);
            head.push_str("\r\n");
        }
        head.push_str("\r\n");
        out.write_all(head.as_bytes())?;
        out.write_all(&self.body)?;
        out.flush()
    }
}

/// Sent with every answer: the page loads nothing from elsewhere and may
/// not be framed by another site; nothing is cached or sniffed.
const SECURITY_HEADERS: &[(&str, &str)] = &[
    (
        "Content-Security-Policy",
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    ),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "no-referrer"),
    ("Cross-Origin-Resource-Policy", "same-origin"),
    ("Cache-Control", "no-store"),
];

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        411 => "Length Required",
        413 => "Content Too Large",
        422 => "Unprocessable Content",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(bytes: &[u8]) -> Result<Request, Refusal> {
        let mut stream = bytes;
        read_request(&mut stream, &mut || Ok(()))
    }

    #[test]
    fn a_post_with_its_length_is_read_whole() {
        let r = read(b"POST /api/check?today=2020-11-01&x=a%20b+c HTTP/1.1\r\nHost: 127.0.0.1:1\r\nContent-Length: 5\r\n\r\nhello").unwrap();
        assert_eq!(r.method, "POST");
        assert_eq!(r.path, "/api/check");
        assert_eq!(r.param("today"), Some("2020-11-01"));
        assert_eq!(r.param("x"), Some("a b c"));
        assert_eq!(r.header("host"), Some("127.0.0.1:1"));
        assert_eq!(r.body, b"hello");
    }

    #[test]
    fn length_games_are_refused() {
        let status = |bytes: &[u8]| match read(bytes) {
            Err(Refusal::Status(s, _)) => s,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            status(b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
            501
        );
        assert_eq!(
            status(b"POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nab"),
            400
        );
        assert_eq!(
            status(b"POST / HTTP/1.1\r\nContent-Length: +1\r\n\r\na"),
            400
        );
        assert_eq!(status(b"POST / HTTP/1.1\r\n\r\n"), 411);
        assert_eq!(
            status(b"POST / HTTP/1.1\r\nContent-Length: 1\r\n\r\nabGET / HTTP/1.1\r\n\r\n"),
            400
        );
        assert_eq!(
            status(b"POST / HTTP/1.1\r\nContent-Length: 4194305\r\n\r\n"),
            413
        );
        assert_eq!(status(b"GET / HTTP/1.1\r\nX: a\r\n b\r\n\r\n"), 400);
        assert_eq!(status(b"GET / HTTP/2\r\n\r\n"), 505);
        let mut huge = b"GET / HTTP/1.1\r\n".to_vec();
        huge.extend(std::iter::repeat_n(b'a', MAX_HEAD + 10));
        assert_eq!(status(&huge), 431);
    }

    #[test]
    fn a_request_cut_short_gets_no_answer_or_a_timeout() {
        assert_eq!(read(b""), Err(Refusal::Gone));
        assert_eq!(read(b"GET / HT"), Err(Refusal::Gone));
        let mut stream: &[u8] = b"POST / HTTP/1.1\r\nContent-Length: 9\r\n\r\nabc";
        let mut reads = 0;
        let late = read_request(&mut stream, &mut || {
            reads += 1;
            if reads > 1 {
                Err(io::ErrorKind::TimedOut.into())
            } else {
                Ok(())
            }
        });
        assert!(matches!(late, Err(Refusal::Status(408, _))));
    }

    proptest::proptest! {
        #[test]
        fn any_bytes_are_a_request_or_a_refusal_never_a_panic(
            head in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..600),
            tail in "[A-Za-z:\\- 0-9\r\n]{0,200}",
        ) {
            for bytes in [head.clone(), [b"POST / HTTP/1.1\r\n".as_slice(), tail.as_bytes(), b"\r\n\r\n", &head].concat()] {
                if let Ok(r) = read(&bytes) {
                    proptest::prop_assert!(r.body.len() <= MAX_BODY);
                }
            }
        }
    }
}
