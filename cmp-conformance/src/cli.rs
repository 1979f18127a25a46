//! The `cmp` command line: arguments ([`Cli`], [`Command`]) and dispatch ([`run`]).
//!
//! Each subcommand has its arguments and implementation in [`crate::commands`]; adding one
//! (`verify`, `protect`, `run`, `serve`, `replay` are planned) means a variant here, a module
//! there and an arm in [`run`].

use std::io::{self, Write};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::commands::{self, Outcome};

/// CMP (RFC 9810) message tools.
#[derive(Debug, Parser)]
#[command(name = "cmp", version, about, long_about = None)]
pub struct Cli {
    /// The subcommand to run.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands of `cmp`.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show PKIMessages as a readable tree, or as one JSON object per file.
    Inspect(commands::inspect::InspectArgs),
    /// Parse a PKIMessage and write it back as DER encoded from the parsed fields.
    Reencode(commands::reencode::ReencodeArgs),
    /// Run the reference CMP responder (a small RFC 9483 CA) over HTTP.
    Serve(commands::serve::ServeArgs),
    /// Run conformance scenarios against a CMP server; writes a run folder with every message.
    Run(commands::run::RunArgs),
    /// Re-check a recorded run folder offline and compare with the recorded findings.
    Replay(commands::replay::ReplayArgs),
    /// Verify the protection of messages (MAC with --secret, signature and chain with --trust).
    Verify(commands::verify::VerifyArgs),
    /// Write a protected copy of a message (MAC with --secret, or signature with --key/--cert).
    Protect(commands::protect::ProtectArgs),
}

/// Run the parsed command line with the process's stdout and stderr.
pub fn run(cli: &Cli) -> ExitCode {
    let stdout = io::stdout();
    let stderr = io::stderr();
    let mut out = stdout.lock();
    let mut err = stderr.lock();
    let result = match &cli.command {
        Command::Inspect(args) => commands::inspect::run(args, &mut out, &mut err),
        Command::Reencode(args) => commands::reencode::run(args, &mut out, &mut err),
        Command::Serve(args) => commands::serve::run(args, &mut out, &mut err),
        Command::Run(args) => commands::run::run(args, &mut out, &mut err),
        Command::Replay(args) => commands::replay::run(args, &mut out, &mut err),
        Command::Verify(args) => commands::verify::run(args, &mut out, &mut err),
        Command::Protect(args) => commands::protect::run(args, &mut out, &mut err),
    };
    let result = result.and_then(|outcome| out.flush().map(|()| outcome));
    match result {
        Ok(outcome) => outcome.exit_code(),
        // `cmp inspect ... | head`: the reader went away, nothing left to report.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Outcome::Failure.exit_code(),
        Err(e) => {
            let _ = writeln!(err, "cmp: cannot write output: {e}");
            Outcome::Failure.exit_code()
        }
    }
}
