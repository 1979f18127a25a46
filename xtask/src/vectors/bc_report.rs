//! The tab-separated reports `BcVectors` writes next to its classes: what it wrote, which
//! credential verified each message in BC, the flows, the test PKI and what BC cannot do.

use std::fs;
use std::path::Path;

use crate::error::{bail, Context, Result};

pub struct File {
    /// Relative to `vectors/bouncycastle/`.
    pub file: String,
    /// `none`, `pbm`, `pbmac1` or `sig`, as BC built it.
    pub kind: String,
    /// What BC verified the protection with: `pass:<secret>`, a certificate path or `-`.
    pub credential: String,
    /// The checks BC made when it read the message back.
    pub notes: String,
}

pub struct Flow {
    pub name: String,
    pub pvno: String,
    pub about: String,
}

pub struct Credential {
    pub name: String,
    pub key: String,
    pub subject: String,
    pub issuer: String,
    pub role: String,
}

pub struct Report {
    /// e.g. `BouncyCastle Security Provider v1.72`.
    pub provider: String,
    /// e.g. `java 17.0.15`.
    pub java: String,
    pub files: Vec<File>,
    pub flows: Vec<Flow>,
    pub credentials: Vec<Credential>,
    /// (what was tried, what happened).
    pub limits: Vec<(String, String)>,
}

impl Report {
    pub fn read(dir: &Path) -> Result<Self> {
        let version = fs::read_to_string(dir.join("version.txt")).context("version.txt")?;
        let mut lines = version.lines();
        let provider = lines.next().unwrap_or_default().to_string();
        let java = lines.next().unwrap_or_default().to_string();
        let files = table::<4>(dir, "files.tsv")?
            .into_iter()
            .map(|[file, kind, credential, notes]| File {
                file,
                kind,
                credential,
                notes,
            })
            .collect();
        let flows = table::<3>(dir, "flows.tsv")?
            .into_iter()
            .map(|[name, pvno, about]| Flow { name, pvno, about })
            .collect();
        let credentials = table::<5>(dir, "credentials.tsv")?
            .into_iter()
            .map(|[name, key, subject, issuer, role]| Credential {
                name,
                key,
                subject,
                issuer,
                role,
            })
            .collect();
        let limits = table::<2>(dir, "limits.tsv")?
            .into_iter()
            .map(|[tried, result]| (tried, result))
            .collect();
        Ok(Report {
            provider,
            java,
            files,
            flows,
            credentials,
            limits,
        })
    }
}

/// The rows of a headerless TSV file with exactly `N` columns.
fn table<const N: usize>(dir: &Path, name: &str) -> Result<Vec<[String; N]>> {
    let text = fs::read_to_string(dir.join(name)).with_context(|| format!("reading {name}"))?;
    let mut rows = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let cells: Vec<String> = line.split('\t').map(str::to_string).collect();
        let Ok(row) = <[String; N]>::try_from(cells) else {
            bail!("{name} line {}: expected {N} columns: {line:?}", i + 1);
        };
        rows.push(row);
    }
    if rows.is_empty() {
        bail!("{name} is empty");
    }
    Ok(rows)
}
