//! Interop tests against real POP3 servers from Debian besides Dovecot:
//! popa3d, Courier and Cyrus (fixtures in `tests/support/servers/`, installed by
//! `.ci/install-servers.sh`), plus Dovecot for server identification.
//!
//! Each test starts its own private server on 127.0.0.1 and runs the real
//! `popscope check --json` against it, with every `POPSCOPE_*` variable
//! cleared. Without the servers (or without root) the tests print
//! `SKIPPED ...` and pass, unless `POPSCOPE_REQUIRE_INTEROP=1`.
//!
//! Every case asserts the server software identified
//! (`diagnosis.server.software`, src/diagnosis/server.rs) and the top cause
//! of the diagnosis (docs/diagnosis.md).

use std::fs;
use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

use serde_json::Value;

use crate::support::cmd;
use crate::support::dovecot::{Dovecot, DovecotOpts};
use crate::support::report::{self, Report, TLS_ENDPOINT_CHECKS};
use crate::support::servers::courier::{Courier, CourierOpts, courier_or_skip};
use crate::support::servers::cyrus::{Cyrus, CyrusOpts, cyrus_or_skip};
use crate::support::servers::popa3d::{Popa3d, popa3d_or_skip};
use crate::support::servers::{
    CertKind, RawPop3, TEST_PASSWORD, TEST_USER, closed_port, group_members, temp_dir,
};
use crate::support::wait;

/// The result of one `popscope check --json` run.
struct Run {
    code: i32,
    report: Value,
    stderr: String,
}

impl Run {
    fn checks(&self, id: &str) -> Vec<&Value> {
        self.report["checks"]
            .as_array()
            .map(|a| a.iter().filter(|c| c["id"] == id).collect())
            .unwrap_or_default()
    }

    /// One line per check, for assertion messages.
    fn summary(&self) -> String {
        report::describe(self.code, &self.report, &self.stderr)
    }

    /// The check `id` at `endpoint` (or the target-wide one when `None`)
    /// has `status`.
    #[track_caller]
    fn assert_check(&self, id: &str, endpoint: Option<SocketAddr>, status: &str) {
        let ep = endpoint.map(|a| a.to_string());
        let c = self
            .checks(id)
            .into_iter()
            .find(|c| c["endpoint"].as_str() == ep.as_deref())
            .unwrap_or_else(|| panic!("no {id} check at {ep:?}\n{}", self.summary()));
        assert_eq!(c["status"], status, "{id} at {ep:?}\n{}", self.summary());
    }

    #[track_caller]
    fn assert_verdict(&self, verdict: &str, code: i32) {
        assert_eq!(self.report["verdict"], verdict, "{}", self.summary());
        assert_eq!(self.code, code, "{}", self.summary());
    }

    /// The endpoint object for this address.
    fn endpoint(&self, addr: SocketAddr) -> &Value {
        self.report["endpoints"]
            .as_array()
            .and_then(|a| {
                a.iter()
                    .find(|e| e["port"] == addr.port() && e["address"] == addr.ip().to_string())
            })
            .unwrap_or_else(|| panic!("no endpoint {addr}\n{}", self.report))
    }

    fn capabilities(&self, addr: SocketAddr) -> Vec<String> {
        self.endpoint(addr)["capabilities"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// Asserts the identified server software once the report carries a
/// diagnosis (`diagnosis.server.software`); until the report has a
/// `diagnosis` object at all, there is nothing to check.
#[track_caller]
fn assert_identified(report: &Value, software: &str) {
    let diagnosis = &report["diagnosis"];
    assert_eq!(
        diagnosis["server"]["software"], software,
        "diagnosis: {diagnosis}"
    );
}

/// The diagnosis's top cause id (`(none)` when nothing is wrong).
#[track_caller]
fn assert_top_cause(report: &Value, want: &str) {
    let d = &report["diagnosis"];
    let got = d["causes"][0]["id"].as_str().unwrap_or("(none)");
    assert_eq!(got, want, "top cause\n{d:#}");
}

/// `popscope check 127.0.0.1 --json` against `plain` and `tls` ports, in
/// the clean environment of [`cmd::popscope`].
fn check(plain: u16, tls: u16, extra: &[&str]) -> Run {
    let mut cmd = cmd::popscope();
    cmd.args(["check", "127.0.0.1", "--json", "--timeout", "5s"])
        .args(["--plain-port", &plain.to_string()])
        .args(["--tls-port", &tls.to_string()])
        .args(extra);
    let report = Report::from_run(cmd::run_cmd(&mut cmd));
    assert_eq!(
        report.json["schema"], "popscope.report/v1",
        "{}",
        report.stdout
    );
    Run {
        code: report.code,
        report: report.json,
        stderr: report.stderr,
    }
}

/// `check` against a fixture's plain port and (when it has one, else a
/// closed port) its pop3s port, trusting the fixture's test CA for the
/// name `localhost`.
fn check_trusting(plain: SocketAddr, tls: Option<SocketAddr>, ca: &Path, extra: &[&str]) -> Run {
    let tls = tls.map_or_else(closed_port, |a| a.port());
    let ca = ca.display().to_string();
    let mut args = vec!["--ca-file", &ca, "--tls-name", "localhost"];
    args.extend_from_slice(extra);
    check(plain.port(), tls, &args)
}

/// A password file for the test account, in a temp dir kept by the caller.
fn password_file() -> (tempfile::TempDir, String) {
    let dir = temp_dir("popscope-servers-test-").unwrap();
    let path = dir.path().join("password");
    fs::write(&path, format!("{TEST_PASSWORD}\n")).unwrap();
    let p = path.display().to_string();
    (dir, p)
}

/// Waits (bounded) until no process of these groups is left.
#[track_caller]
fn assert_groups_gone(pgids: &[u32]) {
    let left = || -> Vec<u32> { pgids.iter().flat_map(|g| group_members(*g)).collect() };
    let gone = wait::poll(Duration::from_secs(5), || left().is_empty().then_some(()));
    assert!(gone.is_some(), "left behind: {:?}", left());
}

// ---------------------------------------------------------------------------
// popa3d: no CAPA, no TLS, USER/PASS only.

#[test]
fn popa3d_fixture_greets_bare_and_logs_in_the_test_user() {
    if !popa3d_or_skip("popa3d_fixture_greets_bare_and_logs_in_the_test_user") {
        return;
    }
    let p = Popa3d::start().unwrap_or_else(|e| panic!("{e:#}"));
    let mut c = RawPop3::connect(p.addr()).unwrap();
    assert_eq!(c.greeting, "+OK");
    assert_eq!(c.command("CAPA").unwrap(), "-ERR");
    assert_eq!(c.command("STLS").unwrap(), "-ERR");
    c.expect_ok(&format!("USER {TEST_USER}")).unwrap();
    c.expect_ok(&format!("PASS {TEST_PASSWORD}")).unwrap();
    let stat = c.expect_ok("STAT").unwrap();
    assert!(stat.starts_with("+OK "), "{stat}");
    let _ = c.command("QUIT");

    let (pgid, dir) = (p.pid().unwrap(), p.dir().to_path_buf());
    drop(p);
    assert_groups_gone(&[pgid]);
    assert!(!dir.exists());
}

#[test]
fn popa3d_has_no_capa_and_no_tls() {
    if !popa3d_or_skip("popa3d_has_no_capa_and_no_tls") {
        return;
    }
    let p = Popa3d::start().unwrap_or_else(|e| panic!("{e:#}"));
    let plain = p.addr();
    let tls_port = closed_port();
    let (_pw_dir, pw) = password_file();
    let run = check(
        plain.port(),
        tls_port,
        &["--user", TEST_USER, "--password-file", &pw],
    );

    // What the server said.
    let ep = run.endpoint(plain);
    assert_eq!(ep["greeting"], "+OK", "{ep}");
    assert_eq!(ep["capabilities"], serde_json::json!([]), "{ep}");
    run.assert_check("tcp.connect", Some(plain), "pass");
    run.assert_check("pop3.greeting", Some(plain), "pass");
    // CAPA answered -ERR: RFC 2449 is not supported.
    run.assert_check("pop3.capa", Some(plain), "warn");
    // The fault: no TLS at all. STLS is refused, nothing listens on 995.
    run.assert_check("tls.stls", Some(plain), "fail");
    run.assert_check("auth.cleartext", Some(plain), "skip");
    // And so popscope keeps the password to itself.
    run.assert_check("auth.login", None, "fail");
    assert_eq!(run.checks("auth.login")[0]["data"]["sent"], false);
    run.assert_verdict("fail", 2);
    assert_identified(&run.report, "popa3d");
    assert_top_cause(&run.report, "stls.missing");
}

#[test]
fn popa3d_login_with_cleartext_allowed() {
    if !popa3d_or_skip("popa3d_login_with_cleartext_allowed") {
        return;
    }
    let p = Popa3d::start().unwrap_or_else(|e| panic!("{e:#}"));
    let (_pw_dir, pw) = password_file();
    let run = check(
        p.addr().port(),
        closed_port(),
        &[
            "--user",
            TEST_USER,
            "--password-file",
            &pw,
            "--allow-cleartext-auth",
        ],
    );
    // Logged in, but popscope says the password crossed in clear text.
    run.assert_check("auth.login", Some(p.addr()), "warn");
    let step = &run.checks("pop3.step.3")[0];
    assert_eq!(step["summary"], "STAT → +OK 0 0", "{}", run.summary());
    // Still a failing setup: no TLS anywhere.
    run.assert_check("tls.stls", Some(p.addr()), "fail");
    run.assert_verdict("fail", 2);
    assert_identified(&run.report, "popa3d");
    assert_top_cause(&run.report, "stls.missing");
}

// ---------------------------------------------------------------------------
// Courier: STLS and pop3s with a certificate from the test PKI.

fn start_courier(opts: CourierOpts) -> Courier {
    Courier::start(opts).unwrap_or_else(|e| panic!("{e:#}"))
}

/// `check` against a Courier fixture, trusting its test CA.
fn check_courier(c: &Courier, extra: &[&str]) -> Run {
    check_trusting(c.pop3_addr(), c.pop3s_addr(), c.ca_pem_path(), extra)
}

/// The CAPA Courier 1.0.16 sends on its plain port (observed).
const COURIER_PLAIN_CAPA: &[&str] = &[
    "STLS",
    "TOP",
    "USER",
    "LOGIN-DELAY 10",
    "PIPELINING",
    "UIDL",
    "UTF8 USER",
    "IMPLEMENTATION Courier Mail Server",
];

#[test]
fn courier_fixture_greets_and_requires_tls_for_login() {
    if !courier_or_skip("courier_fixture_greets_and_requires_tls_for_login") {
        return;
    }
    let c = start_courier(CourierOpts::default());
    let mut raw = RawPop3::connect(c.pop3_addr()).unwrap();
    assert_eq!(raw.greeting, "+OK Hello there.");
    assert_eq!(raw.capa().unwrap(), COURIER_PLAIN_CAPA);
    // USER is listed, but refused before TLS (POP3_TLS_REQUIRED=1).
    let r = raw.command(&format!("USER {TEST_USER}")).unwrap();
    assert_eq!(r, "-ERR TLS required to log in.");
    let _ = raw.command("QUIT");
    drop(raw);

    let (pgids, dir) = (c.pids(), c.dir().to_path_buf());
    assert_eq!(pgids.len(), 2);
    drop(c);
    assert_groups_gone(&pgids);
    assert!(!dir.exists());
}

/// Debian 12's default Courier setup, the way the fixture runs it: STLS on
/// the plain port, pop3s, a trusted certificate, login only inside TLS.
/// Everything passes but one thing, and that one is real: courier-pop
/// 1.0.16 answers commands pipelined after STLS inside the new TLS session
/// (STARTTLS command injection, fixed upstream in Courier 1.1.5).
#[test]
fn courier_default_setup_logs_in_but_is_caught_injecting_after_stls() {
    if !courier_or_skip("courier_default_setup_logs_in_but_is_caught_injecting_after_stls") {
        return;
    }
    let c = start_courier(CourierOpts::default());
    let (plain, tls) = (c.pop3_addr(), c.pop3s_addr().unwrap());
    let (_pw_dir, pw) = password_file();
    let run = check_courier(&c, &["--user", TEST_USER, "--password-file", &pw]);

    for ep in [plain, tls] {
        assert_eq!(run.endpoint(ep)["greeting"], "+OK Hello there.");
        for id in TLS_ENDPOINT_CHECKS {
            run.assert_check(id, Some(ep), "pass");
        }
    }
    assert_eq!(
        run.endpoint(plain)["capabilities_before_tls"],
        serde_json::json!(COURIER_PLAIN_CAPA),
    );
    // Inside TLS Courier adds SASL LOGIN PLAIN (POP3AUTH_TLS); pop3s
    // offers no STLS.
    let after_stls = run.capabilities(plain);
    assert_eq!(after_stls[0], "SASL LOGIN PLAIN", "{after_stls:?}");
    assert!(!after_stls.contains(&"STLS".to_string()), "{after_stls:?}");
    let on_pop3s = run.capabilities(tls);
    assert_eq!(on_pop3s[0], "SASL LOGIN PLAIN", "{on_pop3s:?}");
    assert!(!on_pop3s.contains(&"STLS".to_string()), "{on_pop3s:?}");
    assert!(
        on_pop3s.contains(&"IMPLEMENTATION Courier Mail Server".to_string()),
        "{on_pop3s:?}"
    );

    run.assert_check("tls.stls", Some(plain), "pass");
    // The finding (see the doc comment).
    run.assert_check("tls.stls-injection", Some(plain), "fail");
    // Courier keeps USER in its pre-TLS CAPA although it refuses it without
    // TLS ("-ERR TLS required to log in."): from CAPA alone popscope warns.
    run.assert_check("auth.cleartext", Some(plain), "warn");
    // popscope logs in over the first working TLS endpoint.
    run.assert_check("auth.login", Some(tls), "pass");
    run.assert_verdict("fail", 2);
    assert_identified(&run.report, "Courier");
    assert_top_cause(&run.report, "stls.injection");
    assert!(
        c.log().contains(&format!("LOGIN, user={TEST_USER}")),
        "{}",
        c.log()
    );
}

/// Courier serving only implicit TLS (popscope is pointed at a closed plain
/// port): the sane way to run this Courier version.
#[test]
fn courier_pop3s_only_is_healthy() {
    if !courier_or_skip("courier_pop3s_only_is_healthy") {
        return;
    }
    let c = start_courier(CourierOpts::default());
    let tls = c.pop3s_addr().unwrap();
    let (_pw_dir, pw) = password_file();
    let plain_port = closed_port();
    let run = check_trusting(
        SocketAddr::from(([127, 0, 0, 1], plain_port)),
        Some(tls),
        c.ca_pem_path(),
        &["--user", TEST_USER, "--password-file", &pw],
    );
    // Nothing on the plain port is information, not a fault.
    run.assert_check(
        "tcp.connect",
        Some(SocketAddr::from(([127, 0, 0, 1], plain_port))),
        "info",
    );
    for id in [
        "tcp.connect",
        "tls.handshake",
        "tls.protocol",
        "tls.chain",
        "tls.hostname",
        "tls.expiry",
        "tls.key",
        "pop3.greeting",
        "pop3.capa",
        "auth.login",
        "pop3.dialogue",
    ] {
        run.assert_check(id, Some(tls), "pass");
    }
    run.assert_verdict("pass", 0);
    assert_identified(&run.report, "Courier");
    assert_top_cause(&run.report, "(none)");
}

#[test]
fn courier_expired_certificate_fails_expiry() {
    if !courier_or_skip("courier_expired_certificate_fails_expiry") {
        return;
    }
    let c = start_courier(CourierOpts {
        cert: CertKind::Expired,
        ..CourierOpts::default()
    });
    let (plain, tls) = (c.pop3_addr(), c.pop3s_addr().unwrap());
    let run = check_courier(&c, &[]);
    for ep in [plain, tls] {
        run.assert_check("tls.handshake", Some(ep), "pass");
        run.assert_check("tls.expiry", Some(ep), "fail");
    }
    run.assert_verdict("fail", 2);
    assert_identified(&run.report, "Courier");
    assert_top_cause(&run.report, "cert.expired");
}

#[test]
fn courier_self_signed_certificate_fails_chain() {
    if !courier_or_skip("courier_self_signed_certificate_fails_chain") {
        return;
    }
    let c = start_courier(CourierOpts {
        cert: CertKind::SelfSigned,
        ..CourierOpts::default()
    });
    let (plain, tls) = (c.pop3_addr(), c.pop3s_addr().unwrap());
    let run = check_courier(&c, &[]);
    for ep in [plain, tls] {
        run.assert_check("tls.chain", Some(ep), "fail");
        run.assert_check("tls.expiry", Some(ep), "pass");
    }
    run.assert_verdict("fail", 2);
    assert_identified(&run.report, "Courier");
    assert_top_cause(&run.report, "cert.self-signed");
}

#[test]
fn courier_without_stls_fails_stls_and_offers_cleartext_only() {
    if !courier_or_skip("courier_without_stls_fails_stls_and_offers_cleartext_only") {
        return;
    }
    let c = start_courier(CourierOpts {
        stls: false,
        tls_required: false,
        pop3s: false,
        ..CourierOpts::default()
    });
    let plain = c.pop3_addr();
    let run = check_courier(&c, &[]);
    let caps = run.capabilities(plain);
    assert!(!caps.contains(&"STLS".to_string()), "{caps:?}");
    assert!(caps.contains(&"USER".to_string()), "{caps:?}");
    run.assert_check("pop3.capa", Some(plain), "pass");
    run.assert_check("tls.stls", Some(plain), "fail");
    run.assert_verdict("fail", 2);
    assert_identified(&run.report, "Courier");
    assert_top_cause(&run.report, "stls.missing");
}

// ---------------------------------------------------------------------------
// Cyrus: master + pop3d, SASL from a private sasldb.

fn start_cyrus(opts: CyrusOpts) -> Cyrus {
    Cyrus::start(opts).unwrap_or_else(|e| panic!("{e:#}"))
}

/// `check` against a Cyrus fixture, trusting its test CA.
fn check_cyrus(c: &Cyrus, extra: &[&str]) -> Run {
    check_trusting(c.pop3_addr(), c.pop3s_addr(), c.ca_pem_path(), extra)
}

/// What Cyrus 3.6.1 (Debian 12) sends before TLS with `allowplaintext: no`
/// (observed).
const CYRUS_PLAIN_CAPA: &[&str] = &[
    "STLS",
    "EXPIRE NEVER",
    "LOGIN-DELAY 0",
    "TOP",
    "UIDL",
    "PIPELINING",
    "RESP-CODES",
    "AUTH-RESP-CODE",
    "IMPLEMENTATION Cyrus POP3 3.6.1-Debian-3.6.1-4+deb12u5",
];

#[test]
fn cyrus_fixture_greets_with_its_version_and_hides_user_before_tls() {
    if !cyrus_or_skip("cyrus_fixture_greets_with_its_version_and_hides_user_before_tls") {
        return;
    }
    let c = start_cyrus(CyrusOpts::default());
    let mut raw = RawPop3::connect(c.pop3_addr()).unwrap();
    assert!(
        raw.greeting
            .starts_with("+OK localhost Cyrus POP3 3.6.1-Debian-3.6.1-4+deb12u5 server ready <"),
        "{}",
        raw.greeting
    );
    assert_eq!(raw.capa().unwrap(), CYRUS_PLAIN_CAPA);
    let _ = raw.command("QUIT");
    drop(raw);

    let (pgid, dir) = (c.pid().unwrap(), c.dir().to_path_buf());
    drop(c);
    assert_groups_gone(&[pgid]);
    assert!(!dir.exists());
}

#[test]
fn cyrus_healthy_with_login() {
    if !cyrus_or_skip("cyrus_healthy_with_login") {
        return;
    }
    let c = start_cyrus(CyrusOpts::default());
    let (plain, tls) = (c.pop3_addr(), c.pop3s_addr().unwrap());
    let (_pw_dir, pw) = password_file();
    let run = check_cyrus(&c, &["--user", TEST_USER, "--password-file", &pw]);

    for ep in [plain, tls] {
        for id in TLS_ENDPOINT_CHECKS {
            run.assert_check(id, Some(ep), "pass");
        }
    }
    assert_eq!(
        run.endpoint(plain)["capabilities_before_tls"],
        serde_json::json!(CYRUS_PLAIN_CAPA),
    );
    // Inside TLS: SASL PLAIN LOGIN and USER appear.
    let caps = run.capabilities(tls);
    assert!(caps.contains(&"USER".to_string()), "{caps:?}");
    assert!(caps.iter().any(|c| c.starts_with("SASL ")), "{caps:?}");
    run.assert_check("tls.stls", Some(plain), "pass");
    run.assert_check("tls.stls-injection", Some(plain), "pass");
    run.assert_check("auth.cleartext", Some(plain), "pass");
    let logins = run.checks("auth.login");
    assert!(
        !logins.is_empty() && logins.iter().all(|l| l["status"] == "pass"),
        "{}",
        run.summary()
    );
    run.assert_verdict("pass", 0);
    assert_identified(&run.report, "Cyrus");
    assert_top_cause(&run.report, "(none)");
}

#[test]
fn cyrus_allowing_plaintext_offers_user_before_tls() {
    if !cyrus_or_skip("cyrus_allowing_plaintext_offers_user_before_tls") {
        return;
    }
    let c = start_cyrus(CyrusOpts {
        allow_plaintext: true,
        ..CyrusOpts::default()
    });
    let plain = c.pop3_addr();
    let run = check_cyrus(&c, &[]);
    let before = &run.endpoint(plain)["capabilities_before_tls"];
    assert!(
        before
            .as_array()
            .is_some_and(|a| a.iter().any(|c| c == "USER")),
        "{before}"
    );
    run.assert_check("auth.cleartext", Some(plain), "warn");
    run.assert_check("tls.stls", Some(plain), "pass");
    run.assert_verdict("warn", 1);
    assert_identified(&run.report, "Cyrus");
    assert_top_cause(&run.report, "auth.cleartext-exposed");
}

#[test]
fn cyrus_without_a_certificate_has_no_tls() {
    if !cyrus_or_skip("cyrus_without_a_certificate_has_no_tls") {
        return;
    }
    let c = start_cyrus(CyrusOpts {
        tls: false,
        ..CyrusOpts::default()
    });
    let plain = c.pop3_addr();
    let run = check_cyrus(&c, &[]);
    let caps = run.capabilities(plain);
    assert!(!caps.contains(&"STLS".to_string()), "{caps:?}");
    run.assert_check("tls.stls", Some(plain), "fail");
    run.assert_verdict("fail", 2);
    assert_identified(&run.report, "Cyrus");
    assert_top_cause(&run.report, "stls.missing");
}

// ---------------------------------------------------------------------------
// Dovecot: identified by its capabilities when the greeting says nothing.

#[test]
fn dovecot_with_a_custom_greeting_is_still_identified() {
    if !crate::support::dovecot::available_or_skip(
        "dovecot_with_a_custom_greeting_is_still_identified",
    ) {
        return;
    }
    let d = Dovecot::start(DovecotOpts {
        greeting: "mail.example.org ready.".to_string(),
        ..DovecotOpts::default()
    })
    .unwrap_or_else(|e| panic!("{e:#}"));
    let plain = d.pop3_addr();
    let tls = d.pop3s_addr().unwrap();
    let run = check_trusting(plain, Some(tls), &d.ca_pem_path(), &[]);
    let greeting = run.endpoint(plain)["greeting"].as_str().unwrap_or_default();
    // Dovecot appends its APOP timestamp.
    assert!(
        greeting.starts_with("+OK mail.example.org ready. <"),
        "{greeting}"
    );
    let caps = run.capabilities(plain);
    assert!(
        caps.contains(&"CAPA".to_string()) && caps.contains(&"AUTH-RESP-CODE".to_string()),
        "{caps:?}"
    );
    run.assert_verdict("pass", 0);
    assert_identified(&run.report, "Dovecot");
    assert_top_cause(&run.report, "(none)");
}

/// The helper itself is strict: a report without the software fails.
#[test]
fn assert_identified_is_strict() {
    assert_identified(
        &serde_json::json!({"diagnosis": {"server": {"software": "Courier"}}}),
        "Courier",
    );
    for bad in [
        serde_json::json!({"verdict": "pass"}),
        serde_json::json!({"diagnosis": {"server": null}}),
    ] {
        let wrong = std::panic::catch_unwind(|| assert_identified(&bad, "Courier"));
        assert!(wrong.is_err(), "{bad}");
    }
}
