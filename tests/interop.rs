//! Interop tests: popscope against a real Dovecot (see `tests/support/dovecot.rs`).
//!
//! Every test starts its own private Dovecot on loopback. When Dovecot is not
//! installed (or we are not root) the tests print `SKIPPED ...` and pass,
//! unless `POPSCOPE_REQUIRE_INTEROP=1` (set in CI) makes that a failure.

mod support;

use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::time::Duration;

use assert_cmd::Command;
use serde_json::Value;

use support::dovecot::{
    CertKind, DEFAULT_GREETING, Dovecot, DovecotOpts, RawPop3, SslMode, available_or_skip,
    process_alive,
};

/// Skips the test (returns early) when the Dovecot fixture cannot run here.
macro_rules! require_dovecot {
    ($name:expr) => {
        if !available_or_skip($name) {
            return;
        }
    };
}

fn start(opts: DovecotOpts) -> Dovecot {
    Dovecot::start(opts).unwrap_or_else(|e| panic!("{e:#}"))
}

// ---------------------------------------------------------------------------
// The fixture itself (no popscope involved).

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
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    while services.iter().any(|p| process_alive(*p)) && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    let alive: Vec<_> = services.iter().filter(|p| process_alive(**p)).collect();
    assert!(alive.is_empty(), "left behind: {alive:?}");
    assert!(std::net::TcpStream::connect(plain).is_err());
    assert!(!root.exists());
}

// ---------------------------------------------------------------------------
// popscope check against Dovecot.

/// The result of one `popscope check --json` run.
struct Run {
    code: i32,
    report: Value,
    stdout: String,
    stderr: String,
}

impl Run {
    /// All checks with this id (one per endpoint for per-endpoint checks).
    fn checks(&self, id: &str) -> Vec<&Value> {
        self.report["checks"]
            .as_array()
            .map(|a| a.iter().filter(|c| c["id"] == id).collect())
            .unwrap_or_default()
    }

    /// One line per check, for assertion messages.
    fn summary(&self) -> String {
        let mut s = format!("exit {} verdict {}\n", self.code, self.report["verdict"]);
        for c in self.report["checks"].as_array().into_iter().flatten() {
            s.push_str(&format!(
                "  {:5} {:22} {:22} {}\n",
                c["status"].as_str().unwrap_or("?"),
                c["id"].as_str().unwrap_or("?"),
                c["endpoint"].as_str().unwrap_or("-"),
                c["summary"].as_str().unwrap_or("")
            ));
        }
        if !self.stderr.is_empty() {
            s.push_str(&format!("stderr: {}\n", self.stderr));
        }
        s
    }

    /// Asserts the check exists and has `status` on every endpoint it was run for.
    fn assert_check(&self, id: &str, status: &str) {
        let cs = self.checks(id);
        assert!(!cs.is_empty(), "no {id} check\n{}", self.summary());
        for c in cs {
            assert_eq!(c["status"], status, "{id}\n{}", self.summary());
        }
    }

    /// Asserts the check exists for `endpoint` with `status`.
    fn assert_check_at(&self, id: &str, endpoint: SocketAddr, status: &str) {
        let ep = endpoint.to_string();
        let c = self
            .checks(id)
            .into_iter()
            .find(|c| c["endpoint"] == ep.as_str())
            .unwrap_or_else(|| panic!("no {id} check for {ep}\n{}", self.summary()));
        assert_eq!(c["status"], status, "{id} at {ep}\n{}", self.summary());
    }

    fn assert_verdict(&self, verdict: &str, code: i32) {
        assert_eq!(self.report["verdict"], verdict, "{}", self.summary());
        assert_eq!(self.code, code, "{}", self.summary());
    }

    /// The endpoint object for this port.
    fn endpoint(&self, addr: SocketAddr) -> &Value {
        self.report["endpoints"]
            .as_array()
            .and_then(|a| {
                a.iter()
                    .find(|e| e["port"] == addr.port() && e["address"] == addr.ip().to_string())
            })
            .unwrap_or_else(|| panic!("no endpoint {addr} in\n{}", self.stdout))
    }
}

/// A loopback port with nothing listening on it (right now).
fn closed_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// `popscope check 127.0.0.1 --json` against the fixture's two ports,
/// trusting the test CA and verifying the name `localhost`.
fn check(d: &Dovecot, extra: &[&str]) -> Run {
    let tls_port = d.pop3s_addr().map_or_else(closed_port, |a| a.port());
    let ca = d.ca_pem_path();
    let mut cmd = Command::cargo_bin("popscope").expect("the popscope binary");
    for var in [
        "POPSCOPE_CA_FILE",
        "POPSCOPE_TIMEOUT",
        "POPSCOPE_DNS_SERVER",
        "POPSCOPE_COLOR",
    ] {
        cmd.env_remove(var);
    }
    cmd.args(["check", "127.0.0.1", "--json", "--timeout", "5s"])
        .arg("--ca-file")
        .arg(&ca)
        .args(["--tls-name", "localhost"])
        .args(["--plain-port", &d.pop3_addr().port().to_string()])
        .args(["--tls-port", &tls_port.to_string()])
        .args(extra)
        .timeout(Duration::from_secs(60));
    let out = cmd.output().expect("running popscope");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let code = out.status.code().unwrap_or(-1);
    let report: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!(
            "popscope check did not print one JSON object ({e}); exit {code}\nstdout:\n{stdout}\nstderr:\n{stderr}\n--- dovecot log ---\n{}",
            d.log_tail(30)
        )
    });
    assert_eq!(report["schema"], "popscope.report/v1", "{stdout}");
    Run {
        code,
        report,
        stdout,
        stderr,
    }
}

#[test]
fn healthy_dovecot_passes() {
    require_dovecot!("healthy_dovecot_passes");
    let d = start(DovecotOpts::default());
    let plain = d.pop3_addr();
    let tls = d.pop3s_addr().unwrap();
    let run = check(&d, &[]);

    run.assert_verdict("pass", 0);
    for id in [
        "tcp.connect",
        "pop3.greeting",
        "pop3.capa",
        "tls.handshake",
        "tls.protocol",
        "tls.chain",
        "tls.hostname",
        "tls.expiry",
        "tls.key",
    ] {
        run.assert_check_at(id, plain, "pass");
        run.assert_check_at(id, tls, "pass");
    }
    run.assert_check_at("tls.stls", plain, "pass");
    // Dovecot 2.3 is not vulnerable, but note how it shows it: plaintext sent
    // in the same packet as STLS is fed to OpenSSL as handshake bytes, so the
    // handshake of that probe connection fails ("wrong version number" in
    // the log) instead of the command being answered inside TLS. That must
    // count as safe, not inconclusive.
    run.assert_check_at("tls.stls-injection", plain, "pass");
    run.assert_check_at("auth.cleartext", plain, "pass");

    for addr in [plain, tls] {
        let ep = run.endpoint(addr);
        let t = &ep["tls"];
        let version = t["version"].as_str().unwrap_or_default();
        assert!(version == "TLSv1.3" || version == "TLSv1.2", "{addr}: {t}");
        assert_eq!(t["verification"]["trusted"], true, "{addr}: {t}");
        assert_eq!(t["sni"], "localhost", "{addr}: {t}");
        let certs = t["certificates"].as_array().expect("certificates");
        assert!(!certs.is_empty(), "{addr}: {t}");
        assert!(
            certs[0]["issuer"]
                .as_str()
                .unwrap_or_default()
                .contains("popscope test CA"),
            "{addr}: {}",
            certs[0]
        );
        assert!(
            ep["greeting"]
                .as_str()
                .unwrap_or_default()
                .contains(DEFAULT_GREETING),
            "{addr}: {}",
            ep["greeting"]
        );
        assert!(
            !ep["transcript"].as_array().unwrap().is_empty(),
            "{addr}: empty transcript"
        );
    }
    // An endpoint upgraded with STLS reports `starttls` (docs/json.md).
    assert_eq!(run.endpoint(plain)["security"], "starttls");
    assert_eq!(run.endpoint(tls)["security"], "implicit-tls");
    // Dovecot 2.3 with OpenSSL 3 negotiates TLS 1.3.
    assert_eq!(run.endpoint(tls)["tls"]["version"], "TLSv1.3");

    // Capabilities: STLS and no clear-text login before TLS; the reverse after.
    let ep = run.endpoint(plain);
    let has = |v: &Value, cap: &str| {
        v.as_array()
            .is_some_and(|a| a.iter().any(|c| c.as_str() == Some(cap)))
    };
    let before = &ep["capabilities_before_tls"];
    let after = &ep["capabilities"];
    assert!(has(before, "STLS"), "before TLS: {before}");
    assert!(!has(before, "USER"), "before TLS: {before}");
    assert!(has(before, "SASL CRAM-MD5"), "before TLS: {before}");
    assert!(!has(after, "STLS"), "after TLS: {after}");
    assert!(has(after, "USER"), "after TLS: {after}");
    assert!(
        has(after, "SASL PLAIN LOGIN CRAM-MD5"),
        "after TLS: {after}"
    );
    let implicit = &run.endpoint(tls)["capabilities"];
    assert!(
        has(implicit, "USER") && !has(implicit, "STLS"),
        "{implicit}"
    );

    // The transcript shows the upgrade, and popscope never logged in.
    let transcript = ep["transcript"].to_string();
    assert!(transcript.contains("STLS"), "{transcript}");
    assert!(!d.log().contains("Login: user="), "{}", d.log());
}

#[test]
fn self_signed_certificate_fails_chain() {
    require_dovecot!("self_signed_certificate_fails_chain");
    let d = start(DovecotOpts::default().cert(CertKind::SelfSigned));
    let run = check(&d, &[]);
    run.assert_check("tls.chain", "fail");
    run.assert_verdict("fail", 2);
    let t = &run.endpoint(d.pop3s_addr().unwrap())["tls"];
    assert_eq!(t["verification"]["trusted"], false, "{t}");
    // The name and dates are fine: only the chain is wrong.
    run.assert_check("tls.hostname", "pass");
    run.assert_check("tls.expiry", "pass");
}

#[test]
fn expired_certificate_fails_expiry() {
    require_dovecot!("expired_certificate_fails_expiry");
    let d = start(DovecotOpts::default().cert(CertKind::Expired));
    let run = check(&d, &[]);
    run.assert_check("tls.expiry", "fail");
    run.assert_verdict("fail", 2);
    run.assert_check("tls.hostname", "pass");
}

#[test]
fn certificate_expiring_soon_warns() {
    require_dovecot!("certificate_expiring_soon_warns");
    let d = start(DovecotOpts::default().cert(CertKind::ExpiringSoon));
    let run = check(&d, &[]);
    run.assert_check("tls.expiry", "warn");
    run.assert_check("tls.chain", "pass");
    run.assert_verdict("warn", 1);
}

#[test]
fn wrong_hostname_fails_hostname() {
    require_dovecot!("wrong_hostname_fails_hostname");
    let d = start(DovecotOpts::default().cert(CertKind::WrongHost));
    let run = check(&d, &[]);
    run.assert_check("tls.hostname", "fail");
    run.assert_verdict("fail", 2);
    let c = run.checks("tls.hostname")[0];
    assert!(
        c["data"]["valid_for"]
            .to_string()
            .contains("mail.example.net"),
        "{c}"
    );
}

#[test]
fn ssl_disabled_fails_stls() {
    require_dovecot!("ssl_disabled_fails_stls");
    let d = start(DovecotOpts::default().ssl(SslMode::No));
    let run = check(&d, &[]);
    run.assert_check_at("tls.stls", d.pop3_addr(), "fail");
    run.assert_verdict("fail", 2);
    let before = &run.endpoint(d.pop3_addr())["capabilities"];
    assert!(!before.to_string().contains("\"STLS\""), "{before}");
}

#[test]
fn plaintext_auth_allowed_warns_cleartext() {
    require_dovecot!("plaintext_auth_allowed_warns_cleartext");
    let d = start(DovecotOpts::default().disable_plaintext_auth(false));
    let run = check(&d, &[]);
    run.assert_check_at("auth.cleartext", d.pop3_addr(), "warn");
    let c = run.checks("auth.cleartext")[0];
    assert!(c["data"]["offered"].to_string().contains("USER"), "{c}");
    // Everything else is healthy, so the whole run is a warning.
    run.assert_check("tls.stls", "pass");
    run.assert_check("tls.chain", "pass");
    run.assert_verdict("warn", 1);
}
