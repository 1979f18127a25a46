//! Reading the measurements back (criterion's estimates, the TSV files `cmp-bench` writes)
//! and writing `benches/RESULTS.md`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::corpus::CLASSES;
use crate::crypto::{MAC_CASES, SIG_CASES};
use crate::probes::scale_axes;
use crate::scale::fit;

/// One criterion estimate.
#[derive(Clone, Copy, Debug)]
pub struct Estimate {
    /// Median time per iteration, ns.
    pub median: f64,
    /// 95% confidence interval of the median, ns.
    pub lower: f64,
    pub upper: f64,
    /// Bytes per iteration (criterion `Throughput::Bytes`).
    pub bytes: Option<u64>,
}

/// Everything one report is made of.
#[derive(Debug, Default)]
pub struct Results {
    pub criterion: BTreeMap<String, Estimate>,
    /// Allocations per operation: (count, bytes).
    pub alloc: BTreeMap<String, (f64, f64)>,
    /// Instructions per operation under callgrind.
    pub callgrind: BTreeMap<String, f64>,
    /// Bouncy Castle: (ns/op, bytes allocated/op) or an error.
    pub bc: BTreeMap<String, Result<(f64, f64), String>>,
    /// Load runs, as written by `cmp-bench load`.
    pub load: Vec<BTreeMap<String, String>>,
    /// The conformance suite run.
    pub suite: Option<BTreeMap<String, String>>,
    /// key → value: machine, load, versions.
    pub machine: BTreeMap<String, String>,
    /// Notes of the run (skipped parts and why).
    pub notes: Vec<String>,
    /// Every vector message timed on its own: (vector, bytes, parser, ns/op).
    pub permsg: Vec<(String, usize, String, f64)>,
}

fn read_tsv(path: &Path) -> Vec<Vec<String>> {
    std::fs::read_to_string(path)
        .map(|t| {
            t.lines()
                .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
                .map(|l| l.split('\t').map(str::to_string).collect())
                .collect()
        })
        .unwrap_or_default()
}

/// Read criterion's `new/benchmark.json` + `new/estimates.json` under `dir`.
pub fn read_criterion(dir: &Path) -> BTreeMap<String, Estimate> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                if p.file_name().is_some_and(|n| n == "new") {
                    if let Some((id, est)) = read_one(&p) {
                        out.insert(id, est);
                    }
                } else if p.file_name().is_some_and(|n| n != "base" && n != "report") {
                    stack.push(p);
                }
            }
        }
    }
    out
}

fn read_one(new: &Path) -> Option<(String, Estimate)> {
    let bench: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(new.join("benchmark.json")).ok()?).ok()?;
    let est: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(new.join("estimates.json")).ok()?).ok()?;
    let id = bench.get("full_id")?.as_str()?.to_string();
    let bytes = bench
        .get("throughput")
        .and_then(|t| t.get("Bytes"))
        .and_then(|b| b.as_u64());
    let m = est.get("median")?;
    let ci = m.get("confidence_interval")?;
    Some((
        id,
        Estimate {
            median: m.get("point_estimate")?.as_f64()?,
            lower: ci.get("lower_bound")?.as_f64()?,
            upper: ci.get("upper_bound")?.as_f64()?,
            bytes,
        },
    ))
}

impl Results {
    /// Load everything from the `cmp-bench` output directory and criterion's directory.
    pub fn load(dir: &Path, criterion: &Path) -> Results {
        let mut r = Results {
            criterion: read_criterion(criterion),
            ..Results::default()
        };
        for row in read_tsv(&dir.join("alloc.tsv")) {
            if let [name, a, b, ..] = row.as_slice() {
                r.alloc.insert(
                    name.clone(),
                    (a.parse().unwrap_or(f64::NAN), b.parse().unwrap_or(f64::NAN)),
                );
            }
        }
        for row in read_tsv(&dir.join("callgrind.tsv")) {
            if let [name, i, ..] = row.as_slice() {
                if let Ok(v) = i.parse() {
                    r.callgrind.insert(name.clone(), v);
                }
            }
        }
        for row in read_tsv(&dir.join("bc.tsv")) {
            match row.as_slice() {
                [id, e, msg, ..] if e == "ERROR" => {
                    r.bc.insert(id.clone(), Err(msg.clone()));
                }
                [id, ns, bytes, ..] => {
                    r.bc.insert(
                        id.clone(),
                        Ok((
                            ns.parse().unwrap_or(f64::NAN),
                            bytes.parse().unwrap_or(f64::NAN),
                        )),
                    );
                }
                _ => {}
            }
        }
        let kv = |path: PathBuf| -> Vec<BTreeMap<String, String>> {
            read_tsv(&path)
                .into_iter()
                .map(|row| {
                    row.iter()
                        .filter_map(|f| f.split_once('='))
                        .map(|(k, v)| (k.to_string(), v.to_string()))
                        .collect()
                })
                .collect()
        };
        r.load = kv(dir.join("load.tsv"));
        r.suite = kv(dir.join("suite.tsv")).pop();
        for row in read_tsv(&dir.join("machine.tsv")) {
            if let [k, v, ..] = row.as_slice() {
                r.machine.insert(k.clone(), v.clone());
            }
        }
        for row in read_tsv(&dir.join("permsg.tsv")) {
            if let [v, bytes, parser, ns, ..] = row.as_slice() {
                if let (Ok(b), Ok(n)) = (bytes.parse(), ns.parse()) {
                    r.permsg.push((v.clone(), b, parser.clone(), n));
                }
            }
        }
        for row in read_tsv(&dir.join("notes.tsv")) {
            if let Some(n) = row.first() {
                r.notes.push(n.clone());
            }
        }
        r
    }

    fn t(&self, id: &str) -> Option<f64> {
        self.criterion.get(id).map(|e| e.median)
    }

    fn bc_ns(&self, id: &str) -> Option<f64> {
        self.bc.get(id).and_then(|r| r.as_ref().ok()).map(|v| v.0)
    }
}

/// `812 ns`, `12.3 µs`, `1.23 ms`, `1.23 s`.
pub fn fmt_ns(ns: f64) -> String {
    if !ns.is_finite() {
        "–".into()
    } else if ns < 1e3 {
        format!("{ns:.0} ns")
    } else if ns < 1e4 {
        format!("{:.2} µs", ns / 1e3)
    } else if ns < 1e6 {
        format!("{:.1} µs", ns / 1e3)
    } else if ns < 1e9 {
        format!("{:.2} ms", ns / 1e6)
    } else {
        format!("{:.2} s", ns / 1e9)
    }
}

/// Bytes per ns as MB/s or GB/s.
pub fn fmt_rate(bytes: u64, ns: f64) -> String {
    let bps = bytes as f64 / ns * 1e9;
    if bps >= 1e9 {
        format!("{:.2} GB/s", bps / 1e9)
    } else if bps >= 1e6 {
        format!("{:.0} MB/s", bps / 1e6)
    } else {
        format!("{:.0} kB/s", bps / 1e3)
    }
}

fn fmt_count(v: f64) -> String {
    if !v.is_finite() {
        "–".into()
    } else if v >= 10_000.0 {
        format!("{:.0}k", v / 1e3)
    } else if (v - v.round()).abs() < 0.05 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

fn fmt_bytes(v: f64) -> String {
    if !v.is_finite() {
        "–".into()
    } else if v >= 1e6 {
        format!("{:.1} MB", v / 1e6)
    } else if v >= 1e4 {
        format!("{:.0} kB", v / 1e3)
    } else {
        format!("{v:.0} B")
    }
}

/// `ours/peer` and the speed-up it means, e.g. `0.081 (12.3×)`.
fn ratio(ours: Option<f64>, peer: Option<f64>) -> String {
    match (ours, peer) {
        (Some(o), Some(p)) if o > 0.0 && p > 0.0 => {
            let r = o / p;
            if r < 1.0 {
                format!("{r:.3} ({:.1}× faster)", p / o)
            } else {
                format!("{r:.2} ({r:.2}× slower)")
            }
        }
        _ => "–".into(),
    }
}

/// `ours/floor` as a plain factor (`1.07×`).
fn factor(ours: Option<f64>, floor: Option<f64>) -> String {
    match (ours, floor) {
        (Some(o), Some(f)) if f > 0.0 => format!("{:.2}×", o / f),
        _ => "–".into(),
    }
}

impl Results {
    fn cell(&self, id: &str) -> String {
        let Some(e) = self.criterion.get(id) else {
            return "–".into();
        };
        let mut s = fmt_ns(e.median);
        if let Some(b) = e.bytes {
            let _ = write!(s, "<br>{}", fmt_rate(b, e.median));
        }
        s
    }

    fn alloc_cell(&self, id: &str) -> String {
        match self.alloc.get(id) {
            Some((n, b)) => format!("{} / {}", fmt_count(*n), fmt_bytes(*b)),
            None => "–".into(),
        }
    }

    fn bc_cell(&self, id: &str) -> String {
        match self.bc.get(id) {
            Some(Ok((ns, _))) => fmt_ns(*ns),
            Some(Err(e)) => format!("error: {}", e.chars().take(60).collect::<String>()),
            None => "–".into(),
        }
    }

    fn bc_alloc(&self, id: &str) -> String {
        match self.bc.get(id) {
            Some(Ok((_, b))) => format!("– / {}", fmt_bytes(*b)),
            _ => "–".into(),
        }
    }

    fn ir(&self, id: &str) -> Option<f64> {
        self.callgrind.get(id).copied()
    }
}

fn size_of(r: &Results, group: &str, case: &str) -> String {
    r.criterion
        .iter()
        .find(|(k, _)| k.starts_with(&format!("{group}/{case}/")))
        .and_then(|(_, e)| e.bytes)
        .map(|b| format!("{b} B"))
        .unwrap_or_else(|| "–".into())
}

/// Per-message statistics of one size class (`permsg`): medians over the class's messages.
struct ClassStats {
    name: &'static str,
    messages: usize,
    median_bytes: f64,
    /// Median ns per parser (over the messages it accepts).
    median_ns: BTreeMap<&'static str, f64>,
    /// Per peer: (median of peer/ours per message, worst (smallest) peer/ours, its vector,
    /// messages compared). For `tlv-walk` the factor is ours/walk and the worst the largest.
    vs: BTreeMap<&'static str, (f64, f64, String, usize)>,
    /// Median over the class's messages of OpenSSL / TLV walk: the speed-up over OpenSSL
    /// of a parser exactly as fast as the bare walk.
    walk_vs_openssl: Option<f64>,
}

const PERMSG_PEERS: [&str; 4] = ["cmpv2", "openssl", "bc", "tlv-walk"];

/// The per-message statistics of the repo's vectors, or (`third_party`) of the third-party
/// messages.
fn permsg_stats(r: &Results, third_party: bool) -> Vec<ClassStats> {
    use crate::permsg::{bc_id, median, CLASSES as PERMSG_CLASSES, THIRD_PARTY};
    let mut by_msg: BTreeMap<&str, (usize, BTreeMap<&str, f64>)> = BTreeMap::new();
    for (v, bytes, parser, ns) in &r.permsg {
        if v.starts_with(THIRD_PARTY) != third_party {
            continue;
        }
        let e = by_msg
            .entry(v.as_str())
            .or_insert((*bytes, BTreeMap::new()));
        e.1.insert(parser.as_str(), *ns);
    }
    let mut out = Vec::new();
    for (name, lo, hi) in PERMSG_CLASSES {
        let msgs: Vec<(&str, usize, BTreeMap<&str, f64>)> = by_msg
            .iter()
            .filter(|(_, (b, _))| (lo..=hi).contains(b))
            .map(|(v, (b, m))| {
                let mut m = m.clone();
                if let Some(ns) = r.bc_ns(&bc_id(v)) {
                    m.insert("bc", ns);
                }
                (*v, *b, m)
            })
            .filter(|(_, _, m)| m.contains_key("ours"))
            .collect();
        if msgs.is_empty() {
            continue;
        }
        let mut sizes: Vec<f64> = msgs.iter().map(|m| m.1 as f64).collect();
        let mut st = ClassStats {
            name,
            messages: msgs.len(),
            median_bytes: median(&mut sizes).unwrap_or(f64::NAN),
            median_ns: BTreeMap::new(),
            vs: BTreeMap::new(),
            walk_vs_openssl: median(
                &mut msgs
                    .iter()
                    .filter_map(|m| Some(m.2.get("openssl")? / m.2.get("tlv-walk")?))
                    .collect::<Vec<f64>>(),
            ),
        };
        for p in std::iter::once("ours").chain(PERMSG_PEERS) {
            let mut v: Vec<f64> = msgs.iter().filter_map(|m| m.2.get(p).copied()).collect();
            if let Some(x) = median(&mut v) {
                st.median_ns.insert(p, x);
            }
        }
        for p in PERMSG_PEERS {
            let walk = p == "tlv-walk";
            let mut pairs: Vec<(f64, &str)> = msgs
                .iter()
                .filter_map(|m| {
                    let (ours, peer) = (m.2.get("ours")?, m.2.get(p)?);
                    Some((if walk { ours / peer } else { peer / ours }, m.0))
                })
                .collect();
            let Some(worst) = (if walk {
                pairs.iter().max_by(|a, b| a.0.total_cmp(&b.0))
            } else {
                pairs.iter().min_by(|a, b| a.0.total_cmp(&b.0))
            })
            .map(|(x, v)| (*x, v.to_string())) else {
                continue;
            };
            let n = pairs.len();
            let mut xs: Vec<f64> = pairs.drain(..).map(|p| p.0).collect();
            st.vs.insert(
                p,
                (median(&mut xs).unwrap_or(f64::NAN), worst.0, worst.1, n),
            );
        }
        out.push(st);
    }
    out
}

/// One per-message table (see `render`).
fn permsg_table(o: &mut String, stats: &[ClassStats]) {
    let _ = writeln!(o, "| class | messages | median size | ours | cmpv2 | OpenSSL | BC | TLV walk | vs cmpv2 | vs OpenSSL | vs BC | ours/TLV walk | OpenSSL / walk |");
    let _ = writeln!(o, "|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for st in stats {
        let ns = |p: &str| {
            st.median_ns
                .get(p)
                .map(|v| fmt_ns(*v))
                .unwrap_or_else(|| "–".into())
        };
        let vs = |p: &str| match st.vs.get(p) {
            Some((m, w, _, n)) if p == "tlv-walk" => format!("{m:.2}× (worst {w:.2}×; n={n})"),
            Some((m, w, _, n)) => format!("{m:.1}× faster (worst {w:.1}×; n={n})"),
            None => "–".into(),
        };
        let _ = writeln!(
            o,
            "| {} | {} | {:.0} B | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            st.name,
            st.messages,
            st.median_bytes,
            ns("ours"),
            ns("cmpv2"),
            ns("openssl"),
            ns("bc"),
            ns("tlv-walk"),
            vs("cmpv2"),
            vs("openssl"),
            vs("bc"),
            vs("tlv-walk"),
            st.walk_vs_openssl
                .map(|x| format!("{x:.1}×"))
                .unwrap_or_else(|| "–".into()),
        );
    }
    let worst: Vec<String> = stats
        .iter()
        .flat_map(|st| {
            st.vs
                .iter()
                .map(move |(p, (_, _, v, _))| format!("{} {p}: `{v}`", st.name))
        })
        .collect();
    let _ = writeln!(o, "\nWorst messages: {}.", worst.join("; "));
}

/// Render `RESULTS.md`.
pub fn render(r: &Results) -> String {
    let mut o = String::new();
    let m = |k: &str| r.machine.get(k).cloned().unwrap_or_else(|| "?".into());
    let _ = writeln!(o, "# cmp-codec benchmarks\n");
    let _ = writeln!(
        o,
        "Written by `cargo xtask bench` (benches/, `cmp-bench report`); do not edit by hand.\n"
    );
    let _ = writeln!(o, "## Machine and run\n");
    let _ = writeln!(o, "| | |\n|---|---|");
    for (k, label) in [
        ("date", "date (UTC)"),
        ("cpu", "CPU"),
        ("nproc", "nproc"),
        ("rustc", "rustc"),
        ("openssl", "OpenSSL"),
        ("java", "Java / Bouncy Castle"),
        ("load_before", "load average before criterion (1/5/15 min)"),
        ("load_after", "load average after criterion"),
        ("load_report", "load average at report time"),
        ("features", "cargo features"),
        ("criterion", "criterion settings"),
    ] {
        let _ = writeln!(o, "| {label} | {} |", m(k));
    }
    let _ = writeln!(
        o,
        "\nThe machine is shared (other engineers compile on its cores), so wall-clock times carry \
         noise; the ratio claims below also give **callgrind instruction counts** \
         (`valgrind --tool=callgrind`, instructions per operation from the difference of two \
         runs with different repetition counts), which do not depend on load. Times are criterion \
         medians; cells give median and throughput (criterion `Throughput::Bytes`). \
         Allocations are `count / bytes` per operation from a counting global allocator \
         (OpenSSL: `CRYPTO_set_mem_functions`; Bouncy Castle: bytes from the JVM's per-thread \
         allocation counter, no count).\n"
    );
    for n in &r.notes {
        let _ = writeln!(o, "* {n}");
    }
    if !r.notes.is_empty() {
        o.push('\n');
    }

    // ---- parse
    let _ = writeln!(o, "## Parse (full validating decode)\n");
    let _ = writeln!(
        o,
        "* **ours**: `PKIMessage::parse` (every field of the PKIXCMP-2023 schema; certificates \
         are checked as TLVs, not decoded). **ours-header**: outer SEQUENCE + `PKIHeader` + the \
         body's tag (`PKIMessage::parse_header`). **ours+x509-cert**: ours, then every \
         certificate of extraCerts, caPubs and the responses decoded with `x509-cert`, which is \
         how deep cmpv2 and OpenSSL go. **cmpv2**: RustCrypto `cmpv2` 0.2.0 \
         `PkiMessage::from_der` (der 0.7, owned). **OpenSSL**: `d2i_OSSL_CMP_MSG` + \
         `OSSL_CMP_MSG_free`. **BC**: Bouncy Castle 1.72 \
         `PKIMessage.getInstance(ASN1Primitive.fromByteArray(der))`. **TLV walk**: a bare \
         recursive walk over every TLV (bounds only), the floor.\n"
    );
    let _ = writeln!(
        o,
        "| class | size | ours | ours-header | ours+x509-cert | cmpv2 | OpenSSL | BC | TLV walk |"
    );
    let _ = writeln!(o, "|---|---|---|---|---|---|---|---|---|");
    for c in CLASSES {
        let id = |i: &str| format!("parse/{c}/{i}");
        let _ = writeln!(
            o,
            "| {c} | {} | {} | {} | {} | {} | {} | {} | {} |",
            size_of(r, "parse", c),
            r.cell(&id("ours")),
            r.cell(&id("ours-header")),
            r.cell(&id("ours+x509-cert")),
            r.cell(&id("cmpv2")),
            r.cell(&id("openssl")),
            r.bc_cell(&id("bc")),
            r.cell(&id("tlv-walk")),
        );
    }
    let _ = writeln!(o, "\nAllocations per parse (count / bytes):\n");
    let _ = writeln!(
        o,
        "| class | ours | ours-header | ours+x509-cert | cmpv2 | OpenSSL | BC | TLV walk |"
    );
    let _ = writeln!(o, "|---|---|---|---|---|---|---|---|");
    for c in CLASSES {
        let id = |i: &str| format!("parse/{c}/{i}");
        let _ = writeln!(
            o,
            "| {c} | {} | {} | {} | {} | {} | {} | {} |",
            r.alloc_cell(&id("ours")),
            r.alloc_cell(&id("ours-header")),
            r.alloc_cell(&id("ours+x509-cert")),
            r.alloc_cell(&id("cmpv2")),
            r.alloc_cell(&id("openssl")),
            r.bc_alloc(&id("bc")),
            r.alloc_cell(&id("tlv-walk")),
        );
    }
    let _ = writeln!(
        o,
        "\nRatios **ours / peer** (below 1: ours is faster) by time, and by instructions \
         (callgrind) where measured:\n"
    );
    let _ = writeln!(o, "| class | ours/cmpv2 | ours/OpenSSL | ours/BC | ours/TLV walk | ours+x509/cmpv2 | ours+x509/OpenSSL | instr: ours/cmpv2 | instr: ours/OpenSSL | instr: ours/TLV walk |");
    let _ = writeln!(o, "|---|---|---|---|---|---|---|---|---|---|");
    for c in CLASSES {
        let id = |i: &str| format!("parse/{c}/{i}");
        let ours = r.t(&id("ours"));
        let deep = r.t(&id("ours+x509-cert"));
        let _ = writeln!(
            o,
            "| {c} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            ratio(ours, r.t(&id("cmpv2"))),
            ratio(ours, r.t(&id("openssl"))),
            ratio(ours, r.bc_ns(&id("bc"))),
            factor(ours, r.t(&id("tlv-walk"))),
            ratio(deep, r.t(&id("cmpv2"))),
            ratio(deep, r.t(&id("openssl"))),
            ratio(r.ir(&id("ours")), r.ir(&id("cmpv2"))),
            ratio(r.ir(&id("ours")), r.ir(&id("openssl"))),
            factor(r.ir(&id("ours")), r.ir(&id("tlv-walk"))),
        );
    }
    if let Some((k, _)) = r.criterion.iter().find(|(k, _)| k.starts_with("corpus/")) {
        let g = k.rsplit_once('/').map(|x| x.0).unwrap_or(k);
        let id = |i: &str| format!("{g}/{i}");
        let _ = writeln!(
            o,
            "\nThe whole corpus (`{g}`: every vector message all three parsers accept, one after \
             the other): ours {}, cmpv2 {}, OpenSSL {}, TLV walk {}; ours/cmpv2 {}, ours/OpenSSL \
             {}, ours/walk {}.",
            r.cell(&id("ours")).replace("<br>", ", "),
            r.cell(&id("cmpv2")).replace("<br>", ", "),
            r.cell(&id("openssl")).replace("<br>", ", "),
            r.cell(&id("tlv-walk")).replace("<br>", ", "),
            ratio(r.t(&id("ours")), r.t(&id("cmpv2"))),
            ratio(r.t(&id("ours")), r.t(&id("openssl"))),
            factor(r.t(&id("ours")), r.t(&id("tlv-walk"))),
        );
    }

    // ---- every vector message on its own, by size class
    let stats = permsg_stats(r, false);
    let third = permsg_stats(r, true);
    if !stats.is_empty() {
        let _ = writeln!(
            o,
            "\n### Every vector message on its own, by size class\n\n\
             How the issue measured the peers (\"median per message, full decode\"): each message \
             of `vectors/` that ours accepts is timed alone (`cmp-bench permsg`: one warm-up \
             batch each, then nine rounds in which every parser runs a batch of about 2 ms in \
             turn, so that a passing load falls on all of them; the median of each parser's \
             nine; Bouncy Castle in its own process, nine batches in a row per message after a \
             3 s JIT warm-up over all of them, so not interleaved with the others), and every parser is compared where it accepts the message. Cells: \
             the median over the class's messages; speed-ups are medians of the per-message \
             ratios, with the worst message in brackets. *OpenSSL / walk* is the median of \
             OpenSSL's time over the walk's: the speed-up over OpenSSL that a parser exactly as \
             fast as the bare TLV walk would show.\n"
        );
        permsg_table(&mut o, &stats);
    }
    if !third.is_empty() {
        let _ = writeln!(
            o,
            "\n### Third-party messages (not in the repo), by size class\n\n\
             The same measurement on the DER messages of `$CMP_SHARED_VECTORS` that ours \
             accepts: OpenSSL's test data, RustCrypto `cmpv2`'s test messages, the Siemens CMP \
             test suite's samples and OpenSSL CLI flows, none made by the repo's scripts.\n"
        );
        permsg_table(&mut o, &third);
    } else if !stats.is_empty() {
        let _ = writeln!(
            o,
            "\nThird-party messages: **not measured** (`CMP_SHARED_VECTORS` was not set).\n"
        );
    }

    // ---- encode, roundtrip
    for (g, title) in [
        ("encode", "Encode (DER from the decoded message)"),
        ("roundtrip", "Parse + re-encode"),
    ] {
        let _ = writeln!(o, "\n## {title}\n");
        let _ = writeln!(o, "| class | ours | cmpv2 | OpenSSL | ours/cmpv2 | ours/OpenSSL | instr: ours/cmpv2 | instr: ours/OpenSSL | allocs ours | allocs cmpv2 | allocs OpenSSL |");
        let _ = writeln!(o, "|---|---|---|---|---|---|---|---|---|---|---|");
        for c in CLASSES {
            let id = |i: &str| format!("{g}/{c}/{i}");
            let _ = writeln!(
                o,
                "| {c} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
                r.cell(&id("ours")),
                r.cell(&id("cmpv2")),
                r.cell(&id("openssl")),
                ratio(r.t(&id("ours")), r.t(&id("cmpv2"))),
                ratio(r.t(&id("ours")), r.t(&id("openssl"))),
                ratio(r.ir(&id("ours")), r.ir(&id("cmpv2"))),
                ratio(r.ir(&id("ours")), r.ir(&id("openssl"))),
                r.alloc_cell(&id("ours")),
                r.alloc_cell(&id("cmpv2")),
                r.alloc_cell(&id("openssl")),
            );
        }
    }
    if g_has(r, "encode") {
        let _ = writeln!(
            o,
            "\nOpenSSL's `i2d` of a decoded message reuses the encodings it cached while \
             decoding (X509, names), so its encode row is closer to a copy."
        );
    }

    // ---- MAC
    let _ = writeln!(o, "\n## MAC verify (message already parsed)\n");
    let _ = writeln!(
        o,
        "**ours**: `verify_mac` (parameters from protectionAlg, key derivation, HMAC streamed \
         over the received header and body, constant-time compare). **bare**: the same \
         RustCrypto primitives on the contiguous ProtectedPart (PBM: SHA-256 chain + HMAC; \
         PBMAC1: `pbkdf2_hmac` + HMAC). **OpenSSL**: `OSSL_CMP_validate_msg` with the secret \
         in the context (PBM only: OpenSSL 3.0 has no PBMAC1). **BC**: decode + \
         `ProtectedPKIMessage.verify(PKMACBuilder, secret)`.\n"
    );
    let _ = writeln!(o, "| case | size | ours | bare | OpenSSL | BC | ours/bare | ours/OpenSSL | instr: ours/bare | cached key: ours | cached key: bare | cached: ours/bare | instr cached: ours/bare | allocs ours | allocs cached ours |");
    let _ = writeln!(
        o,
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
    );
    for c in MAC_CASES {
        let id = |i: &str| format!("mac/{c}/{i}");
        let kid = |i: &str| format!("mac-cached-key/{c}/{i}");
        let _ = writeln!(
            o,
            "| {c} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            size_of(r, "mac", c),
            r.cell(&id("ours")).split("<br>").next().unwrap_or("–"),
            r.cell(&id("bare")).split("<br>").next().unwrap_or("–"),
            r.cell(&id("openssl")).split("<br>").next().unwrap_or("–"),
            r.bc_cell(&id("bc")),
            factor(r.t(&id("ours")), r.t(&id("bare"))),
            ratio(r.t(&id("ours")), r.t(&id("openssl"))),
            factor(r.ir(&id("ours")), r.ir(&id("bare"))),
            r.cell(&kid("ours")).split("<br>").next().unwrap_or("–"),
            r.cell(&kid("bare")).split("<br>").next().unwrap_or("–"),
            factor(r.t(&kid("ours")), r.t(&kid("bare"))),
            factor(r.ir(&kid("ours")), r.ir(&kid("bare"))),
            r.alloc_cell(&id("ours")),
            r.alloc_cell(&kid("ours")),
        );
    }

    // ---- signatures
    let _ = writeln!(o, "\n## Signature verify (message already parsed)\n");
    let _ = writeln!(
        o,
        "**ours-full**: `verify_signature` as a server calls it: the signer found among \
         extraCerts (`extraCerts[0]` read with the codec's borrowed X.509 view; the others \
         only when it does not verify), its key decoded and bound, the signature \
         checked over the received bytes. **ours-key**: `verify_signature_with_verifier` with \
         the key bound once. **bare**: the RustCrypto verifier's one-shot API on the contiguous \
         ProtectedPart (signature decoding included, key decoded once). **bare + key decode**: \
         the same with the key decoded from its SPKI bits each time, the least any verifier \
         that takes the key from the message's certificate does (RSA precomputes its modulus \
         parameters, Ed25519 decompresses a point, ML-DSA expands its matrix): ours-full is \
         measured against it. **OpenSSL**: \
         `OSSL_CMP_validate_msg` with the signer pinned as srvCert (it re-encodes the \
         ProtectedPart and checks key usage). **BC**: decode + \
         `ProtectedPKIMessage.verify(ContentVerifierProvider)`.\n"
    );
    let _ = writeln!(o, "| case | size | ours-full | ours-key | bare | bare + key decode | OpenSSL | BC | ours-key/bare | ours-full/(bare + decode) | ours-full/OpenSSL | instr: ours-key/bare | instr: ours-full/(bare + decode) | allocs ours-full | allocs ours-key |");
    let _ = writeln!(
        o,
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
    );
    for c in SIG_CASES {
        let id = |i: &str| format!("sig/{c}/{i}");
        let _ = writeln!(
            o,
            "| {c} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            size_of(r, "sig", c),
            r.cell(&id("ours-full")).split("<br>").next().unwrap_or("–"),
            r.cell(&id("ours-key")).split("<br>").next().unwrap_or("–"),
            r.cell(&id("bare")).split("<br>").next().unwrap_or("–"),
            r.cell(&id("bare-decode"))
                .split("<br>")
                .next()
                .unwrap_or("–"),
            r.cell(&id("openssl")).split("<br>").next().unwrap_or("–"),
            r.bc_cell(&id("bc")),
            factor(r.t(&id("ours-key")), r.t(&id("bare"))),
            factor(r.t(&id("ours-full")), r.t(&id("bare-decode"))),
            ratio(r.t(&id("ours-full")), r.t(&id("openssl"))),
            factor(r.ir(&id("ours-key")), r.ir(&id("bare"))),
            factor(r.ir(&id("ours-full")), r.ir(&id("bare-decode"))),
            r.alloc_cell(&id("ours-full")),
            r.alloc_cell(&id("ours-key")),
        );
    }
    let lg = "sig/ecdsa-p256-sha256-large";
    if r.t(&format!("{lg}/ours-full")).is_some() {
        let _ = writeln!(
            o,
            "\nThe large message (ECDSA P-256, {}): `verify_signature` {}, \
             `verify_signature_with_cert` (the signer certificate given) {}.",
            size_of(r, "sig", "ecdsa-p256-sha256-large"),
            fmt_ns(r.t(&format!("{lg}/ours-full")).unwrap_or(f64::NAN)),
            fmt_ns(r.t(&format!("{lg}/ours-with-cert")).unwrap_or(f64::NAN)),
        );
    }

    // ---- certHash
    let ch = "certhash/ecdsa-sha256-cert";
    let _ = writeln!(
        o,
        "\n## certHash\n\n`cert_hash(cert, None)` (reads the certificate's signature algorithm, \
         then hashes) on the certificate of the typical ip ({}): {}; bare SHA-256 {}; ours/bare \
         {} (instructions {}); allocations {}.",
        size_of(r, "certhash", "ecdsa-sha256-cert"),
        r.cell(&format!("{ch}/ours")).replace("<br>", ", "),
        r.cell(&format!("{ch}/bare")).replace("<br>", ", "),
        factor(r.t(&format!("{ch}/ours")), r.t(&format!("{ch}/bare"))),
        factor(r.ir(&format!("{ch}/ours")), r.ir(&format!("{ch}/bare"))),
        r.alloc_cell(&format!("{ch}/ours")),
    );

    // ---- scale
    let _ = writeln!(o, "\n## Scale\n");
    let _ = writeln!(
        o,
        "Parse time against the number of elements: the small genm with 1..1000 real \
         certificates in extraCerts, the typical ir with 1..1000 CertReqMsgs, the typical ir \
         nested 1..8 deep (`MAX_NESTING_DEPTH`). The slope is the least-squares fit of the \
         median time over all points (ns per added element); r² near 1 and a slope over the \
         first points close to the slope over the last ones mean linear.\n"
    );
    for (g, points) in scale_axes() {
        let impls = ["ours", "cmpv2", "openssl", "tlv-walk"];
        let _ = writeln!(o, "**{g}**\n");
        let _ = writeln!(o, "| n | size | ours | cmpv2 | OpenSSL | TLV walk | ours/cmpv2 | ours/walk | allocs ours (largest n) | allocs cmpv2 | allocs OpenSSL |");
        let _ = writeln!(o, "|---|---|---|---|---|---|---|---|---|---|---|");
        for n in &points {
            let id = |i: &str| format!("{g}/{n}/{i}");
            let _ = writeln!(
                o,
                "| {n} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
                size_of(r, g, &n.to_string()),
                r.cell(&id("ours")).split("<br>").next().unwrap_or("–"),
                r.cell(&id("cmpv2")).split("<br>").next().unwrap_or("–"),
                r.cell(&id("openssl")).split("<br>").next().unwrap_or("–"),
                r.cell(&id("tlv-walk")).split("<br>").next().unwrap_or("–"),
                ratio(r.t(&id("ours")), r.t(&id("cmpv2"))),
                factor(r.t(&id("ours")), r.t(&id("tlv-walk"))),
                r.alloc_cell(&id("ours")),
                r.alloc_cell(&id("cmpv2")),
                r.alloc_cell(&id("openssl")),
            );
        }
        let _ = writeln!(o, "\n| impl | slope (time) | r² | first-points slope | last-points slope | slope (instructions) |");
        let _ = writeln!(o, "|---|---|---|---|---|---|");
        for i in impls {
            let pts: Vec<(f64, f64)> = points
                .iter()
                .filter_map(|n| r.t(&format!("{g}/{n}/{i}")).map(|t| (*n as f64, t)))
                .collect();
            if pts.len() < 3 {
                continue;
            }
            let (_, b, r2) = fit(&pts);
            let seg = |a: &(f64, f64), z: &(f64, f64)| (z.1 - a.1) / (z.0 - a.0);
            let first = seg(&pts[0], &pts[1]);
            let last = seg(&pts[pts.len() - 2], &pts[pts.len() - 1]);
            let ipts: Vec<(f64, f64)> = points
                .iter()
                .filter_map(|n| r.ir(&format!("{g}/{n}/{i}")).map(|t| (*n as f64, t)))
                .collect();
            let islope = if ipts.len() >= 3 {
                format!("{:.0} instr/element", fit(&ipts).1)
            } else {
                "–".into()
            };
            let _ = writeln!(
                o,
                "| {i} | {} /element | {r2:.4} | {} | {} | {islope} |",
                fmt_ns(b),
                fmt_ns(first),
                fmt_ns(last),
            );
        }
        o.push('\n');
    }

    // ---- conformance
    let _ = writeln!(o, "## Conformance run and load\n");
    match &r.suite {
        Some(s) => {
            let g = |k: &str| s.get(k).cloned().unwrap_or_else(|| "?".into());
            let _ = writeln!(
                o,
                "Full built-in suite: `{}`: wall time **{} s** (including starting `cmp serve` \
                 and the polling scenarios' checkAfter waits of the reference profile), exit \
                 status {}; summary: {}.\n",
                g("command"),
                g("wall_s"),
                g("exit"),
                g("summary")
            );
        }
        None => {
            let _ = writeln!(o, "Full built-in suite: not measured in this run.\n");
        }
    }
    if r.load.is_empty() {
        let _ = writeln!(o, "Concurrent enrollments: not measured in this run.\n");
    } else {
        let _ = writeln!(
            o,
            "Concurrent enrollments against the reference responder (ir → ip, certConf → \
             pkiConf, ECDSA P-256 signed by client-ec, no implicitConfirm; latency from sending \
             the ir to receiving the pkiConf). Each client thread signs its own requests; the \
             responder (`Responder::handle`) holds one mutex for the whole request, so the \
             server side runs on one core at a time whatever the number of clients:\n"
        );
        let _ = writeln!(o, "| transport | clients | enrollments | failed | wall | enrollments/s | p50 | p90 | p99 | max |");
        let _ = writeln!(o, "|---|---|---|---|---|---|---|---|---|---|");
        for l in &r.load {
            let g = |k: &str| l.get(k).cloned().unwrap_or_else(|| "–".into());
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} | {} s | {} | {} ms | {} ms | {} ms | {} ms |",
                g("transport"),
                g("clients"),
                g("done"),
                g("failed"),
                g("wall_s"),
                g("per_second"),
                g("p50_ms"),
                g("p90_ms"),
                g("p99_ms"),
                g("max_ms")
            );
        }
        let p50 = |t: &str, c: &str| {
            r.load
                .iter()
                .find(|l| {
                    l.get("transport").is_some_and(|x| x == t)
                        && l.get("clients").is_some_and(|x| x == c)
                })
                .and_then(|l| l.get("p50_ms")?.parse::<f64>().ok())
        };
        if let (Some(h), Some(i)) = (p50("http", "1"), p50("in-process", "1")) {
            if h > i + 60.0 {
                let _ = writeln!(
                    o,
                    "\nOver HTTP one enrollment (two exchanges) takes {h:.0} ms against {i:.1} ms in \
                     process: about 40 ms per exchange is the TCP delayed ACK meeting Nagle's \
                     algorithm. tiny_http writes the response head from a 1 KiB `BufWriter` and \
                     the body in a second write without TCP_NODELAY, so the body waits for the \
                     client's delayed ACK of the head. Concurrency hides the stall (throughput \
                     grows with clients) but not the latency; setting TCP_NODELAY on accepted \
                     connections or writing head and body in one buffer in the responder's \
                     HTTP front end would remove it."
                );
            }
        }
        if let Some(e) = r.load.iter().find_map(|l| l.get("first_error")) {
            let _ = writeln!(o, "\nFirst failure: {e}");
        }
        o.push('\n');
    }

    // ---- targets
    let _ = writeln!(o, "## Targets of the issue\n");
    let _ = writeln!(
        o,
        "The verdict uses the callgrind instruction ratio where one was measured (stable on a \
         shared machine) and the criterion time ratio otherwise; both are shown. Each row gives \
         the worst size class or case.\n"
    );
    let _ = writeln!(
        o,
        "| target | by time | by instructions | verdict |\n|---|---|---|---|"
    );
    let mut target = |name: &str,
                      time: Option<(f64, String)>,
                      instr: Option<(f64, String)>,
                      ok: &dyn Fn(f64) -> bool,
                      unit: &str| {
        let show = |v: &Option<(f64, String)>| match v {
            Some((x, c)) => format!("{x:.2}{unit} ({c})"),
            None => "–".into(),
        };
        let verdict = match instr.as_ref().or(time.as_ref()) {
            Some((v, _)) if ok(*v) => "met",
            Some(_) => "**missed**",
            None => "not measured",
        };
        let _ = writeln!(
            o,
            "| {name} | {} | {} | {verdict} |",
            show(&time),
            show(&instr)
        );
    };
    // Worst (smallest) speed-up of ours over a peer across the size classes.
    let speedup = |peer: &str, instr: bool| -> Option<(f64, String)> {
        CLASSES
            .iter()
            .filter_map(|c| {
                let get = |i: &str| {
                    let id = format!("parse/{c}/{i}");
                    if instr {
                        r.ir(&id)
                    } else if i == "bc" {
                        r.bc_ns(&id)
                    } else {
                        r.t(&id)
                    }
                };
                Some((get(peer)? / get("ours")?, c.to_string()))
            })
            .min_by(|a, b| a.0.total_cmp(&b.0))
    };
    for (peer, label, need) in [
        ("cmpv2", "parse ≥10× faster than cmpv2", 10.0),
        ("bc", "parse ≥10× faster than Bouncy Castle", 10.0),
        ("openssl", "parse ≥100× faster than OpenSSL d2i", 100.0),
    ] {
        let instr = if peer == "bc" {
            None
        } else {
            speedup(peer, true)
        };
        target(
            label,
            speedup(peer, false),
            instr,
            &|v| v >= need,
            "× faster",
        );
    }
    // Worst (largest) factor of ours over the TLV walk.
    let walk = |instr: bool| -> Option<(f64, String)> {
        CLASSES
            .iter()
            .filter_map(|c| {
                let id = |i: &str| format!("parse/{c}/{i}");
                let (o, w) = if instr {
                    (r.ir(&id("ours"))?, r.ir(&id("tlv-walk"))?)
                } else {
                    (r.t(&id("ours"))?, r.t(&id("tlv-walk"))?)
                };
                Some((o / w, c.to_string()))
            })
            .max_by(|a, b| a.0.total_cmp(&b.0))
    };
    // The same targets on the per-message medians of each size class (time only).
    let class_worst = |p: &str| -> Option<(f64, String)> {
        let set = |stats: &'static str, v: &[ClassStats]| {
            v.iter()
                .filter_map(|st| {
                    st.vs
                        .get(p)
                        .map(|v| (v.0, format!("{stats}{}, median of {}", st.name, v.3)))
                })
                .collect::<Vec<_>>()
        };
        let vals = set("", &stats)
            .into_iter()
            .chain(set("third-party ", &third));
        if p == "tlv-walk" {
            vals.max_by(|a, b| a.0.total_cmp(&b.0))
        } else {
            vals.min_by(|a, b| a.0.total_cmp(&b.0))
        }
    };
    for (peer, label, need) in [
        (
            "cmpv2",
            "parse ≥10× faster than cmpv2, per-message median of each size class",
            10.0,
        ),
        (
            "bc",
            "parse ≥10× faster than Bouncy Castle, per-message median of each size class",
            10.0,
        ),
        (
            "openssl",
            "parse ≥100× faster than OpenSSL d2i, per-message median of each size class",
            100.0,
        ),
    ] {
        target(label, class_worst(peer), None, &|v| v >= need, "× faster");
    }
    target(
        "parse within 2× of a bare TLV walk, per-message median of each size class",
        class_worst("tlv-walk"),
        None,
        &|v| v <= 2.0,
        "×",
    );
    target(
        "parse within 2× of a bare TLV walk on every size class",
        walk(false),
        walk(true),
        &|v| v <= 2.0,
        "×",
    );
    let allocs = CLASSES
        .iter()
        .filter_map(|c| {
            r.alloc
                .get(&format!("parse/{c}/ours"))
                .map(|a| (a.0, c.to_string()))
        })
        .max_by(|a, b| a.0.total_cmp(&b.0));
    target(
        "parse makes zero allocations (count per parse)",
        allocs,
        None,
        &|v| v == 0.0,
        "",
    );
    let within = |g: &str, cases: &[&str], ours: &str, instr: bool| -> Option<(f64, String)> {
        let bare = if ours == "ours-full" {
            "bare-decode"
        } else {
            "bare"
        };
        cases
            .iter()
            .filter_map(|c| {
                let (o, b) = (format!("{g}/{c}/{ours}"), format!("{g}/{c}/{bare}"));
                let v = if instr {
                    r.ir(&o)? / r.ir(&b)?
                } else {
                    r.t(&o)? / r.t(&b)?
                };
                Some((v, c.to_string()))
            })
            .max_by(|a, b| a.0.total_cmp(&b.0))
    };
    target(
        "MAC verify within 10% of the bare primitive",
        within("mac", &MAC_CASES, "ours", false),
        within("mac", &MAC_CASES, "ours", true),
        &|v| v <= 1.10,
        "×",
    );
    target(
        "MAC verify with a cached key within 10% of the bare HMAC",
        within("mac-cached-key", &MAC_CASES, "ours", false),
        within("mac-cached-key", &MAC_CASES, "ours", true),
        &|v| v <= 1.10,
        "×",
    );
    target(
        "signature verify within 10% of the bare primitive (key bound once)",
        within("sig", &SIG_CASES, "ours-key", false),
        within("sig", &SIG_CASES, "ours-key", true),
        &|v| v <= 1.10,
        "×",
    );
    target(
        "signature verify within 10% of the bare primitive (`verify_signature`: signer searched in extraCerts, key decoded; bare: key decoded + verify)",
        within("sig", &SIG_CASES, "ours-full", false),
        within("sig", &SIG_CASES, "ours-full", true),
        &|v| v <= 1.10,
        "×",
    );
    o
}

fn g_has(r: &Results, g: &str) -> bool {
    r.criterion.keys().any(|k| k.starts_with(&format!("{g}/")))
}
