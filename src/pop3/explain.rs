//! All teaching prose about POP3 sessions, for students: what each command
//! asks for, what a reply means, what a response code says, and what every
//! kind of transcript line is (TLS events and popscope's notes included).
//!
//! Two registers:
//!
//! - one sentence for reports: [`explain_command`], [`explain_response`],
//!   [`ResponseCode::explain`];
//! - a fuller explanation of one transcript line for the TUI's details
//!   pane, one function per [`LineKind`](crate::transcript::LineKind):
//!   [`command_line`], [`reply_line`], [`body_line`], [`tls_event`],
//!   [`note`], ... These take what the line's kind says plus the variable
//!   parts of its text (a command's arguments, a parsed status line); they
//!   never guess what a line is from its text.

use crate::i18n::t;
use crate::pop3::response::{ResponseCode, StatusLine, apop_timestamp};
use crate::transcript::{Dir, NoteKind, TlsEventKind};

/// What students commonly get wrong about POP3, in the words that
/// docs/teaching.md ("Misconceptions") and, in French,
/// docs/fr/guide-du-lab.md (« Idées reçues ») share with the line
/// explanations (tests keep them identical). Each constant is the id of the
/// message; [`sentence`](misconceptions::sentence) renders it in the
/// current language. The line explanations use the first five; the others
/// and [`ALL`](misconceptions::ALL) serve the docs and their tests.
#[allow(dead_code)]
pub mod misconceptions {
    /// FTP's modes are not POP3's.
    pub const ONE_CONNECTION: &str = "pop3-misconception-one-connection";
    /// Downloading is not deleting.
    pub const RETR_KEEPS: &str = "pop3-misconception-retr-keeps";
    /// DELE marks; QUIT deletes; RSET undoes.
    pub const DELE_AT_QUIT: &str = "pop3-misconception-dele-at-quit";
    /// What "leave a copy on the server" means.
    pub const LEAVE_A_COPY: &str = "pop3-misconception-leave-a-copy";
    /// Port 110 with STLS is encrypted too.
    pub const STLS_ENCRYPTS: &str = "pop3-misconception-stls-encrypts";
    /// Port 995 is not a protocol version.
    pub const IMPLICIT_TLS: &str = "pop3-misconception-implicit-tls";
    /// POP3 versus IMAP.
    pub const POP3_VS_IMAP: &str = "pop3-misconception-pop3-vs-imap";

    /// Every sentence, in the order docs/teaching.md lists them.
    pub const ALL: [&str; 7] = [
        ONE_CONNECTION,
        RETR_KEEPS,
        DELE_AT_QUIT,
        LEAVE_A_COPY,
        STLS_ENCRYPTS,
        IMPLICIT_TLS,
        POP3_VS_IMAP,
    ];

    /// The misconception `id` (one of the constants above), corrected, in
    /// the current language.
    pub fn sentence(id: &str) -> String {
        crate::i18n::tr(id, &[])
    }
}

/// One sentence on what a POP3 command does, for students. `verb` is
/// case-insensitive; `GREETING` explains the server's first line.
pub fn explain_command(verb: &str) -> String {
    match verb.trim().to_ascii_uppercase().as_str() {
        "GREETING" | "" => t!("pop3-command-greeting"),
        "USER" => t!("pop3-command-user"),
        "PASS" => t!("pop3-command-pass"),
        "APOP" => t!("pop3-command-apop"),
        "STAT" => t!("pop3-command-stat"),
        "LIST" => t!("pop3-command-list"),
        "RETR" => t!("pop3-command-retr"),
        "DELE" => t!("pop3-command-dele"),
        "NOOP" => t!("pop3-command-noop"),
        "RSET" => t!("pop3-command-rset"),
        "QUIT" => t!("pop3-command-quit"),
        "TOP" => t!("pop3-command-top"),
        "UIDL" => t!("pop3-command-uidl"),
        "CAPA" => t!("pop3-command-capa"),
        "STLS" => t!("pop3-command-stls"),
        "AUTH" => t!("pop3-command-auth"),
        "UTF8" => t!("pop3-command-utf8"),
        "LANG" => t!("pop3-command-lang"),
        "LAST" => t!("pop3-command-last"),
        _ => t!("pop3-command-unknown"),
    }
}

/// A sentence or two on what a reply to `verb` means, for students,
/// including the meaning of its response code.
pub fn explain_response(verb: &str, status: &StatusLine) -> String {
    let verb = verb.trim().to_ascii_uppercase();
    let base = match (verb.as_str(), status.ok) {
        ("GREETING" | "", true) => t!("pop3-response-greeting-ok"),
        ("GREETING" | "", false) => t!("pop3-response-greeting-err"),
        ("USER", true) => t!("pop3-response-user-ok"),
        ("USER", false) => t!("pop3-response-user-err"),
        ("PASS" | "APOP" | "AUTH", true) => t!("pop3-response-login-ok"),
        ("PASS" | "APOP" | "AUTH", false) => t!("pop3-response-login-err"),
        ("STLS", true) => t!("pop3-response-stls-ok"),
        ("STLS", false) => t!("pop3-response-stls-err"),
        ("CAPA", true) => t!("pop3-response-capa-ok"),
        ("CAPA", false) => t!("pop3-response-capa-err"),
        ("RETR" | "TOP" | "LIST" | "UIDL", true) => t!("pop3-response-data-ok"),
        ("QUIT", true) => t!("pop3-response-quit-ok"),
        (_, true) => t!("pop3-response-ok"),
        (_, false) => t!("pop3-response-err"),
    };
    match &status.code {
        Some(code) => format!("{base} {}", code.explain()),
        None => base,
    }
}

impl ResponseCode {
    /// What the code means, in plain words (in the current language), and
    /// what to do about it.
    pub fn explain(&self) -> String {
        match self {
            ResponseCode::InUse => t!("pop3-code-in-use"),
            ResponseCode::LoginDelay => t!("pop3-code-login-delay"),
            ResponseCode::SysTemp => t!("pop3-code-sys-temp"),
            ResponseCode::SysPerm => t!("pop3-code-sys-perm"),
            ResponseCode::Auth => t!("pop3-code-auth"),
            ResponseCode::Utf8 => t!("pop3-code-utf8"),
            ResponseCode::Other(_) => t!("pop3-code-other"),
        }
    }
}

// ------------------------------------------------------------------------
// Transcript lines, for the TUI's details pane.

/// A client command: `verb` (upper-case) and the rest of the line, `args`
/// (`********` for a secret).
pub fn command_line(verb: &str, args: &str) -> String {
    use misconceptions::sentence;
    let arg_note = |id: &str| {
        if args.is_empty() {
            String::new()
        } else {
            format!(" {}", crate::i18n::tr(id, &[("args", args.into())]))
        }
    };
    match verb {
        "USER" => format!(
            "{}{}",
            t!("pop3-line-user"),
            arg_note("pop3-line-here-user")
        ),
        "PASS" => t!("pop3-line-pass"),
        "APOP" => t!("pop3-line-apop"),
        "STAT" => t!("pop3-line-stat"),
        "LIST" => {
            if args.is_empty() {
                t!("pop3-line-list-all")
            } else {
                t!("pop3-line-list-one", args = args)
            }
        }
        "RETR" => format!(
            "{} {}{}",
            t!("pop3-line-retr"),
            sentence(misconceptions::RETR_KEEPS),
            arg_note("pop3-line-here-message")
        ),
        "DELE" => format!(
            "{} {}{}",
            t!("pop3-line-dele"),
            sentence(misconceptions::DELE_AT_QUIT),
            arg_note("pop3-line-here-message")
        ),
        "NOOP" => t!("pop3-line-noop"),
        "RSET" => t!("pop3-line-rset"),
        "QUIT" => format!(
            "{} {}",
            t!("pop3-line-quit"),
            sentence(misconceptions::DELE_AT_QUIT)
        ),
        "TOP" => format!(
            "{}{}",
            t!("pop3-line-top"),
            arg_note("pop3-line-here-arguments")
        ),
        "UIDL" => format!(
            "{} {}",
            t!("pop3-line-uidl"),
            sentence(misconceptions::LEAVE_A_COPY)
        ),
        "CAPA" => t!("pop3-line-capa"),
        "STLS" => format!(
            "{} {}",
            t!("pop3-line-stls"),
            sentence(misconceptions::STLS_ENCRYPTS)
        ),
        "AUTH" => {
            let mech = args
                .split_whitespace()
                .next()
                .unwrap_or("")
                .to_ascii_uppercase();
            let what = match mech.as_str() {
                "PLAIN" => t!("pop3-auth-mech-plain"),
                "LOGIN" => t!("pop3-auth-mech-login"),
                "CRAM-MD5" => t!("pop3-auth-mech-cram-md5"),
                "XOAUTH2" => t!("pop3-auth-mech-xoauth2"),
                "" => t!("pop3-auth-mech-none"),
                _ => t!("pop3-auth-mech-other"),
            };
            t!("pop3-line-auth", what = what)
        }
        "" => t!("pop3-line-empty"),
        _ => t!("pop3-line-unknown", verb = verb),
    }
}

/// A client line answering a SASL challenge; `redacted` when popscope
/// replaced the credentials it carries.
pub fn sasl_response(redacted: bool) -> String {
    if redacted {
        t!("pop3-line-sasl-redacted")
    } else {
        t!("pop3-line-sasl-response")
    }
}

/// The client's `*`, cancelling a SASL exchange.
pub fn sasl_cancel() -> String {
    t!("pop3-line-sasl-cancel")
}

/// An RFC 2449/3206/6856 response code, e.g. `[AUTH]`, for a reply being
/// explained.
pub fn code_line(code: &ResponseCode) -> String {
    match code {
        ResponseCode::Auth => t!("pop3-line-code-auth"),
        ResponseCode::SysTemp => t!("pop3-line-code-sys-temp"),
        ResponseCode::SysPerm => t!("pop3-line-code-sys-perm"),
        ResponseCode::InUse => t!("pop3-line-code-in-use"),
        ResponseCode::LoginDelay => t!("pop3-line-code-login-delay"),
        ResponseCode::Utf8 => t!("pop3-line-code-utf8"),
        ResponseCode::Other(other) => t!("pop3-line-code-other", code = other),
    }
}

/// The server's greeting (its first line).
pub fn greeting_line(status: &StatusLine) -> String {
    if status.ok {
        let mut s = format!(
            "{} {}",
            t!("pop3-line-greeting-ok"),
            misconceptions::sentence(misconceptions::ONE_CONNECTION)
        );
        if apop_timestamp(&status.text).is_some() {
            s.push(' ');
            s.push_str(&t!("pop3-line-greeting-apop"));
        }
        s
    } else {
        let mut s = t!("pop3-line-greeting-err");
        if let Some(code) = &status.code {
            s.push(' ');
            s.push_str(&code_line(code));
        }
        s
    }
}

/// A status line answering the command `to` (upper-case verb; `None` when
/// no command was waiting for an answer).
pub fn reply_line(to: Option<&str>, status: &StatusLine) -> String {
    let verb = to.unwrap_or("");
    if status.ok {
        return match verb {
            "" => t!("pop3-line-reply-ok"),
            "USER" => t!("pop3-line-reply-user"),
            "PASS" | "APOP" => t!("pop3-line-reply-login"),
            "AUTH" => t!("pop3-line-reply-auth"),
            "STAT" => {
                let mut it = status.text.split_whitespace();
                match (it.next(), it.next()) {
                    (Some(n), Some(o)) => t!("pop3-line-reply-stat", count = n, octets = o),
                    _ => t!("pop3-line-reply-stat-bare"),
                }
            }
            "LIST" | "UIDL" | "CAPA" | "RETR" | "TOP" => t!("pop3-line-reply-data", verb = verb),
            "STLS" => t!("pop3-line-reply-stls"),
            "QUIT" => t!("pop3-line-reply-quit"),
            "DELE" => t!("pop3-line-reply-dele"),
            _ => t!("pop3-line-reply-other", verb = verb),
        };
    }
    let mut s = match verb {
        "" => t!("pop3-line-reply-err"),
        "PASS" | "APOP" | "AUTH" => t!("pop3-line-reply-login-err"),
        "CAPA" => t!("pop3-line-reply-capa-err"),
        "STLS" => t!("pop3-line-reply-stls-err"),
        _ => t!("pop3-line-reply-other-err", verb = verb),
    };
    match &status.code {
        Some(code) => {
            s.push(' ');
            s.push_str(&code_line(code));
        }
        None if !status.text.trim().is_empty() => {
            s.push(' ');
            s.push_str(&t!("pop3-line-reply-reason"));
        }
        None => {}
    }
    s
}

/// A SASL challenge from the server (`+ <base64>`).
pub fn challenge_line() -> String {
    t!("pop3-line-challenge")
}

/// A data line of the multi-line answer to `of` (upper-case verb, when
/// known); `text` is the line.
pub fn body_line(of: Option<&str>, text: &str) -> String {
    match of.unwrap_or("") {
        "LIST" => t!("pop3-line-body-list", text = text.trim()),
        "UIDL" => t!("pop3-line-body-uidl", text = text.trim()),
        "RETR" | "TOP" => t!("pop3-line-body-message"),
        "CAPA" => capability_line(text),
        _ => t!("pop3-line-body-other"),
    }
}

/// A line of the answer to CAPA; `text` is the capability and its
/// arguments.
pub fn capability_line(text: &str) -> String {
    let mut words = text.split_whitespace();
    let cap = words.next().unwrap_or("").to_ascii_uppercase();
    let args = words.collect::<Vec<_>>().join(" ");
    let what = match cap.as_str() {
        "TOP" => t!("pop3-cap-top"),
        "UIDL" => t!("pop3-cap-uidl"),
        "USER" => t!("pop3-cap-user"),
        "SASL" => t!("pop3-cap-sasl", args = &args),
        "STLS" => t!("pop3-cap-stls"),
        "PIPELINING" => t!("pop3-cap-pipelining"),
        "RESP-CODES" => t!("pop3-cap-resp-codes"),
        "AUTH-RESP-CODE" => t!("pop3-cap-auth-resp-code"),
        "EXPIRE" => t!("pop3-cap-expire", args = &args),
        "LOGIN-DELAY" => t!("pop3-cap-login-delay", args = &args),
        "IMPLEMENTATION" => t!("pop3-cap-implementation", args = &args),
        "UTF8" => t!("pop3-cap-utf8"),
        "LANG" => t!("pop3-cap-lang"),
        _ => t!("pop3-cap-other"),
    };
    t!("pop3-line-capability", what = what)
}

/// The lone `.` ending a multi-line answer.
pub fn end_line() -> String {
    t!("pop3-line-end")
}

/// A line that is neither `+OK` nor `-ERR` where a status line was awaited;
/// `greeting` when it is the server's first line.
pub fn not_pop3_line(greeting: bool) -> String {
    if greeting {
        t!("pop3-line-not-pop3-greeting")
    } else {
        t!("pop3-line-not-pop3")
    }
}

/// Bytes the server sent without a line ending before closing the
/// connection.
pub fn fragment_line() -> String {
    t!("pop3-line-fragment")
}

/// A TLS event.
pub fn tls_event(kind: TlsEventKind) -> String {
    let what = match kind {
        TlsEventKind::HandshakeStart => t!("pop3-tls-handshake-start"),
        TlsEventKind::Established => t!("pop3-tls-established"),
        TlsEventKind::Certificate => t!("pop3-tls-certificate"),
        TlsEventKind::CertificateUnreadable => t!("pop3-tls-certificate-unreadable"),
        TlsEventKind::Verified => t!("pop3-tls-verified"),
        TlsEventKind::VerificationFailed => t!("pop3-tls-verification-failed"),
        TlsEventKind::Alert => t!("pop3-tls-alert"),
        TlsEventKind::HandshakeFailed => t!("pop3-tls-handshake-failed"),
        TlsEventKind::LegacyHello => t!("pop3-tls-legacy-hello"),
        TlsEventKind::Other => t!("pop3-tls-other"),
    };
    t!("pop3-tls-event", what = what)
}

/// A note from popscope.
pub fn note(kind: NoteKind) -> String {
    let extra = match kind {
        NoteKind::Info => None,
        NoteKind::Timeout => Some(t!("pop3-note-timeout")),
        NoteKind::Closed => Some(t!("pop3-note-closed")),
        NoteKind::Refused => Some(t!("pop3-note-refused")),
        NoteKind::Problem => Some(t!("pop3-note-problem")),
        NoteKind::Omitted => Some(t!("pop3-note-omitted")),
    };
    match extra {
        Some(extra) => format!("{} {extra}", t!("pop3-note")),
        None => t!("pop3-note"),
    }
}

/// A line nothing is known about beyond its direction.
pub fn unclassified(dir: Dir) -> String {
    match dir {
        Dir::Client => t!("pop3-line-client"),
        Dir::Server => t!("pop3-line-server"),
        Dir::Tls => tls_event(TlsEventKind::Other),
        Dir::Note => note(NoteKind::Info),
    }
}

#[cfg(test)]
mod tests;
