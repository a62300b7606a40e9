//! Shared helpers: a clean `popscope` command, a tokio runtime that hosts the
//! lab / DNS / hostile servers while the binary runs, and a parsed report
//! that is schema-checked every time one is read.

use std::future::Future;
use std::net::SocketAddr;
use std::path::Path;

use assert_cmd::Command;
use popscope::lab::dns::{DnsServer, Zone};
use popscope::lab::{Lab, LabConfig, Scenario, ScenarioEndpoints};
use serde_json::Value;
use tokio::net::{TcpListener, TcpStream};

/// Exit codes (docs/checks.md).
pub const EXIT_PASS: i32 = 0;
pub const EXIT_WARN: i32 = 1;
pub const EXIT_FAIL: i32 = 2;
pub const EXIT_USAGE: i32 = 3;

/// Per-step timeout given to every probe run against a local server.
pub const TIMEOUT: &str = "3s";

/// `popscope` with an environment that cannot change its behaviour:
/// no `POPSCOPE_*`, no `NO_COLOR`/`CLICOLOR*`, stable help wrapping.
pub fn popscope() -> Command {
    let mut cmd = Command::cargo_bin("popscope").expect("the popscope binary is built");
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("POPSCOPE_") {
            cmd.env_remove(&key);
        }
    }
    cmd.env_remove("NO_COLOR")
        .env_remove("CLICOLOR")
        .env_remove("CLICOLOR_FORCE")
        .env("COLUMNS", "100")
        .env("TERM", "dumb")
        // A safety net against a hang, not a speed assertion.
        .timeout(std::time::Duration::from_secs(120));
    cmd
}

/// What one run of the binary left behind.
#[derive(Debug)]
pub struct Run {
    /// Exit code (`-1` when killed by a signal).
    pub code: i32,
    /// Raw standard output.
    pub stdout: Vec<u8>,
    /// Standard error, lossily decoded.
    pub stderr: String,
}

impl Run {
    /// Standard output, lossily decoded.
    pub fn out(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }
}

/// Runs `popscope ARGS` to completion.
pub fn run<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> Run {
    run_cmd(popscope().args(args))
}

/// Runs a prepared command to completion.
pub fn run_cmd(cmd: &mut Command) -> Run {
    let out = cmd.output().expect("popscope runs");
    let run = Run {
        code: out.status.code().unwrap_or(-1),
        stdout: out.stdout,
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(
        !run.stderr.contains("panicked"),
        "popscope panicked: {}",
        run.stderr
    );
    assert_ne!(run.code, 101, "popscope panicked: {}", run.stderr);
    run
}

/// A parsed, schema-validated JSON report and the run's exit code.
#[derive(Debug)]
pub struct Report {
    /// Exit code.
    pub code: i32,
    /// The JSON object.
    pub json: Value,
    /// Standard error.
    pub stderr: String,
}

/// Runs `popscope ARGS` (which must ask for JSON) and validates the report
/// against docs/json.md and docs/checks.md.
pub fn run_json<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> Report {
    let r = run(args);
    report_of(r)
}

/// Runs a prepared command (which must ask for JSON) and validates the report.
pub fn run_json_cmd(cmd: &mut Command) -> Report {
    report_of(run_cmd(cmd))
}

/// The report of a finished JSON run, validated.
pub fn report_of(r: Run) -> Report {
    let json: Value = serde_json::from_slice(&r.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not one JSON object ({e}); exit {}\nstdout: {}\nstderr: {}",
            r.code,
            r.out(),
            r.stderr
        )
    });
    if let Err(e) = std::panic::catch_unwind(|| super::schema::validate(&json)) {
        let msg = e
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        panic!(
            "the report does not match docs/json.md / docs/checks.md: {msg}\nreport: {}",
            serde_json::to_string_pretty(&json).unwrap_or_default()
        );
    }
    let report = Report {
        code: r.code,
        json,
        stderr: r.stderr,
    };
    assert_eq!(
        report.code,
        match report.verdict() {
            "pass" => EXIT_PASS,
            "warn" => EXIT_WARN,
            "fail" => EXIT_FAIL,
            v => panic!("verdict {v:?}"),
        },
        "exit code does not match the verdict\n{}",
        report.describe()
    );
    report
}

impl Report {
    /// `verdict`.
    pub fn verdict(&self) -> &str {
        self.json["verdict"].as_str().expect("verdict")
    }

    /// Every check.
    pub fn checks(&self) -> &[Value] {
        self.json["checks"].as_array().expect("checks")
    }

    /// Every endpoint.
    pub fn endpoints(&self) -> &[Value] {
        self.json["endpoints"].as_array().expect("endpoints")
    }

    /// Checks with this id.
    pub fn all(&self, id: &str) -> Vec<&Value> {
        self.checks().iter().filter(|c| c["id"] == id).collect()
    }

    /// The one check with this id (panics unless exactly one).
    pub fn one(&self, id: &str) -> &Value {
        let v = self.all(id);
        assert_eq!(v.len(), 1, "want one {id} check\n{}", self.describe());
        v[0]
    }

    /// The check with this id on `endpoint` (`addr:port`).
    pub fn on(&self, id: &str, endpoint: &str) -> Option<&Value> {
        self.checks()
            .iter()
            .find(|c| c["id"] == id && c["endpoint"] == endpoint)
    }

    /// Status of the check with this id on `endpoint`, or `"(absent)"`.
    pub fn status_on(&self, id: &str, endpoint: &str) -> &str {
        self.on(id, endpoint)
            .map(|c| c["status"].as_str().unwrap_or("?"))
            .unwrap_or("(absent)")
    }

    /// The endpoint entry for `addr:port` (IPv6 in brackets).
    pub fn endpoint(&self, label: &str) -> Option<&Value> {
        self.endpoints().iter().find(|e| endpoint_label(e) == label)
    }

    /// One line per check, for assertion messages.
    pub fn describe(&self) -> String {
        let mut s = format!(
            "exit {} verdict {} - {}\n",
            self.code,
            self.json["verdict"],
            self.json["summary"].as_str().unwrap_or("")
        );
        for c in self.checks() {
            s.push_str(&format!(
                "  {:<5} {:<20} {:<22} {}\n",
                c["status"].as_str().unwrap_or("?"),
                c["id"].as_str().unwrap_or("?"),
                c["endpoint"].as_str().unwrap_or("-"),
                c["summary"].as_str().unwrap_or("")
            ));
        }
        if !self.stderr.is_empty() {
            s.push_str(&format!("stderr: {}\n", self.stderr));
        }
        s
    }
}

/// `addr:port` of an `endpoints[]` entry (`[v6]:port`).
pub fn endpoint_label(e: &Value) -> String {
    let addr = e["address"].as_str().unwrap_or("?");
    let port = &e["port"];
    if addr.contains(':') {
        format!("[{addr}]:{port}")
    } else {
        format!("{addr}:{port}")
    }
}

/// A tokio runtime hosting the servers a test needs while the (blocking)
/// binary runs on the test thread. Declare it first so it is dropped last.
pub struct Net {
    rt: tokio::runtime::Runtime,
}

impl Net {
    /// A two-worker multi-thread runtime.
    pub fn new() -> Net {
        Net {
            rt: tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("tokio runtime"),
        }
    }

    /// Runs a future to completion on the runtime.
    pub fn block_on<F: Future>(&self, f: F) -> F::Output {
        self.rt.block_on(f)
    }

    /// Starts a lab on the runtime.
    pub fn lab(&self, cfg: LabConfig) -> Lab {
        self.block_on(Lab::start(cfg)).expect("the lab starts")
    }

    /// Starts a lab serving these scenarios with default settings.
    pub fn lab_of(&self, scenarios: &[Scenario]) -> Lab {
        self.lab(LabConfig::new(scenarios.to_vec()))
    }

    /// Starts an in-process DNS server on 127.0.0.1.
    pub fn dns(&self, zone: Zone) -> DnsServer {
        self.block_on(DnsServer::start(zone))
            .expect("the DNS server starts")
    }

    /// A TCP server on 127.0.0.1:0 that hands every connection to `handler`.
    /// It lives as long as the runtime.
    pub fn serve<F, Fut>(&self, handler: F) -> SocketAddr
    where
        F: Fn(TcpStream) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        let listener = self
            .block_on(TcpListener::bind("127.0.0.1:0"))
            .expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local addr");
        self.rt.spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                tokio::spawn(handler(stream));
            }
        });
        addr
    }
}

/// The `check` arguments that diagnose one lab scenario by IP in two-port
/// mode, trusting the lab CA; JSON output.
pub fn lab_check_args(lab: &Lab, scenario: Scenario) -> Vec<String> {
    let ep = lab.endpoint(scenario).expect("scenario served");
    two_port_args("127.0.0.1", ep, lab.ca_pem_path())
}

/// `check TARGET --plain-port P --tls-port T --ca-file CA --timeout 3s --json`.
pub fn two_port_args(target: &str, ep: &ScenarioEndpoints, ca: &Path) -> Vec<String> {
    vec![
        "check".into(),
        target.into(),
        "--plain-port".into(),
        ep.plain.port().to_string(),
        "--tls-port".into(),
        ep.tls.port().to_string(),
        "--ca-file".into(),
        ca.display().to_string(),
        "--timeout".into(),
        TIMEOUT.into(),
        "--json".into(),
    ]
}

/// A loopback port with nothing listening on it (bound, then released).
pub fn closed_port() -> u16 {
    closed_ports::<1>()[0]
}

/// `N` distinct loopback ports with nothing listening on them.
pub fn closed_ports<const N: usize>() -> [u16; N] {
    let held: Vec<std::net::TcpListener> = (0..N)
        .map(|_| std::net::TcpListener::bind("127.0.0.1:0").expect("bind"))
        .collect();
    std::array::from_fn(|i| held[i].local_addr().expect("addr").port())
}

/// Asserts that `text` contains no ESC byte other than SGR colour sequences
/// (`ESC [ digits/semicolons m`), and returns how many SGR sequences it has.
pub fn only_sgr_escapes(text: &[u8]) -> usize {
    let mut sgr = 0;
    let mut i = 0;
    while i < text.len() {
        if text[i] != 0x1b {
            i += 1;
            continue;
        }
        // ESC [ params m
        let params = text.get(i + 2..).unwrap_or_default();
        let k = params
            .iter()
            .position(|b| !(b.is_ascii_digit() || *b == b';'))
            .unwrap_or(params.len());
        let ok = text.get(i + 1) == Some(&b'[') && params.get(k) == Some(&b'm');
        assert!(
            ok,
            "a raw escape sequence that popscope did not write itself: {:?}",
            String::from_utf8_lossy(&text[i..text.len().min(i + 24)])
        );
        sgr += 1;
        i += 2 + k + 1;
    }
    sgr
}
