//! `escp serve`: the web workbench, a local page for people who never open
//! a terminal (docs/workbench.md).
//!
//! The server is synchronous, like the rest of escp: one thread accepts
//! connections and hands them to a small, fixed pool of workers through a
//! bounded queue; each worker reads one request ([`http`]), answers it
//! ([`api`]) and closes the connection. A connection that does not deliver
//! its request in time is dropped, so a slow client holds one worker for
//! at most [`REQUEST_DEADLINE`]; when every worker is busy and the queue is
//! full, a new connection is told so at once (503) instead of waiting.
//!
//! The server reads no file but its rulesets (through the [`Catalog`]),
//! writes none, and makes no outbound connection. Every request's `Host`
//! must be the address it listens on (no DNS rebinding) and every
//! `Origin`, where a browser sends one, the server's own (no other site
//! may drive it).

pub mod api;
pub mod edit;
pub mod http;
pub mod model;
pub mod page;
pub mod vocabulary;

use crate::ruleset::Catalog;
use std::io;
use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long a client has to send its whole request.
pub const REQUEST_DEADLINE: Duration = Duration::from_secs(10);
/// The longest silence between two reads of a request.
const IDLE: Duration = Duration::from_secs(5);
/// How many requests are answered at once.
const WORKERS: usize = 4;
/// How many accepted connections may wait for a worker.
const QUEUE: usize = 32;

/// What the server needs to answer.
pub struct State {
    pub catalog: Catalog,
    /// The address it listens on, for the `Host` and `Origin` checks.
    pub addr: SocketAddr,
}

/// A bound server, not yet serving: its address is known (port 0 picks a
/// free one).
pub struct Server {
    listener: TcpListener,
    state: Arc<State>,
}

impl Server {
    pub fn bind(host: IpAddr, port: u16, catalog: Catalog) -> io::Result<Server> {
        let listener = TcpListener::bind((host, port))?;
        let addr = listener.local_addr()?;
        Ok(Server {
            listener,
            state: Arc::new(State { catalog, addr }),
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.state.addr
    }

    /// The page's address, as printed and opened.
    pub fn url(&self) -> String {
        url(self.state.addr)
    }

    /// Serves until the process ends.
    pub fn serve(self) -> io::Result<()> {
        let (send, receive) = crossbeam_channel::bounded::<TcpStream>(QUEUE);
        for i in 0..WORKERS {
            let receive = receive.clone();
            let state = Arc::clone(&self.state);
            std::thread::Builder::new()
                .name(format!("escp-serve-{i}"))
                .spawn(move || {
                    for stream in receive {
                        connection(stream, &state);
                    }
                })?;
        }
        for stream in self.listener.incoming() {
            let Ok(stream) = stream else { continue };
            if let Err(crossbeam_channel::TrySendError::Full(mut stream)) = send.try_send(stream) {
                let _ = stream.set_write_timeout(Some(Duration::from_secs(1)));
                let _ = http::Response::error(503, "the workbench is busy: try again")
                    .write_to(&mut stream);
            }
        }
        Ok(())
    }
}

/// `http://127.0.0.1:8754/` (an IPv6 address in brackets).
pub fn url(addr: SocketAddr) -> String {
    format!("http://{addr}/")
}

/// One connection: one request read within its deadline, one answer.
fn connection(mut stream: TcpStream, state: &State) {
    let started = Instant::now();
    let _ = stream.set_nodelay(true);
    let _ = stream.set_write_timeout(Some(REQUEST_DEADLINE));
    let mut before_read = {
        let stream = stream.try_clone();
        move || -> io::Result<()> {
            let left = REQUEST_DEADLINE.saturating_sub(started.elapsed());
            if left.is_zero() {
                return Err(io::ErrorKind::TimedOut.into());
            }
            match &stream {
                Ok(s) => s.set_read_timeout(Some(left.min(IDLE))),
                Err(_) => Ok(()),
            }
        }
    };
    let refusal = match http::read_request(&mut stream, &mut before_read) {
        Ok(mut request) => {
            request.local = stream.local_addr().ok().map(|a| a.ip());
            let answer = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                api::handle(&request, state)
            }))
            .unwrap_or_else(|_| http::Response::error(500, "the workbench failed on this request"));
            let _ = answer.write_to(&mut stream);
            None
        }
        Err(http::Refusal::Gone) => None,
        Err(http::Refusal::Status(status, why)) => Some(http::Response::error(status, why)),
    };
    if let Some(response) = refusal {
        let _ = response.write_to(&mut stream);
        drain(&mut stream);
    }
}

/// Reads and drops what a refused client is still sending, for at most a
/// second, so that it sees the answer rather than a reset connection.
fn drain(stream: &mut TcpStream) {
    let _ = stream.shutdown(std::net::Shutdown::Write);
    let until = Instant::now() + Duration::from_secs(1);
    let mut buf = [0u8; 16 * 1024];
    loop {
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            return;
        }
        match io::Read::read(stream, &mut buf) {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
    }
}
