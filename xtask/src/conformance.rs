//! `cargo xtask conformance`: build the `cmp` tool and run the conformance suites.
//!
//! * no arguments: run every suite against the reference responder, which the
//!   `profiles/reference.toml` profile starts itself (`cmp serve --listen 127.0.0.1:<port>`);
//! * `--server URL --profile FILE`: run against a server that is already up;
//! * `--against openssl`: run against `openssl cmp -port` with `profiles/openssl-mock.toml`,
//!   which starts a fresh mock for every scenario on a free 127.0.0.1 port and stops it after;
//! * `--coverage [--matrix FILE]`: list every scenario with the requirement rows it covers and
//!   the rows of `../shared/spec/rfc9483-requirements.md` that nothing covers.
//!
//! `--suite NAME` (repeatable) and `--out DIR` are passed through. The exit status is non-zero
//! when a MUST failed (known deviations of the profile aside).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::error::{Error, Result};

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

fn usage() -> Error {
    Error::new(
        "usage: cargo xtask conformance [--server URL --profile FILE | --against openssl] \
         [--suite NAME]... [--out DIR] [--coverage [--matrix FILE]]",
    )
}

/// Parse the arguments and run `cmp run` with them.
pub fn run(args: &[String]) -> Result<()> {
    let root = workspace_root();
    let mut server = None;
    let mut profile = None;
    let mut against = None;
    let mut pass: Vec<String> = Vec::new();
    let mut coverage = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| Error::new(format!("{name} needs a value")))
        };
        match a.as_str() {
            "--server" => server = Some(value("--server")?),
            "--profile" => profile = Some(value("--profile")?),
            "--against" => against = Some(value("--against")?),
            "--suite" | "--scenario" | "--out" | "--matrix" => {
                let v = value(a)?;
                pass.push(a.clone());
                pass.push(v);
            }
            "--coverage" => coverage = true,
            "-v" | "--verbose" | "-q" | "--quiet" => pass.push(a.clone()),
            "-h" | "--help" => return Err(usage()),
            other => {
                return Err(Error::new(format!(
                    "unknown argument {other:?}\n{}",
                    usage()
                )))
            }
        }
    }
    let mut cmp_args: Vec<String> = vec!["run".into()];
    if coverage {
        cmp_args.push("--coverage".into());
    } else {
        let profile = match (&against, &server, profile) {
            (Some(a), _, _) if a == "openssl" => {
                if server.is_some() {
                    return Err(Error::new(
                        "--against openssl starts its own servers; leave out --server",
                    ));
                }
                which("openssl")?;
                root.join("profiles/openssl-mock.toml")
                    .display()
                    .to_string()
            }
            (Some(a), _, _) => {
                return Err(Error::new(format!(
                    "--against {a}: only `openssl` is known"
                )))
            }
            (None, Some(_), Some(p)) => p,
            (None, Some(_), None) => return Err(Error::new("--server needs --profile FILE")),
            (None, None, Some(p)) => p,
            (None, None, None) => root.join("profiles/reference.toml").display().to_string(),
        };
        cmp_args.push("--profile".into());
        cmp_args.push(profile);
        if let Some(s) = server {
            cmp_args.push("--server".into());
            cmp_args.push(s);
        }
    }
    cmp_args.extend(pass);
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .current_dir(&root)
        .args([
            "run",
            "--quiet",
            "--package",
            "cmp-conformance",
            "--bin",
            "cmp",
            "--",
        ])
        .args(&cmp_args)
        .status()
        .map_err(|e| Error::new(format!("cannot run cargo: {e}")))?;
    if status.success() {
        Ok(())
    } else {
        Err(Error::new(format!(
            "cmp {} ended with {status}: a MUST failed or a scenario could not run (see the report above)",
            cmp_args.join(" ")
        )))
    }
}

fn which(prog: &str) -> Result<()> {
    let ok = Command::new(prog)
        .arg("version")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if ok {
        Ok(())
    } else {
        Err(Error::new(format!(
            "`{prog}` is not installed (apt-get install {prog})"
        )))
    }
}
