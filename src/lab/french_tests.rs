//! The lab in both languages: every scenario's description and greeting,
//! the server's replies, the banner and a student's sheet. French output
//! must hold no message id and no English word (protocol tokens, commands
//! and the lab's own names allowed); English output must stay as it was.

use super::*;
use crate::i18n::testing::english_word;
use crate::i18n::{Lang, scoped};

/// Words that are protocol tokens, command or field names, not prose:
/// `not_after` (a certificate field), the `popscope check` command, the
/// SASL mechanism `LOGIN`.
const TOKENS: &[&str] = &["not", "after", "check", "login"];

/// Fails on a message id left in `text` or on an English word in it.
fn assert_french(what: &str, text: &str) {
    let id = regex::Regex::new(r"(^|[\s(])lab-[a-z]").expect("regex");
    assert!(!id.is_match(text), "{what}: a message id shows: {text}");
    if let Some(w) = english_word(text, TOKENS) {
        panic!("{what}: English word {w:?} in French: {text}");
    }
}

async fn start_in(lang: Lang, scenarios: &[Scenario]) -> Lab {
    Lab::start(LabConfig {
        scenarios: scenarios.to_vec(),
        slow_delay: Duration::from_millis(50),
        idle_timeout: Duration::from_secs(20),
        lang,
        ..Default::default()
    })
    .await
    .expect("lab starts")
}

#[test]
fn every_description_in_both_languages() {
    for s in Scenario::all() {
        let en = scoped(Lang::En, || s.description());
        let fr = scoped(Lang::Fr, || s.description());
        assert!(!en.starts_with("lab-") && en.ends_with('.'), "{s}: {en}");
        assert_ne!(en, fr, "{s}: not translated");
        assert_french(s.name(), &fr);
    }
    assert_eq!(
        scoped(Lang::En, || Scenario::Healthy.description()),
        "A correct server: STLS on the plain port, implicit TLS on the TLS port, no login \
         before TLS, valid certificate chain."
    );
    let err = scoped(Lang::Fr, || {
        "nope".parse::<Scenario>().unwrap_err().to_string()
    });
    assert!(err.contains("\"nope\"") && err.contains("healthy"), "{err}");
    assert_french("unknown scenario", &err);
}

/// The first line each scenario sends (after the TLS handshake where the
/// port speaks TLS first); `silent` says nothing at all.
async fn greetings(lab: &Lab) -> Vec<(Scenario, String)> {
    let mut out = Vec::new();
    for ep in lab.endpoints() {
        let line = match ep.scenario {
            Scenario::Silent => continue,
            Scenario::TlsOnPlainPort => {
                let s = tls_handshake(lab, tcp(ep.plain).await, "localhost")
                    .await
                    .unwrap();
                Client::new(s).line().await
            }
            _ => plain(ep.plain).await.line().await,
        };
        out.push((ep.scenario, line));
    }
    out
}

#[tokio::test]
async fn every_greeting_in_both_languages() {
    let en = start_in(Lang::En, &[]).await;
    let fr = start_in(Lang::Fr, &[]).await;
    let (en_lines, fr_lines) = (greetings(&en).await, greetings(&fr).await);
    assert_eq!(en_lines.len(), Scenario::all().len() - 1);
    for ((s, en), (_, fr)) in en_lines.iter().zip(&fr_lines) {
        if *s == Scenario::WrongBanner {
            assert_eq!(
                en,
                "220 localhost ESMTP popscope-lab (scenario wrong-banner: this is not POP3)"
            );
            assert_eq!(
                fr,
                "220 localhost ESMTP popscope-lab (scénario wrong-banner\u{a0}: ceci n’est pas du POP3)"
            );
            continue;
        }
        let en_head = format!("+OK popscope-lab POP3 server ready (scenario {s}) <");
        assert!(en.starts_with(&en_head), "{s}: {en}");
        let fr_head = format!("+OK popscope-lab\u{a0}: serveur POP3 prêt (scénario {s}) <");
        assert!(fr.starts_with(&fr_head), "{s}: {fr}");
        assert_french(s.name(), fr);
    }
    en.shutdown().await;
    fr.shutdown().await;
}

#[tokio::test]
async fn french_server_replies_keep_their_codes() {
    let lab = start_in(
        Lang::Fr,
        &[Scenario::Healthy, Scenario::CleartextLogin, Scenario::InUse],
    )
    .await;
    let mut seen = Vec::new();
    let healthy = lab.endpoint(Scenario::Healthy).unwrap();
    let mut c = plain(healthy.plain).await;
    seen.push(c.line().await);
    let capa = c.cmd("CAPA").await;
    assert_eq!(capa, "+OK Liste des capacités");
    assert!(c.body().await.contains(&"STLS".to_string()));
    let refused = c.cmd("USER alice").await;
    assert!(refused.starts_with("-ERR [AUTH] Authentification en clair interdite"));
    seen.extend([capa, refused, c.cmd("STAT").await, c.cmd("FOO").await]);
    seen.push(c.cmd("STLS").await);

    let mut c = plain(lab.endpoint(Scenario::CleartextLogin).unwrap().plain).await;
    seen.push(c.line().await);
    for cmd in [
        "USER",
        "PASS x",
        "USER alice",
        "PASS wrong",
        "AUTH FOO",
        "AUTH CRAM-MD5 x",
        "USER alice",
        "PASS wonderland",
        "LIST 99",
        "LIST x",
        "RETR",
        "TOP 1",
        "TOP 1 x",
        "RETR 99",
        "DELE 1",
        "DELE 1",
        "RSET",
        "USER x",
    ] {
        seen.push(c.cmd(cmd).await);
    }
    let list = c.cmd("LIST").await;
    assert!(list.starts_with("+OK 4 messages ("), "{list}");
    c.body().await;
    let uidl = c.cmd("UIDL").await;
    c.body().await;
    let top = c.cmd("TOP 1 0").await;
    c.body().await;
    let quit = c.cmd("QUIT").await;
    assert_eq!(
        quit,
        "+OK popscope-lab\u{a0}: au revoir (4 messages restants)"
    );
    seen.extend([list, uidl, top, quit]);
    assert!(
        seen.iter()
            .any(|l| l.starts_with("+OK Connecté en tant que alice\u{a0};")),
        "{seen:#?}"
    );
    assert!(seen.contains(&"-ERR [AUTH] identifiant ou mot de passe incorrect".to_string()));

    let mut c = tls(&lab, lab.endpoint(Scenario::InUse).unwrap().tls).await;
    c.cmd("USER alice").await;
    let in_use = c.cmd("PASS wonderland").await;
    assert_eq!(
        in_use,
        "-ERR [IN-USE] Boîte aux lettres déjà verrouillée par une autre session"
    );
    seen.push(in_use);
    for line in &seen {
        assert!(
            line.starts_with("+OK") || line.starts_with("-ERR"),
            "{line}"
        );
        assert_french("reply", line);
    }
    lab.shutdown().await;
}

#[tokio::test]
async fn the_banner_in_both_languages() {
    let fr = start_in(Lang::Fr, &[]).await;
    let text = fr.describe();
    assert!(text.starts_with("popscope lab\u{a0}: 20 scénarios en écoute sur 127.0.0.1\n"));
    assert!(
        text.contains("SCÉNARIO") && text.contains("(tout réussit)"),
        "{text}"
    );
    assert!(text.contains("(ici 50 ms)"), "{text}");
    for s in Scenario::all() {
        if *s != Scenario::SlowGreeting {
            let desc = scoped(Lang::Fr, || s.description());
            assert!(text.contains(&desc), "{s}");
        }
    }
    assert_french("banner", &text);
    fr.shutdown().await;

    let en = start_in(Lang::En, &[Scenario::Healthy]).await;
    let text = en.describe();
    assert!(
        text.starts_with("popscope lab: 1 scenario(s) listening on 127.0.0.1\nCA certificate: ")
    );
    assert!(text.contains(
        "\nUsers:\n  alice / wonderland  (four sample messages (one exercises dot-stuffing))\n"
    ));
    assert!(text.contains(
        "SCENARIO               PLAIN (POP3+STLS)        TLS (POP3S)              EXPECTED CHECK\n"
    ));
    assert!(text.contains("(everything passes)\n") && text.contains("\nTry (healthy):\n"));
    en.shutdown().await;
}

#[tokio::test]
async fn the_blind_classroom_banner_in_french() {
    let class =
        classroom::students(3, &[Scenario::Healthy], &classroom::Assignment::RoundRobin).unwrap();
    let lab = Lab::start(LabConfig {
        students: class,
        blind: true,
        lang: Lang::Fr,
        ..Default::default()
    })
    .await
    .expect("lab starts");
    let text = lab.describe();
    assert!(
        text.starts_with(
            "popscope lab\u{a0}: 1 paire de ports en écoute sur 127.0.0.1 (noms des scénarios \
             masqués)\n"
        ),
        "{text}"
    );
    assert!(text.contains("Classe\u{a0}: 3 comptes étudiants"), "{text}");
    assert!(text.contains("EN CLAIR (POP3+STLS)"), "{text}");
    assert_french("blind banner", &text);
    assert_eq!(lab.users()[2].note, "le compte d’un étudiant de la classe");
    lab.shutdown().await;
}

#[test]
fn lab_errors_in_french() {
    let e = LabError::PortRange {
        scenario: Scenario::Healthy,
        base: 65530,
        index: 9,
    };
    let fr = scoped(Lang::Fr, || e.to_string());
    assert_eq!(fr, "le port 65530 + 9 du scénario healthy dépasse 65535");
    assert_eq!(
        scoped(Lang::En, || e.to_string()),
        "port 65530 + 9 for lab scenario healthy is out of range"
    );
    let e = MailboxError::UnknownUser {
        path: "/tmp/m/zoe".into(),
        user: "zoe".into(),
        known: "alice, bob".into(),
    };
    assert_eq!(
        scoped(Lang::En, || e.to_string()),
        "mailbox directory /tmp/m/zoe: no lab user named \"zoe\" (known: alice, bob)"
    );
    assert_french("mailbox error", &scoped(Lang::Fr, || e.to_string()));
}
