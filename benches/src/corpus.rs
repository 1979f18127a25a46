//! The fixed corpus: real messages from `vectors/` in size classes, and the real
//! certificates the large messages are built from.

use std::collections::HashSet;
use std::path::Path;

use cmp_codec::protection::{protect_with_signature, SignatureAlgorithm};
use cmp_codec::raw::Certificate;
use cmp_codec::{asn1, PKIBody, PKIMessage};
use p256::pkcs8::DecodePrivateKey;

use crate::vectors_dir;

/// One message of the corpus.
#[derive(Clone, Debug)]
pub struct Sample {
    /// Size class (`small`, `typical-ir`, `typical-ip`, `large`).
    pub class: &'static str,
    /// Where it comes from.
    pub source: String,
    pub der: Vec<u8>,
}

/// A file of `vectors/`, e.g. `openssl/ir_sig_ec/01-req-ir.der`.
pub fn read_vector(rel: &str) -> Vec<u8> {
    let path = vectors_dir().join(rel);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every message listed in `vectors/{openssl,bouncycastle}/MANIFEST.tsv`, as (path, DER).
pub fn all_vectors() -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for dir in ["openssl", "bouncycastle"] {
        let manifest = vectors_dir().join(dir).join("MANIFEST.tsv");
        let text = std::fs::read_to_string(&manifest)
            .unwrap_or_else(|e| panic!("{}: {e}", manifest.display()));
        for line in text.lines().skip(1) {
            let Some(file) = line.split('\t').next().filter(|f| !f.is_empty()) else {
                continue;
            };
            let rel = format!("{dir}/{file}");
            out.push((rel.clone(), read_vector(&rel)));
        }
    }
    out
}

/// The small genm: Bouncy Castle 1.72, PBM, one certReqTemplate itav.
pub const SMALL: &str = "bouncycastle/genm_certreqtemplate_pbm/01-req-genm.der";
/// A typical request: OpenSSL 3.0 ir, ECDSA P-256 protection, extraCerts with the client chain.
pub const TYPICAL_IR: &str = "openssl/ir_sig_ec/01-req-ir.der";
/// A typical response: OpenSSL 3.0 ip with the new certificate and caPubs, PBM.
pub const TYPICAL_IP: &str = "openssl/ir_pbm/02-rsp-ip.der";

/// The size classes, in table order.
pub const CLASSES: [&str; 4] = ["small", "typical-ir", "typical-ip", "large"];

/// One size class by name (only `large` needs building).
pub fn class(name: &str) -> Option<Sample> {
    let file = |class: &'static str, rel: &str| Sample {
        class,
        source: rel.to_string(),
        der: read_vector(rel),
    };
    Some(match name {
        "small" => file("small", SMALL),
        "typical-ir" => file("typical-ir", TYPICAL_IR),
        "typical-ip" => file("typical-ip", TYPICAL_IP),
        "large" => {
            let (der, n) = large_message();
            Sample {
                class: "large",
                source: format!(
                    "{TYPICAL_IR} re-signed by client-ec with {n} real certificates in extraCerts"
                ),
                der,
            }
        }
        _ => return None,
    })
}

/// The corpus in size classes. `large` is [`TYPICAL_IR`] re-signed by its client key with
/// every distinct real certificate of the vectors in extraCerts ([`large_message`]).
pub fn size_classes() -> Vec<Sample> {
    CLASSES.iter().map(|c| class(c).unwrap()).collect()
}

/// Every distinct certificate in the vectors: the credentials folders' `*.der` and every
/// certificate carried in a message's extraCerts, in a fixed order.
pub fn real_certificates() -> Vec<Vec<u8>> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    let mut add = |der: &[u8]| {
        if Certificate::from_der(der).is_ok() && seen.insert(der.to_vec()) {
            out.push(der.to_vec());
        }
    };
    for dir in ["openssl", "bouncycastle"] {
        let creds = vectors_dir().join(dir).join("credentials");
        let mut files: Vec<_> = std::fs::read_dir(&creds)
            .unwrap_or_else(|e| panic!("{}: {e}", creds.display()))
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "der"))
            .collect();
        files.sort();
        for f in files {
            add(&std::fs::read(&f).unwrap());
        }
    }
    for (_, der) in all_vectors() {
        if let Ok(msg) = PKIMessage::parse(&der) {
            for c in msg.extra_certs() {
                add(c.der());
            }
        }
    }
    out
}

/// PKCS#8 PEM key of `vectors/<rel>`.
pub fn p256_key(rel: &str) -> p256::ecdsa::SigningKey {
    let pem = std::fs::read_to_string(vectors_dir().join(rel)).unwrap();
    p256::ecdsa::SigningKey::from_pkcs8_pem(&pem).expect("P-256 PKCS#8 key")
}

/// The client key and certificate that signed [`TYPICAL_IR`].
pub fn client_ec() -> (p256::ecdsa::SigningKey, Vec<u8>) {
    (
        p256_key("openssl/credentials/client-ec.key"),
        read_vector("openssl/credentials/client-ec.der"),
    )
}

/// Sign `msg` with the vectors' client-ec key (ECDSA P-256 with SHA-256); extraCerts become
/// client-ec, then `chain`, then what the message carried.
pub fn sign_client_ec(msg: &PKIMessage<'_>, chain: &[&[u8]]) -> Vec<u8> {
    let (key, cert) = client_ec();
    let alg_der = SignatureAlgorithm::Ecdsa(cmp_codec::protection::HashAlg::Sha256)
        .to_algorithm_identifier_der()
        .unwrap();
    let alg = asn1::parse_single(&alg_der).unwrap();
    protect_with_signature::<_, p256::ecdsa::DerSignature>(msg, &key, &alg, &cert, chain)
        .expect("sign with client-ec")
}

/// [`TYPICAL_IR`] re-signed with every real certificate in extraCerts; returns the DER and
/// the number of certificates.
pub fn large_message() -> (Vec<u8>, usize) {
    let certs = real_certificates();
    let refs: Vec<&[u8]> = certs.iter().map(|c| c.as_slice()).collect();
    let base = read_vector(TYPICAL_IR);
    let msg = PKIMessage::parse(&base).unwrap();
    let der = sign_client_ec(&msg, &refs);
    let n = PKIMessage::parse(&der).unwrap().extra_certs().count();
    (der, n)
}

/// The first `CertReqMsg` of an ir, cr or kur, as DER.
pub fn first_cert_req_msg(der: &[u8]) -> Vec<u8> {
    let msg = PKIMessage::parse(der).unwrap();
    match &msg.body {
        PKIBody::Ir(reqs) | PKIBody::Cr(reqs) | PKIBody::Kur(reqs) => {
            asn1::write_single(&reqs.iter().next().unwrap()).unwrap()
        }
        other => panic!("not a certificate request: {}", other.name()),
    }
}

/// Whether `path` exists (for optional peers).
pub fn exists(path: &str) -> bool {
    Path::new(path).exists()
}
