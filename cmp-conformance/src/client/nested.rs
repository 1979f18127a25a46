//! Requests of the RA role: a `nested` message (RFC 9483 5.2.2) that wraps one request under
//! that request's own transactionID and senderNonce (5.2.2.1, adding protection) or bundles
//! several under a fresh transactionID and senderNonce (5.2.2.2, batching), signed with the
//! profile's RA credential (or, for negative probes, another signer or none).

use cmp_codec::builder::MessageBuilder;
use cmp_codec::protection::protect_with_signature;
use cmp_codec::raw::{Name, RawMessage};
use cmp_codec::{AlgorithmIdentifier, GeneralName, PKIMessage};

use super::keys::{random_vec, Credential, RawSignature, SigningKey};
use super::{build_request, post_process, Built, Creds, TxState, BREAKS_AUTH};
use crate::check::x509::CertInfo;
use crate::scenario::Step;
use cmp_codec::der::tlv;

fn dbg_e<E: std::fmt::Debug>(what: &'static str) -> impl Fn(E) -> String {
    move |err| format!("{what}: {err:?}")
}

/// The transactionID and senderNonce of a DER request.
fn ids(der: &[u8]) -> Result<(Vec<u8>, Vec<u8>), String> {
    let m = PKIMessage::parse(der).map_err(|e| format!("inner request: {e}"))?;
    Ok((
        m.header.transaction_id.unwrap_or_default().to_vec(),
        m.header.sender_nonce.unwrap_or_default().to_vec(),
    ))
}

/// Build the nested request of `step` (`send = "nested"`). A wrapped single request updates
/// `tx` as if it had been sent directly (its certConf follows as usual); the requests of a
/// batch are built on copies of `tx` (each is an operation of its own).
pub fn build(step: &Step, creds: &Creds, tx: &mut TxState, now: i64) -> Result<Built, String> {
    let mut inner: Vec<Vec<u8>> = Vec::new();
    if step.batch {
        for st in &step.inner {
            let mut scratch = tx.clone();
            inner.push(build_request(st, creds, &mut scratch, now)?.der);
        }
    } else {
        let st = step
            .inner
            .first()
            .ok_or("a nested step needs an inner request")?;
        inner.push(build_request(st, creds, tx, now)?.der);
    }
    let first = inner
        .first()
        .ok_or("a nested step needs an inner request")?;
    let (tid, nonce) = if step.batch {
        (random_vec(16), random_vec(16))
    } else {
        ids(first)?
    };

    let unprotected = step.has("unprotected") || step.protection.as_deref() == Some("none");
    let cred: Option<Credential> = if unprotected {
        None
    } else {
        match step.protection.as_deref().unwrap_or("ra") {
            "ra" => Some(creds.ra.clone().ok_or("the profile has no [ra]")?),
            "signature" => Some(creds.signer.clone().ok_or("the profile has no [signer]")?),
            "rogue" => Some(creds.rogue.clone().ok_or("no rogue credential")?),
            other => return Err(format!("nested messages are not protected with {other:?}")),
        }
    };
    let sender_der = match &cred {
        Some(c) => CertInfo::parse(&c.cert)?.subject,
        None => creds
            .ra
            .as_ref()
            .map(|c| CertInfo::parse(&c.cert).map(|i| i.subject))
            .transpose()?
            .unwrap_or_else(|| vec![0x30, 0x00]),
    };
    let sender = GeneralName::DirectoryName(Name::from_der(&sender_der).map_err(dbg_e("sender"))?);
    let recipient =
        GeneralName::DirectoryName(Name::from_der(&creds.recipient).map_err(dbg_e("recipient"))?);
    let mut b = MessageBuilder::new(sender, recipient)
        .pvno(step.pvno.unwrap_or(2))
        .transaction_id(&tid)
        .sender_nonce(&nonce);
    if let Some(gt) = cmp_codec::GeneralizedTime::from_unix_seconds(now) {
        b = b.message_time(gt);
    }
    let raw: Vec<RawMessage<'_>> = inner
        .iter()
        .map(|d| RawMessage::from_der(d).map_err(dbg_e("inner request")))
        .collect::<Result<_, _>>()?;
    let msg = b.nested(raw).map_err(|e| format!("nested: {e}"))?;

    if step.has("empty-nested") {
        // PKIMessages is SIZE (1..MAX): an empty one is no valid PKIMessage.
        let header = msg.encode();
        let parsed = PKIMessage::parse(&header).map_err(|e| format!("re-parse: {e}"))?;
        let h = parsed.header_der().ok_or("no header bytes")?;
        let der = tlv(0x30, &[h, &[0xb4, 0x02, 0x30, 0x00][..]].concat());
        return Ok(Built {
            der,
            authentic: false,
        });
    }
    let authentic = !step
        .mutate
        .iter()
        .any(|m| BREAKS_AUTH.contains(&m.as_str()));
    let der = match &cred {
        None => msg.encode(),
        Some(c) => {
            let alg_der = c.key.algorithm_der();
            let alg =
                asn1::parse_single::<AlgorithmIdentifier<'_>>(&alg_der).map_err(dbg_e("alg"))?;
            let chain: Vec<&[u8]> = c.chain.iter().map(|v| v.as_slice()).collect();
            let signed = protect_with_signature::<SigningKey, RawSignature>(
                &msg, &c.key, &alg, &c.cert, &chain,
            )
            .map_err(|e| format!("signature protection: {e}"))?;
            post_process(signed, step, creds)?
        }
    };
    Ok(Built {
        der,
        authentic: authentic && cred.is_some(),
    })
}
