//! The `direct_sequence!` types (a direct reader for the common shape, rust-asn1's derived
//! reader for the rest) read exactly what the derived reader reads: the same value or the
//! same error, on every `SEQUENCE` of every vector (whatever type it really is) and on every
//! mutation below of each real instance. (`CertTemplate` has its own, longer test too:
//! `tests/template_fast_path.rs`.)

mod common;

use std::collections::BTreeMap;

use asn1::SimpleAsn1Readable;
use cmp_codec::body::{
    CertRepMessage, CertResponse, CertStatus, CertifiedKeyPair, ErrorMsgContent, PollRep, PollReq,
    RevDetails, RevRepContent,
};
use cmp_codec::common::{AlgorithmIdentifier, CertId, Extension, SubjectPublicKeyInfo};
use cmp_codec::crmf::{CertReqMsg, CertRequest, CertTemplate, POPOSigningKey};
use cmp_codec::status::PKIStatusInfo;

/// Compare the readers of each type on `data`: the combined reader equals the derived one,
/// and a value from the direct reader is the derived reader's. Returns, per type, whether
/// the direct reader answered and whether the derived reader accepted.
fn agree(data: &[u8], what: &str) -> Vec<(&'static str, bool, bool)> {
    macro_rules! check {
        ($($t:ident),+) => {
            vec![$({
                let derived = $t::parse_derived(data);
                assert_eq!($t::parse_data(data), derived, "{}: {what}", stringify!($t));
                let direct = $t::parse_direct(data);
                if let Some(v) = &direct {
                    assert_eq!(Ok(v), derived.as_ref(), "{}: {what}", stringify!($t));
                }
                (stringify!($t), direct.is_some(), derived.is_ok())
            }),+]
        };
    }
    check!(
        PKIStatusInfo,
        CertStatus,
        ErrorMsgContent,
        PollReq,
        PollRep,
        RevDetails,
        RevRepContent,
        CertRepMessage,
        CertResponse,
        CertifiedKeyPair,
        AlgorithmIdentifier,
        SubjectPublicKeyInfo,
        CertId,
        Extension,
        CertReqMsg,
        CertRequest,
        CertTemplate,
        POPOSigningKey
    )
}

#[test]
fn same_value_as_the_derived_reader_on_every_sequence_of_the_vectors() {
    let ders = common::parsed_ders("sequence_fast_path");
    let seqs = common::constructed_contents(&ders, true);
    assert!(seqs.len() > 1000, "only {} sequences", seqs.len());
    let mut direct: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, s) in seqs.iter().enumerate() {
        for (name, d, _) in agree(s, &format!("sequence {i}")) {
            *direct.entry(name).or_default() += usize::from(d);
        }
    }
    // Real instances of every type take the direct path, so two readers are compared.
    for (name, min) in [
        ("PKIStatusInfo", 20),
        ("CertStatus", 20),
        ("ErrorMsgContent", 5),
        ("CertReqMsg", 20),
        ("CertRequest", 20),
        ("POPOSigningKey", 20),
        ("Extension", 20),
    ] {
        assert!(direct[name] >= min, "{name}: {direct:?}");
    }
}

/// Every truncation and byte mutant (`common::for_each_mutant`) of every distinct sequence
/// of at most `MAX_MUTATED` octets that some type's derived reader accepts (the longer ones
/// are `CertRepMessage`s and `CertReqMsg`s whose length is certificates and keys, whose
/// octets no direct reader looks into; their own fields are mutated in the shorter ones).
const MAX_MUTATED: usize = 600;

#[test]
fn same_result_on_every_mutation() {
    let ders = common::parsed_ders("sequence_fast_path");
    let seqs = common::constructed_contents(&ders, true);
    let real: Vec<&[u8]> = seqs
        .into_iter()
        .filter(|s| s.len() <= MAX_MUTATED && agree(s, "").iter().any(|&(_, _, ok)| ok))
        .collect();
    assert!(real.len() > 50, "only {} sequences", real.len());
    let (mut checked, mut accepted) = (0usize, 0usize);
    for (i, s) in real.iter().enumerate() {
        checked += common::for_each_mutant(s, |m, what| {
            let results = agree(m, &format!("sequence {i}, {what}"));
            accepted += usize::from(results.iter().any(|&(_, _, ok)| ok));
        });
    }
    assert!(
        accepted * 5 > checked,
        "{accepted} of {checked} mutants parse"
    );
}
