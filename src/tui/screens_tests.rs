//! TUI tests without a terminal: whole-screen snapshots (ratatui TestBackend)
//! of every screen, and the Elm loop driven by scripted keys and a scripted
//! runner.
//!
//! Update snapshots with `INSTA_UPDATE=always cargo test --lib tui::screens_tests`
//! and review the `.snap` files (in `src/tui/snapshots/`) by eye.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crate::config::RunConfig;
use crate::model::{
    CertInfo, Check, EndpointReport, Event, Security, Status, TlsInfo, Verification,
};
use crate::report::{self, Report, TargetInfo, Tool};
use crate::transcript::{Dir, Line, LineKind, NoteKind, TlsEventKind};
use crate::tui::Runner;
use crate::tui::form::{Field, Form};
use crate::tui::model::{Model, Overlay, Pane, RunState};
use crate::tui::runtime::{DriveOptions, drive};
use crate::tui::testing::{ScriptedRunner, Step};
use crate::tui::update::{Command, Message, init, update};
use crate::tui::view::render_to_string;
use futures::FutureExt;
use futures::future::BoxFuture;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseEvent, MouseEventKind};
use serde_json::json;
use tokio::sync::mpsc::UnboundedSender;

// ---------------------------------------------------------------- fixtures

pub(super) const PLAIN: &str = "127.0.0.1:110";
pub(super) const TLS: &str = "127.0.0.1:995";

fn config(target: &str) -> RunConfig {
    let mut f = Form::new();
    f.set(Field::Target, target);
    f.to_config().expect("valid config")
}

fn line(t_ms: u64, dir: Dir, text: &str) -> Line {
    Line::new(t_ms, dir, text)
}

fn cmd(t_ms: u64, text: &str) -> Line {
    line(t_ms, Dir::Client, text).with_kind(LineKind::command(text))
}

fn greeting(t_ms: u64, text: &str) -> Line {
    let ok = text.starts_with("+OK");
    line(t_ms, Dir::Server, text).with_kind(LineKind::Greeting { ok })
}

fn reply(t_ms: u64, to: &str, text: &str) -> Line {
    let kind = LineKind::Reply {
        to: Some(to.into()),
        ok: text.starts_with("+OK"),
    };
    line(t_ms, Dir::Server, text).with_kind(kind)
}

fn capa(t_ms: u64, text: &str) -> Line {
    line(t_ms, Dir::Server, text).with_kind(LineKind::Capability)
}

fn end(t_ms: u64, of: &str) -> Line {
    line(t_ms, Dir::Server, ".").with_kind(LineKind::End {
        of: Some(of.into()),
    })
}

fn tls(t_ms: u64, kind: TlsEventKind, text: &str) -> Line {
    line(t_ms, Dir::Tls, text).with_kind(LineKind::TlsEvent(kind))
}

fn note(t_ms: u64, kind: NoteKind, text: &str) -> Line {
    line(t_ms, Dir::Note, text).with_kind(LineKind::Note(kind))
}

fn plain_transcript() -> Vec<Line> {
    vec![
        note(0, NoteKind::Info, "connected to 127.0.0.1:110 in 1 ms"),
        greeting(2, "+OK popscope lab ready <4711.1700000000@lab.example>"),
        cmd(3, "CAPA"),
        reply(4, "CAPA", "+OK Capability list follows"),
        capa(4, "TOP"),
        capa(4, "UIDL"),
        capa(4, "STLS"),
        capa(4, "RESP-CODES"),
        end(4, "CAPA"),
        cmd(5, "STLS"),
        reply(6, "STLS", "+OK Begin TLS negotiation"),
        tls(
            7,
            TlsEventKind::HandshakeStart,
            "handshake start (SNI pop.example.com)",
        ),
        tls(
            15,
            TlsEventKind::Established,
            "TLSv1.3 TLS_AES_128_GCM_SHA256",
        ),
        tls(
            15,
            TlsEventKind::Certificate,
            "certificate CN=pop.example.com (issuer CN=popscope lab CA)",
        ),
        cmd(16, "CAPA"),
        reply(17, "CAPA", "+OK Capability list follows"),
        capa(17, "TOP"),
        capa(17, "UIDL"),
        capa(17, "USER"),
        capa(17, "SASL PLAIN LOGIN"),
        end(17, "CAPA"),
        cmd(18, "QUIT"),
        reply(19, "QUIT", "+OK bye"),
        note(19, NoteKind::Closed, "connection closed"),
    ]
}

fn tls_transcript() -> Vec<Line> {
    vec![
        note(0, NoteKind::Info, "connected to 127.0.0.1:995 in 1 ms"),
        tls(
            1,
            TlsEventKind::HandshakeStart,
            "handshake start (SNI pop.example.com)",
        ),
        tls(
            9,
            TlsEventKind::Established,
            "TLSv1.3 TLS_AES_128_GCM_SHA256",
        ),
        tls(
            9,
            TlsEventKind::Certificate,
            "certificate CN=pop.example.com (issuer CN=popscope lab CA)",
        ),
        greeting(10, "+OK popscope lab ready"),
        cmd(11, "CAPA"),
        reply(12, "CAPA", "+OK Capability list follows"),
        capa(12, "USER"),
        capa(12, "SASL PLAIN"),
        end(12, "CAPA"),
        cmd(13, "USER alice"),
        reply(13, "USER", "+OK"),
        cmd(14, "PASS ********"),
        reply(20, "PASS", "-ERR [AUTH] Authentication failed."),
        cmd(21, "QUIT"),
        reply(21, "QUIT", "+OK bye"),
    ]
}

fn tls_info(trusted: bool) -> TlsInfo {
    let leaf = CertInfo {
        subject: "CN=pop.example.com".into(),
        issuer: "CN=popscope lab CA,O=popscope".into(),
        sans: vec!["pop.example.com".into(), "mail.example.com".into()],
        not_before: "2025-01-01T00:00:00Z".into(),
        not_after: "2027-01-01T00:00:00Z".into(),
        not_before_unix: Some(1_735_689_600),
        not_after_unix: Some(1_798_761_600),
        key: "EC P-256".into(),
        signature_algorithm: "ecdsa-with-SHA256".into(),
        sha256: "5f1b7c9e0d2a4b6c8e0f1a3b5c7d9e1f2a4b6c8d0e2f4a6b8c0d2e4f6a8b0c2d".into(),
    };
    let ca = CertInfo {
        subject: "CN=popscope lab CA,O=popscope".into(),
        issuer: "CN=popscope lab CA,O=popscope".into(),
        sans: vec![],
        not_before: "2025-01-01T00:00:00Z".into(),
        not_after: "2035-01-01T00:00:00Z".into(),
        not_before_unix: Some(1_735_689_600),
        not_after_unix: Some(2_051_222_400),
        key: "EC P-256".into(),
        signature_algorithm: "ecdsa-with-SHA256".into(),
        sha256: "0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9".into(),
    };
    TlsInfo {
        version: Some("TLSv1.3".into()),
        cipher: Some("TLS_AES_128_GCM_SHA256".into()),
        sni: Some("pop.example.com".into()),
        certificates: vec![leaf, ca],
        verification: Verification {
            trusted,
            error: if trusted {
                None
            } else {
                Some("invalid peer certificate: UnknownIssuer".into())
            },
        },
    }
}

pub(super) fn ck(
    id: &str,
    status: Status,
    ep: Option<&str>,
    summary: &str,
    ms: Option<u64>,
) -> Check {
    let mut c = Check::new(
        id.parse().expect("a check id"),
        status,
        ep.map(str::to_string),
        summary,
    );
    c.duration_ms = ms;
    c
}

fn pass_checks() -> Vec<Check> {
    vec![
        ck(
            "dns.resolve",
            Status::Pass,
            None,
            "pop.example.com resolves to 127.0.0.1",
            Some(3),
        )
        .data(json!({"host": "pop.example.com", "a": ["127.0.0.1"], "aaaa": []})),
        ck(
            "tcp.connect",
            Status::Pass,
            Some(PLAIN),
            "connected in 1 ms",
            Some(1),
        ),
        ck(
            "pop3.greeting",
            Status::Pass,
            Some(PLAIN),
            "+OK greeting in 2 ms",
            Some(2),
        ),
        ck(
            "pop3.capa",
            Status::Pass,
            Some(PLAIN),
            "CAPA: TOP, UIDL, STLS, RESP-CODES",
            Some(1),
        ),
        ck(
            "auth.cleartext",
            Status::Pass,
            Some(PLAIN),
            "no login offered before TLS",
            None,
        ),
        ck(
            "tls.stls",
            Status::Pass,
            Some(PLAIN),
            "STLS offered and the upgrade to TLS succeeded",
            Some(10),
        ),
        ck(
            "tls.stls-injection",
            Status::Pass,
            Some(PLAIN),
            "plaintext sent together with STLS was not answered inside TLS",
            None,
        ),
        ck(
            "tcp.connect",
            Status::Pass,
            Some(TLS),
            "connected in 1 ms",
            Some(1),
        ),
        ck(
            "tls.handshake",
            Status::Pass,
            Some(TLS),
            "handshake completed in 8 ms",
            Some(8),
        ),
        ck(
            "tls.protocol",
            Status::Pass,
            Some(TLS),
            "TLSv1.3 with TLS_AES_128_GCM_SHA256",
            None,
        ),
        ck(
            "tls.chain",
            Status::Pass,
            Some(TLS),
            "chain trusted (issued by CN=popscope lab CA,O=popscope)",
            None,
        )
        .data(json!({"trusted": true, "error": null, "depth": 2})),
        ck(
            "tls.hostname",
            Status::Pass,
            Some(TLS),
            "certificate valid for pop.example.com (DNS name)",
            None,
        ),
        ck(
            "tls.expiry",
            Status::Pass,
            Some(TLS),
            "valid until 2027-01-01 (400 days left)",
            None,
        ),
        ck("tls.key", Status::Pass, Some(TLS), "EC 256-bit key", None),
        ck(
            "pop3.greeting",
            Status::Pass,
            Some(TLS),
            "+OK greeting in 1 ms",
            Some(1),
        ),
        ck(
            "pop3.capa",
            Status::Pass,
            Some(TLS),
            "CAPA: USER, SASL PLAIN",
            Some(1),
        ),
    ]
}

fn endpoints(trusted: bool) -> Vec<EndpointReport> {
    vec![
        EndpointReport {
            address: "127.0.0.1".into(),
            port: 110,
            security: Security::Starttls,
            connect_ms: Some(1),
            greeting: Some("+OK popscope lab ready <4711.1700000000@lab.example>".into()),
            capabilities: vec![
                "TOP".into(),
                "UIDL".into(),
                "USER".into(),
                "SASL PLAIN LOGIN".into(),
            ],
            capabilities_before_tls: Some(vec!["TOP".into(), "UIDL".into(), "STLS".into()]),
            tls: Some(tls_info(trusted)),
            round_trips: 0,
            transcript: plain_transcript(),
        },
        EndpointReport {
            address: "127.0.0.1".into(),
            port: 995,
            security: Security::ImplicitTls,
            connect_ms: Some(1),
            greeting: Some("+OK popscope lab ready".into()),
            capabilities: vec!["USER".into(), "SASL PLAIN".into()],
            capabilities_before_tls: None,
            tls: Some(tls_info(trusted)),
            round_trips: 0,
            transcript: tls_transcript(),
        },
    ]
}

fn make_report(checks: Vec<Check>, endpoints: Vec<EndpointReport>) -> Report {
    let (verdict, summary) = report::summarize(&checks);
    Report {
        schema: report::SCHEMA,
        tool: Tool {
            name: "popscope",
            version: "0.0.0-test",
        },
        target: TargetInfo {
            input: "pop.example.com".into(),
            host: "pop.example.com".into(),
            kind: "host".into(),
            user: None,
        },
        started_at: "2025-06-01T12:00:00Z".into(),
        duration_ms: 42,
        verdict,
        summary,
        checks,
        endpoints,
        dialogue: None,
        diagnosis: Default::default(),
    }
}

pub(super) fn pass_report() -> Report {
    make_report(pass_checks(), endpoints(true))
}

pub(super) fn warn_report() -> Report {
    let mut checks = pass_checks();
    for c in &mut checks {
        if c.id == crate::model::CheckId::TlsExpiry {
            *c = ck("tls.expiry", Status::Warn, Some(TLS), "certificate expires in 9 days (2025-06-10)", None)
                .remedy("Renew the certificate soon; check that automatic renewal works.")
                .data(json!({"not_before": "2025-01-01T00:00:00Z", "not_after": "2025-06-10T00:00:00Z", "days_left": 9}));
        }
        if c.id == crate::model::CheckId::Pop3Greeting && c.endpoint.as_deref() == Some(PLAIN) {
            *c = ck("pop3.greeting", Status::Warn, Some(PLAIN), "greeting took 3100 ms (slower than 2000 ms)", Some(3100))
                .detail("Slow greetings usually come from reverse-DNS lookups of the client address on connect.")
                .remedy("Disable reverse-DNS lookups on connect, or fix the resolver the server uses.");
        }
    }
    make_report(checks, endpoints(true))
}

pub(super) fn fail_report() -> Report {
    let mut checks = pass_checks();
    for c in &mut checks {
        if c.id == crate::model::CheckId::TlsChain {
            *c = ck("tls.chain", Status::Fail, Some(TLS), "self-signed certificate: no client will trust it", None)
                .detail("The certificate (CN=popscope lab CA,O=popscope) is its own issuer.")
                .remedy("Install a certificate from a public CA (e.g. Let's Encrypt). For a private CA, give its certificate to clients (popscope: --ca-file).")
                .data(json!({"trusted": false, "error": "invalid peer certificate: UnknownIssuer", "depth": 2}));
        }
    }
    checks.push(
        ck(
            "auth.login",
            Status::Fail,
            Some(TLS),
            "login refused: -ERR [AUTH] Authentication failed.",
            Some(6),
        )
        .remedy("Check the user name and password."),
    );
    make_report(checks, endpoints(false))
}

/// The events a run streams before its report: every check starts, some finish.
pub(super) fn live_events(upto: usize) -> Vec<Event> {
    let mut ev = vec![
        Event::Endpoint {
            endpoint: PLAIN.into(),
            security: Security::Plain,
        },
        Event::Endpoint {
            endpoint: TLS.into(),
            security: Security::ImplicitTls,
        },
    ];
    let checks = pass_checks();
    for c in &checks {
        ev.push(Event::CheckStarted {
            id: c.id,
            endpoint: c.endpoint.clone(),
        });
    }
    for c in checks.iter().take(upto) {
        ev.push(Event::CheckFinished(c.clone()));
    }
    for l in plain_transcript().into_iter().take(12) {
        ev.push(Event::Transcript {
            endpoint: Some(PLAIN.into()),
            line: l,
        });
    }
    for l in tls_transcript().into_iter().take(5) {
        ev.push(Event::Transcript {
            endpoint: Some(TLS.into()),
            line: l,
        });
    }
    ev
}

// ---------------------------------------------------------------- helpers

pub(super) fn key(code: KeyCode) -> Message {
    Message::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

pub(super) fn keys(model: &mut Model, codes: &[KeyCode]) -> Vec<Command> {
    let mut out = Vec::new();
    for c in codes {
        out.extend(update(model, key(*c)));
    }
    out
}

pub(super) fn started(w: u16, h: u16) -> Model {
    let mut m = Model::new(w, h);
    let cmds = init(&mut m, Some(config("pop.example.com")));
    assert!(matches!(cmds.as_slice(), [Command::Start { run: 1, .. }]));
    m
}

pub(super) fn engine(m: &mut Model, events: Vec<Event>) {
    let run = m.run_id;
    for event in events {
        update(m, Message::Engine { run, event });
    }
}

pub(super) fn finished(w: u16, h: u16, report: Report) -> Model {
    let mut m = started(w, h);
    engine(&mut m, live_events(5));
    let run = m.run_id;
    update(
        &mut m,
        Message::Finished {
            run,
            result: Ok(report),
        },
    );
    m
}

pub(super) fn select_check(m: &mut Model, id: &str, ep: Option<&str>) {
    let i = m
        .checks
        .iter()
        .position(|r| r.id.to_string() == id && r.endpoint.as_deref() == ep)
        .expect("check present");
    keys(m, &[KeyCode::Home]);
    for _ in 0..i {
        keys(m, &[KeyCode::Down]);
    }
    assert_eq!(m.check_sel, i);
}

// ---------------------------------------------------------------- snapshots

#[test]
fn screen_running() {
    let mut m = started(80, 24);
    engine(&mut m, live_events(5));
    for _ in 0..3 {
        update(&mut m, Message::Tick);
    }
    insta::assert_snapshot!("running_80x24", render_to_string(&m, 80, 24));
}

#[test]
fn screen_pass() {
    let m = finished(80, 24, pass_report());
    assert_eq!(m.state, RunState::Done);
    assert_eq!(m.exit_code(), 0);
    insta::assert_snapshot!("pass_80x24", render_to_string(&m, 80, 24));
}

#[test]
fn screen_warn() {
    let mut m = finished(100, 30, warn_report());
    assert_eq!(m.exit_code(), 1);
    select_check(&mut m, "tls.expiry", Some(TLS));
    insta::assert_snapshot!("warn_100x30", render_to_string(&m, 100, 30));
}

#[test]
fn screen_fail() {
    let mut m = finished(100, 30, fail_report());
    assert_eq!(m.exit_code(), 2);
    select_check(&mut m, "tls.chain", Some(TLS));
    insta::assert_snapshot!("fail_100x30", render_to_string(&m, 100, 30));
}

#[test]
fn screen_help() {
    let mut m = finished(80, 24, pass_report());
    keys(&mut m, &[KeyCode::Char('?')]);
    assert_eq!(m.overlay, Overlay::Help);
    insta::assert_snapshot!("help_80x24", render_to_string(&m, 80, 24));
    keys(&mut m, &[KeyCode::Char('x')]);
    assert_eq!(m.overlay, Overlay::None);
    assert!(!m.quit, "closing help does not quit");
}

#[test]
fn screen_certificate_details() {
    let mut m = finished(120, 40, fail_report());
    select_check(&mut m, "tls.chain", Some(TLS));
    // Shift-Tab goes straight to the details of the selected check (Tab would
    // pass through the transcript, and the details would follow it)
    keys(&mut m, &[KeyCode::BackTab]);
    assert_eq!(m.focus, Pane::Details);
    assert_eq!(m.details_for, Pane::Checks);
    keys(&mut m, &[KeyCode::PageDown]);
    insta::assert_snapshot!("cert_details_120x40", render_to_string(&m, 120, 40));
}

#[test]
fn screen_transcript_line_explained() {
    let mut m = finished(80, 24, fail_report());
    keys(&mut m, &[KeyCode::Tab, KeyCode::Right]);
    assert_eq!(m.focus, Pane::Transcript);
    assert_eq!(m.tab_sel, 1);
    // the -ERR [AUTH] line is near the end of the 995 transcript
    keys(&mut m, &[KeyCode::End, KeyCode::Up, KeyCode::Up]);
    insta::assert_snapshot!("transcript_line_80x24", render_to_string(&m, 80, 24));
}

#[test]
fn screen_small_terminal() {
    let m = finished(50, 12, pass_report());
    let s = render_to_string(&m, 50, 12);
    assert!(s.contains("terminal too small"));
    insta::assert_snapshot!("small_50x12", s);
}

#[test]
fn screen_form_masks_the_password() {
    let mut m = Model::new(80, 24);
    init(&mut m, None);
    assert_eq!(m.overlay, Overlay::Form);
    for c in "pop.example.com".chars() {
        update(&mut m, key(KeyCode::Char(c)));
    }
    keys(&mut m, &[KeyCode::Tab, KeyCode::Tab, KeyCode::Tab]);
    for c in "alice".chars() {
        update(&mut m, key(KeyCode::Char(c)));
    }
    keys(&mut m, &[KeyCode::Tab]);
    for c in "s3cret-pw".chars() {
        update(&mut m, key(KeyCode::Char(c)));
    }
    let s = render_to_string(&m, 80, 24);
    assert!(!s.contains("s3cret"), "password shown:\n{s}");
    assert!(!format!("{m:?}").contains("s3cret"), "password in Debug");
    insta::assert_snapshot!("form_80x24", s);
}

#[test]
fn screen_form_error() {
    let mut m = Model::new(80, 24);
    init(&mut m, None);
    for c in "pop.example.com:99999".chars() {
        update(&mut m, key(KeyCode::Char(c)));
    }
    let cmds = keys(&mut m, &[KeyCode::Enter]);
    assert!(cmds.is_empty());
    assert!(m.form.error.is_some());
    insta::assert_snapshot!("form_error_80x24", render_to_string(&m, 80, 24));
}

#[test]
fn screen_runner_error() {
    let mut m = started(80, 24);
    engine(&mut m, live_events(2));
    let run = m.run_id;
    update(
        &mut m,
        Message::Finished {
            run,
            result: Err("cannot start the prober: no DNS servers".into()),
        },
    );
    assert!(matches!(m.state, RunState::Failed(_)));
    assert_eq!(m.exit_code(), 0);
    insta::assert_snapshot!("runner_error_80x24", render_to_string(&m, 80, 24));
}

// ---------------------------------------------------------------- update rules

#[test]
fn check_finished_upserts_and_report_replaces() {
    let mut m = started(80, 24);
    engine(&mut m, live_events(0));
    let n = m.checks.len();
    assert!(m.checks.iter().all(|r| r.check.is_none()));
    engine(&mut m, live_events(3));
    assert_eq!(
        m.checks.len(),
        n,
        "finished checks replace their started rows"
    );
    assert_eq!(m.progress(), (3, n));
    let run = m.run_id;
    update(
        &mut m,
        Message::Finished {
            run,
            result: Ok(fail_report()),
        },
    );
    assert_eq!(m.checks.len(), fail_report().checks.len());
    assert!(m.checks.iter().all(|r| r.check.is_some()));
}

#[test]
fn stale_events_of_an_older_run_are_ignored() {
    let mut m = started(80, 24);
    let old = m.run_id;
    keys(&mut m, &[KeyCode::Char('r')]);
    assert_eq!(m.run_id, old + 1);
    update(
        &mut m,
        Message::Engine {
            run: old,
            event: Event::CheckStarted {
                id: crate::model::CheckId::DnsResolve,
                endpoint: None,
            },
        },
    );
    update(
        &mut m,
        Message::Finished {
            run: old,
            result: Ok(fail_report()),
        },
    );
    assert!(m.checks.is_empty());
    assert!(m.is_running());
}

#[test]
fn transcript_follows_at_the_bottom_only() {
    let mut m = started(80, 24);
    engine(&mut m, live_events(0));
    keys(&mut m, &[KeyCode::Tab]);
    let len = m.tabs[0].lines.len();
    assert_eq!(m.tabs[0].selected, len - 1, "follows while at the bottom");
    keys(&mut m, &[KeyCode::Home]);
    assert!(!m.tabs[0].follow);
    engine(
        &mut m,
        vec![Event::Transcript {
            endpoint: Some(PLAIN.into()),
            line: line(99, Dir::Client, "NOOP"),
        }],
    );
    assert_eq!(m.tabs[0].selected, 0, "paused view stays put");
    keys(&mut m, &[KeyCode::End]);
    assert!(m.tabs[0].follow);
    engine(
        &mut m,
        vec![Event::Transcript {
            endpoint: Some(PLAIN.into()),
            line: line(100, Dir::Server, "+OK"),
        }],
    );
    assert_eq!(m.tabs[0].selected, m.tabs[0].lines.len() - 1);
}

#[test]
fn lines_without_endpoint_get_a_general_tab() {
    let mut m = started(80, 24);
    engine(
        &mut m,
        vec![Event::Transcript {
            endpoint: None,
            line: line(0, Dir::Note, "resolving pop.example.com"),
        }],
    );
    assert_eq!(m.tabs[0].label, "target");
}

#[test]
fn save_requires_a_report_and_names_the_file() {
    let mut m = started(80, 24);
    assert!(keys(&mut m, &[KeyCode::Char('j')]).is_empty());
    assert!(m.notice.as_ref().is_some_and(|n| n.error));
    let mut m = finished(80, 24, pass_report());
    let cmds = keys(&mut m, &[KeyCode::Char('j'), KeyCode::Char('s')]);
    let names: Vec<&str> = cmds
        .iter()
        .map(|c| match c {
            Command::Save { file_name, .. } => file_name.as_str(),
            other => panic!("unexpected {other:?}"),
        })
        .collect();
    assert_eq!(
        names,
        [
            "popscope-pop.example.com-20250601120000.json",
            "popscope-pop.example.com-20250601120000.txt"
        ]
    );
    update(
        &mut m,
        Message::Saved {
            format: "JSON",
            result: Ok("/tmp/x.json".into()),
        },
    );
    assert!(render_to_string(&m, 80, 24).contains("saved the JSON report to /tmp/x.json"));
}

#[test]
fn keys_move_focus_tabs_and_quit() {
    let mut m = finished(80, 24, pass_report());
    assert_eq!(m.focus, Pane::Checks);
    keys(&mut m, &[KeyCode::BackTab]);
    assert_eq!(m.focus, Pane::Details);
    keys(&mut m, &[KeyCode::Tab]);
    assert_eq!(m.focus, Pane::Checks);
    select_check(&mut m, "tls.chain", Some(TLS));
    keys(&mut m, &[KeyCode::Enter]);
    assert_eq!(m.focus, Pane::Transcript);
    assert_eq!(m.tabs[m.tab_sel].label, TLS);
    keys(&mut m, &[KeyCode::Char('1')]);
    assert_eq!(m.tab_sel, 0);
    keys(&mut m, &[KeyCode::Left]);
    assert_eq!(m.tab_sel, 0);
    keys(&mut m, &[KeyCode::PageDown, KeyCode::PageUp, KeyCode::Home]);
    assert_eq!(m.tabs[0].selected, 0);
    update(
        &mut m,
        Message::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)),
    );
    assert!(m.quit);
    let mut m = finished(80, 24, pass_report());
    keys(&mut m, &[KeyCode::Char('q')]);
    assert!(m.quit);
}

#[test]
fn mouse_wheel_scrolls_the_pane_under_the_pointer() {
    let mut m = finished(80, 24, pass_report());
    let wheel = |kind, column, row| {
        Message::Mouse(MouseEvent {
            kind,
            column,
            row,
            modifiers: KeyModifiers::NONE,
        })
    };
    // checks pane is at the top
    update(&mut m, wheel(MouseEventKind::ScrollDown, 10, 5));
    assert_eq!(m.check_offset, 3);
    update(&mut m, wheel(MouseEventKind::ScrollUp, 10, 5));
    assert_eq!(m.check_offset, 0);
    // transcript pane is bottom-left
    update(&mut m, wheel(MouseEventKind::ScrollUp, 5, 20));
    assert!(!m.tabs[0].follow);
    for _ in 0..10 {
        update(&mut m, wheel(MouseEventKind::ScrollDown, 5, 20));
    }
    assert!(m.tabs[0].follow);
    // a click on a check row selects it
    update(
        &mut m,
        wheel(
            MouseEventKind::Down(ratatui::crossterm::event::MouseButton::Left),
            10,
            5,
        ),
    );
    assert_eq!(m.check_sel, 2);
}

#[test]
fn resize_reflows() {
    let mut m = finished(80, 24, pass_report());
    keys(&mut m, &[KeyCode::End]);
    update(&mut m, Message::Resize(160, 50));
    let wide = render_to_string(&m, 160, 50);
    assert!(wide.contains("Details"));
    update(&mut m, Message::Resize(40, 10));
    assert!(render_to_string(&m, 40, 10).contains("too small"));
}

#[test]
fn engine_text_is_sanitised_again() {
    let mut m = started(80, 24);
    engine(
        &mut m,
        vec![Event::CheckFinished(ck(
            "pop3.greeting",
            Status::Fail,
            Some(PLAIN),
            "evil \u{1b}[31mred\u{7}",
            None,
        ))],
    );
    let s = render_to_string(&m, 80, 24);
    assert!(s.contains("evil \\x1b[31mred\\x07"), "{s}");
}

// ---------------------------------------------------------------- the loop
//
// These run on tokio's paused clock: virtual time only moves when every task
// is idle, so "300 ms later" means "after everything already started has
// run", however loaded the machine is. Where a test can observe what it waits
// for (a file, a started run, a dropped future), it waits for that instead.

/// What the scripted "user" does next.
#[allow(clippy::large_enum_variant)] // a short script in a test
enum Act {
    /// Send this message.
    Send(Message),
    /// Let this much virtual time pass (everything runnable runs first).
    Idle(u64),
    /// Wait (real-time deadline) until the condition holds.
    Until(&'static str, Box<dyn Fn() -> bool + Send + Sync>),
    /// Keep yielding for this many real milliseconds (virtual time stands
    /// still), so messages from blocking threads are processed.
    Settle(u64),
}

/// Waits until `cond` holds, yielding to the other tasks, with a deadline in
/// real time: what it waits for (reports written by blocking threads) happens
/// outside tokio's paused clock, which would otherwise race ahead while the
/// runtime has nothing to run. Virtual time stands still meanwhile, because
/// this task is always runnable.
async fn until(what: &str, cond: impl Fn() -> bool + Send + Sync) {
    let start = std::time::Instant::now();
    while !cond() {
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "timed out waiting for {what}"
        );
        tokio::task::yield_now().await;
        std::thread::sleep(Duration::from_millis(1));
    }
}

fn play(tx: UnboundedSender<Message>, script: Vec<Act>) {
    tokio::spawn(async move {
        for act in script {
            match act {
                Act::Send(msg) => {
                    if tx.send(msg).is_err() {
                        return;
                    }
                }
                Act::Idle(ms) => tokio::time::sleep(Duration::from_millis(ms)).await,
                Act::Until(what, cond) => until(what, cond).await,
                Act::Settle(ms) => {
                    let start = std::time::Instant::now();
                    until("the settling time", move || {
                        start.elapsed() >= Duration::from_millis(ms)
                    })
                    .await
                }
            }
        }
    });
}

fn files_in(dir: &std::path::Path) -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    files
}

#[tokio::test(start_paused = true)]
async fn loop_runs_saves_and_exits_with_the_verdict() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut steps: Vec<Step> = live_events(16).into_iter().map(Step::Event).collect();
    steps.insert(3, Step::Sleep(Duration::from_millis(30)));
    let runner = ScriptedRunner::new(steps, fail_report());
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let saved_to = dir.path().to_path_buf();
    let json_dir = dir.path().to_path_buf();
    play(
        tx,
        vec![
            // the scripted diagnosis (30 ms of virtual network) is over
            Act::Idle(300),
            // one save at a time: the two writers run on their own threads
            // and could otherwise finish in either order
            Act::Send(key(KeyCode::Char('j'))),
            Act::Until(
                "the JSON report saved",
                Box::new(move || files_in(&json_dir).len() == 1),
            ),
            Act::Settle(300),
            Act::Send(key(KeyCode::Char('s'))),
            Act::Until(
                "both reports saved",
                Box::new(move || files_in(&saved_to).len() == 2),
            ),
            // the "saved" notices (sent by the blocking writers right after
            // the files) are drawn before the loop reads the key
            Act::Settle(500),
            Act::Idle(300),
            Act::Send(key(KeyCode::Char('q'))),
        ],
    );
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
    let opts = DriveOptions {
        save_dir: dir.path().to_path_buf(),
        tick: Duration::from_millis(100),
        ..DriveOptions::default()
    };
    let code = tokio::time::timeout(
        Duration::from_secs(10),
        drive(
            &mut terminal,
            Arc::new(runner.clone()),
            Some(config("pop.example.com")),
            rx,
            &opts,
        ),
    )
    .await
    .expect("loop ends")
    .expect("loop ok");
    assert_eq!(code, 2, "exit code is the fail verdict");
    assert_eq!(runner.started().len(), 1);
    let files = files_in(dir.path());
    assert_eq!(
        files,
        [
            "popscope-pop.example.com-20250601120000.json",
            "popscope-pop.example.com-20250601120000.txt"
        ]
    );
    let json = std::fs::read_to_string(dir.path().join(&files[0])).expect("json");
    assert!(json.contains("popscope.report/v1"));
    let screen = crate::tui::view::buffer_to_string(terminal.backend().buffer());
    assert!(screen.contains("saved the text report to"), "{screen}");
}

#[tokio::test(start_paused = true)]
async fn loop_opens_the_form_and_starts_what_was_typed() {
    let runner = ScriptedRunner::new(vec![], pass_report());
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let mut script: Vec<Act> = "127.0.0.1"
        .chars()
        .map(|c| Act::Send(key(KeyCode::Char(c))))
        .collect();
    script.push(Act::Send(key(KeyCode::Enter)));
    let seen = runner.clone();
    script.push(Act::Until(
        "the diagnosis to start",
        Box::new(move || seen.started().len() == 1),
    ));
    script.push(Act::Idle(300));
    script.push(Act::Send(key(KeyCode::Char('q'))));
    play(tx, script);
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
    let code = tokio::time::timeout(
        Duration::from_secs(10),
        drive(
            &mut terminal,
            Arc::new(runner.clone()),
            None,
            rx,
            &DriveOptions::default(),
        ),
    )
    .await
    .expect("loop ends")
    .expect("loop ok");
    assert_eq!(code, 0);
    let started = runner.started();
    assert_eq!(started.len(), 1);
    assert_eq!(started[0].target.input, "127.0.0.1");
}

/// A runner whose diagnosis never ends, and says when it is dropped.
struct Hanging(Arc<AtomicBool>);

struct SetOnDrop(Arc<AtomicBool>);

impl Drop for SetOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

impl Runner for Hanging {
    fn start(
        &self,
        _cfg: RunConfig,
        events: UnboundedSender<Event>,
    ) -> BoxFuture<'static, anyhow::Result<Report>> {
        let guard = SetOnDrop(self.0.clone());
        async move {
            let _guard = guard;
            let _ = events.send(Event::CheckStarted {
                id: crate::model::CheckId::TcpConnect,
                endpoint: Some(TLS.into()),
            });
            std::future::pending::<anyhow::Result<Report>>().await
        }
        .boxed()
    }
}

#[tokio::test(start_paused = true)]
async fn quitting_cancels_a_running_diagnosis_and_input_close_quits() {
    let dropped = Arc::new(AtomicBool::new(false));
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    play(tx, vec![Act::Idle(200), Act::Send(Message::Quit)]);
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
    let code = tokio::time::timeout(
        Duration::from_secs(10),
        drive(
            &mut terminal,
            Arc::new(Hanging(dropped.clone())),
            Some(config("pop.example.com")),
            rx,
            &DriveOptions::default(),
        ),
    )
    .await
    .expect("loop ends")
    .expect("loop ok");
    assert_eq!(code, 0);
    let screen = crate::tui::view::buffer_to_string(terminal.backend().buffer());
    assert!(screen.contains("RUNNING"), "{screen}");
    // The aborted task drops the future when the scheduler next runs it.
    until("the diagnosis future to be dropped", || {
        dropped.load(Ordering::SeqCst)
    })
    .await;
}
