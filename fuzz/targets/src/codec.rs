//! The `parse` and `roundtrip` targets: properties of [`cmp_codec::PKIMessage`] on any bytes.

use cmp_codec::itav::InfoValue;
use cmp_codec::{PKIBody, PKIMessage};

/// `parse`: any input either fails with an error that points inside the input, or parses to a
/// message whose every part can be walked; never a panic. (Time and memory are bounded by the
/// fuzzer's `-timeout` and `-rss_limit_mb`.)
pub fn parse(data: &[u8]) {
    match PKIMessage::parse(data) {
        Err(e) => {
            // The error renders, and its offset is a position in the input (or its end).
            let text = e.to_string();
            assert!(!text.is_empty());
            assert!(
                e.offset <= data.len(),
                "error offset {} beyond the {}-byte input: {e}",
                e.offset,
                data.len()
            );
        }
        Ok(msg) => walk(&msg, data),
    }
}

/// Touch every part of a parsed message that the codec exposes lazily (`SEQUENCE OF`s are
/// parsed again when iterated) and check the invariants of the raw parts.
fn walk(msg: &PKIMessage<'_>, data: &[u8]) {
    let header = msg
        .header_der()
        .expect("a parsed message keeps its header DER");
    let body = msg.body_der().expect("a parsed message keeps its body DER");
    assert!(within(header, data) && within(body, data));
    let pp = msg
        .protected_part()
        .expect("a parsed message has a protected part");
    assert_eq!(pp.len(), pp.chunks().iter().map(|c| c.len()).sum::<usize>());
    assert!(pp.len() >= header.len() + body.len() + 2);
    let _ = msg.body.name();
    // `Debug` iterates every `SEQUENCE OF` down to the leaves (rust-asn1 re-parses lazily).
    let _ = format!("{msg:?}");
    let _ = msg.header.implicit_confirm();
    for itav in msg.header.general_info() {
        let _ = itav.info_type();
        nested_in_itav(&itav.info_value);
    }
    for cert in msg.extra_certs() {
        assert!(within(cert.der(), data));
    }
    match &msg.body {
        PKIBody::Nested(msgs) => {
            for m in msgs.iter() {
                let inner = m
                    .message()
                    .expect("nested messages were checked by the outer parse");
                walk(&inner, data);
            }
        }
        PKIBody::Genm(itavs) | PKIBody::Genp(itavs) => {
            for itav in itavs.iter() {
                let _ = itav.info_type();
                nested_in_itav(&itav.info_value);
            }
        }
        PKIBody::Ip(rep) | PKIBody::Cp(rep) | PKIBody::Kup(rep) | PKIBody::Ccp(rep) => {
            for c in rep.ca_pubs.iter().flat_map(|c| c.iter()) {
                assert!(within(c.der(), data));
            }
            for r in rep.response.iter() {
                let _ = r.status.fail_info.as_ref().map(|f| f.names());
            }
        }
        PKIBody::Error(e) => {
            let _ = e.pki_status_info.fail_info.as_ref().map(|f| f.is_der());
        }
        _ => {}
    }
}

fn nested_in_itav(value: &InfoValue<'_>) {
    if let InfoValue::OrigPkiMessage(Some(msgs)) = value {
        for m in msgs.iter() {
            m.message()
                .expect("origPKIMessage contents were checked by the outer parse");
        }
    }
}

/// Whether `part` is a slice of `whole` (the codec borrows, it does not copy).
fn within(part: &[u8], whole: &[u8]) -> bool {
    let (p, w) = (part.as_ptr() as usize, whole.as_ptr() as usize);
    p >= w && p + part.len() <= w + whole.len()
}

/// `roundtrip`: whatever parses re-encodes to exactly the input bytes, re-parses to an equal
/// value, and its typed `ProtectedPart` encoding equals the received one (so a MAC or signature
/// computed on a re-encoded message matches the one computed on the wire bytes).
pub fn roundtrip(data: &[u8]) {
    header_readers_agree(data);
    template_readers_agree(data);
    let Ok(msg) = PKIMessage::parse(data) else {
        return;
    };
    let der = msg.encode();
    assert!(der == data, "re-encoding changed the bytes");
    let again = PKIMessage::parse(&der).expect("the re-encoding parses");
    assert!(again == msg, "the re-encoding parses to a different value");
    assert_eq!(
        msg.encode_protected_part(),
        msg.protected_part().expect("parsed").to_vec(),
        "typed ProtectedPart differs from the received one"
    );
}

/// `PKIHeader::parse_content` (direct walk, then the derived reader) reads what the derived
/// reader alone reads, on the input taken as header content and on the header of the input
/// taken as a message.
fn header_readers_agree(data: &[u8]) {
    use asn1::SimpleAsn1Readable;
    use cmp_codec::header::PKIHeader;
    let agree = |content: &[u8]| {
        assert_eq!(
            PKIHeader::parse_content(content),
            PKIHeader::parse_data(content),
            "the header readers disagree"
        );
    };
    agree(data);
    if let Ok((outer, _)) = asn1::strip_tlv(data) {
        if let Ok((header, _)) = asn1::strip_tlv(outer.data()) {
            agree(header.data());
        }
    }
}

/// `CertTemplate`'s direct reader, when it accepts, reads what the derived reader reads, and
/// the combined reader always does; on the input taken as template content.
fn template_readers_agree(data: &[u8]) {
    use asn1::SimpleAsn1Readable;
    use cmp_codec::crmf::CertTemplate;
    let derived = CertTemplate::parse_derived(data);
    if let Some(direct) = CertTemplate::parse_direct(data) {
        assert_eq!(Ok(direct), derived, "the direct template reader accepted");
    }
    assert_eq!(
        CertTemplate::parse_data(data),
        derived,
        "the template readers disagree"
    );
}
