//! KEM-based MAC (RFC 9810 5.1.3.4) with ML-KEM: the message flows of Appendix E with keys and
//! randomness fixed here, every intermediate value checked against the RFC's rules by an
//! independent computation (KemOtherInfo DER written out byte by byte, HKDF recomputed from
//! RFC 5869's formulas with plain HMAC), round trips, tampering and wrong keys.

#![cfg(feature = "ml-kem")]

use cmp_codec::asn1;
use cmp_codec::builder::MessageBuilder;
use cmp_codec::der::{sequence as seq, tlv};
use cmp_codec::itav::{InfoTypeAndValue, InfoValue, KemCiphertextInfo};
use cmp_codec::protection::{
    find_kem_ciphertext_info, kem_other_info_der, protect_with_kem_mac, protect_with_kem_mac_key,
    verify_kem_mac, verify_kem_mac_with_key, verify_protection, HmacAlg, KdfAlg, KemAlgorithm,
    KemBMParameter, KemBasedMac, KemDecapsulationKey, KemEncapsulation, ProtectionError,
    VerifiedProtection, VerifyOptions, KEM_OTHER_INFO_STATIC_STRING,
};
use cmp_codec::{oid, AlgorithmIdentifier, GeneralName, PKIMessage};
use hmac::{KeyInit, Mac};

const TID: &[u8; 16] = b"kem-transaction!";

/// A v3 certificate for `spki` (the KEM key). Its signature is not checked by the KEM code, so
/// it is a dummy Ed25519 value; chain validation is another test file's business.
fn kem_cert(spki: &[u8]) -> Vec<u8> {
    let ed25519 = seq(&[&[0x06, 0x03, 0x2b, 0x65, 0x70]]);
    let attr = seq(&[&[0x06, 0x03, 0x55, 0x04, 0x03], &tlv(0x0c, b"KEM server")]);
    let name = seq(&[&tlv(0x31, &attr)]);
    let validity = seq(&[&tlv(0x17, b"250101000000Z"), &tlv(0x17, b"491231235959Z")]);
    let tbs = seq(&[
        &tlv(0xa0, &[0x02, 0x01, 0x02]),
        &[0x02, 0x01, 0x07],
        &ed25519,
        &name,
        &validity,
        &name,
        spki,
    ]);
    let mut sig = vec![0u8];
    sig.extend_from_slice(&[0x55; 64]);
    seq(&[&tbs, &ed25519, &tlv(0x03, &sig)])
}

fn server_key(alg: KemAlgorithm, fill: u8) -> KemDecapsulationKey {
    KemDecapsulationKey::from_seed(alg, &[fill; 64])
}

fn names() -> (GeneralName<'static>, GeneralName<'static>) {
    (GeneralName::null_dn(), GeneralName::null_dn())
}

/// RFC 5869 HKDF computed from its formulas with plain HMAC-SHA256, no salt (= HashLen zeros).
fn hkdf_sha256_by_hand(ikm: &[u8], info: &[u8], len: usize) -> Vec<u8> {
    type H = hmac::Hmac<sha2::Sha256>;
    let mut m = <H as KeyInit>::new_from_slice(&[0u8; 32]).unwrap();
    m.update(ikm);
    let prk = m.finalize().into_bytes();
    let mut okm = Vec::new();
    let mut t: Vec<u8> = Vec::new();
    let mut i = 1u8;
    while okm.len() < len {
        let mut m = <H as KeyInit>::new_from_slice(&prk).unwrap();
        m.update(&t);
        m.update(info);
        m.update(&[i]);
        t = m.finalize().into_bytes().to_vec();
        okm.extend_from_slice(&t);
        i += 1;
    }
    okm.truncate(len);
    okm
}

fn hmac_sha256(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut m = <hmac::Hmac<sha2::Sha256> as KeyInit>::new_from_slice(key).unwrap();
    m.update(data);
    m.finalize().into_bytes().to_vec()
}

#[test]
fn kem_other_info_der_is_the_rfc_structure() {
    // KemOtherInfo ::= SEQUENCE { staticString PKIFreeText, transactionID OCTET STRING,
    //                             kemContext [0] OCTET STRING OPTIONAL } (EXPLICIT TAGS module)
    assert_eq!(KEM_OTHER_INFO_STATIC_STRING, "CMP-KEM");
    let free_text = seq(&[&tlv(0x0c, b"CMP-KEM")]); // PKIFreeText: SEQUENCE OF UTF8String
    let want = seq(&[&free_text, &tlv(0x04, TID)]);
    assert_eq!(kem_other_info_der(TID, None).unwrap(), want);
    assert_eq!(
        hex::encode(&want),
        "301d3009 0c07434d502d4b454d 0410 6b656d2d7472616e73616374696f6e21".replace(' ', "")
    );
    let with_ctx = seq(&[&free_text, &tlv(0x04, TID), &tlv(0xa0, &tlv(0x04, b"ctx"))]);
    assert_eq!(kem_other_info_der(TID, Some(b"ctx")).unwrap(), with_ctx);
}

#[test]
fn hkdf_matches_rfc5869_test_case_3() {
    // RFC 5869 A.3: SHA-256, IKM = 0x0b * 22, no salt, no info, L = 42.
    let mut okm = [0u8; 42];
    KdfAlg::HkdfSha256
        .derive(&[0x0b; 22], &[], &mut okm)
        .unwrap();
    assert_eq!(
        hex::encode(okm),
        "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8"
    );
    assert_eq!(
        KdfAlg::HkdfSha256.oid().to_string(),
        "1.2.840.113549.1.9.16.3.28"
    );
    assert_eq!(
        KdfAlg::HkdfSha384.oid().to_string(),
        "1.2.840.113549.1.9.16.3.29"
    );
    assert_eq!(
        KdfAlg::HkdfSha512.oid().to_string(),
        "1.2.840.113549.1.9.16.3.30"
    );
    // More than 255 hash lengths cannot be derived.
    let mut big = vec![0u8; 255 * 32 + 1];
    assert!(KdfAlg::HkdfSha256.derive(b"x", b"", &mut big).is_err());
}

/// Appendix E, Figure 4: the client (Bob) knows the server's (Alice's) KEM certificate, puts the
/// ciphertext into generalInfo of its request; the server decapsulates and MAC-protects its
/// response; the client verifies. Every step is checked against the RFC's rules.
#[test]
fn flow_ciphertext_in_general_info_step_by_step() {
    let alice = server_key(KemAlgorithm::MlKem768, 0x42);
    let spki = alice.public_key_spki_der();
    let cert = kem_cert(&spki);
    assert_eq!(
        alice.public_key().len(),
        KemAlgorithm::MlKem768.public_key_len()
    );

    // 1. Bob encapsulates to the key in Alice's certificate (fixed randomness: a vector).
    let enc = KemEncapsulation::to_certificate_with_randomness(&cert, &[0x17; 32]).unwrap();
    assert_eq!(enc.algorithm, KemAlgorithm::MlKem768);
    assert_eq!(enc.ciphertext.len(), 1088);
    assert_eq!(enc.shared_secret().len(), 32);
    // The same inputs give the same vector; the SPKI alone works as well as the certificate.
    let again = KemEncapsulation::to_certificate_with_randomness(&spki, &[0x17; 32]).unwrap();
    assert_eq!(again.ciphertext, enc.ciphertext);
    assert_eq!(again.shared_secret(), enc.shared_secret());

    // KemCiphertextInfo ::= SEQUENCE { kem AlgorithmIdentifier, ct OCTET STRING }
    let info_der = enc.ciphertext_info_der();
    let want_info = seq(&[
        &seq(&[&asn1::write_single(&oid::ID_ML_KEM_768).unwrap()]),
        &tlv(0x04, &enc.ciphertext),
    ]);
    assert_eq!(info_der, want_info);

    // 2. Bob's request carries it in generalInfo (id-it 24), with a transactionID.
    let (s, r) = names();
    let req = MessageBuilder::new(s.clone(), r.clone())
        .pvno(3)
        .transaction_id(TID)
        .sender_nonce(b"0123456789abcdef")
        .general_info(InfoTypeAndValue::new(InfoValue::KemCiphertextInfo(Some(
            enc.ciphertext_info(),
        ))))
        .genm(vec![])
        .encode();
    let req = PKIMessage::parse(&req).unwrap();
    let itav = req.header.general_info().next().unwrap();
    assert_eq!(itav.info_type(), oid::ID_IT_KEM_CIPHERTEXT_INFO);
    assert_eq!(itav.info_type().to_string(), "1.3.6.1.5.5.7.4.24");

    // 3. Alice finds and decapsulates it: the same shared secret.
    let found = find_kem_ciphertext_info(&req).unwrap();
    assert_eq!(found.ct, &enc.ciphertext[..]);
    let ss = alice.decapsulate(&found).unwrap();
    assert_eq!(ss.as_bytes(), enc.shared_secret());

    // 4. Alice derives ssk = HKDF(ss, len, DER(KemOtherInfo)) and protects her response.
    let params = KemBasedMac::hkdf_sha256_hmac_sha256();
    let key = params.derive_key(ss.as_bytes(), TID).unwrap();
    let info = kem_other_info_der(TID, None).unwrap();
    assert_eq!(key.as_bytes().len(), 32, "the KDF output length is len");
    assert_eq!(
        key.as_bytes(),
        &hkdf_sha256_by_hand(ss.as_bytes(), &info, 32)[..]
    );

    let rsp = MessageBuilder::new(r, s)
        .pvno(3)
        .transaction_id(TID)
        .recip_nonce(b"0123456789abcdef")
        .genp(vec![])
        .encode();
    let rsp = PKIMessage::parse(&rsp).unwrap();
    let protected = protect_with_kem_mac(&rsp, &params, ss.as_bytes()).unwrap();
    let got = PKIMessage::parse(&protected).unwrap();

    // protectionAlg is id-KemBasedMac with KemBMParameter { kdf, len, mac } in RFC order.
    let alg = got.header.protection_alg.as_ref().unwrap();
    assert_eq!(alg.algorithm.to_string(), "1.2.840.113533.7.66.16");
    let p: KemBMParameter<'_> = alg.parameters_as().unwrap().unwrap();
    assert_eq!(p.kdf.algorithm, KdfAlg::HkdfSha256.oid());
    assert!(p.kdf.parameters.is_none());
    assert_eq!(p.kem_context, None);
    assert_eq!(p.len, 32);
    assert_eq!(p.mac.algorithm, oid::ID_HMAC_WITH_SHA256);
    let alg_der = asn1::write_single(alg).unwrap();
    let want_params = seq(&[
        &seq(&[&asn1::write_single(&KdfAlg::HkdfSha256.oid()).unwrap()]),
        &[0x02, 0x01, 0x20],
        &seq(&[&asn1::write_single(&oid::ID_HMAC_WITH_SHA256).unwrap()]),
    ]);
    let want_alg = seq(&[
        &asn1::write_single(&oid::ID_KEM_BASED_MAC).unwrap(),
        &want_params,
    ]);
    assert_eq!(alg_der, want_alg);

    // protection = HMAC-SHA256(ssk, DER(ProtectedPart)), recomputed independently.
    let part = got.protected_part().unwrap().to_vec();
    let mac = hmac_sha256(&hkdf_sha256_by_hand(ss.as_bytes(), &info, 32), &part);
    assert_eq!(got.protection.as_ref().unwrap().as_bytes(), &mac[..]);

    // 5. Bob verifies with his copy of ss.
    let v = verify_kem_mac(&got, enc.shared_secret(), &VerifyOptions::default()).unwrap();
    assert_eq!(v, params);
    match verify_protection(
        &got,
        Some(enc.shared_secret()),
        &[],
        &VerifyOptions::default(),
    ) {
        Ok(VerifiedProtection::KemMac(m)) => assert_eq!(m.len, 32),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        verify_protection(&got, None, &[], &VerifyOptions::default()),
        Err(ProtectionError::MissingCredentials {
            needed: "the KEM shared secret"
        })
    );

    // The key can be kept for further messages of the operation.
    let again = protect_with_kem_mac_key(&rsp, &params, &key).unwrap();
    assert_eq!(again, protected);
    verify_kem_mac_with_key(&got, &key).unwrap();
}

/// Appendix E, Figure 3: Alice (the client) asks with an empty id-it-KemCiphertextInfo in a
/// genm, Bob (the server) answers with the ciphertext in a genp, Alice protects her ir.
#[test]
fn flow_genm_genp_every_kem_and_kdf() {
    for (i, alg) in KemAlgorithm::ALL.into_iter().enumerate() {
        let kdf = KdfAlg::ALL[i];
        let alice = server_key(alg, 0x10 + i as u8);
        let cert = kem_cert(&alice.public_key_spki_der());
        let (s, r) = names();
        let genm = MessageBuilder::new(s.clone(), r.clone())
            .pvno(3)
            .transaction_id(TID)
            .genm(vec![InfoTypeAndValue::new(InfoValue::KemCiphertextInfo(
                None,
            ))])
            .encode();
        let genm = PKIMessage::parse(&genm).unwrap();
        assert!(
            find_kem_ciphertext_info(&genm).is_none(),
            "a request has no value"
        );

        let enc = KemEncapsulation::to_certificate_with_randomness(&cert, &[i as u8; 32]).unwrap();
        assert_eq!(enc.ciphertext.len(), alg.ciphertext_len());
        let genp = MessageBuilder::new(r.clone(), s.clone())
            .pvno(3)
            .transaction_id(TID)
            .genp(vec![InfoTypeAndValue::new(InfoValue::KemCiphertextInfo(
                Some(enc.ciphertext_info()),
            ))])
            .encode();
        let genp = PKIMessage::parse(&genp).unwrap();
        let info = find_kem_ciphertext_info(&genp).unwrap();
        assert_eq!(KemAlgorithm::from_ciphertext_info(&info).unwrap(), alg);
        let ss = alice.decapsulate(&info).unwrap();

        let params = KemBasedMac {
            kdf,
            kem_context: Some(b"context"),
            len: 48,
            mac: HmacAlg::HmacWithSha384,
        };
        let ir = MessageBuilder::new(s.clone(), r.clone())
            .pvno(3)
            .transaction_id(TID)
            .genm(vec![])
            .encode();
        let protected =
            protect_with_kem_mac(&PKIMessage::parse(&ir).unwrap(), &params, ss.as_bytes()).unwrap();
        let got = PKIMessage::parse(&protected).unwrap();
        assert_eq!(got.protection.as_ref().unwrap().as_bytes().len(), 48);
        let p: KemBMParameter<'_> = got
            .header
            .protection_alg
            .as_ref()
            .unwrap()
            .parameters_as()
            .unwrap()
            .unwrap();
        assert_eq!(p.kem_context, Some(&b"context"[..]));
        assert_eq!(p.len, 48);
        // Derived key = KDF(ss, 48, KemOtherInfo with kemContext).
        let key = params.derive_key(ss.as_bytes(), TID).unwrap();
        assert_eq!(key.as_bytes().len(), 48);
        if kdf == KdfAlg::HkdfSha256 {
            let info = kem_other_info_der(TID, Some(b"context")).unwrap();
            assert_eq!(
                key.as_bytes(),
                &hkdf_sha256_by_hand(ss.as_bytes(), &info, 48)[..]
            );
        }
        verify_kem_mac(&got, enc.shared_secret(), &VerifyOptions::default())
            .unwrap_or_else(|e| panic!("{}: {e}", alg.name()));
    }
}

fn protected_sample() -> (Vec<u8>, Vec<u8>, KemDecapsulationKey) {
    let alice = server_key(KemAlgorithm::MlKem768, 0x33);
    let cert = kem_cert(&alice.public_key_spki_der());
    let enc = KemEncapsulation::to_certificate_with_randomness(&cert, &[0x99; 32]).unwrap();
    let (s, r) = names();
    let msg = MessageBuilder::new(s, r)
        .pvno(3)
        .transaction_id(TID)
        .genp(vec![])
        .encode();
    let msg = PKIMessage::parse(&msg).unwrap();
    let out = protect_with_kem_mac(
        &msg,
        &KemBasedMac::hkdf_sha256_hmac_sha256(),
        enc.shared_secret(),
    )
    .unwrap();
    (out, enc.ciphertext.clone(), alice)
}

#[test]
fn tampering_and_wrong_keys_fail() {
    let (der, ct, alice) = protected_sample();
    let opts = VerifyOptions::default();
    let info = KemCiphertextInfo {
        kem: AlgorithmIdentifier::new(&oid::ID_ML_KEM_768),
        ct: &ct,
    };
    let ss = alice.decapsulate(&info).unwrap();
    let msg = PKIMessage::parse(&der).unwrap();
    verify_kem_mac(&msg, ss.as_bytes(), &opts).unwrap();

    // Wrong shared secret.
    let mut wrong = ss.as_bytes().to_vec();
    wrong[0] ^= 1;
    assert_eq!(
        verify_kem_mac(&msg, &wrong, &opts),
        Err(ProtectionError::MacMismatch {
            algorithm: "KemBasedMac"
        })
    );
    // Wrong private key: ML-KEM's implicit rejection gives another secret, so the MAC fails.
    let other = server_key(KemAlgorithm::MlKem768, 0x34);
    let ss2 = other.decapsulate(&info).unwrap();
    assert_ne!(ss2.as_bytes(), ss.as_bytes());
    assert!(matches!(
        verify_kem_mac(&msg, ss2.as_bytes(), &opts),
        Err(ProtectionError::MacMismatch { .. })
    ));
    // A flipped ciphertext bit, likewise.
    let mut ct2 = ct.clone();
    ct2[100] ^= 0x80;
    let ss3 = alice
        .decapsulate(&KemCiphertextInfo {
            kem: AlgorithmIdentifier::new(&oid::ID_ML_KEM_768),
            ct: &ct2,
        })
        .unwrap();
    assert!(verify_kem_mac(&msg, ss3.as_bytes(), &opts).is_err());
    // A key derived for another transactionID.
    let key = KemBasedMac::hkdf_sha256_hmac_sha256()
        .derive_key(ss.as_bytes(), b"another transaction")
        .unwrap();
    assert!(matches!(
        verify_kem_mac_with_key(&msg, &key,),
        Err(ProtectionError::MacMismatch { .. })
    ));
    // Every single bit flip of the message is detected or rejected, never a panic.
    for i in 0..der.len() {
        let mut m = der.clone();
        m[i] ^= 0x01;
        if let Ok(msg) = PKIMessage::parse(&m) {
            assert!(
                verify_kem_mac(&msg, ss.as_bytes(), &opts).is_err(),
                "flip at byte {i} went unnoticed"
            );
        }
    }
}

#[test]
fn ciphertext_and_key_mismatches() {
    let alice = server_key(KemAlgorithm::MlKem768, 1);
    let ct = vec![0u8; 1088];
    // KEM of the ciphertext differs from the key's.
    let e = alice
        .decapsulate(&KemCiphertextInfo {
            kem: AlgorithmIdentifier::new(KemAlgorithm::MlKem512.oid()),
            ct: &ct[..768],
        })
        .unwrap_err();
    assert!(matches!(e, ProtectionError::KeyMismatch { .. }), "{e}");
    // Wrong ciphertext length.
    let e = alice
        .decapsulate(&KemCiphertextInfo {
            kem: AlgorithmIdentifier::new(&oid::ID_ML_KEM_768),
            ct: &ct[..1000],
        })
        .unwrap_err();
    assert!(matches!(e, ProtectionError::BadParameters { .. }), "{e}");
    // An unknown KEM.
    let e = alice
        .decapsulate(&KemCiphertextInfo {
            kem: AlgorithmIdentifier::new(&oid::ID_SHA256),
            ct: &ct,
        })
        .unwrap_err();
    assert!(matches!(e, ProtectionError::UnknownAlgorithm { .. }), "{e}");
    // Encapsulating to a key that is no KEM key, or a truncated one.
    let ed = seq(&[
        &seq(&[&[0x06, 0x03, 0x2b, 0x65, 0x70]]),
        &tlv(0x03, &[0u8; 33]),
    ]);
    assert!(matches!(
        KemEncapsulation::to_certificate_with_randomness(&ed, &[0; 32]),
        Err(ProtectionError::KeyMismatch { .. })
    ));
    let spki = alice.public_key_spki_der();
    let short = seq(&[
        &seq(&[&asn1::write_single(&oid::ID_ML_KEM_768).unwrap()]),
        &tlv(0x03, &[0u8; 101]),
    ]);
    assert!(matches!(
        KemEncapsulation::to_certificate_with_randomness(&short, &[0; 32]),
        Err(ProtectionError::KeyMismatch { .. })
    ));
    assert!(KemEncapsulation::to_certificate_with_randomness(&spki, &[0; 32]).is_ok());
    assert!(KemEncapsulation::to_certificate_with_randomness(b"junk", &[0; 32]).is_err());
}

#[test]
fn parameter_errors() {
    let (s, r) = names();
    let tid_less = MessageBuilder::new(s.clone(), r.clone())
        .genp(vec![])
        .encode();
    let tid_less = PKIMessage::parse(&tid_less).unwrap();
    let e = protect_with_kem_mac(&tid_less, &KemBasedMac::hkdf_sha256_hmac_sha256(), b"ss")
        .unwrap_err();
    assert!(e.to_string().contains("transactionID"), "{e}");

    let mut p = KemBasedMac::hkdf_sha256_hmac_sha256();
    p.len = 0;
    assert!(p.to_algorithm_identifier_der().is_err());
    p.len = 1_000_000;
    assert!(p.derive_key(b"ss", TID).is_err());

    // Hostile protectionAlg parameters: each gives an error, never a panic.
    let msg = MessageBuilder::new(s, r)
        .transaction_id(TID)
        .genp(vec![])
        .encode();
    let msg = PKIMessage::parse(&msg).unwrap();
    let hkdf = seq(&[&asn1::write_single(&KdfAlg::HkdfSha256.oid()).unwrap()]);
    let hmac = seq(&[&asn1::write_single(&oid::ID_HMAC_WITH_SHA256).unwrap()]);
    let kem_oid = asn1::write_single(&oid::ID_KEM_BASED_MAC).unwrap();
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (seq(&[&kem_oid]), "parameters absent"),
        (
            seq(&[&kem_oid, &seq(&[&hkdf, &[0x02, 0x01, 0x00], &hmac])]),
            "len is 0",
        ),
        (
            seq(&[
                &kem_oid,
                &seq(&[&hkdf, &[0x02, 0x03, 0x01, 0x00, 0x00], &hmac]),
            ]),
            "exceeds",
        ),
        (
            seq(&[&kem_oid, &seq(&[&hmac, &[0x02, 0x01, 0x20], &hmac])]),
            "KemBMParameter.kdf",
        ),
        (
            seq(&[&kem_oid, &seq(&[&hkdf, &[0x02, 0x01, 0x20], &hkdf])]),
            "KemBMParameter.mac",
        ),
        (
            seq(&[
                &kem_oid,
                &seq(&[
                    &seq(&[
                        &asn1::write_single(&KdfAlg::HkdfSha256.oid()).unwrap(),
                        &[5, 0],
                    ]),
                    &[0x02, 0x01, 0x20],
                    &hmac,
                ]),
            ]),
            "must be absent",
        ),
        (seq(&[&kem_oid, &[0x01, 0x01, 0xff]]), "KemBasedMac"),
    ];
    for (alg_der, want) in cases {
        let alg: AlgorithmIdentifier<'_> = asn1::parse_single(&alg_der).unwrap();
        let e = KemBasedMac::from_algorithm_identifier(&alg).unwrap_err();
        assert!(e.to_string().contains(want), "{e} should mention {want}");
        // Through the whole message as well.
        let mut m = msg.clone();
        m.header.protection_alg = Some(alg);
        m.protection = asn1::BitString::new(&[0; 32], 0);
        let der = m.encode();
        let parsed = PKIMessage::parse(&der).unwrap();
        assert!(verify_kem_mac(&parsed, b"ss", &VerifyOptions::default()).is_err());
    }
}

#[test]
fn kdf2_matches_the_rfc9690_example_and_round_trips() {
    // RFC 9690 (RSA-KEM in CMS), example: KDF2 with SHA-256 over the RSA-KEM secret z and the
    // DER CMSORIforKEMOtherInfo gives the 16-octet KEK 4a95fe82f8d6ba56c83b4d51ef7dc06b.
    let z = hex::decode(concat!(
        "9c126102a5c1c0354672a3c2f19fc9ddea988f815e1da812c7bd4f8eb082bdd1",
        "4f85a7f7c2f1af11d5333e0d6bcb375bf855f208da72ba27e6fb0655f2825aa6",
        "2b93b1f9bbd3491fed58f0380fa0de36430e3a144d569600bd362609be5b9481",
        "0875990b614e406fa6dff500043cbca95968faba61f795096a7fb3687a51078c",
        "4ca2cb663366b0bea0cd9cccac72a25f3f4ed03deb68b4453bba44b943f4367b",
        "67d6cd10c8ace53f545aac50968fc3c6ecc80f3224b64e37038504e2d2c0e2b2",
        "9d45e46c62826d96331360e4c17ea3ef89a9efc5fac99eda830e81450b6534dc",
        "0bdf042b8f3b706649c631fe51fc2445cc8d447203ec2f41f79cdfea16de1ce6",
        "abdfdc1e2ef2e5d5d8a65e645f397240ef5a26f5e4ff715de782e30ecf477293",
        "e89e13171405909a8e04dd31d21d0c57935fc1ceea8e1033e31e1bc8c56da0f3",
        "d79510f3f380ff58e5a61d361f2f18e99fbae5663172e8cd1f21deaddc5bbbea",
        "060d55f1842b93d1a9c888d0bf85d0af9947fe51acf940c7e7577eb79cabecb3",
    ))
    .unwrap();
    let info = hex::decode("3010300b0609608648016503040105020110").unwrap();
    let mut kek = [0u8; 16];
    KdfAlg::Kdf2Sha256.derive(&z, &info, &mut kek).unwrap();
    assert_eq!(hex::encode(kek), "4a95fe82f8d6ba56c83b4d51ef7dc06b");

    // id-kdf-kdf2 with the hash AlgorithmIdentifier as parameters.
    assert_eq!(
        hex::encode(KdfAlg::Kdf2Sha256.to_algorithm_identifier_der().unwrap()),
        "30190 60a2b8105108648092c0101 300b0609608648016503040201".replace(' ', "")
    );
    // A KEM-based MAC with KDF2-SHA384 and 40 octets (more than one hash block).
    let alice = server_key(KemAlgorithm::MlKem768, 0x55);
    let enc =
        KemEncapsulation::to_certificate_with_randomness(&alice.public_key_spki_der(), &[0x66; 32])
            .unwrap();
    let params = KemBasedMac {
        kdf: KdfAlg::Kdf2Sha384,
        kem_context: None,
        len: 40,
        mac: HmacAlg::HmacWithSha256,
    };
    let key = params.derive_key(enc.shared_secret(), TID).unwrap();
    let other_info = kem_other_info_der(TID, None).unwrap();
    let mut want = Vec::new();
    for counter in [1u32, 2] {
        use sha2::Digest;
        let mut h = sha2::Sha384::new();
        h.update(enc.shared_secret());
        h.update(counter.to_be_bytes());
        h.update(&other_info);
        want.extend_from_slice(&h.finalize());
    }
    assert_eq!(key.as_bytes(), &want[..40]);
    let (s, r) = names();
    let msg = MessageBuilder::new(s, r)
        .transaction_id(TID)
        .genp(vec![])
        .encode();
    let protected = protect_with_kem_mac(
        &PKIMessage::parse(&msg).unwrap(),
        &params,
        enc.shared_secret(),
    )
    .unwrap();
    let got = PKIMessage::parse(&protected).unwrap();
    let ss = alice.decapsulate(&enc.ciphertext_info()).unwrap();
    assert_eq!(
        verify_kem_mac(&got, ss.as_bytes(), &VerifyOptions::default()).unwrap(),
        params
    );
    // KDF2 without its hash parameter, or with an unsupported hash, is refused.
    let kdf2 = asn1::write_single(&cmp_codec::protection::oids::ID_KDF_KDF2).unwrap();
    for bad in [
        seq(&[&kdf2]),
        seq(&[&kdf2, &seq(&[&asn1::write_single(&oid::ID_SHA1).unwrap()])]),
    ] {
        let alg: AlgorithmIdentifier<'_> = asn1::parse_single(&bad).unwrap();
        assert!(KdfAlg::from_algorithm_identifier(&alg).is_err());
    }
}
