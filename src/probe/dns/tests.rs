use super::*;
use std::sync::Arc;

fn fake() -> StaticResolver {
    StaticResolver::new()
        .a("mail.example.com", Ipv4Addr::new(192, 0, 2, 10))
        .aaaa("v6.example.com", Ipv6Addr::LOCALHOST)
        .mx("example.com", 20, "backup.example.com.")
        .mx("example.com", 10, "mail.example.com")
        .srv("_pop3s._tcp.example.com", 5, 1, 995, "a.example.com")
        .srv("_pop3s._tcp.example.com", 5, 9, 995, "b.example.com")
        .srv("_pop3s._tcp.example.com", 1, 0, 995, "c.example.com")
        .exists("empty.example.com")
        .fail_all(
            "broken.example.com",
            DnsError::ServFail {
                name: "broken.example.com".into(),
            },
        )
        .fail(
            "mail.example.com",
            RecordKind::Aaaa,
            DnsError::Timeout {
                name: "mail.example.com".into(),
                after: Duration::from_secs(1),
            },
        )
}

#[tokio::test]
async fn static_resolver_answers_like_a_zone() {
    let r: Arc<dyn Resolve> = Arc::new(fake());
    assert_eq!(
        r.lookup_a("MAIL.example.com.").await.unwrap(),
        vec![Ipv4Addr::new(192, 0, 2, 10)]
    );
    assert_eq!(
        r.lookup_a("nope.example.com").await,
        Err(DnsError::NxDomain {
            name: "nope.example.com".into()
        })
    );
    assert_eq!(
        r.lookup_mx("empty.example.com").await,
        Err(DnsError::NoRecords {
            name: "empty.example.com".into(),
            rtype: "MX"
        })
    );
    assert_eq!(
        r.lookup_srv("broken.example.com").await,
        Err(DnsError::ServFail {
            name: "broken.example.com".into()
        })
    );
    let mx = r.lookup_mx("example.com").await.unwrap();
    assert_eq!(
        mx.iter()
            .map(|m| (m.preference, m.exchange.as_str()))
            .collect::<Vec<_>>(),
        vec![(10, "mail.example.com"), (20, "backup.example.com")]
    );
    let srv = r.lookup_srv("_pop3s._tcp.example.com").await.unwrap();
    assert_eq!(
        srv.iter().map(|s| s.target.as_str()).collect::<Vec<_>>(),
        vec!["c.example.com", "b.example.com", "a.example.com"]
    );
    // Literals answer themselves.
    assert_eq!(
        r.lookup_ip("::1").await.unwrap(),
        vec![IpAddr::V6(Ipv6Addr::LOCALHOST)]
    );
}

#[tokio::test]
async fn address_lookup_keeps_both_halves() {
    let r = fake();
    let l = lookup_addresses(&r, "mail.example.com").await;
    assert_eq!(l.summary(), "A: 192.0.2.10, AAAA: timeout");
    assert_eq!(
        l.addresses(),
        vec![IpAddr::V4(Ipv4Addr::new(192, 0, 2, 10))]
    );
    // One family answering is enough for lookup_ip.
    assert_eq!(r.lookup_ip("mail.example.com").await.unwrap().len(), 1);

    let l = lookup_addresses(&r, "v6.example.com").await;
    assert_eq!(l.summary(), "A: none, AAAA: ::1");

    // Both fail: a failure to answer beats a negative answer.
    let r = StaticResolver::new().fail("x.example.com", RecordKind::Aaaa, DnsError::Refused);
    assert_eq!(r.lookup_ip("x.example.com").await, Err(DnsError::Refused));
    assert_eq!(
        StaticResolver::new()
            .exists("y.example")
            .lookup_ip("y.example")
            .await,
        Err(DnsError::NoRecords {
            name: "y.example".into(),
            rtype: "A/AAAA"
        })
    );
    assert_eq!(
        StaticResolver::new().lookup_ip("z.example.").await,
        Err(DnsError::NxDomain {
            name: "z.example".into()
        })
    );
}

#[test]
fn hickory_errors_map_to_ours() {
    use hickory_resolver::proto::op::Query;
    let t = Duration::from_millis(700);
    let q = || {
        Box::new(Query::query(
            Name::from_ascii("a.example.").unwrap(),
            RecordType::MX,
        ))
    };
    let cases: Vec<(NetError, DnsError)> = vec![
        (
            NoRecords::new(q(), ResponseCode::NXDomain).into(),
            DnsError::NxDomain {
                name: "a.example".into(),
            },
        ),
        (
            NoRecords::new(q(), ResponseCode::NoError).into(),
            DnsError::NoRecords {
                name: "a.example".into(),
                rtype: "MX",
            },
        ),
        (
            NetError::Dns(HickoryDnsError::ResponseCode(ResponseCode::ServFail)),
            DnsError::ServFail {
                name: "a.example".into(),
            },
        ),
        (
            NetError::Dns(HickoryDnsError::ResponseCode(ResponseCode::Refused)),
            DnsError::Refused,
        ),
        (
            NetError::Timeout,
            DnsError::Timeout {
                name: "a.example".into(),
                after: t,
            },
        ),
        (
            std::io::Error::from(std::io::ErrorKind::TimedOut).into(),
            DnsError::Timeout {
                name: "a.example".into(),
                after: t,
            },
        ),
    ];
    for (net, ours) in cases {
        assert_eq!(
            map_net_error(&net, "a.example.", RecordType::MX, t),
            ours,
            "{net}"
        );
    }
    for net in [
        NetError::Dns(HickoryDnsError::ResponseCode(ResponseCode::FormErr)),
        NetError::from(std::io::Error::from(std::io::ErrorKind::ConnectionRefused)),
        NetError::NoConnections,
        NetError::Message("odd"),
    ] {
        let e = map_net_error(&net, "a.example", RecordType::A, t);
        assert!(
            matches!(e, DnsError::Other(ref m) if m.contains("a.example")),
            "{e:?}"
        );
    }
}

#[test]
fn every_error_has_words_code_and_remedy() {
    let all = [
        DnsError::NxDomain { name: "n".into() },
        DnsError::NoRecords {
            name: "n".into(),
            rtype: "MX",
        },
        DnsError::ServFail { name: "n".into() },
        DnsError::Refused,
        DnsError::Timeout {
            name: "n".into(),
            after: Duration::from_millis(1500),
        },
        DnsError::Other("boom".into()),
    ];
    let mut codes = HashSet::new();
    for e in &all {
        assert!(!e.to_string().is_empty());
        assert!(e.remedy().ends_with('.'), "{e:?}");
        assert!(codes.insert(e.code()));
    }
    assert_eq!(
        all[4].to_string(),
        "no answer from the DNS server for n within 1500 ms"
    );
    assert_eq!(all[1].to_string(), "n exists in DNS but has no MX record");
    assert!(all[0].is_negative_answer() && all[1].is_negative_answer());
    assert!(!all[2].is_negative_answer());
}
