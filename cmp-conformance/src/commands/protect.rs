//! `cmp protect IN OUT (--secret pass:S [--mac pbm|pbmac1] [--iterations N] [--kid KID] |
//! --key KEY.pem --cert CERT.pem [--chain CHAIN.pem])`: write a protected copy of a message.
//!
//! MAC: PasswordBasedMac (owf SHA-256, HMAC-SHA256) or PBMAC1 (PBKDF2-HMAC-SHA256, 32-octet
//! key, HMAC-SHA256), a fresh 16-octet salt. Signature: the key (PKCS#8: EC P-256, RSA,
//! Ed25519) signs with ecdsa-with-SHA256, sha256WithRSAEncryption or Ed25519; extraCerts become
//! the certificate, then the chain (RFC 9483 3.3); senderKID is set to the certificate's
//! subjectKeyIdentifier and `sender` to its subject (RFC 9483 3.1) when they differ. Any
//! protection the input already had is replaced.

use std::io::{self, Write};
use std::path::PathBuf;

use cmp_codec::protection::{
    protect_with_mac, protect_with_signature, HashAlg, HmacAlg, MacAlgorithm,
};
use cmp_codec::{AlgorithmIdentifier, GeneralName, PKIMessage};

use super::verify::read_secret;
use super::Outcome;
use crate::client::keys::{random_vec, read_certs, RawSignature, SigningKey};

/// The MAC algorithm of `cmp protect --mac`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum MacKind {
    /// PasswordBasedMac (RFC 9810 5.1.3.1): owf SHA-256, HMAC-SHA256.
    Pbm,
    /// PBMAC1 (RFC 9481 6.1.2): PBKDF2-HMAC-SHA256, HMAC-SHA256.
    Pbmac1,
}

/// Arguments of `cmp protect`.
#[derive(Debug, clap::Args)]
pub struct ProtectArgs {
    /// The message to protect: DER, PEM or base64.
    #[arg(value_name = "IN")]
    pub input: PathBuf,
    /// Where to write the protected DER.
    #[arg(value_name = "OUT")]
    pub output: PathBuf,
    /// MAC-protect with this shared secret: `pass:SECRET`, `env:VAR` or `file:PATH`.
    #[arg(long, value_name = "SOURCE", conflicts_with_all = ["key", "cert", "chain"], required_unless_present = "key")]
    pub secret: Option<String>,
    /// The MAC algorithm.
    #[arg(long, value_enum, default_value = "pbm", requires = "secret")]
    pub mac: MacKind,
    /// PBM or PBKDF2 iteration count.
    #[arg(long, value_name = "N", default_value_t = 10_000, requires = "secret")]
    pub iterations: u64,
    /// senderKID (the reference of the secret), as text; kept if the message has one.
    #[arg(long, value_name = "KID", requires = "secret")]
    pub kid: Option<String>,
    /// Signature-protect with this private key (PKCS#8 PEM or DER).
    #[arg(long, value_name = "KEY.pem", requires = "cert")]
    pub key: Option<PathBuf>,
    /// The key's certificate (PEM may hold the chain after it).
    #[arg(long, value_name = "CERT.pem", requires = "key")]
    pub cert: Option<PathBuf>,
    /// Issuing CA certificates to add to extraCerts.
    #[arg(long, value_name = "CHAIN.pem", requires = "key")]
    pub chain: Vec<PathBuf>,
}

/// Protect `IN` into `OUT`; one summary line on `out`, errors on `err`.
pub fn run(args: &ProtectArgs, out: &mut dyn Write, err: &mut dyn Write) -> io::Result<Outcome> {
    super::with_message(&args.input, err, |file, _input, msg, err| {
        if msg.header.protection_alg.is_some() {
            writeln!(err, "{file}: note: the existing protection is replaced")?;
        }
        let result = match (&args.secret, &args.key, &args.cert) {
            (Some(secret), _, _) => protect_mac(args, msg, secret),
            (None, Some(key), Some(cert)) => protect_sig(args, msg, key, cert, err)?,
            _ => Err("give --secret, or --key and --cert".to_string()),
        };
        let (der, what) = match result {
            Ok(r) => r,
            Err(e) => {
                writeln!(err, "{file}: {e}")?;
                return Ok(Outcome::Failure);
            }
        };
        if let Err(e) = std::fs::write(&args.output, &der) {
            writeln!(err, "{}: cannot write: {e}", args.output.display())?;
            return Ok(Outcome::Failure);
        }
        writeln!(
            out,
            "{file} -> {} ({} bytes): protected with {what}",
            args.output.display(),
            der.len()
        )?;
        Ok(Outcome::Success)
    })
}

fn protect_mac(
    args: &ProtectArgs,
    msg: &PKIMessage<'_>,
    secret: &str,
) -> Result<(Vec<u8>, String), String> {
    let secret = read_secret(secret)?;
    if args.iterations == 0 {
        return Err("--iterations must be at least 1".into());
    }
    let salt = random_vec(16);
    let alg = match args.mac {
        MacKind::Pbm => MacAlgorithm::Pbm {
            salt: &salt,
            owf: HashAlg::Sha256,
            iteration_count: args.iterations,
            mac: HmacAlg::HmacWithSha256,
        },
        MacKind::Pbmac1 => MacAlgorithm::Pbmac1 {
            salt: &salt,
            iteration_count: args.iterations,
            prf: HmacAlg::HmacWithSha256,
            key_length: Some(32),
            mac: HmacAlg::HmacWithSha256,
        },
    };
    let mut m = msg.clone();
    if m.header.sender_kid.is_none() {
        m.header.sender_kid = args.kid.as_deref().map(str::as_bytes);
    }
    let der = protect_with_mac(&m, &alg, &secret).map_err(|e| e.to_string())?;
    Ok((
        der,
        format!("{} ({} iterations)", alg.name(), args.iterations),
    ))
}

fn protect_sig(
    args: &ProtectArgs,
    msg: &PKIMessage<'_>,
    key: &std::path::Path,
    cert: &std::path::Path,
    err: &mut dyn Write,
) -> io::Result<Result<(Vec<u8>, String), String>> {
    let key = match SigningKey::from_file(key) {
        Ok(k) => k,
        Err(e) => return Ok(Err(e)),
    };
    let mut certs = match read_certs(cert) {
        Ok(c) => c,
        Err(e) => return Ok(Err(e)),
    };
    for c in &args.chain {
        match read_certs(c) {
            Ok(more) => certs.extend(more),
            Err(e) => return Ok(Err(e)),
        }
    }
    let signer_cert = certs.remove(0);
    let info = match crate::responder::credentials::CertInfo::from_der(&signer_cert) {
        Ok(i) => i,
        Err(e) => return Ok(Err(format!("{}: {e}", cert.display()))),
    };
    match key.spki_der() {
        Ok(spki) if spki == info.spki_der => {}
        Ok(_) => {
            return Ok(Err(format!(
                "the key does not belong to the certificate {}",
                cert.display()
            )))
        }
        Err(e) => return Ok(Err(e)),
    }
    let alg_der = key.algorithm_der();
    let alg = match cmp_codec::asn1::parse_single::<AlgorithmIdentifier<'_>>(&alg_der) {
        Ok(a) => a,
        Err(e) => return Ok(Err(format!("algorithm: {e:?}"))),
    };
    let mut m = msg.clone();
    // RFC 9483 3.1: sender is the subject of the protection certificate.
    let subject = match cmp_codec::raw::Name::from_der(&info.subject_der) {
        Ok(n) => GeneralName::DirectoryName(n),
        Err(_) => return Ok(Err("cannot read the certificate's subject".into())),
    };
    if m.header.sender != subject {
        writeln!(
            err,
            "note: sender set to the certificate's subject {}",
            info.subject_string()
        )?;
        m.header.sender = subject;
    }
    // senderKID: the certificate's subjectKeyIdentifier (set by protect_with_signature when
    // absent); a different one from an earlier protection is dropped.
    if m.header.sender_kid.is_some() && m.header.sender_kid != info.ski.as_deref() {
        m.header.sender_kid = None;
    }
    let chain: Vec<&[u8]> = certs.iter().map(Vec::as_slice).collect();
    // Earlier extraCerts belonged to the earlier protection.
    m.extra_certs = None;
    Ok(
        protect_with_signature::<_, RawSignature>(&m, &key, &alg, &signer_cert, &chain)
            .map(|der| {
                (
                    der,
                    format!("{} by {}", key.algorithm().name(), info.subject_string()),
                )
            })
            .map_err(|e| e.to_string()),
    )
}
