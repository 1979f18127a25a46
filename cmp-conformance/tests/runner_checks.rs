//! Each response check with a message that passes and one that breaks its rule, built with
//! `cmp_codec::builder` and the credentials of vectors/openssl/credentials.

use std::path::{Path, PathBuf};

use cmp_codec::body::{CertResponse, PollRep};
use cmp_codec::builder::{
    cert_rep, cert_response_accepted, cert_response_status, error_content, MessageBuilder,
};
use cmp_codec::itav::{InfoTypeAndValue, InfoValue};
use cmp_codec::protection::{
    protect_with_mac, protect_with_signature, HashAlg, HmacAlg, MacAlgorithm,
};
use cmp_codec::raw::{Certificate, Name};
use cmp_codec::{FailureBit, GeneralName, PKIFailureInfo, PKIStatus, PKIStatusInfo};
use cmp_conformance::check::x509::CertInfo;
use cmp_conformance::check::{
    check_exchange, CheckState, Config, ExchangeInput, Finding, Severity,
};
use cmp_conformance::client::keys::{RawSignature, SigningKey};
use cmp_conformance::endpoint::Reply;

const SECRET: &[u8] = b"insecure-cmp-vectors-secret";
const TID: [u8; 16] = [7; 16];
const REQ_NONCE: [u8; 16] = [1; 16];
const RSP_NONCE: [u8; 16] = [2; 16];
const NOW: i64 = 1_900_000_000;

fn cred(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../vectors/openssl/credentials")
        .join(name)
}

fn der(name: &str) -> Vec<u8> {
    std::fs::read(cred(name)).unwrap()
}

fn config() -> Config {
    Config {
        mac_secret: Some(SECRET.to_vec()),
        mac_kid: Some(b"cmp-vectors-kid".to_vec()),
        anchors: vec![CertInfo::parse(&der("root-ca.der")).unwrap()],
        untrusted: vec![],
        verify_at: Some(NOW),
        max_skew: 300,
        ..Config::default()
    }
}

fn name(n: &str) -> Vec<u8> {
    cmp_conformance::client::name_der(n).unwrap()
}

fn pbm(salt: &[u8]) -> MacAlgorithm<'_> {
    MacAlgorithm::Pbm {
        salt,
        owf: HashAlg::Sha256,
        iteration_count: 1000,
        mac: HmacAlg::HmacWithSha256,
    }
}

/// The requester: an ir (or other body) for device-ec's key, MAC-protected.
fn request(kind: &str, implicit: bool) -> Vec<u8> {
    let sender = name("CN=cmp-vectors-kid");
    let recipient = name("CN=CMP Server EC,O=CMP Test Vectors,C=XX");
    let key = SigningKey::from_file(&cred("device-ec.key")).unwrap();
    let spki = key.spki_der().unwrap();
    let subject = name("CN=device-ec,O=CMP Test Vectors,C=XX");
    let template = cmp_codec::crmf::CertTemplate {
        subject: Some(Name::from_der(&subject).unwrap()),
        public_key: Some(asn1::parse_single(&spki).unwrap()),
        ..Default::default()
    };
    let mut b = MessageBuilder::new(
        GeneralName::DirectoryName(Name::from_der(&sender).unwrap()),
        GeneralName::DirectoryName(Name::from_der(&recipient).unwrap()),
    )
    .transaction_id(&TID)
    .sender_nonce(&REQ_NONCE)
    .sender_kid(b"cmp-vectors-kid");
    if implicit {
        b = b.implicit_confirm();
    }
    let root = der("root-ca.der");
    let msg = match kind {
        "ir" => b
            .ir(vec![cmp_codec::builder::cert_req_msg(0, template)])
            .unwrap(),
        "cr" => b
            .cr(vec![cmp_codec::builder::cert_req_msg(0, template)])
            .unwrap(),
        "certConf" => b.cert_conf(vec![cmp_codec::builder::cert_status(&[0; 32], 0, None)]),
        "pollReq" => b.poll_req(&[0]),
        "genm-root" => b.genm(vec![InfoTypeAndValue::new(InfoValue::RootCaCert(
            Certificate::from_der(&root).ok(),
        ))]),
        other => panic!("{other}"),
    };
    protect_with_mac(&msg, &pbm(&[9; 16]), SECRET).unwrap()
}

/// How to build the response.
#[derive(Clone)]
struct Rsp {
    tid: Vec<u8>,
    recip_nonce: Vec<u8>,
    sender_nonce: Vec<u8>,
    body: &'static str,
    implicit: bool,
    confirm_wait: bool,
    secret: Vec<u8>,
    protect: &'static str,
    status: PKIStatusInfo<'static>,
    responses: usize,
    ca_pubs: bool,
    cert: &'static str,
    extra: bool,
    message_time: i64,
    sender_kid: Option<Vec<u8>>,
    sender: &'static str,
    check_after: i64,
}

impl Default for Rsp {
    fn default() -> Self {
        Rsp {
            tid: TID.to_vec(),
            recip_nonce: REQ_NONCE.to_vec(),
            sender_nonce: RSP_NONCE.to_vec(),
            body: "ip",
            implicit: false,
            confirm_wait: true,
            secret: SECRET.to_vec(),
            protect: "mac",
            status: PKIStatusInfo::accepted(),
            responses: 1,
            ca_pubs: false,
            cert: "device-ec.der",
            extra: true,
            message_time: NOW,
            sender_kid: Some(b"cmp-vectors-kid".to_vec()),
            sender: "CN=cmp-vectors-kid",
            check_after: 1,
        }
    }
}

fn response(r: &Rsp) -> Vec<u8> {
    let server = der("cmp-server-ec.der");
    let sender = if r.protect == "sig" && r.sender == "CN=cmp-vectors-kid" {
        CertInfo::parse(&server).unwrap().subject
    } else {
        name(r.sender)
    };
    let recipient = name("CN=cmp-vectors-kid");
    let cert = der(r.cert);
    let issuing = der("issuing-ca.der");
    let root = der("root-ca.der");
    let mut b = MessageBuilder::new(
        GeneralName::DirectoryName(Name::from_der(&sender).unwrap()),
        GeneralName::DirectoryName(Name::from_der(&recipient).unwrap()),
    )
    .transaction_id(&r.tid)
    .sender_nonce(&r.sender_nonce)
    .recip_nonce(&r.recip_nonce)
    .message_time(cmp_codec::GeneralizedTime::from_unix_seconds(r.message_time).unwrap());
    if let Some(k) = &r.sender_kid {
        b = b.sender_kid(k);
    }
    if r.implicit {
        b = b.implicit_confirm();
    }
    if r.confirm_wait {
        b = b.confirm_wait_time(
            cmp_codec::GeneralizedTime::from_unix_seconds(r.message_time + 600).unwrap(),
        );
    }
    if r.extra {
        b = b.extra_cert(Certificate::from_der(&issuing).unwrap());
    }
    let c = Certificate::from_der(&cert).unwrap();
    let resp = |id: i64| -> CertResponse<'_> {
        let positive = r.status.status == PKIStatus::ACCEPTED
            || r.status.status == PKIStatus::GRANTED_WITH_MODS;
        let mut x = if positive
            || r.status.fail_info.is_none() && r.status.status != PKIStatus::REJECTION
        {
            cert_response_accepted(id, c)
        } else {
            cert_response_status(id, r.status.clone())
        };
        x.status = r.status.clone();
        x
    };
    let rep = || {
        let list: Vec<CertResponse<'_>> = (0..r.responses as i64).map(resp).collect();
        let pubs = if r.ca_pubs {
            vec![Certificate::from_der(&root).unwrap()]
        } else {
            vec![]
        };
        cert_rep(list, pubs)
    };
    let msg = match r.body {
        "ip" => b.ip(rep()),
        "cp" => b.cp(rep()),
        "pkiconf" => b.pkiconf(),
        "error" => b.error(error_content(r.status.clone(), None, None)),
        "pollRep" => b.poll_rep(vec![PollRep {
            cert_req_id: 0,
            check_after: r.check_after,
            reason: None,
        }]),
        "genp-root" => b.genp(vec![InfoTypeAndValue::new(InfoValue::RootCaCert(None))]),
        other => panic!("{other}"),
    };
    match r.protect {
        "none" => msg.encode(),
        "mac" => protect_with_mac(&msg, &pbm(&[3; 16]), &r.secret).unwrap(),
        "sig" => {
            let key = SigningKey::from_file(&cred("cmp-server-ec.key")).unwrap();
            let alg_der = key.algorithm_der();
            let alg = asn1::parse_single(&alg_der).unwrap();
            let chain: Vec<&[u8]> = vec![&issuing];
            protect_with_signature::<SigningKey, RawSignature>(&msg, &key, &alg, &server, &chain)
                .unwrap()
        }
        other => panic!("{other}"),
    }
}

fn check_with(cfg: &Config, req: &[u8], reply: Reply, http: bool) -> Vec<Finding> {
    let mut state = CheckState::default();
    let input = ExchangeInput {
        index: 1,
        request: req,
        reply: Ok(&reply),
        at: NOW,
        http,
        request_authentic: true,
        threegpp: false,
    };
    check_exchange(cfg, &mut state, &input)
}

fn check(req: &[u8], rsp: &Rsp) -> Vec<Finding> {
    check_with(&config(), req, Reply::pkixcmp(response(rsp)), false)
}

fn has(f: &[Finding], rule: &str, sev: Severity) -> bool {
    f.iter().any(|x| x.rule == rule && x.severity == sev)
}

fn no_fail(f: &[Finding]) {
    let bad: Vec<_> = f.iter().filter(|x| x.severity >= Severity::Warn).collect();
    assert!(bad.is_empty(), "{bad:#?}");
}

fn fails(req: &[u8], rsp: &Rsp, rule: &str) {
    let f = check(req, rsp);
    assert!(has(&f, rule, Severity::Fail), "{rule} not reported: {f:#?}");
}

#[test]
fn a_conforming_ip_passes() {
    no_fail(&check(&request("ir", false), &Rsp::default()));
    // A signed answer to this MAC request: only the protection kind is wrong.
    let f = check(
        &request("ir", false),
        &Rsp {
            protect: "sig",
            sender_kid: None,
            ..Rsp::default()
        },
    );
    let other: Vec<_> = f
        .iter()
        .filter(|x| x.severity >= Severity::Warn && x.rule != "MAC-03")
        .collect();
    assert!(other.is_empty(), "{other:#?}");
}

#[test]
fn header_echo_and_nonces() {
    let ir = request("ir", false);
    fails(
        &ir,
        &Rsp {
            tid: vec![8; 16],
            ..Rsp::default()
        },
        "HDR-15",
    );
    fails(
        &ir,
        &Rsp {
            recip_nonce: vec![5; 16],
            ..Rsp::default()
        },
        "HDR-19",
    );
    fails(
        &ir,
        &Rsp {
            sender_nonce: vec![2; 8],
            ..Rsp::default()
        },
        "HDR-16",
    );
    fails(
        &ir,
        &Rsp {
            sender_nonce: REQ_NONCE.to_vec(),
            ..Rsp::default()
        },
        "HDR-16",
    );
}

#[test]
fn message_time_skew_only_warns() {
    let f = check(
        &request("ir", false),
        &Rsp {
            message_time: NOW - 4000,
            ..Rsp::default()
        },
    );
    assert!(has(&f, "HDR-08", Severity::Warn), "{f:#?}");
    assert!(!has(&f, "HDR-08", Severity::Fail));
}

#[test]
fn implicit_confirm_and_confirm_wait_time() {
    let ir = request("ir", false);
    let irc = request("ir", true);
    no_fail(&check(
        &irc,
        &Rsp {
            implicit: true,
            confirm_wait: false,
            ..Rsp::default()
        },
    ));
    fails(
        &ir,
        &Rsp {
            implicit: true,
            confirm_wait: false,
            ..Rsp::default()
        },
        "HDR-21",
    );
    fails(
        &irc,
        &Rsp {
            implicit: true,
            confirm_wait: true,
            ..Rsp::default()
        },
        "HDR-25",
    );
    let f = check(
        &ir,
        &Rsp {
            confirm_wait: false,
            ..Rsp::default()
        },
    );
    assert!(has(&f, "HDR-24", Severity::Warn), "{f:#?}");
    let cc = request("certConf", false);
    no_fail(&check(
        &cc,
        &Rsp {
            body: "pkiconf",
            confirm_wait: false,
            extra: false,
            ..Rsp::default()
        },
    ));
    fails(
        &cc,
        &Rsp {
            body: "pkiconf",
            implicit: true,
            confirm_wait: false,
            ..Rsp::default()
        },
        "HDR-22",
    );
}

#[test]
fn protection() {
    let ir = request("ir", false);
    fails(
        &ir,
        &Rsp {
            protect: "none",
            ..Rsp::default()
        },
        "PROT-02",
    );
    fails(
        &ir,
        &Rsp {
            secret: b"other".to_vec(),
            ..Rsp::default()
        },
        "PROT-04",
    );
    fails(
        &ir,
        &Rsp {
            sender_kid: None,
            ..Rsp::default()
        },
        "HDR-13",
    );
    // An unprotected error to an authenticated request is a SHOULD (ERR-14), never a FAIL.
    let f = check(
        &ir,
        &Rsp {
            body: "error",
            protect: "none",
            status: PKIStatusInfo::rejection(&[FailureBit::BadRequest]),
            ..Rsp::default()
        },
    );
    assert!(has(&f, "ERR-14", Severity::Warn), "{f:#?}");
    assert!(!f.iter().any(|x| x.severity == Severity::Fail), "{f:#?}");
    // MAC request answered with a signature.
    fails(
        &ir,
        &Rsp {
            protect: "sig",
            sender_kid: None,
            ..Rsp::default()
        },
        "MAC-03",
    );
}

#[test]
fn signature_protection() {
    let ir = request("ir", false);
    let sig = Rsp {
        protect: "sig",
        sender_kid: None,
        ..Rsp::default()
    };
    fails(
        &ir,
        &Rsp {
            sender_kid: Some(vec![1; 20]),
            ..sig.clone()
        },
        "HDR-12",
    );
    fails(
        &ir,
        &Rsp {
            sender: "CN=someone else",
            ..sig.clone()
        },
        "HDR-04",
    );
    // Not trusted: another anchor.
    let mut cfg = config();
    cfg.anchors = vec![CertInfo::parse(&der("client-ec.der")).unwrap()];
    let f = check_with(&cfg, &ir, Reply::pkixcmp(response(&sig)), false);
    assert!(has(&f, "VAL-14", Severity::Fail), "{f:#?}");
    // The issuing CA chain of the new certificate is missing.
    fails(
        &ir,
        &Rsp {
            extra: false,
            ..Rsp::default()
        },
        "EXTRA-04",
    );
}

#[test]
fn cert_rep_body() {
    let ir = request("ir", false);
    fails(
        &ir,
        &Rsp {
            responses: 2,
            ..Rsp::default()
        },
        "IR-25",
    );
    let accepted_with_fail_info = PKIStatusInfo {
        status: PKIStatus::ACCEPTED,
        status_string: None,
        fail_info: Some(PKIFailureInfo::from_bits(&[FailureBit::BadRequest])),
    };
    fails(
        &ir,
        &Rsp {
            status: accepted_with_fail_info,
            ..Rsp::default()
        },
        "IR-27",
    );
    fails(
        &ir,
        &Rsp {
            status: PKIStatusInfo {
                status: PKIStatus(4),
                status_string: None,
                fail_info: None,
            },
            ..Rsp::default()
        },
        "IR-26",
    );
    // A certificate for another key than the requested one.
    fails(
        &ir,
        &Rsp {
            cert: "client-ec.der",
            ..Rsp::default()
        },
        "IR-28",
    );
    // A rejection: no certificate, confirmWaitTime irrelevant.
    no_fail(&check(
        &ir,
        &Rsp {
            status: PKIStatusInfo::rejection(&[FailureBit::BadPOP]),
            confirm_wait: false,
            ..Rsp::default()
        },
    ));
    // caPubs: allowed in ip, not in cp; ir answered by cp is the wrong type.
    no_fail(&check(
        &ir,
        &Rsp {
            ca_pubs: true,
            ..Rsp::default()
        },
    ));
    let cr = request("cr", false);
    fails(
        &cr,
        &Rsp {
            body: "cp",
            ca_pubs: true,
            ..Rsp::default()
        },
        "CR-03",
    );
    fails(
        &ir,
        &Rsp {
            body: "cp",
            ..Rsp::default()
        },
        "CR-02",
    );
}

#[test]
fn error_poll_and_genp_bodies() {
    let ir = request("ir", false);
    no_fail(&check(
        &ir,
        &Rsp {
            body: "error",
            status: PKIStatusInfo::rejection(&[FailureBit::BadRequest]),
            ..Rsp::default()
        },
    ));
    fails(
        &ir,
        &Rsp {
            body: "error",
            status: PKIStatusInfo::accepted(),
            ..Rsp::default()
        },
        "ERR-12",
    );
    let poll = request("pollReq", false);
    no_fail(&check(
        &poll,
        &Rsp {
            body: "pollRep",
            confirm_wait: false,
            extra: false,
            ..Rsp::default()
        },
    ));
    fails(
        &poll,
        &Rsp {
            body: "pollRep",
            check_after: -5,
            confirm_wait: false,
            ..Rsp::default()
        },
        "POLL-11",
    );
    let genm = request("genm-root", false);
    fails(
        &genm,
        &Rsp {
            body: "genp-root",
            confirm_wait: false,
            ..Rsp::default()
        },
        "GEN-21",
    );
}

#[test]
fn http_layer() {
    let ir = request("ir", false);
    let body = response(&Rsp::default());
    let ok = Reply::pkixcmp(body.clone());
    no_fail(&check_with(&config(), &ir, ok, true));
    let text = Reply {
        status: 200,
        content_type: Some("text/plain".into()),
        body: body.clone(),
    };
    assert!(has(
        &check_with(&config(), &ir, text, true),
        "XFER-04",
        Severity::Fail
    ));
    let created = Reply {
        status: 201,
        content_type: Some("application/pkixcmp".into()),
        body: body.clone(),
    };
    assert!(has(
        &check_with(&config(), &ir, created, true),
        "HTTP-R02",
        Severity::Fail
    ));
    let garbage = Reply::pkixcmp(vec![0x30, 0x03, 0x02, 0x01]);
    assert!(has(
        &check_with(&config(), &ir, garbage, true),
        "RA-01",
        Severity::Fail
    ));
}

#[test]
fn a_may_is_never_a_fault() {
    for r in cmp_conformance::rules::RULES {
        let f = Finding::new(r.id, Severity::Fail, "x", None);
        match r.level {
            cmp_conformance::rules::Level::May => {
                assert_eq!(f.severity, Severity::Info, "{}", r.id)
            }
            cmp_conformance::rules::Level::Should => {
                assert_eq!(f.severity, Severity::Warn, "{}", r.id)
            }
            cmp_conformance::rules::Level::Must => {
                assert_eq!(f.severity, Severity::Fail, "{}", r.id)
            }
        }
    }
    for id in cmp_conformance::check::PASSIVE_RULES {
        assert!(
            cmp_conformance::rules::rule(id).is_some(),
            "{id} is not in RULES"
        );
    }
}

#[test]
fn hostile_replies_never_panic() {
    // Every single-byte change and every truncation of real responses.
    let ir = request("ir", false);
    let good = response(&Rsp {
        protect: "sig",
        sender_kid: None,
        ..Rsp::default()
    });
    let cfg = config();
    for i in 0..good.len() {
        for delta in [0x01u8, 0x80, 0xff] {
            let mut m = good.clone();
            m[i] ^= delta;
            let _ = check_with(&cfg, &ir, Reply::pkixcmp(m.clone()), true);
            let _ = cmp_conformance::check::expect::judge(Ok(&Reply::pkixcmp(m)));
        }
        let _ = check_with(&cfg, &ir, Reply::pkixcmp(good[..i].to_vec()), true);
    }
    // The OpenSSL vectors, each answer checked against its request.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../vectors/openssl");
    for flow in std::fs::read_dir(&dir).unwrap().flatten() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(flow.path())
            .map(|d| d.flatten().map(|e| e.path()).collect())
            .unwrap_or_default();
        files.sort();
        let mut state = CheckState::default();
        for pair in files.windows(2) {
            let (req, rsp) = (&pair[0], &pair[1]);
            if !req.to_string_lossy().contains("-req-") || !rsp.to_string_lossy().contains("-rsp-")
            {
                continue;
            }
            let req = std::fs::read(req).unwrap();
            let reply = Reply::pkixcmp(std::fs::read(rsp).unwrap());
            let input = ExchangeInput {
                index: 1,
                request: &req,
                reply: Ok(&reply),
                at: NOW,
                http: false,
                request_authentic: true,
                threegpp: true,
            };
            let _ = check_exchange(&cfg, &mut state, &input);
        }
    }
}
