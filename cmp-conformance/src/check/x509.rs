//! The few X.509 facts the checks need (names, keys, key identifiers, validity, key usage),
//! certificate signature verification, and a small path builder for the server's CMP
//! protection certificate and for issued certificates.

use cmp_codec::protection::{RustCryptoVerifyingKey, VerifyOptions};
use cmp_codec::AlgorithmIdentifier;
use der::{Decode, Encode};
use x509_cert::ext::pkix::{BasicConstraints, ExtendedKeyUsage, KeyUsage, SubjectKeyIdentifier};

/// `id-kp-cmcRA` (RFC 6402).
pub const ID_KP_CMC_RA: &str = "1.3.6.1.5.5.7.3.28";

/// What the checks read from a certificate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertInfo {
    /// The whole certificate.
    pub der: Vec<u8>,
    /// DER of `subject`.
    pub subject: Vec<u8>,
    /// DER of `issuer`.
    pub issuer: Vec<u8>,
    /// Serial number contents octets.
    pub serial: Vec<u8>,
    /// DER `SubjectPublicKeyInfo`.
    pub spki: Vec<u8>,
    /// subjectKeyIdentifier, if present.
    pub ski: Option<Vec<u8>>,
    /// notBefore, Unix seconds.
    pub not_before: i64,
    /// notAfter, Unix seconds.
    pub not_after: i64,
    /// `Some(digitalSignature bit)` when keyUsage is present.
    pub ku_digital_signature: Option<bool>,
    /// basicConstraints cA.
    pub is_ca: bool,
    /// extendedKeyUsage OIDs, dotted.
    pub eku: Vec<String>,
    /// DER of `tbsCertificate`.
    pub tbs: Vec<u8>,
    /// DER of `signatureAlgorithm`.
    pub sig_alg: Vec<u8>,
    /// The signature bits.
    pub signature: Vec<u8>,
}

impl CertInfo {
    /// Decode a DER certificate.
    pub fn parse(der_bytes: &[u8]) -> Result<CertInfo, String> {
        let cert = x509_cert::Certificate::from_der(der_bytes)
            .map_err(|e| format!("certificate does not decode: {e}"))?;
        let e = |e: der::Error| format!("certificate re-encoding failed: {e}");
        let tbs = cert.tbs_certificate();
        let ski = match tbs.get_extension::<SubjectKeyIdentifier>() {
            Ok(Some((_, ski))) => Some(ski.0.as_bytes().to_vec()),
            _ => None,
        };
        let ku = match tbs.get_extension::<KeyUsage>() {
            Ok(Some((_, ku))) => Some(ku.digital_signature()),
            _ => None,
        };
        let is_ca = matches!(
            tbs.get_extension::<BasicConstraints>(),
            Ok(Some((_, bc))) if bc.ca
        );
        let eku = match tbs.get_extension::<ExtendedKeyUsage>() {
            Ok(Some((_, eku))) => eku.0.iter().map(|o| o.to_string()).collect(),
            _ => Vec::new(),
        };
        let validity = tbs.validity();
        Ok(CertInfo {
            der: der_bytes.to_vec(),
            subject: tbs.subject().to_der().map_err(e)?,
            issuer: tbs.issuer().to_der().map_err(e)?,
            serial: tbs.serial_number().as_bytes().to_vec(),
            spki: tbs.subject_public_key_info().to_der().map_err(e)?,
            ski,
            not_before: validity.not_before.to_unix_duration().as_secs() as i64,
            not_after: validity.not_after.to_unix_duration().as_secs() as i64,
            ku_digital_signature: ku,
            is_ca,
            eku,
            tbs: tbs.to_der().map_err(e)?,
            sig_alg: cert.signature_algorithm().to_der().map_err(e)?,
            signature: cert.signature().raw_bytes().to_vec(),
        })
    }

    /// RFC 4514 form of `subject`, for reports (formatted on demand: most checks never print
    /// a name, and the OID name lookup is the dearest part of decoding a certificate).
    pub fn subject_text(&self) -> String {
        name_text(&self.subject)
    }

    /// RFC 4514 form of `issuer`.
    pub fn issuer_text(&self) -> String {
        name_text(&self.issuer)
    }

    /// Whether subject and issuer are the same name.
    pub fn is_self_issued(&self) -> bool {
        self.subject == self.issuer
    }

    /// Whether `issuer`'s key made this certificate's signature (and the names chain).
    pub fn is_signed_by(&self, issuer: &CertInfo) -> bool {
        self.issuer == issuer.subject
            && verify_signed(&self.tbs, &self.sig_alg, &self.signature, &issuer.spki)
    }

    /// Whether the certificate is valid at `at` (Unix seconds).
    pub fn valid_at(&self, at: i64) -> bool {
        self.not_before <= at && at <= self.not_after
    }
}

/// RFC 4514 form of a DER `Name` (the DER re-encoding of a decoded one, so it decodes).
fn name_text(name_der: &[u8]) -> String {
    match x509_cert::name::Name::from_der(name_der) {
        Ok(n) => n.to_string(),
        Err(e) => format!("<undecodable name: {e}>"),
    }
}

/// How many certificate signature results [`verify_signed`] remembers.
const MEMO_CAP: usize = 1024;

/// Verify `signature` over `data` with the algorithm `alg_der` and the key `spki_der`.
///
/// A run checks the same CA certificates against the same keys in every exchange, so results
/// are remembered per process, keyed by SHA-256 over the four inputs (length-prefixed); at most
/// [`MEMO_CAP`] entries, forgotten all at once when full.
pub fn verify_signed(data: &[u8], alg_der: &[u8], signature: &[u8], spki_der: &[u8]) -> bool {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for part in [data, alg_der, signature, spki_der] {
        h.update((part.len() as u64).to_be_bytes());
        h.update(part);
    }
    let key: [u8; 32] = h.finalize().into();
    if let Some(&ok) = memo().get(&key) {
        return ok;
    }
    let ok = verify_signed_uncached(data, alg_der, signature, spki_der);
    let mut m = memo();
    if m.len() >= MEMO_CAP {
        m.clear();
    }
    m.insert(key, ok);
    ok
}

/// The results [`verify_signed`] remembers (a poisoned lock still holds valid results).
fn memo() -> std::sync::MutexGuard<'static, std::collections::HashMap<[u8; 32], bool>> {
    use std::sync::{Mutex, OnceLock};
    static MEMO: OnceLock<Mutex<std::collections::HashMap<[u8; 32], bool>>> = OnceLock::new();
    MEMO.get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|p| p.into_inner())
}

fn verify_signed_uncached(data: &[u8], alg_der: &[u8], signature: &[u8], spki_der: &[u8]) -> bool {
    let Ok(alg) = asn1::parse_single::<AlgorithmIdentifier<'_>>(alg_der) else {
        return false;
    };
    match RustCryptoVerifyingKey::new(&alg, spki_der, &VerifyOptions::default()) {
        Ok(v) => v.verify_chunks(&[data], signature).is_ok(),
        Err(_) => false,
    }
}

/// How a certificate chains to a trust anchor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathOutcome {
    /// Chained to an anchor; the path from the leaf's issuer up to the anchor.
    Trusted(Vec<CertInfo>),
    /// No path: why.
    Untrusted(String),
}

/// Build a path from `leaf` through `pool` to one of `anchors`, checking names, signatures and
/// validity at `at`. At most 8 levels.
pub fn build_path(
    leaf: &CertInfo,
    pool: &[CertInfo],
    anchors: &[CertInfo],
    at: i64,
) -> PathOutcome {
    if !leaf.valid_at(at) {
        return PathOutcome::Untrusted(format!(
            "certificate {} is not valid at the verification time",
            leaf.subject_text()
        ));
    }
    if anchors.iter().any(|a| a.der == leaf.der) {
        return PathOutcome::Trusted(Vec::new());
    }
    let mut path = Vec::new();
    let mut current = leaf.clone();
    for _ in 0..8 {
        if let Some(a) = anchors.iter().find(|a| current.is_signed_by(a)) {
            path.push(a.clone());
            return PathOutcome::Trusted(path);
        }
        let next = pool.iter().find(|c| {
            c.der != current.der
                && !path.iter().any(|p: &CertInfo| p.der == c.der)
                && current.is_signed_by(c)
        });
        match next {
            Some(n) => {
                if !n.valid_at(at) {
                    return PathOutcome::Untrusted(format!(
                        "CA certificate {} is not valid at the verification time",
                        n.subject_text()
                    ));
                }
                if !n.is_ca {
                    return PathOutcome::Untrusted(format!(
                        "issuer {} is not a CA certificate (basicConstraints)",
                        n.subject_text()
                    ));
                }
                path.push(n.clone());
                current = n.clone();
            }
            None => {
                return PathOutcome::Untrusted(format!(
                    "no trusted issuer found for {} (issuer {})",
                    current.subject_text(),
                    current.issuer_text()
                ))
            }
        }
    }
    PathOutcome::Untrusted("certificate path longer than 8".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROOT: &[u8] = include_bytes!("../../../vectors/openssl/credentials/root-ca.der");
    const ISSUING: &[u8] = include_bytes!("../../../vectors/openssl/credentials/issuing-ca.der");

    #[test]
    fn remembered_results_stay_per_input() {
        let root = CertInfo::parse(ROOT).unwrap();
        let issuing = CertInfo::parse(ISSUING).unwrap();
        let mut forged = issuing.clone();
        *forged.signature.last_mut().unwrap() ^= 1;
        // Twice each, so that the second answer comes from the memo.
        for _ in 0..2 {
            assert!(issuing.is_signed_by(&root));
            assert!(!forged.is_signed_by(&root));
            assert!(!root.is_signed_by(&issuing));
        }
        assert!(
            issuing.subject_text().contains("CN="),
            "{}",
            issuing.subject_text()
        );
        assert_eq!(issuing.issuer_text(), root.subject_text());
    }
}
