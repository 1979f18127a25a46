//! [`ChainError`]: which rule of signer certificate validation failed (always compiled, so
//! that [`super::ProtectionError`] is the same with or without the `chain` feature).

use std::fmt;

/// Which rule the signer certificate or its path broke. `subject` names the certificate
/// concerned (RFC 4514-ish string).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ChainError {
    /// No trust anchors were given.
    NoTrustAnchors,
    /// More certificates than the caps allow.
    TooManyCertificates {
        /// How many were offered.
        count: usize,
        /// The cap.
        max: usize,
    },
    /// A certificate (anchor, intermediate or signer) could not be decoded.
    BadCertificate {
        /// Which one.
        what: String,
        /// The decoder's message.
        reason: String,
    },
    /// The certificate's notAfter is before the validation time.
    Expired {
        /// The certificate.
        subject: String,
        /// Its notAfter.
        not_after: String,
        /// The validation time.
        at: String,
    },
    /// The certificate's notBefore is after the validation time.
    NotYetValid {
        /// The certificate.
        subject: String,
        /// Its notBefore.
        not_before: String,
        /// The validation time.
        at: String,
    },
    /// Neither the anchors nor the untrusted certificates hold the certificate's issuer.
    UnknownIssuer {
        /// The certificate whose issuer is missing.
        subject: String,
        /// The issuer name it names.
        issuer: String,
    },
    /// The certificate's signature does not verify with the key of any certificate named as
    /// its issuer.
    BadSignature {
        /// The certificate.
        subject: String,
    },
    /// The signer certificate has keyUsage without digitalSignature (RFC 9483 1.2, 3.5).
    KeyUsage {
        /// The signer certificate.
        subject: String,
    },
    /// The signer certificate lacks the required extended key usage.
    ExtendedKeyUsage {
        /// The signer certificate.
        subject: String,
        /// The required EKU.
        required: String,
    },
    /// A CA certificate of the path lacks basicConstraints cA, or keyCertSign.
    NotACa {
        /// The certificate.
        subject: String,
        /// What is missing.
        reason: String,
    },
    /// A pathLenConstraint is exceeded.
    PathLength {
        /// The certificate at which it failed.
        subject: String,
    },
    /// Another RFC 5280 rule (name constraints, policies, critical extension, key size, ...),
    /// as certval names it.
    Path {
        /// certval's `PathValidationStatus`.
        status: String,
        /// The certificate at which it failed, when known.
        subject: Option<String>,
    },
}

impl fmt::Display for ChainError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ChainError::*;
        match self {
            NoTrustAnchors => write!(f, "no trust anchors given"),
            TooManyCertificates { count, max } => {
                write!(f, "{count} certificates offered, at most {max} are used")
            }
            BadCertificate { what, reason } => write!(f, "cannot decode {what}: {reason}"),
            Expired {
                subject,
                not_after,
                at,
            } => write!(f, "certificate expired: {subject} (notAfter {not_after}, validation time {at})"),
            NotYetValid {
                subject,
                not_before,
                at,
            } => write!(
                f,
                "certificate not yet valid: {subject} (notBefore {not_before}, validation time {at})"
            ),
            UnknownIssuer { subject, issuer } => {
                write!(f, "unknown issuer: no trusted or untrusted certificate for {issuer} (issuer of {subject})")
            }
            BadSignature { subject } => {
                write!(f, "bad signature in chain: the signature of {subject} does not verify with its issuer's key")
            }
            KeyUsage { subject } => write!(
                f,
                "keyUsage of the protection certificate {subject} lacks digitalSignature (RFC 9483 1.2)"
            ),
            ExtendedKeyUsage { subject, required } => write!(
                f,
                "extended key usage {required} required, not in {subject}"
            ),
            NotACa { subject, reason } => write!(f, "{subject} is no CA certificate: {reason}"),
            PathLength { subject } => write!(f, "path length constraint exceeded at {subject}"),
            Path { status, subject } => {
                write!(f, "path validation failed: {status}")?;
                if let Some(s) = subject {
                    write!(f, " at {s}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for ChainError {}
