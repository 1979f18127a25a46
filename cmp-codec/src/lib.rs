//! Zero-copy DER codec for the Certificate Management Protocol: every type of the PKIXCMP-2023
//! ASN.1 module (RFC 9810 Appendix F) and the CRMF types it uses (PKIXCRMF-2009, RFC 4211),
//! on the [`asn1`] crate (rust-asn1).
//!
//! * [`PKIMessage::parse`] borrows from the input and allocates nothing; it keeps the exact DER
//!   of header and body so protection is checked over the received bytes.
//! * [`PKIMessage::encode`] writes DER from the typed fields; for every input the parser accepts,
//!   parse then encode gives back the same bytes.
//! * Certificates, CRLs, PKCS#10 requests, names and CMS structures stay borrowed raw TLVs
//!   ([`raw`]); hand their [`raw::Certificate::der`] bytes to `x509-cert` when needed.
//! * Errors name the ASN.1 field path and the byte offset ([`DecodeError`]); nesting depth
//!   ([`MAX_NESTING_DEPTH`]) and input size ([`MAX_MESSAGE_SIZE`]) are capped.
//!
//! The module layout follows the ASN.1: [`header`], [`body`] (one file per group of bodies),
//! [`crmf`], [`status`], [`itav`], [`protection`], [`common`] (PKIX imports), [`raw`],
//! [`x509`] (the certificate fields protection reads); [`der`] writes raw TLVs for what no
//! type models.
#![forbid(unsafe_code)]
// `asn1::ParseError` is 136 bytes (upstream); the derives return it from every closure.
#![allow(clippy::result_large_err)]
// Boxing the large CHOICE alternatives would allocate while parsing, which the codec never does.
#![allow(clippy::large_enum_variant)]

#[macro_use]
mod choice;
#[macro_use]
mod sequence;
pub mod body;
pub mod builder;
pub mod common;
pub mod crmf;
pub mod der;
mod direct;
mod error;
pub mod header;
pub mod itav;
mod message;
pub mod oid;
pub mod protection;
pub mod raw;
mod seq;
pub mod status;
pub mod time;
pub mod x509;

pub use body::PKIBody;
pub use common::{AlgorithmIdentifier, GeneralName};
pub use error::{describe_tag, DecodeError, ErrorKind};
pub use header::PKIHeader;
pub use message::{HeaderView, PKIMessage, MAX_MESSAGE_SIZE, MAX_NESTING_DEPTH};
pub use oid::Oid;
pub use protection::ProtectedPart;
pub use seq::{Element, Received, SeqOf, SeqOfIter};
pub use status::{FailureBit, PKIFailureInfo, PKIStatus, PKIStatusInfo};
pub use time::{GeneralizedTime, UtcDateTime};

pub use asn1;
