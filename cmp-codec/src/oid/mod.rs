//! Object identifiers named in RFC 9810, RFC 4211, RFC 9481 and RFC 9483.

use asn1::{oid, ObjectIdentifier};

mod borrowed;
pub use borrowed::Oid;

/// The content octets of the `OBJECT IDENTIFIER` TLV at the parser's position, not decoded
/// (for readers that dispatch on an OID's bytes: `InfoTypeAndValue`, `Control`). Errors are
/// those of `read_element::<ObjectIdentifier>` for the TLV and its tag; the caller decodes
/// the octets (`ObjectIdentifier::from_der`) when it needs the value.
pub(crate) fn read_der<'a>(p: &mut asn1::Parser<'a>) -> asn1::ParseResult<&'a [u8]> {
    let t = p.read_element::<asn1::Tlv<'a>>()?;
    if t.tag() != <ObjectIdentifier as asn1::SimpleAsn1Readable<'a>>::TAG {
        let actual = t.tag();
        return Err(asn1::ParseError::new(asn1::ParseErrorKind::UnexpectedTag {
            actual,
        }));
    }
    Ok(t.data())
}

/// The last arc of the OID whose content octets are `der`, when that OID is `parent` and one
/// more arc of one octet: how the hand readers (`InfoTypeAndValue`, `Control`) recognise a
/// typed value from its type OID's bytes without decoding them. An arc of 128 or more is
/// returned as its (non-final) octet, which no typed value has; callers treat it as unknown.
#[inline]
pub(crate) fn arc_under(parent: &ObjectIdentifier, der: &[u8]) -> Option<u8> {
    match der {
        [prefix @ .., arc] if prefix == parent.as_der() => Some(*arc),
        _ => None,
    }
}

/// `id-it` (RFC 9810 Appendix F): the arc under which every `infoType` below sits.
pub const ID_IT: ObjectIdentifier = oid!(1, 3, 6, 1, 5, 5, 7, 4);
pub const ID_IT_CA_PROT_ENC_CERT: ObjectIdentifier = oid!(1, 3, 6, 1, 5, 5, 7, 4, 1);
pub const ID_IT_SIGN_KEY_PAIR_TYPES: ObjectIdentifier = oid!(1, 3, 6, 1, 5, 5, 7, 4, 2);
pub const ID_IT_ENC_KEY_PAIR_TYPES: ObjectIdentifier = oid!(1, 3, 6, 1, 5, 5, 7, 4, 3);
pub const ID_IT_PREFERRED_SYMM_ALG: ObjectIdentifier = oid!(1, 3, 6, 1, 5, 5, 7, 4, 4);
pub const ID_IT_CA_KEY_UPDATE_INFO: ObjectIdentifier = oid!(1, 3, 6, 1, 5, 5, 7, 4, 5);
pub const ID_IT_CURRENT_CRL: ObjectIdentifier = oid!(1, 3, 6, 1, 5, 5, 7, 4, 6);
pub const ID_IT_UNSUPPORTED_OIDS: ObjectIdentifier = oid!(1, 3, 6, 1, 5, 5, 7, 4, 7);
pub const ID_IT_KEY_PAIR_PARAM_REQ: ObjectIdentifier = oid!(1, 3, 6, 1, 5, 5, 7, 4, 10);
pub const ID_IT_KEY_PAIR_PARAM_REP: ObjectIdentifier = oid!(1, 3, 6, 1, 5, 5, 7, 4, 11);
pub const ID_IT_REV_PASSPHRASE: ObjectIdentifier = oid!(1, 3, 6, 1, 5, 5, 7, 4, 12);
pub const ID_IT_IMPLICIT_CONFIRM: ObjectIdentifier = oid!(1, 3, 6, 1, 5, 5, 7, 4, 13);
pub const ID_IT_CONFIRM_WAIT_TIME: ObjectIdentifier = oid!(1, 3, 6, 1, 5, 5, 7, 4, 14);
pub const ID_IT_ORIG_PKI_MESSAGE: ObjectIdentifier = oid!(1, 3, 6, 1, 5, 5, 7, 4, 15);
pub const ID_IT_SUPP_LANG_TAGS: ObjectIdentifier = oid!(1, 3, 6, 1, 5, 5, 7, 4, 16);
pub const ID_IT_CA_CERTS: ObjectIdentifier = oid!(1, 3, 6, 1, 5, 5, 7, 4, 17);
pub const ID_IT_ROOT_CA_KEY_UPDATE: ObjectIdentifier = oid!(1, 3, 6, 1, 5, 5, 7, 4, 18);
pub const ID_IT_CERT_REQ_TEMPLATE: ObjectIdentifier = oid!(1, 3, 6, 1, 5, 5, 7, 4, 19);
pub const ID_IT_ROOT_CA_CERT: ObjectIdentifier = oid!(1, 3, 6, 1, 5, 5, 7, 4, 20);
pub const ID_IT_CERT_PROFILE: ObjectIdentifier = oid!(1, 3, 6, 1, 5, 5, 7, 4, 21);
pub const ID_IT_CRL_STATUS_LIST: ObjectIdentifier = oid!(1, 3, 6, 1, 5, 5, 7, 4, 22);
pub const ID_IT_CRLS: ObjectIdentifier = oid!(1, 3, 6, 1, 5, 5, 7, 4, 23);
pub const ID_IT_KEM_CIPHERTEXT_INFO: ObjectIdentifier = oid!(1, 3, 6, 1, 5, 5, 7, 4, 24);

// id-regCtrl: 1.3.6.1.5.5.7.5.1 (RFC 4211, RFC 9810).
/// `id-regCtrl` (RFC 4211), the arc of the registration controls.
pub const ID_REG_CTRL: ObjectIdentifier = oid!(1, 3, 6, 1, 5, 5, 7, 5, 1);
pub const ID_REG_CTRL_REG_TOKEN: ObjectIdentifier = oid!(1, 3, 6, 1, 5, 5, 7, 5, 1, 1);
pub const ID_REG_CTRL_AUTHENTICATOR: ObjectIdentifier = oid!(1, 3, 6, 1, 5, 5, 7, 5, 1, 2);
pub const ID_REG_CTRL_PKI_PUBLICATION_INFO: ObjectIdentifier = oid!(1, 3, 6, 1, 5, 5, 7, 5, 1, 3);
pub const ID_REG_CTRL_PKI_ARCHIVE_OPTIONS: ObjectIdentifier = oid!(1, 3, 6, 1, 5, 5, 7, 5, 1, 4);
pub const ID_REG_CTRL_OLD_CERT_ID: ObjectIdentifier = oid!(1, 3, 6, 1, 5, 5, 7, 5, 1, 5);
pub const ID_REG_CTRL_PROTOCOL_ENCR_KEY: ObjectIdentifier = oid!(1, 3, 6, 1, 5, 5, 7, 5, 1, 6);
pub const ID_REG_CTRL_ALT_CERT_TEMPLATE: ObjectIdentifier = oid!(1, 3, 6, 1, 5, 5, 7, 5, 1, 7);
pub const ID_REG_CTRL_ALG_ID: ObjectIdentifier = oid!(1, 3, 6, 1, 5, 5, 7, 5, 1, 11);
pub const ID_REG_CTRL_RSA_KEY_LEN: ObjectIdentifier = oid!(1, 3, 6, 1, 5, 5, 7, 5, 1, 12);

// id-regInfo: 1.3.6.1.5.5.7.5.2.
pub const ID_REG_INFO_UTF8_PAIRS: ObjectIdentifier = oid!(1, 3, 6, 1, 5, 5, 7, 5, 2, 1);
pub const ID_REG_INFO_CERT_REQ: ObjectIdentifier = oid!(1, 3, 6, 1, 5, 5, 7, 5, 2, 2);

// Protection (RFC 9810 5.1.3, RFC 9481 6).
pub const ID_PASSWORD_BASED_MAC: ObjectIdentifier = oid!(1, 2, 840, 113533, 7, 66, 13);
pub const ID_DH_BASED_MAC: ObjectIdentifier = oid!(1, 2, 840, 113533, 7, 66, 30);
pub const ID_KEM_BASED_MAC: ObjectIdentifier = oid!(1, 2, 840, 113533, 7, 66, 16);
pub const ID_PBMAC1: ObjectIdentifier = oid!(1, 2, 840, 113549, 1, 5, 14);
pub const ID_PBKDF2: ObjectIdentifier = oid!(1, 2, 840, 113549, 1, 5, 12);

// Digests.
pub const ID_SHA1: ObjectIdentifier = oid!(1, 3, 14, 3, 2, 26);
pub const ID_SHA224: ObjectIdentifier = oid!(2, 16, 840, 1, 101, 3, 4, 2, 4);
pub const ID_SHA256: ObjectIdentifier = oid!(2, 16, 840, 1, 101, 3, 4, 2, 1);
pub const ID_SHA384: ObjectIdentifier = oid!(2, 16, 840, 1, 101, 3, 4, 2, 2);
pub const ID_SHA512: ObjectIdentifier = oid!(2, 16, 840, 1, 101, 3, 4, 2, 3);
pub const ID_SHAKE128: ObjectIdentifier = oid!(2, 16, 840, 1, 101, 3, 4, 2, 11);
pub const ID_SHAKE256: ObjectIdentifier = oid!(2, 16, 840, 1, 101, 3, 4, 2, 12);

// MACs.
pub const ID_HMAC_SHA1: ObjectIdentifier = oid!(1, 3, 6, 1, 5, 5, 8, 1, 2);
pub const ID_HMAC_WITH_SHA1: ObjectIdentifier = oid!(1, 2, 840, 113549, 2, 7);
pub const ID_HMAC_WITH_SHA224: ObjectIdentifier = oid!(1, 2, 840, 113549, 2, 8);
pub const ID_HMAC_WITH_SHA256: ObjectIdentifier = oid!(1, 2, 840, 113549, 2, 9);
pub const ID_HMAC_WITH_SHA384: ObjectIdentifier = oid!(1, 2, 840, 113549, 2, 10);
pub const ID_HMAC_WITH_SHA512: ObjectIdentifier = oid!(1, 2, 840, 113549, 2, 11);

// Signatures.
pub const SHA1_WITH_RSA: ObjectIdentifier = oid!(1, 2, 840, 113549, 1, 1, 5);
pub const SHA256_WITH_RSA: ObjectIdentifier = oid!(1, 2, 840, 113549, 1, 1, 11);
pub const SHA384_WITH_RSA: ObjectIdentifier = oid!(1, 2, 840, 113549, 1, 1, 12);
pub const SHA512_WITH_RSA: ObjectIdentifier = oid!(1, 2, 840, 113549, 1, 1, 13);
pub const RSASSA_PSS: ObjectIdentifier = oid!(1, 2, 840, 113549, 1, 1, 10);
pub const RSA_ENCRYPTION: ObjectIdentifier = oid!(1, 2, 840, 113549, 1, 1, 1);
pub const ECDSA_WITH_SHA256: ObjectIdentifier = oid!(1, 2, 840, 10045, 4, 3, 2);
pub const ECDSA_WITH_SHA384: ObjectIdentifier = oid!(1, 2, 840, 10045, 4, 3, 3);
pub const ECDSA_WITH_SHA512: ObjectIdentifier = oid!(1, 2, 840, 10045, 4, 3, 4);
pub const EC_PUBLIC_KEY: ObjectIdentifier = oid!(1, 2, 840, 10045, 2, 1);
pub const ID_ED25519: ObjectIdentifier = oid!(1, 3, 101, 112);
pub const ID_ED448: ObjectIdentifier = oid!(1, 3, 101, 113);
pub const ID_ML_DSA_44: ObjectIdentifier = oid!(2, 16, 840, 1, 101, 3, 4, 3, 17);
pub const ID_ML_DSA_65: ObjectIdentifier = oid!(2, 16, 840, 1, 101, 3, 4, 3, 18);
pub const ID_ML_DSA_87: ObjectIdentifier = oid!(2, 16, 840, 1, 101, 3, 4, 3, 19);
pub const ID_ML_KEM_768: ObjectIdentifier = oid!(2, 16, 840, 1, 101, 3, 4, 4, 2);

// Extended key usages (RFC 9810 Appendix F).
pub const ID_KP_CMC_CA: ObjectIdentifier = oid!(1, 3, 6, 1, 5, 5, 7, 3, 27);
pub const ID_KP_CMC_RA: ObjectIdentifier = oid!(1, 3, 6, 1, 5, 5, 7, 3, 28);
pub const ID_KP_CM_KGA: ObjectIdentifier = oid!(1, 3, 6, 1, 5, 5, 7, 3, 32);

// Certificate and CRL entry extensions (RFC 5280).
/// `id-ce-cRLReasons`: the reason code of an `rr`'s `crlEntryDetails` (RFC 9483 5.1.3.3).
pub const ID_CE_CRL_REASONS: ObjectIdentifier = oid!(2, 5, 29, 21);
/// `id-ce-subjectKeyIdentifier` (RFC 5280 4.2.1.2): matched against `senderKID`.
pub const ID_CE_SUBJECT_KEY_IDENTIFIER: ObjectIdentifier = oid!(2, 5, 29, 14);

/// A short readable name for well-known OIDs, used by dumps and error messages.
pub fn name<'o>(oid: impl Into<Oid<'o>>) -> Option<&'static str> {
    let oid = oid.into();
    NAMES.iter().find(|(o, _)| *o == oid).map(|(_, n)| *n)
}

const NAMES: &[(ObjectIdentifier, &str)] = &[
    (ID_IT_CA_PROT_ENC_CERT, "id-it-caProtEncCert"),
    (ID_IT_SIGN_KEY_PAIR_TYPES, "id-it-signKeyPairTypes"),
    (ID_IT_ENC_KEY_PAIR_TYPES, "id-it-encKeyPairTypes"),
    (ID_IT_PREFERRED_SYMM_ALG, "id-it-preferredSymmAlg"),
    (ID_IT_CA_KEY_UPDATE_INFO, "id-it-caKeyUpdateInfo"),
    (ID_IT_CURRENT_CRL, "id-it-currentCRL"),
    (ID_IT_UNSUPPORTED_OIDS, "id-it-unsupportedOIDs"),
    (ID_IT_KEY_PAIR_PARAM_REQ, "id-it-keyPairParamReq"),
    (ID_IT_KEY_PAIR_PARAM_REP, "id-it-keyPairParamRep"),
    (ID_IT_REV_PASSPHRASE, "id-it-revPassphrase"),
    (ID_IT_IMPLICIT_CONFIRM, "id-it-implicitConfirm"),
    (ID_IT_CONFIRM_WAIT_TIME, "id-it-confirmWaitTime"),
    (ID_IT_ORIG_PKI_MESSAGE, "id-it-origPKIMessage"),
    (ID_IT_SUPP_LANG_TAGS, "id-it-suppLangTags"),
    (ID_IT_CA_CERTS, "id-it-caCerts"),
    (ID_IT_ROOT_CA_KEY_UPDATE, "id-it-rootCaKeyUpdate"),
    (ID_IT_CERT_REQ_TEMPLATE, "id-it-certReqTemplate"),
    (ID_IT_ROOT_CA_CERT, "id-it-rootCaCert"),
    (ID_IT_CERT_PROFILE, "id-it-certProfile"),
    (ID_IT_CRL_STATUS_LIST, "id-it-crlStatusList"),
    (ID_IT_CRLS, "id-it-crls"),
    (ID_IT_KEM_CIPHERTEXT_INFO, "id-it-KemCiphertextInfo"),
    (ID_REG_CTRL_REG_TOKEN, "id-regCtrl-regToken"),
    (ID_REG_CTRL_AUTHENTICATOR, "id-regCtrl-authenticator"),
    (
        ID_REG_CTRL_PKI_PUBLICATION_INFO,
        "id-regCtrl-pkiPublicationInfo",
    ),
    (
        ID_REG_CTRL_PKI_ARCHIVE_OPTIONS,
        "id-regCtrl-pkiArchiveOptions",
    ),
    (ID_REG_CTRL_OLD_CERT_ID, "id-regCtrl-oldCertID"),
    (ID_REG_CTRL_PROTOCOL_ENCR_KEY, "id-regCtrl-protocolEncrKey"),
    (ID_REG_CTRL_ALT_CERT_TEMPLATE, "id-regCtrl-altCertTemplate"),
    (ID_REG_CTRL_ALG_ID, "id-regCtrl-algId"),
    (ID_REG_CTRL_RSA_KEY_LEN, "id-regCtrl-rsaKeyLen"),
    (ID_REG_INFO_UTF8_PAIRS, "id-regInfo-utf8Pairs"),
    (ID_REG_INFO_CERT_REQ, "id-regInfo-certReq"),
    (ID_PASSWORD_BASED_MAC, "passwordBasedMac"),
    (ID_DH_BASED_MAC, "dhBasedMac"),
    (ID_KEM_BASED_MAC, "kemBasedMac"),
    (ID_PBMAC1, "PBMAC1"),
    (ID_PBKDF2, "PBKDF2"),
    (ID_SHA1, "sha1"),
    (ID_SHA224, "sha224"),
    (ID_SHA256, "sha256"),
    (ID_SHA384, "sha384"),
    (ID_SHA512, "sha512"),
    (ID_SHAKE128, "shake128"),
    (ID_SHAKE256, "shake256"),
    (ID_HMAC_SHA1, "hmac-sha1"),
    (ID_HMAC_WITH_SHA1, "hmacWithSHA1"),
    (ID_HMAC_WITH_SHA224, "hmacWithSHA224"),
    (ID_HMAC_WITH_SHA256, "hmacWithSHA256"),
    (ID_HMAC_WITH_SHA384, "hmacWithSHA384"),
    (ID_HMAC_WITH_SHA512, "hmacWithSHA512"),
    (SHA1_WITH_RSA, "sha1WithRSAEncryption"),
    (SHA256_WITH_RSA, "sha256WithRSAEncryption"),
    (SHA384_WITH_RSA, "sha384WithRSAEncryption"),
    (SHA512_WITH_RSA, "sha512WithRSAEncryption"),
    (RSASSA_PSS, "RSASSA-PSS"),
    (RSA_ENCRYPTION, "rsaEncryption"),
    (ECDSA_WITH_SHA256, "ecdsa-with-SHA256"),
    (ECDSA_WITH_SHA384, "ecdsa-with-SHA384"),
    (ECDSA_WITH_SHA512, "ecdsa-with-SHA512"),
    (EC_PUBLIC_KEY, "id-ecPublicKey"),
    (ID_ED25519, "Ed25519"),
    (ID_ED448, "Ed448"),
    (ID_ML_DSA_44, "ML-DSA-44"),
    (ID_ML_DSA_65, "ML-DSA-65"),
    (ID_ML_DSA_87, "ML-DSA-87"),
    (ID_ML_KEM_768, "ML-KEM-768"),
    (ID_KP_CMC_CA, "id-kp-cmcCA"),
    (ID_KP_CMC_RA, "id-kp-cmcRA"),
    (ID_KP_CM_KGA, "id-kp-cmKGA"),
];
