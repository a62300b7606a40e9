//! The teaching prose: the misconceptions match the guides word for word,
//! every command and line kind is explained, in English and in French.

use super::*;
use crate::i18n::testing::english_word;
use crate::i18n::{Lang, scoped};
use crate::pop3::response::parse_status;

/// POP3 words that French explanations quote (the LOGIN SASL mechanism).
const ALLOWED: &[&str] = &["LOGIN"];

fn flat(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A markdown section's text, without emphasis and code marks, on one line.
fn section(doc: &str, heading: &str) -> String {
    let doc = flat(&doc.replace(['*', '`'], ""));
    doc.split(heading)
        .nth(1)
        .and_then(|rest| rest.split(" ## ").next())
        .unwrap_or_else(|| panic!("the guide has a {heading} section"))
        .to_string()
}

/// docs/teaching.md's "Misconceptions" and the line explanations say
/// the same thing in the same words.
#[test]
fn misconceptions_are_worded_as_in_the_teaching_guide() {
    scoped(Lang::En, || {
        let doc = flat(include_str!("../../../docs/teaching.md"));
        let section = doc
            .split("## Misconceptions")
            .nth(1)
            .and_then(|rest| rest.split(" ## ").next())
            .expect("docs/teaching.md has a Misconceptions section");
        for id in misconceptions::ALL {
            let sentence = misconceptions::sentence(id);
            assert!(section.contains(&flat(&sentence)), "docs lack: {sentence}");
        }
        uses_the_misconceptions();
    });
}

/// docs/fr/guide-du-lab.md's « Idées reçues » and the French line
/// explanations say the same thing in the same words.
#[test]
fn french_misconceptions_are_worded_as_in_the_lab_guide() {
    scoped(Lang::Fr, || {
        let section = section(
            include_str!("../../../docs/fr/guide-du-lab.md"),
            "## Idées reçues",
        );
        use misconceptions as m;
        for id in [
            m::ONE_CONNECTION,
            m::RETR_KEEPS,
            m::DELE_AT_QUIT,
            m::STLS_ENCRYPTS,
            m::IMPLICIT_TLS,
            m::POP3_VS_IMAP,
        ] {
            let sentence = misconceptions::sentence(id);
            assert!(
                section.contains(&flat(&sentence)),
                "docs/fr/guide-du-lab.md lacks: {sentence}"
            );
        }
        uses_the_misconceptions();
    });
}

/// The line explanations quote the misconceptions (in the current language).
fn uses_the_misconceptions() {
    use misconceptions as m;
    for (verb, id) in [
        ("RETR", m::RETR_KEEPS),
        ("DELE", m::DELE_AT_QUIT),
        ("QUIT", m::DELE_AT_QUIT),
        ("UIDL", m::LEAVE_A_COPY),
        ("STLS", m::STLS_ENCRYPTS),
    ] {
        assert!(command_line(verb, "").contains(&m::sentence(id)), "{verb}");
    }
    let greeting = parse_status(b"+OK ready").unwrap();
    assert!(greeting_line(&greeting).contains(&m::sentence(m::ONE_CONNECTION)));
}

#[test]
fn explanations_cover_every_command() {
    scoped(Lang::En, || {
        let unknown = explain_command("XYZZY");
        for verb in [
            "USER", "PASS", "APOP", "STAT", "LIST", "RETR", "DELE", "NOOP", "RSET", "QUIT", "TOP",
            "UIDL", "CAPA", "STLS", "AUTH", "greeting", "utf8", "LANG",
        ] {
            let e = explain_command(verb);
            assert_ne!(e, unknown, "{verb}");
            assert!(e.ends_with('.'), "{verb}");
        }
        let err = parse_status(b"-ERR [IN-USE] locked").unwrap();
        let e = explain_response("pass", &err);
        assert!(e.starts_with("Login failed"), "{e}");
        assert!(e.contains("IN-USE: the mailbox is locked"), "{e}");
        let ok = parse_status(b"+OK").unwrap();
        assert_eq!(explain_response("NOOP", &ok), "The command succeeded.");
        assert!(explain_response("", &ok).contains("ready"));
    });
}

const VERBS: &[&str] = &[
    "", "GREETING", "USER", "PASS", "APOP", "STAT", "LIST", "RETR", "DELE", "NOOP", "RSET", "QUIT",
    "TOP", "UIDL", "CAPA", "STLS", "AUTH", "UTF8", "LANG", "LAST", "XYZZY",
];

const STATUSES: &[&[u8]] = &[
    b"+OK",
    b"+OK 2 320",
    b"+OK ready <1.2@host>",
    b"-ERR",
    b"-ERR no",
    b"-ERR [AUTH] no",
    b"-ERR [SYS/TEMP] no",
    b"-ERR [SYS/PERM] no",
    b"-ERR [IN-USE] no",
    b"-ERR [LOGIN-DELAY] no",
    b"-ERR [UTF8] no",
    b"-ERR [XFOO] no",
];

/// Everything this module can say: every command, reply, response code,
/// line kind, TLS event and note.
fn everything() -> Vec<String> {
    let mut out = Vec::new();
    for verb in VERBS {
        out.push(explain_command(verb));
        for args in [
            "",
            "1",
            "PLAIN",
            "LOGIN",
            "CRAM-MD5",
            "XOAUTH2",
            "SCRAM-SHA-1",
        ] {
            out.push(command_line(verb, args));
        }
        for raw in STATUSES {
            let status = parse_status(raw).unwrap();
            out.push(explain_response(verb, &status));
            out.push(reply_line(Some(verb), &status));
            out.push(body_line(Some(verb), "1 120"));
        }
    }
    for raw in STATUSES {
        let status = parse_status(raw).unwrap();
        out.push(greeting_line(&status));
        out.push(reply_line(None, &status));
        if let Some(code) = &status.code {
            out.push(code.explain());
            out.push(code_line(code));
        }
    }
    for cap in [
        "TOP",
        "UIDL",
        "USER",
        "SASL PLAIN LOGIN",
        "STLS",
        "PIPELINING",
        "RESP-CODES",
        "AUTH-RESP-CODE",
        "EXPIRE 30",
        "LOGIN-DELAY 900",
        "IMPLEMENTATION Dovecot",
        "UTF8",
        "LANG",
        "X-FOO",
    ] {
        out.push(capability_line(cap));
    }
    out.push(body_line(None, "x"));
    for redacted in [true, false] {
        out.push(sasl_response(redacted));
    }
    out.push(sasl_cancel());
    out.push(challenge_line());
    out.push(end_line());
    out.push(not_pop3_line(true));
    out.push(not_pop3_line(false));
    out.push(fragment_line());
    for kind in [
        TlsEventKind::HandshakeStart,
        TlsEventKind::Established,
        TlsEventKind::Certificate,
        TlsEventKind::CertificateUnreadable,
        TlsEventKind::Verified,
        TlsEventKind::VerificationFailed,
        TlsEventKind::Alert,
        TlsEventKind::HandshakeFailed,
        TlsEventKind::LegacyHello,
        TlsEventKind::Other,
    ] {
        out.push(tls_event(kind));
    }
    for kind in [
        NoteKind::Info,
        NoteKind::Timeout,
        NoteKind::Closed,
        NoteKind::Refused,
        NoteKind::Problem,
        NoteKind::Omitted,
    ] {
        out.push(note(kind));
    }
    for dir in [Dir::Client, Dir::Server, Dir::Tls, Dir::Note] {
        out.push(unclassified(dir));
    }
    for id in misconceptions::ALL {
        out.push(misconceptions::sentence(id));
    }
    out
}

#[test]
fn everything_is_explained_in_both_languages() {
    for lang in Lang::ALL {
        let texts = scoped(lang, everything);
        for text in &texts {
            assert!(
                !text.contains("pop3-"),
                "{lang}: a message id leaked: {text}"
            );
            assert!(!text.trim().is_empty(), "{lang}: empty explanation");
        }
        if lang == Lang::Fr {
            for text in &texts {
                if let Some(w) = english_word(text, ALLOWED) {
                    panic!("English word {w:?} in French: {text}");
                }
            }
        }
    }
}

#[test]
fn french_differs_from_english_and_keeps_protocol_words() {
    let en = scoped(Lang::En, everything);
    let fr = scoped(Lang::Fr, everything);
    assert_eq!(en.len(), fr.len());
    let same: Vec<&String> = en
        .iter()
        .zip(&fr)
        .filter(|(e, f)| e == f)
        .map(|(e, _)| e)
        .collect();
    assert!(same.is_empty(), "untranslated: {same:?}");
    let stls = scoped(Lang::Fr, || command_line("STLS", ""));
    assert!(stls.contains("STLS") && stls.contains("chiffrée"), "{stls}");
    let stat = scoped(Lang::Fr, || {
        reply_line(Some("STAT"), &parse_status(b"+OK 2 320").unwrap())
    });
    assert_eq!(stat, "+OK à STAT\u{a0}: 2 message(s), 320 octets au total.");
}
