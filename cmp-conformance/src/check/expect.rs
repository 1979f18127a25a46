//! The expected outcome of a scenario step, and how a reply is judged against it.

use cmp_codec::{PKIBody, PKIMessage, PKIStatus};
use serde::{Deserialize, Serialize};

use super::{describe_status, Findings};
use crate::endpoint::Reply;

/// accept, reject or anything.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// A positive answer (accepted/grantedWithMods, genp, pkiConf, rp accepted, ...).
    #[default]
    Accept,
    /// An error message or a rejection status.
    Reject,
    /// Anything; only recorded.
    Any,
}

/// What a step expects.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// accept / reject / any.
    #[serde(default)]
    pub outcome: Outcome,
    /// The rule charged when the outcome differs.
    #[serde(default)]
    pub rule: Option<String>,
    /// Body arms a rejection must come in (e.g. `["ip"]` for ERR-06: not an error body).
    #[serde(default)]
    pub body: Vec<String>,
    /// The rule charged when the rejection comes in another body.
    #[serde(default)]
    pub body_rule: Option<String>,
    /// failInfo bits the RFC names for this case (any one of them is enough; a miss is INFO,
    /// the bits being MAY).
    #[serde(default)]
    pub fail_info: Vec<String>,
    /// Report a miss only as a warning (policy-dependent checks, medium-confidence rows).
    #[serde(default)]
    pub warn_only: bool,
    /// Report the outcome as INFO either way (capability probes).
    #[serde(default)]
    pub info_only: bool,
    /// An HTTP 4xx/5xx without a PKIMessage counts as a rejection (HTTP shape probes).
    #[serde(default)]
    pub http_error_ok: bool,
}

/// How a reply was classified.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Judged {
    /// Positive.
    Accepted(String),
    /// Negative, with its description and failInfo names.
    Rejected(String, Vec<String>, String),
    /// Waiting (should have been polled).
    Waiting(String),
    /// Not a CMP answer.
    NoPkiMessage(String),
}

/// Classify a reply.
pub fn judge(reply: Result<&Reply, &str>) -> Judged {
    let reply = match reply {
        Ok(r) => r,
        Err(e) => return Judged::NoPkiMessage(format!("no answer: {e}")),
    };
    let msg = match PKIMessage::parse(&reply.body) {
        Ok(m) => m,
        Err(e) => {
            return Judged::NoPkiMessage(format!(
                "HTTP {} with {} bytes that are not a PKIMessage ({e})",
                reply.status,
                reply.body.len()
            ))
        }
    };
    let arm = msg.body.name().to_string();
    if let PKIBody::Nested(answers) = &msg.body {
        // The answer to a batch: refused as a whole only if every inner answer is refused.
        let inner: Vec<Judged> = answers
            .iter()
            .map(|a| judge(Ok(&Reply::pkixcmp(a.der().to_vec()))))
            .collect();
        if inner.iter().all(|j| matches!(j, Judged::Rejected(..))) {
            let mut names: Vec<String> = Vec::new();
            for j in &inner {
                if let Judged::Rejected(_, n, _) = j {
                    for x in n {
                        if !names.contains(x) {
                            names.push(x.clone());
                        }
                    }
                }
            }
            let what = format!("all {} inner answers refused", inner.len());
            return Judged::Rejected(arm, names, what);
        }
        return Judged::Accepted(arm);
    }
    let status = match &msg.body {
        PKIBody::Error(e) => Some(e.pki_status_info.clone()),
        PKIBody::Ip(r) | PKIBody::Cp(r) | PKIBody::Kup(r) => {
            r.response.iter().next().map(|c| c.status.clone())
        }
        PKIBody::Rp(r) => r.status.iter().next(),
        PKIBody::PollRep(_) => return Judged::Waiting(arm),
        PKIBody::Genp(_) | PKIBody::Pkiconf(_) => None,
        _ => return Judged::NoPkiMessage(format!("unexpected body {arm}")),
    };
    match status {
        _ if arm == "error" => {
            let s = status.unwrap_or_else(|| cmp_codec::PKIStatusInfo::rejection(&[]));
            if s.status == PKIStatus::WAITING {
                return Judged::Waiting(arm);
            }
            let names = s.fail_info.as_ref().map(|f| f.names()).unwrap_or_default();
            Judged::Rejected(arm, names, describe_status(&s))
        }
        None => Judged::Accepted(arm),
        Some(s) if s.status == PKIStatus::WAITING => Judged::Waiting(arm),
        Some(s) if s.status == PKIStatus::ACCEPTED || s.status == PKIStatus::GRANTED_WITH_MODS => {
            Judged::Accepted(format!("{arm} {}", describe_status(&s)))
        }
        Some(s) if s.status.0 >= 4 && arm == "rp" => {
            Judged::Accepted(format!("{arm} {}", describe_status(&s)))
        }
        Some(s) => {
            let names = s.fail_info.as_ref().map(|f| f.names()).unwrap_or_default();
            Judged::Rejected(arm, names, describe_status(&s))
        }
    }
}

/// Judge the last reply of a step against its expectation. `default_rule` is charged when
/// the step names none.
pub fn evaluate(
    out: &mut Findings,
    expect: &Expect,
    default_rule: &str,
    reply: Result<&Reply, &str>,
) {
    let rule = expect.rule.as_deref().unwrap_or(default_rule);
    let judged = judge(reply);
    let http_error = matches!(reply, Ok(r) if r.status >= 400);
    let describe = |j: &Judged| match j {
        Judged::Accepted(a) => format!("accepted ({a})"),
        Judged::Rejected(arm, _, s) => format!("rejected: {arm} {s}"),
        Judged::Waiting(a) => format!("waiting ({a})"),
        Judged::NoPkiMessage(s) => s.clone(),
    };
    let miss = |out: &mut Findings, seen: String| {
        if expect.info_only {
            out.info(rule, seen)
        } else if expect.warn_only {
            out.warn(rule, seen)
        } else {
            out.violation(rule, seen)
        }
    };
    if expect.info_only {
        out.info(rule, format!("outcome: {}", describe(&judged)));
        return;
    }
    match expect.outcome {
        Outcome::Any => {}
        Outcome::Accept => {
            if let Judged::Waiting(arm) = &judged {
                // Polling ended (the runner polls a bounded number of times) still waiting.
                out.violation(
                    "POLL-06",
                    format!("still waiting ({arm}) when the runner's polling limit was reached"),
                );
            } else if !matches!(judged, Judged::Accepted(_)) {
                miss(
                    out,
                    format!("expected a positive answer, got {}", describe(&judged)),
                );
            }
        }
        Outcome::Reject => match &judged {
            Judged::Rejected(arm, names, _) => {
                if !expect.body.is_empty() && !expect.body.iter().any(|b| b == arm) {
                    let r = expect.body_rule.as_deref().unwrap_or(rule);
                    out.violation(
                        r,
                        format!(
                            "rejected in a {arm}, expected a rejection in {}",
                            expect.body.join("/")
                        ),
                    );
                }
                if !expect.fail_info.is_empty()
                    && !expect.fail_info.iter().any(|b| names.contains(b))
                {
                    out.info(
                        "VAL-02",
                        format!(
                            "failInfo {} where the RFC names {}",
                            if names.is_empty() {
                                "absent".to_string()
                            } else {
                                names.join(",")
                            },
                            expect.fail_info.join(" or ")
                        ),
                    );
                }
            }
            Judged::NoPkiMessage(s) if http_error => {
                if !expect.http_error_ok {
                    out.warn(
                        "ERR-07",
                        format!("refused at the HTTP level without a CMP error message: {s}"),
                    );
                }
            }
            other => miss(
                out,
                format!("expected a rejection, got {}", describe(other)),
            ),
        },
    }
}
