//! CRMF types used by CMP (PKIXCRMF-2009, RFC 4211 as updated by RFC 9810).
//!
//! PKIXCRMF is an `IMPLICIT TAGS` module: tagged fields are implicit, except where the field's
//! type is a CHOICE (`Name`, `GeneralName`, `Time`, `EncryptedKey`, `POPOPrivKey`), which is
//! always explicit. Each such decision is marked below because RustCrypto's `crmf` gets several
//! of them wrong (see the crate README).

use crate::common::{
    AlgorithmIdentifier, CertId, Extensions, GeneralName, SubjectPublicKeyInfo, Time,
};
use crate::raw::{EnvelopedData, Name, PrivateKeyInfo};
use crate::{oid, SeqOf};

mod fast;

/// `CertReqMessages ::= SEQUENCE SIZE (1..MAX) OF CertReqMsg`.
pub type CertReqMessages<'a> = SeqOf<'a, CertReqMsg<'a>, 1>;

direct_sequence! {
    /// `CertReqMsg`.
    pub struct CertReqMsg<'a> {
        pub cert_req: CertRequest<'a>,
        pub popo: Option<ProofOfPossession<'a>>,
        pub reg_info: Option<SeqOf<'a, RegInfo<'a>, 1>>,
    }
    direct: fast::cert_req_msg;
    check: fast::cert_req_msg_check;
}

direct_sequence! {
    /// `CertRequest`.
    pub struct CertRequest<'a> {
        pub cert_req_id: i64,
        pub cert_template: CertTemplate<'a>,
        pub controls: Option<Controls<'a>>,
    }
    direct: fast::cert_request;
}

direct_sequence! {
    /// `CertTemplate`: every field optional.
    #[derive(Default)]
    pub struct CertTemplate<'a> {
        #[implicit(0)]
        pub version: Option<i64>,
        #[implicit(1)]
        pub serial_number: Option<asn1::BigInt<'a>>,
        #[implicit(2)]
        pub signing_alg: Option<AlgorithmIdentifier<'a>>,
        /// `Name` is a CHOICE: explicit.
        #[explicit(3)]
        pub issuer: Option<Name<'a>>,
        #[implicit(4)]
        pub validity: Option<OptionalValidity>,
        /// `Name` is a CHOICE: explicit.
        #[explicit(5)]
        pub subject: Option<Name<'a>>,
        #[implicit(6)]
        pub public_key: Option<SubjectPublicKeyInfo<'a>>,
        #[implicit(7)]
        pub issuer_uid: Option<asn1::BitString<'a>>,
        #[implicit(8)]
        pub subject_uid: Option<asn1::BitString<'a>>,
        #[implicit(9)]
        pub extensions: Option<Extensions<'a>>,
    }
    direct: fast::cert_template;
}

/// `OptionalValidity`; `Time` is a CHOICE, so both tags are explicit.
#[derive(asn1::Asn1Read, asn1::Asn1Write, Clone, Debug, PartialEq, Eq)]
pub struct OptionalValidity {
    #[explicit(0)]
    pub not_before: Option<Time>,
    #[explicit(1)]
    pub not_after: Option<Time>,
}

/// `Controls ::= SEQUENCE SIZE (1..MAX) OF AttributeTypeAndValue` (regCtrl set).
pub type Controls<'a> = SeqOf<'a, Control<'a>, 1>;

/// One `AttributeTypeAndValue` of `Controls` (RFC 4211 6, RFC 9810 5.3.19.16 ff.).
///
/// The writer is rust-asn1's derive; the reader is written by hand, as
/// [`crate::itav::InfoTypeAndValue`]'s is: a typed control is recognised from the DER of its
/// type OID (id-regCtrl and one arc), where the derive decodes the OID into an
/// [`asn1::ObjectIdentifier`] and compares it with each of the nine constants in turn (that
/// was half the parse of a genp carrying a certificate request template).
/// `tests/control_reader.rs` compares it with the derive's reader.
#[derive(asn1::Asn1Write, Clone, Debug, PartialEq, Eq)]
pub struct Control<'a> {
    pub attr_type: asn1::DefinedByMarker<asn1::ObjectIdentifier>,
    #[defined_by(attr_type)]
    pub value: ControlValue<'a>,
}

impl<'a> asn1::SimpleAsn1Readable<'a> for Control<'a> {
    const TAG: asn1::Tag = crate::raw::SEQUENCE;

    fn parse_data(data: &'a [u8]) -> asn1::ParseResult<Self> {
        let at =
            |field| move |e: asn1::ParseError| e.add_location(asn1::ParseLocation::Field(field));
        asn1::parse(data, |p| {
            let attr_type = oid::read_der(p).map_err(at("Control::attr_type"))?;
            let value = match oid::arc_under(&oid::ID_REG_CTRL, attr_type) {
                Some(1) => p.read_element().map(ControlValue::RegToken),
                Some(2) => p.read_element().map(ControlValue::Authenticator),
                Some(3) => p.read_element().map(ControlValue::PkiPublicationInfo),
                Some(4) => p.read_element().map(ControlValue::PkiArchiveOptions),
                Some(5) => p.read_element().map(ControlValue::OldCertId),
                Some(6) => p.read_element().map(ControlValue::ProtocolEncrKey),
                Some(7) => p.read_element().map(ControlValue::AltCertTemplate),
                Some(11) => p.read_element().map(ControlValue::AlgId),
                Some(12) => p.read_element().map(ControlValue::RsaKeyLen),
                _ => {
                    let oid = asn1::ObjectIdentifier::from_der(attr_type)
                        .map_err(at("Control::attr_type"))?;
                    p.read_element().map(|v| ControlValue::Other(oid, v))
                }
            }
            .map_err(at("Control::value"))?;
            Ok(Control {
                attr_type: asn1::DefinedByMarker::marker(),
                value,
            })
        })
    }
}

/// The value of a [`Control`], chosen by its type OID.
#[derive(asn1::Asn1DefinedByWrite, Clone, Debug, PartialEq, Eq)]
pub enum ControlValue<'a> {
    #[defined_by(oid::ID_REG_CTRL_REG_TOKEN)]
    RegToken(asn1::Utf8String<'a>),
    #[defined_by(oid::ID_REG_CTRL_AUTHENTICATOR)]
    Authenticator(asn1::Utf8String<'a>),
    #[defined_by(oid::ID_REG_CTRL_PKI_PUBLICATION_INFO)]
    PkiPublicationInfo(PKIPublicationInfo<'a>),
    #[defined_by(oid::ID_REG_CTRL_PKI_ARCHIVE_OPTIONS)]
    PkiArchiveOptions(PKIArchiveOptions<'a>),
    #[defined_by(oid::ID_REG_CTRL_OLD_CERT_ID)]
    OldCertId(CertId<'a>),
    #[defined_by(oid::ID_REG_CTRL_PROTOCOL_ENCR_KEY)]
    ProtocolEncrKey(SubjectPublicKeyInfo<'a>),
    /// `AltCertTemplate ::= AttributeTypeAndValue`, kept raw (a typed value would make the type
    /// recursive).
    #[defined_by(oid::ID_REG_CTRL_ALT_CERT_TEMPLATE)]
    AltCertTemplate(asn1::Tlv<'a>),
    #[defined_by(oid::ID_REG_CTRL_ALG_ID)]
    AlgId(AlgorithmIdentifier<'a>),
    #[defined_by(oid::ID_REG_CTRL_RSA_KEY_LEN)]
    RsaKeyLen(i64),
    #[default]
    Other(asn1::ObjectIdentifier, asn1::Tlv<'a>),
}

impl<'a> Control<'a> {
    /// A control with its value; the type OID follows from the value.
    pub fn new(value: ControlValue<'a>) -> Self {
        Control {
            attr_type: asn1::DefinedByMarker::marker(),
            value,
        }
    }
}

/// One `AttributeTypeAndValue` of `CertReqMsg.regInfo` (RegInfoSet).
#[derive(asn1::Asn1Read, asn1::Asn1Write, Clone, Debug, PartialEq, Eq)]
pub struct RegInfo<'a> {
    pub attr_type: asn1::DefinedByMarker<asn1::ObjectIdentifier>,
    #[defined_by(attr_type)]
    pub value: RegInfoValue<'a>,
}

impl<'a> RegInfo<'a> {
    /// A regInfo attribute with its value; the type OID follows from the value.
    pub fn new(value: RegInfoValue<'a>) -> Self {
        RegInfo {
            attr_type: asn1::DefinedByMarker::marker(),
            value,
        }
    }

    /// The attribute's type OID.
    pub fn attr_type(&self) -> asn1::ObjectIdentifier {
        asn1::Asn1DefinedByWritable::item(&self.value).clone()
    }

    /// The attribute's name (`utf8Pairs`, `certReq`; for registration controls placed here,
    /// their control name), `None` for unknown types.
    pub fn name(&self) -> Option<&'static str> {
        let n = oid::name(&self.attr_type())?;
        n.strip_prefix("id-regInfo-")
            .or_else(|| n.strip_prefix("id-regCtrl-"))
    }
}

/// The value of a [`RegInfo`].
#[derive(asn1::Asn1DefinedByRead, asn1::Asn1DefinedByWrite, Clone, Debug, PartialEq, Eq)]
pub enum RegInfoValue<'a> {
    #[defined_by(oid::ID_REG_INFO_UTF8_PAIRS)]
    Utf8Pairs(asn1::Utf8String<'a>),
    #[defined_by(oid::ID_REG_INFO_CERT_REQ)]
    CertReq(CertRequest<'a>),
    /// Other attributes, including registration controls that some clients put here.
    #[default]
    Other(asn1::ObjectIdentifier, asn1::Tlv<'a>),
}

tagged_choice! {
    /// `ProofOfPossession`. `raVerified` and `signature` are implicit; `POPOPrivKey` is a
    /// CHOICE, so `keyEncipherment` and `keyAgreement` are explicit.
    pub enum ProofOfPossession<'a> {
        implicit 0 => RaVerified(asn1::Null),
        implicit 1 => Signature(POPOSigningKey<'a>),
        explicit 2 => KeyEncipherment(POPOPrivKey<'a>),
        explicit 3 => KeyAgreement(POPOPrivKey<'a>),
    }
}

direct_sequence! {
    /// `POPOSigningKey`.
    pub struct POPOSigningKey<'a> {
        #[implicit(0)]
        pub poposk_input: Option<POPOSigningKeyInput<'a>>,
        pub algorithm_identifier: AlgorithmIdentifier<'a>,
        pub signature: asn1::BitString<'a>,
    }
    direct: fast::popo_signing_key;
}

/// `POPOSigningKeyInput`.
#[derive(asn1::Asn1Read, asn1::Asn1Write, Clone, Debug, PartialEq, Eq)]
pub struct POPOSigningKeyInput<'a> {
    pub auth_info: AuthInfo<'a>,
    pub public_key: SubjectPublicKeyInfo<'a>,
}

/// The `authInfo` CHOICE of `POPOSigningKeyInput`; `GeneralName` is a CHOICE, so `sender` is
/// explicit.
#[derive(asn1::Asn1Read, asn1::Asn1Write, Clone, Debug, PartialEq, Eq)]
pub enum AuthInfo<'a> {
    #[explicit(0)]
    Sender(GeneralName<'a>),
    PublicKeyMac(PKMACValue<'a>),
}

/// `PKMACValue`.
#[derive(asn1::Asn1Read, asn1::Asn1Write, Clone, Debug, PartialEq, Eq)]
pub struct PKMACValue<'a> {
    pub alg_id: AlgorithmIdentifier<'a>,
    pub value: asn1::BitString<'a>,
}

/// `POPOPrivKey`: all alternatives implicit (none is a CHOICE).
#[derive(asn1::Asn1Read, asn1::Asn1Write, Clone, Debug, PartialEq, Eq)]
pub enum POPOPrivKey<'a> {
    #[implicit(0)]
    ThisMessage(asn1::BitString<'a>),
    /// `SubsequentMessage ::= INTEGER { encrCert (0), challengeResp (1) }`.
    #[implicit(1)]
    SubsequentMessage(i64),
    #[implicit(2)]
    DhMac(asn1::BitString<'a>),
    #[implicit(3)]
    AgreeMac(PKMACValue<'a>),
    #[implicit(4)]
    EncryptedKey(EnvelopedData<'a>),
}

/// `SubsequentMessage` value `encrCert`.
pub const SUBSEQUENT_MESSAGE_ENCR_CERT: i64 = 0;
/// `SubsequentMessage` value `challengeResp`.
pub const SUBSEQUENT_MESSAGE_CHALLENGE_RESP: i64 = 1;

/// `EncryptedKey ::= CHOICE { encryptedValue EncryptedValue, envelopedData [0] EnvelopedData }`
/// (`envelopedData` implicit).
#[derive(asn1::Asn1Read, asn1::Asn1Write, Clone, Debug, PartialEq, Eq)]
pub enum EncryptedKey<'a> {
    EncryptedValue(EncryptedValue<'a>),
    #[implicit(0)]
    EnvelopedData(EnvelopedData<'a>),
}

/// `EncryptedValue` (deprecated by RFC 9810 in favour of `EnvelopedData`).
#[derive(asn1::Asn1Read, asn1::Asn1Write, Clone, Debug, PartialEq, Eq)]
pub struct EncryptedValue<'a> {
    #[implicit(0)]
    pub intended_alg: Option<AlgorithmIdentifier<'a>>,
    #[implicit(1)]
    pub symm_alg: Option<AlgorithmIdentifier<'a>>,
    #[implicit(2)]
    pub enc_symm_key: Option<asn1::BitString<'a>>,
    #[implicit(3)]
    pub key_alg: Option<AlgorithmIdentifier<'a>>,
    #[implicit(4)]
    pub value_hint: Option<&'a [u8]>,
    pub enc_value: asn1::BitString<'a>,
}

/// `PKIArchiveOptions`; `EncryptedKey` is a CHOICE, so `encryptedPrivKey` is explicit.
#[derive(asn1::Asn1Read, asn1::Asn1Write, Clone, Debug, PartialEq, Eq)]
pub enum PKIArchiveOptions<'a> {
    #[explicit(0)]
    EncryptedPrivKey(EncryptedKey<'a>),
    #[implicit(1)]
    KeyGenParameters(&'a [u8]),
    #[implicit(2)]
    ArchiveRemGenPrivKey(bool),
}

/// `PKIPublicationInfo`.
#[derive(asn1::Asn1Read, asn1::Asn1Write, Clone, Debug, PartialEq, Eq)]
pub struct PKIPublicationInfo<'a> {
    /// `dontPublish (0)`, `pleasePublish (1)`.
    pub action: i64,
    pub pub_infos: Option<SeqOf<'a, SinglePubInfo<'a>, 1>>,
}

/// `SinglePubInfo`.
#[derive(asn1::Asn1Read, asn1::Asn1Write, Clone, Debug, PartialEq, Eq)]
pub struct SinglePubInfo<'a> {
    /// `dontCare (0)`, `x500 (1)`, `web (2)`, `ldap (3)`.
    pub pub_method: i64,
    pub pub_location: Option<GeneralName<'a>>,
}

/// `EncKeyWithID` (content of `id-ct-encKeyWithID`, used in centrally generated keys).
#[derive(asn1::Asn1Read, asn1::Asn1Write, Clone, Debug, PartialEq, Eq)]
pub struct EncKeyWithID<'a> {
    pub private_key: PrivateKeyInfo<'a>,
    pub identifier: Option<EncKeyIdentifier<'a>>,
}

/// The `identifier` CHOICE of [`EncKeyWithID`].
#[derive(asn1::Asn1Read, asn1::Asn1Write, Clone, Debug, PartialEq, Eq)]
pub enum EncKeyIdentifier<'a> {
    String(asn1::Utf8String<'a>),
    GeneralName(GeneralName<'a>),
}
