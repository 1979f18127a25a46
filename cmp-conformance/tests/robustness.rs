//! The dump must never panic: every truncation and a bit flip at every 7th byte of the all-arms
//! messages either fails to parse (with an error that names a byte inside the input) or
//! renders as a tree and as JSON.

mod common;

use cmp_codec::PKIMessage;
use cmp_conformance::inspect::{json, tree};

fn check(der: &[u8]) -> bool {
    match PKIMessage::parse(der) {
        Ok(msg) => {
            let t = tree::render(&msg);
            assert!(t.starts_with("header\n"));
            let j = json::message_json(&msg);
            assert!(j.contains_key("body"));
            true
        }
        Err(e) => {
            assert!(
                e.offset <= der.len(),
                "offset {} beyond {}",
                e.offset,
                der.len()
            );
            assert!(!e.path.is_empty());
            false
        }
    }
}

#[test]
fn truncations_and_bit_flips() {
    let mut parsed = 0;
    let mut rejected = 0;
    for (arm, der) in common::all_arms() {
        assert!(check(&der), "{arm} must parse");
        for cut in 0..der.len() {
            assert!(!check(&der[..cut]), "{arm}: prefix of {cut} bytes parsed");
            rejected += 1;
        }
        // Every 7th byte, a different bit each time (all bytes take a minute in debug builds).
        for pos in (0..der.len()).step_by(7) {
            let mut d = der.clone();
            d[pos] ^= 1 << (pos % 8);
            if check(&d) {
                parsed += 1;
            } else {
                rejected += 1;
            }
        }
    }
    // Flips in nonces, keys and signatures still parse, and those messages were rendered.
    assert!(parsed > 200, "{parsed} mutated messages parsed");
    assert!(rejected > 1000, "{rejected} mutated messages rejected");
}
