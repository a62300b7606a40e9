//! End to end: the real `popscope tui` binary in a real terminal (tmux, which
//! `.ci/run` installs) against the built-in lab server started by the test on
//! 127.0.0.1.
//!
//! The terminal is driven with `tmux send-keys` and read with `tmux
//! capture-pane`, on a private tmux socket so no user session is touched.
//! Without tmux the tests skip (unless `POPSCOPE_REQUIRE_INTEROP` is set).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use popscope::lab::{Lab, LabConfig, Scenario};

/// A detached tmux session running one command, on a private socket.
struct Tmux {
    socket: PathBuf,
    exit_file: PathBuf,
    after_file: PathBuf,
    _dir: tempfile::TempDir,
}

const SESSION: &str = "popscope-e2e";

fn tmux_available() -> bool {
    let ok = Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok && std::env::var_os("POPSCOPE_REQUIRE_INTEROP").is_some() {
        panic!("tmux is required for the TUI end-to-end tests (POPSCOPE_REQUIRE_INTEROP is set)");
    }
    ok
}

fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

impl Tmux {
    /// Starts `program args...` in a `width` x `height` terminal, in `cwd`.
    /// When it exits, its exit code and `stty -a` (to check that raw mode
    /// was left) are written to files, and the pane stays open.
    fn start(program: &Path, args: &[String], cwd: &Path, width: u16, height: u16) -> Tmux {
        let dir = tempfile::tempdir().expect("tempdir");
        let socket = dir.path().join("tmux.sock");
        let exit_file = dir.path().join("exit");
        let after_file = dir.path().join("stty");
        let mut cmd = sh_quote(&program.display().to_string());
        for a in args {
            cmd.push(' ');
            cmd.push_str(&sh_quote(a));
        }
        let script = format!(
            "cd {cwd}; {cmd}; echo $? > {exit}; stty -a > {after}; echo AFTER-EXIT; sleep 600",
            cwd = sh_quote(&cwd.display().to_string()),
            exit = sh_quote(&exit_file.display().to_string()),
            after = sh_quote(&after_file.display().to_string()),
        );
        let status = Command::new("tmux")
            .arg("-S")
            .arg(&socket)
            .args(["-f", "/dev/null", "new-session", "-d", "-s", SESSION])
            .args(["-x", &width.to_string(), "-y", &height.to_string()])
            .args(["sh", "-c", &script])
            .env("TERM", "xterm-256color")
            .env_remove("TMUX")
            .status()
            .expect("run tmux");
        assert!(status.success(), "tmux new-session failed");
        Tmux {
            socket,
            exit_file,
            after_file,
            _dir: dir,
        }
    }

    fn tmux(&self) -> Command {
        let mut c = Command::new("tmux");
        c.arg("-S").arg(&self.socket);
        c
    }

    /// Sends tmux key names (`q`, `Tab`, `BTab`, `Enter`, `Escape`, `C-c`,
    /// `PageDown`, ...).
    fn keys(&self, keys: &[&str]) {
        let st = self
            .tmux()
            .args(["send-keys", "-t", SESSION])
            .args(keys)
            .status()
            .expect("send-keys");
        assert!(st.success());
    }

    /// Types text literally.
    fn type_text(&self, text: &str) {
        let st = self
            .tmux()
            .args(["send-keys", "-t", SESSION, "-l", text])
            .status()
            .expect("send-keys");
        assert!(st.success());
    }

    /// The visible screen as text.
    fn screen(&self) -> String {
        let out = self
            .tmux()
            .args(["capture-pane", "-p", "-t", SESSION])
            .output()
            .expect("capture-pane");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Waits until the screen satisfies `pred`; panics with the screen after
    /// `timeout`.
    fn wait_for(&self, what: &str, timeout: Duration, pred: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if pred(&s) {
                return s;
            }
            if start.elapsed() > timeout {
                panic!("timed out waiting for {what}; screen:\n{s}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Waits for the program to exit; returns its exit code.
    fn wait_exit(&self, timeout: Duration) -> i32 {
        let start = Instant::now();
        loop {
            if let Ok(s) = std::fs::read_to_string(&self.exit_file)
                && let Ok(code) = s.trim().parse()
            {
                return code;
            }
            if start.elapsed() > timeout {
                panic!("the program did not exit; screen:\n{}", self.screen());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// `stty -a` after the program exited.
    fn stty_after(&self) -> String {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(5) {
            if let Ok(s) = std::fs::read_to_string(&self.after_file)
                && !s.is_empty()
            {
                return s;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("no stty output")
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.tmux().arg("kill-server").status();
    }
}

fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_popscope"))
}

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
    let s = t.wait_for("the shell after exit", Duration::from_secs(5), |s| {
        s.contains("AFTER-EXIT")
    });
    assert!(!s.contains("Checks"), "alternate screen not left:\n{s}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tui_diagnoses_the_lab_saves_and_quits() {
    if !tmux_available() {
        eprintln!("skipped: tmux not installed");
        return;
    }
    let lab = Lab::start(LabConfig::new(vec![Scenario::Healthy]))
        .await
        .expect("lab");
    let cwd = tempfile::tempdir().expect("cwd");
    let t = Tmux::start(
        &binary(),
        &tui_args(&lab, Scenario::Healthy),
        cwd.path(),
        100,
        30,
    );
    let done = tokio::task::block_in_place(|| {
        t.wait_for("a verdict", Duration::from_secs(30), |s| {
            let h = s.lines().next().unwrap_or_default();
            h.contains("PASS") || h.contains("WARN") || h.contains("FAIL")
        })
    });
    assert!(done.contains("Checks"), "{done}");
    assert!(done.contains("tcp.connect"), "{done}");
    assert!(
        done.contains(&lab.endpoint(Scenario::Healthy).unwrap().tls.to_string()),
        "{done}"
    );
    let expected = verdict_code(&done);
    tokio::task::block_in_place(|| {
        t.keys(&["?"]);
        t.wait_for("help", Duration::from_secs(5), |s| {
            s.contains("popscope help")
        });
        t.keys(&["x"]);
        t.wait_for("help closed", Duration::from_secs(5), |s| {
            !s.contains("popscope help")
        });
        t.keys(&["j"]);
        t.wait_for("save notice", Duration::from_secs(5), |s| {
            s.contains("saved the JSON report to")
        });
        t.keys(&["Tab", "Home", "Down"]);
        t.wait_for("a transcript line explained", Duration::from_secs(5), |s| {
            s.contains("What it means")
        });
        t.keys(&["q"]);
        assert_eq!(
            t.wait_exit(Duration::from_secs(10)),
            expected,
            "exit code = verdict"
        );
        assert_restored(&t);
    });
    let saved: Vec<_> = std::fs::read_dir(cwd.path())
        .expect("cwd")
        .map(|e| e.expect("entry").path())
        .collect();
    assert_eq!(saved.len(), 1, "{saved:?}");
    let json = std::fs::read_to_string(&saved[0]).expect("json");
    assert!(json.contains("popscope.report/v1"));
    lab.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tui_form_then_ctrl_c_restores_the_terminal() {
    if !tmux_available() {
        eprintln!("skipped: tmux not installed");
        return;
    }
    // a server that never greets: the diagnosis is still running at Ctrl-C
    let lab = Lab::start(LabConfig::new(vec![Scenario::Silent]))
        .await
        .expect("lab");
    let ep = *lab.endpoint(Scenario::Silent).expect("scenario");
    let cwd = tempfile::tempdir().expect("cwd");
    let t = Tmux::start(&binary(), &["tui".to_string()], cwd.path(), 80, 24);
    tokio::task::block_in_place(|| {
        t.wait_for("the form", Duration::from_secs(10), |s| {
            s.contains("New diagnosis")
        });
        t.type_text(&ep.plain.ip().to_string());
        t.keys(&["Tab"]);
        t.type_text(&ep.plain.port().to_string());
        t.keys(&["Tab"]);
        t.type_text(&ep.tls.port().to_string());
        t.keys(&["Tab"]);
        t.type_text("alice");
        t.keys(&["Tab"]);
        t.type_text("not-shown-secret");
        let s = t.screen();
        assert!(!s.contains("not-shown-secret"), "password visible:\n{s}");
        // the engine may not take a user/password yet: clear them again
        t.keys(&["C-u", "BTab", "C-u"]);
        t.keys(&["Enter"]);
        t.wait_for("a running diagnosis", Duration::from_secs(10), |s| {
            s.contains("RUNNING")
        });
        t.keys(&["C-c"]);
        assert_eq!(t.wait_exit(Duration::from_secs(10)), 0, "no run completed");
        assert_restored(&t);
    });
    lab.shutdown().await;
}
