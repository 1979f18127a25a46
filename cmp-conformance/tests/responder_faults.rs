//! Every fault switch of the reference responder really breaks its rule: for each one, a
//! request is sent to a responder with only that switch on, and the reply is parsed and the
//! broken field asserted. (Once the runner checks a rule, a check that never fails with its
//! fault on is useless; these tests make sure the fault side holds up.)

// `asn1::ParseError` is large (upstream); every rust-asn1 parse closure returns it.
#![allow(clippy::result_large_err)]

mod responder_util;

use cmp_codec::itav::{InfoTypeAndValue, InfoValue};
use cmp_codec::protection::{verify_mac, HmacAlg, VerifyOptions};
use cmp_codec::{FailureBit, PKIBody, PKIMessage, PKIStatus, SeqOf};
use cmp_conformance::responder::{Config, Fault, Responder};
use cmp_conformance::rules::RULES;
use responder_util::*;

fn with(f: Fault) -> Responder {
    responder(Config::with_faults([f]))
}

/// A MAC ir (optionally asking for implicitConfirm): the request header and the reply.
fn mac_ir(r: &Responder, implicit: bool) -> (Hdr, Vec<u8>) {
    let (key, spki) = new_key();
    let req = vec![cert_req(&key, &spki, &name("fault"), 0)];
    let mut h = Hdr::new();
    h.implicit_confirm = implicit;
    let reply = r.handle(&h.seal(ir_body(&req), &Prot::Mac));
    (h, reply)
}

fn sig_ir(r: &Responder) -> (Hdr, Vec<u8>) {
    let client = SignerCred::client_ec();
    let (key, spki) = new_key();
    let req = vec![cert_req(&key, &spki, &name("fault"), 0)];
    let h = Hdr::new();
    let reply = r.handle(&h.seal(ir_body(&req), &Prot::Sig(&client)));
    (h, reply)
}

fn sig_cr(r: &Responder) -> Vec<u8> {
    let client = SignerCred::client_ec();
    let (key, spki) = new_key();
    let req = vec![cert_req(&key, &spki, &name("fault"), 0)];
    r.handle(&Hdr::new().seal(cr_body(&req), &Prot::Sig(&client)))
}

fn kur(r: &Responder) -> Vec<u8> {
    let c = creds();
    // Enroll with a clean responder's CA? No: the certificate must be from this responder's
    // issuing CA, which every responder shares; any certificate issued by issuing-ca works.
    let (cert, key) = enroll_mac(&responder(Config::default()));
    let old = SignerCred::issued(&cert, key);
    let (k2, spki2) = new_key();
    let req = vec![kur_req(
        &k2,
        &spki2,
        &name("enrolled"),
        &c.issuing.subject_der,
        &old.cert.serial,
    )];
    r.handle(&Hdr::new().seal(kur_body(&req), &Prot::Sig(&old)))
}

fn p10cr(r: &Responder) -> Vec<u8> {
    let client = SignerCred::client_ec();
    let dir = cmp_conformance::responder::credentials::default_dir();
    let csr = std::fs::read_to_string(dir.join("device-ec.csr")).unwrap();
    let csr = cmp_conformance::responder::credentials::pem_to_der(&csr).unwrap();
    let body = PKIBody::P10cr(cmp_codec::raw::CertificationRequest::from_der(&csr).unwrap());
    r.handle(&Hdr::new().seal(body, &Prot::Sig(&client)))
}

fn genm(r: &Responder) -> Vec<u8> {
    let client = SignerCred::client_ec();
    let body = PKIBody::Genm(SeqOf::new(vec![InfoTypeAndValue::new(InfoValue::CaCerts(
        None,
    ))]));
    r.handle(&Hdr::new().seal(body, &Prot::Sig(&client)))
}

/// ir, then certConf; returns (ip, pkiConf reply).
fn confirm(r: &Responder, signed: bool) -> (Vec<u8>, Vec<u8>) {
    let client = SignerCred::client_ec();
    let prot = if signed {
        Prot::Sig(&client)
    } else {
        Prot::Mac
    };
    let (key, spki) = new_key();
    let req = vec![cert_req(&key, &spki, &name("fault"), 0)];
    let h = Hdr::new();
    let ip = r.handle(&h.seal(ir_body(&req), &prot));
    let cert = issued_cert(&ip);
    let mut hash = Vec::new();
    let conf = h
        .next(&ip)
        .seal(cert_conf_body(vec![accept(&cert, &mut hash, 0)]), &prot);
    (ip.clone(), r.handle(&conf))
}

/// The elements of a DER SEQUENCE, as complete TLVs.
fn elements(der: &[u8]) -> Vec<Vec<u8>> {
    let seq = asn1::parse_single::<asn1::Sequence<'_>>(der).unwrap();
    seq.parse(|p| {
        let mut v = Vec::new();
        while !p.is_empty() {
            v.push(p.read_element::<asn1::Tlv<'_>>()?.full_data().to_vec());
        }
        Ok::<_, asn1::ParseError>(v)
    })
    .unwrap()
}

fn status(der: &[u8]) -> cmp_codec::PKIStatusInfo<'_> {
    first_response(&parse(der)).status
}

/// Check that `fault` breaks its rule.
fn check(fault: Fault) {
    let c = creds();
    let r = with(fault);
    match fault {
        Fault::Hdr03 => {
            let (_, ip) = mac_ir(&r, false);
            assert_eq!(parse(&ip).header.pvno, 1);
        }
        Fault::Hdr04 => {
            let (_, ip) = sig_ir(&r);
            match &parse(&ip).header.sender {
                cmp_codec::GeneralName::DirectoryName(n) => {
                    assert_ne!(n.der(), c.server.subject_der.as_slice())
                }
                other => panic!("{other:?}"),
            }
            assert!(sig_ok(&ip), "only the sender is wrong");
        }
        Fault::Hdr06 => {
            let (_, ip) = mac_ir(&r, false);
            assert!(
                PKIMessage::parse(&ip).is_err(),
                "no recipient: not a PKIMessage"
            );
            let header = &elements(&ip)[0];
            let fields = elements(header);
            assert_eq!(fields[0][0], 0x02, "pvno");
            assert_eq!(fields[1][0], 0xa4, "sender");
            assert_eq!(
                fields[2][0], 0xa1,
                "protectionAlg follows the sender directly"
            );
        }
        Fault::Hdr08 => {
            let (_, ip) = mac_ir(&r, false);
            let t = parse(&ip)
                .header
                .message_time
                .unwrap()
                .to_utc()
                .unix_seconds();
            assert!((now() - 86_400 - t).abs() < 120, "messageTime a day off");
        }
        Fault::Hdr09 => {
            let (_, ip) = sig_ir(&r);
            let m = parse(&ip);
            assert_eq!(
                m.header.protection_alg.unwrap().algorithm,
                cmp_codec::oid::ECDSA_WITH_SHA384
            );
            assert!(!sig_ok(&ip), "the declared algorithm does not verify");
            let (_, ip) = mac_ir(&r, false);
            assert!(!mac_ok(&ip), "the declared MAC parameters do not verify");
        }
        Fault::Hdr10 => {
            let (_, ip) = sig_ir(&r);
            assert_eq!(
                parse(&ip).header.protection_alg.unwrap().algorithm,
                cmp_codec::oid::SHA256_WITH_RSA
            );
            assert_eq!(
                extra_certs(&ip)[0],
                c.server.der,
                "an EC protection certificate"
            );
        }
        Fault::Hdr11 => {
            let (_, ip) = mac_ir(&r, false);
            let alg = parse(&ip).header.protection_alg.unwrap().algorithm;
            assert_eq!(alg, HmacAlg::HmacWithSha256.oid());
            assert_ne!(alg, cmp_codec::oid::ID_PASSWORD_BASED_MAC);
            assert_ne!(alg, cmp_codec::oid::ID_PBMAC1);
        }
        Fault::Hdr12 => {
            let (_, ip) = sig_ir(&r);
            assert_ne!(parse(&ip).header.sender_kid, c.server.ski.as_deref());
        }
        Fault::Hdr15 => {
            let (h, ip) = mac_ir(&r, false);
            assert_ne!(parse(&ip).header.transaction_id, h.tid.as_deref());
        }
        Fault::Hdr16 => {
            let (_, ip) = mac_ir(&r, false);
            assert_eq!(parse(&ip).header.sender_nonce.unwrap().len(), 8);
        }
        Fault::Hdr19 => {
            let (h, ip) = mac_ir(&r, false);
            assert_ne!(parse(&ip).header.recip_nonce, h.nonce.as_deref());
        }
        Fault::Hdr21 => {
            let (_, ip) = mac_ir(&r, false);
            assert!(parse(&ip).header.implicit_confirm(), "granted unasked");
        }
        Fault::Hdr22 => {
            let g = genm(&r);
            assert_eq!(body_name(&g), "genp");
            assert!(parse(&g).header.implicit_confirm());
        }
        Fault::Hdr23 => {
            let (_, ip) = mac_ir(&r, true);
            assert!(
                PKIMessage::parse(&ip).is_err(),
                "a non-NULL value does not parse"
            );
            let oid_and_int = [
                0x06, 0x08, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x04, 0x0d, 0x02, 0x01, 0x01,
            ];
            assert!(ip.windows(oid_and_int.len()).any(|w| w == oid_and_int));
        }
        Fault::Hdr24 => {
            let (_, ip) = mac_ir(&r, false);
            assert_eq!(status(&ip).status, PKIStatus::ACCEPTED);
            assert!(general_info_names(&ip).is_empty(), "no confirmWaitTime");
        }
        Fault::Hdr25 => {
            let (_, ip) = mac_ir(&r, true);
            let names = general_info_names(&ip);
            assert!(names.contains(&"implicitConfirm".to_string()));
            assert!(names.contains(&"confirmWaitTime".to_string()));
        }
        Fault::Hdr27 => {
            let (_, ip) = mac_ir(&r, false);
            assert!(general_info_names(&ip).contains(&"certProfile".to_string()));
        }
        Fault::Prot01 => {
            let (_, ip) = mac_ir(&r, false);
            assert!(!mac_ok(&ip));
            assert!(sig_ok(&ip), "a MAC operation answered with a signature");
        }
        Fault::Prot02 => {
            let (_, ip) = mac_ir(&r, false);
            let m = parse(&ip);
            assert_eq!(m.body.name(), "ip");
            assert!(m.protection.is_none() && m.header.protection_alg.is_none());
        }
        Fault::Prot03 => {
            let (_, ip) = sig_ir(&r);
            assert_eq!(
                parse(&ip).header.protection_alg.unwrap().algorithm,
                cmp_codec::oid::ECDSA_WITH_SHA256
            );
            assert!(!sig_ok(&ip));
        }
        Fault::Prot04 => {
            let (_, ip) = mac_ir(&r, false);
            assert!(!mac_ok(&ip));
            let wrong = [&c.secret[..], b"-wrong"].concat();
            assert!(verify_mac(&parse(&ip), &wrong, &VerifyOptions::default()).is_ok());
        }
        Fault::Prot05 => {
            let (_, ip) = mac_ir(&r, false);
            let m = parse(&ip);
            assert!(m.header.protection_alg.is_some() && m.protection.is_none());
        }
        Fault::Extra01 => {
            let (_, ip) = sig_ir(&r);
            assert!(parse(&ip).extra_certs.is_none());
        }
        Fault::Extra03 => {
            let (_, ip) = sig_ir(&r);
            let extra = extra_certs(&ip);
            assert_eq!(extra[0], c.issuing.der);
            assert_eq!(extra[1], c.server.der);
        }
        Fault::Extra04 => {
            let (_, ip) = mac_ir(&r, false);
            assert_eq!(status(&ip).status, PKIStatus::ACCEPTED);
            assert!(!extra_certs(&ip).contains(&c.issuing.der));
            let (_, ip) = sig_ir(&r);
            assert!(!extra_certs(&ip).contains(&c.issuing.der));
        }
        Fault::Err12 => {
            let reply = r.handle(&Hdr::new().seal(ir_body(&[]), &Prot::None));
            let m = parse(&reply);
            let e = error_content(&m);
            assert_eq!(e.pki_status_info.status, PKIStatus::ACCEPTED);
        }
        Fault::Ir10 => {
            let (other, _) = new_key();
            let (_, spki) = new_key();
            let req = vec![cert_req(&other, &spki, &name("badpop"), 0)];
            let ip = r.handle(&Hdr::new().seal(ir_body(&req), &Prot::Mac));
            let resp = first_response(&parse(&ip));
            assert_eq!(resp.status.status, PKIStatus::REJECTION);
            assert!(resp.certified_key_pair.is_some());
        }
        Fault::Ir24 => {
            let (_, ip) = mac_ir(&r, false);
            let pubs: Vec<Vec<u8>> = cert_rep(&parse(&ip))
                .ca_pubs
                .unwrap()
                .iter()
                .map(|c| c.der().to_vec())
                .collect();
            assert_eq!(pubs, vec![c.root.der.clone(), c.issuing.der.clone()]);
        }
        Fault::Ir25 => {
            let (_, ip) = mac_ir(&r, false);
            assert_eq!(cert_rep(&parse(&ip)).response.len(), 2);
        }
        Fault::Ir26 => {
            let (_, ip) = mac_ir(&r, false);
            assert_eq!(status(&ip).status, PKIStatus::REVOCATION_WARNING);
        }
        Fault::Ir27 => {
            let (_, ip) = mac_ir(&r, false);
            let s = status(&ip);
            assert_eq!(s.status, PKIStatus::ACCEPTED);
            assert!(s.fail_info.unwrap().has(FailureBit::BadRequest));
        }
        Fault::Ir28 => {
            let (_, ip) = mac_ir(&r, false);
            let resp = first_response(&parse(&ip));
            assert_eq!(resp.status.status, PKIStatus::ACCEPTED);
            assert!(resp.certified_key_pair.is_none());
        }
        Fault::Ir29 => {
            let (_, ip) = mac_ir(&r, false);
            let resp = first_response(&parse(&ip));
            assert!(resp.certified_key_pair.unwrap().private_key.is_some());
        }
        Fault::Conf10 => {
            let (_, reply) = confirm(&r, false);
            assert!(PKIMessage::parse(&reply).is_err(), "pkiConf not NULL");
            assert_eq!(elements(&reply)[1], vec![0xb3, 0x03, 0x02, 0x01, 0x00]);
        }
        Fault::Conf11 => {
            let (ip, reply) = confirm(&r, true);
            assert_eq!(body_name(&reply), "pkiconf");
            assert!(sig_ok(&reply));
            assert_ne!(extra_certs(&reply)[0], extra_certs(&ip)[0]);
            assert_ne!(
                parse(&reply).header.sender_kid,
                parse(&ip).header.sender_kid
            );
            let (_, reply) = confirm(&r, false);
            assert!(
                !mac_ok(&reply) && sig_ok(&reply),
                "MAC operation, signed pkiConf"
            );
        }
        Fault::Cr02 => {
            let (_, ip) = mac_ir(&r, false);
            assert_eq!(body_name(&ip), "cp");
            assert_eq!(body_name(&sig_cr(&r)), "ip");
        }
        Fault::Cr03 => {
            let cp = sig_cr(&r);
            assert_eq!(body_name(&cp), "cp");
            assert!(cert_rep(&parse(&cp)).ca_pubs.is_some());
        }
        Fault::Kur03 => {
            assert_eq!(body_name(&kur(&r)), "cp");
        }
        Fault::Kur08 => {
            let kup = kur(&r);
            assert_eq!(body_name(&kup), "kup");
            assert!(cert_rep(&parse(&kup)).ca_pubs.is_some());
        }
        Fault::P1002 => {
            assert_eq!(body_name(&p10cr(&r)), "ip");
        }
        Fault::P1003 => {
            let cp = p10cr(&r);
            assert_eq!(body_name(&cp), "cp");
            assert_eq!(first_response(&parse(&cp)).cert_req_id, 0);
        }
    }
}

#[test]
fn every_fault_breaks_its_rule() {
    for f in Fault::ALL {
        let result = std::panic::catch_unwind(|| check(*f));
        assert!(
            result.is_ok(),
            "fault {} does not break its rule",
            f.rule_id()
        );
    }
}

#[test]
fn without_faults_the_same_scenarios_keep_the_rules() {
    let r = responder(Config::default());
    let c = creds();
    let (h, ip) = mac_ir(&r, false);
    let m = parse(&ip);
    assert_eq!(m.header.pvno, 2);
    assert_eq!(m.header.transaction_id, h.tid.as_deref());
    assert_eq!(m.header.recip_nonce, h.nonce.as_deref());
    assert!(mac_ok(&ip));
    assert_eq!(cert_rep(&m).response.len(), 1);
    let (_, ip) = sig_ir(&r);
    assert!(sig_ok(&ip));
    assert_eq!(
        extra_certs(&ip),
        vec![c.server.der.clone(), c.issuing.der.clone()]
    );
    assert_eq!(parse(&ip).header.sender_kid, c.server.ski.as_deref());
    assert_eq!(body_name(&kur(&r)), "kup");
    assert_eq!(first_response(&parse(&p10cr(&r))).cert_req_id, -1);
    let (_, reply) = confirm(&r, false);
    assert_eq!(parse(&reply).body, PKIBody::Pkiconf(()));
}

#[test]
fn faults_parse_from_rule_ids_and_name_known_rules() {
    for f in Fault::ALL {
        assert_eq!(f.rule_id().parse::<Fault>().unwrap(), *f);
        assert_eq!(f.rule_id().to_lowercase().parse::<Fault>().unwrap(), *f);
        assert!(
            f.rule().is_some(),
            "fault {} names no rule of rules.rs",
            f.rule_id()
        );
    }
    assert!("NOPE-1".parse::<Fault>().is_err());
    let mut ids: Vec<_> = Fault::ALL.iter().map(|f| f.rule_id()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), Fault::ALL.len(), "one switch per rule");
}

/// Rules of rules.rs without a fault switch, and why. A rule that is neither here nor
/// covered by a fault makes this test fail: add a switch (or a reason) when rows are added.
const NO_FAULT: &[(&str, &str)] = &[];

#[test]
fn every_rule_has_a_fault_or_a_reason() {
    let missing: Vec<&str> = RULES
        .iter()
        .map(|r| r.id)
        .filter(|id| !Fault::ALL.iter().any(|f| f.rule_id() == *id))
        .filter(|id| !NO_FAULT.iter().any(|(n, _)| n == id))
        .collect();
    assert!(
        missing.is_empty(),
        "rules without a responder fault switch (add one in src/responder/faults.rs, or a \
         reason in NO_FAULT of tests/responder_faults.rs): {missing:?}"
    );
}
