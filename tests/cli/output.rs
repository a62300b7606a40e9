//! Output settings: help texts (insta snapshots), colour on and off,
//! `--no-transcript`, `--transcript-only`.

use popscope::lab::Scenario;

use super::util::{EXIT_PASS, Net, lab_check_args, only_sgr_escapes, popscope, run, run_cmd};

/// Snapshots live in `tests/snapshots/tests__cli__output__*.snap`.
fn snapshot_settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path("../snapshots");
    s
}

fn help(args: &[&str]) -> String {
    let r = run(args);
    assert_eq!(r.code, EXIT_PASS, "{args:?}: {}", r.stderr);
    assert!(r.stderr.is_empty(), "{args:?}: {}", r.stderr);
    assert!(
        !r.stdout.contains(&0x1b),
        "help is coloured without a terminal"
    );
    r.out()
}

#[test]
fn help_snapshot() {
    let out = help(&["--help"]);
    snapshot_settings().bind(|| insta::assert_snapshot!("help", out));
}

#[test]
fn check_help_snapshot() {
    let out = help(&["check", "--help"]);
    snapshot_settings().bind(|| insta::assert_snapshot!("check_help", out));
}

/// Every option README.md promises for `check` is in `check --help`.
#[test]
fn check_help_lists_the_readme_options() {
    let out = help(&["check", "--help"]);
    for opt in [
        "--json",
        "--format",
        "--color",
        "--dns-server",
        "--ca-file",
        "--tls-name",
        "--timeout",
        "--deadline",
        "-4",
        "-6",
        "--expiry-warn",
        "--slow",
        "--plain-port",
        "--tls-port",
        "--no-transcript",
        "--transcript-only",
    ] {
        assert!(out.contains(opt), "check --help lacks {opt}");
    }
}

/// Text-report arguments for the healthy lab scenario (no `--json`).
fn text_args(lab: &popscope::lab::Lab) -> Vec<String> {
    let mut args = lab_check_args(lab, Scenario::Healthy);
    args.retain(|a| a != "--json");
    args
}

#[test]
fn colour_follows_the_flags_and_no_color() {
    let net = Net::new();
    let lab = net.lab_of(&[Scenario::Healthy]);
    let base = text_args(&lab);

    // --color always: colour, and only SGR sequences.
    let r = run_cmd(popscope().args(&base).args(["--color", "always"]));
    assert_eq!(r.code, EXIT_PASS, "{}", r.stderr);
    assert!(only_sgr_escapes(&r.stdout) > 0, "no colour:\n{}", r.out());
    assert!(r.out().contains("\x1b[32m"), "pass is green:\n{}", r.out());

    // POPSCOPE_COLOR=always is the same as --color always.
    let r = run_cmd(popscope().args(&base).env("POPSCOPE_COLOR", "always"));
    assert!(only_sgr_escapes(&r.stdout) > 0, "POPSCOPE_COLOR ignored");

    // --color never: no ESC byte at all.
    let r = run_cmd(popscope().args(&base).args(["--color", "never"]));
    assert!(!r.stdout.contains(&0x1b), "{}", r.out());
    assert!(r.out().contains("PASS"), "status words without colour");

    // NO_COLOR with the default (auto): no ESC byte.
    let r = run_cmd(popscope().args(&base).env("NO_COLOR", "1"));
    assert!(!r.stdout.contains(&0x1b), "{}", r.out());

    // JSON is never coloured, even when asked.
    let r = run_cmd(popscope().args(&base).args(["--json", "--color", "always"]));
    assert!(!r.stdout.contains(&0x1b), "{}", r.out());
    serde_json::from_slice::<serde_json::Value>(&r.stdout).expect("JSON");
}

/// `--format json` is `--json`.
#[test]
fn format_json_is_json() {
    let net = Net::new();
    let lab = net.lab_of(&[Scenario::Healthy]);
    let mut args = text_args(&lab);
    args.extend(["--format".into(), "json".into()]);
    let r = super::util::report_of(run(&args));
    assert_eq!(r.verdict(), "pass");
}

#[test]
fn transcript_options() {
    let net = Net::new();
    let lab = net.lab_of(&[Scenario::Healthy]);
    let ep = *lab.endpoint(Scenario::Healthy).unwrap();
    let mut base = text_args(&lab);
    base.extend(["--color".into(), "never".into()]);
    // Markers of the transcript and of the checks section.
    let transcript_header = format!("== {} (", ep.plain);
    let client_capa = "CAPA";
    let server_greeting = "+OK popscope-lab";
    let checks = "tls.stls-injection";

    let full = run(&base);
    assert_eq!(full.code, EXIT_PASS, "{}", full.stderr);
    let out = full.out();
    assert!(out.contains(&transcript_header), "{out}");
    assert!(out.contains(server_greeting), "{out}");
    assert!(out.contains(checks), "{out}");

    let r = run_cmd(popscope().args(&base).arg("--no-transcript"));
    assert_eq!(r.code, EXIT_PASS);
    let out = r.out();
    assert!(!out.contains(&transcript_header), "{out}");
    assert!(!out.contains(server_greeting), "{out}");
    assert!(out.contains(checks), "{out}");

    let r = run_cmd(popscope().args(&base).arg("--transcript-only"));
    assert_eq!(r.code, EXIT_PASS, "the exit code still carries the verdict");
    let out = r.out();
    assert!(out.contains(&transcript_header), "{out}");
    assert!(out.contains(server_greeting), "{out}");
    assert!(out.contains(client_capa), "{out}");
    assert!(!out.contains(checks), "{out}");
    assert!(!out.contains("PASS"), "no check statuses: {out}");
}
