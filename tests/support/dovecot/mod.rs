//! A private, throw-away Dovecot (2.3) POP3 server for interop tests.
//!
//! [`Dovecot::start`] writes a complete `dovecot.conf` into a fresh temporary
//! directory (base_dir, state_dir, log, certificates, passwd-file, Maildirs
//! all live there), runs `dovecot -F -c <conf>` as a child process, waits
//! until the server greets with `+OK`, and stops it again on drop (SIGTERM,
//! bounded wait, then SIGKILL). It needs root (Dovecot drops privileges to
//! `dovenull`, `dovecot` and the mail user itself) and listens on 127.0.0.1
//! (and ::1 when the machine has it) only.
//!
//! # Why a relay sits in front of Dovecot
//!
//! Dovecot treats a connection whose remote IP equals its local IP as
//! "secured" (`client->secured = ssl || trusted || remote_ip == local_ip` in
//! `login-common`), so on loopback it offers USER and SASL PLAIN/LOGIN before
//! TLS even with `disable_plaintext_auth = yes`: a test over 127.0.0.1 would
//! never see the server the way a remote client does. By default
//! ([`DovecotOpts::emulate_remote_client`]) the public ports are therefore a
//! small in-process TCP relay on 127.0.0.1 that opens each connection to
//! Dovecot with a HAProxy PROXY v1 header naming a documentation address
//! (192.0.2.10 / 2001:db8::10) as the client. Dovecot's listeners have
//! `haproxy = yes` and trust only 127.0.0.1 and ::1 for the header. Nothing
//! ever leaves loopback; the bytes after the header are relayed untouched,
//! so STLS and implicit TLS behave exactly as without the relay.
//!
//! The fixture itself uses a third, direct (unrelayed, "secured") listener
//! for its helpers such as [`Dovecot::uidl_list`].
//!
//! The instance's files (configuration, certificates, free ports) are made
//! in [`conf`], the relay lives in [`relay`].

mod conf;
mod relay;

use std::fmt::Write as _;
use std::fs;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::os::unix::fs::{PermissionsExt, chown};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use anyhow::{Context, Result, anyhow, bail};

use self::conf::{Ports, bind_pair, ipv6_loopback_available, mail_ids, pick_ports, render_conf};
use self::relay::Relay;
pub use super::pki::CertKind;
use super::pki::write_tls;
use super::pop3::RawPop3;
use super::skip;
use super::wait::{DEADLINE, poll};

/// Environment variable naming the dovecot binary (default: `/usr/sbin/dovecot`,
/// then `dovecot` on `PATH`).
pub const BIN_ENV: &str = "POPSCOPE_DOVECOT";

/// Test accounts: (user, password). Passwords are stored as `{PLAIN}` so
/// that CRAM-MD5 and APOP work as well as USER/PASS and SASL PLAIN/LOGIN.
pub const USERS: &[(&str, &str)] = &[("alice", "wonderland"), ("bob", "builder")];

/// The greeting text the fixture configures unless told otherwise.
pub const DEFAULT_GREETING: &str = "popscope-dovecot ready.";

/// The client address the relay announces to Dovecot (RFC 5737 TEST-NET-1).
pub const FAKE_CLIENT_V4: Ipv4Addr = Ipv4Addr::new(192, 0, 2, 10);

/// The IPv6 client address the relay announces (RFC 3849 documentation prefix).
pub const FAKE_CLIENT_V6: Ipv6Addr = Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0x10);

/// Dovecot's `ssl` setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SslMode {
    /// `ssl = yes`: STLS offered, pop3s port open.
    Yes,
    /// `ssl = required`: as `yes`, and no authentication at all before TLS.
    Required,
    /// `ssl = no`: no STLS, no pop3s listener.
    No,
}

impl SslMode {
    fn as_conf(self) -> &'static str {
        match self {
            SslMode::Yes => "yes",
            SslMode::Required => "required",
            SslMode::No => "no",
        }
    }
}

/// Knobs for [`Dovecot::start`]. `DovecotOpts::default()` is a sane,
/// healthy server: `ssl = yes`, good certificate, no plain-text login
/// before TLS, remote-client emulation on.
#[derive(Debug, Clone)]
pub struct DovecotOpts {
    /// The `ssl` setting.
    pub ssl: SslMode,
    /// The server certificate.
    pub cert: CertKind,
    /// `disable_plaintext_auth` (true is the sane default).
    pub disable_plaintext_auth: bool,
    /// Put the HAProxy relay in front (see the module docs). Without it,
    /// Dovecot sees loopback clients as secured and offers plain-text
    /// login before TLS regardless of `disable_plaintext_auth`.
    pub emulate_remote_client: bool,
    /// `login_greeting`.
    pub greeting: String,
    /// `auth_mechanisms`.
    pub auth_mechanisms: String,
    /// `ssl_min_protocol`.
    pub ssl_min_protocol: String,
    /// Raw configuration lines appended at the end (later settings win).
    pub extra_conf: String,
    /// How long to wait for the first `+OK`.
    pub startup_timeout: Duration,
}

impl Default for DovecotOpts {
    fn default() -> Self {
        DovecotOpts {
            ssl: SslMode::Yes,
            cert: CertKind::Good,
            disable_plaintext_auth: true,
            emulate_remote_client: true,
            greeting: DEFAULT_GREETING.to_string(),
            auth_mechanisms: "plain login cram-md5 apop".to_string(),
            ssl_min_protocol: "TLSv1.2".to_string(),
            extra_conf: String::new(),
            startup_timeout: DEADLINE,
        }
    }
}

impl DovecotOpts {
    /// Builder: the `ssl` setting.
    pub fn ssl(mut self, ssl: SslMode) -> Self {
        self.ssl = ssl;
        self
    }

    /// Builder: the server certificate.
    pub fn cert(mut self, cert: CertKind) -> Self {
        self.cert = cert;
        self
    }

    /// Builder: `disable_plaintext_auth`.
    pub fn disable_plaintext_auth(mut self, yes: bool) -> Self {
        self.disable_plaintext_auth = yes;
        self
    }

    /// Builder: remote-client emulation (the HAProxy relay).
    pub fn emulate_remote_client(mut self, yes: bool) -> Self {
        self.emulate_remote_client = yes;
        self
    }

    /// Builder: raw configuration appended at the end.
    pub fn extra_conf(mut self, conf: impl Into<String>) -> Self {
        self.extra_conf = conf.into();
        self
    }
}

/// Path of the dovecot binary, if there is one.
pub fn dovecot_bin() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(BIN_ENV) {
        let p = PathBuf::from(p);
        return p.is_file().then_some(p);
    }
    let default = PathBuf::from("/usr/sbin/dovecot");
    if default.is_file() {
        return Some(default);
    }
    find_on_path("dovecot")
}

/// Whether a dovecot binary is installed.
pub fn dovecot_available() -> bool {
    dovecot_bin().is_some()
}

/// Why the Dovecot fixture cannot run here, or `None` when it can.
pub fn skip_reason() -> Option<String> {
    if !dovecot_available() {
        return Some(format!(
            "dovecot is not installed (apt-get install dovecot-core dovecot-pop3d, or set {BIN_ENV})"
        ));
    }
    if !is_root() {
        return Some(
            "the Dovecot fixture must run as root (Dovecot drops privileges itself)".to_string(),
        );
    }
    if !Path::new("/tmp").is_dir() {
        return Some("no /tmp directory for the Dovecot instance".to_string());
    }
    None
}

/// Returns `true` when the test may use Dovecot. Otherwise prints why the
/// test is skipped and returns `false`, or panics when
/// `POPSCOPE_REQUIRE_INTEROP` says skipping is not allowed.
pub fn available_or_skip(test: &str) -> bool {
    match skip_reason() {
        None => true,
        Some(why) => skip(test, &format!("the Dovecot fixture cannot run: {why}")),
    }
}

/// Skips the calling test (returns early) when the Dovecot fixture cannot
/// run here; see [`available_or_skip`].
#[allow(unused_macros)] // not used by the benchmark
macro_rules! require_dovecot {
    ($name:expr) => {
        if !$crate::support::dovecot::available_or_skip($name) {
            return;
        }
    };
}
#[allow(unused_imports)]
pub(crate) use require_dovecot;

/// Starts a private Dovecot; panics with the error and Dovecot's log.
pub fn start(opts: DovecotOpts) -> Dovecot {
    Dovecot::start(opts).unwrap_or_else(|e| panic!("{e:#}"))
}

pub(super) fn find_on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

fn is_root() -> bool {
    if let Ok(status) = fs::read_to_string("/proc/self/status")
        && let Some(line) = status.lines().find(|l| l.starts_with("Uid:"))
    {
        return line.split_whitespace().nth(2) == Some("0");
    }
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// A running private Dovecot. Stopped (and its directory removed) on drop.
pub struct Dovecot {
    child: Option<Child>,
    relays: Vec<Relay>,
    opts: DovecotOpts,
    root: PathBuf,
    conf: PathBuf,
    log: PathBuf,
    base_dir: PathBuf,
    pop3: SocketAddr,
    pop3s: Option<SocketAddr>,
    pop3_v6: Option<SocketAddr>,
    pop3s_v6: Option<SocketAddr>,
    direct: SocketAddr,
    mail_uid: u32,
    mail_gid: u32,
    // Last, so the directory is removed after Dovecot has stopped. `None`
    // only while `start` is still trying.
    dir: Option<tempfile::TempDir>,
}

impl std::fmt::Debug for Dovecot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Dovecot")
            .field("root", &self.root)
            .field("pop3", &self.pop3)
            .field("pop3s", &self.pop3s)
            .field("direct", &self.direct)
            .finish_non_exhaustive()
    }
}

impl Dovecot {
    /// Starts a private Dovecot configured by `opts` and waits (at most
    /// `opts.startup_timeout`) until it greets. The error includes the tail
    /// of Dovecot's log.
    pub fn start(opts: DovecotOpts) -> Result<Dovecot> {
        let bin = dovecot_bin().ok_or_else(|| anyhow!("dovecot binary not found"))?;
        let (mail_uid, mail_gid) = mail_ids()?;

        let dir = tempfile::Builder::new()
            .prefix("popscope-dovecot-")
            .tempdir_in(tmp_parent())
            .context("creating the Dovecot temp dir")?;
        let root = dir.path().to_path_buf();
        // Dovecot's unprivileged processes (dovecot, dovenull, mail) must be
        // able to traverse it.
        fs::set_permissions(&root, fs::Permissions::from_mode(0o755))?;

        let tls_dir = root.join("tls");
        fs::create_dir(&tls_dir)?;
        fs::set_permissions(&tls_dir, fs::Permissions::from_mode(0o755))?;
        write_tls(&tls_dir, opts.cert)?;

        let users = root.join("users");
        let mut passwd = String::new();
        for (u, p) in USERS {
            writeln!(passwd, "{u}:{{PLAIN}}{p}")?;
        }
        fs::write(&users, passwd)?;
        fs::set_permissions(&users, fs::Permissions::from_mode(0o644))?;

        let mail = root.join("mail");
        fs::create_dir(&mail)?;
        fs::set_permissions(&mail, fs::Permissions::from_mode(0o755))?;
        for (u, _) in USERS {
            let md = mail.join(u);
            for sub in ["", "cur", "new", "tmp"] {
                let d = md.join(sub);
                fs::create_dir_all(&d)?;
                fs::set_permissions(&d, fs::Permissions::from_mode(0o700))?;
                chown(&d, Some(mail_uid), Some(mail_gid))
                    .with_context(|| format!("chown {}", d.display()))?;
            }
        }

        let v6 = ipv6_loopback_available();
        let conf = root.join("dovecot.conf");
        let log = root.join("dovecot.log");
        let mut last_err = None;
        for attempt in 0..5 {
            let ports = pick_ports(v6)?;
            let base_dir = root.join(format!("run{attempt}"));
            let text = render_conf(&opts, &root, &base_dir, &ports, v6, mail_uid, mail_gid);
            fs::write(&conf, text)?;
            let _ = fs::remove_file(&log);

            let out = fs::File::create(root.join(format!("stdout{attempt}.txt")))?;
            let err = fs::File::create(root.join(format!("stderr{attempt}.txt")))?;
            let child = Command::new(&bin)
                .arg("-F")
                .arg("-c")
                .arg(&conf)
                .stdin(Stdio::null())
                .stdout(out)
                .stderr(err)
                .spawn()
                .with_context(|| format!("spawning {}", bin.display()))?;

            let direct = SocketAddr::from((Ipv4Addr::LOCALHOST, ports.direct));
            let mut d = Dovecot {
                child: Some(child),
                relays: Vec::new(),
                opts: opts.clone(),
                root: root.clone(),
                conf: conf.clone(),
                log: log.clone(),
                base_dir,
                pop3: direct,
                pop3s: None,
                pop3_v6: None,
                pop3s_v6: None,
                direct,
                mail_uid,
                mail_gid,
                dir: None,
            };
            match d.finish_start(&ports, v6) {
                Ok(()) => {
                    d.dir = Some(dir);
                    return Ok(d);
                }
                Err(e) => {
                    d.stop();
                    let tail = d.log_tail(40);
                    let conflict = tail.contains("Address already in use");
                    let err = e.context(format!(
                        "Dovecot did not start (attempt {}); conf {}\n--- log tail ---\n{tail}",
                        attempt + 1,
                        conf.display()
                    ));
                    if !conflict {
                        return Err(err);
                    }
                    last_err = Some(err);
                }
            }
        }
        Err(last_err.unwrap_or_else(|| anyhow!("Dovecot did not start")))
    }

    fn finish_start(&mut self, ports: &Ports, v6: bool) -> Result<()> {
        // 1. Dovecot itself answers on the direct listener.
        let direct = self.direct;
        let child = self.child.as_mut().expect("child running");
        let answered = poll(self.opts.startup_timeout, || {
            match child.try_wait() {
                Err(e) => return Some(Err(anyhow!(e))),
                Ok(Some(status)) => {
                    return Some(Err(anyhow!("dovecot exited during start-up: {status}")));
                }
                Ok(None) => {}
            }
            greet(direct, Duration::from_millis(500)).ok().map(Ok)
        });
        match answered {
            None => bail!("no +OK on {direct} within {:?}", self.opts.startup_timeout),
            Some(Err(e)) => return Err(e),
            Some(Ok(greeting)) if !greeting.starts_with("+OK") => {
                bail!("unexpected greeting on {direct}: {greeting:?}")
            }
            Some(Ok(_)) => {}
        }

        // 2. The public endpoints.
        let with_tls = self.opts.ssl != SslMode::No;
        if self.opts.emulate_remote_client {
            let (v4, v6l) = bind_pair(v6)?;
            let up = SocketAddr::from((Ipv4Addr::LOCALHOST, ports.pop3));
            self.pop3 = v4.local_addr()?;
            self.relays
                .push(Relay::spawn(v4, up, IpAddr::V4(FAKE_CLIENT_V4))?);
            if let Some(l) = v6l {
                let up = SocketAddr::from((Ipv6Addr::LOCALHOST, ports.pop3));
                self.pop3_v6 = Some(l.local_addr()?);
                self.relays
                    .push(Relay::spawn(l, up, IpAddr::V6(FAKE_CLIENT_V6))?);
            }
            if with_tls {
                let (v4, v6l) = bind_pair(v6)?;
                let up = SocketAddr::from((Ipv4Addr::LOCALHOST, ports.pop3s));
                self.pop3s = Some(v4.local_addr()?);
                self.relays
                    .push(Relay::spawn(v4, up, IpAddr::V4(FAKE_CLIENT_V4))?);
                if let Some(l) = v6l {
                    let up = SocketAddr::from((Ipv6Addr::LOCALHOST, ports.pop3s));
                    self.pop3s_v6 = Some(l.local_addr()?);
                    self.relays
                        .push(Relay::spawn(l, up, IpAddr::V6(FAKE_CLIENT_V6))?);
                }
            }
        } else {
            self.pop3 = SocketAddr::from((Ipv4Addr::LOCALHOST, ports.pop3));
            self.pop3_v6 = v6.then(|| SocketAddr::from((Ipv6Addr::LOCALHOST, ports.pop3)));
            if with_tls {
                self.pop3s = Some(SocketAddr::from((Ipv4Addr::LOCALHOST, ports.pop3s)));
                self.pop3s_v6 = v6.then(|| SocketAddr::from((Ipv6Addr::LOCALHOST, ports.pop3s)));
            }
        }
        // 3. The plain public endpoint greets through the relay too.
        let g = greet(self.pop3, Duration::from_secs(3))
            .with_context(|| format!("greeting via {}", self.pop3))?;
        if !g.starts_with("+OK") {
            bail!("unexpected greeting via {}: {g:?}", self.pop3);
        }
        Ok(())
    }

    /// The plain POP3 endpoint (STLS when TLS is enabled), on 127.0.0.1.
    pub fn pop3_addr(&self) -> SocketAddr {
        self.pop3
    }

    /// The implicit-TLS (pop3s) endpoint on 127.0.0.1; `None` with `ssl = no`.
    pub fn pop3s_addr(&self) -> Option<SocketAddr> {
        self.pop3s
    }

    /// The plain endpoint on ::1 (same port as [`Self::pop3_addr`]), if IPv6 works.
    pub fn pop3_addr_v6(&self) -> Option<SocketAddr> {
        self.pop3_v6
    }

    /// The pop3s endpoint on ::1 (same port as [`Self::pop3s_addr`]), if IPv6 works.
    pub fn pop3s_addr_v6(&self) -> Option<SocketAddr> {
        self.pop3s_v6
    }

    /// Dovecot's own plain listener, without the relay: loopback clients
    /// here count as secured (plain-text login allowed).
    pub fn direct_addr(&self) -> SocketAddr {
        self.direct
    }

    /// The test CA's certificate (PEM), for `--ca-file`.
    pub fn ca_pem_path(&self) -> PathBuf {
        self.root.join("tls/ca.pem")
    }

    /// The server certificate Dovecot presents (PEM).
    pub fn server_cert_path(&self) -> PathBuf {
        self.root.join("tls/server.pem")
    }

    /// The generated `dovecot.conf`.
    pub fn conf_path(&self) -> &Path {
        &self.conf
    }

    /// The temporary directory holding everything.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The options this instance was started with.
    pub fn opts(&self) -> &DovecotOpts {
        &self.opts
    }

    /// Dovecot's whole log so far.
    pub fn log(&self) -> String {
        fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// The last `n` lines of Dovecot's log, plus anything it printed on
    /// stdout/stderr during start-up.
    pub fn log_tail(&self, n: usize) -> String {
        let mut out = tail(&self.log(), n);
        for f in ["stdout", "stderr"] {
            for attempt in 0..5 {
                let p = self.root.join(format!("{f}{attempt}.txt"));
                if let Ok(s) = fs::read_to_string(&p)
                    && !s.trim().is_empty()
                {
                    let _ = write!(
                        out,
                        "\n--- dovecot {f} (attempt {}) ---\n{}",
                        attempt + 1,
                        tail(&s, n)
                    );
                }
            }
        }
        out
    }

    /// The master process id, while running.
    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// Process ids of the master's current children (Dovecot services).
    pub fn service_pids(&self) -> Vec<u32> {
        self.pid().map(children_of).unwrap_or_default()
    }

    /// The password of a test user.
    pub fn password(user: &str) -> Option<&'static str> {
        USERS.iter().find(|(u, _)| *u == user).map(|(_, p)| *p)
    }

    /// The user's Maildir (`<root>/mail/<user>`).
    pub fn maildir(&self, user: &str) -> PathBuf {
        self.root.join("mail").join(user)
    }

    /// Delivers `raw` (an RFC 5322 message) into `user`'s Maildir `new/`,
    /// owned by the mail user, via `tmp/` and a rename. Returns the path.
    pub fn seed_message(&self, user: &str, raw: impl AsRef<[u8]>) -> Result<PathBuf> {
        static SEQ: AtomicU64 = AtomicU64::new(0);
        let md = self.maildir(user);
        if !md.join("new").is_dir() {
            bail!("no Maildir for user {user:?} at {}", md.display());
        }
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        let name = format!(
            "{}.M{}P{}Q{}.popscope",
            now.as_secs(),
            now.subsec_micros(),
            std::process::id(),
            SEQ.fetch_add(1, Ordering::Relaxed)
        );
        let tmp = md.join("tmp").join(&name);
        fs::write(&tmp, raw.as_ref())?;
        fs::set_permissions(&tmp, fs::Permissions::from_mode(0o600))?;
        chown(&tmp, Some(self.mail_uid), Some(self.mail_gid))?;
        let dest = md.join("new").join(&name);
        fs::rename(&tmp, &dest)?;
        Ok(dest)
    }

    /// `(message number, unique id)` as Dovecot's POP3 `UIDL` lists them for
    /// `user`, fetched over the direct listener with USER/PASS.
    pub fn uidl_list(&self, user: &str) -> Result<Vec<(u32, String)>> {
        let pass = Self::password(user).ok_or_else(|| anyhow!("unknown test user {user:?}"))?;
        let mut c = RawPop3::connect(self.direct)?;
        c.expect_ok(&format!("USER {user}"))?;
        c.expect_ok(&format!("PASS {pass}"))?;
        let lines = c.multiline("UIDL")?;
        let _ = c.command("QUIT");
        lines
            .iter()
            .map(|l| {
                let (n, id) = l
                    .split_once(' ')
                    .ok_or_else(|| anyhow!("bad UIDL line {l:?}"))?;
                Ok((n.parse()?, id.to_string()))
            })
            .collect()
    }

    /// Runs `doveadm -c <conf> <args>` and returns its stdout.
    pub fn doveadm(&self, args: &[&str]) -> Result<String> {
        let bin = Path::new("/usr/bin/doveadm");
        let bin = if bin.is_file() {
            bin.to_path_buf()
        } else {
            find_on_path("doveadm").ok_or_else(|| anyhow!("doveadm not found"))?
        };
        let out = Command::new(bin)
            .arg("-c")
            .arg(&self.conf)
            .args(args)
            .output()?;
        if !out.status.success() {
            bail!(
                "doveadm {args:?} failed ({}): {}",
                out.status,
                String::from_utf8_lossy(&out.stderr)
            );
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// Stops Dovecot now (also done on drop): closes the relays, sends
    /// SIGTERM, waits for the exit (at most [`DEADLINE`]), then SIGKILLs.
    pub fn stop(&mut self) {
        for r in self.relays.drain(..) {
            r.stop();
        }
        let Some(mut child) = self.child.take() else {
            return;
        };
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        let termed = Command::new("kill")
            .arg("-TERM")
            .arg(child.id().to_string())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        if termed && poll(DEADLINE, || child.try_wait().ok().flatten()).is_some() {
            return;
        }
        let _ = child.kill();
        let _ = child.wait();
    }

    /// Whether the master process is still running.
    pub fn is_running(&mut self) -> bool {
        match self.child.as_mut() {
            Some(c) => matches!(c.try_wait(), Ok(None)),
            None => false,
        }
    }

    /// The base_dir of the running instance.
    pub fn base_dir(&self) -> &Path {
        &self.base_dir
    }
}

impl Drop for Dovecot {
    fn drop(&mut self) {
        self.stop();
    }
}

fn tmp_parent() -> PathBuf {
    // Not $TMPDIR: its parents may not be traversable by Dovecot's
    // unprivileged users, and unix socket paths must stay short.
    PathBuf::from("/tmp")
}

fn tail(s: &str, n: usize) -> String {
    let lines: Vec<&str> = s.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

/// Connects, reads the greeting line, says QUIT.
fn greet(addr: SocketAddr, timeout: Duration) -> Result<String> {
    let mut c = RawPop3::connect_timeout(addr, timeout)?;
    let g = c.greeting.clone();
    let _ = c.command("QUIT");
    Ok(g)
}

fn children_of(pid: u32) -> Vec<u32> {
    let mut out = Vec::new();
    let Ok(entries) = fs::read_dir("/proc") else {
        return out;
    };
    for e in entries.flatten() {
        let Some(p) = e.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else {
            continue;
        };
        let Ok(stat) = fs::read_to_string(e.path().join("stat")) else {
            continue;
        };
        // "pid (comm) state ppid ...": comm may hold spaces and parens.
        let ppid = stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().nth(1))
            .and_then(|s| s.parse::<u32>().ok());
        if ppid == Some(pid) {
            out.push(p);
        }
    }
    out
}

/// Whether a process with this id exists (and is not a zombie).
pub fn process_alive(pid: u32) -> bool {
    match fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().next())
            .is_some_and(|state| state != "Z" && state != "X"),
        Err(_) => false,
    }
}
