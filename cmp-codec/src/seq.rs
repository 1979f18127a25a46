//! `SEQUENCE OF` that serves both parsed and built values.
//!
//! rust-asn1's [`asn1::SequenceOf`] is a lazy, borrowed iterator that can only be produced by
//! parsing, and [`asn1::SequenceOfWriter`] can only be written. [`SeqOf`] wraps both so that one
//! message type describes what we read and what we build, without copying parsed data.

use core::fmt;

/// An ASN.1 `SEQUENCE SIZE (MIN..MAX) OF T`.
///
/// Parsing checks every element and the lower size bound `MIN` once; iterating parses the
/// elements again from the borrowed bytes (no allocation). Built values hold a `Vec`.
pub enum SeqOf<'a, T, const MIN: usize = 0> {
    /// Borrowed from parsed input: the lazy elements and the content octets they come from.
    Parsed(asn1::SequenceOf<'a, T, MIN>, &'a [u8]),
    /// Built by the caller.
    Built(Vec<T>),
}

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
            SeqOf::Parsed(s, _) => s.len(),
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
            SeqOf::Parsed(s, _) => SeqOfIter::Parsed(s.clone()),
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
            SeqOf::Parsed(_, der) => Some(der),
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

/// Iterator over a [`SeqOf`].
pub enum SeqOfIter<'a, 'b, T, const MIN: usize> {
    #[doc(hidden)]
    Parsed(asn1::SequenceOf<'a, T, MIN>),
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
            SeqOfIter::Parsed(s) => s.next(),
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
            SeqOf::Parsed(s, der) => SeqOf::Parsed(s.clone(), der),
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
    T: asn1::Asn1Readable<'a> + 'a,
{
    const TAG: asn1::Tag = <asn1::Sequence<'a> as asn1::SimpleAsn1Readable<'a>>::TAG;

    fn parse_data(data: &'a [u8]) -> asn1::ParseResult<Self> {
        <asn1::SequenceOf<'a, T, MIN> as asn1::SimpleAsn1Readable<'a>>::parse_data(data)
            .map(|s| SeqOf::Parsed(s, data))
    }
}

impl<'a, T, const MIN: usize> asn1::SimpleAsn1Writable for SeqOf<'a, T, MIN>
where
    T: asn1::Asn1Readable<'a> + asn1::Asn1Writable + 'a,
{
    type Error = T::Error;
    const TAG: asn1::Tag = <asn1::Sequence<'a> as asn1::SimpleAsn1Readable<'a>>::TAG;

    fn write_data(&self, dest: &mut asn1::WriteBuf) -> Result<(), Self::Error> {
        match self {
            // Element by element, not a copy of the received bytes: every parsed message's
            // re-encoding then exercises the element writers (the round-trip tests' oracle).
            SeqOf::Parsed(s, _) => s.write_data(dest),
            SeqOf::Built(v) => asn1::SequenceOfWriter::<T, &[T]>::new(v).write_data(dest),
        }
    }

    fn data_length(&self) -> Option<usize> {
        None
    }
}
