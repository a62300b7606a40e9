//! Tests of the session against a scripted server: replies, bodies,
//! timeouts, pipelining, STLS hand-over and the transcript it records.

use super::test_peer::{Step, expect, send, spawn};
use super::*;
use crate::transcript::{Dir, LineKind, NoteKind};

const T: Duration = Duration::from_secs(5);

fn session<S: AsyncRead + AsyncWrite + Unpin>(s: S) -> (Session<S>, Recorder) {
    let rec = Recorder::detached();
    (Session::new(s, rec.clone(), T, Limits::default()), rec)
}

fn texts(rec: &Recorder) -> Vec<(Dir, String)> {
    rec.lines().into_iter().map(|l| (l.dir, l.text)).collect()
}

#[tokio::test]
async fn greeting_capa_quit() {
    let (io, peer) = spawn(vec![
        send("+OK POP3 ready <1896.697170952@dbc.mtview.ca.us>"),
        expect("CAPA"),
        send("+OK Capability list follows"),
        send("TOP"),
        send("IMPLEMENTATION Foo-2.3.1"),
        send("SASL PLAIN"),
        send("."),
        expect("QUIT"),
        send("+OK bye"),
    ]);
    let (mut s, rec) = session(io);
    let (g, took) = s.read_greeting().await.unwrap();
    assert!(g.ok && took < T);
    assert_eq!(s.round_trips(), 0);
    assert_eq!(
        s.apop_timestamp().as_deref(),
        Some("<1896.697170952@dbc.mtview.ca.us>")
    );
    let caps = s.capa().await.unwrap().unwrap();
    assert_eq!(caps.implementation().as_deref(), Some("Foo-2.3.1"));
    assert_eq!(caps.sasl(), ["PLAIN"]);
    assert!(s.quit().await.unwrap().ok);
    assert_eq!(s.round_trips(), 2);
    peer.await.unwrap();
    let t = texts(&rec);
    assert_eq!(t[1], (Dir::Client, "CAPA".into()));
    assert_eq!(t[2], (Dir::Server, "+OK Capability list follows".into()));
    assert_eq!(t[6], (Dir::Server, ".".into()));
    assert_eq!(t[7], (Dir::Client, "QUIT".into()));
    assert_eq!(t.len(), 9);
}

#[tokio::test]
async fn capa_err_is_none() {
    let (io, peer) = spawn(vec![
        send("+OK hi"),
        expect("CAPA"),
        send("-ERR unknown command"),
    ]);
    let (mut s, _) = session(io);
    s.read_greeting().await.unwrap();
    assert_eq!(s.capa().await.unwrap(), None);
    peer.await.unwrap();
}

#[tokio::test]
async fn smtp_greeting_is_named() {
    let (io, peer) = spawn(vec![send("220 mx.example.com ESMTP Postfix")]);
    let (mut s, rec) = session(io);
    let err = s.read_greeting().await.unwrap_err();
    assert_eq!(err.op(), "greeting");
    assert!(err.to_string().contains("SMTP or FTP"), "{err}");
    let t = texts(&rec);
    assert_eq!(
        t[0],
        (Dir::Server, "220 mx.example.com ESMTP Postfix".into())
    );
    assert_eq!(t[1].0, Dir::Note);
    peer.await.unwrap();
}

#[tokio::test]
async fn silent_server_times_out() {
    let (io, peer) = spawn(vec![Step::Sleep(Duration::from_millis(300))]);
    let rec = Recorder::detached();
    let mut s = Session::new(
        io,
        rec.clone(),
        Duration::from_millis(50),
        Limits::default(),
    );
    let err = s.read_greeting().await.unwrap_err();
    assert!(err.is_timeout());
    assert!(err.to_string().contains("the greeting"), "{err}");
    assert!(rec.lines()[0].text.contains("sent nothing"));
    peer.await.unwrap();
}

#[tokio::test]
async fn close_mid_line_records_partial() {
    let (io, peer) = spawn(vec![
        Step::Send(b"\x15\x03\x03\x00\x02\x02\x28".to_vec()),
        Step::Close,
    ]);
    let (mut s, rec) = session(io);
    peer.await.unwrap();
    let err = s.read_greeting().await.unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("closed the connection"), "{msg}");
    assert!(msg.contains("TLS"), "{msg}");
    assert_eq!(rec.lines()[0].text, "\\x15\\x03\\x03\\x00\\x02\\x02(");
}

#[tokio::test]
async fn tls_alert_as_greeting_is_named() {
    let (io, peer) = spawn(vec![Step::Send(b"\x15\x03\x01\x00\x02\x02\x0a".to_vec())]);
    let (mut s, _) = session(io);
    let msg = s.read_greeting().await.unwrap_err().to_string();
    assert!(msg.contains("expects TLS from the first byte"), "{msg}");
    peer.await.unwrap();
}

#[tokio::test]
async fn long_body_is_summarised_in_the_transcript() {
    let mut script = vec![send("+OK"), expect("RETR 1"), send("+OK 100 lines")];
    for i in 0..100 {
        script.push(send(&format!("line {i:02}")));
    }
    script.push(send("..dot"));
    script.push(send("."));
    let (io, peer) = spawn(script);
    let (mut s, rec) = session(io);
    s.read_greeting().await.unwrap();
    let (st, body) = s.command_multiline("RETR 1").await.unwrap();
    assert!(st.ok);
    let body = body.unwrap();
    assert_eq!(body.total_lines, 101);
    assert_eq!(body.head[100], b".dot");
    peer.await.unwrap();
    let t = texts(&rec);
    // greeting, RETR 1, +OK, 40 lines, note, "."
    assert_eq!(t.len(), 3 + SHOWN_BODY_LINES + 2);
    assert_eq!(t[3 + 39].1, "line 39");
    assert_eq!(
        t[3 + 40],
        (Dir::Note, "… 61 more lines (547 bytes) not shown".into())
    );
    assert_eq!(t[3 + 41], (Dir::Server, ".".into()));
}

#[tokio::test]
async fn capa_lines_and_short_second_read() {
    let long = format!("X-LONG {}", "a".repeat(600));
    let (io, peer) = spawn(vec![
        send("+OK"),
        expect("CAPA"),
        send("+OK"),
        send("TOP"),
        send(&long),
        send("."),
        expect("CAPA"),
        send("-ERR no"),
        Step::Sleep(Duration::from_millis(300)),
    ]);
    let (mut s, _) = session(io);
    s.read_greeting().await.unwrap();
    let (lines, over) = s.capa_lines().await.unwrap().unwrap();
    assert_eq!(lines.len(), 2);
    assert_eq!(over, 1);
    assert_eq!(s.capa_lines().await.unwrap().unwrap_err().text, "no");
    let err = s
        .read_status_within("a second answer", Duration::from_millis(30))
        .await
        .unwrap_err();
    assert!(err.is_timeout());
    assert_eq!(s.timeout(), T);
    peer.await.unwrap();
}

#[tokio::test]
async fn err_to_multiline_has_no_body() {
    let (io, peer) = spawn(vec![
        send("+OK"),
        expect("RETR 9"),
        send("-ERR no such message"),
    ]);
    let (mut s, _) = session(io);
    s.read_greeting().await.unwrap();
    let (st, body) = s.command_multiline("RETR 9").await.unwrap();
    assert!(!st.ok && body.is_none());
    peer.await.unwrap();
}

#[tokio::test]
async fn secrets_are_redacted_and_command_ok_maps_err() {
    let (io, peer) = spawn(vec![
        send("+OK"),
        expect("USER alice"),
        send("+OK"),
        expect("PASS hunter2"),
        send("-ERR [AUTH] invalid password"),
    ]);
    let (mut s, rec) = session(io);
    s.read_greeting().await.unwrap();
    s.command_ok("USER alice").await.unwrap();
    let st = s.command_secret("PASS", "PASS hunter2").await.unwrap();
    assert!(!st.ok);
    peer.await.unwrap();
    let t = texts(&rec);
    assert_eq!(t[3], (Dir::Client, "PASS ********".into()));
    assert!(!t.iter().any(|(_, l)| l.contains("hunter2")));
}

#[tokio::test]
async fn command_ok_error_names_the_command() {
    let (io, peer) = spawn(vec![
        send("+OK"),
        expect("STAT"),
        send("-ERR [SYS/TEMP] later"),
    ]);
    let (mut s, _) = session(io);
    s.read_greeting().await.unwrap();
    match s.command_ok("STAT").await {
        Err(e @ Pop3Error::ErrResponse { .. }) => {
            assert_eq!(
                e.to_string(),
                "the server refused STAT: -ERR [SYS/TEMP] later"
            );
        }
        other => panic!("{other:?}"),
    }
    peer.await.unwrap();
}

#[tokio::test]
async fn line_breaks_in_commands_are_refused() {
    let (io, peer) = spawn(vec![send("+OK"), Step::Close]);
    let (mut s, rec) = session(io);
    s.read_greeting().await.unwrap();
    let err = s.command("USER a\r\nDELE 1").await.unwrap_err();
    assert!(matches!(err, Pop3Error::Protocol { .. }));
    let err = s
        .command_secret("PASS", "PASS s3cr3t\nDELE 1")
        .await
        .unwrap_err();
    assert_eq!(err.op(), "PASS");
    assert!(!format!("{err} {err:?}").contains("s3cr3t"));
    assert_eq!(rec.lines().len(), 1);
    peer.await.unwrap();
}

#[tokio::test]
async fn pipeline_is_one_write_and_one_round_trip() {
    let (io, peer) = spawn(vec![
        send("+OK"),
        expect("STAT"),
        Step::Buffered("LIST\r\nUIDL 1\r\n".len()),
        expect("LIST"),
        expect("UIDL 1"),
        Step::Send(b"+OK 2 300\r\n+OK\r\n1 100\r\n2 200\r\n.\r\n+OK 1 abc\r\n".to_vec()),
    ]);
    let (mut s, rec) = session(io);
    s.read_greeting().await.unwrap();
    let out = s
        .pipeline(&["STAT", "LIST", "UIDL 1"], &[false, true])
        .await
        .unwrap();
    assert_eq!(out.len(), 3);
    assert_eq!(out[0].0.text, "2 300");
    assert_eq!(
        out[1].1.as_ref().unwrap().head,
        [b"1 100".to_vec(), b"2 200".to_vec()]
    );
    assert_eq!(out[2].0.text, "1 abc");
    assert!(out[2].1.is_none());
    assert_eq!(s.round_trips(), 1);
    peer.await.unwrap();
    let t = texts(&rec);
    assert_eq!(
        &t[1..4].iter().map(|x| x.1.as_str()).collect::<Vec<_>>(),
        &["STAT", "LIST", "UIDL 1"]
    );
}

#[tokio::test]
async fn every_line_carries_its_kind() {
    let (io, peer) = spawn(vec![
        send("+OK ready"),
        expect("STAT"),
        expect("LIST"),
        expect("UIDL 1"),
        Step::Send(b"+OK 2 300\r\n+OK\r\n1 100\r\n.\r\n-ERR [SYS/TEMP] busy\r\n".to_vec()),
        expect("CAPA"),
        send("+OK"),
        send("TOP"),
        send("."),
        expect("PASS x"),
        send("what?"),
    ]);
    let (mut s, rec) = session(io);
    s.read_greeting().await.unwrap();
    s.pipeline(&["STAT", "LIST", "UIDL 1"], &[false, true, false])
        .await
        .unwrap();
    s.capa().await.unwrap();
    assert!(s.command_secret("PASS", "PASS x").await.is_err());
    peer.await.unwrap();
    let reply = |to: &str, ok| LineKind::Reply {
        to: Some(to.into()),
        ok,
    };
    let kinds: Vec<LineKind> = rec.lines().into_iter().map(|l| l.kind).collect();
    assert_eq!(
        kinds,
        [
            LineKind::Greeting { ok: true },
            LineKind::command("STAT"),
            LineKind::command("LIST"),
            LineKind::command("UIDL"),
            reply("STAT", true),
            reply("LIST", true),
            LineKind::Body {
                of: Some("LIST".into())
            },
            LineKind::End {
                of: Some("LIST".into())
            },
            reply("UIDL", false),
            LineKind::command("CAPA"),
            reply("CAPA", true),
            LineKind::Capability,
            LineKind::End {
                of: Some("CAPA".into())
            },
            LineKind::command("PASS"),
            LineKind::NotPop3 { greeting: false },
            LineKind::Note(NoteKind::Problem),
        ]
    );
}

#[tokio::test]
async fn stls_leftover_bytes_are_handed_back() {
    let (io, peer) = spawn(vec![
        send("+OK"),
        expect("STLS"),
        Step::Send(b"+OK Begin TLS\r\n-ERR injected\r\n".to_vec()),
    ]);
    let (mut s, _) = session(io);
    s.read_greeting().await.unwrap();
    assert!(s.stls().await.unwrap().ok);
    peer.await.unwrap();
    let (_io, rest) = s.into_inner();
    assert_eq!(rest, b"-ERR injected\r\n");
}

#[tokio::test]
async fn starttls_injection_probe_is_one_write() {
    let (io, peer) = spawn(vec![
        send("+OK"),
        expect("STLS"),
        Step::Buffered(6),
        expect("XPSI"),
        send("+OK Begin TLS"),
        send("-ERR unknown command XPSI"),
    ]);
    let (mut s, rec) = session(io);
    s.read_greeting().await.unwrap();
    s.send_raw(b"STLS\r\nXPSI\r\n", &["STLS", "XPSI"])
        .await
        .unwrap();
    let a = s.read_status("the reply to STLS").await.unwrap();
    assert!(a.ok);
    peer.await.unwrap();
    // the server answered the injected command before the handshake
    let (_io, rest) = s.into_inner();
    assert_eq!(rest, b"-ERR unknown command XPSI\r\n");
    let t = texts(&rec);
    assert_eq!(t[1], (Dir::Client, "STLS".into()));
    assert_eq!(t[2], (Dir::Client, "XPSI".into()));
}

#[tokio::test]
async fn continuation_replies() {
    let (io, peer) = spawn(vec![
        send("+OK"),
        expect("AUTH LOGIN"),
        send("+ VXNlcm5hbWU6"),
    ]);
    let (mut s, _) = session(io);
    s.read_greeting().await.unwrap();
    s.send_line("AUTH LOGIN").await.unwrap();
    assert_eq!(
        s.read_reply("the reply to AUTH").await.unwrap(),
        Reply::Continuation(b"VXNlcm5hbWU6".to_vec())
    );
    peer.await.unwrap();
}

#[tokio::test]
async fn quit_never_fails() {
    let (io, peer) = spawn(vec![send("+OK"), Step::Close]);
    let (mut s, rec) = session(io);
    s.read_greeting().await.unwrap();
    peer.await.unwrap();
    assert_eq!(s.quit().await, None);
    assert!(
        rec.lines()
            .iter()
            .any(|l| l.text.starts_with("QUIT was not answered"))
    );

    let (io, peer) = spawn(vec![
        send("+OK"),
        expect("QUIT"),
        Step::Sleep(Duration::from_millis(400)),
    ]);
    let rec = Recorder::detached();
    let mut s = Session::new(io, rec, Duration::from_millis(100), Limits::default());
    s.read_greeting().await.unwrap();
    assert_eq!(s.quit().await, None);
    assert_eq!(s.timeout(), Duration::from_millis(100));
    peer.await.unwrap();
}

#[tokio::test]
async fn works_over_loopback_tcp() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move {
        let (sock, _) = listener.accept().await.unwrap();
        super::test_peer::run(sock, vec![send("+OK tcp"), expect("NOOP"), send("+OK")]).await
    });
    let sock = tokio::net::TcpStream::connect(addr).await.unwrap();
    let (mut s, _) = session(sock);
    assert_eq!(s.read_greeting().await.unwrap().0.text, "tcp");
    assert!(s.command("NOOP").await.unwrap().ok);
    assert_eq!(server.await.unwrap(), ["NOOP"]);
}
