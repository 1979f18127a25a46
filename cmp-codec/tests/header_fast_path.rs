//! `PKIHeader::parse_content` (a direct TLV walk for the common header shape, rust-asn1's
//! derived reader for the rest) reads exactly what the derived reader reads: the same value
//! or the same error, on every header of every vector and on every mutation below of each.

mod common;

use asn1::SimpleAsn1Readable;
use cmp_codec::header::PKIHeader;
use cmp_codec::PKIMessage;

/// The content octets of every vector's header.
fn headers() -> Vec<Vec<u8>> {
    let mut out = vec![];
    for der in common::parsed_ders("header_fast_path") {
        let msg = PKIMessage::parse(&der).unwrap();
        let (h, _) = asn1::strip_tlv(msg.header_der().unwrap()).unwrap();
        out.push(h.data().to_vec());
    }
    out
}

fn same(data: &[u8], what: &str) {
    let derived = PKIHeader::parse_data(data);
    assert_eq!(PKIHeader::parse_content(data), derived, "{what}");
}

#[test]
fn same_value_as_the_derived_reader_on_every_vector() {
    let headers = headers();
    assert!(headers.len() > 100, "only {} headers", headers.len());
    for (i, h) in headers.iter().enumerate() {
        assert!(PKIHeader::parse_data(h).is_ok());
        same(h, &format!("header {i}"));
    }
}

/// Every truncation and byte mutant (`common::for_each_mutant`): the two readers agree on
/// accept or reject, and on the value.
#[test]
fn same_result_on_every_mutation() {
    let mut checked = 0usize;
    let mut accepted = 0usize;
    for (i, h) in headers().iter().enumerate() {
        checked += common::for_each_mutant(h, |m, what| {
            same(m, &format!("header {i}, {what}"));
            accepted += usize::from(PKIHeader::parse_data(m).is_ok());
        });
    }
    // Many mutants still parse (a changed nonce or name byte), so the value is compared too.
    assert!(
        accepted * 5 > checked,
        "{accepted} of {checked} mutants parse"
    );
}
