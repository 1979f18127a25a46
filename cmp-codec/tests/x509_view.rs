//! The codec's certificate view (`cmp_codec::x509`) against `x509-cert`, which the signer
//! search used before: on every certificate the vectors carry and on mutants of some of them,
//! whatever `x509-cert` decodes the view reads too, with the same subjectPublicKeyInfo DER and
//! the same subjectKeyIdentifier.

mod common;

use std::collections::BTreeSet;

use cmp_codec::asn1;
use cmp_codec::x509::Certificate;
use cmp_codec::PKIMessage;
use der::{Decode, Encode};
use x509_cert::ext::pkix::SubjectKeyIdentifier;

/// (SPKI DER, SKI) by `x509-cert`, `None` if it does not decode the certificate.
fn by_x509_cert(der: &[u8]) -> Option<(Vec<u8>, Option<Vec<u8>>)> {
    let cert = x509_cert::Certificate::from_der(der).ok()?;
    let tbs = cert.tbs_certificate();
    let spki = tbs.subject_public_key_info().to_der().ok()?;
    let ski = match tbs.get_extension::<SubjectKeyIdentifier>() {
        Ok(Some((_, ski))) => Some(ski.0.as_bytes().to_vec()),
        _ => None,
    };
    Some((spki, ski))
}

fn by_view(der: &[u8]) -> Option<(Vec<u8>, Option<Vec<u8>>)> {
    let cert = Certificate::parse(der).ok()?;
    let tbs = &cert.tbs_certificate;
    Some((
        tbs.subject_public_key_info.full_data().to_vec(),
        tbs.subject_key_identifier().map(<[u8]>::to_vec),
    ))
}

fn certificates() -> BTreeSet<Vec<u8>> {
    let mut certs = BTreeSet::new();
    for der in common::parsed_ders("x509_view") {
        let msg = PKIMessage::parse(&der).unwrap();
        certs.extend(msg.extra_certs().map(|c| c.der().to_vec()));
    }
    certs
}

#[test]
fn view_reads_every_vector_certificate_as_x509_cert_does() {
    let certs = certificates();
    assert!(certs.len() >= 10, "only {} certificates", certs.len());
    let mut with_ski = 0;
    for der in &certs {
        let theirs = by_x509_cert(der).expect("x509-cert decodes every vector certificate");
        assert_eq!(by_view(der), Some(theirs.clone()), "{}", hex::encode(der));
        with_ski += usize::from(theirs.1.is_some());
    }
    assert!(with_ski >= 5, "only {with_ski} certificates with an SKI");
}

#[test]
fn view_reads_whatever_x509_cert_reads_in_mutants() {
    let certs = certificates();
    // The smallest few keep the run short; every byte of each is mutated.
    let mut by_size: Vec<&Vec<u8>> = certs.iter().collect();
    by_size.sort_by_key(|c| c.len());
    let (mut accepted, mut only_view, mut stricter) = (0, 0, 0);
    for der in by_size.into_iter().take(4) {
        common::for_each_mutant(der, |m, what| match by_x509_cert(m) {
            Some(theirs) => {
                accepted += 1;
                match Certificate::parse(m) {
                    Ok(_) => assert_eq!(by_view(m), Some(theirs), "{what} of {}", hex::encode(der)),
                    // The one place the view is stricter: a BIT STRING whose unused bits are
                    // not zero (DER, X.690 11.2.1), which x509-cert lets through. For the
                    // public key this changes nothing: the verifier rejected it before.
                    Err(e) => {
                        let at = format!("{e:?}");
                        assert!(
                            matches!(e.kind(), asn1::ParseErrorKind::InvalidValue)
                                && (at.contains("subject_public_key")
                                    || at.contains("signature_value")),
                            "{what} of {}: {e:?}",
                            hex::encode(der)
                        );
                        stricter += 1;
                    }
                }
            }
            None => only_view += usize::from(by_view(m).is_some()),
        });
    }
    // Enough mutants stay decodable for the comparison to mean something; the view is
    // laxer only inside what it keeps raw (names, extensions other than SKI).
    assert!(accepted >= 500, "only {accepted} decodable mutants");
    eprintln!(
        "{accepted} mutants decoded by x509-cert, {stricter} of them refused by the view (BIT \
         STRING padding); {only_view} decoded by the view alone"
    );
}
