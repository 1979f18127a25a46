//! The reference responder over HTTP (RFC 6712 / RFC 9811) on 127.0.0.1 with an ephemeral
//! port, spoken to with plain `std::net` requests; and `cmp serve` as a process.

mod responder_util;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use cmp_conformance::responder::http::{HttpServer, MAX_BODY};
use cmp_conformance::responder::Config;
use responder_util::*;

fn server() -> HttpServer {
    let r = Arc::new(responder(Config::default()));
    HttpServer::start("127.0.0.1:0", r).unwrap()
}

fn mac_ir() -> (Hdr, Vec<u8>) {
    let (key, spki) = new_key();
    let req = vec![cert_req(&key, &spki, &name("http"), 0)];
    let h = Hdr::new();
    let der = h.seal(ir_body(&req), &Prot::Mac);
    (h, der)
}

#[test]
fn enrollment_over_http_on_every_path_form() {
    let s = server();
    assert!(s.addr().ip().is_loopback());
    for (ir_path, conf_path) in [
        ("/.well-known/cmp", "/.well-known/cmp"),
        (
            "/.well-known/cmp/p/vectors/initialization",
            "/.well-known/cmp/p/vectors/initialization",
        ),
        (
            "/.well-known/cmp/initialization",
            "/.well-known/cmp/initialization",
        ),
        ("/.well-known/cmp/p/vectors", "/.well-known/cmp/p/vectors"),
        ("/pkix/", "/pkix/"),
    ] {
        let (h, ir) = mac_ir();
        let reply = post(s.addr(), ir_path, &ir);
        assert_eq!(reply.status, 200, "{ir_path}");
        assert_eq!(reply.header("content-type"), Some("application/pkixcmp"));
        assert_eq!(body_name(&reply.body), "ip");
        let cert = issued_cert(&reply.body);
        let mut hash = Vec::new();
        let conf = h.next(&reply.body).seal(
            cert_conf_body(vec![accept(&cert, &mut hash, 0)]),
            &Prot::Mac,
        );
        let reply = post(s.addr(), conf_path, &conf);
        assert_eq!(reply.status, 200);
        assert_eq!(body_name(&reply.body), "pkiconf");
    }
    s.stop();
}

#[test]
fn http_errors_for_method_media_type_path_and_size() {
    let s = server();
    let (_, ir) = mac_ir();
    let r = request(s.addr(), "GET", "/.well-known/cmp", None, b"");
    assert_eq!(r.status, 405);
    assert_eq!(r.header("allow"), Some("POST"));
    let r = request(
        s.addr(),
        "PUT",
        "/.well-known/cmp",
        Some("application/pkixcmp"),
        &ir,
    );
    assert_eq!(r.status, 405);
    let r = request(
        s.addr(),
        "POST",
        "/.well-known/cmp",
        Some("text/plain"),
        &ir,
    );
    assert_eq!(r.status, 415);
    let r = request(s.addr(), "POST", "/.well-known/cmp", None, &ir);
    assert_eq!(r.status, 415);
    for bad in [
        "/",
        "/cmp",
        "/.well-known/cmpx",
        "/.well-known/cmp/unknownop",
        "/.well-known/cmp/p",
    ] {
        let r = post(s.addr(), bad, &ir);
        if bad == "/" {
            assert_eq!(r.status, 200, "OpenSSL's default path");
        } else {
            assert_eq!(r.status, 404, "{bad}");
        }
    }
    let big = vec![0x30u8; MAX_BODY + 1];
    let r = post(s.addr(), "/.well-known/cmp", &big);
    assert_eq!(r.status, 413);
    // application/pkixcmp-poll is treated alike; parameters are ignored.
    let r = request(
        s.addr(),
        "POST",
        "/.well-known/cmp",
        Some("application/pkixcmp-poll"),
        &ir,
    );
    assert_eq!(r.status, 200);
    let (_, ir2) = mac_ir();
    let r = request(
        s.addr(),
        "POST",
        "/.well-known/cmp?x=1",
        Some("Application/PKIXCMP; charset=binary"),
        &ir2,
    );
    assert_eq!(r.status, 200);
    // Garbage: a CMP error message with 200.
    let r = post(s.addr(), "/.well-known/cmp", b"not DER");
    assert_eq!(r.status, 200);
    assert_error(&r.body, cmp_codec::FailureBit::BadDataFormat);
}

#[test]
fn keep_alive_and_http_1_0() {
    let s = server();
    // Two operations interleaved on one persistent connection.
    let mut conn = TcpStream::connect(s.addr()).unwrap();
    conn.set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let mut reader = BufReader::new(conn.try_clone().unwrap());
    let mut send = |body: &[u8]| {
        let head = format!(
            "POST /.well-known/cmp HTTP/1.1\r\nHost: x\r\nContent-Type: application/pkixcmp\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        conn.write_all(head.as_bytes()).unwrap();
        conn.write_all(body).unwrap();
        read_reply(&mut reader)
    };
    let (h1, ir1) = mac_ir();
    let (h2, ir2) = mac_ir();
    let ip1 = send(&ir1).body;
    let ip2 = send(&ir2).body;
    let mut hash = Vec::new();
    let c2 = issued_cert(&ip2);
    let c1 = issued_cert(&ip1);
    let conf2 = h2
        .next(&ip2)
        .seal(cert_conf_body(vec![accept(&c2, &mut hash, 0)]), &Prot::Mac);
    assert_eq!(body_name(&send(&conf2).body), "pkiconf");
    // The other operation finishes over a new connection.
    let conf1 = h1
        .next(&ip1)
        .seal(cert_conf_body(vec![accept(&c1, &mut hash, 0)]), &Prot::Mac);
    assert_eq!(
        body_name(&post(s.addr(), "/.well-known/cmp", &conf1).body),
        "pkiconf"
    );

    // HTTP/1.0.
    let (_, ir) = mac_ir();
    let mut c = TcpStream::connect(s.addr()).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let head = format!(
        "POST /.well-known/cmp HTTP/1.0\r\nContent-Type: application/pkixcmp\r\nContent-Length: {}\r\n\r\n",
        ir.len()
    );
    c.write_all(head.as_bytes()).unwrap();
    c.write_all(&ir).unwrap();
    let mut all = Vec::new();
    c.read_to_end(&mut all).unwrap();
    assert!(
        all.starts_with(b"HTTP/1."),
        "{:?}",
        String::from_utf8_lossy(&all[..20])
    );
    let split = all.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    assert_eq!(body_name(&all[split + 4..]), "ip");
}

fn spawn_serve(extra: &[&str]) -> (std::process::Child, SocketAddr) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cmp"))
        .args(["serve", "--listen", "127.0.0.1:0"])
        .args(extra)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .trim()
        .strip_prefix("listening on http://")
        .unwrap_or_else(|| panic!("first line {line:?}"));
    (child, url.parse().unwrap())
}

fn wait_exit(child: &mut std::process::Child) -> std::process::ExitStatus {
    for _ in 0..100 {
        if let Some(st) = child.try_wait().unwrap() {
            return st;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    panic!("cmp serve did not stop");
}

#[test]
fn cmp_serve_prints_its_address_and_stops_on_sigterm() {
    let (mut child, addr) = spawn_serve(&["--fault", "HDR-16"]);
    assert!(addr.ip().is_loopback());
    let (_, ir) = mac_ir();
    let r = post(addr, "/.well-known/cmp", &ir);
    assert_eq!(r.status, 200);
    assert_eq!(
        parse(&r.body).header.sender_nonce.unwrap().len(),
        8,
        "--fault is passed on"
    );
    let st = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(st.success());
    assert!(wait_exit(&mut child).success(), "clean exit on SIGTERM");
}

#[test]
fn cmp_serve_stops_when_stdin_closes_if_asked() {
    let (mut child, addr) = spawn_serve(&["--exit-on-stdin-close"]);
    let (_, ir) = mac_ir();
    assert_eq!(post(addr, "/.well-known/cmp", &ir).status, 200);
    drop(child.stdin.take());
    assert!(wait_exit(&mut child).success());
}

#[test]
fn cmp_serve_lists_faults_and_refuses_unknown_ones() {
    let out = Command::new(env!("CARGO_BIN_EXE_cmp"))
        .args(["serve", "--list-faults"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for f in cmp_conformance::responder::Fault::ALL {
        assert!(text.contains(f.rule_id()), "{}", f.rule_id());
    }
    let out = Command::new(env!("CARGO_BIN_EXE_cmp"))
        .args(["serve", "--fault", "NOPE-99"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("NOPE-99"));
}
