//! CMP over HTTP (RFC 6712, RFC 9811) in front of a [`Responder`].
//!
//! * POST only (`405 Method Not Allowed` with `Allow: POST` otherwise).
//! * Paths: `/.well-known/cmp`, `/.well-known/cmp/<operation>`, `/.well-known/cmp/p/<label>`,
//!   `/.well-known/cmp/p/<label>/<operation>` (RFC 9811 3.4; operations as in RFC 9483 6.1:
//!   initialization, certification, keyupdate, pkcs10, revocation, getcacerts,
//!   getrootupdate, getcertreqtemplate, getcrls, nested), and for OpenSSL's client `/` and
//!   `/pkix/`; anything else is `404 Not Found`. A query string is ignored.
//! * `Content-Type: application/pkixcmp` required (`application/pkixcmp-poll` is treated the
//!   same, RFC 9811 4); otherwise `415 Unsupported Media Type`.
//! * Bodies over [`MAX_BODY`] get `413 Content Too Large`.
//! * Every CMP answer, including error messages (also the unprotected badDataFormat error for
//!   a body that is no PKIMessage), goes with `200 OK` and `application/pkixcmp`: RFC 9811
//!   3.1 makes 200 the status of a CMP response, and the PKIMessage says what went wrong.
//!   4xx is only used where there is no CMP exchange at all (method, path, media type, size).
//!
//! The server is `tiny_http`: small, synchronous, no async runtime, maintained, and enough
//! for a test responder on loopback. [`HttpServer`] runs a few worker threads and stops on
//! [`HttpServer::stop`] or when its shutdown flag is set (`cmp serve` sets it on SIGTERM,
//! SIGINT and, with `--exit-on-stdin-close`, when stdin closes).

use std::io::{self, Read};
use std::net::{SocketAddr, ToSocketAddrs};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use super::{Fault, Responder};
use crate::endpoint::PKIXCMP;

/// Largest request body accepted (1 MiB).
pub const MAX_BODY: usize = 1 << 20;

/// How many threads take requests.
const WORKERS: usize = 4;

/// The operation labels of RFC 9483 section 6.1.
pub const OPERATIONS: &[&str] = &[
    "initialization",
    "certification",
    "keyupdate",
    "pkcs10",
    "revocation",
    "getcacerts",
    "getrootupdate",
    "getcertreqtemplate",
    "getcrls",
    "nested",
];

/// Whether the server answers CMP requests on this request target.
pub fn path_accepted(target: &str) -> bool {
    let path = target.split(['?', '#']).next().unwrap_or("");
    if matches!(path, "/" | "/pkix" | "/pkix/") {
        return true;
    }
    let Some(rest) = path.strip_prefix("/.well-known/cmp") else {
        return false;
    };
    if rest.is_empty() || rest == "/" {
        return true;
    }
    let Some(rest) = rest.strip_prefix('/') else {
        return false;
    };
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    let segs: Vec<&str> = rest.split('/').collect();
    let label_ok = |l: &str| !l.is_empty();
    match segs.as_slice() {
        [op] => OPERATIONS.contains(op),
        ["p", label] => label_ok(label),
        ["p", label, op] => label_ok(label) && OPERATIONS.contains(op),
        _ => false,
    }
}

/// Whether a Content-Type value is CMP's.
pub fn content_type_accepted(value: &str) -> bool {
    let media = value.split(';').next().unwrap_or("").trim();
    media.eq_ignore_ascii_case(PKIXCMP) || media.eq_ignore_ascii_case("application/pkixcmp-poll")
}

fn header(name: &str, value: &str) -> tiny_http::Header {
    tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes())
        .expect("static header names and values are valid")
}

fn text(status: u16, msg: &str) -> tiny_http::Response<io::Cursor<Vec<u8>>> {
    tiny_http::Response::from_string(format!("{msg}\n"))
        .with_status_code(status)
        .with_header(header("Content-Type", "text/plain; charset=utf-8"))
}

/// The fault switches of the HTTP layer.
#[derive(Clone, Copy, Debug, Default)]
struct HttpFaults {
    no_well_known: bool,
    no_labels: bool,
    label_first_only: bool,
    get_ok: bool,
    status_202: bool,
    garbage_text: bool,
    any_content_type: bool,
    refuse_poll_type: bool,
    wrong_content_type: bool,
}

impl HttpFaults {
    fn of(responder: &Responder) -> Self {
        let f = |x| responder.has_fault(x);
        HttpFaults {
            no_well_known: f(Fault::Http02),
            no_labels: f(Fault::Http03),
            label_first_only: f(Fault::Http05),
            get_ok: f(Fault::HttpR01),
            status_202: f(Fault::HttpR02),
            garbage_text: f(Fault::HttpR03),
            any_content_type: f(Fault::HttpR04),
            refuse_poll_type: f(Fault::HttpR10),
            wrong_content_type: f(Fault::Xfer04),
        }
    }
}

/// The operation label at the end of a `/.well-known/cmp` path, if any.
fn operation_label(target: &str) -> Option<&str> {
    let path = target.split(['?', '#']).next().unwrap_or("");
    let rest = path.strip_prefix("/.well-known/cmp/")?;
    let last = rest.trim_end_matches('/').rsplit('/').next()?;
    OPERATIONS.contains(&last).then_some(last)
}

/// Whether a request body is the first request of the operation a label names.
fn starts_operation(label: &str, body: &[u8]) -> bool {
    let Ok(msg) = cmp_codec::PKIMessage::parse(body) else {
        return true;
    };
    let name = msg.body.name();
    match label {
        "initialization" => name == "ir",
        "certification" => name == "cr",
        "keyupdate" => name == "kur",
        "pkcs10" => name == "p10cr",
        "revocation" => name == "rr",
        "nested" => name == "nested",
        _ => name == "genm",
    }
}

/// Answer one HTTP request.
fn serve_one(responder: &Responder, faults: HttpFaults, mut req: tiny_http::Request) {
    let reply = (|| {
        let cmp_reply = |answer: Vec<u8>| {
            let ct = if faults.wrong_content_type {
                "application/octet-stream"
            } else {
                PKIXCMP
            };
            tiny_http::Response::from_data(answer)
                .with_status_code(if faults.status_202 { 202 } else { 200 })
                .with_header(header("Content-Type", ct))
        };
        if *req.method() != tiny_http::Method::Post && !faults.get_ok {
            return text(405, "CMP requests are sent with POST")
                .with_header(header("Allow", "POST"));
        }
        let target = req.url().to_string();
        let path_ok = path_accepted(&target)
            && !(faults.no_well_known && target.starts_with("/.well-known/cmp"))
            && !(faults.no_labels && operation_label(&target).is_some());
        if !path_ok {
            return text(404, "no CMP endpoint at this path; use /.well-known/cmp");
        }
        let ct = req
            .headers()
            .iter()
            .find(|h| h.field.equiv("Content-Type"))
            .map(|h| h.value.as_str().to_string());
        let ct_ok = ct.as_deref().is_some_and(content_type_accepted)
            && !(faults.refuse_poll_type
                && ct
                    .as_deref()
                    .is_some_and(|c| c.to_ascii_lowercase().contains("pkixcmp-poll")));
        if !ct_ok && !faults.any_content_type {
            return text(415, "Content-Type must be application/pkixcmp");
        }
        if req.body_length().is_some_and(|n| n > MAX_BODY) {
            return text(413, "request body too large");
        }
        let mut body = Vec::new();
        if req
            .as_reader()
            .take(MAX_BODY as u64 + 1)
            .read_to_end(&mut body)
            .is_err()
        {
            return text(400, "could not read the request body");
        }
        if body.len() > MAX_BODY {
            return text(413, "request body too large");
        }
        if faults.label_first_only {
            if let Some(label) = operation_label(&target) {
                if !starts_operation(label, &body) {
                    return text(
                        404,
                        "this endpoint takes only the operation's first request",
                    );
                }
            }
        }
        if faults.garbage_text && cmp_codec::PKIMessage::parse(&body).is_err() {
            return text(200, "that was no PKIMessage");
        }
        cmp_reply(responder.handle(&body))
    })();
    // The client may have gone away; nothing to do about it.
    let _ = req.respond(reply);
}

/// A running HTTP front end.
pub struct HttpServer {
    addr: SocketAddr,
    shutdown: Arc<AtomicBool>,
    server: Arc<tiny_http::Server>,
    workers: Vec<JoinHandle<()>>,
}

impl std::fmt::Debug for HttpServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpServer")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

/// A listening socket whose accepted connections have `TCP_NODELAY` set (Linux and the BSDs
/// copy it from the listener). `tiny_http` writes a response's head and body in two writes;
/// with Nagle's algorithm on, the body waits for the ACK of the head, which the client delays
/// by up to 40 ms: every exchange took ~40 ms on loopback before this. `socket2` because std's
/// `TcpListener` cannot set socket options before `listen`.
fn nodelay_listener(addr: impl ToSocketAddrs) -> io::Result<std::net::TcpListener> {
    use socket2::{Domain, Protocol, Socket, Type};
    let mut last = io::Error::new(io::ErrorKind::InvalidInput, "no address to bind");
    for addr in addr.to_socket_addrs()? {
        let bound = (|| {
            let socket = Socket::new(Domain::for_address(addr), Type::STREAM, Some(Protocol::TCP))?;
            socket.set_reuse_address(true)?;
            socket.set_tcp_nodelay(true)?;
            socket.bind(&addr.into())?;
            socket.listen(1024)?;
            Ok::<_, io::Error>(std::net::TcpListener::from(socket))
        })();
        match bound {
            Ok(listener) => return Ok(listener),
            Err(e) => last = e,
        }
    }
    Err(last)
}

impl HttpServer {
    /// Bind `addr` (port 0 picks a free port) and serve `responder` from worker threads.
    pub fn start(addr: impl ToSocketAddrs, responder: Arc<Responder>) -> io::Result<Self> {
        let server = tiny_http::Server::from_listener(nodelay_listener(addr)?, None)
            .map_err(io::Error::other)?;
        let addr = server
            .server_addr()
            .to_ip()
            .ok_or_else(|| io::Error::other("not an IP listener"))?;
        let server = Arc::new(server);
        let shutdown = Arc::new(AtomicBool::new(false));
        let faults = HttpFaults::of(&responder);
        let workers = (0..WORKERS)
            .map(|i| {
                let server = Arc::clone(&server);
                let shutdown = Arc::clone(&shutdown);
                let responder = Arc::clone(&responder);
                std::thread::Builder::new()
                    .name(format!("cmp-http-{i}"))
                    .spawn(move || {
                        while !shutdown.load(Ordering::SeqCst) {
                            match server.recv_timeout(Duration::from_millis(100)) {
                                Ok(Some(req)) => serve_one(&responder, faults, req),
                                Ok(None) => {}
                                Err(_) => std::thread::sleep(Duration::from_millis(10)),
                            }
                        }
                    })
            })
            .collect::<io::Result<Vec<_>>>()?;
        Ok(HttpServer {
            addr,
            shutdown,
            server,
            workers,
        })
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://ADDR`, the base URL (append `/.well-known/cmp`).
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The flag that stops the server when set (e.g. from a signal handler).
    pub fn shutdown_flag(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.shutdown)
    }

    /// Block until the shutdown flag is set, then stop (requests being answered finish).
    pub fn wait(mut self) {
        while !self.shutdown.load(Ordering::SeqCst) {
            std::thread::sleep(Duration::from_millis(100));
        }
        self.join();
    }

    /// Stop: no new requests, wait for those being answered.
    pub fn stop(mut self) {
        self.join();
    }

    fn join(&mut self) {
        self.shutdown.store(true, Ordering::SeqCst);
        self.server.unblock();
        for w in self.workers.drain(..) {
            let _ = w.join();
        }
    }
}

impl Drop for HttpServer {
    fn drop(&mut self) {
        self.join();
    }
}
