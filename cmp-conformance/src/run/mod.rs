//! Running scenarios against a server: building each step's request, sending it, recording
//! the exchange (DER files in the run folder), checking every response, polling while the
//! server says waiting (bounded), and judging each step's expected outcome.

pub mod load;
pub mod spawn;

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::check::expect::{evaluate, judge, Judged};
use crate::check::{self, CheckState, Config, ExchangeInput, Finding, Findings, Severity};
use crate::client::{build_request, note_response, Creds, TxState};
use crate::endpoint::http::HttpEndpoint;
use crate::endpoint::{Endpoint, Reply, TransportError, PKIXCMP};
use crate::profile::Profile;
use crate::scenario::{Scenario, Step};
use spawn::{expand, free_port, Spawned};

/// Unix seconds now.
pub fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// How a scenario ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Status {
    /// Every check passed.
    #[serde(rename = "PASS")]
    Pass,
    /// The server does not offer a feature the scenario needs.
    #[serde(rename = "NOT-OFFERED")]
    NotOffered,
    /// Not applicable to this transport.
    #[serde(rename = "SKIPPED")]
    Skipped,
    /// Only INFO findings or KNOWN-DEVIATIONs.
    #[serde(rename = "KNOWN-DEVIATION")]
    KnownDeviation,
    /// At least one SHOULD not met.
    #[serde(rename = "WARN")]
    Warn,
    /// At least one MUST not met.
    #[serde(rename = "FAIL")]
    Fail,
    /// The runner could not carry the scenario out (transport error, missing credential).
    #[serde(rename = "ERROR")]
    Error,
}

impl Status {
    /// Report label.
    pub fn label(self) -> &'static str {
        match self {
            Status::Pass => "PASS",
            Status::NotOffered => "NOT-OFFERED",
            Status::Skipped => "SKIPPED",
            Status::KnownDeviation => "KNOWN-DEVIATION",
            Status::Warn => "WARN",
            Status::Fail => "FAIL",
            Status::Error => "ERROR",
        }
    }

    /// The status findings give.
    pub fn from_findings(findings: &[Finding]) -> Status {
        let worst = findings.iter().map(|f| f.severity).max();
        match worst {
            Some(Severity::Fail) => Status::Fail,
            Some(Severity::Warn) => Status::Warn,
            Some(Severity::KnownDeviation) => Status::KnownDeviation,
            _ => Status::Pass,
        }
    }
}

/// One request/response pair as recorded.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ExchangeRecord {
    /// Index in the run (1-based, as in the file names).
    pub index: usize,
    /// Scenario ID.
    pub scenario: String,
    /// Step index (0-based) in the scenario.
    pub step: usize,
    /// What the request is (`ir`, `certConf`, `pollReq`, ...).
    pub request_kind: String,
    /// This exchange is a pollReq the runner added while waiting.
    #[serde(default)]
    pub poll: bool,
    /// This is the last exchange of its step (its answer is judged against the expectation).
    pub last_of_step: bool,
    /// A certConf after p10cr refused with certReqId 0 and retried with -1 (P10-04).
    #[serde(default)]
    pub retry: bool,
    /// Request file name in the run folder.
    pub request_file: String,
    /// Response file name, if anything came back.
    #[serde(default)]
    pub response_file: Option<String>,
    /// HTTP status (200 for in-process).
    #[serde(default)]
    pub status: Option<u16>,
    /// Content-Type of the reply.
    #[serde(default)]
    pub content_type: Option<String>,
    /// Why nothing came back.
    #[serde(default)]
    pub transport_error: Option<String>,
    /// Unix seconds when sent.
    pub at: i64,
    /// Where it was sent.
    pub url: String,
    /// HTTP transport.
    pub http: bool,
    /// Carried valid protection by a configured credential.
    pub authentic: bool,
}

/// The result of one scenario.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ScenarioResult {
    /// Scenario ID.
    pub id: String,
    /// Title.
    pub title: String,
    /// Suites.
    pub suites: Vec<String>,
    /// Requirement rows covered.
    pub covers: Vec<String>,
    /// Outcome.
    pub status: Status,
    /// Why (NOT-OFFERED, SKIPPED, ERROR) or notes.
    #[serde(default)]
    pub note: String,
    /// Findings, in order.
    pub findings: Vec<Finding>,
    /// Indexes of its exchanges.
    pub exchanges: Vec<usize>,
    /// Milliseconds it took.
    pub duration_ms: u64,
}

/// A whole run, as written to `report.json`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RunReport {
    /// `cmp` version.
    pub tool: String,
    /// Unix seconds at the start.
    pub started: i64,
    /// Profile name.
    pub profile: String,
    /// Profile file (replay reads the MAC secret and trust from it again).
    #[serde(default)]
    pub profile_path: Option<String>,
    /// Where the server was.
    pub server: String,
    /// Suites run.
    pub suites: Vec<String>,
    /// Results.
    pub scenarios: Vec<ScenarioResult>,
    /// Every exchange.
    pub exchanges: Vec<ExchangeRecord>,
    /// The scenario definitions used (so a replay judges against the same expectations).
    pub definitions: Vec<Scenario>,
}

impl RunReport {
    /// Count scenarios per status.
    pub fn counts(&self) -> Vec<(Status, usize)> {
        let all = [
            Status::Pass,
            Status::Warn,
            Status::Fail,
            Status::KnownDeviation,
            Status::NotOffered,
            Status::Skipped,
            Status::Error,
        ];
        all.iter()
            .map(|s| (*s, self.scenarios.iter().filter(|r| r.status == *s).count()))
            .filter(|(_, n)| *n > 0)
            .collect()
    }

    /// Whether a MUST failed (other than known deviations) or a scenario could not run.
    pub fn failed(&self) -> bool {
        self.scenarios
            .iter()
            .any(|s| matches!(s.status, Status::Fail | Status::Error))
    }

    /// All findings in run order.
    pub fn findings(&self) -> Vec<(&str, &Finding)> {
        self.scenarios
            .iter()
            .flat_map(|s| s.findings.iter().map(move |f| (s.id.as_str(), f)))
            .collect()
    }
}

/// How the runner reaches the server.
pub enum Transport {
    /// HTTP.
    Http(HttpEndpoint),
    /// Any in-process endpoint.
    InProcess(Box<dyn Endpoint>),
}

/// Gives the runner a server for each scenario.
pub trait ServerSource {
    /// A transport for `scenario` (may start a server).
    fn open(&mut self, scenario: &Scenario) -> Result<Transport, String>;
    /// The scenario is over (a per-scenario server can be stopped).
    fn close(&mut self, _scenario: &Scenario) {}
    /// For the report.
    fn describe(&self) -> String;
}

/// A server at a fixed URL.
pub struct FixedUrl {
    /// Base URL.
    pub url: String,
    /// Per-request timeout.
    pub timeout: Duration,
}

impl ServerSource for FixedUrl {
    fn open(&mut self, _s: &Scenario) -> Result<Transport, String> {
        HttpEndpoint::new(&self.url, self.timeout)
            .map(Transport::Http)
            .map_err(|e| e.message)
    }
    fn describe(&self) -> String {
        self.url.clone()
    }
}

/// The built-in reference responder in process (through [`Endpoint`]), a fresh one per
/// scenario; scenarios needing the `polling` mode get `poll_count` 2, those needing
/// `ra-verified` get `accept_ra_verified`, those needing `3gpp` get `root_in_ip_extra_certs`.
pub struct InProcessReference {
    /// Responder settings (fault switches, ...).
    pub config: crate::responder::Config,
}

impl ServerSource for InProcessReference {
    fn open(&mut self, s: &Scenario) -> Result<Transport, String> {
        let mut c = self.config.clone();
        if s.server_mode.as_deref() == Some("polling") {
            c.poll_count = 2;
            c.check_after = 1;
        }
        if s.server_mode.as_deref() == Some("ra-verified") {
            c.accept_ra_verified = true;
        }
        if s.server_mode.as_deref() == Some("3gpp") {
            c.root_in_ip_extra_certs = true;
        }
        let r = crate::responder::Responder::with_config(c).map_err(|e| e.to_string())?;
        Ok(Transport::InProcess(Box::new(r)))
    }

    fn describe(&self) -> String {
        "reference responder (in process)".into()
    }
}

/// A server started from the profile's `[server.spawn]` command.
pub struct SpawnedServer {
    /// Command template.
    pub command: Vec<String>,
    /// Extra arguments per server mode.
    pub modes: std::collections::BTreeMap<String, Vec<String>>,
    /// One server per scenario.
    pub per_scenario: bool,
    /// URL template with `{port}`.
    pub url: String,
    /// Profile directory for `{profile_dir}`.
    pub profile_dir: PathBuf,
    /// Readiness timeout.
    pub ready: Duration,
    /// Per-request timeout.
    pub timeout: Duration,
    /// Where server logs go.
    pub log_dir: Option<PathBuf>,
    current: Option<(Spawned, Option<String>)>,
}

impl SpawnedServer {
    /// From a profile with `[server.spawn]`.
    pub fn from_profile(p: &Profile, log_dir: Option<PathBuf>) -> Option<SpawnedServer> {
        let s = p.server.spawn.as_ref()?;
        Some(SpawnedServer {
            command: s.command.clone(),
            modes: s.modes.clone(),
            per_scenario: s.per_scenario,
            url: p
                .server
                .url
                .clone()
                .unwrap_or_else(|| "http://127.0.0.1:{port}/".into()),
            profile_dir: p.base_dir.clone(),
            ready: Duration::from_millis(s.ready_timeout_ms.unwrap_or(10_000)),
            timeout: Duration::from_secs(p.server.timeout_seconds.unwrap_or(30)),
            log_dir,
            current: None,
        })
    }
}

impl ServerSource for SpawnedServer {
    fn open(&mut self, scenario: &Scenario) -> Result<Transport, String> {
        let mode = scenario
            .server_mode
            .clone()
            .filter(|m| self.modes.contains_key(m));
        let reuse = match &mut self.current {
            Some((s, m)) => !self.per_scenario && *m == mode && s.alive(),
            None => false,
        };
        if !reuse {
            if let Some((mut s, _)) = self.current.take() {
                s.stop();
            }
            let port = free_port()?;
            let mut args = expand(&self.command, port, &self.profile_dir);
            if let Some(m) = &mode {
                args.extend(expand(&self.modes[m], port, &self.profile_dir));
            }
            let log = self
                .log_dir
                .as_ref()
                .map(|d| d.join(format!("server-{}.log", scenario.id)));
            let s = Spawned::start(&args, port, self.ready, log)?;
            self.current = Some((s, mode));
        }
        let port = self.current.as_ref().map(|(s, _)| s.port).unwrap_or(0);
        let url = self.url.replace("{port}", &port.to_string());
        HttpEndpoint::new(&url, self.timeout)
            .map(Transport::Http)
            .map_err(|e| e.message)
    }

    fn close(&mut self, _s: &Scenario) {
        if self.per_scenario {
            if let Some((mut s, _)) = self.current.take() {
                s.stop();
            }
        }
    }

    fn describe(&self) -> String {
        let prog = self
            .command
            .first()
            .map(|p| p.rsplit('/').next().unwrap_or(p))
            .unwrap_or("");
        format!(
            "{} started by the runner{} at {}",
            prog,
            if self.per_scenario {
                " for each scenario"
            } else {
                ""
            },
            self.url
        )
    }
}

/// Options of a run.
pub struct RunOptions {
    /// Suites to run (all when empty).
    pub suites: Vec<String>,
    /// Only these scenario IDs (all when empty).
    pub only: Vec<String>,
    /// The run folder.
    pub out_dir: PathBuf,
    /// Print progress to stderr.
    pub progress: bool,
}

/// What one step needs from the transport.
fn send(
    transport: &mut Transport,
    profile: &Profile,
    step: &Step,
    body: &[u8],
) -> (String, Result<Reply, TransportError>) {
    let label = if profile.server.labels {
        step.label.clone().unwrap_or_default()
    } else {
        String::new()
    };
    match transport {
        Transport::Http(h) => {
            let shape = step.http.clone().unwrap_or_default();
            let url = match &shape.path {
                Some(p) => h.url_absolute(p),
                None => h.url_for(&label),
            };
            let method = shape.method.as_deref().unwrap_or("POST");
            let ct = shape.content_type.as_deref().unwrap_or(PKIXCMP);
            let r = h.send_raw(method, &url, Some(ct), body);
            (url, r)
        }
        Transport::InProcess(e) => ("in-process".into(), e.exchange(&label, body)),
    }
}

/// The rule a step is judged by when it names none.
pub fn default_rule(send: &str) -> &'static str {
    match send {
        "ir" | "cr" | "kur" | "p10cr" => "RA-09",
        "certConf" => "IR-08",
        "rr" => "RA-15",
        "genm" => "GEN-02",
        "pollReq" => "POLL-06",
        _ => "RA-01",
    }
}

/// Runs scenarios and records everything.
pub struct Runner<'a> {
    profile: &'a Profile,
    creds: Cow<'a, Creds>,
    cfg: Config,
    features: BTreeSet<String>,
    opts: RunOptions,
    report: RunReport,
    checks: CheckState,
}

fn write_file(dir: &Path, name: &str, data: &[u8]) {
    let _ = std::fs::write(dir.join(name), data);
}

impl<'a> Runner<'a> {
    /// Prepare a run.
    pub fn new(profile: &'a Profile, opts: RunOptions, server: String) -> Result<Self, String> {
        Self::with_creds(
            profile,
            opts,
            server,
            Cow::Owned(Creds::from_profile(profile)?),
        )
    }

    /// Prepare a run with credentials already read from `profile`, owned or lent (the load
    /// mode reads them once per client and lends them to every repetition).
    pub fn with_creds(
        profile: &'a Profile,
        opts: RunOptions,
        server: String,
        creds: Cow<'a, Creds>,
    ) -> Result<Self, String> {
        std::fs::create_dir_all(&opts.out_dir)
            .map_err(|e| format!("{}: {e}", opts.out_dir.display()))?;
        Ok(Runner {
            profile,
            creds,
            cfg: Config::from_profile(profile)?,
            features: profile.feature_set(),
            report: RunReport {
                tool: format!("cmp {}", env!("CARGO_PKG_VERSION")),
                started: unix_now(),
                profile: profile.name.clone(),
                profile_path: profile.path.as_ref().map(|p| {
                    std::fs::canonicalize(p)
                        .unwrap_or_else(|_| p.clone())
                        .display()
                        .to_string()
                }),
                server,
                suites: opts.suites.clone(),
                scenarios: Vec::new(),
                exchanges: Vec::new(),
                definitions: Vec::new(),
            },
            opts,
            checks: CheckState::default(),
        })
    }

    /// Run every selected scenario.
    pub fn run_all(mut self, scenarios: &[Scenario], source: &mut dyn ServerSource) -> RunReport {
        let selected: Vec<&Scenario> = scenarios
            .iter()
            .filter(|s| s.in_suites(&self.opts.suites))
            .filter(|s| self.opts.only.is_empty() || self.opts.only.contains(&s.id))
            .collect();
        let total = selected.len();
        for (i, s) in selected.iter().enumerate() {
            if self.opts.progress {
                eprint!("[{:>3}/{total}] {:<44} ", i + 1, s.id);
                let _ = std::io::stderr().flush();
            }
            let r = self.run_scenario(s, source);
            if self.opts.progress {
                let fails = r
                    .findings
                    .iter()
                    .filter(|f| f.severity == Severity::Fail)
                    .count();
                let warns = r
                    .findings
                    .iter()
                    .filter(|f| f.severity == Severity::Warn)
                    .count();
                let mut line = r.status.label().to_string();
                if fails + warns > 0 {
                    line.push_str(&format!(" ({fails} fail, {warns} warn)"));
                }
                if matches!(
                    r.status,
                    Status::NotOffered | Status::Skipped | Status::Error
                ) && !r.note.is_empty()
                {
                    line.push_str(&format!(" - {}", r.note));
                }
                eprintln!("{line}");
            }
            self.report.definitions.push((*s).clone());
            self.report.scenarios.push(r);
        }
        self.report
    }

    fn run_scenario(&mut self, s: &Scenario, source: &mut dyn ServerSource) -> ScenarioResult {
        let t0 = Instant::now();
        let mut result = ScenarioResult {
            id: s.id.clone(),
            title: s.title.clone(),
            suites: s.suites.clone(),
            covers: s.covers.clone(),
            status: Status::Pass,
            note: String::new(),
            findings: Vec::new(),
            exchanges: Vec::new(),
            duration_ms: 0,
        };
        let missing: Vec<&String> = s
            .requires
            .iter()
            .filter(|f| !self.features.contains(*f))
            .collect();
        if !missing.is_empty() {
            result.status = Status::NotOffered;
            result.note = format!(
                "server does not offer {}",
                missing
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            return result;
        }
        let mut transport = match source.open(s) {
            Ok(t) => t,
            Err(e) => {
                result.status = Status::Error;
                result.note = e;
                return result;
            }
        };
        if matches!(transport, Transport::InProcess(_))
            && s.steps.iter().any(|st| st.http.is_some())
        {
            result.status = Status::Skipped;
            result.note = "needs HTTP transport".into();
            source.close(s);
            return result;
        }
        self.checks.new_scenario();
        let mut tx = TxState::default();
        let threegpp = s.suites.iter().any(|x| x == "3gpp");
        let max_polls = self.profile.limits.max_polls.unwrap_or(10);
        let max_wait = self.profile.limits.max_poll_wait_seconds.unwrap_or(3);
        let mut error: Option<String> = None;
        for (si, step) in s.steps.iter().enumerate() {
            if step.send == "certConf"
                && tx.implicit_granted
                && step.expect.outcome == crate::check::expect::Outcome::Accept
            {
                result.note.push_str(&format!(
                    "step {} ({}) skipped: implicitConfirm granted; ",
                    si + 1,
                    step.send
                ));
                continue;
            }
            if step.send == "certConf"
                && tx.delivered.is_none()
                && step.expect.outcome == crate::check::expect::Outcome::Accept
            {
                result.note.push_str(&format!(
                    "step {} and later not run: no certificate to confirm; ",
                    si + 1
                ));
                break;
            }
            let mut polls = 0u32;
            let mut current = step.clone();
            let mut is_poll = false;
            let mut last_request: Option<Vec<u8>> = None;
            let (last_judged, last_index) = loop {
                let built = match build_request(&current, &self.creds, &mut tx, unix_now()) {
                    Ok(b) => b,
                    Err(e) => {
                        error = Some(format!("step {} ({}): {e}", si + 1, current.send));
                        break (None, None);
                    }
                };
                last_request = Some(built.der.clone());
                let idx = self.report.exchanges.len() + 1;
                let at = unix_now();
                let (url, reply) = send(&mut transport, self.profile, &current, &built.der);
                let base = format!(
                    "{idx:03}-{}-{}",
                    s.id,
                    if is_poll {
                        format!("{}{polls}", current.file_name())
                    } else {
                        current.file_name()
                    }
                );
                let req_file = format!("{base}-req.der");
                write_file(&self.opts.out_dir, &req_file, &built.der);
                let mut rec = ExchangeRecord {
                    index: idx,
                    scenario: s.id.clone(),
                    step: si,
                    request_kind: current.send.clone(),
                    poll: is_poll,
                    last_of_step: true,
                    retry: false,
                    request_file: req_file,
                    response_file: None,
                    status: None,
                    content_type: None,
                    transport_error: None,
                    at,
                    url,
                    http: matches!(transport, Transport::Http(_)),
                    authentic: built.authentic,
                };
                match &reply {
                    Ok(r) => {
                        let f = format!("{base}-rsp.der");
                        write_file(&self.opts.out_dir, &f, &r.body);
                        rec.response_file = Some(f);
                        rec.status = Some(r.status);
                        rec.content_type = r.content_type.clone();
                    }
                    Err(e) => rec.transport_error = Some(e.message.clone()),
                }
                let err_text = reply
                    .as_ref()
                    .err()
                    .map(|e| e.message.clone())
                    .unwrap_or_default();
                let input = ExchangeInput {
                    index: idx,
                    request: &built.der,
                    reply: reply.as_ref().map_err(|_| err_text.as_str()),
                    at,
                    http: rec.http,
                    request_authentic: built.authentic,
                    threegpp,
                };
                let found = check::check_exchange(&self.cfg, &mut self.checks, &input);
                result.findings.extend(found);
                if let Ok(r) = &reply {
                    if let Ok(m) = cmp_codec::PKIMessage::parse(&r.body) {
                        note_response(&mut tx, &m);
                    }
                }
                let judged = judge(reply.as_ref().map_err(|_| err_text.as_str()));
                // Keep the reply for judging.
                let keep = reply.ok();
                self.report.exchanges.push(rec);
                result.exchanges.push(idx);
                if matches!(judged, Judged::Waiting(_))
                    && step.poll.unwrap_or(true)
                    && polls < max_polls
                {
                    if let Some(last) = self.report.exchanges.last_mut() {
                        last.last_of_step = false;
                    }
                    let wait = tx.check_after.clamp(0, max_wait as i64) as u64;
                    if polls > 0 || wait > 0 {
                        std::thread::sleep(Duration::from_secs(wait.min(max_wait)));
                    }
                    polls += 1;
                    is_poll = true;
                    current = Step {
                        send: "pollReq".into(),
                        name: Some(format!("{}-poll", step.file_name())),
                        protection: Some("same".into()),
                        label: step.label.clone(),
                        ..Step::default()
                    };
                    continue;
                }
                if step.send == "certConf"
                    && tx.op_kind == "p10cr"
                    && !tx.p10_retry
                    && self.creds.p10cr_cert_conf_id == 0
                    && step.expect.outcome == crate::check::expect::Outcome::Accept
                    && matches!(judged, Judged::Rejected(..))
                {
                    // P10-04: the published text says 0, an erratum (and OpenSSL) -1.
                    if let Some(last) = self.report.exchanges.last_mut() {
                        last.last_of_step = false;
                        last.retry = true;
                    }
                    result.findings.push(retry_finding(idx, &judged));
                    tx.p10_retry = true;
                    is_poll = false;
                    current = step.clone();
                    current.name = Some(format!("{}-retry", step.file_name()));
                    continue;
                }
                break (Some((judged, keep, err_text)), Some(idx));
            };
            let Some((judged, keep, err_text)) = last_judged else {
                break;
            };
            let mut out = Findings::for_exchange(last_index);
            let expect = effective_expect(step, tx.p10_retry && step.send == "certConf");
            evaluate(
                &mut out,
                &expect,
                default_rule(&step.send),
                keep.as_ref().ok_or(err_text.as_str()),
            );
            if let Some(req) = &last_request {
                crate::check::nested::evaluate_inner(&mut out, step, req, keep.as_ref());
            }
            let missed = out
                .items
                .iter()
                .any(|f| f.rule != "VAL-02" && f.severity > Severity::Info);
            result.findings.extend(out.items);
            if keep.is_none() {
                let what = format!("step {} ({}): no answer: {err_text}", si + 1, step.send);
                if missed {
                    // The silence is the finding; nothing more can be sent.
                    result.note.push_str(&what);
                } else {
                    error = Some(what);
                }
                break;
            }
            if missed && step.expect.outcome == crate::check::expect::Outcome::Accept {
                if si + 1 < s.steps.len() {
                    result.note.push_str(&format!(
                        "steps after {} not run: it was not accepted; ",
                        si + 1
                    ));
                }
                break;
            }
            let _ = judged;
        }
        source.close(s);
        check::apply_known_deviations(&self.cfg, &mut result.findings);
        result.status = Status::from_findings(&result.findings);
        if let Some(e) = error {
            if result.status != Status::Fail {
                result.status = Status::Error;
            }
            result.note.push_str(&e);
        }
        result.duration_ms = t0.elapsed().as_millis() as u64;
        result
    }
}

/// The expectation a step is judged by: after a P10-04 retry, the retried certConf's outcome
/// is only recorded (the server may have ended the operation after the first refusal, as RFC
/// 9483 3.6.4 allows).
pub fn effective_expect(step: &Step, retried: bool) -> crate::check::expect::Expect {
    let mut e = step.expect.clone();
    if retried {
        e.rule = Some("P10-04".into());
        e.info_only = true;
    }
    e
}

/// The note made when a certConf after p10cr with certReqId 0 was refused and retried.
pub fn retry_finding(index: usize, judged: &Judged) -> Finding {
    let what = match judged {
        Judged::Rejected(arm, _, st) => format!("{arm} {st}"),
        other => format!("{other:?}"),
    };
    Finding::new(
        "P10-04",
        Severity::Info,
        format!("certConf with certReqId 0 after p10cr refused ({what}); retried with -1"),
        Some(index),
    )
}

/// Re-check a recorded run: same checks, same expectations, from the saved files.
pub fn replay(report: &RunReport, dir: &Path, cfg: &Config) -> Result<Vec<ScenarioResult>, String> {
    let mut checks = CheckState::default();
    let mut out = Vec::new();
    for sr in &report.scenarios {
        let def = report.definitions.iter().find(|d| d.id == sr.id);
        let mut r = sr.clone();
        r.findings.clear();
        checks.new_scenario();
        let threegpp = sr.suites.iter().any(|x| x == "3gpp");
        for idx in &sr.exchanges {
            let rec = report
                .exchanges
                .iter()
                .find(|e| e.index == *idx)
                .ok_or_else(|| format!("exchange {idx} missing from report.json"))?;
            let req = std::fs::read(dir.join(&rec.request_file))
                .map_err(|e| format!("{}: {e}", rec.request_file))?;
            let reply = match &rec.response_file {
                Some(f) => Some(Reply {
                    status: rec.status.unwrap_or(200),
                    content_type: rec.content_type.clone(),
                    body: std::fs::read(dir.join(f)).map_err(|e| format!("{f}: {e}"))?,
                }),
                None => None,
            };
            let err_text = rec.transport_error.clone().unwrap_or_default();
            let input = ExchangeInput {
                index: rec.index,
                request: &req,
                reply: reply.as_ref().ok_or(err_text.as_str()),
                at: rec.at,
                http: rec.http,
                request_authentic: rec.authentic,
                threegpp,
            };
            r.findings
                .extend(check::check_exchange(cfg, &mut checks, &input));
            if rec.retry {
                r.findings.push(retry_finding(
                    rec.index,
                    &judge(reply.as_ref().ok_or(err_text.as_str())),
                ));
            }
            if rec.last_of_step {
                if let Some(step) = def.and_then(|d| d.steps.get(rec.step)) {
                    let mut f = Findings::for_exchange(Some(rec.index));
                    let retried = report.exchanges.iter().any(|e| {
                        e.scenario == rec.scenario
                            && e.step == rec.step
                            && e.retry
                            && e.index < rec.index
                    });
                    let expect = effective_expect(step, retried);
                    evaluate(
                        &mut f,
                        &expect,
                        default_rule(&step.send),
                        reply.as_ref().ok_or(err_text.as_str()),
                    );
                    crate::check::nested::evaluate_inner(&mut f, step, &req, reply.as_ref());
                    r.findings.extend(f.items);
                }
            }
        }
        check::apply_known_deviations(cfg, &mut r.findings);
        if !matches!(sr.status, Status::NotOffered | Status::Skipped) {
            let st = Status::from_findings(&r.findings);
            r.status = if sr.status == Status::Error && st != Status::Fail {
                Status::Error
            } else {
                st
            };
        }
        out.push(r);
    }
    Ok(out)
}
