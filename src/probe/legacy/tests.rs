use super::*;
use crate::lab::legacy_tls::{
    FakeLegacyServer, fake_legacy_server_reply, offered_suites, read_client_hello,
};
use crate::lab::testpki::{LeafSpec, Pki, ServerVersions};
use std::sync::Arc;
use tokio::io::duplex;
use tokio::net::{TcpListener, TcpStream};

const T: Duration = Duration::from_secs(5);

async fn fake_over_duplex(server: FakeLegacyServer) -> LegacyOutcome {
    let (client, mut srv) = duplex(64 * 1024);
    let task = tokio::spawn(async move {
        let hello = read_client_hello(&mut srv, T).await.unwrap();
        srv.write_all(&server.reply(&hello)).await.unwrap();
        // keep the pipe open until the client is done
        let mut sink = [0u8; 16];
        let _ = srv.read(&mut sink).await;
    });
    let out = probe_legacy(client, Some("pop.example.com"), T).await;
    task.abort();
    out
}

#[tokio::test]
async fn names_a_tls10_only_server() {
    let out = fake_over_duplex(FakeLegacyServer::default()).await;
    assert_eq!(
        out,
        LegacyOutcome::Offers {
            version: 0x0301,
            name: "TLS 1.0",
            cipher_suite: 0xc013
        }
    );
    assert!(out.speaks_legacy());
    assert!(out.to_string().contains("TLS 1.0"));
}

#[tokio::test]
async fn names_a_tls11_server() {
    let out = fake_over_duplex(FakeLegacyServer {
        version: 0x0302,
        max_client_version: 0x0303,
    })
    .await;
    assert_eq!(out.version(), Some(0x0302));
}

#[tokio::test]
async fn modern_only_server_alerts() {
    let out = fake_over_duplex(FakeLegacyServer {
        version: 0x0303,
        max_client_version: 0xffff,
    })
    .await;
    assert_eq!(
        out,
        LegacyOutcome::Alert {
            level: 2,
            description: 70
        }
    );
    assert!(out.to_string().contains("protocol_version"));
    assert!(!out.speaks_legacy());
}

#[test]
fn fake_alerts_a_tls12_hello() {
    let mut hello = legacy_client_hello(None);
    hello[9] = 0x03;
    hello[10] = 0x03;
    assert_eq!(
        fake_legacy_server_reply(&hello),
        vec![0x15, 3, 1, 0, 2, 2, 70]
    );
    assert_eq!(
        FakeLegacyServer::negotiating_down().reply(&hello)[..3],
        [0x16, 3, 1]
    );
    // malformed hellos get alerts, never a panic
    assert_eq!(fake_legacy_server_reply(&[]).last(), Some(&50));
    assert_eq!(
        fake_legacy_server_reply(b"+OK hello there").last(),
        Some(&10)
    );
    let truncated = &legacy_client_hello(None)[..20];
    assert_eq!(
        parse_reply(&fake_legacy_server_reply(truncated)).and_then(|o| o.version()),
        Some(0x0301)
    );
}

#[test]
fn client_hello_shape() {
    let h = legacy_client_hello(Some("pop.example.com"));
    assert_eq!(&h[..3], &[0x16, 3, 1]);
    assert_eq!(usize::from(u16::from_be_bytes([h[3], h[4]])), h.len() - 5);
    assert_eq!(h[5], 1);
    assert_eq!(&h[9..11], &[3, 2]);
    assert!(h.windows(15).any(|w| w == b"pop.example.com"));
    assert_eq!(offered_suites(&h), LEGACY_CIPHER_SUITES);
    // no SNI for IP literals or junk
    let h = legacy_client_hello(Some("192.0.2.1"));
    assert!(!h.windows(9).any(|w| w == b"192.0.2.1"));
    let h = legacy_client_hello(Some("bad name\r\n"));
    assert!(!h.windows(3).any(|w| w == b"bad"));
}

#[test]
fn reply_parser_is_bounded_and_total() {
    assert_eq!(parse_reply(b""), None);
    assert!(matches!(
        parse_reply(b"+OK POP3 ready\r\n"),
        Some(LegacyOutcome::NotTls { .. })
    ));
    assert!(matches!(
        parse_reply(b"\x16\x01"),
        Some(LegacyOutcome::NotTls { .. })
    ));
    assert_eq!(parse_reply(&[0x16, 3, 1]), None);
    assert_eq!(parse_reply(&[0x15, 3, 1, 0, 2, 2]), None);
    assert_eq!(
        parse_reply(&[0x15, 3, 1, 0, 2, 1, 0]),
        Some(LegacyOutcome::Alert {
            level: 1,
            description: 0
        })
    );
    assert!(matches!(
        parse_reply(&[0x16, 3, 1, 0, 0]),
        Some(LegacyOutcome::Unexpected { .. })
    ));
    assert!(matches!(
        parse_reply(&[0x17, 3, 1, 0, 1, 0]),
        Some(LegacyOutcome::Unexpected { .. })
    ));
    assert!(matches!(
        parse_reply(&[0x16, 3, 1, 0, 4, 11, 0, 0, 0]),
        Some(LegacyOutcome::Unexpected { .. })
    ));
    // a ServerHello split over two records
    let full = FakeLegacyServer::default().reply(&legacy_client_hello(None));
    let hs = &full[5..];
    let mut split = vec![0x16, 3, 1, 0, 10];
    split.extend_from_slice(&hs[..10]);
    assert_eq!(parse_reply(&split), None);
    split.extend_from_slice(&[0x16, 3, 1, 0, (hs.len() - 10) as u8]);
    split.extend_from_slice(&hs[10..]);
    assert_eq!(parse_reply(&split).and_then(|o| o.version()), Some(0x0301));
    // every prefix of a valid reply is either "read more" or the answer
    for n in 0..full.len() {
        match parse_reply(&full[..n]) {
            None => {}
            Some(o) => assert_eq!(o.version(), Some(0x0301), "prefix {n}"),
        }
    }
    for n in 0..64u8 {
        let junk: Vec<u8> = (0..n).map(|i| i.wrapping_mul(37) ^ n).collect();
        let _ = parse_reply(&junk);
        let _ = FakeLegacyServer::default().reply(&junk);
    }
}

#[tokio::test]
async fn closed_and_timeout_and_plaintext() {
    let (client, srv) = duplex(1024);
    drop(srv);
    assert_eq!(probe_legacy(client, None, T).await, LegacyOutcome::Closed);

    let (client, _srv) = duplex(64 * 1024);
    let out = probe_legacy(client, None, Duration::from_millis(50)).await;
    assert_eq!(out, LegacyOutcome::Timeout);

    let (client, mut srv) = duplex(64 * 1024);
    srv.write_all(b"+OK POP3 server ready\r\n").await.unwrap();
    let out = probe_legacy(client, None, T).await;
    assert!(
        matches!(out, LegacyOutcome::NotTls { ref first_bytes } if first_bytes.starts_with(b"+OK"))
    );
}

#[tokio::test]
async fn rustls_server_alerts_the_legacy_hello() {
    let pki = Pki::new().unwrap();
    let leaf = pki.issue_leaf(&LeafSpec::default()).unwrap();
    let config = leaf.server_config(ServerVersions::All).unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::clone(&config));
    let server = tokio::spawn(async move {
        let (tcp, _) = listener.accept().await.unwrap();
        let _ = acceptor.accept(tcp).await;
    });
    let tcp = TcpStream::connect(addr).await.unwrap();
    let out = probe_legacy(tcp, Some("localhost"), T).await;
    // rustls refuses with handshake_failure (no common suite) or
    // protocol_version
    assert!(
        matches!(
            out,
            LegacyOutcome::Alert {
                level: 2,
                description: 40 | 70
            }
        ),
        "{out}"
    );
    let _ = server.await;
}
