//! The `openssl` command line for the interop tests: whether a subcommand is there (skipping
//! loudly when it is not, failing instead under `CMP_REQUIRE_ORACLES=1`, which `.ci/run`
//! sets) and running it.
#![allow(dead_code)] // each test file uses its own subset

use std::process::{Command, Stdio};

/// Whether `openssl SUBCOMMAND -help` works. When it does not, `test` panics if
/// `CMP_REQUIRE_ORACLES=1`, else prints `SKIPPED test: ...` and the caller returns.
pub fn available(test: &str, subcommand: &str) -> bool {
    let ok = Command::new("openssl")
        .args([subcommand, "-help"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        if std::env::var("CMP_REQUIRE_ORACLES").as_deref() == Ok("1") {
            panic!(
                "{test}: `openssl {subcommand}` is required (CMP_REQUIRE_ORACLES=1) but not available"
            );
        }
        eprintln!(
            "SKIPPED {test}: `openssl {subcommand}` not available (apt-get install openssl; \
             set CMP_REQUIRE_ORACLES=1 to fail)"
        );
    }
    ok
}

/// Run `openssl ARGS...`: whether it succeeded, and stdout followed by stderr.
pub fn run(args: &[&str]) -> (bool, String) {
    let o = Command::new("openssl")
        .args(args)
        .output()
        .expect("run openssl");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    (o.status.success(), text)
}
