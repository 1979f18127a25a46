//! Starting a server under test for a run or for each scenario (`[server.spawn]` in the
//! profile): a command with `{port}` replaced by a free port, waited for until the port
//! accepts connections, and stopped (by its own process ID) afterwards.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A free TCP port on 127.0.0.1 (bound and released; another process could take it first,
/// which the readiness wait then reports).
pub fn free_port() -> Result<u16, String> {
    let l = TcpListener::bind("127.0.0.1:0").map_err(|e| format!("no free port: {e}"))?;
    l.local_addr()
        .map(|a| a.port())
        .map_err(|e| format!("no free port: {e}"))
}

/// A server process started by the runner.
#[derive(Debug)]
pub struct Spawned {
    child: Child,
    /// The port it listens on.
    pub port: u16,
    /// Where its output goes.
    pub log: Option<std::path::PathBuf>,
}

/// Replace `{port}`, `{cmp}` and `{profile_dir}` in a command template.
pub fn expand(template: &[String], port: u16, profile_dir: &std::path::Path) -> Vec<String> {
    let cmp = std::env::current_exe()
        .map(|p| {
            p.display()
                .to_string()
                .trim_end_matches(" (deleted)")
                .to_string()
        })
        .unwrap_or_else(|_| "cmp".into());
    template
        .iter()
        .map(|a| {
            a.replace("{port}", &port.to_string())
                .replace("{cmp}", &cmp)
                .replace("{profile_dir}", &profile_dir.display().to_string())
        })
        .collect()
}

impl Spawned {
    /// Start `args` (already expanded) and wait until 127.0.0.1:`port` accepts connections.
    pub fn start(
        args: &[String],
        port: u16,
        ready: Duration,
        log: Option<std::path::PathBuf>,
    ) -> Result<Spawned, String> {
        let (prog, rest) = args.split_first().ok_or("empty spawn command")?;
        let mut cmd = Command::new(prog);
        cmd.args(rest).stdin(Stdio::null());
        match &log {
            Some(path) => {
                let f =
                    std::fs::File::create(path).map_err(|e| format!("{}: {e}", path.display()))?;
                let g = f.try_clone().map_err(|e| e.to_string())?;
                cmd.stdout(f).stderr(g);
            }
            None => {
                cmd.stdout(Stdio::null()).stderr(Stdio::null());
            }
        }
        let child = cmd
            .spawn()
            .map_err(|e| format!("cannot start {prog}: {e}"))?;
        let mut s = Spawned { child, port, log };
        let addr: SocketAddr = ([127, 0, 0, 1], port).into();
        let deadline = Instant::now() + ready;
        loop {
            if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
                return Ok(s);
            }
            if let Ok(Some(status)) = s.child.try_wait() {
                return Err(format!(
                    "{prog} exited with {status} before listening on port {port}"
                ));
            }
            if Instant::now() > deadline {
                s.stop();
                return Err(format!(
                    "{prog} did not listen on port {port} within {} ms",
                    ready.as_millis()
                ));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Whether the process is still running.
    pub fn alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Stop the process (SIGKILL to its own PID) and reap it.
    pub fn stop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }
}

impl Drop for Spawned {
    fn drop(&mut self) {
        self.stop();
    }
}
