//! Body checks (RFC 9483 sections 4.1 to 4.4): the response type, CertRepMessage, rp, genp,
//! error, pollRep.

use cmp_codec::body::{CertOrEncCert, CertRepMessage};
use cmp_codec::crmf::ControlValue;
use cmp_codec::itav::InfoValue;
use cmp_codec::{PKIBody, PKIMessage, PKIStatus};

use super::x509::CertInfo;
use super::{describe_status, expected_arms, Config, ExchangeInput, Findings, OpState};

/// The rule that charges a response of the wrong type, by request type.
fn wrong_type_rule(req_kind: &str) -> &'static str {
    match req_kind {
        "ir" | "cr" => "CR-02",
        "kur" => "KUR-03",
        "p10cr" => "P10-02",
        "rr" => "RR-03",
        "genm" => "GEN-02",
        "certConf" => "IR-08",
        "pollReq" => "POLL-06",
        _ => "RA-01",
    }
}

/// Run the body checks. Returns an operator root accepted under the 3GPP opt-in.
pub fn check(
    out: &mut Findings,
    cfg: &Config,
    op: &OpState,
    req: Option<&PKIMessage<'_>>,
    rsp: &PKIMessage<'_>,
    input: &ExchangeInput<'_>,
) -> Option<CertInfo> {
    let arm = rsp.body.name();
    let req_kind = req.map(|r| r.body.name()).unwrap_or("");
    let allowed = expected_arms(req_kind, &op.first_kind);
    if !allowed.is_empty() && arm != "error" && !allowed.contains(&arm) {
        out.violation(
            wrong_type_rule(req_kind),
            format!(
                "{req_kind} answered by {arm} (expected {} or error)",
                allowed.join("/")
            ),
        );
    }
    let mut anchor = None;
    match &rsp.body {
        PKIBody::Ip(rep) | PKIBody::Cp(rep) | PKIBody::Kup(rep) => {
            anchor = cert_rep(out, cfg, op, rep, rsp, arm, input);
        }
        PKIBody::Rp(rp) => {
            if rp.status.len() != 1 {
                out.violation(
                    "RR-07",
                    format!("rp.status holds {} PKIStatusInfo", rp.status.len()),
                );
            }
            for s in rp.status.iter() {
                match s.status {
                    PKIStatus::ACCEPTED => {
                        if s.fail_info
                            .as_ref()
                            .is_some_and(|f| f.set_bits().next().is_some())
                        {
                            out.violation("RR-08", format!("rp status {}", describe_status(&s)));
                        }
                    }
                    PKIStatus::REJECTION => {}
                    PKIStatus::WAITING => out.violation("POLL-01", "status waiting in an rp"),
                    _ => out.violation("RR-07", format!("rp status {}", describe_status(&s))),
                }
            }
        }
        PKIBody::Genp(itavs) => genp(out, op, itavs),
        PKIBody::Error(e) => {
            let s = &e.pki_status_info;
            if s.status != PKIStatus::REJECTION && s.status != PKIStatus::WAITING {
                out.violation(
                    "ERR-12",
                    format!("error message with status {}", describe_status(s)),
                );
            }
            if s.status == PKIStatus::WAITING
                && s.fail_info
                    .as_ref()
                    .is_some_and(|f| f.set_bits().next().is_some())
            {
                out.violation("POLL-07", "waiting error message with failInfo");
            }
        }
        PKIBody::PollRep(reps) => {
            let asked: Vec<i64> = match req.map(|r| &r.body) {
                Some(PKIBody::PollReq(p)) => p.iter().map(|x| x.cert_req_id).collect(),
                _ => Vec::new(),
            };
            for r in reps.iter() {
                if r.cert_req_id != 0 && r.cert_req_id != -1 {
                    out.violation("POLL-11", format!("pollRep certReqId {}", r.cert_req_id));
                }
                if !asked.is_empty() && !asked.contains(&r.cert_req_id) {
                    out.violation(
                        "POLL-04",
                        format!(
                            "pollRep certReqId {} but the pollReq asked for {asked:?}",
                            r.cert_req_id
                        ),
                    );
                }
                if r.check_after < 0 {
                    out.violation("POLL-11", format!("pollRep checkAfter {}", r.check_after));
                }
            }
        }
        _ => {}
    }
    anchor
}

fn cert_rep(
    out: &mut Findings,
    cfg: &Config,
    op: &OpState,
    rep: &CertRepMessage<'_>,
    rsp: &PKIMessage<'_>,
    arm: &str,
    input: &ExchangeInput<'_>,
) -> Option<CertInfo> {
    let p10 = op.first_kind == "p10cr";
    // 0 (-1 after p10cr) for the runner's own requests; a probe with another certReqId may
    // be answered with that one.
    let want_id = if p10 { -1 } else { op.requested_id };
    if rep.response.len() != 1 {
        out.violation(
            "IR-25",
            format!("{arm} holds {} CertResponses", rep.response.len()),
        );
    }
    let mut delivered: Option<CertInfo> = None;
    for r in rep.response.iter() {
        if r.cert_req_id != want_id {
            let rule = if p10 { "P10-03" } else { "IR-25" };
            out.violation(
                rule,
                format!("certReqId {} (expected {want_id})", r.cert_req_id),
            );
        }
        let s = &r.status;
        let positive = s.status == PKIStatus::ACCEPTED || s.status == PKIStatus::GRANTED_WITH_MODS;
        let has_fail_info = s
            .fail_info
            .as_ref()
            .is_some_and(|f| f.set_bits().next().is_some());
        match s.status {
            PKIStatus::ACCEPTED | PKIStatus::GRANTED_WITH_MODS | PKIStatus::REJECTION => {}
            PKIStatus::WAITING => {
                if has_fail_info {
                    out.violation("POLL-07", format!("waiting {arm} with failInfo"));
                }
            }
            _ => out.violation("IR-26", format!("{arm} status {}", describe_status(s))),
        }
        if positive && has_fail_info {
            out.violation("IR-27", format!("{arm} status {}", describe_status(s)));
        }
        match (&r.certified_key_pair, positive) {
            (None, true) => out.violation(
                "IR-28",
                format!(
                    "{arm} status {} without certifiedKeyPair",
                    describe_status(s)
                ),
            ),
            (Some(_), false) => {
                let rule = if s.status == PKIStatus::REJECTION {
                    "IR-10"
                } else {
                    "IR-28"
                };
                out.violation(
                    rule,
                    format!(
                        "{arm} status {} with a certifiedKeyPair",
                        describe_status(s)
                    ),
                )
            }
            _ => {}
        }
        if let Some(ckp) = &r.certified_key_pair {
            if ckp.private_key.is_some() && !op.central_keygen {
                out.violation(
                    "IR-29",
                    format!("{arm} carries a privateKey for a locally generated key"),
                );
            }
            match &ckp.cert_or_enc_cert {
                CertOrEncCert::EncryptedCert(_) => {
                    out.violation("IR-28", "certOrEncCert is encryptedCert, not certificate")
                }
                CertOrEncCert::Certificate(c) => {
                    match CertInfo::parse(c.der()) {
                        Err(e) => out.violation("IR-28", format!("the issued certificate: {e}")),
                        Ok(cert) => {
                            if let Some(spki) = &op.requested_spki {
                                if &cert.spki != spki {
                                    out.violation("IR-28", "the issued certificate's public key is not the requested key");
                                }
                            }
                            if s.status == PKIStatus::ACCEPTED {
                                if let Some(subj) = &op.requested_subject {
                                    if subj != &cert.subject && subj.as_slice() != [0x30, 0x00] {
                                        out.violation(
                                        "IR-28",
                                        format!("status accepted, but the issued subject {} is not the requested one", cert.subject_text()),
                                    );
                                    }
                                }
                            }
                            delivered = Some(cert);
                        }
                    }
                }
            }
        }
    }
    // caPubs.
    if let Some(ca_pubs) = &rep.ca_pubs {
        match arm {
            "cp" => out.violation("CR-03", format!("cp carries {} caPubs", ca_pubs.len())),
            "kup" => out.violation("KUR-08", format!("kup carries {} caPubs", ca_pubs.len())),
            _ => {}
        }
        if delivered.is_none() {
            out.violation("IR-24", "caPubs in an ip that delivers no certificate");
        }
        for c in ca_pubs.iter() {
            if let Ok(ci) = CertInfo::parse(c.der()) {
                if !ci.is_self_issued() {
                    out.warn(
                        "IR-24",
                        format!(
                            "caPubs holds {}, which is not a self-signed trust anchor",
                            ci.subject_text()
                        ),
                    );
                }
            }
        }
    }
    // The issued certificate's chain in extraCerts (root may be absent).
    let mut anchor = None;
    if let Some(cert) = &delivered {
        let extra: Vec<CertInfo> = rsp
            .extra_certs()
            .filter_map(|c| CertInfo::parse(c.der()).ok())
            .collect();
        let mut current = cert.clone();
        for _ in 0..8 {
            if current.is_self_issued() {
                break;
            }
            if let Some(next) = extra.iter().find(|c| current.is_signed_by(c)) {
                current = next.clone();
                continue;
            }
            let root_known = cfg.anchors.iter().any(|a| current.is_signed_by(a));
            let issuer_is_root = cfg
                .anchors
                .iter()
                .chain(cfg.untrusted.iter())
                .any(|a| a.subject == current.issuer && a.is_self_issued());
            if !(root_known && issuer_is_root) {
                out.violation(
                    "EXTRA-04",
                    format!(
                        "extraCerts lack the issuer {} of {}",
                        current.issuer_text(),
                        current.subject_text()
                    ),
                );
            }
            break;
        }
        // TS 33.310: the operator root in the ip's extraCerts.
        if input.threegpp && arm == "ip" {
            let root = extra
                .iter()
                .find(|c| c.is_self_issued() && c.is_signed_by(c));
            match root {
                None => out.warn(
                    "TS33310-4",
                    "the ip's extraCerts carry no self-signed operator root",
                ),
                Some(r) if cfg.trust_root_from_ip => anchor = Some(r.clone()),
                Some(_) => {}
            }
        }
    }
    anchor
}

fn genp(
    out: &mut Findings,
    op: &OpState,
    itavs: &cmp_codec::SeqOf<'_, cmp_codec::itav::InfoTypeAndValue<'_>>,
) {
    let Some(asked) = op.genm_type.as_deref() else {
        return;
    };
    let (want, rule) = match asked {
        "caCerts" => ("caCerts", "GEN-11"),
        "rootCaCert" => ("rootCaKeyUpdate", "GEN-21"),
        "certReqTemplate" => ("certReqTemplate", "GEN-31"),
        "crlStatusList" => ("crls", "GEN-41"),
        _ => return,
    };
    if itavs.len() != 1 {
        out.violation(
            "GEN-02",
            format!(
                "genp holds {} InfoTypeAndValue (asked for {asked})",
                itavs.len()
            ),
        );
    }
    let Some(itav) = itavs.iter().next() else {
        return;
    };
    let got = itav
        .info_value
        .name()
        .map(str::to_string)
        .unwrap_or_else(|| itav.info_type().to_string());
    if got != want {
        out.violation(
            rule,
            format!("genm {asked} answered with infoType {got}, expected {want}"),
        );
        return;
    }
    match &itav.info_value {
        InfoValue::RootCaKeyUpdate(Some(u)) => {
            match CertInfo::parse(u.new_with_new.der()) {
                Ok(nwn) => {
                    if !(nwn.is_self_issued() && nwn.is_signed_by(&nwn)) {
                        out.violation("GEN-22", "newWithNew is not a self-signed certificate");
                    }
                }
                Err(e) => out.violation("GEN-22", format!("newWithNew: {e}")),
            }
            if u.new_with_old.is_none() {
                out.violation("GEN-22", "newWithOld absent");
            }
        }
        InfoValue::CertReqTemplate(Some(t)) => {
            let ct = &t.cert_template;
            for (present, name) in [
                (ct.public_key.is_some(), "publicKey"),
                (ct.serial_number.is_some(), "serialNumber"),
                (ct.signing_alg.is_some(), "signingAlg"),
                (ct.issuer_uid.is_some(), "issuerUID"),
                (ct.subject_uid.is_some(), "subjectUID"),
            ] {
                if present {
                    out.violation("GEN-32", format!("the template carries {name}"));
                }
            }
            if let Some(ks) = &t.key_spec {
                for c in ks.iter() {
                    match c.value {
                        ControlValue::AlgId(_) => {}
                        ControlValue::RsaKeyLen(n) if n > 0 => {}
                        ControlValue::RsaKeyLen(n) => {
                            out.violation("GEN-34", format!("rsaKeyLen {n}"))
                        }
                        _ => out.violation(
                            "GEN-33",
                            "keySpec holds a control other than algId or rsaKeyLen",
                        ),
                    }
                }
            }
        }
        InfoValue::Crls(Some(crls)) if crls.len() != 1 => {
            out.violation("GEN-43", format!("id-it-crls carries {} CRLs", crls.len()));
        }
        _ => {}
    }
}
