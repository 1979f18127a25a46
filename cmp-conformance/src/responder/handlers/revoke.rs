//! rr → rp (RFC 9483 4.2). Problems in the body are answered in the rp with status
//! rejection (RFC 9483 3.6.2).

use cmp_codec::builder::rev_rep;
use cmp_codec::{FailureBit, PKIBody, PKIFailureInfo, PKIMessage, PKIStatus, PKIStatusInfo};

use super::super::errors::{bad_cert_id, bad_request, not_authorized, Reject};
use super::super::faults::Fault;
use super::super::protect::{BodyKind, Outgoing};
use super::super::validate::{same_name, Auth};
use super::super::Inner;

const ID_CE_CRL_REASONS: &str = "2.5.29.21";

impl Inner {
    fn check_rr(&mut self, msg: &PKIMessage<'_>, auth: &Auth) -> Result<(), Reject> {
        let PKIBody::Rr(details) = &msg.body else {
            return Err(bad_request("not an rr"));
        };
        let (true, Some(d)) = (details.len() == 1 || self.has(Fault::Rr02), details.get(0)) else {
            return Err(bad_request(
                "rr must hold exactly one RevDetails (RFC 9483 4.2)",
            ));
        };
        let t = &d.cert_details;
        let (Some(serial), Some(issuer)) = (&t.serial_number, &t.issuer) else {
            return Err(bad_cert_id(
                "certDetails must hold the issuer and serialNumber of the certificate",
            ));
        };
        let reasons: Vec<_> = d
            .crl_entry_details
            .iter()
            .flat_map(|e| e.iter())
            .filter(|e| e.extn_id.to_string() == ID_CE_CRL_REASONS)
            .collect();
        let code = match reasons.as_slice() {
            [reason] => match asn1::parse_single::<asn1::Enumerated>(reason.extn_value) {
                Ok(e) if e.value() <= 10 && e.value() != 7 => e.value() as u8,
                _ => return Err(bad_request("reasonCode is not a valid CRLReason")),
            },
            [] if self.has(Fault::Rr05) => 0,
            _ => {
                return Err(bad_request(
                    "crlEntryDetails must hold exactly one reasonCode (RFC 9483 4.2)",
                ))
            }
        };
        if !same_name(issuer.der(), &self.creds.issuing.subject_der) {
            return Err(bad_cert_id("the certificate was not issued by this CA"));
        }
        let serial = serial.as_bytes();
        if let Auth::Sig(s) = auth {
            let signer_revoked = s.cert.issuer_der == self.creds.issuing.subject_der
                && self.ca.revocation(&s.cert.serial).is_some();
            if signer_revoked && !Inner::is_cert(&s.cert, issuer.der(), serial) {
                return Err(super::super::errors::signer_not_trusted(
                    "the signer certificate is revoked",
                ));
            }
        }
        let own = match auth {
            Auth::Sig(s) => Inner::is_cert(&s.cert, issuer.der(), serial),
            // With mac_for_all, the holder of the shared secret may revoke what we issued.
            Auth::Mac(_) => true,
            Auth::None => false,
        } || self.has(Fault::Rr01);
        let known =
            Inner::is_cert_of(auth, issuer.der(), serial) || self.ca.issued(serial).is_some();
        if !known && self.has(Fault::Ra14) {
            self.ca.revoke(serial, Some(code));
            return Ok(());
        }
        if !known {
            return Err(bad_cert_id(
                "no certificate with this serial number is known",
            ));
        }
        if !own {
            return Err(not_authorized(
                "rr must be signed with the certificate to be revoked",
            ));
        }
        if self.ca.revocation(serial).is_some() {
            return Err(Reject::new(
                FailureBit::CertRevoked,
                "the certificate is already revoked",
            ));
        }
        self.ca.revoke(serial, Some(code));
        Ok(())
    }

    /// Handle an rr.
    pub(crate) fn revoke_request(&mut self, msg: &PKIMessage<'_>, auth: &Auth) -> Outgoing {
        let mut result = self.check_rr(msg, auth);
        if result.is_ok() && self.has(Fault::Ra15) {
            result = Err(bad_request("revocation refused (fault RA-15)"));
        }
        if let (Err(rej), true) = (&result, self.has(Fault::Err06)) {
            return self.error_message_body(rej);
        }
        let status = match &result {
            Ok(()) => {
                let mut s = PKIStatusInfo::accepted();
                if self.has(Fault::Rr07) {
                    s.status = PKIStatus::REVOCATION_WARNING;
                }
                if self.has(Fault::Poll01) {
                    s.status = PKIStatus::WAITING;
                }
                if self.has(Fault::Rr08) {
                    s.fail_info = Some(PKIFailureInfo::from_bits(&[FailureBit::BadRequest]));
                }
                s
            }
            Err(rej) => self.reject_info(rej),
        };
        let mut statuses = vec![status.clone()];
        if self.has(Fault::Rr03) {
            statuses.push(status);
        }
        let body = rev_rep(statuses)
            .map(PKIBody::Rp)
            .ok()
            .and_then(|b| asn1::write_single(&b).ok())
            .unwrap_or_default();
        Outgoing::new(body, BodyKind::Other)
    }
}
