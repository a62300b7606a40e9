//! No Rust `Debug` text reaches the user: the real binary diagnoses every
//! lab scenario (one lab serving them all), with and without the lab user's
//! credentials, in text mode (`--color never`), as JSON and with
//! `--transcript-only`; no output (stdout or stderr, and every string of
//! the JSON report) may carry `Some(`, `None`, `Ok(`, `Err(`, `Other(`,
//! a `Name { field:` struct, `[0x` byte lists, `\"` escapes, Debug
//! durations (`1.5s`, `250ms`; the time column of a text transcript,
//! `   16ms S: ...`, is popscope's own layout) or raw control characters.
//!
//! The lab sends no such text itself, so nothing needs an exemption.

use std::sync::OnceLock;
use std::time::Duration;

use popscope::lab::{LabConfig, Scenario};
use regex::Regex;
use serde_json::Value;

use super::util::{EXIT_USAGE, Net, lab_check_args, run};

/// The output modes of one diagnosis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// The text report, without colour.
    Text,
    /// `--json`.
    Json,
    /// `--transcript-only`, without colour.
    TranscriptOnly,
}

impl Mode {
    const ALL: [Mode; 3] = [Mode::Text, Mode::Json, Mode::TranscriptOnly];

    fn name(self) -> &'static str {
        match self {
            Mode::Text => "text",
            Mode::Json => "json",
            Mode::TranscriptOnly => "transcript-only",
        }
    }
}

/// The Debug forms, each with a name for the failure message.
fn debug_patterns() -> &'static [(&'static str, Regex)] {
    static P: OnceLock<Vec<(&'static str, Regex)>> = OnceLock::new();
    P.get_or_init(|| {
        [
            ("Option/Result variant", r"\b(Some|Ok|Err|Other)\("),
            // `None` alone; "None of the ..." opens an English sentence.
            ("None", r"\bNone(?:$|[^ A-Za-z0-9_]| [^a-z])"),
            (
                "struct form",
                r"\b[A-Z][A-Za-z0-9_]*\s\{\s[a-z_][a-z0-9_]*:",
            ),
            ("io::Error kind", r"\bkind: [A-Z]"),
            ("byte list", r"\[0x[0-9a-fA-F]"),
            ("escaped quote", r#"\\""#),
            // Debug of a Duration: `1.5s`, `250ms`, `1.234567ms`, `12µs`, `0ns`
            // (the user-facing forms have a space: `1.5 s`, `250 ms`).
            ("Debug duration", r"\b\d+(\.\d+)?(s|ms|µs|us|ns)\b"),
        ]
        .into_iter()
        .map(|(name, re)| (name, Regex::new(re).expect("pattern")))
        .collect()
    })
}

/// The time column of a text transcript line (`   16ms S:  +OK`): popscope's
/// own layout, not a Debug duration.
fn time_column() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| Regex::new(r"^\s*\d+ms ").expect("pattern"))
}

/// Every Debug form found in `text`, with the line it stands in.
fn debug_findings(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for line in text.lines() {
        let body = time_column().replace(line, "");
        for (name, re) in debug_patterns() {
            if let Some(m) = re.find(&body) {
                found.push(format!("{name} `{}` in: {line}", m.as_str()));
            }
        }
    }
    found
}

/// Raw control characters in `text`: C0 but newline and tab, DEL, C1.
fn control_findings(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| {
            l.chars().any(|c| {
                (c < ' ' && c != '\t') || c == '\u{7f}' || ('\u{80}'..='\u{9f}').contains(&c)
            })
        })
        .map(|l| format!("control character in: {}", l.escape_default()))
        .collect()
}

/// Every string of a JSON value (object keys included).
fn json_strings<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
    match v {
        Value::String(s) => out.push(s),
        Value::Array(a) => a.iter().for_each(|v| json_strings(v, out)),
        Value::Object(o) => {
            for (k, v) in o {
                out.push(k);
                json_strings(v, out);
            }
        }
        _ => {}
    }
}

/// What is wrong with one run's output (empty when nothing is).
fn findings(mode: Mode, stdout: &[u8], stderr: &str) -> Vec<String> {
    let mut found = Vec::new();
    let out = String::from_utf8_lossy(stdout);
    match mode {
        Mode::Json => match serde_json::from_slice::<Value>(stdout) {
            Ok(json) => {
                let mut strings = Vec::new();
                json_strings(&json, &mut strings);
                for s in strings {
                    found.extend(debug_findings(s));
                    found.extend(control_findings(s));
                }
            }
            Err(e) => found.push(format!("stdout is not one JSON object ({e}): {out}")),
        },
        Mode::Text | Mode::TranscriptOnly => {
            found.extend(debug_findings(&out));
            found.extend(control_findings(&out));
        }
    }
    found.extend(
        debug_findings(stderr)
            .into_iter()
            .map(|f| format!("stderr: {f}")),
    );
    found.extend(
        control_findings(stderr)
            .into_iter()
            .map(|f| format!("stderr: {f}")),
    );
    found
}

/// The `check` arguments for `s` in `mode`, with or without credentials.
fn args(lab_args: &[String], mode: Mode, password_file: Option<&str>) -> Vec<String> {
    let mut args: Vec<String> = lab_args
        .iter()
        .filter(|a| *a != "--json")
        .cloned()
        .collect();
    match mode {
        Mode::Json => args.push("--json".into()),
        Mode::Text => args.extend(["--color".into(), "never".into()]),
        Mode::TranscriptOnly => {
            args.extend(["--color".into(), "never".into(), "--transcript-only".into()])
        }
    }
    if let Some(file) = password_file {
        args.extend([
            "--user".into(),
            "alice".into(),
            "--password-file".into(),
            file.into(),
        ]);
    }
    args
}

#[test]
fn the_patterns_catch_debug_text() {
    for leak in [
        "error: Some(\"x\")",
        "took None",
        "value None, next",
        "Err(Timeout)",
        "cause: Other(\"boom\")",
        "Os { code: 111, kind: ConnectionRefused, message: \"refused\" }",
        "bytes [0x16, 0x03]",
        "greeting \\\"hi\\\"",
        "after 1.5s",
        "after 250ms",
        "    16ms --  took 16ms",
    ] {
        assert!(!debug_findings(leak).is_empty(), "missed: {leak}");
    }
    for fine in [
        "timed out after 1.5 s",
        "no answer within 250 ms",
        "None of the endpoints answered",
        "    16ms S:  +OK ready",
        "PASS  tls.chain  127.0.0.1:995  the chain verifies",
    ] {
        let f = debug_findings(fine);
        assert!(f.is_empty(), "{fine}: {f:?}");
    }
    assert!(!control_findings("a\u{1b}[31mred").is_empty());
    assert!(!control_findings("a\rb").is_empty());
    assert!(!control_findings("a\u{85}b").is_empty());
    assert!(control_findings("a\tb\nc").is_empty());
}

/// Every scenario, every output mode, with and without credentials.
#[test]
fn no_debug_text_in_any_scenario_output() {
    let net = Net::new();
    let lab = net.lab(LabConfig {
        scenarios: Scenario::all().to_vec(),
        slow_delay: Duration::from_millis(1500),
        ..Default::default()
    });
    let dir = tempfile::tempdir().expect("tempdir");
    let password_file = dir.path().join("password");
    std::fs::write(&password_file, "wonderland\n").expect("password file");
    let password_file = password_file.display().to_string();

    let failures: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = Scenario::all()
            .iter()
            .map(|&s| {
                let lab_args = lab_check_args(&lab, s);
                let password_file = password_file.as_str();
                scope.spawn(move || {
                    let mut failures = Vec::new();
                    for creds in [None, Some(password_file)] {
                        for mode in Mode::ALL {
                            let r = run(&args(&lab_args, mode, creds));
                            let what = format!(
                                "{s} {}{}",
                                mode.name(),
                                if creds.is_some() { " with login" } else { "" }
                            );
                            if r.code == EXIT_USAGE {
                                failures.push(format!("{what}: usage error: {}", r.stderr));
                                continue;
                            }
                            failures.extend(
                                findings(mode, &r.stdout, &r.stderr)
                                    .into_iter()
                                    .map(|f| format!("{what}: {f}")),
                            );
                        }
                    }
                    failures
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("scenario thread"))
            .collect()
    });
    assert!(
        failures.is_empty(),
        "{} place(s) with Debug text or control characters:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
