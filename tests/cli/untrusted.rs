//! Untrusted server text never reaches the terminal raw: a server that
//! greets and answers CAPA with terminal escape sequences is shown escaped
//! (`\x1b`), and the only ESC bytes popscope writes are its own SGR colours.

use std::net::SocketAddr;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

use super::util::{EXIT_FAIL, Net, only_sgr_escapes, report_of, run};

/// Clears the screen, retitles the window, rings the bell.
const GREETING: &[u8] = b"+OK \x1b[2J\x1b]0;pwned\x07 hi\r\n";
/// CAPA with an OSC hyperlink, a clear-screen, a C1 CSI (raw 0x9b) and
/// a bidirectional override.
const CAPA: &[u8] = b"+OK \x1b[31mcapabilities\r\n\
USER\r\n\
X-EVIL \x1b]8;;http://evil.example/\x07click\x1b]8;;\x07\x1b[2J\r\n\
X-C1 \x9b31mred\r\n\
X-BIDI \xe2\x80\xaeevil\r\n\
.\r\n";

async fn evil_pop3(stream: TcpStream) {
    let (r, mut w) = stream.into_split();
    if w.write_all(GREETING).await.is_err() {
        return;
    }
    let mut r = BufReader::new(r);
    let mut line = Vec::new();
    loop {
        line.clear();
        match r.read_until(b'\n', &mut line).await {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        let cmd = String::from_utf8_lossy(&line).trim().to_ascii_uppercase();
        let reply: &[u8] = match cmd.as_str() {
            "CAPA" => CAPA,
            "QUIT" => {
                let _ = w.write_all(b"+OK \x1b[?1049h bye\r\n").await;
                return;
            }
            _ => b"-ERR \x1b[5mblink\x1b[0m \x1bP+q\x1b\\ no\r\n",
        };
        if w.write_all(reply).await.is_err() {
            return;
        }
    }
}

fn evil_server(net: &Net) -> SocketAddr {
    net.serve(evil_pop3)
}

/// Raw sequences from the server that must never appear in output.
const RAW: &[&[u8]] = &[
    b"\x1b[2J",
    b"\x1b]",
    b"\x07",
    b"\x9b",
    b"\x1bP",
    b"\xe2\x80\xae",
];

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

fn assert_no_raw(what: &str, out: &[u8]) {
    for raw in RAW {
        assert!(
            !contains(out, raw),
            "{what}: the server's raw bytes {raw:?} reached the output:\n{}",
            String::from_utf8_lossy(out)
        );
    }
}

#[test]
fn text_report_escapes_server_text_and_keeps_its_own_colours() {
    let net = Net::new();
    let addr = evil_server(&net);
    let r = run(&[
        "check",
        &addr.to_string(),
        "--color",
        "always",
        "--timeout",
        "3s",
    ]);
    assert_eq!(r.code, EXIT_FAIL, "{}\n{}", r.out(), r.stderr);
    assert_no_raw("text stdout", &r.stdout);
    assert_no_raw("stderr", r.stderr.as_bytes());
    // Every remaining ESC is an SGR colour popscope wrote, and there are some.
    let sgr = only_sgr_escapes(&r.stdout);
    assert!(sgr > 0, "--color always wrote no colour:\n{}", r.out());
    assert!(!r.stderr.as_bytes().contains(&0x1b), "{}", r.stderr);
    // The escaped form is shown instead.
    let out = r.out();
    assert!(out.contains("\\x1b[2J"), "{out}");
    assert!(out.contains("\\x1b]0;pwned\\x07 hi"), "{out}");
    assert!(out.contains("X-EVIL \\x1b]8;;"), "{out}");
    assert!(out.contains("X-C1 \\x9b31mred"), "{out}");
    assert!(out.contains("X-BIDI \\u{202e}evil"), "{out}");
}

#[test]
fn text_report_without_colour_has_no_escape_at_all() {
    let net = Net::new();
    let addr = evil_server(&net);
    for flags in [
        &["--color", "never"][..],
        &["--transcript-only", "--color", "never"],
    ] {
        let mut args = vec!["check".to_string(), addr.to_string()];
        args.extend(flags.iter().map(|s| s.to_string()));
        let r = run(&args);
        assert!(
            !r.stdout.contains(&0x1b),
            "{flags:?}: ESC in uncoloured output:\n{}",
            r.out()
        );
        assert!(r.out().contains("\\x1b[2J"), "{flags:?}: {}", r.out());
    }
}

#[test]
fn json_report_escapes_server_text() {
    let net = Net::new();
    let addr = evil_server(&net);
    let r = run(&["check", &addr.to_string(), "--json", "--timeout", "3s"]);
    assert!(
        !r.stdout.contains(&0x1b),
        "raw ESC byte in the JSON: {}",
        r.out()
    );
    // JSON's own escape (\u001b) would decode back to a raw ESC: not allowed either.
    assert!(!r.out().contains("\\u001b"), "{}", r.out());
    let rep = report_of(r);
    let ep = &rep.endpoints()[0];
    let greeting = ep["greeting"].as_str().unwrap();
    assert!(
        greeting.contains("\\x1b[2J\\x1b]0;pwned\\x07 hi"),
        "{greeting}"
    );
    let caps: Vec<&str> = ep["capabilities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert!(caps.contains(&"USER"), "{caps:?}");
    assert!(
        caps.iter().any(|c| c.starts_with("X-EVIL \\x1b]8;;")),
        "{caps:?}"
    );
    // No decoded string anywhere in the report holds a control character.
    fn walk(v: &serde_json::Value, path: &str) {
        match v {
            serde_json::Value::String(s) => assert!(
                !s.chars().any(
                    |c| (c.is_control() && c != '\t') || ('\u{202a}'..='\u{202e}').contains(&c)
                ),
                "{path}: control character in {s:?}"
            ),
            serde_json::Value::Array(a) => {
                for (i, x) in a.iter().enumerate() {
                    walk(x, &format!("{path}[{i}]"));
                }
            }
            serde_json::Value::Object(o) => {
                for (k, x) in o {
                    walk(x, &format!("{path}.{k}"));
                }
            }
            _ => {}
        }
    }
    walk(&rep.json, "report");
    // The CAPA list offered USER before TLS: judged from the escaped text.
    assert_eq!(
        rep.status_on("auth.cleartext", &addr.to_string()),
        "warn",
        "{}",
        rep.describe()
    );
}

#[test]
fn only_sgr_escapes_rejects_foreign_sequences() {
    assert_eq!(only_sgr_escapes(b"plain"), 0);
    assert_eq!(only_sgr_escapes(b"\x1b[1m\x1b[31mX\x1b[0m"), 3);
    for bad in [&b"\x1b[2J"[..], b"\x1b]0;t\x07", b"\x1b[", b"x\x1b"] {
        let r = std::panic::catch_unwind(|| only_sgr_escapes(bad));
        assert!(r.is_err(), "accepted {bad:?}");
    }
}
