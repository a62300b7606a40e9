//! Cause rules: hand-built outcomes judged by the real checks, then
//! diagnosed. No network.

use std::net::SocketAddr;
use std::time::Duration;

use crate::checks::{Rules, evaluate};
use crate::diagnosis::{CauseId, ClientSecurity, Diagnosis, DiagnosisContext, diagnose};
use crate::model::{CertInfo, Check, Security, Status};
use crate::probe::outcome::{
    Capa, ChainFinding, DnsOutcome, Failure, FailureKind, Greeting, HostSource, LegOutcome, Legacy,
    NameFinding, Outcome, Stls, TlsSession,
};
use crate::target::Target;

pub(super) fn rules() -> Rules {
    Rules {
        expiry_warn_days: 14,
        slow: Duration::from_secs(2),
        now: time::macros::datetime!(2026-11-21 12:00 UTC),
        domain_lookup: false,
        dns_server_given: false,
    }
}

pub(super) fn cert(subject: &str, issuer: &str) -> CertInfo {
    CertInfo {
        subject: subject.into(),
        issuer: issuer.into(),
        sans: vec!["pop.example.com".into()],
        not_before: String::new(),
        not_after: String::new(),
        not_before_unix: None,
        not_after_unix: None,
        key: "EC P-256".into(),
        signature_algorithm: String::new(),
        sha256: "ab12cd".into(),
    }
}

pub(super) fn session() -> TlsSession {
    TlsSession {
        version: "TLSv1.3".into(),
        cipher: "TLS13_AES_256_GCM_SHA384".into(),
        sni: Some("pop.example.com".into()),
        certificates: vec![cert("CN=pop.example.com", "CN=R3")],
        verify_error: None,
        chain: ChainFinding::Trusted,
        name: Some(NameFinding {
            name: "pop.example.com".into(),
            why: "the name in the target".into(),
            valid: true,
            names: vec!["pop.example.com".into()],
            used_cn: false,
            alternatives: Vec::new(),
        }),
        not_before: Some(time::macros::datetime!(2026-01-01 0:00 UTC)),
        not_after: Some(time::macros::datetime!(2027-01-01 0:00 UTC)),
        key_alg: "EC".into(),
        key_bits: 256,
        duration: Duration::from_millis(5),
    }
}

pub(super) fn greeting() -> Option<(Greeting, Duration)> {
    Some((
        Greeting::Ok {
            text: "Dovecot ready.".into(),
            apop: false,
        },
        Duration::from_millis(2),
    ))
}

pub(super) fn addr(port: u16) -> SocketAddr {
    format!("192.0.2.1:{port}").parse().unwrap()
}

pub(super) fn tls_leg(s: Result<TlsSession, Failure>) -> LegOutcome {
    let mut l = LegOutcome::new(addr(995), Security::ImplicitTls, true);
    l.connect = Some(Ok(Duration::from_millis(1)));
    let ok = s.is_ok();
    l.tls = Some(s);
    if ok {
        l.greeting = greeting();
        l.capa_tls = Some((Capa::listed(["USER", "SASL PLAIN"]), Duration::ZERO));
    }
    l
}

pub(super) fn plain_leg(stls: Stls, s: Option<Result<TlsSession, Failure>>) -> LegOutcome {
    let mut l = LegOutcome::new(addr(110), Security::Plain, true);
    l.connect = Some(Ok(Duration::from_millis(1)));
    l.greeting = greeting();
    l.capa_plain = Some((Capa::listed(["STLS", "PIPELINING"]), Duration::ZERO));
    l.stls = Some((stls, Duration::ZERO));
    l.tls = s;
    if matches!(l.tls, Some(Ok(_))) {
        l.capa_tls = Some((Capa::listed(["USER", "SASL PLAIN"]), Duration::ZERO));
    }
    l
}

pub(super) fn refused(port: u16, security: Security) -> LegOutcome {
    let mut l = LegOutcome::new(addr(port), security, true);
    l.connect = Some(Err(Failure::new(
        FailureKind::Refused,
        "connection refused",
    )));
    l
}

pub(super) fn timed_out(port: u16, security: Security) -> LegOutcome {
    let mut l = LegOutcome::new(addr(port), security, true);
    l.connect = Some(Err(Failure::new(FailureKind::Timeout, "no answer")));
    l
}

pub(super) fn outcome(legs: Vec<LegOutcome>) -> Outcome {
    Outcome {
        started_at: time::OffsetDateTime::UNIX_EPOCH,
        duration: Duration::ZERO,
        dns: DnsOutcome {
            host: Some("pop.example.com".into()),
            source: Some(HostSource::Direct),
            a: Some(Ok(vec!["192.0.2.1".parse().unwrap()])),
            aaaa: Some(Ok(vec![])),
            ..Default::default()
        },
        legs,
        deadline_hit: false,
        interrupted: false,
        dialogue: None,
    }
}

fn run(o: &Outcome) -> (Vec<Check>, Diagnosis) {
    run_with(o, &DiagnosisContext::default())
}

fn run_with(o: &Outcome, ctx: &DiagnosisContext) -> (Vec<Check>, Diagnosis) {
    let checks = evaluate(o, &rules());
    let target = Target::parse("pop.example.com").unwrap();
    let d = diagnose(&target, o, &checks, ctx);
    assert_explained_once(&checks, &d);
    (checks, d)
}

/// Every warn/fail check is explained by exactly one cause; nothing else is.
pub(crate) fn assert_explained_once(checks: &[Check], d: &Diagnosis) {
    for c in checks {
        let n = d
            .causes
            .iter()
            .flat_map(|k| &k.explains)
            .filter(|r| r.id == c.id && r.endpoint == c.endpoint)
            .count();
        let want = usize::from(c.status.severity() > 0);
        assert_eq!(
            n, want,
            "{} on {:?} explained {n} times: {d:#?}",
            c.id, c.endpoint
        );
    }
    // Fail causes first, then warn causes.
    let sev: Vec<u8> = d.causes.iter().map(|c| c.status.severity()).collect();
    assert!(sev.windows(2).all(|w| w[0] >= w[1]), "{d:#?}");
}

fn top(d: &Diagnosis) -> CauseId {
    d.top().map(|c| c.id).expect("a cause")
}

#[test]
fn healthy_has_no_cause_and_two_settings_tls_first() {
    let o = outcome(vec![
        plain_leg(Stls::Accepted { leftover: 0 }, Some(Ok(session()))),
        tls_leg(Ok(session())),
    ]);
    let (_, d) = run(&o);
    assert!(d.causes.is_empty(), "{d:#?}");
    assert_eq!(d.client_settings.len(), 2);
    assert_eq!(d.client_settings[0].security, ClientSecurity::SslTls);
    assert_eq!(d.client_settings[0].port, 995);
    assert_eq!(d.client_settings[0].host, "pop.example.com");
    assert_eq!(d.client_settings[0].auth, "normal password");
    assert_eq!(d.client_settings[1].security, ClientSecurity::Starttls);
}

#[test]
fn self_signed_on_both_ports_is_one_cause_with_the_fingerprint() {
    let mut s = session();
    s.chain = ChainFinding::SelfSigned;
    s.verify_error = Some("self-signed".into());
    s.certificates = vec![cert("CN=pop.example.com", "CN=pop.example.com")];
    let o = outcome(vec![
        plain_leg(Stls::Accepted { leftover: 0 }, Some(Ok(s.clone()))),
        tls_leg(Ok(s)),
    ]);
    let (_, d) = run(&o);
    assert_eq!(d.causes.len(), 1, "{d:#?}");
    let c = &d.causes[0];
    assert_eq!(c.id, CauseId::CertSelfSigned);
    assert_eq!(c.explains.len(), 2);
    assert!(c.summary.contains("AB:12:CD"), "{}", c.summary);
    assert!(
        c.summary.contains("192.0.2.1:110 and :995"),
        "{}",
        c.summary
    );
    assert!(c.client_fix.contains("exception"), "{}", c.client_fix);
    assert!(d.client_settings.is_empty());
}

#[test]
fn a_self_issued_ca_certificate_is_self_signed() {
    let mut s = session();
    s.chain = ChainFinding::UnknownIssuer {
        issuer: "CN=pop.example.com".into(),
    };
    s.verify_error = Some("unknown issuer".into());
    s.certificates = vec![cert("CN=pop.example.com", "CN=pop.example.com")];
    let (_, d) = run(&outcome(vec![tls_leg(Ok(s))]));
    assert_eq!(top(&d), CauseId::CertSelfSigned);
}

#[test]
fn weak_key_explains_the_handshake_failures() {
    let mut weak = session();
    weak.key_alg = "RSA".into();
    weak.key_bits = 1024;
    let fail = || Failure::new(FailureKind::TlsError, "signature did not verify");
    let mut p = plain_leg(Stls::Accepted { leftover: 0 }, Some(Err(fail())));
    p.tls_partial = Some(weak.clone());
    let mut t = tls_leg(Err(fail()));
    t.tls_partial = Some(weak);
    let (_, d) = run(&outcome(vec![p, t]));
    assert_eq!(d.causes.len(), 1, "{d:#?}");
    assert_eq!(d.causes[0].id, CauseId::TlsWeakKey);
    assert_eq!(d.causes[0].status, Status::Fail);
    assert!(d.causes[0].summary.contains("RSA 1024"));
    assert!(
        d.causes[0]
            .client_fix
            .contains("No mail client setting can help")
    );
}

#[test]
fn legacy_only_with_the_plain_port_closed() {
    let mut t = tls_leg(Err(Failure::new(
        FailureKind::ProtocolVersion,
        "protocol_version",
    )));
    t.legacy = Some(Legacy::Offers("TLS 1.0".into()));
    let (checks, d) = run(&outcome(vec![refused(110, Security::Plain), t]));
    assert!(
        checks
            .iter()
            .any(|c| c.id.to_string() == "tcp.connect" && c.status == Status::Fail)
    );
    assert_eq!(d.causes.len(), 1, "{d:#?}");
    assert_eq!(top(&d), CauseId::TlsLegacyOnly);
    assert!(
        d.causes[0].summary.contains("TLS 1.0"),
        "{}",
        d.causes[0].summary
    );
    assert!(
        d.causes[0].summary.contains("nothing listens on"),
        "{}",
        d.causes[0].summary
    );
}

#[test]
fn every_port_refused_is_service_down() {
    let (_, d) = run(&outcome(vec![
        refused(110, Security::Plain),
        refused(995, Security::ImplicitTls),
    ]));
    assert_eq!(d.causes.len(), 1);
    assert_eq!(top(&d), CauseId::ServiceDown);
    assert!(d.causes[0].client_fix.contains("No mail client setting"));
}

#[test]
fn timeouts_are_filtered_also_when_the_deadline_cut_them() {
    let (_, d) = run(&outcome(vec![
        timed_out(110, Security::Plain),
        timed_out(995, Security::ImplicitTls),
    ]));
    assert_eq!(top(&d), CauseId::NetworkFiltered);
    let mut o = outcome(vec![
        LegOutcome::new(addr(110), Security::Plain, true),
        LegOutcome::new(addr(995), Security::ImplicitTls, true),
    ]);
    o.deadline_hit = true;
    let (_, d) = run(&o);
    assert_eq!(d.causes.len(), 1, "{d:#?}");
    assert_eq!(top(&d), CauseId::NetworkFiltered);
}

#[test]
fn swapped_ports() {
    let mut p = plain_leg(Stls::NotOffered, None);
    p.greeting = Some((Greeting::Silent, Duration::from_secs(3)));
    p.capa_plain = None;
    p.stls = None;
    let t = tls_leg(Err(Failure::new(
        FailureKind::Plaintext,
        "plaintext POP3 greeting",
    )));
    // A silent plain port is only "swapped" once it answered a TLS hello.
    let (_, d) = run(&outcome(vec![p.clone(), t.clone()]));
    assert_ne!(top(&d), CauseId::PortsSwapped, "{d:#?}");
    p.tls_on_plain = Some(session());
    let (_, d) = run(&outcome(vec![p, t]));
    assert_eq!(d.causes.len(), 1, "{d:#?}");
    assert_eq!(top(&d), CauseId::PortsSwapped);
    assert!(
        d.causes[0]
            .client_fix
            .contains("pop3s://pop.example.com:110"),
        "{}",
        d.causes[0].client_fix
    );
}

#[test]
fn plain_on_tls_port_alone_points_at_starttls() {
    let p = plain_leg(Stls::Accepted { leftover: 0 }, Some(Ok(session())));
    let t = tls_leg(Err(Failure::new(
        FailureKind::Plaintext,
        "plaintext POP3 greeting",
    )));
    let (_, d) = run(&outcome(vec![p, t]));
    assert_eq!(top(&d), CauseId::PlainOnTlsPort);
    assert!(
        d.causes[0].client_fix.contains("STARTTLS"),
        "{}",
        d.causes[0].client_fix
    );
}

#[test]
fn missing_stls_warns_when_995_works_and_names_dovecot_settings() {
    let mut p = plain_leg(Stls::NotOffered, None);
    p.capa_plain = Some((Capa::listed(["USER"]), Duration::ZERO));
    let (_, d) = run(&outcome(vec![p, tls_leg(Ok(session()))]));
    let ids: Vec<CauseId> = d.causes.iter().map(|c| c.id).collect();
    assert_eq!(
        ids,
        vec![CauseId::StlsMissing, CauseId::AuthCleartextExposed],
        "{d:#?}"
    );
    assert!(d.causes.iter().all(|c| c.status == Status::Warn));
    assert_eq!(
        d.server.as_ref().map(|s| s.software.as_str()),
        Some("Dovecot")
    );
    assert!(d.causes[0].server_fix.contains("ssl_server_cert_file"));
    assert!(
        d.causes[1]
            .server_fix
            .contains("disable_plaintext_auth = yes")
    );
    assert!(
        d.causes[0].client_fix.contains("port 995"),
        "{}",
        d.causes[0].client_fix
    );
}

#[test]
fn wrong_name_suggests_the_certificate_name() {
    let mut s = session();
    s.chain = ChainFinding::Deferred("name".into());
    s.verify_error = Some("not valid for pop.example.com".into());
    s.name = Some(NameFinding {
        name: "pop.example.com".into(),
        why: "the name in the target".into(),
        valid: false,
        names: vec!["mail.hoster.net".into()],
        used_cn: false,
        alternatives: vec![("mail.hoster.net".into(), true)],
    });
    let (_, d) = run(&outcome(vec![tls_leg(Ok(s))]));
    assert_eq!(top(&d), CauseId::CertWrongName);
    assert_eq!(d.client_settings.len(), 1);
    assert_eq!(d.client_settings[0].host, "mail.hoster.net");
    let note = d.client_settings[0].note.clone().unwrap_or_default();
    assert!(note.contains("resolves to the same address"), "{note}");
    assert!(d.causes[0].summary.contains("mail.hoster.net"));
    // Without the probe's lookup, the name is still suggested, with the caveat.
    let mut s = session();
    s.chain = ChainFinding::Deferred("name".into());
    s.verify_error = Some("not valid for pop.example.com".into());
    s.name = Some(NameFinding {
        name: "pop.example.com".into(),
        why: "the name in the target".into(),
        valid: false,
        names: vec!["mail.hoster.net".into()],
        used_cn: false,
        alternatives: Vec::new(),
    });
    let (_, d) = run(&outcome(vec![tls_leg(Ok(s))]));
    let note = d.client_settings[0].note.clone().unwrap_or_default();
    assert!(note.contains("could not confirm"), "{note}");
}

#[test]
fn expired_and_missing_intermediate() {
    let mut s = session();
    s.not_after = Some(time::macros::datetime!(2026-10-01 0:00 UTC));
    s.chain = ChainFinding::Deferred("expired".into());
    s.verify_error = Some("expired".into());
    let (_, d) = run(&outcome(vec![tls_leg(Ok(s))]));
    assert_eq!(top(&d), CauseId::CertExpired);
    assert!(d.causes[0].summary.contains("2026-10-01"));
    let mut s = session();
    s.chain = ChainFinding::MissingIntermediate {
        issuer: "CN=R3".into(),
    };
    s.verify_error = Some("unknown issuer".into());
    let (_, d) = run(&outcome(vec![tls_leg(Ok(s))]));
    assert_eq!(top(&d), CauseId::CertMissingIntermediate);
}

#[test]
fn dns_failure_does_not_suggest_a_resolver_the_user_gave() {
    let mut o = outcome(vec![]);
    o.dns.a = Some(Err(Failure::new(FailureKind::Refused, "REFUSED")));
    o.dns.aaaa = Some(Err(Failure::new(FailureKind::Refused, "REFUSED")));
    let (_, d) = run(&o);
    assert_eq!(top(&d), CauseId::DnsFailure);
    assert!(d.causes[0].client_fix.contains("--dns-server"));
    let (_, d) = run_with(
        &o,
        &DiagnosisContext {
            dns_server_given: true,
        },
    );
    assert!(
        !d.causes[0].client_fix.contains("--dns-server"),
        "{}",
        d.causes[0].client_fix
    );
    o.dns.a = Some(Err(Failure::new(FailureKind::NxDomain, "NXDOMAIN")));
    let (_, d) = run(&o);
    assert_eq!(top(&d), CauseId::DnsNoSuchHost);
}

#[test]
fn smtp_banner_is_not_pop3_and_silence_is_silent() {
    let mut p = plain_leg(Stls::NotOffered, None);
    p.greeting = Some((
        Greeting::Foreign {
            protocol: Some("SMTP".into()),
            banner: "220 mx ESMTP".into(),
        },
        Duration::ZERO,
    ));
    p.capa_plain = None;
    p.stls = None;
    let (_, d) = run(&outcome(vec![p, tls_leg(Ok(session()))]));
    assert_eq!(top(&d), CauseId::ServiceNotPop3);
    assert!(d.causes[0].client_fix.contains("port 995"));
}

#[test]
fn causes_are_ordered_fail_first() {
    // A warn (cleartext) and a fail (injection) on one port.
    let mut p = plain_leg(Stls::Accepted { leftover: 0 }, Some(Ok(session())));
    p.capa_plain = Some((Capa::listed(["STLS", "USER"]), Duration::ZERO));
    p.injection = Some(crate::probe::outcome::Injection::Vulnerable {
        evidence: "+OK".into(),
    });
    let (_, d) = run(&outcome(vec![p, tls_leg(Ok(session()))]));
    let ids: Vec<CauseId> = d.causes.iter().map(|c| c.id).collect();
    assert_eq!(
        ids,
        vec![CauseId::StlsInjection, CauseId::AuthCleartextExposed]
    );
}
