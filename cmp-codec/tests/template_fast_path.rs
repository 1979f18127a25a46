//! `CertTemplate`'s reader (a direct TLV walk, `crmf/fast.rs`, for what it understands;
//! rust-asn1's derived reader for the rest) reads exactly what the derived reader reads: the
//! same value or the same error, on every template of every vector (ir, cr, kur, krr, ccr,
//! rr, certReqTemplate) and on every mutation below of each.

mod common;

use asn1::SimpleAsn1Readable;
use cmp_codec::crmf::CertTemplate;
use cmp_codec::itav::InfoValue;
use cmp_codec::{PKIBody, PKIMessage};

/// The content octets of every certificate template in the vectors.
fn templates() -> Vec<Vec<u8>> {
    let mut out = vec![];
    for der in &common::parsed_ders("template_fast_path") {
        let msg = PKIMessage::parse(der).unwrap();
        let mut found: Vec<CertTemplate<'_>> = vec![];
        match &msg.body {
            PKIBody::Ir(m)
            | PKIBody::Cr(m)
            | PKIBody::Kur(m)
            | PKIBody::Krr(m)
            | PKIBody::Ccr(m) => found.extend(m.iter().map(|r| r.cert_req.cert_template)),
            PKIBody::Rr(r) => found.extend(r.iter().map(|d| d.cert_details)),
            PKIBody::Genm(s) | PKIBody::Genp(s) => {
                for itav in s.iter() {
                    if let InfoValue::CertReqTemplate(Some(c)) = itav.info_value {
                        found.push(c.cert_template);
                    }
                }
            }
            _ => {}
        }
        for t in found {
            // Parsed values re-encode to the received bytes (tests/vectors.rs).
            let der = asn1::write_single(&t).unwrap();
            out.push(asn1::strip_tlv(&der).unwrap().0.data().to_vec());
        }
    }
    out
}

fn same(data: &[u8], what: &str) -> bool {
    let derived = CertTemplate::parse_derived(data);
    assert_eq!(CertTemplate::parse_data(data), derived, "{what}");
    if let Some(direct) = CertTemplate::parse_direct(data) {
        assert_eq!(Ok(direct), derived, "{what}: the direct reader accepted");
    }
    derived.is_ok()
}

#[test]
fn same_value_as_the_derived_reader_on_every_vector() {
    let templates = templates();
    assert!(templates.len() > 60, "only {} templates", templates.len());
    let mut direct = 0;
    for (i, t) in templates.iter().enumerate() {
        assert!(same(t, &format!("template {i}")), "template {i} rejected");
        direct += usize::from(CertTemplate::parse_direct(t).is_some());
    }
    // The real templates take the direct path, so two readers are compared.
    assert_eq!(direct, templates.len(), "templates read by the derive only");
}

/// A template with all ten fields, in DER (the vectors have no UIDs, version or serial).
const FULL: &[u8] = &[
    0x80, 0x01, 0x02, // version
    0x81, 0x01, 0x05, // serialNumber
    0xa2, 0x03, 0x06, 0x01, 0x2a, // signingAlg
    0xa3, 0x02, 0x30, 0x00, // issuer (explicit Name)
    0xa4, 0x11, 0xa0, 0x0f, 0x17, 0x0d, b'2', b'6', b'0', b'1', b'0', b'1', b'0', b'0', b'0', b'0',
    b'0', b'0', b'Z', // validity: notBefore
    0xa5, 0x02, 0x30, 0x00, // subject
    0xa6, 0x0a, 0x30, 0x03, 0x06, 0x01, 0x2a, 0x03, 0x03, 0x00, 0xab, 0xcd, // publicKey
    0x87, 0x02, 0x00, 0x01, // issuerUID
    0x88, 0x02, 0x00, 0x02, // subjectUID
    0xa9, 0x0b, 0x30, 0x09, 0x06, 0x03, 0x55, 0x1d, 0x0f, 0x04, 0x02, 0x03,
    0x00, // extensions
];

#[test]
fn every_field_reads_directly() {
    assert!(same(FULL, "full template"));
    let t = CertTemplate::parse_direct(FULL).expect("read directly");
    assert!(t.version.is_some() && t.serial_number.is_some() && t.signing_alg.is_some());
    assert!(t.issuer.is_some() && t.validity.is_some() && t.subject.is_some());
    assert!(t.public_key.is_some() && t.issuer_uid.is_some() && t.subject_uid.is_some());
    assert!(t.extensions.is_some());
}

/// Fields out of order, repeated, or in the other form (primitive/constructed) are left to
/// the derived reader, which rejects them.
#[test]
fn order_repetition_and_form() {
    let subject: &[u8] = &[0xa5, 0x02, 0x30, 0x00];
    let issuer: &[u8] = &[0xa3, 0x02, 0x30, 0x00];
    let bad: [Vec<u8>; 5] = [
        [subject, issuer].concat(),
        [subject, subject].concat(),
        vec![0xa7, 0x02, 0x00, 0x01],
        vec![0xa0, 0x03, 0x02, 0x01, 0x02],
        vec![0x8a, 0x00],
    ];
    for b in &bad {
        assert_eq!(CertTemplate::parse_direct(b), None, "{b:02x?}");
        assert!(!same(b, &format!("{b:02x?}")), "{b:02x?} accepted");
    }
}

/// Every truncation and byte mutant (`common::for_each_mutant`, the constructed bit
/// included): the two readers agree on accept or reject, and on the value.
#[test]
fn same_result_on_every_mutation() {
    let mut checked = 0usize;
    let mut accepted = 0usize;
    let mut seen = std::collections::BTreeSet::new();
    let mut templates = templates();
    templates.push(FULL.to_vec());
    for (i, t) in templates.iter().enumerate() {
        // Many vectors share a template; mutate each distinct one once.
        if !seen.insert(t.clone()) {
            continue;
        }
        checked += common::for_each_mutant(t, |m, what| {
            accepted += usize::from(same(m, &format!("template {i}, {what}")));
        });
    }
    assert!(checked > 10_000, "{checked} mutants");
    // Many mutants still parse (a changed name or key byte), so the value is compared too.
    assert!(
        accepted * 5 > checked,
        "{accepted} of {checked} mutants parse"
    );
}
