//! The `cmp` binary on good and bad inputs: exit codes, stderr naming the file, field path and
//! byte offset, and the JSON fields.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use base64::Engine;
use serde_json::Value;

/// A fresh directory for one test's files.
fn scratch(test: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("cli")
        .join(test);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn cmp(args: &[&dyn AsRef<std::ffi::OsStr>]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_cmp"))
        .args(args.iter().map(|a| a.as_ref()))
        .output()
        .expect("run cmp");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "cmp panicked: {stderr}");
    out
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

/// The `ir` of the all-arms set: protected, with one extraCert.
fn ir() -> Vec<u8> {
    common::all_arms().remove(0).1
}

fn pem(der: &[u8]) -> Vec<u8> {
    let b64 = base64::engine::general_purpose::STANDARD.encode(der);
    let lines: Vec<&str> = b64
        .as_bytes()
        .chunks(64)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect();
    format!(
        "-----BEGIN PKIMESSAGE-----\n{}\n-----END PKIMESSAGE-----\n",
        lines.join("\n")
    )
    .into_bytes()
}

fn siemens_base64(der: &[u8]) -> Vec<u8> {
    let b64 = base64::engine::general_purpose::STANDARD.encode(der);
    format!("# PKIMessage SEQUENCE (4 elem)\n#   header PKIHeader\n\n{b64}\n").into_bytes()
}

#[test]
fn inspect_prints_the_tree() {
    let dir = scratch("tree");
    let f = write(&dir, "ir.der", &ir());
    let o = cmp(&[&"inspect", &f]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.starts_with(&format!("== {} (", f.display())));
    assert!(out.contains("\nheader\n  pvno: 3 (cmp2021)\n"));
    assert!(out.contains("\nbody: ir\n  [0] CertReqMsg\n    certReqId: 0\n"));
    assert!(out.contains("  protectionAlg: passwordBasedMac (1.2.840.113533.7.66.13)\n"));
    assert!(out.contains("\nextraCerts (1)\n"));
    assert!(stderr(&o).is_empty());
}

#[test]
fn inspect_json_one_line_per_file_for_der_pem_and_base64() {
    let dir = scratch("json");
    let der = ir();
    let files = [
        write(&dir, "ir.der", &der),
        write(&dir, "ir.pem", &pem(&der)),
        write(&dir, "ir.b64", &siemens_base64(&der)),
        write(&dir, "genm.der", &cmp_codec::builder::example_genm()),
    ];
    let o = cmp(&[
        &"inspect", &"--json", &files[0], &files[1], &files[2], &files[3],
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let lines: Vec<Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 4);
    for (v, f) in lines.iter().zip(&files) {
        assert_eq!(v["file"], f.display().to_string());
    }
    assert_eq!(lines[0]["encoding"], "DER");
    assert_eq!(lines[1]["encoding"], "PEM (PKIMESSAGE)");
    assert_eq!(lines[2]["encoding"], "base64");
    for v in &lines[..3] {
        assert_eq!(v["body"], "ir");
        assert_eq!(v["pvno"], 3);
        assert_eq!(v["transaction_id"], "11".repeat(16));
        assert_eq!(v["sender_nonce"], "22".repeat(16));
        assert_eq!(v["recip_nonce"], "33".repeat(16));
        assert_eq!(v["protection_alg"], "1.2.840.113533.7.66.13");
        assert_eq!(v["protection_alg_name"], "passwordBasedMac");
        assert_eq!(v["extra_certs"], 1);
        assert_eq!(v["sender"], "directoryName: CN=Test CA,O=cmp-conformance");
        assert_eq!(v["size"], der.len());
    }
    let genm = &lines[3];
    assert_eq!(genm["body"], "genm");
    assert_eq!(genm["pvno"], 2);
    assert_eq!(genm["transaction_id"], Value::Null);
    assert_eq!(genm["sender_nonce"], Value::Null);
    assert_eq!(genm["recip_nonce"], Value::Null);
    assert_eq!(genm["protection_alg"], Value::Null);
    assert_eq!(genm["extra_certs"], 0);
}

/// Runs `cmp inspect` on one bad file and returns stderr, checking the exit code and that
/// the message names the file.
fn inspect_bad(path: &Path) -> String {
    let o = cmp(&[&"inspect", &path]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
    let err = stderr(&o);
    assert!(
        err.starts_with(&format!("{}: ", path.display())),
        "stderr does not start with the file name: {err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    err
}

#[test]
fn truncated_message_names_path_and_offset() {
    let dir = scratch("truncated");
    let der = ir();
    let half = der.len() / 2;
    let f = write(&dir, "t.der", &der[..half]);
    let err = inspect_bad(&f);
    assert!(err.contains("PKIMessage at byte "), "{err}");
    assert!(err.contains(": truncated"), "{err}");
    // The offset is the innermost element cut off, inside what was received.
    let offset: usize = err
        .split(" at byte ")
        .nth(1)
        .and_then(|s| s.split(':').next())
        .and_then(|s| s.parse().ok())
        .expect("offset");
    assert!(offset > 0 && offset < half, "{err}");

    // Cut inside the header: the path names the header field.
    let f = write(&dir, "t2.der", &der[..40]);
    let err = inspect_bad(&f);
    assert!(err.contains(" at byte "), "{err}");
}

#[test]
fn bit_flip_names_the_field() {
    let dir = scratch("bitflip");
    let mut der = ir();
    // The pvno INTEGER tag follows the outer and the header SEQUENCE headers; turning 0x02
    // into 0x82 makes it a context tag.
    let tl_len = |b: &[u8]| {
        2 + if b[1] < 0x80 {
            0
        } else {
            usize::from(b[1] & 0x7f)
        }
    };
    let pvno = tl_len(&der) + tl_len(&der[tl_len(&der)..]);
    assert_eq!(&der[pvno..pvno + 3], &[0x02, 0x01, 0x03]);
    der[pvno] ^= 0x80;
    let f = write(&dir, "flip.der", &der);
    let err = inspect_bad(&f);
    assert!(
        err.contains("header.pvno at byte ") && err.contains("unexpected tag [2]"),
        "{err}"
    );
}

#[test]
fn random_bytes() {
    let dir = scratch("random");
    // A fixed xorshift stream, so the test is the same on every run.
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut bytes: Vec<u8> = (0..4096)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect();
    bytes[0] = 0xe1; // not a SEQUENCE: rejected as input
    let f = write(&dir, "random.bin", &bytes);
    let err = inspect_bad(&f);
    assert!(err.contains("not DER"), "{err}");

    bytes[0] = 0x30; // a SEQUENCE tag with a random length: the codec rejects it
    let f = write(&dir, "random.der", &bytes);
    let err = inspect_bad(&f);
    assert!(err.contains(" at byte "), "{err}");
}

#[test]
fn empty_and_missing_files() {
    let dir = scratch("empty");
    let f = write(&dir, "empty.der", b"");
    let err = inspect_bad(&f);
    assert!(err.contains("empty input"), "{err}");

    let f = write(&dir, "comments.pem", b"# nothing but\n# comments\n");
    let err = inspect_bad(&f);
    assert!(err.contains("empty input"), "{err}");

    let err = inspect_bad(&dir.join("missing.der"));
    assert!(err.contains("cannot read"), "{err}");
}

#[test]
fn bad_base64_and_pem() {
    let dir = scratch("badtext");
    let f = write(&dir, "bad.b64", b"MIIB@@@@\n");
    let err = inspect_bad(&f);
    assert!(err.contains("invalid base64"), "{err}");

    let f = write(&dir, "open.pem", b"-----BEGIN PKIMESSAGE-----\nMAMCAQI=\n");
    let err = inspect_bad(&f);
    assert!(err.contains("no -----END line"), "{err}");

    // A PEM certificate is read fine but is not a PKIMessage; offsets refer to the decoded DER.
    let f = write(&dir, "cert.pem", &pem(common::CERT));
    let err = inspect_bad(&f);
    assert!(
        err.contains("header.pvno at byte 4") && err.contains("decoded from PEM"),
        "{err}"
    );
}

#[test]
fn bad_files_are_reported_and_the_others_still_dumped() {
    let dir = scratch("mixed");
    let good = write(&dir, "good.der", &ir());
    let empty = write(&dir, "empty.der", b"");
    let der = ir();
    let truncated = write(&dir, "truncated.der", &der[..100]);
    let o = cmp(&[&"inspect", &"--json", &empty, &good, &truncated, &good]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stdout(&o).lines().count(), 2);
    let err = stderr(&o);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 2, "{err}");
    assert!(lines[0].starts_with(&format!("{}: ", empty.display())));
    assert!(lines[1].starts_with(&format!("{}: ", truncated.display())));
}

#[test]
fn every_prefix_and_bit_flip_is_handled() {
    // Through the binary in one run: many bad files, no panic, one error line each.
    let dir = scratch("mutations");
    let der = common::all_arms()[22].1.clone(); // genp: the deepest dump
    let mut files = Vec::new();
    for (i, cut) in (0..der.len()).step_by(97).enumerate() {
        files.push(write(&dir, &format!("cut{i}.der"), &der[..cut]));
    }
    for (i, pos) in (0..der.len()).step_by(131).enumerate() {
        let mut d = der.clone();
        d[pos] ^= 1 << (i % 8);
        files.push(write(&dir, &format!("flip{i}.der"), &d));
    }
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_cmp"));
    cmd.arg("inspect").args(&files);
    let o = cmd.output().unwrap();
    let err = stderr(&o);
    assert!(!err.contains("panicked"), "{err}");
    let dumped = stdout(&o).lines().filter(|l| l.starts_with("== ")).count();
    assert_eq!(dumped + err.lines().count(), files.len(), "{err}");
}

#[test]
fn reencode_writes_the_same_der() {
    let dir = scratch("reencode");
    let der = ir();
    for (name, content) in [
        ("ir.der", der.clone()),
        ("ir.pem", pem(&der)),
        ("ir.b64", siemens_base64(&der)),
    ] {
        let input = write(&dir, name, &content);
        let output = dir.join(format!("{name}.out.der"));
        let o = cmp(&[&"reencode", &input, &output]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert_eq!(std::fs::read(&output).unwrap(), der);
        assert!(
            stdout(&o).contains("identical to the input DER"),
            "{}",
            stdout(&o)
        );
    }
}

#[test]
fn reencode_rejects_bad_input() {
    let dir = scratch("reencode_bad");
    let der = ir();
    let input = write(&dir, "t.der", &der[..der.len() - 1]);
    let output = dir.join("out.der");
    let o = cmp(&[&"reencode", &input, &output]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.starts_with(&format!("{}: ", input.display())), "{err}");
    assert!(err.contains(" at byte "), "{err}");
    assert!(!output.exists());

    let o = cmp(&[&"reencode", &dir.join("missing.der"), &output]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("cannot read"));
}

#[test]
fn usage_errors_exit_2() {
    let o = cmp(&[&"inspect"]);
    assert_eq!(o.status.code(), Some(2));
    let o = cmp(&[&"frobnicate"]);
    assert_eq!(o.status.code(), Some(2));
    let o = cmp(&[&"--help"]);
    assert!(o.status.success());
    let help = stdout(&o);
    assert!(
        help.contains("inspect") && help.contains("reencode"),
        "{help}"
    );
}
