//! Corpus replay: every input the fuzzers ever kept or crashed on runs through the fuzz target
//! bodies in the normal test suite (`cargo test --workspace`), without a fuzzing toolchain.
//!
//! * `fuzz/regressions/TARGET/`: every crash, timeout or leak ever found (committed; `cargo
//!   xtask fuzz` copies new ones there), which must pass once fixed;
//! * `fuzz/seeds/TARGET/`: the small committed seed set;
//! * `fuzz/corpus/TARGET/`: the local corpus `cargo xtask fuzz` grew (not committed; replayed
//!   when present, e.g. after the CI smoke run);
//! * the repo's vectors (every file under `vectors/`) and the shared third-party vectors
//!   (`$CMP_SHARED_VECTORS`, listed by `cmp-codec/tests/common/mod.rs`), through every target.
//!
//! The target bodies are the very functions the libFuzzer binaries in `fuzz/fuzz_targets/`
//! call ([`cmp_fuzz_targets::TARGETS`]).

// The list of shared vectors and the `CMP_SHARED_VECTORS` logic (with its SKIPPED message) of
// the codec's tests. Only `shared_vectors` is used: its `repo_vectors` resolves `vectors/`
// relative to the codec crate, so the repo's vectors are walked below instead.
#[path = "../../../cmp-codec/tests/common/mod.rs"]
mod common;

use std::path::{Path, PathBuf};

use cmp_fuzz_targets::{Target, TARGETS};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn fuzz_dir() -> PathBuf {
    repo_root().join("fuzz")
}

/// The entries of `dir` (not recursive) that satisfy `keep`, sorted; empty when `dir` is absent.
fn entries(dir: &Path, keep: fn(&Path) -> bool) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| keep(p))
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

/// Every file under `dir`, recursively, sorted.
fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    for p in entries(dir, |_| true) {
        if p.is_dir() {
            walk(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// Run `f` on `data`, naming the target and the input when it panics.
fn replay(target: &str, what: &str, f: Target, data: &[u8]) {
    if let Err(e) = std::panic::catch_unwind(|| f(data)) {
        let msg = e
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        panic!("fuzz target `{target}` fails on {what}: {msg}");
    }
}

/// Replay the files of `fuzz/<kind>/TARGET/` through TARGET, for every folder; returns how many
/// inputs ran. A folder named after no target is an error (a renamed target would otherwise
/// silently stop replaying its crashes).
fn replay_folders(kind: &str) -> usize {
    let mut ran = 0;
    for dir in entries(&fuzz_dir().join(kind), |p| p.is_dir()) {
        let name = dir.file_name().unwrap_or_default().to_string_lossy();
        let Some((_, f)) = TARGETS.iter().find(|(n, _)| *n == name) else {
            panic!(
                "fuzz/{kind}/{name}/ is named after no fuzz target (targets: {})",
                names()
            );
        };
        for p in entries(&dir, |p| p.is_file()) {
            // A running fuzzer replaces corpus files as it reduces them.
            let Ok(data) = std::fs::read(&p) else {
                continue;
            };
            replay(&name, &p.display().to_string(), *f, &data);
            ran += 1;
        }
    }
    ran
}

fn names() -> String {
    TARGETS
        .iter()
        .map(|(n, _)| *n)
        .collect::<Vec<_>>()
        .join(", ")
}

#[test]
fn every_saved_crash_passes() {
    let n = replay_folders("regressions");
    eprintln!("corpus_replay: replayed {n} saved crash input(s)");
}

#[test]
fn committed_seeds_pass() {
    let n = replay_folders("seeds");
    // The verify seeds (one per original) are committed: without them this test checks nothing.
    assert!(n >= 11, "only {n} committed seed(s) under fuzz/seeds/");
    eprintln!("corpus_replay: replayed {n} committed seed(s)");
}

#[test]
fn local_corpora_pass() {
    let n = replay_folders("corpus");
    if n == 0 {
        eprintln!(
            "corpus_replay: no local corpus in fuzz/corpus/ (run `cargo xtask fuzz` to grow one)"
        );
    }
    eprintln!("corpus_replay: replayed {n} local corpus input(s)");
}

/// The repo's vectors (DER messages, certificates, PEM, keys, scenario TOML: every file, since
/// every target takes any bytes) and the shared PKIMessages, through every target.
#[test]
fn every_vector_passes_every_target() {
    let mut files = Vec::new();
    walk(&repo_root().join("vectors"), &mut files);
    let ders = files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "der"))
        .count();
    assert!(
        ders >= 100,
        "expected the repo's vectors, found {ders} DER files"
    );
    for p in &files {
        let data = std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        for (name, f) in TARGETS {
            replay(name, &p.display().to_string(), *f, &data);
        }
    }
    let shared = common::shared_vectors("corpus_replay");
    for v in &shared {
        for (name, f) in TARGETS {
            replay(name, &v.name, *f, &v.der);
        }
    }
    eprintln!(
        "corpus_replay: {} repo file(s) and {} shared vector(s) through {} targets",
        files.len(),
        shared.len(),
        TARGETS.len()
    );
}

/// Inputs at the edges: empty, an empty SEQUENCE, indefinite length, one byte of each value
/// the structure-aware targets branch on first, a built message.
#[test]
fn every_target_takes_edge_inputs() {
    let good = cmp_codec::builder::example_genm();
    let mut inputs: Vec<Vec<u8>> = vec![
        vec![],
        vec![0x30, 0x00],
        vec![0x30, 0x80, 0x00, 0x00],
        vec![0xff; 64],
        good,
    ];
    inputs.extend((0..=255u8).map(|b| vec![b]));
    for data in &inputs {
        for (name, f) in TARGETS {
            replay(name, "an edge input", *f, data);
        }
    }
}

/// The libFuzzer binaries and this replay run the same list: every `[[bin]]` of
/// fuzz/Cargo.toml is a target of `TARGETS` whose file calls that very body, and back.
#[test]
fn the_fuzz_binaries_are_the_replayed_targets() {
    let manifest = std::fs::read_to_string(fuzz_dir().join("Cargo.toml")).expect("fuzz/Cargo.toml");
    let mut bins = Vec::new();
    let mut in_bin = false;
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            in_bin = line == "[[bin]]";
        } else if let Some(v) = line.strip_prefix("name = ").filter(|_| in_bin) {
            bins.push(v.trim_matches('"').to_string());
        }
    }
    let mut targets: Vec<String> = TARGETS.iter().map(|(n, _)| n.to_string()).collect();
    let mut sorted_bins = bins.clone();
    sorted_bins.sort();
    targets.sort();
    assert_eq!(sorted_bins, targets, "fuzz/Cargo.toml [[bin]]s vs TARGETS");
    for b in &bins {
        let path = fuzz_dir().join("fuzz_targets").join(format!("{b}.rs"));
        let src =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(
            src.contains(&format!("cmp_fuzz_targets::{b}(")),
            "{} does not call cmp_fuzz_targets::{b}",
            path.display()
        );
    }
    // The nightly workflow's matrix and the ClusterFuzzLite build name every target.
    let root = repo_root();
    let workflow = std::fs::read_to_string(root.join(".github/workflows/fuzz.yml"))
        .expect(".github/workflows/fuzz.yml");
    let matrix = workflow
        .lines()
        .find_map(|l| l.trim().strip_prefix("target: ["))
        .expect("a `target: [...]` matrix in fuzz.yml");
    let mut in_matrix: Vec<String> = matrix
        .trim_end_matches(']')
        .split(',')
        .map(|t| t.trim().to_string())
        .collect();
    in_matrix.sort();
    assert_eq!(in_matrix, targets, "fuzz.yml matrix vs TARGETS");
    let build = std::fs::read_to_string(root.join(".clusterfuzzlite/build.sh"))
        .expect(".clusterfuzzlite/build.sh");
    for t in &targets {
        assert!(
            build.lines().any(|l| l.starts_with("for t in ")
                && l.split_whitespace().any(|w| w.trim_end_matches(';') == t)),
            ".clusterfuzzlite/build.sh does not require target {t}"
        );
    }
}
