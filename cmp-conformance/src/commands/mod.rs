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

use std::process::ExitCode;

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
}

/// The message for an input that could not be parsed: the codec error (field path, byte
/// offset, reason), and for PEM or base64 input a note that offsets count in the decoded DER.
pub(crate) fn parse_error(e: &cmp_codec::DecodeError, encoding: &crate::input::Encoding) -> String {
    match encoding {
        crate::input::Encoding::Der => e.to_string(),
        other => format!("{e} (offsets count in the DER decoded from {other})"),
    }
}
