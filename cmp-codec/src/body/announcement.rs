//! CA key update, certificate and CRL announcements (RFC 9810 5.3.13, 5.3.14, 5.3.16).

use crate::itav::RootCaKeyUpdateContent;
use crate::raw::{Certificate, CertificateList};
use crate::SeqOf;

/// `CAKeyUpdAnnContent` (deprecated with cmp2021, still the `cAKeyUpdAnnV2` alternative).
#[derive(asn1::Asn1Read, asn1::Asn1Write, Clone, Debug, PartialEq, Eq)]
pub struct CAKeyUpdAnnContent<'a> {
    pub old_with_new: Certificate<'a>,
    pub new_with_old: Certificate<'a>,
    pub new_with_new: Certificate<'a>,
}

/// `CAKeyUpdContent ::= CHOICE { cAKeyUpdAnnV2 CAKeyUpdAnnContent, cAKeyUpdAnnV3 [0]
/// RootCaKeyUpdateContent }` (RFC 9810).
#[derive(asn1::Asn1Read, asn1::Asn1Write, Clone, Debug, PartialEq, Eq)]
pub enum CAKeyUpdContent<'a> {
    CAKeyUpdAnnV2(CAKeyUpdAnnContent<'a>),
    #[explicit(0)]
    CAKeyUpdAnnV3(RootCaKeyUpdateContent<'a>),
}

/// `CertAnnContent ::= CMPCertificate`.
pub type CertAnnContent<'a> = Certificate<'a>;

/// `CRLAnnContent ::= SEQUENCE OF CertificateList`.
pub type CRLAnnContent<'a> = SeqOf<'a, CertificateList<'a>>;
