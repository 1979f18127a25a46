//! The `response_check` target: the conformance runner's response checker
//! ([`cmp_conformance::check::check_exchange`], the header, protection, body and HTTP checks
//! applied to every answer, then [`cmp_conformance::check::expect::judge`] and
//! [`cmp_conformance::check::expect::evaluate`], the judgement of a step's outcome) on hostile
//! answers to real requests.
//!
//! The fuzzer's bytes pick one exchange of a recorded OpenSSL flow from `vectors/openssl/`
//! (MAC and signature protection; ir, cr, p10cr, kur, rr, genm, certConf and pollReq answered
//! with ip, cp, kup, rp, genp, pkiConf, pollRep and error). The checker state is the one the
//! earlier exchanges of that flow leave, as in a real run. The answer is then either
//!
//! * the remaining bytes as they are (anything at all),
//! * the flow's real answer with up to 4 edits (the `verify` target's edits), or
//! * any other recorded answer, edited the same way (a real but unrelated PKIMessage),
//!
//! sent in process or over HTTP with a chosen status and `Content-Type`. Then:
//!
//! * nothing panics (in the fuzz build `--debug-assertions` makes integer overflow a panic);
//! * an answer that is not a PKIMessage is reported: with HTTP 200 (and always in process) by a
//!   FAIL finding of the checker, with any status by the step judgement when the step expected
//!   an answer;
//! * every finding names a rule of [`cmp_conformance::rules::RULES`] and the exchange, and the
//!   findings serialise as `report.json` does;
//! * the unedited real answer gives exactly the findings it gave when the target started (the
//!   checks are a pure function of the exchange and the state, which `cmp replay` relies on).

use std::sync::OnceLock;

use arbitrary::Unstructured;
use cmp_codec::PKIMessage;
use cmp_conformance::check::expect::{evaluate, judge, Expect, Judged, Outcome};
use cmp_conformance::check::x509::CertInfo;
use cmp_conformance::check::{
    check_exchange, CheckState, Config, ExchangeInput, Finding, Findings, Severity,
};
use cmp_conformance::endpoint::Reply;
use cmp_conformance::rules;
use cmp_conformance::run::default_rule;

use crate::verify::{mutate, SECRET};

macro_rules! v {
    ($path:literal) => {
        include_bytes!(concat!("../../../vectors/openssl/", $path)).as_slice()
    };
}

/// A recorded flow: its folder under vectors/openssl/ and its (request, response) DER pairs in
/// the order they were exchanged.
pub struct Flow {
    /// The folder.
    pub name: &'static str,
    /// Request and answer of every exchange.
    pub exchanges: &'static [(&'static [u8], &'static [u8])],
}

/// The flows whose exchanges are fuzzed.
pub const FLOWS: &[Flow] = &[
    Flow {
        name: "ir_pbm",
        exchanges: &[
            (v!("ir_pbm/01-req-ir.der"), v!("ir_pbm/02-rsp-ip.der")),
            (
                v!("ir_pbm/03-req-certConf.der"),
                v!("ir_pbm/04-rsp-pkiconf.der"),
            ),
        ],
    },
    Flow {
        name: "ir_sig_ec",
        exchanges: &[
            (v!("ir_sig_ec/01-req-ir.der"), v!("ir_sig_ec/02-rsp-ip.der")),
            (
                v!("ir_sig_ec/03-req-certConf.der"),
                v!("ir_sig_ec/04-rsp-pkiconf.der"),
            ),
        ],
    },
    Flow {
        name: "cr_sig_rsa",
        exchanges: &[
            (
                v!("cr_sig_rsa/01-req-cr.der"),
                v!("cr_sig_rsa/02-rsp-cp.der"),
            ),
            (
                v!("cr_sig_rsa/03-req-certConf.der"),
                v!("cr_sig_rsa/04-rsp-pkiconf.der"),
            ),
        ],
    },
    Flow {
        name: "p10cr_sig_ec",
        exchanges: &[(
            v!("p10cr_sig_ec/01-req-p10cr.der"),
            v!("p10cr_sig_ec/02-rsp-cp.der"),
        )],
    },
    Flow {
        name: "kur_sig_ec",
        exchanges: &[
            (
                v!("kur_sig_ec/01-req-kur.der"),
                v!("kur_sig_ec/02-rsp-kup.der"),
            ),
            (
                v!("kur_sig_ec/03-req-certConf.der"),
                v!("kur_sig_ec/04-rsp-pkiconf.der"),
            ),
        ],
    },
    Flow {
        name: "rr_pbm",
        exchanges: &[(v!("rr_pbm/01-req-rr.der"), v!("rr_pbm/02-rsp-rp.der"))],
    },
    Flow {
        name: "genm_cacerts_sig_ec",
        exchanges: &[(
            v!("genm_cacerts_sig_ec/01-req-genm.der"),
            v!("genm_cacerts_sig_ec/02-rsp-genp.der"),
        )],
    },
    Flow {
        name: "genm_rootcakeyupdate_pbm",
        exchanges: &[(
            v!("genm_rootcakeyupdate_pbm/01-req-genm.der"),
            v!("genm_rootcakeyupdate_pbm/02-rsp-genp.der"),
        )],
    },
    Flow {
        name: "genm_certreqtemplate_pbm",
        exchanges: &[(
            v!("genm_certreqtemplate_pbm/01-req-genm.der"),
            v!("genm_certreqtemplate_pbm/02-rsp-genp.der"),
        )],
    },
    Flow {
        name: "ir_polling_pbm",
        exchanges: &[
            (
                v!("ir_polling_pbm/01-req-ir.der"),
                v!("ir_polling_pbm/02-rsp-ip.der"),
            ),
            (
                v!("ir_polling_pbm/03-req-pollReq.der"),
                v!("ir_polling_pbm/04-rsp-pollRep.der"),
            ),
            (
                v!("ir_polling_pbm/05-req-pollReq.der"),
                v!("ir_polling_pbm/06-rsp-ip.der"),
            ),
        ],
    },
    Flow {
        name: "ir_error_sig_ec",
        exchanges: &[(
            v!("ir_error_sig_ec/01-req-ir.der"),
            v!("ir_error_sig_ec/02-rsp-error.der"),
        )],
    },
    Flow {
        name: "ir_implicit_confirm_granted",
        exchanges: &[(
            v!("ir_implicit_confirm_granted/01-req-ir.der"),
            v!("ir_implicit_confirm_granted/02-rsp-ip.der"),
        )],
    },
    Flow {
        name: "cr_rejection_all_failurebits_sig_rsa",
        exchanges: &[(
            v!("cr_rejection_all_failurebits_sig_rsa/01-req-cr.der"),
            v!("cr_rejection_all_failurebits_sig_rsa/02-rsp-cp.der"),
        )],
    },
];

/// One exchange to fuzz the answer of, with everything computed once.
pub struct Case {
    /// `flow/exchange-index`, for messages.
    pub name: String,
    /// Index of the exchange in its flow (the finding's `exchange`).
    pub index: usize,
    /// The request as sent.
    pub request: &'static [u8],
    /// The answer the peer really gave.
    pub response: &'static [u8],
    /// The request's body name (`ir`, `certConf`, ...).
    pub send: &'static str,
    /// The runner's clock: the request's messageTime.
    pub at: i64,
    /// The checker state the earlier exchanges of the flow left.
    pub state: CheckState,
    /// The findings of the real answer (in process, not 3GPP).
    pub baseline: Vec<Finding>,
}

/// The checker settings of a run against these vectors: the vectors' MAC secret, their root
/// as trust anchor and their issuing CA as untrusted intermediate.
pub fn config() -> &'static Config {
    static CONFIG: OnceLock<Config> = OnceLock::new();
    CONFIG.get_or_init(|| {
        let cert = |der: &[u8]| CertInfo::parse(der).unwrap_or_else(|e| panic!("{e}"));
        Config {
            mac_secret: Some(SECRET.to_vec()),
            mac_kid: Some(b"cmp-vectors-kid".to_vec()),
            anchors: vec![cert(v!("credentials/root-ca.der"))],
            untrusted: vec![cert(v!("credentials/issuing-ca.der"))],
            verify_at: None,
            max_skew: 300,
            server_eku: None,
            trust_root_from_ip: false,
            known_deviations: Default::default(),
            // Fields the runner grows later keep their defaults.
            ..Config::default()
        }
    })
}

fn input<'a>(
    case: &Case,
    reply: &'a Reply,
    request: &'a [u8],
    http: bool,
    threegpp: bool,
) -> ExchangeInput<'a> {
    ExchangeInput {
        index: case.index,
        request,
        reply: Ok(reply),
        at: case.at,
        http,
        request_authentic: true,
        threegpp,
    }
}

/// Every exchange of [`FLOWS`], in order.
pub fn cases() -> &'static [Case] {
    static CASES: OnceLock<Vec<Case>> = OnceLock::new();
    CASES.get_or_init(|| {
        let cfg = config();
        let mut out = Vec::new();
        for flow in FLOWS {
            let mut state = CheckState::default();
            for (index, (request, response)) in flow.exchanges.iter().enumerate() {
                let req = PKIMessage::parse(request)
                    .unwrap_or_else(|e| panic!("{} request {index}: {e}", flow.name));
                let at = req
                    .header
                    .message_time
                    .as_ref()
                    .map(|t| t.to_utc().unix_seconds())
                    .unwrap_or(1_800_000_000);
                let mut case = Case {
                    name: format!("{}/{index}", flow.name),
                    index,
                    request,
                    response,
                    send: req.body.name(),
                    at,
                    state: state.clone(),
                    baseline: Vec::new(),
                };
                let reply = Reply::pkixcmp(response.to_vec());
                case.baseline = check_exchange(
                    cfg,
                    &mut state,
                    &input(&case, &reply, request, false, false),
                );
                out.push(case);
            }
        }
        out
    })
}

const STATUSES: &[u16] = &[200, 200, 200, 202, 204, 302, 400, 415, 500, 503];
const CONTENT_TYPES: &[Option<&str>] = &[
    Some("application/pkixcmp"),
    Some("Application/PKIXCMP; charset=binary"),
    Some("application/pkixcmp-poll"),
    Some("text/plain"),
    Some(""),
    None,
];

/// The target body.
pub fn response_check(data: &[u8]) {
    let mut u = Unstructured::new(data);
    let cases = cases();
    let Ok(k) = u.choose_index(cases.len()) else {
        return;
    };
    let case = &cases[k];
    let Ok(mode) = u.int_in_range(0..=3u8) else {
        return;
    };
    let base = match mode {
        0 => None,
        3 => match u.choose_index(cases.len()) {
            Ok(j) => Some(cases[j].response),
            Err(_) => return,
        },
        _ => Some(case.response),
    };
    let Ok(http) = u.arbitrary::<bool>() else {
        return;
    };
    let Ok(threegpp) = u.arbitrary::<bool>() else {
        return;
    };
    let reply = if http {
        let (Ok(status), Ok(ct)) = (u.choose(STATUSES), u.choose(CONTENT_TYPES)) else {
            return;
        };
        Reply {
            status: *status,
            content_type: ct.map(str::to_string),
            body: Vec::new(),
        }
    } else {
        Reply::pkixcmp(Vec::new())
    };
    let body = match base {
        None => u.take_rest().to_vec(),
        Some(der) => match mutate(&mut u, der) {
            Ok((m, _)) => m,
            Err(_) => return,
        },
    };
    let reply = Reply { body, ..reply };
    check_reply(case, &reply, http, threegpp);
}

/// Run the checker and the step judgement on `reply` as the answer to `case`'s request and
/// assert the properties of the module documentation.
pub fn check_reply(case: &Case, reply: &Reply, http: bool, threegpp: bool) {
    let mut state = case.state.clone();
    let findings = check_exchange(
        config(),
        &mut state,
        &input(case, reply, case.request, http, threegpp),
    );
    let parses = PKIMessage::parse(&reply.body).is_ok();
    for f in &findings {
        well_formed(case, f);
    }
    if !parses && reply.status == 200 {
        assert!(
            findings.iter().any(|f| f.severity == Severity::Fail),
            "{}: a {}-byte answer with HTTP 200 that is not a PKIMessage got no FAIL: {findings:?}",
            case.name,
            reply.body.len()
        );
    }
    let json = serde_json::to_string(&findings).expect("findings serialise");
    let back: Vec<Finding> = serde_json::from_str(&json).expect("findings deserialise");
    assert!(back == findings, "findings change through JSON");

    let judged = judge(Ok(reply));
    if !parses {
        assert!(
            matches!(judged, Judged::NoPkiMessage(_)),
            "{}: an answer that does not parse is judged {judged:?}",
            case.name
        );
    }
    for outcome in [Outcome::Accept, Outcome::Reject, Outcome::Any] {
        let expect = Expect {
            outcome,
            ..Expect::default()
        };
        let mut out = Findings::for_exchange(Some(case.index));
        evaluate(&mut out, &expect, default_rule(case.send), Ok(reply));
        for f in &out.items {
            well_formed(case, f);
        }
        if !parses && outcome == Outcome::Accept {
            assert!(
                !out.items.is_empty(),
                "{}: a step expecting an answer got HTTP {} without a PKIMessage and no finding",
                case.name,
                reply.status
            );
        }
    }

    if reply.body == case.response && !http && !threegpp {
        assert!(
            findings == case.baseline,
            "{}: the same answer from the same state gives other findings\nnow:    {findings:?}\nbefore: {:?}",
            case.name,
            case.baseline
        );
    }
}

fn well_formed(case: &Case, f: &Finding) {
    assert!(
        rules::rule(&f.rule).is_some(),
        "{}: finding for an unknown rule: {f:?}",
        case.name
    );
    assert_eq!(f.exchange, Some(case.index), "{}: {f:?}", case.name);
    assert!(
        !f.seen.is_empty(),
        "{}: a finding that says nothing: {f:?}",
        case.name
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every recorded answer parses and is not reported as "not a PKIMessage" (else the
    /// baseline comparison would check nothing useful).
    #[test]
    fn every_real_answer_is_a_pki_message() {
        for case in cases() {
            PKIMessage::parse(case.response).unwrap_or_else(|e| panic!("{}: {e}", case.name));
            assert!(
                !case.baseline.iter().any(|f| f.rule == "RA-01"),
                "{}: {:?}",
                case.name,
                case.baseline
            );
        }
        assert!(cases().len() >= 15);
    }

    /// The seeds `[k, 1]` (fuzz/seeds/response_check/) pick case k with its real answer
    /// unedited, in process: the target then compares with the baseline.
    #[test]
    fn one_byte_seeds_pick_each_real_answer() {
        for k in 0..cases().len() {
            let seed = [k as u8, 1];
            let mut u = Unstructured::new(&seed);
            assert_eq!(u.choose_index(cases().len()).unwrap(), k);
            assert_eq!(u.int_in_range(0..=3u8).unwrap(), 1);
            response_check(&seed);
        }
    }

    /// What the target guards against does get caught: garbage, an empty body and a truncated
    /// answer are each reported with a FAIL in process.
    #[test]
    fn answers_that_are_not_pki_messages_fail() {
        for case in cases() {
            let half = &case.response[..case.response.len() / 2];
            for body in [&b"not a PKIMessage"[..], &[], half] {
                let reply = Reply::pkixcmp(body.to_vec());
                let mut state = case.state.clone();
                let f = check_exchange(
                    config(),
                    &mut state,
                    &input(case, &reply, case.request, false, false),
                );
                assert!(
                    f.iter().any(|f| f.severity == Severity::Fail),
                    "{}: {f:?}",
                    case.name
                );
                check_reply(case, &reply, false, false);
            }
        }
    }

    /// An answer from another transaction is noticed (the checker is not vacuous on parsed
    /// answers either): the ir_pbm answer to the ir_sig_ec request.
    #[test]
    fn an_unrelated_answer_is_reported() {
        let case = cases()
            .iter()
            .find(|c| c.name == "ir_sig_ec/0")
            .expect("case");
        let other = cases().iter().find(|c| c.name == "ir_pbm/0").expect("case");
        let reply = Reply::pkixcmp(other.response.to_vec());
        let mut state = case.state.clone();
        let f = check_exchange(
            config(),
            &mut state,
            &input(case, &reply, case.request, false, false),
        );
        assert!(
            f.iter().any(|f| f.severity == Severity::Fail),
            "no FAIL for a foreign answer: {f:?}"
        );
    }
}
