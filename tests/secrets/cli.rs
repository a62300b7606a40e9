//! Every login method, output format and password source of the command
//! line (`check`, `replay`, `demo`): no output holds a secret, and the
//! transcripts show the redacted shapes.

use std::path::Path;

use popscope::lab::Scenario;
use serde_json::Value;

use super::{
    CANARY, FORMATS, MECHANISMS, PASSWORD, USER, assert_no_secret, contains_run, run_popscope,
    target_args, text_client_lines,
};
use crate::support::net::RunningLab;
use crate::support::report::client_lines;

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
    lab: &RunningLab,
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
            args.extend(target_args(lab, scenario, trust_ca));
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
            let out = run_popscope(&args, &env);
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
                    let lines = client_lines(&report);
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

#[test]
fn login_with_every_mechanism_shows_the_password_in_no_output_format() {
    let lab = RunningLab::start(&[Scenario::Healthy]);
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
    assert_eq!(lab.mailbox_uidls(USER).map(|u| u.len()), Some(4));
}

#[test]
fn password_file_and_password_env_are_not_shown_either() {
    let lab = RunningLab::start(&[Scenario::Healthy]);
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
    let lab = RunningLab::start(&[Scenario::Healthy]);
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
    let lab = RunningLab::start(&scenarios);
    for s in scenarios {
        every_mechanism_and_format(&lab, s, true, PASSWORD, Source::Env, &[], "fail", false);
    }
}

#[test]
fn untrusted_tls_with_allow_cleartext_auth_still_redacts() {
    // Without --ca-file the lab's chain is not trusted: popscope refuses to
    // log in (nothing sent) unless --allow-cleartext-auth, and then the
    // login warns; either way the outputs hold no secret.
    let lab = RunningLab::start(&[Scenario::Healthy]);
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
    let lab = RunningLab::start(&[Scenario::Healthy]);
    for profile in ["teaching", "full-read", "basic"] {
        for (format, _) in FORMATS {
            let mut args = vec!["check".to_string()];
            args.extend(target_args(&lab, Scenario::Healthy, true));
            args.extend([
                "--user".into(),
                USER.into(),
                "--profile".into(),
                profile.into(),
            ]);
            args.extend(format.iter().map(|s| s.to_string()));
            let out = run_popscope(&args, &[("POPSCOPE_PASSWORD", PASSWORD)]);
            let what = format!("--profile {profile} {}", format.join(" "));
            assert!(out.code == 0 || out.code == 1, "{what}: exit {}", out.code);
            assert_no_secret(&out.stdout, USER, PASSWORD, &what);
            assert_no_secret(&out.stderr, USER, PASSWORD, &what);
        }
    }
}

#[test]
fn replay_does_not_show_the_password() {
    let lab = RunningLab::start(&[Scenario::Healthy]);
    for (auth, shape) in MECHANISMS {
        for (format, json) in FORMATS {
            let mut args = vec!["replay".to_string(), "teaching".to_string()];
            args.extend(target_args(&lab, Scenario::Healthy, true));
            args.extend(["--user".into(), USER.into()]);
            if let Some(a) = auth {
                args.extend(["--auth".to_string(), a.to_string()]);
            }
            args.extend(format.iter().map(|s| s.to_string()));
            let out = run_popscope(&args, &[("POPSCOPE_PASSWORD", PASSWORD)]);
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
                client_lines(&report)
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
        let out = run_popscope(&args, &[]);
        let what = format!("demo {}", format.join(" "));
        assert_eq!(out.code, 0, "{what}: exit {}\n{}", out.code, out.stderr);
        assert_no_secret(&out.stdout, USER, PASSWORD, &what);
        assert_no_secret(&out.stderr, USER, PASSWORD, &what);
    }
}
