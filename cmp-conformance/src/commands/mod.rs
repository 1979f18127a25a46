//! The subcommands of `cmp`. Each takes its parsed arguments and the output and error
//! streams (so tests can capture them) and returns an [`Outcome`]; an `Err` is a failure to
//! write the output itself.

pub mod inspect;
pub mod protect;
pub mod reencode;
pub mod replay;
pub mod run;
pub mod serve;
pub mod verify;

use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

use cmp_codec::PKIMessage;

use crate::input::{self, Input};

/// How a command ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Every input was handled.
    Success,
    /// At least one input was bad; the details went to the error stream.
    Failure,
}

impl Outcome {
    /// `0` for success, `1` for failure (`2` is left to argument errors, as clap uses it).
    pub fn exit_code(self) -> ExitCode {
        match self {
            Outcome::Success => ExitCode::SUCCESS,
            Outcome::Failure => ExitCode::FAILURE,
        }
    }

    /// `Failure` if either is.
    pub fn and(self, other: Outcome) -> Outcome {
        if self == Outcome::Success {
            other
        } else {
            Outcome::Failure
        }
    }
}

/// Read one input file (DER, PEM or base64), parse its PKIMessage and hand both to `f` with the
/// file's display name and the error stream. A file that cannot be read or parsed is reported
/// as `FILE: error` on `err` and gives [`Outcome::Failure`] without calling `f`.
pub(crate) fn with_message(
    path: &Path,
    err: &mut dyn Write,
    f: impl FnOnce(&str, &Input, &PKIMessage<'_>, &mut dyn Write) -> io::Result<Outcome>,
) -> io::Result<Outcome> {
    let file = path.display().to_string();
    let input = match input::read_file(path) {
        Ok(i) => i,
        Err(e) => {
            writeln!(err, "{file}: {e}")?;
            return Ok(Outcome::Failure);
        }
    };
    match PKIMessage::parse(&input.der) {
        Ok(msg) => f(&file, &input, &msg, err),
        Err(e) => {
            writeln!(err, "{file}: {}", parse_error(&e, &input.encoding))?;
            Ok(Outcome::Failure)
        }
    }
}

/// The message for an input that could not be parsed: the codec error (field path, byte
/// offset, reason), and for PEM or base64 input a note that offsets count in the decoded DER.
pub(crate) fn parse_error(e: &cmp_codec::DecodeError, encoding: &crate::input::Encoding) -> String {
    match encoding {
        crate::input::Encoding::Der => e.to_string(),
        other => format!("{e} (offsets count in the DER decoded from {other})"),
    }
}
