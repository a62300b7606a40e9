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
//! continuations). The TUI is driven in tmux on a private socket
//! (`tests/support/tmux.rs`): its screens, the details of every transcript line
//! of the login session, and the JSON and text reports it saves are checked
//! the same way.
//!
//! [`cli`] runs the command line, [`tui`] the terminal interface; both use
//! the scanner here.

mod cli;
mod echo;
mod tui;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use hmac::{Hmac, Mac};
use md5::{Digest, Md5};
use popscope::lab::Scenario;
use regex::Regex;

use crate::support::cmd::{popscope, run_cmd};
use crate::support::net::RunningLab;

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

/// `127.0.0.1 --plain-port P --tls-port Q --timeout 5s [--ca-file CA]` for
/// `scenario` of `lab`.
fn target_args(lab: &RunningLab, scenario: Scenario, trust_ca: bool) -> Vec<String> {
    let ep = lab.endpoint(scenario).expect("scenario running");
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
        v.push(lab.ca_pem_path().display().to_string());
    }
    v
}

/// One finished popscope run, both outputs decoded.
struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs popscope with `args` in the clean environment plus `env`.
fn run_popscope(args: &[String], env: &[(&str, &str)]) -> Out {
    let mut cmd = popscope();
    for (k, v) in env {
        cmd.env(k, v);
    }
    let run = run_cmd(cmd.args(args));
    Out {
        code: run.code,
        stdout: run.out(),
        stderr: run.stderr,
    }
}

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
