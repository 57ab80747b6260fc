//! `escp serve [--port N] [--open] [--calls DIR] [--host ADDR]`: the web
//! workbench (docs/workbench.md). The server itself is [`crate::serve`].

use std::io::Write;
use std::net::IpAddr;
use std::path::PathBuf;

/// The arguments of `escp serve`.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// The port to listen on; 0 picks a free one.
    #[arg(long, default_value_t = 8754, value_name = "N")]
    pub port: u16,

    /// Open the page in the default web browser.
    #[arg(long)]
    pub open: bool,

    /// A folder of extra ruleset files (repeatable; default: $ESCP_CALLS).
    #[arg(long = "calls", value_name = "DIR")]
    pub calls: Vec<PathBuf>,

    /// Listen on this address instead of 127.0.0.1 (e.g. 0.0.0.0 for every
    /// network interface). The workbench has no login: anyone who can
    /// reach the address can use it.
    #[arg(long, value_name = "ADDR")]
    pub host: Option<IpAddr>,
}

pub fn run(args: ServeArgs) -> u8 {
    let catalog = match super::catalog(&args.calls) {
        Ok(c) => c,
        Err(e) => return super::fatal(e),
    };
    let host = args
        .host
        .unwrap_or(IpAddr::V4(std::net::Ipv4Addr::LOCALHOST));
    let server = match crate::serve::Server::bind(host, args.port, catalog) {
        Ok(s) => s,
        Err(e) => {
            let help = if e.kind() == std::io::ErrorKind::AddrInUse {
                "; another program uses it: choose another with --port N (0 for any free port)"
            } else {
                ""
            };
            return super::error(&format!(
                "cannot listen on {host} port {}: {e}{help}",
                args.port
            ));
        }
    };
    let url = server.url();
    // The address first, alone on its line: scripts and tests read it.
    if super::print(&format!("escp serve: {url}\n"), 0) != 0 {
        return 2;
    }
    let mut err = std::io::stderr().lock();
    if args
        .host
        .is_some_and(|h| h != IpAddr::V4(std::net::Ipv4Addr::LOCALHOST))
    {
        let reach = if host.is_loopback() {
            "this computer's other programs and users"
        } else {
            "anyone who can reach this address on the network"
        };
        let _ = writeln!(
            err,
            "escp serve: warning: listening on {host} (--host): {reach} can use the workbench, which has no login"
        );
    }
    let _ = writeln!(
        err,
        "escp serve: open {url} in a web browser; press Ctrl-C to stop"
    );
    drop(err);
    if args.open {
        open(&url);
    }
    match server.serve() {
        Ok(()) => 0,
        Err(e) => super::error(&format!("the workbench stopped: {e}")),
    }
}

/// Opens `url` in the default browser, without waiting for it. A browser
/// that cannot be started is said on standard error; the server goes on.
fn open(url: &str) {
    let command = if cfg!(target_os = "macos") {
        ("open", vec![url])
    } else if cfg!(windows) {
        ("cmd", vec!["/C", "start", "", url])
    } else {
        ("xdg-open", vec![url])
    };
    let started = std::process::Command::new(command.0)
        .args(&command.1)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if let Err(e) = started {
        let _ = writeln!(
            std::io::stderr(),
            "escp serve: cannot open a browser ({}: {e}); open {url} yourself",
            command.0
        );
    }
}
