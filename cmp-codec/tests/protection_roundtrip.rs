//! protect → parse → verify round trips for every supported MAC and signature algorithm, with
//! keys generated here (no third-party data needed), plus PKCS#10 signatures and certHash
//! lengths for the same keys.

// Without the signature backends only the MAC half runs; the helpers then go unused.
#![cfg_attr(not(feature = "rustcrypto"), allow(unused))]

use cmp_codec::asn1;
use cmp_codec::der::{bit_string as bits, sequence as seq, tlv};
use cmp_codec::protection::{
    cert_hash, cert_hash_algorithm, protect_with_mac, protect_with_signature, verify_mac,
    verify_mac_with_key, verify_pkcs10, verify_signature, verify_signature_with_cert, CertHashAlg,
    HashAlg, HmacAlg, MacAlgorithm, ProtectionError, SignatureAlgorithm, SignerMatch, SignerSource,
    VerifyOptions,
};
use cmp_codec::{AlgorithmIdentifier, PKIMessage};
use sha2::Digest;
use signature::{SignatureEncoding, Signer};

// ---------------------------------------------------------------------------------------------
// DER helpers

fn oid(o: &asn1::ObjectIdentifier) -> Vec<u8> {
    asn1::write_single(o).unwrap()
}

fn name(cn: &str) -> Vec<u8> {
    let attr = seq(&[&[0x06, 0x03, 0x55, 0x04, 0x03], &tlv(0x0c, cn.as_bytes())]);
    seq(&[&tlv(0x31, &attr)])
}

fn spki(alg: &[u8], key: &[u8]) -> Vec<u8> {
    seq(&[alg, &bits(key)])
}

/// A self-signed v3 certificate with a subjectKeyIdentifier, signed by `sign`.
fn make_cert(spki: &[u8], sig_alg: &[u8], ski: &[u8], sign: impl Fn(&[u8]) -> Vec<u8>) -> Vec<u8> {
    let ext = seq(&[&[0x06, 0x03, 0x55, 0x1d, 0x0e], &tlv(0x04, &tlv(0x04, ski))]);
    let validity = seq(&[&tlv(0x17, b"250101000000Z"), &tlv(0x17, b"491231235959Z")]);
    let n = name("protection test");
    let tbs = seq(&[
        &tlv(0xa0, &[0x02, 0x01, 0x02]),
        &[0x02, 0x01, 0x01],
        sig_alg,
        &n,
        &validity,
        &n,
        spki,
        &tlv(0xa3, &seq(&[&ext])),
    ]);
    let sig = sign(&tbs);
    seq(&[&tbs, sig_alg, &bits(&sig)])
}

/// A PKCS#10 request for `spki`, signed by `sign`.
fn make_csr(spki: &[u8], sig_alg: &[u8], sign: impl Fn(&[u8]) -> Vec<u8>) -> Vec<u8> {
    let info = seq(&[&[0x02, 0x01, 0x00], &name("csr"), spki, &[0xa0, 0x00]]);
    let sig = sign(&info);
    seq(&[&info, sig_alg, &bits(&sig)])
}

/// The message to protect: a small genm built by the codec.
fn message() -> Vec<u8> {
    cmp_codec::builder::example_genm()
}

#[cfg(feature = "rsa")]
/// Deterministic test RNG (SHA-256 in counter mode) for RSA key generation and PSS salts.
struct TestRng(u64);

#[cfg(feature = "rsa")]
impl rsa::rand_core::TryRng for TestRng {
    type Error = core::convert::Infallible;
    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        let mut b = [0u8; 4];
        self.try_fill_bytes(&mut b)?;
        Ok(u32::from_le_bytes(b))
    }
    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        let mut b = [0u8; 8];
        self.try_fill_bytes(&mut b)?;
        Ok(u64::from_le_bytes(b))
    }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        for chunk in dst.chunks_mut(32) {
            self.0 += 1;
            let block = sha2::Sha256::digest(self.0.to_le_bytes());
            chunk.copy_from_slice(&block[..chunk.len()]);
        }
        Ok(())
    }
}

#[cfg(feature = "rsa")]
impl rsa::rand_core::TryCryptoRng for TestRng {}

// ---------------------------------------------------------------------------------------------
// MAC

#[test]
fn mac_round_trips_for_every_algorithm() {
    let opts = VerifyOptions::default();
    let der = message();
    let msg = PKIMessage::parse(&der).unwrap();
    let salt = b"a 16 byte salt..";
    let mut algs = Vec::new();
    for owf in HashAlg::ALL {
        for mac in HmacAlg::ALL {
            algs.push(MacAlgorithm::Pbm {
                salt,
                owf,
                iteration_count: 100,
                mac,
            });
        }
    }
    for prf in HmacAlg::ALL {
        if prf == HmacAlg::HmacSha1 {
            continue; // not a PBKDF2 PRF identifier
        }
        for mac in HmacAlg::ALL {
            for key_length in [None, Some(16), Some(64)] {
                algs.push(MacAlgorithm::Pbmac1 {
                    salt,
                    iteration_count: 100,
                    prf,
                    key_length,
                    mac,
                });
            }
        }
    }
    for alg in &algs {
        let protected = protect_with_mac(&msg, alg, b"shared secret").unwrap();
        let p = PKIMessage::parse(&protected).unwrap();
        // protectionAlg was set before the MAC was computed, and it reads back the same.
        let written = p.header.protection_alg.as_ref().unwrap();
        assert_eq!(
            &MacAlgorithm::from_algorithm_identifier(written).unwrap(),
            alg
        );
        assert_eq!(&verify_mac(&p, b"shared secret", &opts).unwrap(), alg);
        assert_eq!(
            p.protection.as_ref().unwrap().as_bytes().len(),
            alg.mac().hash().output_len()
        );
        assert!(matches!(
            verify_mac(&p, b"shared secreT", &opts),
            Err(ProtectionError::MacMismatch { .. })
        ));
        // A key derived once verifies without the secret, but only for its own parameters.
        let key = alg.derive_key(b"shared secret", &opts).unwrap();
        assert_eq!(&verify_mac_with_key(&p, &key).unwrap(), alg);
        let other_salt = match alg.clone() {
            MacAlgorithm::Pbm {
                owf,
                iteration_count,
                mac,
                ..
            } => MacAlgorithm::Pbm {
                salt: b"another salt",
                owf,
                iteration_count,
                mac,
            },
            MacAlgorithm::Pbmac1 {
                iteration_count,
                prf,
                key_length,
                mac,
                ..
            } => MacAlgorithm::Pbmac1 {
                salt: b"another salt",
                iteration_count,
                prf,
                key_length,
                mac,
            },
        };
        let other_key = other_salt.derive_key(b"shared secret", &opts).unwrap();
        assert!(matches!(
            verify_mac_with_key(&p, &other_key),
            Err(ProtectionError::BadParameters { .. })
        ));
        // Header, body and protection are covered.
        let base = protected.as_ptr() as usize;
        for part in [
            p.header_der().unwrap(),
            p.body_der().unwrap(),
            p.protection.as_ref().unwrap().as_bytes(),
        ] {
            for bit in 0..8 {
                let mut m = protected.clone();
                m[part.as_ptr() as usize - base + part.len() - 1] ^= 1 << bit;
                if let Ok(bad) = PKIMessage::parse(&m) {
                    assert!(verify_mac(&bad, b"shared secret", &opts).is_err());
                }
            }
        }
    }
    assert_eq!(algs.len(), 30 + 90);
}

/// A cached key reads `protectionAlg` without decoding it when the bytes are the ones
/// `to_algorithm_identifier_der` writes or the ones it learned; the same parameters written
/// another way (here `owf` and `mac` with NULL parameters, as Bouncy Castle writes `mac`) are
/// decoded and compared the first time.
#[test]
fn cached_mac_key_accepts_another_encoding_of_its_parameters() {
    use cmp_codec::der::tlv;
    use cmp_codec::oid::{ID_HMAC_WITH_SHA256, ID_PASSWORD_BASED_MAC, ID_SHA256};
    let pbm = |iteration_count| MacAlgorithm::Pbm {
        salt: b"0123456789abcdef",
        owf: HashAlg::Sha256,
        iteration_count,
        mac: HmacAlg::HmacWithSha256,
    };
    let key_for = |alg: &MacAlgorithm<'_>| {
        alg.derive_key(b"shared secret", &VerifyOptions::default())
            .unwrap()
    };
    let alg = pbm(1000);
    let key = key_for(&alg);
    let null = [0x05, 0x00];
    let params = seq(&[
        &tlv(0x04, b"0123456789abcdef"),
        &seq(&[&oid(&ID_SHA256), &null]),
        &[0x02, 0x02, 0x03, 0xe8],
        &seq(&[&oid(&ID_HMAC_WITH_SHA256), &null]),
    ]);
    let alg_id_der = seq(&[&oid(&ID_PASSWORD_BASED_MAC), &params]);
    assert_ne!(alg_id_der, alg.to_algorithm_identifier_der().unwrap());
    // The message with this protectionAlg, its MAC computed with the key.
    let der = message();
    let mut msg = PKIMessage::parse(&der).unwrap();
    msg.header.protection_alg = Some(asn1::parse_single(&alg_id_der).unwrap());
    let unprotected = msg.encode();
    let parsed = PKIMessage::parse(&unprotected).unwrap();
    let mac = key.compute(&parsed.protected_part().unwrap().chunks());
    let mut msg = parsed.clone();
    msg.protection = Some(asn1::BitString::new(mac.as_slice(), 0).unwrap());
    let protected = msg.encode();
    let received = PKIMessage::parse(&protected).unwrap();
    // Decoded the first time; the key then knows these bytes too and reads the salt from
    // them: the same answer either way.
    assert_eq!(verify_mac_with_key(&received, &key).unwrap(), alg);
    assert_eq!(verify_mac_with_key(&received, &key).unwrap(), alg);
    assert_eq!(
        verify_mac(&received, b"shared secret", &VerifyOptions::default()).unwrap(),
        alg
    );
    // A cached key for other parameters still refuses it.
    let other_key = key_for(&pbm(1001));
    assert!(matches!(
        verify_mac_with_key(&received, &other_key),
        Err(ProtectionError::BadParameters { .. })
    ));
}

/// A message whose protectionAlg names a MAC is refused by the signature check as MAC
/// protection even when the MAC's parameters do not decode.
#[test]
fn mac_oid_with_bad_parameters_is_still_a_mac_for_verify_signature() {
    use cmp_codec::oid::ID_PASSWORD_BASED_MAC;
    let der = message();
    let mut msg = PKIMessage::parse(&der).unwrap();
    let alg_id_der = seq(&[&oid(&ID_PASSWORD_BASED_MAC), &[0x05, 0x00]]);
    msg.header.protection_alg = Some(asn1::parse_single(&alg_id_der).unwrap());
    msg.protection = Some(asn1::BitString::new(&[0u8; 20], 0).unwrap());
    let encoded = msg.encode();
    let received = PKIMessage::parse(&encoded).unwrap();
    assert!(matches!(
        verify_signature(&received, &[], &VerifyOptions::default()),
        Err(ProtectionError::WrongProtectionKind { .. })
    ));
    assert!(matches!(
        verify_mac(&received, b"secret", &VerifyOptions::default()),
        Err(ProtectionError::BadParameters { .. })
    ));
}

#[test]
fn mac_parameter_errors() {
    let opts = VerifyOptions::default();
    let der = message();
    let msg = PKIMessage::parse(&der).unwrap();
    // keyLength 0 and above 64 octets are refused when protecting too.
    for key_length in [0, 65] {
        let alg = MacAlgorithm::Pbmac1 {
            salt: b"salt",
            iteration_count: 1,
            prf: HmacAlg::HmacWithSha256,
            key_length: Some(key_length),
            mac: HmacAlg::HmacWithSha256,
        };
        assert!(protect_with_mac(&msg, &alg, b"s").is_err());
    }
    let zero = MacAlgorithm::Pbm {
        salt: b"salt",
        owf: HashAlg::Sha256,
        iteration_count: 0,
        mac: HmacAlg::HmacSha1,
    };
    assert!(matches!(
        protect_with_mac(&msg, &zero, b"s"),
        Err(ProtectionError::BadParameters { .. })
    ));
    // A built (not parsed) message has no received bytes to verify.
    assert!(matches!(
        verify_mac(&msg, b"s", &opts),
        Err(ProtectionError::Unprotected { .. })
    ));
    // Unknown owf.
    let alg_id = asn1::write_single(&cmp_codec::protection::PBMParameter {
        salt: b"salt",
        owf: AlgorithmIdentifier::new(&cmp_codec::oid::ID_SHAKE256),
        iteration_count: 1,
        mac: AlgorithmIdentifier::new(&cmp_codec::oid::ID_HMAC_SHA1),
    })
    .unwrap();
    let params = asn1::parse_single::<asn1::Tlv<'_>>(&alg_id).unwrap();
    let id = AlgorithmIdentifier {
        algorithm: (&cmp_codec::oid::ID_PASSWORD_BASED_MAC).into(),
        parameters: Some(params),
    };
    assert!(matches!(
        MacAlgorithm::from_algorithm_identifier(&id),
        Err(ProtectionError::UnknownAlgorithm {
            field: "PBMParameter.owf",
            ..
        })
    ));
    // Parameters of the wrong type (OpenSSL's bad_alg_param regression: a BOOLEAN).
    let boolean = [0x01, 0x01, 0xff];
    let id = AlgorithmIdentifier {
        algorithm: (&cmp_codec::oid::ID_PASSWORD_BASED_MAC).into(),
        parameters: Some(asn1::parse_single::<asn1::Tlv<'_>>(&boolean).unwrap()),
    };
    assert!(matches!(
        MacAlgorithm::from_algorithm_identifier(&id),
        Err(ProtectionError::BadParameters { .. })
    ));
}

// ---------------------------------------------------------------------------------------------
// Signatures

/// A signing function: message in, signature value out.
type SignFn = Box<dyn Fn(&[u8]) -> Vec<u8>>;

struct Case {
    label: &'static str,
    alg: SignatureAlgorithm,
    spki: Vec<u8>,
    sign: SignFn,
    cert_hash: CertHashAlg,
}

/// Any closure as a `signature::Signer`, the way an HSM binding would look.
struct FnSigner<'a>(&'a dyn Fn(&[u8]) -> Vec<u8>);

#[derive(Clone)]
struct RawSig(Vec<u8>);

impl TryFrom<&[u8]> for RawSig {
    type Error = signature::Error;
    fn try_from(b: &[u8]) -> Result<Self, Self::Error> {
        Ok(RawSig(b.to_vec()))
    }
}

impl From<RawSig> for Vec<u8> {
    fn from(s: RawSig) -> Vec<u8> {
        s.0
    }
}

impl SignatureEncoding for RawSig {
    type Repr = Vec<u8>;
}

impl Signer<RawSig> for FnSigner<'_> {
    fn try_sign(&self, msg: &[u8]) -> Result<RawSig, signature::Error> {
        Ok(RawSig((self.0)(msg)))
    }
}

fn alg_der(alg: SignatureAlgorithm) -> Vec<u8> {
    alg.to_algorithm_identifier_der().unwrap()
}

fn cases() -> Vec<Case> {
    let mut v: Vec<Case> = Vec::new();

    #[cfg(feature = "rsa")]
    {
        use rsa::pkcs1::EncodeRsaPublicKey;
        let mut rng = TestRng(0);
        let key = rsa::PrivateKey::new(&mut rng, 2048).expect("RSA key generation");
        let public = key.to_public_key();
        let pkcs1 = public.to_pkcs1_der().unwrap();
        let rsa_alg = seq(&[&oid(&cmp_codec::oid::RSA_ENCRYPTION), &[0x05, 0x00]]);
        let rsa_spki = spki(&rsa_alg, pkcs1.as_bytes());
        for h in HashAlg::ALL {
            let k = key.clone();
            let sign: SignFn = match h {
                HashAlg::Sha1 => Box::new(move |m| {
                    rsa::pkcs1v15::SigningKey::<sha1::Sha1>::new(k.clone())
                        .sign(m)
                        .to_vec()
                }),
                HashAlg::Sha224 => Box::new(move |m| {
                    rsa::pkcs1v15::SigningKey::<sha2::Sha224>::new(k.clone())
                        .sign(m)
                        .to_vec()
                }),
                HashAlg::Sha256 => Box::new(move |m| {
                    rsa::pkcs1v15::SigningKey::<sha2::Sha256>::new(k.clone())
                        .sign(m)
                        .to_vec()
                }),
                HashAlg::Sha384 => Box::new(move |m| {
                    rsa::pkcs1v15::SigningKey::<sha2::Sha384>::new(k.clone())
                        .sign(m)
                        .to_vec()
                }),
                HashAlg::Sha512 => Box::new(move |m| {
                    rsa::pkcs1v15::SigningKey::<sha2::Sha512>::new(k.clone())
                        .sign(m)
                        .to_vec()
                }),
            };
            v.push(Case {
                label: "RSA PKCS#1 v1.5",
                alg: SignatureAlgorithm::RsaPkcs1v15(h),
                spki: rsa_spki.clone(),
                sign,
                cert_hash: CertHashAlg::Sha(h),
            });
        }
        let rng = std::rc::Rc::new(std::cell::RefCell::new(TestRng(1000)));
        for h in [HashAlg::Sha256, HashAlg::Sha384, HashAlg::Sha512] {
            use signature::RandomizedSigner;
            let (k, r) = (key.clone(), rng.clone());
            let sign: SignFn = match h {
                HashAlg::Sha256 => Box::new(move |m| {
                    rsa::pss::SigningKey::<sha2::Sha256>::new(k.clone())
                        .sign_with_rng(&mut *r.borrow_mut(), m)
                        .to_vec()
                }),
                HashAlg::Sha384 => Box::new(move |m| {
                    rsa::pss::SigningKey::<sha2::Sha384>::new(k.clone())
                        .sign_with_rng(&mut *r.borrow_mut(), m)
                        .to_vec()
                }),
                _ => Box::new(move |m| {
                    rsa::pss::SigningKey::<sha2::Sha512>::new(k.clone())
                        .sign_with_rng(&mut *r.borrow_mut(), m)
                        .to_vec()
                }),
            };
            v.push(Case {
                label: "RSASSA-PSS",
                alg: SignatureAlgorithm::RsaPss {
                    hash: h,
                    salt_len: h.output_len() as u64,
                },
                spki: rsa_spki.clone(),
                sign,
                cert_hash: CertHashAlg::Sha(h),
            });
        }
    }

    #[cfg(feature = "ecdsa")]
    {
        use cmp_codec::protection::oids::{SECP256R1, SECP384R1, SECP521R1};
        use signature::hazmat::PrehashSigner;
        let ec_alg = |curve| seq(&[&oid(&cmp_codec::oid::EC_PUBLIC_KEY), &oid(&curve)]);
        macro_rules! ecdsa_cases {
            ($curve:ty, $module:ident, $oid:expr, $len:expr) => {{
                let mut scalar = [0x42u8; $len];
                scalar[0] = 0x01; // below the group order, also for P-521
                let key = $module::ecdsa::SigningKey::from_slice(&scalar).unwrap();
                let point = key.verifying_key().to_sec1_point(false);
                let spki_der = spki(&ec_alg($oid), point.as_bytes());
                // Every digest with every curve: the digest comes from the OID (OpenSSL signs
                // P-384 keys with ecdsa-with-SHA256).
                for h in [HashAlg::Sha256, HashAlg::Sha384, HashAlg::Sha512] {
                    let k = key.clone();
                    v.push(Case {
                        label: stringify!($module),
                        alg: SignatureAlgorithm::Ecdsa(h),
                        spki: spki_der.clone(),
                        sign: Box::new(move |m| {
                            let digest = h.digest_chunks(&[m]);
                            let s: ecdsa::der::Signature<$curve> =
                                k.sign_prehash(digest.as_slice()).unwrap();
                            s.to_vec()
                        }),
                        cert_hash: CertHashAlg::Sha(h),
                    });
                }
            }};
        }
        ecdsa_cases!(p256::NistP256, p256, SECP256R1, 32);
        ecdsa_cases!(p384::NistP384, p384, SECP384R1, 48);
        ecdsa_cases!(p521::NistP521, p521, SECP521R1, 66);
    }

    #[cfg(feature = "ed25519")]
    {
        let key = ed25519_dalek::SigningKey::from_bytes(&[7u8; 32]);
        let alg = seq(&[&oid(&cmp_codec::oid::ID_ED25519)]);
        v.push(Case {
            label: "Ed25519",
            alg: SignatureAlgorithm::Ed25519,
            spki: spki(&alg, key.verifying_key().as_bytes()),
            sign: Box::new(move |m| key.sign(m).to_vec()),
            cert_hash: CertHashAlg::Sha(HashAlg::Sha512),
        });
    }

    #[cfg(feature = "ed448")]
    {
        let key = ed448_goldilocks::SigningKey::try_from(&[9u8; 57][..]).unwrap();
        let alg = seq(&[&oid(&cmp_codec::oid::ID_ED448)]);
        v.push(Case {
            label: "Ed448",
            alg: SignatureAlgorithm::Ed448,
            spki: spki(&alg, key.verifying_key().as_bytes()),
            sign: Box::new(move |m| {
                let s: ed448_goldilocks::Signature = key.sign(m);
                s.to_vec()
            }),
            cert_hash: CertHashAlg::Shake256,
        });
    }

    #[cfg(feature = "ml-dsa")]
    {
        macro_rules! mldsa_case {
            ($p:ty, $alg:expr, $oid:expr) => {{
                let key = ml_dsa::SigningKey::<$p>::from_seed(&[3u8; 32].into());
                let alg = seq(&[&oid(&$oid)]);
                let public = signature::Keypair::verifying_key(&key).encode();
                v.push(Case {
                    label: stringify!($p),
                    alg: $alg,
                    spki: spki(&alg, public.as_slice()),
                    sign: Box::new(move |m| {
                        let s: ml_dsa::Signature<$p> = key.sign(m);
                        s.to_vec()
                    }),
                    // ML-DSA certificates name no certHash digest: hashAlg is needed.
                    cert_hash: CertHashAlg::Shake128,
                });
            }};
        }
        mldsa_case!(
            ml_dsa::MlDsa44,
            SignatureAlgorithm::MlDsa44,
            cmp_codec::oid::ID_ML_DSA_44
        );
        mldsa_case!(
            ml_dsa::MlDsa65,
            SignatureAlgorithm::MlDsa65,
            cmp_codec::oid::ID_ML_DSA_65
        );
        mldsa_case!(
            ml_dsa::MlDsa87,
            SignatureAlgorithm::MlDsa87,
            cmp_codec::oid::ID_ML_DSA_87
        );
    }
    v
}

#[test]
fn signature_round_trips_for_every_algorithm() {
    let opts = VerifyOptions::default();
    let der = message();
    let msg = PKIMessage::parse(&der).unwrap();
    let cases = cases();
    let mut seen = std::collections::BTreeSet::new();
    for (i, case) in cases.iter().enumerate() {
        let label = format!("{} {}", case.label, case.alg.name());
        let ad = alg_der(case.alg);
        let alg_id: AlgorithmIdentifier<'_> = asn1::parse_single(&ad).unwrap();
        assert_eq!(
            SignatureAlgorithm::from_algorithm_identifier(&alg_id).unwrap(),
            case.alg,
            "{label}"
        );
        let ski = [i as u8; 20];
        let cert = make_cert(&case.spki, &ad, &ski, &case.sign);
        // An unrelated CA certificate for the chain (the next case with another key).
        let other = (1..cases.len())
            .map(|d| &cases[(i + d) % cases.len()])
            .find(|c| c.spki != case.spki)
            .unwrap();
        let ca = make_cert(&other.spki, &alg_der(other.alg), &[0xca; 20], &other.sign);

        let signer = FnSigner(&*case.sign);
        let protected =
            protect_with_signature::<_, RawSig>(&msg, &signer, &alg_id, &cert, &[&ca]).unwrap();
        let p = PKIMessage::parse(&protected).unwrap();
        assert_eq!(p.header.protection_alg.as_ref(), Some(&alg_id), "{label}");
        assert_eq!(p.header.sender_kid, Some(&ski[..]), "{label}");
        let extra: Vec<&[u8]> = p.extra_certs().map(|c| c.der()).collect();
        assert_eq!(extra, vec![&cert[..], &ca[..]], "{label}");

        let found = verify_signature(&p, &[], &opts).unwrap_or_else(|e| panic!("{label}: {e}"));
        assert_eq!(found.source, SignerSource::ExtraCerts(0), "{label}");
        assert_eq!(found.matched, SignerMatch::FirstExtraCert, "{label}");
        verify_signature_with_cert(&p, &cert, &opts).unwrap();
        // With the key of another algorithm family / key, it fails.
        assert!(
            verify_signature_with_cert(&p, &ca, &opts).is_err(),
            "{label}"
        );

        // Tampering with header, body or protection breaks it.
        let base = protected.as_ptr() as usize;
        for s in [
            p.header_der().unwrap(),
            p.body_der().unwrap(),
            p.protection.as_ref().unwrap().as_bytes(),
        ] {
            let pos = s.as_ptr() as usize - base + s.len() - 1;
            let mut m = protected.clone();
            m[pos] ^= 0x01;
            if let Ok(bad) = PKIMessage::parse(&m) {
                assert!(verify_signature(&bad, &[], &opts).is_err(), "{label}");
            }
        }

        // The signer can sit anywhere when its SKI matches senderKID.
        let reordered = {
            let mut m = PKIMessage::parse(&protected).unwrap();
            let certs: Vec<_> = m.extra_certs().collect();
            m.extra_certs = Some(cmp_codec::SeqOf::new(vec![certs[1], certs[0]]));
            m.encode()
        };
        let r = PKIMessage::parse(&reordered).unwrap();
        let found = verify_signature(&r, &[], &opts).unwrap();
        assert_eq!(found.source, SignerSource::ExtraCerts(1), "{label}");
        assert_eq!(found.matched, SignerMatch::SenderKid, "{label}");

        // PKCS#10 with the same key.
        let csr = make_csr(&case.spki, &ad, &case.sign);
        verify_pkcs10(&csr, &opts).unwrap_or_else(|e| panic!("{label} PKCS#10: {e}"));

        // certHash: the digest of the certificate's signature algorithm.
        match case.alg {
            SignatureAlgorithm::MlDsa44
            | SignatureAlgorithm::MlDsa65
            | SignatureAlgorithm::MlDsa87 => {
                assert!(matches!(
                    cert_hash(&cert, None),
                    Err(ProtectionError::NoCertHashAlgorithm { .. })
                ));
                let h = AlgorithmIdentifier::new(&cmp_codec::oid::ID_SHAKE128);
                assert_eq!(cert_hash(&cert, Some(&h)).unwrap().len(), 32);
            }
            _ => {
                assert_eq!(
                    cert_hash_algorithm(&cert).unwrap(),
                    case.cert_hash,
                    "{label}"
                );
                assert_eq!(cert_hash(&cert, None).unwrap(), case.cert_hash.hash(&cert));
            }
        }
        seen.insert(case.alg.name());
    }
    eprintln!("signature algorithms round-tripped: {seen:?}");
    #[cfg(all(
        feature = "rsa",
        feature = "ecdsa",
        feature = "ed25519",
        feature = "ml-dsa"
    ))]
    assert!(seen.len() >= 13, "{seen:?}");
}

#[test]
fn signature_algorithm_identifiers() {
    // PSS with SHA-1 and salt 20 uses every DEFAULT: empty parameters.
    let pss1 = SignatureAlgorithm::RsaPss {
        hash: HashAlg::Sha1,
        salt_len: 20,
    };
    let der = alg_der(pss1);
    let id: AlgorithmIdentifier<'_> = asn1::parse_single(&der).unwrap();
    assert_eq!(id.parameters.unwrap().data(), b"");
    assert_eq!(
        SignatureAlgorithm::from_algorithm_identifier(&id).unwrap(),
        pss1
    );
    // A MAC OID is not a signature.
    let id = AlgorithmIdentifier::new(&cmp_codec::oid::ID_PBMAC1);
    assert!(matches!(
        SignatureAlgorithm::from_algorithm_identifier(&id),
        Err(ProtectionError::WrongProtectionKind { .. })
    ));
    // Unknown OID.
    let unknown = asn1::oid!(1, 3, 6, 1, 4, 1, 2, 267, 7, 4, 4);
    let id = AlgorithmIdentifier::new(&unknown);
    assert!(matches!(
        SignatureAlgorithm::from_algorithm_identifier(&id),
        Err(ProtectionError::UnknownAlgorithm { .. })
    ));
    // Ed25519 with parameters is malformed.
    let null = [0x05, 0x00];
    let id = AlgorithmIdentifier {
        algorithm: (&cmp_codec::oid::ID_ED25519).into(),
        parameters: Some(asn1::parse_single::<asn1::Tlv<'_>>(&null).unwrap()),
    };
    assert!(matches!(
        SignatureAlgorithm::from_algorithm_identifier(&id),
        Err(ProtectionError::BadParameters { .. })
    ));
}
