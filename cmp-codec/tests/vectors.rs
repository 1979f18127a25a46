//! Every message produced by a third-party peer parses to the body alternative the peer says it
//! is, and re-encodes to exactly the same bytes.

mod common;

use cmp_codec::PKIMessage;

#[test]
fn every_vector_parses_to_its_body_and_reencodes_byte_for_byte() {
    let vectors = common::all_vectors("every_vector_parses");
    let mut failures = Vec::new();
    for v in &vectors {
        match PKIMessage::parse(&v.der) {
            Ok(msg) => {
                if msg.body.name() != v.body {
                    failures.push(format!(
                        "{}: body {} but manifest says {}",
                        v.name,
                        msg.body.name(),
                        v.body
                    ));
                }
                if msg.encode() != v.der {
                    failures.push(format!("{}: re-encoding differs", v.name));
                }
                if let (Some(h), Some(b)) = (msg.header_der(), msg.body_der()) {
                    // Header and body are borrowed from the input, not copies.
                    let range = v.der.as_ptr_range();
                    assert!(
                        range.contains(&h.as_ptr()) && range.contains(&b.as_ptr()),
                        "{}",
                        v.name
                    );
                    // The protected part built from those slices is the DER ProtectedPart.
                    let pp = msg.protected_part().unwrap().to_vec();
                    assert_eq!(pp, msg.encode_protected_part(), "{}", v.name);
                }
            }
            Err(e) => failures.push(format!("{}: {e}", v.name)),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} vectors failed:\n{}",
        failures.len(),
        vectors.len(),
        failures.join("\n")
    );
    eprintln!("{} vectors parsed and re-encoded", vectors.len());
}

#[test]
fn repo_vectors_exist() {
    let n = common::repo_vectors().len();
    assert!(
        n >= 40,
        "vectors/ should hold the peer-generated corpus (cargo xtask vectors), found {n}"
    );
}
