//! `popscope lab --list` and `popscope demo`.

use popscope::lab::Scenario;

use super::util::{EXIT_PASS, EXIT_WARN, report_of, run};
use crate::support::cmd::popscope_std;
use crate::support::wait::{self, DEADLINE};

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
        let expected = s
            .expected_check()
            .map_or_else(|| "(passes)".to_string(), |id| id.to_string());
        assert!(line.contains(&expected), "{s}: {line}");
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

/// A `popscope lab` child whose output is read by threads, so that the test
/// can wait for a line with a deadline.
struct LabChild {
    child: std::process::Child,
    stdout: std::sync::mpsc::Receiver<String>,
    stderr: std::sync::mpsc::Receiver<String>,
    seen: String,
}

fn lines_of(r: impl std::io::Read + Send + 'static) -> std::sync::mpsc::Receiver<String> {
    use std::io::BufRead;
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(r).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

impl LabChild {
    /// Starts `popscope lab ARGS` with its temporary files under `tmp`.
    fn spawn(args: &[&str], tmp: &std::path::Path) -> LabChild {
        let mut cmd = popscope_std();
        cmd.arg("lab")
            .args(args)
            .env("TMPDIR", tmp)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        let mut child = cmd.spawn().expect("spawn popscope lab");
        let stdout = lines_of(child.stdout.take().expect("stdout"));
        let stderr = lines_of(child.stderr.take().expect("stderr"));
        LabChild {
            child,
            stdout,
            stderr,
            seen: String::new(),
        }
    }

    /// Reads stdout until a line containing `what` (deadline: `wait::DEADLINE`).
    fn wait_for(&mut self, what: &str) {
        let end = std::time::Instant::now() + DEADLINE;
        loop {
            let left = end.saturating_duration_since(std::time::Instant::now());
            match self.stdout.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push_str(&line);
                    self.seen.push('\n');
                    if line.contains(what) {
                        return;
                    }
                }
                Err(_) => {
                    let _ = self.child.kill();
                    let err: Vec<String> = self.stderr.try_iter().collect();
                    panic!(
                        "popscope lab never printed {what:?}; stdout:\n{}\nstderr:\n{}",
                        self.seen,
                        err.join("\n")
                    );
                }
            }
        }
    }

    /// Sends `signal` (`TERM`, `HUP`, `INT`) and waits for the exit code.
    fn signal_and_wait(&mut self, signal: &str) -> Option<i32> {
        let status = std::process::Command::new("kill")
            .arg(format!("-{signal}"))
            .arg(self.child.id().to_string())
            .status()
            .expect("run kill");
        assert!(status.success(), "kill -{signal} failed");
        let child = &mut self.child;
        let exit = wait::poll(DEADLINE, || child.try_wait().ok().flatten());
        let Some(exit) = exit else {
            let _ = self.child.kill();
            panic!("popscope lab did not stop after SIG{signal}");
        };
        exit.code()
    }

    /// Everything printed on stderr so far (the stream is closed at exit).
    fn stderr_text(&self) -> String {
        let mut out = Vec::new();
        while let Ok(l) = self.stderr.recv_timeout(DEADLINE) {
            out.push(l);
        }
        out.join("\n")
    }
}

impl Drop for LabChild {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn lab_dirs(tmp: &std::path::Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(tmp)
        .expect("read the temp dir")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with("popscope-lab-"))
        .map(|e| e.path())
        .collect()
}

/// SIGTERM, SIGHUP and SIGINT (Ctrl-C) all stop the lab cleanly: it says
/// so, exits 0 and removes its temporary CA directory.
#[test]
fn lab_cleans_up_on_term_hup_and_int() {
    for signal in ["TERM", "HUP", "INT"] {
        let tmp = tempfile::tempdir().expect("temp dir");
        let mut lab = LabChild::spawn(&["--scenario", "healthy"], tmp.path());
        lab.wait_for("Serving");
        let dirs = lab_dirs(tmp.path());
        assert_eq!(dirs.len(), 1, "SIG{signal}: {dirs:?}\n{}", lab.seen);
        assert!(dirs[0].join("popscope-lab-ca.pem").exists());
        let code = lab.signal_and_wait(signal);
        let rest: Vec<String> = lab.stdout.try_iter().collect();
        assert_eq!(code, Some(EXIT_PASS), "SIG{signal}: {}", lab.stderr_text());
        assert!(
            rest.iter().any(|l| l.contains("lab stopped")),
            "SIG{signal}: {rest:?}"
        );
        assert!(lab_dirs(tmp.path()).is_empty(), "SIG{signal}: left behind");
    }
}

/// Listening beyond loopback with public passwords earns a warning; on
/// loopback there is none. (The test binds 0.0.0.0 on free ports and never
/// connects anywhere.)
#[test]
fn non_loopback_listen_warns_that_the_passwords_are_public() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let args = [
        "--scenario",
        "healthy",
        "--listen",
        "0.0.0.0",
        "--plain-port",
        "0",
        "--tls-port",
        "0",
    ];
    let mut lab = LabChild::spawn(&args, tmp.path());
    lab.wait_for("Serving");
    assert_eq!(lab.signal_and_wait("TERM"), Some(EXIT_PASS));
    let err = lab.stderr_text();
    assert!(err.contains("warning:"), "{err}");
    assert!(err.contains("0.0.0.0"), "{err}");
    assert!(err.contains("passwords"), "{err}");
    assert!(err.contains("anyone on the network can log in"), "{err}");
    assert!(err.contains("--listen 127.0.0.1"), "{err}");

    let mut lab = LabChild::spawn(&["--scenario", "healthy"], tmp.path());
    lab.wait_for("Serving");
    assert_eq!(lab.signal_and_wait("TERM"), Some(EXIT_PASS));
    let err = lab.stderr_text();
    assert!(!err.contains("warning"), "{err}");
}
