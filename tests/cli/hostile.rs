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
