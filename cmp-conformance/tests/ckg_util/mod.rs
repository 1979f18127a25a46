//! Shared by `tests/ckg.rs` and `tests/responder_faults.rs`: run the central key generation
//! scenarios against the in-process reference responder with one `CKG-*` fault switch on, and
//! tell whether the runner reported the switch's rule.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use cmp_conformance::check::Severity;
use cmp_conformance::profile::Profile;
use cmp_conformance::responder::{Config, Fault};
use cmp_conformance::rules::Level;
use cmp_conformance::run::{InProcessReference, RunOptions, RunReport, Runner};
use cmp_conformance::scenario::load_dir;

/// The central key generation scenarios.
pub const SCENARIOS: &[&str] = &[
    "ckg-mac-pwri",
    "ckg-sig-kari",
    "ckg-sig-ktri",
    "ckg-pvno2",
    "ckg-key-usage",
];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The reference profile.
pub fn profile() -> Profile {
    Profile::load(&root().join("profiles/reference.toml")).expect("reference profile")
}

/// Run `only` with the reference profile against a responder with `config`.
pub fn run(config: Config, only: &[&str]) -> RunReport {
    run_with(&profile(), config, only)
}

/// Run `only` with profile `p` against a responder with `config`.
pub fn run_with(p: &Profile, config: Config, only: &[&str]) -> RunReport {
    let dir = std::env::temp_dir().join(format!(
        "cmp-ckg-test-{}-{}",
        std::process::id(),
        only.join("+")
    ));
    let report = run_in(p, config, only, &dir);
    let _ = std::fs::remove_dir_all(&dir);
    report
}

/// Run `only` with profile `p` against a responder with `config`, keeping the run folder
/// `dir` (every request and response DER).
pub fn run_in(p: &Profile, config: Config, only: &[&str], dir: &Path) -> RunReport {
    let dir = dir.to_path_buf();
    let _ = std::fs::remove_dir_all(&dir);
    let opts = RunOptions {
        suites: vec![],
        only: only.iter().map(|s| s.to_string()).collect(),
        out_dir: dir.clone(),
        progress: false,
    };
    let scenarios = load_dir(&root().join("vectors/scenarios")).expect("scenarios");
    let runner = Runner::new(p, opts, "in-process".into()).expect("runner");
    runner.run_all(&scenarios, &mut InProcessReference { config })
}

/// The scenario that shows a CKG fault.
pub fn scenario_for(f: Fault) -> &'static str {
    match f.rule_id() {
        "CKG-05" => "ckg-pvno2",
        "CKG-26" | "CKG-28" => "ckg-key-usage",
        "CKG-09" | "CKG-12" | "CKG-29" | "CKG-30" => "ckg-sig-kari",
        "CKG-27" => "ckg-sig-ktri",
        _ => "ckg-mac-pwri",
    }
}

/// Ok when a run with only `f` on reports `f`'s rule (at FAIL or WARN for a MUST, at least
/// WARN for a SHOULD); otherwise what was reported.
pub fn reported(f: Fault) -> Result<(), String> {
    let rule = f.rule_id();
    let scen = scenario_for(f);
    let report = run(Config::with_faults([f]), &[scen]);
    let level = cmp_conformance::rules::rule(rule).map(|r| r.level);
    let hit = report.findings().iter().any(|(_, x)| {
        x.rule == rule
            && match level {
                Some(Level::Must) => x.severity == Severity::Fail,
                _ => matches!(x.severity, Severity::Fail | Severity::Warn),
            }
    });
    if hit {
        return Ok(());
    }
    let seen: Vec<String> = report
        .findings()
        .iter()
        .map(|(_, x)| format!("{} {:?} {}", x.rule, x.severity, x.seen))
        .collect();
    Err(format!("{rule} ({scen}): {}", seen.join(" | ")))
}
