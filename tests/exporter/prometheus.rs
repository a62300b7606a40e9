//! A real Prometheus scrapes `popscope serve` with the blackbox relabelling
//! pattern, and promtool checks the scrape config and alert rules that
//! docs/monitoring.md shows (taken from the doc, so the doc stays true).
//! The exporter's own `/metrics` is scraped too (`up` must be 1).
//! Skipped with a printed reason when Debian's `prometheus` package is not
//! installed, unless `POPSCOPE_REQUIRE_INTEROP=1`.

use std::net::{SocketAddr, TcpListener};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use popscope::lab::Scenario;
use serde_json::Value;

use super::lab_modules;
use crate::support::http::{ServeProcess, get};
use crate::support::net::RunningLab;
use crate::support::{skip, wait};

/// Whether `program` runs (`--version`).
fn installed(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn available_or_skip(test: &str) -> bool {
    if installed("prometheus") && installed("promtool") {
        return true;
    }
    skip(
        test,
        "prometheus and promtool are not installed (apt-get install prometheus)",
    )
}

/// A Prometheus child process, killed when dropped.
struct Prometheus {
    child: Child,
    addr: SocketAddr,
}

impl Drop for Prometheus {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("bind")
        .port()
}

/// The fenced ```yaml blocks of docs/monitoring.md.
fn doc_yaml_blocks() -> Vec<String> {
    let doc =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/monitoring.md"))
            .expect("read docs/monitoring.md");
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in doc.lines() {
        match (&mut current, line.trim_start()) {
            (None, l) if l.starts_with("```yaml") => current = Some(String::new()),
            (Some(_), "```") => blocks.extend(current.take()),
            (Some(b), _) => {
                b.push_str(line);
                b.push('\n');
            }
            _ => {}
        }
    }
    blocks
}

fn promtool(args: &[&str], file: &Path) {
    let out = Command::new("promtool")
        .args(args)
        .arg(file)
        .output()
        .expect("run promtool");
    assert!(
        out.status.success(),
        "promtool {args:?} {}: {}{}\n{}",
        file.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
        std::fs::read_to_string(file).unwrap_or_default()
    );
}

#[test]
fn promtool_accepts_the_documented_config_and_rules() {
    if !available_or_skip("promtool_accepts_the_documented_config_and_rules") {
        return;
    }
    let blocks = doc_yaml_blocks();
    let dir = tempfile::tempdir().unwrap();
    let config = blocks
        .iter()
        .find(|b| b.contains("scrape_configs:"))
        .expect("docs/monitoring.md shows a scrape config");
    let rules = blocks
        .iter()
        .find(|b| b.contains("groups:"))
        .expect("docs/monitoring.md shows alert rules");
    for (name, text, args) in [
        ("prometheus.yml", config, ["check", "config"]),
        ("popscope.rules.yml", rules, ["check", "rules"]),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        promtool(&args, &path);
    }
    // The rules name the exporter's metrics.
    assert!(rules.contains("probe_ssl_earliest_cert_expiry") && rules.contains("probe_success"));
}

/// The latest value of `metric` for `job`, per the query API.
fn latest(prom: SocketAddr, metric: &str, job: &str) -> Option<f64> {
    let r = get(
        prom,
        &format!("/api/v1/query?query={metric}%7Bjob%3D%22{job}%22%7D"),
        &[],
    )
    .ok()?;
    let v: Value = serde_json::from_str(&r.body).ok()?;
    let result = v["data"]["result"].as_array()?.first()?.clone();
    result["value"][1].as_str()?.parse().ok()
}

/// The latest `probe_success` of `job`; its `instance` must be the target.
fn probe_success(prom: SocketAddr, job: &str) -> Option<f64> {
    let r = get(
        prom,
        &format!("/api/v1/query?query=probe_success%7Bjob%3D%22{job}%22%7D"),
        &[],
    )
    .ok()?;
    let v: Value = serde_json::from_str(&r.body).ok()?;
    let result = v["data"]["result"].as_array()?.first()?.clone();
    assert_eq!(result["metric"]["instance"], "127.0.0.1", "{result}");
    result["value"][1].as_str()?.parse().ok()
}

#[test]
fn a_real_prometheus_scrapes_the_exporter() {
    if !available_or_skip("a_real_prometheus_scrapes_the_exporter") {
        return;
    }
    let lab = RunningLab::start(&[Scenario::Healthy, Scenario::SelfSigned]);
    let dir = tempfile::tempdir().unwrap();
    let cfg = lab_modules(&lab, dir.path(), "");
    let ex = ServeProcess::start(&[
        "--config",
        cfg.to_str().unwrap(),
        "--allow-target",
        "127.0.0.1",
    ]);

    let job = |name: &str, module: &str| {
        format!(
            "  - job_name: {name}\n    metrics_path: /probe\n    params:\n      module: [{module}]\n    static_configs:\n      - targets: ['127.0.0.1']\n    relabel_configs:\n      - source_labels: [__address__]\n        target_label: __param_target\n      - source_labels: [__param_target]\n        target_label: instance\n      - target_label: __address__\n        replacement: {}\n",
            ex.addr
        )
    };
    // A 3 s scrape timeout leaves each probe 2.5 s (the exporter keeps
    // 0.5 s for itself): room for a full diagnosis on a busy CI machine.
    let yml = format!(
        "global:\n  scrape_interval: 3s\n  scrape_timeout: 3s\nscrape_configs:\n{}{}  - job_name: popscope_exporter\n    static_configs:\n      - targets: ['{}']\n",
        job("pop3_healthy", "healthy"),
        job("pop3_broken", "self-signed"),
        ex.addr
    );
    let config = dir.path().join("prometheus.yml");
    std::fs::write(&config, &yml).unwrap();
    promtool(&["check", "config"], &config);

    let port = free_port();
    let addr: SocketAddr = ([127, 0, 0, 1], port).into();
    let log = std::fs::File::create(dir.path().join("prometheus.log")).unwrap();
    let prom = Prometheus {
        child: Command::new("prometheus")
            .arg(format!("--config.file={}", config.display()))
            .arg(format!(
                "--storage.tsdb.path={}",
                dir.path().join("tsdb").display()
            ))
            .arg(format!("--web.listen-address={addr}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("start prometheus"),
        addr,
    };
    let seen = wait::poll(wait::DEADLINE, || {
        match (
            probe_success(prom.addr, "pop3_healthy"),
            probe_success(prom.addr, "pop3_broken"),
            latest(prom.addr, "up", "popscope_exporter"),
        ) {
            (Some(ok), Some(broken), Some(up)) if ok == 1.0 && broken == 0.0 && up == 1.0 => {
                Some(())
            }
            _ => None,
        }
    });
    if seen.is_none() {
        let log = std::fs::read_to_string(dir.path().join("prometheus.log")).unwrap_or_default();
        let tail: Vec<&str> = log.lines().rev().take(30).collect();
        panic!(
            "Prometheus did not record probe_success 1 for the healthy lab, 0 for the broken one and up 1 for the exporter's /metrics within {:?}; last: healthy {:?}, broken {:?}, exporter up {:?}\nprometheus log (last lines, newest first):\n{}",
            wait::DEADLINE,
            probe_success(prom.addr, "pop3_healthy"),
            probe_success(prom.addr, "pop3_broken"),
            latest(prom.addr, "up", "popscope_exporter"),
            tail.join("\n")
        );
    }
    drop(prom);
}
