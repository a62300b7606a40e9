//! The hostile-server corpus: named behaviours of a server that lies,
//! stalls, floods, resets or tries to reach the terminal, each served by a
//! tiny in-test server on 127.0.0.1 port 0. One test per behaviour runs the
//! real binary (text and JSON) and asserts what the user sees:
//!
//! - a clean exit (1 or 2: the server is at fault; never 3 or a panic),
//! - one valid JSON report, and the run within its `--deadline`,
//! - bounded memory (peak RSS of the popscope process, read from /proc),
//! - no raw control byte in the text output nor in any JSON string,
//! - no Rust Debug text,
//! - the check that names the fault, and for echoes, no secret anywhere.

use std::io::Read;
use std::net::SocketAddr;
use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::support::cmd::popscope_std;
use crate::support::net::Net;

/// Per-step timeout and whole-run deadline of every run here.
const TIMEOUT: &str = "2s";
const DEADLINE: &str = "8s";
const DEADLINE_MS: u64 = 8_000;
/// Peak memory allowed to one popscope run against a hostile server.
const MAX_RSS_KIB: u64 = 96 * 1024;

/// Every escape a hostile server might try: OSC 0 (title), OSC 8
/// (hyperlink), OSC 52 (clipboard), CSI, C1 CSI raw and UTF-8, bidi
/// override, NUL, BEL, bare CR.
const ESCAPES: &[u8] = b"\x1b]0;pwned\x07 \x1b]8;;http://evil.example\x07link\x1b]8;;\x07 \
\x1b]52;c;Zm9v\x07 \x1b[2J\x1b[31m \x9b31m \xc2\x9b31m \xe2\x80\xae \x00 bare\rCR";

/// The password given to runs that log in.
const SECRET: &str = "Sw0rdf1sh-hostile";

/// What one run showed.
struct Seen {
    code: i32,
    text: Vec<u8>,
    json: Value,
    peak_kib: u64,
}

/// Runs popscope with `args` (plus timeout and deadline) twice: text and
/// JSON; measures the peak RSS of each run.
fn run_both(args: &[&str], secret_file: Option<&std::path::Path>) -> Seen {
    let (code_t, text, peak_t) = run_measured(args, false, secret_file);
    let (code_j, out, peak_j) = run_measured(args, true, secret_file);
    let json: Value = serde_json::from_slice(&out).unwrap_or_else(|e| {
        panic!(
            "not one JSON report ({e}): {}",
            String::from_utf8_lossy(&out)
        )
    });
    assert_eq!(code_t, code_j, "text and JSON runs agree on the exit code");
    Seen {
        code: code_j,
        text,
        json,
        peak_kib: peak_t.max(peak_j),
    }
}

fn run_measured(
    args: &[&str],
    json: bool,
    secret_file: Option<&std::path::Path>,
) -> (i32, Vec<u8>, u64) {
    let mut cmd = popscope_std();
    cmd.args(args)
        .args([
            "--timeout",
            TIMEOUT,
            "--deadline",
            DEADLINE,
            "--color",
            "never",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if json {
        cmd.arg("--json");
    }
    if let Some(f) = secret_file {
        cmd.arg("--password-file").arg(f);
    }
    let mut child = cmd.spawn().expect("popscope starts");
    let pid = child.id();
    let mut stdout = child.stdout.take().expect("stdout");
    let reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = stdout.read_to_end(&mut v);
        v
    });
    let mut peak = 0;
    let status = loop {
        peak = peak.max(vm_hwm_kib(pid).unwrap_or(0));
        match child.try_wait().expect("wait") {
            Some(s) => break s,
            None => std::thread::sleep(Duration::from_millis(5)),
        }
    };
    let mut err = String::new();
    if let Some(mut e) = child.stderr.take() {
        let _ = e.read_to_string(&mut err);
    }
    assert!(!err.contains("panicked"), "popscope panicked: {err}");
    (
        status.code().unwrap_or(-1),
        reader.join().expect("stdout reader"),
        peak,
    )
}

/// The process's peak resident set (VmHWM), in KiB.
fn vm_hwm_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// Every string in a JSON value.
fn strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        Value::Object(o) => o.values().for_each(|x| strings(x, out)),
        _ => {}
    }
}

fn raw_control(text: &str) -> Option<char> {
    text.chars().find(|c| {
        let u = *c as u32;
        (u < 0x20 && !matches!(c, '\n' | '\t'))
            || u == 0x7f
            || (0x80..0xa0).contains(&u)
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    })
}

/// Rust Debug forms that must never reach a user.
fn debug_text(text: &str) -> Option<&'static str> {
    [
        "Some(", "None,", "Ok(", "Err(", "Other(", "Custom {", "kind: ", "Os {",
    ]
    .into_iter()
    .find(|p| text.contains(p))
}

/// What every hostile run must satisfy; returns the report.
fn assert_safe(seen: &Seen) -> &Value {
    assert!(
        matches!(seen.code, 1 | 2),
        "exit {} (the server is at fault: 1 or 2)",
        seen.code
    );
    let text = String::from_utf8(seen.text.clone()).expect("text output is UTF-8");
    if let Some(c) = raw_control(&text) {
        panic!("raw control U+{:04X} in the text report:\n{text}", c as u32);
    }
    if let Some(p) = debug_text(&text) {
        panic!("Debug text {p:?} in the text report:\n{text}");
    }
    let mut all = Vec::new();
    strings(&seen.json, &mut all);
    for s in &all {
        if let Some(c) = raw_control(s) {
            panic!("raw control U+{:04X} in a JSON string: {s:?}", c as u32);
        }
        if let Some(p) = debug_text(s) {
            panic!("Debug text {p:?} in a JSON string: {s}");
        }
    }
    let ms = seen.json["duration_ms"].as_u64().expect("duration_ms");
    assert!(
        ms <= DEADLINE_MS + 2_000,
        "the run took {ms} ms, past its --deadline {DEADLINE}"
    );
    assert!(
        seen.peak_kib <= MAX_RSS_KIB,
        "popscope used {} KiB at its peak",
        seen.peak_kib
    );
    &seen.json
}

/// The check `id` on `addr`, which must warn or fail.
fn problem<'a>(json: &'a Value, id: &str, addr: SocketAddr) -> &'a Value {
    let ep = addr.to_string();
    let c = json["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .find(|c| c["id"] == id && c["endpoint"] == ep.as_str())
        .unwrap_or_else(|| panic!("no {id} on {ep}: {json:#}"));
    assert!(
        c["status"] == "fail" || c["status"] == "warn",
        "{id} on {ep} should be a problem: {c}"
    );
    c
}

async fn drain(mut s: TcpStream) {
    let mut buf = [0u8; 4096];
    while matches!(s.read(&mut buf).await, Ok(n) if n > 0) {}
}

/// Reads one command line (up to LF), bounded.
async fn read_cmd(s: &mut TcpStream) -> Option<String> {
    let mut line = Vec::new();
    let mut b = [0u8; 1];
    while line.len() < 4096 {
        match s.read(&mut b).await {
            Ok(1) if b[0] == b'\n' => {
                return Some(String::from_utf8_lossy(&line).trim_end().to_string());
            }
            Ok(1) => line.push(b[0]),
            _ => return None,
        }
    }
    None
}

/// A scripted server: a greeting, then `reply(command)` for each command
/// (`None` closes the connection).
fn scripted(net: &Net, greeting: &'static [u8], reply: fn(&str) -> Option<Vec<u8>>) -> SocketAddr {
    net.serve(move |mut s| async move {
        if s.write_all(greeting).await.is_err() {
            return;
        }
        while let Some(cmd) = read_cmd(&mut s).await {
            match reply(&cmd) {
                Some(bytes) => {
                    if s.write_all(&bytes).await.is_err() {
                        return;
                    }
                }
                None => return,
            }
        }
    })
}

fn check_plain(addr: SocketAddr) -> Seen {
    run_both(&["check", &addr.to_string()], None)
}

#[test]
fn endless_greeting_line() {
    let net = Net::new();
    let addr = net.serve(|mut s| async move {
        let chunk = vec![b'A'; 16 * 1024];
        if s.write_all(b"+OK ").await.is_err() {
            return;
        }
        while s.write_all(&chunk).await.is_ok() {}
    });
    let seen = check_plain(addr);
    problem(assert_safe(&seen), "pop3.greeting", addr);
}

#[test]
fn giant_capa_line_before_stls() {
    let net = Net::new();
    let addr = scripted(&net, b"+OK hostile\r\n", |cmd| match cmd {
        "CAPA" => {
            let mut v = b"+OK\r\nSASL".to_vec();
            for i in 0..20_000 {
                v.extend_from_slice(format!(" X-MECH-{i}").as_bytes());
            }
            v.extend_from_slice(b"\r\nSTLS\r\n.\r\n");
            Some(v)
        }
        "STLS" => Some(b"-ERR not today\r\n".to_vec()),
        _ => Some(b"+OK\r\n".to_vec()),
    });
    let seen = check_plain(addr);
    let json = assert_safe(&seen);
    let capa = problem(json, "pop3.capa", addr);
    assert!(
        capa["summary"].as_str().unwrap_or("").contains("cut"),
        "{capa}"
    );
    let stls = json["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "tls.stls")
        .expect("tls.stls");
    assert!(
        !stls["summary"]
            .as_str()
            .unwrap_or("")
            .contains("not offered"),
        "a cut list must not say STLS is not offered: {stls}"
    );
}

#[test]
fn capa_flood() {
    let net = Net::new();
    let addr = scripted(&net, b"+OK hostile\r\n", |cmd| match cmd {
        "CAPA" => {
            let mut v = b"+OK\r\n".to_vec();
            for i in 0..50_000 {
                v.extend_from_slice(format!("X-FLOOD-{i}\r\n").as_bytes());
            }
            v.extend_from_slice(b".\r\n");
            Some(v)
        }
        _ => Some(b"-ERR no\r\n".to_vec()),
    });
    let seen = check_plain(addr);
    problem(assert_safe(&seen), "pop3.capa", addr);
}

#[test]
fn trickling_greeting() {
    let net = Net::new();
    let addr = net.serve(|mut s| async move {
        for b in b"+OK trickling greeting, one byte at a time\r\n" {
            if s.write_all(&[*b]).await.is_err() {
                return;
            }
            // The slowness is the hostile behaviour under test.
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        drain(s).await;
    });
    let seen = check_plain(addr);
    problem(assert_safe(&seen), "pop3.greeting", addr);
}

#[test]
fn escape_sequences_in_greeting_capa_and_err() {
    let net = Net::new();
    let addr = net.serve(|mut s| async move {
        let mut greeting = b"+OK ".to_vec();
        greeting.extend_from_slice(ESCAPES);
        greeting.extend_from_slice(b"\r\n");
        if s.write_all(&greeting).await.is_err() {
            return;
        }
        while let Some(cmd) = read_cmd(&mut s).await {
            let mut reply = Vec::new();
            if cmd == "CAPA" {
                reply.extend_from_slice(b"+OK ");
                reply.extend_from_slice(ESCAPES);
                reply.extend_from_slice(b"\r\nUSER\r\nX-");
                reply.extend_from_slice(ESCAPES);
                reply.extend_from_slice(b"\r\n.\r\n");
            } else {
                reply.extend_from_slice(b"-ERR ");
                reply.extend_from_slice(ESCAPES);
                reply.extend_from_slice(b"\r\n");
            }
            if s.write_all(&reply).await.is_err() {
                return;
            }
        }
    });
    let seen = check_plain(addr);
    // No STLS: the plain port is the problem; the escapes must be inert.
    problem(assert_safe(&seen), "tls.stls", addr);
}

#[test]
fn banner_of_another_protocol_with_escapes() {
    let net = Net::new();
    let addr = net.serve(|mut s| async move {
        let mut banner = b"220 smtp.evil.example ESMTP ".to_vec();
        banner.extend_from_slice(ESCAPES);
        banner.extend_from_slice(b"\r\n");
        let _ = s.write_all(&banner).await;
        drain(s).await;
    });
    let seen = check_plain(addr);
    problem(assert_safe(&seen), "pop3.greeting", addr);
}

#[test]
fn reset_before_the_greeting() {
    let net = Net::new();
    let addr = net.serve(|s| async move {
        let _ = s.set_zero_linger();
        drop(s);
    });
    let seen = check_plain(addr);
    let json = assert_safe(&seen);
    // The reset can win the race with the end of the TCP handshake: then the
    // connect itself fails; otherwise the greeting does.
    let connect_failed = json["checks"].as_array().expect("checks").iter().any(|c| {
        c["id"] == "tcp.connect"
            && c["endpoint"] == addr.to_string().as_str()
            && c["status"] == "fail"
    });
    if !connect_failed {
        problem(json, "pop3.greeting", addr);
    }
}

#[test]
fn reset_in_the_middle_of_capa() {
    let net = Net::new();
    let addr = net.serve(|mut s| async move {
        if s.write_all(b"+OK hostile\r\n").await.is_err() {
            return;
        }
        if read_cmd(&mut s).await.is_some() {
            let _ = s.write_all(b"+OK\r\nUSER\r\nTO").await;
            let _ = s.set_zero_linger();
        }
    });
    let seen = check_plain(addr);
    problem(assert_safe(&seen), "pop3.capa", addr);
}

#[test]
fn plaintext_after_stls() {
    let net = Net::new();
    let addr = scripted(&net, b"+OK hostile\r\n", |cmd| match cmd {
        "CAPA" => Some(b"+OK\r\nSTLS\r\nUSER\r\n.\r\n".to_vec()),
        "STLS" => Some(b"+OK go ahead\r\n+OK but this is still plaintext\r\n".to_vec()),
        _ => Some(b"-ERR no\r\n".to_vec()),
    });
    let seen = check_plain(addr);
    let json = assert_safe(&seen);
    problem(json, "tls.handshake", addr);
}

/// A "TLS port" that answers the ClientHello with `bytes`, then closes.
fn tls_port_answering(net: &Net, bytes: &'static [u8]) -> SocketAddr {
    net.serve(move |mut s| async move {
        let mut buf = [0u8; 4096];
        let _ = s.read(&mut buf).await;
        let _ = s.write_all(bytes).await;
        let _ = s.shutdown().await;
    })
}

fn check_tls(addr: SocketAddr) -> Seen {
    run_both(&["check", &format!("pop3s://{addr}")], None)
}

#[test]
fn tls_garbage() {
    let net = Net::new();
    let addr = tls_port_answering(&net, b"\x17\x42\x00\xffgarbage\x1b[31m not TLS at all\r\n");
    let seen = check_tls(addr);
    problem(assert_safe(&seen), "tls.handshake", addr);
}

#[test]
fn truncated_tls_record() {
    let net = Net::new();
    // A handshake record that announces 16 KiB and brings ten bytes.
    let addr = tls_port_answering(
        &net,
        b"\x16\x03\x03\x40\x00\x02\x00\x00\x46\x03\x03\x01\x02",
    );
    let seen = check_tls(addr);
    problem(assert_safe(&seen), "tls.handshake", addr);
}

#[test]
fn malformed_server_hello() {
    let net = Net::new();
    // A complete record whose ServerHello is nonsense.
    let addr = tls_port_answering(&net, b"\x16\x03\x03\x00\x06\x02\x00\x00\x02\xff\xff");
    let seen = check_tls(addr);
    problem(assert_safe(&seen), "tls.handshake", addr);
}

#[test]
fn unoffered_cipher_suite() {
    let net = Net::new();
    // A well-formed TLS 1.2 ServerHello choosing a suite nobody offered
    // (0x0005, RC4-SHA).
    let addr = tls_port_answering(
        &net,
        b"\x16\x03\x03\x00\x2a\x02\x00\x00\x26\x03\x03\
\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10\
\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f\x20\
\x00\x00\x05\x00",
    );
    let seen = check_tls(addr);
    problem(assert_safe(&seen), "tls.handshake", addr);
}

/// A real TLS server whose certificate's subject and names carry escapes.
fn escaped_certificate_server(net: &Net) -> SocketAddr {
    let key = rcgen::KeyPair::generate().expect("key");
    let mut params =
        rcgen::CertificateParams::new(vec!["evil.example".to_string()]).expect("params");
    params.distinguished_name.push(
        rcgen::DnType::CommonName,
        "evil\u{1b}]0;pwned\u{7}\u{202e}\u{9b}31m.example",
    );
    params.distinguished_name.push(
        rcgen::DnType::OrganizationName,
        "\u{1b}[2J\u{1b}]52;c;Zm9v\u{7} Org",
    );
    let cert = params.self_signed(&key).expect("cert");
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("versions")
        .with_no_client_auth()
        .with_single_cert(
            vec![cert.der().clone()],
            rustls_pki_types::PrivateKeyDer::Pkcs8(key.serialize_der().into()),
        )
        .expect("server config");
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    net.serve(move |s| {
        let acceptor = acceptor.clone();
        async move {
            let Ok(mut tls) = acceptor.accept(s).await else {
                return;
            };
            let _ = tls.write_all(b"+OK evil\r\n").await;
            let mut buf = [0u8; 1024];
            while matches!(tls.read(&mut buf).await, Ok(n) if n > 0) {
                let _ = tls.write_all(b"-ERR no\r\n").await;
            }
        }
    })
}

#[test]
fn escape_sequences_in_certificate_subjects() {
    let net = Net::new();
    let addr = escaped_certificate_server(&net);
    let seen = check_tls(addr);
    let json = assert_safe(&seen);
    problem(json, "tls.chain", addr);
}

fn password_file() -> tempfile::NamedTempFile {
    let mut f = tempfile::NamedTempFile::new().expect("temp file");
    std::io::Write::write_all(&mut f, SECRET.as_bytes()).expect("write");
    f
}

fn assert_no_secret(seen: &Seen) {
    let text = String::from_utf8_lossy(&seen.text);
    let json = seen.json.to_string();
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD.encode(SECRET);
    for out in [&*text, &json] {
        assert!(!out.contains(SECRET), "the password leaked: {out}");
        assert!(!out.contains(&b64), "the base64 password leaked: {out}");
    }
}

#[test]
fn credential_echo() {
    let net = Net::new();
    let addr = scripted(&net, b"+OK echo\r\n", |cmd| match cmd {
        "CAPA" => Some(b"+OK\r\nUSER\r\n.\r\n".to_vec()),
        c if c.starts_with("USER") => Some(b"+OK\r\n".to_vec()),
        c => Some(format!("-ERR you said: {c}\r\n").into_bytes()),
    });
    let f = password_file();
    let seen = run_both(
        &[
            "check",
            &addr.to_string(),
            "--user",
            "alice",
            "--auth",
            "user",
            "--allow-cleartext-auth",
        ],
        Some(f.path()),
    );
    assert_safe(&seen);
    assert_no_secret(&seen);
}

#[test]
fn sasl_continuation_loop() {
    let net = Net::new();
    // AUTH gets endless empty challenges, whatever the client answers.
    let addr = net.serve(|mut s| async move {
        if s.write_all(b"+OK loop\r\n").await.is_err() {
            return;
        }
        while let Some(cmd) = read_cmd(&mut s).await {
            let reply: &[u8] = if cmd == "CAPA" {
                b"+OK\r\nSASL PLAIN\r\n.\r\n"
            } else {
                b"+ \r\n"
            };
            if s.write_all(reply).await.is_err() {
                return;
            }
        }
    });
    let f = password_file();
    let seen = run_both(
        &[
            "check",
            &addr.to_string(),
            "--user",
            "alice",
            "--auth",
            "plain",
            "--allow-cleartext-auth",
        ],
        Some(f.path()),
    );
    let json = assert_safe(&seen);
    assert_no_secret(&seen);
    let login = json["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "auth.login")
        .expect("auth.login");
    assert_eq!(login["status"], "fail", "{login}");
}

#[test]
fn oversized_reply_during_the_dialogue() {
    let net = Net::new();
    let addr = scripted(&net, b"+OK big\r\n", |cmd| match cmd {
        "CAPA" => Some(b"+OK\r\nUSER\r\n.\r\n".to_vec()),
        "STAT" => Some(b"+OK 1 50000000\r\n".to_vec()),
        "LIST" => {
            let mut v = b"+OK\r\n".to_vec();
            for i in 1..200_000 {
                v.extend_from_slice(format!("{i} 250\r\n").as_bytes());
            }
            v.extend_from_slice(b".\r\n");
            Some(v)
        }
        "UIDL" => {
            let mut v = b"+OK\r\n".to_vec();
            v.extend(std::iter::repeat_n(b'U', 8 * 1024 * 1024));
            Some(v)
        }
        "QUIT" => None,
        _ => Some(b"+OK\r\n".to_vec()),
    });
    let f = password_file();
    let seen = run_both(
        &[
            "check",
            &addr.to_string(),
            "--user",
            "alice",
            "--auth",
            "user",
            "--allow-cleartext-auth",
            "--max-bytes",
            "4096",
        ],
        Some(f.path()),
    );
    let json = assert_safe(&seen);
    assert_no_secret(&seen);
    let steps: Vec<&Value> = json["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["id"].as_str().unwrap_or("").starts_with("pop3.step."))
        .collect();
    assert!(
        steps.iter().any(|c| c["status"] != "pass"),
        "the oversized replies are reported: {steps:?}"
    );
}
