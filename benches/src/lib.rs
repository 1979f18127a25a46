//! Benchmarks of `cmp-codec` side by side with its peers: RustCrypto `cmpv2` 0.2 (`der`
//! based, owned), OpenSSL libcrypto (`d2i_OSSL_CMP_MSG`, `OSSL_CMP_validate_msg`, with the
//! `openssl` feature), Bouncy Castle (a Java harness, `java/BcBench.java`) and the raw
//! primitives as the floor (a bare DER TLV walk, the PBM / PBKDF2 + HMAC chain, a bare
//! signature verify over the same bytes).
//!
//! * [`corpus`]: the fixed set of real messages from `vectors/` in size classes.
//! * [`walk`]: the bare TLV walk and the header-only parse a router needs.
//! * [`peers`]: `cmpv2` and OpenSSL entry points.
//! * [`crypto`]: MAC and signature cases, with the bare primitives.
//! * [`permsg`]: every vector message timed on its own, grouped in size classes.
//! * [`scale`]: messages with 1..1000 certificates / requests and nesting depth 1..=8.
//! * [`alloc`]: the counting allocator the `cmp-bench` binary installs.
//! * [`load`]: concurrent enrollments against the reference responder.
//! * [`report`]: reading criterion's estimates and writing `RESULTS.md`.

// `asn1::ParseError` is large (upstream); every rust-asn1 parse returns it.
#![allow(clippy::result_large_err)]

pub mod alloc;
pub mod corpus;
pub mod crypto;
pub mod der;
pub mod load;
pub mod peers;
pub mod permsg;
pub mod probes;
pub mod report;
pub mod scale;
pub mod walk;

use std::path::PathBuf;

/// The workspace root (the parent of this crate).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("benches/ has a parent")
        .to_path_buf()
}

/// `vectors/` of the workspace.
pub fn vectors_dir() -> PathBuf {
    repo_root().join("vectors")
}

/// The vectors' PBM / PBMAC1 shared secret.
pub const SECRET: &[u8] = b"insecure-cmp-vectors-secret";
