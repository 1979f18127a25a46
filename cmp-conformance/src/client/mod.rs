//! The runner's client side: credentials ([`keys`]) and building the request of one scenario
//! step, with its protection and any mutation that turns it into a negative probe.

pub mod keys;
pub mod nested;

use std::str::FromStr;

use cmp_codec::body::{CertStatus, RevDetails};
use cmp_codec::builder::{cert_req_msg, cert_status, error_content, MessageBuilder};
use cmp_codec::common::{CertId, Extension, SubjectPublicKeyInfo};
use cmp_codec::crmf::{
    CertRequest, CertTemplate, Control, ControlValue, OptionalValidity, POPOSigningKey,
    ProofOfPossession,
};
use cmp_codec::itav::{CRLSource, CRLStatus, CertReqTemplateContent, InfoTypeAndValue, InfoValue};
use cmp_codec::protection::{
    cert_hash, protect_with_mac, protect_with_signature, HashAlg, HmacAlg, MacAlgorithm,
    SignatureAlgorithm,
};
use cmp_codec::raw::{Certificate, CertificationRequest, Name};
use cmp_codec::{AlgorithmIdentifier, FailureBit, GeneralName, PKIMessage, PKIStatusInfo, SeqOf};
use der::Encode;

use crate::check::x509::CertInfo;
use crate::profile::Profile;
use crate::scenario::Step;
use cmp_codec::der::tlv;
use keys::{random_vec, Credential, RawSignature, SigningKey};

/// Everything the runner signs and MACs with, from the profile.
#[derive(Clone, Debug, Default)]
pub struct Creds {
    /// senderKID / reference of the shared secret.
    pub mac_kid: Option<String>,
    /// The shared secret.
    pub mac_secret: Option<Vec<u8>>,
    /// PBM / PBKDF2 iteration count.
    pub mac_iterations: u64,
    /// The external signer (IDevID).
    pub signer: Option<Credential>,
    /// The 3GPP vendor credential.
    pub vendor: Option<Credential>,
    /// Signer allowing keyAgreement (receives centrally generated keys by kari).
    pub key_agreement: Option<Credential>,
    /// Signer allowing keyEncipherment (receives centrally generated keys by ktri).
    pub key_transport: Option<Credential>,
    /// Key to enroll (None: fresh P-256 each time).
    pub enroll_key: Option<SigningKey>,
    /// Subject to request, DER.
    pub subject: Vec<u8>,
    /// Recipient of first requests, DER Name.
    pub recipient: Vec<u8>,
    /// kur asks for the same key.
    pub kur_same_key: bool,
    /// A ready PKCS #10 request.
    pub csr: Option<Vec<u8>>,
    /// A root certificate (for rootCaCert and unrelated extraCerts).
    pub root: Option<Vec<u8>>,
    /// certReqId of a certConf after p10cr.
    pub p10cr_cert_conf_id: i64,
    /// A self-signed signer no PKI trusts (made fresh for every run).
    pub rogue: Option<Credential>,
    /// The registration authority (EKU cmcRA) of the RA-role scenarios.
    pub ra: Option<Credential>,
}

/// An RFC 4514 name as DER.
pub fn name_der(s: &str) -> Result<Vec<u8>, String> {
    if s.is_empty() {
        return Ok(vec![0x30, 0x00]);
    }
    let n = x509_cert::name::Name::from_str(s).map_err(|e| format!("name {s:?}: {e}"))?;
    n.to_der().map_err(|e| format!("name {s:?}: {e}"))
}

impl Creds {
    /// Load from a profile.
    pub fn from_profile(p: &Profile) -> Result<Creds, String> {
        let subject = match &p.enroll.subject {
            Some(s) => name_der(s)?,
            None => name_der(&format!(
                "CN=cmp-conformance-{}",
                hex::encode(random_vec(4))
            ))?,
        };
        let anchors = p.anchors()?;
        Ok(Creds {
            mac_kid: p.mac.as_ref().map(|m| m.sender_kid.clone()),
            mac_secret: match &p.mac {
                Some(m) => Some(m.secret()?),
                None => None,
            },
            mac_iterations: p.mac.as_ref().and_then(|m| m.iterations).unwrap_or(10_000),
            signer: p.signer.as_ref().map(|c| p.credential(c)).transpose()?,
            vendor: p.vendor.as_ref().map(|c| p.credential(c)).transpose()?,
            key_agreement: p
                .key_agreement
                .as_ref()
                .map(|c| p.credential(c))
                .transpose()?,
            key_transport: p
                .key_transport
                .as_ref()
                .map(|c| p.credential(c))
                .transpose()?,
            enroll_key: p
                .enroll
                .key
                .as_ref()
                .map(|k| SigningKey::from_file(&p.resolve(k)))
                .transpose()?,
            subject,
            recipient: match &p.server.recipient {
                Some(r) => name_der(r)?,
                None => vec![0x30, 0x00],
            },
            kur_same_key: p.enroll.kur_same_key,
            csr: p
                .enroll
                .csr
                .as_ref()
                .map(|c| std::fs::read(p.resolve(c)).map_err(|e| format!("{c}: {e}")))
                .transpose()?
                .map(|b| pem_or_der(&b, "CERTIFICATE REQUEST")),
            root: anchors.into_iter().next(),
            p10cr_cert_conf_id: p.enroll.p10cr_cert_conf_id.unwrap_or(0),
            rogue: rogue_credential().ok(),
            ra: p.ra.as_ref().map(|c| p.credential(c)).transpose()?,
        })
    }
}

fn pem_or_der(bytes: &[u8], label: &str) -> Vec<u8> {
    if bytes.first() == Some(&0x30) {
        return bytes.to_vec();
    }
    keys::parse_pem(&String::from_utf8_lossy(bytes))
        .ok()
        .and_then(|b| b.into_iter().find(|b| b.label == label).map(|b| b.der))
        .unwrap_or_default()
}

/// Which credential protects a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProtSel {
    /// PasswordBasedMac.
    Mac,
    /// PBMAC1.
    Pbmac1,
    /// The profile's signer.
    Signature,
    /// The 3GPP vendor credential.
    Vendor,
    /// The certificate issued earlier in the scenario.
    Issued,
    /// A self-signed certificate no PKI trusts.
    Rogue,
    /// The profile's RA credential.
    Ra,
    /// No protection.
    None,
}

impl ProtSel {
    fn parse(s: &str) -> Option<ProtSel> {
        Some(match s {
            "mac" => ProtSel::Mac,
            "pbmac1" => ProtSel::Pbmac1,
            "signature" => ProtSel::Signature,
            // The central key generation signers: signatures with another credential.
            "key-agreement" | "key-transport" => ProtSel::Signature,
            "vendor" => ProtSel::Vendor,
            "issued" => ProtSel::Issued,
            "rogue" => ProtSel::Rogue,
            "ra" => ProtSel::Ra,
            "none" => ProtSel::None,
            _ => return None,
        })
    }
}

/// What the runner remembers within a scenario.
#[derive(Clone, Debug, Default)]
pub struct TxState {
    /// Current transactionID.
    pub tid: Vec<u8>,
    /// The previous operation's transactionID.
    pub prev_tid: Option<Vec<u8>>,
    /// The last senderNonce the server sent.
    pub server_nonce: Option<Vec<u8>>,
    /// The last sender of the server (DER GeneralName), recipient of later messages.
    pub server_sender: Option<Vec<u8>>,
    /// The first request's protection.
    pub op_protection: Option<ProtSel>,
    /// The first request's signing credential (later messages of the operation use it too).
    pub op_cred: Option<Credential>,
    /// The operation's first body.
    pub op_kind: String,
    /// The key asked for in the current operation.
    pub new_key: Option<SigningKey>,
    /// The most recent certificate issued in this scenario, with its key and chain.
    pub issued: Option<Credential>,
    /// The certificate delivered in the current operation (for certConf).
    pub delivered: Option<Vec<u8>>,
    /// certReqId of the delivering CertResponse.
    pub delivered_id: i64,
    /// The server granted implicitConfirm.
    pub implicit_granted: bool,
    /// certReqId to poll for (0 or -1) while waiting.
    pub waiting: Option<i64>,
    /// checkAfter of the last pollRep.
    pub check_after: i64,
    /// certConf after p10cr is retried with certReqId -1 (P10-04).
    pub p10_retry: bool,
}

/// `namedCurve secp256r1`, the parameters of an EC central key generation request.
const CKG_P256_PARAMS: &[u8] = &[0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
/// A MAC algorithm no CMP peer knows (under Microsoft's private arc), for the unknown-mac-oid
/// probe.
const UNKNOWN_MAC: asn1::ObjectIdentifier = asn1::oid!(1, 3, 6, 1, 4, 1, 311, 99999, 3);

/// A built request.
#[derive(Clone, Debug)]
pub struct Built {
    /// The bytes to send.
    pub der: Vec<u8>,
    /// Whether it carries valid protection from a configured credential.
    pub authentic: bool,
}

pub(crate) const BREAKS_AUTH: &[&str] = &[
    "unprotected",
    "implicit-confirm-int",
    "bad-mac",
    "unknown-sender-kid",
    "unknown-mac-oid",
    "flip-signature",
    "wrong-sender-kid",
    "wrong-protection-alg",
    "garbage",
    "empty-body",
    "truncated",
    "sender-mismatch",
    "kid-not-sender-cn",
];

/// A self-signed EC P-256 certificate (CA, digitalSignature and keyCertSign, valid 2020 to
/// 2049) for `CN=cmp-conformance rogue signer`: a signer that no PKI under test trusts.
pub fn rogue_credential() -> Result<Credential, String> {
    let key = SigningKey::generate_p256();
    let spki = key.spki_der()?;
    let name = name_der("CN=cmp-conformance rogue signer,O=cmp-conformance")?;
    let ski = {
        use sha2::Digest;
        sha2::Sha256::digest(&spki)[..20].to_vec()
    };
    let mut serial = random_vec(8);
    serial[0] &= 0x7f;
    serial[0] |= 0x01;
    let alg = key.algorithm_der();
    let mut validity = tlv(0x17, b"200101000000Z");
    validity.extend(tlv(0x18, b"20491231235959Z"));
    let bc = tlv(0x30, &[0x01, 0x01, 0xff]);
    let ext_bc = [
        tlv(0x06, &[0x55, 0x1d, 0x13]),
        vec![0x01, 0x01, 0xff],
        tlv(0x04, &bc),
    ]
    .concat();
    let ku = tlv(0x03, &[0x01, 0x86]);
    let ext_ku = [
        tlv(0x06, &[0x55, 0x1d, 0x0f]),
        vec![0x01, 0x01, 0xff],
        tlv(0x04, &ku),
    ]
    .concat();
    let ext_ski = [tlv(0x06, &[0x55, 0x1d, 0x0e]), tlv(0x04, &tlv(0x04, &ski))].concat();
    let exts = tlv(
        0x30,
        &[tlv(0x30, &ext_bc), tlv(0x30, &ext_ku), tlv(0x30, &ext_ski)].concat(),
    );
    let tbs = tlv(
        0x30,
        &[
            tlv(0xa0, &[0x02, 0x01, 0x02]),
            tlv(0x02, &serial),
            alg.clone(),
            name.clone(),
            tlv(0x30, &validity),
            name,
            spki,
            tlv(0xa3, &exts),
        ]
        .concat(),
    );
    let sig = key.sign(&tbs)?;
    let cert = tlv(
        0x30,
        &[tbs, alg, tlv(0x03, &[&[0u8][..], &sig].concat())].concat(),
    );
    CertInfo::parse(&cert)?;
    Ok(Credential {
        key,
        cert,
        chain: Vec::new(),
    })
}

/// A PKCS #10 request for `key` and `subject`.
pub fn make_csr(
    key: &SigningKey,
    subject: &[u8],
    break_signature: bool,
) -> Result<Vec<u8>, String> {
    let spki = key.spki_der()?;
    let mut info = vec![0x02, 0x01, 0x00];
    info.extend_from_slice(subject);
    info.extend_from_slice(&spki);
    info.extend_from_slice(&[0xa0, 0x00]);
    let info = tlv(0x30, &info);
    let mut sig = key.sign(&info)?;
    if break_signature {
        if let Some(b) = sig.last_mut() {
            *b ^= 0x01;
        }
    }
    let mut bits = vec![0u8];
    bits.extend_from_slice(&sig);
    let mut csr = info;
    csr.extend_from_slice(&key.algorithm_der());
    csr.extend_from_slice(&tlv(0x03, &bits));
    Ok(tlv(0x30, &csr))
}

fn e<E: std::fmt::Display>(what: &'static str) -> impl Fn(E) -> String {
    move |err| format!("{what}: {err}")
}

fn dbg_e<E: std::fmt::Debug>(what: &'static str) -> impl Fn(E) -> String {
    move |err| format!("{what}: {err:?}")
}

/// The info type OIDs a genm can ask for by name.
fn info_value<'a>(
    name: &str,
    root: Option<&'a [u8]>,
    issuer_name: &'a [u8],
    with_value: bool,
    certs: Option<&'a [u8]>,
) -> Result<InfoValue<'a>, String> {
    let cert = |d: Option<&'a [u8]>| d.and_then(|d| Certificate::from_der(d).ok());
    Ok(match name {
        "caCerts" => InfoValue::CaCerts(if with_value {
            cert(certs).map(|c| SeqOf::new(vec![c]))
        } else {
            None
        }),
        "rootCaCert" => InfoValue::RootCaCert(cert(root)),
        // GEN-30 probe: a template request must carry no value; `with-value` sends one
        // (a template naming the issuing CA as subject).
        "certReqTemplate" => InfoValue::CertReqTemplate(if with_value {
            let n = Name::from_der(issuer_name).map_err(dbg_e("issuer name"))?;
            Some(CertReqTemplateContent {
                cert_template: CertTemplate {
                    subject: Some(n),
                    ..CertTemplate::default()
                },
                key_spec: None,
            })
        } else {
            None
        }),
        "crlStatusList" => {
            if with_value {
                let n = Name::from_der(issuer_name).map_err(dbg_e("issuer name"))?;
                InfoValue::CrlStatusList(Some(SeqOf::new(vec![CRLStatus {
                    source: CRLSource::Issuer(SeqOf::new(vec![GeneralName::DirectoryName(n)])),
                    this_update: None,
                }])))
            } else {
                InfoValue::CrlStatusList(None)
            }
        }
        "signKeyPairTypes" => InfoValue::SignKeyPairTypes(None),
        "currentCRL" => InfoValue::CurrentCrl(None),
        "unknown" => InfoValue::Other(
            asn1::ObjectIdentifier::from_string("1.3.6.1.4.1.311.99999.1").ok_or("oid")?,
            None,
        ),
        other => return Err(format!("unknown genm info_type {other:?}")),
    })
}

fn sel_for(step: &Step, creds: &Creds, tx: &TxState, starts: bool) -> Result<ProtSel, String> {
    if step.has("unprotected") {
        return Ok(ProtSel::None);
    }
    match step.protection.as_deref() {
        Some("same") | None => {
            if !starts {
                if let Some(p) = tx.op_protection {
                    return Ok(p);
                }
            }
            Ok(if creds.mac_secret.is_some() {
                ProtSel::Mac
            } else {
                ProtSel::Signature
            })
        }
        Some(s) => ProtSel::parse(s).ok_or_else(|| format!("unknown protection {s:?}")),
    }
}

/// Build the request of `step`, updating `tx` (new transactionID, the key asked for, ...).
pub fn build_request(
    step: &Step,
    creds: &Creds,
    tx: &mut TxState,
    now: i64,
) -> Result<Built, String> {
    let kind = step.send.as_str();
    let authentic = !step
        .mutate
        .iter()
        .any(|m| BREAKS_AUTH.contains(&m.as_str()));
    if kind == "nested" {
        return nested::build(step, creds, tx, now);
    }
    if kind == "raw" {
        let der = if step.has("garbage") {
            // A complete TLV of the wrong type (OCTET STRING) with random content: a server
            // that reads DER lengths gets everything it expects and must refuse it.
            let mut g = vec![0x04, 0x40];
            g.extend(random_vec(64));
            g
        } else if step.has("empty-body") {
            Vec::new()
        } else {
            let mut s = step.clone();
            s.send = "ir".into();
            s.mutate.retain(|m| m != "truncated");
            let full = build_request(&s, creds, tx, now)?;
            full.der[..full.der.len() / 2].to_vec()
        };
        return Ok(Built {
            der,
            authentic: false,
        });
    }
    let starts = crate::check::starts_operation(kind);
    let sel = sel_for(step, creds, tx, starts)?;

    // Transaction bookkeeping.
    if starts {
        let fresh = random_vec(16);
        let previous = std::mem::replace(&mut tx.tid, fresh);
        if !previous.is_empty() {
            tx.prev_tid = Some(previous);
        }
        if step.has("reuse-transaction-id") {
            tx.tid = tx
                .prev_tid
                .clone()
                .ok_or("reuse-transaction-id: no earlier operation in this scenario")?;
        }
        tx.op_protection = Some(sel);
        tx.op_cred = None;
        tx.op_kind = kind.to_string();
        tx.delivered = None;
        tx.implicit_granted = false;
        tx.waiting = None;
        tx.p10_retry = false;
    } else if tx.op_protection.is_none() {
        tx.op_protection = Some(sel);
    }
    let tid = if step.has("new-transaction-id") {
        random_vec(16)
    } else {
        tx.tid.clone()
    };
    let sender_nonce = if step.has("short-sender-nonce") {
        random_vec(8)
    } else {
        random_vec(16)
    };
    let recip_nonce: Option<Vec<u8>> = if starts || step.has("no-recip-nonce") {
        None
    } else if step.has("wrong-recip-nonce") {
        Some(random_vec(16))
    } else {
        tx.server_nonce.clone()
    };

    // The credential and the sender name.
    let cred: Option<Credential> = match sel {
        ProtSel::Signature => Some(creds.signer.clone().ok_or("the profile has no [signer]")?),
        ProtSel::Vendor => Some(creds.vendor.clone().ok_or("the profile has no [vendor]")?),
        ProtSel::Rogue => Some(creds.rogue.clone().ok_or("no rogue credential")?),
        ProtSel::Ra => Some(creds.ra.clone().ok_or("the profile has no [ra]")?),
        ProtSel::Issued => match (&tx.op_cred, starts) {
            (Some(c), false) => Some(c.clone()),
            _ => Some(
                tx.issued
                    .clone()
                    .ok_or("no certificate was issued earlier in this scenario")?,
            ),
        },
        _ => None,
    };
    let cred = match step.protection.as_deref() {
        Some("key-agreement") => Some(
            creds
                .key_agreement
                .clone()
                .ok_or("the profile has no [key_agreement]")?,
        ),
        Some("key-transport") => Some(
            creds
                .key_transport
                .clone()
                .ok_or("the profile has no [key_transport]")?,
        ),
        // Later messages of an operation signed with one of those keep that credential.
        None | Some("same") if !starts && sel == ProtSel::Signature && tx.op_cred.is_some() => {
            tx.op_cred.clone()
        }
        _ => cred,
    };
    if starts || tx.op_cred.is_none() {
        tx.op_cred = cred.clone();
    }
    let kid = creds
        .mac_kid
        .clone()
        .unwrap_or_else(|| "cmp-conformance".into());
    let sender_der: Vec<u8> = if step.has("sender-mismatch") {
        name_der("CN=not-the-signer,O=cmp-conformance")?
    } else if step.has("kid-not-sender-cn") {
        name_der("CN=not-the-reference,O=cmp-conformance")?
    } else if let Some(c) = &cred {
        CertInfo::parse(&c.cert)?.subject
    } else if matches!(sel, ProtSel::Mac | ProtSel::Pbmac1) {
        name_der(&format!("CN={}", rfc4514_escape(&kid)))?
    } else {
        creds.subject.clone()
    };
    let recipient_der: Vec<u8> = if step.has("null-dn-recipient") {
        vec![0x30, 0x00]
    } else if !starts {
        tx.server_sender
            .clone()
            .unwrap_or_else(|| creds.recipient.clone())
    } else {
        creds.recipient.clone()
    };

    // Owned material the message borrows.
    let issued_info = tx
        .issued
        .as_ref()
        .map(|c| CertInfo::parse(&c.cert))
        .transpose()?;
    let new_key: Option<SigningKey> = if matches!(kind, "ir" | "cr" | "kur" | "p10cr") {
        Some(
            if kind == "kur" && (creds.kur_same_key || step.has("same-key")) {
                tx.issued
                    .as_ref()
                    .map(|c| c.key.clone())
                    .ok_or("kur: nothing issued")?
            } else if step.key.as_deref() == Some("ed25519") {
                let mut b = [0u8; 32];
                keys::random_bytes(&mut b);
                SigningKey::Ed25519(Box::new(ed25519_dalek::SigningKey::from_bytes(&b)))
            } else if let Some(k) = &creds.enroll_key {
                k.clone()
            } else {
                SigningKey::generate_p256()
            },
        )
    } else {
        None
    };
    let spki_der = new_key.as_ref().map(|k| k.spki_der()).transpose()?;
    let template_subject: Vec<u8> = if step.has("empty-subject") {
        vec![0x30, 0x00]
    } else if kind == "kur" {
        let old = issued_info.as_ref().ok_or("kur: nothing issued")?;
        if step.has("changed-subject") {
            name_der("CN=changed-by-kur,O=cmp-conformance")?
        } else {
            old.subject.clone()
        }
    } else {
        creds.subject.clone()
    };
    let csr_der: Option<Vec<u8>> = if kind == "p10cr" {
        match (
            &creds.csr,
            step.has("bad-csr-signature") || step.key.is_some(),
        ) {
            (Some(c), false) if creds.enroll_key.is_some() => Some(c.clone()),
            _ => Some(make_csr(
                new_key.as_ref().ok_or("no key")?,
                &template_subject,
                step.has("bad-csr-signature"),
            )?),
        }
    } else {
        None
    };
    // Old certificate identification (kur oldCertId, rr certDetails).
    let old_serial: Vec<u8> = match &issued_info {
        Some(i) if step.has("wrong-old-cert-id") || step.has("unknown-serial") => {
            let mut s = i.serial.clone();
            if let Some(last) = s.last_mut() {
                *last = last.wrapping_add(0x5a);
            }
            if s.first().is_some_and(|b| *b & 0x80 != 0) {
                s.insert(0, 0);
            }
            s
        }
        Some(i) => i.serial.clone(),
        None => Vec::new(),
    };
    let old_issuer: Vec<u8> = issued_info
        .as_ref()
        .map(|i| i.issuer.clone())
        .unwrap_or_default();
    let delivered = tx.delivered.clone();
    let hash_alg_der = AlgorithmIdentifier::new(HashAlg::Sha256.oid());
    let mut cert_hash_bytes: Vec<u8> = match &delivered {
        Some(c) if kind == "certConf" => {
            if step.has("hash-alg") {
                cert_hash(c, Some(&hash_alg_der)).map_err(e("certHash"))?
            } else {
                cert_hash(c, None).map_err(e("certHash"))?
            }
        }
        // Nothing delivered (a probe after a rejection): a hash of nothing in particular.
        None if kind == "certConf" => random_vec(32),
        _ => Vec::new(),
    };
    if step.has("wrong-cert-hash") {
        if let Some(b) = cert_hash_bytes.first_mut() {
            *b ^= 0xff;
        }
    }
    let issuing_ca_name: Vec<u8> = creds
        .signer
        .as_ref()
        .map(|c| CertInfo::parse(&c.cert).map(|i| i.issuer))
        .transpose()?
        .unwrap_or_else(|| vec![0x30, 0x00]);
    let int_one = [0x02u8, 0x01, 0x01];
    let reason_code = [0x0au8, 0x01, 0x00];
    let fail_bits_text = "rejected by cmp-conformance";

    // Header.
    let sender = GeneralName::DirectoryName(Name::from_der(&sender_der).map_err(dbg_e("sender"))?);
    let recipient =
        GeneralName::DirectoryName(Name::from_der(&recipient_der).map_err(dbg_e("recipient"))?);
    let mut b = MessageBuilder::new(sender, recipient).pvno(step.pvno.unwrap_or(2));
    if !step.has("no-transaction-id") {
        b = b.transaction_id(&tid);
    }
    if !step.has("no-sender-nonce") {
        b = b.sender_nonce(&sender_nonce);
    }
    if let Some(r) = &recip_nonce {
        b = b.recip_nonce(r);
    }
    let t = if step.has("message-time-skew") {
        now - 86_400
    } else {
        now
    };
    if let Some(gt) = cmp_codec::GeneralizedTime::from_unix_seconds(t) {
        b = b.message_time(gt);
    }
    if step.implicit_confirm {
        b = b.implicit_confirm();
    }
    if step.has("implicit-confirm-int") {
        let v = asn1::parse_single::<asn1::Tlv<'_>>(&int_one).map_err(dbg_e("tlv"))?;
        b = b.general_info(InfoTypeAndValue::new(InfoValue::Other(
            cmp_codec::oid::ID_IT_IMPLICIT_CONFIRM,
            Some(v),
        )));
    }
    if step.has("cert-profile-two") {
        b = b.general_info(InfoTypeAndValue::new(InfoValue::CertProfile(Some(
            SeqOf::new(vec![
                asn1::Utf8String::new("profile-a"),
                asn1::Utf8String::new("profile-b"),
            ]),
        ))));
    }
    if step.has("unknown-general-info") {
        let v = asn1::parse_single::<asn1::Tlv<'_>>(&int_one).map_err(dbg_e("tlv"))?;
        let oid = asn1::ObjectIdentifier::from_string("1.3.6.1.4.1.311.99999.2").ok_or("oid")?;
        b = b.general_info(InfoTypeAndValue::new(InfoValue::Other(oid, Some(v))));
    }
    if step.has("free-text") {
        b = b.free_text("cmp-conformance probe: freeText is tolerated");
    }
    let recip_kid = [0x01u8, 0x02, 0x03, 0x04];
    if step.has("recip-kid") {
        b = b.recip_kid(&recip_kid);
    }
    let mac_kid_bytes: Vec<u8> = if step.has("unknown-sender-kid") {
        b"no-such-reference-cmp-conformance".to_vec()
    } else {
        kid.as_bytes().to_vec()
    };
    let wrong_ski = random_vec(20);
    match sel {
        ProtSel::Mac | ProtSel::Pbmac1 => {
            b = b.sender_kid(&mac_kid_bytes);
        }
        ProtSel::Signature | ProtSel::Vendor | ProtSel::Issued | ProtSel::Rogue | ProtSel::Ra
            if step.has("wrong-sender-kid") =>
        {
            b = b.sender_kid(&wrong_ski);
        }
        _ => {}
    }

    // Body.
    let spki = spki_der
        .as_ref()
        .map(|d| asn1::parse_single::<SubjectPublicKeyInfo<'_>>(d))
        .transpose()
        .map_err(dbg_e("SubjectPublicKeyInfo"))?;
    let subject_name = Name::from_der(&template_subject).map_err(dbg_e("subject"))?;
    let old_issuer_name = if old_issuer.is_empty() {
        None
    } else {
        Some(Name::from_der(&old_issuer).map_err(dbg_e("issuer"))?)
    };
    let serial = if old_serial.is_empty() {
        None
    } else {
        asn1::BigInt::new(&old_serial)
    };
    let mut pop_sigs: Vec<Vec<u8>> = Vec::new();
    let alg_for_pop: Vec<u8> = match &new_key {
        Some(k) if step.has("pop-wrong-alg") => {
            if matches!(k, SigningKey::Rsa(_)) {
                SignatureAlgorithm::Ecdsa(HashAlg::Sha256)
                    .to_algorithm_identifier_der()
                    .map_err(e("alg"))?
            } else {
                SignatureAlgorithm::RsaPkcs1v15(HashAlg::Sha256)
                    .to_algorithm_identifier_der()
                    .map_err(e("alg"))?
            }
        }
        Some(k) => k.algorithm_der(),
        None => Vec::new(),
    };
    let msg: PKIMessage<'_> = match kind {
        "ir" | "cr" | "kur" => {
            let key = new_key.as_ref().ok_or("no key")?;
            let mut template = CertTemplate {
                subject: Some(subject_name),
                public_key: spki.clone(),
                ..CertTemplate::default()
            };
            if step.has("template-version-0") {
                template.version = Some(0);
            }
            // Central key generation (RFC 9483 4.1.6, CKG-03): no publicKey, or only the
            // algorithm with an empty BIT STRING.
            match step.central_keygen.as_deref() {
                None => {}
                Some("omit") => template.public_key = None,
                Some(form) => {
                    let (oid, params): (&'static asn1::ObjectIdentifier, &'static [u8]) = match form
                    {
                        "rsa" => (&cmp_codec::oid::RSA_ENCRYPTION, &[0x05, 0x00]),
                        _ => (&cmp_codec::oid::EC_PUBLIC_KEY, CKG_P256_PARAMS),
                    };
                    template.public_key = Some(SubjectPublicKeyInfo {
                        algorithm: AlgorithmIdentifier {
                            algorithm: oid.into(),
                            parameters: Some(
                                asn1::parse_single::<asn1::Tlv<'_>>(params)
                                    .map_err(dbg_e("params"))?,
                            ),
                        },
                        subject_public_key: asn1::BitString::new(&[], 0).ok_or("bit string")?,
                    });
                }
            }
            if step.has("template-validity") {
                template.validity = Some(OptionalValidity {
                    not_before: None,
                    not_after: Some(cmp_codec::common::Time::GeneralTime(
                        asn1::X509GeneralizedTime::new(
                            asn1::DateTime::new(2049, 12, 31, 23, 59, 59).map_err(dbg_e("time"))?,
                        )
                        .map_err(dbg_e("time"))?,
                    )),
                });
            }
            let controls = if kind == "kur" && !step.has("no-old-cert-id") {
                let issuer = old_issuer_name.ok_or("kur: no old certificate")?;
                Some(SeqOf::new(vec![Control::new(ControlValue::OldCertId(
                    CertId {
                        issuer: GeneralName::DirectoryName(issuer),
                        serial_number: serial.ok_or("kur: bad serial")?,
                    },
                ))]))
            } else {
                None
            };
            let cert_req_id = if step.has("cert-req-id-5") { 5 } else { 0 };
            let n = if step.has("two-cert-req-msgs") { 2 } else { 1 };
            let mut reqs_plain = Vec::new();
            for i in 0..n {
                let mut m = cert_req_msg(cert_req_id + i, template.clone());
                m.cert_req.controls = controls.clone();
                reqs_plain.push(m);
            }
            // POP signatures over DER(certReq).
            for m in &reqs_plain {
                let certreq: &CertRequest<'_> = &m.cert_req;
                let der = asn1::write_single(certreq).map_err(dbg_e("certReq"))?;
                let mut sig = key.sign(&der)?;
                if step.has("bad-pop") {
                    let mid = sig.len() / 2;
                    if let Some(x) = sig.get_mut(mid) {
                        *x ^= 0x01;
                    }
                }
                pop_sigs.push(sig);
            }
            let alg = asn1::parse_single::<AlgorithmIdentifier<'_>>(&alg_for_pop)
                .map_err(dbg_e("alg"))?;
            let mut reqs = Vec::new();
            for (m, sig) in reqs_plain.into_iter().zip(pop_sigs.iter()) {
                let mut m = m;
                m.popo = if step.has("no-popo") || step.central_keygen.is_some() {
                    None
                } else if step.has("popo-raverified") {
                    Some(ProofOfPossession::RaVerified(()))
                } else {
                    Some(ProofOfPossession::Signature(POPOSigningKey {
                        poposk_input: None,
                        algorithm_identifier: alg.clone(),
                        signature: asn1::BitString::new(sig, 0).ok_or("bit string")?,
                    }))
                };
                reqs.push(m);
            }
            match kind {
                "ir" => b.ir(reqs),
                "cr" => b.cr(reqs),
                _ => b.kur(reqs),
            }
            .map_err(e("build"))?
        }
        "p10cr" => {
            let csr = csr_der.as_deref().ok_or("no CSR")?;
            b.p10cr(CertificationRequest::from_der(csr).map_err(dbg_e("CSR"))?)
        }
        "rr" => {
            let issuer = old_issuer_name.ok_or("rr: nothing issued in this scenario")?;
            let template = CertTemplate {
                issuer: Some(issuer),
                serial_number: serial,
                ..CertTemplate::default()
            };
            let ext = Extension {
                extn_id: (&cmp_codec::oid::ID_CE_CRL_REASONS).into(),
                critical: false,
                extn_value: &reason_code,
            };
            let d = RevDetails {
                cert_details: template,
                crl_entry_details: if step.has("no-crl-entry-details") {
                    None
                } else {
                    Some(SeqOf::new(vec![ext]))
                },
            };
            let n = if step.has("two-rev-details") { 2 } else { 1 };
            b.rr(vec![d; n])
        }
        "genm" => {
            let mut itavs = Vec::new();
            if let Some(t) = &step.info_type {
                let with_value = match t.as_str() {
                    "crlStatusList" => !step.has("no-value"),
                    _ => step.has("with-value"),
                };
                itavs.push(InfoTypeAndValue::new(info_value(
                    t,
                    creds.root.as_deref(),
                    &issuing_ca_name,
                    with_value,
                    creds.root.as_deref(),
                )?));
                if step.has("two-itavs") {
                    itavs.push(InfoTypeAndValue::new(InfoValue::CaCerts(None)));
                }
            }
            b.genm(itavs)
        }
        "certConf" => {
            let status = if step.has("reject") {
                Some(PKIStatusInfo {
                    status: cmp_codec::PKIStatus::REJECTION,
                    status_string: Some(SeqOf::new(vec![asn1::Utf8String::new(fail_bits_text)])),
                    fail_info: Some(cmp_codec::PKIFailureInfo::from_bits(&[
                        FailureBit::BadCertTemplate,
                    ])),
                })
            } else if step.has("no-status-info") {
                None
            } else if step.has("granted-with-mods") {
                Some(PKIStatusInfo {
                    status: cmp_codec::PKIStatus::GRANTED_WITH_MODS,
                    status_string: None,
                    fail_info: None,
                })
            } else if step.has("accepted-with-failinfo") {
                Some(PKIStatusInfo {
                    status: cmp_codec::PKIStatus::ACCEPTED,
                    status_string: None,
                    fail_info: Some(cmp_codec::PKIFailureInfo::from_bits(&[
                        FailureBit::BadRequest,
                    ])),
                })
            } else {
                Some(PKIStatusInfo::accepted())
            };
            let id = if step.has("cert-req-id-3") {
                3
            } else if tx.op_kind == "p10cr" {
                if tx.p10_retry {
                    -1
                } else {
                    creds.p10cr_cert_conf_id
                }
            } else {
                tx.delivered_id
            };
            let mut cs: CertStatus<'_> = cert_status(&cert_hash_bytes, id, status);
            if step.has("hash-alg") {
                cs.hash_alg = Some(hash_alg_der.clone());
            }
            let list = if step.has("empty-cert-conf") {
                vec![]
            } else if step.has("two-cert-status") {
                vec![cs.clone(), cs]
            } else {
                vec![cs]
            };
            b.cert_conf(list)
        }
        "pollReq" => {
            let id = tx.waiting.unwrap_or(0);
            let id = if step.has("wrong-poll-id") {
                if id == 0 {
                    -1
                } else {
                    0
                }
            } else {
                id
            };
            b.poll_req(&[id])
        }
        "error" => b.error(error_content(
            PKIStatusInfo::rejection(&[FailureBit::BadRequest]),
            None,
            None,
        )),
        other => return Err(format!("cannot build {other}")),
    };

    // Protection.
    let der = match sel {
        ProtSel::None => msg.encode(),
        ProtSel::Mac | ProtSel::Pbmac1 => {
            let secret = creds
                .mac_secret
                .clone()
                .ok_or("the profile has no [mac] secret")?;
            let secret = if step.has("bad-mac") {
                [secret.as_slice(), b"-wrong"].concat()
            } else {
                secret
            };
            let salt = random_vec(16);
            if step.has("unknown-mac-oid") {
                let mut m = msg.clone();
                m.header.protection_alg = Some(AlgorithmIdentifier::new(&UNKNOWN_MAC));
                let bits = random_vec(32);
                m.protection = asn1::BitString::new(&bits, 0);
                m.encode()
            } else {
                let alg = if sel == ProtSel::Pbmac1 {
                    MacAlgorithm::Pbmac1 {
                        salt: &salt,
                        iteration_count: creds.mac_iterations,
                        prf: HmacAlg::HmacWithSha256,
                        key_length: Some(32),
                        mac: HmacAlg::HmacWithSha256,
                    }
                } else {
                    MacAlgorithm::Pbm {
                        salt: &salt,
                        owf: HashAlg::Sha256,
                        iteration_count: creds.mac_iterations,
                        mac: HmacAlg::HmacWithSha256,
                    }
                };
                protect_with_mac(&msg, &alg, &secret).map_err(e("MAC protection"))?
            }
        }
        ProtSel::Signature | ProtSel::Vendor | ProtSel::Issued | ProtSel::Rogue | ProtSel::Ra => {
            let c = cred.as_ref().ok_or("no credential")?;
            let alg_der = if step.has("wrong-protection-alg") {
                if matches!(c.key, SigningKey::Rsa(_)) {
                    SignatureAlgorithm::Ecdsa(HashAlg::Sha256)
                        .to_algorithm_identifier_der()
                        .map_err(e("alg"))?
                } else {
                    SignatureAlgorithm::RsaPkcs1v15(HashAlg::Sha256)
                        .to_algorithm_identifier_der()
                        .map_err(e("alg"))?
                }
            } else {
                c.key.algorithm_der()
            };
            let alg =
                asn1::parse_single::<AlgorithmIdentifier<'_>>(&alg_der).map_err(dbg_e("alg"))?;
            let chain: Vec<&[u8]> = c.chain.iter().map(|v| v.as_slice()).collect();
            let signed = protect_with_signature::<SigningKey, RawSignature>(
                &msg, &c.key, &alg, &c.cert, &chain,
            )
            .map_err(e("signature protection"))?;
            post_process(signed, step, creds)?
        }
    };
    // A centrally generated key is not ours: nothing to remember for later signatures.
    tx.new_key = new_key.filter(|_| step.central_keygen.is_none());
    Ok(Built { der, authentic })
}

/// Changes made after signing (extraCerts are outside the protection; a flipped signature).
pub(crate) fn post_process(der: Vec<u8>, step: &Step, creds: &Creds) -> Result<Vec<u8>, String> {
    if !(step.has("no-extra-certs")
        || step.has("flip-signature")
        || step.has("extra-certs-shuffled"))
    {
        return Ok(der);
    }
    let msg = PKIMessage::parse(&der).map_err(e("re-parse"))?;
    let mut m = msg.clone();
    let flipped: Vec<u8>;
    if step.has("flip-signature") {
        if let Some(p) = &msg.protection {
            let mut bits = p.as_bytes().to_vec();
            let i = bits.len() / 2;
            if let Some(b) = bits.get_mut(i) {
                *b ^= 0x01;
            }
            flipped = bits;
            m.protection = asn1::BitString::new(&flipped, 0);
        }
    }
    if step.has("no-extra-certs") {
        m.extra_certs = None;
    }
    if step.has("extra-certs-shuffled") {
        let mut certs: Vec<Certificate<'_>> = msg.extra_certs().collect();
        if !certs.is_empty() {
            let first = certs.remove(0);
            certs.reverse();
            let mut list = vec![first];
            if let Some(r) = creds
                .root
                .as_deref()
                .and_then(|r| Certificate::from_der(r).ok())
            {
                list.push(r);
            }
            list.extend(certs);
            m.extra_certs = Some(SeqOf::new(list));
        }
    }
    Ok(m.encode())
}

/// Escape a value for an RFC 4514 string.
pub fn rfc4514_escape(v: &str) -> String {
    let mut out = String::new();
    for (i, c) in v.chars().enumerate() {
        if matches!(c, ',' | '+' | '"' | '\\' | '<' | '>' | ';' | '=')
            || (i == 0 && (c == '#' || c == ' '))
        {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Learn from a response what later requests need (nonce, sender, delivered certificate,
/// implicitConfirm, waiting).
pub fn note_response(tx: &mut TxState, rsp: &PKIMessage<'_>) {
    use cmp_codec::body::CertOrEncCert;
    use cmp_codec::{PKIBody, PKIStatus};
    tx.server_nonce = rsp.header.sender_nonce.map(|n| n.to_vec());
    tx.server_sender = match &rsp.header.sender {
        GeneralName::DirectoryName(n) => Some(n.der().to_vec()),
        _ => None,
    };
    match &rsp.body {
        PKIBody::Ip(r) | PKIBody::Cp(r) | PKIBody::Kup(r) => {
            tx.waiting = None;
            if let Some(c) = r.response.iter().next() {
                if c.status.status == PKIStatus::WAITING {
                    tx.waiting = Some(if tx.op_kind == "p10cr" {
                        -1
                    } else {
                        c.cert_req_id
                    });
                    tx.waiting = Some(c.cert_req_id);
                }
                if let Some(ckp) = &c.certified_key_pair {
                    if let CertOrEncCert::Certificate(cert) = &ckp.cert_or_enc_cert {
                        tx.delivered = Some(cert.der().to_vec());
                        tx.delivered_id = c.cert_req_id;
                        if let Some(k) = &tx.new_key {
                            let chain: Vec<Vec<u8>> =
                                rsp.extra_certs().map(|c| c.der().to_vec()).collect();
                            tx.issued = Some(Credential {
                                key: k.clone(),
                                cert: cert.der().to_vec(),
                                chain,
                            });
                        }
                    }
                }
            }
            tx.implicit_granted = rsp.header.implicit_confirm();
        }
        PKIBody::Error(e) if e.pki_status_info.status == PKIStatus::WAITING => {
            tx.waiting = Some(-1)
        }
        PKIBody::PollRep(p) => {
            if let Some(first) = p.iter().next() {
                tx.check_after = first.check_after;
                tx.waiting = Some(first.cert_req_id);
            }
        }
        _ => tx.waiting = None,
    }
}
