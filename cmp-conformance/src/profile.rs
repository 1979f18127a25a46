//! Server profiles (`profiles/<name>.toml`): where the server is, the credentials the runner
//! uses against it, what it trusts, which optional features the server offers and which
//! deviations are already known.
//!
//! ```toml
//! name = "example"
//! features = ["ir", "cr", "kur", "p10cr", "rr", "mac", "caCerts"]
//! known_deviations = ["HDR-24"]
//!
//! [server]
//! url = "http://127.0.0.1:8080/.well-known/cmp"
//! labels = true                 # append RFC 9483 operation labels (/initialization, ...)
//! recipient = "CN=Example CA"   # header recipient of the first request
//!
//! [mac]
//! sender_kid = "ref-1234"
//! secret = "the-shared-secret"  # or secret_env = "VARIABLE"
//!
//! [signer]                      # signs ir/cr/p10cr/genm (an external "IDevID")
//! cert = "certs/client.pem"
//! key = "certs/client.key"
//! chain = ["certs/issuing.pem"]
//!
//! [trust]
//! anchors = ["certs/root.pem"]  # trust anchors for response signatures
//!
//! [time]
//! verify_at = "2030-01-01T00:00:00Z"  # certificate validity is judged at this instant
//! ```
//!
//! Relative paths are relative to the profile file.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::client::keys::{read_certs, Credential};

/// Every feature a scenario can require. A profile's `features` lists those the server offers;
/// a scenario needing one that is not offered is reported NOT-OFFERED.
pub const FEATURES: &[(&str, &str)] = &[
    ("ir", "initial enrollment (ir/ip)"),
    ("cr", "enrollment to a known PKI (cr/cp)"),
    ("kur", "key update (kur/kup)"),
    ("p10cr", "PKCS #10 enrollment (p10cr/cp)"),
    ("mac", "MAC-based protection (PasswordBasedMac)"),
    ("pbmac1", "MAC-based protection with PBMAC1"),
    (
        "signature",
        "signature-based protection with the profile's signer",
    ),
    ("implicit-confirm", "granting implicitConfirm"),
    ("rr", "revocation (rr/rp)"),
    ("caCerts", "genm caCerts"),
    ("rootCaUpdate", "genm rootCaCert / rootCaKeyUpdate"),
    ("certReqTemplate", "genm certReqTemplate"),
    ("crlStatusList", "genm crlStatusList / crls"),
    ("polling", "delayed delivery (waiting, pollReq/pollRep)"),
    ("pvno3", "cmp2021 messages (pvno 3)"),
    ("ed25519", "Ed25519 keys"),
    (
        "http",
        "HTTP transfer (RFC 9811) reachable by raw HTTP probes",
    ),
    ("vendor", "3GPP vendor-certificate enrollment"),
    (
        "central-keygen",
        "central key generation (RFC 9483 4.1.6: privateKey in EnvelopedData)",
    ),
    (
        "nested",
        "nested messages from an RA (RFC 9483 5.2.2.1; needs [ra])",
    ),
    ("batch", "batches of requests in nested (RFC 9483 5.2.2.2)"),
    (
        "raverified",
        "POP raVerified vouched for by an RA (RFC 9483 5.2.3.2; needs [ra])",
    ),
    (
        "transaction-state",
        "transaction bookkeeping (reused transactionID, certConf state)",
    ),
];

/// The features assumed when a profile does not list any: what RFC 9483 makes mandatory for a
/// CA, plus HTTP.
pub const DEFAULT_FEATURES: &[&str] =
    &["ir", "kur", "signature", "mac", "http", "transaction-state"];

/// A parsed profile.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// Short name for reports.
    #[serde(default)]
    pub name: String,
    /// Free text.
    #[serde(default)]
    pub description: String,
    /// Features the server offers (see [`FEATURES`]).
    #[serde(default)]
    pub features: Option<Vec<String>>,
    /// Rule IDs reported as KNOWN-DEVIATION instead of FAIL or WARN.
    #[serde(default)]
    pub known_deviations: Vec<String>,
    /// Where the server is.
    #[serde(default)]
    pub server: ServerConfig,
    /// MAC credential.
    #[serde(default)]
    pub mac: Option<MacConfig>,
    /// Signature credential for ir/cr/p10cr/genm (the "IDevID").
    #[serde(default)]
    pub signer: Option<CredentialConfig>,
    /// 3GPP vendor credential.
    #[serde(default)]
    pub vendor: Option<CredentialConfig>,
    /// Signer whose certificate allows keyAgreement (EC): receives centrally generated keys
    /// by kari (RFC 9483 4.1.6.2).
    #[serde(default)]
    pub key_agreement: Option<CredentialConfig>,
    /// Signer whose certificate allows keyEncipherment (RSA): receives centrally generated
    /// keys by ktri (RFC 9483 4.1.6.1).
    #[serde(default)]
    pub key_transport: Option<CredentialConfig>,
    /// Registration authority credential (EKU id-kp-cmcRA) for the RA-role scenarios: it
    /// signs nested messages and raVerified requests (RFC 9483 5.2).
    #[serde(default)]
    pub ra: Option<CredentialConfig>,
    /// What the runner asks for.
    #[serde(default)]
    pub enroll: EnrollConfig,
    /// Trust for response signatures.
    #[serde(default)]
    pub trust: TrustConfig,
    /// Time handling.
    #[serde(default)]
    pub time: TimeConfig,
    /// 3GPP TS 33.310 options.
    #[serde(default)]
    pub threegpp: ThreeGppConfig,
    /// Limits.
    #[serde(default)]
    pub limits: Limits,
    /// Directory the profile was read from (relative paths start here).
    #[serde(skip)]
    pub base_dir: PathBuf,
    /// The file itself.
    #[serde(skip)]
    pub path: Option<PathBuf>,
}

/// `[server]`.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ServerConfig {
    /// Base URL including the path, e.g. `http://host:port/.well-known/cmp`. `{port}` is
    /// replaced by the port of a spawned server.
    #[serde(default)]
    pub url: Option<String>,
    /// Append the RFC 9483 section 6.1 operation labels to the URL path.
    #[serde(default)]
    pub labels: bool,
    /// Header recipient of first requests (RFC 4514 string); NULL-DN when absent.
    #[serde(default)]
    pub recipient: Option<String>,
    /// Seconds to wait for one HTTP answer.
    #[serde(default)]
    pub timeout_seconds: Option<u64>,
    /// A command that starts the server; `{port}` is replaced by a free port.
    #[serde(default)]
    pub spawn: Option<SpawnConfig>,
}

/// `[server.spawn]`.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SpawnConfig {
    /// Program and arguments; `{port}` is a free port, `{cmp}` this `cmp` executable,
    /// `{profile_dir}` the profile's directory.
    pub command: Vec<String>,
    /// Start a fresh server for every scenario (needed for `openssl cmp -port`, which
    /// crashes when signers alternate).
    #[serde(default)]
    pub per_scenario: bool,
    /// How long to wait for the port to accept connections.
    #[serde(default)]
    pub ready_timeout_ms: Option<u64>,
    /// Extra arguments for scenarios that need a server mode (`polling = ["-poll_count",
    /// "2"]`); such a scenario gets a server of its own.
    #[serde(default)]
    pub modes: std::collections::BTreeMap<String, Vec<String>>,
}

/// `[mac]`.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MacConfig {
    /// The reference value: senderKID and the CN of the sender.
    pub sender_kid: String,
    /// The shared secret.
    #[serde(default)]
    pub secret: Option<String>,
    /// Read the secret from this environment variable instead.
    #[serde(default)]
    pub secret_env: Option<String>,
    /// PBM iteration count (default 10000).
    #[serde(default)]
    pub iterations: Option<u64>,
}

impl MacConfig {
    /// The secret, from the file or the environment.
    pub fn secret(&self) -> Result<Vec<u8>, String> {
        if let Some(var) = &self.secret_env {
            return std::env::var(var)
                .map(|s| s.into_bytes())
                .map_err(|_| format!("environment variable {var} (MAC secret) is not set"));
        }
        self.secret
            .as_ref()
            .map(|s| s.as_bytes().to_vec())
            .ok_or_else(|| "[mac] needs secret or secret_env".to_string())
    }
}

/// A certificate, its key and chain files.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CredentialConfig {
    /// Certificate file (PEM or DER; a PEM file may carry the chain after it).
    pub cert: String,
    /// PKCS#8 key file.
    pub key: String,
    /// Further chain files.
    #[serde(default)]
    pub chain: Vec<String>,
}

/// `[enroll]`.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EnrollConfig {
    /// Subject to request (RFC 4514). Default `CN=cmp-conformance-<random>`.
    #[serde(default)]
    pub subject: Option<String>,
    /// Key to request a certificate for (PKCS#8). Default: a fresh P-256 key per request.
    #[serde(default)]
    pub key: Option<String>,
    /// PKCS#10 request file to send in p10cr (default: one made from `key` and `subject`).
    #[serde(default)]
    pub csr: Option<String>,
    /// kur asks for the same key again (for mock servers that hand out one fixed certificate).
    #[serde(default)]
    pub kur_same_key: bool,
    /// certReqId of the certConf after a p10cr: 0 as RFC 9483 4.1.1 says (default), or -1 as
    /// a reported erratum and OpenSSL use (P10-04). With 0 a refusal is retried once with -1.
    #[serde(default)]
    pub p10cr_cert_conf_id: Option<i64>,
}

/// `[trust]`.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TrustConfig {
    /// Trust anchors for response signatures and issued certificates.
    #[serde(default)]
    pub anchors: Vec<String>,
    /// Intermediate CA certificates that may help path building (not trusted by themselves).
    #[serde(default)]
    pub untrusted: Vec<String>,
    /// Require this extended key usage in the server's protection certificate (PREQ-04), e.g.
    /// `1.3.6.1.5.5.7.3.28` (cmcRA).
    #[serde(default)]
    pub server_eku: Option<String>,
}

/// `[time]`.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TimeConfig {
    /// Judge certificate validity at this instant (RFC 3339 `YYYY-MM-DDTHH:MM:SSZ`) instead of
    /// the exchange time, so that a recorded run replays the same way years later.
    #[serde(default)]
    pub verify_at: Option<String>,
    /// Allowed distance of messageTime from the runner's clock (default 300 s).
    #[serde(default)]
    pub max_skew_seconds: Option<i64>,
}

/// `[threegpp]`.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ThreeGppConfig {
    /// Accept a self-signed operator root from the ip's extraCerts as trust anchor if it
    /// validates the server certificate and the new certificate (explicit opt-in, TS 33.310
    /// 9.2 as OpenSSL implements it).
    #[serde(default)]
    pub trust_root_from_ip: bool,
}

/// `[limits]`.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    /// Most pollReq messages per step (default 10).
    #[serde(default)]
    pub max_polls: Option<u32>,
    /// Longest wait between polls in seconds, whatever checkAfter says (default 3).
    #[serde(default)]
    pub max_poll_wait_seconds: Option<u64>,
}

/// Parse `YYYY-MM-DDTHH:MM:SSZ` into Unix seconds.
pub fn parse_rfc3339(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() != 20 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[19] != b'Z' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| s.get(r)?.parse::<u32>().ok();
    let t = cmp_codec::UtcDateTime {
        year: num(0..4)? as u16,
        month: num(5..7)? as u8,
        day: num(8..10)? as u8,
        hour: num(11..13)? as u8,
        minute: num(14..16)? as u8,
        second: num(17..19)? as u8,
    };
    cmp_codec::GeneralizedTime::new(t)?;
    Some(t.unix_seconds())
}

impl Profile {
    /// Read a profile file.
    pub fn load(path: &Path) -> Result<Profile, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let mut p: Profile =
            toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        p.base_dir = path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        p.path = Some(path.to_path_buf());
        if p.name.is_empty() {
            p.name = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
        }
        p.validate()?;
        Ok(p)
    }

    /// Check feature names, rule IDs and the time format.
    pub fn validate(&self) -> Result<(), String> {
        for f in self.features.iter().flatten() {
            if !FEATURES.iter().any(|(n, _)| n == f) {
                return Err(format!(
                    "unknown feature {f:?} (known: {})",
                    feature_names()
                ));
            }
        }
        for id in &self.known_deviations {
            if crate::rules::rule(id).is_none() {
                return Err(format!("known_deviations: unknown rule ID {id:?}"));
            }
        }
        if let Some(t) = &self.time.verify_at {
            parse_rfc3339(t)
                .ok_or_else(|| format!("time.verify_at {t:?}: expected YYYY-MM-DDTHH:MM:SSZ"))?;
        }
        Ok(())
    }

    /// A path from the profile, resolved against its directory.
    pub fn resolve(&self, p: &str) -> PathBuf {
        let path = Path::new(p);
        if path.is_absolute() {
            path.to_path_buf()
        } else {
            self.base_dir.join(path)
        }
    }

    /// The offered features.
    pub fn feature_set(&self) -> BTreeSet<String> {
        match &self.features {
            Some(f) => f.iter().cloned().collect(),
            None => DEFAULT_FEATURES.iter().map(|s| s.to_string()).collect(),
        }
    }

    /// Load a `[signer]`/`[vendor]` credential.
    pub fn credential(&self, c: &CredentialConfig) -> Result<Credential, String> {
        let chain: Vec<PathBuf> = c.chain.iter().map(|p| self.resolve(p)).collect();
        Credential::load(&self.resolve(&c.key), &self.resolve(&c.cert), &chain)
    }

    /// The trust anchors, DER.
    pub fn anchors(&self) -> Result<Vec<Vec<u8>>, String> {
        let mut out = Vec::new();
        for a in &self.trust.anchors {
            out.extend(read_certs(&self.resolve(a))?);
        }
        Ok(out)
    }

    /// The untrusted helper certificates, DER.
    pub fn untrusted(&self) -> Result<Vec<Vec<u8>>, String> {
        let mut out = Vec::new();
        for a in &self.trust.untrusted {
            out.extend(read_certs(&self.resolve(a))?);
        }
        Ok(out)
    }

    /// The fixed verification time, if any.
    pub fn verify_at(&self) -> Option<i64> {
        self.time.verify_at.as_deref().and_then(parse_rfc3339)
    }
}

fn feature_names() -> String {
    FEATURES
        .iter()
        .map(|(n, _)| *n)
        .collect::<Vec<_>>()
        .join(", ")
}
