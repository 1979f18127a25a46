//! The whole suite against the real peer, OpenSSL's mock CA (`openssl cmp -port`, a fresh one
//! per scenario as `profiles/openssl-mock.toml` says), as `cargo xtask conformance --against
//! openssl` runs it: the run must end without a MUST failure, and the deviations it reports
//! must be exactly the ones the profile documents for OpenSSL 3.0 (so each documented
//! deviation is really observed, and nothing else is reported as broken).

mod openssl_util;
mod runner_util;

use std::collections::BTreeSet;

use cmp_conformance::check::Severity;
use cmp_conformance::profile::Profile;
use cmp_conformance::run::{Runner, ServerSource, SpawnedServer, Status};
use runner_util::{failures, options, root, run_dir, scenarios};

#[test]
fn openssl_mock_ca_shows_exactly_its_documented_deviations() {
    if !openssl_util::available("runner_openssl", "cmp") {
        return;
    }
    let profile = Profile::load(&root().join("profiles/openssl-mock.toml")).expect("profile");
    let scenarios = scenarios();
    let dir = run_dir("runner-openssl");
    let mut source =
        SpawnedServer::from_profile(&profile, Some(dir.clone())).expect("[server.spawn]");
    let runner = Runner::new(&profile, options(&[], &[], &dir), source.describe()).expect("runner");
    let report = runner.run_all(&scenarios, &mut source);

    let broken = failures(&report);
    assert!(
        broken.is_empty(),
        "against openssl cmp -port (run folder {}):\n{}",
        dir.display(),
        broken.join("\n")
    );
    assert!(!report.failed());

    let seen: BTreeSet<&str> = report
        .scenarios
        .iter()
        .flat_map(|s| &s.findings)
        .filter(|f| f.severity == Severity::KnownDeviation)
        .map(|f| f.rule.as_str())
        .collect();
    let documented: BTreeSet<&str> = profile
        .known_deviations
        .iter()
        .map(|s| s.as_str())
        .collect();
    assert_eq!(
        seen,
        documented,
        "deviations observed vs documented in profiles/openssl-mock.toml (run folder {})",
        dir.display()
    );
    // The two the issue names: pvno 3 rejected, no /.well-known/cmp path.
    assert!(
        seen.contains("VAL-05") && seen.contains("HTTP-02"),
        "{seen:?}"
    );

    // Most of the suite passes against a real peer, and what it cannot do is NOT-OFFERED.
    let passed = report
        .scenarios
        .iter()
        .filter(|s| matches!(s.status, Status::Pass | Status::Warn))
        .count();
    assert!(
        passed * 2 > report.scenarios.len(),
        "only {passed} of {} scenarios passed",
        report.scenarios.len()
    );
}
