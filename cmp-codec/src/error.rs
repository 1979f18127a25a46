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

/// A readable form of a tag: `UNIVERSAL 16 (constructed)`, `[5] (primitive)`, ...
pub fn describe_tag(tag: asn1::Tag) -> String {
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
/// DER structure itself is broken. When an element's length runs past the end of its parent
/// (truncated input), the walk continues into the bytes that are there and reports the
/// innermost element that was cut off. Walks iteratively, at most 64 levels deep.
pub(crate) fn first_malformed_tlv(der: &[u8]) -> Option<usize> {
    const MAX_DEPTH: usize = 64;
    // Constructed contents still to walk: (start, end, depth).
    let mut stack: Vec<(usize, usize, usize)> = vec![(0, der.len(), 0)];
    while let Some((mut pos, end, depth)) = stack.pop() {
        let mut children = Vec::new();
        while pos < end {
            match read_header(der, pos, end) {
                Header::Ok {
                    contents,
                    len,
                    constructed,
                } => {
                    if constructed && depth < MAX_DEPTH {
                        children.push((contents, contents + len, depth + 1));
                    }
                    pos = contents + len;
                }
                Header::Truncated { .. } => return Some(innermost_truncated(der, pos, end)),
                Header::Malformed => return Some(pos),
            }
        }
        // Depth first, in order.
        stack.extend(children.into_iter().rev());
    }
    None
}

/// Given a TLV at `pos` whose length runs past `end`, descend into the bytes that are there
/// and return the start of the innermost element that is cut off (or malformed).
fn innermost_truncated(der: &[u8], mut pos: usize, end: usize) -> usize {
    loop {
        let Header::Truncated {
            contents,
            constructed: true,
        } = read_header(der, pos, end)
        else {
            return pos;
        };
        // Skip the complete children; stop at the one that is cut off.
        let mut q = contents;
        loop {
            if q >= end {
                return pos;
            }
            match read_header(der, q, end) {
                Header::Ok { contents, len, .. } => q = contents + len,
                Header::Truncated { .. } => break,
                Header::Malformed => return q,
            }
        }
        pos = q;
    }
}

enum Header {
    Ok {
        contents: usize,
        len: usize,
        constructed: bool,
    },
    /// The length is well-formed but runs past `end`.
    Truncated {
        contents: usize,
        constructed: bool,
    },
    Malformed,
}

/// Read a DER tag and length at `pos`, with the contents required to end by `end`.
fn read_header(der: &[u8], pos: usize, end: usize) -> Header {
    let end = end.min(der.len());
    let mut p = pos;
    let Some(&first) = der.get(p).filter(|_| p < end) else {
        return Header::Malformed;
    };
    p += 1;
    if first & 0x1f == 0x1f {
        loop {
            let Some(&b) = der.get(p).filter(|_| p < end) else {
                return Header::Malformed;
            };
            p += 1;
            if b & 0x80 == 0 {
                break;
            }
        }
    }
    let Some(&l) = der.get(p).filter(|_| p < end) else {
        return Header::Malformed;
    };
    p += 1;
    let len = if l < 0x80 {
        l as usize
    } else {
        let n = (l & 0x7f) as usize;
        if n == 0 || n > 4 {
            return Header::Malformed;
        }
        let Some(bytes) = der.get(p..p + n).filter(|_| p + n <= end) else {
            return Header::Malformed;
        };
        p += n;
        if bytes[0] == 0 {
            return Header::Malformed;
        }
        let v = bytes.iter().fold(0usize, |acc, b| acc << 8 | *b as usize);
        if v < 0x80 {
            return Header::Malformed;
        }
        v
    };
    let constructed = first & 0x20 != 0;
    if p + len > end {
        return Header::Truncated {
            contents: p,
            constructed,
        };
    }
    Header::Ok {
        contents: p,
        len,
        constructed,
    }
}
