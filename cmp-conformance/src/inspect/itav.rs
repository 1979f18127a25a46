//! Dump of `InfoTypeAndValue` entries (`generalInfo`, `genm`, `genp`), by name.

use cmp_codec::body::CAKeyUpdAnnContent;
use cmp_codec::common::DistributionPointName;
use cmp_codec::itav::{CRLSource, InfoTypeAndValue, InfoValue, RootCaKeyUpdateContent};

use super::writer::TreeWriter;
use super::{crmf, oids, text, tree};

/// The display name of an ITAV: the ASN.1 name of a known `infoType`, else its OID.
pub fn itav_name(itav: &InfoTypeAndValue<'_>) -> String {
    itav.info_value
        .name()
        .map_or_else(|| oids::describe(itav.info_type()), str::to_string)
}

/// One ITAV: its name, then its value (`absent` when a request leaves it out).
pub(crate) fn write_itav(w: &mut TreeWriter, itav: &InfoTypeAndValue<'_>) {
    let name = itav_name(itav);
    match &itav.info_value {
        InfoValue::CaProtEncCert(v) => opt(w, &name, v, |w, c| {
            tree::write_certificate(w, &name, c.der())
        }),
        InfoValue::SignKeyPairTypes(v) | InfoValue::EncKeyPairTypes(v) => {
            opt(w, &name, v, |w, algs| {
                w.nest(format_args!("{name} ({})", algs.len()), |w| {
                    for a in algs.iter() {
                        w.line(text::algorithm(&a));
                    }
                })
            })
        }
        InfoValue::PreferredSymmAlg(v) | InfoValue::KeyPairParamRep(v) => {
            opt(w, &name, v, |w, a| w.field(&name, text::algorithm(a)))
        }
        InfoValue::CaKeyUpdateInfo(v) => opt(w, &name, v, |w, c| {
            w.nest(&name, |w| write_ca_key_upd_ann(w, c))
        }),
        InfoValue::CurrentCrl(v) => opt(w, &name, v, |w, c| tree::write_crl(w, &name, c.der())),
        InfoValue::UnsupportedOids(v) => opt(w, &name, v, |w, list| {
            let items: Vec<String> = list.iter().map(|o| oids::describe(&o)).collect();
            w.field(&name, format_args!("[{}]", items.join(", ")))
        }),
        InfoValue::KeyPairParamReq(v) => opt(w, &name, v, |w, o| w.field(&name, oids::describe(o))),
        InfoValue::RevPassphrase(v) => {
            opt(w, &name, v, |w, k| w.field(&name, crmf::encrypted_key(k)))
        }
        InfoValue::ImplicitConfirm(v) => opt(w, &name, v, |w, ()| w.field(&name, "NULL")),
        InfoValue::ConfirmWaitTime(v) => opt(w, &name, v, |w, t| {
            w.field(&name, text::generalized_time(t))
        }),
        InfoValue::OrigPkiMessage(v) => opt(w, &name, v, |w, msgs| {
            w.nest(format_args!("{name} ({})", msgs.len()), |w| {
                tree::write_messages(w, msgs)
            })
        }),
        InfoValue::SuppLangTags(v) => opt(w, &name, v, |w, list| {
            let items: Vec<String> = list.iter().map(|s| text::quoted(s.as_str())).collect();
            w.field(&name, format_args!("[{}]", items.join(", ")))
        }),
        InfoValue::CertProfile(v) => opt(w, &name, v, |w, list| {
            let items: Vec<String> = list.iter().map(|s| text::quoted(s.as_str())).collect();
            w.field(&name, format_args!("[{}]", items.join(", ")))
        }),
        InfoValue::CaCerts(v) => opt(w, &name, v, |w, certs| {
            w.nest(format_args!("{name} ({})", certs.len()), |w| {
                for (i, c) in certs.iter().enumerate() {
                    tree::write_certificate(w, &format!("[{i}] certificate"), c.der());
                }
            })
        }),
        InfoValue::RootCaKeyUpdate(v) => opt(w, &name, v, |w, c| {
            w.nest(&name, |w| write_root_ca_key_update(w, c))
        }),
        InfoValue::CertReqTemplate(v) => opt(w, &name, v, |w, c| {
            w.nest(&name, |w| {
                crmf::write_template(w, "certTemplate", &c.cert_template);
                if let Some(spec) = &c.key_spec {
                    let items: Vec<String> = spec
                        .iter()
                        .map(|k| oids::describe(control_type(&k)))
                        .collect();
                    w.field("keySpec", format_args!("[{}]", items.join(", ")));
                }
            })
        }),
        InfoValue::RootCaCert(v) => opt(w, &name, v, |w, c| {
            tree::write_certificate(w, &name, c.der())
        }),
        InfoValue::CrlStatusList(v) => opt(w, &name, v, |w, list| {
            w.nest(format_args!("{name} ({})", list.len()), |w| {
                for s in list.iter() {
                    let source = match &s.source {
                        CRLSource::Dpn(DistributionPointName::FullName(names)) => {
                            let n: Vec<String> =
                                names.iter().map(|g| text::general_name(&g)).collect();
                            format!("dpn fullName [{}]", n.join(", "))
                        }
                        CRLSource::Dpn(DistributionPointName::NameRelativeToCrlIssuer(r)) => {
                            format!("dpn nameRelativeToCRLIssuer {}", text::hex(r.0))
                        }
                        CRLSource::Issuer(names) => {
                            let n: Vec<String> =
                                names.iter().map(|g| text::general_name(&g)).collect();
                            format!("issuer [{}]", n.join(", "))
                        }
                    };
                    match &s.this_update {
                        Some(t) => w.line(format_args!("{source}, thisUpdate {}", text::time(t))),
                        None => w.line(source),
                    }
                }
            })
        }),
        InfoValue::Crls(v) => opt(w, &name, v, |w, crls| {
            w.nest(format_args!("{name} ({})", crls.len()), |w| {
                for (i, c) in crls.iter().enumerate() {
                    tree::write_crl(w, &format!("[{i}] CRL"), c.der());
                }
            })
        }),
        InfoValue::KemCiphertextInfo(v) => opt(w, &name, v, |w, k| {
            w.field(
                &name,
                format_args!("kem {}, ct {} bytes", text::algorithm(&k.kem), k.ct.len()),
            )
        }),
        InfoValue::Other(_, v) => opt(w, &name, v, |w, tlv| w.field(&name, text::tlv(tlv))),
    }
}

/// The type OID of a control (`keySpec` entries).
fn control_type(c: &cmp_codec::crmf::Control<'_>) -> cmp_codec::asn1::ObjectIdentifier {
    use cmp_codec::asn1::Asn1DefinedByWritable;
    c.value.item().clone()
}

/// Write `value` with `write`, or `name: absent`.
fn opt<T>(
    w: &mut TreeWriter,
    name: &str,
    value: &Option<T>,
    write: impl FnOnce(&mut TreeWriter, &T),
) {
    match value {
        Some(v) => write(w, v),
        None => w.field(name, "absent"),
    }
}

/// The three certificates of `CAKeyUpdAnnContent`.
pub(crate) fn write_ca_key_upd_ann(w: &mut TreeWriter, c: &CAKeyUpdAnnContent<'_>) {
    tree::write_certificate(w, "oldWithNew", c.old_with_new.der());
    tree::write_certificate(w, "newWithOld", c.new_with_old.der());
    tree::write_certificate(w, "newWithNew", c.new_with_new.der());
}

/// `RootCaKeyUpdateContent`.
pub(crate) fn write_root_ca_key_update(w: &mut TreeWriter, c: &RootCaKeyUpdateContent<'_>) {
    tree::write_certificate(w, "newWithNew", c.new_with_new.der());
    match &c.new_with_old {
        Some(cert) => tree::write_certificate(w, "newWithOld", cert.der()),
        None => w.field("newWithOld", "absent"),
    }
    match &c.old_with_new {
        Some(cert) => tree::write_certificate(w, "oldWithNew", cert.der()),
        None => w.field("oldWithNew", "absent"),
    }
}
