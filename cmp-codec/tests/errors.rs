//! Bad input gets an error naming the ASN.1 field path and the byte offset.

use cmp_codec::builder::{self, MessageBuilder};
use cmp_codec::crmf::CertTemplate;
use cmp_codec::raw::Name;
use cmp_codec::{ErrorKind, GeneralName, PKIMessage};

// Name ::= SEQUENCE { SET { SEQUENCE { OID cn, UTF8String "x" } } }
const SUBJECT: &[u8] = &[
    0x30, 0x0c, 0x31, 0x0a, 0x30, 0x08, 0x06, 0x03, 0x55, 0x04, 0x03, 0x0c, 0x01, 0x78,
];

fn ir() -> Vec<u8> {
    let template = CertTemplate {
        subject: Some(Name::from_der(SUBJECT).unwrap()),
        ..Default::default()
    };
    MessageBuilder::new(GeneralName::null_dn(), GeneralName::null_dn())
        .ir(vec![builder::cert_req_msg(0, template)])
        .unwrap()
        .encode()
}

#[test]
fn wrong_tag_inside_the_subject_names_the_field_path() {
    let mut der = ir();
    let at = der
        .windows(SUBJECT.len())
        .position(|w| w == SUBJECT)
        .unwrap();
    der[at] = 0x31; // Name must be a SEQUENCE, make it a SET
    let err = PKIMessage::parse(&der).unwrap_err();
    assert_eq!(err.path, "body.ir[0].certReq.certTemplate.subject");
    assert!(
        matches!(
            err.kind,
            ErrorKind::Asn1(asn1::ParseErrorKind::UnexpectedTag { .. })
        ),
        "{err}"
    );
    assert!(
        err.to_string()
            .contains("unexpected tag UNIVERSAL 17 (constructed)"),
        "{err}"
    );
    // The offset points into the message body.
    let body_at = der.len() - PKIMessage::parse(&ir()).unwrap().body_der().unwrap().len();
    assert_eq!(err.offset, body_at);
}

#[test]
fn broken_length_gives_the_offset_of_the_malformed_tlv() {
    let mut der = ir();
    let at = der
        .windows(SUBJECT.len())
        .position(|w| w == SUBJECT)
        .unwrap();
    // subject [5] EXPLICIT: a5 0e <Name>. Make its length run past its parent.
    assert_eq!(der[at - 2], 0xa5);
    der[at - 1] = 0x7f;
    let err = PKIMessage::parse(&der).unwrap_err();
    assert_eq!(err.offset, at - 2, "{err}");
    assert!(err.path.starts_with("body"), "{err}");
}

#[test]
fn truncation_points_at_the_innermost_element_cut_off() {
    let der = ir();
    let at = der
        .windows(SUBJECT.len())
        .position(|w| w == SUBJECT)
        .unwrap();
    // Cut inside the commonName OID (06 03 55 04 03 at at+6).
    let err = PKIMessage::parse(&der[..at + 9]).unwrap_err();
    assert_eq!(err.offset, at + 6, "{err}");
    assert!(
        matches!(
            err.kind,
            ErrorKind::Asn1(asn1::ParseErrorKind::ShortData { .. })
        ),
        "{err}"
    );
}

#[test]
fn header_errors_name_the_header_field() {
    let mut der = ir();
    // pvno INTEGER 2 is at bytes 4..7 (30 L 30 L 02 01 02): make it a BOOLEAN.
    assert_eq!(&der[4..7], &[0x02, 0x01, 0x02]);
    der[4] = 0x01;
    let err = PKIMessage::parse(&der).unwrap_err();
    assert_eq!(err.path, "header.pvno", "{err}");
    assert_eq!(err.offset, 2);
}

#[test]
fn truncation_and_trailing_data_are_reported() {
    let der = ir();
    let err = PKIMessage::parse(&der[..der.len() - 1]).unwrap_err();
    assert_eq!(err.path, "PKIMessage");
    assert!(
        matches!(
            err.kind,
            ErrorKind::Asn1(asn1::ParseErrorKind::ShortData { .. })
        ),
        "{err}"
    );
    let mut long = der.clone();
    long.push(0);
    let err = PKIMessage::parse(&long).unwrap_err();
    assert_eq!(err.offset, der.len());
    assert!(
        matches!(err.kind, ErrorKind::Asn1(asn1::ParseErrorKind::ExtraData)),
        "{err}"
    );
    assert!(PKIMessage::parse(&[]).is_err());
}

#[test]
fn unknown_body_tag_is_rejected() {
    let mut der = ir();
    let body_at = der.len() - PKIMessage::parse(&ir()).unwrap().body_der().unwrap().len();
    der[body_at] = 0xbf; // [31] needs the long tag form: invalid here
    let err = PKIMessage::parse(&der).unwrap_err();
    assert!(err.path.starts_with("body"), "{err}");
}
