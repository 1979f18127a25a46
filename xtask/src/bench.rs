//! `cargo xtask bench [--quick] [--skip STEP,..] [--only STEP,..] [--wait-load LOAD]
//! [--max-wait SECS] [-- CRITERION_ARGS]`: run every benchmark of `benches/` and write
//! `benches/RESULTS.md`.
//!
//! Steps, in order (names for `--skip` / `--only`):
//!
//! * `criterion`: `cargo bench` of benches/ (`benches/benches/codec.rs`): timings of ours,
//!   cmpv2, OpenSSL and the bare primitives. The `openssl` feature is turned on when
//!   `/usr/include/openssl/cmp.h` exists (Debian `libssl-dev`).
//! * `alloc`: allocations per operation (`cmp-bench alloc`).
//! * `permsg`: every vector message parsed on its own by ours, cmpv2, OpenSSL and the TLV walk
//!   (`cmp-bench permsg`, the parsers interleaved), for the per-size-class medians; Bouncy
//!   Castle's side runs in `bc`. The third-party messages of `$CMP_SHARED_VECTORS` (else
//!   `../shared/vectors` beside the repo) are measured too, as their own table; without
//!   them the report says they were not measured.
//! * `callgrind`: instructions per operation under `valgrind --tool=callgrind`, stable on a
//!   busy machine (skipped without valgrind; the scale axes only without `--quick`).
//! * `bc`: Bouncy Castle 1.72 timings (`java`, Debian's bcprov/bcpkix/bcutil jars: `apt-get
//!   install libbcprov-java libbcpkix-java libbcutil-java`; without them the step is skipped
//!   with a note and the Bouncy Castle columns stay empty).
//! * `load`: concurrent ir/ip/certConf enrollments against the reference responder, in
//!   process and over HTTP on 127.0.0.1.
//! * `suite`: wall time of `cmp run --profile profiles/reference.toml` (the full built-in
//!   suite against `cmp serve`).
//! * `report`: `benches/RESULTS.md` from all of the above.
//!
//! A run of every step starts from empty output directories; a partial run (`--only`, `--skip`,
//! criterion arguments) re-measures what it names and keeps the rest, so that, for example,
//! `cargo xtask bench --quick --only criterion,report -- parse/small` redoes one noisy group and
//! the report keeps every other number.
//!
//! The machine has two cores shared with other work: `--wait-load 1.0` waits (up to
//! `--max-wait`, default 1800 s) until the one-minute load average is below 1.0 before
//! measuring; the load before and after is written into the report either way.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::error::{bail, Context, Result};

const STEPS: [&str; 8] = [
    "criterion",
    "alloc",
    "permsg",
    "callgrind",
    "bc",
    "load",
    "suite",
    "report",
];

const USAGE: &str = "usage: cargo xtask bench [--quick] [--skip STEP,..] [--only STEP,..] \
                     [--wait-load LOAD] [--max-wait SECS] [-- CRITERION_ARGS]\n\
                     steps: criterion, alloc, permsg, callgrind, bc, load, suite, report";

#[derive(Debug)]
struct Options {
    quick: bool,
    steps: Vec<&'static str>,
    wait_load: Option<f64>,
    max_wait: u64,
    criterion_args: Vec<String>,
}

fn parse_args(args: &[String]) -> Result<Options> {
    let mut o = Options {
        quick: false,
        steps: STEPS.to_vec(),
        wait_load: None,
        max_wait: 1800,
        criterion_args: Vec::new(),
    };
    let steps = |list: &str| -> Result<Vec<&'static str>> {
        list.split(',')
            .map(|s| match STEPS.iter().find(|n| **n == s.trim()) {
                Some(n) => Ok(*n),
                None => bail!("unknown step {s:?}\n{USAGE}"),
            })
            .collect()
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--quick" => o.quick = true,
            "--skip" => {
                let skip = steps(it.next().context("--skip")?)?;
                o.steps.retain(|s| !skip.contains(s));
            }
            "--only" => o.steps = steps(it.next().context("--only")?)?,
            "--wait-load" => {
                o.wait_load = Some(
                    it.next()
                        .context("--wait-load")?
                        .parse()
                        .context("--wait-load")?,
                )
            }
            "--max-wait" => {
                o.max_wait = it
                    .next()
                    .context("--max-wait")?
                    .parse()
                    .context("--max-wait")?
            }
            "--" => {
                o.criterion_args = it.cloned().collect();
                break;
            }
            "-h" | "--help" => bail!("{USAGE}"),
            other => bail!("unknown argument {other:?}\n{USAGE}"),
        }
    }
    Ok(o)
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

fn run_cmd(cmd: &mut Command, what: &str) -> Result<()> {
    eprintln!("bench: {what}");
    let status = cmd
        .status()
        .with_context(|| format!("{what}: cannot start"))?;
    if !status.success() {
        bail!("{what}: {status}");
    }
    Ok(())
}

/// `target_directory` of the benches package (its own workspace until it joins the root).
fn target_dir(manifest: &Path) -> Result<PathBuf> {
    let out = Command::new(env!("CARGO"))
        .args([
            "metadata",
            "--no-deps",
            "--format-version",
            "1",
            "--manifest-path",
        ])
        .arg(manifest)
        .output()
        .context("cargo metadata")?;
    let text = String::from_utf8_lossy(&out.stdout);
    let key = "\"target_directory\":\"";
    let start = text
        .find(key)
        .context("target_directory in cargo metadata")?
        + key.len();
    let end = text[start..].find('"').context("cargo metadata")? + start;
    Ok(PathBuf::from(&text[start..end]))
}

fn load1() -> Option<f64> {
    std::fs::read_to_string("/proc/loadavg")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

fn has(cmd: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {cmd} >/dev/null 2>&1")])
        .status()
        .is_ok_and(|s| s.success())
}

pub fn run(args: &[String]) -> Result<()> {
    let opts = parse_args(args)?;
    let root = workspace_root();
    let manifest = root.join("benches/Cargo.toml");
    let target = target_dir(&manifest)?;
    let out = target.join("cmp-bench");
    let criterion_dir = target.join("criterion");
    let openssl = Path::new("/usr/include/openssl/cmp.h").exists();
    let features = if openssl {
        "responder,openssl"
    } else {
        "responder"
    };
    let want = |s: &str| opts.steps.contains(&s);

    if let Some(limit) = opts.wait_load {
        let t0 = Instant::now();
        while load1().is_some_and(|l| l >= limit) && t0.elapsed().as_secs() < opts.max_wait {
            eprintln!(
                "bench: load average {:.2} ≥ {limit}, waiting (up to {} s more)",
                load1().unwrap_or(0.0),
                opts.max_wait.saturating_sub(t0.elapsed().as_secs())
            );
            std::thread::sleep(Duration::from_secs(30));
        }
    }

    // A full run starts from a fresh output directory; a partial one (`--only`, `--skip`, a
    // criterion filter) keeps what the other steps wrote, and each step rewrites its own files,
    // so that the report still has every step's data.
    let full = opts.steps == STEPS && opts.criterion_args.is_empty();
    if full {
        let _ = std::fs::remove_dir_all(&out);
    }
    std::fs::create_dir_all(&out).with_context(|| out.display().to_string())?;
    let notes = out.join("notes.tsv");
    let note = |text: &str| {
        eprintln!("bench: note: {text}");
        use std::io::Write;
        if let Ok(mut f) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&notes)
        {
            let _ = writeln!(f, "{text}");
        }
    };
    if !openssl {
        note("OpenSSL peer not built: /usr/include/openssl/cmp.h missing (apt-get install libssl-dev)");
    }

    run_cmd(
        Command::new(env!("CARGO"))
            .args([
                "build",
                "--release",
                "--bin",
                "cmp-bench",
                "--features",
                features,
            ])
            .arg("--manifest-path")
            .arg(&manifest),
        "building cmp-bench",
    )?;
    let exe = target.join("release/cmp-bench");
    let tsv = |name: &str| out.join(name).display().to_string();
    // The third-party messages (not made by the repo's scripts) for the per-message tables.
    let shared = crate::fuzz::shared_vectors(&root);
    if shared.is_none() && (want("permsg") || want("bc")) {
        note("third-party messages SKIPPED: set CMP_SHARED_VECTORS=../shared/vectors");
    }
    let cmp_bench = |args: &[&str], what: &str| -> Result<()> {
        let mut c = Command::new(&exe);
        c.args(args).current_dir(&root);
        match &shared {
            Some(d) => c.env("CMP_SHARED_VECTORS", d),
            None => c.env_remove("CMP_SHARED_VECTORS"),
        };
        run_cmd(&mut c, what)
    };

    if opts.steps != ["report"] {
        let crit = if opts.quick {
            "criterion --quick".to_string()
        } else {
            "warm-up 1 s, measurement 3 s, 50 samples (MAC/signature: 10-30 samples; scale: 0.5 s / 1.5 s / 20)".to_string()
        };
        cmp_bench(
            &[
                "machine",
                &tsv("machine.tsv"),
                "--describe",
                "load_before=@loadavg",
                &format!("features={features}"),
                &format!("criterion={crit}"),
            ],
            "describing the machine",
        )?;
    }

    if want("criterion") {
        // A filtered run (`-- parse/small`) re-measures only what it names.
        if opts.criterion_args.is_empty() {
            let _ = std::fs::remove_dir_all(&criterion_dir);
        }
        let mut c = Command::new(env!("CARGO"));
        c.args(["bench", "--bench", "codec", "--features", features])
            .arg("--manifest-path")
            .arg(&manifest)
            .arg("--");
        if opts.quick {
            c.arg("--quick");
        }
        c.args(&opts.criterion_args);
        run_cmd(&mut c, "criterion benchmarks (cargo bench)")?;
        cmp_bench(
            &["machine", &tsv("machine.tsv"), "load_after=@loadavg"],
            "load",
        )?;
    }
    if want("alloc") {
        cmp_bench(&["alloc", &tsv("alloc.tsv")], "allocations per operation")?;
    }
    if want("permsg") {
        cmp_bench(
            &["permsg", &tsv("permsg.tsv")],
            "every vector message on its own",
        )?;
    }
    if want("callgrind") {
        if has("valgrind") {
            let mut a = vec!["callgrind".to_string(), tsv("callgrind.tsv")];
            if !opts.quick {
                a.push("--scale".into());
            }
            let a: Vec<&str> = a.iter().map(String::as_str).collect();
            cmp_bench(&a, "instruction counts (callgrind)")?;
        } else {
            note("callgrind skipped: valgrind not installed");
        }
    }
    if want("bc") {
        if has("java") {
            if let Err(e) = cmp_bench(
                &["bc", &out.join("bc").display().to_string(), &tsv("bc.tsv")],
                "Bouncy Castle (java)",
            ) {
                note(&format!("Bouncy Castle skipped: {e}"));
            }
        } else {
            note("Bouncy Castle skipped: java not installed");
        }
    }
    if want("load") {
        let (n, secs) = if opts.quick {
            ("40", "10")
        } else {
            ("600", "30")
        };
        for (transport, clients) in [
            ("in-process", "1"),
            ("in-process", "4"),
            ("http", "1"),
            ("http", "4"),
            ("http", "16"),
        ] {
            if let Err(e) = cmp_bench(
                &[
                    "load",
                    &tsv("load.tsv"),
                    "--transport",
                    transport,
                    "--clients",
                    clients,
                    "--enrollments",
                    n,
                    "--seconds",
                    secs,
                ],
                &format!("load: {transport}, {clients} clients"),
            ) {
                note(&format!("load {transport} {clients}: {e}"));
            }
        }
    }
    if want("suite") {
        match run_cmd(
            Command::new(env!("CARGO"))
                .args([
                    "build",
                    "--release",
                    "-p",
                    "cmp-conformance",
                    "--bin",
                    "cmp",
                ])
                .current_dir(&root),
            "building cmp",
        ) {
            Ok(()) => {
                let cmp = root.join("target/release/cmp");
                let cmp = cmp.display().to_string();
                let run_dir = out.join("suite-run").display().to_string();
                let r = cmp_bench(
                    &[
                        "suite",
                        &tsv("suite.tsv"),
                        &cmp,
                        "run",
                        "--profile",
                        "profiles/reference.toml",
                        "--out",
                        &run_dir,
                        "--quiet",
                    ],
                    "conformance suite (cmp run)",
                );
                if let Err(e) = r {
                    note(&format!("conformance suite: {e}"));
                }
            }
            Err(e) => note(&format!("conformance suite not run: {e}")),
        }
    }
    if want("report") {
        cmp_bench(
            &["machine", &tsv("machine.tsv"), "load_report=@loadavg"],
            "load",
        )?;
        let results = root.join("benches/RESULTS.md");
        cmp_bench(
            &[
                "report",
                &out.display().to_string(),
                &criterion_dir.display().to_string(),
                &results.display().to_string(),
            ],
            "writing benches/RESULTS.md",
        )?;
        println!("{}", results.display());
    }
    Ok(())
}
