//! Tests of the line reader: split reads, over-long and endless lines,
//! timeouts, multi-line bodies and their memory bounds.

use super::*;
use crate::pop3::response::{apop_timestamp, parse_reply, parse_status};
use std::pin::Pin;
use std::task::{Context, Poll};
use tokio::io::{AsyncWriteExt, ReadBuf};

/// Yields its data one byte per read, then EOF (or pends forever).
struct Trickle {
    data: Vec<u8>,
    pos: usize,
    hang_at_end: bool,
}

impl Trickle {
    fn new(data: &[u8]) -> Self {
        Trickle {
            data: data.to_vec(),
            pos: 0,
            hang_at_end: false,
        }
    }
}

impl AsyncRead for Trickle {
    fn poll_read(
        mut self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        if self.pos < self.data.len() {
            let b = self.data[self.pos];
            self.pos += 1;
            buf.put_slice(&[b]);
            Poll::Ready(Ok(()))
        } else if self.hang_at_end {
            Poll::Pending
        } else {
            Poll::Ready(Ok(()))
        }
    }
}

/// An endless stream of one byte value.
struct Endless(u8);

impl AsyncRead for Endless {
    fn poll_read(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let n = buf.remaining();
        buf.put_slice(&vec![self.0; n]);
        Poll::Ready(Ok(()))
    }
}

const T: Duration = Duration::from_secs(5);
#[tokio::test]
async fn lines_split_across_reads_and_bare_lf() {
    let mut r = LineReader::new(
        Trickle::new(b"+OK hello\r\nsecond\nthird\r\r\n\r\nlast"),
        1024,
    );
    assert_eq!(r.read_line(T, "x").await.unwrap(), b"+OK hello");
    assert_eq!(r.read_line(T, "x").await.unwrap(), b"second");
    assert_eq!(r.read_line(T, "x").await.unwrap(), b"third\r");
    assert_eq!(r.read_line(T, "x").await.unwrap(), b"");
    match r.read_line(T, "the greeting").await {
        Err(e @ CodecError::Closed { .. }) => {
            let msg = e.to_string();
            assert!(
                msg.contains("closed the connection while popscope waited for the greeting"),
                "{msg}"
            );
            assert!(msg.contains("4 bytes without a line ending"), "{msg}");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn buffered_and_into_inner_keep_unread_bytes() {
    let (mut w, rd) = tokio::io::duplex(1024);
    w.write_all(b"+OK begin TLS\r\n\x16\x03\x01junk")
        .await
        .unwrap();
    let mut r = LineReader::new(rd, 1024);
    assert_eq!(r.read_line(T, "x").await.unwrap(), b"+OK begin TLS");
    assert_eq!(r.buffered(), b"\x16\x03\x01junk");
    let (_inner, rest) = r.into_inner();
    assert_eq!(rest, b"\x16\x03\x01junk");
}

#[tokio::test]
async fn too_long_line_is_discarded_and_reader_recovers() {
    let mut data = vec![b'x'; 5000];
    data.extend_from_slice(b"\r\n+OK after\r\n");
    let mut r = LineReader::new(&data[..], 100);
    match r.read_line(T, "x").await {
        Err(
            e @ CodecError::LineTooLong {
                limit: 100,
                discarded: 5002,
                ..
            },
        ) => {
            assert!(e.to_string().contains("longer than 100 bytes"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(r.read_line(T, "x").await.unwrap(), b"+OK after");
    assert!(r.buffer_capacity() <= 100 + CHUNK);

    // the limit includes the line ending
    let mut r = LineReader::new(&b"0123456789abcd\r\n0123456789abcdef\n"[..], 16);
    assert_eq!(r.read_line(T, "x").await.unwrap(), b"0123456789abcd");
    assert!(matches!(
        r.read_line(T, "x").await,
        Err(CodecError::LineTooLong { .. })
    ));
}

#[tokio::test]
async fn endless_line_errors_without_growing() {
    let mut r = LineReader::new(Endless(b'A'), 4096);
    for _ in 0..3 {
        match r.read_line(T, "x").await {
            Err(CodecError::LineTooLong { discarded, .. }) => {
                assert!(discarded >= MAX_DISCARD_PER_CALL);
            }
            other => panic!("{other:?}"),
        }
        assert!(r.buffer_capacity() <= 4096 + 2 * CHUNK);
    }
}

#[tokio::test]
async fn binary_junk_never_panics() {
    let mut seed: u32 = 12345;
    let mut data = Vec::new();
    for _ in 0..20_000 {
        seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
        data.push((seed >> 16) as u8);
    }
    let mut r = LineReader::new(&data[..], 512);
    let mut lines = 0;
    loop {
        match r.read_line(T, "x").await {
            Ok(line) => {
                lines += 1;
                let _ = parse_reply(&line);
                let _ = apop_timestamp(&String::from_utf8_lossy(&line));
                if let Err(e) = parse_status(&line) {
                    let _ = e.to_string();
                }
            }
            Err(CodecError::LineTooLong { .. }) => {}
            Err(CodecError::Closed { .. }) => break,
            Err(e) => panic!("{e:?}"),
        }
    }
    assert!(lines > 10);
}

#[tokio::test]
async fn timeout_when_server_stops() {
    let (mut w, rd) = tokio::io::duplex(1024);
    let mut r = LineReader::new(rd, 1024);
    let t = Duration::from_millis(50);
    match r.read_line(t, "the reply to CAPA").await {
        Err(e @ CodecError::Timeout { received: 0, .. }) => {
            let msg = e.to_string();
            assert!(msg.contains("sent nothing for 50 ms"), "{msg}");
            assert!(msg.contains("the reply to CAPA"), "{msg}");
        }
        other => panic!("{other:?}"),
    }
    w.write_all(b"+OK hal").await.unwrap();
    let msg = r
        .read_line(t, "the reply to CAPA")
        .await
        .unwrap_err()
        .to_string();
    // it started like a POP3 reply: said so, with what arrived
    assert!(
        msg.contains("started like a POP3 reply (\"+OK hal\") but the line never ended"),
        "{msg}"
    );
    assert!(
        msg.contains("7 bytes arrived and no line end within 50 ms"),
        "{msg}"
    );
    assert!(!msg.contains("other than POP3"), "{msg}");
    // the partial line is kept; the rest completes it
    w.write_all(b"f\r\n").await.unwrap();
    assert_eq!(r.read_line(T, "x").await.unwrap(), b"+OK half");
    drop(w);
}

/// Virtual time: the line timeout ends the read after exactly its length.
#[tokio::test(start_paused = true)]
async fn slow_drip_is_bounded_by_the_line_timeout() {
    let mut trickle = Trickle::new(b"+OK");
    trickle.hang_at_end = true;
    let mut r = LineReader::new(trickle, 1024);
    let started = tokio::time::Instant::now();
    let res = r.read_line(Duration::from_millis(50), "x").await;
    match res {
        Err(CodecError::Timeout {
            after,
            received,
            partial,
            ..
        }) => {
            assert_eq!(after, Duration::from_millis(50));
            assert_eq!(received, 3);
            assert_eq!(partial, b"+OK");
        }
        other => panic!("want a timeout, got {other:?}"),
    }
    assert_eq!(started.elapsed(), Duration::from_millis(50));
}
fn wire(lines: &[&str]) -> Vec<u8> {
    let mut v = Vec::new();
    for l in lines {
        v.extend_from_slice(l.as_bytes());
        v.extend_from_slice(b"\r\n");
    }
    v
}

#[tokio::test]
async fn multiline_unstuffs_and_ends_only_on_a_lone_dot() {
    let data = wire(&[
        "IMPLEMENTATION Foo-2.3.1",
        "..hidden",
        ".x",
        ". ",
        "",
        "...",
        ".",
        "+OK next",
    ]);
    let mut r = LineReader::new(Trickle::new(&data), 1024);
    let mut seen = Vec::new();
    let ml = r
        .read_multiline(&Limits::default(), T, "x", |l| seen.push(l.to_vec()))
        .await
        .unwrap();
    let head: Vec<&[u8]> = ml.head.iter().map(|l| l.as_slice()).collect();
    assert_eq!(
        head,
        [
            b"IMPLEMENTATION Foo-2.3.1".as_slice(),
            b".hidden",
            b"x",
            b" ",
            b"",
            b".."
        ]
    );
    assert_eq!(seen.len(), 7);
    assert_eq!(seen[1], b"..hidden");
    assert_eq!(seen[6], b".");
    assert_eq!(ml.total_lines, 6);
    assert_eq!(ml.total_bytes, (24 + 7 + 1 + 1 + 2) + 6 * 2);
    assert!(!ml.truncated);
    assert_eq!(r.read_line(T, "x").await.unwrap(), b"+OK next");
}
#[tokio::test]
async fn multiline_truncates_but_drains_to_the_end() {
    let mut lines: Vec<String> = (0..100).map(|i| format!("line {i}")).collect();
    lines.push(".".into());
    lines.push("+OK still in sync".into());
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    let data = wire(&refs);
    let limits = Limits {
        max_lines: 10,
        ..Limits::default()
    };
    let mut r = LineReader::new(&data[..], 1024);
    let ml = r.read_multiline(&limits, T, "x", |_| {}).await.unwrap();
    assert_eq!(ml.head.len(), 10);
    assert_eq!(ml.total_lines, 100);
    assert!(ml.truncated);
    assert_eq!(r.read_line(T, "x").await.unwrap(), b"+OK still in sync");

    let limits = Limits {
        max_bytes: 20,
        ..Limits::default()
    };
    let mut r = LineReader::new(&data[..], 1024);
    let ml = r.read_multiline(&limits, T, "x", |_| {}).await.unwrap();
    assert_eq!(ml.head.len(), 3);
    assert!(ml.truncated);
}

#[tokio::test]
async fn multiline_counts_long_and_overlong_lines() {
    let long = "y".repeat(600);
    let huge = "z".repeat(5000);
    let data = wire(&["a", &long, &huge, "b", "."]);
    let mut r = LineReader::new(&data[..], 1024);
    let ml = r
        .read_multiline(&Limits::default(), T, "x", |_| {})
        .await
        .unwrap();
    assert_eq!(ml.total_lines, 4);
    assert_eq!(ml.overlong, 1);
    assert_eq!(ml.over_rfc_limit, 2);
    assert!(ml.truncated);
    // the head stays a contiguous prefix of the body
    assert_eq!(ml.head.len(), 2);
    assert_eq!(ml.head[1], long.as_bytes());
}

#[tokio::test]
async fn multiline_timeout_and_close_mid_response() {
    let (mut w, rd) = tokio::io::duplex(1024);
    w.write_all(b"line 1\r\nline 2\r\n").await.unwrap();
    let mut r = LineReader::new(rd, 1024);
    let res = r
        .read_multiline(
            &Limits::default(),
            Duration::from_millis(50),
            "the message",
            |_| {},
        )
        .await;
    assert!(matches!(res, Err(CodecError::Timeout { .. })));
    w.write_all(b"line 3\r\npart").await.unwrap();
    drop(w);
    match r
        .read_multiline(&Limits::default(), T, "the message", |_| {})
        .await
    {
        Err(CodecError::Closed { partial, .. }) => assert_eq!(partial, b"part"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn endless_multiline_hits_the_drain_ceiling() {
    let (mut w, rd) = tokio::io::duplex(64 * 1024);
    let writer = tokio::spawn(async move {
        let block = "0123456789012345678901234567890123456789\r\n".repeat(1000);
        while w.write_all(block.as_bytes()).await.is_ok() {}
    });
    let limits = Limits {
        max_drain: 2 * 1024 * 1024,
        ..Limits::default()
    };
    let mut r = LineReader::new(rd, 1024);
    match r.read_multiline(&limits, T, "x", |_| {}).await {
        Err(e @ CodecError::ResponseTooLarge { .. }) => {
            assert!(e.to_string().contains("stopped reading"))
        }
        other => panic!("{other:?}"),
    }
    assert!(r.buffer_capacity() <= 1024 + CHUNK);
    drop(r);
    writer.await.unwrap();
}

#[tokio::test]
async fn fifty_megabytes_stream_with_bounded_memory() {
    const LINE: &[u8] =
        b"Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmo\r\n";
    const TOTAL: usize = 50 * 1024 * 1024;
    let lines = TOTAL / LINE.len();
    let (mut w, rd) = tokio::io::duplex(64 * 1024);
    let writer = tokio::spawn(async move {
        let block = LINE.repeat(1000);
        let mut sent = 0;
        while sent < lines {
            let n = (lines - sent).min(1000);
            w.write_all(&block[..n * LINE.len()]).await.unwrap();
            sent += n;
        }
        w.write_all(b".\r\n+OK next\r\n").await.unwrap();
    });
    let limits = Limits::default();
    let mut r = LineReader::new(rd, limits.max_line);
    let mut calls = 0u64;
    let ml = r
        .read_multiline(&limits, T, "RETR 1", |_| calls += 1)
        .await
        .unwrap();
    writer.await.unwrap();
    assert_eq!(ml.total_lines, lines as u64);
    assert_eq!(ml.total_bytes, (lines * LINE.len()) as u64);
    assert_eq!(calls, lines as u64 + 1);
    assert!(ml.truncated);
    assert_eq!(ml.head.len(), limits.max_lines);
    assert!(r.buffer_capacity() <= limits.max_line + CHUNK);
    assert_eq!(r.read_line(T, "x").await.unwrap(), b"+OK next");
}

/// Issue 12: a partial line that is not POP3 is shown, and named when known.
#[tokio::test]
async fn timeout_on_a_partial_foreign_line_shows_the_bytes() {
    let (mut w, rd) = tokio::io::duplex(1024);
    w.write_all(b"220").await.unwrap();
    let mut r = LineReader::new(rd, 1024);
    let e = r
        .read_line(Duration::from_millis(50), "the greeting")
        .await
        .unwrap_err();
    match &e {
        CodecError::Timeout {
            received, partial, ..
        } => {
            assert_eq!(*received, 3);
            assert_eq!(partial, b"220");
        }
        other => panic!("{other:?}"),
    }
    let msg = e.to_string();
    assert!(msg.contains("sent 3 bytes (\"220\")"), "{msg}");
    assert!(msg.contains("an SMTP or FTP greeting"), "{msg}");
    drop(w);
}

/// Issue 12: an over-long line that began `+OK` is not called "not a POP3
/// server": it started like a POP3 reply but did not end within the bound.
#[tokio::test]
async fn over_long_status_line_says_it_started_like_pop3() {
    let mut data = b"+OK ".to_vec();
    data.extend(vec![b'A'; 5000]);
    data.extend_from_slice(b"\r\n");
    let mut r = LineReader::new(&data[..], 100);
    let e = r.read_line(T, "the greeting").await.unwrap_err();
    let CodecError::LineTooLong { head, .. } = &e else {
        panic!("{e:?}")
    };
    assert!(head.starts_with(b"+OK AAAA") && head.len() == HEAD_KEPT);
    let msg = e.to_string();
    assert!(msg.contains("started like a POP3 reply"), "{msg}");
    assert!(msg.contains("did not end within 100 bytes"), "{msg}");
    assert!(!msg.contains("not a POP3 server"), "{msg}");

    // anything else keeps the old words
    let mut data = vec![b'x'; 5000];
    data.extend_from_slice(b"\r\n");
    let mut r = LineReader::new(&data[..], 100);
    let msg = r.read_line(T, "x").await.unwrap_err().to_string();
    assert!(msg.contains("probably not a POP3 server"), "{msg}");
}

/// Issue 12: a response cut at the read bound is "longer than popscope
/// reads", never "without ending" (popscope did not see whether it ends).
#[test]
fn response_too_large_says_longer_than_popscope_reads() {
    let msg = CodecError::ResponseTooLarge {
        lines: 3,
        bytes: 2_000_000,
    }
    .to_string();
    assert!(msg.contains("longer than popscope reads"), "{msg}");
    assert!(msg.contains("2000000 bytes (3 lines)"), "{msg}");
    assert!(!msg.contains("without ending"), "{msg}");
}

#[test]
fn first_words() {
    assert_eq!(first_word(b"SASL PLAIN LOGIN"), Some(&b"SASL"[..]));
    assert_eq!(first_word(b"  STLS"), Some(&b"STLS"[..]));
    assert_eq!(first_word(b"..X"), Some(&b".X"[..]));
    assert_eq!(first_word(b"   "), None);
    assert_eq!(first_word(&[b'Q'; 200]).map(<[u8]>::len), Some(64));
    assert!(starts_like_status(b"+ok hi") && starts_like_status(b"-ERR"));
    assert!(!starts_like_status(b"+O") && !starts_like_status(b"220"));
}

/// The limits the probe reads CAPA with (probe::engine::probe_limits).
fn capa_limits() -> Limits {
    Limits {
        max_lines: 200,
        max_bytes: 64 * 1024,
        max_drain: 1024 * 1024,
        ..Limits::default()
    }
}

/// Issue 12: a CAPA line over 64 KiB is cut, its name kept, and the lines
/// after it are still seen by name.
#[tokio::test]
async fn overlong_line_keeps_its_name_and_later_names_are_seen() {
    let sasl = format!(
        "SASL {}",
        (0..10_000)
            .map(|i| format!("MECH-{i}"))
            .collect::<Vec<_>>()
            .join(" ")
    );
    assert!(sasl.len() > 64 * 1024);
    let data = wire(&["TOP", &sasl, "STLS", "USER", ".", "+OK next"]);
    let mut r = LineReader::new(&data[..], 64 * 1024);
    let ml = r
        .read_multiline(&capa_limits(), T, "x", |_| {})
        .await
        .unwrap();
    assert_eq!(ml.head, [b"TOP".to_vec()]);
    assert!(ml.truncated);
    assert_eq!(ml.overlong, 1);
    assert_eq!(ml.later_names, [&b"SASL"[..], b"STLS", b"USER"]);
    assert_eq!(ml.names_lost, 0);
    assert_eq!(r.read_line(T, "x").await.unwrap(), b"+OK next");
}

/// Issue 12: past the kept lines, each further line's name is recorded,
/// up to MAX_LATER_NAMES; the rest are counted.
#[tokio::test]
async fn lines_past_the_limit_are_seen_by_name_within_a_bound() {
    let mut lines: Vec<String> = (0..500).map(|i| format!("X-CAP-{i} arg")).collect();
    lines.push("STLS".into());
    lines.push(".".into());
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    let data = wire(&refs);
    let mut r = LineReader::new(&data[..], 64 * 1024);
    let ml = r
        .read_multiline(&capa_limits(), T, "x", |_| {})
        .await
        .unwrap();
    assert_eq!(ml.head.len(), 200);
    assert_eq!(ml.later_names.len(), 301);
    assert_eq!(ml.later_names[0], b"X-CAP-200");
    assert_eq!(ml.later_names.last().unwrap(), b"STLS");

    let n = MAX_LATER_NAMES + 250;
    let lines: Vec<String> = (0..n)
        .map(|i| format!("Y{i}"))
        .chain([".".into()])
        .collect();
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    let data = wire(&refs);
    let limits = Limits {
        max_lines: 10,
        ..capa_limits()
    };
    let mut r = LineReader::new(&data[..], 1024);
    let ml = r.read_multiline(&limits, T, "x", |_| {}).await.unwrap();
    assert_eq!(ml.later_names.len(), MAX_LATER_NAMES);
    assert_eq!(ml.names_lost, 240);
}

/// Every reading error in both languages: English as before, French with no
/// English left (server bytes and protocol names aside) and no message id.
#[test]
fn reading_errors_in_both_languages() {
    use crate::i18n::{Lang, scoped, testing::english_word};
    let errors = || {
        vec![
            CodecError::Timeout {
                what: what_greeting(),
                after: Duration::from_secs(5),
                received: 0,
                partial: Vec::new(),
            },
            CodecError::Timeout {
                what: what_reply("STAT"),
                after: Duration::from_millis(250),
                received: 0,
                partial: Vec::new(),
            },
            CodecError::Timeout {
                what: what_greeting(),
                after: Duration::from_secs(5),
                received: 4,
                partial: b"+OK ".to_vec(),
            },
            CodecError::Timeout {
                what: what_greeting(),
                after: Duration::from_secs(5),
                received: 9,
                partial: b"220 smtp ".to_vec(),
            },
            CodecError::Closed {
                what: what_rest("CAPA"),
                partial: Vec::new(),
            },
            CodecError::Closed {
                what: what_rest("CAPA"),
                partial: b"PIPE".to_vec(),
            },
            CodecError::LineTooLong {
                limit: 8192,
                discarded: 9000,
                head: b"+OK hello".to_vec(),
            },
            CodecError::LineTooLong {
                limit: 8192,
                discarded: 9000,
                head: b"zzz".to_vec(),
            },
            CodecError::NotPop3 {
                line: b"* OK IMAP4rev1 ready".to_vec(),
                protocol: crate::pop3::response::identify_banner(b"* OK IMAP4rev1 ready"),
            },
            CodecError::NotPop3 {
                line: b"\x16\x03\x01".to_vec(),
                protocol: crate::pop3::response::identify_banner(b"\x16\x03\x01"),
            },
            CodecError::NotPop3 {
                line: b"hello".to_vec(),
                protocol: None,
            },
            CodecError::ResponseTooLarge {
                lines: 15651,
                bytes: 1_048_617,
            },
            CodecError::Io(std::io::Error::other("x")),
        ]
    };
    let en: Vec<String> = scoped(Lang::En, || {
        errors().iter().map(|e| e.to_string()).collect()
    });
    assert!(en[0].starts_with("the server sent nothing for 5.0 s while popscope waited for the greeting; it may be overloaded, blocked by a firewall"), "{}", en[0]);
    assert_eq!(
        en[5],
        "the server closed the connection while popscope waited for the rest of the reply to CAPA; it had sent 4 bytes without a line ending: \"PIPE\""
    );
    let fr: Vec<String> = scoped(Lang::Fr, || {
        errors().iter().map(|e| e.to_string()).collect()
    });
    assert!(fr[0].contains("pare-feu"), "{}", fr[0]);
    assert!(fr[3].contains("SMTP"), "{}", fr[3]);
    for (e, f) in en.iter().zip(&fr) {
        assert_ne!(e, f);
        assert!(!f.contains("pop3-"), "{f}");
        let prose = f
            .replace("IMAP4rev1", "")
            .replace("hello", "")
            .replace("smtp", "");
        assert_eq!(english_word(&prose, &[]), None, "{f}");
    }
}
