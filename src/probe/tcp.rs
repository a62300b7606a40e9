//! TCP connect per address, timed, with refused / timed out / unreachable
//! told apart.

use std::io::ErrorKind;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use tokio::net::TcpStream;

use super::outcome::{Failure, FailureKind};

/// Connects to `addr` within `timeout`.
pub async fn connect(
    addr: SocketAddr,
    timeout: Duration,
) -> Result<(TcpStream, Duration), Failure> {
    let start = Instant::now();
    match tokio::time::timeout(timeout, TcpStream::connect(addr)).await {
        Err(_) => Err(Failure::new(
            FailureKind::Timeout,
            format!(
                "no answer from {addr} within {} ms (packets dropped: filtered by a firewall, or the host is down)",
                timeout.as_millis()
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
            format!(
                "connection to {addr} refused: nothing listens on port {}",
                addr.port()
            ),
        ),
        ErrorKind::TimedOut => Failure::new(
            FailureKind::Timeout,
            format!("connection to {addr} timed out"),
        ),
        ErrorKind::NetworkUnreachable
        | ErrorKind::HostUnreachable
        | ErrorKind::AddrNotAvailable => Failure::new(
            FailureKind::Unreachable,
            format!("{addr} is unreachable from here ({e})"),
        ),
        _ => Failure::new(FailureKind::Error, format!("cannot connect to {addr}: {e}")),
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
