//! Built-in POP3 server with injectable faults (teaching labs, demos, tests).
//!
//! [`Lab::start`] binds, per [`Scenario`], a plain port (POP3 + STLS) and an
//! implicit-TLS port, all served by one standards-conforming POP3 server
//! (RFC 1939, 2449, 2595, 3206, 5034) whose behaviour each scenario bends in
//! one named way. Certificates come from a lab CA generated at start; its PEM
//! is written to a file so that `popscope --ca-file` and real clients can
//! trust it. Maildrops live in memory and are shared by every connection.
//!
//! ```no_run
//! # async fn demo() -> Result<(), popscope::lab::LabError> {
//! use popscope::lab::{Lab, LabConfig, Scenario};
//! let lab = Lab::start(LabConfig::new(vec![Scenario::Healthy])).await?;
//! let healthy = lab.endpoint(Scenario::Healthy).unwrap();
//! println!("plain {} tls {} ca {}", healthy.plain, healthy.tls, lab.ca_pem_path().display());
//! lab.shutdown().await;
//! # Ok(()) }
//! ```

pub mod classroom;
pub mod dns;
mod io;
pub mod legacy_tls;
pub mod mailbox;
mod pki;
pub mod scenario;
mod server;
pub mod testpki;

#[cfg(test)]
mod tests;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinSet;

use crate::i18n::{Lang, scoped, t};
pub use mailbox::{LabUser, MailboxError, Message};
pub use pki::WRONG_HOSTNAME;
pub use scenario::{Scenario, UnknownScenario};

use mailbox::MailStore;
use server::{PortKind, ScenarioCtx};
use testpki::PkiError;

/// File name of the lab CA certificate inside the CA directory.
pub const CA_FILE_NAME: &str = "popscope-lab-ca.pem";
/// Default delay of the `slow-greeting` scenario.
pub const DEFAULT_SLOW_DELAY: Duration = Duration::from_secs(3);
/// Default idle timeout: a silent client is disconnected after this long.
pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(120);
/// Default bound on sending one command line, from its first octet to its
/// end: a client trickling octets is disconnected after this long.
pub const DEFAULT_LINE_TIMEOUT: Duration = Duration::from_secs(60);
/// Default bound on a whole session, however busy.
pub const DEFAULT_SESSION_TIMEOUT: Duration = Duration::from_secs(600);
/// Default number of connections one client address may hold on each
/// port.
pub const DEFAULT_MAX_PER_ADDRESS: usize = 16;
/// Default number of connections each listener serves at once.
pub const DEFAULT_MAX_CONNECTIONS: usize = 256;
/// How many octets the `endless-multiline` scenario sends before giving up.
pub const ENDLESS_LIMIT: usize = server::ENDLESS_LIMIT;

/// How to start a [`Lab`]. Build it with [`LabConfig::new`] or
/// `LabConfig { scenarios, ..Default::default() }` so that new fields do not
/// break callers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabConfig {
    /// Scenarios to serve (duplicates ignored); empty means all of them.
    pub scenarios: Vec<Scenario>,
    /// Address to listen on (default `127.0.0.1`).
    pub listen: IpAddr,
    /// First plain port: scenario *i* (in `scenarios` order) listens on
    /// `plain_port + i`. `None` or `Some(0)`: ephemeral ports.
    pub plain_port: Option<u16>,
    /// First TLS port, numbered like `plain_port`.
    pub tls_port: Option<u16>,
    /// Greeting delay of the `slow-greeting` scenario.
    pub slow_delay: Duration,
    /// Idle timeout of every connection (reads and writes).
    pub idle_timeout: Duration,
    /// Longest time from the first octet of a command line to its end.
    pub line_timeout: Duration,
    /// Longest session; the client is then told to reconnect.
    pub session_timeout: Duration,
    /// Connections one client address may hold on each port; more are
    /// refused with `-ERR [SYS/TEMP]`.
    pub max_per_address: usize,
    /// Connections each listener serves at once; more are refused with
    /// `-ERR [SYS/TEMP]`.
    pub max_connections: usize,
    /// Load maildrops from `.eml` files instead of the samples: files in the
    /// directory go to `alice`, files in `<dir>/<user>/` to that user.
    pub mailbox_dir: Option<PathBuf>,
    /// Where to write the CA certificate (kept); `None`: a temporary
    /// directory removed when the lab stops.
    pub ca_dir: Option<PathBuf>,
    /// Classroom mode: one account per student, each with its own copy of
    /// the sample maildrop (or of alice's messages from `mailbox_dir`); the
    /// scenarios served are the students' (`scenarios` is then ignored).
    pub students: Vec<classroom::Student>,
    /// Hide scenario names from greetings and from [`Lab::describe`].
    pub blind: bool,
    /// More names (DNS names or IP literals) for the certificates' subject
    /// alternative names, besides `localhost`, `127.0.0.1`, `::1` and a
    /// specific listen address.
    pub tls_names: Vec<String>,
    /// The language of the greetings, server replies, account notes and
    /// [`Lab::describe`] (default: the process's language when the config
    /// is made).
    pub lang: Lang,
}

impl Default for LabConfig {
    fn default() -> Self {
        LabConfig {
            scenarios: Vec::new(),
            listen: IpAddr::V4(Ipv4Addr::LOCALHOST),
            plain_port: None,
            tls_port: None,
            slow_delay: DEFAULT_SLOW_DELAY,
            idle_timeout: DEFAULT_IDLE_TIMEOUT,
            line_timeout: DEFAULT_LINE_TIMEOUT,
            session_timeout: DEFAULT_SESSION_TIMEOUT,
            max_per_address: DEFAULT_MAX_PER_ADDRESS,
            max_connections: DEFAULT_MAX_CONNECTIONS,
            mailbox_dir: None,
            ca_dir: None,
            students: Vec::new(),
            blind: false,
            tls_names: Vec::new(),
            lang: crate::i18n::current(),
        }
    }
}

impl LabConfig {
    /// Defaults (loopback, ephemeral ports, sample maildrops) for `scenarios`.
    pub fn new(scenarios: Vec<Scenario>) -> Self {
        LabConfig {
            scenarios,
            ..Default::default()
        }
    }
}

/// Where one scenario listens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct ScenarioEndpoints {
    /// The scenario served.
    pub scenario: Scenario,
    /// Its plain port (POP3, STLS unless the fault says otherwise).
    pub plain: SocketAddr,
    /// Its implicit-TLS port.
    pub tls: SocketAddr,
}

/// Why a lab could not start.
#[derive(Debug, thiserror::Error)]
pub enum LabError {
    /// A listener could not be bound.
    #[error(
        "{}",
        t!("lab-error-bind", addr = addr.to_string(), scenario = scenario.name(), error = source.to_string())
    )]
    Bind {
        /// The scenario.
        scenario: Scenario,
        /// The address.
        addr: SocketAddr,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// A fixed base port plus the scenario's index exceeds 65535.
    #[error(
        "{}",
        t!("lab-error-port-range", base = base.to_string(), index = index.to_string(), scenario = scenario.name())
    )]
    PortRange {
        /// The scenario.
        scenario: Scenario,
        /// The configured base port.
        base: u16,
        /// The scenario's index.
        index: usize,
    },
    /// Certificates could not be generated.
    #[error("{}", t!("lab-error-pki", error = .0.to_string()))]
    Pki(#[from] PkiError),
    /// The CA file could not be written.
    #[error(
        "{}",
        t!("lab-error-ca-file", path = path.display().to_string(), error = source.to_string())
    )]
    CaFile {
        /// The file or directory.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The mailbox directory could not be loaded.
    #[error(transparent)]
    Mailbox(#[from] MailboxError),
    /// A rustls client configuration could not be built.
    #[error("{}", t!("lab-error-tls", error = .0.to_string()))]
    Tls(#[from] rustls::Error),
}

/// A running lab. Dropping it (or [`Lab::shutdown`]) stops every listener
/// and connection and removes the temporary CA directory.
pub struct Lab {
    endpoints: Vec<ScenarioEndpoints>,
    users: Vec<LabUser>,
    store: Arc<MailStore>,
    ca_pem: String,
    ca_der: rustls::pki_types::CertificateDer<'static>,
    ca_path: PathBuf,
    temp_dir: Option<PathBuf>,
    listen: IpAddr,
    slow_delay: Duration,
    blind: bool,
    students: usize,
    lang: Lang,
    shutdown: watch::Sender<bool>,
    tasks: JoinSet<()>,
}

impl std::fmt::Debug for Lab {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lab")
            .field("endpoints", &self.endpoints)
            .field("ca_path", &self.ca_path)
            .finish_non_exhaustive()
    }
}

fn port_for(base: Option<u16>, index: usize, scenario: Scenario) -> Result<u16, LabError> {
    match base {
        None | Some(0) => Ok(0),
        Some(b) => u16::try_from(usize::from(b) + index).map_err(|_| LabError::PortRange {
            scenario,
            base: b,
            index,
        }),
    }
}

async fn bind(scenario: Scenario, addr: SocketAddr) -> Result<TcpListener, LabError> {
    TcpListener::bind(addr)
        .await
        .map_err(|source| LabError::Bind {
            scenario,
            addr,
            source,
        })
}

fn make_temp_dir() -> Result<PathBuf, LabError> {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    let base = std::env::temp_dir();
    let mut last = None;
    for _ in 0..16 {
        let n = N.fetch_add(1, Ordering::Relaxed);
        let dir = base.join(format!("popscope-lab-{}-{n}-{nanos}", std::process::id()));
        match std::fs::create_dir(&dir) {
            Ok(()) => return Ok(dir),
            Err(e) => last = Some((dir, e)),
        }
    }
    let (path, source) = last.expect("at least one attempt");
    Err(LabError::CaFile { path, source })
}

impl Lab {
    /// Generates the lab CA and leaves, binds every scenario's two ports and
    /// starts serving. Must be called inside a tokio runtime.
    pub async fn start(config: LabConfig) -> Result<Lab, LabError> {
        let mut scenarios: Vec<Scenario> = Vec::new();
        let wanted = if !config.students.is_empty() {
            config.students.iter().map(|s| s.scenario).collect()
        } else if config.scenarios.is_empty() {
            Scenario::all().to_vec()
        } else {
            config.scenarios.clone()
        };
        for s in wanted {
            if !scenarios.contains(&s) {
                scenarios.push(s);
            }
        }

        let mut users = scoped(config.lang, mailbox::default_users);
        let mut messages = match &config.mailbox_dir {
            Some(dir) => mailbox::load_dir(dir, &users)?,
            None => {
                let mut m = std::collections::BTreeMap::new();
                m.insert("alice".to_string(), mailbox::sample_messages());
                m
            }
        };
        let copy = messages.get("alice").cloned().unwrap_or_default();
        for st in &config.students {
            users.push(LabUser {
                name: st.account.clone(),
                password: st.password.clone(),
                note: scoped(config.lang, || t!("lab-user-student")),
            });
            messages.insert(st.account.clone(), copy.clone());
        }
        let store = Arc::new(MailStore::new(&users, messages));

        let pki = pki::LabPki::new()?;
        let names = pki::leaf_names(config.listen, &config.tls_names);
        let idle = config.idle_timeout.max(Duration::from_millis(100));
        let line = config.line_timeout.max(Duration::from_millis(100));
        let session = config.session_timeout.max(Duration::from_millis(100));

        // Bind everything first, spawn only when all binds succeeded.
        let mut bound = Vec::new();
        let mut ports = Vec::new();
        for (i, &scenario) in scenarios.iter().enumerate() {
            ports.push((
                port_for(config.plain_port, i, scenario)?,
                port_for(config.tls_port, i, scenario)?,
            ));
        }
        for (&scenario, (plain_port, tls_port)) in scenarios.iter().zip(ports) {
            let tls = pki.tls_mode(scenario, &names)?;
            let plain = bind(scenario, SocketAddr::new(config.listen, plain_port)).await?;
            let tls_l = bind(scenario, SocketAddr::new(config.listen, tls_port)).await?;
            let local = |l: &TcpListener, port| {
                l.local_addr()
                    .unwrap_or_else(|_| SocketAddr::new(config.listen, port))
            };
            let endpoints = ScenarioEndpoints {
                scenario,
                plain: local(&plain, plain_port),
                tls: local(&tls_l, tls_port),
            };
            let ctx = Arc::new(ScenarioCtx {
                scenario,
                tls,
                store: Arc::clone(&store),
                slow_delay: config.slow_delay,
                idle,
                line,
                session,
                max_connections: config.max_connections.max(1),
                max_per_address: config.max_per_address.max(1),
                blind: config.blind,
                lang: config.lang,
            });
            bound.push((endpoints, ctx, plain, tls_l));
        }

        let ca_pem = pki.ca_pem();
        let (ca_dir, temp_dir) = match &config.ca_dir {
            Some(dir) => {
                std::fs::create_dir_all(dir).map_err(|source| LabError::CaFile {
                    path: dir.clone(),
                    source,
                })?;
                (dir.clone(), None)
            }
            None => {
                let dir = make_temp_dir()?;
                (dir.clone(), Some(dir))
            }
        };
        let ca_path = ca_dir.join(CA_FILE_NAME);
        if let Err(source) = std::fs::write(&ca_path, &ca_pem) {
            if let Some(t) = &temp_dir {
                let _ = std::fs::remove_dir_all(t);
            }
            return Err(LabError::CaFile {
                path: ca_path,
                source,
            });
        }

        let (shutdown, _) = watch::channel(false);
        let mut tasks = JoinSet::new();
        let mut endpoints = Vec::new();
        for (ep, ctx, plain, tls_l) in bound {
            tasks.spawn(server::serve(
                plain,
                Arc::clone(&ctx),
                PortKind::Plain,
                shutdown.subscribe(),
            ));
            tasks.spawn(server::serve(
                tls_l,
                ctx,
                PortKind::Tls,
                shutdown.subscribe(),
            ));
            endpoints.push(ep);
        }

        Ok(Lab {
            endpoints,
            users,
            store,
            ca_pem,
            ca_der: pki.root_der(),
            ca_path,
            temp_dir,
            listen: config.listen,
            slow_delay: config.slow_delay,
            blind: config.blind,
            students: config.students.len(),
            lang: config.lang,
            shutdown,
            tasks,
        })
    }

    /// Every scenario's ports, in start order.
    pub fn endpoints(&self) -> &[ScenarioEndpoints] {
        &self.endpoints
    }

    /// One scenario's ports, if it is served.
    pub fn endpoint(&self, scenario: Scenario) -> Option<&ScenarioEndpoints> {
        self.endpoints.iter().find(|e| e.scenario == scenario)
    }

    /// The file holding the lab CA certificate (PEM).
    pub fn ca_pem_path(&self) -> &Path {
        &self.ca_path
    }

    /// The lab CA certificate (PEM).
    pub fn ca_pem(&self) -> &str {
        &self.ca_pem
    }

    /// The lab CA certificate (DER), for building trust stores.
    pub fn ca_der(&self) -> &rustls::pki_types::CertificateDer<'static> {
        &self.ca_der
    }

    /// A rustls client configuration (aws-lc-rs provider) trusting only the lab
    /// CA, for tests that talk TLS to the lab.
    pub fn client_config(&self) -> Result<Arc<rustls::ClientConfig>, LabError> {
        let mut roots = rustls::RootCertStore::empty();
        roots.add(self.ca_der.clone())?;
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()?
            .with_root_certificates(roots)
            .with_no_client_auth();
        Ok(Arc::new(config))
    }

    /// The lab's accounts (printable passwords).
    pub fn users(&self) -> &[LabUser] {
        &self.users
    }

    /// The current unique ids of `user`'s maildrop (`None`: no such user).
    /// Compare before and after to assert that a session changed nothing.
    pub fn mailbox_uidls(&self, user: &str) -> Option<Vec<String>> {
        self.store.uidls(user)
    }

    /// Whether a session currently holds `user`'s maildrop lock.
    pub fn is_locked(&self, user: &str) -> bool {
        self.store.is_locked(user)
    }

    /// Adds a message (raw RFC 5322 bytes, any line ends) to `user`'s
    /// maildrop; sessions already logged in do not see it. False for an
    /// unknown user.
    pub fn deliver(&self, user: &str, raw: &[u8]) -> bool {
        self.store.deliver(user, Message::from_bytes(raw))
    }

    /// A printable description for the CLI: ports, users, passwords, the CA
    /// path and how to connect. Blind (`LabConfig::blind`): only the ports,
    /// the CA path and the demo accounts, no scenario, no expected check;
    /// classroom mode never lists the students' accounts (they are on the
    /// roster).
    pub fn describe(&self) -> String {
        scoped(self.lang, || {
            if self.blind {
                self.describe_blind()
            } else {
                self.describe_full()
            }
        })
    }

    /// The full banner (current language).
    fn describe_full(&self) -> String {
        use std::fmt::Write;
        let mut s = String::new();
        let _ = writeln!(
            s,
            "{}",
            t!(
                "lab-banner-heading",
                count = self.endpoints.len(),
                listen = self.listen.to_string()
            )
        );
        let _ = writeln!(s, "{}", self.ca_line());
        let _ = writeln!(s, "{}", t!("lab-banner-users"));
        for u in self.users.iter().take(self.users.len() - self.students) {
            let _ = writeln!(s, "  {} / {}  ({})", u.name, u.password, u.note);
        }
        if self.students > 0 {
            let _ = writeln!(s, "{}", text::students_on_roster(self.students));
        }
        let _ = writeln!(s);
        let _ = writeln!(
            s,
            "{:<22} {:<24} {:<24} {}",
            t!("lab-banner-col-scenario"),
            t!("lab-banner-col-plain"),
            t!("lab-banner-col-tls"),
            t!("lab-banner-col-expected")
        );
        for ep in &self.endpoints {
            let _ = writeln!(
                s,
                "{:<22} {:<24} {:<24} {}",
                ep.scenario.name(),
                ep.plain.to_string(),
                ep.tls.to_string(),
                ep.scenario
                    .expected_check()
                    .map_or_else(|| t!("lab-banner-all-pass"), |id| id.to_string())
            );
        }
        let _ = writeln!(s);
        for ep in &self.endpoints {
            let desc = if ep.scenario == Scenario::SlowGreeting {
                t!(
                    "lab-scenario-slow-greeting-here",
                    ms = self.slow_delay.as_millis().to_string()
                )
            } else {
                ep.scenario.description()
            };
            let _ = writeln!(s, "  {:<20} {}", ep.scenario.name(), desc);
        }
        if let Some(ep) = self.endpoints.first() {
            let ca = self.ca_path.display();
            let user = self.users.first();
            let (name, pw) = user
                .map(|u| (u.name.as_str(), u.password.as_str()))
                .unwrap_or(("alice", "wonderland"));
            let _ = writeln!(s);
            let _ = writeln!(s, "{}", t!("lab-banner-try", scenario = ep.scenario.name()));
            let _ = writeln!(s, "  popscope check {} --ca-file {ca}", ep.plain);
            let _ = writeln!(s, "  popscope check pop3s://{} --ca-file {ca}", ep.tls);
            let _ = writeln!(
                s,
                "  curl --cacert {ca} --user {name}:{pw} pop3s://{}/",
                ep.tls
            );
            let _ = writeln!(s, "  curl -k --user {name}:{pw} pop3s://{}/1", ep.tls);
            let _ = writeln!(
                s,
                "  openssl s_client -starttls pop3 -CAfile {ca} -connect {}",
                ep.plain
            );
        }
        s
    }

    /// `CA certificate: PATH` (current language).
    fn ca_line(&self) -> String {
        t!("lab-banner-ca", path = self.ca_path.display().to_string())
    }

    /// The blind banner: ports only (what a projected screen may show).
    fn describe_blind(&self) -> String {
        use std::fmt::Write;
        let mut s = String::new();
        let _ = writeln!(
            s,
            "{}",
            text::blind_heading(self.endpoints.len(), self.listen)
        );
        let _ = writeln!(s, "{}", self.ca_line());
        if self.students > 0 {
            let _ = writeln!(s, "{}", text::students_on_roster(self.students));
        }
        let _ = writeln!(s);
        let _ = writeln!(
            s,
            "{:<24} {:<24}",
            t!("lab-banner-col-plain"),
            t!("lab-banner-col-tls")
        );
        for ep in &self.endpoints {
            let _ = writeln!(s, "{:<24} {:<24}", ep.plain.to_string(), ep.tls.to_string());
        }
        s
    }

    /// Stops every listener and connection and waits until they are gone
    /// (the ports are closed when this returns).
    pub async fn shutdown(mut self) {
        self.shutdown.send_replace(true);
        while self.tasks.join_next().await.is_some() {}
    }
}

impl Drop for Lab {
    fn drop(&mut self) {
        self.shutdown.send_replace(true);
        // Dropping `tasks` aborts the listener tasks, whose own task sets
        // abort their connections.
        self.tasks.abort_all();
        if let Some(dir) = &self.temp_dir {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// The banner's sentences that take arguments (messages in `lab.ftl`).
mod text {
    use std::net::IpAddr;

    use crate::i18n::t;

    pub(super) fn students_on_roster(n: usize) -> String {
        t!("lab-banner-students", count = n)
    }

    pub(super) fn blind_heading(ports: usize, listen: IpAddr) -> String {
        t!(
            "lab-banner-blind-heading",
            count = ports,
            listen = listen.to_string()
        )
    }
}
