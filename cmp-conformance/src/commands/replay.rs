//! `cmp replay RUNDIR`: re-check a recorded run offline (same checks over the saved DER
//! files) and compare with the findings recorded at run time.

use std::io::{self, Write};
use std::path::PathBuf;

use super::Outcome;
use crate::check::Config;
use crate::profile::Profile;

/// Arguments of `cmp replay`.
#[derive(Debug, clap::Args)]
pub struct ReplayArgs {
    /// The run folder (with report.json and the NNN-*.der files).
    pub run_dir: PathBuf,
    /// Profile to take the MAC secret and trust anchors from (default: the one recorded).
    #[arg(long, value_name = "FILE")]
    pub profile: Option<PathBuf>,
    /// Also list INFO findings.
    #[arg(long, short)]
    pub verbose: bool,
}

/// Replay; exit 1 if the findings differ from the recorded ones or a MUST failed.
pub fn run(args: &ReplayArgs, out: &mut dyn Write, err: &mut dyn Write) -> io::Result<Outcome> {
    let recorded = match crate::report::read(&args.run_dir) {
        Ok(r) => r,
        Err(e) => {
            writeln!(err, "cmp replay: {e}")?;
            return Ok(Outcome::Failure);
        }
    };
    let profile_path = args
        .profile
        .clone()
        .or_else(|| recorded.profile_path.as_ref().map(PathBuf::from));
    let cfg = match profile_path {
        Some(p) => match Profile::load(&p).and_then(|p| Config::from_profile(&p)) {
            Ok(c) => c,
            Err(e) => {
                writeln!(err, "cmp replay: {e}")?;
                return Ok(Outcome::Failure);
            }
        },
        None => {
            writeln!(err, "cmp replay: no profile recorded; pass --profile")?;
            return Ok(Outcome::Failure);
        }
    };
    let replayed = match crate::run::replay(&recorded, &args.run_dir, &cfg) {
        Ok(r) => r,
        Err(e) => {
            writeln!(err, "cmp replay: {e}")?;
            return Ok(Outcome::Failure);
        }
    };
    let mut again = recorded.clone();
    again.scenarios = replayed;
    write!(out, "{}", crate::report::summary(&again, args.verbose))?;
    let mut differ = 0;
    for (a, b) in recorded.scenarios.iter().zip(again.scenarios.iter()) {
        if a.findings != b.findings || a.status != b.status {
            differ += 1;
            writeln!(
                out,
                "DIFFERS: {} recorded {} ({} findings), replayed {} ({} findings)",
                a.id,
                a.status.label(),
                a.findings.len(),
                b.status.label(),
                b.findings.len()
            )?;
            for f in b.findings.iter().filter(|f| !a.findings.contains(f)) {
                writeln!(
                    out,
                    "  only in replay: {} {} {}",
                    f.severity.label(),
                    f.rule,
                    f.seen
                )?;
            }
            for f in a.findings.iter().filter(|f| !b.findings.contains(f)) {
                writeln!(
                    out,
                    "  only recorded:  {} {} {}",
                    f.severity.label(),
                    f.rule,
                    f.seen
                )?;
            }
        }
    }
    if differ == 0 {
        writeln!(
            out,
            "replay: same findings as recorded ({} scenarios, {} exchanges)",
            recorded.scenarios.len(),
            recorded.exchanges.len()
        )?;
    }
    Ok(if differ > 0 || again.failed() {
        Outcome::Failure
    } else {
        Outcome::Success
    })
}
