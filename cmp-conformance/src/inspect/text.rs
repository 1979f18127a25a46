//! One-line renderings of the codec's leaf types (octets, names, times, algorithms, statuses),
//! shared by the tree and the JSON output.

use cmp_codec::common::{
    AlgorithmIdentifier, GeneralName, PKIFreeText, SubjectPublicKeyInfo, Time,
};
use cmp_codec::raw::Name;
use cmp_codec::status::PKIStatusInfo;
use cmp_codec::GeneralizedTime;
use x509_cert::der::Decode;

use super::oids;

/// A rust-asn1 error as the codec words it (`unexpected tag UNIVERSAL 1 (primitive)`).
pub fn asn1_error(e: &asn1::ParseError) -> String {
    cmp_codec::ErrorKind::Asn1(e.kind()).to_string()
}

/// Lowercase hex.
pub fn hex(bytes: &[u8]) -> String {
    hex::encode(bytes)
}

/// Hex, followed by the text in quotes when the octets are printable ASCII (key identifiers
/// are often names or reference numbers).
pub fn octets(bytes: &[u8]) -> String {
    let printable = !bytes.is_empty() && bytes.iter().all(|b| (0x20..0x7f).contains(b));
    if printable {
        // Printable ASCII is valid UTF-8.
        let text = std::str::from_utf8(bytes).unwrap_or_default();
        format!("{} ({text:?})", hex(bytes))
    } else {
        hex(bytes)
    }
}

/// Text from the message, quoted with control characters escaped, so that it stays on one line.
pub fn quoted(s: &str) -> String {
    format!("{s:?}")
}

/// Control characters escaped, nothing else changed (for names, which are not quoted).
pub fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// `PKIFreeText` as a list of quoted strings.
pub fn free_text(text: &PKIFreeText<'_>) -> String {
    let parts: Vec<String> = text.iter().map(|s| quoted(s.as_str())).collect();
    format!("[{}]", parts.join(", "))
}

/// `PKIFreeText` as plain strings (for JSON).
pub fn free_text_lines(text: &PKIFreeText<'_>) -> Vec<String> {
    text.iter().map(|s| s.as_str().to_string()).collect()
}

/// An `AlgorithmIdentifier`: the OID with its name, and a note on undecoded parameters.
pub fn algorithm(alg: &AlgorithmIdentifier<'_>) -> String {
    let mut s = oids::describe(alg.algorithm);
    if let Some(p) = &alg.parameters {
        if p.parse::<asn1::Null>().is_ok() {
            s.push_str(", parameters NULL");
        } else if let Ok(oid) = p.parse::<asn1::ObjectIdentifier>() {
            s.push_str(&format!(", parameters {}", oids::describe(&oid)));
        } else {
            s.push_str(&format!(", parameters {} bytes", p.full_data().len()));
        }
    }
    s
}

/// An X.501 `Name` as an RFC 4514 string (most specific RDN first), `<NULL-DN>` when empty.
pub fn name(name: &Name<'_>) -> String {
    name_der(name.der())
}

/// The DER of an X.501 `Name` as an RFC 4514 string; an undecodable name is shown in hex.
pub fn name_der(der: &[u8]) -> String {
    match x509_cert::name::Name::from_der(der) {
        Ok(n) if n.is_empty() => "<NULL-DN>".to_string(),
        Ok(n) => one_line(&n.to_string()),
        Err(e) => format!("<undecodable Name: {e}> {}", hex(der)),
    }
}

/// A `GeneralName` as `kind: value`.
pub fn general_name(gn: &GeneralName<'_>) -> String {
    match gn {
        GeneralName::OtherName(seq) => format!("otherName: {}", other_name(seq)),
        GeneralName::Rfc822Name(s) => format!("rfc822Name: {}", quoted(s.as_str())),
        GeneralName::DnsName(s) => format!("dNSName: {}", quoted(s.as_str())),
        GeneralName::X400Address(seq) => format!("x400Address: {} bytes", sequence_len(seq)),
        GeneralName::DirectoryName(n) => format!("directoryName: {}", name(n)),
        GeneralName::EdiPartyName(seq) => format!("ediPartyName: {} bytes", sequence_len(seq)),
        GeneralName::UniformResourceIdentifier(s) => {
            format!("uniformResourceIdentifier: {}", quoted(s.as_str()))
        }
        GeneralName::IpAddress(b) => format!("iPAddress: {}", ip_address(b)),
        GeneralName::RegisteredId(oid) => format!("registeredID: {}", oids::describe(oid)),
    }
}

/// `OtherName ::= SEQUENCE { type-id OBJECT IDENTIFIER, value [0] EXPLICIT ANY }`: the type and,
/// when the value is a string, the string.
fn other_name(seq: &asn1::Sequence<'_>) -> String {
    let parsed = seq.clone().parse(|p| {
        let type_id = p.read_element::<asn1::ObjectIdentifier>()?;
        let value = p.read_element::<asn1::Explicit<asn1::Tlv<'_>, 0>>()?;
        Ok::<_, asn1::ParseError>((type_id, value.into_inner()))
    });
    match parsed {
        Ok((type_id, value)) => {
            let v = string_value(&value)
                .map(|s| quoted(&s))
                .unwrap_or_else(|| format!("{} bytes", value.full_data().len()));
            format!("{} = {v}", oids::describe(&type_id))
        }
        Err(_) => format!("{} bytes (malformed)", sequence_len(seq)),
    }
}

/// The text of a string-typed TLV (UTF8String, PrintableString, IA5String, VisibleString).
fn string_value(tlv: &asn1::Tlv<'_>) -> Option<String> {
    if let Ok(s) = tlv.parse::<asn1::Utf8String<'_>>() {
        return Some(s.as_str().to_string());
    }
    if let Ok(s) = tlv.parse::<asn1::PrintableString<'_>>() {
        return Some(s.as_str().to_string());
    }
    if let Ok(s) = tlv.parse::<asn1::IA5String<'_>>() {
        return Some(s.as_str().to_string());
    }
    if let Ok(s) = tlv.parse::<asn1::VisibleString<'_>>() {
        return Some(s.as_str().to_string());
    }
    None
}

/// The number of content bytes of a parsed `SEQUENCE`.
pub fn sequence_len(seq: &asn1::Sequence<'_>) -> usize {
    seq.clone()
        .parse(|p| {
            let mut n = 0;
            while !p.is_empty() {
                n += p.read_element::<asn1::Tlv<'_>>()?.full_data().len();
            }
            Ok::<_, asn1::ParseError>(n)
        })
        .unwrap_or(0)
}

fn ip_address(b: &[u8]) -> String {
    match b.len() {
        4 => format!("{}.{}.{}.{}", b[0], b[1], b[2], b[3]),
        16 => {
            let mut octets = [0u8; 16];
            octets.copy_from_slice(b);
            std::net::Ipv6Addr::from(octets).to_string()
        }
        _ => hex(b),
    }
}

/// A CMP `GeneralizedTime` as an ISO instant in UTC; the encoded form follows when it is not
/// the plain DER `YYYYMMDDHHMMSSZ` (fractions, or a local offset, which DER forbids).
pub fn generalized_time(t: &GeneralizedTime<'_>) -> String {
    let utc = t.to_utc().to_string();
    if !t.is_der() {
        format!("{utc} (encoded {:?}, not DER)", t.as_str())
    } else if t.as_str().len() != 15 {
        format!("{utc} (encoded {:?})", t.as_str())
    } else {
        utc
    }
}

/// An X.509 `Time` as an ISO instant.
pub fn time(t: &Time) -> String {
    let dt = match t {
        Time::UtcTime(u) => u.as_datetime(),
        Time::GeneralTime(g) => g.as_datetime(),
    };
    datetime(dt)
}

fn datetime(dt: &asn1::DateTime) -> String {
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        dt.year(),
        dt.month(),
        dt.day(),
        dt.hour(),
        dt.minute(),
        dt.second()
    )
}

/// An INTEGER: decimal when it fits in 128 bits (with the hex), else hex.
pub fn bigint(n: &asn1::BigInt<'_>) -> String {
    let bytes = n.as_bytes();
    if bytes.len() <= 16 {
        let mut v: i128 = if n.is_negative() { -1 } else { 0 };
        for b in bytes {
            v = (v << 8) | i128::from(*b);
        }
        format!("{v} (0x{})", hex(bytes))
    } else {
        format!("0x{}", hex(bytes))
    }
}

/// A `BIT STRING` length in bits.
pub fn bit_len(b: &asn1::BitString<'_>) -> usize {
    (b.as_bytes().len() * 8).saturating_sub(usize::from(b.padding_bits()))
}

/// A public key: its algorithm, with the curve or the RSA modulus size when known.
pub fn public_key(spki: &SubjectPublicKeyInfo<'_>) -> String {
    let params = spki.algorithm.parameters.map(|p| p.full_data());
    describe_key(
        &spki.algorithm.algorithm.to_string(),
        params,
        spki.subject_public_key.as_bytes(),
    )
}

/// `RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }` (RFC 8017).
#[derive(asn1::Asn1Read)]
struct RsaPublicKey<'a> {
    modulus: asn1::BigUint<'a>,
    _public_exponent: asn1::BigUint<'a>,
}

/// Describe a key from its algorithm OID (dotted), the DER of its parameters and the key bits.
pub fn describe_key(alg_dotted: &str, params_der: Option<&[u8]>, key: &[u8]) -> String {
    let mut s = oids::describe_dotted(alg_dotted);
    let curve = params_der.and_then(|p| asn1::parse_single::<asn1::ObjectIdentifier>(p).ok());
    if let Some(curve) = curve {
        s.push_str(&format!(", curve {}", oids::short(&curve)));
    } else if alg_dotted == "1.2.840.113549.1.1.1" {
        if let Ok(rsa) = asn1::parse_single::<RsaPublicKey<'_>>(key) {
            let m = rsa.modulus.as_bytes();
            let m = &m[m.iter().take_while(|b| **b == 0).count()..];
            let bits = m
                .first()
                .map_or(0, |b| m.len() * 8 - b.leading_zeros() as usize);
            s.push_str(&format!(", {bits} bits"));
        }
    }
    s
}

/// A value of unknown type: strings, integers, OIDs, booleans and NULL shown as values,
/// anything else as its tag and length.
pub fn tlv(t: &asn1::Tlv<'_>) -> String {
    if let Some(s) = string_value(t) {
        return quoted(&s);
    }
    if let Ok(n) = t.parse::<asn1::BigInt<'_>>() {
        return format!("INTEGER {}", bigint(&n));
    }
    if let Ok(oid) = t.parse::<asn1::ObjectIdentifier>() {
        return format!("OBJECT IDENTIFIER {}", oids::describe(&oid));
    }
    if let Ok(b) = t.parse::<bool>() {
        return format!("BOOLEAN {b}");
    }
    if t.parse::<asn1::Null>().is_ok() {
        return "NULL".to_string();
    }
    if let Ok(o) = t.parse::<&[u8]>() {
        return format!("OCTET STRING {}", octets(o));
    }
    format!("{}, {} bytes", tag(t.tag()), t.data().len())
}

/// An ASN.1 tag as `UNIVERSAL 16 (constructed)`, `[0] (primitive)`, ...
pub fn tag(tag: asn1::Tag) -> String {
    let kind = if tag.is_constructed() {
        "constructed"
    } else {
        "primitive"
    };
    // rust-asn1 does not export `TagClass`; its `Debug` names the class.
    match format!("{:?}", tag.class()).as_str() {
        "Universal" => format!("UNIVERSAL {} ({kind})", tag.value()),
        "ContextSpecific" => format!("[{}] ({kind})", tag.value()),
        "Application" => format!("[APPLICATION {}] ({kind})", tag.value()),
        _ => format!("[PRIVATE {}] ({kind})", tag.value()),
    }
}

/// An X.509 extension: its type, `critical` when set, and the value of the few extensions
/// whose value is a single name (`cRLReason`).
pub fn extension(ext: &cmp_codec::common::Extension<'_>) -> String {
    let mut s = oids::describe(ext.extn_id);
    if ext.critical {
        s.push_str(", critical");
    }
    if ext.extn_id.to_string() == "2.5.29.21" {
        match asn1::parse_single::<asn1::Enumerated>(ext.extn_value) {
            Ok(e) => s.push_str(&format!(": {}", crl_reason(e.value()))),
            Err(_) => s.push_str(": <undecodable>"),
        }
    } else {
        s.push_str(&format!(", {} bytes", ext.extn_value.len()));
    }
    s
}

/// `CRLReason` (RFC 5280 5.3.1).
pub fn crl_reason(v: u32) -> String {
    let name = match v {
        0 => "unspecified",
        1 => "keyCompromise",
        2 => "cACompromise",
        3 => "affiliationChanged",
        4 => "superseded",
        5 => "cessationOfOperation",
        6 => "certificateHold",
        8 => "removeFromCRL",
        9 => "privilegeWithdrawn",
        10 => "aACompromise",
        _ => return format!("unknown({v})"),
    };
    name.to_string()
}

/// A `PKIStatusInfo` reduced to names, for both outputs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusSummary {
    /// `accepted`, `rejection`, ... or the number when it has no name.
    pub status: String,
    /// Names of the `failInfo` bits that are set (`bitN` for unnamed ones).
    pub fail_info: Vec<String>,
    /// `statusString` lines.
    pub status_string: Vec<String>,
    /// `false` when `failInfo` has trailing zero bits, which DER forbids.
    pub fail_info_der: bool,
}

impl StatusSummary {
    /// Summarise a `PKIStatusInfo`.
    pub fn new(info: &PKIStatusInfo<'_>) -> Self {
        StatusSummary {
            status: info
                .status
                .name()
                .map_or_else(|| format!("unknown({})", info.status.0), str::to_string),
            fail_info: info
                .fail_info
                .as_ref()
                .map(|f| f.names())
                .unwrap_or_default(),
            status_string: info
                .status_string
                .as_ref()
                .map(free_text_lines)
                .unwrap_or_default(),
            fail_info_der: info.fail_info.as_ref().is_none_or(|f| f.is_der()),
        }
    }

    /// The summary as a JSON object.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "status": self.status,
            "fail_info": self.fail_info,
            "status_string": self.status_string,
        })
    }
}

impl std::fmt::Display for StatusSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.status)?;
        if !self.fail_info.is_empty() || !self.fail_info_der {
            write!(f, ", failInfo [{}]", self.fail_info.join(", "))?;
            if !self.fail_info_der {
                f.write_str(" (not DER: trailing zero bits)")?;
            }
        }
        if !self.status_string.is_empty() {
            let parts: Vec<String> = self.status_string.iter().map(|s| quoted(s)).collect();
            write!(f, ", statusString [{}]", parts.join(", "))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn octets_show_text_when_printable() {
        assert_eq!(octets(b"1234"), "31323334 (\"1234\")");
        assert_eq!(octets(&[0, 1]), "0001");
    }

    #[test]
    fn integers() {
        let n = asn1::parse_single::<asn1::BigInt<'_>>(&[2, 1, 0xff]).unwrap();
        assert_eq!(bigint(&n), "-1 (0xff)");
        let n = asn1::parse_single::<asn1::BigInt<'_>>(&[2, 2, 0x01, 0x00]).unwrap();
        assert_eq!(bigint(&n), "256 (0x0100)");
    }

    #[test]
    fn null_dn_and_names() {
        assert_eq!(name_der(&[0x30, 0x00]), "<NULL-DN>");
        assert!(name_der(&[0x30, 0x01, 0x00]).starts_with("<undecodable Name"));
    }
}
