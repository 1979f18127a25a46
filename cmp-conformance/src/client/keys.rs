//! Keys and credentials the runner signs with: PEM files (PKCS#8 keys, certificate chains)
//! and freshly generated P-256 keys for new certificates.

use cmp_codec::protection::HashAlg;
use cmp_codec::protection::SignatureAlgorithm;
use signature::{SignatureEncoding, Signer};

/// One PEM block: its label (`CERTIFICATE`, `PRIVATE KEY`, ...) and the DER it holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PemBlock {
    /// The label between `BEGIN` and the dashes.
    pub label: String,
    /// The decoded contents.
    pub der: Vec<u8>,
}

/// Every PEM block in `text`, in order.
pub fn parse_pem(text: &str) -> Result<Vec<PemBlock>, String> {
    use base64::Engine as _;
    let mut out = Vec::new();
    let mut current: Option<(String, String)> = None;
    for line in text.lines() {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix("-----BEGIN ") {
            let label = rest.trim_end_matches('-').to_string();
            current = Some((label, String::new()));
        } else if line.starts_with("-----END ") {
            let (label, b64) = current.take().ok_or("PEM END without BEGIN")?;
            let der = base64::engine::general_purpose::STANDARD
                .decode(b64.as_bytes())
                .map_err(|e| format!("bad base64 in PEM block {label}: {e}"))?;
            out.push(PemBlock { label, der });
        } else if let Some((_, b64)) = current.as_mut() {
            if !line.contains(':') {
                b64.push_str(line);
            }
        }
    }
    if current.is_some() {
        return Err("PEM block without END line".into());
    }
    Ok(out)
}

/// The certificates of a PEM or DER file, in order.
pub fn read_certs(path: &std::path::Path) -> Result<Vec<Vec<u8>>, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    if bytes.first() == Some(&0x30) {
        return Ok(vec![bytes]);
    }
    let text = String::from_utf8_lossy(&bytes);
    let certs: Vec<Vec<u8>> = parse_pem(&text)
        .map_err(|e| format!("{}: {e}", path.display()))?
        .into_iter()
        .filter(|b| b.label == "CERTIFICATE")
        .map(|b| b.der)
        .collect();
    if certs.is_empty() {
        return Err(format!("{}: no certificate found", path.display()));
    }
    Ok(certs)
}

/// A private key the runner signs with.
#[derive(Clone)]
pub enum SigningKey {
    /// ECDSA P-256, signing with SHA-256.
    EcP256(p256::ecdsa::SigningKey),
    /// RSA, PKCS#1 v1.5 with SHA-256.
    Rsa(Box<rsa::PrivateKey>),
    /// Ed25519.
    Ed25519(Box<ed25519_dalek::SigningKey>),
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            SigningKey::EcP256(_) => "SigningKey(EC P-256)",
            SigningKey::Rsa(_) => "SigningKey(RSA)",
            SigningKey::Ed25519(_) => "SigningKey(Ed25519)",
        })
    }
}

/// Fill `buf` with random bytes from the operating system.
pub fn random_bytes(buf: &mut [u8]) {
    // The OS generator failing is not something the runner can recover from.
    getrandom::fill(buf).expect("the operating system's random number generator failed");
}

/// `n` random bytes.
pub fn random_vec(n: usize) -> Vec<u8> {
    let mut v = vec![0u8; n];
    random_bytes(&mut v);
    v
}

impl SigningKey {
    /// Read an unencrypted PKCS#8 key (PEM `PRIVATE KEY` or DER).
    pub fn from_file(path: &std::path::Path) -> Result<Self, String> {
        let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let der = if bytes.first() == Some(&0x30) {
            bytes
        } else {
            let text = String::from_utf8_lossy(&bytes);
            parse_pem(&text)
                .map_err(|e| format!("{}: {e}", path.display()))?
                .into_iter()
                .find(|b| b.label == "PRIVATE KEY")
                .ok_or_else(|| format!("{}: no PKCS#8 PRIVATE KEY block", path.display()))?
                .der
        };
        Self::from_pkcs8_der(&der).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// Read a DER PKCS#8 key (EC P-256, RSA or Ed25519).
    pub fn from_pkcs8_der(der: &[u8]) -> Result<Self, String> {
        use p256::pkcs8::DecodePrivateKey as _;
        if let Ok(k) = p256::ecdsa::SigningKey::from_pkcs8_der(der) {
            return Ok(SigningKey::EcP256(k));
        }
        if let Ok(k) = <rsa::PrivateKey as rsa::pkcs8::DecodePrivateKey>::from_pkcs8_der(der) {
            return Ok(SigningKey::Rsa(Box::new(k)));
        }
        if let Ok(k) =
            <ed25519_dalek::SigningKey as ed25519_dalek::pkcs8::DecodePrivateKey>::from_pkcs8_der(
                der,
            )
        {
            return Ok(SigningKey::Ed25519(Box::new(k)));
        }
        Err("unsupported private key (EC P-256, RSA and Ed25519 PKCS#8 are supported)".into())
    }

    /// A fresh EC P-256 key.
    pub fn generate_p256() -> Self {
        loop {
            let mut scalar = [0u8; 32];
            random_bytes(&mut scalar);
            if let Ok(k) = p256::ecdsa::SigningKey::from_slice(&scalar) {
                return SigningKey::EcP256(k);
            }
        }
    }

    /// The DER `SubjectPublicKeyInfo` of the public key.
    pub fn spki_der(&self) -> Result<Vec<u8>, String> {
        use p256::pkcs8::EncodePublicKey as _;
        let doc = match self {
            SigningKey::EcP256(k) => k.verifying_key().to_public_key_der(),
            SigningKey::Rsa(k) => {
                rsa::pkcs8::EncodePublicKey::to_public_key_der(&k.to_public_key())
            }
            SigningKey::Ed25519(k) => {
                ed25519_dalek::pkcs8::EncodePublicKey::to_public_key_der(&k.verifying_key())
            }
        };
        doc.map(|d| d.as_bytes().to_vec())
            .map_err(|e| format!("cannot encode public key: {e}"))
    }

    /// The signature algorithm this key signs with.
    pub fn algorithm(&self) -> SignatureAlgorithm {
        match self {
            SigningKey::EcP256(_) => SignatureAlgorithm::Ecdsa(HashAlg::Sha256),
            SigningKey::Rsa(_) => SignatureAlgorithm::RsaPkcs1v15(HashAlg::Sha256),
            SigningKey::Ed25519(_) => SignatureAlgorithm::Ed25519,
        }
    }

    /// The DER `AlgorithmIdentifier` of [`SigningKey::algorithm`].
    pub fn algorithm_der(&self) -> Vec<u8> {
        self.algorithm()
            .to_algorithm_identifier_der()
            .unwrap_or_default()
    }

    /// Sign `data` (DER-encoded ECDSA signatures, as X.509 and CMP use).
    pub fn sign(&self, data: &[u8]) -> Result<Vec<u8>, String> {
        match self {
            SigningKey::EcP256(k) => {
                let sig: p256::ecdsa::DerSignature =
                    k.try_sign(data).map_err(|e| format!("ECDSA: {e}"))?;
                Ok(sig.to_vec())
            }
            SigningKey::Rsa(k) => {
                let s = rsa::pkcs1v15::SigningKey::<sha2::Sha256>::new((**k).clone());
                let sig = s.try_sign(data).map_err(|e| format!("RSA: {e}"))?;
                Ok(sig.to_vec())
            }
            SigningKey::Ed25519(k) => {
                let sig: ed25519_dalek::Signature =
                    k.try_sign(data).map_err(|e| format!("Ed25519: {e}"))?;
                Ok(sig.to_bytes().to_vec())
            }
        }
    }
}

/// A signature as plain bytes, so any [`SigningKey`] can be handed to
/// `cmp_codec::protection::protect_with_signature`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawSignature(pub Vec<u8>);

impl TryFrom<&[u8]> for RawSignature {
    type Error = signature::Error;
    fn try_from(b: &[u8]) -> Result<Self, Self::Error> {
        Ok(RawSignature(b.to_vec()))
    }
}

impl From<RawSignature> for Vec<u8> {
    fn from(s: RawSignature) -> Vec<u8> {
        s.0
    }
}

impl SignatureEncoding for RawSignature {
    type Repr = Vec<u8>;
}

impl Signer<RawSignature> for SigningKey {
    fn try_sign(&self, msg: &[u8]) -> Result<RawSignature, signature::Error> {
        self.sign(msg)
            .map(RawSignature)
            .map_err(|_| signature::Error::new())
    }
}

/// A certificate with its private key and the chain above it (issuing CA first).
#[derive(Clone, Debug)]
pub struct Credential {
    /// The private key.
    pub key: SigningKey,
    /// The DER certificate.
    pub cert: Vec<u8>,
    /// The DER certificates of its chain, issuer first, without `cert` itself.
    pub chain: Vec<Vec<u8>>,
}

impl Credential {
    /// Load from a key file, a certificate file (its first certificate is the credential's,
    /// further ones are chain) and further chain files.
    pub fn load(
        key: &std::path::Path,
        cert: &std::path::Path,
        chain: &[std::path::PathBuf],
    ) -> Result<Self, String> {
        let key = SigningKey::from_file(key)?;
        let mut certs = read_certs(cert)?;
        let first = certs.remove(0);
        for c in chain {
            for extra in read_certs(c)? {
                if extra != first && !certs.contains(&extra) {
                    certs.push(extra);
                }
            }
        }
        Ok(Credential {
            key,
            cert: first,
            chain: certs,
        })
    }
}
