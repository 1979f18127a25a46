//! Revocation request, response and announcement (RFC 9810 5.3.9, 5.3.10, 5.3.15).

use crate::common::{CertId, Extensions};
use crate::crmf::CertTemplate;
use crate::raw::CertificateList;
use crate::status::{PKIStatus, PKIStatusInfo};
use crate::time::GeneralizedTime;
use crate::SeqOf;

/// `RevReqContent ::= SEQUENCE OF RevDetails`.
pub type RevReqContent<'a> = SeqOf<'a, RevDetails<'a>>;

/// `RevDetails`.
#[derive(asn1::Asn1Read, asn1::Asn1Write, Clone, Debug, PartialEq, Eq)]
pub struct RevDetails<'a> {
    pub cert_details: CertTemplate<'a>,
    pub crl_entry_details: Option<Extensions<'a>>,
}

/// `RevRepContent`.
#[derive(asn1::Asn1Read, asn1::Asn1Write, Clone, Debug, PartialEq, Eq)]
pub struct RevRepContent<'a> {
    pub status: SeqOf<'a, PKIStatusInfo<'a>, 1>,
    #[explicit(0)]
    pub rev_certs: Option<SeqOf<'a, CertId<'a>, 1>>,
    #[explicit(1)]
    pub crls: Option<SeqOf<'a, CertificateList<'a>, 1>>,
}

/// `RevAnnContent`.
#[derive(asn1::Asn1Read, asn1::Asn1Write, Clone, Debug, PartialEq, Eq)]
pub struct RevAnnContent<'a> {
    pub status: PKIStatus,
    pub cert_id: CertId<'a>,
    pub will_be_revoked_at: GeneralizedTime<'a>,
    pub bad_since_date: GeneralizedTime<'a>,
    pub crl_details: Option<Extensions<'a>>,
}
