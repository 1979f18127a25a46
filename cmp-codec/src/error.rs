//! Decode errors that name the field path and the byte offset.
//!
//! rust-asn1 reports an error kind and up to four innermost field locations. The codec adds the
//! outer context it knows (message part, body alternative, element index), turns Rust field
//! names into the ASN.1 names (`cert_req_id` -> `certReqId`), and computes the byte offset of the
//! innermost element it can locate: the first malformed TLV when the DER structure itself is
//! broken, otherwise the start of the innermost message part. When more than four levels lie
//! between that part and the failing field, the elided levels are shown as `…`.

use core::fmt;

/// Why a message could not be decoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// The DER is malformed or does not match the ASN.1 type (from rust-asn1).
    Asn1(asn1::ParseErrorKind),
    /// `nested` or `origPKIMessage` messages are nested deeper than the cap.
    NestingTooDeep { max: usize },
    /// The input is larger than [`crate::MAX_MESSAGE_SIZE`].
    TooLarge { size: usize, max: usize },
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use asn1::ParseErrorKind as K;
        match self {
            ErrorKind::Asn1(k) => match k {
                K::InvalidValue => write!(f, "invalid value"),
                K::InvalidTag => write!(f, "invalid tag encoding"),
                K::InvalidLength => write!(
                    f,
                    "invalid length (not minimal DER, indefinite or over 4 GiB)"
                ),
                K::InvalidSize { min, max, actual } => {
                    if *max == usize::MAX {
                        write!(
                            f,
                            "SEQUENCE OF has {actual} elements, at least {min} required"
                        )
                    } else {
                        write!(
                            f,
                            "SEQUENCE OF has {actual} elements, {min}..{max} required"
                        )
                    }
                }
                K::UnexpectedTag { actual } => {
                    write!(f, "unexpected tag {}", describe_tag(*actual))
                }
                K::ShortData { needed } => write!(f, "truncated: {needed} more bytes needed"),
                K::IntegerOverflow => write!(f, "integer out of range"),
                K::ExtraData => write!(f, "unexpected data after the end of the element"),
                K::InvalidSetOrdering => write!(f, "SET OF elements not in DER order"),
                K::EncodedDefault => write!(f, "DEFAULT value encoded (DER forbids it)"),
                K::OidTooLong => write!(f, "OBJECT IDENTIFIER longer than 63 bytes"),
                K::UnknownDefinedBy => write!(f, "unknown identifier in DEFINED BY"),
            },
            ErrorKind::NestingTooDeep { max } => {
                write!(f, "nested PKIMessages deeper than {max} levels")
            }
            ErrorKind::TooLarge { size, max } => {
                write!(f, "message of {size} bytes exceeds the {max}-byte limit")
            }
        }
    }
}

fn describe_tag(tag: asn1::Tag) -> String {
    let kind = if tag.is_constructed() {
        "constructed"
    } else {
        "primitive"
    };
    let value = tag.value();
    match format!("{:?}", tag.class()).as_str() {
        "Universal" => format!("UNIVERSAL {value} ({kind})"),
        "ContextSpecific" => format!("[{value}] ({kind})"),
        "Application" => format!("[APPLICATION {value}] ({kind})"),
        _ => format!("[PRIVATE {value}] ({kind})"),
    }
}

/// A message that could not be decoded: what is wrong, where in the ASN.1 structure
/// (`body.ir[0].certReq.certTemplate.subject`) and at which byte offset of the input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodeError {
    pub kind: ErrorKind,
    /// Dotted ASN.1 field path from the top of the message.
    pub path: String,
    /// Offset in bytes from the start of the input.
    pub offset: usize,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at byte {}: {}", self.path, self.offset, self.kind)
    }
}

impl std::error::Error for DecodeError {}

/// One step of a path reported by rust-asn1.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Segment {
    Field { owner: String, name: String },
    Index(usize),
}

/// The locations rust-asn1 recorded, outermost first, and whether the list may be truncated.
///
/// rust-asn1 0.24 keeps them private and prints them only through `Debug`
/// (`location: ["PKIBody::Ir", 0, "CertReqMsg::cert_req"]`); this reads that rendering. The
/// test `error_paths` pins the format.
pub(crate) fn asn1_locations(e: &asn1::ParseError) -> (Vec<Segment>, bool) {
    let dbg = format!("{e:?}");
    let Some(start) = dbg.find("location: [") else {
        return (Vec::new(), false);
    };
    let list = &dbg[start + "location: [".len()..];
    let list = &list[..list.rfind(']').unwrap_or(list.len())];
    let segments: Vec<Segment> = list
        .split(", ")
        .filter(|s| !s.is_empty())
        .map(|s| {
            if let Some(q) = s.strip_prefix('"').and_then(|s| s.strip_suffix('"')) {
                let (owner, name) = q.split_once("::").unwrap_or(("", q));
                Segment::Field {
                    owner: owner.to_string(),
                    name: name.to_string(),
                }
            } else {
                Segment::Index(s.parse().unwrap_or(0))
            }
        })
        .collect();
    let truncated = segments.len() >= 4;
    (segments, truncated)
}

/// The ASN.1 spelling of a Rust field or variant name.
pub(crate) fn asn1_name(owner: &str, name: &str) -> String {
    let name = name.strip_prefix("r#").unwrap_or(name);
    if name.chars().next().is_some_and(|c| c.is_ascii_uppercase()) {
        // Enum variant: `CertConf` -> `certConf`, `RaVerified` -> `raVerified`.
        let mut s = name.to_string();
        s[..1].make_ascii_lowercase();
        return s;
    }
    let special = match (owner, name) {
        (_, "transaction_id") => "transactionID",
        (_, "sender_kid") => "senderKID",
        (_, "recip_kid") => "recipKID",
        (_, "pki_status_info") => "pKIStatusInfo",
        (_, "extn_id") => "extnID",
        (_, "attr_type") => "type",
        (_, "issuer_uid") => "issuerUID",
        (_, "subject_uid") => "subjectUID",
        _ => "",
    };
    if !special.is_empty() {
        return special.to_string();
    }
    let mut out = String::with_capacity(name.len());
    let mut upper = false;
    for c in name.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// Append rust-asn1's segments to `path`.
pub(crate) fn push_segments(path: &mut String, segments: &[Segment]) {
    for s in segments {
        match s {
            Segment::Field { owner, name } => {
                path.push('.');
                path.push_str(&asn1_name(owner, name));
            }
            Segment::Index(i) => {
                path.push('[');
                path.push_str(&i.to_string());
                path.push(']');
            }
        }
    }
}

/// The offset of the first structurally malformed TLV inside `der` (a complete TLV), if the
/// DER structure itself is broken. Walks constructed elements iteratively, at most 64 deep.
pub(crate) fn first_malformed_tlv(der: &[u8]) -> Option<usize> {
    const MAX_DEPTH: usize = 64;
    // Stack of (start, end) of constructed contents still to walk.
    let mut stack: Vec<(usize, usize)> = Vec::new();
    match read_header(der, 0, der.len()) {
        Some((hdr, len, constructed)) => {
            if constructed {
                stack.push((hdr, hdr + len));
            }
        }
        None => return Some(0),
    }
    while let Some((mut pos, end)) = stack.pop() {
        let mut children = Vec::new();
        while pos < end {
            match read_header(der, pos, end) {
                Some((hdr, len, constructed)) => {
                    if constructed && stack.len() < MAX_DEPTH {
                        children.push((hdr, hdr + len));
                    }
                    pos = hdr + len;
                }
                None => return Some(pos),
            }
        }
        // Depth first, in order.
        stack.extend(children.into_iter().rev());
    }
    None
}

/// Read a DER tag and length at `pos`; returns (contents start, contents length, constructed).
fn read_header(der: &[u8], pos: usize, end: usize) -> Option<(usize, usize, bool)> {
    let mut p = pos;
    let first = *der.get(p).filter(|_| p < end)?;
    p += 1;
    if first & 0x1f == 0x1f {
        loop {
            let b = *der.get(p).filter(|_| p < end)?;
            p += 1;
            if b & 0x80 == 0 {
                break;
            }
        }
    }
    let l = *der.get(p).filter(|_| p < end)?;
    p += 1;
    let len = if l < 0x80 {
        l as usize
    } else {
        let n = (l & 0x7f) as usize;
        if n == 0 || n > 4 {
            return None;
        }
        let bytes = der.get(p..p + n).filter(|_| p + n <= end)?;
        p += n;
        if bytes[0] == 0 {
            return None;
        }
        let v = bytes.iter().fold(0usize, |acc, b| acc << 8 | *b as usize);
        if v < 0x80 {
            return None;
        }
        v
    };
    if p + len > end {
        return None;
    }
    Some((p, len, first & 0x20 != 0))
}
