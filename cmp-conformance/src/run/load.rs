//! Load mode of the runner (`cmp run --load N`): N concurrent clients run one scenario
//! (by default `ir-sig`: a signed ir → ip, certConf → pkiConf) over and over against one
//! server, every exchange checked as in a normal run, and the run reports enrollments per
//! second and latency percentiles. Operators enrol thousands of base stations at once; this
//! tells them what a CA sustains while still answering by the rules.
//!
//! A repetition counts as done when the scenario ends `PASS`, `WARN` or `KNOWN-DEVIATION`
//! (no MUST broken); anything else counts as failed and the first failure is kept.
//! Latency is the wall time of the whole scenario (for `ir-sig`: from building the ir to
//! checking the pkiConf), client-side work included.
//!
//! ```no_run
//! # use std::time::Duration;
//! # use cmp_conformance::profile::Profile;
//! # use cmp_conformance::run::load::{run_load, LoadOptions, SharedResponder};
//! # use cmp_conformance::run::{ServerSource, Transport};
//! let profile = Profile::load("profiles/reference.toml".as_ref())?;
//! let scenarios = cmp_conformance::scenario::load_dir(&cmp_conformance::scenario::default_dir())?;
//! let ir_sig = scenarios.iter().find(|s| s.id == "ir-sig").unwrap();
//! let shared = SharedResponder::reference(1_000)?;
//! let opts = LoadOptions { clients: 4, count: 200, max_time: Duration::from_secs(60) };
//! let report = run_load(&profile, ir_sig, &opts, "target/load".as_ref(), &|| {
//!     Ok(Box::new(shared.clone()) as Box<dyn ServerSource + Send>)
//! })?;
//! println!("{}", report.summary());
//! # Ok::<(), String>(())
//! ```

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::{RunOptions, Runner, ServerSource, Status, Transport};
use crate::endpoint::{Endpoint, Reply, TransportError};
use crate::profile::Profile;
use crate::responder::{Config, Responder};
use crate::scenario::Scenario;

/// Bounds of a load run.
#[derive(Clone, Copy, Debug)]
pub struct LoadOptions {
    /// Concurrent clients (threads), at least 1.
    pub clients: usize,
    /// Repetitions of the scenario over all clients.
    pub count: usize,
    /// No repetition starts after this long.
    pub max_time: Duration,
}

/// What a load run measured.
#[derive(Clone, Debug)]
pub struct LoadReport {
    /// The scenario repeated.
    pub scenario: String,
    /// The options it ran with.
    pub options: LoadOptions,
    /// Repetitions that ended without a broken MUST.
    pub done: usize,
    /// Repetitions that did not.
    pub failed: usize,
    /// The first failure: status and the first FAIL finding or the note.
    pub first_failure: Option<String>,
    /// From the first start to the last end.
    pub wall: Duration,
    /// Latency of every successful repetition, sorted.
    pub latencies: Vec<Duration>,
}

impl LoadReport {
    /// Successful repetitions per second.
    pub fn per_second(&self) -> f64 {
        let s = self.wall.as_secs_f64();
        if s > 0.0 {
            self.done as f64 / s
        } else {
            0.0
        }
    }

    /// Latency percentile `p` (0..=100, nearest rank); zero without successes.
    pub fn percentile(&self, p: f64) -> Duration {
        let n = self.latencies.len();
        if n == 0 {
            return Duration::ZERO;
        }
        let i = ((p.clamp(0.0, 100.0) / 100.0) * (n - 1) as f64).round() as usize;
        self.latencies[i.min(n - 1)]
    }

    /// The terminal summary.
    pub fn summary(&self) -> String {
        let ms = |d: Duration| format!("{:.2} ms", d.as_secs_f64() * 1e3);
        let mut s = format!(
            "load: {} x {} with {} client(s): {} done, {} failed in {:.2} s, {:.1}/s\n\
             latency p50 {}  p90 {}  p99 {}  max {}\n",
            self.options.count,
            self.scenario,
            self.options.clients,
            self.done,
            self.failed,
            self.wall.as_secs_f64(),
            self.per_second(),
            ms(self.percentile(50.0)),
            ms(self.percentile(90.0)),
            ms(self.percentile(99.0)),
            ms(self.percentile(100.0)),
        );
        if let Some(f) = &self.first_failure {
            s.push_str(&format!("first failure: {f}\n"));
        }
        s
    }

    /// `load.json` of the run folder.
    pub fn to_json(&self) -> serde_json::Value {
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        serde_json::json!({
            "scenario": self.scenario,
            "clients": self.options.clients,
            "requested": self.options.count,
            "max_time_s": self.options.max_time.as_secs_f64(),
            "done": self.done,
            "failed": self.failed,
            "first_failure": self.first_failure,
            "wall_s": self.wall.as_secs_f64(),
            "per_second": self.per_second(),
            "latency_ms": {
                "p50": ms(self.percentile(50.0)),
                "p90": ms(self.percentile(90.0)),
                "p99": ms(self.percentile(99.0)),
                "max": ms(self.percentile(100.0)),
            },
        })
    }
}

/// Opens one server source per client.
pub type OpenSource<'a> = dyn Fn() -> Result<Box<dyn ServerSource + Send>, String> + Sync + 'a;

/// Run `scenario` `opts.count` times from `opts.clients` threads; each client records its
/// exchanges under `out_dir/client-N` (overwritten by each repetition).
pub fn run_load(
    profile: &Profile,
    scenario: &Scenario,
    opts: &LoadOptions,
    out_dir: &Path,
    open: &OpenSource<'_>,
) -> Result<LoadReport, String> {
    if opts.clients == 0 {
        return Err("--load needs at least one client".into());
    }
    let next = AtomicUsize::new(0);
    let start = Instant::now();
    let deadline = start + opts.max_time;
    let results: Vec<Result<ClientResult, String>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..opts.clients)
            .map(|i| {
                let next = &next;
                scope.spawn(move || {
                    let mut source = open()?;
                    let dir = out_dir.join(format!("client-{i}"));
                    let creds = crate::client::Creds::from_profile(profile)?;
                    let mut r = ClientResult::default();
                    while next.fetch_add(1, Ordering::Relaxed) < opts.count
                        && Instant::now() < deadline
                    {
                        let t0 = Instant::now();
                        let run_opts = RunOptions {
                            suites: Vec::new(),
                            only: vec![scenario.id.clone()],
                            out_dir: dir.clone(),
                            progress: false,
                        };
                        let runner = Runner::with_creds(
                            profile,
                            run_opts,
                            source.describe(),
                            std::borrow::Cow::Borrowed(&creds),
                        )?;
                        let report = runner.run_all(std::slice::from_ref(scenario), &mut *source);
                        let elapsed = t0.elapsed();
                        match report.scenarios.first() {
                            Some(s) if ok(s.status) => r.latencies.push(elapsed),
                            other => {
                                r.failed += 1;
                                if r.first_failure.is_none() {
                                    r.first_failure = Some(describe_failure(other));
                                }
                            }
                        }
                    }
                    Ok(r)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err("a load client panicked".into()))
            })
            .collect()
    });
    let wall = start.elapsed();
    let mut report = LoadReport {
        scenario: scenario.id.clone(),
        options: *opts,
        done: 0,
        failed: 0,
        first_failure: None,
        wall,
        latencies: Vec::new(),
    };
    for r in results {
        let r = r?;
        report.done += r.latencies.len();
        report.failed += r.failed;
        report.latencies.extend(r.latencies);
        if report.first_failure.is_none() {
            report.first_failure = r.first_failure;
        }
    }
    report.latencies.sort();
    Ok(report)
}

#[derive(Default)]
struct ClientResult {
    latencies: Vec<Duration>,
    failed: usize,
    first_failure: Option<String>,
}

fn ok(status: Status) -> bool {
    matches!(status, Status::Pass | Status::Warn | Status::KnownDeviation)
}

fn describe_failure(s: Option<&super::ScenarioResult>) -> String {
    let Some(s) = s else {
        return "the scenario did not run".into();
    };
    let why = s
        .findings
        .iter()
        .find(|f| f.severity == crate::check::Severity::Fail)
        .map(|f| format!("{} {}: {}", f.rule, f.section, f.seen))
        .unwrap_or_else(|| s.note.clone());
    format!("{} {}", s.status.label(), why)
}

/// One reference responder shared by every client of an in-process load run (the normal
/// in-process source makes a fresh one per scenario).
#[derive(Clone)]
pub struct SharedResponder(pub Arc<Responder>);

impl SharedResponder {
    /// A reference responder that keeps `transactions` open transactions.
    pub fn reference(transactions: usize) -> Result<Self, String> {
        let config = Config {
            max_transactions: transactions,
            ..Config::default()
        };
        Responder::with_config(config)
            .map(|r| SharedResponder(Arc::new(r)))
            .map_err(|e| e.to_string())
    }
}

impl Endpoint for SharedResponder {
    fn exchange(&mut self, path: &str, request: &[u8]) -> Result<Reply, TransportError> {
        let mut r: &Responder = &self.0;
        r.exchange(path, request)
    }
}

impl ServerSource for SharedResponder {
    fn open(&mut self, _s: &Scenario) -> Result<Transport, String> {
        Ok(Transport::InProcess(Box::new(self.clone())))
    }

    fn describe(&self) -> String {
        "reference responder (in process, shared by the load clients)".into()
    }
}
