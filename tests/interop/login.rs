//! Interop tests of the login and the scripted dialogues: popscope against a
//! real Dovecot with real users and Maildirs (see `tests/support/dovecot/`).
//!
//! Covered here (issue 3): a successful login with every mechanism Dovecot
//! offers (and `auto`), a bad password explained in Dovecot's words, every
//! shipped profile through `replay` and `check --profile` with the mailbox
//! unchanged afterwards (same UIDL list), an aborted dialogue after DELE
//! (RSET, no QUIT, nothing deleted), DELE refused without `--allow-delete`
//! before anything connects, and no password sent over a connection without
//! TLS (or with an untrusted certificate) unless `--allow-cleartext-auth`.

use std::path::Path;

use super::Invocation;
use crate::support::cmd::run;
use crate::support::dovecot::{CertKind, Dovecot, DovecotOpts, SslMode, require_dovecot, start};
use crate::support::report::Report;

/// alice's password in the fixture.
const ALICE_PASSWORD: &str = "wonderland";

/// A wrong password (never accepted, must never be printed either).
const WRONG_PASSWORD: &str = "Not-The-Password-4417";

/// The profiles built into the binary.
const SHIPPED_PROFILES: [&str; 4] = ["basic", "full-read", "teaching", "capabilities-only"];

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
        if run.code != 0 || run.json["verdict"] != "pass" {
            problems.push(format!(
                "exit {} / verdict {}",
                run.code, run.json["verdict"]
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
        let login_check = run.one("auth.login");
        if login_check["data"]["mechanism"] != mechanism {
            problems.push(format!(
                "auth.login data.mechanism = {}",
                login_check["data"]["mechanism"]
            ));
        }
        // STAT saw the three seeded messages.
        let stat = run.one("pop3.step.3");
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
                run.describe()
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
            run.describe()
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
        assert_eq!(run.code, 2, "--auth {auth}\n{}", run.describe());
        assert_eq!(run.json["verdict"], "fail", "{}", run.describe());
        let c = run.one("auth.login");
        assert_eq!(c["status"], "fail", "--auth {auth}\n{}", run.describe());
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
        assert_eq!(run.status("pop3.dialogue"), "fail", "{}", run.describe());
        let steps = run.steps();
        assert_eq!(steps.len(), 6, "{}", run.describe());
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

fn assert_profile_run(run: &Report, profile: &str, how: &str) {
    let ctx = format!("{how} {profile}");
    assert_eq!(run.code, 0, "{ctx}\n{}", run.describe());
    let dl = run.dialogue();
    assert_eq!(dl["profile"], profile, "{ctx}");
    assert_eq!(
        run.status("pop3.dialogue"),
        "pass",
        "{ctx}\n{}",
        run.describe()
    );
    let steps = run.steps();
    assert!(!steps.is_empty(), "{ctx}: no steps\n{}", run.describe());
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
            run.describe()
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
        assert_eq!(
            run.status("auth.login"),
            "pass",
            "{ctx}\n{}",
            run.describe()
        );
    }
}

/// The two ways of running a dialogue profile: `check --profile NAME` and
/// `replay NAME`.
#[derive(Clone, Copy)]
enum Way {
    CheckProfile,
    Replay,
}

impl Way {
    /// The command, for assertion messages.
    fn how(self) -> &'static str {
        match self {
            Way::CheckProfile => "check --profile",
            Way::Replay => "replay",
        }
    }

    /// The invocation that runs `profile` this way.
    fn invocation(self, profile: &str) -> Invocation<'static> {
        match self {
            Way::CheckProfile => Invocation::check().args(&["--profile", profile]),
            Way::Replay => Invocation::replay(profile),
        }
    }
}

/// Runs every shipped profile the given way and checks that
/// all steps pass or skip and that alice's UIDL list is the same afterwards.
fn every_shipped_profile(way: Way) {
    let (how, invocation) = (way.how(), |p: &str| way.invocation(p));
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
    every_shipped_profile(Way::CheckProfile);
}

#[test]
fn every_shipped_profile_via_replay_leaves_the_mailbox_unchanged() {
    require_dovecot!("every_shipped_profile_via_replay_leaves_the_mailbox_unchanged");
    every_shipped_profile(Way::Replay);
}

#[test]
fn replay_parses_its_arguments() {
    // No Dovecot needed: a usage error must come from popscope, not a panic
    // (regression: the positional PROFILE and --profile once shared a clap id).
    let out = run(&["replay", "no-such-profile", "127.0.0.1", "--json"]);
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(out.stderr.contains("no-such-profile"), "{}", out.stderr);
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
fn aborted_dialogue(way: Way) {
    let (how, invocation) = (way.how(), |p: &str| way.invocation(p));
    let d = start(DovecotOpts::default());
    let before = seed_alice(&d);
    let dir = tempfile::tempdir().unwrap();
    let profile = write_profile(dir.path(), "abort.toml", ABORT_PROFILE);

    let run = invocation(&profile)
        .args(&["--user", "alice", "--allow-delete"])
        .password(ALICE_PASSWORD)
        .run(&d);
    let ctx = format!("{how}\n{}", run.describe());
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
    let quit = run.one("pop3.step.7");
    assert!(
        format!("{} {}", quit["summary"], quit["detail"]).contains("DELE"),
        "the skipped QUIT should say why (a DELE came before): {quit:#}"
    );
    let dl = run.dialogue();
    assert_eq!(dl["rset_sent"], true, "{ctx}");
    assert_eq!(dl["quit_sent"], false, "{ctx}");
    assert_eq!(dl["deleted"], false, "{ctx}");
    let data = &run.one("pop3.dialogue")["data"];
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
    aborted_dialogue(Way::CheckProfile);
}

#[test]
fn aborted_dialogue_after_dele_via_replay_sends_rset_and_deletes_nothing() {
    require_dovecot!("aborted_dialogue_after_dele_via_replay_sends_rset_and_deletes_nothing");
    aborted_dialogue(Way::Replay);
}

/// The same profile without `--allow-delete`: exit 3 before connecting.
fn dele_refused(way: Way) {
    let (how, invocation) = (way.how(), |p: &str| way.invocation(p));
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
    dele_refused(Way::CheckProfile);
}

#[test]
fn dele_profile_via_replay_without_allow_delete_is_refused_before_connecting() {
    require_dovecot!("dele_profile_via_replay_without_allow_delete_is_refused_before_connecting");
    dele_refused(Way::Replay);
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
    let c = run.one("auth.login");
    assert_eq!(c["status"], "fail", "{}", run.describe());
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
    assert_eq!(run.code, 2, "{}", run.describe());
    // Dovecot never saw alice, and no transcript shows a login command.
    let log = d.log();
    assert!(
        login_lines(&log, "alice").is_empty(),
        "Dovecot saw a login attempt for alice:\n{log}"
    );
    let all = run.json["endpoints"].to_string();
    for cmd in ["USER alice", "PASS ", "AUTH ", "APOP "] {
        assert!(!all.contains(cmd), "{cmd:?} was sent: {all}");
    }

    // With --allow-cleartext-auth the login works, but only as a warning
    // (and the dialogue, whose worst step is that login, warns too).
    let run = Invocation::check()
        .args(&["--user", "alice", "--allow-cleartext-auth"])
        .password(ALICE_PASSWORD)
        .run(&d);
    assert_eq!(run.status("auth.login"), "warn", "{}", run.describe());
    assert_eq!(run.status("pop3.dialogue"), "warn", "{}", run.describe());
    assert_eq!(run.status("pop3.step.2"), "warn", "{}", run.describe());
    for n in [1, 3, 4, 5, 6] {
        assert_eq!(
            run.status(&format!("pop3.step.{n}")),
            "pass",
            "{}",
            run.describe()
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
    let c = run.one("auth.login");
    assert_eq!(c["status"], "fail", "{}", run.describe());
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
    assert_eq!(run.status("auth.login"), "warn", "{}", run.describe());
    assert_eq!(run.dialogue()["login_result"]["tls_trusted"], false);
}
