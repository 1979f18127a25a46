//! Builders for the messages a client, RA or CA sends.
//!
//! [`MessageBuilder`] collects the header fields and finishes with one method per body
//! alternative (`ir`, `cr`, `kur`, `p10cr`, `rr`, `genm`, `cert_conf`, `poll_req`, `error`,
//! `ip`/`cp`/`kup`, `rp`, `genp`, `pkiconf`, `poll_rep`, `nested`, `ckuann`, ... and
//! [`MessageBuilder::body`] for any [`PKIBody`]). Values borrow from the caller (nonces,
//! certificates), so building copies nothing but the small typed fields. `SIZE (1..MAX)`
//! constraints are checked when the message is built ([`BuildError`]).
//!
//! ```
//! use cmp_codec::builder::{MessageBuilder, cert_req_msg};
//! use cmp_codec::crmf::CertTemplate;
//! use cmp_codec::{GeneralName, PKIMessage};
//!
//! let tid = [7u8; 16];
//! let nonce = [1u8; 16];
//! let msg = MessageBuilder::new(GeneralName::null_dn(), GeneralName::null_dn())
//!     .transaction_id(&tid)
//!     .sender_nonce(&nonce)
//!     .implicit_confirm()
//!     .ir(vec![cert_req_msg(0, CertTemplate::default())])?;
//! let der = msg.encode();
//! assert_eq!(PKIMessage::parse(&der).unwrap(), msg);
//! # Ok::<(), cmp_codec::builder::BuildError>(())
//! ```

use core::fmt;

use crate::body::{
    CAKeyUpdContent, CertConfirmContent, CertOrEncCert, CertRepMessage, CertResponse, CertStatus,
    CertifiedKeyPair, ErrorMsgContent, PollRep, PollReq, RevDetails, RevRepContent,
};
use crate::common::{AlgorithmIdentifier, PKIFreeText};
use crate::crmf::{CertReqMsg, CertRequest, CertTemplate, ProofOfPossession};
use crate::header::{PKIHeader, PVNO_CMP2000};
use crate::itav::{InfoTypeAndValue, InfoValue};
use crate::raw::{Certificate, CertificationRequest, RawMessage};
use crate::status::PKIStatusInfo;
use crate::time::GeneralizedTime;
use crate::{GeneralName, PKIBody, PKIMessage, SeqOf};

/// A message could not be built because it would violate the ASN.1 module.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BuildError {
    /// A `SEQUENCE SIZE (1..MAX) OF` field was given no element.
    Empty(&'static str),
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::Empty(field) => {
                write!(f, "{field} needs at least one element (SIZE (1..MAX))")
            }
        }
    }
}

impl std::error::Error for BuildError {}

fn non_empty<'a, T, const MIN: usize>(
    field: &'static str,
    v: Vec<T>,
) -> Result<SeqOf<'a, T, MIN>, BuildError>
where
    T: asn1::Asn1Readable<'a> + Clone + 'a,
{
    if v.len() < MIN {
        return Err(BuildError::Empty(field));
    }
    Ok(SeqOf::new(v))
}

/// Collects header fields, then builds a [`PKIMessage`] with one of the body methods.
#[derive(Clone, Debug)]
pub struct MessageBuilder<'a> {
    header: PKIHeader<'a>,
    free_text: Vec<asn1::Utf8String<'a>>,
    general_info: Vec<InfoTypeAndValue<'a>>,
    extra_certs: Vec<Certificate<'a>>,
}

impl<'a> MessageBuilder<'a> {
    /// Start a message from `sender` to `recipient` with `pvno` cmp2000 (2). Use
    /// [`MessageBuilder::pvno`] for cmp2021 (3), which RFC 9810 requires for some features
    /// (e.g. `hashAlg` in certConf, KEM).
    pub fn new(sender: GeneralName<'a>, recipient: GeneralName<'a>) -> Self {
        MessageBuilder {
            header: PKIHeader::new(PVNO_CMP2000, sender, recipient),
            free_text: Vec::new(),
            general_info: Vec::new(),
            extra_certs: Vec::new(),
        }
    }

    /// Set `pvno`.
    pub fn pvno(mut self, pvno: i64) -> Self {
        self.header.pvno = pvno;
        self
    }

    /// Set `messageTime`.
    pub fn message_time(mut self, t: GeneralizedTime<'a>) -> Self {
        self.header.message_time = Some(t);
        self
    }

    /// Set `protectionAlg` (the protection itself is computed over the finished message).
    pub fn protection_alg(mut self, alg: AlgorithmIdentifier<'a>) -> Self {
        self.header.protection_alg = Some(alg);
        self
    }

    /// Set `senderKID`.
    pub fn sender_kid(mut self, kid: &'a [u8]) -> Self {
        self.header.sender_kid = Some(kid);
        self
    }

    /// Set `recipKID`.
    pub fn recip_kid(mut self, kid: &'a [u8]) -> Self {
        self.header.recip_kid = Some(kid);
        self
    }

    /// Set `transactionID` (RFC 9483: 128 random bits).
    pub fn transaction_id(mut self, tid: &'a [u8]) -> Self {
        self.header.transaction_id = Some(tid);
        self
    }

    /// Set `senderNonce` (RFC 9483: 128 random bits).
    pub fn sender_nonce(mut self, nonce: &'a [u8]) -> Self {
        self.header.sender_nonce = Some(nonce);
        self
    }

    /// Set `recipNonce` (the peer's last `senderNonce`).
    pub fn recip_nonce(mut self, nonce: &'a [u8]) -> Self {
        self.header.recip_nonce = Some(nonce);
        self
    }

    /// Add a line of `freeText`.
    pub fn free_text(mut self, text: &'a str) -> Self {
        self.free_text.push(asn1::Utf8String::new(text));
        self
    }

    /// Add an entry to `generalInfo`.
    pub fn general_info(mut self, itav: InfoTypeAndValue<'a>) -> Self {
        self.general_info.push(itav);
        self
    }

    /// Add `id-it-implicitConfirm` to `generalInfo`.
    pub fn implicit_confirm(self) -> Self {
        self.general_info(InfoTypeAndValue::new(InfoValue::ImplicitConfirm(Some(()))))
    }

    /// Add `id-it-confirmWaitTime` to `generalInfo`.
    pub fn confirm_wait_time(self, t: GeneralizedTime<'a>) -> Self {
        self.general_info(InfoTypeAndValue::new(InfoValue::ConfirmWaitTime(Some(t))))
    }

    /// Add a certificate to `extraCerts` (for signature protection: the signer first, then
    /// its chain, as RFC 9483 requires).
    pub fn extra_cert(mut self, cert: Certificate<'a>) -> Self {
        self.extra_certs.push(cert);
        self
    }

    /// The header as built so far.
    pub fn header(&self) -> &PKIHeader<'a> {
        &self.header
    }

    /// Finish with any body.
    pub fn body(self, body: PKIBody<'a>) -> PKIMessage<'a> {
        let MessageBuilder {
            mut header,
            free_text,
            general_info,
            extra_certs,
        } = self;
        if !free_text.is_empty() {
            header.free_text = Some(SeqOf::new(free_text));
        }
        if !general_info.is_empty() {
            header.general_info = Some(SeqOf::new(general_info));
        }
        let mut msg = PKIMessage::new(header, body);
        if !extra_certs.is_empty() {
            msg.extra_certs = Some(SeqOf::new(extra_certs));
        }
        msg
    }

    /// Initialization request.
    pub fn ir(self, reqs: Vec<CertReqMsg<'a>>) -> Result<PKIMessage<'a>, BuildError> {
        Ok(self.body(PKIBody::Ir(non_empty("ir", reqs)?)))
    }

    /// Certification request.
    pub fn cr(self, reqs: Vec<CertReqMsg<'a>>) -> Result<PKIMessage<'a>, BuildError> {
        Ok(self.body(PKIBody::Cr(non_empty("cr", reqs)?)))
    }

    /// Key update request.
    pub fn kur(self, reqs: Vec<CertReqMsg<'a>>) -> Result<PKIMessage<'a>, BuildError> {
        Ok(self.body(PKIBody::Kur(non_empty("kur", reqs)?)))
    }

    /// Key recovery request.
    pub fn krr(self, reqs: Vec<CertReqMsg<'a>>) -> Result<PKIMessage<'a>, BuildError> {
        Ok(self.body(PKIBody::Krr(non_empty("krr", reqs)?)))
    }

    /// Cross-certification request.
    pub fn ccr(self, reqs: Vec<CertReqMsg<'a>>) -> Result<PKIMessage<'a>, BuildError> {
        Ok(self.body(PKIBody::Ccr(non_empty("ccr", reqs)?)))
    }

    /// PKCS#10 certification request.
    pub fn p10cr(self, csr: CertificationRequest<'a>) -> PKIMessage<'a> {
        self.body(PKIBody::P10cr(csr))
    }

    /// Revocation request.
    pub fn rr(self, details: Vec<RevDetails<'a>>) -> PKIMessage<'a> {
        self.body(PKIBody::Rr(SeqOf::new(details)))
    }

    /// General message (an empty list asks for whatever the server wants to send).
    pub fn genm(self, itavs: Vec<InfoTypeAndValue<'a>>) -> PKIMessage<'a> {
        self.body(PKIBody::Genm(SeqOf::new(itavs)))
    }

    /// General response.
    pub fn genp(self, itavs: Vec<InfoTypeAndValue<'a>>) -> PKIMessage<'a> {
        self.body(PKIBody::Genp(SeqOf::new(itavs)))
    }

    /// Certificate confirmation.
    pub fn cert_conf(self, statuses: Vec<CertStatus<'a>>) -> PKIMessage<'a> {
        self.body(PKIBody::CertConf(CertConfirmContent::new(statuses)))
    }

    /// Polling request for the given `certReqId`s.
    pub fn poll_req(self, cert_req_ids: &[i64]) -> PKIMessage<'a> {
        let reqs = cert_req_ids
            .iter()
            .map(|id| PollReq { cert_req_id: *id })
            .collect();
        self.body(PKIBody::PollReq(SeqOf::new(reqs)))
    }

    /// Polling response.
    pub fn poll_rep(self, reps: Vec<PollRep<'a>>) -> PKIMessage<'a> {
        self.body(PKIBody::PollRep(SeqOf::new(reps)))
    }

    /// Error message.
    pub fn error(self, content: ErrorMsgContent<'a>) -> PKIMessage<'a> {
        self.body(PKIBody::Error(content))
    }

    /// Initialization response.
    pub fn ip(self, rep: CertRepMessage<'a>) -> PKIMessage<'a> {
        self.body(PKIBody::Ip(rep))
    }

    /// Certification response.
    pub fn cp(self, rep: CertRepMessage<'a>) -> PKIMessage<'a> {
        self.body(PKIBody::Cp(rep))
    }

    /// Key update response.
    pub fn kup(self, rep: CertRepMessage<'a>) -> PKIMessage<'a> {
        self.body(PKIBody::Kup(rep))
    }

    /// Cross-certification response.
    pub fn ccp(self, rep: CertRepMessage<'a>) -> PKIMessage<'a> {
        self.body(PKIBody::Ccp(rep))
    }

    /// Revocation response.
    pub fn rp(self, rep: RevRepContent<'a>) -> PKIMessage<'a> {
        self.body(PKIBody::Rp(rep))
    }

    /// Confirmation (`pkiconf`).
    pub fn pkiconf(self) -> PKIMessage<'a> {
        self.body(PKIBody::Pkiconf(()))
    }

    /// Nested message (RA): `messages` are complete DER `PKIMessage`s.
    pub fn nested(self, messages: Vec<RawMessage<'a>>) -> Result<PKIMessage<'a>, BuildError> {
        Ok(self.body(PKIBody::Nested(non_empty("nested", messages)?)))
    }

    /// CA key update announcement.
    pub fn ckuann(self, content: CAKeyUpdContent<'a>) -> PKIMessage<'a> {
        self.body(PKIBody::Ckuann(content))
    }
}

/// A `CertReqMsg` with `certReqId` and template, no POP, no controls.
pub fn cert_req_msg(cert_req_id: i64, template: CertTemplate<'_>) -> CertReqMsg<'_> {
    CertReqMsg {
        cert_req: CertRequest {
            cert_req_id,
            cert_template: template,
            controls: None,
        },
        popo: None,
        reg_info: None,
    }
}

/// The same `CertReqMsg` with a proof of possession.
pub fn with_popo<'a>(mut msg: CertReqMsg<'a>, popo: ProofOfPossession<'a>) -> CertReqMsg<'a> {
    msg.popo = Some(popo);
    msg
}

/// A `CertRepMessage` with the given responses and optional `caPubs`.
pub fn cert_rep<'a>(
    responses: Vec<CertResponse<'a>>,
    ca_pubs: Vec<Certificate<'a>>,
) -> CertRepMessage<'a> {
    CertRepMessage {
        ca_pubs: (!ca_pubs.is_empty()).then(|| SeqOf::new(ca_pubs)),
        response: SeqOf::new(responses),
    }
}

/// A `CertResponse` granting `cert`.
pub fn cert_response_accepted<'a>(cert_req_id: i64, cert: Certificate<'a>) -> CertResponse<'a> {
    CertResponse {
        cert_req_id,
        status: PKIStatusInfo::accepted(),
        certified_key_pair: Some(CertifiedKeyPair {
            cert_or_enc_cert: CertOrEncCert::Certificate(cert),
            private_key: None,
            publication_info: None,
        }),
        rsp_info: None,
    }
}

/// A `CertResponse` with only a status (rejection, waiting, ...).
pub fn cert_response_status<'a>(cert_req_id: i64, status: PKIStatusInfo<'a>) -> CertResponse<'a> {
    CertResponse {
        cert_req_id,
        status,
        certified_key_pair: None,
        rsp_info: None,
    }
}

/// A `CertStatus` for certConf.
pub fn cert_status<'a>(
    cert_hash: &'a [u8],
    cert_req_id: i64,
    status_info: Option<PKIStatusInfo<'a>>,
) -> CertStatus<'a> {
    CertStatus {
        cert_hash,
        cert_req_id,
        status_info,
        hash_alg: None,
    }
}

/// A `RevDetails` for the certificate described by `template` (typically issuer and serial).
pub fn rev_details(template: CertTemplate<'_>) -> RevDetails<'_> {
    RevDetails {
        cert_details: template,
        crl_entry_details: None,
    }
}

/// A `RevRepContent` with one status per revocation request.
pub fn rev_rep(statuses: Vec<PKIStatusInfo<'_>>) -> Result<RevRepContent<'_>, BuildError> {
    Ok(RevRepContent {
        status: non_empty("rp.status", statuses)?,
        rev_certs: None,
        crls: None,
    })
}

/// `PKIFreeText` from lines of text.
pub fn free_text<'a>(lines: &[&'a str]) -> Result<PKIFreeText<'a>, BuildError> {
    non_empty(
        "PKIFreeText",
        lines.iter().map(|l| asn1::Utf8String::new(l)).collect(),
    )
}

/// An `ErrorMsgContent`.
pub fn error_content<'a>(
    status: PKIStatusInfo<'a>,
    error_code: Option<i64>,
    details: Option<PKIFreeText<'a>>,
) -> ErrorMsgContent<'a> {
    ErrorMsgContent {
        pki_status_info: status,
        error_code,
        error_details: details,
    }
}

/// A small unprotected `genm` (for examples and doc tests).
pub fn example_genm() -> Vec<u8> {
    MessageBuilder::new(GeneralName::null_dn(), GeneralName::null_dn())
        .genm(vec![])
        .encode()
}
