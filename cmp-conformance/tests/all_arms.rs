//! Every `PKIBody` alternative, built with `cmp-codec`, dumped as a tree (snapshot per arm)
//! and as JSON; the messages also cover every protection algorithm whose parameters the dump
//! decodes and every `infoType` (with and without a value).

mod common;

use cmp_codec::PKIMessage;
use cmp_conformance::inspect::{json, tree};

#[test]
fn every_arm_has_a_tree_snapshot() {
    let arms = common::all_arms();
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots/arms");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        for (i, (arm, der)) in arms.iter().enumerate() {
            let msg = PKIMessage::parse(der).unwrap_or_else(|e| panic!("{arm}: {e}"));
            assert_eq!(msg.body.name(), *arm);
            insta::assert_snapshot!(format!("{i:02}-{arm}"), tree::render(&msg));
        }
    });
}

#[test]
fn every_arm_in_json() {
    for (arm, der) in common::all_arms() {
        let msg = PKIMessage::parse(&der).unwrap();
        let v = json::message_json(&msg);
        assert_eq!(v["body"], arm);
        assert_eq!(v["pvno"], 3);
        assert_eq!(v["pvno_name"], "cmp2021");
        assert_eq!(v["transaction_id"], "11".repeat(16));
        assert_eq!(v["sender_nonce"], "22".repeat(16));
        assert_eq!(v["recip_nonce"], "33".repeat(16));
        assert_eq!(v["sender_kid"], "6b69642d31");
        assert_eq!(v["message_time"], "2026-11-26T12:00:00Z");
    }
}

#[test]
fn json_carries_statuses_and_nested_messages() {
    let arms = common::all_arms();
    let get = |name: &str| {
        let der = &arms.iter().find(|(a, _)| *a == name).unwrap().1;
        json::message_json(&PKIMessage::parse(der).unwrap())
    };
    let cp = get("cp");
    assert_eq!(cp["statuses"][0]["status"], "rejection");
    assert_eq!(
        cp["statuses"][0]["fail_info"],
        serde_json::json!(["badAlg", "systemFailure"])
    );
    assert_eq!(cp["statuses"][0]["status_string"][0], "not today");

    let ip = get("ip");
    assert_eq!(
        ip["certificates"][0]["subject"],
        "CN=Test CA,O=cmp-conformance"
    );

    let error = get("error");
    assert_eq!(error["error_code"], 42);
    assert_eq!(error["error_details"][1], "line \"two\"");

    let nested = get("nested");
    assert_eq!(nested["nested"].as_array().unwrap().len(), 2);
    assert_eq!(nested["nested"][0]["body"], "genm");
    assert_eq!(nested["nested"][0]["implicit_confirm"], true);
    assert_eq!(nested["general_info"][0], "origPKIMessage");

    let genp = get("genp");
    assert_eq!(genp["itavs"].as_array().unwrap().len(), 23);
    assert_eq!(genp["itavs"][22], "1.2.3.4.5");
}
