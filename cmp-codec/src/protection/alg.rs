//! Hash and HMAC algorithms used by MAC protection, signatures and `certHash`, with streaming
//! helpers that feed the chunks of a [`super::ProtectedPart`] without concatenating them.

use asn1::{oid, ObjectIdentifier};
use digest::{Digest, KeyInit, Mac};
use zeroize::Zeroize;

use crate::oid as ids;
use crate::oid::Oid;

/// `sha224WithRSAEncryption` (RFC 4055).
pub const SHA224_WITH_RSA: ObjectIdentifier = oid!(1, 2, 840, 113549, 1, 1, 14);
/// `ecdsa-with-SHA1` (RFC 3279).
pub const ECDSA_WITH_SHA1: ObjectIdentifier = oid!(1, 2, 840, 10045, 4, 1);
/// `ecdsa-with-SHA224` (RFC 5758).
pub const ECDSA_WITH_SHA224: ObjectIdentifier = oid!(1, 2, 840, 10045, 4, 3, 1);
/// `id-mgf1` (RFC 8017).
pub const ID_MGF1: ObjectIdentifier = oid!(1, 2, 840, 113549, 1, 1, 8);
/// `secp256r1` (P-256).
pub const SECP256R1: ObjectIdentifier = oid!(1, 2, 840, 10045, 3, 1, 7);
/// `secp384r1` (P-384).
pub const SECP384R1: ObjectIdentifier = oid!(1, 3, 132, 0, 34);
/// `secp521r1` (P-521).
pub const SECP521R1: ObjectIdentifier = oid!(1, 3, 132, 0, 35);
/// `id-ce-subjectKeyIdentifier`.
pub const ID_CE_SUBJECT_KEY_IDENTIFIER: ObjectIdentifier = oid!(2, 5, 29, 14);

pub(crate) fn extra_oid_name<'o>(oid: impl Into<Oid<'o>>) -> Option<&'static str> {
    let oid = oid.into();
    [
        (SHA224_WITH_RSA, "sha224WithRSAEncryption"),
        (ECDSA_WITH_SHA1, "ecdsa-with-SHA1"),
        (ECDSA_WITH_SHA224, "ecdsa-with-SHA224"),
        (ID_MGF1, "id-mgf1"),
        (SECP256R1, "secp256r1"),
        (SECP384R1, "secp384r1"),
        (SECP521R1, "secp521r1"),
    ]
    .iter()
    .find(|(o, _)| *o == oid)
    .map(|(_, n)| *n)
    .or_else(|| super::kem::extra_oid_name(oid))
}

/// A digest of at most 64 bytes, kept inline (no allocation) and wiped on drop because it
/// may be key material.
#[derive(Clone)]
pub struct DigestBytes {
    buf: [u8; 64],
    len: usize,
}

impl DigestBytes {
    fn from_slice(s: &[u8]) -> Self {
        let mut buf = [0u8; 64];
        let len = s.len().min(64);
        buf[..len].copy_from_slice(&s[..len]);
        DigestBytes { buf, len }
    }

    /// The digest bytes.
    pub fn as_slice(&self) -> &[u8] {
        &self.buf[..self.len]
    }
}

impl AsRef<[u8]> for DigestBytes {
    fn as_ref(&self) -> &[u8] {
        self.as_slice()
    }
}

impl core::fmt::Debug for DigestBytes {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("DigestBytes(..)")
    }
}

impl Drop for DigestBytes {
    fn drop(&mut self) {
        // Only the first `len` octets were ever written; the rest are still zero.
        if let Some(used) = self.buf.get_mut(..self.len) {
            used.zeroize();
        }
    }
}

/// A SHA-1 or SHA-2 hash function (PBM `owf`, signature digests, `certHash`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HashAlg {
    /// SHA-1 (legacy: OpenSSL's PBM default owf before 3.0, EJBCA and Insta signatures).
    Sha1,
    /// SHA-224.
    Sha224,
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

macro_rules! with_hash {
    ($alg:expr, $d:ident => $body:expr) => {
        match $alg {
            HashAlg::Sha1 => {
                type $d = sha1::Sha1;
                $body
            }
            HashAlg::Sha224 => {
                type $d = sha2::Sha224;
                $body
            }
            HashAlg::Sha256 => {
                type $d = sha2::Sha256;
                $body
            }
            HashAlg::Sha384 => {
                type $d = sha2::Sha384;
                $body
            }
            HashAlg::Sha512 => {
                type $d = sha2::Sha512;
                $body
            }
        }
    };
}
pub(crate) use with_hash;

impl HashAlg {
    /// All supported hash functions.
    pub const ALL: [HashAlg; 5] = [
        HashAlg::Sha1,
        HashAlg::Sha224,
        HashAlg::Sha256,
        HashAlg::Sha384,
        HashAlg::Sha512,
    ];

    /// The digest algorithm OID (`id-sha1`, `id-sha256`, ...).
    pub fn oid(self) -> crate::oid::Oid<'static> {
        crate::oid::Oid::from(match self {
            HashAlg::Sha1 => &ids::ID_SHA1,
            HashAlg::Sha224 => &ids::ID_SHA224,
            HashAlg::Sha256 => &ids::ID_SHA256,
            HashAlg::Sha384 => &ids::ID_SHA384,
            HashAlg::Sha512 => &ids::ID_SHA512,
        })
    }

    /// The hash function named by a digest algorithm OID.
    pub fn from_oid<'o>(oid: impl Into<Oid<'o>>) -> Option<Self> {
        let oid = oid.into();
        HashAlg::ALL.into_iter().find(|h| h.oid() == oid)
    }

    /// A readable name (`"SHA-256"`).
    pub fn name(self) -> &'static str {
        match self {
            HashAlg::Sha1 => "SHA-1",
            HashAlg::Sha224 => "SHA-224",
            HashAlg::Sha256 => "SHA-256",
            HashAlg::Sha384 => "SHA-384",
            HashAlg::Sha512 => "SHA-512",
        }
    }

    /// Output length in bytes.
    pub fn output_len(self) -> usize {
        match self {
            HashAlg::Sha1 => 20,
            HashAlg::Sha224 => 28,
            HashAlg::Sha256 => 32,
            HashAlg::Sha384 => 48,
            HashAlg::Sha512 => 64,
        }
    }

    /// Hash the concatenation of `chunks` (streamed, nothing is copied).
    pub fn digest_chunks(self, chunks: &[&[u8]]) -> DigestBytes {
        with_hash!(self, D => {
            let mut h = D::new();
            for c in chunks {
                Digest::update(&mut h, c);
            }
            DigestBytes::from_slice(&h.finalize())
        })
    }

    /// The PasswordBasedMac `BASEKEY` (RFC 9810 5.1.3.1): `owf` applied `count` times,
    /// first to `secret || salt`, then to the previous output. `count` must be at least 1.
    pub(crate) fn iterate(self, secret: &[u8], salt: &[u8], count: u64) -> DigestBytes {
        with_hash!(self, D => {
            let mut h = D::new();
            Digest::update(&mut h, secret);
            Digest::update(&mut h, salt);
            let mut out = h.finalize();
            for _ in 1..count {
                let mut h = D::new();
                Digest::update(&mut h, out.as_slice());
                let next = h.finalize();
                out.as_mut_slice().zeroize();
                out = next;
            }
            let key = DigestBytes::from_slice(&out);
            out.as_mut_slice().zeroize();
            key
        })
    }
}

/// An HMAC algorithm identifier as found in `PBMParameter.mac`, `PBKDF2-params.prf` and
/// `PBMAC1-params.messageAuthScheme`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HmacAlg {
    /// `hmac-sha1` (1.3.6.1.5.5.8.1.2, RFC 2104 via RFC 3370), the OID OpenSSL writes for PBM.
    HmacSha1,
    /// `hmacWithSHA1` (1.2.840.113549.2.7, RFC 8018).
    HmacWithSha1,
    /// `hmacWithSHA224` (1.2.840.113549.2.8).
    HmacWithSha224,
    /// `hmacWithSHA256` (1.2.840.113549.2.9).
    HmacWithSha256,
    /// `hmacWithSHA384` (1.2.840.113549.2.10).
    HmacWithSha384,
    /// `hmacWithSHA512` (1.2.840.113549.2.11).
    HmacWithSha512,
}

impl HmacAlg {
    /// All supported HMAC identifiers.
    pub const ALL: [HmacAlg; 6] = [
        HmacAlg::HmacSha1,
        HmacAlg::HmacWithSha1,
        HmacAlg::HmacWithSha224,
        HmacAlg::HmacWithSha256,
        HmacAlg::HmacWithSha384,
        HmacAlg::HmacWithSha512,
    ];

    /// The algorithm OID.
    pub fn oid(self) -> crate::oid::Oid<'static> {
        crate::oid::Oid::from(match self {
            HmacAlg::HmacSha1 => &ids::ID_HMAC_SHA1,
            HmacAlg::HmacWithSha1 => &ids::ID_HMAC_WITH_SHA1,
            HmacAlg::HmacWithSha224 => &ids::ID_HMAC_WITH_SHA224,
            HmacAlg::HmacWithSha256 => &ids::ID_HMAC_WITH_SHA256,
            HmacAlg::HmacWithSha384 => &ids::ID_HMAC_WITH_SHA384,
            HmacAlg::HmacWithSha512 => &ids::ID_HMAC_WITH_SHA512,
        })
    }

    /// The HMAC named by an OID.
    pub fn from_oid<'o>(oid: impl Into<Oid<'o>>) -> Option<Self> {
        let oid = oid.into();
        HmacAlg::ALL.into_iter().find(|h| h.oid() == oid)
    }

    /// The underlying hash function.
    pub fn hash(self) -> HashAlg {
        match self {
            HmacAlg::HmacSha1 | HmacAlg::HmacWithSha1 => HashAlg::Sha1,
            HmacAlg::HmacWithSha224 => HashAlg::Sha224,
            HmacAlg::HmacWithSha256 => HashAlg::Sha256,
            HmacAlg::HmacWithSha384 => HashAlg::Sha384,
            HmacAlg::HmacWithSha512 => HashAlg::Sha512,
        }
    }

    /// A readable name (`"hmacWithSHA256"`).
    pub fn name(self) -> &'static str {
        match self {
            HmacAlg::HmacSha1 => "hmac-sha1",
            HmacAlg::HmacWithSha1 => "hmacWithSHA1",
            HmacAlg::HmacWithSha224 => "hmacWithSHA224",
            HmacAlg::HmacWithSha256 => "hmacWithSHA256",
            HmacAlg::HmacWithSha384 => "hmacWithSHA384",
            HmacAlg::HmacWithSha512 => "hmacWithSHA512",
        }
    }

    /// The MAC of the concatenation of `chunks` under `key` (streamed).
    pub fn mac_chunks(self, key: &[u8], chunks: &[&[u8]]) -> DigestBytes {
        with_hash!(self.hash(), D => {
            // HMAC takes keys of any length, so `new_from_slice` cannot fail; the fallback
            // (an all-zero MAC that never matches a real one) only keeps this panic-free.
            match <hmac::Hmac<D> as KeyInit>::new_from_slice(key) {
                Ok(mut m) => {
                    for c in chunks {
                        Mac::update(&mut m, c);
                    }
                    DigestBytes::from_slice(&m.finalize().into_bytes())
                }
                Err(_) => DigestBytes { buf: [0; 64], len: 0 },
            }
        })
    }

    /// PBKDF2 with this HMAC as PRF (RFC 8018 5.2), filling `out`.
    pub(crate) fn pbkdf2(self, password: &[u8], salt: &[u8], rounds: u32, out: &mut [u8]) {
        with_hash!(self.hash(), D => pbkdf2::pbkdf2_hmac::<D>(password, salt, rounds, out))
    }
}

/// Constant-time equality of a computed MAC and a received one (lengths are public).
pub(crate) fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    use subtle::ConstantTimeEq;
    if a.len() != b.len() {
        return false;
    }
    // Eight octets per comparison: subtle's optimisation barrier runs once per word rather
    // than once per octet (a byte-wise compare was 3 % of a cached-key MAC verify).
    let word = |c: &[u8]| u64::from_ne_bytes(c.try_into().unwrap_or_default());
    let (a8, b8) = (a.chunks_exact(8), b.chunks_exact(8));
    let tail = a8.remainder().ct_eq(b8.remainder());
    let all = a8
        .zip(b8)
        .fold(tail, |acc, (x, y)| acc & word(x).ct_eq(&word(y)));
    bool::from(all)
}

#[cfg(test)]
mod tests {
    use super::ct_eq;

    #[test]
    fn ct_eq_sees_every_octet_and_the_length() {
        for len in 0..=70usize {
            let a: Vec<u8> = (0..len).map(|i| (i * 37 + 11) as u8).collect();
            assert!(ct_eq(&a, &a.clone()), "len {len}");
            for i in 0..len {
                for bit in [0x01, 0x80] {
                    let mut b = a.clone();
                    b[i] ^= bit;
                    assert!(!ct_eq(&a, &b), "len {len}, octet {i}, bit {bit:#x}");
                }
            }
            assert!(!ct_eq(&a, &a[..len.saturating_sub(1)]) || len == 0);
            let mut longer = a.clone();
            longer.push(0);
            assert!(!ct_eq(&a, &longer), "len {len} vs {}", len + 1);
        }
    }
}
