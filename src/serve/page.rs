//! The page's files, embedded in the binary from `web/` (plain HTML, CSS
//! and JavaScript modules: `cargo install` needs no JavaScript toolchain,
//! and the page loads nothing from anywhere but this server).

/// Each file: its path on the server, its content type, its bytes.
pub const FILES: &[(&str, &str, &[u8])] = &[
    (
        "/",
        "text/html; charset=utf-8",
        include_bytes!("../../web/index.html"),
    ),
    (
        "/style.css",
        "text/css; charset=utf-8",
        include_bytes!("../../web/style.css"),
    ),
    (
        "/app.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../web/app.js"),
    ),
    (
        "/api.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../web/api.js"),
    ),
    (
        "/form.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../web/form.js"),
    ),
    (
        "/report.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../web/report.js"),
    ),
    (
        "/favicon.svg",
        "image/svg+xml",
        include_bytes!("../../web/favicon.svg"),
    ),
];

/// The embedded file at `path` (`/index.html` is `/`).
pub fn file(path: &str) -> Option<(&'static str, &'static [u8])> {
    let path = if path == "/index.html" { "/" } else { path };
    FILES
        .iter()
        .find(|(p, _, _)| *p == path)
        .map(|(_, t, b)| (*t, *b))
}
