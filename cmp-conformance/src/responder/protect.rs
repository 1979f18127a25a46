//! Assembling and protecting responses: the header (mirroring the request), the protection
//! of the request's kind, extraCerts, and every fault switch that changes header, protection
//! or extraCerts.
//!
//! The message is assembled from the DER of header and body, so faults that make the header
//! or body malformed (`HDR-06`, `CONF-10`) still get a protection computed over exactly the
//! bytes sent.

use std::time::SystemTime;

use cmp_codec::common::AlgorithmIdentifier;
use cmp_codec::header::PKIHeader;
use cmp_codec::itav::{InfoTypeAndValue, InfoValue};
use cmp_codec::protection::{HashAlg, HmacAlg, MacAlgorithm, SignatureAlgorithm, VerifyOptions};
use cmp_codec::raw::Name;
use cmp_codec::{GeneralName, GeneralizedTime, SeqOf};

use super::credentials::{CertInfo, KeyPair};
use super::faults::Fault;
use super::Inner;
use cmp_codec::der::tlv;

/// A MAC algorithm with owned parameters (the request's are borrowed from its bytes).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum OwnedMac {
    Pbm {
        salt: Vec<u8>,
        owf: HashAlg,
        iteration_count: u64,
        mac: HmacAlg,
    },
    Pbmac1 {
        salt: Vec<u8>,
        iteration_count: u64,
        prf: HmacAlg,
        key_length: Option<u64>,
        mac: HmacAlg,
    },
}

impl OwnedMac {
    /// The salt of the MAC parameters.
    pub fn salt(&self) -> &[u8] {
        match self {
            OwnedMac::Pbm { salt, .. } | OwnedMac::Pbmac1 { salt, .. } => salt,
        }
    }

    pub fn from_alg(m: &MacAlgorithm<'_>) -> Self {
        match m {
            MacAlgorithm::Pbm {
                salt,
                owf,
                iteration_count,
                mac,
            } => OwnedMac::Pbm {
                salt: salt.to_vec(),
                owf: *owf,
                iteration_count: *iteration_count,
                mac: *mac,
            },
            MacAlgorithm::Pbmac1 {
                salt,
                iteration_count,
                prf,
                key_length,
                mac,
            } => OwnedMac::Pbmac1 {
                salt: salt.to_vec(),
                iteration_count: *iteration_count,
                prf: *prf,
                key_length: *key_length,
                mac: *mac,
            },
        }
    }

    /// PBMAC1 with PBKDF2-HMAC-SHA256 (10,000 iterations, fresh salt) and HMAC-SHA256, for
    /// answers where the request's MAC parameters cannot be reused.
    pub fn default_pbmac1() -> Self {
        let mut salt = vec![0u8; 16];
        super::random_bytes(&mut salt);
        OwnedMac::Pbmac1 {
            salt,
            iteration_count: 10_000,
            prf: HmacAlg::HmacWithSha256,
            key_length: Some(32),
            mac: HmacAlg::HmacWithSha256,
        }
    }

    pub fn as_alg(&self) -> MacAlgorithm<'_> {
        match self {
            OwnedMac::Pbm {
                salt,
                owf,
                iteration_count,
                mac,
            } => MacAlgorithm::Pbm {
                salt,
                owf: *owf,
                iteration_count: *iteration_count,
                mac: *mac,
            },
            OwnedMac::Pbmac1 {
                salt,
                iteration_count,
                prf,
                key_length,
                mac,
            } => MacAlgorithm::Pbmac1 {
                salt,
                iteration_count: *iteration_count,
                prf: *prf,
                key_length: *key_length,
                mac: *mac,
            },
        }
    }

    fn with_other_iteration_count(&self) -> Self {
        let mut m = self.clone();
        match &mut m {
            OwnedMac::Pbm {
                iteration_count, ..
            }
            | OwnedMac::Pbmac1 {
                iteration_count, ..
            } => *iteration_count += 1,
        }
        m
    }
}

/// How a response is protected.
#[derive(Clone, Debug)]
pub(crate) enum RespProt {
    /// Not at all.
    None,
    /// MAC with the shared secret and these parameters.
    Mac(OwnedMac),
    /// Signature with the CMP server key.
    Signature,
}

/// The header fields a response takes from its request.
#[derive(Clone, Debug)]
pub(crate) struct RespCtx {
    pub pvno: i64,
    /// DER `GeneralName`: the request's sender.
    pub recipient: Vec<u8>,
    pub tid: Option<Vec<u8>>,
    pub recip_nonce: Option<Vec<u8>>,
    pub prot: RespProt,
}

/// What kind of body a response has (faults treat them differently).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum BodyKind {
    /// ip, cp, kup.
    CertRep,
    PkiConf,
    PollRep,
    Error,
    /// rp, genp.
    Other,
}

/// A response body and what goes around it.
#[derive(Clone, Debug)]
pub(crate) struct Outgoing {
    /// DER `PKIBody`.
    pub body: Vec<u8>,
    pub kind: BodyKind,
    /// Grant implicitConfirm.
    pub implicit_confirm: bool,
    /// Send confirmWaitTime (and messageTime).
    pub confirm_wait: Option<SystemTime>,
    /// Certificates for extraCerts beyond the protection chain (the issued certificate's
    /// chain).
    pub extra_certs: Vec<Vec<u8>>,
    /// Not the operation's first response (answers certConf, pollReq, error).
    pub later: bool,
    /// A certificate response with status waiting.
    pub waiting: bool,
    /// recipNonce to use instead of the request's senderNonce (the `HDR-18` fault).
    pub recip_nonce: Option<Vec<u8>>,
}

impl Outgoing {
    pub fn new(body: Vec<u8>, kind: BodyKind) -> Self {
        Outgoing {
            body,
            kind,
            implicit_confirm: false,
            confirm_wait: None,
            extra_certs: Vec::new(),
            later: false,
            waiting: false,
            recip_nonce: None,
        }
    }
}

/// DER `Name` with one RDN `CN=<cn>` (UTF8String).
pub(crate) fn cn_name(cn: &str) -> Vec<u8> {
    let atv = tlv(
        0x30,
        &[
            &[0x06, 0x03, 0x55, 0x04, 0x03][..],
            &tlv(0x0c, cn.as_bytes()),
        ]
        .concat(),
    );
    tlv(0x30, &tlv(0x31, &atv))
}

/// The header DER without its third element (recipient), for `HDR-06`.
fn drop_recipient(header: &[u8]) -> Vec<u8> {
    let Ok(seq) = asn1::parse_single::<asn1::Sequence<'_>>(header) else {
        return header.to_vec();
    };
    let parts: Result<Vec<Vec<u8>>, asn1::ParseError> = seq.parse(|p| {
        let mut v = Vec::new();
        while !p.is_empty() {
            v.push(p.read_element::<asn1::Tlv<'_>>()?.full_data().to_vec());
        }
        Ok(v)
    });
    match parts {
        Ok(mut parts) if parts.len() > 2 => {
            parts.remove(2);
            tlv(0x30, &parts.concat())
        }
        _ => header.to_vec(),
    }
}

fn flip_first(b: &[u8]) -> Vec<u8> {
    let mut v = if b.is_empty() { vec![0u8] } else { b.to_vec() };
    v[0] ^= 0xff;
    v
}

fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

fn unix(t: SystemTime) -> i64 {
    t.duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

impl Inner {
    pub(crate) fn has(&self, f: Fault) -> bool {
        self.config.faults.contains(&f)
    }

    /// Assemble and protect a response. Returns the DER and the senderNonce used.
    pub(crate) fn seal(&self, ctx: &RespCtx, out: Outgoing) -> (Vec<u8>, Vec<u8>) {
        let creds = &self.creds;
        // Which protection, after the faults that change it.
        let mut prot = ctx.prot.clone();
        let mut signer: (&CertInfo, &KeyPair) = (&creds.server, &creds.server_key);
        let fs = &self.fault_signers;
        for c in [&fs.no_digital_signature, &fs.no_cmc_ra, &fs.self_signed]
            .into_iter()
            .flatten()
        {
            signer = (c, &creds.server_key);
        }
        if self.has(Fault::Prot01) && matches!(prot, RespProt::Mac(_)) {
            prot = RespProt::Signature;
        }
        if self.has(Fault::Mac03) && out.later && matches!(prot, RespProt::Mac(_)) {
            prot = RespProt::Signature;
        }
        if self.has(Fault::Mac05) && matches!(prot, RespProt::Mac(_)) {
            prot = RespProt::Mac(OwnedMac::default_pbmac1());
        }
        if self.has(Fault::Ts33310_5) && matches!(prot, RespProt::Signature) {
            prot = RespProt::Mac(OwnedMac::default_pbmac1());
        }
        let other_credential = (self.has(Fault::Conf11) && out.kind == BodyKind::PkiConf)
            || (self.has(Fault::Poll12) && out.kind == BodyKind::PollRep);
        if other_credential {
            match prot {
                RespProt::Mac(_) => prot = RespProt::Signature,
                RespProt::Signature => {
                    if let Some((c, k)) = &creds.alt_server {
                        signer = (c, k);
                    }
                }
                RespProt::None => {}
            }
        }
        if self.has(Fault::Prot02) && out.kind != BodyKind::Error {
            prot = RespProt::None;
        }
        if self.has(Fault::Err14) && out.kind == BodyKind::Error {
            prot = RespProt::None;
        }

        // Sender, senderKID, the declared protectionAlg and what is actually computed.
        enum Compute {
            None,
            Mac(OwnedMac, Vec<u8>),
            Hmac(Vec<u8>),
            Sig,
            SigSha1,
        }
        let server_sender = if self.has(Fault::Hdr04) {
            cn_name("Not The Protection Certificate")
        } else {
            signer.0.subject_der.clone()
        };
        let (sender_der, sender_kid, alg_der, compute): (Vec<u8>, Option<Vec<u8>>, _, _) =
            match &prot {
                RespProt::None => (creds.server.subject_der.clone(), None, None, Compute::None),
                RespProt::Mac(m) => {
                    let secret = if self.has(Fault::Prot04) {
                        [&creds.secret[..], b"-wrong"].concat()
                    } else {
                        creds.secret.clone()
                    };
                    let (alg, compute) = if self.has(Fault::Hdr11) {
                        (
                            asn1::write_single(&AlgorithmIdentifier::new(
                                HmacAlg::HmacWithSha256.oid(),
                            ))
                            .ok(),
                            Compute::Hmac(secret),
                        )
                    } else {
                        let declared = if self.has(Fault::Hdr09) {
                            m.with_other_iteration_count()
                        } else {
                            m.clone()
                        };
                        (
                            declared.as_alg().to_algorithm_identifier_der().ok(),
                            Compute::Mac(m.clone(), secret),
                        )
                    };
                    let sender = if self.has(Fault::Hdr05) {
                        vec![0x30, 0x00]
                    } else {
                        cn_name(&creds.reference)
                    };
                    let kid = if self.has(Fault::Hdr13) {
                        None
                    } else {
                        Some(creds.reference.as_bytes().to_vec())
                    };
                    (sender, kid, alg, compute)
                }
                RespProt::Signature => {
                    let actual = signer.1.algorithm();
                    let declared = if self.has(Fault::Hdr10) {
                        match actual {
                            SignatureAlgorithm::RsaPkcs1v15(_) => {
                                SignatureAlgorithm::Ecdsa(HashAlg::Sha256)
                            }
                            _ => SignatureAlgorithm::RsaPkcs1v15(HashAlg::Sha256),
                        }
                    } else if self.has(Fault::Hdr09) {
                        match actual {
                            SignatureAlgorithm::Ecdsa(HashAlg::Sha384) => {
                                SignatureAlgorithm::Ecdsa(HashAlg::Sha256)
                            }
                            SignatureAlgorithm::Ecdsa(_) => {
                                SignatureAlgorithm::Ecdsa(HashAlg::Sha384)
                            }
                            SignatureAlgorithm::RsaPkcs1v15(_) => {
                                SignatureAlgorithm::RsaPkcs1v15(HashAlg::Sha384)
                            }
                            _ => SignatureAlgorithm::Ecdsa(HashAlg::Sha256),
                        }
                    } else {
                        actual
                    };
                    let kid = if self.has(Fault::Hdr12) {
                        Some(vec![0x5a; 20])
                    } else {
                        signer.0.ski.clone()
                    };
                    let sha1 = self.has(Fault::Ts33310_9)
                        && matches!(signer.1, KeyPair::P256(_))
                        && !self.has(Fault::Hdr09)
                        && !self.has(Fault::Hdr10);
                    if sha1 {
                        let alg = asn1::write_single(&AlgorithmIdentifier::new(
                            &cmp_codec::protection::oids::ECDSA_WITH_SHA1,
                        ))
                        .ok();
                        (server_sender, kid, alg, Compute::SigSha1)
                    } else {
                        (
                            server_sender,
                            kid,
                            declared.to_algorithm_identifier_der().ok(),
                            Compute::Sig,
                        )
                    }
                }
            };

        // Header values.
        let pvno = if self.has(Fault::Hdr03) {
            1
        } else if self.has(Fault::R9810_7) {
            if ctx.pvno == 3 {
                2
            } else {
                3
            }
        } else {
            ctx.pvno
        };
        let both = self.has(Fault::R9810_5_1_1);
        let mut sender_nonce = vec![0u8; if self.has(Fault::Hdr16) { 8 } else { 16 }];
        super::random_bytes(&mut sender_nonce);
        let tid = match &ctx.tid {
            Some(t) if self.has(Fault::Hdr15) || both => Some(flip_first(t)),
            other => other.clone(),
        };
        let recip_nonce = match (&out.recip_nonce, &ctx.recip_nonce) {
            (Some(n), _) => Some(n.clone()),
            (None, Some(n)) if self.has(Fault::Hdr19) || both => Some(flip_first(n)),
            (None, other) => other.clone(),
        };
        let now = unix_now();
        let message_time = if self.has(Fault::Hdr08) {
            now - 86_400
        } else {
            now
        };
        let cert_rep = out.kind == BodyKind::CertRep;
        let grant = out.implicit_confirm
            || (cert_rep && self.has(Fault::Hdr21))
            || (!cert_rep && self.has(Fault::Hdr22));
        let confirm_wait = match out.confirm_wait {
            Some(_) if self.has(Fault::Hdr26) => Some(message_time - 60),
            Some(t) if !self.has(Fault::Hdr24) => Some(unix(t)),
            None if out.implicit_confirm && self.has(Fault::Hdr25) => {
                Some(now + self.config.confirm_wait.as_secs() as i64)
            }
            _ => None,
        };

        let int_one = [0x02u8, 0x01, 0x01];
        let sender_name = Name::from_der(&sender_der).ok();
        let other_name = cn_name("Not The Requester");
        let recipient = asn1::parse_single::<GeneralName<'_>>(&ctx.recipient)
            .unwrap_or_else(|_| GeneralName::null_dn());
        let recipient = if self.has(Fault::Ra03) {
            if recipient == GeneralName::null_dn() {
                Name::from_der(&other_name)
                    .map(GeneralName::DirectoryName)
                    .unwrap_or_else(|_| GeneralName::null_dn())
            } else {
                GeneralName::null_dn()
            }
        } else {
            recipient
        };
        let alg = alg_der
            .as_deref()
            .and_then(|d| asn1::parse_single::<AlgorithmIdentifier<'_>>(d).ok());
        let mut header = PKIHeader::new(
            pvno,
            sender_name
                .map(GeneralName::DirectoryName)
                .unwrap_or_else(GeneralName::null_dn),
            recipient,
        );
        // Without recipient, a messageTime [0] would parse as a recipient otherName [0]:
        // HDR-06 leaves it out too, so the header is plainly malformed.
        if !self.has(Fault::Hdr06) && !self.has(Fault::Hdr07) {
            header.message_time = GeneralizedTime::from_unix_seconds(message_time);
        }
        let pre02_text = [asn1::Utf8String::new("fault PRE-02")];
        if self.has(Fault::Pre02) {
            header.free_text = Some(SeqOf::new(pre02_text.to_vec()));
            header.recip_kid = Some(b"fault-PRE-02");
        }
        header.protection_alg = alg;
        header.sender_kid = sender_kid.as_deref();
        header.transaction_id = tid.as_deref();
        header.sender_nonce = Some(&sender_nonce);
        header.recip_nonce = recip_nonce.as_deref();
        let mut general_info = Vec::new();
        if grant {
            if self.has(Fault::Hdr23) {
                let v = asn1::parse_single::<asn1::Tlv<'_>>(&int_one).ok();
                general_info.push(InfoTypeAndValue::new(InfoValue::Other(
                    cmp_codec::oid::ID_IT_IMPLICIT_CONFIRM,
                    v,
                )));
            } else {
                general_info.push(InfoTypeAndValue::new(InfoValue::ImplicitConfirm(Some(()))));
            }
        }
        if let Some(t) = confirm_wait {
            general_info.push(InfoTypeAndValue::new(InfoValue::ConfirmWaitTime(
                GeneralizedTime::from_unix_seconds(t),
            )));
        }
        if self.has(Fault::Hdr27) {
            general_info.push(InfoTypeAndValue::new(InfoValue::CertProfile(Some(
                SeqOf::new(vec![asn1::Utf8String::new("fault-HDR-27")]),
            ))));
        }
        if !general_info.is_empty() {
            header.general_info = Some(SeqOf::new(general_info));
        }
        let mut header_der = asn1::write_single(&header).unwrap_or_default();
        if self.has(Fault::Hdr06) {
            header_der = drop_recipient(&header_der);
        }
        let body_der = if self.has(Fault::Conf10) && out.kind == BodyKind::PkiConf {
            vec![0xb3, 0x03, 0x02, 0x01, 0x00]
        } else {
            out.body
        };

        // Protection over exactly these bytes.
        let tbs = tlv(0x30, &[&header_der[..], &body_der[..]].concat());
        let protection: Option<Vec<u8>> = match compute {
            Compute::None => None,
            Compute::Mac(m, secret) => {
                let opts = VerifyOptions {
                    max_iteration_count: u64::MAX,
                    max_salt_len: usize::MAX,
                    ..VerifyOptions::default()
                };
                m.as_alg()
                    .compute(&secret, &[&tbs], &opts)
                    .ok()
                    .map(|d| d.as_slice().to_vec())
            }
            Compute::Hmac(secret) => Some(
                HmacAlg::HmacWithSha256
                    .mac_chunks(&secret, &[&tbs])
                    .as_slice()
                    .to_vec(),
            ),
            Compute::SigSha1 => signer.1.sign_ecdsa_sha1(&tbs),
            Compute::Sig => {
                let mut s = signer.1.sign(&tbs);
                if self.has(Fault::Prot03) {
                    if let Some(last) = s.last_mut() {
                        *last ^= 0x01;
                    }
                }
                Some(s)
            }
        };
        let protection = if self.has(Fault::Prot05) {
            None
        } else {
            protection
        };

        // extraCerts.
        let mut extra: Vec<Vec<u8>> = Vec::new();
        let signed = matches!(compute_kind(&prot), ProtKind::Sig);
        let omit = self.has(Fault::Extra01) || (out.waiting && self.has(Fault::Poll08));
        if signed && !omit {
            extra.push(signer.0.der.clone());
            if signer.0.issuer_der != signer.0.subject_der {
                extra.push(creds.issuing.der.clone());
            }
            if self.has(Fault::Extra03) && extra.len() > 1 {
                extra.swap(0, 1);
            }
        }
        if !(signed && omit) {
            for c in out.extra_certs {
                if !extra.contains(&c) {
                    extra.push(c);
                }
            }
        }
        if cert_rep && self.has(Fault::Extra04) {
            extra.retain(|c| *c != creds.issuing.der);
        }
        if self.has(Fault::Extra05) && !extra.contains(&creds.root.der) {
            extra.push(creds.root.der.clone());
        }

        let mut content = header_der;
        content.extend_from_slice(&body_der);
        if let Some(p) = protection {
            let bits = tlv(0x03, &[&[0u8][..], &p[..]].concat());
            content.extend_from_slice(&tlv(0xa0, &bits));
        }
        if !extra.is_empty() {
            content.extend_from_slice(&tlv(0xa1, &tlv(0x30, &extra.concat())));
        }
        (tlv(0x30, &content), sender_nonce)
    }
}

enum ProtKind {
    None,
    Mac,
    Sig,
}

fn compute_kind(p: &RespProt) -> ProtKind {
    match p {
        RespProt::None => ProtKind::None,
        RespProt::Mac(_) => ProtKind::Mac,
        RespProt::Signature => ProtKind::Sig,
    }
}
