//! Parse time of every vector message, one message at a time, grouped in size classes: the
//! way the issue measured the peers ("median per message, full decode", small ~450 B, medium
//! ~1.9 KB), next to criterion's fixed representative messages.
//!
//! Each (message, parser) pair is timed in batches of about 2 ms after one warm-up batch; the
//! median of nine batches is kept. Bouncy Castle's numbers come from `java/BcBench.java`
//! (`corpus` case) under the same rule, with the ids [`bc_id`] gives.

use std::hint::black_box;
use std::time::{Duration, Instant};

use cmp_codec::PKIMessage;

use crate::corpus::all_vectors;
use crate::peers::cmpv2;
use crate::walk::tlv_walk;

/// The parsers timed per message (Bouncy Castle runs in its own process).
pub const IMPLS: [&str; 4] = ["ours", "cmpv2", "openssl", "tlv-walk"];

/// Size classes by DER length: `(name, smallest, largest)` in bytes.
pub const CLASSES: [(&str, usize, usize); 3] = [
    ("small (< 1 KiB)", 0, 1023),
    ("medium (1-4 KiB)", 1024, 4095),
    ("large (≥ 4 KiB)", 4096, usize::MAX),
];

/// The id Bouncy Castle's line for vector `rel` carries.
pub fn bc_id(rel: &str) -> String {
    format!("permsg/{rel}/bc")
}

/// The vector messages every Rust-side parser is measured on: those ours accepts (the peers
/// are measured where they accept the message, see [`measure`]).
pub fn messages() -> Vec<(String, Vec<u8>)> {
    all_vectors()
        .into_iter()
        .filter(|(_, d)| PKIMessage::parse(d).is_ok())
        .collect()
}

/// Median ns per call of `op` (see the module documentation).
fn time(mut op: impl FnMut()) -> f64 {
    let t0 = Instant::now();
    op();
    let once = t0.elapsed().max(Duration::from_nanos(20));
    let per_batch = (Duration::from_millis(2).as_nanos() / once.as_nanos()).clamp(1, 1_000_000);
    let mut batch = || {
        let t = Instant::now();
        for _ in 0..per_batch {
            op();
        }
        t.elapsed().as_nanos() as f64 / per_batch as f64
    };
    batch();
    let mut v: Vec<f64> = (0..9).map(|_| batch()).collect();
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// One row per (message, parser that accepts it): `(vector, bytes, parser, ns)`.
pub fn measure() -> Vec<(String, usize, &'static str, f64)> {
    let mut rows = Vec::new();
    for (rel, der) in messages() {
        let d = der.as_slice();
        rows.push((
            rel.clone(),
            d.len(),
            "ours",
            time(|| {
                black_box(PKIMessage::parse(black_box(d)).unwrap());
            }),
        ));
        if cmpv2::decode(d).is_ok() {
            rows.push((
                rel.clone(),
                d.len(),
                "cmpv2",
                time(|| {
                    black_box(cmpv2::decode(black_box(d)).unwrap());
                }),
            ));
        }
        #[cfg(feature = "openssl")]
        if crate::peers::openssl::parse(d) {
            rows.push((
                rel.clone(),
                d.len(),
                "openssl",
                time(|| {
                    black_box(crate::peers::openssl::parse(black_box(d)));
                }),
            ));
        }
        rows.push((
            rel.clone(),
            d.len(),
            "tlv-walk",
            time(|| {
                black_box(tlv_walk(black_box(d)).unwrap());
            }),
        ));
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
