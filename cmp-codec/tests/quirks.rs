//! Real-world deviations the codec accepts on purpose, and keeps byte for byte.

mod common;

use cmp_codec::builder::MessageBuilder;
use cmp_codec::common::AlgorithmIdentifier;
use cmp_codec::{GeneralName, PKIMessage, PKIStatusInfo};

fn genm() -> Vec<u8> {
    MessageBuilder::new(GeneralName::null_dn(), GeneralName::null_dn())
        .genm(vec![])
        .encode()
}

/// Re-wrap `content` (the inside of the outer SEQUENCE) as a complete message.
fn seq(content: &[u8]) -> Vec<u8> {
    assert!(content.len() < 128);
    [&[0x30, content.len() as u8][..], content].concat()
}

#[test]
fn empty_extra_certs_is_accepted_and_flagged() {
    let der = genm();
    let with_empty = seq(&[&der[2..], &[0xa1, 0x02, 0x30, 0x00]].concat());
    let msg = PKIMessage::parse(&with_empty).unwrap();
    assert!(msg.has_empty_extra_certs());
    assert_eq!(msg.encode(), with_empty);
    assert!(!PKIMessage::parse(&der).unwrap().has_empty_extra_certs());
}

#[test]
fn generalized_time_with_offset_is_accepted_kept_and_flagged() {
    // messageTime [0] GeneralizedTime "20240215205833+0100"
    let der = genm();
    let time = b"20240215205833+0100";
    let mt = [
        &[0xa0, 2 + time.len() as u8, 0x18, time.len() as u8][..],
        time,
    ]
    .concat();
    // Insert messageTime after pvno, sender, recipient (header = 30 0b 02 01 02 a4 02 30 00 a4 02 30 00).
    let header = [&[0x30, (11 + mt.len()) as u8][..], &der[4..15], &mt].concat();
    let msg_der = seq(&[&header[..], &der[15..]].concat());
    let msg = PKIMessage::parse(&msg_der).unwrap();
    let t = msg.header.message_time.unwrap();
    assert!(!t.is_der());
    assert_eq!(t.to_utc().to_string(), "2024-02-15T19:58:33Z");
    assert_eq!(msg.encode(), msg_der);
}

#[test]
fn malformed_generalized_time_is_rejected() {
    for bad in [
        &b"202402152058Z"[..],
        b"20240215205833.50Z",
        b"20241315205833Z",
        b"20240215205833+2500",
    ] {
        let der = [&[0x18, bad.len() as u8][..], bad].concat();
        assert!(
            asn1::parse_single::<cmp_codec::GeneralizedTime>(&der).is_err(),
            "{:?}",
            std::str::from_utf8(bad)
        );
    }
}

#[test]
fn null_and_absent_algorithm_parameters_stay_distinct() {
    let with_null = [
        0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b, 0x05, 0x00,
    ];
    let absent = [
        0x30, 0x0b, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b,
    ];
    let a = asn1::parse_single::<AlgorithmIdentifier>(&with_null).unwrap();
    let b = asn1::parse_single::<AlgorithmIdentifier>(&absent).unwrap();
    assert_ne!(a, b);
    assert_eq!(asn1::write_single(&a).unwrap(), with_null);
    assert_eq!(asn1::write_single(&b).unwrap(), absent);
}

#[test]
fn failure_info_with_trailing_zero_bits_is_kept() {
    // badRequest (bit 2) written with 0 unused bits: 03 02 00 20 (DER wants 03 02 05 20).
    let der = [0x30, 0x07, 0x02, 0x01, 0x02, 0x03, 0x02, 0x00, 0x20];
    let si = asn1::parse_single::<PKIStatusInfo>(&der).unwrap();
    let fi = si.fail_info.as_ref().unwrap();
    assert!(fi.has(cmp_codec::FailureBit::BadRequest));
    assert!(!fi.is_der());
    assert_eq!(asn1::write_single(&si).unwrap(), der);
}

#[test]
fn third_party_quirks_parse() {
    let Some(dir) = common::shared_dir("third_party_quirks_parse") else {
        return;
    };
    // OpenSSL: empty extraCerts; Siemens: messageTime with an offset; OpenSSL 4: NULL params.
    let cases = [
        (
            "openssl/4.0.2/test/recipes/65-test_cmp_vfy_data/IR_protected.der",
            "empty extraCerts",
        ),
        (
            "siemens-cmp-test-suite/der/example-p10cr-rufus.der",
            "offset time",
        ),
        (
            "openssl/4.0.2/test/recipes/65-test_cmp_protect_data/IR_protected.der",
            "NULL params",
        ),
    ];
    for (rel, what) in cases {
        let der = std::fs::read(dir.join(rel)).unwrap();
        let msg = PKIMessage::parse(&der).unwrap_or_else(|e| panic!("{rel}: {e}"));
        assert_eq!(msg.encode(), der, "{rel}");
        match what {
            "empty extraCerts" => assert!(msg.has_empty_extra_certs()),
            "offset time" => assert!(!msg.header.message_time.unwrap().is_der()),
            _ => assert!(msg.header.protection_alg.unwrap().parameters.is_some()),
        }
    }
}
