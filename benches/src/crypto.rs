//! MAC, signature and certHash cases, each with the bare primitive over the same bytes.

use cmp_codec::body::CertOrEncCert;
use cmp_codec::protection::{
    protect_with_mac, protect_with_signature, verify_mac, verify_mac_with_key, verify_signature,
    verify_signature_with_verifier, HashAlg, HmacAlg, MacAlgorithm, MacKey, RustCryptoVerifyingKey,
    SignatureAlgorithm, VerifyOptions,
};
use cmp_codec::{asn1, PKIBody, PKIMessage};
use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};
use signature::{SignatureEncoding, Signer, Verifier};

use crate::corpus::{read_vector, TYPICAL_IP, TYPICAL_IR};
use crate::SECRET;

// ---------------------------------------------------------------------------------------------
// MAC

/// The parameters of a MAC, owned, for the bare primitive.
#[derive(Clone, Debug)]
pub enum BareMac {
    /// PBM: BASEKEY = SHA-256^n(secret || salt), then HMAC.
    Pbm {
        salt: Vec<u8>,
        iterations: u64,
        mac: HmacAlg,
    },
    /// PBMAC1: PBKDF2-HMAC-SHA256, then HMAC.
    Pbmac1 {
        salt: Vec<u8>,
        iterations: u32,
        key_len: usize,
        mac: HmacAlg,
    },
}

fn hmac_sha(mac: HmacAlg, key: &[u8], data: &[u8]) -> Vec<u8> {
    match mac {
        HmacAlg::HmacSha1 | HmacAlg::HmacWithSha1 => {
            let mut m = <Hmac<sha1::Sha1> as KeyInit>::new_from_slice(key).unwrap();
            m.update(data);
            m.finalize().into_bytes().to_vec()
        }
        HmacAlg::HmacWithSha256 => {
            let mut m = <Hmac<Sha256> as KeyInit>::new_from_slice(key).unwrap();
            m.update(data);
            m.finalize().into_bytes().to_vec()
        }
        other => panic!("bare HMAC for {} not written", other.name()),
    }
}

impl BareMac {
    fn of(alg: &MacAlgorithm<'_>) -> BareMac {
        match *alg {
            MacAlgorithm::Pbm {
                salt,
                owf: HashAlg::Sha256,
                iteration_count,
                mac,
            } => BareMac::Pbm {
                salt: salt.to_vec(),
                iterations: iteration_count,
                mac,
            },
            MacAlgorithm::Pbmac1 {
                salt,
                iteration_count,
                prf: HmacAlg::HmacWithSha256,
                key_length,
                mac,
            } => BareMac::Pbmac1 {
                salt: salt.to_vec(),
                iterations: iteration_count as u32,
                key_len: key_length.unwrap_or(32) as usize,
                mac,
            },
            ref other => panic!("bare MAC for {} not written", other.name()),
        }
    }

    /// The derived key alone.
    pub fn derive(&self, secret: &[u8]) -> Vec<u8> {
        match self {
            BareMac::Pbm {
                salt, iterations, ..
            } => {
                let mut h = Sha256::new();
                h.update(secret);
                h.update(salt);
                let mut key = [0u8; 32];
                key.copy_from_slice(&h.finalize());
                for _ in 1..*iterations {
                    let next = Sha256::digest(key);
                    key.copy_from_slice(&next);
                }
                key.to_vec()
            }
            BareMac::Pbmac1 {
                salt,
                iterations,
                key_len,
                ..
            } => {
                let mut key = vec![0u8; *key_len];
                pbkdf2::pbkdf2_hmac::<Sha256>(secret, salt, *iterations, &mut key);
                key
            }
        }
    }

    fn mac_alg(&self) -> HmacAlg {
        match self {
            BareMac::Pbm { mac, .. } | BareMac::Pbmac1 { mac, .. } => *mac,
        }
    }

    /// The MAC of `data` (key derivation included).
    pub fn compute(&self, secret: &[u8], data: &[u8]) -> Vec<u8> {
        hmac_sha(self.mac_alg(), &self.derive(secret), data)
    }

    /// The MAC of `data` with a key derived earlier.
    pub fn compute_with_key(&self, key: &[u8], data: &[u8]) -> Vec<u8> {
        hmac_sha(self.mac_alg(), key, data)
    }
}

/// A MAC-protected message and everything needed to verify it.
pub struct MacCase {
    pub name: &'static str,
    pub source: String,
    pub der: Vec<u8>,
    pub bare: BareMac,
    /// The DER `ProtectedPart`, contiguous, for the bare primitive.
    pub tbs: Vec<u8>,
    /// The `protection` bits.
    pub expected: Vec<u8>,
    /// The key derived once (for the cached-key path).
    pub key: MacKey,
    pub bare_key: Vec<u8>,
    /// Whether OpenSSL 3.0 can check it (PBM yes, PBMAC1 no).
    pub openssl: bool,
}

/// Limits wide enough for 262,144 iterations.
pub fn verify_options() -> VerifyOptions {
    VerifyOptions::default()
}

impl MacCase {
    fn new(name: &'static str, source: String, der: Vec<u8>) -> MacCase {
        let msg = PKIMessage::parse(&der).unwrap();
        let alg =
            MacAlgorithm::from_algorithm_identifier(msg.header.protection_alg.as_ref().unwrap())
                .unwrap();
        let bare = BareMac::of(&alg);
        let tbs = msg.protected_part().unwrap().to_vec();
        let expected = msg.protection.as_ref().unwrap().as_bytes().to_vec();
        let key = alg.derive_key(SECRET, &verify_options()).unwrap();
        let bare_key = bare.derive(SECRET);
        let openssl = matches!(alg, MacAlgorithm::Pbm { .. });
        let case = MacCase {
            name,
            source,
            bare,
            tbs,
            expected,
            key,
            bare_key,
            openssl,
            der: der.clone(),
        };
        // Both ways must verify, or the comparison is meaningless.
        verify_mac(&msg, SECRET, &verify_options()).unwrap();
        assert!(case.bare_verify(), "{name}: bare MAC differs");
        case
    }

    /// Ours: `verify_mac` on a parsed message (key derivation included).
    pub fn ours(&self, msg: &PKIMessage<'_>) -> bool {
        verify_mac(msg, SECRET, &verify_options()).is_ok()
    }

    /// Ours with the key derived once (`verify_mac_with_key`).
    pub fn ours_cached(&self, msg: &PKIMessage<'_>) -> bool {
        verify_mac_with_key(msg, &self.key).is_ok()
    }

    /// The bare primitive: derive, HMAC the contiguous ProtectedPart, compare.
    pub fn bare_verify(&self) -> bool {
        self.bare.compute(SECRET, &self.tbs) == self.expected
    }

    /// The bare HMAC with the derived key.
    pub fn bare_cached(&self) -> bool {
        self.bare.compute_with_key(&self.bare_key, &self.tbs) == self.expected
    }

    /// The iteration count.
    pub fn iterations(&self) -> u64 {
        match &self.bare {
            BareMac::Pbm { iterations, .. } => *iterations,
            BareMac::Pbmac1 { iterations, .. } => *iterations as u64,
        }
    }
}

/// PBMAC1 with `iterations`, built from the Bouncy Castle PBMAC1 ir by re-protecting it.
pub fn pbmac1_with(iterations: u64) -> Vec<u8> {
    let base = read_vector("bouncycastle/ir_pbmac1/01-req-ir.der");
    let msg = PKIMessage::parse(&base).unwrap();
    let alg = MacAlgorithm::Pbmac1 {
        salt: b"\x5a\x17\x02\x9c\x3e\x44\xd1\x08\xa6\x71\x0f\xc2\x93\x5b\xe8\x26",
        iteration_count: iterations,
        prf: HmacAlg::HmacWithSha256,
        key_length: Some(32),
        mac: HmacAlg::HmacWithSha256,
    };
    protect_with_mac(&msg, &alg, SECRET).unwrap()
}

/// The MAC cases: PBM at 500 and 10,000 iterations (real OpenSSL and Bouncy Castle
/// messages), PBMAC1 at 10,000 (Bouncy Castle) and 262,144 (built; the count the Siemens
/// test server uses).
pub fn mac_cases() -> Vec<MacCase> {
    MAC_CASES.iter().map(|n| mac_case(n).unwrap()).collect()
}

// ---------------------------------------------------------------------------------------------
// Signatures

/// The key of the bare primitive.
pub enum BareKey {
    P256(p256::ecdsa::VerifyingKey),
    Rsa(rsa::PublicKey),
    Ed25519(ed25519_dalek::VerifyingKey),
    MlDsa65(Box<ml_dsa::VerifyingKey<ml_dsa::MlDsa65>>),
}

impl BareKey {
    fn from_spki(spki_bits: &[u8], alg: SignatureAlgorithm) -> BareKey {
        match alg {
            SignatureAlgorithm::Ecdsa(_) => {
                BareKey::P256(p256::ecdsa::VerifyingKey::from_sec1_bytes(spki_bits).unwrap())
            }
            SignatureAlgorithm::RsaPkcs1v15(_) => {
                use rsa::pkcs1::DecodeRsaPublicKey;
                BareKey::Rsa(rsa::PublicKey::from_pkcs1_der(spki_bits).unwrap())
            }
            SignatureAlgorithm::Ed25519 => BareKey::Ed25519(
                ed25519_dalek::VerifyingKey::from_bytes(spki_bits.try_into().unwrap()).unwrap(),
            ),
            SignatureAlgorithm::MlDsa65 => {
                let enc =
                    ml_dsa::EncodedVerifyingKey::<ml_dsa::MlDsa65>::try_from(spki_bits).unwrap();
                BareKey::MlDsa65(Box::new(ml_dsa::VerifyingKey::decode(&enc)))
            }
            other => panic!("no bare verifier for {}", other.name()),
        }
    }

    /// Verify `sig` over `tbs` with the primitive's own one-shot API (signature decoding
    /// included, the key already decoded).
    pub fn verify(&self, tbs: &[u8], sig: &[u8]) -> bool {
        match self {
            BareKey::P256(k) => match p256::ecdsa::DerSignature::from_bytes(sig) {
                Ok(s) => k.verify(tbs, &s).is_ok(),
                Err(_) => false,
            },
            BareKey::Rsa(k) => k
                .verify(
                    rsa::Pkcs1v15Sign::new::<Sha256>(),
                    &Sha256::digest(tbs),
                    sig,
                )
                .is_ok(),
            BareKey::Ed25519(k) => match ed25519_dalek::Signature::from_slice(sig) {
                Ok(s) => k.verify(tbs, &s).is_ok(),
                Err(_) => false,
            },
            BareKey::MlDsa65(k) => match ml_dsa::Signature::<ml_dsa::MlDsa65>::try_from(sig) {
                Ok(s) => k.verify(tbs, &s).is_ok(),
                Err(_) => false,
            },
        }
    }
}

/// A signature-protected message and everything needed to verify it.
pub struct SigCase {
    pub name: &'static str,
    pub source: String,
    pub der: Vec<u8>,
    /// The signer certificate (extraCerts[0]).
    pub signer_cert: Vec<u8>,
    /// Ours with the key bound once.
    pub verifier: RustCryptoVerifyingKey,
    pub bare: BareKey,
    /// The signer's public key bits and the algorithm, for the bare path that decodes the key.
    pub key_bits: Vec<u8>,
    pub alg: SignatureAlgorithm,
    pub tbs: Vec<u8>,
    pub sig: Vec<u8>,
    /// Whether OpenSSL 3.0 can check it (not ML-DSA).
    pub openssl: bool,
}

fn spki_of(cert: &[u8]) -> (Vec<u8>, Vec<u8>) {
    use der08::{Decode, Encode};
    let c = x509_cert::Certificate::from_der(cert).unwrap();
    let spki = c.tbs_certificate().subject_public_key_info();
    (
        spki.to_der().unwrap(),
        spki.subject_public_key.raw_bytes().to_vec(),
    )
}

impl SigCase {
    fn new(name: &'static str, source: String, der: Vec<u8>, openssl: bool) -> SigCase {
        let msg = PKIMessage::parse(&der).unwrap();
        let signer_cert = msg.extra_certs().next().unwrap().der().to_vec();
        let alg_id = msg.header.protection_alg.as_ref().unwrap();
        let alg = SignatureAlgorithm::from_algorithm_identifier(alg_id).unwrap();
        let (spki_der, bits) = spki_of(&signer_cert);
        let verifier = RustCryptoVerifyingKey::new(alg_id, &spki_der, &verify_options()).unwrap();
        let bare = BareKey::from_spki(&bits, alg);
        let key_bits = bits;
        let tbs = msg.protected_part().unwrap().to_vec();
        let sig = msg.protection.as_ref().unwrap().as_bytes().to_vec();
        let case = SigCase {
            name,
            source,
            signer_cert,
            verifier,
            bare,
            key_bits,
            alg,
            tbs,
            sig,
            openssl,
            der: der.clone(),
        };
        assert!(case.ours_full(&msg), "{name}: verify_signature failed");
        assert!(
            case.ours_key(&msg),
            "{name}: verify_signature_with_verifier failed"
        );
        assert!(case.bare_verify(), "{name}: bare verify failed");
        assert!(
            case.bare_decode_verify(),
            "{name}: bare decode+verify failed"
        );
        case
    }

    /// Ours, as a server does it: find the signer among extraCerts (decoding them with
    /// x509-cert), bind its key, verify over the received bytes.
    pub fn ours_full(&self, msg: &PKIMessage<'_>) -> bool {
        verify_signature(msg, &[], &verify_options()).is_ok()
    }

    /// Ours with the key bound once (`verify_signature_with_verifier`).
    pub fn ours_key(&self, msg: &PKIMessage<'_>) -> bool {
        verify_signature_with_verifier(msg, &self.verifier).is_ok()
    }

    /// The bare primitive over the contiguous ProtectedPart.
    pub fn bare_verify(&self) -> bool {
        self.bare.verify(&self.tbs, &self.sig)
    }

    /// The bare primitive with the key decoded from its bits first: the least a verifier
    /// that takes the key from the message's certificate does.
    pub fn bare_decode_verify(&self) -> bool {
        BareKey::from_spki(&self.key_bits, self.alg).verify(&self.tbs, &self.sig)
    }
}

/// Raw signature bytes, for signers whose signature type does not encode itself.
#[derive(Clone)]
pub struct RawSig(pub Vec<u8>);

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

/// An ML-DSA-65 signing key as a `Signer<RawSig>`.
pub struct MlDsa65Signer(pub ml_dsa::SigningKey<ml_dsa::MlDsa65>);

impl Signer<RawSig> for MlDsa65Signer {
    fn try_sign(&self, msg: &[u8]) -> Result<RawSig, signature::Error> {
        let s: ml_dsa::Signature<ml_dsa::MlDsa65> = self.0.try_sign(msg)?;
        Ok(RawSig(s.encode().to_vec()))
    }
}

/// [`TYPICAL_IR`] signed with a fixed ML-DSA-65 key and a self-signed certificate for it
/// (the vectors have no ML-DSA message); extraCerts: that certificate, then the original ones.
pub fn mldsa65_message() -> Vec<u8> {
    use crate::der::{bits, self_signed_cert, seq};
    let key = ml_dsa::SigningKey::<ml_dsa::MlDsa65>::from_seed(&[7u8; 32].into());
    let public = signature::Keypair::verifying_key(&key).encode();
    let alg = SignatureAlgorithm::MlDsa65;
    let alg_der = alg.to_algorithm_identifier_der().unwrap();
    let spki = seq(&[&alg_der, &bits(public.as_slice())]);
    let signer = MlDsa65Signer(key);
    let cert = self_signed_cert("ML-DSA-65 client", &spki, &alg_der, &[0x65; 20], |tbs| {
        signer.try_sign(tbs).unwrap().0
    });
    let base = read_vector(TYPICAL_IR);
    let msg = PKIMessage::parse(&base).unwrap();
    let alg_id = asn1::parse_single(&alg_der).unwrap();
    // Our own certificate comes first; drop senderKID so that it names ours.
    let mut header = msg.header.clone();
    header.sender_kid = None;
    let mut m = PKIMessage::new(header, msg.body.clone());
    m.extra_certs = msg.extra_certs.clone();
    protect_with_signature::<_, RawSig>(&m, &signer, &alg_id, &cert, &[]).unwrap()
}

/// The signature cases: ECDSA P-256 and RSA-2048 (OpenSSL 3.0 irs), Ed25519 (Bouncy Castle
/// cr), ML-DSA-65 (built here).
pub fn sig_cases() -> Vec<SigCase> {
    SIG_CASES.iter().map(|n| sig_case(n).unwrap()).collect()
}

// ---------------------------------------------------------------------------------------------
// certHash

/// The certificate the typical ip delivers (ECDSA with SHA-256 → certHash SHA-256).
pub fn issued_certificate() -> Vec<u8> {
    let der = read_vector(TYPICAL_IP);
    let msg = PKIMessage::parse(&der).unwrap();
    let PKIBody::Ip(rep) = &msg.body else {
        panic!("{TYPICAL_IP} is not an ip")
    };
    let resp = rep.response.iter().next().unwrap();
    match resp.certified_key_pair.unwrap().cert_or_enc_cert {
        CertOrEncCert::Certificate(c) => c.der().to_vec(),
        CertOrEncCert::EncryptedCert(_) => panic!("encrypted certificate"),
    }
}

/// Ours: `cert_hash` (reads the certificate's signature algorithm to pick the hash).
pub fn cert_hash_ours(cert: &[u8]) -> Vec<u8> {
    cmp_codec::protection::cert_hash(cert, None).unwrap()
}

/// Bare: SHA-256 of the certificate.
pub fn cert_hash_bare(cert: &[u8]) -> Vec<u8> {
    Sha256::digest(cert).to_vec()
}

/// One MAC case by name (see [`mac_cases`]), without building the others.
pub fn mac_case(name: &str) -> Option<MacCase> {
    let v = |rel: &str| (rel.to_string(), read_vector(rel));
    Some(match name {
        "pbm-500-sha256-hmacsha1" => {
            let (s, d) = v("openssl/ir_pbm/01-req-ir.der");
            MacCase::new("pbm-500-sha256-hmacsha1", s, d)
        }
        "pbm-10000-sha256-hmacsha256" => {
            let (s, d) = v("bouncycastle/ir_pbm/01-req-ir.der");
            MacCase::new("pbm-10000-sha256-hmacsha256", s, d)
        }
        "pbmac1-10000-sha256" => {
            let (s, d) = v("bouncycastle/ir_pbmac1/01-req-ir.der");
            MacCase::new("pbmac1-10000-sha256", s, d)
        }
        "pbmac1-262144-sha256" => MacCase::new(
            "pbmac1-262144-sha256",
            "bouncycastle/ir_pbmac1/01-req-ir.der re-protected, PBMAC1 262,144".to_string(),
            pbmac1_with(262_144),
        ),
        _ => return None,
    })
}

/// One signature case by name (see [`sig_cases`]).
pub fn sig_case(name: &str) -> Option<SigCase> {
    let v = |rel: &str| (rel.to_string(), read_vector(rel));
    Some(match name {
        "ecdsa-p256-sha256" => {
            let (s, d) = v(TYPICAL_IR);
            SigCase::new("ecdsa-p256-sha256", s, d, true)
        }
        "rsa2048-pkcs1-sha256" => {
            let (s, d) = v("openssl/ir_sig_rsa/01-req-ir.der");
            SigCase::new("rsa2048-pkcs1-sha256", s, d, true)
        }
        "ed25519" => {
            let (s, d) = v("bouncycastle/cr_sig_ed25519/01-req-cr.der");
            SigCase::new("ed25519", s, d, true)
        }
        "ml-dsa-65" => SigCase::new(
            "ml-dsa-65",
            format!("{TYPICAL_IR} re-signed with ML-DSA-65 (self-signed certificate)"),
            mldsa65_message(),
            false,
        ),
        _ => return None,
    })
}

/// The MAC case names, in table order.
pub const MAC_CASES: [&str; 4] = [
    "pbm-500-sha256-hmacsha1",
    "pbm-10000-sha256-hmacsha256",
    "pbmac1-10000-sha256",
    "pbmac1-262144-sha256",
];

/// The signature case names, in table order.
pub const SIG_CASES: [&str; 4] = [
    "ecdsa-p256-sha256",
    "rsa2048-pkcs1-sha256",
    "ed25519",
    "ml-dsa-65",
];
