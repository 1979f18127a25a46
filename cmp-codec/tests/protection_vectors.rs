//! Protection, POP and certHash of the third-party vectors in `$CMP_SHARED_VECTORS`: every
//! protected message named in the MANIFEST.md files verifies with its secret or certificate,
//! fails with a wrong secret or certificate, and fails after one bit is flipped in its header,
//! body or protection. Expected outcomes come from the manifests, nothing from the code.
//!
//! The vectors are signed with RSA, ECDSA and Ed25519: the file needs those backends.
#![cfg(all(feature = "rsa", feature = "ecdsa", feature = "ed25519"))]

use std::path::PathBuf;
use std::time::{Duration, Instant};

use cmp_codec::crmf::ProofOfPossession;
use cmp_codec::protection::{
    cert_hash, verify_cert_hash, verify_mac, verify_mac_with_key, verify_p10cr, verify_pkcs10,
    verify_popo, verify_signature, verify_signature_with_cert, verify_signature_with_verifier,
    HashAlg, HmacAlg, MacAlgorithm, PopOutcome, ProtectionError, RustCryptoVerifyingKey,
    SignatureAlgorithm, SignerSource, VerifyOptions,
};
use cmp_codec::{PKIBody, PKIMessage};

// ---------------------------------------------------------------------------------------------
// Loading

fn vectors() -> Option<PathBuf> {
    match std::env::var_os("CMP_SHARED_VECTORS") {
        Some(d) => Some(PathBuf::from(d)),
        None => {
            eprintln!("SKIPPED: set CMP_SHARED_VECTORS to the shared vectors directory");
            None
        }
    }
}

fn read(dir: &std::path::Path, rel: &str) -> Vec<u8> {
    let data = std::fs::read(dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    if data.windows(10).any(|w| w == b"-----BEGIN") {
        pem_blocks(&data).into_iter().next().expect("PEM block").1
    } else {
        data
    }
}

/// The (label, DER) blocks of a PEM file.
fn pem_blocks(text: &[u8]) -> Vec<(String, Vec<u8>)> {
    let text = String::from_utf8_lossy(text);
    let mut out = Vec::new();
    let mut label = None;
    let mut b64 = String::new();
    for line in text.lines() {
        let line = line.trim();
        if let Some(l) = line.strip_prefix("-----BEGIN ") {
            label = Some(l.trim_end_matches('-').to_string());
            b64.clear();
        } else if line.starts_with("-----END ") {
            if let Some(l) = label.take() {
                out.push((l, base64_decode(&b64)));
            }
        } else if label.is_some() && !line.contains(':') {
            b64.push_str(line);
        }
    }
    out
}

fn base64_decode(s: &str) -> Vec<u8> {
    let val = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => panic!("bad base64 {c}"),
    };
    let bytes: Vec<u8> = s
        .bytes()
        .filter(|c| !c.is_ascii_whitespace() && *c != b'=')
        .collect();
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    for chunk in bytes.chunks(4) {
        let mut n = 0u32;
        for (i, c) in chunk.iter().enumerate() {
            n |= (val(*c) as u32) << (18 - 6 * i);
        }
        let b = n.to_be_bytes();
        out.extend_from_slice(&b[1..chunk.len()]);
    }
    out
}

// ---------------------------------------------------------------------------------------------
// The table of protected messages and how each must verify (from the MANIFEST.md files)

#[derive(Clone, Debug)]
enum Check {
    /// MAC with this shared secret.
    Secret(&'static str),
    /// Signature with this certificate (path relative to the vectors directory).
    Cert(String),
    /// Signature found by searching the message's own extraCerts; the signer sits at index i.
    ExtraCert(usize),
    /// Signature with the public key of this PKCS#8 Ed25519 private key.
    Ed25519Key(&'static str),
}

const O4: &str = "openssl/4.0.2/test/recipes";
const O3: &str = "openssl/3.0.20/test/recipes";
const RC: &str = "rustcrypto-formats/cmpv2/tests/examples";
const SI: &str = "siemens-cmp-test-suite";
const CLI: &str = "openssl-cli-generated";

fn table(dir: &std::path::Path) -> Vec<(String, Check)> {
    let mut t: Vec<(String, Check)> = Vec::new();
    for o in [O4, O3] {
        t.push((
            format!("{o}/65-test_cmp_protect_data/IP_PBM.der"),
            Check::Secret("insta"),
        ));
        t.push((
            format!("{o}/65-test_cmp_server_data/CR_protected_PBM_1234.der"),
            Check::Secret("1234"),
        ));
        t.push((
            format!("{o}/65-test_cmp_vfy_data/IR_protected.der"),
            Check::Cert(format!("{o}/65-test_cmp_vfy_data/server.crt")),
        ));
        t.push((
            format!("{o}/65-test_cmp_vfy_data/IP_waitingStatus_PBM.der"),
            Check::Secret("9pp8-b35i-Xd3Q-udNR"),
        ));
        t.push((
            format!("{o}/65-test_cmp_vfy_data/IR_protected_0_extraCerts.der"),
            Check::Cert(format!("{o}/65-test_cmp_vfy_data/insta.cert.pem")),
        ));
        t.push((
            format!("{o}/65-test_cmp_vfy_data/IR_protected_2_extraCerts.der"),
            Check::ExtraCert(1),
        ));
    }
    // Only the 3.0.20 copy is valid; the 4.0.2 one is checked by `stale_openssl_4_signature`.
    t.push((
        format!("{O3}/65-test_cmp_protect_data/IR_protected.der"),
        Check::Cert(format!("{O3}/65-test_cmp_protect_data/server.crt")),
    ));
    t.push((
        format!("{O4}/65-test_cmp_protect_data/GENM_protected_Ed.der"),
        Check::Ed25519Key("openssl/4.0.2/test/recipes/65-test_cmp_protect_data/prot_Ed.pem"),
    ));
    for f in [
        "ir_req_01",
        "cr_req_01",
        "kur_req_01",
        "kur_rsp_01",
        "p10cr_req_01",
        "p10cr_rsp_01",
        "rr_req_01",
        "rr_rsp_01",
        "genm_req_01",
        "genm_rsp_01",
    ] {
        t.push((
            format!("{RC}/{f}.bin"),
            Check::Secret("1234-5678-1234-5678"),
        ));
    }
    for f in ["ir_rsp_01", "cr_rsp_01", "failed_kur_rsp_01"] {
        t.push((
            format!("{RC}/{f}.bin"),
            Check::Cert(format!("{RC}/ec384-server-key.crt")),
        ));
    }
    for (f, c) in [
        ("data/req-ir.pkimessage", Check::Secret("SiemensIT")),
        ("der/example-request-ir.der", Check::Secret("SiemensIT")),
        ("data/raw-cmp-request-ir.bin", Check::Secret("password")),
        ("data/raw-cmp-response-accept.bin", Check::ExtraCert(0)),
        ("der/example-cmp-response-accept.der", Check::ExtraCert(0)),
        ("der/example-p10cr-rufus.der", Check::Secret("SiemensIT")),
        ("der/example-rufus-01-p10cr.der", Check::Secret("SiemensIT")),
        (
            "der/example-rufus-02-certConf.der",
            Check::Secret("SiemensIT"),
        ),
        (
            "der/example-response-CertRepMessage.der",
            Check::ExtraCert(0),
        ),
        ("der/example-response-p10rp-cert.der", Check::ExtraCert(0)),
        (
            "der/example-response-error-implicitConfirm.der",
            Check::ExtraCert(0),
        ),
        ("der/cmp-sample-reject.der", Check::ExtraCert(0)),
    ] {
        t.push((format!("{SI}/{f}"), c));
    }
    // The openssl-cli-generated manifest is regular: read its table.
    let manifest = std::fs::read_to_string(dir.join(CLI).join("MANIFEST.md")).expect("manifest");
    let mut n = 0;
    for line in manifest.lines() {
        let cols: Vec<&str> = line.split('|').map(str::trim).collect();
        if cols.len() < 7 || !cols[1].starts_with("`messages/") {
            continue;
        }
        let file = format!("{CLI}/{}", cols[1].trim_matches('`'));
        let check = cols[5];
        if let Some(rest) = check.strip_prefix("MAC OK with secret \"") {
            let secret: &'static str = Box::leak(rest.trim_end_matches('"').to_string().into());
            t.push((file, Check::Secret(secret)));
        } else if let Some(cert) = check.strip_prefix("SIG OK with ") {
            t.push((file, Check::Cert(format!("{CLI}/{cert}"))));
        } else {
            assert_eq!(check, "n/a", "{line}");
            continue;
        }
        n += 1;
    }
    assert!(
        n >= 50,
        "only {n} protected messages read from the CLI manifest"
    );
    t
}

// ---------------------------------------------------------------------------------------------
// Checks

fn opts() -> VerifyOptions {
    VerifyOptions::default()
}

fn ed25519_spki(dir: &std::path::Path, key_pem: &str) -> Vec<u8> {
    use ed25519_dalek::pkcs8::DecodePrivateKey;
    let der = read(dir, key_pem);
    let sk = ed25519_dalek::SigningKey::from_pkcs8_der(&der).expect("Ed25519 PKCS#8");
    let mut spki = vec![
        0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
    ];
    spki.extend_from_slice(sk.verifying_key().as_bytes());
    spki
}

fn check(
    dir: &std::path::Path,
    der: &[u8],
    c: &Check,
    secret_override: Option<&[u8]>,
    cert_override: Option<&[u8]>,
) -> Result<(), ProtectionError> {
    let msg = PKIMessage::parse(der).map_err(|e| ProtectionError::Encoding(e.to_string()))?;
    match c {
        Check::Secret(s) => {
            verify_mac(&msg, secret_override.unwrap_or(s.as_bytes()), &opts()).map(|_| ())
        }
        Check::Cert(path) => {
            let cert = read(dir, path);
            verify_signature_with_cert(&msg, cert_override.unwrap_or(&cert), &opts())
        }
        Check::ExtraCert(i) => {
            let found = verify_signature(&msg, &[], &opts())?;
            assert_eq!(found.source, SignerSource::ExtraCerts(*i));
            Ok(())
        }
        Check::Ed25519Key(path) => {
            let spki = ed25519_spki(dir, path);
            let key = RustCryptoVerifyingKey::from_algorithm(SignatureAlgorithm::Ed25519, &spki)?;
            verify_signature_with_verifier(&msg, &key)
        }
    }
}

/// One copy of `der` per part (header, body, protection) with one bit flipped, chosen from the
/// end of the part so that the result still parses (the crypto must catch it, not the parser).
/// Where no single-bit flip parses (a `pkiconf` body is just `NULL`), the last byte is flipped
/// and the message must be rejected by the parser.
fn flipped(der: &[u8]) -> Vec<(&'static str, Vec<u8>)> {
    let msg = PKIMessage::parse(der).unwrap();
    let base = der.as_ptr() as usize;
    let range = |s: &[u8]| {
        let start = s.as_ptr() as usize - base;
        start..start + s.len()
    };
    let parts = [
        ("header", range(msg.header_der().unwrap())),
        ("body", range(msg.body_der().unwrap())),
        (
            "protection",
            range(msg.protection.as_ref().unwrap().as_bytes()),
        ),
    ];
    let mut out = Vec::new();
    'parts: for (name, r) in parts {
        for pos in r.clone().rev() {
            for bit in 0..8 {
                let mut m = der.to_vec();
                m[pos] ^= 1 << bit;
                if PKIMessage::parse(&m).is_ok() {
                    out.push((name, m));
                    continue 'parts;
                }
            }
        }
        let mut m = der.to_vec();
        m[r.end - 1] ^= 0x01;
        out.push((name, m));
    }
    out
}

fn check_one(dir: &std::path::Path, file: &str, c: &Check, other_cert: &[u8]) -> Vec<String> {
    let mut failures = Vec::new();
    let der = read(dir, file);
    if let Err(e) = check(dir, &der, c, None, None) {
        failures.push(format!("{file}: expected OK with {c:?}, got {e}"));
        return failures;
    }
    // Wrong secret / wrong certificate.
    match c {
        Check::Secret(_) => match check(dir, &der, c, Some(b"wrong secret"), None) {
            Err(ProtectionError::MacMismatch { .. }) => {}
            other => failures.push(format!("{file}: wrong secret gave {other:?}")),
        },
        Check::Cert(_) if check(dir, &der, c, None, Some(other_cert)).is_ok() => {
            failures.push(format!("{file}: verifies with an unrelated certificate"));
        }
        _ => {}
    }
    // For MACs, also derive the key once and check the tampered copies with it: the Siemens
    // samples' 262,144 SHA-512 iterations take seconds each in a debug build.
    let mac_key = match c {
        Check::Secret(s) => {
            let msg = PKIMessage::parse(&der).unwrap();
            let alg = MacAlgorithm::from_algorithm_identifier(
                msg.header.protection_alg.as_ref().unwrap(),
            )
            .unwrap();
            let key = alg.derive_key(s.as_bytes(), &opts()).unwrap();
            verify_mac_with_key(&msg, &key).unwrap();
            let cheap = match alg {
                MacAlgorithm::Pbm {
                    iteration_count, ..
                }
                | MacAlgorithm::Pbmac1 {
                    iteration_count, ..
                } => iteration_count <= 10_000,
            };
            Some((key, cheap))
        }
        _ => None,
    };
    for (part, m) in flipped(&der) {
        let still_ok = match &mac_key {
            Some((key, cheap)) => {
                PKIMessage::parse(&m).is_ok_and(|p| verify_mac_with_key(&p, key).is_ok())
                    || (*cheap && check(dir, &m, c, None, None).is_ok())
            }
            None => check(dir, &m, c, None, None).is_ok(),
        };
        if still_ok {
            failures.push(format!("{file}: still verifies after a bit flip in {part}"));
        }
    }
    failures
}

#[test]
fn every_protected_vector_verifies_and_fails_when_tampered() {
    let Some(dir) = vectors() else { return };
    let table = table(&dir);
    assert!(table.len() >= 90, "{} vectors", table.len());
    let other_cert = read(&dir, &format!("{O4}/65-test_cmp_vfy_data/client.crt"));
    // The Siemens PBM samples use 262,144 SHA-512 iterations, slow in a debug build: spread
    // the table over the available cores.
    let next = std::sync::atomic::AtomicUsize::new(0);
    let failures = std::sync::Mutex::new(Vec::new());
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some((file, c)) = table.get(i) else { break };
                let f = check_one(&dir, file, c, &other_cert);
                failures.lock().unwrap().extend(f);
            });
        }
    });
    let failures = failures.into_inner().unwrap();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn stale_openssl_4_signature_fails() {
    // MANIFEST: in 3.5/4.0 a NULL parameter was added to protectionAlg without re-signing.
    let Some(dir) = vectors() else { return };
    let der = read(
        &dir,
        &format!("{O4}/65-test_cmp_protect_data/IR_protected.der"),
    );
    let cert = read(&dir, &format!("{O4}/65-test_cmp_protect_data/server.crt"));
    let msg = PKIMessage::parse(&der).unwrap();
    assert!(msg
        .header
        .protection_alg
        .as_ref()
        .unwrap()
        .parameters
        .is_some());
    match verify_signature_with_cert(&msg, &cert, &opts()) {
        Err(ProtectionError::SignatureInvalid { algorithm }) => {
            assert_eq!(algorithm, "sha256WithRSAEncryption")
        }
        other => panic!("expected SignatureInvalid, got {other:?}"),
    }
    // The same message in 3.0.20, without the NULL, verifies with the same certificate.
    let der3 = read(
        &dir,
        &format!("{O3}/65-test_cmp_protect_data/IR_protected.der"),
    );
    verify_signature_with_cert(&PKIMessage::parse(&der3).unwrap(), &cert, &opts()).unwrap();
}

#[test]
fn signer_search_order() {
    let Some(dir) = vectors() else { return };
    // The signer is extraCerts[1]; extraCerts[0] does not verify.
    let der = read(
        &dir,
        &format!("{O4}/65-test_cmp_vfy_data/IR_protected_2_extraCerts.der"),
    );
    let msg = PKIMessage::parse(&der).unwrap();
    let s = verify_signature(&msg, &[], &opts()).unwrap();
    assert_eq!(s.source, SignerSource::ExtraCerts(1));
    // No extraCerts at all: nothing to try unless the caller supplies the certificate.
    let der = read(
        &dir,
        &format!("{O4}/65-test_cmp_vfy_data/IR_protected_0_extraCerts.der"),
    );
    let msg = PKIMessage::parse(&der).unwrap();
    assert!(matches!(
        verify_signature(&msg, &[], &opts()),
        Err(ProtectionError::NoSignerCertificate { tried: 0, .. })
    ));
    let wrong = read(&dir, &format!("{O4}/65-test_cmp_vfy_data/client.crt"));
    let insta = read(&dir, &format!("{O4}/65-test_cmp_vfy_data/insta.cert.pem"));
    let s = verify_signature(&msg, &[&wrong, &insta], &opts()).unwrap();
    assert_eq!(s.source, SignerSource::Supplied(1));
    // An empty extraCerts (OpenSSL's vfy copy) and only a wrong certificate: no signer.
    let der = read(&dir, &format!("{O4}/65-test_cmp_vfy_data/IR_protected.der"));
    let msg = PKIMessage::parse(&der).unwrap();
    match verify_signature(&msg, &[&wrong], &opts()) {
        Err(ProtectionError::NoSignerCertificate {
            tried: 1,
            last_error,
        }) => {
            assert!(matches!(
                last_error.as_deref(),
                Some(ProtectionError::SignatureInvalid { .. })
            ))
        }
        other => panic!("{other:?}"),
    }
    // The cmp-sample-reject signer (sha1WithRSA) is refused when SHA-1 is switched off.
    let der = read(&dir, &format!("{SI}/der/cmp-sample-reject.der"));
    let msg = PKIMessage::parse(&der).unwrap();
    let strict = VerifyOptions {
        allow_sha1_signatures: false,
        ..VerifyOptions::default()
    };
    assert!(matches!(
        verify_signature(&msg, &[], &strict),
        Err(ProtectionError::WeakAlgorithm { .. })
    ));
    // A MAC-protected message is not signature-protected, and the other way round.
    let der = read(&dir, &format!("{RC}/genm_req_01.bin"));
    let msg = PKIMessage::parse(&der).unwrap();
    assert!(matches!(
        verify_signature(&msg, &[], &opts()),
        Err(ProtectionError::WrongProtectionKind { .. })
    ));
    let der = read(&dir, &format!("{RC}/ir_rsp_01.bin"));
    let msg = PKIMessage::parse(&der).unwrap();
    assert!(matches!(
        verify_mac(&msg, b"1234-5678-1234-5678", &opts()),
        Err(ProtectionError::WrongProtectionKind { .. })
    ));
    // Unprotected.
    let der = read(&dir, &format!("{CLI}/messages/ir_unprot.req.ir.der"));
    let msg = PKIMessage::parse(&der).unwrap();
    assert!(matches!(
        verify_mac(&msg, b"test", &opts()),
        Err(ProtectionError::Unprotected { .. })
    ));
}

#[test]
fn pbmac1_key_length_in_bits_quirk() {
    let Some(dir) = vectors() else { return };
    let der = read(
        &dir,
        &format!("{SI}/der/example-response-unsupported-algo.der"),
    );
    let msg = PKIMessage::parse(&der).unwrap();
    // RFC 8018 reads keyLength 4096 as octets: rejected as such by default, before any work.
    match verify_mac(&msg, b"password", &opts()) {
        Err(ProtectionError::Pbmac1KeyLength {
            key_length: 4096, ..
        }) => {}
        other => panic!("{other:?}"),
    }
    let lenient = VerifyOptions {
        pbmac1_key_length_in_bits_fallback: true,
        ..VerifyOptions::default()
    };
    let alg = verify_mac(&msg, b"password", &lenient).unwrap();
    assert_eq!(
        alg,
        MacAlgorithm::Pbmac1 {
            salt: match &alg {
                MacAlgorithm::Pbmac1 { salt, .. } => salt,
                _ => unreachable!(),
            },
            iteration_count: 10_000,
            prf: HmacAlg::HmacWithSha256,
            key_length: Some(4096),
            mac: HmacAlg::HmacWithSha256,
        }
    );
    assert!(matches!(
        verify_mac(&msg, b"SiemensIT", &lenient),
        Err(ProtectionError::MacMismatch { .. })
    ));
    // Tampered copies, checked with the key derived once (PBKDF2 of a 512-octet key is slow
    // in a debug build).
    let key = alg.derive_key(b"password", &lenient).unwrap();
    assert!(matches!(
        alg.derive_key(b"password", &opts()),
        Err(ProtectionError::Pbmac1KeyLength { .. })
    ));
    for (part, m) in flipped(&der) {
        let msg = PKIMessage::parse(&m).unwrap();
        assert!(verify_mac_with_key(&msg, &key).is_err(), "{part}");
    }
}

/// A message whose protectionAlg is `alg` with a dummy protection value.
fn with_mac_alg(template: &[u8], alg: &MacAlgorithm<'_>) -> Vec<u8> {
    let msg = PKIMessage::parse(template).unwrap();
    let alg_der = alg.to_algorithm_identifier_der().unwrap();
    let mut header = msg.header.clone();
    header.protection_alg = Some(cmp_codec::asn1::parse_single(&alg_der).unwrap());
    let mut out = PKIMessage::new(header, msg.body.clone());
    let prot = [0u8; 20];
    out.protection = Some(cmp_codec::asn1::BitString::new(&prot, 0).unwrap());
    out.encode()
}

#[test]
fn iteration_cap_rejects_before_work() {
    let Some(dir) = vectors() else { return };
    let template = read(&dir, &format!("{CLI}/messages/genm_pbm.req.genm.der"));
    let huge = 1u64 << 40;
    for alg in [
        MacAlgorithm::Pbm {
            salt: b"0123456789abcdef",
            owf: HashAlg::Sha256,
            iteration_count: huge,
            mac: HmacAlg::HmacSha1,
        },
        MacAlgorithm::Pbmac1 {
            salt: b"0123456789abcdef",
            iteration_count: huge,
            prf: HmacAlg::HmacWithSha256,
            key_length: Some(32),
            mac: HmacAlg::HmacWithSha256,
        },
    ] {
        let der = with_mac_alg(&template, &alg);
        let msg = PKIMessage::parse(&der).unwrap();
        let start = Instant::now();
        match verify_mac(&msg, b"test", &opts()) {
            Err(ProtectionError::IterationCountTooLarge { count, max, .. }) => {
                assert_eq!(count, huge);
                assert_eq!(max, 1_000_000);
            }
            other => panic!("{other:?}"),
        }
        assert!(start.elapsed() < Duration::from_millis(500));
    }
    // The cap is configurable, and so is the salt cap.
    let der = read(&dir, &format!("{SI}/der/example-p10cr-rufus.der"));
    let msg = PKIMessage::parse(&der).unwrap();
    let low = VerifyOptions {
        max_iteration_count: 262_143,
        ..VerifyOptions::default()
    };
    assert!(matches!(
        verify_mac(&msg, b"SiemensIT", &low),
        Err(ProtectionError::IterationCountTooLarge { count: 262_144, .. })
    ));
    let salt = VerifyOptions {
        max_salt_len: 8,
        ..VerifyOptions::default()
    };
    assert!(matches!(
        verify_mac(&msg, b"SiemensIT", &salt),
        Err(ProtectionError::SaltTooLong { .. })
    ));
}

/// Every message file the manifests name.
fn all_messages(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<String> = table(dir).into_iter().map(|(f, _)| f).collect();
    for f in [
        format!("{O4}/65-test_cmp_protect_data/IR_protected.der"),
        format!("{CLI}/messages/ir_unprot.req.ir.der"),
        format!("{CLI}/messages/ir_unprot.req.certConf.der"),
        format!("{SI}/data/raw-cmp-request-p10cr.bin"),
        format!("{SI}/data/req-p10cr-prot_none-pop_sig-dilithium.pkimessage"),
    ] {
        files.push(f);
    }
    files.sort();
    files.dedup();
    files
        .into_iter()
        .map(|f| {
            let der = read(dir, &f);
            (f, der)
        })
        .collect()
}

#[test]
fn popo_of_every_request_verifies() {
    let Some(dir) = vectors() else { return };
    let mut signatures = 0;
    let mut ra_verified = 0;
    let mut failures = Vec::new();
    for (file, der) in all_messages(&dir) {
        let msg = PKIMessage::parse(&der).unwrap();
        if !matches!(
            msg.body,
            PKIBody::Ir(_) | PKIBody::Cr(_) | PKIBody::Kur(_) | PKIBody::Ccr(_)
        ) {
            continue;
        }
        let outcomes = match verify_popo(&msg, &opts()) {
            Ok(o) => o,
            Err(e) => {
                failures.push(format!("{file}: {e}"));
                continue;
            }
        };
        for o in &outcomes {
            match o {
                PopOutcome::Signature { .. } => signatures += 1,
                PopOutcome::RaVerified { .. } => ra_verified += 1,
            }
        }
        // Flip the last bit of the first POPO signature: it must fail.
        let sig = match &msg.body {
            PKIBody::Ir(r) | PKIBody::Cr(r) | PKIBody::Kur(r) | PKIBody::Ccr(r) => {
                match r.get(0).and_then(|m| m.popo) {
                    Some(ProofOfPossession::Signature(sk)) => Some(sk.signature.as_bytes()),
                    _ => None,
                }
            }
            _ => None,
        };
        if let Some(sig) = sig {
            let pos = sig.as_ptr() as usize - der.as_ptr() as usize + sig.len() - 1;
            let mut m = der.clone();
            m[pos] ^= 0x01;
            let bad = PKIMessage::parse(&m).unwrap();
            if verify_popo(&bad, &opts()).is_ok() {
                failures.push(format!("{file}: POPO still verifies after a bit flip"));
            }
            // The typed path (re-encoding certReq) agrees with the raw one.
            if let PKIBody::Ir(r) | PKIBody::Cr(r) | PKIBody::Kur(r) = &msg.body {
                cmp_codec::protection::verify_cert_req_msg_popo(&r.get(0).unwrap(), None, &opts())
                    .unwrap();
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(signatures >= 25, "{signatures} POPO signatures verified");
    assert!(ra_verified >= 1);

    // A standalone CertReqMsg (RustCrypto crmf example, ecdsa-with-SHA256).
    let der = read(
        &dir,
        "rustcrypto-formats/crmf/tests/examples/certreqmsg.bin",
    );
    let req: cmp_codec::crmf::CertReqMsg<'_> = cmp_codec::asn1::parse_single(&der).unwrap();
    let cert_req = cmp_codec::asn1::write_single(&req.cert_req).unwrap();
    assert_eq!(
        cmp_codec::protection::verify_cert_req_msg_popo(&req, Some(&cert_req), &opts()).unwrap(),
        PopOutcome::Signature { cert_req_id: 0 }
    );
}

#[test]
fn pkcs10_signatures() {
    let Some(dir) = vectors() else { return };
    let mut verified = 0;
    for (file, der) in all_messages(&dir) {
        let msg = PKIMessage::parse(&der).unwrap();
        let PKIBody::P10cr(csr) = &msg.body else {
            continue;
        };
        if file.contains("dilithium") {
            // Dilithium round 3 (1.3.6.1.4.1.2.267.7.4.4) is not ML-DSA: unknown.
            assert!(
                matches!(
                    verify_p10cr(&msg, &opts()),
                    Err(ProtectionError::UnknownAlgorithm { .. })
                ),
                "{file}"
            );
            continue;
        }
        verify_p10cr(&msg, &opts()).unwrap_or_else(|e| panic!("{file}: {e}"));
        verified += 1;
        let mut bad = csr.der().to_vec();
        let n = bad.len();
        bad[n - 1] ^= 1;
        assert!(verify_pkcs10(&bad, &opts()).is_err(), "{file}");
    }
    assert!(verified >= 5, "{verified}");
    // OpenSSL's sha1WithRSA PKCS#10 file.
    let csr = read(&dir, &format!("{O4}/65-test_cmp_msg_data/pkcs10.der"));
    verify_pkcs10(&csr, &opts()).unwrap();
    // The CLI credentials' CSR (PEM).
    let csr = read(&dir, &format!("{CLI}/credentials/csr.pem"));
    verify_pkcs10(&csr, &opts()).unwrap();
}

#[test]
fn cert_hash_of_issued_certificates_matches_cert_conf() {
    let Some(dir) = vectors() else { return };
    use std::collections::BTreeMap;
    let mut flows: BTreeMap<String, Vec<(String, Vec<u8>)>> = BTreeMap::new();
    for entry in std::fs::read_dir(dir.join(CLI).join("messages")).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        let flow = name.split('.').next().unwrap().to_string();
        let der = std::fs::read(dir.join(CLI).join("messages").join(&name)).unwrap();
        flows.entry(flow).or_default().push((name, der));
    }
    let mut matched = 0;
    for (flow, files) in &flows {
        let mut issued: Vec<(i64, Vec<u8>)> = Vec::new();
        for (_, der) in files {
            let msg = PKIMessage::parse(der).unwrap();
            if let PKIBody::Ip(rep) | PKIBody::Cp(rep) | PKIBody::Kup(rep) = &msg.body {
                for r in rep.response.iter() {
                    if let Some(kp) = &r.certified_key_pair {
                        if let cmp_codec::body::CertOrEncCert::Certificate(c) = &kp.cert_or_enc_cert
                        {
                            issued.push((r.cert_req_id, c.der().to_vec()));
                        }
                    }
                }
            }
        }
        for (name, der) in files {
            let msg = PKIMessage::parse(der).unwrap();
            let PKIBody::CertConf(statuses) = &msg.body else {
                continue;
            };
            for st in statuses.iter() {
                let (_, cert) = issued
                    .iter()
                    .find(|(id, _)| *id == st.cert_req_id)
                    .unwrap_or_else(|| panic!("{flow}: no certificate for {name}"));
                verify_cert_hash(&st, msg.header.pvno, cert)
                    .unwrap_or_else(|e| panic!("{name}: {e}"));
                assert_eq!(cert_hash(cert, None).unwrap(), st.cert_hash);
                matched += 1;
                // A different hash does not match.
                let mut wrong = st.cert_hash.to_vec();
                wrong[0] ^= 1;
                let mut st2 = st.clone();
                st2.cert_hash = &wrong;
                assert!(matches!(
                    verify_cert_hash(&st2, msg.header.pvno, cert),
                    Err(ProtectionError::CertHashMismatch { .. })
                ));
                // hashAlg needs pvno 3.
                let mut st3 = st.clone();
                st3.hash_alg = Some(cmp_codec::AlgorithmIdentifier::new(
                    &cmp_codec::oid::ID_SHA256,
                ));
                assert!(matches!(
                    verify_cert_hash(&st3, 2, cert),
                    Err(ProtectionError::HashAlgRequiresPvno3 { pvno: 2 })
                ));
                assert!(verify_cert_hash(&st3, 3, cert).is_ok());
            }
        }
    }
    assert!(matched >= 8, "{matched} certConf/cert pairs");
}

#[test]
fn verify_protection_dispatches_on_protection_alg() {
    use cmp_codec::protection::{verify_protection, ProtectionKind, VerifiedProtection};
    let Some(dir) = vectors() else { return };
    let mut n = 0;
    for (file, c) in table(&dir) {
        // The 262,144-iteration Siemens samples are covered above; keep this test quick.
        if file.contains("rufus") {
            continue;
        }
        let der = read(&dir, &file);
        let msg = PKIMessage::parse(&der).unwrap();
        let r = match &c {
            Check::Secret(s) => {
                assert_eq!(
                    ProtectionKind::of(&msg),
                    Some(ProtectionKind::SharedSecretMac)
                );
                assert!(matches!(
                    verify_protection(&msg, None, &[], &opts()),
                    Err(ProtectionError::MissingCredentials { .. })
                ));
                verify_protection(&msg, Some(s.as_bytes()), &[], &opts())
                    .map(|p| assert!(matches!(p, VerifiedProtection::Mac(_))))
            }
            Check::Cert(path) => {
                assert_eq!(ProtectionKind::of(&msg), Some(ProtectionKind::Signature));
                let cert = read(&dir, path);
                verify_protection(&msg, Some(b"unused"), &[&cert], &opts())
                    .map(|p| assert!(matches!(p, VerifiedProtection::Signature(_))))
            }
            Check::ExtraCert(_) => verify_protection(&msg, None, &[], &opts())
                .map(|p| assert!(matches!(p, VerifiedProtection::Signature(_)))),
            Check::Ed25519Key(_) => continue,
        };
        r.unwrap_or_else(|e| panic!("{file}: {e}"));
        n += 1;
    }
    assert!(n >= 80, "{n}");
    let der = read(&dir, &format!("{CLI}/messages/ir_unprot.req.ir.der"));
    let msg = PKIMessage::parse(&der).unwrap();
    assert_eq!(ProtectionKind::of(&msg), None);
    assert!(matches!(
        verify_protection(&msg, Some(b"test"), &[], &opts()),
        Err(ProtectionError::Unprotected { .. })
    ));
}
