//! KEM-based message authentication (RFC 9810 5.1.3.4): `id-KemBasedMac` with
//! `KemBMParameter`, the KDF context `KemOtherInfo`, and the `id-it-KemCiphertextInfo` exchange.
//!
//! The roles, in the RFC's words: **Alice** owns a KEM key pair and protects her messages with a
//! MAC; **Bob** has Alice's authentic public KEM key (from her certificate) and verifies.
//!
//! 1. Bob encapsulates to Alice's public key ([`KemEncapsulation::to_certificate`]) and sends the
//!    ciphertext as `KemCiphertextInfo` ([`KemEncapsulation::ciphertext_info`]) in a genp
//!    (answering Alice's genm with an empty `id-it-KemCiphertextInfo`) or in the `generalInfo`
//!    of a request (RFC 9810 5.1.1.5, Appendix E).
//! 2. Alice finds it ([`find_kem_ciphertext_info`]), decapsulates with her private key
//!    ([`KemDecapsulationKey::decapsulate`]), derives the MAC key
//!    `ssk = KDF(ss, len, DER(KemOtherInfo))` and protects ([`protect_with_kem_mac`]).
//! 3. Bob derives the same key from his copy of `ss` and verifies ([`verify_kem_mac`]).
//!
//! The shared secret is symmetric, so the same two functions serve whichever side protects.
//! `KemOtherInfo.transactionID` is the transactionID of the message that carried the
//! ciphertext; within one PKI management operation that is the transactionID of every message,
//! so [`protect_with_kem_mac`] and [`verify_kem_mac`] take it from the message's header (which
//! RFC 9810 5.1.1 requires to be set). [`KemBasedMac::derive_key`] takes it explicitly.
//!
//! KDF: RFC 9810 names none itself; it uses `KDF(IKM, L, info)` of RFC 9629 section 5 with
//! `IKM = ss`, `L = len`, `info = DER(KemOtherInfo)`. Supported: HKDF (RFC 5869) as identified
//! by RFC 8619 (`id-alg-hkdf-with-sha256/384/512`, parameters absent, no salt) and KDF2 of
//! ANS X9.44 (RFC 9690 `id-kdf-kdf2` with SHA-256/384/512). The MAC is an HMAC of RFC 9481
//! 6.2.1. KDF3 and KMAC (as MAC or KDF) are not implemented.

use zeroize::Zeroizing;

use super::alg::{ct_eq, HashAlg, HmacAlg};
use super::error::{bad_params, oid_name, ProtectionError};
use super::mac::alg_id_der;
use super::params::{KemBMParameter, KemOtherInfo};
use super::VerifyOptions;
use crate::common::AlgorithmIdentifier;
use crate::itav::{InfoValue, KemCiphertextInfo};
use crate::oid as ids;
use crate::oid::Oid;
use crate::{PKIBody, PKIMessage, SeqOf};

use asn1::{oid, ObjectIdentifier};

/// `id-alg-hkdf-with-sha256` (RFC 8619).
pub const ID_ALG_HKDF_WITH_SHA256: ObjectIdentifier = oid!(1, 2, 840, 113549, 1, 9, 16, 3, 28);
/// `id-alg-hkdf-with-sha384` (RFC 8619).
pub const ID_ALG_HKDF_WITH_SHA384: ObjectIdentifier = oid!(1, 2, 840, 113549, 1, 9, 16, 3, 29);
/// `id-alg-hkdf-with-sha512` (RFC 8619).
pub const ID_ALG_HKDF_WITH_SHA512: ObjectIdentifier = oid!(1, 2, 840, 113549, 1, 9, 16, 3, 30);
/// `id-kdf-kdf2` (ANS X9.44, RFC 9690); its parameters name the hash.
pub const ID_KDF_KDF2: ObjectIdentifier = oid!(1, 3, 133, 16, 840, 9, 44, 1, 1);
/// `id-alg-ml-kem-512` (FIPS 203, NIST CSOR).
pub const ID_ALG_ML_KEM_512: ObjectIdentifier = oid!(2, 16, 840, 1, 101, 3, 4, 4, 1);
/// `id-alg-ml-kem-768`.
pub const ID_ALG_ML_KEM_768: ObjectIdentifier = ids::ID_ML_KEM_768;
/// `id-alg-ml-kem-1024`.
pub const ID_ALG_ML_KEM_1024: ObjectIdentifier = oid!(2, 16, 840, 1, 101, 3, 4, 4, 3);

/// `KemOtherInfo.staticString` (RFC 9810 5.1.3.4): MUST be `"CMP-KEM"`.
pub const KEM_OTHER_INFO_STATIC_STRING: &str = "CMP-KEM";

/// Largest `KemBMParameter.len` accepted, in octets. HKDF can give at most 255 hash lengths;
/// an HMAC key longer than the hash block is hashed first, so nothing above 128 is useful. The
/// cap bounds the work a hostile `len` can cause.
pub const MAX_KEM_MAC_KEY_LEN: u64 = 1024;

const KEM_MAC: &str = "KemBasedMac";

pub(crate) fn extra_oid_name<'o>(oid: impl Into<Oid<'o>>) -> Option<&'static str> {
    let oid = oid.into();
    [
        (ID_ALG_HKDF_WITH_SHA256, "id-alg-hkdf-with-sha256"),
        (ID_ALG_HKDF_WITH_SHA384, "id-alg-hkdf-with-sha384"),
        (ID_ALG_HKDF_WITH_SHA512, "id-alg-hkdf-with-sha512"),
        (ID_KDF_KDF2, "id-kdf-kdf2"),
        (ID_ALG_ML_KEM_512, "ML-KEM-512"),
        (ID_ALG_ML_KEM_1024, "ML-KEM-1024"),
    ]
    .iter()
    .find(|(o, _)| *o == oid)
    .map(|(_, n)| *n)
}

/// A KDF for `KemBMParameter.kdf`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KdfAlg {
    /// HKDF with SHA-256 (`id-alg-hkdf-with-sha256`).
    HkdfSha256,
    /// HKDF with SHA-384.
    HkdfSha384,
    /// HKDF with SHA-512.
    HkdfSha512,
    /// KDF2 of ANS X9.44 (RFC 9690, `id-kdf-kdf2` with `id-sha256`).
    Kdf2Sha256,
    /// KDF2 with SHA-384.
    Kdf2Sha384,
    /// KDF2 with SHA-512.
    Kdf2Sha512,
}

impl KdfAlg {
    /// All supported KDFs.
    pub const ALL: [KdfAlg; 6] = [
        KdfAlg::HkdfSha256,
        KdfAlg::HkdfSha384,
        KdfAlg::HkdfSha512,
        KdfAlg::Kdf2Sha256,
        KdfAlg::Kdf2Sha384,
        KdfAlg::Kdf2Sha512,
    ];

    /// The algorithm OID: `id-alg-hkdf-with-sha*` (RFC 8619) or `id-kdf-kdf2` (the hash is in
    /// the parameters).
    pub fn oid(self) -> crate::oid::Oid<'static> {
        crate::oid::Oid::from(match self {
            KdfAlg::HkdfSha256 => &ID_ALG_HKDF_WITH_SHA256,
            KdfAlg::HkdfSha384 => &ID_ALG_HKDF_WITH_SHA384,
            KdfAlg::HkdfSha512 => &ID_ALG_HKDF_WITH_SHA512,
            KdfAlg::Kdf2Sha256 | KdfAlg::Kdf2Sha384 | KdfAlg::Kdf2Sha512 => &ID_KDF_KDF2,
        })
    }

    /// The HKDF named by an OID (KDF2 needs its parameters: see
    /// [`KdfAlg::from_algorithm_identifier`]).
    pub fn from_oid<'o>(oid: impl Into<Oid<'o>>) -> Option<Self> {
        let oid = oid.into();
        [KdfAlg::HkdfSha256, KdfAlg::HkdfSha384, KdfAlg::HkdfSha512]
            .into_iter()
            .find(|k| k.oid() == oid)
    }

    /// Read `KemBMParameter.kdf`: HKDF with parameters absent (RFC 8619), or KDF2 with the
    /// hash `AlgorithmIdentifier` as parameters (RFC 9690; SHA-256/384/512).
    pub fn from_algorithm_identifier(
        alg: &AlgorithmIdentifier<'_>,
    ) -> Result<Self, ProtectionError> {
        if let Some(k) = KdfAlg::from_oid(alg.algorithm) {
            return if alg.parameters.is_none() {
                Ok(k)
            } else {
                Err(bad_params(KEM_MAC, "HKDF parameters must be absent"))
            };
        }
        if alg.algorithm == ID_KDF_KDF2 {
            let h: AlgorithmIdentifier<'_> = alg
                .parameters_as::<AlgorithmIdentifier<'_>>()
                .ok_or_else(|| bad_params(KEM_MAC, "KDF2 parameters (the hash) absent"))?
                .map_err(|e| bad_params(KEM_MAC, e))?;
            if !h.null_or_absent_parameters() {
                return Err(bad_params(
                    KEM_MAC,
                    "KDF2 hash parameters must be NULL or absent",
                ));
            }
            return match HashAlg::from_oid(h.algorithm) {
                Some(HashAlg::Sha256) => Ok(KdfAlg::Kdf2Sha256),
                Some(HashAlg::Sha384) => Ok(KdfAlg::Kdf2Sha384),
                Some(HashAlg::Sha512) => Ok(KdfAlg::Kdf2Sha512),
                _ => Err(ProtectionError::UnknownAlgorithm {
                    field: "KemBMParameter.kdf (KDF2 hash)",
                    algorithm: oid_name(h.algorithm),
                }),
            };
        }
        Err(ProtectionError::UnknownAlgorithm {
            field: "KemBMParameter.kdf",
            algorithm: oid_name(alg.algorithm),
        })
    }

    /// The DER `AlgorithmIdentifier` for `KemBMParameter.kdf`.
    pub fn to_algorithm_identifier_der(self) -> Result<Vec<u8>, ProtectionError> {
        match self {
            KdfAlg::HkdfSha256 | KdfAlg::HkdfSha384 | KdfAlg::HkdfSha512 => {
                alg_id_der(self.oid(), None)
            }
            _ => {
                let hash = alg_id_der(self.hash().oid(), None)?;
                alg_id_der(&ID_KDF_KDF2, Some(&hash))
            }
        }
    }

    /// The hash the KDF runs on.
    pub fn hash(self) -> HashAlg {
        match self {
            KdfAlg::HkdfSha256 | KdfAlg::Kdf2Sha256 => HashAlg::Sha256,
            KdfAlg::HkdfSha384 | KdfAlg::Kdf2Sha384 => HashAlg::Sha384,
            KdfAlg::HkdfSha512 | KdfAlg::Kdf2Sha512 => HashAlg::Sha512,
        }
    }

    /// A readable name (`"HKDF-SHA256"`, `"KDF2-SHA256"`).
    pub fn name(self) -> &'static str {
        match self {
            KdfAlg::HkdfSha256 => "HKDF-SHA256",
            KdfAlg::HkdfSha384 => "HKDF-SHA384",
            KdfAlg::HkdfSha512 => "HKDF-SHA512",
            KdfAlg::Kdf2Sha256 => "KDF2-SHA256",
            KdfAlg::Kdf2Sha384 => "KDF2-SHA384",
            KdfAlg::Kdf2Sha512 => "KDF2-SHA512",
        }
    }

    /// `KDF(IKM, L, info)` of RFC 9629 section 5. HKDF: Extract without salt, then Expand of
    /// `out.len()` octets (at most 255 hash lengths). KDF2: `Hash(IKM || counter || info)` for
    /// a 32-bit big-endian counter from 1, concatenated and truncated.
    pub fn derive(self, ikm: &[u8], info: &[u8], out: &mut [u8]) -> Result<(), ProtectionError> {
        if matches!(
            self,
            KdfAlg::Kdf2Sha256 | KdfAlg::Kdf2Sha384 | KdfAlg::Kdf2Sha512
        ) {
            let h = self.hash();
            for (i, chunk) in out.chunks_mut(h.output_len()).enumerate() {
                let counter = (i as u32).wrapping_add(1).to_be_bytes();
                let block = h.digest_chunks(&[ikm, &counter, info]);
                chunk.copy_from_slice(&block.as_slice()[..chunk.len()]);
            }
            return Ok(());
        }
        let r = match self {
            KdfAlg::HkdfSha256 => hkdf::Hkdf::<sha2::Sha256>::new(None, ikm).expand(info, out),
            KdfAlg::HkdfSha384 => hkdf::Hkdf::<sha2::Sha384>::new(None, ikm).expand(info, out),
            _ => hkdf::Hkdf::<sha2::Sha512>::new(None, ikm).expand(info, out),
        };
        r.map_err(|_| {
            bad_params(
                KEM_MAC,
                format!("{} cannot give {} octets", self.name(), out.len()),
            )
        })
    }
}

/// `id-KemBasedMac` with its `KemBMParameter`, as read from `protectionAlg` or chosen for
/// [`protect_with_kem_mac`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KemBasedMac<'a> {
    /// The KDF applied to the KEM shared secret.
    pub kdf: KdfAlg,
    /// `kemContext`: optional context, also placed in `KemOtherInfo`.
    pub kem_context: Option<&'a [u8]>,
    /// `len`: the length in octets of the derived MAC key (1..=[`MAX_KEM_MAC_KEY_LEN`]).
    pub len: u64,
    /// The MAC keyed with the derived key.
    pub mac: HmacAlg,
}

impl<'a> KemBasedMac<'a> {
    /// The usual choice: HKDF-SHA256, a 32-octet key, HMAC-SHA256, no `kemContext`.
    pub fn hkdf_sha256_hmac_sha256() -> Self {
        KemBasedMac {
            kdf: KdfAlg::HkdfSha256,
            kem_context: None,
            len: 32,
            mac: HmacAlg::HmacWithSha256,
        }
    }

    /// `"KemBasedMac"`.
    pub fn name(&self) -> &'static str {
        KEM_MAC
    }

    /// Read an `id-KemBasedMac` `protectionAlg`. Another MAC gives
    /// [`ProtectionError::WrongProtectionKind`] with `expected: "KemBasedMac"`.
    pub fn from_algorithm_identifier(
        alg: &AlgorithmIdentifier<'a>,
    ) -> Result<Self, ProtectionError> {
        if alg.algorithm != ids::ID_KEM_BASED_MAC {
            return Err(ProtectionError::WrongProtectionKind {
                expected: KEM_MAC,
                algorithm: oid_name(alg.algorithm),
            });
        }
        let p: KemBMParameter<'a> = alg
            .parameters_as::<KemBMParameter<'a>>()
            .ok_or_else(|| bad_params(KEM_MAC, "parameters absent"))?
            .map_err(|e| bad_params(KEM_MAC, e))?;
        let kdf = KdfAlg::from_algorithm_identifier(&p.kdf)?;
        let mac = HmacAlg::from_oid(p.mac.algorithm).ok_or_else(|| {
            ProtectionError::UnknownAlgorithm {
                field: "KemBMParameter.mac",
                algorithm: oid_name(p.mac.algorithm),
            }
        })?;
        if !p.mac.null_or_absent_parameters() {
            return Err(bad_params(KEM_MAC, "MAC parameters must be NULL or absent"));
        }
        let m = KemBasedMac {
            kdf,
            kem_context: p.kem_context,
            len: p.len,
            mac,
        };
        m.key_len()?;
        Ok(m)
    }

    /// `len` as a key length, checked: `INTEGER (1..MAX)`, at most [`MAX_KEM_MAC_KEY_LEN`] and
    /// at most what the KDF can give.
    pub fn key_len(&self) -> Result<usize, ProtectionError> {
        let max = MAX_KEM_MAC_KEY_LEN.min(255 * self.kdf.hash().output_len() as u64);
        match self.len {
            0 => Err(bad_params(KEM_MAC, "len is 0")),
            n if n > max => Err(bad_params(KEM_MAC, format!("len {n} exceeds {max} octets"))),
            n => Ok(n as usize),
        }
    }

    /// The `protectionAlg` for these parameters, as DER (an `AlgorithmIdentifier`): `kdf`
    /// without parameters (RFC 8619), `mac` with none (RFC 9481 6.2.1).
    pub fn to_algorithm_identifier_der(&self) -> Result<Vec<u8>, ProtectionError> {
        self.key_len()?;
        let kdf_der = self.kdf.to_algorithm_identifier_der()?;
        let kdf = asn1::parse_single::<AlgorithmIdentifier<'_>>(&kdf_der)
            .map_err(|e| ProtectionError::Encoding(format!("{e:?}")))?;
        let params = asn1::write_single(&KemBMParameter {
            kdf,
            kem_context: self.kem_context,
            len: self.len,
            mac: AlgorithmIdentifier::new(self.mac.oid()),
        })
        .map_err(|e| ProtectionError::Encoding(format!("{e:?}")))?;
        alg_id_der(&ids::ID_KEM_BASED_MAC, Some(&params))
    }

    /// Derive the MAC key `ssk = KDF(ss, len, DER(KemOtherInfo))` with
    /// `KemOtherInfo { "CMP-KEM", transaction_id, kemContext }`.
    pub fn derive_key(
        &self,
        shared_secret: &[u8],
        transaction_id: &[u8],
    ) -> Result<KemMacKey, ProtectionError> {
        let len = self.key_len()?;
        let info = kem_other_info_der(transaction_id, self.kem_context)?;
        let mut key = Zeroizing::new(vec![0u8; len]);
        self.kdf.derive(shared_secret, &info, &mut key)?;
        Ok(KemMacKey {
            kdf: self.kdf,
            kem_context: self.kem_context.map(<[u8]>::to_vec),
            len: self.len,
            mac: self.mac,
            key,
        })
    }
}

/// The DER of `KemOtherInfo ::= SEQUENCE { staticString PKIFreeText ("CMP-KEM"),
/// transactionID OCTET STRING, kemContext [0] OCTET STRING OPTIONAL }`, the KDF's `info`.
pub fn kem_other_info_der(
    transaction_id: &[u8],
    kem_context: Option<&[u8]>,
) -> Result<Vec<u8>, ProtectionError> {
    asn1::write_single(&KemOtherInfo {
        static_string: SeqOf::new(vec![asn1::Utf8String::new(KEM_OTHER_INFO_STATIC_STRING)]),
        transaction_id,
        kem_context,
    })
    .map_err(|e| ProtectionError::Encoding(format!("{e:?}")))
}

/// A MAC key derived for KEM-based MAC ([`KemBasedMac::derive_key`]); wiped on drop. RFC 9810
/// lets it be reused for the further messages of the same PKI management operation.
pub struct KemMacKey {
    kdf: KdfAlg,
    kem_context: Option<Vec<u8>>,
    len: u64,
    mac: HmacAlg,
    key: Zeroizing<Vec<u8>>,
}

impl core::fmt::Debug for KemMacKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("KemMacKey")
            .field("kdf", &self.kdf)
            .field("len", &self.len)
            .field("mac", &self.mac)
            .finish_non_exhaustive()
    }
}

impl KemMacKey {
    /// The derived key octets (`ssk`), e.g. for known-answer tests.
    pub fn as_bytes(&self) -> &[u8] {
        &self.key
    }

    /// Whether this key was derived for exactly these parameters.
    pub fn matches(&self, m: &KemBasedMac<'_>) -> bool {
        self.kdf == m.kdf
            && self.kem_context.as_deref() == m.kem_context
            && self.len == m.len
            && self.mac == m.mac
    }

    /// The MAC of the concatenation of `chunks`.
    pub fn compute(&self, chunks: &[&[u8]]) -> super::alg::DigestBytes {
        self.mac.mac_chunks(&self.key, chunks)
    }
}

fn transaction_id<'a>(msg: &PKIMessage<'a>) -> Result<&'a [u8], ProtectionError> {
    msg.header.transaction_id.ok_or_else(|| {
        bad_params(
            KEM_MAC,
            "transactionID is absent (RFC 9810 5.1.1 requires it)",
        )
    })
}

/// MAC-protect a message with a KEM shared secret and return the DER of the protected message.
///
/// `protectionAlg` becomes `id-KemBasedMac` with `params`; the key is derived with the
/// message's `transactionID` (which must be present: RFC 9810 5.1.1 makes the client set it
/// whenever a `KemCiphertextInfo` is involved). Other header fields are the caller's.
pub fn protect_with_kem_mac(
    msg: &PKIMessage<'_>,
    params: &KemBasedMac<'_>,
    shared_secret: &[u8],
) -> Result<Vec<u8>, ProtectionError> {
    let key = params.derive_key(shared_secret, transaction_id(msg)?)?;
    protect_with_kem_mac_key(msg, params, &key)
}

/// [`protect_with_kem_mac`] with a key derived earlier (for the further messages of the same
/// operation). The key must match `params`.
pub fn protect_with_kem_mac_key(
    msg: &PKIMessage<'_>,
    params: &KemBasedMac<'_>,
    key: &KemMacKey,
) -> Result<Vec<u8>, ProtectionError> {
    if !key.matches(params) {
        return Err(bad_params(
            KEM_MAC,
            "the key was derived for other parameters",
        ));
    }
    let alg_der = params.to_algorithm_identifier_der()?;
    super::protect::finish(msg, &alg_der, None, None, |tbs| {
        Ok(key.compute(&[tbs]).as_slice().to_vec())
    })
}

type KemParts<'a> = (
    KemBasedMac<'a>,
    asn1::BitString<'a>,
    crate::ProtectedPart<'a>,
);

fn kem_parts<'a>(msg: &PKIMessage<'a>) -> Result<KemParts<'a>, ProtectionError> {
    let alg = msg
        .header
        .protection_alg
        .as_ref()
        .ok_or(ProtectionError::Unprotected {
            missing: "protectionAlg",
        })?;
    let protection = msg.protection.clone().ok_or(ProtectionError::Unprotected {
        missing: "protection",
    })?;
    let part = msg.protected_part().ok_or(ProtectionError::NotParsed)?;
    Ok((
        KemBasedMac::from_algorithm_identifier(alg)?,
        protection,
        part,
    ))
}

fn check<'a>(
    m: KemBasedMac<'a>,
    expected: &[u8],
    protection: asn1::BitString<'_>,
) -> Result<KemBasedMac<'a>, ProtectionError> {
    if protection.padding_bits() == 0 && ct_eq(expected, protection.as_bytes()) {
        Ok(m)
    } else {
        Err(ProtectionError::MacMismatch { algorithm: KEM_MAC })
    }
}

/// Verify the KEM-based MAC protection of a received message with the KEM shared secret `ss`
/// (the encapsulating side's copy, or the decapsulated one). The key is derived with the
/// message's `transactionID`; the MAC runs over the received bytes and is compared in constant
/// time. `opts` is taken for symmetry with the other verifiers (KEM-based MAC has no iteration
/// count; `len` is capped by [`MAX_KEM_MAC_KEY_LEN`]).
pub fn verify_kem_mac<'a>(
    msg: &PKIMessage<'a>,
    shared_secret: &[u8],
    _opts: &VerifyOptions,
) -> Result<KemBasedMac<'a>, ProtectionError> {
    let (m, protection, part) = kem_parts(msg)?;
    let key = m.derive_key(shared_secret, transaction_id(msg)?)?;
    let expected = key.compute(&part.chunks());
    check(m, expected.as_slice(), protection)
}

/// Verify KEM-based MAC protection with a key derived earlier ([`KemBasedMac::derive_key`]),
/// e.g. for a later message of the same operation, or with a `transactionID` other than the
/// message's. A message whose parameters differ from the key's gives
/// [`ProtectionError::BadParameters`].
pub fn verify_kem_mac_with_key<'a>(
    msg: &PKIMessage<'a>,
    key: &KemMacKey,
) -> Result<KemBasedMac<'a>, ProtectionError> {
    let (m, protection, part) = kem_parts(msg)?;
    if !key.matches(&m) {
        return Err(bad_params(
            KEM_MAC,
            "protectionAlg parameters differ from those the key was derived for",
        ));
    }
    let expected = key.compute(&part.chunks());
    check(m, expected.as_slice(), protection)
}

/// The first `id-it-KemCiphertextInfo` with a value in the message: in `generalInfo`
/// (RFC 9810 5.1.1.5), else in a genm or genp body (5.3.19.18). `None` if there is none (an
/// `id-it-KemCiphertextInfo` without value is Alice's request for one).
pub fn find_kem_ciphertext_info<'a>(msg: &PKIMessage<'a>) -> Option<KemCiphertextInfo<'a>> {
    let pick = |v: InfoValue<'a>| match v {
        InfoValue::KemCiphertextInfo(Some(info)) => Some(info),
        _ => None,
    };
    if let Some(i) = msg.header.general_info().find_map(|i| pick(i.info_value)) {
        return Some(i);
    }
    match &msg.body {
        PKIBody::Genm(items) | PKIBody::Genp(items) => {
            items.iter().find_map(|i| pick(i.info_value))
        }
        _ => None,
    }
}

/// A KEM algorithm for `KemCiphertextInfo.kem`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KemAlgorithm {
    /// ML-KEM-512 (FIPS 203).
    MlKem512,
    /// ML-KEM-768.
    MlKem768,
    /// ML-KEM-1024.
    MlKem1024,
}

impl KemAlgorithm {
    /// All supported KEMs.
    pub const ALL: [KemAlgorithm; 3] = [
        KemAlgorithm::MlKem512,
        KemAlgorithm::MlKem768,
        KemAlgorithm::MlKem1024,
    ];

    /// The algorithm OID (also the SPKI algorithm of the public key).
    pub fn oid(self) -> crate::oid::Oid<'static> {
        crate::oid::Oid::from(match self {
            KemAlgorithm::MlKem512 => &ID_ALG_ML_KEM_512,
            KemAlgorithm::MlKem768 => &ID_ALG_ML_KEM_768,
            KemAlgorithm::MlKem1024 => &ID_ALG_ML_KEM_1024,
        })
    }

    /// The KEM named by an OID.
    pub fn from_oid<'o>(oid: impl Into<Oid<'o>>) -> Option<Self> {
        let oid = oid.into();
        KemAlgorithm::ALL.into_iter().find(|k| k.oid() == oid)
    }

    /// `"ML-KEM-768"`, ...
    pub fn name(self) -> &'static str {
        match self {
            KemAlgorithm::MlKem512 => "ML-KEM-512",
            KemAlgorithm::MlKem768 => "ML-KEM-768",
            KemAlgorithm::MlKem1024 => "ML-KEM-1024",
        }
    }

    /// Ciphertext length in octets (FIPS 203 table 3).
    pub fn ciphertext_len(self) -> usize {
        match self {
            KemAlgorithm::MlKem512 => 768,
            KemAlgorithm::MlKem768 => 1088,
            KemAlgorithm::MlKem1024 => 1568,
        }
    }

    /// Encapsulation (public) key length in octets.
    pub fn public_key_len(self) -> usize {
        match self {
            KemAlgorithm::MlKem512 => 800,
            KemAlgorithm::MlKem768 => 1184,
            KemAlgorithm::MlKem1024 => 1568,
        }
    }

    /// Read `KemCiphertextInfo.kem` (parameters must be absent) and check the ciphertext
    /// length.
    pub fn from_ciphertext_info(info: &KemCiphertextInfo<'_>) -> Result<Self, ProtectionError> {
        let k = KemAlgorithm::from_oid(info.kem.algorithm).ok_or_else(|| {
            ProtectionError::UnknownAlgorithm {
                field: "KemCiphertextInfo.kem",
                algorithm: oid_name(info.kem.algorithm),
            }
        })?;
        if info.kem.parameters.is_some() {
            return Err(bad_params(
                KEM_MAC,
                format!("{} parameters must be absent", k.name()),
            ));
        }
        if info.ct.len() != k.ciphertext_len() {
            return Err(bad_params(
                KEM_MAC,
                format!(
                    "{} ciphertext of {} octets, expected {}",
                    k.name(),
                    info.ct.len(),
                    k.ciphertext_len()
                ),
            ));
        }
        Ok(k)
    }
}

/// The result of KEM encapsulation on Bob's side: the ciphertext to send in
/// `KemCiphertextInfo` and the shared secret to keep (wiped on drop).
pub struct KemEncapsulation {
    /// The KEM used.
    pub algorithm: KemAlgorithm,
    /// `ct`.
    pub ciphertext: Vec<u8>,
    shared_secret: Zeroizing<Vec<u8>>,
}

impl core::fmt::Debug for KemEncapsulation {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("KemEncapsulation")
            .field("algorithm", &self.algorithm)
            .field("ciphertext_len", &self.ciphertext.len())
            .finish_non_exhaustive()
    }
}

impl KemEncapsulation {
    /// The shared secret `ss` (IKM of the KDF).
    pub fn shared_secret(&self) -> &[u8] {
        &self.shared_secret
    }

    /// `KemCiphertextInfo { kem, ct }` to put into an `id-it-KemCiphertextInfo` ITAV
    /// (`InfoValue::KemCiphertextInfo(Some(..))`) of a genp or of `generalInfo`.
    pub fn ciphertext_info(&self) -> KemCiphertextInfo<'_> {
        KemCiphertextInfo {
            kem: AlgorithmIdentifier::new(self.algorithm.oid()),
            ct: &self.ciphertext,
        }
    }

    /// The DER of [`KemEncapsulation::ciphertext_info`].
    pub fn ciphertext_info_der(&self) -> Vec<u8> {
        // A SEQUENCE of an OID and an OCTET STRING always encodes.
        asn1::write_single(&self.ciphertext_info()).unwrap_or_default()
    }
}

#[cfg(feature = "ml-kem")]
mod mlkem {
    use super::*;
    use ml_kem::kem::{Decapsulate, Encapsulate, KeyExport, TryKeyInit};
    use ml_kem::{MlKem1024, MlKem512, MlKem768};

    type Ek<P> = ml_kem::EncapsulationKey<P>;
    type Dk<P> = ml_kem::DecapsulationKey<P>;

    fn spki_of(der: &[u8]) -> Result<(KemAlgorithm, Vec<u8>), ProtectionError> {
        use der::Decode;
        // A certificate or a bare SubjectPublicKeyInfo.
        let spki = match x509_cert::Certificate::from_der(der) {
            Ok(c) => c.tbs_certificate().subject_public_key_info().clone(),
            Err(_) => spki::SubjectPublicKeyInfoOwned::from_der(der).map_err(|e| {
                ProtectionError::BadCertificate {
                    what: "KEM certificate or public key".into(),
                    reason: e.to_string(),
                }
            })?,
        };
        let oid = crate::oid::Oid::from_der(spki.algorithm.oid.as_bytes())
            .ok()
            .ok_or_else(|| ProtectionError::KeyMismatch {
                algorithm: KEM_MAC,
                reason: "unreadable key algorithm".into(),
            })?;
        let alg = KemAlgorithm::from_oid(oid).ok_or_else(|| ProtectionError::KeyMismatch {
            algorithm: KEM_MAC,
            reason: format!("{} is no KEM key", oid_name(oid)),
        })?;
        if spki.algorithm.parameters.is_some() {
            return Err(ProtectionError::KeyMismatch {
                algorithm: alg.name(),
                reason: "key parameters must be absent".into(),
            });
        }
        let key = spki
            .subject_public_key
            .as_bytes()
            .ok_or_else(|| ProtectionError::KeyMismatch {
                algorithm: alg.name(),
                reason: "public key BIT STRING has unused bits".into(),
            })?
            .to_vec();
        Ok((alg, key))
    }

    fn bad_key(alg: KemAlgorithm, key: &[u8]) -> ProtectionError {
        ProtectionError::KeyMismatch {
            algorithm: alg.name(),
            reason: format!(
                "public key of {} octets is not a valid encapsulation key ({} expected)",
                key.len(),
                alg.public_key_len()
            ),
        }
    }

    /// The encapsulation key of parameter set `$p` from its octets.
    macro_rules! ek {
        ($p:ty, $alg:expr, $key:expr) => {{
            let arr = $key.try_into().map_err(|_| bad_key($alg, $key))?;
            <Ek<$p> as TryKeyInit>::new(arr).map_err(|_| bad_key($alg, $key))?
        }};
    }

    fn done(alg: KemAlgorithm, ct: &[u8], ss: &[u8]) -> KemEncapsulation {
        KemEncapsulation {
            algorithm: alg,
            ciphertext: ct.to_vec(),
            shared_secret: Zeroizing::new(ss.to_vec()),
        }
    }

    impl KemEncapsulation {
        /// Encapsulate to the ML-KEM public key of `cert_or_spki` (a certificate or a
        /// `SubjectPublicKeyInfo`, DER): Bob's step 1 of RFC 9810 5.1.3.4. The certificate is
        /// not validated here (see [`crate::protection::validate_certificate`]).
        pub fn to_certificate<R>(cert_or_spki: &[u8], rng: &mut R) -> Result<Self, ProtectionError>
        where
            R: rand_core::CryptoRng + ?Sized,
        {
            let (alg, key) = spki_of(cert_or_spki)?;
            Ok(match alg {
                KemAlgorithm::MlKem512 => {
                    let (ct, ss) = ek!(MlKem512, alg, &key[..]).encapsulate_with_rng(rng);
                    done(alg, &ct, &ss)
                }
                KemAlgorithm::MlKem768 => {
                    let (ct, ss) = ek!(MlKem768, alg, &key[..]).encapsulate_with_rng(rng);
                    done(alg, &ct, &ss)
                }
                KemAlgorithm::MlKem1024 => {
                    let (ct, ss) = ek!(MlKem1024, alg, &key[..]).encapsulate_with_rng(rng);
                    done(alg, &ct, &ss)
                }
            })
        }

        /// Deterministic encapsulation with the FIPS 203 randomness `m`, **for known-answer
        /// tests only**: reusing `m` breaks ML-KEM. Use [`KemEncapsulation::to_certificate`].
        pub fn to_certificate_with_randomness(
            cert_or_spki: &[u8],
            m: &[u8; 32],
        ) -> Result<Self, ProtectionError> {
            let (alg, key) = spki_of(cert_or_spki)?;
            let m = ml_kem::B32::from(*m);
            Ok(match alg {
                KemAlgorithm::MlKem512 => {
                    let (ct, ss) = ek!(MlKem512, alg, &key[..]).encapsulate_deterministic(&m);
                    done(alg, &ct, &ss)
                }
                KemAlgorithm::MlKem768 => {
                    let (ct, ss) = ek!(MlKem768, alg, &key[..]).encapsulate_deterministic(&m);
                    done(alg, &ct, &ss)
                }
                KemAlgorithm::MlKem1024 => {
                    let (ct, ss) = ek!(MlKem1024, alg, &key[..]).encapsulate_deterministic(&m);
                    done(alg, &ct, &ss)
                }
            })
        }
    }

    enum DkInner {
        L512(Box<Dk<MlKem512>>),
        L768(Box<Dk<MlKem768>>),
        L1024(Box<Dk<MlKem1024>>),
    }

    /// An ML-KEM private (decapsulation) key: Alice's side of RFC 9810 5.1.3.4.
    pub struct KemDecapsulationKey {
        inner: DkInner,
    }

    impl core::fmt::Debug for KemDecapsulationKey {
        fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
            f.debug_struct("KemDecapsulationKey")
                .field("algorithm", &self.algorithm())
                .finish_non_exhaustive()
        }
    }

    /// The shared secret Alice decapsulated (wiped on drop).
    pub struct KemSharedSecret(Zeroizing<Vec<u8>>);

    impl KemSharedSecret {
        /// The secret octets (`ss`).
        pub fn as_bytes(&self) -> &[u8] {
            &self.0
        }
    }

    impl core::fmt::Debug for KemSharedSecret {
        fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
            f.write_str("KemSharedSecret(..)")
        }
    }

    impl KemDecapsulationKey {
        /// The key pair of `algorithm` from its 64-octet FIPS 203 seed `d || z`.
        pub fn from_seed(algorithm: KemAlgorithm, seed: &[u8; 64]) -> Self {
            let s = ml_kem::Seed::from(*seed);
            let inner = match algorithm {
                KemAlgorithm::MlKem512 => DkInner::L512(Box::new(Dk::<MlKem512>::from_seed(s))),
                KemAlgorithm::MlKem768 => DkInner::L768(Box::new(Dk::<MlKem768>::from_seed(s))),
                KemAlgorithm::MlKem1024 => DkInner::L1024(Box::new(Dk::<MlKem1024>::from_seed(s))),
            };
            KemDecapsulationKey { inner }
        }

        /// A key from PKCS#8 DER (`OneAsymmetricKey` with an ML-KEM private key, as
        /// draft-ietf-lamps-kyber-certificates defines it: seed, expanded key or both).
        pub fn from_pkcs8_der(der: &[u8]) -> Result<Self, ProtectionError> {
            use ml_kem::pkcs8::DecodePrivateKey;
            // Each parameter set checks the algorithm OID itself.
            let inner = if let Ok(k) = Dk::<MlKem768>::from_pkcs8_der(der) {
                DkInner::L768(Box::new(k))
            } else if let Ok(k) = Dk::<MlKem512>::from_pkcs8_der(der) {
                DkInner::L512(Box::new(k))
            } else {
                let k = Dk::<MlKem1024>::from_pkcs8_der(der).map_err(|e| {
                    ProtectionError::KeyMismatch {
                        algorithm: KEM_MAC,
                        reason: format!("not an ML-KEM PKCS#8 private key: {e}"),
                    }
                })?;
                DkInner::L1024(Box::new(k))
            };
            Ok(KemDecapsulationKey { inner })
        }

        /// Which ML-KEM.
        pub fn algorithm(&self) -> KemAlgorithm {
            match self.inner {
                DkInner::L512(_) => KemAlgorithm::MlKem512,
                DkInner::L768(_) => KemAlgorithm::MlKem768,
                DkInner::L1024(_) => KemAlgorithm::MlKem1024,
            }
        }

        /// The encapsulation (public) key octets.
        pub fn public_key(&self) -> Vec<u8> {
            match &self.inner {
                DkInner::L512(k) => k.encapsulation_key().to_bytes().to_vec(),
                DkInner::L768(k) => k.encapsulation_key().to_bytes().to_vec(),
                DkInner::L1024(k) => k.encapsulation_key().to_bytes().to_vec(),
            }
        }

        /// The public key as a DER `SubjectPublicKeyInfo` (algorithm parameters absent), to
        /// put into a certificate.
        pub fn public_key_spki_der(&self) -> Vec<u8> {
            let alg = crate::common::AlgorithmIdentifier::new(self.algorithm().oid());
            let key = self.public_key();
            // A BIT STRING without unused bits is always valid.
            match asn1::BitString::new(&key, 0) {
                Some(bits) => crate::common::SubjectPublicKeyInfo {
                    algorithm: alg,
                    subject_public_key: bits,
                }
                .to_der(),
                None => Vec::new(),
            }
        }

        /// Decapsulate `KemCiphertextInfo` (Alice's step 2). The KEM must be this key's and the
        /// ciphertext of the right length; ML-KEM itself never fails (a wrong ciphertext gives a
        /// different secret, so the MAC will not verify).
        pub fn decapsulate(
            &self,
            info: &KemCiphertextInfo<'_>,
        ) -> Result<KemSharedSecret, ProtectionError> {
            let alg = KemAlgorithm::from_ciphertext_info(info)?;
            if alg != self.algorithm() {
                return Err(ProtectionError::KeyMismatch {
                    algorithm: alg.name(),
                    reason: format!("the private key is {}", self.algorithm().name()),
                });
            }
            let bad = |_| bad_params(KEM_MAC, "ciphertext length");
            let ss = match &self.inner {
                DkInner::L512(k) => k.decapsulate_slice(info.ct).map_err(bad)?.to_vec(),
                DkInner::L768(k) => k.decapsulate_slice(info.ct).map_err(bad)?.to_vec(),
                DkInner::L1024(k) => k.decapsulate_slice(info.ct).map_err(bad)?.to_vec(),
            };
            Ok(KemSharedSecret(Zeroizing::new(ss)))
        }
    }
}

#[cfg(feature = "ml-kem")]
pub use mlkem::{KemDecapsulationKey, KemSharedSecret};
