//! A private Courier POP3 server (courier-pop 1.0.16, Debian 12).
//!
//! Courier's POP3 server is a chain of small programs configured by
//! environment variables (what `/etc/courier/pop3d` and `pop3d-ssl` hold on
//! a real install): `couriertcpd` listens and runs `courierpop3login` per
//! connection, which authenticates through authlib and then runs
//! `courierpop3d` on the user's `~/Maildir`. STLS runs `couriertls` as the
//! `courier` user; the pop3s port puts `couriertls -server -tcpd` in front
//! of the login program. [`Courier::start`] runs one `couriertcpd` per
//! port, each as its own process group, with the environment built from
//! [`CourierOpts`] and a key+certificate PEM made by the test PKI.
//!
//! Authentication: authlib always asks `authdaemond` over the fixed socket
//! `/run/courier/authdaemon/socket`, configured by the fixed
//! `/etc/courier/authdaemonrc` (`authmodulelist="authpam"`, written by
//! `.ci/install-servers.sh`). Being machine-wide, one authdaemond is shared
//! by all Courier fixtures of the test process: the first one starts it,
//! the last one to drop stops it. The test account is the system user
//! [`TEST_USER`](super::TEST_USER) (PAM service `pop3`, `/etc/shadow`);
//! its mail is `/var/lib/popscope-test/Maildir`.

use std::fs;
use std::net::{Ipv4Addr, SocketAddr};
use std::os::unix::fs::{PermissionsExt, chown};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};

use super::{
    CertKind, Daemon, TlsFiles, available_or_skip, group_id, port_conflict, servers_dir,
    skip_reason, temp_dir, write_tls,
};

const TCPD: &str = "courier/usr/sbin/couriertcpd";
const COURIERTLS: &str = "courier/usr/bin/couriertls";
const LOGIN: &str = "courier/usr/lib/courier/courier/courierpop3login";
const POP3D: &str = "courier/usr/lib/courier/courier/courierpop3d";
/// authdaemond from the (normally installed) courier-authlib package.
const AUTHDAEMOND: &str = "/usr/lib/courier/courier-authlib/authdaemond";
const AUTHDAEMONRC: &str = "/etc/courier/authdaemonrc";
const AUTH_DIR: &str = "/run/courier/authdaemon";
const AUTH_SOCKET: &str = "/run/courier/authdaemon/socket";

/// Why the Courier fixture cannot run here, or `None`.
pub fn courier_skip_reason() -> Option<String> {
    skip_reason(
        "Courier",
        &[TCPD, COURIERTLS, LOGIN, POP3D, AUTHDAEMOND, AUTHDAEMONRC],
    )
    .or_else(|| {
        group_id("courier").is_none().then(|| {
            "the courier group does not exist (apt-get install courier-authlib)".to_string()
        })
    })
}

/// `true` when Courier can run here (see [`available_or_skip`]).
pub fn courier_or_skip(test: &str) -> bool {
    available_or_skip(test, courier_skip_reason())
}

/// Knobs for [`Courier::start`]; the default is a healthy server: STLS
/// offered, login refused before TLS, pop3s port open, good certificate.
#[derive(Debug, Clone)]
pub struct CourierOpts {
    /// `POP3_STARTTLS`: offer STLS on the plain port.
    pub stls: bool,
    /// `POP3_TLS_REQUIRED`: refuse USER/PASS and AUTH before TLS.
    pub tls_required: bool,
    /// Open the implicit-TLS (pop3s) port.
    pub pop3s: bool,
    /// The server certificate.
    pub cert: CertKind,
}

impl Default for CourierOpts {
    fn default() -> Self {
        CourierOpts {
            stls: true,
            tls_required: true,
            pop3s: true,
            cert: CertKind::Good,
        }
    }
}

/// A running private Courier POP3 server. Stopped on drop.
pub struct Courier {
    plain: Daemon,
    tls: Option<Daemon>,
    pop3: SocketAddr,
    pop3s: Option<SocketAddr>,
    tls_files: TlsFiles,
    _auth: AuthdLease,
    // Last: removed after the servers have stopped.
    dir: tempfile::TempDir,
}

impl Courier {
    /// Starts Courier as `opts` says and waits (at most 10 s per port) until
    /// it is ready: the plain port greets, the pop3s port accepts.
    pub fn start(opts: CourierOpts) -> Result<Courier> {
        let root = servers_dir();
        let courier_gid = group_id("courier").ok_or_else(|| anyhow!("no courier group"))?;
        let auth = AuthdLease::acquire()?;
        let dir = temp_dir("popscope-courier-")?;
        let tls_files = write_tls(dir.path(), opts.cert)?;
        // couriertls runs as `courier` for STLS: the PEM is root:courier 0640,
        // as Debian's postinst makes /etc/courier/pop3d.pem.
        chown(&tls_files.combined, Some(0), Some(courier_gid))?;
        fs::set_permissions(&tls_files.combined, fs::Permissions::from_mode(0o640))?;

        let ports = if opts.pop3s { 2 } else { 1 };
        let (plain, tls, pop3, pop3s) = super::with_port_retries(ports, |p, attempt| {
            let pop3 = SocketAddr::from((Ipv4Addr::LOCALHOST, p[0]));
            let deadline = Instant::now() + Duration::from_secs(10);
            let log = dir.path().join(format!("pop3d{attempt}.log"));
            let cmd = tcpd(&root, &opts, &tls_files, pop3, false);
            let mut plain =
                Daemon::spawn("couriertcpd (pop3)", cmd, &log).map_err(|e| (e, false))?;
            if let Err(e) = plain.wait_ready(pop3, true, deadline) {
                plain.stop();
                let text = plain.log();
                return Err((
                    e.context(format!("--- couriertcpd log ---\n{text}")),
                    port_conflict(&text),
                ));
            }
            if !opts.pop3s {
                return Ok((plain, None, pop3, None));
            }
            let pop3s = SocketAddr::from((Ipv4Addr::LOCALHOST, p[1]));
            let log = dir.path().join(format!("pop3d-ssl{attempt}.log"));
            let cmd = tcpd(&root, &opts, &tls_files, pop3s, true);
            let mut tls =
                Daemon::spawn("couriertcpd (pop3s)", cmd, &log).map_err(|e| (e, false))?;
            if let Err(e) = tls.wait_ready(pop3s, false, deadline) {
                tls.stop();
                plain.stop();
                let text = tls.log();
                return Err((
                    e.context(format!("--- couriertcpd (pop3s) log ---\n{text}")),
                    port_conflict(&text),
                ));
            }
            Ok((plain, Some(tls), pop3, Some(pop3s)))
        })?;
        Ok(Courier {
            plain,
            tls,
            pop3,
            pop3s,
            tls_files,
            _auth: auth,
            dir,
        })
    }

    /// The plain POP3 address.
    pub fn pop3_addr(&self) -> SocketAddr {
        self.pop3
    }

    /// The implicit-TLS address, when that port is open.
    pub fn pop3s_addr(&self) -> Option<SocketAddr> {
        self.pop3s
    }

    /// The test CA that issued the server certificate.
    pub fn ca_pem_path(&self) -> &Path {
        &self.tls_files.ca
    }

    /// Process group ids of the listeners.
    pub fn pids(&self) -> Vec<u32> {
        self.plain
            .pid()
            .into_iter()
            .chain(self.tls.as_ref().and_then(Daemon::pid))
            .collect()
    }

    /// Both listeners' logs (Courier logs each connection and login).
    pub fn log(&self) -> String {
        let mut s = self.plain.log();
        if let Some(t) = &self.tls {
            s.push_str("--- pop3s ---\n");
            s.push_str(&t.log());
        }
        s
    }

    /// The fixture's temporary directory.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }
}

/// The `couriertcpd` command for one port, with the environment Debian's
/// `/etc/courier/pop3d` and `pop3d-ssl` would set.
fn tcpd(root: &Path, opts: &CourierOpts, tls: &TlsFiles, addr: SocketAddr, pop3s: bool) -> Command {
    let yes_no = |b: bool| if b { "YES" } else { "NO" };
    let one_zero = |b: bool| if b { "1" } else { "0" };
    let mut cmd = Command::new(root.join(TCPD));
    cmd.env_clear()
        .env("PATH", "/usr/sbin:/usr/bin:/sbin:/bin")
        // No SASL before TLS; LOGIN and PLAIN inside it (Debian's defaults
        // are POP3AUTH="" and POP3AUTH_TLS="LOGIN PLAIN").
        .env("POP3AUTH", "")
        .env("POP3AUTH_TLS", "LOGIN PLAIN")
        .env("POP3_STARTTLS", yes_no(opts.stls && !pop3s))
        .env("POP3_TLS_REQUIRED", one_zero(opts.tls_required && !pop3s))
        .env("COURIERTLS", root.join(COURIERTLS))
        .env("TLS_CERTFILE", &tls.combined)
        .env("TLS_TRUSTCERTS", &tls.ca)
        .env("TLS_VERIFYPEER", "NONE")
        .env("MAILDIRPATH", "Maildir");
    if pop3s {
        // As Debian's pop3d-ssl: the connection is TLS from the start, so
        // no STLS and nothing "required" on top.
        cmd.env("POP3_TLS", "1");
    }
    cmd.arg(format!("-address={}", addr.ip()))
        .args([
            "-maxprocs=40",
            "-maxperip=40",
            "-nodnslookup",
            "-noidentlookup",
        ])
        .arg(addr.port().to_string());
    if pop3s {
        cmd.arg(root.join(COURIERTLS))
            .args(["-server", "-tcpd", "-user=courier"]);
    }
    cmd.arg(root.join(LOGIN))
        .arg(root.join(POP3D))
        .arg("Maildir");
    cmd
}

/// The shared authdaemond: (process, number of live leases).
static AUTHD: Mutex<Option<(Daemon, usize)>> = Mutex::new(None);

/// Keeps the shared authdaemond running while alive.
struct AuthdLease;

impl AuthdLease {
    fn acquire() -> Result<AuthdLease> {
        let mut slot = AUTHD.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((_, n)) = slot.as_mut() {
            *n += 1;
            return Ok(AuthdLease);
        }
        let daemon = start_authdaemond()?;
        *slot = Some((daemon, 1));
        Ok(AuthdLease)
    }
}

impl Drop for AuthdLease {
    fn drop(&mut self) {
        let mut slot = AUTHD.lock().unwrap_or_else(|p| p.into_inner());
        let last = match slot.as_mut() {
            Some((_, n)) => {
                *n -= 1;
                *n == 0
            }
            None => false,
        };
        if last && let Some((mut d, _)) = slot.take() {
            d.stop();
            let _ = fs::remove_file(&d.log);
        }
    }
}

fn start_authdaemond() -> Result<Daemon> {
    fs::create_dir_all(AUTH_DIR).with_context(|| format!("creating {AUTH_DIR}"))?;
    fs::set_permissions(AUTH_DIR, fs::Permissions::from_mode(0o755))?;
    // A socket left by an earlier run is replaced by authdaemond; removing
    // it first makes "connectable" mean "ours is up".
    let _ = fs::remove_file(AUTH_SOCKET);
    let log: PathBuf = std::env::temp_dir().join(format!(
        "popscope-courier-authdaemond-{}.log",
        std::process::id()
    ));
    let mut cmd = Command::new(AUTHDAEMOND);
    cmd.env_clear().env("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
    let mut d = Daemon::spawn("authdaemond", cmd, &log)?;
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Err(e) = d.check_running() {
            let text = d.log();
            return Err(e.context(format!("--- authdaemond log ---\n{text}")));
        }
        if UnixStream::connect(AUTH_SOCKET).is_ok() {
            return Ok(d);
        }
        if Instant::now() >= deadline {
            let text = d.log();
            d.stop();
            bail!("authdaemond did not open {AUTH_SOCKET} within 10 s\n--- log ---\n{text}");
        }
        thread::sleep(Duration::from_millis(25));
    }
}
