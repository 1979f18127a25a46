//! Error message content (RFC 9810 5.3.21).

use crate::common::PKIFreeText;
use crate::direct::{end, field, optional};
use crate::status::PKIStatusInfo;

direct_sequence! {
    /// `ErrorMsgContent`.
    pub struct ErrorMsgContent<'a> {
        pub pki_status_info: PKIStatusInfo<'a>,
        pub error_code: Option<i64>,
        pub error_details: Option<PKIFreeText<'a>>,
    }
    direct: error_msg_content;
}

fn error_msg_content(data: &[u8]) -> Option<ErrorMsgContent<'_>> {
    let mut r = data;
    let v = ErrorMsgContent {
        pki_status_info: field(&mut r)?,
        error_code: optional(&mut r)?,
        error_details: optional(&mut r)?,
    };
    end(r, v)
}
