//! The manifest rows of the Bouncy Castle vectors: every column read from the file itself
//! (body from the second TLV, pvno, protection re-verified with `openssl`), plus the checks
//! BC made in the notes.

use std::collections::BTreeMap;

use super::report::Report;
use super::verify::{name, Verifier};
use crate::error::{bail, Context, Result};
use crate::vectors::content::Content;
use crate::vectors::manifest::Row;
use crate::vectors::message::Message;
use crate::vectors::openssl::Openssl;

pub fn rows(openssl: &Openssl, verifier: &Verifier, report: &Report) -> Result<Vec<Row>> {
    let mut per_flow: BTreeMap<&str, usize> = BTreeMap::new();
    for file in &report.files {
        *per_flow.entry(flow_of(&file.file)).or_default() += 1;
    }
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    let mut rows = Vec::new();
    for file in &report.files {
        let flow = flow_of(&file.file);
        let i = seen.entry(flow).or_default();
        *i += 1;
        let position = format!("{flow} {i}/{}", per_flow[flow]);
        let row = row(openssl, verifier, file, position)
            .with_context(|| format!("checking {}", file.file))?;
        rows.push(row);
    }
    Ok(rows)
}

fn flow_of(file: &str) -> &str {
    file.split_once('/').map_or(file, |(flow, _)| flow)
}

fn row(
    openssl: &Openssl,
    verifier: &Verifier,
    file: &super::report::File,
    position: String,
) -> Result<Row> {
    let der = openssl.read(&file.file)?;
    let message = Message::parse(&der)?;
    let body = message.arm_name();
    // the name BC gave the file must agree with the bytes
    let named = file
        .file
        .strip_suffix(".der")
        .and_then(|f| f.rsplit_once('-'))
        .map(|(_, b)| b);
    if named != Some(body) {
        bail!("named {named:?}, but the second TLV is the {body} arm");
    }
    let protection = verifier.check(&message, &file.credential)?;
    if protection.kind != file.kind {
        bail!(
            "BC built {} protection, the file has {}",
            file.kind,
            protection.kind
        );
    }
    let content = Content::inspect(&message)?;
    let expected = if body == "error" {
        "error"
    } else if content.rejected() {
        "rejection"
    } else {
        "ok"
    };
    let mut notes = vec![position, protection.detail];
    if !message.general_info.is_empty() {
        let names: Vec<String> = message.general_info.iter().map(|o| name(o)).collect();
        notes.push(format!("generalInfo {}", names.join(",")));
    }
    notes.extend(content.details);
    notes.push(file.notes.clone());
    let notes = notes.join("; ");
    if notes.contains(['\t', '\n']) {
        bail!("notes contain a tab or newline: {notes:?}");
    }
    Ok(Row {
        file: file.file.clone(),
        body,
        pvno: message.pvno,
        protection: protection.kind,
        credential: file.credential.clone(),
        expected,
        notes,
    })
}
