//! [`Oid`]: an `OBJECT IDENTIFIER` that borrows its DER content octets from the message.

use core::fmt;

use asn1::ObjectIdentifier;

/// The longest OID content rust-asn1's [`ObjectIdentifier`] holds; [`Oid`] keeps the same
/// limit so that both accept exactly the same encodings.
const MAX_LEN: usize = 63;
/// An arc is at most 128 bits: 19 base-128 octets, the first of them below `0x84`.
const MAX_ARC_LEN: usize = 19;

/// An `OBJECT IDENTIFIER` as its validated DER content octets, borrowed from the input.
///
/// Parsing checks what [`ObjectIdentifier::from_der`] checks (non-empty, at most 63 octets,
/// every arc minimally encoded, below 2^128 and terminated) and accepts and rejects exactly
/// the same inputs with the same error, but copies nothing: the value is a 16-byte slice
/// where `ObjectIdentifier` is a 64-byte array that is zero-filled and copied on every read.
/// Two OIDs are equal when their DER is equal (DER has one encoding per OID), and an `Oid`
/// compares equal to the `ObjectIdentifier` constants of [`crate::oid`]:
///
/// ```
/// use cmp_codec::oid::{self, Oid};
/// let der = [0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x04, 0x0d];
/// let id = Oid::from_der(&der).unwrap();
/// assert_eq!(id, oid::ID_IT_IMPLICIT_CONFIRM);
/// assert_eq!(id, Oid::from(&oid::ID_IT_IMPLICIT_CONFIRM));
/// assert_eq!(id.to_string(), "1.3.6.1.5.5.7.4.13");
/// assert!(Oid::from_der(&[0x2b, 0x80, 0x01]).is_err()); // arc not minimally encoded
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Oid<'a>(&'a [u8]);

/// Whether an arc after the first starts with the octet 0x80 (not minimal): an octet 0x80
/// right after an octet below 0x80, which ended the arc before it.
#[inline(always)]
fn later_arc_starts_with_0x80(der: &[u8]) -> bool {
    match (der.first_chunk::<8>(), der.last_chunk::<8>()) {
        // 8 to 15 octets (most OIDs): two overlapping words cover every pair of neighbours.
        (Some(head), Some(tail)) if der.len() <= 15 => {
            arcs_starting_with_0x80(u64::from_le_bytes(*head))
                | arcs_starting_with_0x80(u64::from_le_bytes(*tail))
                != 0
        }
        // Branch-free over the pairs of octets: a branch per octet costs more.
        _ => der[1..].iter().zip(der).fold(false, |bad, (&b, &prev)| {
            bad | ((prev < 0x80) & (b == 0x80))
        }),
    }
}

/// For eight octets in a word (the first in the low byte): bit 7 of octet i (i >= 1) set
/// where octet i is 0x80 and octet i-1 is below 0x80.
#[inline(always)]
fn arcs_starting_with_0x80(w: u64) -> u64 {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const LOW: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    // Octets of `t` are zero exactly where `w`'s are 0x80; bit 7 of `is_0x80` marks them (no
    // carry crosses an octet: (x & 0x7f) + 0x7f <= 0xfe).
    let t = w ^ HIGH;
    let is_0x80 = !(((t & LOW) + LOW) | t) & HIGH;
    // Bit 7 of octet i set where octet i-1 is below 0x80.
    let after_end = (!w & HIGH) << 8;
    is_0x80 & after_end
}

impl<'a> Oid<'a> {
    /// Validate DER content octets as an OID (the errors of [`ObjectIdentifier::from_der`]).
    #[inline]
    pub fn from_der(der: &'a [u8]) -> asn1::ParseResult<Self> {
        let invalid = || asn1::ParseError::new(asn1::ParseErrorKind::InvalidValue);
        if der.is_empty() {
            return Err(invalid());
        }
        if der.len() > MAX_LEN {
            return Err(asn1::ParseError::new(asn1::ParseErrorKind::OidTooLong));
        }
        // No arc may start with 0x80 (not minimal) and the last octet ends an arc.
        if der[0] == 0x80 || later_arc_starts_with_0x80(der) || der[der.len() - 1] >= 0x80 {
            return Err(invalid());
        }
        if der.len() < MAX_ARC_LEN {
            return Ok(Oid(der)); // no arc can exceed 128 bits
        }
        // Long content: every arc (split after each octet below 0x80) at most 128 bits.
        let too_long =
            |arc: &[u8]| arc.len() > MAX_ARC_LEN || (arc.len() == MAX_ARC_LEN && arc[0] > 0x83);
        if der.split_inclusive(|b| b & 0x80 == 0).any(too_long) {
            return Err(invalid());
        }
        Ok(Oid(der))
    }

    /// The DER content octets.
    pub fn as_der(&self) -> &'a [u8] {
        self.0
    }

    /// The same OID as rust-asn1's owned type (a copy).
    pub fn to_object_identifier(&self) -> ObjectIdentifier {
        ObjectIdentifier::from_der(self.0).expect("validated when the Oid was made")
    }
}

impl<'a> From<&'a ObjectIdentifier> for Oid<'a> {
    fn from(id: &'a ObjectIdentifier) -> Self {
        Oid(id.as_der())
    }
}

impl<'a> From<&Oid<'a>> for Oid<'a> {
    fn from(id: &Oid<'a>) -> Self {
        *id
    }
}

impl From<Oid<'_>> for ObjectIdentifier {
    fn from(id: Oid<'_>) -> Self {
        id.to_object_identifier()
    }
}

impl PartialEq<ObjectIdentifier> for Oid<'_> {
    fn eq(&self, other: &ObjectIdentifier) -> bool {
        self.0 == other.as_der()
    }
}

impl PartialEq<Oid<'_>> for ObjectIdentifier {
    fn eq(&self, other: &Oid<'_>) -> bool {
        self.as_der() == other.0
    }
}

impl fmt::Display for Oid<'_> {
    /// Dotted decimal, as [`ObjectIdentifier`] prints it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.to_object_identifier(), f)
    }
}

impl fmt::Debug for Oid<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Oid({self})")
    }
}

impl<'a> asn1::SimpleAsn1Readable<'a> for Oid<'a> {
    const TAG: asn1::Tag = ObjectIdentifier::TAG;

    fn parse_data(data: &'a [u8]) -> asn1::ParseResult<Self> {
        Oid::from_der(data)
    }
}

impl asn1::SimpleAsn1Writable for Oid<'_> {
    type Error = asn1::WriteError;
    const TAG: asn1::Tag = ObjectIdentifier::TAG;

    fn write_data(&self, dest: &mut asn1::WriteBuf) -> asn1::WriteResult {
        dest.push_slice(self.0)
    }

    fn data_length(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn same_verdict(der: &[u8]) {
        let ours = Oid::from_der(der).map(|o| o.as_der().to_vec());
        let theirs = ObjectIdentifier::from_der(der).map(|o| o.as_der().to_vec());
        assert_eq!(ours, theirs, "{der:02x?}");
    }

    #[test]
    fn edges_agree_with_rust_asn1() {
        let long_arc = |first: u8, n: usize| {
            let mut v = vec![0x2a, first];
            v.extend(std::iter::repeat_n(0xff, n - 2));
            v.push(0x7f);
            v
        };
        for der in [
            vec![],
            vec![0x00],
            vec![0x80],
            vec![0x80, 0x01],
            vec![0x2a, 0x80, 0x01],
            vec![0x2a, 0x81, 0x00],
            vec![0x2a, 0x81],
            vec![0x2a; 63],
            vec![0x2a; 64],
            long_arc(0x83, MAX_ARC_LEN),
            long_arc(0x84, MAX_ARC_LEN),
            long_arc(0x81, MAX_ARC_LEN + 1),
            long_arc(0x81, MAX_ARC_LEN - 1),
        ] {
            same_verdict(&der);
        }
        assert!(Oid::from_der(&long_arc(0x83, MAX_ARC_LEN)).is_ok());
        assert!(Oid::from_der(&long_arc(0x84, MAX_ARC_LEN)).is_err());
    }

    /// An octet 0x80 after every kind of neighbour, at every position of OIDs around the
    /// word-wise check's lengths (8 to 15 octets) and beyond, in runs of short and long arcs.
    #[test]
    fn octet_0x80_everywhere_agrees_with_rust_asn1() {
        for len in 1..=18 {
            for fill in [0x2a, 0x81] {
                for at in 0..len {
                    for prev in [0x00, 0x01, 0x7f, 0x80, 0x81, 0xff] {
                        let mut der = vec![fill; len];
                        der[len - 1] = 0x01;
                        der[at] = 0x80;
                        if at > 0 {
                            der[at - 1] = prev;
                        }
                        same_verdict(&der);
                    }
                }
            }
        }
    }

    #[test]
    fn prints_and_compares_like_object_identifier() {
        for id in [crate::oid::ID_IT, asn1::oid!(2, 999, 3), asn1::oid!(0, 0)] {
            let o = Oid::from(&id);
            assert_eq!(o.to_string(), id.to_string());
            assert_eq!(o, id);
            assert_eq!(id, o);
            assert_eq!(ObjectIdentifier::from(o), id);
            let der = asn1::write_single(&o).unwrap();
            assert_eq!(der, asn1::write_single(&id).unwrap());
            assert_eq!(asn1::parse_single::<Oid>(&der), Ok(o));
        }
        assert_ne!(Oid::from(&crate::oid::ID_IT), crate::oid::ID_IT_CRLS);
    }

    proptest! {
        #[test]
        fn any_bytes_agree_with_rust_asn1(
            der in proptest::collection::vec(
                prop_oneof![Just(0x80u8), Just(0x7f), Just(0x00), Just(0xff), Just(0x83), Just(0x84), any::<u8>()],
                0..70,
            )
        ) {
            same_verdict(&der);
        }
    }
}
