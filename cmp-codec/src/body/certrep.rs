//! `CertRepMessage` (ip, cp, kup, ccp) and `KeyRecRepContent` (krp), RFC 9810 5.3.4, 5.3.8.

use crate::crmf::{EncryptedKey, PKIPublicationInfo};
use crate::direct::{
    any, end, field, int_field, optional, optional_explicit, optional_explicit_any,
};
use crate::raw::Certificate;
use crate::status::PKIStatusInfo;
use crate::SeqOf;

direct_sequence! {
    /// `CertRepMessage`.
    pub struct CertRepMessage<'a> {
        #[explicit(1)]
        pub ca_pubs: Option<SeqOf<'a, Certificate<'a>, 1>>,
        pub response: SeqOf<'a, CertResponse<'a>>,
    }
    direct: cert_rep_message;
}

fn cert_rep_message(data: &[u8]) -> Option<CertRepMessage<'_>> {
    let mut r = data;
    let v = CertRepMessage {
        ca_pubs: optional_explicit::<_, 1>(&mut r)?,
        response: field(&mut r)?,
    };
    end(r, v)
}

direct_sequence! {
    /// `CertResponse`. `certReqId` is -1 when answering a `p10cr` (RFC 9810).
    pub struct CertResponse<'a> {
        pub cert_req_id: i64,
        pub status: PKIStatusInfo<'a>,
        pub certified_key_pair: Option<CertifiedKeyPair<'a>>,
        pub rsp_info: Option<&'a [u8]>,
    }
    direct: cert_response;
}

fn cert_response(data: &[u8]) -> Option<CertResponse<'_>> {
    let mut r = data;
    let v = CertResponse {
        cert_req_id: int_field(&mut r)?,
        status: field(&mut r)?,
        certified_key_pair: optional(&mut r)?,
        rsp_info: optional(&mut r)?,
    };
    end(r, v)
}

direct_sequence! {
    /// `CertifiedKeyPair`; `EncryptedKey` is a CHOICE and the module is EXPLICIT: both tags
    /// explicit.
    pub struct CertifiedKeyPair<'a> {
        pub cert_or_enc_cert: CertOrEncCert<'a>,
        #[explicit(0)]
        pub private_key: Option<EncryptedKey<'a>>,
        #[explicit(1)]
        pub publication_info: Option<PKIPublicationInfo<'a>>,
    }
    direct: certified_key_pair;
}

fn certified_key_pair(data: &[u8]) -> Option<CertifiedKeyPair<'_>> {
    let mut r = data;
    let v = CertifiedKeyPair {
        cert_or_enc_cert: any(&mut r)?,
        private_key: optional_explicit_any::<_, 0>(&mut r)?,
        publication_info: optional_explicit::<_, 1>(&mut r)?,
    };
    end(r, v)
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
