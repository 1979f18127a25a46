//! Hostile input never makes the protection code panic: random parameters, keys, signatures,
//! certificates and PKCS#10 requests give errors, not crashes.

use cmp_codec::asn1;
use cmp_codec::der::tlv;
use cmp_codec::protection::{
    cert_hash, cert_hash_algorithm, protect_with_mac, verify_pkcs10, verify_protection, HashAlg,
    HmacAlg, MacAlgorithm, RustCryptoVerifyingKey, SignatureAlgorithm, VerifyOptions,
};
use cmp_codec::{AlgorithmIdentifier, PKIMessage};
use proptest::prelude::*;

/// Small limits so that whatever parameters the generator finds stay cheap.
fn opts() -> VerifyOptions {
    VerifyOptions {
        max_iteration_count: 64,
        max_salt_len: 64,
        pbmac1_key_length_in_bits_fallback: true,
        ..VerifyOptions::default()
    }
}

const SIG_ALGS: [SignatureAlgorithm; 12] = [
    SignatureAlgorithm::RsaPkcs1v15(HashAlg::Sha256),
    SignatureAlgorithm::RsaPss {
        hash: HashAlg::Sha256,
        salt_len: 32,
    },
    SignatureAlgorithm::RsaPss {
        hash: HashAlg::Sha512,
        salt_len: 1000,
    },
    SignatureAlgorithm::Ecdsa(HashAlg::Sha1),
    SignatureAlgorithm::Ecdsa(HashAlg::Sha256),
    SignatureAlgorithm::Ecdsa(HashAlg::Sha512),
    SignatureAlgorithm::Ed25519,
    SignatureAlgorithm::Ed448,
    SignatureAlgorithm::MlDsa44,
    SignatureAlgorithm::MlDsa65,
    SignatureAlgorithm::MlDsa87,
    SignatureAlgorithm::RsaPkcs1v15(HashAlg::Sha1),
];

/// A SubjectPublicKeyInfo with the right algorithm for `alg` and `key` as its key bits.
fn spki_for(alg: SignatureAlgorithm, key: &[u8], curve: u8) -> Vec<u8> {
    use cmp_codec::protection::oids::{SECP256R1, SECP384R1, SECP521R1};
    let oid = |o: &asn1::ObjectIdentifier| asn1::write_single(o).unwrap();
    let alg_id = match alg {
        SignatureAlgorithm::RsaPkcs1v15(_) | SignatureAlgorithm::RsaPss { .. } => tlv(
            0x30,
            &[oid(&cmp_codec::oid::RSA_ENCRYPTION), vec![5, 0]].concat(),
        ),
        SignatureAlgorithm::Ecdsa(_) => {
            let c = [SECP256R1, SECP384R1, SECP521R1][curve as usize % 3].clone();
            tlv(
                0x30,
                &[oid(&cmp_codec::oid::EC_PUBLIC_KEY), oid(&c)].concat(),
            )
        }
        other => tlv(0x30, &asn1::write_single(&other.oid()).unwrap()),
    };
    let mut bits = vec![0u8];
    bits.extend_from_slice(key);
    tlv(0x30, &[alg_id, tlv(0x03, &bits)].concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn random_keys_and_signatures(
        which in 0usize..SIG_ALGS.len(),
        key in prop::collection::vec(any::<u8>(), 0..3000),
        sig in prop::collection::vec(any::<u8>(), 0..5000),
        curve in any::<u8>(),
        msg in prop::collection::vec(any::<u8>(), 0..64),
    ) {
        let alg = SIG_ALGS[which];
        let spki = spki_for(alg, &key, curve);
        if let Ok(k) = RustCryptoVerifyingKey::from_algorithm(alg, &spki) {
            prop_assert!(k.verify_chunks(&[&msg[..], b"x", &[]], &sig).is_err());
        }
        // Raw garbage as the SPKI itself.
        let _ = RustCryptoVerifyingKey::from_algorithm(alg, &key);
    }

    #[test]
    fn random_rsa_moduli(
        n in prop::collection::vec(any::<u8>(), 100..600),
        sig in prop::collection::vec(any::<u8>(), 0..600),
        salt_len in 0u64..2000,
        which in 0usize..3,
    ) {
        let mut modulus = vec![0u8];
        modulus.extend_from_slice(&n);
        let pkcs1 = tlv(0x30, &[tlv(0x02, &modulus), vec![0x02, 0x03, 0x01, 0x00, 0x01]].concat());
        let alg = [
            SignatureAlgorithm::RsaPkcs1v15(HashAlg::Sha512),
            SignatureAlgorithm::RsaPss { hash: HashAlg::Sha256, salt_len },
            SignatureAlgorithm::RsaPss { hash: HashAlg::Sha1, salt_len },
        ][which];
        let spki = spki_for(alg, &pkcs1, 0);
        if let Ok(k) = RustCryptoVerifyingKey::from_algorithm(alg, &spki) {
            prop_assert!(k.verify_chunks(&[b"message"], &sig).is_err());
        }
    }

    #[test]
    fn random_ec_points(
        point in prop::collection::vec(any::<u8>(), 0..140),
        sig in prop::collection::vec(any::<u8>(), 0..160),
        curve in any::<u8>(),
    ) {
        let mut p = vec![0x04];
        p.extend_from_slice(&point);
        let alg = SignatureAlgorithm::Ecdsa(HashAlg::Sha256);
        let spki = spki_for(alg, &p, curve);
        if let Ok(k) = RustCryptoVerifyingKey::from_algorithm(alg, &spki) {
            prop_assert!(k.verify_chunks(&[b"message"], &sig).is_err());
        }
    }

    #[test]
    fn random_algorithm_parameters(
        which in 0usize..5,
        params in prop::collection::vec(any::<u8>(), 0..200),
        body in prop::collection::vec(any::<u8>(), 0..64),
    ) {
        let oid = [
            cmp_codec::oid::ID_PASSWORD_BASED_MAC,
            cmp_codec::oid::ID_PBMAC1,
            cmp_codec::oid::RSASSA_PSS,
            cmp_codec::oid::SHA256_WITH_RSA,
            cmp_codec::oid::ID_ED25519,
        ][which].clone();
        // Any TLV the generator happens to produce.
        if let Ok(tlv) = asn1::parse_single::<asn1::Tlv<'_>>(&params) {
            let id = AlgorithmIdentifier { algorithm: (&oid).into(), parameters: Some(tlv) };
            if let Ok(m) = MacAlgorithm::from_algorithm_identifier(&id) {
                let _ = m.compute(b"secret", &[&body], &opts());
                let _ = m.derive_key(b"secret", &opts());
            }
            let _ = SignatureAlgorithm::from_algorithm_identifier(&id);
        }
    }

    #[test]
    fn random_certificates_and_requests(der in prop::collection::vec(any::<u8>(), 0..600)) {
        let _ = cert_hash_algorithm(&der);
        let _ = cert_hash(&der, None);
        let _ = verify_pkcs10(&der, &opts());
    }

    #[test]
    fn mutated_protected_messages(
        which in 0usize..2,
        pos in any::<prop::sample::Index>(),
        value in any::<u8>(),
    ) {
        let base = cmp_codec::builder::example_genm();
        let msg = PKIMessage::parse(&base).unwrap();
        let alg = [
            MacAlgorithm::Pbm { salt: b"salt", owf: HashAlg::Sha256, iteration_count: 8, mac: HmacAlg::HmacSha1 },
            MacAlgorithm::Pbmac1 { salt: b"salt", iteration_count: 8, prf: HmacAlg::HmacWithSha256, key_length: Some(32), mac: HmacAlg::HmacWithSha256 },
        ][which].clone();
        let mut der = protect_with_mac(&msg, &alg, b"secret").unwrap();
        let i = pos.index(der.len());
        let changed = der[i] != value;
        der[i] = value;
        if let Ok(m) = PKIMessage::parse(&der) {
            let r = verify_protection(&m, Some(b"secret"), &[&der], &opts());
            // Every byte of a MAC-protected genm is covered by the MAC, or by the parser.
            if changed {
                prop_assert!(r.is_err());
            }
        }
    }
}
