//! HTTP transfer checks (RFC 9811 sections 3.1 and 3.2, RFC 9483 section 6).

use crate::endpoint::{Reply, PKIXCMP};

use super::Findings;

/// Whether a Content-Type header names `application/pkixcmp` (parameters and case ignored).
pub fn is_pkixcmp(content_type: Option<&str>) -> bool {
    content_type
        .and_then(|c| c.split(';').next())
        .is_some_and(|c| c.trim().eq_ignore_ascii_case(PKIXCMP))
}

/// Check the HTTP layer of one reply; `is_cmp` says whether its body parsed as a PKIMessage.
pub fn check(out: &mut Findings, reply: &Reply, is_cmp: bool) {
    let status = reply.status;
    if (300..400).contains(&status) {
        out.info("HTTP-R05", format!("HTTP {status} (redirect not followed)"));
    }
    if is_cmp {
        if (201..300).contains(&status) {
            out.violation(
                "HTTP-R02",
                format!("CMP response with HTTP {status}, not 200"),
            );
        }
        if !is_pkixcmp(reply.content_type.as_deref()) {
            out.violation(
                "XFER-04",
                format!(
                    "Content-Type {} for a PKIMessage",
                    reply
                        .content_type
                        .as_deref()
                        .map_or("absent".to_string(), |c| format!("{c:?}"))
                ),
            );
        }
        if status >= 400 {
            out.info(
                "HTTP-R03",
                format!("PKIMessage carried with HTTP {status} (parsed as usual)"),
            );
        }
    }
}
