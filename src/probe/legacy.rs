//! Naming servers that only speak TLS 1.0/1.1 (or SSL 3.0).
//!
//! rustls cannot negotiate TLS below 1.2, so a server that only speaks an
//! old version just looks like a failed handshake. [`probe_legacy`] sends a
//! hand-built TLS 1.1 ClientHello and reads the ServerHello (or the alert) to
//! name the version the server actually speaks. No key exchange follows: the
//! connection is dropped after the first answer.
//!
//! The other side (what an old server answers) is the lab's
//! `crate::lab::legacy_tls`.
//!
//! Every read is bounded ([`MAX_REPLY`] bytes) and the whole exchange is
//! bounded in time; nothing here panics on any server input.

use std::fmt;

use crate::i18n::t;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

/// At most this many bytes of the server's answer are read.
pub const MAX_REPLY: usize = 8 * 1024;

/// The cipher suites offered by the legacy ClientHello: common TLS 1.0/1.1
/// suites (ECDHE and plain RSA with AES-CBC-SHA, DHE, 3DES, RC4) and the
/// renegotiation SCSV.
pub const LEGACY_CIPHER_SUITES: &[u16] = &[
    0xc00a, // TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA
    0xc014, // TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA
    0xc009, // TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA
    0xc013, // TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA
    0x0039, // TLS_DHE_RSA_WITH_AES_256_CBC_SHA
    0x0033, // TLS_DHE_RSA_WITH_AES_128_CBC_SHA
    0x0035, // TLS_RSA_WITH_AES_256_CBC_SHA
    0x002f, // TLS_RSA_WITH_AES_128_CBC_SHA
    0x000a, // TLS_RSA_WITH_3DES_EDE_CBC_SHA
    0x0005, // TLS_RSA_WITH_RC4_128_SHA
    0x0004, // TLS_RSA_WITH_RC4_128_MD5
    0x00ff, // TLS_EMPTY_RENEGOTIATION_INFO_SCSV
];

/// What the server answered to the legacy ClientHello.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LegacyOutcome {
    /// The server answered with a ServerHello for this version.
    Offers {
        /// Protocol version from the ServerHello, e.g. `0x0301`.
        version: u16,
        /// Its name, e.g. `TLS 1.0`.
        name: &'static str,
        /// The cipher suite the server picked.
        cipher_suite: u16,
    },
    /// The server answered with an alert (a modern server typically sends
    /// `protocol_version`: it does not speak TLS 1.1 or lower).
    Alert {
        /// Alert level (1 warning, 2 fatal).
        level: u8,
        /// Alert description code.
        description: u8,
    },
    /// The server's first bytes are not TLS (e.g. a plaintext greeting).
    NotTls {
        /// The first bytes received (at most 64).
        first_bytes: Vec<u8>,
    },
    /// TLS records arrived, but not a ServerHello or an alert.
    Unexpected {
        /// What was wrong, in words.
        detail: String,
    },
    /// No answer within the time limit.
    Timeout,
    /// The server closed the connection without answering.
    Closed,
    /// Another I/O error.
    Io {
        /// The error, in words.
        detail: String,
    },
}

impl LegacyOutcome {
    #[cfg(test)]
    /// The negotiated version when the server answered with a ServerHello.
    pub fn version(&self) -> Option<u16> {
        match self {
            LegacyOutcome::Offers { version, .. } => Some(*version),
            _ => None,
        }
    }

    #[cfg(test)]
    /// True when the server speaks TLS 1.1, TLS 1.0 or SSL 3.0.
    pub fn speaks_legacy(&self) -> bool {
        matches!(self.version(), Some(v) if v <= 0x0302)
    }
}

impl fmt::Display for LegacyOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LegacyOutcome::Offers {
                version,
                name,
                cipher_suite,
            } => f.write_str(&t!(
                "probe-legacy-speaks",
                name = *name,
                version = format!("0x{version:04x}"),
                cipher = format!("0x{cipher_suite:04x}")
            )),
            LegacyOutcome::Alert { level, description } if *level == 1 => f.write_str(&t!(
                "probe-legacy-refused-warning",
                alert = alert_name(*description)
            )),
            LegacyOutcome::Alert { description, .. } => f.write_str(&t!(
                "probe-legacy-refused-fatal",
                alert = alert_name(*description)
            )),
            LegacyOutcome::NotTls { first_bytes } => f.write_str(&t!(
                "probe-legacy-not-tls-bytes",
                shown = crate::transcript::sanitize(first_bytes)
            )),
            LegacyOutcome::Unexpected { detail } => {
                f.write_str(&t!("probe-legacy-unexpected", detail = detail))
            }
            LegacyOutcome::Timeout => f.write_str(&t!("probe-legacy-timeout-in-time")),
            LegacyOutcome::Closed => f.write_str(&t!("probe-legacy-closed-without-answer")),
            LegacyOutcome::Io { detail } => f.write_str(&t!("probe-legacy-io", detail = detail)),
        }
    }
}

/// Name of a protocol version number.
pub fn version_name(version: u16) -> &'static str {
    match version {
        0x0002 | 0x0200 => "SSL 2.0",
        0x0300 => "SSL 3.0",
        0x0301 => "TLS 1.0",
        0x0302 => "TLS 1.1",
        0x0303 => "TLS 1.2",
        0x0304 => "TLS 1.3",
        _ => "unknown version",
    }
}

/// RFC name of a TLS alert description code, e.g. `protocol_version`.
pub fn alert_name(code: u8) -> &'static str {
    match code {
        0 => "close_notify",
        10 => "unexpected_message",
        20 => "bad_record_mac",
        21 => "decryption_failed",
        22 => "record_overflow",
        30 => "decompression_failure",
        40 => "handshake_failure",
        41 => "no_certificate",
        42 => "bad_certificate",
        43 => "unsupported_certificate",
        44 => "certificate_revoked",
        45 => "certificate_expired",
        46 => "certificate_unknown",
        47 => "illegal_parameter",
        48 => "unknown_ca",
        49 => "access_denied",
        50 => "decode_error",
        51 => "decrypt_error",
        60 => "export_restriction",
        70 => "protocol_version",
        71 => "insufficient_security",
        80 => "internal_error",
        86 => "inappropriate_fallback",
        90 => "user_canceled",
        100 => "no_renegotiation",
        109 => "missing_extension",
        110 => "unsupported_extension",
        111 => "certificate_unobtainable",
        112 => "unrecognized_name",
        113 => "bad_certificate_status_response",
        114 => "bad_certificate_hash_value",
        115 => "unknown_psk_identity",
        116 => "certificate_required",
        120 => "no_application_protocol",
        121 => "ech_required",
        _ => "unknown_alert",
    }
}

/// Whether `name` can be sent as SNI (an ASCII host name, not an IP literal).
fn sni_ok(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 253
        && name.parse::<std::net::IpAddr>().is_err()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.' || b == b'_')
}

fn push_u16(v: &mut Vec<u8>, x: u16) {
    v.extend_from_slice(&x.to_be_bytes());
}

fn push_u24(v: &mut Vec<u8>, x: usize) {
    let x = x as u32;
    v.extend_from_slice(&x.to_be_bytes()[1..]);
}

fn random32() -> [u8; 32] {
    let mut r = [0u8; 32];
    let provider = rustls::crypto::aws_lc_rs::default_provider();
    if provider.secure_random.fill(&mut r).is_err() {
        // not security relevant: the probe never completes a handshake
        let t = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        for (i, b) in r.iter_mut().enumerate() {
            *b = (t >> ((i % 16) * 8)) as u8 ^ (i as u8);
        }
    }
    r
}

/// The legacy ClientHello: record version 0x0301, client_version 0x0302,
/// [`LEGACY_CIPHER_SUITES`], null compression, and the extensions an old
/// server expects (SNI when `sni` is a host name, supported_groups,
/// ec_point_formats).
pub fn legacy_client_hello(sni: Option<&str>) -> Vec<u8> {
    let mut body = Vec::with_capacity(160);
    push_u16(&mut body, 0x0302);
    body.extend_from_slice(&random32());
    body.push(0); // session id
    push_u16(&mut body, (LEGACY_CIPHER_SUITES.len() * 2) as u16);
    for s in LEGACY_CIPHER_SUITES {
        push_u16(&mut body, *s);
    }
    body.extend_from_slice(&[1, 0]); // compression: null

    let mut ext = Vec::new();
    if let Some(name) = sni.filter(|n| sni_ok(n)) {
        let n = name.as_bytes();
        push_u16(&mut ext, 0x0000);
        push_u16(&mut ext, (n.len() + 5) as u16);
        push_u16(&mut ext, (n.len() + 3) as u16);
        ext.push(0); // host_name
        push_u16(&mut ext, n.len() as u16);
        ext.extend_from_slice(n);
    }
    // supported_groups: secp256r1, secp384r1, secp521r1, x25519
    push_u16(&mut ext, 0x000a);
    push_u16(&mut ext, 10);
    push_u16(&mut ext, 8);
    for g in [0x0017u16, 0x0018, 0x0019, 0x001d] {
        push_u16(&mut ext, g);
    }
    // ec_point_formats: uncompressed
    push_u16(&mut ext, 0x000b);
    push_u16(&mut ext, 2);
    ext.extend_from_slice(&[1, 0]);
    push_u16(&mut body, ext.len() as u16);
    body.extend_from_slice(&ext);

    let mut hs = Vec::with_capacity(body.len() + 4);
    hs.push(1); // client_hello
    push_u24(&mut hs, body.len());
    hs.extend_from_slice(&body);

    let mut rec = Vec::with_capacity(hs.len() + 5);
    rec.extend_from_slice(&[0x16, 0x03, 0x01]);
    push_u16(&mut rec, hs.len() as u16);
    rec.extend_from_slice(&hs);
    rec
}

/// Sends [`legacy_client_hello`] on `stream` and names what the server
/// answers. Reads at most [`MAX_REPLY`] bytes; the whole exchange is bounded
/// by `timeout`.
pub async fn probe_legacy<S: AsyncRead + AsyncWrite + Unpin>(
    mut stream: S,
    sni: Option<&str>,
    timeout: Duration,
) -> LegacyOutcome {
    let hello = legacy_client_hello(sni);
    let exchange = async {
        if let Err(e) = stream.write_all(&hello).await {
            return io_outcome(&e);
        }
        if let Err(e) = stream.flush().await {
            return io_outcome(&e);
        }
        read_reply(&mut stream).await
    };
    tokio::time::timeout(timeout, exchange)
        .await
        .unwrap_or(LegacyOutcome::Timeout)
}

fn io_outcome(e: &std::io::Error) -> LegacyOutcome {
    use std::io::ErrorKind::*;
    match e.kind() {
        UnexpectedEof | ConnectionReset | ConnectionAborted | BrokenPipe => LegacyOutcome::Closed,
        _ => LegacyOutcome::Io {
            detail: e.to_string(),
        },
    }
}

async fn read_reply<S: AsyncRead + Unpin>(stream: &mut S) -> LegacyOutcome {
    let mut buf: Vec<u8> = Vec::with_capacity(1024);
    let mut chunk = [0u8; 1024];
    loop {
        if let Some(outcome) = parse_reply(&buf) {
            return outcome;
        }
        if buf.len() >= MAX_REPLY {
            return LegacyOutcome::Unexpected {
                detail: t!("probe-legacy-no-server-hello", bytes = MAX_REPLY),
            };
        }
        let room = (MAX_REPLY - buf.len()).min(chunk.len());
        match stream.read(&mut chunk[..room]).await {
            Ok(0) => return LegacyOutcome::Closed,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            Err(e) => return io_outcome(&e),
        }
    }
}

/// Decides on the bytes received so far; `None` means "read more".
fn parse_reply(buf: &[u8]) -> Option<LegacyOutcome> {
    let first = *buf.first()?;
    let not_tls = !(0x14..=0x18).contains(&first) || buf.get(1).is_some_and(|&b| b != 0x03);
    if not_tls {
        return Some(LegacyOutcome::NotTls {
            first_bytes: buf[..buf.len().min(64)].to_vec(),
        });
    }
    let mut handshake: Vec<u8> = Vec::new();
    let mut pos = 0;
    while buf.len() >= pos + 5 {
        let ct = buf[pos];
        let len = usize::from(u16::from_be_bytes([buf[pos + 3], buf[pos + 4]]));
        if buf[pos + 1] != 0x03 || len == 0 || len > 16384 + 2048 {
            return Some(LegacyOutcome::Unexpected {
                detail: t!(
                    "probe-legacy-malformed-header",
                    header = hex_bytes(&buf[pos..pos + 5])
                ),
            });
        }
        let end = pos + 5 + len;
        let fragment = &buf[pos + 5..end.min(buf.len())];
        match ct {
            0x15 => {
                return match fragment {
                    [level, description, ..] => Some(LegacyOutcome::Alert {
                        level: *level,
                        description: *description,
                    }),
                    _ => None,
                };
            }
            0x16 => {
                handshake.extend_from_slice(fragment);
                if let Some(outcome) = parse_server_hello(&handshake) {
                    return Some(outcome);
                }
            }
            other => {
                return Some(LegacyOutcome::Unexpected {
                    detail: t!("probe-legacy-record-type", kind = other.to_string()),
                });
            }
        }
        if end > buf.len() {
            return None;
        }
        pos = end;
    }
    None
}

/// `16 03 01 00 00`: bytes as space-separated lower-case hex.
fn hex_bytes(b: &[u8]) -> String {
    b.iter()
        .map(|x| format!("{x:02x}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Reads version and cipher suite from the start of a ServerHello message.
fn parse_server_hello(hs: &[u8]) -> Option<LegacyOutcome> {
    let kind = *hs.first()?;
    if kind != 2 {
        return Some(LegacyOutcome::Unexpected {
            detail: t!("probe-legacy-handshake-type", kind = kind.to_string()),
        });
    }
    // type(1) len(3) version(2) random(32) session_id_len(1)
    let sid_len = usize::from(*hs.get(38)?);
    if sid_len > 32 {
        return Some(LegacyOutcome::Unexpected {
            detail: format!("ServerHello with a {sid_len}-byte session id"),
        });
    }
    let at = 39 + sid_len;
    let cipher = u16::from_be_bytes([*hs.get(at)?, *hs.get(at + 1)?]);
    let version = u16::from_be_bytes([hs[4], hs[5]]);
    Some(LegacyOutcome::Offers {
        version,
        name: version_name(version),
        cipher_suite: cipher,
    })
}

#[cfg(test)]
mod tests;
