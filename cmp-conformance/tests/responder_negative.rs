//! The reference responder refuses what RFC 9483 section 3.5 and the operations' rules
//! refuse, with the failInfo bit of the requirement matrix (section 12); and it never
//! panics, whatever the bytes.

mod responder_util;

use cmp_codec::builder::cert_req_msg;
use cmp_codec::crmf::{CertTemplate, ProofOfPossession};
use cmp_codec::itav::{InfoTypeAndValue, InfoValue};
use cmp_codec::raw::Name;
use cmp_codec::{FailureBit, PKIBody, PKIMessage, SeqOf};
use cmp_conformance::responder::Config;
use responder_util::*;

fn one_ir() -> Vec<Vec<u8>> {
    let (key, spki) = new_key();
    vec![cert_req(&key, &spki, &name("neg"), 0)]
}

fn genm_body() -> PKIBody<'static> {
    PKIBody::Genm(SeqOf::new(vec![InfoTypeAndValue::new(InfoValue::CaCerts(
        None,
    ))]))
}

#[test]
fn garbage_gets_an_unprotected_bad_data_format_error() {
    let r = responder(Config::default());
    for bytes in [&b""[..], b"\x30\x00", b"hello", b"\x30\x03\x02\x01\x02"] {
        let reply = r.handle(bytes);
        assert_error(&reply, FailureBit::BadDataFormat);
        let m = parse(&reply);
        assert!(m.protection.is_none() && m.header.protection_alg.is_none());
        assert_eq!(m.header.pvno, 2);
    }
}

#[test]
fn unsupported_pvno_is_answered_with_the_nearest_supported_version() {
    let r = responder(Config::default());
    for (pvno, answer) in [(1, 2), (4, 3), (0, 2)] {
        let mut h = Hdr::new();
        h.pvno = pvno;
        let reply = r.handle(&h.seal(ir_body(&one_ir()), &Prot::Mac));
        assert_error(&reply, FailureBit::UnsupportedVersion);
        assert_eq!(parse(&reply).header.pvno, answer);
        assert!(
            mac_ok(&reply),
            "error answered with the request's kind of protection"
        );
    }
    // pvno 3 is fine.
    let mut h = Hdr::new();
    h.pvno = 3;
    let reply = r.handle(&h.implicit().seal(ir_body(&one_ir()), &Prot::Mac));
    assert_eq!(body_name(&reply), "ip");
    assert_eq!(parse(&reply).header.pvno, 3);
}

#[test]
fn header_fields_are_checked() {
    let r = responder(Config::default());
    let mut h = Hdr::new();
    h.tid = None;
    assert_error(
        &r.handle(&h.seal(ir_body(&one_ir()), &Prot::Mac)),
        FailureBit::BadDataFormat,
    );

    let mut h = Hdr::new();
    h.nonce = Some(vec![1; 8]);
    assert_error(
        &r.handle(&h.seal(ir_body(&one_ir()), &Prot::Mac)),
        FailureBit::BadSenderNonce,
    );
    let mut h = Hdr::new();
    h.nonce = None;
    assert_error(
        &r.handle(&h.seal(ir_body(&one_ir()), &Prot::Mac)),
        FailureBit::BadSenderNonce,
    );

    let mut h = Hdr::new();
    h.message_time = Some(now() - 86_400);
    assert_error(
        &r.handle(&h.seal(ir_body(&one_ir()), &Prot::Mac)),
        FailureBit::BadTime,
    );
}

#[test]
fn protection_is_checked() {
    let r = responder(Config::default());
    // Unprotected ir.
    let reply = r.handle(&Hdr::new().seal(ir_body(&one_ir()), &Prot::None));
    assert_error(&reply, FailureBit::BadMessageCheck);
    assert!(sig_ok(&reply), "errors to unprotected requests are signed");
    // Wrong secret.
    let reply = r.handle(&Hdr::new().seal(ir_body(&one_ir()), &Prot::MacWith(b"wrong")));
    assert_error(&reply, FailureBit::BadMessageCheck);
    // Unknown senderKID.
    let mut h = Hdr::new();
    h.sender_kid = Some(b"someone-else".to_vec());
    assert_error(
        &r.handle(&h.seal(ir_body(&one_ir()), &Prot::Mac)),
        FailureBit::BadMessageCheck,
    );

    let client = SignerCred::client_ec();
    // Flipped signature bit.
    let der = Hdr::new().seal(ir_body(&one_ir()), &Prot::Sig(&client));
    let mut m = PKIMessage::parse(&der).unwrap();
    let mut bits = m.protection.unwrap().as_bytes().to_vec();
    let n = bits.len() / 2;
    bits[n] ^= 1;
    m.protection = Some(asn1::BitString::new(&bits, 0).unwrap());
    assert_error(&r.handle(&m.encode()), FailureBit::BadMessageCheck);
    // senderKID not the SKI.
    let mut h = Hdr::new();
    h.sender_kid = Some(vec![7; 20]);
    assert_error(
        &r.handle(&h.seal(ir_body(&one_ir()), &Prot::Sig(&client))),
        FailureBit::BadMessageCheck,
    );
    // sender not the certificate's subject.
    let mut h = Hdr::new();
    h.sender = Some(name("somebody"));
    assert_error(
        &r.handle(&h.seal(ir_body(&one_ir()), &Prot::Sig(&client))),
        FailureBit::BadMessageCheck,
    );
    // No extraCerts at all.
    let der = Hdr::new().seal(ir_body(&one_ir()), &Prot::Sig(&client));
    let mut m = PKIMessage::parse(&der).unwrap();
    m.extra_certs = None;
    assert_error(&r.handle(&m.encode()), FailureBit::SignerNotTrusted);
    // protectionAlg without protection.
    let mut m = PKIMessage::parse(&der).unwrap();
    m.protection = None;
    assert_error(&r.handle(&m.encode()), FailureBit::BadMessageCheck);
}

#[test]
fn untrusted_signers_are_refused() {
    let r = responder(Config::default());
    // extraCerts in odd shape (the signer's chain replaced by an unrelated self-signed
    // certificate): the responder knows issuing-ca itself, so the signer still chains.
    let update = r.root_update().expect("root update on offer");
    let mut client = SignerCred::client_ec();
    client.chain = vec![update.new_with_new.clone()];
    let reply = r.handle(
        &Hdr::new()
            .implicit()
            .seal(ir_body(&one_ir()), &Prot::Sig(&client)),
    );
    assert_eq!(body_name(&reply), "ip");

    // A certificate issued by this CA but then revoked cannot sign.
    let (cert, key) = enroll_mac(&r);
    let me = SignerCred::issued(&cert, key);
    let c = creds();
    let serial = if me.cert.serial[0] & 0x80 != 0 {
        [&[0u8][..], &me.cert.serial].concat()
    } else {
        me.cert.serial.clone()
    };
    let template = CertTemplate {
        serial_number: Some(asn1::BigInt::new(&serial).unwrap()),
        issuer: Some(Name::from_der(&c.issuing.subject_der).unwrap()),
        ..CertTemplate::default()
    };
    let mut d = cmp_codec::builder::rev_details(template);
    let reason = [0x0a, 0x01, 0x00];
    d.crl_entry_details = Some(SeqOf::new(vec![cmp_codec::common::Extension {
        extn_id: (&cmp_codec::oid::ID_CE_CRL_REASONS).into(),
        critical: false,
        extn_value: &reason,
    }]));
    let rp = r.handle(&Hdr::new().seal(PKIBody::Rr(SeqOf::new(vec![d])), &Prot::Sig(&me)));
    assert_eq!(body_name(&rp), "rp");
    let reply = r.handle(&Hdr::new().seal(genm_body(), &Prot::Sig(&me)));
    assert_error(&reply, FailureBit::SignerNotTrusted);

    // A certificate from an unknown CA: the old root's key certified by the offered new root
    // (oldWithNew), which is no trust anchor here.
    let dir = cmp_conformance::responder::credentials::default_dir();
    let root_key = cmp_conformance::responder::credentials::pem_to_der(
        &std::fs::read_to_string(dir.join("root-ca.key")).unwrap(),
    )
    .unwrap();
    let root_key = cmp_conformance::responder::KeyPair::from_pkcs8_der(&root_key).unwrap();
    let signer = SignerCred {
        cert: cmp_conformance::responder::CertInfo::from_der(&update.old_with_new).unwrap(),
        key: root_key,
        chain: vec![],
    };
    let reply = r.handle(&Hdr::new().seal(genm_body(), &Prot::Sig(&signer)));
    assert_error(&reply, FailureBit::SignerNotTrusted);
}

#[test]
fn mac_is_refused_where_a_signature_is_required() {
    let r = responder(Config::default());
    assert_error(
        &r.handle(&Hdr::new().seal(genm_body(), &Prot::Mac)),
        FailureBit::WrongIntegrity,
    );
    let (cert, _) = enroll_mac(&r);
    let c = creds();
    let info = cmp_conformance::responder::CertInfo::from_der(&cert).unwrap();
    let (key, spki) = new_key();
    let req = vec![kur_req(
        &key,
        &spki,
        &name("enrolled"),
        &c.issuing.subject_der,
        &info.serial,
    )];
    assert_error(
        &r.handle(&Hdr::new().seal(kur_body(&req), &Prot::Mac)),
        FailureBit::WrongIntegrity,
    );
    // With mac_for_all, genm with MAC is fine.
    let lenient = responder(Config {
        mac_for_all: true,
        ..Config::default()
    });
    assert_eq!(
        body_name(&lenient.handle(&Hdr::new().seal(genm_body(), &Prot::Mac))),
        "genp"
    );
}

#[test]
fn operation_state_is_checked() {
    let r = responder(Config::default());
    let client = SignerCred::client_ec();
    // certConf for an unknown transaction.
    let mut hash = Vec::new();
    let (cert, _) = enroll_mac(&r);
    let conf = Hdr::new().seal(
        cert_conf_body(vec![accept(&cert, &mut hash, 0)]),
        &Prot::Mac,
    );
    assert_error(&r.handle(&conf), FailureBit::BadRequest);
    // pollReq with nothing pending.
    let h = Hdr::new();
    let ip = r.handle(&h.seal(ir_body(&one_ir()), &Prot::Mac));
    let poll = h.next(&ip).seal(
        PKIBody::PollReq(SeqOf::new(vec![cmp_codec::body::PollReq {
            cert_req_id: 0,
        }])),
        &Prot::Mac,
    );
    assert_error(&r.handle(&poll), FailureBit::BadRequest);
    // A response type sent as a request.
    let body = PKIBody::Pkiconf(());
    assert_error(
        &r.handle(&Hdr::new().seal(body, &Prot::Sig(&client))),
        FailureBit::BadRequest,
    );
    // transactionID reuse.
    let h = Hdr::new();
    let _ = r.handle(&h.seal(genm_body(), &Prot::Sig(&client)));
    let mut again = Hdr::new();
    again.tid = h.tid.clone();
    assert_error(
        &r.handle(&again.seal(genm_body(), &Prot::Sig(&client))),
        FailureBit::TransactionIdInUse,
    );
}

#[test]
fn later_messages_must_match_the_operation() {
    let r = responder(Config::default());
    let client = SignerCred::client_ec();
    // Wrong recipNonce.
    let h = Hdr::new();
    let ip = r.handle(&h.seal(ir_body(&one_ir()), &Prot::Mac));
    let cert = issued_cert(&ip);
    let mut h2 = h.next(&ip);
    h2.recip_nonce = Some(vec![9; 16]);
    let mut hash = Vec::new();
    let reply = r.handle(&h2.seal(
        cert_conf_body(vec![accept(&cert, &mut hash, 0)]),
        &Prot::Mac,
    ));
    assert_error(&reply, FailureBit::BadRecipientNonce);
    // Signed certConf in a MAC operation.
    let h = Hdr::new();
    let ip = r.handle(&h.seal(ir_body(&one_ir()), &Prot::Mac));
    let cert = issued_cert(&ip);
    let reply = r.handle(&h.next(&ip).seal(
        cert_conf_body(vec![accept(&cert, &mut hash, 0)]),
        &Prot::Sig(&client),
    ));
    assert_error(&reply, FailureBit::WrongIntegrity);
    // Wrong certHash.
    let h = Hdr::new();
    let ip = r.handle(&h.seal(ir_body(&one_ir()), &Prot::Mac));
    let st = cmp_codec::builder::cert_status(&[0u8; 32], 0, None);
    assert_error(
        &r.handle(&h.next(&ip).seal(cert_conf_body(vec![st]), &Prot::Mac)),
        FailureBit::BadCertId,
    );
    // Wrong certReqId.
    let h = Hdr::new();
    let ip = r.handle(&h.seal(ir_body(&one_ir()), &Prot::Mac));
    let cert = issued_cert(&ip);
    let reply = r.handle(&h.next(&ip).seal(
        cert_conf_body(vec![accept(&cert, &mut hash, 3)]),
        &Prot::Mac,
    ));
    assert_error(&reply, FailureBit::BadCertId);
    // Two CertStatus.
    let h = Hdr::new();
    let ip = r.handle(&h.seal(ir_body(&one_ir()), &Prot::Mac));
    let cert = issued_cert(&ip);
    let reply = r.handle(&h.next(&ip).seal(
        cert_conf_body(vec![
            accept(&cert, &mut hash, 0),
            accept(&cert, &mut hash, 0),
        ]),
        &Prot::Mac,
    ));
    assert_error(&reply, FailureBit::BadRequest);
}

#[test]
fn late_certconf_is_refused_and_the_certificate_revoked() {
    let r = responder(Config {
        confirm_wait: std::time::Duration::from_millis(300),
        ..Config::default()
    });
    let h = Hdr::new();
    let (key, spki) = new_key();
    let req = vec![cert_req(&key, &spki, &name("late"), 0)];
    let ip = r.handle(&h.seal(ir_body(&req), &Prot::Mac));
    let cert = issued_cert(&ip);
    std::thread::sleep(std::time::Duration::from_millis(1200));
    let mut hash = Vec::new();
    let reply = r.handle(&h.next(&ip).seal(
        cert_conf_body(vec![accept(&cert, &mut hash, 0)]),
        &Prot::Mac,
    ));
    assert_error(&reply, FailureBit::BadRequest);
    let me = SignerCred::issued(&cert, key);
    assert_error(
        &r.handle(&Hdr::new().seal(genm_body(), &Prot::Sig(&me))),
        FailureBit::SignerNotTrusted,
    );
}

#[test]
fn enrollment_body_errors_are_rejections_in_the_certificate_response() {
    let r = responder(Config::default());
    let (key, spki) = new_key();
    // Two CertReqMsg.
    let two = vec![
        cert_req(&key, &spki, &name("a"), 0),
        cert_req(&key, &spki, &name("b"), 1),
    ];
    let ip = r.handle(&Hdr::new().seal(ir_body(&two), &Prot::Mac));
    assert_eq!(body_name(&ip), "ip");
    assert_rejected(&ip, FailureBit::BadRequest);
    assert!(first_response(&parse(&ip)).certified_key_pair.is_none());
    // certReqId 1.
    let one = vec![cert_req(&key, &spki, &name("a"), 1)];
    assert_rejected(
        &r.handle(&Hdr::new().seal(ir_body(&one), &Prot::Mac)),
        FailureBit::BadRequest,
    );
    // No POP.
    let spki_t = asn1::parse_single::<cmp_codec::common::SubjectPublicKeyInfo<'_>>(&spki).unwrap();
    let subject = name("nopop");
    let t = CertTemplate {
        subject: Some(Name::from_der(&subject).unwrap()),
        public_key: Some(spki_t.clone()),
        ..CertTemplate::default()
    };
    let no_pop = vec![asn1::write_single(&cert_req_msg(0, t.clone())).unwrap()];
    assert_rejected(
        &r.handle(&Hdr::new().seal(ir_body(&no_pop), &Prot::Mac)),
        FailureBit::BadPOP,
    );
    // raVerified (not accepted by default).
    let mut m = cert_req_msg(0, t.clone());
    m.popo = Some(ProofOfPossession::RaVerified(()));
    let ra = vec![asn1::write_single(&m).unwrap()];
    assert_rejected(
        &r.handle(&Hdr::new().seal(ir_body(&ra), &Prot::Mac)),
        FailureBit::BadPOP,
    );
    // raVerified accepted only from an RA certificate.
    let lenient = responder(Config {
        accept_ra_verified: true,
        ..Config::default()
    });
    assert_rejected(
        &lenient.handle(&Hdr::new().seal(ir_body(&ra), &Prot::Mac)),
        FailureBit::NotAuthorized,
    );
    // POP by another key.
    let (other, _) = new_key();
    let bad_pop = vec![cert_req(&other, &spki, &name("badpop"), 0)];
    assert_rejected(
        &r.handle(&Hdr::new().seal(ir_body(&bad_pop), &Prot::Mac)),
        FailureBit::BadPOP,
    );
    // No publicKey: a central key generation request (RFC 9483 4.1.6), which needs pvno 3
    // (CKG-05); with pvno 2 it is rejected in the ip.
    let t2 = CertTemplate {
        subject: Some(Name::from_der(&subject).unwrap()),
        ..CertTemplate::default()
    };
    let m = cert_req_msg(0, t2);
    let no_key = vec![asn1::write_single(&m).unwrap()];
    assert_rejected(
        &r.handle(&Hdr::new().seal(ir_body(&no_key), &Prot::Mac)),
        FailureBit::UnsupportedVersion,
    );
    // Version 1.
    let t3 = CertTemplate {
        version: Some(0),
        ..t.clone()
    };
    let v1 = vec![sign_pop(cert_req_msg(0, t3), &key)];
    assert_rejected(
        &r.handle(&Hdr::new().seal(ir_body(&v1), &Prot::Mac)),
        FailureBit::BadCertTemplate,
    );
    // Empty subject and no SAN.
    let empty = [0x30u8, 0x00];
    let t4 = CertTemplate {
        subject: Some(Name::from_der(&empty).unwrap()),
        ..t.clone()
    };
    let e = vec![sign_pop(cert_req_msg(0, t4), &key)];
    assert_rejected(
        &r.handle(&Hdr::new().seal(ir_body(&e), &Prot::Mac)),
        FailureBit::BadCertTemplate,
    );
}

#[test]
fn kur_and_rr_need_the_right_certificate() {
    let r = responder(Config::default());
    let c = creds();
    let (cert, key) = enroll_mac(&r);
    let me = SignerCred::issued(&cert, key);
    let (k2, spki2) = new_key();
    // oldCertID naming another serial.
    let req = vec![kur_req(
        &k2,
        &spki2,
        &name("enrolled"),
        &c.issuing.subject_der,
        &[0x01, 0x02],
    )];
    assert_rejected(
        &r.handle(&Hdr::new().seal(kur_body(&req), &Prot::Sig(&me))),
        FailureBit::BadCertId,
    );
    // Changed subject.
    let req = vec![kur_req(
        &k2,
        &spki2,
        &name("renamed"),
        &c.issuing.subject_der,
        &me.cert.serial,
    )];
    assert_rejected(
        &r.handle(&Hdr::new().seal(kur_body(&req), &Prot::Sig(&me))),
        FailureBit::BadCertTemplate,
    );
    // rr for a certificate of someone else, signed by client-ec.
    let client = SignerCred::client_ec();
    let serial = if me.cert.serial[0] & 0x80 != 0 {
        [&[0u8][..], &me.cert.serial].concat()
    } else {
        me.cert.serial.clone()
    };
    let reason = [0x0a, 0x01, 0x00];
    let rr = |serial: &[u8]| {
        let template = CertTemplate {
            serial_number: Some(asn1::BigInt::new(serial).unwrap()),
            issuer: Some(Name::from_der(&c.issuing.subject_der).unwrap()),
            ..CertTemplate::default()
        };
        let mut d = cmp_codec::builder::rev_details(template);
        d.crl_entry_details = Some(SeqOf::new(vec![cmp_codec::common::Extension {
            extn_id: (&cmp_codec::oid::ID_CE_CRL_REASONS).into(),
            critical: false,
            extn_value: &reason,
        }]));
        Hdr::new().seal(PKIBody::Rr(SeqOf::new(vec![d])), &Prot::Sig(&client))
    };
    assert_rejected(&r.handle(&rr(&serial)), FailureBit::NotAuthorized);
    assert_rejected(&r.handle(&rr(&[0x01, 0x02, 0x03])), FailureBit::BadCertId);
}

#[test]
fn genm_shape_is_checked() {
    let r = responder(Config::default());
    let client = SignerCred::client_ec();
    let two = PKIBody::Genm(SeqOf::new(vec![
        InfoTypeAndValue::new(InfoValue::CaCerts(None)),
        InfoTypeAndValue::new(InfoValue::CaCerts(None)),
    ]));
    assert_error(
        &r.handle(&Hdr::new().seal(two, &Prot::Sig(&client))),
        FailureBit::BadRequest,
    );
    let empty = PKIBody::Genm(SeqOf::new(vec![]));
    assert_error(
        &r.handle(&Hdr::new().seal(empty, &Prot::Sig(&client))),
        FailureBit::BadRequest,
    );
    let no_value = PKIBody::Genm(SeqOf::new(vec![InfoTypeAndValue::new(
        InfoValue::CrlStatusList(None),
    )]));
    assert_error(
        &r.handle(&Hdr::new().seal(no_value, &Prot::Sig(&client))),
        FailureBit::BadRequest,
    );
}

#[test]
fn transaction_table_is_bounded() {
    let r = responder(Config {
        max_transactions: 3,
        ..Config::default()
    });
    // Three operations left open (awaiting certConf).
    for _ in 0..3 {
        let ip = r.handle(&Hdr::new().seal(ir_body(&one_ir()), &Prot::Mac));
        assert_eq!(body_name(&ip), "ip");
    }
    assert_eq!(r.open_transactions(), 3);
    let reply = r.handle(&Hdr::new().seal(ir_body(&one_ir()), &Prot::Mac));
    assert_error(&reply, FailureBit::SystemUnavail);
    // Finished ones make room.
    let r = responder(Config {
        max_transactions: 2,
        ..Config::default()
    });
    for _ in 0..5 {
        let ip = r.handle(&Hdr::new().implicit().seal(ir_body(&one_ir()), &Prot::Mac));
        assert_eq!(body_name(&ip), "ip");
    }
    assert!(r.open_transactions() <= 2);
}

/// Deterministic xorshift for the mutation test.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn mutated_requests_never_crash_the_responder() {
    let r = responder(Config::default());
    let client = SignerCred::client_ec();
    let (key, spki) = new_key();
    let h = Hdr::new();
    let seeds = vec![
        h.seal(
            ir_body(&[cert_req(&key, &spki, &name("fuzz"), 0)]),
            &Prot::Mac,
        ),
        Hdr::new().seal(
            cr_body(&[cert_req(&key, &spki, &name("fuzz"), 0)]),
            &Prot::Sig(&client),
        ),
        Hdr::new().seal(genm_body(), &Prot::Sig(&client)),
    ];
    let mut rng = Rng(0x1234_5678_9abc_def1);
    let mut count = 0;
    for seed in &seeds {
        for _ in 0..150 {
            let mut m = seed.clone();
            match rng.next() % 4 {
                0 => {
                    let i = (rng.next() as usize) % m.len();
                    m[i] ^= 1 << (rng.next() % 8);
                }
                1 => {
                    let i = (rng.next() as usize) % m.len();
                    m[i] = rng.next() as u8;
                }
                2 => {
                    let n = (rng.next() as usize) % m.len();
                    m.truncate(n);
                }
                _ => {
                    let i = (rng.next() as usize) % m.len();
                    m.insert(i, rng.next() as u8);
                }
            }
            let reply = r.handle(&m);
            let parsed = PKIMessage::parse(&reply).expect("every reply is a PKIMessage");
            assert!(
                matches!(parsed.body.name(), "error" | "ip" | "cp" | "genp"),
                "unexpected {}",
                parsed.body.name()
            );
            count += 1;
        }
    }
    assert_eq!(count, 450);
}
