//! The `inspect` target: the `cmp inspect` input sniffer (DER, PEM or base64) and both dump
//! renderers on whatever parses. Never a panic; the dump of a message that parsed is never
//! empty and its JSON is valid.

use cmp_codec::PKIMessage;
use cmp_conformance::inspect::{json, tree};

pub fn inspect(data: &[u8]) {
    let Ok(input) = cmp_conformance::input::decode(data) else {
        return;
    };
    let Ok(msg) = PKIMessage::parse(&input.der) else {
        return;
    };
    let text = tree::render(&msg);
    assert!(text.contains("body: "), "the tree names the body");
    let line = json::file_json("fuzz", &input.encoding.to_string(), input.der.len(), &msg);
    let s = line.to_string();
    let back: serde_json::Value = serde_json::from_str(&s).expect("the JSON line is valid JSON");
    assert_eq!(back["body"], serde_json::json!(msg.body.name()));
}
