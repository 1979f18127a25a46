//! `PKIBody::parse_der` (a direct split of the alternative's tags for the common shapes,
//! rust-asn1 for the rest) reads exactly what rust-asn1's reader reads: the same value or
//! the same error, on every body of every vector and on every mutation below of each.

mod common;

use cmp_codec::{PKIBody, PKIMessage};

/// The DER of every vector's body.
fn bodies() -> Vec<Vec<u8>> {
    common::parsed_ders("body_fast_path")
        .iter()
        .map(|der| PKIMessage::parse(der).unwrap().body_der().unwrap().to_vec())
        .collect()
}

fn same(der: &[u8], what: &str) {
    let generic = asn1::parse_single::<PKIBody>(der);
    assert_eq!(PKIBody::parse_der(der), generic, "{what}");
}

#[test]
fn same_value_as_rust_asn1_on_every_vector() {
    let bodies = bodies();
    assert!(bodies.len() > 100, "only {} bodies", bodies.len());
    let mut names = std::collections::BTreeSet::new();
    for (i, b) in bodies.iter().enumerate() {
        names.insert(PKIBody::parse_der(b).unwrap().name());
        same(b, &format!("body {i}"));
    }
    // The vectors cover the common alternatives, so the direct reader is what is compared.
    for name in [
        "ir", "ip", "certConf", "pkiconf", "genm", "genp", "error", "rr", "rp",
    ] {
        assert!(names.contains(name), "no {name} in the vectors: {names:?}");
    }
}

/// Every truncation and byte mutant (`common::for_each_mutant`): the two readers agree on
/// accept or reject, and on the value.
#[test]
fn same_result_on_every_mutation() {
    let mut checked = 0usize;
    let mut accepted = 0usize;
    for (i, b) in bodies().iter().enumerate() {
        checked += common::for_each_mutant(b, |m, what| {
            same(m, &format!("body {i}, {what}"));
            accepted += usize::from(asn1::parse_single::<PKIBody>(m).is_ok());
        });
    }
    assert!(
        accepted * 5 > checked,
        "{accepted} of {checked} mutants parse"
    );
}
