//! Reading a PKIMessage from a file: raw DER, PEM armour, or bare base64.
//!
//! The format is recognised from the content, not from the file name:
//!
//! * **DER** when the first byte is `0x30` (a universal constructed `SEQUENCE`, which every
//!   `PKIMessage` starts with). The bytes are used as they are.
//! * **PEM** when a line starts with `-----BEGIN `: the base64 between that line and the
//!   matching `-----END ` line is decoded (RFC 7468; RFC 1421 header lines with a `:` are
//!   skipped). Any label is accepted: `PKIMESSAGE` is not registered, and tools differ.
//! * **Bare base64** otherwise: lines whose first non-blank character is `#` are comments (the
//!   Siemens cmp-test-suite samples put a dump of the message there). The data is the first
//!   block of other lines; it ends at a blank line or at the `=` padding, and anything after
//!   the padding is ignored, as Python's `b64decode` does (one Siemens sample ends in a stray
//!   `'`, others have an uncommented dump line after a blank line). Padding is optional.

use std::fmt;
use std::path::Path;

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine;

/// The standard base64 alphabet, accepting input with or without `=` padding.
const BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// How the DER was found in the input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// The input was DER already.
    Der,
    /// PEM armour with this label (`PKIMESSAGE`, ...).
    Pem {
        /// The text after `-----BEGIN `.
        label: String,
    },
    /// Bare base64, possibly after `#` comment lines.
    Base64,
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Encoding::Der => f.write_str("DER"),
            Encoding::Pem { label } => write!(f, "PEM ({label})"),
            Encoding::Base64 => f.write_str("base64"),
        }
    }
}

/// The DER bytes of one input and how they were encoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Input {
    /// The DER bytes (decoded from PEM or base64 when needed).
    pub der: Vec<u8>,
    /// How they were found.
    pub encoding: Encoding,
}

/// Why an input could not be turned into DER bytes.
#[derive(Debug)]
pub enum InputError {
    /// The file could not be read.
    Io(std::io::Error),
    /// The file is empty (or holds only whitespace and comments).
    Empty,
    /// Not DER (no leading `SEQUENCE` tag) and not text either.
    NotText {
        /// The first byte of the input.
        first_byte: u8,
    },
    /// PEM armour without its `-----END ` line.
    UnterminatedPem {
        /// The text after `-----BEGIN `.
        label: String,
    },
    /// The base64 (bare or inside PEM) is malformed.
    Base64(base64::DecodeError),
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InputError::Io(e) => write!(f, "cannot read: {e}"),
            InputError::Empty => f.write_str("empty input: no DER, PEM or base64 data"),
            InputError::NotText { first_byte } => write!(
                f,
                "not DER (first byte 0x{first_byte:02x}, a PKIMessage starts with SEQUENCE 0x30), \
                 and not PEM or base64 text"
            ),
            InputError::UnterminatedPem { label } => {
                write!(f, "PEM block {label:?} has no -----END line")
            }
            InputError::Base64(e) => write!(f, "invalid base64: {e}"),
        }
    }
}

impl std::error::Error for InputError {}

/// Read `path` and return the DER it holds (see the module documentation for the formats).
pub fn read_file(path: &Path) -> Result<Input, InputError> {
    let bytes = std::fs::read(path).map_err(InputError::Io)?;
    decode(&bytes)
}

/// Find the DER in `bytes`: DER as is, PEM, or bare base64 after `#` comment lines.
pub fn decode(bytes: &[u8]) -> Result<Input, InputError> {
    let Some(&first) = bytes.first() else {
        return Err(InputError::Empty);
    };
    if first == 0x30 {
        return Ok(Input {
            der: bytes.to_vec(),
            encoding: Encoding::Der,
        });
    }
    let text = std::str::from_utf8(bytes).map_err(|_| InputError::NotText { first_byte: first })?;
    if let Some(pem) = decode_pem(text) {
        return pem;
    }
    decode_base64(text)
}

/// The first PEM block of `text`, or `None` when there is no `-----BEGIN ` line.
fn decode_pem(text: &str) -> Option<Result<Input, InputError>> {
    let mut lines = text.lines().map(str::trim);
    let label = lines.find_map(|l| {
        l.strip_prefix("-----BEGIN ")
            .map(|rest| rest.trim_end_matches('-').trim().to_string())
    })?;
    let mut body = String::new();
    for line in lines {
        if line.starts_with("-----END ") {
            return Some(base64_to_der(&body).map(|der| Input {
                der,
                encoding: Encoding::Pem { label },
            }));
        }
        // RFC 1421 encapsulated headers (`Proc-Type: ...`) are not base64.
        if !line.contains(':') {
            body.push_str(line);
        }
    }
    Some(Err(InputError::UnterminatedPem { label }))
}

fn decode_base64(text: &str) -> Result<Input, InputError> {
    let mut body = String::new();
    for line in text.lines().map(str::trim) {
        if line.starts_with('#') {
            continue;
        }
        if line.is_empty() {
            if body.is_empty() {
                continue;
            }
            break; // a blank line ends the data
        }
        if let Some(pad) = line.find('=') {
            // The padding ends the data; whatever follows it on the line is ignored.
            let end = pad + line[pad..].chars().take_while(|c| *c == '=').count();
            body.push_str(&line[..end]);
            break;
        }
        body.push_str(line);
    }
    base64_to_der(&body).map(|der| Input {
        der,
        encoding: Encoding::Base64,
    })
}

fn base64_to_der(body: &str) -> Result<Vec<u8>, InputError> {
    let compact: String = body.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.is_empty() {
        return Err(InputError::Empty);
    }
    let der = BASE64.decode(compact).map_err(InputError::Base64)?;
    if der.is_empty() {
        return Err(InputError::Empty);
    }
    Ok(der)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DER: &[u8] = &[0x30, 0x03, 0x02, 0x01, 0x02];

    #[test]
    fn der_is_taken_as_is() {
        let input = decode(DER).unwrap();
        assert_eq!(input.der, DER);
        assert_eq!(input.encoding, Encoding::Der);
    }

    #[test]
    fn pem_with_any_label_and_headers() {
        let text = "junk before\n-----BEGIN PKIMESSAGE-----\nProc-Type: 4,ENCRYPTED\nMAMCAQI=\n-----END PKIMESSAGE-----\n";
        let input = decode(text.as_bytes()).unwrap();
        assert_eq!(input.der, DER);
        assert_eq!(
            input.encoding,
            Encoding::Pem {
                label: "PKIMESSAGE".into()
            }
        );
    }

    #[test]
    fn base64_after_comment_lines_without_padding() {
        let text = "# a dump\n#   of the message\n\nMAMC\nAQI\n";
        let input = decode(text.as_bytes()).unwrap();
        assert_eq!(input.der, DER);
        assert_eq!(input.encoding, Encoding::Base64);
    }

    #[test]
    fn base64_ends_at_padding_or_blank_line() {
        let text = "MAMCAQI='\n";
        assert_eq!(decode(text.as_bytes()).unwrap().der, DER);
        let text = "# c\nMAMC\nAQI\n\nPKIMessage SEQUENCE (3 elem)\n# more\n";
        assert_eq!(decode(text.as_bytes()).unwrap().der, DER);
    }

    #[test]
    fn errors() {
        assert!(matches!(decode(b""), Err(InputError::Empty)));
        assert!(matches!(
            decode(b"# only\n# comments\n"),
            Err(InputError::Empty)
        ));
        assert!(matches!(
            decode(&[0xff, 0xfe, 0x00]),
            Err(InputError::NotText { first_byte: 0xff })
        ));
        assert!(matches!(
            decode(b"-----BEGIN X-----\nMAMCAQI=\n"),
            Err(InputError::UnterminatedPem { .. })
        ));
        assert!(matches!(decode(b"not base64!"), Err(InputError::Base64(_))));
    }
}
