//! nested (RFC 9483 5.2.2): a PKI management entity (an RA) forwards requests inside a
//! `nested` message protected with its own key.
//!
//! * The nested message must be signed (RFC 9483 5.2.2, 5.2.2.1) by a certificate that
//!   validates like any request signer and carries the extendedKeyUsage id-kp-cmcRA (the RA
//!   authorization, as for raVerified, RFC 9483 5.1.1). Otherwise one error message answers
//!   the nested message as a whole (RFC 9483 3.6.3): badMessageCheck, signerNotTrusted, ...
//!   for protection problems, notAuthorized for a signer that is no RA.
//! * One inner request with the nested message's transactionID (RFC 9483 5.2.2.1, adding
//!   protection): the RA approved it. It is handled as if received directly (its own
//!   protection is still verified) except that POP raVerified counts as vouched for by the
//!   RA; the answer is the plain response, not wrapped (5.2.2.1).
//! * Otherwise a batch (RFC 9483 5.2.2.2): each inner request is handled as if received
//!   directly, without any approval from the nested protection; the answer is a nested
//!   message with the responses in the order of the requests, with the nested request's
//!   transactionID, its senderNonce as recipNonce and its sender as recipient, signed.

use cmp_codec::raw::RawMessage;
use cmp_codec::{GeneralName, PKIBody, PKIMessage, SeqOf};

use super::super::errors::{not_authorized, wrong_integrity, Reject};
use super::super::faults::Fault;
use super::super::protect::{BodyKind, Outgoing, RespCtx, RespProt};
use super::super::validate::Auth;
use super::super::Inner;

/// The transactionID of a DER message, if it parses and has one.
fn tid_of(der: &[u8]) -> Option<Vec<u8>> {
    PKIMessage::parse(der)
        .ok()
        .and_then(|m| m.header.transaction_id.map(<[u8]>::to_vec))
}

/// The response context of a (parsed) request.
fn ctx_of(msg: &PKIMessage<'_>) -> RespCtx {
    let h = &msg.header;
    RespCtx {
        pvno: h.pvno,
        recipient: asn1::write_single(&h.sender).unwrap_or_default(),
        tid: h.transaction_id.map(<[u8]>::to_vec),
        recip_nonce: h.sender_nonce.map(<[u8]>::to_vec),
        prot: RespProt::Signature,
    }
}

impl Inner {
    /// Verify the nested message's own protection and the RA authorization of its signer.
    fn verify_nested_outer(&self, msg: &PKIMessage<'_>) -> Result<(), Reject> {
        if msg.header.protection_alg.is_none() && msg.protection.is_none() {
            if self.has(Fault::Ra27) {
                return Ok(());
            }
            return Err(super::super::errors::bad_message_check(
                "a nested message must be protected with the RA's own key (RFC 9483 5.2.2)",
            ));
        }
        let auth = self.verify_protection(msg, None);
        if self.has(Fault::Ra29) {
            return Ok(());
        }
        match auth? {
            Auth::Sig(s) if s.cmc_ra => Ok(()),
            Auth::Sig(_) => Err(not_authorized(
                "the nested message's signer is not an RA (no extendedKeyUsage id-kp-cmcRA)",
            )),
            _ => Err(wrong_integrity(
                "a nested message must be signature-protected by an RA (RFC 9483 5.2.2.1)",
            )),
        }
    }

    /// Handle a nested message whose header passed the generic checks.
    pub(super) fn nested(&mut self, msg: &PKIMessage<'_>, ctx: RespCtx) -> Vec<u8> {
        let PKIBody::Nested(inner) = &msg.body else {
            return self.error(&ctx, super::super::errors::bad_request("not nested"));
        };
        let inner: Vec<Vec<u8>> = inner.iter().map(|m| m.der().to_vec()).collect();
        let mut ctx = ctx;
        ctx.prot = RespProt::Signature;
        let checked = self
            .verify_nested_outer(msg)
            .and_then(|()| self.check_header_content(msg));
        if let Err(r) = checked {
            if self.has(Fault::Err08) {
                return self.nested_errors(&ctx, &inner, &r);
            }
            return self.error(&ctx, r);
        }
        let single = inner.len() == 1
            && msg.header.transaction_id.is_some()
            && tid_of(&inner[0]).as_deref() == msg.header.transaction_id;
        if single {
            // RFC 9483 5.2.2.1: the RA approved the request; answer it plainly.
            let before = std::mem::replace(&mut self.ra_approved, true);
            let batch_before = std::mem::replace(&mut self.in_batch, false);
            let reply = self.process(&inner[0]);
            self.ra_approved = before;
            self.in_batch = batch_before;
            if self.has(Fault::Ra30) {
                return self.wrap(&ctx, vec![reply]);
            }
            return reply;
        }
        // RFC 9483 5.2.2.2: a batch; the nested protection approves nothing.
        let before = std::mem::replace(&mut self.ra_approved, false);
        let batch_before = std::mem::replace(&mut self.in_batch, true);
        let mut replies: Vec<Vec<u8>> = inner.iter().map(|d| self.process(d)).collect();
        self.ra_approved = before;
        self.in_batch = batch_before;
        if self.has(Fault::Ra34) {
            return replies.swap_remove(0);
        }
        if self.has(Fault::Ra36) && replies.len() > 1 {
            replies.pop();
        }
        if self.has(Fault::Ra35) {
            if let Some(first) = inner.first().and_then(|d| PKIMessage::parse(d).ok()) {
                let c = ctx_of(&first);
                ctx.tid = c.tid;
                ctx.recip_nonce = c.recip_nonce;
            }
        }
        self.wrap(&ctx, replies)
    }

    /// A nested response holding `replies` (those that are PKIMessages), sealed with `ctx`.
    fn wrap(&self, ctx: &RespCtx, replies: Vec<Vec<u8>>) -> Vec<u8> {
        let raw: Vec<RawMessage<'_>> = replies
            .iter()
            .filter_map(|r| RawMessage::from_der(r).ok())
            .collect();
        if raw.is_empty() {
            return self.internal_error();
        }
        let body = asn1::write_single(&PKIBody::Nested(SeqOf::new(raw))).unwrap_or_default();
        self.seal(ctx, Outgoing::new(body, BodyKind::Other)).0
    }

    /// The `ERR-08` fault: a refused nested message answered with one error per inner
    /// request, inside a nested response.
    fn nested_errors(&self, ctx: &RespCtx, inner: &[Vec<u8>], rej: &Reject) -> Vec<u8> {
        let replies: Vec<Vec<u8>> = inner
            .iter()
            .map(|d| match PKIMessage::parse(d) {
                Ok(m) => self.error(&ctx_of(&m), rej.clone()),
                Err(_) => self.error(
                    &RespCtx {
                        recipient: asn1::write_single(&GeneralName::null_dn()).unwrap_or_default(),
                        tid: None,
                        recip_nonce: None,
                        ..ctx.clone()
                    },
                    rej.clone(),
                ),
            })
            .collect();
        self.wrap(ctx, replies)
    }
}
