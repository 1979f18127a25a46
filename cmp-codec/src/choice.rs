//! `tagged_choice!`: a CHOICE whose alternatives are all context-tagged, read with one tag
//! decode and a `match` on the tag number.
//!
//! rust-asn1's derived reader for an enum tries every alternative's tag in turn and then
//! decodes the chosen TLV a second time (`asn1::parse(tlv.full_data(), ...)`); for `PKIBody`
//! that is up to 27 comparisons and two tag/length decodes per message, a visible share of the
//! parse of a small message. The macro declares the enum exactly as the derive wants it (the
//! writer stays `asn1::Asn1Write`, from the same `#[explicit(N)]`/`#[implicit(N)]`
//! attributes) and implements `asn1::Asn1Readable` with the same acceptance and the same
//! error locations (`Enum::Variant`) as the derive.

/// Declare a CHOICE of context-tagged alternatives (see the module documentation).
///
/// ```ignore
/// tagged_choice! {
///     /// Docs.
///     pub enum Example<'a> {
///         /// `[0] EXPLICIT`
///         explicit 0 => First(asn1::Null),
///         implicit 1 => Second(&'a [u8]),
///     }
/// }
/// ```
macro_rules! tagged_choice {
    (
        $(#[$meta:meta])*
        pub enum $name:ident<'a> {
            $(
                $(#[$vmeta:meta])*
                $kind:ident $num:literal => $variant:ident($ty:ty)
            ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(asn1::Asn1Write, Clone, Debug, PartialEq, Eq)]
        pub enum $name<'a> {
            $(
                $(#[$vmeta])*
                #[$kind($num)]
                $variant($ty),
            )+
        }

        impl<'a> asn1::Asn1Readable<'a> for $name<'a> {
            fn parse(parser: &mut asn1::Parser<'a>) -> asn1::ParseResult<Self> {
                let tlv = parser.read_element::<asn1::Tlv<'a>>()?;
                let tag = tlv.tag();
                match tag.value() {
                    $(
                        $num if tag == <tagged_choice!(@wrap $kind, $ty, $num)
                            as asn1::SimpleAsn1Readable<'a>>::TAG =>
                        {
                            return <tagged_choice!(@wrap $kind, $ty, $num)
                                as asn1::SimpleAsn1Readable<'a>>::parse_data(tlv.data())
                                .map(|v| $name::$variant(v.into_inner()))
                                .map_err(|e| {
                                    e.add_location(asn1::ParseLocation::Field(concat!(
                                        stringify!($name),
                                        "::",
                                        stringify!($variant)
                                    )))
                                });
                        }
                    )+
                    _ => {}
                }
                Err(asn1::ParseError::new(asn1::ParseErrorKind::UnexpectedTag {
                    actual: tag,
                }))
            }

            fn can_parse(tag: asn1::Tag) -> bool {
                match tag.value() {
                    $(
                        $num => tag == <tagged_choice!(@wrap $kind, $ty, $num)
                            as asn1::SimpleAsn1Readable<'a>>::TAG,
                    )+
                    _ => false,
                }
            }
        }
    };
    (@wrap explicit, $ty:ty, $num:literal) => { asn1::Explicit<$ty, $num> };
    (@wrap implicit, $ty:ty, $num:literal) => { asn1::Implicit<$ty, $num> };
}

#[cfg(test)]
mod tests {
    use crate::common::GeneralName;
    use crate::raw::Name;

    /// `GeneralName` as rust-asn1's derive reads it, the reference for the macro's reader.
    #[derive(asn1::Asn1Read, asn1::Asn1Write, Clone, Debug, PartialEq, Eq)]
    enum DerivedGeneralName<'a> {
        #[implicit(0)]
        OtherName(asn1::Sequence<'a>),
        #[implicit(1)]
        Rfc822Name(asn1::IA5String<'a>),
        #[implicit(2)]
        DnsName(asn1::IA5String<'a>),
        #[implicit(3)]
        X400Address(asn1::Sequence<'a>),
        #[explicit(4)]
        DirectoryName(Name<'a>),
        #[implicit(5)]
        EdiPartyName(asn1::Sequence<'a>),
        #[implicit(6)]
        UniformResourceIdentifier(asn1::IA5String<'a>),
        #[implicit(7)]
        IpAddress(&'a [u8]),
        #[implicit(8)]
        RegisteredId(asn1::ObjectIdentifier),
    }

    /// Every first octet with contents valid for some alternative and invalid for others, and
    /// a truncated and an over-long TLV: the macro's reader accepts exactly what the derive
    /// accepts, with the same value and the same error (kind and location).
    #[test]
    fn reads_like_the_derive() {
        let contents: [&[u8]; 6] = [
            b"",
            b"a@b",
            &[0x30, 0x00],
            &[0x30, 0x03, 0x31, 0x01, 0x00],
            &[0x2a, 0x03],
            &[0x80],
        ];
        let mut cases = 0;
        for first in 0..=255u8 {
            for c in contents {
                let mut tlv = vec![first, c.len() as u8];
                tlv.extend_from_slice(c);
                for input in [&tlv[..], &tlv[..tlv.len() - 1], &[&tlv[..], &[0]].concat()] {
                    let ours = asn1::parse_single::<GeneralName<'_>>(input);
                    let derived = asn1::parse_single::<DerivedGeneralName<'_>>(input);
                    match (&ours, &derived) {
                        (Ok(o), Ok(d)) => assert_eq!(
                            asn1::write_single(o).unwrap(),
                            asn1::write_single(d).unwrap(),
                            "{input:02x?}"
                        ),
                        (Err(o), Err(d)) => assert_eq!(
                            format!("{o:?}"),
                            format!("{d:?}").replace("DerivedGeneralName", "GeneralName")
                        ),
                        _ => panic!("{input:02x?}: ours {ours:?}, derive {derived:?}"),
                    }
                    cases += 1;
                }
            }
        }
        assert_eq!(cases, 256 * 6 * 3);
    }
}
