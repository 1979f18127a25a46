//! Dump of the CRMF structures: certificate requests, templates, controls, proof of
//! possession and encrypted keys.

use cmp_codec::common::CertId;
use cmp_codec::crmf::{
    AuthInfo, CertReqMessages, CertRequest, CertTemplate, Control, ControlValue, EncryptedKey,
    PKIArchiveOptions, PKIPublicationInfo, POPOPrivKey, ProofOfPossession, RegInfo, RegInfoValue,
    SUBSEQUENT_MESSAGE_CHALLENGE_RESP, SUBSEQUENT_MESSAGE_ENCR_CERT,
};

use super::writer::TreeWriter;
use super::{oids, text};

/// Every `CertReqMsg` of `ir`, `cr`, `kur`, `krr` or `ccr`.
pub(crate) fn write_cert_req_messages(w: &mut TreeWriter, reqs: &CertReqMessages<'_>) {
    for (i, req) in reqs.iter().enumerate() {
        w.nest(format_args!("[{i}] CertReqMsg"), |w| {
            write_cert_request(w, &req.cert_req);
            match &req.popo {
                Some(popo) => write_popo(w, popo),
                None => w.field("popo", "absent"),
            }
            if let Some(reg_info) = &req.reg_info {
                w.nest(format_args!("regInfo ({})", reg_info.len()), |w| {
                    for r in reg_info.iter() {
                        write_reg_info(w, &r);
                    }
                });
            }
        });
    }
}

/// `certReqId`, the template and the controls of a `CertRequest`.
pub(crate) fn write_cert_request(w: &mut TreeWriter, req: &CertRequest<'_>) {
    w.field("certReqId", req.cert_req_id);
    write_template(w, "certTemplate", &req.cert_template);
    if let Some(controls) = &req.controls {
        w.nest(format_args!("controls ({})", controls.len()), |w| {
            for c in controls.iter() {
                write_control(w, &c);
            }
        });
    }
}

/// The fields of a `CertTemplate` that are present.
pub(crate) fn write_template(w: &mut TreeWriter, heading: &str, t: &CertTemplate<'_>) {
    if *t == CertTemplate::default() {
        w.field(heading, "empty");
        return;
    }
    w.nest(heading, |w| {
        w.opt_field("version", t.version);
        w.opt_field("serialNumber", t.serial_number.as_ref().map(text::bigint));
        w.opt_field("signingAlg", t.signing_alg.as_ref().map(text::algorithm));
        w.opt_field("issuer", t.issuer.as_ref().map(text::name));
        if let Some(v) = &t.validity {
            let nb = v.not_before.as_ref().map_or("-".into(), text::time);
            let na = v.not_after.as_ref().map_or("-".into(), text::time);
            w.field("validity", format_args!("{nb} .. {na}"));
        }
        w.opt_field("subject", t.subject.as_ref().map(text::name));
        w.opt_field("publicKey", t.public_key.as_ref().map(text::public_key));
        w.opt_field(
            "issuerUID",
            t.issuer_uid.as_ref().map(|b| text::hex(b.as_bytes())),
        );
        w.opt_field(
            "subjectUID",
            t.subject_uid.as_ref().map(|b| text::hex(b.as_bytes())),
        );
        if let Some(exts) = &t.extensions {
            w.nest(format_args!("extensions ({})", exts.len()), |w| {
                for e in exts.iter() {
                    w.line(text::extension(&e));
                }
            });
        }
    });
}

/// `CertId`: issuer and serial number on one line.
pub(crate) fn cert_id(id: &CertId<'_>) -> String {
    format!(
        "issuer {}, serialNumber {}",
        text::general_name(&id.issuer),
        text::bigint(&id.serial_number)
    )
}

fn write_control(w: &mut TreeWriter, c: &Control<'_>) {
    match &c.value {
        ControlValue::RegToken(s) => w.field("regToken", text::quoted(s.as_str())),
        ControlValue::Authenticator(s) => w.field("authenticator", text::quoted(s.as_str())),
        ControlValue::PkiPublicationInfo(p) => w.field("pkiPublicationInfo", publication_info(p)),
        ControlValue::PkiArchiveOptions(o) => w.field("pkiArchiveOptions", archive_options(o)),
        ControlValue::OldCertId(id) => w.field("oldCertID", cert_id(id)),
        ControlValue::ProtocolEncrKey(k) => w.field("protocolEncrKey", text::public_key(k)),
        ControlValue::AltCertTemplate(t) => w.field(
            "altCertTemplate",
            format_args!("{} bytes", t.full_data().len()),
        ),
        ControlValue::AlgId(a) => w.field("algId", text::algorithm(a)),
        ControlValue::RsaKeyLen(n) => w.field("rsaKeyLen", n),
        ControlValue::Other(oid, v) => w.field(&oids::describe(oid), text::tlv(v)),
    }
}

fn write_reg_info(w: &mut TreeWriter, r: &RegInfo<'_>) {
    match &r.value {
        RegInfoValue::Utf8Pairs(s) => w.field("utf8Pairs", text::quoted(s.as_str())),
        RegInfoValue::CertReq(req) => w.nest("certReq", |w| write_cert_request(w, req)),
        RegInfoValue::Other(oid, v) => w.field(&oids::describe(oid), text::tlv(v)),
    }
}

/// `PKIPublicationInfo` on one line.
pub(crate) fn publication_info(p: &PKIPublicationInfo<'_>) -> String {
    let action = match p.action {
        0 => "dontPublish".to_string(),
        1 => "pleasePublish".to_string(),
        n => format!("unknown({n})"),
    };
    let infos = p.pub_infos.as_ref().map_or(0, |i| i.len());
    format!("action {action}, {infos} pubInfos")
}

fn archive_options(o: &PKIArchiveOptions<'_>) -> String {
    match o {
        PKIArchiveOptions::EncryptedPrivKey(k) => format!("encryptedPrivKey {}", encrypted_key(k)),
        PKIArchiveOptions::KeyGenParameters(p) => format!("keyGenParameters {}", text::hex(p)),
        PKIArchiveOptions::ArchiveRemGenPrivKey(b) => format!("archiveRemGenPrivKey {b}"),
    }
}

/// `EncryptedKey` on one line: which alternative and its algorithms.
pub(crate) fn encrypted_key(k: &EncryptedKey<'_>) -> String {
    match k {
        EncryptedKey::EncryptedValue(v) => {
            let mut s = "encryptedValue".to_string();
            if let Some(a) = &v.intended_alg {
                s.push_str(&format!(", intendedAlg {}", oids::short(a.algorithm)));
            }
            if let Some(a) = &v.symm_alg {
                s.push_str(&format!(", symmAlg {}", oids::short(a.algorithm)));
            }
            if let Some(a) = &v.key_alg {
                s.push_str(&format!(", keyAlg {}", oids::short(a.algorithm)));
            }
            s.push_str(&format!(", encValue {} bits", text::bit_len(&v.enc_value)));
            s
        }
        EncryptedKey::EnvelopedData(e) => {
            format!("envelopedData, {} bytes", text::sequence_len(e))
        }
    }
}

fn write_popo(w: &mut TreeWriter, popo: &ProofOfPossession<'_>) {
    match popo {
        ProofOfPossession::RaVerified(()) => w.field("popo", "raVerified"),
        ProofOfPossession::Signature(sk) => w.nest("popo: signature", |w| {
            if let Some(input) = &sk.poposk_input {
                let auth = match &input.auth_info {
                    AuthInfo::Sender(gn) => format!("sender {}", text::general_name(gn)),
                    AuthInfo::PublicKeyMac(mac) => {
                        format!("publicKeyMAC {}", text::algorithm(&mac.alg_id))
                    }
                };
                w.nest("poposkInput", |w| {
                    w.field("authInfo", auth);
                    w.field("publicKey", text::public_key(&input.public_key));
                });
            }
            w.field("algorithm", text::algorithm(&sk.algorithm_identifier));
            w.field(
                "signature",
                format_args!("{} bits", text::bit_len(&sk.signature)),
            );
        }),
        ProofOfPossession::KeyEncipherment(k) => w.field(
            "popo",
            format_args!("keyEncipherment, {}", popo_priv_key(k)),
        ),
        ProofOfPossession::KeyAgreement(k) => {
            w.field("popo", format_args!("keyAgreement, {}", popo_priv_key(k)))
        }
    }
}

fn popo_priv_key(k: &POPOPrivKey<'_>) -> String {
    match k {
        POPOPrivKey::ThisMessage(b) => format!("thisMessage ({} bits)", text::bit_len(b)),
        POPOPrivKey::SubsequentMessage(n) => {
            let name = match *n {
                SUBSEQUENT_MESSAGE_ENCR_CERT => "encrCert".to_string(),
                SUBSEQUENT_MESSAGE_CHALLENGE_RESP => "challengeResp".to_string(),
                n => format!("unknown({n})"),
            };
            format!("subsequentMessage {name}")
        }
        POPOPrivKey::DhMac(b) => format!("dhMAC ({} bits)", text::bit_len(b)),
        POPOPrivKey::AgreeMac(mac) => format!("agreeMAC {}", text::algorithm(&mac.alg_id)),
        POPOPrivKey::EncryptedKey(e) => {
            format!(
                "encryptedKey (envelopedData, {} bytes)",
                text::sequence_len(e)
            )
        }
    }
}
