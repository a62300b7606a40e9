//! The Dovecot fixture itself, no popscope involved: it greets, hides
//! clear-text login from the emulated remote client, seeds Maildirs, reports
//! start-up errors with its log and leaves no process behind.

use crate::support::dovecot::{
    DEFAULT_GREETING, Dovecot, DovecotOpts, SslMode, process_alive, require_dovecot, start,
};
use crate::support::pop3::RawPop3;
use crate::support::wait::{DEADLINE, poll};

#[test]
fn fixture_greets_and_hides_cleartext_login_before_tls() {
    require_dovecot!("fixture_greets_and_hides_cleartext_login_before_tls");
    let d = start(DovecotOpts::default());

    let mut c = RawPop3::connect(d.pop3_addr()).unwrap();
    assert!(c.greeting.starts_with("+OK "), "{}", c.greeting);
    assert!(c.greeting.contains(DEFAULT_GREETING), "{}", c.greeting);
    // APOP is enabled: the greeting carries an RFC 1939 timestamp.
    assert!(c.greeting.trim_end().ends_with('>'), "{}", c.greeting);
    let capa = c.capa().unwrap();
    assert!(capa.iter().any(|l| l == "STLS"), "{capa:?}");
    assert!(!capa.iter().any(|l| l == "USER"), "{capa:?}");
    let sasl = capa.iter().find(|l| l.starts_with("SASL")).unwrap();
    assert!(!sasl.contains("PLAIN") && !sasl.contains("LOGIN"), "{sasl}");
    let r = c.command("USER alice").unwrap();
    assert!(r.starts_with("-ERR"), "{r}");
    drop(c);

    // The direct listener is "secured" loopback: Dovecot offers USER there.
    let mut c = RawPop3::connect(d.direct_addr()).unwrap();
    let capa = c.capa().unwrap();
    assert!(capa.iter().any(|l| l == "USER"), "{capa:?}");

    assert!(d.pop3s_addr().is_some());
    if let Some(v6) = d.pop3_addr_v6() {
        assert_eq!(v6.port(), d.pop3_addr().port());
        let c = RawPop3::connect(v6).unwrap();
        assert!(c.greeting.starts_with("+OK"), "{}", c.greeting);
    }
    // Dovecot saw the emulated remote client, not 127.0.0.1.
    assert!(d.log().contains("rip=192.0.2.10"), "{}", d.log_tail(20));
}

#[test]
fn fixture_seeds_messages_and_lists_uidls() {
    require_dovecot!("fixture_seeds_messages_and_lists_uidls");
    let d = start(DovecotOpts::default());
    assert!(d.uidl_list("alice").unwrap().is_empty());
    for i in 0..3 {
        d.seed_message(
            "alice",
            format!("From: a@example.org\nTo: alice@localhost\nSubject: m{i}\n\nbody {i}\n"),
        )
        .unwrap();
    }
    let uidls = d.uidl_list("alice").unwrap();
    assert_eq!(uidls.len(), 3, "{uidls:?}");
    assert_eq!(
        uidls.iter().map(|(n, _)| *n).collect::<Vec<_>>(),
        vec![1, 2, 3]
    );
    // Stable across sessions, distinct per message.
    assert_eq!(d.uidl_list("alice").unwrap(), uidls);
    let mut ids: Vec<_> = uidls.iter().map(|(_, u)| u.clone()).collect();
    ids.dedup();
    assert_eq!(ids.len(), 3);
    assert!(d.uidl_list("bob").unwrap().is_empty());
    let fetched = d
        .doveadm(&["fetch", "-u", "alice", "uid", "mailbox", "INBOX"])
        .unwrap();
    assert_eq!(fetched.matches("uid: ").count(), 3, "{fetched}");
}

#[test]
fn fixture_ssl_no_has_no_tls_listener() {
    require_dovecot!("fixture_ssl_no_has_no_tls_listener");
    let d = start(DovecotOpts::default().ssl(SslMode::No));
    assert!(d.pop3s_addr().is_none());
    let mut c = RawPop3::connect(d.pop3_addr()).unwrap();
    let capa = c.capa().unwrap();
    assert!(!capa.iter().any(|l| l == "STLS"), "{capa:?}");
    assert!(c.command("STLS").unwrap().starts_with("-ERR"));
}

#[test]
fn fixture_ssl_required_refuses_login_before_tls_but_helpers_work() {
    require_dovecot!("fixture_ssl_required_refuses_login_before_tls_but_helpers_work");
    let d = start(DovecotOpts::default().ssl(SslMode::Required));
    let mut c = RawPop3::connect(d.pop3_addr()).unwrap();
    let capa = c.capa().unwrap();
    assert!(capa.iter().any(|l| l == "STLS"), "{capa:?}");
    assert!(c.command("USER alice").unwrap().starts_with("-ERR"));
    d.seed_message("bob", "Subject: x\n\nx\n").unwrap();
    assert_eq!(d.uidl_list("bob").unwrap().len(), 1);
}

#[test]
fn fixture_reports_startup_errors_with_the_log() {
    require_dovecot!("fixture_reports_startup_errors_with_the_log");
    let err = Dovecot::start(DovecotOpts::default().extra_conf("no_such_setting = 1\n"))
        .expect_err("a bad setting must stop Dovecot");
    let msg = format!("{err:#}");
    assert!(msg.contains("no_such_setting"), "{msg}");
}

#[test]
fn fixture_leaves_no_process_behind() {
    require_dovecot!("fixture_leaves_no_process_behind");
    let d = start(DovecotOpts::default());
    let master = d.pid().unwrap();
    let services = d.service_pids();
    assert!(!services.is_empty());
    let (plain, root) = (d.pop3_addr(), d.root().to_path_buf());
    drop(d);
    assert!(!process_alive(master));
    // Services may take a moment after the master is gone.
    poll(DEADLINE, || {
        (!services.iter().any(|p| process_alive(*p))).then_some(())
    });
    let alive: Vec<_> = services.iter().filter(|p| process_alive(**p)).collect();
    assert!(alive.is_empty(), "left behind: {alive:?}");
    assert!(std::net::TcpStream::connect(plain).is_err());
    assert!(!root.exists());
}
