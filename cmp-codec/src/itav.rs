//! `InfoTypeAndValue` (RFC 9810 5.3.19) with typed values for `id-it` 1..24, and the content
//! types those values use: `RootCaKeyUpdateContent`, `CertReqTemplateContent`, `CRLSource`,
//! `CRLStatus` and `KemCiphertextInfo`.
//!
//! The module gives every value as OPTIONAL in practice (requests omit it), so every typed
//! variant holds an `Option`. Unknown `infoType`s keep their value as a raw TLV.

use crate::body::CAKeyUpdAnnContent;
use crate::common::{AlgorithmIdentifier, DistributionPointName, GeneralNames, Time};
use crate::crmf::{CertTemplate, Controls, EncryptedKey};
use crate::raw::{Certificate, CertificateList, RawMessage};
use crate::time::GeneralizedTime;
use crate::{oid, SeqOf};

/// `InfoTypeAndValue ::= SEQUENCE { infoType, infoValue OPTIONAL }`.
///
/// The writer is rust-asn1's derive; the reader is written by hand (same acceptance, same
/// error locations, checked against the derive by a unit test): a typed `infoType` is
/// recognised from its DER bytes, so the OID is only decoded into an
/// [`asn1::ObjectIdentifier`] for [`InfoValue::Other`].
#[derive(asn1::Asn1Write, Clone, Debug, PartialEq, Eq)]
pub struct InfoTypeAndValue<'a> {
    pub info_type: asn1::DefinedByMarker<asn1::ObjectIdentifier>,
    #[defined_by(info_type)]
    pub info_value: InfoValue<'a>,
}

impl<'a> InfoTypeAndValue<'a> {
    /// An ITAV holding `value`; its `infoType` follows from the variant.
    pub fn new(value: InfoValue<'a>) -> Self {
        InfoTypeAndValue {
            info_type: asn1::DefinedByMarker::marker(),
            info_value: value,
        }
    }

    /// The `infoType` OID.
    pub fn info_type(&self) -> asn1::ObjectIdentifier {
        use asn1::Asn1DefinedByWritable;
        self.info_value.item().clone()
    }
}

/// `PKIMessages ::= SEQUENCE SIZE (1..MAX) OF PKIMessage`, each message kept as raw DER (parsed
/// and depth-checked by [`crate::PKIMessage::parse`]).
pub type PKIMessages<'a> = SeqOf<'a, RawMessage<'a>, 1>;

/// The `infoValue` of an [`InfoTypeAndValue`], chosen by `infoType`.
///
/// The writer is rust-asn1's derive over the `defined_by` attributes below; the reader is
/// [`InfoTypeAndValue`]'s, written by hand: it dispatches on the last arc of `id-it` with one
/// `match`, where the derive compares the OID with each of the 22 constants in turn (a
/// 63-byte comparison each), and reads that arc from the OID's DER, so a typed `infoType` is
/// never decoded into an [`asn1::ObjectIdentifier`]. A unit test pins the reader and the
/// writer to the same table; `tests/itav_reader.rs` compares it with the derive's reader.
#[derive(asn1::Asn1DefinedByWrite, Clone, Debug, PartialEq, Eq)]
pub enum InfoValue<'a> {
    #[defined_by(oid::ID_IT_CA_PROT_ENC_CERT)]
    CaProtEncCert(Option<Certificate<'a>>),
    #[defined_by(oid::ID_IT_SIGN_KEY_PAIR_TYPES)]
    SignKeyPairTypes(Option<SeqOf<'a, AlgorithmIdentifier<'a>, 1>>),
    #[defined_by(oid::ID_IT_ENC_KEY_PAIR_TYPES)]
    EncKeyPairTypes(Option<SeqOf<'a, AlgorithmIdentifier<'a>, 1>>),
    #[defined_by(oid::ID_IT_PREFERRED_SYMM_ALG)]
    PreferredSymmAlg(Option<AlgorithmIdentifier<'a>>),
    #[defined_by(oid::ID_IT_CA_KEY_UPDATE_INFO)]
    CaKeyUpdateInfo(Option<CAKeyUpdAnnContent<'a>>),
    #[defined_by(oid::ID_IT_CURRENT_CRL)]
    CurrentCrl(Option<CertificateList<'a>>),
    #[defined_by(oid::ID_IT_UNSUPPORTED_OIDS)]
    UnsupportedOids(Option<SeqOf<'a, asn1::ObjectIdentifier, 1>>),
    #[defined_by(oid::ID_IT_KEY_PAIR_PARAM_REQ)]
    KeyPairParamReq(Option<asn1::ObjectIdentifier>),
    #[defined_by(oid::ID_IT_KEY_PAIR_PARAM_REP)]
    KeyPairParamRep(Option<AlgorithmIdentifier<'a>>),
    #[defined_by(oid::ID_IT_REV_PASSPHRASE)]
    RevPassphrase(Option<EncryptedKey<'a>>),
    #[defined_by(oid::ID_IT_IMPLICIT_CONFIRM)]
    ImplicitConfirm(Option<asn1::Null>),
    #[defined_by(oid::ID_IT_CONFIRM_WAIT_TIME)]
    ConfirmWaitTime(Option<GeneralizedTime<'a>>),
    #[defined_by(oid::ID_IT_ORIG_PKI_MESSAGE)]
    OrigPkiMessage(Option<PKIMessages<'a>>),
    #[defined_by(oid::ID_IT_SUPP_LANG_TAGS)]
    SuppLangTags(Option<SeqOf<'a, asn1::Utf8String<'a>>>),
    #[defined_by(oid::ID_IT_CA_CERTS)]
    CaCerts(Option<SeqOf<'a, Certificate<'a>, 1>>),
    #[defined_by(oid::ID_IT_ROOT_CA_KEY_UPDATE)]
    RootCaKeyUpdate(Option<RootCaKeyUpdateContent<'a>>),
    #[defined_by(oid::ID_IT_CERT_REQ_TEMPLATE)]
    CertReqTemplate(Option<CertReqTemplateContent<'a>>),
    #[defined_by(oid::ID_IT_ROOT_CA_CERT)]
    RootCaCert(Option<Certificate<'a>>),
    #[defined_by(oid::ID_IT_CERT_PROFILE)]
    CertProfile(Option<SeqOf<'a, asn1::Utf8String<'a>, 1>>),
    #[defined_by(oid::ID_IT_CRL_STATUS_LIST)]
    CrlStatusList(Option<SeqOf<'a, CRLStatus<'a>, 1>>),
    #[defined_by(oid::ID_IT_CRLS)]
    Crls(Option<SeqOf<'a, CertificateList<'a>, 1>>),
    #[defined_by(oid::ID_IT_KEM_CIPHERTEXT_INFO)]
    KemCiphertextInfo(Option<KemCiphertextInfo<'a>>),
    /// Any other `infoType`, with its value as received.
    #[default]
    Other(asn1::ObjectIdentifier, Option<asn1::Tlv<'a>>),
}

impl<'a> asn1::SimpleAsn1Readable<'a> for InfoTypeAndValue<'a> {
    const TAG: asn1::Tag = crate::raw::SEQUENCE;

    fn parse_data(data: &'a [u8]) -> asn1::ParseResult<Self> {
        // The common shape first: a typed infoType and, if any, one value TLV that its type's
        // reader accepts, split without rust-asn1's parser. Anything else (and every error)
        // goes through the parser below.
        if let Some(itav) = parse_direct(data) {
            return Ok(itav);
        }
        let at =
            |field| move |e: asn1::ParseError| e.add_location(asn1::ParseLocation::Field(field));
        asn1::parse(data, |p| {
            let info_type = oid::read_der(p).map_err(at("InfoTypeAndValue::info_type"))?;
            let typed = typed_arc(info_type).and_then(|arc| typed_value(arc, &mut ParserValue(p)));
            let info_value = match typed {
                Some(v) => v.map_err(at("InfoTypeAndValue::info_value"))?,
                None => {
                    let oid = asn1::ObjectIdentifier::from_der(info_type)
                        .map_err(at("InfoTypeAndValue::info_type"))?;
                    InfoValue::Other(
                        oid,
                        p.read_element()
                            .map_err(at("InfoTypeAndValue::info_value"))?,
                    )
                }
            };
            Ok(InfoTypeAndValue {
                info_type: asn1::DefinedByMarker::marker(),
                info_value,
            })
        })
    }
}

impl<'a> crate::seq::Element<'a> for InfoTypeAndValue<'a> {
    fn check(tlv: &'a [u8], split: Option<(u8, &'a [u8])>) -> bool {
        crate::seq::check_direct::<Self>(tlv, split, crate::direct::SEQUENCE, reads_directly)
    }
}

/// The last arc of an `infoType` under id-it, from its DER content (every typed infoType is
/// id-it and one arc below 128). `None` for any other OID.
fn typed_arc(info_type: &[u8]) -> Option<u8> {
    oid::arc_under(&oid::ID_IT, info_type)
}

/// The reader of an OPTIONAL `infoValue` of type `T`, for [`typed_value`].
trait ValueReader<'a> {
    type Error;
    fn value<T: asn1::Asn1Readable<'a>>(&mut self) -> Result<Option<T>, Self::Error>;
}

/// Through rust-asn1's parser (every input, every error).
struct ParserValue<'p, 'a>(&'p mut asn1::Parser<'a>);

impl<'a> ValueReader<'a> for ParserValue<'_, 'a> {
    type Error = asn1::ParseError;
    fn value<T: asn1::Asn1Readable<'a>>(&mut self) -> asn1::ParseResult<Option<T>> {
        self.0.read_element()
    }
}

/// Direct: the content after the `infoType` is empty or exactly one TLV of `T`; `Err(())` on
/// anything else (then the parser decides).
struct DirectValue<'a>(&'a [u8]);

impl<'a> ValueReader<'a> for DirectValue<'a> {
    type Error = ();
    #[inline(always)]
    fn value<T: asn1::Asn1Readable<'a>>(&mut self) -> Result<Option<T>, ()> {
        match self.0 {
            [] => Ok(None),
            tlv => asn1::parse_single(tlv).map(Some).map_err(drop),
        }
    }
}

/// Direct, checking only: the value is read as `T` and dropped at once (`Ok(None)`), so that
/// checking an element of a `SEQUENCE OF` builds no 352-byte `InfoTypeAndValue` to move and
/// drop.
struct CheckValue<'a>(&'a [u8]);

impl<'a> ValueReader<'a> for CheckValue<'a> {
    type Error = ();
    #[inline(always)]
    fn value<T: asn1::Asn1Readable<'a>>(&mut self) -> Result<Option<T>, ()> {
        match self.0 {
            [] => Ok(None),
            tlv => asn1::parse_single::<T>(tlv).map(|_| None).map_err(drop),
        }
    }
}

/// Whether [`parse_direct`] reads `data` (its [`CheckValue`] twin).
fn reads_directly(data: &[u8]) -> bool {
    let Some((crate::direct::OID, info_type, rest)) = crate::direct::next(data) else {
        return false;
    };
    typed_arc(info_type)
        .and_then(|arc| typed_value(arc, &mut CheckValue(rest)))
        .is_some_and(|v| v.is_ok())
}

/// [`InfoTypeAndValue`] by [`DirectValue`], `None` when the parser must decide.
fn parse_direct(data: &[u8]) -> Option<InfoTypeAndValue<'_>> {
    let (crate::direct::OID, info_type, rest) = crate::direct::next(data)? else {
        return None;
    };
    Some(InfoTypeAndValue {
        info_type: asn1::DefinedByMarker::marker(),
        info_value: typed_value(typed_arc(info_type)?, &mut DirectValue(rest))?.ok()?,
    })
}

/// The typed `infoValue` for the last arc of its `infoType` under id-it ([`typed_arc`]),
/// read straight into its variant (no intermediate value to move): the one dispatch table of
/// both readers. `None` for an arc without a typed value.
#[inline(always)]
fn typed_value<'a, R: ValueReader<'a>>(
    arc: u8,
    r: &mut R,
) -> Option<Result<InfoValue<'a>, R::Error>> {
    Some(match arc {
        1 => r.value().map(InfoValue::CaProtEncCert),
        2 => r.value().map(InfoValue::SignKeyPairTypes),
        3 => r.value().map(InfoValue::EncKeyPairTypes),
        4 => r.value().map(InfoValue::PreferredSymmAlg),
        5 => r.value().map(InfoValue::CaKeyUpdateInfo),
        6 => r.value().map(InfoValue::CurrentCrl),
        7 => r.value().map(InfoValue::UnsupportedOids),
        10 => r.value().map(InfoValue::KeyPairParamReq),
        11 => r.value().map(InfoValue::KeyPairParamRep),
        12 => r.value().map(InfoValue::RevPassphrase),
        13 => r.value().map(InfoValue::ImplicitConfirm),
        14 => r.value().map(InfoValue::ConfirmWaitTime),
        15 => r.value().map(InfoValue::OrigPkiMessage),
        16 => r.value().map(InfoValue::SuppLangTags),
        17 => r.value().map(InfoValue::CaCerts),
        18 => r.value().map(InfoValue::RootCaKeyUpdate),
        19 => r.value().map(InfoValue::CertReqTemplate),
        20 => r.value().map(InfoValue::RootCaCert),
        21 => r.value().map(InfoValue::CertProfile),
        22 => r.value().map(InfoValue::CrlStatusList),
        23 => r.value().map(InfoValue::Crls),
        24 => r.value().map(InfoValue::KemCiphertextInfo),
        _ => return None,
    })
}

impl InfoValue<'_> {
    /// The ASN.1 name of the info type (`caCerts`, `implicitConfirm`, ...), or `None` for
    /// [`InfoValue::Other`].
    pub fn name(&self) -> Option<&'static str> {
        Some(match self {
            InfoValue::CaProtEncCert(_) => "caProtEncCert",
            InfoValue::SignKeyPairTypes(_) => "signKeyPairTypes",
            InfoValue::EncKeyPairTypes(_) => "encKeyPairTypes",
            InfoValue::PreferredSymmAlg(_) => "preferredSymmAlg",
            InfoValue::CaKeyUpdateInfo(_) => "caKeyUpdateInfo",
            InfoValue::CurrentCrl(_) => "currentCRL",
            InfoValue::UnsupportedOids(_) => "unsupportedOIDs",
            InfoValue::KeyPairParamReq(_) => "keyPairParamReq",
            InfoValue::KeyPairParamRep(_) => "keyPairParamRep",
            InfoValue::RevPassphrase(_) => "revPassphrase",
            InfoValue::ImplicitConfirm(_) => "implicitConfirm",
            InfoValue::ConfirmWaitTime(_) => "confirmWaitTime",
            InfoValue::OrigPkiMessage(_) => "origPKIMessage",
            InfoValue::SuppLangTags(_) => "suppLangTags",
            InfoValue::CaCerts(_) => "caCerts",
            InfoValue::RootCaKeyUpdate(_) => "rootCaKeyUpdate",
            InfoValue::CertReqTemplate(_) => "certReqTemplate",
            InfoValue::RootCaCert(_) => "rootCaCert",
            InfoValue::CertProfile(_) => "certProfile",
            InfoValue::CrlStatusList(_) => "crlStatusList",
            InfoValue::Crls(_) => "crls",
            InfoValue::KemCiphertextInfo(_) => "KemCiphertextInfo",
            InfoValue::Other(..) => return None,
        })
    }
}

/// `RootCaKeyUpdateContent` (RFC 9810 5.3.19.15).
#[derive(asn1::Asn1Read, asn1::Asn1Write, Clone, Debug, PartialEq, Eq)]
pub struct RootCaKeyUpdateContent<'a> {
    pub new_with_new: Certificate<'a>,
    #[explicit(0)]
    pub new_with_old: Option<Certificate<'a>>,
    #[explicit(1)]
    pub old_with_new: Option<Certificate<'a>>,
}

/// `CertReqTemplateContent` (RFC 9810 5.3.19.16).
#[derive(asn1::Asn1Read, asn1::Asn1Write, Clone, Debug, PartialEq, Eq)]
pub struct CertReqTemplateContent<'a> {
    pub cert_template: CertTemplate<'a>,
    pub key_spec: Option<Controls<'a>>,
}

/// `CRLSource ::= CHOICE { dpn [0] DistributionPointName, issuer [1] GeneralNames }`, explicit
/// (PKIXCMP is an EXPLICIT TAGS module).
#[derive(asn1::Asn1Read, asn1::Asn1Write, Clone, Debug, PartialEq, Eq)]
pub enum CRLSource<'a> {
    #[explicit(0)]
    Dpn(DistributionPointName<'a>),
    #[explicit(1)]
    Issuer(GeneralNames<'a>),
}

/// `CRLStatus ::= SEQUENCE { source CRLSource, thisUpdate Time OPTIONAL }`.
#[derive(asn1::Asn1Read, asn1::Asn1Write, Clone, Debug, PartialEq, Eq)]
pub struct CRLStatus<'a> {
    pub source: CRLSource<'a>,
    pub this_update: Option<Time>,
}

/// `KemCiphertextInfo ::= SEQUENCE { kem AlgorithmIdentifier, ct OCTET STRING }`.
#[derive(asn1::Asn1Read, asn1::Asn1Write, Clone, Debug, PartialEq, Eq)]
pub struct KemCiphertextInfo<'a> {
    pub kem: AlgorithmIdentifier<'a>,
    pub ct: &'a [u8],
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The hand-written reader and the derived writer agree on every `infoType`: for each arc
    /// under `id-it` (and a few OIDs outside it), an ITAV without a value parses to the variant
    /// whose written `infoType` is the OID it was read from.
    #[test]
    fn reader_dispatch_matches_writer_table() {
        use asn1::Asn1DefinedByWritable;
        let mut oids: Vec<asn1::ObjectIdentifier> = (0..=40u32)
            .map(|arc| {
                asn1::ObjectIdentifier::from_string(&format!("1.3.6.1.5.5.7.4.{arc}")).unwrap()
            })
            .collect();
        oids.push(asn1::ObjectIdentifier::from_string("1.3.6.1.5.5.7.4.1.1").unwrap());
        oids.push(asn1::ObjectIdentifier::from_string("1.3.6.1.5.5.7.5.13").unwrap());
        oids.push(asn1::ObjectIdentifier::from_string("1.3.6.1.5.5.7.3.13").unwrap());
        let mut typed = 0;
        for oid in oids {
            let der =
                asn1::write_single(&asn1::SequenceWriter::new(&|w: &mut asn1::Writer<'_>| {
                    w.write_element(&oid)
                }))
                .unwrap();
            let itav: InfoTypeAndValue<'_> = asn1::parse_single(&der).unwrap();
            assert_eq!(itav.info_value.item(), &oid);
            match itav.info_value {
                InfoValue::Other(o, None) => assert_eq!(o, oid),
                v => {
                    assert!(crate::oid::name(&oid).is_some(), "{oid} read as {v:?}");
                    typed += 1;
                }
            }
        }
        assert_eq!(typed, 22);
    }
}
