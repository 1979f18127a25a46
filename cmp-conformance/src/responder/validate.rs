//! Checks every request goes through before its body is looked at (RFC 9483 section 3.5):
//! protection (MAC with the shared secret, or a signature whose certificate chains to the
//! trust anchor), senderKID, sender, messageTime.

use std::time::{Duration, SystemTime};

use cmp_codec::protection::{
    verify_mac, verify_signature, MacAlgorithm, ProtectionError, RustCryptoVerifyingKey,
    SignatureAlgorithm, SignerMatch, SignerSource, VerifiedSigner, VerifyOptions,
};
use cmp_codec::{AlgorithmIdentifier, FailureBit, GeneralName, PKIBody, PKIMessage};
use x509_cert::ext::pkix::{BasicConstraints, ExtendedKeyUsage, KeyUsage};

use super::ca::norm_serial;
use super::credentials::CertInfo;
use super::errors::{bad_message_check, signer_not_trusted, Reject};
use super::faults::Fault;
use super::protect::OwnedMac;
use super::Inner;

/// How a request was protected, once verified.
#[derive(Clone, Debug)]
pub(crate) enum Auth {
    /// Unprotected (only accepted for error messages).
    None,
    /// MAC with the shared secret, with these parameters.
    Mac(OwnedMac),
    /// Signature by this certificate, which chains to the trust anchor.
    Sig(Box<Signer>),
}

/// A verified signer.
#[derive(Clone, Debug)]
pub(crate) struct Signer {
    pub cert: CertInfo,
    /// Its extendedKeyUsage has id-kp-cmcRA: it may vouch for POP with raVerified.
    pub cmc_ra: bool,
}

/// How many of a request's extraCerts are considered for the signer's chain.
const MAX_CHAIN_CANDIDATES: usize = 16;
/// Longest accepted chain below the trust anchor.
const MAX_CHAIN_DEPTH: usize = 4;

pub(crate) fn verify_options() -> VerifyOptions {
    VerifyOptions::default()
}

/// Split a DER certificate into to-be-signed bytes, algorithm and signature.
fn split_signed(der: &[u8]) -> Option<(&[u8], AlgorithmIdentifier<'_>, asn1::BitString<'_>)> {
    let seq = asn1::parse_single::<asn1::Sequence<'_>>(der).ok()?;
    seq.parse(|p| {
        let tbs = p.read_element::<asn1::Tlv<'_>>()?;
        let alg = p.read_element::<AlgorithmIdentifier<'_>>()?;
        let sig = p.read_element::<asn1::BitString<'_>>()?;
        Ok::<_, asn1::ParseError>((tbs.full_data(), alg, sig))
    })
    .ok()
}

/// Whether `cert_der` carries a valid signature by the key `issuer_spki`.
pub(crate) fn signed_by(cert_der: &[u8], issuer_spki: &[u8]) -> bool {
    let Some((tbs, alg, sig)) = split_signed(cert_der) else {
        return false;
    };
    if sig.padding_bits() != 0 {
        return false;
    }
    RustCryptoVerifyingKey::new(&alg, issuer_spki, &verify_options())
        .and_then(|v| v.verify_chunks(&[tbs], sig.as_bytes()))
        .is_ok()
}

fn within_validity(c: &CertInfo, now: SystemTime) -> bool {
    let v = c.cert.tbs_certificate().validity();
    v.not_before.to_system_time() <= now && now <= v.not_after.to_system_time()
}

fn is_ca(c: &CertInfo) -> bool {
    matches!(
        c.cert.tbs_certificate().get_extension::<BasicConstraints>(),
        Ok(Some((_, bc))) if bc.ca
    )
}

/// Whether a certificate's extendedKeyUsage contains id-kp-cmcRA.
pub(crate) fn has_cmc_ra(c: &CertInfo) -> bool {
    let cmc_ra = x509_cert::spki::ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.28");
    matches!(
        c.cert.tbs_certificate().get_extension::<ExtendedKeyUsage>(),
        Ok(Some((_, eku))) if eku.0.contains(&cmc_ra)
    )
}

/// Whether two DER `Name`s are the same name (compared decoded).
pub(crate) fn same_name(a: &[u8], b: &[u8]) -> bool {
    use der::Decode as _;
    if a == b {
        return true;
    }
    match (
        x509_cert::name::Name::from_der(a),
        x509_cert::name::Name::from_der(b),
    ) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

/// The commonName values of a DER `Name`, as encoded (UTF8String, PrintableString, ...).
pub(crate) fn common_names(name_der: &[u8]) -> Vec<Vec<u8>> {
    use der::Decode as _;
    let cn = x509_cert::spki::ObjectIdentifier::new_unwrap("2.5.4.3");
    let Ok(name) = x509_cert::name::Name::from_der(name_der) else {
        return Vec::new();
    };
    name.iter()
        .filter(|atv| atv.oid == cn)
        .map(|atv| atv.value.value().to_vec())
        .collect()
}

fn mac_error(e: ProtectionError) -> Reject {
    match e {
        ProtectionError::MacMismatch { .. } => {
            bad_message_check("MAC protection does not verify with the shared secret")
        }
        other => Reject::new(
            FailureBit::BadAlg,
            format!("MAC protection cannot be checked: {other}"),
        ),
    }
}

impl Inner {
    /// The trust check of a signer certificate: a path to the trust anchor through the
    /// request's extraCerts and the configured issuing CA, each certificate within its
    /// validity, intermediates with cA, the signer not revoked and with digitalSignature.
    fn validate_signer(&self, signer: &CertInfo, msg: &PKIMessage<'_>) -> Result<(), Reject> {
        let now = SystemTime::now();
        let root = &self.creds.root;
        let mut pool: Vec<CertInfo> = msg
            .extra_certs()
            .take(MAX_CHAIN_CANDIDATES)
            .filter_map(|c| CertInfo::from_der(c.der()).ok())
            .collect();
        pool.push(self.creds.issuing.clone());

        if let Ok(Some((_, ku))) = signer.cert.tbs_certificate().get_extension::<KeyUsage>() {
            if !ku.digital_signature() && !self.has(Fault::Val14) {
                return Err(signer_not_trusted(
                    "the signer certificate's keyUsage lacks digitalSignature",
                ));
            }
        }
        // An rr for the revoked signer certificate itself gets certRevoked from the rr
        // handler instead.
        if signer.issuer_der == self.creds.issuing.subject_der
            && self.ca.revocation(&signer.serial).is_some()
            && !matches!(msg.body, PKIBody::Rr(_))
        {
            return Err(signer_not_trusted("the signer certificate is revoked"));
        }
        let mut cur = signer.clone();
        for _ in 0..=MAX_CHAIN_DEPTH {
            if !within_validity(&cur, now) && !self.has(Fault::Val16) {
                return Err(signer_not_trusted(format!(
                    "certificate {} is outside its validity period",
                    cur.subject_string()
                )));
            }
            if same_name(&cur.issuer_der, &root.subject_der) {
                return if signed_by(&cur.der, &root.spki_der) {
                    Ok(())
                } else {
                    Err(signer_not_trusted(format!(
                        "certificate {} is not signed by the trust anchor",
                        cur.subject_string()
                    )))
                };
            }
            let next = pool.iter().find(|c| {
                c.der != cur.der
                    && same_name(&c.subject_der, &cur.issuer_der)
                    && (is_ca(c) || self.has(Fault::Val16))
                    && signed_by(&cur.der, &c.spki_der)
            });
            match next {
                Some(n) => cur = n.clone(),
                None => {
                    return Err(signer_not_trusted(format!(
                        "no path from {} to the trust anchor",
                        signer.subject_string()
                    )))
                }
            }
        }
        Err(signer_not_trusted("certificate chain too long"))
    }

    fn verify_mac_protection(&self, msg: &PKIMessage<'_>) -> Result<Auth, Reject> {
        if let Some(kid) = msg.header.sender_kid {
            if kid != self.creds.reference.as_bytes() && !self.has(Fault::Val13) {
                return Err(bad_message_check(
                    "senderKID names no shared secret known here",
                ));
            }
        }
        if self.config.check_mac_sender && !self.has(Fault::Mac04) {
            let kid = msg
                .header
                .sender_kid
                .unwrap_or(self.creds.reference.as_bytes());
            let cn_ok = match &msg.header.sender {
                GeneralName::DirectoryName(n) => common_names(n.der()).iter().any(|cn| cn == kid),
                _ => false,
            };
            if !cn_ok {
                return Err(bad_message_check(
                    "with MAC protection the sender must be a directoryName whose commonName is \
                     the senderKID (RFC 9483 4.1.5)",
                ));
            }
        }
        match verify_mac(msg, &self.creds.secret, &verify_options()) {
            Ok(m) => Ok(Auth::Mac(OwnedMac::from_alg(&m))),
            Err(ProtectionError::MacMismatch { .. }) if self.has(Fault::Val11) => {
                let alg = msg.header.protection_alg.as_ref();
                match alg.map(MacAlgorithm::from_algorithm_identifier) {
                    Some(Ok(m)) => Ok(Auth::Mac(OwnedMac::from_alg(&m))),
                    _ => Ok(Auth::Mac(OwnedMac::default_pbmac1())),
                }
            }
            Err(e) => Err(mac_error(e)),
        }
    }

    fn verify_signature_protection(
        &self,
        msg: &PKIMessage<'_>,
        cached: Option<&CertInfo>,
    ) -> Result<Auth, Reject> {
        let supplied: Vec<&[u8]> = cached.iter().map(|c| c.der.as_slice()).collect();
        let verified = verify_signature(msg, &supplied, &verify_options());
        let verified = match verified {
            Err(ProtectionError::NoSignerCertificate { tried, .. })
                if tried > 0 && self.has(Fault::Val11) =>
            {
                Ok(VerifiedSigner {
                    source: SignerSource::ExtraCerts(0),
                    matched: SignerMatch::FirstExtraCert,
                })
            }
            other => other,
        };
        let found = verified.map_err(|e| match e {
            ProtectionError::UnknownAlgorithm { .. }
            | ProtectionError::BadParameters { .. }
            | ProtectionError::WeakAlgorithm { .. } => Reject::new(
                FailureBit::BadAlg,
                format!("signature protection cannot be checked: {e}"),
            ),
            ProtectionError::NoSignerCertificate { tried: 0, .. } => signer_not_trusted(
                "no signer certificate: extraCerts must start with the protection certificate",
            ),
            other => bad_message_check(format!("signature protection does not verify: {other}")),
        })?;
        let der = match found.source {
            SignerSource::ExtraCerts(i) => msg.extra_certs().nth(i).map(|c| c.der().to_vec()),
            SignerSource::Supplied(i) => supplied.get(i).map(|c| c.to_vec()),
        }
        .ok_or_else(|| bad_message_check("signer certificate vanished"))?;
        let signer = CertInfo::from_der(&der)
            .map_err(|e| bad_message_check(format!("signer certificate: {e}")))?;
        if self.has(Fault::Extra06) {
            let extra: Vec<&[u8]> = msg.extra_certs().map(|c| c.der()).collect();
            if extra != [signer.der.as_slice(), self.creds.issuing.der.as_slice()] {
                return Err(bad_message_check(
                    "extraCerts must be the signer certificate and its issuer, in this order",
                ));
            }
        }
        if let (Some(kid), Some(ski)) = (msg.header.sender_kid, &signer.ski) {
            if kid != ski.as_slice() && !self.has(Fault::Val13) {
                return Err(bad_message_check(
                    "senderKID is not the signer certificate's subjectKeyIdentifier",
                ));
            }
        }
        match &msg.header.sender {
            GeneralName::DirectoryName(n) if same_name(n.der(), &signer.subject_der) => {}
            _ if self.has(Fault::Val18) => {}
            _ => {
                return Err(bad_message_check(
                    "sender is not the subject of the protection certificate",
                ))
            }
        }
        let skip_trust =
            self.has(Fault::Val14) || (self.has(Fault::Cr01) && matches!(msg.body, PKIBody::Cr(_)));
        if !skip_trust {
            self.validate_signer(&signer, msg)?;
        }
        if self.has(Fault::Ts33310_7) && matches!(msg.body, PKIBody::Ir(_)) {
            return Err(signer_not_trusted(
                "signature-protected ir are not accepted (fault TS33310-7)",
            ));
        }
        let cmc_ra = has_cmc_ra(&signer);
        Ok(Auth::Sig(Box::new(Signer {
            cert: signer,
            cmc_ra,
        })))
    }

    /// Verify the protection of a request. `cached` is the signer certificate of the
    /// operation, for later messages that leave extraCerts out.
    pub(crate) fn verify_protection(
        &self,
        msg: &PKIMessage<'_>,
        cached: Option<&CertInfo>,
    ) -> Result<Auth, Reject> {
        match (&msg.header.protection_alg, &msg.protection) {
            (None, None) => {
                let allowed = matches!(msg.body, PKIBody::Error(_))
                    || self.has(Fault::Val10)
                    || (self.has(Fault::Ra38) && self.in_batch)
                    || (self.has(Fault::Ir23) && matches!(msg.body, PKIBody::Ir(_)));
                if allowed {
                    Ok(Auth::None)
                } else {
                    Err(bad_message_check("missing protection"))
                }
            }
            (None, Some(_)) | (Some(_), None) => Err(bad_message_check(
                "protectionAlg and protection must both be present",
            )),
            (Some(alg), Some(_)) => match MacAlgorithm::from_algorithm_identifier(alg) {
                Ok(_) => self.verify_mac_protection(msg),
                Err(ProtectionError::WrongProtectionKind { .. }) => {
                    if let Err(e) = SignatureAlgorithm::from_algorithm_identifier(alg) {
                        return Err(Reject::new(
                            FailureBit::BadAlg,
                            format!("unsupported protection algorithm: {e}"),
                        ));
                    }
                    self.verify_signature_protection(msg, cached)
                }
                Err(e) => Err(Reject::new(
                    FailureBit::BadAlg,
                    format!("unsupported protection algorithm: {e}"),
                )),
            },
        }
    }

    /// messageTime, when present, must be within the configured skew (RFC 9483 3.5, a local
    /// policy check).
    pub(crate) fn check_time(&self, msg: &PKIMessage<'_>) -> Result<(), Reject> {
        let (Some(t), Some(skew)) = (&msg.header.message_time, self.config.max_time_skew) else {
            return Ok(());
        };
        let then = t.to_utc().unix_seconds();
        let now = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap_or(Duration::ZERO)
            .as_secs() as i64;
        if then.abs_diff(now) > skew.as_secs() {
            return Err(Reject::new(
                FailureBit::BadTime,
                "messageTime is too far from the server's time",
            ));
        }
        Ok(())
    }

    /// Whether the request was signed by the certificate with this issuer and serial number.
    pub(crate) fn is_cert_of(auth: &Auth, issuer_der: &[u8], serial: &[u8]) -> bool {
        matches!(auth, Auth::Sig(s) if Inner::is_cert(&s.cert, issuer_der, serial))
    }

    /// Whether `signer` is the certificate with this issuer and serial number.
    pub(crate) fn is_cert(signer: &CertInfo, issuer_der: &[u8], serial: &[u8]) -> bool {
        same_name(&signer.issuer_der, issuer_der)
            && norm_serial(&signer.serial) == norm_serial(serial)
    }
}
