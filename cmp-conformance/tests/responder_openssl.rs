//! Interop with a real peer: OpenSSL's `openssl cmp` client (3.0) against `cmp serve` over
//! HTTP on 127.0.0.1. Each flow must end with exit status 0 and the certificate OpenSSL
//! saved must be for the key it asked for.
//!
//! Skipped (with a message) where `openssl cmp` is not available; CI installs OpenSSL.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use cmp_conformance::responder::credentials::default_dir;

struct Serve {
    child: Child,
    port: u16,
}

impl Serve {
    fn start(extra: &[&str]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_cmp"))
            .args(["serve", "--listen", "127.0.0.1:0"])
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line
            .trim()
            .rsplit(':')
            .next()
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"));
        Serve { child, port }
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn openssl_cmp_available() -> bool {
    Command::new("openssl")
        .args(["cmp", "-help"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn tmpdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!(
        "cmp-responder-openssl-{name}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn genkey(path: &Path) {
    let st = Command::new("openssl")
        .args([
            "genpkey",
            "-algorithm",
            "EC",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-out",
        ])
        .arg(path)
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(st.success());
}

/// Run `openssl cmp` against the server; returns (success, combined output).
fn cmp(serve: &Serve, path: &str, args: &[&str]) -> (bool, String) {
    let out = Command::new("openssl")
        .args(["cmp", "-config", "", "-server"])
        .arg(format!("127.0.0.1:{}", serve.port))
        .args(["-path", path, "-msg_timeout", "20", "-total_timeout", "60"])
        .args(args)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

fn pubkey_of_cert(cert: &Path) -> String {
    let out = Command::new("openssl")
        .args(["x509", "-noout", "-pubkey", "-in"])
        .arg(cert)
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap()
}

fn pubkey_of_key(key: &Path) -> String {
    let out = Command::new("openssl")
        .args(["pkey", "-pubout", "-in"])
        .arg(key)
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap()
}

fn cred(name: &str) -> String {
    default_dir().join(name).display().to_string()
}

fn s(p: &Path) -> String {
    p.display().to_string()
}

#[test]
fn openssl_client_enrolls_with_pbm_and_with_signature() {
    if !openssl_cmp_available() {
        eprintln!("SKIPPED: `openssl cmp` is not available");
        return;
    }
    let serve = Serve::start(&[]);
    let dir = tmpdir("enroll");
    let root = cred("root-ca.pem");

    // ir with PBM, on the well-known path and on OpenSSL's pkix/ path. OpenSSL names its
    // -subject as sender; RFC 9483 4.1.5 wants the secret's reference there as commonName
    // and allows that name as subject.
    for path in ["/.well-known/cmp", "pkix/"] {
        let key = dir.join("pbm.key");
        let out = dir.join("pbm.pem");
        genkey(&key);
        let (ok, text) = cmp(
            &serve,
            path,
            &[
                "-cmd",
                "ir",
                "-secret",
                "pass:insecure-cmp-vectors-secret",
                "-ref",
                "cmp-vectors-kid",
                "-newkey",
                &s(&key),
                "-subject",
                "/CN=cmp-vectors-kid/O=CMP Test Vectors/C=XX",
                "-trusted",
                &root,
                "-certout",
                &s(&out),
            ],
        );
        assert!(ok, "PBM ir on {path}: {text}");
        assert_eq!(pubkey_of_cert(&out), pubkey_of_key(&key));
    }

    // ir signed with client-ec, trusting only our server certificate.
    let key = dir.join("sig.key");
    let out = dir.join("sig.pem");
    genkey(&key);
    let (ok, text) = cmp(
        &serve,
        "/.well-known/cmp/p/vectors/initialization",
        &[
            "-cmd",
            "ir",
            "-cert",
            &cred("client-ec-chain.pem"),
            "-key",
            &cred("client-ec.key"),
            "-newkey",
            &s(&key),
            "-subject",
            "/CN=openssl-sig/O=CMP Test Vectors/C=XX",
            "-srvcert",
            &cred("cmp-server-ec.pem"),
            "-certout",
            &s(&out),
        ],
    );
    assert!(ok, "signed ir: {text}");
    assert_eq!(pubkey_of_cert(&out), pubkey_of_key(&key));

    // The same with implicitConfirm and the root as trust anchor.
    let (ok, text) = cmp(
        &serve,
        "/.well-known/cmp",
        &[
            "-cmd",
            "ir",
            "-cert",
            &cred("client-ec-chain.pem"),
            "-key",
            &cred("client-ec.key"),
            "-newkey",
            &s(&key),
            "-subject",
            "/CN=openssl-implicit",
            "-trusted",
            &root,
            "-implicit_confirm",
            "-certout",
            &s(&dir.join("implicit.pem")),
        ],
    );
    assert!(ok, "implicitConfirm ir: {text}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn openssl_pbm_with_its_own_subject_needs_the_lenient_switch() {
    if !openssl_cmp_available() {
        eprintln!("SKIPPED: `openssl cmp` is not available");
        return;
    }
    let dir = tmpdir("lenient");
    let key = dir.join("k.key");
    genkey(&key);
    let args = |out: &Path| {
        vec![
            "-cmd".to_string(),
            "ir".into(),
            "-secret".into(),
            "pass:insecure-cmp-vectors-secret".into(),
            "-ref".into(),
            "cmp-vectors-kid".into(),
            "-newkey".into(),
            s(&key),
            "-subject".into(),
            "/CN=openssl-device/O=CMP Test Vectors/C=XX".into(),
            "-trusted".into(),
            cred("root-ca.pem"),
            "-certout".into(),
            s(out),
        ]
    };
    let strict = Serve::start(&[]);
    let a = args(&dir.join("strict.pem"));
    let a: Vec<&str> = a.iter().map(String::as_str).collect();
    let (ok, text) = cmp(&strict, "/.well-known/cmp", &a);
    assert!(!ok, "sender CN=openssl-device is not the senderKID: {text}");
    assert!(text.contains("badMessageCheck"), "{text}");
    let lenient = Serve::start(&["--lenient-mac-sender"]);
    let out = dir.join("lenient.pem");
    let a = args(&out);
    let a: Vec<&str> = a.iter().map(String::as_str).collect();
    let (ok, text) = cmp(&lenient, "/.well-known/cmp", &a);
    assert!(ok, "{text}");
    assert_eq!(pubkey_of_cert(&out), pubkey_of_key(&key));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn openssl_client_runs_every_other_operation() {
    if !openssl_cmp_available() {
        eprintln!("SKIPPED: `openssl cmp` is not available");
        return;
    }
    let serve = Serve::start(&[]);
    let dir = tmpdir("ops");
    let root = cred("root-ca.pem");
    let client = [
        "-cert".to_string(),
        cred("client-ec-chain.pem"),
        "-key".to_string(),
        cred("client-ec.key"),
        "-trusted".to_string(),
        root.clone(),
    ];
    let with_client = |extra: &[&str]| -> Vec<String> {
        client
            .iter()
            .cloned()
            .chain(extra.iter().map(|s| s.to_string()))
            .collect()
    };
    let run = |args: Vec<String>| {
        let a: Vec<&str> = args.iter().map(String::as_str).collect();
        cmp(&serve, "/.well-known/cmp", &a)
    };

    // ir signed with client-ec, then cr signed with the certificate it gave (RFC 9483
    // 4.1.2: cr is for holders of a certificate of this PKI; client-ec itself is refused).
    let k0 = dir.join("k0.key");
    genkey(&k0);
    let c0 = dir.join("c0.pem");
    let (ok, text) = run(with_client(&[
        "-cmd",
        "ir",
        "-newkey",
        &s(&k0),
        "-subject",
        "/CN=openssl-ir/O=CMP Test Vectors/C=XX",
        "-certout",
        &s(&c0),
    ]));
    assert!(ok, "ir: {text}");
    let chain0 = dir.join("c0-chain.pem");
    let mut pem = std::fs::read(&c0).unwrap();
    pem.extend(std::fs::read(cred("issuing-ca.pem")).unwrap());
    std::fs::write(&chain0, pem).unwrap();
    let k1 = dir.join("k1.key");
    genkey(&k1);
    let c1 = dir.join("c1.pem");
    let (ok, text) = run(with_client(&[
        "-cmd",
        "cr",
        "-newkey",
        &s(&k1),
        "-subject",
        "/CN=openssl-cr/O=CMP Test Vectors/C=XX",
        "-certout",
        &s(&c1),
    ]));
    assert!(
        !ok && text.contains("notAuthorized"),
        "cr with client-ec: {text}"
    );
    let (ok, text) = run(vec![
        "-cmd".into(),
        "cr".into(),
        "-cert".into(),
        s(&chain0),
        "-key".into(),
        s(&k0),
        "-newkey".into(),
        s(&k1),
        "-subject".into(),
        "/CN=openssl-cr/O=CMP Test Vectors/C=XX".into(),
        "-trusted".into(),
        root.clone(),
        "-certout".into(),
        s(&c1),
    ]);
    assert!(ok, "cr: {text}");

    // kur signed by the new certificate.
    let chain = dir.join("c1-chain.pem");
    let mut pem = std::fs::read(&c1).unwrap();
    pem.extend(std::fs::read(cred("issuing-ca.pem")).unwrap());
    std::fs::write(&chain, pem).unwrap();
    let k2 = dir.join("k2.key");
    genkey(&k2);
    let c2 = dir.join("c2.pem");
    let (ok, text) = run(vec![
        "-cmd".into(),
        "kur".into(),
        "-cert".into(),
        s(&chain),
        "-key".into(),
        s(&k1),
        "-newkey".into(),
        s(&k2),
        "-trusted".into(),
        root.clone(),
        "-certout".into(),
        s(&c2),
    ]);
    assert!(ok, "kur: {text}");
    assert_eq!(pubkey_of_cert(&c2), pubkey_of_key(&k2));

    // rr of the updated certificate, signed by it.
    let chain2 = dir.join("c2-chain.pem");
    let mut pem = std::fs::read(&c2).unwrap();
    pem.extend(std::fs::read(cred("issuing-ca.pem")).unwrap());
    std::fs::write(&chain2, pem).unwrap();
    let (ok, text) = run(vec![
        "-cmd".into(),
        "rr".into(),
        "-cert".into(),
        s(&chain2),
        "-key".into(),
        s(&k2),
        "-oldcert".into(),
        s(&c2),
        "-revreason".into(),
        "4".into(),
        "-trusted".into(),
        root.clone(),
    ]);
    assert!(ok, "rr: {text}");

    // p10cr with the vectors' CSR.
    let (ok, text) = run(with_client(&[
        "-cmd",
        "p10cr",
        "-csr",
        &cred("device-ec.csr"),
        "-certout",
        &s(&dir.join("p10.pem")),
    ]));
    assert!(ok, "p10cr: {text}");

    // genm caCerts.
    let (ok, text) = run(with_client(&["-cmd", "genm", "-infotype", "caCerts"]));
    assert!(ok && text.contains("caCerts"), "genm: {text}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn openssl_client_polls() {
    if !openssl_cmp_available() {
        eprintln!("SKIPPED: `openssl cmp` is not available");
        return;
    }
    let serve = Serve::start(&["--poll", "2", "--check-after", "0"]);
    let dir = tmpdir("poll");
    let key = dir.join("poll.key");
    genkey(&key);
    let (ok, text) = cmp(
        &serve,
        "/.well-known/cmp",
        &[
            "-cmd",
            "ir",
            "-secret",
            "pass:insecure-cmp-vectors-secret",
            "-ref",
            "cmp-vectors-kid",
            "-newkey",
            &s(&key),
            "-subject",
            "/CN=cmp-vectors-kid",
            "-trusted",
            &cred("root-ca.pem"),
            "-certout",
            &s(&dir.join("poll.pem")),
        ],
    );
    assert!(ok, "polled ir: {text}");
    assert!(
        text.contains("POLLREP") || text.contains("pollRep") || text.contains("polling"),
        "{text}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
