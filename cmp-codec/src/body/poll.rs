//! Polling request and response (RFC 9810 5.3.22).

use crate::common::PKIFreeText;
use crate::SeqOf;

/// `PollReqContent ::= SEQUENCE OF SEQUENCE { certReqId INTEGER }`.
pub type PollReqContent<'a> = SeqOf<'a, PollReq>;

/// One element of [`PollReqContent`].
#[derive(asn1::Asn1Read, asn1::Asn1Write, Clone, Debug, PartialEq, Eq)]
pub struct PollReq {
    pub cert_req_id: i64,
}

/// `PollRepContent ::= SEQUENCE OF SEQUENCE { certReqId, checkAfter, reason OPTIONAL }`.
pub type PollRepContent<'a> = SeqOf<'a, PollRep<'a>>;

/// One element of [`PollRepContent`].
#[derive(asn1::Asn1Read, asn1::Asn1Write, Clone, Debug, PartialEq, Eq)]
pub struct PollRep<'a> {
    pub cert_req_id: i64,
    /// Seconds.
    pub check_after: i64,
    pub reason: Option<PKIFreeText<'a>>,
}
