//! Identification from real greetings and CAPA lists. Strings marked
//! "observed" were captured from the real servers that `tests/servers.rs`
//! runs (Debian 12 packages); the others come from the products' sources
//! or published sessions.

use super::*;

fn caps(lines: &[&str]) -> Vec<String> {
    lines.iter().map(|s| s.to_string()).collect()
}

#[track_caller]
fn assert_id(
    greeting: Option<&str>,
    capabilities: &[&str],
    software: Software,
    version: Option<&str>,
    evidence: &str,
) {
    let got = identify(greeting, &caps(capabilities));
    assert_eq!(
        got,
        Some(ServerInfo {
            software: software.name().to_string(),
            version: version.map(str::to_string),
            evidence: evidence.to_string(),
        }),
        "greeting {greeting:?}, capabilities {capabilities:?}"
    );
}

/// Observed: courier-pop 1.0.16 (Debian 12), plain port before STLS.
const COURIER_CAPA: &[&str] = &[
    "STLS",
    "TOP",
    "USER",
    "LOGIN-DELAY 10",
    "PIPELINING",
    "UIDL",
    "UTF8 USER",
    "IMPLEMENTATION Courier Mail Server",
];

#[test]
fn courier_by_implementation_and_by_its_default_greeting() {
    assert_id(
        Some("Hello there."),
        COURIER_CAPA,
        Software::Courier,
        None,
        EVIDENCE_IMPLEMENTATION,
    );
    // Observed on the pop3s port (SASL offered inside TLS).
    let mut tls = vec!["SASL LOGIN PLAIN"];
    tls.extend_from_slice(COURIER_CAPA);
    assert_id(
        Some("Hello there."),
        &tls,
        Software::Courier,
        None,
        EVIDENCE_IMPLEMENTATION,
    );
    // CAPA failed or not asked: the default greeting alone.
    assert_id(
        Some("Hello there."),
        &[],
        Software::Courier,
        None,
        EVIDENCE_GREETING,
    );
}

#[test]
fn popa3d_by_its_bare_greeting_without_capa() {
    // Observed: popa3d 1.0.3 (Debian 12) says "+OK" and answers CAPA "-ERR".
    assert_id(
        Some(""),
        &[],
        Software::Popa3d,
        None,
        "behaviour: bare +OK greeting and no CAPA",
    );
    // No greeting seen at all is no evidence.
    assert_eq!(identify(None, &[]), None);
}

#[test]
fn cyrus_with_version_from_capa_or_greeting() {
    // Observed: Cyrus 3.6.1 (Debian 12), serverinfo on, before and after
    // STLS.
    let greeting = "localhost Cyrus POP3 3.6.1-Debian-3.6.1-4+deb12u5 server ready \
                    <11384526079747161841.1796005706@localhost>";
    let before_tls = [
        "STLS",
        "EXPIRE NEVER",
        "LOGIN-DELAY 0",
        "TOP",
        "UIDL",
        "PIPELINING",
        "RESP-CODES",
        "AUTH-RESP-CODE",
        "IMPLEMENTATION Cyrus POP3 3.6.1-Debian-3.6.1-4+deb12u5",
    ];
    let after_tls = [
        "SASL PLAIN LOGIN",
        "EXPIRE NEVER",
        "LOGIN-DELAY 0",
        "TOP",
        "UIDL",
        "PIPELINING",
        "RESP-CODES",
        "AUTH-RESP-CODE",
        "USER",
        "IMPLEMENTATION Cyrus POP3 3.6.1-Debian-3.6.1-4+deb12u5",
    ];
    for capa in [&before_tls[..], &after_tls[..]] {
        assert_id(
            Some(greeting),
            capa,
            Software::Cyrus,
            Some("3.6.1-Debian-3.6.1-4+deb12u5"),
            EVIDENCE_IMPLEMENTATION,
        );
    }
    assert_id(
        Some(greeting),
        &[],
        Software::Cyrus,
        Some("3.6.1-Debian-3.6.1-4+deb12u5"),
        EVIDENCE_GREETING,
    );
    assert_id(
        Some("mail.example.org Cyrus POP3 v3.6.1 server ready <123.456@mail.example.org>"),
        &[],
        Software::Cyrus,
        Some("3.6.1"),
        EVIDENCE_GREETING,
    );
    // Older releases: "Cyrus POP3 server v2.1.16", Murder front ends.
    assert_id(
        None,
        &["IMPLEMENTATION Cyrus POP3 server v2.1.16"],
        Software::Cyrus,
        Some("2.1.16"),
        EVIDENCE_IMPLEMENTATION,
    );
    assert_id(
        Some("pop.example.org Cyrus POP3 Murder v2.3.16 server ready <1@x>"),
        &[],
        Software::Cyrus,
        Some("2.3.16"),
        EVIDENCE_GREETING,
    );
}

#[test]
fn dovecot_by_greeting_or_by_capa_shape() {
    for g in [
        "Dovecot ready.",
        "Dovecot (Debian) ready.",
        "Dovecot (Ubuntu) ready.",
    ] {
        assert_id(Some(g), &[], Software::Dovecot, None, EVIDENCE_GREETING);
    }
    // A greeting that merely names the product counts too.
    assert_id(
        Some("popscope-dovecot ready."),
        &[],
        Software::Dovecot,
        None,
        EVIDENCE_GREETING,
    );
    // Observed: Dovecot 2.3.19.1 (Debian 12) with a custom login_greeting,
    // before and after STLS: only the capability list gives it away.
    assert_id(
        Some("mail.example.org ready. <4590.3.6b0cdd4a.3rV1Bem5EOGWoNLRbKaFPQ==@vm>"),
        &[
            "CAPA",
            "TOP",
            "UIDL",
            "RESP-CODES",
            "PIPELINING",
            "AUTH-RESP-CODE",
            "STLS",
            "SASL CRAM-MD5",
        ],
        Software::Dovecot,
        None,
        "behaviour: CAPA lists CAPA and AUTH-RESP-CODE",
    );
    assert_id(
        Some("mail.example.org ready."),
        &[
            "CAPA",
            "TOP",
            "UIDL",
            "RESP-CODES",
            "PIPELINING",
            "AUTH-RESP-CODE",
            "USER",
            "SASL PLAIN LOGIN CRAM-MD5",
        ],
        Software::Dovecot,
        None,
        "behaviour: CAPA lists CAPA and AUTH-RESP-CODE",
    );
}

#[test]
fn qpopper_with_version() {
    assert_id(
        Some(
            "Qpopper (version 4.1.0) at mail.example.org starting.  <24213.1118745311@mail.example.org>",
        ),
        &[],
        Software::Qpopper,
        Some("4.1.0"),
        EVIDENCE_GREETING,
    );
    assert_id(
        Some("QPOP (version 2.53) at mail.example.org starting."),
        &[],
        Software::Qpopper,
        Some("2.53"),
        EVIDENCE_GREETING,
    );
    assert_id(
        None,
        &["TOP", "USER", "IMPLEMENTATION Qpopper-version-4.0.9"],
        Software::Qpopper,
        Some("4.0.9"),
        EVIDENCE_IMPLEMENTATION,
    );
}

#[test]
fn uw_ipop3d_with_version() {
    assert_id(
        Some("POP3 host v2007f.104 server ready"),
        &[
            "TOP",
            "LOGIN-DELAY 180",
            "UIDL",
            "STLS",
            "USER",
            "SASL PLAIN",
        ],
        Software::UwIpop3d,
        Some("2007f.104"),
        EVIDENCE_GREETING,
    );
    assert_id(
        Some("POP3 mail.example.org 2004.89rh server ready"),
        &[],
        Software::UwIpop3d,
        Some("2004.89rh"),
        EVIDENCE_GREETING,
    );
}

#[test]
fn exchange_old_and_new() {
    assert_id(
        Some(
            "Microsoft Exchange Server 2003 POP3 server version 6.5.7638.1 (mail.example.org) ready.",
        ),
        &[],
        Software::Exchange,
        Some("6.5.7638.1"),
        EVIDENCE_GREETING,
    );
    assert_id(
        Some("Microsoft Exchange POP3 server version 5.0.1457.10 ready"),
        &[],
        Software::Exchange,
        Some("5.0.1457.10"),
        EVIDENCE_GREETING,
    );
    assert_id(
        Some(
            "The Microsoft Exchange POP3 service is ready. [TQBXADIAUABSADAAMQBDAEEAMAAwADEANQAuAA==]",
        ),
        &["TOP", "UIDL", "SASL PLAIN XOAUTH2", "USER"],
        Software::Exchange,
        None,
        EVIDENCE_GREETING,
    );
}

#[test]
fn gmail_by_greeting_or_capa() {
    let capa = [
        "USER",
        "RESP-CODES",
        "EXPIRE 0",
        "LOGIN-DELAY 300",
        "TOP",
        "UIDL",
        "X-GOOGLE-RICO",
        "SASL PLAIN XOAUTH2 OAUTHBEARER",
    ];
    assert_id(
        Some("Gpop ready for requests from 192.0.2.7 a1mb12345678wrb"),
        &capa,
        Software::Gmail,
        None,
        EVIDENCE_GREETING,
    );
    assert_id(
        Some("ready"),
        &capa,
        Software::Gmail,
        None,
        "behaviour: CAPA lists X-GOOGLE-RICO",
    );
}

#[test]
fn zimbra_by_implementation_or_greeting() {
    assert_id(
        Some("mail.example.org Zimbra POP3 server ready"),
        &[
            "TOP",
            "USER",
            "UIDL",
            "EXPIRE 31 USER",
            "XOIP",
            "IMPLEMENTATION ZimbraInc",
        ],
        Software::Zimbra,
        None,
        EVIDENCE_IMPLEMENTATION,
    );
    assert_id(
        Some("mail.example.org Zimbra POP3 server ready"),
        &[],
        Software::Zimbra,
        None,
        EVIDENCE_GREETING,
    );
}

#[test]
fn hmailserver_default_greeting_and_capa() {
    assert_id(
        Some("POP3"),
        &["USER", "UIDL", "TOP"],
        Software::HMailServer,
        None,
        "behaviour: +OK POP3 greeting with CAPA USER, UIDL, TOP",
    );
    assert_id(
        Some("Welcome to hMailServer"),
        &[],
        Software::HMailServer,
        None,
        EVIDENCE_GREETING,
    );
    // "POP3" with a richer CAPA is somebody else.
    assert_eq!(
        identify(Some("POP3"), &caps(&["USER", "UIDL", "TOP", "SASL PLAIN"])),
        None
    );
}

#[test]
fn popscope_lab() {
    assert_id(
        Some("popscope-lab POP3 server ready (scenario healthy) <1.2@popscope.lab>"),
        &["TOP", "UIDL", "USER", "IMPLEMENTATION popscope-lab"],
        Software::PopscopeLab,
        None,
        EVIDENCE_IMPLEMENTATION,
    );
}

#[test]
fn implementation_beats_a_misleading_greeting_and_unknown_stays_unknown() {
    assert_id(
        Some("Dovecot ready."),
        COURIER_CAPA,
        Software::Courier,
        None,
        EVIDENCE_IMPLEMENTATION,
    );
    // An unknown IMPLEMENTATION falls through to the greeting.
    assert_id(
        Some("Dovecot ready."),
        &["IMPLEMENTATION Acme POP 1.0"],
        Software::Dovecot,
        None,
        EVIDENCE_GREETING,
    );
    assert_eq!(
        identify(
            Some("POP3 server ready <1.2@example.org>"),
            &caps(&["TOP", "USER"])
        ),
        None
    );
    // Keyword case does not matter (RFC 2449).
    assert_id(
        None,
        &["implementation Courier Mail Server"],
        Software::Courier,
        None,
        EVIDENCE_IMPLEMENTATION,
    );
}

#[test]
fn names_are_stable_and_distinct() {
    let names: Vec<&str> = Software::ALL.iter().map(|s| s.name()).collect();
    assert_eq!(
        names,
        [
            "Dovecot",
            "Courier",
            "Cyrus",
            "popa3d",
            "qpopper",
            "UW ipop3d",
            "Microsoft Exchange",
            "Gmail",
            "Zimbra",
            "hMailServer",
            "popscope lab",
        ]
    );
}

#[test]
fn serializes_with_stable_field_names() {
    let info = identify(Some("Hello there."), &caps(COURIER_CAPA)).unwrap();
    assert_eq!(
        serde_json::to_value(&info).unwrap(),
        serde_json::json!({
            "software": "Courier",
            "version": null,
            "evidence": "CAPA IMPLEMENTATION",
        })
    );
}
