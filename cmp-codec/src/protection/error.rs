//! [`ProtectionError`]: why protection could not be checked or computed.

use core::fmt;

/// Why a protection, proof-of-possession or `certHash` check failed, or why protecting a message
/// failed. Every variant says which algorithm (or field) it is about; none of them is produced
/// by a panic, whatever the input.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ProtectionError {
    /// The message has no `protectionAlg` or no `protection`.
    Unprotected {
        /// `"protectionAlg"` or `"protection"`: the missing field.
        missing: &'static str,
    },
    /// Verifying needs something the caller did not give (e.g. a MAC without a secret).
    MissingCredentials {
        /// What is needed.
        needed: &'static str,
    },
    /// The message was built, not parsed: there are no received bytes to verify.
    NotParsed,
    /// A MAC check was asked for a signature-protected message, or the other way round.
    WrongProtectionKind {
        /// `"MAC"` or `"signature"`.
        expected: &'static str,
        /// The `protectionAlg` found.
        algorithm: String,
    },
    /// An algorithm OID this implementation does not know (or whose backend is not compiled in).
    UnknownAlgorithm {
        /// Where the OID was found, e.g. `"protectionAlg"`, `"PBMParameter.owf"`.
        field: &'static str,
        /// The OID, by name when known.
        algorithm: String,
    },
    /// The parameters of a known algorithm are malformed or not supported.
    BadParameters {
        /// The algorithm whose parameters are wrong.
        algorithm: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// The iteration count is above the configured cap; no derivation was started.
    IterationCountTooLarge {
        /// `"PasswordBasedMac"` or `"PBMAC1"`.
        algorithm: &'static str,
        /// The iteration count of the message.
        count: u64,
        /// The configured cap.
        max: u64,
    },
    /// The salt is longer than the configured cap.
    SaltTooLong {
        /// `"PasswordBasedMac"` or `"PBMAC1"`.
        algorithm: &'static str,
        /// The salt length of the message.
        len: usize,
        /// The configured cap.
        max: usize,
    },
    /// PBMAC1 `keyLength` is larger than any MAC key we derive (RFC 8018 counts it in octets).
    /// Some servers write it in bits; see `VerifyOptions::pbmac1_key_length_in_bits_fallback`.
    Pbmac1KeyLength {
        /// `keyLength` as written in the message.
        key_length: u64,
        /// The largest accepted value in octets.
        max_octets: usize,
    },
    /// A SHA-1 based signature while `VerifyOptions::allow_sha1_signatures` is off.
    WeakAlgorithm {
        /// The refused algorithm.
        algorithm: &'static str,
    },
    /// The recomputed MAC differs from `protection`.
    MacMismatch {
        /// `"PasswordBasedMac"` or `"PBMAC1"`.
        algorithm: &'static str,
    },
    /// The signature does not verify with the given key.
    SignatureInvalid {
        /// The signature algorithm.
        algorithm: &'static str,
    },
    /// The public key does not fit the signature algorithm (e.g. an EC key for an RSA
    /// signature), or could not be decoded.
    KeyMismatch {
        /// The signature algorithm.
        algorithm: &'static str,
        /// What is wrong with the key.
        reason: String,
    },
    /// No candidate certificate verifies the signature.
    NoSignerCertificate {
        /// How many candidates were tried.
        tried: usize,
        /// Why the last candidate failed, if any was tried.
        last_error: Option<Box<ProtectionError>>,
    },
    /// A certificate (or PKCS#10 request) could not be decoded.
    BadCertificate {
        /// Which certificate or request.
        what: String,
        /// The decoder's message.
        reason: String,
    },
    /// The signature verifies, but its certificate is not trusted: the rule of RFC 5280 path
    /// validation or of RFC 9483 3.5 (keyUsage, extended key usage) that failed.
    UntrustedSigner {
        /// The signer certificate's subject.
        subject: String,
        /// Why it is not trusted.
        reason: super::chain_error::ChainError,
    },
    /// The signer (an HSM, a KMS, ...) returned an error.
    Signer(String),
    /// Encoding the protected message failed.
    Encoding(String),
    /// A proof-of-possession that cannot be checked by signature verification.
    PopNotVerifiable {
        /// The request concerned.
        cert_req_id: i64,
        /// e.g. `"absent"`, `"keyEncipherment"`, `"publicKeyMAC"`.
        kind: &'static str,
    },
    /// `CertStatus.certHash` does not match the certificate.
    CertHashMismatch {
        /// The `certReqId` of the `CertStatus`.
        cert_req_id: i64,
    },
    /// `CertStatus.hashAlg` is present but `pvno` is not `cmp2021(3)` (RFC 9810 5.3.18).
    HashAlgRequiresPvno3 {
        /// The certConf's `pvno`.
        pvno: i64,
    },
    /// The certificate's signature algorithm names no hash for `certHash` and `hashAlg` is
    /// absent.
    NoCertHashAlgorithm {
        /// The certificate's signature algorithm.
        signature_algorithm: String,
    },
}

impl fmt::Display for ProtectionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ProtectionError::*;
        match self {
            Unprotected { missing } => write!(f, "message is not protected: no {missing}"),
            MissingCredentials { needed } => write!(f, "cannot verify without {needed}"),
            NotParsed => write!(
                f,
                "message was built, not parsed: no received bytes to verify"
            ),
            WrongProtectionKind {
                expected,
                algorithm,
            } => write!(f, "expected {expected} protection, found {algorithm}"),
            UnknownAlgorithm { field, algorithm } => {
                write!(f, "unsupported algorithm {algorithm} in {field}")
            }
            BadParameters { algorithm, reason } => {
                write!(f, "bad {algorithm} parameters: {reason}")
            }
            IterationCountTooLarge {
                algorithm,
                count,
                max,
            } => write!(
                f,
                "{algorithm} iteration count {count} exceeds the limit {max}"
            ),
            SaltTooLong {
                algorithm,
                len,
                max,
            } => write!(f, "{algorithm} salt of {len} bytes exceeds the limit {max}"),
            Pbmac1KeyLength {
                key_length,
                max_octets,
            } => write!(
                f,
                "PBMAC1 keyLength {key_length} exceeds {max_octets} octets (is it in bits?)"
            ),
            WeakAlgorithm { algorithm } => write!(f, "{algorithm} is not accepted (SHA-1)"),
            MacMismatch { algorithm } => write!(f, "{algorithm} MAC does not match"),
            SignatureInvalid { algorithm } => write!(f, "{algorithm} signature is invalid"),
            KeyMismatch { algorithm, reason } => {
                write!(f, "public key unusable for {algorithm}: {reason}")
            }
            NoSignerCertificate { tried, last_error } => {
                write!(f, "no signer certificate found ({tried} tried")?;
                if let Some(e) = last_error {
                    write!(f, "; last: {e}")?;
                }
                write!(f, ")")
            }
            BadCertificate { what, reason } => write!(f, "cannot decode {what}: {reason}"),
            UntrustedSigner { subject, reason } => {
                write!(f, "signer certificate {subject} not trusted: {reason}")
            }
            Signer(e) => write!(f, "signer failed: {e}"),
            Encoding(e) => write!(f, "encoding failed: {e}"),
            PopNotVerifiable { cert_req_id, kind } => write!(
                f,
                "certReqId {cert_req_id}: proof-of-possession {kind} is not verifiable by signature"
            ),
            CertHashMismatch { cert_req_id } => {
                write!(f, "certReqId {cert_req_id}: certHash does not match")
            }
            HashAlgRequiresPvno3 { pvno } => {
                write!(f, "CertStatus.hashAlg needs pvno 3 (cmp2021), got {pvno}")
            }
            NoCertHashAlgorithm {
                signature_algorithm,
            } => write!(
                f,
                "no certHash algorithm for certificates signed with {signature_algorithm}; hashAlg is required"
            ),
        }
    }
}

impl std::error::Error for ProtectionError {}

/// A readable name for an OID: its well-known name, else the dotted form.
pub(crate) fn oid_name<'o>(oid: impl Into<crate::oid::Oid<'o>>) -> String {
    let oid = oid.into();
    crate::oid::name(oid)
        .map(str::to_string)
        .or_else(|| super::alg::extra_oid_name(oid).map(str::to_string))
        .unwrap_or_else(|| oid.to_string())
}

pub(crate) fn bad_params(algorithm: &'static str, reason: impl fmt::Display) -> ProtectionError {
    ProtectionError::BadParameters {
        algorithm,
        reason: reason.to_string(),
    }
}
