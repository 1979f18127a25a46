//! `cmp run`: run conformance scenarios against a CMP server and write a run folder.

use std::io::{self, Write};
use std::path::PathBuf;
use std::time::Duration;

use super::Outcome;
use crate::profile::Profile;
use crate::run::{FixedUrl, RunOptions, Runner, ServerSource, SpawnedServer};

/// Arguments of `cmp run`.
#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// Server URL, e.g. http://127.0.0.1:8080/.well-known/cmp (default: the profile's
    /// [server] url; with [server.spawn] and no --server the profile's command is started).
    #[arg(long, value_name = "URL")]
    pub server: Option<String>,
    /// Server profile (TOML): credentials, trust anchors, offered features, known deviations.
    #[arg(long, value_name = "FILE", required_unless_present = "coverage")]
    pub profile: Option<PathBuf>,
    /// Suites to run: rfc9483, rfc9810, 3gpp, http (repeatable; default all).
    #[arg(long = "suite", value_name = "NAME")]
    pub suites: Vec<String>,
    /// Only these scenario IDs (repeatable).
    #[arg(long = "scenario", value_name = "ID")]
    pub scenarios: Vec<String>,
    /// Directory with the scenario files (default vectors/scenarios).
    #[arg(long, value_name = "DIR")]
    pub scenarios_dir: Option<PathBuf>,
    /// Run folder (default target/cmp-runs/<timestamp>).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Also list INFO findings in the summary.
    #[arg(long, short)]
    pub verbose: bool,
    /// No progress lines on stderr.
    #[arg(long, short)]
    pub quiet: bool,
    /// Use the built-in reference responder in process (through the Endpoint trait, no HTTP;
    /// scenarios that need HTTP are SKIPPED) instead of a server.
    #[arg(long, conflicts_with = "server")]
    pub in_process: bool,
    /// Run nothing: list every scenario with the requirement rows it covers and the rows of
    /// the RFC 9483 requirement matrix that no scenario or passive check covers.
    #[arg(long)]
    pub coverage: bool,
    /// Load mode: N concurrent clients repeat one scenario (`--scenario`, default ir-sig)
    /// against the server, every exchange checked; reports enrollments per second and latency
    /// percentiles (also `load.json` in the run folder).
    #[arg(long, value_name = "N", conflicts_with = "coverage")]
    pub load: Option<usize>,
    /// Load mode: repetitions over all clients.
    #[arg(long, value_name = "M", default_value_t = 200, requires = "load")]
    pub count: usize,
    /// Load mode: start no repetition after this many seconds.
    #[arg(long, value_name = "S", default_value_t = 60, requires = "load")]
    pub seconds: u64,
    /// The requirement matrix for --coverage (default ../shared/spec/rfc9483-requirements.md
    /// next to the workspace).
    #[arg(long, value_name = "FILE")]
    pub matrix: Option<PathBuf>,
}

/// The default requirement matrix: `../shared/spec/rfc9483-requirements.md` from the current
/// directory, else next to the source tree.
pub fn default_matrix() -> PathBuf {
    let here = PathBuf::from("../shared/spec/rfc9483-requirements.md");
    if here.is_file() {
        return here;
    }
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/spec/rfc9483-requirements.md")
}

fn coverage(
    args: &RunArgs,
    scenarios: &[crate::scenario::Scenario],
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<Outcome> {
    let path = args.matrix.clone().unwrap_or_else(default_matrix);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            writeln!(
                err,
                "cmp run --coverage: {}: {e} (pass --matrix FILE)",
                path.display()
            )?;
            return Ok(Outcome::Failure);
        }
    };
    let selected: Vec<crate::scenario::Scenario> = scenarios
        .iter()
        .filter(|s| s.in_suites(&args.suites))
        .cloned()
        .collect();
    write!(
        out,
        "{}",
        crate::scenario::coverage::report(&text, &selected, crate::check::PASSIVE_RULES)
    )?;
    Ok(Outcome::Success)
}

/// `target/cmp-runs/<YYYYMMDD-HHMMSS>` (made unique with a suffix).
pub fn default_out_dir() -> PathBuf {
    let now = crate::run::unix_now();
    let stamp = cmp_codec::UtcDateTime::from_unix_seconds(now)
        .map(|t| {
            format!(
                "{:04}{:02}{:02}-{:02}{:02}{:02}",
                t.year, t.month, t.day, t.hour, t.minute, t.second
            )
        })
        .unwrap_or_else(|| now.to_string());
    let base = PathBuf::from("target/cmp-runs");
    let mut dir = base.join(&stamp);
    let mut n = 1;
    while dir.exists() {
        n += 1;
        dir = base.join(format!("{stamp}-{n}"));
    }
    dir
}

/// Run and report; exit status 1 when a MUST failed (known deviations aside) or a scenario
/// could not be run.
pub fn run(args: &RunArgs, out: &mut dyn Write, err: &mut dyn Write) -> io::Result<Outcome> {
    if args.coverage {
        let dir = args
            .scenarios_dir
            .clone()
            .unwrap_or_else(crate::scenario::default_dir);
        return match crate::scenario::load_dir(&dir) {
            Ok(s) => coverage(args, &s, out, err),
            Err(e) => {
                writeln!(err, "cmp run: {e}")?;
                Ok(Outcome::Failure)
            }
        };
    }
    let Some(profile_path) = &args.profile else {
        writeln!(err, "cmp run: --profile is required")?;
        return Ok(Outcome::Failure);
    };
    let profile = match Profile::load(profile_path) {
        Ok(p) => p,
        Err(e) => {
            writeln!(err, "cmp run: {e}")?;
            return Ok(Outcome::Failure);
        }
    };
    for s in &args.suites {
        if !crate::scenario::SUITES.iter().any(|(n, _)| n == s) {
            writeln!(
                err,
                "cmp run: unknown suite {s:?} (rfc9483, rfc9810, 3gpp, http)"
            )?;
            return Ok(Outcome::Failure);
        }
    }
    let dir = args
        .scenarios_dir
        .clone()
        .unwrap_or_else(crate::scenario::default_dir);
    let scenarios = match crate::scenario::load_dir(&dir) {
        Ok(s) => s,
        Err(e) => {
            writeln!(err, "cmp run: {e}")?;
            return Ok(Outcome::Failure);
        }
    };
    let out_dir = args.out.clone().unwrap_or_else(default_out_dir);
    let timeout = Duration::from_secs(profile.server.timeout_seconds.unwrap_or(30));
    if let Some(clients) = args.load {
        return load(
            args, &profile, &scenarios, clients, out_dir, timeout, out, err,
        );
    }
    let mut source: Box<dyn ServerSource> = match (&args.server, &profile.server.spawn) {
        _ if args.in_process => Box::new(crate::run::InProcessReference {
            config: crate::responder::Config::default(),
        }),
        (Some(url), _) => Box::new(FixedUrl {
            url: url.clone(),
            timeout,
        }),
        (None, Some(_)) => match SpawnedServer::from_profile(&profile, Some(out_dir.clone())) {
            Some(s) => Box::new(s),
            None => unreachable!("spawn present"),
        },
        (None, None) => match &profile.server.url {
            Some(url) => Box::new(FixedUrl {
                url: url.clone(),
                timeout,
            }),
            None => {
                writeln!(
                    err,
                    "cmp run: no --server and the profile has no [server] url or spawn"
                )?;
                return Ok(Outcome::Failure);
            }
        },
    };
    run_with(
        &profile,
        &scenarios,
        source.as_mut(),
        args,
        out_dir,
        out,
        err,
    )
}

/// Run with a given server source (used by `cargo xtask conformance` through `cmp run` and by
/// tests with an in-process responder).
pub fn run_with(
    profile: &Profile,
    scenarios: &[crate::scenario::Scenario],
    source: &mut dyn ServerSource,
    args: &RunArgs,
    out_dir: PathBuf,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<Outcome> {
    let opts = RunOptions {
        suites: args.suites.clone(),
        only: args.scenarios.clone(),
        out_dir: out_dir.clone(),
        progress: !args.quiet,
    };
    let runner = match Runner::new(profile, opts, source.describe()) {
        Ok(r) => r,
        Err(e) => {
            writeln!(err, "cmp run: {e}")?;
            return Ok(Outcome::Failure);
        }
    };
    let report = runner.run_all(scenarios, source);
    if let Err(e) = crate::report::write_all(&report, &out_dir) {
        writeln!(err, "cmp run: {e}")?;
    }
    write!(out, "{}", crate::report::summary(&report, args.verbose))?;
    writeln!(out, "run folder: {}", out_dir.display())?;
    Ok(if report.failed() {
        Outcome::Failure
    } else {
        Outcome::Success
    })
}

/// `cmp run --load N`: repeat one scenario from N clients against `--server`, the profile's
/// URL, or (`--in-process`) one shared reference responder.
#[allow(clippy::too_many_arguments)]
fn load(
    args: &RunArgs,
    profile: &Profile,
    scenarios: &[crate::scenario::Scenario],
    clients: usize,
    out_dir: PathBuf,
    timeout: Duration,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<Outcome> {
    use crate::run::load::{run_load, LoadOptions, SharedResponder};
    let id = match args.scenarios.as_slice() {
        [] => "ir-sig",
        [one] => one.as_str(),
        _ => {
            writeln!(err, "cmp run --load: give at most one --scenario")?;
            return Ok(Outcome::Failure);
        }
    };
    let Some(scenario) = scenarios.iter().find(|s| s.id == id) else {
        writeln!(err, "cmp run --load: no scenario {id:?}")?;
        return Ok(Outcome::Failure);
    };
    let opts = LoadOptions {
        clients,
        count: args.count,
        max_time: Duration::from_secs(args.seconds),
    };
    let url = args.server.clone().or_else(|| profile.server.url.clone());
    let shared = if args.in_process {
        match SharedResponder::reference(args.count + clients + 16) {
            Ok(s) => Some(s),
            Err(e) => {
                writeln!(err, "cmp run --load: {e}")?;
                return Ok(Outcome::Failure);
            }
        }
    } else {
        None
    };
    if shared.is_none() && url.is_none() {
        writeln!(
            err,
            "cmp run --load: needs --server URL, a profile [server] url, or --in-process"
        )?;
        return Ok(Outcome::Failure);
    }
    let open = || -> Result<Box<dyn ServerSource + Send>, String> {
        match (&shared, &url) {
            (Some(s), _) => Ok(Box::new(s.clone())),
            (None, Some(url)) => Ok(Box::new(FixedUrl {
                url: url.clone(),
                timeout,
            })),
            (None, None) => Err("no server".into()),
        }
    };
    let report = match run_load(profile, scenario, &opts, &out_dir, &open) {
        Ok(r) => r,
        Err(e) => {
            writeln!(err, "cmp run --load: {e}")?;
            return Ok(Outcome::Failure);
        }
    };
    let json = serde_json::to_string_pretty(&report.to_json()).unwrap_or_default();
    if let Err(e) = std::fs::write(out_dir.join("load.json"), json + "\n") {
        writeln!(err, "cmp run --load: {}: {e}", out_dir.display())?;
    }
    write!(out, "{}", report.summary())?;
    writeln!(out, "run folder: {}", out_dir.display())?;
    Ok(if report.failed == 0 && report.done > 0 {
        Outcome::Success
    } else {
        Outcome::Failure
    })
}
