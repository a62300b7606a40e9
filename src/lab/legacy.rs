//! The lab's TLS 1.0-only fake (scenario `tls10-only`): answers one
//! ClientHello record the way a server that only speaks TLS 1.0 would.
//!
//! Until `crate::probe::legacy` provides the shared fake, this is a minimal
//! stand-in: a bare ServerHello (version 0x0301) to hellos offering at most
//! TLS 1.0, and a fatal `protocol_version` alert to anything newer.

/// The server's reply to `record`, a complete TLS record holding a
/// ClientHello (anything else gets a `handshake_failure` alert).
pub(crate) fn reply(record: &[u8]) -> Vec<u8> {
    const PROTOCOL_VERSION: u8 = 70;
    const HANDSHAKE_FAILURE: u8 = 40;
    let alert = |desc: u8| vec![0x15, 0x03, 0x01, 0x00, 0x02, 0x02, desc];
    // record header (5) + handshake header (4) + client_version (2)
    if record.len() < 11 || record[0] != 0x16 || record[5] != 0x01 {
        return alert(HANDSHAKE_FAILURE);
    }
    let client_version = u16::from_be_bytes([record[9], record[10]]);
    if client_version > 0x0301 {
        return alert(PROTOCOL_VERSION);
    }
    // cipher suite: the client's first, if the hello is long enough
    let cipher = (|| {
        let sid_len = usize::from(*record.get(43)?);
        let at = 44 + sid_len + 2;
        Some([*record.get(at)?, *record.get(at + 1)?])
    })()
    .unwrap_or([0x00, 0x2f]);
    let mut hello = vec![0x03, 0x01];
    hello.extend((0u8..32).map(|i| i.wrapping_mul(37) ^ 0x5c));
    hello.push(0); // empty session id
    hello.extend_from_slice(&cipher);
    hello.push(0); // null compression
    let mut hs = vec![0x02, 0x00, 0x00, hello.len() as u8];
    hs.extend_from_slice(&hello);
    let mut out = vec![0x16, 0x03, 0x01, 0x00, hs.len() as u8];
    out.extend_from_slice(&hs);
    out
}
