//! Minimal DER writing helpers, for the certificates the vectors lack (an ML-DSA-65 signer).

/// One TLV with a one-byte tag.
pub fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut v = vec![tag];
    let n = content.len();
    if n < 0x80 {
        v.push(n as u8);
    } else {
        let b = (n as u32).to_be_bytes();
        let skip = b.iter().take_while(|x| **x == 0).count();
        v.push(0x80 | (4 - skip) as u8);
        v.extend_from_slice(&b[skip..]);
    }
    v.extend_from_slice(content);
    v
}

/// `SEQUENCE` of already encoded parts.
pub fn seq(parts: &[&[u8]]) -> Vec<u8> {
    tlv(0x30, &parts.concat())
}

/// `BIT STRING` without unused bits.
pub fn bits(b: &[u8]) -> Vec<u8> {
    let mut c = vec![0u8];
    c.extend_from_slice(b);
    tlv(0x03, &c)
}

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
