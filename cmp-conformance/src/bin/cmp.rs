//! The `cmp` command line; see `cmp --help` and [`cmp_conformance::cli`].

use std::process::ExitCode;

use clap::Parser;
use cmp_conformance::cli::{self, Cli};

fn main() -> ExitCode {
    cli::run(&Cli::parse())
}
