//! Which flows to capture: the ir/cr/kur/p10cr/rr/genm matrix for PBM, RSA and EC
//! signatures, special cases (polling, rejections, errors, unprotected messages, ...),
//! and probes of what OpenSSL 3.0 cannot do.

use super::flows::{Auth, Family, Flow};
use super::pki::{
    CLIENT_EC, CLIENT_RSA, DEVICE_EC, DEVICE_ED25519, DEVICE_RSA, SERVER_EC, SERVER_RSA,
};

const PBM: Family = Family {
    suffix: "pbm",
    auth: Auth::Pbm,
    server: &SERVER_EC,
    device: &DEVICE_EC,
};
const SIG_RSA: Family = Family {
    suffix: "sig_rsa",
    auth: Auth::Sig(&CLIENT_RSA),
    server: &SERVER_RSA,
    device: &DEVICE_RSA,
};
const SIG_EC: Family = Family {
    suffix: "sig_ec",
    auth: Auth::Sig(&CLIENT_EC),
    server: &SERVER_EC,
    device: &DEVICE_EC,
};

/// The messages of a `-poll_count 2` enrollment: waiting, two polls, then the certificate.
fn polled(req: &'static str, rep: &'static str) -> Vec<&'static str> {
    vec![
        req, rep, "pollReq", "pollRep", "pollReq", rep, "certConf", "pkiconf",
    ]
}

/// Every flow, in the order they run and appear in the manifest.
pub fn all() -> Vec<Flow> {
    let mut flows = Vec::new();
    for f in [PBM, SIG_RSA, SIG_EC] {
        flows.extend(matrix(f));
    }
    flows.extend(special());
    flows.extend(probes());
    flows
}

fn matrix(f: Family) -> Vec<Flow> {
    let s = f.suffix;
    let revreason = match s {
        "sig_rsa" => &["-revreason", "4"][..],
        "sig_ec" => &["-revreason", "1"][..],
        _ => &[],
    };
    vec![
        Flow::new("ir", f, format!("ir_{s}")).about("initialization request"),
        Flow::new("cr", f, format!("cr_{s}")).about("certification request"),
        Flow::new("kur", f, format!("kur_{s}"))
            .about("key update of the mock's -rsp_cert (same key: the 3.0 mock renews only it)"),
        Flow::new("p10cr", f, format!("p10cr_{s}")).about("PKCS#10 certification request"),
        Flow::new("rr", f, format!("rr_{s}"))
            .about("revocation request")
            .client(revreason),
        Flow::new("genm", f, format!("genm_{s}")).about("genm without InfoType (empty body)"),
        Flow::new("genm", f, format!("genm_signkeypairtypes_{s}"))
            .about("genm asking for signKeyPairTypes")
            .client(&["-infotype", "signKeyPairTypes"]),
        Flow::new("genm", f, format!("genm_cacerts_{s}"))
            .about("genm asking for caCerts")
            .client(&["-infotype", "caCerts"]),
    ]
}

fn special() -> Vec<Flow> {
    let unprotected = Family {
        auth: Auth::Unprotected,
        ..PBM
    };
    let ed25519 = Family {
        device: &DEVICE_ED25519,
        ..PBM
    };
    vec![
        Flow::new("ir", PBM, "ir_pbm_hmacsha256_sha512")
            .about("PBM with non-default MAC and OWF")
            .client(&["-mac", "hmacWithSHA256", "-digest", "sha512"]),
        Flow::new("ir", PBM, "ir_implicit_confirm_granted")
            .about("implicitConfirm asked for and granted")
            .client(&["-implicit_confirm"])
            .mock(&["-grant_implicitconf"])
            .bodies(&["ir", "ip"]),
        Flow::new("ir", PBM, "ir_implicit_confirm_not_granted")
            .about("implicitConfirm asked for, not granted")
            .client(&["-implicit_confirm"]),
        Flow::new("ir", PBM, "ir_polling_pbm")
            .about("ip waiting, then two polls")
            .mock(&["-poll_count", "2", "-check_after", "1"])
            .bodies(&polled("ir", "ip")),
        Flow::new("p10cr", SIG_EC, "p10cr_polling_sig_ec")
            .about("cp waiting, then two polls")
            .mock(&["-poll_count", "2", "-check_after", "1"])
            .bodies(&polled("p10cr", "cp")),
        Flow::new("ir", PBM, "ir_granted_with_mods")
            .about("ip with status grantedWithMods")
            .mock(&["-pkistatus", "1"])
            .mock(&["-statusstring", "granted with modifications"]),
        Flow::new("ir", SIG_EC, "ir_rejection_sig_ec")
            .about("ip rejection, failInfo badRequest")
            .mock(&["-pkistatus", "2", "-failure", "2"])
            .mock(&["-statusstring", "rejected by policy"])
            .fails(&["ir", "ip"]),
        Flow::new("cr", SIG_RSA, "cr_rejection_all_failurebits_sig_rsa")
            .about("cp rejection with all 27 failInfo bits")
            .mock(&["-pkistatus", "2", "-failurebits", "134217727"])
            .mock(&["-statusstring", "all failInfo bits"])
            .fails(&["cr", "cp"]),
        Flow::new("rr", PBM, "rr_rejection_pbm")
            .about("rp rejection, failInfo badCertId")
            .mock(&["-pkistatus", "2", "-failure", "4"])
            .fails(&["rr", "rp"]),
        Flow::new("ir", SIG_EC, "ir_error_sig_ec")
            .about("the mock answers with an error message")
            .mock(&["-send_error"])
            .fails(&["ir", "error"]),
        Flow::new("genm", PBM, "genm_error_pbm")
            .about("the mock answers with an error message")
            .mock(&["-send_error"])
            .fails(&["genm", "error"]),
        Flow::new("ir", PBM, "ir_error_unprotected")
            .about("unprotected error message, tolerated by the client")
            .client(&["-unprotected_errors"])
            .mock(&["-send_error", "-send_unprotected"])
            .fails(&["ir", "error"]),
        Flow::new("ir", PBM, "ir_rejection_unprotected")
            .about("unprotected ip rejection, tolerated by the client")
            .client(&["-unprotected_errors"])
            .mock(&["-send_unprot_err", "-pkistatus", "2", "-failure", "9"])
            .fails(&["ir", "ip"]),
        Flow::new("ir", PBM, "ir_certconf_rejected")
            .about("the client rejects the certificate in certConf: `-newkey device-rsa.key`")
            .newkey(&DEVICE_RSA)
            .fails(&["ir", "ip", "certConf", "pkiconf"]),
        Flow::new("ir", PBM, "ir_raverified")
            .about("POPO raVerified, accepted")
            .client(&["-popo", "0"])
            .mock(&["-accept_raverified"]),
        Flow::new("ir", PBM, "ir_raverified_refused")
            .about("POPO raVerified, refused with badPOP")
            .client(&["-popo", "0"])
            .fails(&["ir", "ip"]),
        Flow::new("ir", unprotected, "ir_unprotected")
            .about("unprotected ir and certConf, accepted by the mock")
            .mock(&["-accept_unprotected"]),
        Flow::new("ir", ed25519, "ir_pbm_ed25519_newkey")
            .about("enrolls an Ed25519 key (Ed25519 POPO)"),
        Flow::new("genm", PBM, "genm_certreqtemplate_pbm")
            .about("genm asking for certReqTemplate")
            .client(&["-infotype", "certReqTemplate"]),
        Flow::new("genm", PBM, "genm_rootcakeyupdate_pbm")
            .about("genm asking for rootCaKeyUpdate")
            .client(&["-infotype", "rootCaKeyUpdate"]),
        Flow::new("rr", SIG_EC, "rr_other_cert_sig_ec")
            .about("rr for a certificate other than the mock's -rsp_cert")
            .target(&CLIENT_EC)
            .fails(&["rr", "error"]),
        Flow::new("kur", SIG_EC, "kur_other_cert_sig_ec")
            .about("kur for a certificate other than the mock's -rsp_cert")
            .target(&CLIENT_EC)
            .fails(&["kur", "error"]),
    ]
}

/// Things OpenSSL 3.0 is expected to refuse; if one starts to work, turn it into a flow.
fn probes() -> Vec<Flow> {
    let ed25519_client = Family {
        auth: Auth::Sig(&DEVICE_ED25519),
        ..SIG_EC
    };
    let ed25519_server = Family {
        server: &DEVICE_ED25519,
        ..SIG_EC
    };
    let mut probes = vec![
        Flow::new("ir", ed25519_client, "probe_ed25519_client_signer")
            .about("Ed25519 signature protection of a request")
            .probe(),
        Flow::new("ir", ed25519_server, "probe_ed25519_server_signer")
            .about("Ed25519 signature protection of a response")
            .probe(),
    ];
    for info_type in ["rootCaCert", "certProfile", "crlStatusList", "crls"] {
        let name = format!("probe_genm_{}", info_type.to_lowercase());
        probes.push(
            Flow::new("genm", PBM, name)
                .about(format!("genm asking for {info_type} (RFC 9480)"))
                .client(&["-infotype", info_type])
                .probe(),
        );
    }
    probes
}
