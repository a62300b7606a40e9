//! Hostile "POP3 servers" (tiny in-test TCP servers on 127.0.0.1): each
//! must give a clear pop3.greeting failure within the timeout, exit 2, and
//! never a panic (exit 101).

use std::net::SocketAddr;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::util::{EXIT_FAIL, Net, Report, run_json};

/// Reads and discards until the client leaves.
async fn drain(mut s: TcpStream) {
    let mut buf = [0u8; 1024];
    while matches!(s.read(&mut buf).await, Ok(n) if n > 0) {}
}

/// `+OK ` and then an endless line: never a newline.
async fn endless_line(mut s: TcpStream) {
    let chunk = vec![b'A'; 8192];
    if s.write_all(b"+OK ").await.is_err() {
        return;
    }
    while s.write_all(&chunk).await.is_ok() {}
}

/// Binary junk ending in CRLF, then silence.
async fn binary_junk(mut s: TcpStream) {
    let _ = s
        .write_all(b"\x00\x01\x02\xff\xfe\xfd\x7f\x80junk\x00\r\n")
        .await;
    drain(s).await;
}

/// A correct greeting, one byte per second (the pause is the hostile
/// behaviour under test).
async fn drip(mut s: TcpStream) {
    for b in b"+OK dripping greeting\r\n" {
        if s.write_all(&[*b]).await.is_err() {
            return;
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    drain(s).await;
}

/// Accepts and closes at once.
async fn close_at_once(s: TcpStream) {
    drop(s);
}

fn check(addr: SocketAddr) -> Report {
    check_within(addr, "2s")
}

fn check_within(addr: SocketAddr, timeout: &str) -> Report {
    run_json(&["check", &addr.to_string(), "--timeout", timeout, "--json"])
}

fn greeting(r: &Report, addr: SocketAddr) -> &serde_json::Value {
    let c = r
        .on("pop3.greeting", &addr.to_string())
        .unwrap_or_else(|| panic!("no pop3.greeting on {addr}\n{}", r.describe()));
    assert_eq!(c["status"], "fail", "{}", r.describe());
    assert_eq!(r.code, EXIT_FAIL, "{}", r.describe());
    assert!(!c["summary"].as_str().unwrap().is_empty());
    assert!(!c["remedy"].as_str().unwrap().is_empty(), "{c}");
    // Nothing is judged after a failed greeting.
    assert!(
        r.on("pop3.capa", &addr.to_string()).is_none(),
        "{}",
        r.describe()
    );
    c
}

fn text(c: &serde_json::Value) -> String {
    format!("{} {}", c["summary"], c["detail"]).to_lowercase()
}

#[test]
fn hostile_greetings_fail_cleanly() {
    let net = Net::new();
    let endless = net.serve(endless_line);
    let junk = net.serve(binary_junk);
    let closer = net.serve(close_at_once);
    let [r_endless, r_junk, r_closer] = std::thread::scope(|scope| {
        [endless, junk, closer]
            .map(|a| scope.spawn(move || check(a)))
            .map(|h| h.join().expect("run"))
    });

    let c = greeting(&r_endless, endless);
    assert!(
        text(c).contains("endless") || text(c).contains("too long") || text(c).contains("longer"),
        "endless line: {c}"
    );

    let c = greeting(&r_junk, junk);
    assert!(text(c).contains("not a pop3"), "binary junk: {c}");
    assert!(
        c["detail"]
            .as_str()
            .unwrap()
            .contains("\\x00\\x01\\x02\\xff"),
        "the junk is shown escaped: {c}"
    );

    let c = greeting(&r_closer, closer);
    assert!(text(c).contains("closed"), "closed at once: {c}");
}

/// A server dripping a greeting one byte per second is held to the line
/// timeout (here 1 s) and reported as failing.
#[test]
fn dripping_greeting_is_bounded_by_the_timeout() {
    let net = Net::new();
    let addr = net.serve(drip);
    let r = check_within(addr, "1s");
    let c = greeting(&r, addr);
    assert_eq!(c["status"], "fail", "{c}");
    assert!(
        text(c).contains("no complete greeting line within 1000 ms"),
        "{c}"
    );
}

/// docs/checks.md distinguishes silence from other failures. A server that
/// sent part of a greeting was not silent: the report must not say that
/// it "said nothing".
#[test]
fn dripping_greeting_is_not_called_silence() {
    let net = Net::new();
    let addr = net.serve(drip);
    let r = check_within(addr, "1s");
    let c = greeting(&r, addr);
    assert!(!text(c).contains("said nothing"), "{c}");
}

/// Sends `line` (CRLF added) as the greeting, then waits for the client.
fn greeter(net: &Net, line: &'static str) -> SocketAddr {
    net.serve(move |mut s: TcpStream| async move {
        let _ = s.write_all(format!("{line}\r\n").as_bytes()).await;
        drain(s).await;
    })
}

/// Another protocol's banner is named; a `-ERR` greeting is quoted.
#[test]
fn foreign_banners_and_err_greeting_are_named() {
    let net = Net::new();
    let cases = [
        ("220 mail.example.test ESMTP Postfix", "SMTP"),
        ("* OK [CAPABILITY IMAP4rev1] Dovecot ready.", "IMAP"),
        ("SSH-2.0-OpenSSH_9.6", "SSH"),
        ("HTTP/1.1 400 Bad Request", "HTTP"),
        ("-ERR [SYS/TEMP] too busy, try later", "too busy"),
    ];
    let addrs: Vec<SocketAddr> = cases.iter().map(|(l, _)| greeter(&net, l)).collect();
    let reports: Vec<Report> = std::thread::scope(|scope| {
        let hs: Vec<_> = addrs
            .iter()
            .map(|&a| scope.spawn(move || check(a)))
            .collect();
        hs.into_iter().map(|h| h.join().expect("run")).collect()
    });
    for (((line, named), addr), r) in cases.iter().zip(&addrs).zip(&reports) {
        let c = greeting(r, *addr);
        let summary = c["summary"].as_str().unwrap();
        assert!(
            summary.contains(named),
            "{line}: want {named:?} in {summary:?}"
        );
        if line.starts_with("-ERR") {
            assert!(summary.contains("-ERR"), "{summary}");
        } else {
            assert!(
                c["data"]["protocol"]
                    .as_str()
                    .is_some_and(|p| p.contains(named)),
                "{line}: {c}"
            );
            assert_eq!(c["data"]["banner"], *line, "{c}");
        }
    }
}

/// A server that answers, but so slowly that the whole run passes its
/// `--deadline`: the results so far are kept and `run.deadline` fails.
#[test]
fn run_deadline_keeps_partial_results() {
    let net = Net::new();
    let addr = net.serve(|s: TcpStream| async move {
        let (r, mut w) = s.into_split();
        let _ = w.write_all(b"+OK slow server\r\n").await;
        let mut r = tokio::io::BufReader::new(r);
        let mut line = Vec::new();
        let _ = tokio::io::AsyncBufReadExt::read_until(&mut r, b'\n', &mut line).await;
        // CAPA: one line every 300 ms, for 30 s: each line is within
        // --timeout, the whole answer far beyond --deadline. (The pauses
        // are the server's behaviour under test, not synchronisation.)
        let _ = w.write_all(b"+OK\r\n").await;
        for i in 0..100 {
            tokio::time::sleep(Duration::from_millis(300)).await;
            if w.write_all(format!("X-SLOW-{i}\r\n").as_bytes())
                .await
                .is_err()
            {
                return;
            }
        }
    });
    let r = run_json(&[
        "check",
        &addr.to_string(),
        "--timeout",
        "3s",
        "--deadline",
        "3s",
        "--json",
    ]);
    assert_eq!(r.code, EXIT_FAIL, "{}", r.describe());
    let d = r.one("run.deadline");
    assert_eq!(d["status"], "fail", "{}", r.describe());
    assert!(d["endpoint"].is_null());
    assert_eq!(
        r.status_on("pop3.greeting", &addr.to_string()),
        "pass",
        "partial results kept\n{}",
        r.describe()
    );
    let ep = r.endpoint(&addr.to_string()).expect("endpoint kept");
    assert_eq!(ep["greeting"], "+OK slow server");
}

/// A POP3 server whose CAPA answer is `capa` (lines, CRLF added), whose
/// STLS is refused, and which answers everything else `-ERR`.
fn capa_server(net: &Net, capa: Vec<String>) -> SocketAddr {
    let capa = std::sync::Arc::new(capa);
    net.serve(move |s: TcpStream| {
        let capa = capa.clone();
        async move {
            let (r, mut w) = s.into_split();
            if w.write_all(b"+OK hostile capa\r\n").await.is_err() {
                return;
            }
            let mut r = tokio::io::BufReader::new(r);
            loop {
                let mut line = Vec::new();
                match tokio::io::AsyncBufReadExt::read_until(&mut r, b'\n', &mut line).await {
                    Ok(0) | Err(_) => return,
                    Ok(_) => {}
                }
                let cmd = String::from_utf8_lossy(&line).trim().to_ascii_uppercase();
                let reply = match cmd.as_str() {
                    "CAPA" => {
                        let mut out = String::from("+OK capability list follows\r\n");
                        for l in capa.iter() {
                            out.push_str(l);
                            out.push_str("\r\n");
                        }
                        out.push_str(".\r\n");
                        out
                    }
                    "STLS" => "-ERR [SYS/PERM] not today\r\n".into(),
                    "QUIT" => {
                        let _ = w.write_all(b"+OK bye\r\n").await;
                        return;
                    }
                    _ => "-ERR unknown command\r\n".into(),
                };
                if w.write_all(reply.as_bytes()).await.is_err() {
                    return;
                }
            }
        }
    })
}

/// What popscope concluded about STLS and CAPA on `addr`.
fn capa_and_stls(r: &Report, addr: SocketAddr) -> (serde_json::Value, serde_json::Value) {
    let ep = addr.to_string();
    let capa = r
        .on("pop3.capa", &ep)
        .unwrap_or_else(|| panic!("no pop3.capa\n{}", r.describe()))
        .clone();
    let stls = r
        .on("tls.stls", &ep)
        .unwrap_or_else(|| panic!("no tls.stls\n{}", r.describe()))
        .clone();
    (capa, stls)
}

/// Issue 12: a CAPA list longer than popscope reads (one 100 KiB SASL line,
/// or 500 lines) must not hide the STLS listed after it: popscope says the
/// list was cut and never concludes "STLS not offered".
#[test]
fn long_capa_list_does_not_hide_stls() {
    let net = Net::new();
    let mechs: Vec<String> = (0..10_000).map(|i| format!("X-MECH-{i:05}")).collect();
    let sasl = format!("SASL {}", mechs.join(" "));
    assert!(sasl.len() > 100 * 1024);
    let long_line = capa_server(&net, vec!["TOP".into(), "USER".into(), sasl, "STLS".into()]);
    let many: Vec<String> = (0..500)
        .map(|i| format!("X-CAPABILITY-{i:03} with an argument"))
        .chain(["STLS".to_string()])
        .collect();
    let many_lines = capa_server(&net, many);
    let [r_long, r_many] = std::thread::scope(|scope| {
        [long_line, many_lines]
            .map(|a| scope.spawn(move || check(a)))
            .map(|h| h.join().expect("run"))
    });
    for (r, addr, what) in [
        (&r_long, long_line, "a 100 KiB SASL line"),
        (&r_many, many_lines, "500 CAPA lines"),
    ] {
        let (capa, stls) = capa_and_stls(r, addr);
        let stls_text = text(&stls);
        assert!(
            !stls_text.contains("not offered"),
            "{what}: STLS was listed after the cut\n{}",
            r.describe()
        );
        assert!(
            stls["summary"].as_str().unwrap().contains("STLS refused"),
            "{what}: STLS was tried and refused\n{}",
            r.describe()
        );
        assert!(text(&capa).contains("cut"), "{what}: {capa}");
        assert_eq!(capa["data"]["truncated"], true, "{what}: {capa}");
        let names = capa["data"]["names_after_cut"].as_array().expect("names");
        assert!(names.iter().any(|n| n == "STLS"), "{what}: {capa}");
    }
    let (capa, _) = capa_and_stls(&r_long, long_line);
    assert_eq!(capa["data"]["cut_lines"], 1, "{capa}");
    assert!(
        capa["data"]["names_after_cut"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n == "SASL"),
        "the cut line's name is kept: {capa}"
    );
}

/// Issue 12: a greeting that starts `+OK` and never ends its line is not
/// called "not a POP3 server".
#[test]
fn endless_ok_greeting_is_not_called_foreign() {
    let net = Net::new();
    let addr = net.serve(endless_line);
    let r = check(addr);
    let c = greeting(&r, addr);
    let t = text(c);
    assert!(!t.contains("not a pop3"), "{c}");
    assert!(t.contains("started like a pop3 greeting"), "{c}");
    assert!(t.contains("never ended"), "{c}");
}

/// Issue 12: a server that sends `220` without a line end and keeps the
/// connection open gets one answer, run after run, with the bytes it sent.
/// The server is a naive one that closes its previous connection when a
/// new one arrives, so a second connection from the same run (the
/// STARTTLS-injection probe) would change what the main one sees.
#[test]
fn partial_greeting_is_reported_the_same_every_run() {
    let net = Net::new();
    let previous: std::sync::Arc<std::sync::Mutex<Option<tokio::sync::oneshot::Sender<()>>>> =
        Default::default();
    let addr = net.serve(move |mut s: TcpStream| {
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        // Replacing the sender drops the previous one: that connection ends.
        *previous.lock().unwrap() = Some(tx);
        async move {
            if s.write_all(b"220").await.is_err() {
                return;
            }
            let mut buf = [0u8; 1024];
            tokio::select! {
                _ = rx => {}
                _ = async { while matches!(s.read(&mut buf).await, Ok(n) if n > 0) {} } => {}
            }
        }
    });
    let mut summaries = std::collections::BTreeSet::new();
    for _ in 0..20 {
        let r = check_within(addr, "1s");
        let c = greeting(&r, addr);
        summaries.insert(c["summary"].as_str().unwrap().to_string());
    }
    assert_eq!(summaries.len(), 1, "one answer every run: {summaries:#?}");
    let s = summaries.first().unwrap();
    assert!(s.contains("3 byte(s) (\"220\")"), "{s}");
    assert!(s.contains("SMTP or FTP"), "{s}");
}
