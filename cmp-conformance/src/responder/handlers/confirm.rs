//! certConf → pkiConf (RFC 9483 4.1.1, RFC 9810 5.3.18).

use cmp_codec::protection::{verify_cert_hash, ProtectionError};
use cmp_codec::{PKIBody, PKIMessage, PKIStatus};

use super::super::credentials::CertInfo;
use super::super::errors::{bad_cert_id, bad_request, Reject};
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
            Phase::Done => return Err(bad_request("no certificate awaits confirmation")),
        };
        let PKIBody::CertConf(statuses) = &msg.body else {
            return Err(bad_request("not a certConf"));
        };
        if statuses.len() != 1 {
            return Err(bad_request(
                "certConf must hold exactly one CertStatus (RFC 9483 4.1.1)",
            ));
        }
        let Some(st) = statuses.get(0) else {
            return Err(bad_request("empty certConf"));
        };
        // After p10cr, RFC 9483 keeps certReqId 0 in certConf; an erratum proposes -1.
        let id_ok = st.cert_req_id == cert_req_id
            || (kind == EnrollKind::P10cr && (st.cert_req_id == 0 || st.cert_req_id == -1));
        if !id_ok {
            return Err(bad_cert_id(format!(
                "certReqId {} names no certificate of this operation",
                st.cert_req_id
            )));
        }
        let status = st.status_info.as_ref();
        match status.map(|s| s.status) {
            None | Some(PKIStatus::ACCEPTED) => {
                if status.is_some_and(|s| s.fail_info.is_some()) {
                    return Err(bad_request("failInfo must be absent with status accepted"));
                }
                verify_cert_hash(&st, msg.header.pvno, cert_der).map_err(|e| match e {
                    ProtectionError::HashAlgRequiresPvno3 { .. } => {
                        bad_request("hashAlg in certConf requires pvno 3")
                    }
                    other => bad_cert_id(format!("certHash does not match: {other}")),
                })?;
            }
            Some(PKIStatus::REJECTION) => {
                // The client does not want the certificate: revoke it.
                if let Ok(info) = CertInfo::from_der(cert_der) {
                    self.ca.revoke(&info.serial, None);
                }
            }
            Some(other) => {
                return Err(bad_request(format!(
                    "certConf status must be accepted or rejection, not {}",
                    other.name().unwrap_or("an unknown value")
                )))
            }
        }
        Ok((self.pkiconf(), Phase::Done))
    }
}
