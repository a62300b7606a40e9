//! A private popa3d (Openwall, Debian 12's 1.0.3) behind socat.
//!
//! popa3d is an inetd-style server: one process per connection on
//! stdin/stdout, so [`Popa3d::start`] runs `socat TCP-LISTEN:<port>,bind=
//! 127.0.0.1,fork,reuseaddr EXEC:<popa3d>` as the listener. popa3d has no
//! configuration file (its settings are compiled in): it drops privileges
//! to the `popa3d` user chrooted into the empty `/var/lib/popa3d`,
//! authenticates through PAM (service `popa3d`, i.e. `/etc/shadow`), and
//! serves the mbox `/var/mail/<user>`. It has no TLS and no CAPA at all:
//! the greeting is a bare `+OK` and CAPA is answered `-ERR`.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Result, anyhow};

use super::{Daemon, available_or_skip, port_conflict, servers_dir, skip_reason, temp_dir};

/// The unpacked binary, relative to [`servers_dir`].
const BIN: &str = "popa3d/usr/sbin/popa3d";

/// Why the popa3d fixture cannot run here, or `None`.
pub fn popa3d_skip_reason() -> Option<String> {
    if find_socat().is_none() {
        return Some("socat is not installed (apt-get install socat)".to_string());
    }
    skip_reason("popa3d", &[BIN, "/var/lib/popa3d"])
}

/// `true` when popa3d can run here (see [`available_or_skip`]).
pub fn popa3d_or_skip(test: &str) -> bool {
    available_or_skip(test, popa3d_skip_reason())
}

fn find_socat() -> Option<PathBuf> {
    ["/usr/bin/socat", "/bin/socat"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.is_file())
}

/// A running popa3d on 127.0.0.1. Stopped on drop.
pub struct Popa3d {
    daemon: Daemon,
    addr: SocketAddr,
    // Last: removed after the server has stopped.
    dir: tempfile::TempDir,
}

impl Popa3d {
    /// Starts socat + popa3d on a free loopback port and waits (at most
    /// 10 s) until it greets.
    pub fn start() -> Result<Popa3d> {
        let socat = find_socat().ok_or_else(|| anyhow!("socat not found"))?;
        let bin = servers_dir().join(BIN);
        let dir = temp_dir("popscope-popa3d-")?;
        super::with_port_retries(1, |ports, attempt| {
            let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, ports[0]));
            let mut cmd = Command::new(&socat);
            cmd.env_clear()
                .env("PATH", "/usr/sbin:/usr/bin:/sbin:/bin")
                .arg(format!(
                    "TCP-LISTEN:{},bind=127.0.0.1,fork,reuseaddr",
                    addr.port()
                ))
                .arg(format!("EXEC:{}", bin.display()));
            let log = dir.path().join(format!("socat{attempt}.log"));
            let mut daemon = Daemon::spawn("socat+popa3d", cmd, &log).map_err(|e| (e, false))?;
            let deadline = Instant::now() + Duration::from_secs(10);
            match daemon.wait_ready(addr, true, deadline) {
                Ok(()) => Ok((daemon, addr)),
                Err(e) => {
                    daemon.stop();
                    let text = daemon.log();
                    let conflict = port_conflict(&text);
                    Err((e.context(format!("--- socat log ---\n{text}")), conflict))
                }
            }
        })
        .map(|(daemon, addr)| Popa3d { daemon, addr, dir })
    }

    /// The POP3 address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// socat's process id (= the process group of everything it forked).
    pub fn pid(&self) -> Option<u32> {
        self.daemon.pid()
    }

    /// socat's log.
    pub fn log(&self) -> String {
        self.daemon.log()
    }

    /// The fixture's temporary directory.
    pub fn dir(&self) -> &std::path::Path {
        self.dir.path()
    }
}
