//! `cmp verify` and `cmp protect` on the vectors (ok, wrong secret, bit flip, untrusted,
//! expired), and interop with the real peer `openssl cmp` (3.0): responses we protect are
//! accepted by `openssl cmp -rspin`, requests we protect by a fresh `openssl cmp -port` mock
//! server (HTTP POST), and messages OpenSSL protects during the run verify with our code.
//! The OpenSSL part is skipped loudly when `openssl cmp` is missing, unless
//! CMP_REQUIRE_ORACLES=1.

mod openssl_util;

use std::io::Read;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../vectors")
}

fn v(rel: &str) -> String {
    repo().join(rel).display().to_string()
}

fn cred(name: &str) -> String {
    v(&format!("openssl/credentials/{name}"))
}

fn scratch(test: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("cli_verify")
        .join(test);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn s(p: &Path) -> String {
    p.display().to_string()
}

fn cmp(args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_cmp"))
        .args(args)
        .output()
        .expect("run cmp");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "cmp panicked: {stderr}");
    out
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

fn json_lines(o: &Output) -> Vec<Value> {
    stdout(o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}")))
        .collect()
}

/// The validation time of the repo's OpenSSL vectors: they are regenerated with fresh dates, so
/// take a day after the root's notBefore (asked from the certificate through `cmp`-independent
/// DER reading: the notBefore is the first UTCTime in the certificate).
fn openssl_vectors_time() -> String {
    let der = std::fs::read(cred("root-ca.der")).unwrap();
    let i = der.windows(2).position(|w| w == [0x17, 0x0d]).unwrap();
    let t = std::str::from_utf8(&der[i + 2..i + 2 + 12]).unwrap();
    // YYMMDDhhmmss, one day later is still within a 20-year validity; the next month's 1st
    // keeps the arithmetic trivial.
    let (yy, mm): (u32, u32) = (t[0..2].parse().unwrap(), t[2..4].parse().unwrap());
    let (y, m) = if mm == 12 { (yy + 1, 1) } else { (yy, mm + 1) };
    format!("20{y:02}-{m:02}-01T00:00:00Z")
}

const SECRET: &str = "pass:insecure-cmp-vectors-secret";

#[test]
fn verify_vectors_ok_wrong_secret_bit_flip_untrusted() {
    let at = openssl_vectors_time();
    // A MAC and a signature, both fine.
    let o = cmp(&[
        "verify",
        &v("openssl/ir_pbm/01-req-ir.der"),
        &v("openssl/ir_sig_ec/02-rsp-ip.der"),
        &v("bouncycastle/cr_pvno3_pbmac1/01-req-cr.der"),
        "--secret",
        SECRET,
        "--trust",
        &cred("root-ca.pem"),
        "--at",
        &at,
        "--json",
    ]);
    assert!(o.status.success(), "{}", stdout(&o));
    let j = json_lines(&o);
    assert_eq!(j.len(), 3);
    assert_eq!(j[0]["verified"], true);
    assert_eq!(j[0]["alg"]["oid"], "1.2.840.113533.7.66.13");
    assert_eq!(j[0]["sender_kid"], hex::encode("cmp-vectors-kid"));
    assert_eq!(j[0]["reason"], Value::Null);
    assert_eq!(j[1]["verified"], true);
    assert_eq!(j[1]["alg"]["name"], "ecdsa-with-SHA256");
    assert_eq!(j[1]["signer"], "CN=CMP Server EC,O=CMP Test Vectors,C=XX");
    assert_eq!(j[2]["alg"]["oid"], "1.2.840.113549.1.5.14");

    // Wrong secret.
    let o = cmp(&[
        "verify",
        &v("openssl/ir_pbm/01-req-ir.der"),
        "--secret",
        "pass:wrong",
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let j = json_lines(&o);
    assert_eq!(j[0]["verified"], false);
    assert!(j[0]["reason"].as_str().unwrap().contains("does not match"));

    // One bit flipped in the body of a signed message.
    let dir = scratch("bit_flip");
    let mut der = std::fs::read(v("openssl/ir_sig_ec/02-rsp-ip.der")).unwrap();
    let n = der.len();
    der[n / 2] ^= 0x01;
    let flipped = dir.join("flipped.der");
    std::fs::write(&flipped, &der).unwrap();
    let o = cmp(&[
        "verify",
        &s(&flipped),
        "--trust",
        &cred("root-ca.pem"),
        "--at",
        &at,
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stdout(&o).contains("FAILED"), "{}", stdout(&o));

    // Untrusted: another PKI's root; and expired: long after.
    let o = cmp(&[
        "verify",
        &v("openssl/ir_sig_ec/02-rsp-ip.der"),
        "--trust",
        &v("bouncycastle/credentials/root-ca.pem"),
        "--at",
        &at,
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let j = json_lines(&o);
    assert_eq!(j[0]["signer"], "CN=CMP Server EC,O=CMP Test Vectors,C=XX");
    assert!(
        j[0]["reason"].as_str().unwrap().contains("unknown issuer"),
        "{}",
        j[0]
    );
    let o = cmp(&[
        "verify",
        &v("openssl/ir_sig_ec/02-rsp-ip.der"),
        "--trust",
        &cred("root-ca.pem"),
        "--at",
        "2099-01-01T00:00:00Z",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("certificate expired"), "{}", stdout(&o));
    // EKU: the client certificate is no RA.
    let o = cmp(&[
        "verify",
        &v("openssl/ir_sig_ec/01-req-ir.der"),
        "--trust",
        &cred("root-ca.pem"),
        "--at",
        &at,
        "--required-eku",
        "cmcRA",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("extended key usage"), "{}", stdout(&o));

    // A MAC without a secret, an unprotected message, garbage: failures with a reason.
    let o = cmp(&["verify", &v("openssl/ir_pbm/01-req-ir.der")]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("--secret"));
    let o = cmp(&["verify", &v("bouncycastle/ir_unprotected/01-req-ir.der")]);
    assert_eq!(o.status.code(), Some(1));
    let junk = dir.join("junk.der");
    std::fs::write(&junk, b"\x30\x03\x02\x01\x00").unwrap();
    assert_eq!(cmp(&["verify", &s(&junk)]).status.code(), Some(1));
}

#[test]
fn verify_openssl_65_vectors_with_pinned_time() {
    let Some(shared) = std::env::var_os("CMP_SHARED_VECTORS") else {
        eprintln!("SKIPPED verify_openssl_65_vectors_with_pinned_time: set CMP_SHARED_VECTORS");
        return;
    };
    let d = PathBuf::from(shared).join("openssl/3.0.20/test/recipes/65-test_cmp_vfy_data");
    let f = |n: &str| s(&d.join(n));
    let o = cmp(&[
        "verify",
        &f("IR_protected_0_extraCerts.der"),
        &f("IR_protected_2_extraCerts.der"),
        "--trust",
        &f("insta_ca.cert.pem"),
        "--untrusted",
        &f("insta.cert.pem"),
        "--at",
        "2018-02-18T00:00:00Z",
    ]);
    assert!(o.status.success(), "{}", stdout(&o));
    let o = cmp(&[
        "verify",
        &f("IR_protected_2_extraCerts.der"),
        "--trust",
        &f("insta_ca.cert.pem"),
        "--at",
        "2028-02-18T00:00:00Z",
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let j = json_lines(&o);
    assert!(
        j[0]["reason"].as_str().unwrap().contains("expired"),
        "{}",
        j[0]
    );
    // The PBM vector with its secret.
    let o = cmp(&[
        "verify",
        &f("IP_waitingStatus_PBM.der"),
        "--secret",
        "pass:9pp8-b35i-Xd3Q-udNR",
    ]);
    assert!(o.status.success(), "{}", stdout(&o));
}

#[test]
fn protect_round_trips() {
    let dir = scratch("protect_round_trips");
    let at = openssl_vectors_time();
    for mac in ["pbm", "pbmac1"] {
        let out = dir.join(format!("{mac}.der"));
        let o = cmp(&[
            "protect",
            &v("bouncycastle/ir_unprotected/01-req-ir.der"),
            &s(&out),
            "--secret",
            "pass:s3cret",
            "--mac",
            mac,
            "--iterations",
            "1000",
            "--kid",
            "kid-1",
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let o = cmp(&["verify", &s(&out), "--secret", "pass:s3cret", "--json"]);
        assert!(o.status.success(), "{}", stdout(&o));
        assert_eq!(json_lines(&o)[0]["sender_kid"], hex::encode("kid-1"));
        assert_eq!(
            cmp(&["verify", &s(&out), "--secret", "pass:other"])
                .status
                .code(),
            Some(1)
        );
    }
    for (key, cert) in [
        ("client-ec", "client-ec"),
        ("client-rsa", "client-rsa"),
        ("device-ed25519", "device-ed25519"),
    ] {
        let out = dir.join(format!("{key}.der"));
        let o = cmp(&[
            "protect",
            &v("bouncycastle/ir_unprotected/01-req-ir.der"),
            &s(&out),
            "--key",
            &cred(&format!("{key}.key")),
            "--cert",
            &cred(&format!("{cert}.pem")),
            "--chain",
            &cred("issuing-ca.pem"),
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let o = cmp(&[
            "verify",
            &s(&out),
            "--trust",
            &cred("root-ca.pem"),
            "--at",
            &at,
            "--json",
        ]);
        assert!(o.status.success(), "{key}: {}", stdout(&o));
        let j = &json_lines(&o)[0];
        assert!(
            j["signer"]
                .as_str()
                .unwrap()
                .starts_with(&format!("CN={cert},")),
            "{j}"
        );
    }
    // Key and certificate that do not belong together.
    let o = cmp(&[
        "protect",
        &v("bouncycastle/ir_unprotected/01-req-ir.der"),
        &s(&dir.join("x.der")),
        "--key",
        &cred("client-ec.key"),
        "--cert",
        &cred("client-rsa.pem"),
    ]);
    assert_eq!(o.status.code(), Some(1));
}

// ---------------------------------------------------------------------------------------------
// openssl cmp interop

const OUR_SECRET: &str = "pass:our-interop-secret";
const OUR_KID: &str = "our-kid";

#[test]
fn openssl_rspin_accepts_responses_we_protect() {
    if !openssl_util::available("openssl_rspin_accepts_responses_we_protect", "cmp") {
        return;
    }
    let dir = scratch("rspin");
    // MAC: a genp re-protected with our PBM and our secret.
    let genp = dir.join("genp-mac.der");
    let o = cmp(&[
        "protect",
        &v("openssl/genm_pbm/02-rsp-genp.der"),
        &s(&genp),
        "--secret",
        OUR_SECRET,
        "--kid",
        OUR_KID,
    ]);
    assert!(o.status.success());
    let base = [
        "cmp",
        "-config",
        "",
        "-batch",
        "-cmd",
        "genm",
        "-recipient",
        "/CN=x",
    ];
    let mut args: Vec<&str> = base.to_vec();
    args.extend([
        "-ref",
        OUR_KID,
        "-secret",
        OUR_SECRET,
        "-rspin",
        genp.to_str().unwrap(),
    ]);
    let (ok, log) = openssl_util::run(&args);
    assert!(ok && log.contains("received GENP"), "{log}");
    // The same with a wrong secret is refused by OpenSSL.
    let mut args: Vec<&str> = base.to_vec();
    args.extend([
        "-ref",
        OUR_KID,
        "-secret",
        "pass:wrong",
        "-rspin",
        genp.to_str().unwrap(),
    ]);
    let (ok, log) = openssl_util::run(&args);
    assert!(!ok && log.contains("wrong pbm value"), "{log}");

    // Signature: a genp and an ip signed by us with the RSA server key (the originals were
    // signed with the EC one), the client trusting only the root.
    let root = cred("root-ca.pem");
    let sign = |src: &str, out: &Path| {
        let o = cmp(&[
            "protect",
            &v(src),
            &s(out),
            "--key",
            &cred("cmp-server-rsa.key"),
            "--cert",
            &cred("cmp-server-rsa.pem"),
            "--chain",
            &cred("issuing-ca.pem"),
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    let genp = dir.join("genp-sig.der");
    sign("openssl/genm_sig_ec/02-rsp-genp.der", &genp);
    let client = [
        "-cert",
        &cred("client-ec-chain.pem"),
        "-key",
        &cred("client-ec.key"),
        "-trusted",
        &root,
    ];
    let mut args: Vec<String> = base.iter().map(|a| a.to_string()).collect();
    args.extend(client.iter().map(|a| a.to_string()));
    args.extend(["-rspin".into(), s(&genp)]);
    let (ok, log) = openssl_util::run(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(ok && log.contains("received GENP"), "{log}");

    let ip = dir.join("ip-sig.der");
    sign("openssl/ir_sig_ec/02-rsp-ip.der", &ip);
    let certout = dir.join("enrolled.pem");
    let mut args: Vec<String> = [
        "cmp",
        "-config",
        "",
        "-batch",
        "-cmd",
        "ir",
        "-recipient",
        "/CN=x",
    ]
    .iter()
    .map(|a| a.to_string())
    .collect();
    args.extend(client.iter().map(|a| a.to_string()));
    args.extend([
        "-newkey".into(),
        cred("device-ec.key"),
        "-subject".into(),
        "/CN=device-ec".into(),
        "-disable_confirm".into(),
        "-certout".into(),
        s(&certout),
        "-rspin".into(),
        s(&ip),
    ]);
    let (ok, log) = openssl_util::run(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(ok && log.contains("received IP"), "{log}");
    assert!(certout.exists(), "{log}");

    // Tampered after protection: OpenSSL refuses it too.
    let mut der = std::fs::read(&genp).unwrap();
    let n = der.len();
    der[n - 10] ^= 0x01;
    let bad = dir.join("genp-bad.der");
    std::fs::write(&bad, &der).unwrap();
    let mut args: Vec<String> = base.iter().map(|a| a.to_string()).collect();
    args.extend(client.iter().map(|a| a.to_string()));
    args.extend(["-rspin".into(), s(&bad)]);
    let (ok, log) = openssl_util::run(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(!ok, "{log}");
}

/// A fresh `openssl cmp` mock server for one request (a fresh one per flow: the 3.0 mock can
/// crash when signers alternate, see shared/peers/README.md).
struct Mock {
    child: Child,
    port: u16,
    log: PathBuf,
}

impl Mock {
    fn start(dir: &Path) -> Mock {
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap().port()
        };
        let log = dir.join(format!("mock-{port}.log"));
        let child = Command::new("openssl")
            .args([
                "cmp",
                "-config",
                "",
                "-port",
                &port.to_string(),
                "-max_msgs",
                "1",
                "-srv_secret",
                OUR_SECRET,
                "-srv_ref",
                OUR_KID,
                "-srv_cert",
                &cred("cmp-server-ec.pem"),
                "-srv_key",
                &cred("cmp-server-ec.key"),
                "-srv_trusted",
                &cred("root-ca.pem"),
                "-srv_untrusted",
                &cred("issuing-ca.pem"),
                "-rsp_cert",
                &cred("device-ec.pem"),
                "-rsp_extracerts",
                &cred("issuing-ca.pem"),
                "-rsp_capubs",
                &cred("root-ca.pem"),
            ])
            .stdout(std::fs::File::create(&log).unwrap())
            .stderr(Stdio::from(
                std::fs::File::create(log.with_extension("err")).unwrap(),
            ))
            .spawn()
            .expect("start openssl cmp -port");
        let deadline = Instant::now() + Duration::from_secs(10);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "mock did not start on port {port}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Mock { child, port, log }
    }

    /// POST one request (HTTP/1.0-style, one connection) and return the response body.
    fn post(&self, der: &[u8]) -> Vec<u8> {
        use std::io::Write;
        let mut c = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        c.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        write!(
            c,
            "POST /pkix/ HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Type: application/pkixcmp\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            der.len()
        )
        .unwrap();
        c.write_all(der).unwrap();
        let mut rsp = Vec::new();
        let _ = c.read_to_end(&mut rsp);
        let split = rsp
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .unwrap_or_else(|| panic!("no HTTP response: {}", String::from_utf8_lossy(&rsp)));
        let head = String::from_utf8_lossy(&rsp[..split]).to_string();
        assert!(
            head.starts_with("HTTP/1.") && head.contains(" 200"),
            "{head}"
        );
        rsp[split + 4..].to_vec()
    }

    fn log(&self) -> String {
        format!(
            "{}{}",
            std::fs::read_to_string(&self.log).unwrap_or_default(),
            std::fs::read_to_string(self.log.with_extension("err")).unwrap_or_default()
        )
    }
}

impl Drop for Mock {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn body_of(der: &[u8], dir: &Path, name: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, der).unwrap();
    let o = cmp(&["inspect", "--json", &s(&p)]);
    let j: Value = serde_json::from_str(stdout(&o).lines().next().unwrap_or("{}")).unwrap();
    j["body"]["type"]
        .as_str()
        .or_else(|| j["body"].as_str())
        .unwrap_or_default()
        .to_string()
}

#[test]
fn openssl_mock_server_accepts_requests_we_protect() {
    if !openssl_util::available("openssl_mock_server_accepts_requests_we_protect", "cmp") {
        return;
    }
    let dir = scratch("mock");
    let cases: Vec<(&str, &str, Vec<String>)> = vec![
        (
            "ir-mac",
            "openssl/ir_pbm/01-req-ir.der",
            vec![
                "--secret".into(),
                OUR_SECRET.into(),
                "--kid".into(),
                OUR_KID.into(),
            ],
        ),
        (
            "ir-sig-ec",
            "openssl/ir_sig_ec/01-req-ir.der",
            vec![
                "--key".into(),
                cred("client-ec.key"),
                "--cert".into(),
                cred("client-ec.pem"),
                "--chain".into(),
                cred("issuing-ca.pem"),
            ],
        ),
        (
            "cr-sig-rsa",
            "openssl/cr_sig_rsa/01-req-cr.der",
            vec![
                "--key".into(),
                cred("client-rsa.key"),
                "--cert".into(),
                cred("client-rsa-chain.pem"),
            ],
        ),
    ];
    for (name, src, prot) in cases {
        let out = dir.join(format!("{name}.der"));
        let src = v(src);
        let mut args: Vec<&str> = vec!["protect", &src, out.to_str().unwrap()];
        args.extend(prot.iter().map(String::as_str));
        let o = cmp(&args);
        assert!(
            o.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let req = std::fs::read(&out).unwrap();

        let mock = Mock::start(&dir);
        let rsp = mock.post(&req);
        let body = body_of(&rsp, &dir, &format!("{name}-rsp.der"));
        assert!(
            body == "ip" || body == "cp",
            "{name}: the mock answered {body:?}, not ip/cp\n{}",
            mock.log()
        );
        // The mock's response verifies with our code as well.
        let rsp_path = dir.join(format!("{name}-rsp.der"));
        let o = if name.contains("mac") {
            cmp(&["verify", &s(&rsp_path), "--secret", OUR_SECRET])
        } else {
            cmp(&["verify", &s(&rsp_path), "--trust", &cred("root-ca.pem")])
        };
        assert!(o.status.success(), "{name}: {}", stdout(&o));

        // A tampered copy is refused: an error message instead of ip/cp.
        let mut bad = req.clone();
        let n = bad.len();
        bad[n - 3] ^= 0x01;
        let mock = Mock::start(&dir);
        let rsp = mock.post(&bad);
        let body = body_of(&rsp, &dir, &format!("{name}-bad-rsp.der"));
        assert_eq!(
            body,
            "error",
            "{name}: tampered request accepted\n{}",
            mock.log()
        );
    }
}

#[test]
fn messages_openssl_protects_now_verify_with_our_code() {
    if !openssl_util::available("messages_openssl_protects_now_verify_with_our_code", "cmp") {
        return;
    }
    let dir = scratch("openssl_made");
    let mock = [
        "-use_mock_srv",
        "-srv_secret",
        OUR_SECRET,
        "-srv_cert",
        &cred("cmp-server-ec.pem"),
        "-srv_key",
        &cred("cmp-server-ec.key"),
        "-srv_trusted",
        &cred("root-ca.pem"),
        "-srv_untrusted",
        &cred("issuing-ca.pem"),
        "-rsp_cert",
        &cred("device-ec.pem"),
        "-rsp_extracerts",
        &cred("issuing-ca.pem"),
        "-rsp_capubs",
        &cred("root-ca.pem"),
    ]
    .map(|a| a.to_string());
    let io = |tag: &str| -> Vec<String> {
        let f = |k: &str| {
            (1..=4)
                .map(|i| s(&dir.join(format!("{tag}-{k}{i}.der"))))
                .collect::<Vec<_>>()
                .join(",")
        };
        vec!["-reqout".into(), f("req"), "-rspout".into(), f("rsp")]
    };
    let run = |tag: &str, protection: &[String]| {
        let mut a: Vec<String> = [
            "cmp",
            "-config",
            "",
            "-batch",
            "-cmd",
            "ir",
            "-recipient",
            "/CN=x",
        ]
        .map(String::from)
        .to_vec();
        a.extend(protection.iter().cloned());
        a.extend(
            [
                "-trusted",
                &cred("root-ca.pem"),
                "-newkey",
                &cred("device-ec.key"),
                "-subject",
                "/CN=device-ec",
                "-certout",
                &s(&dir.join(format!("{tag}.pem"))),
            ]
            .map(String::from),
        );
        a.extend(io(tag));
        a.extend(mock.iter().cloned());
        let (ok, log) = openssl_util::run(&a.iter().map(String::as_str).collect::<Vec<_>>());
        assert!(ok, "{tag}: {log}");
    };
    run(
        "pbm",
        &["-ref", OUR_KID, "-secret", OUR_SECRET].map(String::from),
    );
    run(
        "sig",
        &[
            "-cert",
            &cred("client-ec-chain.pem"),
            "-key",
            &cred("client-ec.key"),
        ]
        .map(String::from),
    );
    let files = |tag: &str| -> Vec<String> {
        (1..=2)
            .flat_map(|i| {
                [
                    s(&dir.join(format!("{tag}-req{i}.der"))),
                    s(&dir.join(format!("{tag}-rsp{i}.der"))),
                ]
            })
            .collect()
    };
    // ir, ip, certConf, pkiconf of each flow.
    let mut a: Vec<String> = vec![
        "verify".into(),
        "--json".into(),
        "--secret".into(),
        OUR_SECRET.into(),
    ];
    a.extend(files("pbm"));
    let o = cmp(&a.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(o.status.success(), "{}", stdout(&o));
    let j = json_lines(&o);
    assert_eq!(j.len(), 4);
    assert!(j
        .iter()
        .all(|r| r["alg"]["oid"] == "1.2.840.113533.7.66.13"));

    let mut a: Vec<String> = vec![
        "verify".into(),
        "--json".into(),
        "--trust".into(),
        cred("root-ca.pem"),
    ];
    a.extend(files("sig"));
    let o = cmp(&a.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(o.status.success(), "{}", stdout(&o));
    let j = json_lines(&o);
    assert_eq!(j[0]["signer"], "CN=client-ec,O=CMP Test Vectors,C=XX");
    assert_eq!(j[1]["signer"], "CN=CMP Server EC,O=CMP Test Vectors,C=XX");
}
