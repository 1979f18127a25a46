//! Message protection (RFC 9810 5.1.3): the parameter types of the MAC algorithms, the
//! `ProtectedPart` whose DER encoding is MACed or signed, and verifying and computing
//! protection.
//!
//! * Either: [`verify_protection`] dispatches on `protectionAlg` ([`ProtectionKind`]).
//! * MAC: [`verify_mac`] and [`protect_with_mac`] for PasswordBasedMac and PBMAC1
//!   ([`MacAlgorithm`]), limited by [`VerifyOptions`].
//! * Signature: [`verify_signature`] (signer found among `extraCerts` and caller-supplied
//!   certificates, RustCrypto backend) or [`verify_signature_with`] (any [`VerifierBackend`]), and
//!   [`protect_with_signature`] with any [`signature::Signer`] (an HSM, a KMS, a RustCrypto key).
//! * Proof-of-possession: [`verify_popo`], [`verify_p10cr`]; certificate confirmation:
//!   [`cert_hash`], [`verify_cert_hash`].
//!
//! Verification always runs over the received bytes ([`ProtectedPart::chunks`]) and never
//! copies the message (except for Ed448, whose crate has no streaming API).
//!
//! * KEM-based MAC (RFC 9810 5.1.3.4): [`KemEncapsulation`] (the verifier encapsulates to the
//!   key owner's certificate), [`KemDecapsulationKey`] (the owner decapsulates),
//!   [`protect_with_kem_mac`], [`verify_kem_mac`], [`kem_other_info_der`]; see the `kem` module
//!   documentation for the message flow.
//!
//! * Trust: [`verify_protection_trusted`] and [`validate_certificate`] validate the signer
//!   certificate's path to trust anchors at a given time ([`ChainPolicy`], RFC 5280 via
//!   `certval`), its keyUsage and a required EKU (RFC 9483 3.5); failures are
//!   [`ProtectionError::UntrustedSigner`] with a [`ChainError`] naming the rule.
//!
//! Not done here yet: DH-based MAC (RFC 9810 5.1.3.2), KMAC.

mod alg;
mod cert_hash;
#[cfg(feature = "chain")]
mod chain;
mod chain_error;
mod error;
mod kem;
mod mac;
mod params;
mod pop;
mod protect;
mod sig;
mod signer;
mod verify;

pub use alg::{DigestBytes, HashAlg, HmacAlg};
pub use cert_hash::{cert_hash, cert_hash_algorithm, verify_cert_hash, CertHashAlg};
#[cfg(feature = "chain")]
pub use chain::{
    signer_subject, validate_certificate, validate_certificate_with, verify_protection_trusted,
    verify_protection_trusted_with, verify_signature_trusted, verify_signature_trusted_with,
    ChainPolicy, TrustedSigner, ValidatedPath, ID_KP_CMC_CA, ID_KP_CMC_RA, MAX_CHAIN_CANDIDATES,
    MAX_CHAIN_DEPTH, MAX_PATHS_TRIED, MAX_TRUST_ANCHORS,
};
pub use chain_error::ChainError;
pub use error::ProtectionError;
pub use kem::{
    find_kem_ciphertext_info, kem_other_info_der, protect_with_kem_mac, protect_with_kem_mac_key,
    verify_kem_mac, verify_kem_mac_with_key, KdfAlg, KemAlgorithm, KemBasedMac, KemEncapsulation,
    KemMacKey, KEM_OTHER_INFO_STATIC_STRING, MAX_KEM_MAC_KEY_LEN,
};
#[cfg(feature = "ml-kem")]
pub use kem::{KemDecapsulationKey, KemSharedSecret};
pub use mac::{
    verify_mac, verify_mac_with_key, MacAlgorithm, MacKey, PBMAC1_MAX_KEY_LENGTH,
    PBMAC1_MAX_KEY_LENGTH_BITS,
};
pub use pop::{
    verify_cert_req_msg_popo, verify_cert_req_msg_popo_with, verify_p10cr, verify_pkcs10,
    verify_popo, verify_popo_with, PopOutcome,
};
pub use protect::{protect_with_mac, protect_with_signature};
pub use sig::{
    RustCryptoBackend, RustCryptoVerifyingKey, SignatureAlgorithm, SignatureBytes, VerifierBackend,
};
pub use signer::{
    verify_signature, verify_signature_with, verify_signature_with_cert,
    verify_signature_with_verifier, SignerMatch, SignerSource, VerifiedSigner,
};
pub use verify::{verify_protection, verify_protection_with, ProtectionKind, VerifiedProtection};

/// OIDs used by the protection code that `crate::oid` does not define.
pub mod oids {
    pub use super::alg::{
        ECDSA_WITH_SHA1, ECDSA_WITH_SHA224, ID_CE_SUBJECT_KEY_IDENTIFIER, ID_MGF1, SECP256R1,
        SECP384R1, SECP521R1, SHA224_WITH_RSA,
    };
    pub use super::kem::{
        ID_ALG_HKDF_WITH_SHA256, ID_ALG_HKDF_WITH_SHA384, ID_ALG_HKDF_WITH_SHA512,
        ID_ALG_ML_KEM_1024, ID_ALG_ML_KEM_512, ID_ALG_ML_KEM_768, ID_KDF_KDF2,
    };
}

/// Default cap on PBM / PBKDF2 `iterationCount`. Real samples use up to 262,144 (Siemens,
/// PBM with SHA-512); each PBM iteration is one hash, so a million stays well under a second.
pub const DEFAULT_MAX_ITERATION_COUNT: u64 = 1_000_000;

/// Default cap on the PBM / PBKDF2 salt length in bytes.
pub const DEFAULT_MAX_SALT_LEN: usize = 1024;

/// Limits and interoperability switches for verification.
///
/// ```
/// use cmp_codec::protection::VerifyOptions;
/// let opts = VerifyOptions {
///     pbmac1_key_length_in_bits_fallback: true,
///     ..VerifyOptions::default()
/// };
/// assert_eq!(opts.max_iteration_count, 1_000_000);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifyOptions {
    /// Messages whose PBM or PBKDF2 `iterationCount` exceeds this are rejected with
    /// [`ProtectionError::IterationCountTooLarge`] before any hashing. Default
    /// [`DEFAULT_MAX_ITERATION_COUNT`].
    pub max_iteration_count: u64,
    /// Longer salts are rejected with [`ProtectionError::SaltTooLong`]. Default
    /// [`DEFAULT_MAX_SALT_LEN`].
    pub max_salt_len: usize,
    /// RFC 8018 counts PBMAC1 `keyLength` in octets, and by default a value above
    /// [`PBMAC1_MAX_KEY_LENGTH`] (64) is rejected with [`ProtectionError::Pbmac1KeyLength`].
    /// At least one real server writes it in bits (the Siemens sample with `keyLength` 4096
    /// verifies only with a 512-octet key). With this switch on, a `keyLength` above 64 that is
    /// a multiple of 8 and at most [`PBMAC1_MAX_KEY_LENGTH_BITS`] is read as bits instead.
    /// Default `false`.
    pub pbmac1_key_length_in_bits_fallback: bool,
    /// Accept SHA-1 based signatures (`sha1WithRSAEncryption`, `ecdsa-with-SHA1`, RSASSA-PSS
    /// with SHA-1) when verifying. Default `true`: legacy CAs (EJBCA, Insta) still sign with
    /// them. SHA-1 in PBM / HMAC is always accepted (HMAC-SHA-1 is not broken).
    pub allow_sha1_signatures: bool,
    /// At most this many of a message's `extraCerts` are decoded and tried as signer
    /// certificates (the caller's own are always tried), which bounds the work a message with
    /// many `extraCerts` can cause.
    /// Default [`DEFAULT_MAX_SIGNER_CANDIDATES`].
    pub max_signer_candidates: usize,
}

/// Default cap on the signer certificates tried per message.
pub const DEFAULT_MAX_SIGNER_CANDIDATES: usize = 32;

impl Default for VerifyOptions {
    fn default() -> Self {
        VerifyOptions {
            max_iteration_count: DEFAULT_MAX_ITERATION_COUNT,
            max_salt_len: DEFAULT_MAX_SALT_LEN,
            pbmac1_key_length_in_bits_fallback: false,
            allow_sha1_signatures: true,
            max_signer_candidates: DEFAULT_MAX_SIGNER_CANDIDATES,
        }
    }
}

pub use params::{
    DHBMParameter, KemBMParameter, KemOtherInfo, PBKDF2Params, PBKDF2Salt, PBMAC1Params,
    PBMParameter,
};

/// The DER `ProtectedPart ::= SEQUENCE { header PKIHeader, body PKIBody }` of a received message,
/// as the outer `SEQUENCE` header plus the borrowed header and body (adjacent in the message).
/// Feed [`ProtectedPart::chunks`] to a hasher or MAC: no copy of the message is made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProtectedPart<'a> {
    outer: [u8; 6],
    outer_len: usize,
    contents: &'a [u8],
}

impl<'a> ProtectedPart<'a> {
    /// Wrap the DER of a header followed by a body (one slice: in a received `PKIMessage`
    /// they are adjacent, from the header's tag to the end of the body).
    pub fn new(contents: &'a [u8]) -> Self {
        let len = contents.len();
        let mut outer = [0u8; 6];
        outer[0] = 0x30;
        let outer_len = if len < 0x80 {
            outer[1] = len as u8;
            2
        } else {
            // n length octets, written as one fixed-size copy (a variable-length one was a
            // memcpy call whose bytes were read back at once).
            let len = len as u32;
            let n = 4 - len.leading_zeros() as usize / 8;
            outer[1] = 0x80 | n as u8;
            outer[2..].copy_from_slice(&(len << (8 * (4 - n))).to_be_bytes());
            2 + n
        };
        ProtectedPart {
            outer,
            outer_len,
            contents,
        }
    }

    /// The two pieces of the DER encoding, in order: the `SEQUENCE` header and its contents.
    pub fn chunks(&self) -> [&[u8]; 2] {
        [&self.outer[..self.outer_len], self.contents]
    }

    /// Total length of the DER encoding.
    pub fn len(&self) -> usize {
        self.outer_len + self.contents.len()
    }

    /// Never empty (the `SEQUENCE` header is always there).
    pub fn is_empty(&self) -> bool {
        false
    }

    /// The DER encoding as one buffer (allocates; prefer [`ProtectedPart::chunks`]).
    pub fn to_vec(&self) -> Vec<u8> {
        self.chunks().concat()
    }
}
