//! `MANIFEST.tsv`: one row per captured DER file, every column read from the file itself.

use super::capture::Capture;
use super::content::Content;
use super::flows::Flow;
use super::message::Message;
use super::names::oid_name;
use super::openssl::Openssl;
use super::verify::Verifier;
use crate::error::{bail, Context, Result};

pub const FILE: &str = "MANIFEST.tsv";
pub const COLUMNS: [&str; 7] = [
    "file",
    "body",
    "pvno",
    "protection",
    "credential",
    "expected",
    "notes",
];

pub struct Row {
    pub file: String,
    pub body: &'static str,
    pub pvno: u64,
    pub protection: &'static str,
    pub credential: String,
    pub expected: &'static str,
    pub notes: String,
}

impl Row {
    fn cells(&self) -> [String; 7] {
        [
            self.file.clone(),
            self.body.to_string(),
            self.pvno.to_string(),
            self.protection.to_string(),
            self.credential.clone(),
            self.expected.to_string(),
            self.notes.clone(),
        ]
    }
}

pub fn rows(openssl: &Openssl, verifier: &Verifier, runs: &[(&Flow, Capture)]) -> Result<Vec<Row>> {
    let mut rows = Vec::new();
    for (flow, capture) in runs {
        let count = capture.files.len();
        for (i, (file, _)) in capture.files.iter().enumerate() {
            let row = row(
                openssl,
                verifier,
                file,
                format!("{} {}/{count}", flow.name, i + 1),
            )
            .with_context(|| format!("checking {file}"))?;
            rows.push(row);
        }
    }
    Ok(rows)
}

fn row(openssl: &Openssl, verifier: &Verifier, file: &str, position: String) -> Result<Row> {
    let der = openssl.read(file)?;
    let message = Message::parse(&der)?;
    let protection = verifier.check(&message)?;
    let content = Content::inspect(&message)?;
    let expected = if message.arm_name() == "error" {
        "error"
    } else if content.rejected() {
        "rejection"
    } else {
        "ok"
    };
    let mut notes = vec![position, protection.detail];
    if !message.general_info.is_empty() {
        let names: Vec<String> = message.general_info.iter().map(|o| oid_name(o)).collect();
        notes.push(format!("generalInfo {}", names.join(",")));
    }
    notes.extend(content.details);
    let notes = notes.join("; ");
    if notes.contains(['\t', '\n']) {
        bail!("notes contain a tab or newline: {notes:?}");
    }
    Ok(Row {
        file: file.to_string(),
        body: message.arm_name(),
        pvno: message.pvno,
        protection: protection.kind,
        credential: protection.credential,
        expected,
        notes,
    })
}

pub fn write(openssl: &Openssl, rows: &[Row]) -> Result<()> {
    let mut text = COLUMNS.join("\t");
    text.push('\n');
    for row in rows {
        text.push_str(&row.cells().join("\t"));
        text.push('\n');
    }
    openssl.write(FILE, text.as_bytes())
}
