//! The CMS pieces of central key generation (RFC 9483 4.1.6) that the responder's Key
//! Generation Authority and the runner's checks share: the algorithm identifiers of RFC 9481
//! that the profile allows, PBKDF2 parameters, the ECC-CMS-SharedInfo of RFC 5753 and the
//! key derivation, key wrap and content decryption around them.
//!
//! The CMS structures themselves (SignedData, EnvelopedData, the RecipientInfo choices) are
//! RustCrypto `cms` types; the primitives are RustCrypto `pbkdf2`, `ansi-x963-kdf`, `aes-kw`,
//! `cbc` and `aes`.

use der::asn1::OctetString;
use der::oid::ObjectIdentifier;
use der::{Decode as _, Encode as _, Sequence};
use spki::AlgorithmIdentifierOwned;

const fn oid(s: &str) -> ObjectIdentifier {
    ObjectIdentifier::new_unwrap(s)
}

/// id-signedData (RFC 5652).
pub const ID_SIGNED_DATA: ObjectIdentifier = oid("1.2.840.113549.1.7.2");
/// id-data (RFC 5652).
pub const ID_DATA: ObjectIdentifier = oid("1.2.840.113549.1.7.1");
/// id-ct-KP-aKeyPackage (RFC 5958).
pub const ID_CT_KP_A_KEY_PACKAGE: ObjectIdentifier = oid("2.16.840.1.101.2.1.2.78.5");
/// id-contentType (RFC 5652 11.1).
pub const ID_CONTENT_TYPE: ObjectIdentifier = oid("1.2.840.113549.1.9.3");
/// id-messageDigest (RFC 5652 11.2).
pub const ID_MESSAGE_DIGEST: ObjectIdentifier = oid("1.2.840.113549.1.9.4");
/// id-signingTime (RFC 5652 11.3).
pub const ID_SIGNING_TIME: ObjectIdentifier = oid("1.2.840.113549.1.9.5");
/// id-sha256.
pub const ID_SHA256: ObjectIdentifier = oid("2.16.840.1.101.3.4.2.1");
/// id-sha384.
pub const ID_SHA384: ObjectIdentifier = oid("2.16.840.1.101.3.4.2.2");
/// id-sha512.
pub const ID_SHA512: ObjectIdentifier = oid("2.16.840.1.101.3.4.2.3");
/// id-kp-cmKGA (RFC 9480 2.2).
pub const ID_KP_CM_KGA: ObjectIdentifier = oid("1.3.6.1.5.5.7.3.32");
/// id-PBKDF2 (RFC 8018).
pub const ID_PBKDF2: ObjectIdentifier = oid("1.2.840.113549.1.5.12");
/// hmacWithSHA256 (RFC 8018).
pub const ID_HMAC_WITH_SHA256: ObjectIdentifier = oid("1.2.840.113549.2.9");
/// id-aes128-wrap.
pub const ID_AES128_WRAP: ObjectIdentifier = oid("2.16.840.1.101.3.4.1.5");
/// id-aes192-wrap.
pub const ID_AES192_WRAP: ObjectIdentifier = oid("2.16.840.1.101.3.4.1.25");
/// id-aes256-wrap.
pub const ID_AES256_WRAP: ObjectIdentifier = oid("2.16.840.1.101.3.4.1.45");
/// id-aes128-CBC.
pub const ID_AES128_CBC: ObjectIdentifier = oid("2.16.840.1.101.3.4.1.2");
/// id-aes192-CBC.
pub const ID_AES192_CBC: ObjectIdentifier = oid("2.16.840.1.101.3.4.1.22");
/// id-aes256-CBC.
pub const ID_AES256_CBC: ObjectIdentifier = oid("2.16.840.1.101.3.4.1.42");
/// dhSinglePass-stdDH-sha256kdf-scheme (RFC 5753).
pub const DH_STD_SHA256_KDF: ObjectIdentifier = oid("1.3.132.1.11.1");
/// dhSinglePass-stdDH-sha384kdf-scheme (RFC 5753).
pub const DH_STD_SHA384_KDF: ObjectIdentifier = oid("1.3.132.1.11.2");
/// dhSinglePass-stdDH-sha512kdf-scheme (RFC 5753).
pub const DH_STD_SHA512_KDF: ObjectIdentifier = oid("1.3.132.1.11.3");
/// rsaEncryption (PKCS #1 v1.5 key transport).
pub const RSA_ENCRYPTION: ObjectIdentifier = oid("1.2.840.113549.1.1.1");
/// id-RSAES-OAEP.
pub const ID_RSAES_OAEP: ObjectIdentifier = oid("1.2.840.113549.1.1.7");
/// id-ecPublicKey.
pub const ID_EC_PUBLIC_KEY: ObjectIdentifier = oid("1.2.840.10045.2.1");
/// secp256r1.
pub const SECP256R1: ObjectIdentifier = oid("1.2.840.10045.3.1.7");

/// `PBKDF2-params` (RFC 8018 A.2), with the salt as `specified` OCTET STRING.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct Pbkdf2Params {
    /// The salt.
    pub salt: OctetString,
    /// Iterations.
    pub iteration_count: u32,
    /// Derived key length in octets.
    #[asn1(optional = "true")]
    pub key_length: Option<u32>,
    /// The PRF (DEFAULT hmacWithSHA1; always written out here).
    #[asn1(optional = "true")]
    pub prf: Option<AlgorithmIdentifierOwned>,
}

/// `ECC-CMS-SharedInfo` (RFC 5753 7.2).
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct EccCmsSharedInfo {
    /// The key wrap algorithm (absent parameters for AES).
    pub key_info: AlgorithmIdentifierOwned,
    /// The ukm.
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    pub entity_u_info: Option<OctetString>,
    /// The KEK length in bits, as four octets.
    #[asn1(context_specific = "2", tag_mode = "EXPLICIT")]
    pub supp_pub_info: OctetString,
}

/// An AlgorithmIdentifier without parameters.
pub fn alg(oid: ObjectIdentifier) -> AlgorithmIdentifierOwned {
    AlgorithmIdentifierOwned {
        oid,
        parameters: None,
    }
}

/// The key length of an AES key wrap algorithm, in octets.
pub fn wrap_key_len(oid: &ObjectIdentifier) -> Option<usize> {
    match *oid {
        ID_AES128_WRAP => Some(16),
        ID_AES192_WRAP => Some(24),
        ID_AES256_WRAP => Some(32),
        _ => None,
    }
}

/// The key length of an AES-CBC content encryption algorithm, in octets.
pub fn cbc_key_len(oid: &ObjectIdentifier) -> Option<usize> {
    match *oid {
        ID_AES128_CBC => Some(16),
        ID_AES192_CBC => Some(24),
        ID_AES256_CBC => Some(32),
        _ => None,
    }
}

/// The AES key wrap OID for a key length.
pub fn wrap_oid(len: usize) -> Option<ObjectIdentifier> {
    match len {
        16 => Some(ID_AES128_WRAP),
        24 => Some(ID_AES192_WRAP),
        32 => Some(ID_AES256_WRAP),
        _ => None,
    }
}

/// PBKDF2 with HMAC-SHA256 (the PRF RFC 9481 4.4.1 lets us pick; the runner also reads
/// hmacWithSHA1/384/512 via [`pbkdf2_derive`]).
pub fn pbkdf2_sha256(secret: &[u8], salt: &[u8], iterations: u32, len: usize) -> Vec<u8> {
    let mut out = vec![0u8; len];
    pbkdf2::pbkdf2_hmac::<sha2::Sha256>(secret, salt, iterations, &mut out);
    out
}

/// PBKDF2 as `params` say, for a key of `len` octets (if params give keyLength, it must
/// agree). Iterations are capped so that a hostile server cannot stall the runner.
pub fn pbkdf2_derive(secret: &[u8], params: &Pbkdf2Params, len: usize) -> Result<Vec<u8>, String> {
    if let Some(l) = params.key_length {
        if l as usize != len {
            return Err(format!(
                "PBKDF2 keyLength {l} does not fit the key wrap algorithm ({len} octets)"
            ));
        }
    }
    if params.iteration_count == 0 || params.iteration_count > 10_000_000 {
        return Err(format!(
            "PBKDF2 iterationCount {} out of range",
            params.iteration_count
        ));
    }
    let prf = params
        .prf
        .as_ref()
        .map(|a| a.oid.to_string())
        .unwrap_or_else(|| "1.2.840.113549.2.7".into());
    let mut out = vec![0u8; len];
    let salt = params.salt.as_bytes();
    let n = params.iteration_count;
    match prf.as_str() {
        "1.2.840.113549.2.7" => pbkdf2::pbkdf2_hmac::<sha1::Sha1>(secret, salt, n, &mut out),
        "1.2.840.113549.2.9" => pbkdf2::pbkdf2_hmac::<sha2::Sha256>(secret, salt, n, &mut out),
        "1.2.840.113549.2.10" => pbkdf2::pbkdf2_hmac::<sha2::Sha384>(secret, salt, n, &mut out),
        "1.2.840.113549.2.11" => pbkdf2::pbkdf2_hmac::<sha2::Sha512>(secret, salt, n, &mut out),
        other => return Err(format!("PBKDF2 PRF {other} is not supported")),
    }
    Ok(out)
}

/// AES key wrap (RFC 3394) of `cek` under `kek` (16, 24 or 32 octets).
pub fn aes_wrap(kek: &[u8], cek: &[u8]) -> Result<Vec<u8>, String> {
    use aes_kw::cipher::KeyInit as _;
    let mut out = vec![0u8; cek.len() + 8];
    let r = match kek.len() {
        16 => aes_kw::KwAes128::new_from_slice(kek)
            .map_err(|e| e.to_string())?
            .wrap_key(cek, &mut out)
            .map(|_| ()),
        24 => aes_kw::KwAes192::new_from_slice(kek)
            .map_err(|e| e.to_string())?
            .wrap_key(cek, &mut out)
            .map(|_| ()),
        32 => aes_kw::KwAes256::new_from_slice(kek)
            .map_err(|e| e.to_string())?
            .wrap_key(cek, &mut out)
            .map(|_| ()),
        n => return Err(format!("no AES key wrap with a {n}-octet key")),
    };
    r.map_err(|e| format!("AES key wrap: {e:?}"))?;
    Ok(out)
}

/// AES key unwrap (RFC 3394): the integrity check fails for a wrong key.
pub fn aes_unwrap(kek: &[u8], wrapped: &[u8]) -> Result<Vec<u8>, String> {
    use aes_kw::cipher::KeyInit as _;
    if wrapped.len() < 24 || !wrapped.len().is_multiple_of(8) || wrapped.len() > 1024 {
        return Err(format!(
            "a wrapped key of {} octets is no AES key wrap output",
            wrapped.len()
        ));
    }
    let mut out = vec![0u8; wrapped.len() - 8];
    let r = match kek.len() {
        16 => aes_kw::KwAes128::new_from_slice(kek)
            .map_err(|e| e.to_string())?
            .unwrap_key(wrapped, &mut out)
            .map(|_| ()),
        24 => aes_kw::KwAes192::new_from_slice(kek)
            .map_err(|e| e.to_string())?
            .unwrap_key(wrapped, &mut out)
            .map(|_| ()),
        32 => aes_kw::KwAes256::new_from_slice(kek)
            .map_err(|e| e.to_string())?
            .unwrap_key(wrapped, &mut out)
            .map(|_| ()),
        n => return Err(format!("no AES key wrap with a {n}-octet key")),
    };
    r.map_err(|_| "AES key unwrap failed (integrity check: wrong key-encryption key)".to_string())?;
    Ok(out)
}

/// The KEK of ephemeral-static ECDH (RFC 5753 3.1.1, 7.2): ANSI X9.63 KDF over the shared
/// secret with the DER `ECC-CMS-SharedInfo` naming the wrap algorithm.
pub fn x963_kek(
    kdf_scheme: &ObjectIdentifier,
    shared_secret: &[u8],
    wrap_oid: ObjectIdentifier,
    ukm: Option<&[u8]>,
) -> Result<Vec<u8>, String> {
    let len = wrap_key_len(&wrap_oid).ok_or("the key wrap is not AES key wrap")?;
    let info = EccCmsSharedInfo {
        key_info: alg(wrap_oid),
        entity_u_info: ukm
            .map(|u| OctetString::new(u.to_vec()))
            .transpose()
            .map_err(|e| e.to_string())?,
        supp_pub_info: OctetString::new(((len * 8) as u32).to_be_bytes().to_vec())
            .map_err(|e| e.to_string())?,
    };
    let info = info.to_der().map_err(|e| e.to_string())?;
    let mut kek = vec![0u8; len];
    let r = match *kdf_scheme {
        DH_STD_SHA256_KDF => {
            ansi_x963_kdf::derive_key_into::<sha2::Sha256>(shared_secret, &info, &mut kek)
        }
        DH_STD_SHA384_KDF => {
            ansi_x963_kdf::derive_key_into::<sha2::Sha384>(shared_secret, &info, &mut kek)
        }
        DH_STD_SHA512_KDF => {
            ansi_x963_kdf::derive_key_into::<sha2::Sha512>(shared_secret, &info, &mut kek)
        }
        ref other => return Err(format!("key agreement algorithm {other} is not supported")),
    };
    r.map_err(|e| format!("X9.63 KDF: {e:?}"))?;
    Ok(kek)
}

/// AES-CBC with PKCS #7 padding: decrypt `ct` (RFC 3565; the IV is the parameter OCTET
/// STRING).
pub fn cbc_decrypt(
    alg: &AlgorithmIdentifierOwned,
    key: &[u8],
    ct: &[u8],
) -> Result<Vec<u8>, String> {
    use cbc::cipher::{block_padding::Pkcs7, BlockModeDecrypt as _, KeyIvInit as _};
    let want = cbc_key_len(&alg.oid)
        .ok_or_else(|| format!("content encryption {} is not AES-CBC", alg.oid))?;
    if key.len() != want {
        return Err(format!(
            "a {}-octet content-encryption key for {} (wants {want})",
            key.len(),
            alg.oid
        ));
    }
    let iv = alg
        .parameters
        .as_ref()
        .and_then(|p| p.decode_as::<OctetString>().ok())
        .ok_or("the AES-CBC parameters are not an OCTET STRING IV")?;
    let iv = iv.as_bytes();
    if iv.len() != 16 {
        return Err(format!("an AES-CBC IV of {} octets", iv.len()));
    }
    let mut buf = ct.to_vec();
    let bad = |_| "AES-CBC decryption failed (padding: wrong key or corrupted content)".to_string();
    let n = match want {
        16 => cbc::Decryptor::<aes::Aes128>::new_from_slices(key, iv)
            .map_err(|e| e.to_string())?
            .decrypt_padded::<Pkcs7>(&mut buf)
            .map_err(bad)?
            .len(),
        24 => cbc::Decryptor::<aes::Aes192>::new_from_slices(key, iv)
            .map_err(|e| e.to_string())?
            .decrypt_padded::<Pkcs7>(&mut buf)
            .map_err(bad)?
            .len(),
        _ => cbc::Decryptor::<aes::Aes256>::new_from_slices(key, iv)
            .map_err(|e| e.to_string())?
            .decrypt_padded::<Pkcs7>(&mut buf)
            .map_err(bad)?
            .len(),
    };
    buf.truncate(n);
    Ok(buf)
}

/// PBKDF2 parameters from a keyDerivationAlgorithm.
pub fn pbkdf2_params(a: &AlgorithmIdentifierOwned) -> Result<Pbkdf2Params, String> {
    if a.oid != ID_PBKDF2 {
        return Err(format!("keyDerivationAlgorithm {} is not PBKDF2", a.oid));
    }
    let p = a.parameters.as_ref().ok_or("PBKDF2 without parameters")?;
    let der = p.to_der().map_err(|e| e.to_string())?;
    Pbkdf2Params::from_der(&der).map_err(|e| format!("PBKDF2-params: {e}"))
}

/// The operating system's RNG as the `CryptoRng` the `cms` builders take.
pub fn rng() -> rand_core::UnwrapErr<getrandom::SysRng> {
    rand_core::UnwrapErr(getrandom::SysRng)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aes_key_wrap_matches_rfc3394_4_6() {
        // RFC 3394 4.6: wrap 256 bits of key data with a 256-bit KEK.
        let kek = ::hex::decode("000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F")
            .unwrap();
        let key = ::hex::decode("00112233445566778899AABBCCDDEEFF000102030405060708090A0B0C0D0E0F")
            .unwrap();
        let want = ::hex::decode(
            "28C9F404C4B810F4CBCCB35CFB87F8263F5786E2D80ED326CBC7F0E71A99F43BFB988B9B7A02DD21",
        )
        .unwrap();
        assert_eq!(aes_wrap(&kek, &key).unwrap(), want);
        assert_eq!(aes_unwrap(&kek, &want).unwrap(), key);
        let mut bad = want.clone();
        bad[3] ^= 1;
        assert!(aes_unwrap(&kek, &bad).is_err());
        assert!(aes_unwrap(&kek, &want[..16]).is_err());
    }

    #[test]
    fn pbkdf2_params_round_trip_and_bounds() {
        let p = Pbkdf2Params {
            salt: OctetString::new(vec![7u8; 16]).unwrap(),
            iteration_count: 1000,
            key_length: Some(32),
            prf: Some(alg(ID_HMAC_WITH_SHA256)),
        };
        let a = AlgorithmIdentifierOwned {
            oid: ID_PBKDF2,
            parameters: Some(der::Any::from_der(&p.to_der().unwrap()).unwrap()),
        };
        let back = pbkdf2_params(&a).unwrap();
        assert_eq!(back, p);
        assert_eq!(
            pbkdf2_derive(b"secret", &back, 32).unwrap(),
            pbkdf2_sha256(b"secret", &[7u8; 16], 1000, 32)
        );
        // keyLength must fit the wrap; absurd iteration counts are refused.
        assert!(pbkdf2_derive(b"secret", &back, 16).is_err());
        let huge = Pbkdf2Params {
            iteration_count: u32::MAX,
            ..back
        };
        assert!(pbkdf2_derive(b"secret", &huge, 32).is_err());
    }

    #[test]
    fn x963_kek_depends_on_ukm_and_wrap() {
        let z = [0x42u8; 32];
        let a = x963_kek(&DH_STD_SHA256_KDF, &z, ID_AES256_WRAP, Some(b"ukm-1")).unwrap();
        let b = x963_kek(&DH_STD_SHA256_KDF, &z, ID_AES256_WRAP, Some(b"ukm-2")).unwrap();
        let c = x963_kek(&DH_STD_SHA256_KDF, &z, ID_AES128_WRAP, Some(b"ukm-1")).unwrap();
        assert_eq!(a.len(), 32);
        assert_eq!(c.len(), 16);
        assert_ne!(a, b);
        assert_ne!(&a[..16], c.as_slice());
        assert!(x963_kek(&ID_SHA256, &z, ID_AES256_WRAP, None).is_err());
    }

    #[test]
    fn cbc_decrypt_refuses_bad_parameters() {
        let iv = der::Any::new(der::Tag::OctetString, vec![0u8; 16]).unwrap();
        let a = AlgorithmIdentifierOwned {
            oid: ID_AES256_CBC,
            parameters: Some(iv),
        };
        assert!(
            cbc_decrypt(&a, &[0u8; 16], &[0u8; 16]).is_err(),
            "key length"
        );
        assert!(
            cbc_decrypt(&a, &[0u8; 32], &[0u8; 15]).is_err(),
            "not whole blocks"
        );
        let no_iv = AlgorithmIdentifierOwned {
            oid: ID_AES256_CBC,
            parameters: None,
        };
        assert!(cbc_decrypt(&no_iv, &[0u8; 32], &[0u8; 16]).is_err());
    }
}
