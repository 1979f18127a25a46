//! `certHash` of certificate confirmation (RFC 9810 5.3.18, RFC 9481 3.3).

use digest::{Digest, ExtendableOutput, Update};

use super::alg::{ct_eq, with_hash, HashAlg};
use super::error::{oid_name, ProtectionError};
use super::sig::SignatureAlgorithm;
use crate::body::CertStatus;
use crate::common::AlgorithmIdentifier;
use crate::oid as ids;

/// A hash function for `certHash`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CertHashAlg {
    /// A SHA-1 or SHA-2 function.
    Sha(HashAlg),
    /// SHAKE128 with 256 bits of output (RFC 9481 2.2).
    Shake128,
    /// SHAKE256 with 512 bits of output (RFC 9481 2.2; the Ed448 `certHash`).
    Shake256,
}

impl CertHashAlg {
    /// The digest algorithm named by an OID (`id-sha*`, `id-shake128`, `id-shake256`).
    pub fn from_oid<'o>(oid: impl Into<crate::oid::Oid<'o>>) -> Option<Self> {
        let oid = oid.into();
        if oid == ids::ID_SHAKE128 {
            Some(CertHashAlg::Shake128)
        } else if oid == ids::ID_SHAKE256 {
            Some(CertHashAlg::Shake256)
        } else {
            HashAlg::from_oid(oid).map(CertHashAlg::Sha)
        }
    }

    /// The digest algorithm OID, as written in `CertStatus.hashAlg`.
    pub fn oid(&self) -> crate::oid::Oid<'static> {
        crate::oid::Oid::from(match self {
            CertHashAlg::Sha(h) => return h.oid(),
            CertHashAlg::Shake128 => &ids::ID_SHAKE128,
            CertHashAlg::Shake256 => &ids::ID_SHAKE256,
        })
    }

    /// A readable name.
    pub fn name(&self) -> &'static str {
        match self {
            CertHashAlg::Sha(h) => h.name(),
            CertHashAlg::Shake128 => "SHAKE128",
            CertHashAlg::Shake256 => "SHAKE256",
        }
    }

    /// Hash `data`.
    pub fn hash(&self, data: &[u8]) -> Vec<u8> {
        match self {
            CertHashAlg::Sha(h) => with_hash!(*h, D => D::digest(data).to_vec()),
            CertHashAlg::Shake128 => {
                let mut out = vec![0u8; 32];
                let mut x = shake::Shake128::default();
                Update::update(&mut x, data);
                x.finalize_xof_into(&mut out);
                out
            }
            CertHashAlg::Shake256 => {
                let mut out = vec![0u8; 64];
                let mut x = shake::Shake256::default();
                Update::update(&mut x, data);
                x.finalize_xof_into(&mut out);
                out
            }
        }
    }
}

/// `Certificate` (or `CertificationRequest`) with its to-be-signed part kept raw.
#[derive(asn1::Asn1Read)]
pub(crate) struct SignedRaw<'a> {
    pub tbs: asn1::Tlv<'a>,
    pub algorithm: AlgorithmIdentifier<'a>,
    pub signature: asn1::BitString<'a>,
}

/// The `certHash` algorithm for a certificate when `hashAlg` is absent: the hash of its
/// signature algorithm; SHA-512 for Ed25519 and SHAKE256 (512 bits) for Ed448 (RFC 9481 3.3).
/// ML-DSA (and any other algorithm without a hash) gives
/// [`ProtectionError::NoCertHashAlgorithm`]: the sender must use `hashAlg`.
pub fn cert_hash_algorithm(cert_der: &[u8]) -> Result<CertHashAlg, ProtectionError> {
    let cert = asn1::parse_single::<SignedRaw<'_>>(cert_der).map_err(|e| {
        ProtectionError::BadCertificate {
            what: "certificate".into(),
            reason: e.to_string(),
        }
    })?;
    let none = || ProtectionError::NoCertHashAlgorithm {
        signature_algorithm: oid_name(cert.algorithm.algorithm),
    };
    match SignatureAlgorithm::from_algorithm_identifier(&cert.algorithm) {
        Ok(SignatureAlgorithm::Ed25519) => Ok(CertHashAlg::Sha(HashAlg::Sha512)),
        Ok(SignatureAlgorithm::Ed448) => Ok(CertHashAlg::Shake256),
        Ok(s) => s.hash().map(CertHashAlg::Sha).ok_or_else(none),
        Err(_) => Err(none()),
    }
}

fn hash_alg_of(alg: &AlgorithmIdentifier<'_>) -> Result<CertHashAlg, ProtectionError> {
    let h =
        CertHashAlg::from_oid(alg.algorithm).ok_or_else(|| ProtectionError::UnknownAlgorithm {
            field: "CertStatus.hashAlg",
            algorithm: oid_name(alg.algorithm),
        })?;
    if !alg.null_or_absent_parameters() {
        return Err(super::error::bad_params(
            "CertStatus.hashAlg",
            "unexpected parameters",
        ));
    }
    Ok(h)
}

/// The `certHash` of a DER certificate: with `hash_alg` when given (`CertStatus.hashAlg`),
/// else per [`cert_hash_algorithm`].
///
/// ```
/// # fn run(cert_der: &[u8]) -> Result<(), cmp_codec::protection::ProtectionError> {
/// let hash = cmp_codec::protection::cert_hash(cert_der, None)?;
/// # Ok(()) }
/// ```
pub fn cert_hash(
    cert_der: &[u8],
    hash_alg: Option<&AlgorithmIdentifier<'_>>,
) -> Result<Vec<u8>, ProtectionError> {
    let alg = match hash_alg {
        Some(a) => hash_alg_of(a)?,
        None => cert_hash_algorithm(cert_der)?,
    };
    Ok(alg.hash(cert_der))
}

/// Check one `CertStatus` of a certConf against the certificate it confirms (`cert_der`, from
/// the ip/cp/kup). `pvno` is the certConf header's: `hashAlg` requires `cmp2021(3)`.
pub fn verify_cert_hash(
    status: &CertStatus<'_>,
    pvno: i64,
    cert_der: &[u8],
) -> Result<(), ProtectionError> {
    if status.hash_alg.is_some() && pvno != crate::header::PVNO_CMP2021 {
        return Err(ProtectionError::HashAlgRequiresPvno3 { pvno });
    }
    let expected = cert_hash(cert_der, status.hash_alg.as_ref())?;
    if ct_eq(&expected, status.cert_hash) {
        Ok(())
    } else {
        Err(ProtectionError::CertHashMismatch {
            cert_req_id: status.cert_req_id,
        })
    }
}
