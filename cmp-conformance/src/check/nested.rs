//! Checks on the answer to a nested request (the RA role, RFC 9483 5.2.2).
//!
//! * One request wrapped under its own transactionID (5.2.2.1): the answer is the plain
//!   response to that request (`RA-30`) and gets every ordinary check as the answer to the
//!   inner request. A nested answer is reported, then unwrapped and checked the same way. An
//!   error addressed to the forwarding entity refuses the nested message itself and is checked
//!   against it.
//! * A batch (5.2.2.2): the answer is a nested message (`RA-34`) with the batch's
//!   transactionID and senderNonce (`RA-35`; the header checks also apply) holding exactly one
//!   response per inner request, matched by transactionID (`RA-36`); each inner pair gets
//!   every ordinary check. An error answers the nested message as a whole (`ERR-08` is judged
//!   by the step's expectation).

use cmp_codec::{PKIBody, PKIMessage};

use super::expect::{evaluate, Outcome};
use super::{check_plain, hex, CheckState, Config, ExchangeInput, Finding, Findings};
use crate::endpoint::Reply;
use crate::scenario::Step;

/// The inner requests of a nested request, and whether it wraps one request under that
/// request's transactionID (RFC 9483 5.2.2.1) rather than being a batch.
pub fn inner_requests<'a>(req: &PKIMessage<'a>) -> Option<(Vec<&'a [u8]>, bool)> {
    let PKIBody::Nested(msgs) = &req.body else {
        return None;
    };
    let inner: Vec<&'a [u8]> = msgs.iter().map(|m| m.der()).collect();
    let single = inner.len() == 1
        && req.header.transaction_id.is_some()
        && inner
            .first()
            .and_then(|d| PKIMessage::parse(d).ok())
            .and_then(|m| m.header.transaction_id)
            == req.header.transaction_id;
    Some((inner, single))
}

fn tid_of(der: &[u8]) -> Option<Vec<u8>> {
    PKIMessage::parse(der)
        .ok()
        .and_then(|m| m.header.transaction_id.map(<[u8]>::to_vec))
}

/// A reply carrying `body` the way `outer` carried the nested answer.
fn inner_reply(outer: &Reply, body: &[u8]) -> Reply {
    Reply {
        status: 200,
        content_type: outer.content_type.clone(),
        body: body.to_vec(),
    }
}

/// The checks for an exchange whose request is nested.
pub(super) fn check_exchange(
    cfg: &Config,
    state: &mut CheckState,
    input: &ExchangeInput<'_>,
    req: &PKIMessage<'_>,
) -> Vec<Finding> {
    let Some((inner, single)) = inner_requests(req) else {
        return check_plain(cfg, state, input);
    };
    let Ok(reply) = input.reply else {
        return check_plain(cfg, state, input);
    };
    let rsp = match PKIMessage::parse(&reply.body) {
        Ok(m) => m,
        Err(_) => return check_plain(cfg, state, input),
    };
    let mut out = Findings::for_exchange(Some(input.index));
    // An error addressed to the forwarding entity refuses the nested message itself (its
    // protection or authorization): checked against the nested request.
    let refuses_outer = rsp.body.name() == "error" && rsp.header.recipient == req.header.sender;
    if single && refuses_outer {
        return check_plain(cfg, state, input);
    }
    if single {
        let Some(inner_req) = inner.first() else {
            return check_plain(cfg, state, input);
        };
        let sub = |reply| ExchangeInput {
            request: inner_req,
            reply: Ok(reply),
            ..input.clone()
        };
        if let PKIBody::Nested(answers) = &rsp.body {
            out.violation(
                "RA-30",
                format!(
                    "one request wrapped in nested under its transactionID was answered with a \
                     nested message of {} message(s), not with the plain response",
                    answers.len()
                ),
            );
            // Check what it carries as the answer to the inner request.
            if let Some(a) = answers.iter().next() {
                let r = inner_reply(reply, a.der());
                out.items.extend(check_plain(cfg, state, &sub(&r)));
            }
            return out.items;
        }
        out.items.extend(check_plain(cfg, state, &sub(reply)));
        return out.items;
    }

    // A batch: first the nested answer itself (header, protection) against the nested request.
    out.items.extend(check_plain(cfg, state, input));
    let PKIBody::Nested(answers) = &rsp.body else {
        if rsp.body.name() != "error" {
            out.violation(
                "RA-34",
                format!(
                    "a batch of {} request(s) was answered with {}, not with a nested message",
                    inner.len(),
                    rsp.body.name()
                ),
            );
        }
        return out.items;
    };
    let h = &rsp.header;
    if h.transaction_id != req.header.transaction_id {
        out.violation(
            "RA-35",
            format!(
                "the answering nested has transactionID {}, the batch {}",
                hex(h.transaction_id.unwrap_or_default()),
                hex(req.header.transaction_id.unwrap_or_default())
            ),
        );
    }
    if h.recip_nonce != req.header.sender_nonce {
        out.violation(
            "RA-35",
            format!(
                "the answering nested has recipNonce {}, the batch's senderNonce was {}",
                hex(h.recip_nonce.unwrap_or_default()),
                hex(req.header.sender_nonce.unwrap_or_default())
            ),
        );
    }
    let answers: Vec<&[u8]> = answers.iter().map(|m| m.der()).collect();
    let answer_tids: Vec<Option<Vec<u8>>> = answers.iter().map(|a| tid_of(a)).collect();
    let mut used = vec![false; answers.len()];
    for (k, req_der) in inner.iter().enumerate() {
        let tid = tid_of(req_der);
        let found: Vec<usize> = answer_tids
            .iter()
            .enumerate()
            .filter(|(_, t)| tid.is_some() && **t == tid)
            .map(|(i, _)| i)
            .collect();
        match found.as_slice() {
            [] => out.violation(
                "RA-36",
                format!(
                    "no response to inner request {} (transactionID {})",
                    k + 1,
                    hex(tid.as_deref().unwrap_or_default())
                ),
            ),
            [i, rest @ ..] => {
                if !rest.is_empty() {
                    out.violation(
                        "RA-36",
                        format!(
                            "{} responses to inner request {} (transactionID {})",
                            found.len(),
                            k + 1,
                            hex(tid.as_deref().unwrap_or_default())
                        ),
                    );
                }
                for j in &found {
                    used[*j] = true;
                }
                let r = inner_reply(reply, answers[*i]);
                let sub = ExchangeInput {
                    request: req_der,
                    reply: Ok(&r),
                    http: false,
                    ..input.clone()
                };
                out.items.extend(check_plain(cfg, state, &sub));
            }
        }
    }
    for (i, u) in used.iter().enumerate() {
        if !u {
            out.violation(
                "RA-36",
                format!(
                    "response {} (transactionID {}) answers no inner request",
                    i + 1,
                    hex(answer_tids[i].as_deref().unwrap_or_default())
                ),
            );
        }
    }
    out.items
}

/// Judge the inner expectations of a batch step against the inner responses of a nested
/// answer (an answer that is no nested message is judged by the step's own expectation and
/// by [`check_exchange`]).
pub fn evaluate_inner(out: &mut Findings, step: &Step, request: &[u8], reply: Option<&Reply>) {
    if step.send != "nested" || !step.batch {
        return;
    }
    let Some(reply) = reply else { return };
    let (Ok(req), Ok(rsp)) = (PKIMessage::parse(request), PKIMessage::parse(&reply.body)) else {
        return;
    };
    let (Some((inner, _)), PKIBody::Nested(answers)) = (inner_requests(&req), &rsp.body) else {
        return;
    };
    for (st, req_der) in step.inner.iter().zip(inner.iter()) {
        let tid = tid_of(req_der);
        let answer = answers
            .iter()
            .find(|a| tid.is_some() && tid_of(a.der()) == tid);
        // A missing answer is RA-36's finding.
        if let Some(a) = answer {
            if st.expect.outcome == Outcome::Any && st.expect.rule.is_none() {
                continue;
            }
            let r = inner_reply(reply, a.der());
            evaluate(out, &st.expect, crate::run::default_rule(&st.send), Ok(&r));
        }
    }
}
