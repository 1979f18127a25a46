//! Messages that grow along one axis, built with the codec from real parts: extraCerts with
//! 1..1000 real certificates, an ir with 1..1000 real CertReqMsgs, `nested` 1..=8 deep.
//! Protection is not recomputed (parsing does not check it).

use cmp_codec::builder::MessageBuilder;
use cmp_codec::crmf::CertReqMsg;
use cmp_codec::raw::{Certificate, RawMessage};
use cmp_codec::{asn1, PKIBody, PKIMessage, SeqOf, MAX_NESTING_DEPTH};

use crate::corpus::{first_cert_req_msg, read_vector, real_certificates, SMALL, TYPICAL_IR};

/// The element counts of the size axes.
pub const COUNTS: [usize; 5] = [1, 10, 100, 300, 1000];

/// The depths of the nesting axis.
pub fn depths() -> Vec<usize> {
    (1..=MAX_NESTING_DEPTH).collect()
}

/// The small genm with `n` real certificates (cycling through the vectors' distinct ones)
/// in extraCerts.
pub fn with_extra_certs(n: usize) -> Vec<u8> {
    let certs = real_certificates();
    let base = read_vector(SMALL);
    let msg = PKIMessage::parse(&base).unwrap();
    let list: Vec<Certificate<'_>> = (0..n)
        .map(|i| Certificate::from_der(&certs[i % certs.len()]).unwrap())
        .collect();
    let mut m = PKIMessage::new(msg.header.clone(), msg.body.clone());
    m.protection = msg.protection.clone();
    m.extra_certs = Some(SeqOf::new(list));
    m.encode()
}

/// The typical ir with its CertReqMsg repeated `n` times (certReqId 0..n).
pub fn with_cert_reqs(n: usize) -> Vec<u8> {
    let base = read_vector(TYPICAL_IR);
    let one = first_cert_req_msg(&base);
    let msg = PKIMessage::parse(&base).unwrap();
    let template = asn1::parse_single::<CertReqMsg<'_>>(&one).unwrap();
    let reqs: Vec<CertReqMsg<'_>> = (0..n)
        .map(|i| {
            let mut r = template.clone();
            r.cert_req.cert_req_id = i as i64;
            r
        })
        .collect();
    let mut m = PKIMessage::new(msg.header.clone(), PKIBody::Ir(SeqOf::new(reqs)));
    m.protection = msg.protection.clone();
    m.extra_certs = msg.extra_certs.clone();
    m.encode()
}

/// The typical ir wrapped in `depth` `nested` messages (as `depth` RAs would), each with the
/// ir's header fields.
pub fn nested(depth: usize) -> Vec<u8> {
    let base = read_vector(TYPICAL_IR);
    let msg = PKIMessage::parse(&base).unwrap();
    let mut der = base.clone();
    for _ in 0..depth {
        let inner = der.clone();
        let raw = RawMessage::from_der(&inner).unwrap();
        let mut b = MessageBuilder::new(msg.header.sender.clone(), msg.header.recipient.clone())
            .pvno(msg.header.pvno);
        if let Some(t) = msg.header.transaction_id {
            b = b.transaction_id(t);
        }
        if let Some(n) = msg.header.sender_nonce {
            b = b.sender_nonce(n);
        }
        der = b.nested(vec![raw]).unwrap().encode();
    }
    der
}

/// Least-squares fit `y = a + b x`: (intercept, slope, r²).
pub fn fit(points: &[(f64, f64)]) -> (f64, f64, f64) {
    let n = points.len() as f64;
    let mx = points.iter().map(|p| p.0).sum::<f64>() / n;
    let my = points.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = points.iter().map(|p| (p.0 - mx).powi(2)).sum();
    let sxy: f64 = points.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    let syy: f64 = points.iter().map(|p| (p.1 - my).powi(2)).sum();
    let b = if sxx > 0.0 { sxy / sxx } else { 0.0 };
    let a = my - b * mx;
    let r2 = if sxx > 0.0 && syy > 0.0 {
        sxy * sxy / (sxx * syy)
    } else {
        1.0
    };
    (a, b, r2)
}
