//! `SEQUENCE OF` that serves both parsed and built values.
//!
//! rust-asn1's [`asn1::SequenceOf`] is a lazy, borrowed iterator that can only be produced by
//! parsing, and [`asn1::SequenceOfWriter`] can only be written. [`SeqOf`] serves both, so that
//! one message type describes what we read and what we build, without copying parsed data.
//!
//! A parsed `SeqOf` keeps the received content octets and the element count. Its reader
//! splits the elements directly and checks each with its type's [`Element::check`] (the
//! direct readers of `direct_sequence!` types, a tag for the raw types) instead of
//! building every element through rust-asn1's layers only to drop it: on a `CertReqMsg`
//! (632 bytes) or an `InfoTypeAndValue` (352) that was most of the cost. On the first
//! element that does not pass, rust-asn1's `SequenceOf` reader decides, so errors come from
//! one place; `tests/seq_of_reader.rs` checks that both readers agree on every constructed
//! value of the vectors and on their mutations.

use core::fmt;

/// An ASN.1 `SEQUENCE SIZE (MIN..MAX) OF T`.
///
/// Parsing checks every element and the lower size bound `MIN` once; iterating parses the
/// elements again from the borrowed bytes (no allocation). Built values hold a `Vec`.
pub enum SeqOf<'a, T, const MIN: usize = 0> {
    /// Borrowed from parsed input: the content octets and the number of elements.
    Parsed(Received<'a>),
    /// Built by the caller.
    Built(Vec<T>),
}

/// The received content octets of a parsed [`SeqOf`] (every element already checked) and
/// how many elements they hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Received<'a> {
    der: &'a [u8],
    len: usize,
}

/// An element type of [`SeqOf`]: how parsing checks one element without keeping it.
///
/// The default parses the element with its rust-asn1 reader and drops the value. Types with
/// a direct reader (`direct_sequence!`), the raw types (one tag to check) and
/// `InfoTypeAndValue` check without building and moving a value through rust-asn1's
/// layers (a `CertReqMsg` is 632 bytes, copied at each); a `direct_sequence!` may name its
/// own `check:` that reads in place (`CertReqMsg`'s does).
pub trait Element<'a>: asn1::Asn1Readable<'a> {
    /// Whether `tlv`, one complete TLV, is an element that `asn1::parse_single::<Self>`
    /// accepts; `split` is its tag and content when the codec's direct TLV split (single-octet
    /// tag, short length) took it apart. Must answer exactly as `parse_single` does (`false`:
    /// the caller asks rust-asn1 for the error).
    fn check(tlv: &'a [u8], split: Option<(u8, &'a [u8])>) -> bool {
        let _ = split;
        asn1::parse_single::<Self>(tlv).is_ok()
    }
}

/// [`Element`] with the default check.
macro_rules! elements {
    ($($ty:ty),+ $(,)?) => {
        $(impl<'a> $crate::seq::Element<'a> for $ty {})+
    };
}

/// The usual [`Element::check`]: `direct` on the content when the element was split
/// directly with the tag `tag` (it answers `true` only where rust-asn1 accepts), otherwise,
/// or when `direct` declines, rust-asn1's reader.
pub(crate) fn check_direct<'a, T: asn1::Asn1Readable<'a>>(
    tlv: &'a [u8],
    split: Option<(u8, &'a [u8])>,
    tag: u8,
    direct: impl FnOnce(&'a [u8]) -> bool,
) -> bool {
    match split {
        Some((t, content)) if t == tag && direct(content) => true,
        _ => asn1::parse_single::<T>(tlv).is_ok(),
    }
}

impl<'a> Element<'a> for asn1::Utf8String<'a> {
    /// rust-asn1's reader: the tag, then UTF-8 (`PKIFreeText` is in every `error`; its
    /// texts are ASCII in practice, which `is_ascii` checks word by word where the general
    /// UTF-8 check costs several times as much on short strings).
    fn check(tlv: &'a [u8], split: Option<(u8, &'a [u8])>) -> bool {
        check_direct::<Self>(tlv, split, UTF8_STRING, |content| {
            content.is_ascii() || core::str::from_utf8(content).is_ok()
        })
    }
}

/// The tag of a universal `UTF8String`.
const UTF8_STRING: u8 = 0x0c;

elements!(
    asn1::ObjectIdentifier,
    asn1::BigInt<'a>,
    asn1::Tlv<'a>,
    crate::common::GeneralName<'a>,
    crate::crmf::Control<'a>,
    crate::crmf::RegInfo<'a>,
    crate::crmf::SinglePubInfo<'a>,
    crate::itav::CRLStatus<'a>,
    crate::body::Challenge<'a>,
    crate::x509::Extension<'a>,
);

impl<'a, T, const MIN: usize> SeqOf<'a, T, MIN>
where
    T: asn1::Asn1Readable<'a> + Clone + 'a,
{
    /// Build from values. The caller is responsible for `MIN` (checked by the builders).
    pub fn new(values: Vec<T>) -> Self {
        SeqOf::Built(values)
    }

    /// Number of elements.
    pub fn len(&self) -> usize {
        match self {
            SeqOf::Parsed(r) => r.len,
            SeqOf::Built(v) => v.len(),
        }
    }

    /// `true` when there are no elements.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Iterate the elements (parsed values are decoded again from the borrowed bytes).
    pub fn iter(&self) -> SeqOfIter<'a, '_, T, MIN> {
        match self {
            SeqOf::Parsed(r) => SeqOfIter::Parsed(r.der, core::marker::PhantomData),
            SeqOf::Built(v) => SeqOfIter::Built(v.iter()),
        }
    }

    /// The element at `index`, if any.
    pub fn get(&self, index: usize) -> Option<T> {
        self.iter().nth(index)
    }

    /// The content octets as received (the elements' DER, without the SEQUENCE header);
    /// `None` for built values.
    pub fn received_der(&self) -> Option<&'a [u8]> {
        match self {
            SeqOf::Parsed(r) => Some(r.der),
            SeqOf::Built(_) => None,
        }
    }

    /// The received elements as undecoded TLVs (cheaper than [`SeqOf::iter`] when only a
    /// tag or a prefix is needed); `None` for built values.
    pub fn raw_elements(&self) -> Option<asn1::SequenceOf<'a, asn1::Tlv<'a>>> {
        let der = self.received_der()?;
        <asn1::SequenceOf<'a, asn1::Tlv<'a>> as asn1::SimpleAsn1Readable<'a>>::parse_data(der).ok()
    }
}

/// The first TLV of non-empty `data`, its tag and content when split directly (the common
/// shape), and what follows.
#[allow(clippy::type_complexity)]
#[inline(always)]
fn split(data: &[u8]) -> Option<(&[u8], Option<(u8, &[u8])>, &[u8])> {
    match crate::direct::next(data) {
        Some((tag, content, rest)) => {
            Some((&data[..data.len() - rest.len()], Some((tag, content)), rest))
        }
        None => asn1::strip_tlv(data)
            .ok()
            .map(|(t, rest)| (t.full_data(), None, rest)),
    }
}

/// Iterator over a [`SeqOf`].
pub enum SeqOfIter<'a, 'b, T, const MIN: usize> {
    #[doc(hidden)]
    Parsed(&'a [u8], core::marker::PhantomData<T>),
    #[doc(hidden)]
    Built(core::slice::Iter<'b, T>),
}

impl<'a, T, const MIN: usize> Iterator for SeqOfIter<'a, '_, T, MIN>
where
    T: asn1::Asn1Readable<'a> + Clone + 'a,
{
    type Item = T;

    fn next(&mut self) -> Option<T> {
        match self {
            SeqOfIter::Parsed(rest, _) => {
                if rest.is_empty() {
                    return None;
                }
                let (tlv, _, r) = split(rest)?;
                // Every element was checked when the sequence was parsed.
                let v = asn1::parse_single::<T>(tlv).ok();
                debug_assert!(v.is_some(), "a checked element no longer parses");
                *rest = if v.is_some() { r } else { &[] };
                v
            }
            SeqOfIter::Built(it) => it.next().cloned(),
        }
    }
}

impl<'a, T, const MIN: usize> Clone for SeqOf<'a, T, MIN>
where
    T: asn1::Asn1Readable<'a> + Clone + 'a,
{
    fn clone(&self) -> Self {
        match self {
            SeqOf::Parsed(r) => SeqOf::Parsed(*r),
            SeqOf::Built(v) => SeqOf::Built(v.clone()),
        }
    }
}

impl<'a, T, const MIN: usize> PartialEq for SeqOf<'a, T, MIN>
where
    T: asn1::Asn1Readable<'a> + Clone + PartialEq + 'a,
{
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().zip(other.iter()).all(|(a, b)| a == b)
    }
}

impl<'a, T, const MIN: usize> Eq for SeqOf<'a, T, MIN> where
    T: asn1::Asn1Readable<'a> + Clone + Eq + 'a
{
}

impl<'a, T, const MIN: usize> fmt::Debug for SeqOf<'a, T, MIN>
where
    T: asn1::Asn1Readable<'a> + Clone + fmt::Debug + 'a,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<'a, T, const MIN: usize> asn1::SimpleAsn1Readable<'a> for SeqOf<'a, T, MIN>
where
    T: Element<'a> + 'a,
{
    const TAG: asn1::Tag = <asn1::Sequence<'a> as asn1::SimpleAsn1Readable<'a>>::TAG;

    fn parse_data(data: &'a [u8]) -> asn1::ParseResult<Self> {
        // Each element split and checked by its type's `Element::check`; on the first one
        // that fails (or too few), rust-asn1's reader decides and gives the error.
        let (mut rest, mut len) = (data, 0usize);
        while !rest.is_empty() {
            match split(rest) {
                Some((tlv, direct, r)) if T::check(tlv, direct) => {
                    len += 1;
                    rest = r;
                }
                _ => break,
            }
        }
        if rest.is_empty() && len >= MIN {
            return Ok(SeqOf::Parsed(Received { der: data, len }));
        }
        <asn1::SequenceOf<'a, T, MIN> as asn1::SimpleAsn1Readable<'a>>::parse_data(data).map(|s| {
            SeqOf::Parsed(Received {
                der: data,
                len: s.len(),
            })
        })
    }
}

impl<'a, T, const MIN: usize> asn1::SimpleAsn1Writable for SeqOf<'a, T, MIN>
where
    T: asn1::Asn1Readable<'a> + asn1::Asn1Writable + Clone + 'a,
{
    type Error = T::Error;
    const TAG: asn1::Tag = <asn1::Sequence<'a> as asn1::SimpleAsn1Readable<'a>>::TAG;

    fn write_data(&self, dest: &mut asn1::WriteBuf) -> Result<(), Self::Error> {
        match self {
            // Element by element, not a copy of the received bytes: every parsed message's
            // re-encoding then exercises the element writers (the round-trip tests' oracle).
            SeqOf::Parsed(_) => {
                let mut w = asn1::Writer::new(dest);
                for el in self.iter() {
                    w.write_element(&el)?;
                }
                Ok(())
            }
            SeqOf::Built(v) => asn1::SequenceOfWriter::<T, &[T]>::new(v).write_data(dest),
        }
    }

    fn data_length(&self) -> Option<usize> {
        None
    }
}
