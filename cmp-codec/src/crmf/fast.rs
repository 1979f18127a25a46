//! Direct readers for `CertReqMsg`, `CertRequest`, `CertTemplate` and `POPOSigningKey` (see
//! `direct_sequence!`), tried before rust-asn1's derived ones.
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

use super::{
    CertReqMsg, CertRequest, CertTemplate, OptionalValidity, POPOSigningKey, ProofOfPossession,
};
use crate::direct::{
    algorithm_identifier, end, explicit_name, field, int_field, next, optional, optional_any, read,
    subject_public_key_info, SEQUENCE,
};

/// `ProofOfPossession.signature`: `[1]`, constructed.
const POPO_SIGNATURE: u8 = 0xa1;

/// The template from its content octets (without the outer `SEQUENCE` tag and length).
pub(super) fn cert_template(data: &[u8]) -> Option<CertTemplate<'_>> {
    let mut t = CertTemplate::default();
    cert_template_into(data, &mut t)?;
    Some(t)
}

/// [`cert_template`] into `t` (all fields absent on entry), so that a template inside a
/// `CertRequest` is built where it stays: a `CertTemplate` is 320 bytes, and each move
/// through an `Option` and a `Result` is a copy (a `CertReqMsg` is 632).
#[inline(always)]
fn cert_template_into<'a>(data: &'a [u8], t: &mut CertTemplate<'a>) -> Option<()> {
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
    Some(())
}

/// `CertReqMsg` from its content octets.
pub(super) fn cert_req_msg(data: &[u8]) -> Option<CertReqMsg<'_>> {
    let mut m = empty_cert_req_msg();
    cert_req_msg_into(data, &mut m)?;
    Some(m)
}

/// Whether [`cert_req_msg`] reads `data`, without moving the 632-byte value anywhere:
/// what a `SEQUENCE OF CertReqMsg` checks per element (`Element::check`).
pub(super) fn cert_req_msg_check(data: &[u8]) -> bool {
    let mut m = empty_cert_req_msg();
    cert_req_msg_into(data, &mut m).is_some()
}

fn empty_cert_req_msg<'a>() -> CertReqMsg<'a> {
    CertReqMsg {
        cert_req: empty_cert_request(),
        popo: None,
        reg_info: None,
    }
}

/// [`cert_req_msg`] into `m` (its OPTIONAL fields absent on entry).
#[inline(always)]
fn cert_req_msg_into<'a>(data: &'a [u8], m: &mut CertReqMsg<'a>) -> Option<()> {
    let (SEQUENCE, req, mut r) = next(data)? else {
        return None;
    };
    cert_request_into(req, &mut m.cert_req)?;
    // `signature [1] POPOSigningKey` (implicit, so constructed), the usual proof, without
    // the CHOICE's generic reader; the other alternatives through it.
    // Each arm writes `m.popo` itself, from parts no bigger than an `AlgorithmIdentifier`:
    // a 240-byte `POPOSigningKey` built first was copied into a temporary, then into place.
    match r.first() {
        Some(&POPO_SIGNATURE) => {
            let (_, content, rest) = next(r)?;
            r = rest;
            // `poposkInput` present or anything unusual: the derived reader decides.
            let (algorithm_identifier, signature) = popo_signing_key_parts(content)?;
            m.popo = Some(ProofOfPossession::Signature(POPOSigningKey {
                poposk_input: None,
                algorithm_identifier,
                signature,
            }));
        }
        _ => m.popo = optional_any(&mut r)?,
    }
    m.reg_info = optional(&mut r)?;
    r.is_empty().then_some(())
}

/// `CertRequest` from its content octets.
pub(super) fn cert_request(data: &[u8]) -> Option<CertRequest<'_>> {
    let mut v = empty_cert_request();
    cert_request_into(data, &mut v)?;
    Some(v)
}

/// A request to read into: every OPTIONAL field absent.
fn empty_cert_request<'a>() -> CertRequest<'a> {
    CertRequest {
        cert_req_id: 0,
        cert_template: CertTemplate::default(),
        controls: None,
    }
}

/// [`cert_request`] into `v` (its OPTIONAL fields absent on entry): the request and its
/// template are built where they stay (see [`cert_template_into`]). On anything unusual,
/// in the template too, the whole request goes to the derived reader.
#[inline(always)]
fn cert_request_into<'a>(data: &'a [u8], v: &mut CertRequest<'a>) -> Option<()> {
    let mut r = data;
    v.cert_req_id = int_field(&mut r)?;
    let (SEQUENCE, template, rest) = next(r)? else {
        return None;
    };
    cert_template_into(template, &mut v.cert_template)?;
    r = rest;
    v.controls = optional(&mut r)?;
    r.is_empty().then_some(())
}

/// `POPOSigningKey` from its content octets, when `poposkInput` is absent (RFC 4211 4.1: it
/// is present only when the template lacks subject or publicKey, which no real request of
/// the vectors does; the derived reader reads it).
pub(super) fn popo_signing_key(data: &[u8]) -> Option<POPOSigningKey<'_>> {
    let (algorithm_identifier, signature) = popo_signing_key_parts(data)?;
    Some(POPOSigningKey {
        poposk_input: None,
        algorithm_identifier,
        signature,
    })
}

/// The fields of [`popo_signing_key`]'s `POPOSigningKey` (`poposkInput` absent).
#[inline(always)]
fn popo_signing_key_parts(
    data: &[u8],
) -> Option<(crate::common::AlgorithmIdentifier<'_>, asn1::BitString<'_>)> {
    let mut r = data;
    let algorithm_identifier = field(&mut r)?;
    let signature = field(&mut r)?;
    end(r, (algorithm_identifier, signature))
}
