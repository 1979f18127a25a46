//! Direct readers for `CertReqMsg`, `CertRequest` and `CertTemplate` (see `direct_sequence!`),
//! tried before rust-asn1's derived ones.
//!
//! Every field of `CertTemplate` is OPTIONAL, and the derived reader peeks and decodes the
//! next tag once per field (ten times per template, present or not) before reading the
//! present ones through nested parsers; a template is most of a `CertReqMsg`. This reader
//! walks the template's TLVs once, dispatching on the context tag number, and builds the
//! same [`CertTemplate`]. As `header/fast.rs` does, it answers `None` whenever anything is
//! unusual (a malformed or long-form TLV, a field out of order or with the wrong form,
//! trailing data): the derived reader (`CertTemplate::parse_derived`, the same declaration
//! with rust-asn1's derive) then decides, so errors and their field paths come from one place.
//!
//! The contract, checked by `tests/template_fast_path.rs` and `tests/sequence_fast_path.rs`
//! over every vector and its mutations (and by the `roundtrip` fuzz target): when a direct
//! reader returns `Some(v)`, the derived reader returns `Ok(v)` on the same bytes.

use super::{CertReqMsg, CertRequest, CertTemplate, OptionalValidity};
use crate::direct::{
    algorithm_identifier, end, explicit_name, field, next, optional, optional_any, read,
    subject_public_key_info,
};

/// The template from its content octets (without the outer `SEQUENCE` tag and length).
pub(super) fn cert_template(data: &[u8]) -> Option<CertTemplate<'_>> {
    let mut t = CertTemplate::default();
    let mut rest = data;
    // [0]..[9] in order, each present at most once.
    let mut next_field = 0;
    while !rest.is_empty() {
        let (tag, content, r) = next(rest)?;
        rest = r;
        // Context-specific class, primitive or constructed as the field's type is.
        if tag & 0xc0 != 0x80 {
            return None;
        }
        let (number, constructed) = (tag & 0x1f, tag & 0x20 != 0);
        if number < next_field {
            return None;
        }
        next_field = number + 1;
        match (number, constructed) {
            (0, false) => t.version = Some(read::<i64>(content)?),
            (1, false) => t.serial_number = Some(read(content)?),
            (2, true) => t.signing_alg = Some(algorithm_identifier(content)?),
            (3, true) => t.issuer = Some(explicit_name(content)?),
            (4, true) => t.validity = Some(read::<OptionalValidity>(content)?),
            (5, true) => t.subject = Some(explicit_name(content)?),
            (6, true) => t.public_key = Some(subject_public_key_info(content)?),
            (7, false) => t.issuer_uid = Some(read(content)?),
            (8, false) => t.subject_uid = Some(read(content)?),
            (9, true) => t.extensions = Some(read(content)?),
            _ => return None,
        }
    }
    Some(t)
}

/// `CertReqMsg` from its content octets.
pub(super) fn cert_req_msg(data: &[u8]) -> Option<CertReqMsg<'_>> {
    let mut r = data;
    let v = CertReqMsg {
        cert_req: field(&mut r)?,
        popo: optional_any(&mut r)?,
        reg_info: optional(&mut r)?,
    };
    end(r, v)
}

/// `CertRequest` from its content octets.
pub(super) fn cert_request(data: &[u8]) -> Option<CertRequest<'_>> {
    let mut r = data;
    let v = CertRequest {
        cert_req_id: field(&mut r)?,
        cert_template: field(&mut r)?,
        controls: optional(&mut r)?,
    };
    end(r, v)
}
