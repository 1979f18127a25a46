//! Negative answers: the failInfo bit and text for each failed check (RFC 9483 sections 3.5,
//! 3.6.4 and the failInfo table of the requirement matrix, section 12), and how they map to a
//! `PKIStatusInfo`.
//!
//! | check | bit |
//! |---|---|
//! | message does not parse | badDataFormat |
//! | pvno not 2 or 3 | unsupportedVersion |
//! | transactionID missing | badDataFormat |
//! | senderNonce missing or shorter than 128 bits | badSenderNonce |
//! | recipNonce missing or not our last senderNonce | badRecipientNonce |
//! | messageTime too far from our clock | badTime |
//! | protection missing or not verifying, senderKID not matching, sender not the signer | badMessageCheck |
//! | unknown protection or POP algorithm | badAlg |
//! | signer certificate without a path to the trust anchor, expired, revoked, no digitalSignature | signerNotTrusted |
//! | MAC where a signature is required, or the kind changes within an operation | wrongIntegrity |
//! | transactionID of an open or recent operation reused by a new one | transactionIdInUse |
//! | message type not expected here (no open transaction, wrong state, response types) | badRequest |
//! | more than one request in ir/cr/kur/rr/genm/certConf, certReqId not 0 | badRequest |
//! | template without key or name, bad version, unsupported key | badCertTemplate |
//! | POP missing, wrong or not allowed (raVerified unless configured, poposkInput) | badPOP |
//! | raVerified from a requester that is no RA | notAuthorized |
//! | kur oldCertID / rr certDetails / certConf certHash or certReqId naming no such certificate | badCertId |
//! | rr or kur signed by another certificate than the one concerned | notAuthorized |
//! | rr for a revoked certificate | certRevoked |
//! | too many open transactions | systemUnavail |

use cmp_codec::builder::free_text;
use cmp_codec::{FailureBit, PKIFailureInfo, PKIStatus, PKIStatusInfo};

/// Why a request is refused: the failInfo bit and a statusString.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reject {
    /// The failInfo bit.
    pub bit: FailureBit,
    /// Human-readable reason, sent as statusString.
    pub text: String,
}

impl Reject {
    /// A refusal with this bit and text.
    pub fn new(bit: FailureBit, text: impl Into<String>) -> Self {
        Reject {
            bit,
            text: text.into(),
        }
    }

    /// `PKIStatusInfo` with status rejection, the failInfo bit and the text.
    pub fn status_info(&self) -> PKIStatusInfo<'_> {
        PKIStatusInfo {
            status: PKIStatus::REJECTION,
            status_string: free_text(&[self.text.as_str()]).ok(),
            fail_info: Some(PKIFailureInfo::from_bits(&[self.bit])),
        }
    }
}

/// Shorthands.
pub(crate) fn bad_request(text: impl Into<String>) -> Reject {
    Reject::new(FailureBit::BadRequest, text)
}

pub(crate) fn bad_data_format(text: impl Into<String>) -> Reject {
    Reject::new(FailureBit::BadDataFormat, text)
}

pub(crate) fn bad_message_check(text: impl Into<String>) -> Reject {
    Reject::new(FailureBit::BadMessageCheck, text)
}

pub(crate) fn bad_cert_template(text: impl Into<String>) -> Reject {
    Reject::new(FailureBit::BadCertTemplate, text)
}

pub(crate) fn bad_pop(text: impl Into<String>) -> Reject {
    Reject::new(FailureBit::BadPOP, text)
}

pub(crate) fn bad_cert_id(text: impl Into<String>) -> Reject {
    Reject::new(FailureBit::BadCertId, text)
}

pub(crate) fn not_authorized(text: impl Into<String>) -> Reject {
    Reject::new(FailureBit::NotAuthorized, text)
}

pub(crate) fn signer_not_trusted(text: impl Into<String>) -> Reject {
    Reject::new(FailureBit::SignerNotTrusted, text)
}

pub(crate) fn wrong_integrity(text: impl Into<String>) -> Reject {
    Reject::new(FailureBit::WrongIntegrity, text)
}
