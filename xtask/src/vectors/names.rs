//! Names from the ASN.1 modules (RFC 9810 PKIXCMP-2023, RFC 5912, RFC 9481) for the
//! numbers found inside messages.

/// PKIBody arm names, indexed by the context tag number.
pub const BODY_ARMS: [&str; 27] = [
    "ir", "ip", "cr", "cp", "p10cr", "popdecc", "popdecr", "kur", "kup", "krr", "krp", "rr", "rp",
    "ccr", "ccp", "ckuann", "cann", "rann", "crlann", "pkiconf", "nested", "genm", "genp", "error",
    "certConf", "pollReq", "pollRep",
];

/// PKIStatus values.
pub const STATUS: [&str; 7] = [
    "accepted",
    "grantedWithMods",
    "rejection",
    "waiting",
    "revocationWarning",
    "revocationNotification",
    "keyUpdateWarning",
];

pub const STATUS_REJECTION: u64 = 2;

/// PKIFailureInfo bit names, indexed by bit number.
pub const FAIL_INFO: [&str; 27] = [
    "badAlg",
    "badMessageCheck",
    "badRequest",
    "badTime",
    "badCertId",
    "badDataFormat",
    "wrongAuthority",
    "incorrectData",
    "missingTimeStamp",
    "badPOP",
    "certRevoked",
    "certConfirmed",
    "wrongIntegrity",
    "badRecipientNonce",
    "timeNotAvailable",
    "unacceptedPolicy",
    "unacceptedExtension",
    "addInfoNotAvailable",
    "badSenderNonce",
    "badCertTemplate",
    "signerNotTrusted",
    "transactionIdInUse",
    "unsupportedVersion",
    "notAuthorized",
    "systemUnavail",
    "systemFailure",
    "duplicateCertReq",
];

pub const PASSWORD_BASED_MAC: &str = "1.2.840.113533.7.66.13";

const ID_IT: &str = "1.3.6.1.5.5.7.4.";

/// InfoType names: the arc below id-it (1.3.6.1.5.5.7.4).
const INFO_TYPES: &[(u32, &str)] = &[
    (1, "caProtEncCert"),
    (2, "signKeyPairTypes"),
    (3, "encKeyPairTypes"),
    (4, "preferredSymmAlg"),
    (5, "caKeyUpdateInfo"),
    (6, "currentCRL"),
    (7, "unsupportedOIDs"),
    (10, "keyPairParamReq"),
    (11, "keyPairParamRep"),
    (12, "revPassphrase"),
    (13, "implicitConfirm"),
    (14, "confirmWaitTime"),
    (15, "origPKIMessage"),
    (16, "suppLangTags"),
    (17, "caCerts"),
    (18, "rootCaKeyUpdate"),
    (19, "certReqTemplate"),
    (20, "rootCaCert"),
    (21, "certProfile"),
    (22, "crlStatusList"),
    (23, "crls"),
    (24, "KemCiphertextInfo"),
];

const ALGORITHMS: &[(&str, &str)] = &[
    (PASSWORD_BASED_MAC, "passwordBasedMac"),
    ("1.3.14.3.2.26", "sha1"),
    ("2.16.840.1.101.3.4.2.4", "sha224"),
    ("2.16.840.1.101.3.4.2.1", "sha256"),
    ("2.16.840.1.101.3.4.2.2", "sha384"),
    ("2.16.840.1.101.3.4.2.3", "sha512"),
    ("1.3.6.1.5.5.8.1.2", "hmac-sha1"),
    ("1.2.840.113549.2.7", "hmacWithSHA1"),
    ("1.2.840.113549.2.8", "hmacWithSHA224"),
    ("1.2.840.113549.2.9", "hmacWithSHA256"),
    ("1.2.840.113549.2.10", "hmacWithSHA384"),
    ("1.2.840.113549.2.11", "hmacWithSHA512"),
    ("1.2.840.113549.1.1.11", "sha256WithRSAEncryption"),
    ("1.2.840.113549.1.1.12", "sha384WithRSAEncryption"),
    ("1.2.840.113549.1.1.13", "sha512WithRSAEncryption"),
    ("1.2.840.10045.4.3.2", "ecdsa-with-SHA256"),
    ("1.2.840.10045.4.3.3", "ecdsa-with-SHA384"),
    ("1.2.840.10045.4.3.4", "ecdsa-with-SHA512"),
    ("1.3.101.112", "Ed25519"),
    ("1.3.101.113", "Ed448"),
];

/// A readable name for an algorithm or InfoType OID; the dotted form if unknown.
pub fn oid_name(oid: &str) -> String {
    if let Some(arc) = oid.strip_prefix(ID_IT).and_then(|a| a.parse::<u32>().ok()) {
        if let Some((_, name)) = INFO_TYPES.iter().find(|(n, _)| *n == arc) {
            return (*name).to_string();
        }
    }
    ALGORITHMS
        .iter()
        .find(|(o, _)| *o == oid)
        .map_or_else(|| oid.to_string(), |(_, name)| (*name).to_string())
}

/// The `openssl` digest name for a hash OID, with its output length in bytes.
pub fn digest(oid: &str) -> Option<(&'static str, usize)> {
    match oid_name(oid).as_str() {
        "sha1" => Some(("SHA1", 20)),
        "sha224" => Some(("SHA224", 28)),
        "sha256" => Some(("SHA256", 32)),
        "sha384" => Some(("SHA384", 48)),
        "sha512" => Some(("SHA512", 64)),
        _ => None,
    }
}

/// The `openssl` digest name behind an HMAC OID.
pub fn hmac_digest(oid: &str) -> Option<&'static str> {
    match oid_name(oid).as_str() {
        "hmac-sha1" | "hmacWithSHA1" => Some("SHA1"),
        "hmacWithSHA224" => Some("SHA224"),
        "hmacWithSHA256" => Some("SHA256"),
        "hmacWithSHA384" => Some("SHA384"),
        "hmacWithSHA512" => Some("SHA512"),
        _ => None,
    }
}

/// The `openssl dgst` digest option for an RSA PKCS#1 v1.5 or ECDSA signature OID.
pub fn signature_digest(oid: &str) -> Option<&'static str> {
    match oid_name(oid).as_str() {
        "sha256WithRSAEncryption" | "ecdsa-with-SHA256" => Some("-sha256"),
        "sha384WithRSAEncryption" | "ecdsa-with-SHA384" => Some("-sha384"),
        "sha512WithRSAEncryption" | "ecdsa-with-SHA512" => Some("-sha512"),
        _ => None,
    }
}
