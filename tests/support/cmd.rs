//! The one way to build the `popscope` command: the binary Cargo built for
//! this test run, in an environment that cannot change its behaviour.
//!
//! [`clean_env`] removes every `POPSCOPE_*` variable (clap reads several as
//! defaults: user, password, CA file, timeout, DNS server, colour), the
//! colour switches (`NO_COLOR`, `CLICOLOR*`, `FORCE_COLOR`, `COLORTERM`),
//! the locale (`LANG`, `LANGUAGE`, `LC_*`) and `XDG_CONFIG_HOME`. popscope
//! reads no configuration file from `$HOME`, so `HOME` stays. Tests that
//! need a variable set it again on the returned command.

use std::ffi::OsStr;
use std::path::Path;
use std::process::Command as StdCommand;
use std::time::Duration;

use assert_cmd::Command;

/// The `popscope` binary under test.
pub fn bin() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_popscope"))
}

/// Whether the variable `key` could change what popscope (or a terminal
/// running it) does.
fn is_influential(key: &OsStr) -> bool {
    let k = key.to_string_lossy();
    k.starts_with("POPSCOPE_")
        || k.starts_with("CLICOLOR")
        || k.starts_with("LC_")
        || matches!(
            &*k,
            "NO_COLOR" | "FORCE_COLOR" | "COLORTERM" | "LANG" | "LANGUAGE" | "XDG_CONFIG_HOME"
        )
}

/// Removes every variable that could change popscope's behaviour from
/// `cmd`'s environment (see the module docs).
pub fn clean_env(cmd: &mut StdCommand) -> &mut StdCommand {
    for (key, _) in std::env::vars_os() {
        if is_influential(&key) {
            cmd.env_remove(&key);
        }
    }
    for key in [
        "NO_COLOR",
        "CLICOLOR",
        "CLICOLOR_FORCE",
        "FORCE_COLOR",
        "COLORTERM",
    ] {
        cmd.env_remove(key);
    }
    cmd
}

/// `popscope` as a std command: clean environment, `TERM=dumb`, help
/// wrapped at 100 columns.
pub fn popscope_std() -> StdCommand {
    let mut cmd = StdCommand::new(bin());
    clean_env(&mut cmd)
        .env("COLUMNS", "100")
        .env("TERM", "dumb");
    cmd
}

/// `popscope` as an `assert_cmd` command ([`popscope_std`]), killed after
/// two minutes (a safety net against a hang, not a speed assertion).
pub fn popscope() -> Command {
    let mut cmd = Command::from_std(popscope_std());
    cmd.timeout(Duration::from_secs(120));
    cmd
}

/// What one run of the binary left behind.
#[derive(Debug)]
pub struct Run {
    /// Exit code (`-1` when killed by a signal).
    pub code: i32,
    /// Raw standard output.
    pub stdout: Vec<u8>,
    /// Standard error, lossily decoded.
    pub stderr: String,
}

impl Run {
    /// Standard output, lossily decoded.
    pub fn out(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }
}

/// Runs `popscope ARGS` to completion.
pub fn run<S: AsRef<OsStr>>(args: &[S]) -> Run {
    run_cmd(popscope().args(args))
}

/// Runs a prepared command to completion; fails the test when popscope
/// panicked.
pub fn run_cmd(cmd: &mut Command) -> Run {
    let out = cmd.output().expect("popscope runs");
    let run = Run {
        code: out.status.code().unwrap_or(-1),
        stdout: out.stdout,
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(
        !run.stderr.contains("panicked"),
        "popscope panicked: {}",
        run.stderr
    );
    assert_ne!(run.code, 101, "popscope panicked: {}", run.stderr);
    run
}
