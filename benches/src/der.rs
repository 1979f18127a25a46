//! Minimal DER writing helpers, for the certificates the vectors lack (an ML-DSA-65 signer).

pub use cmp_codec::der::{bit_string as bits, sequence as seq, tlv};

/// `Name` with one commonName.
pub fn name(cn: &str) -> Vec<u8> {
    let attr = seq(&[&[0x06, 0x03, 0x55, 0x04, 0x03], &tlv(0x0c, cn.as_bytes())]);
    seq(&[&tlv(0x31, &attr)])
}

/// A self-signed v3 certificate with a subjectKeyIdentifier, signed by `sign`.
pub fn self_signed_cert(
    cn: &str,
    spki: &[u8],
    sig_alg: &[u8],
    ski: &[u8],
    sign: impl Fn(&[u8]) -> Vec<u8>,
) -> Vec<u8> {
    let ext = seq(&[&[0x06, 0x03, 0x55, 0x1d, 0x0e], &tlv(0x04, &tlv(0x04, ski))]);
    let validity = seq(&[&tlv(0x17, b"250101000000Z"), &tlv(0x17, b"491231235959Z")]);
    let n = name(cn);
    let tbs = seq(&[
        &tlv(0xa0, &[0x02, 0x01, 0x02]),
        &[0x02, 0x01, 0x01],
        sig_alg,
        &n,
        &validity,
        &n,
        spki,
        &tlv(0xa3, &seq(&[&ext])),
    ]);
    let sig = sign(&tbs);
    seq(&[&tbs, sig_alg, &bits(&sig)])
}
