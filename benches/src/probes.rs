//! Every measured operation as a named closure, `<group>/<case>/<impl>` as in the criterion
//! benchmarks: for counting allocations per operation and for instruction counts under
//! callgrind (`cmp-bench probe NAME N` runs one N times). Each probe builds only its own
//! input.

use std::hint::black_box;

use cmp_codec::PKIMessage;

use crate::corpus::{class, CLASSES};
use crate::crypto::{
    cert_hash_bare, cert_hash_ours, issued_certificate, mac_case, sig_case, MAC_CASES, SIG_CASES,
};
use crate::peers::cmpv2;
use crate::scale;
use crate::walk::{parse_header, parse_with_x509, tlv_walk};

/// A prepared operation.
pub type Op = Box<dyn FnMut()>;

fn leak(v: Vec<u8>) -> &'static [u8] {
    Box::leak(v.into_boxed_slice())
}

/// The parse implementations.
pub const PARSE_IMPLS: [&str; 6] = [
    "ours",
    "ours-header",
    "ours+x509-cert",
    "cmpv2",
    "openssl",
    "tlv-walk",
];

/// Scale axes: (group, points).
pub fn scale_axes() -> Vec<(&'static str, Vec<usize>)> {
    vec![
        ("scale-extracerts", scale::COUNTS.to_vec()),
        ("scale-certreqs", scale::COUNTS.to_vec()),
        ("scale-nesting", scale::depths()),
    ]
}

/// All probe names, in report order. `with_scale` adds the scale axes.
pub fn names(with_scale: bool) -> Vec<String> {
    let mut v = Vec::new();
    let openssl = crate::peers::OPENSSL;
    for c in CLASSES {
        for i in PARSE_IMPLS {
            if i != "openssl" || openssl {
                v.push(format!("parse/{c}/{i}"));
            }
        }
    }
    for g in ["encode", "roundtrip"] {
        for c in CLASSES {
            for i in ["ours", "cmpv2", "openssl"] {
                if i != "openssl" || openssl {
                    v.push(format!("{g}/{c}/{i}"));
                }
            }
        }
    }
    for m in MAC_CASES {
        for i in ["ours", "bare", "openssl"] {
            if i != "openssl" || (openssl && m.starts_with("pbm-")) {
                v.push(format!("mac/{m}/{i}"));
            }
        }
        for i in ["ours", "bare"] {
            v.push(format!("mac-cached-key/{m}/{i}"));
        }
    }
    for s in SIG_CASES {
        for i in ["ours-full", "ours-key", "bare", "bare-decode", "openssl"] {
            if i != "openssl" || (openssl && s != "ml-dsa-65") {
                v.push(format!("sig/{s}/{i}"));
            }
        }
    }
    v.push("certhash/ecdsa-sha256-cert/ours".into());
    v.push("certhash/ecdsa-sha256-cert/bare".into());
    if with_scale {
        for (g, points) in scale_axes() {
            for n in points {
                for i in ["ours", "cmpv2", "openssl", "tlv-walk"] {
                    if (i == "openssl" && !openssl) || (i == "cmpv2" && g == "scale-nesting") {
                        continue;
                    }
                    v.push(format!("{g}/{n}/{i}"));
                }
            }
        }
    }
    v
}

fn parse_op(der: &'static [u8], imp: &str) -> Option<Op> {
    Some(match imp {
        "ours" => Box::new(move || {
            black_box(PKIMessage::parse(black_box(der)).unwrap());
        }),
        "ours-header" => Box::new(move || {
            black_box(parse_header(black_box(der)).unwrap());
        }),
        "ours+x509-cert" => Box::new(move || {
            black_box(parse_with_x509(black_box(der)).unwrap());
        }),
        "cmpv2" => {
            cmpv2::decode(der).ok()?;
            Box::new(move || {
                black_box(cmpv2::decode(black_box(der)).unwrap());
            })
        }
        #[cfg(feature = "openssl")]
        "openssl" => {
            use crate::peers::openssl;
            if !openssl::parse(der) {
                return None;
            }
            Box::new(move || {
                black_box(openssl::parse(black_box(der)));
            })
        }
        "tlv-walk" => Box::new(move || {
            black_box(tlv_walk(black_box(der)).unwrap());
        }),
        _ => return None,
    })
}

/// The operation called `name`, or `None` (unknown, or not applicable: a peer that rejects
/// the input).
pub fn build(name: &str) -> Option<Op> {
    let mut parts = name.splitn(3, '/');
    let (group, case, imp) = (parts.next()?, parts.next()?, parts.next()?);
    match group {
        "parse" => parse_op(leak(class(case)?.der), imp),
        "encode" => {
            let der = leak(class(case)?.der);
            match imp {
                "ours" => {
                    let msg = PKIMessage::parse(der).unwrap();
                    Some(Box::new(move || {
                        black_box(black_box(&msg).encode());
                    }))
                }
                "cmpv2" => {
                    let msg = cmpv2::decode(der).ok()?;
                    Some(Box::new(move || {
                        black_box(cmpv2::encode(black_box(&msg)));
                    }))
                }
                #[cfg(feature = "openssl")]
                "openssl" => {
                    let msg = crate::peers::openssl::Msg::new(der)?;
                    Some(Box::new(move || {
                        black_box(black_box(&msg).encode());
                    }))
                }
                _ => None,
            }
        }
        "roundtrip" => {
            let der = leak(class(case)?.der);
            match imp {
                "ours" => Some(Box::new(move || {
                    black_box(PKIMessage::parse(black_box(der)).unwrap().encode());
                })),
                "cmpv2" => {
                    cmpv2::decode(der).ok()?;
                    Some(Box::new(move || {
                        black_box(cmpv2::encode(&cmpv2::decode(black_box(der)).unwrap()));
                    }))
                }
                #[cfg(feature = "openssl")]
                "openssl" => Some(Box::new(move || {
                    black_box(crate::peers::openssl::roundtrip(black_box(der)).unwrap());
                })),
                _ => None,
            }
        }
        "mac" | "mac-cached-key" => {
            let c: &'static _ = Box::leak(Box::new(mac_case(case)?));
            let msg = PKIMessage::parse(&c.der).unwrap();
            match (group, imp) {
                ("mac", "ours") => Some(Box::new(move || assert!(c.ours(black_box(&msg))))),
                ("mac", "bare") => Some(Box::new(move || assert!(black_box(c).bare_verify()))),
                #[cfg(feature = "openssl")]
                ("mac", "openssl") if c.openssl => {
                    use crate::peers::openssl::{Ctx, Msg};
                    let ctx = Ctx::with_secret(crate::SECRET)?;
                    let m = Msg::new(&c.der)?;
                    ctx.validate(&m).ok()?;
                    Some(Box::new(move || ctx.validate(black_box(&m)).unwrap()))
                }
                ("mac-cached-key", "ours") => {
                    Some(Box::new(move || assert!(c.ours_cached(black_box(&msg)))))
                }
                ("mac-cached-key", "bare") => {
                    Some(Box::new(move || assert!(black_box(c).bare_cached())))
                }
                _ => None,
            }
        }
        "sig" => {
            let c: &'static _ = Box::leak(Box::new(sig_case(case)?));
            let msg = PKIMessage::parse(&c.der).unwrap();
            match imp {
                "ours-full" => Some(Box::new(move || assert!(c.ours_full(black_box(&msg))))),
                "ours-key" => Some(Box::new(move || assert!(c.ours_key(black_box(&msg))))),
                "bare" => Some(Box::new(move || assert!(black_box(c).bare_verify()))),
                "bare-decode" => Some(Box::new(move || assert!(black_box(c).bare_decode_verify()))),
                #[cfg(feature = "openssl")]
                "openssl" if c.openssl => {
                    use crate::peers::openssl::{Ctx, Msg};
                    let ctx = Ctx::with_signer(&c.signer_cert)?;
                    let m = Msg::new(&c.der)?;
                    ctx.validate(&m).ok()?;
                    Some(Box::new(move || ctx.validate(black_box(&m)).unwrap()))
                }
                _ => None,
            }
        }
        "certhash" => {
            let cert = leak(issued_certificate());
            match imp {
                "ours" => Some(Box::new(move || {
                    black_box(cert_hash_ours(black_box(cert)));
                })),
                "bare" => Some(Box::new(move || {
                    black_box(cert_hash_bare(black_box(cert)));
                })),
                _ => None,
            }
        }
        "scale-extracerts" => parse_op(leak(scale::with_extra_certs(case.parse().ok()?)), imp),
        "scale-certreqs" => parse_op(leak(scale::with_cert_reqs(case.parse().ok()?)), imp),
        "scale-nesting" => parse_op(leak(scale::nested(case.parse().ok()?)), imp),
        _ => None,
    }
}

/// Whether a probe's implementation is OpenSSL (its allocations are counted in C).
pub fn is_openssl(name: &str) -> bool {
    name.ends_with("/openssl")
}
