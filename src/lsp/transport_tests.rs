use super::*;

fn framed(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

/// Every frame of `input`, read with `cap`.
fn frames(input: &[u8], cap: usize) -> Vec<Frame> {
    let mut reader = Reader::new(input, cap);
    let mut out = Vec::new();
    while let Some(frame) = reader.next_frame().unwrap() {
        out.push(frame);
    }
    out
}

fn answer(frame: &Frame) -> (i64, Value) {
    match frame {
        Frame::Answer(a) => (a["error"]["code"].as_i64().unwrap(), a["id"].clone()),
        other => panic!("not an answer: {other:?}"),
    }
}

const HOVER: &[u8] = br#"{"jsonrpc":"2.0","id":3,"method":"textDocument/hover","params":{}}"#;

fn is_hover(frame: &Frame) -> bool {
    matches!(frame, Frame::Message(Message::Request(r)) if r.method == "textDocument/hover" && r.id == 3.into())
}

#[test]
fn bodies_that_are_not_messages_are_answered_and_reading_goes_on() {
    let mut input = Vec::new();
    for body in [
        &b"not json"[..],
        b"{\"method\": \"\xff\"}",
        b"[1, 2]",
        b"{\"jsonrpc\":\"2.0\",\"id\":{\"a\":1},\"method\":\"x\"}",
        b"{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":false}",
        b"{\"jsonrpc\":\"2.0\",\"id\":4294967296,\"method\":\"x\"}",
        b"{\"jsonrpc\":\"2.0\"}",
        // A response, and a notification with a null id (as lsp-server
        // reads it).
        b"{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":null}",
        b"{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"initialized\"}",
        HOVER,
    ] {
        input.extend(framed(body));
    }
    let got = frames(&input, 1 << 20);
    assert_eq!(got.len(), 10, "{got:?}");
    assert_eq!(answer(&got[0]), (-32700, Value::Null));
    assert_eq!(answer(&got[1]), (-32700, Value::Null));
    assert_eq!(answer(&got[2]), (-32600, Value::Null));
    assert_eq!(answer(&got[3]), (-32600, Value::Null));
    assert_eq!(answer(&got[4]), (-32600, json!(5)));
    assert_eq!(answer(&got[5]), (-32600, json!(4294967296u64)));
    assert_eq!(answer(&got[6]), (-32600, Value::Null));
    assert!(matches!(&got[7], Frame::Message(Message::Response(r)) if r.id == 1.into()));
    assert!(
        matches!(&got[8], Frame::Message(Message::Notification(n)) if n.method == "initialized")
    );
    assert!(is_hover(&got[9]));
}

#[test]
fn broken_headers_are_parse_errors_and_the_next_frame_is_read() {
    let mut input = Vec::new();
    input.extend_from_slice(b"Content-Type: x\r\n\r\n");
    input.extend_from_slice(b"Content-Length: -3\r\n\r\n");
    // A line far longer than any header, then a good frame.
    input.extend_from_slice(b"X: ");
    input.extend(std::iter::repeat_n(b'a', 1 << 20));
    input.extend_from_slice(b"\r\n\r\n");
    input.extend(framed(HOVER));
    // A body after a header without a length runs into the next header.
    input.extend_from_slice(b"Content-Type: x\r\n\r\n{\"id\":1}");
    input.extend(framed(HOVER));
    let got = frames(&input, 1 << 20);
    assert_eq!(got.len(), 6, "{got:?}");
    for i in [0, 1, 2, 4] {
        assert_eq!(answer(&got[i]).0, -32700, "{:?}", got[i]);
    }
    assert!(is_hover(&got[3]));
    assert!(is_hover(&got[5]));
}

#[test]
fn a_header_line_is_never_held_whole() {
    // 64 MiB of header without a line break: at most LINE_MAX bytes are
    // kept, and the end of the input ends the reading.
    struct Endless(usize);
    impl Read for Endless {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = buf.len().min(self.0);
            buf[..n].fill(b'x');
            self.0 -= n;
            Ok(n)
        }
    }
    let mut reader = Reader::new(io::BufReader::new(Endless(64 << 20)), 1 << 20);
    assert!(reader.next_frame().unwrap().is_none());
}

#[test]
fn a_document_over_the_cap_is_named_not_held() {
    let text = "call = \"X\"\n".repeat(100);
    let open = json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
        "textDocument": {"uri": "file:///a.toml", "languageId": "toml", "version": 3, "text": text}}});
    let change = json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
        "textDocument": {"uri": "file:///a.toml", "version": 4},
        "contentChanges": [{"text": text}]}});
    let request = json!({"jsonrpc": "2.0", "id": "r7", "method": "textDocument/hover", "params": {"x": text}});
    let other = json!({"jsonrpc": "2.0", "method": "workspace/didChangeConfiguration", "params": {"x": text}});
    let mut input = Vec::new();
    for message in [&open, &change, &request, &other] {
        input.extend(framed(message.to_string().as_bytes()));
    }
    input.extend(framed(HOVER));
    let got = frames(&input, 200);
    assert_eq!(got.len(), 5, "{got:?}");
    let too_large = |frame: &Frame| match frame {
        Frame::Message(Message::Notification(n)) if n.method == TOO_LARGE => n.params.clone(),
        other => panic!("not too large: {other:?}"),
    };
    assert_eq!(
        too_large(&got[0]),
        json!({"uri": "file:///a.toml", "version": 3, "opened": true, "start": text})
    );
    assert_eq!(
        too_large(&got[1]),
        json!({"uri": "file:///a.toml", "version": 4, "opened": false, "start": null})
    );
    assert_eq!(answer(&got[2]), (-32600, json!("r7")));
    assert!(matches!(&got[3], Frame::Dropped(_)), "{:?}", got[3]);
    assert!(is_hover(&got[4]));
}

#[test]
fn strings_over_the_cap_are_cut_where_they_stay_json() {
    // Emoji as surrogate pairs, a raw emoji, and an escape at every cut.
    for unit in ["\\ud83d\\ude00", "😀", "\\n", "a"] {
        let text = unit.repeat(3 * KEPT / unit.len());
        let body = format!(
            r#"{{"method":"textDocument/didOpen","params":{{"textDocument":{{"uri":"file:///b","version":1,"text":"{text}"}}}}}}"#
        );
        let got = frames(&framed(body.as_bytes()), 1024);
        let Frame::Message(Message::Notification(n)) = &got[0] else {
            panic!("{unit}: {got:?}");
        };
        let start = n.params["start"].as_str().unwrap();
        assert!(!start.is_empty() && start.len() <= KEPT + 4, "{unit}");
    }
}

#[test]
fn bodies_beyond_the_bounds_are_refused() {
    // Nested deeper than any message, over the cap: never read into memory.
    let deep = format!("{}{}", "[".repeat(1000), "]".repeat(1000));
    let got = frames(&framed(deep.as_bytes()), 100);
    assert_eq!(answer(&got[0]).0, -32700);
    // Millions of values in a body under the cap.
    let many = format!("[{}0]", "0,".repeat(VALUES_MAX + 1));
    let got = frames(&framed(many.as_bytes()), 64 << 20);
    assert_eq!(answer(&got[0]).0, -32600);
    // A length the input never reaches: the input ends.
    let got = frames(b"Content-Length: 18446744073709551615\r\n\r\n{\"a\":", 100);
    assert!(got.is_empty(), "{got:?}");
    let got = frames(b"Content-Length: 50\r\n\r\n{\"a\":", 100);
    assert!(got.is_empty(), "{got:?}");
}
