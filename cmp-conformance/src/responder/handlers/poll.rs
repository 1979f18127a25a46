//! pollReq → pollRep, then the held certificate response (RFC 9483 4.4).

use cmp_codec::body::PollRep;
use cmp_codec::{PKIBody, PKIMessage};

use super::super::errors::{bad_request, Reject};
use super::super::faults::Fault;
use super::super::protect::{BodyKind, Outgoing};
use super::super::transactions::{EnrollKind, Phase, Transaction};
use super::super::Inner;

impl Inner {
    /// Handle a pollReq in the operation `t`.
    pub(crate) fn poll(
        &mut self,
        msg: &PKIMessage<'_>,
        t: &Transaction,
    ) -> Result<(Outgoing, Phase), Reject> {
        let Phase::Waiting(held) = &t.phase else {
            return Err(bad_request("nothing is pending for this transaction"));
        };
        let PKIBody::PollReq(reqs) = &msg.body else {
            return Err(bad_request("not a pollReq"));
        };
        let (true, Some(req)) = (reqs.len() == 1, reqs.get(0)) else {
            return Err(bad_request("pollReq must hold exactly one certReqId"));
        };
        // The waiting CertResponse of a p10cr has certReqId -1; RFC 9483 4.4 says 0.
        let id_ok = req.cert_req_id == held.cert_req_id
            || (held.kind == EnrollKind::P10cr && req.cert_req_id == 0)
            || self.has(Fault::Poll03);
        if !id_ok {
            return Err(bad_request(format!(
                "pollReq certReqId {} is not the waiting request's {}",
                req.cert_req_id, held.cert_req_id
            )));
        }
        if held.polls_left > 0 || self.has(Fault::Poll06) {
            let mut next = held.clone();
            next.polls_left = next.polls_left.saturating_sub(1);
            if next.first_poll_nonce.is_none() {
                next.first_poll_nonce = msg.header.sender_nonce.map(<[u8]>::to_vec);
            }
            let cert_req_id = match (self.has(Fault::Poll04), req.cert_req_id) {
                (true, 0) => -1,
                (true, _) => 0,
                (false, id) => id,
            };
            let check_after = if self.has(Fault::Poll11) {
                -1
            } else {
                self.config.check_after
            };
            let body = PKIBody::PollRep(cmp_codec::SeqOf::new(vec![PollRep {
                cert_req_id,
                check_after,
                reason: None,
            }]));
            let out = Outgoing::new(
                asn1::write_single(&body).unwrap_or_default(),
                BodyKind::PollRep,
            );
            return Ok((out, Phase::Waiting(next)));
        }
        let held = held.clone();
        let (mut out, phase) = self.deliver(
            held.kind,
            held.cert_req_id,
            held.cert_der,
            held.implicit,
            held.ca_pubs,
        );
        if self.has(Fault::Hdr18) {
            // Neither the original request's senderNonce nor this pollReq's (RFC 9483 3.1,
            // 5.1.5 allow those two).
            out.recip_nonce = Some(held.first_poll_nonce.unwrap_or_else(|| {
                let mut n = vec![0u8; 16];
                super::super::random_bytes(&mut n);
                n
            }));
        }
        Ok((out, phase))
    }
}
