//! Summaries of the X.509 structures a message carries as raw DER (certificates, PKCS#10
//! requests, CRLs), decoded with `x509-cert`.
//!
//! Certificates are decoded with the lenient `Raw` profile: an inspector must show what a peer
//! sent, including serial numbers or times that RFC 5280 forbids.

use x509_cert::certificate::{CertificateInner, Raw};
use x509_cert::crl::CertificateList;
use x509_cert::der::{Decode, Encode};
use x509_cert::request::CertReq;
use x509_cert::spki::SubjectPublicKeyInfoOwned;

use super::{oids, text};

/// The fields of a certificate worth showing in a dump.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertSummary {
    /// RFC 4514 string.
    pub subject: String,
    /// RFC 4514 string.
    pub issuer: String,
    /// Lowercase hex of the serial number's content octets.
    pub serial: String,
    /// ISO 8601 instant.
    pub not_before: String,
    /// ISO 8601 instant.
    pub not_after: String,
    /// Public key algorithm with its name, curve or RSA size.
    pub public_key: String,
    /// Signature algorithm with its name.
    pub signature_alg: String,
}

impl CertSummary {
    /// The summary as a JSON object.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "subject": self.subject,
            "issuer": self.issuer,
            "serial": self.serial,
            "not_before": self.not_before,
            "not_after": self.not_after,
            "public_key": self.public_key,
            "signature_alg": self.signature_alg,
        })
    }
}

/// Summarise a DER certificate; the error says why `x509-cert` could not decode it.
pub fn certificate(der: &[u8]) -> Result<CertSummary, String> {
    let cert = CertificateInner::<Raw>::from_der(der).map_err(|e| e.to_string())?;
    let tbs = cert.tbs_certificate();
    Ok(CertSummary {
        subject: name(tbs.subject()),
        issuer: name(tbs.issuer()),
        serial: text::hex(tbs.serial_number().as_bytes()),
        not_before: tbs.validity().not_before.to_string(),
        not_after: tbs.validity().not_after.to_string(),
        public_key: public_key(tbs.subject_public_key_info()),
        signature_alg: oids::describe_dotted(&cert.signature_algorithm().oid.to_string()),
    })
}

/// The fields of a PKCS#10 request worth showing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CsrSummary {
    /// RFC 4514 string.
    pub subject: String,
    /// Public key algorithm with its name, curve or RSA size.
    pub public_key: String,
    /// Signature algorithm with its name.
    pub signature_alg: String,
    /// Attribute types, named when known.
    pub attributes: Vec<String>,
}

/// Summarise a DER PKCS#10 `CertificationRequest`.
pub fn csr(der: &[u8]) -> Result<CsrSummary, String> {
    let req = CertReq::from_der(der).map_err(|e| e.to_string())?;
    Ok(CsrSummary {
        subject: name(&req.info.subject),
        public_key: public_key(&req.info.public_key),
        signature_alg: oids::describe_dotted(&req.algorithm.oid.to_string()),
        attributes: req
            .info
            .attributes
            .iter()
            .map(|a| oids::describe_dotted(&a.oid.to_string()))
            .collect(),
    })
}

/// The fields of a CRL worth showing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CrlSummary {
    /// RFC 4514 string.
    pub issuer: String,
    /// ISO 8601 instant.
    pub this_update: String,
    /// ISO 8601 instant, when present.
    pub next_update: Option<String>,
    /// Number of revoked certificates listed.
    pub revoked: usize,
}

/// Summarise a DER `CertificateList`.
pub fn crl(der: &[u8]) -> Result<CrlSummary, String> {
    let crl = CertificateList::<Raw>::from_der(der).map_err(|e| e.to_string())?;
    let tbs = &crl.tbs_cert_list;
    Ok(CrlSummary {
        issuer: name(&tbs.issuer),
        this_update: tbs.this_update.to_string(),
        next_update: tbs.next_update.map(|t| t.to_string()),
        revoked: tbs.revoked_certificates.as_ref().map_or(0, Vec::len),
    })
}

fn name(n: &x509_cert::name::Name) -> String {
    if n.is_empty() {
        "<NULL-DN>".to_string()
    } else {
        text::one_line(&n.to_string())
    }
}

fn public_key(spki: &SubjectPublicKeyInfoOwned) -> String {
    let params = spki
        .algorithm
        .parameters
        .as_ref()
        .and_then(|p| p.to_der().ok());
    text::describe_key(
        &spki.algorithm.oid.to_string(),
        params.as_deref(),
        spki.subject_public_key.raw_bytes(),
    )
}
