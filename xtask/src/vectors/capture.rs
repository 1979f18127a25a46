//! Runs one flow with `-reqout`/`-rspout`, checks the client's exit status and the
//! message sequence, and renames the captures to `NN-{req,rsp}-<body>.der`.

use std::fs;

use super::flows::{Expect, Flow};
use super::message::Message;
use super::openssl::{exit_text, render, Openssl};
use super::pki::ROOT;
use super::SCRATCH;
use crate::error::{bail, Context, Result};

/// File names handed to `-reqout` and to `-rspout`: openssl needs one per message.
const MAX_PER_SIDE: usize = 6;

pub struct Capture {
    pub code: Option<i32>,
    /// The whole client command line, paths relative to `vectors/openssl/`.
    pub command: String,
    /// Captured files (relative paths) and their PKIBody arm, in wire order.
    pub files: Vec<(String, &'static str)>,
    /// The client's "CMP error" lines, without source locations.
    pub errors: Vec<String>,
}

pub fn run(openssl: &Openssl, flow: &Flow) -> Result<Capture> {
    let names = |side: &str| -> Vec<String> {
        (1..=MAX_PER_SIDE)
            .map(|i| format!("{}/{side}{i}.der", flow.name))
            .collect()
    };
    let mut args: Vec<String> = vec!["cmp", "-config", "", "-batch", "-cmd", flow.cmd]
        .into_iter()
        .map(String::from)
        .collect();
    args.extend(flow.auth_args());
    args.extend(["-trusted".into(), ROOT.cert()]);
    args.extend(flow.cmd_args());
    args.extend(flow.client_extra.iter().map(|s| s.to_string()));
    if flow.enrolls() {
        args.extend(["-certout".into(), format!("{SCRATCH}/{}.pem", flow.name)]);
    }
    if !flow.probe {
        fs::create_dir(openssl.dir().join(&flow.name)).context("creating the flow directory")?;
        args.extend(["-reqout".into(), names("req").join(",")]);
        args.extend(["-rspout".into(), names("rsp").join(",")]);
    }
    args.extend(flow.mock_args());
    args.extend(flow.mock_extra.iter().map(|s| s.to_string()));

    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = openssl.run(&argv)?;
    // `openssl cmp` logs to stdout; openssl's own error queue goes to stderr
    let log = format!("{}{}", run.stdout, run.stderr);
    let errors = cmp_errors(&log);
    let wanted = match flow.expect {
        Expect::Success => 0,
        Expect::Failure => 1,
    };
    if run.code != Some(wanted) {
        let what = if flow.probe {
            " (a probe: OpenSSL can now do this, make it a flow)"
        } else {
            ""
        };
        bail!(
            "`{}` ended with {}, expected exit status {wanted}{what}; its output:\n{}",
            render(&argv),
            exit_text(run.code),
            log.trim_end()
        );
    }
    let mut files = Vec::new();
    if !flow.probe {
        files = rename_captures(openssl, flow, &names("req"), &names("rsp"))?;
        let bodies: Vec<&str> = files.iter().map(|(_, arm)| *arm).collect();
        if bodies != flow.bodies {
            bail!(
                "expected the messages {:?}, captured {bodies:?}",
                flow.bodies
            );
        }
    } else if errors.is_empty() {
        bail!(
            "probe failed without any CMP error line:\n{}",
            log.trim_end()
        );
    }
    Ok(Capture {
        code: run.code,
        command: render(&argv),
        files,
        errors,
    })
}

/// req_i and rsp_i become 2i-1 and 2i: requests and responses interleaved in wire order.
fn rename_captures(
    openssl: &Openssl,
    flow: &Flow,
    reqs: &[String],
    rsps: &[String],
) -> Result<Vec<(String, &'static str)>> {
    if [reqs, rsps]
        .iter()
        .any(|names| names.iter().all(|n| openssl.dir().join(n).exists()))
    {
        bail!("all {MAX_PER_SIDE} -reqout or -rspout names used: raise MAX_PER_SIDE");
    }
    let mut files = Vec::new();
    for (i, (req, rsp)) in reqs.iter().zip(rsps).enumerate() {
        for (seq, side, path) in [(2 * i + 1, "req", req), (2 * i + 2, "rsp", rsp)] {
            if !openssl.dir().join(path).exists() {
                continue;
            }
            let der = openssl.read(path)?;
            let arm = Message::parse(&der)
                .with_context(|| format!("parsing {path}"))?
                .arm_name();
            let name = format!("{}/{seq:02}-{side}-{arm}.der", flow.name);
            fs::rename(openssl.dir().join(path), openssl.dir().join(&name))
                .with_context(|| format!("renaming {path} to {name}"))?;
            files.push((name, arm));
        }
    }
    Ok(files)
}

/// `setup_client_ctx:../apps/cmp.c:1965:CMP error: unknown OID` -> `unknown OID`.
fn cmp_errors(stderr: &str) -> Vec<String> {
    stderr
        .lines()
        .filter_map(|line| {
            line.split_once("CMP error: ")
                .map(|(_, text)| text.trim().to_string())
        })
        .collect()
}
