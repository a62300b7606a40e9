//! The checks in both languages: a wide set of outcomes renders with no
//! message id left in any text, French keeps no English, and every message
//! of `checks.ftl` is one the rules ask for.

use super::tests::{
    cut_capa, failed_plain_leg, ok_tls_leg, outcome, plain_leg, plain_on_tls_leg, rules,
    tls_on_plain_leg, tls_session,
};
use super::*;
use crate::i18n::testing::english_word;
use crate::i18n::{Lang, scoped};
use crate::probe::outcome::{MxFinding, NameFinding, SrvFinding};

/// Text the fixtures inject (server words, probe messages, certificate
/// fields): not the checks' to translate.
const INJECTED: &[&str] = &[
    "the server answered in plaintext instead of TLS, with a POP3 greeting \"+OK ready\": \
        this port speaks plain POP3, not implicit TLS",
    "the name in the target",
];

/// Machine words French sentences keep as they are: server settings and
/// SASL mechanism names.
const MACHINE: &[&str] = &[
    "disable_plaintext_auth = yes",
    "auth_allow_cleartext = no",
    "ssl = yes",
    "LOGIN",
];

fn fail(kind: FailureKind) -> Failure {
    Failure::new(kind, "x")
}

fn ip(s: &str) -> std::net::IpAddr {
    s.parse().expect("an address")
}

fn with_tls(
    mut leg: LegOutcome,
    f: impl FnOnce(&mut crate::probe::outcome::TlsSession),
) -> LegOutcome {
    if let Some(Ok(s)) = &mut leg.tls {
        f(s);
    }
    leg
}

fn name(valid: bool, names: &[&str], used_cn: bool, alternatives: &[(&str, bool)]) -> NameFinding {
    NameFinding {
        name: "pop.example.com".into(),
        why: "the name in the target".into(),
        valid,
        names: names.iter().map(|s| s.to_string()).collect(),
        used_cn,
        alternatives: alternatives
            .iter()
            .map(|(n, same)| (n.to_string(), *same))
            .collect(),
    }
}

/// DNS outcomes of a domain lookup: every dns.* branch.
fn dns_outcomes() -> Vec<(Outcome, Rules)> {
    let domain = Rules {
        domain_lookup: true,
        ..rules()
    };
    let given = Rules {
        dns_server_given: true,
        ..domain
    };
    let mut out = Vec::new();
    let base = |dns: DnsOutcome| {
        let mut o = outcome(vec![]);
        o.dns = dns;
        o
    };
    // Failures, for each kind, with and without --dns-server.
    for kind in [
        FailureKind::NxDomain,
        FailureKind::NoData,
        FailureKind::ServFail,
        FailureKind::Timeout,
        FailureKind::Refused,
        FailureKind::Io,
    ] {
        for source in [
            HostSource::Direct,
            HostSource::Guess {
                tried: vec!["pop.example.com".into(), "mail.example.com".into()],
            },
        ] {
            let dns = DnsOutcome {
                host: Some("pop.example.com".into()),
                source: Some(source),
                a: Some(Err(fail(kind))),
                aaaa: Some(Err(fail(kind))),
                ..Default::default()
            };
            out.push((base(dns.clone()), domain));
            out.push((base(dns), given));
        }
    }
    // No record at all, addresses only of the other family.
    out.push((
        base(DnsOutcome {
            host: Some("pop.example.com".into()),
            source: Some(HostSource::Direct),
            ..Default::default()
        }),
        rules(),
    ));
    out.push((
        base(DnsOutcome {
            host: Some("pop.example.com".into()),
            source: Some(HostSource::Direct),
            a: Some(Ok(vec![ip("192.0.2.1")])),
            filtered_out: vec![ip("192.0.2.1")],
            ..Default::default()
        }),
        rules(),
    ));
    let mx_ok = MxFinding {
        preference: 10,
        exchange: "mx.example.com".into(),
        addresses: Ok(vec![ip("192.0.2.25")]),
    };
    let mx_dangling = MxFinding {
        preference: 20,
        exchange: "gone.example.com".into(),
        addresses: Err(fail(FailureKind::NxDomain)),
    };
    let srv = |target: &str, addresses: DnsResult<Vec<std::net::IpAddr>>| SrvFinding {
        name: "_pop3s._tcp.example.com".into(),
        priority: 0,
        weight: 1,
        port: 995,
        target: target.into(),
        addresses,
    };
    let resolved = |source: HostSource| DnsOutcome {
        host: Some("pop.example.com".into()),
        source: Some(source),
        a: Some(Ok(vec![ip("192.0.2.1")])),
        aaaa: Some(Err(fail(FailureKind::NoData))),
        ..Default::default()
    };
    for (mx, srv_list) in [
        (None, vec![]),
        (Some(Err(fail(FailureKind::ServFail))), vec![]),
        (
            Some(Ok(vec![])),
            vec![("_pop3s._tcp.example.com".to_string(), Ok(vec![]))],
        ),
        (
            Some(Ok(vec![mx_ok.clone()])),
            vec![(
                "_pop3s._tcp.example.com".to_string(),
                Ok(vec![srv("pop.example.com", Ok(vec![ip("192.0.2.1")]))]),
            )],
        ),
        (
            Some(Ok(vec![mx_ok, mx_dangling])),
            vec![
                (
                    "_pop3s._tcp.example.com".to_string(),
                    Ok(vec![srv("gone.example.com", Ok(vec![]))]),
                ),
                (
                    "_pop3._tcp.example.com".to_string(),
                    Err(fail(FailureKind::Timeout)),
                ),
            ],
        ),
        (
            Some(Ok(vec![])),
            vec![(
                "_pop3s._tcp.example.com".to_string(),
                Ok(vec![srv(".", Ok(vec![]))]),
            )],
        ),
    ] {
        for source in [
            HostSource::Direct,
            HostSource::Srv {
                record: "_pop3s._tcp.example.com".into(),
            },
            HostSource::Guess {
                tried: vec!["pop.example.com".into()],
            },
        ] {
            let mut dns = resolved(source);
            dns.mx = mx.clone();
            dns.srv = srv_list.clone();
            out.push((base(dns), domain));
        }
    }
    out
}

/// Outcomes of the legs: every branch of tcp.*, pop3.*, auth.cleartext
/// and tls.*.
fn leg_outcomes() -> Vec<Vec<LegOutcome>> {
    let mut runs: Vec<Vec<LegOutcome>> = Vec::new();
    // tcp.connect
    for kind in [
        FailureKind::Refused,
        FailureKind::Timeout,
        FailureKind::Unreachable,
        FailureKind::Io,
    ] {
        runs.push(vec![failed_plain_leg(kind)]);
        runs.push(vec![failed_plain_leg(kind), ok_tls_leg(995)]);
    }
    let mut v6 = failed_plain_leg(FailureKind::Refused);
    v6.addr = "[2001:db8::1]:110".parse().expect("an address");
    v6.two_port = false;
    runs.push(vec![ok_tls_leg(995), v6]);
    // pop3.greeting
    let greetings = [
        Greeting::Ok {
            text: "ready".into(),
            apop: false,
        },
        Greeting::Err {
            text: "busy".into(),
        },
        Greeting::Silent,
        Greeting::Closed,
        Greeting::Foreign {
            protocol: Some("an SMTP greeting".into()),
            banner: "220 mx ESMTP".into(),
        },
        Greeting::Foreign {
            protocol: Some("an IMAP greeting".into()),
            banner: "* OK IMAP4rev1".into(),
        },
        Greeting::Foreign {
            protocol: Some("TLS".into()),
            banner: String::new(),
        },
        Greeting::Foreign {
            protocol: Some("SSH".into()),
            banner: "SSH-2.0".into(),
        },
        Greeting::Foreign {
            protocol: None,
            banner: "???".into(),
        },
        Greeting::Failed(fail(FailureKind::Unterminated)),
        Greeting::Failed(fail(FailureKind::Io)),
    ];
    for g in greetings {
        let mut plain = plain_leg(&["STLS"], Stls::Accepted { leftover: 0 }, true);
        plain.greeting = Some((g.clone(), Duration::from_secs(3)));
        runs.push(vec![plain.clone()]);
        runs.push(vec![plain, ok_tls_leg(995)]);
        let mut tls = ok_tls_leg(995);
        tls.greeting = Some((g, Duration::from_millis(3)));
        runs.push(vec![tls]);
    }
    runs.push(vec![tls_on_plain_leg(110), plain_on_tls_leg(995)]);
    let mut unknown = tls_on_plain_leg(110);
    if let Some(t) = &mut unknown.tls_on_plain {
        t.version = "unknown".into();
        t.name = None;
    }
    runs.push(vec![unknown]);
    runs.push(vec![
        plain_leg(&["STLS"], Stls::Accepted { leftover: 0 }, true),
        plain_on_tls_leg(995),
    ]);
    runs.push(vec![plain_on_tls_leg(995)]);
    // pop3.capa, auth.cleartext, tls.stls
    let mut cut = plain_leg(&[], Stls::Refused { text: "x".into() }, false);
    cut.capa_plain = Some((cut_capa(&["TOP"], &["SASL"], 40), Duration::ZERO));
    runs.push(vec![cut.clone()]);
    cut.stls = Some((Stls::NotOffered, Duration::ZERO));
    runs.push(vec![cut]);
    let mut still = plain_leg(
        &["STLS", "USER", "SASL PLAIN LOGIN"],
        Stls::Accepted { leftover: 0 },
        true,
    );
    still.capa_tls = Some((Capa::listed(["STLS", "USER"]), Duration::ZERO));
    runs.push(vec![still.clone()]);
    still.capa_tls = Some((
        Capa::Unsupported {
            text: "unknown command".into(),
        },
        Duration::ZERO,
    ));
    runs.push(vec![still.clone()]);
    still.capa_tls = Some((Capa::Broken(fail(FailureKind::Io)), Duration::ZERO));
    runs.push(vec![still]);
    for capa in [
        Capa::Unsupported {
            text: "unknown command".into(),
        },
        Capa::Broken(fail(FailureKind::TooLarge)),
        Capa::Broken(fail(FailureKind::Io)),
    ] {
        let mut l = plain_leg(&[], Stls::NotOffered, false);
        l.capa_plain = Some((capa, Duration::ZERO));
        runs.push(vec![l]);
    }
    for stls in [
        Stls::Accepted { leftover: 12 },
        Stls::Accepted { leftover: 1 },
        Stls::NotOffered,
        Stls::Refused { text: "x".into() },
        Stls::Broken(fail(FailureKind::Io)),
    ] {
        runs.push(vec![plain_leg(&["USER"], stls.clone(), false)]);
        runs.push(vec![plain_leg(&["USER"], stls, false), ok_tls_leg(995)]);
    }
    // tls.stls-injection
    for inj in [
        Injection::Safe,
        Injection::Vulnerable {
            evidence: "+OK 2 320".into(),
        },
        Injection::Inconclusive("x".into()),
    ] {
        let mut l = plain_leg(&["STLS"], Stls::Accepted { leftover: 0 }, true);
        l.injection = Some(inj);
        runs.push(vec![l]);
    }
    // tls.handshake and tls.protocol
    for kind in [
        FailureKind::Plaintext,
        FailureKind::Timeout,
        FailureKind::ProtocolVersion,
        FailureKind::HandshakeFailure,
        FailureKind::TlsError,
    ] {
        for legacy in [
            None,
            Some(Legacy::Offers("TLS 1.0".into())),
            Some(Legacy::Refused("x".into())),
            Some(Legacy::Inconclusive("x".into())),
        ] {
            let mut l = ok_tls_leg(995);
            l.tls = Some(Err(fail(kind)));
            l.legacy = legacy;
            l.tls_partial = Some(tls_session());
            runs.push(vec![l]);
        }
    }
    let mut big = ok_tls_leg(995);
    big.tls = Some(Err(fail(FailureKind::TlsError)));
    big.tls_partial = Some(rsa_session(16384));
    runs.push(vec![big]);
    runs.push(vec![with_tls(ok_tls_leg(995), |s| {
        s.version = "TLSv1.1".into()
    })]);
    // tls.chain
    for chain in [
        ChainFinding::Trusted,
        ChainFinding::Deferred("x".into()),
        ChainFinding::SelfSigned,
        ChainFinding::UnknownIssuer {
            issuer: "CN=Private".into(),
        },
        ChainFinding::MissingIntermediate {
            issuer: "CN=R3".into(),
        },
        ChainFinding::Other("x".into()),
    ] {
        runs.push(vec![with_tls(ok_tls_leg(995), |s| s.chain = chain)]);
    }
    // tls.hostname
    for n in [
        Some(name(false, &["mail.example.net"], false, &[])),
        Some(name(false, &[], false, &[])),
        Some(name(
            false,
            &["mail.example.net"],
            false,
            &[("mail.example.net", true)],
        )),
        Some(name(false, &["pop.example.com"], true, &[])),
        None,
    ] {
        runs.push(vec![with_tls(ok_tls_leg(995), |s| s.name = n)]);
    }
    // tls.expiry: expired (1 and many days), not yet valid, soon (1 and
    // many days), valid.
    for (nb, na) in [
        (
            time::macros::datetime!(2025-01-01 0:00 UTC),
            time::macros::datetime!(2026-11-20 11:00 UTC),
        ),
        (
            time::macros::datetime!(2025-01-01 0:00 UTC),
            time::macros::datetime!(2026-11-01 0:00 UTC),
        ),
        (
            time::macros::datetime!(2026-12-01 0:00 UTC),
            time::macros::datetime!(2027-12-01 0:00 UTC),
        ),
        (
            time::macros::datetime!(2026-01-01 0:00 UTC),
            time::macros::datetime!(2026-11-22 13:00 UTC),
        ),
        (
            time::macros::datetime!(2026-01-01 0:00 UTC),
            time::macros::datetime!(2026-11-30 0:00 UTC),
        ),
    ] {
        runs.push(vec![with_tls(ok_tls_leg(995), |s| {
            s.not_before = Some(nb);
            s.not_after = Some(na);
        })]);
    }
    // tls.key
    runs.push(vec![with_tls(ok_tls_leg(995), |s| {
        s.key_alg = "RSA".into();
        s.key_bits = 1024;
    })]);
    runs
}

/// A TLS session with an RSA key of `bits`.
fn rsa_session(bits: u32) -> crate::probe::outcome::TlsSession {
    let mut s = tls_session();
    s.key_alg = "RSA".into();
    s.key_bits = bits;
    s
}

/// Every outcome the tests render, with its rules.
fn all_outcomes() -> Vec<(Outcome, Rules)> {
    let mut out = dns_outcomes();
    out.extend(
        leg_outcomes()
            .into_iter()
            .map(|legs| (outcome(legs), rules())),
    );
    let mut cut = outcome(vec![ok_tls_leg(995)]);
    cut.deadline_hit = true;
    cut.interrupted = true;
    out.push((cut, rules()));
    out
}

fn texts(c: &Check) -> [(&'static str, &str); 3] {
    [
        ("summary", c.summary.as_str()),
        ("detail", c.detail.as_str()),
        ("remedy", c.remedy.as_str()),
    ]
}

#[test]
fn every_check_renders_in_both_languages_without_ids_or_english() {
    let mut problems = Vec::new();
    let mut non_pass = std::collections::BTreeSet::new();
    for (o, r) in all_outcomes() {
        for lang in Lang::ALL {
            let checks = scoped(lang, || evaluate(&o, &r));
            for c in &checks {
                if c.status != Status::Pass {
                    non_pass.insert(c.id.to_string());
                }
                for (field, text) in texts(c) {
                    if text.contains("checks-") {
                        problems.push(format!("{lang} {} {field}: message id left: {text}", c.id));
                    }
                    if lang != Lang::Fr {
                        continue;
                    }
                    let mut prose = text.to_string();
                    for s in INJECTED.iter().chain(MACHINE) {
                        prose = prose.replace(s, "");
                    }
                    if let Some(w) = english_word(&prose, &[]) {
                        problems.push(format!("fr {} {field}: English \"{w}\" in: {text}", c.id));
                    }
                }
            }
        }
    }
    problems.sort();
    problems.dedup();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let built_elsewhere = [CheckId::AuthLogin, CheckId::Pop3Dialogue];
    for id in CheckId::FIXED {
        if !built_elsewhere.contains(&id) {
            assert!(
                non_pass.contains(&id.to_string()),
                "no outcome gives a non-pass {id}"
            );
        }
    }
}

#[test]
fn french_is_not_english_and_english_is_the_default() {
    for (o, r) in all_outcomes() {
        let default = evaluate(&o, &r);
        let en = scoped(Lang::En, || evaluate(&o, &r));
        let fr = scoped(Lang::Fr, || evaluate(&o, &r));
        assert_eq!(default, en, "English stays the reference");
        assert_eq!(en.len(), fr.len());
        for (e, f) in en.iter().zip(&fr) {
            assert_eq!((e.id, e.status), (f.id, f.status));
            assert_eq!(e.data, f.data, "machine evidence is not translated");
            if !e.remedy.is_empty() {
                assert_ne!(e.remedy, f.remedy, "{} remedy untranslated", e.id);
            }
        }
    }
}

#[test]
fn french_plurals_and_typography() {
    let one_day = outcome(vec![with_tls(ok_tls_leg(995), |s| {
        s.not_after = Some(time::macros::datetime!(2026-11-20 11:00 UTC))
    })]);
    let fr = scoped(Lang::Fr, || evaluate(&one_day, &rules()));
    let e = fr
        .iter()
        .find(|c| c.id == CheckId::TlsExpiry)
        .expect("tls.expiry");
    assert_eq!(e.summary, "certificat expiré le 2026-11-20 (il y a 1 jour)");
    let en = scoped(Lang::En, || evaluate(&one_day, &rules()));
    let e = en
        .iter()
        .find(|c| c.id == CheckId::TlsExpiry)
        .expect("tls.expiry");
    assert_eq!(e.summary, "certificate expired on 2026-11-20 (1 days ago)");

    let leftover = outcome(vec![plain_leg(
        &["USER"],
        Stls::Accepted { leftover: 12 },
        false,
    )]);
    let fr = scoped(Lang::Fr, || evaluate(&leftover, &rules()));
    let s = fr
        .iter()
        .find(|c| c.id == CheckId::TlsStls)
        .expect("tls.stls");
    assert!(s.summary.contains("12 octets"), "{}", s.summary);
    assert!(s.remedy.contains("l’éditeur"), "{}", s.remedy);
    let capa = fr
        .iter()
        .find(|c| c.id == CheckId::AuthCleartext)
        .expect("auth.cleartext");
    assert!(
        capa.summary.contains("avant TLS\u{a0}: USER/PASS"),
        "{}",
        capa.summary
    );
}

/// Every message of checks.ftl is one the rules ask for (no dead text for
/// translators).
#[test]
fn every_checks_message_is_used() {
    let code = include_str!("mod.rs");
    let ftl = include_str!("../i18n/en/checks.ftl");
    let unused: Vec<&str> = ftl
        .lines()
        .filter_map(|l| l.split_once(" = ").map(|(id, _)| id))
        .filter(|id| id.starts_with("checks-") && !code.contains(&format!("\"{id}\"")))
        .collect();
    assert!(unused.is_empty(), "unused messages: {unused:?}");
}
