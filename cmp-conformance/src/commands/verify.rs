//! `cmp verify FILE... (--secret pass:S | --trust CERT.pem [--untrusted CHAIN.pem] [--at TIME])`:
//! check the protection of each message, and with `--trust` the signer certificate's chain
//! (RFC 9483 3.5). Exit 0 only when every file verifies.
//!
//! Text output is one line per file (`FILE: OK ...` or `FILE: FAILED: reason`); `--json` gives
//! one JSON object per line: `file`, `verified`, `alg` (`name`, `oid`), `signer` (subject of
//! the signer certificate, signatures) or `sender_kid` (hex, MACs), `reason` (`null` or the
//! error).

use std::io::{self, Write};
use std::path::PathBuf;

use cmp_codec::protection::{
    signer_subject, verify_protection, verify_signature_trusted, ChainPolicy, ProtectionError,
    ProtectionKind, VerifiedProtection, VerifyOptions,
};
use cmp_codec::{PKIMessage, UtcDateTime};
use serde_json::{json, Value};

use super::Outcome;
use crate::client::keys::read_certs;

/// Arguments of `cmp verify`.
#[derive(Debug, clap::Args)]
pub struct VerifyArgs {
    /// The messages to check: DER, PEM or base64.
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,
    /// Shared secret for MAC protection (PBM, PBMAC1; the KEM shared secret for KEM-based MAC):
    /// `pass:SECRET`, `env:VAR` or `file:PATH` (first line).
    #[arg(long, value_name = "SOURCE")]
    pub secret: Option<String>,
    /// Trust anchors (PEM or DER certificates): signatures are accepted only when the signer
    /// certificate validates to one of them.
    #[arg(long, value_name = "CERT.pem")]
    pub trust: Vec<PathBuf>,
    /// Untrusted certificates (PEM or DER) to find the signer and build the path, besides
    /// the messages' extraCerts.
    #[arg(long, value_name = "CHAIN.pem")]
    pub untrusted: Vec<PathBuf>,
    /// Validation time, RFC 3339 (`2018-02-18T00:00:00Z`, `2018-02-18`); default now.
    #[arg(long, value_name = "RFC3339", requires = "trust")]
    pub at: Option<String>,
    /// Extended key usage the signer certificate must have: `cmcRA`, `cmcCA` or an OID.
    #[arg(long, value_name = "EKU", requires = "trust")]
    pub required_eku: Option<String>,
    /// Read a PBMAC1 keyLength above 64 as bits (the Siemens quirk).
    #[arg(long)]
    pub pbmac1_bits: bool,
    /// One JSON object per file.
    #[arg(long)]
    pub json: bool,
}

/// Read `pass:S`, `env:VAR` or `file:PATH`.
pub(crate) fn read_secret(spec: &str) -> Result<Vec<u8>, String> {
    if let Some(s) = spec.strip_prefix("pass:") {
        Ok(s.as_bytes().to_vec())
    } else if let Some(v) = spec.strip_prefix("env:") {
        std::env::var(v)
            .map(String::into_bytes)
            .map_err(|e| format!("secret env:{v}: {e}"))
    } else if let Some(p) = spec.strip_prefix("file:") {
        let text = std::fs::read_to_string(p).map_err(|e| format!("secret file:{p}: {e}"))?;
        Ok(text.lines().next().unwrap_or("").as_bytes().to_vec())
    } else {
        Err(format!(
            "secret {spec:?}: expected pass:SECRET, env:VAR or file:PATH"
        ))
    }
}

/// Parse an RFC 3339 time (`Z` or a `±HH:MM` offset; fractions ignored) or a plain date.
pub(crate) fn parse_rfc3339(s: &str) -> Result<UtcDateTime, String> {
    let bad = || format!("time {s:?}: expected RFC 3339, e.g. 2018-02-18T00:00:00Z");
    let num = |t: &str| t.parse::<u32>().map_err(|_| bad());
    let (date, rest) = match s.find(['T', 't', ' ']) {
        Some(i) => (&s[..i], &s[i + 1..]),
        None => (s, ""),
    };
    let d: Vec<&str> = date.split('-').collect();
    if d.len() != 3 || d[0].len() != 4 || d[1].len() != 2 || d[2].len() != 2 {
        return Err(bad());
    }
    let (year, month, day) = (num(d[0])?, num(d[1])?, num(d[2])?);
    let (mut h, mut mi, mut se, mut offset) = (0u32, 0u32, 0u32, 0i64);
    if !rest.is_empty() {
        let (clock, zone) = match rest.find(['Z', 'z', '+', '-']) {
            Some(i) => (&rest[..i], &rest[i..]),
            None => return Err(bad()),
        };
        let clock = clock.split('.').next().unwrap_or("");
        let c: Vec<&str> = clock.split(':').collect();
        if c.len() != 3 {
            return Err(bad());
        }
        (h, mi, se) = (num(c[0])?, num(c[1])?, num(c[2])?);
        if zone != "Z" && zone != "z" {
            let sign = if zone.starts_with('-') { -1 } else { 1 };
            let z: Vec<&str> = zone[1..].split(':').collect();
            if z.len() != 2 {
                return Err(bad());
            }
            offset = sign * (num(z[0])? as i64 * 3600 + num(z[1])? as i64 * 60);
        }
    }
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || h > 23 || mi > 59 || se > 60 {
        return Err(bad());
    }
    let t = UtcDateTime {
        year: year as u16,
        month: month as u8,
        day: day as u8,
        hour: h as u8,
        minute: mi as u8,
        second: se.min(59) as u8,
    };
    UtcDateTime::from_unix_seconds(t.unix_seconds() - offset).ok_or_else(bad)
}

fn eku_oid(s: &str) -> Result<cmp_codec::asn1::ObjectIdentifier, String> {
    match s {
        "cmcRA" | "id-kp-cmcRA" => Ok(cmp_codec::protection::ID_KP_CMC_RA),
        "cmcCA" | "id-kp-cmcCA" => Ok(cmp_codec::protection::ID_KP_CMC_CA),
        other => cmp_codec::asn1::ObjectIdentifier::from_string(other)
            .ok_or_else(|| format!("--required-eku {other:?}: expected cmcRA, cmcCA or an OID")),
    }
}

fn alg_json(msg: &PKIMessage<'_>) -> Value {
    match &msg.header.protection_alg {
        None => Value::Null,
        Some(a) => json!({
            "name": cmp_codec::oid::name(a.algorithm)
                .map(str::to_string)
                .or_else(|| {
                    cmp_codec::protection::SignatureAlgorithm::from_algorithm_identifier(a)
                        .ok()
                        .map(|s| s.name().to_string())
                })
                .unwrap_or_else(|| a.algorithm.to_string()),
            "oid": a.algorithm.to_string(),
        }),
    }
}

struct Report {
    verified: bool,
    signer: Option<String>,
    reason: Option<String>,
}

/// Check every file; one report line (or JSON object) per file.
pub fn run(args: &VerifyArgs, out: &mut dyn Write, err: &mut dyn Write) -> io::Result<Outcome> {
    let secret = match args.secret.as_deref().map(read_secret).transpose() {
        Ok(s) => s,
        Err(e) => {
            writeln!(err, "cmp verify: {e}")?;
            return Ok(Outcome::Failure);
        }
    };
    let load = |paths: &[PathBuf]| -> Result<Vec<Vec<u8>>, String> {
        let mut all = Vec::new();
        for p in paths {
            all.extend(read_certs(p)?);
        }
        Ok(all)
    };
    let (anchors, untrusted) = match (load(&args.trust), load(&args.untrusted)) {
        (Ok(a), Ok(u)) => (a, u),
        (Err(e), _) | (_, Err(e)) => {
            writeln!(err, "cmp verify: {e}")?;
            return Ok(Outcome::Failure);
        }
    };
    let policy = if anchors.is_empty() {
        None
    } else {
        let mut p = match &args.at {
            Some(t) => match parse_rfc3339(t) {
                Ok(at) => ChainPolicy::new(anchors.clone(), at),
                Err(e) => {
                    writeln!(err, "cmp verify: {e}")?;
                    return Ok(Outcome::Failure);
                }
            },
            None => ChainPolicy::now(anchors.clone()),
        };
        p.intermediates = untrusted.clone();
        if let Some(e) = &args.required_eku {
            match eku_oid(e) {
                Ok(o) => p.required_eku = Some(o),
                Err(e) => {
                    writeln!(err, "cmp verify: {e}")?;
                    return Ok(Outcome::Failure);
                }
            }
        }
        Some(p)
    };
    let opts = VerifyOptions {
        pbmac1_key_length_in_bits_fallback: args.pbmac1_bits,
        ..VerifyOptions::default()
    };
    let supplied: Vec<&[u8]> = untrusted.iter().map(Vec::as_slice).collect();

    let mut outcome = Outcome::Success;
    for path in &args.files {
        let o = super::with_message(path, err, |file, _input, msg, _err| {
            let mut result = Outcome::Success;
            let kind = ProtectionKind::of(msg);
            let r = check(msg, secret.as_deref(), &supplied, policy.as_ref(), &opts);
            if !r.verified {
                result = Outcome::Failure;
            }
            let kid = msg.header.sender_kid.map(hex::encode);
            let is_sig = kind == Some(ProtectionKind::Signature);
            if args.json {
                let mut o = json!({
                    "file": file,
                    "verified": r.verified,
                    "alg": alg_json(msg),
                });
                if is_sig {
                    o["signer"] = json!(r.signer);
                } else {
                    o["sender_kid"] = json!(kid);
                }
                o["reason"] = json!(r.reason);
                writeln!(out, "{o}")?;
            } else {
                let alg = alg_json(msg);
                let alg = alg["name"].as_str().unwrap_or("none").to_string();
                let who = if is_sig {
                    r.signer
                        .as_deref()
                        .map(|s| format!(", signer {s}"))
                        .unwrap_or_default()
                } else {
                    kid.map(|k| format!(", senderKID {k}")).unwrap_or_default()
                };
                match &r.reason {
                    None => {
                        let chain = if is_sig && policy.is_some() {
                            ", chain validated"
                        } else if is_sig {
                            ", chain NOT validated (no --trust)"
                        } else {
                            ""
                        };
                        writeln!(out, "{file}: OK ({alg}{who}{chain})")?
                    }
                    Some(reason) => writeln!(out, "{file}: FAILED ({alg}{who}): {reason}")?,
                }
            }
            Ok(result)
        })?;
        outcome = outcome.and(o);
    }
    Ok(outcome)
}

fn check(
    msg: &PKIMessage<'_>,
    secret: Option<&[u8]>,
    supplied: &[&[u8]],
    policy: Option<&ChainPolicy>,
    opts: &VerifyOptions,
) -> Report {
    let fail = |e: ProtectionError, signer: Option<String>| Report {
        verified: false,
        signer,
        reason: Some(e.to_string()),
    };
    match (ProtectionKind::of(msg), policy) {
        (Some(ProtectionKind::Signature), Some(policy)) => {
            match verify_signature_trusted(msg, policy, opts) {
                Ok(t) => Report {
                    verified: true,
                    signer: Some(t.path.subject),
                    reason: None,
                },
                Err(e) => {
                    let signer = match &e {
                        ProtectionError::UntrustedSigner { subject, .. } => Some(subject.clone()),
                        _ => None,
                    };
                    fail(e, signer)
                }
            }
        }
        (Some(ProtectionKind::Signature), None) => {
            match verify_protection(msg, None, supplied, opts) {
                Ok(VerifiedProtection::Signature(s)) => Report {
                    verified: true,
                    signer: signer_subject(msg, supplied, s.source),
                    reason: None,
                },
                Ok(_) => Report {
                    verified: true,
                    signer: None,
                    reason: None,
                },
                Err(e) => fail(e, None),
            }
        }
        (Some(_), _) if secret.is_none() => Report {
            verified: false,
            signer: None,
            reason: Some("MAC protection: give the shared secret with --secret".into()),
        },
        _ => match verify_protection(msg, secret, supplied, opts) {
            Ok(_) => Report {
                verified: true,
                signer: None,
                reason: None,
            },
            Err(e) => fail(e, None),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::{parse_rfc3339, read_secret};

    #[test]
    fn times() {
        let t = parse_rfc3339("2018-02-18T00:00:00Z").unwrap();
        assert_eq!(t.to_string(), "2018-02-18T00:00:00Z");
        assert_eq!(
            parse_rfc3339("2018-02-18").unwrap().to_string(),
            "2018-02-18T00:00:00Z"
        );
        assert_eq!(
            parse_rfc3339("2018-02-18T01:30:00.5+01:00")
                .unwrap()
                .to_string(),
            "2018-02-18T00:30:00Z"
        );
        assert_eq!(
            parse_rfc3339("2018-02-17T23:00:00-01:00")
                .unwrap()
                .to_string(),
            "2018-02-18T00:00:00Z"
        );
        for bad in [
            "",
            "2018",
            "18-02-18",
            "2018-13-01",
            "2018-02-18T25:00:00Z",
            "2018-02-18T00:00",
        ] {
            assert!(parse_rfc3339(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn secrets() {
        assert_eq!(read_secret("pass:abc").unwrap(), b"abc");
        assert!(read_secret("abc").is_err());
    }
}
