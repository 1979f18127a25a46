//! Each of the 27 `PKIBody` alternatives is built with the builders, encoded, parsed back and
//! re-encoded. Tag bytes of the alternatives are checked against the module (`[n]` explicit).

use cmp_codec::body::*;
use cmp_codec::builder::{self, MessageBuilder};
use cmp_codec::common::{CertId, GeneralName};
use cmp_codec::crmf::{CertTemplate, EncryptedKey, EncryptedValue, POPOPrivKey, ProofOfPossession};
use cmp_codec::itav::{InfoTypeAndValue, InfoValue, RootCaKeyUpdateContent};
use cmp_codec::raw::{Certificate, CertificateList, CertificationRequest, RawMessage};
use cmp_codec::{
    FailureBit, GeneralizedTime, PKIBody, PKIMessage, PKIStatus, PKIStatusInfo, SeqOf, UtcDateTime,
};

// Opaque parts only need a well-formed outer SEQUENCE for the codec.
const CERT: &[u8] = &[0x30, 0x03, 0x02, 0x01, 0x07];
const CRL: &[u8] = &[0x30, 0x03, 0x02, 0x01, 0x08];
const CSR: &[u8] = &[0x30, 0x03, 0x02, 0x01, 0x09];

fn cert() -> Certificate<'static> {
    Certificate::from_der(CERT).unwrap()
}

fn mb() -> MessageBuilder<'static> {
    MessageBuilder::new(
        GeneralName::null_dn(),
        GeneralName::DnsName(asn1::IA5String::new("ca.example").unwrap()),
    )
    .transaction_id(&[1; 16])
    .sender_nonce(&[2; 16])
}

fn time() -> GeneralizedTime<'static> {
    GeneralizedTime::new(UtcDateTime {
        year: 2026,
        month: 11,
        day: 26,
        hour: 12,
        minute: 0,
        second: 0,
    })
    .unwrap()
}

fn cert_id() -> CertId<'static> {
    CertId {
        issuer: GeneralName::null_dn(),
        serial_number: asn1::BigInt::new(&[0x05]).unwrap(),
    }
}

fn all_arms(inner: &[u8]) -> Vec<PKIMessage<'_>> {
    let req = || builder::cert_req_msg(0, CertTemplate::default());
    let rep = || {
        builder::cert_rep(
            vec![builder::cert_response_accepted(0, cert())],
            vec![cert()],
        )
    };
    let enc_value = EncryptedValue {
        intended_alg: None,
        symm_alg: None,
        enc_symm_key: None,
        key_alg: None,
        value_hint: None,
        enc_value: asn1::BitString::new(&[0xaa], 0).unwrap(),
    };
    vec![
        mb().ir(vec![builder::with_popo(
            req(),
            ProofOfPossession::RaVerified(()),
        )])
        .unwrap(),
        mb().ip(rep()),
        mb().cr(vec![builder::with_popo(
            req(),
            ProofOfPossession::KeyEncipherment(POPOPrivKey::SubsequentMessage(0)),
        )])
        .unwrap(),
        mb().cp(rep()),
        mb().p10cr(CertificationRequest::from_der(CSR).unwrap()),
        mb().body(PKIBody::Popdecc(SeqOf::new(vec![Challenge {
            owf: None,
            witness: b"w",
            challenge: b"c",
            encrypted_rand: None,
        }]))),
        mb().body(PKIBody::Popdecr(SeqOf::new(vec![asn1::BigInt::new(&[
            0x2a,
        ])
        .unwrap()]))),
        mb().kur(vec![req()]).unwrap(),
        mb().kup(rep()),
        mb().krr(vec![req()]).unwrap(),
        mb().body(PKIBody::Krp(KeyRecRepContent {
            status: PKIStatusInfo::accepted(),
            new_sig_cert: Some(cert()),
            ca_certs: None,
            key_pair_hist: Some(SeqOf::new(vec![CertifiedKeyPair {
                cert_or_enc_cert: CertOrEncCert::Certificate(cert()),
                private_key: Some(EncryptedKey::EncryptedValue(enc_value)),
                publication_info: None,
            }])),
        })),
        mb().rr(vec![builder::rev_details(CertTemplate {
            serial_number: Some(asn1::BigInt::new(&[5]).unwrap()),
            ..Default::default()
        })]),
        mb().rp(RevRepContent {
            rev_certs: Some(SeqOf::new(vec![cert_id()])),
            ..builder::rev_rep(vec![PKIStatusInfo::accepted()]).unwrap()
        }),
        mb().ccr(vec![req()]).unwrap(),
        mb().ccp(rep()),
        mb().ckuann(CAKeyUpdContent::CAKeyUpdAnnV3(RootCaKeyUpdateContent {
            new_with_new: cert(),
            new_with_old: Some(cert()),
            old_with_new: None,
        })),
        mb().body(PKIBody::Cann(cert())),
        mb().body(PKIBody::Rann(RevAnnContent {
            status: PKIStatus::REVOCATION_WARNING,
            cert_id: cert_id(),
            will_be_revoked_at: time(),
            bad_since_date: time(),
            crl_details: None,
        })),
        mb().body(PKIBody::Crlann(SeqOf::new(vec![
            CertificateList::from_der(CRL).unwrap(),
        ]))),
        mb().pkiconf(),
        mb().nested(vec![RawMessage::from_der(inner).unwrap()])
            .unwrap(),
        mb().genm(vec![InfoTypeAndValue::new(InfoValue::CaCerts(None))]),
        mb().genp(vec![InfoTypeAndValue::new(InfoValue::CaCerts(Some(
            SeqOf::new(vec![cert()]),
        )))]),
        mb().error(builder::error_content(
            PKIStatusInfo::rejection(&[FailureBit::BadRequest]),
            Some(7),
            Some(builder::free_text(&["no"]).unwrap()),
        )),
        mb().cert_conf(vec![builder::cert_status(&[9; 32], 0, None)]),
        mb().poll_req(&[0, 1]),
        mb().poll_rep(vec![PollRep {
            cert_req_id: 0,
            check_after: 5,
            reason: None,
        }]),
    ]
}

#[test]
fn all_27_body_arms_build_encode_and_parse_back() {
    let inner = mb().pkiconf().encode();
    let msgs = all_arms(&inner);
    assert_eq!(msgs.len(), 27);
    for (n, msg) in msgs.iter().enumerate() {
        assert_eq!(
            msg.body.tag_number() as usize,
            n,
            "arms are listed in tag order"
        );
        let der = msg.encode();
        let parsed = PKIMessage::parse(&der).unwrap_or_else(|e| panic!("{}: {e}", msg.body.name()));
        assert_eq!(&parsed, msg, "{}", msg.body.name());
        assert_eq!(parsed.encode(), der, "{}", msg.body.name());
        // The body is [n] EXPLICIT: context-specific, constructed.
        let body = parsed.body_der().unwrap();
        assert_eq!(body[0], 0xa0 | n as u8, "{}", msg.body.name());
    }
}

#[test]
fn poll_req_content_is_a_sequence_of_sequences() {
    // RustCrypto cmpv2 encoded two ids as one SEQUENCE of INTEGERs; the module says
    // SEQUENCE OF SEQUENCE { certReqId INTEGER }.
    let msg = mb().poll_req(&[0, 1]);
    let body = PKIMessage::parse(&msg.encode())
        .unwrap()
        .body_der()
        .unwrap()
        .to_vec();
    assert_eq!(
        body,
        [0xb9, 0x0c, 0x30, 0x0a, 0x30, 0x03, 0x02, 0x01, 0x00, 0x30, 0x03, 0x02, 0x01, 0x01]
    );
}

#[test]
fn popo_priv_key_alternatives_are_implicit_inside_explicit() {
    // keyEncipherment [2] EXPLICIT POPOPrivKey, subsequentMessage [1] IMPLICIT INTEGER:
    // a2 03 81 01 00 (RustCrypto crmf wrote a2 05 a1 03 02 01 00).
    let popo = ProofOfPossession::KeyEncipherment(POPOPrivKey::SubsequentMessage(0));
    assert_eq!(
        asn1::write_single(&popo).unwrap(),
        [0xa2, 0x03, 0x81, 0x01, 0x00]
    );
    let popo = ProofOfPossession::KeyAgreement(POPOPrivKey::ThisMessage(
        asn1::BitString::new(&[0xaa], 0).unwrap(),
    ));
    assert_eq!(
        asn1::write_single(&popo).unwrap(),
        [0xa3, 0x04, 0x80, 0x02, 0x00, 0xaa]
    );
}

#[test]
fn archive_options_use_implicit_tags() {
    use cmp_codec::crmf::PKIArchiveOptions;
    assert_eq!(
        asn1::write_single(&PKIArchiveOptions::ArchiveRemGenPrivKey(true)).unwrap(),
        [0x82, 0x01, 0xff]
    );
    assert_eq!(
        asn1::write_single(&PKIArchiveOptions::KeyGenParameters(&[1, 2])).unwrap(),
        [0x81, 0x02, 0x01, 0x02]
    );
}

#[test]
fn failure_info_is_written_minimal() {
    let fi = cmp_codec::PKIFailureInfo::from_bits(&[FailureBit::BadRequest]);
    assert_eq!(asn1::write_single(&fi).unwrap(), [0x03, 0x02, 0x05, 0x20]);
    for i in 0..27 {
        let der = asn1::write_single(&cmp_codec::PKIFailureInfo::Built(1 << i)).unwrap();
        let parsed = asn1::parse_single::<cmp_codec::PKIFailureInfo>(&der).unwrap();
        assert!(parsed.has_bit(i) && parsed.is_der(), "bit {i}");
        assert_eq!(parsed.set_bits().collect::<Vec<_>>(), vec![i]);
    }
}
