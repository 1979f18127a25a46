//! The reference responder's positive flows, in process: each request built and protected
//! with cmp-codec, each reply parsed and checked field by field.

mod responder_util;

use cmp_codec::body::PollRep;
use cmp_codec::builder::{cert_status, rev_details};
use cmp_codec::crmf::CertTemplate;
use cmp_codec::itav::{CRLSource, CRLStatus, InfoTypeAndValue, InfoValue};
use cmp_codec::raw::Name;
use cmp_codec::{GeneralName, PKIBody, PKIStatus, SeqOf};
use cmp_conformance::endpoint::{Endpoint, PKIXCMP};
use cmp_conformance::responder::{CaPubs, Config};
use der::Decode as _;
use responder_util::*;

#[test]
fn ir_with_mac_gets_a_certificate_for_the_requested_key_then_pkiconf() {
    let r = responder(Config::default());
    let c = creds();
    let (key, spki) = new_key();
    let req = vec![cert_req(&key, &spki, &name("device-0001"), 0)];
    let h = Hdr::new();
    let ir = h.seal(ir_body(&req), &Prot::Mac);
    let ip = r.handle(&ir);
    let msg = parse(&ip);
    assert_eq!(msg.body.name(), "ip");
    assert!(mac_ok(&ip), "ip MAC verifies with the shared secret");
    assert_eq!(msg.header.pvno, 2);
    assert_eq!(msg.header.transaction_id, h.tid.as_deref());
    assert_eq!(msg.header.recip_nonce, h.nonce.as_deref());
    assert_eq!(msg.header.sender_nonce.unwrap().len(), 16);
    assert_eq!(msg.header.sender_kid, Some(c.reference.as_bytes()));
    match &msg.header.sender {
        GeneralName::DirectoryName(n) => {
            assert_eq!(n.to_rfc4514().unwrap(), format!("CN={}", c.reference))
        }
        other => panic!("sender {other:?}"),
    }
    assert!(msg.header.message_time.is_some());
    assert_eq!(general_info_names(&ip), vec!["confirmWaitTime"]);

    let rep = cert_rep(&msg);
    assert_eq!(rep.response.len(), 1);
    let caps: Vec<_> = rep.ca_pubs.iter().flat_map(|c| c.iter()).collect();
    assert_eq!(caps.len(), 1, "caPubs holds the trust anchor in a MAC ip");
    assert_eq!(caps[0].der(), c.root.der.as_slice());
    let resp = first_response(&msg);
    assert_eq!(resp.cert_req_id, 0);
    assert_eq!(resp.status.status, PKIStatus::ACCEPTED);
    assert!(resp.status.fail_info.is_none());

    let cert_der = issued_cert(&ip);
    let cert = x509_cert::Certificate::from_der(&cert_der).expect("x509-cert parses it");
    let tbs = cert.tbs_certificate();
    use der::Encode as _;
    assert_eq!(tbs.subject_public_key_info().to_der().unwrap(), spki);
    assert_eq!(tbs.subject().to_der().unwrap(), name("device-0001"));
    assert_eq!(tbs.issuer().to_der().unwrap(), c.issuing.subject_der);
    assert!(
        signed_by(&cert_der, &c.issuing.spki_der),
        "chains to issuing-ca"
    );
    assert!(
        signed_by(&c.issuing.der, &c.root.spki_der),
        "issuing-ca chains to root"
    );
    assert_eq!(extra_certs(&ip), vec![c.issuing.der.clone()]);

    // certConf → pkiConf.
    let mut hash = Vec::new();
    let h2 = h.next(&ip);
    let conf = h2.seal(
        cert_conf_body(vec![accept(&cert_der, &mut hash, 0)]),
        &Prot::Mac,
    );
    let pkiconf = r.handle(&conf);
    let m = parse(&pkiconf);
    assert_eq!(m.body, PKIBody::Pkiconf(()));
    assert!(mac_ok(&pkiconf));
    assert_eq!(m.header.recip_nonce, h2.nonce.as_deref());
    assert_eq!(m.header.transaction_id, h.tid.as_deref());

    // The operation is over: another certConf is refused.
    let again = h2.next(&pkiconf).seal(
        cert_conf_body(vec![accept(&cert_der, &mut hash, 0)]),
        &Prot::Mac,
    );
    assert_error(&r.handle(&again), cmp_codec::FailureBit::BadRequest);
}

#[test]
fn pbmac1_request_gets_a_pbmac1_response() {
    let r = responder(Config::default());
    let (key, spki) = new_key();
    let req = vec![cert_req(&key, &spki, &name("pbmac1"), 0)];
    let ip = r.handle(&Hdr::new().implicit().seal(ir_body(&req), &Prot::Pbmac1));
    let msg = parse(&ip);
    assert!(mac_ok(&ip));
    assert_eq!(
        msg.header.protection_alg.unwrap().algorithm,
        cmp_codec::oid::ID_PBMAC1
    );
}

#[test]
fn implicit_confirm_is_granted_and_no_certconf_is_expected() {
    let r = responder(Config::default());
    let (key, spki) = new_key();
    let req = vec![cert_req(&key, &spki, &name("implicit"), 0)];
    let h = Hdr::new().implicit();
    let ip = r.handle(&h.seal(ir_body(&req), &Prot::Mac));
    assert_eq!(general_info_names(&ip), vec!["implicitConfirm"]);
    let cert = issued_cert(&ip);
    let mut hash = Vec::new();
    let conf = h.next(&ip).seal(
        cert_conf_body(vec![accept(&cert, &mut hash, 0)]),
        &Prot::Mac,
    );
    assert_error(&r.handle(&conf), cmp_codec::FailureBit::BadRequest);
}

#[test]
fn implicit_confirm_not_granted_when_switched_off() {
    let r = responder(Config {
        implicit_confirm: false,
        ..Config::default()
    });
    let (key, spki) = new_key();
    let req = vec![cert_req(&key, &spki, &name("no-implicit"), 0)];
    let ip = r.handle(&Hdr::new().implicit().seal(ir_body(&req), &Prot::Mac));
    assert_eq!(general_info_names(&ip), vec!["confirmWaitTime"]);
}

#[test]
fn signed_cr_gets_a_signed_cp_without_capubs() {
    let r = responder(Config {
        ca_pubs: CaPubs::Always,
        ..Config::default()
    });
    let c = creds();
    // cr needs a certificate of this PKI (RFC 9483 4.1.2): the external client-ec is refused,
    // one the responder issued is served.
    let (key, spki) = new_key();
    let req = vec![cert_req(&key, &spki, &name("cr-device"), 0)];
    let external = SignerCred::client_ec();
    let refused = r.handle(&Hdr::new().seal(cr_body(&req), &Prot::Sig(&external)));
    assert_rejected(&refused, cmp_codec::FailureBit::NotAuthorized);
    let (cert, k) = enroll_mac(&r);
    let client = SignerCred::issued(&cert, k);
    let h = Hdr::new();
    let cp = r.handle(&h.seal(cr_body(&req), &Prot::Sig(&client)));
    let msg = parse(&cp);
    assert_eq!(msg.body.name(), "cp");
    assert!(sig_ok(&cp), "cp signature verifies with extraCerts[0]");
    let extra = extra_certs(&cp);
    assert_eq!(extra, vec![c.server.der.clone(), c.issuing.der.clone()]);
    assert_eq!(msg.header.sender_kid, c.server.ski.as_deref());
    match &msg.header.sender {
        GeneralName::DirectoryName(n) => assert_eq!(n.der(), c.server.subject_der.as_slice()),
        other => panic!("sender {other:?}"),
    }
    assert!(cert_rep(&msg).ca_pubs.is_none(), "no caPubs in cp");
    let cert = issued_cert(&cp);
    let mut hash = Vec::new();
    let h2 = h.next(&cp);
    let conf = h2.seal(
        cert_conf_body(vec![accept(&cert, &mut hash, 0)]),
        &Prot::Sig(&client),
    );
    let pkiconf = r.handle(&conf);
    assert_eq!(body_name(&pkiconf), "pkiconf");
    assert!(sig_ok(&pkiconf));
}

#[test]
fn signed_ir_with_client_ec_and_certconf_without_extracerts() {
    let r = responder(Config::default());
    let mut client = SignerCred::client_ec();
    let (key, spki) = new_key();
    let req = vec![cert_req(&key, &spki, &name("sig-ir"), 0)];
    let h = Hdr::new();
    let ip = r.handle(&h.seal(ir_body(&req), &Prot::Sig(&client)));
    assert_eq!(body_name(&ip), "ip");
    assert!(sig_ok(&ip));
    assert!(
        cert_rep(&parse(&ip)).ca_pubs.is_none(),
        "no caPubs in a signed ip by default"
    );
    let cert = issued_cert(&ip);
    // certConf may leave extraCerts out (RFC 9483 3.3): the signer is remembered.
    client.chain.clear();
    let mut hash = Vec::new();
    let h2 = h.next(&ip);
    let conf = without_extra_certs(&h2.seal(
        cert_conf_body(vec![accept(&cert, &mut hash, 0)]),
        &Prot::Sig(&client),
    ));
    assert!(parse(&conf).extra_certs.is_none());
    let reply = r.handle(&conf);
    assert_eq!(body_name(&reply), "pkiconf");
}

/// The same message with extraCerts removed (the protection does not cover them).
fn without_extra_certs(der: &[u8]) -> Vec<u8> {
    let mut m = parse(der);
    m.extra_certs = None;
    m.encode()
}

#[test]
fn kur_signed_by_the_old_certificate_gets_kup() {
    let r = responder(Config::default());
    let c = creds();
    let (old_cert, old_key) = enroll_mac(&r);
    let old = SignerCred::issued(&old_cert, old_key);
    let (key, spki) = new_key();
    let req = vec![kur_req(
        &key,
        &spki,
        &name("enrolled"),
        &c.issuing.subject_der,
        &old.cert.serial,
    )];
    let h = Hdr::new().implicit();
    let kup = r.handle(&h.seal(kur_body(&req), &Prot::Sig(&old)));
    assert_eq!(body_name(&kup), "kup");
    assert!(sig_ok(&kup));
    let new_cert = issued_cert(&kup);
    let x = x509_cert::Certificate::from_der(&new_cert).unwrap();
    use der::Encode as _;
    assert_eq!(
        x.tbs_certificate()
            .subject_public_key_info()
            .to_der()
            .unwrap(),
        spki
    );
    assert_eq!(
        x.tbs_certificate().subject().to_der().unwrap(),
        name("enrolled")
    );
}

#[test]
fn p10cr_gets_cp_with_cert_req_id_minus_one() {
    let r = responder(Config::default());
    let client = SignerCred::client_ec();
    let dir = cmp_conformance::responder::credentials::default_dir();
    let csr = std::fs::read_to_string(dir.join("device-ec.csr")).unwrap();
    let csr = cmp_conformance::responder::credentials::pem_to_der(&csr).unwrap();
    let body = PKIBody::P10cr(cmp_codec::raw::CertificationRequest::from_der(&csr).unwrap());
    let h = Hdr::new();
    let cp = r.handle(&h.seal(body, &Prot::Sig(&client)));
    let msg = parse(&cp);
    assert_eq!(msg.body.name(), "cp");
    assert_eq!(first_response(&msg).cert_req_id, -1);
    let cert = issued_cert(&cp);
    let device = std::fs::read(dir.join("device-ec.der")).unwrap();
    let x = x509_cert::Certificate::from_der(&cert).unwrap();
    let d = x509_cert::Certificate::from_der(&device).unwrap();
    assert_eq!(
        x.tbs_certificate().subject_public_key_info(),
        d.tbs_certificate().subject_public_key_info()
    );
    assert_eq!(x.tbs_certificate().subject(), d.tbs_certificate().subject());
    // certConf with certReqId 0 (RFC 9483 as published) is accepted.
    let mut hash = Vec::new();
    let conf = h.next(&cp).seal(
        cert_conf_body(vec![accept(&cert, &mut hash, 0)]),
        &Prot::Sig(&client),
    );
    assert_eq!(body_name(&r.handle(&conf)), "pkiconf");
}

fn rr_body<'a>(issuer: &'a [u8], serial: &'a [u8], reason: &'a [u8]) -> PKIBody<'a> {
    let template = CertTemplate {
        serial_number: Some(asn1::BigInt::new(serial).unwrap()),
        issuer: Some(Name::from_der(issuer).unwrap()),
        ..CertTemplate::default()
    };
    let mut d = rev_details(template);
    d.crl_entry_details = Some(SeqOf::new(vec![cmp_codec::common::Extension {
        extn_id: (&cmp_codec::oid::ID_CE_CRL_REASONS).into(),
        critical: false,
        extn_value: reason,
    }]));
    PKIBody::Rr(SeqOf::new(vec![d]))
}

/// DER INTEGER content of a serial (a leading zero when the high bit is set).
fn int_bytes(serial: &[u8]) -> Vec<u8> {
    if serial.first().is_some_and(|b| b & 0x80 != 0) {
        [&[0u8][..], serial].concat()
    } else {
        serial.to_vec()
    }
}

#[test]
fn rr_signed_by_the_certificate_revokes_it_and_the_crl_lists_it() {
    let r = responder(Config::default());
    let c = creds();
    let (cert, key) = enroll_mac(&r);
    let me = SignerCred::issued(&cert, key);
    let serial = int_bytes(&me.cert.serial);
    let reason = [0x0a, 0x01, 0x01];
    let rp = r.handle(&Hdr::new().seal(
        rr_body(&c.issuing.subject_der, &serial, &reason),
        &Prot::Sig(&me),
    ));
    let msg = parse(&rp);
    assert_eq!(msg.body.name(), "rp");
    assert!(sig_ok(&rp));
    match &msg.body {
        PKIBody::Rp(rep) => {
            assert_eq!(rep.status.len(), 1);
            assert_eq!(rep.status.get(0).unwrap().status, PKIStatus::ACCEPTED);
        }
        _ => unreachable!(),
    }
    // Again: already revoked.
    let rp2 = r.handle(&Hdr::new().seal(
        rr_body(&c.issuing.subject_der, &serial, &reason),
        &Prot::Sig(&me),
    ));
    assert_rejected(&rp2, cmp_codec::FailureBit::CertRevoked);

    // The CRL lists the serial.
    let client = SignerCred::client_ec();
    let issuer_name = GeneralName::DirectoryName(Name::from_der(&c.issuing.subject_der).unwrap());
    let status = CRLStatus {
        source: CRLSource::Issuer(SeqOf::new(vec![issuer_name])),
        this_update: None,
    };
    let body = PKIBody::Genm(SeqOf::new(vec![InfoTypeAndValue::new(
        InfoValue::CrlStatusList(Some(SeqOf::new(vec![status]))),
    )]));
    let genp = r.handle(&Hdr::new().seal(body, &Prot::Sig(&client)));
    let m = parse(&genp);
    let crl = match &m.body {
        PKIBody::Genp(items) => match items.get(0).unwrap().info_value {
            InfoValue::Crls(Some(list)) => list.get(0).unwrap().der().to_vec(),
            ref other => panic!("{other:?}"),
        },
        other => panic!("{}", other.name()),
    };
    let crl =
        x509_cert::crl::CertificateList::<x509_cert::certificate::Rfc5280>::from_der(&crl).unwrap();
    let listed: Vec<Vec<u8>> = crl
        .tbs_cert_list
        .revoked_certificates
        .iter()
        .flatten()
        .map(|e| e.serial_number.as_bytes().to_vec())
        .collect();
    assert!(
        listed.contains(&me.cert.serial),
        "CRL lists the revoked serial"
    );
    assert!(signed_by(
        &der::Encode::to_der(&crl).unwrap(),
        &c.issuing.spki_der
    ));
}

fn genm(r: &cmp_conformance::responder::Responder, value: InfoValue<'_>) -> Vec<u8> {
    let client = SignerCred::client_ec();
    let body = PKIBody::Genm(SeqOf::new(vec![InfoTypeAndValue::new(value)]));
    r.handle(&Hdr::new().seal(body, &Prot::Sig(&client)))
}

fn genp_value(der: &[u8]) -> InfoValue<'_> {
    let m = parse(der);
    assert!(sig_ok(der));
    match m.body {
        PKIBody::Genp(items) => {
            assert_eq!(items.len(), 1);
            items.get(0).unwrap().info_value
        }
        other => panic!("expected genp, got {}", other.name()),
    }
}

#[test]
fn genm_ca_certs_root_update_template_and_crls() {
    let r = responder(Config::default());
    let c = creds();

    let g = genm(&r, InfoValue::CaCerts(None));
    match genp_value(&g) {
        InfoValue::CaCerts(Some(list)) => {
            let l: Vec<_> = list.iter().map(|c| c.der().to_vec()).collect();
            assert_eq!(l, vec![c.issuing.der.clone()]);
        }
        other => panic!("{other:?}"),
    }

    let root = cmp_codec::raw::Certificate::from_der(&c.root.der).unwrap();
    let g = genm(&r, InfoValue::RootCaCert(Some(root)));
    match genp_value(&g) {
        InfoValue::RootCaKeyUpdate(Some(u)) => {
            let nwn = u.new_with_new.der();
            let new = cmp_conformance::responder::CertInfo::from_der(nwn).unwrap();
            assert!(signed_by(nwn, &new.spki_der), "newWithNew is self-signed");
            let nwo = u.new_with_old.unwrap();
            assert!(
                signed_by(nwo.der(), &c.root.spki_der),
                "newWithOld verifies with the old root"
            );
            let nwo_info = cmp_conformance::responder::CertInfo::from_der(nwo.der()).unwrap();
            assert_eq!(nwo_info.spki_der, new.spki_der);
            let own = u.old_with_new.unwrap();
            assert!(signed_by(own.der(), &new.spki_der));
        }
        other => panic!("{other:?}"),
    }
    let no_update = responder(Config {
        root_update: false,
        ..Config::default()
    });
    let g = genm(&no_update, InfoValue::RootCaCert(None));
    assert!(matches!(genp_value(&g), InfoValue::RootCaKeyUpdate(None)));

    let g = genm(&r, InfoValue::CertReqTemplate(None));
    match genp_value(&g) {
        InfoValue::CertReqTemplate(Some(t)) => {
            assert!(t.cert_template.public_key.is_none());
            assert!(t.cert_template.subject.is_some());
            assert!(!t.key_spec.unwrap().is_empty());
        }
        other => panic!("{other:?}"),
    }

    // crlStatusList without thisUpdate → the CRL; with its thisUpdate → nothing newer.
    let issuer = GeneralName::DirectoryName(Name::from_der(&c.issuing.subject_der).unwrap());
    let ask = |this_update: Option<cmp_codec::common::Time>| {
        genm(
            &r,
            InfoValue::CrlStatusList(Some(SeqOf::new(vec![CRLStatus {
                source: CRLSource::Issuer(SeqOf::new(vec![issuer.clone()])),
                this_update,
            }]))),
        )
    };
    let g = ask(None);
    let crl_der = match genp_value(&g) {
        InfoValue::Crls(Some(l)) => l.get(0).unwrap().der().to_vec(),
        other => panic!("{other:?}"),
    };
    let crl =
        x509_cert::crl::CertificateList::<x509_cert::certificate::Rfc5280>::from_der(&crl_der)
            .unwrap();
    let tu = crl.tbs_cert_list.this_update.to_date_time();
    let t = cmp_codec::common::Time::UtcTime(
        asn1::UtcTime::new(
            asn1::DateTime::new(
                tu.year(),
                tu.month(),
                tu.day(),
                tu.hour(),
                tu.minutes(),
                tu.seconds(),
            )
            .unwrap(),
        )
        .unwrap(),
    );
    let g = ask(Some(t));
    assert!(
        matches!(genp_value(&g), InfoValue::Crls(None)),
        "no newer CRL"
    );

    // Unknown types are echoed without a value.
    let g = genm(&r, InfoValue::Other(asn1::oid!(1, 2, 3, 4), None));
    match genp_value(&g) {
        InfoValue::Other(oid, None) => assert_eq!(oid, asn1::oid!(1, 2, 3, 4)),
        other => panic!("{other:?}"),
    }
}

#[test]
fn polling_delivers_on_the_nth_pollreq() {
    let r = responder(Config {
        poll_count: 2,
        check_after: 3,
        ..Config::default()
    });
    let (key, spki) = new_key();
    let req = vec![cert_req(&key, &spki, &name("polled"), 0)];
    let h = Hdr::new();
    let ip = r.handle(&h.seal(ir_body(&req), &Prot::Mac));
    let m = parse(&ip);
    let resp = first_response(&m);
    assert_eq!(resp.status.status, PKIStatus::WAITING);
    assert!(resp.certified_key_pair.is_none());
    assert!(resp.status.fail_info.is_none());
    assert!(
        general_info_names(&ip).is_empty(),
        "no confirmWaitTime while waiting"
    );

    let h2 = h.next(&ip);
    let rep = r.handle(&h2.seal(
        PKIBody::PollReq(SeqOf::new(vec![cmp_codec::body::PollReq {
            cert_req_id: 0,
        }])),
        &Prot::Mac,
    ));
    let m = parse(&rep);
    assert!(mac_ok(&rep));
    assert_eq!(m.header.recip_nonce, h2.nonce.as_deref());
    match &m.body {
        PKIBody::PollRep(p) => {
            let p: Vec<PollRep<'_>> = p.iter().collect();
            assert_eq!(p.len(), 1);
            assert_eq!(p[0].cert_req_id, 0);
            assert_eq!(p[0].check_after, 3);
        }
        other => panic!("{}", other.name()),
    }
    let h3 = h2.next(&rep);
    let ip2 = r.handle(&h3.seal(
        PKIBody::PollReq(SeqOf::new(vec![cmp_codec::body::PollReq {
            cert_req_id: 0,
        }])),
        &Prot::Mac,
    ));
    let m = parse(&ip2);
    assert_eq!(m.body.name(), "ip");
    assert_eq!(
        m.header.recip_nonce,
        h3.nonce.as_deref(),
        "recipNonce of the final response (HDR-18)"
    );
    let cert = issued_cert(&ip2);
    let mut hash = Vec::new();
    let conf = h3.next(&ip2).seal(
        cert_conf_body(vec![accept(&cert, &mut hash, 0)]),
        &Prot::Mac,
    );
    assert_eq!(body_name(&r.handle(&conf)), "pkiconf");
}

#[test]
fn rejecting_certconf_gets_pkiconf_and_revokes() {
    let r = responder(Config::default());
    let (key, spki) = new_key();
    let req = vec![cert_req(&key, &spki, &name("unwanted"), 0)];
    let h = Hdr::new();
    let ip = r.handle(&h.seal(ir_body(&req), &Prot::Mac));
    let cert = issued_cert(&ip);
    let hash = cmp_codec::protection::cert_hash(&cert, None).unwrap();
    let st = cert_status(
        &hash,
        0,
        Some(cmp_codec::PKIStatusInfo::rejection(&[
            cmp_codec::FailureBit::IncorrectData,
        ])),
    );
    let reply = r.handle(&h.next(&ip).seal(cert_conf_body(vec![st]), &Prot::Mac));
    assert_eq!(body_name(&reply), "pkiconf");
    // The rejected certificate cannot sign anything now.
    let me = SignerCred::issued(&cert, key);
    let g = r.handle(&Hdr::new().seal(
        PKIBody::Genm(SeqOf::new(vec![InfoTypeAndValue::new(InfoValue::CaCerts(
            None,
        ))])),
        &Prot::Sig(&me),
    ));
    assert_error(&g, cmp_codec::FailureBit::SignerNotTrusted);
}

#[test]
fn client_error_in_an_open_operation_gets_pkiconf() {
    let r = responder(Config::default());
    let (key, spki) = new_key();
    let req = vec![cert_req(&key, &spki, &name("erroring"), 0)];
    let h = Hdr::new();
    let ip = r.handle(&h.seal(ir_body(&req), &Prot::Mac));
    let status = cmp_codec::PKIStatusInfo::rejection(&[cmp_codec::FailureBit::BadRequest]);
    let body = PKIBody::Error(cmp_codec::builder::error_content(status, None, None));
    let reply = r.handle(&h.next(&ip).seal(body, &Prot::Mac));
    assert_eq!(body_name(&reply), "pkiconf");
    assert!(mac_ok(&reply));
}

#[test]
fn endpoint_trait_gives_status_200_and_pkixcmp() {
    let mut r = responder(Config::default());
    let reply = r.exchange("/.well-known/cmp", b"garbage").unwrap();
    assert_eq!(reply.status, 200);
    assert_eq!(reply.content_type.as_deref(), Some(PKIXCMP));
    assert_error(&reply.body, cmp_codec::FailureBit::BadDataFormat);
    let m = parse(&reply.body);
    assert!(m.protection.is_none(), "error for garbage is unprotected");
    let mut by_ref = &r;
    assert_eq!(by_ref.exchange("", b"").unwrap().status, 200);
    fn is_send_sync<T: Send + Sync>() {}
    is_send_sync::<cmp_conformance::responder::Responder>();
}
