//! Rule tests: hand-built outcomes, no network.

use super::*;
use crate::probe::outcome::{FailureKind, NameFinding, TlsSession};
use std::net::SocketAddr;

pub(super) fn rules() -> Rules {
    Rules {
        expiry_warn_days: 14,
        slow: Duration::from_secs(2),
        now: time::macros::datetime!(2026-11-21 12:00 UTC),
        domain_lookup: false,
        dns_server_given: false,
    }
}

pub(super) fn tls_session() -> TlsSession {
    TlsSession {
        version: "TLSv1.3".into(),
        cipher: "TLS13_AES_256_GCM_SHA384".into(),
        sni: Some("pop.example.com".into()),
        certificates: vec![],
        verify_error: None,
        chain: ChainFinding::Trusted,
        name: Some(NameFinding {
            name: "pop.example.com".into(),
            why: "the name in the target".into(),
            valid: true,
            names: vec!["pop.example.com".into()],
            used_cn: false,
            alternatives: vec![],
        }),
        not_before: Some(time::macros::datetime!(2026-01-01 0:00 UTC)),
        not_after: Some(time::macros::datetime!(2027-01-01 0:00 UTC)),
        key_alg: "EC".into(),
        key_bits: 256,
        duration: Duration::from_millis(5),
    }
}

pub(super) fn ok_tls_leg(port: u16) -> LegOutcome {
    let addr: SocketAddr = format!("192.0.2.1:{port}").parse().unwrap();
    let mut l = LegOutcome::new(addr, Security::ImplicitTls, true);
    l.connect = Some(Ok(Duration::from_millis(1)));
    l.tls = Some(Ok(tls_session()));
    l.greeting = Some((
        Greeting::Ok {
            text: "ready".into(),
            apop: false,
        },
        Duration::from_millis(2),
    ));
    l.capa_tls = Some((Capa::listed(["USER"]), Duration::from_millis(1)));
    l
}

pub(super) fn failed_plain_leg(kind: FailureKind) -> LegOutcome {
    let mut l = LegOutcome::new("192.0.2.1:110".parse().unwrap(), Security::Plain, true);
    l.connect = Some(Err(Failure::new(kind, "x")));
    l
}

pub(super) fn outcome(legs: Vec<LegOutcome>) -> Outcome {
    Outcome {
        started_at: time::OffsetDateTime::UNIX_EPOCH,
        duration: Duration::ZERO,
        dns: DnsOutcome {
            source: Some(HostSource::Literal),
            ..Default::default()
        },
        legs,
        deadline_hit: false,
        interrupted: false,
        dialogue: None,
    }
}

fn find<'a>(checks: &'a [Check], id: &str, port: Option<u16>) -> &'a Check {
    let id: crate::model::CheckId = id.parse().expect("a documented check id");
    checks
        .iter()
        .find(|c| {
            c.id == id
                && port.is_none_or(|p| {
                    c.endpoint
                        .as_deref()
                        .is_some_and(|e| e.ends_with(&format!(":{p}")))
                })
        })
        .unwrap_or_else(|| panic!("no check {id} in {checks:#?}"))
}

#[test]
fn refused_plain_port_is_info_when_tls_port_works() {
    let c = evaluate(
        &outcome(vec![
            failed_plain_leg(FailureKind::Refused),
            ok_tls_leg(995),
        ]),
        &rules(),
    );
    assert_eq!(find(&c, "tcp.connect", Some(110)).status, Status::Info);
    assert_eq!(Status::worst(c.iter().map(|c| c.status)), Status::Pass);
}

#[test]
fn filtered_plain_port_is_warn_when_tls_port_works() {
    let c = evaluate(
        &outcome(vec![
            failed_plain_leg(FailureKind::Timeout),
            ok_tls_leg(995),
        ]),
        &rules(),
    );
    assert_eq!(find(&c, "tcp.connect", Some(110)).status, Status::Warn);
}

#[test]
fn refused_everywhere_fails() {
    let mut tls = failed_plain_leg(FailureKind::Refused);
    tls.addr = "192.0.2.1:995".parse().unwrap();
    tls.security = Security::ImplicitTls;
    let c = evaluate(
        &outcome(vec![failed_plain_leg(FailureKind::Refused), tls]),
        &rules(),
    );
    assert_eq!(find(&c, "tcp.connect", Some(110)).status, Status::Fail);
    assert_eq!(find(&c, "tcp.connect", Some(995)).status, Status::Fail);
}

#[test]
fn expiry_rules() {
    let mut leg = ok_tls_leg(995);
    let c = evaluate(&outcome(vec![leg.clone()]), &rules());
    assert_eq!(find(&c, "tls.expiry", None).status, Status::Pass);

    if let Some(Ok(s)) = &mut leg.tls {
        s.not_after = Some(time::macros::datetime!(2026-11-30 0:00 UTC));
    }
    let c = evaluate(&outcome(vec![leg.clone()]), &rules());
    assert_eq!(find(&c, "tls.expiry", None).status, Status::Warn);

    if let Some(Ok(s)) = &mut leg.tls {
        s.not_after = Some(time::macros::datetime!(2026-11-01 0:00 UTC));
    }
    let c = evaluate(&outcome(vec![leg.clone()]), &rules());
    let e = find(&c, "tls.expiry", None);
    assert_eq!(e.status, Status::Fail);
    assert!(e.summary.contains("expired"), "{}", e.summary);

    if let Some(Ok(s)) = &mut leg.tls {
        s.not_before = Some(time::macros::datetime!(2026-12-01 0:00 UTC));
        s.not_after = Some(time::macros::datetime!(2027-12-01 0:00 UTC));
    }
    let c = evaluate(&outcome(vec![leg]), &rules());
    assert!(
        find(&c, "tls.expiry", None)
            .summary
            .contains("not valid before")
    );
}

#[test]
fn weak_keys_warn() {
    for (alg, bits, status) in [
        ("RSA", 1024, Status::Warn),
        ("RSA", 2048, Status::Pass),
        ("EC", 224, Status::Warn),
        ("EC", 256, Status::Pass),
        ("Ed25519", 256, Status::Pass),
    ] {
        let mut leg = ok_tls_leg(995);
        if let Some(Ok(s)) = &mut leg.tls {
            s.key_alg = alg.into();
            s.key_bits = bits;
        }
        let c = evaluate(&outcome(vec![leg]), &rules());
        assert_eq!(find(&c, "tls.key", None).status, status, "{alg} {bits}");
    }
}

#[test]
fn chain_findings_map_to_statuses() {
    for (finding, status) in [
        (ChainFinding::Trusted, Status::Pass),
        (ChainFinding::Deferred("expired".into()), Status::Pass),
        (ChainFinding::SelfSigned, Status::Fail),
        (
            ChainFinding::UnknownIssuer {
                issuer: "CN=x".into(),
            },
            Status::Fail,
        ),
        (
            ChainFinding::MissingIntermediate {
                issuer: "CN=i".into(),
            },
            Status::Fail,
        ),
    ] {
        let mut leg = ok_tls_leg(995);
        if let Some(Ok(s)) = &mut leg.tls {
            s.chain = finding.clone();
        }
        let c = evaluate(&outcome(vec![leg]), &rules());
        assert_eq!(find(&c, "tls.chain", None).status, status, "{finding:?}");
    }
}

#[test]
fn hostname_mismatch_lists_names() {
    let mut leg = ok_tls_leg(995);
    if let Some(Ok(s)) = &mut leg.tls {
        s.name = Some(NameFinding {
            name: "pop.example.com".into(),
            why: "w".into(),
            valid: false,
            names: vec!["mail.other.example".into()],
            used_cn: false,
            alternatives: vec![],
        });
    }
    let c = evaluate(&outcome(vec![leg]), &rules());
    let h = find(&c, "tls.hostname", None);
    assert_eq!(h.status, Status::Fail);
    assert!(h.detail.contains("mail.other.example"));
}

pub(super) fn plain_leg(capa: &[&str], stls: Stls, tls_ok: bool) -> LegOutcome {
    let mut l = LegOutcome::new("192.0.2.1:110".parse().unwrap(), Security::Plain, true);
    l.connect = Some(Ok(Duration::from_millis(1)));
    l.greeting = Some((
        Greeting::Ok {
            text: "ready".into(),
            apop: false,
        },
        Duration::from_millis(1),
    ));
    l.capa_plain = Some((Capa::listed(capa.iter().copied()), Duration::from_millis(1)));
    l.stls = Some((stls, Duration::from_millis(1)));
    if tls_ok {
        l.tls = Some(Ok(tls_session()));
        l.capa_tls = Some((
            Capa::listed(["USER", "SASL PLAIN"]),
            Duration::from_millis(1),
        ));
    }
    l
}

#[test]
fn cleartext_offer_warns_and_refusal_passes() {
    let c = evaluate(
        &outcome(vec![plain_leg(
            &["STLS", "USER", "SASL PLAIN"],
            Stls::Accepted { leftover: 0 },
            true,
        )]),
        &rules(),
    );
    let a = find(&c, "auth.cleartext", None);
    assert_eq!(a.status, Status::Warn);
    assert!(a.summary.contains("USER/PASS") && a.summary.contains("SASL PLAIN"));

    let c = evaluate(
        &outcome(vec![plain_leg(
            &["STLS", "SASL CRAM-MD5"],
            Stls::Accepted { leftover: 0 },
            true,
        )]),
        &rules(),
    );
    assert_eq!(find(&c, "auth.cleartext", None).status, Status::Pass);
    let capa = find(&c, "pop3.capa", None);
    assert!(
        capa.detail.contains("added [USER, SASL PLAIN]"),
        "{}",
        capa.detail
    );
    assert!(capa.detail.contains("removed [STLS"), "{}", capa.detail);
}

#[test]
fn missing_stls_fails_alone_and_warns_beside_working_995() {
    let c = evaluate(
        &outcome(vec![plain_leg(&["USER"], Stls::NotOffered, false)]),
        &rules(),
    );
    assert_eq!(find(&c, "tls.stls", None).status, Status::Fail);
    let c = evaluate(
        &outcome(vec![
            plain_leg(&["USER"], Stls::NotOffered, false),
            ok_tls_leg(995),
        ]),
        &rules(),
    );
    assert_eq!(find(&c, "tls.stls", Some(110)).status, Status::Warn);
}

#[test]
fn stls_still_listed_after_tls_warns() {
    let mut leg = plain_leg(&["STLS"], Stls::Accepted { leftover: 0 }, true);
    leg.capa_tls = Some((Capa::listed(["STLS"]), Duration::ZERO));
    let c = evaluate(&outcome(vec![leg]), &rules());
    assert_eq!(find(&c, "pop3.capa", None).status, Status::Warn);
}

#[test]
fn greeting_variants() {
    let mut leg = plain_leg(&["STLS"], Stls::Accepted { leftover: 0 }, true);
    leg.greeting = Some((
        Greeting::Ok {
            text: "x".into(),
            apop: false,
        },
        Duration::from_secs(3),
    ));
    let c = evaluate(&outcome(vec![leg.clone()]), &rules());
    assert_eq!(find(&c, "pop3.greeting", None).status, Status::Warn);
    leg.greeting = Some((
        Greeting::Foreign {
            protocol: Some("SMTP or FTP".into()),
            banner: "220 mx ESMTP".into(),
        },
        Duration::ZERO,
    ));
    let c = evaluate(&outcome(vec![leg]), &rules());
    let g = find(&c, "pop3.greeting", None);
    assert_eq!(g.status, Status::Fail);
    assert!(g.summary.contains("SMTP"));
    assert!(g.remedy.contains("110"));
}

#[test]
fn injection_and_legacy() {
    let mut leg = plain_leg(&["STLS"], Stls::Accepted { leftover: 0 }, true);
    leg.injection = Some(Injection::Vulnerable {
        evidence: "e".into(),
    });
    let c = evaluate(&outcome(vec![leg]), &rules());
    assert_eq!(find(&c, "tls.stls-injection", None).status, Status::Fail);

    let mut leg = ok_tls_leg(995);
    leg.tls = Some(Err(Failure::new(
        FailureKind::ProtocolVersion,
        "no TLS version in common",
    )));
    leg.legacy = Some(Legacy::Offers("TLS 1.0".into()));
    let c = evaluate(&outcome(vec![leg]), &rules());
    let p = find(&c, "tls.protocol", None);
    assert_eq!(p.status, Status::Fail);
    assert!(p.summary.contains("offers only TLS 1.0"));
}

#[test]
fn dns_failures_are_named() {
    let mut o = outcome(vec![]);
    o.dns = DnsOutcome {
        host: Some("nope.example".into()),
        source: Some(HostSource::Direct),
        a: Some(Err(Failure::new(
            FailureKind::NxDomain,
            "the name nope.example does not exist in DNS (NXDOMAIN)",
        ))),
        aaaa: Some(Err(Failure::new(
            FailureKind::NxDomain,
            "the name nope.example does not exist in DNS (NXDOMAIN)",
        ))),
        ..Default::default()
    };
    let c = evaluate(&o, &rules());
    let d = find(&c, "dns.resolve", None);
    assert_eq!(d.status, Status::Fail);
    assert!(d.summary.contains("NXDOMAIN"));
    assert!(d.remedy.contains("spelling"));
}

#[test]
fn a_dead_address_beside_a_working_one_warns() {
    let mut v6_plain = failed_plain_leg(FailureKind::Refused);
    v6_plain.addr = "[2001:db8::1]:110".parse().unwrap();
    let mut v6_tls = failed_plain_leg(FailureKind::Refused);
    v6_tls.addr = "[2001:db8::1]:995".parse().unwrap();
    v6_tls.security = Security::ImplicitTls;
    let c = evaluate(&outcome(vec![ok_tls_leg(995), v6_plain, v6_tls]), &rules());
    let dead: Vec<&Check> = c
        .iter()
        .filter(|c| {
            c.endpoint
                .as_deref()
                .is_some_and(|e| e.starts_with("[2001"))
        })
        .collect();
    assert_eq!(dead.len(), 2);
    assert!(dead.iter().all(|c| c.status == Status::Warn), "{dead:#?}");
    assert!(dead[0].detail.contains("Another address"));
}

/// A CAPA list cut by popscope's bounds: `kept` whole, then names only.
pub(super) fn cut_capa(kept: &[&str], later: &[&str], names_lost: u64) -> Capa {
    Capa::Listed {
        lines: kept.iter().map(|s| s.to_string()).collect(),
        over_limit: 1,
        truncated: true,
        cut: 1,
        later: later.iter().map(|s| s.to_string()).collect(),
        names_lost,
    }
}

/// Issue 12: a cut CAPA list says so, and its names still count.
#[test]
fn cut_capa_list_warns_and_says_it_was_cut() {
    let mut leg = plain_leg(&[], Stls::Refused { text: "no".into() }, false);
    leg.capa_plain = Some((cut_capa(&["TOP"], &["SASL", "STLS"], 0), Duration::ZERO));
    let c = evaluate(&outcome(vec![leg]), &rules());
    let capa = find(&c, "pop3.capa", None);
    assert_eq!(capa.status, Status::Warn);
    assert!(
        capa.summary.starts_with("CAPA list cut"),
        "{}",
        capa.summary
    );
    assert!(capa.summary.contains("TOP, SASL, STLS"), "{}", capa.summary);
    assert!(
        capa.detail.contains("longer than 64 KiB and was cut"),
        "{}",
        capa.detail
    );
    assert_eq!(capa.data["truncated"], true);
    assert_eq!(
        capa.data["names_after_cut"],
        serde_json::json!(["SASL", "STLS"])
    );
    // STLS was listed (by name): no "tried anyway" remark
    let stls = find(&c, "tls.stls", None);
    assert!(stls.summary.contains("STLS refused"), "{}", stls.summary);
    assert!(!stls.detail.contains("tried it anyway"), "{}", stls.detail);
}

/// Issue 12: "not offered" is never concluded from a cut list.
#[test]
fn stls_is_not_called_missing_from_a_cut_list() {
    let mut leg = plain_leg(&[], Stls::NotOffered, false);
    leg.capa_plain = Some((cut_capa(&["TOP"], &["SASL"], 40), Duration::ZERO));
    let c = evaluate(&outcome(vec![leg]), &rules());
    let stls = find(&c, "tls.stls", None);
    assert_eq!(stls.status, Status::Skip);
    assert!(
        stls.summary.starts_with("could not tell"),
        "{}",
        stls.summary
    );
    assert!(!stls.summary.contains("not offered"), "{}", stls.summary);
    let capa = find(&c, "pop3.capa", None);
    assert!(capa.summary.ends_with("and 40 more"), "{}", capa.summary);
    assert!(
        capa.detail.contains("40 further line(s)"),
        "{}",
        capa.detail
    );

    // tried anyway and refused: said so
    let mut leg = plain_leg(&[], Stls::Refused { text: "no".into() }, false);
    leg.capa_plain = Some((cut_capa(&["TOP"], &["SASL"], 40), Duration::ZERO));
    let c = evaluate(&outcome(vec![leg]), &rules());
    let stls = find(&c, "tls.stls", None);
    assert_eq!(stls.status, Status::Fail);
    assert!(stls.detail.contains("tried it anyway"), "{}", stls.detail);
}

/// Issue 12: a CAPA response cut at the read bound is not said to have
/// "not ended properly".
#[test]
fn too_large_capa_is_longer_than_popscope_reads() {
    let mut leg = plain_leg(&[], Stls::NotOffered, false);
    leg.stls = None;
    leg.capa_plain = Some((
        Capa::Broken(Failure::new(
            FailureKind::TooLarge,
            "longer than popscope reads",
        )),
        Duration::ZERO,
    ));
    let c = evaluate(&outcome(vec![leg]), &rules());
    let capa = find(&c, "pop3.capa", None);
    assert_eq!(capa.status, Status::Fail);
    assert!(
        capa.detail.contains("longer than popscope reads"),
        "{}",
        capa.detail
    );
    assert!(
        !capa.detail.contains("did not end properly"),
        "{}",
        capa.detail
    );
}

/// Issue 12: an unterminated `+OK` greeting gets a remedy that fits.
#[test]
fn unterminated_greeting_remedy() {
    let mut leg = plain_leg(&[], Stls::NotOffered, false);
    leg.greeting = Some((
        Greeting::Failed(Failure::new(
            FailureKind::Unterminated,
            "the greeting started like a POP3 greeting (\"+OK\") but its line never ended",
        )),
        Duration::ZERO,
    ));
    let c = evaluate(&outcome(vec![leg]), &rules());
    let g = find(&c, "pop3.greeting", None);
    assert_eq!(g.status, Status::Fail);
    assert!(
        g.summary
            .starts_with("the greeting started like a POP3 greeting")
    );
    assert!(g.remedy.contains("never finished its line"), "{}", g.remedy);
}

/// A plain leg on `port` that stayed silent and answered a TLS ClientHello.
pub(super) fn tls_on_plain_leg(port: u16) -> LegOutcome {
    let addr: SocketAddr = format!("192.0.2.1:{port}").parse().unwrap();
    let mut l = LegOutcome::new(addr, Security::Plain, true);
    l.connect = Some(Ok(Duration::from_millis(1)));
    l.greeting = Some((Greeting::Silent, Duration::from_millis(3000)));
    l.tls_on_plain = Some(tls_session());
    l
}

/// An implicit-TLS leg on `port` where plaintext POP3 answered.
pub(super) fn plain_on_tls_leg(port: u16) -> LegOutcome {
    let mut l = ok_tls_leg(port);
    l.greeting = None;
    l.capa_tls = None;
    l.tls = Some(Err(Failure::new(
        FailureKind::Plaintext,
        "the server answered in plaintext instead of TLS, with a POP3 greeting \"+OK ready\": \
            this port speaks plain POP3, not implicit TLS",
    )
    .with_pop3_greeting(true)));
    l
}

/// Issue 9: TLS on the plain port and plain POP3 on the TLS port are
/// named as swapped ports, with remedies worded from both ports.
#[test]
fn swapped_ports_are_named_with_remedies_from_both_ports() {
    let c = evaluate(
        &outcome(vec![tls_on_plain_leg(110), plain_on_tls_leg(995)]),
        &rules(),
    );
    let g = find(&c, "pop3.greeting", Some(110));
    assert_eq!(g.status, Status::Fail);
    assert!(
        g.summary
            .starts_with("this port speaks TLS, not plain POP3: it is the TLS port"),
        "{}",
        g.summary
    );
    assert!(g.summary.contains("swapped"), "{}", g.summary);
    assert!(g.remedy.contains("SSL/TLS to port 110"), "{}", g.remedy);
    assert!(
        g.remedy.contains("pop3s://pop.example.com:110"),
        "{}",
        g.remedy
    );
    assert!(!g.summary.contains("no greeting within"), "{}", g.summary);

    let h = find(&c, "tls.handshake", Some(995));
    assert_eq!(h.status, Status::Fail);
    assert!(h.remedy.contains("swapped"), "{}", h.remedy);
    assert!(h.remedy.contains("SSL/TLS to port 110"), "{}", h.remedy);
    for wrong in [
        "port 110 with STLS",
        "POP3S port (995)",
        "connect to the POP3S port",
    ] {
        assert!(
            !h.remedy.contains(wrong) && !h.summary.contains(wrong),
            "{wrong}: {} / {}",
            h.summary,
            h.remedy
        );
    }
}

/// A plain port that speaks TLS while the TLS port is closed: the TLS port
/// in the wrong place, not a hung server.
#[test]
fn tls_on_the_plain_port_alone_says_connect_with_tls_there() {
    let mut closed = ok_tls_leg(995);
    closed.connect = Some(Err(Failure::new(FailureKind::Refused, "refused")));
    closed.tls = None;
    closed.greeting = None;
    let c = evaluate(&outcome(vec![tls_on_plain_leg(110), closed]), &rules());
    let g = find(&c, "pop3.greeting", Some(110));
    assert!(!g.summary.contains("swapped"), "{}", g.summary);
    assert!(
        g.remedy.contains("pop3s://pop.example.com:110"),
        "{}",
        g.remedy
    );
    assert!(g.remedy.contains("port assignment"), "{}", g.remedy);
}

/// Plain POP3 on the TLS port beside a working STLS port: the remedy points
/// at the STLS port, never at the port itself.
#[test]
fn plaintext_on_tls_port_points_at_the_working_stls_port() {
    let stls = plain_leg(&["STLS"], Stls::Accepted { leftover: 0 }, true);
    let c = evaluate(&outcome(vec![stls, plain_on_tls_leg(995)]), &rules());
    let h = find(&c, "tls.handshake", Some(995));
    assert!(h.remedy.contains("port 110 with STARTTLS"), "{}", h.remedy);
    assert!(!h.remedy.contains("POP3S port (995)"), "{}", h.remedy);
}

/// Issue 9: another service's banner names the service and points at the
/// POP3 ports that worked in this run, or says POP3 must be configured.
#[test]
fn foreign_banner_remedy_points_at_what_worked() {
    let mut smtp = plain_leg(&["STLS"], Stls::Accepted { leftover: 0 }, true);
    smtp.greeting = Some((
        Greeting::Foreign {
            protocol: Some("an SMTP or FTP greeting".into()),
            banner: "220 mx ESMTP".into(),
        },
        Duration::ZERO,
    ));
    smtp.capa_plain = None;
    smtp.stls = None;
    smtp.tls = None;
    let c = evaluate(&outcome(vec![smtp.clone(), ok_tls_leg(995)]), &rules());
    let g = find(&c, "pop3.greeting", Some(110));
    assert!(g.remedy.contains("SMTP"), "{}", g.remedy);
    assert!(g.remedy.contains("port 995 with SSL/TLS"), "{}", g.remedy);
    assert!(!g.remedy.contains("use port 110"), "{}", g.remedy);

    let mut closed = ok_tls_leg(995);
    closed.connect = Some(Err(Failure::new(FailureKind::Refused, "refused")));
    closed.tls = None;
    closed.greeting = None;
    let c = evaluate(&outcome(vec![smtp, closed]), &rules());
    let g = find(&c, "pop3.greeting", Some(110));
    assert!(
        g.remedy.contains("No POP3 service answered"),
        "{}",
        g.remedy
    );
    assert!(g.remedy.contains("must be configured"), "{}", g.remedy);
    assert!(!g.remedy.contains("use port 110"), "{}", g.remedy);
}

/// Issue 9: with --dns-server given, a REFUSED lookup does not say "use
/// another resolver (--dns-server)".
#[test]
fn refused_lookup_with_dns_server_given_speaks_of_that_server() {
    let mut o = outcome(vec![]);
    let refused = || {
        Some(Err(Failure::new(
            FailureKind::Refused,
            "the DNS server refused the query (REFUSED)",
        )))
    };
    o.dns = DnsOutcome {
        host: Some("pop.example.com".into()),
        source: Some(HostSource::Guess {
            tried: vec!["pop.example.com".into()],
        }),
        a: refused(),
        aaaa: refused(),
        ..Default::default()
    };
    let d = find(&evaluate(&o, &rules()), "dns.resolve", None).clone();
    assert!(d.remedy.contains("another resolver"), "{}", d.remedy);
    let given = Rules {
        dns_server_given: true,
        ..rules()
    };
    let d = find(&evaluate(&o, &given), "dns.resolve", None).clone();
    assert!(!d.remedy.contains("another resolver"), "{}", d.remedy);
    assert!(
        d.remedy
            .contains("The DNS server given with --dns-server refused the query"),
        "{}",
        d.remedy
    );
    assert!(d.remedy.contains("serves this domain"), "{}", d.remedy);
}

/// Issue 9: what a deadline cut keeps its cause: a pending connect is a
/// timeout (firewall remedy), an awaited greeting is silence.
#[test]
fn deadline_cut_keeps_timeout_and_silence() {
    let mut pending = LegOutcome::new("192.0.2.1:110".parse().unwrap(), Security::Plain, true);
    pending.cut_at_deadline(Duration::from_millis(2000));
    let mut waiting = LegOutcome::new("192.0.2.2:110".parse().unwrap(), Security::Plain, true);
    waiting.connect = Some(Ok(Duration::from_millis(5)));
    waiting.cut_at_deadline(Duration::from_millis(2000));
    let mut o = outcome(vec![pending, waiting]);
    o.deadline_hit = true;
    let c = evaluate(&o, &rules());
    let t = c
        .iter()
        .find(|c| c.id == CheckId::TcpConnect && c.endpoint.as_deref() == Some("192.0.2.1:110"))
        .expect("tcp.connect kept");
    assert_eq!(t.status, Status::Fail);
    assert!(
        t.summary.contains("no answer before the deadline"),
        "{}",
        t.summary
    );
    assert!(t.remedy.contains("firewall"), "{}", t.remedy);
    assert_eq!(t.data["error"], "timeout");
    let g = c
        .iter()
        .find(|c| c.id == CheckId::Pop3Greeting && c.endpoint.as_deref() == Some("192.0.2.2:110"))
        .expect("pop3.greeting kept");
    assert!(g.summary.contains("said nothing"), "{}", g.summary);
    assert!(g.summary.contains("1995 ms"), "{}", g.summary);
    assert_eq!(find(&c, "run.deadline", None).status, Status::Fail);
}

#[test]
fn a_key_beyond_popscope_is_popscopes_limit_not_a_server_fault() {
    let mut leg = ok_tls_leg(995);
    let mut partial = tls_session();
    partial.key_alg = "RSA".into();
    partial.key_bits = 16384;
    leg.tls = Some(Err(Failure::new(
        FailureKind::TlsError,
        "the server's handshake signature did not verify",
    )));
    leg.tls_partial = Some(partial);
    let checks = evaluate(&outcome(vec![leg]), &rules());
    let h = find(&checks, "tls.handshake", Some(995));
    assert_eq!(h.status, Status::Skip, "{h:?}");
    assert!(
        h.summary.contains("popscope's, not the server's"),
        "{}",
        h.summary
    );
    assert!(!h.remedy.contains("weak"), "{}", h.remedy);
    assert_eq!(find(&checks, "tls.key", Some(995)).status, Status::Pass);
    assert!(
        checks
            .iter()
            .all(|c| c.id != CheckId::TlsProtocol || c.status != Status::Fail),
        "no false tls.protocol failure"
    );
}

#[test]
fn a_name_only_in_the_common_name_fails_like_modern_clients() {
    let mut leg = ok_tls_leg(995);
    if let Some(Ok(s)) = &mut leg.tls {
        s.verify_error = Some("not valid for pop.example.com".into());
        s.chain = ChainFinding::Deferred("name".into());
        s.name = Some(NameFinding {
            name: "pop.example.com".into(),
            why: "the name in the target".into(),
            valid: false,
            names: vec!["pop.example.com".into()],
            used_cn: true,
            alternatives: Vec::new(),
        });
    }
    let checks = evaluate(&outcome(vec![leg]), &rules());
    let h = find(&checks, "tls.hostname", Some(995));
    assert_eq!(h.status, Status::Fail, "{h:?}");
    assert!(
        h.summary.contains("only in its Common Name"),
        "{}",
        h.summary
    );
    assert!(h.detail.contains("subjectAltName only"), "{}", h.detail);
    assert!(h.remedy.contains("subjectAltName"), "{}", h.remedy);
}
