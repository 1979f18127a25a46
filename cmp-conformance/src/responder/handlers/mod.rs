//! Request dispatch: generic checks, transaction bookkeeping, then one handler per request
//! kind (`enroll`: ir/cr/kur/p10cr, `confirm`: certConf, `revoke`: rr, `general`: genm,
//! `poll`: pollReq), and error responses.

mod confirm;
mod enroll;
mod general;
mod poll;
mod revoke;

use std::time::Instant;

use cmp_codec::body::ErrorMsgContent;
use cmp_codec::{FailureBit, PKIBody, PKIMessage, PKIStatus};

use super::errors::{bad_data_format, bad_request, wrong_integrity, Reject};
use super::faults::Fault;
use super::protect::{BodyKind, Outgoing, OwnedMac, RespCtx, RespProt};
use super::transactions::{Cred, Phase, Transaction, REASON_CESSATION_OF_OPERATION};
use super::validate::Auth;
use super::Inner;
use crate::responder::credentials::CertInfo;
use cmp_codec::protection::MacAlgorithm;

/// The highest iteration count of a request's MAC parameters that we reuse for our answer
/// (higher ones are refused by verification anyway).
const MAX_REUSED_ITERATIONS: u64 = 1_000_000;

fn status_with_text<'a>(status: PKIStatus, rej: &'a Reject) -> cmp_codec::PKIStatusInfo<'a> {
    let mut s = rej.status_info();
    s.status = status;
    s
}

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

    /// An error message answering the request described by `ctx`.
    pub(crate) fn error_message(&self, ctx: &RespCtx, rej: &Reject) -> (Vec<u8>, Vec<u8>) {
        let status = if self.config.faults.contains(&Fault::Err12) {
            PKIStatus::ACCEPTED
        } else {
            PKIStatus::REJECTION
        };
        let body = PKIBody::Error(ErrorMsgContent {
            pki_status_info: status_with_text(status, rej),
            error_code: None,
            error_details: None,
        });
        let der = asn1::write_single(&body).unwrap_or_default();
        self.seal(ctx, Outgoing::new(der, BodyKind::Error))
    }

    fn error(&self, ctx: &RespCtx, rej: Reject) -> Vec<u8> {
        self.error_message(ctx, &rej).0
    }

    /// The answer to bytes that are no PKIMessage: an unprotected error, badDataFormat.
    fn garbage(&self, why: &str) -> Vec<u8> {
        let ctx = RespCtx {
            pvno: cmp_codec::header::PVNO_CMP2000,
            recipient: asn1::write_single(&cmp_codec::GeneralName::null_dn()).unwrap_or_default(),
            tid: None,
            recip_nonce: None,
            prot: RespProt::None,
        };
        self.error(
            &ctx,
            bad_data_format(format!("the request is not a DER PKIMessage: {why}")),
        )
    }

    /// The answer when handling a request failed internally.
    pub(crate) fn internal_error(&self) -> Vec<u8> {
        let ctx = RespCtx {
            pvno: cmp_codec::header::PVNO_CMP2000,
            recipient: asn1::write_single(&cmp_codec::GeneralName::null_dn()).unwrap_or_default(),
            tid: None,
            recip_nonce: None,
            prot: RespProt::None,
        };
        self.error(
            &ctx,
            Reject::new(FailureBit::SystemFailure, "internal error"),
        )
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
        if !(2..=3).contains(&h.pvno) {
            ctx.pvno = if h.pvno < 2 { 2 } else { 3 };
            return self.error(
                &ctx,
                Reject::new(
                    FailureBit::UnsupportedVersion,
                    format!("pvno {} is not supported; use 2 or 3", h.pvno),
                ),
            );
        }
        let Some(tid) = h.transaction_id else {
            return self.error(&ctx, bad_data_format("transactionID is missing"));
        };
        match h.sender_nonce {
            Some(n) if n.len() >= 16 => {}
            Some(_) => {
                return self.error(
                    &ctx,
                    Reject::new(
                        FailureBit::BadSenderNonce,
                        "senderNonce is shorter than 128 bits",
                    ),
                )
            }
            None => {
                return self.error(
                    &ctx,
                    Reject::new(FailureBit::BadSenderNonce, "senderNonce is missing"),
                )
            }
        }
        let later = matches!(
            msg.body,
            PKIBody::CertConf(_) | PKIBody::PollReq(_) | PKIBody::Error(_)
        );
        let cached: Option<CertInfo> = if later {
            self.txs.get_mut(tid).and_then(|t| match &t.cred {
                Cred::Sig(c) => Some((**c).clone()),
                _ => None,
            })
        } else {
            None
        };
        let auth = match self.verify_protection(&msg, cached.as_ref()) {
            Ok(a) => a,
            Err(r) => return self.error(&ctx, r),
        };
        match &auth {
            Auth::Mac(m) => ctx.prot = RespProt::Mac(m.clone()),
            Auth::Sig(_) => ctx.prot = RespProt::Signature,
            Auth::None => {
                // An unprotected error message: answer as the operation is protected.
                if let Some(t) = self.txs.get_mut(tid) {
                    if matches!(t.cred, Cred::Mac) {
                        ctx.prot = RespProt::Mac(OwnedMac::default_pbmac1());
                    }
                }
            }
        }
        if let Err(r) = self.check_time(&msg) {
            return self.error(&ctx, r);
        }
        let tid = tid.to_vec();
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
        ) || self.config.mac_for_all;
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
            let why = match msg.body {
                PKIBody::Nested(_) => "nested messages are not supported here".to_string(),
                _ => format!("{name} is not a request this server answers"),
            };
            return self.error(&ctx, bad_request(why));
        }
        if self.txs.contains(tid) {
            return self.error(
                &ctx,
                Reject::new(
                    FailureBit::TransactionIdInUse,
                    "transactionID belongs to another operation",
                ),
            );
        }
        if matches!(auth, Auth::Mac(_)) && !mac_ok {
            return self.error(
                &ctx,
                wrong_integrity(format!("{name} must be signature-protected")),
            );
        }
        let cred = match auth {
            Auth::Mac(_) => Cred::Mac,
            Auth::Sig(s) => Cred::Sig(Box::new(s.cert.clone())),
            Auth::None => Cred::None,
        };
        let t = Transaction {
            cred,
            our_nonce: Vec::new(),
            phase: Phase::Done,
            touched: Instant::now(),
        };
        if let Err(r) = self.txs.insert(tid.to_vec(), t) {
            return self.error(&ctx, r);
        }
        let (out, phase) = match &msg.body {
            PKIBody::Ir(_) => self.enroll(msg, auth, super::transactions::EnrollKind::Ir),
            PKIBody::Cr(_) => self.enroll(msg, auth, super::transactions::EnrollKind::Cr),
            PKIBody::Kur(_) => self.enroll(msg, auth, super::transactions::EnrollKind::Kur),
            PKIBody::P10cr(_) => self.enroll(msg, auth, super::transactions::EnrollKind::P10cr),
            PKIBody::Rr(_) => (self.revoke_request(msg, auth), Phase::Done),
            PKIBody::Genm(_) => (self.general(msg), Phase::Done),
            _ => (Outgoing::new(Vec::new(), BodyKind::Error), Phase::Done),
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
        let Some(t) = self.txs.get_mut(tid) else {
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
        let check = (|| {
            if msg.header.recip_nonce != Some(t.our_nonce.as_slice()) {
                return Err(Reject::new(
                    FailureBit::BadRecipientNonce,
                    "recipNonce is not the senderNonce of our last message",
                ));
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
            self.abort(tid);
            return self.error(&ctx, r);
        }
        let result = match &msg.body {
            PKIBody::CertConf(_) => self.confirm(msg, &t),
            PKIBody::PollReq(_) => self.poll(msg, &t),
            _ => {
                // An error from the client: RFC 9810 5.3.21, answer with pkiConf.
                self.abort(tid);
                Ok((self.pkiconf(), Phase::Done))
            }
        };
        match result {
            Ok((out, phase)) => {
                let (der, nonce) = self.seal(&ctx, out);
                if let Some(t) = self.txs.get_mut(tid) {
                    t.our_nonce = nonce;
                    t.phase = phase;
                }
                der
            }
            Err(r) => {
                self.abort(tid);
                self.error(&ctx, r)
            }
        }
    }

    pub(crate) fn pkiconf(&self) -> Outgoing {
        let der = asn1::write_single(&PKIBody::Pkiconf(())).unwrap_or_default();
        Outgoing::new(der, BodyKind::PkiConf)
    }
}
