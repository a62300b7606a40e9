//! Interop tests: popscope against a real Dovecot (see
//! `tests/support/dovecot/`).
//!
//! Every test starts its own private Dovecot on loopback. When Dovecot is not
//! installed (or we are not root) the tests print `SKIPPED ...` and pass,
//! unless `POPSCOPE_REQUIRE_INTEROP=1` (set in CI) makes that a failure.
//!
//! - [`fixture`]: the Dovecot fixture itself (no popscope involved);
//! - [`check`]: `popscope check` against healthy and broken servers;
//! - [`login`]: the login with every mechanism and the scripted dialogues.

mod check;
mod fixture;
mod login;

use serde_json::Value;

use crate::support::cmd::{popscope, run_cmd};
use crate::support::dovecot::Dovecot;
use crate::support::net::closed_port;
use crate::support::report::Report;

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
    /// verifying the name `localhost`. With JSON asked for, the report is
    /// parsed unless popscope exited with a usage error (3); otherwise
    /// `json` is `null`.
    fn run(self, d: &Dovecot) -> Report {
        let tls_port = d.pop3s_addr().map_or_else(closed_port, |a| a.port());
        let mut cmd = popscope();
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
            .args(&self.extra);
        if self.json {
            cmd.arg("--json");
        } else {
            cmd.args(["--color", "never"]);
        }
        let run = run_cmd(&mut cmd);
        if !self.json || run.code == 3 {
            return Report {
                code: run.code,
                json: Value::Null,
                stdout: run.out(),
                stderr: run.stderr,
            };
        }
        let report = Report::try_from_run(run).unwrap_or_else(|e| {
            panic!(
                "popscope did not print one JSON object: {e}\n--- dovecot log ---\n{}",
                d.log_tail(30)
            )
        });
        assert_eq!(
            report.json["schema"], "popscope.report/v1",
            "{}",
            report.stdout
        );
        report
    }
}
