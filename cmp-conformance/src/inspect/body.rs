//! Dump of `PKIBody`: one function per kind of content, all 27 alternatives handled.

use cmp_codec::body::{
    CAKeyUpdContent, CertOrEncCert, CertRepMessage, CertifiedKeyPair, ErrorMsgContent,
    KeyRecRepContent, RevAnnContent, RevRepContent,
};
use cmp_codec::status::PKIStatusInfo;
use cmp_codec::PKIBody;

use super::writer::TreeWriter;
use super::{cert, crmf, itav, text, tree};

/// `body: <arm>` and the content of the alternative.
pub(crate) fn write_body(w: &mut TreeWriter, body: &PKIBody<'_>) {
    let heading = format!("body: {}", body.name());
    match body {
        PKIBody::Ir(reqs)
        | PKIBody::Cr(reqs)
        | PKIBody::Kur(reqs)
        | PKIBody::Krr(reqs)
        | PKIBody::Ccr(reqs) => w.nest(heading, |w| crmf::write_cert_req_messages(w, reqs)),
        PKIBody::Ip(rep) | PKIBody::Cp(rep) | PKIBody::Kup(rep) | PKIBody::Ccp(rep) => {
            w.nest(heading, |w| write_cert_rep(w, rep))
        }
        PKIBody::P10cr(csr) => w.nest(heading, |w| write_csr(w, csr.der())),
        PKIBody::Popdecc(challenges) => w.nest(heading, |w| {
            for (i, c) in challenges.iter().enumerate() {
                w.nest(format_args!("[{i}] Challenge"), |w| {
                    w.opt_field("owf", c.owf.as_ref().map(text::algorithm));
                    w.field("witness", text::hex(c.witness));
                    w.field("challenge", format_args!("{} bytes", c.challenge.len()));
                    w.opt_field(
                        "encryptedRand",
                        c.encrypted_rand
                            .as_ref()
                            .map(|e| format!("envelopedData, {} bytes", text::sequence_len(e))),
                    );
                });
            }
        }),
        PKIBody::Popdecr(answers) => w.nest(heading, |w| {
            for (i, n) in answers.iter().enumerate() {
                w.field(&format!("[{i}]"), text::bigint(&n));
            }
        }),
        PKIBody::Krp(rep) => w.nest(heading, |w| write_key_rec_rep(w, rep)),
        PKIBody::Rr(details) => w.nest(heading, |w| {
            for (i, d) in details.iter().enumerate() {
                w.nest(format_args!("[{i}] RevDetails"), |w| {
                    crmf::write_template(w, "certDetails", &d.cert_details);
                    if let Some(exts) = &d.crl_entry_details {
                        w.nest(format_args!("crlEntryDetails ({})", exts.len()), |w| {
                            for e in exts.iter() {
                                w.line(text::extension(&e));
                            }
                        });
                    }
                });
            }
        }),
        PKIBody::Rp(rep) => w.nest(heading, |w| write_rev_rep(w, rep)),
        PKIBody::Ckuann(content) => w.nest(heading, |w| match content {
            CAKeyUpdContent::CAKeyUpdAnnV2(c) => {
                w.nest("cAKeyUpdAnnV2", |w| itav::write_ca_key_upd_ann(w, c))
            }
            CAKeyUpdContent::CAKeyUpdAnnV3(c) => {
                w.nest("cAKeyUpdAnnV3", |w| itav::write_root_ca_key_update(w, c))
            }
        }),
        PKIBody::Cann(c) => w.nest(heading, |w| {
            tree::write_certificate(w, "certificate", c.der())
        }),
        PKIBody::Rann(ann) => w.nest(heading, |w| write_rev_ann(w, ann)),
        PKIBody::Crlann(crls) => w.nest(format_args!("{heading} ({})", crls.len()), |w| {
            for (i, c) in crls.iter().enumerate() {
                tree::write_crl(w, &format!("[{i}] CRL"), c.der());
            }
        }),
        PKIBody::Pkiconf(()) => w.line(format_args!("{heading} (NULL)")),
        PKIBody::Nested(msgs) => w.nest(format_args!("{heading} ({})", msgs.len()), |w| {
            tree::write_messages(w, msgs)
        }),
        PKIBody::Genm(itavs) | PKIBody::Genp(itavs) => {
            if itavs.is_empty() {
                w.line(format_args!("{heading} (empty)"));
            } else {
                w.nest(format_args!("{heading} ({})", itavs.len()), |w| {
                    for i in itavs.iter() {
                        itav::write_itav(w, &i);
                    }
                })
            }
        }
        PKIBody::Error(e) => w.nest(heading, |w| write_error(w, e)),
        PKIBody::CertConf(statuses) => {
            w.nest(format_args!("{heading} ({})", statuses.len()), |w| {
                for (i, s) in statuses.iter().enumerate() {
                    w.nest(format_args!("[{i}] CertStatus"), |w| {
                        w.field("certHash", text::hex(s.cert_hash));
                        w.field("certReqId", s.cert_req_id);
                        w.opt_field("statusInfo", s.status_info.as_ref().map(status));
                        w.opt_field("hashAlg", s.hash_alg.as_ref().map(text::algorithm));
                    });
                }
            })
        }
        PKIBody::PollReq(reqs) => w.nest(heading, |w| {
            for (i, r) in reqs.iter().enumerate() {
                w.field(&format!("[{i}] certReqId"), r.cert_req_id);
            }
        }),
        PKIBody::PollRep(reps) => w.nest(heading, |w| {
            for (i, r) in reps.iter().enumerate() {
                w.nest(format_args!("[{i}] certReqId {}", r.cert_req_id), |w| {
                    w.field("checkAfter", format_args!("{} s", r.check_after));
                    w.opt_field("reason", r.reason.as_ref().map(text::free_text));
                });
            }
        }),
    }
}

fn status(info: &PKIStatusInfo<'_>) -> text::StatusSummary {
    text::StatusSummary::new(info)
}

fn write_cert_rep(w: &mut TreeWriter, rep: &CertRepMessage<'_>) {
    if let Some(ca_pubs) = &rep.ca_pubs {
        w.nest(format_args!("caPubs ({})", ca_pubs.len()), |w| {
            for (i, c) in ca_pubs.iter().enumerate() {
                tree::write_certificate(w, &format!("[{i}] certificate"), c.der());
            }
        });
    }
    w.nest(format_args!("response ({})", rep.response.len()), |w| {
        for (i, r) in rep.response.iter().enumerate() {
            w.nest(format_args!("[{i}] certReqId {}", r.cert_req_id), |w| {
                w.field("status", status(&r.status));
                match &r.certified_key_pair {
                    None => w.field("certifiedKeyPair", "absent"),
                    Some(kp) => w.nest("certifiedKeyPair", |w| write_certified_key_pair(w, kp)),
                }
                w.opt_field("rspInfo", r.rsp_info.map(text::hex));
            });
        }
    });
}

fn write_key_rec_rep(w: &mut TreeWriter, rep: &KeyRecRepContent<'_>) {
    w.field("status", status(&rep.status));
    if let Some(c) = &rep.new_sig_cert {
        tree::write_certificate(w, "newSigCert", c.der());
    }
    if let Some(certs) = &rep.ca_certs {
        w.nest(format_args!("caCerts ({})", certs.len()), |w| {
            for (i, c) in certs.iter().enumerate() {
                tree::write_certificate(w, &format!("[{i}] certificate"), c.der());
            }
        });
    }
    if let Some(hist) = &rep.key_pair_hist {
        w.nest(format_args!("keyPairHist ({})", hist.len()), |w| {
            for (i, kp) in hist.iter().enumerate() {
                w.nest(format_args!("[{i}] CertifiedKeyPair"), |w| {
                    write_certified_key_pair(w, &kp)
                });
            }
        });
    }
}

fn write_certified_key_pair(w: &mut TreeWriter, kp: &CertifiedKeyPair<'_>) {
    match &kp.cert_or_enc_cert {
        CertOrEncCert::Certificate(c) => tree::write_certificate(w, "certificate", c.der()),
        CertOrEncCert::EncryptedCert(k) => w.field("encryptedCert", crmf::encrypted_key(k)),
    }
    w.opt_field(
        "privateKey",
        kp.private_key.as_ref().map(crmf::encrypted_key),
    );
    w.opt_field(
        "publicationInfo",
        kp.publication_info.as_ref().map(crmf::publication_info),
    );
}

fn write_rev_rep(w: &mut TreeWriter, rep: &RevRepContent<'_>) {
    w.nest(format_args!("status ({})", rep.status.len()), |w| {
        for (i, s) in rep.status.iter().enumerate() {
            w.field(&format!("[{i}]"), status(&s));
        }
    });
    if let Some(ids) = &rep.rev_certs {
        w.nest(format_args!("revCerts ({})", ids.len()), |w| {
            for (i, id) in ids.iter().enumerate() {
                w.field(&format!("[{i}]"), crmf::cert_id(&id));
            }
        });
    }
    if let Some(crls) = &rep.crls {
        w.nest(format_args!("crls ({})", crls.len()), |w| {
            for (i, c) in crls.iter().enumerate() {
                tree::write_crl(w, &format!("[{i}] CRL"), c.der());
            }
        });
    }
}

fn write_rev_ann(w: &mut TreeWriter, ann: &RevAnnContent<'_>) {
    let st = ann
        .status
        .name()
        .map_or_else(|| format!("unknown({})", ann.status.0), str::to_string);
    w.field("status", st);
    w.field("certId", crmf::cert_id(&ann.cert_id));
    w.field(
        "willBeRevokedAt",
        text::generalized_time(&ann.will_be_revoked_at),
    );
    w.field("badSinceDate", text::generalized_time(&ann.bad_since_date));
    if let Some(exts) = &ann.crl_details {
        w.nest(format_args!("crlDetails ({})", exts.len()), |w| {
            for e in exts.iter() {
                w.line(text::extension(&e));
            }
        });
    }
}

fn write_error(w: &mut TreeWriter, e: &ErrorMsgContent<'_>) {
    w.field("pKIStatusInfo", status(&e.pki_status_info));
    w.opt_field("errorCode", e.error_code);
    w.opt_field(
        "errorDetails",
        e.error_details.as_ref().map(text::free_text),
    );
}

fn write_csr(w: &mut TreeWriter, der: &[u8]) {
    match cert::csr(der) {
        Ok(c) => w.nest("certificationRequest", |w| {
            w.field("subject", &c.subject);
            w.field("publicKey", &c.public_key);
            w.field("signature", &c.signature_alg);
            if !c.attributes.is_empty() {
                w.field("attributes", format_args!("[{}]", c.attributes.join(", ")));
            }
        }),
        Err(e) => w.field(
            "certificationRequest",
            format_args!("undecodable ({e}), {} bytes", der.len()),
        ),
    }
}
