//! Building blocks of the direct readers (`header/fast.rs`, `crmf/fast.rs`): a TLV walk over
//! single-octet tags and short DER lengths that answers `None` on anything unusual, so that
//! rust-asn1's derived reader decides (and reports) every such input.

use crate::common::{AlgorithmIdentifier, Extension, SubjectPublicKeyInfo};
use crate::raw::Name;

pub(crate) const BOOLEAN: u8 = 0x01;
pub(crate) const INTEGER: u8 = 0x02;
pub(crate) const OCTET_STRING: u8 = 0x04;
pub(crate) const OID: u8 = 0x06;
pub(crate) const BIT_STRING: u8 = 0x03;
pub(crate) const SEQUENCE: u8 = 0x30;

/// A value from its content octets, by its own (rust-asn1) reader.
pub(crate) fn read<'a, T: asn1::SimpleAsn1Readable<'a>>(content: &'a [u8]) -> Option<T> {
    T::parse_data(content).ok()
}

/// One TLV with a single-octet (low-number) tag and a DER length of at most two octets:
/// `(tag, content, rest)`.
#[inline(always)]
pub(crate) fn next(data: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = data.split_first()?;
    if tag & 0x1f == 0x1f {
        return None;
    }
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = match first {
        0..=0x7f => (usize::from(first), rest),
        0x81 => {
            let (&l, rest) = rest.split_first()?;
            if l < 0x80 {
                return None; // not the shortest form
            }
            (usize::from(l), rest)
        }
        0x82 => {
            let (l, rest) = rest.split_first_chunk::<2>()?;
            let len = usize::from(u16::from_be_bytes(*l));
            if len < 0x100 {
                return None;
            }
            (len, rest)
        }
        _ => return None,
    };
    if rest.len() < len {
        return None;
    }
    let (content, rest) = rest.split_at(len);
    Some((tag, content, rest))
}

/// A mandatory field of type `T` (single-octet tag, short length) at the start of `rest`,
/// which moves past it.
#[inline(always)]
pub(crate) fn field<'a, T: asn1::SimpleAsn1Readable<'a>>(rest: &mut &'a [u8]) -> Option<T> {
    let (tag, content, r) = next(rest)?;
    if Some(tag) != T::TAG.as_u8() {
        return None;
    }
    *rest = r;
    read(content)
}

/// An `INTEGER` that fits `i64` from its content octets. One octet, the usual case, is read
/// here (any single octet is a minimal encoding); longer ones by rust-asn1's reader, whose
/// variable-length copy was a `memcpy` call per integer.
#[inline(always)]
pub(crate) fn int(content: &[u8]) -> Option<i64> {
    match content {
        [octet] => Some(i64::from(*octet as i8)),
        _ => read(content),
    }
}

/// A mandatory `INTEGER` field (`certReqId`, `checkAfter`; see [`int`]), which moves past it.
#[inline(always)]
pub(crate) fn int_field(rest: &mut &[u8]) -> Option<i64> {
    let (tag, content, r) = next(rest)?;
    if tag != INTEGER {
        return None;
    }
    *rest = r;
    int(content)
}

/// An OPTIONAL field of type `T`: absent (`Some(None)`) when `rest` is empty or starts with
/// another tag, as the derived reader decides it; `None` when the field is there but not in
/// the direct reader's forms.
#[inline(always)]
pub(crate) fn optional<'a, T: asn1::SimpleAsn1Readable<'a>>(
    rest: &mut &'a [u8],
) -> Option<Option<T>> {
    match rest.first() {
        Some(&tag) if Some(tag) == T::TAG.as_u8() => field(rest).map(Some),
        _ => Some(None),
    }
}

/// An OPTIONAL `[N] EXPLICIT T` field (see [`optional`]).
#[inline(always)]
pub(crate) fn optional_explicit<'a, T: asn1::SimpleAsn1Readable<'a>, const N: u32>(
    rest: &mut &'a [u8],
) -> Option<Option<T>> {
    optional_explicit_by::<T, N>(rest, explicit_content)
}

/// An OPTIONAL `[N] EXPLICIT T` field whose value `read` takes from the tag's content octets.
#[inline(always)]
fn optional_explicit_by<'a, T: asn1::Asn1Readable<'a>, const N: u32>(
    rest: &mut &'a [u8],
    read: impl FnOnce(&'a [u8]) -> Option<T>,
) -> Option<Option<T>> {
    let tag = <asn1::Explicit<T, N> as asn1::SimpleAsn1Readable<'a>>::TAG.as_u8()?;
    match rest.first() {
        Some(&t) if t == tag => {
            let (_, content, r) = next(rest)?;
            *rest = r;
            read(content).map(Some)
        }
        _ => Some(None),
    }
}

/// A mandatory field of a type without a `SimpleAsn1Readable` reader of its own (a CHOICE,
/// a raw TLV type): its TLV split directly, read by rust-asn1.
#[inline(always)]
pub(crate) fn any<'a, T: asn1::Asn1Readable<'a>>(rest: &mut &'a [u8]) -> Option<T> {
    let (_, _, r) = next(rest)?;
    let tlv = &rest[..rest.len() - r.len()];
    *rest = r;
    asn1::parse_single(tlv).ok()
}

/// An OPTIONAL field read as [`any`]: present when its reader can parse the next tag, as
/// the derived reader decides it.
#[inline(always)]
pub(crate) fn optional_any<'a, T: asn1::Asn1Readable<'a>>(
    rest: &mut &'a [u8],
) -> Option<Option<T>> {
    if rest.is_empty() {
        return Some(None);
    }
    let (tag, _) = asn1::Tag::from_bytes(rest).ok()?;
    if T::can_parse(tag) {
        any(rest).map(Some)
    } else {
        Some(None)
    }
}

/// An OPTIONAL `[N] EXPLICIT T` field whose `T` is read as [`any`].
#[inline(always)]
pub(crate) fn optional_explicit_any<'a, T: asn1::Asn1Readable<'a>, const N: u32>(
    rest: &mut &'a [u8],
) -> Option<Option<T>> {
    optional_explicit_by::<T, N>(rest, |content| asn1::parse_single(content).ok())
}

/// `Some(v)` when `rest` is empty (nothing after the last field).
#[inline(always)]
pub(crate) fn end<T>(rest: &[u8], v: T) -> Option<T> {
    rest.is_empty().then_some(v)
}

/// The value of an EXPLICIT tag from the tag's content octets: exactly one TLV of `T` (single
/// octet tag, short length), read by `T`'s own reader.
#[inline(always)]
pub(crate) fn explicit_content<'a, T: asn1::SimpleAsn1Readable<'a>>(
    content: &'a [u8],
) -> Option<T> {
    match next(content)? {
        (tag, inner, []) if Some(tag) == T::TAG.as_u8() => read(inner),
        _ => None,
    }
}

/// An `asn1::Explicit<T, N>` field at the start of `data` (both tags single octets, the
/// content exactly one TLV of `T`, read by `T`'s own reader), and what follows it. `None` on
/// anything else (rust-asn1 then reads the field or reports it).
pub(crate) fn explicit_direct<'a, T: asn1::SimpleAsn1Readable<'a>, const N: u32>(
    data: &'a [u8],
) -> Option<(T, &'a [u8])> {
    let outer_tag = <asn1::Explicit<T, N> as asn1::SimpleAsn1Readable<'a>>::TAG.as_u8()?;
    let (tag, content, rest) = next(data)?;
    if tag != outer_tag {
        return None;
    }
    Some((explicit_content(content)?, rest))
}

/// An EXPLICIT `Name`: content octets that are exactly one `SEQUENCE` TLV.
#[inline(always)]
pub(crate) fn explicit_name(content: &[u8]) -> Option<Name<'_>> {
    match next(content)? {
        (SEQUENCE, name, []) => Some(Name::from_split(content, name)),
        _ => None,
    }
}

/// `AlgorithmIdentifier` from its content octets: an OID and at most one parameters TLV.
#[inline(always)]
pub(crate) fn algorithm_identifier(data: &[u8]) -> Option<AlgorithmIdentifier<'_>> {
    let (tag, oid, rest) = next(data)?;
    if tag != OID {
        return None;
    }
    let algorithm = crate::oid::Oid::from_der(oid).ok()?;
    let parameters = if rest.is_empty() {
        None
    } else {
        let (tlv, after) = asn1::strip_tlv(rest).ok()?;
        if !after.is_empty() {
            return None;
        }
        Some(tlv)
    };
    Some(AlgorithmIdentifier {
        algorithm,
        parameters,
    })
}

/// `Extension` from its content octets: `critical` only as DER writes it (absent, or `TRUE`
/// as 0xff; an encoded `FALSE` is the derived reader's error to give).
#[inline(always)]
pub(crate) fn extension(data: &[u8]) -> Option<Extension<'_>> {
    let (tag, oid, mut rest) = next(data)?;
    if tag != OID {
        return None;
    }
    let extn_id = crate::oid::Oid::from_der(oid).ok()?;
    let critical = rest.first() == Some(&BOOLEAN);
    if critical {
        let (_, value, r) = next(rest)?;
        if value != [0xff] {
            return None;
        }
        rest = r;
    }
    let (tag, extn_value, rest) = next(rest)?;
    if tag != OCTET_STRING || !rest.is_empty() {
        return None;
    }
    Some(Extension {
        extn_id,
        critical,
        extn_value,
    })
}

/// `SubjectPublicKeyInfo` from its content octets.
#[inline(always)]
pub(crate) fn subject_public_key_info(data: &[u8]) -> Option<SubjectPublicKeyInfo<'_>> {
    let (tag, alg, rest) = next(data)?;
    if tag != SEQUENCE {
        return None;
    }
    let algorithm = algorithm_identifier(alg)?;
    let (tag, bits, rest) = next(rest)?;
    if tag != BIT_STRING || !rest.is_empty() {
        return None;
    }
    Some(SubjectPublicKeyInfo {
        algorithm,
        subject_public_key: read(bits)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_and_long_lengths() {
        assert_eq!(
            next(&[0x04, 0x01, 0xaa]),
            Some((0x04, &[0xaa][..], &[][..]))
        );
        let long: Vec<u8> = [&[0x04, 0x81, 0x80][..], &[0u8; 0x80]].concat();
        assert_eq!(next(&long).map(|(_, c, _)| c.len()), Some(0x80));
        // Not the shortest length form, high tag numbers, truncation: left to rust-asn1.
        assert_eq!(next(&[0x04, 0x81, 0x01, 0xaa]), None);
        assert_eq!(next(&[0x04, 0x82, 0x00, 0x80]), None);
        assert_eq!(next(&[0x1f, 0x01, 0x00]), None);
        assert_eq!(next(&[0x04, 0x02, 0xaa]), None);
        assert_eq!(next(&[0x04, 0x80]), None);
    }
}
