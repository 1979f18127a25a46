//! Per-operation state, keyed by transactionID: which kind of operation and protection it
//! uses, the last senderNonce we sent (the next request's recipNonce must equal it), and what
//! is pending (a certificate awaiting certConf, or a response held back for polling).
//!
//! The table is bounded: at most [`super::Config::max_transactions`] entries. Finished
//! operations stay for [`super::Config::transaction_ttl`] so that a reused transactionID is
//! recognised; certificates whose certConf did not come before confirmWaitTime are revoked
//! (RFC 9483 4.1.1 lets the PME do so) and the operation is closed.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use super::ca::Ca;
use super::credentials::CertInfo;
use super::errors::Reject;
use cmp_codec::FailureBit;

/// The request that started an enrollment: decides the response body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum EnrollKind {
    Ir,
    Cr,
    Kur,
    P10cr,
}

/// How the operation's first request was protected; later requests must use the same.
#[derive(Clone, Debug)]
pub(crate) enum Cred {
    /// The shared secret.
    Mac,
    /// This signer certificate.
    Sig(Box<CertInfo>),
    /// Unprotected (only possible for errors, which never start operations).
    None,
}

/// A certificate response held back while the client polls.
#[derive(Clone, Debug)]
pub(crate) struct Held {
    pub kind: EnrollKind,
    pub cert_req_id: i64,
    pub cert_der: Vec<u8>,
    /// Grant implicitConfirm in the final response.
    pub implicit: bool,
    /// Send caPubs with it.
    pub ca_pubs: bool,
    /// pollReqs still to be answered with pollRep.
    pub polls_left: u32,
    /// The senderNonce of the first pollReq (the `HDR-18` fault answers the last pollReq
    /// with it: neither the original request's nor the last pollReq's nonce).
    pub first_poll_nonce: Option<Vec<u8>>,
}

/// Where the operation stands.
#[derive(Clone, Debug)]
pub(crate) enum Phase {
    /// The final response is held; pollReq gets pollRep until `polls_left` reaches 0.
    Waiting(Held),
    /// A certificate was delivered; certConf is due before `deadline`.
    AwaitingConfirm {
        cert_der: Vec<u8>,
        cert_req_id: i64,
        kind: EnrollKind,
        deadline: Instant,
    },
    /// Finished (confirmed, rejected, implicitly confirmed, or any non-enrollment answer).
    Done,
    /// certConf did not come in time; the certificate was revoked.
    Expired,
}

/// One operation.
#[derive(Clone, Debug)]
pub(crate) struct Transaction {
    pub cred: Cred,
    /// The MAC parameters of the operation's first response, kept for the later ones
    /// (RFC 9483 4.1.5: they should stay the same).
    pub mac: Option<super::protect::OwnedMac>,
    /// The senderNonce of our last response.
    pub our_nonce: Vec<u8>,
    pub phase: Phase,
    pub touched: Instant,
}

/// The table of operations.
#[derive(Debug)]
pub(crate) struct Transactions {
    map: HashMap<Vec<u8>, Transaction>,
    max: usize,
    ttl: Duration,
}

impl Transactions {
    pub fn new(max: usize, ttl: Duration) -> Self {
        Transactions {
            map: HashMap::new(),
            max: max.max(1),
            ttl,
        }
    }

    /// Close operations whose certConf is overdue (revoking their certificate) and forget
    /// those idle for longer than the TTL.
    pub fn sweep(&mut self, ca: &mut Ca) {
        let now = Instant::now();
        for t in self.map.values_mut() {
            if let Phase::AwaitingConfirm {
                cert_der, deadline, ..
            } = &t.phase
            {
                if now > *deadline {
                    if let Ok(info) = CertInfo::from_der(cert_der) {
                        ca.revoke(&info.serial, Some(REASON_CESSATION_OF_OPERATION));
                    }
                    t.phase = Phase::Expired;
                }
            }
        }
        let ttl = self.ttl;
        self.map
            .retain(|_, t| now.saturating_duration_since(t.touched) <= ttl);
    }

    pub fn contains(&self, tid: &[u8]) -> bool {
        self.map.contains_key(tid)
    }

    /// The transactionID of the operation whose last senderNonce was `nonce`.
    pub fn find_by_nonce(&self, nonce: &[u8]) -> Option<Vec<u8>> {
        self.map
            .iter()
            .find(|(_, t)| t.our_nonce == nonce)
            .map(|(k, _)| k.clone())
    }

    pub fn get_mut(&mut self, tid: &[u8]) -> Option<&mut Transaction> {
        self.map.get_mut(tid)
    }

    /// Number of operations remembered.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Record a new operation. When the table is full the oldest finished one is dropped;
    /// if every entry is still open the request is refused with systemUnavail.
    pub fn insert(&mut self, tid: Vec<u8>, t: Transaction) -> Result<(), Reject> {
        if !self.map.contains_key(&tid) && self.map.len() >= self.max {
            let victim = self
                .map
                .iter()
                .filter(|(_, t)| matches!(t.phase, Phase::Done | Phase::Expired))
                .min_by_key(|(_, t)| t.touched)
                .map(|(k, _)| k.clone());
            match victim {
                Some(k) => {
                    self.map.remove(&k);
                }
                None => {
                    return Err(Reject::new(
                        FailureBit::SystemUnavail,
                        "too many open transactions, try again later",
                    ))
                }
            }
        }
        self.map.insert(tid, t);
        Ok(())
    }
}

/// CRLReason cessationOfOperation: for certificates whose confirmation failed.
pub(crate) const REASON_CESSATION_OF_OPERATION: u8 = 5;
