//! `PKIMessage` (RFC 9810 5.1): the entry point for parsing and encoding.

use crate::body::PKIBody;
use crate::direct::explicit_direct;
use crate::error::{
    asn1_locations, first_malformed_tlv, push_segments, DecodeError, ErrorKind, Segment,
};
use crate::header::PKIHeader;
use crate::itav::{InfoValue, PKIMessages};
use crate::raw::{Certificate, RawMessage, SEQUENCE};
use crate::SeqOf;

/// How deep `nested` (and `origPKIMessage`) messages may be nested: a message at depth
/// `MAX_NESTING_DEPTH + 1` is rejected with [`ErrorKind::NestingTooDeep`]. RFC 9483 RAs add one
/// level per hop, so real chains stay far below this; the cap keeps stack use bounded (the
/// parser recurses once per level) whatever the input.
pub const MAX_NESTING_DEPTH: usize = 8;

/// The largest input [`PKIMessage::parse`] accepts (64 MiB). rust-asn1 itself limits a single
/// TLV to 4 GiB; parsing is linear in the input and allocates nothing, so this cap only bounds
/// the work a single hostile message can cause.
pub const MAX_MESSAGE_SIZE: usize = 64 << 20;

/// The DER TLV of `id-it-origPKIMessage` (1.3.6.1.5.5.7.4.15): how [`PKIMessage::parse`]
/// recognises, without decoding them, the generalInfo and genm/genp items that carry messages.
const ORIG_PKI_MESSAGE_OID_TLV: [u8; 10] =
    [0x06, 0x08, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x04, 0x0f];

/// `PKIMessage ::= SEQUENCE { header, body, protection [0] OPTIONAL, extraCerts [1] OPTIONAL }`.
///
/// A parsed message borrows everything from the input and remembers the exact DER of `header`
/// and `body`, so protection can be checked over the received bytes without re-encoding
/// ([`PKIMessage::protected_part`]).
///
/// ```
/// use cmp_codec::{PKIMessage, PKIBody};
/// # let der = cmp_codec::builder::example_genm();
/// let msg = PKIMessage::parse(&der)?;
/// assert_eq!(msg.body.name(), "genm");
/// assert_eq!(msg.encode(), der); // exact DER round trip
/// # Ok::<(), cmp_codec::DecodeError>(())
/// ```
#[derive(Clone, Debug)]
pub struct PKIMessage<'a> {
    pub header: PKIHeader<'a>,
    pub body: PKIBody<'a>,
    /// `PKIProtection ::= BIT STRING`.
    pub protection: Option<asn1::BitString<'a>>,
    /// `extraCerts [1] SEQUENCE SIZE (1..MAX) OF CMPCertificate`. An empty SEQUENCE is accepted
    /// when parsing (OpenSSL's test data has one) and kept, see [`PKIMessage::has_empty_extra_certs`].
    pub extra_certs: Option<SeqOf<'a, Certificate<'a>>>,
    raw: Option<RawParts<'a>>,
}

/// A message's header with its body located but not decoded ([`PKIMessage::parse_header`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeaderView<'a> {
    pub header: PKIHeader<'a>,
    /// The body's alternative: its context tag number (0 `ir`, 1 `ip`, ..., 26 `pollRep`).
    pub body_type: u8,
    /// The header's DER as received.
    pub header_der: &'a [u8],
    /// The body's DER as received (tag, length and contents), not decoded: hand it to
    /// [`PKIMessage::parse`] with the rest of the message, or forward it.
    pub body_der: &'a [u8],
}

impl HeaderView<'_> {
    /// The body alternative's name as in the ASN.1 module (`ir`, `certConf`, `pollRep`, ...).
    pub fn body_name(&self) -> &'static str {
        crate::body::body_name(self.body_type.into())
    }
}

#[derive(Clone, Copy, Debug)]
struct RawParts<'a> {
    /// The message's DER, in which the header's DER starts at `start`, directly followed by
    /// the body's. Offsets fit in `u32`: a message is at most [`MAX_MESSAGE_SIZE`].
    der: &'a [u8],
    start: u32,
    header_len: u32,
    body_len: u32,
}

impl<'a> RawParts<'a> {
    fn header(&self) -> Option<&'a [u8]> {
        self.protected()?.get(..self.header_len as usize)
    }

    fn body(&self) -> Option<&'a [u8]> {
        self.protected()?.get(self.header_len as usize..)
    }

    /// The header's DER followed by the body's.
    fn protected(&self) -> Option<&'a [u8]> {
        let start = self.start as usize;
        let len = self.header_len as usize + self.body_len as usize;
        self.der.get(start..start + len)
    }
}

impl PartialEq for PKIMessage<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.header == other.header
            && self.body == other.body
            && self.protection == other.protection
            && self.extra_certs == other.extra_certs
    }
}

impl Eq for PKIMessage<'_> {}

/// Where a nested message sits inside its parent, for error paths.
#[derive(Clone, Copy)]
enum NestSeg {
    Nested(usize),
    HeaderOrig(usize, usize),
    BodyOrig(&'static str, usize, usize),
}

/// Error context: the start of the outermost input and the chain of enclosing messages.
#[derive(Clone, Copy)]
struct Ctx<'c> {
    base: usize,
    parent: Option<(&'c Ctx<'c>, NestSeg)>,
}

impl Ctx<'_> {
    /// The context of a whole input, once it is known not to exceed [`MAX_MESSAGE_SIZE`].
    fn top(der: &[u8]) -> Result<Ctx<'static>, DecodeError> {
        let ctx = Ctx {
            base: der.as_ptr() as usize,
            parent: None,
        };
        if der.len() > MAX_MESSAGE_SIZE {
            let kind = ErrorKind::TooLarge {
                size: der.len(),
                max: MAX_MESSAGE_SIZE,
            };
            return Err(ctx.error(kind, "", 0));
        }
        Ok(ctx)
    }

    fn render(&self, out: &mut String) {
        if let Some((parent, seg)) = self.parent {
            parent.render(out);
            match seg {
                NestSeg::Nested(i) => out.push_str(&format!("body.nested[{i}].")),
                NestSeg::HeaderOrig(i, j) => {
                    out.push_str(&format!("header.generalInfo[{i}].infoValue[{j}]."))
                }
                NestSeg::BodyOrig(arm, i, j) => {
                    out.push_str(&format!("body.{arm}[{i}].infoValue[{j}]."))
                }
            }
        }
    }

    fn offset(&self, part: &[u8]) -> usize {
        (part.as_ptr() as usize).wrapping_sub(self.base)
    }

    fn error(&self, kind: ErrorKind, local_path: &str, offset: usize) -> DecodeError {
        let mut path = String::new();
        self.render(&mut path);
        path.push_str(local_path);
        if path.ends_with('.') || path.is_empty() {
            path.push_str("PKIMessage");
        }
        DecodeError { kind, path, offset }
    }

    /// An error rust-asn1 reported while parsing `part` (a complete TLV of the input).
    fn asn1_error(
        &self,
        e: &asn1::ParseError,
        part: &[u8],
        prefix: &str,
        arm: Option<&str>,
    ) -> DecodeError {
        let (segments, truncated) = asn1_locations(e);
        let mut local = prefix.to_string();
        let owner_of = |s: Option<&Segment>| match s {
            Some(Segment::Field { owner, .. }) => Some(owner.clone()),
            _ => None,
        };
        let first_owner = owner_of(segments.first());
        let top = match arm {
            Some(_) => "PKIBody",
            None => "PKIHeader",
        };
        if let Some(arm) = arm {
            if first_owner.as_deref() != Some("PKIBody") {
                local.push('.');
                local.push_str(arm);
            }
        }
        // rust-asn1 keeps the innermost four locations; say so when levels may be missing.
        let continues = first_owner.as_deref() == Some(top)
            || arm.is_some_and(|arm| continues_arm(arm, &segments));
        if truncated && !continues && prefix != "extraCerts" {
            local.push('…');
        }
        push_segments(&mut local, &segments);
        let offset = self.offset(part) + first_malformed_tlv(part).unwrap_or(0);
        self.error(ErrorKind::Asn1(e.kind()), &local, offset)
    }
}

/// Whether the first recorded location sits directly under the body alternative `arm`.
fn continues_arm(arm: &str, segments: &[Segment]) -> bool {
    let element = match arm {
        "ir" | "cr" | "kur" | "krr" | "ccr" => "CertReqMsg",
        "popdecc" => "Challenge",
        "rr" => "RevDetails",
        "genm" | "genp" => "InfoTypeAndValue",
        "certConf" => "CertStatus",
        "pollReq" => "PollReq",
        "pollRep" => "PollRep",
        "ip" | "cp" | "kup" | "ccp" => return first_owner_is(segments, "CertRepMessage"),
        "krp" => return first_owner_is(segments, "KeyRecRepContent"),
        "rp" => return first_owner_is(segments, "RevRepContent"),
        "rann" => return first_owner_is(segments, "RevAnnContent"),
        "error" => return first_owner_is(segments, "ErrorMsgContent"),
        "ckuann" => return first_owner_is(segments, "CAKeyUpdContent"),
        _ => return false,
    };
    matches!(segments.first(), Some(Segment::Index(_))) && first_owner_is(&segments[1..], element)
}

fn first_owner_is(segments: &[Segment], owner: &str) -> bool {
    matches!(segments.first(), Some(Segment::Field { owner: o, .. }) if o == owner)
}

/// Whether a SEQUENCE OF InfoTypeAndValue (its content octets; `None` for a built one) may
/// hold an origPKIMessage item: one whose content starts with the DER of that OID. One pass
/// over the element TLVs, no decoding; anything unexpected answers `true`.
fn may_carry_messages(items: Option<&[u8]>) -> bool {
    let Some(mut rest) = items else {
        return true;
    };
    while !rest.is_empty() {
        let (content, r) = match crate::direct::next(rest) {
            Some((_, content, r)) => (content, r),
            None => match asn1::strip_tlv(rest) {
                Ok((t, r)) => (t.data(), r),
                Err(_) => return true,
            },
        };
        if content.starts_with(&ORIG_PKI_MESSAGE_OID_TLV) {
            return true;
        }
        rest = r;
    }
    false
}

/// Parse the messages carried inside a message with this header and body (`nested`,
/// `origPKIMessage`), depth-limited.
fn check_nested<'a>(
    header: &PKIHeader<'a>,
    body: &PKIBody<'a>,
    ctx: &Ctx<'_>,
    depth: usize,
) -> Result<(), DecodeError> {
    let check = |msgs: &PKIMessages<'a>, seg: &dyn Fn(usize) -> NestSeg| {
        for (k, m) in msgs.iter().enumerate() {
            let child = Ctx {
                base: ctx.base,
                parent: Some((ctx, seg(k))),
            };
            if depth + 1 > MAX_NESTING_DEPTH {
                let kind = ErrorKind::NestingTooDeep {
                    max: MAX_NESTING_DEPTH,
                };
                return Err(child.error(kind, "", child.offset(m.der())));
            }
            PKIMessage::parse_in(m.der(), &child, depth + 1)?;
        }
        Ok(())
    };
    if let PKIBody::Nested(msgs) = body {
        check(msgs, &NestSeg::Nested)?;
    }
    // Iterating generalInfo or a genm/genp decodes every InfoTypeAndValue a second time
    // (a parsed SEQUENCE OF is lazy): look at the raw elements first.
    let in_header = header
        .general_info
        .as_ref()
        .is_some_and(|g| may_carry_messages(g.received_der()));
    let in_body = match body {
        PKIBody::Genm(itavs) | PKIBody::Genp(itavs) => may_carry_messages(itavs.received_der()),
        _ => false,
    };
    if !in_header && !in_body {
        return Ok(());
    }
    for (i, itav) in header.general_info().enumerate() {
        if let InfoValue::OrigPkiMessage(Some(msgs)) = &itav.info_value {
            check(msgs, &|k| NestSeg::HeaderOrig(i, k))?;
        }
    }
    if let PKIBody::Genm(itavs) | PKIBody::Genp(itavs) = body {
        for (i, itav) in itavs.iter().enumerate() {
            if let InfoValue::OrigPkiMessage(Some(msgs)) = &itav.info_value {
                check(msgs, &|k| NestSeg::BodyOrig(body.name(), i, k))?;
            }
        }
    }
    Ok(())
}

/// What [`PKIMessage`]'s readers split off the outer `SEQUENCE` (the header is parsed into
/// the caller's value).
struct Head<'a> {
    /// The header's TLV.
    header_der: &'a [u8],
    /// The body's TLV, not decoded.
    body: &'a [u8],
    /// What follows the body inside the outer `SEQUENCE`.
    rest: &'a [u8],
}

/// The outer `SEQUENCE` split by the direct reader ([`crate::direct::next`]): `[header's TLV,
/// header's content, body's TLV, what follows the body]`; `None` on anything unusual (then
/// rust-asn1 splits it and reports the errors).
fn split_direct(der: &[u8]) -> Option<[&[u8]; 4]> {
    let (0x30, outer, []) = crate::direct::next(der)? else {
        return None;
    };
    let (0x30, header, rest) = crate::direct::next(outer)? else {
        return None;
    };
    let header_der = &outer[..outer.len() - rest.len()];
    let (_, _, after_body) = crate::direct::next(rest)?;
    let body = &rest[..rest.len() - after_body.len()];
    Some([header_der, header, body, after_body])
}

/// The tag of a TLV already split off the input.
fn body_tag(tlv: &[u8]) -> Option<asn1::Tag> {
    asn1::Tag::from_bytes(tlv).ok().map(|(t, _)| t)
}

fn next_tlv<'a>(
    data: &'a [u8],
    ctx: &Ctx<'_>,
    what: &str,
) -> Result<(asn1::Tlv<'a>, &'a [u8]), DecodeError> {
    asn1::strip_tlv(data).map_err(|e| {
        let offset = ctx.offset(data) + first_malformed_tlv(data).unwrap_or(0);
        ctx.error(ErrorKind::Asn1(e.kind()), what, offset)
    })
}

impl<'a> PKIMessage<'a> {
    /// A message to be encoded (and protected later).
    pub fn new(header: PKIHeader<'a>, body: PKIBody<'a>) -> Self {
        PKIMessage {
            header,
            body,
            protection: None,
            extra_certs: None,
            raw: None,
        }
    }

    /// Parse one DER `PKIMessage`, borrowing from `der`. No heap allocation happens unless the
    /// input is rejected. Nested messages (`nested`, `origPKIMessage`) are parsed and checked
    /// too, up to [`MAX_NESTING_DEPTH`] levels.
    pub fn parse(der: &'a [u8]) -> Result<Self, DecodeError> {
        let ctx = Ctx::top(der)?;
        Self::parse_in(der, &ctx, 0)
    }

    /// Parse the header of one DER `PKIMessage` and locate its body, without decoding the
    /// body: what an RA or a router needs to dispatch a message (by body type, sender,
    /// transactionID, ...) before, or instead of, parsing all of it. The outer `SEQUENCE` and
    /// the header are checked as [`PKIMessage::parse`] checks them (same errors, same paths and
    /// offsets) and the body must be one of the 27 alternatives; the body's content,
    /// `protection`, `extraCerts` and the messages an `origPKIMessage` in `generalInfo`
    /// carries are only bounds-checked by the outer TLV. Allocates nothing unless the input
    /// is rejected.
    ///
    /// ```
    /// use cmp_codec::PKIMessage;
    /// # let der = cmp_codec::builder::example_genm();
    /// let view = PKIMessage::parse_header(&der)?;
    /// assert_eq!(view.body_name(), "genm");
    /// let msg = PKIMessage::parse(&der)?; // the full parse, when the message is for us
    /// assert_eq!(view.header, msg.header);
    /// assert_eq!(Some(view.body_der), msg.body_der());
    /// # Ok::<(), cmp_codec::DecodeError>(())
    /// ```
    pub fn parse_header(der: &'a [u8]) -> Result<HeaderView<'a>, DecodeError> {
        let ctx = Ctx::top(der)?;
        let mut header = PKIHeader::placeholder();
        let head = Self::parse_head(der, &ctx, &mut header)?;
        let body_error = |e: &asn1::ParseError| {
            let name = body_tag(head.body).map(|t| crate::body::body_name(t.value()));
            ctx.asn1_error(e, head.body, "body", name)
        };
        let tag = match body_tag(head.body) {
            Some(tag) if <PKIBody<'a> as asn1::Asn1Readable<'a>>::can_parse(tag) => tag,
            Some(actual) => {
                let kind = asn1::ParseErrorKind::UnexpectedTag { actual };
                return Err(body_error(&asn1::ParseError::new(kind)));
            }
            None => {
                return Err(body_error(&asn1::ParseError::new(
                    asn1::ParseErrorKind::InvalidTag,
                )))
            }
        };
        Ok(HeaderView {
            body_type: tag.value() as u8,
            header_der: head.header_der,
            body_der: head.body,
            header,
        })
    }

    /// The outer `SEQUENCE`, the header (parsed into `header`) and the body's TLV (not
    /// parsed), and what follows the body. The TLVs are split by the direct reader when they
    /// have the common shape (single-octet tags, lengths of at most two octets, no trailing
    /// data), otherwise by rust-asn1, which also gives every error.
    #[inline(always)]
    fn parse_head(
        der: &'a [u8],
        ctx: &Ctx<'_>,
        header: &mut PKIHeader<'a>,
    ) -> Result<Head<'a>, DecodeError> {
        if let Some([header_der, content, body, rest]) = split_direct(der) {
            PKIHeader::parse_content_into(content, header)
                .map_err(|e| ctx.asn1_error(&e, header_der, "header", None))?;
            return Ok(Head {
                header_der,
                body,
                rest,
            });
        }
        let (outer, trailing) = next_tlv(der, ctx, "")?;
        if !trailing.is_empty() {
            let kind = ErrorKind::Asn1(asn1::ParseErrorKind::ExtraData);
            return Err(ctx.error(kind, "", ctx.offset(trailing)));
        }
        if outer.tag() != SEQUENCE {
            let kind = ErrorKind::Asn1(asn1::ParseErrorKind::UnexpectedTag {
                actual: outer.tag(),
            });
            return Err(ctx.error(kind, "", ctx.offset(der)));
        }
        let (h, rest) = next_tlv(outer.data(), ctx, "header")?;
        *header = PKIHeader::parse_tlv(h)
            .map_err(|e| ctx.asn1_error(&e, h.full_data(), "header", None))?;
        let (b, rest) = next_tlv(rest, ctx, "body")?;
        Ok(Head {
            header_der: h.full_data(),
            body: b.full_data(),
            rest,
        })
    }

    fn parse_in(der: &'a [u8], ctx: &Ctx<'_>, depth: usize) -> Result<Self, DecodeError> {
        // The message is assembled in place, field by field, rather than from parts moved in:
        // a `PKIHeader` is 296 bytes, a `PKIBody` 160, and each move is a memcpy.
        let mut msg = PKIMessage::new(PKIHeader::placeholder(), PKIBody::Pkiconf(()));
        let Head {
            header_der,
            body: body_der,
            mut rest,
        } = Self::parse_head(der, ctx, &mut msg.header)?;
        let body = PKIBody::parse_der(body_der).map_err(|e| {
            let name = body_tag(body_der).map(|t| crate::body::body_name(t.value()));
            ctx.asn1_error(&e, body_der, "body", name)
        })?;
        // The placeholder owns nothing: replaced without running `PKIBody`'s drop glue.
        core::mem::forget(core::mem::replace(&mut msg.body, body));

        let PKIMessage {
            protection,
            extra_certs,
            ..
        } = &mut msg;
        if let Some((bits, r)) = explicit_direct::<asn1::BitString<'a>, 0>(rest) {
            *protection = Some(bits);
            rest = r;
        } else if !rest.is_empty() {
            let (t, r) = next_tlv(rest, ctx, "protection")?;
            if <asn1::Explicit<asn1::BitString<'a>, 0> as asn1::Asn1Readable>::can_parse(t.tag()) {
                let p = t
                    .parse::<asn1::Explicit<asn1::BitString<'a>, 0>>()
                    .map_err(|e| ctx.asn1_error(&e, t.full_data(), "protection", None))?;
                *protection = Some(p.into_inner());
                rest = r;
            }
        }
        if let Some((certs, r)) = explicit_direct::<SeqOf<'a, Certificate<'a>>, 1>(rest) {
            *extra_certs = Some(certs);
            rest = r;
        } else if !rest.is_empty() {
            let (t, r) = next_tlv(rest, ctx, "extraCerts")?;
            if <asn1::Explicit<SeqOf<'a, Certificate<'a>>, 1> as asn1::Asn1Readable>::can_parse(
                t.tag(),
            ) {
                let c = t
                    .parse::<asn1::Explicit<SeqOf<'a, Certificate<'a>>, 1>>()
                    .map_err(|e| ctx.asn1_error(&e, t.full_data(), "extraCerts", None))?;
                *extra_certs = Some(c.into_inner());
                rest = r;
            }
        }
        if !rest.is_empty() {
            let actual = asn1::strip_tlv(rest).map(|(t, _)| t.tag());
            let kind = match actual {
                Ok(actual) => asn1::ParseErrorKind::UnexpectedTag { actual },
                Err(_) => asn1::ParseErrorKind::ExtraData,
            };
            return Err(ctx.error(ErrorKind::Asn1(kind), "", ctx.offset(rest)));
        }

        check_nested(&msg.header, &msg.body, ctx, depth)?;
        // The header and the body are adjacent sub-slices of `der`.
        msg.raw = Some(RawParts {
            der,
            start: (header_der.as_ptr() as usize).wrapping_sub(der.as_ptr() as usize) as u32,
            header_len: header_der.len() as u32,
            body_len: body_der.len() as u32,
        });
        Ok(msg)
    }

    /// The DER of `header` as received (`None` for a built message).
    pub fn header_der(&self) -> Option<&'a [u8]> {
        self.raw.and_then(|r| r.header())
    }

    /// The DER of `body` as received (`None` for a built message).
    pub fn body_der(&self) -> Option<&'a [u8]> {
        self.raw.and_then(|r| r.body())
    }

    /// The received header and body, which wrapped in a `SEQUENCE` are the DER `ProtectedPart`
    /// that protection is computed over (`None` for a built message); see
    /// [`crate::ProtectedPart`] to stream it into a hasher.
    pub fn protected_part(&self) -> Option<crate::ProtectedPart<'a>> {
        self.raw
            .and_then(|r| r.protected())
            .map(crate::ProtectedPart::new)
    }

    /// The DER `ProtectedPart ::= SEQUENCE { header, body }` encoded from the typed fields
    /// (for messages being built and protected).
    pub fn encode_protected_part(&self) -> Vec<u8> {
        asn1::write(|w| {
            w.write_element(&asn1::SequenceWriter::new(&|w: &mut asn1::Writer<'_>| {
                w.write_element(&self.header)?;
                w.write_element(&self.body)
            }))
        })
        .expect("writing to a Vec does not fail")
    }

    /// `true` when `extraCerts` is present but empty, which `SIZE (1..MAX)` forbids.
    pub fn has_empty_extra_certs(&self) -> bool {
        self.extra_certs.as_ref().is_some_and(|c| c.is_empty())
    }

    /// The `extraCerts`, empty when the field is absent.
    pub fn extra_certs(&self) -> impl Iterator<Item = Certificate<'a>> + '_ {
        self.extra_certs.iter().flat_map(|c| c.iter())
    }

    /// Encode to DER from the typed fields.
    pub fn encode(&self) -> Vec<u8> {
        asn1::write_single(self).expect("writing to a Vec does not fail")
    }
}

impl<'a> RawMessage<'a> {
    /// Parse this embedded message (it was already checked when the outer message was parsed).
    pub fn message(&self) -> Result<PKIMessage<'a>, DecodeError> {
        PKIMessage::parse(self.der())
    }
}

impl asn1::SimpleAsn1Writable for PKIMessage<'_> {
    type Error = asn1::WriteError;
    const TAG: asn1::Tag = SEQUENCE;

    fn write_data(&self, dest: &mut asn1::WriteBuf) -> asn1::WriteResult {
        let mut w = asn1::Writer::new(dest);
        w.write_element(&self.header)?;
        w.write_element(&self.body)?;
        if let Some(p) = &self.protection {
            w.write_explicit_element(p, 0)?;
        }
        if let Some(c) = &self.extra_certs {
            w.write_explicit_element(c, 1)?;
        }
        Ok(())
    }

    fn data_length(&self) -> Option<usize> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orig_pki_message_oid_tlv_is_the_der_of_the_oid() {
        let der = asn1::write_single(&crate::oid::ID_IT_ORIG_PKI_MESSAGE).unwrap();
        assert_eq!(der, super::ORIG_PKI_MESSAGE_OID_TLV);
    }

    /// The split rust-asn1 makes of a message: header TLV and content, body TLV, the rest.
    fn split_by_rust_asn1(der: &[u8]) -> Option<[&[u8]; 4]> {
        let (outer, []) = asn1::strip_tlv(der).ok()? else {
            return None;
        };
        let (h, rest) = asn1::strip_tlv(outer.data()).ok()?;
        let (b, rest) = asn1::strip_tlv(rest).ok()?;
        (outer.tag() == SEQUENCE && h.tag() == SEQUENCE).then_some([
            h.full_data(),
            h.data(),
            b.full_data(),
            rest,
        ])
    }

    /// Whenever the direct readers of the message level answer, rust-asn1 reads the same bytes
    /// the same way: on a built PBM-protected genm and a real signed ir with extraCerts, every
    /// truncation, and six values at every byte.
    #[test]
    fn direct_split_agrees_with_rust_asn1() {
        use asn1::{BitString, Explicit};
        let genm = crate::builder::example_genm();
        let ir = include_bytes!("../../vectors/openssl/ir_sig_ec/01-req-ir.der").to_vec();
        let mut direct = [0usize; 3];
        for base in [genm, ir] {
            let mut inputs: Vec<Vec<u8>> = (0..base.len()).map(|n| base[..n].to_vec()).collect();
            for i in 0..base.len() {
                for v in [0x00, 0x30, 0x7f, 0x81, 0xff, base[i] ^ 0x20] {
                    let mut m = base.clone();
                    m[i] = v;
                    inputs.push(m);
                }
            }
            inputs.push(base);
            for m in &inputs {
                if let Some(parts) = split_direct(m) {
                    direct[0] += 1;
                    assert_eq!(Some(parts), split_by_rust_asn1(m), "{m:02x?}");
                }
                let mut rest = split_by_rust_asn1(m).map_or(&m[..], |p| p[3]);
                if let Some((bits, after)) = explicit_direct::<BitString, 0>(rest) {
                    direct[1] += 1;
                    let (t, r) = asn1::strip_tlv(rest).unwrap();
                    assert_eq!(
                        t.parse::<Explicit<BitString, 0>>().map(|e| e.into_inner()),
                        Ok(bits)
                    );
                    assert_eq!(r, after);
                    rest = after;
                }
                if let Some((certs, after)) = explicit_direct::<SeqOf<Certificate>, 1>(rest) {
                    direct[2] += 1;
                    let (t, r) = asn1::strip_tlv(rest).unwrap();
                    let generic = t.parse::<Explicit<SeqOf<Certificate>, 1>>();
                    assert_eq!(generic.map(|e| e.into_inner()), Ok(certs));
                    assert_eq!(r, after);
                }
            }
        }
        // The direct readers answered often enough for the comparison to mean something.
        assert!(direct.iter().all(|&n| n > 100), "{direct:?}");
    }
}
