//! Validating the protection certificate (RFC 9483 3.5, RFC 9810 5.1.3.3): the signer
//! certificate's path to a caller-given trust anchor at a caller-given time, its keyUsage
//! (RFC 9483 1.2: digitalSignature, when keyUsage is present) and an optional required
//! extended key usage (e.g. `id-kp-cmcRA` or `id-kp-cmcCA`, RFC 9483 4.1 and 6.2).
//!
//! Path building and RFC 5280 path validation are [`certval`]'s (tested against NIST PKITS and
//! x509-limbo); signatures along the path are checked by our [`VerifierBackend`], so the same
//! algorithms and the same SHA-1 switch apply to the chain as to the message. When no path
//! validates, a bounded walk up the issuer names says why in terms of one certificate
//! (unknown issuer, a signature that does not verify, an expired CA).

use der::{Decode, Encode};
use x509_cert::ext::pkix::{ExtendedKeyUsage, KeyUsage};
use x509_cert::Certificate;

pub use super::chain_error::ChainError;
use super::error::ProtectionError;
use super::sig::{RustCryptoBackend, SignatureBytes, VerifierBackend};
use super::signer::{verify_signature_with, SignerSource, VerifiedSigner};
use super::verify::{verify_protection_with, ProtectionKind, VerifiedProtection};
use super::VerifyOptions;
use crate::time::UtcDateTime;
use crate::PKIMessage;

/// At most this many untrusted certificates (the caller's intermediates plus the message's
/// `extraCerts`, which are capped by `VerifyOptions::max_signer_candidates` first) take part in
/// path building.
pub const MAX_CHAIN_CANDIDATES: usize = 64;
/// At most this many trust anchors.
pub const MAX_TRUST_ANCHORS: usize = 256;
/// At most this many candidate paths are validated.
pub const MAX_PATHS_TRIED: usize = 16;
/// The diagnostic walk (and any path) goes at most this many certificates up.
pub const MAX_CHAIN_DEPTH: usize = 10;

/// `id-kp-cmcCA` (RFC 6402): a CA's CMP/CMC protection certificate.
pub const ID_KP_CMC_CA: asn1::ObjectIdentifier = asn1::oid!(1, 3, 6, 1, 5, 5, 7, 3, 27);
/// `id-kp-cmcRA` (RFC 6402): an RA's CMP/CMC protection certificate.
pub const ID_KP_CMC_RA: asn1::ObjectIdentifier = asn1::oid!(1, 3, 6, 1, 5, 5, 7, 3, 28);

/// What the signer certificate is validated against.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChainPolicy {
    /// Trust anchors, DER certificates (self-signed or not: a trusted certificate ends the
    /// path).
    pub anchors: Vec<Vec<u8>>,
    /// Untrusted certificates that may complete the path (DER), in addition to the message's
    /// `extraCerts`.
    pub intermediates: Vec<Vec<u8>>,
    /// The time at which every certificate of the path must be valid.
    pub at: UtcDateTime,
    /// If set, the signer certificate must carry this extended key usage (an EKU extension that
    /// lists it). `None`: EKU is not looked at for the signer.
    pub required_eku: Option<asn1::ObjectIdentifier>,
    /// Also use the message's `extraCerts` for path building (RFC 9483 3.3). Default `true`.
    pub use_extra_certs: bool,
}

impl ChainPolicy {
    /// Anchors only, validation at `at`, no EKU requirement, `extraCerts` used.
    pub fn new(anchors: Vec<Vec<u8>>, at: UtcDateTime) -> Self {
        ChainPolicy {
            anchors,
            intermediates: Vec::new(),
            at,
            required_eku: None,
            use_extra_certs: true,
        }
    }

    /// [`ChainPolicy::new`] at the current system time.
    pub fn now(anchors: Vec<Vec<u8>>) -> Self {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        let at = UtcDateTime::from_unix_seconds(secs).unwrap_or(UtcDateTime {
            year: 1970,
            month: 1,
            day: 1,
            hour: 0,
            minute: 0,
            second: 0,
        });
        Self::new(anchors, at)
    }
}

/// A signer certificate whose path to a trust anchor validated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidatedPath {
    /// The signer certificate's subject.
    pub subject: String,
    /// The subjects from the signer certificate up to the trust anchor (inclusive).
    pub path: Vec<String>,
}

fn name_string(n: &x509_cert::name::Name) -> String {
    let s = n.to_string();
    if s.is_empty() {
        "(empty name)".into()
    } else {
        s
    }
}

fn time_string(t: &x509_cert::time::Time) -> String {
    let secs = t.to_unix_duration().as_secs() as i64;
    UtcDateTime::from_unix_seconds(secs)
        .map(|u| u.to_string())
        .unwrap_or_else(|| t.to_string())
}

fn decode(what: &str, der_bytes: &[u8]) -> Result<Certificate, ChainError> {
    Certificate::from_der(der_bytes).map_err(|e| ChainError::BadCertificate {
        what: what.to_string(),
        reason: e.to_string(),
    })
}

fn subject(c: &Certificate) -> String {
    name_string(c.tbs_certificate().subject())
}

/// Time check of one certificate at `at` (unix seconds).
fn validity(c: &Certificate, at: i64, at_s: &str) -> Result<(), ChainError> {
    let v = c.tbs_certificate().validity();
    let nb = v.not_before.to_unix_duration().as_secs() as i64;
    let na = v.not_after.to_unix_duration().as_secs() as i64;
    if at < nb {
        return Err(ChainError::NotYetValid {
            subject: subject(c),
            not_before: time_string(&v.not_before),
            at: at_s.to_string(),
        });
    }
    if at > na {
        return Err(ChainError::Expired {
            subject: subject(c),
            not_after: time_string(&v.not_after),
            at: at_s.to_string(),
        });
    }
    Ok(())
}

/// keyUsage (digitalSignature when present) and the required EKU of the signer certificate.
fn leaf_usage(
    c: &Certificate,
    required_eku: Option<&asn1::ObjectIdentifier>,
) -> Result<(), ChainError> {
    let tbs = c.tbs_certificate();
    match tbs.get_extension::<KeyUsage>() {
        Ok(Some((_, ku))) if !ku.digital_signature() => {
            return Err(ChainError::KeyUsage {
                subject: subject(c),
            })
        }
        Ok(_) => {}
        Err(e) => {
            return Err(ChainError::BadCertificate {
                what: format!("keyUsage of {}", subject(c)),
                reason: e.to_string(),
            })
        }
    }
    if let Some(req) = required_eku {
        let want = req.to_string();
        let ok = match tbs.get_extension::<ExtendedKeyUsage>() {
            Ok(Some((_, eku))) => eku.0.iter().any(|o| o.to_string() == want),
            _ => false,
        };
        if !ok {
            return Err(ChainError::ExtendedKeyUsage {
                subject: subject(c),
                required: crate::protection::error::oid_name(req),
            });
        }
    }
    Ok(())
}

/// Verify `child`'s signature with `issuer`'s key through `backend`.
fn signed_by<B: VerifierBackend>(
    child: &Certificate,
    issuer: &Certificate,
    backend: &B,
    opts: &VerifyOptions,
) -> bool {
    let (Ok(tbs), Ok(alg), Ok(spki)) = (
        child.tbs_certificate().to_der(),
        child.signature_algorithm().to_der(),
        issuer.tbs_certificate().subject_public_key_info().to_der(),
    ) else {
        return false;
    };
    let Some(sig) = child.signature().as_bytes() else {
        return false;
    };
    verify_raw(backend, opts, &tbs, sig, &alg, &spki)
}

fn verify_raw<B: VerifierBackend>(
    backend: &B,
    opts: &VerifyOptions,
    msg: &[u8],
    sig: &[u8],
    alg_der: &[u8],
    spki_der: &[u8],
) -> bool {
    use signature::MultipartVerifier;
    let Ok(alg) = asn1::parse_single::<crate::common::AlgorithmIdentifier<'_>>(alg_der) else {
        return false;
    };
    match backend.verifier(&alg, spki_der, opts) {
        Ok(v) => v.multipart_verify(&[msg], &SignatureBytes(sig)).is_ok(),
        Err(_) => false,
    }
}

/// Explain why no path was found: walk up from `leaf` by issuer name (at most
/// [`MAX_CHAIN_DEPTH`] steps) and name the first certificate that breaks a rule.
fn diagnose<B: VerifierBackend>(
    leaf: &Certificate,
    anchors: &[Certificate],
    pool: &[Certificate],
    at: i64,
    at_s: &str,
    backend: &B,
    opts: &VerifyOptions,
) -> ChainError {
    let mut cur = leaf.clone();
    for _ in 0..MAX_CHAIN_DEPTH {
        if let Err(e) = validity(&cur, at, at_s) {
            return e;
        }
        let issuer = cur.tbs_certificate().issuer();
        let by_name = |c: &&Certificate| c.tbs_certificate().subject() == issuer;
        let ta: Vec<&Certificate> = anchors.iter().filter(by_name).collect();
        let ca: Vec<&Certificate> = pool.iter().filter(by_name).filter(|c| **c != cur).collect();
        if ta.is_empty() && ca.is_empty() {
            return ChainError::UnknownIssuer {
                subject: subject(&cur),
                issuer: name_string(issuer),
            };
        }
        if ta.iter().any(|t| signed_by(&cur, t, backend, opts)) {
            // The path reaches an anchor by name and signature: another rule failed, which
            // the validator's report covers.
            return ChainError::Path {
                status: "no valid path".into(),
                subject: Some(subject(&cur)),
            };
        }
        match ca.into_iter().find(|c| signed_by(&cur, c, backend, opts)) {
            Some(next) => cur = next.clone(),
            None => {
                return ChainError::BadSignature {
                    subject: subject(&cur),
                }
            }
        }
    }
    ChainError::PathLength {
        subject: subject(&cur),
    }
}

fn map_status(
    status: certval::PathValidationStatus,
    at_cert: Option<&Certificate>,
    at: i64,
    at_s: &str,
) -> ChainError {
    use certval::PathValidationStatus as S;
    let subj = at_cert.map(subject);
    let s = || {
        subj.clone()
            .unwrap_or_else(|| "(unknown certificate)".into())
    };
    match status {
        S::InvalidNotAfterDate | S::InvalidNotBeforeDate => match at_cert {
            Some(c) => validity(c, at, at_s).err().unwrap_or(ChainError::Path {
                status: format!("{status:?}"),
                subject: subj,
            }),
            None => ChainError::Path {
                status: format!("{status:?}"),
                subject: subj,
            },
        },
        S::SignatureVerificationFailure => ChainError::BadSignature { subject: s() },
        S::NameChainingFailure | S::MissingTrustAnchor | S::NoPathsFound => ChainError::Path {
            status: format!("{status:?}"),
            subject: subj,
        },
        S::MissingBasicConstraints => ChainError::NotACa {
            subject: s(),
            reason: "basicConstraints missing".into(),
        },
        S::InvalidBasicConstraints => ChainError::NotACa {
            subject: s(),
            reason: "basicConstraints cA is false".into(),
        },
        S::InvalidPathLength => ChainError::PathLength { subject: s() },
        other => ChainError::Path {
            status: format!("{other:?}"),
            subject: subj,
        },
    }
}

/// Validate the certificate `signer` (DER): keyUsage and the required EKU, then a path through
/// `untrusted` (DER; the caller's intermediates and the message's extraCerts) to one of
/// `policy.anchors`, valid at `policy.at`, RustCrypto backend.
pub fn validate_certificate(
    signer: &[u8],
    untrusted: &[&[u8]],
    policy: &ChainPolicy,
    opts: &VerifyOptions,
) -> Result<ValidatedPath, ChainError> {
    validate_certificate_with(signer, untrusted, policy, &RustCryptoBackend, opts)
}

/// [`validate_certificate`] with any signature backend.
pub fn validate_certificate_with<B>(
    signer: &[u8],
    untrusted: &[&[u8]],
    policy: &ChainPolicy,
    backend: &B,
    opts: &VerifyOptions,
) -> Result<ValidatedPath, ChainError>
where
    B: VerifierBackend + Clone + Send + Sync + 'static,
{
    use certval::{
        CertFile, CertSource, CertVector, CertificationPath, CertificationPathResults,
        CertificationPathSettings, PDVCertificate, PkiEnvironment, TaSource, TimeOfInterest,
    };

    if policy.anchors.is_empty() {
        return Err(ChainError::NoTrustAnchors);
    }
    if policy.anchors.len() > MAX_TRUST_ANCHORS {
        return Err(ChainError::TooManyCertificates {
            count: policy.anchors.len(),
            max: MAX_TRUST_ANCHORS,
        });
    }
    if untrusted.len() > MAX_CHAIN_CANDIDATES {
        return Err(ChainError::TooManyCertificates {
            count: untrusted.len(),
            max: MAX_CHAIN_CANDIDATES,
        });
    }
    let at = policy.at.unix_seconds();
    let at_s = policy.at.to_string();
    let leaf = decode("signer certificate", signer)?;
    let anchors = policy
        .anchors
        .iter()
        .enumerate()
        .map(|(i, a)| decode(&format!("trust anchor {i}"), a))
        .collect::<Result<Vec<_>, _>>()?;
    // Undecodable untrusted certificates are only skipped: extraCerts are the sender's.
    let pool: Vec<Certificate> = untrusted
        .iter()
        .filter_map(|c| Certificate::from_der(c).ok())
        .collect();

    leaf_usage(&leaf, policy.required_eku.as_ref())?;

    let toi = TimeOfInterest::from_unix_secs(at.max(0) as u64).map_err(|e| ChainError::Path {
        status: format!("validation time: {e}"),
        subject: None,
    })?;
    let mut cps = CertificationPathSettings::new();
    cps.set_time_of_interest(toi);

    let mut pe = PkiEnvironment::new();
    pe.add_validate_path_callback(certval::validate_path_rfc5280);
    pe.add_calculate_hash_callback(certval::calculate_hash_rust_crypto);
    pe.add_oid_lookup(certval::oid_lookup);
    {
        let backend = backend.clone();
        let opts = opts.clone();
        pe.add_verify_signature_message_callback(
            move |_pe: &PkiEnvironment,
                  msg: &[u8],
                  sig: &der::asn1::BitString,
                  alg: &spki::AlgorithmIdentifierOwned,
                  key: &spki::SubjectPublicKeyInfoOwned|
                  -> certval::Result<()> {
                let fail = certval::Error::PathValidation(
                    certval::PathValidationStatus::SignatureVerificationFailure,
                );
                let (Ok(alg_der), Ok(spki_der), Some(sig)) =
                    (alg.to_der(), key.to_der(), sig.as_bytes())
                else {
                    return Err(fail);
                };
                if verify_raw(&backend, &opts, msg, sig, &alg_der, &spki_der) {
                    Ok(())
                } else {
                    Err(fail)
                }
            },
        );
    }

    let mut tas = TaSource::new();
    for (i, a) in policy.anchors.iter().enumerate() {
        tas.push(CertFile {
            filename: format!("anchor{i}"),
            bytes: a.clone(),
        });
    }
    tas.initialize().map_err(|e| ChainError::Path {
        status: format!("trust anchors: {e:?}"),
        subject: None,
    })?;
    pe.add_trust_anchor_source(Box::new(tas));

    let mut cs = CertSource::new();
    for (i, c) in untrusted.iter().enumerate() {
        cs.push(CertFile {
            filename: format!("untrusted{i}"),
            bytes: c.to_vec(),
        });
    }
    cs.initialize(&cps).map_err(|e| ChainError::Path {
        status: format!("untrusted certificates: {e:?}"),
        subject: None,
    })?;
    cs.find_all_partial_paths(&pe, &cps);
    pe.add_certificate_source(Box::new(cs));

    let target = PDVCertificate::try_from(signer).map_err(|e| ChainError::BadCertificate {
        what: "signer certificate".into(),
        reason: format!("{e:?}"),
    })?;
    let mut paths: Vec<CertificationPath> = Vec::new();
    // An error here means no path (often: the signer itself is outside its validity).
    let _ = pe.get_paths_for_target(&target, &mut paths, 0, toi);

    let mut first_err: Option<ChainError> = None;
    for path in paths.iter().take(MAX_PATHS_TRIED) {
        let mut cpr = CertificationPathResults::new();
        match pe.validate_path(&pe, &cps, path, &mut cpr) {
            Ok(()) => {
                let mut names = vec![subject(&leaf)];
                for c in path.intermediates.iter().rev() {
                    names.push(name_string(c.decoded().tbs_certificate().subject()));
                }
                if let Ok(n) = certval::get_trust_anchor_name(path.trust_anchor.decoded()) {
                    names.push(name_string(n));
                }
                return Ok(ValidatedPath {
                    subject: subject(&leaf),
                    path: names,
                });
            }
            Err(e) => {
                if first_err.is_some() {
                    continue;
                }
                let status = cpr.get_validation_status().or(match e {
                    certval::Error::PathValidation(s) => Some(s),
                    _ => None,
                });
                // Failure index: 0 = trust anchor, 1.. = intermediates from the anchor down,
                // last = target.
                let idx = cpr.get_failure_index().map(|i| i as usize);
                let n = path.intermediates.len();
                let cert_at = match idx {
                    Some(i) if i >= 1 && i <= n => {
                        Certificate::from_der(path.intermediates[i - 1].as_bytes()).ok()
                    }
                    Some(i) if i == n + 1 => Some(leaf.clone()),
                    _ => None,
                };
                first_err = Some(match status {
                    Some(s) => map_status(s, cert_at.as_ref(), at, &at_s),
                    None => ChainError::Path {
                        status: format!("{e:?}"),
                        subject: cert_at.as_ref().map(subject),
                    },
                });
            }
        }
    }
    Err(first_err.unwrap_or_else(|| diagnose(&leaf, &anchors, &pool, at, &at_s, backend, opts)))
}

/// Verify a received message's protection like [`super::verify_protection`] and, for a
/// signature, validate the signer certificate against `policy`: its path (through
/// `policy.intermediates` and, if `policy.use_extra_certs`, the message's `extraCerts`) to one
/// of `policy.anchors` at `policy.at`, keyUsage digitalSignature (if keyUsage is present) and
/// `policy.required_eku`. A failure of the certificate gives
/// [`ProtectionError::UntrustedSigner`] with the rule that failed. MACs are verified with
/// `secret` as usual (`policy` does not apply).
///
/// ```no_run
/// use cmp_codec::protection::{verify_protection_trusted, ChainPolicy, VerifyOptions};
/// use cmp_codec::UtcDateTime;
/// # fn run(der: &[u8], root_der: Vec<u8>) -> Result<(), Box<dyn std::error::Error>> {
/// let at = UtcDateTime { year: 2026, month: 1, day: 1, hour: 0, minute: 0, second: 0 };
/// let policy = ChainPolicy::new(vec![root_der], at);
/// let msg = cmp_codec::PKIMessage::parse(der)?;
/// verify_protection_trusted(&msg, None, &policy, &VerifyOptions::default())?;
/// # Ok(()) }
/// ```
pub fn verify_protection_trusted<'a>(
    msg: &PKIMessage<'a>,
    secret: Option<&[u8]>,
    policy: &ChainPolicy,
    opts: &VerifyOptions,
) -> Result<VerifiedProtection<'a>, ProtectionError> {
    verify_protection_trusted_with(msg, secret, policy, &RustCryptoBackend, opts)
}

/// [`verify_protection_trusted`] with any signature backend.
pub fn verify_protection_trusted_with<'a, B>(
    msg: &PKIMessage<'a>,
    secret: Option<&[u8]>,
    policy: &ChainPolicy,
    backend: &B,
    opts: &VerifyOptions,
) -> Result<VerifiedProtection<'a>, ProtectionError>
where
    B: VerifierBackend + Clone + Send + Sync + 'static,
{
    if ProtectionKind::of(msg) != Some(ProtectionKind::Signature) {
        return verify_protection_with(msg, secret, &[], backend, opts);
    }
    verify_signature_trusted_with(msg, policy, backend, opts)
        .map(|t| VerifiedProtection::Signature(t.signer))
}

/// A signature whose signer certificate validated ([`verify_signature_trusted`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrustedSigner {
    /// Where the signer certificate was found (`Supplied(i)` counts
    /// `policy.intermediates` then `policy.anchors`).
    pub signer: VerifiedSigner,
    /// The signer certificate (DER).
    pub certificate: Vec<u8>,
    /// Its validated path.
    pub path: ValidatedPath,
}

/// Verify the signature protection of a received message and validate its signer certificate
/// against `policy` (RustCrypto backend); see [`verify_protection_trusted`].
pub fn verify_signature_trusted(
    msg: &PKIMessage<'_>,
    policy: &ChainPolicy,
    opts: &VerifyOptions,
) -> Result<TrustedSigner, ProtectionError> {
    verify_signature_trusted_with(msg, policy, &RustCryptoBackend, opts)
}

/// [`verify_signature_trusted`] with any signature backend.
pub fn verify_signature_trusted_with<B>(
    msg: &PKIMessage<'_>,
    policy: &ChainPolicy,
    backend: &B,
    opts: &VerifyOptions,
) -> Result<TrustedSigner, ProtectionError>
where
    B: VerifierBackend + Clone + Send + Sync + 'static,
{
    let supplied: Vec<&[u8]> = policy
        .intermediates
        .iter()
        .chain(policy.anchors.iter())
        .map(Vec::as_slice)
        .collect();
    let signer: VerifiedSigner = verify_signature_with(msg, &supplied, backend, opts)?;
    let extra: Vec<&[u8]> = msg
        .extra_certs()
        .take(opts.max_signer_candidates)
        .map(|c| c.der())
        .collect();
    let signer_der: &[u8] = match signer.source {
        SignerSource::ExtraCerts(i) => extra.get(i).copied(),
        SignerSource::Supplied(i) => supplied.get(i).copied(),
    }
    .ok_or(ProtectionError::NoSignerCertificate {
        tried: 0,
        last_error: None,
    })?;
    let mut untrusted: Vec<&[u8]> = policy.intermediates.iter().map(Vec::as_slice).collect();
    if policy.use_extra_certs {
        for c in extra {
            if !untrusted.contains(&c) && c != signer_der {
                untrusted.push(c);
            }
        }
    }
    untrusted.truncate(MAX_CHAIN_CANDIDATES);
    match validate_certificate_with(signer_der, &untrusted, policy, backend, opts) {
        Ok(path) => Ok(TrustedSigner {
            signer,
            certificate: signer_der.to_vec(),
            path,
        }),
        Err(reason) => Err(ProtectionError::UntrustedSigner {
            subject: Certificate::from_der(signer_der)
                .map(|c| subject(&c))
                .unwrap_or_default(),
            reason,
        }),
    }
}

/// The subject of the certificate at `source` (for reports): `extraCerts[i]` of `msg` or the
/// i-th of `supplied`.
pub fn signer_subject(
    msg: &PKIMessage<'_>,
    supplied: &[&[u8]],
    source: SignerSource,
) -> Option<String> {
    let der_bytes: Vec<u8> = match source {
        SignerSource::ExtraCerts(i) => msg.extra_certs().nth(i)?.der().to_vec(),
        SignerSource::Supplied(i) => supplied.get(i)?.to_vec(),
    };
    Certificate::from_der(&der_bytes).ok().map(|c| subject(&c))
}
