//! Running the installed `openssl` command line tool, always from one working directory
//! so that every path in a command line is relative to `vectors/openssl/`.

use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::error::{bail, Context, Error, Result};

pub struct Openssl {
    dir: PathBuf,
}

pub struct Run {
    /// `None` if openssl was killed by a signal (e.g. a crash).
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

/// Checks that `openssl` can be started and returns its `openssl version` line.
pub fn version() -> Result<String> {
    let openssl = Openssl::new(Path::new("."));
    Ok(openssl.check(&["version"])?.trim().to_string())
}

impl Openssl {
    pub fn new(dir: &Path) -> Self {
        Openssl {
            dir: dir.to_path_buf(),
        }
    }

    /// Runs `openssl ARGS`; a non-zero exit is not an error here (see [`Run::code`]).
    pub fn run(&self, args: &[&str]) -> Result<Run> {
        let output: Output = Command::new("openssl")
            .args(args)
            .current_dir(&self.dir)
            .output()
            .map_err(|e| match e.kind() {
                ErrorKind::NotFound => Error::new(
                    "`openssl` was not found on PATH; this command drives the OpenSSL 3.0 \
                     command line tool, install it with: apt-get install -y openssl",
                ),
                _ => Error::new(format!("cannot start `{}`: {e}", render(args))),
            })?;
        Ok(Run {
            code: output.status.code(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        })
    }

    /// Runs `openssl ARGS` and fails unless it exits with 0; returns stdout.
    pub fn check(&self, args: &[&str]) -> Result<String> {
        let run = self.run(args)?;
        if run.code != Some(0) {
            bail!(
                "`{}` failed ({}):\n{}",
                render(args),
                exit_text(run.code),
                run.stderr.trim_end()
            );
        }
        Ok(run.stdout)
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Reads a file below the working directory.
    pub fn read(&self, relative: &str) -> Result<Vec<u8>> {
        std::fs::read(self.dir.join(relative)).with_context(|| format!("reading {relative}"))
    }

    /// Writes a file below the working directory.
    pub fn write(&self, relative: &str, data: &[u8]) -> Result<()> {
        std::fs::write(self.dir.join(relative), data).with_context(|| format!("writing {relative}"))
    }
}

pub fn exit_text(code: Option<i32>) -> String {
    match code {
        Some(c) => format!("exit status {c}"),
        None => "killed by a signal".to_string(),
    }
}

/// The command line as one would type it in a POSIX shell.
pub fn render(args: &[&str]) -> String {
    let mut line = String::from("openssl");
    for arg in args {
        line.push(' ');
        line.push_str(&quote(arg));
    }
    line
}

/// One argument, single-quoted for a POSIX shell if it needs to be.
pub fn quote(arg: &str) -> String {
    let plain = !arg.is_empty()
        && arg
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=,+@%".contains(c));
    if plain {
        arg.to_string()
    } else {
        format!("'{}'", arg.replace('\'', r"'\''"))
    }
}
