//! Proof-of-possession by signature: `POPOSigningKey` in CRMF requests (RFC 4211 4.1) and the
//! self-signature of a PKCS#10 request in a `p10cr`.

use super::cert_hash::SignedRaw;
use super::error::ProtectionError;
use super::sig::{RustCryptoBackend, SignatureBytes, VerifierBackend};
use super::VerifyOptions;
use crate::crmf::{AuthInfo, CertReqMsg, ProofOfPossession};
use crate::{PKIBody, PKIMessage};
use signature::MultipartVerifier;

/// A proof-of-possession that was accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PopOutcome {
    /// The `POPOSigningKey` signature verifies with the requested public key.
    Signature {
        /// The request concerned.
        cert_req_id: i64,
    },
    /// `raVerified`: an RA vouches for it; whether that RA is trusted is the caller's policy.
    RaVerified {
        /// The request concerned.
        cert_req_id: i64,
    },
}

fn bad(what: &str, e: impl core::fmt::Display) -> ProtectionError {
    ProtectionError::BadCertificate {
        what: what.to_string(),
        reason: e.to_string(),
    }
}

fn verify_raw<B: VerifierBackend>(
    backend: &B,
    algorithm: &crate::AlgorithmIdentifier<'_>,
    spki_der: &[u8],
    data: &[u8],
    signature: &asn1::BitString<'_>,
    opts: &VerifyOptions,
) -> Result<(), ProtectionError> {
    let verifier = backend.verifier(algorithm, spki_der, opts)?;
    let name = || {
        crate::oid::name(algorithm.algorithm)
            .or_else(|| super::alg::extra_oid_name(algorithm.algorithm))
            .unwrap_or("signature")
    };
    if signature.padding_bits() != 0 {
        return Err(ProtectionError::SignatureInvalid { algorithm: name() });
    }
    verifier
        .multipart_verify(&[data], &SignatureBytes(signature.as_bytes()))
        .map_err(|_| ProtectionError::SignatureInvalid { algorithm: name() })
}

/// Verify the proof-of-possession of one `CertReqMsg`. `cert_req_der` is the DER of its
/// `certReq` as received; when `None` the typed value is re-encoded, which gives the same
/// bytes for anything the codec parsed (its DER round trip is exact).
pub fn verify_cert_req_msg_popo_with<B: VerifierBackend>(
    req: &CertReqMsg<'_>,
    cert_req_der: Option<&[u8]>,
    backend: &B,
    opts: &VerifyOptions,
) -> Result<PopOutcome, ProtectionError> {
    let cert_req_id = req.cert_req.cert_req_id;
    let not = |kind| ProtectionError::PopNotVerifiable { cert_req_id, kind };
    match &req.popo {
        None => Err(not("absent")),
        Some(ProofOfPossession::RaVerified(_)) => Ok(PopOutcome::RaVerified { cert_req_id }),
        Some(ProofOfPossession::KeyEncipherment(_)) => Err(not("keyEncipherment")),
        Some(ProofOfPossession::KeyAgreement(_)) => Err(not("keyAgreement")),
        Some(ProofOfPossession::Signature(sk)) => {
            let enc = |e: asn1::WriteError| ProtectionError::Encoding(format!("{e:?}"));
            match &sk.poposk_input {
                Some(input) => {
                    // Signed over the DER of POPOSigningKeyInput (universal SEQUENCE tag).
                    let data = asn1::write_single(input).map_err(enc)?;
                    let spki = input.public_key.to_der();
                    verify_raw(
                        backend,
                        &sk.algorithm_identifier,
                        &spki,
                        &data,
                        &sk.signature,
                        opts,
                    )?;
                    if let AuthInfo::PublicKeyMac(_) = input.auth_info {
                        // The signature is fine, but the MAC over the key needs the secret.
                        return Err(not("publicKeyMAC"));
                    }
                    Ok(PopOutcome::Signature { cert_req_id })
                }
                None => {
                    let spki = req
                        .cert_req
                        .cert_template
                        .public_key
                        .as_ref()
                        .ok_or_else(|| not("signature without certTemplate.publicKey"))?
                        .to_der();
                    let owned;
                    let data = match cert_req_der {
                        Some(d) => d,
                        None => {
                            owned = asn1::write_single(&req.cert_req).map_err(enc)?;
                            &owned
                        }
                    };
                    verify_raw(
                        backend,
                        &sk.algorithm_identifier,
                        &spki,
                        data,
                        &sk.signature,
                        opts,
                    )?;
                    Ok(PopOutcome::Signature { cert_req_id })
                }
            }
        }
    }
}

/// [`verify_cert_req_msg_popo_with`] with the RustCrypto backend.
pub fn verify_cert_req_msg_popo(
    req: &CertReqMsg<'_>,
    cert_req_der: Option<&[u8]>,
    opts: &VerifyOptions,
) -> Result<PopOutcome, ProtectionError> {
    verify_cert_req_msg_popo_with(req, cert_req_der, &RustCryptoBackend, opts)
}

/// The raw `certReq` DER of each `CertReqMsg` in a received request body.
fn raw_cert_reqs<'a>(body_der: &'a [u8]) -> asn1::ParseResult<Vec<&'a [u8]>> {
    let outer = asn1::parse_single::<asn1::Tlv<'a>>(body_der)?;
    let seq = asn1::parse_single::<asn1::Tlv<'a>>(outer.data())?;
    asn1::parse(seq.data(), |p| {
        let mut out = Vec::new();
        while !p.is_empty() {
            let crm = p.read_element::<asn1::Tlv<'a>>()?;
            let (cert_req, _) = asn1::strip_tlv(crm.data())?;
            out.push(cert_req.full_data());
        }
        Ok(out)
    })
}

/// Verify the proof-of-possession of every `CertReqMsg` of an `ir`, `cr`, `kur`, `ccr` or
/// `krr`, in order. The signature of a `POPOSigningKey` without `poposkInput` is checked over
/// the received `certReq` bytes (re-encoded only for a built message); the key is
/// `certTemplate.publicKey`. With `poposkInput` the signature is over its DER, re-encoded from
/// the parsed value (exact, since the codec's DER round trip is), with its `publicKey`; a
/// `publicKeyMAC` in it needs the shared secret and is reported as
/// [`ProtectionError::PopNotVerifiable`]. A `p10cr` is checked with [`verify_p10cr`].
///
/// ```
/// # fn run(der: &[u8]) -> Result<(), Box<dyn std::error::Error>> {
/// use cmp_codec::protection::{verify_popo, PopOutcome, VerifyOptions};
/// let msg = cmp_codec::PKIMessage::parse(der)?;
/// for outcome in verify_popo(&msg, &VerifyOptions::default())? {
///     println!("{outcome:?}");
/// }
/// # Ok(()) }
/// ```
pub fn verify_popo(
    msg: &PKIMessage<'_>,
    opts: &VerifyOptions,
) -> Result<Vec<PopOutcome>, ProtectionError> {
    verify_popo_with(msg, &RustCryptoBackend, opts)
}

/// [`verify_popo`] with any verification backend.
pub fn verify_popo_with<B: VerifierBackend>(
    msg: &PKIMessage<'_>,
    backend: &B,
    opts: &VerifyOptions,
) -> Result<Vec<PopOutcome>, ProtectionError> {
    let reqs = match &msg.body {
        PKIBody::Ir(r) | PKIBody::Cr(r) | PKIBody::Kur(r) | PKIBody::Ccr(r) | PKIBody::Krr(r) => r,
        other => {
            return Err(ProtectionError::WrongProtectionKind {
                expected: "CertReqMessages body (ir, cr, kur, ccr, krr)",
                algorithm: other.name().to_string(),
            })
        }
    };
    let raw = match msg.body_der() {
        Some(b) => Some(raw_cert_reqs(b).map_err(|e| bad("request body", e))?),
        None => None,
    };
    reqs.iter()
        .enumerate()
        .map(|(i, req)| {
            let der = raw.as_ref().and_then(|r| r.get(i).copied());
            verify_cert_req_msg_popo_with(&req, der, backend, opts)
        })
        .collect()
}

/// Verify the self-signature of a DER PKCS#10 `CertificationRequest` over the received
/// `certificationRequestInfo` bytes, with its own public key.
pub fn verify_pkcs10(csr_der: &[u8], opts: &VerifyOptions) -> Result<(), ProtectionError> {
    let csr =
        asn1::parse_single::<SignedRaw<'_>>(csr_der).map_err(|e| bad("PKCS#10 request", e))?;
    let spki = asn1::parse::<_, asn1::ParseError, _>(csr.tbs.data(), |p| {
        let _version = p.read_element::<asn1::BigInt<'_>>()?;
        let _subject = p.read_element::<asn1::Tlv<'_>>()?;
        let spki = p.read_element::<asn1::Tlv<'_>>()?;
        while !p.is_empty() {
            p.read_element::<asn1::Tlv<'_>>()?;
        }
        Ok(spki)
    })
    .map_err(|e| bad("PKCS#10 certificationRequestInfo", e))?;
    verify_raw(
        &RustCryptoBackend,
        &csr.algorithm,
        spki.full_data(),
        csr.tbs.full_data(),
        &csr.signature,
        opts,
    )
}

/// Verify the PKCS#10 self-signature carried by a `p10cr` (see [`verify_pkcs10`]).
pub fn verify_p10cr(msg: &PKIMessage<'_>, opts: &VerifyOptions) -> Result<(), ProtectionError> {
    match &msg.body {
        PKIBody::P10cr(csr) => verify_pkcs10(csr.der(), opts),
        other => Err(ProtectionError::WrongProtectionKind {
            expected: "p10cr body",
            algorithm: other.name().to_string(),
        }),
    }
}
