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
    use crate::body::CertOrEncCert;
    use crate::common::GeneralName;
    use crate::crmf::{POPOPrivKey, POPOSigningKey, ProofOfPossession};
    use crate::raw::{Certificate, Name};

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
        RegisteredId(crate::oid::Oid<'a>),
    }

    /// `ProofOfPossession` as the derive reads it.
    #[derive(asn1::Asn1Read, asn1::Asn1Write, Clone, Debug, PartialEq, Eq)]
    enum DerivedProofOfPossession<'a> {
        #[implicit(0)]
        RaVerified(asn1::Null),
        #[implicit(1)]
        Signature(POPOSigningKey<'a>),
        #[explicit(2)]
        KeyEncipherment(POPOPrivKey<'a>),
        #[explicit(3)]
        KeyAgreement(POPOPrivKey<'a>),
    }

    /// `CertOrEncCert` as the derive reads it.
    #[derive(asn1::Asn1Read, asn1::Asn1Write, Clone, Debug, PartialEq, Eq)]
    enum DerivedCertOrEncCert<'a> {
        #[explicit(0)]
        Certificate(Certificate<'a>),
        #[explicit(1)]
        EncryptedCert(crate::crmf::EncryptedKey<'a>),
    }

    /// Every first octet with contents valid for some alternative and invalid for others, and
    /// a truncated and an over-long TLV: the macro's reader accepts exactly what the derive
    /// accepts, with the same value and the same error (kind and location).
    fn reads_like_the_derive<'a, O, D>(ours: &str, derived: &str, inputs: &'a mut Vec<Vec<u8>>)
    where
        O: asn1::Asn1Readable<'a> + asn1::Asn1Writable<Error = asn1::WriteError> + core::fmt::Debug,
        D: asn1::Asn1Readable<'a> + asn1::Asn1Writable<Error = asn1::WriteError> + core::fmt::Debug,
    {
        let contents: [&[u8]; 8] = [
            b"",
            b"a@b",
            &[0x30, 0x00],
            &[0x30, 0x03, 0x31, 0x01, 0x00],
            &[0x2a, 0x03],
            &[0x80],
            // POPOSigningKey's content: an AlgorithmIdentifier and a BIT STRING.
            &[0x30, 0x03, 0x06, 0x01, 0x2a, 0x03, 0x01, 0x00],
            // POPOPrivKey thisMessage (explicit alternatives of ProofOfPossession).
            &[0x80, 0x01, 0x00],
        ];
        for first in 0..=255u8 {
            for c in contents {
                let mut tlv = vec![first, c.len() as u8];
                tlv.extend_from_slice(c);
                inputs.push(tlv[..tlv.len() - 1].to_vec());
                inputs.push([&tlv[..], &[0]].concat());
                inputs.push(tlv);
            }
        }
        let mut accepted = 0;
        for input in inputs.iter() {
            let o = asn1::parse_single::<O>(input);
            let d = asn1::parse_single::<D>(input);
            match (&o, &d) {
                (Ok(o), Ok(d)) => {
                    assert_eq!(
                        asn1::write_single(o).unwrap(),
                        asn1::write_single(d).unwrap(),
                        "{input:02x?}"
                    );
                    accepted += 1;
                }
                (Err(o), Err(d)) => {
                    assert_eq!(format!("{o:?}"), format!("{d:?}").replace(derived, ours))
                }
                _ => panic!("{input:02x?}: ours {o:?}, derive {d:?}"),
            }
        }
        assert_eq!(inputs.len(), 256 * 8 * 3);
        assert!(accepted > 0, "{ours}: nothing accepted");
    }

    #[test]
    fn general_name_reads_like_the_derive() {
        reads_like_the_derive::<GeneralName<'_>, DerivedGeneralName<'_>>(
            "GeneralName",
            "DerivedGeneralName",
            &mut vec![],
        );
    }

    #[test]
    fn proof_of_possession_reads_like_the_derive() {
        reads_like_the_derive::<ProofOfPossession<'_>, DerivedProofOfPossession<'_>>(
            "ProofOfPossession",
            "DerivedProofOfPossession",
            &mut vec![],
        );
    }

    #[test]
    fn cert_or_enc_cert_reads_like_the_derive() {
        reads_like_the_derive::<CertOrEncCert<'_>, DerivedCertOrEncCert<'_>>(
            "CertOrEncCert",
            "DerivedCertOrEncCert",
            &mut vec![],
        );
    }
}
