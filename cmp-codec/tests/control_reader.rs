//! `Control`'s hand-written reader (typed controls recognised from the DER of their type OID)
//! reads exactly what rust-asn1's derived reader reads: the same value or the same error
//! (kind and field location), on every `SEQUENCE` of every vector (whatever it really is)
//! and on every truncation and mutation of each real control. Mutations of the type OID's
//! last octet move a control through every typed variant and `Other`.

#![allow(clippy::result_large_err)] // rust-asn1's ParseError, as in the codec

mod common;

use std::collections::BTreeSet;

use asn1::SimpleAsn1Readable;
use cmp_codec::crmf::Control;

/// rust-asn1's derived reader of the same schema, under the same names so that error
/// locations and `Debug` output compare equal.
mod derived {
    use cmp_codec::common::{AlgorithmIdentifier, CertId, SubjectPublicKeyInfo};
    use cmp_codec::crmf::{PKIArchiveOptions, PKIPublicationInfo};

    #[derive(asn1::Asn1Read, asn1::Asn1Write, Debug)]
    #[allow(dead_code)] // the marker is only read and written by the derive
    pub struct Control<'a> {
        pub attr_type: asn1::DefinedByMarker<asn1::ObjectIdentifier>,
        #[defined_by(attr_type)]
        pub value: ControlValue<'a>,
    }

    #[derive(asn1::Asn1DefinedByRead, asn1::Asn1DefinedByWrite, Debug)]
    pub enum ControlValue<'a> {
        #[defined_by(cmp_codec::oid::ID_REG_CTRL_REG_TOKEN)]
        RegToken(asn1::Utf8String<'a>),
        #[defined_by(cmp_codec::oid::ID_REG_CTRL_AUTHENTICATOR)]
        Authenticator(asn1::Utf8String<'a>),
        #[defined_by(cmp_codec::oid::ID_REG_CTRL_PKI_PUBLICATION_INFO)]
        PkiPublicationInfo(PKIPublicationInfo<'a>),
        #[defined_by(cmp_codec::oid::ID_REG_CTRL_PKI_ARCHIVE_OPTIONS)]
        PkiArchiveOptions(PKIArchiveOptions<'a>),
        #[defined_by(cmp_codec::oid::ID_REG_CTRL_OLD_CERT_ID)]
        OldCertId(CertId<'a>),
        #[defined_by(cmp_codec::oid::ID_REG_CTRL_PROTOCOL_ENCR_KEY)]
        ProtocolEncrKey(SubjectPublicKeyInfo<'a>),
        #[defined_by(cmp_codec::oid::ID_REG_CTRL_ALT_CERT_TEMPLATE)]
        AltCertTemplate(asn1::Tlv<'a>),
        #[defined_by(cmp_codec::oid::ID_REG_CTRL_ALG_ID)]
        AlgId(AlgorithmIdentifier<'a>),
        #[defined_by(cmp_codec::oid::ID_REG_CTRL_RSA_KEY_LEN)]
        RsaKeyLen(i64),
        #[default]
        Other(asn1::ObjectIdentifier, asn1::Tlv<'a>),
    }
}

/// Both readers on the content octets `data`; whether they accepted.
fn same(data: &[u8], what: &str) -> bool {
    common::same_as_derived(
        Control::parse_data(data),
        derived::Control::parse_data(data),
        what,
    )
}

#[test]
fn same_result_on_every_sequence_of_the_vectors() {
    let ders = common::parsed_ders("control_reader");
    let seqs = common::constructed_contents(&ders, true);
    assert!(seqs.len() > 1000, "only {} sequences", seqs.len());
    let mut typed = BTreeSet::new();
    for (i, s) in seqs.iter().enumerate() {
        if same(s, &format!("sequence {i}")) {
            let control = Control::parse_data(s).unwrap();
            typed.insert(
                format!("{:?}", control.value)
                    .split('(')
                    .next()
                    .unwrap()
                    .to_owned(),
            );
        }
    }
    // Real controls of several types (oldCertID in kur, algId and rsaKeyLen in templates),
    // and sequences that happen to read as `Other`.
    for t in ["OldCertId", "AlgId", "RsaKeyLen", "Other"] {
        assert!(typed.contains(t), "{t}: {typed:?}");
    }
}

#[test]
fn same_result_on_every_mutation_of_every_real_control() {
    let ders = common::parsed_ders("control_reader");
    let seqs = common::constructed_contents(&ders, true);
    let real: Vec<&[u8]> = seqs
        .into_iter()
        .filter(|s| {
            Control::parse_data(s)
                .is_ok_and(|c| !matches!(c.value, cmp_codec::crmf::ControlValue::Other(..)))
        })
        .collect();
    assert!(real.len() >= 3, "only {} controls", real.len());
    let (mut checked, mut accepted) = (0usize, 0usize);
    for (i, s) in real.iter().enumerate() {
        checked += common::for_each_mutant(s, |m, what| {
            accepted += usize::from(same(m, &format!("control {i}, {what}")));
        });
    }
    assert!(checked > 2_000, "{checked} mutants");
    assert!(
        accepted * 20 > checked,
        "{accepted} of {checked} mutants parse"
    );
}
