//! Parsing makes no heap allocation: a counting global allocator watches every vector being
//! parsed and its main fields walked.

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use cmp_codec::{PKIBody, PKIMessage};

struct Counting;

thread_local! {
    static COUNT: Cell<usize> = const { Cell::new(0) };
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        COUNT.with(|c| c.set(c.get() + 1));
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        COUNT.with(|c| c.set(c.get() + 1));
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let before = COUNT.with(|c| c.get());
    let r = f();
    (r, COUNT.with(|c| c.get()) - before)
}

/// Touch the parsed data the way a server would: every request, response and ITAV.
fn walk(msg: &PKIMessage<'_>) -> usize {
    let mut n = msg.extra_certs().count() + msg.header.general_info().count();
    match &msg.body {
        PKIBody::Ir(r) | PKIBody::Cr(r) | PKIBody::Kur(r) => {
            for m in r.iter() {
                n += m
                    .cert_req
                    .cert_template
                    .subject
                    .map_or(0, |s| s.der().len());
                n += m.cert_req.controls.iter().flat_map(|c| c.iter()).count();
            }
        }
        PKIBody::Ip(r) | PKIBody::Cp(r) | PKIBody::Kup(r) => {
            n += r.response.iter().count() + r.ca_pubs.iter().flat_map(|c| c.iter()).count();
        }
        PKIBody::Genm(i) | PKIBody::Genp(i) => n += i.iter().count(),
        PKIBody::CertConf(c) => n += c.iter().map(|s| s.cert_hash.len()).sum::<usize>(),
        _ => {}
    }
    n
}

#[test]
fn parsing_every_vector_allocates_nothing() {
    let vectors = common::all_vectors("parsing_every_vector_allocates_nothing");
    // The counter works: reading the files above allocated.
    let (_, n) = allocations(|| vec![1u8; 10]);
    assert_eq!(n, 1, "the counting allocator must see allocations");
    let mut checked = 0;
    for v in &vectors {
        let (walked, n) = allocations(|| PKIMessage::parse(&v.der).map(|m| walk(&m)));
        assert!(walked.is_ok(), "{} did not parse", v.name);
        assert_eq!(n, 0, "{}: parsing allocated {n} times", v.name);
        checked += 1;
    }
    eprintln!("{checked} vectors parsed with 0 allocations");
}
