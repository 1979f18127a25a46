//! Scenarios as data (`vectors/scenarios/*.toml`): which requirement rows a scenario covers,
//! which server features it needs, its steps (what to send, how to protect it, which mutation
//! turns it into a negative probe) and the outcome each step expects.
//!
//! ```toml
//! id = "ir-bad-pop"
//! title = "ir whose POP signature does not verify"
//! suites = ["rfc9483"]
//! covers = ["IR-21", "ERR-06", "IR-10"]
//! requires = ["ir", "mac"]
//!
//! [[steps]]
//! send = "ir"
//! protection = "mac"
//! mutate = ["bad-pop"]
//! expect = { outcome = "reject", rule = "IR-21", body = ["ip"], body_rule = "ERR-06", fail_info = ["badPOP"] }
//! ```

pub mod coverage;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::check::expect::Expect;

/// The suites a scenario can belong to.
pub const SUITES: &[(&str, &str)] = &[
    ("rfc9483", "Lightweight CMP Profile (RFC 9483)"),
    ("rfc9810", "CMP base protocol (RFC 9810)"),
    ("3gpp", "3GPP TS 33.310 base-station enrolment"),
    ("http", "CMP over HTTP (RFC 9811, RFC 9483 section 6.1)"),
];

/// The request types a step can send.
pub const SENDS: &[&str] = &[
    "ir", "cr", "kur", "p10cr", "rr", "genm", "certConf", "pollReq", "error", "raw", "nested",
];

/// The protections a step can use.
pub const PROTECTIONS: &[&str] = &[
    "mac",
    "pbmac1",
    "signature",
    "key-agreement",
    "key-transport",
    "vendor",
    "issued",
    "rogue",
    "ra",
    "none",
    "same",
];

/// Every mutation, with what it does.
pub const MUTATIONS: &[(&str, &str)] = &[
    // header
    ("no-transaction-id", "leave out transactionID"),
    (
        "reuse-transaction-id",
        "start the operation with the previous operation's transactionID",
    ),
    (
        "new-transaction-id",
        "continue the operation under a fresh transactionID",
    ),
    ("no-sender-nonce", "leave out senderNonce"),
    ("short-sender-nonce", "an 8-octet senderNonce"),
    ("wrong-recip-nonce", "a random recipNonce"),
    ("no-recip-nonce", "leave out recipNonce"),
    ("message-time-skew", "messageTime 24 hours in the past"),
    (
        "sender-mismatch",
        "a sender other than the protection certificate's subject",
    ),
    (
        "implicit-confirm-int",
        "implicitConfirm with value INTEGER 1 instead of NULL",
    ),
    ("cert-profile-two", "certProfile with two names"),
    ("unknown-general-info", "an unknown generalInfo ITAV"),
    ("free-text", "a freeText line"),
    ("recip-kid", "a recipKID"),
    ("null-dn-recipient", "recipient NULL-DN"),
    // protection
    ("unprotected", "no protection at all"),
    ("bad-mac", "MAC computed with a wrong secret"),
    (
        "unknown-sender-kid",
        "MAC senderKID that names no known secret",
    ),
    (
        "kid-not-sender-cn",
        "MAC senderKID differing from the sender's commonName",
    ),
    ("unknown-mac-oid", "protectionAlg with an unknown MAC OID"),
    ("flip-signature", "one signature byte flipped"),
    (
        "wrong-sender-kid",
        "signature senderKID that is not the certificate's SKI",
    ),
    (
        "wrong-protection-alg",
        "signature protectionAlg naming RSA for an EC key",
    ),
    ("no-extra-certs", "signed without extraCerts"),
    (
        "extra-certs-shuffled",
        "extraCerts: signer, then an unrelated certificate, then the chain reversed",
    ),
    // certificate requests
    ("two-cert-req-msgs", "two CertReqMsg"),
    ("cert-req-id-5", "certReqId 5"),
    ("bad-pop", "POP signature with one byte flipped"),
    ("no-popo", "no POP"),
    ("popo-raverified", "POP raVerified"),
    ("pop-wrong-alg", "POP algorithm naming RSA for an EC key"),
    ("template-version-0", "certTemplate version 0"),
    ("empty-subject", "NULL-DN subject and no subjectAltName"),
    ("template-validity", "certTemplate validity"),
    (
        "changed-subject",
        "kur with a subject other than the old certificate's",
    ),
    (
        "wrong-old-cert-id",
        "kur oldCertId with another serial number",
    ),
    ("no-old-cert-id", "kur without oldCertId"),
    (
        "bad-csr-signature",
        "PKCS #10 signature with one byte flipped",
    ),
    (
        "same-key",
        "ask for the key of the current certificate again",
    ),
    // certConf
    ("reject", "certConf rejecting the certificate"),
    ("no-status-info", "certConf without statusInfo"),
    ("granted-with-mods", "certConf status grantedWithMods"),
    (
        "accepted-with-failinfo",
        "certConf accepted with a failInfo",
    ),
    ("wrong-cert-hash", "certHash with one byte flipped"),
    ("cert-req-id-3", "certConf certReqId 3"),
    ("hash-alg", "certConf with hashAlg id-sha256"),
    ("empty-cert-conf", "certConf without CertStatus"),
    ("two-cert-status", "certConf with two CertStatus"),
    // rr
    ("unknown-serial", "rr for a serial number never issued"),
    ("two-rev-details", "rr with two RevDetails"),
    ("no-crl-entry-details", "rr without crlEntryDetails"),
    // genm
    ("two-itavs", "genm with two InfoTypeAndValue"),
    (
        "with-value",
        "genm caCerts/certReqTemplate carrying a value",
    ),
    ("no-value", "genm crlStatusList without value"),
    // pollReq
    (
        "wrong-poll-id",
        "pollReq with the other certReqId (0 vs -1)",
    ),
    // raw bodies
    (
        "garbage",
        "an OCTET STRING of 64 random octets instead of a PKIMessage",
    ),
    ("empty-body", "an empty body"),
    // nested
    ("empty-nested", "nested with an empty PKIMessages"),
    ("truncated", "a valid ir cut in half"),
];

/// HTTP shape of a step (the `http` suite).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HttpShape {
    /// `POST` (default) or `GET`.
    #[serde(default)]
    pub method: Option<String>,
    /// Content-Type to send (default application/pkixcmp).
    #[serde(default)]
    pub content_type: Option<String>,
    /// Absolute path on the server (`/.well-known/cmp`), instead of the profile's URL.
    #[serde(default)]
    pub path: Option<String>,
}

/// One step.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// What to send ([`SENDS`]).
    pub send: String,
    /// Name used in file names (default: `send`).
    #[serde(default)]
    pub name: Option<String>,
    /// How to protect it ([`PROTECTIONS`]); default: as the operation's first request, or MAC.
    #[serde(default)]
    pub protection: Option<String>,
    /// Ask for implicit confirmation.
    #[serde(default)]
    pub implicit_confirm: bool,
    /// pvno (default 2).
    #[serde(default)]
    pub pvno: Option<i64>,
    /// genm info type (`caCerts`, `rootCaCert`, `certReqTemplate`, `crlStatusList`,
    /// `signKeyPairTypes`, `unknown`; absent = empty genm).
    #[serde(default)]
    pub info_type: Option<String>,
    /// Which key to enroll: `ec` (default, fresh P-256 or the profile's key), `ed25519`.
    #[serde(default)]
    pub key: Option<String>,
    /// Ask for central key generation (RFC 9483 4.1.6): `omit` (no publicKey), `ec` or
    /// `rsa` (only the algorithm, with an empty BIT STRING); the request has no POP.
    #[serde(default)]
    pub central_keygen: Option<String>,
    /// Mutations ([`MUTATIONS`]).
    #[serde(default)]
    pub mutate: Vec<String>,
    /// RFC 9483 operation label (used when the profile has `labels = true`).
    #[serde(default)]
    pub label: Option<String>,
    /// HTTP shape.
    #[serde(default)]
    pub http: Option<HttpShape>,
    /// Poll while the answer says waiting (default true).
    #[serde(default)]
    pub poll: Option<bool>,
    /// Expected outcome.
    #[serde(default)]
    pub expect: Expect,
    /// `send = "nested"`: the requests inside (each with its own protection and, in a batch,
    /// its own expected outcome).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inner: Vec<Step>,
    /// `send = "nested"`: a batch (RFC 9483 5.2.2.2, fresh transactionID and senderNonce)
    /// instead of one request wrapped under its own transactionID (5.2.2.1).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub batch: bool,
}

impl Step {
    /// The name used in file names.
    pub fn file_name(&self) -> String {
        let n = self.name.clone().unwrap_or_else(|| self.send.clone());
        n.chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect()
    }

    /// Whether the step carries a mutation.
    pub fn has(&self, m: &str) -> bool {
        self.mutate.iter().any(|x| x == m)
    }
}

/// A scenario.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Stable ID (also the file name).
    pub id: String,
    /// One line.
    pub title: String,
    /// More text.
    #[serde(default)]
    pub description: String,
    /// The number in section 13 of the requirement matrix, if it implements one.
    #[serde(default)]
    pub checklist: Vec<u32>,
    /// Suites ([`SUITES`]).
    pub suites: Vec<String>,
    /// Requirement rows it exercises.
    #[serde(default)]
    pub covers: Vec<String>,
    /// Features the server must offer ([`crate::profile::FEATURES`]).
    #[serde(default)]
    pub requires: Vec<String>,
    /// A server mode the scenario needs (`polling`, `grant-implicit-confirm`, ...): a spawned
    /// or in-process server is started with the profile's options for that mode.
    #[serde(default)]
    pub server_mode: Option<String>,
    /// The steps.
    pub steps: Vec<Step>,
}

impl Scenario {
    /// Parse and validate one scenario.
    pub fn parse(text: &str, origin: &str) -> Result<Scenario, String> {
        let s: Scenario = toml::from_str(text).map_err(|e| format!("{origin}: {e}"))?;
        s.validate().map_err(|e| format!("{origin}: {e}"))?;
        Ok(s)
    }

    /// Check names against the tables.
    pub fn validate(&self) -> Result<(), String> {
        if self.steps.is_empty() {
            return Err("no steps".into());
        }
        for s in &self.suites {
            if !SUITES.iter().any(|(n, _)| n == s) {
                return Err(format!("unknown suite {s:?}"));
            }
        }
        for f in &self.requires {
            if !crate::profile::FEATURES.iter().any(|(n, _)| n == f) {
                return Err(format!("unknown feature {f:?}"));
            }
        }
        for (i, st) in self.steps.iter().enumerate() {
            if !SENDS.contains(&st.send.as_str()) {
                return Err(format!("step {}: unknown send {:?}", i + 1, st.send));
            }
            if let Some(p) = &st.protection {
                if !PROTECTIONS.contains(&p.as_str()) {
                    return Err(format!("step {}: unknown protection {p:?}", i + 1));
                }
            }
            if let Some(c) = &st.central_keygen {
                if !["omit", "ec", "rsa"].contains(&c.as_str()) {
                    return Err(format!(
                        "step {}: central_keygen {c:?} (omit, ec or rsa)",
                        i + 1
                    ));
                }
            }
            for m in &st.mutate {
                if !MUTATIONS.iter().any(|(n, _)| n == m) {
                    return Err(format!("step {}: unknown mutation {m:?}", i + 1));
                }
            }
            for r in st.expect.rule.iter().chain(st.expect.body_rule.iter()) {
                if crate::rules::rule(r).is_none() {
                    return Err(format!("step {}: expect names unknown rule {r:?}", i + 1));
                }
            }
            if (st.send == "nested") == st.inner.is_empty() {
                return Err(format!(
                    "step {}: inner steps go with send = \"nested\", and only there",
                    i + 1
                ));
            }
            if st.send == "nested" && !st.batch && st.inner.len() != 1 {
                return Err(format!(
                    "step {}: a nested step that is no batch wraps exactly one request",
                    i + 1
                ));
            }
            for inner in &st.inner {
                let one = Scenario {
                    id: self.id.clone(),
                    suites: vec![],
                    requires: vec![],
                    steps: vec![inner.clone()],
                    ..Scenario::default()
                };
                one.validate()
                    .map_err(|e| format!("step {} inner: {e}", i + 1))?;
            }
            for b in &st.expect.fail_info {
                if !cmp_codec::status::FAILURE_INFO_NAMES.contains(&b.as_str()) {
                    return Err(format!("step {}: unknown failInfo bit {b:?}", i + 1));
                }
            }
        }
        Ok(())
    }

    /// Whether it belongs to one of `suites` (all when empty).
    pub fn in_suites(&self, suites: &[String]) -> bool {
        suites.is_empty() || self.suites.iter().any(|s| suites.contains(s))
    }
}

/// The default scenario directory: `vectors/scenarios` under the current directory, else the
/// one in the source tree this binary was built from.
pub fn default_dir() -> PathBuf {
    let here = PathBuf::from("vectors/scenarios");
    if here.is_dir() {
        return here;
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../vectors/scenarios")
}

/// Load every `*.toml` of `dir`, sorted by file name.
pub fn load_dir(dir: &Path) -> Result<Vec<Scenario>, String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).map_err(|e| format!("{}: {e}", f.display()))?;
        let s = Scenario::parse(&text, &f.display().to_string())?;
        let stem = f
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        if stem != s.id && !stem.ends_with(&format!("-{}", s.id)) && !stem.ends_with(&s.id) {
            return Err(format!(
                "{}: id {:?} does not match the file name",
                f.display(),
                s.id
            ));
        }
        if out.iter().any(|o: &Scenario| o.id == s.id) {
            return Err(format!("{}: duplicate scenario id {:?}", f.display(), s.id));
        }
        out.push(s);
    }
    Ok(out)
}
