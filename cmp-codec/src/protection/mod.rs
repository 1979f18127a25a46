//! Message protection (RFC 9810 5.1.3): the parameter types of the MAC algorithms, and the
//! `ProtectedPart` whose DER encoding is MACed or signed.

mod params;

pub use params::{
    DHBMParameter, KemBMParameter, KemOtherInfo, PBKDF2Params, PBKDF2Salt, PBMAC1Params,
    PBMParameter,
};

/// The DER `ProtectedPart ::= SEQUENCE { header PKIHeader, body PKIBody }` of a received message,
/// as the outer `SEQUENCE` header plus the two borrowed slices. Feed [`ProtectedPart::chunks`]
/// to a hasher or MAC: no copy of the message is made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProtectedPart<'a> {
    outer: [u8; 6],
    outer_len: usize,
    header: &'a [u8],
    body: &'a [u8],
}

impl<'a> ProtectedPart<'a> {
    /// Wrap the DER of a header and a body.
    pub fn new(header: &'a [u8], body: &'a [u8]) -> Self {
        let len = header.len() + body.len();
        let mut outer = [0u8; 6];
        outer[0] = 0x30;
        let outer_len = if len < 0x80 {
            outer[1] = len as u8;
            2
        } else {
            let bytes = (len as u32).to_be_bytes();
            let skip = bytes.iter().take_while(|b| **b == 0).count();
            let n = 4 - skip;
            outer[1] = 0x80 | n as u8;
            outer[2..2 + n].copy_from_slice(&bytes[skip..]);
            2 + n
        };
        ProtectedPart {
            outer,
            outer_len,
            header,
            body,
        }
    }

    /// The three pieces of the DER encoding, in order.
    pub fn chunks(&self) -> [&[u8]; 3] {
        [&self.outer[..self.outer_len], self.header, self.body]
    }

    /// Total length of the DER encoding.
    pub fn len(&self) -> usize {
        self.outer_len + self.header.len() + self.body.len()
    }

    /// Never empty (the `SEQUENCE` header is always there).
    pub fn is_empty(&self) -> bool {
        false
    }

    /// The DER encoding as one buffer (allocates; prefer [`ProtectedPart::chunks`]).
    pub fn to_vec(&self) -> Vec<u8> {
        self.chunks().concat()
    }
}
