//! The tmux driver: the real `popscope` binary in a real terminal, on a
//! private tmux socket (no user session is touched), driven with
//! `send-keys` and read with `capture-pane`.
//!
//! A terminal is drawn in pieces, so a capture can catch a frame half
//! written: [`Tmux::wait_for`] only accepts a screen that satisfies the
//! condition and is unchanged in an immediate second capture.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::cmd::{bin, clean_env};
use super::wait::{DEADLINE, poll, until};

/// The session name (each driver has its own tmux server and socket).
const SESSION: &str = "popscope-test";

/// Whether tmux is installed. Otherwise prints why `test` is skipped, or
/// panics when `POPSCOPE_REQUIRE_INTEROP` says skipping is not allowed.
pub fn available_or_skip(test: &str) -> bool {
    let ok = Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    ok || super::skip(test, "tmux is not installed")
}

fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// A detached tmux session running `popscope` once. The tmux server is
/// killed on drop.
pub struct Tmux {
    socket: PathBuf,
    exit_file: PathBuf,
    after_file: PathBuf,
    _dir: tempfile::TempDir,
}

impl Tmux {
    /// Starts `popscope ARGS` in a `width` x `height` terminal, in `cwd`,
    /// with the clean environment of [`super::cmd`] plus `env`. When it
    /// exits, its exit code and `stty -a` (to check that raw mode was left)
    /// are written to files, `AFTER-EXIT` is printed and the pane stays open
    /// until the driver is dropped.
    pub fn popscope(
        args: &[String],
        env: &[(&str, &str)],
        cwd: &Path,
        width: u16,
        height: u16,
    ) -> Tmux {
        let dir = tempfile::tempdir().expect("tempdir");
        let socket = dir.path().join("tmux.sock");
        let exit_file = dir.path().join("exit");
        let after_file = dir.path().join("stty");
        let mut cmd = sh_quote(&bin().display().to_string());
        for a in args {
            cmd.push(' ');
            cmd.push_str(&sh_quote(a));
        }
        // `sleep 600` only keeps the pane (and what it shows) open; the
        // session is killed on drop.
        let script = format!(
            "cd {cwd}; {cmd}; echo $? > {exit}; stty -a > {after}; echo AFTER-EXIT; sleep 600",
            cwd = sh_quote(&cwd.display().to_string()),
            exit = sh_quote(&exit_file.display().to_string()),
            after = sh_quote(&after_file.display().to_string()),
        );
        let mut c = Command::new("tmux");
        // -u: UTF-8, although the clean environment has no locale.
        c.arg("-u")
            .arg("-S")
            .arg(&socket)
            .args(["-f", "/dev/null", "new-session", "-d", "-s", SESSION])
            .args(["-x", &width.to_string(), "-y", &height.to_string()])
            .args(["sh", "-c", &script]);
        // The new tmux server (and so the pane) inherits this environment.
        clean_env(&mut c)
            .env("TERM", "xterm-256color")
            .env_remove("TMUX");
        for (k, v) in env {
            c.env(k, v);
        }
        let status = c.status().expect("run tmux");
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
        c.arg("-u").arg("-S").arg(&self.socket);
        c
    }

    /// Sends tmux key names (`q`, `Tab`, `BTab`, `Enter`, `Escape`, `C-c`,
    /// `PageDown`, ...).
    pub fn keys(&self, keys: &[&str]) {
        let st = self
            .tmux()
            .args(["send-keys", "-t", SESSION])
            .args(keys)
            .status()
            .expect("send-keys");
        assert!(st.success());
    }

    /// Types text literally.
    pub fn type_text(&self, text: &str) {
        let st = self
            .tmux()
            .args(["send-keys", "-t", SESSION, "-l", text])
            .status()
            .expect("send-keys");
        assert!(st.success());
    }

    /// The visible screen as text (`escapes`: with colour escape codes).
    pub fn capture(&self, escapes: bool) -> String {
        let mut c = self.tmux();
        c.args(["capture-pane", "-p", "-t", SESSION]);
        if escapes {
            c.arg("-e");
        }
        let out = c.output().expect("capture-pane");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// The visible screen as text.
    pub fn screen(&self) -> String {
        self.capture(false)
    }

    /// Waits until the screen satisfies `pred` and has settled (a second
    /// capture right after shows the same); returns that screen. Panics
    /// with the last screen when [`DEADLINE`] passes first.
    pub fn wait_for(&self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let mut last = String::new();
        let found = poll(DEADLINE, || {
            let s = self.screen();
            let settled = pred(&s) && self.screen() == s;
            last = s;
            settled.then(|| last.clone())
        });
        found.unwrap_or_else(|| {
            panic!("timed out after {DEADLINE:?} waiting for {what}; screen:\n{last}")
        })
    }

    /// Waits for popscope to exit; returns its exit code.
    pub fn wait_exit(&self) -> i32 {
        poll(DEADLINE, || {
            std::fs::read_to_string(&self.exit_file)
                .ok()
                .and_then(|s| s.trim().parse().ok())
        })
        .unwrap_or_else(|| panic!("popscope did not exit; screen:\n{}", self.screen()))
    }

    /// `stty -a` after popscope exited.
    pub fn stty_after(&self) -> String {
        until("the stty output after exit", || {
            std::fs::read_to_string(&self.after_file)
                .ok()
                .filter(|s| !s.is_empty())
        })
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.tmux().arg("kill-server").status();
    }
}
