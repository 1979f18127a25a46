//! `CertRepMessage` (ip, cp, kup, ccp) and `KeyRecRepContent` (krp), RFC 9810 5.3.4, 5.3.8.

use crate::crmf::{EncryptedKey, PKIPublicationInfo};
use crate::raw::Certificate;
use crate::status::PKIStatusInfo;
use crate::SeqOf;

/// `CertRepMessage`.
#[derive(asn1::Asn1Read, asn1::Asn1Write, Clone, Debug, PartialEq, Eq)]
pub struct CertRepMessage<'a> {
    #[explicit(1)]
    pub ca_pubs: Option<SeqOf<'a, Certificate<'a>, 1>>,
    pub response: SeqOf<'a, CertResponse<'a>>,
}

/// `CertResponse`. `certReqId` is -1 when answering a `p10cr` (RFC 9810).
#[derive(asn1::Asn1Read, asn1::Asn1Write, Clone, Debug, PartialEq, Eq)]
pub struct CertResponse<'a> {
    pub cert_req_id: i64,
    pub status: PKIStatusInfo<'a>,
    pub certified_key_pair: Option<CertifiedKeyPair<'a>>,
    pub rsp_info: Option<&'a [u8]>,
}

/// `CertifiedKeyPair`; `EncryptedKey` is a CHOICE and the module is EXPLICIT: both tags explicit.
#[derive(asn1::Asn1Read, asn1::Asn1Write, Clone, Debug, PartialEq, Eq)]
pub struct CertifiedKeyPair<'a> {
    pub cert_or_enc_cert: CertOrEncCert<'a>,
    #[explicit(0)]
    pub private_key: Option<EncryptedKey<'a>>,
    #[explicit(1)]
    pub publication_info: Option<PKIPublicationInfo<'a>>,
}

tagged_choice! {
    /// `CertOrEncCert` (both alternatives explicit: PKIXCMP is an EXPLICIT TAGS module).
    pub enum CertOrEncCert<'a> {
        explicit 0 => Certificate(Certificate<'a>),
        explicit 1 => EncryptedCert(EncryptedKey<'a>),
    }
}

/// `KeyRecRepContent`.
#[derive(asn1::Asn1Read, asn1::Asn1Write, Clone, Debug, PartialEq, Eq)]
pub struct KeyRecRepContent<'a> {
    pub status: PKIStatusInfo<'a>,
    #[explicit(0)]
    pub new_sig_cert: Option<Certificate<'a>>,
    #[explicit(1)]
    pub ca_certs: Option<SeqOf<'a, Certificate<'a>, 1>>,
    #[explicit(2)]
    pub key_pair_hist: Option<SeqOf<'a, CertifiedKeyPair<'a>, 1>>,
}
