//! Central key generation against an independent CMS implementation: OpenSSL's `cms` opens
//! the privateKey EnvelopedData the reference responder sends by kari (ephemeral-static ECDH,
//! X9.63 KDF, AES key wrap) and ktri (RSA), and verifies the KGA's SignedData to the test
//! PKI's root, so the wire format is not only checked by our own runner. pwri is not covered
//! here: OpenSSL 3.0 reads password recipients only with id-alg-PWRI-KEK, while RFC 9481 4.3
//! asks for plain AES key wrap. Needs the `openssl` CLI (SKIPPED without it, unless
//! CMP_REQUIRE_ORACLES=1).

mod ckg_util;
mod openssl_util;

use std::path::{Path, PathBuf};

use cmp_codec::body::CertOrEncCert;
use cmp_codec::crmf::EncryptedKey;
use cmp_codec::{PKIBody, PKIMessage};
use cmp_conformance::responder::Config;
use cmp_conformance::run::Status;
use der::{Decode as _, Encode as _};

fn creds_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../vectors/openssl/credentials")
}

fn cred(name: &str) -> String {
    creds_dir().join(name).display().to_string()
}

/// `ContentInfo { contentType, [0] EXPLICIT content }` as DER.
fn content_info(oid: &str, content: &[u8]) -> Vec<u8> {
    cms::content_info::ContentInfo {
        content_type: der::oid::ObjectIdentifier::new_unwrap(oid),
        content: der::Any::from_der(content).unwrap(),
    }
    .to_der()
    .unwrap()
}

/// Run `scenario` in process and return (issued certificate, privateKey EnvelopedData) of
/// its first central key generation ip.
fn first_ckg_ip(scenario: &str, dir: &Path) -> (Vec<u8>, Vec<u8>) {
    let report = ckg_util::run_in(&ckg_util::profile(), Config::default(), &[scenario], dir);
    assert!(
        matches!(report.scenarios[0].status, Status::Pass | Status::Warn),
        "{scenario}: {:?}",
        report.scenarios[0].findings
    );
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let n = p.file_name().unwrap().to_string_lossy().into_owned();
            n.contains("-ir-ckg-") && n.ends_with("-rsp.der")
        })
        .collect();
    files.sort();
    let der = std::fs::read(files.first().expect("an ip of central key generation")).unwrap();
    let msg = PKIMessage::parse(&der).unwrap();
    let PKIBody::Ip(rep) = &msg.body else {
        panic!("expected ip, got {}", msg.body.name())
    };
    let cr = rep.response.iter().next().unwrap();
    let ckp = cr.certified_key_pair.as_ref().expect("certifiedKeyPair");
    let CertOrEncCert::Certificate(cert) = &ckp.cert_or_enc_cert else {
        panic!("certificate")
    };
    let Some(EncryptedKey::EnvelopedData(env)) = &ckp.private_key else {
        panic!("privateKey as envelopedData")
    };
    (cert.der().to_vec(), asn1::write_single(env).unwrap())
}

/// Decrypt with OpenSSL as `recipient`, verify the SignedData to the root, and check the
/// AsymmetricKeyPackage's public key is the certificate's.
fn openssl_opens(scenario: &str, recipient: &str) {
    let dir =
        std::env::temp_dir().join(format!("cmp-ckg-openssl-{}-{scenario}", std::process::id()));
    let (cert, env) = first_ckg_ip(scenario, &dir);
    let env_path = dir.join("env.der");
    std::fs::write(&env_path, content_info("1.2.840.113549.1.7.3", &env)).unwrap();
    let sd_path = dir.join("signed.der");
    let (ok, text) = openssl_util::run(&[
        "cms",
        "-decrypt",
        "-inform",
        "DER",
        "-in",
        env_path.to_str().unwrap(),
        "-recip",
        &cred(&format!("{recipient}.pem")),
        "-inkey",
        &cred(&format!("{recipient}.key")),
        "-out",
        sd_path.to_str().unwrap(),
    ]);
    assert!(ok, "{scenario}: openssl cms -decrypt failed: {text}");
    // A key that is not the recipient's does not open it.
    let (wrong, _) = openssl_util::run(&[
        "cms",
        "-decrypt",
        "-inform",
        "DER",
        "-in",
        env_path.to_str().unwrap(),
        "-inkey",
        &cred("client-ec.key"),
        "-out",
        dir.join("nothing.der").to_str().unwrap(),
    ]);
    assert!(!wrong, "{scenario}: opened with client-ec's key");

    let sd = std::fs::read(&sd_path).unwrap();
    let sd_ci = dir.join("signed-ci.der");
    std::fs::write(&sd_ci, content_info("1.2.840.113549.1.7.2", &sd)).unwrap();
    let akp_path = dir.join("akp.der");
    let (ok, text) = openssl_util::run(&[
        "cms",
        "-verify",
        "-inform",
        "DER",
        "-in",
        sd_ci.to_str().unwrap(),
        "-CAfile",
        &cred("root-ca.pem"),
        "-certfile",
        &cred("issuing-ca.pem"),
        "-purpose",
        "any",
        "-out",
        akp_path.to_str().unwrap(),
    ]);
    assert!(ok, "{scenario}: openssl cms -verify failed: {text}");
    let akp = std::fs::read(&akp_path).unwrap();
    let keys = Vec::<pkcs8::PrivateKeyInfoOwned>::from_der(&akp).expect("AsymmetricKeyPackage");
    assert_eq!(keys.len(), 1);
    let cert = x509_cert::Certificate::from_der(&cert).unwrap();
    let spki = cert.tbs_certificate().subject_public_key_info();
    assert_eq!(
        keys[0].public_key.as_ref().expect("publicKey").raw_bytes(),
        spki.subject_public_key.raw_bytes()
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn openssl_opens_kari_and_verifies_the_kga_signature() {
    if openssl_util::available("openssl_opens_kari_and_verifies_the_kga_signature", "cms") {
        openssl_opens("ckg-sig-kari", "client-ec-ka");
    }
}

#[test]
fn openssl_opens_ktri_and_verifies_the_kga_signature() {
    if openssl_util::available("openssl_opens_ktri_and_verifies_the_kga_signature", "cms") {
        openssl_opens("ckg-sig-ktri", "client-rsa-kt");
    }
}
