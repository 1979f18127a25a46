//! `cmp serve --listen ADDR`: run the reference responder over HTTP.
//!
//! Once the socket is bound, one line `listening on http://HOST:PORT` goes to stdout (so a
//! parent process can start it with port 0 and read the port); the server then runs until
//! SIGTERM or SIGINT (and, with `--exit-on-stdin-close`, until stdin is closed).

use std::io::{self, Write};
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use super::Outcome;
use crate::responder::http::HttpServer;
use crate::responder::{CaPubs, Config, Credentials, Fault, Responder};

/// When ip carries caPubs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum CaPubsArg {
    /// Never.
    Never,
    /// Only in MAC-protected ip.
    Mac,
    /// In every accepted ip.
    Always,
}

/// Arguments of `cmp serve`.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on; port 0 picks a free one.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:0")]
    pub listen: String,
    /// Directory with root-ca, issuing-ca and cmp-server-ec credentials (default: the
    /// source tree's vectors/openssl/credentials).
    #[arg(long, value_name = "DIR")]
    pub credentials: Option<PathBuf>,
    /// Break a rule on purpose: the rule ID (repeatable; see --list-faults).
    #[arg(long = "fault", value_name = "RULE-ID")]
    pub faults: Vec<Fault>,
    /// List the fault switches and exit.
    #[arg(long)]
    pub list_faults: bool,
    /// MAC shared secret.
    #[arg(long, value_name = "SECRET")]
    pub secret: Option<String>,
    /// Reference of the shared secret (expected senderKID).
    #[arg(long, value_name = "REF")]
    pub reference: Option<String>,
    /// Answer certificate requests with `waiting`; deliver on the N-th pollReq.
    #[arg(long = "poll", value_name = "N", default_value_t = 0)]
    pub poll_count: u32,
    /// checkAfter of pollRep, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 1)]
    pub check_after: i64,
    /// How long to wait for certConf, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 60)]
    pub confirm_wait: u64,
    /// Never grant implicitConfirm.
    #[arg(long)]
    pub no_implicit_confirm: bool,
    /// When ip carries caPubs.
    #[arg(long, value_enum, default_value_t = CaPubsArg::Mac)]
    pub ca_pubs: CaPubsArg,
    /// Accept POP raVerified from requests signed with a cmcRA certificate.
    #[arg(long)]
    pub accept_ra_verified: bool,
    /// Answer rootCaKeyUpdate with "no update".
    #[arg(long)]
    pub no_root_update: bool,
    /// Accept MAC protection for every request type (not only ir/cr/p10cr).
    #[arg(long)]
    pub mac_for_all: bool,
    /// Do not require a MAC request's sender to carry the senderKID as commonName (OpenSSL's
    /// client puts its -subject there; RFC 9483 4.1.5 wants the reference).
    #[arg(long)]
    pub lenient_mac_sender: bool,
    /// Put the root CA certificate into the extraCerts of ip (3GPP TS 33.310).
    #[arg(long)]
    pub root_in_extra_certs: bool,
    /// Stop when stdin is closed (for parents that cannot send signals).
    #[arg(long)]
    pub exit_on_stdin_close: bool,
}

impl ServeArgs {
    /// The responder configuration these arguments ask for.
    pub fn config(&self) -> Config {
        Config {
            faults: self.faults.iter().copied().collect(),
            implicit_confirm: !self.no_implicit_confirm,
            confirm_wait: Duration::from_secs(self.confirm_wait),
            poll_count: self.poll_count,
            check_after: self.check_after,
            ca_pubs: match self.ca_pubs {
                CaPubsArg::Never => CaPubs::Never,
                CaPubsArg::Mac => CaPubs::MacOnly,
                CaPubsArg::Always => CaPubs::Always,
            },
            accept_ra_verified: self.accept_ra_verified,
            root_update: !self.no_root_update,
            mac_for_all: self.mac_for_all,
            check_mac_sender: !self.lenient_mac_sender,
            root_in_ip_extra_certs: self.root_in_extra_certs,
            ..Config::default()
        }
    }
}

/// Run the server until it is told to stop.
pub fn run(args: &ServeArgs, out: &mut dyn Write, err: &mut dyn Write) -> io::Result<Outcome> {
    if args.list_faults {
        for f in Fault::ALL {
            writeln!(out, "{:<9} {}", f.rule_id(), f.description())?;
        }
        return Ok(Outcome::Success);
    }
    let dir = args
        .credentials
        .clone()
        .unwrap_or_else(crate::responder::credentials::default_dir);
    let mut creds = match Credentials::load(&dir) {
        Ok(c) => c,
        Err(e) => {
            writeln!(err, "cmp serve: credentials in {}: {e}", dir.display())?;
            return Ok(Outcome::Failure);
        }
    };
    if let Some(s) = &args.secret {
        creds.secret = s.as_bytes().to_vec();
    }
    if let Some(r) = &args.reference {
        creds.reference = r.clone();
    }
    let responder = match Responder::new(creds, args.config()) {
        Ok(r) => Arc::new(r),
        Err(e) => {
            writeln!(err, "cmp serve: {e}")?;
            return Ok(Outcome::Failure);
        }
    };
    let server = match HttpServer::start(args.listen.as_str(), responder) {
        Ok(s) => s,
        Err(e) => {
            writeln!(err, "cmp serve: cannot listen on {}: {e}", args.listen)?;
            return Ok(Outcome::Failure);
        }
    };
    let flag = server.shutdown_flag();
    for sig in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGINT] {
        if let Err(e) = signal_hook::flag::register(sig, Arc::clone(&flag)) {
            writeln!(err, "cmp serve: cannot handle signal {sig}: {e}")?;
        }
    }
    if args.exit_on_stdin_close {
        let flag = Arc::clone(&flag);
        std::thread::spawn(move || {
            let _ = io::copy(&mut io::stdin().lock(), &mut io::sink());
            flag.store(true, Ordering::SeqCst);
        });
    }
    writeln!(out, "listening on {}", server.url())?;
    out.flush()?;
    server.wait();
    Ok(Outcome::Success)
}
