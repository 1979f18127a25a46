//! `cmp-bench`: the measurements criterion does not make, and the report.
//!
//! ```text
//! cmp-bench alloc OUT.tsv                  allocations per operation (counting allocator)
//! cmp-bench probes [--scale]               list the operations
//! cmp-bench probe NAME N                   run one operation N times (for callgrind)
//! cmp-bench callgrind OUT.tsv [--scale] [FILTER]   instructions per operation
//! cmp-bench permsg OUT.tsv                 parse time of every vector message (permsg.rs)
//! cmp-bench bc DIR OUT.tsv                 Bouncy Castle timings (java, BcBench.java)
//! cmp-bench load OUT.tsv --transport in-process|http --clients N --enrollments M --seconds S
//! cmp-bench suite OUT.tsv CMD...           wall time of a conformance run
//! cmp-bench machine OUT.tsv KEY=VALUE...   machine description (+ CPU, nproc, rustc, ...)
//! cmp-bench report DIR CRITERION_DIR OUT.md
//! ```
//! `cargo xtask bench` runs them in order.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use cmp_benches::alloc::{count, Counting};
use cmp_benches::probes;

#[global_allocator]
static ALLOC: Counting = Counting;

type Res = Result<(), String>;

fn main() -> ExitCode {
    // OpenSSL's allocation hooks can only be installed before its first allocation.
    #[cfg(feature = "openssl")]
    let hooked = cmp_benches::peers::openssl::install_counting();
    #[cfg(not(feature = "openssl"))]
    let hooked = false;

    let args: Vec<String> = std::env::args().skip(1).collect();
    let r = match args.first().map(String::as_str) {
        Some("alloc") => alloc(&args[1..], hooked),
        Some("probes") => {
            for n in probes::names(args.iter().any(|a| a == "--scale")) {
                println!("{n}");
            }
            Ok(())
        }
        Some("probe") => probe(&args[1..]),
        Some("callgrind") => callgrind(&args[1..]),
        Some("permsg") => permsg(&args[1..]),
        Some("bc") => bc(&args[1..]),
        Some("load") => load(&args[1..]),
        Some("suite") => suite(&args[1..]),
        Some("machine") => machine(&args[1..]),
        Some("report") => report(&args[1..]),
        _ => Err(format!(
            "usage: cmp-bench alloc|probes|probe|callgrind|permsg|bc|load|suite|machine|report ...\n{}",
            "see the module documentation of src/bin/cmp-bench.rs"
        )),
    };
    match r {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("cmp-bench: {e}");
            ExitCode::FAILURE
        }
    }
}

fn open_append(path: &str) -> Result<std::fs::File, String> {
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(|e| format!("{path}: {e}"))
}

fn flag<'a>(args: &'a [String], name: &str) -> Option<&'a str> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .map(String::as_str)
}

/// Allocations per operation: one warm-up call, then the average of 10 counted calls.
fn alloc(args: &[String], hooked: bool) -> Res {
    let out = args.first().ok_or("alloc OUT.tsv")?;
    let mut f = std::fs::File::create(out).map_err(|e| format!("{out}: {e}"))?;
    writeln!(f, "# name\tallocations/op\tbytes/op").unwrap();
    let mut names = probes::names(false);
    // Allocation growth at the largest scale points.
    for (g, points) in probes::scale_axes() {
        let n = points.last().unwrap();
        for i in ["ours", "cmpv2", "openssl", "tlv-walk"] {
            names.push(format!("{g}/{n}/{i}"));
        }
    }
    for name in names {
        let Some(mut op) = probes::build(&name) else {
            continue;
        };
        op();
        const N: usize = 10;
        let (a, b) = if probes::is_openssl(&name) {
            if !hooked {
                continue;
            }
            #[cfg(feature = "openssl")]
            {
                let (_, a, b) = cmp_benches::peers::openssl::count(|| {
                    for _ in 0..N {
                        op()
                    }
                });
                (a, b)
            }
            #[cfg(not(feature = "openssl"))]
            unreachable!()
        } else {
            let (_, a, b) = count(|| {
                for _ in 0..N {
                    op()
                }
            });
            (a, b)
        };
        let (a, b) = (a as f64 / N as f64, b as f64 / N as f64);
        eprintln!("{name:55} {a:>10.1} allocations {b:>12.0} bytes");
        writeln!(f, "{name}\t{a}\t{b}").unwrap();
    }
    Ok(())
}

fn probe(args: &[String]) -> Res {
    let name = args.first().ok_or("probe NAME N")?;
    let n: usize = args
        .get(1)
        .and_then(|s| s.parse().ok())
        .ok_or("probe NAME N")?;
    let mut op = probes::build(name).ok_or_else(|| format!("no probe {name}"))?;
    for _ in 0..n {
        op();
    }
    Ok(())
}

/// Repetitions (few, many) for the two callgrind runs of a probe.
fn reps(name: &str) -> (usize, usize) {
    if name.starts_with("mac/") {
        (1, 3)
    } else if name.starts_with("sig/") {
        (2, 8)
    } else if name.starts_with("scale-") {
        let n: usize = name
            .split('/')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(1);
        if n >= 300 {
            (1, 3)
        } else if n >= 100 {
            (2, 8)
        } else {
            (10, 50)
        }
    } else if name.contains("/large/") {
        (5, 25)
    } else {
        (20, 120)
    }
}

fn callgrind_instructions(exe: &Path, name: &str, n: usize, tmp: &Path) -> Result<f64, String> {
    let out = tmp.join("callgrind.out");
    let status = Command::new("valgrind")
        .arg("--tool=callgrind")
        .arg(format!("--callgrind-out-file={}", out.display()))
        .arg(exe)
        .args(["probe", name, &n.to_string()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .map_err(|e| format!("valgrind: {e}"))?;
    if !status.success() {
        return Err(format!("valgrind {name} {n}: {status}"));
    }
    let text = std::fs::read_to_string(&out).map_err(|e| e.to_string())?;
    let total = text
        .lines()
        .find_map(|l| {
            l.strip_prefix("totals:")
                .or_else(|| l.strip_prefix("summary:"))
        })
        .and_then(|v| v.split_whitespace().next()?.parse::<f64>().ok())
        .ok_or("no totals in the callgrind output")?;
    let _ = std::fs::remove_file(&out);
    Ok(total)
}

fn callgrind(args: &[String]) -> Res {
    let out = args.first().ok_or("callgrind OUT.tsv [--scale] [FILTER]")?;
    let scale = args.iter().any(|a| a == "--scale");
    let filter = args[1..].iter().find(|a| !a.starts_with("--"));
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let tmp = std::env::temp_dir().join(format!("cmp-bench-callgrind-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).map_err(|e| e.to_string())?;
    let mut f = std::fs::File::create(out).map_err(|e| format!("{out}: {e}"))?;
    writeln!(f, "# name\tinstructions/op").unwrap();
    for name in probes::names(scale) {
        if filter.is_some_and(|p| !name.contains(p.as_str())) {
            continue;
        }
        // 262,144 PBKDF2 rounds under valgrind take minutes: timed only.
        if name.contains("pbmac1-262144") && name.starts_with("mac/") {
            continue;
        }
        let (a, b) = reps(&name);
        let t0 = Instant::now();
        let r = callgrind_instructions(&exe, &name, a, &tmp)
            .and_then(|ia| Ok((ia, callgrind_instructions(&exe, &name, b, &tmp)?)));
        match r {
            Ok((ia, ib)) => {
                let per = (ib - ia) / (b - a) as f64;
                eprintln!(
                    "{name:55} {per:>14.0} instructions/op ({:.0} s)",
                    t0.elapsed().as_secs_f64()
                );
                writeln!(f, "{name}\t{per}").unwrap();
                f.flush().ok();
            }
            Err(e) => eprintln!("{name:55} skipped: {e}"),
        }
    }
    let _ = std::fs::remove_dir_all(&tmp);
    Ok(())
}

/// Parse time of every vector message for each Rust-side parser (`permsg.rs`).
fn permsg(args: &[String]) -> Res {
    let out = args.first().ok_or("permsg OUT.tsv")?;
    let mut f = std::fs::File::create(out).map_err(|e| format!("{out}: {e}"))?;
    writeln!(f, "# vector\tbytes\tparser\tns/op").unwrap();
    for (rel, bytes, parser, ns) in cmp_benches::permsg::measure() {
        writeln!(f, "{rel}\t{bytes}\t{parser}\t{ns:.1}").map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// Write the Bouncy Castle inputs and run `java/BcBench.java` on them.
fn bc(args: &[String]) -> Res {
    let dir = PathBuf::from(args.first().ok_or("bc DIR OUT.tsv")?);
    let out = args.get(1).ok_or("bc DIR OUT.tsv")?;
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let jars = ["bcprov", "bcpkix", "bcutil"]
        .iter()
        .map(|j| format!("/usr/share/java/{j}.jar"))
        .collect::<Vec<_>>();
    if let Some(missing) = jars.iter().find(|j| !Path::new(j).exists()) {
        return Err(format!(
            "{missing} missing (apt-get install libbcprov-java libbcpkix-java libbcutil-java)"
        ));
    }
    let write = |name: &str, der: &[u8]| -> Result<String, String> {
        let p = dir.join(name);
        std::fs::write(&p, der).map_err(|e| e.to_string())?;
        Ok(p.display().to_string())
    };
    let mut cases = Vec::new();
    for s in cmp_benches::corpus::size_classes() {
        let f = write(&format!("{}.der", s.class), &s.der)?;
        cases.push(format!("parse:parse/{}/bc:{f}", s.class));
    }
    let mut list = String::new();
    for (rel, _) in cmp_benches::permsg::messages() {
        let path = cmp_benches::permsg::path_of(&rel);
        list.push_str(&format!(
            "{}\t{}\n",
            cmp_benches::permsg::bc_id(&rel),
            path.display()
        ));
    }
    cases.push(format!(
        "corpus:permsg:{}",
        write("permsg.list", list.as_bytes())?
    ));
    for name in cmp_benches::crypto::MAC_CASES {
        if !name.starts_with("pbm-") {
            // BC 1.72's ProtectedPKIMessage.verify(PKMACBuilder, ..) knows PBM only.
            continue;
        }
        let c = cmp_benches::crypto::mac_case(name).unwrap();
        let f = write(&format!("{name}.der"), &c.der)?;
        let secret = String::from_utf8(cmp_benches::SECRET.to_vec()).unwrap();
        cases.push(format!("mac:mac/{name}/bc:{f}:{secret}"));
    }
    for name in cmp_benches::crypto::SIG_CASES {
        if name == "ml-dsa-65" {
            // BC 1.72 has no ML-DSA (FIPS 204) OIDs.
            continue;
        }
        let c = cmp_benches::crypto::sig_case(name).unwrap();
        let f = write(&format!("{name}.der"), &c.der)?;
        let cert = write(&format!("{name}.cert.der"), &c.signer_cert)?;
        cases.push(format!("sig:sig/{name}/bc:{f}:{cert}"));
    }
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("java/BcBench.java");
    let output = Command::new("java")
        .arg("-cp")
        .arg(jars.join(":"))
        .arg(&src)
        .args(&cases)
        .output()
        .map_err(|e| format!("java: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "java {}: {}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let text = String::from_utf8_lossy(&output.stdout);
    eprint!("{text}");
    std::fs::write(out, text.as_bytes()).map_err(|e| e.to_string())?;
    Ok(())
}

#[cfg(not(feature = "responder"))]
fn load(_args: &[String]) -> Res {
    Err("built without the `responder` feature (cmp-conformance)".to_string())
}

#[cfg(feature = "responder")]
fn load(args: &[String]) -> Res {
    use cmp_benches::load::{run, LoadOptions, Transport};
    let out = args
        .first()
        .ok_or("load OUT.tsv --transport T --clients N ...")?;
    let transport = match flag(args, "--transport").unwrap_or("in-process") {
        "in-process" => Transport::InProcess,
        "http" => Transport::Http,
        t => return Err(format!("unknown transport {t}")),
    };
    let num = |k: &str, d: usize| flag(args, k).and_then(|v| v.parse().ok()).unwrap_or(d);
    let opts = LoadOptions {
        transport,
        clients: num("--clients", 4),
        enrollments: num("--enrollments", 400),
        max_time: Duration::from_secs(num("--seconds", 30) as u64),
    };
    let r = run(opts)?;
    let ms = |d: Duration| format!("{:.2}", d.as_secs_f64() * 1e3);
    let line = format!(
        "transport={}\tclients={}\trequested={}\tdone={}\tfailed={}\twall_s={:.2}\tper_second={:.1}\tp50_ms={}\tp90_ms={}\tp99_ms={}\tmax_ms={}{}",
        transport.name(),
        opts.clients,
        opts.enrollments,
        r.done,
        r.failed,
        r.wall.as_secs_f64(),
        r.per_second(),
        ms(r.percentile(50.0)),
        ms(r.percentile(90.0)),
        ms(r.percentile(99.0)),
        ms(r.percentile(100.0)),
        r.first_failure
            .as_ref()
            .map(|e| format!("\tfirst_error={}", e.replace(['\t', '\n'], " ")))
            .unwrap_or_default()
    );
    eprintln!("{line}");
    writeln!(open_append(out)?, "{line}").map_err(|e| e.to_string())
}

fn suite(args: &[String]) -> Res {
    let out = args.first().ok_or("suite OUT.tsv CMD...")?;
    let cmd = &args[1..];
    let (prog, rest) = cmd.split_first().ok_or("suite OUT.tsv CMD...")?;
    let t0 = Instant::now();
    let output = Command::new(prog)
        .args(rest)
        .output()
        .map_err(|e| format!("{prog}: {e}"))?;
    let wall = t0.elapsed();
    let stdout = String::from_utf8_lossy(&output.stdout);
    // The runner's count line ("70 scenarios: 67 PASS, ..."), else its last line.
    let summary = stdout
        .lines()
        .rev()
        .find(|l| l.contains(" scenarios: "))
        .or_else(|| stdout.lines().rev().find(|l| !l.trim().is_empty()))
        .unwrap_or("")
        .replace('\t', " ");
    let line = format!(
        "command={}\twall_s={:.2}\texit={}\tsummary={}",
        cmd.join(" "),
        wall.as_secs_f64(),
        output
            .status
            .code()
            .map(|c| c.to_string())
            .unwrap_or("signal".into()),
        summary
    );
    eprintln!("{line}");
    std::fs::write(out, format!("{line}\n")).map_err(|e| e.to_string())
}

fn machine(args: &[String]) -> Res {
    let out = args.first().ok_or("machine OUT.tsv KEY=VALUE...")?;
    let mut f = open_append(out)?;
    let cmd = |p: &str, a: &[&str]| {
        Command::new(p)
            .args(a)
            .output()
            .ok()
            .map(|o| {
                let s = if o.stdout.is_empty() {
                    o.stderr
                } else {
                    o.stdout
                };
                String::from_utf8_lossy(&s)
                    .lines()
                    .next()
                    .unwrap_or("")
                    .to_string()
            })
            .unwrap_or_else(|| "?".into())
    };
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_string())
        })
        .unwrap_or_else(|| "?".into());
    let nproc = std::thread::available_parallelism()
        .map(|n| n.get().to_string())
        .unwrap_or_else(|_| "?".into());
    let mut kv: Vec<(String, String)> = vec![];
    if args.iter().any(|a| a == "--describe") {
        kv.push(("cpu".into(), cpu));
        kv.push(("nproc".into(), nproc));
        kv.push(("rustc".into(), cmd("rustc", &["-V"])));
        kv.push(("date".into(), cmd("date", &["-u", "+%Y-%m-%d %H:%M"])));
        kv.push(("openssl".into(), cmd("openssl", &["version"])));
        kv.push((
            "java".into(),
            format!("{}, BC 1.72 (Debian jars)", cmd("java", &["-version"])),
        ));
    }
    for a in &args[1..] {
        if let Some((k, v)) = a.split_once('=') {
            let v = if v == "@loadavg" {
                std::fs::read_to_string("/proc/loadavg")
                    .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
                    .unwrap_or_else(|_| "?".into())
            } else {
                v.to_string()
            };
            kv.push((k.to_string(), v));
        }
    }
    for (k, v) in kv {
        writeln!(f, "{k}\t{v}").map_err(|e| e.to_string())?;
    }
    Ok(())
}

fn report(args: &[String]) -> Res {
    let [dir, crit, out, ..] = args else {
        return Err("report DIR CRITERION_DIR OUT.md".into());
    };
    let r = cmp_benches::report::Results::load(Path::new(dir), Path::new(crit));
    if r.criterion.is_empty() {
        return Err(format!("no criterion estimates under {crit}"));
    }
    std::fs::write(out, cmp_benches::report::render(&r)).map_err(|e| format!("{out}: {e}"))?;
    eprintln!("wrote {out}");
    Ok(())
}
