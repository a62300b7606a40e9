//! The TUI, in tmux on a private socket: its screens, the details of every
//! transcript line of the login session, and the JSON and text reports it
//! saves hold no secret.

use popscope::lab::Scenario;
use regex::Regex;
use serde_json::Value;

use super::{CANARY, PASSWORD, USER, assert_no_secret, contains_run, target_args};
use crate::support::net::RunningLab;
use crate::support::report::client_lines;
use crate::support::tmux::{self, Tmux};

fn header_has_verdict(s: &str) -> bool {
    let h = s.lines().next().unwrap_or_default();
    h.contains("PASS") || h.contains("WARN") || h.contains("FAIL")
}

/// `line N of M` from the details pane of a transcript line.
fn detail_position(screen: &str) -> Option<(usize, usize)> {
    let re = Regex::new(r"line (\d+) of (\d+)").unwrap();
    let c = re.captures(screen)?;
    Some((c[1].parse().ok()?, c[2].parse().ok()?))
}

/// Walks every line of the transcript tab `tab` (the login session's
/// endpoint), so that the details pane shows each one whole; returns every
/// screen seen, with and without escape codes.
fn walk_transcript(t: &Tmux, tab: usize) -> String {
    let mut seen = String::new();
    t.keys(&["Tab"]);
    t.keys(&[&tab.to_string()]);
    t.keys(&["Home"]);
    let first = t.wait_for("the first transcript line", |s| {
        detail_position(s).is_some_and(|(n, _)| n == 1)
    });
    let (_, total) = detail_position(&first).unwrap();
    seen.push_str(&first);
    for n in 2..=total {
        t.keys(&["Down"]);
        let s = t.wait_for(&format!("transcript line {n}"), |s| {
            detail_position(s).is_some_and(|(k, _)| k == n)
        });
        seen.push_str(&s);
        seen.push_str(&t.capture(true));
    }
    seen
}

/// Runs the TUI against the lab, waits for the verdict, walks the login
/// session's transcript, saves JSON and text, quits; checks everything for
/// `password`. `form` types user and password into the form instead of
/// passing `--user` and POPSCOPE_PASSWORD. Returns the saved JSON report and
/// the screens of the transcript walk.
fn tui_run(lab: &RunningLab, auth: Option<&str>, password: &str, form: bool) -> (Value, String) {
    let ep = *lab.endpoint(Scenario::Healthy).unwrap();
    let cwd = tempfile::tempdir().expect("cwd");
    let ca = lab.ca_pem_path().display().to_string();
    let mut args = vec!["tui".to_string()];
    if !form {
        args.extend(target_args(lab, Scenario::Healthy, true));
        args.extend(["--user".into(), USER.into()]);
    }
    if let Some(a) = auth {
        args.extend(["--auth".into(), a.into()]);
    }
    let env: Vec<(&str, &str)> = if form {
        vec![]
    } else {
        vec![("POPSCOPE_PASSWORD", password)]
    };
    let what = format!("tui --auth {} (form: {form})", auth.unwrap_or("auto"));
    let t = Tmux::popscope(&args, &env, cwd.path(), 200, 60);
    let mut seen = String::new();

    if form {
        t.wait_for("the form", |s| s.contains("New diagnosis"));
        // target, plain port, TLS port, user, password, profile, CA file
        t.type_text(&ep.plain.ip().to_string());
        t.keys(&["Tab"]);
        t.type_text(&ep.plain.port().to_string());
        t.keys(&["Tab"]);
        t.type_text(&ep.tls.port().to_string());
        t.keys(&["Tab"]);
        t.type_text(USER);
        t.keys(&["Tab"]);
        t.type_text(password);
        t.keys(&["Tab", "Tab"]);
        t.type_text(&ca);
        let s = t.wait_for("the CA field to be filled", |s| s.contains(&ca));
        seen.push_str(&s);
        seen.push_str(&t.capture(true));
        t.keys(&["Enter"]);
    }

    // Which tab holds the login session: the endpoint of auth.login.
    let tls = ep.tls.to_string();
    let tab_re = Regex::new(&format!(r"(\d) \S+ {}", regex::escape(&tls))).unwrap();
    let tab_of = |screen: &str| {
        screen
            .lines()
            .find_map(|l| tab_re.captures(l).map(|c| c[1].parse::<usize>().unwrap()))
    };
    // The header is drawn first: wait for the whole finished screen (the
    // auth.login row with its endpoint, the transcript tabs), not just the
    // verdict.
    let done = t.wait_for("a verdict, the auth.login row and the tabs", |s| {
        header_has_verdict(s)
            && s.lines()
                .any(|l| l.contains("auth.login") && l.contains("127.0.0.1:"))
            && tab_of(s).is_some()
    });
    seen.push_str(&done);
    seen.push_str(&t.capture(true));
    assert!(done.contains("auth.login"), "{what}: no login:\n{done}");
    // the row, not the details pane's title (the selection starts on the
    // first problem, so the details may describe auth.login too)
    let login_row = done
        .lines()
        .find(|l| l.contains("auth.login") && l.contains("127.0.0.1:"))
        .unwrap()
        .to_string();
    assert!(login_row.contains(&tls), "{what}: {login_row}");
    let tab =
        tab_of(&done).unwrap_or_else(|| panic!("{what}: no transcript tab for {tls}:\n{done}"));
    let walked = walk_transcript(&t, tab);
    seen.push_str(&walked);

    t.keys(&["j"]);
    let s = t.wait_for("the JSON save notice", |s| {
        s.contains("saved the JSON report to")
    });
    seen.push_str(&s);
    t.keys(&["s"]);
    let s = t.wait_for("the text save notice", |s| s.contains(".txt"));
    seen.push_str(&s);
    seen.push_str(&t.capture(true));
    t.keys(&["q"]);
    let code = t.wait_exit();
    assert!((0..=2).contains(&code), "{what}: exit {code}");
    let after = t.wait_for("the shell after exit", |s| s.contains("AFTER-EXIT"));
    seen.push_str(&after);

    assert_no_secret(&seen, USER, password, &format!("{what} screens"));

    let mut json = None;
    let mut text = None;
    for e in std::fs::read_dir(cwd.path()).unwrap() {
        let p = e.unwrap().path();
        let body = std::fs::read_to_string(&p).unwrap();
        assert_no_secret(&body, USER, password, &format!("{what} {}", p.display()));
        match p.extension().and_then(|e| e.to_str()) {
            Some("json") => json = Some(body),
            Some("txt") => text = Some(body),
            _ => panic!("{what}: unexpected file {}", p.display()),
        }
    }
    let text = text.unwrap_or_else(|| panic!("{what}: no text report saved"));
    assert!(text.contains("auth.login"), "{what}: {text}");
    let json = json.unwrap_or_else(|| panic!("{what}: no JSON report saved"));
    let report: Value = serde_json::from_str(&json).expect("saved JSON");
    (report, walked)
}

fn login_status(report: &Value) -> String {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "auth.login")
        .map(|c| c["status"].as_str().unwrap_or_default().to_string())
        .unwrap_or_default()
}

#[test]
fn tui_shows_and_saves_no_secret() {
    if !tmux::available_or_skip("tui_shows_and_saves_no_secret") {
        return;
    }
    let lab = RunningLab::start(&[Scenario::Healthy]);
    for (auth, shape) in [
        (None, &["AUTH CRAM-MD5", "********"][..]),
        (Some("user"), &["USER alice", "PASS ********"][..]),
        (Some("plain"), &["AUTH PLAIN ********"][..]),
        (Some("apop"), &["APOP alice ********"][..]),
    ] {
        let (report, walked) = tui_run(&lab, auth, PASSWORD, false);
        assert_eq!(login_status(&report), "pass", "--auth {auth:?}");
        let lines = client_lines(&report);
        assert!(contains_run(&lines, shape), "--auth {auth:?}: {lines:?}");
        // The screen showed the redacted login lines (in the transcript and,
        // whole, in the details pane).
        for line in shape {
            assert!(
                walked.contains(&format!("C:  {line}")),
                "--auth {auth:?}: {line:?} not on screen"
            );
        }
        assert!(
            walked.contains("Client (popscope) sent:"),
            "--auth {auth:?}"
        );
    }
}

#[test]
fn tui_wrong_password_shows_and_saves_no_secret() {
    if !tmux::available_or_skip("tui_wrong_password_shows_and_saves_no_secret") {
        return;
    }
    let lab = RunningLab::start(&[Scenario::Healthy]);
    // From the environment, and typed into the form.
    let (report, walked) = tui_run(&lab, Some("plain"), CANARY, false);
    assert_eq!(login_status(&report), "fail");
    assert!(walked.contains("C:  AUTH PLAIN ********"), "{walked}");
    assert!(walked.contains("-ERR [AUTH]"), "{walked}");
    let (report, walked) = tui_run(&lab, None, CANARY, true);
    assert_eq!(login_status(&report), "fail");
    assert!(walked.contains("-ERR [AUTH]"), "{walked}");
}
