//! A POP3 client session over any `AsyncRead + AsyncWrite` stream: sends
//! commands, reads bounded and timed replies, and records every line in the
//! transcript (secrets redacted at the source).
//!
//! The session survives the STLS upgrade: [`Session::into_inner`] hands back
//! the stream and any bytes the server sent too early, the caller runs the
//! TLS handshake and starts a new `Session` on the TLS stream.
//!
//! Every recorded line carries its [`LineKind`]: the session keeps the
//! commands sent and not yet answered in order, so each reply is attributed
//! to its own command even when several were pipelined in one write.

use std::collections::VecDeque;
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt};

#[cfg(test)]
use crate::pop3::capa::Capabilities;
use crate::pop3::reader::{CodecError, Limits, LineReader};
use crate::pop3::response::{
    MultiLine, Reply, StatusLine, apop_timestamp, parse_reply, parse_status,
};
use crate::transcript::{LineKind, NoteKind, Recorder, sanitize_str};

/// Lines of a multi-line body shown in the transcript before a summary note.
pub const SHOWN_BODY_LINES: usize = 40;

/// How long [`Session::quit`] waits for the reply to QUIT at most.
const QUIT_WAIT: Duration = Duration::from_secs(3);

/// A failed session step, with the operation it belonged to.
#[derive(Debug, thiserror::Error)]
pub enum Pop3Error {
    /// Reading or interpreting the server's reply failed.
    #[error("{error}")]
    Codec {
        /// The command or step, e.g. `CAPA` or `greeting` (never a secret).
        op: String,
        /// What went wrong.
        error: CodecError,
    },
    /// Sending to the server failed or timed out.
    #[error("{}", crate::i18n::t!("pop3-error-write", op = .op, error = .error.to_string()))]
    Write {
        /// The command being sent (never a secret).
        op: String,
        /// The I/O error (`TimedOut` when the server stopped accepting data).
        error: std::io::Error,
    },
    #[cfg_attr(not(test), allow(dead_code))] // built by command_ok, which tests use
    /// The server answered `-ERR` where `+OK` was needed.
    #[error("{}", crate::i18n::t!("pop3-error-refused", op = .op, status = .status.to_string()))]
    ErrResponse {
        /// The command that was refused (never a secret).
        op: String,
        /// The `-ERR` line.
        status: StatusLine,
    },
    /// The server's reply made no sense at this point, or the command could
    /// not be sent as asked.
    #[error("{op}: {detail}")]
    Protocol {
        /// The command or step.
        op: String,
        /// What was wrong, in words.
        detail: String,
    },
}

impl Pop3Error {
    #[cfg(test)]
    /// The command or step that failed.
    pub fn op(&self) -> &str {
        match self {
            Pop3Error::Codec { op, .. }
            | Pop3Error::Write { op, .. }
            | Pop3Error::ErrResponse { op, .. }
            | Pop3Error::Protocol { op, .. } => op,
        }
    }

    /// The underlying codec error, if any.
    pub fn codec(&self) -> Option<&CodecError> {
        match self {
            Pop3Error::Codec { error, .. } => Some(error),
            _ => None,
        }
    }

    /// Whether the server stopped answering (read or write timeout).
    pub fn is_timeout(&self) -> bool {
        match self {
            Pop3Error::Codec {
                error: CodecError::Timeout { .. },
                ..
            } => true,
            Pop3Error::Write { error, .. } => error.kind() == std::io::ErrorKind::TimedOut,
            _ => false,
        }
    }
}

/// The first word of a command, upper-cased (`RETR 1` → `RETR`).
fn verb_of(line: &str) -> String {
    line.split_whitespace()
        .next()
        .unwrap_or("")
        .to_ascii_uppercase()
}

/// A command line as it may appear in an error (sanitised, shortened).
fn op_of(line: &str) -> String {
    let s = sanitize_str(line);
    if s.chars().count() > 60 {
        let cut: String = s.chars().take(60).collect();
        format!("{cut}…")
    } else {
        s
    }
}

/// A POP3 client session. See the module documentation.
pub struct Session<S> {
    reader: LineReader<S>,
    recorder: Recorder,
    timeout: Duration,
    limits: Limits,
    round_trips: u32,
    /// Written since the last read: the next read is a round trip.
    wrote: bool,
    greeting: Option<StatusLine>,
    /// Verbs of the commands sent and not yet answered, oldest first.
    pending: VecDeque<String>,
    /// The verb of the command whose `+OK` was read last (its multi-line
    /// body, if any, comes next).
    answered: Option<String>,
    /// The last reply was a SASL challenge: client lines answer it.
    in_sasl: bool,
}

impl<S> std::fmt::Debug for Session<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("timeout", &self.timeout)
            .field("round_trips", &self.round_trips)
            .field("greeting", &self.greeting)
            .finish()
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin> Session<S> {
    /// A session on `stream`; every line goes to `recorder`; every read and
    /// write waits at most `timeout`; replies are bounded by `limits`.
    pub fn new(stream: S, recorder: Recorder, timeout: Duration, limits: Limits) -> Self {
        Session {
            reader: LineReader::new(stream, limits.max_line),
            recorder,
            timeout,
            limits,
            round_trips: 0,
            wrote: false,
            greeting: None,
            pending: VecDeque::new(),
            answered: None,
            in_sasl: false,
        }
    }

    /// The transcript recorder.
    pub fn recorder(&self) -> &Recorder {
        &self.recorder
    }

    #[cfg(test)]
    /// The per-step timeout.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// The APOP timestamp in the greeting, if any.
    pub fn apop_timestamp(&self) -> Option<String> {
        self.greeting.as_ref().and_then(|g| apop_timestamp(&g.text))
    }

    /// The stream (for inspection; writing to it bypasses the transcript).
    pub fn get_mut(&mut self) -> &mut S {
        self.reader.get_mut()
    }

    /// How many times the session waited for the server after writing
    /// (the greeting does not count; a pipeline counts once).
    pub fn round_trips(&self) -> u32 {
        self.round_trips
    }

    /// The stream and the bytes the server sent that were buffered but not
    /// consumed (after `+OK` to STLS such bytes are a finding: they would be
    /// mistaken for TLS data or injected into the TLS session).
    pub fn into_inner(self) -> (S, Vec<u8>) {
        self.reader.into_inner()
    }

    /// Hands the session to a new owner on the same connection (the login
    /// session continuing on a probe's connection): from now on its lines go
    /// to `recorder`, each step waits at most `timeout` and replies are
    /// bounded by `limits`. The greeting, the round-trip count and any bytes
    /// already buffered carry over.
    pub fn hand_over(mut self, recorder: Recorder, timeout: Duration, limits: Limits) -> Self {
        self.recorder = recorder;
        self.timeout = timeout;
        self.limits = limits;
        self
    }

    /// Carries the greeting of an earlier session on the same connection
    /// (after STLS), so APOP still sees its timestamp.
    pub fn with_greeting(mut self, greeting: StatusLine) -> Self {
        self.greeting = Some(greeting);
        self
    }

    /// Reads the greeting; returns it with the time from this call until it
    /// was complete. A `-ERR` greeting is returned, not an error.
    pub async fn read_greeting(&mut self) -> Result<(StatusLine, Duration), Pop3Error> {
        let start = Instant::now();
        let line = self
            .read_raw_as("greeting", &crate::pop3::reader::what_greeting())
            .await?;
        let status = match parse_status(&line) {
            Ok(status) => {
                self.recorder
                    .server_as(LineKind::Greeting { ok: status.ok }, &line);
                status
            }
            Err(error) => {
                self.recorder
                    .server_as(LineKind::NotPop3 { greeting: true }, &line);
                return Err(self.codec_error("greeting", error));
            }
        };
        let elapsed = start.elapsed();
        self.greeting = Some(status.clone());
        Ok((status, elapsed))
    }

    /// Sends one command line (CRLF is added) and records it. Right after a
    /// SASL challenge the line is recorded as the answer to it, not as a
    /// command.
    pub async fn send_line(&mut self, line: &str) -> Result<(), Pop3Error> {
        let op = op_of(line);
        check_line(line, &op)?;
        self.record_client(line);
        self.write(format!("{line}\r\n").as_bytes(), &op).await
    }

    /// Records a client line and, for a command, expects its reply.
    fn record_client(&mut self, line: &str) {
        if self.in_sasl {
            let kind = if line == "*" {
                LineKind::SaslCancel
            } else {
                LineKind::SaslResponse { redacted: false }
            };
            self.recorder.client_as(kind, line);
        } else {
            self.pending.push_back(verb_of(line));
            self.recorder.client(line);
        }
    }

    /// Sends a secret-bearing line; the transcript only shows
    /// `verb ********` (just `********` when `verb` is empty).
    pub async fn send_secret(&mut self, verb: &str, line: &str) -> Result<(), Pop3Error> {
        let op = if verb.is_empty() {
            "a secret response".to_string()
        } else {
            op_of(verb)
        };
        check_line(line, &op)?;
        if self.in_sasl || verb.is_empty() {
            self.recorder.client_redacted("");
        } else {
            self.pending.push_back(verb_of(verb));
            self.recorder.client_redacted(verb);
        }
        self.write(format!("{line}\r\n").as_bytes(), &op).await
    }

    /// Writes `bytes` in one write call, exactly as given (no CRLF added),
    /// recording the `shown` lines as client lines. Used for probes such as
    /// STARTTLS command injection (`STLS\r\nXPSI\r\n`).
    pub async fn send_raw(&mut self, bytes: &[u8], shown: &[&str]) -> Result<(), Pop3Error> {
        for line in shown {
            self.record_client(line);
        }
        let op = shown
            .first()
            .map(|s| op_of(s))
            .unwrap_or_else(|| "raw bytes".into());
        self.write(bytes, &op).await
    }

    /// Sends a command and reads its status line. `-ERR` is returned as a
    /// [`StatusLine`] with `ok == false`, not as an error.
    pub async fn command(&mut self, line: &str) -> Result<StatusLine, Pop3Error> {
        self.send_line(line).await?;
        let op = op_of(line);
        self.read_status_as(&op, &crate::pop3::reader::what_reply(&verb_of(line)))
            .await
    }

    #[cfg(test)]
    /// Like [`Session::command`], but `-ERR` is [`Pop3Error::ErrResponse`].
    pub async fn command_ok(&mut self, line: &str) -> Result<StatusLine, Pop3Error> {
        let status = self.command(line).await?;
        if status.ok {
            Ok(status)
        } else {
            Err(Pop3Error::ErrResponse {
                op: op_of(line),
                status,
            })
        }
    }

    /// Sends a secret-bearing command (recorded as `verb ********`) and
    /// reads its status line.
    pub async fn command_secret(
        &mut self,
        verb: &str,
        line: &str,
    ) -> Result<StatusLine, Pop3Error> {
        self.send_secret(verb, line).await?;
        let op = op_of(verb);
        self.read_status_as(&op, &crate::pop3::reader::what_reply(&verb_of(verb)))
            .await
    }

    /// Sends a command whose `+OK` reply carries a multi-line body (CAPA,
    /// LIST, UIDL, RETR, TOP) and reads both; the body is `None` on `-ERR`.
    pub async fn command_multiline(
        &mut self,
        line: &str,
    ) -> Result<(StatusLine, Option<MultiLine>), Pop3Error> {
        let status = self.command(line).await?;
        if !status.ok {
            return Ok((status, None));
        }
        let what = crate::pop3::reader::what_rest(&verb_of(line));
        let body = self.read_body_as(&op_of(line), &what).await?;
        Ok((status, Some(body)))
    }

    #[cfg(test)]
    /// Sends CAPA; `None` when the server answers `-ERR` (no CAPA support).
    pub async fn capa(&mut self) -> Result<Option<Capabilities>, Pop3Error> {
        let (_, body) = self.command_multiline("CAPA").await?;
        Ok(body.map(|b| Capabilities::from_multiline(&b)))
    }

    #[cfg(test)]
    /// Sends CAPA; on `+OK` returns the sanitised capability lines and how
    /// many body lines exceeded the RFC 2449 length limit, on `-ERR` the
    /// status line.
    pub async fn capa_lines(
        &mut self,
    ) -> Result<Result<(Vec<String>, usize), StatusLine>, Pop3Error> {
        let (status, body) = self.command_multiline("CAPA").await?;
        Ok(match body {
            Some(b) => Ok((Capabilities::from_multiline(&b).lines, b.over_rfc_limit)),
            None => Err(status),
        })
    }

    /// Sends STLS and reads the reply. After `+OK`, call
    /// [`Session::into_inner`] and start the TLS handshake.
    pub async fn stls(&mut self) -> Result<StatusLine, Pop3Error> {
        self.command("STLS").await
    }

    /// Reads one status line; `what` names the awaited reply in errors
    /// (e.g. `the reply to XPSI`). The transcript attributes it to the
    /// oldest command sent and not yet answered.
    pub async fn read_status(&mut self, what: &str) -> Result<StatusLine, Pop3Error> {
        self.read_status_as(what, what).await
    }

    /// Reads one status line waiting at most `timeout` (instead of the
    /// session's timeout), e.g. to check whether a second, unexpected reply
    /// follows.
    pub async fn read_status_within(
        &mut self,
        what: &str,
        timeout: Duration,
    ) -> Result<StatusLine, Pop3Error> {
        let saved = std::mem::replace(&mut self.timeout, timeout);
        let res = self.read_status_as(what, what).await;
        self.timeout = saved;
        res
    }

    /// Reads one reply that may be a SASL continuation (`+ <base64>`).
    pub async fn read_reply(&mut self, what: &str) -> Result<Reply, Pop3Error> {
        let line = self.read_raw_as(what, what).await?;
        match parse_reply(&line) {
            Ok(Reply::Continuation(payload)) => {
                self.in_sasl = true;
                self.recorder.server_as(LineKind::Challenge, &line);
                Ok(Reply::Continuation(payload))
            }
            Ok(Reply::Status(status)) => {
                let status = self.redact_status(status);
                self.record_status(&line, &status);
                Ok(Reply::Status(status))
            }
            Err(error) => {
                self.record_not_pop3(&line);
                Err(self.codec_error(what, error))
            }
        }
    }

    /// Same as [`Session::read_multiline_body`].
    pub async fn read_body(&mut self, what: &str) -> Result<MultiLine, Pop3Error> {
        self.read_body_as(what, what).await
    }

    #[cfg(test)]
    /// Sends all `cmds` in a single write (RFC 2449 PIPELINING), then reads
    /// the replies in order; `multiline[i]` says whether command `i` has a
    /// multi-line body after `+OK` (missing entries mean no). Do not pass
    /// secrets: the commands are recorded as sent.
    pub async fn pipeline(
        &mut self,
        cmds: &[&str],
        multiline: &[bool],
    ) -> Result<Vec<(StatusLine, Option<MultiLine>)>, Pop3Error> {
        let mut bytes = Vec::new();
        for cmd in cmds {
            check_line(cmd, &op_of(cmd))?;
            bytes.extend_from_slice(cmd.as_bytes());
            bytes.extend_from_slice(b"\r\n");
        }
        for cmd in cmds {
            self.record_client(cmd);
        }
        let op = format!("a pipeline of {} commands", cmds.len());
        self.write(&bytes, &op).await?;
        let mut out = Vec::with_capacity(cmds.len());
        for (i, cmd) in cmds.iter().enumerate() {
            let op = op_of(cmd);
            let verb = verb_of(cmd);
            let status = self
                .read_status_as(&op, &crate::pop3::reader::what_reply(&verb))
                .await?;
            let body = if status.ok && multiline.get(i).copied().unwrap_or(false) {
                let what = crate::pop3::reader::what_rest(&verb);
                Some(self.read_body_as(&op, &what).await?)
            } else {
                None
            };
            out.push((status, body));
        }
        Ok(out)
    }

    /// Sends QUIT and waits briefly for the reply. Never fails: problems are
    /// noted in the transcript and `None` is returned.
    pub async fn quit(&mut self) -> Option<StatusLine> {
        let saved = self.timeout;
        self.timeout = saved.min(QUIT_WAIT);
        let res = self.command("QUIT").await;
        self.timeout = saved;
        match res {
            Ok(status) => Some(status),
            Err(e) => {
                let kind = match e.codec() {
                    Some(CodecError::Closed { .. }) => NoteKind::Closed,
                    _ if e.is_timeout() => NoteKind::Timeout,
                    _ => NoteKind::Problem,
                };
                self.recorder.note_as(
                    kind,
                    &crate::i18n::t!("pop3-note-quit-unclean", error = e.to_string()),
                );
                None
            }
        }
    }

    async fn write(&mut self, bytes: &[u8], op: &str) -> Result<(), Pop3Error> {
        let timeout = self.timeout;
        let stream = self.reader.get_mut();
        let res = tokio::time::timeout(timeout, async {
            stream.write_all(bytes).await?;
            stream.flush().await
        })
        .await;
        let error = match res {
            Ok(Ok(())) => {
                self.wrote = true;
                return Ok(());
            }
            Ok(Err(e)) => e,
            Err(_) => std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                format!("the server accepted no data for {} ms", timeout.as_millis()),
            ),
        };
        let kind = match error.kind() {
            std::io::ErrorKind::TimedOut => NoteKind::Timeout,
            std::io::ErrorKind::BrokenPipe
            | std::io::ErrorKind::ConnectionReset
            | std::io::ErrorKind::ConnectionAborted => NoteKind::Closed,
            _ => NoteKind::Problem,
        };
        let err = Pop3Error::Write {
            op: op.to_string(),
            error,
        };
        self.recorder.note_as(kind, &err.to_string());
        Err(err)
    }

    fn count_round_trip(&mut self) {
        if self.wrote {
            self.round_trips += 1;
            self.wrote = false;
        }
    }

    /// Notes a codec error in the transcript and wraps it. Server text the
    /// error quotes (a fragment, a line that is not POP3) has the
    /// registered secrets redacted, as its message reaches reports.
    fn codec_error(&self, op: &str, mut error: CodecError) -> Pop3Error {
        if let CodecError::Closed { partial: text, .. } | CodecError::NotPop3 { line: text, .. } =
            &mut error
        {
            let lossy = String::from_utf8_lossy(text).into_owned();
            let redacted = self.recorder.redact(&lossy);
            if redacted != lossy {
                *text = redacted.into_bytes();
            }
        }
        if let CodecError::Closed { partial, .. } = &error
            && !partial.is_empty()
        {
            self.recorder.server_as(LineKind::Fragment, partial);
        }
        let kind = match &error {
            CodecError::Timeout { .. } => NoteKind::Timeout,
            CodecError::Closed { .. } => NoteKind::Closed,
            _ => NoteKind::Problem,
        };
        self.recorder.note_as(kind, &error.to_string());
        Pop3Error::Codec {
            op: op.to_string(),
            error,
        }
    }

    /// Reads one line without recording it (its kind depends on parsing).
    async fn read_raw_as(&mut self, op: &str, what: &str) -> Result<Vec<u8>, Pop3Error> {
        self.count_round_trip();
        match self.reader.read_line(self.timeout, what).await {
            Ok(line) => Ok(line),
            Err(error) => Err(self.codec_error(op, error)),
        }
    }

    /// The status line with every secret registered with the recorder
    /// ([`Recorder::add_secret`]) redacted from its text, so a server that
    /// echoes a password cannot pass it on to the checks and reports.
    fn redact_status(&self, mut status: StatusLine) -> StatusLine {
        status.text = self.recorder.redact(&status.text);
        status
    }

    /// Records a status line as the reply to the oldest unanswered command.
    fn record_status(&mut self, line: &[u8], status: &StatusLine) {
        let to = self.pending.pop_front();
        self.in_sasl = false;
        self.answered = if status.ok { to.clone() } else { None };
        self.recorder
            .server_as(LineKind::Reply { to, ok: status.ok }, line);
    }

    /// Records a line that should have been a status line; it still answers
    /// the oldest unanswered command.
    fn record_not_pop3(&mut self, line: &[u8]) {
        self.pending.pop_front();
        self.in_sasl = false;
        self.answered = None;
        self.recorder
            .server_as(LineKind::NotPop3 { greeting: false }, line);
    }

    async fn read_status_as(&mut self, op: &str, what: &str) -> Result<StatusLine, Pop3Error> {
        let line = self.read_raw_as(op, what).await?;
        match parse_status(&line) {
            Ok(status) => {
                let status = self.redact_status(status);
                self.record_status(&line, &status);
                Ok(status)
            }
            Err(error) => {
                self.record_not_pop3(&line);
                Err(self.codec_error(op, error))
            }
        }
    }

    async fn read_body_as(&mut self, op: &str, what: &str) -> Result<MultiLine, Pop3Error> {
        self.count_round_trip();
        let rec = self.recorder.clone();
        let of = self.answered.take();
        let kind = if of.as_deref() == Some("CAPA") {
            LineKind::Capability
        } else {
            LineKind::Body { of: of.clone() }
        };
        let mut shown = 0usize;
        let mut hidden_lines = 0u64;
        let mut hidden_bytes = 0u64;
        let res = self
            .reader
            .read_multiline(&self.limits, self.timeout, what, |line| {
                if line == b"." {
                    return;
                }
                if shown < SHOWN_BODY_LINES {
                    rec.server_as(kind.clone(), line);
                    shown += 1;
                } else {
                    hidden_lines += 1;
                    hidden_bytes += line.len() as u64 + 2;
                }
            })
            .await;
        if hidden_lines > 0 {
            rec.note_as(
                NoteKind::Omitted,
                &format!("… {hidden_lines} more lines ({hidden_bytes} bytes) not shown"),
            );
        }
        match res {
            Ok(ml) => {
                if ml.overlong > 0 {
                    rec.note_as(
                        NoteKind::Omitted,
                        &format!(
                            "{} lines longer than {} bytes were discarded",
                            ml.overlong, self.limits.max_line
                        ),
                    );
                }
                rec.server_as(LineKind::End { of }, b".");
                Ok(ml)
            }
            Err(error) => Err(self.codec_error(op, error)),
        }
    }
}

/// Refuses lines that would smuggle in a second command.
fn check_line(line: &str, op: &str) -> Result<(), Pop3Error> {
    if line.contains(['\r', '\n']) {
        Err(Pop3Error::Protocol {
            op: op.to_string(),
            detail:
                "the command contains a line break, which would send a second command; not sent"
                    .into(),
        })
    } else {
        Ok(())
    }
}

/// A scripted in-process POP3 peer for tests (this module, `auth`, `script`).
#[cfg(test)]
pub(crate) mod test_peer;

#[cfg(test)]
mod tests;
