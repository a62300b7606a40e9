//! Property tests (proptest) over the parsers and safety rules that meet
//! untrusted input: the line reader, status and CAPA parsing, sanitising,
//! redaction, certificate name matching (against webpki's own matcher) and
//! the replay's never-lose-mail state machine. `cargo test` runs a bounded
//! number of cases; `fuzz_for_as_long_as_asked` is the long-running entry
//! point (docs/security.md).

use std::time::Duration;

use proptest::prelude::*;

use crate::pop3::capa::Capabilities;
use crate::pop3::reader::{Limits, LineReader};
use crate::pop3::response::{parse_reply, parse_status};
use crate::transcript::{Recorder, sanitize};

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("runtime")
}

/// Bytes a hostile server might send: mostly protocol-shaped, often not.
fn server_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..2048),
        proptest::collection::vec(
            prop_oneof![
                Just(b"+OK ".to_vec()),
                Just(b"-ERR ".to_vec()),
                Just(b"\r\n".to_vec()),
                Just(b"\n".to_vec()),
                Just(b"\r".to_vec()),
                Just(b".\r\n".to_vec()),
                Just(b"..".to_vec()),
                Just(b"STLS\r\n".to_vec()),
                Just(b"\x1b]0;x\x07".to_vec()),
                Just("\u{202e}".as_bytes().to_vec()),
                proptest::collection::vec(any::<u8>(), 0..64),
            ],
            0..64,
        )
        .prop_map(|parts| parts.concat()),
    ]
}

fn small_limits() -> Limits {
    Limits {
        max_line: 256,
        rfc_line: 512,
        max_lines: 16,
        max_bytes: 1024,
        max_drain: 8192,
    }
}

/// Checks one fuzz input against every parser property; returns a
/// description of the first violation.
fn check_input(rt: &tokio::runtime::Runtime, bytes: &[u8]) -> Result<(), String> {
    let limits = small_limits();
    // The line reader never returns a line longer than its bound.
    let lines = rt.block_on(async {
        let mut r = LineReader::new(bytes, limits.max_line);
        let mut out = Vec::new();
        for _ in 0..64 {
            match r.read_line(Duration::from_secs(1), "a line").await {
                Ok(l) => out.push(l),
                Err(_) => break,
            }
        }
        out
    });
    if let Some(l) = lines.iter().find(|l| l.len() > limits.max_line) {
        return Err(format!("a line of {} bytes passed the bound", l.len()));
    }
    if lines.iter().any(|l| l.contains(&b'\n')) {
        return Err("a line kept its line feed".into());
    }
    // A multi-line response keeps at most its bounds.
    let ml = rt.block_on(async {
        let mut r = LineReader::new(bytes, limits.max_line);
        r.read_multiline(&limits, Duration::from_secs(1), "a list", |_| {})
            .await
    });
    if let Ok(ml) = ml {
        if ml.head.len() > limits.max_lines {
            return Err(format!("{} lines kept", ml.head.len()));
        }
        let kept: usize = ml.head.iter().map(Vec::len).sum();
        if kept as u64 > limits.max_bytes + limits.max_line as u64 {
            return Err(format!("{kept} bytes kept"));
        }
    }
    // Parsing never panics, and whatever is kept is sanitised.
    for l in &lines {
        let _ = parse_reply(l);
        if let Ok(s) = parse_status(l) {
            check_sanitised(&s.text)?;
        }
    }
    check_sanitised(&sanitize(bytes))?;
    Ok(())
}

fn check_sanitised(text: &str) -> Result<(), String> {
    match text.chars().find(|c| {
        let u = *c as u32;
        (u < 0x20 && *c != '\t')
            || u == 0x7f
            || (0x80..0xa0).contains(&u)
            || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    }) {
        Some(c) => Err(format!("control character U+{:04X} survived", c as u32)),
        None => Ok(()),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn parsers_hold_their_bounds_on_any_input(bytes in server_bytes()) {
        let rt = runtime();
        if let Err(why) = check_input(&rt, &bytes) {
            prop_assert!(false, "{}", why);
        }
    }

    #[test]
    fn capa_sees_every_capability_name(
        names in proptest::collection::vec("[A-Za-z][A-Za-z0-9-]{0,11}", 0..20),
        args in proptest::collection::vec("[ -~]{0,20}", 0..20),
    ) {
        let lines: Vec<String> = names
            .iter()
            .zip(args.iter().chain(std::iter::repeat(&String::new())))
            .map(|(n, a)| format!("{n} {a}").trim_end().to_string())
            .collect();
        let caps = Capabilities { lines: lines.clone() };
        for n in &names {
            prop_assert!(caps.has(n), "{} not seen in {:?}", n, lines);
            prop_assert!(caps.has(&n.to_ascii_lowercase()));
        }
        let stls = names.iter().any(|n| n.eq_ignore_ascii_case("STLS"));
        prop_assert_eq!(caps.has("STLS"), stls);
    }

    #[test]
    fn redaction_hides_every_registered_secret(
        secret in "[!-~]{1,24}",
        before in "[ -~]{0,30}",
        after in "[ -~]{0,30}",
    ) {
        let rec = Recorder::detached();
        rec.add_secret(&secret);
        let shown = rec.redact(&format!("{before}{secret}{after}"));
        prop_assert!(!shown.contains(&secret) || secret.chars().all(|c| c == '*'),
            "{:?} still in {:?}", secret, shown);
        rec.server(format!("-ERR {before}{secret}{after}").as_bytes());
        for l in rec.lines() {
            prop_assert!(!l.text.contains(&secret) || secret.chars().all(|c| c == '*'));
        }
    }

    #[test]
    fn no_bare_cr_or_lf_is_ever_sent(cmd in "[ -~\r\n]{0,40}") {
        // The session refuses a command with a line break instead of sending
        // it: a server can never be made to see two commands.
        let rt = runtime();
        let (client, mut server) = tokio::io::duplex(4096);
        let sent = rt.block_on(async {
            let mut s = crate::pop3::session::Session::new(
                client,
                Recorder::detached(),
                Duration::from_secs(1),
                Limits::default(),
            );
            let _ = s.send_line(&cmd).await;
            drop(s);
            let mut buf = Vec::new();
            let _ = tokio::io::AsyncReadExt::read_to_end(&mut server, &mut buf).await;
            buf
        });
        let body = sent.strip_suffix(b"\r\n").unwrap_or(&sent);
        prop_assert!(!body.contains(&b'\r') && !body.contains(&b'\n'), "{:?} sent", sent);
    }
}

/// Certificate name matching agrees with webpki (what rustls itself does).
mod names {
    use super::*;
    use rustls_pki_types::ServerName;

    fn label() -> impl Strategy<Value = String> {
        "[a-c]{1,3}"
    }

    fn host() -> impl Strategy<Value = String> {
        proptest::collection::vec(label(), 2..4).prop_map(|l| l.join("."))
    }

    fn pattern() -> impl Strategy<Value = String> {
        prop_oneof![
            host(),
            host().prop_map(|h| format!("*.{h}")),
            host().prop_map(|h| h.to_ascii_uppercase()),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

        #[test]
        fn dns_matching_agrees_with_webpki(pattern in pattern(), host in host(), same in any::<bool>()) {
            // Half the time, a host the pattern could match.
            let host = if same {
                pattern.trim_start_matches("*.").to_ascii_lowercase()
                    .split_once('.')
                    .map(|(_, rest)| if pattern.starts_with("*.") { format!("x.{}", pattern.trim_start_matches("*.").to_ascii_lowercase()) } else { format!("{}.{rest}", pattern.to_ascii_lowercase().split('.').next().unwrap_or("a")) })
                    .unwrap_or(host)
            } else {
                host
            };
            let key = rcgen::KeyPair::generate().expect("key");
            let params = rcgen::CertificateParams::new(vec![pattern.clone()]).expect("params");
            let cert = params.self_signed(&key).expect("cert");
            let der = cert.der().clone();
            let ee = webpki::EndEntityCert::try_from(&der).expect("parse");
            let name = ServerName::try_from(host.clone()).expect("name");
            let theirs = ee.verify_is_valid_for_subject_name(&name).is_ok();
            let ours = crate::probe::certs::dns_matches(&pattern, &host);
            prop_assert_eq!(ours, theirs, "pattern {} host {}", pattern, host);
        }
    }
}

/// The long-running fuzz entry point: random hostile inputs through every
/// parser property until `POPSCOPE_FUZZ_SECS` seconds (default 60) have
/// passed. `cargo test --release --lib fuzz_for_as_long_as_asked -- --ignored --nocapture`
#[test]
#[ignore = "long-running fuzzing: run on demand (docs/security.md)"]
fn fuzz_for_as_long_as_asked() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let secs: u64 = std::env::var("POPSCOPE_FUZZ_SECS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(60);
    let rt = runtime();
    let mut runner = TestRunner::default();
    let strategy = server_bytes();
    let start = std::time::Instant::now();
    let mut n: u64 = 0;
    while start.elapsed() < Duration::from_secs(secs) {
        let input = strategy.new_tree(&mut runner).expect("input").current();
        if let Err(why) = check_input(&rt, &input) {
            panic!("after {n} inputs: {why}; input {input:?}");
        }
        n += 1;
    }
    println!("fuzzed {n} inputs in {secs} s: no violation");
}
