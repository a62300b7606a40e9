//! The explained text report and the TUI's line explanations against the lab
//! with the default (pipelined) profile: every reply is attributed to the
//! command it answers, STAT's `+OK n size` to STAT and LIST's lines to LIST.

use std::time::Duration;

use crate::config::{LoginConfig, RunConfig};
use crate::lab::{Lab, LabConfig, Scenario};
use crate::pop3::auth::Secret;
use crate::report::Exporter;
use crate::report::text::{Text, default_explain};
use crate::transcript::{Dir, LineKind};

async fn diagnose_lab(profile: Option<&str>) -> crate::report::Report {
    let lab = Lab::start(LabConfig::new(vec![Scenario::Healthy]))
        .await
        .expect("lab starts");
    let ep = *lab.endpoint(Scenario::Healthy).expect("served");
    let login = LoginConfig::with_password("alice", Secret::new("wonderland".to_string()));
    let mut b = RunConfig::builder()
        .ca_file(Some(lab.ca_pem_path().to_path_buf()))
        .plain_port(ep.plain.port())
        .tls_port(ep.tls.port())
        .timeout(Duration::from_secs(10))
        .deadline(Duration::from_secs(60))
        .login(Some(login));
    if let Some(name) = profile {
        b = b.profile(Some(name.to_string()));
    }
    let cfg = b.build("127.0.0.1").expect("config");
    let report = crate::run::diagnose(&cfg, None, std::future::pending())
        .await
        .expect("diagnosis runs");
    lab.shutdown().await;
    report
}

fn text(report: &crate::report::Report, explain: bool) -> String {
    let t = Text {
        color: false,
        transcript: true,
        transcript_only: false,
        explain,
    };
    String::from_utf8(t.render(report)).expect("utf-8")
}

#[tokio::test]
async fn pipelined_replies_are_attributed_to_their_commands() {
    let report = diagnose_lab(None).await;
    let outcome = report
        .dialogue
        .as_ref()
        .and_then(|d| d.outcome.as_ref())
        .expect("a dialogue ran");
    assert_eq!(outcome.profile, "basic");
    let stat = outcome
        .steps
        .iter()
        .find(|s| s.verb == "STAT")
        .expect("STAT");
    assert!(
        stat.pipelined,
        "the lab offers PIPELINING: STAT goes in a batch"
    );
    assert!(
        !default_explain(&report),
        "basic is not explained by default"
    );

    let out = text(&report, true);
    // The step list: STAT's status line under STAT.
    assert!(out.contains("reply to STAT: +OK 4 "), "{out}");
    assert!(out.contains("what it does: STAT answers"), "{out}");
    // The transcript: the three commands go out together, then each status
    // line says which command it answers, and LIST's lines follow LIST's.
    let lines: Vec<&str> = out.lines().collect();
    let at = |needle: &str| {
        lines
            .iter()
            .position(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("no line with {needle:?} in\n{out}"))
    };
    let stat_reply = at("(reply to STAT)");
    assert!(lines[stat_reply].contains("S:   +OK 4 ") || lines[stat_reply].contains("+OK 4 "));
    let list_reply = at("(reply to LIST)");
    let uidl_reply = at("(reply to UIDL)");
    assert!(stat_reply < list_reply && list_reply < uidl_reply, "{out}");
    let listing: Vec<&str> = lines[list_reply + 1..uidl_reply]
        .iter()
        .map(|l| l.trim())
        .collect();
    assert_eq!(listing.len(), 5, "4 sizes and the dot: {listing:?}");
    for (i, l) in listing[..4].iter().enumerate() {
        assert!(l.contains(&format!("S:  {} ", i + 1)), "{l}");
    }
    let plain = text(&report, false);
    assert!(!plain.contains("(reply to") && !plain.contains("what it does:"));

    // The TUI explains the same lines the same way.
    let ep = report
        .endpoints
        .iter()
        .find(|e| e.transcript.iter().any(|l| l.text == "STAT"))
        .expect("the session's endpoint");
    let t = &ep.transcript;
    let stat_line = t
        .iter()
        .position(|l| l.dir == Dir::Server && l.text.starts_with("+OK 4 "))
        .expect("STAT reply");
    let e = crate::tui::explain::explain_at(t, stat_line);
    assert!(e.starts_with("+OK to STAT: 4 message(s)"), "{e}");
    let bodies: Vec<_> = t
        .iter()
        .filter(|l| matches!(&l.kind, LineKind::Body { of: Some(v) } if v == "LIST"))
        .collect();
    assert_eq!(bodies.len(), 4, "LIST's four lines are LIST's");
    for l in bodies {
        let e = crate::tui::explain::explain_line(l);
        assert!(e.starts_with("One line of the LIST answer"), "{e}");
    }
}

#[tokio::test]
async fn the_teaching_profile_explains_by_default() {
    let report = diagnose_lab(Some("teaching")).await;
    assert!(default_explain(&report));
    let out = text(&report, default_explain(&report));
    assert!(
        out.contains("== dialogue (profile teaching), explained =="),
        "{out}"
    );
    let explained = out.matches("what it does:").count();
    let steps = report
        .dialogue
        .as_ref()
        .and_then(|d| d.outcome.as_ref())
        .map(|o| o.steps.len())
        .unwrap_or_default();
    assert!(
        steps >= 10 && explained == steps,
        "{explained} of {steps}\n{out}"
    );
}
