//! POP3 replies, without sockets: `+OK`/`-ERR` status lines, RFC 2449/3206
//! response codes, SASL continuations, multi-line bodies, the APOP timestamp
//! of a greeting, and naming the protocol of a line that is not POP3.

use serde::Serialize;
use std::fmt;

#[cfg(doc)]
use crate::pop3::reader::Limits;
use crate::pop3::reader::{CodecError, RFC_LINE};
use crate::transcript::sanitize;

/// Names the protocol a first line belongs to when it is not POP3.
///
/// Recognises SMTP/FTP (`220 `, `220-`), IMAP (`* OK`, `* PREAUTH`, `* BYE`),
/// SSH (`SSH-`), HTTP (`HTTP/`) and a TLS record (first byte 0x15 or 0x16
/// followed by 0x03).
pub fn identify_banner(line: &[u8]) -> Option<&'static str> {
    let starts = |p: &[u8]| line.len() >= p.len() && line[..p.len()].eq_ignore_ascii_case(p);
    if line.len() >= 2 && matches!(line[0], 0x15 | 0x16) && line[1] == 0x03 {
        Some("a TLS record: the port expects TLS from the first byte")
    } else if starts(b"220 ") || starts(b"220-") || line == b"220" {
        Some("an SMTP or FTP greeting")
    } else if starts(b"* OK") || starts(b"* PREAUTH") || starts(b"* BYE") {
        Some("an IMAP greeting")
    } else if starts(b"SSH-") {
        Some("an SSH banner")
    } else if starts(b"HTTP/") {
        Some("an HTTP response")
    } else if starts(b"<!DOCTYPE") || starts(b"<html") {
        Some("an HTML page")
    } else {
        None
    }
}

/// A label of [`identify_banner`] in the current language (`an SMTP or FTP
/// greeting`): the codec names banners with fixed English labels, each known
/// label has a message, and an unknown one is shown as it is.
pub fn banner_words(label: &str) -> String {
    use crate::i18n::t;
    match label {
        "a TLS record: the port expects TLS from the first byte" => t!("probe-banner-tls"),
        "an SMTP or FTP greeting" => t!("probe-banner-smtp-ftp"),
        "an IMAP greeting" => t!("probe-banner-imap"),
        "an SSH banner" => t!("probe-banner-ssh"),
        "an HTTP response" => t!("probe-banner-http"),
        "an HTML page" => t!("probe-banner-html"),
        other => other.to_string(),
    }
}

/// An RFC 2449 / RFC 3206 extended response code, the `[...]` at the start of
/// the text of a status line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "code", content = "value")]
pub enum ResponseCode {
    /// `[IN-USE]`: the mailbox is locked by another session.
    InUse,
    /// `[LOGIN-DELAY]`: logged in too soon after the previous login.
    LoginDelay,
    /// `[SYS/TEMP]`: a temporary server-side problem.
    SysTemp,
    /// `[SYS/PERM]`: a permanent server-side problem.
    SysPerm,
    /// `[AUTH]`: the credentials were wrong.
    Auth,
    /// `[UTF8]`: the command needs UTF-8 mode (RFC 6856).
    Utf8,
    /// Any other code, upper-cased as sent (e.g. `XYZ/ABC`).
    Other(String),
}

impl ResponseCode {
    /// Parses a code without its brackets, e.g. `SYS/TEMP`. Hierarchical codes
    /// with unknown sub-codes fall back to their known parent, as RFC 2449
    /// asks (`SYS/TEMP/DISK` is `SysTemp`).
    pub fn parse(code: &str) -> ResponseCode {
        let upper = code.trim().to_ascii_uppercase();
        let mut parts = upper.split('/');
        let first = parts.next().unwrap_or("");
        let second = parts.next();
        match (first, second) {
            ("IN-USE", _) => ResponseCode::InUse,
            ("LOGIN-DELAY", _) => ResponseCode::LoginDelay,
            ("SYS", Some("TEMP")) => ResponseCode::SysTemp,
            ("SYS", Some("PERM")) => ResponseCode::SysPerm,
            ("AUTH", _) => ResponseCode::Auth,
            ("UTF8", _) => ResponseCode::Utf8,
            _ => ResponseCode::Other(upper),
        }
    }

    /// The code as written between the brackets (`SYS/TEMP`).
    pub fn as_str(&self) -> &str {
        match self {
            ResponseCode::InUse => "IN-USE",
            ResponseCode::LoginDelay => "LOGIN-DELAY",
            ResponseCode::SysTemp => "SYS/TEMP",
            ResponseCode::SysPerm => "SYS/PERM",
            ResponseCode::Auth => "AUTH",
            ResponseCode::Utf8 => "UTF8",
            ResponseCode::Other(s) => s,
        }
    }
}

impl fmt::Display for ResponseCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}]", self.as_str())
    }
}

/// The `[CODE]` at the start of a status text, if any.
fn parse_code(rest: &[u8]) -> Option<ResponseCode> {
    let rest = rest.strip_prefix(b"[")?;
    let end = rest.iter().position(|&b| b == b']')?;
    let inner = &rest[..end];
    if inner.is_empty() || !inner.iter().all(|b| b.is_ascii_graphic()) {
        return None;
    }
    Some(ResponseCode::parse(&String::from_utf8_lossy(inner)))
}

/// A parsed `+OK` / `-ERR` line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatusLine {
    /// `true` for `+OK`, `false` for `-ERR`.
    pub ok: bool,
    /// The sanitised text after the status indicator and its space (the
    /// response code, if any, is still part of it).
    pub text: String,
    /// The extended response code at the start of the text.
    pub code: Option<ResponseCode>,
    /// Length of the line as received, without its line ending.
    pub raw_len: usize,
    /// Whether the line (plus CRLF) is longer than the RFC 2449 limit of 512.
    pub over_rfc_limit: bool,
    /// Whether the indicator was written exactly (`+OK`/`-ERR` in capitals,
    /// followed by a space or the end of the line). `false` for tolerated
    /// variants such as `+ok` or `-ERR:`.
    pub exact: bool,
}

impl StatusLine {
    /// The line as it would be shown: `+OK text` / `-ERR text`.
    pub fn display(&self) -> String {
        let ind = if self.ok { "+OK" } else { "-ERR" };
        if self.text.is_empty() {
            ind.to_string()
        } else {
            format!("{ind} {}", self.text)
        }
    }
}

impl fmt::Display for StatusLine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display())
    }
}

/// Parses a status line (without its line ending).
///
/// `+OK` and `-ERR` are accepted in any case; the indicator must be followed
/// by whitespace, punctuation or the end of the line. Anything else is
/// [`CodecError::NotPop3`], naming the protocol when [`identify_banner`]
/// recognises it.
pub fn parse_status(line: &[u8]) -> Result<StatusLine, CodecError> {
    let (ok, ind_len) = if starts_ci(line, b"+OK") {
        (true, 3)
    } else if starts_ci(line, b"-ERR") {
        (false, 4)
    } else {
        return Err(not_pop3(line));
    };
    let after = &line[ind_len..];
    if after.first().is_some_and(|b| b.is_ascii_alphanumeric()) {
        return Err(not_pop3(line));
    }
    let exact = (line.starts_with(b"+OK") || line.starts_with(b"-ERR"))
        && matches!(after.first(), None | Some(b' '));
    let rest = after.strip_prefix(b" ").unwrap_or(after);
    Ok(StatusLine {
        ok,
        text: sanitize(rest),
        code: parse_code(rest),
        raw_len: line.len(),
        over_rfc_limit: line.len() + 2 > RFC_LINE,
        exact,
    })
}

fn starts_ci(line: &[u8], prefix: &[u8]) -> bool {
    line.len() >= prefix.len() && line[..prefix.len()].eq_ignore_ascii_case(prefix)
}

fn not_pop3(line: &[u8]) -> CodecError {
    CodecError::NotPop3 {
        line: line.to_vec(),
        protocol: identify_banner(line),
    }
}

/// A SASL continuation (RFC 5034): `+ <base64>` or a bare `+`. Returns the
/// payload (still base64, trimmed; empty for a bare `+`), or `None` when the
/// line is not a continuation (e.g. `+OK`).
pub fn parse_continuation(line: &[u8]) -> Option<&[u8]> {
    if line == b"+" {
        return Some(&line[1..]);
    }
    let rest = line.strip_prefix(b"+ ")?;
    Some(rest.trim_ascii())
}

/// One reply to a command that may be answered with a SASL continuation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    /// `+OK` or `-ERR`.
    Status(StatusLine),
    /// `+ <base64>`: the payload, still base64.
    Continuation(Vec<u8>),
}

/// Parses a line that may be a status line or a SASL continuation.
pub fn parse_reply(line: &[u8]) -> Result<Reply, CodecError> {
    match parse_continuation(line) {
        Some(p) => Ok(Reply::Continuation(p.to_vec())),
        None => parse_status(line).map(Reply::Status),
    }
}

/// A multi-line response body (after its `+OK` line), bounded by the
/// reader's [`Limits`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MultiLine {
    /// The first lines, dot-unstuffed, without line endings (at most
    /// [`Limits::max_lines`] lines and [`Limits::max_bytes`] bytes).
    pub head: Vec<Vec<u8>>,
    /// Number of lines in the whole body (terminator excluded).
    pub total_lines: u64,
    /// Size of the whole body in octets as RFC 1939 counts them for LIST:
    /// unstuffed lines plus two octets of CRLF each (terminator excluded).
    /// Over-long discarded lines count with their discarded length.
    pub total_bytes: u64,
    /// Whether lines were left out of `head`.
    pub truncated: bool,
    /// Lines longer than [`Limits::rfc_line`] (CRLF included).
    pub over_rfc_limit: usize,
    /// Lines longer than [`Limits::max_line`], discarded without being kept.
    pub overlong: u64,
    /// The first word of each line left out of `head` (over-long lines
    /// included), in order, at most `reader::MAX_LATER_NAMES`.
    pub later_names: Vec<Vec<u8>>,
    /// Lines left out of `head` whose first word was not recorded either
    /// (past `reader::MAX_LATER_NAMES`).
    pub names_lost: u64,
}

/// The APOP timestamp in a greeting text: the first `<...>` containing no
/// whitespace (RFC 1939 asks for a msg-id such as `<1896.697170952@host>`;
/// the `@` is not required here). Returned with its angle brackets.
pub fn apop_timestamp(greeting_text: &str) -> Option<String> {
    let mut rest = greeting_text;
    while let Some(start) = rest.find('<') {
        let cand = &rest[start..];
        let end = cand[1..].find(['<', '>']).map(|e| e + 1)?;
        let inner = &cand[1..end];
        if cand.as_bytes()[end] == b'>'
            && !inner.is_empty()
            && !inner.chars().any(char::is_whitespace)
        {
            return Some(cand[..=end].to_string());
        }
        rest = &cand[end..];
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_lines() {
        let s = parse_status(b"+OK POP3 ready <1.2@x>").unwrap();
        assert!(s.ok && s.exact && !s.over_rfc_limit);
        assert_eq!(s.text, "POP3 ready <1.2@x>");
        assert_eq!(s.raw_len, 22);
        assert_eq!(s.display(), "+OK POP3 ready <1.2@x>");

        let s = parse_status(b"+OK").unwrap();
        assert!(s.ok && s.exact && s.text.is_empty());

        let s = parse_status(b"-ERR [SYS/TEMP] try later").unwrap();
        assert!(!s.ok && s.exact);
        assert_eq!(s.code, Some(ResponseCode::SysTemp));
        assert_eq!(s.text, "[SYS/TEMP] try later");

        let s = parse_status(b"+ok fine").unwrap();
        assert!(s.ok && !s.exact);
        let s = parse_status(b"-ERR: nope").unwrap();
        assert!(!s.ok && !s.exact);

        let s = parse_status(b"+OK \x1b[2Jhi").unwrap();
        assert_eq!(s.text, "\\x1b[2Jhi");

        let long = [b"+OK ".as_slice(), &[b'a'; 600]].concat();
        assert!(parse_status(&long).unwrap().over_rfc_limit);

        assert!(matches!(
            parse_status(b"+OKAY"),
            Err(CodecError::NotPop3 { protocol: None, .. })
        ));
        assert!(matches!(parse_status(b""), Err(CodecError::NotPop3 { .. })));
        match parse_status(b"220 mx.example.com ESMTP") {
            Err(e @ CodecError::NotPop3 { .. }) => {
                let msg = e.to_string();
                assert!(msg.contains("SMTP or FTP"), "{msg}");
                assert!(msg.contains("+OK or -ERR"), "{msg}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn banners() {
        assert_eq!(
            identify_banner(b"220-smtp"),
            Some("an SMTP or FTP greeting")
        );
        assert_eq!(identify_banner(b"* OK IMAP4rev1"), Some("an IMAP greeting"));
        assert_eq!(identify_banner(b"* PREAUTH"), Some("an IMAP greeting"));
        assert_eq!(
            identify_banner(b"SSH-2.0-OpenSSH_9.6"),
            Some("an SSH banner")
        );
        assert_eq!(
            identify_banner(b"HTTP/1.1 400 Bad Request"),
            Some("an HTTP response")
        );
        assert_eq!(
            identify_banner(&[0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 0x0a]),
            Some("a TLS record: the port expects TLS from the first byte")
        );
        assert_eq!(
            identify_banner(&[0x16, 0x03]).map(|s| &s[..5]),
            Some("a TLS")
        );
        assert_eq!(identify_banner(b"+OK"), None);
        assert_eq!(identify_banner(b""), None);
        assert_eq!(identify_banner(&[0x16]), None);
    }

    #[test]
    fn response_codes() {
        assert_eq!(ResponseCode::parse("in-use"), ResponseCode::InUse);
        assert_eq!(ResponseCode::parse("SYS/PERM"), ResponseCode::SysPerm);
        assert_eq!(ResponseCode::parse("SYS/TEMP/DISK"), ResponseCode::SysTemp);
        assert_eq!(
            ResponseCode::parse("SYS/OTHER"),
            ResponseCode::Other("SYS/OTHER".into())
        );
        assert_eq!(ResponseCode::parse("LOGIN-DELAY"), ResponseCode::LoginDelay);
        assert_eq!(ResponseCode::parse("AUTH"), ResponseCode::Auth);
        assert_eq!(ResponseCode::parse("utf8"), ResponseCode::Utf8);
        assert_eq!(ResponseCode::SysTemp.to_string(), "[SYS/TEMP]");
        assert!(ResponseCode::InUse.explain().contains("another"));
        let s = parse_status(b"-ERR [AUTH] Authentication failed.").unwrap();
        assert_eq!(s.code, Some(ResponseCode::Auth));
        assert_eq!(parse_status(b"-ERR [] x").unwrap().code, None);
        assert_eq!(parse_status(b"-ERR [no close").unwrap().code, None);
        assert_eq!(parse_status(b"-ERR x [AUTH]").unwrap().code, None);
    }

    #[test]
    fn continuations() {
        assert_eq!(
            parse_continuation(b"+ PDE4OTY+"),
            Some(b"PDE4OTY+".as_slice())
        );
        assert_eq!(parse_continuation(b"+"), Some(b"".as_slice()));
        assert_eq!(parse_continuation(b"+ "), Some(b"".as_slice()));
        assert_eq!(parse_continuation(b"+OK"), None);
        assert_eq!(parse_continuation(b"-ERR"), None);
        assert_eq!(
            parse_reply(b"+ abc").unwrap(),
            Reply::Continuation(b"abc".to_vec())
        );
        assert!(matches!(parse_reply(b"+OK").unwrap(), Reply::Status(s) if s.ok));
    }
    #[test]
    fn apop_timestamps() {
        assert_eq!(
            apop_timestamp("POP3 server ready <1896.697170952@dbc.mtview.ca.us>").as_deref(),
            Some("<1896.697170952@dbc.mtview.ca.us>")
        );
        assert_eq!(
            apop_timestamp("ready <a b> then <x@y>").as_deref(),
            Some("<x@y>")
        );
        assert_eq!(apop_timestamp("x << <<1@2>> <").as_deref(), Some("<1@2>"));
        assert_eq!(apop_timestamp("Dovecot ready."), None);
        assert_eq!(apop_timestamp("<>"), None);
        assert_eq!(apop_timestamp("<unterminated"), None);
        assert_eq!(apop_timestamp("<no-at>").as_deref(), Some("<no-at>"));
    }
}
