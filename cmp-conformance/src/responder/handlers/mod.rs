//! Request dispatch: generic checks, transaction bookkeeping, then one handler per request
//! kind (`enroll`: ir/cr/kur/p10cr, `confirm`: certConf, `revoke`: rr, `general`: genm,
//! `poll`: pollReq, `nested`: nested messages from an RA), and error responses.

mod confirm;
mod enroll;
mod general;
mod nested;
mod poll;
mod revoke;

use std::time::Instant;

use cmp_codec::body::ErrorMsgContent;
use cmp_codec::itav::InfoValue;
use cmp_codec::{FailureBit, PKIBody, PKIMessage, PKIStatus};

use super::errors::{bad_cert_template, bad_data_format, bad_request, wrong_integrity, Reject};
use super::faults::Fault;
use super::protect::{BodyKind, Outgoing, OwnedMac, RespCtx, RespProt};
use super::transactions::{Cred, EnrollKind, Phase, Transaction, REASON_CESSATION_OF_OPERATION};
use super::validate::Auth;
use super::Inner;
use crate::responder::credentials::CertInfo;
use cmp_codec::protection::MacAlgorithm;

/// The highest iteration count of a request's MAC parameters that we reuse for our answer
/// (higher ones are refused by verification anyway).
const MAX_REUSED_ITERATIONS: u64 = 1_000_000;

impl Inner {
    /// The protection an error response gets before the request's protection was verified:
    /// MAC (our secret, the request's parameters if sane) for MAC requests, else a signature.
    fn mirror(msg: &PKIMessage<'_>) -> RespProt {
        let Some(alg) = &msg.header.protection_alg else {
            return RespProt::Signature;
        };
        match MacAlgorithm::from_algorithm_identifier(alg) {
            Ok(m) => {
                let owned = OwnedMac::from_alg(&m);
                let sane = match &owned {
                    OwnedMac::Pbm {
                        salt,
                        iteration_count,
                        ..
                    } => *iteration_count <= MAX_REUSED_ITERATIONS && salt.len() <= 1024,
                    OwnedMac::Pbmac1 {
                        salt,
                        iteration_count,
                        key_length,
                        ..
                    } => {
                        *iteration_count <= MAX_REUSED_ITERATIONS
                            && salt.len() <= 1024
                            && key_length.is_none_or(|k| (1..=64).contains(&k))
                    }
                };
                RespProt::Mac(if sane {
                    owned
                } else {
                    OwnedMac::default_pbmac1()
                })
            }
            Err(cmp_codec::protection::ProtectionError::WrongProtectionKind { .. }) => {
                RespProt::Signature
            }
            Err(_) => RespProt::Mac(OwnedMac::default_pbmac1()),
        }
    }

    /// The PKIStatusInfo of a refusal (without failInfo under the `VAL-02` fault).
    pub(crate) fn reject_info<'r>(&self, rej: &'r Reject) -> cmp_codec::PKIStatusInfo<'r> {
        let mut s = rej.status_info();
        if self.has(Fault::Val02) {
            s.fail_info = None;
        }
        s
    }

    /// An error message answering the request described by `ctx`.
    pub(crate) fn error_message(&self, ctx: &RespCtx, rej: &Reject) -> (Vec<u8>, Vec<u8>) {
        self.seal(ctx, self.error_message_body(rej))
    }

    /// An error message body for `rej` (sealed by the caller).
    pub(crate) fn error_message_body(&self, rej: &Reject) -> Outgoing {
        let status = if self.has(Fault::Err12) {
            PKIStatus::ACCEPTED
        } else {
            PKIStatus::REJECTION
        };
        let mut info = self.reject_info(rej);
        info.status = status;
        let body = PKIBody::Error(ErrorMsgContent {
            pki_status_info: info,
            error_code: None,
            error_details: None,
        });
        let der = asn1::write_single(&body).unwrap_or_default();
        Outgoing::new(der, BodyKind::Error)
    }

    fn error(&self, ctx: &RespCtx, rej: Reject) -> Vec<u8> {
        self.error_message(ctx, &rej).0
    }

    /// Refuse a request because of its header or protection: an error message (RFC 9483
    /// 3.6.2), or under the `ERR-07` fault a rejection in ip/cp/kup for certificate requests.
    fn refuse(&self, msg: &PKIMessage<'_>, ctx: &RespCtx, rej: Reject) -> Vec<u8> {
        if self.has(Fault::Err07) {
            if let Some(kind) = enroll_kind(&msg.body) {
                let id = if kind == EnrollKind::P10cr { -1 } else { 0 };
                let out = self.cert_rep(kind, id, enroll::Content::Rejected(&rej), false);
                return self.seal(ctx, out).0;
            }
        }
        self.error(ctx, rej)
    }

    fn null_ctx() -> RespCtx {
        RespCtx {
            pvno: cmp_codec::header::PVNO_CMP2000,
            recipient: asn1::write_single(&cmp_codec::GeneralName::null_dn()).unwrap_or_default(),
            tid: None,
            recip_nonce: None,
            prot: RespProt::None,
        }
    }

    /// The answer to bytes that are no PKIMessage: an unprotected error, badDataFormat.
    fn garbage(&self, why: &str) -> Vec<u8> {
        if self.has(Fault::Val04) {
            return Vec::new();
        }
        self.error(
            &Self::null_ctx(),
            bad_data_format(format!("the request is not a DER PKIMessage: {why}")),
        )
    }

    /// The answer when handling a request failed internally.
    pub(crate) fn internal_error(&self) -> Vec<u8> {
        self.error(
            &Self::null_ctx(),
            Reject::new(FailureBit::SystemFailure, "internal error"),
        )
    }

    /// Header checks before the protection: pvno, transactionID, senderNonce.
    fn check_header(&self, msg: &PKIMessage<'_>, ctx: &mut RespCtx) -> Result<(), Reject> {
        let h = &msg.header;
        if !(2..=3).contains(&h.pvno) && !self.has(Fault::Val05) {
            ctx.pvno = if h.pvno < 2 { 2 } else { 3 };
            return Err(Reject::new(
                FailureBit::UnsupportedVersion,
                format!("pvno {} is not supported; use 2 or 3", h.pvno),
            ));
        }
        if h.transaction_id.is_none() && !self.has(Fault::Val06) {
            return Err(bad_data_format("transactionID is missing"));
        }
        if !self.has(Fault::Val08) {
            match h.sender_nonce {
                Some(n) if n.len() >= 16 => {}
                Some(_) => {
                    return Err(Reject::new(
                        FailureBit::BadSenderNonce,
                        "senderNonce is shorter than 128 bits",
                    ))
                }
                None => {
                    return Err(Reject::new(
                        FailureBit::BadSenderNonce,
                        "senderNonce is missing",
                    ))
                }
            }
        }
        Ok(())
    }

    /// Header checks after the protection: fields the profile does not use (only under
    /// faults), certProfile, messageTime.
    fn check_header_content(&self, msg: &PKIMessage<'_>) -> Result<(), Reject> {
        let h = &msg.header;
        if self.has(Fault::Pre03) && (h.free_text.is_some() || h.recip_kid.is_some()) {
            return Err(bad_request("freeText and recipKID are not accepted"));
        }
        if self.has(Fault::Val03) {
            let unknown = h
                .general_info()
                .any(|i| matches!(i.info_value, InfoValue::Other(..)));
            if unknown || h.recipient == cmp_codec::GeneralName::null_dn() {
                return Err(bad_request(
                    "unknown generalInfo entries and a NULL-DN recipient are not accepted",
                ));
            }
        }
        if !self.has(Fault::Hdr28) {
            for itav in h.general_info() {
                if let InfoValue::CertProfile(p) = &itav.info_value {
                    let names: Vec<&str> = p
                        .iter()
                        .flat_map(|n| n.iter())
                        .map(|n| n.as_str())
                        .collect();
                    let [name] = names.as_slice() else {
                        return Err(bad_cert_template(
                            "certProfile must hold exactly one profile name",
                        ));
                    };
                    if !self.config.cert_profiles.iter().any(|p| p == name) {
                        return Err(bad_cert_template(format!(
                            "certificate profile {name:?} is not known here"
                        )));
                    }
                }
            }
        }
        if !self.has(Fault::Val19) {
            self.check_time(msg)?;
        }
        Ok(())
    }

    /// Handle one request.
    pub(crate) fn process(&mut self, der: &[u8]) -> Vec<u8> {
        self.txs.sweep(&mut self.ca);
        let msg = match PKIMessage::parse(der) {
            Ok(m) => m,
            Err(e) => return self.garbage(&e.to_string()),
        };
        let h = &msg.header;
        let mut ctx = RespCtx {
            pvno: h.pvno,
            recipient: asn1::write_single(&h.sender).unwrap_or_default(),
            tid: h.transaction_id.map(<[u8]>::to_vec),
            recip_nonce: h.sender_nonce.map(<[u8]>::to_vec),
            prot: Self::mirror(&msg),
        };
        if let Err(r) = self.check_header(&msg, &mut ctx) {
            return self.refuse(&msg, &ctx, r);
        }
        if let PKIBody::Nested(_) = msg.body {
            return self.nested(&msg, ctx);
        }
        // Under VAL-06 a request without transactionID gets one of its own.
        let tid = match h.transaction_id {
            Some(t) => t.to_vec(),
            None => {
                let mut t = vec![0u8; 16];
                super::random_bytes(&mut t);
                t
            }
        };
        let later = matches!(
            msg.body,
            PKIBody::CertConf(_) | PKIBody::PollReq(_) | PKIBody::Error(_)
        );
        let cached: Option<CertInfo> = if later && !self.has(Fault::Conf09) {
            self.txs.get_mut(&tid).and_then(|t| match &t.cred {
                Cred::Sig(c) => Some((**c).clone()),
                _ => None,
            })
        } else {
            None
        };
        let auth = match self.verify_protection(&msg, cached.as_ref()) {
            Ok(a) => a,
            Err(r) => return self.refuse(&msg, &ctx, r),
        };
        match &auth {
            Auth::Mac(m) => ctx.prot = RespProt::Mac(m.clone()),
            Auth::Sig(_) => ctx.prot = RespProt::Signature,
            Auth::None => {
                // An unprotected error message: answer as the operation is protected.
                if let Some(t) = self.txs.get_mut(&tid) {
                    if matches!(t.cred, Cred::Mac) {
                        ctx.prot = RespProt::Mac(OwnedMac::default_pbmac1());
                    }
                }
            }
        }
        if let Err(r) = self.check_header_content(&msg) {
            return self.refuse(&msg, &ctx, r);
        }
        if later {
            self.later(&msg, &auth, ctx, &tid)
        } else {
            self.first(&msg, &auth, ctx, &tid)
        }
    }

    /// A request that starts an operation: ir, cr, kur, p10cr, rr, genm.
    fn first(&mut self, msg: &PKIMessage<'_>, auth: &Auth, ctx: RespCtx, tid: &[u8]) -> Vec<u8> {
        let name = msg.body.name();
        let mac_ok = matches!(
            msg.body,
            PKIBody::Ir(_) | PKIBody::Cr(_) | PKIBody::P10cr(_)
        ) || self.config.mac_for_all
            || self.has(Fault::Val12);
        let starts = matches!(
            msg.body,
            PKIBody::Ir(_)
                | PKIBody::Cr(_)
                | PKIBody::Kur(_)
                | PKIBody::P10cr(_)
                | PKIBody::Rr(_)
                | PKIBody::Genm(_)
        );
        if !starts {
            let why = format!("{name} is not a request this server answers");
            return self.error(&ctx, bad_request(why));
        }
        if self.txs.contains(tid) && !self.has(Fault::Ra02) {
            return self.refuse(
                msg,
                &ctx,
                Reject::new(
                    FailureBit::TransactionIdInUse,
                    "transactionID belongs to another operation",
                ),
            );
        }
        if matches!(auth, Auth::Mac(_)) && !mac_ok {
            return self.refuse(
                msg,
                &ctx,
                wrong_integrity(format!("{name} must be signature-protected")),
            );
        }
        if self.has(Fault::Ts33310_8) && matches!(msg.body, PKIBody::Kur(_)) {
            return self.error(&ctx, bad_request("kur is not served (fault TS33310-8)"));
        }
        let cred = match auth {
            Auth::Mac(_) => Cred::Mac,
            Auth::Sig(s) => Cred::Sig(Box::new(s.cert.clone())),
            Auth::None => Cred::None,
        };
        let t = Transaction {
            cred,
            mac: match &ctx.prot {
                RespProt::Mac(m) => Some(m.clone()),
                _ => None,
            },
            our_nonce: Vec::new(),
            phase: Phase::Done,
            touched: Instant::now(),
        };
        if let Err(r) = self.txs.insert(tid.to_vec(), t) {
            return self.refuse(msg, &ctx, r);
        }
        let (out, phase) = match &msg.body {
            PKIBody::Rr(_) => (self.revoke_request(msg, auth), Phase::Done),
            PKIBody::Genm(_) => {
                if self.has(Fault::Ra01) {
                    return Vec::new();
                }
                (self.general(msg), Phase::Done)
            }
            body => match enroll_kind(body) {
                Some(kind) => self.enroll(msg, auth, kind),
                None => (Outgoing::new(Vec::new(), BodyKind::Error), Phase::Done),
            },
        };
        let (der, nonce) = self.seal(&ctx, out);
        if let Some(t) = self.txs.get_mut(tid) {
            t.our_nonce = nonce;
            t.phase = phase;
            t.touched = Instant::now();
        }
        der
    }

    /// End an operation after an error: a certificate awaiting confirmation is revoked.
    fn abort(&mut self, tid: &[u8]) {
        if self.has(Fault::Err11) {
            return;
        }
        if let Some(t) = self.txs.get_mut(tid) {
            if let Phase::AwaitingConfirm { cert_der, .. } = &t.phase {
                if let Ok(info) = CertInfo::from_der(cert_der) {
                    self.ca
                        .revoke(&info.serial, Some(REASON_CESSATION_OF_OPERATION));
                }
            }
            t.phase = Phase::Done;
            t.touched = Instant::now();
        }
    }

    /// A request that continues an operation: certConf, pollReq, error.
    fn later(&mut self, msg: &PKIMessage<'_>, auth: &Auth, ctx: RespCtx, tid: &[u8]) -> Vec<u8> {
        let mut tid = tid.to_vec();
        if !self.txs.contains(&tid) && self.has(Fault::Enr02) {
            if let Some(found) = msg
                .header
                .recip_nonce
                .and_then(|n| self.txs.find_by_nonce(n))
            {
                tid = found;
            }
        }
        let Some(t) = self.txs.get_mut(&tid) else {
            if self.has(Fault::Val07) {
                let mut out = self.pkiconf();
                out.later = true;
                return self.seal(&ctx, out).0;
            }
            return self.error(
                &ctx,
                bad_request(format!(
                    "{} for a transaction this server does not know",
                    msg.body.name()
                )),
            );
        };
        t.touched = Instant::now();
        let t = t.clone();
        let mut ctx = ctx;
        if let (Some(m), RespProt::Mac(_)) = (&t.mac, &ctx.prot) {
            ctx.prot = RespProt::Mac(m.clone());
        }
        let check = (|| {
            if msg.header.recip_nonce != Some(t.our_nonce.as_slice()) && !self.has(Fault::Val09) {
                return Err(Reject::new(
                    FailureBit::BadRecipientNonce,
                    "recipNonce is not the senderNonce of our last message",
                ));
            }
            if self.has(Fault::Conf08) {
                return Ok(());
            }
            match (&t.cred, auth) {
                (Cred::Mac, Auth::Mac(_)) | (_, Auth::None) => Ok(()),
                (Cred::Sig(a), Auth::Sig(b)) => {
                    if a.der == b.cert.der {
                        Ok(())
                    } else {
                        Err(super::errors::not_authorized(
                            "signed by another certificate than the operation's first request",
                        ))
                    }
                }
                _ => Err(wrong_integrity(
                    "protection kind differs from the operation's first request",
                )),
            }
        })();
        if let Err(r) = check {
            self.abort(&tid);
            return self.error(&ctx, r);
        }
        let result = match &msg.body {
            PKIBody::CertConf(_) => self.confirm(msg, &t),
            PKIBody::PollReq(_) => self.poll(msg, &t),
            _ => {
                // An error from the client: RFC 9810 5.3.21, answer with pkiConf.
                self.abort(&tid);
                Ok((self.pkiconf(), Phase::Done))
            }
        };
        match result {
            Ok((mut out, phase)) => {
                out.later = true;
                let (der, nonce) = self.seal(&ctx, out);
                if let Some(t) = self.txs.get_mut(&tid) {
                    t.our_nonce = nonce;
                    t.phase = phase;
                }
                der
            }
            Err(r) => {
                self.abort(&tid);
                let (der, nonce) = self.error_message(&ctx, &r);
                if let Some(t) = self.txs.get_mut(&tid) {
                    t.our_nonce = nonce;
                }
                der
            }
        }
    }

    pub(crate) fn pkiconf(&self) -> Outgoing {
        let der = asn1::write_single(&PKIBody::Pkiconf(())).unwrap_or_default();
        Outgoing::new(der, BodyKind::PkiConf)
    }
}

/// The kind of certificate request a body is, if it is one.
pub(crate) fn enroll_kind(body: &PKIBody<'_>) -> Option<EnrollKind> {
    Some(match body {
        PKIBody::Ir(_) => EnrollKind::Ir,
        PKIBody::Cr(_) => EnrollKind::Cr,
        PKIBody::Kur(_) => EnrollKind::Kur,
        PKIBody::P10cr(_) => EnrollKind::P10cr,
        _ => return None,
    })
}
