//! Scale benchmark: many targets in one run (docs/benchmark.md "Many
//! targets"). Not part of `cargo test` (`#[ignore]`); run it with
//!
//! ```sh
//! cargo test --release --test bench scale -- --ignored --nocapture
//! ```
//!
//! N distinct loopback addresses (127.0.1.1, 127.0.1.2, ...) each listen on
//! the same plain and TLS ports and forward every connection to one
//! in-process lab (`healthy` scenario), directly or through a tokio latency
//! forwarder that adds a 50 ms round trip the way [`super::LatencyProxy`]
//! does (each chunk delivered 25 ms after it was read, the upstream
//! connection opened 1.5 round trips after the accept). Every target is
//! `127.0.x.y` with `--plain-port`/`--tls-port`: both ports, every check.
//!
//! Compared, on the same list: one `popscope check --targets FILE --format
//! jsonl` run (several `--concurrency` values), one process per target under
//! `xargs -P 8` and `xargs -P 64` (the same release binary, `--json`), and
//! `nmap -p PLAIN,TLS --script pop3-capabilities,ssl-cert` when nmap is
//! installed. Wall time, CPU and peak RSS come from `wait4(2)` on the
//! spawned command ([`super::run_measured`]); for `xargs` the kernel sums
//! the CPU of every reaped child and reports the largest single child's
//! peak RSS.
//!
//! `POPSCOPE_BENCH_SCALE` sets the list sizes (default `100,1000`).

use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use popscope::lab::{LabConfig, Scenario};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio::time::Instant;

use crate::support::cmd::{clean_env, popscope_std};
use crate::support::net::RunningLab;
use crate::{Measured, find_on_path, machine, ms, run_measured};

/// One-way delay of the emulated link.
const ONE_WAY: Duration = Duration::from_millis(25);

/// The loopback address of target `i` (0-based): 127.0.1.1 onwards,
/// skipping .0 and .255.
fn address(i: usize) -> Ipv4Addr {
    let i = u32::try_from(i).unwrap();
    let (hi, lo) = (1 + i / 254, 1 + i % 254);
    Ipv4Addr::new(127, 0, u8::try_from(hi).unwrap(), u8::try_from(lo).unwrap())
}

/// Listeners on `n` loopback addresses (same two ports on each) forwarding
/// to the lab, with or without the emulated 50 ms link.
struct Fronts {
    /// Hosts the listeners; they close when it is dropped.
    _rt: tokio::runtime::Runtime,
    plain_port: u16,
    tls_port: u16,
}

impl Fronts {
    fn start(
        n: usize,
        lab_plain: SocketAddr,
        lab_tls: SocketAddr,
        one_way: Option<Duration>,
    ) -> Fronts {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let (plain_port, tls_port) = rt.block_on(async {
            let mut ports = [0u16; 2];
            for (k, upstream) in [lab_plain, lab_tls].into_iter().enumerate() {
                for i in 0..n {
                    let l = TcpListener::bind((address(i), ports[k]))
                        .await
                        .unwrap_or_else(|e| panic!("bind {}:{}: {e}", address(i), ports[k]));
                    ports[k] = l.local_addr().unwrap().port();
                    tokio::spawn(accept_loop(l, upstream, one_way));
                }
            }
            (ports[0], ports[1])
        });
        Fronts {
            _rt: rt,
            plain_port,
            tls_port,
        }
    }
}

async fn accept_loop(l: TcpListener, upstream: SocketAddr, one_way: Option<Duration>) {
    loop {
        let Ok((client, _)) = l.accept().await else {
            continue;
        };
        tokio::spawn(forward(client, upstream, one_way));
    }
}

/// Forwards one connection; with `one_way`, delays each chunk and the
/// upstream connect as the emulated link would.
async fn forward(client: TcpStream, upstream: SocketAddr, one_way: Option<Duration>) {
    let _ = client.set_nodelay(true);
    let Some(d) = one_way else {
        let Ok(mut server) = TcpStream::connect(upstream).await else {
            return;
        };
        let _ = server.set_nodelay(true);
        let mut client = client;
        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
        return;
    };
    let accepted = Instant::now();
    let (cr, cw) = client.into_split();
    let (up_tx, up_rx) = mpsc::unbounded_channel();
    tokio::spawn(pump_in(cr, up_tx, d));
    tokio::time::sleep_until(accepted + 3 * d).await;
    let Ok(server) = TcpStream::connect(upstream).await else {
        return;
    };
    let _ = server.set_nodelay(true);
    let (sr, sw) = server.into_split();
    let (down_tx, down_rx) = mpsc::unbounded_channel();
    tokio::spawn(pump_in(sr, down_tx, d));
    tokio::spawn(pump_out(up_rx, sw));
    pump_out(down_rx, cw).await;
}

/// A chunk and when it is due at the far end (`None`: end of stream).
type Packet = (Instant, Option<Vec<u8>>);

async fn pump_in(
    mut from: tokio::net::tcp::OwnedReadHalf,
    to: mpsc::UnboundedSender<Packet>,
    d: Duration,
) {
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        let n = from.read(&mut buf).await.unwrap_or(0);
        let due = Instant::now() + d;
        let chunk = (n > 0).then(|| buf[..n].to_vec());
        if to.send((due, chunk)).is_err() || n == 0 {
            return;
        }
    }
}

async fn pump_out(
    mut from: mpsc::UnboundedReceiver<Packet>,
    mut to: tokio::net::tcp::OwnedWriteHalf,
) {
    while let Some((due, chunk)) = from.recv().await {
        tokio::time::sleep_until(due).await;
        match chunk {
            Some(b) => {
                if to.write_all(&b).await.is_err() {
                    return;
                }
            }
            None => {
                let _ = to.shutdown().await;
                return;
            }
        }
    }
}

/// One measured row of the table.
struct Row {
    what: String,
    m: Measured,
    ok: String,
}

fn print_row(n: usize, rtt: &str, r: &Row) {
    let per_target_cpu = ms(r.m.cpu) / n as f64;
    println!(
        "| {n} | {rtt} | {} | {:.2} | {:.2} | {:.1} | {:.1} | {} |",
        r.what,
        r.m.wall.as_secs_f64(),
        r.m.cpu.as_secs_f64(),
        per_target_cpu,
        r.m.max_rss_kib as f64 / 1024.0,
        r.ok
    );
}

/// The `check` options every run uses (both ports, the lab's CA and name).
fn check_opts(f: &Fronts, ca: &Path) -> Vec<String> {
    vec![
        "--plain-port".into(),
        f.plain_port.to_string(),
        "--tls-port".into(),
        f.tls_port.to_string(),
        "--ca-file".into(),
        ca.display().to_string(),
        "--tls-name".into(),
        "localhost".into(),
        "--timeout".into(),
        "30s".into(),
        "--deadline".into(),
        "30m".into(),
    ]
}

fn popscope_many(list: &Path, f: &Fronts, ca: &Path, concurrency: u32, n: usize) -> Row {
    let mut cmd = popscope_std();
    cmd.args(["check", "--targets"])
        .arg(list)
        .args([
            "--format",
            "jsonl",
            "--concurrency",
            &concurrency.to_string(),
        ])
        .args(check_opts(f, ca));
    let m = run_measured(&mut cmd);
    let out = String::from_utf8_lossy(&m.stdout);
    let lines = out.lines().count();
    let pass = out
        .lines()
        .filter(|l| l.contains("\"verdict\":\"pass\""))
        .count();
    assert_eq!(
        lines,
        n,
        "one line per target; stderr: {}",
        String::from_utf8_lossy(&m.stderr)
    );
    Row {
        what: format!("popscope --targets, --concurrency {concurrency}"),
        ok: format!("{pass}/{n} pass"),
        m,
    }
}

fn xargs(list: &Path, f: &Fronts, ca: &Path, p: u32, n: usize) -> Row {
    let mut cmd = Command::new("xargs");
    clean_env(&mut cmd);
    cmd.args(["-P", &p.to_string(), "-n", "1", "-a"])
        .arg(list)
        .arg(crate::support::cmd::bin())
        .arg("check")
        .args(check_opts(f, ca))
        .arg("--json");
    let m = run_measured(&mut cmd);
    let out = String::from_utf8_lossy(&m.stdout);
    let pass = out.matches("\"verdict\": \"pass\"").count();
    Row {
        what: format!("xargs -P {p} (one popscope per target)"),
        ok: format!(
            "{pass}/{n} pass, exit {}",
            m.status
                .code()
                .map_or("by signal".into(), |c| c.to_string())
        ),
        m,
    }
}

fn nmap(nmap: &Path, list: &Path, f: &Fronts, n: usize) -> Row {
    let mut cmd = Command::new(nmap);
    cmd.args([
        "-Pn",
        "-n",
        "-p",
        &format!("{},{}", f.plain_port, f.tls_port),
    ])
    .args(["--script", "pop3-capabilities,ssl-cert", "-iL"])
    .arg(list);
    let m = run_measured(&mut cmd);
    let out = String::from_utf8_lossy(&m.stdout);
    let certs = out.matches("ssl-cert: Subject").count();
    Row {
        what: "nmap --script pop3-capabilities,ssl-cert".into(),
        ok: format!("{certs}/{n} certificates read"),
        m,
    }
}

fn sizes() -> Vec<usize> {
    std::env::var("POPSCOPE_BENCH_SCALE")
        .ok()
        .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .filter(|v: &Vec<usize>| !v.is_empty())
        .unwrap_or_else(|| vec![100, 1000])
}

#[test]
#[ignore = "benchmark: cargo test --release --test bench scale -- --ignored --nocapture"]
fn bench_many_targets() {
    let mut cfg = LabConfig::new(vec![Scenario::Healthy]);
    cfg.max_per_address = 1_000_000;
    cfg.max_connections = 1_000_000;
    let lab = RunningLab::with(cfg);
    let ep = lab.endpoint(Scenario::Healthy).unwrap();
    let (lab_plain, lab_tls) = (ep.plain, ep.tls);
    let ca: PathBuf = lab.ca_pem_path().to_path_buf();
    let nmap_bin = find_on_path("nmap");
    println!("\nmachine: {}", machine());
    println!("| targets | RTT | run | wall s | CPU s | CPU ms/target | peak RSS MiB | result |");
    println!("|---|---|---|---|---|---|---|---|");
    for (rtt, one_way) in [("50 ms", Some(ONE_WAY)), ("0 (loopback)", None)] {
        for &n in &sizes() {
            let fronts = Fronts::start(n, lab_plain, lab_tls, one_way);
            let mut list = tempfile::NamedTempFile::new().unwrap();
            for i in 0..n {
                use std::io::Write;
                writeln!(list, "{}", address(i)).unwrap();
            }
            let path = list.path();
            for c in [16, 64, 256] {
                print_row(n, rtt, &popscope_many(path, &fronts, &ca, c, n));
            }
            for p in [8, 64] {
                print_row(n, rtt, &xargs(path, &fronts, &ca, p, n));
            }
            match &nmap_bin {
                Some(b) => print_row(n, rtt, &nmap(b, path, &fronts, n)),
                None => println!("| {n} | {rtt} | nmap | not installed | | | | |"),
            }
        }
    }
    drop(lab);
}
