//! The `structured` target: build an arbitrary message with [`cmp_codec::builder`] (every body
//! alternative, every `InfoTypeAndValue`, CRMF controls and POPs, ...) from the fuzzer's bytes,
//! then check that it encodes, parses back to an equal value, and re-encodes to the same DER.
//!
//! Values borrow from the input or from a [`Bump`] arena (for the DER of opaque parts and of
//! nested messages), as the codec's types borrow everything.

use arbitrary::{Arbitrary, Result, Unstructured};
use bumpalo::Bump;
use cmp_codec::asn1;
use cmp_codec::body::{
    CAKeyUpdAnnContent, CAKeyUpdContent, CertOrEncCert, CertRepMessage, CertResponse, CertStatus,
    CertifiedKeyPair, Challenge, KeyRecRepContent, PollRep, RevAnnContent,
};
use cmp_codec::builder::{self, MessageBuilder};
use cmp_codec::common::{
    CertId, DistributionPointName, Extension, Extensions, PKIFreeText, RelativeDistinguishedName,
    SubjectPublicKeyInfo, Time,
};
use cmp_codec::crmf::{
    AuthInfo, CertReqMsg, CertRequest, CertTemplate, Control, ControlValue, Controls, EncryptedKey,
    EncryptedValue, OptionalValidity, PKIArchiveOptions, PKIPublicationInfo, PKMACValue,
    POPOPrivKey, POPOSigningKey, POPOSigningKeyInput, ProofOfPossession, RegInfo, RegInfoValue,
    SinglePubInfo,
};
use cmp_codec::itav::{
    CRLSource, CRLStatus, CertReqTemplateContent, InfoTypeAndValue, InfoValue, KemCiphertextInfo,
    PKIMessages, RootCaKeyUpdateContent,
};
use cmp_codec::raw::{Certificate, CertificateList, CertificationRequest, Name, RawMessage};
use cmp_codec::status::{PKIFailureInfo, PKIStatus, PKIStatusInfo};
use cmp_codec::time::GeneralizedTime;
use cmp_codec::{oid, AlgorithmIdentifier, GeneralName, PKIBody, PKIMessage, SeqOf};

/// How deep `nested` / `origPKIMessage` go in generated messages (the codec allows 8).
const MAX_GEN_DEPTH: usize = 2;
/// Upper bound on the elements of any generated `SEQUENCE OF`.
const MAX_ELEMS: usize = 3;

pub fn structured(data: &[u8]) {
    let bump = Bump::new();
    let mut u = Unstructured::new(data);
    let g = Gen { bump: &bump };
    if let Ok(msg) = g.message(&mut u, 0) {
        check_built(&msg);
    }
}

/// The property: a built message encodes, parses to an equal value, re-encodes to the same
/// DER, and its typed `ProtectedPart` equals the received one.
pub fn check_built(msg: &PKIMessage<'_>) {
    let der = msg.encode();
    let parsed = PKIMessage::parse(&der)
        .unwrap_or_else(|e| panic!("a built message does not parse: {e}\nbuilt: {msg:?}"));
    assert!(
        parsed == *msg,
        "parsed value differs from the built one\nbuilt:  {msg:?}\nparsed: {parsed:?}"
    );
    assert!(
        parsed.encode() == der,
        "re-encoding the parsed message changed the DER"
    );
    assert_eq!(
        msg.encode_protected_part(),
        parsed.protected_part().expect("parsed").to_vec()
    );
}

/// Known OIDs the generator picks from (so the typed `DEFINED BY` arms are reached) besides
/// private ones under 1.3.6.1.4.1.99999 that no table of the codec knows.
const ALG_OIDS: &[asn1::ObjectIdentifier] = &[
    oid::ID_PASSWORD_BASED_MAC,
    oid::ID_PBMAC1,
    oid::ID_DH_BASED_MAC,
    oid::ID_KEM_BASED_MAC,
    oid::ID_SHA256,
    oid::ID_HMAC_WITH_SHA256,
    oid::SHA256_WITH_RSA,
    oid::RSA_ENCRYPTION,
    oid::ECDSA_WITH_SHA256,
    oid::EC_PUBLIC_KEY,
    oid::ID_ED25519,
    oid::ID_ML_DSA_44,
    oid::ID_ML_KEM_768,
];

struct Gen<'x> {
    bump: &'x Bump,
}

impl<'x> Gen<'x> {
    // ---- primitives -------------------------------------------------------------------

    fn count(&self, u: &mut Unstructured<'x>, min: usize) -> Result<usize> {
        u.int_in_range(min..=MAX_ELEMS)
    }

    fn bytes(&self, u: &mut Unstructured<'x>, max: usize) -> Result<&'x [u8]> {
        let n = u.int_in_range(0..=max)?;
        u.bytes(n.min(u.len()))
    }

    fn i64(&self, u: &mut Unstructured<'x>) -> Result<i64> {
        // Mostly small values (certReqId 0, -1, statuses), sometimes extremes.
        Ok(match u.int_in_range(0..=3u8)? {
            0 => u.int_in_range(-1..=3)?,
            1 => i64::arbitrary(u)?,
            2 => *u.choose(&[i64::MIN, i64::MAX, 127, 128, -128, -129, 255, 256])?,
            _ => u.int_in_range(0..=100_000)?,
        })
    }

    fn tlv_der(&self, tag: u8, content: &[u8]) -> &'x [u8] {
        self.bump
            .alloc_slice_copy(&cmp_codec::der::tlv(tag, content))
    }

    /// Contents made of whole TLVs (OCTET STRINGs), for opaque SEQUENCEs and SETs.
    fn tlv_contents(&self, u: &mut Unstructured<'x>) -> Result<&'x [u8]> {
        let mut v = Vec::new();
        for _ in 0..self.count(u, 0)? {
            let b = self.bytes(u, 12)?;
            v.extend_from_slice(self.tlv_der(0x04, b));
        }
        Ok(self.bump.alloc_slice_copy(&v))
    }

    fn opaque_seq(&self, u: &mut Unstructured<'x>) -> Result<&'x [u8]> {
        // Opaque parts are only checked to be a SEQUENCE: any content goes.
        let content = if bool::arbitrary(u)? {
            self.bytes(u, 40)?
        } else {
            self.tlv_contents(u)?
        };
        Ok(self.tlv_der(0x30, content))
    }

    fn certificate(&self, u: &mut Unstructured<'x>) -> Result<Certificate<'x>> {
        Ok(Certificate::from_der(self.opaque_seq(u)?).expect("a SEQUENCE"))
    }

    fn crl(&self, u: &mut Unstructured<'x>) -> Result<CertificateList<'x>> {
        Ok(CertificateList::from_der(self.opaque_seq(u)?).expect("a SEQUENCE"))
    }

    fn name(&self, u: &mut Unstructured<'x>) -> Result<Name<'x>> {
        Ok(Name::from_der(self.opaque_seq(u)?).expect("a SEQUENCE"))
    }

    fn sequence(&self, u: &mut Unstructured<'x>) -> Result<asn1::Sequence<'x>> {
        let der = self.tlv_der(0x30, self.tlv_contents(u)?);
        Ok(asn1::parse_single(der).expect("a SEQUENCE"))
    }

    fn any_tlv(&self, u: &mut Unstructured<'x>) -> Result<asn1::Tlv<'x>> {
        let der = match u.int_in_range(0..=3u8)? {
            0 => self.tlv_der(0x05, &[]),
            1 => self.tlv_der(0x04, self.bytes(u, 16)?),
            2 => self.tlv_der(0x02, &[u8::arbitrary(u)? & 0x7f]),
            _ => self.tlv_der(0x30, self.tlv_contents(u)?),
        };
        Ok(asn1::parse_single(der).expect("a TLV"))
    }

    fn private_oid(&self, u: &mut Unstructured<'x>) -> Result<asn1::ObjectIdentifier> {
        let (a, b) = (u32::arbitrary(u)?, u16::arbitrary(u)?);
        Ok(
            asn1::ObjectIdentifier::from_string(&format!("1.3.6.1.4.1.99999.{a}.{b}"))
                .expect("a valid OID"),
        )
    }

    fn alg_oid(&self, u: &mut Unstructured<'x>) -> Result<asn1::ObjectIdentifier> {
        if bool::arbitrary(u)? {
            Ok(u.choose(ALG_OIDS)?.clone())
        } else {
            self.private_oid(u)
        }
    }

    /// An OID as the codec's borrowed `Oid`: a known one, or content octets from the input
    /// when they form a valid OID.
    fn oid(&self, u: &mut Unstructured<'x>) -> Result<cmp_codec::Oid<'x>> {
        let known = cmp_codec::Oid::from(u.choose(ALG_OIDS)?);
        if bool::arbitrary(u)? {
            Ok(known)
        } else {
            let len = u.int_in_range(1..=12)?;
            Ok(cmp_codec::Oid::from_der(u.bytes(len)?).unwrap_or(known))
        }
    }

    fn alg(&self, u: &mut Unstructured<'x>) -> Result<AlgorithmIdentifier<'x>> {
        Ok(AlgorithmIdentifier {
            algorithm: self.oid(u)?,
            parameters: if bool::arbitrary(u)? {
                Some(self.any_tlv(u)?)
            } else {
                None
            },
        })
    }

    fn bigint(&self, u: &mut Unstructured<'x>) -> Result<asn1::BigInt<'x>> {
        let b = self.bytes(u, 9)?;
        Ok(asn1::BigInt::new(b).unwrap_or(asn1::BigInt::new(&[1]).expect("minimal")))
    }

    fn bit_string(&self, u: &mut Unstructured<'x>) -> Result<asn1::BitString<'x>> {
        let b = self.bytes(u, 24)?;
        if b.is_empty() {
            return Ok(asn1::BitString::new(&[], 0).expect("empty"));
        }
        let padding = u.int_in_range(0..=7u8)?;
        let copy = self.bump.alloc_slice_copy(b);
        let last = copy.len() - 1;
        copy[last] &= 0xffu8 << padding; // DER: unused bits are zero
        Ok(asn1::BitString::new(copy, padding).expect("zero padding bits"))
    }

    fn utf8(&self, u: &mut Unstructured<'x>) -> Result<asn1::Utf8String<'x>> {
        let s = <&str>::arbitrary(u)?;
        Ok(asn1::Utf8String::new(
            &s[..s.floor_char_boundary_compat(24)],
        ))
    }

    fn ia5(&self, u: &mut Unstructured<'x>) -> Result<asn1::IA5String<'x>> {
        let b: Vec<u8> = self.bytes(u, 20)?.iter().map(|c| c & 0x7f).collect();
        let s = self
            .bump
            .alloc_str(core::str::from_utf8(&b).expect("ASCII is UTF-8"));
        Ok(asn1::IA5String::new(s).expect("ASCII"))
    }

    fn free_text(&self, u: &mut Unstructured<'x>) -> Result<PKIFreeText<'x>> {
        let mut lines = Vec::new();
        for _ in 0..self.count(u, 1)? {
            lines.push(self.utf8(u)?);
        }
        Ok(SeqOf::new(lines))
    }

    fn gtime(&self, u: &mut Unstructured<'x>) -> Result<GeneralizedTime<'x>> {
        // Years 0000..9999.
        let secs = u.int_in_range(-62_167_219_200i64..=253_402_300_799)?;
        Ok(GeneralizedTime::from_unix_seconds(secs)
            .unwrap_or(GeneralizedTime::from_unix_seconds(0).expect("epoch")))
    }

    fn time(&self, u: &mut Unstructured<'x>) -> Result<Time> {
        let utc = bool::arbitrary(u)?;
        let year = if utc {
            u.int_in_range(1950..=2049)?
        } else {
            u.int_in_range(0..=9999)?
        };
        let dt = asn1::DateTime::new(
            year,
            u.int_in_range(1..=12)?,
            u.int_in_range(1..=28)?,
            u.int_in_range(0..=23)?,
            u.int_in_range(0..=59)?,
            u.int_in_range(0..=59)?,
        )
        .expect("a valid date");
        Ok(if utc {
            Time::UtcTime(asn1::UtcTime::new(dt).expect("1950..2049"))
        } else {
            Time::GeneralTime(asn1::X509GeneralizedTime::new(dt).expect("any year"))
        })
    }

    fn general_name(&self, u: &mut Unstructured<'x>) -> Result<GeneralName<'x>> {
        Ok(match u.int_in_range(0..=8u8)? {
            0 => GeneralName::OtherName(self.sequence(u)?),
            1 => GeneralName::Rfc822Name(self.ia5(u)?),
            2 => GeneralName::DnsName(self.ia5(u)?),
            3 => GeneralName::X400Address(self.sequence(u)?),
            4 => GeneralName::DirectoryName(self.name(u)?),
            5 => GeneralName::EdiPartyName(self.sequence(u)?),
            6 => GeneralName::UniformResourceIdentifier(self.ia5(u)?),
            7 => GeneralName::IpAddress(self.bytes(u, 16)?),
            _ => GeneralName::RegisteredId(self.oid(u)?),
        })
    }

    fn general_names(&self, u: &mut Unstructured<'x>) -> Result<SeqOf<'x, GeneralName<'x>, 1>> {
        let mut v = Vec::new();
        for _ in 0..self.count(u, 1)? {
            v.push(self.general_name(u)?);
        }
        Ok(SeqOf::new(v))
    }

    fn opt<T>(
        &self,
        u: &mut Unstructured<'x>,
        f: impl FnOnce(&Self, &mut Unstructured<'x>) -> Result<T>,
    ) -> Result<Option<T>> {
        if bool::arbitrary(u)? {
            Ok(Some(f(self, u)?))
        } else {
            Ok(None)
        }
    }

    fn seq_of<T, const MIN: usize>(
        &self,
        u: &mut Unstructured<'x>,
        f: impl Fn(&Self, &mut Unstructured<'x>) -> Result<T>,
    ) -> Result<SeqOf<'x, T, MIN>>
    where
        T: asn1::Asn1Readable<'x> + Clone + 'x,
    {
        let mut v = Vec::new();
        for _ in 0..self.count(u, MIN)? {
            v.push(f(self, u)?);
        }
        Ok(SeqOf::new(v))
    }

    // ---- PKIX and CRMF ----------------------------------------------------------------

    fn spki(&self, u: &mut Unstructured<'x>) -> Result<SubjectPublicKeyInfo<'x>> {
        Ok(SubjectPublicKeyInfo {
            algorithm: self.alg(u)?,
            subject_public_key: self.bit_string(u)?,
        })
    }

    fn extensions(&self, u: &mut Unstructured<'x>) -> Result<Extensions<'x>> {
        self.seq_of(u, |g, u| {
            Ok(Extension {
                extn_id: g.oid(u)?,
                critical: bool::arbitrary(u)?,
                extn_value: g.bytes(u, 16)?,
            })
        })
    }

    fn status_info(&self, u: &mut Unstructured<'x>) -> Result<PKIStatusInfo<'x>> {
        Ok(PKIStatusInfo {
            status: PKIStatus(self.i64(u)?),
            status_string: self.opt(u, Self::free_text)?,
            fail_info: self.opt(u, |_, u| Ok(PKIFailureInfo::Built(u32::arbitrary(u)?)))?,
        })
    }

    fn cert_id(&self, u: &mut Unstructured<'x>) -> Result<CertId<'x>> {
        Ok(CertId {
            issuer: self.general_name(u)?,
            serial_number: self.bigint(u)?,
        })
    }

    fn template(&self, u: &mut Unstructured<'x>) -> Result<CertTemplate<'x>> {
        Ok(CertTemplate {
            version: self.opt(u, |g, u| g.i64(u))?,
            serial_number: self.opt(u, Self::bigint)?,
            signing_alg: self.opt(u, Self::alg)?,
            issuer: self.opt(u, Self::name)?,
            validity: self.opt(u, |g, u| {
                Ok(OptionalValidity {
                    not_before: g.opt(u, Self::time)?,
                    not_after: g.opt(u, Self::time)?,
                })
            })?,
            subject: self.opt(u, Self::name)?,
            public_key: self.opt(u, Self::spki)?,
            issuer_uid: self.opt(u, Self::bit_string)?,
            subject_uid: self.opt(u, Self::bit_string)?,
            extensions: self.opt(u, Self::extensions)?,
        })
    }

    fn pkmac(&self, u: &mut Unstructured<'x>) -> Result<PKMACValue<'x>> {
        Ok(PKMACValue {
            alg_id: self.alg(u)?,
            value: self.bit_string(u)?,
        })
    }

    fn encrypted_key(&self, u: &mut Unstructured<'x>) -> Result<EncryptedKey<'x>> {
        Ok(if bool::arbitrary(u)? {
            EncryptedKey::EncryptedValue(EncryptedValue {
                intended_alg: self.opt(u, Self::alg)?,
                symm_alg: self.opt(u, Self::alg)?,
                enc_symm_key: self.opt(u, Self::bit_string)?,
                key_alg: self.opt(u, Self::alg)?,
                value_hint: self.opt(u, |g, u| g.bytes(u, 8))?,
                enc_value: self.bit_string(u)?,
            })
        } else {
            EncryptedKey::EnvelopedData(self.sequence(u)?)
        })
    }

    fn publication_info(&self, u: &mut Unstructured<'x>) -> Result<PKIPublicationInfo<'x>> {
        Ok(PKIPublicationInfo {
            action: self.i64(u)?,
            pub_infos: self.opt(u, |g, u| {
                g.seq_of(u, |g, u| {
                    Ok(SinglePubInfo {
                        pub_method: g.i64(u)?,
                        pub_location: g.opt(u, Self::general_name)?,
                    })
                })
            })?,
        })
    }

    fn controls(&self, u: &mut Unstructured<'x>) -> Result<Controls<'x>> {
        self.seq_of(u, |g, u| {
            let value = match u.int_in_range(0..=9u8)? {
                0 => ControlValue::RegToken(g.utf8(u)?),
                1 => ControlValue::Authenticator(g.utf8(u)?),
                2 => ControlValue::PkiPublicationInfo(g.publication_info(u)?),
                3 => ControlValue::PkiArchiveOptions(match u.int_in_range(0..=2u8)? {
                    0 => PKIArchiveOptions::EncryptedPrivKey(g.encrypted_key(u)?),
                    1 => PKIArchiveOptions::KeyGenParameters(g.bytes(u, 8)?),
                    _ => PKIArchiveOptions::ArchiveRemGenPrivKey(bool::arbitrary(u)?),
                }),
                4 => ControlValue::OldCertId(g.cert_id(u)?),
                5 => ControlValue::ProtocolEncrKey(g.spki(u)?),
                6 => ControlValue::AltCertTemplate(g.any_tlv(u)?),
                7 => ControlValue::AlgId(g.alg(u)?),
                8 => ControlValue::RsaKeyLen(g.i64(u)?),
                _ => ControlValue::Other(g.private_oid(u)?, g.any_tlv(u)?),
            };
            Ok(Control::new(value))
        })
    }

    fn cert_request(&self, u: &mut Unstructured<'x>) -> Result<CertRequest<'x>> {
        Ok(CertRequest {
            cert_req_id: self.i64(u)?,
            cert_template: self.template(u)?,
            controls: self.opt(u, Self::controls)?,
        })
    }

    fn popo_priv_key(&self, u: &mut Unstructured<'x>) -> Result<POPOPrivKey<'x>> {
        Ok(match u.int_in_range(0..=4u8)? {
            0 => POPOPrivKey::ThisMessage(self.bit_string(u)?),
            1 => POPOPrivKey::SubsequentMessage(self.i64(u)?),
            2 => POPOPrivKey::DhMac(self.bit_string(u)?),
            3 => POPOPrivKey::AgreeMac(self.pkmac(u)?),
            _ => POPOPrivKey::EncryptedKey(self.sequence(u)?),
        })
    }

    fn popo(&self, u: &mut Unstructured<'x>) -> Result<ProofOfPossession<'x>> {
        Ok(match u.int_in_range(0..=3u8)? {
            0 => ProofOfPossession::RaVerified(()),
            1 => ProofOfPossession::Signature(POPOSigningKey {
                poposk_input: self.opt(u, |g, u| {
                    Ok(POPOSigningKeyInput {
                        auth_info: if bool::arbitrary(u)? {
                            AuthInfo::Sender(g.general_name(u)?)
                        } else {
                            AuthInfo::PublicKeyMac(g.pkmac(u)?)
                        },
                        public_key: g.spki(u)?,
                    })
                })?,
                algorithm_identifier: self.alg(u)?,
                signature: self.bit_string(u)?,
            }),
            2 => ProofOfPossession::KeyEncipherment(self.popo_priv_key(u)?),
            _ => ProofOfPossession::KeyAgreement(self.popo_priv_key(u)?),
        })
    }

    fn cert_req_msg(&self, u: &mut Unstructured<'x>) -> Result<CertReqMsg<'x>> {
        let mut msg = builder::cert_req_msg(self.i64(u)?, self.template(u)?);
        msg.cert_req.controls = self.opt(u, Self::controls)?;
        if bool::arbitrary(u)? {
            msg = builder::with_popo(msg, self.popo(u)?);
        }
        msg.reg_info = self.opt(u, |g, u| {
            g.seq_of(u, |g, u| {
                let value = match u.int_in_range(0..=2u8)? {
                    0 => RegInfoValue::Utf8Pairs(g.utf8(u)?),
                    1 => RegInfoValue::CertReq(g.cert_request(u)?),
                    _ => RegInfoValue::Other(g.private_oid(u)?, g.any_tlv(u)?),
                };
                Ok(RegInfo {
                    attr_type: asn1::DefinedByMarker::marker(),
                    value,
                })
            })
        })?;
        Ok(msg)
    }

    fn cert_req_msgs(&self, u: &mut Unstructured<'x>) -> Result<Vec<CertReqMsg<'x>>> {
        let mut v = Vec::new();
        for _ in 0..self.count(u, 1)? {
            v.push(self.cert_req_msg(u)?);
        }
        Ok(v)
    }

    // ---- CMP --------------------------------------------------------------------------

    fn certified_key_pair(&self, u: &mut Unstructured<'x>) -> Result<CertifiedKeyPair<'x>> {
        Ok(CertifiedKeyPair {
            cert_or_enc_cert: if bool::arbitrary(u)? {
                CertOrEncCert::Certificate(self.certificate(u)?)
            } else {
                CertOrEncCert::EncryptedCert(self.encrypted_key(u)?)
            },
            private_key: self.opt(u, Self::encrypted_key)?,
            publication_info: self.opt(u, Self::publication_info)?,
        })
    }

    fn cert_rep(&self, u: &mut Unstructured<'x>) -> Result<CertRepMessage<'x>> {
        let mut responses = Vec::new();
        for _ in 0..self.count(u, 0)? {
            let id = self.i64(u)?;
            let r = match u.int_in_range(0..=2u8)? {
                0 => builder::cert_response_accepted(id, self.certificate(u)?),
                1 => builder::cert_response_status(id, self.status_info(u)?),
                _ => CertResponse {
                    cert_req_id: id,
                    status: self.status_info(u)?,
                    certified_key_pair: self.opt(u, Self::certified_key_pair)?,
                    rsp_info: self.opt(u, |g, u| g.bytes(u, 8))?,
                },
            };
            responses.push(r);
        }
        let mut ca_pubs = Vec::new();
        for _ in 0..self.count(u, 0)? {
            ca_pubs.push(self.certificate(u)?);
        }
        Ok(builder::cert_rep(responses, ca_pubs))
    }

    fn root_ca_key_update(&self, u: &mut Unstructured<'x>) -> Result<RootCaKeyUpdateContent<'x>> {
        Ok(RootCaKeyUpdateContent {
            new_with_new: self.certificate(u)?,
            new_with_old: self.opt(u, Self::certificate)?,
            old_with_new: self.opt(u, Self::certificate)?,
        })
    }

    fn ca_key_upd_ann(&self, u: &mut Unstructured<'x>) -> Result<CAKeyUpdAnnContent<'x>> {
        Ok(CAKeyUpdAnnContent {
            old_with_new: self.certificate(u)?,
            new_with_old: self.certificate(u)?,
            new_with_new: self.certificate(u)?,
        })
    }

    fn messages(&self, u: &mut Unstructured<'x>, depth: usize) -> Result<PKIMessages<'x>> {
        let mut v = Vec::new();
        for _ in 0..u.int_in_range(1..=2)? {
            let inner = self.message(u, depth + 1)?;
            let der = self.bump.alloc_slice_copy(&inner.encode());
            v.push(RawMessage::from_der(der).expect("an encoded message is a SEQUENCE"));
        }
        Ok(SeqOf::new(v))
    }

    fn itav(&self, u: &mut Unstructured<'x>, depth: usize) -> Result<InfoTypeAndValue<'x>> {
        let algs = |g: &Self, u: &mut Unstructured<'x>| g.seq_of(u, Self::alg);
        let certs = |g: &Self, u: &mut Unstructured<'x>| g.seq_of(u, Self::certificate);
        let value = match u.int_in_range(0..=22u8)? {
            0 => InfoValue::CaProtEncCert(self.opt(u, Self::certificate)?),
            1 => InfoValue::SignKeyPairTypes(self.opt(u, algs)?),
            2 => InfoValue::EncKeyPairTypes(self.opt(u, algs)?),
            3 => InfoValue::PreferredSymmAlg(self.opt(u, Self::alg)?),
            4 => InfoValue::CaKeyUpdateInfo(self.opt(u, Self::ca_key_upd_ann)?),
            5 => InfoValue::CurrentCrl(self.opt(u, Self::crl)?),
            6 => InfoValue::UnsupportedOids(self.opt(u, |g, u| g.seq_of(u, Self::alg_oid))?),
            7 => InfoValue::KeyPairParamReq(self.opt(u, Self::alg_oid)?),
            8 => InfoValue::KeyPairParamRep(self.opt(u, Self::alg)?),
            9 => InfoValue::RevPassphrase(self.opt(u, Self::encrypted_key)?),
            10 => InfoValue::ImplicitConfirm(self.opt(u, |_, _| Ok(()))?),
            11 => InfoValue::ConfirmWaitTime(self.opt(u, Self::gtime)?),
            12 if depth < MAX_GEN_DEPTH => {
                InfoValue::OrigPkiMessage(self.opt(u, |g, u| g.messages(u, depth))?)
            }
            12 => InfoValue::OrigPkiMessage(None),
            13 => InfoValue::SuppLangTags(self.opt(u, |g, u| g.seq_of(u, Self::utf8))?),
            14 => InfoValue::CaCerts(self.opt(u, certs)?),
            15 => InfoValue::RootCaKeyUpdate(self.opt(u, Self::root_ca_key_update)?),
            16 => InfoValue::CertReqTemplate(self.opt(u, |g, u| {
                Ok(CertReqTemplateContent {
                    cert_template: g.template(u)?,
                    key_spec: g.opt(u, Self::controls)?,
                })
            })?),
            17 => InfoValue::RootCaCert(self.opt(u, Self::certificate)?),
            18 => InfoValue::CertProfile(self.opt(u, |g, u| g.seq_of(u, Self::utf8))?),
            19 => InfoValue::CrlStatusList(self.opt(u, |g, u| {
                g.seq_of(u, |g, u| {
                    let source = match u.int_in_range(0..=2u8)? {
                        0 => CRLSource::Dpn(DistributionPointName::FullName(g.general_names(u)?)),
                        1 => CRLSource::Dpn(DistributionPointName::NameRelativeToCrlIssuer(
                            RelativeDistinguishedName(g.tlv_contents(u)?),
                        )),
                        _ => CRLSource::Issuer(g.general_names(u)?),
                    };
                    Ok(CRLStatus {
                        source,
                        this_update: g.opt(u, Self::time)?,
                    })
                })
            })?),
            20 => InfoValue::Crls(self.opt(u, |g, u| g.seq_of(u, Self::crl))?),
            21 => InfoValue::KemCiphertextInfo(self.opt(u, |g, u| {
                Ok(KemCiphertextInfo {
                    kem: g.alg(u)?,
                    ct: g.bytes(u, 32)?,
                })
            })?),
            _ => InfoValue::Other(self.private_oid(u)?, self.opt(u, Self::any_tlv)?),
        };
        Ok(InfoTypeAndValue::new(value))
    }

    fn itavs(&self, u: &mut Unstructured<'x>, depth: usize) -> Result<Vec<InfoTypeAndValue<'x>>> {
        let mut v = Vec::new();
        for _ in 0..self.count(u, 0)? {
            v.push(self.itav(u, depth)?);
        }
        Ok(v)
    }

    fn header(&self, u: &mut Unstructured<'x>, depth: usize) -> Result<MessageBuilder<'x>> {
        let mut b = MessageBuilder::new(self.general_name(u)?, self.general_name(u)?);
        if bool::arbitrary(u)? {
            b = b.pvno(*u.choose(&[1, 3, 0, -1, i64::MAX])?);
        }
        if bool::arbitrary(u)? {
            b = b.message_time(self.gtime(u)?);
        }
        if bool::arbitrary(u)? {
            b = b.protection_alg(self.alg(u)?);
        }
        if bool::arbitrary(u)? {
            b = b.sender_kid(self.bytes(u, 20)?);
        }
        if bool::arbitrary(u)? {
            b = b.recip_kid(self.bytes(u, 20)?);
        }
        if bool::arbitrary(u)? {
            b = b.transaction_id(self.bytes(u, 16)?);
        }
        if bool::arbitrary(u)? {
            b = b.sender_nonce(self.bytes(u, 16)?);
        }
        if bool::arbitrary(u)? {
            b = b.recip_nonce(self.bytes(u, 16)?);
        }
        for _ in 0..self.count(u, 0)? {
            let line = self.utf8(u)?;
            b = b.free_text(line.as_str());
        }
        if bool::arbitrary(u)? {
            b = b.implicit_confirm();
        }
        if bool::arbitrary(u)? {
            b = b.confirm_wait_time(self.gtime(u)?);
        }
        for itav in self.itavs(u, depth)? {
            b = b.general_info(itav);
        }
        for _ in 0..self.count(u, 0)? {
            b = b.extra_cert(self.certificate(u)?);
        }
        Ok(b)
    }

    fn message(&self, u: &mut Unstructured<'x>, depth: usize) -> Result<PKIMessage<'x>> {
        let b = self.header(u, depth)?;
        let built = match u.int_in_range(0..=26u8)? {
            0 => b.ir(self.cert_req_msgs(u)?),
            1 => Ok(b.ip(self.cert_rep(u)?)),
            2 => b.cr(self.cert_req_msgs(u)?),
            3 => Ok(b.cp(self.cert_rep(u)?)),
            4 => {
                let csr = CertificationRequest::from_der(self.opaque_seq(u)?).expect("SEQUENCE");
                Ok(b.p10cr(csr))
            }
            5 => Ok(b.body(PKIBody::Popdecc(self.seq_of(u, |g, u| {
                Ok(Challenge {
                    owf: g.opt(u, Self::alg)?,
                    witness: g.bytes(u, 32)?,
                    challenge: g.bytes(u, 32)?,
                    encrypted_rand: g.opt(u, Self::sequence)?,
                })
            })?))),
            6 => Ok(b.body(PKIBody::Popdecr(self.seq_of(u, Self::bigint)?))),
            7 => b.kur(self.cert_req_msgs(u)?),
            8 => Ok(b.kup(self.cert_rep(u)?)),
            9 => b.krr(self.cert_req_msgs(u)?),
            10 => Ok(b.body(PKIBody::Krp(KeyRecRepContent {
                status: self.status_info(u)?,
                new_sig_cert: self.opt(u, Self::certificate)?,
                ca_certs: self.opt(u, |g, u| g.seq_of(u, Self::certificate))?,
                key_pair_hist: self.opt(u, |g, u| g.seq_of(u, Self::certified_key_pair))?,
            }))),
            11 => {
                let mut details = Vec::new();
                for _ in 0..self.count(u, 0)? {
                    let mut d = builder::rev_details(self.template(u)?);
                    d.crl_entry_details = self.opt(u, Self::extensions)?;
                    details.push(d);
                }
                Ok(b.rr(details))
            }
            12 => {
                let mut statuses = Vec::new();
                for _ in 0..self.count(u, 0)? {
                    statuses.push(self.status_info(u)?);
                }
                match builder::rev_rep(statuses) {
                    Ok(mut rep) => {
                        rep.rev_certs = self.opt(u, |g, u| g.seq_of(u, Self::cert_id))?;
                        rep.crls = self.opt(u, |g, u| g.seq_of(u, Self::crl))?;
                        Ok(b.rp(rep))
                    }
                    Err(e) => Err(e),
                }
            }
            13 => b.ccr(self.cert_req_msgs(u)?),
            14 => Ok(b.ccp(self.cert_rep(u)?)),
            15 => Ok(b.ckuann(if bool::arbitrary(u)? {
                CAKeyUpdContent::CAKeyUpdAnnV2(self.ca_key_upd_ann(u)?)
            } else {
                CAKeyUpdContent::CAKeyUpdAnnV3(self.root_ca_key_update(u)?)
            })),
            16 => Ok(b.body(PKIBody::Cann(self.certificate(u)?))),
            17 => Ok(b.body(PKIBody::Rann(RevAnnContent {
                status: PKIStatus(self.i64(u)?),
                cert_id: self.cert_id(u)?,
                will_be_revoked_at: self.gtime(u)?,
                bad_since_date: self.gtime(u)?,
                crl_details: self.opt(u, Self::extensions)?,
            }))),
            18 => Ok(b.body(PKIBody::Crlann(self.seq_of(u, Self::crl)?))),
            20 if depth < MAX_GEN_DEPTH => {
                let msgs: Vec<RawMessage<'x>> = self.messages(u, depth)?.iter().collect();
                b.nested(msgs)
            }
            19 | 20 => Ok(b.pkiconf()),
            21 => Ok(b.genm(self.itavs(u, depth)?)),
            22 => Ok(b.genp(self.itavs(u, depth)?)),
            23 => Ok(b.error(builder::error_content(
                self.status_info(u)?,
                self.opt(u, |g, u| g.i64(u))?,
                self.opt(u, Self::free_text)?,
            ))),
            24 => {
                let mut statuses = Vec::new();
                for _ in 0..self.count(u, 0)? {
                    let mut s: CertStatus<'x> = builder::cert_status(
                        self.bytes(u, 64)?,
                        self.i64(u)?,
                        self.opt(u, Self::status_info)?,
                    );
                    s.hash_alg = self.opt(u, Self::alg)?;
                    statuses.push(s);
                }
                Ok(b.cert_conf(statuses))
            }
            25 => {
                let mut ids = Vec::new();
                for _ in 0..self.count(u, 0)? {
                    ids.push(self.i64(u)?);
                }
                Ok(b.poll_req(&ids))
            }
            _ => {
                let mut reps = Vec::new();
                for _ in 0..self.count(u, 0)? {
                    reps.push(PollRep {
                        cert_req_id: self.i64(u)?,
                        check_after: self.i64(u)?,
                        reason: self.opt(u, Self::free_text)?,
                    });
                }
                Ok(b.poll_rep(reps))
            }
        };
        // An empty `SIZE (1..MAX)` list is refused by the builder: that is correct, not a find.
        let mut msg = built.map_err(|_| arbitrary::Error::IncorrectFormat)?;
        if bool::arbitrary(u)? {
            msg.protection = Some(self.bit_string(u)?);
        }
        if msg.extra_certs.is_none() && u.ratio(1, 16)? {
            // OpenSSL's empty extraCerts: accepted when parsed, and kept.
            msg.extra_certs = Some(SeqOf::new(Vec::new()));
        }
        Ok(msg)
    }
}

/// `str::floor_char_boundary` is unstable; the same for our use.
trait FloorCharBoundary {
    fn floor_char_boundary_compat(&self, index: usize) -> usize;
}

impl FloorCharBoundary for str {
    fn floor_char_boundary_compat(&self, index: usize) -> usize {
        if index >= self.len() {
            return self.len();
        }
        (0..=index)
            .rev()
            .find(|i| self.is_char_boundary(*i))
            .unwrap_or(0)
    }
}
