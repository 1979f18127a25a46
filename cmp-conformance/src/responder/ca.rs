//! The certificate authority behind the responder: issues X.509 certificates and CRLs with
//! `x509-cert`'s builder, signed by the issuing CA key, and remembers what it issued and
//! revoked (bounded).
//!
//! `x509-cert`'s builder needs a signer that implements `signature::Signer`, `Keypair` and
//! `DynSignatureAlgorithmIdentifier`; [`X509Signer`] adapts any [`KeyPair`] (P-256, P-384,
//! RSA, Ed25519) to that, so one code path signs certificates and CRLs whatever the CA key.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::str::FromStr as _;
use std::time::{Duration, SystemTime};

use der::asn1::{BitString, OctetString, Uint};
use der::{Decode, Encode};
use sha2::Digest as _;
use x509_cert::builder::profile::BuilderProfile;
use x509_cert::builder::{Builder, CertificateBuilder, CrlBuilder};
use x509_cert::certificate::{Rfc5280, TbsCertificate};
use x509_cert::crl::RevokedCert;
use x509_cert::ext::pkix::{
    AuthorityKeyIdentifier, BasicConstraints, CrlNumber, KeyUsage, KeyUsages, SubjectKeyIdentifier,
};
use x509_cert::ext::Extension;
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::spki::{ObjectIdentifier, SubjectPublicKeyInfoOwned, SubjectPublicKeyInfoRef};
use x509_cert::time::{Time, Validity};

use super::credentials::{CertInfo, Credentials, KeyPair};

/// How many issued certificates are remembered (oldest forgotten first).
pub const MAX_ISSUED: usize = 10_000;
/// How many revocations are remembered (and listed in the CRL).
pub const MAX_REVOKED: usize = 10_000;

const ID_CE_SUBJECT_ALT_NAME: &str = "2.5.29.17";
const ID_CE_EXT_KEY_USAGE: &str = "2.5.29.37";
const ID_CE_CRL_REASONS: &str = "2.5.29.21";

/// Adapts a [`KeyPair`] to the traits `x509-cert`'s builders want.
pub(crate) struct X509Signer<'k>(pub &'k KeyPair);

/// A DER `SubjectPublicKeyInfo` as `Keypair::VerifyingKey`.
#[derive(Clone)]
pub(crate) struct PublicKeyDer(Vec<u8>);

impl spki::EncodePublicKey for PublicKeyDer {
    fn to_public_key_der(&self) -> spki::Result<der::Document> {
        Ok(der::Document::from_der(&self.0)?)
    }
}

impl signature::Keypair for X509Signer<'_> {
    type VerifyingKey = PublicKeyDer;
    fn verifying_key(&self) -> PublicKeyDer {
        PublicKeyDer(self.0.spki_der())
    }
}

impl spki::DynSignatureAlgorithmIdentifier for X509Signer<'_> {
    fn signature_algorithm_identifier(&self) -> spki::Result<spki::AlgorithmIdentifierOwned> {
        Ok(spki::AlgorithmIdentifierOwned::from_der(
            &self.0.algorithm_der(),
        )?)
    }
}

/// A signature as bytes (already DER for ECDSA).
pub(crate) struct RawSignature(Vec<u8>);

impl spki::SignatureBitStringEncoding for RawSignature {
    fn to_bitstring(&self) -> der::Result<BitString> {
        BitString::from_bytes(&self.0)
    }
}

impl signature::Signer<RawSignature> for X509Signer<'_> {
    fn try_sign(&self, msg: &[u8]) -> Result<RawSignature, signature::Error> {
        Ok(RawSignature(self.0.sign(msg)))
    }
}

/// The extensions of the certificates we issue; subject and issuer are fixed.
struct Profile {
    issuer: Name,
    subject: Name,
    ca: bool,
    /// keyUsage of an end-entity certificate (CA certificates get keyCertSign, cRLSign).
    usage: KeyUsages,
    issuer_ski: Option<Vec<u8>>,
    extra: Vec<Extension>,
}

fn extension(oid: &str, critical: bool, value: &impl Encode) -> der::Result<Extension> {
    Ok(Extension {
        extn_id: ObjectIdentifier::new_unwrap(oid),
        critical,
        extn_value: OctetString::new(value.to_der()?)?,
    })
}

/// The subjectKeyIdentifier we give a key: the leftmost 160 bits of the SHA-256 of the
/// subjectPublicKey BIT STRING value (RFC 7093 method 1).
pub fn key_identifier(subject_public_key: &[u8]) -> Vec<u8> {
    sha2::Sha256::digest(subject_public_key)[..20].to_vec()
}

impl BuilderProfile for Profile {
    fn get_issuer(&self, _subject: &Name) -> Name {
        self.issuer.clone()
    }

    fn get_subject(&self) -> Name {
        self.subject.clone()
    }

    fn build_extensions(
        &self,
        spk: SubjectPublicKeyInfoRef<'_>,
        _issuer_spk: SubjectPublicKeyInfoRef<'_>,
        _tbs: &TbsCertificate,
    ) -> x509_cert::builder::Result<Vec<Extension>> {
        let mut out = Vec::new();
        out.push(extension(
            "2.5.29.19",
            true,
            &BasicConstraints {
                ca: self.ca,
                path_len_constraint: None,
            },
        )?);
        let usage = if self.ca {
            KeyUsages::KeyCertSign | KeyUsages::CRLSign
        } else {
            self.usage.into()
        };
        out.push(extension("2.5.29.15", true, &KeyUsage(usage))?);
        let ski = key_identifier(spk.subject_public_key.raw_bytes());
        out.push(extension(
            "2.5.29.14",
            false,
            &SubjectKeyIdentifier(OctetString::new(ski)?),
        )?);
        if let Some(aki) = &self.issuer_ski {
            out.push(extension(
                "2.5.29.35",
                false,
                &AuthorityKeyIdentifier {
                    key_identifier: Some(OctetString::new(aki.clone())?),
                    ..Default::default()
                },
            )?);
        }
        out.extend(self.extra.iter().cloned());
        Ok(out)
    }
}

/// What a certificate request asks for, after validation.
#[derive(Clone, Debug)]
pub(crate) struct IssueRequest {
    /// DER subject `Name` (may be the empty NULL-DN when a SAN is given).
    pub subject_der: Vec<u8>,
    /// DER `SubjectPublicKeyInfo`.
    pub spki_der: Vec<u8>,
    /// subjectAltName (DER `GeneralNames`) and its criticality, copied from the request.
    pub san: Option<(Vec<u8>, bool)>,
    /// extKeyUsage (DER) copied from the request.
    pub eku: Option<Vec<u8>>,
}

/// A revocation.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Revocation {
    pub at: SystemTime,
    pub reason: Option<u8>,
}

/// A root CA key update on offer (RFC 9810 RootCaKeyUpdateContent).
#[derive(Clone, Debug)]
pub struct RootUpdate {
    /// The new root, self-signed.
    pub new_with_new: Vec<u8>,
    /// The new root key certified by the old root key.
    pub new_with_old: Vec<u8>,
    /// The old root key certified by the new root key.
    pub old_with_new: Vec<u8>,
}

/// Serial numbers compare without leading zero octets.
pub(crate) fn norm_serial(b: &[u8]) -> Vec<u8> {
    let skip = b.iter().take_while(|x| **x == 0).count();
    let s = &b[skip.min(b.len().saturating_sub(1))..];
    s.to_vec()
}

/// The CA state.
#[derive(Debug)]
pub(crate) struct Ca {
    issued: HashMap<Vec<u8>, Vec<u8>>,
    issued_order: VecDeque<Vec<u8>>,
    revoked: BTreeMap<Vec<u8>, Revocation>,
    revoked_order: VecDeque<Vec<u8>>,
    crl: Option<(Vec<u8>, SystemTime)>,
    crl_number: u64,
    validity: Option<Duration>,
}

fn time(t: SystemTime) -> der::Result<Time> {
    Time::try_from(t)
}

fn new_serial() -> Vec<u8> {
    let mut b = [0u8; 16];
    super::random_bytes(&mut b);
    b[0] &= 0x7f;
    if b[0] == 0 {
        b[0] = 0x42;
    }
    b.to_vec()
}

fn build_cert(
    signer_key: &KeyPair,
    profile: Profile,
    spki_der: &[u8],
    not_before: SystemTime,
    not_after: SystemTime,
) -> Result<Vec<u8>, String> {
    let spki = SubjectPublicKeyInfoOwned::from_der(spki_der).map_err(|e| e.to_string())?;
    let serial = SerialNumber::<Rfc5280>::new(&new_serial()).map_err(|e| e.to_string())?;
    let validity = Validity::new(
        time(not_before).map_err(|e| e.to_string())?,
        time(not_after).map_err(|e| e.to_string())?,
    );
    let builder =
        CertificateBuilder::new(profile, serial, validity, spki).map_err(|e| e.to_string())?;
    let cert = builder
        .build::<_, RawSignature>(&X509Signer(signer_key))
        .map_err(|e| e.to_string())?;
    cert.to_der().map_err(|e| e.to_string())
}

impl Ca {
    pub fn new(validity: Option<Duration>) -> Self {
        Ca {
            issued: HashMap::new(),
            issued_order: VecDeque::new(),
            revoked: BTreeMap::new(),
            revoked_order: VecDeque::new(),
            crl: None,
            crl_number: 0,
            validity,
        }
    }

    /// Issue an end-entity certificate signed by the issuing CA.
    pub fn issue(&mut self, creds: &Credentials, req: &IssueRequest) -> Result<Vec<u8>, String> {
        let subject = Name::from_der(&req.subject_der).map_err(|e| e.to_string())?;
        let issuer = creds.issuing.cert.tbs_certificate().subject().clone();
        let mut extra = Vec::new();
        if let Some((san, critical)) = &req.san {
            extra.push(Extension {
                extn_id: ObjectIdentifier::new_unwrap(ID_CE_SUBJECT_ALT_NAME),
                critical: *critical,
                extn_value: OctetString::new(san.clone()).map_err(|e| e.to_string())?,
            });
        }
        if let Some(eku) = &req.eku {
            extra.push(Extension {
                extn_id: ObjectIdentifier::new_unwrap(ID_CE_EXT_KEY_USAGE),
                critical: false,
                extn_value: OctetString::new(eku.clone()).map_err(|e| e.to_string())?,
            });
        }
        let profile = Profile {
            issuer,
            subject,
            ca: false,
            usage: KeyUsages::DigitalSignature,
            issuer_ski: creds.issuing.ski.clone(),
            extra,
        };
        let now = SystemTime::now();
        let ca_end = creds
            .issuing
            .cert
            .tbs_certificate()
            .validity()
            .not_after
            .to_system_time();
        let not_after = match self.validity {
            Some(v) => (now + v).min(ca_end),
            None => ca_end,
        };
        let der_bytes = build_cert(
            &creds.issuing_key,
            profile,
            &req.spki_der,
            now - Duration::from_secs(60),
            not_after,
        )?;
        let info = CertInfo::from_der(&der_bytes).map_err(|e| e.to_string())?;
        let serial = norm_serial(&info.serial);
        if self.issued_order.len() >= MAX_ISSUED {
            if let Some(old) = self.issued_order.pop_front() {
                self.issued.remove(&old);
            }
        }
        self.issued_order.push_back(serial.clone());
        self.issued.insert(serial, der_bytes.clone());
        Ok(der_bytes)
    }

    /// The certificate we issued with this serial number, if remembered.
    pub fn issued(&self, serial: &[u8]) -> Option<&[u8]> {
        self.issued.get(&norm_serial(serial)).map(Vec::as_slice)
    }

    /// The revocation of a serial number of the issuing CA.
    pub fn revocation(&self, serial: &[u8]) -> Option<Revocation> {
        self.revoked.get(&norm_serial(serial)).copied()
    }

    /// Revoke a serial number of the issuing CA; the next CRL lists it.
    pub fn revoke(&mut self, serial: &[u8], reason: Option<u8>) {
        let serial = norm_serial(serial);
        if self.revoked.contains_key(&serial) {
            return;
        }
        if self.revoked_order.len() >= MAX_REVOKED {
            if let Some(old) = self.revoked_order.pop_front() {
                self.revoked.remove(&old);
            }
        }
        self.revoked_order.push_back(serial.clone());
        self.revoked.insert(
            serial,
            Revocation {
                at: SystemTime::now(),
                reason,
            },
        );
        self.crl = None;
    }

    /// The current CRL of the issuing CA and its thisUpdate. A new CRL (with the next
    /// cRLNumber) is made only after the revocation list changed, so asking again with the
    /// same thisUpdate finds nothing newer.
    pub fn crl(&mut self, creds: &Credentials) -> Result<(Vec<u8>, SystemTime), String> {
        if let Some(c) = &self.crl {
            return Ok(c.clone());
        }
        // Whole seconds: thisUpdate as encoded must compare equal to what we remember.
        let secs = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_err(|e| e.to_string())?
            .as_secs();
        let this_update = SystemTime::UNIX_EPOCH + Duration::from_secs(secs);
        self.crl_number += 1;
        let number = Uint::new(&self.crl_number.to_be_bytes()).map_err(|e| e.to_string())?;
        let mut entries = Vec::new();
        for (serial, r) in &self.revoked {
            let exts = match r.reason {
                Some(code) => Some(vec![Extension {
                    extn_id: ObjectIdentifier::new_unwrap(ID_CE_CRL_REASONS),
                    critical: false,
                    extn_value: OctetString::new(vec![0x0a, 0x01, code])
                        .map_err(|e| e.to_string())?,
                }]),
                None => None,
            };
            entries.push(RevokedCert {
                serial_number: SerialNumber::new(serial).map_err(|e| e.to_string())?,
                revocation_date: time(r.at).map_err(|e| e.to_string())?,
                crl_entry_extensions: exts,
            });
        }
        let mut builder = CrlBuilder::<Rfc5280>::new_with_this_update(
            &creds.issuing.cert,
            CrlNumber(number),
            time(this_update).map_err(|e| e.to_string())?,
        )
        .map_err(|e| e.to_string())?
        .with_next_update(Some(
            time(this_update + Duration::from_secs(86_400)).map_err(|e| e.to_string())?,
        ));
        if !entries.is_empty() {
            builder = builder.with_certificates(entries.into_iter());
        }
        let crl = builder
            .build::<_, RawSignature>(&X509Signer(&creds.issuing_key))
            .map_err(|e| e.to_string())?;
        let der_bytes = crl.to_der().map_err(|e| e.to_string())?;
        self.crl = Some((der_bytes.clone(), this_update));
        Ok((der_bytes, this_update))
    }
}

/// Make a new root CA (fresh P-256 key) and its link certificates with the old root, for
/// rootCaKeyUpdate. Needs the old root's key.
pub(crate) fn make_root_update(creds: &Credentials) -> Result<RootUpdate, String> {
    let old_key = creds
        .root_key
        .as_ref()
        .ok_or("the root CA key is not available")?;
    let new_key = KeyPair::generate_p256();
    let new_spki = new_key.spki_der();
    let new_name = Name::from_str("CN=CMP Test Vectors Root CA G2,O=CMP Test Vectors,C=XX")
        .map_err(|e| e.to_string())?;
    let old_name = creds.root.cert.tbs_certificate().subject().clone();
    let new_ski = {
        let spki = SubjectPublicKeyInfoOwned::from_der(&new_spki).map_err(|e| e.to_string())?;
        key_identifier(spki.subject_public_key.raw_bytes())
    };
    let now = SystemTime::now();
    let not_before = now - Duration::from_secs(60);
    let not_after = now + Duration::from_secs(20 * 365 * 86_400);
    let root_profile = |issuer: &Name, subject: &Name, issuer_ski: Option<Vec<u8>>| Profile {
        issuer: issuer.clone(),
        subject: subject.clone(),
        ca: true,
        usage: KeyUsages::KeyCertSign,
        issuer_ski,
        extra: Vec::new(),
    };
    let new_with_new = build_cert(
        &new_key,
        root_profile(&new_name, &new_name, Some(new_ski.clone())),
        &new_spki,
        not_before,
        not_after,
    )?;
    let new_with_old = build_cert(
        old_key,
        root_profile(&old_name, &new_name, creds.root.ski.clone()),
        &new_spki,
        not_before,
        not_after,
    )?;
    let old_with_new = build_cert(
        &new_key,
        root_profile(&new_name, &old_name, Some(new_ski)),
        &creds.root.spki_der,
        not_before,
        not_after,
    )?;
    Ok(RootUpdate {
        new_with_new,
        new_with_old,
        old_with_new,
    })
}

/// DER extKeyUsage with id-kp-cmcRA.
const EKU_CMC_RA: &[u8] = &[
    0x30, 0x0a, 0x06, 0x08, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x1c,
];

/// A self-signed certificate for `key` with the extendedKeyUsage id-kp-cmKGA: the KGA of the
/// `CKG-09` fault, which no trust anchor vouches for.
pub(crate) fn self_signed_kga(key: &KeyPair) -> Result<CertInfo, String> {
    // SEQUENCE { id-kp-cmKGA }
    const EKU_CM_KGA: &[u8] = &[
        0x30, 0x0a, 0x06, 0x08, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x20,
    ];
    let now = SystemTime::now();
    let subject = Name::from_str("CN=CMP KGA self-signed,O=CMP Test Vectors,C=XX")
        .map_err(|e| e.to_string())?;
    let p = Profile {
        issuer: subject.clone(),
        subject,
        ca: false,
        usage: KeyUsages::DigitalSignature,
        issuer_ski: None,
        extra: vec![Extension {
            extn_id: ObjectIdentifier::new_unwrap(ID_CE_EXT_KEY_USAGE),
            critical: false,
            extn_value: OctetString::new(EKU_CM_KGA.to_vec()).map_err(|e| e.to_string())?,
        }],
    };
    let der = build_cert(
        key,
        p,
        &key.spki_der(),
        now - Duration::from_secs(60),
        now + Duration::from_secs(20 * 365 * 86_400),
    )?;
    CertInfo::from_der(&der).map_err(|e| e.to_string())
}

/// Protection certificates for the server key that break a rule, made at start-up when
/// their fault switch is on.
#[derive(Clone, Debug, Default)]
pub(crate) struct FaultSigners {
    /// `PRE-01`: issued by issuing-ca, keyUsage keyEncipherment only.
    pub no_digital_signature: Option<CertInfo>,
    /// `PREQ-04`: issued by issuing-ca, no extendedKeyUsage.
    pub no_cmc_ra: Option<CertInfo>,
    /// `TS33310-3`: self-signed.
    pub self_signed: Option<CertInfo>,
}

impl FaultSigners {
    pub fn make(
        creds: &Credentials,
        faults: &std::collections::BTreeSet<super::Fault>,
    ) -> Result<Self, String> {
        use super::Fault;
        let now = SystemTime::now();
        let (nb, na) = (
            now - Duration::from_secs(60),
            now + Duration::from_secs(20 * 365 * 86_400),
        );
        let spki = creds.server_key.spki_der();
        let issuer = creds.issuing.cert.tbs_certificate().subject().clone();
        let eku = || -> Result<Extension, String> {
            Ok(Extension {
                extn_id: ObjectIdentifier::new_unwrap(ID_CE_EXT_KEY_USAGE),
                critical: false,
                extn_value: OctetString::new(EKU_CMC_RA.to_vec()).map_err(|e| e.to_string())?,
            })
        };
        let name = |cn: &str| {
            Name::from_str(&format!("CN={cn},O=CMP Test Vectors,C=XX")).map_err(|e| e.to_string())
        };
        let info = |der: Vec<u8>| CertInfo::from_der(&der).map_err(|e| e.to_string());
        let mut out = FaultSigners::default();
        if faults.contains(&Fault::Pre01) {
            let p = Profile {
                issuer: issuer.clone(),
                subject: name("CMP Server EC without digitalSignature")?,
                ca: false,
                usage: KeyUsages::KeyEncipherment,
                issuer_ski: creds.issuing.ski.clone(),
                extra: vec![eku()?],
            };
            out.no_digital_signature =
                Some(info(build_cert(&creds.issuing_key, p, &spki, nb, na)?)?);
        }
        if faults.contains(&Fault::Preq04) {
            let p = Profile {
                issuer: issuer.clone(),
                subject: name("CMP Server EC without cmcRA")?,
                ca: false,
                usage: KeyUsages::DigitalSignature,
                issuer_ski: creds.issuing.ski.clone(),
                extra: vec![],
            };
            out.no_cmc_ra = Some(info(build_cert(&creds.issuing_key, p, &spki, nb, na)?)?);
        }
        if faults.contains(&Fault::Ts33310_3) {
            let subject = name("CMP Server EC self-signed")?;
            let p = Profile {
                issuer: subject.clone(),
                subject,
                ca: false,
                usage: KeyUsages::DigitalSignature,
                issuer_ski: None,
                extra: vec![eku()?],
            };
            out.self_signed = Some(info(build_cert(&creds.server_key, p, &spki, nb, na)?)?);
        }
        Ok(out)
    }
}
