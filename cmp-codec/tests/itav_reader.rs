//! `InfoTypeAndValue`'s hand-written reader (typed `infoType`s recognised from their DER bytes)
//! reads exactly what rust-asn1's derived reader reads: the same value or the same error (kind
//! and field location), on every ITAV of every vector (`generalInfo`, genm, genp) and on every
//! truncation and mutation below of each.

#![allow(clippy::result_large_err)] // rust-asn1's ParseError, as in the codec

mod common;

use cmp_codec::itav::{InfoTypeAndValue, InfoValue};
use cmp_codec::{PKIBody, PKIMessage};

/// The derive's reader, under the same struct name so that error locations compare equal.
mod derived {
    #[derive(asn1::Asn1Read, Debug)]
    #[allow(dead_code)] // the marker field is only read by the derive
    pub struct InfoTypeAndValue<'a> {
        pub info_type: asn1::DefinedByMarker<asn1::ObjectIdentifier>,
        #[defined_by(info_type)]
        pub info_value: cmp_codec::itav::InfoValue<'a>,
    }
}

/// The DER of every ITAV in every vector's header and genm/genp body.
fn itavs() -> Vec<Vec<u8>> {
    let mut ders: Vec<Vec<u8>> = common::all_vectors("itav_reader")
        .into_iter()
        .map(|v| v.der)
        .collect();
    ders.push(cmp_codec::builder::example_genm());
    let mut out = vec![];
    for der in &ders {
        let Ok(msg) = PKIMessage::parse(der) else {
            continue;
        };
        let header = msg
            .header
            .general_info
            .as_ref()
            .and_then(|g| g.raw_elements());
        let body = match &msg.body {
            PKIBody::Genm(s) | PKIBody::Genp(s) => s.raw_elements(),
            _ => None,
        };
        for tlvs in [header, body].into_iter().flatten() {
            out.extend(tlvs.map(|t| t.full_data().to_vec()));
        }
    }
    out
}

fn same(der: &[u8], what: &str) -> bool {
    let ours = asn1::parse_single::<InfoTypeAndValue<'_>>(der);
    let theirs = asn1::parse_single::<derived::InfoTypeAndValue<'_>>(der);
    match (ours, theirs) {
        (Ok(o), Ok(d)) => {
            assert_eq!(o.info_value, d.info_value, "{what}");
            true
        }
        (Err(o), Err(d)) => {
            assert_eq!(o, d, "{what}");
            false
        }
        (o, d) => panic!("{what}: hand-written {o:?}, derived {d:?}"),
    }
}

#[test]
fn same_value_as_the_derived_reader_on_every_vector() {
    let itavs = itavs();
    assert!(itavs.len() > 30, "only {} ITAVs", itavs.len());
    let mut typed = std::collections::BTreeSet::new();
    for (i, der) in itavs.iter().enumerate() {
        assert!(same(der, &format!("itav {i}")), "itav {i} rejected");
        let itav = asn1::parse_single::<InfoTypeAndValue<'_>>(der).unwrap();
        typed.insert(itav.info_value.name().unwrap_or("other"));
    }
    // The vectors carry many infoTypes, so both paths of the reader are compared.
    assert!(typed.len() >= 8 && typed.contains("other"), "{typed:?}");
}

/// Every truncation, and at every position a bit flip in the low and the high bit and the
/// bytes 0x00 and 0xff: the two readers agree on accept or reject, the value and the error.
#[test]
fn same_result_on_every_mutation() {
    let mut checked = 0usize;
    let mut accepted = 0usize;
    for (i, der) in itavs().iter().enumerate() {
        for len in 0..der.len() {
            same(&der[..len], &format!("itav {i} cut at {len}"));
        }
        let mut m = der.clone();
        for at in 0..der.len() {
            for b in [der[at] ^ 0x01, der[at] ^ 0x80, 0x00, 0xff] {
                m[at] = b;
                accepted += usize::from(same(&m, &format!("itav {i}, byte {at} = {b:#04x}")));
                checked += 1;
            }
            m[at] = der[at];
        }
    }
    assert!(checked > 10_000, "{checked} mutants");
    // Mutants of the infoType's last arc move between typed variants and `Other`.
    assert!(
        accepted * 20 > checked,
        "{accepted} of {checked} mutants parse"
    );
}

/// An `infoType` outside id-it, and id-it arcs without a typed variant, read as `Other`.
#[test]
fn other_info_types() {
    for oid in [
        "1.3.6.1.5.5.7.4.8",
        "1.3.6.1.5.5.7.4.25",
        "1.2.3.4",
        "1.3.6.1.5.5.7.4.13.1",
    ] {
        let oid = asn1::ObjectIdentifier::from_string(oid).unwrap();
        let der = asn1::write_single(&asn1::SequenceWriter::new(&|w: &mut asn1::Writer<'_>| {
            w.write_element(&oid)
        }))
        .unwrap();
        assert!(same(&der, &oid.to_string()));
        let itav = asn1::parse_single::<InfoTypeAndValue<'_>>(&der).unwrap();
        assert_eq!(itav.info_value, InfoValue::Other(oid, None));
    }
}
