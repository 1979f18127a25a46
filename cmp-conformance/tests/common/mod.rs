//! Messages built with `cmp-codec` for the tests: one per `PKIBody` alternative, with headers
//! that cover every protection algorithm the dump decodes.
#![allow(dead_code)] // each test crate uses a different part

use asn1::{BigInt, BitString, DateTime, Utf8String, X509GeneralizedTime};
use cmp_codec::body::{
    CAKeyUpdAnnContent, CAKeyUpdContent, CertOrEncCert, CertRepMessage, CertResponse, CertStatus,
    CertifiedKeyPair, Challenge, ErrorMsgContent, KeyRecRepContent, PollRep, PollReq,
    RevAnnContent, RevDetails, RevRepContent,
};
use cmp_codec::common::{AlgorithmIdentifier, CertId, Extension, SubjectPublicKeyInfo, Time};
use cmp_codec::crmf::{
    CertReqMsg, CertRequest, CertTemplate, Control, ControlValue, EncryptedKey, EncryptedValue,
    OptionalValidity, PKIArchiveOptions, PKIPublicationInfo, POPOPrivKey, POPOSigningKey,
    ProofOfPossession, RegInfo, RegInfoValue,
};
use cmp_codec::itav::{
    CRLSource, CRLStatus, CertReqTemplateContent, InfoTypeAndValue, InfoValue, KemCiphertextInfo,
    RootCaKeyUpdateContent,
};
use cmp_codec::protection::{
    DHBMParameter, KemBMParameter, PBKDF2Params, PBKDF2Salt, PBMAC1Params, PBMParameter,
};
use cmp_codec::raw::{Certificate, CertificateList, CertificationRequest, Name, RawMessage};
use cmp_codec::status::{FailureBit, PKIFailureInfo, PKIStatus, PKIStatusInfo};
use cmp_codec::{
    oid, GeneralName, GeneralizedTime, PKIBody, PKIHeader, PKIMessage, SeqOf, UtcDateTime,
};
use x509_cert::der::{Decode, Encode};

/// `id-aes256-CBC` (RFC 3565).
const ID_AES256_CBC: asn1::ObjectIdentifier = asn1::oid!(2, 16, 840, 1, 101, 3, 4, 1, 42);
/// `id-ce-keyUsage` (RFC 5280).
const ID_CE_KEY_USAGE: asn1::ObjectIdentifier = asn1::oid!(2, 5, 29, 15);

/// Self-signed EC P-256 certificate `O=cmp-conformance, CN=Test CA` (see tests/data/README.md).
pub const CERT: &[u8] = include_bytes!("../data/ca.der");
/// PKCS#10 request `CN=test client`.
pub const CSR: &[u8] = include_bytes!("../data/csr.der");
/// An empty CRL issued by [`CERT`].
pub const CRL: &[u8] = include_bytes!("../data/crl.der");

/// `CN=Test CA,O=cmp-conformance` as DER.
pub fn name_der() -> Vec<u8> {
    let cert = x509_cert::Certificate::from_der(CERT).unwrap();
    cert.tbs_certificate().subject().to_der().unwrap()
}

/// The certificate's `SubjectPublicKeyInfo` as DER.
pub fn spki_der() -> Vec<u8> {
    let cert = x509_cert::Certificate::from_der(CERT).unwrap();
    cert.tbs_certificate()
        .subject_public_key_info()
        .to_der()
        .unwrap()
}

/// The protection algorithms the header cycles through, with their parameters as DER.
pub fn protection_algs() -> Vec<(asn1::ObjectIdentifier, Option<Vec<u8>>)> {
    let sha256 = AlgorithmIdentifier::new(&oid::ID_SHA256);
    let hmac = AlgorithmIdentifier::new(&oid::ID_HMAC_WITH_SHA256);
    let pbm = asn1::write_single(&PBMParameter {
        salt: &[0x5a; 16],
        owf: sha256.clone(),
        iteration_count: 10_000,
        mac: hmac.clone(),
    })
    .unwrap();
    let pbkdf2 = asn1::write_single(&PBKDF2Params {
        salt: PBKDF2Salt::Specified(&[0xa5; 16]),
        iteration_count: 100_000,
        key_length: Some(32),
        prf: Some(hmac.clone()),
    })
    .unwrap();
    let pbkdf2_tlv = asn1::parse_single::<asn1::Tlv<'_>>(&pbkdf2).unwrap();
    let pbmac1 = asn1::write_single(&PBMAC1Params {
        key_derivation_func: AlgorithmIdentifier {
            algorithm: (&oid::ID_PBKDF2).into(),
            parameters: Some(pbkdf2_tlv),
        },
        message_auth_scheme: hmac.clone(),
    })
    .unwrap();
    let dhbm = asn1::write_single(&DHBMParameter {
        owf: sha256.clone(),
        mac: hmac.clone(),
    })
    .unwrap();
    let kembm = asn1::write_single(&KemBMParameter {
        kdf: AlgorithmIdentifier::new(&oid::ID_SHAKE256),
        kem_context: Some(b"ctx"),
        len: 32,
        mac: hmac,
    })
    .unwrap();
    vec![
        (oid::ID_PASSWORD_BASED_MAC, Some(pbm)),
        (oid::ID_PBMAC1, Some(pbmac1)),
        (oid::ID_DH_BASED_MAC, Some(dhbm)),
        (oid::ID_KEM_BASED_MAC, Some(kembm)),
        (oid::ECDSA_WITH_SHA256, None),
        // Parameters that do not decode as PBMParameter (OpenSSL's bad_alg_param test).
        (oid::ID_PASSWORD_BASED_MAC, Some(vec![0x01, 0x01, 0xff])),
    ]
}

/// A header with every field set; `alg` picks the protection algorithm (index into
/// [`protection_algs`]), `None` leaves it out.
pub fn header<'a>(
    name: &'a [u8],
    alg: Option<&'a (asn1::ObjectIdentifier, Option<Vec<u8>>)>,
    general_info: Vec<InfoTypeAndValue<'a>>,
) -> PKIHeader<'a> {
    let dn = GeneralName::DirectoryName(Name::from_der(name).unwrap());
    let mut h = PKIHeader::new(3, dn, GeneralName::null_dn());
    h.message_time = Some(gt(2026, 11, 26, 12, 0, 0));
    h.protection_alg = alg.map(|(oid, params)| AlgorithmIdentifier {
        algorithm: oid.into(),
        parameters: params
            .as_ref()
            .map(|p| asn1::parse_single::<asn1::Tlv<'_>>(p).unwrap()),
    });
    h.sender_kid = Some(b"kid-1");
    h.recip_kid = Some(&[0x01, 0x02, 0x03]);
    h.transaction_id = Some(&[0x11; 16]);
    h.sender_nonce = Some(&[0x22; 16]);
    h.recip_nonce = Some(&[0x33; 16]);
    h.free_text = Some(SeqOf::new(vec![Utf8String::new("free\ttext")]));
    if !general_info.is_empty() {
        h.general_info = Some(SeqOf::new(general_info));
    }
    h
}

/// A `GeneralizedTime` for a fixed UTC instant.
fn gt(year: u16, month: u8, day: u8, hour: u8, minute: u8, second: u8) -> GeneralizedTime<'static> {
    GeneralizedTime::new(UtcDateTime {
        year,
        month,
        day,
        hour,
        minute,
        second,
    })
    .expect("valid date")
}

fn dt(year: u16) -> Time {
    Time::GeneralTime(
        X509GeneralizedTime::new(DateTime::new(year, 1, 2, 3, 4, 5).unwrap()).unwrap(),
    )
}

fn status_accepted<'a>() -> PKIStatusInfo<'a> {
    PKIStatusInfo::accepted()
}

fn status_rejection<'a>() -> PKIStatusInfo<'a> {
    PKIStatusInfo {
        status: PKIStatus::REJECTION,
        status_string: Some(SeqOf::new(vec![Utf8String::new("not today")])),
        fail_info: Some(PKIFailureInfo::from_bits(&[
            FailureBit::BadAlg,
            FailureBit::SystemFailure,
        ])),
    }
}

fn cert_id<'a>(name: &'a [u8]) -> CertId<'a> {
    CertId {
        issuer: GeneralName::DirectoryName(Name::from_der(name).unwrap()),
        serial_number: BigInt::new(&[0x01, 0x00]).unwrap(),
    }
}

fn envelope() -> asn1::Sequence<'static> {
    asn1::parse_single::<asn1::Sequence<'static>>(&[0x30, 0x03, 0x02, 0x01, 0x00]).unwrap()
}

fn encrypted_value() -> EncryptedKey<'static> {
    EncryptedKey::EncryptedValue(EncryptedValue {
        intended_alg: None,
        symm_alg: Some(AlgorithmIdentifier::new(&ID_AES256_CBC)),
        enc_symm_key: Some(BitString::new(&[0xee; 8], 0).unwrap()),
        key_alg: Some(AlgorithmIdentifier::new(&oid::RSA_ENCRYPTION)),
        value_hint: None,
        enc_value: BitString::new(&[0xdd; 16], 0).unwrap(),
    })
}

fn template<'a>(name: &'a [u8], spki: &'a [u8]) -> CertTemplate<'a> {
    CertTemplate {
        version: Some(2),
        serial_number: Some(BigInt::new(&[0x2a]).unwrap()),
        signing_alg: Some(AlgorithmIdentifier::new(&oid::ECDSA_WITH_SHA256)),
        issuer: Some(Name::from_der(name).unwrap()),
        validity: Some(OptionalValidity {
            not_before: Some(dt(2026)),
            not_after: None,
        }),
        subject: Some(Name::from_der(name).unwrap()),
        public_key: Some(asn1::parse_single::<SubjectPublicKeyInfo<'_>>(spki).unwrap()),
        issuer_uid: None,
        subject_uid: Some(BitString::new(&[0x80], 7).unwrap()),
        extensions: Some(SeqOf::new(vec![Extension {
            extn_id: (&ID_CE_KEY_USAGE).into(),
            critical: true,
            extn_value: &[0x03, 0x02, 0x07, 0x80],
        }])),
    }
}

/// The `CertReqMessages` of the request arms; `popo` picks the proof of possession.
fn cert_req<'a>(
    name: &'a [u8],
    spki: &'a [u8],
    popo: ProofOfPossession<'a>,
) -> SeqOf<'a, CertReqMsg<'a>, 1> {
    let controls = vec![
        Control::new(ControlValue::RegToken(Utf8String::new("one-time-token"))),
        Control::new(ControlValue::Authenticator(Utf8String::new("auth"))),
        Control::new(ControlValue::PkiPublicationInfo(PKIPublicationInfo {
            action: 1,
            pub_infos: None,
        })),
        Control::new(ControlValue::PkiArchiveOptions(
            PKIArchiveOptions::ArchiveRemGenPrivKey(true),
        )),
        Control::new(ControlValue::OldCertId(cert_id(name))),
        Control::new(ControlValue::ProtocolEncrKey(
            asn1::parse_single::<SubjectPublicKeyInfo<'_>>(spki).unwrap(),
        )),
        Control::new(ControlValue::AlgId(AlgorithmIdentifier::new(
            &oid::ID_ED25519,
        ))),
        Control::new(ControlValue::RsaKeyLen(3072)),
    ];
    let reg_info = vec![
        RegInfo {
            attr_type: asn1::DefinedByMarker::marker(),
            value: RegInfoValue::Utf8Pairs(Utf8String::new("version?1%")),
        },
        RegInfo {
            attr_type: asn1::DefinedByMarker::marker(),
            value: RegInfoValue::CertReq(CertRequest {
                cert_req_id: 7,
                cert_template: CertTemplate::default(),
                controls: None,
            }),
        },
    ];
    SeqOf::new(vec![CertReqMsg {
        cert_req: CertRequest {
            cert_req_id: 0,
            cert_template: template(name, spki),
            controls: Some(SeqOf::new(controls)),
        },
        popo: Some(popo),
        reg_info: Some(SeqOf::new(reg_info)),
    }])
}

fn cert_rep<'a>(status: PKIStatusInfo<'a>, kp: Option<CertifiedKeyPair<'a>>) -> CertRepMessage<'a> {
    CertRepMessage {
        ca_pubs: Some(SeqOf::new(vec![Certificate::from_der(CERT).unwrap()])),
        response: SeqOf::new(vec![CertResponse {
            cert_req_id: 0,
            status,
            certified_key_pair: kp,
            rsp_info: Some(&[0x04, 0x00]),
        }]),
    }
}

fn key_pair<'a>() -> CertifiedKeyPair<'a> {
    CertifiedKeyPair {
        cert_or_enc_cert: CertOrEncCert::Certificate(Certificate::from_der(CERT).unwrap()),
        private_key: Some(EncryptedKey::EnvelopedData(envelope())),
        publication_info: Some(PKIPublicationInfo {
            action: 0,
            pub_infos: None,
        }),
    }
}

/// Every `infoType` the codec knows, with a value (genp) or without (genm).
fn itavs<'a>(
    with_values: bool,
    name: &'a [u8],
    spki: &'a [u8],
    inner: &'a [u8],
) -> Vec<InfoTypeAndValue<'a>> {
    let cert = || Certificate::from_der(CERT).unwrap();
    let crl = || CertificateList::from_der(CRL).unwrap();
    let alg = || AlgorithmIdentifier::new(&oid::ID_ML_DSA_65);
    let dn = || GeneralName::DirectoryName(Name::from_der(name).unwrap());
    let values: Vec<InfoValue<'a>> = if with_values {
        vec![
            InfoValue::CaProtEncCert(Some(cert())),
            InfoValue::SignKeyPairTypes(Some(SeqOf::new(vec![
                alg(),
                AlgorithmIdentifier::new(&oid::ID_ED25519),
            ]))),
            InfoValue::EncKeyPairTypes(Some(SeqOf::new(vec![AlgorithmIdentifier::new(
                &oid::ID_ML_KEM_768,
            )]))),
            InfoValue::PreferredSymmAlg(Some(AlgorithmIdentifier::new(&ID_AES256_CBC))),
            InfoValue::CaKeyUpdateInfo(Some(CAKeyUpdAnnContent {
                old_with_new: cert(),
                new_with_old: cert(),
                new_with_new: cert(),
            })),
            InfoValue::CurrentCrl(Some(crl())),
            InfoValue::UnsupportedOids(Some(SeqOf::new(vec![asn1::oid!(1, 2, 3, 4)]))),
            InfoValue::KeyPairParamReq(Some(oid::EC_PUBLIC_KEY)),
            InfoValue::KeyPairParamRep(Some(AlgorithmIdentifier::new(&oid::EC_PUBLIC_KEY))),
            InfoValue::RevPassphrase(Some(encrypted_value())),
            InfoValue::ImplicitConfirm(Some(())),
            InfoValue::ConfirmWaitTime(Some(gt(2026, 11, 26, 12, 5, 0))),
            InfoValue::OrigPkiMessage(Some(SeqOf::new(vec![RawMessage::from_der(inner).unwrap()]))),
            InfoValue::SuppLangTags(Some(SeqOf::new(vec![
                Utf8String::new("en"),
                Utf8String::new("de"),
            ]))),
            InfoValue::CaCerts(Some(SeqOf::new(vec![cert(), cert()]))),
            InfoValue::RootCaKeyUpdate(Some(RootCaKeyUpdateContent {
                new_with_new: cert(),
                new_with_old: Some(cert()),
                old_with_new: None,
            })),
            InfoValue::CertReqTemplate(Some(CertReqTemplateContent {
                cert_template: template(name, spki),
                key_spec: Some(SeqOf::new(vec![
                    Control::new(ControlValue::AlgId(AlgorithmIdentifier::new(
                        &oid::EC_PUBLIC_KEY,
                    ))),
                    Control::new(ControlValue::RsaKeyLen(2048)),
                ])),
            })),
            InfoValue::RootCaCert(Some(cert())),
            InfoValue::CertProfile(Some(SeqOf::new(vec![Utf8String::new("tls-server")]))),
            InfoValue::CrlStatusList(Some(SeqOf::new(vec![CRLStatus {
                source: CRLSource::Issuer(SeqOf::new(vec![dn()])),
                this_update: Some(dt(2026)),
            }]))),
            InfoValue::Crls(Some(SeqOf::new(vec![crl()]))),
            InfoValue::KemCiphertextInfo(Some(KemCiphertextInfo {
                kem: AlgorithmIdentifier::new(&oid::ID_ML_KEM_768),
                ct: &[0x77; 32],
            })),
            InfoValue::Other(
                asn1::oid!(1, 2, 3, 4, 5),
                asn1::parse_single::<asn1::Tlv<'_>>(&[0x0c, 0x02, b'h', b'i']).ok(),
            ),
        ]
    } else {
        vec![
            InfoValue::CaProtEncCert(None),
            InfoValue::SignKeyPairTypes(None),
            InfoValue::EncKeyPairTypes(None),
            InfoValue::PreferredSymmAlg(None),
            InfoValue::CaKeyUpdateInfo(None),
            InfoValue::CurrentCrl(None),
            InfoValue::UnsupportedOids(None),
            InfoValue::KeyPairParamReq(None),
            InfoValue::KeyPairParamRep(None),
            InfoValue::RevPassphrase(None),
            InfoValue::ImplicitConfirm(None),
            InfoValue::ConfirmWaitTime(None),
            InfoValue::OrigPkiMessage(None),
            InfoValue::SuppLangTags(None),
            InfoValue::CaCerts(None),
            InfoValue::RootCaKeyUpdate(None),
            InfoValue::CertReqTemplate(None),
            InfoValue::RootCaCert(None),
            InfoValue::CertProfile(None),
            InfoValue::CrlStatusList(None),
            InfoValue::Crls(None),
            InfoValue::KemCiphertextInfo(None),
            InfoValue::Other(asn1::oid!(1, 2, 3, 4, 5), None),
        ]
    };
    values.into_iter().map(InfoTypeAndValue::new).collect()
}

/// A small unprotected genm with implicitConfirm, used inside `nested` and `origPKIMessage`.
pub fn inner_message() -> Vec<u8> {
    let name = name_der();
    let h = header(
        &name,
        None,
        vec![InfoTypeAndValue::new(InfoValue::ImplicitConfirm(Some(())))],
    );
    PKIMessage::new(h, PKIBody::Genm(SeqOf::new(vec![]))).encode()
}

/// One DER message per `PKIBody` alternative, in tag order, named by the alternative.
pub fn all_arms() -> Vec<(&'static str, Vec<u8>)> {
    let name = name_der();
    let spki = spki_der();
    let algs = protection_algs();
    let inner = inner_message();
    let sig = BitString::new(&[0x55; 64], 0).unwrap();
    let cert = || Certificate::from_der(CERT).unwrap();
    let crl = || CertificateList::from_der(CRL).unwrap();

    let bodies: Vec<PKIBody<'_>> = vec![
        PKIBody::Ir(cert_req(
            &name,
            &spki,
            ProofOfPossession::Signature(POPOSigningKey {
                poposk_input: None,
                algorithm_identifier: AlgorithmIdentifier::new(&oid::ECDSA_WITH_SHA256),
                signature: sig.clone(),
            }),
        )),
        PKIBody::Ip(cert_rep(status_accepted(), Some(key_pair()))),
        PKIBody::Cr(cert_req(&name, &spki, ProofOfPossession::RaVerified(()))),
        PKIBody::Cp(cert_rep(status_rejection(), None)),
        PKIBody::P10cr(CertificationRequest::from_der(CSR).unwrap()),
        PKIBody::Popdecc(SeqOf::new(vec![Challenge {
            owf: Some(AlgorithmIdentifier::new(&oid::ID_SHA256)),
            witness: &[0x99; 32],
            challenge: &[0x88; 48],
            encrypted_rand: Some(envelope()),
        }])),
        PKIBody::Popdecr(SeqOf::new(vec![
            BigInt::new(&[0x05]).unwrap(),
            BigInt::new(&[0xff]).unwrap(),
        ])),
        PKIBody::Kur(cert_req(
            &name,
            &spki,
            ProofOfPossession::KeyEncipherment(POPOPrivKey::SubsequentMessage(0)),
        )),
        PKIBody::Kup(cert_rep(
            PKIStatusInfo {
                status: PKIStatus::WAITING,
                status_string: None,
                fail_info: None,
            },
            None,
        )),
        PKIBody::Krr(cert_req(
            &name,
            &spki,
            ProofOfPossession::KeyAgreement(POPOPrivKey::ThisMessage(sig.clone())),
        )),
        PKIBody::Krp(KeyRecRepContent {
            status: status_accepted(),
            new_sig_cert: Some(cert()),
            ca_certs: Some(SeqOf::new(vec![cert()])),
            key_pair_hist: Some(SeqOf::new(vec![key_pair()])),
        }),
        PKIBody::Rr(SeqOf::new(vec![RevDetails {
            cert_details: CertTemplate {
                serial_number: Some(BigInt::new(&[0x01, 0x00]).unwrap()),
                issuer: Some(Name::from_der(&name).unwrap()),
                ..CertTemplate::default()
            },
            crl_entry_details: Some(SeqOf::new(vec![Extension {
                extn_id: (&oid::ID_CE_CRL_REASONS).into(),
                critical: false,
                extn_value: &[0x0a, 0x01, 0x01],
            }])),
        }])),
        PKIBody::Rp(RevRepContent {
            status: SeqOf::new(vec![status_accepted(), status_rejection()]),
            rev_certs: Some(SeqOf::new(vec![cert_id(&name)])),
            crls: Some(SeqOf::new(vec![crl()])),
        }),
        PKIBody::Ccr(cert_req(
            &name,
            &spki,
            ProofOfPossession::KeyEncipherment(POPOPrivKey::EncryptedKey(envelope())),
        )),
        PKIBody::Ccp(CertRepMessage {
            ca_pubs: None,
            response: SeqOf::new(vec![CertResponse {
                cert_req_id: 0,
                status: status_accepted(),
                certified_key_pair: Some(CertifiedKeyPair {
                    cert_or_enc_cert: CertOrEncCert::EncryptedCert(encrypted_value()),
                    private_key: None,
                    publication_info: None,
                }),
                rsp_info: None,
            }]),
        }),
        PKIBody::Ckuann(CAKeyUpdContent::CAKeyUpdAnnV3(RootCaKeyUpdateContent {
            new_with_new: cert(),
            new_with_old: None,
            old_with_new: Some(cert()),
        })),
        PKIBody::Cann(cert()),
        PKIBody::Rann(RevAnnContent {
            status: PKIStatus::REVOCATION_NOTIFICATION,
            cert_id: cert_id(&name),
            will_be_revoked_at: gt(2027, 1, 1, 0, 0, 0),
            bad_since_date: gt(2026, 6, 1, 0, 0, 0),
            crl_details: None,
        }),
        PKIBody::Crlann(SeqOf::new(vec![crl()])),
        PKIBody::Pkiconf(()),
        PKIBody::Nested(SeqOf::new(vec![
            RawMessage::from_der(&inner).unwrap(),
            RawMessage::from_der(&inner).unwrap(),
        ])),
        PKIBody::Genm(SeqOf::new(itavs(false, &name, &spki, &inner))),
        PKIBody::Genp(SeqOf::new(itavs(true, &name, &spki, &inner))),
        PKIBody::Error(ErrorMsgContent {
            pki_status_info: status_rejection(),
            error_code: Some(42),
            error_details: Some(SeqOf::new(vec![
                Utf8String::new("line one"),
                Utf8String::new("line \"two\""),
            ])),
        }),
        PKIBody::CertConf(SeqOf::new(vec![CertStatus {
            cert_hash: &[0xaa; 32],
            cert_req_id: 0,
            status_info: Some(status_accepted()),
            hash_alg: Some(AlgorithmIdentifier::new(&oid::ID_SHA256)),
        }])),
        PKIBody::PollReq(SeqOf::new(vec![
            PollReq { cert_req_id: 0 },
            PollReq { cert_req_id: 1 },
        ])),
        PKIBody::PollRep(SeqOf::new(vec![PollRep {
            cert_req_id: 0,
            check_after: 60,
            reason: Some(SeqOf::new(vec![Utf8String::new("busy")])),
        }])),
    ];
    assert_eq!(bodies.len(), 27, "one body per PKIBody alternative");

    bodies
        .into_iter()
        .enumerate()
        .map(|(i, body)| {
            let arm = body.name();
            // Cycle through the protection algorithms, leaving some messages unprotected.
            let alg = (i % (algs.len() + 1) < algs.len()).then(|| &algs[i % (algs.len() + 1)]);
            let general_info = if arm == "nested" {
                vec![InfoTypeAndValue::new(InfoValue::OrigPkiMessage(Some(
                    SeqOf::new(vec![RawMessage::from_der(&inner).unwrap()]),
                )))]
            } else {
                vec![]
            };
            let mut msg = PKIMessage::new(header(&name, alg, general_info), body);
            if alg.is_some() {
                msg.protection = Some(sig.clone());
            }
            if i % 2 == 0 {
                msg.extra_certs = Some(SeqOf::new(vec![cert()]));
            }
            (arm, msg.encode())
        })
        .collect()
}
