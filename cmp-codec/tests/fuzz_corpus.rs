//! Corpus replay: every input the fuzzers ever kept or crashed on runs through the fuzz target
//! bodies in the normal test suite, without a fuzzing toolchain.
//!
//! * `fuzz/regressions/TARGET/`: every crash, timeout or leak ever found (committed; `cargo
//!   xtask fuzz` copies new ones there), which must pass once fixed;
//! * `fuzz/seeds/TARGET/`: the small committed seed set;
//! * `fuzz/corpus/TARGET/`: the local corpus `cargo xtask fuzz` grew (not committed; replayed
//!   when present, e.g. after the CI smoke run);
//! * the repo's and the shared vectors (the seeds `cargo xtask fuzz` starts from).
//!
//! The target bodies are the very functions the libFuzzer binaries call. `parse` and
//! `roundtrip` live in `fuzz/targets/src/codec.rs`, which needs only `cmp_codec` and is
//! compiled into this test with `#[path]`. The other targets (`structured`, `inspect`,
//! `verify`) need `arbitrary` and `cmp-conformance`; their stored inputs are replayed here once
//! `cmp-fuzz-targets` is a dev-dependency of cmp-codec (see fuzz/README.md), and are reported
//! as `SKIPPED` until then.

mod common;

#[path = "../../fuzz/targets/src/codec.rs"]
mod targets;

use std::path::{Path, PathBuf};

/// A fuzz target body: panics on a finding.
type Target = fn(&[u8]);

/// The targets this test can run, by the name of their corpus folder.
const TARGETS: &[(&str, Target)] = &[("parse", targets::parse), ("roundtrip", targets::roundtrip)];

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz")
}

fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file())
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

/// Run `f` on `data`, naming the input when it panics.
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

/// Replay the files of `fuzz/<kind>/TARGET/` for every target; returns how many ran, and
/// reports folders of targets this test cannot run.
fn replay_folders(kind: &str) -> usize {
    let base = fuzz_dir().join(kind);
    let mut ran = 0;
    for dir in files_in_dirs(&base) {
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        let files = files_in(&dir);
        match TARGETS.iter().find(|(n, _)| *n == name) {
            Some((_, f)) => {
                for p in &files {
                    // A running fuzzer replaces corpus files as it reduces them.
                    let Ok(data) = std::fs::read(p) else { continue };
                    replay(&name, &p.display().to_string(), *f, &data);
                    ran += 1;
                }
            }
            None if !files.is_empty() => eprintln!(
                "SKIPPED fuzz_corpus: {} file(s) in fuzz/{kind}/{name}/ need the `{name}` target \
                 from cmp-fuzz-targets (add it as a dev-dependency of cmp-codec, fuzz/README.md)",
                files.len()
            ),
            None => {}
        }
    }
    ran
}

fn files_in_dirs(base: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(base)
        .map(|d| {
            d.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_dir())
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

#[test]
fn every_saved_crash_passes() {
    let n = replay_folders("regressions");
    eprintln!("fuzz_corpus: replayed {n} saved crash input(s)");
}

#[test]
fn committed_seeds_and_local_corpora_pass() {
    let seeds = replay_folders("seeds");
    let corpus = replay_folders("corpus");
    if corpus == 0 {
        eprintln!(
            "fuzz_corpus: no local corpus in fuzz/corpus/ (run `cargo xtask fuzz` to grow one)"
        );
    }
    eprintln!("fuzz_corpus: replayed {seeds} seed(s) and {corpus} corpus input(s)");
}

#[test]
fn every_vector_passes_the_codec_targets() {
    let vectors = common::all_vectors("fuzz_corpus");
    assert!(!vectors.is_empty(), "no vectors found");
    for v in &vectors {
        for (name, f) in TARGETS {
            replay(name, &v.name, *f, &v.der);
        }
    }
}

/// Inputs at the edges: empty, an empty SEQUENCE, indefinite length, a built message.
#[test]
fn the_codec_targets_take_edge_inputs() {
    let good = cmp_codec::builder::example_genm();
    for data in [&[][..], &[0x30, 0x00], &[0x30, 0x80, 0x00, 0x00], &good] {
        for (name, f) in TARGETS {
            replay(name, "an edge input", *f, data);
        }
    }
}
