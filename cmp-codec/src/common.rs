//! Types imported by PKIXCMP-2023 and PKIXCRMF-2009 from the PKIX modules (RFC 5912):
//! `AlgorithmIdentifier`, `GeneralName`, `Time`, `Extensions`, `SubjectPublicKeyInfo`,
//! `DistributionPointName`, and CMP's own `PKIFreeText` and CRMF's `CertId`.

use crate::direct::{any, end, field};
use crate::oid::Oid;
use crate::raw::Name;
use crate::SeqOf;

direct_sequence! {
    /// `AlgorithmIdentifier` (RFC 5280). `parameters` is kept as the exact TLV that was received, so
    /// an explicit `NULL` and an absent parameter stay distinct and re-encode unchanged; decode it on
    /// demand with [`AlgorithmIdentifier::parameters_as`]. `algorithm` borrows its DER from the input
    /// ([`Oid`]) and compares equal to the constants of [`crate::oid`]:
    /// `alg.algorithm == cmp_codec::oid::ID_PBMAC1`.
    pub struct AlgorithmIdentifier<'a> {
        pub algorithm: Oid<'a>,
        pub parameters: Option<asn1::Tlv<'a>>,
    }
    direct: crate::direct::algorithm_identifier;
}

impl<'a> AlgorithmIdentifier<'a> {
    /// An identifier without parameters.
    pub fn new(algorithm: impl Into<Oid<'a>>) -> Self {
        AlgorithmIdentifier {
            algorithm: algorithm.into(),
            parameters: None,
        }
    }

    /// Whether the parameters are absent or `NULL`, what most algorithms allow (RFC 9481).
    pub fn null_or_absent_parameters(&self) -> bool {
        use asn1::SimpleAsn1Readable as _;
        match self.parameters {
            None => true,
            Some(p) => p.tag() == asn1::Null::TAG && p.data().is_empty(),
        }
    }

    /// Decode the parameters as `T`; `None` when they are absent.
    pub fn parameters_as<T: asn1::Asn1Readable<'a>>(&self) -> Option<asn1::ParseResult<T>> {
        self.parameters.map(|p| p.parse::<T>())
    }
}

tagged_choice! {
    /// `GeneralName` (RFC 5280 4.2.1.6). `directoryName` is explicitly tagged because `Name` is a
    /// CHOICE; the other alternatives are implicitly tagged.
    pub enum GeneralName<'a> {
        implicit 0 => OtherName(asn1::Sequence<'a>),
        implicit 1 => Rfc822Name(asn1::IA5String<'a>),
        implicit 2 => DnsName(asn1::IA5String<'a>),
        implicit 3 => X400Address(asn1::Sequence<'a>),
        explicit 4 => DirectoryName(Name<'a>),
        implicit 5 => EdiPartyName(asn1::Sequence<'a>),
        implicit 6 => UniformResourceIdentifier(asn1::IA5String<'a>),
        implicit 7 => IpAddress(&'a [u8]),
        implicit 8 => RegisteredId(Oid<'a>),
    }
}

impl<'a> GeneralName<'a> {
    /// The `directoryName` whose `RDNSequence` is empty, the "NULL-DN" RFC 9483 uses when the
    /// sender is not known by name.
    pub fn null_dn() -> Self {
        GeneralName::DirectoryName(Name::empty())
    }
}

/// `GeneralNames ::= SEQUENCE SIZE (1..MAX) OF GeneralName`.
pub type GeneralNames<'a> = SeqOf<'a, GeneralName<'a>, 1>;

/// `PKIFreeText ::= SEQUENCE SIZE (1..MAX) OF UTF8String`.
pub type PKIFreeText<'a> = SeqOf<'a, asn1::Utf8String<'a>, 1>;

direct_sequence! {
    /// `CertId` (RFC 4211 6.5): identifies a certificate by issuer and serial number.
    pub struct CertId<'a> {
        pub issuer: GeneralName<'a>,
        pub serial_number: asn1::BigInt<'a>,
    }
    direct: cert_id;
}

fn cert_id(data: &[u8]) -> Option<CertId<'_>> {
    let mut r = data;
    let v = CertId {
        issuer: any(&mut r)?,
        serial_number: field(&mut r)?,
    };
    end(r, v)
}

/// `Time` (RFC 5280): `UTCTime` or `GeneralizedTime`.
#[derive(asn1::Asn1Read, asn1::Asn1Write, Clone, Debug, PartialEq, Eq)]
pub enum Time {
    UtcTime(asn1::UtcTime),
    GeneralTime(asn1::X509GeneralizedTime),
}

direct_sequence! {
    /// `Extension` (RFC 5280).
    pub struct Extension<'a> {
        pub extn_id: Oid<'a>,
        #[default(false)]
        pub critical: bool,
        pub extn_value: &'a [u8],
    }
    direct: crate::direct::extension;
}

/// `Extensions ::= SEQUENCE SIZE (1..MAX) OF Extension`.
pub type Extensions<'a> = SeqOf<'a, Extension<'a>, 1>;

direct_sequence! {
    /// `SubjectPublicKeyInfo` (RFC 5280).
    pub struct SubjectPublicKeyInfo<'a> {
        pub algorithm: AlgorithmIdentifier<'a>,
        pub subject_public_key: asn1::BitString<'a>,
    }
    direct: crate::direct::subject_public_key_info;
}

impl SubjectPublicKeyInfo<'_> {
    /// The DER `SubjectPublicKeyInfo`, with its universal `SEQUENCE` tag (also when it was read
    /// under an implicit tag, as in `CertTemplate.publicKey`).
    pub fn to_der(&self) -> Vec<u8> {
        asn1::write_single(self).expect("writing to a Vec does not fail")
    }
}

/// `RelativeDistinguishedName` kept opaque (contents of a `SET OF AttributeTypeAndValue`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RelativeDistinguishedName<'a>(pub &'a [u8]);

impl<'a> asn1::SimpleAsn1Readable<'a> for RelativeDistinguishedName<'a> {
    const TAG: asn1::Tag = <asn1::SetOf<'a, asn1::Tlv<'a>> as asn1::SimpleAsn1Readable<'a>>::TAG;
    fn parse_data(data: &'a [u8]) -> asn1::ParseResult<Self> {
        // Check that the contents are well-formed TLVs.
        asn1::parse(data, |p| {
            while !p.is_empty() {
                p.read_element::<asn1::Tlv<'a>>()?;
            }
            Ok(())
        })?;
        Ok(RelativeDistinguishedName(data))
    }
}

impl asn1::SimpleAsn1Writable for RelativeDistinguishedName<'_> {
    type Error = asn1::WriteError;
    const TAG: asn1::Tag =
        <asn1::SetOf<'static, asn1::Tlv<'static>> as asn1::SimpleAsn1Readable<'static>>::TAG;
    fn write_data(&self, dest: &mut asn1::WriteBuf) -> asn1::WriteResult {
        dest.push_slice(self.0)
    }
    fn data_length(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

/// `DistributionPointName` (RFC 5280 4.2.1.13), used by `CRLSource`.
#[derive(asn1::Asn1Read, asn1::Asn1Write, Clone, Debug, PartialEq, Eq)]
pub enum DistributionPointName<'a> {
    #[implicit(0)]
    FullName(GeneralNames<'a>),
    #[implicit(1)]
    NameRelativeToCrlIssuer(RelativeDistinguishedName<'a>),
}
