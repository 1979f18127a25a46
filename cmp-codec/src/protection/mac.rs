//! MAC-based protection with a shared secret: PasswordBasedMac (RFC 9810 5.1.3.1, RFC 4211
//! 4.4) and PBMAC1 with PBKDF2 (RFC 8018, RFC 9481 6.1.2).

use zeroize::Zeroizing;

use super::alg::{ct_eq, HashAlg, HmacAlg};
use super::error::{bad_params, oid_name, ProtectionError};
use super::params::{PBKDF2Params, PBKDF2Salt, PBMAC1Params, PBMParameter};
use super::VerifyOptions;
use crate::common::AlgorithmIdentifier;
use crate::oid as ids;
use crate::PKIMessage;

/// RFC 8018 counts PBMAC1 `keyLength` in octets; no HMAC we support uses a longer key than its
/// block-sized 64 octets usefully, so a larger value is taken as a sign of the keyLength-in-bits
/// quirk (or hostile input) and rejected unless the fallback is enabled.
pub const PBMAC1_MAX_KEY_LENGTH: usize = 64;

/// With `pbmac1_key_length_in_bits_fallback`, the largest `keyLength` read as bits (4096 bits,
/// the value of the known real-world sample, giving 512 octets).
pub const PBMAC1_MAX_KEY_LENGTH_BITS: u64 = 4096;

const PBM: &str = "PasswordBasedMac";
const PBMAC1: &str = "PBMAC1";

/// A password-based MAC algorithm with its parameters, as read from `protectionAlg` or chosen
/// for [`super::protect_with_mac`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MacAlgorithm<'a> {
    /// `id-PasswordBasedMac` with `PBMParameter`.
    Pbm {
        /// `salt`, appended to the secret before the first `owf` round.
        salt: &'a [u8],
        /// The one-way function iterated to form BASEKEY.
        owf: HashAlg,
        /// How many times `owf` is applied.
        iteration_count: u64,
        /// The HMAC keyed with BASEKEY.
        mac: HmacAlg,
    },
    /// `id-PBMAC1` with PBKDF2.
    Pbmac1 {
        /// PBKDF2 salt (`specified`).
        salt: &'a [u8],
        /// PBKDF2 iteration count.
        iteration_count: u64,
        /// PBKDF2 PRF; `hmacWithSHA1` when absent from the parameters.
        prf: HmacAlg,
        /// `keyLength` as written (octets per RFC 8018). When `None`, the MAC's output length.
        key_length: Option<u64>,
        /// `messageAuthScheme`.
        mac: HmacAlg,
    },
}

fn check_null_or_absent(
    algorithm: &'static str,
    alg: &AlgorithmIdentifier<'_>,
) -> Result<(), ProtectionError> {
    if alg.null_or_absent_parameters() {
        return Ok(());
    }
    Err(bad_params(
        algorithm,
        format!("unexpected parameters for {}", oid_name(alg.algorithm)),
    ))
}

fn hmac_alg(
    field: &'static str,
    algorithm: &'static str,
    alg: &AlgorithmIdentifier<'_>,
) -> Result<HmacAlg, ProtectionError> {
    let h = HmacAlg::from_oid(alg.algorithm).ok_or_else(|| ProtectionError::UnknownAlgorithm {
        field,
        algorithm: oid_name(alg.algorithm),
    })?;
    check_null_or_absent(algorithm, alg)?;
    Ok(h)
}

impl<'a> MacAlgorithm<'a> {
    /// Read a password-based MAC `protectionAlg`. A signature algorithm gives
    /// [`ProtectionError::WrongProtectionKind`]; DH- and KEM-based MACs give
    /// [`ProtectionError::UnknownAlgorithm`] (KEM-based MAC is read by
    /// [`super::KemBasedMac::from_algorithm_identifier`]).
    pub fn from_algorithm_identifier(
        alg: &AlgorithmIdentifier<'a>,
    ) -> Result<Self, ProtectionError> {
        if alg.algorithm == ids::ID_PASSWORD_BASED_MAC {
            let p: PBMParameter<'a> = alg
                .parameters_as::<PBMParameter<'a>>()
                .ok_or_else(|| bad_params(PBM, "parameters absent"))?
                .map_err(|e| bad_params(PBM, e))?;
            let owf = HashAlg::from_oid(p.owf.algorithm).ok_or_else(|| {
                ProtectionError::UnknownAlgorithm {
                    field: "PBMParameter.owf",
                    algorithm: oid_name(p.owf.algorithm),
                }
            })?;
            check_null_or_absent(PBM, &p.owf)?;
            let mac = hmac_alg("PBMParameter.mac", PBM, &p.mac)?;
            Ok(MacAlgorithm::Pbm {
                salt: p.salt,
                owf,
                iteration_count: p.iteration_count,
                mac,
            })
        } else if alg.algorithm == ids::ID_PBMAC1 {
            let p: PBMAC1Params<'a> = alg
                .parameters_as::<PBMAC1Params<'a>>()
                .ok_or_else(|| bad_params(PBMAC1, "parameters absent"))?
                .map_err(|e| bad_params(PBMAC1, e))?;
            if p.key_derivation_func.algorithm != ids::ID_PBKDF2 {
                return Err(ProtectionError::UnknownAlgorithm {
                    field: "PBMAC1-params.keyDerivationFunc",
                    algorithm: oid_name(p.key_derivation_func.algorithm),
                });
            }
            let kdf: PBKDF2Params<'a> = p
                .key_derivation_func
                .parameters_as::<PBKDF2Params<'a>>()
                .ok_or_else(|| bad_params(PBMAC1, "PBKDF2 parameters absent"))?
                .map_err(|e| bad_params(PBMAC1, e))?;
            let salt = match kdf.salt {
                PBKDF2Salt::Specified(s) => s,
                PBKDF2Salt::OtherSource(_) => {
                    return Err(bad_params(
                        PBMAC1,
                        "PBKDF2 salt otherSource is not supported",
                    ))
                }
            };
            let prf = match &kdf.prf {
                None => HmacAlg::HmacWithSha1,
                Some(prf) => hmac_alg("PBKDF2-params.prf", PBMAC1, prf)?,
            };
            let mac = hmac_alg(
                "PBMAC1-params.messageAuthScheme",
                PBMAC1,
                &p.message_auth_scheme,
            )?;
            Ok(MacAlgorithm::Pbmac1 {
                salt,
                iteration_count: kdf.iteration_count,
                prf,
                key_length: kdf.key_length,
                mac,
            })
        } else if alg.algorithm == ids::ID_DH_BASED_MAC || alg.algorithm == ids::ID_KEM_BASED_MAC {
            Err(ProtectionError::UnknownAlgorithm {
                field: "protectionAlg",
                algorithm: oid_name(alg.algorithm),
            })
        } else {
            Err(ProtectionError::WrongProtectionKind {
                expected: "MAC",
                algorithm: oid_name(alg.algorithm),
            })
        }
    }

    /// `"PasswordBasedMac"` or `"PBMAC1"`.
    pub fn name(&self) -> &'static str {
        match self {
            MacAlgorithm::Pbm { .. } => PBM,
            MacAlgorithm::Pbmac1 { .. } => PBMAC1,
        }
    }

    /// The HMAC that produces the protection value.
    pub fn mac(&self) -> HmacAlg {
        match self {
            MacAlgorithm::Pbm { mac, .. } | MacAlgorithm::Pbmac1 { mac, .. } => *mac,
        }
    }

    /// The salt.
    fn salt(&self) -> &'a [u8] {
        match self {
            MacAlgorithm::Pbm { salt, .. } | MacAlgorithm::Pbmac1 { salt, .. } => salt,
        }
    }

    /// The same parameters with another salt.
    fn with_salt<'s>(&self, salt: &'s [u8]) -> MacAlgorithm<'s> {
        match *self {
            MacAlgorithm::Pbm {
                owf,
                iteration_count,
                mac,
                ..
            } => MacAlgorithm::Pbm {
                salt,
                owf,
                iteration_count,
                mac,
            },
            MacAlgorithm::Pbmac1 {
                iteration_count,
                prf,
                key_length,
                mac,
                ..
            } => MacAlgorithm::Pbmac1 {
                salt,
                iteration_count,
                prf,
                key_length,
                mac,
            },
        }
    }

    /// Check the iteration count, salt and key length against `opts` and return the number of
    /// octets to derive (PBMAC1) — before any key derivation work is done.
    fn check(&self, opts: &VerifyOptions) -> Result<usize, ProtectionError> {
        let (name, salt, count) = match self {
            MacAlgorithm::Pbm {
                salt,
                iteration_count,
                ..
            } => (PBM, salt, *iteration_count),
            MacAlgorithm::Pbmac1 {
                salt,
                iteration_count,
                ..
            } => (PBMAC1, salt, *iteration_count),
        };
        if count == 0 {
            return Err(bad_params(name, "iterationCount is 0"));
        }
        let max = match self {
            // `pbkdf2` counts rounds in a u32.
            MacAlgorithm::Pbmac1 { .. } => opts.max_iteration_count.min(u32::MAX as u64),
            MacAlgorithm::Pbm { .. } => opts.max_iteration_count,
        };
        if count > max {
            return Err(ProtectionError::IterationCountTooLarge {
                algorithm: name,
                count,
                max,
            });
        }
        if salt.len() > opts.max_salt_len {
            return Err(ProtectionError::SaltTooLong {
                algorithm: name,
                len: salt.len(),
                max: opts.max_salt_len,
            });
        }
        match self {
            MacAlgorithm::Pbm { .. } => Ok(0),
            MacAlgorithm::Pbmac1 {
                key_length, mac, ..
            } => match *key_length {
                None => Ok(mac.hash().output_len()),
                Some(0) => Err(bad_params(PBMAC1, "keyLength is 0")),
                Some(k) if k <= PBMAC1_MAX_KEY_LENGTH as u64 => Ok(k as usize),
                Some(k)
                    if opts.pbmac1_key_length_in_bits_fallback
                        && k % 8 == 0
                        && k <= PBMAC1_MAX_KEY_LENGTH_BITS =>
                {
                    Ok((k / 8) as usize)
                }
                Some(k) => Err(ProtectionError::Pbmac1KeyLength {
                    key_length: k,
                    max_octets: PBMAC1_MAX_KEY_LENGTH,
                }),
            },
        }
    }

    /// The MAC over `chunks` (the DER `ProtectedPart`) keyed from `secret`. Limits in `opts`
    /// are checked first.
    pub fn compute(
        &self,
        secret: &[u8],
        chunks: &[&[u8]],
        opts: &VerifyOptions,
    ) -> Result<super::alg::DigestBytes, ProtectionError> {
        let key = self.derive(secret, opts)?;
        Ok(self.mac().mac_chunks(key.as_slice(), chunks))
    }

    /// Check the limits, then derive the MAC key.
    fn derive(&self, secret: &[u8], opts: &VerifyOptions) -> Result<KeyBytes, ProtectionError> {
        let key_len = self.check(opts)?;
        Ok(match self {
            MacAlgorithm::Pbm {
                salt,
                owf,
                iteration_count,
                ..
            } => {
                // HMAC accepts a key of any length, so the whole BASEKEY is the key: the
                // RFC 9810 key expansion (K > H) never applies to HMAC.
                KeyBytes::Inline(owf.iterate(secret, salt, *iteration_count))
            }
            MacAlgorithm::Pbmac1 {
                salt,
                iteration_count,
                prf,
                ..
            } => {
                let mut key = Zeroizing::new(vec![0u8; key_len]);
                prf.pbkdf2(secret, salt, *iteration_count as u32, &mut key);
                KeyBytes::Heap(key)
            }
        })
    }

    /// Derive the MAC key once, to verify several messages that use the same parameters
    /// (RFC 9810 5.1.3.1 recommends keeping them constant within a transaction, because the
    /// derivation is the expensive part). Limits in `opts` are checked first.
    pub fn derive_key(
        &self,
        secret: &[u8],
        opts: &VerifyOptions,
    ) -> Result<MacKey, ProtectionError> {
        let key = self.derive(secret, opts)?;
        Ok(MacKey {
            params: OwnedParams::new(self),
            encoding: Encoding::written(self),
            learned: std::sync::OnceLock::new(),
            key: Zeroizing::new(key.as_slice().to_vec()),
        })
    }

    /// The `protectionAlg` for this algorithm, as DER (an `AlgorithmIdentifier`).
    ///
    /// PBM writes `owf` and `mac` without parameters (as OpenSSL does); PBMAC1 writes `prf` and
    /// `messageAuthScheme` with `NULL` parameters (RFC 8018 A.5) and omits `prf` when it is the
    /// DEFAULT `hmacWithSHA1`.
    pub fn to_algorithm_identifier_der(&self) -> Result<Vec<u8>, ProtectionError> {
        let enc = |e: asn1::WriteError| ProtectionError::Encoding(format!("{e:?}"));
        let null = asn1::parse_single::<asn1::Tlv<'_>>(&[0x05, 0x00])
            .map_err(|e| bad_params(PBMAC1, e))?;
        match self {
            MacAlgorithm::Pbm {
                salt,
                owf,
                iteration_count,
                mac,
            } => {
                let params = asn1::write_single(&PBMParameter {
                    salt,
                    owf: AlgorithmIdentifier::new(owf.oid()),
                    iteration_count: *iteration_count,
                    mac: AlgorithmIdentifier::new(mac.oid()),
                })
                .map_err(enc)?;
                alg_id_der(&ids::ID_PASSWORD_BASED_MAC, Some(&params))
            }
            MacAlgorithm::Pbmac1 {
                salt,
                iteration_count,
                prf,
                key_length,
                mac,
            } => {
                let kdf = asn1::write_single(&PBKDF2Params {
                    salt: PBKDF2Salt::Specified(salt),
                    iteration_count: *iteration_count,
                    key_length: *key_length,
                    prf: (*prf != HmacAlg::HmacWithSha1).then(|| AlgorithmIdentifier {
                        algorithm: prf.oid(),
                        parameters: Some(null),
                    }),
                })
                .map_err(enc)?;
                let kdf_tlv =
                    asn1::parse_single::<asn1::Tlv<'_>>(&kdf).map_err(|e| bad_params(PBMAC1, e))?;
                let params = asn1::write_single(&PBMAC1Params {
                    key_derivation_func: AlgorithmIdentifier {
                        algorithm: (&ids::ID_PBKDF2).into(),
                        parameters: Some(kdf_tlv),
                    },
                    message_auth_scheme: AlgorithmIdentifier {
                        algorithm: mac.oid(),
                        parameters: Some(null),
                    },
                })
                .map_err(enc)?;
                alg_id_der(&ids::ID_PBMAC1, Some(&params))
            }
        }
    }
}

/// Derived key material, wiped on drop.
enum KeyBytes {
    Inline(super::alg::DigestBytes),
    Heap(Zeroizing<Vec<u8>>),
}

impl KeyBytes {
    fn as_slice(&self) -> &[u8] {
        match self {
            KeyBytes::Inline(d) => d.as_slice(),
            KeyBytes::Heap(v) => v,
        }
    }
}

/// The parameters a [`MacKey`] was derived for, owned: the algorithm with an empty salt, and
/// the salt.
#[derive(Clone, Debug, PartialEq, Eq)]
struct OwnedParams {
    alg: MacAlgorithm<'static>,
    salt: Vec<u8>,
}

impl OwnedParams {
    fn new(alg: &MacAlgorithm<'_>) -> Self {
        OwnedParams {
            alg: alg.with_salt(&[]),
            salt: alg.salt().to_vec(),
        }
    }

    /// These parameters with `salt` (equal to the owned one, or found at the same place in
    /// the same encoding).
    fn with_salt<'a>(&self, salt: &'a [u8]) -> MacAlgorithm<'a> {
        self.alg.with_salt(salt)
    }
}

/// The DER of `protectionAlg`'s parameters in one encoding, and where the salt sits in it: a
/// received `protectionAlg` with exactly these bytes has exactly the key's parameters, so
/// [`verify_mac_with_key`] need not decode them.
#[derive(Clone, Debug)]
struct Encoding {
    parameters: Vec<u8>,
    salt: core::ops::Range<usize>,
}

impl Encoding {
    /// The encoding of `id`, if its parameters decode to `alg`.
    fn read(id: &AlgorithmIdentifier<'_>, alg: &MacAlgorithm<'_>) -> Option<Encoding> {
        let parameters = id.parameters.as_ref()?.full_data();
        let read = MacAlgorithm::from_algorithm_identifier(id).ok()?;
        let salt = read.salt();
        // The salt is a subslice of `parameters`; its offset is the pointers' distance.
        let start = (salt.as_ptr() as usize).checked_sub(parameters.as_ptr() as usize)?;
        let salt = start..start + salt.len();
        (parameters.get(salt.clone()).is_some() && read == *alg).then(|| Encoding {
            parameters: parameters.to_vec(),
            salt,
        })
    }

    /// The encoding [`MacAlgorithm::to_algorithm_identifier_der`] writes for `alg`.
    fn written(alg: &MacAlgorithm<'_>) -> Option<Encoding> {
        let der = alg.to_algorithm_identifier_der().ok()?;
        Encoding::read(
            &asn1::parse_single::<AlgorithmIdentifier<'_>>(&der).ok()?,
            alg,
        )
    }

    /// The parameters of `parameters` if they are these bytes, the salt borrowed from them.
    fn matches<'a>(&self, parameters: &'a [u8], params: &OwnedParams) -> Option<MacAlgorithm<'a>> {
        if parameters != self.parameters.as_slice() {
            return None;
        }
        Some(params.with_salt(parameters.get(self.salt.clone())?))
    }
}

/// A MAC key derived from a shared secret for one set of PBM or PBMAC1 parameters
/// ([`MacAlgorithm::derive_key`]). The key is wiped on drop.
///
/// It recognises its parameters in a received `protectionAlg` by their bytes, without decoding
/// them, when they are written as [`MacAlgorithm::to_algorithm_identifier_der`] writes them or
/// as in the first message whose differently written parameters it decoded and found equal.
pub struct MacKey {
    params: OwnedParams,
    /// Our own encoding of the parameters.
    encoding: Option<Encoding>,
    /// The first other encoding of the same parameters a message came with (peers differ:
    /// Bouncy Castle writes `NULL` parameters for the HMAC, we and OpenSSL leave them out).
    learned: std::sync::OnceLock<Encoding>,
    key: Zeroizing<Vec<u8>>,
}

impl core::fmt::Debug for MacKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("MacKey")
            .field("params", &self.params)
            .finish_non_exhaustive()
    }
}

impl MacKey {
    /// Whether this key was derived for exactly these parameters.
    pub fn matches(&self, algorithm: &MacAlgorithm<'_>) -> bool {
        self.params.with_salt(&self.params.salt) == *algorithm
    }

    /// The parameters of a `protectionAlg` written byte for byte in an encoding this key knows
    /// ([`Encoding`]), read without decoding them; `None` for any other bytes.
    fn same_encoding<'a>(&self, alg: &AlgorithmIdentifier<'a>) -> Option<MacAlgorithm<'a>> {
        let parameters = alg.parameters.as_ref()?.full_data();
        let algorithm = if matches!(self.params.alg, MacAlgorithm::Pbmac1 { .. }) {
            ids::ID_PBMAC1
        } else {
            ids::ID_PASSWORD_BASED_MAC
        };
        if alg.algorithm != algorithm {
            return None;
        }
        let known = |e: Option<&Encoding>| e?.matches(parameters, &self.params);
        known(self.encoding.as_ref()).or_else(|| known(self.learned.get()))
    }

    /// Remember the encoding of `alg`, whose parameters were decoded and found equal to the
    /// key's, if no other one was remembered yet.
    fn learn(&self, alg: &AlgorithmIdentifier<'_>, m: &MacAlgorithm<'_>) {
        if self.learned.get().is_none() {
            if let Some(e) = Encoding::read(alg, m) {
                let _ = self.learned.set(e);
            }
        }
    }

    /// The MAC of the concatenation of `chunks`.
    pub fn compute(&self, chunks: &[&[u8]]) -> super::alg::DigestBytes {
        self.params.alg.mac().mac_chunks(&self.key, chunks)
    }
}

/// Verify the MAC protection of a received message with a key derived earlier
/// ([`MacAlgorithm::derive_key`]) instead of the secret: no key derivation happens. A message
/// whose `protectionAlg` parameters differ from the key's gives
/// [`ProtectionError::BadParameters`]; derive a new key for it.
///
/// ```
/// use cmp_codec::protection::{protect_with_mac, verify_mac_with_key, HashAlg, HmacAlg, MacAlgorithm, VerifyOptions};
/// # let der = cmp_codec::builder::example_genm();
/// # let msg = cmp_codec::PKIMessage::parse(&der)?;
/// let pbm = MacAlgorithm::Pbm { salt: b"0123456789abcdef", owf: HashAlg::Sha256, iteration_count: 10_000, mac: HmacAlg::HmacWithSha256 };
/// let key = pbm.derive_key(b"secret", &VerifyOptions::default())?;
/// # let der = protect_with_mac(&msg, &pbm, b"secret")?;
/// let received = cmp_codec::PKIMessage::parse(&der)?;
/// verify_mac_with_key(&received, &key)?; // no 10,000 iterations this time
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn verify_mac_with_key<'a>(
    msg: &PKIMessage<'a>,
    key: &MacKey,
) -> Result<MacAlgorithm<'a>, ProtectionError> {
    let alg = protection_alg(msg)?;
    let m = match key.same_encoding(alg) {
        Some(m) => m,
        None => {
            let m = MacAlgorithm::from_algorithm_identifier(alg)?;
            if !key.matches(&m) {
                return Err(bad_params(
                    m.name(),
                    "protectionAlg parameters differ from those the key was derived for",
                ));
            }
            key.learn(alg, &m);
            m
        }
    };
    let (protection, part) = protection_and_part(msg)?;
    let expected = key.compute(&part.chunks());
    check_mac(m, expected.as_slice(), protection)
}

type MacParts<'a> = (
    MacAlgorithm<'a>,
    asn1::BitString<'a>,
    crate::ProtectedPart<'a>,
);

fn mac_parts<'a>(msg: &PKIMessage<'a>) -> Result<MacParts<'a>, ProtectionError> {
    let alg = protection_alg(msg)?;
    let (protection, part) = protection_and_part(msg)?;
    let m = MacAlgorithm::from_algorithm_identifier(alg)?;
    Ok((m, protection, part))
}

fn protection_alg<'m, 'a>(
    msg: &'m PKIMessage<'a>,
) -> Result<&'m AlgorithmIdentifier<'a>, ProtectionError> {
    msg.header
        .protection_alg
        .as_ref()
        .ok_or(ProtectionError::Unprotected {
            missing: "protectionAlg",
        })
}

fn protection_and_part<'a>(
    msg: &PKIMessage<'a>,
) -> Result<(asn1::BitString<'a>, crate::ProtectedPart<'a>), ProtectionError> {
    let protection = msg.protection.clone().ok_or(ProtectionError::Unprotected {
        missing: "protection",
    })?;
    let part = msg.protected_part().ok_or(ProtectionError::NotParsed)?;
    Ok((protection, part))
}

fn check_mac<'a>(
    m: MacAlgorithm<'a>,
    expected: &[u8],
    protection: asn1::BitString<'_>,
) -> Result<MacAlgorithm<'a>, ProtectionError> {
    if protection.padding_bits() == 0 && ct_eq(expected, protection.as_bytes()) {
        Ok(m)
    } else {
        Err(ProtectionError::MacMismatch {
            algorithm: m.name(),
        })
    }
}

/// DER `AlgorithmIdentifier` from an OID and the DER of its parameters.
pub(crate) fn alg_id_der<'o>(
    algorithm: impl Into<crate::oid::Oid<'o>>,
    params: Option<&[u8]>,
) -> Result<Vec<u8>, ProtectionError> {
    let parameters = match params {
        Some(p) => Some(
            asn1::parse_single::<asn1::Tlv<'_>>(p)
                .map_err(|e| ProtectionError::Encoding(format!("{e:?}")))?,
        ),
        None => None,
    };
    asn1::write_single(&AlgorithmIdentifier {
        algorithm: algorithm.into(),
        parameters,
    })
    .map_err(|e| ProtectionError::Encoding(format!("{e:?}")))
}

/// Verify the MAC protection of a received message with the shared `secret`.
///
/// The MAC is computed over the received header and body bytes
/// ([`PKIMessage::protected_part`]), streamed chunk by chunk: nothing proportional to the
/// message is copied or allocated. Limits in `opts` (iteration count, salt length, PBMAC1
/// `keyLength`) are checked before any key derivation starts. The comparison is constant-time;
/// derived keys are wiped.
///
/// Returns the MAC algorithm that was verified.
///
/// ```
/// use cmp_codec::protection::{protect_with_mac, verify_mac, HashAlg, HmacAlg, MacAlgorithm, VerifyOptions};
/// # let der = cmp_codec::builder::example_genm();
/// let msg = cmp_codec::PKIMessage::parse(&der)?;
/// let pbm = MacAlgorithm::Pbm {
///     salt: b"0123456789abcdef",
///     owf: HashAlg::Sha256,
///     iteration_count: 10_000,
///     mac: HmacAlg::HmacWithSha256,
/// };
/// let protected = protect_with_mac(&msg, &pbm, b"secret")?;
/// let received = cmp_codec::PKIMessage::parse(&protected)?;
/// assert_eq!(verify_mac(&received, b"secret", &VerifyOptions::default())?, pbm);
/// assert!(verify_mac(&received, b"wrong", &VerifyOptions::default()).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn verify_mac<'a>(
    msg: &PKIMessage<'a>,
    secret: &[u8],
    opts: &VerifyOptions,
) -> Result<MacAlgorithm<'a>, ProtectionError> {
    let (m, protection, part) = mac_parts(msg)?;
    let expected = m.compute(secret, &part.chunks(), opts)?;
    check_mac(m, expected.as_slice(), protection)
}
