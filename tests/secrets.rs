//! Secrets never leave popscope (issue 3, "a test runs every output format
//! with a known password and proves it appears nowhere").
//!
//! The built-in lab (`popscope::lab`, started in-process on 127.0.0.1) has
//! fixed accounts, so a successful login uses alice's `wonderland`; the
//! failure path uses a distinctive wrong password (`S3cret-Canary-9741`).
//! For every login method (auto, USER/PASS, SASL PLAIN, LOGIN, CRAM-MD5,
//! APOP), every output format (text with and without colour,
//! `--transcript-only`, `--no-transcript`, `--json`, `--format json`) and
//! every password source (POPSCOPE_PASSWORD, `--password-env`,
//! `--password-file`), standard output and standard error must contain none
//! of:
//!
//! - the password, its hex and its base64 forms (with and without padding);
//! - the SASL PLAIN payloads `\0user\0password`, `user\0user\0password`,
//!   `user\0password` in base64;
//! - any base64 token that decodes to something containing the password;
//! - the APOP digest and the CRAM-MD5 response (hex, and `user hex` in
//!   base64), computed here from every greeting timestamp / challenge the
//!   output shows.
//!
//! The transcripts must show the redacted shapes instead (`PASS ********`,
//! `AUTH PLAIN ********`, `APOP alice ********`, `********` for SASL
//! continuations). The TUI is driven in tmux on a private socket (as in
//! `tests/tui_e2e.rs`): its screens, the details of every transcript line
//! of the login session, and the JSON and text reports it saves are checked
//! the same way.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command as StdCommand;
use std::time::{Duration, Instant};

use assert_cmd::Command;
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use hmac::{Hmac, Mac};
use md5::{Digest, Md5};
use popscope::lab::{Lab, LabConfig, Scenario};
use regex::Regex;
use serde_json::Value;

use support::dovecot::{REQUIRE_ENV, interop_required};

/// The lab user and its (fixed) password.
const USER: &str = "alice";
const PASSWORD: &str = "wonderland";

/// A distinctive wrong password: the failure path must not echo it either.
const CANARY: &str = "S3cret-Canary-9741";

/// `--auth` values (None: auto) and the redacted client lines each shows.
const MECHANISMS: [(Option<&str>, &[&str]); 6] = [
    (None, &["AUTH CRAM-MD5", "********"]),
    (Some("user"), &["USER alice", "PASS ********"]),
    (Some("plain"), &["AUTH PLAIN ********"]),
    (Some("login"), &["AUTH LOGIN", "********", "********"]),
    (Some("cram-md5"), &["AUTH CRAM-MD5", "********"]),
    (Some("apop"), &["APOP alice ********"]),
];

/// Output formats: flags, and whether stdout is JSON.
const FORMATS: [(&[&str], bool); 7] = [
    (&["--color", "never"], false),
    (&["--color", "always"], false),
    (&["--transcript-only", "--color", "never"], false),
    (&["--transcript-only", "--color", "always"], false),
    (&["--no-transcript", "--color", "always"], false),
    (&["--json"], true),
    (&["--format", "json"], true),
];

// ---------------------------------------------------------------------------
// The secret forms and the scanner.

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn b64_both(data: &[u8]) -> [String; 2] {
    [STANDARD.encode(data), STANDARD_NO_PAD.encode(data)]
}

/// Forms of `password` that do not depend on the session.
fn static_forms(user: &str, password: &str) -> Vec<(String, String)> {
    let mut v = vec![
        ("password".to_string(), password.to_string()),
        ("hex(password)".to_string(), hex(password.as_bytes())),
    ];
    let payloads = [
        ("base64(password)", password.to_string()),
        (
            "base64(\\0user\\0password)",
            format!("\0{user}\0{password}"),
        ),
        (
            "base64(user\\0user\\0password)",
            format!("{user}\0{user}\0{password}"),
        ),
        ("base64(user\\0password)", format!("{user}\0{password}")),
    ];
    for (label, p) in payloads {
        for form in b64_both(p.as_bytes()) {
            v.push((label.to_string(), form));
        }
    }
    v
}

/// The APOP digest and CRAM-MD5 responses for one timestamp/challenge.
fn digest_forms(user: &str, password: &str, stamp: &str) -> Vec<(String, String)> {
    let apop = hex(&Md5::digest(format!("{stamp}{password}").as_bytes()));
    let mut mac = Hmac::<Md5>::new_from_slice(password.as_bytes()).unwrap();
    mac.update(stamp.as_bytes());
    let cram = hex(&mac.finalize().into_bytes());
    let mut v = vec![
        (format!("APOP digest for {stamp}"), apop),
        (format!("CRAM-MD5 digest for {stamp}"), cram.clone()),
    ];
    for form in b64_both(format!("{user} {cram}").as_bytes()) {
        v.push((format!("CRAM-MD5 response for {stamp}"), form));
    }
    v
}

fn ansi_re() -> Regex {
    Regex::new(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)").unwrap()
}

fn b64_token_re() -> Regex {
    Regex::new(r"[A-Za-z0-9+/]{8,}={0,2}").unwrap()
}

fn stamp_re() -> Regex {
    Regex::new(r"<[^<>\s]+@[^<>\s]+>").unwrap()
}

/// Panics when `output` contains any form of `password`. `what` names the
/// output in the message. Returns the ANSI-stripped text.
fn assert_no_secret(output: &str, user: &str, password: &str, what: &str) -> String {
    let plain = ansi_re().replace_all(output, "").into_owned();
    // JSON escapes NUL and friends; undo the common ones so a payload
    // embedded in a JSON string is seen as well.
    let unescaped = plain.replace("\\u0000", "\0").replace("\\\\", "\\");
    let texts = [output, plain.as_str(), unescaped.as_str()];

    // Timestamps and challenges shown anywhere (also inside base64, as CRAM
    // challenges are), for the digests computed from them.
    let mut stamps: Vec<String> = stamp_re()
        .find_iter(&plain)
        .map(|m| m.as_str().to_string())
        .collect();
    let mut decoded_tokens = Vec::new();
    for m in b64_token_re().find_iter(&plain) {
        if let Ok(bytes) = STANDARD
            .decode(m.as_str())
            .or_else(|_| STANDARD_NO_PAD.decode(m.as_str().trim_end_matches('=')))
        {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            stamps.extend(stamp_re().find_iter(&text).map(|s| s.as_str().to_string()));
            decoded_tokens.push((m.as_str().to_string(), bytes));
        }
    }
    stamps.sort();
    stamps.dedup();

    let mut forms = static_forms(user, password);
    for s in &stamps {
        forms.extend(digest_forms(user, password, s));
    }
    for (label, form) in &forms {
        for t in &texts {
            if let Some(at) = t.find(form.as_str()) {
                let from = t[..at].char_indices().rev().nth(80).map_or(0, |(i, _)| i);
                let to = (at + form.len() + 80).min(t.len());
                let to = (to..t.len())
                    .find(|i| t.is_char_boundary(*i))
                    .unwrap_or(t.len());
                panic!(
                    "{what}: {label} ({form:?}) appears in the output:\n...{}...",
                    &t[from..to]
                );
            }
        }
    }
    for (token, bytes) in &decoded_tokens {
        let hay = String::from_utf8_lossy(bytes);
        assert!(
            !hay.contains(password),
            "{what}: base64 token {token:?} decodes to {hay:?}, which holds the password"
        );
    }
    plain
}

/// Every `text` field of the transcript lines with `dir == "client"`.
fn json_client_lines(report: &Value) -> Vec<String> {
    report["endpoints"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|e| e["transcript"].as_array().into_iter().flatten())
        .filter(|l| l["dir"] == "client")
        .map(|l| l["text"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// Whether `lines` contains `want` as a contiguous run.
fn contains_run(lines: &[String], want: &[&str]) -> bool {
    lines
        .windows(want.len())
        .any(|w| w.iter().zip(want).all(|(a, b)| a == b))
}

/// Client lines from a text transcript (`   12ms C:  USER alice`).
fn text_client_lines(plain: &str) -> Vec<String> {
    plain
        .lines()
        .filter_map(|l| l.split_once(" C:  ").map(|(_, t)| t.trim_end().to_string()))
        .collect()
}

// ---------------------------------------------------------------------------
// The lab and the binary.

/// A lab running on its own tokio runtime (the tests themselves block).
struct TestLab {
    rt: tokio::runtime::Runtime,
    lab: Option<Lab>,
}

impl TestLab {
    fn start(scenarios: Vec<Scenario>) -> TestLab {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let lab = rt
            .block_on(Lab::start(LabConfig::new(scenarios)))
            .expect("lab");
        TestLab { rt, lab: Some(lab) }
    }

    fn lab(&self) -> &Lab {
        self.lab.as_ref().unwrap()
    }

    /// `check 127.0.0.1 --plain-port P --tls-port Q --ca-file CA`.
    fn target_args(&self, scenario: Scenario, trust_ca: bool) -> Vec<String> {
        let ep = self.lab().endpoint(scenario).expect("scenario running");
        let mut v = vec![
            ep.plain.ip().to_string(),
            "--plain-port".into(),
            ep.plain.port().to_string(),
            "--tls-port".into(),
            ep.tls.port().to_string(),
            "--timeout".into(),
            "5s".into(),
        ];
        if trust_ca {
            v.push("--ca-file".into());
            v.push(self.lab().ca_pem_path().display().to_string());
        }
        v
    }
}

impl Drop for TestLab {
    fn drop(&mut self) {
        if let Some(lab) = self.lab.take() {
            self.rt.block_on(lab.shutdown());
        }
    }
}

/// One finished popscope run.
struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs popscope with `args`; `env` are set, every other POPSCOPE_* variable
/// that could interfere is removed.
fn popscope(args: &[String], env: &[(&str, &str)]) -> Out {
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
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.args(args).timeout(Duration::from_secs(60));
    let out = cmd.output().expect("running popscope");
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// How the password reaches popscope.
#[derive(Clone, Copy, Debug)]
enum Source<'a> {
    /// POPSCOPE_PASSWORD.
    Env,
    /// `--password-env VAR`.
    NamedEnv,
    /// `--password-file FILE`.
    File(&'a Path),
}

/// Runs `check` against `scenario` for every mechanism and format and
/// checks the outputs. `login_ok` says whether the login must pass (else
/// auth.login must fail). Returns how many runs were checked.
#[allow(clippy::too_many_arguments)]
fn every_mechanism_and_format(
    lab: &TestLab,
    scenario: Scenario,
    trust_ca: bool,
    password: &str,
    source: Source<'_>,
    extra: &[&str],
    login_status: &str,
    check_shapes: bool,
) -> usize {
    let mut runs = 0;
    for (auth, shape) in MECHANISMS {
        for (format, json) in FORMATS {
            let mut args = vec!["check".to_string()];
            args.extend(lab.target_args(scenario, trust_ca));
            args.extend(["--user".to_string(), USER.to_string()]);
            if let Some(a) = auth {
                args.extend(["--auth".to_string(), a.to_string()]);
            }
            args.extend(extra.iter().map(|s| s.to_string()));
            args.extend(format.iter().map(|s| s.to_string()));
            let mut env = Vec::new();
            match source {
                Source::Env => env.push(("POPSCOPE_PASSWORD", password)),
                Source::NamedEnv => {
                    env.push(("MY_POP_SECRET", password));
                    args.extend(["--password-env".into(), "MY_POP_SECRET".into()]);
                }
                Source::File(p) => {
                    args.push("--password-file".into());
                    args.push(p.display().to_string());
                }
            }
            let what = format!(
                "{scenario} --auth {} {} ({source:?})",
                auth.unwrap_or("auto"),
                format.join(" ")
            );
            let out = popscope(&args, &env);
            assert!(
                out.code == 0 || out.code == 1 || out.code == 2,
                "{what}: exit {}\nstderr: {}",
                out.code,
                out.stderr
            );
            let plain = assert_no_secret(&out.stdout, USER, password, &format!("{what} stdout"));
            assert_no_secret(&out.stderr, USER, password, &format!("{what} stderr"));
            runs += 1;

            // The run did what we think (a login happened, or failed).
            if json {
                let report: Value = serde_json::from_str(&out.stdout)
                    .unwrap_or_else(|e| panic!("{what}: not JSON ({e}):\n{}", out.stdout));
                let login = report["checks"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|c| c["id"] == "auth.login")
                    .unwrap_or_else(|| panic!("{what}: no auth.login"));
                assert_eq!(login["status"], login_status, "{what}: {login:#}");
                if check_shapes {
                    let lines = json_client_lines(&report);
                    assert!(
                        contains_run(&lines, shape),
                        "{what}: the login should show as {shape:?}; client lines: {lines:?}"
                    );
                }
            } else {
                let want = login_status.to_uppercase();
                let transcript_only = format.contains(&"--transcript-only");
                if !transcript_only {
                    assert!(
                        plain.lines().any(|l| {
                            let mut w = l.split_whitespace();
                            w.next() == Some(want.as_str()) && w.next() == Some("auth.login")
                        }),
                        "{what}: no {want} auth.login in\n{plain}"
                    );
                }
                let lines = text_client_lines(&plain);
                if check_shapes && !format.contains(&"--no-transcript") {
                    assert!(
                        contains_run(&lines, shape),
                        "{what}: the login should show as {shape:?}; client lines: {lines:?}"
                    );
                }
                if format.contains(&"--no-transcript") {
                    assert!(lines.is_empty(), "{what}: transcript shown: {lines:?}");
                }
            }
        }
    }
    runs
}

// ---------------------------------------------------------------------------
// The CLI.

#[test]
fn scanner_finds_every_form_it_looks_for() {
    // The scanner itself must work, or every other test here proves nothing.
    let pw = "pw-Example-1";
    let stamp = "<1896.697170952@dbc.mtview.ca.us>";
    let mut leaks: Vec<String> = static_forms("alice", pw)
        .into_iter()
        .map(|(_, f)| f)
        .collect();
    leaks.extend(digest_forms("alice", pw, stamp).into_iter().map(|(_, f)| f));
    // a base64 token holding the password at an odd offset
    leaks.push(STANDARD.encode(format!("xy{pw}z")));
    for leak in leaks {
        let output = format!("+OK ready {stamp}\n   12ms C:  {leak}\n");
        let caught = std::panic::catch_unwind(|| assert_no_secret(&output, "alice", pw, "t"));
        assert!(caught.is_err(), "not caught: {leak}");
    }
    // ... also behind ANSI colour codes and inside JSON strings
    for output in [
        format!("\x1b[36mPASS {pw}\x1b[0m"),
        format!(
            "{{\"text\":\"{}\"}}",
            STANDARD.encode(format!("\0alice\0{pw}"))
        ),
    ] {
        let caught = std::panic::catch_unwind(|| assert_no_secret(&output, "alice", pw, "t"));
        assert!(caught.is_err(), "not caught: {output:?}");
    }
    // The RFC 1939 APOP example and the RFC 2195 CRAM-MD5 example.
    let apop = digest_forms("mrose", "tanstaaf", stamp);
    assert_eq!(apop[0].1, "c4c9334bac560ecc979e58001b3e22fb");
    let cram = digest_forms(
        "tim",
        "tanstaaftanstaaf",
        "<1896.697170952@postoffice.reston.mci.net>",
    );
    assert_eq!(cram[1].1, "b913a602c7eda7a495b4e6e7334d3890");
    assert_eq!(
        cram[2].1,
        "dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw"
    );
    // The redacted shapes and ordinary output pass.
    assert_no_secret(
        "C:  PASS ********\nC:  AUTH PLAIN ********\nS:  + PDE4OTYuNjk3MTcwOTUyQGRiYy5tdHZpZXcuY2EudXM+\n",
        "alice",
        pw,
        "t",
    );
}

#[test]
fn login_with_every_mechanism_shows_the_password_in_no_output_format() {
    let lab = TestLab::start(vec![Scenario::Healthy]);
    let n = every_mechanism_and_format(
        &lab,
        Scenario::Healthy,
        true,
        PASSWORD,
        Source::Env,
        &[],
        "pass",
        true,
    );
    assert_eq!(n, MECHANISMS.len() * FORMATS.len());
    // The lab still has every message (nothing was deleted on the way).
    assert_eq!(lab.lab().mailbox_uidls(USER).map(|u| u.len()), Some(4));
}

#[test]
fn password_file_and_password_env_are_not_shown_either() {
    let lab = TestLab::start(vec![Scenario::Healthy]);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("password");
    std::fs::write(&file, format!("{PASSWORD}\n")).unwrap();
    every_mechanism_and_format(
        &lab,
        Scenario::Healthy,
        true,
        PASSWORD,
        Source::File(&file),
        &[],
        "pass",
        true,
    );
    every_mechanism_and_format(
        &lab,
        Scenario::Healthy,
        true,
        PASSWORD,
        Source::NamedEnv,
        &[],
        "pass",
        true,
    );
}

#[test]
fn wrong_password_is_not_echoed_on_the_failure_path() {
    let lab = TestLab::start(vec![Scenario::Healthy]);
    every_mechanism_and_format(
        &lab,
        Scenario::Healthy,
        true,
        CANARY,
        Source::Env,
        &[],
        "fail",
        true,
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("password");
    std::fs::write(&file, format!("{CANARY}\r\nsecond line\n")).unwrap();
    every_mechanism_and_format(
        &lab,
        Scenario::Healthy,
        true,
        CANARY,
        Source::File(&file),
        &[],
        "fail",
        true,
    );
}

#[test]
fn server_refusals_do_not_echo_the_password() {
    // [AUTH], [IN-USE] and [LOGIN-DELAY] refusals of a correct password.
    let scenarios = vec![
        Scenario::AuthRejected,
        Scenario::InUse,
        Scenario::LoginDelay,
    ];
    let lab = TestLab::start(scenarios.clone());
    for s in scenarios {
        every_mechanism_and_format(&lab, s, true, PASSWORD, Source::Env, &[], "fail", false);
    }
}

#[test]
fn untrusted_tls_with_allow_cleartext_auth_still_redacts() {
    // Without --ca-file the lab's chain is not trusted: popscope refuses to
    // log in (nothing sent) unless --allow-cleartext-auth, and then the
    // login warns; either way the outputs hold no secret.
    let lab = TestLab::start(vec![Scenario::Healthy]);
    every_mechanism_and_format(
        &lab,
        Scenario::Healthy,
        false,
        PASSWORD,
        Source::Env,
        &["--allow-cleartext-auth"],
        "warn",
        true,
    );
    every_mechanism_and_format(
        &lab,
        Scenario::Healthy,
        false,
        CANARY,
        Source::Env,
        &[],
        "fail",
        false,
    );
}

#[test]
fn profiles_that_read_mail_do_not_show_the_password() {
    let lab = TestLab::start(vec![Scenario::Healthy]);
    for profile in ["teaching", "full-read", "basic"] {
        for (format, _) in FORMATS {
            let mut args = vec!["check".to_string()];
            args.extend(lab.target_args(Scenario::Healthy, true));
            args.extend([
                "--user".into(),
                USER.into(),
                "--profile".into(),
                profile.into(),
            ]);
            args.extend(format.iter().map(|s| s.to_string()));
            let out = popscope(&args, &[("POPSCOPE_PASSWORD", PASSWORD)]);
            let what = format!("--profile {profile} {}", format.join(" "));
            assert!(out.code == 0 || out.code == 1, "{what}: exit {}", out.code);
            assert_no_secret(&out.stdout, USER, PASSWORD, &what);
            assert_no_secret(&out.stderr, USER, PASSWORD, &what);
        }
    }
}

#[test]
fn replay_does_not_show_the_password() {
    let lab = TestLab::start(vec![Scenario::Healthy]);
    for (auth, shape) in MECHANISMS {
        for (format, json) in FORMATS {
            let mut args = vec!["replay".to_string(), "teaching".to_string()];
            args.extend(lab.target_args(Scenario::Healthy, true));
            args.extend(["--user".into(), USER.into()]);
            if let Some(a) = auth {
                args.extend(["--auth".to_string(), a.to_string()]);
            }
            args.extend(format.iter().map(|s| s.to_string()));
            let out = popscope(&args, &[("POPSCOPE_PASSWORD", PASSWORD)]);
            let what = format!("replay --auth {auth:?} {}", format.join(" "));
            assert_eq!(out.code, 0, "{what}: exit {}\n{}", out.code, out.stderr);
            let plain = assert_no_secret(&out.stdout, USER, PASSWORD, &what);
            assert_no_secret(&out.stderr, USER, PASSWORD, &what);
            // teaching prefers USER; --auth overrides it.
            let want: &[&str] = if auth.is_none() {
                &["USER alice", "PASS ********"]
            } else {
                shape
            };
            let lines = if json {
                let report: Value = serde_json::from_str(&out.stdout).expect("JSON");
                json_client_lines(&report)
            } else {
                text_client_lines(&plain)
            };
            if !format.contains(&"--no-transcript") {
                assert!(contains_run(&lines, want), "{what}: {lines:?}");
            }
        }
    }
}

#[test]
fn demo_does_not_show_the_password() {
    for format in [
        &["--color", "always"][..],
        &["--color", "never"][..],
        &["--json"][..],
        &["--transcript-only", "--color", "never"][..],
    ] {
        let mut args = vec!["demo".to_string()];
        args.extend(format.iter().map(|s| s.to_string()));
        let out = popscope(&args, &[]);
        let what = format!("demo {}", format.join(" "));
        assert_eq!(out.code, 0, "{what}: exit {}\n{}", out.code, out.stderr);
        assert_no_secret(&out.stdout, USER, PASSWORD, &what);
        assert_no_secret(&out.stderr, USER, PASSWORD, &what);
    }
}

// ---------------------------------------------------------------------------
// The TUI, in tmux on a private socket.

const SESSION: &str = "popscope-secrets";

fn tmux_available() -> bool {
    let ok = StdCommand::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok && interop_required() {
        panic!("tmux is required for the TUI secrets test ({REQUIRE_ENV}=1)");
    }
    ok
}

fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// A detached tmux session (private socket) running popscope once.
struct Tmux {
    socket: PathBuf,
    exit_file: PathBuf,
    _dir: tempfile::TempDir,
}

impl Tmux {
    /// Starts `popscope args...` in a `width` x `height` terminal, in `cwd`,
    /// with `env` set (the tmux server is new, so the pane inherits it).
    fn start(args: &[String], env: &[(&str, &str)], cwd: &Path, width: u16, height: u16) -> Tmux {
        let dir = tempfile::tempdir().expect("tempdir");
        let socket = dir.path().join("tmux.sock");
        let exit_file = dir.path().join("exit");
        let mut cmd = sh_quote(env!("CARGO_BIN_EXE_popscope"));
        for a in args {
            cmd.push(' ');
            cmd.push_str(&sh_quote(a));
        }
        let script = format!(
            "cd {cwd}; {cmd}; echo $? > {exit}; echo AFTER-EXIT; sleep 600",
            cwd = sh_quote(&cwd.display().to_string()),
            exit = sh_quote(&exit_file.display().to_string()),
        );
        let mut c = StdCommand::new("tmux");
        c.arg("-S")
            .arg(&socket)
            .args(["-f", "/dev/null", "new-session", "-d", "-s", SESSION])
            .args(["-x", &width.to_string(), "-y", &height.to_string()])
            .args(["sh", "-c", &script])
            .env("TERM", "xterm-256color")
            .env_remove("TMUX");
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
            c.env_remove(var);
        }
        for (k, v) in env {
            c.env(k, v);
        }
        let status = c.status().expect("run tmux");
        assert!(status.success(), "tmux new-session failed");
        Tmux {
            socket,
            exit_file,
            _dir: dir,
        }
    }

    fn tmux(&self) -> StdCommand {
        let mut c = StdCommand::new("tmux");
        c.arg("-S").arg(&self.socket);
        c
    }

    fn keys(&self, keys: &[&str]) {
        let st = self
            .tmux()
            .args(["send-keys", "-t", SESSION])
            .args(keys)
            .status()
            .expect("send-keys");
        assert!(st.success());
    }

    fn type_text(&self, text: &str) {
        let st = self
            .tmux()
            .args(["send-keys", "-t", SESSION, "-l", text])
            .status()
            .expect("send-keys");
        assert!(st.success());
    }

    /// The visible screen as text (`escapes`: with colour escape codes).
    fn capture(&self, escapes: bool) -> String {
        let mut c = self.tmux();
        c.args(["capture-pane", "-p", "-t", SESSION]);
        if escapes {
            c.arg("-e");
        }
        let out = c.output().expect("capture-pane");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn screen(&self) -> String {
        self.capture(false)
    }

    fn wait_for(&self, what: &str, timeout: Duration, pred: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if pred(&s) {
                return s;
            }
            if start.elapsed() > timeout {
                panic!("timed out waiting for {what}; screen:\n{s}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn wait_exit(&self, timeout: Duration) -> i32 {
        let start = Instant::now();
        loop {
            if let Ok(s) = std::fs::read_to_string(&self.exit_file)
                && let Ok(code) = s.trim().parse()
            {
                return code;
            }
            if start.elapsed() > timeout {
                panic!("the TUI did not exit; screen:\n{}", self.screen());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.tmux().arg("kill-server").status();
    }
}

fn header_has_verdict(s: &str) -> bool {
    let h = s.lines().next().unwrap_or_default();
    h.contains("PASS") || h.contains("WARN") || h.contains("FAIL")
}

/// `line N of M` from the details pane of a transcript line.
fn detail_position(screen: &str) -> Option<(usize, usize)> {
    let re = Regex::new(r"line (\d+) of (\d+)").unwrap();
    let c = re.captures(screen)?;
    Some((c[1].parse().ok()?, c[2].parse().ok()?))
}

/// Walks every line of the transcript tab `tab` (the login session's
/// endpoint), so that the details pane shows each one whole; returns every
/// screen seen, with and without escape codes.
fn walk_transcript(t: &Tmux, tab: usize) -> String {
    let mut seen = String::new();
    t.keys(&["Tab"]);
    t.keys(&[&tab.to_string()]);
    t.keys(&["Home"]);
    let first = t.wait_for("the first transcript line", Duration::from_secs(5), |s| {
        detail_position(s).is_some_and(|(n, _)| n == 1)
    });
    let (_, total) = detail_position(&first).unwrap();
    seen.push_str(&first);
    for n in 2..=total {
        t.keys(&["Down"]);
        let s = t.wait_for(
            &format!("transcript line {n}"),
            Duration::from_secs(5),
            |s| detail_position(s).is_some_and(|(k, _)| k == n),
        );
        seen.push_str(&s);
        seen.push_str(&t.capture(true));
    }
    seen
}

/// Runs the TUI against the lab, waits for the verdict, walks the login
/// session's transcript, saves JSON and text, quits; checks everything for
/// `password`. `form` types user and password into the form instead of
/// passing `--user` and POPSCOPE_PASSWORD. Returns the saved JSON report and
/// the screens of the transcript walk.
fn tui_run(lab: &TestLab, auth: Option<&str>, password: &str, form: bool) -> (Value, String) {
    let ep = *lab.lab().endpoint(Scenario::Healthy).unwrap();
    let cwd = tempfile::tempdir().expect("cwd");
    let ca = lab.lab().ca_pem_path().display().to_string();
    let mut args = vec!["tui".to_string()];
    if !form {
        args.extend(lab.target_args(Scenario::Healthy, true));
        args.extend(["--user".into(), USER.into()]);
    }
    if let Some(a) = auth {
        args.extend(["--auth".into(), a.into()]);
    }
    let env: Vec<(&str, &str)> = if form {
        vec![]
    } else {
        vec![("POPSCOPE_PASSWORD", password)]
    };
    let what = format!("tui --auth {} (form: {form})", auth.unwrap_or("auto"));
    let t = Tmux::start(&args, &env, cwd.path(), 200, 60);
    let mut seen = String::new();

    if form {
        t.wait_for("the form", Duration::from_secs(10), |s| {
            s.contains("New diagnosis")
        });
        // target, plain port, TLS port, user, password, profile, CA file
        t.type_text(&ep.plain.ip().to_string());
        t.keys(&["Tab"]);
        t.type_text(&ep.plain.port().to_string());
        t.keys(&["Tab"]);
        t.type_text(&ep.tls.port().to_string());
        t.keys(&["Tab"]);
        t.type_text(USER);
        t.keys(&["Tab"]);
        t.type_text(password);
        t.keys(&["Tab", "Tab"]);
        t.type_text(&ca);
        std::thread::sleep(Duration::from_millis(300));
        let s = t.screen();
        assert!(s.contains(&ca), "{what}: the CA field was not filled:\n{s}");
        seen.push_str(&s);
        seen.push_str(&t.capture(true));
        t.keys(&["Enter"]);
    }

    let done = t.wait_for("a verdict", Duration::from_secs(60), header_has_verdict);
    seen.push_str(&done);
    seen.push_str(&t.capture(true));
    assert!(done.contains("auth.login"), "{what}: no login:\n{done}");

    // Which tab holds the login session: the endpoint of auth.login.
    let tls = ep.tls.to_string();
    let login_row = done
        .lines()
        .find(|l| l.contains("auth.login"))
        .unwrap()
        .to_string();
    assert!(login_row.contains(&tls), "{what}: {login_row}");
    let tab = done
        .lines()
        .find_map(|l| {
            let re = Regex::new(&format!(r"(\d) \S+ {}", regex::escape(&tls))).unwrap();
            re.captures(l).map(|c| c[1].parse::<usize>().unwrap())
        })
        .unwrap_or_else(|| panic!("{what}: no transcript tab for {tls}:\n{done}"));
    let walked = walk_transcript(&t, tab);
    seen.push_str(&walked);

    t.keys(&["j"]);
    let s = t.wait_for("the JSON save notice", Duration::from_secs(10), |s| {
        s.contains("saved the JSON report to")
    });
    seen.push_str(&s);
    t.keys(&["s"]);
    let s = t.wait_for("the text save notice", Duration::from_secs(10), |s| {
        s.contains(".txt")
    });
    seen.push_str(&s);
    seen.push_str(&t.capture(true));
    t.keys(&["q"]);
    let code = t.wait_exit(Duration::from_secs(10));
    assert!((0..=2).contains(&code), "{what}: exit {code}");
    let after = t.wait_for("the shell after exit", Duration::from_secs(5), |s| {
        s.contains("AFTER-EXIT")
    });
    seen.push_str(&after);

    assert_no_secret(&seen, USER, password, &format!("{what} screens"));

    let mut json = None;
    let mut text = None;
    for e in std::fs::read_dir(cwd.path()).unwrap() {
        let p = e.unwrap().path();
        let body = std::fs::read_to_string(&p).unwrap();
        assert_no_secret(&body, USER, password, &format!("{what} {}", p.display()));
        match p.extension().and_then(|e| e.to_str()) {
            Some("json") => json = Some(body),
            Some("txt") => text = Some(body),
            _ => panic!("{what}: unexpected file {}", p.display()),
        }
    }
    let text = text.unwrap_or_else(|| panic!("{what}: no text report saved"));
    assert!(text.contains("auth.login"), "{what}: {text}");
    let json = json.unwrap_or_else(|| panic!("{what}: no JSON report saved"));
    let report: Value = serde_json::from_str(&json).expect("saved JSON");
    (report, walked)
}

fn login_status(report: &Value) -> String {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "auth.login")
        .map(|c| c["status"].as_str().unwrap_or_default().to_string())
        .unwrap_or_default()
}

#[test]
fn tui_shows_and_saves_no_secret() {
    if !tmux_available() {
        eprintln!("SKIPPED tui_shows_and_saves_no_secret: tmux is not installed");
        return;
    }
    let lab = TestLab::start(vec![Scenario::Healthy]);
    for (auth, shape) in [
        (None, &["AUTH CRAM-MD5", "********"][..]),
        (Some("user"), &["USER alice", "PASS ********"][..]),
        (Some("plain"), &["AUTH PLAIN ********"][..]),
        (Some("apop"), &["APOP alice ********"][..]),
    ] {
        let (report, walked) = tui_run(&lab, auth, PASSWORD, false);
        assert_eq!(login_status(&report), "pass", "--auth {auth:?}");
        let lines = json_client_lines(&report);
        assert!(contains_run(&lines, shape), "--auth {auth:?}: {lines:?}");
        // The screen showed the redacted login lines (in the transcript and,
        // whole, in the details pane).
        for line in shape {
            assert!(
                walked.contains(&format!("C:  {line}")),
                "--auth {auth:?}: {line:?} not on screen"
            );
        }
        assert!(
            walked.contains("Client (popscope) sent:"),
            "--auth {auth:?}"
        );
    }
}

#[test]
fn tui_wrong_password_shows_and_saves_no_secret() {
    if !tmux_available() {
        eprintln!("SKIPPED tui_wrong_password_shows_and_saves_no_secret: tmux is not installed");
        return;
    }
    let lab = TestLab::start(vec![Scenario::Healthy]);
    // From the environment, and typed into the form.
    let (report, walked) = tui_run(&lab, Some("plain"), CANARY, false);
    assert_eq!(login_status(&report), "fail");
    assert!(walked.contains("C:  AUTH PLAIN ********"), "{walked}");
    assert!(walked.contains("-ERR [AUTH]"), "{walked}");
    let (report, walked) = tui_run(&lab, None, CANARY, true);
    assert_eq!(login_status(&report), "fail");
    assert!(walked.contains("-ERR [AUTH]"), "{walked}");
}
