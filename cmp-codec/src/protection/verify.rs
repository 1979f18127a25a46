//! One entry point for whatever protection a received message carries.

use super::error::{oid_name, ProtectionError};
use super::kem::{verify_kem_mac, KemBasedMac};
use super::mac::{verify_mac, MacAlgorithm};
use super::sig::{RustCryptoBackend, VerifierBackend};
use super::signer::{verify_signature_with, VerifiedSigner};
use super::VerifyOptions;
use crate::oid as ids;
use crate::PKIMessage;

/// What kind of protection a `protectionAlg` names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ProtectionKind {
    /// PasswordBasedMac or PBMAC1: needs the shared secret.
    SharedSecretMac,
    /// DH- or KEM-based MAC (RFC 9810 5.1.3.2, 5.1.3.4). KEM-based MAC verifies with the KEM
    /// shared secret given as the secret; DH-based MAC is not supported.
    KeyAgreementMac,
    /// A signature: needs the signer certificate.
    Signature,
}

impl ProtectionKind {
    /// Classify a message's `protectionAlg`; `None` when the message has none.
    pub fn of(msg: &PKIMessage<'_>) -> Option<Self> {
        let alg = msg.header.protection_alg.as_ref()?;
        Some(Self::of_algorithm(alg.algorithm))
    }

    /// Classify a `protectionAlg` by its OID alone: every OID that names no MAC is taken for
    /// a signature algorithm.
    pub fn of_algorithm<'o>(algorithm: impl Into<crate::Oid<'o>>) -> Self {
        let id = algorithm.into();
        if id == ids::ID_PASSWORD_BASED_MAC || id == ids::ID_PBMAC1 {
            ProtectionKind::SharedSecretMac
        } else if id == ids::ID_DH_BASED_MAC || id == ids::ID_KEM_BASED_MAC {
            ProtectionKind::KeyAgreementMac
        } else {
            ProtectionKind::Signature
        }
    }
}

/// The protection that was verified.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VerifiedProtection<'a> {
    /// A shared-secret MAC.
    Mac(MacAlgorithm<'a>),
    /// A KEM-based MAC (RFC 9810 5.1.3.4), verified with the KEM shared secret.
    KemMac(KemBasedMac<'a>),
    /// A signature, by this certificate (not validated: see [`super::verify_signature`]).
    Signature(VerifiedSigner),
}

/// Verify a received message's protection, MAC or signature, with what the caller has: the
/// shared `secret` for MACs (the KEM shared secret for KEM-based MAC), candidate signer certificates (DER) besides `extraCerts` for
/// signatures. RustCrypto backend; see [`verify_protection_with`] for another.
///
/// ```
/// use cmp_codec::protection::{protect_with_mac, verify_protection, HashAlg, HmacAlg, MacAlgorithm, VerifiedProtection, VerifyOptions};
/// # let der = cmp_codec::builder::example_genm();
/// # let msg = cmp_codec::PKIMessage::parse(&der)?;
/// # let pbm = MacAlgorithm::Pbm { salt: b"0123456789abcdef", owf: HashAlg::Sha256, iteration_count: 500, mac: HmacAlg::HmacSha1 };
/// # let der = protect_with_mac(&msg, &pbm, b"test")?;
/// let msg = cmp_codec::PKIMessage::parse(&der)?;
/// match verify_protection(&msg, Some(b"test"), &[], &VerifyOptions::default())? {
///     VerifiedProtection::Mac(alg) => println!("MAC OK ({})", alg.name()),
///     VerifiedProtection::KemMac(kem) => println!("KEM-based MAC OK ({} octets)", kem.len),
///     VerifiedProtection::Signature(signer) => println!("signature OK by {:?}", signer.source),
/// }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn verify_protection<'a>(
    msg: &PKIMessage<'a>,
    secret: Option<&[u8]>,
    certs: &[&[u8]],
    opts: &VerifyOptions,
) -> Result<VerifiedProtection<'a>, ProtectionError> {
    verify_protection_with(msg, secret, certs, &RustCryptoBackend, opts)
}

/// [`verify_protection`] with any signature verification backend.
pub fn verify_protection_with<'a, B: VerifierBackend>(
    msg: &PKIMessage<'a>,
    secret: Option<&[u8]>,
    certs: &[&[u8]],
    backend: &B,
    opts: &VerifyOptions,
) -> Result<VerifiedProtection<'a>, ProtectionError> {
    match ProtectionKind::of(msg) {
        None => Err(ProtectionError::Unprotected {
            missing: "protectionAlg",
        }),
        Some(ProtectionKind::SharedSecretMac) => {
            let secret = secret.ok_or(ProtectionError::MissingCredentials {
                needed: "the shared secret",
            })?;
            verify_mac(msg, secret, opts).map(VerifiedProtection::Mac)
        }
        Some(ProtectionKind::KeyAgreementMac)
            if msg.header.protection_alg.as_ref().map(|a| a.algorithm)
                == Some((&ids::ID_KEM_BASED_MAC).into()) =>
        {
            let secret = secret.ok_or(ProtectionError::MissingCredentials {
                needed: "the KEM shared secret",
            })?;
            verify_kem_mac(msg, secret, opts).map(VerifiedProtection::KemMac)
        }
        Some(ProtectionKind::KeyAgreementMac) => Err(ProtectionError::UnknownAlgorithm {
            field: "protectionAlg",
            algorithm: msg
                .header
                .protection_alg
                .as_ref()
                .map(|a| oid_name(a.algorithm))
                .unwrap_or_default(),
        }),
        Some(ProtectionKind::Signature) => {
            verify_signature_with(msg, certs, backend, opts).map(VerifiedProtection::Signature)
        }
    }
}
