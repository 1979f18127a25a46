//! `cargo xtask vectors [openssl|bc]`: regenerate `vectors/openssl/` with the installed
//! OpenSSL 3.0 `openssl cmp` (client plus in-process mock server) and `vectors/bouncycastle/`
//! with Bouncy Castle's CMP API (see [`bc`]), so that the project's test vectors come from
//! independent CMP implementations rather than from our own code. Without an argument, both.
//! `cargo xtask vectors credentials` only issues the credentials added to the test PKI after
//! it was made (with the existing CAs), leaving every other file alone.

mod bc;
mod capture;
mod catalog;
mod content;
mod der;
mod flows;
mod manifest;
mod message;
mod names;
mod openssl;
mod pki;
mod readme;
mod verify;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::error::{bail, Context, Result};
use openssl::Openssl;

/// Below the output directory; holds enrolled certificates and verification temporaries,
/// removed at the end.
const SCRATCH: &str = "scratch";

pub fn run(args: &[String]) -> Result<()> {
    let (openssl, bc) = match args {
        [] => (true, true),
        [peer] if peer == "openssl" => (true, false),
        [peer] if peer == "bc" => (false, true),
        [what] if what == "credentials" => return add_credentials(),
        _ => {
            bail!("takes no argument (both peers), `openssl`, `bc` or `credentials`; got {args:?}")
        }
    };
    if openssl {
        run_openssl()?;
    }
    if bc {
        bc::run()?;
    }
    Ok(())
}

fn run_openssl() -> Result<()> {
    let started = Instant::now();
    let version = openssl::version()?;
    if !version.starts_with("OpenSSL 3.0.") {
        eprintln!(
            "warning: expected OpenSSL 3.0.x, found `{version}`; flows and probes may differ"
        );
    }
    let out = output_dir();
    reset(&out)?;
    let openssl = Openssl::new(&out);

    eprintln!("vectors: test PKI in {}", out.join(pki::DIR).display());
    pki::build(&openssl).context("building the test PKI")?;

    let flows = catalog::all();
    let mut runs = Vec::new();
    for flow in &flows {
        eprintln!("vectors: flow {}", flow.name);
        let capture =
            capture::run(&openssl, flow).with_context(|| format!("flow {}", flow.name))?;
        runs.push((flow, capture));
    }

    let verifier = verify::Verifier::new(&openssl)?;
    let rows = manifest::rows(&openssl, &verifier, &runs)?;
    manifest::write(&openssl, &rows)?;
    readme::write(&openssl, &version, &runs, &rows)?;
    fs::remove_dir_all(out.join(SCRATCH)).context("removing scratch/")?;

    summary(&out, &runs, &rows, started);
    Ok(())
}

/// `cargo xtask vectors credentials`: issue the credentials of [`pki::ALL`] that
/// `vectors/openssl/credentials/` lacks, leaving the recorded vectors alone.
fn add_credentials() -> Result<()> {
    let out = output_dir();
    let added = pki::add_missing(&Openssl::new(&out)).context("adding credentials")?;
    if added.is_empty() {
        println!("every credential of the test PKI is there");
    } else {
        println!(
            "issued {} in {}",
            added.join(", "),
            out.join(pki::DIR).display()
        );
    }
    Ok(())
}

/// `<workspace>/vectors/openssl`.
fn output_dir() -> PathBuf {
    let xtask = Path::new(env!("CARGO_MANIFEST_DIR"));
    xtask.parent().unwrap_or(xtask).join("vectors/openssl")
}

fn reset(out: &Path) -> Result<()> {
    if out.exists() {
        fs::remove_dir_all(out).with_context(|| format!("removing {}", out.display()))?;
    }
    fs::create_dir_all(out.join(SCRATCH)).with_context(|| format!("creating {}", out.display()))
}

fn summary(
    out: &Path,
    runs: &[(&flows::Flow, capture::Capture)],
    rows: &[manifest::Row],
    started: Instant,
) {
    let mut per_body: BTreeMap<&str, usize> = BTreeMap::new();
    for row in rows {
        *per_body.entry(row.body).or_default() += 1;
    }
    let counts: Vec<String> = per_body.iter().map(|(b, n)| format!("{b} {n}")).collect();
    let probes = runs.iter().filter(|(f, _)| f.probe).count();
    println!(
        "wrote {} DER files from {} flows ({probes} probes refused as expected) to {} in {:.1} s",
        rows.len(),
        runs.len() - probes,
        out.display(),
        started.elapsed().as_secs_f64()
    );
    println!("per body: {}", counts.join(", "));
}
