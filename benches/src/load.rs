//! Concurrent enrollments against the reference responder (`cmp serve`), in process and
//! over HTTP on 127.0.0.1: N clients, each running ir → ip → certConf → pkiConf in a loop,
//! bounded by a total count and a time limit. Reports enrollments per second and latency
//! percentiles.
//!
//! Each client signs with the vectors' client-ec key (ECDSA P-256; the responder accepts
//! signature protection for ir) and requests a certificate for the key of the real OpenSSL
//! ir ([`crate::corpus::TYPICAL_IR`], whose POPO stays valid): fresh transactionID, nonces
//! and messageTime per enrollment, no implicitConfirm, so every enrollment is two
//! exchanges.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use cmp_codec::body::CertOrEncCert;
use cmp_codec::builder::cert_status;
use cmp_codec::protection::cert_hash;
use cmp_codec::{GeneralizedTime, PKIBody, PKIMessage, SeqOf};
use sha2::{Digest, Sha256};

use crate::corpus::{read_vector, sign_client_ec, TYPICAL_IR};

/// Where the requests go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transport {
    /// `Responder::handle` on a shared `Arc<Responder>` (`&Responder` is the `Endpoint`).
    InProcess,
    /// HTTP/1.1 with keep-alive to `responder::http::HttpServer` on 127.0.0.1.
    Http,
}

impl Transport {
    pub fn name(self) -> &'static str {
        match self {
            Transport::InProcess => "in-process",
            Transport::Http => "http",
        }
    }
}

/// Bounds of one load run.
#[derive(Clone, Copy, Debug)]
pub struct LoadOptions {
    pub transport: Transport,
    pub clients: usize,
    /// Total enrollments (over all clients).
    pub enrollments: usize,
    /// Stop starting new enrollments after this long.
    pub max_time: Duration,
}

/// What a load run measured.
#[derive(Clone, Debug)]
pub struct LoadResult {
    pub options: LoadOptions,
    pub done: usize,
    pub failed: usize,
    pub first_error: Option<String>,
    pub wall: Duration,
    /// Latency of each successful enrollment (ir sent → pkiConf received), sorted.
    pub latencies: Vec<Duration>,
}

impl LoadResult {
    /// Successful enrollments per second.
    pub fn per_second(&self) -> f64 {
        self.done as f64 / self.wall.as_secs_f64()
    }

    /// Latency percentile `p` in 0..=100.
    pub fn percentile(&self, p: f64) -> Duration {
        if self.latencies.is_empty() {
            return Duration::ZERO;
        }
        let i = ((p / 100.0) * (self.latencies.len() - 1) as f64).round() as usize;
        self.latencies[i.min(self.latencies.len() - 1)]
    }
}

fn unique(tag: &[u8], n: u64) -> [u8; 16] {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_nanos();
    let d = Sha256::new()
        .chain_update(tag)
        .chain_update(n.to_le_bytes())
        .chain_update(now.to_le_bytes())
        .chain_update(std::process::id().to_le_bytes())
        .finalize();
    d[..16].try_into().unwrap()
}

fn now_time() -> GeneralizedTime<'static> {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs() as i64;
    GeneralizedTime::from_unix_seconds(secs).unwrap()
}

/// A transport as seen by a client: one request in, one reply out.
pub type Send<'a> = dyn FnMut(&[u8]) -> Result<Vec<u8>, String> + 'a;

/// One enrolling client.
pub struct Client {
    id: usize,
    base: Vec<u8>,
    counter: u64,
}

impl Client {
    pub fn new(id: usize) -> Client {
        Client {
            id,
            base: read_vector(TYPICAL_IR),
            counter: 0,
        }
    }

    fn next_unique(&mut self) -> [u8; 16] {
        self.counter += 1;
        unique(&self.id.to_le_bytes(), self.counter)
    }

    /// One enrollment: ir → ip, certConf → pkiConf, through `send`.
    pub fn enroll(&mut self, send: &mut Send<'_>) -> Result<(), String> {
        let tid = self.next_unique();
        let nonce = self.next_unique();
        let nonce2 = self.next_unique();
        let base = PKIMessage::parse(&self.base).map_err(|e| e.to_string())?;
        let mut h = base.header.clone();
        h.transaction_id = Some(&tid);
        h.sender_nonce = Some(&nonce);
        h.recip_nonce = None;
        h.message_time = Some(now_time());
        h.protection_alg = None;
        h.general_info = None;
        let mut ir = PKIMessage::new(h.clone(), base.body.clone());
        ir.extra_certs = base.extra_certs.clone();
        let ir = sign_client_ec(&ir, &[]);

        let ip_der = send(&ir)?;
        let ip = PKIMessage::parse(&ip_der).map_err(|e| format!("ip: {e}"))?;
        let PKIBody::Ip(rep) = &ip.body else {
            return Err(format!("expected ip, got {}", describe(&ip)));
        };
        let resp = rep.response.iter().next().ok_or("ip without response")?;
        let Some(CertOrEncCert::Certificate(cert)) =
            resp.certified_key_pair.map(|k| k.cert_or_enc_cert)
        else {
            return Err(format!(
                "ip without certificate: status {:?}",
                resp.status.status
            ));
        };
        let hash = cert_hash(cert.der(), None).map_err(|e| e.to_string())?;

        let mut h2 = h;
        h2.sender_nonce = Some(&nonce2);
        h2.recip_nonce = ip.header.sender_nonce;
        h2.message_time = Some(now_time());
        let body = PKIBody::CertConf(SeqOf::new(vec![cert_status(&hash, resp.cert_req_id, None)]));
        let mut conf = PKIMessage::new(h2, body);
        conf.extra_certs = base.extra_certs.clone();
        let conf = sign_client_ec(&conf, &[]);
        let ack = send(&conf)?;
        let ack = PKIMessage::parse(&ack).map_err(|e| format!("pkiConf: {e}"))?;
        match ack.body {
            PKIBody::Pkiconf(()) => Ok(()),
            _ => Err(format!("expected pkiConf, got {}", describe(&ack))),
        }
    }
}

fn describe(msg: &PKIMessage<'_>) -> String {
    match &msg.body {
        PKIBody::Error(e) => format!(
            "error {:?} {:?}",
            e.pki_status_info.fail_info,
            e.pki_status_info
                .status_string
                .as_ref()
                .map(|s| s.iter().map(|t| t.as_str().to_string()).collect::<Vec<_>>())
        ),
        b => b.name().to_string(),
    }
}

/// A minimal HTTP/1.1 client with one keep-alive connection (no dependency on the runner's
/// client, which is being written).
pub struct HttpClient {
    addr: String,
    path: String,
    conn: Option<BufReader<TcpStream>>,
}

impl HttpClient {
    pub fn new(addr: &str, path: &str) -> HttpClient {
        HttpClient {
            addr: addr.to_string(),
            path: path.to_string(),
            conn: None,
        }
    }

    fn connect(&mut self) -> Result<&mut BufReader<TcpStream>, String> {
        if self.conn.is_none() {
            let s = TcpStream::connect(&self.addr).map_err(|e| e.to_string())?;
            s.set_nodelay(true).ok();
            s.set_read_timeout(Some(Duration::from_secs(30))).ok();
            self.conn = Some(BufReader::new(s));
        }
        Ok(self.conn.as_mut().unwrap())
    }

    /// POST one DER message, return the body of the reply.
    pub fn post(&mut self, body: &[u8]) -> Result<Vec<u8>, String> {
        let r = self.try_post(body);
        if r.is_err() {
            self.conn = None;
        }
        r
    }

    fn try_post(&mut self, body: &[u8]) -> Result<Vec<u8>, String> {
        let head = format!(
            "POST {} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/pkixcmp\r\n\
             Content-Length: {}\r\nConnection: keep-alive\r\n\r\n",
            self.path,
            self.addr,
            body.len()
        );
        let conn = self.connect()?;
        let s = conn.get_mut();
        s.write_all(head.as_bytes()).map_err(|e| e.to_string())?;
        s.write_all(body).map_err(|e| e.to_string())?;
        let mut line = String::new();
        conn.read_line(&mut line).map_err(|e| e.to_string())?;
        let status: u16 = line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| format!("bad status line {line:?}"))?;
        let mut len = None;
        let mut close = false;
        loop {
            line.clear();
            conn.read_line(&mut line).map_err(|e| e.to_string())?;
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            if let Some((k, v)) = l.split_once(':') {
                let k = k.trim().to_ascii_lowercase();
                if k == "content-length" {
                    len = v.trim().parse::<usize>().ok();
                } else if k == "connection" && v.trim().eq_ignore_ascii_case("close") {
                    close = true;
                } else if k == "transfer-encoding" {
                    return Err("chunked replies are not supported here".into());
                }
            }
        }
        let len = len.ok_or("reply without Content-Length")?;
        let mut out = vec![0u8; len];
        conn.read_exact(&mut out).map_err(|e| e.to_string())?;
        if close {
            self.conn = None;
        }
        if status != 200 {
            return Err(format!("HTTP {status}"));
        }
        Ok(out)
    }
}

/// Run one load test.
#[cfg(feature = "responder")]
pub fn run(opts: LoadOptions) -> Result<LoadResult, String> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    use std::time::Instant;

    use cmp_conformance::endpoint::Endpoint;
    use cmp_conformance::responder::{http::HttpServer, Config, Responder};

    let config = Config {
        // Every enrollment confirms explicitly; keep all of them in the table.
        implicit_confirm: false,
        max_transactions: opts.enrollments + opts.clients + 16,
        ..Config::default()
    };
    let responder = Arc::new(Responder::with_config(config).map_err(|e| e.0)?);
    let server = match opts.transport {
        Transport::Http => {
            Some(HttpServer::start("127.0.0.1:0", responder.clone()).map_err(|e| e.to_string())?)
        }
        Transport::InProcess => None,
    };
    let addr = server.as_ref().map(|s| s.addr().to_string());

    // Warm up: one enrollment per client path, not timed.
    {
        let mut c = Client::new(usize::MAX);
        let r = responder.clone();
        let mut send_inproc = |req: &[u8]| -> Result<Vec<u8>, String> {
            let mut e: &Responder = &r;
            e.exchange("", req)
                .map(|rep| rep.body)
                .map_err(|e| e.to_string())
        };
        c.enroll(&mut send_inproc)
            .map_err(|e| format!("warm-up enrollment failed: {e}"))?;
    }

    let next = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let deadline = start + opts.max_time;
    let mut handles = Vec::new();
    for id in 0..opts.clients {
        let next = next.clone();
        let responder = responder.clone();
        let addr = addr.clone();
        handles.push(std::thread::spawn(move || {
            let mut client = Client::new(id);
            let mut http = addr.map(|a| HttpClient::new(&a, "/.well-known/cmp"));
            let mut lat = Vec::new();
            let mut failed = 0usize;
            let mut first_error = None;
            while next.fetch_add(1, Ordering::Relaxed) < opts.enrollments
                && Instant::now() < deadline
            {
                let t0 = Instant::now();
                let r = match http.as_mut() {
                    Some(h) => client.enroll(&mut |req| h.post(req)),
                    None => client.enroll(&mut |req| {
                        let mut e: &Responder = &responder;
                        e.exchange("", req)
                            .map(|rep| rep.body)
                            .map_err(|e| e.to_string())
                    }),
                };
                match r {
                    Ok(()) => lat.push(t0.elapsed()),
                    Err(e) => {
                        failed += 1;
                        first_error.get_or_insert(e);
                    }
                }
            }
            (lat, failed, first_error)
        }));
    }
    let mut latencies = Vec::new();
    let mut failed = 0;
    let mut first_error = None;
    for h in handles {
        let (l, f, e) = h.join().map_err(|_| "client thread panicked")?;
        latencies.extend(l);
        failed += f;
        if first_error.is_none() {
            first_error = e;
        }
    }
    let wall = start.elapsed();
    if let Some(s) = server {
        s.stop();
    }
    latencies.sort();
    Ok(LoadResult {
        options: opts,
        done: latencies.len(),
        failed,
        first_error,
        wall,
        latencies,
    })
}

/// Without the `responder` feature there is nothing to load.
#[cfg(not(feature = "responder"))]
pub fn run(_opts: LoadOptions) -> Result<LoadResult, String> {
    Err("built without the `responder` feature (cmp-conformance)".to_string())
}
