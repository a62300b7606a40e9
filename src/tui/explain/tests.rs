//! Tests of the transcript explanations: every kind of line, and transcripts
//! recorded by the real session and TLS code (pipelined replies attributed to
//! their own command, a failed certificate check explained as a failure).

use std::time::Duration;

use super::*;
use crate::pop3::reader::Limits;
use crate::pop3::session::Session;
use crate::pop3::session::test_peer::{Step, expect, send, spawn};
use crate::transcript::{Dir, NoteKind, Recorder, TlsEventKind};

const T: Duration = Duration::from_secs(5);

fn session<S>(io: S) -> (Session<S>, Recorder)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    let rec = Recorder::detached();
    (Session::new(io, rec.clone(), T, Limits::default()), rec)
}

/// The explanation of the first line whose text is `text`.
fn explained(lines: &[Line], text: &str) -> String {
    let line = lines
        .iter()
        .find(|l| l.text == text)
        .unwrap_or_else(|| panic!("no line {text}"));
    explain_line(line)
}

#[test]
fn every_command_is_explained() {
    for (cmd, needle) in [
        ("USER alice", "first half"),
        ("PASS ********", "not shown"),
        ("APOP alice 0123", "MD5"),
        ("STAT", "number of messages"),
        ("LIST", "size of every message"),
        ("LIST 2", "message 2"),
        ("RETR 1", "downloads a whole message"),
        ("DELE 1", "marks a message"),
        ("NOOP", "does nothing"),
        ("RSET", "unmarks"),
        ("QUIT", "ends the session"),
        ("TOP 1 10", "preview"),
        ("UIDL", "unique id"),
        ("CAPA", "optional features"),
        ("STLS", "upgrade"),
        ("AUTH PLAIN", "base64"),
        ("AUTH XOAUTH2", "OAuth"),
        ("FOO", "not a standard"),
    ] {
        let r = Recorder::detached();
        r.client(cmd);
        let e = explain_line(&r.lines()[0]);
        assert!(e.contains(needle), "{cmd}: {e}");
    }
    let r = Recorder::detached();
    r.client_redacted("");
    let e = explain_line(&r.lines()[0]);
    assert!(e.contains("SASL continuation"), "{e}");
}

#[test]
fn response_codes() {
    for (text, needle) in [
        ("-ERR [AUTH] bad password", "credentials are wrong"),
        ("-ERR [SYS/TEMP] try later", "temporary"),
        ("-ERR [SYS/PERM] disabled", "permanent"),
        ("-ERR [IN-USE] locked", "locked"),
        ("-ERR [LOGIN-DELAY] wait", "too soon"),
        ("-ERR [FOO] x", "does not know"),
        ("-ERR nope", "reason"),
        ("+OK", "succeeded"),
    ] {
        let line = Line::new(0, Dir::Server, text).with_kind(LineKind::Reply {
            to: None,
            ok: text.starts_with("+OK"),
        });
        let e = explain_line(&line);
        assert!(e.contains(needle), "{text}: {e}");
    }
}

#[test]
fn tls_and_notes() {
    let tls = |kind, text| Line::new(0, Dir::Tls, text).with_kind(LineKind::TlsEvent(kind));
    assert!(
        explain_line(&tls(
            TlsEventKind::HandshakeStart,
            "handshake start (SNI mail.example.com)"
        ))
        .contains("ClientHello")
    );
    assert!(
        explain_line(&tls(
            TlsEventKind::Established,
            "TLSv1.3 TLS_AES_128_GCM_SHA256"
        ))
        .contains("encrypted")
    );
    assert!(
        explain_line(&tls(TlsEventKind::Certificate, "certificate CN=x"))
            .contains("trusted authority")
    );
    assert!(explain_line(&tls(TlsEventKind::Alert, "alert: unknown_ca")).contains("alert"));
    let r = Recorder::detached();
    r.note_as(NoteKind::Timeout, "read timed out after 10s");
    assert!(explain_line(&r.lines()[0]).contains("firewall"));
}

#[test]
fn lines_without_a_kind_are_not_guessed_from_their_text() {
    let line = Line::new(0, Dir::Server, "+OK 2 320");
    assert_eq!(explain_line(&line), "A line the server sent.");
    let line = Line::new(0, Dir::Tls, "verification failed: expired");
    assert!(explain_line(&line).starts_with("A TLS event"));
}

#[tokio::test]
async fn context_greeting_replies_and_bodies() {
    let (io, peer) = spawn(vec![
        send("+OK POP3 ready <1.2@lab>"),
        expect("CAPA"),
        send("+OK capability list follows"),
        send("SASL PLAIN LOGIN"),
        send("."),
        expect("STAT"),
        send("+OK 2 320"),
        expect("PASS s3cret"),
        send("-ERR [AUTH] invalid"),
    ]);
    let (mut s, rec) = session(io);
    s.read_greeting().await.unwrap();
    s.capa().await.unwrap().unwrap();
    s.command("STAT").await.unwrap();
    s.command_secret("PASS", "PASS s3cret").await.unwrap();
    peer.await.unwrap();
    let t = rec.lines();
    assert_eq!(t.len(), 9, "{t:?}");
    assert_eq!(t[7].text, "PASS ********");
    assert!(explain_at(&t, 0).contains("greeting"));
    assert!(explain_at(&t, 0).contains("APOP timestamp"));
    assert!(explain_at(&t, 1).contains("optional features"));
    assert!(explain_at(&t, 2).contains("+OK to CAPA"));
    assert!(explain_at(&t, 3).contains("SASL mechanisms accepted by AUTH: PLAIN LOGIN"));
    assert!(explain_at(&t, 4).contains("end of a multi-line"));
    assert!(explain_at(&t, 6).contains("2 message(s), 320 octets"));
    let e = explain_at(&t, 8);
    assert!(
        e.contains("login was refused") && e.contains("credentials are wrong"),
        "{e}"
    );
    assert_eq!(explain_at(&t, 99), "");
}

#[tokio::test]
async fn pipelined_replies_are_attributed_to_their_own_command() {
    let (io, peer) = spawn(vec![
        send("+OK ready"),
        expect("STAT"),
        expect("LIST"),
        expect("UIDL"),
        Step::Send(
            b"+OK 3 507\r\n+OK 3 messages:\r\n1 120\r\n2 200\r\n3 187\r\n.\r\n\
              +OK\r\n1 whqtswO00WBw418f9t5JxYwZ\r\n2 QhdPYR:00WBw1Ph7x7\r\n3 zz7\r\n.\r\n"
                .to_vec(),
        ),
    ]);
    let (mut s, rec) = session(io);
    s.read_greeting().await.unwrap();
    let replies = s
        .pipeline(&["STAT", "LIST", "UIDL"], &[false, true, true])
        .await
        .unwrap();
    assert_eq!(replies.len(), 3);
    assert_eq!(s.round_trips(), 1);
    peer.await.unwrap();
    let t = rec.lines();
    // the three commands come first, then all the replies
    assert_eq!(t[1].text, "STAT");
    assert_eq!(t[3].text, "UIDL");

    let stat = explained(&t, "+OK 3 507");
    assert!(
        stat.contains("+OK to STAT: 3 message(s), 507 octets"),
        "{stat}"
    );
    let list = explained(&t, "+OK 3 messages:");
    assert!(list.contains("+OK to LIST"), "{list}");
    let item = explained(&t, "2 200");
    assert!(item.contains("One line of the LIST answer"), "{item}");
    assert!(item.contains("(2 200)"), "{item}");
    let uidl = explained(&t, "+OK");
    assert!(uidl.contains("+OK to UIDL"), "{uidl}");
    let id = explained(&t, "3 zz7");
    assert!(id.contains("One line of the UIDL answer"), "{id}");
    let ends: Vec<String> = t
        .iter()
        .filter(|l| l.text == ".")
        .map(explain_line)
        .collect();
    assert_eq!(ends.len(), 2);
    assert!(ends.iter().all(|e| e.contains("end of a multi-line")));
}

#[tokio::test]
async fn sasl_lines_are_not_commands() {
    let (io, peer) = spawn(vec![
        send("+OK ready"),
        expect("AUTH LOGIN"),
        send("+ VXNlcm5hbWU6"),
        Step::Any,
        send("+ UGFzc3dvcmQ6"),
        Step::Any,
        send("+OK logged in"),
        expect("NOOP"),
        send("+OK"),
    ]);
    let (mut s, rec) = session(io);
    s.read_greeting().await.unwrap();
    let out = crate::pop3::auth::authenticate(
        &mut s,
        crate::pop3::auth::Mechanism::Login,
        "alice",
        &crate::pop3::auth::Secret::new("pw".to_string()),
    )
    .await
    .unwrap();
    assert!(out.ok);
    s.command("NOOP").await.unwrap();
    peer.await.unwrap();
    let t = rec.lines();
    assert!(explained(&t, "+ VXNlcm5hbWU6").contains("SASL challenge"));
    assert!(explained(&t, "********").contains("SASL continuation"));
    assert!(explained(&t, "+OK logged in").contains("SASL login succeeded"));
    // the reply to NOOP is not taken for a late answer to a SASL step
    let noop = t.last().unwrap();
    assert_eq!(
        noop.kind,
        LineKind::Reply {
            to: Some("NOOP".into()),
            ok: true
        }
    );
}

#[tokio::test]
async fn failed_certificate_check_is_explained_as_a_failure() {
    use crate::lab::testpki::{LeafSpec, Pki, ServerVersions};
    use crate::probe::tls::{HandshakeName, TlsSetup, handshake_full};

    let pki = Pki::new().unwrap();
    let setup = TlsSetup::new(Some(pki.ca_pem().as_bytes())).unwrap();
    let leaf = pki
        .issue_leaf(&LeafSpec::new(&["localhost"]).expired(3))
        .unwrap();
    let acceptor =
        tokio_rustls::TlsAcceptor::from(leaf.server_config(ServerVersions::All).unwrap());
    let (client, server) = tokio::io::duplex(64 * 1024);
    let server = tokio::spawn(async move { acceptor.accept(server).await.ok() });
    let rec = Recorder::detached();
    let name = HandshakeName::new("localhost").unwrap();
    let res = handshake_full(&setup, client, &name, T, &rec).await;
    assert!(res.is_ok_and(|(_, facts)| facts.verify_error.is_some()));
    drop(server);

    let t = rec.lines();
    let failed = t
        .iter()
        .find(|l| {
            l.text
                .starts_with("verification failed: the certificate expired")
        })
        .unwrap_or_else(|| panic!("{t:?}"));
    assert_eq!(
        failed.kind,
        LineKind::TlsEvent(TlsEventKind::VerificationFailed)
    );
    let e = explain_line(failed);
    assert!(e.contains("certificate check failed"), "{e}");
    assert!(!e.contains("The server's certificate (or one"), "{e}");
    let cert = t
        .iter()
        .find(|l| l.text.starts_with("certificate: CN=localhost"))
        .unwrap();
    assert!(explain_line(cert).contains("trusted authority"));
}

/// One line of every kind (the server text is made of numbers, POP3 words
/// and base64, so French output has no English word of its own).
fn one_line_of_every_kind() -> Vec<Line> {
    let l = |dir, text: &str, kind| Line::new(0, dir, text).with_kind(kind);
    let to = |v: &str| Some(v.to_string());
    let mut lines = vec![
        l(Dir::Client, "STAT", LineKind::Unclassified),
        l(Dir::Server, "+OK", LineKind::Unclassified),
        l(Dir::Tls, "x", LineKind::Unclassified),
        l(Dir::Note, "x", LineKind::Unclassified),
        l(Dir::Client, "RETR 1", LineKind::command("RETR 1")),
        l(Dir::Client, "AUTH PLAIN", LineKind::command("AUTH PLAIN")),
        l(Dir::Client, "XYZZY", LineKind::command("XYZZY")),
        l(
            Dir::Client,
            "********",
            LineKind::SaslResponse { redacted: true },
        ),
        l(
            Dir::Client,
            "dGVzdA==",
            LineKind::SaslResponse { redacted: false },
        ),
        l(Dir::Client, "*", LineKind::SaslCancel),
        l(Dir::Server, "+OK <1.2@h>", LineKind::Greeting { ok: true }),
        l(
            Dir::Server,
            "-ERR [SYS/TEMP]",
            LineKind::Greeting { ok: false },
        ),
        l(Dir::Server, "HTTP/1.1 400", LineKind::Greeting { ok: true }),
        l(
            Dir::Server,
            "+OK 2 320",
            LineKind::Reply {
                to: to("STAT"),
                ok: true,
            },
        ),
        l(
            Dir::Server,
            "-ERR [AUTH] 1",
            LineKind::Reply {
                to: to("PASS"),
                ok: false,
            },
        ),
        l(
            Dir::Server,
            "-ERR 42",
            LineKind::Reply {
                to: None,
                ok: false,
            },
        ),
        l(
            Dir::Server,
            "x",
            LineKind::Reply {
                to: to("USER"),
                ok: true,
            },
        ),
        l(Dir::Server, "+ ", LineKind::Challenge),
        l(Dir::Server, "1 120", LineKind::Body { of: to("LIST") }),
        l(Dir::Server, "1 a1", LineKind::Body { of: to("UIDL") }),
        l(Dir::Server, "From: a", LineKind::Body { of: to("RETR") }),
        l(Dir::Server, "x", LineKind::Body { of: None }),
        l(Dir::Server, "SASL PLAIN", LineKind::Capability),
        l(Dir::Server, ".", LineKind::End { of: to("LIST") }),
        l(Dir::Server, "x", LineKind::NotPop3 { greeting: true }),
        l(Dir::Server, "x", LineKind::NotPop3 { greeting: false }),
        l(Dir::Server, "x", LineKind::Fragment),
    ];
    for kind in [
        TlsEventKind::HandshakeStart,
        TlsEventKind::Established,
        TlsEventKind::Certificate,
        TlsEventKind::CertificateUnreadable,
        TlsEventKind::Verified,
        TlsEventKind::VerificationFailed,
        TlsEventKind::Alert,
        TlsEventKind::HandshakeFailed,
        TlsEventKind::LegacyHello,
        TlsEventKind::Other,
    ] {
        lines.push(l(Dir::Tls, "x", LineKind::TlsEvent(kind)));
    }
    for kind in [
        NoteKind::Info,
        NoteKind::Timeout,
        NoteKind::Closed,
        NoteKind::Refused,
        NoteKind::Problem,
        NoteKind::Omitted,
    ] {
        lines.push(l(Dir::Note, "x", LineKind::Note(kind)));
    }
    lines
}

#[test]
fn every_line_kind_is_explained_in_both_languages() {
    use crate::i18n::testing::english_word;
    use crate::i18n::{Lang, scoped};
    let lines = one_line_of_every_kind();
    let en: Vec<String> = scoped(Lang::En, || lines.iter().map(explain_line).collect());
    let fr: Vec<String> = scoped(Lang::Fr, || lines.iter().map(explain_line).collect());
    for ((line, en), fr) in lines.iter().zip(&en).zip(&fr) {
        assert!(!en.is_empty() && !fr.is_empty(), "{}", line.text);
        assert!(
            !en.contains("pop3-") && !fr.contains("pop3-"),
            "{en} / {fr}"
        );
        assert_ne!(en, fr, "not translated: {en}");
        if let Some(w) = english_word(fr, &["LOGIN"]) {
            panic!("English word {w:?} in French: {fr}");
        }
    }
    let stat = scoped(Lang::Fr, || explain_line(&lines[13]));
    assert_eq!(stat, "+OK à STAT\u{a0}: 2 message(s), 320 octets au total.");
}
