//! The text report, the summaries and the Monitoring Plugins text in both
//! languages, from real diagnoses of lab scenarios: no message id shows, and
//! the French report has no English left in what the report itself writes
//! (headings, labels, summaries). Check texts, causes and server lines come
//! from other modules (and from the server): they are taken out before the
//! English-word check.

use std::time::Duration;

use crate::config::{LoginConfig, RunConfig, parse_dns_server, parse_duration};
use crate::i18n::testing::english_word;
use crate::i18n::{Lang, scoped, sources};
use crate::lab::{Lab, LabConfig, Scenario};
use crate::model::{Check, CheckId, Status};
use crate::pop3::auth::Secret;
use crate::report::nagios::{Nagios, Range};
use crate::report::text::Text;
use crate::report::{Exporter, Report, summarize};

/// Reports of several lab scenarios (pass with an explained dialogue,
/// failures with certificates, warnings), diagnosed in English.
async fn lab_reports() -> Vec<(Scenario, Report)> {
    let scenarios = vec![
        Scenario::Healthy,
        Scenario::SelfSigned,
        Scenario::CleartextLogin,
        Scenario::NoStls,
        Scenario::WrongHostname,
    ];
    let lab = Lab::start(LabConfig::new(scenarios.clone()))
        .await
        .expect("lab starts");
    let mut out = Vec::new();
    for s in scenarios {
        let ep = *lab.endpoint(s).expect("served");
        let mut b = RunConfig::builder()
            .ca_file(Some(lab.ca_pem_path().to_path_buf()))
            .plain_port(ep.plain.port())
            .tls_port(ep.tls.port())
            .timeout(Duration::from_secs(10))
            .deadline(Duration::from_secs(60));
        if s == Scenario::Healthy {
            let login = LoginConfig::with_password("alice", Secret::new("wonderland".to_string()));
            b = b.login(Some(login)).profile(Some("teaching".to_string()));
        }
        let cfg = b.build("127.0.0.1").expect("config");
        let report = crate::run::diagnose(&cfg, None, std::future::pending())
            .await
            .expect("diagnosis runs");
        out.push((s, report));
    }
    lab.shutdown().await;
    out
}

fn render(r: &Report) -> String {
    let t = Text {
        color: false,
        transcript: true,
        transcript_only: false,
        explain: true,
    };
    String::from_utf8(t.render(r)).expect("utf-8")
}

/// Every text the report shows but does not write itself: checks, causes,
/// settings, server and certificate names, transcripts, dialogue steps.
fn injected(r: &Report) -> Vec<String> {
    let mut v = vec![
        r.summary.clone(),
        r.target.input.clone(),
        r.target.host.clone(),
    ];
    for c in &r.checks {
        v.extend([c.summary.clone(), c.detail.clone(), c.remedy.clone()]);
        v.push(c.id.to_string());
        v.extend(c.endpoint.clone());
    }
    let d = &r.diagnosis;
    for c in &d.causes {
        v.extend([
            c.summary.clone(),
            c.client_fix.clone(),
            c.server_fix.clone(),
        ]);
    }
    for s in &d.client_settings {
        v.push(crate::diagnosis::describe_setting(s));
        v.extend(s.note.clone());
    }
    if let Some(sw) = &d.server {
        v.extend([sw.software.clone(), sw.evidence.clone()]);
        v.extend(sw.version.clone());
    }
    for e in &r.endpoints {
        v.extend(e.transcript.iter().map(|l| l.text.clone()));
        for c in e.tls.iter().flat_map(|t| &t.certificates) {
            v.extend([c.subject.clone(), c.issuer.clone()]);
        }
    }
    if let Some(o) = r.dialogue.as_ref().and_then(|d| d.outcome.as_ref()) {
        for st in &o.steps {
            v.extend([
                st.verb.clone(),
                st.command_shown.clone(),
                st.reason.clone(),
                st.explanation.clone(),
            ]);
            v.extend(st.got.clone());
            v.extend(st.meaning.clone());
        }
    }
    // Longest first, so a text is removed before a part of it.
    v.retain(|s| !s.trim().is_empty());
    v.sort_by_key(|s| std::cmp::Reverse(s.len()));
    v
}

/// The literal parts of the English messages of `file` (between
/// placeables) long enough to be unambiguous, without the ones French
/// shares.
fn english_literals(file: &str, prefix: &str) -> Vec<String> {
    let src = |lang| {
        sources(lang)
            .iter()
            .find(|(f, _)| *f == file)
            .map(|(_, s)| *s)
            .expect("message file")
    };
    let placeable = regex::Regex::new(r"\{[^}]*\}").expect("regex");
    let fr = src(Lang::Fr);
    let mut out = Vec::new();
    for line in src(Lang::En).lines() {
        let Some((id, value)) = line.split_once(" = ") else {
            continue;
        };
        if !id.starts_with(prefix) {
            continue;
        }
        for part in placeable.split(value) {
            let part = part.trim();
            if part.chars().count() >= 6
                && part.chars().any(char::is_alphabetic)
                && !fr.contains(part)
            {
                out.push(part.to_string());
            }
        }
    }
    assert!(
        out.len() > 10,
        "the English messages of {file} were not read"
    );
    out
}

/// Problems in one French text: English message parts, English words
/// outside `injected`, message ids.
fn french_problems(name: &str, text: &str, injected: &[String], prefixes: &[&str]) -> Vec<String> {
    let mut problems = Vec::new();
    for file in ["report.ftl", "monitoring.ftl"] {
        let prefix = file.trim_end_matches(".ftl");
        for e in english_literals(file, prefix) {
            if text.contains(e.as_str()) && !injected.iter().any(|i| i.contains(e.as_str())) {
                problems.push(format!("{name}: English left: {e:?}"));
            }
        }
    }
    for line in text.lines() {
        let mut own = line.to_string();
        for i in injected {
            own = own.replace(i.as_str(), " ");
        }
        if let Some(w) = english_word(&own, &[]) {
            problems.push(format!("{name}: English word {w:?} in {line:?}"));
        }
        if let Some(id) = own
            .split_whitespace()
            .find(|w| prefixes.iter().any(|p| w.starts_with(p)))
        {
            problems.push(format!("{name}: message id shown: {id}"));
        }
    }
    problems
}

#[tokio::test]
async fn lab_reports_are_written_in_both_languages() {
    let reports = lab_reports().await;
    let mut problems = Vec::new();
    let mut saw_certificates = false;
    let mut saw_dialogue = false;
    for (s, r) in &reports {
        let name = s.to_string();
        let en = scoped(Lang::En, || render(r));
        assert!(en.contains("== checks =="), "{name}: {en}");
        assert!(en.contains("\nverdict: "), "{name}: {en}");
        let (fr, own) = scoped(Lang::Fr, || (render(r), injected(r)));
        assert!(fr.contains("== vérifications =="), "{name}: {fr}");
        assert!(fr.contains("== diagnostic =="), "{name}: {fr}");
        assert!(fr.contains("\nverdict\u{a0}: "), "{name}: {fr}");
        saw_certificates |= fr.contains("== certificats ==");
        saw_dialogue |= fr.contains("== dialogue (profil teaching), expliqué ==");
        problems.extend(french_problems(&name, &fr, &own, &["report-"]));

        let plugin = |r: &Report| String::from_utf8(Nagios::default().render(r)).expect("utf-8");
        let en_plugin = scoped(Lang::En, || plugin(r));
        let fr_plugin = scoped(Lang::Fr, || plugin(r));
        let first = |s: &str| s.split(" - ").next().unwrap_or_default().to_string();
        assert_eq!(
            first(&en_plugin),
            first(&fr_plugin),
            "{name}: the status word is machine output"
        );
        let plugin_injected = scoped(Lang::Fr, || injected(r));
        problems.extend(french_problems(
            &format!("{name} (plugin)"),
            &fr_plugin,
            &plugin_injected,
            &["monitoring-"],
        ));
    }
    assert!(
        saw_certificates && saw_dialogue,
        "the scenarios cover the report"
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

fn check(id: CheckId, status: Status, ep: Option<&str>, summary: &str) -> Check {
    Check::new(id, status, ep.map(str::to_string), summary)
}

#[test]
fn summaries_in_both_languages() {
    let fail = vec![
        check(
            CheckId::TlsChain,
            Status::Fail,
            Some("[::1]:995"),
            "self-signed",
        ),
        check(CheckId::TlsExpiry, Status::Warn, None, "expires soon"),
        check(CheckId::TlsChain, Status::Pass, None, "ok"),
    ];
    let warn = vec![check(
        CheckId::TlsExpiry,
        Status::Warn,
        None,
        "expires soon",
    )];
    let pass = vec![check(CheckId::TlsChain, Status::Pass, None, "ok")];
    scoped(Lang::En, || {
        assert_eq!(
            summarize(&fail).1,
            "1 failure, 1 warning; first: tls.chain on [::1]:995: self-signed"
        );
        assert_eq!(
            summarize(&warn).1,
            "1 warning; first: tls.expiry: expires soon"
        );
        assert_eq!(summarize(&pass).1, "all 1 checks passed");
        assert_eq!(summarize(&[]).1, "all 0 checks passed");
    });
    scoped(Lang::Fr, || {
        assert_eq!(
            summarize(&fail).1,
            "1 échec, 1 avertissement\u{a0}; premier problème\u{a0}: \
             tls.chain sur [::1]:995\u{a0}: self-signed"
        );
        assert_eq!(
            summarize(&warn).1,
            "1 avertissement\u{a0}; premier problème\u{a0}: tls.expiry\u{a0}: expires soon"
        );
        assert_eq!(summarize(&pass).1, "1 vérification réussie");
        let two = [pass.clone(), pass].concat();
        assert_eq!(summarize(&two).1, "les 2 vérifications ont réussi");
    });
}

#[test]
fn plugin_sentences_in_both_languages() {
    use crate::report::nagios::{timed_out, unknown};
    let en = scoped(Lang::En, || {
        String::from_utf8(timed_out(10.0)).expect("utf-8")
    });
    assert!(
        en.starts_with("POP3 CRITICAL - no complete answer within 10 s (-t 10)"),
        "{en}"
    );
    let fr = scoped(Lang::Fr, || {
        String::from_utf8(timed_out(2.5)).expect("utf-8")
    });
    assert!(
        fr.starts_with("POP3 CRITICAL - pas de réponse complète en 2.5 s"),
        "{fr}"
    );
    assert_eq!(english_word(&fr, &[]), None, "{fr}");
    let bad = scoped(Lang::Fr, || {
        Range::parse("-w", "x").expect_err("bad range").0
    });
    assert!(
        bad.starts_with("-w «\u{a0}x\u{a0}» n’est pas un seuil"),
        "{bad}"
    );
    assert_eq!(english_word(&bad, &[]), None, "{bad}");
    let en_bad = scoped(Lang::En, || {
        Range::parse("-w", "x").expect_err("bad range").0
    });
    assert!(
        en_bad.starts_with("-w \"x\" is not a threshold: give seconds such as -w 2"),
        "{en_bad}"
    );
    let line = scoped(Lang::Fr, || String::from_utf8(unknown("x")).expect("utf-8"));
    assert_eq!(
        line, "POP3 UNKNOWN - x\n",
        "the status line stays machine output"
    );
}

#[test]
fn usage_errors_in_both_languages() {
    let errors = || {
        let missing = std::env::temp_dir().join("popscope-no-such-ca-file.pem");
        vec![
            parse_duration("abc").expect_err("bad duration").0,
            parse_duration("0s").expect_err("zero duration").0,
            parse_dns_server("dns.example")
                .expect_err("bad dns server")
                .0,
            RunConfig::builder()
                .plain_port(0)
                .build("127.0.0.1")
                .expect_err("port 0")
                .0,
            RunConfig::builder()
                .tls_name(Some("bad name!".into()))
                .build("127.0.0.1")
                .expect_err("bad tls name")
                .0,
            RunConfig::builder()
                .ca_file(Some(missing))
                .build("127.0.0.1")
                .expect_err("missing ca file")
                .0,
        ]
    };
    let en = scoped(Lang::En, errors);
    assert_eq!(
        en[0],
        "invalid duration 'abc': write a number with a unit, e.g. 500ms, 10s or 2m"
    );
    assert_eq!(en[3], "--plain-port and --tls-port must be 1-65535");
    assert!(
        en[4].starts_with("invalid --tls-name: \"bad name!\" is not a valid TLS server name"),
        "{}",
        en[4]
    );
    let fr = scoped(Lang::Fr, errors);
    assert_eq!(
        fr[0],
        "durée invalide «\u{a0}abc\u{a0}»\u{a0}: écrivez un nombre suivi d’une unité, par ex. 500ms, 10s ou 2m"
    );
    for e in &fr {
        // The operating system's own error text is not popscope's.
        let own = e.split("\u{a0}: ").take(1).collect::<String>()
            + &e.rsplit("\u{a0}; ").take(1).collect::<String>();
        assert_eq!(english_word(&own, &[]), None, "{e}");
        assert!(!e.contains("cli-error"), "{e}");
    }
}
