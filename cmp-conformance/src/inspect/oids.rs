//! Names for object identifiers: `cmp_codec::oid::name` first, then a few more that a dump
//! of real messages meets (curves, X.509 extensions, PKCS#9 attributes, legacy algorithms).

use cmp_codec::asn1::ObjectIdentifier;

/// OIDs the codec does not name, as (dotted, name).
const EXTRA: &[(&str, &str)] = &[
    // Elliptic curves (RFC 5480, RFC 8410).
    ("1.2.840.10045.3.1.7", "prime256v1"),
    ("1.3.132.0.34", "secp384r1"),
    ("1.3.132.0.35", "secp521r1"),
    ("1.3.36.3.3.2.8.1.1.7", "brainpoolP256r1"),
    ("1.3.36.3.3.2.8.1.1.11", "brainpoolP384r1"),
    ("1.3.101.110", "X25519"),
    ("1.3.101.111", "X448"),
    // Signature algorithms the codec does not list.
    ("1.2.840.113549.1.1.14", "sha224WithRSAEncryption"),
    ("1.2.840.113549.1.1.4", "md5WithRSAEncryption"),
    ("1.2.840.10045.4.1", "ecdsa-with-SHA1"),
    ("1.2.840.10045.4.3.1", "ecdsa-with-SHA224"),
    ("1.3.6.1.4.1.2.267.7.4.4", "Dilithium2 (round 3, OQS)"),
    ("2.16.840.1.101.3.4.4.1", "ML-KEM-512"),
    ("2.16.840.1.101.3.4.4.3", "ML-KEM-1024"),
    // Digests and MACs.
    ("1.2.840.113549.2.5", "md5"),
    // Content encryption and key wrap (RFC 3565, RFC 3394).
    ("2.16.840.1.101.3.4.1.2", "aes128-CBC"),
    ("2.16.840.1.101.3.4.1.22", "aes192-CBC"),
    ("2.16.840.1.101.3.4.1.42", "aes256-CBC"),
    ("2.16.840.1.101.3.4.1.5", "id-aes128-wrap"),
    ("2.16.840.1.101.3.4.1.45", "id-aes256-wrap"),
    // X.509 certificate and CRL extensions (RFC 5280).
    ("2.5.29.14", "subjectKeyIdentifier"),
    ("2.5.29.15", "keyUsage"),
    ("2.5.29.17", "subjectAltName"),
    ("2.5.29.18", "issuerAltName"),
    ("2.5.29.19", "basicConstraints"),
    ("2.5.29.20", "cRLNumber"),
    ("2.5.29.21", "cRLReason"),
    ("2.5.29.24", "invalidityDate"),
    ("2.5.29.31", "cRLDistributionPoints"),
    ("2.5.29.32", "certificatePolicies"),
    ("2.5.29.35", "authorityKeyIdentifier"),
    ("2.5.29.37", "extKeyUsage"),
    ("1.3.6.1.5.5.7.1.1", "authorityInfoAccess"),
    // PKCS#9 attributes and CMS content types.
    ("1.2.840.113549.1.9.1", "emailAddress"),
    ("1.2.840.113549.1.9.7", "challengePassword"),
    ("1.2.840.113549.1.9.14", "extensionRequest"),
    ("1.2.840.113549.1.7.3", "envelopedData"),
    ("1.2.840.113549.1.9.16.1.21", "id-ct-encKeyWithID"),
    // Other names seen in CMP headers.
    ("1.3.6.1.5.5.7.8.9", "id-on-SmtpUTF8Mailbox"),
    ("1.3.6.1.4.1.311.20.2.3", "msUPN"),
];

/// A readable name for a dotted OID, if one is known.
pub fn name_of_dotted(dotted: &str) -> Option<&'static str> {
    ObjectIdentifier::from_string(dotted)
        .and_then(|oid| cmp_codec::oid::name(&oid))
        .or_else(|| EXTRA.iter().find(|(d, _)| *d == dotted).map(|(_, n)| *n))
}

/// `name (dotted)` when the OID is known, else the dotted form alone.
pub fn describe_dotted(dotted: &str) -> String {
    match name_of_dotted(dotted) {
        Some(name) => format!("{name} ({dotted})"),
        None => dotted.to_string(),
    }
}

/// `name (dotted)` when the OID is known, else the dotted form alone.
pub fn describe(oid: impl std::fmt::Display) -> String {
    describe_dotted(&oid.to_string())
}

/// The short name when known, else the dotted form.
pub fn short(oid: impl std::fmt::Display) -> String {
    let dotted = oid.to_string();
    name_of_dotted(&dotted).map_or(dotted, str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_codec_and_local_table() {
        assert_eq!(
            describe_dotted("1.2.840.113533.7.66.13"),
            "passwordBasedMac (1.2.840.113533.7.66.13)"
        );
        assert_eq!(describe_dotted("1.3.132.0.34"), "secp384r1 (1.3.132.0.34)");
        assert_eq!(describe_dotted("1.2.3.4"), "1.2.3.4");
    }
}
