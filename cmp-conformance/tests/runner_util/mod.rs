//! What the runner tests share: the reference profile and the scenarios of the repository, a
//! run against the reference responder in process or over HTTP on 127.0.0.1, the list of
//! failed scenarios for an assertion message, and the replay check.
#![allow(dead_code)] // each test file uses its own subset

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use cmp_conformance::check::Severity;
use cmp_conformance::profile::Profile;
use cmp_conformance::responder::http::HttpServer;
use cmp_conformance::responder::{Config, Responder};
use cmp_conformance::run::{FixedUrl, InProcessReference, RunOptions, RunReport, Runner, Status};
use cmp_conformance::scenario::{load_dir, Scenario};

/// The repository root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// `profiles/reference.toml`.
pub fn reference_profile() -> Profile {
    Profile::load(&root().join("profiles/reference.toml")).expect("reference profile")
}

/// Every scenario of `vectors/scenarios/`.
pub fn scenarios() -> Vec<Scenario> {
    load_dir(&root().join("vectors/scenarios")).expect("scenarios")
}

/// An empty run folder `NAME` under the test target's temporary directory.
pub fn run_dir(name: &str) -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&d);
    d
}

/// Options for a run of `suites` (all when empty), restricted to `only` (all when empty).
pub fn options(suites: &[&str], only: &[&str], dir: &Path) -> RunOptions {
    RunOptions {
        suites: suites.iter().map(|s| s.to_string()).collect(),
        only: only.iter().map(|s| s.to_string()).collect(),
        out_dir: dir.to_path_buf(),
        progress: false,
    }
}

/// Run `only` (every scenario when empty) against the reference responder with `config`, in
/// process, into the run folder `name`.
pub fn run_in_process(config: Config, only: &[&str], name: &str) -> (RunReport, PathBuf) {
    let dir = run_dir(name);
    let profile = reference_profile();
    let runner =
        Runner::new(&profile, options(&[], only, &dir), "in-process".into()).expect("runner");
    let mut source = InProcessReference { config };
    (runner.run_all(&scenarios(), &mut source), dir)
}

/// Run with `opts` against the reference responder with `config` behind HTTP on 127.0.0.1.
pub fn run_over_http(
    profile: &Profile,
    scenarios: &[Scenario],
    config: Config,
    opts: RunOptions,
) -> RunReport {
    let responder = Arc::new(Responder::with_config(config).expect("responder"));
    let server = HttpServer::start("127.0.0.1:0", responder).expect("bind 127.0.0.1:0");
    let url = format!("{}/.well-known/cmp", server.url().trim_end_matches('/'));
    let runner = Runner::new(profile, opts, url.clone()).expect("runner");
    let mut source = FixedUrl {
        url,
        timeout: Duration::from_secs(10),
    };
    let report = runner.run_all(scenarios, &mut source);
    server.stop();
    report
}

/// `ID STATUS: note RULE seen; ...` for every failed or errored scenario, with its FAIL
/// findings.
pub fn failures(report: &RunReport) -> Vec<String> {
    report
        .scenarios
        .iter()
        .filter(|s| matches!(s.status, Status::Fail | Status::Error))
        .map(|s| {
            let f: Vec<String> = s
                .findings
                .iter()
                .filter(|f| f.severity == Severity::Fail)
                .map(|f| format!("{} {}", f.rule, f.seen))
                .collect();
            format!("{} {}: {} {}", s.id, s.status.label(), s.note, f.join("; "))
        })
        .collect()
}

/// Every finding of the run as `RULE SEVERITY seen`, joined by ` | `.
pub fn findings_text(report: &RunReport) -> String {
    let seen: Vec<String> = report
        .findings()
        .iter()
        .map(|(_, f)| format!("{} {} {}", f.rule, f.severity.label(), f.seen))
        .collect();
    seen.join(" | ")
}

/// Write the run folder, read it back and replay it offline: same findings and statuses.
pub fn assert_replays_identically(report: &RunReport, dir: &Path) {
    cmp_conformance::report::write_all(report, dir).expect("write");
    let cfg = cmp_conformance::check::Config::from_profile(&reference_profile()).unwrap();
    let read = cmp_conformance::report::read(dir).expect("read back");
    let again = cmp_conformance::run::replay(&read, dir, &cfg).expect("replay");
    assert_eq!(report.scenarios.len(), again.len());
    for (a, b) in report.scenarios.iter().zip(again.iter()) {
        assert_eq!(a.findings, b.findings, "{}", a.id);
        assert_eq!(a.status, b.status, "{}", a.id);
    }
}
