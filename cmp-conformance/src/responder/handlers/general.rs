//! genm → genp (RFC 9483 4.3): caCerts, rootCaKeyUpdate, certReqTemplate, crls; also
//! currentCRL and signKeyPairTypes. Other info types are echoed without a value.

use std::time::SystemTime;

use cmp_codec::common::AlgorithmIdentifier;
use cmp_codec::crmf::{CertTemplate, Control, ControlValue};
use cmp_codec::itav::{
    CRLSource, CertReqTemplateContent, InfoTypeAndValue, InfoValue, RootCaKeyUpdateContent,
};
use cmp_codec::raw::{Certificate, CertificateList, Name};
use cmp_codec::{GeneralName, PKIBody, PKIMessage, SeqOf};

use super::super::errors::{bad_request, Reject};
use super::super::faults::Fault;
use super::super::protect::{BodyKind, Outgoing};
use super::super::validate::same_name;
use super::super::Inner;
use cmp_codec::der::tlv;

/// `ecPublicKey` with namedCurve secp256r1, as AlgorithmIdentifier DER.
const EC_P256: &[u8] = &[
    0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, 0x86, 0x48,
    0xce, 0x3d, 0x03, 0x01, 0x07,
];
/// `ecPublicKey` with namedCurve secp384r1.
const EC_P384: &[u8] = &[
    0x30, 0x10, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x05, 0x2b, 0x81, 0x04,
    0x00, 0x22,
];
/// `id-Ed25519`.
const ED25519: &[u8] = &[0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70];
/// `rsaEncryption` with NULL parameters.
const RSA: &[u8] = &[
    0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00,
];

fn alg(der: &'static [u8]) -> Option<AlgorithmIdentifier<'static>> {
    asn1::parse_single::<AlgorithmIdentifier<'static>>(der).ok()
}

fn unix(t: SystemTime) -> i64 {
    t.duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

fn time_unix(t: &cmp_codec::common::Time) -> i64 {
    let dt = match t {
        cmp_codec::common::Time::UtcTime(u) => u.as_datetime().clone(),
        cmp_codec::common::Time::GeneralTime(g) => g.as_datetime().clone(),
    };
    cmp_codec::UtcDateTime {
        year: dt.year(),
        month: dt.month(),
        day: dt.day(),
        hour: dt.hour(),
        minute: dt.minute(),
        second: dt.second(),
    }
    .unix_seconds()
}

impl Inner {
    fn genm_answer(&mut self, msg: &PKIMessage<'_>) -> Result<Vec<u8>, Reject> {
        let PKIBody::Genm(itavs) = &msg.body else {
            return Err(bad_request("not a genm"));
        };
        let (true, Some(itav)) = (
            itavs.len() == 1 || (self.has(Fault::Gen01) && !itavs.is_empty()),
            itavs.get(0),
        ) else {
            return Err(bad_request(
                "genm must hold exactly one InfoTypeAndValue (RFC 9483 4.3)",
            ));
        };
        let issuing = self.creds.issuing.der.clone();
        let root = self.creds.root.der.clone();
        let update = self.root_update.clone();
        let mut crl: Option<(Vec<u8>, SystemTime)> = None;
        // The name the template proposes: the vectors' O and C, and an empty CN to fill in.
        let template_subject = tlv(
            0x30,
            &[
                tlv(
                    0x31,
                    &tlv(
                        0x30,
                        &[&[0x06, 0x03, 0x55, 0x04, 0x06][..], &tlv(0x13, b"XX")].concat(),
                    ),
                ),
                tlv(
                    0x31,
                    &tlv(
                        0x30,
                        &[
                            &[0x06, 0x03, 0x55, 0x04, 0x0a][..],
                            &tlv(0x0c, b"CMP Test Vectors"),
                        ]
                        .concat(),
                    ),
                ),
                tlv(
                    0x31,
                    &tlv(
                        0x30,
                        &[&[0x06, 0x03, 0x55, 0x04, 0x03][..], &tlv(0x0c, b"")].concat(),
                    ),
                ),
            ]
            .concat(),
        );
        let value: InfoValue<'_> = match &itav.info_value {
            InfoValue::CaCerts(None) => InfoValue::CaCerts(
                Certificate::from_der(&issuing)
                    .ok()
                    .map(|c| SeqOf::new(vec![c])),
            ),
            InfoValue::CaCerts(Some(_)) if self.has(Fault::Gen10) => InfoValue::CaCerts(
                Certificate::from_der(&issuing)
                    .ok()
                    .map(|c| SeqOf::new(vec![c])),
            ),
            InfoValue::CaCerts(Some(_)) => {
                return Err(bad_request("a caCerts request carries no value"))
            }
            InfoValue::RootCaCert(_) => InfoValue::RootCaKeyUpdate(None),
            InfoValue::CertReqTemplate(None) => InfoValue::CertReqTemplate(None),
            InfoValue::CertReqTemplate(Some(_)) if self.has(Fault::Gen30) => {
                InfoValue::CertReqTemplate(None)
            }
            InfoValue::CertReqTemplate(Some(_)) => {
                return Err(bad_request("a certReqTemplate request carries no value"))
            }
            InfoValue::CrlStatusList(None) if self.has(Fault::Gen40) => {
                crl = Some(
                    self.ca
                        .crl(&self.creds)
                        .map_err(|e| Reject::new(cmp_codec::FailureBit::SystemFailure, e))?,
                );
                InfoValue::Crls(None)
            }
            InfoValue::CrlStatusList(None) => {
                return Err(bad_request("crlStatusList must hold one CRLStatus"))
            }
            InfoValue::CrlStatusList(Some(list)) => {
                let (true, Some(status)) = (list.len() == 1, list.get(0)) else {
                    return Err(bad_request("crlStatusList must hold exactly one CRLStatus"));
                };
                let ours = match &status.source {
                    CRLSource::Issuer(names) => names.iter().any(|n| {
                        matches!(n, GeneralName::DirectoryName(d)
                            if same_name(d.der(), &self.creds.issuing.subject_der))
                    }),
                    CRLSource::Dpn(_) => false,
                };
                if !ours {
                    return Err(bad_request("this server has no CRL from that source"));
                }
                let c = self
                    .ca
                    .crl(&self.creds)
                    .map_err(|e| Reject::new(cmp_codec::FailureBit::SystemFailure, e))?;
                let newer = status
                    .this_update
                    .as_ref()
                    .is_none_or(|t| unix(c.1) > time_unix(t));
                crl = newer.then_some(c);
                InfoValue::Crls(None)
            }
            InfoValue::CurrentCrl(_) => {
                crl = Some(
                    self.ca
                        .crl(&self.creds)
                        .map_err(|e| Reject::new(cmp_codec::FailureBit::SystemFailure, e))?,
                );
                InfoValue::CurrentCrl(None)
            }
            InfoValue::SignKeyPairTypes(_) => InfoValue::SignKeyPairTypes(Some(SeqOf::new(
                [EC_P256, EC_P384, RSA, ED25519]
                    .into_iter()
                    .filter_map(alg)
                    .collect(),
            ))),
            _ => InfoValue::Other(itav.info_type(), None),
        };
        // Values that borrow from locals are filled in here.
        let value = match value {
            InfoValue::RootCaKeyUpdate(None) => {
                let about_ours = match &itav.info_value {
                    InfoValue::RootCaCert(old) => old.is_none_or(|c| c.der() == root.as_slice()),
                    _ => true,
                };
                match (&update, about_ours) {
                    (Some(u), true) => InfoValue::RootCaKeyUpdate(
                        match (
                            Certificate::from_der(&u.new_with_new),
                            Certificate::from_der(&u.new_with_old),
                            Certificate::from_der(&u.old_with_new),
                        ) {
                            (Ok(a), Ok(b), Ok(c)) => Some(RootCaKeyUpdateContent {
                                new_with_new: a,
                                new_with_old: (!self.has(Fault::Gen22)).then_some(b),
                                old_with_new: Some(c),
                            }),
                            _ => None,
                        },
                    ),
                    _ => InfoValue::RootCaKeyUpdate(None),
                }
            }
            other => other,
        };
        let template_name = Name::from_der(&template_subject).ok();
        let empty = [0x30u8, 0x00];
        let empty_seq = asn1::parse_single::<asn1::Tlv<'_>>(&empty).ok();
        let rsa_len = if self.has(Fault::Gen34) { 0 } else { 2048 };
        let mut key_spec: Vec<Control<'_>> = [EC_P256, ED25519]
            .into_iter()
            .filter_map(alg)
            .map(|a| Control::new(ControlValue::AlgId(a)))
            .chain(std::iter::once(Control::new(ControlValue::RsaKeyLen(
                rsa_len,
            ))))
            .collect();
        if self.has(Fault::Gen33) {
            key_spec.push(Control::new(ControlValue::RegToken(asn1::Utf8String::new(
                "fault-GEN-33",
            ))));
        }
        let own_spki = self.creds.server.spki_der.clone();
        let serial = [0x01u8];
        let value = match value {
            InfoValue::CertReqTemplate(_) if self.has(Fault::Gen31) => InfoValue::CaCerts(None),
            InfoValue::CertReqTemplate(None) => {
                let mut template = CertTemplate {
                    subject: template_name,
                    ..CertTemplate::default()
                };
                if self.has(Fault::Gen32) {
                    template.public_key = asn1::parse_single(&own_spki).ok();
                    template.serial_number = asn1::BigInt::new(&serial);
                }
                InfoValue::CertReqTemplate(Some(CertReqTemplateContent {
                    cert_template: template,
                    key_spec: Some(SeqOf::new(key_spec)),
                }))
            }
            InfoValue::Crls(None) if self.has(Fault::Gen41) => InfoValue::CurrentCrl(
                crl.as_ref()
                    .and_then(|(d, _)| CertificateList::from_der(d).ok()),
            ),
            InfoValue::Crls(None) => InfoValue::Crls(
                crl.as_ref()
                    .and_then(|(d, _)| CertificateList::from_der(d).ok())
                    .map(|c| {
                        let mut v = vec![c];
                        if self.has(Fault::Gen43) {
                            v.push(c);
                        }
                        SeqOf::new(v)
                    }),
            ),
            InfoValue::CaCerts(Some(_)) if self.has(Fault::Gen11) => {
                InfoValue::Other(cmp_codec::oid::ID_IT_CA_CERTS, empty_seq)
            }
            InfoValue::RootCaKeyUpdate(_) if self.has(Fault::Gen21) => {
                InfoValue::RootCaCert(Certificate::from_der(&root).ok())
            }
            InfoValue::CurrentCrl(None) => InfoValue::CurrentCrl(
                crl.as_ref()
                    .and_then(|(d, _)| CertificateList::from_der(d).ok()),
            ),
            other => other,
        };
        let mut items = vec![InfoTypeAndValue::new(value)];
        if self.has(Fault::Gen02) {
            items.push(InfoTypeAndValue::new(InfoValue::Other(
                itav.info_type(),
                None,
            )));
        }
        let body = PKIBody::Genp(SeqOf::new(items));
        Ok(asn1::write_single(&body).unwrap_or_default())
    }

    /// Handle a genm: a genp, or an error message.
    pub(crate) fn general(&mut self, msg: &PKIMessage<'_>) -> Outgoing {
        match self.genm_answer(msg) {
            Ok(body) => Outgoing::new(body, BodyKind::Other),
            Err(rej) => self.error_message_body(&rej),
        }
    }
}
