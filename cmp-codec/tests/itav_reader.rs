//! `InfoTypeAndValue`'s hand-written reader (typed `infoType`s recognised from their DER bytes)
//! reads exactly what rust-asn1's derived reader reads: the same value or the same error (kind
//! and field location), on every ITAV of every vector (`generalInfo`, genm, genp) and on every
//! truncation and mutation below of each.

#![allow(clippy::result_large_err)] // rust-asn1's ParseError, as in the codec

mod common;

use cmp_codec::itav::{InfoTypeAndValue, InfoValue};
use cmp_codec::{PKIBody, PKIMessage};

/// rust-asn1's derived reader of the same schema (a copy of the `InfoValue` declaration with
/// the derive's `defined_by` dispatch), under the same names so that error locations and
/// `Debug` output compare equal.
mod derived {
    use cmp_codec::body::CAKeyUpdAnnContent;
    use cmp_codec::common::AlgorithmIdentifier;
    use cmp_codec::crmf::EncryptedKey;
    use cmp_codec::itav::{
        CRLStatus, CertReqTemplateContent, KemCiphertextInfo, PKIMessages, RootCaKeyUpdateContent,
    };
    use cmp_codec::raw::{Certificate, CertificateList};
    use cmp_codec::time::GeneralizedTime;
    use cmp_codec::SeqOf;

    #[derive(asn1::Asn1Read, asn1::Asn1Write, Debug)]
    #[allow(dead_code)] // the marker is only read and written by the derive
    pub struct InfoTypeAndValue<'a> {
        pub info_type: asn1::DefinedByMarker<asn1::ObjectIdentifier>,
        #[defined_by(info_type)]
        pub info_value: InfoValue<'a>,
    }

    #[derive(asn1::Asn1DefinedByRead, asn1::Asn1DefinedByWrite, Debug)]
    pub enum InfoValue<'a> {
        #[defined_by(cmp_codec::oid::ID_IT_CA_PROT_ENC_CERT)]
        CaProtEncCert(Option<Certificate<'a>>),
        #[defined_by(cmp_codec::oid::ID_IT_SIGN_KEY_PAIR_TYPES)]
        SignKeyPairTypes(Option<SeqOf<'a, AlgorithmIdentifier<'a>, 1>>),
        #[defined_by(cmp_codec::oid::ID_IT_ENC_KEY_PAIR_TYPES)]
        EncKeyPairTypes(Option<SeqOf<'a, AlgorithmIdentifier<'a>, 1>>),
        #[defined_by(cmp_codec::oid::ID_IT_PREFERRED_SYMM_ALG)]
        PreferredSymmAlg(Option<AlgorithmIdentifier<'a>>),
        #[defined_by(cmp_codec::oid::ID_IT_CA_KEY_UPDATE_INFO)]
        CaKeyUpdateInfo(Option<CAKeyUpdAnnContent<'a>>),
        #[defined_by(cmp_codec::oid::ID_IT_CURRENT_CRL)]
        CurrentCrl(Option<CertificateList<'a>>),
        #[defined_by(cmp_codec::oid::ID_IT_UNSUPPORTED_OIDS)]
        UnsupportedOids(Option<SeqOf<'a, asn1::ObjectIdentifier, 1>>),
        #[defined_by(cmp_codec::oid::ID_IT_KEY_PAIR_PARAM_REQ)]
        KeyPairParamReq(Option<asn1::ObjectIdentifier>),
        #[defined_by(cmp_codec::oid::ID_IT_KEY_PAIR_PARAM_REP)]
        KeyPairParamRep(Option<AlgorithmIdentifier<'a>>),
        #[defined_by(cmp_codec::oid::ID_IT_REV_PASSPHRASE)]
        RevPassphrase(Option<EncryptedKey<'a>>),
        #[defined_by(cmp_codec::oid::ID_IT_IMPLICIT_CONFIRM)]
        ImplicitConfirm(Option<asn1::Null>),
        #[defined_by(cmp_codec::oid::ID_IT_CONFIRM_WAIT_TIME)]
        ConfirmWaitTime(Option<GeneralizedTime<'a>>),
        #[defined_by(cmp_codec::oid::ID_IT_ORIG_PKI_MESSAGE)]
        OrigPkiMessage(Option<PKIMessages<'a>>),
        #[defined_by(cmp_codec::oid::ID_IT_SUPP_LANG_TAGS)]
        SuppLangTags(Option<SeqOf<'a, asn1::Utf8String<'a>>>),
        #[defined_by(cmp_codec::oid::ID_IT_CA_CERTS)]
        CaCerts(Option<SeqOf<'a, Certificate<'a>, 1>>),
        #[defined_by(cmp_codec::oid::ID_IT_ROOT_CA_KEY_UPDATE)]
        RootCaKeyUpdate(Option<RootCaKeyUpdateContent<'a>>),
        #[defined_by(cmp_codec::oid::ID_IT_CERT_REQ_TEMPLATE)]
        CertReqTemplate(Option<CertReqTemplateContent<'a>>),
        #[defined_by(cmp_codec::oid::ID_IT_ROOT_CA_CERT)]
        RootCaCert(Option<Certificate<'a>>),
        #[defined_by(cmp_codec::oid::ID_IT_CERT_PROFILE)]
        CertProfile(Option<SeqOf<'a, asn1::Utf8String<'a>, 1>>),
        #[defined_by(cmp_codec::oid::ID_IT_CRL_STATUS_LIST)]
        CrlStatusList(Option<SeqOf<'a, CRLStatus<'a>, 1>>),
        #[defined_by(cmp_codec::oid::ID_IT_CRLS)]
        Crls(Option<SeqOf<'a, CertificateList<'a>, 1>>),
        #[defined_by(cmp_codec::oid::ID_IT_KEM_CIPHERTEXT_INFO)]
        KemCiphertextInfo(Option<KemCiphertextInfo<'a>>),
        /// Any other `infoType`, with its value as received.
        #[default]
        Other(asn1::ObjectIdentifier, Option<asn1::Tlv<'a>>),
    }
}

/// The DER of every ITAV in every vector's header and genm/genp body.
fn itavs() -> Vec<Vec<u8>> {
    let mut out = vec![];
    for der in &common::parsed_ders("itav_reader") {
        let msg = PKIMessage::parse(der).unwrap();
        let header = msg
            .header
            .general_info
            .as_ref()
            .and_then(|g| g.raw_elements());
        let body = match &msg.body {
            PKIBody::Genm(s) | PKIBody::Genp(s) => s.raw_elements(),
            _ => None,
        };
        for tlvs in [header, body].into_iter().flatten() {
            out.extend(tlvs.map(|t| t.full_data().to_vec()));
        }
    }
    out
}

fn same(der: &[u8], what: &str) -> bool {
    common::same_as_derived(
        asn1::parse_single::<InfoTypeAndValue<'_>>(der),
        asn1::parse_single::<derived::InfoTypeAndValue<'_>>(der),
        what,
    )
}

#[test]
fn same_value_as_the_derived_reader_on_every_vector() {
    let itavs = itavs();
    assert!(itavs.len() > 30, "only {} ITAVs", itavs.len());
    let mut typed = std::collections::BTreeSet::new();
    for (i, der) in itavs.iter().enumerate() {
        assert!(same(der, &format!("itav {i}")), "itav {i} rejected");
        let itav = asn1::parse_single::<InfoTypeAndValue<'_>>(der).unwrap();
        typed.insert(itav.info_value.name().unwrap_or("other"));
    }
    // The vectors carry many infoTypes, so both paths of the reader are compared.
    assert!(typed.len() >= 8 && typed.contains("other"), "{typed:?}");
}

/// Every truncation and byte mutant (`common::for_each_mutant`): the two readers agree on
/// accept or reject, the value and the error.
#[test]
fn same_result_on_every_mutation() {
    let mut checked = 0usize;
    let mut accepted = 0usize;
    for (i, der) in itavs().iter().enumerate() {
        checked += common::for_each_mutant(der, |m, what| {
            accepted += usize::from(same(m, &format!("itav {i}, {what}")));
        });
    }
    assert!(checked > 10_000, "{checked} mutants");
    // Mutants of the infoType's last arc move between typed variants and `Other`.
    assert!(
        accepted * 20 > checked,
        "{accepted} of {checked} mutants parse"
    );
}

/// An `infoType` outside id-it, and id-it arcs without a typed variant, read as `Other`.
#[test]
fn other_info_types() {
    for oid in [
        "1.3.6.1.5.5.7.4.8",
        "1.3.6.1.5.5.7.4.25",
        "1.2.3.4",
        "1.3.6.1.5.5.7.4.13.1",
    ] {
        let oid = asn1::ObjectIdentifier::from_string(oid).unwrap();
        let der = asn1::write_single(&asn1::SequenceWriter::new(&|w: &mut asn1::Writer<'_>| {
            w.write_element(&oid)
        }))
        .unwrap();
        assert!(same(&der, &oid.to_string()));
        let itav = asn1::parse_single::<InfoTypeAndValue<'_>>(&der).unwrap();
        assert_eq!(itav.info_value, InfoValue::Other(oid, None));
    }
}
