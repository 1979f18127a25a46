//! CMP conformance tooling: the library behind the `cmp` command line.
//!
//! * [`input`] reads a message from DER, PEM or bare base64 files.
//! * [`inspect`] renders a parsed message as a readable tree or as JSON.
//! * [`rules`] lists the requirements the runner checks; [`endpoint`] is how it reaches a
//!   server.
//! * [`cli`] defines the command line and [`commands`] implements its subcommands.

#![forbid(unsafe_code)]
#![warn(missing_docs)]
// `asn1::ParseError` is 136 bytes (upstream); every rust-asn1 parse closure returns it.
#![allow(clippy::result_large_err)]

pub mod check;
pub mod ckg_cms;
pub mod cli;
pub mod client;
pub mod commands;
pub mod endpoint;
pub mod input;
pub mod inspect;
pub mod profile;
pub mod report;
pub mod responder;
pub mod rules;
pub mod run;
pub mod scenario;
