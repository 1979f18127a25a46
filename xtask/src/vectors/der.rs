//! Just enough DER reading to look inside PKIMessages and certificates:
//! one-byte tags, definite lengths, no copies (every [`Tlv`] borrows the input).

use crate::error::{bail, Error, Result};

pub const INTEGER: u8 = 0x02;
pub const BIT_STRING: u8 = 0x03;
pub const OCTET_STRING: u8 = 0x04;
pub const OID: u8 = 0x06;
pub const SEQUENCE: u8 = 0x30;

/// The tag byte of a constructed context-specific `[n]`.
pub const fn context(n: u8) -> u8 {
    0xA0 | n
}

#[derive(Clone, Copy, Debug)]
pub struct Tlv<'a> {
    pub tag: u8,
    /// The contents octets.
    pub value: &'a [u8],
    /// Tag, length and contents: the whole encoding.
    pub raw: &'a [u8],
}

impl<'a> Tlv<'a> {
    /// Reads one TLV from the front of `input`; returns it and the rest.
    pub fn read(input: &'a [u8]) -> Result<(Tlv<'a>, &'a [u8])> {
        let (&tag, rest) = input
            .split_first()
            .ok_or_else(|| Error::new("unexpected end of data"))?;
        if tag & 0x1F == 0x1F {
            bail!("multi-byte tag {tag:#04x} is not supported");
        }
        let (&first, rest) = rest
            .split_first()
            .ok_or_else(|| Error::new("missing length"))?;
        let (len, rest) = match first {
            0..=0x7F => (usize::from(first), rest),
            0x80 => bail!("indefinite length is not DER"),
            _ => {
                let n = usize::from(first & 0x7F);
                if n > 4 || rest.len() < n {
                    bail!("bad long-form length ({n} octets)");
                }
                let len = rest[..n]
                    .iter()
                    .fold(0usize, |acc, &b| acc << 8 | usize::from(b));
                (len, &rest[n..])
            }
        };
        if rest.len() < len {
            bail!(
                "length {len} runs past the end of the data ({} left)",
                rest.len()
            );
        }
        let header_len = input.len() - rest.len();
        let tlv = Tlv {
            tag,
            value: &rest[..len],
            raw: &input[..header_len + len],
        };
        Ok((tlv, &rest[len..]))
    }

    /// Reads exactly one TLV that spans all of `input`.
    pub fn read_all(input: &'a [u8]) -> Result<Tlv<'a>> {
        let (tlv, rest) = Tlv::read(input)?;
        if !rest.is_empty() {
            bail!("{} trailing bytes after the outer TLV", rest.len());
        }
        Ok(tlv)
    }

    /// The TLVs inside a constructed value.
    pub fn children(&self) -> Result<Vec<Tlv<'a>>> {
        let mut out = Vec::new();
        let mut rest = self.value;
        while !rest.is_empty() {
            let (tlv, tail) = Tlv::read(rest)?;
            out.push(tlv);
            rest = tail;
        }
        Ok(out)
    }

    /// The single TLV inside an EXPLICIT tag.
    pub fn inner(&self) -> Result<Tlv<'a>> {
        Tlv::read_all(self.value)
    }

    pub fn expect(self, tag: u8) -> Result<Self> {
        if self.tag != tag {
            bail!("expected tag {tag:#04x}, found {:#04x}", self.tag);
        }
        Ok(self)
    }

    /// A small non-negative INTEGER.
    pub fn uint(&self) -> Result<u64> {
        self.expect(INTEGER)?;
        if self.value.is_empty() || self.value.len() > 8 || self.value[0] & 0x80 != 0 {
            bail!("INTEGER is not a small non-negative number");
        }
        Ok(self
            .value
            .iter()
            .fold(0u64, |acc, &b| acc << 8 | u64::from(b)))
    }

    /// An OBJECT IDENTIFIER in dotted form.
    pub fn oid(&self) -> Result<String> {
        self.expect(OID)?;
        let mut arcs = Vec::new();
        let mut arc = 0u64;
        for &b in self.value {
            arc = arc << 7 | u64::from(b & 0x7F);
            if b & 0x80 == 0 {
                if arcs.is_empty() {
                    let first = (arc / 40).min(2);
                    arcs.push(first);
                    arcs.push(arc - 40 * first);
                } else {
                    arcs.push(arc);
                }
                arc = 0;
            }
        }
        if arcs.is_empty() || self.value.last().is_some_and(|b| b & 0x80 != 0) {
            bail!("malformed OBJECT IDENTIFIER");
        }
        Ok(arcs
            .iter()
            .map(u64::to_string)
            .collect::<Vec<_>>()
            .join("."))
    }

    /// The bits of a BIT STRING (without the unused-bits octet).
    pub fn bits(&self) -> Result<&'a [u8]> {
        self.expect(BIT_STRING)?;
        match self.value.split_first() {
            Some((&unused, bits)) if unused < 8 => Ok(bits),
            _ => bail!("malformed BIT STRING"),
        }
    }
}

/// DER encoding of a SEQUENCE around already encoded `contents`.
pub fn sequence(contents: &[u8]) -> Vec<u8> {
    let len = contents.len();
    let mut out = vec![SEQUENCE];
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes: Vec<u8> = len
            .to_be_bytes()
            .into_iter()
            .skip_while(|&b| b == 0)
            .collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend(bytes);
    }
    out.extend_from_slice(contents);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_nested_tlvs_and_oids() {
        // SEQUENCE { OID 1.2.840.113533.7.66.13, INTEGER 500 }
        let der = [
            0x30, 0x0F, 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF6, 0x7D, 0x07, 0x42, 0x0D, 0x02,
            0x02, 0x01, 0xF4,
        ];
        let seq = Tlv::read_all(&der).unwrap().expect(SEQUENCE).unwrap();
        let kids = seq.children().unwrap();
        assert_eq!(kids[0].oid().unwrap(), "1.2.840.113533.7.66.13");
        assert_eq!(kids[1].uint().unwrap(), 500);
    }

    #[test]
    fn rejects_truncated_and_indefinite() {
        assert!(Tlv::read(&[0x30, 0x05, 0x02]).is_err());
        assert!(Tlv::read(&[0x30, 0x80, 0x00, 0x00]).is_err());
    }

    #[test]
    fn sequence_uses_long_form_when_needed() {
        let body = vec![0u8; 300];
        let seq = sequence(&body);
        assert_eq!(&seq[..4], &[0x30, 0x82, 0x01, 0x2C]);
        assert_eq!(Tlv::read_all(&seq).unwrap().value.len(), 300);
    }
}
