//! `PKIHeader` (RFC 9810 5.1.1).

mod fast;

use crate::common::{AlgorithmIdentifier, GeneralName, PKIFreeText};
use crate::itav::InfoTypeAndValue;
use crate::time::GeneralizedTime;
use crate::SeqOf;

/// `pvno` value `cmp1999`.
pub const PVNO_CMP1999: i64 = 1;
/// `pvno` value `cmp2000` (RFC 4210).
pub const PVNO_CMP2000: i64 = 2;
/// `pvno` value `cmp2021` (RFC 9480, RFC 9810).
pub const PVNO_CMP2021: i64 = 3;

/// `PKIHeader`. All tags explicit (PKIXCMP is an EXPLICIT TAGS module).
#[derive(asn1::Asn1Read, asn1::Asn1Write, Clone, Debug, PartialEq, Eq)]
pub struct PKIHeader<'a> {
    /// `cmp1999(1)`, `cmp2000(2)` or `cmp2021(3)`; other values are kept as received.
    pub pvno: i64,
    pub sender: GeneralName<'a>,
    pub recipient: GeneralName<'a>,
    #[explicit(0)]
    pub message_time: Option<GeneralizedTime<'a>>,
    #[explicit(1)]
    pub protection_alg: Option<AlgorithmIdentifier<'a>>,
    #[explicit(2)]
    pub sender_kid: Option<&'a [u8]>,
    #[explicit(3)]
    pub recip_kid: Option<&'a [u8]>,
    #[explicit(4)]
    pub transaction_id: Option<&'a [u8]>,
    #[explicit(5)]
    pub sender_nonce: Option<&'a [u8]>,
    #[explicit(6)]
    pub recip_nonce: Option<&'a [u8]>,
    #[explicit(7)]
    pub free_text: Option<PKIFreeText<'a>>,
    #[explicit(8)]
    pub general_info: Option<SeqOf<'a, InfoTypeAndValue<'a>, 1>>,
}

impl<'a> PKIHeader<'a> {
    /// Read a header from its content octets (the bytes inside its `SEQUENCE`), as
    /// [`asn1::SimpleAsn1Readable::parse_data`] does, but faster on the common shape: headers
    /// whose sender and recipient are `directoryName`s are read by a direct TLV walk, any
    /// other input by rust-asn1's derived reader, which also gives every error. Both readers
    /// return the same value (checked over every vector and its mutations, and by fuzzing);
    /// [`crate::PKIMessage::parse`] uses this.
    ///
    /// ```
    /// use cmp_codec::header::PKIHeader;
    /// # let der = cmp_codec::builder::example_genm();
    /// let msg = cmp_codec::PKIMessage::parse(&der)?;
    /// let (header, _) = asn1::strip_tlv(msg.header_der().unwrap()).unwrap();
    /// assert_eq!(PKIHeader::parse_content(header.data()).unwrap(), msg.header);
    /// # Ok::<(), cmp_codec::DecodeError>(())
    /// ```
    pub fn parse_content(data: &'a [u8]) -> asn1::ParseResult<Self> {
        let mut header = Self::placeholder();
        Self::parse_content_into(data, &mut header)?;
        Ok(header)
    }

    /// [`PKIHeader::parse_content`] of a TLV already split off the input, after checking that
    /// it is a `SEQUENCE` (what `tlv.parse::<PKIHeader>()` checks, with the same error).
    pub fn parse_tlv(tlv: asn1::Tlv<'a>) -> asn1::ParseResult<Self> {
        let tag = <Self as asn1::SimpleAsn1Readable<'a>>::TAG;
        if tlv.tag() != tag {
            let actual = tlv.tag();
            return Err(asn1::ParseError::new(asn1::ParseErrorKind::UnexpectedTag {
                actual,
            }));
        }
        Self::parse_content(tlv.data())
    }

    /// [`PKIHeader::parse_content`] into `out` (the parser's own message, so that the header
    /// is built where it stays rather than moved there).
    #[inline(always)]
    pub(crate) fn parse_content_into(data: &'a [u8], out: &mut Self) -> asn1::ParseResult<()> {
        if fast::parse_into(data, out).is_none() {
            *out = <Self as asn1::SimpleAsn1Readable<'a>>::parse_data(data)?;
        }
        Ok(())
    }

    /// A value to overwrite ([`PKIHeader::parse_content_into`]): pvno 0, NULL-DN names.
    pub(crate) fn placeholder() -> Self {
        PKIHeader::new(0, GeneralName::null_dn(), GeneralName::null_dn())
    }

    /// A header with only the mandatory fields.
    pub fn new(pvno: i64, sender: GeneralName<'a>, recipient: GeneralName<'a>) -> Self {
        PKIHeader {
            pvno,
            sender,
            recipient,
            message_time: None,
            protection_alg: None,
            sender_kid: None,
            recip_kid: None,
            transaction_id: None,
            sender_nonce: None,
            recip_nonce: None,
            free_text: None,
            general_info: None,
        }
    }

    /// The `generalInfo` entries (none when the field is absent).
    pub fn general_info(&self) -> impl Iterator<Item = InfoTypeAndValue<'a>> + '_ {
        self.general_info.iter().flat_map(|g| g.iter())
    }

    /// Whether `generalInfo` carries `id-it-implicitConfirm`.
    pub fn implicit_confirm(&self) -> bool {
        self.general_info()
            .any(|i| matches!(i.info_value, crate::itav::InfoValue::ImplicitConfirm(_)))
    }
}
