//! `nested` and `origPKIMessage` are depth-capped: hostile nesting fails cleanly instead of
//! overflowing the stack (cargo runs tests on 2 MiB threads, the tight case).

use cmp_codec::builder::MessageBuilder;
use cmp_codec::der::tlv;
use cmp_codec::itav::{InfoTypeAndValue, InfoValue};
use cmp_codec::raw::RawMessage;
use cmp_codec::{ErrorKind, GeneralName, PKIBody, PKIMessage, SeqOf, MAX_NESTING_DEPTH};

fn len_bytes(len: usize) -> Vec<u8> {
    // The length octets of `tlv`, without building the content.
    if len < 0x80 {
        return vec![len as u8];
    }
    let bytes = (len as u32).to_be_bytes();
    let skip = bytes.iter().take_while(|b| **b == 0).count();
    let mut out = vec![0x80 | (4 - skip) as u8];
    out.extend_from_slice(&bytes[skip..]);
    out
}

/// `levels` PKIMessages nested in each other through `nested`, built directly as bytes
/// (minimal header: pvno 2, two NULL-DN directoryNames), innermost a `pkiconf`. Built in
/// linear time: lengths from the inside out, then the prefixes from the outside in.
fn nested_bytes(levels: usize) -> Vec<u8> {
    let header = [
        0x30, 0x0b, 0x02, 0x01, 0x02, 0xa4, 0x02, 0x30, 0x00, 0xa4, 0x02, 0x30, 0x00,
    ];
    let innermost = tlv(0x30, &[&header[..], &[0xb3, 0x02, 0x05, 0x00]].concat());
    // prefixes[i] wraps level i's inner message: 30 L [header] b4 L 30 L.
    let mut prefixes = Vec::with_capacity(levels);
    let mut inner_len = innermost.len();
    for _ in 0..levels {
        let seq_of = [&[0x30][..], &len_bytes(inner_len)].concat();
        let body_len = seq_of.len() + inner_len;
        let body = [&[0xb4][..], &len_bytes(body_len)].concat();
        let msg_len = header.len() + body.len() + body_len;
        let prefix = [
            &[0x30][..],
            &len_bytes(msg_len),
            &header[..],
            &body,
            &seq_of,
        ]
        .concat();
        inner_len += prefix.len();
        prefixes.push(prefix);
    }
    let mut out = Vec::with_capacity(inner_len);
    for p in prefixes.iter().rev() {
        out.extend_from_slice(p);
    }
    out.extend_from_slice(&innermost);
    out
}

#[test]
fn nesting_up_to_the_cap_parses() {
    let der = nested_bytes(MAX_NESTING_DEPTH);
    let msg = PKIMessage::parse(&der).expect("nesting at the cap is allowed");
    assert_eq!(msg.encode(), der);
    let PKIBody::Nested(inner) = &msg.body else {
        panic!("not nested")
    };
    let inner = inner.get(0).unwrap().message().unwrap();
    assert_eq!(inner.body.name(), "nested");
}

#[test]
fn nesting_beyond_the_cap_is_rejected() {
    let der = nested_bytes(MAX_NESTING_DEPTH + 1);
    let err = PKIMessage::parse(&der).unwrap_err();
    assert_eq!(
        err.kind,
        ErrorKind::NestingTooDeep {
            max: MAX_NESTING_DEPTH
        }
    );
    assert!(
        err.path.starts_with("body.nested[0].body.nested[0]."),
        "{}",
        err.path
    );
    assert!(err.offset > 0 && err.offset < der.len());
}

#[test]
fn hundred_thousand_levels_fail_cleanly() {
    let der = nested_bytes(100_000);
    assert!(der.len() > 1_000_000);
    let err = PKIMessage::parse(&der).unwrap_err();
    assert_eq!(
        err.kind,
        ErrorKind::NestingTooDeep {
            max: MAX_NESTING_DEPTH
        }
    );
}

#[test]
fn orig_pki_message_in_general_info_is_capped_too() {
    // A genm whose generalInfo carries origPKIMessage, recursively.
    let mut der = nested_bytes(0);
    let mut bufs = Vec::new();
    for _ in 0..(MAX_NESTING_DEPTH + 1) {
        let inner = RawMessage::from_der(&der).unwrap();
        let itav = InfoTypeAndValue::new(InfoValue::OrigPkiMessage(Some(SeqOf::new(vec![inner]))));
        let next = MessageBuilder::new(GeneralName::null_dn(), GeneralName::null_dn())
            .general_info(itav)
            .genm(vec![])
            .encode();
        bufs.push(der);
        der = next;
    }
    let err = PKIMessage::parse(&der).unwrap_err();
    assert_eq!(
        err.kind,
        ErrorKind::NestingTooDeep {
            max: MAX_NESTING_DEPTH
        }
    );
    assert!(
        err.path.starts_with("header.generalInfo[0].infoValue[0]."),
        "{}",
        err.path
    );
    // One level less is fine.
    PKIMessage::parse(bufs.last().unwrap()).unwrap();
}
