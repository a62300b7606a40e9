//! TUI tests of the diagnosis (issue 9): the header naming the top cause,
//! the selection starting on the first problem, the Diagnosis overlay (`d`),
//! the certificate fingerprints, and a sweep over every screen that no Rust
//! Debug text or raw control character reaches the terminal.
//!
//! Update snapshots with `INSTA_UPDATE=always cargo test --lib tui::diagnosis_tests`
//! and review the `.snap` files (in `src/tui/snapshots/`) by eye.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::text::Line as TLine;

use crate::diagnosis::{Cause, CauseId, CheckRef, ClientSecurity, ClientSetting, ServerInfo};
use crate::model::{CheckId, Status};
use crate::report::Report;
use crate::tui::model::{Model, Overlay, Pane, RunState};
use crate::tui::screens_tests::{
    PLAIN, TLS, fail_report, finished, keys, live_events, pass_report, select_check, started,
    warn_report,
};
use crate::tui::update::{Message, diagnosis_hint, update};
use crate::tui::view::{details_lines, diagnosis_lines, render_to_string};

// ---------------------------------------------------------------- fixtures

fn check_ref(id: &str, ep: Option<&str>) -> CheckRef {
    CheckRef {
        id: id.parse().expect("a check id"),
        endpoint: ep.map(str::to_string),
    }
}

fn self_signed() -> Cause {
    Cause {
        id: CauseId::CertSelfSigned,
        status: Status::Fail,
        summary: "The server's certificate is self-signed, so no mail client trusts it.".into(),
        explains: vec![check_ref("tls.chain", Some(TLS))],
        client_fix: "Until the server is fixed, accept the certificate once in the mail \
                     client, after comparing its SHA-256 fingerprint with the one the mail \
                     administrator reads on the server."
            .into(),
        server_fix: "Install a certificate from a public CA (for example Let's Encrypt) \
                     with its intermediate certificates."
            .into(),
    }
}

fn auth_rejected() -> Cause {
    Cause {
        id: CauseId::AuthRejected,
        status: Status::Fail,
        summary: "The server refused the user name or the password.".into(),
        explains: vec![check_ref("auth.login", Some(TLS))],
        client_fix: "Type the password again; check the user name form (full address or \
                     local part)."
            .into(),
        server_fix: "Check that the account exists and is not disabled.".into(),
    }
}

/// A failing run that nothing in a mail client can fix: two causes (one
/// listed twice, to show it once), no working settings, unknown server.
fn nothing_works_report() -> Report {
    let mut r = fail_report();
    r.diagnosis.causes = vec![self_signed(), auth_rejected(), auth_rejected()];
    r.diagnosis.client_settings = vec![];
    r.diagnosis.server = None;
    r
}

/// A warning run with two causes, working settings and an identified server.
fn settings_report() -> Report {
    let mut r = warn_report();
    r.diagnosis.causes = vec![
        Cause {
            id: CauseId::CertExpiring,
            status: Status::Warn,
            summary: "The certificate expires in 9 days (2025-06-10).".into(),
            explains: vec![check_ref("tls.expiry", Some(TLS))],
            client_fix: String::new(),
            server_fix: "Renew the certificate now and check that automatic renewal \
                         works. Dovecot 2.3: ssl_cert = </etc/ssl/pop.pem (2.4: \
                         ssl_server_cert_file = /etc/ssl/pop.pem), then reload Dovecot."
                .into(),
        },
        Cause {
            id: CauseId::ServerSlow,
            status: Status::Warn,
            summary: "The server takes 3.1 s to greet on port 110.".into(),
            explains: vec![check_ref("pop3.greeting", Some(PLAIN))],
            client_fix: "Use port 995 (SSL/TLS), which answers at once.".into(),
            server_fix: "Disable reverse-DNS lookups of client addresses on connect.".into(),
        },
    ];
    r.diagnosis.client_settings = vec![
        ClientSetting {
            host: "pop.example.com".into(),
            port: 995,
            security: ClientSecurity::SslTls,
            auth: "normal password".into(),
            user: Some("alice".into()),
            note: None,
        },
        ClientSetting {
            host: "mail.example.com".into(),
            port: 110,
            security: ClientSecurity::Starttls,
            auth: "encrypted password".into(),
            user: Some("alice".into()),
            note: Some(
                "the certificate is for mail.example.com, at the same address as \
                 pop.example.com: type that name"
                    .into(),
            ),
        },
    ];
    r.diagnosis.server = Some(ServerInfo {
        software: "Dovecot".into(),
        version: Some("2.3.21".into()),
        evidence: "greeting".into(),
    });
    r
}

fn row_of(m: &Model, id: &str, ep: Option<&str>) -> usize {
    m.checks
        .iter()
        .position(|r| r.id.to_string() == id && r.endpoint.as_deref() == ep)
        .expect("check present")
}

fn ctrl(c: char) -> Message {
    Message::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

// ---------------------------------------------------------------- snapshots

#[test]
fn screen_header_names_the_top_cause() {
    let m = finished(100, 30, nothing_works_report());
    let s = render_to_string(&m, 100, 30);
    let header = s.lines().next().expect("a header line");
    assert!(
        header.contains("✖ FAIL  The server's certificate is self-signed"),
        "{header}"
    );
    assert!(header.contains("+1 more (d)"), "each cause once: {header}");
    assert!(header.trim_end().ends_with("+1 more (d)"), "{header}");
    assert!(s.contains("press d for the diagnosis"), "{s}");
    assert_eq!(m.check_sel, row_of(&m, "tls.chain", Some(TLS)));
    assert_eq!(m.overlay, Overlay::None, "the checks view stays");
    insta::assert_snapshot!("header_top_cause_100x30", s);
}

#[test]
fn header_cuts_a_long_cause_to_the_width() {
    let mut r = nothing_works_report();
    r.diagnosis.causes[0].summary = format!("{} \u{1b}[31m", "very long ".repeat(20));
    let m = finished(80, 24, r);
    let s = render_to_string(&m, 80, 24);
    let header = s.lines().next().expect("a header line");
    assert!(header.contains("very long very"), "{header}");
    assert!(header.contains('…'), "{header}");
    assert_eq!(header.chars().count(), 80, "{header}");
    assert!(header.contains("long…"), "{header}");
    assert!(header.ends_with("+1 more (d)"), "{header}");
    assert!(!s.contains('\u{1b}'));
}

#[test]
fn header_shows_progress_while_running() {
    let mut m = started(80, 24);
    crate::tui::screens_tests::engine(&mut m, live_events(5));
    let s = render_to_string(&m, 80, 24);
    assert!(s.lines().next().unwrap_or("").contains("5/16 checks done"));
}

#[test]
fn screen_diagnosis_with_settings() {
    let mut m = finished(100, 30, settings_report());
    keys(&mut m, &[KeyCode::Char('d')]);
    assert_eq!(m.overlay, Overlay::Diagnosis);
    let s = render_to_string(&m, 100, 30);
    for want in [
        "Top cause",
        "Other problems",
        "Mail client settings that work now",
        "SSL/TLS",
        "STARTTLS",
        "encrypted password",
        "Nothing to change in the mail client",
        "Dovecot 2.3.21",
    ] {
        assert!(s.contains(want), "{want} missing:\n{s}");
    }
    insta::assert_snapshot!("diagnosis_settings_100x30", s);
}

#[test]
fn screen_diagnosis_nothing_works() {
    let mut m = finished(100, 30, nothing_works_report());
    keys(&mut m, &[KeyCode::Char('d'), KeyCode::Down]);
    assert_eq!(m.cause_sel, 1);
    let s = render_to_string(&m, 100, 30);
    assert!(
        s.contains("No mail client setting can help: the fix is on the server."),
        "{s}"
    );
    assert_eq!(
        s.matches("refused the user name").count(),
        1,
        "each cause once:\n{s}"
    );
    assert!(s.contains("Fix in the mail client (auth.rejected)"), "{s}");
    assert!(s.contains("not identified"), "{s}");
    insta::assert_snapshot!("diagnosis_nothing_works_100x30", s);
}

#[test]
fn screen_certificate_fingerprints() {
    let mut m = finished(120, 50, fail_report());
    select_check(&mut m, "tls.chain", Some(TLS));
    keys(&mut m, &[KeyCode::BackTab, KeyCode::End]);
    assert_eq!(m.focus, Pane::Details);
    let s = render_to_string(&m, 120, 50);
    // both certificates, as mail clients show them, breaking after a colon
    assert!(s.contains("SHA-256 5F:1B:7C:9E:0D:2A"), "{s}");
    assert!(s.contains("SHA-256 0A:1B:2C:3D:4E:5F"), "{s}");
    assert!(!s.contains("5f1b7c9e"), "{s}");
    let all: String = details_lines(&m, 50)
        .iter()
        .map(line_text)
        .collect::<Vec<_>>()
        .join("\n");
    // the lines of the leaf's fingerprint read back as the whole fingerprint
    let start = all.find("5F:1B").expect("the leaf's fingerprint");
    let fp: String = all[start..]
        .chars()
        .filter(|c| c.is_ascii_hexdigit() || *c == ':')
        .take(95)
        .collect();
    assert_eq!(
        fp,
        "5F:1B:7C:9E:0D:2A:4B:6C:8E:0F:1A:3B:5C:7D:9E:1F:2A:4B:6C:8D:0E:2F:4A:6B:8C:0D:2E:4F:6A:8B:0C:2D",
        "{all}"
    );
    insta::assert_snapshot!("cert_fingerprints_120x50", s);
}

// ---------------------------------------------------------------- update rules

#[test]
fn selection_starts_on_the_first_check_the_top_cause_explains() {
    // the top cause explains the login, which is not the first failing row
    let mut r = fail_report();
    r.diagnosis.causes = vec![auth_rejected(), self_signed()];
    let m = finished(80, 24, r);
    assert_eq!(m.check_sel, row_of(&m, "auth.login", Some(TLS)));
    assert!(m.check_sel >= m.check_offset, "selection visible");
    assert!(m.check_sel < m.check_offset + 7, "selection visible");
    assert_eq!(
        m.notice.as_ref().map(|n| n.text.as_str()),
        Some(diagnosis_hint().as_str())
    );
}

#[test]
fn selection_falls_back_to_the_first_fail_then_warn_row() {
    // no causes: first failing row
    let m = finished(80, 24, fail_report());
    assert_eq!(m.check_sel, row_of(&m, "tls.chain", Some(TLS)));
    // a top cause whose checks are not listed: first failing row too
    let mut r = fail_report();
    let mut c = auth_rejected();
    c.explains = vec![check_ref("dns.mx", None)];
    r.diagnosis.causes = vec![c];
    let m = finished(80, 24, r);
    assert_eq!(m.check_sel, row_of(&m, "tls.chain", Some(TLS)));
    // no fail: first warning row
    let m = finished(80, 24, warn_report());
    assert_eq!(m.check_sel, row_of(&m, "pop3.greeting", Some(PLAIN)));
    assert!(m.notice.is_none(), "a warning without a cause gets no hint");
    // no problem: the selection stays where it was
    let mut m = started(80, 24);
    crate::tui::screens_tests::engine(&mut m, live_events(5));
    keys(&mut m, &[KeyCode::Down, KeyCode::Down]);
    let run = m.run_id;
    update(
        &mut m,
        Message::Finished {
            run,
            result: Ok(pass_report()),
        },
    );
    assert_eq!(m.check_sel, 2);
    assert!(m.notice.is_none());
}

#[test]
fn d_opens_the_diagnosis_and_closing_selects_the_cause_s_check() {
    // before any report: a notice, no overlay
    let mut m = started(80, 24);
    keys(&mut m, &[KeyCode::Char('d')]);
    assert_eq!(m.overlay, Overlay::None);
    assert!(
        m.notice
            .as_ref()
            .is_some_and(|n| n.text.contains("running"))
    );

    let mut m = finished(80, 24, nothing_works_report());
    assert_eq!(m.causes().len(), 2, "a repeated cause counts once");
    keys(&mut m, &[KeyCode::Char('d')]);
    assert_eq!(m.overlay, Overlay::Diagnosis);
    assert!(m.notice.is_none(), "the hint goes once d is pressed");
    // Down stops at the last cause, Up at the first
    keys(&mut m, &[KeyCode::Down, KeyCode::Down, KeyCode::Down]);
    assert_eq!(m.cause_sel, 1);
    keys(&mut m, &[KeyCode::Up, KeyCode::Up]);
    assert_eq!(m.cause_sel, 0);
    keys(&mut m, &[KeyCode::Down]);
    // keys of the panes do nothing while the overlay is open
    keys(&mut m, &[KeyCode::Tab, KeyCode::Char('n')]);
    assert_eq!(m.overlay, Overlay::Diagnosis);
    assert_eq!(m.focus, Pane::Checks);
    // PgDn scrolls within bounds (the overlay is taller than 24 rows)
    keys(
        &mut m,
        &[KeyCode::PageDown, KeyCode::PageDown, KeyCode::PageDown],
    );
    let after = m.diagnosis_scroll;
    keys(&mut m, &[KeyCode::PageDown]);
    assert_eq!(m.diagnosis_scroll, after, "bounded");
    keys(&mut m, &[KeyCode::Home]);
    assert_eq!(m.diagnosis_scroll, 0);
    // closing selects the first check the selected cause explains
    m.focus = Pane::Transcript;
    keys(&mut m, &[KeyCode::Esc]);
    assert_eq!(m.overlay, Overlay::None);
    assert!(!m.quit, "Esc closes the overlay only");
    assert_eq!(m.check_sel, row_of(&m, "auth.login", Some(TLS)));
    assert_eq!(m.focus, Pane::Checks);
    assert_eq!(m.details_for, Pane::Checks);
    // d toggles; q closes too; the last cause stays selected
    keys(&mut m, &[KeyCode::Char('d')]);
    assert_eq!(m.cause_sel, 1);
    keys(&mut m, &[KeyCode::Up, KeyCode::Char('d')]);
    assert_eq!(m.overlay, Overlay::None);
    assert_eq!(m.check_sel, row_of(&m, "tls.chain", Some(TLS)));
    keys(&mut m, &[KeyCode::Char('d'), KeyCode::Char('q')]);
    assert_eq!(m.overlay, Overlay::None);
    assert!(!m.quit);
    // Ctrl-C still quits from the overlay
    keys(&mut m, &[KeyCode::Char('d')]);
    update(&mut m, ctrl('c'));
    assert!(m.quit);
}

#[test]
fn a_new_run_closes_the_diagnosis() {
    let mut m = finished(80, 24, nothing_works_report());
    keys(&mut m, &[KeyCode::Char('d'), KeyCode::Down]);
    m.overlay = Overlay::None;
    keys(&mut m, &[KeyCode::Char('r')]);
    assert_eq!(m.state, RunState::Running);
    assert_eq!(m.cause_sel, 0);
    assert!(m.causes().is_empty());
}

// ---------------------------------------------------------------- no Debug text

fn line_text(l: &TLine<'_>) -> String {
    l.spans.iter().map(|s| s.content.as_ref()).collect()
}

/// Fails when `text` shows Rust Debug formatting or a raw control character.
fn assert_plain(text: &str, what: &str) {
    for pat in ["Some(", "None", "Ok(", "Err(", "::"] {
        assert!(!text.contains(pat), "{what}: {pat:?} shown:\n{text}");
    }
    let debug_struct =
        regex::Regex::new(r"[A-Z][A-Za-z0-9_]* \{ [a-z_][a-z0-9_]*:").expect("regex");
    assert!(
        !debug_struct.is_match(text),
        "{what}: Debug struct syntax shown:\n{text}"
    );
    if let Some(c) = text.chars().find(|c| c.is_control() && *c != '\n') {
        panic!(
            "{what}: control character U+{:04X} shown:\n{text}",
            c as u32
        );
    }
}

fn assert_screen(m: &Model, w: u16, h: u16, what: &str) {
    assert_plain(&render_to_string(m, w, h), what);
}

#[test]
fn no_screen_shows_debug_text_or_control_characters() {
    let reports = [
        ("pass", pass_report()),
        ("warn", warn_report()),
        ("fail", fail_report()),
        ("settings", settings_report()),
        ("nothing works", nothing_works_report()),
    ];
    for (w, h) in [(80u16, 24u16), (120, 40)] {
        let mut m = started(w, h);
        crate::tui::screens_tests::engine(&mut m, live_events(5));
        assert_screen(&m, w, h, "running");
        for (name, report) in &reports {
            let mut m = finished(w, h, report.clone());
            assert_screen(&m, w, h, name);
            // the details of every check row
            for i in 0..m.checks.len() {
                m.check_sel = i;
                m.details_for = Pane::Checks;
                m.details_scroll = 0;
                let what = format!("{name}: details of row {i}");
                assert_screen(&m, w, h, &what);
                let all: Vec<String> = details_lines(&m, 40).iter().map(line_text).collect();
                assert_plain(&all.join("\n"), &what);
            }
            // every transcript line of every tab, and its details
            keys(&mut m, &[KeyCode::Tab]);
            for t in 0..m.tabs.len() {
                m.tab_sel = t;
                for j in 0..m.tabs[t].lines.len() {
                    m.tabs[t].selected = j;
                    m.tabs[t].follow = false;
                    m.tabs[t].offset = j;
                    m.details_for = Pane::Transcript;
                    let what = format!("{name}: transcript tab {t} line {j}");
                    assert_screen(&m, w, h, &what);
                    let all: Vec<String> = details_lines(&m, 40).iter().map(line_text).collect();
                    assert_plain(&all.join("\n"), &what);
                }
            }
            // help
            keys(&mut m, &[KeyCode::Char('?')]);
            assert_screen(&m, w, h, &format!("{name}: help"));
            keys(&mut m, &[KeyCode::Char('x')]);
            // the Diagnosis overlay, for every cause
            keys(&mut m, &[KeyCode::Char('d'), KeyCode::Home]);
            for c in 0..m.causes().len().max(1) {
                m.cause_sel = c;
                let what = format!("{name}: diagnosis, cause {c}");
                assert_screen(&m, w, h, &what);
                let all: Vec<String> = diagnosis_lines(&m, 60).iter().map(line_text).collect();
                assert_plain(&all.join("\n"), &what);
            }
            keys(&mut m, &[KeyCode::Esc]);
            // the form
            keys(&mut m, &[KeyCode::Char('n')]);
            assert_eq!(m.overlay, Overlay::Form);
            assert_screen(&m, w, h, &format!("{name}: form"));
            keys(&mut m, &[KeyCode::Esc]);
            assert!(!m.quit);
        }
    }
}

#[test]
fn the_cause_id_enum_never_reaches_the_screen_as_debug() {
    let mut m = finished(100, 30, nothing_works_report());
    keys(&mut m, &[KeyCode::Char('d')]);
    let s = render_to_string(&m, 100, 30);
    assert!(s.contains("cert.self-signed"), "{s}");
    assert!(!s.contains("CertSelfSigned"), "{s}");
    assert!(!s.contains(&format!("{:?}", CheckId::TlsChain)), "{s}");
}
