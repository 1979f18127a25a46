//! xtask as cargo's `RUSTC_WRAPPER` for the fuzz builds: RustCrypto's arithmetic crates are
//! compiled without sanitizer-coverage instrumentation.
//!
//! cargo-fuzz instruments every crate (`-Cpasses=sancov-module` and the
//! `-Cllvm-args=-sanitizer-coverage-*` options in `RUSTFLAGS`). In the field and big-integer
//! code of p256, rsa, crypto-bigint, ML-DSA and the hashes that only makes each signature
//! verification several times dearer (every comparison goes through
//! `__sanitizer_cov_trace_cmp8`) and feeds libFuzzer edges that say nothing about our code:
//! the constant-time arithmetic takes the same paths for every input. Without it the `verify`
//! target runs 1.6x as many executions per CPU-second. The same crates are built without
//! overflow checks and debug assertions, which `fuzz/Cargo.toml`'s release profile turns on
//! everywhere else (rustc takes the last `-C` value). Everything that parses (asn1, der, spki,
//! pkcs1/pkcs8, x509-cert, cms, const-oid) and all of our crates stay instrumented and checked.
//!
//! `cargo xtask fuzz` sets `RUSTC_WRAPPER` to its own executable and [`ENV`]; `main` then
//! comes here before looking at the command line. cargo calls the wrapper as
//! `WRAPPER RUSTC ARGS...`.

use std::ffi::OsString;
use std::process::{Command, ExitCode};

/// Set in the environment of `cargo fuzz` so that xtask, started as the rustc wrapper, knows
/// its role.
pub const ENV: &str = "CMP_XTASK_RUSTC_WRAPPER";

/// Crates (`--crate-name`, so with underscores) built without coverage instrumentation,
/// overflow checks and debug assertions.
pub const UNINSTRUMENTED: &[&str] = &[
    "block_buffer",
    "crypto_bigint",
    "crypto_common",
    "curve25519_dalek",
    "digest",
    "ecdsa",
    "ed25519_dalek",
    "elliptic_curve",
    "ff",
    "group",
    "hmac",
    "hybrid_array",
    "keccak",
    "ml_dsa",
    "ml_kem",
    "module_lattice",
    "p256",
    "p384",
    "p521",
    "primeorder",
    "rsa",
    "sha1",
    "sha2",
    "sha3",
    "signature",
    "subtle",
];

/// Run rustc (the first argument) with the rest, without the coverage flags and checks when
/// the crate is one of [`UNINSTRUMENTED`].
pub fn main() -> ExitCode {
    let mut args = std::env::args_os().skip(1);
    let Some(rustc) = args.next() else {
        eprintln!("xtask as RUSTC_WRAPPER: no rustc given");
        return ExitCode::from(2);
    };
    let args = filter(args.collect());
    match Command::new(&rustc).args(&args).status() {
        Ok(s) => match s.code() {
            Some(0) => ExitCode::SUCCESS,
            Some(c) => ExitCode::from(u8::try_from(c).unwrap_or(1)),
            None => ExitCode::FAILURE,
        },
        Err(e) => {
            eprintln!("xtask as RUSTC_WRAPPER: cannot run {rustc:?}: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The arguments for rustc: unchanged, or for the listed crates without the coverage flags
/// and with overflow checks and debug assertions switched off.
fn filter(args: Vec<OsString>) -> Vec<OsString> {
    let crate_name = args
        .windows(2)
        .find(|w| w[0] == "--crate-name")
        .and_then(|w| w[1].to_str());
    if !crate_name.is_some_and(|c| UNINSTRUMENTED.contains(&c)) {
        return args;
    }
    args.into_iter()
        .filter(|a| {
            let a = a.to_string_lossy();
            a != "-Cpasses=sancov-module" && !a.starts_with("-Cllvm-args=-sanitizer-coverage")
        })
        .chain([
            "-Coverflow-checks=off".into(),
            "-Cdebug-assertions=off".into(),
        ])
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(v: &[&str]) -> Vec<OsString> {
        v.iter().map(OsString::from).collect()
    }

    const FLAGS: [&str; 4] = [
        "-Cpasses=sancov-module",
        "-Cllvm-args=-sanitizer-coverage-level=4",
        "-Cllvm-args=-sanitizer-coverage-trace-compares",
        "--cfg",
    ];

    #[test]
    fn strips_coverage_only_for_listed_crates() {
        let mut p256 = os(&["--crate-name", "p256", "src/lib.rs"]);
        p256.extend(os(&FLAGS));
        p256.push("fuzzing".into());
        assert_eq!(
            filter(p256),
            os(&[
                "--crate-name",
                "p256",
                "src/lib.rs",
                "--cfg",
                "fuzzing",
                "-Coverflow-checks=off",
                "-Cdebug-assertions=off"
            ])
        );
        let mut ours = os(&["--crate-name", "cmp_codec", "src/lib.rs"]);
        ours.extend(os(&FLAGS));
        assert_eq!(filter(ours.clone()), ours);
        let mut der = os(&["--crate-name", "der"]);
        der.extend(os(&FLAGS));
        assert_eq!(filter(der.clone()), der);
    }
}
