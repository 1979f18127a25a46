//! Criterion benchmarks: cmp-codec beside cmpv2, OpenSSL and the bare primitives, over the
//! fixed corpus of `cmp_benches::corpus`. Every benchmark id is `<group>/<case>/<impl>`;
//! `cmp-bench report` reads criterion's estimates back by these names.
//!
//! `cargo bench --manifest-path benches/Cargo.toml [--features openssl] [-- FILTER]`

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkGroup, Criterion, Throughput};

use cmp_benches::corpus::{all_vectors, size_classes};
use cmp_benches::crypto::{
    cert_hash_bare, cert_hash_ours, issued_certificate, mac_cases, sig_cases,
};
use cmp_benches::peers::cmpv2;
use cmp_benches::scale;
use cmp_benches::walk::{parse_header, parse_with_x509, tlv_walk};
use cmp_codec::PKIMessage;

type Group<'a> = BenchmarkGroup<'a, criterion::measurement::WallTime>;

/// The parse-family benchmarks of one message: ours, ours header-only, ours + x509-cert,
/// cmpv2, OpenSSL, the bare TLV walk.
fn parse_impls(g: &mut Group<'_>, der: &[u8], header: bool, deep: bool, cmpv2_ok: bool) {
    g.bench_function("ours", |b| {
        b.iter(|| PKIMessage::parse(black_box(der)).unwrap())
    });
    if header {
        g.bench_function("ours-header", |b| {
            b.iter(|| parse_header(black_box(der)).unwrap())
        });
    }
    if deep {
        g.bench_function("ours+x509-cert", |b| {
            b.iter(|| parse_with_x509(black_box(der)).unwrap())
        });
    }
    if cmpv2_ok {
        g.bench_function("cmpv2", |b| {
            b.iter(|| cmpv2::decode(black_box(der)).unwrap())
        });
    }
    #[cfg(feature = "openssl")]
    {
        use cmp_benches::peers::openssl;
        // OpenSSL refuses some (nesting depth 8 exceeds its ASN.1 nesting limit): no row.
        if openssl::parse(der) {
            g.bench_function("openssl", |b| b.iter(|| openssl::parse(black_box(der))));
        } else {
            eprintln!(
                "OpenSSL rejects this message ({} bytes): no openssl row",
                der.len()
            );
        }
    }
    g.bench_function("tlv-walk", |b| b.iter(|| tlv_walk(black_box(der)).unwrap()));
}

fn parse(c: &mut Criterion) {
    for s in size_classes() {
        let mut g = c.benchmark_group(format!("parse/{}", s.class));
        g.throughput(Throughput::Bytes(s.der.len() as u64));
        parse_impls(&mut g, &s.der, true, true, cmpv2::decode(&s.der).is_ok());
        g.finish();
    }
}

/// All vector messages that every parser accepts, parsed one after the other.
fn corpus(c: &mut Criterion) {
    let msgs: Vec<Vec<u8>> = all_vectors()
        .into_iter()
        .map(|(_, d)| d)
        .filter(|d| PKIMessage::parse(d).is_ok() && cmpv2::decode(d).is_ok())
        .filter(|_d| {
            #[cfg(feature = "openssl")]
            return cmp_benches::peers::openssl::parse(_d);
            #[cfg(not(feature = "openssl"))]
            true
        })
        .collect();
    let total: usize = msgs.iter().map(|m| m.len()).sum();
    let mut g = c.benchmark_group(format!("corpus/all-{}", msgs.len()));
    g.throughput(Throughput::Bytes(total as u64));
    g.bench_function("ours", |b| {
        b.iter(|| {
            for m in &msgs {
                black_box(PKIMessage::parse(black_box(m)).unwrap());
            }
        })
    });
    g.bench_function("cmpv2", |b| {
        b.iter(|| {
            for m in &msgs {
                black_box(cmpv2::decode(black_box(m)).unwrap());
            }
        })
    });
    #[cfg(feature = "openssl")]
    g.bench_function("openssl", |b| {
        b.iter(|| {
            for m in &msgs {
                black_box(cmp_benches::peers::openssl::parse(black_box(m)));
            }
        })
    });
    g.bench_function("tlv-walk", |b| {
        b.iter(|| {
            for m in &msgs {
                black_box(tlv_walk(black_box(m)).unwrap());
            }
        })
    });
    g.finish();
}

fn encode(c: &mut Criterion) {
    for s in size_classes() {
        let der = &s.der;
        let msg = PKIMessage::parse(der).unwrap();
        assert_eq!(msg.encode(), *der, "{}: round trip", s.class);
        let peer = cmpv2::decode(der).ok();

        let mut g = c.benchmark_group(format!("encode/{}", s.class));
        g.throughput(Throughput::Bytes(der.len() as u64));
        g.bench_function("ours", |b| b.iter(|| black_box(&msg).encode()));
        if let Some(p) = &peer {
            g.bench_function("cmpv2", |b| b.iter(|| cmpv2::encode(black_box(p))));
        }
        #[cfg(feature = "openssl")]
        {
            let m = cmp_benches::peers::openssl::Msg::new(der).unwrap();
            g.bench_function("openssl", |b| b.iter(|| black_box(&m).encode()));
        }
        g.finish();

        let mut g = c.benchmark_group(format!("roundtrip/{}", s.class));
        g.throughput(Throughput::Bytes(der.len() as u64));
        g.bench_function("ours", |b| {
            b.iter(|| PKIMessage::parse(black_box(der)).unwrap().encode())
        });
        if peer.is_some() {
            g.bench_function("cmpv2", |b| {
                b.iter(|| cmpv2::encode(&cmpv2::decode(black_box(der)).unwrap()))
            });
        }
        #[cfg(feature = "openssl")]
        g.bench_function("openssl", |b| {
            b.iter(|| cmp_benches::peers::openssl::roundtrip(black_box(der)).unwrap())
        });
        g.finish();
    }
}

fn mac(c: &mut Criterion) {
    for case in mac_cases() {
        let msg = PKIMessage::parse(&case.der).unwrap();
        let mut g = c.benchmark_group(format!("mac/{}", case.name));
        g.throughput(Throughput::Bytes(case.der.len() as u64));
        if case.iterations() > 100_000 {
            g.sample_size(10).measurement_time(Duration::from_secs(8));
        } else {
            g.sample_size(20).measurement_time(Duration::from_secs(4));
        }
        g.bench_function("ours", |b| b.iter(|| assert!(case.ours(black_box(&msg)))));
        g.bench_function("bare", |b| {
            b.iter(|| assert!(black_box(&case).bare_verify()))
        });
        #[cfg(feature = "openssl")]
        if case.openssl {
            use cmp_benches::peers::openssl::{Ctx, Msg};
            let ctx = Ctx::with_secret(cmp_benches::SECRET).unwrap();
            let m = Msg::new(&case.der).unwrap();
            match ctx.validate(&m) {
                Ok(()) => {
                    g.bench_function("openssl", |b| {
                        b.iter(|| ctx.validate(black_box(&m)).unwrap())
                    });
                }
                Err(e) => eprintln!("mac/{}: OpenSSL does not validate: {e}", case.name),
            }
        }
        g.finish();

        // A server that derives the key once per shared secret and parameter set.
        let mut g = c.benchmark_group(format!("mac-cached-key/{}", case.name));
        g.throughput(Throughput::Bytes(case.der.len() as u64));
        g.bench_function("ours", |b| {
            b.iter(|| assert!(case.ours_cached(black_box(&msg))))
        });
        g.bench_function("bare", |b| {
            b.iter(|| assert!(black_box(&case).bare_cached()))
        });
        g.finish();
    }
}

fn sig(c: &mut Criterion) {
    for case in sig_cases() {
        let msg = PKIMessage::parse(&case.der).unwrap();
        let mut g = c.benchmark_group(format!("sig/{}", case.name));
        g.throughput(Throughput::Bytes(case.der.len() as u64));
        g.sample_size(30);
        g.bench_function("ours-full", |b| {
            b.iter(|| assert!(case.ours_full(black_box(&msg))))
        });
        g.bench_function("ours-key", |b| {
            b.iter(|| assert!(case.ours_key(black_box(&msg))))
        });
        g.bench_function("bare", |b| {
            b.iter(|| assert!(black_box(&case).bare_verify()))
        });
        g.bench_function("bare-decode", |b| {
            b.iter(|| assert!(black_box(&case).bare_decode_verify()))
        });
        #[cfg(feature = "openssl")]
        if case.openssl {
            use cmp_benches::peers::openssl::{Ctx, Msg};
            let ctx = Ctx::with_signer(&case.signer_cert).unwrap();
            let m = Msg::new(&case.der).unwrap();
            match ctx.validate(&m) {
                Ok(()) => {
                    g.bench_function("openssl", |b| {
                        b.iter(|| ctx.validate(black_box(&m)).unwrap())
                    });
                }
                Err(e) => eprintln!("sig/{}: OpenSSL does not validate: {e}", case.name),
            }
        }
        g.finish();
    }

    // Verifying the large message (32 extraCerts): the signer is the first, the others are
    // not decoded.
    let large = size_classes().pop().unwrap();
    let msg = PKIMessage::parse(&large.der).unwrap();
    let signer = msg.extra_certs().next().unwrap().der().to_vec();
    let mut g = c.benchmark_group("sig/ecdsa-p256-sha256-large");
    g.throughput(Throughput::Bytes(large.der.len() as u64));
    g.sample_size(30);
    let opts = cmp_benches::crypto::verify_options();
    g.bench_function("ours-full", |b| {
        b.iter(|| cmp_codec::protection::verify_signature(black_box(&msg), &[], &opts).unwrap())
    });
    g.bench_function("ours-with-cert", |b| {
        b.iter(|| {
            cmp_codec::protection::verify_signature_with_cert(black_box(&msg), &signer, &opts)
                .unwrap()
        })
    });
    g.finish();
}

fn cert_hash(c: &mut Criterion) {
    let cert = issued_certificate();
    assert_eq!(cert_hash_ours(&cert), cert_hash_bare(&cert));
    let mut g = c.benchmark_group("certhash/ecdsa-sha256-cert");
    g.throughput(Throughput::Bytes(cert.len() as u64));
    g.bench_function("ours", |b| b.iter(|| cert_hash_ours(black_box(&cert))));
    g.bench_function("bare", |b| b.iter(|| cert_hash_bare(black_box(&cert))));
    g.finish();
}

fn scaling(c: &mut Criterion) {
    let short = |g: &mut Group<'_>| {
        g.warm_up_time(Duration::from_millis(500))
            .measurement_time(Duration::from_millis(1500))
            .sample_size(20);
    };
    for n in scale::COUNTS {
        let der = scale::with_extra_certs(n);
        let mut g = c.benchmark_group(format!("scale-extracerts/{n}"));
        short(&mut g);
        g.throughput(Throughput::Bytes(der.len() as u64));
        parse_impls(&mut g, &der, false, false, true);
        g.finish();
    }
    for n in scale::COUNTS {
        let der = scale::with_cert_reqs(n);
        let mut g = c.benchmark_group(format!("scale-certreqs/{n}"));
        short(&mut g);
        g.throughput(Throughput::Bytes(der.len() as u64));
        parse_impls(&mut g, &der, false, false, true);
        g.finish();
    }
    for d in scale::depths() {
        let der = scale::nested(d);
        let mut g = c.benchmark_group(format!("scale-nesting/{d}"));
        short(&mut g);
        g.throughput(Throughput::Bytes(der.len() as u64));
        parse_impls(&mut g, &der, false, false, cmpv2::decode(&der).is_ok());
        g.finish();
    }
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(50)
        .configure_from_args()
}

fn main() {
    let mut c = config();
    parse(&mut c);
    corpus(&mut c);
    encode(&mut c);
    mac(&mut c);
    sig(&mut c);
    cert_hash(&mut c);
    scaling(&mut c);
    c.final_summary();
}
