//! `SeqOf`'s reader (each element split directly and checked by its type's `Element::check`,
//! rust-asn1 deciding on the first that fails) reads exactly what rust-asn1's
//! `SequenceOf` reads: the same result (value or error) and the same elements, on the content
//! of every constructed TLV of every vector, for every element type that has its own check,
//! and on every mutation of each real instance up to `MAX_MUTATED` octets.

mod common;

use asn1::SimpleAsn1Readable;
use cmp_codec::body::{CertResponse, CertStatus, RevDetails};
use cmp_codec::common::AlgorithmIdentifier;
use cmp_codec::crmf::CertReqMsg;
use cmp_codec::itav::InfoTypeAndValue;
use cmp_codec::raw::Certificate;
use cmp_codec::status::PKIStatusInfo;
use cmp_codec::SeqOf;

/// Compare both readers of `SEQUENCE OF T` for each element type on `data`; per type,
/// whether it was accepted.
fn agree(data: &[u8], what: &str) -> Vec<(&'static str, bool)> {
    macro_rules! check {
        ($($t:ty),+) => {
            vec![$({
                let ours = SeqOf::<$t, 0>::parse_data(data);
                let theirs = asn1::SequenceOf::<$t>::parse_data(data);
                match (&ours, &theirs) {
                    (Ok(a), Ok(b)) => {
                        assert_eq!(a.len(), b.len(), "{}: {what}", stringify!($t));
                        assert!(a.iter().eq(b.clone()), "{}: {what}", stringify!($t));
                    }
                    (Err(a), Err(b)) => assert_eq!(a, b, "{}: {what}", stringify!($t)),
                    _ => panic!("{}: {what}: {:?} / {:?}", stringify!($t), ours.is_ok(), theirs.map(|s| s.len())),
                }
                (stringify!($t), ours.is_ok())
            }),+]
        };
    }
    check!(
        Certificate<'_>,
        InfoTypeAndValue<'_>,
        CertReqMsg<'_>,
        CertResponse<'_>,
        CertStatus<'_>,
        RevDetails<'_>,
        PKIStatusInfo<'_>,
        AlgorithmIdentifier<'_>,
        asn1::Utf8String<'_>,
        asn1::ObjectIdentifier
    )
}

#[test]
fn same_result_as_rust_asn1_on_every_constructed_value_of_the_vectors() {
    let ders = common::parsed_ders("seq_of_reader");
    let all = common::constructed_contents(&ders, false);
    assert!(all.len() > 1000, "only {} values", all.len());
    let mut accepted = std::collections::BTreeMap::<&str, usize>::new();
    for (i, c) in all.iter().enumerate() {
        for (name, ok) in agree(c, &format!("value {i}")) {
            // An empty SEQUENCE OF is accepted by every type; count the others.
            *accepted.entry(name).or_default() += usize::from(ok && !c.is_empty());
        }
    }
    // Real sequences of every checked type, so that the direct checks answer.
    for (name, min) in [
        ("Certificate<'_>", 50),
        ("InfoTypeAndValue<'_>", 10),
        ("CertReqMsg<'_>", 20),
        ("CertResponse<'_>", 20),
        ("CertStatus<'_>", 20),
        ("RevDetails<'_>", 3),
        ("asn1::Utf8String<'_>", 3),
    ] {
        assert!(accepted[name] >= min, "{name}: {accepted:?}");
    }
}

/// Longer values are certificate chains and requests whose insides are mutated in the
/// shorter ones.
const MAX_MUTATED: usize = 600;

#[test]
fn same_result_as_rust_asn1_on_every_mutation() {
    let ders = common::parsed_ders("seq_of_reader");
    let all = common::constructed_contents(&ders, false);
    let real: Vec<&[u8]> = all
        .into_iter()
        .filter(|c| {
            !c.is_empty() && c.len() <= MAX_MUTATED && agree(c, "").iter().any(|&(_, ok)| ok)
        })
        .collect();
    assert!(real.len() > 50, "only {} values", real.len());
    let (mut checked, mut accepted) = (0usize, 0usize);
    for (i, c) in real.iter().enumerate() {
        checked += common::for_each_mutant(c, |m, what| {
            let results = agree(m, &format!("value {i}, {what}"));
            accepted += usize::from(results.iter().any(|&(_, ok)| ok));
        });
    }
    assert!(
        accepted * 10 > checked,
        "{accepted} of {checked} mutants parse"
    );
}
