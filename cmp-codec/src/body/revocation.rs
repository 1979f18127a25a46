//! Revocation request, response and announcement (RFC 9810 5.3.9, 5.3.10, 5.3.15).

use crate::common::{CertId, Extensions};
use crate::crmf::CertTemplate;
use crate::direct::{end, field, optional, optional_explicit};
use crate::raw::CertificateList;
use crate::status::{PKIStatus, PKIStatusInfo};
use crate::time::GeneralizedTime;
use crate::SeqOf;

/// `RevReqContent ::= SEQUENCE OF RevDetails`.
pub type RevReqContent<'a> = SeqOf<'a, RevDetails<'a>>;

direct_sequence! {
    /// `RevDetails`.
    pub struct RevDetails<'a> {
        pub cert_details: CertTemplate<'a>,
        pub crl_entry_details: Option<Extensions<'a>>,
    }
    direct: rev_details;
}

fn rev_details(data: &[u8]) -> Option<RevDetails<'_>> {
    let mut r = data;
    let v = RevDetails {
        cert_details: field(&mut r)?,
        crl_entry_details: optional(&mut r)?,
    };
    end(r, v)
}

direct_sequence! {
    /// `RevRepContent`.
    pub struct RevRepContent<'a> {
        pub status: SeqOf<'a, PKIStatusInfo<'a>, 1>,
        #[explicit(0)]
        pub rev_certs: Option<SeqOf<'a, CertId<'a>, 1>>,
        #[explicit(1)]
        pub crls: Option<SeqOf<'a, CertificateList<'a>, 1>>,
    }
    direct: rev_rep_content;
}

fn rev_rep_content(data: &[u8]) -> Option<RevRepContent<'_>> {
    let mut r = data;
    let v = RevRepContent {
        status: field(&mut r)?,
        rev_certs: optional_explicit::<_, 0>(&mut r)?,
        crls: optional_explicit::<_, 1>(&mut r)?,
    };
    end(r, v)
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
