//! Load mode of the runner (`cmp run --load N`): concurrent clients repeating one checked
//! scenario against one shared server.

use std::sync::Arc;
use std::time::Duration;

use cmp_conformance::profile::Profile;
use cmp_conformance::responder::{Config, Fault, Responder};
use cmp_conformance::run::load::{run_load, LoadOptions, SharedResponder};
use cmp_conformance::run::ServerSource;
use cmp_conformance::scenario::{default_dir, load_dir, Scenario};

fn setup() -> (Profile, Scenario) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let profile = Profile::load(&root.join("profiles/reference.toml")).expect("profile");
    let scenario = load_dir(&default_dir())
        .expect("scenarios")
        .into_iter()
        .find(|s| s.id == "ir-sig")
        .expect("ir-sig scenario");
    (profile, scenario)
}

/// A fresh folder under the target directory's tmp (removed first).
fn out_dir(name: &str) -> std::path::PathBuf {
    let d = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "runner-load-{name}-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    let _ = std::fs::remove_dir_all(&d);
    d
}

fn run(
    shared: SharedResponder,
    clients: usize,
    count: usize,
) -> cmp_conformance::run::load::LoadReport {
    let (profile, scenario) = setup();
    let out = out_dir("run");
    let opts = LoadOptions {
        clients,
        count,
        max_time: Duration::from_secs(120),
    };
    run_load(&profile, &scenario, &opts, &out, &|| {
        Ok(Box::new(shared.clone()) as Box<dyn ServerSource + Send>)
    })
    .expect("load run")
}

#[test]
fn concurrent_enrollments_all_pass_against_the_reference_responder() {
    let shared = SharedResponder::reference(64).expect("responder");
    let r = run(shared.clone(), 3, 9);
    assert_eq!((r.done, r.failed), (9, 0), "{}", r.summary());
    assert_eq!(r.latencies.len(), 9);
    assert!(r.percentile(50.0) > Duration::ZERO);
    assert!(r.percentile(50.0) <= r.percentile(99.0));
    assert!(r.per_second() > 0.0);
    let json = r.to_json();
    assert_eq!(json["done"], 9);
    assert_eq!(json["scenario"], "ir-sig");
}

#[test]
fn a_broken_rule_under_load_counts_as_failed_with_its_requirement() {
    let config = Config {
        max_transactions: 64,
        ..Config::with_faults([Fault::Hdr15])
    };
    let shared = SharedResponder(Arc::new(Responder::with_config(config).expect("responder")));
    let r = run(shared, 2, 4);
    assert_eq!((r.done, r.failed), (0, 4), "{}", r.summary());
    let first = r.first_failure.expect("first failure");
    assert!(first.starts_with("FAIL HDR-15"), "{first}");
}

#[test]
fn zero_clients_is_an_error() {
    let (profile, scenario) = setup();
    let shared = SharedResponder::reference(4).expect("responder");
    let opts = LoadOptions {
        clients: 0,
        count: 1,
        max_time: Duration::from_secs(1),
    };
    let out = out_dir("zero");
    let e = run_load(&profile, &scenario, &opts, &out, &|| {
        Ok(Box::new(shared.clone()) as Box<dyn ServerSource + Send>)
    })
    .expect_err("no clients");
    assert!(e.contains("at least one client"), "{e}");
}
