//! A small CMP client for the responder tests: builds and protects requests with cmp-codec,
//! sends them in process, and reads the replies.
#![allow(dead_code)]
// `asn1::ParseError` is large (upstream); every rust-asn1 parse closure returns it.
#![allow(clippy::result_large_err)]

use std::time::{SystemTime, UNIX_EPOCH};

use cmp_codec::body::{CertRepMessage, CertResponse, CertStatus, ErrorMsgContent};
use cmp_codec::builder::{cert_req_msg, cert_status, MessageBuilder};
use cmp_codec::common::SubjectPublicKeyInfo;
use cmp_codec::crmf::{
    CertReqMsg, CertTemplate, Control, ControlValue, POPOSigningKey, ProofOfPossession,
};
use cmp_codec::protection::{
    protect_with_mac, protect_with_signature, verify_mac, verify_signature, HashAlg, HmacAlg,
    MacAlgorithm, RustCryptoVerifyingKey, VerifyOptions,
};
use cmp_codec::raw::{Certificate, Name};
use cmp_codec::{
    AlgorithmIdentifier, FailureBit, GeneralName, GeneralizedTime, PKIBody, PKIMessage, PKIStatus,
};
use cmp_conformance::responder::{CertInfo, Config, Credentials, KeyPair, Responder};

pub fn creds() -> Credentials {
    Credentials::load_default().expect("credentials in vectors/openssl/credentials")
}

pub fn responder(config: Config) -> Responder {
    Responder::new(creds(), config).expect("responder")
}

pub fn random16() -> Vec<u8> {
    let mut b = vec![0u8; 16];
    getrandom::fill(&mut b).unwrap();
    b
}

/// DER `Name` from `(oid-last-arc, value)` pairs: 6 = C, 10 = O, 3 = CN.
pub fn name(cn: &str) -> Vec<u8> {
    use cmp_codec::der::tlv;
    let rdn = |arc: u8, tag: u8, val: &str| {
        tlv(
            0x31,
            &tlv(
                0x30,
                &[
                    &[0x06, 0x03, 0x55, 0x04, arc][..],
                    &tlv(tag, val.as_bytes()),
                ]
                .concat(),
            ),
        )
    };
    tlv(
        0x30,
        &[
            rdn(6, 0x13, "XX"),
            rdn(10, 0x0c, "CMP Test Vectors"),
            rdn(3, 0x0c, cn),
        ]
        .concat(),
    )
}

/// A signer of requests: a key with its certificate and chain.
pub struct SignerCred {
    pub cert: CertInfo,
    pub key: KeyPair,
    pub chain: Vec<Vec<u8>>,
}

impl SignerCred {
    pub fn load(name: &str) -> Self {
        let dir = cmp_conformance::responder::credentials::default_dir();
        let cert = std::fs::read(dir.join(format!("{name}.der"))).unwrap();
        let key = std::fs::read_to_string(dir.join(format!("{name}.key"))).unwrap();
        let key = KeyPair::from_pkcs8_der(
            &cmp_conformance::responder::credentials::pem_to_der(&key).unwrap(),
        )
        .unwrap();
        let issuing = std::fs::read(dir.join("issuing-ca.der")).unwrap();
        SignerCred {
            cert: CertInfo::from_der(&cert).unwrap(),
            key,
            chain: vec![issuing],
        }
    }

    pub fn client_ec() -> Self {
        Self::load("client-ec")
    }

    /// A certificate the responder issued, with its key.
    pub fn issued(cert_der: &[u8], key: KeyPair) -> Self {
        let dir = cmp_conformance::responder::credentials::default_dir();
        SignerCred {
            cert: CertInfo::from_der(cert_der).unwrap(),
            key,
            chain: vec![std::fs::read(dir.join("issuing-ca.der")).unwrap()],
        }
    }
}

/// How a request is protected.
pub enum Prot<'s> {
    /// PasswordBasedMac as OpenSSL makes it (owf SHA-256, 500 iterations, HMAC-SHA1).
    Mac,
    /// PBMAC1 (PBKDF2-SHA256, HMAC-SHA256).
    Pbmac1,
    /// MAC with another secret.
    MacWith(&'s [u8]),
    Sig(&'s SignerCred),
    None,
}

struct RawSigner<'k>(&'k KeyPair);
#[derive(Clone)]
struct RawSig(Vec<u8>);
impl From<RawSig> for Vec<u8> {
    fn from(s: RawSig) -> Self {
        s.0
    }
}
impl TryFrom<&[u8]> for RawSig {
    type Error = signature::Error;
    fn try_from(b: &[u8]) -> Result<Self, Self::Error> {
        Ok(RawSig(b.to_vec()))
    }
}
impl signature::SignatureEncoding for RawSig {
    type Repr = Vec<u8>;
}
impl signature::Signer<RawSig> for RawSigner<'_> {
    fn try_sign(&self, msg: &[u8]) -> Result<RawSig, signature::Error> {
        Ok(RawSig(self.0.sign(msg)))
    }
}

/// The header of one request, and what the next request of the operation needs.
#[derive(Clone, Debug)]
pub struct Hdr {
    pub pvno: i64,
    pub tid: Option<Vec<u8>>,
    pub nonce: Option<Vec<u8>>,
    pub recip_nonce: Option<Vec<u8>>,
    pub implicit_confirm: bool,
    pub sender: Option<Vec<u8>>,
    pub sender_kid: Option<Vec<u8>>,
    pub message_time: Option<i64>,
}

pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

impl Hdr {
    pub fn new() -> Self {
        Hdr {
            pvno: 2,
            tid: Some(random16()),
            nonce: Some(random16()),
            recip_nonce: None,
            implicit_confirm: false,
            sender: None,
            sender_kid: None,
            message_time: Some(now()),
        }
    }

    /// The header of the next request after `reply`.
    pub fn next(&self, reply: &[u8]) -> Self {
        let r = PKIMessage::parse(reply).unwrap();
        Hdr {
            pvno: self.pvno,
            tid: self.tid.clone(),
            nonce: Some(random16()),
            recip_nonce: r.header.sender_nonce.map(<[u8]>::to_vec),
            implicit_confirm: false,
            sender: self.sender.clone(),
            sender_kid: self.sender_kid.clone(),
            message_time: Some(now()),
        }
    }

    pub fn implicit(mut self) -> Self {
        self.implicit_confirm = true;
        self
    }

    /// Build, protect and encode a request with this body.
    pub fn seal(&self, body: PKIBody<'_>, prot: &Prot<'_>) -> Vec<u8> {
        let c = creds();
        let mac_sender = name(&c.reference);
        let sender_der = match (&self.sender, prot) {
            (Some(s), _) => s.clone(),
            (None, Prot::Sig(s)) => s.cert.subject_der.clone(),
            _ => mac_sender,
        };
        let recipient = c.issuing.subject_der.clone();
        let sender = GeneralName::DirectoryName(Name::from_der(&sender_der).unwrap());
        let recipient = GeneralName::DirectoryName(Name::from_der(&recipient).unwrap());
        let mut b = MessageBuilder::new(sender, recipient).pvno(self.pvno);
        if let Some(t) = &self.tid {
            b = b.transaction_id(t);
        }
        if let Some(n) = &self.nonce {
            b = b.sender_nonce(n);
        }
        if let Some(n) = &self.recip_nonce {
            b = b.recip_nonce(n);
        }
        if let Some(t) = self.message_time {
            b = b.message_time(GeneralizedTime::from_unix_seconds(t).unwrap());
        }
        if self.implicit_confirm {
            b = b.implicit_confirm();
        }
        let kid = match (&self.sender_kid, prot) {
            (Some(k), _) => Some(k.clone()),
            (None, Prot::Mac | Prot::Pbmac1 | Prot::MacWith(_)) => {
                Some(c.reference.as_bytes().to_vec())
            }
            _ => None,
        };
        if let Some(k) = &kid {
            b = b.sender_kid(k);
        }
        let msg = b.body(body);
        let salt = random16();
        match prot {
            Prot::Mac | Prot::MacWith(_) => {
                let secret: &[u8] = match prot {
                    Prot::MacWith(s) => s,
                    _ => &c.secret,
                };
                let alg = MacAlgorithm::Pbm {
                    salt: &salt,
                    owf: HashAlg::Sha256,
                    iteration_count: 500,
                    mac: HmacAlg::HmacSha1,
                };
                protect_with_mac(&msg, &alg, secret).unwrap()
            }
            Prot::Pbmac1 => {
                let alg = MacAlgorithm::Pbmac1 {
                    salt: &salt,
                    iteration_count: 1000,
                    prf: HmacAlg::HmacWithSha256,
                    key_length: Some(32),
                    mac: HmacAlg::HmacWithSha256,
                };
                protect_with_mac(&msg, &alg, &c.secret).unwrap()
            }
            Prot::Sig(s) => {
                let alg_der = s.key.algorithm_der();
                let alg: AlgorithmIdentifier<'_> = asn1::parse_single(&alg_der).unwrap();
                let chain: Vec<&[u8]> = s.chain.iter().map(Vec::as_slice).collect();
                protect_with_signature::<_, RawSig>(
                    &msg,
                    &RawSigner(&s.key),
                    &alg,
                    &s.cert.der,
                    &chain,
                )
                .unwrap()
            }
            Prot::None => msg.encode(),
        }
    }
}

/// A CertReqMsg for `key` with subject `subject`, certReqId `id`, signature POP.
pub fn cert_req(key: &KeyPair, spki: &[u8], subject: &[u8], id: i64) -> Vec<u8> {
    let spki = asn1::parse_single::<SubjectPublicKeyInfo<'_>>(spki).unwrap();
    let template = CertTemplate {
        subject: Some(Name::from_der(subject).unwrap()),
        public_key: Some(spki),
        ..CertTemplate::default()
    };
    let msg = cert_req_msg(id, template);
    sign_pop(msg, key)
}

/// Add a signature POP over the DER of certReq and return the DER CertReqMsg.
pub fn sign_pop(msg: CertReqMsg<'_>, key: &KeyPair) -> Vec<u8> {
    let tbs = asn1::write_single(&msg.cert_req).unwrap();
    let sig = key.sign(&tbs);
    let alg_der = key.algorithm_der();
    let alg: AlgorithmIdentifier<'_> = asn1::parse_single(&alg_der).unwrap();
    let mut msg = msg.clone();
    let popo = ProofOfPossession::Signature(POPOSigningKey {
        poposk_input: None,
        algorithm_identifier: alg,
        signature: asn1::BitString::new(&sig, 0).unwrap(),
    });
    let m = CertReqMsg {
        cert_req: msg.cert_req.clone(),
        popo: Some(popo),
        reg_info: msg.reg_info.take(),
    };
    asn1::write_single(&m).unwrap()
}

/// A fresh P-256 key and its SPKI DER.
pub fn new_key() -> (KeyPair, Vec<u8>) {
    let k = KeyPair::generate_p256();
    let spki = k.spki_der();
    (k, spki)
}

pub fn ir_body<'a>(reqs: &'a [Vec<u8>]) -> PKIBody<'a> {
    PKIBody::Ir(cmp_codec::SeqOf::new(
        reqs.iter()
            .map(|r| asn1::parse_single::<CertReqMsg<'_>>(r).unwrap())
            .collect(),
    ))
}

pub fn cr_body<'a>(reqs: &'a [Vec<u8>]) -> PKIBody<'a> {
    match ir_body(reqs) {
        PKIBody::Ir(r) => PKIBody::Cr(r),
        _ => unreachable!(),
    }
}

pub fn kur_body<'a>(reqs: &'a [Vec<u8>]) -> PKIBody<'a> {
    match ir_body(reqs) {
        PKIBody::Ir(r) => PKIBody::Kur(r),
        _ => unreachable!(),
    }
}

/// A kur CertReqMsg with an oldCertID control naming (issuer, serial).
pub fn kur_req(
    key: &KeyPair,
    spki: &[u8],
    subject: &[u8],
    issuer: &[u8],
    serial: &[u8],
) -> Vec<u8> {
    let spki = asn1::parse_single::<SubjectPublicKeyInfo<'_>>(spki).unwrap();
    let template = CertTemplate {
        subject: Some(Name::from_der(subject).unwrap()),
        public_key: Some(spki),
        ..CertTemplate::default()
    };
    let mut msg = cert_req_msg(0, template);
    let cid = cmp_codec::common::CertId {
        issuer: GeneralName::DirectoryName(Name::from_der(issuer).unwrap()),
        serial_number: asn1::BigInt::new(serial).unwrap(),
    };
    msg.cert_req.controls = Some(cmp_codec::SeqOf::new(vec![Control::new(
        ControlValue::OldCertId(cid),
    )]));
    sign_pop(msg, key)
}

pub fn cert_conf_body<'a>(statuses: Vec<CertStatus<'a>>) -> PKIBody<'a> {
    PKIBody::CertConf(cmp_codec::SeqOf::new(statuses))
}

/// certConf accepting `cert`.
pub fn accept(cert: &[u8], hash: &mut Vec<u8>, id: i64) -> CertStatus<'static> {
    *hash = cmp_codec::protection::cert_hash(cert, None).unwrap();
    let h: &'static [u8] = Box::leak(hash.clone().into_boxed_slice());
    cert_status(h, id, Some(cmp_codec::PKIStatusInfo::accepted()))
}

// ---- reading replies ----

pub fn parse(der: &[u8]) -> PKIMessage<'_> {
    PKIMessage::parse(der).unwrap_or_else(|e| panic!("reply does not parse: {e}"))
}

pub fn body_name(der: &[u8]) -> &'static str {
    parse(der).body.name()
}

/// The error content of an error reply.
pub fn error_content<'a>(msg: &PKIMessage<'a>) -> ErrorMsgContent<'a> {
    match &msg.body {
        PKIBody::Error(e) => e.clone(),
        other => panic!("expected error, got {}", other.name()),
    }
}

/// The CertRepMessage of an ip/cp/kup.
pub fn cert_rep<'a>(msg: &PKIMessage<'a>) -> CertRepMessage<'a> {
    match &msg.body {
        PKIBody::Ip(r) | PKIBody::Cp(r) | PKIBody::Kup(r) => r.clone(),
        other => panic!("expected ip/cp/kup, got {}", other.name()),
    }
}

pub fn first_response<'a>(msg: &PKIMessage<'a>) -> CertResponse<'a> {
    cert_rep(msg).response.get(0).expect("one CertResponse")
}

/// The issued certificate of an ip/cp/kup.
pub fn issued_cert(der: &[u8]) -> Vec<u8> {
    let msg = parse(der);
    let r = first_response(&msg);
    assert_eq!(
        r.status.status,
        PKIStatus::ACCEPTED,
        "status of {}",
        msg.body.name()
    );
    match r
        .certified_key_pair
        .expect("certifiedKeyPair")
        .cert_or_enc_cert
    {
        cmp_codec::body::CertOrEncCert::Certificate(c) => c.der().to_vec(),
        _ => panic!("encrypted cert"),
    }
}

/// Whether the reply is an error (or a rejection in ip/cp/kup/rp) with this failInfo bit.
pub fn assert_rejected(der: &[u8], bit: FailureBit) {
    let msg = parse(der);
    let status = match &msg.body {
        PKIBody::Error(e) => e.pki_status_info.clone(),
        PKIBody::Ip(r) | PKIBody::Cp(r) | PKIBody::Kup(r) => r.response.get(0).unwrap().status,
        PKIBody::Rp(r) => r.status.get(0).unwrap(),
        other => panic!(
            "expected a negative answer with {bit:?}, got {}",
            other.name()
        ),
    };
    assert_eq!(status.status, PKIStatus::REJECTION, "status ({:?})", status);
    let fi = status.fail_info.expect("failInfo");
    assert!(
        fi.has(bit),
        "failInfo {:?} lacks {bit:?} (statusString {:?})",
        fi.names(),
        status.status_string
    );
}

pub fn assert_error(der: &[u8], bit: FailureBit) {
    assert_eq!(body_name(der), "error");
    assert_rejected(der, bit);
}

/// Check MAC protection with the default secret.
pub fn mac_ok(der: &[u8]) -> bool {
    verify_mac(&parse(der), &creds().secret, &VerifyOptions::default()).is_ok()
}

/// Check signature protection with extraCerts[0].
pub fn sig_ok(der: &[u8]) -> bool {
    verify_signature(&parse(der), &[], &VerifyOptions::default()).is_ok()
}

/// Whether `cert` is signed by the key in `issuer_spki`.
pub fn signed_by(cert: &[u8], issuer_spki: &[u8]) -> bool {
    let split = asn1::parse_single::<asn1::Sequence<'_>>(cert).unwrap();
    let (tbs, alg, sig) = split
        .parse(|p| {
            let tbs = p.read_element::<asn1::Tlv<'_>>()?;
            let alg = p.read_element::<AlgorithmIdentifier<'_>>()?;
            let sig = p.read_element::<asn1::BitString<'_>>()?;
            Ok::<_, asn1::ParseError>((tbs.full_data(), alg, sig))
        })
        .unwrap();
    RustCryptoVerifyingKey::new(&alg, issuer_spki, &VerifyOptions::default())
        .and_then(|v| v.verify_chunks(&[tbs], sig.as_bytes()))
        .is_ok()
}

pub fn certificate(der: &[u8]) -> Certificate<'_> {
    Certificate::from_der(der).unwrap()
}

/// The extraCerts of a reply, as DER.
pub fn extra_certs(der: &[u8]) -> Vec<Vec<u8>> {
    parse(der).extra_certs().map(|c| c.der().to_vec()).collect()
}

/// The generalInfo entry names of a reply.
pub fn general_info_names(der: &[u8]) -> Vec<String> {
    parse(der)
        .header
        .general_info()
        .map(|i| i.info_value.name().unwrap_or("other").to_string())
        .collect()
}

/// A complete MAC ir → ip (implicitConfirm asked), returning the issued cert and its key.
pub fn enroll_mac(r: &Responder) -> (Vec<u8>, KeyPair) {
    let (key, spki) = new_key();
    let req = vec![cert_req(&key, &spki, &name("enrolled"), 0)];
    let h = Hdr::new().implicit();
    let ip = r.handle(&h.seal(ir_body(&req), &Prot::Mac));
    (issued_cert(&ip), key)
}

// ---- plain HTTP/1.1 over std::net ----

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

pub struct HttpReply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl HttpReply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

pub fn read_reply(reader: &mut BufReader<TcpStream>) -> HttpReply {
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    let status: u16 = line.split_whitespace().nth(1).unwrap().parse().unwrap();
    let mut headers = Vec::new();
    loop {
        let mut l = String::new();
        reader.read_line(&mut l).unwrap();
        let l = l.trim_end();
        if l.is_empty() {
            break;
        }
        let (n, v) = l.split_once(':').unwrap();
        headers.push((n.trim().to_string(), v.trim().to_string()));
    }
    let len: usize = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .map(|(_, v)| v.parse().unwrap())
        .unwrap_or(0);
    let mut body = vec![0u8; len];
    reader.read_exact(&mut body).unwrap();
    HttpReply {
        status,
        headers,
        body,
    }
}

pub fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    content_type: Option<&str>,
    body: &[u8],
) -> HttpReply {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    if let Some(ct) = content_type {
        head.push_str(&format!("Content-Type: {ct}\r\n"));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes()).unwrap();
    // A server may answer (413) before reading everything; ignore write errors then.
    let _ = s.write_all(body);
    read_reply(&mut BufReader::new(s))
}

pub fn post(addr: SocketAddr, path: &str, body: &[u8]) -> HttpReply {
    request(addr, "POST", path, Some("application/pkixcmp"), body)
}
