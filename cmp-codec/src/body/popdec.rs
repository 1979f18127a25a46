//! Proof of possession by decryption: `popdecc` / `popdecr` (RFC 9810 5.2.8.3).

use crate::common::{AlgorithmIdentifier, GeneralName};
use crate::raw::EnvelopedData;
use crate::SeqOf;

/// `POPODecKeyChallContent ::= SEQUENCE OF Challenge`.
pub type POPODecKeyChallContent<'a> = SeqOf<'a, Challenge<'a>>;

/// `POPODecKeyRespContent ::= SEQUENCE OF INTEGER`.
pub type POPODecKeyRespContent<'a> = SeqOf<'a, asn1::BigInt<'a>>;

/// `Challenge`, with RFC 9810's `encryptedRand [0] EnvelopedData` (explicit: EXPLICIT module).
#[derive(asn1::Asn1Read, asn1::Asn1Write, Clone, Debug, PartialEq, Eq)]
pub struct Challenge<'a> {
    pub owf: Option<AlgorithmIdentifier<'a>>,
    pub witness: &'a [u8],
    pub challenge: &'a [u8],
    #[explicit(0)]
    pub encrypted_rand: Option<EnvelopedData<'a>>,
}

/// `Rand ::= SEQUENCE { int INTEGER, sender GeneralName }`.
#[derive(asn1::Asn1Read, asn1::Asn1Write, Clone, Debug, PartialEq, Eq)]
pub struct Rand<'a> {
    pub int: asn1::BigInt<'a>,
    pub sender: GeneralName<'a>,
}
