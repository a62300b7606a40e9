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

#![allow(dead_code)]

use std::fmt::Write as _;
use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::os::unix::fs::{PermissionsExt, chown};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose,
};
use time::OffsetDateTime;

/// Environment variable that turns "Dovecot is not available" from a skip
/// into a test failure (CI sets it to `1`).
pub const REQUIRE_ENV: &str = "POPSCOPE_REQUIRE_INTEROP";

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

/// Which server certificate Dovecot presents. All but `SelfSigned` are
/// issued by the fixture's test CA ([`Dovecot::ca_pem_path`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CertKind {
    /// CA-issued, valid for `localhost`, 127.0.0.1 and ::1, 90 days left.
    Good,
    /// CA-issued for `localhost`, expired 30 days ago.
    Expired,
    /// CA-issued for `localhost`, 5 days left (inside the usual warning window).
    ExpiringSoon,
    /// CA-issued for `localhost`, valid only from 30 days in the future.
    NotYetValid,
    /// Self-signed (its own issuer) for `localhost`, 127.0.0.1 and ::1.
    SelfSigned,
    /// CA-issued, valid for `mail.example.net` only.
    WrongHost,
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
            startup_timeout: Duration::from_secs(10),
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

/// Whether `POPSCOPE_REQUIRE_INTEROP=1` is set.
pub fn interop_required() -> bool {
    std::env::var(REQUIRE_ENV).as_deref() == Ok("1")
}

/// Returns `true` when the test may use Dovecot. Otherwise prints why the
/// test is skipped and returns `false`, or panics when
/// `POPSCOPE_REQUIRE_INTEROP=1` says skipping is not allowed.
pub fn available_or_skip(test: &str) -> bool {
    match skip_reason() {
        None => true,
        Some(why) if interop_required() => {
            panic!("{test}: {REQUIRE_ENV}=1 but the Dovecot fixture cannot run: {why}")
        }
        Some(why) => {
            eprintln!("SKIPPED {test}: {why}");
            false
        }
    }
}

fn find_on_path(name: &str) -> Option<PathBuf> {
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

struct Ports {
    pop3: u16,
    pop3s: u16,
    direct: u16,
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
        write_certificates(&tls_dir, opts.cert)?;

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
        let deadline = Instant::now() + self.opts.startup_timeout;
        // 1. Dovecot itself answers on the direct listener.
        loop {
            if let Some(status) = self.child.as_mut().unwrap().try_wait()? {
                bail!("dovecot exited during start-up: {status}");
            }
            if let Ok(greeting) = greet(self.direct, Duration::from_millis(500)) {
                if greeting.starts_with("+OK") {
                    break;
                }
                bail!("unexpected greeting on {}: {greeting:?}", self.direct);
            }
            if Instant::now() > deadline {
                bail!(
                    "no +OK on {} within {:?}",
                    self.direct,
                    self.opts.startup_timeout
                );
            }
            thread::sleep(Duration::from_millis(40));
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
    /// SIGTERM, waits up to 5 s, then SIGKILLs.
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
        if termed {
            let deadline = Instant::now() + Duration::from_secs(5);
            while Instant::now() < deadline {
                if let Ok(Some(_)) = child.try_wait() {
                    return;
                }
                thread::sleep(Duration::from_millis(20));
            }
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

/// uid/gid for mail: `mail`, else `nobody`.
fn mail_ids() -> Result<(u32, u32)> {
    let passwd = fs::read_to_string("/etc/passwd").context("reading /etc/passwd")?;
    for want in ["mail", "nobody"] {
        for line in passwd.lines() {
            let f: Vec<&str> = line.split(':').collect();
            if f.len() >= 4 && f[0] == want {
                return Ok((f[2].parse()?, f[3].parse()?));
            }
        }
    }
    bail!("neither `mail` nor `nobody` exists in /etc/passwd")
}

fn ipv6_loopback_available() -> bool {
    TcpListener::bind((Ipv6Addr::LOCALHOST, 0)).is_ok()
}

/// Three ports that are free right now on 127.0.0.1 (and ::1). Released
/// before Dovecot binds them; a lost race shows as "Address already in use"
/// and [`Dovecot::start`] retries.
fn pick_ports(v6: bool) -> Result<Ports> {
    let mut held = Vec::new();
    let mut ports = Vec::new();
    let mut tries = 0;
    while ports.len() < 3 {
        tries += 1;
        if tries > 50 {
            bail!("could not find free ports on loopback");
        }
        let (l4, l6) = match bind_pair(v6) {
            Ok(p) => p,
            Err(_) => continue,
        };
        ports.push(l4.local_addr()?.port());
        held.push(l4);
        if let Some(l) = l6 {
            held.push(l);
        }
    }
    drop(held);
    Ok(Ports {
        pop3: ports[0],
        pop3s: ports[1],
        direct: ports[2],
    })
}

/// A listener on 127.0.0.1:P and, when `v6`, one on [::1]:P (same P).
fn bind_pair(v6: bool) -> Result<(TcpListener, Option<TcpListener>)> {
    for _ in 0..50 {
        let l4 = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
        if !v6 {
            return Ok((l4, None));
        }
        let port = l4.local_addr()?.port();
        if let Ok(l6) = TcpListener::bind((Ipv6Addr::LOCALHOST, port)) {
            return Ok((l4, Some(l6)));
        }
    }
    bail!("no port free on both 127.0.0.1 and ::1")
}

fn render_conf(
    opts: &DovecotOpts,
    root: &Path,
    base_dir: &Path,
    ports: &Ports,
    v6: bool,
    uid: u32,
    gid: u32,
) -> String {
    let r = root.display();
    let listen = if v6 { "127.0.0.1, ::1" } else { "127.0.0.1" };
    let haproxy = if opts.emulate_remote_client {
        "\n    haproxy = yes"
    } else {
        ""
    };
    let pop3s = if opts.ssl == SslMode::No {
        String::new()
    } else {
        format!(
            "  inet_listener pop3s {{\n    port = {}\n    ssl = yes{haproxy}\n  }}\n",
            ports.pop3s
        )
    };
    let instance = root
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "popscope".into());
    format!(
        "# Generated by popscope tests/support/dovecot.rs: a private Dovecot for interop tests.
base_dir = {base}
state_dir = {r}/state
log_path = {r}/dovecot.log
instance_name = {instance}
listen = {listen}
protocols = pop3
shutdown_clients = yes

ssl = {ssl}
ssl_cert = <{r}/tls/server.pem
ssl_key = <{r}/tls/server.key
ssl_min_protocol = {min}
verbose_ssl = yes

disable_plaintext_auth = {dpa}
auth_mechanisms = {mechs}
auth_verbose = yes
login_greeting = {greeting}
haproxy_trusted_networks = 127.0.0.1 ::1

first_valid_uid = {uid}
first_valid_gid = {gid}
mail_location = maildir:{r}/mail/%u
pop3_uidl_format = %08Xu%08Xv

passdb {{
  driver = passwd-file
  args = scheme=PLAIN {r}/users
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={r}/mail/%u
}}

service pop3-login {{
  inet_listener pop3 {{
    port = {p_plain}{haproxy}
  }}
{pop3s}  inet_listener pop3-direct {{
    port = {p_direct}
  }}
}}
{extra}
",
        base = base_dir.display(),
        ssl = opts.ssl.as_conf(),
        min = opts.ssl_min_protocol,
        dpa = if opts.disable_plaintext_auth {
            "yes"
        } else {
            "no"
        },
        mechs = opts.auth_mechanisms,
        greeting = opts.greeting,
        p_plain = ports.pop3,
        p_direct = ports.direct,
        extra = opts.extra_conf,
    )
}

fn write_certificates(dir: &Path, kind: CertKind) -> Result<()> {
    let now = OffsetDateTime::now_utc();
    let day = time::Duration::days(1);

    let ca_key = KeyPair::generate()?;
    let mut ca = CertificateParams::new(Vec::<String>::new())?;
    ca.distinguished_name = dn("popscope test CA");
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    ca.not_before = now - day * 400;
    ca.not_after = now + day * 3650;
    let ca_cert = ca.self_signed(&ca_key)?;
    let issuer = Issuer::new(ca, ca_key);

    let local: Vec<String> = vec!["localhost".into(), "127.0.0.1".into(), "::1".into()];
    let (names, cn, not_before, not_after) = match kind {
        CertKind::Good | CertKind::SelfSigned => (local, "localhost", now - day, now + day * 90),
        CertKind::Expired => (local, "localhost", now - day * 120, now - day * 30),
        CertKind::ExpiringSoon => (local, "localhost", now - day * 85, now + day * 5),
        CertKind::NotYetValid => (local, "localhost", now + day * 30, now + day * 120),
        CertKind::WrongHost => (
            vec!["mail.example.net".into()],
            "mail.example.net",
            now - day,
            now + day * 90,
        ),
    };
    let key = KeyPair::generate()?;
    let mut leaf = CertificateParams::new(names)?;
    leaf.distinguished_name = dn(cn);
    leaf.not_before = not_before;
    leaf.not_after = not_after;
    leaf.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    leaf.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    let cert = if kind == CertKind::SelfSigned {
        leaf.self_signed(&key)?
    } else {
        leaf.use_authority_key_identifier_extension = true;
        leaf.signed_by(&key, &issuer)?
    };

    write_mode(&dir.join("ca.pem"), ca_cert.pem().as_bytes(), 0o644)?;
    write_mode(&dir.join("server.pem"), cert.pem().as_bytes(), 0o644)?;
    write_mode(
        &dir.join("server.key"),
        key.serialize_pem().as_bytes(),
        0o600,
    )?;
    Ok(())
}

fn dn(cn: &str) -> DistinguishedName {
    let mut dn = DistinguishedName::new();
    dn.push(DnType::OrganizationName, "popscope tests");
    dn.push(DnType::CommonName, cn);
    dn
}

fn write_mode(path: &Path, data: &[u8], mode: u32) -> Result<()> {
    fs::write(path, data)?;
    fs::set_permissions(path, fs::Permissions::from_mode(mode))?;
    Ok(())
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

/// A minimal line-based POP3 client over plain TCP, for fixture helpers and
/// tests that need to look at Dovecot without popscope.
pub struct RawPop3 {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
    /// The greeting line (without CRLF).
    pub greeting: String,
}

impl RawPop3 {
    /// Connects (5 s timeout) and reads the greeting.
    pub fn connect(addr: SocketAddr) -> Result<RawPop3> {
        Self::connect_timeout(addr, Duration::from_secs(5))
    }

    /// Connects with a timeout (also used for each read) and reads the greeting.
    pub fn connect_timeout(addr: SocketAddr, timeout: Duration) -> Result<RawPop3> {
        let s = TcpStream::connect_timeout(&addr, timeout)?;
        s.set_read_timeout(Some(timeout))?;
        s.set_write_timeout(Some(timeout))?;
        let writer = s.try_clone()?;
        let mut c = RawPop3 {
            reader: BufReader::new(s),
            writer,
            greeting: String::new(),
        };
        c.greeting = c.read_line()?;
        Ok(c)
    }

    /// Reads one line, CRLF stripped.
    pub fn read_line(&mut self) -> Result<String> {
        let mut buf = Vec::new();
        let n = self.reader.read_until(b'\n', &mut buf)?;
        if n == 0 {
            bail!("connection closed");
        }
        while matches!(buf.last(), Some(b'\n' | b'\r')) {
            buf.pop();
        }
        Ok(String::from_utf8_lossy(&buf).into_owned())
    }

    /// Sends a command line and returns the first response line.
    pub fn command(&mut self, line: &str) -> Result<String> {
        self.writer.write_all(format!("{line}\r\n").as_bytes())?;
        self.read_line()
    }

    /// Sends a command and fails unless the answer is `+OK`.
    pub fn expect_ok(&mut self, line: &str) -> Result<String> {
        let r = self.command(line)?;
        if !r.starts_with("+OK") {
            let shown = if line.starts_with("PASS ") {
                "PASS ***"
            } else {
                line
            };
            bail!("{shown} -> {r}");
        }
        Ok(r)
    }

    /// Sends a command with a multi-line answer; returns the lines between
    /// `+OK` and `.`, dot-unstuffed.
    pub fn multiline(&mut self, line: &str) -> Result<Vec<String>> {
        self.expect_ok(line)?;
        let mut out = Vec::new();
        loop {
            let l = self.read_line()?;
            if l == "." {
                return Ok(out);
            }
            out.push(l.strip_prefix('.').map(str::to_string).unwrap_or(l));
        }
    }

    /// `CAPA` lines.
    pub fn capa(&mut self) -> Result<Vec<String>> {
        self.multiline("CAPA")
    }
}

/// The HAProxy-protocol relay: one listener, one upstream.
struct Relay {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    conns: Arc<Mutex<Vec<TcpStream>>>,
    accept: Option<JoinHandle<()>>,
}

impl Relay {
    fn spawn(listener: TcpListener, upstream: SocketAddr, client_ip: IpAddr) -> Result<Relay> {
        let addr = listener.local_addr()?;
        let stop = Arc::new(AtomicBool::new(false));
        let conns: Arc<Mutex<Vec<TcpStream>>> = Arc::new(Mutex::new(Vec::new()));
        let (stop2, conns2) = (stop.clone(), conns.clone());
        let accept = thread::Builder::new()
            .name(format!("dovecot-relay-{addr}"))
            .spawn(move || {
                for stream in listener.incoming() {
                    if stop2.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(client) = stream else { continue };
                    let conns = conns2.clone();
                    let _ = thread::Builder::new()
                        .name("dovecot-relay-conn".into())
                        .spawn(move || relay_conn(client, upstream, client_ip, addr, &conns));
                }
            })?;
        Ok(Relay {
            addr,
            stop,
            conns,
            accept: Some(accept),
        })
    }

    fn stop(mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        if let Some(t) = self.accept.take() {
            let _ = t.join();
        }
        for s in self.conns.lock().unwrap().drain(..) {
            let _ = s.shutdown(Shutdown::Both);
        }
    }
}

fn relay_conn(
    client: TcpStream,
    upstream: SocketAddr,
    client_ip: IpAddr,
    public: SocketAddr,
    conns: &Mutex<Vec<TcpStream>>,
) {
    let Ok(server) = TcpStream::connect_timeout(&upstream, Duration::from_secs(2)) else {
        let _ = client.shutdown(Shutdown::Both);
        return;
    };
    let _ = client.set_nodelay(true);
    let _ = server.set_nodelay(true);
    let src_port = client.peer_addr().map(|a| a.port()).unwrap_or(40000);
    let fam = if client_ip.is_ipv4() { "TCP4" } else { "TCP6" };
    let header = format!(
        "PROXY {fam} {client_ip} {} {src_port} {}\r\n",
        public.ip(),
        public.port()
    );
    if (&server).write_all(header.as_bytes()).is_err() {
        return;
    }
    if let (Ok(c), Ok(s)) = (client.try_clone(), server.try_clone()) {
        conns.lock().unwrap().extend([c, s]);
    }
    let (Ok(c2), Ok(s2)) = (client.try_clone(), server.try_clone()) else {
        return;
    };
    let up = thread::spawn(move || pipe(&c2, &s2));
    pipe(&server, &client);
    let _ = up.join();
}

/// Copies `from` -> `to` until EOF, then half-closes `to`; on an error,
/// closes both.
fn pipe(mut from: &TcpStream, mut to: &TcpStream) {
    let mut buf = [0u8; 16 * 1024];
    loop {
        match from.read(&mut buf) {
            Ok(0) => {
                let _ = to.shutdown(Shutdown::Write);
                return;
            }
            Ok(n) => {
                if to.write_all(&buf[..n]).is_err() {
                    break;
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(_) => break,
        }
    }
    let _ = from.shutdown(Shutdown::Both);
    let _ = to.shutdown(Shutdown::Both);
}
