//! Signature protection: finding the signer certificate and verifying over the received bytes.

use signature::MultipartVerifier;

use super::error::{oid_name, ProtectionError};
use super::sig::{RustCryptoBackend, SignatureBytes, VerifierBackend};
use super::verify::ProtectionKind;
use super::VerifyOptions;
use crate::common::AlgorithmIdentifier;
use crate::PKIMessage;

/// Where the certificate that verified a signature came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SignerSource {
    /// `extraCerts[i]` of the message.
    ExtraCerts(usize),
    /// The i-th certificate the caller supplied.
    Supplied(usize),
}

/// Why that certificate was tried.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SignerMatch {
    /// It is `extraCerts[0]`, where RFC 9483 puts the signer.
    FirstExtraCert,
    /// Its subjectKeyIdentifier equals the header's `senderKID`.
    SenderKid,
    /// It was tried after the others and happened to verify.
    Search,
}

/// The certificate whose public key verified the protection.
///
/// Only the signature was checked: the certificate itself is **not validated** here; use
/// [`super::verify_signature_trusted`] / [`super::verify_protection_trusted`] for its path to a
/// trust anchor, validity period, keyUsage and EKU (revocation is not checked).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct VerifiedSigner {
    /// Where the certificate is.
    pub source: SignerSource,
    /// Why it was tried.
    pub matched: SignerMatch,
}

/// Public key (its DER as received) and subjectKeyIdentifier of a certificate, borrowed.
pub(crate) struct CertKeyInfo<'a> {
    pub spki_der: &'a [u8],
    pub ski: Option<&'a [u8]>,
}

pub(crate) fn cert_key_info<'a>(
    der_bytes: &'a [u8],
    what: &str,
) -> Result<CertKeyInfo<'a>, ProtectionError> {
    let cert = crate::x509::Certificate::parse(der_bytes).map_err(|e| {
        ProtectionError::BadCertificate {
            what: what.to_string(),
            reason: e.to_string(),
        }
    })?;
    let tbs = &cert.tbs_certificate;
    Ok(CertKeyInfo {
        spki_der: tbs.subject_public_key_info.full_data(),
        // A malformed SKI extension only means "no SKI" for matching purposes.
        ski: tbs.subject_key_identifier(),
    })
}

struct Parts<'a, 'm> {
    alg: &'m AlgorithmIdentifier<'a>,
    signature: &'a [u8],
    part: crate::ProtectedPart<'a>,
}

fn signature_parts<'a, 'm>(msg: &'m PKIMessage<'a>) -> Result<Parts<'a, 'm>, ProtectionError> {
    let alg = msg
        .header
        .protection_alg
        .as_ref()
        .ok_or(ProtectionError::Unprotected {
            missing: "protectionAlg",
        })?;
    let protection = msg
        .protection
        .as_ref()
        .ok_or(ProtectionError::Unprotected {
            missing: "protection",
        })?;
    let part = msg.protected_part().ok_or(ProtectionError::NotParsed)?;
    if ProtectionKind::of_algorithm(alg.algorithm) != ProtectionKind::Signature {
        return Err(ProtectionError::WrongProtectionKind {
            expected: "signature",
            algorithm: oid_name(alg.algorithm),
        });
    }
    if protection.padding_bits() != 0 {
        return Err(ProtectionError::SignatureInvalid {
            algorithm: "protection",
        });
    }
    Ok(Parts {
        alg,
        signature: protection.as_bytes(),
        part,
    })
}

/// Whether an error is about the algorithm itself (same for every candidate key).
fn algorithm_level(e: &ProtectionError) -> bool {
    matches!(
        e,
        ProtectionError::UnknownAlgorithm { .. }
            | ProtectionError::BadParameters { .. }
            | ProtectionError::WeakAlgorithm { .. }
    )
}

fn verify_with_spki<B: VerifierBackend>(
    parts: &Parts<'_, '_>,
    spki_der: &[u8],
    backend: &B,
    opts: &VerifyOptions,
) -> Result<(), ProtectionError> {
    let verifier = backend.verifier(parts.alg, spki_der, opts)?;
    verifier
        .multipart_verify(&parts.part.chunks(), &SignatureBytes(parts.signature))
        .map_err(|_| ProtectionError::SignatureInvalid {
            algorithm: crate::oid::name(parts.alg.algorithm)
                .or_else(|| super::alg::extra_oid_name(parts.alg.algorithm))
                .unwrap_or("signature"),
        })
}

/// Verify the signature protection of a received message with the RustCrypto backend,
/// looking for the signer certificate among `extraCerts` and the certificates in `supplied`
/// (DER). See [`verify_signature_with`] for the search order.
///
/// This checks that the protection was made with the key of the returned certificate, nothing
/// more. Whether that certificate is trusted (path to a trust anchor, validity, key usage) is
/// checked by [`super::verify_signature_trusted`]; revocation and the sender name are not.
///
/// ```
/// # #[cfg(feature = "ed25519")] {
/// use cmp_codec::protection::{verify_signature, SignerSource, VerifyOptions};
/// # fn run(der: &[u8]) -> Result<(), cmp_codec::protection::ProtectionError> {
/// let msg = cmp_codec::PKIMessage::parse(der).expect("DER");
/// let signer = verify_signature(&msg, &[], &VerifyOptions::default())?;
/// assert_eq!(signer.source, SignerSource::ExtraCerts(0));
/// # Ok(()) }
/// # }
/// ```
pub fn verify_signature(
    msg: &PKIMessage<'_>,
    supplied: &[&[u8]],
    opts: &VerifyOptions,
) -> Result<VerifiedSigner, ProtectionError> {
    verify_signature_with(msg, supplied, &RustCryptoBackend, opts)
}

/// Verify the signature protection of a received message with `backend`.
///
/// Candidates are tried in this order (each certificate once; only the first
/// `opts.max_signer_candidates` of the `extraCerts` are considered): `extraCerts[0]`; the other `extraCerts` whose
/// subjectKeyIdentifier equals `senderKID`; supplied certificates whose subjectKeyIdentifier
/// equals `senderKID`; the remaining `extraCerts`; the remaining supplied certificates.
/// Certificates that do not decode or whose key does not fit the algorithm are skipped.
///
/// The signature is computed over the received bytes ([`PKIMessage::protected_part`]),
/// streamed in two chunks; no copy of the message is made. Only `extraCerts[0]` is decoded
/// when it verifies.
///
/// The returned signer certificate is not validated (see [`super::verify_signature_trusted`]).
pub fn verify_signature_with<B: VerifierBackend>(
    msg: &PKIMessage<'_>,
    supplied: &[&[u8]],
    backend: &B,
    opts: &VerifyOptions,
) -> Result<VerifiedSigner, ProtectionError> {
    let parts = signature_parts(msg)?;
    let kid = msg.header.sender_kid;
    // Decode at most the candidates we are prepared to try: the message's extraCerts are
    // capped, the caller's own certificates are not.
    let mut all: Vec<(&[u8], SignerSource)> = msg
        .extra_certs()
        .take(opts.max_signer_candidates)
        .enumerate()
        .map(|(i, c)| (c.der(), SignerSource::ExtraCerts(i)))
        .collect();
    all.extend(
        supplied
            .iter()
            .enumerate()
            .map(|(i, c)| (*c, SignerSource::Supplied(i))),
    );
    let is_extra = |i: usize| matches!(all[i].1, SignerSource::ExtraCerts(_));
    let decode = |i: usize| cert_key_info(all[i].0, "candidate signer certificate").ok();
    let mut tried = 0;
    let mut last_error = None;
    // Verify with candidate `i`: the answer when it settles the search (it verified, or the
    // algorithm itself is at fault), `None` to go on.
    let mut attempt = |i: usize, matched, info: &CertKeyInfo<'_>| {
        tried += 1;
        match verify_with_spki(&parts, info.spki_der, backend, opts) {
            Ok(()) => Some(Ok(VerifiedSigner {
                source: all[i].1,
                matched,
            })),
            Err(e) if algorithm_level(&e) => Some(Err(e)),
            Err(e) => {
                last_error = Some(Box::new(e));
                None
            }
        }
    };
    // RFC 9483 3.3 puts the signer first in extraCerts: try it before decoding any other
    // candidate (a long chain in extraCerts would otherwise be decoded for nothing).
    let first_tried = !all.is_empty() && is_extra(0);
    if let Some(info) = first_tried.then(|| decode(0)).flatten() {
        if let Some(answer) = attempt(0, SignerMatch::FirstExtraCert, &info) {
            return answer;
        }
    }
    // The others, each once; `None` for those that do not decode and for the one tried.
    let infos: Vec<Option<CertKeyInfo>> = (0..all.len())
        .map(|i| {
            if i == 0 && first_tried {
                None
            } else {
                decode(i)
            }
        })
        .collect();
    let kid_matches = |i: usize| match (&infos[i], kid) {
        (Some(info), Some(kid)) => info.ski == Some(kid),
        _ => false,
    };
    let mut order: Vec<(usize, SignerMatch)> = Vec::with_capacity(all.len());
    for pass in 0..4 {
        for i in 0..all.len() {
            let want = match pass {
                0 => is_extra(i) && kid_matches(i),
                1 => !is_extra(i) && kid_matches(i),
                2 => is_extra(i) && !kid_matches(i),
                _ => !is_extra(i) && !kid_matches(i),
            };
            if want && !order.iter().any(|(j, _)| *j == i) {
                let how = if pass < 2 {
                    SignerMatch::SenderKid
                } else {
                    SignerMatch::Search
                };
                order.push((i, how));
            }
        }
    }
    for (i, matched) in order {
        // The same certificate may be both in extraCerts and supplied.
        if all[..i].iter().any(|(d, _)| *d == all[i].0) {
            continue;
        }
        let Some(info) = &infos[i] else {
            continue;
        };
        if let Some(answer) = attempt(i, matched, info) {
            return answer;
        }
    }
    Err(ProtectionError::NoSignerCertificate { tried, last_error })
}

/// Verify the signature protection with the key of one given certificate (DER), ignoring
/// `extraCerts` (RustCrypto backend). The certificate is not validated (see
/// [`verify_signature`]).
pub fn verify_signature_with_cert(
    msg: &PKIMessage<'_>,
    cert_der: &[u8],
    opts: &VerifyOptions,
) -> Result<(), ProtectionError> {
    let parts = signature_parts(msg)?;
    let info = cert_key_info(cert_der, "signer certificate")?;
    verify_with_spki(&parts, info.spki_der, &RustCryptoBackend, opts)
}

/// Verify the signature protection with a verifier the caller already holds (a known public
/// key, an HSM session, ...). The verifier decides which algorithms it accepts; the message's
/// `protectionAlg` is only checked to be no MAC.
pub fn verify_signature_with_verifier<V>(
    msg: &PKIMessage<'_>,
    verifier: &V,
) -> Result<(), ProtectionError>
where
    V: for<'s> MultipartVerifier<SignatureBytes<'s>> + ?Sized,
{
    let parts = signature_parts(msg)?;
    verifier
        .multipart_verify(&parts.part.chunks(), &SignatureBytes(parts.signature))
        .map_err(|_| ProtectionError::SignatureInvalid {
            algorithm: "signature",
        })
}
