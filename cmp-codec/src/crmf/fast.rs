//! A direct reader for `CertTemplate`, tried before rust-asn1's derived one.
//!
//! Every field of `CertTemplate` is OPTIONAL, and the derived reader peeks and decodes the
//! next tag once per field (ten times per template, present or not) before reading the
//! present ones through nested parsers; a template is most of a `CertReqMsg`. This reader
//! walks the template's TLVs once, dispatching on the context tag number, and builds the
//! same [`CertTemplate`]. As `header/fast.rs` does, it answers `None` whenever anything is
//! unusual (a malformed or long-form TLV, a field out of order or with the wrong form,
//! trailing data): the derived reader ([`derived::CertTemplate`], the same declaration with
//! rust-asn1's derive) then decides, so errors and their field paths come from one place.
//!
//! The contract, checked by `tests/template_fast_path.rs` over every template in the vectors
//! and its mutations (and by the `roundtrip` fuzz target): when this reader returns `Some(t)`,
//! the derived reader returns `Ok(t)` on the same bytes.

use super::{CertTemplate, OptionalValidity};
use crate::direct::{algorithm_identifier, explicit_name, next, read, subject_public_key_info};

/// The template from its content octets (without the outer `SEQUENCE` tag and length).
pub(super) fn cert_template(data: &[u8]) -> Option<CertTemplate<'_>> {
    let mut t = CertTemplate::default();
    let mut rest = data;
    // [0]..[9] in order, each present at most once.
    let mut next_field = 0;
    while !rest.is_empty() {
        let (tag, content, r) = next(rest)?;
        rest = r;
        // Context-specific class, primitive or constructed as the field's type is.
        if tag & 0xc0 != 0x80 {
            return None;
        }
        let (field, constructed) = (tag & 0x1f, tag & 0x20 != 0);
        if field < next_field {
            return None;
        }
        next_field = field + 1;
        match (field, constructed) {
            (0, false) => t.version = Some(read::<i64>(content)?),
            (1, false) => t.serial_number = Some(read(content)?),
            (2, true) => t.signing_alg = Some(algorithm_identifier(content)?),
            (3, true) => t.issuer = Some(explicit_name(content)?),
            (4, true) => t.validity = Some(read::<OptionalValidity>(content)?),
            (5, true) => t.subject = Some(explicit_name(content)?),
            (6, true) => t.public_key = Some(subject_public_key_info(content)?),
            (7, false) => t.issuer_uid = Some(read(content)?),
            (8, false) => t.subject_uid = Some(read(content)?),
            (9, true) => t.extensions = Some(read(content)?),
            _ => return None,
        }
    }
    Some(t)
}

/// rust-asn1's derived reader of `CertTemplate` (the declaration repeated with the derive,
/// under the same name so that error locations read `CertTemplate::field`).
pub(super) mod derived {
    use crate::common::{AlgorithmIdentifier, Extensions, SubjectPublicKeyInfo};
    use crate::crmf::OptionalValidity;
    use crate::raw::Name;

    #[derive(asn1::Asn1Read)]
    pub(crate) struct CertTemplate<'a> {
        #[implicit(0)]
        version: Option<i64>,
        #[implicit(1)]
        serial_number: Option<asn1::BigInt<'a>>,
        #[implicit(2)]
        signing_alg: Option<AlgorithmIdentifier<'a>>,
        #[explicit(3)]
        issuer: Option<Name<'a>>,
        #[implicit(4)]
        validity: Option<OptionalValidity>,
        #[explicit(5)]
        subject: Option<Name<'a>>,
        #[implicit(6)]
        public_key: Option<SubjectPublicKeyInfo<'a>>,
        #[implicit(7)]
        issuer_uid: Option<asn1::BitString<'a>>,
        #[implicit(8)]
        subject_uid: Option<asn1::BitString<'a>>,
        #[implicit(9)]
        extensions: Option<Extensions<'a>>,
    }

    impl<'a> From<CertTemplate<'a>> for super::CertTemplate<'a> {
        fn from(t: CertTemplate<'a>) -> Self {
            super::CertTemplate {
                version: t.version,
                serial_number: t.serial_number,
                signing_alg: t.signing_alg,
                issuer: t.issuer,
                validity: t.validity,
                subject: t.subject,
                public_key: t.public_key,
                issuer_uid: t.issuer_uid,
                subject_uid: t.subject_uid,
                extensions: t.extensions,
            }
        }
    }
}
