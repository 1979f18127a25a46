//! Certificate confirmation (RFC 9810 5.3.18).

use crate::common::AlgorithmIdentifier;
use crate::direct::{end, field, int_field, optional, optional_explicit};
use crate::status::PKIStatusInfo;
use crate::SeqOf;

/// `CertConfirmContent ::= SEQUENCE OF CertStatus`.
pub type CertConfirmContent<'a> = SeqOf<'a, CertStatus<'a>>;

direct_sequence! {
    /// `CertStatus`, with RFC 9480's `hashAlg [0]`.
    pub struct CertStatus<'a> {
        pub cert_hash: &'a [u8],
        pub cert_req_id: i64,
        pub status_info: Option<PKIStatusInfo<'a>>,
        #[explicit(0)]
        pub hash_alg: Option<AlgorithmIdentifier<'a>>,
    }
    direct: cert_status;
}

fn cert_status(data: &[u8]) -> Option<CertStatus<'_>> {
    let mut r = data;
    let v = CertStatus {
        cert_hash: field(&mut r)?,
        cert_req_id: int_field(&mut r)?,
        status_info: optional(&mut r)?,
        hash_alg: optional_explicit::<_, 0>(&mut r)?,
    };
    end(r, v)
}
