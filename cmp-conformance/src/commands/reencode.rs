//! `cmp reencode IN OUT`: parse a PKIMessage and write the DER the codec encodes from it.
//!
//! For every message the codec accepts, the result should equal the input DER; the summary
//! line says whether it does, and where the first difference is when it does not.

use std::io::{self, Write};
use std::path::PathBuf;

use super::Outcome;

/// Arguments of `cmp reencode`.
#[derive(Debug, clap::Args)]
pub struct ReencodeArgs {
    /// The message to read: DER, PEM or base64.
    #[arg(value_name = "IN")]
    pub input: PathBuf,
    /// Where to write the re-encoded DER.
    #[arg(value_name = "OUT")]
    pub output: PathBuf,
}

/// Parse `IN`, encode it, write `OUT`, and print one summary line; errors go to `err`.
pub fn run(args: &ReencodeArgs, out: &mut dyn Write, err: &mut dyn Write) -> io::Result<Outcome> {
    super::with_message(&args.input, err, |file, input, msg, err| {
        let der = msg.encode();
        if let Err(e) = std::fs::write(&args.output, &der) {
            writeln!(err, "{}: cannot write: {e}", args.output.display())?;
            return Ok(Outcome::Failure);
        }
        let comparison = match first_difference(&input.der, &der) {
            None => "identical to the input DER".to_string(),
            Some(at) => format!("differs from the input DER from byte {at} on"),
        };
        writeln!(
            out,
            "{file} ({}, {} bytes) -> {} ({} bytes): {comparison}",
            input.encoding,
            input.der.len(),
            args.output.display(),
            der.len()
        )?;
        Ok(Outcome::Success)
    })
}

/// The offset of the first differing byte, `None` when `a == b`.
fn first_difference(a: &[u8], b: &[u8]) -> Option<usize> {
    if a == b {
        return None;
    }
    Some(a.iter().zip(b).take_while(|(x, y)| x == y).count())
}

#[cfg(test)]
mod tests {
    use super::first_difference;

    #[test]
    fn difference_offsets() {
        assert_eq!(first_difference(b"abc", b"abc"), None);
        assert_eq!(first_difference(b"abc", b"abd"), Some(2));
        assert_eq!(first_difference(b"abc", b"ab"), Some(2));
    }
}
