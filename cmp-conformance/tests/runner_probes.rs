//! Negative probes must catch a server that lets the bad request through: for every fault
//! switch of the reference responder whose rule a scenario step probes (the step's
//! `expect.rule`), the scenario run against a responder with that fault reports the rule.
//! (Passive response checks are covered by `runner_reference.rs`.)

use std::path::{Path, PathBuf};

use cmp_conformance::profile::Profile;
use cmp_conformance::responder::{Config, Fault};
use cmp_conformance::run::{FixedUrl, InProcessReference, RunOptions, RunReport, Runner, Status};
use cmp_conformance::scenario::{load_dir, Scenario};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The scenarios whose steps charge `rule` (as `expect.rule` or `expect.body_rule`).
fn probes_for<'a>(scenarios: &'a [Scenario], rule: &str) -> Vec<&'a Scenario> {
    scenarios
        .iter()
        .filter(|s| {
            s.steps.iter().any(|st| {
                st.expect.rule.as_deref() == Some(rule)
                    || st.expect.body_rule.as_deref() == Some(rule)
            })
        })
        .collect()
}

/// Run `only` against the reference responder with `fault` behind HTTP on 127.0.0.1.
fn run_over_http(
    profile: &Profile,
    scenarios: &[Scenario],
    fault: Fault,
    only: Vec<String>,
    dir: &Path,
) -> RunReport {
    use cmp_conformance::responder::http::HttpServer;
    use cmp_conformance::responder::Responder;
    let responder = Responder::with_config(Config::with_faults([fault])).expect("responder");
    let server = HttpServer::start("127.0.0.1:0", std::sync::Arc::new(responder)).expect("bind");
    let url = format!("{}/.well-known/cmp", server.url().trim_end_matches('/'));
    let opts = RunOptions {
        suites: vec![],
        only,
        out_dir: dir.to_path_buf(),
        progress: false,
    };
    let runner = Runner::new(profile, opts, url.clone()).expect("runner");
    let mut source = FixedUrl {
        url,
        timeout: std::time::Duration::from_secs(10),
    };
    let report = runner.run_all(scenarios, &mut source);
    server.stop();
    report
}

#[test]
fn every_probed_rule_is_reported_when_the_responder_breaks_it() {
    let profile = Profile::load(&root().join("profiles/reference.toml")).expect("profile");
    let scenarios = load_dir(&root().join("vectors/scenarios")).expect("scenarios");
    let mut checked = Vec::new();
    let mut missed = Vec::new();
    for fault in Fault::ALL {
        let rule = fault.rule_id();
        if cmp_conformance::check::PASSIVE_RULES.contains(&rule) {
            continue; // runner_reference.rs
        }
        let probes = probes_for(&scenarios, rule);
        if probes.is_empty() {
            continue;
        }
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("runner-probes-{rule}"));
        let _ = std::fs::remove_dir_all(&dir);
        let opts = RunOptions {
            suites: vec![],
            only: probes.iter().map(|s| s.id.clone()).collect(),
            out_dir: dir.clone(),
            progress: false,
        };
        let mut source = InProcessReference {
            config: Config::with_faults([*fault]),
        };
        let runner = Runner::new(&profile, opts, "in-process".into()).expect("runner");
        let mut report = runner.run_all(&scenarios, &mut source);
        // HTTP shape probes are SKIPPED in process: run those over HTTP.
        let over_http: Vec<String> = report
            .scenarios
            .iter()
            .filter(|s| s.status == Status::Skipped)
            .map(|s| s.id.clone())
            .collect();
        if !over_http.is_empty() {
            report = run_over_http(&profile, &scenarios, *fault, over_http, &dir);
        }
        let _ = std::fs::remove_dir_all(&dir);
        checked.push(rule);
        if !report.findings().iter().any(|(_, f)| f.rule == rule) {
            let seen: Vec<String> = report
                .findings()
                .iter()
                .map(|(_, f)| format!("{} {}", f.rule, f.seen))
                .collect();
            let ids: Vec<&str> = probes.iter().map(|s| s.id.as_str()).collect();
            missed.push(format!("{rule} ({}): {}", ids.join(", "), seen.join(" | ")));
        }
    }
    assert!(
        checked.len() >= 20,
        "only {} probes checked: {checked:?}",
        checked.len()
    );
    assert!(
        missed.is_empty(),
        "probes that did not report their rule with the fault on:\n{}",
        missed.join("\n")
    );
}
