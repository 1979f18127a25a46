//! The X.509 `Certificate` (RFC 5280 4.1) as far as CMP protection reads it: a borrowed view
//! that checks the structure of `TBSCertificate` field by field and gives the subject's public
//! key and subjectKeyIdentifier without allocating.
//!
//! `Name`s stay raw `SEQUENCE`s ([`crate::raw::Name`]) and extensions other than
//! subjectKeyIdentifier are not decoded; for everything else (path validation, names as
//! strings, key usages) decode [`crate::raw::Certificate::to_x509`] with `x509-cert`.
//!
//! ```
//! use cmp_codec::x509::Certificate;
//!
//! /// The signer's key and key identifier from `extraCerts[0]`, borrowed from the message.
//! fn signer_key<'a>(msg: &cmp_codec::PKIMessage<'a>) -> Option<(&'a [u8], Option<&'a [u8]>)> {
//!     let cert = Certificate::parse(msg.extra_certs().next()?.der()).ok()?;
//!     let tbs = cert.tbs_certificate;
//!     Some((tbs.subject_public_key_info.full_data(), tbs.subject_key_identifier()))
//! }
//! # let der = cmp_codec::builder::example_genm();
//! # assert!(signer_key(&cmp_codec::PKIMessage::parse(&der).unwrap()).is_none());
//! ```

use crate::common::{AlgorithmIdentifier, SubjectPublicKeyInfo, Time};
use crate::oid::Oid;
use crate::raw::Name;
use crate::SeqOf;

/// `Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }`.
#[derive(asn1::Asn1Read, Clone, Debug)]
pub struct Certificate<'a> {
    pub tbs_certificate: TBSCertificate<'a>,
    pub signature_algorithm: AlgorithmIdentifier<'a>,
    pub signature_value: asn1::BitString<'a>,
}

impl<'a> Certificate<'a> {
    /// Read a DER certificate; its `subjectPublicKeyInfo` is checked to be one.
    pub fn parse(der: &'a [u8]) -> asn1::ParseResult<Self> {
        let cert = asn1::parse_single::<Certificate<'a>>(der)?;
        cert.tbs_certificate
            .subject_public_key_info
            .parse::<SubjectPublicKeyInfo<'a>>()?;
        Ok(cert)
    }
}

/// `TBSCertificate` (RFC 5280 4.1). `subjectPublicKeyInfo` is kept as its TLV so that its DER
/// can be handed on as received.
#[derive(asn1::Asn1Read, Clone, Debug)]
pub struct TBSCertificate<'a> {
    /// `version [0] Version DEFAULT v1`: absent for v1 (the value is not interpreted).
    #[explicit(0)]
    pub version: Option<u8>,
    pub serial_number: asn1::BigInt<'a>,
    pub signature: AlgorithmIdentifier<'a>,
    pub issuer: Name<'a>,
    pub validity: Validity,
    pub subject: Name<'a>,
    pub subject_public_key_info: asn1::Tlv<'a>,
    #[implicit(1)]
    pub issuer_unique_id: Option<asn1::BitString<'a>>,
    #[implicit(2)]
    pub subject_unique_id: Option<asn1::BitString<'a>>,
    #[explicit(3)]
    pub extensions: Option<SeqOf<'a, Extension<'a>, 1>>,
}

/// `Extension` (RFC 5280 4.1) as certificates in the field write it: `critical` is read whether
/// or not its DEFAULT `FALSE` is encoded (DER says not to; some CAs do, and `x509-cert`, which
/// the signer search used before, accepts it). [`crate::common::Extension`] stays strict.
#[derive(asn1::Asn1Read, Clone, Debug, PartialEq, Eq, Hash)]
pub struct Extension<'a> {
    pub extn_id: Oid<'a>,
    pub critical: Option<bool>,
    pub extn_value: &'a [u8],
}

/// `Validity ::= SEQUENCE { notBefore Time, notAfter Time }`.
#[derive(asn1::Asn1Read, Clone, Debug)]
pub struct Validity {
    pub not_before: Time,
    pub not_after: Time,
}

impl<'a> TBSCertificate<'a> {
    /// The `keyIdentifier` of the subjectKeyIdentifier extension (RFC 5280 4.2.1.2); `None`
    /// when there is none, when there are two (RFC 5280 4.2 forbids it), or when its value is
    /// not an `OCTET STRING`.
    pub fn subject_key_identifier(&self) -> Option<&'a [u8]> {
        let mut skis = self
            .extensions
            .as_ref()?
            .iter()
            .filter(|e| e.extn_id == crate::oid::ID_CE_SUBJECT_KEY_IDENTIFIER);
        match (skis.next(), skis.next()) {
            (Some(e), None) => asn1::parse_single::<&'a [u8]>(e.extn_value).ok(),
            _ => None,
        }
    }
}
