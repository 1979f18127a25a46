//! ir, cr, kur, p10cr → ip, cp, kup, cp (RFC 9483 4.1.1 to 4.1.4). Problems in the body are
//! answered in the certificate response with status rejection (RFC 9483 3.6.2).

use std::time::{Instant, SystemTime};

use cmp_codec::body::{CertOrEncCert, CertRepMessage, CertResponse, CertifiedKeyPair};
use cmp_codec::crmf::{ControlValue, EncryptedKey, ProofOfPossession};
use cmp_codec::protection::{verify_p10cr, verify_popo, ProtectionError};
use cmp_codec::raw::Certificate;
use cmp_codec::{FailureBit, PKIBody, PKIFailureInfo, PKIMessage, PKIStatus, PKIStatusInfo};
use cmp_codec::{GeneralName, SeqOf};
use der::{Decode as _, Encode as _};

use super::super::ca::{norm_serial, IssueRequest};
use super::super::errors::{
    bad_cert_id, bad_cert_template, bad_data_format, bad_pop, bad_request, not_authorized, Reject,
};
use super::super::faults::Fault;
use super::super::kga::CkgPlan;
use super::super::protect::{BodyKind, Outgoing};
use super::super::transactions::{EnrollKind, Held, Phase};
use super::super::validate::{same_name, verify_options, Auth};
use super::super::{CaPubs, Inner};

const ID_CE_SUBJECT_ALT_NAME: &str = "2.5.29.17";
const ID_CE_EXT_KEY_USAGE: &str = "2.5.29.37";
const ID_EXTENSION_REQUEST: &str = "1.2.840.113549.1.9.14";

/// What a certificate response says.
pub(crate) enum Content<'c> {
    Accepted(&'c [u8]),
    Rejected(&'c Reject),
    Waiting,
}

/// The response body for a request kind (after the faults that swap it).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Arm {
    Ip,
    Cp,
    Kup,
}

fn cert_pair(der: &[u8]) -> Option<CertifiedKeyPair<'_>> {
    Certificate::from_der(der).ok().map(|c| CertifiedKeyPair {
        cert_or_enc_cert: CertOrEncCert::Certificate(c),
        private_key: None,
        publication_info: None,
    })
}

/// Whether the key in a DER SubjectPublicKeyInfo is of a type we certify.
fn supported_key(spki_der: &[u8]) -> Result<(), Reject> {
    let spki = x509_cert::spki::SubjectPublicKeyInfoOwned::from_der(spki_der)
        .map_err(|e| bad_cert_template(format!("publicKey does not decode: {e}")))?;
    let alg = spki.algorithm.oid.to_string();
    let curve_ok = || {
        spki.algorithm
            .parameters
            .as_ref()
            .and_then(|p| p.decode_as::<x509_cert::spki::ObjectIdentifier>().ok())
            .map(|c| c.to_string())
            .is_some_and(|c| {
                ["1.2.840.10045.3.1.7", "1.3.132.0.34", "1.3.132.0.35"].contains(&c.as_str())
            })
    };
    let ok = match alg.as_str() {
        "1.2.840.10045.2.1" => curve_ok(),
        "1.2.840.113549.1.1.1" | "1.3.101.112" | "1.3.101.113" => true,
        "2.16.840.1.101.3.4.3.17" | "2.16.840.1.101.3.4.3.18" | "2.16.840.1.101.3.4.3.19" => true,
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(bad_cert_template(format!(
            "public key algorithm {alg} (or its curve) is not supported"
        )))
    }
}

const EMPTY_NAME: &[u8] = &[0x30, 0x00];

/// The "EnvelopedData" of the `IR-29` fault: not real CMS, only something in the field.
const DUMMY_ENVELOPED: &[u8] = &[0x30, 0x03, 0x02, 0x01, 0x00];

impl Inner {
    /// Check a CRMF request (ir, cr, kur): the certReqId and what to issue.
    fn check_crmf(
        &self,
        msg: &PKIMessage<'_>,
        auth: &Auth,
        kind: EnrollKind,
        ckg: Option<&CkgPlan>,
    ) -> (i64, Result<IssueRequest, Reject>) {
        let reqs = match &msg.body {
            PKIBody::Ir(r) | PKIBody::Cr(r) | PKIBody::Kur(r) => r,
            _ => return (0, Err(bad_request("not a CRMF request"))),
        };
        let Some(req) = reqs.get(0) else {
            return (0, Err(bad_request("no CertReqMsg")));
        };
        let id = req.cert_req.cert_req_id;
        if reqs.len() != 1 && !self.has(Fault::Ir02) {
            return (
                id,
                Err(bad_request(
                    "exactly one CertReqMsg is allowed (RFC 9483 4.1.1)",
                )),
            );
        }
        if id != 0 && !self.has(Fault::Ir12) {
            return (id, Err(bad_request("certReqId must be 0")));
        }
        let t = &req.cert_req.cert_template;
        let check = || -> Result<IssueRequest, Reject> {
            if let Some(v) = t.version {
                if v != 2 && !self.has(Fault::Ir13) {
                    return Err(bad_cert_template("certTemplate version must be v3 (2)"));
                }
            }
            let spki_der = match ckg {
                // Central key generation (RFC 9483 4.1.6): the KGA's key, no POP.
                Some(plan) => plan.key.spki_der.clone(),
                None => {
                    let spki = t
                        .public_key
                        .as_ref()
                        .ok_or_else(|| bad_cert_template("publicKey is missing"))?;
                    spki.to_der()
                }
            };
            supported_key(&spki_der)?;
            // Proof of possession.
            match &req.popo {
                // Central key generation: no POP (checked in ckg_prepare).
                _ if ckg.is_some() => {}
                Some(ProofOfPossession::RaVerified(_)) if self.has(Fault::Ra07) => {}
                Some(ProofOfPossession::RaVerified(_)) => {
                    if !self.config.accept_ra_verified {
                        return Err(bad_pop("POP raVerified is not accepted"));
                    }
                    match auth {
                        Auth::Sig(s) if s.cmc_ra => {}
                        _ if self.ra_approved => {}
                        _ => {
                            return Err(not_authorized(
                                "raVerified only from a requester with an RA (cmcRA) certificate",
                            ))
                        }
                    }
                }
                Some(ProofOfPossession::Signature(sk))
                    if sk.poposk_input.is_some() && !self.has(Fault::Ir19) =>
                {
                    return Err(bad_pop("poposkInput must not be used (RFC 9483 4.1.1)"))
                }
                None if self.has(Fault::Ir17) => {}
                None => return Err(bad_pop("POP is missing")),
                Some(_) => match verify_popo(msg, &verify_options()) {
                    Ok(_) => {}
                    Err(ProtectionError::SignatureInvalid { .. }) if self.has(Fault::Ir21) => {}
                    Err(
                        ProtectionError::KeyMismatch { .. }
                        | ProtectionError::UnknownAlgorithm { .. }
                        | ProtectionError::BadParameters { .. }
                        | ProtectionError::WeakAlgorithm { .. },
                    ) if self.has(Fault::Ir20) => {}
                    Err(ProtectionError::PopNotVerifiable { .. }) if self.has(Fault::Ir19) => {}
                    Err(e) => return Err(bad_pop(format!("POP does not verify: {e}"))),
                },
            }
            let mut san = None;
            let mut eku = None;
            for e in t.extensions.iter().flat_map(|x| x.iter()) {
                let id = e.extn_id.to_string();
                if id == ID_CE_SUBJECT_ALT_NAME {
                    san = Some((e.extn_value.to_vec(), e.critical));
                } else if id == ID_CE_EXT_KEY_USAGE {
                    eku = Some(e.extn_value.to_vec());
                }
            }
            // RFC 9483 4.1.2: cr is for an EE that already holds a certificate of this PKI;
            // one the CA did not issue itself (an IDevID, another PKI's) is refused.
            if let (EnrollKind::Cr, Auth::Sig(s)) = (kind, auth) {
                let ours = self.ca.issued(&s.cert.serial) == Some(s.cert.der.as_slice());
                if !ours && !self.has(Fault::Cr01) {
                    return Err(not_authorized(
                        "cr must be signed with a certificate this CA issued (RFC 9483 4.1.2)",
                    ));
                }
            }
            let mut subject_der = t.subject.map(|n| n.der().to_vec());
            if kind == EnrollKind::Kur {
                let Auth::Sig(signer) = auth else {
                    return Err(super::super::errors::wrong_integrity(
                        "kur must be signed with the certificate to be updated",
                    ));
                };
                let old = &signer.cert;
                let kur04 = self.has(Fault::Kur04);
                if old.issuer_der != self.creds.issuing.subject_der && !kur04 {
                    return Err(not_authorized(
                        "kur must be signed with the certificate to be updated, issued by this CA",
                    ));
                }
                let mut has_old_cert_id = false;
                for c in req.cert_req.controls.iter().flat_map(|c| c.iter()) {
                    if let ControlValue::OldCertId(cid) = &c.value {
                        has_old_cert_id = true;
                        let issuer_ok = matches!(&cid.issuer,
                            GeneralName::DirectoryName(n) if same_name(n.der(), &old.issuer_der));
                        if (!issuer_ok
                            || norm_serial(cid.serial_number.as_bytes())
                                != norm_serial(&old.serial))
                            && !kur04
                        {
                            return Err(bad_cert_id(
                                "oldCertID does not name the certificate that signed the kur",
                            ));
                        }
                    }
                }
                if !has_old_cert_id && self.has(Fault::Kur07) {
                    return Err(bad_request("kur without oldCertID (fault KUR-07)"));
                }
                match &subject_der {
                    Some(s)
                        if !same_name(s, &old.subject_der) && !self.has(Fault::Kur05) && !kur04 =>
                    {
                        return Err(bad_cert_template(
                            "kur must keep the subject of the certificate to be updated",
                        ))
                    }
                    Some(_) => {}
                    None => subject_der = Some(old.subject_der.clone()),
                }
            }
            let subject_der = subject_der.unwrap_or_else(|| EMPTY_NAME.to_vec());
            if subject_der == EMPTY_NAME && san.is_none() && !self.has(Fault::Enr05) {
                return Err(bad_cert_template(
                    "the template names no subject and no subjectAltName",
                ));
            }
            x509_cert::name::Name::from_der(&subject_der)
                .map_err(|e| bad_cert_template(format!("subject does not decode: {e}")))?;
            Ok(IssueRequest {
                subject_der,
                spki_der,
                san,
                eku,
            })
        };
        (id, check())
    }

    /// Check a p10cr.
    fn check_p10cr(&self, msg: &PKIMessage<'_>) -> Result<IssueRequest, Reject> {
        let PKIBody::P10cr(csr) = &msg.body else {
            return Err(bad_request("not a p10cr"));
        };
        let req = csr
            .to_x509()
            .map_err(|e| bad_data_format(format!("the PKCS#10 request does not decode: {e}")))?;
        if let Err(e) = verify_p10cr(msg, &verify_options()) {
            if !self.has(Fault::P1009) {
                return Err(bad_pop(format!(
                    "the PKCS#10 self-signature does not verify: {e}"
                )));
            }
        }
        let info = &req.info;
        let subject_der = info
            .subject
            .to_der()
            .map_err(|e| bad_cert_template(e.to_string()))?;
        let spki_der = info
            .public_key
            .to_der()
            .map_err(|e| bad_cert_template(e.to_string()))?;
        supported_key(&spki_der)?;
        let mut san = None;
        let mut eku = None;
        for attr in info.attributes.iter() {
            if attr.oid.to_string() != ID_EXTENSION_REQUEST {
                continue;
            }
            for v in attr.values.iter() {
                let Ok(bytes) = v.to_der() else { continue };
                let Ok(exts) = Vec::<x509_cert::ext::Extension>::from_der(&bytes) else {
                    continue;
                };
                for e in exts {
                    let id = e.extn_id.to_string();
                    if id == ID_CE_SUBJECT_ALT_NAME {
                        san = Some((e.extn_value.as_bytes().to_vec(), e.critical));
                    } else if id == ID_CE_EXT_KEY_USAGE {
                        eku = Some(e.extn_value.as_bytes().to_vec());
                    }
                }
            }
        }
        if subject_der == EMPTY_NAME && san.is_none() && !self.has(Fault::Enr05) {
            return Err(bad_cert_template(
                "the CSR names no subject and no subjectAltName",
            ));
        }
        Ok(IssueRequest {
            subject_der,
            spki_der,
            san,
            eku,
        })
    }

    /// Handle ir, cr, kur, p10cr.
    pub(crate) fn enroll(
        &mut self,
        msg: &PKIMessage<'_>,
        auth: &Auth,
        kind: EnrollKind,
    ) -> (Outgoing, Phase) {
        let ckg = match kind {
            EnrollKind::P10cr => None,
            _ => self.ckg_prepare(msg, auth),
        };
        let (cert_req_id, checked) = match (kind, &ckg) {
            (EnrollKind::P10cr, _) => (-1, self.check_p10cr(msg)),
            (_, Some(Err(rej))) => (self.check_crmf(msg, auth, kind, None).0, Err(rej.clone())),
            (_, Some(Ok(plan))) => self.check_crmf(msg, auth, kind, Some(plan)),
            (_, None) => self.check_crmf(msg, auth, kind, None),
        };
        let checked = match checked {
            Ok(_) if self.has(Fault::Ra09) => Err(bad_request("request refused (fault RA-09)")),
            other => other,
        };
        let issued = checked.and_then(|req| {
            self.ca
                .issue(&self.creds, &req)
                .map_err(|e| Reject::new(FailureBit::SystemFailure, format!("issuing failed: {e}")))
        });
        // The KGA's privateKey envelope for the certificate (RFC 9483 4.1.6).
        let issued = match (issued, &ckg) {
            (Ok(cert), Some(Ok(plan))) => match self.kga_envelope(&plan.key, &plan.recipient) {
                Ok(env) => {
                    if self.ckg_envelopes.len() >= 1024 {
                        self.ckg_envelopes.clear();
                    }
                    self.ckg_envelopes.insert(cert.clone(), env);
                    Ok(cert)
                }
                Err(e) => Err(Reject::new(
                    FailureBit::SystemFailure,
                    format!("packing the generated key failed: {e}"),
                )),
            },
            (other, _) => other,
        };
        let cert_der = match issued {
            Ok(c) => c,
            Err(rej) if self.has(Fault::Err06) => {
                return (self.error_message_body(&rej), Phase::Done);
            }
            Err(rej) => {
                return (
                    self.cert_rep(kind, cert_req_id, Content::Rejected(&rej), false),
                    Phase::Done,
                )
            }
        };
        let ca_pubs = match self.config.ca_pubs {
            CaPubs::Never => false,
            CaPubs::MacOnly => matches!(auth, Auth::Mac(_)),
            CaPubs::Always => true,
        };
        let implicit = msg.header.implicit_confirm() && self.config.implicit_confirm;
        if self.config.poll_count > 0 {
            let out = self.cert_rep(kind, cert_req_id, Content::Waiting, false);
            let held = Held {
                kind,
                cert_req_id,
                cert_der,
                implicit,
                ca_pubs,
                polls_left: self.config.poll_count - 1,
                first_poll_nonce: None,
            };
            return (out, Phase::Waiting(held));
        }
        self.deliver(kind, cert_req_id, cert_der, implicit, ca_pubs)
    }

    /// The positive certificate response and the phase after it.
    pub(crate) fn deliver(
        &self,
        kind: EnrollKind,
        cert_req_id: i64,
        cert_der: Vec<u8>,
        implicit: bool,
        ca_pubs: bool,
    ) -> (Outgoing, Phase) {
        let mut out = self.cert_rep(kind, cert_req_id, Content::Accepted(&cert_der), ca_pubs);
        out.extra_certs = vec![self.creds.issuing.der.clone()];
        if self.config.root_in_ip_extra_certs && kind == EnrollKind::Ir {
            out.extra_certs.push(self.creds.root.der.clone());
        }
        if implicit {
            out.implicit_confirm = true;
            return (out, Phase::Done);
        }
        let wait = self.config.confirm_wait;
        out.confirm_wait = Some(SystemTime::now() + wait);
        (
            out,
            Phase::AwaitingConfirm {
                cert_der,
                cert_req_id,
                kind,
                deadline: Instant::now() + wait,
            },
        )
    }

    /// An ip, cp or kup body (with the faults that break it).
    pub(crate) fn cert_rep(
        &self,
        kind: EnrollKind,
        cert_req_id: i64,
        content: Content<'_>,
        ca_pubs: bool,
    ) -> Outgoing {
        let arm = match kind {
            EnrollKind::Ir if self.has(Fault::Cr02) => Arm::Cp,
            EnrollKind::Ir => Arm::Ip,
            EnrollKind::Cr if self.has(Fault::Cr02) => Arm::Ip,
            EnrollKind::Cr => Arm::Cp,
            EnrollKind::Kur if self.has(Fault::Kur03) => Arm::Cp,
            EnrollKind::Kur => Arm::Kup,
            EnrollKind::P10cr if self.has(Fault::P1002) => Arm::Ip,
            EnrollKind::P10cr => Arm::Cp,
        };
        let id = if kind == EnrollKind::P10cr && self.has(Fault::P1003) {
            0
        } else {
            cert_req_id
        };
        let server_cert = Certificate::from_der(&self.creds.server.der).ok();
        let accepted = matches!(content, Content::Accepted(_));
        let response = match &content {
            Content::Accepted(der) => {
                let mut status = PKIStatusInfo::accepted();
                if self.has(Fault::Ir26) {
                    status.status = PKIStatus::REVOCATION_WARNING;
                }
                if self.has(Fault::Ir27) {
                    status.fail_info = Some(PKIFailureInfo::from_bits(&[FailureBit::BadRequest]));
                }
                let mut ckp = cert_pair(der);
                if let (Some(c), Some(env)) = (&mut ckp, self.ckg_envelopes.get(*der)) {
                    if !self.has(Fault::Ckg06) {
                        c.private_key = asn1::parse_single::<asn1::Sequence<'_>>(env)
                            .ok()
                            .map(EncryptedKey::EnvelopedData);
                    }
                }
                if self.has(Fault::Ir29) {
                    if let Some(c) = &mut ckp {
                        c.private_key = asn1::parse_single::<asn1::Sequence<'_>>(DUMMY_ENVELOPED)
                            .ok()
                            .map(EncryptedKey::EnvelopedData);
                    }
                }
                if self.has(Fault::Ir28) {
                    ckp = None;
                }
                CertResponse {
                    cert_req_id: id,
                    status,
                    certified_key_pair: ckp,
                    rsp_info: None,
                }
            }
            Content::Rejected(rej) => CertResponse {
                cert_req_id: id,
                status: self.reject_info(rej),
                certified_key_pair: if self.has(Fault::Ir10) {
                    server_cert.map(|c| CertifiedKeyPair {
                        cert_or_enc_cert: CertOrEncCert::Certificate(c),
                        private_key: None,
                        publication_info: None,
                    })
                } else {
                    None
                },
                rsp_info: None,
            },
            Content::Waiting => CertResponse {
                cert_req_id: id,
                status: PKIStatusInfo {
                    status: PKIStatus::WAITING,
                    status_string: None,
                    fail_info: self
                        .has(Fault::Poll07)
                        .then(|| PKIFailureInfo::from_bits(&[FailureBit::SystemUnavail])),
                },
                certified_key_pair: None,
                rsp_info: None,
            },
        };
        let mut responses = vec![response.clone()];
        if self.has(Fault::Ir25) {
            responses.push(response);
        }
        let want_ca_pubs = accepted
            && match arm {
                Arm::Ip => ca_pubs || self.has(Fault::Ir24),
                Arm::Cp => self.has(Fault::Cr03),
                Arm::Kup => self.has(Fault::Kur08),
            };
        let mut pubs = Vec::new();
        if want_ca_pubs {
            if let Ok(c) = Certificate::from_der(&self.creds.root.der) {
                pubs.push(c);
            }
            if self.has(Fault::Ir24) {
                if let Ok(c) = Certificate::from_der(&self.creds.issuing.der) {
                    pubs.push(c);
                }
            }
        }
        let rep = CertRepMessage {
            ca_pubs: (!pubs.is_empty()).then(|| SeqOf::new(pubs)),
            response: SeqOf::new(responses),
        };
        let body = match arm {
            Arm::Ip => PKIBody::Ip(rep),
            Arm::Cp => PKIBody::Cp(rep),
            Arm::Kup => PKIBody::Kup(rep),
        };
        let mut out = Outgoing::new(
            asn1::write_single(&body).unwrap_or_default(),
            BodyKind::CertRep,
        );
        out.waiting = matches!(content, Content::Waiting);
        out
    }
}
