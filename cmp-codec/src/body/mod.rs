//! `PKIBody` (RFC 9810 5.1.2) and the content types of its 27 alternatives.

mod announcement;
mod certrep;
mod confirm;
mod error_msg;
mod fast;
mod poll;
mod popdec;
mod revocation;

pub use announcement::{CAKeyUpdAnnContent, CAKeyUpdContent, CRLAnnContent, CertAnnContent};
pub use certrep::{
    CertOrEncCert, CertRepMessage, CertResponse, CertifiedKeyPair, KeyRecRepContent,
};
pub use confirm::{CertConfirmContent, CertStatus};
pub use error_msg::ErrorMsgContent;
pub use poll::{PollRep, PollRepContent, PollReq, PollReqContent};
pub use popdec::{Challenge, POPODecKeyChallContent, POPODecKeyRespContent, Rand};
pub use revocation::{RevAnnContent, RevDetails, RevRepContent, RevReqContent};

use crate::crmf::CertReqMessages;
use crate::itav::{InfoTypeAndValue, PKIMessages};
use crate::raw::CertificationRequest;
use crate::SeqOf;

/// `GenMsgContent ::= SEQUENCE OF InfoTypeAndValue`.
pub type GenMsgContent<'a> = SeqOf<'a, InfoTypeAndValue<'a>>;
/// `GenRepContent ::= SEQUENCE OF InfoTypeAndValue`.
pub type GenRepContent<'a> = SeqOf<'a, InfoTypeAndValue<'a>>;
/// `NestedMessageContent ::= PKIMessages`.
pub type NestedMessageContent<'a> = PKIMessages<'a>;

tagged_choice! {
    /// `PKIBody`: every alternative explicitly tagged `[0]`..`[26]`.
    pub enum PKIBody<'a> {
        explicit 0 => Ir(CertReqMessages<'a>),
        explicit 1 => Ip(CertRepMessage<'a>),
        explicit 2 => Cr(CertReqMessages<'a>),
        explicit 3 => Cp(CertRepMessage<'a>),
        explicit 4 => P10cr(CertificationRequest<'a>),
        explicit 5 => Popdecc(POPODecKeyChallContent<'a>),
        explicit 6 => Popdecr(POPODecKeyRespContent<'a>),
        explicit 7 => Kur(CertReqMessages<'a>),
        explicit 8 => Kup(CertRepMessage<'a>),
        explicit 9 => Krr(CertReqMessages<'a>),
        explicit 10 => Krp(KeyRecRepContent<'a>),
        explicit 11 => Rr(RevReqContent<'a>),
        explicit 12 => Rp(RevRepContent<'a>),
        explicit 13 => Ccr(CertReqMessages<'a>),
        explicit 14 => Ccp(CertRepMessage<'a>),
        explicit 15 => Ckuann(CAKeyUpdContent<'a>),
        explicit 16 => Cann(CertAnnContent<'a>),
        explicit 17 => Rann(RevAnnContent<'a>),
        explicit 18 => Crlann(CRLAnnContent<'a>),
        explicit 19 => Pkiconf(asn1::Null),
        explicit 20 => Nested(NestedMessageContent<'a>),
        explicit 21 => Genm(GenMsgContent<'a>),
        explicit 22 => Genp(GenRepContent<'a>),
        explicit 23 => Error(ErrorMsgContent<'a>),
        explicit 24 => CertConf(CertConfirmContent<'a>),
        explicit 25 => PollReq(PollReqContent<'a>),
        explicit 26 => PollRep(PollRepContent<'a>),
    }
}

/// The alternative names of `PKIBody`, indexed by tag number.
pub const BODY_NAMES: [&str; 27] = [
    "ir", "ip", "cr", "cp", "p10cr", "popdecc", "popdecr", "kur", "kup", "krr", "krp", "rr", "rp",
    "ccr", "ccp", "ckuann", "cann", "rann", "crlann", "pkiconf", "nested", "genm", "genp", "error",
    "certConf", "pollReq", "pollRep",
];

/// The name of the alternative with context tag `number` (`?` for a number outside 0..=26).
pub fn body_name(number: u32) -> &'static str {
    usize::try_from(number)
        .ok()
        .and_then(|i| BODY_NAMES.get(i))
        .copied()
        .unwrap_or("?")
}

impl<'a> PKIBody<'a> {
    /// Parse a body from its complete DER TLV (as [`crate::PKIMessage::parse`] does): the
    /// common shapes by a direct reader, everything else, and every error, by rust-asn1's.
    /// The same result as `asn1::parse_single::<PKIBody>(der)`.
    ///
    /// ```
    /// use cmp_codec::PKIBody;
    /// let body = PKIBody::parse_der(&[0xb3, 0x02, 0x05, 0x00])?; // [19] pkiconf NULL
    /// assert_eq!(body.name(), "pkiconf");
    /// # Ok::<(), asn1::ParseError>(())
    /// ```
    pub fn parse_der(der: &'a [u8]) -> asn1::ParseResult<Self> {
        match fast::parse(der) {
            Some(body) => Ok(body),
            None => asn1::parse_single(der),
        }
    }
}

impl PKIBody<'_> {
    /// The context tag number of this alternative (0 for `ir` ... 26 for `pollRep`).
    pub fn tag_number(&self) -> u8 {
        match self {
            PKIBody::Ir(_) => 0,
            PKIBody::Ip(_) => 1,
            PKIBody::Cr(_) => 2,
            PKIBody::Cp(_) => 3,
            PKIBody::P10cr(_) => 4,
            PKIBody::Popdecc(_) => 5,
            PKIBody::Popdecr(_) => 6,
            PKIBody::Kur(_) => 7,
            PKIBody::Kup(_) => 8,
            PKIBody::Krr(_) => 9,
            PKIBody::Krp(_) => 10,
            PKIBody::Rr(_) => 11,
            PKIBody::Rp(_) => 12,
            PKIBody::Ccr(_) => 13,
            PKIBody::Ccp(_) => 14,
            PKIBody::Ckuann(_) => 15,
            PKIBody::Cann(_) => 16,
            PKIBody::Rann(_) => 17,
            PKIBody::Crlann(_) => 18,
            PKIBody::Pkiconf(_) => 19,
            PKIBody::Nested(_) => 20,
            PKIBody::Genm(_) => 21,
            PKIBody::Genp(_) => 22,
            PKIBody::Error(_) => 23,
            PKIBody::CertConf(_) => 24,
            PKIBody::PollReq(_) => 25,
            PKIBody::PollRep(_) => 26,
        }
    }

    /// The alternative's name as in the ASN.1 module (`ir`, `certConf`, `pollRep`, ...).
    pub fn name(&self) -> &'static str {
        BODY_NAMES[self.tag_number() as usize]
    }
}
