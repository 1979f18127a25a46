//! `cargo xtask <command>`: project chores that need more than `cargo test`.
//!
//! Each command is one entry in [`COMMANDS`]; add new ones (conformance, fuzz, bench, ...)
//! there with a module of their own.

mod bench;
mod conformance;
mod error;
mod fuzz;
mod rustc_wrapper;
mod vectors;

use std::process::ExitCode;

type Handler = fn(&[String]) -> error::Result<()>;

/// name, one-line help, handler
const COMMANDS: &[(&str, &str, Handler)] = &[
    (
        "vectors",
        "regenerate vectors/openssl/ with the installed `openssl cmp` (OpenSSL 3.0)",
        vectors::run,
    ),
    (
        "conformance",
        "run the conformance suites: [--server URL --profile FILE | --against openssl] [--suite NAME] [--coverage]",
        conformance::run,
    ),
    (
        "fuzz",
        "seed the corpora and run the libFuzzer targets: [TARGET] [--time SECS]",
        fuzz::run,
    ),
    ("bench", "run the benchmarks and peers, write benches/RESULTS.md", bench::run),
];

fn usage() -> String {
    let mut text = String::from("usage: cargo xtask <command> [args]\n\ncommands:\n");
    for (name, help, _) in COMMANDS {
        text.push_str(&format!("  {name:<12} {help}\n"));
    }
    text
}

fn main() -> ExitCode {
    if std::env::var_os(rustc_wrapper::ENV).is_some() {
        return rustc_wrapper::main();
    }
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(name) = args.first() else {
        eprint!("{}", usage());
        return ExitCode::from(2);
    };
    if matches!(name.as_str(), "help" | "-h" | "--help") {
        print!("{}", usage());
        return ExitCode::SUCCESS;
    }
    let Some((_, _, handler)) = COMMANDS.iter().find(|(n, _, _)| n == name) else {
        eprint!("unknown command `{name}`\n\n{}", usage());
        return ExitCode::from(2);
    };
    match handler(&args[1..]) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: cargo xtask {name}: {e}");
            ExitCode::FAILURE
        }
    }
}
