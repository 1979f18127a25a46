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
//! The PBM iteration cap is lowered to 10,000 so that a mutated `iterationCount` costs little;
//! the cap itself is part of what is exercised.

use std::sync::OnceLock;

use arbitrary::{Result, Unstructured};
use cmp_codec::protection::{
    verify_mac, verify_p10cr, verify_popo, verify_signature, VerifyOptions,
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
const SUPPLIED: &[&[u8]] = &[
    include_bytes!("../../../vectors/openssl/credentials/client-ec.der"),
    include_bytes!("../../../vectors/openssl/credentials/client-rsa.der"),
    include_bytes!("../../../vectors/openssl/credentials/cmp-server-ec.der"),
    include_bytes!("../../../vectors/openssl/credentials/cmp-server-rsa.der"),
    include_bytes!("../../../vectors/openssl/credentials/device-ec.der"),
    include_bytes!("../../../vectors/openssl/credentials/device-rsa.der"),
];

fn options() -> VerifyOptions {
    VerifyOptions {
        max_iteration_count: 10_000,
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

/// Whether `msg` verifies, and how.
fn verifies(msg: &PKIMessage<'_>) -> Option<&'static str> {
    let opts = options();
    if verify_mac(msg, SECRET, &opts).is_ok() {
        return Some("MAC");
    }
    if verify_signature(msg, SUPPLIED, &opts).is_ok() {
        return Some("signature");
    }
    None
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
    let Ok(msg) = PKIMessage::parse(&mutated) else {
        return;
    };
    // The other verifiers must not panic either, whatever they answer.
    let opts = options();
    let _ = verify_popo(&msg, &opts);
    let _ = verify_p10cr(&msg, &opts);

    let how = verifies(&msg);
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
            "{name}: {edits} edit(s) changed the protected bytes and the {how} still verifies"
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
            assert!(verifies(&mutated).is_none(), "{name}: still verifies");
            assert!(verifies(&msg).is_some(), "{name}: original does not verify");
        }
    }
}
