//! A scripted in-process POP3 peer for tests of the session, authentication
//! and scripts.

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
