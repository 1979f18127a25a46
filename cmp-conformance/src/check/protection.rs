//! Protection and extraCerts checks (RFC 9483 sections 3.2, 3.3, 3.5; TS 33.310 hash rules).

use cmp_codec::protection::HashAlg;
use cmp_codec::protection::{
    verify_mac, verify_signature, MacAlgorithm, ProtectionError, SignatureAlgorithm, SignerSource,
    VerifyOptions,
};
use cmp_codec::{GeneralName, PKIBody, PKIMessage, PKIStatus};

use super::header::{common_name, name_text};
use super::x509::{build_path, CertInfo, PathOutcome};
use super::{hex, Config, ExchangeInput, Findings, OpState, ProtKind, RespCred};

/// Whether a response announces waiting (first response of a delayed delivery).
fn is_waiting(body: &PKIBody<'_>) -> bool {
    match body {
        PKIBody::Ip(r) | PKIBody::Cp(r) | PKIBody::Kup(r) => r
            .response
            .iter()
            .any(|c| c.status.status == PKIStatus::WAITING),
        PKIBody::Error(e) => e.pki_status_info.status == PKIStatus::WAITING,
        _ => false,
    }
}

/// Run the protection checks; returns the credential that protected the response.
pub fn check(
    out: &mut Findings,
    cfg: &Config,
    op: &OpState,
    req: Option<&PKIMessage<'_>>,
    rsp: &PKIMessage<'_>,
    input: &ExchangeInput<'_>,
) -> Option<RespCred> {
    let h = &rsp.header;
    let arm = rsp.body.name();
    let is_error = arm == "error";
    match (&h.protection_alg, &rsp.protection) {
        (Some(_), None) => {
            out.violation("PROT-05", "protectionAlg present but no protection");
            return None;
        }
        (None, Some(_)) => {
            out.violation("PROT-05", "protection present but no protectionAlg");
            return None;
        }
        (None, None) => {
            if is_error {
                if input.request_authentic {
                    out.warn(
                        "ERR-14",
                        "unprotected error message answering an authenticated request",
                    );
                }
            } else {
                out.violation("PROT-02", format!("unprotected {arm}"));
            }
            return None;
        }
        (Some(_), Some(_)) => {}
    }
    let kind = ProtKind::of(rsp);
    let req_kind = op.request_prot.or_else(|| req.map(ProtKind::of));
    // A probe that itself switched protection (a signed certConf in a MAC operation) is
    // judged by its expectation, not charged again here.
    let switched = req.is_some_and(|r| Some(ProtKind::of(r)) != op.request_prot);
    if input.request_authentic && !switched {
        if let Some(rk) = req_kind {
            if rk != ProtKind::None && rk != kind {
                let rule = if rk == ProtKind::Mac {
                    "MAC-03"
                } else {
                    "PROT-01"
                };
                out.violation(
                    rule,
                    format!(
                        "{} response in an operation whose requests are {}-protected",
                        kind.name(),
                        rk.name()
                    ),
                );
            }
        }
    }
    let cred = match kind {
        ProtKind::Mac => check_mac(out, cfg, op, req, rsp),
        ProtKind::Signature => check_signature(out, cfg, op, rsp, input),
        ProtKind::None => None,
    };
    // Same credential as the operation's first response.
    if let (Some(first), Some(now), false) = (&op.first_response_cred, &cred, switched) {
        let same = match (first, now) {
            (RespCred::Mac(_), RespCred::Mac(_)) => true,
            (RespCred::Signature(a), RespCred::Signature(b)) => a == b,
            _ => false,
        };
        if !same {
            let rule = match arm {
                "pkiconf" => Some("CONF-11"),
                "pollRep" => Some("POLL-12"),
                _ => None,
            };
            if let Some(rule) = rule {
                out.violation(rule, format!("{arm} protected with another credential than the operation's first response"));
            }
        }
        if let (RespCred::Mac(a), RespCred::Mac(b)) = (first, now) {
            if a != b {
                out.info(
                    "MAC-05",
                    format!("{arm}: MAC parameters differ from the operation's first response"),
                );
            }
        }
    }
    // TS 33.310: signature protection throughout.
    if input.threegpp && kind != ProtKind::Signature {
        if matches!(arm, "ip" | "kup") {
            out.violation(
                "TS33310-5",
                format!("{arm} is {}-protected, not signed", kind.name()),
            );
        } else if arm == "pkiconf" {
            out.warn(
                "TS33310-5",
                format!("{arm} is {}-protected, not signed", kind.name()),
            );
        }
    }
    let _ = is_waiting;
    cred
}

/// Whether the signature algorithm's key type differs from the certificate's key type.
fn alg_does_not_fit(alg: &cmp_codec::AlgorithmIdentifier<'_>, cert: Option<&[u8]>) -> bool {
    use cmp_codec::oid;
    let (Some(cert), Ok(sa)) = (cert, SignatureAlgorithm::from_algorithm_identifier(alg)) else {
        return false;
    };
    let Ok(info) = CertInfo::parse(cert) else {
        return false;
    };
    let Ok(spki) = asn1::parse_single::<cmp_codec::common::SubjectPublicKeyInfo<'_>>(&info.spki)
    else {
        return false;
    };
    let key = spki.algorithm.algorithm;
    let fits = match sa {
        SignatureAlgorithm::RsaPkcs1v15(_) | SignatureAlgorithm::RsaPss { .. } => {
            key == oid::RSA_ENCRYPTION || key == oid::RSASSA_PSS
        }
        SignatureAlgorithm::Ecdsa(_) => key == oid::EC_PUBLIC_KEY,
        SignatureAlgorithm::Ed25519 => key == oid::ID_ED25519,
        SignatureAlgorithm::Ed448 => key == oid::ID_ED448,
        _ => true,
    };
    !fits
}

fn check_mac(
    out: &mut Findings,
    cfg: &Config,
    _op: &OpState,
    req: Option<&PKIMessage<'_>>,
    rsp: &PKIMessage<'_>,
) -> Option<RespCred> {
    let h = &rsp.header;
    let alg = h.protection_alg.as_ref()?;
    let alg_der = asn1::write_single(alg).unwrap_or_default();
    if let Err(e) = MacAlgorithm::from_algorithm_identifier(alg) {
        out.violation("HDR-11", format!("MAC protectionAlg not usable: {e}"));
        return Some(RespCred::Mac(alg_der));
    }
    match &cfg.mac_secret {
        Some(secret) => match verify_mac(rsp, secret, &VerifyOptions::default()) {
            Ok(_) => {}
            Err(ProtectionError::MacMismatch { algorithm }) => out.violation(
                "PROT-04",
                format!("{algorithm} does not verify with the shared secret"),
            ),
            Err(e) => out.violation("HDR-11", format!("MAC protection cannot be verified: {e}")),
        },
        None => out.info(
            "PROT-04",
            "MAC-protected response, but the profile has no secret to verify it",
        ),
    }
    // Sender and senderKID (RFC 9483 3.1, 4.1.5).
    let cn = common_name(&h.sender);
    if cn.is_none() {
        out.warn(
            "HDR-05",
            format!(
                "MAC-protected, but the sender {} has no commonName",
                name_text(&h.sender)
            ),
        );
    }
    match h.sender_kid {
        None => out.violation("HDR-13", "MAC-protected response without senderKID"),
        Some(kid) => {
            let req_kid = req.and_then(|r| r.header.sender_kid);
            let matches_cn = cn.as_deref().is_some_and(|c| c.as_bytes() == kid);
            if !matches_cn && req_kid != Some(kid) {
                out.warn(
                    "HDR-13",
                    format!(
                        "senderKID {:?} is neither the sender's commonName nor the request's senderKID",
                        String::from_utf8_lossy(kid)
                    ),
                );
            }
        }
    }
    Some(RespCred::Mac(alg_der))
}

fn check_signature(
    out: &mut Findings,
    cfg: &Config,
    op: &OpState,
    rsp: &PKIMessage<'_>,
    input: &ExchangeInput<'_>,
) -> Option<RespCred> {
    let h = &rsp.header;
    let arm = rsp.body.name();
    let alg = h.protection_alg.as_ref()?;
    let extra: Vec<&[u8]> = rsp.extra_certs().map(|c| c.der()).collect();

    // extraCerts in the operation's first signed response.
    let first_signed = !matches!(op.first_response_cred, Some(RespCred::Signature(_)));
    if first_signed && extra.is_empty() {
        if arm == "error" {
            out.warn("ERR-14", "signed error message without extraCerts");
        } else if is_waiting(&rsp.body) {
            out.warn(
                "POLL-08",
                format!("signed waiting {arm} without extraCerts"),
            );
        } else {
            out.violation(
                "EXTRA-01",
                format!("first signed response ({arm}) without extraCerts"),
            );
        }
    }
    if rsp.has_empty_extra_certs() {
        out.violation("EXTRA-01", "extraCerts present but empty (SIZE (1..MAX))");
    }

    // Signature over the received bytes.
    let mut supplied: Vec<&[u8]> = Vec::new();
    if let Some(c) = &op.server_cert {
        supplied.push(c);
    }
    let signer_der: Vec<u8> = match verify_signature(rsp, &supplied, &VerifyOptions::default()) {
        Ok(v) => {
            let der = match v.source {
                SignerSource::ExtraCerts(i) => extra.get(i).map(|d| d.to_vec()),
                SignerSource::Supplied(i) => supplied.get(i).map(|d| d.to_vec()),
            };
            if let SignerSource::ExtraCerts(i) = v.source {
                if i != 0 {
                    out.violation(
                        "EXTRA-03",
                        format!("the protection certificate is extraCerts[{i}], not extraCerts[0]"),
                    );
                }
            } else if !extra.is_empty() {
                out.violation("EXTRA-03", "the protection certificate is not in extraCerts although extraCerts is present");
            }
            der?
        }
        Err(ProtectionError::UnknownAlgorithm { algorithm, .. }) => {
            out.violation(
                "HDR-10",
                format!("unknown signature protectionAlg {algorithm}"),
            );
            return None;
        }
        Err(
            e @ (ProtectionError::BadParameters { .. } | ProtectionError::WeakAlgorithm { .. }),
        ) => {
            out.violation("HDR-10", format!("signature protectionAlg not usable: {e}"));
            return None;
        }
        Err(e) if alg_does_not_fit(alg, extra.first().copied()) => {
            out.violation(
                "HDR-10",
                format!("protectionAlg does not fit the key of extraCerts[0]: {e}"),
            );
            return None;
        }
        Err(e) => {
            out.violation(
                "PROT-03",
                format!("the signature does not verify with any candidate certificate: {e}"),
            );
            return None;
        }
    };
    let signer = match CertInfo::parse(&signer_der) {
        Ok(c) => c,
        Err(e) => {
            out.violation("VAL-16", e);
            return Some(RespCred::Signature(signer_der));
        }
    };

    // Header fields bound to the protection certificate.
    match &h.sender {
        GeneralName::DirectoryName(n) if n.der() == signer.subject.as_slice() => {}
        other => out.violation(
            "HDR-04",
            format!(
                "sender {} is not the protection certificate's subject {}",
                name_text(other),
                signer.subject_text()
            ),
        ),
    }
    if let Some(ski) = &signer.ski {
        match h.sender_kid {
            Some(k) if k == ski.as_slice() => {}
            Some(k) => out.violation(
                "HDR-12",
                format!(
                    "senderKID {} but the certificate's SKI is {}",
                    hex(k),
                    hex(ski)
                ),
            ),
            None => out.violation(
                "HDR-12",
                format!("senderKID absent; the certificate's SKI is {}", hex(ski)),
            ),
        }
    }

    // Trust.
    let at = cfg.verify_at.unwrap_or(input.at);
    let mut pool = cfg.untrusted.clone();
    for d in &extra {
        if let Ok(c) = CertInfo::parse(d) {
            pool.push(c);
        }
    }
    let mut anchors = cfg.anchors.clone();
    if let Some(a) = &op.extra_anchor {
        anchors.push(a.clone());
    }
    let self_signed_pool: Vec<CertInfo> = pool
        .iter()
        .filter(|c| c.is_self_issued())
        .cloned()
        .collect();
    let untrusted_pool: Vec<CertInfo> = pool
        .iter()
        .filter(|c| !c.is_self_issued())
        .cloned()
        .collect();
    let mut outcome = build_path(&signer, &untrusted_pool, &anchors, at);
    if input.threegpp && cfg.trust_root_from_ip && arm == "ip" {
        if let PathOutcome::Untrusted(_) = outcome {
            // TS 33.310 9.2 opt-in: a self-signed root from this ip's extraCerts.
            let o = build_path(&signer, &untrusted_pool, &self_signed_pool, at);
            if let PathOutcome::Trusted(_) = o {
                out.info(
                    "TS33310-4",
                    "the operator root was taken from the ip's extraCerts (explicit opt-in)",
                );
                outcome = o;
            }
        }
    }
    match outcome {
        PathOutcome::Trusted(_) => {}
        PathOutcome::Untrusted(why) => {
            if anchors.is_empty() {
                out.info(
                    "VAL-14",
                    format!("no trust anchors configured; the signer was not validated ({why})"),
                );
            } else {
                out.violation(
                    "VAL-14",
                    format!(
                        "the protection certificate {} does not validate: {why}",
                        signer.subject_text()
                    ),
                );
                if input.threegpp {
                    out.violation(
                        "TS33310-3",
                        format!("the response does not verify against the operator root: {why}"),
                    );
                }
            }
        }
    }
    if signer.ku_digital_signature == Some(false) {
        out.violation(
            "PRE-01",
            format!(
                "the protection certificate {} has keyUsage without digitalSignature",
                signer.subject_text()
            ),
        );
    }
    if let Some(eku) = &cfg.server_eku {
        if !signer.eku.iter().any(|e| e == eku) {
            out.violation(
                "PREQ-04",
                format!("the protection certificate lacks extendedKeyUsage {eku}"),
            );
        }
    }

    // extraCerts order and content.
    if let (Some(first), Some(second)) = (extra.first(), extra.get(1)) {
        if let (Ok(a), Ok(b)) = (CertInfo::parse(first), CertInfo::parse(second)) {
            if !a.is_self_issued() && a.issuer != b.subject {
                let later = extra[2..]
                    .iter()
                    .filter_map(|d| CertInfo::parse(d).ok())
                    .any(|c| c.subject == a.issuer);
                if later {
                    out.warn("EXTRA-03", "extraCerts[1] is not the issuer of extraCerts[0]; the chain is out of order");
                }
            }
        }
    }
    for (i, d) in extra.iter().enumerate().skip(1) {
        if let Ok(c) = CertInfo::parse(d) {
            if c.is_self_issued() && c.der != signer.der {
                if input.threegpp && arm == "ip" {
                    // TS 33.310 carries the operator root here on purpose.
                    continue;
                }
                out.warn(
                    "EXTRA-05",
                    format!(
                        "self-signed certificate {} in extraCerts[{i}]",
                        c.subject_text()
                    ),
                );
            }
        }
    }

    // TS 33.310: SHA-256 or stronger.
    if input.threegpp {
        if let Ok(sa) = SignatureAlgorithm::from_algorithm_identifier(alg) {
            if matches!(sa.hash(), Some(HashAlg::Sha1)) {
                out.violation(
                    "TS33310-9",
                    format!("protection signed with {} (SHA-1)", sa.name()),
                );
            }
        }
    }
    Some(RespCred::Signature(signer_der))
}
