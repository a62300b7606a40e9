use super::*;
use crate::probe::dns::{
    DnsError, HickoryResolver, MxRecord, Resolve, SrvRecord, lookup_addresses,
};
use std::time::Instant;

fn zone() -> Zone {
    Zone::new()
        .a("mail.example.test", Ipv4Addr::new(127, 0, 0, 1))
        .a("mail.example.test", Ipv4Addr::new(127, 0, 0, 2))
        .aaaa("v6only.example.test", Ipv6Addr::LOCALHOST)
        .mx("example.test", 20, "backup.example.test")
        .mx("example.test", 10, "MAIL.example.test.")
        .mx("nullmx.example.test", 0, ".")
        .srv("_pop3s._tcp.example.test", 0, 1, 995, "mail.example.test")
        .srv("_pop3._tcp.example.test", 10, 0, 110, "mail.example.test")
        .srv("_pop3._tcp.example.test", 0, 0, 0, ".")
        .servfail("broken.example.test")
        .refused("refused.example.test")
        .drop("silent.example.test")
}

async fn setup(timeout_ms: u64) -> (DnsServer, HickoryResolver) {
    let server = DnsServer::start(zone()).await.expect("start dns server");
    assert!(server.addr().ip().is_loopback());
    let resolver = HickoryResolver::new(&[server.addr()], Duration::from_millis(timeout_ms))
        .expect("resolver");
    (server, resolver)
}

#[tokio::test]
async fn a_and_aaaa() {
    let (_server, r) = setup(2000).await;
    let mut a = r.lookup_a("mail.example.test").await.unwrap();
    a.sort();
    assert_eq!(
        a,
        vec![Ipv4Addr::new(127, 0, 0, 1), Ipv4Addr::new(127, 0, 0, 2)]
    );
    assert_eq!(
        r.lookup_aaaa("v6only.example.test").await.unwrap(),
        vec![Ipv6Addr::LOCALHOST]
    );
    // Case and trailing dot do not matter.
    assert_eq!(r.lookup_a("MAIL.Example.Test.").await.unwrap().len(), 2);
}

#[tokio::test]
async fn split_address_lookup_reports_each_family() {
    let (_server, r) = setup(2000).await;
    let both = lookup_addresses(&r, "v6only.example.test").await;
    assert_eq!(both.summary(), "A: none, AAAA: ::1");
    assert_eq!(
        both.a,
        Err(DnsError::NoRecords {
            name: "v6only.example.test".into(),
            rtype: "A"
        })
    );
    assert_eq!(
        r.lookup_ip("v6only.example.test").await.unwrap(),
        vec!["::1".parse::<std::net::IpAddr>().unwrap()]
    );
    let ips = r.lookup_ip("mail.example.test").await.unwrap();
    assert_eq!(ips.len(), 2);
    // Both families empty: one NODATA for A/AAAA.
    assert_eq!(
        r.lookup_ip("example.test").await,
        Err(DnsError::NoRecords {
            name: "example.test".into(),
            rtype: "A/AAAA"
        })
    );
    assert_eq!(
        r.lookup_ip("nothere.example.test").await,
        Err(DnsError::NxDomain {
            name: "nothere.example.test".into()
        })
    );
}

#[tokio::test]
async fn mx_sorted_by_preference() {
    let (_server, r) = setup(2000).await;
    assert_eq!(
        r.lookup_mx("example.test").await.unwrap(),
        vec![
            MxRecord {
                preference: 10,
                exchange: "mail.example.test".into()
            },
            MxRecord {
                preference: 20,
                exchange: "backup.example.test".into()
            },
        ]
    );
    assert_eq!(
        r.lookup_mx("nullmx.example.test").await.unwrap(),
        vec![MxRecord {
            preference: 0,
            exchange: ".".into()
        }]
    );
}

#[tokio::test]
async fn srv_records() {
    let (_server, r) = setup(2000).await;
    assert_eq!(
        r.lookup_srv("_pop3s._tcp.example.test").await.unwrap(),
        vec![SrvRecord {
            priority: 0,
            weight: 1,
            port: 995,
            target: "mail.example.test".into()
        }]
    );
    let v = r.lookup_srv("_pop3._tcp.example.test").await.unwrap();
    assert_eq!(v.len(), 2);
    assert_eq!(v[0].target, ".");
    assert_eq!(v[1].port, 110);
}

#[tokio::test]
async fn nxdomain_nodata_servfail_refused_told_apart() {
    let (_server, r) = setup(2000).await;
    assert_eq!(
        r.lookup_a("nothere.example.test").await,
        Err(DnsError::NxDomain {
            name: "nothere.example.test".into()
        })
    );
    assert_eq!(
        r.lookup_mx("mail.example.test").await,
        Err(DnsError::NoRecords {
            name: "mail.example.test".into(),
            rtype: "MX"
        })
    );
    assert_eq!(
        r.lookup_srv("_pop3s._tcp.nothere.example.test").await,
        Err(DnsError::NxDomain {
            name: "_pop3s._tcp.nothere.example.test".into()
        })
    );
    assert_eq!(
        r.lookup_a("broken.example.test").await,
        Err(DnsError::ServFail {
            name: "broken.example.test".into()
        })
    );
    assert_eq!(
        r.lookup_a("refused.example.test").await,
        Err(DnsError::Refused)
    );
    for e in [
        DnsError::NxDomain { name: "x".into() },
        DnsError::ServFail { name: "x".into() },
        DnsError::Refused,
    ] {
        assert!(!e.remedy().is_empty());
        assert!(!e.to_string().is_empty());
    }
}

#[tokio::test]
async fn dropped_query_times_out_quickly() {
    let (_server, r) = setup(300).await;
    let start = Instant::now();
    let err = r.lookup_a("silent.example.test").await.unwrap_err();
    let took = start.elapsed();
    assert_eq!(
        err,
        DnsError::Timeout {
            name: "silent.example.test".into(),
            after: Duration::from_millis(300)
        }
    );
    assert!(
        took >= Duration::from_millis(250),
        "gave up too early: {took:?}"
    );
    assert!(err.to_string().contains("300 ms"), "{err}");
    // The server is still healthy after the silent treatment.
    assert!(r.lookup_a("mail.example.test").await.is_ok());
}

#[tokio::test]
async fn unreachable_server_fails_cleanly() {
    // Reserve a port, then free it so nothing listens there.
    let addr = {
        let s = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
        s.local_addr().unwrap()
    };
    let r = HickoryResolver::new(&[addr], Duration::from_millis(300)).unwrap();
    assert_eq!(r.servers(), &[addr]);
    assert!(r.is_explicit());
    let err = r.lookup_a("mail.example.test").await.unwrap_err();
    eprintln!("unreachable: {err} / {}", err.remedy());
    assert!(
        matches!(err, DnsError::Timeout { .. } | DnsError::Other(_)),
        "{err:?}"
    );
}

#[tokio::test]
async fn localhost_and_literals_need_no_server() {
    // A dead server: these must be answered without asking it.
    let addr = {
        let s = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
        s.local_addr().unwrap()
    };
    let r = HickoryResolver::new(&[addr], Duration::from_millis(300)).unwrap();
    assert_eq!(
        r.lookup_a("localhost").await.unwrap(),
        vec![Ipv4Addr::LOCALHOST]
    );
    assert_eq!(
        r.lookup_aaaa("localhost").await.unwrap(),
        vec![Ipv6Addr::LOCALHOST]
    );
    assert_eq!(
        r.lookup_a("127.0.0.1").await.unwrap(),
        vec![Ipv4Addr::LOCALHOST]
    );
    assert_eq!(
        r.lookup_aaaa("[::1]").await.unwrap(),
        vec![Ipv6Addr::LOCALHOST]
    );
    assert!(matches!(
        r.lookup_aaaa("127.0.0.1").await,
        Err(DnsError::NoRecords { rtype: "AAAA", .. })
    ));
    assert!(matches!(
        r.lookup_a("bad name").await,
        Err(DnsError::Other(_))
    ));
}

#[tokio::test]
async fn truncated_udp_answer_retried_over_tcp() {
    let mut zone = Zone::new();
    for i in 0..100u8 {
        zone = zone.a("big.example.test", Ipv4Addr::new(127, 0, 1, i));
    }
    let mut q = Message::query();
    q.add_query(hickory_proto::op::Query::query(
        Name::from_ascii("big.example.test.").unwrap(),
        hickory_proto::rr::RecordType::A,
    ));
    let packet = q.to_vec().unwrap();
    assert!(zone.respond(&packet, None).unwrap().len() > 512);
    let cut = Message::from_vec(&zone.respond(&packet, Some(512)).unwrap()).unwrap();
    assert!(cut.metadata.truncation);
    assert!(cut.answers.is_empty());

    let server = DnsServer::start(zone).await.unwrap();
    if !server.has_tcp() {
        return; // another program holds the TCP port; nothing to test
    }
    let r = HickoryResolver::new(&[server.addr()], Duration::from_millis(2000)).unwrap();
    assert_eq!(r.lookup_a("big.example.test").await.unwrap().len(), 100);
}

#[tokio::test]
async fn garbage_is_ignored_and_server_stops_on_drop() {
    let server = DnsServer::start(zone()).await.unwrap();
    let addr = server.addr();
    let sock = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    for junk in [
        &b""[..],
        b"\x00",
        b"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff",
    ] {
        sock.send_to(junk, addr).await.unwrap();
    }
    let mut buf = [0u8; 512];
    let got = tokio::time::timeout(Duration::from_millis(200), sock.recv_from(&mut buf)).await;
    assert!(got.is_err(), "server answered garbage");
    // Still serving.
    let r = HickoryResolver::new(&[addr], Duration::from_millis(1000)).unwrap();
    assert!(r.lookup_a("mail.example.test").await.is_ok());
    drop(server);
    tokio::task::yield_now().await;
    let err = r.lookup_a("mail.example.test").await.unwrap_err();
    assert!(
        matches!(err, DnsError::Timeout { .. } | DnsError::Other(_)),
        "{err:?}"
    );
}

#[tokio::test]
async fn invalid_zone_names_rejected() {
    let err = DnsServer::start(Zone::new().a("bad name..", Ipv4Addr::LOCALHOST))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
    assert!(err.to_string().contains("bad name"), "{err}");
}

#[test]
fn respond_unit() {
    use hickory_proto::op::Query;
    use hickory_proto::rr::RecordType;
    let z = zone();
    let mut q = Message::query();
    q.add_query(Query::query(
        Name::from_ascii("example.test.").unwrap(),
        RecordType::MX,
    ));
    let r = Message::from_vec(&z.respond(&q.to_vec().unwrap(), Some(512)).unwrap()).unwrap();
    assert_eq!(r.metadata.message_type, MessageType::Response);
    assert_eq!(r.metadata.id, q.metadata.id);
    assert_eq!(r.metadata.response_code, ResponseCode::NoError);
    assert_eq!(r.answers.len(), 2);
    // A response is not a query: no answer.
    assert!(z.respond(&r.to_vec().unwrap(), Some(512)).is_none());
}
