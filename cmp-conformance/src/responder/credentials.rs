//! The responder's keys and certificates, read from a credentials directory laid out like
//! `vectors/openssl/credentials/` (see the module docs of [`crate::responder`]).

use std::fmt;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use cmp_codec::protection::{HashAlg, SignatureAlgorithm};
use der::{Decode, Encode};
use x509_cert::ext::pkix::SubjectKeyIdentifier;

/// The shared secret of the vectors' PBM flows (`openssl cmp -secret pass:...`).
pub const DEFAULT_SECRET: &str = "insecure-cmp-vectors-secret";

/// The reference (senderKID / CN) the clients use with [`DEFAULT_SECRET`].
pub const DEFAULT_REFERENCE: &str = "cmp-vectors-kid";

/// The credentials directory of this source tree (`vectors/openssl/credentials`).
pub fn default_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("vectors")
        .join("openssl")
        .join("credentials")
}

/// Credentials could not be loaded.
#[derive(Debug)]
pub struct CredentialError(pub String);

impl fmt::Display for CredentialError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CredentialError {}

fn err(msg: impl Into<String>) -> CredentialError {
    CredentialError(msg.into())
}

/// A private key the responder signs with.
#[derive(Clone)]
pub enum KeyPair {
    /// ECDSA P-256, signing with SHA-256.
    P256(p256::ecdsa::SigningKey),
    /// ECDSA P-384, signing with SHA-384.
    P384(p384::ecdsa::SigningKey),
    /// RSA, PKCS#1 v1.5 with SHA-256.
    Rsa(Box<rsa::PrivateKey>),
    /// Ed25519.
    Ed25519(Box<ed25519_dalek::SigningKey>),
}

impl fmt::Debug for KeyPair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            KeyPair::P256(_) => "KeyPair::P256",
            KeyPair::P384(_) => "KeyPair::P384",
            KeyPair::Rsa(_) => "KeyPair::Rsa",
            KeyPair::Ed25519(_) => "KeyPair::Ed25519",
        })
    }
}

impl KeyPair {
    /// Read an unencrypted PKCS#8 key (DER).
    pub fn from_pkcs8_der(der_bytes: &[u8]) -> Result<Self, CredentialError> {
        use p256::pkcs8::DecodePrivateKey as _;
        if let Ok(k) = p256::ecdsa::SigningKey::from_pkcs8_der(der_bytes) {
            return Ok(KeyPair::P256(k));
        }
        if let Ok(k) = p384::ecdsa::SigningKey::from_pkcs8_der(der_bytes) {
            return Ok(KeyPair::P384(k));
        }
        if let Ok(k) = ed25519_dalek::SigningKey::from_pkcs8_der(der_bytes) {
            return Ok(KeyPair::Ed25519(Box::new(k)));
        }
        if let Ok(k) = rsa::PrivateKey::from_pkcs8_der(der_bytes) {
            return Ok(KeyPair::Rsa(Box::new(k)));
        }
        Err(err(
            "not an unencrypted PKCS#8 key of a supported type (P-256, P-384, RSA, Ed25519)",
        ))
    }

    /// A fresh random P-256 key.
    pub fn generate_p256() -> Self {
        loop {
            let mut b = [0u8; 32];
            super::random_bytes(&mut b);
            if let Ok(k) = p256::ecdsa::SigningKey::from_slice(&b) {
                return KeyPair::P256(k);
            }
        }
    }

    /// The signature algorithm this key signs with.
    pub fn algorithm(&self) -> SignatureAlgorithm {
        match self {
            KeyPair::P256(_) => SignatureAlgorithm::Ecdsa(HashAlg::Sha256),
            KeyPair::P384(_) => SignatureAlgorithm::Ecdsa(HashAlg::Sha384),
            KeyPair::Rsa(_) => SignatureAlgorithm::RsaPkcs1v15(HashAlg::Sha256),
            KeyPair::Ed25519(_) => SignatureAlgorithm::Ed25519,
        }
    }

    /// The DER `AlgorithmIdentifier` of [`KeyPair::algorithm`].
    pub fn algorithm_der(&self) -> Vec<u8> {
        self.algorithm()
            .to_algorithm_identifier_der()
            .expect("the responder's algorithms all encode")
    }

    /// Sign `data` (ECDSA signatures DER-encoded, as X.509 and CMP want them).
    pub fn sign(&self, data: &[u8]) -> Vec<u8> {
        use signature::{SignatureEncoding as _, Signer as _};
        match self {
            KeyPair::P256(k) => {
                let s: p256::ecdsa::DerSignature = k.sign(data);
                s.to_vec()
            }
            KeyPair::P384(k) => {
                let s: p384::ecdsa::DerSignature = k.sign(data);
                s.to_vec()
            }
            KeyPair::Rsa(k) => {
                let signer = rsa::pkcs1v15::SigningKey::<rsa::sha2::Sha256>::new((**k).clone());
                signer.sign(data).to_vec()
            }
            KeyPair::Ed25519(k) => k.sign(data).to_bytes().to_vec(),
        }
    }

    /// An ECDSA signature over the SHA-1 hash of `data` (only the `TS33310-9` fault signs
    /// so); `None` for keys other than P-256.
    pub(crate) fn sign_ecdsa_sha1(&self, data: &[u8]) -> Option<Vec<u8>> {
        use p256::ecdsa::signature::hazmat::PrehashSigner as _;
        use signature::SignatureEncoding as _;
        let KeyPair::P256(k) = self else {
            return None;
        };
        let digest = HashAlg::Sha1.digest_chunks(&[data]);
        let s: p256::ecdsa::DerSignature = k.sign_prehash(digest.as_slice()).ok()?;
        Some(s.to_vec())
    }

    /// The DER `SubjectPublicKeyInfo` of the public key.
    pub fn spki_der(&self) -> Vec<u8> {
        use p256::pkcs8::EncodePublicKey as _;
        let doc = match self {
            KeyPair::P256(k) => k.verifying_key().to_public_key_der(),
            KeyPair::P384(k) => k.verifying_key().to_public_key_der(),
            KeyPair::Rsa(k) => k.to_public_key().to_public_key_der(),
            KeyPair::Ed25519(k) => {
                // SEQUENCE { SEQUENCE { id-Ed25519 }, BIT STRING key } (RFC 8410).
                let mut spki = vec![
                    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
                ];
                spki.extend_from_slice(k.verifying_key().as_bytes());
                return spki;
            }
        };
        doc.expect("public keys encode").as_bytes().to_vec()
    }
}

/// A certificate with the fields the responder looks at, decoded once.
#[derive(Clone, Debug)]
pub struct CertInfo {
    /// The DER certificate.
    pub der: Vec<u8>,
    /// Decoded with `x509-cert`.
    pub cert: x509_cert::Certificate,
    /// DER of the subject `Name`.
    pub subject_der: Vec<u8>,
    /// DER of the issuer `Name`.
    pub issuer_der: Vec<u8>,
    /// DER `SubjectPublicKeyInfo`.
    pub spki_der: Vec<u8>,
    /// The serial number's magnitude bytes as encoded.
    pub serial: Vec<u8>,
    /// subjectKeyIdentifier, if the certificate has one.
    pub ski: Option<Vec<u8>>,
}

impl CertInfo {
    /// Decode a DER certificate.
    pub fn from_der(der_bytes: &[u8]) -> Result<Self, CredentialError> {
        let cert = x509_cert::Certificate::from_der(der_bytes)
            .map_err(|e| err(format!("certificate does not decode: {e}")))?;
        let tbs = cert.tbs_certificate();
        let enc = |r: der::Result<Vec<u8>>| r.map_err(|e| err(format!("re-encoding: {e}")));
        let subject_der = enc(tbs.subject().to_der())?;
        let issuer_der = enc(tbs.issuer().to_der())?;
        let spki_der = enc(tbs.subject_public_key_info().to_der())?;
        let serial = tbs.serial_number().as_bytes().to_vec();
        let ski = match tbs.get_extension::<SubjectKeyIdentifier>() {
            Ok(Some((_, s))) => Some(s.0.as_bytes().to_vec()),
            _ => None,
        };
        Ok(CertInfo {
            der: der_bytes.to_vec(),
            cert,
            subject_der,
            issuer_der,
            spki_der,
            serial,
            ski,
        })
    }

    /// The subject as an RFC 4514 string, for messages.
    pub fn subject_string(&self) -> String {
        self.cert.tbs_certificate().subject().to_string()
    }
}

/// Everything the responder needs to act as CA and CMP server.
#[derive(Clone, Debug)]
pub struct Credentials {
    /// The trust anchor: client signer certificates must chain to it, and `caPubs` holds it.
    pub root: CertInfo,
    /// The root's key, if available: needed to sign `newWithOld` for rootCaKeyUpdate.
    pub root_key: Option<KeyPair>,
    /// The issuing CA, which signs every certificate and CRL the responder issues.
    pub issuing: CertInfo,
    /// Its key.
    pub issuing_key: KeyPair,
    /// The CMP protection certificate of signed responses (`cmp-server-ec`).
    pub server: CertInfo,
    /// Its key.
    pub server_key: KeyPair,
    /// A second protection credential (`cmp-server-rsa`), used only by the `CONF-11` fault.
    pub alt_server: Option<(CertInfo, KeyPair)>,
    /// The Key Generation Authority (`kga-ec`, EKU id-kp-cmKGA) that signs centrally
    /// generated keys (RFC 9483 4.1.6); without it central key generation is not offered.
    pub kga: Option<(CertInfo, KeyPair)>,
    /// The MAC shared secret.
    pub secret: Vec<u8>,
    /// Its reference: the expected senderKID of MAC requests and the CN of MAC responses.
    pub reference: String,
}

/// Decode the first PEM block of `text`.
pub fn pem_to_der(text: &str) -> Result<Vec<u8>, CredentialError> {
    let mut in_block = false;
    let mut b64 = String::new();
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with("-----BEGIN") {
            in_block = true;
        } else if line.starts_with("-----END") {
            if in_block {
                break;
            }
        } else if in_block && !line.contains(':') {
            b64.push_str(line);
        }
    }
    if b64.is_empty() {
        return Err(err("no PEM block"));
    }
    base64::engine::general_purpose::STANDARD
        .decode(b64)
        .map_err(|e| err(format!("PEM base64: {e}")))
}

fn read_cert(dir: &Path, name: &str) -> Result<CertInfo, CredentialError> {
    let der_path = dir.join(format!("{name}.der"));
    let der_bytes = match std::fs::read(&der_path) {
        Ok(b) => b,
        Err(_) => {
            let pem_path = dir.join(format!("{name}.pem"));
            let text = std::fs::read_to_string(&pem_path)
                .map_err(|e| err(format!("{}: {e}", pem_path.display())))?;
            pem_to_der(&text).map_err(|e| err(format!("{}: {e}", pem_path.display())))?
        }
    };
    CertInfo::from_der(&der_bytes).map_err(|e| err(format!("{}: {e}", der_path.display())))
}

fn read_key(dir: &Path, name: &str) -> Result<KeyPair, CredentialError> {
    let path = dir.join(format!("{name}.key"));
    let text =
        std::fs::read_to_string(&path).map_err(|e| err(format!("{}: {e}", path.display())))?;
    let der_bytes = pem_to_der(&text).map_err(|e| err(format!("{}: {e}", path.display())))?;
    KeyPair::from_pkcs8_der(&der_bytes).map_err(|e| err(format!("{}: {e}", path.display())))
}

impl Credentials {
    /// Load from a directory holding `root-ca.der`, `issuing-ca.{der,key}` and
    /// `cmp-server-ec.{der,key}` (`.pem` is read when `.der` is missing); `root-ca.key`,
    /// `cmp-server-rsa.{der,key}` and `kga-ec.{der,key}` are optional. The shared secret and reference are the
    /// vectors' defaults; change the fields to use others.
    pub fn load(dir: &Path) -> Result<Self, CredentialError> {
        let root = read_cert(dir, "root-ca")?;
        let root_key = read_key(dir, "root-ca").ok();
        let issuing = read_cert(dir, "issuing-ca")?;
        let issuing_key = read_key(dir, "issuing-ca")?;
        let server = read_cert(dir, "cmp-server-ec")?;
        let server_key = read_key(dir, "cmp-server-ec")?;
        let alt_server = match (
            read_cert(dir, "cmp-server-rsa"),
            read_key(dir, "cmp-server-rsa"),
        ) {
            (Ok(c), Ok(k)) => Some((c, k)),
            _ => None,
        };
        let kga = match (read_cert(dir, "kga-ec"), read_key(dir, "kga-ec")) {
            (Ok(c), Ok(k)) if k.spki_der() == c.spki_der => Some((c, k)),
            _ => None,
        };
        if issuing.issuer_der != root.subject_der {
            return Err(err("issuing-ca is not issued by root-ca"));
        }
        if server.issuer_der != issuing.subject_der {
            return Err(err("cmp-server-ec is not issued by issuing-ca"));
        }
        if issuing_key.spki_der() != issuing.spki_der {
            return Err(err("issuing-ca.key does not belong to issuing-ca"));
        }
        if server_key.spki_der() != server.spki_der {
            return Err(err("cmp-server-ec.key does not belong to cmp-server-ec"));
        }
        let root_key = root_key.filter(|k| k.spki_der() == root.spki_der);
        Ok(Credentials {
            root,
            root_key,
            issuing,
            issuing_key,
            server,
            server_key,
            alt_server,
            kga,
            secret: DEFAULT_SECRET.as_bytes().to_vec(),
            reference: DEFAULT_REFERENCE.to_string(),
        })
    }

    /// [`Credentials::load`] from [`default_dir`].
    pub fn load_default() -> Result<Self, CredentialError> {
        Self::load(&default_dir())
    }
}
