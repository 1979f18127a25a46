//! The floor for parsing, a bare recursive DER TLV walk, and the header-only parse a router
//! or RA needs to dispatch a message.

/// Walk every TLV of `data` (a concatenation of TLVs), descending into constructed ones.
/// Checks tags and lengths against the bounds of the input and nothing else (no DER
/// minimality, no schema): the least any parser must do. Returns how many TLVs there were.
pub fn tlv_walk(mut data: &[u8]) -> Option<usize> {
    let mut count = 0;
    while !data.is_empty() {
        let first = data[0];
        let mut i = 1;
        if first & 0x1f == 0x1f {
            // High tag number: base-128 until a byte without the top bit.
            loop {
                let b = *data.get(i)?;
                i += 1;
                if b & 0x80 == 0 {
                    break;
                }
                if i > 5 {
                    return None;
                }
            }
        }
        let l = *data.get(i)?;
        i += 1;
        let len = if l < 0x80 {
            l as usize
        } else {
            let n = (l & 0x7f) as usize;
            if n == 0 || n > 4 {
                return None;
            }
            let mut len = 0usize;
            for _ in 0..n {
                len = (len << 8) | *data.get(i)? as usize;
                i += 1;
            }
            len
        };
        let end = i.checked_add(len)?;
        let content = data.get(i..end)?;
        count += 1;
        if first & 0x20 != 0 {
            count += tlv_walk(content)?;
        }
        data = &data[end..];
    }
    Some(count)
}

/// What a router needs from a message without parsing its body: `PKIMessage::parse_header`
/// (the validated header, the body's alternative and its DER, left undecoded).
pub fn parse_header(der: &[u8]) -> Result<cmp_codec::HeaderView<'_>, cmp_codec::DecodeError> {
    cmp_codec::PKIMessage::parse_header(der)
}

/// Our parse made as deep as the peers' for certificates: `PKIMessage::parse`, then every
/// certificate of extraCerts, caPubs and the certificate responses decoded with `x509-cert`
/// (cmpv2 and OpenSSL decode certificates completely; our codec keeps them as checked raw
/// TLVs). Returns how many certificates were decoded.
pub fn parse_with_x509(der: &[u8]) -> Result<usize, String> {
    use cmp_codec::body::CertOrEncCert;
    use cmp_codec::{PKIBody, PKIMessage};
    let msg = PKIMessage::parse(der).map_err(|e| e.to_string())?;
    let mut n = 0;
    let mut decode = |c: cmp_codec::raw::Certificate<'_>| -> Result<(), String> {
        c.to_x509().map_err(|e| e.to_string())?;
        n += 1;
        Ok(())
    };
    for c in msg.extra_certs() {
        decode(c)?;
    }
    if let PKIBody::Ip(rep) | PKIBody::Cp(rep) | PKIBody::Kup(rep) | PKIBody::Ccp(rep) = &msg.body {
        for c in rep.ca_pubs.iter().flat_map(|s| s.iter()) {
            decode(c)?;
        }
        for r in rep.response.iter() {
            if let Some(CertOrEncCert::Certificate(c)) =
                r.certified_key_pair.map(|k| k.cert_or_enc_cert)
            {
                decode(c)?;
            }
        }
    }
    Ok(n)
}
