//! Parameters of the protection algorithms: `PBMParameter`, `DHBMParameter`, `KemBMParameter`
//! and `KemOtherInfo` (RFC 9810), and PBMAC1 with PBKDF2 (RFC 8018, as profiled by RFC 9481).
//!
//! Iteration counts and lengths are read as `u64`; a value that does not fit fails to parse.
//! Limits on what is acceptable (e.g. a maximum iteration count) belong to the verifier.

use crate::common::{AlgorithmIdentifier, PKIFreeText};

/// `PBMParameter` (RFC 9810 5.1.3.1): parameters of `id-PasswordBasedMac`.
#[derive(asn1::Asn1Read, asn1::Asn1Write, Clone, Debug, PartialEq, Eq)]
pub struct PBMParameter<'a> {
    /// Appended to the shared secret before the first `owf` round.
    pub salt: &'a [u8],
    /// The one-way function (a hash) iterated to form BASEKEY.
    pub owf: AlgorithmIdentifier<'a>,
    /// How many times `owf` is applied.
    pub iteration_count: u64,
    /// The MAC (an HMAC) keyed with BASEKEY.
    pub mac: AlgorithmIdentifier<'a>,
}

/// `DHBMParameter` (RFC 9810 5.1.3.2).
#[derive(asn1::Asn1Read, asn1::Asn1Write, Clone, Debug, PartialEq, Eq)]
pub struct DHBMParameter<'a> {
    /// The one-way function applied to the Diffie-Hellman result.
    pub owf: AlgorithmIdentifier<'a>,
    /// The MAC keyed with its output.
    pub mac: AlgorithmIdentifier<'a>,
}

/// `KemBMParameter` (RFC 9810 5.1.3.4): parameters of `id-KemBasedMac`.
#[derive(asn1::Asn1Read, asn1::Asn1Write, Clone, Debug, PartialEq, Eq)]
pub struct KemBMParameter<'a> {
    /// The key derivation function applied to the KEM shared secret.
    pub kdf: AlgorithmIdentifier<'a>,
    #[explicit(0)]
    /// Optional context for the KDF.
    pub kem_context: Option<&'a [u8]>,
    /// Length in octets of the derived MAC key.
    pub len: u64,
    /// The MAC keyed with the derived key.
    pub mac: AlgorithmIdentifier<'a>,
}

/// `KemOtherInfo` (RFC 9810 5.1.3.4): the KDF context of KEM-based MAC.
#[derive(asn1::Asn1Read, asn1::Asn1Write, Clone, Debug, PartialEq, Eq)]
pub struct KemOtherInfo<'a> {
    /// MUST be `"CMP-KEM"`.
    pub static_string: PKIFreeText<'a>,
    /// The `transactionID` of the message.
    pub transaction_id: &'a [u8],
    /// Optional context, as in [`KemBMParameter`].
    #[explicit(0)]
    pub kem_context: Option<&'a [u8]>,
}

/// `PBMAC1-params` (RFC 8018 A.5).
#[derive(asn1::Asn1Read, asn1::Asn1Write, Clone, Debug, PartialEq, Eq)]
pub struct PBMAC1Params<'a> {
    /// The key derivation function: `id-PBKDF2` with [`PBKDF2Params`].
    pub key_derivation_func: AlgorithmIdentifier<'a>,
    /// The MAC, an HMAC for CMP.
    pub message_auth_scheme: AlgorithmIdentifier<'a>,
}

/// `PBKDF2-params` (RFC 8018 A.2). An absent `prf` means `hmacWithSHA1` (the DEFAULT).
#[derive(asn1::Asn1Read, asn1::Asn1Write, Clone, Debug, PartialEq, Eq)]
pub struct PBKDF2Params<'a> {
    /// The salt (`specified` for CMP).
    pub salt: PBKDF2Salt<'a>,
    /// PBKDF2 iteration count.
    pub iteration_count: u64,
    /// In octets per RFC 8018. Some servers write it in bits: see
    /// [`super::VerifyOptions::pbmac1_key_length_in_bits_fallback`].
    pub key_length: Option<u64>,
    /// The pseudo-random function (an HMAC).
    pub prf: Option<AlgorithmIdentifier<'a>>,
}

/// The `salt` CHOICE of [`PBKDF2Params`].
#[derive(asn1::Asn1Read, asn1::Asn1Write, Clone, Debug, PartialEq, Eq)]
pub enum PBKDF2Salt<'a> {
    /// The salt octets.
    Specified(&'a [u8]),
    /// Reserved by RFC 8018; not supported for verification.
    OtherSource(AlgorithmIdentifier<'a>),
}
