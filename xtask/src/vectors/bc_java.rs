//! Finding Java and the Bouncy Castle jars, compiling `xtask/java/BcVectors.java` and
//! running it.

use std::io::ErrorKind;
use std::path::Path;
use std::process::{Command, Output};

use super::secret;
use crate::error::{bail, Error, Result};

/// Relative to the xtask crate.
pub const SOURCE: &str = "java/BcVectors.java";

/// Debian's BC 1.72 packages install these (symlinks to the versioned jars).
pub const JARS: [&str; 3] = [
    "/usr/share/java/bcprov.jar",
    "/usr/share/java/bcpkix.jar",
    "/usr/share/java/bcutil.jar",
];

const INSTALL: &str = "apt-get update && apt-get install -y default-jdk-headless \
                       libbcprov-java libbcpkix-java libbcutil-java";

/// The BC version the flows and the README's list of limits were written against.
pub const EXPECTED_BC: &str = "1.72";

pub struct Tools {
    /// The jar files the symlinks point to, e.g. `bcprov-1.72.jar`.
    pub jar_files: Vec<String>,
    /// `javac -version`.
    pub javac: String,
}

impl Tools {
    /// Fails with the apt command to run when `javac`, `java` or a jar is missing.
    pub fn find() -> Result<Self> {
        let missing: Vec<&str> = JARS
            .iter()
            .copied()
            .filter(|jar| !Path::new(jar).is_file())
            .collect();
        if !missing.is_empty() {
            bail!(
                "Bouncy Castle jars not found: {}; install them with: {INSTALL}",
                missing.join(", ")
            );
        }
        let javac = version("javac")?;
        version("java")?;
        let jar_files = JARS
            .iter()
            .map(|jar| {
                std::fs::canonicalize(jar)
                    .ok()
                    .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
                    .unwrap_or_else(|| jar.to_string())
            })
            .collect::<Vec<_>>();
        if !jar_files
            .iter()
            .all(|j| j.contains(&format!("-{EXPECTED_BC}.jar")))
        {
            eprintln!(
                "warning: expected Bouncy Castle {EXPECTED_BC}, found {}; flows and limits may differ",
                jar_files.join(", ")
            );
        }
        Ok(Tools { jar_files, javac })
    }

    fn classpath(&self, classes: Option<&Path>) -> String {
        let mut parts: Vec<String> = classes
            .map(|c| c.display().to_string())
            .into_iter()
            .collect();
        parts.extend(JARS.iter().map(|j| j.to_string()));
        parts.join(":")
    }

    /// `javac` into `classes`, with every lint except the jars' broken Class-Path entries.
    pub fn compile(&self, classes: &Path) -> Result<()> {
        let source = Path::new(env!("CARGO_MANIFEST_DIR")).join(SOURCE);
        let mut cmd = Command::new("javac");
        cmd.args(["-Xlint:all,-path", "-Werror", "-encoding", "UTF-8", "-d"])
            .arg(classes)
            .arg("-cp")
            .arg(self.classpath(None))
            .arg(&source);
        check(cmd, "javac")?;
        Ok(())
    }

    /// `java BcVectors OUT REPORT SECRET KID`; returns its standard output.
    pub fn run(&self, classes: &Path, out: &Path, report: &Path) -> Result<String> {
        let (secret, kid) = secret();
        let mut cmd = Command::new("java");
        cmd.arg("-cp")
            .arg(self.classpath(Some(classes)))
            .arg("BcVectors")
            .arg(out)
            .arg(report)
            .args([secret, kid]);
        let output = check(cmd, "java BcVectors")?;
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        eprint!("{stdout}");
        Ok(stdout)
    }
}

/// The first line `TOOL -version` prints (Java prints it on stderr or stdout).
fn version(tool: &str) -> Result<String> {
    let mut cmd = Command::new(tool);
    cmd.arg("-version");
    let output = check(cmd, tool)?;
    let text = [output.stdout, output.stderr].concat();
    Ok(String::from_utf8_lossy(&text)
        .lines()
        .next()
        .unwrap_or(tool)
        .trim()
        .to_string())
}

/// Runs `cmd` and fails unless it exits with 0, with its output in the error.
fn check(mut cmd: Command, what: &str) -> Result<Output> {
    let output = cmd.output().map_err(|e| match e.kind() {
        ErrorKind::NotFound => Error::new(format!(
            "`{what}` was not found on PATH; Java 17 and the Bouncy Castle jars are needed, \
             install them with: {INSTALL}"
        )),
        _ => Error::new(format!("cannot start `{what}`: {e}")),
    })?;
    if !output.status.success() {
        bail!(
            "`{what}` failed ({}):\n{}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr).trim_end()
        );
    }
    Ok(output)
}
