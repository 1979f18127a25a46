//! Signer certificate validation (RFC 9483 3.5): every signature-protected vector with its
//! trust anchor at a pinned time, and each rule failing on its own: expired, not yet valid,
//! unknown issuer (untrusted anchor, missing intermediate), keyUsage, extended key usage.

#![cfg(all(
    feature = "chain",
    feature = "rsa",
    feature = "ecdsa",
    feature = "ed25519"
))]

mod common;

use std::path::{Path, PathBuf};

use cmp_codec::protection::{
    validate_certificate, verify_protection_trusted, verify_signature_trusted, ChainError,
    ChainPolicy, ProtectionError, ProtectionKind, SignerSource, VerifiedProtection, VerifyOptions,
    ID_KP_CMC_CA, ID_KP_CMC_RA,
};
use cmp_codec::{PKIMessage, UtcDateTime};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../vectors")
}

fn read(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// PEM (first block) or DER.
fn cert(p: &Path) -> Vec<u8> {
    let raw = read(p);
    if raw.first() == Some(&0x30) {
        return raw;
    }
    let text = String::from_utf8(raw).unwrap();
    let b64: String = text
        .lines()
        .skip_while(|l| !l.starts_with("-----BEGIN CERTIFICATE"))
        .skip(1)
        .take_while(|l| !l.starts_with("-----END"))
        .collect();
    base64_decode(&b64)
}

fn base64_decode(s: &str) -> Vec<u8> {
    let val = |c: u8| -> u32 {
        match c {
            b'A'..=b'Z' => (c - b'A') as u32,
            b'a'..=b'z' => (c - b'a' + 26) as u32,
            b'0'..=b'9' => (c - b'0' + 52) as u32,
            b'+' => 62,
            b'/' => 63,
            _ => panic!("base64 {c}"),
        }
    };
    let bytes: Vec<u8> = s
        .bytes()
        .filter(|c| !c.is_ascii_whitespace() && *c != b'=')
        .collect();
    let mut out = Vec::new();
    for chunk in bytes.chunks(4) {
        let mut n = 0u32;
        for (i, c) in chunk.iter().enumerate() {
            n |= val(*c) << (18 - 6 * i);
        }
        let b = n.to_be_bytes();
        out.extend_from_slice(&b[1..chunk.len()]);
    }
    out
}

fn date(year: u16, month: u8, day: u8) -> UtcDateTime {
    UtcDateTime {
        year,
        month,
        day,
        hour: 0,
        minute: 0,
        second: 0,
    }
}

/// One day after the notBefore of `cert_der` (the repo's vectors are regenerated with fresh
/// dates, so their validation time follows their root certificate).
fn day_after_not_before(cert_der: &[u8]) -> UtcDateTime {
    use der::Decode;
    let c = x509_cert::Certificate::from_der(cert_der).unwrap();
    let nb = c
        .tbs_certificate()
        .validity()
        .not_before
        .to_unix_duration()
        .as_secs() as i64;
    UtcDateTime::from_unix_seconds(nb + 86_400).unwrap()
}

/// `(file, credential)` of every `sig` row of a repo MANIFEST.tsv.
fn signed_rows(dir: &str) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(repo().join(dir).join("MANIFEST.tsv")).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    let col = |n: &str| header.iter().position(|h| *h == n).unwrap();
    let (f, p, c) = (col("file"), col("protection"), col("credential"));
    lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .filter(|cells| cells[p] == "sig")
        .map(|cells| (cells[f].to_string(), cells[c].to_string()))
        .collect()
}

fn opts() -> VerifyOptions {
    VerifyOptions::default()
}

fn chain_err(r: Result<VerifiedProtection<'_>, ProtectionError>) -> ChainError {
    match r {
        Err(ProtectionError::UntrustedSigner { reason, .. }) => reason,
        other => panic!("expected an untrusted signer, got {other:?}"),
    }
}

#[test]
fn openssl_vectors_validate_to_their_root() {
    let root = read(&repo().join("openssl/credentials/root-ca.der"));
    let policy = ChainPolicy::new(vec![root.clone()], day_after_not_before(&root));
    let rows = signed_rows("openssl");
    assert!(rows.len() >= 20, "{} signed rows", rows.len());
    for (file, credential) in rows {
        let der = read(&repo().join("openssl").join(&file));
        let msg = PKIMessage::parse(&der).unwrap();
        let t = verify_signature_trusted(&msg, &policy, &opts())
            .unwrap_or_else(|e| panic!("openssl/{file}: {e}"));
        // The signer is the credential the manifest names, and the path ends at the root.
        let want = cert(&repo().join("openssl").join(&credential));
        assert_eq!(t.certificate, want, "openssl/{file}");
        assert_eq!(
            t.path.path.last().unwrap(),
            "CN=CMP Test Vectors Root CA,O=CMP Test Vectors,C=XX",
            "openssl/{file}"
        );
        assert_eq!(t.path.path.len(), 3, "openssl/{file}: {:?}", t.path.path);
    }
}

#[test]
fn bouncycastle_vectors_validate_to_their_root() {
    let root = read(&repo().join("bouncycastle/credentials/root-ca.der"));
    let policy = ChainPolicy::new(vec![root.clone()], day_after_not_before(&root));
    let rows = signed_rows("bouncycastle");
    assert!(rows.len() >= 40, "{} signed rows", rows.len());
    let mut ok = 0;
    for (file, credential) in rows {
        let der = read(&repo().join("bouncycastle").join(&file));
        let msg = PKIMessage::parse(&der).unwrap();
        let cred = cert(&repo().join("bouncycastle").join(&credential));
        match verify_signature_trusted(&msg, &policy, &opts()) {
            Ok(t) => {
                assert_eq!(t.certificate, cred, "bouncycastle/{file}");
                ok += 1;
            }
            // The CA signing with its own CA certificate (ccr of the issuing CA): keyUsage
            // keyCertSign/cRLSign without digitalSignature, which RFC 9483 1.2 forbids for a
            // CMP protection certificate.
            Err(ProtectionError::UntrustedSigner {
                reason: ChainError::KeyUsage { subject },
                ..
            }) if credential.ends_with("issuing-ca.pem") => {
                assert!(subject.contains("Issuing CA"), "{subject}");
            }
            Err(e) => panic!("bouncycastle/{file} ({credential}): {e}"),
        }
    }
    assert!(ok >= 40, "{ok} validated");
}

#[test]
fn rustcrypto_vectors_with_their_self_signed_server_certificate() {
    let Some(dir) =
        common::shared_dir("rustcrypto_vectors_with_their_self_signed_server_certificate")
    else {
        return;
    };
    let ex = dir.join("rustcrypto-formats/cmpv2/tests/examples");
    let anchor = cert(&ex.join("ec384-server-key.crt"));
    let policy = ChainPolicy::new(vec![anchor.clone()], date(2023, 6, 1));
    let mut n = 0;
    for entry in std::fs::read_dir(&ex).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if !name.ends_with("_01.bin") {
            continue;
        }
        let der = read(&path);
        let Ok(msg) = PKIMessage::parse(&der) else {
            continue;
        };
        if ProtectionKind::of(&msg) != Some(ProtectionKind::Signature) {
            continue;
        }
        verify_protection_trusted(&msg, None, &policy, &opts())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        // After 2024-01-16 the certificate has expired.
        let late = ChainPolicy::new(vec![anchor.clone()], date(2024, 2, 1));
        assert!(
            matches!(
                chain_err(verify_protection_trusted(&msg, None, &late, &opts())),
                ChainError::Expired { .. }
            ),
            "{name}"
        );
        n += 1;
    }
    assert!(n >= 3, "{n} signed RustCrypto vectors");
}

fn vfy_dir() -> Option<PathBuf> {
    common::shared_dir("openssl 65-test vectors")
        .map(|d| d.join("openssl/3.0.20/test/recipes/65-test_cmp_vfy_data"))
}

#[test]
fn openssl_65_test_vectors_at_2018_02_18() {
    let Some(d) = vfy_dir() else { return };
    let insta_ca = cert(&d.join("insta_ca.cert.pem"));
    let insta = cert(&d.join("insta.cert.pem"));
    let at = date(2018, 2, 18);

    // IR_protected_0_extraCerts: insta_ca trusted, insta.cert.pem untrusted.
    let der0 = read(&d.join("IR_protected_0_extraCerts.der"));
    let msg0 = PKIMessage::parse(&der0).unwrap();
    let mut policy = ChainPolicy::new(vec![insta_ca.clone()], at);
    policy.intermediates = vec![insta.clone()];
    let t = verify_signature_trusted(&msg0, &policy, &opts()).unwrap();
    assert_eq!(t.signer.source, SignerSource::Supplied(0));
    assert_eq!(t.path.subject, "CN=test1");
    // Without the untrusted signer certificate there is nothing to verify with.
    let bare = ChainPolicy::new(vec![insta_ca.clone()], at);
    assert!(matches!(
        verify_protection_trusted(&msg0, None, &bare, &opts()),
        Err(ProtectionError::NoSignerCertificate { .. })
    ));

    // IR_protected_2_extraCerts: only insta_ca; the signer is extraCerts[1].
    let der2 = read(&d.join("IR_protected_2_extraCerts.der"));
    let msg2 = PKIMessage::parse(&der2).unwrap();
    let t = verify_signature_trusted(&msg2, &bare, &opts()).unwrap();
    assert_eq!(t.signer.source, SignerSource::ExtraCerts(1));

    // The same at 2028-02-18: expired, and the reason says so.
    let late = ChainPolicy::new(vec![insta_ca.clone()], date(2028, 2, 18));
    match chain_err(verify_protection_trusted(&msg2, None, &late, &opts())) {
        ChainError::Expired {
            subject,
            not_after,
            at,
        } => {
            assert_eq!(subject, "CN=test1");
            assert_eq!(not_after, "2018-04-30T23:59:59Z");
            assert_eq!(at, "2028-02-18T00:00:00Z");
        }
        other => panic!("{other}"),
    }
    // Before the signer's notBefore: not yet valid.
    let early = ChainPolicy::new(vec![insta_ca.clone()], date(2018, 1, 1));
    assert!(matches!(
        chain_err(verify_protection_trusted(&msg2, None, &early, &opts())),
        ChainError::NotYetValid { .. }
    ));

    // IR_protected.der with its self-signed (v1) server.crt as the trust anchor.
    let server = cert(&d.join("server.crt"));
    let ir = read(&d.join("IR_protected.der"));
    let ir = PKIMessage::parse(&ir).unwrap();
    let p = ChainPolicy::new(vec![server.clone()], at);
    verify_protection_trusted(&ir, None, &p, &opts()).unwrap();
    let p = ChainPolicy::new(vec![server], date(2028, 2, 18));
    assert!(matches!(
        chain_err(verify_protection_trusted(&ir, None, &p, &opts())),
        ChainError::Expired { .. }
    ));
    // The wrong certificate (client.crt, cmp_vfy_test's srvcert_wrong) as anchor: it does not
    // verify the signature, and nothing else is at hand.
    let client = cert(&d.join("client.crt"));
    let p = ChainPolicy::new(vec![client], at);
    assert!(matches!(
        verify_protection_trusted(&ir, None, &p, &opts()),
        Err(ProtectionError::NoSignerCertificate { .. })
    ));
}

#[test]
fn untrusted_anchor_and_missing_intermediate_fail() {
    let der = read(&repo().join("openssl/ir_sig_ec/02-rsp-ip.der"));
    let msg = PKIMessage::parse(&der).unwrap();
    let ossl_root = read(&repo().join("openssl/credentials/root-ca.der"));
    let at = day_after_not_before(&ossl_root);

    // Another PKI's root: the issuing CA's issuer is unknown.
    let bc_root = read(&repo().join("bouncycastle/credentials/root-ca.der"));
    let p = ChainPolicy::new(vec![bc_root], at);
    match chain_err(verify_protection_trusted(&msg, None, &p, &opts())) {
        ChainError::UnknownIssuer { subject, issuer } => {
            assert_eq!(
                subject,
                "CN=CMP Test Vectors Issuing CA,O=CMP Test Vectors,C=XX"
            );
            assert_eq!(
                issuer,
                "CN=CMP Test Vectors Root CA,O=CMP Test Vectors,C=XX"
            );
        }
        other => panic!("{other}"),
    }

    // The right root, but extraCerts ignored and no intermediates given.
    let mut p = ChainPolicy::new(vec![ossl_root.clone()], at);
    p.use_extra_certs = false;
    match chain_err(verify_protection_trusted(&msg, None, &p, &opts())) {
        ChainError::UnknownIssuer { subject, issuer } => {
            assert_eq!(subject, "CN=CMP Server EC,O=CMP Test Vectors,C=XX");
            assert_eq!(
                issuer,
                "CN=CMP Test Vectors Issuing CA,O=CMP Test Vectors,C=XX"
            );
        }
        other => panic!("{other}"),
    }
    // Given by the caller instead, it validates.
    p.intermediates = vec![read(&repo().join("openssl/credentials/issuing-ca.der"))];
    verify_protection_trusted(&msg, None, &p, &opts()).unwrap();

    // An intermediate whose signature does not verify: the issuing CA of the BC PKI renamed
    // is not available, so use a same-named certificate with another key — the BC issuing CA
    // under the OpenSSL root's name cannot be made here; instead flip a bit in the issuing
    // CA's signature.
    let mut bad_ca = read(&repo().join("openssl/credentials/issuing-ca.der"));
    let n = bad_ca.len();
    bad_ca[n - 5] ^= 0x01;
    p.intermediates = vec![bad_ca];
    match chain_err(verify_protection_trusted(&msg, None, &p, &opts())) {
        ChainError::BadSignature { subject } => {
            assert_eq!(
                subject,
                "CN=CMP Test Vectors Issuing CA,O=CMP Test Vectors,C=XX"
            )
        }
        other => panic!("{other}"),
    }

    // No anchors at all.
    let p = ChainPolicy::new(vec![], at);
    assert_eq!(
        chain_err(verify_protection_trusted(&msg, None, &p, &opts())),
        ChainError::NoTrustAnchors
    );
}

#[test]
fn key_usage_and_extended_key_usage() {
    let creds = repo().join("openssl/credentials");
    let root = read(&creds.join("root-ca.der"));
    let at = day_after_not_before(&root);
    let issuing = read(&creds.join("issuing-ca.der"));

    // A CA certificate (keyCertSign, cRLSign) as CMP signer: RFC 9483 1.2 wants
    // digitalSignature.
    let p = ChainPolicy::new(vec![root.clone()], at);
    match validate_certificate(&issuing, &[], &p, &opts()) {
        Err(ChainError::KeyUsage { subject }) => {
            assert_eq!(
                subject,
                "CN=CMP Test Vectors Issuing CA,O=CMP Test Vectors,C=XX"
            )
        }
        other => panic!("{other:?}"),
    }

    // The server certificates carry id-kp-cmcRA; the client ones have no EKU.
    let mut p = ChainPolicy::new(vec![root.clone()], at);
    p.required_eku = Some(ID_KP_CMC_RA);
    let server = read(&repo().join("openssl/ir_sig_ec/02-rsp-ip.der"));
    let server = PKIMessage::parse(&server).unwrap();
    verify_protection_trusted(&server, None, &p, &opts()).unwrap();
    let client = read(&repo().join("openssl/ir_sig_ec/01-req-ir.der"));
    let client = PKIMessage::parse(&client).unwrap();
    match chain_err(verify_protection_trusted(&client, None, &p, &opts())) {
        ChainError::ExtendedKeyUsage { subject, required } => {
            assert_eq!(subject, "CN=client-ec,O=CMP Test Vectors,C=XX");
            assert!(required.contains("1.3.6.1.5.5.7.3.28") || required.contains("cmcRA"));
        }
        other => panic!("{other}"),
    }
    // cmcCA is not what the OpenSSL server certificates have.
    p.required_eku = Some(ID_KP_CMC_CA);
    assert!(matches!(
        chain_err(verify_protection_trusted(&server, None, &p, &opts())),
        ChainError::ExtendedKeyUsage { .. }
    ));
    // The Bouncy Castle server certificates carry cmcCA.
    let bc_root = read(&repo().join("bouncycastle/credentials/root-ca.der"));
    let mut p = ChainPolicy::new(vec![bc_root.clone()], day_after_not_before(&bc_root));
    p.required_eku = Some(ID_KP_CMC_CA);
    let bc = read(&repo().join("bouncycastle/ir_sig_ec/02-rsp-ip.der"));
    verify_protection_trusted(&PKIMessage::parse(&bc).unwrap(), None, &p, &opts()).unwrap();
}

#[test]
fn macs_pass_through_and_caps_hold() {
    let der = read(&repo().join("openssl/ir_pbm/01-req-ir.der"));
    let msg = PKIMessage::parse(&der).unwrap();
    let p = ChainPolicy::new(vec![], date(2030, 1, 1));
    assert!(matches!(
        verify_protection_trusted(&msg, Some(b"insecure-cmp-vectors-secret"), &p, &opts()),
        Ok(VerifiedProtection::Mac(_))
    ));
    assert!(verify_protection_trusted(&msg, Some(b"wrong"), &p, &opts()).is_err());

    // Too many untrusted certificates are refused before any work.
    let root = read(&repo().join("openssl/credentials/root-ca.der"));
    let issuing = read(&repo().join("openssl/credentials/issuing-ca.der"));
    let server = read(&repo().join("openssl/credentials/cmp-server-ec.der"));
    let many: Vec<&[u8]> = std::iter::repeat_n(issuing.as_slice(), 65).collect();
    let p = ChainPolicy::new(vec![root], date(2030, 1, 1));
    assert!(matches!(
        validate_certificate(&server, &many, &p, &opts()),
        Err(ChainError::TooManyCertificates { .. })
    ));
    // Garbage as the signer or the anchor gives an error, not a panic.
    assert!(validate_certificate(b"\x30\x03\x02\x01\x00", &[], &p, &opts()).is_err());
    let p = ChainPolicy::new(vec![b"junk".to_vec()], date(2030, 1, 1));
    assert!(validate_certificate(&server, &[], &p, &opts()).is_err());
}

#[test]
fn many_look_alike_intermediates_stay_bounded() {
    // The cap's worth of copies of the issuing CA, each with another bit of its signature
    // flipped: same name, same key, none signed by the root. Path building must stay cheap
    // and name the broken certificate.
    let creds = repo().join("openssl/credentials");
    let root = read(&creds.join("root-ca.der"));
    let issuing = read(&creds.join("issuing-ca.der"));
    let server = read(&creds.join("cmp-server-ec.der"));
    let copies: Vec<Vec<u8>> = (0..64)
        .map(|i| {
            let mut c = issuing.clone();
            let n = c.len();
            c[n - 1 - i / 8] ^= 1 << (i % 8);
            c
        })
        .collect();
    let refs: Vec<&[u8]> = copies.iter().map(Vec::as_slice).collect();
    let p = ChainPolicy::new(vec![root], day_after_not_before(&issuing));
    let start = std::time::Instant::now();
    match validate_certificate(&server, &refs, &p, &opts()) {
        Err(ChainError::BadSignature { subject }) => assert!(subject.contains("Issuing CA")),
        other => panic!("{other:?}"),
    }
    assert!(
        start.elapsed() < std::time::Duration::from_secs(20),
        "{:?}",
        start.elapsed()
    );
}
