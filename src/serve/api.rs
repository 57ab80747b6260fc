//! The workbench's answers: the page's files and the API (docs/workbench.md).
//! Every check goes through the pipeline of `escp check`, with the same
//! catalog and options, and every report through its JSON reporter: for
//! the same text, `POST /api/check` gives the document that `escp check
//! --format json -` gives, the file named [`WORKBENCH`].
//!
//! Before anything else, each request's `Host` must name the server (so
//! that a site whose name was made to point at 127.0.0.1 cannot read it)
//! and its `Origin`, when a browser sends one, must be the server's own (so
//! that no other site can post to it).

use super::http::{Request, Response};
use super::model::{self, Outline};
use super::{edit, page, vocabulary, State};
use crate::clock::Clock;
use crate::pipeline::{self, FileReport, Options};
use crate::report::RunInfo;
use crate::ruleset::{Ruleset, StrandSetting};
use serde_json::{json, Value};
use std::net::IpAddr;
use std::sync::Arc;

/// The most edits one request may carry (each is applied to the whole
/// text: the bound keeps a request's work in proportion to a person's).
const MAX_EDITS: usize = 200;

/// The name the checked text goes by in reports.
pub const WORKBENCH: &str = "<workbench>";

const RUN: RunInfo = RunInfo {
    deny_warnings: false,
};

/// Answers one request.
pub fn handle(request: &Request, state: &State) -> Response {
    if request.method != "GET" && request.method != "POST" {
        return Response::error(405, "only GET and POST are answered here")
            .with_header("Allow", "GET, POST");
    }
    if let Err(why) = allowed(request, state) {
        return Response::error(403, why);
    }
    let clock = match clock(request) {
        Ok(c) => c,
        Err(why) => return Response::error(400, &why),
    };
    match (request.method.as_str(), request.path.as_str()) {
        ("GET", "/api/calls") => {
            let calls = state.catalog.loadable();
            Response::json(200, &crate::describe::calls::list_json(&calls, clock))
        }
        ("GET", "/api/vocabulary") => with_call(request, state, |call, strand| {
            Response::json(200, &vocabulary::vocabulary(call, strand))
        }),
        ("GET", "/api/starter") => starter(request, state),
        ("GET", "/api/workbook") => {
            with_call(
                request,
                state,
                |call, strand| match crate::template::workbook::workbook(call, strand) {
                    Ok(bytes) => xlsx(bytes),
                    Err(e) => Response::error(500, &format!("cannot build the workbook: {e}")),
                },
            )
        }
        ("POST", "/api/workbook") => workbook(request, state),
        ("POST", "/api/check") => {
            let started = std::time::Instant::now();
            let report = check(request.body.clone(), state, clock);
            let body = json_report(&report);
            Response::new(200, "application/json; charset=utf-8", body)
                .with_header("X-Escp-Exit-Code", exit_code(&report).to_string())
                .with_header("Server-Timing", timing(started))
        }
        ("POST", "/api/import") => import(request, state, clock),
        ("POST", "/api/edit") => edit(request, state, clock),
        ("GET", path) => match page::file(path) {
            Some((content_type, bytes)) => Response::new(200, content_type, bytes),
            None => Response::error(404, "no such page"),
        },
        ("POST", path) if page::file(path).is_some() => {
            Response::error(405, "this address is a page: GET it").with_header("Allow", "GET")
        }
        _ => Response::error(404, "no such address"),
    }
}

/// The hosts a request may name: the bound address, `localhost` and
/// `127.0.0.1`, each with the port (without it on port 80). A server bound
/// to every interface (`--host 0.0.0.0`) answers to the address each
/// request came in on; never to a name other than `localhost`, which is
/// what a rebinding site would send.
fn allowed_host(host: &str, state: &State, local: Option<IpAddr>) -> bool {
    let port = state.addr.port();
    let shown = |ip: IpAddr| match ip {
        IpAddr::V6(v6) => format!("[{v6}]"),
        IpAddr::V4(v4) => v4.to_string(),
    };
    let mut names = vec![
        "127.0.0.1".to_string(),
        "localhost".to_string(),
        shown(state.addr.ip()),
    ];
    if let Some(ip) = local.filter(|_| state.addr.ip().is_unspecified()) {
        names.push(shown(ip));
    }
    let host = host.to_ascii_lowercase();
    names
        .iter()
        .any(|name| host == format!("{name}:{port}") || (port == 80 && host == *name))
}

fn allowed(request: &Request, state: &State) -> Result<(), &'static str> {
    if request.header_count("host") != 1
        || !allowed_host(
            request.header("host").unwrap_or_default(),
            state,
            request.local,
        )
    {
        return Err("this server answers requests for its own address only (127.0.0.1 or localhost with its port)");
    }
    match request.header_count("origin") {
        0 => {}
        1 => {
            let origin = request.header("origin").unwrap_or_default();
            let own = origin
                .strip_prefix("http://")
                .is_some_and(|host| allowed_host(host, state, request.local));
            if !own {
                return Err("requests from another site are refused");
            }
        }
        _ => return Err("requests from another site are refused"),
    }
    // A browser that sends no Origin still says where a request comes from.
    if request.method == "POST"
        && matches!(
            request.header("sec-fetch-site"),
            Some("cross-site" | "same-site")
        )
    {
        return Err("requests from another site are refused");
    }
    Ok(())
}

/// `?today=YYYY-MM-DD` or `?now=RFC3339`, as on the command line.
fn clock(request: &Request) -> Result<Clock, String> {
    let today = request
        .param("today")
        .filter(|v| !v.is_empty())
        .map(crate::clock::parse_date)
        .transpose()?;
    let now = request
        .param("now")
        .filter(|v| !v.is_empty())
        .map(crate::clock::parse_instant)
        .transpose()?;
    Ok(Clock::from_args(now, today))
}

/// The call (`?call=`) and strand (`?strand=`, optional) of a request.
fn with_call(
    request: &Request,
    state: &State,
    answer: impl FnOnce(&Ruleset, Option<usize>) -> Response,
) -> Response {
    let id = request.param("call").unwrap_or_default();
    match state.catalog.find(id) {
        Ok(Some(call)) => {
            let strand = request.param("strand").and_then(|s| call.strand_index(s));
            answer(&call, strand)
        }
        Ok(None) => Response::json(
            404,
            &json!({ "error": format!("unknown call `{}`", crate::text::clean(id)), "help": state.catalog.unknown_hint(id) }),
        ),
        Err(e) => Response::error(500, &e.summary()),
    }
}

/// `GET /api/starter?call=ID&strand=S`: the starter file of `escp init`.
fn starter(request: &Request, state: &State) -> Response {
    let id = request.param("call").unwrap_or_default();
    let call = match state.catalog.find(id) {
        Ok(Some(call)) => call,
        Ok(None) => {
            return Response::json(
                404,
                &json!({ "error": format!("unknown call `{}`", crate::text::clean(id)), "help": state.catalog.unknown_hint(id) }),
            )
        }
        Err(e) => return Response::error(500, &e.summary()),
    };
    let strands = || {
        call.strands
            .iter()
            .map(|s| format!("{} ({})", s.id, s.title))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let given = request.param("strand").filter(|s| !s.trim().is_empty());
    let index = match (call.strands.is_empty(), given) {
        (true, _) => None,
        (false, None) => {
            return Response::json(
                400,
                &json!({ "error": format!("{} has strands: choose one", call.id), "help": format!("the strands are: {}", strands()) }),
            )
        }
        (false, Some(s)) => match call.strand_index(s) {
            Some(i) => Some(i),
            None => {
                let near = call
                    .strand_near(s)
                    .map(|i| &call.strands[i])
                    .map(|n| format!("did you mean {} ({})? ", n.id, n.title))
                    .unwrap_or_default();
                return Response::json(
                    400,
                    &json!({ "error": format!("\"{}\" is not a strand of {}", crate::text::clean(s), call.id), "help": format!("{near}the strands are: {}", strands()) }),
                );
            }
        },
    };
    Response::json(
        200,
        &json!({
            "call": call.id,
            "strand": index.map(|i| call.strands[i].id.clone()),
            "toml": crate::template::starter::text(&call, index),
        }),
    )
}

/// The server's time for an answer, as the `Server-Timing` header says it.
fn timing(started: std::time::Instant) -> String {
    format!("check;dur={:.3}", started.elapsed().as_secs_f64() * 1000.0)
}

/// `POST /api/workbook` with a consortium file: the workbook template of its
/// call and strand, filled in with its values, for `escp import` to read back.
fn workbook(request: &Request, state: &State) -> Response {
    let Ok(text) = std::str::from_utf8(&request.body) else {
        return Response::error(400, "the body is not UTF-8 text");
    };
    let Some((call, strand)) = call_of(text, state) else {
        return Response::error(
            422,
            "the file names no call escp knows: choose the call first",
        );
    };
    let fill = model::outline(text).map(|o| o.fill()).unwrap_or_default();
    match crate::template::workbook::filled(&call, strand, &fill) {
        Ok(bytes) => xlsx(bytes),
        Err(e) => Response::error(500, &format!("cannot build the workbook: {e}")),
    }
}

fn xlsx(bytes: Vec<u8>) -> Response {
    Response::new(
        200,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        bytes,
    )
    .with_header(
        "Content-Disposition",
        "attachment; filename=\"consortium.xlsx\"",
    )
}

/// The check of `escp check -` for these bytes, under the name [`WORKBENCH`].
pub fn check(bytes: Vec<u8>, state: &State, clock: Clock) -> FileReport {
    let options = Options { clock };
    let input = crate::input::decode(WORKBENCH, bytes);
    let mut reports = vec![pipeline::check_input(input, &state.catalog, options)];
    pipeline::across_files(&mut reports);
    reports.pop().unwrap_or_else(|| {
        FileReport::unreadable(&crate::input::Unreadable {
            name: WORKBENCH.into(),
            why: "nothing was checked".into(),
            kind: crate::input::UnreadableKind::Other,
        })
    })
}

/// The JSON report's bytes, as `escp check --format json` writes them.
pub fn json_report(report: &FileReport) -> Vec<u8> {
    let mut out = Vec::new();
    if crate::report::json::write(&mut out, std::slice::from_ref(report), RUN).is_err() {
        out.clear();
    }
    out
}

fn exit_code(report: &FileReport) -> u8 {
    crate::report::exit_code(std::slice::from_ref(report), RUN)
}

/// `POST /api/import?name=FILE[&sheet=&call=&strand=]`: the spreadsheet in
/// the body, imported as `escp import --format json` does.
fn import(request: &Request, state: &State, clock: Clock) -> Response {
    let name = request.param("name").unwrap_or("spreadsheet");
    let options = crate::import::Options {
        sheet: request.param("sheet").filter(|s| !s.is_empty()),
        call: request.param("call").filter(|s| !s.is_empty()),
        strand: request.param("strand").filter(|s| !s.is_empty()),
    };
    let (value, code) = crate::import::json::api(
        &request.body,
        name,
        &options,
        &state.catalog,
        Options { clock },
        WORKBENCH,
    );
    Response::json(200, &value).with_header("X-Escp-Exit-Code", code.to_string())
}

/// The body of `POST /api/edit`.
#[derive(serde::Deserialize)]
struct EditRequest {
    text: String,
    #[serde(default)]
    edits: Vec<edit::Edit>,
}

/// `POST /api/edit`: the form's edits applied to the text, then the text's
/// check, outline and the place of each diagnostic in the form.
fn edit(request: &Request, state: &State, clock: Clock) -> Response {
    let started = std::time::Instant::now();
    let body: EditRequest = match serde_json::from_slice(&request.body) {
        Ok(b) => b,
        Err(e) => {
            return Response::error(
                400,
                &format!(
                    "the body is not an edit request ({{\"text\": ..., \"edits\": [...]}}): {e}"
                ),
            )
        }
    };
    if body.edits.len() > MAX_EDITS {
        return Response::error(
            413,
            &format!("at most {MAX_EDITS} edits are applied in one request"),
        );
    }
    let mut text = body.text;
    for e in &body.edits {
        let result = match e {
            edit::Edit::Fix { diagnostic } => {
                let report = check(text.clone().into_bytes(), state, clock);
                match report
                    .findings
                    .get(*diagnostic)
                    .and_then(|f| f.fixes.first())
                {
                    Some(fix) => Ok(crate::fix::apply(&text, [fix]).text),
                    None => Err(edit::Refused("that diagnostic has no fix".into())),
                }
            }
            other => {
                let call = call_of(&text, state);
                let reads = |table: &str, key: &str| match &call {
                    Some((call, strand)) => crate::template::Requirements {
                        call,
                        strand: *strand,
                    }
                    .reads(table, key),
                    None => false,
                };
                edit::apply(&text, other, &reads)
            }
        };
        match result {
            Ok(t) => text = t,
            Err(edit::Refused(why)) => return Response::error(422, &why),
        }
    }
    let report = check(text.clone().into_bytes(), state, clock);
    Response::json(200, &workbench(&text, &report))
        .with_header("X-Escp-Exit-Code", exit_code(&report).to_string())
        .with_header("Server-Timing", timing(started))
}

/// The call and strand a text names, if the catalog knows the call.
fn call_of(text: &str, state: &State) -> Option<(Arc<Ruleset>, Option<usize>)> {
    let doc = toml_edit::Document::parse(text).ok()?;
    let call = state.catalog.find(doc.get("call")?.as_str()?).ok()??;
    let strand = doc
        .get("strand")
        .and_then(|s| s.as_str())
        .and_then(|s| call.strand_index(s));
    Some((call, strand))
}

/// What the page gets for a text: the text, its outline, the check's JSON
/// report (the same document as `POST /api/check`) and, for each of the
/// report's diagnostics in order, its place in the form, its position in
/// the text view (UTF-16) and the basis of the rule's parameter.
pub fn workbench(text: &str, report: &FileReport) -> Value {
    let outline: Option<Outline> = model::outline(text);
    let u = model::Utf16::new(text);
    let strand = report
        .call
        .as_ref()
        .and_then(|call| report.strand.as_deref().and_then(|s| call.strand_index(s)));
    let places: Vec<Value> =
        report
            .findings
            .iter()
            .map(|f| {
                let basis = report.call.as_ref().and_then(|call| {
                    match call.entry(f.rule)?.setting(strand) {
                        StrandSetting::Applies(s) => Some(s.basis.as_str()),
                        _ => None,
                    }
                });
                json!({
                    "place": model::place(outline.as_ref(), f.rule, &f.primary.span),
                    "span": u.span(&f.primary.span),
                    "basis": basis,
                })
            })
            .collect();
    let report_json: Value = serde_json::from_slice(&json_report(report)).unwrap_or(Value::Null);
    json!({
        "version": 1,
        "text": text,
        "model": outline.as_ref().map(|o| o.to_json(text)),
        "report": report_json,
        "places": places,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(addr: &str) -> State {
        State {
            catalog: crate::ruleset::Catalog::new(&[]).unwrap(),
            addr: addr.parse().unwrap(),
        }
    }

    #[test]
    fn hosts_are_the_address_listened_on_with_its_port() {
        let local = state("127.0.0.1:8754");
        assert!(allowed_host("127.0.0.1:8754", &local, None));
        assert!(allowed_host("Localhost:8754", &local, None));
        assert!(!allowed_host("localhost", &local, None));
        assert!(!allowed_host("evil.example:8754", &local, None));
        assert!(!allowed_host(
            "192.168.1.5:8754",
            &local,
            "192.168.1.5".parse().ok()
        ));
        // Every interface: the address the request came in on, never a name.
        let all = state("0.0.0.0:8754");
        assert!(allowed_host(
            "192.168.1.5:8754",
            &all,
            "192.168.1.5".parse().ok()
        ));
        assert!(!allowed_host(
            "192.168.1.6:8754",
            &all,
            "192.168.1.5".parse().ok()
        ));
        assert!(!allowed_host(
            "escp.example:8754",
            &all,
            "192.168.1.5".parse().ok()
        ));
        let v6 = state("[::1]:80");
        assert!(allowed_host("[::1]", &v6, None));
        assert!(allowed_host("[::1]:80", &v6, None));
    }
}
