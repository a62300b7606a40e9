//! The lab's fake old TLS server: what a TLS 1.0/1.1-only server answers to
//! a ClientHello (a ServerHello for its version, or a `protocol_version`
//! alert), for the `tls10-only` scenario and for tests of the probe's legacy
//! check. No key exchange follows: the fake answers the hello and stops.
//!
//! Every read is bounded ([`MAX_CLIENT_HELLO`] bytes, a time limit) and
//! nothing here panics on any client input.

use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt};

/// Largest ClientHello record [`read_client_hello`] accepts.
pub const MAX_CLIENT_HELLO: usize = 5 + 16 * 1024;

fn push_u16(v: &mut Vec<u8>, x: u16) {
    v.extend_from_slice(&x.to_be_bytes());
}

fn push_u24(v: &mut Vec<u8>, x: usize) {
    let x = x as u32;
    v.extend_from_slice(&x.to_be_bytes()[1..]);
}

/// Reads one TLS record (the ClientHello) from a client, at most
/// [`MAX_CLIENT_HELLO`] bytes, within `timeout`. For lab servers that answer
/// with [`fake_legacy_server_reply`].
pub async fn read_client_hello<S: AsyncRead + Unpin>(
    stream: &mut S,
    timeout: Duration,
) -> std::io::Result<Vec<u8>> {
    let read = async {
        let mut header = [0u8; 5];
        stream.read_exact(&mut header).await?;
        let len = usize::from(u16::from_be_bytes([header[3], header[4]]));
        if 5 + len > MAX_CLIENT_HELLO {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                "TLS record too large for a ClientHello",
            ));
        }
        let mut rec = vec![0u8; 5 + len];
        rec[..5].copy_from_slice(&header);
        stream.read_exact(&mut rec[5..]).await?;
        Ok(rec)
    };
    tokio::time::timeout(timeout, read)
        .await
        .map_err(|_| std::io::Error::new(std::io::ErrorKind::TimedOut, "no ClientHello in time"))?
}

/// A fake old TLS server: answers a ClientHello with a ServerHello for
/// `version` when `version <= client_version <= max_client_version`, and
/// with a fatal `protocol_version` alert otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FakeLegacyServer {
    /// The only version the server speaks (e.g. `0x0301` for TLS 1.0).
    pub version: u16,
    /// The highest client_version it still answers with a ServerHello; above
    /// it the server sends a `protocol_version` alert (strict servers and
    /// some middleboxes). `0xffff` negotiates down like a well-behaved
    /// server, which a rustls client then rejects itself.
    pub max_client_version: u16,
}

impl Default for FakeLegacyServer {
    /// TLS 1.0 only; answers hellos up to TLS 1.1, alerts above.
    fn default() -> Self {
        FakeLegacyServer {
            version: 0x0301,
            max_client_version: 0x0302,
        }
    }
}

/// Suites the fake server prefers, in order; it falls back to the client's
/// first suite.
const FAKE_PREFERENCE: &[u16] = &[0xc013, 0xc014, 0x002f, 0x0035, 0x000a];

impl FakeLegacyServer {
    /// TLS 1.0 only, negotiating down for any newer client (what most old
    /// servers do).
    pub fn negotiating_down() -> Self {
        FakeLegacyServer {
            version: 0x0301,
            max_client_version: 0xffff,
        }
    }

    /// The bytes the server answers to `client_hello` (one TLS record, as
    /// read by [`read_client_hello`]). Malformed input gets a fatal
    /// `decode_error` or `unexpected_message` alert.
    pub fn reply(&self, client_hello: &[u8]) -> Vec<u8> {
        let rec_version = if self.version >= 0x0300 {
            self.version.min(0x0303)
        } else {
            0x0301
        };
        let alert = |code: u8| {
            let mut v = vec![0x15];
            push_u16(&mut v, rec_version);
            v.extend_from_slice(&[0, 2, 2, code]);
            v
        };
        // record header(5) + handshake type(1) + len(3) + client_version(2)
        if client_hello.len() < 11 {
            return alert(50);
        }
        if client_hello[0] != 0x16 || client_hello[5] != 1 {
            return alert(10);
        }
        let client_version = u16::from_be_bytes([client_hello[9], client_hello[10]]);
        if client_version < self.version || client_version > self.max_client_version {
            return alert(70);
        }
        let offered = offered_suites(client_hello);
        let cipher = FAKE_PREFERENCE
            .iter()
            .copied()
            .find(|s| offered.contains(s))
            .or_else(|| offered.iter().copied().find(|&s| s != 0x00ff))
            .unwrap_or(0x002f);

        let mut body = Vec::with_capacity(48);
        push_u16(&mut body, self.version);
        let mut random = [0u8; 32];
        for (i, b) in random.iter_mut().enumerate() {
            *b = 0xa0 ^ i as u8;
        }
        body.extend_from_slice(&random);
        body.push(0); // session id
        push_u16(&mut body, cipher);
        body.push(0); // compression: null

        let mut hs = vec![2];
        push_u24(&mut hs, body.len());
        hs.extend_from_slice(&body);
        let mut rec = vec![0x16];
        push_u16(&mut rec, rec_version);
        push_u16(&mut rec, hs.len() as u16);
        rec.extend_from_slice(&hs);
        rec
    }
}

/// The cipher suites offered in a ClientHello record (bounded parse; empty
/// when the hello is truncated or malformed).
pub fn offered_suites(hello: &[u8]) -> Vec<u16> {
    // header(5) type(1) len(3) version(2) random(32) sid_len(1)
    let Some(&sid_len) = hello.get(43) else {
        return Vec::new();
    };
    let at = 44 + usize::from(sid_len);
    let (Some(&a), Some(&b)) = (hello.get(at), hello.get(at + 1)) else {
        return Vec::new();
    };
    let len = usize::from(u16::from_be_bytes([a, b]));
    let Some(list) = hello.get(at + 2..at + 2 + len) else {
        return Vec::new();
    };
    list.chunks_exact(2)
        .map(|c| u16::from_be_bytes([c[0], c[1]]))
        .collect()
}

/// What a TLS-1.0-only server answers (see [`FakeLegacyServer::default`]):
/// a ServerHello for TLS 1.0 when the hello's client_version is TLS 1.0 or
/// 1.1, a fatal `protocol_version` alert otherwise (e.g. to rustls, which
/// sends client_version TLS 1.2).
pub fn fake_legacy_server_reply(client_hello: &[u8]) -> Vec<u8> {
    FakeLegacyServer::default().reply(client_hello)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncWriteExt, duplex};

    /// A minimal ClientHello record: `client_version`, no session id, the
    /// given suites, null compression, no extensions.
    fn hello(client_version: u16, suites: &[u16]) -> Vec<u8> {
        let mut body = Vec::new();
        push_u16(&mut body, client_version);
        body.extend_from_slice(&[7u8; 32]);
        body.push(0);
        push_u16(&mut body, (suites.len() * 2) as u16);
        for s in suites {
            push_u16(&mut body, *s);
        }
        body.extend_from_slice(&[1, 0]);
        let mut hs = vec![1];
        push_u24(&mut hs, body.len());
        hs.extend_from_slice(&body);
        let mut rec = vec![0x16, 3, 1];
        push_u16(&mut rec, hs.len() as u16);
        rec.extend_from_slice(&hs);
        rec
    }

    #[test]
    fn answers_legacy_hellos_and_alerts_modern_ones() {
        let h = hello(0x0302, &[0x002f, 0xc013, 0x00ff]);
        assert_eq!(offered_suites(&h), vec![0x002f, 0xc013, 0x00ff]);
        let reply = fake_legacy_server_reply(&h);
        // ServerHello record, TLS 1.0, preferred suite picked
        assert_eq!(reply[..3], [0x16, 3, 1]);
        assert_eq!(reply[5], 2);
        assert_eq!(reply[9..11], [3, 1]);
        assert_eq!(reply[44..46], [0xc0, 0x13]);
        assert_eq!(
            fake_legacy_server_reply(&hello(0x0303, &[0x002f])),
            vec![0x15, 3, 1, 0, 2, 2, 70]
        );
        let down = FakeLegacyServer::negotiating_down().reply(&hello(0x0303, &[0x1301]));
        assert_eq!(down[..3], [0x16, 3, 1]);
        assert_eq!(down[44..46], [0x13, 0x01]);
    }

    #[test]
    fn malformed_hellos_get_alerts_never_a_panic() {
        assert_eq!(fake_legacy_server_reply(&[]).last(), Some(&50));
        assert_eq!(
            fake_legacy_server_reply(b"+OK hello there").last(),
            Some(&10)
        );
        assert!(offered_suites(&hello(0x0302, &[0x002f])[..45]).is_empty());
        for n in 0..64u8 {
            let junk: Vec<u8> = (0..n).map(|i| i.wrapping_mul(37) ^ n).collect();
            let _ = FakeLegacyServer::default().reply(&junk);
            let _ = offered_suites(&junk);
        }
    }

    #[tokio::test]
    async fn reads_one_bounded_record() {
        let t = Duration::from_secs(5);
        let (mut client, mut srv) = duplex(64 * 1024);
        let h = hello(0x0301, &[0x002f]);
        client.write_all(&h).await.unwrap();
        assert_eq!(read_client_hello(&mut srv, t).await.unwrap(), h);

        let (mut client, mut srv) = duplex(64 * 1024);
        client.write_all(&[0x16, 3, 1, 0xff, 0xff]).await.unwrap();
        let err = read_client_hello(&mut srv, t).await.unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::InvalidData);

        let (_client, mut srv) = duplex(1024);
        let err = read_client_hello(&mut srv, Duration::from_millis(20))
            .await
            .unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::TimedOut);
    }
}
