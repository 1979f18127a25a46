//! Differential decoding: the repo's and the shared vectors, and mutants of each (bit flips
//! anywhere, bit flips in tag and length octets, a random byte, a truncation), decoded by this
//! codec and by independent decoders, which must agree on accept/reject and on the body arm.
//!
//! The oracles run in `fuzz/differential/oracles.py` (one process for the whole corpus):
//!
//! * `openssl`: libcrypto's `d2i_OSSL_CMP_MSG`, the decoder `openssl cmp` uses (full schema);
//! * `pyasn1`: pyasn1-alt-modules `rfc9810.PKIMessage` with `decodeOpenTypes=True` (full
//!   schema, open types decoded too);
//! * `asn1parse`: `openssl asn1parse -inform DER`, BER structure only: it cannot reject what
//!   the schema forbids, so only "we accept, it rejects" and arm mismatches count for it.
//!
//! A disagreement is *explained* when it falls in one of the classes below, each documented
//! in fuzz/README.md; anything else fails the test with the list (and the whole report is in
//! `target/tmp/differential-report.tsv`):
//!
//! * `non-DER`: we reject, the oracle accepts, and the oracle's own re-encoding differs from the
//!   input (it is a BER decoder and normalised the encoding; the codec is strict DER);
//! * `opaque`: we accept a mutant, the oracle rejects it, and every changed byte lies inside a
//!   part the codec keeps opaque by design (certificates, names, PKCS#10, CRLs, algorithm
//!   parameters, unknown `infoValue`s), which the oracle decodes;
//! * the `KNOWN` list: individual inputs with their reason.
//!
//! Without python3, pyasn1-alt-modules or libcrypto the missing oracle is skipped with
//! `SKIPPED differential: ...` on stderr, unless `CMP_REQUIRE_ORACLES=1`, where it fails.
//! `CMP_PYTHON` overrides the interpreter.

mod common;

use std::collections::BTreeMap;
use std::io::Write;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use cmp_codec::body::{CAKeyUpdContent, CertOrEncCert, CertifiedKeyPair};
use cmp_codec::crmf::{CertTemplate, ControlValue, Controls, EncryptedKey, ProofOfPossession};
use cmp_codec::itav::{InfoTypeAndValue, InfoValue, PKIMessages, RootCaKeyUpdateContent};
use cmp_codec::raw::Certificate;
use cmp_codec::{AlgorithmIdentifier, GeneralName, PKIBody, PKIMessage};

/// Disagreements on single inputs that are understood: (input name prefix, oracle, why).
const KNOWN: &[(&str, &str, &str)] = &[];

fn python() -> String {
    std::env::var("CMP_PYTHON").unwrap_or_else(|_| "python3".to_string())
}

fn required() -> bool {
    std::env::var("CMP_REQUIRE_ORACLES").is_ok_and(|v| v == "1")
}

fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/differential/oracles.py")
}

/// The oracles that answer here; a missing one is reported (or fails, when required).
fn available_oracles() -> Vec<String> {
    let out = Command::new(python()).arg(script()).arg("--probe").output();
    let out = match out {
        Ok(o) if o.status.success() => String::from_utf8_lossy(&o.stdout).to_string(),
        Ok(o) => {
            let why = format!(
                "oracles.py --probe failed: {}",
                String::from_utf8_lossy(&o.stderr)
            );
            skip_or_fail(&why);
            return Vec::new();
        }
        Err(e) => {
            skip_or_fail(&format!("no {} ({e})", python()));
            return Vec::new();
        }
    };
    let mut ok = Vec::new();
    for line in out.lines() {
        let cells: Vec<&str> = line.split('\t').collect();
        match cells.as_slice() {
            [name, "n/a", why @ ..] => skip_or_fail(&format!(
                "oracle {name} unavailable ({}); `pip install pyasn1-alt-modules` / install openssl",
                why.join(" ")
            )),
            [name, version] => {
                eprintln!("differential: oracle {name}: {version}");
                ok.push(name.to_string());
            }
            _ => panic!("unexpected probe line {line:?}"),
        }
    }
    ok
}

fn skip_or_fail(why: &str) {
    if required() {
        panic!("CMP_REQUIRE_ORACLES=1 but {why}");
    }
    eprintln!("SKIPPED differential: {why}");
}

/// How a mutant differs from its original.
#[derive(Clone, Debug)]
enum Mutation {
    Flip {
        at: usize,
        bit: u8,
        what: &'static str,
    },
    Byte {
        at: usize,
        value: u8,
    },
    Truncate {
        len: usize,
    },
}

impl Mutation {
    fn describe(&self) -> String {
        match self {
            Mutation::Flip { at, bit, what } => format!("flip bit {bit} of byte {at} ({what})"),
            Mutation::Byte { at, value } => format!("byte {at} := {value:#04x}"),
            Mutation::Truncate { len } => format!("truncate to {len} bytes"),
        }
    }

    fn position(&self) -> Option<usize> {
        match self {
            Mutation::Flip { at, .. } | Mutation::Byte { at, .. } => Some(*at),
            Mutation::Truncate { .. } => None,
        }
    }
}

struct Input {
    name: String,
    der: Vec<u8>,
    /// Index of the original in the input list, and the change made to it.
    origin: Option<(usize, Mutation)>,
}

/// A small deterministic generator (xorshift64*), so the mutants are the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// One TLV found by [`tlvs`]: where it starts, where its contents start and end, its first
/// identifier octet, and the index of its parent in the list.
#[derive(Clone, Copy, Debug)]
struct Node {
    start: usize,
    len_at: usize,
    content: usize,
    end: usize,
    tag: u8,
    parent: Option<usize>,
}

/// Every TLV of `der`, parents before children (a BER walk, best effort: it stops at the
/// first malformed header of each constructed value).
fn tlvs(der: &[u8]) -> Vec<Node> {
    let mut out = Vec::new();
    let mut stack = vec![(0usize, der.len(), None)];
    while let Some((mut pos, end, parent)) = stack.pop() {
        while pos + 2 <= end {
            let start = pos;
            let tag = der[pos];
            pos += 1;
            if tag & 0x1f == 0x1f {
                while pos < end && der[pos] & 0x80 != 0 {
                    pos += 1;
                }
                pos += 1;
            }
            if pos >= end {
                break;
            }
            let len_at = pos;
            let first = der[pos] as usize;
            pos += 1;
            let len = if first < 0x80 {
                first
            } else {
                let n = first & 0x7f;
                if n == 0 || n > 4 || pos + n > end {
                    break;
                }
                let v = der[pos..pos + n]
                    .iter()
                    .fold(0usize, |a, b| a << 8 | *b as usize);
                pos += n;
                v
            };
            if pos + len > end {
                break;
            }
            out.push(Node {
                start,
                len_at,
                content: pos,
                end: pos + len,
                tag,
                parent,
            });
            if tag & 0x20 != 0 {
                stack.push((pos, pos + len, Some(out.len() - 1)));
            }
            pos += len;
        }
    }
    out
}

/// The innermost TLV of `der` whose contents hold byte `at`.
fn innermost(der: &[u8], at: usize) -> Option<Node> {
    tlvs(der)
        .into_iter()
        .filter(|n| n.content <= at && at < n.end)
        .min_by_key(|n| n.end - n.content)
}

fn inputs() -> Vec<Input> {
    let mut out: Vec<Input> = common::all_vectors("differential")
        .into_iter()
        .map(|v| Input {
            name: v.name,
            der: v.der,
            origin: None,
        })
        .collect();
    out.push(Input {
        name: "builder::example_genm".into(),
        der: cmp_codec::builder::example_genm(),
        origin: None,
    });
    let originals = out.len();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for i in 0..originals {
        let der = out[i].der.clone();
        if der.is_empty() {
            continue;
        }
        let nodes = tlvs(&der);
        let tags: Vec<usize> = nodes.iter().map(|n| n.start).collect();
        let lens: Vec<usize> = nodes.iter().map(|n| n.len_at).collect();
        let mut mutations = Vec::new();
        // Five mutants per original: a bit anywhere, a bit of a tag and of a length octet
        // (where schema and structure break), a random byte, a truncation.
        let bit = rng.below(8) as u8;
        mutations.push(Mutation::Flip {
            at: rng.below(der.len()),
            bit,
            what: "anywhere",
        });
        if !tags.is_empty() {
            let at = tags[rng.below(tags.len())];
            // Bits 0-5: the tag number and the constructed flag.
            let bit = rng.below(6) as u8;
            mutations.push(Mutation::Flip {
                at,
                bit,
                what: "tag octet",
            });
        }
        if !lens.is_empty() {
            let at = lens[rng.below(lens.len())];
            let bit = rng.below(8) as u8;
            mutations.push(Mutation::Flip {
                at,
                bit,
                what: "length octet",
            });
        }
        mutations.push(Mutation::Byte {
            at: rng.below(der.len()),
            value: rng.next() as u8,
        });
        mutations.push(Mutation::Truncate {
            len: rng.below(der.len()),
        });
        for (k, m) in mutations.into_iter().enumerate() {
            let mut d = der.clone();
            match &m {
                Mutation::Flip { at, bit, .. } => d[*at] ^= 1 << bit,
                Mutation::Byte { at, value } => d[*at] = *value,
                Mutation::Truncate { len } => d.truncate(*len),
            }
            if d == der {
                continue;
            }
            out.push(Input {
                name: format!("{}#m{k}", out[i].name),
                der: d,
                origin: Some((i, m)),
            });
        }
    }
    out
}

/// One oracle's answer.
#[derive(Clone, Debug)]
struct Answer {
    ok: Option<bool>,
    arm: Option<String>,
    der: Option<bool>,
    err: String,
}

fn run_oracles(inputs: &[Input]) -> BTreeMap<(usize, String), Answer> {
    let mut child = Command::new(python())
        .arg(script())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("starting oracles.py");
    let mut stdin = child.stdin.take().unwrap();
    let lines: Vec<String> = inputs
        .iter()
        .enumerate()
        .map(|(i, inp)| format!("{i} {}\n", hex::encode(&inp.der)))
        .collect();
    let writer = std::thread::spawn(move || {
        for l in lines {
            stdin
                .write_all(l.as_bytes())
                .expect("writing to oracles.py");
        }
    });
    let out = child.wait_with_output().expect("oracles.py output");
    writer.join().unwrap();
    assert!(out.status.success(), "oracles.py failed: {}", out.status);
    let flag = |s: &str| match s {
        "yes" => Some(true),
        "no" => Some(false),
        _ => None,
    };
    let mut answers = BTreeMap::new();
    for line in String::from_utf8(out.stdout).unwrap().lines() {
        let c: Vec<&str> = line.splitn(6, '\t').collect();
        assert_eq!(c.len(), 6, "bad oracle line {line:?}");
        answers.insert(
            (c[0].parse().unwrap(), c[1].to_string()),
            Answer {
                ok: flag(c[2]),
                arm: (c[3] != "-").then(|| c[3].to_string()),
                der: flag(c[4]),
                err: c[5].to_string(),
            },
        );
    }
    answers
}

/// The byte ranges of `der` (a message the codec accepts) that the codec keeps opaque, nested
/// messages included.
fn opaque_ranges(der: &[u8]) -> Vec<(Range<usize>, &'static str)> {
    let Ok(msg) = PKIMessage::parse(der) else {
        return Vec::new();
    };
    let base = der.as_ptr() as usize;
    let mut out = Vec::new();
    let mut add = |part: &[u8], what: &'static str| {
        let start = part.as_ptr() as usize - base;
        out.push((start..start + part.len(), what));
    };
    opaque_in_message(&msg, &mut add);
    out
}

type Add<'x, 'a> = &'x mut dyn FnMut(&'a [u8], &'static str);

fn opaque_alg<'a>(a: &AlgorithmIdentifier<'a>, add: Add<'_, 'a>) {
    if let Some(p) = &a.parameters {
        add(p.full_data(), "AlgorithmIdentifier parameters");
    }
}

fn opaque_name<'a>(g: &GeneralName<'a>, add: Add<'_, 'a>) {
    if let GeneralName::DirectoryName(n) = g {
        add(n.der(), "Name");
    }
}

fn opaque_cert<'a>(c: &Certificate<'a>, add: Add<'_, 'a>) {
    add(c.der(), "certificate");
}

fn opaque_template<'a>(t: &CertTemplate<'a>, add: Add<'_, 'a>) {
    t.subject.iter().for_each(|n| add(n.der(), "Name"));
    t.issuer.iter().for_each(|n| add(n.der(), "Name"));
    t.signing_alg.iter().for_each(|a| opaque_alg(a, add));
    if let Some(k) = &t.public_key {
        opaque_alg(&k.algorithm, add);
    }
}

fn opaque_controls<'a>(c: &Controls<'a>, add: Add<'_, 'a>) {
    for c in c.iter() {
        match &c.value {
            ControlValue::OldCertId(id) => opaque_name(&id.issuer, add),
            ControlValue::ProtocolEncrKey(k) => opaque_alg(&k.algorithm, add),
            ControlValue::AlgId(a) => opaque_alg(a, add),
            ControlValue::Other(_, t) | ControlValue::AltCertTemplate(t) => {
                add(t.full_data(), "unknown control")
            }
            _ => {}
        }
    }
}

fn opaque_key_pair<'a>(kp: &CertifiedKeyPair<'a>, add: Add<'_, 'a>) {
    if let CertOrEncCert::Certificate(c) = &kp.cert_or_enc_cert {
        opaque_cert(c, add);
    }
}

fn opaque_itav<'a>(i: &InfoTypeAndValue<'a>, add: Add<'_, 'a>) {
    match &i.info_value {
        InfoValue::CaProtEncCert(Some(c)) | InfoValue::RootCaCert(Some(c)) => opaque_cert(c, add),
        InfoValue::CaCerts(Some(cs)) => cs.iter().for_each(|c| opaque_cert(&c, add)),
        InfoValue::RootCaKeyUpdate(Some(r)) => opaque_root_update(r, add),
        InfoValue::CaKeyUpdateInfo(Some(c)) => {
            for c in [&c.old_with_new, &c.new_with_old, &c.new_with_new] {
                opaque_cert(c, add);
            }
        }
        InfoValue::CurrentCrl(Some(c)) => add(c.der(), "CRL"),
        InfoValue::Crls(Some(cs)) => cs.iter().for_each(|c| add(c.der(), "CRL")),
        InfoValue::SignKeyPairTypes(Some(a)) | InfoValue::EncKeyPairTypes(Some(a)) => {
            a.iter().for_each(|a| opaque_alg(&a, add))
        }
        InfoValue::PreferredSymmAlg(Some(a)) | InfoValue::KeyPairParamRep(Some(a)) => {
            opaque_alg(a, add)
        }
        InfoValue::CertReqTemplate(Some(t)) => {
            opaque_template(&t.cert_template, add);
            t.key_spec.iter().for_each(|c| opaque_controls(c, add));
        }
        InfoValue::KemCiphertextInfo(Some(k)) => opaque_alg(&k.kem, add),
        InfoValue::OrigPkiMessage(Some(msgs)) => opaque_nested(msgs, add),
        InfoValue::Other(_, Some(t)) => add(t.full_data(), "unknown infoValue"),
        _ => {}
    }
}

fn opaque_root_update<'a>(r: &RootCaKeyUpdateContent<'a>, add: Add<'_, 'a>) {
    opaque_cert(&r.new_with_new, add);
    r.new_with_old.iter().for_each(|c| opaque_cert(c, add));
    r.old_with_new.iter().for_each(|c| opaque_cert(c, add));
}

fn opaque_nested<'a>(msgs: &PKIMessages<'a>, add: Add<'_, 'a>) {
    for m in msgs.iter() {
        if let Ok(inner) = m.message() {
            opaque_in_message(&inner, add);
        }
    }
}

fn opaque_in_message<'a>(msg: &PKIMessage<'a>, add: Add<'_, 'a>) {
    opaque_name(&msg.header.sender, add);
    opaque_name(&msg.header.recipient, add);
    // otherName, x400Address and ediPartyName are opaque SEQUENCEs: their whole TLV.
    let header = msg.header_der().expect("parsed");
    let nodes = tlvs(header);
    let fields: Vec<&Node> = nodes.iter().filter(|n| n.parent == Some(0)).collect();
    for (g, node) in [
        (&msg.header.sender, fields.get(1)),
        (&msg.header.recipient, fields.get(2)),
    ] {
        if let (Some(node), true) = (node, opaque_general_name(g)) {
            add(&header[node.start..node.end], "GeneralName");
        }
    }
    if let Some(a) = &msg.header.protection_alg {
        opaque_alg(a, add);
    }
    for i in msg.header.general_info() {
        opaque_itav(&i, add);
    }
    for c in msg.extra_certs() {
        opaque_cert(&c, add);
    }
    match &msg.body {
        PKIBody::Ir(r) | PKIBody::Cr(r) | PKIBody::Kur(r) | PKIBody::Krr(r) | PKIBody::Ccr(r) => {
            for r in r.iter() {
                opaque_template(&r.cert_req.cert_template, add);
                r.cert_req
                    .controls
                    .iter()
                    .for_each(|c| opaque_controls(c, add));
                if let Some(ProofOfPossession::Signature(s)) = &r.popo {
                    opaque_alg(&s.algorithm_identifier, add);
                }
            }
        }
        PKIBody::Ip(rep) | PKIBody::Cp(rep) | PKIBody::Kup(rep) | PKIBody::Ccp(rep) => {
            for c in rep.ca_pubs.iter().flat_map(|c| c.iter()) {
                opaque_cert(&c, add);
            }
            for r in rep.response.iter() {
                r.certified_key_pair
                    .iter()
                    .for_each(|kp| opaque_key_pair(kp, add));
            }
        }
        PKIBody::Krp(k) => {
            k.new_sig_cert.iter().for_each(|c| opaque_cert(c, add));
            k.ca_certs
                .iter()
                .flat_map(|c| c.iter())
                .for_each(|c| opaque_cert(&c, add));
            for kp in k.key_pair_hist.iter().flat_map(|c| c.iter()) {
                opaque_key_pair(&kp, add);
            }
        }
        PKIBody::P10cr(csr) => add(csr.der(), "PKCS#10 request"),
        PKIBody::Rr(rr) => rr
            .iter()
            .for_each(|d| opaque_template(&d.cert_details, add)),
        PKIBody::Rp(rp) => {
            rp.crls
                .iter()
                .flat_map(|c| c.iter())
                .for_each(|c| add(c.der(), "CRL"));
            for id in rp.rev_certs.iter().flat_map(|c| c.iter()) {
                opaque_name(&id.issuer, add);
            }
        }
        PKIBody::Rann(r) => opaque_name(&r.cert_id.issuer, add),
        PKIBody::Ckuann(CAKeyUpdContent::CAKeyUpdAnnV2(c)) => {
            for c in [&c.old_with_new, &c.new_with_old, &c.new_with_new] {
                opaque_cert(c, add);
            }
        }
        PKIBody::Ckuann(CAKeyUpdContent::CAKeyUpdAnnV3(r)) => opaque_root_update(r, add),
        PKIBody::Cann(c) => opaque_cert(c, add),
        PKIBody::Crlann(crls) => crls.iter().for_each(|c| add(c.der(), "CRL")),
        PKIBody::Nested(msgs) => opaque_nested(msgs, add),
        PKIBody::Genm(i) | PKIBody::Genp(i) => i.iter().for_each(|i| opaque_itav(&i, add)),
        PKIBody::CertConf(cs) => {
            for s in cs.iter() {
                s.hash_alg.iter().for_each(|a| opaque_alg(a, add));
            }
        }
        _ => {}
    }
}

/// A certConf with `hashAlg` (pvno 3), which OpenSSL 3.0 does not know.
fn has_hash_alg(msg: &PKIMessage<'_>) -> bool {
    matches!(&msg.body, PKIBody::CertConf(cs) if cs.iter().any(|s| s.hash_alg.is_some()))
}

/// A certified key pair with an `EnvelopedData` (RFC 9810 `EncryptedKey`), which OpenSSL 3.0
/// decodes as `EncryptedValue` only.
fn has_enveloped_key(msg: &PKIMessage<'_>) -> bool {
    let enveloped = |kp: &CertifiedKeyPair<'_>| {
        matches!(
            kp.cert_or_enc_cert,
            CertOrEncCert::EncryptedCert(EncryptedKey::EnvelopedData(_))
        ) || matches!(kp.private_key, Some(EncryptedKey::EnvelopedData(_)))
    };
    match &msg.body {
        PKIBody::Ip(r) | PKIBody::Cp(r) | PKIBody::Kup(r) | PKIBody::Ccp(r) => r
            .response
            .iter()
            .any(|r| r.certified_key_pair.as_ref().is_some_and(enveloped)),
        PKIBody::Krp(k) => k
            .key_pair_hist
            .iter()
            .flat_map(|h| h.iter())
            .any(|kp| enveloped(&kp)),
        _ => false,
    }
}

/// An ITAV of a type added after OpenSSL 3.0 (RFC 9480 / 9810), whose value 3.0 keeps as ANY.
fn has_itav_unknown_to_openssl30(msg: &PKIMessage<'_>) -> bool {
    let later = |i: &InfoTypeAndValue<'_>| {
        matches!(
            i.info_value,
            InfoValue::CaCerts(_)
                | InfoValue::RootCaKeyUpdate(_)
                | InfoValue::CertReqTemplate(_)
                | InfoValue::RootCaCert(_)
                | InfoValue::CertProfile(_)
                | InfoValue::CrlStatusList(_)
                | InfoValue::Crls(_)
                | InfoValue::KemCiphertextInfo(_)
        )
    };
    let in_body = match &msg.body {
        PKIBody::Genm(i) | PKIBody::Genp(i) => i.iter().any(|i| later(&i)),
        _ => false,
    };
    in_body || msg.header.general_info().any(|i| later(&i))
}

fn opaque_general_name(g: &GeneralName<'_>) -> bool {
    matches!(
        g,
        GeneralName::DirectoryName(_)
            | GeneralName::OtherName(_)
            | GeneralName::X400Address(_)
            | GeneralName::EdiPartyName(_)
    )
}

/// Types of OpenSSL's `Type=...` error path that the codec keeps opaque.
const OPENSSL_OPAQUE_TYPES: &[&str] = &[
    "X509",
    "X509_CINF",
    "X509_NAME",
    "X509_NAME_ENTRY",
    "X509_NAME_ENTRIES",
    "ASN1_PRINTABLE",
    "DIRECTORYSTRING",
    "DISPLAYTEXT",
    "EDIPARTYNAME",
    "OTHERNAME",
    "X509_REQ",
    "X509_REQ_INFO",
    "X509_CRL",
    "X509_CRL_INFO",
    "X509_REVOKED",
    "X509_ATTRIBUTE",
    "X509_VAL",
    "X509_PUBKEY",
    "CMS_EnvelopedData",
    "CMS_ContentInfo",
];

/// Names in pyasn1's errors of types inside the parts the codec keeps opaque.
const PYASN1_OPAQUE_TYPES: &[&str] = &[
    "AttributeTypeAndValue",
    "RelativeDistinguishedName",
    "RDNSequence",
    "X520",
    "DirectoryString",
    "TBSCertificate",
    "Certificate ",
    "EDIPartyName",
    "AnotherName",
    "ORAddress",
    "CertificationRequest",
    "TBSCertList",
    "EnvelopedData",
    "SubjectPublicKeyInfo",
    "EmailAddress",
    "DomainComponent",
    "PBMParameter",
    "PBMAC1",
    "PBKDF2",
];

struct Disagreement {
    input: usize,
    oracle: String,
    ours: String,
    theirs: String,
    class: Result<String, String>,
}

#[test]
fn codec_and_independent_decoders_agree() {
    let oracles = available_oracles();
    if oracles.is_empty() {
        return;
    }
    let inputs = inputs();
    let mutants = inputs.iter().filter(|i| i.origin.is_some()).count();
    let answers = run_oracles(&inputs);
    let ours: Vec<Result<PKIMessage<'_>, cmp_codec::DecodeError>> =
        inputs.iter().map(|i| PKIMessage::parse(&i.der)).collect();

    let mut found = Vec::new();
    for k in 0..inputs.len() {
        for oracle in &oracles {
            let a = &answers[&(k, oracle.clone())];
            let Some(theirs_ok) = a.ok else { continue };
            let structural = oracle == "asn1parse";
            let ours_text = match &ours[k] {
                Ok(m) => format!("accept {}", m.body.name()),
                Err(e) => format!("reject: {e}"),
            };
            let theirs_text = if theirs_ok {
                format!("accept {}", a.arm.as_deref().unwrap_or("?"))
            } else {
                format!("reject: {}", a.err)
            };
            let disagree = match (&ours[k], theirs_ok) {
                (Ok(m), true) => a.arm.as_deref() != Some(m.body.name()),
                (Ok(_), false) => true,
                (Err(_), true) => !structural,
                (Err(_), false) => false,
            };
            if !disagree {
                continue;
            }
            let class = classify(&inputs, k, &ours[k], a, oracle);
            found.push(Disagreement {
                input: k,
                oracle: oracle.clone(),
                ours: ours_text,
                theirs: theirs_text,
                class,
            });
        }
    }

    // The report, and a summary per oracle and class.
    let report = Path::new(env!("CARGO_TARGET_TMPDIR")).join("differential-report.tsv");
    let mut text = String::from("input\tmutation\toracle\tclass\tours\ttheirs\n");
    let mut summary: BTreeMap<(String, String), usize> = BTreeMap::new();
    for d in &found {
        let input = &inputs[d.input];
        let class = match &d.class {
            Ok(c) => c.clone(),
            Err(_) => "UNEXPLAINED".to_string(),
        };
        *summary
            .entry((d.oracle.clone(), class.clone()))
            .or_default() += 1;
        let mutation = input
            .origin
            .as_ref()
            .map_or("-".into(), |(_, m)| m.describe());
        text.push_str(&format!(
            "{}\t{mutation}\t{}\t{class}\t{}\t{}\n",
            input.name, d.oracle, d.ours, d.theirs
        ));
    }
    std::fs::write(&report, text).expect("writing the report");
    eprintln!(
        "differential: {} inputs ({} originals, {mutants} mutants), {} oracles, {} disagreements (report: {})",
        inputs.len(),
        inputs.len() - mutants,
        oracles.len(),
        found.len(),
        report.display()
    );
    for ((oracle, class), n) in &summary {
        eprintln!("differential:   {oracle:<10} {class:<40} {n}");
    }
    let unexplained: Vec<String> = found
        .iter()
        .filter_map(|d| {
            d.class.as_ref().err().map(|why| {
                let input = &inputs[d.input];
                let mutation = input
                    .origin
                    .as_ref()
                    .map_or("original".into(), |(_, m)| m.describe());
                format!(
                    "{} [{mutation}] {}: ours {} / theirs {} ({why})",
                    input.name, d.oracle, d.ours, d.theirs
                )
            })
        })
        .collect();
    assert!(
        unexplained.is_empty(),
        "{} unexplained disagreement(s):\n{}",
        unexplained.len(),
        unexplained.join("\n")
    );
}

/// The class of a disagreement, or why it is not explained.
fn classify(
    inputs: &[Input],
    k: usize,
    ours: &Result<PKIMessage<'_>, cmp_codec::DecodeError>,
    theirs: &Answer,
    oracle: &str,
) -> Result<String, String> {
    use cmp_codec::asn1::ParseErrorKind as K;
    use cmp_codec::ErrorKind;
    let input = &inputs[k];
    if let Some((_, _, why)) = KNOWN
        .iter()
        .find(|(name, o, _)| input.name.starts_with(name) && *o == oracle)
    {
        return Ok(format!("known: {why}"));
    }
    let theirs_ok = theirs.ok == Some(true);
    let at = input.origin.as_ref().and_then(|(_, m)| m.position());
    let original = input.origin.as_ref().map(|(o, _)| &inputs[*o].der[..]);
    match ours {
        Err(e) if theirs_ok => {
            if theirs.der == Some(false) {
                return Ok("non-DER: the oracle normalised the encoding".into());
            }
            if matches!(e.kind, ErrorKind::Asn1(K::InvalidSize { .. })) {
                return Ok("SIZE (1..MAX): the oracle does not check it".into());
            }
            if let (ErrorKind::Asn1(K::InvalidValue), Some(at), Some(orig)) =
                (&e.kind, at, original)
            {
                if let Some(n) = innermost(orig, at).filter(|n| n.tag & 0x20 == 0) {
                    let what = match n.tag {
                        0x01 => "BOOLEAN",
                        0x02 => "INTEGER",
                        0x03 => "BIT STRING",
                        0x0c => "UTF8String",
                        0x16 => "IA5String",
                        0x17 => "UTCTime",
                        0x18 => "GeneralizedTime",
                        _ => "",
                    };
                    if !what.is_empty() {
                        return Ok(format!(
                            "content: the codec validates the {what}, the oracle does not"
                        ));
                    }
                }
            }
            if oracle == "pyasn1" && (e.path.contains("nested[") || e.path.contains("infoValue[")) {
                return Ok(
                    "pyasn1-alt-modules 0.4.10 bug: nested PKIMessages stay undecoded ANY".into(),
                );
            }
            if oracle == "openssl"
                && e.path.contains("infoValue")
                && original
                    .and_then(|o| PKIMessage::parse(o).ok())
                    .is_some_and(|m| has_itav_unknown_to_openssl30(&m))
            {
                return Ok("OpenSSL 3.0 keeps infoValues of later ITAV types as ANY".into());
            }
            if oracle == "openssl"
                && matches!(e.kind, ErrorKind::Asn1(K::UnexpectedTag { actual })
                    if actual == cmp_codec::asn1::Tag::primitive(0x10))
            {
                return Ok("OpenSSL bug: accepts a primitive SEQUENCE (0x10)".into());
            }
        }
        Ok(msg) if !theirs_ok => {
            // Where the mutant's changed byte sits in an opaque part, of the original or of
            // the mutant (a changed tag can turn a part into an opaque one).
            if let (Some(at), Some(orig)) = (at, original) {
                let mut ranges = opaque_ranges(orig);
                ranges.extend(opaque_ranges(&input.der));
                if let Some((_, what)) = ranges
                    .iter()
                    .filter(|(r, _)| r.contains(&at))
                    .min_by_key(|(r, _)| r.len())
                {
                    return Ok(format!("opaque: {what}"));
                }
                // A changed length can shift the header fields so that another element is
                // read as an otherName / x400Address / ediPartyName, kept opaque.
                let opaque_names = |m: &PKIMessage<'_>| {
                    [&m.header.sender, &m.header.recipient]
                        .into_iter()
                        .filter(|g| {
                            opaque_general_name(g) && !matches!(g, GeneralName::DirectoryName(_))
                        })
                        .count()
                };
                let before = PKIMessage::parse(orig).map_or(0, |m| opaque_names(&m));
                if opaque_names(msg) > before {
                    return Ok("opaque: GeneralName (the mutant has an otherName, x400Address or ediPartyName)".into());
                }
            }
            if oracle == "openssl" {
                if theirs.err.contains("Type=OSSL_CMP_CERTSTATUS") && has_hash_alg(msg) {
                    return Ok(
                        "OpenSSL 3.0: CertStatus has no hashAlg [0] (CMP v3, RFC 9480)".into(),
                    );
                }
                if theirs.err.contains("Type=OSSL_CRMF_ENCRYPTEDVALUE") && has_enveloped_key(msg) {
                    return Ok(
                        "OpenSSL 3.0: EncryptedKey only as EncryptedValue, not [0] EnvelopedData (RFC 9810)"
                            .into(),
                    );
                }
            }
            // The oracle's own error path runs through a part the codec keeps opaque.
            let inner = match oracle {
                "openssl" => theirs
                    .err
                    .split("Type=")
                    .skip(1)
                    .map(|t| t.split([')', ',']).next().unwrap_or(""))
                    .find(|t| OPENSSL_OPAQUE_TYPES.contains(t)),
                "pyasn1" => PYASN1_OPAQUE_TYPES
                    .iter()
                    .find(|t| theirs.err.contains(*t))
                    .copied(),
                _ => None,
            };
            if let (Some(t), true) = (inner, input.origin.is_some()) {
                return Ok(format!("opaque: the oracle failed inside {}", t.trim()));
            }
        }
        _ => {}
    }
    Err("no class applies".into())
}
