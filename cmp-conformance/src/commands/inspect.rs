//! `cmp inspect [--json] FILE...`: dump each file's PKIMessage.

use std::io::{self, Write};
use std::path::PathBuf;

use super::Outcome;
use crate::input;
use crate::inspect::{json, tree};

/// Arguments of `cmp inspect`.
#[derive(Debug, clap::Args)]
pub struct InspectArgs {
    /// Print one JSON object per file, one per line, instead of the tree.
    #[arg(long)]
    pub json: bool,
    /// Files holding one PKIMessage each: DER, PEM, or base64 (after optional '#' comment
    /// lines).
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,
}

/// Dump every file to `out`; report each bad one as `FILE: error` on `err` and go on.
pub fn run(args: &InspectArgs, out: &mut dyn Write, err: &mut dyn Write) -> io::Result<Outcome> {
    let mut outcome = Outcome::Success;
    let mut first = true;
    for path in &args.files {
        let o = super::with_message(path, err, |file, input, msg, _err| {
            if args.json {
                let line = json::file_json(file, &input.encoding.to_string(), input.der.len(), msg);
                writeln!(out, "{line}")?;
            } else {
                if !first {
                    writeln!(out)?;
                }
                match &input.encoding {
                    input::Encoding::Der => {
                        writeln!(out, "== {file} ({} bytes DER)", input.der.len())?
                    }
                    other => writeln!(out, "== {file} ({other}, {} bytes DER)", input.der.len())?,
                }
                out.write_all(tree::render(msg).as_bytes())?;
            }
            first = false;
            Ok(Outcome::Success)
        })?;
        outcome = outcome.and(o);
    }
    Ok(outcome)
}
