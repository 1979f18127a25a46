//! Certificate confirmation (RFC 9810 5.3.18).

use crate::common::AlgorithmIdentifier;
use crate::status::PKIStatusInfo;
use crate::SeqOf;

/// `CertConfirmContent ::= SEQUENCE OF CertStatus`.
pub type CertConfirmContent<'a> = SeqOf<'a, CertStatus<'a>>;

/// `CertStatus`, with RFC 9480's `hashAlg [0]`.
#[derive(asn1::Asn1Read, asn1::Asn1Write, Clone, Debug, PartialEq, Eq)]
pub struct CertStatus<'a> {
    pub cert_hash: &'a [u8],
    pub cert_req_id: i64,
    pub status_info: Option<PKIStatusInfo<'a>>,
    #[explicit(0)]
    pub hash_alg: Option<AlgorithmIdentifier<'a>>,
}
