//! The Key Generation Authority of the reference responder (RFC 9483 4.1.6): it generates the
//! key pair of a central key generation request and packs the private key as the profile
//! asks: an AsymmetricKeyPackage (RFC 5958) in a SignedData signed with the `kga-ec`
//! credential (EKU id-kp-cmKGA), encrypted in an EnvelopedData under a fresh AES-256-CBC key
//! that reaches the EE by password (pwri), key transport (ktri) or key agreement (kari).
//!
//! The CMS structures are RustCrypto `cms` types, and `cms`'s `EnvelopedDataBuilder` does the
//! content encryption and (for ktri) the RSA key transport. The password and key agreement
//! recipients are our own `RecipientInfoBuilder`s: `cms` 0.3.0-rc.0 has no AES-key-wrap
//! password recipient (only the RFC 3211 PWRI-KEK shape), and its kari builder derives the
//! KEK from the X9.63 KDF but then wraps the CEK under an all-zero key (`init_kek()`), which
//! no recipient can unwrap. Each fault switch `CKG-*` breaks one field.

use cms::builder::{
    create_content_type_attribute, create_message_digest_attribute, create_signing_time_attribute,
    ContentEncryptionAlgorithm, EnvelopedDataBuilder, KeyEncryptionInfo,
    KeyTransRecipientInfoBuilder, RecipientInfoBuilder, RecipientInfoType,
};
use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::content_info::CmsVersion;
use cms::enveloped_data::{
    KeyAgreeRecipientIdentifier, KeyAgreeRecipientInfo, OriginatorIdentifierOrKey,
    OriginatorPublicKey, PasswordRecipientInfo, RecipientEncryptedKey, RecipientIdentifier,
    RecipientInfo, RecipientKeyIdentifier,
};
use cms::signed_data::{
    CertificateSet, EncapsulatedContentInfo, SignedData, SignerIdentifier, SignerInfo, SignerInfos,
};
use der::asn1::{BitString, OctetString, SetOfVec};
use der::{Any, Decode as _, Encode as _, Tag};
use sha2::Digest as _;
use spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};
use x509_cert::ext::pkix::SubjectKeyIdentifier;

use super::credentials::{CertInfo, KeyPair};
use super::faults::Fault;
use super::Inner;
use crate::ckg_cms::{self as kit, alg};

type Rng = KgaRng;

/// The randomness of an envelope (content-encryption key, IV, ktri padding): the operating
/// system's, or with the `CKG-15` fault a fixed stream, so that every envelope repeats the
/// content-encryption key and IV of the one before.
pub(crate) struct KgaRng {
    fixed: Option<u64>,
}

impl KgaRng {
    fn fill(&mut self, dst: &mut [u8]) {
        match &mut self.fixed {
            None => super::random_bytes(dst),
            Some(counter) => {
                for chunk in dst.chunks_mut(32) {
                    let block = sha2::Sha256::digest(counter.to_be_bytes());
                    chunk.copy_from_slice(&block[..chunk.len()]);
                    *counter += 1;
                }
            }
        }
    }
}

impl rand_core::TryRng for KgaRng {
    type Error = std::convert::Infallible;

    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        let mut b = [0u8; 4];
        self.fill(&mut b);
        Ok(u32::from_le_bytes(b))
    }

    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        let mut b = [0u8; 8];
        self.fill(&mut b);
        Ok(u64::from_le_bytes(b))
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        self.fill(dst);
        Ok(())
    }
}

impl rand_core::TryCryptoRng for KgaRng {}

/// A key pair generated for the EE.
pub(crate) struct NewKey {
    /// Its DER SubjectPublicKeyInfo (goes into the certificate).
    pub spki_der: Vec<u8>,
    /// PKCS #8 (v1) of the private key; the package adds the public key (v2).
    pub private: pkcs8::PrivateKeyInfoOwned,
    /// The public key bits (the SPKI's BIT STRING).
    pub public_bits: Vec<u8>,
}

/// Which key to generate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum KeyKind {
    /// EC P-256 (when the template names EC or no algorithm).
    P256,
    /// RSA-2048 (when the template names rsaEncryption).
    Rsa2048,
}

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

/// Generate a key pair.
pub(crate) fn generate(kind: KeyKind) -> Result<NewKey, String> {
    use p256::pkcs8::{EncodePrivateKey as _, EncodePublicKey as _};
    let (pkcs8_der, spki_der) = match kind {
        KeyKind::P256 => {
            let sk = loop {
                let mut b = [0u8; 32];
                super::random_bytes(&mut b);
                if let Ok(k) = p256::SecretKey::from_slice(&b) {
                    break k;
                }
            };
            (
                sk.to_pkcs8_der().map_err(err)?.as_bytes().to_vec(),
                sk.public_key().to_public_key_der().map_err(err)?.into_vec(),
            )
        }
        KeyKind::Rsa2048 => {
            let sk = rsa::PrivateKey::new(&mut kit::rng(), 2048).map_err(err)?;
            (
                sk.to_pkcs8_der().map_err(err)?.as_bytes().to_vec(),
                sk.to_public_key()
                    .to_public_key_der()
                    .map_err(err)?
                    .into_vec(),
            )
        }
    };
    let mut private = pkcs8::PrivateKeyInfoOwned::from_der(&pkcs8_der).map_err(err)?;
    private.public_key = None;
    let spki = SubjectPublicKeyInfoOwned::from_der(&spki_der).map_err(err)?;
    Ok(NewKey {
        public_bits: spki.subject_public_key.raw_bytes().to_vec(),
        spki_der,
        private,
    })
}

/// How the content-encryption key reaches the EE (RFC 9483 4.1.6, CKG-12).
pub(crate) enum Recipient {
    /// MAC-protected request: password-based (pwri) with the shared secret.
    Password {
        /// The shared secret.
        secret: Vec<u8>,
        /// The salt of the request's MAC (the `CKG-31` fault reuses it).
        mac_salt: Vec<u8>,
    },
    /// RSA protection certificate: key transport (ktri).
    KeyTransport {
        /// The certificate's subjectKeyIdentifier (rid).
        ski: Vec<u8>,
        /// Its public key.
        spki_der: Vec<u8>,
    },
    /// EC P-256 protection certificate: ephemeral-static ECDH (kari).
    KeyAgreement {
        /// The certificate's subjectKeyIdentifier (rid).
        ski: Vec<u8>,
        /// Its public key.
        spki_der: Vec<u8>,
    },
}

fn builder_err(e: impl std::fmt::Display) -> cms::builder::Error {
    cms::builder::Error::Builder(e.to_string())
}

fn random_vec(n: usize) -> Vec<u8> {
    let mut v = vec![0u8; n];
    super::random_bytes(&mut v);
    v
}

/// pwri with PBKDF2-HMAC-SHA256 and AES key wrap (RFC 9481 4.3.1, 4.4.1): the KEK comes from
/// the shared secret with a fresh salt (RFC 9483 4.1.6.3), the CEK is wrapped as RFC 3394.
struct PwriKw {
    secret: Vec<u8>,
    salt: Vec<u8>,
    iterations: u32,
    cbc_alg: bool,
}

impl RecipientInfoBuilder for PwriKw {
    type Rng = Rng;

    fn recipient_info_type(&self) -> RecipientInfoType {
        RecipientInfoType::Pwri
    }

    fn recipient_info_version(&self) -> CmsVersion {
        CmsVersion::V0
    }

    fn build_with_rng(
        &mut self,
        cek: &[u8],
        _rng: &mut Rng,
    ) -> Result<RecipientInfo, cms::builder::Error> {
        let kek = kit::pbkdf2_sha256(&self.secret, &self.salt, self.iterations, cek.len());
        let wrapped = kit::aes_wrap(&kek, cek).map_err(builder_err)?;
        let params = kit::Pbkdf2Params {
            salt: OctetString::new(self.salt.clone())?,
            iteration_count: self.iterations,
            key_length: Some(cek.len() as u32),
            prf: Some(AlgorithmIdentifierOwned {
                oid: kit::ID_HMAC_WITH_SHA256,
                parameters: Some(Any::null()),
            }),
        };
        let kdf = AlgorithmIdentifierOwned {
            oid: kit::ID_PBKDF2,
            parameters: Some(Any::from_der(&params.to_der()?)?),
        };
        let wrap = if self.cbc_alg {
            kit::ID_AES256_CBC
        } else {
            kit::wrap_oid(cek.len()).ok_or_else(|| builder_err("CEK length"))?
        };
        Ok(RecipientInfo::Pwri(PasswordRecipientInfo {
            version: CmsVersion::V0,
            key_derivation_alg: Some(kdf),
            key_enc_alg: alg(wrap),
            enc_key: OctetString::new(wrapped)?,
        }))
    }
}

/// kari with ephemeral-static ECDH on P-256, dhSinglePass-stdDH-sha256kdf-scheme and AES key
/// wrap (RFC 5753 3.1, RFC 9481 4.1.2).
struct KariP256 {
    recipient: p256::PublicKey,
    ski: Vec<u8>,
    ukm: Option<Vec<u8>>,
}

impl RecipientInfoBuilder for KariP256 {
    type Rng = Rng;

    fn recipient_info_type(&self) -> RecipientInfoType {
        RecipientInfoType::Kari
    }

    fn recipient_info_version(&self) -> CmsVersion {
        CmsVersion::V3
    }

    fn build_with_rng(
        &mut self,
        cek: &[u8],
        _rng: &mut Rng,
    ) -> Result<RecipientInfo, cms::builder::Error> {
        use p256::pkcs8::EncodePublicKey as _;
        let eph = loop {
            let mut b = [0u8; 32];
            super::random_bytes(&mut b);
            if let Ok(k) = p256::SecretKey::from_slice(&b) {
                break k;
            }
        };
        let shared =
            p256::ecdh::diffie_hellman(eph.to_nonzero_scalar(), self.recipient.as_affine());
        let wrap = kit::wrap_oid(cek.len()).ok_or_else(|| builder_err("CEK length"))?;
        let kek = kit::x963_kek(
            &kit::DH_STD_SHA256_KDF,
            shared.raw_secret_bytes().as_slice(),
            wrap,
            self.ukm.as_deref(),
        )
        .map_err(builder_err)?;
        let wrapped = kit::aes_wrap(&kek, cek).map_err(builder_err)?;
        let eph_spki = SubjectPublicKeyInfoOwned::from_der(
            eph.public_key()
                .to_public_key_der()
                .map_err(builder_err)?
                .as_bytes(),
        )?;
        Ok(RecipientInfo::Kari(KeyAgreeRecipientInfo {
            version: CmsVersion::V3,
            originator: OriginatorIdentifierOrKey::OriginatorKey(OriginatorPublicKey {
                algorithm: eph_spki.algorithm,
                public_key: eph_spki.subject_public_key,
            }),
            ukm: self.ukm.clone().map(OctetString::new).transpose()?,
            key_enc_alg: AlgorithmIdentifierOwned {
                oid: kit::DH_STD_SHA256_KDF,
                parameters: Some(Any::from_der(&alg(wrap).to_der()?)?),
            },
            recipient_enc_keys: vec![RecipientEncryptedKey {
                rid: KeyAgreeRecipientIdentifier::RKeyId(RecipientKeyIdentifier {
                    subject_key_identifier: SubjectKeyIdentifier(OctetString::new(
                        self.ski.clone(),
                    )?),
                    date: None,
                    other: None,
                }),
                enc_key: OctetString::new(wrapped)?,
            }],
        }))
    }
}

impl Inner {
    /// The KGA credential the SignedData is signed with (`CKG-01`: cmp-server-ec instead).
    fn kga_signer(&self) -> Option<(&CertInfo, &KeyPair)> {
        if self.has(Fault::Ckg01) {
            return Some((&self.creds.server, &self.creds.server_key));
        }
        self.creds.kga.as_ref().map(|(c, k)| (c, k))
    }

    /// The SignedData (DER) over the AsymmetricKeyPackage holding `key`.
    fn kga_signed_data(&self, key: &NewKey) -> Result<Vec<u8>, String> {
        let (cert, signer) = self
            .kga_signer()
            .ok_or("no KGA credential (kga-ec) is loaded")?;
        let self_signed;
        let cert = if self.has(Fault::Ckg09) {
            self_signed = super::ca::self_signed_kga(signer)?;
            &self_signed
        } else {
            cert
        };
        let mut oak = key.private.clone();
        if !self.has(Fault::Ckg20) {
            oak.public_key = Some(BitString::from_bytes(&key.public_bits).map_err(err)?);
        }
        let content = if self.has(Fault::Ckg07) {
            oak.public_key = None;
            oak.to_der().map_err(err)?
        } else {
            vec![oak].to_der().map_err(err)?
        };
        if self.has(Fault::Ckg08) {
            return Ok(content);
        }
        let econtent = Any::new(Tag::OctetString, content.clone()).map_err(err)?;
        let encap = EncapsulatedContentInfo {
            econtent_type: kit::ID_CT_KP_A_KEY_PACKAGE,
            econtent: Some(econtent),
        };
        let digest = sha2::Sha256::digest(&content);
        let mut attrs =
            vec![create_content_type_attribute(kit::ID_CT_KP_A_KEY_PACKAGE).map_err(err)?];
        if !self.has(Fault::Ckg23) {
            attrs.push(create_message_digest_attribute(&digest).map_err(err)?);
        }
        let signed_attrs = SetOfVec::try_from(attrs).map_err(err)?;
        let mut signature = signer.sign(&signed_attrs.to_der().map_err(err)?);
        if self.has(Fault::Ckg24) {
            let mid = signature.len() / 2;
            if let Some(b) = signature.get_mut(mid) {
                *b ^= 0x01;
            }
        }
        let tbs = cert.cert.tbs_certificate();
        let (version, sid) = if self.has(Fault::Ckg22) {
            (
                CmsVersion::V1,
                SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
                    issuer: tbs.issuer().clone(),
                    serial_number: tbs.serial_number().clone(),
                }),
            )
        } else {
            let ski = cert.ski.clone().ok_or("the KGA certificate has no SKI")?;
            (
                CmsVersion::V3,
                SignerIdentifier::SubjectKeyIdentifier(SubjectKeyIdentifier(
                    OctetString::new(ski).map_err(err)?,
                )),
            )
        };
        let unsigned_attrs = if self.has(Fault::Ckg25) {
            Some(
                SetOfVec::try_from(vec![create_signing_time_attribute().map_err(err)?])
                    .map_err(err)?,
            )
        } else {
            None
        };
        let signer_info = SignerInfo {
            version,
            sid,
            digest_alg: alg(kit::ID_SHA256),
            signed_attrs: Some(signed_attrs),
            signature_algorithm: AlgorithmIdentifierOwned::from_der(&signer.algorithm_der())
                .map_err(err)?,
            signature: OctetString::new(signature).map_err(err)?,
            unsigned_attrs,
        };
        let mut digests = vec![alg(kit::ID_SHA256)];
        if self.has(Fault::Ckg19) {
            digests.push(alg(kit::ID_SHA384));
        }
        let mut certs = vec![];
        if !self.has(Fault::Ckg21) {
            certs.push(CertificateChoices::Certificate(cert.cert.clone()));
        }
        certs.push(CertificateChoices::Certificate(
            self.creds.issuing.cert.clone(),
        ));
        let sd = SignedData {
            version: if self.has(Fault::Ckg19) {
                CmsVersion::V1
            } else {
                CmsVersion::V3
            },
            digest_algorithms: SetOfVec::try_from(digests).map_err(err)?,
            encap_content_info: encap,
            certificates: Some(CertificateSet(SetOfVec::try_from(certs).map_err(err)?)),
            crls: None,
            signer_infos: SignerInfos(SetOfVec::try_from(vec![signer_info]).map_err(err)?),
        };
        sd.to_der().map_err(err)
    }

    /// The EnvelopedData (DER) delivering `key` to `to`.
    pub(crate) fn kga_envelope(&self, key: &NewKey, to: &Recipient) -> Result<Vec<u8>, String> {
        let content = self.kga_signed_data(key)?;
        let mut b: EnvelopedDataBuilder<'_, Rng> =
            EnvelopedDataBuilder::new(None, &content, ContentEncryptionAlgorithm::Aes256Cbc, None)
                .map_err(err)?;
        let password = |secret: &[u8], salt: Vec<u8>| PwriKw {
            secret: secret.to_vec(),
            salt,
            iterations: 10_000,
            cbc_alg: self.has(Fault::Ckg32),
        };
        let pwri = match to {
            Recipient::Password { secret, mac_salt } => {
                let salt = if self.has(Fault::Ckg31) && !mac_salt.is_empty() {
                    mac_salt.clone()
                } else {
                    random_vec(16)
                };
                b.add_recipient_info(password(secret, salt)).map_err(err)?;
                true
            }
            _ if self.has(Fault::Ckg12) => {
                b.add_recipient_info(password(&self.creds.secret, random_vec(16)))
                    .map_err(err)?;
                true
            }
            Recipient::KeyTransport { ski, spki_der } => {
                use rsa::pkcs8::DecodePublicKey as _;
                let pk = rsa::PublicKey::from_public_key_der(spki_der).map_err(err)?;
                let ski = if self.has(Fault::Ckg27) {
                    random_vec(20)
                } else {
                    ski.clone()
                };
                let rid = RecipientIdentifier::SubjectKeyIdentifier(SubjectKeyIdentifier(
                    OctetString::new(ski).map_err(err)?,
                ));
                let inner = KeyTransRecipientInfoBuilder::new(rid, KeyEncryptionInfo::Rsa(pk))
                    .map_err(err)?;
                b.add_recipient_info(inner).map_err(err)?;
                false
            }
            Recipient::KeyAgreement { ski, spki_der } => {
                use p256::pkcs8::DecodePublicKey as _;
                let recipient = p256::PublicKey::from_public_key_der(spki_der).map_err(err)?;
                let ski = if self.has(Fault::Ckg29) {
                    random_vec(20)
                } else {
                    ski.clone()
                };
                b.add_recipient_info(KariP256 {
                    recipient,
                    ski,
                    ukm: (!self.has(Fault::Ckg30)).then(|| random_vec(16)),
                })
                .map_err(err)?;
                false
            }
        };
        if self.has(Fault::Ckg17) {
            b.add_recipient_info(password(&random_vec(16), random_vec(16)))
                .map_err(err)?;
        }
        let mut rng = KgaRng {
            fixed: self.has(Fault::Ckg15).then_some(0),
        };
        let mut ed = b.build_with_rng(&mut rng).map_err(err)?;
        if self.has(Fault::Ckg11) {
            let mut ris: Vec<RecipientInfo> = ed.recip_infos.0.iter().cloned().collect();
            for ri in &mut ris {
                let key = match ri {
                    RecipientInfo::Ktri(k) => Some(&mut k.enc_key),
                    RecipientInfo::Kari(k) => {
                        k.recipient_enc_keys.first_mut().map(|r| &mut r.enc_key)
                    }
                    RecipientInfo::Pwri(p) => Some(&mut p.enc_key),
                    _ => None,
                };
                if let Some(key) = key {
                    let mut bytes = key.as_bytes().to_vec();
                    if let Some(b) = bytes.get_mut(4) {
                        *b ^= 0x01;
                    }
                    *key = OctetString::new(bytes).map_err(err)?;
                }
            }
            ed.recip_infos =
                cms::enveloped_data::RecipientInfos(SetOfVec::try_from(ris).map_err(err)?);
        }
        ed.encrypted_content.content_type = if self.has(Fault::Ckg18) {
            kit::ID_DATA
        } else {
            kit::ID_SIGNED_DATA
        };
        ed.version = match (pwri, self.has(Fault::Ckg16)) {
            (true, false) => CmsVersion::V0,
            (false, false) => CmsVersion::V2,
            (true, true) => CmsVersion::V3,
            (false, true) => CmsVersion::V0,
        };
        ed.to_der().map_err(err)
    }
}

/// A central key generation request, checked: the key to certify and where it goes.
pub(crate) struct CkgPlan {
    /// The generated key.
    pub key: NewKey,
    /// How the content-encryption key reaches the EE.
    pub recipient: Recipient,
}

const ID_RSA_ENCRYPTION: &str = "1.2.840.113549.1.1.1";
const ID_EC_PUBLIC_KEY: &str = "1.2.840.10045.2.1";
const SECP256R1: &str = "1.2.840.10045.3.1.7";

impl Inner {
    /// `None` when the ir/cr/kur asks for a certificate of its own key; otherwise the plan
    /// for central key generation (RFC 9483 4.1.6) or why it is refused.
    pub(crate) fn ckg_prepare(
        &self,
        msg: &cmp_codec::PKIMessage<'_>,
        auth: &super::validate::Auth,
    ) -> Option<Result<CkgPlan, super::errors::Reject>> {
        use super::errors::{bad_cert_template, bad_pop, not_authorized, Reject};
        use super::validate::Auth;
        use cmp_codec::{FailureBit, PKIBody};
        let reqs = match &msg.body {
            PKIBody::Ir(r) | PKIBody::Cr(r) | PKIBody::Kur(r) => r,
            _ => return None,
        };
        let req = reqs.get(0)?;
        let t = &req.cert_req.cert_template;
        // CKG-03: publicKey absent, or only the algorithm with an empty BIT STRING.
        let alg_oid = match &t.public_key {
            None => None,
            Some(k) if k.subject_public_key.as_bytes().is_empty() => {
                if self.has(Fault::Ckg03) {
                    return Some(Err(bad_cert_template(
                        "an empty subjectPublicKey is refused (fault CKG-03)",
                    )));
                }
                Some(k.algorithm.algorithm.to_string())
            }
            Some(_) => return None,
        };
        let plan = || -> Result<CkgPlan, Reject> {
            if self.creds.kga.is_none() {
                return Err(bad_cert_template(
                    "central key generation is not offered (no KGA credential)",
                ));
            }
            if msg.header.pvno != 3 && !self.has(Fault::Ckg05) {
                return Err(Reject::new(
                    FailureBit::UnsupportedVersion,
                    "central key generation needs pvno 3 (RFC 9483 4.1.6)",
                ));
            }
            if req.popo.is_some() {
                return Err(bad_pop(
                    "POP must be absent when central key generation is requested",
                ));
            }
            let kind = match alg_oid.as_deref() {
                None | Some(ID_EC_PUBLIC_KEY) => KeyKind::P256,
                Some(ID_RSA_ENCRYPTION) => KeyKind::Rsa2048,
                Some(other) => {
                    return Err(Reject::new(
                        FailureBit::BadAlg,
                        format!("central key generation offers EC P-256 and RSA, not {other}"),
                    ))
                }
            };
            let recipient = match auth {
                Auth::Mac(m) => Recipient::Password {
                    secret: self.creds.secret.clone(),
                    mac_salt: m.salt().to_vec(),
                },
                Auth::Sig(s) => {
                    let spki = SubjectPublicKeyInfoOwned::from_der(&s.cert.spki_der)
                        .map_err(|e| bad_cert_template(e.to_string()))?;
                    let ku = s
                        .cert
                        .cert
                        .tbs_certificate()
                        .get_extension::<x509_cert::ext::pkix::KeyUsage>()
                        .ok()
                        .flatten()
                        .map(|(_, k)| k);
                    let ski = s.cert.ski.clone().ok_or_else(|| {
                        bad_cert_template("the protection certificate has no subjectKeyIdentifier")
                    })?;
                    let curve = spki
                        .algorithm
                        .parameters
                        .as_ref()
                        .and_then(|p| p.decode_as::<der::oid::ObjectIdentifier>().ok())
                        .map(|c| c.to_string());
                    match spki.algorithm.oid.to_string().as_str() {
                        ID_RSA_ENCRYPTION => {
                            if ku.is_some_and(|k| !k.key_encipherment()) && !self.has(Fault::Ckg26)
                            {
                                return Err(not_authorized(
                                    "key transport needs a protection certificate allowing \
                                     keyEncipherment (RFC 9483 4.1.6.1)",
                                ));
                            }
                            Recipient::KeyTransport {
                                ski,
                                spki_der: s.cert.spki_der.clone(),
                            }
                        }
                        ID_EC_PUBLIC_KEY if curve.as_deref() == Some(SECP256R1) => {
                            if ku.is_some_and(|k| !k.key_agreement()) && !self.has(Fault::Ckg28) {
                                return Err(not_authorized(
                                    "key agreement needs a protection certificate allowing \
                                     keyAgreement (RFC 9483 4.1.6.2)",
                                ));
                            }
                            Recipient::KeyAgreement {
                                ski,
                                spki_der: s.cert.spki_der.clone(),
                            }
                        }
                        other => {
                            return Err(Reject::new(
                                FailureBit::BadAlg,
                                format!("no key management technique for a {other} protection key"),
                            ))
                        }
                    }
                }
                Auth::None => {
                    return Err(not_authorized(
                        "central key generation needs a protected request",
                    ))
                }
            };
            let key = generate(kind)
                .map_err(|e| Reject::new(FailureBit::SystemFailure, format!("keygen: {e}")))?;
            Ok(CkgPlan { key, recipient })
        };
        Some(plan())
    }
}
