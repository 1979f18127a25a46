//! Signature algorithms (RFC 9481 section 3, FIPS 204 ML-DSA) and the verification backend.
//!
//! Verification is built around [`signature::MultipartVerifier`]: the protected part of a
//! message is three borrowed slices and is handed over as such. A [`VerifierBackend`] turns an
//! `AlgorithmIdentifier` and a `SubjectPublicKeyInfo` into such a verifier, so another
//! implementation (an HSM, a FIPS module) can replace [`RustCryptoBackend`], the default.

use signature::MultipartVerifier;

use super::alg::{self, HashAlg};
use super::error::{bad_params, oid_name, ProtectionError};
use super::mac::alg_id_der;
use super::VerifyOptions;
use crate::common::{AlgorithmIdentifier, SubjectPublicKeyInfo};
use crate::oid as ids;

/// A signature value (the contents of the `protection` BIT STRING, or of a POPO or PKCS#10
/// signature), as passed to a [`signature::MultipartVerifier`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SignatureBytes<'s>(pub &'s [u8]);

/// A signature algorithm with the parameters that matter for verification.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SignatureAlgorithm {
    /// RSASSA-PKCS1-v1_5 (`sha*WithRSAEncryption`).
    RsaPkcs1v15(HashAlg),
    /// RSASSA-PSS with MGF1 over the same hash (the only combination RFC 9481 uses).
    RsaPss {
        /// Message digest and MGF1 digest.
        hash: HashAlg,
        /// `saltLength` in octets.
        salt_len: u64,
    },
    /// ECDSA (`ecdsa-with-SHA*`). The digest comes from the OID, the curve from the key:
    /// OpenSSL signs with P-384 keys and `ecdsa-with-SHA256`.
    Ecdsa(HashAlg),
    /// Ed25519 (pure).
    Ed25519,
    /// Ed448 (pure).
    Ed448,
    /// ML-DSA-44 (FIPS 204, pure, empty context).
    MlDsa44,
    /// ML-DSA-65.
    MlDsa65,
    /// ML-DSA-87.
    MlDsa87,
}

/// `RSASSA-PSS-params` (RFC 4055); all fields have DEFAULTs (SHA-1, MGF1-SHA-1, 20, 1).
#[derive(asn1::Asn1Read, asn1::Asn1Write, Clone, Debug, PartialEq, Eq)]
struct RsaPssParams<'a> {
    #[explicit(0)]
    hash_algorithm: Option<AlgorithmIdentifier<'a>>,
    #[explicit(1)]
    mask_gen_algorithm: Option<AlgorithmIdentifier<'a>>,
    #[explicit(2)]
    salt_length: Option<u64>,
    #[explicit(3)]
    trailer_field: Option<u64>,
}

const PSS: &str = "RSASSA-PSS";

fn pss_hash(alg: &AlgorithmIdentifier<'_>) -> Result<HashAlg, ProtectionError> {
    let h = HashAlg::from_oid(alg.algorithm).ok_or_else(|| ProtectionError::UnknownAlgorithm {
        field: "RSASSA-PSS-params.hashAlgorithm",
        algorithm: oid_name(alg.algorithm),
    })?;
    if !alg.null_or_absent_parameters() {
        return Err(bad_params(PSS, "hash parameters must be NULL or absent"));
    }
    Ok(h)
}

impl SignatureAlgorithm {
    /// Read a signature `AlgorithmIdentifier`. Parameters must be as RFC 9481 requires
    /// (`NULL` or absent for PKCS#1 v1.5, absent for ECDSA, EdDSA and ML-DSA, which are also
    /// accepted with `NULL` for ECDSA as OpenSSL does), `RSASSA-PSS-params` for PSS.
    pub fn from_algorithm_identifier(
        alg: &AlgorithmIdentifier<'_>,
    ) -> Result<Self, ProtectionError> {
        let oid = &alg.algorithm;
        let rsa = [
            (ids::SHA1_WITH_RSA, HashAlg::Sha1),
            (alg::SHA224_WITH_RSA, HashAlg::Sha224),
            (ids::SHA256_WITH_RSA, HashAlg::Sha256),
            (ids::SHA384_WITH_RSA, HashAlg::Sha384),
            (ids::SHA512_WITH_RSA, HashAlg::Sha512),
        ];
        let ecdsa = [
            (alg::ECDSA_WITH_SHA1, HashAlg::Sha1),
            (alg::ECDSA_WITH_SHA224, HashAlg::Sha224),
            (ids::ECDSA_WITH_SHA256, HashAlg::Sha256),
            (ids::ECDSA_WITH_SHA384, HashAlg::Sha384),
            (ids::ECDSA_WITH_SHA512, HashAlg::Sha512),
        ];
        let no_params = |s: SignatureAlgorithm| {
            if alg.parameters.is_none() {
                Ok(s)
            } else {
                Err(bad_params(s.name(), "parameters must be absent"))
            }
        };
        if let Some((_, h)) = rsa.iter().find(|(o, _)| o == oid) {
            let s = SignatureAlgorithm::RsaPkcs1v15(*h);
            return if alg.null_or_absent_parameters() {
                Ok(s)
            } else {
                Err(bad_params(s.name(), "parameters must be NULL"))
            };
        }
        if let Some((_, h)) = ecdsa.iter().find(|(o, _)| o == oid) {
            let s = SignatureAlgorithm::Ecdsa(*h);
            return if alg.null_or_absent_parameters() {
                Ok(s)
            } else {
                Err(bad_params(s.name(), "parameters must be absent"))
            };
        }
        if *oid == ids::RSASSA_PSS {
            let p: RsaPssParams<'_> = alg
                .parameters_as::<RsaPssParams<'_>>()
                .ok_or_else(|| bad_params(PSS, "parameters absent"))?
                .map_err(|e| bad_params(PSS, e))?;
            let hash = match &p.hash_algorithm {
                None => HashAlg::Sha1,
                Some(h) => pss_hash(h)?,
            };
            let mgf_hash = match &p.mask_gen_algorithm {
                None => HashAlg::Sha1,
                Some(m) => {
                    if m.algorithm != alg::ID_MGF1 {
                        return Err(ProtectionError::UnknownAlgorithm {
                            field: "RSASSA-PSS-params.maskGenAlgorithm",
                            algorithm: oid_name(m.algorithm),
                        });
                    }
                    let h: AlgorithmIdentifier<'_> = m
                        .parameters_as::<AlgorithmIdentifier<'_>>()
                        .ok_or_else(|| bad_params(PSS, "MGF1 parameters absent"))?
                        .map_err(|e| bad_params(PSS, e))?;
                    pss_hash(&h)?
                }
            };
            if mgf_hash != hash {
                return Err(bad_params(
                    PSS,
                    format!(
                        "MGF1 with {} and hash {} differ (unsupported)",
                        mgf_hash.name(),
                        hash.name()
                    ),
                ));
            }
            if p.trailer_field.unwrap_or(1) != 1 {
                return Err(bad_params(PSS, "trailerField must be 1"));
            }
            let salt_len = p.salt_length.unwrap_or(20);
            if salt_len > 1024 {
                return Err(bad_params(PSS, "saltLength too large"));
            }
            return Ok(SignatureAlgorithm::RsaPss { hash, salt_len });
        }
        match oid {
            o if *o == ids::ID_ED25519 => no_params(SignatureAlgorithm::Ed25519),
            o if *o == ids::ID_ED448 => no_params(SignatureAlgorithm::Ed448),
            o if *o == ids::ID_ML_DSA_44 => no_params(SignatureAlgorithm::MlDsa44),
            o if *o == ids::ID_ML_DSA_65 => no_params(SignatureAlgorithm::MlDsa65),
            o if *o == ids::ID_ML_DSA_87 => no_params(SignatureAlgorithm::MlDsa87),
            o if *o == ids::ID_PASSWORD_BASED_MAC
                || *o == ids::ID_PBMAC1
                || *o == ids::ID_DH_BASED_MAC
                || *o == ids::ID_KEM_BASED_MAC =>
            {
                Err(ProtectionError::WrongProtectionKind {
                    expected: "signature",
                    algorithm: oid_name(o),
                })
            }
            o => Err(ProtectionError::UnknownAlgorithm {
                field: "signature algorithm",
                algorithm: oid_name(o),
            }),
        }
    }

    /// A readable name (`"sha256WithRSAEncryption"`, `"ecdsa-with-SHA384"`, `"ML-DSA-65"`).
    pub fn name(&self) -> &'static str {
        use HashAlg::*;
        match self {
            SignatureAlgorithm::RsaPkcs1v15(h) => match h {
                Sha1 => "sha1WithRSAEncryption",
                Sha224 => "sha224WithRSAEncryption",
                Sha256 => "sha256WithRSAEncryption",
                Sha384 => "sha384WithRSAEncryption",
                Sha512 => "sha512WithRSAEncryption",
            },
            SignatureAlgorithm::RsaPss { .. } => PSS,
            SignatureAlgorithm::Ecdsa(h) => match h {
                Sha1 => "ecdsa-with-SHA1",
                Sha224 => "ecdsa-with-SHA224",
                Sha256 => "ecdsa-with-SHA256",
                Sha384 => "ecdsa-with-SHA384",
                Sha512 => "ecdsa-with-SHA512",
            },
            SignatureAlgorithm::Ed25519 => "Ed25519",
            SignatureAlgorithm::Ed448 => "Ed448",
            SignatureAlgorithm::MlDsa44 => "ML-DSA-44",
            SignatureAlgorithm::MlDsa65 => "ML-DSA-65",
            SignatureAlgorithm::MlDsa87 => "ML-DSA-87",
        }
    }

    /// The message digest, for the hash-then-sign algorithms.
    pub fn hash(&self) -> Option<HashAlg> {
        match self {
            SignatureAlgorithm::RsaPkcs1v15(h)
            | SignatureAlgorithm::RsaPss { hash: h, .. }
            | SignatureAlgorithm::Ecdsa(h) => Some(*h),
            _ => None,
        }
    }

    /// The algorithm OID.
    pub fn oid(&self) -> crate::oid::Oid<'static> {
        crate::oid::Oid::from(match self {
            SignatureAlgorithm::RsaPkcs1v15(h) => match h {
                HashAlg::Sha1 => &ids::SHA1_WITH_RSA,
                HashAlg::Sha224 => &alg::SHA224_WITH_RSA,
                HashAlg::Sha256 => &ids::SHA256_WITH_RSA,
                HashAlg::Sha384 => &ids::SHA384_WITH_RSA,
                HashAlg::Sha512 => &ids::SHA512_WITH_RSA,
            },
            SignatureAlgorithm::RsaPss { .. } => &ids::RSASSA_PSS,
            SignatureAlgorithm::Ecdsa(h) => match h {
                HashAlg::Sha1 => &alg::ECDSA_WITH_SHA1,
                HashAlg::Sha224 => &alg::ECDSA_WITH_SHA224,
                HashAlg::Sha256 => &ids::ECDSA_WITH_SHA256,
                HashAlg::Sha384 => &ids::ECDSA_WITH_SHA384,
                HashAlg::Sha512 => &ids::ECDSA_WITH_SHA512,
            },
            SignatureAlgorithm::Ed25519 => &ids::ID_ED25519,
            SignatureAlgorithm::Ed448 => &ids::ID_ED448,
            SignatureAlgorithm::MlDsa44 => &ids::ID_ML_DSA_44,
            SignatureAlgorithm::MlDsa65 => &ids::ID_ML_DSA_65,
            SignatureAlgorithm::MlDsa87 => &ids::ID_ML_DSA_87,
        })
    }

    /// The DER `AlgorithmIdentifier`: `NULL` parameters for PKCS#1 v1.5 (RFC 4055),
    /// `RSASSA-PSS-params` with `NULL`-parameter hash identifiers for PSS, none otherwise.
    /// Parse it with `asn1::parse_single::<AlgorithmIdentifier>` to pass it to
    /// [`super::protect_with_signature`].
    pub fn to_algorithm_identifier_der(&self) -> Result<Vec<u8>, ProtectionError> {
        const NULL: &[u8] = &[0x05, 0x00];
        match self {
            SignatureAlgorithm::RsaPkcs1v15(_) => alg_id_der(self.oid(), Some(NULL)),
            SignatureAlgorithm::RsaPss { hash, salt_len } => {
                let null = asn1::parse_single::<asn1::Tlv<'_>>(NULL)
                    .map_err(|e| ProtectionError::Encoding(format!("{e:?}")))?;
                let hash_id = AlgorithmIdentifier {
                    algorithm: hash.oid(),
                    parameters: Some(null),
                };
                let hash_der = asn1::write_single(&hash_id)
                    .map_err(|e| ProtectionError::Encoding(format!("{e:?}")))?;
                let mgf_params = asn1::parse_single::<asn1::Tlv<'_>>(&hash_der)
                    .map_err(|e| ProtectionError::Encoding(format!("{e:?}")))?;
                let sha1 = *hash == HashAlg::Sha1;
                let params = asn1::write_single(&RsaPssParams {
                    hash_algorithm: (!sha1).then(|| hash_id.clone()),
                    mask_gen_algorithm: (!sha1).then_some(AlgorithmIdentifier {
                        algorithm: (&alg::ID_MGF1).into(),
                        parameters: Some(mgf_params),
                    }),
                    salt_length: (*salt_len != 20).then_some(*salt_len),
                    trailer_field: None,
                })
                .map_err(|e| ProtectionError::Encoding(format!("{e:?}")))?;
                alg_id_der(&ids::RSASSA_PSS, Some(&params))
            }
            _ => alg_id_der(self.oid(), None),
        }
    }

    /// Whether this algorithm hashes with SHA-1.
    pub fn uses_sha1(&self) -> bool {
        self.hash() == Some(HashAlg::Sha1)
    }
}

/// Builds a verifier from a signature `AlgorithmIdentifier` and the signer's DER
/// `SubjectPublicKeyInfo`. Implement it to verify with another crypto provider;
/// [`RustCryptoBackend`] is the default.
pub trait VerifierBackend {
    /// The verifier for one key and algorithm.
    type Verifier: for<'s> MultipartVerifier<SignatureBytes<'s>>;

    /// A verifier for `algorithm` with the public key `spki_der`, or why there is none
    /// (unknown algorithm, key of the wrong type, SHA-1 refused by `opts`, ...).
    fn verifier(
        &self,
        algorithm: &AlgorithmIdentifier<'_>,
        spki_der: &[u8],
        opts: &VerifyOptions,
    ) -> Result<Self::Verifier, ProtectionError>;
}

/// The RustCrypto verification backend: RSA (PKCS#1 v1.5, PSS; `rsa` feature), ECDSA P-256,
/// P-384, P-521 (`ecdsa`), Ed25519 (`ed25519`), Ed448 (`ed448`), ML-DSA (`ml-dsa`). An
/// algorithm whose feature is off gives [`ProtectionError::UnknownAlgorithm`].
#[derive(Clone, Copy, Debug, Default)]
pub struct RustCryptoBackend;

impl VerifierBackend for RustCryptoBackend {
    type Verifier = RustCryptoVerifyingKey;

    fn verifier(
        &self,
        algorithm: &AlgorithmIdentifier<'_>,
        spki_der: &[u8],
        opts: &VerifyOptions,
    ) -> Result<RustCryptoVerifyingKey, ProtectionError> {
        RustCryptoVerifyingKey::new(algorithm, spki_der, opts)
    }
}

/// A RustCrypto public key bound to one signature algorithm. Implements
/// [`signature::MultipartVerifier`] and [`signature::Verifier`] for [`SignatureBytes`].
#[derive(Clone, Debug)]
pub struct RustCryptoVerifyingKey {
    algorithm: SignatureAlgorithm,
    key: Key,
}

#[derive(Clone, Debug)]
enum Key {
    #[cfg(feature = "rsa")]
    Rsa(rsa::PublicKey),
    #[cfg(feature = "ecdsa")]
    P256(p256::ecdsa::VerifyingKey),
    #[cfg(feature = "ecdsa")]
    P384(p384::ecdsa::VerifyingKey),
    #[cfg(feature = "ecdsa")]
    P521(p521::ecdsa::VerifyingKey),
    #[cfg(feature = "ed25519")]
    Ed25519(ed25519_dalek::VerifyingKey),
    #[cfg(feature = "ed448")]
    Ed448(ed448_goldilocks::VerifyingKey),
    #[cfg(feature = "ml-dsa")]
    MlDsa44(Box<ml_dsa::VerifyingKey<ml_dsa::MlDsa44>>),
    #[cfg(feature = "ml-dsa")]
    MlDsa65(Box<ml_dsa::VerifyingKey<ml_dsa::MlDsa65>>),
    #[cfg(feature = "ml-dsa")]
    MlDsa87(Box<ml_dsa::VerifyingKey<ml_dsa::MlDsa87>>),
}

/// ECDSA over a digest chosen by the algorithm OID (the curve only fixes the key).
#[cfg(feature = "ecdsa")]
macro_rules! ecdsa_verify {
    ($curve:ty, $key:expr, $hash:expr, $chunks:expr, $sig:expr) => {{
        use signature::hazmat::PrehashVerifier;
        match ecdsa::der::Signature::<$curve>::from_bytes($sig) {
            Ok(s) => {
                let digest = $hash.digest_chunks($chunks);
                $key.verify_prehash(digest.as_slice(), &s).is_ok()
            }
            Err(_) => false,
        }
    }};
}

fn key_err(algorithm: SignatureAlgorithm, reason: impl core::fmt::Display) -> ProtectionError {
    ProtectionError::KeyMismatch {
        algorithm: algorithm.name(),
        reason: reason.to_string(),
    }
}

#[allow(dead_code)]
fn not_compiled(algorithm: SignatureAlgorithm, feature: &str) -> ProtectionError {
    ProtectionError::UnknownAlgorithm {
        field: "signature algorithm",
        algorithm: format!("{} (cargo feature `{feature}` is off)", algorithm.name()),
    }
}

impl RustCryptoVerifyingKey {
    /// Bind the public key `spki_der` (a DER `SubjectPublicKeyInfo`) to the signature
    /// algorithm `algorithm`, checking that the key type fits.
    pub fn new(
        algorithm: &AlgorithmIdentifier<'_>,
        spki_der: &[u8],
        opts: &VerifyOptions,
    ) -> Result<Self, ProtectionError> {
        let alg = SignatureAlgorithm::from_algorithm_identifier(algorithm)?;
        if alg.uses_sha1() && !opts.allow_sha1_signatures {
            return Err(ProtectionError::WeakAlgorithm {
                algorithm: alg.name(),
            });
        }
        Self::from_algorithm(alg, spki_der)
    }

    /// Bind the public key `spki_der` to an already parsed algorithm.
    #[allow(unused_variables)]
    pub fn from_algorithm(
        algorithm: SignatureAlgorithm,
        spki_der: &[u8],
    ) -> Result<Self, ProtectionError> {
        let spki = asn1::parse_single::<SubjectPublicKeyInfo<'_>>(spki_der)
            .map_err(|e| key_err(algorithm, format!("bad SubjectPublicKeyInfo: {e}")))?;
        let key_oid = spki.algorithm.algorithm;
        let bits = spki.subject_public_key.as_bytes();
        if spki.subject_public_key.padding_bits() != 0 {
            return Err(key_err(algorithm, "public key BIT STRING has unused bits"));
        }
        let wrong_key = || key_err(algorithm, format!("key type {}", oid_name(key_oid)));
        let key = match algorithm {
            SignatureAlgorithm::RsaPkcs1v15(_) | SignatureAlgorithm::RsaPss { .. } => {
                if key_oid != ids::RSA_ENCRYPTION && key_oid != ids::RSASSA_PSS {
                    return Err(wrong_key());
                }
                #[cfg(feature = "rsa")]
                {
                    use rsa::pkcs1::DecodeRsaPublicKey;
                    Key::Rsa(
                        rsa::PublicKey::from_pkcs1_der(bits).map_err(|e| key_err(algorithm, e))?,
                    )
                }
                #[cfg(not(feature = "rsa"))]
                return Err(not_compiled(algorithm, "rsa"));
            }
            SignatureAlgorithm::Ecdsa(_) => {
                if key_oid != ids::EC_PUBLIC_KEY {
                    return Err(wrong_key());
                }
                let curve = spki
                    .algorithm
                    .parameters_as::<crate::oid::Oid>()
                    .ok_or_else(|| key_err(algorithm, "EC key without namedCurve"))?
                    .map_err(|e| key_err(algorithm, format!("EC parameters: {e}")))?;
                #[cfg(feature = "ecdsa")]
                {
                    let bad = |e: ecdsa::Error| key_err(algorithm, e);
                    if curve == alg::SECP256R1 {
                        Key::P256(p256::ecdsa::VerifyingKey::from_sec1_bytes(bits).map_err(bad)?)
                    } else if curve == alg::SECP384R1 {
                        Key::P384(p384::ecdsa::VerifyingKey::from_sec1_bytes(bits).map_err(bad)?)
                    } else if curve == alg::SECP521R1 {
                        Key::P521(p521::ecdsa::VerifyingKey::from_sec1_bytes(bits).map_err(bad)?)
                    } else {
                        return Err(key_err(
                            algorithm,
                            format!("unsupported curve {}", oid_name(curve)),
                        ));
                    }
                }
                #[cfg(not(feature = "ecdsa"))]
                {
                    let _ = curve;
                    return Err(not_compiled(algorithm, "ecdsa"));
                }
            }
            SignatureAlgorithm::Ed25519 => {
                if key_oid != ids::ID_ED25519 || spki.algorithm.parameters.is_some() {
                    return Err(wrong_key());
                }
                #[cfg(feature = "ed25519")]
                {
                    let b: &[u8; 32] = bits
                        .try_into()
                        .map_err(|_| key_err(algorithm, "Ed25519 key is not 32 bytes"))?;
                    Key::Ed25519(
                        ed25519_dalek::VerifyingKey::from_bytes(b)
                            .map_err(|e| key_err(algorithm, e))?,
                    )
                }
                #[cfg(not(feature = "ed25519"))]
                return Err(not_compiled(algorithm, "ed25519"));
            }
            SignatureAlgorithm::Ed448 => {
                if key_oid != ids::ID_ED448 || spki.algorithm.parameters.is_some() {
                    return Err(wrong_key());
                }
                #[cfg(feature = "ed448")]
                {
                    let b: &[u8; 57] = bits
                        .try_into()
                        .map_err(|_| key_err(algorithm, "Ed448 key is not 57 bytes"))?;
                    Key::Ed448(
                        ed448_goldilocks::VerifyingKey::from_bytes(b)
                            .map_err(|e| key_err(algorithm, e))?,
                    )
                }
                #[cfg(not(feature = "ed448"))]
                return Err(not_compiled(algorithm, "ed448"));
            }
            SignatureAlgorithm::MlDsa44
            | SignatureAlgorithm::MlDsa65
            | SignatureAlgorithm::MlDsa87 => {
                if key_oid != algorithm.oid() || spki.algorithm.parameters.is_some() {
                    return Err(wrong_key());
                }
                #[cfg(feature = "ml-dsa")]
                {
                    // Boxed: an expanded ML-DSA-87 key is tens of kilobytes.
                    fn decode<P: ml_dsa::MlDsaParams>(
                        bits: &[u8],
                    ) -> Option<Box<ml_dsa::VerifyingKey<P>>> {
                        let enc = ml_dsa::EncodedVerifyingKey::<P>::try_from(bits).ok()?;
                        Some(Box::new(ml_dsa::VerifyingKey::<P>::decode(&enc)))
                    }
                    let bad = || key_err(algorithm, "ML-DSA public key has the wrong length");
                    match algorithm {
                        SignatureAlgorithm::MlDsa44 => Key::MlDsa44(decode(bits).ok_or_else(bad)?),
                        SignatureAlgorithm::MlDsa65 => Key::MlDsa65(decode(bits).ok_or_else(bad)?),
                        _ => Key::MlDsa87(decode(bits).ok_or_else(bad)?),
                    }
                }
                #[cfg(not(feature = "ml-dsa"))]
                return Err(not_compiled(algorithm, "ml-dsa"));
            }
        };
        #[allow(unreachable_code)]
        Ok(RustCryptoVerifyingKey { algorithm, key })
    }

    /// The signature algorithm this key verifies.
    pub fn algorithm(&self) -> SignatureAlgorithm {
        self.algorithm
    }

    /// Verify `signature` over the concatenation of `chunks`.
    pub fn verify_chunks(&self, chunks: &[&[u8]], signature: &[u8]) -> Result<(), ProtectionError> {
        if self.verify_inner(chunks, signature) {
            Ok(())
        } else {
            Err(ProtectionError::SignatureInvalid {
                algorithm: self.algorithm.name(),
            })
        }
    }

    #[allow(unused_variables)]
    fn verify_inner(&self, chunks: &[&[u8]], sig: &[u8]) -> bool {
        match (&self.key, self.algorithm) {
            #[cfg(feature = "rsa")]
            (Key::Rsa(k), SignatureAlgorithm::RsaPkcs1v15(h)) => {
                let digest = h.digest_chunks(chunks);
                alg::with_hash!(h, D => k
                    .verify(rsa::Pkcs1v15Sign::new::<D>(), digest.as_slice(), sig)
                    .is_ok())
            }
            #[cfg(feature = "rsa")]
            (Key::Rsa(k), SignatureAlgorithm::RsaPss { hash, salt_len }) => {
                let digest = hash.digest_chunks(chunks);
                alg::with_hash!(hash, D => k
                    .verify(rsa::Pss::<D>::new_with_salt(salt_len as usize), digest.as_slice(), sig)
                    .is_ok())
            }
            #[cfg(feature = "ecdsa")]
            (Key::P256(k), SignatureAlgorithm::Ecdsa(h)) => {
                ecdsa_verify!(p256::NistP256, k, h, chunks, sig)
            }
            #[cfg(feature = "ecdsa")]
            (Key::P384(k), SignatureAlgorithm::Ecdsa(h)) => {
                ecdsa_verify!(p384::NistP384, k, h, chunks, sig)
            }
            #[cfg(feature = "ecdsa")]
            (Key::P521(k), SignatureAlgorithm::Ecdsa(h)) => {
                ecdsa_verify!(p521::NistP521, k, h, chunks, sig)
            }
            #[cfg(feature = "ed25519")]
            (Key::Ed25519(k), SignatureAlgorithm::Ed25519) => {
                match ed25519_dalek::Signature::from_slice(sig) {
                    Ok(s) => k.multipart_verify(chunks, &s).is_ok(),
                    Err(_) => false,
                }
            }
            #[cfg(feature = "ed448")]
            (Key::Ed448(k), SignatureAlgorithm::Ed448) => {
                // ed448-goldilocks has no streaming verification: this is the one algorithm
                // for which the message is copied into one buffer.
                match ed448_goldilocks::Signature::try_from(sig) {
                    Ok(s) => k.verify_raw(&s, &chunks.concat()).is_ok(),
                    Err(_) => false,
                }
            }
            #[cfg(feature = "ml-dsa")]
            (Key::MlDsa44(k), _) => mldsa_verify(k, chunks, sig),
            #[cfg(feature = "ml-dsa")]
            (Key::MlDsa65(k), _) => mldsa_verify(k, chunks, sig),
            #[cfg(feature = "ml-dsa")]
            (Key::MlDsa87(k), _) => mldsa_verify(k, chunks, sig),
            #[allow(unreachable_patterns)]
            _ => false,
        }
    }
}

#[cfg(feature = "ml-dsa")]
fn mldsa_verify<P: ml_dsa::MlDsaParams>(
    key: &ml_dsa::VerifyingKey<P>,
    chunks: &[&[u8]],
    sig: &[u8],
) -> bool {
    match ml_dsa::Signature::<P>::try_from(sig) {
        Ok(s) => key.multipart_verify(chunks, &s).is_ok(),
        Err(_) => false,
    }
}

impl MultipartVerifier<SignatureBytes<'_>> for RustCryptoVerifyingKey {
    fn multipart_verify(
        &self,
        msg: &[&[u8]],
        signature: &SignatureBytes<'_>,
    ) -> Result<(), signature::Error> {
        if self.verify_inner(msg, signature.0) {
            Ok(())
        } else {
            Err(signature::Error::new())
        }
    }
}

impl signature::Verifier<SignatureBytes<'_>> for RustCryptoVerifyingKey {
    fn verify(&self, msg: &[u8], signature: &SignatureBytes<'_>) -> Result<(), signature::Error> {
        self.multipart_verify(&[msg], signature)
    }
}
