//! Where the runner sends its requests: an [`Endpoint`] takes one DER PKIMessage and returns
//! what came back. HTTP endpoints (RFC 6712 / RFC 9811) and in-process servers (a Rust CA or
//! RA under test, or the built-in reference responder) implement the same trait, so every
//! scenario runs against either.

use std::fmt;

pub mod http;

/// What a transport returned for one request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reply {
    /// HTTP status code (in-process endpoints report 200).
    pub status: u16,
    /// The `Content-Type` header, if any (in-process: `application/pkixcmp`).
    pub content_type: Option<String>,
    /// The body: normally one DER PKIMessage.
    pub body: Vec<u8>,
}

/// The content type of CMP over HTTP (RFC 6712 / RFC 9811 section 3.4).
pub const PKIXCMP: &str = "application/pkixcmp";

impl Reply {
    /// A reply as an in-process server gives it: status 200, `application/pkixcmp`.
    pub fn pkixcmp(body: Vec<u8>) -> Self {
        Reply {
            status: 200,
            content_type: Some(PKIXCMP.to_string()),
            body,
        }
    }
}

/// A request could not be delivered or no reply came back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TransportError {
    /// What went wrong, for the report.
    pub message: String,
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for TransportError {}

/// A CMP server the runner can talk to.
///
/// `path` is the operation-specific path suffix chosen by the scenario (RFC 9811 section 3.3:
/// e.g. `""`, `"/p/<label>"`, `"/p/<label>/initialization"`), appended to the endpoint's base;
/// in-process endpoints may ignore it.
pub trait Endpoint {
    /// Send one DER PKIMessage and return the reply.
    fn exchange(&mut self, path: &str, request: &[u8]) -> Result<Reply, TransportError>;
}

/// Any closure over the request bytes is an in-process endpoint (handy in tests).
impl<F> Endpoint for F
where
    F: FnMut(&[u8]) -> Vec<u8>,
{
    fn exchange(&mut self, _path: &str, request: &[u8]) -> Result<Reply, TransportError> {
        Ok(Reply::pkixcmp(self(request)))
    }
}
