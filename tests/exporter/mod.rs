//! `popscope serve`, the Prometheus exporter (docs/monitoring.md), over
//! real HTTP: the binary serves, a tiny std client scrapes, the in-process
//! lab is the target. `prometheus.rs` adds a real Prometheus and promtool.

mod prometheus;

use std::path::Path;

use popscope::lab::{Lab, Scenario};
use prometheus_parse::{Sample, Scrape, Value};

use crate::support::http::{Response, ServeProcess};
use crate::support::net::{RunningLab, closed_port};

/// A config file with one module per lab scenario (named after it) that
/// trusts the lab CA, plus extra lines.
pub fn lab_modules(lab: &Lab, dir: &Path, extra: &str) -> std::path::PathBuf {
    let mut toml = String::from(extra);
    for ep in lab.endpoints() {
        toml.push_str(&format!(
            "\n[modules.{}]\nplain_port = {}\ntls_port = {}\nca_file = \"{}\"\ntls_name = \"localhost\"\ntimeout = \"3s\"\ndeadline = \"20s\"\n",
            ep.scenario,
            ep.plain.port(),
            ep.tls.port(),
            lab.ca_pem_path().display()
        ));
    }
    let path = dir.join("exporter.toml");
    std::fs::write(&path, toml).expect("write the config file");
    path
}

/// Parses a metrics page (it must parse) into samples.
pub fn parse(r: &Response) -> Vec<Sample> {
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(
        r.header("content-type")
            .is_some_and(|c| c.starts_with("application/openmetrics-text")),
        "content type: {:?}",
        r.header("content-type")
    );
    assert!(r.body.ends_with("# EOF\n"), "{}", r.body);
    Scrape::parse(r.body.lines().map(|l| Ok(l.to_string())))
        .expect("the metrics parse")
        .samples
}

/// The value of the sample `name` whose labels include `labels`.
pub fn value(samples: &[Sample], name: &str, labels: &[(&str, &str)]) -> Option<f64> {
    samples
        .iter()
        .find(|s| s.metric == name && labels.iter().all(|(k, v)| s.labels.get(k) == Some(*v)))
        .map(|s| match s.value {
            Value::Gauge(v) | Value::Counter(v) | Value::Untyped(v) => v,
            _ => f64::NAN,
        })
}

fn start(lab: &Lab, dir: &Path, args: &[&str]) -> ServeProcess {
    let cfg = lab_modules(lab, dir, "");
    let mut all = vec!["--config", cfg.to_str().unwrap()];
    all.extend_from_slice(args);
    ServeProcess::start(&all)
}

#[test]
fn a_healthy_lab_target_succeeds_with_every_metric() {
    let lab = RunningLab::start(&[Scenario::Healthy]);
    let dir = tempfile::tempdir().unwrap();
    let ex = start(&lab, dir.path(), &[]);
    let r = ex.get("/probe?target=127.0.0.1&module=healthy");
    let s = parse(&r);
    assert_eq!(value(&s, "probe_success", &[]), Some(1.0), "{}", r.body);
    assert_eq!(value(&s, "popscope_verdict", &[]), Some(0.0));
    assert!(value(&s, "probe_duration_seconds", &[]).is_some_and(|d| d >= 0.0));
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64();
    assert!(
        value(&s, "probe_ssl_earliest_cert_expiry", &[]).is_some_and(|t| t > now),
        "{}",
        r.body
    );
    assert_eq!(
        value(&s, "probe_tls_version_info", &[("version", "TLS 1.3")]),
        Some(1.0)
    );
    let ep = lab.endpoint(Scenario::Healthy).unwrap();
    for addr in [ep.plain, ep.tls] {
        let label = addr.to_string();
        assert!(
            value(&s, "popscope_round_trips", &[("endpoint", &label)]).is_some_and(|n| n >= 1.0),
            "{}",
            r.body
        );
        assert_eq!(
            value(
                &s,
                "popscope_check_status",
                &[("check", "pop3.greeting"), ("endpoint", &label)]
            ),
            Some(0.0)
        );
    }
    assert!(
        !s.iter().any(|x| x.metric == "popscope_cause"),
        "{}",
        r.body
    );
    // Every check value is one of the documented codes.
    for x in s.iter().filter(|x| x.metric == "popscope_check_status") {
        assert!(matches!(x.value, Value::Gauge(v) if [-1.0, 0.0, 1.0, 2.0].contains(&v)));
    }

    // The exporter's own metrics count it.
    let m = parse(&ex.get("/metrics"));
    assert_eq!(
        value(
            &m,
            "popscope_exporter_probes_total",
            &[("result", "success")]
        ),
        Some(1.0)
    );
    assert_eq!(
        value(&m, "popscope_exporter_probes_in_flight", &[]),
        Some(0.0)
    );
}

#[test]
fn a_broken_scenario_fails_with_its_cause() {
    let lab = RunningLab::start(&[Scenario::SelfSigned]);
    let dir = tempfile::tempdir().unwrap();
    let ex = start(&lab, dir.path(), &[]);
    let r = ex.get("/probe?target=127.0.0.1&module=self-signed");
    let s = parse(&r);
    assert_eq!(value(&s, "probe_success", &[]), Some(0.0), "{}", r.body);
    assert_eq!(value(&s, "popscope_verdict", &[]), Some(2.0));
    assert_eq!(
        value(&s, "popscope_cause", &[("id", "cert.self-signed")]),
        Some(1.0),
        "{}",
        r.body
    );
    let tls = lab.endpoint(Scenario::SelfSigned).unwrap().tls.to_string();
    assert_eq!(
        value(
            &s,
            "popscope_check_status",
            &[("check", "tls.chain"), ("endpoint", &tls)]
        ),
        Some(2.0)
    );
    let m = parse(&ex.get("/metrics"));
    assert_eq!(
        value(
            &m,
            "popscope_exporter_probes_total",
            &[("result", "failure")]
        ),
        Some(1.0)
    );
}

#[test]
fn a_dead_or_silent_target_answers_200_with_probe_success_0() {
    let lab = RunningLab::start(&[Scenario::Silent]);
    let dir = tempfile::tempdir().unwrap();
    let ex = start(&lab, dir.path(), &[]);
    let header = [("X-Prometheus-Scrape-Timeout-Seconds", "1.5")];
    // Nothing listens.
    let r = ex.get_with(
        &format!("/probe?target=127.0.0.1:{}", closed_port()),
        &header,
    );
    assert_eq!(
        value(&parse(&r), "probe_success", &[]),
        Some(0.0),
        "{}",
        r.body
    );
    // Accepts and never speaks: the scrape deadline ends the probe.
    let r = ex.get_with("/probe?target=127.0.0.1&module=silent", &header);
    let s = parse(&r);
    assert_eq!(value(&s, "probe_success", &[]), Some(0.0), "{}", r.body);
    // Not a pass; whether the 1 s left by the scrape timeout ends the run
    // before or after the connections were made (a busy machine) decides
    // between the deadline's warning and the silent greeting's failure.
    let verdict = value(&s, "popscope_verdict", &[]);
    assert!(matches!(verdict, Some(v) if v >= 1.0), "{}", r.body);
}

#[test]
fn requests_that_cannot_be_served_are_refused_in_words() {
    let lab = RunningLab::start(&[Scenario::Healthy]);
    let dir = tempfile::tempdir().unwrap();
    let ex = start(
        &lab,
        dir.path(),
        &[
            "--allow-target",
            "127.0.0.1",
            "--allow-target",
            "*.example.com",
        ],
    );

    let r = ex.get("/probe?target=pop.example.org");
    assert_eq!(r.status, 403, "{}", r.body);
    assert!(r.body.contains("not allowed"), "{}", r.body);
    let r = ex.get("/probe?target=%5B%3A%3A1%5D%3A995");
    assert_eq!(r.status, 403, "{}", r.body);

    let r = ex.get("/probe?target=a%20b");
    assert_eq!(r.status, 400);
    assert!(r.body.starts_with("bad target: "), "{}", r.body);
    assert!(
        r.header("content-type")
            .is_some_and(|c| c.starts_with("text/plain"))
    );
    let r = ex.get("/probe");
    assert_eq!(r.status, 400);
    assert!(r.body.contains("?target=HOST"), "{}", r.body);
    let r = ex.get("/probe?target=127.0.0.1&module=nope");
    assert_eq!(r.status, 400);
    assert!(r.body.contains("unknown module \"nope\""), "{}", r.body);
    assert!(r.body.contains("default, healthy"), "{}", r.body);
    let r = ex.get(&format!("/probe?target={}", "a".repeat(3000)));
    assert_eq!(r.status, 414, "{}", r.body);

    let r = ex.get("/nowhere");
    assert_eq!(r.status, 404);
    let r = ex.get("/");
    assert_eq!(r.status, 200);
    assert!(r.body.contains("href=\"/metrics\""), "{}", r.body);

    let m = parse(&ex.get("/metrics"));
    for (reason, n) in [
        ("forbidden", 2.0),
        ("bad_target", 2.0),
        ("unknown_module", 1.0),
        ("too_long", 1.0),
        ("busy", 0.0),
    ] {
        assert_eq!(
            value(
                &m,
                "popscope_exporter_rejected_requests_total",
                &[("reason", reason)]
            ),
            Some(n),
            "{reason}"
        );
    }
    assert_eq!(
        value(
            &m,
            "popscope_exporter_probes_total",
            &[("result", "success")]
        ),
        Some(0.0)
    );
}

#[test]
fn sigterm_stops_the_exporter_cleanly() {
    let mut ex = ServeProcess::start(&[]);
    assert_eq!(ex.get("/").status, 200);
    assert!(ex.pid() > 0);
    let status = ex.terminate();
    assert!(status.success(), "exit status {status}");
}

#[test]
fn bad_settings_are_usage_errors_in_words() {
    use crate::support::cmd::run;
    let dir = tempfile::tempdir().unwrap();
    let r = run(&["serve", "--listen", "localhost"]);
    assert_eq!(r.code, 3);
    assert!(
        r.stderr.contains("invalid --listen \"localhost\""),
        "{}",
        r.stderr
    );

    let cfg = dir.path().join("bad.toml");
    std::fs::write(&cfg, "[modules.fast]\nplainport = 110\n").unwrap();
    let r = run(&[
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--config",
        cfg.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 3);
    assert!(
        r.stderr.contains("unknown field `plainport`"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("is not valid"), "{}", r.stderr);

    let r = run(&["serve", "--listen", "127.0.0.1:0", "--allow-target", "*"]);
    assert_eq!(r.code, 3);
    assert!(
        r.stderr.contains("invalid allow-list pattern"),
        "{}",
        r.stderr
    );
}
