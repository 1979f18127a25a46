//! certConf → pkiConf (RFC 9483 4.1.1, RFC 9810 5.3.18).

use cmp_codec::protection::{cert_hash, verify_cert_hash, ProtectionError};
use cmp_codec::{PKIBody, PKIMessage, PKIStatus};

use super::super::credentials::CertInfo;
use super::super::errors::{bad_cert_id, bad_request, Reject};
use super::super::faults::Fault;
use super::super::protect::Outgoing;
use super::super::transactions::{EnrollKind, Phase, Transaction};
use super::super::Inner;

impl Inner {
    /// Handle a certConf in the operation `t`.
    pub(crate) fn confirm(
        &mut self,
        msg: &PKIMessage<'_>,
        t: &Transaction,
    ) -> Result<(Outgoing, Phase), Reject> {
        let (cert_der, cert_req_id, kind) = match &t.phase {
            Phase::AwaitingConfirm {
                cert_der,
                cert_req_id,
                kind,
                ..
            } => (cert_der, *cert_req_id, *kind),
            Phase::Expired => {
                return Err(bad_request(
                    "certConf came after confirmWaitTime; the certificate was revoked",
                ))
            }
            Phase::Waiting(_) => return Err(bad_request("no certificate was delivered yet")),
            // IR-11: after a rejection; VAL-07: after pkiConf (the operation is over).
            Phase::Done if self.has(Fault::Ir11) || self.has(Fault::Val07) => {
                return Ok((self.pkiconf(), Phase::Done))
            }
            Phase::Done => return Err(bad_request("no certificate awaits confirmation")),
        };
        // The failInfo for a certConf naming the wrong certificate.
        let ra13 = self.has(Fault::Ra13);
        let cert_id = move |text: String| {
            if ra13 {
                bad_request(text)
            } else {
                bad_cert_id(text)
            }
        };
        let PKIBody::CertConf(statuses) = &msg.body else {
            return Err(bad_request("not a certConf"));
        };
        if statuses.len() != 1 && !self.has(Fault::Conf01) {
            return Err(bad_request(
                "certConf must hold exactly one CertStatus (RFC 9483 4.1.1)",
            ));
        }
        let Some(st) = statuses.get(0) else {
            // CONF-01 fault: an empty certConf is taken as acceptance.
            return Ok((self.pkiconf(), Phase::Done));
        };
        if st.status_info.is_none() && self.has(Fault::Conf04) {
            return Err(bad_request("certConf must carry statusInfo"));
        }
        if st.hash_alg.is_some() && self.has(Fault::Conf07) {
            return Err(bad_request("hashAlg in certConf is not accepted"));
        }
        // After p10cr, RFC 9483 keeps certReqId 0 in certConf; an erratum proposes -1.
        let id_ok = if kind == EnrollKind::P10cr && self.has(Fault::P1004) {
            st.cert_req_id == -1
        } else {
            st.cert_req_id == cert_req_id
                || (kind == EnrollKind::P10cr && (st.cert_req_id == 0 || st.cert_req_id == -1))
        };
        if !id_ok && !self.has(Fault::Conf03) {
            return Err(cert_id(format!(
                "certReqId {} names no certificate of this operation",
                st.cert_req_id
            )));
        }
        let status = st.status_info.as_ref();
        let accepted = match status.map(|s| s.status) {
            None | Some(PKIStatus::ACCEPTED) => true,
            Some(PKIStatus::REJECTION) => false,
            Some(_) if self.has(Fault::Conf05) => true,
            Some(other) => {
                return Err(bad_request(format!(
                    "certConf status must be accepted or rejection, not {}",
                    other.name().unwrap_or("an unknown value")
                )))
            }
        };
        if accepted {
            if status.is_some_and(|s| s.fail_info.is_some()) && !self.has(Fault::Conf06) {
                return Err(bad_request("failInfo must be absent with status accepted"));
            }
            let checked = match verify_cert_hash(&st, msg.header.pvno, cert_der) {
                Err(ProtectionError::HashAlgRequiresPvno3 { .. }) if self.has(Fault::Hdr02) => {
                    match cert_hash(cert_der, st.hash_alg.as_ref()) {
                        Ok(h) if h == st.cert_hash => Ok(()),
                        _ => Err(cert_id("certHash does not match".to_string())),
                    }
                }
                Err(ProtectionError::HashAlgRequiresPvno3 { .. }) => {
                    Err(bad_request("hashAlg in certConf requires pvno 3"))
                }
                Err(other) => Err(cert_id(format!("certHash does not match: {other}"))),
                Ok(()) => Ok(()),
            };
            if !self.has(Fault::Conf02) {
                checked?;
            }
            if self.has(Fault::Ir08) {
                return Err(bad_request("certConf refused (fault IR-08)"));
            }
            if self.has(Fault::Enr04) {
                // The operation stays open: the same certConf is accepted again.
                return Ok((self.pkiconf(), t.phase.clone()));
            }
        } else {
            // The client does not want the certificate: revoke it.
            if let Ok(info) = CertInfo::from_der(cert_der) {
                self.ca.revoke(&info.serial, None);
            }
            if self.has(Fault::Err03) {
                return Err(bad_request("rejecting certConf refused (fault ERR-03)"));
            }
        }
        Ok((self.pkiconf(), Phase::Done))
    }
}
