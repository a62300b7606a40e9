//! TCP connect per address, timed, with refused / timed out / unreachable
//! told apart.

use std::io::ErrorKind;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use tokio::net::TcpStream;

use super::outcome::{Failure, FailureKind};
use crate::i18n::t;

/// Connects to `addr` within `timeout`.
pub async fn connect(
    addr: SocketAddr,
    timeout: Duration,
) -> Result<(TcpStream, Duration), Failure> {
    let start = Instant::now();
    match tokio::time::timeout(timeout, TcpStream::connect(addr)).await {
        Err(_) => Err(Failure::new(
            FailureKind::Timeout,
            t!(
                "probe-connect-no-answer",
                addr = addr.to_string(),
                ms = timeout.as_millis() as u64
            ),
        )),
        Ok(Ok(s)) => {
            let _ = s.set_nodelay(true);
            Ok((s, start.elapsed()))
        }
        Ok(Err(e)) => Err(classify(addr, &e)),
    }
}

/// Turns a connect error into a [`Failure`] with a kind and words.
pub fn classify(addr: SocketAddr, e: &std::io::Error) -> Failure {
    match e.kind() {
        ErrorKind::ConnectionRefused => Failure::new(
            FailureKind::Refused,
            t!(
                "probe-connect-refused",
                addr = addr.to_string(),
                port = addr.port().to_string()
            ),
        ),
        ErrorKind::TimedOut => Failure::new(
            FailureKind::Timeout,
            t!("probe-connect-timed-out", addr = addr.to_string()),
        ),
        ErrorKind::NetworkUnreachable
        | ErrorKind::HostUnreachable
        | ErrorKind::AddrNotAvailable => Failure::new(
            FailureKind::Unreachable,
            t!(
                "probe-connect-unreachable",
                addr = addr.to_string(),
                error = e.to_string()
            ),
        ),
        _ => Failure::new(
            FailureKind::Error,
            t!(
                "probe-connect-error",
                addr = addr.to_string(),
                error = e.to_string()
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn refused_is_told_apart() {
        // Bind then drop to get a port with nothing listening.
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = l.local_addr().unwrap();
        drop(l);
        let err = connect(addr, Duration::from_secs(2)).await.unwrap_err();
        assert_eq!(err.kind, FailureKind::Refused, "{err:?}");
        assert!(err.message.contains("refused"));
    }

    #[tokio::test]
    async fn connects_and_times() {
        let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = l.local_addr().unwrap();
        let outer = Instant::now();
        let (s, d) = connect(addr, Duration::from_secs(2)).await.unwrap();
        // The time measured lies inside the call.
        assert!(outer.elapsed() >= d, "{} µs", d.as_micros());
        let (_peer, from) = l.accept().await.unwrap();
        assert_eq!(from, s.local_addr().unwrap());
        assert_eq!(s.peer_addr().unwrap(), addr);
    }
}
