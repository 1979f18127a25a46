//! Re-checks every captured message's protection with `openssl` alone, independently of
//! the CMP code that produced it, and finds the credential that verifies it:
//! PBM = PBKDF1 (the OWF iterated over secret || salt) + HMAC; signatures with
//! `openssl dgst -verify` and the public key of the certificate named in the sender field.

use std::cell::RefCell;

use super::der::{Tlv, OCTET_STRING, SEQUENCE};
use super::flows::PBM_SECRET;
use super::message::{AlgorithmId, Message};
use super::names::{digest, hmac_digest, oid_name, signature_digest, PASSWORD_BASED_MAC};
use super::openssl::Openssl;
use super::pki::{self, DIR};
use super::SCRATCH;
use crate::error::{bail, Context, Result};

pub struct Protection {
    /// `none`, `pbm` or `sig`.
    pub kind: &'static str,
    /// `pass:<secret>`, the verifying certificate's path, or `-`.
    pub credential: String,
    pub detail: String,
}

struct Signer {
    cert: String,
    subject: Vec<u8>,
    public_key: String,
}

pub struct Verifier<'a> {
    openssl: &'a Openssl,
    signers: Vec<Signer>,
    /// Protection kinds for which a corrupted MAC or signature was already seen to fail.
    self_tested: RefCell<Vec<&'static str>>,
}

impl<'a> Verifier<'a> {
    pub fn new(openssl: &'a Openssl) -> Result<Self> {
        let mut signers = Vec::new();
        for cred in pki::ALL {
            let der = openssl.read(&cred.der())?;
            let subject = certificate_subject(&der)
                .with_context(|| cred.der())?
                .to_vec();
            let public_key = format!("{SCRATCH}/{}.pub.pem", cred.name);
            openssl.check(&[
                "x509",
                "-in",
                &cred.cert(),
                "-pubkey",
                "-noout",
                "-out",
                &public_key,
            ])?;
            signers.push(Signer {
                cert: cred.cert(),
                subject,
                public_key,
            });
        }
        Ok(Verifier {
            openssl,
            signers,
            self_tested: RefCell::new(Vec::new()),
        })
    }

    /// Verifies the message's protection; the first time for each kind, also makes sure
    /// that the same check rejects the message with one bit of the protection flipped.
    pub fn check(&self, message: &Message) -> Result<Protection> {
        let result = self.verify(message, message.protection)?;
        if result.kind != "none" && !self.self_tested.borrow().contains(&result.kind) {
            let mut corrupted = message.protection.unwrap_or_default().to_vec();
            if let Some(last) = corrupted.last_mut() {
                *last ^= 1;
            }
            if self.verify(message, Some(&corrupted)).is_ok() {
                bail!(
                    "self-test: a {} check accepted a corrupted protection",
                    result.kind
                );
            }
            self.self_tested.borrow_mut().push(result.kind);
        }
        Ok(result)
    }

    fn verify(&self, message: &Message, protection: Option<&[u8]>) -> Result<Protection> {
        let (Some(alg), Some(protection)) = (&message.protection_alg, protection) else {
            if message.protection_alg.is_some() || message.protection.is_some() {
                bail!("protectionAlg and protection must come together");
            }
            return Ok(Protection {
                kind: "none",
                credential: "-".into(),
                detail: "unprotected".into(),
            });
        };
        let data = format!("{SCRATCH}/protected-part.der");
        self.openssl.write(&data, &message.protected_part())?;
        if alg.oid == PASSWORD_BASED_MAC {
            self.check_pbm(alg, protection, &data)
                .context("PBM protection")
        } else {
            self.check_signature(message, alg, protection, &data)
                .context("signature protection")
        }
    }

    fn check_pbm(&self, alg: &AlgorithmId, protection: &[u8], data: &str) -> Result<Protection> {
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
        let key = self.openssl.check(&[
            "kdf",
            "-provider",
            "legacy",
            "-provider",
            "default",
            "-keylen",
            &key_len.to_string(),
            "-kdfopt",
            &format!("digest:{owf_name}"),
            "-kdfopt",
            &format!("hexpass:{}", hex(PBM_SECRET.as_bytes())),
            "-kdfopt",
            &format!("hexsalt:{}", hex(salt)),
            "-kdfopt",
            &format!("iter:{iterations}"),
            "PBKDF1",
        ])?;
        let key = key.trim().replace(':', "");
        let computed = self.openssl.check(&[
            "mac",
            "-macopt",
            &format!("digest:{hmac}"),
            "-macopt",
            &format!("hexkey:{key}"),
            "-in",
            data,
            "HMAC",
        ])?;
        if !computed.trim().eq_ignore_ascii_case(&hex(protection)) {
            bail!("the MAC does not verify with secret {PBM_SECRET:?}");
        }
        Ok(Protection {
            kind: "pbm",
            credential: format!("pass:{PBM_SECRET}"),
            detail: format!(
                "PBM owf {} iterations {iterations} mac {}",
                oid_name(&owf),
                oid_name(&mac)
            ),
        })
    }

    fn check_signature(
        &self,
        message: &Message,
        alg: &AlgorithmId,
        protection: &[u8],
        data: &str,
    ) -> Result<Protection> {
        let digest = signature_digest(&alg.oid)
            .with_context(|| format!("no verifier for signature algorithm {}", alg.oid))?;
        let sender = message
            .sender_name
            .context("sender is not a directoryName")?;
        let signature = format!("{SCRATCH}/signature.bin");
        self.openssl.write(&signature, protection)?;
        for signer in self.signers.iter().filter(|s| s.subject == sender) {
            let run = self.openssl.run(&[
                "dgst",
                digest,
                "-verify",
                &signer.public_key,
                "-signature",
                &signature,
                data,
            ])?;
            if run.code == Some(0) {
                return Ok(Protection {
                    kind: "sig",
                    credential: signer.cert.clone(),
                    detail: format!("signature {}", oid_name(&alg.oid)),
                });
            }
        }
        bail!("no certificate in {DIR}/ with the sender's subject verifies the signature")
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
    let skip = usize::from(
        fields
            .first()
            .is_some_and(|f| f.tag == super::der::context(0)),
    );
    Ok(fields.get(skip + 4).context("subject")?.raw)
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}
