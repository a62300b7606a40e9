//! Reading from a POP3 server, bounded and timed: the [`Limits`] applied to
//! everything a server sends, the [`LineReader`] (lines and dot-terminated
//! multi-line bodies), and [`CodecError`] with its messages.
//!
//! Everything here treats server input as hostile: no line is ever stored
//! beyond [`Limits::max_line`], no multi-line response keeps more than
//! [`Limits::max_lines`] / [`Limits::max_bytes`], and reading a response stops
//! for good after [`Limits::max_drain`] bytes.

use std::fmt;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt};
use tokio::time::Instant;

use crate::i18n::t;
use crate::pop3::response::{MultiLine, banner_words, identify_banner};
use crate::transcript::sanitize;

/// The RFC 2449 limit on a response line, CRLF included.
pub const RFC_LINE: usize = 512;

/// How many bytes one `read` call asks the underlying stream for.
const CHUNK: usize = 8 * 1024;

/// How many bytes of an over-long line are discarded in one
/// [`LineReader::read_line`] call before it gives up waiting for the line end.
const MAX_DISCARD_PER_CALL: u64 = 1024 * 1024;

/// How many bytes of the start of a discarded or unfinished line are kept
/// (for its first word and for messages).
pub const HEAD_KEPT: usize = 80;

/// How many first words of lines left out of [`MultiLine::head`] a
/// multi-line read records in [`MultiLine::later_names`].
pub const MAX_LATER_NAMES: usize = 1000;

/// How many bytes of one such first word are kept.
const MAX_NAME: usize = 64;

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
    #[error("{}", timeout_message(.what, *.after, *.received, .partial))]
    Timeout {
        /// What was awaited, e.g. `the greeting`.
        what: String,
        /// How long popscope waited.
        after: Duration,
        /// Bytes of an unfinished line held when the time ran out (0 when
        /// the server sent nothing at all).
        received: usize,
        /// The first bytes (at most [`HEAD_KEPT`]) of that unfinished line.
        partial: Vec<u8>,
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
    #[error("{}", too_long_message(*.limit, *.discarded, .head))]
    LineTooLong {
        /// The limit that was exceeded.
        limit: usize,
        /// Bytes discarded for this line so far.
        discarded: u64,
        /// The first bytes (at most [`HEAD_KEPT`]) of the line, so its first
        /// word is still known; empty for the later pieces of a line too
        /// long to discard in one call.
        head: Vec<u8>,
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
    #[error("{}", t!("pop3-error-response-too-large", bytes = *.bytes, lines = *.lines))]
    ResponseTooLarge {
        /// Lines read before giving up.
        lines: u64,
        /// Bytes read before giving up.
        bytes: u64,
    },
    /// A network error.
    #[error("{}", t!("pop3-error-network", error = .0.to_string()))]
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

/// Whether `bytes` start like a POP3 status line (`+OK` or `-ERR`).
pub fn starts_like_status(bytes: &[u8]) -> bool {
    let starts = |p: &[u8]| bytes.len() >= p.len() && bytes[..p.len()].eq_ignore_ascii_case(p);
    starts(b"+OK") || starts(b"-ERR")
}

/// The first whitespace-separated word of `line` (at most 64 bytes), with a
/// leading stuffing dot removed; `None` for a blank line.
pub fn first_word(line: &[u8]) -> Option<&[u8]> {
    let line = match line {
        [b'.', rest @ ..] if !rest.is_empty() => rest,
        _ => line,
    };
    let start = line.iter().position(|b| !b.is_ascii_whitespace())?;
    let rest = &line[start..];
    let end = rest
        .iter()
        .position(|b| b.is_ascii_whitespace())
        .unwrap_or(rest.len());
    Some(&rest[..end.min(MAX_NAME)])
}

fn too_long_message(limit: usize, discarded: u64, head: &[u8]) -> String {
    if starts_like_status(head) {
        t!(
            "pop3-error-too-long-status",
            head = preview(head),
            limit = limit,
            discarded = discarded,
            rfc = RFC_LINE
        )
    } else {
        t!(
            "pop3-error-too-long",
            limit = limit,
            discarded = discarded,
            rfc = RFC_LINE
        )
    }
}

/// What popscope waits for while reading the greeting (`what` of
/// [`CodecError::Timeout`] and [`CodecError::Closed`]).
pub fn what_greeting() -> String {
    t!("pop3-what-greeting")
}

/// What popscope waits for while reading the status line of `verb`'s reply.
pub fn what_reply(verb: &str) -> String {
    t!("pop3-what-reply", verb = verb)
}

/// What popscope waits for while reading the body of `verb`'s reply.
pub fn what_rest(verb: &str) -> String {
    t!("pop3-what-rest", verb = verb)
}

/// " (this looks like an SMTP or FTP greeting)" when `partial` is a known
/// banner, else nothing.
fn looks_like(partial: &[u8]) -> String {
    identify_banner(partial)
        .map(|p| t!("pop3-error-looks-like", protocol = banner_words(p)))
        .unwrap_or_default()
}

fn timeout_message(what: &str, after: Duration, received: usize, partial: &[u8]) -> String {
    let after = fmt_duration(after);
    if received == 0 {
        let id = if what == what_greeting() {
            "pop3-error-timeout-greeting"
        } else {
            "pop3-error-timeout-reply"
        };
        crate::i18n::tr(id, &[("after", after.into()), ("what", what.into())])
    } else if starts_like_status(partial) {
        t!(
            "pop3-error-timeout-unended",
            partial = preview(partial),
            received = received,
            after = after,
            what = what
        )
    } else {
        t!(
            "pop3-error-timeout-partial",
            partial = preview(partial),
            received = received,
            after = after,
            what = what
        ) + &looks_like(partial)
    }
}

fn closed_message(what: &str, partial: &[u8]) -> String {
    if partial.is_empty() {
        t!("pop3-error-closed", what = what)
    } else {
        t!(
            "pop3-error-closed-partial",
            what = what,
            received = partial.len(),
            partial = preview(partial)
        ) + &looks_like(partial)
    }
}

fn not_pop3_message(line: &[u8], protocol: Option<&'static str>) -> String {
    let line = preview(line);
    match protocol {
        Some(p) if p.starts_with("a TLS") => t!(
            "pop3-error-not-pop3-tls",
            line = line,
            protocol = banner_words(p)
        ),
        Some(p) => t!(
            "pop3-error-not-pop3-other",
            line = line,
            protocol = banner_words(p)
        ),
        None => t!("pop3-error-not-pop3", line = line),
    }
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

    #[cfg(test)]
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

    #[cfg(test)]
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
                    partial: self.buf[..self.buf.len().min(HEAD_KEPT)].to_vec(),
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
            self.discard_to_lf(0, Vec::new(), deadline, timeout, what)
                .await?;
        }
        loop {
            if let Some(pos) = self.buf[self.scanned..].iter().position(|&b| b == b'\n') {
                let end = self.scanned + pos;
                if end + 1 > self.max_line {
                    let discarded = (end + 1) as u64;
                    let head = self.buf[..end.min(HEAD_KEPT)].to_vec();
                    self.buf.drain(..=end);
                    self.scanned = 0;
                    return Err(CodecError::LineTooLong {
                        limit: self.max_line,
                        discarded,
                        head,
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
                let head = self.buf[..HEAD_KEPT.min(self.buf.len())].to_vec();
                self.buf.clear();
                self.scanned = 0;
                self.skipping = true;
                return self
                    .discard_to_lf(already, head, deadline, timeout, what)
                    .await;
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
    /// over-long line whose first bytes were `head`). Always ends in an
    /// error: `LineTooLong` when the line ended or the per-call discard
    /// budget ran out (then `skipping` stays set and the next call
    /// continues), or the read error.
    async fn discard_to_lf<T>(
        &mut self,
        mut discarded: u64,
        head: Vec<u8>,
        deadline: Instant,
        timeout: Duration,
        what: &str,
    ) -> Result<T, CodecError> {
        let limit = self.max_line;
        let mut head = Some(head);
        let mut too_long = |discarded| CodecError::LineTooLong {
            limit,
            discarded,
            head: head.take().unwrap_or_default(),
        };
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
    /// Of every line left out of [`MultiLine::head`] (over-long, or past the
    /// kept limits) the first word is still recorded, in
    /// [`MultiLine::later_names`] (at most [`MAX_LATER_NAMES`]; the lines
    /// past that are counted in [`MultiLine::names_lost`]): a long CAPA list
    /// cannot hide a capability such as `STLS` listed after its cut.
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
                Err(CodecError::LineTooLong {
                    discarded, head, ..
                }) => {
                    // an endless line is reported in pieces; its first piece
                    // carries its first bytes, and the line is counted once,
                    // when it finally ends
                    if !head.is_empty() {
                        note_later_name(&mut ml, &head);
                    }
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
                note_later_name(&mut ml, &line);
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

/// Records the first word of a line left out of `ml.head` (bounded).
fn note_later_name(ml: &mut MultiLine, line: &[u8]) {
    let Some(word) = first_word(line) else {
        return;
    };
    if ml.later_names.len() < MAX_LATER_NAMES {
        ml.later_names.push(word.to_vec());
    } else {
        ml.names_lost += 1;
    }
}

#[cfg(test)]
mod tests;
