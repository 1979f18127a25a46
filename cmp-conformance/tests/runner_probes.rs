//! Negative probes must catch a server that lets the bad request through: for every fault
//! switch of the reference responder whose rule a scenario step probes (the step's
//! `expect.rule`), the scenario run against a responder with that fault reports the rule.
//! (Passive response checks are covered by `runner_reference.rs`.)

mod runner_util;

use cmp_conformance::responder::{Config, Fault};
use cmp_conformance::run::{InProcessReference, Runner, Status};
use cmp_conformance::scenario::Scenario;
use runner_util::{options, reference_profile, run_dir, run_over_http, scenarios};

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

#[test]
fn every_probed_rule_is_reported_when_the_responder_breaks_it() {
    let profile = reference_profile();
    let scenarios = scenarios();
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
        let dir = run_dir(&format!("runner-probes-{rule}"));
        let only: Vec<&str> = probes.iter().map(|s| s.id.as_str()).collect();
        let opts = options(&[], &only, &dir);
        let mut source = InProcessReference {
            config: Config::with_faults([*fault]),
        };
        let runner = Runner::new(&profile, opts, "in-process".into()).expect("runner");
        let mut report = runner.run_all(&scenarios, &mut source);
        // HTTP shape probes are SKIPPED in process: run those over HTTP.
        let over_http: Vec<&str> = report
            .scenarios
            .iter()
            .filter(|s| s.status == Status::Skipped)
            .map(|s| s.id.as_str())
            .collect();
        if !over_http.is_empty() {
            let opts = options(&[], &over_http, &dir);
            let config = Config::with_faults([*fault]);
            report = run_over_http(&profile, &scenarios, config, opts);
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
