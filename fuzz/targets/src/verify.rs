//! The `verify` target: protection verification (`cmp_codec::protection`) on mutated real
//! messages. The fuzzer's bytes pick one of a few protected OpenSSL messages from
//! `vectors/openssl/` (PBM with two hash/MAC pairs, RSA and EC signatures, several bodies) and
//! describe edits to it (bit flips, byte writes, insertions, deletions, truncation). Then:
//!
//! * nothing panics, whatever the edits did to the protection parameters or the certificates;
//! * with no edit, the original verifies (so the target cannot pass vacuously);
//! * a message that verifies, by MAC with the vectors' secret or by signature with a key from
//!   its `extraCerts` or the vectors' credentials, has the protected bytes (`ProtectedPart`:
//!   header and body as received) of one of the originals. Changing a protected byte and still
//!   verifying would need a MAC or signature forgery, so any such input is a verification bug.
//!
//! Cost (each execution is mostly elliptic-curve and RSA arithmetic, which the fuzz build
//! instruments and runs with overflow checks): the PBM/PBMAC1 iteration cap is lowered to the
//! largest `iterationCount` of the originals ([`iteration_cap`], 500 with today's vectors), so
//! that an edited count costs at most what an original costs and anything above it takes the
//! cap's rejection path, which is part of what is exercised. The certificates offered to
//! signature verification besides `extraCerts` are a subset of [`SUPPLIED`] chosen by the
//! input (the bits of the byte after the edits), so the fuzzer explores every combination while
//! a typical execution tries fewer wrong keys; the forgery property is asserted for whichever
//! subset was offered.

use std::sync::OnceLock;

use arbitrary::{Result, Unstructured};
use cmp_codec::protection::{
    verify_mac, verify_p10cr, verify_popo, verify_signature, MacAlgorithm, VerifyOptions,
};
use cmp_codec::PKIMessage;

/// The shared secret of every PBM-protected message in vectors/openssl/ (MANIFEST.tsv).
pub const SECRET: &[u8] = b"insecure-cmp-vectors-secret";

macro_rules! vector {
    ($path:literal) => {
        (
            $path,
            include_bytes!(concat!("../../../vectors/openssl/", $path)).as_slice(),
        )
    };
}

/// The messages mutated: name (under vectors/openssl/) and DER.
pub const ORIGINALS: &[(&str, &[u8])] = &[
    vector!("ir_pbm/01-req-ir.der"),
    vector!("ir_pbm/02-rsp-ip.der"),
    vector!("ir_pbm_hmacsha256_sha512/01-req-ir.der"),
    vector!("genm_pbm/01-req-genm.der"),
    vector!("rr_pbm/02-rsp-rp.der"),
    vector!("p10cr_pbm/01-req-p10cr.der"),
    vector!("ir_sig_ec/01-req-ir.der"),
    vector!("ir_sig_ec/04-rsp-pkiconf.der"),
    vector!("genm_sig_rsa/01-req-genm.der"),
    vector!("cr_sig_rsa/02-rsp-cp.der"),
    vector!("kur_sig_ec/03-req-certConf.der"),
];

/// Certificates offered to signature verification besides `extraCerts` (DER).
pub const SUPPLIED: &[&[u8]] = &[
    include_bytes!("../../../vectors/openssl/credentials/client-ec.der"),
    include_bytes!("../../../vectors/openssl/credentials/client-rsa.der"),
    include_bytes!("../../../vectors/openssl/credentials/cmp-server-ec.der"),
    include_bytes!("../../../vectors/openssl/credentials/cmp-server-rsa.der"),
    include_bytes!("../../../vectors/openssl/credentials/device-ec.der"),
    include_bytes!("../../../vectors/openssl/credentials/device-rsa.der"),
];

/// The largest PBM / PBMAC1 `iterationCount` of the MAC-protected originals.
pub fn iteration_cap() -> u64 {
    static CAP: OnceLock<u64> = OnceLock::new();
    *CAP.get_or_init(|| {
        ORIGINALS
            .iter()
            .filter_map(|(_, der)| {
                let msg = PKIMessage::parse(der).ok()?;
                let alg = msg.header.protection_alg.as_ref()?;
                match MacAlgorithm::from_algorithm_identifier(alg).ok()? {
                    MacAlgorithm::Pbm {
                        iteration_count, ..
                    }
                    | MacAlgorithm::Pbmac1 {
                        iteration_count, ..
                    } => Some(iteration_count),
                }
            })
            .max()
            .unwrap_or(1)
    })
}

fn options() -> VerifyOptions {
    VerifyOptions {
        max_iteration_count: iteration_cap(),
        ..VerifyOptions::default()
    }
}

/// The `ProtectedPart` DER of every original.
fn original_protected_parts() -> &'static [Vec<u8>] {
    static PARTS: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    PARTS.get_or_init(|| {
        ORIGINALS
            .iter()
            .map(|(name, der)| {
                let msg = PKIMessage::parse(der).unwrap_or_else(|e| panic!("{name}: {e}"));
                msg.protected_part().expect("parsed").to_vec()
            })
            .collect()
    })
}

/// Whether `msg` verifies, by MAC or by signature with `extraCerts` and `supplied`, and how.
fn verifies(msg: &PKIMessage<'_>, supplied: &[&[u8]]) -> Option<&'static str> {
    let opts = options();
    if verify_mac(msg, SECRET, &opts).is_ok() {
        return Some("MAC");
    }
    if verify_signature(msg, supplied, &opts).is_ok() {
        return Some("signature");
    }
    None
}

/// The certificates of [`SUPPLIED`] whose bit is set in `mask`.
fn supplied_subset(mask: u8) -> Vec<&'static [u8]> {
    SUPPLIED
        .iter()
        .enumerate()
        .filter(|(i, _)| mask & (1 << i) != 0)
        .map(|(_, c)| *c)
        .collect()
}

/// Apply the edits described by `u` to `der`; returns the result and the number of edits.
pub(crate) fn mutate(u: &mut Unstructured<'_>, der: &[u8]) -> Result<(Vec<u8>, usize)> {
    let mut m = der.to_vec();
    let edits = u.int_in_range(0..=4u8)? as usize;
    for _ in 0..edits {
        if m.is_empty() {
            break;
        }
        let at = u.choose_index(m.len())?;
        match u.int_in_range(0..=5u8)? {
            0 => m[at] ^= 1 << u.int_in_range(0..=7u8)?,
            1 => m[at] = u.arbitrary()?,
            2 => m.insert(at, u.arbitrary()?),
            3 => {
                let n = u.int_in_range(1..=16usize)?.min(m.len() - at);
                m.drain(at..at + n);
            }
            4 => m.truncate(at),
            _ => {
                // Overwrite a run with bytes of the input (e.g. a length or a whole TLV).
                let n = u.int_in_range(1..=8usize)?.min(u.len());
                let src = u.bytes(n)?;
                for (i, b) in src.iter().enumerate() {
                    if let Some(x) = m.get_mut(at + i) {
                        *x = *b;
                    }
                }
            }
        }
    }
    Ok((m, edits))
}

pub fn verify(data: &[u8]) {
    let mut u = Unstructured::new(data);
    let Ok(which) = u.choose_index(ORIGINALS.len()) else {
        return;
    };
    let (name, original) = ORIGINALS[which];
    let Ok((mutated, edits)) = mutate(&mut u, original) else {
        return;
    };
    // No byte left (the one-byte seeds): no certificate besides extraCerts.
    let supplied = supplied_subset(u.arbitrary::<u8>().unwrap_or(0));
    let Ok(msg) = PKIMessage::parse(&mutated) else {
        return;
    };
    // The other verifiers must not panic either, whatever they answer.
    let opts = options();
    let _ = verify_popo(&msg, &opts);
    let _ = verify_p10cr(&msg, &opts);

    let how = verifies(&msg, &supplied);
    if mutated == original {
        assert!(
            how.is_some(),
            "{name}: the unmodified original does not verify"
        );
        return;
    }
    if let Some(how) = how {
        let pp = msg.protected_part().expect("parsed").to_vec();
        assert!(
            original_protected_parts().contains(&pp),
            "{name}: {edits} edit(s) changed the protected bytes and the {how} still verifies \
             ({} supplied certificate(s))",
            supplied.len()
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The one-byte seeds (fuzz/seeds/verify/) pick each original with no edit, which must
    /// verify; the target asserts that itself.
    #[test]
    fn every_original_verifies_unmodified() {
        for k in 0..ORIGINALS.len() {
            let seed = [k as u8];
            let mut u = Unstructured::new(&seed);
            assert_eq!(u.choose_index(ORIGINALS.len()).unwrap(), k);
            verify(&[k as u8]);
        }
    }

    /// What the target guards against does get caught: changing one byte of the
    /// transactionID (inside the protected part) makes verification fail.
    #[test]
    fn a_changed_protected_byte_does_not_verify() {
        for (name, der) in ORIGINALS {
            let msg = PKIMessage::parse(der).unwrap();
            let tid = msg
                .header
                .transaction_id
                .expect("OpenSSL sets a transactionID");
            let at = tid.as_ptr() as usize - der.as_ptr() as usize;
            let mut m = der.to_vec();
            m[at] ^= 0x01;
            let mutated = PKIMessage::parse(&m).unwrap();
            assert!(
                verifies(&mutated, SUPPLIED).is_none(),
                "{name}: still verifies"
            );
            assert!(
                verifies(&msg, SUPPLIED).is_some(),
                "{name}: original does not verify"
            );
            assert!(
                verifies(&msg, &[]).is_some(),
                "{name}: needs a supplied cert"
            );
        }
    }

    /// The cap covers every original (else they could not verify) and is far below the
    /// default, so an edited count costs little; a count above it is refused before hashing.
    #[test]
    fn the_iteration_cap_fits_the_originals() {
        let cap = iteration_cap();
        assert!((1..=10_000).contains(&cap), "cap {cap}");
        let (name, der) = ORIGINALS[0];
        let msg = PKIMessage::parse(der).unwrap();
        let tight = VerifyOptions {
            max_iteration_count: cap - 1,
            ..VerifyOptions::default()
        };
        assert!(
            matches!(
                verify_mac(&msg, SECRET, &tight),
                Err(cmp_codec::protection::ProtectionError::IterationCountTooLarge { .. })
            ),
            "{name}: the cap path is not taken"
        );
    }

    /// Every bit of the byte after the edits offers one more supplied certificate.
    #[test]
    fn the_mask_selects_supplied_certificates() {
        assert!(supplied_subset(0).is_empty());
        assert_eq!(supplied_subset(0xff).len(), SUPPLIED.len());
        assert_eq!(supplied_subset(0b101), vec![SUPPLIED[0], SUPPLIED[2]]);
    }
}
