//! The readable dump of a `PKIMessage`: header, body, protection and extraCerts as an indented
//! tree (see [`render`]).

use cmp_codec::common::AlgorithmIdentifier;
use cmp_codec::header::{PVNO_CMP1999, PVNO_CMP2000, PVNO_CMP2021};
use cmp_codec::oid;
use cmp_codec::protection::{
    DHBMParameter, KemBMParameter, PBKDF2Params, PBKDF2Salt, PBMAC1Params, PBMParameter,
};
use cmp_codec::{PKIHeader, PKIMessage};

use super::writer::TreeWriter;
use super::{body, cert, itav, text};

/// The readable tree of a message, one field per line. Nested messages (`nested`,
/// `origPKIMessage`) are dumped in full, indented under their parent.
///
/// ```
/// # let der = cmp_codec::builder::example_genm();
/// let msg = cmp_codec::PKIMessage::parse(&der)?;
/// let tree = cmp_conformance::inspect::tree::render(&msg);
/// assert!(tree.contains("body: genm"));
/// # Ok::<(), cmp_codec::DecodeError>(())
/// ```
pub fn render(msg: &PKIMessage<'_>) -> String {
    let mut w = TreeWriter::new();
    write_message(&mut w, msg);
    w.finish()
}

/// Write the fields of `msg` at the writer's current depth.
pub(crate) fn write_message(w: &mut TreeWriter, msg: &PKIMessage<'_>) {
    w.nest("header", |w| write_header(w, &msg.header));
    body::write_body(w, &msg.body);
    match &msg.protection {
        Some(p) => w.field("protection", format_args!("{} bits", text::bit_len(p))),
        None => w.field("protection", "absent"),
    }
    match &msg.extra_certs {
        None => w.field("extraCerts", "absent"),
        Some(certs) if certs.is_empty() => w.field("extraCerts", "empty (violates SIZE (1..MAX))"),
        Some(certs) => w.nest(format_args!("extraCerts ({})", certs.len()), |w| {
            for (i, c) in certs.iter().enumerate() {
                write_certificate(w, &format!("[{i}] certificate"), c.der());
            }
        }),
    }
}

/// The name the module gives a `pvno` value (`cmp2000`, ...), `unknown` for others.
pub fn pvno_name(pvno: i64) -> &'static str {
    match pvno {
        PVNO_CMP1999 => "cmp1999",
        PVNO_CMP2000 => "cmp2000",
        PVNO_CMP2021 => "cmp2021",
        _ => "unknown",
    }
}

/// `pvno` with its name: `2 (cmp2000)`.
pub fn pvno(pvno: i64) -> String {
    format!("{pvno} ({})", pvno_name(pvno))
}

fn write_header(w: &mut TreeWriter, h: &PKIHeader<'_>) {
    w.field("pvno", pvno(h.pvno));
    w.field("sender", text::general_name(&h.sender));
    w.field("recipient", text::general_name(&h.recipient));
    w.opt_field(
        "messageTime",
        h.message_time.as_ref().map(text::generalized_time),
    );
    if let Some(alg) = &h.protection_alg {
        write_protection_alg(w, alg);
    }
    w.opt_field("senderKID", h.sender_kid.map(text::octets));
    w.opt_field("recipKID", h.recip_kid.map(text::octets));
    w.opt_field("transactionID", h.transaction_id.map(text::hex));
    w.opt_field("senderNonce", h.sender_nonce.map(text::hex));
    w.opt_field("recipNonce", h.recip_nonce.map(text::hex));
    w.opt_field("freeText", h.free_text.as_ref().map(text::free_text));
    if let Some(info) = &h.general_info {
        w.nest(format_args!("generalInfo ({})", info.len()), |w| {
            for entry in info.iter() {
                itav::write_itav(w, &entry);
            }
        });
    }
}

/// `protectionAlg`, with the parameters of the MAC algorithms decoded.
fn write_protection_alg(w: &mut TreeWriter, alg: &AlgorithmIdentifier<'_>) {
    let a = &alg.algorithm;
    let known_mac = *a == oid::ID_PASSWORD_BASED_MAC
        || *a == oid::ID_PBMAC1
        || *a == oid::ID_DH_BASED_MAC
        || *a == oid::ID_KEM_BASED_MAC;
    if !known_mac {
        w.field("protectionAlg", text::algorithm(alg));
        return;
    }
    w.nest(
        format_args!("protectionAlg: {}", super::oids::describe(a)),
        |w| {
            if *a == oid::ID_PASSWORD_BASED_MAC {
                params(w, alg, |w, p: PBMParameter<'_>| {
                    w.field("salt", text::hex(p.salt));
                    w.field("owf", text::algorithm(&p.owf));
                    w.field("iterationCount", p.iteration_count);
                    w.field("mac", text::algorithm(&p.mac));
                });
            } else if *a == oid::ID_PBMAC1 {
                params(w, alg, |w, p: PBMAC1Params<'_>| {
                    write_pbmac1(w, &p);
                });
            } else if *a == oid::ID_DH_BASED_MAC {
                params(w, alg, |w, p: DHBMParameter<'_>| {
                    w.field("owf", text::algorithm(&p.owf));
                    w.field("mac", text::algorithm(&p.mac));
                });
            } else {
                params(w, alg, |w, p: KemBMParameter<'_>| {
                    w.field("kdf", text::algorithm(&p.kdf));
                    w.opt_field("kemContext", p.kem_context.map(text::hex));
                    w.field("len", p.len);
                    w.field("mac", text::algorithm(&p.mac));
                });
            }
        },
    );
}

/// Decode the parameters of `alg` as `T` and write them, or say why they cannot be.
fn params<'a, T: asn1::Asn1Readable<'a>>(
    w: &mut TreeWriter,
    alg: &AlgorithmIdentifier<'a>,
    write: impl FnOnce(&mut TreeWriter, T),
) {
    match alg.parameters_as::<T>() {
        None => w.field("parameters", "absent"),
        Some(Ok(p)) => write(w, p),
        Some(Err(e)) => w.field(
            "parameters",
            format_args!("undecodable ({})", text::asn1_error(&e)),
        ),
    }
}

fn write_pbmac1(w: &mut TreeWriter, p: &PBMAC1Params<'_>) {
    let kdf = &p.key_derivation_func;
    if kdf.algorithm == oid::ID_PBKDF2 {
        w.nest(
            format_args!(
                "keyDerivationFunc: {}",
                super::oids::describe(kdf.algorithm)
            ),
            |w| {
                params(w, kdf, |w, k: PBKDF2Params<'_>| {
                    match &k.salt {
                        PBKDF2Salt::Specified(s) => w.field("salt", text::hex(s)),
                        PBKDF2Salt::OtherSource(a) => {
                            w.field("salt", format_args!("otherSource {}", text::algorithm(a)))
                        }
                    }
                    w.field("iterationCount", k.iteration_count);
                    w.opt_field("keyLength", k.key_length);
                    match &k.prf {
                        Some(prf) => w.field("prf", text::algorithm(prf)),
                        None => w.field("prf", "hmacWithSHA1 (DEFAULT)"),
                    }
                });
            },
        );
    } else {
        w.field("keyDerivationFunc", text::algorithm(kdf));
    }
    w.field("messageAuthScheme", text::algorithm(&p.message_auth_scheme));
}

/// A certificate summary under `heading` (`[0] certificate`, `newWithNew`, ...), or why it
/// could not be decoded.
pub(crate) fn write_certificate(w: &mut TreeWriter, heading: &str, der: &[u8]) {
    match cert::certificate(der) {
        Ok(c) => w.nest(heading, |w| {
            w.field("subject", &c.subject);
            w.field("issuer", &c.issuer);
            w.field("serial", &c.serial);
            w.field(
                "validity",
                format_args!("{} .. {}", c.not_before, c.not_after),
            );
            w.field("publicKey", &c.public_key);
            w.field("signature", &c.signature_alg);
        }),
        Err(e) => w.field(
            heading,
            format_args!("undecodable ({e}), {} bytes", der.len()),
        ),
    }
}

/// A CRL summary under `heading`.
pub(crate) fn write_crl(w: &mut TreeWriter, heading: &str, der: &[u8]) {
    match cert::crl(der) {
        Ok(c) => w.nest(heading, |w| {
            w.field("issuer", &c.issuer);
            w.field("thisUpdate", &c.this_update);
            w.opt_field("nextUpdate", c.next_update.as_ref());
            w.field("revokedCertificates", c.revoked);
        }),
        Err(e) => w.field(
            heading,
            format_args!("undecodable ({e}), {} bytes", der.len()),
        ),
    }
}

/// Embedded messages (`nested`, `origPKIMessage`), each dumped in full.
pub(crate) fn write_messages(w: &mut TreeWriter, msgs: &cmp_codec::itav::PKIMessages<'_>) {
    for (i, raw) in msgs.iter().enumerate() {
        match raw.message() {
            Ok(m) => w.nest(format_args!("[{i}] PKIMessage ({})", m.body.name()), |w| {
                write_message(w, &m)
            }),
            Err(e) => w.field(
                &format!("[{i}] PKIMessage"),
                format_args!("undecodable: {e}"),
            ),
        }
    }
}
