//! Header checks (RFC 9483 section 3.1, RFC 9810 5.1.1): version, transactionID, nonces,
//! recipient, messageTime, implicitConfirm / confirmWaitTime, certProfile, unused fields.

use cmp_codec::itav::InfoValue;
use cmp_codec::{GeneralName, PKIBody, PKIMessage, PKIStatus};

use super::{hex, CheckState, Config, ExchangeInput, Findings, OpState};

/// Whether an ip/cp/kup holds a positive CertResponse.
pub(crate) fn positive_cert_rep(body: &PKIBody<'_>) -> bool {
    match body {
        PKIBody::Ip(r) | PKIBody::Cp(r) | PKIBody::Kup(r) => r.response.iter().any(|c| {
            c.status.status == PKIStatus::ACCEPTED
                || c.status.status == PKIStatus::GRANTED_WITH_MODS
        }),
        _ => false,
    }
}

/// Run the header checks.
pub fn check(
    out: &mut Findings,
    cfg: &Config,
    state: &CheckState,
    op: &OpState,
    req: Option<&PKIMessage<'_>>,
    rsp: &PKIMessage<'_>,
    input: &ExchangeInput<'_>,
) {
    let h = &rsp.header;
    let arm = rsp.body.name();

    if let Some(req) = req {
        let rh = &req.header;
        // Version.
        if rh.pvno == 2 && h.pvno != 2 {
            out.violation(
                "HDR-03",
                format!("request pvno 2, response pvno {}", h.pvno),
            );
        }
        if rh.pvno == 3 && h.pvno != 3 && arm != "error" {
            out.violation(
                "R9810-7",
                format!("request pvno 3 answered by a {arm} with pvno {}", h.pvno),
            );
        }
        // transactionID.
        if let Some(tid) = rh.transaction_id {
            match h.transaction_id {
                Some(t) if t == tid => {}
                Some(t) => out.violation(
                    "HDR-15",
                    format!(
                        "transactionID {} but the request's was {}",
                        hex(t),
                        hex(tid)
                    ),
                ),
                None => out.violation("HDR-15", "transactionID absent"),
            }
        }
        // recipNonce.
        if let Some(n) = rh.sender_nonce {
            let delayed_final = req.body.name() == "pollReq" && arm != "pollRep" && arm != "error";
            match h.recip_nonce {
                Some(r) if r == n => {}
                Some(r) if delayed_final && r == op.first_sender_nonce.as_slice() => {}
                Some(r) => {
                    let rule = if delayed_final { "HDR-18" } else { "HDR-19" };
                    out.violation(
                        rule,
                        format!(
                            "recipNonce {} but the request's senderNonce was {}",
                            hex(r),
                            hex(n)
                        ),
                    )
                }
                None => out.violation("HDR-19", "recipNonce absent"),
            }
        }
        // Recipient = request sender.
        if h.recipient != rh.sender && rh.sender != GeneralName::null_dn() {
            out.violation(
                "RA-03",
                format!(
                    "recipient {} but the request's sender was {}",
                    name_text(&h.recipient),
                    name_text(&rh.sender)
                ),
            );
        }
    }

    // senderNonce.
    match h.sender_nonce {
        None => out.violation("HDR-16", "senderNonce absent"),
        Some(n) => {
            if n.len() != 16 {
                out.violation(
                    "HDR-16",
                    format!("senderNonce has {} bits, not 128", n.len() * 8),
                );
            }
            if state.our_nonces.contains(n) {
                out.violation(
                    "HDR-16",
                    format!("senderNonce {} repeats one the runner sent", hex(n)),
                );
            } else if state.server_nonces.contains(n) {
                out.violation(
                    "HDR-16",
                    format!("senderNonce {} was already used in this run", hex(n)),
                );
            }
        }
    }

    // messageTime.
    if let Some(t) = &h.message_time {
        if !t.is_der() {
            out.violation(
                "HDR-08",
                format!(
                    "messageTime {:?} is not in the DER form YYYYMMDDHHMMSSZ",
                    t.as_str()
                ),
            );
        }
        let secs = t.to_utc().unix_seconds();
        let skew = (secs - input.at).abs();
        if skew > cfg.max_skew {
            out.warn(
                "HDR-08",
                format!(
                    "messageTime {} is {skew} s away from the runner's clock (allowed {} s)",
                    t.as_str(),
                    cfg.max_skew
                ),
            );
        }
    }

    // generalInfo: implicitConfirm, confirmWaitTime, certProfile.
    let mut implicit = false;
    let mut cwt = None;
    for itav in h.general_info() {
        match &itav.info_value {
            InfoValue::ImplicitConfirm(v) => {
                implicit = true;
                if v.is_none() {
                    out.warn("HDR-23", "implicitConfirm without its NULL value");
                }
            }
            InfoValue::ConfirmWaitTime(Some(t)) => cwt = Some(*t),
            InfoValue::ConfirmWaitTime(None) => {
                out.violation("HDR-26", "confirmWaitTime without a value")
            }
            InfoValue::CertProfile(_) => out.violation("HDR-27", format!("certProfile in a {arm}")),
            _ => {}
        }
    }
    let cert_rep = matches!(arm, "ip" | "cp" | "kup");
    if implicit {
        if !cert_rep {
            out.violation("HDR-22", format!("implicitConfirm in a {arm}"));
        } else if !op.implicit_requested {
            out.violation(
                "HDR-21",
                format!(
                    "implicitConfirm granted in a {arm} although the request did not ask for it"
                ),
            );
        }
    }
    if let Some(c) = &cwt {
        if implicit {
            out.violation("HDR-25", "confirmWaitTime together with implicitConfirm");
        }
        match &h.message_time {
            None => out.violation("HDR-07", "confirmWaitTime without messageTime"),
            Some(m) => {
                if c.to_utc().unix_seconds() <= m.to_utc().unix_seconds() {
                    out.violation(
                        "HDR-26",
                        format!(
                            "confirmWaitTime {} is not later than messageTime {}",
                            c.as_str(),
                            m.as_str()
                        ),
                    );
                }
            }
        }
    }
    if cert_rep && positive_cert_rep(&rsp.body) && !implicit && cwt.is_none() {
        out.warn(
            "HDR-24",
            format!("positive {arm} without implicitConfirm and without confirmWaitTime"),
        );
    }
    if cert_rep && op.implicit_requested && positive_cert_rep(&rsp.body) {
        out.info(
            "IR-05",
            if implicit {
                "implicitConfirm asked for and granted"
            } else {
                "implicitConfirm asked for, not granted (explicit confirmation)"
            },
        );
    }

    // Fields the profile does not use.
    if h.free_text.is_some() && arm != "error" {
        out.warn("PRE-02", format!("freeText in a {arm}"));
    }
    if h.recip_kid.is_some() {
        out.warn("PRE-02", format!("recipKID in a {arm}"));
    }
}

/// A GeneralName for reports.
pub fn name_text(n: &GeneralName<'_>) -> String {
    match n {
        GeneralName::DirectoryName(name) => {
            if name.der() == [0x30, 0x00] {
                "NULL-DN".to_string()
            } else {
                name.to_rfc4514()
                    .unwrap_or_else(|| "(undecodable name)".into())
            }
        }
        GeneralName::Rfc822Name(s) => format!("rfc822Name {}", s.as_str()),
        GeneralName::DnsName(s) => format!("dNSName {}", s.as_str()),
        GeneralName::UniformResourceIdentifier(s) => format!("URI {}", s.as_str()),
        other => format!("{other:?}"),
    }
}

/// The commonName of a directoryName, if any.
pub fn common_name(n: &GeneralName<'_>) -> Option<String> {
    match n {
        GeneralName::DirectoryName(name) => {
            let x = name.to_x509().ok()?;
            let cn = x.common_name().ok()??;
            Some(cn.value().into_owned())
        }
        _ => None,
    }
}
