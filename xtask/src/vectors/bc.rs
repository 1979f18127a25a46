//! `cargo xtask vectors bc`: regenerate `vectors/bouncycastle/` with Bouncy Castle, a second
//! CMP implementation independent of both OpenSSL and our codec.
//!
//! `xtask/java/BcVectors.java` is compiled against the Debian BC jars and run: it creates a
//! test PKI, plays client and CA/RA through scripted transactions with BC's
//! `org.bouncycastle.cert.cmp` / `cert.crmf` / `asn1.cmp` API, writes every PKIMessage, reads
//! it back and checks it with BC (re-parse, protection, POPO, certHash, ...), and reports
//! what it wrote. This side then reads each file itself: the body from the second TLV, the
//! protection re-verified with plain `openssl` against the credential BC reported, and writes
//! `MANIFEST.tsv` (same columns as `vectors/openssl/`) and `README.md`.

#[path = "bc_java.rs"]
mod java;
#[path = "bc_manifest.rs"]
mod manifest;
#[path = "bc_readme.rs"]
mod readme;
#[path = "bc_report.rs"]
mod report;
#[path = "bc_verify.rs"]
mod verify;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use super::flows::{PBM_REF, PBM_SECRET};
use super::openssl::Openssl;
use crate::error::{Context, Result};

/// The directory this command owns, below `vectors/`.
const DIR: &str = "bouncycastle";

pub fn run() -> Result<()> {
    let started = Instant::now();
    let tools = java::Tools::find()?;
    let out = output_dir();
    if out.exists() {
        fs::remove_dir_all(&out).with_context(|| format!("removing {}", out.display()))?;
    }
    fs::create_dir_all(&out).with_context(|| format!("creating {}", out.display()))?;
    let scratch = Scratch::new()?;

    eprintln!("vectors: compiling {}", java::SOURCE);
    tools.compile(&scratch.path.join("classes"))?;
    eprintln!("vectors: running BcVectors into {}", out.display());
    let report_dir = scratch.path.join("report");
    tools.run(&scratch.path.join("classes"), &out, &report_dir)?;
    let report = report::Report::read(&report_dir)?;

    let openssl = Openssl::new(&out);
    let verifier = verify::Verifier::new(&openssl, &scratch.path);
    let rows = manifest::rows(&openssl, &verifier, &report)?;
    super::manifest::write(&openssl, &rows)?;
    readme::write(&openssl, &tools, &report, &rows)?;

    let mut per_body: BTreeMap<&str, usize> = BTreeMap::new();
    for row in &rows {
        *per_body.entry(row.body).or_default() += 1;
    }
    let counts: Vec<String> = per_body.iter().map(|(b, n)| format!("{b} {n}")).collect();
    println!(
        "wrote {} DER files from {} flows to {} in {:.1} s",
        rows.len(),
        report.flows.len(),
        out.display(),
        started.elapsed().as_secs_f64()
    );
    println!("per body: {}", counts.join(", "));
    Ok(())
}

/// `<workspace>/vectors/bouncycastle`.
fn output_dir() -> PathBuf {
    let xtask = Path::new(env!("CARGO_MANIFEST_DIR"));
    xtask.parent().unwrap_or(xtask).join("vectors").join(DIR)
}

/// The shared secret and senderKID of the PBM and PBMAC1 flows: the OpenSSL ones.
fn secret() -> (&'static str, &'static str) {
    (PBM_SECRET, PBM_REF)
}

/// A temporary directory (classes, reports, verification files), removed when dropped.
struct Scratch {
    path: PathBuf,
}

impl Scratch {
    fn new() -> Result<Self> {
        let path = std::env::temp_dir().join(format!("xtask-bc-vectors-{}", std::process::id()));
        if path.exists() {
            fs::remove_dir_all(&path).with_context(|| format!("removing {}", path.display()))?;
        }
        fs::create_dir_all(&path).with_context(|| format!("creating {}", path.display()))?;
        Ok(Scratch { path })
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.path);
    }
}
