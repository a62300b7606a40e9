//! Tests of the lab server driven by a raw TCP/TLS client on loopback: the
//! POP3 state machine, maildrop semantics, SASL, STLS, and every scenario's
//! fault as a client sees it.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use md5::{Digest, Md5};
use rustls::pki_types::ServerName;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;

use super::mailbox::hex;
use super::server::cram_md5_digest;
use super::*;

const T: Duration = Duration::from_secs(10);

/// A minimal POP3 client: line reader over a buffer, multi-line reader with
/// dot-unstuffing.
struct Client<S> {
    s: S,
    buf: Vec<u8>,
}

type Tls = TlsStream<TcpStream>;

impl<S: AsyncRead + AsyncWrite + Unpin> Client<S> {
    fn new(s: S) -> Self {
        Client { s, buf: Vec::new() }
    }

    /// Reads more; false at EOF (or reset).
    async fn fill(&mut self) -> bool {
        let mut chunk = [0u8; 8192];
        match tokio::time::timeout(T, self.s.read(&mut chunk)).await {
            Ok(Ok(n)) if n > 0 => {
                self.buf.extend_from_slice(&chunk[..n]);
                true
            }
            Ok(_) => false,
            Err(_) => panic!("test client timed out waiting for the server"),
        }
    }

    /// One line without CRLF; `None` at EOF.
    async fn try_line(&mut self) -> Option<String> {
        loop {
            if let Some(pos) = self.buf.windows(2).position(|w| w == b"\r\n") {
                let line: Vec<u8> = self.buf.drain(..pos + 2).collect();
                return Some(String::from_utf8_lossy(&line[..pos]).into_owned());
            }
            if !self.fill().await {
                return None;
            }
        }
    }

    async fn line(&mut self) -> String {
        self.try_line().await.expect("server closed the connection")
    }

    async fn send(&mut self, text: &str) {
        self.s.write_all(text.as_bytes()).await.unwrap();
        self.s.flush().await.unwrap();
    }

    async fn cmd(&mut self, c: &str) -> String {
        self.send(&format!("{c}\r\n")).await;
        self.line().await
    }

    /// The body of a multi-line response (after its `+OK` line), unstuffed.
    async fn body(&mut self) -> Vec<String> {
        let mut out = Vec::new();
        loop {
            let l = self.line().await;
            if l == "." {
                return out;
            }
            out.push(l.strip_prefix('.').map(str::to_string).unwrap_or(l));
        }
    }

    /// `cmd`, asserting `+OK`, then the multi-line body.
    async fn multi(&mut self, c: &str) -> Vec<String> {
        let first = self.cmd(c).await;
        assert!(first.starts_with("+OK"), "{c}: {first}");
        self.body().await
    }

    /// Whether nothing arrives within `d` (and the connection stays open).
    async fn quiet_for(&mut self, d: Duration) -> bool {
        let mut b = [0u8; 64];
        tokio::time::timeout(d, self.s.read(&mut b)).await.is_err()
    }

    /// Reads until EOF, returning everything received.
    async fn rest(&mut self) -> Vec<u8> {
        while self.fill().await {}
        std::mem::take(&mut self.buf)
    }
}

async fn start(scenarios: &[Scenario]) -> Lab {
    Lab::start(LabConfig {
        scenarios: scenarios.to_vec(),
        slow_delay: Duration::from_millis(400),
        idle_timeout: Duration::from_secs(20),
        ..Default::default()
    })
    .await
    .expect("lab starts")
}

async fn tcp(addr: SocketAddr) -> TcpStream {
    tokio::time::timeout(T, TcpStream::connect(addr))
        .await
        .unwrap()
        .unwrap()
}

async fn plain(addr: SocketAddr) -> Client<TcpStream> {
    Client::new(tcp(addr).await)
}

async fn tls_handshake(lab: &Lab, tcp: TcpStream, name: &str) -> std::io::Result<Tls> {
    let connector = TlsConnector::from(lab.client_config().unwrap());
    let name = ServerName::try_from(name.to_string()).unwrap();
    tokio::time::timeout(T, connector.connect(name, tcp))
        .await
        .expect("handshake timed out")
}

/// Implicit TLS, greeting consumed.
async fn tls(lab: &Lab, addr: SocketAddr) -> Client<Tls> {
    let s = tls_handshake(lab, tcp(addr).await, "localhost")
        .await
        .unwrap();
    let mut c = Client::new(s);
    assert!(c.line().await.starts_with("+OK"));
    c
}

/// Plain connection upgraded with STLS (greeting consumed before).
async fn stls(lab: &Lab, mut c: Client<TcpStream>) -> Client<Tls> {
    assert!(c.cmd("STLS").await.starts_with("+OK"));
    assert!(c.buf.is_empty());
    let s = tls_handshake(lab, c.s, "localhost").await.unwrap();
    Client::new(s)
}

async fn login_tls(lab: &Lab, scenario: Scenario) -> Client<Tls> {
    let mut c = tls(lab, lab.endpoint(scenario).unwrap().tls).await;
    assert!(c.cmd("USER alice").await.starts_with("+OK"));
    let r = c.cmd("PASS wonderland").await;
    assert!(r.starts_with("+OK"), "{r}");
    c
}

fn tls_error(e: std::io::Error) -> rustls::Error {
    *e.into_inner()
        .expect("inner error")
        .downcast::<rustls::Error>()
        .expect("a rustls error")
}

async fn wait_unlocked(lab: &Lab, user: &str) {
    let deadline = Instant::now() + T;
    while lab.is_locked(user) {
        assert!(Instant::now() < deadline, "lock never released");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test]
async fn healthy_refuses_login_before_tls_and_allows_it_after_stls() {
    let lab = start(&[Scenario::Healthy]).await;
    let ep = *lab.endpoint(Scenario::Healthy).unwrap();
    let mut c = plain(ep.plain).await;
    let greeting = c.line().await;
    assert!(greeting.starts_with("+OK "), "{greeting}");
    assert!(greeting.ends_with("@popscope.lab>"), "{greeting}");
    let caps = c.multi("CAPA").await;
    assert!(caps.contains(&"STLS".to_string()), "{caps:?}");
    assert!(caps.contains(&"IMPLEMENTATION popscope-lab".to_string()));
    assert!(caps.contains(&"RESP-CODES".to_string()));
    assert!(
        !caps.iter().any(|c| c == "USER" || c.starts_with("SASL")),
        "{caps:?}"
    );
    for cmd in ["USER alice", "AUTH PLAIN", "APOP alice 0123"] {
        let r = c.cmd(cmd).await;
        assert!(
            r.starts_with("-ERR [AUTH]") && r.contains("use STLS first"),
            "{r}"
        );
    }
    assert!(c.cmd("STAT").await.starts_with("-ERR"));

    let mut c = stls(&lab, c).await;
    let caps = c.multi("CAPA").await;
    assert!(caps.contains(&"USER".to_string()), "{caps:?}");
    assert!(caps.contains(&"SASL PLAIN LOGIN CRAM-MD5".to_string()));
    assert!(!caps.contains(&"STLS".to_string()), "{caps:?}");
    assert!(c.cmd("STLS").await.starts_with("-ERR"));
    assert!(c.cmd("USER alice").await.starts_with("+OK"));
    let r = c.cmd("PASS wonderland").await;
    assert!(r.starts_with("+OK") && r.contains("4 messages"), "{r}");
    let caps = c.multi("CAPA").await;
    assert!(caps.contains(&"TOP".to_string()) && !caps.contains(&"USER".to_string()));
    assert!(c.cmd("QUIT").await.starts_with("+OK"));
    assert_eq!(c.try_line().await, None);
}

#[tokio::test]
async fn transaction_commands_and_dot_stuffing() {
    let lab = start(&[Scenario::Healthy]).await;
    let mut c = login_tls(&lab, Scenario::Healthy).await;
    let uidls = lab.mailbox_uidls("alice").unwrap();
    let stat = c.cmd("STAT").await;
    let parts: Vec<&str> = stat.split(' ').collect();
    assert_eq!(parts[0], "+OK");
    assert_eq!(parts[1], "4");
    let list = c.multi("LIST").await;
    assert_eq!(list.len(), 4);
    let total: usize = list
        .iter()
        .map(|l| l.split(' ').nth(1).unwrap().parse::<usize>().unwrap())
        .sum();
    assert_eq!(parts[2].parse::<usize>().unwrap(), total);
    let uidl = c.multi("UIDL").await;
    let got: Vec<String> = uidl
        .iter()
        .map(|l| l.split(' ').nth(1).unwrap().to_string())
        .collect();
    assert_eq!(got, uidls);
    assert_eq!(c.cmd("UIDL 2").await, format!("+OK 2 {}", uidls[1]));
    assert_eq!(c.cmd("LIST 3").await, format!("+OK {}", list[2]));
    assert!(c.cmd("LIST 9").await.starts_with("-ERR"));
    assert!(c.cmd("RETR x").await.starts_with("-ERR"));

    // message 2 has lines starting with dots: check the raw wire form
    c.send("RETR 2\r\n").await;
    let first = c.line().await;
    let size: usize = list[1].split(' ').nth(1).unwrap().parse().unwrap();
    assert_eq!(first, format!("+OK {size} octets"));
    let mut raw = Vec::new();
    loop {
        let l = c.line().await;
        if l == "." {
            break;
        }
        raw.push(l);
    }
    assert!(raw.contains(&"..hidden".to_string()), "{raw:?}");
    assert!(raw.contains(&"...two dots".to_string()));
    assert!(raw.contains(&"..".to_string()));
    let unstuffed: Vec<String> = raw
        .iter()
        .map(|l| l.strip_prefix('.').unwrap_or(l).to_string())
        .collect();
    let octets: usize = unstuffed.iter().map(|l| l.len() + 2).sum();
    assert_eq!(octets, size, "unstuffed RETR matches LIST size");

    let top = c.multi("TOP 2 0").await;
    assert_eq!(top.last().map(String::as_str), Some(""), "{top:?}");
    assert!(
        top.iter()
            .any(|l| l.starts_with("Subject: Lines that start"))
    );
    assert!(!top.iter().any(|l| l.contains("hidden")));
    let top1 = c.multi("TOP 2 1").await;
    assert_eq!(top1.len(), top.len() + 1);
    let big = c.multi("RETR 4").await;
    assert!(big.len() > 300, "{}", big.len());
    assert!(c.cmd("NOOP").await.starts_with("+OK"));
    assert!(c.cmd("USER bob").await.starts_with("-ERR"));
    assert!(c.cmd("FROB").await.starts_with("-ERR"));
    assert!(c.cmd("QUIT").await.starts_with("+OK"));
    assert_eq!(lab.mailbox_uidls("alice").unwrap(), uidls);
}

#[tokio::test]
async fn dele_applies_only_on_quit_and_rset_undeletes() {
    let lab = start(&[Scenario::Healthy]).await;
    let before = lab.mailbox_uidls("alice").unwrap();
    let mut c = login_tls(&lab, Scenario::Healthy).await;
    assert!(c.cmd("DELE 1").await.starts_with("+OK"));
    assert!(c.cmd("DELE 1").await.starts_with("-ERR"));
    assert!(c.cmd("RETR 1").await.starts_with("-ERR"));
    assert!(c.cmd("STAT").await.starts_with("+OK 3 "));
    assert_eq!(c.multi("LIST").await.len(), 3);
    assert_eq!(
        lab.mailbox_uidls("alice").unwrap(),
        before,
        "not yet applied"
    );
    let r = c.cmd("RSET").await;
    assert!(r.starts_with("+OK") && r.contains("4 messages"), "{r}");
    assert!(c.cmd("STAT").await.starts_with("+OK 4 "));
    assert!(c.cmd("DELE 2").await.starts_with("+OK"));
    assert!(c.cmd("DELE 3").await.starts_with("+OK"));
    let r = c.cmd("QUIT").await;
    assert!(r.contains("2 messages left"), "{r}");
    let after = lab.mailbox_uidls("alice").unwrap();
    assert_eq!(after, vec![before[0].clone(), before[3].clone()]);
    wait_unlocked(&lab, "alice").await;
    let mut c = login_tls(&lab, Scenario::Healthy).await;
    assert!(c.cmd("STAT").await.starts_with("+OK 2 "));
}

#[tokio::test]
async fn dropped_connection_applies_nothing_and_releases_the_lock() {
    let lab = start(&[Scenario::Healthy]).await;
    let before = lab.mailbox_uidls("alice").unwrap();
    let mut c = login_tls(&lab, Scenario::Healthy).await;
    assert!(c.cmd("DELE 1").await.starts_with("+OK"));
    assert!(c.cmd("DELE 2").await.starts_with("+OK"));
    assert!(lab.is_locked("alice"));
    drop(c);
    wait_unlocked(&lab, "alice").await;
    assert_eq!(lab.mailbox_uidls("alice").unwrap(), before);
}

#[tokio::test]
async fn second_concurrent_login_is_in_use() {
    let lab = start(&[Scenario::Healthy]).await;
    let mut first = login_tls(&lab, Scenario::Healthy).await;
    let mut second = tls(&lab, lab.endpoint(Scenario::Healthy).unwrap().tls).await;
    assert!(second.cmd("USER alice").await.starts_with("+OK"));
    let r = second.cmd("PASS wonderland").await;
    assert!(r.starts_with("-ERR [IN-USE]"), "{r}");
    // bob is a different maildrop
    assert!(second.cmd("USER bob").await.starts_with("+OK"));
    let r = second.cmd("PASS builder").await;
    assert!(r.starts_with("+OK") && r.contains("0 messages"), "{r}");
    assert!(second.cmd("STAT").await.starts_with("+OK 0 0"));
    assert!(first.cmd("QUIT").await.starts_with("+OK"));
    wait_unlocked(&lab, "alice").await;
    let _third = login_tls(&lab, Scenario::Healthy).await;
}

#[tokio::test]
async fn pipelined_commands_are_answered_in_order() {
    let lab = start(&[Scenario::CleartextLogin]).await;
    let mut c = plain(lab.endpoint(Scenario::CleartextLogin).unwrap().plain).await;
    c.line().await;
    c.send("USER alice\r\nPASS wonderland\r\nSTAT\r\nLIST\r\nUIDL 1\r\nNOOP\r\nQUIT\r\n")
        .await;
    assert!(c.line().await.starts_with("+OK"));
    assert!(c.line().await.starts_with("+OK Logged in"));
    assert!(c.line().await.starts_with("+OK 4 "));
    assert!(c.line().await.starts_with("+OK 4 messages"));
    assert_eq!(c.body().await.len(), 4);
    assert!(c.line().await.starts_with("+OK 1 "));
    assert_eq!(c.line().await, "+OK");
    assert!(c.line().await.contains("signing off"));
    assert_eq!(c.try_line().await, None);
}

#[tokio::test]
async fn sasl_mechanisms_and_apop() {
    let lab = start(&[Scenario::Healthy]).await;
    let ep = *lab.endpoint(Scenario::Healthy).unwrap();

    // PLAIN with initial response
    let mut c = tls(&lab, ep.tls).await;
    let ir = B64.encode("\0alice\0wonderland");
    assert!(c.cmd(&format!("AUTH PLAIN {ir}")).await.starts_with("+OK"));
    assert!(c.cmd("QUIT").await.starts_with("+OK"));
    wait_unlocked(&lab, "alice").await;

    // PLAIN with a continuation; wrong password; cancel with *
    let mut c = tls(&lab, ep.tls).await;
    assert_eq!(c.cmd("AUTH PLAIN").await, "+ ");
    let r = c.cmd(&B64.encode("\0alice\0wrong")).await;
    assert!(r.starts_with("-ERR [AUTH]"), "{r}");
    assert_eq!(c.cmd("AUTH PLAIN").await, "+ ");
    assert!(c.cmd("*").await.starts_with("-ERR"));
    assert!(c.cmd("AUTH PLAIN").await.starts_with("+ "));
    assert!(c.cmd("not base64!").await.starts_with("-ERR"));
    assert!(c.cmd("AUTH GSSAPI").await.starts_with("-ERR"));
    let mechs = c.multi("AUTH").await;
    assert_eq!(mechs, ["PLAIN", "LOGIN", "CRAM-MD5"]);

    // LOGIN
    assert_eq!(
        c.cmd("AUTH LOGIN").await,
        format!("+ {}", B64.encode("Username:"))
    );
    assert_eq!(
        c.cmd(&B64.encode("bob")).await,
        format!("+ {}", B64.encode("Password:"))
    );
    assert!(c.cmd(&B64.encode("builder")).await.starts_with("+OK"));
    assert!(c.cmd("QUIT").await.starts_with("+OK"));

    // CRAM-MD5
    let mut c = tls(&lab, ep.tls).await;
    assert!(c.cmd("AUTH CRAM-MD5 abc").await.starts_with("-ERR"));
    let ch = c.cmd("AUTH CRAM-MD5").await;
    let challenge = String::from_utf8(B64.decode(ch.strip_prefix("+ ").unwrap()).unwrap()).unwrap();
    assert!(
        challenge.starts_with('<') && challenge.ends_with('>'),
        "{challenge}"
    );
    let bad = B64.encode(format!("alice {}", cram_md5_digest("nope", &challenge)));
    assert!(c.cmd(&bad).await.starts_with("-ERR [AUTH]"));
    let ch = c.cmd("AUTH CRAM-MD5").await;
    let challenge = String::from_utf8(B64.decode(ch.strip_prefix("+ ").unwrap()).unwrap()).unwrap();
    let good = B64.encode(format!(
        "alice {}",
        cram_md5_digest("wonderland", &challenge)
    ));
    assert!(c.cmd(&good).await.starts_with("+OK"));
    assert!(c.cmd("QUIT").await.starts_with("+OK"));
    wait_unlocked(&lab, "alice").await;

    // APOP over implicit TLS, using the greeting's timestamp
    let s = tls_handshake(&lab, tcp(ep.tls).await, "localhost")
        .await
        .unwrap();
    let mut c = Client::new(s);
    let greeting = c.line().await;
    let ts = &greeting[greeting.find('<').unwrap()..];
    let digest = hex(&Md5::digest(format!("{ts}wonderland")));
    assert!(c.cmd("APOP alice 0000").await.starts_with("-ERR [AUTH]"));
    let r = c.cmd(&format!("APOP alice {digest}")).await;
    assert!(r.starts_with("+OK"), "{r}");
}

#[tokio::test]
async fn too_many_auth_failures_close_the_connection() {
    let lab = start(&[Scenario::Healthy]).await;
    let mut c = tls(&lab, lab.endpoint(Scenario::Healthy).unwrap().tls).await;
    for _ in 0..4 {
        c.cmd("USER alice").await;
        assert!(c.cmd("PASS bad").await.starts_with("-ERR [AUTH]"));
    }
    c.cmd("USER alice").await;
    assert!(c.cmd("PASS bad").await.contains("too many"));
    assert_eq!(c.try_line().await, None);
}

/// Sends `STLS` and `CAPA` in one plaintext segment, upgrades, sends `QUIT`
/// inside TLS and returns the first line answered inside TLS.
async fn stls_with_injected_capa(lab: &Lab, scenario: Scenario) -> String {
    let mut c = plain(lab.endpoint(scenario).unwrap().plain).await;
    c.line().await;
    c.send("STLS\r\nCAPA\r\n").await;
    assert!(c.line().await.starts_with("+OK"));
    let s = tls_handshake(lab, c.s, "localhost").await.unwrap();
    let mut c = Client::new(s);
    c.send("QUIT\r\n").await;
    c.line().await
}

#[tokio::test]
async fn stls_injection_is_answered_inside_tls_only_when_vulnerable() {
    let lab = start(&[Scenario::Healthy, Scenario::StlsInjection]).await;
    let healthy = stls_with_injected_capa(&lab, Scenario::Healthy).await;
    assert!(
        healthy.contains("signing off"),
        "healthy ran injected data: {healthy}"
    );
    let vulnerable = stls_with_injected_capa(&lab, Scenario::StlsInjection).await;
    assert!(
        vulnerable.starts_with("+OK Capability list follows"),
        "injection scenario did not answer the injected CAPA: {vulnerable}"
    );
}

#[tokio::test]
async fn overlong_and_endless_lines_are_rejected() {
    let lab = start(&[Scenario::Healthy]).await;
    let mut c = plain(lab.endpoint(Scenario::Healthy).unwrap().plain).await;
    c.line().await;
    let long = format!("NOOP {}", "x".repeat(300));
    let r = c.cmd(&long).await;
    assert!(r.starts_with("-ERR") && r.contains("too long"), "{r}");
    assert!(
        c.multi("CAPA").await.contains(&"STLS".to_string()),
        "still usable"
    );
    // a line that never ends: the server gives up and closes
    let writer = async {
        let chunk = vec![b'y'; 16 * 1024];
        for _ in 0..16 {
            if c.s.write_all(&chunk).await.is_err() {
                break;
            }
        }
    };
    writer.await;
    let rest = String::from_utf8_lossy(&c.rest().await).into_owned();
    assert!(rest.starts_with("-ERR Line too long"), "{rest:?}");
}

#[tokio::test]
async fn idle_timeout_closes() {
    let lab = Lab::start(LabConfig {
        scenarios: vec![Scenario::Healthy],
        idle_timeout: Duration::from_millis(300),
        ..Default::default()
    })
    .await
    .unwrap();
    let mut c = plain(lab.endpoint(Scenario::Healthy).unwrap().plain).await;
    c.line().await;
    let started = Instant::now();
    let r = c.line().await;
    assert!(r.starts_with("-ERR [SYS/TEMP]"), "{r}");
    assert!(started.elapsed() >= Duration::from_millis(250));
    assert_eq!(c.try_line().await, None);
}

#[tokio::test]
async fn shutdown_and_drop_leave_no_listener() {
    let lab = start(&[Scenario::Healthy, Scenario::Silent]).await;
    let eps: Vec<ScenarioEndpoints> = lab.endpoints().to_vec();
    let ca = lab.ca_pem_path().to_path_buf();
    assert!(ca.exists());
    let mut open = plain(eps[0].plain).await;
    open.line().await;
    lab.shutdown().await;
    assert_eq!(open.try_line().await, None, "open connection closed");
    for ep in &eps {
        for addr in [ep.plain, ep.tls] {
            assert!(
                TcpStream::connect(addr).await.is_err(),
                "{addr} still listening"
            );
        }
    }
    assert!(!ca.exists(), "temporary CA directory removed");

    let lab = start(&[Scenario::Healthy]).await;
    let ep = lab.endpoints()[0];
    let mut open = plain(ep.plain).await;
    open.line().await;
    drop(lab);
    assert_eq!(open.try_line().await, None);
    let deadline = Instant::now() + T;
    while TcpStream::connect(ep.plain).await.is_ok() {
        assert!(Instant::now() < deadline, "listener survived drop");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test]
async fn certificate_scenarios_fail_verification_as_intended() {
    use rustls::CertificateError as CE;
    let scenarios = [
        Scenario::Healthy,
        Scenario::ExpiredCert,
        Scenario::SelfSigned,
        Scenario::WrongHostname,
        Scenario::MissingIntermediate,
        Scenario::WeakKey,
    ];
    let lab = start(&scenarios).await;
    for s in scenarios {
        let ep = lab.endpoint(s).unwrap();
        let res = tls_handshake(&lab, tcp(ep.tls).await, "localhost").await;
        match s {
            Scenario::Healthy => {
                let mut c = Client::new(res.expect("healthy verifies"));
                assert!(c.line().await.starts_with("+OK"));
                // also verifies for the IP literals
                for ip in ["127.0.0.1"] {
                    tls_handshake(&lab, tcp(ep.tls).await, ip).await.unwrap();
                }
            }
            Scenario::ExpiredCert => assert!(matches!(
                tls_error(res.unwrap_err()),
                rustls::Error::InvalidCertificate(CE::Expired | CE::ExpiredContext { .. })
            )),
            Scenario::SelfSigned | Scenario::MissingIntermediate => assert!(matches!(
                tls_error(res.unwrap_err()),
                rustls::Error::InvalidCertificate(CE::UnknownIssuer)
            )),
            Scenario::WrongHostname => assert!(matches!(
                tls_error(res.unwrap_err()),
                rustls::Error::InvalidCertificate(
                    CE::NotValidForName | CE::NotValidForNameContext { .. }
                )
            )),
            Scenario::WeakKey => assert!(res.is_err(), "1024-bit RSA handshake must fail"),
            _ => unreachable!(),
        }
        // the same certificate is served after STLS on the plain port
        if s != Scenario::Healthy {
            let mut c = plain(ep.plain).await;
            c.line().await;
            assert!(c.cmd("STLS").await.starts_with("+OK"));
            assert!(tls_handshake(&lab, c.s, "localhost").await.is_err(), "{s}");
        }
    }
}

#[tokio::test]
async fn greeting_scenarios() {
    let lab = start(&[
        Scenario::SlowGreeting,
        Scenario::Silent,
        Scenario::WrongBanner,
        Scenario::TlsOnPlainPort,
        Scenario::PlainOnTlsPort,
    ])
    .await;

    let ep = lab.endpoint(Scenario::SlowGreeting).unwrap();
    let started = Instant::now();
    let mut c = plain(ep.plain).await;
    assert!(c.line().await.starts_with("+OK"));
    assert!(started.elapsed() >= Duration::from_millis(350));

    let ep = lab.endpoint(Scenario::Silent).unwrap();
    let mut c = plain(ep.plain).await;
    assert!(c.quiet_for(Duration::from_millis(300)).await);
    let s = tls_handshake(&lab, tcp(ep.tls).await, "localhost")
        .await
        .unwrap();
    assert!(Client::new(s).quiet_for(Duration::from_millis(300)).await);

    let ep = lab.endpoint(Scenario::WrongBanner).unwrap();
    let mut c = plain(ep.plain).await;
    let banner = c.line().await;
    assert!(
        banner.starts_with("220 ") && banner.contains("ESMTP"),
        "{banner}"
    );
    assert!(c.cmd("CAPA").await.starts_with("502"));
    assert!(c.cmd("QUIT").await.starts_with("221"));

    let ep = lab.endpoint(Scenario::TlsOnPlainPort).unwrap();
    let mut c = plain(ep.plain).await;
    assert!(
        c.quiet_for(Duration::from_millis(300)).await,
        "no plaintext greeting"
    );
    let s = tls_handshake(&lab, tcp(ep.plain).await, "localhost")
        .await
        .unwrap();
    assert!(Client::new(s).line().await.starts_with("+OK"));

    let ep = lab.endpoint(Scenario::PlainOnTlsPort).unwrap();
    let mut c = plain(ep.tls).await;
    assert!(
        c.line().await.starts_with("+OK"),
        "plaintext on the TLS port"
    );
    assert!(
        tls_handshake(&lab, tcp(ep.tls).await, "localhost")
            .await
            .is_err()
    );
}

#[tokio::test]
async fn login_refusal_scenarios() {
    let lab = start(&[
        Scenario::AuthRejected,
        Scenario::InUse,
        Scenario::LoginDelay,
    ])
    .await;
    for (s, code) in [
        (Scenario::AuthRejected, "-ERR [AUTH] invalid credentials"),
        (Scenario::InUse, "-ERR [IN-USE]"),
        (Scenario::LoginDelay, "-ERR [LOGIN-DELAY]"),
    ] {
        let mut c = tls(&lab, lab.endpoint(s).unwrap().tls).await;
        let caps = c.multi("CAPA").await;
        assert!(caps.contains(&"AUTH-RESP-CODE".to_string()));
        if s == Scenario::LoginDelay {
            assert!(caps.iter().any(|c| c.starts_with("LOGIN-DELAY")));
        }
        c.cmd("USER alice").await;
        let r = c.cmd("PASS wonderland").await;
        assert!(r.starts_with(code), "{s}: {r}");
        let ir = B64.encode("\0alice\0wonderland");
        let r = c.cmd(&format!("AUTH PLAIN {ir}")).await;
        assert!(r.starts_with(code), "{s}: {r}");
        if s != Scenario::AuthRejected {
            c.cmd("USER alice").await;
            let r = c.cmd("PASS wrong").await;
            assert!(r.starts_with("-ERR [AUTH]"), "{s}: {r}");
        }
    }
}

#[tokio::test]
async fn stls_and_cleartext_scenarios() {
    let lab = start(&[Scenario::NoStls, Scenario::CleartextLogin]).await;
    let mut c = plain(lab.endpoint(Scenario::NoStls).unwrap().plain).await;
    c.line().await;
    let caps = c.multi("CAPA").await;
    assert!(!caps.contains(&"STLS".to_string()), "{caps:?}");
    assert!(c.cmd("STLS").await.starts_with("-ERR"));
    assert!(c.cmd("USER alice").await.starts_with("-ERR [AUTH]"));
    // the TLS port still works
    let _ = login_tls(&lab, Scenario::NoStls).await;

    let mut c = plain(lab.endpoint(Scenario::CleartextLogin).unwrap().plain).await;
    c.line().await;
    let caps = c.multi("CAPA").await;
    for want in ["USER", "SASL PLAIN LOGIN CRAM-MD5", "STLS"] {
        assert!(caps.contains(&want.to_string()), "{want} missing: {caps:?}");
    }
    let ir = B64.encode("\0bob\0builder");
    assert!(c.cmd(&format!("AUTH PLAIN {ir}")).await.starts_with("+OK"));
}

#[tokio::test]
async fn broken_multiline_scenarios() {
    let lab = start(&[Scenario::CloseMidResponse, Scenario::EndlessMultiline]).await;

    let mut c = plain(lab.endpoint(Scenario::CloseMidResponse).unwrap().plain).await;
    c.line().await;
    c.send("CAPA\r\n").await;
    let rest = String::from_utf8_lossy(&c.rest().await).into_owned();
    assert!(rest.starts_with("+OK"), "{rest:?}");
    assert!(
        !rest.ends_with("\r\n.\r\n") && !rest.ends_with("\r\n"),
        "{rest:?}"
    );

    let mut c = tls(&lab, lab.endpoint(Scenario::EndlessMultiline).unwrap().tls).await;
    c.send("CAPA\r\n").await;
    assert!(c.line().await.starts_with("+OK"));
    for _ in 0..20_000 {
        let l = c.line().await;
        assert_ne!(l, ".", "the endless response ended");
    }
    drop(c);
    // the lab stays usable for others
    let mut c = plain(lab.endpoint(Scenario::EndlessMultiline).unwrap().plain).await;
    assert!(c.line().await.starts_with("+OK"));
}

fn legacy_client_hello(version: [u8; 2]) -> Vec<u8> {
    let mut body = version.to_vec();
    body.extend([7u8; 32]);
    body.push(0);
    body.extend([0x00, 0x02, 0x00, 0x2f]);
    body.extend([0x01, 0x00]);
    let mut hs = vec![0x01, 0x00, 0x00, body.len() as u8];
    hs.extend(body);
    let mut rec = vec![0x16, 0x03, 0x01, 0x00, hs.len() as u8];
    rec.extend(hs);
    rec
}

#[tokio::test]
async fn tls10_only_scenario() {
    let lab = start(&[Scenario::Tls10Only]).await;
    let ep = *lab.endpoint(Scenario::Tls10Only).unwrap();
    let mut s = tcp(ep.tls).await;
    s.write_all(&legacy_client_hello([0x03, 0x01]))
        .await
        .unwrap();
    let mut c = Client::new(s);
    let reply = c.rest().await;
    assert!(reply.len() > 10, "{reply:?}");
    assert_eq!(reply[0], 0x16, "a handshake record");
    assert_eq!(reply[5], 0x02, "a ServerHello");
    assert_eq!(&reply[9..11], &[0x03, 0x01], "TLS 1.0");

    assert!(
        tls_handshake(&lab, tcp(ep.tls).await, "localhost")
            .await
            .is_err()
    );
    let mut c = plain(ep.plain).await;
    c.line().await;
    assert!(c.multi("CAPA").await.contains(&"STLS".to_string()));
    assert!(c.cmd("STLS").await.starts_with("+OK"));
    assert!(tls_handshake(&lab, c.s, "localhost").await.is_err());
}

#[tokio::test]
async fn all_scenarios_start_and_describe_themselves() {
    let dir = tempfile::tempdir().unwrap();
    let lab = Lab::start(LabConfig {
        ca_dir: Some(dir.path().to_path_buf()),
        ..Default::default()
    })
    .await
    .unwrap();
    assert_eq!(lab.endpoints().len(), Scenario::all().len());
    assert_eq!(lab.ca_pem_path(), dir.path().join(CA_FILE_NAME));
    let on_disk = std::fs::read_to_string(lab.ca_pem_path()).unwrap();
    assert_eq!(on_disk, lab.ca_pem());
    assert!(on_disk.starts_with("-----BEGIN CERTIFICATE-----"));
    let text = lab.describe();
    assert!(text.contains("alice / wonderland"), "{text}");
    assert!(text.contains(&lab.ca_pem_path().display().to_string()));
    for ep in lab.endpoints() {
        assert!(text.contains(ep.scenario.name()));
        assert!(text.contains(&ep.plain.to_string()) && text.contains(&ep.tls.to_string()));
    }
    assert!(text.contains("popscope check 127.0.0.1:"));
    assert!(text.contains("--ca-file"));
    assert_eq!(lab.users()[0].name, "alice");
    assert_eq!(lab.mailbox_uidls("nobody"), None);
    lab.shutdown().await;
    assert!(
        dir.path().join(CA_FILE_NAME).exists(),
        "a given CA dir is kept"
    );
}

#[tokio::test]
async fn mailbox_dir_and_delivery() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("1.eml"), "Subject: one\n\n.dot\nbody\n").unwrap();
    let lab = Lab::start(LabConfig {
        scenarios: vec![Scenario::CleartextLogin],
        mailbox_dir: Some(dir.path().to_path_buf()),
        ..Default::default()
    })
    .await
    .unwrap();
    assert_eq!(lab.mailbox_uidls("alice").unwrap().len(), 1);
    assert!(lab.deliver("bob", b"Subject: hi\n\nhello bob\n"));
    assert!(!lab.deliver("nobody", b"x"));
    let mut c = plain(lab.endpoint(Scenario::CleartextLogin).unwrap().plain).await;
    c.line().await;
    c.cmd("USER alice").await;
    assert!(c.cmd("PASS wonderland").await.starts_with("+OK"));
    assert_eq!(
        c.multi("RETR 1").await,
        ["Subject: one", "", ".dot", "body"]
    );
    c.cmd("QUIT").await;
    let mut c = plain(lab.endpoint(Scenario::CleartextLogin).unwrap().plain).await;
    c.line().await;
    c.cmd("USER bob").await;
    assert!(c.cmd("PASS builder").await.starts_with("+OK"));
    assert!(c.cmd("STAT").await.starts_with("+OK 1 "));
}

#[tokio::test]
async fn fixed_ports_are_consecutive_and_ipv6_works_when_available() {
    // Binding fixed free ports is racy in tests; check the range error
    // (raised before anything is bound) instead.
    let err = Lab::start(LabConfig {
        scenarios: vec![Scenario::Healthy, Scenario::Silent],
        plain_port: Some(65535),
        ..Default::default()
    })
    .await
    .unwrap_err();
    assert!(matches!(err, LabError::PortRange { index: 1, .. }), "{err}");

    if std::net::TcpListener::bind("[::1]:0").is_err() {
        return; // no IPv6 loopback here
    }
    let lab = Lab::start(LabConfig {
        scenarios: vec![Scenario::Healthy],
        listen: "::1".parse().unwrap(),
        ..Default::default()
    })
    .await
    .unwrap();
    let ep = lab.endpoints()[0];
    assert!(ep.tls.is_ipv6());
    let s = tls_handshake(&lab, tcp(ep.tls).await, "::1").await.unwrap();
    assert!(Client::new(s).line().await.starts_with("+OK"));
}

/// A plain connection on the paused clock: the greeting is read, and reads
/// wait without a client-side timer (that would fire first).
async fn paused_plain(
    addr: SocketAddr,
) -> (
    tokio::io::BufReader<tokio::net::tcp::OwnedReadHalf>,
    tokio::net::tcp::OwnedWriteHalf,
) {
    use tokio::io::AsyncBufReadExt;
    let (rd, wr) = TcpStream::connect(addr).await.unwrap().into_split();
    let mut rd = tokio::io::BufReader::new(rd);
    let mut greeting = String::new();
    rd.read_line(&mut greeting).await.unwrap();
    assert!(greeting.starts_with("+OK"), "{greeting}");
    (rd, wr)
}

#[tokio::test(start_paused = true)]
async fn trickling_client_is_disconnected_once_the_line_bound_passes() {
    use tokio::io::AsyncBufReadExt;
    let lab = Lab::start(LabConfig::new(vec![Scenario::Healthy]))
        .await
        .unwrap();
    let (mut rd, mut wr) = paused_plain(lab.endpoint(Scenario::Healthy).unwrap().plain).await;
    let started = tokio::time::Instant::now();
    // One octet every 30 s: every read is well inside the 120 s idle timeout.
    let trickle = tokio::spawn(async move {
        for b in b"NOOP but very, very slowly" {
            if wr.write_all(&[*b]).await.is_err() {
                break;
            }
            tokio::time::sleep(Duration::from_secs(30)).await;
        }
    });
    let mut reply = String::new();
    rd.read_line(&mut reply).await.unwrap();
    let waited = started.elapsed();
    assert!(
        reply.starts_with("-ERR [SYS/TEMP]") && reply.contains("not completed in time"),
        "{reply}"
    );
    assert!(waited >= DEFAULT_LINE_TIMEOUT, "{waited:?}");
    assert!(waited < DEFAULT_IDLE_TIMEOUT, "{waited:?}");
    let mut rest = String::new();
    assert_eq!(rd.read_line(&mut rest).await.unwrap_or(0), 0, "{rest}");
    trickle.abort();
}

#[tokio::test(start_paused = true)]
async fn busy_session_ends_at_the_session_bound() {
    use tokio::io::AsyncBufReadExt;
    let session = Duration::from_secs(300);
    let lab = Lab::start(LabConfig {
        scenarios: vec![Scenario::Healthy],
        session_timeout: session,
        ..Default::default()
    })
    .await
    .unwrap();
    let (mut rd, mut wr) = paused_plain(lab.endpoint(Scenario::Healthy).unwrap().plain).await;
    let started = tokio::time::Instant::now();
    let mut answered = 0;
    let last = loop {
        // A complete command every 50 s: never idle, never a slow line.
        wr.write_all(b"NOOP\r\n").await.unwrap();
        let mut reply = String::new();
        rd.read_line(&mut reply).await.unwrap();
        if !reply.starts_with("-ERR Command not valid") {
            break reply;
        }
        answered += 1;
        assert!(answered < 100, "the session never ended");
        tokio::time::sleep(Duration::from_secs(50)).await;
    };
    assert!(
        last.starts_with("-ERR [SYS/TEMP]") && last.contains("Session time limit"),
        "{last}"
    );
    assert!(answered >= 5, "{answered}");
    assert!(started.elapsed() >= session);
}

#[tokio::test]
async fn connections_per_address_are_limited_politely_on_both_ports() {
    let lab = start(&[Scenario::Healthy]).await;
    let ep = *lab.endpoint(Scenario::Healthy).unwrap();
    let mut held = Vec::new();
    for _ in 0..DEFAULT_MAX_PER_ADDRESS {
        let mut c = plain(ep.plain).await;
        assert!(c.line().await.starts_with("+OK"));
        held.push(c);
    }
    let mut refused = plain(ep.plain).await;
    let r = refused.line().await;
    assert!(
        r.starts_with("-ERR [SYS/TEMP]") && r.contains("from your address"),
        "{r}"
    );
    assert_eq!(refused.try_line().await, None);

    // The TLS port counts its own connections, and refuses inside TLS.
    let mut held_tls = Vec::new();
    for _ in 0..DEFAULT_MAX_PER_ADDRESS {
        held_tls.push(tls(&lab, ep.tls).await);
    }
    let s = tls_handshake(&lab, tcp(ep.tls).await, "localhost")
        .await
        .expect("the TLS port completes the handshake before refusing");
    let mut refused = Client::new(s);
    let r = refused.line().await;
    assert!(r.starts_with("-ERR [SYS/TEMP]"), "{r}");

    // A slot freed is a slot available again.
    drop(held.pop());
    let deadline = Instant::now() + T;
    loop {
        let mut c = plain(ep.plain).await;
        if c.line().await.starts_with("+OK") {
            break;
        }
        assert!(Instant::now() < deadline, "the freed slot never came back");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test]
async fn a_busy_tls_port_refuses_inside_tls_never_in_plaintext() {
    let lab = Lab::start(LabConfig {
        scenarios: vec![Scenario::Healthy, Scenario::Tls10Only],
        max_connections: 2,
        ..Default::default()
    })
    .await
    .unwrap();
    let ep = *lab.endpoint(Scenario::Healthy).unwrap();
    let _a = tls(&lab, ep.tls).await;
    let _b = tls(&lab, ep.tls).await;
    let s = tls_handshake(&lab, tcp(ep.tls).await, "localhost")
        .await
        .expect("a busy TLS port still completes the handshake");
    let mut refused = Client::new(s);
    let r = refused.line().await;
    assert!(r.starts_with("-ERR [SYS/TEMP] Too many connections"), "{r}");
    assert_eq!(refused.try_line().await, None);

    // The fake TLS 1.0 server cannot speak TLS: it closes without a word.
    let legacy = lab.endpoint(Scenario::Tls10Only).unwrap().tls;
    let _c = tcp(legacy).await;
    let _d = tcp(legacy).await;
    // Accepted in connect order: the third finds both slots taken.
    let mut third = plain(legacy).await;
    let rest = third.rest().await;
    assert!(rest.is_empty(), "{}", String::from_utf8_lossy(&rest));
}

// ---- blind mode, certificate names, classroom ----

#[tokio::test]
async fn blind_hides_scenario_names_from_greetings_and_the_banner() {
    let scenarios = [
        Scenario::Healthy,
        Scenario::WrongBanner,
        Scenario::ExpiredCert,
    ];
    let lab = Lab::start(LabConfig {
        scenarios: scenarios.to_vec(),
        blind: true,
        ..Default::default()
    })
    .await
    .expect("lab starts");
    let mut c = plain(lab.endpoint(Scenario::Healthy).unwrap().plain).await;
    let greeting = c.line().await;
    assert!(
        greeting.starts_with("+OK popscope-lab POP3 server ready <"),
        "{greeting}"
    );
    let mut smtp = plain(lab.endpoint(Scenario::WrongBanner).unwrap().plain).await;
    let banner = smtp.line().await;
    assert!(
        banner.starts_with("220 ") && !banner.contains("scenario"),
        "{banner}"
    );
    let shown = lab.describe();
    assert!(!shown.contains("EXPECTED CHECK"), "{shown}");
    for name in Scenario::names() {
        assert!(!shown.contains(name), "the banner names {name}:\n{shown}");
    }
    for ep in lab.endpoints() {
        assert!(shown.contains(&ep.plain.to_string()) && shown.contains(&ep.tls.to_string()));
    }

    let seen = start(&[Scenario::ExpiredCert]).await;
    let mut c = plain(seen.endpoint(Scenario::ExpiredCert).unwrap().plain).await;
    assert!(
        c.line().await.contains("(scenario expired-cert)"),
        "not blind: named"
    );
    assert!(seen.describe().contains("EXPECTED CHECK"));
}

#[tokio::test]
async fn certificates_name_the_hostnames_and_the_listen_address() {
    let listen: std::net::IpAddr = "127.0.0.2".parse().unwrap();
    let lab = Lab::start(LabConfig {
        scenarios: vec![Scenario::Healthy],
        listen,
        tls_names: vec!["lab.school.test".into(), "LAB.school.test".into()],
        ..Default::default()
    })
    .await
    .expect("lab starts on 127.0.0.2");
    let ep = *lab.endpoint(Scenario::Healthy).unwrap();
    assert_eq!(ep.tls.ip(), listen);
    for name in ["lab.school.test", "127.0.0.2", "localhost"] {
        tls_handshake(&lab, tcp(ep.tls).await, name)
            .await
            .unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    let err = tls_handshake(&lab, tcp(ep.tls).await, "other.school.test")
        .await
        .expect_err("a name the certificate lacks");
    assert!(matches!(
        tls_error(err),
        rustls::Error::InvalidCertificate(
            rustls::CertificateError::NotValidForName
                | rustls::CertificateError::NotValidForNameContext { .. }
        )
    ));

    // popscope itself, told the name with --tls-name and trusting the lab CA.
    let cfg = crate::config::RunConfig::builder()
        .ca_file(Some(lab.ca_pem_path().to_path_buf()))
        .plain_port(ep.plain.port())
        .tls_port(ep.tls.port())
        .tls_name(Some("lab.school.test".into()))
        .timeout(T)
        .deadline(Duration::from_secs(60))
        .build("127.0.0.2")
        .unwrap();
    let report = crate::run::diagnose(&cfg, None, std::future::pending())
        .await
        .unwrap();
    let hostname: Vec<_> = report
        .checks
        .iter()
        .filter(|c| c.id == crate::model::CheckId::TlsHostname)
        .collect();
    assert!(!hostname.is_empty());
    for c in hostname {
        assert_eq!(c.status, crate::model::Status::Pass, "{}", c.summary);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thirty_students_at_once_each_get_their_own_mailbox() {
    use classroom::{Assignment, students};
    let class = students(30, &[Scenario::Healthy], &Assignment::RoundRobin).unwrap();
    let lab = std::sync::Arc::new(
        Lab::start(LabConfig {
            max_per_address: classroom::max_per_address(class.len()),
            max_connections: classroom::max_connections(class.len()),
            students: class.clone(),
            blind: true,
            ..Default::default()
        })
        .await
        .expect("lab starts"),
    );
    assert_eq!(lab.endpoints().len(), 1);
    let tls_addr = lab.endpoint(Scenario::Healthy).unwrap().tls;
    let expected: Vec<Vec<u8>> = mailbox::sample_messages()
        .iter()
        .map(|m| m.data.to_vec())
        .collect();
    // Everyone connects, then everyone logs in at the same moment.
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(class.len()));
    let mut tasks = tokio::task::JoinSet::new();
    for st in class.clone() {
        let (lab, barrier, expected) = (lab.clone(), barrier.clone(), expected.clone());
        tasks.spawn(async move {
            let s = tls_handshake(&lab, tcp(tls_addr).await, "localhost")
                .await
                .unwrap();
            let mut c = Client::new(s);
            let greeting = c.line().await;
            assert!(greeting.starts_with("+OK") && !greeting.contains("scenario"));
            barrier.wait().await;
            assert!(
                c.cmd(&format!("USER {}", st.account))
                    .await
                    .starts_with("+OK")
            );
            let pass = c.cmd(&format!("PASS {}", st.password)).await;
            assert!(pass.starts_with("+OK"), "{}: {pass}", st.account);
            assert!(c.cmd("STAT").await.starts_with("+OK 4 "));
            for (i, want) in expected.iter().enumerate() {
                let lines = c.multi(&format!("RETR {}", i + 1)).await;
                let mut got = Vec::new();
                for l in lines {
                    got.extend_from_slice(l.as_bytes());
                    got.extend_from_slice(b"\r\n");
                }
                assert_eq!(&got, want, "{} message {}", st.account, i + 1);
            }
            assert!(c.cmd("QUIT").await.starts_with("+OK"));
            st.account
        });
    }
    let mut done = Vec::new();
    while let Some(r) = tasks.join_next().await {
        done.push(r.expect("student task"));
    }
    assert_eq!(done.len(), 30);
    for st in &class {
        assert_eq!(lab.mailbox_uidls(&st.account).map(|u| u.len()), Some(4));
    }
    assert_eq!(lab.mailbox_uidls("alice").map(|u| u.len()), Some(4));
}

#[path = "french_tests.rs"]
mod french;
