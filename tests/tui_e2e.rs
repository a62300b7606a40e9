//! End to end: the real `popscope tui` binary in a real terminal (tmux, which
//! `.ci/run` installs) against the built-in lab server started by the test on
//! 127.0.0.1.
//!
//! The terminal is driven with `tmux send-keys` and read with `tmux
//! capture-pane`, on a private tmux socket so no user session is touched
//! (`tests/support/tmux.rs`). Without tmux the tests skip (unless
//! `POPSCOPE_REQUIRE_INTEROP` is set).

use popscope::lab::{Lab, Scenario};

use crate::support::net::RunningLab;
use crate::support::tmux::{self, Tmux};

fn tui_args(lab: &Lab, scenario: Scenario) -> Vec<String> {
    let ep = lab.endpoint(scenario).expect("scenario running");
    vec![
        "tui".into(),
        ep.plain.ip().to_string(),
        "--plain-port".into(),
        ep.plain.port().to_string(),
        "--tls-port".into(),
        ep.tls.port().to_string(),
        "--ca-file".into(),
        lab.ca_pem_path().display().to_string(),
        "--timeout".into(),
        "3s".into(),
    ]
}

fn verdict_code(screen: &str) -> i32 {
    let header = screen.lines().next().unwrap_or_default();
    if header.contains("PASS") {
        0
    } else if header.contains("WARN") {
        1
    } else if header.contains("FAIL") {
        2
    } else {
        panic!("no verdict in header: {header}")
    }
}

fn assert_restored(t: &Tmux) {
    let stty = t.stty_after();
    assert!(
        stty.split_whitespace().any(|w| w == "icanon")
            && stty.split_whitespace().any(|w| w == "echo"),
        "terminal left in raw mode: {stty}"
    );
    let s = t.wait_for("the shell after exit", |s| s.contains("AFTER-EXIT"));
    assert!(!s.contains("Checks"), "alternate screen not left:\n{s}");
}

#[test]
fn tui_diagnoses_the_lab_saves_and_quits() {
    if !tmux::available_or_skip("tui_diagnoses_the_lab_saves_and_quits") {
        return;
    }
    let lab = RunningLab::start(&[Scenario::Healthy]);
    let cwd = tempfile::tempdir().expect("cwd");
    let t = Tmux::popscope(&tui_args(&lab, Scenario::Healthy), &[], cwd.path(), 100, 30);
    let tls = lab.endpoint(Scenario::Healthy).unwrap().tls.to_string();
    // The header is drawn first: wait for the rows below it too.
    let done = t.wait_for("a verdict and the checks", |s| {
        let h = s.lines().next().unwrap_or_default();
        (h.contains("PASS") || h.contains("WARN") || h.contains("FAIL"))
            && s.contains("tcp.connect")
            && s.contains(&tls)
    });
    assert!(done.contains("Checks"), "{done}");
    assert!(done.contains("tcp.connect"), "{done}");
    assert!(done.contains(&tls), "{done}");
    let expected = verdict_code(&done);
    t.keys(&["?"]);
    t.wait_for("help", |s| s.contains("popscope help"));
    t.keys(&["x"]);
    t.wait_for("help closed", |s| !s.contains("popscope help"));
    t.keys(&["d"]);
    t.wait_for("the Diagnosis view", |s| {
        s.contains("Mail client settings that work now") && s.contains("Server software")
    });
    t.keys(&["Escape"]);
    t.wait_for("the Diagnosis view closed", |s| {
        !s.contains("Mail client settings that work now")
    });
    t.keys(&["j"]);
    t.wait_for("save notice", |s| s.contains("saved the JSON report to"));
    t.keys(&["Tab", "Home", "Down"]);
    t.wait_for("a transcript line explained", |s| {
        s.contains("What it means")
    });
    t.keys(&["q"]);
    assert_eq!(t.wait_exit(), expected, "exit code = verdict");
    assert_restored(&t);
    let saved: Vec<_> = std::fs::read_dir(cwd.path())
        .expect("cwd")
        .map(|e| e.expect("entry").path())
        .collect();
    assert_eq!(saved.len(), 1, "{saved:?}");
    let json = std::fs::read_to_string(&saved[0]).expect("json");
    assert!(json.contains("popscope.report/v1"));
}

#[test]
fn tui_form_then_ctrl_c_restores_the_terminal() {
    if !tmux::available_or_skip("tui_form_then_ctrl_c_restores_the_terminal") {
        return;
    }
    // a server that never greets: the diagnosis is still running at Ctrl-C
    let lab = RunningLab::start(&[Scenario::Silent]);
    let ep = *lab.endpoint(Scenario::Silent).expect("scenario");
    let cwd = tempfile::tempdir().expect("cwd");
    let t = Tmux::popscope(&["tui".to_string()], &[], cwd.path(), 80, 24);
    t.wait_for("the form", |s| s.contains("New diagnosis"));
    t.type_text(&ep.plain.ip().to_string());
    t.keys(&["Tab"]);
    t.type_text(&ep.plain.port().to_string());
    t.keys(&["Tab"]);
    t.type_text(&ep.tls.port().to_string());
    t.keys(&["Tab"]);
    t.type_text("alice");
    t.keys(&["Tab"]);
    t.type_text("not-shown-secret");
    // the password field shows the mask once the typing has arrived
    let s = t.wait_for("the masked password", |s| s.contains("Password   ********"));
    assert!(!s.contains("not-shown-secret"), "password visible:\n{s}");
    // the engine may not take a user/password yet: clear them again
    t.keys(&["C-u", "BTab", "C-u"]);
    t.keys(&["Enter"]);
    t.wait_for("a running diagnosis", |s| s.contains("RUNNING"));
    t.keys(&["C-c"]);
    assert_eq!(t.wait_exit(), 0, "no run completed");
    assert_restored(&t);
}
