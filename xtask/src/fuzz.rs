//! `cargo xtask fuzz [TARGET...] [--time SECS] [--runs N] [--sanitizer none|address] [--seed-only]`:
//! seed the corpora from the vectors, then run each libFuzzer target for a fixed time (or until
//! N executions, whichever comes first), one after the other (the machines have two cores), and
//! print executions and exec/s per target.
//!
//! It drives `cargo fuzz` (installed from crates.io when missing) on the stable toolchain:
//! with `--sanitizer none` (the default) every flag cargo-fuzz passes is a stable codegen flag
//! (`-Cpasses=sancov-module`, `-Cllvm-args=-sanitizer-coverage-*`); `--sanitizer address`
//! needs `-Zsanitizer`, which stable rustc accepts under `RUSTC_BOOTSTRAP=1`, set here. See
//! fuzz/README.md.
//!
//! A crash, timeout, leak or OOM is copied from `fuzz/artifacts/TARGET/` to
//! `fuzz/regressions/TARGET/`, where `fuzz/targets/tests/corpus_replay.rs` replays it in the normal
//! test suite, and the command fails.

use std::collections::BTreeSet;
use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use crate::error::{bail, Context, Result};

/// Options of one invocation.
#[derive(Debug)]
struct Options {
    targets: Vec<String>,
    time: u64,
    sanitizer: String,
    seed_only: bool,
    max_len: usize,
    /// Stop after this many executions (libFuzzer `-runs`), if given.
    runs: Option<u64>,
}

const USAGE: &str = "usage: cargo xtask fuzz [TARGET...] [--time SECS] [--runs N] [--sanitizer none|address] [--max-len BYTES] [--seed-only] [--list]";

pub fn run(args: &[String]) -> Result<()> {
    let root = workspace_root();
    let fuzz = root.join("fuzz");
    let all = targets(&fuzz)?;
    let Some(opts) = parse_args(args, &all)? else {
        for t in &all {
            println!("{t}");
        }
        return Ok(());
    };

    for t in &opts.targets {
        let n = seed(&root, &fuzz, t)?;
        eprintln!("fuzz: {t}: corpus fuzz/corpus/{t} has {n} inputs after seeding");
    }
    if opts.seed_only {
        return Ok(());
    }
    ensure_cargo_fuzz()?;
    seed_lockfile(&root, &fuzz)?;

    let mut results = Vec::new();
    for t in &opts.targets {
        results.push(run_target(&fuzz, t, &opts)?);
    }
    println!();
    println!(
        "{:<12} {:>12} {:>8} {:>10} {:>8} {:>8}  result",
        "target", "executions", "seconds", "exec/s", "cov", "corpus"
    );
    for r in &results {
        println!(
            "{:<12} {:>12} {:>8} {:>10} {:>8} {:>8}  {}",
            r.target,
            r.execs,
            r.secs,
            r.execs.checked_div(r.secs.max(1)).unwrap_or(0),
            r.cov,
            r.corpus,
            r.outcome
        );
    }
    let failed: Vec<&str> = results
        .iter()
        .filter(|r| r.outcome != "ok")
        .map(|r| r.target.as_str())
        .collect();
    if !failed.is_empty() {
        bail!(
            "{} found a failure; the reproducer is in fuzz/regressions/<target>/ (replayed by `cargo test -p cmp-fuzz-targets --test corpus_replay`)",
            failed.join(", ")
        );
    }
    Ok(())
}

fn workspace_root() -> PathBuf {
    let xtask = Path::new(env!("CARGO_MANIFEST_DIR"));
    xtask.parent().unwrap_or(xtask).to_path_buf()
}

fn parse_args(args: &[String], all: &[String]) -> Result<Option<Options>> {
    let mut opts = Options {
        targets: Vec::new(),
        time: 60,
        sanitizer: "none".into(),
        seed_only: false,
        max_len: 16384,
        runs: None,
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .cloned()
                .with_context(|| format!("{name} needs a value ({USAGE})"))
        };
        match a.as_str() {
            "--list" => return Ok(None),
            "--time" => opts.time = value("--time")?.parse().context("--time SECS")?,
            "--max-len" => opts.max_len = value("--max-len")?.parse().context("--max-len")?,
            "--runs" => opts.runs = Some(value("--runs")?.parse().context("--runs N")?),
            "--sanitizer" | "-s" => opts.sanitizer = value("--sanitizer")?,
            "--seed-only" => opts.seed_only = true,
            "-h" | "--help" => bail!("{USAGE}\ntargets: {}", all.join(", ")),
            t if !t.starts_with('-') && all.iter().any(|x| x == t) => opts.targets.push(t.into()),
            other => bail!(
                "unknown argument `{other}`\n{USAGE}\ntargets: {}",
                all.join(", ")
            ),
        }
    }
    if !matches!(opts.sanitizer.as_str(), "none" | "address") {
        bail!("--sanitizer must be `none` or `address`");
    }
    if opts.targets.is_empty() {
        opts.targets = all.to_vec();
    }
    Ok(Some(opts))
}

/// The `[[bin]]` names of fuzz/Cargo.toml, in order.
fn targets(fuzz: &Path) -> Result<Vec<String>> {
    let manifest = fuzz.join("Cargo.toml");
    let text =
        fs::read_to_string(&manifest).with_context(|| format!("reading {}", manifest.display()))?;
    let mut out = Vec::new();
    let mut in_bin = false;
    for line in text.lines().map(str::trim) {
        if line.starts_with('[') {
            in_bin = line == "[[bin]]";
        } else if in_bin {
            if let Some(v) = line.strip_prefix("name = ") {
                out.push(v.trim_matches('"').to_string());
            }
        }
    }
    if out.is_empty() {
        bail!("no [[bin]] targets in {}", manifest.display());
    }
    Ok(out)
}

/// The third-party vectors: `$CMP_SHARED_VECTORS`, else `../shared/vectors` beside the repo.
pub(crate) fn shared_vectors(root: &Path) -> Option<PathBuf> {
    if let Some(d) = std::env::var_os("CMP_SHARED_VECTORS") {
        return Some(PathBuf::from(d));
    }
    let d = root.join("../shared/vectors");
    d.is_dir().then_some(d)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// Copy the seeds of `target` into fuzz/corpus/TARGET/ (content-addressed, so repeated seeding
/// adds nothing): the repo's vectors, the shared vectors, the committed seeds in
/// fuzz/seeds/TARGET/ and every saved crash in fuzz/regressions/TARGET/. Returns the corpus size.
fn seed(root: &Path, fuzz: &Path, target: &str) -> Result<usize> {
    let corpus = fuzz.join("corpus").join(target);
    fs::create_dir_all(&corpus).with_context(|| format!("creating {}", corpus.display()))?;
    let mut files = Vec::new();
    walk(&root.join("vectors"), &mut files);
    match shared_vectors(root) {
        Some(d) => walk(&d, &mut files),
        None => eprintln!(
            "fuzz: SKIPPED seeding from the shared vectors: set CMP_SHARED_VECTORS=../shared/vectors"
        ),
    }
    // The inspect target reads PEM and base64 too; the others want DER.
    let exts: &[&str] = if target == "inspect" {
        &["der", "bin", "pkimessage", "pem", "txt"]
    } else {
        &["der", "bin", "pkimessage"]
    };
    files.retain(|p| {
        p.extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| exts.contains(&e))
    });
    walk(&fuzz.join("seeds").join(target), &mut files);
    walk(&fuzz.join("regressions").join(target), &mut files);
    let mut seen = BTreeSet::new();
    for p in files {
        let data = fs::read(&p).with_context(|| format!("reading {}", p.display()))?;
        let name = format!("seed-{:016x}", fnv1a(&data));
        if seen.insert(name.clone()) {
            let dest = corpus.join(&name);
            if !dest.exists() {
                fs::write(&dest, &data).with_context(|| format!("writing {}", dest.display()))?;
            }
        }
    }
    Ok(fs::read_dir(&corpus).map(|d| d.count()).unwrap_or(0))
}

/// FNV-1a, 64 bits: a stable content name for seed files without a hashing dependency.
fn fnv1a(data: &[u8]) -> u64 {
    data.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// fuzz/ is a workspace of its own (cargo-fuzz's layout); start its Cargo.lock from the main
/// one so that the fuzzed code is built with the same dependency versions as the tests.
fn seed_lockfile(root: &Path, fuzz: &Path) -> Result<()> {
    let lock = fuzz.join("Cargo.lock");
    if !lock.exists() {
        fs::copy(root.join("Cargo.lock"), &lock).context("copying Cargo.lock to fuzz/")?;
    }
    Ok(())
}

fn ensure_cargo_fuzz() -> Result<()> {
    let ok = Command::new("cargo")
        .args(["fuzz", "--version"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if ok {
        return Ok(());
    }
    eprintln!("fuzz: cargo-fuzz is missing: cargo install cargo-fuzz --locked");
    let status = Command::new("cargo")
        .args(["install", "cargo-fuzz", "--locked"])
        .status()
        .context("running cargo install cargo-fuzz")?;
    if !status.success() {
        bail!("cargo install cargo-fuzz failed with {status}");
    }
    Ok(())
}

struct RunResult {
    target: String,
    execs: u64,
    secs: u64,
    cov: u64,
    corpus: u64,
    outcome: String,
}

/// Run one target for `opts.time` seconds; its libFuzzer log goes to
/// fuzz/artifacts/TARGET/last-run.log, progress lines (`pulse`, `DONE`, errors) to stderr.
fn run_target(fuzz: &Path, target: &str, opts: &Options) -> Result<RunResult> {
    let artifacts = fuzz.join("artifacts").join(target);
    fs::create_dir_all(&artifacts).with_context(|| format!("creating {}", artifacts.display()))?;
    let before = artifact_files(&artifacts);
    let mut cmd = Command::new("cargo");
    cmd.current_dir(fuzz).args([
        "fuzz",
        "run",
        target,
        "--sanitizer",
        &opts.sanitizer,
        &format!("corpus/{target}"),
        "--",
        &format!("-max_total_time={}", opts.time),
        "-timeout=10",
        "-rss_limit_mb=2048",
        &format!("-max_len={}", opts.max_len),
        "-print_final_stats=1",
    ]);
    if let Some(n) = opts.runs {
        cmd.arg(format!("-runs={n}"));
    }
    if opts.sanitizer != "none" {
        // -Zsanitizer on the stable toolchain.
        cmd.env("RUSTC_BOOTSTRAP", "1");
    }
    // RustCrypto's arithmetic without coverage instrumentation (see rustc_wrapper.rs).
    let me = std::env::current_exe().context("locating the xtask executable")?;
    cmd.env("RUSTC_WRAPPER", me)
        .env(crate::rustc_wrapper::ENV, "1");
    cmd.stderr(Stdio::piped()).stdout(Stdio::inherit());
    eprintln!(
        "fuzz: {target}: cargo fuzz run {target} --sanitizer {} for {} s",
        opts.sanitizer, opts.time
    );
    let started = Instant::now();
    let mut child = cmd.spawn().context("running cargo fuzz")?;
    let log_path = artifacts.join("last-run.log");
    let mut log =
        fs::File::create(&log_path).with_context(|| format!("creating {}", log_path.display()))?;
    let (mut execs, mut cov, mut corpus, mut secs) = (0u64, 0u64, 0u64, 0u64);
    if let Some(stderr) = child.stderr.take() {
        for line in BufReader::new(stderr).lines() {
            let line = line.context("reading cargo fuzz output")?;
            writeln!(log, "{line}").context("writing the log")?;
            if let Some(n) = stat(&line, "stat::number_of_executed_units:") {
                execs = n;
            }
            if let Some(rest) = line.strip_prefix("Done ") {
                // "Done 123456 runs in 61 second(s)"
                let mut w = rest.split_whitespace();
                execs = w.next().and_then(|n| n.parse().ok()).unwrap_or(execs);
                secs = w.nth(2).and_then(|n| n.parse().ok()).unwrap_or(secs);
            }
            if line.starts_with('#') {
                cov = field(&line, "cov:").unwrap_or(cov);
                corpus = field(&line, "corp:").unwrap_or(corpus);
                if !(line.contains("pulse") || line.contains("DONE") || line.contains("INITED")) {
                    continue;
                }
            }
            eprintln!("{line}");
        }
    }
    let status = child.wait().context("waiting for cargo fuzz")?;
    if secs == 0 {
        secs = started.elapsed().as_secs();
    }
    let mut outcome = "ok".to_string();
    if !status.success() {
        let new: Vec<PathBuf> = artifact_files(&artifacts)
            .into_iter()
            .filter(|p| !before.contains(p))
            .collect();
        if new.is_empty() {
            bail!(
                "cargo fuzz run {target} failed with {status} and left no artifact; see {}",
                log_path.display()
            );
        }
        let dest = fuzz.join("regressions").join(target);
        fs::create_dir_all(&dest).with_context(|| format!("creating {}", dest.display()))?;
        for p in &new {
            let to = dest.join(p.file_name().unwrap_or_default());
            fs::copy(p, &to).with_context(|| format!("copying {}", p.display()))?;
            eprintln!("fuzz: {target}: saved {}", to.display());
        }
        outcome = format!("FAILED ({status}), {} reproducer(s) saved", new.len());
    }
    Ok(RunResult {
        target: target.into(),
        execs,
        secs,
        cov,
        corpus,
        outcome,
    })
}

/// The crash-/timeout-/leak-/oom- files libFuzzer wrote.
fn artifact_files(dir: &Path) -> BTreeSet<PathBuf> {
    let mut files = Vec::new();
    walk(dir, &mut files);
    files
        .into_iter()
        .filter(|p| {
            p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                ["crash-", "timeout-", "leak-", "oom-", "slow-unit-"]
                    .iter()
                    .any(|k| n.starts_with(k))
            })
        })
        .collect()
}

/// `stat::number_of_executed_units: 123` -> 123.
fn stat(line: &str, key: &str) -> Option<u64> {
    line.strip_prefix(key)?.trim().parse().ok()
}

/// `#1234 pulse cov: 567 ft: ...` -> the number after `key`.
fn field(line: &str, key: &str) -> Option<u64> {
    let mut w = line.split_whitespace();
    w.find(|x| *x == key)?;
    let v = w.next()?;
    v.split(|c: char| !c.is_ascii_digit()).next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_libfuzzer_lines() {
        let l = "#524288\tpulse  cov: 2345 ft: 9876 corp: 321/45Kb lim: 4096 exec/s: 17476";
        assert_eq!(field(l, "cov:"), Some(2345));
        assert_eq!(field(l, "corp:"), Some(321));
        assert_eq!(
            stat(
                "stat::number_of_executed_units: 42",
                "stat::number_of_executed_units:"
            ),
            Some(42)
        );
    }

    #[test]
    fn parses_time_and_runs() {
        let all = vec!["parse".to_string(), "verify".to_string()];
        let args: Vec<String> = ["verify", "--time", "7200", "--runs", "10000000"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let o = parse_args(&args, &all).unwrap().unwrap();
        assert_eq!(o.targets, vec!["verify".to_string()]);
        assert_eq!((o.time, o.runs), (7200, Some(10_000_000)));
        let o = parse_args(&[], &all).unwrap().unwrap();
        assert_eq!((o.targets.len(), o.time, o.runs), (2, 60, None));
        assert!(parse_args(&["--runs".to_string(), "x".to_string()], &all).is_err());
    }

    #[test]
    fn lists_the_fuzz_targets() {
        let t = targets(&workspace_root().join("fuzz")).unwrap();
        assert!(t.contains(&"parse".to_string()) && t.contains(&"roundtrip".to_string()));
    }
}
