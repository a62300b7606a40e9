//! Interop tests of the login and the scripted dialogues: popscope against a
//! real Dovecot with real users and Maildirs (see `tests/support/dovecot.rs`).
//!
//! Covered here (issue 3): a successful login with every mechanism Dovecot
//! offers (and `auto`), a bad password explained in Dovecot's words, every
//! shipped profile through `replay` and `check --profile` with the mailbox
//! unchanged afterwards (same UIDL list), an aborted dialogue after DELE
//! (RSET, no QUIT, nothing deleted), DELE refused without `--allow-delete`
//! before anything connects, and no password sent over a connection without
//! TLS (or with an untrusted certificate) unless `--allow-cleartext-auth`.
//!
//! Every test starts its own private Dovecot on loopback. When Dovecot is not
//! installed (or we are not root) the tests print `SKIPPED ...` and pass,
//! unless `POPSCOPE_REQUIRE_INTEROP=1` makes that a failure.

mod support;

use std::net::{Ipv4Addr, TcpListener};
use std::path::Path;
use std::time::Duration;

use assert_cmd::Command;
use serde_json::Value;

use support::dovecot::{CertKind, Dovecot, DovecotOpts, SslMode, available_or_skip};

/// Skips the test (returns early) when the Dovecot fixture cannot run here.
macro_rules! require_dovecot {
    ($name:expr) => {
        if !available_or_skip($name) {
            return;
        }
    };
}

/// alice's password in the fixture.
const ALICE_PASSWORD: &str = "wonderland";

/// A wrong password (never accepted, must never be printed either).
const WRONG_PASSWORD: &str = "Not-The-Password-4417";

/// The profiles built into the binary.
const SHIPPED_PROFILES: [&str; 4] = ["basic", "full-read", "teaching", "capabilities-only"];

fn start(opts: DovecotOpts) -> Dovecot {
    Dovecot::start(opts).unwrap_or_else(|e| panic!("{e:#}"))
}

/// The first message: its body has lines starting with '.', including a
/// lone '.', which must be dot-stuffed on the wire and unstuffed by popscope.
const DOT_MESSAGE: &str = "From: Dot Tester <dots@example.org>\n\
To: alice@localhost\n\
Subject: dots\n\
Message-ID: <dots@example.org>\n\
\n\
.leading dot line\n\
..two leading dots\n\
.\n\
after the lone dot\n";

/// Puts three messages into alice's Maildir (the first one with dot lines)
/// and returns her UIDL list.
fn seed_alice(d: &Dovecot) -> Vec<(u32, String)> {
    d.seed_message("alice", DOT_MESSAGE).unwrap();
    d.seed_message(
        "alice",
        "From: Bob <bob@example.org>\nTo: alice@localhost\nSubject: second\nMessage-ID: <m2@example.org>\n\nHello Alice,\nthe second message.\n",
    )
    .unwrap();
    let mut big = String::from(
        "From: Carol <carol@example.org>\nTo: alice@localhost\nSubject: third\nMessage-ID: <m3@example.org>\n\n",
    );
    for i in 0..200 {
        big.push_str(&format!("line {i} of the third message, a little longer\n"));
    }
    d.seed_message("alice", big).unwrap();
    let uidls = d.uidl_list("alice").unwrap();
    assert_eq!(uidls.len(), 3, "{uidls:?}");
    uidls
}

/// A loopback port with nothing listening on it (right now).
fn closed_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The result of one popscope run.
struct Run {
    code: i32,
    /// The parsed JSON report (`Value::Null` when stdout was not JSON).
    report: Value,
    stdout: String,
    stderr: String,
}

impl Run {
    fn checks(&self, id: &str) -> Vec<&Value> {
        self.report["checks"]
            .as_array()
            .map(|a| a.iter().filter(|c| c["id"] == id).collect())
            .unwrap_or_default()
    }

    /// The one check with this id.
    fn check(&self, id: &str) -> &Value {
        let cs = self.checks(id);
        assert_eq!(cs.len(), 1, "expected one {id} check\n{}", self.summary());
        cs[0]
    }

    fn status(&self, id: &str) -> &str {
        self.check(id)["status"].as_str().unwrap_or("?")
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

    fn dialogue(&self) -> &Value {
        let d = &self.report["dialogue"];
        assert!(d.is_object(), "no dialogue object\n{}", self.stdout);
        d
    }

    /// The transcript of the login session: the lines of the session's
    /// endpoint from the note that opens the session on (the probe's own
    /// lines for that endpoint come before it), as `(dir, text)`.
    fn session_transcript(&self) -> Vec<(String, String)> {
        let ep = self.dialogue()["endpoint"]
            .as_str()
            .unwrap_or_else(|| panic!("dialogue without endpoint\n{}", self.summary()))
            .to_string();
        let endpoint = self.report["endpoints"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|e| {
                let addr = e["address"].as_str().unwrap_or_default();
                let port = e["port"].as_u64().unwrap_or_default();
                let label = if addr.contains(':') {
                    format!("[{addr}]:{port}")
                } else {
                    format!("{addr}:{port}")
                };
                label == ep
            })
            .unwrap_or_else(|| panic!("no endpoint {ep}\n{}", self.stdout));
        let lines: Vec<(String, String)> = endpoint["transcript"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|l| {
                (
                    l["dir"].as_str().unwrap_or_default().to_string(),
                    l["text"].as_str().unwrap_or_default().to_string(),
                )
            })
            .collect();
        let start = lines
            .iter()
            .position(|(dir, text)| dir == "note" && text.starts_with("login session"))
            .unwrap_or_else(|| panic!("no login session note in {ep}'s transcript:\n{lines:#?}"));
        lines[start..].to_vec()
    }

    /// The commands popscope sent in the login session.
    fn session_commands(&self) -> Vec<String> {
        self.session_transcript()
            .into_iter()
            .filter(|(dir, _)| dir == "client")
            .map(|(_, text)| text)
            .collect()
    }

    /// Every `pop3.step.N` check, in order of N.
    fn steps(&self) -> Vec<&Value> {
        let mut v: Vec<&Value> = self.report["checks"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|c| {
                c["id"]
                    .as_str()
                    .is_some_and(|id| id.starts_with("pop3.step."))
            })
            .collect();
        v.sort_by_key(|c| {
            c["id"].as_str().unwrap()["pop3.step.".len()..]
                .parse::<u32>()
                .unwrap()
        });
        v
    }
}

/// How to run popscope against the fixture.
struct Invocation<'a> {
    /// `["check", "127.0.0.1"]` or `["replay", PROFILE, "127.0.0.1"]`.
    command: Vec<String>,
    /// Flags after the common ones.
    extra: Vec<String>,
    /// POPSCOPE_PASSWORD, when set.
    password: Option<&'a str>,
    /// Whether to ask for JSON (and parse it).
    json: bool,
}

impl<'a> Invocation<'a> {
    fn check() -> Self {
        Invocation {
            command: vec!["check".into(), "127.0.0.1".into()],
            extra: Vec::new(),
            password: None,
            json: true,
        }
    }

    fn replay(profile: &str) -> Self {
        Invocation {
            command: vec!["replay".into(), profile.into(), "127.0.0.1".into()],
            ..Self::check()
        }
    }

    fn args(mut self, args: &[&str]) -> Self {
        self.extra.extend(args.iter().map(|s| s.to_string()));
        self
    }

    fn password(mut self, p: &'a str) -> Self {
        self.password = Some(p);
        self
    }

    fn text(mut self) -> Self {
        self.json = false;
        self
    }

    /// Runs popscope against `d`'s two ports, trusting the test CA and
    /// verifying the name `localhost`.
    fn run(self, d: &Dovecot) -> Run {
        let tls_port = d.pop3s_addr().map_or_else(closed_port, |a| a.port());
        let mut cmd = Command::cargo_bin("popscope").expect("the popscope binary");
        for var in [
            "POPSCOPE_CA_FILE",
            "POPSCOPE_TIMEOUT",
            "POPSCOPE_DNS_SERVER",
            "POPSCOPE_COLOR",
            "POPSCOPE_USER",
            "POPSCOPE_PASSWORD",
            "POPSCOPE_TOKEN",
            "NO_COLOR",
        ] {
            cmd.env_remove(var);
        }
        if let Some(p) = self.password {
            cmd.env("POPSCOPE_PASSWORD", p);
        }
        cmd.args(&self.command)
            .args(["--timeout", "5s"])
            .arg("--ca-file")
            .arg(d.ca_pem_path())
            .args(["--tls-name", "localhost"])
            .args(["--plain-port", &d.pop3_addr().port().to_string()])
            .args(["--tls-port", &tls_port.to_string()])
            .args(&self.extra)
            .timeout(Duration::from_secs(90));
        if self.json {
            cmd.arg("--json");
        } else {
            cmd.args(["--color", "never"]);
        }
        let out = cmd.output().expect("running popscope");
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        let code = out.status.code().unwrap_or(-1);
        let report = if self.json && code != 3 {
            let report: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| {
                panic!(
                    "popscope did not print one JSON object ({e}); exit {code}\nstdout:\n{stdout}\nstderr:\n{stderr}\n--- dovecot log ---\n{}",
                    d.log_tail(30)
                )
            });
            assert_eq!(report["schema"], "popscope.report/v1", "{stdout}");
            report
        } else {
            Value::Null
        };
        Run {
            code,
            report,
            stdout,
            stderr,
        }
    }
}

/// The client address the fixture's relay announces to Dovecot: lines with
/// it come from popscope (the fixture's own helpers such as `uidl_list` use
/// the direct listener and show `rip=127.0.0.1`).
const RELAYED: &str = "rip=192.0.2.10";

/// The Dovecot log lines that mention a login attempt by popscope for `user`.
fn login_lines(log: &str, user: &str) -> Vec<String> {
    let needle = format!("user=<{user}>");
    log.lines()
        .filter(|l| l.contains(&needle) && l.contains(RELAYED))
        .map(str::to_string)
        .collect()
}

// ---------------------------------------------------------------------------
// Login with each mechanism.

/// `--auth` value, the mechanism popscope must report, and how Dovecot logs it.
const MECHANISMS: [(Option<&str>, &str, &str); 6] = [
    (None, "CRAM-MD5", "method=CRAM-MD5"),
    (Some("user"), "USER", "method=PLAIN"),
    (Some("plain"), "PLAIN", "method=PLAIN"),
    (Some("login"), "LOGIN", "method=LOGIN"),
    (Some("cram-md5"), "CRAM-MD5", "method=CRAM-MD5"),
    (Some("apop"), "APOP", "method=APOP"),
];

#[test]
fn login_succeeds_with_every_mechanism_dovecot_offers() {
    require_dovecot!("login_succeeds_with_every_mechanism_dovecot_offers");
    let d = start(DovecotOpts::default());
    let before = seed_alice(&d);
    let mut failures = Vec::new();
    for (auth, mechanism, dovecot_method) in MECHANISMS {
        let label = auth.unwrap_or("auto");
        let log_before = d.log().len();
        let mut inv = Invocation::check()
            .args(&["--user", "alice"])
            .password(ALICE_PASSWORD);
        if let Some(a) = auth {
            inv = inv.args(&["--auth", a]);
        }
        let run = inv.run(&d);
        let mut problems = Vec::new();
        if run.status("auth.login") != "pass" {
            problems.push("auth.login is not pass".to_string());
        }
        if run.status("pop3.dialogue") != "pass" {
            problems.push("pop3.dialogue is not pass".to_string());
        }
        if run.code != 0 || run.report["verdict"] != "pass" {
            problems.push(format!(
                "exit {} / verdict {}",
                run.code, run.report["verdict"]
            ));
        }
        let dl = run.dialogue();
        if dl["login_result"]["mechanism"] != mechanism {
            problems.push(format!(
                "dialogue.login_result.mechanism = {} (want {mechanism})",
                dl["login_result"]["mechanism"]
            ));
        }
        if dl["profile"] != "basic" {
            problems.push(format!("profile {} (want basic)", dl["profile"]));
        }
        if dl["quit_sent"] != true || dl["deleted"] != false || dl["rset_sent"] != false {
            problems.push(format!(
                "quit_sent {} deleted {} rset_sent {}",
                dl["quit_sent"], dl["deleted"], dl["rset_sent"]
            ));
        }
        let login_check = run.check("auth.login");
        if login_check["data"]["mechanism"] != mechanism {
            problems.push(format!(
                "auth.login data.mechanism = {}",
                login_check["data"]["mechanism"]
            ));
        }
        // STAT saw the three seeded messages.
        let stat = run.check("pop3.step.3");
        if !stat["summary"]
            .as_str()
            .unwrap_or_default()
            .contains("+OK 3 ")
        {
            problems.push(format!("STAT step: {}", stat["summary"]));
        }
        // Dovecot itself says who logged in, and how.
        let log = d.log();
        let new_logins: Vec<String> = login_lines(&log[log_before..], "alice")
            .into_iter()
            .filter(|l| l.contains("Login:"))
            .collect();
        if new_logins.len() != 1 || !new_logins[0].contains(dovecot_method) {
            problems.push(format!(
                "Dovecot logged {new_logins:?} (want one login with {dovecot_method})"
            ));
        }
        // The secret never shows.
        if run.stdout.contains(ALICE_PASSWORD) || run.stderr.contains(ALICE_PASSWORD) {
            problems.push("the password appears in the output".into());
        }
        if !problems.is_empty() {
            failures.push(format!(
                "--auth {label}: {}\n{}",
                problems.join("; "),
                run.summary()
            ));
        }
    }
    assert_eq!(d.uidl_list("alice").unwrap(), before, "mailbox changed");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The redacted forms the transcript shows for each mechanism's secret part.
#[test]
fn login_transcripts_show_secrets_redacted() {
    require_dovecot!("login_transcripts_show_secrets_redacted");
    let d = start(DovecotOpts::default());
    seed_alice(&d);
    let expect: [(&str, &[&str]); 5] = [
        ("user", &["USER alice", "PASS ********"]),
        ("plain", &["AUTH PLAIN ********"]),
        ("login", &["AUTH LOGIN", "********", "********"]),
        ("cram-md5", &["AUTH CRAM-MD5", "********"]),
        ("apop", &["APOP alice ********"]),
    ];
    for (auth, want) in expect {
        let run = Invocation::check()
            .args(&["--user", "alice", "--auth", auth])
            .password(ALICE_PASSWORD)
            .run(&d);
        assert_eq!(
            run.status("auth.login"),
            "pass",
            "{auth}\n{}",
            run.summary()
        );
        let cmds = run.session_commands();
        // The login commands come right after CAPA.
        let capa = cmds.iter().position(|c| c == "CAPA").expect("CAPA sent");
        let login: Vec<&str> = cmds[capa + 1..capa + 1 + want.len()]
            .iter()
            .map(String::as_str)
            .collect();
        assert_eq!(login, want, "--auth {auth}: session commands {cmds:?}");
    }
}

// ---------------------------------------------------------------------------
// Bad password.

#[test]
fn bad_password_fails_with_dovecots_words_and_the_auth_meaning() {
    require_dovecot!("bad_password_fails_with_dovecots_words_and_the_auth_meaning");
    for auth in ["auto", "user", "plain", "login", "apop"] {
        // A fresh Dovecot each time: after a failed login Dovecot delays the
        // next attempt from the same client more and more (auth penalty),
        // beyond the 5 s time-out used here.
        let d = start(DovecotOpts::default());
        let before = seed_alice(&d);
        let run = Invocation::check()
            .args(&["--user", "alice", "--auth", auth])
            .password(WRONG_PASSWORD)
            .run(&d);
        assert_eq!(run.code, 2, "--auth {auth}\n{}", run.summary());
        assert_eq!(run.report["verdict"], "fail", "{}", run.summary());
        let c = run.check("auth.login");
        assert_eq!(c["status"], "fail", "--auth {auth}\n{}", run.summary());
        let summary = c["summary"].as_str().unwrap_or_default();
        // Dovecot's words: "-ERR [AUTH] Authentication failed."
        assert!(
            summary.contains("Authentication failed"),
            "--auth {auth}: summary lacks Dovecot's words: {c:#}"
        );
        assert!(summary.contains("[AUTH]"), "--auth {auth}: {c:#}");
        // ... and, in the detail, the words again and what [AUTH] means
        // (RFC 3206): the credentials were rejected.
        let detail = c["detail"].as_str().unwrap_or_default();
        assert!(
            detail.contains("[AUTH] Authentication failed"),
            "--auth {auth}: {c:#}"
        );
        assert!(
            detail.contains("credentials") && detail.contains("password"),
            "--auth {auth}: the [AUTH] meaning is missing: {c:#}"
        );
        assert!(
            c["remedy"]
                .as_str()
                .unwrap_or_default()
                .contains("password"),
            "--auth {auth}: {c:#}"
        );
        assert_eq!(
            c["data"]["server_text"], "[AUTH] Authentication failed.",
            "--auth {auth}: {c:#}"
        );
        assert_eq!(c["data"]["code"], "AUTH", "--auth {auth}: {c:#}");
        // The dialogue stopped at the login: STAT, LIST, UIDL skipped; the
        // final QUIT still runs (docs/profiles.md, stop_on_fail).
        assert_eq!(run.status("pop3.dialogue"), "fail", "{}", run.summary());
        let steps = run.steps();
        assert_eq!(steps.len(), 6, "{}", run.summary());
        assert_eq!(steps[1]["status"], "fail", "--auth {auth}: {:#}", steps[1]);
        for step in &steps[2..5] {
            assert_eq!(step["status"], "skip", "--auth {auth}: {step:#}");
        }
        assert_eq!(
            run.session_commands().last().map(String::as_str),
            Some("QUIT"),
            "--auth {auth}"
        );
        // Dovecot saw the failed attempt.
        assert!(
            login_lines(&d.log(), "alice")
                .iter()
                .any(|l| l.contains("auth failed") || l.contains("Aborted login")),
            "{}",
            d.log_tail(20)
        );
        assert!(
            !run.stdout.contains(WRONG_PASSWORD) && !run.stderr.contains(WRONG_PASSWORD),
            "the password was printed"
        );
        assert_eq!(d.uidl_list("alice").unwrap(), before);
    }
}

// ---------------------------------------------------------------------------
// Shipped profiles: all steps pass or skip, mailbox unchanged.

fn assert_profile_run(run: &Run, profile: &str, how: &str) {
    let ctx = format!("{how} {profile}");
    assert_eq!(run.code, 0, "{ctx}\n{}", run.summary());
    let dl = run.dialogue();
    assert_eq!(dl["profile"], profile, "{ctx}");
    assert_eq!(
        run.status("pop3.dialogue"),
        "pass",
        "{ctx}\n{}",
        run.summary()
    );
    let steps = run.steps();
    assert!(!steps.is_empty(), "{ctx}: no steps\n{}", run.summary());
    assert_eq!(
        steps.len(),
        dl["steps"].as_array().map_or(0, Vec::len),
        "{ctx}"
    );
    for s in &steps {
        let st = s["status"].as_str().unwrap_or_default();
        assert!(
            st == "pass" || st == "skip",
            "{ctx}: {} is {st}\n{}",
            s["id"],
            run.summary()
        );
    }
    assert_eq!(dl["deleted"], false, "{ctx}");
    assert_eq!(dl["rset_sent"], false, "{ctx}");
    assert_eq!(dl["quit_sent"], true, "{ctx}");
    let cmds = run.session_commands();
    assert!(
        !cmds
            .iter()
            .any(|c| c.to_ascii_uppercase().starts_with("DELE")),
        "{ctx}: {cmds:?}"
    );
    assert_eq!(cmds.last().map(String::as_str), Some("QUIT"), "{ctx}");
    if profile == "capabilities-only" {
        assert_eq!(cmds, ["CAPA", "QUIT"], "{ctx}");
    } else {
        assert_eq!(run.status("auth.login"), "pass", "{ctx}\n{}", run.summary());
    }
}

/// Runs every shipped profile with `invocation(profile)` and checks that
/// all steps pass or skip and that alice's UIDL list is the same afterwards.
fn every_shipped_profile(how: &str, invocation: impl Fn(&str) -> Invocation<'static>) {
    let d = start(DovecotOpts::default());
    let before = seed_alice(&d);
    for profile in SHIPPED_PROFILES {
        let run = invocation(profile)
            .args(&["--user", "alice"])
            .password(ALICE_PASSWORD)
            .run(&d);
        assert_profile_run(&run, profile, how);
        assert_eq!(
            d.uidl_list("alice").unwrap(),
            before,
            "{how} {profile} changed the mailbox"
        );
    }
    // Dovecot agrees: no session of popscope's deleted anything.
    let log = d.log();
    let logouts: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("pop3(alice)") && l.contains("del="))
        .collect();
    assert!(!logouts.is_empty(), "{log}");
    for l in logouts {
        assert!(l.contains("del=0/"), "{l}");
    }
}

#[test]
fn every_shipped_profile_via_check_profile_leaves_the_mailbox_unchanged() {
    require_dovecot!("every_shipped_profile_via_check_profile_leaves_the_mailbox_unchanged");
    every_shipped_profile("check --profile", |p| {
        Invocation::check().args(&["--profile", p])
    });
}

#[test]
fn every_shipped_profile_via_replay_leaves_the_mailbox_unchanged() {
    require_dovecot!("every_shipped_profile_via_replay_leaves_the_mailbox_unchanged");
    every_shipped_profile("replay", Invocation::replay);
}

#[test]
fn replay_parses_its_arguments() {
    // No Dovecot needed: a usage error must come from popscope, not a panic
    // (regression: the positional PROFILE and --profile once shared a clap id).
    let out = Command::cargo_bin("popscope")
        .unwrap()
        .args(["replay", "no-such-profile", "127.0.0.1", "--json"])
        .env_remove("POPSCOPE_PASSWORD")
        .timeout(Duration::from_secs(30))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("no-such-profile"), "{stderr}");
}

#[test]
fn full_read_fetches_the_dot_stuffed_message_intact() {
    require_dovecot!("full_read_fetches_the_dot_stuffed_message_intact");
    let d = start(DovecotOpts::default());
    let before = seed_alice(&d);
    let run = Invocation::check()
        .args(&["--user", "alice", "--profile", "full-read"])
        .password(ALICE_PASSWORD)
        .run(&d);
    assert_profile_run(&run, "full-read", "check --profile");
    let steps = run.dialogue()["steps"].as_array().unwrap().clone();
    let retr = steps
        .iter()
        .find(|s| s["verb"] == "RETR")
        .expect("a RETR step");
    assert_eq!(retr["status"], "pass", "{retr:#}");
    assert_eq!(retr["captured"]["truncated"], false, "{retr:#}");
    // popscope read the whole message, dot-unstuffed, and did not take the
    // body's lone "." (sent as "..") for the end: it counted exactly the
    // octets LIST announced, in 9 lines (4 headers, blank, 4 body lines).
    let list = steps
        .iter()
        .find(|s| s["verb"] == "LIST" && s["captured"]["sizes"].is_array())
        .expect("a LIST step with sizes");
    let size_of_1 = &list["captured"]["sizes"][0]["octets"];
    assert!(size_of_1.is_u64(), "{list:#}");
    assert_eq!(&retr["captured"]["octets"], size_of_1, "{retr:#}");
    assert_eq!(retr["captured"]["lines"], 9, "{retr:#}");
    // The transcript shows the wire form: stuffed lines, then the real end.
    let t = run.session_transcript();
    let server: Vec<&str> = t
        .iter()
        .filter(|(dir, _)| dir == "server")
        .map(|(_, text)| text.as_str())
        .collect();
    let retr_reply = server
        .iter()
        .rposition(|l| l.starts_with("+OK") && l.contains("octets"))
        .expect("the RETR reply");
    assert_eq!(
        &server[retr_reply + 6..retr_reply + 11],
        [
            "..leading dot line",
            "...two leading dots",
            "..",
            "after the lone dot",
            "."
        ],
        "{server:#?}"
    );
    assert_eq!(d.uidl_list("alice").unwrap(), before);
}

#[test]
fn teaching_profile_logs_in_with_user_and_explains_every_step() {
    require_dovecot!("teaching_profile_logs_in_with_user_and_explains_every_step");
    let d = start(DovecotOpts::default());
    let before = seed_alice(&d);
    let run = Invocation::check()
        .args(&["--user", "alice", "--profile", "teaching"])
        .password(ALICE_PASSWORD)
        .run(&d);
    assert_profile_run(&run, "teaching", "check --profile");
    let dl = run.dialogue();
    assert_eq!(dl["login_result"]["mechanism"], "USER", "{dl:#}");
    for s in dl["steps"].as_array().unwrap() {
        assert!(
            !s["explanation"].as_str().unwrap_or_default().is_empty(),
            "step without an explanation: {s:#}"
        );
        assert_eq!(s["pipelined"], false, "teaching does not pipeline: {s:#}");
    }
    let cmds = run.session_commands();
    for want in [
        "STAT", "LIST", "LIST 1", "UIDL", "UIDL 1", "TOP 1 0", "TOP 1 5", "RETR 1", "NOOP", "RSET",
        "QUIT",
    ] {
        assert!(cmds.iter().any(|c| c == want), "{want} not sent: {cmds:?}");
    }
    assert_eq!(d.uidl_list("alice").unwrap(), before);
}

// ---------------------------------------------------------------------------
// DELE: aborted dialogue and validation.

/// A profile that marks message 1 for deletion, then fails a stopping step.
const ABORT_PROFILE: &str = r#"
name = "abort-after-dele"
description = "Marks message 1 deleted, then fails: popscope must RSET and not QUIT."

[[step]]
send = "CAPA"

[[step]]
login = true

[[step]]
send = "STAT"
capture = "count_size"

[[step]]
send = "DELE 1"

[[step]]
send = "RETR 999"
expect = "ok"
stop_on_fail = true

[[step]]
send = "NOOP"

[[step]]
send = "QUIT"
"#;

fn write_profile(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

/// Runs [`ABORT_PROFILE`] with `--allow-delete`: DELE 1 is accepted, the
/// stopping RETR 999 fails, so popscope must send RSET, skip the rest, not
/// QUIT, and the mailbox must keep every message.
fn aborted_dialogue(how: &str, invocation: impl Fn(&str) -> Invocation<'static>) {
    let d = start(DovecotOpts::default());
    let before = seed_alice(&d);
    let dir = tempfile::tempdir().unwrap();
    let profile = write_profile(dir.path(), "abort.toml", ABORT_PROFILE);

    let run = invocation(&profile)
        .args(&["--user", "alice", "--allow-delete"])
        .password(ALICE_PASSWORD)
        .run(&d);
    let ctx = format!("{how}\n{}", run.summary());
    assert_eq!(run.code, 2, "{ctx}");
    assert_eq!(run.status("auth.login"), "pass", "{ctx}");
    assert_eq!(run.status("pop3.dialogue"), "fail", "{ctx}");
    let status: Vec<&str> = run
        .steps()
        .iter()
        .map(|s| s["status"].as_str().unwrap_or("?"))
        .collect();
    // CAPA, login, STAT, DELE 1 pass; RETR 999 fails; NOOP and QUIT skipped.
    assert_eq!(
        status,
        ["pass", "pass", "pass", "pass", "fail", "skip", "skip"],
        "{ctx}"
    );
    let quit = run.check("pop3.step.7");
    assert!(
        format!("{} {}", quit["summary"], quit["detail"]).contains("DELE"),
        "the skipped QUIT should say why (a DELE came before): {quit:#}"
    );
    let dl = run.dialogue();
    assert_eq!(dl["rset_sent"], true, "{ctx}");
    assert_eq!(dl["quit_sent"], false, "{ctx}");
    assert_eq!(dl["deleted"], false, "{ctx}");
    let data = &run.check("pop3.dialogue")["data"];
    assert_eq!(data["rset_sent"], true, "{data:#}");
    assert_eq!(data["quit_sent"], false, "{data:#}");
    assert_eq!(data["deleted"], false, "{data:#}");

    // The wire: DELE 1 accepted, RETR 999 refused, then RSET and nothing else.
    let t = run.session_transcript();
    let cmds = run.session_commands();
    let dele = cmds.iter().position(|c| c == "DELE 1").expect("DELE sent");
    assert_eq!(
        &cmds[dele..],
        ["DELE 1", "RETR 999", "RSET"],
        "after DELE: {cmds:?}"
    );
    assert!(!cmds.iter().any(|c| c == "QUIT"), "QUIT sent: {cmds:?}");
    let reply_to = |cmd: &str| -> String {
        let at = t
            .iter()
            .position(|(dir, text)| dir == "client" && text == cmd)
            .unwrap();
        t[at + 1..]
            .iter()
            .find(|(dir, _)| dir == "server")
            .map(|(_, text)| text.clone())
            .unwrap_or_else(|| panic!("{cmd} not answered: {t:#?}"))
    };
    assert!(reply_to("DELE 1").starts_with("+OK"), "{t:#?}");
    assert!(reply_to("RETR 999").starts_with("-ERR"), "{t:#?}");
    assert!(reply_to("RSET").starts_with("+OK"), "{t:#?}");

    // The mailbox is unchanged, and Dovecot deleted nothing.
    assert_eq!(d.uidl_list("alice").unwrap(), before, "{how}");
    let log = d.log();
    assert!(!log.contains("del=1/"), "Dovecot deleted a message:\n{log}");
}

#[test]
fn aborted_dialogue_after_dele_via_check_profile_sends_rset_and_deletes_nothing() {
    require_dovecot!(
        "aborted_dialogue_after_dele_via_check_profile_sends_rset_and_deletes_nothing"
    );
    aborted_dialogue("check --profile", |p| {
        Invocation::check().args(&["--profile", p])
    });
}

#[test]
fn aborted_dialogue_after_dele_via_replay_sends_rset_and_deletes_nothing() {
    require_dovecot!("aborted_dialogue_after_dele_via_replay_sends_rset_and_deletes_nothing");
    aborted_dialogue("replay", Invocation::replay);
}

/// The same profile without `--allow-delete`: exit 3 before connecting.
fn dele_refused(how: &str, invocation: impl Fn(&str) -> Invocation<'static>) {
    let d = start(DovecotOpts::default());
    let before = seed_alice(&d);
    let dir = tempfile::tempdir().unwrap();
    let profile = write_profile(dir.path(), "abort.toml", ABORT_PROFILE);
    // A lower-case dele is still a DELE.
    let lower = write_profile(
        dir.path(),
        "lower.toml",
        "[[step]]\nsend = \"CAPA\"\n[[step]]\nlogin = true\n[[step]]\nsend = \"dele 2\"\n",
    );
    let log_before = d.log();
    for (file, json) in [(&profile, true), (&profile, false), (&lower, true)] {
        let mut inv = invocation(file)
            .args(&["--user", "alice"])
            .password(ALICE_PASSWORD);
        if !json {
            inv = inv.text();
        }
        let run = inv.run(&d);
        let ctx = format!("{how} {file} (json {json})");
        assert_eq!(run.code, 3, "{ctx}: exit {}\n{}", run.code, run.stderr);
        assert!(
            run.stderr.contains("--allow-delete"),
            "{ctx}: stderr does not mention --allow-delete: {}",
            run.stderr
        );
        assert!(
            run.stdout.trim().is_empty(),
            "{ctx}: a usage error prints no report: {}",
            run.stdout
        );
    }
    // Nothing connected: Dovecot logged nothing new.
    assert_eq!(d.log(), log_before, "popscope connected to Dovecot");
    assert_eq!(d.uidl_list("alice").unwrap(), before);
}

#[test]
fn dele_profile_via_check_without_allow_delete_is_refused_before_connecting() {
    require_dovecot!("dele_profile_via_check_without_allow_delete_is_refused_before_connecting");
    dele_refused("check --profile", |p| {
        Invocation::check().args(&["--profile", p])
    });
}

#[test]
fn dele_profile_via_replay_without_allow_delete_is_refused_before_connecting() {
    require_dovecot!("dele_profile_via_replay_without_allow_delete_is_refused_before_connecting");
    dele_refused("replay", Invocation::replay);
}

// ---------------------------------------------------------------------------
// Credentials never travel in clear text (or over untrusted TLS) by default.

#[test]
fn no_cleartext_login_without_allow_cleartext_auth() {
    require_dovecot!("no_cleartext_login_without_allow_cleartext_auth");
    let d = start(
        DovecotOpts::default()
            .ssl(SslMode::No)
            .disable_plaintext_auth(false),
    );
    let before = seed_alice(&d);

    let run = Invocation::check()
        .args(&["--user", "alice"])
        .password(ALICE_PASSWORD)
        .run(&d);
    let c = run.check("auth.login");
    assert_eq!(c["status"], "fail", "{}", run.summary());
    let text = format!("{} {}", c["summary"], c["detail"]);
    assert!(
        text.contains("clear text"),
        "auth.login does not say it refused to send in clear text: {c:#}"
    );
    assert!(
        c["remedy"]
            .as_str()
            .unwrap_or_default()
            .contains("--allow-cleartext-auth"),
        "{c:#}"
    );
    assert_eq!(run.code, 2, "{}", run.summary());
    // Dovecot never saw alice, and no transcript shows a login command.
    let log = d.log();
    assert!(
        login_lines(&log, "alice").is_empty(),
        "Dovecot saw a login attempt for alice:\n{log}"
    );
    let all = run.report["endpoints"].to_string();
    for cmd in ["USER alice", "PASS ", "AUTH ", "APOP "] {
        assert!(!all.contains(cmd), "{cmd:?} was sent: {all}");
    }

    // With --allow-cleartext-auth the login works, but only as a warning
    // (and the dialogue, whose worst step is that login, warns too).
    let run = Invocation::check()
        .args(&["--user", "alice", "--allow-cleartext-auth"])
        .password(ALICE_PASSWORD)
        .run(&d);
    assert_eq!(run.status("auth.login"), "warn", "{}", run.summary());
    assert_eq!(run.status("pop3.dialogue"), "warn", "{}", run.summary());
    assert_eq!(run.status("pop3.step.2"), "warn", "{}", run.summary());
    for n in [1, 3, 4, 5, 6] {
        assert_eq!(
            run.status(&format!("pop3.step.{n}")),
            "pass",
            "{}",
            run.summary()
        );
    }
    let dl = run.dialogue();
    assert_eq!(dl["login_result"]["tls_active"], false, "{dl:#}");
    assert!(
        login_lines(&d.log(), "alice")
            .iter()
            .any(|l| l.contains("Login:")),
        "{}",
        d.log_tail(20)
    );
    // Even in clear text, the transcript never shows the password.
    assert!(!run.stdout.contains(ALICE_PASSWORD), "password printed");
    assert_eq!(d.uidl_list("alice").unwrap(), before);
}

#[test]
fn no_login_over_untrusted_tls_without_allow_cleartext_auth() {
    require_dovecot!("no_login_over_untrusted_tls_without_allow_cleartext_auth");
    let d = start(DovecotOpts::default().cert(CertKind::SelfSigned));
    seed_alice(&d);
    let run = Invocation::check()
        .args(&["--user", "alice"])
        .password(ALICE_PASSWORD)
        .run(&d);
    let c = run.check("auth.login");
    assert_eq!(c["status"], "fail", "{}", run.summary());
    assert!(
        c["summary"]
            .as_str()
            .unwrap_or_default()
            .contains("not trusted"),
        "{c:#}"
    );
    assert!(
        login_lines(&d.log(), "alice").is_empty(),
        "Dovecot saw a login attempt for alice:\n{}",
        d.log()
    );

    let run = Invocation::check()
        .args(&["--user", "alice", "--allow-cleartext-auth"])
        .password(ALICE_PASSWORD)
        .run(&d);
    assert_eq!(run.status("auth.login"), "warn", "{}", run.summary());
    assert_eq!(run.dialogue()["login_result"]["tls_trusted"], false);
}
