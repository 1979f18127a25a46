//! Properties over the real vectors: every truncation is rejected, and every mutated message
//! either fails with an error or parses to a message that re-encodes to exactly the mutated
//! bytes (so nothing is silently normalised). Never a panic.

mod common;

use cmp_codec::PKIMessage;
use proptest::prelude::*;

fn corpus() -> Vec<Vec<u8>> {
    let mut v: Vec<Vec<u8>> = common::all_vectors("mutation")
        .into_iter()
        .map(|v| v.der)
        .collect();
    // Without any corpus, still exercise the property on built messages.
    v.push(cmp_codec::builder::example_genm());
    v
}

fn check(bytes: &[u8]) -> Result<(), TestCaseError> {
    if let Ok(msg) = PKIMessage::parse(bytes) {
        prop_assert_eq!(msg.encode(), bytes.to_vec());
    }
    Ok(())
}

#[test]
fn every_truncation_of_every_vector_is_rejected() {
    for der in corpus() {
        for len in 0..der.len() {
            assert!(
                PKIMessage::parse(&der[..len]).is_err(),
                "prefix of {len} bytes accepted"
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4096, ..ProptestConfig::default() })]

    #[test]
    fn single_byte_mutations_fail_or_round_trip(which in any::<prop::sample::Index>(), at in any::<prop::sample::Index>(), byte in any::<u8>()) {
        let corpus = corpus();
        let mut der = corpus[which.index(corpus.len())].clone();
        let i = at.index(der.len());
        der[i] = byte;
        check(&der)?;
    }

    #[test]
    fn bit_flips_fail_or_round_trip(which in any::<prop::sample::Index>(), at in any::<prop::sample::Index>(), bit in 0u8..8) {
        let corpus = corpus();
        let mut der = corpus[which.index(corpus.len())].clone();
        let i = at.index(der.len());
        der[i] ^= 1 << bit;
        check(&der)?;
    }

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        check(&bytes)?;
    }
}
