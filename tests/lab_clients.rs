//! The lab server driven by POP3 clients popscope did not write.
//!
//! Each test starts a [`Lab`] in-process on 127.0.0.1 (ephemeral ports) and
//! runs real clients against it as child processes:
//!
//! - Python's `poplib` (an inline `python3 -c` script): `POP3_SSL` on the TLS
//!   port and `POP3` + `stls()` on the plain port, trusting only the lab CA
//!   file and verifying the name `localhost`; it logs in as alice, runs
//!   STAT, LIST, UIDL and RETR for every message and prints what it got.
//! - `curl` (`pop3s://` and `pop3://` with `--ssl-reqd`), when installed.
//!
//! The messages must arrive byte for byte (including the sample whose lines
//! start with `.`, which exercises dot-stuffing both ways), nothing may be
//! deleted, and a real client must refuse the `self-signed` scenario's
//! certificate: the fault is real, not a popscope opinion.
//!
//! Without a usable `python3` the Python tests print `SKIPPED ...` and pass,
//! unless `POPSCOPE_REQUIRE_INTEROP=1` (set in CI) makes that a failure.
//! Without `curl` (or a curl built without POP3) the curl parts are skipped
//! with a printed reason.

use std::io::Read;
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Command, ExitStatus, Stdio};

use base64::Engine;
use popscope::lab::mailbox::sample_messages;
use popscope::lab::{Message, Scenario};
use serde_json::Value;

use crate::support::net::RunningLab;
use crate::support::skip;
use crate::support::wait::{DEADLINE, poll, until_true};

/// The lab account with the sample messages.
const USER: &str = "alice";
const PASSWORD: &str = "wonderland";
/// The Python client. Arguments: `pop3s|stls PORT CA_FILE [USER PASSWORD]`.
///
/// It connects to 127.0.0.1 and verifies the certificate for `localhost`
/// against the CA file only (`ssl.create_default_context(cafile=...)`:
/// CERT_REQUIRED and hostname checking). poplib passes its host (here the IP)
/// as `server_hostname`, so a tiny wrapper pins the name instead. It prints
/// one JSON object; messages are base64 so that every octet is compared.
/// A certificate failure prints `{"tls_error": ...}` and exits with 3.
const PYTHON_CLIENT: &str = r#"
import base64, json, poplib, ssl, sys

mode, port, cafile = sys.argv[1], int(sys.argv[2]), sys.argv[3]
user = sys.argv[4] if len(sys.argv) > 4 else None
password = sys.argv[5] if len(sys.argv) > 5 else None
ctx = ssl.create_default_context(cafile=cafile)

class PinnedName:
    """Wraps sockets with the lab CA context, verifying 'localhost'."""
    def wrap_socket(self, sock, server_hostname=None):
        return ctx.wrap_socket(sock, server_hostname="localhost")

out = {"mode": mode}
try:
    if mode == "pop3s":
        p = poplib.POP3_SSL("127.0.0.1", port, timeout=20, context=PinnedName())
    else:
        p = poplib.POP3("127.0.0.1", port, timeout=20)
        out["capa_before_tls"] = sorted(p.capa().keys())
        out["stls"] = p.stls(context=PinnedName()).decode()
except ssl.SSLError as e:
    out["tls_error"] = {
        "type": type(e).__name__,
        "verify_message": getattr(e, "verify_message", None),
        "text": str(e),
    }
    print(json.dumps(out))
    sys.exit(3)

out["greeting"] = p.getwelcome().decode()
out["tls_version"] = p.sock.version()
out["capa"] = sorted(p.capa().keys())
if user is not None:
    p.user(user)
    p.pass_(password)
    count, size = p.stat()
    out["stat"] = [count, size]
    out["list"] = [l.decode() for l in p.list()[1]]
    out["uidl"] = [l.decode() for l in p.uidl()[1]]
    out["messages"] = []
    for n in range(1, count + 1):
        resp, lines, octets = p.retr(n)
        body = b"".join(l + b"\r\n" for l in lines)
        out["messages"].append(base64.b64encode(body).decode())
        sys.stderr.write("--- message %d (%s)\n" % (n, resp.decode()))
        sys.stderr.write(body.decode("utf-8", "replace"))
out["quit"] = p.quit().decode()
print(json.dumps(out))
"#;

// ---------------------------------------------------------------------------
// Harness

/// A lab serving one scenario, with the accessors these tests use.
struct ClientLab(RunningLab);

impl ClientLab {
    fn start(scenario: Scenario) -> ClientLab {
        ClientLab(RunningLab::start(&[scenario]))
    }

    fn lab(&self) -> &RunningLab {
        &self.0
    }

    fn plain(&self, scenario: Scenario) -> SocketAddr {
        self.0.endpoint(scenario).expect("scenario served").plain
    }

    fn tls(&self, scenario: Scenario) -> SocketAddr {
        self.0.endpoint(scenario).expect("scenario served").tls
    }

    fn ca(&self) -> &Path {
        self.0.ca_pem_path()
    }

    fn alice_uidls(&self) -> Vec<String> {
        self.0.mailbox_uidls(USER).expect("alice exists")
    }

    /// Waits until no session holds alice's maildrop (a client that QUIT
    /// must leave it unlocked).
    fn assert_unlocked(&self, who: &str) {
        until_true(&format!("{who}: alice's maildrop to be unlocked"), || {
            !self.0.is_locked(USER)
        });
    }
}

/// What a finished child process left behind.
struct Output {
    status: ExitStatus,
    stdout: Vec<u8>,
    stderr: String,
}

impl Output {
    fn describe(&self, what: &str) -> String {
        format!(
            "{what}: {}\n--- stdout\n{}\n--- stderr\n{}",
            self.status,
            String::from_utf8_lossy(&self.stdout),
            self.stderr
        )
    }
}

/// Runs `cmd` to completion, reading its pipes concurrently; kills it (and
/// fails the test) when it runs past [`DEADLINE`].
fn run(cmd: &mut Command, what: &str) -> Output {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{what}: cannot start: {e}"));
    let mut out = child.stdout.take().expect("stdout piped");
    let mut err = child.stderr.take().expect("stderr piped");
    let out_t = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = out.read_to_end(&mut v);
        v
    });
    let err_t = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = err.read_to_end(&mut v);
        String::from_utf8_lossy(&v).into_owned()
    });
    let status = match poll(DEADLINE, || child.try_wait().transpose()) {
        Some(Ok(status)) => status,
        Some(Err(e)) => panic!("{what}: cannot wait: {e}"),
        None => {
            let _ = child.kill();
            let _ = child.wait();
            let stderr = err_t.join().unwrap_or_default();
            panic!("{what}: still running after {DEADLINE:?}, killed\n{stderr}");
        }
    };
    Output {
        status,
        stdout: out_t.join().unwrap_or_default(),
        stderr: err_t.join().unwrap_or_default(),
    }
}

/// Whether `python3` with `poplib` and `ssl` can run here; prints `SKIPPED`
/// (or panics when interop is required) when not.
fn python_or_skip(test: &str) -> bool {
    let why = match Command::new("python3")
        .args(["-c", "import poplib, ssl, json, base64"])
        .stdin(Stdio::null())
        .output()
    {
        Ok(o) if o.status.success() => return true,
        Ok(o) => format!(
            "python3 cannot import poplib/ssl: {}",
            String::from_utf8_lossy(&o.stderr).trim()
        ),
        Err(e) => format!("python3 is not installed ({e})"),
    };
    skip(test, &why)
}

/// Runs the Python client; returns its exit status and parsed JSON.
fn python(
    mode: &str,
    port: u16,
    ca: &Path,
    login: Option<(&str, &str)>,
) -> (ExitStatus, Value, Output) {
    let mut cmd = Command::new("python3");
    cmd.arg("-c")
        .arg(PYTHON_CLIENT)
        .arg(mode)
        .arg(port.to_string())
        .arg(ca);
    if let Some((u, p)) = login {
        cmd.args([u, p]);
    }
    let what = format!("python3 poplib ({mode}, port {port})");
    let out = run(&mut cmd, &what);
    let json = String::from_utf8_lossy(&out.stdout)
        .lines()
        .rev()
        .find(|l| l.starts_with('{'))
        .and_then(|l| serde_json::from_str(l).ok())
        .unwrap_or_else(|| panic!("no JSON from the client\n{}", out.describe(&what)));
    (out.status, json, out)
}

/// The messages the lab seeds alice's maildrop with, checked to be what the
/// running lab holds, and to include lines that need dot-stuffing.
fn expected_messages(lab: &ClientLab) -> Vec<Message> {
    let msgs = sample_messages();
    let uids: Vec<String> = msgs.iter().map(|m| m.uid.clone()).collect();
    assert_eq!(
        lab.alice_uidls(),
        uids,
        "the lab's maildrop is not the sample messages"
    );
    assert!(
        msgs.iter()
            .any(|m| m.data.split(|&b| b == b'\n').any(|l| l.starts_with(b"."))),
        "no sample message has a line starting with '.': dot-stuffing would go untested"
    );
    msgs
}

fn show(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn str_list(v: &Value, key: &str) -> Vec<String> {
    v[key]
        .as_array()
        .unwrap_or_else(|| panic!("{key} missing in {v}"))
        .iter()
        .map(|x| x.as_str().expect("string").to_string())
        .collect()
}

/// Checks one poplib session's STAT, LIST, UIDL and RETR results.
fn assert_python_session(v: &Value, expected: &[Message], who: &str) {
    let n = expected.len();
    let total: usize = expected.iter().map(Message::size).sum();
    assert_eq!(v["stat"], serde_json::json!([n, total]), "{who}: STAT");
    let list: Vec<String> = expected
        .iter()
        .enumerate()
        .map(|(i, m)| format!("{} {}", i + 1, m.size()))
        .collect();
    assert_eq!(str_list(v, "list"), list, "{who}: LIST");
    let uidl: Vec<String> = expected
        .iter()
        .enumerate()
        .map(|(i, m)| format!("{} {}", i + 1, m.uid))
        .collect();
    assert_eq!(str_list(v, "uidl"), uidl, "{who}: UIDL");
    let got = str_list(v, "messages");
    assert_eq!(got.len(), n, "{who}: number of messages retrieved");
    for (i, (b64, want)) in got.iter().zip(expected).enumerate() {
        let body = base64::engine::general_purpose::STANDARD
            .decode(b64)
            .expect("base64 from the client");
        assert!(
            body == *want.data,
            "{who}: RETR {} differs\n--- got\n{}\n--- expected\n{}",
            i + 1,
            show(&body),
            show(&want.data)
        );
    }
    let tls = v["tls_version"].as_str().unwrap_or_default();
    assert!(tls.starts_with("TLSv1."), "{who}: not over TLS: {v}");
    assert!(
        v["quit"].as_str().is_some_and(|q| q.starts_with("+OK")),
        "{who}: QUIT: {v}"
    );
}

/// `curl` with POP3 and POP3S support, or the reason to skip.
fn curl_or_reason() -> Result<(), String> {
    match Command::new("curl").arg("--version").output() {
        Ok(o) if o.status.success() => {
            let text = String::from_utf8_lossy(&o.stdout);
            let protocols = text
                .lines()
                .find(|l| l.starts_with("Protocols:"))
                .unwrap_or_default();
            let has = |p: &str| protocols.split_whitespace().any(|w| w == p);
            if has("pop3") && has("pop3s") {
                Ok(())
            } else {
                Err(format!("this curl lacks pop3/pop3s ({})", protocols.trim()))
            }
        }
        Ok(o) => Err(format!("curl --version failed: {}", o.status)),
        Err(e) => Err(format!("curl is not installed ({e})")),
    }
}

/// `curl -sS --max-time 30 ARGS... URL`.
fn curl(args: &[&str], url: &str) -> Output {
    let mut cmd = Command::new("curl");
    cmd.args(["-sS", "--max-time", "30"]).args(args).arg(url);
    run(&mut cmd, &format!("curl {url}"))
}

// ---------------------------------------------------------------------------
// Python poplib

#[test]
fn python_poplib_pop3s_fetches_every_message_intact() {
    if !python_or_skip("python_poplib_pop3s_fetches_every_message_intact") {
        return;
    }
    let lab = ClientLab::start(Scenario::Healthy);
    let expected = expected_messages(&lab);
    let before = lab.alice_uidls();

    let port = lab.tls(Scenario::Healthy).port();
    let (status, v, out) = python("pop3s", port, lab.ca(), Some((USER, PASSWORD)));
    assert!(status.success(), "{}", out.describe("python3 POP3_SSL"));
    assert!(
        v["greeting"].as_str().is_some_and(|g| g.starts_with("+OK")),
        "{v}"
    );
    assert_python_session(&v, &expected, "poplib POP3_SSL");
    println!("poplib POP3_SSL:\n{}", out.stderr);

    lab.assert_unlocked("poplib POP3_SSL");
    assert_eq!(
        lab.alice_uidls(),
        before,
        "a read-only session deleted mail"
    );
}

#[test]
fn python_poplib_stls_fetches_every_message_intact() {
    if !python_or_skip("python_poplib_stls_fetches_every_message_intact") {
        return;
    }
    let lab = ClientLab::start(Scenario::Healthy);
    let expected = expected_messages(&lab);
    let before = lab.alice_uidls();

    let port = lab.plain(Scenario::Healthy).port();
    let (status, v, out) = python("stls", port, lab.ca(), Some((USER, PASSWORD)));
    assert!(
        status.success(),
        "{}",
        out.describe("python3 POP3 + stls()")
    );
    // The healthy lab hides clear-text login until TLS is up.
    let before_tls = str_list(&v, "capa_before_tls");
    assert!(before_tls.iter().any(|c| c == "STLS"), "{v}");
    assert!(!before_tls.iter().any(|c| c == "USER"), "{v}");
    assert!(
        v["stls"].as_str().is_some_and(|s| s.starts_with("+OK")),
        "{v}"
    );
    let after_tls = str_list(&v, "capa");
    assert!(after_tls.iter().any(|c| c == "USER"), "{v}");
    assert!(!after_tls.iter().any(|c| c == "STLS"), "{v}");
    assert_python_session(&v, &expected, "poplib POP3 + stls()");
    println!("poplib POP3 + stls():\n{}", out.stderr);

    lab.assert_unlocked("poplib POP3 + stls()");
    assert_eq!(
        lab.alice_uidls(),
        before,
        "a read-only session deleted mail"
    );
}

#[test]
fn python_refuses_the_self_signed_scenario() {
    if !python_or_skip("python_refuses_the_self_signed_scenario") {
        return;
    }
    let lab = ClientLab::start(Scenario::SelfSigned);
    let before = lab.alice_uidls();
    let tls = lab.tls(Scenario::SelfSigned).port();
    let plain = lab.plain(Scenario::SelfSigned).port();

    for (mode, port) in [("pop3s", tls), ("stls", plain)] {
        // No credentials are passed: a client must not get that far.
        let (status, v, out) = python(mode, port, lab.ca(), None);
        let what = format!("python3 {mode} against self-signed");
        assert_eq!(status.code(), Some(3), "{}", out.describe(&what));
        let err = &v["tls_error"];
        assert_eq!(err["type"], "SSLCertVerificationError", "{what}: {v}");
        let text = err["text"].as_str().unwrap_or_default();
        assert!(text.contains("CERTIFICATE_VERIFY_FAILED"), "{what}: {v}");
        let msg = err["verify_message"].as_str().unwrap_or_default();
        assert!(
            msg.contains("self-signed") || msg.contains("self signed"),
            "{what}: {v}"
        );
        assert!(v.get("stat").is_none(), "{what}: logged in anyway: {v}");
        println!("{what}: refused: {msg}");
    }
    assert!(!lab.lab().is_locked(USER));
    assert_eq!(lab.alice_uidls(), before);

    // The same fault seen by curl, when it is here.
    match curl_or_reason() {
        Ok(()) => {
            let ca = lab.ca().to_str().expect("utf-8 path");
            let out = curl(
                &["--cacert", ca, "--user", &format!("{USER}:{PASSWORD}")],
                &format!("pop3s://127.0.0.1:{tls}/1"),
            );
            // 60: peer certificate cannot be authenticated with known CA certificates.
            assert_eq!(out.status.code(), Some(60), "{}", out.describe("curl"));
            assert!(out.stdout.is_empty(), "{}", out.describe("curl"));
            println!("curl against self-signed: refused: {}", out.stderr.trim());
        }
        Err(why) => println!("curl part skipped: {why}"),
    }
}

// ---------------------------------------------------------------------------
// curl

#[test]
fn curl_pop3s_and_stls_fetch_every_message_intact() {
    if let Err(why) = curl_or_reason() {
        eprintln!("SKIPPED curl_pop3s_and_stls_fetch_every_message_intact: {why}");
        return;
    }
    let lab = ClientLab::start(Scenario::Healthy);
    let expected = expected_messages(&lab);
    let before = lab.alice_uidls();
    let ca = lab.ca().to_str().expect("utf-8 path").to_string();
    let login = format!("{USER}:{PASSWORD}");
    let tls = lab.tls(Scenario::Healthy);
    let plain = lab.plain(Scenario::Healthy);

    let listing: String = expected
        .iter()
        .enumerate()
        .map(|(i, m)| format!("{} {}\r\n", i + 1, m.size()))
        .collect();
    for (label, extra, base) in [
        ("pop3s", None, format!("pop3s://{tls}")),
        ("STLS", Some("--ssl-reqd"), format!("pop3://{plain}")),
    ] {
        let mut args = vec!["--cacert", ca.as_str(), "--user", login.as_str()];
        args.extend(extra);
        // No message number: LIST.
        let out = curl(&args, &format!("{base}/"));
        assert!(out.status.success(), "{}", out.describe("curl LIST"));
        assert_eq!(show(&out.stdout), listing, "curl {label}: LIST");
        for (i, want) in expected.iter().enumerate() {
            let url = format!("{base}/{}", i + 1);
            let out = curl(&args, &url);
            assert!(out.status.success(), "{}", out.describe(&url));
            assert!(
                out.stdout == *want.data,
                "curl {label}: RETR {} differs\n--- got\n{}\n--- expected\n{}",
                i + 1,
                show(&out.stdout),
                show(&want.data)
            );
        }
        lab.assert_unlocked(&format!("curl {label}"));
        println!("curl {label}: LIST and RETR 1-{} intact", expected.len());
    }
    assert_eq!(lab.alice_uidls(), before, "curl sessions deleted mail");
}
