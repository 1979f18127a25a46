//! Independent-decoder oracle: every message the codec's builders and types can write is
//! decoded by pyasn1 with Russ Housley's `pyasn1-alt-modules` (`rfc9810`, `rfc4211`,
//! `rfc5280`, `rfc5652`, ...), which were written from the RFC modules and not from this
//! codec. A self round trip (tests/arms.rs) cannot catch a wrong tag: both directions share
//! the mistake. RustCrypto's `cmpv2`/`crmf` had several such bugs for exactly that reason.
//!
//! * Real credentials are made at test time with the `openssl` CLI (an EC P-256 CA, an EE
//!   certificate, a PKCS#10 CSR, a CRL from `openssl ca -gencrl`, a CMS `EnvelopedData` from
//!   `openssl cms -encrypt`), because pyasn1 decodes those structures all the way down.
//! * For all 27 `PKIBody` alternatives, messages are built that use every optional field and
//!   every CHOICE alternative the codec has (see `build_cases`), written to a temp dir and fed
//!   to `tests/oracle/pyasn1_rfc9810.py`, which must answer `OK <arm> yes` for each: decoded
//!   as the same body arm and re-encoded by pyasn1 to the identical DER. Open-type values
//!   (ITAVs, controls, regInfo, algorithm parameters, extensions, nested messages) are decoded
//!   with their own specs as well; the test checks from the script's `-v` report that every
//!   typed value the codec writes was really decoded with a spec (none left opaque).
//! * Where pyasn1-alt-modules is wrong, the case is listed in `KNOWN_DISAGREEMENTS` with the
//!   spec line: the plain run must then fail exactly there (so a fixed pyasn1 is noticed) and
//!   a run with the script's corrected spec (`--fix`) must pass.
//! * Mutants with the tagging mistakes RustCrypto made must be rejected by the oracle, so
//!   the oracle is shown to be able to fail; the repo vectors (peer-generated) must pass it.
//!
//! Needs `python3` with `pip install pyasn1-alt-modules` and the `openssl` CLI. Without them
//! the tests print `SKIPPED oracle_pyasn1: ...` and pass, unless `CMP_REQUIRE_ORACLES=1`
//! (CI), where they fail. `CMP_PYTHON` overrides the interpreter.

// `asn1::ParseError` is 136 bytes (upstream); the parse closures return it, as in the crate.
#![allow(clippy::result_large_err)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use cmp_codec::body::{
    CAKeyUpdAnnContent, CAKeyUpdContent, CertOrEncCert, CertResponse, CertStatus, CertifiedKeyPair,
    Challenge, KeyRecRepContent, PollRep, Rand, RevAnnContent, RevDetails, RevRepContent,
};
use cmp_codec::builder::{self, MessageBuilder};
use cmp_codec::common::{
    AlgorithmIdentifier, CertId, DistributionPointName, Extension, GeneralName,
    RelativeDistinguishedName, SubjectPublicKeyInfo, Time,
};
use cmp_codec::crmf::{
    AuthInfo, CertReqMsg, CertRequest, CertTemplate, Control, ControlValue, EncKeyIdentifier,
    EncKeyWithID, EncryptedKey, EncryptedValue, OptionalValidity, PKIArchiveOptions,
    PKIPublicationInfo, PKMACValue, POPOPrivKey, POPOSigningKey, POPOSigningKeyInput,
    ProofOfPossession, RegInfo, RegInfoValue, SinglePubInfo,
};
use cmp_codec::header::{PVNO_CMP2000, PVNO_CMP2021};
use cmp_codec::itav::{
    CRLSource, CRLStatus, CertReqTemplateContent, InfoTypeAndValue, InfoValue, KemCiphertextInfo,
    RootCaKeyUpdateContent,
};
use cmp_codec::oid;
use cmp_codec::protection::{
    protect_with_mac, DHBMParameter, HashAlg, HmacAlg, KemBMParameter, KemOtherInfo, MacAlgorithm,
    PBKDF2Params, PBKDF2Salt, PBMAC1Params, SignatureAlgorithm,
};
use cmp_codec::raw::{
    Certificate, CertificateList, CertificationRequest, Name, PrivateKeyInfo, RawMessage,
};
use cmp_codec::{
    FailureBit, GeneralizedTime, PKIBody, PKIFailureInfo, PKIMessage, PKIStatus, PKIStatusInfo,
    SeqOf, UtcDateTime,
};

const SCRIPT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/oracle/pyasn1_rfc9810.py"
);
const SKIP_HINT: &str = "pip install pyasn1-alt-modules";

/// OIDs under the RFC 5612 example enterprise number: deliberately unknown to everyone, so
/// these (and only these) may stay opaque in pyasn1's decoding.
const UNKNOWN_ARC: &str = "1.3.6.1.4.1.32473.";

/// A case where pyasn1-alt-modules disagrees with the ASN.1 module and pyasn1 is wrong.
struct Known {
    /// Case name (file stem).
    case: &'static str,
    /// The script's `--fix` that decodes with the corrected spec.
    fix: &'static str,
    /// Substring of the `ERR` line the unfixed pyasn1 must produce.
    err: &'static str,
    why: &'static str,
}

const KNOWN_DISAGREEMENTS: &[Known] = &[Known {
    case: "krp-keypairhist-envelopeddata",
    fix: "krp-encryptedkey",
    err: "not in asn1Spec {EncryptedValue",
    why: "pyasn1-alt-modules 0.4.10 rfc9810.KeyRecRepContent = rfc4210.KeyRecRepContent, whose \
          keyPairHist uses the RFC 4210 CertifiedKeyPair (privateKey [0] EncryptedValue, \
          encryptedCert [1] EncryptedValue). PKIXCMP-2023 (RFC 9810 App. F) says \
          `keyPairHist [2] SEQUENCE SIZE (1..MAX) OF CertifiedKeyPair` with \
          `privateKey [0] EncryptedKey` and `encryptedCert [1] EncryptedKey` (EncryptedValue or \
          envelopedData [0] EnvelopedData), as rfc9810.CertifiedKeyPair itself has. pyasn1 is \
          wrong; the codec's bytes decode with the corrected spec.",
}];

// ------------------------------------------------------------------------------------------
// Running the oracle
// ------------------------------------------------------------------------------------------

fn python() -> String {
    std::env::var("CMP_PYTHON").unwrap_or_else(|_| "python3".to_string())
}

fn required() -> bool {
    std::env::var("CMP_REQUIRE_ORACLES").is_ok_and(|v| v == "1")
}

/// `false` (after a loud message) when the oracle cannot run here; panics instead when
/// `CMP_REQUIRE_ORACLES=1`.
fn oracle_available(test: &str) -> bool {
    let missing = |what: String| {
        if required() {
            panic!("oracle_pyasn1 ({test}): {what}; CMP_REQUIRE_ORACLES=1 forbids skipping");
        }
        eprintln!("SKIPPED oracle_pyasn1: {SKIP_HINT} ({test}: {what})");
        false
    };
    match Command::new(python())
        .args(["-c", "import pyasn1_alt_modules.rfc9810"])
        .output()
    {
        Err(e) => return missing(format!("cannot run {}: {e}", python())),
        Ok(out) if !out.status.success() => {
            return missing(format!(
                "pyasn1_alt_modules not importable: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ))
        }
        Ok(_) => {}
    }
    match Command::new("openssl").arg("version").output() {
        Ok(out) if out.status.success() => true,
        _ => missing("the openssl CLI is not installed (apt-get install openssl)".into()),
    }
}

/// One result line of the script, for one input file.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Verdict {
    Ok { arm: String, identical: bool },
    Err(String),
}

struct OracleRun {
    /// In input order, with the raw line.
    verdicts: Vec<(PathBuf, Verdict, String)>,
    stderr: String,
}

impl OracleRun {
    /// The script's diagnostics about `file` (re-encoding diffs).
    fn notes(&self, file: &Path) -> String {
        let name = file.display().to_string();
        self.stderr
            .lines()
            .filter(|l| l.starts_with("DIFF ") && l[5..].starts_with(&name))
            .collect::<Vec<_>>()
            .join("\n    ")
    }
}

fn run_oracle(files: &[PathBuf], extra: &[&str]) -> OracleRun {
    let out = Command::new(python())
        .arg(SCRIPT)
        .args(extra)
        .args(files)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {} {SCRIPT}: {e}", python()));
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    match out.status.code() {
        Some(0) => {}
        Some(3) => panic!(
            "the oracle script says pyasn1_alt_modules is not importable, although the probe \
             import worked: {stderr}"
        ),
        other => {
            panic!("oracle script exited with {other:?}\nstdout:\n{stdout}\nstderr:\n{stderr}")
        }
    }
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines.len(),
        files.len(),
        "the oracle must print one line per file\nstdout:\n{stdout}\nstderr:\n{stderr}"
    );
    let verdicts = files
        .iter()
        .zip(lines)
        .map(|(file, line)| {
            let v = if let Some(rest) = line.strip_prefix("OK ") {
                let mut parts = rest.split(' ');
                let arm = parts.next().unwrap_or("").to_string();
                let identical = match parts.next() {
                    Some("yes") => true,
                    Some("no") => false,
                    _ => panic!("malformed oracle line for {}: {line}", file.display()),
                };
                Verdict::Ok { arm, identical }
            } else if let Some(rest) = line.strip_prefix("ERR ") {
                let name = file.display().to_string();
                assert!(
                    rest.starts_with(&name),
                    "ERR line names another file than {name}: {line}"
                );
                Verdict::Err(rest[name.len()..].trim().to_string())
            } else {
                panic!("malformed oracle line for {}: {line}", file.display())
            };
            (file.clone(), v, line.to_string())
        })
        .collect();
    OracleRun { verdicts, stderr }
}

/// `OPEN`/`OPAQUE` lines of the `-v` report: (kind, file, path, oid).
fn open_report(stderr: &str) -> Vec<(String, String, String, String)> {
    stderr
        .lines()
        .filter_map(|l| {
            let (kind, rest) = l.split_once(' ')?;
            match kind {
                "OPEN" => {
                    // OPEN <file> <path> <oid> <spec> <how>
                    let mut it = rest.rsplitn(5, ' ');
                    let (_how, _spec, oid, path, file) =
                        (it.next()?, it.next()?, it.next()?, it.next()?, it.next()?);
                    Some((kind.into(), file.into(), path.into(), oid.into()))
                }
                "OPAQUE" => {
                    let mut it = rest.rsplitn(3, ' ');
                    let (oid, path, file) = (it.next()?, it.next()?, it.next()?);
                    Some((kind.into(), file.into(), path.into(), oid.into()))
                }
                _ => None,
            }
        })
        .collect()
}

/// A fresh directory under Cargo's temp dir for integration tests, unique to this process.
fn work_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("oracle_pyasn1-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    dir
}

// ------------------------------------------------------------------------------------------
// Credentials from the openssl CLI
// ------------------------------------------------------------------------------------------

struct Creds {
    /// Self-signed EC P-256 CA certificate (DER).
    ca: &'static [u8],
    /// EE certificate issued by the CA, serial 0x1234 (DER).
    ee: &'static [u8],
    /// PKCS#10 request of the EE key, with an extensionRequest attribute (DER).
    csr: &'static [u8],
    /// CRL of the CA from `openssl ca -gencrl`, listing the EE certificate (DER).
    crl: &'static [u8],
    /// CMS `EnvelopedData` (the SEQUENCE inside the ContentInfo) for the EE key (ECDH).
    enveloped: &'static [u8],
    /// Subject `Name` of the CA (= issuer of the EE) and of the EE (DER).
    ca_name: &'static [u8],
    ee_name: &'static [u8],
    /// The EE `SubjectPublicKeyInfo` (DER).
    ee_spki: &'static [u8],
    /// The EE private key as PKCS#8 `PrivateKeyInfo` (DER).
    ee_pkcs8: &'static [u8],
}

fn leak(v: Vec<u8>) -> &'static [u8] {
    Box::leak(v.into_boxed_slice())
}

fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("openssl {}: {e}", args.join(" ")));
    assert!(
        out.status.success(),
        "openssl {} failed:\n{}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn write(path: &Path, data: &[u8]) {
    std::fs::write(path, data).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

const REQ_CNF: &str = "\
[ req ]
distinguished_name = dn
prompt = no
x509_extensions = v3_ca
req_extensions = v3_req
[ dn ]
C = DE
O = CMP Oracle
CN = Oracle Root CA
[ v3_ca ]
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
basicConstraints = critical, CA:true
keyUsage = critical, keyCertSign, cRLSign
[ v3_req ]
subjectAltName = DNS:ee.example.org, email:ee@example.org
keyUsage = critical, digitalSignature
";

const EE_CNF: &str = "\
[ req ]
distinguished_name = dn
prompt = no
req_extensions = v3_req
[ dn ]
C = DE
O = CMP Oracle
CN = Oracle End Entity
[ v3_req ]
subjectAltName = DNS:ee.example.org, email:ee@example.org
keyUsage = critical, digitalSignature
";

const CA_CNF: &str = "\
[ ca ]
default_ca = oracle_ca
[ oracle_ca ]
database = index.txt
crlnumber = crlnumber
certificate = ca.pem
private_key = ca.key
default_md = sha256
default_crl_days = 30
crl_extensions = crl_ext
[ crl_ext ]
authorityKeyIdentifier = keyid:always
";

fn make_creds() -> Creds {
    let dir = work_dir("creds");
    let d = dir.as_path();
    write(&d.join("req.cnf"), REQ_CNF.as_bytes());
    write(&d.join("ee.cnf"), EE_CNF.as_bytes());
    write(&d.join("ca.cnf"), CA_CNF.as_bytes());
    write(&d.join("index.txt"), b"");
    write(&d.join("crlnumber"), b"01\n");
    write(&d.join("secret.txt"), b"a key to be wrapped for the EE\n");
    let ec = ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"];
    openssl(d, &[&["genpkey"][..], &ec, &["-out", "ca.key"]].concat());
    openssl(d, &[&["genpkey"][..], &ec, &["-out", "ee.key"]].concat());
    openssl(
        d,
        &[
            "req",
            "-x509",
            "-new",
            "-config",
            "req.cnf",
            "-key",
            "ca.key",
            "-days",
            "30",
            "-sha256",
            "-set_serial",
            "1",
            "-out",
            "ca.pem",
        ],
    );
    openssl(
        d,
        &[
            "req", "-new", "-config", "ee.cnf", "-key", "ee.key", "-sha256", "-out", "ee.csr",
        ],
    );
    openssl(
        d,
        &[
            "req",
            "-in",
            "ee.csr",
            "-outform",
            "DER",
            "-out",
            "ee.csr.der",
        ],
    );
    openssl(
        d,
        &[
            "x509",
            "-req",
            "-in",
            "ee.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-set_serial",
            "0x1234",
            "-days",
            "30",
            "-sha256",
            "-copy_extensions",
            "copy",
            "-out",
            "ee.pem",
        ],
    );
    openssl(
        d,
        &[
            "ca",
            "-config",
            "ca.cnf",
            "-revoke",
            "ee.pem",
            "-crl_reason",
            "keyCompromise",
        ],
    );
    openssl(
        d,
        &["ca", "-config", "ca.cnf", "-gencrl", "-out", "crl.pem"],
    );
    openssl(
        d,
        &[
            "crl", "-in", "crl.pem", "-outform", "DER", "-out", "crl.der",
        ],
    );
    for c in ["ca", "ee"] {
        openssl(
            d,
            &[
                "x509",
                "-in",
                &format!("{c}.pem"),
                "-outform",
                "DER",
                "-out",
                &format!("{c}.der"),
            ],
        );
    }
    openssl(
        d,
        &[
            "pkcs8",
            "-topk8",
            "-nocrypt",
            "-in",
            "ee.key",
            "-outform",
            "DER",
            "-out",
            "ee.p8.der",
        ],
    );
    openssl(
        d,
        &[
            "cms",
            "-encrypt",
            "-binary",
            "-aes-128-cbc",
            "-in",
            "secret.txt",
            "-outform",
            "DER",
            "-out",
            "env.der",
            "ee.pem",
        ],
    );

    let ca = leak(read(&d.join("ca.der")));
    let ee = leak(read(&d.join("ee.der")));
    let content_info = leak(read(&d.join("env.der")));
    // ContentInfo ::= SEQUENCE { contentType OID, content [0] EXPLICIT EnvelopedData }
    let enveloped = asn1::parse_single::<asn1::Sequence<'_>>(content_info)
        .and_then(|s| {
            s.parse(|p| {
                let ct: asn1::ObjectIdentifier = p.read_element()?;
                assert_eq!(
                    ct,
                    asn1::oid!(1, 2, 840, 113549, 1, 7, 3),
                    "id-envelopedData"
                );
                Ok(p.read_element::<asn1::Explicit<asn1::Tlv<'_>, 0>>()?
                    .into_inner()
                    .full_data())
            })
        })
        .expect("openssl cms -encrypt writes a ContentInfo with EnvelopedData");
    let (ca_name, _, _) = tbs_parts(ca);
    let (_, ee_name, ee_spki) = tbs_parts(ee);
    let creds = Creds {
        ca,
        ee,
        csr: leak(read(&d.join("ee.csr.der"))),
        crl: leak(read(&d.join("crl.der"))),
        enveloped,
        ca_name,
        ee_name,
        ee_spki,
        ee_pkcs8: leak(read(&d.join("ee.p8.der"))),
    };
    let _ = std::fs::remove_dir_all(d);
    creds
}

/// (issuer, subject, subjectPublicKeyInfo) of a DER certificate.
fn tbs_parts(cert: &'static [u8]) -> (&'static [u8], &'static [u8], &'static [u8]) {
    asn1::parse_single::<asn1::Sequence<'static>>(cert)
        .and_then(|c| {
            c.parse(|p| {
                let tbs = p.read_element::<asn1::Sequence<'static>>()?;
                while !p.is_empty() {
                    p.read_element::<asn1::Tlv<'static>>()?;
                }
                tbs.parse(|p| {
                    let _version = p.read_element::<Option<asn1::Explicit<i64, 0>>>()?;
                    let _serial = p.read_element::<asn1::BigInt<'static>>()?;
                    let _sig = p.read_element::<asn1::Tlv<'static>>()?;
                    let issuer = p.read_element::<asn1::Tlv<'static>>()?.full_data();
                    let _validity = p.read_element::<asn1::Tlv<'static>>()?;
                    let subject = p.read_element::<asn1::Tlv<'static>>()?.full_data();
                    let spki = p.read_element::<asn1::Tlv<'static>>()?.full_data();
                    while !p.is_empty() {
                        p.read_element::<asn1::Tlv<'static>>()?;
                    }
                    Ok((issuer, subject, spki))
                })
            })
        })
        .expect("openssl writes X.509 certificates")
}

fn creds() -> &'static Creds {
    static CREDS: OnceLock<Creds> = OnceLock::new();
    CREDS.get_or_init(make_creds)
}

// ------------------------------------------------------------------------------------------
// Small constructors
// ------------------------------------------------------------------------------------------

/// DER TLV with a one-byte tag.
fn tlv_bytes(tag: u8, parts: &[&[u8]]) -> Vec<u8> {
    let body = parts.concat();
    let mut out = vec![tag];
    let n = body.len();
    if n < 0x80 {
        out.push(n as u8);
    } else {
        let be = n.to_be_bytes();
        let skip = be.iter().take_while(|b| **b == 0).count();
        out.push(0x80 | (be.len() - skip) as u8);
        out.extend_from_slice(&be[skip..]);
    }
    out.extend_from_slice(&body);
    out
}

fn der<T: asn1::Asn1Writable>(v: &T) -> &'static [u8] {
    leak(asn1::write_single(v).unwrap_or_else(|_| panic!("encoding a test value")))
}

fn tlv(der: &'static [u8]) -> asn1::Tlv<'static> {
    asn1::parse_single(der).expect("one TLV")
}

fn sequence(contents: &[&[u8]]) -> asn1::Sequence<'static> {
    asn1::parse_single(leak(tlv_bytes(0x30, contents))).expect("SEQUENCE")
}

/// The codec's borrowed form of an OID built here (leaked, like the other test values).
fn oid_ref(oid: asn1::ObjectIdentifier) -> cmp_codec::Oid<'static> {
    cmp_codec::Oid::from(&*Box::leak(Box::new(oid)))
}

fn alg(oid: asn1::ObjectIdentifier) -> AlgorithmIdentifier<'static> {
    AlgorithmIdentifier::new(oid_ref(oid))
}

fn alg_der(der: Vec<u8>) -> AlgorithmIdentifier<'static> {
    asn1::parse_single(leak(der)).expect("AlgorithmIdentifier")
}

fn alg_with<T: asn1::Asn1Writable>(
    oid: asn1::ObjectIdentifier,
    params: &T,
) -> AlgorithmIdentifier<'static> {
    AlgorithmIdentifier {
        algorithm: oid_ref(oid),
        parameters: Some(tlv(der(params))),
    }
}

fn bits(data: &'static [u8]) -> asn1::BitString<'static> {
    asn1::BitString::new(data, 0).expect("BIT STRING")
}

fn utf8(s: &'static str) -> asn1::Utf8String<'static> {
    asn1::Utf8String::new(s)
}

fn ia5(s: &'static str) -> asn1::IA5String<'static> {
    asn1::IA5String::new(s).expect("IA5String")
}

fn int(bytes: &'static [u8]) -> asn1::BigInt<'static> {
    asn1::BigInt::new(bytes).expect("DER INTEGER")
}

fn name(der: &'static [u8]) -> Name<'static> {
    Name::from_der(der).expect("Name")
}

fn cert(der: &'static [u8]) -> Certificate<'static> {
    Certificate::from_der(der).expect("Certificate")
}

fn gtime(y: u16, mo: u8, d: u8, h: u8, mi: u8, s: u8) -> GeneralizedTime<'static> {
    GeneralizedTime::new(UtcDateTime {
        year: y,
        month: mo,
        day: d,
        hour: h,
        minute: mi,
        second: s,
    })
    .expect("time")
}

fn utc_time(y: u16, mo: u8, d: u8) -> Time {
    Time::UtcTime(asn1::UtcTime::new(asn1::DateTime::new(y, mo, d, 10, 20, 30).unwrap()).unwrap())
}

fn generalized_time(y: u16, mo: u8, d: u8) -> Time {
    Time::GeneralTime(
        asn1::X509GeneralizedTime::new(asn1::DateTime::new(y, mo, d, 1, 2, 3).unwrap()).unwrap(),
    )
}

fn unknown_oid(n: u32) -> asn1::ObjectIdentifier {
    asn1::ObjectIdentifier::from_string(&format!("{UNKNOWN_ARC}{n}")).expect("OID")
}

const ID_CE_KEY_USAGE: asn1::ObjectIdentifier = asn1::oid!(2, 5, 29, 15);
const ID_CE_SUBJECT_ALT_NAME: asn1::ObjectIdentifier = asn1::oid!(2, 5, 29, 17);
const ID_CE_BASIC_CONSTRAINTS: asn1::ObjectIdentifier = asn1::oid!(2, 5, 29, 19);
const ID_CE_CRL_NUMBER: asn1::ObjectIdentifier = asn1::oid!(2, 5, 29, 20);
const ID_CE_CRL_REASONS: asn1::ObjectIdentifier = asn1::oid!(2, 5, 29, 21);
const ID_CE_INVALIDITY_DATE: asn1::ObjectIdentifier = asn1::oid!(2, 5, 29, 24);
const SECP256R1: asn1::ObjectIdentifier = asn1::oid!(1, 2, 840, 10045, 3, 1, 7);
const AES128_CBC: asn1::ObjectIdentifier = asn1::oid!(2, 16, 840, 1, 101, 3, 4, 1, 2);
const HKDF_SHA256: asn1::ObjectIdentifier = asn1::oid!(1, 2, 840, 113549, 1, 9, 16, 3, 28);

// ------------------------------------------------------------------------------------------
// The values every message is made of
// ------------------------------------------------------------------------------------------

/// Every `GeneralName` alternative.
fn all_general_names(c: &Creds) -> Vec<GeneralName<'static>> {
    // OtherName ::= SEQUENCE { type-id OID, value [0] EXPLICIT ANY }
    let other = sequence(&[
        der(&unknown_oid(1)),
        &tlv_bytes(0xa0, &[der(&utf8("other name"))]),
    ]);
    // ORAddress with empty built-in-standard-attributes.
    let x400 = sequence(&[&[0x30, 0x00]]);
    // EDIPartyName ::= SEQUENCE { nameAssigner [0] DirectoryString OPTIONAL,
    //                             partyName [1] DirectoryString } (CHOICE: explicit)
    let edi = sequence(&[
        &tlv_bytes(0xa0, &[der(&utf8("assigner"))]),
        &tlv_bytes(0xa1, &[der(&utf8("party"))]),
    ]);
    vec![
        GeneralName::OtherName(other),
        GeneralName::Rfc822Name(ia5("ra@example.org")),
        GeneralName::DnsName(ia5("ca.example.org")),
        GeneralName::X400Address(x400),
        GeneralName::DirectoryName(name(c.ca_name)),
        GeneralName::EdiPartyName(edi),
        GeneralName::UniformResourceIdentifier(ia5("http://ca.example.org/cmp")),
        GeneralName::IpAddress(&[192, 0, 2, 7]),
        GeneralName::RegisteredId(oid_ref(unknown_oid(2))),
    ]
}

fn status_rejection() -> PKIStatusInfo<'static> {
    PKIStatusInfo {
        status: PKIStatus::REJECTION,
        status_string: Some(builder::free_text(&["rejected", "zweite Zeile äöü"]).unwrap()),
        fail_info: Some(PKIFailureInfo::from_bits(&[
            FailureBit::BadAlg,
            FailureBit::BadPOP,
            FailureBit::WrongIntegrity,
            FailureBit::DuplicateCertReq,
        ])),
    }
}

fn status_with_text(status: PKIStatus, text: &'static str) -> PKIStatusInfo<'static> {
    PKIStatusInfo {
        status,
        status_string: Some(builder::free_text(&[text]).unwrap()),
        fail_info: None,
    }
}

fn cert_id(c: &Creds) -> CertId<'static> {
    CertId {
        issuer: GeneralName::DirectoryName(name(c.ca_name)),
        serial_number: int(&[0x12, 0x34]),
    }
}

fn pbm_params_alg() -> AlgorithmIdentifier<'static> {
    alg_der(
        MacAlgorithm::Pbm {
            salt: b"0123456789abcdef",
            owf: HashAlg::Sha256,
            iteration_count: 500,
            mac: HmacAlg::HmacWithSha256,
        }
        .to_algorithm_identifier_der()
        .unwrap(),
    )
}

fn encrypted_value() -> EncryptedValue<'static> {
    EncryptedValue {
        intended_alg: Some(alg(oid::EC_PUBLIC_KEY)),
        symm_alg: Some(alg_with(AES128_CBC, &[0x42u8; 16].as_slice())),
        enc_symm_key: Some(bits(&[0x01, 0x02, 0x03, 0x04])),
        key_alg: Some(alg(oid::RSA_ENCRYPTION)),
        value_hint: Some(b"hint"),
        enc_value: bits(&[0xde, 0xad, 0xbe, 0xef]),
    }
}

fn enveloped(c: &Creds) -> asn1::Sequence<'static> {
    asn1::parse_single(c.enveloped).expect("EnvelopedData")
}

fn publication_info() -> PKIPublicationInfo<'static> {
    PKIPublicationInfo {
        action: 1,
        pub_infos: Some(SeqOf::new(vec![
            SinglePubInfo {
                pub_method: 3,
                pub_location: Some(GeneralName::UniformResourceIdentifier(ia5(
                    "ldap://ldap.example.org/cn=ee",
                ))),
            },
            SinglePubInfo {
                pub_method: 0,
                pub_location: None,
            },
        ])),
    }
}

fn extensions_template() -> SeqOf<'static, Extension<'static>, 1> {
    SeqOf::new(vec![
        Extension {
            extn_id: (&ID_CE_BASIC_CONSTRAINTS).into(),
            critical: true,
            extn_value: &[0x30, 0x00],
        },
        Extension {
            extn_id: (&ID_CE_KEY_USAGE).into(),
            critical: false,
            extn_value: &[0x03, 0x02, 0x07, 0x80],
        },
        Extension {
            extn_id: (&ID_CE_SUBJECT_ALT_NAME).into(),
            critical: false,
            // SEQUENCE { dNSName "ee.example.org" }
            extn_value: &[
                0x30, 0x10, 0x82, 0x0e, b'e', b'e', b'.', b'e', b'x', b'a', b'm', b'p', b'l', b'e',
                b'.', b'o', b'r', b'g',
            ],
        },
    ])
}

/// A `CertTemplate` with every field.
fn full_template(c: &Creds) -> CertTemplate<'static> {
    CertTemplate {
        version: Some(2),
        serial_number: Some(int(&[0x12, 0x34])),
        signing_alg: Some(alg(oid::ECDSA_WITH_SHA256)),
        issuer: Some(name(c.ca_name)),
        validity: Some(OptionalValidity {
            not_before: Some(utc_time(2026, 1, 2)),
            not_after: Some(generalized_time(2051, 1, 2)),
        }),
        subject: Some(name(c.ee_name)),
        public_key: Some(asn1::parse_single::<SubjectPublicKeyInfo<'_>>(c.ee_spki).unwrap()),
        issuer_uid: Some(asn1::BitString::new(&[0xa5, 0x80], 7).unwrap()),
        subject_uid: Some(bits(&[0x5a])),
        extensions: Some(extensions_template()),
    }
}

/// `AltCertTemplate ::= AttributeTypeAndValue` (kept raw by the codec).
fn alt_cert_template() -> asn1::Tlv<'static> {
    tlv(leak(tlv_bytes(
        0x30,
        &[der(&unknown_oid(3)), der(&utf8("alt template"))],
    )))
}

/// Every `Control` kind, with the `EncryptedValue` alternative of `pkiArchiveOptions`.
fn all_controls(c: &Creds) -> Vec<Control<'static>> {
    vec![
        Control::new(ControlValue::RegToken(utf8("reg-token-0042"))),
        Control::new(ControlValue::Authenticator(utf8("authenticator"))),
        Control::new(ControlValue::PkiPublicationInfo(publication_info())),
        Control::new(ControlValue::PkiArchiveOptions(
            PKIArchiveOptions::EncryptedPrivKey(EncryptedKey::EncryptedValue(encrypted_value())),
        )),
        Control::new(ControlValue::OldCertId(cert_id(c))),
        Control::new(ControlValue::ProtocolEncrKey(
            asn1::parse_single(c.ee_spki).unwrap(),
        )),
        Control::new(ControlValue::AltCertTemplate(alt_cert_template())),
        Control::new(ControlValue::AlgId(alg(oid::ID_ED25519))),
        Control::new(ControlValue::RsaKeyLen(3072)),
        Control::new(ControlValue::Other(
            unknown_oid(4),
            tlv(der(&utf8("unknown control"))),
        )),
    ]
}

fn pkmac_value() -> PKMACValue<'static> {
    PKMACValue {
        alg_id: pbm_params_alg(),
        value: bits(&[0x11; 20]),
    }
}

/// Every `ProofOfPossession` alternative (and every `POPOPrivKey` alternative in both
/// `keyEncipherment` and `keyAgreement`, both `authInfo` alternatives of `poposkInput`).
fn all_popos(c: &Creds) -> Vec<ProofOfPossession<'static>> {
    let spki = || asn1::parse_single::<SubjectPublicKeyInfo<'_>>(c.ee_spki).unwrap();
    let sig = |input: Option<POPOSigningKeyInput<'static>>, a: AlgorithmIdentifier<'static>| {
        ProofOfPossession::Signature(POPOSigningKey {
            poposk_input: input,
            algorithm_identifier: a,
            signature: bits(&[0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x02]),
        })
    };
    let priv_keys = |subsequent: i64| {
        vec![
            POPOPrivKey::ThisMessage(bits(&[0xaa, 0xbb])),
            POPOPrivKey::SubsequentMessage(subsequent),
            POPOPrivKey::DhMac(bits(&[0xcc; 20])),
            POPOPrivKey::AgreeMac(pkmac_value()),
            POPOPrivKey::EncryptedKey(enveloped(c)),
        ]
    };
    let pss = alg_der(
        SignatureAlgorithm::RsaPss {
            hash: HashAlg::Sha256,
            salt_len: 32,
        }
        .to_algorithm_identifier_der()
        .unwrap(),
    );
    let mut v = vec![
        ProofOfPossession::RaVerified(()),
        sig(None, alg(oid::ECDSA_WITH_SHA256)),
        sig(
            Some(POPOSigningKeyInput {
                auth_info: AuthInfo::Sender(GeneralName::DirectoryName(name(c.ee_name))),
                public_key: spki(),
            }),
            pss,
        ),
        sig(
            Some(POPOSigningKeyInput {
                auth_info: AuthInfo::PublicKeyMac(pkmac_value()),
                public_key: spki(),
            }),
            alg(oid::ECDSA_WITH_SHA256),
        ),
    ];
    v.extend(
        priv_keys(0)
            .into_iter()
            .map(ProofOfPossession::KeyEncipherment),
    );
    v.extend(
        priv_keys(1)
            .into_iter()
            .map(ProofOfPossession::KeyAgreement),
    );
    v
}

/// One `CertReqMsg` per POPO alternative, then one with nothing optional. The first four carry
/// every control kind and the three `pkiArchiveOptions` alternatives; the first carries both
/// regInfo kinds (and an unknown one).
fn all_cert_req_msgs(c: &Creds) -> Vec<CertReqMsg<'static>> {
    let archive_options = [
        all_controls(c),
        vec![Control::new(ControlValue::PkiArchiveOptions(
            PKIArchiveOptions::EncryptedPrivKey(EncryptedKey::EnvelopedData(enveloped(c))),
        ))],
        vec![Control::new(ControlValue::PkiArchiveOptions(
            PKIArchiveOptions::KeyGenParameters(&[0x01, 0x02, 0x03]),
        ))],
        vec![Control::new(ControlValue::PkiArchiveOptions(
            PKIArchiveOptions::ArchiveRemGenPrivKey(true),
        ))],
    ];
    let mut msgs: Vec<CertReqMsg<'static>> = all_popos(c)
        .into_iter()
        .enumerate()
        .map(|(i, popo)| CertReqMsg {
            cert_req: CertRequest {
                cert_req_id: i as i64,
                cert_template: full_template(c),
                controls: archive_options.get(i).cloned().map(SeqOf::new),
            },
            popo: Some(popo),
            reg_info: None,
        })
        .collect();
    msgs[0].reg_info = Some(SeqOf::new(vec![
        RegInfo {
            attr_type: asn1::DefinedByMarker::marker(),
            value: RegInfoValue::Utf8Pairs(utf8("version?1%corp_company?Example%")),
        },
        RegInfo {
            attr_type: asn1::DefinedByMarker::marker(),
            value: RegInfoValue::CertReq(CertRequest {
                cert_req_id: 77,
                cert_template: CertTemplate {
                    subject: Some(name(c.ee_name)),
                    ..Default::default()
                },
                controls: Some(SeqOf::new(vec![Control::new(ControlValue::RegToken(
                    utf8("inner"),
                ))])),
            }),
        },
        RegInfo {
            attr_type: asn1::DefinedByMarker::marker(),
            value: RegInfoValue::Other(unknown_oid(5), tlv(der(&utf8("unknown regInfo")))),
        },
    ]));
    msgs.push(builder::cert_req_msg(99, CertTemplate::default()));
    msgs
}

fn all_cert_responses(c: &Creds) -> Vec<CertResponse<'static>> {
    vec![
        CertResponse {
            cert_req_id: 0,
            status: status_with_text(PKIStatus::GRANTED_WITH_MODS, "validity shortened"),
            certified_key_pair: Some(CertifiedKeyPair {
                cert_or_enc_cert: CertOrEncCert::Certificate(cert(c.ee)),
                private_key: Some(EncryptedKey::EncryptedValue(encrypted_value())),
                publication_info: Some(publication_info()),
            }),
            rsp_info: Some(b"rspInfo utf8Pairs?x%"),
        },
        CertResponse {
            cert_req_id: 1,
            status: PKIStatusInfo::accepted(),
            certified_key_pair: Some(CertifiedKeyPair {
                cert_or_enc_cert: CertOrEncCert::EncryptedCert(EncryptedKey::EncryptedValue(
                    encrypted_value(),
                )),
                private_key: Some(EncryptedKey::EnvelopedData(enveloped(c))),
                publication_info: None,
            }),
            rsp_info: None,
        },
        CertResponse {
            cert_req_id: 2,
            status: PKIStatusInfo::accepted(),
            certified_key_pair: Some(CertifiedKeyPair {
                cert_or_enc_cert: CertOrEncCert::EncryptedCert(EncryptedKey::EnvelopedData(
                    enveloped(c),
                )),
                private_key: None,
                publication_info: None,
            }),
            rsp_info: None,
        },
        builder::cert_response_status(-1, status_rejection()),
        builder::cert_response_status(4, status_with_text(PKIStatus::WAITING, "later")),
    ]
}

fn crl_entry_details() -> SeqOf<'static, Extension<'static>, 1> {
    SeqOf::new(vec![
        Extension {
            extn_id: (&ID_CE_CRL_REASONS).into(),
            critical: false,
            extn_value: &[0x0a, 0x01, 0x01], // keyCompromise
        },
        Extension {
            extn_id: (&ID_CE_INVALIDITY_DATE).into(),
            critical: false,
            extn_value: b"\x18\x0f20260101000000Z",
        },
    ])
}

fn root_ca_key_update(c: &Creds) -> RootCaKeyUpdateContent<'static> {
    RootCaKeyUpdateContent {
        new_with_new: cert(c.ca),
        new_with_old: Some(cert(c.ee)),
        old_with_new: Some(cert(c.ca)),
    }
}

fn ca_key_upd_ann(c: &Creds) -> CAKeyUpdAnnContent<'static> {
    CAKeyUpdAnnContent {
        old_with_new: cert(c.ca),
        new_with_old: cert(c.ee),
        new_with_new: cert(c.ca),
    }
}

fn all_crl_status(c: &Creds) -> Vec<CRLStatus<'static>> {
    // RelativeDistinguishedName contents: one AttributeTypeAndValue CN=Partition 1.
    const RDN: &[u8] = &[
        0x30, 0x12, 0x06, 0x03, 0x55, 0x04, 0x03, 0x0c, 0x0b, b'P', b'a', b'r', b't', b'i', b't',
        b'i', b'o', b'n', b' ', b'1',
    ];
    vec![
        CRLStatus {
            source: CRLSource::Dpn(DistributionPointName::FullName(SeqOf::new(vec![
                GeneralName::UniformResourceIdentifier(ia5("http://crl.example.org/ca.crl")),
                GeneralName::DirectoryName(name(c.ca_name)),
            ]))),
            this_update: Some(utc_time(2026, 2, 3)),
        },
        CRLStatus {
            source: CRLSource::Dpn(DistributionPointName::NameRelativeToCrlIssuer(
                RelativeDistinguishedName(RDN),
            )),
            this_update: Some(generalized_time(2050, 2, 3)),
        },
        CRLStatus {
            source: CRLSource::Issuer(SeqOf::new(all_general_names(c))),
            this_update: None,
        },
    ]
}

/// Every typed `InfoValue` (id-it 1..24) with a value, plus unknown ones. `rev_passphrase`
/// picks the `EncryptedKey` alternative.
fn itavs_with_values(
    c: &Creds,
    inner: &'static [u8],
    enveloped_passphrase: bool,
) -> Vec<InfoTypeAndValue<'static>> {
    let crl = || CertificateList::from_der(c.crl).unwrap();
    let passphrase = if enveloped_passphrase {
        EncryptedKey::EnvelopedData(enveloped(c))
    } else {
        EncryptedKey::EncryptedValue(encrypted_value())
    };
    let values = vec![
        InfoValue::CaProtEncCert(Some(cert(c.ca))),
        InfoValue::SignKeyPairTypes(Some(SeqOf::new(vec![
            alg(oid::ECDSA_WITH_SHA256),
            alg(oid::ID_ED25519),
            alg(oid::ID_ML_DSA_65),
            alg_with(oid::EC_PUBLIC_KEY, &SECP256R1),
        ]))),
        InfoValue::EncKeyPairTypes(Some(SeqOf::new(vec![
            alg_with(oid::RSA_ENCRYPTION, &()),
            alg(oid::ID_ML_KEM_768),
        ]))),
        InfoValue::PreferredSymmAlg(Some(alg_with(AES128_CBC, &[0x24u8; 16].as_slice()))),
        InfoValue::CaKeyUpdateInfo(Some(ca_key_upd_ann(c))),
        InfoValue::CurrentCrl(Some(crl())),
        InfoValue::UnsupportedOids(Some(SeqOf::new(vec![
            unknown_oid(6),
            oid::ID_KEM_BASED_MAC,
        ]))),
        InfoValue::KeyPairParamReq(Some(oid::EC_PUBLIC_KEY)),
        InfoValue::KeyPairParamRep(Some(alg_with(oid::EC_PUBLIC_KEY, &SECP256R1))),
        InfoValue::RevPassphrase(Some(passphrase)),
        InfoValue::ImplicitConfirm(Some(())),
        InfoValue::ConfirmWaitTime(Some(gtime(2026, 5, 6, 7, 8, 9))),
        InfoValue::OrigPkiMessage(Some(SeqOf::new(vec![RawMessage::from_der(inner).unwrap()]))),
        InfoValue::SuppLangTags(Some(SeqOf::new(vec![utf8("en"), utf8("de-DE")]))),
        InfoValue::CaCerts(Some(SeqOf::new(vec![cert(c.ca), cert(c.ee)]))),
        InfoValue::RootCaKeyUpdate(Some(root_ca_key_update(c))),
        InfoValue::CertReqTemplate(Some(CertReqTemplateContent {
            cert_template: CertTemplate {
                public_key: None, // RFC 9810 5.3.19.16: MUST NOT be used
                ..full_template(c)
            },
            key_spec: Some(SeqOf::new(vec![
                Control::new(ControlValue::AlgId(alg_with(
                    oid::EC_PUBLIC_KEY,
                    &SECP256R1,
                ))),
                Control::new(ControlValue::RsaKeyLen(2048)),
            ])),
        })),
        InfoValue::RootCaCert(Some(cert(c.ca))),
        InfoValue::CertProfile(Some(SeqOf::new(vec![utf8("profile-1"), utf8("profile-2")]))),
        InfoValue::CrlStatusList(Some(SeqOf::new(all_crl_status(c)))),
        InfoValue::Crls(Some(SeqOf::new(vec![crl(), crl()]))),
        InfoValue::KemCiphertextInfo(Some(KemCiphertextInfo {
            kem: alg(oid::ID_ML_KEM_768),
            ct: leak(vec![0x5c; 1088]),
        })),
        InfoValue::Other(unknown_oid(7), Some(tlv(der(&utf8("unknown value"))))),
        InfoValue::Other(unknown_oid(8), None),
    ];
    values.into_iter().map(InfoTypeAndValue::new).collect()
}

/// Every typed `InfoValue` without a value (the request forms).
fn itavs_absent() -> Vec<InfoTypeAndValue<'static>> {
    vec![
        InfoValue::CaProtEncCert(None),
        InfoValue::SignKeyPairTypes(None),
        InfoValue::EncKeyPairTypes(None),
        InfoValue::PreferredSymmAlg(None),
        InfoValue::CaKeyUpdateInfo(None),
        InfoValue::CurrentCrl(None),
        InfoValue::UnsupportedOids(None),
        InfoValue::KeyPairParamReq(None),
        InfoValue::KeyPairParamRep(None),
        InfoValue::RevPassphrase(None),
        InfoValue::ImplicitConfirm(None),
        InfoValue::ConfirmWaitTime(None),
        InfoValue::OrigPkiMessage(None),
        InfoValue::SuppLangTags(None),
        InfoValue::CaCerts(None),
        InfoValue::RootCaKeyUpdate(None),
        InfoValue::CertReqTemplate(None),
        InfoValue::RootCaCert(None),
        InfoValue::CertProfile(None),
        InfoValue::CrlStatusList(None),
        InfoValue::Crls(None),
        InfoValue::KemCiphertextInfo(None),
        InfoValue::Other(unknown_oid(9), None),
    ]
    .into_iter()
    .map(InfoTypeAndValue::new)
    .collect()
}

// ------------------------------------------------------------------------------------------
// Messages
// ------------------------------------------------------------------------------------------

/// A header with every field: both nonces, both KIDs, freeText, generalInfo with
/// implicitConfirm, confirmWaitTime and certProfile, and extraCerts.
fn full_header(c: &Creds, pvno: i64) -> MessageBuilder<'static> {
    MessageBuilder::new(
        GeneralName::DirectoryName(name(c.ee_name)),
        GeneralName::Rfc822Name(ia5("ca@example.org")),
    )
    .pvno(pvno)
    .message_time(gtime(2026, 3, 4, 5, 6, 7))
    .sender_kid(b"sender-kid-0001")
    .recip_kid(b"recip-kid-0002")
    .transaction_id(&[0x11; 16])
    .sender_nonce(&[0x22; 16])
    .recip_nonce(&[0x33; 16])
    .free_text("free text, line 1")
    .free_text("zweite Zeile äöü")
    .implicit_confirm()
    .confirm_wait_time(gtime(2026, 3, 4, 5, 16, 7))
    .general_info(InfoTypeAndValue::new(InfoValue::CertProfile(Some(
        SeqOf::new(vec![utf8("profile-a"), utf8("profile-b")]),
    ))))
    .extra_cert(cert(c.ca))
    .extra_cert(cert(c.ee))
}

/// PBM-protect (protectionAlg with PBMParameter, real MAC) through the codec's own path.
fn pbm(msg: PKIMessage<'_>) -> Vec<u8> {
    let alg = MacAlgorithm::Pbm {
        salt: b"0123456789abcdef",
        owf: HashAlg::Sha256,
        iteration_count: 500,
        mac: HmacAlg::HmacWithSha256,
    };
    protect_with_mac(&msg, &alg, b"oracle secret").expect("PBM protection")
}

/// Set `protectionAlg` and a placeholder protection (pyasn1 does not check it).
fn with_protection(
    mb: MessageBuilder<'static>,
    alg: AlgorithmIdentifier<'static>,
    body: PKIBody<'static>,
) -> Vec<u8> {
    let mut msg = mb.protection_alg(alg).body(body);
    msg.protection = Some(bits(&[0x5a; 32]));
    msg.encode()
}

struct Case {
    name: String,
    arm: &'static str,
    der: Vec<u8>,
}

fn case(name: &str, der: Vec<u8>) -> Case {
    let arm = PKIMessage::parse(&der)
        .unwrap_or_else(|e| panic!("{name}: the codec cannot parse what it built: {e}"))
        .body
        .name();
    Case {
        name: name.to_string(),
        arm,
        der,
    }
}

/// All messages: every body arm (27), every optional field and CHOICE alternative.
fn build_cases(c: &'static Creds) -> Vec<Case> {
    let h2 = || full_header(c, PVNO_CMP2000);
    let h3 = || full_header(c, PVNO_CMP2021);
    let reqs = || all_cert_req_msgs(c);
    let rep = |ca_pubs: bool| {
        builder::cert_rep(
            all_cert_responses(c),
            if ca_pubs {
                vec![cert(c.ca), cert(c.ee)]
            } else {
                vec![]
            },
        )
    };
    let minimal = MessageBuilder::new(GeneralName::null_dn(), GeneralName::null_dn())
        .pkiconf()
        .encode();
    let inner_ir = leak(pbm(h2().ir(reqs()).unwrap()));
    let inner_conf = leak(minimal.clone());
    let inner_nested = leak(
        MessageBuilder::new(GeneralName::null_dn(), GeneralName::null_dn())
            .nested(vec![RawMessage::from_der(inner_conf).unwrap()])
            .unwrap()
            .encode(),
    );

    let mut cases = vec![
        case("ir-all-popo-controls-reginfo", inner_ir.to_vec()),
        case("ip-capubs-all-responses", pbm(h2().ip(rep(true)))),
        case(
            "cr-all-popo-controls-reginfo",
            pbm(h2().cr(reqs()).unwrap()),
        ),
        case("cp-capubs-all-responses", pbm(h2().cp(rep(true)))),
        case(
            "p10cr",
            pbm(h2().p10cr(CertificationRequest::from_der(c.csr).unwrap())),
        ),
        case(
            "popdecc-owf-encryptedrand",
            pbm(h3().body(PKIBody::Popdecc(SeqOf::new(vec![
                Challenge {
                    owf: Some(alg(oid::ID_SHA256)),
                    witness: &[0x77; 32],
                    challenge: b"",
                    encrypted_rand: Some(enveloped(c)),
                },
                Challenge {
                    owf: None,
                    witness: &[0x78; 32],
                    challenge: b"encrypted Rand (cmp2000)",
                    encrypted_rand: None,
                },
            ])))),
        ),
        case(
            "popdecr",
            pbm(h2().body(PKIBody::Popdecr(SeqOf::new(vec![
                int(&[0x2a]),
                int(&[
                    0x00, 0xff, 0xee, 0xdd, 0xcc, 0xbb, 0xaa, 0x99, 0x88, 0x77, 0x66,
                ]),
                int(&[0xff, 0x01]),
            ])))),
        ),
        case(
            "kur-all-popo-controls-reginfo",
            pbm(h2().kur(reqs()).unwrap()),
        ),
        case("kup-no-capubs-all-responses", pbm(h2().kup(rep(false)))),
        case(
            "krr-all-popo-controls-reginfo",
            pbm(h2().krr(reqs()).unwrap()),
        ),
        case(
            "krp-all-fields",
            pbm(h2().body(PKIBody::Krp(KeyRecRepContent {
                status: status_with_text(PKIStatus::ACCEPTED, "recovered"),
                new_sig_cert: Some(cert(c.ee)),
                ca_certs: Some(SeqOf::new(vec![cert(c.ca), cert(c.ee)])),
                key_pair_hist: Some(SeqOf::new(vec![
                    CertifiedKeyPair {
                        cert_or_enc_cert: CertOrEncCert::Certificate(cert(c.ee)),
                        private_key: Some(EncryptedKey::EncryptedValue(encrypted_value())),
                        publication_info: Some(publication_info()),
                    },
                    CertifiedKeyPair {
                        cert_or_enc_cert: CertOrEncCert::EncryptedCert(
                            EncryptedKey::EncryptedValue(encrypted_value()),
                        ),
                        private_key: None,
                        publication_info: None,
                    },
                ])),
            }))),
        ),
        case(
            "krp-keypairhist-envelopeddata",
            pbm(h2().body(PKIBody::Krp(KeyRecRepContent {
                status: PKIStatusInfo::accepted(),
                new_sig_cert: None,
                ca_certs: None,
                key_pair_hist: Some(SeqOf::new(vec![
                    CertifiedKeyPair {
                        cert_or_enc_cert: CertOrEncCert::Certificate(cert(c.ee)),
                        private_key: Some(EncryptedKey::EnvelopedData(enveloped(c))),
                        publication_info: None,
                    },
                    CertifiedKeyPair {
                        cert_or_enc_cert: CertOrEncCert::EncryptedCert(
                            EncryptedKey::EnvelopedData(enveloped(c)),
                        ),
                        private_key: None,
                        publication_info: None,
                    },
                ])),
            }))),
        ),
        case(
            "rr-crlentrydetails",
            pbm(h2().rr(vec![
                RevDetails {
                    cert_details: CertTemplate {
                        issuer: Some(name(c.ca_name)),
                        serial_number: Some(int(&[0x12, 0x34])),
                        ..Default::default()
                    },
                    crl_entry_details: Some(crl_entry_details()),
                },
                builder::rev_details(full_template(c)),
            ])),
        ),
        case(
            "rp-revcerts-crls",
            pbm(h2().rp(RevRepContent {
                status: SeqOf::new(vec![PKIStatusInfo::accepted(), status_rejection()]),
                rev_certs: Some(SeqOf::new(vec![
                    cert_id(c),
                    CertId {
                        issuer: GeneralName::UniformResourceIdentifier(ia5(
                            "http://ca.example.org",
                        )),
                        serial_number: int(&[0x00, 0x80]),
                    },
                ])),
                crls: Some(SeqOf::new(vec![CertificateList::from_der(c.crl).unwrap()])),
            })),
        ),
        case(
            "ccr-all-popo-controls-reginfo",
            pbm(h2().ccr(reqs()).unwrap()),
        ),
        case("ccp-capubs-all-responses", pbm(h2().ccp(rep(true)))),
        case(
            "ckuann-v2",
            pbm(h2().ckuann(CAKeyUpdContent::CAKeyUpdAnnV2(ca_key_upd_ann(c)))),
        ),
        case(
            "ckuann-v3",
            pbm(h3().ckuann(CAKeyUpdContent::CAKeyUpdAnnV3(root_ca_key_update(c)))),
        ),
        case("cann", pbm(h2().body(PKIBody::Cann(cert(c.ee))))),
        case(
            "rann-crldetails",
            pbm(h2().body(PKIBody::Rann(RevAnnContent {
                status: PKIStatus::REVOCATION_WARNING,
                cert_id: cert_id(c),
                will_be_revoked_at: gtime(2026, 6, 1, 0, 0, 0),
                bad_since_date: gtime(2026, 5, 1, 0, 0, 0),
                crl_details: Some(SeqOf::new(vec![
                    Extension {
                        extn_id: (&ID_CE_CRL_NUMBER).into(),
                        critical: false,
                        extn_value: &[0x02, 0x01, 0x07],
                    },
                    Extension {
                        extn_id: (&ID_CE_CRL_REASONS).into(),
                        critical: true,
                        extn_value: &[0x0a, 0x01, 0x05],
                    },
                ])),
            }))),
        ),
        case(
            "crlann",
            pbm(h2().body(PKIBody::Crlann(SeqOf::new(vec![
                CertificateList::from_der(c.crl).unwrap(),
                CertificateList::from_der(c.crl).unwrap(),
            ])))),
        ),
        case("pkiconf", pbm(h2().pkiconf())),
        case("pkiconf-minimal-header", minimal),
        case(
            "nested",
            pbm(h2()
                .nested(vec![
                    RawMessage::from_der(inner_ir).unwrap(),
                    RawMessage::from_der(inner_nested).unwrap(),
                ])
                .unwrap()),
        ),
        case("genm-absent-values", pbm(h2().genm(itavs_absent()))),
        case(
            "genm-values-encryptedvalue",
            pbm(h3().genm(itavs_with_values(c, inner_conf, false))),
        ),
        case("genm-empty", pbm(h2().genm(vec![]))),
        case(
            "genp-values-encryptedvalue",
            pbm(h2().genp(itavs_with_values(c, inner_ir, false))),
        ),
        case(
            "genp-values-envelopeddata",
            pbm(h3().genp(itavs_with_values(c, inner_nested, true))),
        ),
        case("genp-absent-values", pbm(h2().genp(itavs_absent()))),
        case(
            "error-all-fields",
            pbm(h2().error(builder::error_content(
                status_rejection(),
                Some(4711),
                Some(builder::free_text(&["details", "more details"]).unwrap()),
            ))),
        ),
        case(
            "error-status-only",
            pbm(h2().error(builder::error_content(
                PKIStatusInfo::rejection(&[FailureBit::SystemFailure]),
                None,
                None,
            ))),
        ),
        case(
            "certconf-statusinfo-hashalg",
            pbm(h3().cert_conf(vec![
                CertStatus {
                    cert_hash: &[0x99; 32],
                    cert_req_id: 0,
                    status_info: Some(PKIStatusInfo::accepted()),
                    hash_alg: Some(alg(oid::ID_SHA256)),
                },
                CertStatus {
                    cert_hash: &[0x98; 48],
                    cert_req_id: 1,
                    status_info: Some(status_rejection()),
                    hash_alg: Some(alg_with(oid::ID_SHA384, &())),
                },
                builder::cert_status(&[0x97; 32], 2, None),
            ])),
        ),
        case("pollreq-two-ids", pbm(h2().poll_req(&[0, 1]))),
        case(
            "pollrep-reason",
            pbm(h2().poll_rep(vec![
                PollRep {
                    cert_req_id: 0,
                    check_after: 60,
                    reason: Some(builder::free_text(&["busy", "try later"]).unwrap()),
                },
                PollRep {
                    cert_req_id: 1,
                    check_after: 5,
                    reason: None,
                },
            ])),
        ),
    ];

    // protectionAlg with every parameter type the codec writes.
    let pbmac1 = alg_der(
        MacAlgorithm::Pbmac1 {
            salt: b"fedcba9876543210",
            iteration_count: 10_000,
            prf: HmacAlg::HmacWithSha256,
            key_length: Some(32),
            mac: HmacAlg::HmacWithSha256,
        }
        .to_algorithm_identifier_der()
        .unwrap(),
    );
    let dhbm = alg_with(
        oid::ID_DH_BASED_MAC,
        &DHBMParameter {
            owf: alg(oid::ID_SHA256),
            mac: alg(oid::ID_HMAC_WITH_SHA256),
        },
    );
    let kembm = |ctx: Option<&'static [u8]>| {
        alg_with(
            oid::ID_KEM_BASED_MAC,
            &KemBMParameter {
                kdf: alg(HKDF_SHA256),
                kem_context: ctx,
                len: 32,
                mac: alg(oid::ID_HMAC_WITH_SHA256),
            },
        )
    };
    let sig = |a: SignatureAlgorithm| alg_der(a.to_algorithm_identifier_der().unwrap());
    let mac = |a: MacAlgorithm<'static>| alg_der(a.to_algorithm_identifier_der().unwrap());
    // PBKDF2-params with the salt CHOICE's otherSource alternative (RFC 8018 A.2).
    let pbmac1_other_source = alg_with(
        oid::ID_PBMAC1,
        &PBMAC1Params {
            key_derivation_func: alg_with(
                oid::ID_PBKDF2,
                &PBKDF2Params {
                    salt: PBKDF2Salt::OtherSource(alg(unknown_oid(10))),
                    iteration_count: 4096,
                    key_length: None,
                    prf: Some(alg(oid::ID_HMAC_WITH_SHA512)),
                },
            ),
            message_auth_scheme: alg(oid::ID_HMAC_WITH_SHA512),
        },
    );
    for (name, a) in [
        ("pkiconf-prot-pbmac1", pbmac1),
        (
            // prf hmacWithSHA1 is the DEFAULT: DER omits it.
            "pkiconf-prot-pbmac1-default-prf",
            mac(MacAlgorithm::Pbmac1 {
                salt: b"0123456789abcdef",
                iteration_count: 1000,
                prf: HmacAlg::HmacWithSha1,
                key_length: None,
                mac: HmacAlg::HmacWithSha1,
            }),
        ),
        ("pkiconf-prot-pbmac1-othersource", pbmac1_other_source),
        (
            "pkiconf-prot-pbm-sha1-hmac-sha1",
            mac(MacAlgorithm::Pbm {
                salt: b"salt",
                owf: HashAlg::Sha1,
                iteration_count: 1,
                mac: HmacAlg::HmacSha1,
            }),
        ),
        ("pkiconf-prot-dhbm", dhbm),
        ("pkiconf-prot-kembm-kemcontext", kembm(Some(b"kem context"))),
        ("pkiconf-prot-kembm", kembm(None)),
        (
            "pkiconf-prot-rsassa-pss",
            sig(SignatureAlgorithm::RsaPss {
                hash: HashAlg::Sha256,
                salt_len: 32,
            }),
        ),
        (
            "pkiconf-prot-rsa-pkcs1",
            sig(SignatureAlgorithm::RsaPkcs1v15(HashAlg::Sha256)),
        ),
        (
            "pkiconf-prot-ecdsa",
            sig(SignatureAlgorithm::Ecdsa(HashAlg::Sha384)),
        ),
        ("pkiconf-prot-ed25519", sig(SignatureAlgorithm::Ed25519)),
    ] {
        cases.push(case(name, with_protection(h3(), a, PKIBody::Pkiconf(()))));
    }
    cases
}

// ------------------------------------------------------------------------------------------
// Tests
// ------------------------------------------------------------------------------------------

#[test]
fn every_body_arm_and_field_the_codec_writes_decodes_in_pyasn1() {
    if !oracle_available("every_body_arm") {
        return;
    }
    let c = creds();
    let cases = build_cases(c);
    let dir = work_dir("messages");

    // Every body arm is built.
    let arms: BTreeSet<&str> = cases.iter().map(|k| k.arm).collect();
    let all: BTreeSet<&str> = cmp_codec::body::BODY_NAMES.iter().copied().collect();
    assert_eq!(arms, all, "every PKIBody alternative needs a case");
    for k in KNOWN_DISAGREEMENTS {
        assert!(
            cases.iter().any(|c| c.name == k.case),
            "known disagreement {} has no case",
            k.case
        );
    }

    let files: Vec<PathBuf> = cases
        .iter()
        .map(|k| {
            let path = dir.join(format!("{}.der", k.name));
            write(&path, &k.der);
            path
        })
        .collect();
    let run = run_oracle(&files, &["-v"]);

    let mut failures = Vec::new();
    let mut fixed = Vec::new();
    for (k, (file, verdict, line)) in cases.iter().zip(&run.verdicts) {
        let known = KNOWN_DISAGREEMENTS.iter().find(|d| d.case == k.name);
        match (known, verdict) {
            (None, Verdict::Ok { arm, identical }) if arm == k.arm && *identical => {}
            (None, Verdict::Ok { arm, identical }) if arm == k.arm => {
                let _ = identical;
                failures.push(format!(
                    "{}: pyasn1 re-encodes it differently (not DER?): {line}\n    {}",
                    file.display(),
                    run.notes(file)
                ));
            }
            (None, _) => failures.push(format!(
                "{}: expected `OK {} yes`, got: {line}\n    {}",
                file.display(),
                k.arm,
                run.notes(file)
            )),
            (Some(d), Verdict::Err(reason)) if reason.contains(d.err) => {
                fixed.push((file.clone(), d));
            }
            (Some(d), _) => failures.push(format!(
                "{}: listed as a known pyasn1 disagreement ({}: {}), expected an ERR \
                 containing {:?}, got: {line}. If pyasn1-alt-modules was fixed, remove the entry.",
                file.display(),
                d.fix,
                d.why,
                d.err
            )),
        }
    }

    // Known disagreements: with the corrected spec, our bytes must decode and re-encode.
    let mut by_fix: BTreeMap<&str, Vec<PathBuf>> = BTreeMap::new();
    for (file, d) in &fixed {
        by_fix.entry(d.fix).or_default().push(file.clone());
    }
    for (fix, files) in &by_fix {
        let run = run_oracle(files, &["--fix", fix]);
        for (file, verdict, line) in &run.verdicts {
            let expected = cases
                .iter()
                .find(|k| file.ends_with(format!("{}.der", k.name)))
                .map(|k| k.arm)
                .unwrap();
            if *verdict
                != (Verdict::Ok {
                    arm: expected.to_string(),
                    identical: true,
                })
            {
                failures.push(format!(
                    "{}: with pyasn1 corrected by --fix {fix}, expected `OK {expected} yes`, \
                     got: {line}\n    {}",
                    file.display(),
                    run.notes(file)
                ));
            }
        }
    }

    // The open-type values were decoded with a spec, not skipped as opaque ANY.
    let report = open_report(&run.stderr);
    let opened: BTreeSet<&str> = report
        .iter()
        .filter(|r| r.0 == "OPEN")
        .map(|r| r.3.as_str())
        .collect();
    let mut required: Vec<String> = (1..=7)
        .chain(10..=24)
        .map(|n| format!("1.3.6.1.5.5.7.4.{n}"))
        .collect();
    required.extend(
        (1..=7)
            .chain(11..=12)
            .map(|n| format!("1.3.6.1.5.5.7.5.1.{n}")),
    );
    required.extend((1..=2).map(|n| format!("1.3.6.1.5.5.7.5.2.{n}")));
    for o in [
        oid::ID_PASSWORD_BASED_MAC,
        oid::ID_DH_BASED_MAC,
        oid::ID_KEM_BASED_MAC,
        oid::ID_PBMAC1,
        oid::ID_PBKDF2,
        oid::RSASSA_PSS,
        ID_CE_CRL_REASONS,
        ID_CE_INVALIDITY_DATE,
        ID_CE_CRL_NUMBER,
        ID_CE_SUBJECT_ALT_NAME,
    ] {
        required.push(o.to_string());
    }
    let missing: Vec<&String> = required
        .iter()
        .filter(|o| !opened.contains(o.as_str()))
        .collect();
    if !missing.is_empty() {
        failures.push(format!(
            "pyasn1 never decoded a value of these types with a spec (left opaque or never \
             built): {missing:?}"
        ));
    }
    let opaque: BTreeSet<String> = report
        .iter()
        .filter(|r| r.0 == "OPAQUE" && !r.3.starts_with(UNKNOWN_ARC))
        .map(|r| format!("{} at {}", r.3, r.2))
        .collect();
    if !opaque.is_empty() {
        failures.push(format!(
            "values pyasn1 had no spec for (only {UNKNOWN_ARC}* may be opaque): {opaque:?}"
        ));
    }
    let nested_checked = report
        .iter()
        .filter(|r| r.0 == "OPEN" && r.2.contains("body.nested["))
        .count();
    if nested_checked < 3 {
        failures.push(format!(
            "the nested messages were not decoded as PKIMessages ({nested_checked} checked)"
        ));
    }

    assert!(
        failures.is_empty(),
        "{} pyasn1 oracle finding(s) (files kept in {}):\n{}",
        failures.len(),
        dir.display(),
        failures.join("\n")
    );
    eprintln!(
        "oracle_pyasn1: {} messages, all 27 body arms, decoded by pyasn1-alt-modules \
         ({} typed open values checked; {} known pyasn1 disagreement(s) checked with --fix)",
        cases.len(),
        report.iter().filter(|r| r.0 == "OPEN").count(),
        fixed.len()
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// The codec types that are written outside a PKIMessage: `ProtectedPart` (what protection
/// is computed over), `Rand` (encrypted into popdecc), `KemOtherInfo` (KEM-based MAC KDF
/// input) and `EncKeyWithID` (inside centrally generated keys), each in every alternative.
#[test]
fn standalone_types_the_codec_writes_decode_in_pyasn1() {
    if !oracle_available("standalone_types") {
        return;
    }
    let c = creds();
    let dir = work_dir("standalone");
    let built = full_header(c, PVNO_CMP2021)
        .cr(all_cert_req_msgs(c))
        .unwrap();
    let protected = leak(pbm(built.clone()));
    let received = PKIMessage::parse(protected).unwrap();
    let key_with_id = |identifier: Option<EncKeyIdentifier<'static>>| {
        asn1::write_single(&EncKeyWithID {
            private_key: PrivateKeyInfo::from_der(c.ee_pkcs8).unwrap(),
            identifier,
        })
        .unwrap()
    };
    let kem_other_info = |kem_context: Option<&'static [u8]>| {
        asn1::write_single(&KemOtherInfo {
            static_string: builder::free_text(&["CMP-KEM"]).unwrap(),
            transaction_id: &[0x11; 16],
            kem_context,
        })
        .unwrap()
    };
    // (spec, file stem, DER)
    let cases: Vec<(&str, &str, Vec<u8>)> = vec![
        (
            "rfc9810.ProtectedPart",
            "protectedpart-built",
            built.encode_protected_part(),
        ),
        (
            "rfc9810.ProtectedPart",
            "protectedpart-received",
            received.protected_part().unwrap().to_vec(),
        ),
        (
            "rfc9810.Rand",
            "rand",
            asn1::write_single(&Rand {
                int: int(&[0x00, 0x9a, 0xbc, 0xde, 0xf0, 0x12, 0x34, 0x56, 0x78, 0x9a]),
                sender: GeneralName::DirectoryName(name(c.ca_name)),
            })
            .unwrap(),
        ),
        (
            "rfc9810.KemOtherInfo",
            "kemotherinfo-kemcontext",
            kem_other_info(Some(b"kem context")),
        ),
        ("rfc9810.KemOtherInfo", "kemotherinfo", kem_other_info(None)),
        (
            "rfc4211.EncKeyWithID",
            "enckeywithid-string",
            key_with_id(Some(EncKeyIdentifier::String(utf8("key id")))),
        ),
        (
            "rfc4211.EncKeyWithID",
            "enckeywithid-generalname",
            key_with_id(Some(EncKeyIdentifier::GeneralName(
                GeneralName::DirectoryName(name(c.ee_name)),
            ))),
        ),
        (
            "rfc4211.EncKeyWithID",
            "enckeywithid-none",
            key_with_id(None),
        ),
    ];
    let mut failures = Vec::new();
    let specs: BTreeSet<&str> = cases.iter().map(|k| k.0).collect();
    for spec in specs {
        let type_name = spec.rsplit('.').next().unwrap();
        let mine: Vec<&(&str, &str, Vec<u8>)> = cases.iter().filter(|k| k.0 == spec).collect();
        let files: Vec<PathBuf> = mine
            .iter()
            .map(|(_, stem, der)| {
                let path = dir.join(format!("{stem}.der"));
                write(&path, der);
                path
            })
            .collect();
        let run = run_oracle(&files, &["--spec", spec]);
        for (file, verdict, line) in &run.verdicts {
            let want = Verdict::Ok {
                arm: type_name.to_string(),
                identical: true,
            };
            if *verdict != want {
                failures.push(format!(
                    "{} as {spec}: expected `OK {type_name} yes`, got: {line}\n    {}",
                    file.display(),
                    run.notes(file)
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} pyasn1 oracle finding(s) (files kept in {}):\n{}",
        failures.len(),
        dir.display(),
        failures.join("\n")
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// What the oracle must say about a hand-made message.
#[derive(Debug)]
enum Expect {
    /// `OK <arm> yes`.
    Accept(&'static str),
    /// `OK <arm> no`: decodes, but is not DER.
    NotDer(&'static str),
    /// `ERR`, or `OK .. no` when pyasn1's BER leniency decodes it anyway.
    Reject,
}

/// The oracle itself: RustCrypto-style tagging mistakes must be rejected, their correct
/// twins accepted, and a non-DER encoding reported as not re-encoding identically.
#[test]
fn the_oracle_rejects_known_tagging_mistakes() {
    if !oracle_available("rejects_mistakes") {
        return;
    }
    let c = creds();
    let dir = work_dir("mutants");
    let header = asn1::write_single(
        MessageBuilder::new(GeneralName::null_dn(), GeneralName::null_dn()).header(),
    )
    .unwrap();
    let msg = |body: Vec<u8>| tlv_bytes(0x30, &[&header, &body]);
    let seq = |parts: &[&[u8]]| tlv_bytes(0x30, parts);
    let empty_req = seq(&[&[0x02, 0x01, 0x00], &[0x30, 0x00]]);
    let ir_with_popo = |popo: &[u8]| msg(tlv_bytes(0xa0, &[&seq(&[&seq(&[&empty_req, popo])])]));
    let ip_with_enc_cert = |enc: Vec<u8>| {
        let ckp = seq(&[&tlv_bytes(0xa1, &[&enc])]);
        let resp = seq(&[&[0x02, 0x01, 0x00], &seq(&[&[0x02, 0x01, 0x00]]), &ckp]);
        msg(tlv_bytes(0xa1, &[&seq(&[&seq(&[&resp])])]))
    };
    let env_contents = tlv(c.enveloped).data();
    let ir_with_control = |archive_options: &[u8]| {
        // controls: SEQUENCE { SEQUENCE { id-regCtrl-pkiArchiveOptions, value } }
        let ctrl = seq(&[der(&oid::ID_REG_CTRL_PKI_ARCHIVE_OPTIONS), archive_options]);
        let req = seq(&[&[0x02, 0x01, 0x00], &[0x30, 0x00], &seq(&[&ctrl])]);
        msg(tlv_bytes(0xa0, &[&seq(&[&seq(&[&req])])]))
    };
    let with_kembm = |params: Vec<u8>| {
        let mut m = MessageBuilder::new(GeneralName::null_dn(), GeneralName::null_dn())
            .protection_alg(AlgorithmIdentifier {
                algorithm: (&oid::ID_KEM_BASED_MAC).into(),
                parameters: Some(tlv(leak(params))),
            })
            .pkiconf();
        m.protection = Some(bits(&[0x01]));
        m.encode()
    };
    let kem_params = |ctx: Vec<u8>| {
        seq(&[
            der(&alg(HKDF_SHA256)),
            &ctx,
            &[0x02, 0x01, 0x20],
            der(&alg(oid::ID_HMAC_WITH_SHA256)),
        ])
    };
    use Expect::*;
    let mutants: Vec<(&str, Vec<u8>, Expect)> = vec![
        (
            "pollreq-correct",
            msg(tlv_bytes(
                0xb9,
                &[&seq(&[
                    &seq(&[&[0x02, 0x01, 0x00]]),
                    &seq(&[&[0x02, 0x01, 0x01]]),
                ])],
            )),
            Accept("pollReq"),
        ),
        (
            "pollreq-rustcrypto-one-sequence",
            msg(tlv_bytes(
                0xb9,
                &[&seq(&[&seq(&[&[0x02, 0x01, 0x00], &[0x02, 0x01, 0x01]])])],
            )),
            Reject,
        ),
        (
            "popo-subsequentmessage-correct",
            ir_with_popo(&[0xa2, 0x03, 0x81, 0x01, 0x00]),
            Accept("ir"),
        ),
        (
            "popo-subsequentmessage-explicit-rustcrypto",
            ir_with_popo(&[0xa2, 0x05, 0xa1, 0x03, 0x02, 0x01, 0x00]),
            Reject,
        ),
        (
            "archive-remgen-correct",
            ir_with_control(&[0x82, 0x01, 0xff]),
            Accept("ir"),
        ),
        (
            "archive-remgen-explicit-rustcrypto",
            ir_with_control(&[0x82, 0x03, 0x01, 0x01, 0xff]),
            Reject,
        ),
        (
            "archive-keygenparameters-explicit-rustcrypto",
            ir_with_control(&[0xa1, 0x04, 0x04, 0x02, 0x01, 0x02]),
            Reject,
        ),
        (
            "encryptedcert-envelopeddata-correct",
            ip_with_enc_cert(tlv_bytes(0xa0, &[env_contents])),
            Accept("ip"),
        ),
        (
            "encryptedcert-envelopeddata-explicit-rustcrypto",
            ip_with_enc_cert(tlv_bytes(0xa0, &[c.enveloped])),
            Reject,
        ),
        (
            "kembm-kemcontext-explicit-correct",
            with_kembm(kem_params(vec![0xa0, 0x05, 0x04, 0x03, 0x01, 0x02, 0x03])),
            Accept("pkiconf"),
        ),
        (
            "kembm-kemcontext-implicit",
            with_kembm(kem_params(vec![0x80, 0x03, 0x01, 0x02, 0x03])),
            Reject,
        ),
        (
            "non-der-boolean-true-01",
            ir_with_control(&[0x82, 0x01, 0x01]),
            NotDer("ir"),
        ),
    ];
    let files: Vec<PathBuf> = mutants
        .iter()
        .map(|(name, der, _)| {
            let path = dir.join(format!("{name}.der"));
            write(&path, der);
            path
        })
        .collect();
    let run = run_oracle(&files, &[]);
    let mut failures = Vec::new();
    for ((name, _, expected), (file, verdict, line)) in mutants.iter().zip(&run.verdicts) {
        let good = match (expected, verdict) {
            (Accept(a), Verdict::Ok { arm, identical }) => arm == a && *identical,
            (NotDer(a), Verdict::Ok { arm, identical }) => arm == a && !*identical,
            (Reject, Verdict::Err(_)) => true,
            // pyasn1 decodes BER leniently; the re-encoding then gives the mistake away.
            (Reject, Verdict::Ok { identical, .. }) => !*identical,
            _ => false,
        };
        if !good {
            failures.push(format!(
                "{name} ({}): expected {expected:?}, got: {line}",
                file.display()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "the oracle does not discriminate (files kept in {}):\n{}",
        dir.display(),
        failures.join("\n")
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// The oracle agrees with the peers: every repo vector (vectors/**/MANIFEST.tsv, produced by
/// real CMP implementations) decodes to the body its manifest names and re-encodes identically.
#[test]
fn repo_vectors_decode_in_pyasn1() {
    if !oracle_available("repo_vectors") {
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../vectors");
    let mut manifests = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.expect("dir entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.file_name().is_some_and(|n| n == "MANIFEST.tsv") {
                manifests.push(path);
            }
        }
    }
    manifests.sort();
    let mut files = Vec::new();
    let mut bodies = Vec::new();
    for manifest in &manifests {
        let text = std::fs::read_to_string(manifest).unwrap();
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
            files.push(manifest.parent().unwrap().join(cells[file_col]));
            bodies.push(cells[body_col].to_string());
        }
    }
    assert!(
        files.len() >= 40,
        "vectors/ should hold the peer-generated corpus, found {} in {}",
        files.len(),
        root.display()
    );
    let run = run_oracle(&files, &[]);
    let failures: Vec<String> = run
        .verdicts
        .iter()
        .zip(&bodies)
        .filter(|((_, v, _), body)| {
            *v != Verdict::Ok {
                arm: body.to_string(),
                identical: true,
            }
        })
        .map(|((file, _, line), body)| {
            format!(
                "{}: manifest says {body}, oracle: {line}\n    {}",
                file.display(),
                run.notes(file)
            )
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} repo vectors disagree with pyasn1:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
}
