//! The diagnosis in both languages: a wide set of outcomes (every cause of
//! the catalogue) rendered in English (pinned by a snapshot, so the
//! localisation changed no English byte) and in French (no message id
//! leaks, no English left). No network.

use std::time::Duration;

use serde_json::json;

use super::tests::*;
use super::{Ctx, build, describe_setting};
use crate::checks::evaluate;
use crate::diagnosis::fixes::server_fix;
use crate::diagnosis::{
    CauseId, ClientSecurity, ClientSetting, Diagnosis, DiagnosisContext, ServerInfo, diagnose,
};
use crate::model::{Check, CheckId, Security, Status};
use crate::probe::outcome::{
    Capa, ChainFinding, Failure, FailureKind, Greeting, Injection, LegOutcome, Legacy, NameFinding,
    Outcome, Stls,
};
use crate::target::Target;

/// One diagnosed situation: its name, outcome, extra hand-built checks (for
/// what the probe's outcome alone cannot show without a live server: a
/// login, a replayed dialogue), the run context and the expected top cause.
struct Case {
    name: &'static str,
    outcome: Outcome,
    extra: Vec<Check>,
    ctx: DiagnosisContext,
    top: Option<CauseId>,
}

fn case(name: &'static str, outcome: Outcome, top: Option<CauseId>) -> Case {
    Case {
        name,
        outcome,
        extra: Vec::new(),
        ctx: DiagnosisContext::default(),
        top,
    }
}

fn healthy() -> Outcome {
    outcome(vec![
        plain_leg(Stls::Accepted { leftover: 0 }, Some(Ok(session()))),
        tls_leg(Ok(session())),
    ])
}

fn ep(port: u16) -> Option<String> {
    Some(addr(port).to_string())
}

/// A failed `auth.login` check as the checks build it from a refusal.
fn login_refused(code: &str, server_text: &str) -> Check {
    Check::new(
        CheckId::AuthLogin,
        Status::Fail,
        ep(995),
        format!("login refused: -ERR {server_text}"),
    )
    .data(json!({"code": code, "server_text": server_text, "tls": true}))
}

/// Server text the cases inject (it stays in the server's language).
const SERVER_TEXT: &[&str] = &[
    "[AUTH] Authentication failed.",
    "[IN-USE] Mailbox is locked by another session.",
    "[LOGIN-DELAY] Wait before logging in again.",
    "[SYS/TEMP] Temporary failure.",
    "220 mx ESMTP",
];

/// The check text `extras` injects for the `other` cause and a server fix's
/// fallback (the checks' own words, not the diagnosis's).
const OTHER_SUMMARY: &str = "weak key: RSA 1024 bits";
const OTHER_REMEDY: &str = "Issue a new certificate.";
const FALLBACK_REMEDY: &str = "the check's remedy";

fn cases() -> Vec<Case> {
    let mut v = Vec::new();
    let mut c = case("healthy", healthy(), None);
    c.extra.push(
        Check::new(CheckId::AuthLogin, Status::Pass, ep(995), "logged in")
            .data(json!({"tls": true})),
    );
    v.push(c);

    let mut o = outcome(vec![]);
    o.dns.a = Some(Err(Failure::new(FailureKind::NxDomain, "NXDOMAIN")));
    o.dns.aaaa = Some(Err(Failure::new(FailureKind::NxDomain, "NXDOMAIN")));
    v.push(case("dns-nxdomain", o, Some(CauseId::DnsNoSuchHost)));

    let mut o = outcome(vec![]);
    o.dns.a = Some(Err(Failure::new(FailureKind::Refused, "REFUSED")));
    o.dns.aaaa = Some(Err(Failure::new(FailureKind::Refused, "REFUSED")));
    v.push(case("dns-failure", o.clone(), Some(CauseId::DnsFailure)));
    let mut c = case("dns-failure-own-resolver", o, Some(CauseId::DnsFailure));
    c.ctx.dns_server_given = true;
    v.push(c);

    let mut c = case("dns-dangling", healthy(), Some(CauseId::DnsDangling));
    c.extra.push(Check::new(
        CheckId::DnsMx,
        Status::Warn,
        None,
        "MX host(s) that do not resolve: mx.example.com",
    ));
    v.push(c);

    let unreachable = |port, sec| {
        let mut l = LegOutcome::new(addr(port), sec, true);
        l.connect = Some(Err(Failure::new(
            FailureKind::Unreachable,
            "no route to host",
        )));
        l
    };
    v.push(case(
        "network-unreachable",
        outcome(vec![
            unreachable(110, Security::Plain),
            unreachable(995, Security::ImplicitTls),
        ]),
        Some(CauseId::NetworkUnreachable),
    ));
    v.push(case(
        "network-filtered",
        outcome(vec![
            timed_out(110, Security::Plain),
            timed_out(995, Security::ImplicitTls),
        ]),
        Some(CauseId::NetworkFiltered),
    ));
    let mut o = outcome(vec![
        LegOutcome::new(addr(110), Security::Plain, true),
        LegOutcome::new(addr(995), Security::ImplicitTls, true),
    ]);
    o.deadline_hit = true;
    v.push(case("network-deadline", o, Some(CauseId::NetworkFiltered)));
    v.push(case(
        "network-filtered-995-works",
        outcome(vec![
            timed_out(110, Security::Plain),
            tls_leg(Ok(session())),
        ]),
        Some(CauseId::NetworkFiltered),
    ));

    v.push(case(
        "service-down",
        outcome(vec![
            refused(110, Security::Plain),
            refused(995, Security::ImplicitTls),
        ]),
        Some(CauseId::ServiceDown),
    ));
    v.push(case(
        "service-down-110-995-works",
        outcome(vec![refused(110, Security::Plain), tls_leg(Ok(session()))]),
        None,
    ));

    let plaintext = || {
        tls_leg(Err(Failure::new(
            FailureKind::Plaintext,
            "plaintext POP3 greeting",
        )))
    };
    let mut silent = plain_leg(Stls::NotOffered, None);
    silent.greeting = Some((Greeting::Silent, Duration::from_secs(3)));
    silent.capa_plain = None;
    silent.stls = None;
    v.push(case(
        "service-silent",
        outcome(vec![silent.clone(), tls_leg(Ok(session()))]),
        Some(CauseId::ServiceSilent),
    ));
    let mut tls_plain = silent;
    tls_plain.tls_on_plain = Some(session());
    v.push(case(
        "ports-swapped",
        outcome(vec![tls_plain.clone(), plaintext()]),
        Some(CauseId::PortsSwapped),
    ));
    v.push(case(
        "tls-on-plain",
        outcome(vec![tls_plain.clone(), tls_leg(Ok(session()))]),
        Some(CauseId::TlsOnPlainPort),
    ));
    v.push(case(
        "tls-on-plain-995-closed",
        outcome(vec![tls_plain, refused(995, Security::ImplicitTls)]),
        Some(CauseId::TlsOnPlainPort),
    ));
    v.push(case(
        "plain-on-tls",
        outcome(vec![
            plain_leg(Stls::Accepted { leftover: 0 }, Some(Ok(session()))),
            plaintext(),
        ]),
        Some(CauseId::PlainOnTlsPort),
    ));

    let mut smtp = plain_leg(Stls::NotOffered, None);
    smtp.greeting = Some((
        Greeting::Foreign {
            protocol: Some("SMTP".into()),
            banner: "220 mx ESMTP".into(),
        },
        Duration::ZERO,
    ));
    smtp.capa_plain = None;
    smtp.stls = None;
    v.push(case(
        "not-pop3",
        outcome(vec![smtp.clone(), tls_leg(Ok(session()))]),
        Some(CauseId::ServiceNotPop3),
    ));
    v.push(case(
        "not-pop3-alone",
        outcome(vec![smtp, refused(995, Security::ImplicitTls)]),
        Some(CauseId::ServiceNotPop3),
    ));

    let mut broken = plain_leg(Stls::NotOffered, None);
    broken.capa_plain = Some((
        Capa::Broken(Failure::new(FailureKind::Closed, "connection closed")),
        Duration::ZERO,
    ));
    broken.stls = None;
    v.push(case(
        "service-broken",
        outcome(vec![broken, tls_leg(Ok(session()))]),
        Some(CauseId::ServiceBroken),
    ));

    let mut legacy = tls_leg(Err(Failure::new(
        FailureKind::ProtocolVersion,
        "protocol_version",
    )));
    legacy.legacy = Some(Legacy::Offers("TLS 1.0".into()));
    v.push(case(
        "tls-legacy-only",
        outcome(vec![refused(110, Security::Plain), legacy]),
        Some(CauseId::TlsLegacyOnly),
    ));

    let mut weak = session();
    weak.key_alg = "RSA".into();
    weak.key_bits = 1024;
    let fail = || Failure::new(FailureKind::TlsError, "signature did not verify");
    let mut p = plain_leg(Stls::Accepted { leftover: 0 }, Some(Err(fail())));
    p.tls_partial = Some(weak.clone());
    let mut t = tls_leg(Err(fail()));
    t.tls_partial = Some(weak.clone());
    v.push(case(
        "tls-weak-key-blocks",
        outcome(vec![p, t]),
        Some(CauseId::TlsWeakKey),
    ));
    v.push(case(
        "tls-weak-key-works",
        outcome(vec![tls_leg(Ok(weak))]),
        Some(CauseId::TlsWeakKey),
    ));

    v.push(case(
        "tls-handshake-failed",
        outcome(vec![
            plain_leg(Stls::Accepted { leftover: 0 }, Some(Ok(session()))),
            tls_leg(Err(Failure::new(
                FailureKind::HandshakeFailure,
                "the server sent the handshake_failure alert",
            ))),
        ]),
        Some(CauseId::TlsHandshakeFailed),
    ));
    let mut old = session();
    old.version = "TLSv1.1".into();
    v.push(case(
        "tls-old-version",
        outcome(vec![tls_leg(Ok(old))]),
        Some(CauseId::TlsOldVersion),
    ));

    let mut s = session();
    s.not_after = Some(time::macros::datetime!(2026-10-01 0:00 UTC));
    s.chain = ChainFinding::Deferred("expired".into());
    s.verify_error = Some("expired".into());
    v.push(case(
        "cert-expired",
        outcome(vec![tls_leg(Ok(s))]),
        Some(CauseId::CertExpired),
    ));
    let mut s = session();
    s.not_before = Some(time::macros::datetime!(2026-12-24 0:00 UTC));
    s.chain = ChainFinding::Deferred("not valid yet".into());
    s.verify_error = Some("not valid yet".into());
    v.push(case(
        "cert-not-yet-valid",
        outcome(vec![tls_leg(Ok(s))]),
        Some(CauseId::CertNotYetValid),
    ));
    let mut s = session();
    s.not_after = Some(time::macros::datetime!(2026-11-30 0:00 UTC));
    v.push(case(
        "cert-expiring",
        outcome(vec![tls_leg(Ok(s))]),
        Some(CauseId::CertExpiring),
    ));

    let mut s = session();
    s.chain = ChainFinding::SelfSigned;
    s.verify_error = Some("self-signed".into());
    s.certificates = vec![cert("CN=pop.example.com", "CN=pop.example.com")];
    v.push(case(
        "cert-self-signed",
        outcome(vec![
            plain_leg(Stls::Accepted { leftover: 0 }, Some(Ok(s.clone()))),
            tls_leg(Ok(s)),
        ]),
        Some(CauseId::CertSelfSigned),
    ));
    let mut s = session();
    s.chain = ChainFinding::UnknownIssuer {
        issuer: "CN=Corp Root CA".into(),
    };
    s.verify_error = Some("unknown issuer".into());
    s.certificates = vec![cert("CN=pop.example.com", "CN=Corp Root CA")];
    v.push(case(
        "cert-untrusted-issuer",
        outcome(vec![tls_leg(Ok(s))]),
        Some(CauseId::CertUntrustedIssuer),
    ));
    let mut s = session();
    s.chain = ChainFinding::MissingIntermediate {
        issuer: "CN=R3".into(),
    };
    s.verify_error = Some("unknown issuer".into());
    v.push(case(
        "cert-missing-intermediate",
        outcome(vec![tls_leg(Ok(s))]),
        Some(CauseId::CertMissingIntermediate),
    ));

    let wrong = |names: Vec<&str>, used_cn: bool, same: bool| {
        let mut s = session();
        s.chain = ChainFinding::Deferred("name".into());
        s.verify_error = Some("not valid for pop.example.com".into());
        s.name = Some(NameFinding {
            name: "pop.example.com".into(),
            why: "the name in the target".into(),
            valid: false,
            names: names.iter().map(|n| n.to_string()).collect(),
            used_cn,
            alternatives: if same {
                vec![("mail.hoster.net".into(), true)]
            } else {
                Vec::new()
            },
        });
        s
    };
    v.push(case(
        "cert-wrong-name-same-address",
        outcome(vec![tls_leg(Ok(wrong(
            vec!["mail.hoster.net"],
            false,
            true,
        )))]),
        Some(CauseId::CertWrongName),
    ));
    v.push(case(
        "cert-wrong-name-unconfirmed",
        outcome(vec![tls_leg(Ok(wrong(
            vec!["mail.hoster.net"],
            false,
            false,
        )))]),
        Some(CauseId::CertWrongName),
    ));
    v.push(case(
        "cert-wrong-name-cn-only",
        outcome(vec![tls_leg(Ok(wrong(
            vec!["pop.example.com"],
            true,
            false,
        )))]),
        Some(CauseId::CertWrongName),
    ));
    v.push(case(
        "cert-wrong-name-no-name",
        outcome(vec![tls_leg(Ok(wrong(vec![], false, false)))]),
        Some(CauseId::CertWrongName),
    ));
    // A wrong name and an untrusted chain: no setting works, the name is
    // suggested in the client fix.
    let mut s = wrong(vec!["mail.hoster.net"], false, false);
    s.chain = ChainFinding::SelfSigned;
    v.push(case(
        "cert-wrong-name-self-signed",
        outcome(vec![tls_leg(Ok(s))]),
        Some(CauseId::CertSelfSigned),
    ));

    let mut p = plain_leg(Stls::NotOffered, None);
    p.capa_plain = Some((Capa::listed(["USER"]), Duration::ZERO));
    v.push(case(
        "stls-missing-995-works",
        outcome(vec![p.clone(), tls_leg(Ok(session()))]),
        Some(CauseId::StlsMissing),
    ));
    v.push(case(
        "stls-missing-alone",
        outcome(vec![p, refused(995, Security::ImplicitTls)]),
        Some(CauseId::StlsMissing),
    ));

    let mut p = plain_leg(Stls::Accepted { leftover: 0 }, Some(Ok(session())));
    p.capa_plain = Some((Capa::listed(["STLS", "USER"]), Duration::ZERO));
    p.injection = Some(Injection::Vulnerable {
        evidence: "+OK".into(),
    });
    v.push(case(
        "stls-injection",
        outcome(vec![p.clone(), tls_leg(Ok(session()))]),
        Some(CauseId::StlsInjection),
    ));
    v.push(case(
        "stls-injection-alone",
        outcome(vec![p, refused(995, Security::ImplicitTls)]),
        Some(CauseId::StlsInjection),
    ));

    let mut c = case(
        "auth-cleartext-login",
        healthy(),
        Some(CauseId::AuthCleartextExposed),
    );
    c.extra.push(
        Check::new(
            CheckId::AuthLogin,
            Status::Warn,
            ep(110),
            "logged in without TLS",
        )
        .data(json!({"tls": false})),
    );
    v.push(c);

    for (name, code, text, top) in [
        (
            "auth-rejected",
            "AUTH",
            SERVER_TEXT[0],
            CauseId::AuthRejected,
        ),
        ("auth-locked", "IN-USE", SERVER_TEXT[1], CauseId::AuthLocked),
        (
            "auth-login-delay",
            "LOGIN-DELAY",
            SERVER_TEXT[2],
            CauseId::AuthLoginDelay,
        ),
        (
            "auth-failed",
            "SYS/TEMP",
            SERVER_TEXT[3],
            CauseId::AuthFailed,
        ),
    ] {
        let mut c = case(name, healthy(), Some(top));
        c.extra.push(login_refused(code, text));
        v.push(c);
    }
    let mut c = case("dialogue-failed", healthy(), Some(CauseId::DialogueFailed));
    c.extra.push(Check::new(
        CheckId::Pop3Dialogue,
        Status::Fail,
        ep(995),
        "RETR 1 failed: -ERR no such message",
    ));
    v.push(c);

    let mut slow = tls_leg(Ok(session()));
    slow.greeting = Some((
        Greeting::Ok {
            text: "Dovecot ready.".into(),
            apop: false,
        },
        Duration::from_secs(3),
    ));
    v.push(case(
        "server-slow",
        outcome(vec![slow]),
        Some(CauseId::ServerSlow),
    ));

    let mut p = plain_leg(Stls::Accepted { leftover: 0 }, Some(Ok(session())));
    p.capa_plain = Some((
        Capa::Unsupported {
            text: "Unknown command".into(),
        },
        Duration::ZERO,
    ));
    v.push(case(
        "capa-problem",
        outcome(vec![p, tls_leg(Ok(session()))]),
        Some(CauseId::CapaProblem),
    ));

    let mut c = case("address-partial", healthy(), Some(CauseId::AddressPartial));
    c.extra.push(
        Check::new(
            CheckId::TcpConnect,
            Status::Warn,
            Some("[2001:db8::1]:995".into()),
            "no route to host",
        )
        .data(json!({"error": "unreachable", "port": 995})),
    );
    v.push(c);

    let mut o = healthy();
    o.interrupted = true;
    v.push(case("run-interrupted", o, Some(CauseId::RunIncomplete)));
    v
}

fn diagnosed(c: &Case) -> (Vec<Check>, Diagnosis) {
    let mut checks = evaluate(&c.outcome, &rules());
    checks.extend(c.extra.iter().cloned());
    let target = Target::parse("pop.example.com").expect("target");
    let d = diagnose(&target, &c.outcome, &checks, &c.ctx);
    assert_explained_once(&checks, &d);
    (checks, d)
}

/// Every sentence the diagnosis of `d` produces, each after a label of the
/// test's own (label, text).
fn render(d: &Diagnosis) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for c in &d.causes {
        out.push((
            format!("cause {} ({}): ", c.id, c.status),
            c.summary.clone(),
        ));
        out.push(("  client: ".into(), c.client_fix.clone()));
        out.push(("  server: ".into(), c.server_fix.clone()));
    }
    for s in &d.client_settings {
        out.push(("setting: ".into(), describe_setting(s)));
        if let Some(n) = &s.note {
            out.push(("  note: ".into(), n.clone()));
        }
    }
    if let Some(s) = &d.server {
        out.push((
            "server: ".into(),
            format!(
                "{} ({})",
                s.software,
                crate::diagnosis::evidence_words(&s.evidence)
            ),
        ));
    }
    out
}

/// Every case, then the extras, in the current language (with the test's
/// own English labels).
fn transcript() -> String {
    let mut out = String::new();
    for c in cases() {
        let (_, d) = diagnosed(&c);
        assert_eq!(d.top().map(|k| k.id), c.top, "{}: {d:#?}", c.name);
        out.push_str(&format!("== {}\n", c.name));
        for (label, text) in render(&d) {
            out.push_str(&format!("{label}{text}\n"));
        }
    }
    for (label, text) in extras() {
        out.push_str(&format!("{label}{text}\n"));
    }
    out
}

/// What the cases do not reach: every server fix for every software
/// family, the `other` cause, settings with a user name and every
/// authentication (label, text).
fn extras() -> Vec<(String, String)> {
    let mut out = vec![("== server fixes".to_string(), String::new())];
    for software in [Some("Dovecot"), Some("Courier"), Some("Cyrus"), None] {
        let info = software.map(|s| ServerInfo {
            software: s.into(),
            version: None,
            evidence: "greeting".into(),
        });
        for id in CauseId::ALL {
            out.push((
                format!("{} {id}: ", software.unwrap_or("generic")),
                server_fix(id, info.as_ref(), FALLBACK_REMEDY),
            ));
        }
    }
    out.push(("== other".into(), String::new()));
    let o = healthy();
    let target = Target::parse("pop.example.com").expect("target");
    let cx = Ctx {
        target: &target,
        outcome: &o,
        server: None,
        settings: &[],
        run: &DiagnosisContext::default(),
    };
    let check =
        Check::new(CheckId::TlsKey, Status::Warn, ep(995), OTHER_SUMMARY).remedy(OTHER_REMEDY);
    let c = build(&cx, CauseId::Other, &[&check]);
    out.push((format!("cause {} ({}): ", c.id, c.status), c.summary));
    out.push(("  client: ".into(), c.client_fix));
    out.push(("  server: ".into(), c.server_fix));
    out.push(("== settings".into(), String::new()));
    for (security, auth, user) in [
        (
            ClientSecurity::SslTls,
            "normal password",
            Some("alice@example.com"),
        ),
        (ClientSecurity::Starttls, "encrypted password", None),
        (ClientSecurity::None, "OAuth2", Some("alice")),
    ] {
        out.push((
            String::new(),
            describe_setting(&ClientSetting {
                host: "pop.example.com".into(),
                port: 995,
                security,
                auth: auth.into(),
                user: user.map(str::to_string),
                note: None,
            }),
        ));
    }
    out
}

#[test]
fn english_diagnosis_is_unchanged() {
    let text = crate::i18n::scoped(crate::i18n::Lang::En, transcript);
    insta::assert_snapshot!("english_diagnosis", text);
}

/// The French text in one file a reader can review (and a change to it
/// shows in the diff).
#[test]
fn french_diagnosis_snapshot() {
    let text = crate::i18n::scoped(crate::i18n::Lang::Fr, transcript);
    insta::assert_snapshot!("french_diagnosis", text);
}

#[test]
fn the_cases_cover_every_cause_of_the_catalogue() {
    let mut seen = std::collections::BTreeSet::new();
    for c in cases() {
        let (_, d) = diagnosed(&c);
        seen.extend(d.causes.iter().map(|k| k.id));
    }
    // `other` is never found by the rules; it is rendered below from a check.
    let missing: Vec<&str> = CauseId::ALL
        .iter()
        .filter(|id| **id != CauseId::Other && !seen.contains(id))
        .map(|id| id.as_str())
        .collect();
    assert!(missing.is_empty(), "causes no case shows: {missing:?}");
}

/// `text` without what the diagnosis quotes from others: the checks'
/// summaries and remedies (and the part after their last colon: a DNS
/// error, a TLS failure), the server's words, configuration lines in
/// backticks and SASL mechanism names.
fn own_words(text: &str, checks: &[Check]) -> String {
    let code = regex::Regex::new(r"`[^`]*`").expect("regex");
    let mut own = code.replace_all(text, "").into_owned();
    let mut quoted: Vec<String> = Vec::new();
    for c in checks {
        for t in [&c.summary, &c.remedy] {
            if !t.is_empty() {
                quoted.push(t.clone());
                quoted.extend(t.rsplit(": ").next().map(str::to_string));
            }
        }
    }
    quoted.extend(
        SERVER_TEXT
            .iter()
            .chain(&[OTHER_SUMMARY, OTHER_REMEDY, FALLBACK_REMEDY, "PLAIN/LOGIN"])
            .map(|s| s.to_string()),
    );
    quoted.sort_by_key(|q| std::cmp::Reverse(q.len()));
    for q in quoted {
        own = own.replace(&q, "");
    }
    own
}

/// A message id or an unfilled variable in rendered text: a `t!` id
/// without a message, or a variable the message does not get.
fn leak(text: &str) -> Option<&str> {
    ["diagnosis-", "{$", "{ $"]
        .into_iter()
        .find(|m| text.contains(m))
}

#[test]
fn french_diagnosis_is_french_with_no_message_id() {
    use crate::i18n::testing::english_word;
    crate::i18n::scoped(crate::i18n::Lang::Fr, || {
        let mut rendered: Vec<(String, String, Vec<Check>)> = Vec::new();
        for c in cases() {
            let (checks, d) = diagnosed(&c);
            assert_eq!(d.top().map(|k| k.id), c.top, "{}", c.name);
            for (label, text) in render(&d) {
                rendered.push((format!("{} {label}", c.name), text, checks.clone()));
            }
        }
        for (label, text) in extras() {
            rendered.push((label, text, Vec::new()));
        }
        let mut bad = Vec::new();
        for (label, text, checks) in &rendered {
            if let Some(m) = leak(text) {
                bad.push(format!("{m} in {label}{text}"));
            }
            if let Some(w) = english_word(&own_words(text, checks), &[]) {
                bad.push(format!("English word {w:?} in {label}{text}"));
            }
        }
        assert!(bad.is_empty(), "{}", bad.join("\n"));
    });
}

#[test]
fn english_diagnosis_has_no_message_id() {
    let text = crate::i18n::scoped(crate::i18n::Lang::En, transcript);
    let found: Vec<&str> = text.lines().filter(|l| leak(l).is_some()).collect();
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn french_settings_use_the_french_clients_labels() {
    crate::i18n::scoped(crate::i18n::Lang::Fr, || {
        let setting = |security, auth: &str| {
            describe_setting(&ClientSetting {
                host: "pop.example.com".into(),
                port: 995,
                security,
                auth: auth.into(),
                user: Some("alice".into()),
                note: None,
            })
        };
        let s = setting(ClientSecurity::SslTls, "normal password");
        for want in [
            "\u{a0}SSL/TLS\u{a0}",
            "«\u{a0}Ce serveur nécessite une connexion chiffrée (SSL/TLS)\u{a0}»",
            "«\u{a0}Mot de passe normal\u{a0}»",
            "nom d’utilisateur alice",
        ] {
            assert!(s.contains(want), "{want:?} not in {s}");
        }
        let s = setting(ClientSecurity::Starttls, "encrypted password");
        assert!(s.contains("«\u{a0}STARTTLS\u{a0}»"), "{s}");
        assert!(s.contains("«\u{a0}Mot de passe chiffré\u{a0}»"), "{s}");
        let s = setting(ClientSecurity::None, "OAuth2");
        assert!(s.contains("«\u{a0}Aucune\u{a0}»"), "{s}");
        assert!(s.contains("«\u{a0}OAuth2\u{a0}»"), "{s}");
        // The JSON keeps the stable values; only the words change.
        assert_eq!(
            crate::diagnosis::auth_words("normal password"),
            "Mot de passe normal"
        );
        assert_eq!(
            crate::diagnosis::evidence_words("greeting"),
            "message d’accueil"
        );
    });
    assert_eq!(
        crate::i18n::scoped(crate::i18n::Lang::En, || {
            crate::diagnosis::auth_words("encrypted password")
        }),
        "encrypted password"
    );
}

#[test]
fn server_identification_evidence_in_both_languages() {
    use super::super::server::{EVIDENCE_GREETING, EVIDENCE_IMPLEMENTATION, identify};
    use crate::i18n::{Lang, scoped};
    let caps = |l: &[&str]| l.iter().map(|s| s.to_string()).collect::<Vec<String>>();
    let seen = [
        identify(Some(""), &[]),
        identify(None, &caps(&["CAPA", "AUTH-RESP-CODE"])),
        identify(None, &caps(&["X-GOOGLE-RICO"])),
        identify(None, &caps(&["XOIP"])),
        identify(Some("POP3"), &caps(&["USER", "UIDL", "TOP"])),
    ];
    let mut evidence: Vec<String> = seen
        .iter()
        .map(|s| s.as_ref().expect("identified").evidence.clone())
        .collect();
    evidence.push(EVIDENCE_GREETING.into());
    evidence.push(EVIDENCE_IMPLEMENTATION.into());
    for e in &evidence {
        let en = scoped(Lang::En, || crate::diagnosis::evidence_words(e));
        assert_eq!(&en, e, "English shows the stable value");
        let fr = scoped(Lang::Fr, || crate::diagnosis::evidence_words(e));
        assert_ne!(&fr, e, "{e} has no French words");
        assert!(leak(&fr).is_none(), "{fr}");
    }
}
