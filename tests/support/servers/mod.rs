//! Real POP3 servers from Debian besides Dovecot, for interop tests:
//! popa3d ([`popa3d`]), Courier ([`courier`]) and Cyrus ([`cyrus`]).
//!
//! Debian's POP3 server packages conflict with each other and with
//! dovecot-pop3d, so `.ci/install-servers.sh` unpacks them into
//! [`servers_dir`] (default `/opt/popscope-servers/<name>`) instead of
//! installing them, installs their libraries normally, and creates the
//! system users they expect plus the test account [`TEST_USER`] /
//! [`TEST_PASSWORD`] (a system user: popa3d and Courier authenticate
//! through PAM and `/etc/shadow`, Courier via its authdaemond with
//! `authpam`; Cyrus gets the same name and password in a private sasldb).
//!
//! Every fixture runs its server as a child process group on 127.0.0.1,
//! on ports picked by the test (free right now; a lost race shows as
//! "Address already in use" and the fixture retries with new ports), keeps
//! its configuration and certificates in a fresh temporary directory, waits
//! for readiness by polling the port until a deadline, and kills the whole
//! process group on drop. When a server is not installed the tests print
//! `SKIPPED ...` and pass, unless `POPSCOPE_REQUIRE_INTEROP=1`.

#![allow(dead_code)]

pub mod courier;
pub mod cyrus;
pub mod popa3d;

use std::fs;
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};

pub use super::interop_required;
pub use super::pki::{CertKind, TlsFiles, write_tls};
pub use super::pop3::RawPop3;

/// The test account `.ci/install-servers.sh` creates (a system user).
pub const TEST_USER: &str = "popscope-test";
/// Its password (set with chpasswd by the install script).
pub const TEST_PASSWORD: &str = "popscope-test-pass";
/// Environment variable naming the directory the servers were unpacked into.
pub const DIR_ENV: &str = "POPSCOPE_SERVERS_DIR";
/// Environment variable that turns a missing server into a test failure.
pub const REQUIRE_ENV: &str = super::REQUIRE_ENV;

/// Where `.ci/install-servers.sh` unpacked the servers.
pub fn servers_dir() -> PathBuf {
    std::env::var_os(DIR_ENV)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/opt/popscope-servers"))
}

/// Why a fixture that needs `files` (relative to [`servers_dir`]) cannot
/// run here, or `None` when it can.
pub fn skip_reason(name: &str, files: &[&str]) -> Option<String> {
    if !is_root() {
        return Some(format!(
            "the {name} fixture must run as root (the server switches users itself)"
        ));
    }
    for f in files {
        let p = if f.starts_with('/') {
            PathBuf::from(f)
        } else {
            servers_dir().join(f)
        };
        if !p.exists() {
            return Some(format!(
                "{name} is not installed: {} is missing (run .ci/install-servers.sh as root)",
                p.display()
            ));
        }
    }
    if !user_exists(TEST_USER) {
        return Some(format!(
            "the test user {TEST_USER} does not exist (run .ci/install-servers.sh as root)"
        ));
    }
    None
}

/// `true` when the fixture can run; otherwise prints why the test is
/// skipped and returns `false`, or panics under `POPSCOPE_REQUIRE_INTEROP=1`.
pub fn available_or_skip(test: &str, why_not: Option<String>) -> bool {
    match why_not {
        None => true,
        Some(why) if interop_required() => {
            panic!("{test}: {REQUIRE_ENV}=1 but the fixture cannot run: {why}")
        }
        Some(why) => {
            eprintln!("SKIPPED {test}: {why}");
            false
        }
    }
}

fn is_root() -> bool {
    fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Uid:"))
                .map(|l| l.split_whitespace().nth(2) == Some("0"))
        })
        .unwrap_or(false)
}

/// The `/etc/passwd` entry's uid and gid.
pub fn user_ids(name: &str) -> Option<(u32, u32)> {
    let passwd = fs::read_to_string("/etc/passwd").ok()?;
    passwd.lines().find_map(|l| {
        let f: Vec<&str> = l.split(':').collect();
        if f.len() < 4 || f[0] != name {
            return None;
        }
        Some((f[2].parse().ok()?, f[3].parse().ok()?))
    })
}

fn user_exists(name: &str) -> bool {
    user_ids(name).is_some()
}

/// The gid of a group from `/etc/group`.
pub fn group_id(name: &str) -> Option<u32> {
    let group = fs::read_to_string("/etc/group").ok()?;
    group.lines().find_map(|l| {
        let f: Vec<&str> = l.split(':').collect();
        if f.len() < 3 || f[0] != name {
            return None;
        }
        f[2].parse().ok()
    })
}

/// A fresh temporary directory under /tmp that the servers' unprivileged
/// users can traverse.
pub fn temp_dir(prefix: &str) -> Result<tempfile::TempDir> {
    let dir = tempfile::Builder::new()
        .prefix(prefix)
        .tempdir_in("/tmp")
        .context("creating a temp dir")?;
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755))?;
    Ok(dir)
}

/// `n` distinct ports that are free on 127.0.0.1 right now. Released before
/// the server binds them, so a caller must retry on "Address already in use".
pub fn pick_ports(n: usize) -> Result<Vec<u16>> {
    let held: Vec<TcpListener> = (0..n)
        .map(|_| TcpListener::bind((Ipv4Addr::LOCALHOST, 0)))
        .collect::<std::io::Result<_>>()
        .context("binding 127.0.0.1:0")?;
    held.iter().map(|l| Ok(l.local_addr()?.port())).collect()
}

/// A loopback port with nothing listening on it (right now).
pub fn closed_port() -> u16 {
    pick_ports(1).expect("a free port")[0]
}

/// One server process group: the child leads it, and everything it forks
/// (per-connection servers, TLS helpers, auth workers) stays in it, so
/// [`Daemon::stop`] can end them all.
pub struct Daemon {
    name: String,
    child: Option<Child>,
    log: PathBuf,
}

impl Daemon {
    /// Spawns `cmd` as the leader of a new process group, stdout and stderr
    /// going to `log`.
    pub fn spawn(name: &str, mut cmd: Command, log: &Path) -> Result<Daemon> {
        let out = fs::File::create(log).with_context(|| format!("creating {}", log.display()))?;
        let err = out.try_clone()?;
        cmd.stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .process_group(0);
        let child = cmd
            .spawn()
            .with_context(|| format!("spawning {name}: {cmd:?}"))?;
        Ok(Daemon {
            name: name.to_string(),
            child: Some(child),
            log: log.to_path_buf(),
        })
    }

    /// The process id (= process group id), while running.
    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// The log so far.
    pub fn log(&self) -> String {
        fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Fails when the leader has exited.
    pub fn check_running(&mut self) -> Result<()> {
        if let Some(c) = self.child.as_mut()
            && let Some(status) = c.try_wait()?
        {
            bail!("{} exited during start-up: {status}", self.name);
        }
        Ok(())
    }

    /// Waits until `addr` accepts a TCP connection (and, when
    /// `expect_greeting`, greets with `+OK`), or fails at `deadline` or when
    /// the process exits first.
    pub fn wait_ready(
        &mut self,
        addr: SocketAddr,
        expect_greeting: bool,
        deadline: Instant,
    ) -> Result<()> {
        loop {
            self.check_running()?;
            let attempt = if expect_greeting {
                greet(addr).map(|_| ())
            } else {
                TcpStream::connect_timeout(&addr, Duration::from_millis(300))
                    .map(|_| ())
                    .map_err(Into::into)
            };
            match attempt {
                Ok(()) => return Ok(()),
                Err(e) if Instant::now() >= deadline => {
                    return Err(e.context(format!("{} not ready on {addr}", self.name)));
                }
                Err(_) => thread::sleep(Duration::from_millis(25)),
            }
        }
    }

    /// SIGTERM to the group, up to 5 s for the leader to exit, then SIGKILL
    /// to whatever is left of the group.
    pub fn stop(&mut self) {
        let Some(mut child) = self.child.take() else {
            return;
        };
        let pgid = child.id();
        signal_group(pgid, "TERM");
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = child.try_wait() {
                break;
            }
            thread::sleep(Duration::from_millis(20));
        }
        signal_group(pgid, "KILL");
        let _ = child.kill();
        let _ = child.wait();
        // Members that outlive the leader (reparented workers).
        let deadline = Instant::now() + Duration::from_secs(5);
        while !group_members(pgid).is_empty() && Instant::now() < deadline {
            signal_group(pgid, "KILL");
            thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        self.stop();
    }
}

fn signal_group(pgid: u32, signal: &str) {
    let _ = Command::new("kill")
        .arg(format!("-{signal}"))
        .arg("--")
        .arg(format!("-{pgid}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

/// Live (not zombie) processes whose process group is `pgid`.
pub fn group_members(pgid: u32) -> Vec<u32> {
    let Ok(entries) = fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|e| {
            let pid: u32 = e.file_name().to_str()?.parse().ok()?;
            let stat = fs::read_to_string(e.path().join("stat")).ok()?;
            // "pid (comm) state ppid pgrp ...": comm may hold spaces.
            let rest: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
            let (state, pgrp) = (*rest.first()?, rest.get(2)?.parse::<u32>().ok()?);
            (pgrp == pgid && state != "Z" && state != "X").then_some(pid)
        })
        .collect()
}

/// Connects, reads the greeting, says QUIT; the greeting line must be `+OK`.
pub fn greet(addr: SocketAddr) -> Result<String> {
    let mut c = RawPop3::connect_timeout(addr, Duration::from_millis(500))?;
    let g = c.greeting.clone();
    let _ = c.command("QUIT");
    if !g.starts_with("+OK") {
        bail!("unexpected greeting on {addr}: {g}");
    }
    Ok(g)
}

/// Whether a start-up failure was a lost race for a port.
pub fn port_conflict(log: &str) -> bool {
    log.contains("Address already in use") || log.contains("address already in use")
}

/// Start-up with port retries: calls `attempt` with fresh ports up to five
/// times while the failure is a port conflict.
pub fn with_port_retries<T>(
    ports: usize,
    mut attempt: impl FnMut(&[u16], u32) -> Result<T, (anyhow::Error, bool)>,
) -> Result<T> {
    let mut last = None;
    for n in 0..5 {
        let p = pick_ports(ports)?;
        match attempt(&p, n) {
            Ok(v) => return Ok(v),
            Err((e, true)) => last = Some(e),
            Err((e, false)) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| anyhow!("no free ports")))
}
