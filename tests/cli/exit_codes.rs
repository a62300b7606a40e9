//! Exit codes (Nagios convention): 0 pass, 1 warn, 2 fail, 3 usage or
//! internal error; usage errors print a message on stderr and nothing on
//! stdout.

use popscope::lab::Scenario;

use super::util::{
    EXIT_FAIL, EXIT_PASS, EXIT_USAGE, EXIT_WARN, Net, lab_check_args, run, run_json,
};

#[test]
fn pass_warn_fail() {
    let net = Net::new();
    let cases = [
        (Scenario::Healthy, EXIT_PASS, "pass"),
        (Scenario::NoStls, EXIT_WARN, "warn"),
        (Scenario::CleartextLogin, EXIT_WARN, "warn"),
        (Scenario::SelfSigned, EXIT_FAIL, "fail"),
    ];
    let lab = net.lab_of(&cases.map(|c| c.0));
    std::thread::scope(|scope| {
        for (s, code, verdict) in cases {
            let args = lab_check_args(&lab, s);
            scope.spawn(move || {
                let r = run_json(&args);
                assert_eq!(r.code, code, "{s}\n{}", r.describe());
                assert_eq!(r.verdict(), verdict, "{s}\n{}", r.describe());
                assert!(r.stderr.is_empty(), "{s}: stderr {}", r.stderr);
            });
        }
    });
}

/// The text report exits with the same codes as the JSON one.
#[test]
fn text_output_has_the_same_exit_code() {
    let net = Net::new();
    let lab = net.lab_of(&[Scenario::NoStls]);
    let mut args = lab_check_args(&lab, Scenario::NoStls);
    args.retain(|a| a != "--json");
    let r = run(&args);
    assert_eq!(r.code, EXIT_WARN, "{}", r.out());
    assert!(r.out().contains("WARN"), "{}", r.out());
}

fn assert_usage_error(args: &[&str], stderr_has: &str) {
    let r = run(args);
    assert_eq!(
        r.code,
        EXIT_USAGE,
        "popscope {args:?}: want exit 3\nstdout: {}\nstderr: {}",
        r.out(),
        r.stderr
    );
    assert!(
        r.stdout.is_empty(),
        "popscope {args:?}: usage errors print nothing on stdout, got {:?}",
        r.out()
    );
    assert!(
        r.stderr.contains(stderr_has),
        "popscope {args:?}: stderr should mention {stderr_has:?}: {}",
        r.stderr
    );
}

/// Errors popscope itself detects (after argument parsing). None of these
/// needs a server: the run stops before any network step.
#[test]
fn usage_errors_exit_3_with_a_message_on_stderr() {
    assert_usage_error(&["check", "pop3://"], "pop3://");
    assert_usage_error(&["check", "127.0.0.1", "--timeout", "abc"], "abc");
    assert_usage_error(&["check", "127.0.0.1", "--timeout", "0s"], "duration");
    assert_usage_error(&["check", "127.0.0.1", "--slow", "soon"], "soon");
    assert_usage_error(&["check", "127.0.0.1", "--plain-port", "0"], "port");
    assert_usage_error(
        &["check", "127.0.0.1", "--dns-server", "dns.example"],
        "dns.example",
    );
    assert_usage_error(&["check", "http://127.0.0.1"], "http");
    assert_usage_error(&["check", "127.0.0.1:0"], "0");
    assert_usage_error(&["check", "bad host name"], "bad host name");
    assert_usage_error(&["demo", "--scenario", "nope"], "nope");
    assert_usage_error(&["lab", "--scenario", "nope"], "nope");
    assert_usage_error(&["lab", "--listen", "localhost"], "--listen");
}

#[test]
fn unreadable_ca_file_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.pem");
    let m = missing.to_str().unwrap();
    assert_usage_error(&["check", "127.0.0.1", "--ca-file", m], "missing.pem");
    // A directory is not readable as a file either.
    let d = dir.path().to_str().unwrap();
    assert_usage_error(&["check", "127.0.0.1", "--ca-file", d], "--ca-file");
}

/// A CA file that is readable but holds no certificate: exit 3 with a
/// message naming the file, before any probe.
#[test]
fn ca_file_without_certificates_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let junk = dir.path().join("junk.pem");
    std::fs::write(&junk, "this is not PEM\n").unwrap();
    let j = junk.to_str().unwrap();
    assert_usage_error(&["check", "127.0.0.1", "--ca-file", j], "junk.pem");
}

/// Errors clap finds while parsing: unknown flag, bad enum value, missing
/// target, conflicting flags, unknown subcommand. docs/json.md and
/// docs/checks.md promise exit 3 for usage errors; exit 2 means "a check
/// failed" to a monitoring system.
#[test]
fn argument_parse_errors_exit_3() {
    assert_usage_error(&["check", "127.0.0.1", "--bogus"], "--bogus");
    assert_usage_error(&["check", "127.0.0.1", "--color", "purple"], "purple");
    assert_usage_error(&["check"], "TARGET");
    assert_usage_error(&["check", "127.0.0.1", "-4", "-6"], "--ipv6");
    assert_usage_error(&["bogus"], "bogus");
}

/// The part of argument parsing that works today: a message on stderr,
/// nothing on stdout, and never a success or a panic.
#[test]
fn argument_parse_errors_say_so_on_stderr() {
    for args in [
        &["check", "127.0.0.1", "--bogus"][..],
        &["check", "127.0.0.1", "--color", "purple"],
        &["check", "127.0.0.1", "--no-transcript", "--transcript-only"],
        &["check"],
        &["bogus"],
    ] {
        let r = run(args);
        assert_ne!(r.code, EXIT_PASS, "{args:?}");
        assert!(r.stdout.is_empty(), "{args:?}: {}", r.out());
        assert!(r.stderr.contains("error"), "{args:?}: {}", r.stderr);
    }
}

#[test]
fn help_and_version_exit_0() {
    for args in [
        &["--help"][..],
        &["check", "--help"],
        &["--version"],
        &["help"],
    ] {
        let r = run(args);
        assert_eq!(r.code, EXIT_PASS, "{args:?}: {}", r.stderr);
        assert!(!r.stdout.is_empty(), "{args:?}");
    }
    assert!(
        run(&["--version"])
            .out()
            .contains(env!("CARGO_PKG_VERSION"))
    );
}

/// `--tls-name` must be a DNS name or an IP address. An invalid one is the
/// user's typo, not the server's fault: today it is reported as a failed
/// TLS handshake on every TLS endpoint ("TLS setup error: \"a b\" is not a
/// valid TLS server name") and tls.stls blames the server.
#[test]
fn invalid_tls_name_is_a_usage_error() {
    assert_usage_error(&["check", "127.0.0.1", "--tls-name", "a b"], "a b");
}

/// `--expiry-warn DAYS` moves the tls.expiry threshold: the lab's
/// certificates are valid for months, so 100000 days warns.
#[test]
fn expiry_warn_threshold() {
    let net = Net::new();
    let lab = net.lab_of(&[Scenario::Healthy]);
    let tls = lab.endpoint(Scenario::Healthy).unwrap().tls.to_string();
    let mut args = lab_check_args(&lab, Scenario::Healthy);
    let r = run_json(&args);
    assert_eq!(r.status_on("tls.expiry", &tls), "pass", "{}", r.describe());
    args.extend(["--expiry-warn".into(), "100000".into()]);
    let r = run_json(&args);
    assert_eq!(r.status_on("tls.expiry", &tls), "warn", "{}", r.describe());
    assert_eq!(r.code, EXIT_WARN, "{}", r.describe());
    let days = r.on("tls.expiry", &tls).unwrap()["data"]["days_left"].as_i64();
    assert!(days.is_some_and(|d| d > 0), "{}", r.describe());
}
