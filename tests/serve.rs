//! `escp serve`: the web workbench's API and its defences, against the real
//! binary on a free port. Each answer about a consortium must be the
//! command line's: the same JSON as `escp check --format json -`, `escp
//! calls --format json` and `escp import --format json`.

mod common;

use common::{escp, escp_with_input, root, stdout};
use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

/// A running `escp serve --port 0`, stopped when dropped.
struct Server {
    child: Child,
    addr: SocketAddr,
}

impl Server {
    fn start() -> Server {
        let mut child = common::command_in(&root())
            .args(["serve", "--port", "0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("escp serve starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("a pipe"))
            .read_line(&mut line)
            .expect("escp serve prints its address");
        let url = line
            .trim()
            .strip_prefix("escp serve: http://")
            .and_then(|u| u.strip_suffix('/'))
            .unwrap_or_else(|| panic!("the first line is the address: {line:?}"));
        Server {
            child,
            addr: url.parse().expect("an address"),
        }
    }

    fn host(&self) -> String {
        format!("127.0.0.1:{}", self.addr.port())
    }

    /// Sends raw bytes, returns the status, the headers and the body.
    fn raw(&self, request: &[u8]) -> (u16, String, Vec<u8>) {
        let mut stream = TcpStream::connect(self.addr).expect("connects");
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        // A refused body may be cut short by the server: what matters is
        // the answer.
        let _ = stream.write_all(request);
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer);
        let end = answer
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .unwrap_or_else(|| {
                panic!(
                    "an HTTP answer: {:?}",
                    String::from_utf8_lossy(&answer[..answer.len().min(300)])
                )
            });
        let head = String::from_utf8_lossy(&answer[..end]).to_string();
        let status = head[9..12].parse().expect("a status");
        (status, head, answer[end + 4..].to_vec())
    }

    /// A request with the headers a browser on the page would send.
    fn request(
        &self,
        method: &str,
        path: &str,
        extra: &str,
        body: &[u8],
    ) -> (u16, String, Vec<u8>) {
        let mut request = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\n{extra}Content-Length: {}\r\n\r\n",
            self.host(),
            body.len()
        )
        .into_bytes();
        request.extend_from_slice(body);
        self.raw(&request)
    }

    fn post(&self, path: &str, body: &[u8]) -> (u16, Vec<u8>) {
        let (status, _, body) = self.request("POST", path, "", body);
        (status, body)
    }

    fn get(&self, path: &str) -> (u16, Vec<u8>) {
        let (status, _, body) = self.request("GET", path, "", b"");
        (status, body)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn json(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes).unwrap_or_else(|e| {
        panic!(
            "JSON expected ({e}): {}",
            String::from_utf8_lossy(&bytes[..bytes.len().min(500)])
        )
    })
}

/// The consortium files the comparisons run on: every example, and some
/// of the rule fixtures (broken, incomplete, unknown call).
fn samples() -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(root().join("examples"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    let rules: Vec<_> = std::fs::read_dir(root().join("tests/fixtures/rules"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.extend(rules.into_iter().step_by(7));
    files.sort();
    files
}

#[test]
fn a_check_is_the_same_json_as_escp_check_of_standard_input() {
    let server = Server::start();
    let samples = samples();
    assert!(samples.len() > 25, "{}", samples.len());
    let mut extra: Vec<(String, Vec<u8>)> = vec![
        ("empty".into(), Vec::new()),
        ("not TOML".into(), b"call = \n[[partner]\n".to_vec()),
        ("not UTF-8".into(), b"call = \"\xff\"\n".to_vec()),
        ("unknown call".into(), b"call = \"COS-NOPE\"\n".to_vec()),
    ];
    for path in &samples {
        extra.push((path.display().to_string(), std::fs::read(path).unwrap()));
    }
    for (name, text) in &extra {
        for today in ["2020-11-01", "2026-01-15"] {
            let cli = escp_with_input(
                &root(),
                &["check", "--format", "json", "--today", today, "-"],
                text,
            );
            let expected = stdout(&cli).replace("<stdin>", "<workbench>");
            let (status, head, body) = server.request(
                "POST",
                &format!("/api/check?today={today}"),
                "Content-Type: text/plain\r\n",
                text,
            );
            assert_eq!(status, 200, "{name}");
            assert_eq!(
                String::from_utf8(body).unwrap(),
                expected,
                "{name}, {today}"
            );
            let code = cli.status.code().unwrap();
            assert!(
                head.contains(&format!("X-Escp-Exit-Code: {code}")),
                "{name}: {head}"
            );
        }
    }
}

#[test]
fn the_calls_and_an_import_are_those_of_the_command_line() {
    let server = Server::start();
    let (status, body) = server.get("/api/calls?today=2020-11-01");
    assert_eq!(status, 200);
    let cli = escp(&["calls", "--format", "json", "--today", "2020-11-01"]);
    assert_eq!(String::from_utf8(body).unwrap(), stdout(&cli));

    for sheet in [
        "examples/partners.csv",
        "tests/fixtures/spreadsheets/filled-template.xlsx",
        "tests/fixtures/spreadsheets/filled-template.ods",
        "tests/fixtures/spreadsheets/encrypted.xlsx",
    ] {
        let bytes = std::fs::read(root().join(sheet)).unwrap();
        let name = sheet.rsplit('/').next().unwrap();
        let (status, body) = server.post(
            &format!(
                "/api/import?name={name}&call=COS-CLUSINT-2020-3-01&strand=A&today=2020-11-01"
            ),
            &bytes,
        );
        assert_eq!(status, 200, "{sheet}");
        let cli = escp(&[
            "import",
            sheet,
            "--format",
            "json",
            "--call",
            "COS-CLUSINT-2020-3-01",
            "--strand",
            "A",
            "--today",
            "2020-11-01",
        ]);
        let expected = json(
            stdout(&cli)
                .replace("\"<stdout>\"", "\"<workbench>\"")
                .as_bytes(),
        );
        // The command line names the spreadsheet by its path, the
        // workbench by its file name.
        let got = json(
            String::from_utf8(body)
                .unwrap()
                .replace(name, sheet)
                .as_bytes(),
        );
        assert_eq!(got, expected, "{sheet}");
    }
}

#[test]
fn the_form_edits_the_text_and_the_report_is_the_check_of_the_new_text() {
    let server = Server::start();
    let text =
        std::fs::read_to_string(root().join("examples/2020-strand-a-not-ready.toml")).unwrap();
    let edits = serde_json::json!({
        "text": text,
        "edits": [
            { "op": "set", "table": "partner", "index": 1, "key": "country", "value": "Germany" },
            { "op": "set", "table": "proposal", "key": "requested_grant_eur", "value": "540000" },
            { "op": "add", "table": "partner" },
        ]
    });
    let (status, body) = server.post("/api/edit?today=2020-11-01", edits.to_string().as_bytes());
    assert_eq!(status, 200);
    let answer = json(&body);
    let new = answer["text"].as_str().unwrap();
    assert!(new.contains("country = \"Germany\""), "{new}");
    assert!(new.contains("requested_grant_eur = 540000\n"), "{new}");
    // The comments the user wrote are kept.
    assert!(new.starts_with("# A consortium NOT ready"), "{new}");
    assert_eq!(answer["model"]["partners"].as_array().unwrap().len(), 4);
    let (_, check) = server.post("/api/check?today=2020-11-01", new.as_bytes());
    assert_eq!(answer["report"], json(&check));
    // Each diagnostic has its place in the form.
    let diagnostics = answer["report"]["files"][0]["diagnostics"]
        .as_array()
        .unwrap();
    let places = answer["places"].as_array().unwrap();
    assert_eq!(diagnostics.len(), places.len());
    let place = |rule: &str| {
        diagnostics
            .iter()
            .zip(places)
            .filter(|(d, _)| d["rule"] == rule)
            .map(|(_, p)| p["place"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert!(
        place("invalid-value").contains(&"partner.1.country".to_string()),
        "{places:?}"
    );
    assert_eq!(place("ecpp-registration"), Vec::<String>::new());
    assert_eq!(place("eccp-registration"), vec!["partner.2.eccp"]);

    // A fix offered by a diagnostic: the country's name becomes its code.
    let index = diagnostics
        .iter()
        .position(|d| d["rule"] == "invalid-value")
        .unwrap();
    let fix = serde_json::json!({ "text": new, "edits": [{ "op": "fix", "diagnostic": index }] });
    let (status, body) = server.post("/api/edit?today=2020-11-01", fix.to_string().as_bytes());
    assert_eq!(status, 200);
    assert!(json(&body)["text"]
        .as_str()
        .unwrap()
        .contains("country = \"DE\""));

    // An edit of what is not there is refused, and says why.
    let bad =
        serde_json::json!({ "text": "call = [", "edits": [{ "op": "add", "table": "partner" }] });
    let (status, body) = server.post("/api/edit", bad.to_string().as_bytes());
    assert_eq!(status, 422);
    assert!(json(&body)["error"]
        .as_str()
        .unwrap()
        .contains("not valid TOML"));
}

#[test]
fn the_starter_file_and_the_workbook_are_those_of_init_and_read_back_by_import() {
    let server = Server::start();
    let (status, body) = server.get("/api/starter?call=cos-clusint-2020-3-01&strand=strand%20a");
    assert_eq!(status, 200);
    let dir = tempdir();
    let path = dir.join("c.toml");
    escp(&[
        "init",
        path.to_str().unwrap(),
        "--call",
        "COS-CLUSINT-2020-3-01",
        "--strand",
        "A",
    ]);
    assert_eq!(
        json(&body)["toml"].as_str().unwrap(),
        std::fs::read_to_string(&path).unwrap()
    );
    let (status, body) = server.get("/api/starter?call=COS-CLUSINT-2020-3-01&strand=c");
    assert_eq!(status, 400);
    assert!(json(&body)["help"]
        .as_str()
        .unwrap()
        .contains("the strands are: A"));

    // The workbook of a ready consortium imports back to a ready one.
    let text = std::fs::read(root().join("examples/2020-strand-a-ready.toml")).unwrap();
    let (status, head, xlsx) = server.request("POST", "/api/workbook", "", &text);
    assert_eq!(status, 200);
    assert!(head.contains("spreadsheetml"), "{head}");
    let (_, body) = server.post("/api/import?name=c.xlsx&today=2020-11-01", &xlsx);
    let imported = json(&body);
    assert_eq!(
        imported["report"]["files"][0]["status"], "ready",
        "{imported:#}"
    );
    let (status, _) = server.post("/api/workbook", b"call = \"COS-NOPE\"\n");
    assert_eq!(status, 422);
}

fn tempdir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "escp-serve-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn only_its_own_host_and_origin_are_answered() {
    let server = Server::start();
    let port = server.addr.port();
    let ask = |host: &str, extra: &str| {
        let request =
            format!("POST /api/check HTTP/1.1\r\nHost: {host}\r\n{extra}Content-Length: 0\r\n\r\n");
        server.raw(request.as_bytes()).0
    };
    // DNS rebinding: a name of another site that points here.
    assert_eq!(ask(&format!("evil.example:{port}"), ""), 403);
    assert_eq!(ask("127.0.0.1", ""), 403);
    assert_eq!(ask(&format!("127.0.0.1:{}", port.wrapping_add(1)), ""), 403);
    assert_eq!(ask(&format!("127.0.0.1:{port}"), ""), 200);
    assert_eq!(ask(&format!("LOCALHOST:{port}"), ""), 200);
    let no_host = server.raw(b"GET / HTTP/1.1\r\n\r\n").0;
    assert_eq!(no_host, 403);
    // Another site posting through the user's browser.
    let host = server.host();
    for origin in [
        "http://evil.example".to_string(),
        format!("http://evil.example:{port}"),
        format!("https://127.0.0.1:{port}"),
        format!("http://127.0.0.1:{}", port.wrapping_add(1)),
        "null".to_string(),
    ] {
        assert_eq!(
            ask(&host, &format!("Origin: {origin}\r\n")),
            403,
            "{origin}"
        );
    }
    assert_eq!(
        ask(&host, &format!("Origin: http://127.0.0.1:{port}\r\n")),
        200
    );
    assert_eq!(
        ask(&host, &format!("Origin: http://localhost:{port}\r\n")),
        200
    );
    assert_eq!(ask(&host, "Sec-Fetch-Site: cross-site\r\n"), 403);
    assert_eq!(ask(&host, "Sec-Fetch-Site: same-origin\r\n"), 200);
    let (status, _, _) =
        server.request("GET", "/api/calls", "Origin: http://evil.example\r\n", b"");
    assert_eq!(status, 403);
}

#[test]
fn bodies_over_4_mib_and_length_games_are_refused() {
    let server = Server::start();
    let limit = 4 * 1024 * 1024;
    let mut big = vec![b'#'; limit + 1];
    big[limit] = b'\n';
    assert_eq!(server.post("/api/check", &big).0, 413);
    assert_eq!(server.post("/api/import?name=a.csv", &big).0, 413);
    // 4 MiB exactly is read (and checked: a file of comments has no call).
    let (status, body) = server.post("/api/check", &big[1..]);
    assert_eq!(status, 200);
    assert_eq!(json(&body)["files"][0]["status"], "unchecked");
    let host = server.host();
    let chunked = format!(
        "POST /api/check HTTP/1.1\r\nHost: {host}\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
    );
    assert_eq!(server.raw(chunked.as_bytes()).0, 501);
    let both = format!(
        "POST /api/check HTTP/1.1\r\nHost: {host}\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\nhello"
    );
    assert_eq!(server.raw(both.as_bytes()).0, 501);
    let twice = format!(
        "POST /api/check HTTP/1.1\r\nHost: {host}\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!"
    );
    assert_eq!(server.raw(twice.as_bytes()).0, 400);
    let none = format!("POST /api/check HTTP/1.1\r\nHost: {host}\r\n\r\n");
    assert_eq!(server.raw(none.as_bytes()).0, 411);
    let declared =
        format!("POST /api/check HTTP/1.1\r\nHost: {host}\r\nContent-Length: 99999999999\r\n\r\n");
    assert_eq!(server.raw(declared.as_bytes()).0, 413);
}

#[test]
fn only_get_and_post_and_only_the_embedded_page_are_served() {
    let server = Server::start();
    for method in [
        "PUT", "DELETE", "OPTIONS", "PATCH", "HEAD", "TRACE", "CONNECT",
    ] {
        let (status, head, _) = server.request(method, "/", "", b"");
        assert_eq!(status, 405, "{method}");
        assert!(head.contains("Allow: GET, POST"), "{head}");
    }
    let (status, head, page) = server.request("GET", "/", "", b"");
    assert_eq!(status, 200);
    assert!(
        head.contains("Content-Security-Policy: default-src 'self'"),
        "{head}"
    );
    assert!(String::from_utf8(page).unwrap().contains("escp workbench"));
    for path in [
        "/app.js",
        "/style.css",
        "/form.js",
        "/report.js",
        "/api.js",
        "/favicon.svg",
    ] {
        assert_eq!(server.get(path).0, 200, "{path}");
    }
    for path in [
        "/Cargo.toml",
        "/../Cargo.toml",
        "/%2e%2e/Cargo.toml",
        "/web/index.html",
        "/etc/passwd",
        "/examples/2020-strand-a-ready.toml",
        "//etc/passwd",
        "/app.js/../../Cargo.toml",
    ] {
        assert_eq!(server.get(path).0, 404, "{path}");
    }
}

#[test]
fn a_slow_client_does_not_hold_up_the_others_and_is_dropped() {
    let server = Server::start();
    // Two clients that start a request and never finish it.
    let mut slow: Vec<TcpStream> = (0..2)
        .map(|_| {
            let mut s = TcpStream::connect(server.addr).unwrap();
            s.write_all(b"POST /api/check HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nab")
                .unwrap();
            s
        })
        .collect();
    let started = Instant::now();
    let (status, _) = server.get("/api/calls");
    assert_eq!(status, 200);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    // The slow ones are answered 408 and closed once their time is up.
    for s in &mut slow {
        s.set_read_timeout(Some(Duration::from_secs(15))).unwrap();
        let mut answer = String::new();
        let _ = s.read_to_string(&mut answer);
        assert!(answer.starts_with("HTTP/1.1 408"), "{answer:?}");
    }
    assert!(
        started.elapsed() < Duration::from_secs(12),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn every_check_says_its_server_time() {
    // The time itself is measured by the benchmark (bench/serve_latency.py,
    // BENCHMARKS.md), not asserted here: a test asserts behaviour.
    let server = Server::start();
    let text = std::fs::read(root().join("examples/2020-strand-a-not-ready.toml")).unwrap();
    for _ in 0..3 {
        let (status, head, _) = server.request("POST", "/api/check?today=2020-11-01", "", &text);
        assert_eq!(status, 200);
        let dur = head
            .split("Server-Timing: check;dur=")
            .nth(1)
            .and_then(|t| t.split(|c: char| c != '.' && !c.is_ascii_digit()).next())
            .unwrap_or_else(|| panic!("a Server-Timing header: {head}"));
        let ms: f64 = dur.parse().unwrap();
        assert!(ms.is_finite() && ms >= 0.0, "{ms}");
    }
}

#[test]
fn another_address_is_taken_only_when_asked_and_with_a_warning() {
    let mut child = common::command_in(&root())
        .args(["serve", "--port", "0", "--host", "127.0.0.2"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("escp serve starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let mut warning = String::new();
    BufReader::new(child.stderr.take().unwrap())
        .read_line(&mut warning)
        .unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert!(line.starts_with("escp serve: http://127.0.0.2:"), "{line}");
    assert!(
        warning.contains("warning: listening on 127.0.0.2 (--host)"),
        "{warning}"
    );
    // Without --host: no warning, and 127.0.0.1.
    let server = Server::start();
    assert_eq!(server.addr.ip().to_string(), "127.0.0.1");
}

#[test]
fn a_request_carries_a_bounded_number_of_edits() {
    let server = Server::start();
    let edit =
        serde_json::json!({ "op": "set", "table": "proposal", "key": "acronym", "value": "A" });
    let body = serde_json::json!({ "text": "call = \"x\"\n", "edits": vec![edit; 201] });
    assert_eq!(server.post("/api/edit", body.to_string().as_bytes()).0, 413);
}
