//! Connection plumbing for the lab server: a stream that is plain TCP or TLS
//! (and can be upgraded in place for STLS), a bounded, pipelining-friendly
//! line reader, and reads bounded three ways (idle, one command line, the
//! whole session) and writes guarded by the idle timeout.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::TcpStream;
use tokio::time::Instant;

use crate::i18n::t;

/// RFC 2449: a command line is at most 255 octets including CRLF.
pub(crate) const MAX_COMMAND_LINE: usize = 255;
/// SASL continuation lines may be longer (RFC 5034 leaves them unbounded; the
/// lab bounds them anyway).
pub(crate) const MAX_SASL_LINE: usize = 8192;
/// An over-long line is discarded up to its end; past this many octets the
/// client is considered hostile and the connection is closed.
pub(crate) const MAX_DISCARD: usize = 64 * 1024;

/// A lab connection's transport.
pub(crate) enum LabStream {
    /// Plain TCP.
    Plain(TcpStream),
    /// TLS over TCP (implicit or after STLS).
    Tls(Box<tokio_rustls::server::TlsStream<TcpStream>>),
    /// Taken apart (during an upgrade) or closed.
    Closed,
}

impl AsyncRead for LabStream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        match self.get_mut() {
            LabStream::Plain(s) => Pin::new(s).poll_read(cx, buf),
            LabStream::Tls(s) => Pin::new(s.as_mut()).poll_read(cx, buf),
            LabStream::Closed => Poll::Ready(Ok(())),
        }
    }
}

impl AsyncWrite for LabStream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            LabStream::Plain(s) => Pin::new(s).poll_write(cx, buf),
            LabStream::Tls(s) => Pin::new(s.as_mut()).poll_write(cx, buf),
            LabStream::Closed => Poll::Ready(Err(io::ErrorKind::NotConnected.into())),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            LabStream::Plain(s) => Pin::new(s).poll_flush(cx),
            LabStream::Tls(s) => Pin::new(s.as_mut()).poll_flush(cx),
            LabStream::Closed => Poll::Ready(Ok(())),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            LabStream::Plain(s) => Pin::new(s).poll_shutdown(cx),
            LabStream::Tls(s) => Pin::new(s.as_mut()).poll_shutdown(cx),
            LabStream::Closed => Poll::Ready(Ok(())),
        }
    }
}

/// What [`Conn::read_line`] found.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum LineRead {
    /// A line without its CRLF (or bare LF).
    Line(Vec<u8>),
    /// A line longer than allowed; it was discarded up to its end.
    TooLong,
    /// The peer closed the connection (a partial last line is dropped).
    Eof,
}

/// The time bounds of one connection.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// Longest wait for any input (and for any write to complete).
    pub(crate) idle: Duration,
    /// Longest time from the first octet of a line to its end.
    pub(crate) line: Duration,
    /// When the whole session must be over.
    pub(crate) session_end: Instant,
}

/// Which bound a read ran into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Expired {
    /// Nothing arrived for the idle timeout.
    Idle,
    /// A line was started but not finished in time (a trickling client).
    Line,
    /// The session lasted as long as allowed.
    Session,
}

impl Expired {
    /// The `-ERR` line that tells the client why it is being disconnected,
    /// in the current language (the response code stays).
    pub(crate) fn farewell(self) -> String {
        let why = match self {
            Expired::Idle => t!("lab-pop3-idle"),
            Expired::Line => t!("lab-pop3-line-timeout"),
            Expired::Session => t!("lab-pop3-session-limit"),
        };
        format!("-ERR [SYS/TEMP] {why}\r\n")
    }
}

/// A connection: transport plus the input buffer that makes pipelining work
/// (every complete line already received is a queued command).
pub(crate) struct Conn {
    pub(crate) stream: LabStream,
    pub(crate) inbuf: Vec<u8>,
    pub(crate) limits: Limits,
    /// The bound the last timed-out read ran into.
    pub(crate) expired: Option<Expired>,
}

fn timed_out() -> io::Error {
    io::Error::new(io::ErrorKind::TimedOut, "read timeout")
}

impl Conn {
    /// A connection over `stream` with the given time bounds.
    pub(crate) fn new(stream: LabStream, limits: Limits) -> Conn {
        Conn {
            stream,
            inbuf: Vec::new(),
            limits,
            expired: None,
        }
    }

    /// Reads more input into the buffer; `Ok(0)` at end of stream. Bounded
    /// by the idle timeout, the session end and, when a line is under way
    /// (`line_start`), the line bound, whichever comes first.
    async fn fill(&mut self, line_start: &mut Option<Instant>) -> io::Result<usize> {
        let mut deadline = Instant::now() + self.limits.idle;
        let mut why = Expired::Idle;
        if self.limits.session_end < deadline {
            deadline = self.limits.session_end;
            why = Expired::Session;
        }
        if let Some(start) = *line_start
            && start + self.limits.line < deadline
        {
            deadline = start + self.limits.line;
            why = Expired::Line;
        }
        let mut chunk = [0u8; 4096];
        let n = match tokio::time::timeout_at(deadline, self.stream.read(&mut chunk)).await {
            Ok(r) => r?,
            Err(_) => {
                self.expired = Some(why);
                return Err(timed_out());
            }
        };
        if n > 0 && line_start.is_none() {
            *line_start = Some(Instant::now());
        }
        self.inbuf.extend_from_slice(&chunk[..n]);
        Ok(n)
    }

    /// When the line being read started: now if part of it is buffered.
    fn line_start(&self) -> Option<Instant> {
        (!self.inbuf.is_empty()).then(Instant::now)
    }

    /// Reads one line of at most `max` octets including its line end. Longer
    /// lines are discarded (never buffered beyond `max` + one read) and
    /// reported as [`LineRead::TooLong`]; a line longer than [`MAX_DISCARD`]
    /// is an error.
    pub(crate) async fn read_line(&mut self, max: usize) -> io::Result<LineRead> {
        let mut start = self.line_start();
        loop {
            if let Some(pos) = self.inbuf.iter().position(|&b| b == b'\n') {
                let mut line: Vec<u8> = self.inbuf.drain(..=pos).collect();
                if line.len() > max {
                    return Ok(LineRead::TooLong);
                }
                line.pop();
                if line.last() == Some(&b'\r') {
                    line.pop();
                }
                return Ok(LineRead::Line(line));
            }
            if self.inbuf.len() > max {
                self.discard_rest_of_line(&mut start).await?;
                return Ok(LineRead::TooLong);
            }
            if self.fill(&mut start).await? == 0 {
                self.inbuf.clear();
                return Ok(LineRead::Eof);
            }
        }
    }

    async fn discard_rest_of_line(&mut self, start: &mut Option<Instant>) -> io::Result<()> {
        let mut discarded = 0usize;
        loop {
            if let Some(pos) = self.inbuf.iter().position(|&b| b == b'\n') {
                self.inbuf.drain(..=pos);
                return Ok(());
            }
            discarded += self.inbuf.len();
            self.inbuf.clear();
            if discarded > MAX_DISCARD {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    "endless line from client",
                ));
            }
            if self.fill(start).await? == 0 {
                return Ok(());
            }
        }
    }

    /// Reads exactly `n` octets, bypassing the line buffer's framing (used for
    /// TLS records on the legacy path).
    pub(crate) async fn read_exact(&mut self, n: usize) -> io::Result<Vec<u8>> {
        let mut start = self.line_start();
        while self.inbuf.len() < n {
            if self.fill(&mut start).await? == 0 {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
        }
        Ok(self.inbuf.drain(..n).collect())
    }

    /// Writes and flushes, bounded by the idle timeout (a client that stops
    /// reading cannot hold the task forever).
    pub(crate) async fn send(&mut self, bytes: &[u8]) -> io::Result<()> {
        let stream = &mut self.stream;
        tokio::time::timeout(self.limits.idle, async move {
            stream.write_all(bytes).await?;
            stream.flush().await
        })
        .await
        .map_err(|_| timed_out())?
    }

    /// Closes politely: flushes, shuts the write side (FIN or TLS
    /// close_notify), then drains input briefly so that the peer receives
    /// everything that was sent instead of a reset.
    pub(crate) async fn close(&mut self) {
        let linger = self.limits.idle.min(Duration::from_secs(2));
        let _ = tokio::time::timeout(linger, self.stream.shutdown()).await;
        let mut sink = [0u8; 4096];
        let deadline = tokio::time::Instant::now() + linger;
        let mut drained = 0usize;
        while drained < 1 << 20 {
            match tokio::time::timeout_at(deadline, self.stream.read(&mut sink)).await {
                Ok(Ok(n)) if n > 0 => drained += n,
                _ => break,
            }
        }
        self.stream = LabStream::Closed;
    }

    /// Closes without TLS close_notify or draining (an abrupt failure).
    pub(crate) async fn close_abruptly(&mut self) {
        if let LabStream::Tls(tls) = std::mem::replace(&mut self.stream, LabStream::Closed) {
            let (mut tcp, _) = tls.into_inner();
            let _ = tcp.shutdown().await;
            self.stream = LabStream::Plain(tcp);
        }
        self.close().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::net::TcpListener;

    async fn pair() -> (Conn, TcpStream) {
        let l = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = l.local_addr().unwrap();
        let (client, server) = tokio::join!(TcpStream::connect(addr), l.accept());
        let limits = Limits {
            idle: Duration::from_secs(5),
            line: Duration::from_secs(5),
            session_end: Instant::now() + Duration::from_secs(60),
        };
        let conn = Conn::new(LabStream::Plain(server.unwrap().0), limits);
        (conn, client.unwrap())
    }

    #[tokio::test]
    async fn reads_pipelined_and_bounded_lines() {
        let (mut conn, mut client) = pair().await;
        let long = vec![b'x'; 300];
        let mut input = b"STAT\r\nNOOP\nLIST 1\r\n".to_vec();
        input.extend_from_slice(&long);
        input.extend_from_slice(b"\r\nQUIT\r\npartial");
        client.write_all(&input).await.unwrap();
        client.shutdown().await.unwrap();
        let mut got = Vec::new();
        loop {
            match conn.read_line(MAX_COMMAND_LINE).await.unwrap() {
                LineRead::Eof => break,
                other => got.push(other),
            }
        }
        assert_eq!(
            got,
            vec![
                LineRead::Line(b"STAT".to_vec()),
                LineRead::Line(b"NOOP".to_vec()),
                LineRead::Line(b"LIST 1".to_vec()),
                LineRead::TooLong,
                LineRead::Line(b"QUIT".to_vec()),
            ]
        );
    }

    #[tokio::test]
    async fn endless_line_is_an_error() {
        let (mut conn, mut client) = pair().await;
        let writer = tokio::spawn(async move {
            let chunk = vec![b'a'; 8192];
            for _ in 0..64 {
                if client.write_all(&chunk).await.is_err() {
                    break;
                }
            }
        });
        let err = conn.read_line(MAX_COMMAND_LINE).await.unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
        assert!(conn.inbuf.len() <= MAX_COMMAND_LINE + 4096);
        drop(conn);
        writer.await.unwrap();
    }
}
