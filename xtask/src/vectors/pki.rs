//! The throwaway test PKI in `credentials/`: root CA -> issuing CA -> CMP server (RA)
//! signers, client signers and the "device" certificates the mock CA hands out.

use super::openssl::Openssl;
use crate::error::{Context, Result};

pub const DIR: &str = "credentials";
/// 20 years, so that tests do not start failing when the certificates expire.
pub const VALIDITY_DAYS: &str = "7300";

#[derive(Clone, Copy, PartialEq)]
pub enum KeyAlg {
    Rsa2048,
    EcP256,
    Ed25519,
}

impl KeyAlg {
    pub fn label(self) -> &'static str {
        match self {
            KeyAlg::Rsa2048 => "RSA-2048",
            KeyAlg::EcP256 => "EC P-256",
            KeyAlg::Ed25519 => "Ed25519",
        }
    }

    fn genpkey_args(self) -> &'static [&'static str] {
        match self {
            KeyAlg::Rsa2048 => &["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
            KeyAlg::EcP256 => &[
                "-algorithm",
                "EC",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-pkeyopt",
                "ec_param_enc:named_curve",
            ],
            KeyAlg::Ed25519 => &["-algorithm", "ED25519"],
        }
    }
}

#[derive(Clone, Copy, PartialEq)]
pub enum Profile {
    RootCa,
    IssuingCa,
    /// CMP server / RA protection certificate (RFC 9483 4.1: EKU id-kp-cmcRA).
    CmpServer,
    EndEntity,
    /// Key Generation Authority (RFC 9483 4.1.6: signs centrally generated keys, EKU
    /// id-kp-cmKGA).
    Kga,
    /// End entity whose CMP protection key may also receive centrally generated keys by key
    /// agreement (RFC 9483 4.1.6.2: keyUsage keyAgreement).
    EndEntityKeyAgreement,
    /// End entity whose CMP protection key may also receive centrally generated keys by key
    /// transport (RFC 9483 4.1.6.1: keyUsage keyEncipherment).
    EndEntityKeyTransport,
}

impl Profile {
    fn extensions(self) -> &'static [&'static str] {
        match self {
            Profile::RootCa => &[
                "basicConstraints=critical,CA:true",
                "keyUsage=critical,keyCertSign,cRLSign",
                "subjectKeyIdentifier=hash",
            ],
            Profile::IssuingCa => &[
                "basicConstraints=critical,CA:true,pathlen:0",
                "keyUsage=critical,keyCertSign,cRLSign",
                "subjectKeyIdentifier=hash",
                "authorityKeyIdentifier=keyid:always",
            ],
            Profile::CmpServer => &[
                "basicConstraints=critical,CA:false",
                "keyUsage=critical,digitalSignature",
                "extendedKeyUsage=cmcRA",
                "subjectKeyIdentifier=hash",
                "authorityKeyIdentifier=keyid:always",
            ],
            Profile::EndEntity => &[
                "basicConstraints=critical,CA:false",
                "keyUsage=critical,digitalSignature",
                "subjectKeyIdentifier=hash",
                "authorityKeyIdentifier=keyid:always",
            ],
            Profile::Kga => &[
                "basicConstraints=critical,CA:false",
                "keyUsage=critical,digitalSignature",
                "extendedKeyUsage=cmKGA",
                "subjectKeyIdentifier=hash",
                "authorityKeyIdentifier=keyid:always",
            ],
            Profile::EndEntityKeyAgreement => &[
                "basicConstraints=critical,CA:false",
                "keyUsage=critical,digitalSignature,keyAgreement",
                "subjectKeyIdentifier=hash",
                "authorityKeyIdentifier=keyid:always",
            ],
            Profile::EndEntityKeyTransport => &[
                "basicConstraints=critical,CA:false",
                "keyUsage=critical,digitalSignature,keyEncipherment",
                "subjectKeyIdentifier=hash",
                "authorityKeyIdentifier=keyid:always",
            ],
        }
    }

    pub fn extension_text(self) -> String {
        self.extensions().join("; ")
    }
}

pub struct Cred {
    pub name: &'static str,
    pub subject: &'static str,
    pub alg: KeyAlg,
    pub profile: Profile,
    serial: &'static str,
    pub role: &'static str,
}

pub const ROOT: Cred = Cred {
    name: "root-ca",
    subject: "/C=XX/O=CMP Test Vectors/CN=CMP Test Vectors Root CA",
    alg: KeyAlg::Rsa2048,
    profile: Profile::RootCa,
    serial: "0x01",
    role: "trust anchor (`-trusted`, `-srv_trusted`), caPubs in ip",
};
pub const ISSUING: Cred = Cred {
    name: "issuing-ca",
    subject: "/C=XX/O=CMP Test Vectors/CN=CMP Test Vectors Issuing CA",
    alg: KeyAlg::EcP256,
    profile: Profile::IssuingCa,
    serial: "0x02",
    role: "issues every other certificate; extraCerts of ip/cp/kup",
};
pub const SERVER_RSA: Cred = Cred {
    name: "cmp-server-rsa",
    subject: "/C=XX/O=CMP Test Vectors/CN=CMP Server RSA",
    alg: KeyAlg::Rsa2048,
    profile: Profile::CmpServer,
    serial: "0x10",
    role: "mock server signer in the `*_sig_rsa` flows",
};
pub const SERVER_EC: Cred = Cred {
    name: "cmp-server-ec",
    subject: "/C=XX/O=CMP Test Vectors/CN=CMP Server EC",
    alg: KeyAlg::EcP256,
    profile: Profile::CmpServer,
    serial: "0x11",
    role: "mock server signer in all other flows (signs replies to signed or unprotected requests)",
};
pub const CLIENT_RSA: Cred = Cred {
    name: "client-rsa",
    subject: "/C=XX/O=CMP Test Vectors/CN=client-rsa",
    alg: KeyAlg::Rsa2048,
    profile: Profile::EndEntity,
    serial: "0x20",
    role: "client signer for ir/cr/p10cr/genm in the `*_sig_rsa` flows",
};
pub const CLIENT_EC: Cred = Cred {
    name: "client-ec",
    subject: "/C=XX/O=CMP Test Vectors/CN=client-ec",
    alg: KeyAlg::EcP256,
    profile: Profile::EndEntity,
    serial: "0x21",
    role: "client signer for ir/cr/p10cr/genm in the `*_sig_ec` flows",
};
pub const DEVICE_RSA: Cred = Cred {
    name: "device-rsa",
    subject: "/C=XX/O=CMP Test Vectors/CN=device-rsa",
    alg: KeyAlg::Rsa2048,
    profile: Profile::EndEntity,
    serial: "0x30",
    role: "enrolled key/cert of the `*_sig_rsa` flows (`-newkey`, mock `-rsp_cert`); \
           signs its own kur/rr",
};
pub const DEVICE_EC: Cred = Cred {
    name: "device-ec",
    subject: "/C=XX/O=CMP Test Vectors/CN=device-ec",
    alg: KeyAlg::EcP256,
    profile: Profile::EndEntity,
    serial: "0x31",
    role: "enrolled key/cert of the PBM and `*_sig_ec` flows (`-newkey`, mock `-rsp_cert`); \
           signs its own kur/rr",
};
pub const DEVICE_ED25519: Cred = Cred {
    name: "device-ed25519",
    subject: "/C=XX/O=CMP Test Vectors/CN=device-ed25519",
    alg: KeyAlg::Ed25519,
    profile: Profile::EndEntity,
    serial: "0x32",
    role: "Ed25519 key enrolled with an Ed25519 POPO; tried (and refused by 3.0) as CMP signer",
};

pub const KGA_EC: Cred = Cred {
    name: "kga-ec",
    subject: "/C=XX/O=CMP Test Vectors/CN=CMP KGA EC",
    alg: KeyAlg::EcP256,
    profile: Profile::Kga,
    serial: "0x12",
    role: "Key Generation Authority of `cmp serve`: signs the SignedData of centrally \
           generated keys (RFC 9483 4.1.6)",
};
pub const CLIENT_EC_KA: Cred = Cred {
    name: "client-ec-ka",
    subject: "/C=XX/O=CMP Test Vectors/CN=client-ec-ka",
    alg: KeyAlg::EcP256,
    profile: Profile::EndEntityKeyAgreement,
    serial: "0x22",
    role: "conformance-runner signer that receives centrally generated keys by key agreement \
           (kari)",
};
pub const CLIENT_RSA_KT: Cred = Cred {
    name: "client-rsa-kt",
    subject: "/C=XX/O=CMP Test Vectors/CN=client-rsa-kt",
    alg: KeyAlg::Rsa2048,
    profile: Profile::EndEntityKeyTransport,
    serial: "0x23",
    role: "conformance-runner signer that receives centrally generated keys by key transport \
           (ktri)",
};

pub const RA_EC: Cred = Cred {
    name: "ra-ec",
    subject: "/C=XX/O=CMP Test Vectors/CN=CMP RA EC",
    alg: KeyAlg::EcP256,
    profile: Profile::CmpServer,
    serial: "0x13",
    role: "registration authority of the conformance runner's RA role: signs nested messages \
           and raVerified requests (RFC 9483 5.2)",
};

/// Issuers first.
pub const ALL: [&Cred; 13] = [
    &ROOT,
    &ISSUING,
    &SERVER_RSA,
    &SERVER_EC,
    &CLIENT_RSA,
    &CLIENT_EC,
    &DEVICE_RSA,
    &DEVICE_EC,
    &DEVICE_ED25519,
    &KGA_EC,
    &CLIENT_EC_KA,
    &CLIENT_RSA_KT,
    &RA_EC,
];

impl Cred {
    pub fn key(&self) -> String {
        format!("{DIR}/{}.key", self.name)
    }
    pub fn cert(&self) -> String {
        format!("{DIR}/{}.pem", self.name)
    }
    pub fn der(&self) -> String {
        format!("{DIR}/{}.der", self.name)
    }
    /// The certificate followed by the issuing CA (not the root).
    pub fn chain(&self) -> String {
        format!("{DIR}/{}-chain.pem", self.name)
    }
    /// A PKCS#10 request for this key and subject (for p10cr).
    pub fn csr(&self) -> String {
        format!("{DIR}/{}.csr", self.name)
    }
    pub fn issuer(&self) -> &'static Cred {
        match self.profile {
            Profile::RootCa => &ROOT,
            Profile::IssuingCa => &ROOT,
            _ => &ISSUING,
        }
    }
    fn is_leaf(&self) -> bool {
        !matches!(self.profile, Profile::RootCa | Profile::IssuingCa)
    }
}

/// Creates keys, certificates (PEM and DER), chain files and CSRs in `credentials/`.
pub fn build(openssl: &Openssl) -> Result<()> {
    std::fs::create_dir_all(openssl.dir().join(DIR)).context("creating credentials/")?;
    for cred in ALL {
        issue(openssl, cred).with_context(|| format!("credential {}", cred.name))?;
    }
    for device in [&DEVICE_RSA, &DEVICE_EC] {
        openssl.check(&[
            "req",
            "-config",
            "/dev/null",
            "-new",
            "-key",
            &device.key(),
            "-subj",
            device.subject,
            "-out",
            &device.csr(),
        ])?;
    }
    let leaves: Vec<String> = ALL
        .iter()
        .filter(|c| c.is_leaf())
        .map(|c| c.cert())
        .collect();
    let (root, issuing) = (ROOT.cert(), ISSUING.cert());
    let mut verify = vec!["verify", "-CAfile", &root, "-untrusted", &issuing];
    verify.extend(leaves.iter().map(String::as_str));
    openssl
        .check(&verify)
        .context("the test PKI does not verify")?;
    Ok(())
}

/// Issues only the credentials of [`ALL`] whose key or certificate is missing (one added to
/// the list after the test PKI was made, such as the central key generation ones), with the
/// existing issuers, and verifies them like [`build`]; every other file stays as it is, so the
/// recorded vectors keep verifying. Returns the names issued.
pub fn add_missing(openssl: &Openssl) -> Result<Vec<&'static str>> {
    let mut added = Vec::new();
    for cred in ALL {
        let dir = openssl.dir();
        if dir.join(cred.key()).exists() && dir.join(cred.cert()).exists() {
            continue;
        }
        if cred.profile == Profile::RootCa || !dir.join(cred.issuer().key()).exists() {
            return Err(crate::error::Error::new(format!(
                "{} cannot be added to an existing test PKI: run `cargo xtask vectors openssl`",
                cred.name
            )));
        }
        issue(openssl, cred).with_context(|| format!("credential {}", cred.name))?;
        added.push(cred.name);
    }
    if !added.is_empty() {
        let certs: Vec<String> = added
            .iter()
            .filter_map(|n| ALL.iter().find(|c| c.name == *n))
            .map(|c| c.cert())
            .collect();
        let (root, issuing) = (ROOT.cert(), ISSUING.cert());
        let mut verify = vec!["verify", "-CAfile", &root, "-untrusted", &issuing];
        verify.extend(certs.iter().map(String::as_str));
        openssl
            .check(&verify)
            .context("the added credentials do not verify")?;
    }
    Ok(added)
}

fn issue(openssl: &Openssl, cred: &Cred) -> Result<()> {
    let (key, cert) = (cred.key(), cred.cert());
    let mut genpkey = vec!["genpkey", "-out", &key];
    genpkey.extend(cred.alg.genpkey_args());
    openssl.check(&genpkey)?;

    let (issuer_cert, issuer_key) = (cred.issuer().cert(), cred.issuer().key());
    let mut req = vec![
        "req",
        "-config",
        "/dev/null",
        "-new",
        "-key",
        &key,
        "-subj",
        cred.subject,
        "-days",
        VALIDITY_DAYS,
        "-set_serial",
        cred.serial,
        "-out",
        &cert,
    ];
    if cred.profile == Profile::RootCa {
        req.push("-x509");
    } else {
        req.extend(["-CA", &issuer_cert, "-CAkey", &issuer_key]);
    }
    for ext in cred.profile.extensions() {
        req.extend(["-addext", ext]);
    }
    openssl.check(&req)?;
    openssl.check(&["x509", "-in", &cert, "-outform", "DER", "-out", &cred.der()])?;

    if cred.is_leaf() {
        let mut chain = openssl.read(&cert)?;
        chain.extend(openssl.read(&ISSUING.cert())?);
        openssl.write(&cred.chain(), &chain)?;
    }
    Ok(())
}
