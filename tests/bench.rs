//! Benchmark: a full `popscope check` against a private Dovecot, directly on
//! loopback and through a latency proxy that adds a 50 ms round trip.
//!
//! Not part of `cargo test`: every test here is `#[ignore]`. Run it with
//!
//! ```sh
//! cargo test --release --test bench -- --ignored --nocapture
//! ```
//!
//! `tests/bench/exporter.rs` benchmarks `popscope serve` under 50
//! concurrent scrapers (`POPSCOPE_BENCH_SECS`, default 60).
//!
//! `POPSCOPE_BENCH_RUNS` sets the number of measured runs per setting
//! (default 5). docs/benchmark.md explains the figures and records a run.
//!
//! What is measured, per run of the release binary (`CARGO_BIN_EXE_popscope`,
//! built by `tests/support/cmd.rs` in a clean environment):
//!
//! - wall time from spawn to exit, and the engine's own `duration_ms`;
//! - peak resident memory and CPU time of the child, from the kernel's
//!   `struct rusage` as `wait4(2)` returns it for exactly that child;
//! - `round_trips` per endpoint from the JSON report, the time each leg took
//!   (first to last transcript line) and the verdict, which must be `pass`.
//!
//! Over the proxy, wall time divided by the emulated round-trip time is a
//! second, independent count of round trips ("effective round trips"):
//! loopback itself costs next to nothing, so almost all of the time is spent
//! waiting for the emulated link.
//!
//! The latency proxy ([`LatencyProxy`]) is in-process: it delays every chunk
//! in each direction by 25 ms, keeping chunk boundaries and order, with one
//! queue per direction (a chunk read at `t` is written at `t + 25 ms`,
//! whatever else is in flight). A user-space proxy cannot delay the TCP
//! handshake itself (the kernel completes it before `accept`), so the proxy
//! emulates it: it opens the upstream connection 1.5 round trips after
//! accepting, which is when a server behind a real 50 ms link would accept
//! the connection; a server-first greeting then reaches the client two round
//! trips after it began to connect, exactly as over the real link.

#![cfg(target_os = "linux")]

#[path = "bench/scale.rs"]
mod scale;
mod support;

#[path = "bench/exporter.rs"]
mod exporter;

use std::ffi::{c_int, c_long};
use std::io::{self, Read, Write};
use std::net::{Ipv4Addr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use serde_json::Value;

use support::cmd::popscope_std;
use support::dovecot::{Dovecot, DovecotOpts, available_or_skip};

/// One-way delay of the emulated link (so the round trip is twice this).
const ONE_WAY: Duration = Duration::from_millis(25);

/// The budget from the issue: a full default check over a 50 ms round trip
/// should cost no more round trips than `mpop --serverinfo` over STLS.
const ROUND_TRIP_BUDGET: u64 = 10;

/// The fixture user of the login measurement (`--user`, basic profile).
const LOGIN_USER: &str = "alice";

// ---------------------------------------------------------------------------
// The latency proxy.

/// A TCP proxy on 127.0.0.1 that forwards to one target and delays each
/// direction by a fixed one-way time (see the module docs).
struct LatencyProxy {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    accepted: Arc<AtomicUsize>,
    log: WireLog,
    accept: Option<JoinHandle<()>>,
}

/// Every chunk the proxy read, in order: a wire timeline.
type WireLog = Arc<Mutex<Vec<Chunk>>>;

/// One chunk as the proxy read it.
struct Chunk {
    /// When the proxy read it (it is delivered one way later).
    at: Instant,
    /// Connection number on this proxy (1-based).
    conn: usize,
    /// True for client to server.
    upstream: bool,
    /// Empty for end of stream.
    bytes: Vec<u8>,
}

/// A chunk in flight: the instant it is due at the far end, and its bytes
/// (`None` for end of stream).
struct Packet {
    due: Instant,
    bytes: Option<Vec<u8>>,
}

impl LatencyProxy {
    /// Listens on 127.0.0.1 port 0 and forwards every connection to `target`.
    fn start(target: SocketAddr, one_way: Duration) -> io::Result<LatencyProxy> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
        let addr = listener.local_addr()?;
        let stop = Arc::new(AtomicBool::new(false));
        let accepted = Arc::new(AtomicUsize::new(0));
        let log = WireLog::default();
        let (stop2, accepted2, log2) = (stop.clone(), accepted.clone(), log.clone());
        let accept = thread::Builder::new()
            .name(format!("latency-proxy-{addr}"))
            .spawn(move || {
                for stream in listener.incoming() {
                    let at = Instant::now();
                    if stop2.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(client) = stream else { continue };
                    let conn = accepted2.fetch_add(1, Ordering::SeqCst) + 1;
                    let tap = Tap {
                        log: log2.clone(),
                        conn,
                    };
                    let _ = thread::Builder::new()
                        .name("latency-proxy-conn".into())
                        .spawn(move || proxy_conn(client, at, target, one_way, tap));
                }
            })?;
        Ok(LatencyProxy {
            addr,
            stop,
            accepted,
            log,
            accept: Some(accept),
        })
    }

    fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Connections accepted so far.
    fn connections(&self) -> usize {
        self.accepted.load(Ordering::SeqCst)
    }

    /// Takes the wire timeline recorded so far (and starts a new one).
    fn take_log(&self) -> Vec<Chunk> {
        std::mem::take(&mut *self.log.lock().unwrap())
    }
}

impl Drop for LatencyProxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop; connections in flight end with their peers.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        if let Some(t) = self.accept.take() {
            let _ = t.join();
        }
    }
}

/// Where a connection's pumps record what they read.
#[derive(Clone)]
struct Tap {
    log: WireLog,
    conn: usize,
}

fn proxy_conn(
    client: TcpStream,
    accepted_at: Instant,
    target: SocketAddr,
    one_way: Duration,
    tap: Tap,
) {
    let _ = client.set_nodelay(true);
    // What the client sends is timestamped from the start, even while the
    // upstream connection is not open yet.
    let (up_tx, up_rx) = mpsc::channel();
    let Ok(c_in) = client.try_clone() else { return };
    let up_tap = tap.clone();
    let up_reader = thread::spawn(move || pump_in(c_in, &up_tx, one_way, &up_tap, true));

    // The emulated TCP handshake: SYN (½), SYN-ACK (½), ACK (½) before the
    // server's accept.
    sleep_until(accepted_at + one_way * 3);
    let server = match TcpStream::connect_timeout(&target, Duration::from_secs(5)) {
        Ok(s) => s,
        Err(_) => {
            let _ = client.shutdown(Shutdown::Both);
            let _ = up_reader.join();
            return;
        }
    };
    let _ = server.set_nodelay(true);
    let (down_tx, down_rx) = mpsc::channel();
    let (Ok(s_in), Ok(s_out), Ok(c_out)) =
        (server.try_clone(), server.try_clone(), client.try_clone())
    else {
        let _ = client.shutdown(Shutdown::Both);
        let _ = server.shutdown(Shutdown::Both);
        return;
    };
    let down_reader = thread::spawn(move || pump_in(s_in, &down_tx, one_way, &tap, false));
    let up_writer = thread::spawn(move || pump_out(&up_rx, s_out, &c_out));
    pump_out(&down_rx, client, &server);
    let _ = up_writer.join();
    let _ = up_reader.join();
    let _ = down_reader.join();
}

/// Reads chunks as they come and queues each with its due time.
fn pump_in(
    mut from: TcpStream,
    to: &mpsc::Sender<Packet>,
    one_way: Duration,
    tap: &Tap,
    upstream: bool,
) {
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let r = loop {
            match from.read(&mut buf) {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                r => break r,
            }
        };
        let at = Instant::now();
        let due = at + one_way;
        let bytes = match r {
            Ok(n) if n > 0 => Some(buf[..n].to_vec()),
            // End of stream or an error: pass the end on, in order.
            _ => None,
        };
        tap.log.lock().unwrap().push(Chunk {
            at,
            conn: tap.conn,
            upstream,
            bytes: bytes.clone().unwrap_or_default(),
        });
        let end = bytes.is_none();
        if to.send(Packet { due, bytes }).is_err() || end {
            return;
        }
    }
}

/// Writes queued chunks when they are due; half-closes at end of stream.
/// On a write error both sockets are shut so that every pump ends.
fn pump_out(from: &mpsc::Receiver<Packet>, mut to: TcpStream, other: &TcpStream) {
    while let Ok(p) = from.recv() {
        sleep_until(p.due);
        match p.bytes {
            Some(b) => {
                if to.write_all(&b).is_err() {
                    let _ = to.shutdown(Shutdown::Both);
                    let _ = other.shutdown(Shutdown::Both);
                    return;
                }
            }
            None => {
                let _ = to.shutdown(Shutdown::Write);
                return;
            }
        }
    }
}

fn sleep_until(t: Instant) {
    let now = Instant::now();
    if t > now {
        thread::sleep(t - now);
    }
}

// ---------------------------------------------------------------------------
// Measuring a child process.

/// `struct rusage` as Linux lays it out on 64-bit targets (`long` fields,
/// `struct timeval` of two longs).
#[repr(C)]
#[derive(Default)]
struct RUsage {
    utime: [c_long; 2],
    stime: [c_long; 2],
    maxrss: c_long,
    rest: [c_long; 13],
}

unsafe extern "C" {
    fn wait4(pid: c_int, status: *mut c_int, options: c_int, rusage: *mut RUsage) -> c_int;
}

/// What one run of a child cost.
struct Measured {
    started: Instant,
    wall: Duration,
    cpu: Duration,
    max_rss_kib: u64,
    status: ExitStatus,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
}

/// Spawns `cmd`, reaps it with `wait4` (for its own peak RSS and CPU time)
/// and times it from spawn to exit. Output goes to temp files, so a large
/// report cannot block the child on a full pipe.
fn run_measured(cmd: &mut Command) -> Measured {
    let out = tempfile::NamedTempFile::new().unwrap();
    let err = tempfile::NamedTempFile::new().unwrap();
    cmd.stdin(Stdio::null())
        .stdout(out.reopen().unwrap())
        .stderr(err.reopen().unwrap());
    let t0 = Instant::now();
    let child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("spawning {cmd:?}: {e}"));
    let pid = c_int::try_from(child.id()).unwrap();
    let mut raw_status: c_int = 0;
    let mut ru = RUsage::default();
    loop {
        // SAFETY: plain FFI call with valid pointers to owned, correctly laid
        // out values; `pid` is our own unreaped child (std never waits for it:
        // the `Child` handle is only dropped).
        let r = unsafe { wait4(pid, &mut raw_status, 0, &mut ru) };
        if r == pid {
            break;
        }
        let e = io::Error::last_os_error();
        assert_eq!(e.kind(), io::ErrorKind::Interrupted, "wait4({pid}): {e}");
    }
    let wall = t0.elapsed();
    drop(child);
    let tv = |t: [c_long; 2]| {
        Duration::from_secs(u64::try_from(t[0]).unwrap_or(0))
            + Duration::from_micros(u64::try_from(t[1]).unwrap_or(0))
    };
    Measured {
        started: t0,
        wall,
        cpu: tv(ru.utime) + tv(ru.stime),
        max_rss_kib: u64::try_from(ru.maxrss).unwrap_or(0),
        status: ExitStatus::from_raw(raw_status),
        stdout: std::fs::read(out.path()).unwrap(),
        stderr: std::fs::read(err.path()).unwrap(),
    }
}

// ---------------------------------------------------------------------------
// popscope runs.

/// One leg (endpoint) of a popscope run, from the JSON report.
struct Leg {
    port: u16,
    security: String,
    round_trips: u64,
    /// First to last transcript line of the endpoint.
    span_ms: u64,
    last_ms: u64,
}

/// One measured popscope run.
struct Run {
    m: Measured,
    verdict: String,
    duration_ms: u64,
    legs: Vec<Leg>,
    /// Connections the proxies accepted during the run (0 when direct).
    connections: usize,
}

/// Runs one `popscope check`; with `login`, as the fixture's user alice with
/// the basic profile (the login session and its dialogue included).
fn popscope_check(plain: SocketAddr, tls: SocketAddr, ca: &Path, login: bool) -> Run {
    let mut cmd = popscope_std();
    cmd.arg("check")
        .arg(plain.ip().to_string())
        .args(["--plain-port", &plain.port().to_string()])
        .args(["--tls-port", &tls.port().to_string()])
        .arg("--ca-file")
        .arg(ca)
        .args(["--tls-name", "localhost", "--json"])
        .env("NO_COLOR", "1");
    if login {
        let password = Dovecot::password(LOGIN_USER).expect("a fixture user");
        cmd.args(["--user", LOGIN_USER, "--profile", "basic"])
            .env("POPSCOPE_PASSWORD", password);
    }
    let m = run_measured(&mut cmd);
    let report: Value = serde_json::from_slice(&m.stdout).unwrap_or_else(|e| {
        panic!(
            "popscope printed no JSON ({e}); exit {:?}\nstdout: {}\nstderr: {}",
            m.status,
            String::from_utf8_lossy(&m.stdout),
            String::from_utf8_lossy(&m.stderr)
        )
    });
    let verdict = report["verdict"].as_str().unwrap_or("?").to_string();
    assert!(
        m.status.success() && verdict == "pass",
        "a full check of a healthy Dovecot must pass; exit {:?}, verdict {verdict}: {}\n{}",
        m.status,
        report["summary"],
        serde_json::to_string_pretty(&report["checks"]).unwrap()
    );
    let legs = report["endpoints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let times: Vec<u64> = e["transcript"]
                .as_array()
                .map(|t| t.iter().filter_map(|l| l["t_ms"].as_u64()).collect())
                .unwrap_or_default();
            let first = times.iter().copied().min().unwrap_or(0);
            let last = times.iter().copied().max().unwrap_or(0);
            Leg {
                port: u16::try_from(e["port"].as_u64().unwrap()).unwrap(),
                security: e["security"].as_str().unwrap_or("?").to_string(),
                round_trips: e["round_trips"].as_u64().unwrap(),
                span_ms: last - first,
                last_ms: last,
            }
        })
        .collect();
    Run {
        verdict,
        duration_ms: report["duration_ms"].as_u64().unwrap(),
        legs,
        connections: 0,
        m,
    }
}

// ---------------------------------------------------------------------------
// Statistics and printing.

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// (median, min, max); the median of an even count is the mean of the middle two.
fn stats(values: &[f64]) -> (f64, f64, f64) {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    let median = if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    };
    (median, v[0], v[n - 1])
}

fn fmt_stats(values: &[f64], decimals: usize) -> String {
    let (med, lo, hi) = stats(values);
    format!("{med:.decimals$} ({lo:.decimals$}–{hi:.decimals$})")
}

/// Runs `popscope check` `n` times and returns the runs.
fn series(
    n: usize,
    plain: SocketAddr,
    tls: SocketAddr,
    ca: &Path,
    proxies: &[&LatencyProxy],
    login: bool,
) -> Vec<Run> {
    (0..n)
        .map(|_| {
            let before: usize = proxies.iter().map(|p| p.connections()).sum();
            let mut r = popscope_check(plain, tls, ca, login);
            // Connections are accepted before the child exits; count them now.
            r.connections = proxies.iter().map(|p| p.connections()).sum::<usize>() - before;
            r
        })
        .collect()
}

fn leg_of(run: &Run, port: u16) -> &Leg {
    run.legs
        .iter()
        .find(|l| l.port == port)
        .unwrap_or_else(|| panic!("no endpoint for port {port}"))
}

/// Prints one setting's table; returns the highest per-leg round-trip count.
fn print_series(
    title: &str,
    runs: &[Run],
    plain_port: u16,
    tls_port: u16,
    rtt: Option<Duration>,
) -> u64 {
    let col = |f: &dyn Fn(&Run) -> f64| runs.iter().map(f).collect::<Vec<f64>>();
    println!("\n### {title}: {} runs, median (min–max)\n", runs.len());
    println!("| measure | value |");
    println!("|---|---|");
    println!(
        "| wall time, spawn to exit (ms) | {} |",
        fmt_stats(&col(&|r| ms(r.m.wall)), 1)
    );
    println!(
        "| engine `duration_ms` | {} |",
        fmt_stats(&col(&|r| r.duration_ms as f64), 0)
    );
    println!(
        "| peak RSS (MiB) | {} |",
        fmt_stats(&col(&|r| r.m.max_rss_kib as f64 / 1024.0), 1)
    );
    println!(
        "| CPU time, user+sys (ms) | {} |",
        fmt_stats(&col(&|r| ms(r.m.cpu)), 1)
    );
    let mut worst = 0;
    for (name, port) in [("plain+STLS", plain_port), ("implicit TLS", tls_port)] {
        let rts = col(&|r| leg_of(r, port).round_trips as f64);
        worst = worst.max(rts.iter().fold(0.0f64, |a, b| a.max(*b)) as u64);
        let sec = &leg_of(&runs[0], port).security;
        println!(
            "| {name} leg ({sec}): `round_trips` | {} |",
            fmt_stats(&rts, 0)
        );
        println!(
            "| {name} leg: time, first to last transcript line (ms) | {} |",
            fmt_stats(&col(&|r| leg_of(r, port).span_ms as f64), 0)
        );
        if let Some(rtt) = rtt {
            println!(
                "| {name} leg: effective round trips (leg time / {} ms) | {} |",
                rtt.as_millis(),
                fmt_stats(&col(&|r| leg_of(r, port).span_ms as f64 / ms(rtt)), 1)
            );
        }
    }
    println!(
        "| legs: sum of leg times / engine duration | {} |",
        fmt_stats(
            &col(&|r| {
                r.legs.iter().map(|l| l.span_ms as f64).sum::<f64>() / (r.duration_ms.max(1) as f64)
            }),
            2
        )
    );
    println!(
        "| last transcript line, plain / TLS leg (ms) | {} / {} |",
        fmt_stats(&col(&|r| leg_of(r, plain_port).last_ms as f64), 0),
        fmt_stats(&col(&|r| leg_of(r, tls_port).last_ms as f64), 0)
    );
    if let Some(rtt) = rtt {
        println!(
            "| effective round trips, whole run (wall / {} ms) | {} |",
            rtt.as_millis(),
            fmt_stats(&col(&|r| ms(r.m.wall) / ms(rtt)), 1)
        );
        println!(
            "| TCP connections through the proxies per run | {} |",
            fmt_stats(&col(&|r| r.connections as f64), 0)
        );
    }
    println!(
        "| verdict | {} |",
        runs.iter()
            .map(|r| r.verdict.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    worst
}

// ---------------------------------------------------------------------------
// Wire timelines.

/// A short description of a chunk: the POP3 text, or the TLS record types.
fn describe(bytes: &[u8]) -> String {
    if bytes.is_empty() {
        return "end of stream".into();
    }
    if bytes.len() >= 5 && (0x14..=0x17).contains(&bytes[0]) && bytes[1] == 3 {
        let mut kinds: Vec<String> = Vec::new();
        let mut rest = bytes;
        while rest.len() >= 5 {
            let len = usize::from(u16::from_be_bytes([rest[3], rest[4]]));
            let kind = match rest[0] {
                0x14 => "ChangeCipherSpec".to_string(),
                0x15 => "Alert".to_string(),
                0x16 => match rest.get(5) {
                    Some(1) => "ClientHello".to_string(),
                    Some(2) => "ServerHello".to_string(),
                    _ => "Handshake".to_string(),
                },
                0x17 => "AppData".to_string(),
                t => format!("record 0x{t:02x}"),
            };
            match kinds.last_mut() {
                Some(k) if k.starts_with(&kind) => {
                    let n = k
                        .rsplit_once('×')
                        .and_then(|(_, n)| n.parse::<u32>().ok())
                        .unwrap_or(1);
                    *k = format!("{kind}×{}", n + 1);
                }
                _ => kinds.push(kind),
            }
            rest = &rest[(5 + len).min(rest.len())..];
        }
        return format!("TLS {} ({} B)", kinds.join(" + "), bytes.len());
    }
    let text = String::from_utf8_lossy(bytes);
    let lines: Vec<&str> = text.lines().collect();
    let mut shown = lines.first().copied().unwrap_or("").to_string();
    if shown.len() > 48 {
        shown.truncate(48);
        shown.push('…');
    }
    if lines.len() > 1 {
        format!("{shown} ⏎ … ({} lines, {} B)", lines.len(), bytes.len())
    } else {
        shown
    }
}

/// Prints what crossed the proxies during one run, relative to its spawn.
fn print_timeline(title: &str, start: Instant, rtt: Duration, logs: Vec<(&str, Vec<Chunk>)>) {
    let mut rows: Vec<(Instant, String, bool, String)> = logs
        .into_iter()
        .flat_map(|(name, log)| {
            log.into_iter().map(move |c| {
                (
                    c.at,
                    format!("{name}#{}", c.conn),
                    c.upstream,
                    describe(&c.bytes),
                )
            })
        })
        .collect();
    rows.sort_by_key(|r| r.0);
    println!("\n### Wire timeline: {title}\n");
    println!(
        "Times are when the proxy read the chunk (it arrives {} ms later), from spawn.\n",
        rtt.as_millis() / 2
    );
    println!("| t (ms) | t / RTT | connection | direction | content |");
    println!("|---|---|---|---|---|");
    for (at, conn, up, what) in rows {
        let t = ms(at.saturating_duration_since(start));
        let dir = if up {
            "client → server"
        } else {
            "server → client"
        };
        println!(
            "| {t:.0} | {:.1} | {conn} | {dir} | {} |",
            t / ms(rtt),
            what.replace('|', "\\|")
        );
    }
}

// ---------------------------------------------------------------------------
// The proxy's own calibration.

/// Measures the proxy against an in-process echo server: time to connect and
/// get the first echo (two round trips over a real link), steady-state round
/// trip, and two chunks sent 20 ms apart (each must come back one round trip
/// after it was sent: the queue must not serialise them).
fn calibrate(one_way: Duration) -> (f64, f64, f64, f64) {
    let echo = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let echo_addr = echo.local_addr().unwrap();
    let server = thread::spawn(move || {
        let (mut s, _) = echo.accept().unwrap();
        let _ = s.set_nodelay(true);
        let mut buf = [0u8; 1024];
        loop {
            match s.read(&mut buf) {
                Ok(0) | Err(_) => return,
                Ok(n) => {
                    if s.write_all(&buf[..n]).is_err() {
                        return;
                    }
                }
            }
        }
    });
    let proxy = LatencyProxy::start(echo_addr, one_way).unwrap();
    let t0 = Instant::now();
    let mut c = TcpStream::connect(proxy.addr()).unwrap();
    c.set_nodelay(true).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut buf = [0u8; 16];
    c.write_all(b"a").unwrap();
    c.read_exact(&mut buf[..1]).unwrap();
    let first = ms(t0.elapsed());

    let mut steady = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        c.write_all(b"b").unwrap();
        c.read_exact(&mut buf[..1]).unwrap();
        steady.push(ms(t.elapsed()));
    }

    let got = Arc::new(Mutex::new(Vec::new()));
    let t = Instant::now();
    let mut rd = c.try_clone().unwrap();
    let got2 = got.clone();
    let reader = thread::spawn(move || {
        let mut b = [0u8; 1];
        for _ in 0..2 {
            rd.read_exact(&mut b).unwrap();
            got2.lock().unwrap().push(ms(t.elapsed()));
        }
    });
    c.write_all(b"x").unwrap();
    thread::sleep(Duration::from_millis(20));
    c.write_all(b"y").unwrap();
    reader.join().unwrap();
    drop(c);
    let _ = server.join();
    let got = got.lock().unwrap();
    (first, stats(&steady).0, got[0], got[1])
}

// ---------------------------------------------------------------------------
// mpop, for comparison.

fn find_on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

/// `mpop --serverinfo` against `addr` over STLS or implicit TLS, trusting
/// `ca`, with no configuration file (`--host`) and an empty `HOME`.
fn mpop_cmd(mpop: &Path, addr: SocketAddr, starttls: bool, ca: &Path) -> Command {
    let mut cmd = Command::new(mpop);
    cmd.arg(format!("--host={}", addr.ip()))
        .arg(format!("--port={}", addr.port()))
        .arg("--tls=on")
        .arg(format!(
            "--tls-starttls={}",
            if starttls { "on" } else { "off" }
        ))
        .arg(format!("--tls-trust-file={}", ca.display()))
        .arg("--tls-host-override=localhost")
        .arg("--timeout=10")
        .arg("--serverinfo")
        // No user configuration may leak in.
        .env("HOME", std::env::temp_dir().join("popscope-bench-no-home"));
    cmd
}

/// `mpop --serverinfo` against `addr`, `n` times; STLS on the plain port or
/// implicit TLS. Returns wall times (ms) and peak RSS (KiB), or why not.
fn mpop_series(
    mpop: &Path,
    addr: SocketAddr,
    starttls: bool,
    ca: &Path,
    n: usize,
) -> Result<Vec<(f64, u64)>, String> {
    let mut out = Vec::new();
    for _ in 0..n {
        let m = run_measured(&mut mpop_cmd(mpop, addr, starttls, ca));
        if !m.status.success() {
            return Err(format!(
                "mpop failed ({:?}): {}{}",
                m.status,
                String::from_utf8_lossy(&m.stdout),
                String::from_utf8_lossy(&m.stderr)
            ));
        }
        out.push((ms(m.wall), m.max_rss_kib));
    }
    Ok(out)
}

fn print_mpop(title: &str, r: &Result<Vec<(f64, u64)>, String>, rtt: Option<Duration>) {
    match r {
        Err(e) => println!(
            "| {title} | not measured: {} |",
            e.lines().next().unwrap_or("")
        ),
        Ok(v) => {
            let wall: Vec<f64> = v.iter().map(|x| x.0).collect();
            let rss: Vec<f64> = v.iter().map(|x| x.1 as f64 / 1024.0).collect();
            let eff = rtt
                .map(|rtt| {
                    let e: Vec<f64> = wall.iter().map(|w| w / ms(rtt)).collect();
                    format!("; effective round trips {}", fmt_stats(&e, 1))
                })
                .unwrap_or_default();
            println!(
                "| {title} | wall {} ms; peak RSS {} MiB{eff} |",
                fmt_stats(&wall, 1),
                fmt_stats(&rss, 1)
            );
        }
    }
}

// ---------------------------------------------------------------------------

fn runs_wanted() -> usize {
    std::env::var("POPSCOPE_BENCH_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .filter(|n| *n > 0)
        .unwrap_or(5)
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpu
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split_once(':'))
        .map_or("unknown CPU", |(_, m)| m.trim())
        .to_string();
    let cores = thread::available_parallelism().map_or(0, |n| n.get());
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
    format!("{cores} cores, {model}, Linux {}", kernel.trim())
}

fn dovecot_version() -> String {
    support::dovecot::dovecot_bin()
        .and_then(|b| Command::new(b).arg("--version").output().ok())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_else(|| "?".into())
}

#[test]
#[ignore = "benchmark: cargo test --release --test bench -- --ignored --nocapture"]
fn bench_full_check_direct_and_over_50ms_rtt() {
    if !available_or_skip("bench_full_check_direct_and_over_50ms_rtt") {
        return;
    }
    let n = runs_wanted();
    let rtt = ONE_WAY * 2;
    println!("\n## popscope benchmark\n");
    println!("- machine: {}", machine());
    println!("- Dovecot {}", dovecot_version());
    println!(
        "- build: {}",
        if cfg!(debug_assertions) {
            "DEBUG (use --release for real figures)"
        } else {
            "release"
        }
    );
    println!("- runs per setting: {n} (after one unmeasured warm-up run)");

    let (first, steady, x, y) = calibrate(ONE_WAY);
    println!(
        "\n### Latency proxy calibration (one way {} ms)\n",
        ONE_WAY.as_millis()
    );
    println!("| measure | ms | over a real link |");
    println!("|---|---|---|");
    println!(
        "| connect + first echo | {first:.1} | {} |",
        (rtt * 2).as_millis()
    );
    println!(
        "| steady round trip (median of 5) | {steady:.1} | {} |",
        rtt.as_millis()
    );
    println!(
        "| two chunks sent 20 ms apart: echoes at | {x:.1}, {y:.1} | {}, {} |",
        rtt.as_millis(),
        rtt.as_millis() + 20
    );

    let d = Dovecot::start(DovecotOpts::default()).unwrap_or_else(|e| panic!("{e:#}"));
    let plain = d.pop3_addr();
    let tls = d.pop3s_addr().expect("pop3s listener");
    let ca = d.ca_pem_path();

    // Warm-up: page cache, Dovecot's login processes.
    let _ = popscope_check(plain, tls, &ca, false);
    let direct = series(n, plain, tls, &ca, &[], false);
    let worst_direct = print_series(
        "Direct on loopback",
        &direct,
        plain.port(),
        tls.port(),
        None,
    );

    let p_plain = LatencyProxy::start(plain, ONE_WAY).unwrap();
    let p_tls = LatencyProxy::start(tls, ONE_WAY).unwrap();
    let proxied = series(
        n,
        p_plain.addr(),
        p_tls.addr(),
        &ca,
        &[&p_plain, &p_tls],
        false,
    );
    let worst_proxied = print_series(
        &format!(
            "Through the latency proxy, {} ms round trip",
            rtt.as_millis()
        ),
        &proxied,
        p_plain.addr().port(),
        p_tls.addr().port(),
        Some(rtt),
    );

    // One more run, unmeasured, to show where the round trips go.
    p_plain.take_log();
    p_tls.take_log();
    let one = popscope_check(p_plain.addr(), p_tls.addr(), &ca, false);
    thread::sleep(rtt);
    print_timeline(
        "one `popscope check` through the proxies",
        one.m.started,
        rtt,
        vec![("plain", p_plain.take_log()), ("tls", p_tls.take_log())],
    );

    // The full check with a login (`--user alice`, basic profile), docs/benchmark.md "Login".
    d.seed_message(
        LOGIN_USER,
        "From: Bench <bench@example.org>\nTo: alice@localhost\nSubject: bench\n\nOne message for the basic profile.\n",
    )
    .unwrap();
    let _ = popscope_check(plain, tls, &ca, true);
    let login_direct = series(n, plain, tls, &ca, &[], true);
    let worst_login_direct = print_series(
        "Login (--user, basic profile): direct on loopback",
        &login_direct,
        plain.port(),
        tls.port(),
        None,
    );
    let login_proxied = series(
        n,
        p_plain.addr(),
        p_tls.addr(),
        &ca,
        &[&p_plain, &p_tls],
        true,
    );
    let worst_login_proxied = print_series(
        &format!(
            "Login (--user, basic profile): through the latency proxy, {} ms round trip",
            rtt.as_millis()
        ),
        &login_proxied,
        p_plain.addr().port(),
        p_tls.addr().port(),
        Some(rtt),
    );
    p_plain.take_log();
    p_tls.take_log();
    let one = popscope_check(p_plain.addr(), p_tls.addr(), &ca, true);
    thread::sleep(rtt);
    print_timeline(
        "one `popscope check --user alice` through the proxies",
        one.m.started,
        rtt,
        vec![("plain", p_plain.take_log()), ("tls", p_tls.take_log())],
    );
    let worst_direct = worst_direct.max(worst_login_direct);
    let worst_proxied = worst_proxied.max(worst_login_proxied);

    println!("\n### mpop --serverinfo, for comparison\n");
    match find_on_path("mpop") {
        None => println!("mpop is not installed (apt-get install mpop): not measured."),
        Some(mpop) => {
            let v = Command::new(&mpop)
                .arg("--version")
                .output()
                .map(|o| {
                    String::from_utf8_lossy(&o.stdout)
                        .lines()
                        .next()
                        .unwrap_or("")
                        .to_string()
                })
                .unwrap_or_default();
            println!("{v}\n");
            println!("| run | figures, median (min–max) |");
            println!("|---|---|");
            print_mpop(
                "STLS, direct",
                &mpop_series(&mpop, plain, true, &ca, n),
                None,
            );
            print_mpop(
                "STLS, through the proxy",
                &mpop_series(&mpop, p_plain.addr(), true, &ca, n),
                Some(rtt),
            );
            print_mpop(
                "implicit TLS, through the proxy",
                &mpop_series(&mpop, p_tls.addr(), false, &ca, n),
                Some(rtt),
            );
            p_plain.take_log();
            let m = run_measured(&mut mpop_cmd(&mpop, p_plain.addr(), true, &ca));
            thread::sleep(rtt);
            print_timeline(
                "one `mpop --serverinfo` over STLS through the proxy",
                m.started,
                rtt,
                vec![("plain", p_plain.take_log())],
            );
        }
    }

    println!(
        "\nround_trips budget per leg: {ROUND_TRIP_BUDGET}; highest counted: {worst_direct} direct, {worst_proxied} through the proxy"
    );
    // The counters do not depend on timing, so this holds on any machine.
    assert!(
        worst_direct <= ROUND_TRIP_BUDGET && worst_proxied <= ROUND_TRIP_BUDGET,
        "a leg needed more than {ROUND_TRIP_BUDGET} round trips"
    );
    drop(p_plain);
    drop(p_tls);
    drop(d);
}
