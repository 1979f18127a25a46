//! The bodies of the cmp-rs fuzz targets, as plain functions.
//!
//! The libFuzzer binaries in `fuzz/fuzz_targets/` are one line each around these functions,
//! and the corpus replay test (`tests/corpus_replay.rs`; this crate is a member of the main
//! workspace, so `cargo test --workspace` runs it) calls the same functions on every stored
//! corpus file, every saved crash and every vector, so the normal test suite runs them without
//! a fuzzing toolchain. A target "fails" by panicking.
//!
//! | target | what it checks |
//! | --- | --- |
//! | `parse` | any bytes: no panic, errors point inside the input, every parsed part walks |
//! | `roundtrip` | whatever parses re-encodes to the same bytes and re-parses to an equal value |
//! | `structured` | an arbitrary message built with `cmp_codec::builder` parses back equal |
//! | `inspect` | the `cmp inspect` input sniffer and both dump renderers never panic |
//! | `verify` | MAC / signature verification of edited real messages: no panic, never accepts changed protected bytes |
//! | `response_check` | the conformance runner's response checks and step judgement on hostile answers to real requests: no panic, a non-PKIMessage is always reported |

#![forbid(unsafe_code)]

pub mod codec;
pub mod inspect;
pub mod response_check;
pub mod structured;
pub mod verify;

pub use codec::{parse, roundtrip};
pub use inspect::inspect;
pub use response_check::response_check;
pub use structured::structured;
pub use verify::verify;

/// A target body: returns normally, or panics on a finding.
pub type Target = fn(&[u8]);

/// Every target: name (as in `cargo fuzz run NAME`) and body.
pub const TARGETS: &[(&str, Target)] = &[
    ("parse", parse),
    ("roundtrip", roundtrip),
    ("structured", structured),
    ("inspect", inspect),
    ("verify", verify),
    ("response_check", response_check),
];

/// The body of the target called `name`.
pub fn target(name: &str) -> Option<Target> {
    TARGETS.iter().find(|(n, _)| *n == name).map(|(_, f)| *f)
}
