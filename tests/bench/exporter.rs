//! Benchmark of `popscope serve`: 50 concurrent scrapers against
//! `/probe` for a healthy lab target, for `POPSCOPE_BENCH_SECS` seconds
//! (default 60). Prints throughput, p50/p99 latency and the exporter's
//! resident memory at start and end. docs/benchmark.md ("Exporter") records
//! a run of
//!
//! ```sh
//! POPSCOPE_BENCH_SECS=30 cargo test --release --test bench exporter -- --ignored --nocapture
//! ```

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use popscope::lab::Scenario;

use crate::support::http::{ServeProcess, get};
use crate::support::net::RunningLab;

/// Concurrent scrapers.
const SCRAPERS: usize = 50;

/// Resident memory of `pid` in KiB (`VmRSS` in /proc).
fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i]
}

#[test]
#[ignore = "benchmark: cargo test --release --test bench exporter -- --ignored --nocapture"]
fn exporter_under_50_concurrent_scrapers() {
    let secs: u64 = std::env::var("POPSCOPE_BENCH_SECS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(60);
    let lab = RunningLab::start(&[Scenario::Healthy]);
    let ep = *lab.endpoint(Scenario::Healthy).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("exporter.toml");
    std::fs::write(
        &cfg,
        format!(
            "[modules.lab]\nplain_port = {}\ntls_port = {}\nca_file = \"{}\"\ntls_name = \"localhost\"\ntimeout = \"5s\"\ndeadline = \"20s\"\n",
            ep.plain.port(),
            ep.tls.port(),
            lab.ca_pem_path().display()
        ),
    )
    .unwrap();
    let ex = ServeProcess::start(&["--config", cfg.to_str().unwrap(), "--max-probes", "64"]);
    let path = "/probe?target=127.0.0.1&module=lab";
    // Warm-up: one probe must succeed.
    let first = ex.get(path);
    assert!(first.body.contains("probe_success 1"), "{}", first.body);
    let rss_start = rss_kib(ex.pid());

    let stop = Arc::new(AtomicBool::new(false));
    let addr = ex.addr;
    let t0 = Instant::now();
    let workers: Vec<_> = (0..SCRAPERS)
        .map(|_| {
            let stop = stop.clone();
            thread::spawn(move || {
                let mut lat = Vec::new();
                let mut failed = 0u64;
                while !stop.load(Ordering::Relaxed) {
                    let t = Instant::now();
                    match get(addr, path, &[("X-Prometheus-Scrape-Timeout-Seconds", "10")]) {
                        Ok(r) if r.status == 200 && r.body.contains("probe_success 1") => {
                            lat.push(t.elapsed())
                        }
                        _ => failed += 1,
                    }
                }
                (lat, failed)
            })
        })
        .collect();
    thread::sleep(Duration::from_secs(secs));
    stop.store(true, Ordering::Relaxed);
    let mut lat = Vec::new();
    let mut failed = 0;
    for w in workers {
        let (l, f) = w.join().unwrap();
        lat.extend(l);
        failed += f;
    }
    let wall = t0.elapsed();
    let rss_end = rss_kib(ex.pid());
    lat.sort();
    println!("\n## Exporter: {SCRAPERS} concurrent scrapers, {secs} s\n");
    println!("| figure | value |");
    println!("|---|---|");
    println!("| probes with probe_success 1 | {} |", lat.len());
    println!("| probes that failed | {failed} |");
    println!(
        "| throughput | {:.1} probes/s |",
        lat.len() as f64 / wall.as_secs_f64()
    );
    println!("| latency p50 | {} ms |", percentile(&lat, 0.5).as_millis());
    println!(
        "| latency p99 | {} ms |",
        percentile(&lat, 0.99).as_millis()
    );
    println!("| exporter RSS at start | {} MiB |", rss_start / 1024);
    println!("| exporter RSS at end | {} MiB |", rss_end / 1024);
    assert!(!lat.is_empty(), "no probe succeeded");
}
