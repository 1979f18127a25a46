//! Checks applied to every response: header ([`header`]), protection and extraCerts
//! ([`protection`]), body ([`body`]) and HTTP transfer ([`http`]), plus the evaluation of a
//! scenario step's expected outcome ([`expect`]).
//!
//! A check is a pure function of the recorded exchange (request DER, reply, time), the
//! profile's [`Config`] and the [`CheckState`] built from the exchanges before it, so `cmp
//! replay` gives the same findings as the live run. Each finding names a rule of
//! [`crate::rules::RULES`]; its severity follows the rule's level (MUST fails, SHOULD warns,
//! MAY informs) and is never raised above it.

pub mod body;
pub mod ckg;
pub mod expect;
pub mod header;
pub mod http;
pub mod nested;
pub mod protection;
pub mod x509;

use std::collections::{BTreeSet, HashSet};

use cmp_codec::{PKIBody, PKIMessage};
use serde::{Deserialize, Serialize};

use crate::endpoint::Reply;
use crate::rules::{self, Level};
use x509::CertInfo;

/// The rules the passive checks judge on every response (so every scenario covers them).
pub const PASSIVE_RULES: &[&str] = &[
    "PRE-01", "PRE-02", "PREQ-04", "HDR-03", "HDR-04", "HDR-05", "HDR-07", "HDR-08", "HDR-09",
    "HDR-10", "HDR-11", "HDR-12", "HDR-13", "HDR-15", "HDR-16", "HDR-18", "HDR-19", "HDR-21",
    "HDR-22", "HDR-23", "HDR-24", "HDR-25", "HDR-26", "HDR-27", "PROT-01", "PROT-02", "PROT-03",
    "PROT-04", "PROT-05", "EXTRA-01", "EXTRA-03", "EXTRA-04", "EXTRA-05", "VAL-14", "VAL-16",
    "ERR-12", "ERR-14", "IR-10", "IR-24", "IR-25", "IR-26", "IR-27", "IR-28", "IR-29", "CONF-10",
    "CONF-11", "CR-02", "CR-03", "KUR-03", "KUR-08", "P10-02", "P10-03", "MAC-03", "MAC-05",
    "RR-03", "RR-07", "RR-08", "GEN-02", "GEN-11", "GEN-21", "GEN-22", "GEN-31", "GEN-32",
    "GEN-33", "GEN-34", "GEN-41", "GEN-43", "POLL-01", "POLL-04", "POLL-06", "POLL-07", "POLL-08",
    "POLL-11", "POLL-12", "RA-01", "RA-03", "XFER-04", "HTTP-R02", "HTTP-R03", "HTTP-R05",
    "VAL-02",
];

/// How bad a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Severity {
    /// Information: a capability or a MAY observed.
    #[serde(rename = "INFO")]
    Info,
    /// A listed known deviation of this server.
    #[serde(rename = "KNOWN-DEVIATION")]
    KnownDeviation,
    /// A SHOULD is not met.
    #[serde(rename = "WARN")]
    Warn,
    /// A MUST is not met.
    #[serde(rename = "FAIL")]
    Fail,
}

impl Severity {
    /// The label used in reports.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Info => "INFO",
            Severity::KnownDeviation => "KNOWN-DEVIATION",
            Severity::Warn => "WARN",
            Severity::Fail => "FAIL",
        }
    }

    /// The severity a violated rule of this level has.
    pub fn of_level(level: Level) -> Severity {
        match level {
            Level::Must => Severity::Fail,
            Level::Should => Severity::Warn,
            Level::May => Severity::Info,
        }
    }
}

/// The level of a rule as reports write it.
pub fn level_label(level: Level) -> &'static str {
    match level {
        Level::Must => "MUST",
        Level::Should => "SHOULD",
        Level::May => "MAY",
    }
}

/// One thing a check found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// Rule ID (`HDR-15`, `R9811-3.1`, ...).
    pub rule: String,
    /// The document (`RFC 9483`, ...).
    pub document: String,
    /// Section of the document.
    pub section: String,
    /// `MUST`, `SHOULD` or `MAY`.
    pub level: String,
    /// FAIL, WARN, INFO or KNOWN-DEVIATION.
    pub severity: Severity,
    /// The rule text.
    pub text: String,
    /// What was seen.
    pub seen: String,
    /// Index of the exchange (its DER is saved as `NNN-...`), if the finding is about one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exchange: Option<usize>,
}

impl Finding {
    /// A finding for rule `id` at `severity` (never above the rule's own level).
    pub fn new(
        id: &str,
        severity: Severity,
        seen: impl Into<String>,
        exchange: Option<usize>,
    ) -> Self {
        let (document, section, level, text) = match rules::rule(id) {
            Some(r) => (
                r.doc.cite().to_string(),
                r.section.to_string(),
                r.level,
                r.text.to_string(),
            ),
            None => (
                String::new(),
                String::new(),
                Level::May,
                format!("(unknown rule {id})"),
            ),
        };
        let cap = Severity::of_level(level);
        Finding {
            rule: id.to_string(),
            document,
            section,
            level: level_label(level).to_string(),
            severity: severity.min(cap),
            text,
            seen: seen.into(),
            exchange,
        }
    }
}

/// Findings being collected for one exchange.
#[derive(Debug, Default)]
pub struct Findings {
    /// What was found.
    pub items: Vec<Finding>,
    /// The exchange they are about.
    pub exchange: Option<usize>,
}

impl Findings {
    /// Collect for exchange `exchange`.
    pub fn for_exchange(exchange: Option<usize>) -> Self {
        Findings {
            items: Vec::new(),
            exchange,
        }
    }

    /// The rule is violated: severity by its level.
    pub fn violation(&mut self, id: &str, seen: impl Into<String>) {
        self.items
            .push(Finding::new(id, Severity::Fail, seen, self.exchange));
    }

    /// Report at most a warning (the matrix lowers some MUST checks to WARN).
    pub fn warn(&mut self, id: &str, seen: impl Into<String>) {
        self.items
            .push(Finding::new(id, Severity::Warn, seen, self.exchange));
    }

    /// Report as information.
    pub fn info(&mut self, id: &str, seen: impl Into<String>) {
        self.items
            .push(Finding::new(id, Severity::Info, seen, self.exchange));
    }
}

/// Check-time settings, from the profile.
#[derive(Clone, Debug, Default)]
pub struct Config {
    /// The MAC secret.
    pub mac_secret: Option<Vec<u8>>,
    /// The MAC reference (senderKID) the runner uses.
    pub mac_kid: Option<Vec<u8>>,
    /// Trust anchors.
    pub anchors: Vec<CertInfo>,
    /// Untrusted intermediates for path building.
    pub untrusted: Vec<CertInfo>,
    /// Fixed verification time (Unix seconds).
    pub verify_at: Option<i64>,
    /// Allowed messageTime skew in seconds.
    pub max_skew: i64,
    /// Required EKU of the server's protection certificate.
    pub server_eku: Option<String>,
    /// 3GPP: accept the operator root from the ip's extraCerts.
    pub trust_root_from_ip: bool,
    /// Rule IDs that are known deviations.
    pub known_deviations: BTreeSet<String>,
    /// The keys that open centrally generated private keys sent by ktri/kari (RFC 9483
    /// 4.1.6): the profile's signers, by subjectKeyIdentifier.
    pub ckg_keys: Vec<ckg::DecryptionKey>,
}

impl Config {
    /// Build from a profile.
    pub fn from_profile(p: &crate::profile::Profile) -> Result<Config, String> {
        let parse_all = |ders: Vec<Vec<u8>>| -> Result<Vec<CertInfo>, String> {
            ders.iter().map(|d| CertInfo::parse(d)).collect()
        };
        Ok(Config {
            mac_secret: match &p.mac {
                Some(m) => Some(m.secret()?),
                None => None,
            },
            mac_kid: p.mac.as_ref().map(|m| m.sender_kid.as_bytes().to_vec()),
            anchors: parse_all(p.anchors()?)?,
            untrusted: parse_all(p.untrusted()?)?,
            verify_at: p.verify_at(),
            max_skew: p.time.max_skew_seconds.unwrap_or(300),
            server_eku: p.trust.server_eku.clone(),
            trust_root_from_ip: p.threegpp.trust_root_from_ip,
            known_deviations: p.known_deviations.iter().cloned().collect(),
            ckg_keys: ckg_keys(p),
        })
    }
}

/// The profile's signing credentials that can open a ktri/kari envelope, by SKI.
fn ckg_keys(p: &crate::profile::Profile) -> Vec<ckg::DecryptionKey> {
    [&p.signer, &p.vendor, &p.key_agreement, &p.key_transport]
        .into_iter()
        .flatten()
        .filter_map(|c| p.credential(c).ok())
        .filter_map(|c| {
            let ski = CertInfo::parse(&c.cert).ok()?.ski?;
            Some(ckg::DecryptionKey { ski, key: c.key })
        })
        .collect()
}

/// MAC or signature.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProtKind {
    /// No protection.
    None,
    /// PasswordBasedMac, PBMAC1 (or another MAC).
    Mac,
    /// A signature.
    Signature,
}

impl ProtKind {
    /// The kind of protection a message carries.
    pub fn of(msg: &PKIMessage<'_>) -> ProtKind {
        match &msg.header.protection_alg {
            None => ProtKind::None,
            Some(a)
                if is_mac_oid(a.algorithm)
                    || cmp_codec::protection::HmacAlg::from_oid(a.algorithm).is_some() =>
            {
                ProtKind::Mac
            }
            Some(_) => ProtKind::Signature,
        }
    }

    /// Lower-case name.
    pub fn name(self) -> &'static str {
        match self {
            ProtKind::None => "none",
            ProtKind::Mac => "MAC",
            ProtKind::Signature => "signature",
        }
    }
}

/// Whether an OID names a MAC-based protection algorithm.
pub fn is_mac_oid<'o>(oid: impl Into<cmp_codec::Oid<'o>>) -> bool {
    use cmp_codec::protection::ProtectionKind;
    ProtectionKind::of_algorithm(oid) != ProtectionKind::Signature
}

/// The credential a response was protected with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RespCred {
    /// MAC with the shared secret (with the `protectionAlg` DER, for MAC-05).
    Mac(Vec<u8>),
    /// Signature by this certificate.
    Signature(Vec<u8>),
}

/// What the checks remember about the running operation (one transactionID).
#[derive(Clone, Debug, Default)]
pub struct OpState {
    /// transactionID of the operation.
    pub tid: Vec<u8>,
    /// Body of the operation's first request (`ir`, `genm`, ...).
    pub first_kind: String,
    /// Protection kind of the first request.
    pub request_prot: Option<ProtKind>,
    /// The first request asked for implicitConfirm.
    pub implicit_requested: bool,
    /// senderNonce of the first request (HDR-18).
    pub first_sender_nonce: Vec<u8>,
    /// The public key requested (DER SPKI).
    pub requested_spki: Option<Vec<u8>>,
    /// The subject requested (DER Name).
    pub requested_subject: Option<Vec<u8>>,
    /// certReqId of the first CertReqMsg (-1 for p10cr).
    pub requested_id: i64,
    /// genm: the info type asked for.
    pub genm_type: Option<String>,
    /// Protection credential of the operation's first response.
    pub first_response_cred: Option<RespCred>,
    /// The server's signer certificate, once seen.
    pub server_cert: Option<Vec<u8>>,
    /// An operator root accepted from an ip (3GPP opt-in).
    pub extra_anchor: Option<CertInfo>,
    /// The first request asks for central key generation (RFC 9483 4.1.6).
    pub central_keygen: bool,
}

/// State carried from exchange to exchange within a run.
#[derive(Clone, Debug, Default)]
pub struct CheckState {
    /// Every senderNonce the server sent in this run.
    pub server_nonces: HashSet<Vec<u8>>,
    /// Every senderNonce the runner sent.
    pub our_nonces: HashSet<Vec<u8>>,
    /// The current operation.
    pub op: Option<OpState>,
    /// IVs and encrypted content-encryption keys of the privateKey envelopes seen in this run
    /// (CKG-15).
    pub ckg_seen: HashSet<Vec<u8>>,
}

impl CheckState {
    /// Forget the operation (a new scenario starts).
    pub fn new_scenario(&mut self) {
        self.op = None;
    }
}

/// One recorded exchange, as the checks see it.
#[derive(Clone, Debug)]
pub struct ExchangeInput<'a> {
    /// Its index in the run.
    pub index: usize,
    /// The request bytes as sent.
    pub request: &'a [u8],
    /// What came back, or why nothing did.
    pub reply: Result<&'a Reply, &'a str>,
    /// Unix seconds when it was sent.
    pub at: i64,
    /// Whether it travelled over HTTP.
    pub http: bool,
    /// Whether the request carried valid protection by a configured credential (probes that
    /// break protection set this to false: an unprotected error answer is then fine).
    pub request_authentic: bool,
    /// The scenario belongs to the 3GPP suite (enables TS 33.310 checks).
    pub threegpp: bool,
}

/// The body arm names a request expects back (error is always allowed).
pub fn expected_arms(req_kind: &str, op_first: &str) -> &'static [&'static str] {
    match req_kind {
        "ir" => &["ip"],
        "cr" => &["cp"],
        "kur" => &["kup"],
        "p10cr" => &["cp"],
        "rr" => &["rp"],
        "genm" => &["genp"],
        "certConf" => &["pkiconf"],
        "pollReq" => match op_first {
            "ir" => &["pollRep", "ip"],
            "cr" | "p10cr" => &["pollRep", "cp"],
            "kur" => &["pollRep", "kup"],
            "rr" => &["pollRep", "rp"],
            "genm" => &["pollRep", "genp"],
            _ => &["pollRep", "ip", "cp", "kup", "rp", "genp"],
        },
        "error" => &["pkiconf"],
        _ => &[],
    }
}

/// Whether a body starts a new operation.
pub fn starts_operation(kind: &str) -> bool {
    matches!(
        kind,
        "ir" | "cr" | "kur" | "p10cr" | "rr" | "genm" | "krr" | "ccr" | "nested"
    )
}

/// Update the operation state from a request the runner sent.
fn note_request(state: &mut CheckState, req: &PKIMessage<'_>) {
    let kind = req.body.name();
    if let Some(n) = req.header.sender_nonce {
        state.our_nonces.insert(n.to_vec());
    }
    let tid = req.header.transaction_id.unwrap_or_default().to_vec();
    let same_op = state.op.as_ref().is_some_and(|o| o.tid == tid);
    if starts_operation(kind) || !same_op {
        if !starts_operation(kind) && state.op.is_some() {
            // A certConf/pollReq with another transactionID (a probe): keep nothing of the
            // old operation but its kind.
        }
        let mut op = OpState {
            tid,
            first_kind: if starts_operation(kind) {
                kind.to_string()
            } else {
                state
                    .op
                    .as_ref()
                    .map(|o| o.first_kind.clone())
                    .unwrap_or_default()
            },
            request_prot: Some(ProtKind::of(req)),
            implicit_requested: req.header.implicit_confirm(),
            first_sender_nonce: req.header.sender_nonce.unwrap_or_default().to_vec(),
            ..OpState::default()
        };
        match &req.body {
            PKIBody::Ir(r) | PKIBody::Cr(r) | PKIBody::Kur(r) => {
                if let Some(m) = r.iter().next() {
                    op.requested_id = m.cert_req.cert_req_id;
                    let t = &m.cert_req.cert_template;
                    op.central_keygen = ckg::is_ckg_request(req);
                    op.requested_spki = t
                        .public_key
                        .as_ref()
                        .filter(|_| !op.central_keygen)
                        .map(|k| k.to_der());
                    op.requested_subject = t.subject.as_ref().map(|s| s.der().to_vec());
                }
            }
            PKIBody::P10cr(csr) => {
                op.requested_id = -1;
                if let Ok(c) = csr.to_x509() {
                    use der::Encode;
                    op.requested_spki = c.info.public_key.to_der().ok();
                    op.requested_subject = c.info.subject.to_der().ok();
                }
            }
            PKIBody::Genm(itavs) => {
                op.genm_type = itavs.iter().next().map(|i| {
                    i.info_value
                        .name()
                        .map(str::to_string)
                        .unwrap_or_else(|| i.info_type().to_string())
                });
            }
            _ => {}
        }
        state.op = Some(op);
    }
}

/// Run every check on one exchange and update `state`.
pub fn check_exchange(
    cfg: &Config,
    state: &mut CheckState,
    input: &ExchangeInput<'_>,
) -> Vec<Finding> {
    if let Ok(req) = PKIMessage::parse(input.request) {
        if let PKIBody::Nested(_) = req.body {
            return nested::check_exchange(cfg, state, input, &req);
        }
    }
    check_plain(cfg, state, input)
}

/// [`check_exchange`] for a request that is not nested (or the outer layer of one).
pub(crate) fn check_plain(
    cfg: &Config,
    state: &mut CheckState,
    input: &ExchangeInput<'_>,
) -> Vec<Finding> {
    let mut out = Findings::for_exchange(Some(input.index));
    let req = PKIMessage::parse(input.request).ok();
    if let Some(r) = &req {
        note_request(state, r);
    }
    let reply = match input.reply {
        Ok(r) => r,
        Err(_) => return out.items,
    };
    let rsp = PKIMessage::parse(&reply.body);
    if input.http {
        http::check(&mut out, reply, rsp.is_ok());
    }
    let rsp = match rsp {
        Ok(m) => m,
        Err(e) => {
            if reply.status == 200 || (!input.http && !reply.body.is_empty()) {
                // Name the rule when the broken part is one a rule is about.
                const IMPLICIT_CONFIRM_OID: &[u8] =
                    &[0x06, 0x08, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x04, 0x0d];
                if e.path.starts_with("body.pkiconf") {
                    out.violation("CONF-10", format!("the pkiConf body is not NULL: {e}"));
                } else if e.path.starts_with("header.generalInfo")
                    && reply
                        .body
                        .windows(IMPLICIT_CONFIRM_OID.len())
                        .any(|w| w == IMPLICIT_CONFIRM_OID)
                {
                    out.violation(
                        "HDR-23",
                        format!("implicitConfirm whose value is not NULL: {e}"),
                    );
                } else {
                    out.violation("RA-01", format!("the reply body is not a PKIMessage: {e}"));
                }
            }
            return out.items;
        }
    };
    let op = state.op.clone().unwrap_or_default();
    header::check(&mut out, cfg, state, &op, req.as_ref(), &rsp, input);
    let cred = protection::check(&mut out, cfg, &op, req.as_ref(), &rsp, input);
    let anchor = body::check(&mut out, cfg, &op, req.as_ref(), &rsp, input);
    ckg::check(
        &mut out,
        cfg,
        &op,
        req.as_ref(),
        &rsp,
        input.at,
        &mut state.ckg_seen,
    );
    if let Some(o) = state.op.as_mut() {
        if o.first_response_cred.is_none() {
            o.first_response_cred = cred.clone();
        }
        if let Some(RespCred::Signature(c)) = &cred {
            o.server_cert = Some(c.clone());
        }
        if anchor.is_some() {
            o.extra_anchor = anchor;
        }
    }
    if let Some(n) = rsp.header.sender_nonce {
        state.server_nonces.insert(n.to_vec());
    }
    out.items
}

/// Apply the profile's known deviations to a list of findings.
pub fn apply_known_deviations(cfg: &Config, findings: &mut [Finding]) {
    for f in findings {
        if matches!(f.severity, Severity::Fail | Severity::Warn)
            && cfg.known_deviations.contains(&f.rule)
        {
            f.severity = Severity::KnownDeviation;
        }
    }
}

/// A short description of a PKIStatusInfo for reports.
pub fn describe_status(s: &cmp_codec::PKIStatusInfo<'_>) -> String {
    let mut out = s
        .status
        .name()
        .map(str::to_string)
        .unwrap_or_else(|| format!("status {}", s.status.0));
    if let Some(fi) = &s.fail_info {
        let names = fi.names();
        if !names.is_empty() {
            out.push_str(&format!(", failInfo {}", names.join(",")));
        }
    }
    if let Some(text) = &s.status_string {
        let t: Vec<&str> = text.iter().map(|u| u.as_str()).collect();
        out.push_str(&format!(", \"{}\"", t.join("; ")));
    }
    out
}

/// Hex for reports.
pub fn hex(b: &[u8]) -> String {
    ::hex::encode(b)
}
