//! `PKIMessage::parse_header` (the header parsed, the body located but not decoded) agrees
//! with `PKIMessage::parse`: on every vector the same header, body type and raw parts; on
//! every truncation and mutation below, whatever `parse_header` rejects `parse` rejects with
//! the same error (kind, path and offset), and whatever `parse` accepts `parse_header`
//! accepts with the same header.

mod common;

use cmp_codec::PKIMessage;

fn check(der: &[u8], what: &str) -> (bool, bool) {
    let view = PKIMessage::parse_header(der);
    let full = PKIMessage::parse(der);
    match (&view, &full) {
        (Ok(v), Ok(m)) => {
            assert_eq!(v.header, m.header, "{what}");
            assert_eq!(v.body_type, m.body.tag_number(), "{what}");
            assert_eq!(v.body_name(), m.body.name(), "{what}");
            assert_eq!(Some(v.header_der), m.header_der(), "{what}");
            assert_eq!(Some(v.body_der), m.body_der(), "{what}");
        }
        (Err(v), Err(m)) => assert_eq!(v, m, "{what}"),
        (Err(v), Ok(_)) => panic!("{what}: parse accepts, parse_header rejects: {v}"),
        // The body, protection, extraCerts or a nested message is bad: parse_header does not
        // look there.
        (Ok(_), Err(_)) => {}
    }
    (view.is_ok(), full.is_ok())
}

#[test]
fn agrees_with_parse_on_every_vector() {
    let vectors = common::all_vectors("header_view");
    assert!(vectors.len() > 100, "only {} vectors", vectors.len());
    for v in &vectors {
        assert_eq!(check(&v.der, &v.name), (true, true), "{}", v.name);
    }
}

#[test]
fn agrees_with_parse_on_mutations() {
    let vectors = common::all_vectors("header_view");
    let (mut header_only, mut rejected) = (0, 0);
    for v in vectors.iter().step_by(7) {
        let der = &v.der;
        for len in (0..der.len()).step_by(3) {
            check(&der[..len], &format!("{} cut at {len}", v.name));
        }
        let mut m = der.clone();
        for at in 0..der.len() {
            for b in [der[at] ^ 0x01, der[at] ^ 0x80, 0xff] {
                m[at] = b;
                match check(&m, &format!("{}, byte {at} = {b:#04x}", v.name)) {
                    (true, false) => header_only += 1,
                    (false, _) => rejected += 1,
                    _ => {}
                }
            }
            m[at] = der[at];
        }
    }
    // Both kinds of outcome occur, so both directions of the contract were exercised.
    assert!(
        header_only > 100 && rejected > 100,
        "{header_only} / {rejected}"
    );
}
