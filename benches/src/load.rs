//! Concurrent enrollments against the reference responder (`cmp serve`), in process and
//! over HTTP on 127.0.0.1, measured with the runner's own load mode (`cmp run --load N`,
//! [`cmp_conformance::run::load`]): N clients repeat the `ir-sig` scenario (signed ir → ip,
//! certConf → pkiConf, no implicitConfirm) with every response checked by the rules, bounded
//! by a total count and a time limit. Reports enrollments per second and latency
//! percentiles; the client side (building, signing and checking) is part of the latency.

use std::path::Path;
use std::time::Duration;

#[cfg(feature = "responder")]
pub use cmp_conformance::run::load::LoadReport;

/// Where the requests go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transport {
    /// One shared `Responder` through the `Endpoint` trait.
    InProcess,
    /// HTTP/1.1 to `responder::http::HttpServer` on 127.0.0.1.
    Http,
}

impl Transport {
    pub fn name(self) -> &'static str {
        match self {
            Transport::InProcess => "in-process",
            Transport::Http => "http",
        }
    }
}

/// Bounds of one load run.
#[derive(Clone, Copy, Debug)]
pub struct LoadOptions {
    pub transport: Transport,
    pub clients: usize,
    /// Total enrollments (over all clients).
    pub enrollments: usize,
    /// Stop starting new enrollments after this long.
    pub max_time: Duration,
}

/// Run one load test with the reference profile and the `ir-sig` scenario.
#[cfg(feature = "responder")]
pub fn run(opts: LoadOptions) -> Result<LoadReport, String> {
    use cmp_conformance::profile::Profile;
    use cmp_conformance::responder::http::HttpServer;
    use cmp_conformance::run::load::{run_load, SharedResponder};
    use cmp_conformance::run::{FixedUrl, ServerSource};

    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let profile = Profile::load(&root.join("profiles/reference.toml"))?;
    let scenarios = cmp_conformance::scenario::load_dir(&root.join("vectors/scenarios"))?;
    let scenario = scenarios
        .iter()
        .find(|s| s.id == "ir-sig")
        .ok_or("no ir-sig scenario")?;
    let shared = SharedResponder::reference(opts.enrollments + opts.clients + 16)?;
    let server = match opts.transport {
        Transport::Http => Some(
            HttpServer::start("127.0.0.1:0", shared.0.clone()).map_err(|e| e.to_string())?,
        ),
        Transport::InProcess => None,
    };
    let url = server
        .as_ref()
        .map(|s| format!("{}/.well-known/cmp", s.url().trim_end_matches('/')));
    let out = root.join("benches/target/cmp-bench/load-run");
    let load_opts = cmp_conformance::run::load::LoadOptions {
        clients: opts.clients,
        count: opts.enrollments,
        max_time: opts.max_time,
    };
    let open = || -> Result<Box<dyn ServerSource + Send>, String> {
        Ok(match &url {
            Some(url) => Box::new(FixedUrl {
                url: url.clone(),
                timeout: Duration::from_secs(30),
            }),
            None => Box::new(shared.clone()),
        })
    };
    // Warm up (not timed): one enrollment.
    let warm = cmp_conformance::run::load::LoadOptions {
        clients: 1,
        count: 1,
        max_time: Duration::from_secs(30),
    };
    let w = run_load(&profile, scenario, &warm, &out, &open)?;
    if w.done != 1 {
        return Err(format!(
            "warm-up enrollment failed: {}",
            w.first_failure.unwrap_or_default()
        ));
    }
    let r = run_load(&profile, scenario, &load_opts, &out, &open);
    if let Some(s) = server {
        s.stop();
    }
    r
}

