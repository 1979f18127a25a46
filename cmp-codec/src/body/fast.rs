//! A direct reader for `PKIBody`'s tag, tried before rust-asn1's.
//!
//! rust-asn1 reads a body through three layers, each decoding a tag and a length
//! (`parse_single`, the CHOICE's TLV, the EXPLICIT tag's inner TLV) before the content type's
//! reader runs; on a small message (a `pkiconf`, a `certConf`) those layers cost as much as the
//! content. This reader splits both tags with [`crate::direct::next`] and calls the content
//! type's own reader. It answers `None` whenever anything is unusual (a long-form tag or
//! length, trailing data, a content the type's reader rejects) and for `p10cr`, `ckuann` and
//! `cann`, whose content types have no reader of their own: rust-asn1's reader then decides,
//! so errors and their field paths come from one place only.
//!
//! The contract, checked by `tests/body_fast_path.rs` over every body of the vectors and its
//! mutations: when this reader returns `Some(b)`, rust-asn1 returns `Ok(b)` on the same bytes.

use super::PKIBody;
use crate::direct::{explicit_content, next};

/// `[n]` constructed, context-specific class: the tag octet of every alternative is `0xa0 | n`.
const EXPLICIT: u8 = 0xa0;

/// The body from its complete TLV.
pub(super) fn parse(tlv: &[u8]) -> Option<PKIBody<'_>> {
    let (tag, c, []) = next(tlv)? else {
        return None;
    };
    if tag & 0xe0 != EXPLICIT {
        return None;
    }
    Some(match tag & 0x1f {
        0 => PKIBody::Ir(explicit_content(c)?),
        1 => PKIBody::Ip(explicit_content(c)?),
        2 => PKIBody::Cr(explicit_content(c)?),
        3 => PKIBody::Cp(explicit_content(c)?),
        5 => PKIBody::Popdecc(explicit_content(c)?),
        6 => PKIBody::Popdecr(explicit_content(c)?),
        7 => PKIBody::Kur(explicit_content(c)?),
        8 => PKIBody::Kup(explicit_content(c)?),
        9 => PKIBody::Krr(explicit_content(c)?),
        10 => PKIBody::Krp(explicit_content(c)?),
        11 => PKIBody::Rr(explicit_content(c)?),
        12 => PKIBody::Rp(explicit_content(c)?),
        13 => PKIBody::Ccr(explicit_content(c)?),
        14 => PKIBody::Ccp(explicit_content(c)?),
        17 => PKIBody::Rann(explicit_content(c)?),
        18 => PKIBody::Crlann(explicit_content(c)?),
        19 => PKIBody::Pkiconf(explicit_content(c)?),
        20 => PKIBody::Nested(explicit_content(c)?),
        21 => PKIBody::Genm(explicit_content(c)?),
        22 => PKIBody::Genp(explicit_content(c)?),
        23 => PKIBody::Error(explicit_content(c)?),
        24 => PKIBody::CertConf(explicit_content(c)?),
        25 => PKIBody::PollReq(explicit_content(c)?),
        26 => PKIBody::PollRep(explicit_content(c)?),
        _ => return None,
    })
}
