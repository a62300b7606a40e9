//! The lab's POP3 server: listeners, per-connection dispatch by scenario and
//! port, and the RFC 1939 / 2449 / 2595 / 3206 / 5034 session state machine
//! with the scenario's fault injected where popscope's checks look.

use std::collections::HashMap;
use std::io;
use std::net::IpAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use hmac::{Hmac, Mac};
use md5::{Digest, Md5};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinSet;

use crate::i18n::{Lang, scoped, t};

use super::io::{Conn, Expired, LabStream, Limits, LineRead, MAX_COMMAND_LINE, MAX_SASL_LINE};
use super::mailbox::{LockError, MailStore, Maildrop, MsgError, hex};
use super::scenario::Scenario;

/// How many octets an endless multi-line response sends before giving up.
pub(crate) const ENDLESS_LIMIT: usize = 10 * 1024 * 1024;
/// Failed logins after which the server hangs up.
const MAX_AUTH_FAILURES: u32 = 5;
/// Refusals in flight per listener on top of the served connections; past
/// this a new connection is closed at once without a word.
const MAX_REFUSALS: usize = 64;
/// Upper bound of a whole refusal (TLS handshake, `-ERR`, close).
const REFUSAL_TIMEOUT: Duration = Duration::from_secs(10);
/// How long past the session limit a connection task may take to say
/// goodbye before it is cut off.
const SESSION_GRACE: Duration = Duration::from_secs(10);
/// Upper bound of a TLS handshake.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(30);
/// The host part of APOP timestamps and CRAM-MD5 challenges.
const LAB_HOST: &str = "popscope.lab";

/// How a scenario's TLS behaves.
#[derive(Clone)]
pub(crate) enum TlsMode {
    /// A real rustls server with the scenario's certificate chain.
    Rustls(tokio_rustls::TlsAcceptor),
    /// A fake TLS 1.0-only server (one reply to the ClientHello, then close).
    Legacy10,
}

/// Everything a connection of one scenario needs.
pub(crate) struct ScenarioCtx {
    pub(crate) scenario: Scenario,
    pub(crate) tls: TlsMode,
    pub(crate) store: Arc<MailStore>,
    pub(crate) slow_delay: Duration,
    pub(crate) idle: Duration,
    /// Longest time to send one complete command line.
    pub(crate) line: Duration,
    /// Longest session.
    pub(crate) session: Duration,
    /// Served connections per listener; more get `-ERR [SYS/TEMP]`.
    pub(crate) max_connections: usize,
    /// Connections per client address on each listener.
    pub(crate) max_per_address: usize,
    /// Hide the scenario's name from what clients see.
    pub(crate) blind: bool,
    /// The language of the greetings and replies.
    pub(crate) lang: Lang,
}

impl ScenarioCtx {
    /// `text()` in the lab's language (connections run on any thread).
    fn say(&self, text: impl FnOnce() -> String) -> String {
        scoped(self.lang, text)
    }

    /// The bounds of a connection that starts now.
    fn limits(&self) -> Limits {
        Limits {
            idle: self.idle,
            line: self.line,
            session_end: tokio::time::Instant::now() + self.session,
        }
    }
}

/// Counts the connections of each client address on one listener, so that
/// one machine cannot take every slot.
pub(crate) struct AddrLimit {
    max: usize,
    counts: Mutex<HashMap<IpAddr, usize>>,
}

impl AddrLimit {
    /// At most `max` connections per address.
    pub(crate) fn new(max: usize) -> AddrLimit {
        AddrLimit {
            max: max.max(1),
            counts: Mutex::new(HashMap::new()),
        }
    }

    /// A slot for `ip`, released when the guard is dropped; `None` when the
    /// address already holds `max`.
    fn acquire(self: &Arc<Self>, ip: IpAddr) -> Option<AddrGuard> {
        let ip = ip.to_canonical();
        let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        let n = counts.entry(ip).or_insert(0);
        if *n >= self.max {
            return None;
        }
        *n += 1;
        Some(AddrGuard {
            limit: Arc::clone(self),
            ip,
        })
    }
}

/// One held per-address slot.
struct AddrGuard {
    limit: Arc<AddrLimit>,
    ip: IpAddr,
}

impl Drop for AddrGuard {
    fn drop(&mut self) {
        let mut counts = self.limit.counts.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = counts.get_mut(&self.ip) {
            *n -= 1;
            if *n == 0 {
                counts.remove(&self.ip);
            }
        }
    }
}

/// Which of a scenario's two listeners accepted the connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PortKind {
    /// The plain port (POP3, upgraded with STLS).
    Plain,
    /// The implicit-TLS port.
    Tls,
}

/// Accepts connections until `shutdown` fires (or its sender is dropped),
/// then closes the listener and aborts and awaits every connection task.
pub(crate) async fn serve(
    listener: TcpListener,
    ctx: Arc<ScenarioCtx>,
    kind: PortKind,
    mut shutdown: watch::Receiver<bool>,
) {
    let mut conns = JoinSet::new();
    let per_address = Arc::new(AddrLimit::new(ctx.max_per_address));
    loop {
        if *shutdown.borrow_and_update() {
            break;
        }
        tokio::select! {
            changed = shutdown.changed() => {
                if changed.is_err() {
                    break;
                }
            }
            accepted = listener.accept() => match accepted {
                Ok((tcp, peer)) => {
                    let _ = tcp.set_nodelay(true);
                    let ctx = Arc::clone(&ctx);
                    if conns.len() >= ctx.max_connections + MAX_REFUSALS {
                        drop(tcp);
                    } else if conns.len() >= ctx.max_connections {
                        conns.spawn(refuse(ctx, kind, tcp, Refusal::Full));
                    } else if let Some(slot) = per_address.acquire(peer.ip()) {
                        conns.spawn(async move {
                            let hard_limit = ctx.session + SESSION_GRACE;
                            let _ = tokio::time::timeout(hard_limit, handle(ctx, kind, tcp)).await;
                            drop(slot);
                        });
                    } else {
                        conns.spawn(refuse(ctx, kind, tcp, Refusal::PerAddress));
                    }
                }
                // Out of file descriptors and the like: back off briefly.
                Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
            },
            Some(_) = conns.join_next(), if !conns.is_empty() => {}
        }
    }
    drop(listener);
    conns.shutdown().await;
}

/// Why a connection is turned away.
#[derive(Debug, Clone, Copy)]
enum Refusal {
    /// The listener serves as many connections as it may.
    Full,
    /// The client's address holds as many connections as it may.
    PerAddress,
}

/// Whether the port speaks TLS from the first octet for this scenario.
fn port_speaks_tls(scenario: Scenario, kind: PortKind) -> bool {
    match (scenario, kind) {
        (Scenario::PlainOnTlsPort, PortKind::Tls) => false,
        (Scenario::TlsOnPlainPort, PortKind::Plain) | (_, PortKind::Tls) => true,
        (_, PortKind::Plain) => false,
    }
}

/// Turns a connection away with `-ERR [SYS/TEMP]`, in the language of the
/// port: in plaintext on a plain port, inside TLS (after the handshake) on
/// a TLS port, never plaintext on a TLS port (the fake TLS 1.0 server just
/// closes).
async fn refuse(ctx: Arc<ScenarioCtx>, kind: PortKind, tcp: TcpStream, why: Refusal) {
    let text = match why {
        Refusal::Full => format!(
            "-ERR [SYS/TEMP] {}\r\n",
            ctx.say(|| t!("lab-pop3-too-many-connections"))
        ),
        Refusal::PerAddress => format!(
            "-ERR [SYS/TEMP] {}\r\n",
            ctx.say(|| t!(
                "lab-pop3-too-many-from-address",
                max = ctx.max_per_address.max(1)
            ))
        ),
    };
    let limits = ctx.limits();
    let work = async {
        let mut conn = if port_speaks_tls(ctx.scenario, kind) {
            match &ctx.tls {
                TlsMode::Rustls(acceptor) => {
                    let limit = ctx.idle.min(HANDSHAKE_TIMEOUT);
                    match tokio::time::timeout(limit, acceptor.accept(tcp)).await {
                        Ok(Ok(tls)) => Conn::new(LabStream::Tls(Box::new(tls)), limits),
                        _ => return,
                    }
                }
                TlsMode::Legacy10 => {
                    Conn::new(LabStream::Plain(tcp), limits).close().await;
                    return;
                }
            }
        } else {
            Conn::new(LabStream::Plain(tcp), limits)
        };
        let _ = conn.send(text.as_bytes()).await;
        conn.close().await;
    };
    let _ = tokio::time::timeout(REFUSAL_TIMEOUT, work).await;
}

/// One connection, dispatched on scenario and port.
async fn handle(ctx: Arc<ScenarioCtx>, kind: PortKind, tcp: TcpStream) {
    use Scenario::*;
    let limits = ctx.limits();
    match (ctx.scenario, kind) {
        (PlainOnTlsPort, PortKind::Tls) => {
            Session::new(ctx, Conn::new(LabStream::Plain(tcp), limits), false)
                .run()
                .await
        }
        (Tls10Only, PortKind::Tls) => legacy_tls(Conn::new(LabStream::Plain(tcp), limits)).await,
        (scenario, kind) if port_speaks_tls(scenario, kind) => {
            let Some(conn) = accept_tls(&ctx, tcp, limits).await else {
                return;
            };
            after_connect(ctx, conn, true).await
        }
        _ => after_connect(ctx, Conn::new(LabStream::Plain(tcp), limits), false).await,
    }
}

async fn after_connect(ctx: Arc<ScenarioCtx>, conn: Conn, tls: bool) {
    match ctx.scenario {
        Scenario::Silent => silent(conn).await,
        Scenario::WrongBanner => smtp(conn, ctx.blind, ctx.lang).await,
        _ => Session::new(ctx, conn, tls).run().await,
    }
}

async fn accept_tls(ctx: &ScenarioCtx, tcp: TcpStream, limits: Limits) -> Option<Conn> {
    match &ctx.tls {
        TlsMode::Rustls(acceptor) => {
            let limit = ctx.idle.min(HANDSHAKE_TIMEOUT);
            match tokio::time::timeout(limit, acceptor.accept(tcp)).await {
                Ok(Ok(tls)) => Some(Conn::new(LabStream::Tls(Box::new(tls)), limits)),
                _ => None,
            }
        }
        TlsMode::Legacy10 => {
            legacy_tls(Conn::new(LabStream::Plain(tcp), limits)).await;
            None
        }
    }
}

/// The TLS 1.0-only fake: reads one TLS record (the ClientHello), answers it
/// as a TLS 1.0-only server would
/// ([`super::legacy_tls::fake_legacy_server_reply`]: a TLS 1.0
/// ServerHello to legacy hellos, a `protocol_version` alert to modern ones),
/// and closes.
async fn legacy_tls(mut conn: Conn) {
    use super::legacy_tls::{MAX_CLIENT_HELLO, fake_legacy_server_reply};
    if let Ok(header) = conn.read_exact(5).await {
        let len = usize::from(u16::from_be_bytes([header[3], header[4]]));
        if header[0] == 0x16
            && 5 + len <= MAX_CLIENT_HELLO
            && let Ok(body) = conn.read_exact(len).await
        {
            let mut record = header;
            record.extend_from_slice(&body);
            let reply = fake_legacy_server_reply(&record);
            let _ = conn.send(&reply).await;
        }
    }
    conn.close().await;
}

/// Accepts and never speaks; reads (and forgets) input until the client
/// leaves or the idle timeout.
async fn silent(mut conn: Conn) {
    while let Ok(LineRead::Line(_) | LineRead::TooLong) = conn.read_line(MAX_SASL_LINE).await {
        conn.inbuf.clear();
    }
    conn.close().await;
}

/// Talks SMTP instead of POP3.
async fn smtp(mut conn: Conn, blind: bool, lang: Lang) {
    let banner = if blind {
        "220 localhost ESMTP popscope-lab\r\n".to_string()
    } else {
        let why = scoped(lang, || t!("lab-smtp-banner-scenario"));
        format!("220 localhost ESMTP popscope-lab {why}\r\n")
    };
    let unknown = scoped(lang, || {
        format!("502 5.5.2 {}\r\n", t!("lab-smtp-unknown-command"))
    });
    let too_long = scoped(lang, || {
        format!("500 5.5.0 {}\r\n", t!("lab-smtp-line-too-long"))
    });
    if conn.send(banner.as_bytes()).await.is_err() {
        return;
    }
    loop {
        let reply: &[u8] = match conn.read_line(MAX_SASL_LINE).await {
            Ok(LineRead::Line(l)) => {
                let upper = String::from_utf8_lossy(&l).to_ascii_uppercase();
                let verb = upper
                    .split_whitespace()
                    .next()
                    .unwrap_or_default()
                    .to_string();
                match verb.as_str() {
                    "QUIT" => {
                        let _ = conn.send(b"221 2.0.0 Bye\r\n").await;
                        break;
                    }
                    "HELO" | "EHLO" => b"250 localhost\r\n",
                    "NOOP" | "RSET" => b"250 2.0.0 Ok\r\n",
                    _ => unknown.as_bytes(),
                }
            }
            Ok(LineRead::TooLong) => too_long.as_bytes(),
            _ => break,
        };
        if conn.send(reply).await.is_err() {
            return;
        }
    }
    conn.close().await;
}

static UNIQUE: AtomicU64 = AtomicU64::new(1);

/// `<pid.counter.seconds@popscope.lab>`, unique per call (APOP timestamp,
/// CRAM-MD5 challenge).
fn unique_token() -> String {
    let n = UNIQUE.fetch_add(1, Ordering::Relaxed);
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    format!("<{}.{n}.{secs}@{LAB_HOST}>", std::process::id())
}

/// The `+OK` greeting with its APOP timestamp, in the lab's language (the
/// scenario named unless the lab is blind).
fn greeting(ctx: &ScenarioCtx, timestamp: &str) -> String {
    let text = if ctx.blind {
        ctx.say(|| t!("lab-pop3-greeting"))
    } else {
        ctx.say(|| t!("lab-pop3-greeting-scenario", scenario = ctx.scenario.name()))
    };
    format!("+OK {text} {timestamp}\r\n")
}

/// What to do after a command.
enum Flow {
    Continue,
    /// Close politely (QUIT, too many failures).
    Close,
    /// Close without ceremony (injected faults).
    Abort,
    /// The transport is already gone (failed upgrade, I/O error).
    Gone,
}

enum State {
    Authorization { user: Option<String> },
    Transaction(Maildrop),
}

struct Session {
    ctx: Arc<ScenarioCtx>,
    conn: Conn,
    tls: bool,
    state: State,
    timestamp: String,
    failures: u32,
}

type R = io::Result<Flow>;

impl Session {
    fn new(ctx: Arc<ScenarioCtx>, conn: Conn, tls: bool) -> Session {
        Session {
            ctx,
            conn,
            tls,
            state: State::Authorization { user: None },
            timestamp: unique_token(),
            failures: 0,
        }
    }

    fn scenario(&self) -> Scenario {
        self.ctx.scenario
    }

    /// `text()` in the lab's language.
    fn say(&self, text: impl FnOnce() -> String) -> String {
        self.ctx.say(text)
    }

    async fn run(mut self) {
        if self.scenario() == Scenario::SlowGreeting {
            tokio::time::sleep(self.ctx.slow_delay).await;
        }
        let greeting = greeting(&self.ctx, &self.timestamp);
        if self.conn.send(greeting.as_bytes()).await.is_err() {
            return;
        }
        loop {
            let flow = match self.conn.read_line(MAX_COMMAND_LINE).await {
                Ok(LineRead::Line(line)) => self.dispatch(&line).await,
                Ok(LineRead::TooLong) => {
                    self.err(self.say(|| t!("lab-pop3-command-too-long"))).await
                }
                // A dropped connection applies nothing: the maildrop (if
                // any) is dropped with `self`, releasing the lock.
                Ok(LineRead::Eof) => return,
                Err(e) if e.kind() == io::ErrorKind::TimedOut => {
                    let why = self.conn.expired.unwrap_or(Expired::Idle);
                    let farewell = self.say(|| why.farewell());
                    let _ = self.conn.send(farewell.as_bytes()).await;
                    Ok(Flow::Close)
                }
                Err(e) if e.kind() == io::ErrorKind::InvalidData => {
                    let bye = self.say(|| t!("lab-pop3-line-too-long-closing"));
                    let _ = self.conn.send(format!("-ERR {bye}\r\n").as_bytes()).await;
                    Ok(Flow::Close)
                }
                Err(_) => return,
            };
            match flow {
                Ok(Flow::Continue) => {}
                Ok(Flow::Close) => {
                    self.conn.close().await;
                    return;
                }
                Ok(Flow::Abort) => {
                    self.conn.close_abruptly().await;
                    return;
                }
                Ok(Flow::Gone) | Err(_) => return,
            }
        }
    }

    async fn reply(&mut self, line: String) -> R {
        self.conn.send(line.as_bytes()).await?;
        Ok(Flow::Continue)
    }

    async fn ok(&mut self, text: impl AsRef<str>) -> R {
        self.reply(format!("+OK {}\r\n", text.as_ref())).await
    }

    /// `[CODE] text`: an RFC 3206 response code (kept as is) and `text()`
    /// in the lab's language.
    fn coded(&self, code: &str, text: impl FnOnce() -> String) -> String {
        format!("[{code}] {}", self.say(text))
    }

    async fn err(&mut self, text: impl AsRef<str>) -> R {
        self.reply(format!("-ERR {}\r\n", text.as_ref())).await
    }

    /// Sends `+OK first`, the (already dot-stuffed) body and the terminating
    /// dot, unless the scenario breaks multi-line responses.
    async fn multiline(&mut self, first: &str, body: &[u8]) -> R {
        let mut out = format!("+OK {first}\r\n").into_bytes();
        match self.scenario() {
            Scenario::CloseMidResponse => {
                let mut cut = (body.len() / 2).max(1).min(body.len());
                if cut > 1 && body[cut - 1] == b'\n' {
                    cut -= 1;
                }
                out.extend_from_slice(&body[..cut]);
                self.conn.send(&out).await?;
                Ok(Flow::Abort)
            }
            Scenario::EndlessMultiline => {
                self.conn.send(&out).await?;
                let mut sent = out.len();
                let mut n = 0u64;
                let never = self.say(|| t!("lab-pop3-endless"));
                while sent < ENDLESS_LIMIT {
                    let mut chunk = String::with_capacity(8192);
                    for _ in 0..128 {
                        n += 1;
                        chunk.push_str(&format!("X-ENDLESS-{n:08} {never}\r\n"));
                    }
                    self.conn.send(chunk.as_bytes()).await?;
                    sent += chunk.len();
                }
                Ok(Flow::Abort)
            }
            _ => {
                out.extend_from_slice(body);
                out.extend_from_slice(b".\r\n");
                self.conn.send(&out).await?;
                Ok(Flow::Continue)
            }
        }
    }

    /// Whether logins are currently allowed (TLS active or the cleartext
    /// fault).
    fn login_allowed(&self) -> bool {
        self.tls || self.scenario().cleartext_login()
    }

    fn stls_available(&self) -> bool {
        !self.tls && self.scenario().offers_stls()
    }

    fn capabilities(&self) -> Vec<String> {
        let mut caps: Vec<String> = ["TOP", "UIDL", "RESP-CODES", "AUTH-RESP-CODE", "PIPELINING"]
            .map(String::from)
            .to_vec();
        if matches!(self.state, State::Authorization { .. }) {
            if self.login_allowed() {
                caps.push("USER".into());
                caps.push("SASL PLAIN LOGIN CRAM-MD5".into());
            }
            if self.stls_available() {
                caps.push("STLS".into());
            }
        }
        if self.scenario() == Scenario::LoginDelay {
            caps.push("LOGIN-DELAY 900".into());
        }
        caps.push("IMPLEMENTATION popscope-lab".into());
        caps
    }

    fn refuse_cleartext(&self) -> String {
        let why = if self.scenario().offers_stls() {
            self.say(|| t!("lab-pop3-cleartext-use-stls"))
        } else {
            self.say(|| t!("lab-pop3-cleartext-use-tls-port"))
        };
        format!("[AUTH] {why}")
    }

    async fn dispatch(&mut self, line: &[u8]) -> R {
        let text = String::from_utf8_lossy(line).into_owned();
        let (verb, rest) = match text.split_once(' ') {
            Some((v, r)) => (v.to_ascii_uppercase(), r.to_string()),
            None => (text.to_ascii_uppercase(), String::new()),
        };
        let args: Vec<&str> = rest.split_whitespace().collect();
        match verb.as_str() {
            "" => return self.err(self.say(|| t!("lab-pop3-empty-command"))).await,
            "CAPA" => {
                let mut body = Vec::new();
                for c in self.capabilities() {
                    body.extend_from_slice(c.as_bytes());
                    body.extend_from_slice(b"\r\n");
                }
                let first = self.say(|| t!("lab-pop3-capa-follows"));
                return self.multiline(&first, &body).await;
            }
            "QUIT" => return self.quit().await,
            _ => {}
        }
        if matches!(self.state, State::Authorization { .. }) {
            match verb.as_str() {
                "STLS" => self.stls().await,
                "USER" => self.user(&args).await,
                "PASS" => self.pass(&rest).await,
                "APOP" => self.apop(&args).await,
                "AUTH" => self.auth(&args).await,
                "STAT" | "LIST" | "RETR" | "DELE" | "NOOP" | "RSET" | "TOP" | "UIDL" => {
                    self.err(self.say(|| t!("lab-pop3-authorization-only")))
                        .await
                }
                _ => self.err(self.say(|| t!("lab-pop3-unknown-command"))).await,
            }
        } else {
            self.transaction(&verb, &args).await
        }
    }

    async fn quit(&mut self) -> R {
        let state = std::mem::replace(&mut self.state, State::Authorization { user: None });
        let text = match state {
            // The UPDATE state: deletions are applied only here.
            State::Transaction(md) => {
                let left = md.commit();
                self.say(|| t!("lab-pop3-signing-off-left", left = left))
            }
            State::Authorization { .. } => self.say(|| t!("lab-pop3-signing-off")),
        };
        self.ok(text).await?;
        Ok(Flow::Close)
    }

    async fn stls(&mut self) -> R {
        if self.tls {
            return self.err(self.say(|| t!("lab-pop3-tls-active"))).await;
        }
        if !self.scenario().offers_stls() {
            return self.err(self.say(|| t!("lab-pop3-no-stls"))).await;
        }
        self.ok(self.say(|| t!("lab-pop3-begin-tls"))).await?;
        if self.scenario() != Scenario::StlsInjection {
            // RFC 2595 / RFC 3207 §4.2: whatever the client pipelined after
            // STLS in plaintext must not be executed after the upgrade.
            self.conn.inbuf.clear();
        }
        let LabStream::Plain(tcp) = std::mem::replace(&mut self.conn.stream, LabStream::Closed)
        else {
            return Ok(Flow::Gone);
        };
        match self.ctx.tls.clone() {
            TlsMode::Rustls(acceptor) => {
                let limit = self.ctx.idle.min(HANDSHAKE_TIMEOUT);
                match tokio::time::timeout(limit, acceptor.accept(tcp)).await {
                    Ok(Ok(tls)) => {
                        self.conn.stream = LabStream::Tls(Box::new(tls));
                        self.tls = true;
                        // Forget anything learnt before TLS (RFC 2595 §4).
                        self.state = State::Authorization { user: None };
                        Ok(Flow::Continue)
                    }
                    _ => Ok(Flow::Gone),
                }
            }
            TlsMode::Legacy10 => {
                let mut conn = Conn::new(LabStream::Plain(tcp), self.conn.limits);
                conn.inbuf = std::mem::take(&mut self.conn.inbuf);
                legacy_tls(conn).await;
                Ok(Flow::Gone)
            }
        }
    }

    async fn user(&mut self, args: &[&str]) -> R {
        if !self.login_allowed() {
            let msg = self.refuse_cleartext();
            return self.err(msg).await;
        }
        let [name] = args else {
            return self.err(self.say(|| t!("lab-pop3-usage-user"))).await;
        };
        let name = name.to_string();
        self.state = State::Authorization {
            user: Some(name.clone()),
        };
        let text = self.say(|| t!("lab-pop3-user-accepted", name = &name));
        self.ok(text).await
    }

    async fn pass(&mut self, password: &str) -> R {
        if !self.login_allowed() {
            let msg = self.refuse_cleartext();
            return self.err(msg).await;
        }
        let State::Authorization { user: Some(user) } = &self.state else {
            return self.err(self.say(|| t!("lab-pop3-user-first"))).await;
        };
        let user = user.clone();
        let good = self.ctx.store.password(&user).as_deref() == Some(password);
        self.login(&user, good).await
    }

    async fn apop(&mut self, args: &[&str]) -> R {
        if !self.login_allowed() {
            let msg = self.refuse_cleartext();
            return self.err(msg).await;
        }
        let [user, digest] = args else {
            return self.err(self.say(|| t!("lab-pop3-usage-apop"))).await;
        };
        let good = self.ctx.store.password(user).is_some_and(|pw| {
            let expected = hex(&Md5::digest(format!("{}{pw}", self.timestamp)));
            expected.eq_ignore_ascii_case(digest)
        });
        let user = user.to_string();
        self.login(&user, good).await
    }

    /// Finishes a login attempt: the scenario's refusals, then the lock.
    async fn login(&mut self, user: &str, credentials_ok: bool) -> R {
        self.state = State::Authorization { user: None };
        if self.scenario() == Scenario::AuthRejected || !credentials_ok {
            self.failures += 1;
            if self.failures >= MAX_AUTH_FAILURES {
                self.err(self.coded("AUTH", || t!("lab-pop3-invalid-credentials-closing")))
                    .await?;
                return Ok(Flow::Close);
            }
            return self
                .err(self.coded("AUTH", || t!("lab-pop3-invalid-credentials")))
                .await;
        }
        match self.scenario() {
            Scenario::InUse => {
                return self
                    .err(self.coded("IN-USE", || t!("lab-pop3-maildrop-locked")))
                    .await;
            }
            Scenario::LoginDelay => {
                return self
                    .err(self.coded("LOGIN-DELAY", || t!("lab-pop3-login-delay")))
                    .await;
            }
            _ => {}
        }
        match self.ctx.store.open(user) {
            Ok(md) => {
                let (n, size) = md.stat();
                let text = self.say(|| {
                    t!(
                        "lab-pop3-logged-in",
                        user = md.user(),
                        count = n,
                        size = size
                    )
                });
                self.state = State::Transaction(md);
                self.ok(text).await
            }
            Err(LockError::InUse) => {
                self.err(self.coded("IN-USE", || t!("lab-pop3-maildrop-locked")))
                    .await
            }
            Err(LockError::NoUser) => {
                self.err(self.coded("AUTH", || t!("lab-pop3-invalid-credentials")))
                    .await
            }
        }
    }

    /// Reads one SASL client response; `None` when the client cancelled
    /// (`*`) or sent garbage (already answered).
    async fn sasl_read(&mut self, challenge: &str) -> io::Result<Option<Vec<u8>>> {
        self.conn
            .send(format!("+ {challenge}\r\n").as_bytes())
            .await?;
        match self.conn.read_line(MAX_SASL_LINE).await? {
            LineRead::Line(l) => self.sasl_decode(&l).await,
            LineRead::TooLong => {
                self.err(self.coded("AUTH", || t!("lab-pop3-sasl-too-long")))
                    .await?;
                Ok(None)
            }
            LineRead::Eof => Err(io::ErrorKind::UnexpectedEof.into()),
        }
    }

    async fn sasl_decode(&mut self, b64: &[u8]) -> io::Result<Option<Vec<u8>>> {
        let b64 = b64.trim_ascii();
        if b64 == b"*" {
            self.err(self.say(|| t!("lab-pop3-sasl-cancelled"))).await?;
            return Ok(None);
        }
        if b64 == b"=" {
            return Ok(Some(Vec::new()));
        }
        match B64.decode(b64) {
            Ok(v) => Ok(Some(v)),
            Err(_) => {
                self.err(self.say(|| t!("lab-pop3-sasl-bad-base64")))
                    .await?;
                Ok(None)
            }
        }
    }

    async fn auth(&mut self, args: &[&str]) -> R {
        if !self.login_allowed() {
            let msg = self.refuse_cleartext();
            return self.err(msg).await;
        }
        let Some(mech) = args.first() else {
            let first = self.say(|| t!("lab-pop3-sasl-mechanisms"));
            return self
                .multiline(&first, b"PLAIN\r\nLOGIN\r\nCRAM-MD5\r\n")
                .await;
        };
        let initial = args.get(1).map(|s| s.as_bytes().to_vec());
        if args.len() > 2 {
            return self.err(self.say(|| t!("lab-pop3-usage-auth"))).await;
        }
        match mech.to_ascii_uppercase().as_str() {
            "PLAIN" => {
                let response = match initial {
                    Some(ir) => self.sasl_decode(&ir).await?,
                    None => self.sasl_read("").await?,
                };
                let Some(response) = response else {
                    return Ok(Flow::Continue);
                };
                let mut parts = response.split(|&b| b == 0);
                let (Some(authz), Some(authc), Some(pw), None) =
                    (parts.next(), parts.next(), parts.next(), parts.next())
                else {
                    return self
                        .err(self.coded("AUTH", || t!("lab-pop3-malformed-plain")))
                        .await;
                };
                let user = String::from_utf8_lossy(authc).into_owned();
                let good = (authz.is_empty() || authz == authc)
                    && self.ctx.store.password(&user).as_deref().map(str::as_bytes) == Some(pw);
                self.login(&user, good).await
            }
            "LOGIN" => {
                let user = match initial {
                    Some(ir) => self.sasl_decode(&ir).await?,
                    None => self.sasl_read(&B64.encode("Username:")).await?,
                };
                let Some(user) = user else {
                    return Ok(Flow::Continue);
                };
                let Some(pw) = self.sasl_read(&B64.encode("Password:")).await? else {
                    return Ok(Flow::Continue);
                };
                let user = String::from_utf8_lossy(&user).into_owned();
                let good = self.ctx.store.password(&user).as_deref().map(str::as_bytes)
                    == Some(pw.as_slice());
                self.login(&user, good).await
            }
            "CRAM-MD5" => {
                if initial.is_some() {
                    return self.err(self.say(|| t!("lab-pop3-cram-no-initial"))).await;
                }
                let challenge = unique_token();
                let Some(response) = self.sasl_read(&B64.encode(&challenge)).await? else {
                    return Ok(Flow::Continue);
                };
                let response = String::from_utf8_lossy(&response).into_owned();
                let Some((user, digest)) = response.rsplit_once(' ') else {
                    return self
                        .err(self.coded("AUTH", || t!("lab-pop3-malformed-cram")))
                        .await;
                };
                let good = self.ctx.store.password(user).is_some_and(|pw| {
                    cram_md5_digest(&pw, &challenge).eq_ignore_ascii_case(digest)
                });
                let user = user.to_string();
                self.login(&user, good).await
            }
            _ => {
                self.err(self.say(|| t!("lab-pop3-unknown-mechanism")))
                    .await
            }
        }
    }

    async fn transaction(&mut self, verb: &str, args: &[&str]) -> R {
        let State::Transaction(md) = &mut self.state else {
            return self.err(self.say(|| t!("lab-pop3-not-logged-in"))).await;
        };
        let lang = self.ctx.lang;
        let number = |i: usize| -> Result<Option<usize>, String> {
            match args.get(i) {
                None => Ok(None),
                Some(a) => a
                    .parse::<usize>()
                    .map(Some)
                    .map_err(|_| scoped(lang, || t!("lab-pop3-bad-number"))),
            }
        };
        let msg_err = |e: MsgError, n: usize| {
            scoped(lang, || match e {
                MsgError::NoSuch => t!("lab-pop3-no-such-message", number = n),
                MsgError::Deleted => t!("lab-pop3-already-deleted", number = n),
            })
        };
        match verb {
            "STAT" => {
                let (n, size) = md.stat();
                self.ok(format!("{n} {size}")).await
            }
            "NOOP" => self.reply("+OK\r\n".to_string()).await,
            "RSET" => {
                md.reset();
                let (n, size) = md.stat();
                let text = scoped(lang, || t!("lab-pop3-maildrop-has", count = n, size = size));
                self.ok(text).await
            }
            "LIST" | "UIDL" => {
                let uidl = verb == "UIDL";
                let show = |n: usize, m: &super::mailbox::Message| {
                    if uidl {
                        format!("{n} {}", m.uid)
                    } else {
                        format!("{n} {}", m.size())
                    }
                };
                match number(0) {
                    Err(e) => self.err(e).await,
                    Ok(Some(n)) => match md.get(n) {
                        Ok(m) => {
                            let line = show(n, m);
                            self.ok(line).await
                        }
                        Err(e) => self.err(msg_err(e, n)).await,
                    },
                    Ok(None) => {
                        let mut body = Vec::new();
                        for (n, m) in md.live() {
                            body.extend_from_slice(show(n, m).as_bytes());
                            body.extend_from_slice(b"\r\n");
                        }
                        let (n, size) = md.stat();
                        let first = if uidl {
                            scoped(lang, || t!("lab-pop3-uidl-follows"))
                        } else {
                            scoped(lang, || t!("lab-pop3-list-follows", count = n, size = size))
                        };
                        self.multiline(&first, &body).await
                    }
                }
            }
            "RETR" | "TOP" => {
                let n = match number(0) {
                    Ok(Some(n)) => n,
                    Ok(None) => {
                        let text = scoped(lang, || t!("lab-pop3-usage-msg", command = verb));
                        return self.err(text).await;
                    }
                    Err(e) => return self.err(e).await,
                };
                let lines = if verb == "TOP" {
                    match number(1) {
                        Ok(Some(l)) => Some(l),
                        Ok(None) => return self.err(self.say(|| t!("lab-pop3-usage-top"))).await,
                        Err(_) => {
                            return self.err(self.say(|| t!("lab-pop3-bad-line-count"))).await;
                        }
                    }
                } else {
                    None
                };
                let m = match md.get(n) {
                    Ok(m) => m.clone(),
                    Err(e) => return self.err(msg_err(e, n)).await,
                };
                let data: &[u8] = match lines {
                    Some(l) => top_part(&m.data, l),
                    None => &m.data,
                };
                let body = dot_stuff(data);
                let first = if verb == "TOP" {
                    scoped(lang, || t!("lab-pop3-top-follows"))
                } else {
                    scoped(lang, || t!("lab-pop3-retr-follows", size = m.size()))
                };
                self.multiline(&first, &body).await
            }
            "DELE" => match number(0) {
                Ok(Some(n)) => match md.delete(n) {
                    Ok(()) => {
                        let text = scoped(lang, || t!("lab-pop3-deleted", number = n));
                        self.ok(text).await
                    }
                    Err(e) => self.err(msg_err(e, n)).await,
                },
                Ok(None) => self.err(self.say(|| t!("lab-pop3-usage-dele"))).await,
                Err(e) => self.err(e).await,
            },
            "USER" | "PASS" | "APOP" | "AUTH" | "STLS" => {
                self.err(self.say(|| t!("lab-pop3-transaction-only"))).await
            }
            _ => self.err(self.say(|| t!("lab-pop3-unknown-command"))).await,
        }
    }
}

/// The CRAM-MD5 response digest (RFC 2195): hex HMAC-MD5 keyed by the secret.
pub(crate) fn cram_md5_digest(secret: &str, challenge: &str) -> String {
    let mut mac =
        <Hmac<Md5> as Mac>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    mac.update(challenge.as_bytes());
    hex(&mac.finalize().into_bytes())
}

/// Dot-stuffs CRLF text for a multi-line response (RFC 1939 §3): a line
/// starting with `.` gets another `.`; a missing final CRLF is added.
pub(crate) fn dot_stuff(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + 64);
    let mut line_start = true;
    for &b in data {
        if line_start && b == b'.' {
            out.push(b'.');
        }
        out.push(b);
        line_start = b == b'\n';
    }
    if !data.is_empty() && !data.ends_with(b"\r\n") {
        out.extend_from_slice(b"\r\n");
    }
    out
}

/// The headers, the blank line and the first `lines` body lines (TOP).
pub(crate) fn top_part(data: &[u8], lines: usize) -> &[u8] {
    let header_end = if data.starts_with(b"\r\n") {
        2
    } else {
        match data.windows(4).position(|w| w == b"\r\n\r\n") {
            Some(i) => i + 4,
            None => return data,
        }
    };
    let mut end = header_end;
    for _ in 0..lines {
        if end >= data.len() {
            break;
        }
        end = match data[end..].windows(2).position(|w| w == b"\r\n") {
            Some(i) => end + i + 2,
            None => data.len(),
        };
    }
    &data[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stuffing() {
        assert_eq!(dot_stuff(b".a\r\nb\r\n.\r\n"), b"..a\r\nb\r\n..\r\n");
        assert_eq!(dot_stuff(b"x"), b"x\r\n");
        assert_eq!(dot_stuff(b""), b"");
    }

    #[test]
    fn top_parts() {
        let m = b"A: 1\r\nB: 2\r\n\r\nl1\r\nl2\r\nl3\r\n";
        assert_eq!(top_part(m, 0), b"A: 1\r\nB: 2\r\n\r\n");
        assert_eq!(top_part(m, 2), b"A: 1\r\nB: 2\r\n\r\nl1\r\nl2\r\n");
        assert_eq!(top_part(m, 99), m);
        assert_eq!(top_part(b"A: 1\r\n", 3), b"A: 1\r\n");
        assert_eq!(top_part(b"\r\nbody\r\nmore\r\n", 1), b"\r\nbody\r\n");
    }

    #[test]
    fn cram_md5_rfc2195_example() {
        let challenge = "<1896.697170952@postoffice.reston.mci.net>";
        assert_eq!(
            cram_md5_digest("tanstaaftanstaaf", challenge),
            "b913a602c7eda7a495b4e6e7334d3890"
        );
    }

    #[test]
    fn tokens_are_unique_and_well_formed() {
        let a = unique_token();
        let b = unique_token();
        assert_ne!(a, b);
        assert!(a.starts_with('<') && a.ends_with("@popscope.lab>"));
    }
}
