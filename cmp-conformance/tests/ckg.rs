//! Central key generation (RFC 9483 4.1.6) against the reference responder, in process: the
//! ckg-* scenarios pass (kari reports only the matrix's WARN for an originatorKey), and each
//! `CKG-*` fault switch of the responder makes the runner report its rule.

mod ckg_util;

use cmp_conformance::check::Severity;
use cmp_conformance::responder::{Config, Fault};
use cmp_conformance::run::Status;

#[test]
fn ckg_scenarios_pass_against_the_reference() {
    let report = ckg_util::run(Config::default(), ckg_util::SCENARIOS);
    assert_eq!(report.scenarios.len(), ckg_util::SCENARIOS.len());
    for s in &report.scenarios {
        assert!(
            matches!(s.status, Status::Pass | Status::Warn),
            "{} {}: {} {:?}",
            s.id,
            s.status.label(),
            s.note,
            s.findings
        );
        for f in &s.findings {
            // The only tolerated finding: the kari originator is an ephemeral key.
            assert!(
                f.rule == "CKG-29" && f.severity == Severity::Warn,
                "{}: {} {:?} {}",
                s.id,
                f.rule,
                f.severity,
                f.seen
            );
        }
    }
    // Every exchange was answered, and the three key management techniques were used.
    let ids: Vec<&str> = report.scenarios.iter().map(|s| s.id.as_str()).collect();
    for want in ["ckg-mac-pwri", "ckg-sig-kari", "ckg-sig-ktri"] {
        assert!(ids.contains(&want), "{want} did not run");
    }
}

#[test]
fn each_ckg_fault_is_reported_under_its_rule() {
    let faults: Vec<Fault> = Fault::ALL
        .iter()
        .copied()
        .filter(|f| f.rule_id().starts_with("CKG-"))
        .collect();
    assert!(faults.len() >= 20, "only {} CKG faults", faults.len());
    let mut missed = Vec::new();
    for f in faults {
        if let Err(e) = ckg_util::reported(f) {
            missed.push(e);
        }
    }
    assert!(
        missed.is_empty(),
        "faults not reported:\n{}",
        missed.join("\n")
    );
}

#[test]
fn not_offered_without_the_feature() {
    let mut p = ckg_util::profile();
    p.features = Some(vec![
        "ir".into(),
        "mac".into(),
        "signature".into(),
        "pvno3".into(),
    ]);
    let report = ckg_util::run_with(&p, Config::default(), &["ckg-mac-pwri"]);
    assert_eq!(report.scenarios.len(), 1);
    assert_eq!(report.scenarios[0].status, Status::NotOffered);
}
