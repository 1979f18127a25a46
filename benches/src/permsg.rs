//! Parse time of every vector message, one message at a time, grouped in size classes: the
//! way the issue measured the peers ("median per message, full decode", small ~450 B, medium
//! ~1.9 KB), next to criterion's fixed representative messages.
//!
//! Two sets of messages: the repo's `vectors/` (made by OpenSSL and Bouncy Castle through the
//! repo's scripts) and, when `$CMP_SHARED_VECTORS` names them, the third-party messages of
//! `../shared/vectors` (OpenSSL's test data, RustCrypto's `cmpv2` tests, the Siemens test suite,
//! OpenSSL CLI flows), which no script of the repo made: ids [`THIRD_PARTY`]`<path>`.
//!
//! Each message's parsers are timed **interleaved**: after one warm-up batch each, nine rounds
//! in which every parser runs one batch of about 2 ms in turn; each parser keeps the median of
//! its nine. The machine is shared, and a load that comes and goes would otherwise fall on
//! one parser's batches and not on the other's, which moved the per-message ratios by a third
//! between runs. Bouncy Castle's numbers come from `java/BcBench.java` (`corpus` case) under
//! the batch rule, with the ids [`bc_id`] gives.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use cmp_codec::PKIMessage;

use crate::corpus::all_vectors;
use crate::peers::cmpv2;
use crate::walk::tlv_walk;

/// Size classes by DER length: `(name, smallest, largest)` in bytes.
pub const CLASSES: [(&str, usize, usize); 3] = [
    ("small (< 1 KiB)", 0, 1023),
    ("medium (1-4 KiB)", 1024, 4095),
    ("large (≥ 4 KiB)", 4096, usize::MAX),
];

/// The id prefix of a third-party message (its path under `$CMP_SHARED_VECTORS` follows).
pub const THIRD_PARTY: &str = "third-party:";

/// The id Bouncy Castle's line for message `rel` carries.
pub fn bc_id(rel: &str) -> String {
    format!("permsg/{rel}/bc")
}

/// The third-party messages' directory: `$CMP_SHARED_VECTORS` (set by `cargo xtask bench`).
fn third_party_dir() -> Option<PathBuf> {
    std::env::var_os("CMP_SHARED_VECTORS")
        .map(PathBuf::from)
        .filter(|d| d.is_dir())
}

/// The file behind a message id of [`messages`].
pub fn path_of(rel: &str) -> PathBuf {
    match (rel.strip_prefix(THIRD_PARTY), third_party_dir()) {
        (Some(r), Some(d)) => d.join(r),
        _ => crate::vectors_dir().join(rel),
    }
}

/// Every `.der` file under `dir`, as paths relative to it, sorted.
fn der_files(dir: &std::path::Path, prefix: &str, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.filter_map(|e| e.ok()).collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let name = format!("{prefix}{}", e.file_name().to_string_lossy());
        let path = e.path();
        if path.is_dir() {
            der_files(&path, &format!("{name}/"), out);
        } else if name.ends_with(".der") {
            out.push(name);
        }
    }
}

/// The messages every Rust-side parser is measured on, as (id, DER): those of `vectors/`
/// and the third-party ones that ours accepts (the peers are measured where they accept the
/// message, see [`measure`]; a third-party file ours rejects is one of the malformed samples
/// of those suites).
pub fn messages() -> Vec<(String, Vec<u8>)> {
    let mut all = all_vectors();
    if let Some(dir) = third_party_dir() {
        let mut files = Vec::new();
        der_files(&dir, "", &mut files);
        for f in files {
            if let Ok(der) = std::fs::read(dir.join(&f)) {
                all.push((format!("{THIRD_PARTY}{f}"), der));
            }
        }
    }
    all.into_iter()
        .filter(|(_, d)| PKIMessage::parse(d).is_ok())
        .collect()
}

/// A parser's name and one parse of the message under test.
type Op<'a> = (&'static str, Box<dyn FnMut() + 'a>);

/// Median ns per call of each operation, timed interleaved (see the module documentation).
fn time_interleaved(ops: &mut [Op<'_>]) -> Vec<(&'static str, f64)> {
    let per_batch: Vec<u128> = ops
        .iter_mut()
        .map(|(_, op)| {
            let t0 = Instant::now();
            op();
            let once = t0.elapsed().max(Duration::from_nanos(20));
            (Duration::from_millis(2).as_nanos() / once.as_nanos()).clamp(1, 1_000_000)
        })
        .collect();
    let mut batch = |i: usize| {
        let op = &mut ops[i].1;
        let t = Instant::now();
        for _ in 0..per_batch[i] {
            op();
        }
        t.elapsed().as_nanos() as f64 / per_batch[i] as f64
    };
    let n = per_batch.len();
    for i in 0..n {
        batch(i);
    }
    let mut samples = vec![Vec::with_capacity(9); n];
    for _ in 0..9 {
        for (i, s) in samples.iter_mut().enumerate() {
            s.push(batch(i));
        }
    }
    ops.iter()
        .zip(samples)
        .map(|((name, _), mut v)| (*name, median(&mut v).unwrap_or(f64::NAN)))
        .collect()
}

/// One row per (message, parser that accepts it): `(id, bytes, parser, ns)`.
pub fn measure() -> Vec<(String, usize, &'static str, f64)> {
    let mut rows = Vec::new();
    for (rel, der) in messages() {
        let d = der.as_slice();
        let mut ops: Vec<Op<'_>> = vec![(
            "ours",
            Box::new(|| {
                black_box(PKIMessage::parse(black_box(d)).unwrap());
            }),
        )];
        if cmpv2::decode(d).is_ok() {
            ops.push((
                "cmpv2",
                Box::new(|| {
                    black_box(cmpv2::decode(black_box(d)).unwrap());
                }),
            ));
        }
        #[cfg(feature = "openssl")]
        if crate::peers::openssl::parse(d) {
            ops.push((
                "openssl",
                Box::new(|| {
                    black_box(crate::peers::openssl::parse(black_box(d)));
                }),
            ));
        }
        ops.push((
            "tlv-walk",
            Box::new(|| {
                black_box(tlv_walk(black_box(d)).unwrap());
            }),
        ));
        for (parser, ns) in time_interleaved(&mut ops) {
            rows.push((rel.clone(), d.len(), parser, ns));
        }
    }
    rows
}

/// The median of `v` (`None` when empty).
pub fn median(v: &mut [f64]) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    })
}
