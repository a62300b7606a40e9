//! `popscope lab --list` and `popscope demo`.

use popscope::lab::Scenario;

use super::util::{EXIT_PASS, EXIT_WARN, report_of, run};
use crate::support::cmd::popscope_std;

#[test]
fn lab_list_names_every_scenario_and_its_check() {
    let r = run(&["lab", "--list"]);
    assert_eq!(r.code, EXIT_PASS, "{}", r.stderr);
    let out = r.out();
    for s in Scenario::all() {
        let line = out
            .lines()
            .find(|l| l.split_whitespace().next() == Some(s.name()))
            .unwrap_or_else(|| panic!("lab --list lacks {s}:\n{out}"));
        let expected = s.expected_check().unwrap_or("(passes)");
        assert!(line.contains(expected), "{s}: {line}");
    }
    let listed = out
        .lines()
        .filter(|l| l.starts_with("  ") && !l.trim().is_empty())
        .count();
    assert_eq!(listed, Scenario::all().len(), "{out}");
}

#[test]
fn demo_json_passes_and_exits() {
    let r = run(&["demo", "--json"]);
    let rep = report_of(r);
    assert_eq!(rep.code, EXIT_PASS, "{}", rep.describe());
    assert_eq!(rep.verdict(), "pass");
    assert_eq!(rep.endpoints().len(), 2, "{}", rep.describe());
    assert!(rep.endpoints().iter().all(|e| e["address"] == "127.0.0.1"));
}

/// The demo of a faulty scenario carries that scenario's verdict.
#[test]
fn demo_of_a_faulty_scenario() {
    let rep = report_of(run(&["demo", "--scenario", "no-stls", "--json"]));
    assert_eq!(rep.code, EXIT_WARN, "{}", rep.describe());
    assert!(
        rep.all("tls.stls").iter().any(|c| c["status"] == "warn"),
        "{}",
        rep.describe()
    );
}

#[test]
fn demo_text_introduces_itself() {
    let r = run(&["demo", "--color", "never"]);
    assert_eq!(r.code, EXIT_PASS, "{}", r.stderr);
    assert!(r.out().starts_with("popscope demo:"), "{}", r.out());
    assert!(r.out().contains("healthy"));
}

/// A reader that goes away (`popscope demo | head -0`) is not an error: the
/// exit code is still the verdict's.
#[test]
fn closed_stdout_is_not_an_error() {
    let mut cmd = popscope_std();
    cmd.args(["demo", "--color", "never"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = cmd.spawn().expect("spawn popscope");
    drop(child.stdout.take()); // close the read end before popscope writes
    let out = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(EXIT_PASS), "stderr: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}
