//! `direct_sequence!`: a `SEQUENCE` type read by a direct reader first and by rust-asn1's
//! derived reader for everything else.
//!
//! rust-asn1's derived reader pays a fixed cost per field (a tag decode and a peek for every
//! OPTIONAL, a `ParseResult` carrying a 136-byte error on every read): on the small bodies
//! (`certConf`, `error`, `pollReq`) it costs ten times the bytes it reads. A direct reader
//! ([`crate::direct`]) walks the fields once and answers `None` on anything unusual; the
//! derived reader then decides, so errors and their field paths come from one place only.
//!
//! The macro declares the struct once and derives both: the public type (writer derived as
//! usual) and, inside its `parse_derived`, the same declaration under the same name with
//! `asn1::Asn1Read` (so that error locations read `Type::field`). Its reader tries the
//! direct reader and falls back to the derived one. The contract, checked by the agreement
//! tests (`tests/*_fast_path.rs`) over every vector and its mutations: when the direct reader
//! returns `Some(v)`, the derived reader returns `Ok(v)` on the same bytes.

/// Declare a `SEQUENCE` type with a direct reader (see the module documentation). The type
/// is also a [`crate::seq::Element`] whose check is the direct reader (`is_some`), or the
/// optional `check:` function, for types too large to return only to drop.
///
/// ```ignore
/// direct_sequence! {
///     /// Docs.
///     pub struct Example<'a> {
///         pub id: i64,
///         #[explicit(0)]
///         pub alg: Option<AlgorithmIdentifier<'a>>,
///     }
///     direct: crate::direct::example;
///     check: crate::direct::example_check; // optional: fn(&[u8]) -> bool
/// }
/// ```
macro_rules! direct_sequence {
    (
        $(#[$meta:meta])*
        pub struct $name:ident $(<$lt:lifetime>)? {
            $(
                $(#[$fmeta:meta])*
                pub $field:ident: $ty:ty
            ),+ $(,)?
        }
        direct: $direct:path;
        $(check: $check:path;)?
    ) => {
        $(#[$meta])*
        #[derive(asn1::Asn1Write, Clone, Debug, PartialEq, Eq)]
        pub struct $name $(<$lt>)? {
            $(
                $(#[$fmeta])*
                pub $field: $ty,
            )+
        }

        impl<'a> asn1::SimpleAsn1Readable<'a> for $name $(<$lt>)? {
            const TAG: asn1::Tag = crate::raw::SEQUENCE;

            fn parse_data(data: &'a [u8]) -> asn1::ParseResult<Self> {
                match $direct(data) {
                    Some(v) => Ok(v),
                    None => Self::parse_derived(data),
                }
            }
        }

        impl<'a> crate::seq::Element<'a> for $name $(<$lt>)? {
            fn check(tlv: &'a [u8], split: Option<(u8, &'a [u8])>) -> bool {
                crate::seq::check_direct::<Self>(tlv, split, crate::direct::SEQUENCE, |content| {
                    direct_sequence!(@check content, $direct $(, $check)?)
                })
            }
        }

        impl<'a> $name $(<$lt>)? {
            /// The direct reader alone (`None`: it leaves the input to the derived reader).
            /// For the agreement tests and the fuzz targets; the `SimpleAsn1Readable` reader
            /// is the one to use.
            #[doc(hidden)]
            pub fn parse_direct(data: &'a [u8]) -> Option<Self> {
                $direct(data)
            }

            /// rust-asn1's derived reader alone, on the content octets (see `parse_direct`).
            #[doc(hidden)]
            pub fn parse_derived(data: &'a [u8]) -> asn1::ParseResult<Self> {
                #[derive(asn1::Asn1Read)]
                struct $name $(<$lt>)? {
                    $(
                        $(#[$fmeta])*
                        $field: $ty,
                    )+
                }
                <$name as asn1::SimpleAsn1Readable<'a>>::parse_data(data).map(|v| Self {
                    $($field: v.$field,)+
                })
            }
        }
    };
    // Whether the direct reader reads `content`: its own check when the declaration names
    // one (for large types, so that the value is not returned only to be dropped).
    (@check $content:ident, $direct:path) => { $direct($content).is_some() };
    (@check $content:ident, $direct:path, $check:path) => { $check($content) };
}
