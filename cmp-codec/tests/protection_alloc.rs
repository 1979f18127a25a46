//! Verifying protection streams the received bytes: for a 2 MiB message, MAC and signature
//! verification allocate a few kilobytes (parameters, the signer certificate), never anything
//! proportional to the message.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use cmp_codec::asn1;
use cmp_codec::der::{bit_string as bits, sequence as seq, tlv};
use cmp_codec::protection::{
    protect_with_mac, protect_with_signature, verify_mac, HashAlg, HmacAlg, MacAlgorithm,
    SignatureAlgorithm, VerifyOptions,
};
use cmp_codec::{PKIMessage, SeqOf};

struct Counting;

static COUNTING: AtomicBool = AtomicBool::new(false);
static TOTAL: AtomicUsize = AtomicUsize::new(0);
static LARGEST: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if COUNTING.load(Ordering::Relaxed) {
            TOTAL.fetch_add(layout.size(), Ordering::Relaxed);
            LARGEST.fetch_max(layout.size(), Ordering::Relaxed);
        }
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static A: Counting = Counting;

/// Bytes allocated (total, largest single allocation) while `f` runs.
fn measure<R>(f: impl FnOnce() -> R) -> (R, usize, usize) {
    TOTAL.store(0, Ordering::SeqCst);
    LARGEST.store(0, Ordering::SeqCst);
    COUNTING.store(true, Ordering::SeqCst);
    let r = f();
    COUNTING.store(false, Ordering::SeqCst);
    (
        r,
        TOTAL.load(Ordering::SeqCst),
        LARGEST.load(Ordering::SeqCst),
    )
}

const BIG: usize = 2 << 20;

/// A genm whose header carries 2 MiB of freeText.
fn big_message(text: &str) -> PKIMessage<'_> {
    let der = Box::leak(cmp_codec::builder::example_genm().into_boxed_slice());
    let msg = PKIMessage::parse(der).unwrap();
    let mut header = msg.header.clone();
    header.free_text = Some(SeqOf::new(vec![asn1::Utf8String::new(text)]));
    PKIMessage::new(header, msg.body.clone())
}

#[allow(dead_code)]
fn self_signed(spki: &[u8], alg: &[u8], sign: impl Fn(&[u8]) -> Vec<u8>) -> Vec<u8> {
    let name = seq(&[&tlv(
        0x31,
        &seq(&[&[0x06, 0x03, 0x55, 0x04, 0x03], &tlv(0x0c, b"alloc")]),
    )]);
    let validity = seq(&[&tlv(0x17, b"250101000000Z"), &tlv(0x17, b"491231235959Z")]);
    let tbs = seq(&[
        &tlv(0xa0, &[0x02, 0x01, 0x02]),
        &[0x02, 0x01, 0x01],
        alg,
        &name,
        &validity,
        &name,
        spki,
    ]);
    let sig = sign(&tbs);
    seq(&[&tbs, alg, &bits(&sig)])
}

#[test]
fn verification_does_not_copy_the_message() {
    let text = "x".repeat(BIG);
    let msg = big_message(&text);
    let opts = VerifyOptions::default();

    for alg in [
        MacAlgorithm::Pbm {
            salt: b"0123456789abcdef",
            owf: HashAlg::Sha256,
            iteration_count: 1000,
            mac: HmacAlg::HmacWithSha256,
        },
        MacAlgorithm::Pbmac1 {
            salt: b"0123456789abcdef",
            iteration_count: 1000,
            prf: HmacAlg::HmacWithSha512,
            key_length: Some(64),
            mac: HmacAlg::HmacWithSha512,
        },
    ] {
        let der = protect_with_mac(&msg, &alg, b"secret").unwrap();
        assert!(der.len() > BIG);
        let p = PKIMessage::parse(&der).unwrap();
        let (r, total, largest) = measure(|| verify_mac(&p, b"secret", &opts));
        r.unwrap();
        eprintln!("{}: {total} bytes allocated, largest {largest}", alg.name());
        assert!(total < 4096, "{}: {total} bytes allocated", alg.name());
        assert!(largest < 1024, "{}: {largest}", alg.name());
    }

    #[allow(unused_mut)]
    let mut signers: Vec<(SignatureAlgorithm, Vec<u8>, SignFn)> = Vec::new();
    #[cfg(feature = "ed25519")]
    {
        use signature::Signer;
        let key = ed25519_dalek::SigningKey::from_bytes(&[1u8; 32]);
        let spki = seq(&[
            &seq(&[&[0x06, 0x03, 0x2b, 0x65, 0x70]]),
            &bits(key.verifying_key().as_bytes()),
        ]);
        signers.push((
            SignatureAlgorithm::Ed25519,
            spki,
            Box::new(move |m| signature::SignatureEncoding::to_vec(&key.sign(m))),
        ));
    }
    #[cfg(feature = "ecdsa")]
    {
        use signature::{SignatureEncoding, Signer};
        let key = p256::ecdsa::SigningKey::from_slice(&[5u8; 32]).unwrap();
        let alg = seq(&[
            &asn1::write_single(&cmp_codec::oid::EC_PUBLIC_KEY).unwrap(),
            &asn1::write_single(&cmp_codec::protection::oids::SECP256R1).unwrap(),
        ]);
        let point = key.verifying_key().to_sec1_point(false);
        let spki = seq(&[&alg, &bits(point.as_bytes())]);
        signers.push((
            SignatureAlgorithm::Ecdsa(HashAlg::Sha256),
            spki,
            Box::new(move |m| {
                let s: ecdsa::der::Signature<p256::NistP256> = key.sign(m);
                s.to_vec()
            }),
        ));
    }
    #[cfg(feature = "ml-dsa")]
    {
        use signature::{SignatureEncoding, Signer};
        let key = ml_dsa::SigningKey::<ml_dsa::MlDsa44>::from_seed(&[2u8; 32].into());
        let public = signature::Keypair::verifying_key(&key).encode();
        let spki = seq(&[
            &seq(&[&asn1::write_single(&cmp_codec::oid::ID_ML_DSA_44).unwrap()]),
            &bits(public.as_slice()),
        ]);
        signers.push((
            SignatureAlgorithm::MlDsa44,
            spki,
            Box::new(move |m| {
                let s: ml_dsa::Signature<ml_dsa::MlDsa44> = key.sign(m);
                s.to_vec()
            }),
        ));
    }
    for (alg, spki, sign) in &signers {
        let alg_der = alg.to_algorithm_identifier_der().unwrap();
        let alg_id = asn1::parse_single(&alg_der).unwrap();
        let cert = self_signed(spki, &alg_der, sign);
        let signer = Closure(&**sign);
        let der = protect_with_signature::<_, Raw>(&msg, &signer, &alg_id, &cert, &[]).unwrap();
        let p = PKIMessage::parse(&der).unwrap();
        let (r, total, largest) =
            measure(|| cmp_codec::protection::verify_signature(&p, &[], &opts));
        r.unwrap();
        eprintln!("{}: {total} bytes allocated, largest {largest}", alg.name());
        // Decoding the signer certificate with x509-cert accounts for most of this.
        assert!(total < 64 << 10, "{}: {total} bytes allocated", alg.name());
        assert!(largest < 16 << 10, "{}: {largest}", alg.name());
    }
}

/// A signing function: message in, signature value out.
type SignFn = Box<dyn Fn(&[u8]) -> Vec<u8>>;

struct Closure<'a>(&'a dyn Fn(&[u8]) -> Vec<u8>);

#[derive(Clone)]
struct Raw(Vec<u8>);

impl TryFrom<&[u8]> for Raw {
    type Error = signature::Error;
    fn try_from(b: &[u8]) -> Result<Self, Self::Error> {
        Ok(Raw(b.to_vec()))
    }
}

impl From<Raw> for Vec<u8> {
    fn from(r: Raw) -> Vec<u8> {
        r.0
    }
}

impl signature::SignatureEncoding for Raw {
    type Repr = Vec<u8>;
}

impl signature::Signer<Raw> for Closure<'_> {
    fn try_sign(&self, msg: &[u8]) -> Result<Raw, signature::Error> {
        Ok(Raw((self.0)(msg)))
    }
}
