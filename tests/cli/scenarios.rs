//! Every lab scenario, diagnosed by the binary: the check the lab says it
//! breaks ([`Scenario::expected_check`]) warns or fails on the endpoint the
//! fault lives on; `healthy` passes. The diagnosis names the expected top
//! cause, lists the client settings that work, and explains every warn/fail
//! check exactly once.

use std::time::Duration;

use popscope::CheckId;
use popscope::lab::{LabConfig, Scenario};

use super::schema::documented_check_ids;
use super::util::{EXIT_PASS, Net, Report, lab_check_args, run_json};

/// Scenarios whose expected check is `auth.login`: they are diagnosed with
/// the lab user's credentials (`--user alice --password-file FILE`).
const NEED_CREDENTIALS: &[Scenario] = &[
    Scenario::AuthRejected,
    Scenario::InUse,
    Scenario::LoginDelay,
];

/// Greeting delay of the slow-greeting scenario in these tests, and the
/// `--slow` threshold that makes it warn (both well inside `--timeout 3s`).
const SLOW_DELAY: Duration = Duration::from_millis(1500);
const SLOW_FLAG: &str = "500ms";

/// Where a scenario's fault shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    /// The plain (POP3 + STLS) port.
    Plain,
    /// The implicit-TLS port.
    Tls,
    /// Both: the fault is in the certificate (also seen after STLS) or in
    /// the POP3 server behind both ports.
    Both,
}

fn side(s: Scenario) -> Side {
    use Scenario::*;
    match s {
        NoStls | CleartextLogin | TlsOnPlainPort | StlsInjection => Side::Plain,
        PlainOnTlsPort => Side::Tls,
        // The TLS setup serves STLS too.
        ExpiredCert | SelfSigned | WrongHostname | MissingIntermediate | WeakKey | Tls10Only => {
            Side::Both
        }
        SlowGreeting | Silent | WrongBanner | CloseMidResponse | EndlessMultiline => Side::Both,
        Healthy => Side::Both,
        // One login session per run, on the implicit-TLS port.
        AuthRejected | InUse | LoginDelay => Side::Tls,
    }
}

#[test]
fn credential_scenarios_are_listed_explicitly() {
    let needing: Vec<Scenario> = Scenario::all()
        .iter()
        .copied()
        .filter(|s| s.expected_check() == Some(CheckId::AuthLogin))
        .collect();
    assert_eq!(
        needing, NEED_CREDENTIALS,
        "update NEED_CREDENTIALS: these scenarios are run with credentials"
    );
}

#[test]
fn every_expected_check_is_documented() {
    for s in Scenario::all() {
        if let Some(id) = s.expected_check()
            && !NEED_CREDENTIALS.contains(s)
        {
            assert!(
                documented_check_ids().contains(&id.to_string()),
                "{s} expects {id}, which docs/checks.md does not document"
            );
        }
    }
}

/// The top cause id each scenario must be diagnosed with (docs/diagnosis.md).
fn expected_cause(s: Scenario) -> Option<&'static str> {
    use Scenario::*;
    Some(match s {
        Healthy => return None,
        ExpiredCert => "cert.expired",
        SelfSigned => "cert.self-signed",
        WrongHostname => "cert.wrong-name",
        MissingIntermediate => "cert.missing-intermediate",
        NoStls => "stls.missing",
        CleartextLogin => "auth.cleartext-exposed",
        SlowGreeting => "server.slow",
        Silent => "service.silent",
        WrongBanner => "service.not-pop3",
        TlsOnPlainPort => "ports.tls-on-plain",
        PlainOnTlsPort => "ports.plain-on-tls",
        AuthRejected => "auth.rejected",
        InUse => "auth.locked",
        LoginDelay => "auth.login-delay",
        CloseMidResponse => "service.broken",
        StlsInjection => "stls.injection",
        EndlessMultiline => "service.broken",
        Tls10Only => "tls.legacy-only",
        WeakKey => "tls.weak-key",
    })
}

/// The client settings (security, port) each scenario must list: where
/// something works, the working endpoints, implicit TLS first.
fn expected_settings<'a>(
    s: Scenario,
    plain: &'a str,
    tls: &'a str,
) -> Vec<(&'static str, &'a str)> {
    use Scenario::*;
    match s {
        // WrongHostname: the certificate's own name is suggested (with a note).
        Healthy | CleartextLogin | SlowGreeting | WrongHostname | AuthRejected | InUse
        | LoginDelay => {
            vec![("SSL/TLS", tls), ("STARTTLS", plain)]
        }
        // StlsInjection: the vulnerable STARTTLS port is not suggested.
        NoStls | TlsOnPlainPort | StlsInjection => {
            vec![("SSL/TLS", tls)]
        }
        PlainOnTlsPort => vec![("STARTTLS", plain)],
        _ => vec![],
    }
}

/// The top cause's id, or `"(none)"`.
pub fn top_cause(r: &Report) -> &str {
    r.json["diagnosis"]["causes"][0]["id"]
        .as_str()
        .unwrap_or("(none)")
}

/// Every warn/fail check is explained by exactly one cause, nothing else is
/// explained, and fail causes come before warn causes.
pub fn assert_explained_once(r: &Report) {
    let causes = r.json["diagnosis"]["causes"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    for c in r.checks() {
        let n = causes
            .iter()
            .flat_map(|k| k["explains"].as_array().cloned().unwrap_or_default())
            .filter(|e| e["id"] == c["id"] && e["endpoint"] == c["endpoint"])
            .count();
        let problem = matches!(c["status"].as_str(), Some("warn" | "fail"));
        assert_eq!(
            n,
            usize::from(problem),
            "{} on {} is explained {n} times\n{}",
            c["id"],
            c["endpoint"],
            serde_json::to_string_pretty(&r.json["diagnosis"]).unwrap_or_default()
        );
    }
    let sev: Vec<u8> = causes
        .iter()
        .map(|c| u8::from(c["status"] == "fail"))
        .collect();
    assert!(
        sev.windows(2).all(|w| w[0] >= w[1]),
        "fail causes first\n{}",
        r.json["diagnosis"]
    );
}

fn assert_diagnosis(s: Scenario, plain: &str, tls: &str, r: &Report) {
    let want = expected_cause(s).unwrap_or("(none)");
    assert_eq!(
        top_cause(r),
        want,
        "{s}: top cause\n{}\n{}",
        serde_json::to_string_pretty(&r.json["diagnosis"]).unwrap_or_default(),
        r.describe()
    );
    if want != "(none)" {
        assert_eq!(
            r.json["summary"], r.json["diagnosis"]["causes"][0]["summary"],
            "{s}: the summary is the top cause's sentence"
        );
    }
    assert_explained_once(r);
    let got: Vec<(String, String)> = r.json["diagnosis"]["client_settings"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|c| {
            (
                c["security"].as_str().unwrap_or_default().to_string(),
                format!("127.0.0.1:{}", c["port"]),
            )
        })
        .collect();
    let want: Vec<(String, String)> = expected_settings(s, plain, tls)
        .into_iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(
        got,
        want,
        "{s}: client settings\n{}",
        serde_json::to_string_pretty(&r.json["diagnosis"]).unwrap_or_default()
    );
    if NEED_CREDENTIALS.contains(&s) {
        assert_eq!(
            r.json["diagnosis"]["client_settings"][0]["user"], "alice",
            "{s}: the user name form"
        );
    }
}

fn assert_scenario(s: Scenario, plain: &str, tls: &str, r: &Report) {
    assert_diagnosis(s, plain, tls, r);
    let Some(id) = s.expected_check().map(|id| id.to_string()) else {
        // healthy
        assert_eq!(r.code, EXIT_PASS, "{s}\n{}", r.describe());
        assert_eq!(r.verdict(), "pass", "{s}\n{}", r.describe());
        for c in r.checks() {
            let st = c["status"].as_str().unwrap_or_default();
            assert!(
                ["pass", "skip", "info"].contains(&st),
                "{s}: {} is {st}\n{}",
                c["id"],
                r.describe()
            );
        }
        assert_eq!(r.endpoints().len(), 2);
        return;
    };
    let id = id.as_str();
    let bad = |ep: &str| matches!(r.status_on(id, ep), "warn" | "fail");
    let (want_plain, want_tls) = match side(s) {
        Side::Plain => (true, false),
        Side::Tls => (false, true),
        Side::Both => (true, true),
    };
    if want_plain {
        assert!(
            bad(plain),
            "{s}: want {id} warn/fail on the plain port {plain}, got {}\n{}",
            r.status_on(id, plain),
            r.describe()
        );
    } else {
        assert!(
            !bad(plain),
            "{s}: {id} should not be flagged on the healthy plain port {plain}\n{}",
            r.describe()
        );
    }
    if want_tls {
        assert!(
            bad(tls),
            "{s}: want {id} warn/fail on the TLS port {tls}, got {}\n{}",
            r.status_on(id, tls),
            r.describe()
        );
    } else {
        assert!(
            !bad(tls),
            "{s}: {id} should not be flagged on the healthy TLS port {tls}\n{}",
            r.describe()
        );
    }
    assert_ne!(r.verdict(), "pass", "{s}\n{}", r.describe());
}

/// All scenarios at once against one lab, concurrently.
#[test]
fn every_scenario_flags_its_expected_check() {
    let net = Net::new();
    let lab = net.lab(LabConfig {
        scenarios: Scenario::all().to_vec(),
        slow_delay: SLOW_DELAY,
        ..Default::default()
    });
    let todo: Vec<Scenario> = Scenario::all().to_vec();
    let dir = tempfile::tempdir().expect("tempdir");
    let password_file = dir.path().join("password");
    std::fs::write(&password_file, "wonderland\n").expect("password file");
    let password_file = password_file.display().to_string();
    let reports: Vec<(Scenario, Report)> = std::thread::scope(|scope| {
        let handles: Vec<_> = todo
            .iter()
            .map(|&s| {
                let mut args = lab_check_args(&lab, s);
                args.extend(["--slow".to_string(), SLOW_FLAG.to_string()]);
                if NEED_CREDENTIALS.contains(&s) {
                    args.extend([
                        "--user".to_string(),
                        "alice".to_string(),
                        "--password-file".to_string(),
                        password_file.clone(),
                    ]);
                }
                scope.spawn(move || (s, run_json(&args)))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("scenario thread"))
            .collect()
    });
    // Judge every scenario, then report every mismatch at once.
    let mut failures = Vec::new();
    for (s, r) in &reports {
        let ep = lab.endpoint(*s).unwrap();
        let (plain, tls) = (ep.plain.to_string(), ep.tls.to_string());
        let judged = std::panic::catch_unwind(|| assert_scenario(*s, &plain, &tls, r));
        if let Err(e) = judged {
            let msg = e
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            failures.push(msg);
        }
    }
    assert!(
        failures.is_empty(),
        "{} scenario(s) misjudged:\n\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The default `--slow` (2 s) does not flag a greeting delayed 1.5 s: the
/// warning in the test above comes from the threshold, not from chance.
#[test]
fn slow_greeting_below_threshold_passes() {
    let net = Net::new();
    let lab = net.lab(LabConfig {
        scenarios: vec![Scenario::SlowGreeting],
        slow_delay: Duration::from_millis(300),
        ..Default::default()
    });
    let r = run_json(&lab_check_args(&lab, Scenario::SlowGreeting));
    let ep = lab.endpoint(Scenario::SlowGreeting).unwrap();
    assert_eq!(
        r.status_on("pop3.greeting", &ep.plain.to_string()),
        "pass",
        "{}",
        r.describe()
    );
    assert_eq!(r.verdict(), "pass", "{}", r.describe());
}
