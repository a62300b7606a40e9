//! Scripted dialogues against the built-in lab server (127.0.0.1 only):
//! every shipped profile, login failures and their diagnosis, the cleartext
//! refusal, the never-lose-mail rules, pipelining and secret redaction.

use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use rustls::pki_types::ServerName;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;

use crate::lab::{Lab, LabConfig, Scenario};
use crate::model::Status;
use crate::pop3::auth::{Mechanism, plain_initial};
use crate::pop3::capa::Capabilities;
use crate::pop3::reader::Limits;
use crate::pop3::response::ResponseCode;
use crate::pop3::session::Session;
use crate::script::{Credentials, DialogueOutcome, Profile, ReplayOptions, replay};
use crate::transcript::{Dir, Recorder};

const T: Duration = Duration::from_secs(10);

/// A stream that remembers every byte written to it (above TLS), so tests
/// can prove what popscope did and did not send.
struct Tap<S> {
    inner: S,
    written: Arc<Mutex<Vec<u8>>>,
}

impl<S: AsyncRead + Unpin> AsyncRead for Tap<S> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Tap<S> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let this = self.get_mut();
        let res = Pin::new(&mut this.inner).poll_write(cx, buf);
        if let Poll::Ready(Ok(n)) = res {
            this.written.lock().unwrap().extend_from_slice(&buf[..n]);
        }
        res
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}

/// What a test holds on to besides the session.
struct Conn {
    rec: Recorder,
    written: Arc<Mutex<Vec<u8>>>,
}

impl Conn {
    fn written(&self) -> String {
        String::from_utf8_lossy(&self.written.lock().unwrap()).into_owned()
    }

    fn client_lines(&self) -> Vec<String> {
        self.rec
            .lines()
            .into_iter()
            .filter(|l| l.dir == Dir::Client)
            .map(|l| l.text)
            .collect()
    }

    fn all_text(&self) -> String {
        self.rec
            .lines()
            .into_iter()
            .map(|l| l.text)
            .collect::<Vec<_>>()
            .join("\n")
    }
}

async fn lab(scenarios: &[Scenario]) -> Lab {
    Lab::start(LabConfig {
        scenarios: scenarios.to_vec(),
        idle_timeout: Duration::from_secs(20),
        ..Default::default()
    })
    .await
    .expect("lab starts")
}

type TlsTap = Tap<tokio_rustls::client::TlsStream<TcpStream>>;

/// Implicit TLS to `scenario`'s TLS port, greeting read.
async fn tls_session(lab: &Lab, scenario: Scenario) -> (Session<TlsTap>, Conn) {
    let addr = lab.endpoint(scenario).unwrap().tls;
    let tcp = TcpStream::connect(addr).await.unwrap();
    let connector = TlsConnector::from(lab.client_config().unwrap());
    let name = ServerName::try_from("localhost".to_string()).unwrap();
    let tls = tokio::time::timeout(T, connector.connect(name, tcp))
        .await
        .unwrap()
        .unwrap();
    start_session(tls, addr).await
}

/// The plain port of `scenario`, greeting read, no STLS.
async fn plain_session(lab: &Lab, scenario: Scenario) -> (Session<Tap<TcpStream>>, Conn) {
    let addr = lab.endpoint(scenario).unwrap().plain;
    let tcp = TcpStream::connect(addr).await.unwrap();
    start_session(tcp, addr).await
}

async fn start_session<S: AsyncRead + AsyncWrite + Unpin>(
    stream: S,
    addr: SocketAddr,
) -> (Session<Tap<S>>, Conn) {
    let written = Arc::new(Mutex::new(Vec::new()));
    let tap = Tap {
        inner: stream,
        written: Arc::clone(&written),
    };
    let rec = Recorder::new(Some(addr.to_string()), Instant::now(), None);
    let mut s = Session::new(tap, rec.clone(), T, Limits::default());
    let (g, _) = s.read_greeting().await.unwrap();
    assert!(g.ok, "{g}");
    (s, Conn { rec, written })
}

fn tls_opts() -> ReplayOptions {
    ReplayOptions {
        tls_active: true,
        tls_trusted: true,
        ..Default::default()
    }
}

/// Replays the shipped profile `name`.
async fn replay_builtin<S: AsyncRead + AsyncWrite + Unpin>(
    s: &mut Session<S>,
    name: &str,
    creds: Option<&Credentials>,
    opts: &ReplayOptions,
) -> DialogueOutcome {
    let profile = Profile::builtin(name).unwrap_or_else(|e| panic!("{name}: {e}"));
    replay(s, &profile, creds, opts).await
}

fn alice() -> Credentials {
    Credentials::password("alice", "wonderland")
}

fn check<'a>(o: &'a DialogueOutcome, id: &str) -> &'a crate::model::Check {
    o.login
        .iter()
        .chain(&o.checks)
        .find(|c| c.id.to_string() == id)
        .unwrap_or_else(|| panic!("no check {id}"))
}

fn statuses(o: &DialogueOutcome) -> Vec<(String, Status)> {
    o.steps
        .iter()
        .map(|s| (s.command_shown.clone(), s.status))
        .collect()
}

#[tokio::test]
async fn every_shipped_profile_passes_on_a_healthy_server() {
    let lab = lab(&[Scenario::Healthy]).await;
    let before = lab.mailbox_uidls("alice").unwrap();
    assert_eq!(before.len(), 4);
    for name in Profile::builtin_names() {
        let profile = Profile::builtin(name).unwrap();
        let (mut s, conn) = tls_session(&lab, Scenario::Healthy).await;
        let o = replay(&mut s, &profile, Some(&alice()), &tls_opts()).await;
        for st in &o.steps {
            assert_eq!(st.status, Status::Pass, "{name}: {st:#?}");
            assert!(!st.explanation.is_empty());
        }
        assert_eq!(o.steps.len(), profile.steps.len());
        let d = check(&o, "pop3.dialogue");
        assert_eq!(d.status, Status::Pass, "{name}: {d:#?}");
        assert_eq!(
            d.endpoint,
            Some(lab.endpoint(Scenario::Healthy).unwrap().tls.to_string())
        );
        assert_eq!(o.login.is_some(), profile.has_login(), "{name}");
        if let Some(l) = &o.login {
            assert_eq!(l.status, Status::Pass, "{name}: {l:#?}");
        }
        assert!(o.quit_sent && !o.deleted && !o.rset_sent, "{name}");
        assert_eq!(o.checks.len(), 1 + profile.steps.len());
        assert_eq!(o.checks[1].id, crate::model::CheckId::Pop3Step(1));
        assert_eq!(conn.client_lines().last().map(String::as_str), Some("QUIT"));
        drop(s);
        assert_eq!(lab.mailbox_uidls("alice").unwrap(), before, "{name}");
        if *name == "teaching" {
            let login = o.steps.iter().find(|s| s.verb == "LOGIN").unwrap();
            assert_eq!(login.command_shown, "login as alice (USER)");
            assert!(conn.client_lines().contains(&"PASS ********".to_string()));
        }
        if *name == "basic" {
            // STAT, LIST and UIDL go out in one write (the lab advertises
            // PIPELINING): CAPA, AUTH CRAM-MD5 (2), the batch with QUIT
            // (nothing was deleted, so QUIT need not wait for the replies)
            assert!(o.steps[2..6].iter().all(|s| s.pipelined), "{o:#?}");
            assert_eq!(o.round_trips, 4);
        }
        if *name == "full-read" {
            let retr = o.steps.iter().find(|s| s.verb == "RETR").unwrap();
            assert_eq!(retr.command_shown, "RETR 1");
            assert!(retr.captured["octets"].as_u64().unwrap() > 100);
            let uidl = o.steps.iter().find(|s| s.verb == "UIDL").unwrap();
            assert_eq!(uidl.captured["uids"].as_array().unwrap().len(), 4);
            assert_eq!(uidl.captured["uids"][0]["uid"], before[0].as_str());
        }
    }
}

#[tokio::test]
async fn empty_mailbox_skips_the_message_steps() {
    let lab = lab(&[Scenario::Healthy]).await;
    let (mut s, _) = tls_session(&lab, Scenario::Healthy).await;
    let bob = Credentials::password("bob", "builder");
    let profile = Profile::builtin("teaching").unwrap();
    let o = replay(&mut s, &profile, Some(&bob), &tls_opts()).await;
    for st in &o.steps {
        if st.command_shown.contains("{first}") {
            assert_eq!(st.status, Status::Skip, "{st:#?}");
            assert_eq!(st.reason, "the mailbox is empty");
        } else {
            assert_eq!(st.status, Status::Pass, "{st:#?}");
        }
    }
    assert_eq!(check(&o, "pop3.dialogue").status, Status::Pass);
    assert!(o.quit_sent);
}

#[tokio::test]
async fn bad_password_is_explained_as_auth() {
    let lab = lab(&[Scenario::Healthy]).await;
    let (mut s, conn) = tls_session(&lab, Scenario::Healthy).await;
    let creds = Credentials::password("alice", "not-the-password");
    let o = replay_builtin(&mut s, "basic", Some(&creds), &tls_opts()).await;
    let login = o.login.as_ref().unwrap();
    assert_eq!(login.id, crate::model::CheckId::AuthLogin);
    assert_eq!(login.status, Status::Fail);
    assert!(
        login.summary.contains("-ERR [AUTH] invalid credentials"),
        "{}",
        login.summary
    );
    assert!(
        login.detail.contains(&ResponseCode::Auth.explain()),
        "{}",
        login.detail
    );
    assert!(!login.remedy.is_empty());
    assert_eq!(
        statuses(&o)[2..],
        [
            ("STAT".to_string(), Status::Skip),
            ("LIST".to_string(), Status::Skip),
            ("UIDL".to_string(), Status::Skip),
            ("QUIT".to_string(), Status::Pass),
        ]
    );
    assert_eq!(check(&o, "pop3.dialogue").status, Status::Fail);
    assert_eq!(check(&o, "pop3.step.2").status, Status::Fail);
    assert!(!conn.all_text().contains("not-the-password"));
}

#[tokio::test]
async fn refusal_scenarios_explain_their_response_code() {
    let cases = [
        (Scenario::AuthRejected, ResponseCode::Auth, "[AUTH]"),
        (
            Scenario::InUse,
            ResponseCode::InUse,
            "locked by another session",
        ),
        (Scenario::LoginDelay, ResponseCode::LoginDelay, "too soon"),
    ];
    let lab = lab(&cases.iter().map(|c| c.0).collect::<Vec<_>>()).await;
    for (scenario, code, words) in cases {
        let (mut s, _) = tls_session(&lab, scenario).await;
        let o = replay_builtin(&mut s, "basic", Some(&alice()), &tls_opts()).await;
        let login = o.login.as_ref().unwrap();
        assert_eq!(login.status, Status::Fail, "{scenario}");
        assert!(
            login.summary.contains(words),
            "{scenario}: {}",
            login.summary
        );
        assert!(
            login.detail.contains(&code.explain()),
            "{scenario}: {}",
            login.detail
        );
        assert_eq!(login.data["code"], code.as_str(), "{scenario}");
        assert_eq!(check(&o, "pop3.dialogue").status, Status::Fail);
    }
}

#[tokio::test]
async fn no_credentials_without_tls() {
    // healthy: no login offered before STLS; cleartext-login: the server
    // would accept a password in clear text. popscope sends none to either.
    let lab = lab(&[Scenario::Healthy, Scenario::CleartextLogin]).await;
    for scenario in [Scenario::Healthy, Scenario::CleartextLogin] {
        let (mut s, conn) = plain_session(&lab, scenario).await;
        let opts = ReplayOptions::default();
        let o = replay_builtin(&mut s, "basic", Some(&alice()), &opts).await;
        let login = o.login.as_ref().unwrap();
        assert_eq!(login.status, Status::Fail);
        assert!(
            login.summary.contains(
                "the connection is not encrypted; popscope does not send passwords in clear text; use STLS/995 or --allow-cleartext-auth"
            ),
            "{}",
            login.summary
        );
        assert_eq!(conn.client_lines(), ["CAPA", "QUIT"], "{scenario}");
        let wire = conn.written();
        assert_eq!(wire, "CAPA\r\nQUIT\r\n", "{scenario}");
        for word in ["USER", "PASS", "AUTH", "APOP", "wonderland"] {
            assert!(!wire.contains(word), "{scenario}: {word} sent");
        }
        assert!(!lab.is_locked("alice"));
    }

    // untrusted TLS is refused the same way
    let (mut s, conn) = tls_session(&lab, Scenario::Healthy).await;
    let opts = ReplayOptions {
        tls_trusted: false,
        ..tls_opts()
    };
    let o = replay_builtin(&mut s, "basic", Some(&alice()), &opts).await;
    let login = o.login.as_ref().unwrap();
    assert!(login.summary.contains("--ca-file"), "{}", login.summary);
    assert_eq!(conn.written(), "CAPA\r\nQUIT\r\n");

    // --allow-cleartext-auth logs in and warns
    let (mut s, _) = plain_session(&lab, Scenario::CleartextLogin).await;
    let opts = ReplayOptions {
        allow_cleartext: true,
        ..Default::default()
    };
    let o = replay_builtin(&mut s, "basic", Some(&alice()), &opts).await;
    assert_eq!(o.login.as_ref().unwrap().status, Status::Warn);
    assert_eq!(check(&o, "pop3.dialogue").status, Status::Warn);
}

const DELETING: &str = r#"
name = "delete-first"
description = "deletes the first message"

[[step]]
login = true

[[step]]
send = "STAT"
capture = "count_size"

[[step]]
send = "dele {first}"
"#;

#[tokio::test]
async fn dele_is_refused_without_allow_delete() {
    let p = Profile::parse(
        &format!("{DELETING}\n[[step]]\nsend = \"QUIT\"\n"),
        "t.toml",
    )
    .unwrap();
    assert_eq!(
        p.validate(false).unwrap_err().to_string(),
        "profile delete-first contains DELE: refused without --allow-delete"
    );
    let lab = lab(&[Scenario::Healthy]).await;
    let before = lab.mailbox_uidls("alice").unwrap();
    let (mut s, conn) = tls_session(&lab, Scenario::Healthy).await;
    let o = replay(&mut s, &p, Some(&alice()), &tls_opts()).await;
    let d = check(&o, "pop3.dialogue");
    assert_eq!(d.status, Status::Fail);
    assert!(d.summary.contains("--allow-delete"), "{}", d.summary);
    assert!(o.steps.iter().all(|s| s.status == Status::Skip));
    assert_eq!(conn.written(), "", "nothing may be sent");
    drop(s);
    assert_eq!(lab.mailbox_uidls("alice").unwrap(), before);
}

#[tokio::test]
async fn failure_after_dele_sends_rset_and_no_quit() {
    let lab = lab(&[Scenario::Healthy]).await;
    let before = lab.mailbox_uidls("alice").unwrap();
    let p = Profile::parse(
        &format!(
            "{DELETING}\n[[step]]\nsend = \"RETR 9999\"\n\n[[step]]\nsend = \"NOOP\"\n\n[[step]]\nsend = \"QUIT\"\n"
        ),
        "t.toml",
    )
    .unwrap();
    let opts = ReplayOptions {
        allow_delete: true,
        ..tls_opts()
    };
    let (mut s, conn) = tls_session(&lab, Scenario::Healthy).await;
    let o = replay(&mut s, &p, Some(&alice()), &opts).await;
    assert!(o.rset_sent && !o.quit_sent && !o.deleted, "{o:#?}");
    assert_eq!(
        statuses(&o),
        [
            ("login as alice (APOP)".to_string(), Status::Pass),
            ("STAT".to_string(), Status::Pass),
            ("dele 1".to_string(), Status::Pass),
            ("RETR 9999".to_string(), Status::Fail),
            ("NOOP".to_string(), Status::Skip),
            ("QUIT".to_string(), Status::Skip),
        ]
    );
    assert!(
        o.steps[5].reason.contains("without QUIT"),
        "{}",
        o.steps[5].reason
    );
    let lines = conn.client_lines();
    assert_eq!(lines.last().map(String::as_str), Some("RSET"), "{lines:?}");
    assert!(!conn.written().contains("QUIT"));
    let d = check(&o, "pop3.dialogue");
    assert_eq!(d.status, Status::Fail);
    assert!(d.detail.contains("deleted nothing"), "{}", d.detail);
    drop(s);
    assert_eq!(lab.mailbox_uidls("alice").unwrap(), before);

    // the same without RSET support would still be safe: closing without
    // QUIT never enters UPDATE. And the control: a successful dialogue with
    // --allow-delete does delete (so the comparison above means something).
    let p = Profile::parse(
        &format!("{DELETING}\n[[step]]\nsend = \"QUIT\"\n"),
        "t.toml",
    )
    .unwrap();
    let (mut s, _) = tls_session(&lab, Scenario::Healthy).await;
    let o = replay(&mut s, &p, Some(&alice()), &opts).await;
    assert!(o.deleted && o.quit_sent && !o.rset_sent, "{o:#?}");
    drop(s);
    assert_eq!(lab.mailbox_uidls("alice").unwrap(), before[1..]);
}

#[tokio::test]
async fn pipelining_saves_round_trips() {
    let lab = lab(&[Scenario::Healthy]).await;
    let p = Profile::parse(
        "name = \"pipe\"\n[[step]]\nlogin = true\n[[step]]\nsend = \"STAT\"\ncapture = \"count_size\"\n[[step]]\nsend = \"LIST\"\ncapture = \"sizes\"\n[[step]]\nsend = \"UIDL\"\ncapture = \"uids\"\n[[step]]\nsend = \"TOP {first} 0\"\n[[step]]\nsend = \"QUIT\"\n",
        "t.toml",
    )
    .unwrap();
    let mut costs = Vec::new();
    for pipelining in [true, false] {
        let (mut s, conn) = tls_session(&lab, Scenario::Healthy).await;
        let caps = s.capa().await.unwrap().unwrap();
        assert!(caps.pipelining());
        let caps = if pipelining {
            caps
        } else {
            Capabilities {
                lines: caps
                    .lines
                    .iter()
                    .filter(|l| *l != "PIPELINING")
                    .cloned()
                    .collect(),
            }
        };
        let opts = ReplayOptions {
            caps: Some(caps),
            ..tls_opts()
        };
        let rt = s.round_trips();
        let o = replay(&mut s, &p, Some(&alice()), &opts).await;
        let cost = s.round_trips() - rt;
        assert_eq!(cost, o.round_trips);
        assert!(o.steps.iter().all(|s| s.status == Status::Pass), "{o:#?}");
        let flags: Vec<bool> = o.steps.iter().map(|s| s.pipelined).collect();
        if pipelining {
            // STAT, LIST and UIDL in one write; TOP {first} depends on
            // STAT, and QUIT (nothing deleted) goes out with it
            assert_eq!(flags, [false, true, true, true, true, true]);
            assert!(
                conn.all_text()
                    .contains("PIPELINING: sending 3 commands in one write")
            );
            assert!(
                conn.all_text()
                    .contains("PIPELINING: sending 2 commands in one write")
            );
        } else {
            assert!(flags.iter().all(|f| !f));
        }
        costs.push(cost);
    }
    // LIST and UIDL ride with STAT, QUIT with TOP
    assert_eq!(costs[1] - costs[0], 3, "{costs:?}");
}

#[tokio::test]
async fn the_password_appears_nowhere() {
    let lab = lab(&[Scenario::Healthy]).await;
    let password = "wonderland";
    let forbidden = [
        password.to_string(),
        B64.encode(password),
        plain_initial("", "alice", password),
        B64.encode("alice"),
    ];
    for mech in [
        Some(Mechanism::User),
        Some(Mechanism::Plain),
        Some(Mechanism::Login),
        Some(Mechanism::CramMd5),
        Some(Mechanism::Apop),
        None,
    ] {
        let (mut s, conn) = tls_session(&lab, Scenario::Healthy).await;
        let opts = ReplayOptions {
            mechanism: mech,
            ..tls_opts()
        };
        let o = replay_builtin(&mut s, "full-read", Some(&alice()), &opts).await;
        assert_eq!(o.login.as_ref().unwrap().status, Status::Pass, "{mech:?}");
        let json = serde_json::to_string(&o).unwrap();
        let transcript = serde_json::to_string(&conn.rec.lines()).unwrap();
        let text = conn.all_text();
        for f in &forbidden {
            assert!(!json.contains(f.as_str()), "{mech:?}: outcome JSON has {f}");
            assert!(
                !transcript.contains(f.as_str()),
                "{mech:?}: transcript has {f}"
            );
            assert!(!text.contains(f.as_str()), "{mech:?}: transcript has {f}");
        }
        // and the secret did go on the wire, so the test tested something
        let wire = conn.written();
        match mech {
            Some(Mechanism::User) => assert!(wire.contains("PASS wonderland")),
            Some(Mechanism::Plain) => assert!(wire.contains(&forbidden[2])),
            Some(Mechanism::Login) => assert!(wire.contains(&forbidden[1])),
            _ => assert!(conn.client_lines().iter().any(|l| l.ends_with("********"))),
        }
        // a rejected login does not echo the wrong password either
        let (mut s, conn) = tls_session(&lab, Scenario::Healthy).await;
        let wrong = Credentials::password("alice", "Wr0ng-Secret!");
        let o = replay_builtin(&mut s, "basic", Some(&wrong), &opts).await;
        assert_eq!(o.login.as_ref().unwrap().status, Status::Fail);
        let json = serde_json::to_string(&o).unwrap();
        for f in ["Wr0ng-Secret!".to_string(), B64.encode("Wr0ng-Secret!")] {
            assert!(
                !json.contains(&f) && !conn.all_text().contains(&f),
                "{mech:?}"
            );
        }
    }
}

/// A CAPA reply read on this connection just before the dialogue (the
/// probe's, when the login session continues on the probe's connection)
/// answers the profile's CAPA step: not sent again, judged the same, one
/// round trip less; the login still uses the capabilities it lists.
#[tokio::test]
async fn an_earlier_capa_reply_answers_the_capa_step() {
    let lab = lab(&[Scenario::Healthy]).await;
    let (mut s, conn) = tls_session(&lab, Scenario::Healthy).await;
    let (st, body) = s.command_multiline("CAPA").await.unwrap();
    let opts = ReplayOptions {
        capa_reply: Some((st, body.expect("a CAPA list"))),
        ..tls_opts()
    };
    let o = replay_builtin(&mut s, "basic", Some(&alice()), &opts).await;
    assert!(o.steps.iter().all(|s| s.status == Status::Pass), "{o:#?}");
    assert_eq!(o.steps[0].verb, "CAPA");
    assert_eq!(
        conn.written().matches("CAPA\r\n").count(),
        1,
        "{}",
        conn.written()
    );
    // AUTH CRAM-MD5 (2), STAT+LIST+UIDL+QUIT in one write.
    assert_eq!(o.round_trips, 3, "{o:#?}");
    assert!(
        conn.all_text()
            .contains("CAPA was answered on this connection a moment ago"),
        "{}",
        conn.all_text()
    );
}
