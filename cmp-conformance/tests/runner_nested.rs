//! The RA-role scenarios (nested messages, raVerified) against the reference responder in
//! process: they pass on a healthy responder, replay to the same findings, and each fault
//! switch of a nested-message rule makes the runner report exactly that rule.

mod runner_util;

use cmp_conformance::check::Severity;
use cmp_conformance::responder::{Config, Fault};
use cmp_conformance::run::{Runner, Status};
use cmp_conformance::scenario::Scenario;
use runner_util::{
    assert_replays_identically, findings_text, options, reference_profile, run_dir, run_in_process,
    scenarios,
};

const NESTED: &[&str] = &[
    "nested-single-ra",
    "nested-batch-ra",
    "nested-bad-outer",
    "nested-batch-inner-unprotected",
    "nested-raverified-ra",
    "raverified-by-ra",
];

#[test]
fn nested_scenarios_pass_and_replay_identically() {
    let (report, dir) = run_in_process(Config::default(), NESTED, "runner-nested-all");
    assert_eq!(
        report.scenarios.len(),
        NESTED.len(),
        "every RA scenario ran"
    );
    for s in &report.scenarios {
        assert_eq!(
            s.status,
            Status::Pass,
            "{}: {} {:?}",
            s.id,
            s.note,
            s.findings
        );
        assert!(!s.exchanges.is_empty(), "{} sent nothing", s.id);
    }
    // The batch's inner answers were judged one by one (the genm's GEN-02 expectation, the
    // unprotected ir's RA-38) and checked (the genp's passive checks).
    assert_replays_identically(&report, &dir);
    let _ = std::fs::remove_dir_all(&dir);
}

/// The scenario that shows a nested-message rule.
fn scenario_for(rule: &str) -> &'static str {
    match rule {
        "ERR-08" | "RA-27" | "RA-29" => "nested-bad-outer",
        "RA-30" => "nested-single-ra",
        "RA-38" => "nested-batch-inner-unprotected",
        _ => "nested-batch-ra",
    }
}

#[test]
fn each_nested_fault_is_reported_under_its_rule() {
    let rules = [
        "ERR-08", "RA-27", "RA-29", "RA-30", "RA-34", "RA-35", "RA-36", "RA-38",
    ];
    let mut missed = Vec::new();
    for rule in rules {
        let fault: Fault = rule.parse().expect("a fault switch");
        let scen = scenario_for(rule);
        let name = format!("runner-nested-{rule}");
        let (report, dir) = run_in_process(Config::with_faults([fault]), &[scen], &name);
        let _ = std::fs::remove_dir_all(&dir);
        let hit = report
            .findings()
            .iter()
            .any(|(_, f)| f.rule == rule && matches!(f.severity, Severity::Fail | Severity::Warn));
        if !hit || report.scenarios.iter().all(|s| s.status == Status::Pass) {
            missed.push(format!("{rule} ({scen}): {}", findings_text(&report)));
        }
    }
    assert!(
        missed.is_empty(),
        "faults not reported:\n{}",
        missed.join("\n")
    );
}

#[test]
fn without_the_ra_verified_mode_ra_verified_is_refused() {
    // The responder's default refuses raVerified (badPOP) even from the RA: the scenario then
    // fails under the rule it names, so "not offered" and "broken" stay apart.
    let c = Config {
        accept_ra_verified: false,
        ..Config::default()
    };
    let dir = run_dir("runner-nested-norav");
    let profile = reference_profile();
    let opts = options(&[], &["raverified-by-ra"], &dir);
    let runner = Runner::new(&profile, opts, "in-process".into()).expect("runner");
    // A source that ignores the scenario's server mode.
    struct Plain(Config);
    impl cmp_conformance::run::ServerSource for Plain {
        fn open(&mut self, _s: &Scenario) -> Result<cmp_conformance::run::Transport, String> {
            let r = cmp_conformance::responder::Responder::with_config(self.0.clone())
                .map_err(|e| e.to_string())?;
            Ok(cmp_conformance::run::Transport::InProcess(Box::new(r)))
        }
        fn describe(&self) -> String {
            "plain".into()
        }
    }
    let report = runner.run_all(&scenarios(), &mut Plain(c));
    let _ = std::fs::remove_dir_all(&dir);
    let s = &report.scenarios[0];
    assert_eq!(s.status, Status::Fail);
    assert!(s
        .findings
        .iter()
        .any(|f| f.rule == "RA-09" && f.severity == Severity::Fail));
}
