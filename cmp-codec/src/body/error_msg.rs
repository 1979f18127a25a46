//! Error message content (RFC 9810 5.3.21).

use crate::common::PKIFreeText;
use crate::status::PKIStatusInfo;

/// `ErrorMsgContent`.
#[derive(asn1::Asn1Read, asn1::Asn1Write, Clone, Debug, PartialEq, Eq)]
pub struct ErrorMsgContent<'a> {
    pub pki_status_info: PKIStatusInfo<'a>,
    pub error_code: Option<i64>,
    pub error_details: Option<PKIFreeText<'a>>,
}
