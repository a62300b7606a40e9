//! The report helpers: a `popscope --json` report parsed once, and the ways
//! the tests look into it (checks by id and endpoint, endpoints by address,
//! the login session's transcript, the dialogue's steps), plus a one-line
//! per check description for assertion messages.

use std::net::SocketAddr;

use serde_json::Value;

use super::cmd::Run;

/// The per-endpoint checks a healthy TLS-capable endpoint passes (a plain
/// port with STLS, or an implicit-TLS port), in report order.
pub const TLS_ENDPOINT_CHECKS: [&str; 9] = [
    "tcp.connect",
    "pop3.greeting",
    "pop3.capa",
    "tls.handshake",
    "tls.protocol",
    "tls.chain",
    "tls.hostname",
    "tls.expiry",
    "tls.key",
];

/// A parsed JSON report and the run that printed it.
#[derive(Debug)]
pub struct Report {
    /// Exit code.
    pub code: i32,
    /// The JSON object.
    pub json: Value,
    /// Standard output, lossily decoded.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl Report {
    /// The report `run` printed, or why its standard output is not one JSON
    /// object (with both outputs, for the assertion message).
    pub fn try_from_run(run: Run) -> Result<Report, String> {
        match serde_json::from_slice::<Value>(&run.stdout) {
            Ok(json) => Ok(Report {
                code: run.code,
                json,
                stdout: run.out(),
                stderr: run.stderr,
            }),
            Err(e) => Err(format!(
                "stdout is not one JSON object ({e}); exit {}\nstdout: {}\nstderr: {}",
                run.code,
                run.out(),
                run.stderr
            )),
        }
    }

    /// The report `run` printed; panics unless stdout is one JSON object.
    pub fn from_run(run: Run) -> Report {
        Report::try_from_run(run).unwrap_or_else(|e| panic!("{e}"))
    }

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

    /// Checks with this id (one per endpoint for per-endpoint checks).
    pub fn all(&self, id: &str) -> Vec<&Value> {
        self.checks().iter().filter(|c| c["id"] == id).collect()
    }

    /// The one check with this id (panics unless exactly one).
    pub fn one(&self, id: &str) -> &Value {
        let v = self.all(id);
        assert_eq!(v.len(), 1, "want one {id} check\n{}", self.describe());
        v[0]
    }

    /// Status of the one check with this id (`"?"` when it has none).
    pub fn status(&self, id: &str) -> &str {
        self.one(id)["status"].as_str().unwrap_or("?")
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

    /// The endpoint entry for `addr`; panics when there is none.
    pub fn endpoint_at(&self, addr: SocketAddr) -> &Value {
        self.endpoint(&addr.to_string())
            .unwrap_or_else(|| panic!("no endpoint {addr} in\n{}", self.stdout))
    }

    /// Asserts that the check exists and has `status` on every endpoint it
    /// was run for.
    pub fn assert_check(&self, id: &str, status: &str) {
        let cs = self.all(id);
        assert!(!cs.is_empty(), "no {id} check\n{}", self.describe());
        for c in cs {
            assert_eq!(c["status"], status, "{id}\n{}", self.describe());
        }
    }

    /// Asserts that the check exists on `endpoint` with `status`.
    pub fn assert_check_at(&self, id: &str, endpoint: SocketAddr, status: &str) {
        let ep = endpoint.to_string();
        let c = self
            .on(id, &ep)
            .unwrap_or_else(|| panic!("no {id} check for {ep}\n{}", self.describe()));
        assert_eq!(c["status"], status, "{id} at {ep}\n{}", self.describe());
    }

    /// Asserts the verdict and the exit code.
    pub fn assert_verdict(&self, verdict: &str, code: i32) {
        assert_eq!(self.json["verdict"], verdict, "{}", self.describe());
        assert_eq!(self.code, code, "{}", self.describe());
    }

    /// The `dialogue` object (panics when the report has none).
    pub fn dialogue(&self) -> &Value {
        let d = &self.json["dialogue"];
        assert!(d.is_object(), "no dialogue object\n{}", self.stdout);
        d
    }

    /// Every `pop3.step.N` check, in order of N.
    pub fn steps(&self) -> Vec<&Value> {
        let mut v: Vec<&Value> = self
            .checks()
            .iter()
            .filter(|c| {
                c["id"]
                    .as_str()
                    .is_some_and(|id| id.starts_with("pop3.step."))
            })
            .collect();
        v.sort_by_key(|c| {
            c["id"].as_str().unwrap()["pop3.step.".len()..]
                .parse::<u32>()
                .unwrap()
        });
        v
    }

    /// Every `text` of the transcript lines with `dir == "client"`, over all
    /// endpoints in order.
    pub fn client_lines(&self) -> Vec<String> {
        client_lines(&self.json)
    }

    /// The transcript of the login session: the lines of the session's
    /// endpoint from the note that opens the session on (the probe's own
    /// lines for that endpoint come before it), as `(dir, text)`.
    pub fn session_transcript(&self) -> Vec<(String, String)> {
        let ep = self.dialogue()["endpoint"]
            .as_str()
            .unwrap_or_else(|| panic!("dialogue without endpoint\n{}", self.describe()))
            .to_string();
        let endpoint = self
            .endpoint(&ep)
            .unwrap_or_else(|| panic!("no endpoint {ep}\n{}", self.stdout));
        let lines: Vec<(String, String)> = endpoint["transcript"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|l| {
                (
                    l["dir"].as_str().unwrap_or_default().to_string(),
                    l["text"].as_str().unwrap_or_default().to_string(),
                )
            })
            .collect();
        let start = lines
            .iter()
            .position(|(dir, text)| dir == "note" && text.starts_with("login session"))
            .unwrap_or_else(|| panic!("no login session note in {ep}'s transcript:\n{lines:#?}"));
        lines[start..].to_vec()
    }

    /// The commands popscope sent in the login session.
    pub fn session_commands(&self) -> Vec<String> {
        self.session_transcript()
            .into_iter()
            .filter(|(dir, _)| dir == "client")
            .map(|(_, text)| text)
            .collect()
    }

    /// One line per check, for assertion messages.
    pub fn describe(&self) -> String {
        describe(self.code, &self.json, &self.stderr)
    }
}

/// One line per check of the report `json` that a run with exit `code` and
/// standard error `stderr` printed, for assertion messages.
pub fn describe(code: i32, json: &Value, stderr: &str) -> String {
    let mut s = format!(
        "exit {} verdict {} - {}\n",
        code,
        json["verdict"],
        json["summary"].as_str().unwrap_or("")
    );
    for c in json["checks"].as_array().into_iter().flatten() {
        s.push_str(&format!(
            "  {:<5} {:<22} {:<22} {}\n",
            c["status"].as_str().unwrap_or("?"),
            c["id"].as_str().unwrap_or("?"),
            c["endpoint"].as_str().unwrap_or("-"),
            c["summary"].as_str().unwrap_or("")
        ));
    }
    if !stderr.is_empty() {
        s.push_str(&format!("stderr: {stderr}\n"));
    }
    s
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

/// Every `text` of the transcript lines with `dir == "client"` in the
/// report `json` (also a report saved to a file), over all endpoints in
/// order.
pub fn client_lines(json: &Value) -> Vec<String> {
    json["endpoints"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|e| e["transcript"].as_array().into_iter().flatten())
        .filter(|l| l["dir"] == "client")
        .map(|l| l["text"].as_str().unwrap_or_default().to_string())
        .collect()
}
