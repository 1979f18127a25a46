//! Computing protection for a message being built.

use signature::SignatureEncoding;

use super::error::ProtectionError;
use super::mac::MacAlgorithm;
use super::signer::cert_key_info;
use super::VerifyOptions;
use crate::common::AlgorithmIdentifier;
use crate::raw::Certificate;
use crate::{PKIMessage, SeqOf};

fn enc_err(e: impl core::fmt::Debug) -> ProtectionError {
    ProtectionError::Encoding(format!("{e:?}"))
}

/// Set `protectionAlg` (and `senderKID` if given and absent), set `extraCerts` if given,
/// compute the protection over the re-encoded `ProtectedPart` and encode the whole message.
pub(crate) fn finish(
    msg: &PKIMessage<'_>,
    alg_der: &[u8],
    sender_kid: Option<&[u8]>,
    extra_certs: Option<Vec<&[u8]>>,
    compute: impl FnOnce(&[u8]) -> Result<Vec<u8>, ProtectionError>,
) -> Result<Vec<u8>, ProtectionError> {
    let alg = asn1::parse_single::<AlgorithmIdentifier<'_>>(alg_der).map_err(enc_err)?;
    let mut header = msg.header.clone();
    header.protection_alg = Some(alg);
    if header.sender_kid.is_none() {
        header.sender_kid = sender_kid;
    }
    let mut out = PKIMessage::new(header, msg.body.clone());
    out.extra_certs = match extra_certs {
        Some(list) => {
            let certs = list
                .into_iter()
                .enumerate()
                .map(|(i, d)| {
                    Certificate::from_der(d).map_err(|e| ProtectionError::BadCertificate {
                        what: format!("extraCerts[{i}]"),
                        reason: e.to_string(),
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            Some(SeqOf::new(certs))
        }
        None => msg.extra_certs.clone(),
    };
    let tbs = out.encode_protected_part();
    let protection = compute(&tbs)?;
    out.protection =
        Some(asn1::BitString::new(&protection, 0).ok_or_else(|| enc_err("BIT STRING"))?);
    Ok(out.encode())
}

/// MAC-protect a message with a shared secret and return the DER of the protected message.
///
/// `protectionAlg` is set from `algorithm` (PBM or PBMAC1 with its parameters) before the MAC
/// is computed over the DER `ProtectedPart`; `extraCerts` are kept. The other header fields
/// (`senderKID` as the reference of the secret, nonces, transactionID) are the caller's.
/// `algorithm`'s salt should be fresh random bytes for every message (RFC 9481 recommends at
/// least 16); its iteration count is not capped here.
///
/// ```
/// use cmp_codec::protection::{protect_with_mac, verify_mac, HmacAlg, MacAlgorithm, VerifyOptions};
/// # let der = cmp_codec::builder::example_genm();
/// let msg = cmp_codec::PKIMessage::parse(&der)?;
/// let pbmac1 = MacAlgorithm::Pbmac1 {
///     salt: b"0123456789abcdef",
///     iteration_count: 10_000,
///     prf: HmacAlg::HmacWithSha256,
///     key_length: Some(32),
///     mac: HmacAlg::HmacWithSha256,
/// };
/// let protected = protect_with_mac(&msg, &pbmac1, b"secret")?;
/// let received = cmp_codec::PKIMessage::parse(&protected)?;
/// verify_mac(&received, b"secret", &VerifyOptions::default())?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn protect_with_mac(
    msg: &PKIMessage<'_>,
    algorithm: &MacAlgorithm<'_>,
    secret: &[u8],
) -> Result<Vec<u8>, ProtectionError> {
    let alg_der = algorithm.to_algorithm_identifier_der()?;
    let opts = VerifyOptions {
        max_iteration_count: u64::MAX,
        max_salt_len: usize::MAX,
        ..VerifyOptions::default()
    };
    finish(msg, &alg_der, None, None, |tbs| {
        Ok(algorithm
            .compute(secret, &[tbs], &opts)?
            .as_slice()
            .to_vec())
    })
}

/// Signature-protect a message with any [`signature::Signer`] (a RustCrypto key, an HSM, a
/// KMS client) and return the DER of the protected message.
///
/// * `algorithm` is the `protectionAlg` to write; it must describe what `signer` produces
///   (e.g. [`super::SignatureAlgorithm::to_algorithm_identifier_der`]). ECDSA signers must
///   produce DER signatures (`ecdsa::der::Signature`), as X.509 and CMP require.
/// * `signer_cert` (DER) is the certificate of the signing key; `chain` its issuing CAs.
///   `extraCerts` becomes `signer_cert`, then `chain`, then any certificates the message
///   already carried (RFC 9483 3.3: the signer certificate comes first).
/// * If `senderKID` is absent it is set to the certificate's subjectKeyIdentifier, when it
///   has one (RFC 9483 3.1). `sender` should be the certificate's subject: that is left to
///   the caller.
///
/// `protectionAlg` and `senderKID` are set before the signature is computed over the DER
/// `ProtectedPart`. The signature is not checked against the certificate.
///
/// ```
/// # #[cfg(feature = "ed25519")] {
/// use cmp_codec::protection::{protect_with_signature, SignatureAlgorithm};
/// # fn run(msg: &cmp_codec::PKIMessage<'_>, key: &ed25519_dalek::SigningKey, cert: &[u8]) -> Result<(), Box<dyn std::error::Error>> {
/// let alg_der = SignatureAlgorithm::Ed25519.to_algorithm_identifier_der()?;
/// let alg = cmp_codec::asn1::parse_single(&alg_der)?;
/// let protected: Vec<u8> = protect_with_signature::<_, ed25519_dalek::Signature>(msg, key, &alg, cert, &[])?;
/// # Ok(()) }
/// # }
/// ```
pub fn protect_with_signature<K, S>(
    msg: &PKIMessage<'_>,
    signer: &K,
    algorithm: &AlgorithmIdentifier<'_>,
    signer_cert: &[u8],
    chain: &[&[u8]],
) -> Result<Vec<u8>, ProtectionError>
where
    K: signature::Signer<S> + ?Sized,
    S: SignatureEncoding,
{
    let info = cert_key_info(signer_cert, "signer certificate")?;
    let alg_der = asn1::write_single(algorithm).map_err(enc_err)?;
    let mut extra: Vec<&[u8]> = Vec::with_capacity(1 + chain.len());
    extra.push(signer_cert);
    for c in chain
        .iter()
        .copied()
        .chain(msg.extra_certs().map(|c| c.der()))
    {
        if !extra.contains(&c) {
            extra.push(c);
        }
    }
    finish(msg, &alg_der, info.ski, Some(extra), |tbs| {
        signer
            .try_sign(tbs)
            .map(|s| s.to_vec())
            .map_err(|e| ProtectionError::Signer(e.to_string()))
    })
}
