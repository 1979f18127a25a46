//! The JSON summary of a `PKIMessage`: one flat object with the header fields, the body
//! alternative, the statuses it carries and the certificates it holds.
//!
//! Field names are `snake_case`; octet strings are lowercase hex; absent optional fields are
//! `null` (so every object has the same keys for a given body).

use cmp_codec::body::CertOrEncCert;
use cmp_codec::{PKIBody, PKIMessage};
use serde_json::{json, Map, Value};

use super::{cert, itav, text, tree};

/// The summary of `msg` (without the file name, see [`file_json`]).
///
/// Keys: `body`, `body_tag`, `pvno`, `pvno_name`, `sender`, `recipient`, `message_time`,
/// `message_time_encoded`, `protection_alg` (dotted OID), `protection_alg_name`, `sender_kid`,
/// `recip_kid`, `transaction_id`, `sender_nonce`, `recip_nonce`, `free_text`, `general_info`
/// (ITAV names), `implicit_confirm`, `protection_bits`, `extra_certs` (count, 0 when absent),
/// `extra_cert_subjects`, `cert_req_ids`, `statuses` (`{status, fail_info, status_string}`),
/// `certificates` (summaries of the certificates the body carries), `itavs` (genm/genp),
/// `error_code`, `error_details`, and `nested` (the inner messages of `nested`, recursively).
pub fn message_json(msg: &PKIMessage<'_>) -> Map<String, Value> {
    let h = &msg.header;
    let hex = |v: Option<&[u8]>| v.map(text::hex);
    let mut m = Map::new();
    m.insert("body".into(), json!(msg.body.name()));
    m.insert("body_tag".into(), json!(msg.body.tag_number()));
    m.insert("pvno".into(), json!(h.pvno));
    m.insert("pvno_name".into(), json!(tree::pvno_name(h.pvno)));
    m.insert("sender".into(), json!(text::general_name(&h.sender)));
    m.insert("recipient".into(), json!(text::general_name(&h.recipient)));
    m.insert(
        "message_time".into(),
        json!(h.message_time.map(|t| t.to_utc().to_string())),
    );
    m.insert(
        "message_time_encoded".into(),
        json!(h.message_time.as_ref().map(|t| t.as_str())),
    );
    let alg = h.protection_alg.as_ref().map(|a| a.algorithm.to_string());
    let alg_name = alg.as_deref().and_then(super::oids::name_of_dotted);
    m.insert("protection_alg".into(), json!(alg));
    m.insert("protection_alg_name".into(), json!(alg_name));
    m.insert("sender_kid".into(), json!(hex(h.sender_kid)));
    m.insert("recip_kid".into(), json!(hex(h.recip_kid)));
    m.insert("transaction_id".into(), json!(hex(h.transaction_id)));
    m.insert("sender_nonce".into(), json!(hex(h.sender_nonce)));
    m.insert("recip_nonce".into(), json!(hex(h.recip_nonce)));
    m.insert(
        "free_text".into(),
        json!(h.free_text.as_ref().map(text::free_text_lines)),
    );
    let general_info: Vec<String> = h.general_info().map(|i| itav::itav_name(&i)).collect();
    m.insert("general_info".into(), json!(general_info));
    m.insert("implicit_confirm".into(), json!(h.implicit_confirm()));
    m.insert(
        "protection_bits".into(),
        json!(msg.protection.as_ref().map(text::bit_len)),
    );
    m.insert("extra_certs".into(), json!(msg.extra_certs().count()));
    let subjects: Vec<String> = msg
        .extra_certs()
        .map(|c| {
            cert::certificate(c.der()).map_or_else(|e| format!("<undecodable: {e}>"), |s| s.subject)
        })
        .collect();
    m.insert("extra_cert_subjects".into(), json!(subjects));

    let body = BodyFacts::of(&msg.body);
    m.insert("cert_req_ids".into(), json!(body.cert_req_ids));
    m.insert(
        "statuses".into(),
        Value::Array(
            body.statuses
                .iter()
                .map(text::StatusSummary::to_json)
                .collect(),
        ),
    );
    m.insert("certificates".into(), Value::Array(body.certificates));
    m.insert("itavs".into(), json!(body.itavs));
    m.insert("error_code".into(), json!(body.error_code));
    m.insert("error_details".into(), json!(body.error_details));
    m.insert("nested".into(), Value::Array(body.nested));
    m
}

/// One line of `cmp inspect --json`: `file`, `encoding` (`DER`, `PEM (...)`, `base64`),
/// `size` (DER bytes), then everything [`message_json`] gives.
pub fn file_json(file: &str, encoding: &str, size: usize, msg: &PKIMessage<'_>) -> Value {
    let mut m = Map::new();
    m.insert("file".into(), json!(file));
    m.insert("encoding".into(), json!(encoding));
    m.insert("size".into(), json!(size));
    m.extend(message_json(msg));
    Value::Object(m)
}

/// What the JSON reports about a body, collected in one exhaustive match.
#[derive(Default)]
struct BodyFacts {
    cert_req_ids: Vec<i64>,
    statuses: Vec<text::StatusSummary>,
    certificates: Vec<Value>,
    itavs: Vec<String>,
    error_code: Option<i64>,
    error_details: Option<Vec<String>>,
    nested: Vec<Value>,
}

impl BodyFacts {
    fn of(body: &PKIBody<'_>) -> Self {
        let mut f = BodyFacts::default();
        match body {
            PKIBody::Ir(reqs)
            | PKIBody::Cr(reqs)
            | PKIBody::Kur(reqs)
            | PKIBody::Krr(reqs)
            | PKIBody::Ccr(reqs) => {
                f.cert_req_ids = reqs.iter().map(|r| r.cert_req.cert_req_id).collect();
            }
            PKIBody::Ip(rep) | PKIBody::Cp(rep) | PKIBody::Kup(rep) | PKIBody::Ccp(rep) => {
                for r in rep.response.iter() {
                    f.cert_req_ids.push(r.cert_req_id);
                    f.statuses.push(text::StatusSummary::new(&r.status));
                    if let Some(kp) = &r.certified_key_pair {
                        if let CertOrEncCert::Certificate(c) = &kp.cert_or_enc_cert {
                            f.push_cert(c.der());
                        }
                    }
                }
            }
            PKIBody::Krp(rep) => {
                f.statuses.push(text::StatusSummary::new(&rep.status));
                if let Some(c) = &rep.new_sig_cert {
                    f.push_cert(c.der());
                }
            }
            PKIBody::Rp(rep) => {
                f.statuses = rep
                    .status
                    .iter()
                    .map(|s| text::StatusSummary::new(&s))
                    .collect();
            }
            PKIBody::Cann(c) => f.push_cert(c.der()),
            PKIBody::Nested(msgs) => {
                f.nested = msgs
                    .iter()
                    .map(|raw| match raw.message() {
                        Ok(m) => Value::Object(message_json(&m)),
                        Err(e) => json!({ "error": e.to_string() }),
                    })
                    .collect();
            }
            PKIBody::Genm(itavs) | PKIBody::Genp(itavs) => {
                f.itavs = itavs.iter().map(|i| itav::itav_name(&i)).collect();
            }
            PKIBody::Error(e) => {
                f.statuses
                    .push(text::StatusSummary::new(&e.pki_status_info));
                f.error_code = e.error_code;
                f.error_details = e.error_details.as_ref().map(text::free_text_lines);
            }
            PKIBody::CertConf(statuses) => {
                for s in statuses.iter() {
                    f.cert_req_ids.push(s.cert_req_id);
                    if let Some(info) = &s.status_info {
                        f.statuses.push(text::StatusSummary::new(info));
                    }
                }
            }
            PKIBody::PollReq(reqs) => f.cert_req_ids = reqs.iter().map(|r| r.cert_req_id).collect(),
            PKIBody::PollRep(reps) => f.cert_req_ids = reps.iter().map(|r| r.cert_req_id).collect(),
            // Nothing beyond the arm name is summarised for these.
            PKIBody::P10cr(_)
            | PKIBody::Popdecc(_)
            | PKIBody::Popdecr(_)
            | PKIBody::Rr(_)
            | PKIBody::Ckuann(_)
            | PKIBody::Rann(_)
            | PKIBody::Crlann(_)
            | PKIBody::Pkiconf(()) => {}
        }
        f
    }

    fn push_cert(&mut self, der: &[u8]) {
        self.certificates.push(match cert::certificate(der) {
            Ok(c) => c.to_json(),
            Err(e) => json!({ "error": e }),
        });
    }
}
