//! Central key generation (RFC 9483 4.1.6): the privateKey of an ip/cp/kup answering a
//! request without a public key. The runner opens the envelope with its own credential (the
//! MAC secret for pwri, the protection key for ktri/kari), checks the CMS fields the profile
//! fixes (CKG-06 to CKG-32), verifies the KGA's SignedData signature and cmKGA EKU, and that
//! the delivered private key belongs to the issued certificate.

use cmp_codec::body::CertOrEncCert;
use cmp_codec::crmf::EncryptedKey;
use cmp_codec::{PKIBody, PKIMessage, PKIStatus};
use cms::content_info::CmsVersion;
use cms::enveloped_data::{
    EnvelopedData, KeyAgreeRecipientIdentifier, KeyAgreeRecipientInfo, KeyTransRecipientInfo,
    OriginatorIdentifierOrKey, PasswordRecipientInfo, RecipientIdentifier, RecipientInfo,
};
use cms::signed_data::{SignedData, SignerIdentifier};
use der::asn1::OctetString;
use der::{Decode as _, Encode as _};
use sha2::Digest as _;
use spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};

use super::x509::{build_path, verify_signed, CertInfo, PathOutcome};
use super::{Config, Findings, OpState, ProtKind};
use crate::ckg_cms as kit;
use crate::client::keys::SigningKey;

/// A key the runner can open envelopes with: its certificate's subjectKeyIdentifier and the
/// private key.
#[derive(Clone, Debug)]
pub struct DecryptionKey {
    /// subjectKeyIdentifier of the certificate (the rid a ktri/kari names).
    pub ski: Vec<u8>,
    /// The private key.
    pub key: SigningKey,
}

/// Whether a certificate request asks for central key generation (CKG-03): no publicKey, or
/// only its algorithm with an empty BIT STRING.
pub fn is_ckg_request(req: &PKIMessage<'_>) -> bool {
    match &req.body {
        PKIBody::Ir(r) | PKIBody::Cr(r) | PKIBody::Kur(r) => {
            r.iter()
                .next()
                .is_some_and(|m| match &m.cert_req.cert_template.public_key {
                    None => true,
                    Some(k) => k.subject_public_key.as_bytes().is_empty(),
                })
        }
        _ => false,
    }
}

/// Which RecipientInfo a request calls for (CKG-12).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Technique {
    Pwri,
    Ktri,
    Kari,
}

impl Technique {
    fn name(self) -> &'static str {
        match self {
            Technique::Pwri => "pwri",
            Technique::Ktri => "ktri",
            Technique::Kari => "kari",
        }
    }
}

fn ri_technique(ri: &RecipientInfo) -> Option<Technique> {
    match ri {
        RecipientInfo::Ktri(_) => Some(Technique::Ktri),
        RecipientInfo::Kari(_) => Some(Technique::Kari),
        RecipientInfo::Pwri(_) => Some(Technique::Pwri),
        _ => None,
    }
}

/// The request signer's certificate (the first extraCerts entry of a signed request).
fn request_signer(req: &PKIMessage<'_>) -> Option<CertInfo> {
    req.extra_certs()
        .next()
        .and_then(|c| CertInfo::parse(c.der()).ok())
}

fn expected_technique(req: &PKIMessage<'_>) -> Option<Technique> {
    match ProtKind::of(req) {
        ProtKind::Mac => Some(Technique::Pwri),
        ProtKind::Signature => {
            let signer = request_signer(req)?;
            let spki = SubjectPublicKeyInfoOwned::from_der(&signer.spki).ok()?;
            match spki.algorithm.oid {
                kit::RSA_ENCRYPTION => Some(Technique::Ktri),
                kit::ID_EC_PUBLIC_KEY => Some(Technique::Kari),
                _ => None,
            }
        }
        ProtKind::None => None,
    }
}

/// The MAC salts of a message's protectionAlg (PasswordBasedMac or PBMAC1).
fn mac_salt(msg: &PKIMessage<'_>) -> Option<Vec<u8>> {
    let a = msg.header.protection_alg.as_ref()?;
    match cmp_codec::protection::MacAlgorithm::from_algorithm_identifier(a) {
        Ok(cmp_codec::protection::MacAlgorithm::Pbm { salt, .. })
        | Ok(cmp_codec::protection::MacAlgorithm::Pbmac1 { salt, .. }) => Some(salt.to_vec()),
        _ => None,
    }
}

fn find_key<'k>(cfg: &'k Config, ski: &[u8]) -> Option<&'k SigningKey> {
    cfg.ckg_keys.iter().find(|k| k.ski == ski).map(|k| &k.key)
}

fn hex(b: &[u8]) -> String {
    ::hex::encode(b)
}

/// Check the certificate response `rsp` to the central key generation request `req`.
pub fn check(
    out: &mut Findings,
    cfg: &Config,
    op: &OpState,
    req: Option<&PKIMessage<'_>>,
    rsp: &PKIMessage<'_>,
    now: i64,
    seen: &mut std::collections::HashSet<Vec<u8>>,
) {
    let Some(req) = req else { return };
    if !op.central_keygen || !matches!(req.body.name(), "ir" | "cr" | "kur" | "pollReq") {
        return;
    }
    let rep = match &rsp.body {
        PKIBody::Ip(r) | PKIBody::Cp(r) | PKIBody::Kup(r) => r,
        _ => return,
    };
    let Some(cr) = rep.response.iter().next() else {
        return;
    };
    if !matches!(
        cr.status.status,
        PKIStatus::ACCEPTED | PKIStatus::GRANTED_WITH_MODS
    ) {
        return;
    }
    if rsp.header.pvno != 3 {
        out.violation(
            "CKG-05",
            format!(
                "central key generation answered with pvno {}",
                rsp.header.pvno
            ),
        );
    }
    let Some(ckp) = &cr.certified_key_pair else {
        return;
    };
    let CertOrEncCert::Certificate(cert) = &ckp.cert_or_enc_cert else {
        return;
    };
    let Ok(cert) = CertInfo::parse(cert.der()) else {
        return;
    };
    let env_der = match &ckp.private_key {
        None => {
            out.violation(
                "CKG-06",
                "the certificate of a centrally generated key comes without privateKey",
            );
            return;
        }
        Some(EncryptedKey::EncryptedValue(_)) => {
            out.violation(
                "CKG-06",
                "privateKey is an EncryptedValue, not EnvelopedData",
            );
            return;
        }
        Some(EncryptedKey::EnvelopedData(seq)) => match asn1::write_single(seq) {
            Ok(d) => d,
            Err(_) => return,
        },
    };
    let ed = match EnvelopedData::from_der(&env_der) {
        Ok(e) => e,
        Err(e) => {
            out.violation("CKG-06", format!("privateKey is no CMS EnvelopedData: {e}"));
            return;
        }
    };
    // The request's own protection material: senderKID, MAC salt.
    let sender_kid = req.header.sender_kid.map(|k| k.to_vec());
    fresh_keys(out, &ed, seen);
    let opened = open_envelope(out, cfg, req, rsp, &ed, sender_kid.as_deref());
    let Some(content) = opened else { return };
    check_signed_data(out, cfg, rsp, &cert, &content, now);
}

/// CKG-15 (weak): no envelope of the run repeats the IV or an encrypted content-encryption
/// key of an earlier one.
fn fresh_keys(
    out: &mut Findings,
    ed: &EnvelopedData,
    seen: &mut std::collections::HashSet<Vec<u8>>,
) {
    let mut values: Vec<(&str, Vec<u8>)> = Vec::new();
    if let Some(iv) = ed
        .encrypted_content
        .content_enc_alg
        .parameters
        .as_ref()
        .and_then(|p| p.decode_as::<OctetString>().ok())
    {
        values.push(("IV", [b"iv:".as_slice(), iv.as_bytes()].concat()));
    }
    for ri in ed.recip_infos.0.iter() {
        let key = match ri {
            RecipientInfo::Ktri(k) => Some(k.enc_key.as_bytes()),
            RecipientInfo::Kari(k) => k.recipient_enc_keys.first().map(|r| r.enc_key.as_bytes()),
            RecipientInfo::Pwri(p) => Some(p.enc_key.as_bytes()),
            _ => None,
        };
        if let Some(k) = key {
            values.push(("encryptedKey", [b"key:".as_slice(), k].concat()));
        }
    }
    for (what, v) in values {
        if !seen.insert(v.clone()) {
            out.violation(
                "CKG-15",
                format!(
                    "the {what} {} of an earlier envelope in this run is used again",
                    hex(&v[v.iter().position(|b| *b == b':').map_or(0, |i| i + 1)..])
                ),
            );
        }
    }
    if seen.len() > 100_000 {
        seen.clear();
    }
}

/// Check the EnvelopedData fields and recover its content (None when it cannot be opened).
fn open_envelope(
    out: &mut Findings,
    cfg: &Config,
    req: &PKIMessage<'_>,
    rsp: &PKIMessage<'_>,
    ed: &EnvelopedData,
    sender_kid: Option<&[u8]>,
) -> Option<Vec<u8>> {
    if ed.originator_info.is_some() || ed.unprotected_attrs.is_some() {
        out.warn(
            "CKG-25",
            "EnvelopedData carries originatorInfo or unprotectedAttrs",
        );
    }
    let ris: Vec<&RecipientInfo> = ed.recip_infos.0.iter().collect();
    if ris.len() != 1 {
        out.violation(
            "CKG-17",
            format!("recipientInfos holds {} RecipientInfo", ris.len()),
        );
    }
    let expected = expected_technique(req);
    // The one the runner can use: the expected kind first.
    let ri = ris
        .iter()
        .find(|r| ri_technique(r) == expected)
        .or_else(|| ris.first())
        .copied()?;
    let technique = ri_technique(ri);
    if let (Some(want), got) = (expected, technique) {
        if got != Some(want) {
            out.violation(
                "CKG-12",
                format!(
                    "the request calls for {} but the RecipientInfo is {}",
                    want.name(),
                    got.map(Technique::name).unwrap_or("another kind")
                ),
            );
        }
    }
    let want_version = match technique {
        Some(Technique::Pwri) => CmsVersion::V0,
        _ => CmsVersion::V2,
    };
    if ed.version != want_version {
        out.violation(
            "CKG-16",
            format!(
                "EnvelopedData version {:?} with {}",
                ed.version,
                technique
                    .map(Technique::name)
                    .unwrap_or("this RecipientInfo")
            ),
        );
    }
    let eci = &ed.encrypted_content;
    if eci.content_type != kit::ID_SIGNED_DATA {
        out.violation(
            "CKG-18",
            format!(
                "encryptedContentInfo.contentType is {}, not id-signedData",
                eci.content_type
            ),
        );
    }
    if kit::cbc_key_len(&eci.content_enc_alg.oid).is_none() {
        out.violation(
            "CKG-18",
            format!(
                "contentEncryptionAlgorithm {} is not AES-CBC (PROT_SYM_ALG)",
                eci.content_enc_alg.oid
            ),
        );
        return None;
    }
    let cek = match ri {
        RecipientInfo::Pwri(p) => pwri_cek(out, cfg, req, rsp, p)?,
        RecipientInfo::Ktri(k) => ktri_cek(out, cfg, sender_kid, k)?,
        RecipientInfo::Kari(k) => kari_cek(out, cfg, sender_kid, k)?,
        _ => {
            out.violation("CKG-17", "the RecipientInfo is neither ktri, kari nor pwri");
            return None;
        }
    };
    let Some(ct) = &eci.encrypted_content else {
        out.violation("CKG-11", "encryptedContent is absent");
        return None;
    };
    match kit::cbc_decrypt(&eci.content_enc_alg, &cek, ct.as_bytes()) {
        Ok(c) => Some(c),
        Err(e) => {
            out.violation("CKG-11", format!("the content does not decrypt: {e}"));
            None
        }
    }
}

fn pwri_cek(
    out: &mut Findings,
    cfg: &Config,
    req: &PKIMessage<'_>,
    rsp: &PKIMessage<'_>,
    p: &PasswordRecipientInfo,
) -> Option<Vec<u8>> {
    if p.version != CmsVersion::V0 {
        out.violation("CKG-32", format!("pwri version {:?}", p.version));
    }
    let Some(kdf) = &p.key_derivation_alg else {
        out.violation("CKG-32", "pwri without keyDerivationAlgorithm");
        return None;
    };
    let params = match kit::pbkdf2_params(kdf) {
        Ok(p) => p,
        Err(e) => {
            out.violation("CKG-32", e);
            return None;
        }
    };
    let Some(len) = kit::wrap_key_len(&p.key_enc_alg.oid) else {
        out.violation(
            "CKG-32",
            format!(
                "pwri keyEncryptionAlgorithm {} is not an AES key wrap (KM_KW_ALG)",
                p.key_enc_alg.oid
            ),
        );
        return None;
    };
    let salt = params.salt.as_bytes();
    for (what, m) in [("request", req), ("response", rsp)] {
        if mac_salt(m).as_deref() == Some(salt) {
            out.violation(
                "CKG-31",
                format!(
                    "the pwri PBKDF2 salt {} is the salt of the {what}'s MAC protection",
                    hex(salt)
                ),
            );
        }
    }
    let Some(secret) = &cfg.mac_secret else {
        out.info(
            "CKG-11",
            "pwri, but the profile has no MAC secret to open it",
        );
        return None;
    };
    let kek = match kit::pbkdf2_derive(secret, &params, len) {
        Ok(k) => k,
        Err(e) => {
            out.violation("CKG-32", e);
            return None;
        }
    };
    match kit::aes_unwrap(&kek, p.enc_key.as_bytes()) {
        Ok(k) => Some(k),
        Err(e) => {
            out.violation("CKG-11", format!("pwri with the shared secret: {e}"));
            None
        }
    }
}

fn ktri_cek(
    out: &mut Findings,
    cfg: &Config,
    sender_kid: Option<&[u8]>,
    k: &KeyTransRecipientInfo,
) -> Option<Vec<u8>> {
    let rid = match &k.rid {
        RecipientIdentifier::SubjectKeyIdentifier(s) => Some(s.0.as_bytes().to_vec()),
        RecipientIdentifier::IssuerAndSerialNumber(_) => None,
    };
    match (&rid, k.version) {
        (Some(_), CmsVersion::V2) => {}
        (None, CmsVersion::V0) => out.warn(
            "CKG-27",
            "ktri version 0 with issuerAndSerialNumber (CMS's choice, not the profile's)",
        ),
        (_, v) => out.violation("CKG-27", format!("ktri version {v:?}")),
    }
    if let (Some(r), Some(kid)) = (&rid, sender_kid) {
        if r.as_slice() != kid {
            out.violation(
                "CKG-27",
                format!(
                    "ktri rid {} is not the request's senderKID {}",
                    hex(r),
                    hex(kid)
                ),
            );
        }
    }
    if ![kit::RSA_ENCRYPTION, kit::ID_RSAES_OAEP].contains(&k.key_enc_alg.oid) {
        out.violation(
            "CKG-27",
            format!(
                "ktri keyEncryptionAlgorithm {} is not RSA (KM_KT_ALG)",
                k.key_enc_alg.oid
            ),
        );
        return None;
    }
    let ski = rid.or_else(|| sender_kid.map(<[u8]>::to_vec))?;
    let Some(SigningKey::Rsa(key)) = find_key(cfg, &ski) else {
        out.info(
            "CKG-11",
            format!(
                "no RSA key of the profile has subjectKeyIdentifier {}",
                hex(&ski)
            ),
        );
        return None;
    };
    let r = if k.key_enc_alg.oid == kit::RSA_ENCRYPTION {
        key.decrypt(rsa::Pkcs1v15Encrypt, k.enc_key.as_bytes())
    } else {
        key.decrypt(rsa::Oaep::<sha1::Sha1>::new(), k.enc_key.as_bytes())
    };
    match r {
        Ok(cek) => Some(cek),
        Err(e) => {
            out.violation("CKG-11", format!("ktri does not decrypt: {e}"));
            None
        }
    }
}

fn kari_cek(
    out: &mut Findings,
    cfg: &Config,
    sender_kid: Option<&[u8]>,
    k: &KeyAgreeRecipientInfo,
) -> Option<Vec<u8>> {
    if k.version != CmsVersion::V3 {
        out.violation("CKG-29", format!("kari version {:?}", k.version));
    }
    if k.ukm.is_none() {
        out.warn("CKG-30", "the kari carries no ukm");
    }
    let eph = match &k.originator {
        OriginatorIdentifierOrKey::OriginatorKey(pk) => {
            // RFC 9481 4.1.2 makes ECDH ephemeral-static, whose originator is this key; the
            // profile's text asks for the SKI (see the matrix row): reported, not failed.
            out.warn(
                "CKG-29",
                "originator is an originatorKey (ephemeral-static ECDH), not a subjectKeyIdentifier",
            );
            pk.clone()
        }
        _ => {
            out.info(
                "CKG-29",
                "originator names a static key (static-static ECDH is not allowed by RFC 9481 4.1.2)",
            );
            return None;
        }
    };
    let kdf = k.key_enc_alg.oid;
    if ![
        kit::DH_STD_SHA256_KDF,
        kit::DH_STD_SHA384_KDF,
        kit::DH_STD_SHA512_KDF,
    ]
    .contains(&kdf)
    {
        out.violation(
            "CKG-29",
            format!("kari keyEncryptionAlgorithm {kdf} is not a supported ECDH KM_KA_ALG"),
        );
        return None;
    }
    let wrap = k
        .key_enc_alg
        .parameters
        .as_ref()
        .and_then(|p| p.to_der().ok())
        .and_then(|d| AlgorithmIdentifierOwned::from_der(&d).ok());
    let Some(wrap) = wrap.filter(|w| kit::wrap_key_len(&w.oid).is_some()) else {
        out.violation(
            "CKG-29",
            "the key agreement algorithm's parameters name no AES key wrap (KM_KW_ALG)",
        );
        return None;
    };
    if k.recipient_enc_keys.len() != 1 {
        out.violation(
            "CKG-29",
            format!(
                "recipientEncryptedKeys holds {} entries",
                k.recipient_enc_keys.len()
            ),
        );
    }
    let rek = k.recipient_enc_keys.first()?;
    let rid = match &rek.rid {
        KeyAgreeRecipientIdentifier::RKeyId(r) => {
            Some(r.subject_key_identifier.0.as_bytes().to_vec())
        }
        KeyAgreeRecipientIdentifier::IssuerAndSerialNumber(_) => None,
    };
    if let (Some(r), Some(kid)) = (&rid, sender_kid) {
        if r.as_slice() != kid {
            out.violation(
                "CKG-29",
                format!(
                    "kari rid {} is not the request's senderKID {}",
                    hex(r),
                    hex(kid)
                ),
            );
        }
    }
    let ski = rid.or_else(|| sender_kid.map(<[u8]>::to_vec))?;
    let Some(SigningKey::EcP256(key)) = find_key(cfg, &ski) else {
        out.info(
            "CKG-11",
            format!(
                "no P-256 key of the profile has subjectKeyIdentifier {}",
                hex(&ski)
            ),
        );
        return None;
    };
    let eph_spki = SubjectPublicKeyInfoOwned {
        algorithm: eph.algorithm.clone(),
        subject_public_key: eph.public_key.clone(),
    };
    let eph_pub = eph_spki.to_der().ok().and_then(|d| {
        use p256::pkcs8::DecodePublicKey as _;
        p256::PublicKey::from_public_key_der(&d).ok()
    });
    let Some(eph_pub) = eph_pub else {
        out.violation("CKG-11", "the originatorKey is no P-256 public key");
        return None;
    };
    let shared = p256::ecdh::diffie_hellman(key.as_nonzero_scalar(), eph_pub.as_affine());
    let kek = match kit::x963_kek(
        &kdf,
        shared.raw_secret_bytes().as_slice(),
        wrap.oid,
        k.ukm.as_ref().map(OctetString::as_bytes),
    ) {
        Ok(k) => k,
        Err(e) => {
            out.violation("CKG-29", e);
            return None;
        }
    };
    match kit::aes_unwrap(&kek, rek.enc_key.as_bytes()) {
        Ok(c) => Some(c),
        Err(e) => {
            out.violation("CKG-11", format!("kari: {e}"));
            None
        }
    }
}

fn attr_values(
    attrs: &x509_cert::attr::Attributes,
    oid: der::oid::ObjectIdentifier,
) -> Vec<&der::Any> {
    attrs
        .iter()
        .filter(|a| a.oid == oid)
        .flat_map(|a| a.values.iter())
        .collect()
}

/// Check the decrypted SignedData and the key package in it.
fn check_signed_data(
    out: &mut Findings,
    cfg: &Config,
    rsp: &PKIMessage<'_>,
    issued: &CertInfo,
    content: &[u8],
    now: i64,
) {
    let sd = match SignedData::from_der(content) {
        Ok(s) => s,
        Err(e) => {
            out.violation(
                "CKG-08",
                format!("the decrypted content is no SignedData: {e}"),
            );
            return;
        }
    };
    if sd.crls.is_some() {
        out.warn("CKG-25", "SignedData carries crls");
    }
    if sd.version != CmsVersion::V3 || sd.digest_algorithms.len() != 1 {
        out.violation(
            "CKG-19",
            format!(
                "SignedData version {:?} with {} digestAlgorithms",
                sd.version,
                sd.digest_algorithms.len()
            ),
        );
    }
    let infos: Vec<_> = sd.signer_infos.0.iter().collect();
    if infos.len() != 1 {
        out.violation(
            "CKG-22",
            format!("signerInfos holds {} SignerInfo", infos.len()),
        );
    }
    let Some(si) = infos.first() else { return };
    let sid = match &si.sid {
        SignerIdentifier::SubjectKeyIdentifier(s) => Some(s.0.as_bytes().to_vec()),
        SignerIdentifier::IssuerAndSerialNumber(_) => None,
    };
    if si.version != CmsVersion::V3 || sid.is_none() {
        out.violation(
            "CKG-22",
            format!(
                "SignerInfo version {:?}, sid {}",
                si.version,
                if sid.is_some() {
                    "subjectKeyIdentifier"
                } else {
                    "issuerAndSerialNumber"
                }
            ),
        );
    }
    if sd.digest_algorithms.iter().next().map(|a| a.oid) != Some(si.digest_alg.oid) {
        out.violation(
            "CKG-22",
            "the SignerInfo digestAlgorithm is not the one in digestAlgorithms",
        );
    }
    if si.unsigned_attrs.is_some() {
        out.warn("CKG-25", "the SignerInfo carries unsignedAttrs");
    }
    // The KGA certificate: the one the sid names, among SignedData.certificates.
    let certs: Vec<CertInfo> = sd
        .certificates
        .iter()
        .flat_map(|s| s.0.iter())
        .filter_map(|c| match c {
            cms::cert::CertificateChoices::Certificate(c) => c.to_der().ok(),
            _ => None,
        })
        .filter_map(|d| CertInfo::parse(&d).ok())
        .collect();
    let kga = certs.iter().find(|c| match (&sid, &si.sid) {
        (Some(s), _) => c.ski.as_deref() == Some(s.as_slice()),
        (None, SignerIdentifier::IssuerAndSerialNumber(ias)) => {
            ias.serial_number.as_bytes() == c.serial.as_slice()
                && ias.issuer.to_der().ok().as_deref() == Some(c.issuer.as_slice())
        }
        _ => false,
    });
    let Some(kga) = kga else {
        out.violation(
            "CKG-21",
            format!(
                "SignedData.certificates ({} certificates) does not hold the signer's certificate",
                certs.len()
            ),
        );
        return;
    };
    // CKG-09/10: the KGA certificate must validate to a trust anchor when the answer is
    // signed; under MAC the EE may rely on the shared secret instead. Self-signed
    // certificates in the SignedData are never trusted for being there.
    let pool: Vec<CertInfo> = certs
        .iter()
        .filter(|c| !c.is_self_issued())
        .chain(cfg.untrusted.iter())
        .cloned()
        .collect();
    let at = cfg.verify_at.unwrap_or(now);
    if let PathOutcome::Untrusted(why) = build_path(kga, &pool, &cfg.anchors, at) {
        let seen = format!(
            "the KGA certificate {} does not validate to a trust anchor: {why}",
            kga.subject_text()
        );
        match ProtKind::of(rsp) {
            ProtKind::Signature => out.violation("CKG-09", seen),
            _ => out.info("CKG-10", seen),
        }
    }
    if !kga.eku.iter().any(|e| e == &kit::ID_KP_CM_KGA.to_string()) {
        out.violation(
            "CKG-01",
            format!(
                "the SignedData signer {} has no id-kp-cmKGA extendedKeyUsage",
                kga.subject_text()
            ),
        );
    }
    // Signed attributes and signature.
    let econtent = sd
        .encap_content_info
        .econtent
        .as_ref()
        .and_then(|a| a.decode_as::<OctetString>().ok());
    match &si.signed_attrs {
        None => out.violation("CKG-23", "the SignerInfo has no signedAttrs"),
        Some(attrs) => {
            let ct = attr_values(attrs, kit::ID_CONTENT_TYPE);
            let ct_ok = ct.len() == 1
                && ct[0].decode_as::<der::oid::ObjectIdentifier>().ok()
                    == Some(kit::ID_CT_KP_A_KEY_PACKAGE);
            if !ct_ok {
                out.violation(
                    "CKG-23",
                    "signedAttrs lack a contentType of id-ct-KP-aKeyPackage",
                );
            }
            let md = attr_values(attrs, kit::ID_MESSAGE_DIGEST);
            let want = econtent.as_ref().map(|e| {
                let b = e.as_bytes();
                match si.digest_alg.oid {
                    kit::ID_SHA384 => sha2::Sha384::digest(b).to_vec(),
                    kit::ID_SHA512 => sha2::Sha512::digest(b).to_vec(),
                    _ => sha2::Sha256::digest(b).to_vec(),
                }
            });
            let got = md
                .first()
                .and_then(|v| v.decode_as::<OctetString>().ok())
                .map(|o| o.as_bytes().to_vec());
            if md.len() != 1 || got.is_none() || got != want {
                out.violation(
                    "CKG-23",
                    "signedAttrs lack a messageDigest equal to the digest of eContent",
                );
            }
            let alg_der = si.signature_algorithm.to_der().unwrap_or_default();
            let tbs = attrs.to_der().unwrap_or_default();
            if !verify_signed(&tbs, &alg_der, si.signature.as_bytes(), &kga.spki) {
                out.violation(
                    "CKG-24",
                    format!(
                        "the SignedData signature ({}) does not verify with {}'s key",
                        si.signature_algorithm.oid,
                        kga.subject_text()
                    ),
                );
            }
        }
    }
    // The key package.
    if sd.encap_content_info.econtent_type != kit::ID_CT_KP_A_KEY_PACKAGE {
        out.violation(
            "CKG-20",
            format!(
                "eContentType {} is not id-ct-KP-aKeyPackage",
                sd.encap_content_info.econtent_type
            ),
        );
    }
    let Some(econtent) = econtent else {
        out.violation("CKG-07", "the SignedData has no eContent");
        return;
    };
    check_key_package(out, issued, econtent.as_bytes());
}

fn check_key_package(out: &mut Findings, issued: &CertInfo, akp: &[u8]) {
    let keys = match Vec::<pkcs8::PrivateKeyInfoOwned>::from_der(akp) {
        Ok(k) => k,
        Err(e) => {
            out.violation(
                "CKG-07",
                format!("eContent is no AsymmetricKeyPackage: {e}"),
            );
            return;
        }
    };
    if keys.len() != 1 {
        out.violation(
            "CKG-20",
            format!("the AsymmetricKeyPackage holds {} keys", keys.len()),
        );
    }
    let Some(oak) = keys.first() else { return };
    let Some(public) = &oak.public_key else {
        out.violation(
            "CKG-20",
            "the OneAsymmetricKey is version 1 (v1) without publicKey",
        );
        return;
    };
    let Ok(cert_spki) = SubjectPublicKeyInfoOwned::from_der(&issued.spki) else {
        return;
    };
    if public.raw_bytes() != cert_spki.subject_public_key.raw_bytes()
        || oak.algorithm.oid != cert_spki.algorithm.oid
    {
        out.violation(
            "CKG-20",
            "the package's publicKey is not the issued certificate's key",
        );
    }
    // The private key must belong to that public key.
    let derived: Option<Vec<u8>> = match oak.algorithm.oid {
        kit::ID_EC_PUBLIC_KEY => p256::SecretKey::from_sec1_der(oak.private_key.as_bytes())
            .ok()
            .map(|k| {
                use p256::elliptic_curve::sec1::ToSec1Point as _;
                k.public_key().to_sec1_point(false).as_bytes().to_vec()
            }),
        kit::RSA_ENCRYPTION => {
            use rsa::pkcs1::DecodeRsaPrivateKey as _;
            use rsa::pkcs8::EncodePublicKey as _;
            rsa::PrivateKey::from_pkcs1_der(oak.private_key.as_bytes())
                .ok()
                .and_then(|k| k.to_public_key().to_public_key_der().ok())
                .and_then(|d| SubjectPublicKeyInfoOwned::from_der(d.as_bytes()).ok())
                .map(|s| s.subject_public_key.raw_bytes().to_vec())
        }
        _ => None,
    };
    match derived {
        None => out.violation(
            "CKG-20",
            format!("the private key ({}) does not decode", oak.algorithm.oid),
        ),
        Some(p) if p != cert_spki.subject_public_key.raw_bytes() => out.violation(
            "CKG-20",
            "the private key does not belong to the issued certificate's public key",
        ),
        Some(_) => {}
    }
}
