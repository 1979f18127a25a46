//! A direct reader for the common shape of `PKIHeader`, tried before rust-asn1's derived one.
//!
//! The derived reader pays rust-asn1's fixed cost per field: a `ParseResult` carrying a
//! 136-byte error on every tag read, a peek and a second tag decode for every OPTIONAL, a nested
//! parser for every EXPLICIT tag. On a small message the header is half of the parse. This
//! reader walks the header's TLVs once with single-octet tags and short DER lengths and builds
//! the same [`PKIHeader`] value. It answers `None` whenever anything is unusual (a malformed or
//! long-form TLV, a `GeneralName` other than `directoryName`, a `pvno` outside 0..=127, a field
//! out of order, trailing data): the derived reader then decides, so errors and their field
//! paths come from one place only.
//!
//! The contract, checked by `tests/header_fast_path.rs` over every vector and its mutations
//! (and by the `roundtrip` fuzz target): when this reader returns `Some(h)`, the derived reader
//! returns `Ok(h)` on the same bytes.

use super::PKIHeader;
use crate::common::GeneralName;
use crate::direct::{algorithm_identifier, explicit_name, next, read, SEQUENCE};
use crate::time::GeneralizedTime;

const INTEGER: u8 = 0x02;
const OCTET_STRING: u8 = 0x04;
const GENERALIZED_TIME: u8 = 0x18;
/// `[4]` constructed: `GeneralName.directoryName`, explicitly tagged.
const DIRECTORY_NAME: u8 = 0xa4;
/// `[0]` constructed: the first of the header's explicitly tagged OPTIONAL fields.
const EXPLICIT_0: u8 = 0xa0;

/// The header from its content octets (without the outer `SEQUENCE` tag and length) into
/// `header`, every field of which it sets (so that a message's header is built where it stays,
/// not moved there: a `PKIHeader` is 296 bytes). On `None` the fields hold whatever was read
/// before the reader gave up.
#[inline(always)]
pub(super) fn parse_into<'a>(data: &'a [u8], header: &mut PKIHeader<'a>) -> Option<()> {
    let (tag, pvno, rest) = next(data)?;
    let pvno = match (tag, pvno) {
        (INTEGER, [v]) if *v < 0x80 => i64::from(*v),
        _ => return None,
    };
    let (sender, rest) = general_name(rest)?;
    let (recipient, mut rest) = general_name(rest)?;
    *header = PKIHeader::new(pvno, sender, recipient);
    // [0]..[8] in order, each present at most once.
    let mut next_field = 0;
    while !rest.is_empty() {
        let (tag, content, r) = next(rest)?;
        rest = r;
        let field = tag.checked_sub(EXPLICIT_0)?;
        if field < next_field || field > 8 {
            return None;
        }
        next_field = field + 1;
        // EXPLICIT: the content is exactly one TLV.
        let (inner_tag, inner, r) = next(content)?;
        if !r.is_empty() {
            return None;
        }
        match (field, inner_tag) {
            (0, GENERALIZED_TIME) => header.message_time = Some(read::<GeneralizedTime>(inner)?),
            (1, SEQUENCE) => header.protection_alg = Some(algorithm_identifier(inner)?),
            (2, OCTET_STRING) => header.sender_kid = Some(inner),
            (3, OCTET_STRING) => header.recip_kid = Some(inner),
            (4, OCTET_STRING) => header.transaction_id = Some(inner),
            (5, OCTET_STRING) => header.sender_nonce = Some(inner),
            (6, OCTET_STRING) => header.recip_nonce = Some(inner),
            (7, SEQUENCE) => header.free_text = Some(read(inner)?),
            (8, SEQUENCE) => header.general_info = Some(read(inner)?),
            _ => return None,
        }
    }
    Some(())
}

/// A `GeneralName` that is a `directoryName` (`[4] EXPLICIT Name`), and what follows it.
#[inline(always)]
fn general_name(data: &[u8]) -> Option<(GeneralName<'_>, &[u8])> {
    let (tag, content, rest) = next(data)?;
    if tag != DIRECTORY_NAME {
        return None;
    }
    Some((GeneralName::DirectoryName(explicit_name(content)?), rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Real headers of both peers take the direct path (so the agreement test in
    /// `tests/header_fast_path.rs` compares two readers, not one with itself) and read as the
    /// derived reader reads them: signature and PBM/PBMAC1 protection, pvno 2 and 3,
    /// requests and responses, `generalInfo` with implicitConfirm.
    #[test]
    fn real_headers_take_the_direct_path() {
        let vectors: [&[u8]; 6] = [
            include_bytes!(
                "../../../vectors/bouncycastle/genm_certreqtemplate_pbm/01-req-genm.der"
            ),
            include_bytes!("../../../vectors/bouncycastle/cr_pvno3_pbmac1/02-rsp-cp.der"),
            include_bytes!("../../../vectors/openssl/ir_sig_ec/01-req-ir.der"),
            include_bytes!("../../../vectors/openssl/ir_sig_ec/03-req-certConf.der"),
            include_bytes!("../../../vectors/openssl/ir_implicit_confirm_granted/01-req-ir.der"),
            include_bytes!("../../../vectors/openssl/ir_implicit_confirm_granted/02-rsp-ip.der"),
        ];
        for (i, der) in vectors.iter().enumerate() {
            let msg = crate::PKIMessage::parse(der).unwrap();
            let content = asn1::strip_tlv(msg.header_der().unwrap()).unwrap().0.data();
            let mut fast = PKIHeader::placeholder();
            parse_into(content, &mut fast).unwrap_or_else(|| panic!("vector {i}: not direct"));
            let derived = <PKIHeader as asn1::SimpleAsn1Readable>::parse_data(content);
            assert_eq!(Ok(fast), derived, "vector {i}");
        }
        let with_info = &vectors[4..];
        assert!(with_info.iter().any(|der| {
            crate::PKIMessage::parse(der)
                .unwrap()
                .header
                .general_info
                .is_some()
        }));
    }
}
