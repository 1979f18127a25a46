//! A second opinion on every Bouncy Castle message: its protection is verified again with
//! plain `openssl`, independently of BC, against the credential BC reported. PBM = PBKDF1
//! (the OWF iterated over secret || salt) + HMAC; PBMAC1 = PBKDF2 + HMAC; signatures with
//! `openssl dgst -verify` (RSASSA-PSS with its parameters as `-sigopt`) or
//! `openssl pkeyutl -verify -rawin` (Ed25519), using the public key of the certificate, whose
//! subject must be the message's sender.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::secret;
use crate::error::{bail, Context, Result};
use crate::vectors::der::{context, Tlv, INTEGER, OCTET_STRING, SEQUENCE};
use crate::vectors::message::{AlgorithmId, Message};
use crate::vectors::names::{digest, hmac_digest, oid_name, signature_digest, PASSWORD_BASED_MAC};
use crate::vectors::openssl::Openssl;
use crate::vectors::verify::hex;

const PBMAC1: &str = "1.2.840.113549.1.5.14";
const PBKDF2: &str = "1.2.840.113549.1.5.12";
const HMAC_WITH_SHA1: &str = "1.2.840.113549.2.7";
const RSASSA_PSS: &str = "1.2.840.113549.1.1.10";
const ED25519: &str = "1.3.101.112";

/// What the manifest needs to know about a message's protection.
pub struct Protection {
    /// `none`, `pbm`, `pbmac1` or `sig`.
    pub kind: &'static str,
    /// The parameters, e.g. `PBM owf sha256 iterations 10000 mac hmacWithSHA256`.
    pub detail: String,
}

pub struct Verifier<'a> {
    openssl: &'a Openssl,
    scratch: PathBuf,
    /// Certificate path -> its public key as PEM, in `scratch`.
    public_keys: RefCell<BTreeMap<String, PathBuf>>,
    /// Algorithms for which a corrupted protection was already seen to fail.
    self_tested: RefCell<Vec<String>>,
}

/// A readable name for an OID, including the ones only the BC vectors use.
pub fn name(oid: &str) -> String {
    match oid {
        PBMAC1 => "PBMAC1".into(),
        PBKDF2 => "PBKDF2".into(),
        RSASSA_PSS => "RSASSA-PSS".into(),
        "1.2.840.113549.1.5.13" => "PBES2".into(),
        _ => oid_name(oid),
    }
}

impl<'a> Verifier<'a> {
    pub fn new(openssl: &'a Openssl, scratch: &Path) -> Self {
        Verifier {
            openssl,
            scratch: scratch.to_path_buf(),
            public_keys: RefCell::new(BTreeMap::new()),
            self_tested: RefCell::new(Vec::new()),
        }
    }

    /// Verifies the protection with `credential`; the first time for each algorithm, also
    /// makes sure that the same check rejects the message with one protection bit flipped.
    pub fn check(&self, message: &Message, credential: &str) -> Result<Protection> {
        let result = self.verify(message, credential, message.protection)?;
        let Some(alg) = &message.protection_alg else {
            return Ok(result);
        };
        if !self.self_tested.borrow().contains(&alg.oid) {
            let mut corrupted = message.protection.unwrap_or_default().to_vec();
            if let Some(last) = corrupted.last_mut() {
                *last ^= 1;
            }
            if self.verify(message, credential, Some(&corrupted)).is_ok() {
                bail!(
                    "self-test: the {} check accepted a corrupted protection",
                    name(&alg.oid)
                );
            }
            self.self_tested.borrow_mut().push(alg.oid.clone());
        }
        Ok(result)
    }

    fn verify(
        &self,
        message: &Message,
        credential: &str,
        protection: Option<&[u8]>,
    ) -> Result<Protection> {
        let (Some(alg), Some(protection)) = (&message.protection_alg, protection) else {
            if message.protection_alg.is_some() || message.protection.is_some() {
                bail!("protectionAlg and protection must come together");
            }
            if credential != "-" {
                bail!("unprotected, but BC reports the credential {credential}");
            }
            return Ok(Protection {
                kind: "none",
                detail: "unprotected".into(),
            });
        };
        let data = self.scratch.join("protected-part.der");
        std::fs::write(&data, message.protected_part()).context("writing the protected part")?;
        let data = data.display().to_string();
        if alg.oid == PASSWORD_BASED_MAC || alg.oid == PBMAC1 {
            let (secret, _) = secret();
            if credential != format!("pass:{secret}") {
                bail!("MAC-protected, but BC reports the credential {credential}");
            }
            if alg.oid == PBMAC1 {
                self.pbmac1(alg, protection, &data).context("PBMAC1")
            } else {
                self.pbm(alg, protection, &data).context("PBM")
            }
        } else {
            self.signature(message, alg, credential, protection, &data)
                .context("signature")
        }
    }

    fn pbm(&self, alg: &AlgorithmId, protection: &[u8], data: &str) -> Result<Protection> {
        let params = alg
            .params
            .context("PBMParameter")?
            .expect(SEQUENCE)?
            .children()?;
        let [salt, owf, iterations, mac] = params.as_slice() else {
            bail!("PBMParameter needs 4 fields, has {}", params.len());
        };
        let salt = salt.expect(OCTET_STRING)?.value;
        let owf = AlgorithmId::parse(*owf)?.oid;
        let iterations = iterations.uint()?;
        let mac = AlgorithmId::parse(*mac)?.oid;
        let (owf_name, key_len) = digest(&owf).with_context(|| format!("unknown OWF {owf}"))?;
        let hmac = hmac_digest(&mac).with_context(|| format!("unknown MAC {mac}"))?;
        // PBM's base key is PBKDF1: H^iterations(secret || salt), all of H's output
        let key = self.kdf("PBKDF1", owf_name, key_len, salt, iterations)?;
        self.hmac(hmac, &key, data, protection)?;
        Ok(Protection {
            kind: "pbm",
            detail: format!(
                "PBM owf {} iterations {iterations} mac {}",
                name(&owf),
                name(&mac)
            ),
        })
    }

    fn pbmac1(&self, alg: &AlgorithmId, protection: &[u8], data: &str) -> Result<Protection> {
        let params = alg
            .params
            .context("PBMAC1-params")?
            .expect(SEQUENCE)?
            .children()?;
        let [kdf, mac] = params.as_slice() else {
            bail!("PBMAC1-params needs 2 fields, has {}", params.len());
        };
        let kdf = AlgorithmId::parse(*kdf)?;
        if kdf.oid != PBKDF2 {
            bail!(
                "keyDerivationFunc is {} ({}), not id-PBKDF2",
                kdf.oid,
                name(&kdf.oid)
            );
        }
        let fields = kdf
            .params
            .context("PBKDF2-params")?
            .expect(SEQUENCE)?
            .children()?;
        let (Some(salt), Some(iterations)) = (fields.first(), fields.get(1)) else {
            bail!("PBKDF2-params needs salt and iterationCount");
        };
        let salt = salt
            .expect(OCTET_STRING)
            .context("salt (only `specified`)")?
            .value;
        let iterations = iterations.uint()?;
        let rest = &fields[2..];
        let key_length = match rest.first() {
            Some(t) if t.tag == INTEGER => Some(t.uint()?),
            _ => None,
        };
        let prf = match rest.iter().find(|t| t.tag == SEQUENCE) {
            Some(t) => AlgorithmId::parse(*t)?.oid,
            None => HMAC_WITH_SHA1.to_string(),
        };
        let mac = AlgorithmId::parse(*mac)?.oid;
        let prf_digest = hmac_digest(&prf).with_context(|| format!("unknown PRF {prf}"))?;
        let mac_digest = hmac_digest(&mac).with_context(|| format!("unknown MAC {mac}"))?;
        let key_len = match key_length {
            Some(n) => usize::try_from(n).context("keyLength")?,
            None => output_len(mac_digest),
        };
        let key = self.kdf("PBKDF2", prf_digest, key_len, salt, iterations)?;
        self.hmac(mac_digest, &key, data, protection)?;
        Ok(Protection {
            kind: "pbmac1",
            detail: format!(
                "PBMAC1 PBKDF2 prf {} iterations {iterations} keyLength {} mac {}",
                name(&prf),
                key_length.map_or("absent".into(), |n| n.to_string()),
                name(&mac)
            ),
        })
    }

    /// `openssl kdf` with the shared secret; returns the key as hex.
    fn kdf(
        &self,
        kdf: &str,
        digest: &str,
        key_len: usize,
        salt: &[u8],
        iterations: u64,
    ) -> Result<String> {
        let (secret, _) = secret();
        let key = self.openssl.check(&[
            "kdf",
            "-provider",
            "legacy",
            "-provider",
            "default",
            "-keylen",
            &key_len.to_string(),
            "-kdfopt",
            &format!("digest:{digest}"),
            "-kdfopt",
            &format!("hexpass:{}", hex(secret.as_bytes())),
            "-kdfopt",
            &format!("hexsalt:{}", hex(salt)),
            "-kdfopt",
            &format!("iter:{iterations}"),
            kdf,
        ])?;
        Ok(key.trim().replace(':', ""))
    }

    fn hmac(&self, digest: &str, key: &str, data: &str, expected: &[u8]) -> Result<()> {
        let computed = self.openssl.check(&[
            "mac",
            "-macopt",
            &format!("digest:{digest}"),
            "-macopt",
            &format!("hexkey:{key}"),
            "-in",
            data,
            "HMAC",
        ])?;
        if !computed.trim().eq_ignore_ascii_case(&hex(expected)) {
            bail!("the MAC does not verify with the shared secret");
        }
        Ok(())
    }

    fn signature(
        &self,
        message: &Message,
        alg: &AlgorithmId,
        cert: &str,
        protection: &[u8],
        data: &str,
    ) -> Result<Protection> {
        let der_path = cert
            .strip_suffix(".pem")
            .map(|stem| format!("{stem}.der"))
            .with_context(|| format!("credential {cert} is not a .pem certificate"))?;
        let der = self.openssl.read(&der_path)?;
        if message.sender_name != Some(certificate_subject(&der)?) {
            bail!("the sender is not the subject of {cert}");
        }
        let public_key = self.public_key(cert)?;
        let signature = self.scratch.join("signature.bin");
        std::fs::write(&signature, protection).context("writing the signature")?;
        let signature = signature.display().to_string();

        let (mut args, detail): (Vec<String>, String) = match alg.oid.as_str() {
            ED25519 => (
                [
                    "pkeyutl",
                    "-verify",
                    "-pubin",
                    "-inkey",
                    &public_key,
                    "-rawin",
                    "-in",
                    data,
                    "-sigfile",
                    &signature,
                ]
                .map(String::from)
                .to_vec(),
                "signature Ed25519".into(),
            ),
            RSASSA_PSS => {
                let pss = PssParams::parse(alg)?;
                let args = [
                    "dgst".to_string(),
                    format!("-{}", pss.hash.to_lowercase()),
                    "-sigopt".into(),
                    "rsa_padding_mode:pss".into(),
                    "-sigopt".into(),
                    format!("rsa_pss_saltlen:{}", pss.salt_len),
                    "-sigopt".into(),
                    format!("rsa_mgf1_md:{}", pss.mgf1_hash),
                ];
                let detail = format!(
                    "signature RSASSA-PSS hash {} mgf1 {} saltLength {}",
                    pss.hash, pss.mgf1_hash, pss.salt_len
                );
                (args.to_vec(), detail)
            }
            oid => {
                let digest = signature_digest(oid)
                    .with_context(|| format!("no verifier for signature algorithm {oid}"))?;
                (
                    vec!["dgst".into(), digest.into()],
                    format!("signature {}", name(oid)),
                )
            }
        };
        if alg.oid != ED25519 {
            args.extend(["-verify", &public_key, "-signature", &signature, data].map(String::from));
        }
        let argv: Vec<&str> = args.iter().map(String::as_str).collect();
        let run = self.openssl.run(&argv)?;
        if run.code != Some(0) {
            bail!("`openssl {}` does not verify it with {cert}", argv[0]);
        }
        Ok(Protection {
            kind: "sig",
            detail,
        })
    }

    /// The certificate's public key as a PEM file in `scratch`, made once per certificate.
    fn public_key(&self, cert: &str) -> Result<String> {
        if let Some(path) = self.public_keys.borrow().get(cert) {
            return Ok(path.display().to_string());
        }
        let n = self.public_keys.borrow().len();
        let path = self.scratch.join(format!("public-key-{n}.pem"));
        let out = path.display().to_string();
        self.openssl
            .check(&["x509", "-in", cert, "-pubkey", "-noout", "-out", &out])?;
        self.public_keys.borrow_mut().insert(cert.to_string(), path);
        Ok(out)
    }
}

/// RSASSA-PSS-params (RFC 4055): [0] hashAlgorithm, [1] maskGenAlgorithm, [2] saltLength,
/// all with defaults (SHA-1, MGF1 with SHA-1, 20).
struct PssParams {
    hash: &'static str,
    mgf1_hash: &'static str,
    salt_len: u64,
}

impl PssParams {
    fn parse(alg: &AlgorithmId) -> Result<Self> {
        let mut pss = PssParams {
            hash: "SHA1",
            mgf1_hash: "SHA1",
            salt_len: 20,
        };
        let Some(params) = alg.params else {
            return Ok(pss);
        };
        let hash_name = |oid: &str| digest(oid).map(|(n, _)| n).context("unknown hash");
        for field in params.expect(SEQUENCE)?.children()? {
            if field.tag == context(0) {
                pss.hash = hash_name(&AlgorithmId::parse(field.inner()?)?.oid)?;
            } else if field.tag == context(1) {
                let mgf = AlgorithmId::parse(field.inner()?)?;
                let inner = mgf.params.context("MGF1 hash")?;
                pss.mgf1_hash = hash_name(&AlgorithmId::parse(inner)?.oid)?;
            } else if field.tag == context(2) {
                pss.salt_len = field.inner()?.uint()?;
            }
        }
        Ok(pss)
    }
}

fn output_len(digest: &str) -> usize {
    match digest {
        "SHA1" => 20,
        "SHA224" => 28,
        "SHA256" => 32,
        "SHA384" => 48,
        _ => 64,
    }
}

/// tbsCertificate.subject: after [0] version, serialNumber, signature, issuer, validity.
fn certificate_subject(der: &[u8]) -> Result<&[u8]> {
    let cert = Tlv::read_all(der)?.expect(SEQUENCE)?;
    let tbs = cert
        .children()?
        .first()
        .copied()
        .context("tbsCertificate")?;
    let fields = tbs.children()?;
    let skip = usize::from(fields.first().is_some_and(|f| f.tag == context(0)));
    Ok(fields.get(skip + 4).context("subject")?.raw)
}
