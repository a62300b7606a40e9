//! The probe's words in both languages: every message of `probe.ftl`
//! renders in French with no English left, and the failure texts the probe
//! builds (connect, deadline, greeting, DNS, legacy versions, chain, target
//! parsing) come out in French with no message id leaking.

use std::io;
use std::net::SocketAddr;
use std::time::Duration;

use super::dns::DnsError;
use super::engine::{greeting_from, legacy_finding, legacy_words, tls_failure};
use super::legacy::{LegacyOutcome, alert_name};
use super::outcome::{FailureKind, Greeting, LegOutcome};
use super::tcp;
use super::tls::{ChainProblem, TlsError};
use crate::i18n::testing::english_word;
use crate::i18n::{Arg, Lang, format_in, scoped, sources};
use crate::model::Security;
use crate::pop3::reader::CodecError;
use crate::pop3::session::Pop3Error;
use crate::target::Target;

/// Machine words French text keeps as they are (an environment variable
/// name, a DNS response code): removed before looking for English.
const MACHINE: &[&str] = &["POPSCOPE_PASSWORD", "(REFUSED)"];

/// The first English word of `text` (machine words and `extra`, text that
/// is not the probe's to translate, removed first).
fn english(text: &str, extra: &[&str]) -> Option<String> {
    let mut t = text.to_string();
    for m in MACHINE.iter().chain(extra) {
        t = t.replace(m, " ");
    }
    english_word(&t, &[]).map(str::to_string)
}

/// Fails on a message id left in `text` or an English word in it.
fn assert_french(text: &str, extra: &[&str]) {
    assert!(!text.contains("probe-"), "a message id leaked: {text}");
    assert!(!text.is_empty());
    if let Some(w) = english(text, extra) {
        panic!("English word {w:?} in French: {text}");
    }
}

/// (id, variables) of every message in en/probe.ftl.
fn probe_messages() -> Vec<(String, Vec<String>)> {
    let src = sources(Lang::En)
        .iter()
        .find(|(f, _)| *f == "probe.ftl")
        .map(|(_, s)| *s)
        .expect("probe.ftl");
    let var = regex::Regex::new(r"\$([a-z_]+)").expect("regex");
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for line in src.lines() {
        if let Some((id, rest)) = line.split_once(" = ")
            && id.starts_with("probe-")
        {
            out.push((id.to_string(), Vec::new()));
            let vars = var.captures_iter(rest).map(|c| c[1].to_string());
            out.last_mut().expect("just pushed").1.extend(vars);
        } else if line.starts_with(' ')
            && let Some(last) = out.last_mut()
        {
            last.1
                .extend(var.captures_iter(line).map(|c| c[1].to_string()));
        }
    }
    out
}

#[test]
fn every_probe_message_renders_in_both_languages() {
    let messages = probe_messages();
    assert!(messages.len() > 250, "{}", messages.len());
    for (id, vars) in &messages {
        for n in [1.0, 2.0] {
            let args: Vec<(&str, Arg)> =
                vars.iter().map(|v| (v.as_str(), Arg::Number(n))).collect();
            let en = format_in(Lang::En, id, &args).unwrap_or_else(|| panic!("en: no {id}"));
            let fr = format_in(Lang::Fr, id, &args).unwrap_or_else(|| panic!("fr: no {id}"));
            assert!(!en.contains('{') && !fr.contains('{'), "{id}: {en} / {fr}");
            if id != "probe-tls-type-number" {
                assert_ne!(en, fr, "{id} is not translated");
            }
            assert_french(&fr, &[]);
        }
    }
}

fn addr() -> SocketAddr {
    "192.0.2.1:995".parse().expect("an address")
}

#[test]
fn connect_and_deadline_failures_in_french() {
    scoped(Lang::Fr, || {
        for kind in [
            io::ErrorKind::ConnectionRefused,
            io::ErrorKind::TimedOut,
            io::ErrorKind::NetworkUnreachable,
            io::ErrorKind::PermissionDenied,
        ] {
            let f = tcp::classify(addr(), &io::Error::new(kind, "X"));
            assert_french(&f.message, &[]);
        }
        let refused = tcp::classify(addr(), &io::Error::from(io::ErrorKind::ConnectionRefused));
        assert_eq!(refused.kind, FailureKind::Refused);
        assert!(refused.message.contains("port 995"), "{}", refused.message);

        let mut leg = LegOutcome::new(addr(), Security::ImplicitTls, false);
        leg.cut_at_deadline(Duration::from_millis(1500));
        let Some(Err(f)) = &leg.connect else {
            panic!("a cut connect")
        };
        assert_french(&f.message, &[]);
        assert!(f.message.contains("1500 ms"), "{}", f.message);
        leg.connect = Some(Ok(Duration::from_millis(5)));
        leg.cut_at_deadline(Duration::from_millis(1500));
        let Some(Err(f)) = &leg.tls else {
            panic!("a cut handshake")
        };
        assert_french(&f.message, &[]);
    });
}

fn codec(error: CodecError) -> Result<crate::pop3::response::StatusLine, Pop3Error> {
    Err(Pop3Error::Codec {
        op: "greeting".into(),
        error,
    })
}

#[test]
fn greeting_failures_in_french() {
    scoped(Lang::Fr, || {
        let cases = [
            CodecError::LineTooLong {
                limit: 65536,
                discarded: 65536,
                head: b"+OK AAAA".to_vec(),
            },
            CodecError::Timeout {
                what: "greeting".into(),
                after: Duration::from_millis(1500),
                received: 9,
                partial: b"+OK hello".to_vec(),
            },
            CodecError::Timeout {
                what: "greeting".into(),
                after: Duration::from_millis(1000),
                received: 3,
                partial: b"220".to_vec(),
            },
            CodecError::Timeout {
                what: "greeting".into(),
                after: Duration::from_millis(1000),
                received: 1,
                partial: b"x".to_vec(),
            },
            CodecError::Closed {
                what: "greeting".into(),
                partial: b"+OK bye".to_vec(),
            },
        ];
        for c in cases {
            match greeting_from(codec(c)) {
                // The server's own bytes are quoted as they came.
                Greeting::Failed(f) => assert_french(&f.message, &["hello", "bye"]),
                other => panic!("{other:?}"),
            }
        }
        let one = match greeting_from(codec(CodecError::Closed {
            what: "greeting".into(),
            partial: b"-".to_vec(),
        })) {
            Greeting::Foreign { banner, .. } => banner,
            other => panic!("{other:?}"),
        };
        assert_eq!(one, "-");
        match greeting_from(codec(CodecError::LineTooLong {
            limit: 65536,
            discarded: 65536,
            head: b"xxxx".to_vec(),
        })) {
            Greeting::Foreign { banner, .. } => assert_french(&banner, &[]),
            other => panic!("{other:?}"),
        }
        // Every label the codec gives a banner has its words, and the
        // words checks look for (SMTP, IMAP) are kept.
        for (bytes, keeps) in [
            (&b"\x16\x03\x01"[..], "TLS"),
            (b"220 mx ESMTP", "SMTP"),
            (b"* OK IMAP4rev1", "IMAP"),
            (b"SSH-2.0-x", "SSH"),
            (b"HTTP/1.1 400", "HTTP"),
            (b"<html>", "HTML"),
        ] {
            let label = crate::pop3::response::identify_banner(bytes).expect("a known banner");
            let words = crate::pop3::response::banner_words(label);
            assert_ne!(words, label);
            assert!(words.contains(keeps), "{words}");
            assert_french(&words, &[]);
        }
    });
}

#[test]
fn dns_failures_in_french() {
    let errors = [
        DnsError::NxDomain {
            name: "pop.example.com".into(),
        },
        DnsError::NoRecords {
            name: "pop.example.com".into(),
            rtype: "AAAA",
        },
        DnsError::ServFail {
            name: "pop.example.com".into(),
        },
        DnsError::Refused,
        DnsError::Timeout {
            name: "pop.example.com".into(),
            after: Duration::from_secs(3),
        },
        DnsError::Other("X".into()),
    ];
    for e in &errors {
        let (en, en_remedy) = scoped(Lang::En, || (e.to_string(), e.remedy()));
        let (fr, fr_remedy) = scoped(Lang::Fr, || (e.to_string(), e.remedy()));
        assert_ne!(en, fr);
        assert_ne!(en_remedy, fr_remedy);
        assert_french(&fr, &[]);
        assert_french(&fr_remedy, &[]);
    }
    assert_eq!(
        scoped(Lang::En, || errors[0].to_string()),
        "the name pop.example.com does not exist in DNS (NXDOMAIN)"
    );
}

#[test]
fn legacy_findings_in_french() {
    scoped(Lang::Fr, || {
        let outcomes = [
            LegacyOutcome::Offers {
                version: 0x0301,
                name: "TLS 1.0",
                cipher_suite: 0x002f,
            },
            LegacyOutcome::Alert {
                level: 2,
                description: 70,
            },
            LegacyOutcome::Alert {
                level: 1,
                description: 40,
            },
            LegacyOutcome::NotTls {
                first_bytes: b"+OK".to_vec(),
            },
            LegacyOutcome::Unexpected { detail: "X".into() },
            LegacyOutcome::Timeout,
            LegacyOutcome::Closed,
            LegacyOutcome::Io { detail: "X".into() },
        ];
        for o in outcomes {
            // Alert names (protocol_version) are the protocol's own.
            let alerts = [alert_name(70), alert_name(40)];
            assert_french(&o.to_string(), &alerts);
            let finding = legacy_finding(o);
            assert_french(&legacy_words(&finding), &alerts);
        }
    });
}

#[test]
fn tls_failures_and_chain_problems_in_french() {
    scoped(Lang::Fr, || {
        let errors = [
            TlsError::Timeout {
                after: Duration::from_secs(3),
                answered: false,
            },
            TlsError::Timeout {
                after: Duration::from_secs(3),
                answered: true,
            },
            TlsError::Closed,
            TlsError::NoCommonVersion,
            TlsError::PlaintextReply {
                first_bytes: b"+OK ready\r\n".to_vec(),
            },
            TlsError::PlaintextReply {
                first_bytes: b"* OK IMAP4rev1\r\n".to_vec(),
            },
            TlsError::PlaintextReply {
                first_bytes: b"SSH-2.0-x\r\n".to_vec(),
            },
            TlsError::PlaintextReply {
                first_bytes: vec![0, 1, 2],
            },
            TlsError::Config("X".into()),
            TlsError::Io(io::Error::other("X")),
        ];
        for e in &errors {
            let f = tls_failure(e);
            // "ready" is the server's own greeting, quoted.
            assert_french(&f.message, &["ready"]);
            assert_eq!(f.pop3_greeting, e.is_pop3_greeting());
        }
        for code in 0..=255u8 {
            let a = rustls::AlertDescription::from(code);
            let w = TlsError::Alert(a).to_string();
            assert_french(&w, &[alert_name(code)]);
        }
        for p in [
            ChainProblem::UnknownIssuer {
                top_issuer: "CN=X".into(),
            },
            ChainProblem::SelfSigned,
            ChainProblem::MissingIntermediate {
                issuer: "CN=X".into(),
            },
            ChainProblem::Expired,
            ChainProblem::NotYetValid,
            ChainProblem::NotValidForName,
            ChainProblem::Revoked,
            ChainProblem::BadSignature,
        ] {
            assert_french(&p.to_string(), &[]);
        }
    });
}

#[test]
fn target_errors_in_french() {
    let long_label = format!("{}.com", "a".repeat(64));
    let long_name = format!("{}.com", "a.".repeat(130));
    let inputs = [
        "",
        "a b",
        "imap://mail.example.com",
        "mail.example.com:0",
        "mail.example.com:x",
        "[2001:db8::1",
        "[2001:db8::1]x",
        "fe80::1%eth0",
        "1:2:3",
        "a@b@mail.example.com",
        "@mail.example.com",
        "alice@",
        "mail.example.com/x",
        "pop3s://mail.example.com?x",
        "pop3s://mail.example.com/x",
        "pop3s://",
        "pop3s://@mail.example.com",
        "pop3s://a%zz@mail.example.com",
        "pop3s://alice@",
        "[mail.example.com]",
        "[fe80::1%eth0]",
        "mail..example.com",
        long_label.as_str(),
        long_name.as_str(),
        "ex!ample.com",
        "-mail.example.com",
        "192.0.2.999",
        "mail.123",
        "mail.例え.jp",
    ];
    for input in inputs {
        let en = scoped(Lang::En, || {
            Target::parse(input).err().map(|e| e.to_string())
        });
        let fr = scoped(Lang::Fr, || {
            Target::parse(input).err().map(|e| e.to_string())
        });
        let (Some(en), Some(fr)) = (en, fr) else {
            continue;
        };
        assert_ne!(en, fr, "{input}");
        assert_french(&fr, &[]);
    }
}
