//! Parameters of the protection algorithms: `PBMParameter`, `DHBMParameter`, `KemBMParameter`
//! and `KemOtherInfo` (RFC 9810), and PBMAC1 with PBKDF2 (RFC 8018, as profiled by RFC 9481).
//!
//! Iteration counts and lengths are read as `u64`; a value that does not fit fails to parse.
//! Limits on what is acceptable (e.g. a maximum iteration count) belong to the verifier.

use crate::common::{AlgorithmIdentifier, PKIFreeText};

/// `PBMParameter` (RFC 9810 5.1.3.1): parameters of `id-PasswordBasedMac`.
#[derive(asn1::Asn1Read, asn1::Asn1Write, Clone, Debug, PartialEq, Eq)]
pub struct PBMParameter<'a> {
    pub salt: &'a [u8],
    pub owf: AlgorithmIdentifier<'a>,
    pub iteration_count: u64,
    pub mac: AlgorithmIdentifier<'a>,
}

/// `DHBMParameter` (RFC 9810 5.1.3.2).
#[derive(asn1::Asn1Read, asn1::Asn1Write, Clone, Debug, PartialEq, Eq)]
pub struct DHBMParameter<'a> {
    pub owf: AlgorithmIdentifier<'a>,
    pub mac: AlgorithmIdentifier<'a>,
}

/// `KemBMParameter` (RFC 9810 5.1.3.4): parameters of `id-KemBasedMac`.
#[derive(asn1::Asn1Read, asn1::Asn1Write, Clone, Debug, PartialEq, Eq)]
pub struct KemBMParameter<'a> {
    pub kdf: AlgorithmIdentifier<'a>,
    #[explicit(0)]
    pub kem_context: Option<&'a [u8]>,
    pub len: u64,
    pub mac: AlgorithmIdentifier<'a>,
}

/// `KemOtherInfo` (RFC 9810 5.1.3.4): the KDF context of KEM-based MAC.
#[derive(asn1::Asn1Read, asn1::Asn1Write, Clone, Debug, PartialEq, Eq)]
pub struct KemOtherInfo<'a> {
    /// MUST be `"CMP-KEM"`.
    pub static_string: PKIFreeText<'a>,
    pub transaction_id: &'a [u8],
    #[explicit(0)]
    pub kem_context: Option<&'a [u8]>,
}

/// `PBMAC1-params` (RFC 8018 A.5).
#[derive(asn1::Asn1Read, asn1::Asn1Write, Clone, Debug, PartialEq, Eq)]
pub struct PBMAC1Params<'a> {
    pub key_derivation_func: AlgorithmIdentifier<'a>,
    pub message_auth_scheme: AlgorithmIdentifier<'a>,
}

/// `PBKDF2-params` (RFC 8018 A.2). An absent `prf` means `hmacWithSHA1` (the DEFAULT).
#[derive(asn1::Asn1Read, asn1::Asn1Write, Clone, Debug, PartialEq, Eq)]
pub struct PBKDF2Params<'a> {
    pub salt: PBKDF2Salt<'a>,
    pub iteration_count: u64,
    /// In octets per RFC 8018. Some servers write it in bits (see the crate README).
    pub key_length: Option<u64>,
    pub prf: Option<AlgorithmIdentifier<'a>>,
}

/// The `salt` CHOICE of [`PBKDF2Params`].
#[derive(asn1::Asn1Read, asn1::Asn1Write, Clone, Debug, PartialEq, Eq)]
pub enum PBKDF2Salt<'a> {
    Specified(&'a [u8]),
    OtherSource(AlgorithmIdentifier<'a>),
}
