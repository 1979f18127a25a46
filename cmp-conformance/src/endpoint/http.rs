//! CMP over HTTP (RFC 6712, RFC 9811): each request is one HTTP POST of a DER PKIMessage with
//! `Content-Type: application/pkixcmp`; the answer is read whatever its status (RFC 9811 3.1:
//! a PKIMessage in a 4xx/5xx body is still a CMP answer).
//!
//! Built on `ureq`: a small synchronous client (no async runtime for a tool that sends one
//! message at a time), no redirects followed (RFC 9811 3.1 asks clients to think before
//! following them), no connection reuse (the OpenSSL mock cancels a transaction when a kept-
//! alive connection closes between messages, see the peers README), and a cap on the body
//! size. Plain `http://` only unless built with TLS support.

use std::time::Duration;

use super::{Endpoint, Reply, TransportError, PKIXCMP};

/// The largest reply body read (a CMP message with certificates is a few KiB).
pub const MAX_REPLY: u64 = 4 << 20;

/// An HTTP endpoint: a base URL such as `http://127.0.0.1:8080/.well-known/cmp`.
#[derive(Debug, Clone)]
pub struct HttpEndpoint {
    /// `scheme://host:port`.
    origin: String,
    /// The base path, without a trailing slash unless it is the only character or the URL
    /// had one (`/pkix/`).
    base_path: String,
    agent: ureq::Agent,
}

fn err(message: impl Into<String>) -> TransportError {
    TransportError {
        message: message.into(),
    }
}

impl HttpEndpoint {
    /// An endpoint for `url` with a per-request timeout.
    pub fn new(url: &str, timeout: Duration) -> Result<Self, TransportError> {
        let rest = url
            .strip_prefix("http://")
            .map(|r| ("http://", r))
            .or_else(|| url.strip_prefix("https://").map(|r| ("https://", r)))
            .ok_or_else(|| {
                err(format!(
                    "{url}: only http:// and https:// URLs are supported"
                ))
            })?;
        let (scheme, rest) = rest;
        let (host, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, "/"),
        };
        if host.is_empty() {
            return Err(err(format!("{url}: no host")));
        }
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .max_idle_connections(0)
            .max_idle_connections_per_host(0)
            .timeout_global(Some(timeout))
            .build()
            .into();
        Ok(HttpEndpoint {
            origin: format!("{scheme}{host}"),
            base_path: path.to_string(),
            agent,
        })
    }

    /// The base URL.
    pub fn url(&self) -> String {
        format!("{}{}", self.origin, self.base_path)
    }

    /// The URL for a path suffix (`""`, `"/initialization"`): appended to the base path.
    pub fn url_for(&self, suffix: &str) -> String {
        if suffix.is_empty() {
            return self.url();
        }
        let base = self.base_path.trim_end_matches('/');
        format!("{}{}/{}", self.origin, base, suffix.trim_start_matches('/'))
    }

    /// The URL for an absolute path on the same origin (`/.well-known/cmp`).
    pub fn url_absolute(&self, path: &str) -> String {
        format!("{}{}", self.origin, path)
    }

    /// Send `body` with `method` (`POST` or `GET`) to `url`, with the given Content-Type.
    pub fn send_raw(
        &self,
        method: &str,
        url: &str,
        content_type: Option<&str>,
        body: &[u8],
    ) -> Result<Reply, TransportError> {
        let response = match method {
            "POST" => {
                let mut r = self.agent.post(url).header("Connection", "close");
                if let Some(ct) = content_type {
                    r = r.header("Content-Type", ct);
                }
                r.send(body)
            }
            // A GET probe carries the same request, so that the method is the only thing
            // wrong with it (RFC 9811 3.1: requests are POSTed).
            "GET" if !body.is_empty() => {
                let mut r = self.agent.get(url).header("Connection", "close");
                if let Some(ct) = content_type {
                    r = r.header("Content-Type", ct);
                }
                r.force_send_body().send(body)
            }
            "GET" => self.agent.get(url).header("Connection", "close").call(),
            other => return Err(err(format!("unsupported HTTP method {other}"))),
        }
        .map_err(|e| err(format!("{method} {url}: {e}")))?;
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let body = response
            .into_body()
            .with_config()
            .limit(MAX_REPLY)
            .read_to_vec()
            .map_err(|e| err(format!("{method} {url}: reading the reply: {e}")))?;
        Ok(Reply {
            status,
            content_type,
            body,
        })
    }
}

impl Endpoint for HttpEndpoint {
    fn exchange(&mut self, path: &str, request: &[u8]) -> Result<Reply, TransportError> {
        let url = self.url_for(path);
        self.send_raw("POST", &url, Some(PKIXCMP), request)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        let e = HttpEndpoint::new(
            "http://127.0.0.1:8080/.well-known/cmp",
            Duration::from_secs(1),
        )
        .unwrap();
        assert_eq!(e.url_for(""), "http://127.0.0.1:8080/.well-known/cmp");
        assert_eq!(
            e.url_for("/initialization"),
            "http://127.0.0.1:8080/.well-known/cmp/initialization"
        );
        assert_eq!(e.url_absolute("/x"), "http://127.0.0.1:8080/x");
        let e = HttpEndpoint::new("http://h:1/pkix/", Duration::from_secs(1)).unwrap();
        assert_eq!(e.url_for(""), "http://h:1/pkix/");
        let e = HttpEndpoint::new("http://h:1", Duration::from_secs(1)).unwrap();
        assert_eq!(e.url_for(""), "http://h:1/");
        assert!(HttpEndpoint::new("ftp://h", Duration::from_secs(1)).is_err());
    }
}
