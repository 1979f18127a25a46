//! Opaque DER values the codec carries without decoding their inside: certificates, CRLs,
//! PKCS#10 requests, X.501 names and private keys.
//!
//! Each type borrows the complete TLV from the input (tag, length and contents) so that the
//! bytes can be handed to `x509-cert` (or any other DER library) without a copy, and is written
//! back exactly as it was read. Only the outer TLV is checked when parsing (tag `SEQUENCE` and
//! DER length); the inside is validated by whoever decodes it.

/// Tag of a universal constructed `SEQUENCE`.
pub(crate) const SEQUENCE: asn1::Tag =
    <asn1::Sequence<'static> as asn1::SimpleAsn1Readable<'static>>::TAG;

/// A `SEQUENCE` TLV split off the input: its bytes and where its contents start (24 bytes,
/// where an [`asn1::Tlv`] is 40).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct RawTlv<'a> {
    der: &'a [u8],
    header_len: usize,
}

impl<'a> RawTlv<'a> {
    /// A TLV's bytes `der` and its contents, the tail of `der`.
    fn new(der: &'a [u8], content: &'a [u8]) -> Self {
        RawTlv {
            der,
            header_len: der.len() - content.len(),
        }
    }

    fn content(&self) -> &'a [u8] {
        &self.der[self.header_len..]
    }
}

impl<'a> From<asn1::Tlv<'a>> for RawTlv<'a> {
    fn from(tlv: asn1::Tlv<'a>) -> Self {
        RawTlv::new(tlv.full_data(), tlv.data())
    }
}

macro_rules! raw_sequence {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub struct $name<'a>(RawTlv<'a>);

        impl<'a> $name<'a> {
            /// The complete DER encoding (tag, length and contents), borrowed from the input.
            pub fn der(&self) -> &'a [u8] {
                self.0.der
            }

            /// Wrap DER bytes holding exactly one `SEQUENCE`.
            pub fn from_der(der: &'a [u8]) -> asn1::ParseResult<Self> {
                asn1::parse_single(der)
            }
        }

        impl<'a> asn1::Asn1Readable<'a> for $name<'a> {
            fn parse(parser: &mut asn1::Parser<'a>) -> asn1::ParseResult<Self> {
                let tlv = parser.read_element::<asn1::Tlv<'a>>()?;
                if tlv.tag() != SEQUENCE {
                    return Err(asn1::ParseError::new(asn1::ParseErrorKind::UnexpectedTag {
                        actual: tlv.tag(),
                    }));
                }
                Ok($name(RawTlv::from(tlv)))
            }

            fn can_parse(tag: asn1::Tag) -> bool {
                tag == SEQUENCE
            }
        }

        impl<'a> crate::seq::Element<'a> for $name<'a> {
            /// The element's TLV is already split: only its tag is checked.
            fn check(tlv: &'a [u8], _: Option<(u8, &'a [u8])>) -> bool {
                tlv.first() == SEQUENCE.as_u8().as_ref()
            }
        }

        impl asn1::SimpleAsn1Writable for $name<'_> {
            type Error = asn1::WriteError;
            const TAG: asn1::Tag = SEQUENCE;

            fn write_data(&self, dest: &mut asn1::WriteBuf) -> asn1::WriteResult {
                dest.push_slice(self.0.content())
            }

            fn data_length(&self) -> Option<usize> {
                Some(self.0.content().len())
            }
        }
    };
}

raw_sequence!(
    /// `CMPCertificate` (RFC 9810): in practice an X.509 `Certificate` (RFC 5280). The CHOICE is
    /// extensible, but `x509v3PKCert` is its only alternative, so a `SEQUENCE` is required.
    Certificate
);
raw_sequence!(
    /// `CertificateList` (RFC 5280), an X.509 CRL.
    CertificateList
);
raw_sequence!(
    /// `CertificationRequest` (PKCS#10, RFC 2986), the content of a `p10cr`.
    CertificationRequest
);
raw_sequence!(
    /// X.501 `Name` (its only alternative, `rdnSequence`).
    Name
);
raw_sequence!(
    /// `PrivateKeyInfo` / `OneAsymmetricKey` (RFC 5958).
    PrivateKeyInfo
);
raw_sequence!(
    /// One DER `PKIMessage` inside `nested` or `origPKIMessage`, kept unparsed so that nesting
    /// depth is under the codec's control (see [`crate::MAX_NESTING_DEPTH`]).
    RawMessage
);

/// CMS `EnvelopedData` or `SignedData` contents (RFC 5652), kept opaque. These appear both with
/// an implicit tag (`EncryptedKey.envelopedData [0]`) and untagged, so only the contents octets
/// are kept; [`asn1::Sequence`] writes them back under the right tag.
pub type EnvelopedData<'a> = asn1::Sequence<'a>;

impl Certificate<'_> {
    /// Decode with `x509-cert` (allocates; the codec itself only checks the outer TLV).
    pub fn to_x509(&self) -> Result<x509_cert::Certificate, der::Error> {
        der::Decode::from_der(self.der())
    }
}

impl CertificateList<'_> {
    /// Decode with `x509-cert`.
    pub fn to_x509(&self) -> Result<x509_cert::crl::CertificateList, der::Error> {
        der::Decode::from_der(self.der())
    }
}

impl CertificationRequest<'_> {
    /// Decode with `x509-cert`.
    pub fn to_x509(&self) -> Result<x509_cert::request::CertReq, der::Error> {
        der::Decode::from_der(self.der())
    }
}

impl<'a> Name<'a> {
    /// Wrap a `SEQUENCE` TLV the direct readers (`direct.rs`) split off: its bytes `der` and
    /// its contents, the tail of `der`.
    pub(crate) fn from_split(der: &'a [u8], content: &'a [u8]) -> Self {
        Name(RawTlv::new(der, content))
    }

    /// The empty `RDNSequence` (the "NULL-DN"), without parsing.
    pub(crate) const fn empty() -> Name<'static> {
        Name(RawTlv {
            der: &[0x30, 0x00],
            header_len: 2,
        })
    }

    /// Decode with `x509-cert`.
    pub fn to_x509(&self) -> Result<x509_cert::name::Name, der::Error> {
        der::Decode::from_der(self.der())
    }

    /// The RFC 4514 string form (`CN=device-0001,O=Example`), or `None` if the name does not
    /// decode.
    pub fn to_rfc4514(&self) -> Option<String> {
        self.to_x509().ok().map(|n| n.to_string())
    }
}
