//! Where the test vectors are: the repo's own (`vectors/`, produced by real peers through
//! `cargo xtask vectors`) and the third-party ones in `../shared/vectors`, found through the
//! `CMP_SHARED_VECTORS` environment variable that `.ci/run` sets.
#![allow(dead_code)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// A DER PKIMessage with the body alternative a third party says it holds.
pub struct Vector {
    pub name: String,
    pub der: Vec<u8>,
    pub body: String,
}

/// Third-party PKIMessages and their body arm, as listed in the MANIFEST.md of each folder.
const SHARED: &[(&str, &str)] = &[
    (
        "openssl/3.0.20/test/recipes/65-test_cmp_protect_data/IP_PBM.der",
        "ip",
    ),
    (
        "openssl/3.0.20/test/recipes/65-test_cmp_protect_data/IR_protected.der",
        "ir",
    ),
    (
        "openssl/3.0.20/test/recipes/65-test_cmp_protect_data/IR_unprotected.der",
        "ir",
    ),
    (
        "openssl/3.0.20/test/recipes/65-test_cmp_server_data/CR_protected_PBM_1234.der",
        "cr",
    ),
    (
        "openssl/3.0.20/test/recipes/65-test_cmp_vfy_data/IP_waitingStatus_PBM.der",
        "ip",
    ),
    (
        "openssl/3.0.20/test/recipes/65-test_cmp_vfy_data/IR_protected.der",
        "ir",
    ),
    (
        "openssl/3.0.20/test/recipes/65-test_cmp_vfy_data/IR_protected_0_extraCerts.der",
        "ir",
    ),
    (
        "openssl/3.0.20/test/recipes/65-test_cmp_vfy_data/IR_protected_2_extraCerts.der",
        "ir",
    ),
    (
        "openssl/3.0.20/test/recipes/65-test_cmp_vfy_data/IR_rmprotection.der",
        "ip",
    ),
    (
        "openssl/3.0.20/test/recipes/65-test_cmp_vfy_data/IR_unprotected.der",
        "ir",
    ),
    (
        "openssl/4.0.2/test/recipes/65-test_cmp_protect_data/GENM_protected_Ed.der",
        "genm",
    ),
    (
        "openssl/4.0.2/test/recipes/65-test_cmp_protect_data/IP_PBM.der",
        "ip",
    ),
    (
        "openssl/4.0.2/test/recipes/65-test_cmp_protect_data/IR_protected.der",
        "ir",
    ),
    (
        "openssl/4.0.2/test/recipes/65-test_cmp_protect_data/IR_unprotected.der",
        "ir",
    ),
    (
        "openssl/4.0.2/test/recipes/65-test_cmp_server_data/CR_protected_PBM_1234.der",
        "cr",
    ),
    (
        "openssl/4.0.2/test/recipes/65-test_cmp_vfy_data/IP_waitingStatus_PBM.der",
        "ip",
    ),
    (
        "openssl/4.0.2/test/recipes/65-test_cmp_vfy_data/IR_protected.der",
        "ir",
    ),
    (
        "openssl/4.0.2/test/recipes/65-test_cmp_vfy_data/IR_protected_0_extraCerts.der",
        "ir",
    ),
    (
        "openssl/4.0.2/test/recipes/65-test_cmp_vfy_data/IR_protected_2_extraCerts.der",
        "ir",
    ),
    (
        "openssl/4.0.2/test/recipes/65-test_cmp_vfy_data/IR_rmprotection.der",
        "ip",
    ),
    (
        "openssl/4.0.2/test/recipes/65-test_cmp_vfy_data/IR_unprotected.der",
        "ir",
    ),
    (
        "rustcrypto-formats/cmpv2/tests/examples/cr_req_01.bin",
        "cr",
    ),
    (
        "rustcrypto-formats/cmpv2/tests/examples/cr_rsp_01.bin",
        "cp",
    ),
    (
        "rustcrypto-formats/cmpv2/tests/examples/failed_kur_rsp_01.bin",
        "error",
    ),
    (
        "rustcrypto-formats/cmpv2/tests/examples/genm_req_01.bin",
        "genm",
    ),
    (
        "rustcrypto-formats/cmpv2/tests/examples/genm_rsp_01.bin",
        "genp",
    ),
    (
        "rustcrypto-formats/cmpv2/tests/examples/ir_req_01.bin",
        "ir",
    ),
    (
        "rustcrypto-formats/cmpv2/tests/examples/ir_rsp_01.bin",
        "ip",
    ),
    (
        "rustcrypto-formats/cmpv2/tests/examples/kur_req_01.bin",
        "kur",
    ),
    (
        "rustcrypto-formats/cmpv2/tests/examples/kur_rsp_01.bin",
        "kup",
    ),
    (
        "rustcrypto-formats/cmpv2/tests/examples/p10cr_req_01.bin",
        "p10cr",
    ),
    (
        "rustcrypto-formats/cmpv2/tests/examples/p10cr_rsp_01.bin",
        "cp",
    ),
    (
        "rustcrypto-formats/cmpv2/tests/examples/rr_req_01.bin",
        "rr",
    ),
    (
        "rustcrypto-formats/cmpv2/tests/examples/rr_rsp_01.bin",
        "rp",
    ),
    ("siemens-cmp-test-suite/data/raw-cmp-request-ir.bin", "ir"),
    (
        "siemens-cmp-test-suite/data/raw-cmp-request-p10cr.bin",
        "p10cr",
    ),
    (
        "siemens-cmp-test-suite/data/raw-cmp-response-accept.bin",
        "ip",
    ),
    ("siemens-cmp-test-suite/data/req-ir.pkimessage", "ir"),
    (
        "siemens-cmp-test-suite/data/req-p10cr-prot_none-pop_sig-dilithium.pkimessage",
        "p10cr",
    ),
    ("siemens-cmp-test-suite/der/cmp-sample-reject.der", "error"),
    (
        "siemens-cmp-test-suite/der/example-cmp-response-accept.der",
        "ip",
    ),
    (
        "siemens-cmp-test-suite/der/example-p10cr-rufus.der",
        "p10cr",
    ),
    ("siemens-cmp-test-suite/der/example-request-ir.der", "ir"),
    (
        "siemens-cmp-test-suite/der/example-response-CertRepMessage.der",
        "cp",
    ),
    (
        "siemens-cmp-test-suite/der/example-response-error-implicitConfirm.der",
        "error",
    ),
    (
        "siemens-cmp-test-suite/der/example-response-p10rp-cert.der",
        "cp",
    ),
    (
        "siemens-cmp-test-suite/der/example-response-unsupported-algo.der",
        "error",
    ),
    (
        "siemens-cmp-test-suite/der/example-rufus-01-p10cr.der",
        "p10cr",
    ),
    (
        "siemens-cmp-test-suite/der/example-rufus-02-certConf.der",
        "certConf",
    ),
];

/// The shared vectors folder, or `None` (after saying so loudly) when it is not configured.
pub fn shared_dir(test: &str) -> Option<PathBuf> {
    match std::env::var_os("CMP_SHARED_VECTORS") {
        Some(d) => Some(PathBuf::from(d)),
        None => {
            eprintln!(
                "SKIPPED {test}: third-party vectors not checked; set CMP_SHARED_VECTORS=../shared/vectors (.ci/run does)"
            );
            None
        }
    }
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every third-party PKIMessage: the fixed list above plus the OpenSSL CLI flows, whose file
/// names end in `.<body>[_suffix].der`.
pub fn shared_vectors(test: &str) -> Vec<Vector> {
    let Some(dir) = shared_dir(test) else {
        return Vec::new();
    };
    let mut out: Vec<Vector> = SHARED
        .iter()
        .map(|(rel, body)| Vector {
            name: rel.to_string(),
            der: read(&dir.join(rel)),
            body: body.to_string(),
        })
        .collect();
    let flows = dir.join("openssl-cli-generated/messages");
    let mut entries: Vec<_> = std::fs::read_dir(&flows)
        .unwrap_or_else(|e| panic!("{}: {e}", flows.display()))
        .map(|e| e.expect("dir entry").path())
        .collect();
    entries.sort();
    for path in entries {
        let file = path.file_name().unwrap().to_string_lossy().to_string();
        // e.g. ir_poll.rsp1.ip_waiting.der -> "ip"
        let stem = file.trim_end_matches(".der");
        let last = stem.rsplit('.').next().unwrap();
        let body = last.split('_').next().unwrap();
        let body = if body == "pkiConf" { "pkiconf" } else { body };
        out.push(Vector {
            name: format!("openssl-cli-generated/messages/{file}"),
            der: read(&path),
            body: body.to_string(),
        });
    }
    assert!(
        out.len() >= 100,
        "expected the full shared corpus, found {}",
        out.len()
    );
    out
}

/// The repo's own vectors, from `vectors/*/MANIFEST.tsv` (columns: file, body, ...).
pub fn repo_vectors() -> Vec<Vector> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../vectors");
    let mut out = Vec::new();
    let Ok(dirs) = std::fs::read_dir(&root) else {
        return out;
    };
    let mut dirs: Vec<_> = dirs.map(|d| d.expect("dir entry").path()).collect();
    dirs.sort();
    for dir in dirs {
        let manifest = dir.join("MANIFEST.tsv");
        let Ok(text) = std::fs::read_to_string(&manifest) else {
            continue;
        };
        let mut lines = text.lines();
        let header: Vec<&str> = lines.next().unwrap_or("").split('\t').collect();
        let col = |name: &str| {
            header
                .iter()
                .position(|h| *h == name)
                .unwrap_or_else(|| panic!("{}: no column {name}", manifest.display()))
        };
        let (file_col, body_col) = (col("file"), col("body"));
        for line in lines.filter(|l| !l.trim().is_empty()) {
            let cells: Vec<&str> = line.split('\t').collect();
            let rel = cells[file_col];
            out.push(Vector {
                name: format!("{}/{rel}", dir.file_name().unwrap().to_string_lossy()),
                der: read(&dir.join(rel)),
                body: cells[body_col].to_string(),
            });
        }
    }
    out
}

/// All vectors, repo first.
pub fn all_vectors(test: &str) -> Vec<Vector> {
    let mut v = repo_vectors();
    v.extend(shared_vectors(test));
    v
}

/// Call `f(mutant, description)` for every truncation of `der` and, at every position, for
/// the byte there with its low, constructed (0x20) or high bit flipped and replaced by 0x00
/// and 0xff. Returns the number of byte mutants (truncations not counted).
pub fn for_each_mutant(der: &[u8], mut f: impl FnMut(&[u8], &str)) -> usize {
    for len in 0..der.len() {
        f(&der[..len], &format!("cut at {len}"));
    }
    let mut m = der.to_vec();
    let mut n = 0;
    for at in 0..der.len() {
        for b in [der[at] ^ 0x01, der[at] ^ 0x20, der[at] ^ 0x80, 0x00, 0xff] {
            m[at] = b;
            f(&m, &format!("byte {at} = {b:#04x}"));
            n += 1;
        }
        m[at] = der[at];
    }
    n
}

/// The DER of every vector `PKIMessage::parse` accepts, and the builder's example genm: the
/// inputs the reader agreement tests take their headers, ITAVs and templates from.
pub fn parsed_ders(test: &str) -> Vec<Vec<u8>> {
    let mut ders: Vec<Vec<u8>> = all_vectors(test).into_iter().map(|v| v.der).collect();
    ders.push(cmp_codec::builder::example_genm());
    ders.retain(|d| cmp_codec::PKIMessage::parse(d).is_ok());
    ders
}

/// The content octets of every constructed TLV inside `ders` (every `SEQUENCE` only, with
/// `only_sequences`), depth first, each distinct one once: the inputs of the reader
/// agreement tests, whatever type each really is.
pub fn constructed_contents(ders: &[Vec<u8>], only_sequences: bool) -> BTreeSet<&[u8]> {
    fn walk<'a>(der: &'a [u8], only_sequences: bool, out: &mut BTreeSet<&'a [u8]>) {
        let mut rest = der;
        while let Ok((tlv, r)) = asn1::strip_tlv(rest) {
            if tlv.tag().is_constructed() {
                if !only_sequences || tlv.tag() == SEQUENCE_TAG {
                    out.insert(tlv.data());
                }
                walk(tlv.data(), only_sequences, out);
            }
            rest = r;
        }
    }
    let mut out = BTreeSet::new();
    for der in ders {
        walk(der, only_sequences, &mut out);
    }
    out
}

const SEQUENCE_TAG: asn1::Tag = <asn1::Sequence<'static> as asn1::SimpleAsn1Readable>::TAG;

/// A hand-written reader's result against rust-asn1's derived reader's on the same bytes:
/// equal values (`Debug`) that re-encode equally, or equal errors (kind and location).
/// Panics otherwise; returns whether both accepted.
pub fn same_as_derived<O, D>(
    ours: asn1::ParseResult<O>,
    derived: asn1::ParseResult<D>,
    what: &str,
) -> bool
where
    O: std::fmt::Debug + asn1::Asn1Writable,
    D: std::fmt::Debug + asn1::Asn1Writable,
    O::Error: std::fmt::Debug,
    D::Error: std::fmt::Debug,
{
    match (ours, derived) {
        (Ok(o), Ok(d)) => {
            assert_eq!(format!("{o:?}"), format!("{d:?}"), "{what}");
            assert_eq!(
                asn1::write_single(&o).unwrap(),
                asn1::write_single(&d).unwrap(),
                "{what}"
            );
            true
        }
        (Err(o), Err(d)) => {
            assert_eq!(o, d, "{what}");
            false
        }
        (o, d) => panic!("{what}: hand-written {o:?}, derived {d:?}"),
    }
}
