//! A POP3 client session over any `AsyncRead + AsyncWrite` stream: sends
//! commands, reads bounded and timed replies, and records every line in the
//! transcript (secrets redacted at the source).
//!
//! The session survives the STLS upgrade: [`Session::into_inner`] hands back
//! the stream and any bytes the server sent too early, the caller runs the
//! TLS handshake and starts a new `Session` on the TLS stream.

use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt};

use crate::pop3::capa::Capabilities;
use crate::pop3::reader::{CodecError, Limits, LineReader};
use crate::pop3::response::{
    MultiLine, Reply, StatusLine, apop_timestamp, parse_reply, parse_status,
};
use crate::transcript::{Recorder, sanitize_str};

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
    #[error("could not send {op} to the server: {error}")]
    Write {
        /// The command being sent (never a secret).
        op: String,
        /// The I/O error (`TimedOut` when the server stopped accepting data).
        error: std::io::Error,
    },
    /// The server answered `-ERR` where `+OK` was needed.
    #[error("the server refused {op}: {status}")]
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
        }
    }

    /// Starts the round-trip counter at `n` (to carry it across an STLS
    /// upgrade, which starts a new session).
    pub fn with_round_trips(mut self, n: u32) -> Self {
        self.round_trips = n;
        self
    }

    /// The transcript recorder.
    pub fn recorder(&self) -> &Recorder {
        &self.recorder
    }

    /// The per-step timeout.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// Changes the per-step timeout.
    pub fn set_timeout(&mut self, timeout: Duration) {
        self.timeout = timeout;
    }

    /// The reply limits.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// The greeting, once [`Session::read_greeting`] has read it.
    pub fn greeting(&self) -> Option<&StatusLine> {
        self.greeting.as_ref()
    }

    /// The APOP timestamp in the greeting, if any.
    pub fn apop_timestamp(&self) -> Option<String> {
        self.greeting.as_ref().and_then(|g| apop_timestamp(&g.text))
    }

    /// Bytes received but not yet read as lines.
    pub fn buffered(&self) -> &[u8] {
        self.reader.buffered()
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
        let status = self.read_status_as("greeting", "the greeting").await?;
        let elapsed = start.elapsed();
        self.greeting = Some(status.clone());
        Ok((status, elapsed))
    }

    /// Sends one command line (CRLF is added) and records it.
    pub async fn send_line(&mut self, line: &str) -> Result<(), Pop3Error> {
        let op = op_of(line);
        check_line(line, &op)?;
        self.recorder.client(line);
        self.write(format!("{line}\r\n").as_bytes(), &op).await
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
        self.recorder.client_redacted(verb);
        self.write(format!("{line}\r\n").as_bytes(), &op).await
    }

    /// Writes `bytes` in one write call, exactly as given (no CRLF added),
    /// recording the `shown` lines as client lines. Used for probes such as
    /// STARTTLS command injection (`STLS\r\nXPSI\r\n`).
    pub async fn send_raw(&mut self, bytes: &[u8], shown: &[&str]) -> Result<(), Pop3Error> {
        for line in shown {
            self.recorder.client(line);
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
        self.read_status_as(&op, &format!("the reply to {}", verb_of(line)))
            .await
    }

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
        self.read_status_as(&op, &format!("the reply to {}", verb_of(verb)))
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
        let what = format!("the rest of the reply to {}", verb_of(line));
        let body = self.read_body_as(&op_of(line), &what).await?;
        Ok((status, Some(body)))
    }

    /// Sends CAPA; `None` when the server answers `-ERR` (no CAPA support).
    pub async fn capa(&mut self) -> Result<Option<Capabilities>, Pop3Error> {
        let (_, body) = self.command_multiline("CAPA").await?;
        Ok(body.map(|b| Capabilities::from_multiline(&b)))
    }

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
    /// (e.g. `the reply to XPSI`).
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
        let line = self.read_line_as(what, what).await?;
        parse_reply(&line).map_err(|error| self.codec_error(what, error))
    }

    /// Reads a multi-line body (after its `+OK`), bounded by the limits.
    /// The transcript shows the first [`SHOWN_BODY_LINES`] lines, then a note
    /// counting the rest.
    pub async fn read_multiline_body(&mut self, what: &str) -> Result<MultiLine, Pop3Error> {
        self.read_body_as(what, what).await
    }

    /// Same as [`Session::read_multiline_body`].
    pub async fn read_body(&mut self, what: &str) -> Result<MultiLine, Pop3Error> {
        self.read_body_as(what, what).await
    }

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
            self.recorder.client(cmd);
        }
        let op = format!("a pipeline of {} commands", cmds.len());
        self.write(&bytes, &op).await?;
        let mut out = Vec::with_capacity(cmds.len());
        for (i, cmd) in cmds.iter().enumerate() {
            let op = op_of(cmd);
            let verb = verb_of(cmd);
            let status = self
                .read_status_as(&op, &format!("the reply to {verb}"))
                .await?;
            let body = if status.ok && multiline.get(i).copied().unwrap_or(false) {
                let what = format!("the rest of the reply to {verb}");
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
                self.recorder
                    .note(&format!("QUIT was not answered cleanly: {e}"));
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
        let err = Pop3Error::Write {
            op: op.to_string(),
            error,
        };
        self.recorder.note(&err.to_string());
        Err(err)
    }

    fn count_round_trip(&mut self) {
        if self.wrote {
            self.round_trips += 1;
            self.wrote = false;
        }
    }

    /// Notes a codec error in the transcript and wraps it.
    fn codec_error(&self, op: &str, error: CodecError) -> Pop3Error {
        if let CodecError::Closed { partial, .. } = &error
            && !partial.is_empty()
        {
            self.recorder.server(partial);
        }
        self.recorder.note(&error.to_string());
        Pop3Error::Codec {
            op: op.to_string(),
            error,
        }
    }

    async fn read_line_as(&mut self, op: &str, what: &str) -> Result<Vec<u8>, Pop3Error> {
        self.count_round_trip();
        match self.reader.read_line(self.timeout, what).await {
            Ok(line) => {
                self.recorder.server(&line);
                Ok(line)
            }
            Err(error) => Err(self.codec_error(op, error)),
        }
    }

    async fn read_status_as(&mut self, op: &str, what: &str) -> Result<StatusLine, Pop3Error> {
        let line = self.read_line_as(op, what).await?;
        parse_status(&line).map_err(|error| self.codec_error(op, error))
    }

    async fn read_body_as(&mut self, op: &str, what: &str) -> Result<MultiLine, Pop3Error> {
        self.count_round_trip();
        let rec = self.recorder.clone();
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
                    rec.server(line);
                    shown += 1;
                } else {
                    hidden_lines += 1;
                    hidden_bytes += line.len() as u64 + 2;
                }
            })
            .await;
        if hidden_lines > 0 {
            rec.note(&format!(
                "… {hidden_lines} more lines ({hidden_bytes} bytes) not shown"
            ));
        }
        match res {
            Ok(ml) => {
                if ml.overlong > 0 {
                    rec.note(&format!(
                        "{} lines longer than {} bytes were discarded",
                        ml.overlong, self.limits.max_line
                    ));
                }
                rec.server(b".");
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

/// A scripted in-process POP3 peer for tests (this module and `auth`).
#[cfg(test)]
pub(crate) mod test_peer {
    use crate::pop3::reader::LineReader;
    use std::time::Duration;
    use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt, DuplexStream};
    use tokio::task::JoinHandle;

    /// One step of the peer's script.
    #[derive(Debug, Clone)]
    pub(crate) enum Step {
        /// Write these bytes.
        Send(Vec<u8>),
        /// Read one line and check it equals this.
        Expect(String),
        /// Read one line, whatever it is.
        Any,
        /// Check that this many bytes are already buffered after the last
        /// line read (they arrived in the same write).
        Buffered(usize),
        /// Close the connection.
        Close,
        /// Do nothing for a while.
        Sleep(Duration),
    }

    /// `Send("<text>\r\n")`.
    pub(crate) fn send(line: &str) -> Step {
        Step::Send(format!("{line}\r\n").into_bytes())
    }

    /// `Expect(line)`.
    pub(crate) fn expect(line: &str) -> Step {
        Step::Expect(line.to_string())
    }

    /// Runs `script` on `io`; returns every line received.
    pub(crate) async fn run<I: AsyncRead + AsyncWrite + Unpin>(
        io: I,
        script: Vec<Step>,
    ) -> Vec<String> {
        let mut r = LineReader::new(io, 64 * 1024);
        let mut got = Vec::new();
        let t = Duration::from_secs(5);
        for step in script {
            match step {
                Step::Send(b) => r.get_mut().write_all(&b).await.expect("peer write"),
                Step::Expect(want) => {
                    let line = r.read_line(t, "client line").await.expect("peer read");
                    let line = String::from_utf8(line).expect("utf8");
                    assert_eq!(line, want, "peer expected another line");
                    got.push(line);
                }
                Step::Any => {
                    let line = r.read_line(t, "client line").await.expect("peer read");
                    got.push(String::from_utf8_lossy(&line).into_owned());
                }
                Step::Buffered(n) => assert_eq!(r.buffered().len(), n, "bytes in the same write"),
                Step::Close => break,
                Step::Sleep(d) => tokio::time::sleep(d).await,
            }
        }
        got
    }

    /// A duplex pair with `script` running on the server half.
    pub(crate) fn spawn(script: Vec<Step>) -> (DuplexStream, JoinHandle<Vec<String>>) {
        let (client, server) = tokio::io::duplex(64 * 1024);
        (client, tokio::spawn(run(server, script)))
    }
}

#[cfg(test)]
mod tests {
    use super::test_peer::{Step, expect, send, spawn};
    use super::*;
    use crate::transcript::Dir;

    const T: Duration = Duration::from_secs(5);

    fn session<S: AsyncRead + AsyncWrite + Unpin>(s: S) -> (Session<S>, Recorder) {
        let rec = Recorder::detached();
        (Session::new(s, rec.clone(), T, Limits::default()), rec)
    }

    fn texts(rec: &Recorder) -> Vec<(Dir, String)> {
        rec.lines().into_iter().map(|l| (l.dir, l.text)).collect()
    }

    #[tokio::test]
    async fn greeting_capa_quit() {
        let (io, peer) = spawn(vec![
            send("+OK POP3 ready <1896.697170952@dbc.mtview.ca.us>"),
            expect("CAPA"),
            send("+OK Capability list follows"),
            send("TOP"),
            send("IMPLEMENTATION Foo-2.3.1"),
            send("SASL PLAIN"),
            send("."),
            expect("QUIT"),
            send("+OK bye"),
        ]);
        let (mut s, rec) = session(io);
        let (g, took) = s.read_greeting().await.unwrap();
        assert!(g.ok && took < T);
        assert_eq!(s.round_trips(), 0);
        assert_eq!(
            s.apop_timestamp().as_deref(),
            Some("<1896.697170952@dbc.mtview.ca.us>")
        );
        let caps = s.capa().await.unwrap().unwrap();
        assert_eq!(caps.implementation().as_deref(), Some("Foo-2.3.1"));
        assert_eq!(caps.sasl(), ["PLAIN"]);
        assert!(s.quit().await.unwrap().ok);
        assert_eq!(s.round_trips(), 2);
        peer.await.unwrap();
        let t = texts(&rec);
        assert_eq!(t[1], (Dir::Client, "CAPA".into()));
        assert_eq!(t[2], (Dir::Server, "+OK Capability list follows".into()));
        assert_eq!(t[6], (Dir::Server, ".".into()));
        assert_eq!(t[7], (Dir::Client, "QUIT".into()));
        assert_eq!(t.len(), 9);
    }

    #[tokio::test]
    async fn capa_err_is_none() {
        let (io, peer) = spawn(vec![
            send("+OK hi"),
            expect("CAPA"),
            send("-ERR unknown command"),
        ]);
        let (mut s, _) = session(io);
        s.read_greeting().await.unwrap();
        assert_eq!(s.capa().await.unwrap(), None);
        peer.await.unwrap();
    }

    #[tokio::test]
    async fn smtp_greeting_is_named() {
        let (io, peer) = spawn(vec![send("220 mx.example.com ESMTP Postfix")]);
        let (mut s, rec) = session(io);
        let err = s.read_greeting().await.unwrap_err();
        assert_eq!(err.op(), "greeting");
        assert!(err.to_string().contains("SMTP or FTP"), "{err}");
        let t = texts(&rec);
        assert_eq!(
            t[0],
            (Dir::Server, "220 mx.example.com ESMTP Postfix".into())
        );
        assert_eq!(t[1].0, Dir::Note);
        peer.await.unwrap();
    }

    #[tokio::test]
    async fn silent_server_times_out() {
        let (io, peer) = spawn(vec![Step::Sleep(Duration::from_millis(300))]);
        let rec = Recorder::detached();
        let mut s = Session::new(
            io,
            rec.clone(),
            Duration::from_millis(50),
            Limits::default(),
        );
        let err = s.read_greeting().await.unwrap_err();
        assert!(err.is_timeout());
        assert!(err.to_string().contains("the greeting"), "{err}");
        assert!(rec.lines()[0].text.contains("sent nothing"));
        peer.await.unwrap();
    }

    #[tokio::test]
    async fn close_mid_line_records_partial() {
        let (io, peer) = spawn(vec![
            Step::Send(b"\x15\x03\x03\x00\x02\x02\x28".to_vec()),
            Step::Close,
        ]);
        let (mut s, rec) = session(io);
        peer.await.unwrap();
        let err = s.read_greeting().await.unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("closed the connection"), "{msg}");
        assert!(msg.contains("TLS"), "{msg}");
        assert_eq!(rec.lines()[0].text, "\\x15\\x03\\x03\\x00\\x02\\x02(");
    }

    #[tokio::test]
    async fn tls_alert_as_greeting_is_named() {
        let (io, peer) = spawn(vec![Step::Send(b"\x15\x03\x01\x00\x02\x02\x0a".to_vec())]);
        let (mut s, _) = session(io);
        let msg = s.read_greeting().await.unwrap_err().to_string();
        assert!(msg.contains("expects TLS from the first byte"), "{msg}");
        peer.await.unwrap();
    }

    #[tokio::test]
    async fn long_body_is_summarised_in_the_transcript() {
        let mut script = vec![send("+OK"), expect("RETR 1"), send("+OK 100 lines")];
        for i in 0..100 {
            script.push(send(&format!("line {i:02}")));
        }
        script.push(send("..dot"));
        script.push(send("."));
        let (io, peer) = spawn(script);
        let (mut s, rec) = session(io);
        s.read_greeting().await.unwrap();
        let (st, body) = s.command_multiline("RETR 1").await.unwrap();
        assert!(st.ok);
        let body = body.unwrap();
        assert_eq!(body.total_lines, 101);
        assert_eq!(body.head[100], b".dot");
        peer.await.unwrap();
        let t = texts(&rec);
        // greeting, RETR 1, +OK, 40 lines, note, "."
        assert_eq!(t.len(), 3 + SHOWN_BODY_LINES + 2);
        assert_eq!(t[3 + 39].1, "line 39");
        assert_eq!(
            t[3 + 40],
            (Dir::Note, "… 61 more lines (547 bytes) not shown".into())
        );
        assert_eq!(t[3 + 41], (Dir::Server, ".".into()));
    }

    #[tokio::test]
    async fn capa_lines_and_short_second_read() {
        let long = format!("X-LONG {}", "a".repeat(600));
        let (io, peer) = spawn(vec![
            send("+OK"),
            expect("CAPA"),
            send("+OK"),
            send("TOP"),
            send(&long),
            send("."),
            expect("CAPA"),
            send("-ERR no"),
            Step::Sleep(Duration::from_millis(300)),
        ]);
        let (mut s, _) = session(io);
        s.read_greeting().await.unwrap();
        let (lines, over) = s.capa_lines().await.unwrap().unwrap();
        assert_eq!(lines.len(), 2);
        assert_eq!(over, 1);
        assert_eq!(s.capa_lines().await.unwrap().unwrap_err().text, "no");
        let err = s
            .read_status_within("a second answer", Duration::from_millis(30))
            .await
            .unwrap_err();
        assert!(err.is_timeout());
        assert_eq!(s.timeout(), T);
        peer.await.unwrap();
    }

    #[tokio::test]
    async fn err_to_multiline_has_no_body() {
        let (io, peer) = spawn(vec![
            send("+OK"),
            expect("RETR 9"),
            send("-ERR no such message"),
        ]);
        let (mut s, _) = session(io);
        s.read_greeting().await.unwrap();
        let (st, body) = s.command_multiline("RETR 9").await.unwrap();
        assert!(!st.ok && body.is_none());
        peer.await.unwrap();
    }

    #[tokio::test]
    async fn secrets_are_redacted_and_command_ok_maps_err() {
        let (io, peer) = spawn(vec![
            send("+OK"),
            expect("USER alice"),
            send("+OK"),
            expect("PASS hunter2"),
            send("-ERR [AUTH] invalid password"),
        ]);
        let (mut s, rec) = session(io);
        s.read_greeting().await.unwrap();
        s.command_ok("USER alice").await.unwrap();
        let st = s.command_secret("PASS", "PASS hunter2").await.unwrap();
        assert!(!st.ok);
        peer.await.unwrap();
        let t = texts(&rec);
        assert_eq!(t[3], (Dir::Client, "PASS ********".into()));
        assert!(!t.iter().any(|(_, l)| l.contains("hunter2")));
    }

    #[tokio::test]
    async fn command_ok_error_names_the_command() {
        let (io, peer) = spawn(vec![
            send("+OK"),
            expect("STAT"),
            send("-ERR [SYS/TEMP] later"),
        ]);
        let (mut s, _) = session(io);
        s.read_greeting().await.unwrap();
        match s.command_ok("STAT").await {
            Err(e @ Pop3Error::ErrResponse { .. }) => {
                assert_eq!(
                    e.to_string(),
                    "the server refused STAT: -ERR [SYS/TEMP] later"
                );
            }
            other => panic!("{other:?}"),
        }
        peer.await.unwrap();
    }

    #[tokio::test]
    async fn line_breaks_in_commands_are_refused() {
        let (io, peer) = spawn(vec![send("+OK"), Step::Close]);
        let (mut s, rec) = session(io);
        s.read_greeting().await.unwrap();
        let err = s.command("USER a\r\nDELE 1").await.unwrap_err();
        assert!(matches!(err, Pop3Error::Protocol { .. }));
        let err = s
            .command_secret("PASS", "PASS s3cr3t\nDELE 1")
            .await
            .unwrap_err();
        assert_eq!(err.op(), "PASS");
        assert!(!format!("{err} {err:?}").contains("s3cr3t"));
        assert_eq!(rec.lines().len(), 1);
        peer.await.unwrap();
    }

    #[tokio::test]
    async fn pipeline_is_one_write_and_one_round_trip() {
        let (io, peer) = spawn(vec![
            send("+OK"),
            expect("STAT"),
            Step::Buffered("LIST\r\nUIDL 1\r\n".len()),
            expect("LIST"),
            expect("UIDL 1"),
            Step::Send(b"+OK 2 300\r\n+OK\r\n1 100\r\n2 200\r\n.\r\n+OK 1 abc\r\n".to_vec()),
        ]);
        let (mut s, rec) = session(io);
        s.read_greeting().await.unwrap();
        let out = s
            .pipeline(&["STAT", "LIST", "UIDL 1"], &[false, true])
            .await
            .unwrap();
        assert_eq!(out.len(), 3);
        assert_eq!(out[0].0.text, "2 300");
        assert_eq!(
            out[1].1.as_ref().unwrap().head,
            [b"1 100".to_vec(), b"2 200".to_vec()]
        );
        assert_eq!(out[2].0.text, "1 abc");
        assert!(out[2].1.is_none());
        assert_eq!(s.round_trips(), 1);
        peer.await.unwrap();
        let t = texts(&rec);
        assert_eq!(
            &t[1..4].iter().map(|x| x.1.as_str()).collect::<Vec<_>>(),
            &["STAT", "LIST", "UIDL 1"]
        );
    }

    #[tokio::test]
    async fn stls_leftover_bytes_are_handed_back() {
        let (io, peer) = spawn(vec![
            send("+OK"),
            expect("STLS"),
            Step::Send(b"+OK Begin TLS\r\n-ERR injected\r\n".to_vec()),
        ]);
        let (mut s, _) = session(io);
        s.read_greeting().await.unwrap();
        assert!(s.stls().await.unwrap().ok);
        peer.await.unwrap();
        let (_io, rest) = s.into_inner();
        assert_eq!(rest, b"-ERR injected\r\n");
    }

    #[tokio::test]
    async fn starttls_injection_probe_is_one_write() {
        let (io, peer) = spawn(vec![
            send("+OK"),
            expect("STLS"),
            Step::Buffered(6),
            expect("XPSI"),
            send("+OK Begin TLS"),
            send("-ERR unknown command XPSI"),
        ]);
        let (mut s, rec) = session(io);
        s.read_greeting().await.unwrap();
        s.send_raw(b"STLS\r\nXPSI\r\n", &["STLS", "XPSI"])
            .await
            .unwrap();
        let a = s.read_status("the reply to STLS").await.unwrap();
        assert!(a.ok);
        peer.await.unwrap();
        // the server answered the injected command before the handshake
        let (_io, rest) = s.into_inner();
        assert_eq!(rest, b"-ERR unknown command XPSI\r\n");
        let t = texts(&rec);
        assert_eq!(t[1], (Dir::Client, "STLS".into()));
        assert_eq!(t[2], (Dir::Client, "XPSI".into()));
    }

    #[tokio::test]
    async fn continuation_replies() {
        let (io, peer) = spawn(vec![
            send("+OK"),
            expect("AUTH LOGIN"),
            send("+ VXNlcm5hbWU6"),
        ]);
        let (mut s, _) = session(io);
        s.read_greeting().await.unwrap();
        s.send_line("AUTH LOGIN").await.unwrap();
        assert_eq!(
            s.read_reply("the reply to AUTH").await.unwrap(),
            Reply::Continuation(b"VXNlcm5hbWU6".to_vec())
        );
        peer.await.unwrap();
    }

    #[tokio::test]
    async fn quit_never_fails() {
        let (io, peer) = spawn(vec![send("+OK"), Step::Close]);
        let (mut s, rec) = session(io);
        s.read_greeting().await.unwrap();
        peer.await.unwrap();
        assert_eq!(s.quit().await, None);
        assert!(
            rec.lines()
                .iter()
                .any(|l| l.text.starts_with("QUIT was not answered"))
        );

        let (io, peer) = spawn(vec![
            send("+OK"),
            expect("QUIT"),
            Step::Sleep(Duration::from_millis(400)),
        ]);
        let rec = Recorder::detached();
        let mut s = Session::new(io, rec, Duration::from_millis(100), Limits::default());
        s.read_greeting().await.unwrap();
        assert_eq!(s.quit().await, None);
        assert_eq!(s.timeout(), Duration::from_millis(100));
        peer.await.unwrap();
    }

    #[tokio::test]
    async fn works_over_loopback_tcp() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let server = tokio::spawn(async move {
            let (sock, _) = listener.accept().await.unwrap();
            super::test_peer::run(sock, vec![send("+OK tcp"), expect("NOOP"), send("+OK")]).await
        });
        let sock = tokio::net::TcpStream::connect(addr).await.unwrap();
        let (mut s, _) = session(sock);
        assert_eq!(s.read_greeting().await.unwrap().0.text, "tcp");
        assert!(s.command("NOOP").await.unwrap().ok);
        assert_eq!(server.await.unwrap(), ["NOOP"]);
    }
}
