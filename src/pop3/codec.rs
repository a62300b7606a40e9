//! The POP3 wire format, without sockets: a bounded, timed line reader,
//! `+OK`/`-ERR` status lines, RFC 2449/3206 response codes, multi-line
//! responses with dot-unstuffing, CAPA parsing, the APOP timestamp, and
//! plain-English explanations of every command for students.
//!
//! Everything here treats server input as hostile: no line is ever stored
//! beyond [`Limits::max_line`], no multi-line response keeps more than
//! [`Limits::max_lines`] / [`Limits::max_bytes`], and reading a response stops
//! for good after [`Limits::max_drain`] bytes.

use serde::Serialize;
use std::fmt;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt};
use tokio::time::Instant;

use crate::transcript::sanitize;

/// The RFC 2449 limit on a response line, CRLF included.
pub const RFC_LINE: usize = 512;

/// How many bytes one `read` call asks the underlying stream for.
const CHUNK: usize = 8 * 1024;

/// How many bytes of an over-long line are discarded in one
/// [`LineReader::read_line`] call before it gives up waiting for the line end.
const MAX_DISCARD_PER_CALL: u64 = 1024 * 1024;

/// Bounds applied to everything read from a server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Hard cap on one line, line ending included (default 64 KiB). Longer
    /// lines are discarded up to their line ending and reported as
    /// [`CodecError::LineTooLong`]; they are never stored.
    pub max_line: usize,
    /// The RFC 2449 limit, CRLF included (512). Longer lines are accepted up
    /// to `max_line` but flagged.
    pub rfc_line: usize,
    /// Lines of a multi-line response kept in [`MultiLine::head`]
    /// (default 1000); later lines are counted, then discarded.
    pub max_lines: usize,
    /// Bytes of a multi-line response kept in [`MultiLine::head`]
    /// (default 1 MiB); later lines are counted, then discarded.
    pub max_bytes: u64,
    /// Hard ceiling on the bytes read for one multi-line response
    /// (default 256 MiB). A response still going past it is abandoned with
    /// [`CodecError::ResponseTooLarge`] and the connection is unusable.
    pub max_drain: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_line: 64 * 1024,
            rfc_line: RFC_LINE,
            max_lines: 1000,
            max_bytes: 1024 * 1024,
            max_drain: 256 * 1024 * 1024,
        }
    }
}

/// What went wrong while reading or interpreting what the server sent.
#[derive(Debug, thiserror::Error)]
pub enum CodecError {
    /// The server did not complete a line in time.
    #[error("{}", timeout_message(.what, *.after, *.received))]
    Timeout {
        /// What was awaited, e.g. `the greeting`.
        what: String,
        /// How long popscope waited.
        after: Duration,
        /// Bytes of an unfinished line held when the time ran out (0 when
        /// the server sent nothing at all).
        received: usize,
    },
    /// The server closed the connection (end of stream).
    #[error("{}", closed_message(.what, .partial))]
    Closed {
        /// What was awaited when the connection closed.
        what: String,
        /// Bytes of an unfinished line received before the close.
        partial: Vec<u8>,
    },
    /// A line was longer than [`Limits::max_line`]; it was discarded.
    #[error(
        "the server sent a line longer than {limit} bytes ({discarded} bytes discarded); a POP3 line should be at most {RFC_LINE} bytes, so this is probably not a POP3 server or the data is corrupt"
    )]
    LineTooLong {
        /// The limit that was exceeded.
        limit: usize,
        /// Bytes discarded for this line so far.
        discarded: u64,
    },
    /// The line is not a POP3 status line.
    #[error("{}", not_pop3_message(.line, *.protocol))]
    NotPop3 {
        /// The line as received (bounded by [`Limits::max_line`]).
        line: Vec<u8>,
        /// The protocol the line looks like, when recognised.
        protocol: Option<&'static str>,
    },
    /// A multi-line response went on beyond [`Limits::max_drain`].
    #[error(
        "the server's multi-line response went past {bytes} bytes ({lines} lines) without ending; popscope stopped reading it and the connection cannot be used any further"
    )]
    ResponseTooLarge {
        /// Lines read before giving up.
        lines: u64,
        /// Bytes read before giving up.
        bytes: u64,
    },
    /// A network error.
    #[error("network error: {0}")]
    Io(#[from] std::io::Error),
}

/// `1.5 s`, `250 ms`.
fn fmt_duration(d: Duration) -> String {
    if d >= Duration::from_secs(1) {
        format!("{:.1} s", d.as_secs_f64())
    } else {
        format!("{} ms", d.as_millis())
    }
}

/// Up to 80 sanitised characters of `bytes`.
fn preview(bytes: &[u8]) -> String {
    let cut = &bytes[..bytes.len().min(80)];
    let mut s = sanitize(cut);
    if bytes.len() > cut.len() {
        s.push('…');
    }
    s
}

fn timeout_message(what: &str, after: Duration, received: usize) -> String {
    let after = fmt_duration(after);
    if received == 0 {
        format!(
            "the server sent nothing for {after} while popscope waited for {what}; {}",
            if what.contains("greeting") {
                "it may be overloaded, blocked by a firewall, or expecting TLS on this port"
            } else {
                "it may be overloaded or stalled (servers also delay their answers on purpose after a failed login)"
            }
        )
    } else {
        format!(
            "the server sent {received} bytes but no complete line within {after} while popscope waited for {what}; it may be stalled or sending something other than POP3"
        )
    }
}

fn closed_message(what: &str, partial: &[u8]) -> String {
    let mut s = format!("the server closed the connection while popscope waited for {what}");
    if !partial.is_empty() {
        s.push_str(&format!(
            "; it had sent {} bytes without a line ending: \"{}\"",
            partial.len(),
            preview(partial)
        ));
        if let Some(p) = identify_banner(partial) {
            s.push_str(&format!(" (this looks like {p})"));
        }
    }
    s
}

fn not_pop3_message(line: &[u8], protocol: Option<&'static str>) -> String {
    let mut s = format!(
        "the server's reply is not a POP3 status line (it should start with +OK or -ERR): \"{}\"",
        preview(line)
    );
    match protocol {
        Some(p) if p.starts_with("a TLS") => s.push_str(&format!("; this looks like {p}")),
        Some(p) => s.push_str(&format!(
            "; this looks like {p}, so the port probably belongs to another service"
        )),
        None => {}
    }
    s
}

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

    /// What the code means, in plain English, and what to do about it.
    pub fn explain(&self) -> &'static str {
        match self {
            ResponseCode::InUse => {
                "IN-USE: the mailbox is locked because another session (another mail client, phone or fetcher) is using it. Close the other client or wait until its session ends, then try again."
            }
            ResponseCode::LoginDelay => {
                "LOGIN-DELAY: the server only allows a login every few minutes and this one came too soon. Increase the mail client's check interval to at least the LOGIN-DELAY value shown in CAPA."
            }
            ResponseCode::SysTemp => {
                "SYS/TEMP: a temporary problem on the server (overload, storage or back end unavailable), not the user's fault. Try again later; if it persists, the mail administrator should check the server's logs."
            }
            ResponseCode::SysPerm => {
                "SYS/PERM: a permanent problem on the server side (for example the account is disabled or the mailbox is damaged). Retrying will not help; contact the mail administrator."
            }
            ResponseCode::Auth => {
                "AUTH: the server rejected the credentials (wrong user name or password, or this login method is not allowed for the account). Check the user name and password, and whether the provider requires an app password or OAuth."
            }
            ResponseCode::Utf8 => {
                "UTF8: the command needs UTF-8 mode, which must be switched on first with the UTF8 command (RFC 6856)."
            }
            ResponseCode::Other(_) => {
                "A response code popscope does not know; it is specific to this server. Look it up in the server's documentation."
            }
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

/// A multi-line response body (after its `+OK` line), bounded.
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
}

/// Reads lines from a stream through its own bounded buffer.
///
/// Lines end with CRLF or a bare LF (the ending is removed). A line longer
/// than the `max_line` given to [`LineReader::new`] is never stored: it is
/// discarded up to its LF and reported as [`CodecError::LineTooLong`].
pub struct LineReader<R> {
    inner: R,
    buf: Vec<u8>,
    /// Bytes of `buf` already scanned for LF.
    scanned: usize,
    max_line: usize,
    /// In the middle of discarding an over-long line.
    skipping: bool,
    chunk: Box<[u8]>,
}

impl<R> fmt::Debug for LineReader<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LineReader")
            .field("buffered", &self.buf.len())
            .field("max_line", &self.max_line)
            .finish()
    }
}

impl<R: AsyncRead + Unpin> LineReader<R> {
    /// Wraps `inner`; lines longer than `max_line` bytes (line ending
    /// included) are discarded. `max_line` is at least 16.
    pub fn new(inner: R, max_line: usize) -> Self {
        LineReader {
            inner,
            buf: Vec::new(),
            scanned: 0,
            max_line: max_line.max(16),
            skipping: false,
            chunk: vec![0; CHUNK].into_boxed_slice(),
        }
    }

    /// Bytes received but not yet returned as lines.
    pub fn buffered(&self) -> &[u8] {
        &self.buf
    }

    /// The underlying stream (for writing to it).
    pub fn get_mut(&mut self) -> &mut R {
        &mut self.inner
    }

    /// The underlying stream and the bytes received but not yet consumed.
    pub fn into_inner(self) -> (R, Vec<u8>) {
        (self.inner, self.buf)
    }

    /// Capacity of the internal buffer (for tests of memory bounds).
    pub fn buffer_capacity(&self) -> usize {
        self.buf.capacity()
    }

    /// Reads one line, without its line ending.
    ///
    /// `timeout` bounds the whole line (a server dripping one byte at a time
    /// cannot hold popscope longer). `what` names what is awaited in errors.
    pub async fn read_line(
        &mut self,
        timeout: Duration,
        what: &str,
    ) -> Result<Vec<u8>, CodecError> {
        self.read_raw(timeout, what).await
    }

    /// Appends `n` bytes from the chunk buffer, growing the buffer at most to
    /// `max_line + CHUNK` bytes (it never holds more than that).
    fn append(&mut self, n: usize) {
        let needed = self.buf.len() + n;
        if needed > self.buf.capacity() {
            let cap = (2 * self.buf.capacity())
                .max(needed)
                .min(self.max_line + CHUNK)
                .max(needed);
            self.buf.reserve_exact(cap - self.buf.len());
        }
        self.buf.extend_from_slice(&self.chunk[..n]);
    }

    async fn fill(
        &mut self,
        deadline: Instant,
        timeout: Duration,
        what: &str,
    ) -> Result<usize, CodecError> {
        let n = match tokio::time::timeout_at(deadline, self.inner.read(&mut self.chunk)).await {
            Err(_) => {
                return Err(CodecError::Timeout {
                    what: what.to_string(),
                    after: timeout,
                    received: self.buf.len(),
                });
            }
            // A TLS peer that closes without close_notify, or a reset, is
            // reported like any other close (with what was awaited).
            Ok(Err(e))
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::UnexpectedEof
                        | std::io::ErrorKind::ConnectionReset
                        | std::io::ErrorKind::ConnectionAborted
                ) =>
            {
                0
            }
            Ok(r) => r?,
        };
        Ok(n)
    }

    async fn read_raw(&mut self, timeout: Duration, what: &str) -> Result<Vec<u8>, CodecError> {
        let deadline = Instant::now() + timeout;
        if self.skipping {
            self.discard_to_lf(0, deadline, timeout, what).await?;
        }
        loop {
            if let Some(pos) = self.buf[self.scanned..].iter().position(|&b| b == b'\n') {
                let end = self.scanned + pos;
                if end + 1 > self.max_line {
                    let discarded = (end + 1) as u64;
                    self.buf.drain(..=end);
                    self.scanned = 0;
                    return Err(CodecError::LineTooLong {
                        limit: self.max_line,
                        discarded,
                    });
                }
                let mut line: Vec<u8> = self.buf.drain(..=end).collect();
                line.pop();
                if line.last() == Some(&b'\r') {
                    line.pop();
                }
                self.scanned = 0;
                return Ok(line);
            }
            self.scanned = self.buf.len();
            if self.buf.len() >= self.max_line {
                let already = self.buf.len() as u64;
                self.buf.clear();
                self.scanned = 0;
                self.skipping = true;
                return self.discard_to_lf(already, deadline, timeout, what).await;
            }
            let n = self.fill(deadline, timeout, what).await?;
            if n == 0 {
                self.scanned = 0;
                return Err(CodecError::Closed {
                    what: what.to_string(),
                    partial: std::mem::take(&mut self.buf),
                });
            }
            self.append(n);
        }
    }

    /// Discards bytes up to and including the next LF (the rest of an
    /// over-long line). Always ends in an error: `LineTooLong` when the line
    /// ended or the per-call discard budget ran out (then `skipping` stays
    /// set and the next call continues), or the read error.
    async fn discard_to_lf<T>(
        &mut self,
        mut discarded: u64,
        deadline: Instant,
        timeout: Duration,
        what: &str,
    ) -> Result<T, CodecError> {
        let limit = self.max_line;
        let too_long = |discarded| CodecError::LineTooLong { limit, discarded };
        loop {
            if let Some(pos) = self.buf.iter().position(|&b| b == b'\n') {
                discarded += pos as u64 + 1;
                self.buf.drain(..=pos);
                self.scanned = 0;
                self.skipping = false;
                return Err(too_long(discarded));
            }
            discarded += self.buf.len() as u64;
            self.buf.clear();
            self.scanned = 0;
            if discarded >= MAX_DISCARD_PER_CALL {
                return Err(too_long(discarded));
            }
            let n = self.fill(deadline, timeout, what).await?;
            if n == 0 {
                self.skipping = false;
                return Err(CodecError::Closed {
                    what: what.to_string(),
                    partial: Vec::new(),
                });
            }
            self.append(n);
        }
    }

    /// Reads a multi-line body up to the line that is exactly `.`.
    ///
    /// Lines are dot-unstuffed (`..x` becomes `.x`; a line such as `.x` is
    /// not an end and becomes `x`). The first lines are kept within
    /// `limits.max_lines`/`limits.max_bytes`; the rest are read, counted and
    /// discarded so the connection stays usable, up to `limits.max_drain`
    /// bytes, beyond which [`CodecError::ResponseTooLarge`] is returned.
    /// Lines over `max_line` are discarded and counted in
    /// [`MultiLine::overlong`].
    ///
    /// `timeout` applies to each line. `on_line` sees every line as it was on
    /// the wire (before unstuffing, without line ending), the final `.`
    /// included; over-long lines are not passed to it.
    pub async fn read_multiline(
        &mut self,
        limits: &Limits,
        timeout: Duration,
        what: &str,
        mut on_line: impl FnMut(&[u8]),
    ) -> Result<MultiLine, CodecError> {
        let mut ml = MultiLine::default();
        let mut kept_bytes: u64 = 0;
        let mut wire: u64 = 0;
        loop {
            let line = match self.read_raw(timeout, what).await {
                Ok(line) => line,
                Err(CodecError::LineTooLong { discarded, .. }) => {
                    // an endless line is reported in pieces; count the line
                    // once, when it finally ends
                    wire += discarded;
                    ml.total_bytes += discarded;
                    ml.truncated = true;
                    if !self.skipping {
                        ml.total_lines += 1;
                        ml.overlong += 1;
                        ml.over_rfc_limit += 1;
                    }
                    if wire > limits.max_drain {
                        return Err(CodecError::ResponseTooLarge {
                            lines: ml.total_lines,
                            bytes: wire,
                        });
                    }
                    continue;
                }
                Err(e) => return Err(e),
            };
            wire += line.len() as u64 + 2;
            on_line(&line);
            if line == b"." {
                return Ok(ml);
            }
            let body: &[u8] = line.strip_prefix(b".").unwrap_or(&line);
            ml.total_lines += 1;
            ml.total_bytes += body.len() as u64 + 2;
            if line.len() + 2 > limits.rfc_line {
                ml.over_rfc_limit += 1;
            }
            if !ml.truncated
                && ml.head.len() < limits.max_lines
                && kept_bytes + body.len() as u64 <= limits.max_bytes
            {
                kept_bytes += body.len() as u64;
                ml.head.push(body.to_vec());
            } else {
                ml.truncated = true;
            }
            if wire > limits.max_drain {
                return Err(CodecError::ResponseTooLarge {
                    lines: ml.total_lines,
                    bytes: wire,
                });
            }
        }
    }
}

/// A value of a CAPA policy capability (`LOGIN-DELAY`, `EXPIRE`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PolicyValue {
    /// `NEVER` (only meaningful for `EXPIRE`).
    Never,
    /// A number: seconds for `LOGIN-DELAY`, days for `EXPIRE`.
    Number(u64),
    /// Missing or not understood (sanitised as sent).
    Invalid(String),
}

/// A CAPA policy (`LOGIN-DELAY 900 USER`, `EXPIRE NEVER`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Policy {
    /// The value.
    pub value: PolicyValue,
    /// Trailing `USER`: the value may differ per user after login.
    pub per_user: bool,
}

/// The capabilities a server announced in its CAPA response (RFC 2449).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Capabilities {
    /// The capability lines, sanitised, in the order sent.
    pub lines: Vec<String>,
}

/// What changed between two CAPA responses (typically before and after STLS).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CapaDiff {
    /// Capabilities (keyword and arguments) only in the second response.
    pub added: Vec<String>,
    /// Capabilities (keyword and arguments) only in the first response.
    pub removed: Vec<String>,
}

impl Capabilities {
    /// Builds from the body lines of a CAPA response (already unstuffed).
    pub fn from_lines<L: AsRef<[u8]>>(lines: &[L]) -> Self {
        Capabilities {
            lines: lines
                .iter()
                .map(|l| sanitize(l.as_ref()).trim().to_string())
                .filter(|l| !l.is_empty())
                .collect(),
        }
    }

    /// Builds from a multi-line CAPA body.
    pub fn from_multiline(ml: &MultiLine) -> Self {
        Self::from_lines(&ml.head)
    }

    /// The arguments of the first line whose keyword is `keyword`
    /// (case-insensitive), or `None` when not announced.
    pub fn args(&self, keyword: &str) -> Option<Vec<&str>> {
        self.lines.iter().find_map(|l| {
            let mut words = l.split_whitespace();
            let kw = words.next()?;
            kw.eq_ignore_ascii_case(keyword).then(|| words.collect())
        })
    }

    /// Whether `keyword` was announced (case-insensitive).
    pub fn has(&self, keyword: &str) -> bool {
        self.args(keyword).is_some()
    }

    /// `STLS`: STARTTLS is available (RFC 2595).
    pub fn stls(&self) -> bool {
        self.has("STLS")
    }

    /// `USER`: USER/PASS login is allowed on this connection.
    pub fn user(&self) -> bool {
        self.has("USER")
    }

    /// `SASL`: the offered SASL mechanisms, upper-cased.
    pub fn sasl(&self) -> Vec<String> {
        self.args("SASL")
            .unwrap_or_default()
            .into_iter()
            .map(|m| m.to_ascii_uppercase())
            .collect()
    }

    /// `PIPELINING`: commands may be sent without waiting for each reply.
    pub fn pipelining(&self) -> bool {
        self.has("PIPELINING")
    }

    /// `IMPLEMENTATION`: the server software, as announced.
    pub fn implementation(&self) -> Option<String> {
        self.args("IMPLEMENTATION").map(|a| a.join(" "))
    }

    /// `LOGIN-DELAY`: minimum seconds between logins.
    pub fn login_delay(&self) -> Option<Policy> {
        self.policy("LOGIN-DELAY")
    }

    /// `EXPIRE`: days the server keeps messages after retrieval.
    pub fn expire(&self) -> Option<Policy> {
        self.policy("EXPIRE")
    }

    fn policy(&self, keyword: &str) -> Option<Policy> {
        let args = self.args(keyword)?;
        let value = match args.first() {
            Some(v) if v.eq_ignore_ascii_case("NEVER") => PolicyValue::Never,
            Some(v) => v
                .parse()
                .map(PolicyValue::Number)
                .unwrap_or_else(|_| PolicyValue::Invalid((*v).to_string())),
            None => PolicyValue::Invalid(String::new()),
        };
        let per_user = args.get(1).is_some_and(|u| u.eq_ignore_ascii_case("USER"));
        Some(Policy { value, per_user })
    }

    /// `TOP`: the TOP command is available.
    pub fn top(&self) -> bool {
        self.has("TOP")
    }

    /// `UIDL`: unique message ids are available.
    pub fn uidl(&self) -> bool {
        self.has("UIDL")
    }

    /// `RESP-CODES`: `-ERR` replies carry `[CODE]`s (RFC 2449).
    pub fn resp_codes(&self) -> bool {
        self.has("RESP-CODES")
    }

    /// `AUTH-RESP-CODE`: login failures carry `[AUTH]` (RFC 3206).
    pub fn auth_resp_code(&self) -> bool {
        self.has("AUTH-RESP-CODE")
    }

    /// Normalised form used to compare: upper-cased keyword, arguments
    /// separated by one space (SASL mechanisms upper-cased and sorted).
    fn normalised(&self) -> Vec<String> {
        self.lines
            .iter()
            .filter_map(|l| {
                let mut words = l.split_whitespace();
                let kw = words.next()?.to_ascii_uppercase();
                let mut args: Vec<String> = words.map(str::to_string).collect();
                if kw == "SASL" {
                    args.iter_mut().for_each(|a| *a = a.to_ascii_uppercase());
                    args.sort();
                }
                Some(
                    std::iter::once(kw)
                        .chain(args)
                        .collect::<Vec<_>>()
                        .join(" "),
                )
            })
            .collect()
    }

    /// What changed from `before` to `after`, keyword and arguments compared
    /// (keywords case-insensitively).
    pub fn diff(before: &Capabilities, after: &Capabilities) -> CapaDiff {
        let b = before.normalised();
        let a = after.normalised();
        CapaDiff {
            added: a.iter().filter(|x| !b.contains(x)).cloned().collect(),
            removed: b.iter().filter(|x| !a.contains(x)).cloned().collect(),
        }
    }
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

/// One sentence on what a POP3 command does, for students. `verb` is
/// case-insensitive; `GREETING` explains the server's first line.
pub fn explain_command(verb: &str) -> &'static str {
    match verb.trim().to_ascii_uppercase().as_str() {
        "GREETING" | "" => {
            "The greeting is the first line the server sends after the connection opens; +OK means it is ready, and a <...> stamp in it allows APOP login."
        }
        "USER" => "USER names the mailbox to log in to; the password follows with PASS.",
        "PASS" => {
            "PASS sends the password for the mailbox named by USER, in clear text unless the connection is protected by TLS."
        }
        "APOP" => {
            "APOP logs in with the user name and an MD5 digest of the greeting's timestamp plus the password, so the password itself is not sent."
        }
        "STAT" => {
            "STAT asks for the number of messages in the mailbox and their total size in octets."
        }
        "LIST" => "LIST shows the size of each message (or of one message when given a number).",
        "RETR" => "RETR downloads the complete message with the given number.",
        "DELE" => {
            "DELE marks a message for deletion; the server deletes it only when the session ends with QUIT."
        }
        "NOOP" => {
            "NOOP does nothing except get a +OK, which keeps the connection alive or tests that it still works."
        }
        "RSET" => "RSET un-marks every message marked for deletion in this session.",
        "QUIT" => {
            "QUIT ends the session; after a login it also makes the server delete the messages marked with DELE."
        }
        "TOP" => {
            "TOP downloads a message's headers and the first given number of body lines, without marking it as read."
        }
        "UIDL" => {
            "UIDL shows each message's unique id, which stays the same across sessions so clients can tell which mail they already have."
        }
        "CAPA" => {
            "CAPA asks the server to list its capabilities (STLS, SASL mechanisms, TOP, UIDL, PIPELINING, ...), one per line (RFC 2449)."
        }
        "STLS" => {
            "STLS asks the server to switch the connection to TLS before logging in (RFC 2595); after +OK the TLS handshake starts."
        }
        "AUTH" => {
            "AUTH logs in with a SASL mechanism such as PLAIN, LOGIN, CRAM-MD5 or XOAUTH2, exchanging base64 messages (RFC 5034)."
        }
        "UTF8" => {
            "UTF8 switches the session to UTF-8 user names, passwords and messages (RFC 6856)."
        }
        "LANG" => {
            "LANG lists or chooses the language of the server's human-readable replies (RFC 6856)."
        }
        "LAST" => {
            "LAST is an obsolete command (RFC 1460) that returned the highest message number accessed."
        }
        _ => "This is not a standard POP3 command; the server will normally answer -ERR.",
    }
}

/// A sentence or two on what a reply to `verb` means, for students,
/// including the meaning of its response code.
pub fn explain_response(verb: &str, status: &StatusLine) -> String {
    let verb = verb.trim().to_ascii_uppercase();
    let base = match (verb.as_str(), status.ok) {
        ("GREETING" | "", true) => "The server is ready and waiting for commands.",
        ("GREETING" | "", false) => {
            "The server refuses this connection (often because it is busy or the client is blocked)."
        }
        ("USER", true) => {
            "The server accepted the user name and now expects PASS (this does not prove the mailbox exists)."
        }
        ("USER", false) => {
            "The server refused USER: plain-text login may be disabled on this connection (try STLS first) or the name is wrong."
        }
        ("PASS" | "APOP" | "AUTH", true) => "Login succeeded and the mailbox is open.",
        ("PASS" | "APOP" | "AUTH", false) => {
            "Login failed: wrong credentials, a login method the account may not use, or a locked or unavailable mailbox."
        }
        ("STLS", true) => {
            "The server agreed to start TLS; the TLS handshake must follow immediately."
        }
        ("STLS", false) => "The server refused to start TLS on this connection.",
        ("CAPA", true) => "The capability list follows, ending with a line containing only a dot.",
        ("CAPA", false) => {
            "The server does not support CAPA (a pre-1998 server), so its features must be guessed."
        }
        ("RETR" | "TOP" | "LIST" | "UIDL", true) => "The requested data follows.",
        ("QUIT", true) => {
            "The server closed the session (and deleted any messages marked with DELE)."
        }
        (_, true) => "The command succeeded.",
        (_, false) => "The command failed.",
    };
    match &status.code {
        Some(code) => format!("{base} {}", code.explain()),
        None => base.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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
        assert!(
            msg.contains("sent 7 bytes but no complete line within 50 ms"),
            "{msg}"
        );
        // the partial line is kept; the rest completes it
        w.write_all(b"f\r\n").await.unwrap();
        assert_eq!(r.read_line(T, "x").await.unwrap(), b"+OK half");
        drop(w);
    }

    #[tokio::test]
    async fn slow_drip_is_bounded_by_the_line_timeout() {
        let mut trickle = Trickle::new(b"+OK");
        trickle.hang_at_end = true;
        let mut r = LineReader::new(trickle, 1024);
        let started = std::time::Instant::now();
        let res = r.read_line(Duration::from_millis(50), "x").await;
        assert!(matches!(res, Err(CodecError::Timeout { .. })));
        assert!(started.elapsed() < Duration::from_secs(2));
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
    async fn capa_with_dots_in_lines() {
        let data = wire(&[
            "TOP",
            "IMPLEMENTATION Dovecot v2.3.21.1",
            "SASL PLAIN login",
            "EXPIRE 31 USER",
            ".",
        ]);
        let mut r = LineReader::new(&data[..], 1024);
        let ml = r
            .read_multiline(&Limits::default(), T, "x", |_| {})
            .await
            .unwrap();
        let caps = Capabilities::from_multiline(&ml);
        assert!(caps.top() && !caps.uidl() && !caps.stls());
        assert_eq!(caps.implementation().as_deref(), Some("Dovecot v2.3.21.1"));
        assert_eq!(caps.sasl(), ["PLAIN", "LOGIN"]);
        assert_eq!(
            caps.expire(),
            Some(Policy {
                value: PolicyValue::Number(31),
                per_user: true
            })
        );
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

    #[test]
    fn capabilities_helpers_and_diff() {
        let before = Capabilities::from_lines(&[
            "CAPA",
            "TOP",
            "UIDL",
            "STLS",
            "RESP-CODES",
            "PIPELINING",
            "LOGIN-DELAY 900",
            "  ",
        ]);
        let after = Capabilities::from_lines(&[
            "capa",
            "TOP",
            "UIDL",
            "USER",
            "SASL plain CRAM-MD5",
            "RESP-CODES",
            "AUTH-RESP-CODE",
            "PIPELINING",
            "LOGIN-DELAY 900  USER",
            "EXPIRE NEVER",
        ]);
        assert_eq!(before.lines.len(), 7);
        assert!(before.stls() && before.pipelining() && before.resp_codes() && !before.user());
        assert!(after.has("Capa") && after.user() && after.auth_resp_code() && !after.stls());
        assert_eq!(after.sasl(), ["PLAIN", "CRAM-MD5"]);
        assert!(before.sasl().is_empty());
        assert_eq!(
            before.login_delay().unwrap().value,
            PolicyValue::Number(900)
        );
        assert!(!before.login_delay().unwrap().per_user);
        assert!(after.login_delay().unwrap().per_user);
        assert_eq!(after.expire().unwrap().value, PolicyValue::Never);
        assert_eq!(before.expire(), None);
        assert_eq!(before.implementation(), None);
        let bad = Capabilities::from_lines(&["EXPIRE soon"]);
        assert_eq!(
            bad.expire().unwrap().value,
            PolicyValue::Invalid("soon".into())
        );

        let d = Capabilities::diff(&before, &after);
        assert_eq!(d.removed, ["STLS", "LOGIN-DELAY 900"]);
        assert_eq!(
            d.added,
            [
                "USER",
                "SASL CRAM-MD5 PLAIN",
                "AUTH-RESP-CODE",
                "LOGIN-DELAY 900 USER",
                "EXPIRE NEVER"
            ]
        );
        assert_eq!(Capabilities::diff(&after, &after), CapaDiff::default());
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

    #[test]
    fn explanations_cover_every_command() {
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
    }
}
