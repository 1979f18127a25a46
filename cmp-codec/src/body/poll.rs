//! Polling request and response (RFC 9810 5.3.22).

use crate::common::PKIFreeText;
use crate::direct::{end, int_field, optional};
use crate::SeqOf;

/// `PollReqContent ::= SEQUENCE OF SEQUENCE { certReqId INTEGER }`.
pub type PollReqContent<'a> = SeqOf<'a, PollReq>;

direct_sequence! {
    /// One element of [`PollReqContent`].
    pub struct PollReq {
        pub cert_req_id: i64,
    }
    direct: poll_req;
}

fn poll_req(data: &[u8]) -> Option<PollReq> {
    let mut r = data;
    let v = PollReq {
        cert_req_id: int_field(&mut r)?,
    };
    end(r, v)
}

/// `PollRepContent ::= SEQUENCE OF SEQUENCE { certReqId, checkAfter, reason OPTIONAL }`.
pub type PollRepContent<'a> = SeqOf<'a, PollRep<'a>>;

direct_sequence! {
    /// One element of [`PollRepContent`].
    pub struct PollRep<'a> {
        pub cert_req_id: i64,
        /// Seconds.
        pub check_after: i64,
        pub reason: Option<PKIFreeText<'a>>,
    }
    direct: poll_rep;
}

fn poll_rep(data: &[u8]) -> Option<PollRep<'_>> {
    let mut r = data;
    let v = PollRep {
        cert_req_id: int_field(&mut r)?,
        check_after: int_field(&mut r)?,
        reason: optional(&mut r)?,
    };
    end(r, v)
}
