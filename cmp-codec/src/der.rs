//! Raw DER writing: a TLV with a definite, minimal length around content that is already
//! encoded.
//!
//! The typed builders ([`crate::builder`]) and `asn1::write_single` write whole values; these
//! three functions are for the pieces no type models: a certificate a caller signs itself, a
//! wrapper around bytes that were received, or a deliberately odd input for a test or a fuzzer.
//!
//! ```
//! use cmp_codec::der::{bit_string, sequence, tlv};
//!
//! let oid = tlv(0x06, &[0x2b, 0x65, 0x70]); // id-Ed25519
//! assert_eq!(sequence(&[&oid]), [0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70]);
//! assert_eq!(bit_string(&[0xff]), [0x03, 0x02, 0x00, 0xff]);
//! assert_eq!(tlv(0x04, &[0u8; 300])[..4], [0x04, 0x82, 0x01, 0x2c]);
//! ```

/// One TLV with the single-octet tag `tag` (tag numbers up to 30) and `content`.
pub fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let n = content.len();
    let mut out = Vec::with_capacity(n + 10);
    out.push(tag);
    if n < 0x80 {
        out.push(n as u8);
    } else {
        let bytes = (n as u64).to_be_bytes();
        let skip = bytes.iter().take_while(|b| **b == 0).count();
        out.push(0x80 | (bytes.len() - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
    out.extend_from_slice(content);
    out
}

/// `SEQUENCE` of already encoded parts, in the order given.
pub fn sequence(parts: &[&[u8]]) -> Vec<u8> {
    tlv(0x30, &parts.concat())
}

/// `BIT STRING` of whole octets (no unused bits).
pub fn bit_string(bytes: &[u8]) -> Vec<u8> {
    tlv(0x03, &[&[0u8][..], bytes].concat())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_are_minimal_der() {
        for n in [
            0usize, 1, 0x7f, 0x80, 0xff, 0x100, 0xffff, 0x1_0000, 0x12_3456,
        ] {
            let der = tlv(0x04, &vec![0xaa; n]);
            let parsed = asn1::parse_single::<&[u8]>(&der).expect("rust-asn1 accepts it");
            assert_eq!(parsed.len(), n);
        }
    }
}
