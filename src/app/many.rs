//! `popscope check` with many targets in one run: the targets given as
//! arguments, then the lines of `--targets FILE` (`-` for standard input),
//! diagnosed at most `--concurrency` at a time by one shared [`Engine`].
//!
//! Results are streamed: each target is printed as it finishes (a summary
//! line in text, a compact report in `--format jsonl`) and only counted
//! afterwards, so memory does not grow with the list. `--deadline` and
//! Ctrl-C end the whole run: targets in flight end with their partial
//! results and are printed; targets not started are counted as "not
//! checked". docs/monitoring.md documents the behaviour.

use std::io::BufRead;
use std::path::Path;
use std::process::ExitCode;

use futures::FutureExt;
use tokio::sync::mpsc;
use tokio::task::JoinSet;

use crate::cli::CheckArgs;
use crate::config::ConfigError;
use crate::report::Exporter;
use crate::report::many::{JsonLine, Tally, TargetError, error_line, summary_line};
use crate::run::Engine;

/// The sentences of this module, in one place (the messages `cli-many-*`).
pub(super) mod words {
    use std::path::Path;

    use crate::i18n::t;

    /// `--format json` with several targets.
    pub fn json_needs_one() -> String {
        t!("cli-many-json-needs-one")
    }
    /// The targets file cannot be opened.
    pub fn cannot_open(path: &Path, e: &std::io::Error) -> String {
        t!(
            "cli-many-cannot-open",
            path = path.display().to_string(),
            error = e.to_string()
        )
    }
    /// A line of the targets file cannot be read.
    pub fn cannot_read(e: &std::io::Error) -> String {
        t!("cli-many-cannot-read", error = e.to_string())
    }
    /// The open-file limit is too low for the concurrency.
    pub fn too_few_files(concurrency: u32, needed: u64, limit: u64) -> String {
        t!(
            "cli-many-too-few-files",
            concurrency = concurrency.to_string(),
            needed = needed.to_string(),
            limit = limit.to_string()
        )
    }
    /// A target's task ended abnormally.
    pub fn internal_error(e: &str) -> String {
        t!("cli-app-internal-error", error = e)
    }
}

/// Open files one target may hold at once: a host with an IPv4 and an IPv6
/// address has four legs, each plain leg one more connection for the
/// STARTTLS-injection probe, plus the login session and a DNS socket.
const FILES_PER_TARGET: u64 = 8;

/// Open files kept for everything else (standard streams, the runtime, the
/// targets file).
const FILES_SPARE: u64 = 64;

/// One entry of the list: its line number in the file (`None` for an
/// argument) and its text, or an error reading the file.
struct Entry {
    line: Option<u64>,
    text: Result<String, String>,
}

/// A finished target.
enum Done {
    Report(Box<crate::report::Report>),
    Error(TargetError),
}

/// `popscope check T1 T2 ...`, `--targets FILE`, `--format jsonl`.
pub(super) async fn check_many(args: CheckArgs) -> anyhow::Result<ExitCode> {
    if args.output.json_object() {
        return Err(ConfigError(words::json_needs_one()).into());
    }
    let builder = args.probe.to_builder()?;
    // Login flags that cannot work for any target (--user with no password:
    // no prompt with many targets) are a usage error before the run.
    if args.login.user.is_some() {
        args.login.to_login(None, false)?;
    }
    // The engine needs only the resolver and trust settings, the same for
    // every target: any valid target builds its config.
    let base = builder.clone().build("localhost")?;
    let engine = Engine::new(&base)?;
    raise_open_file_limit(args.concurrency)?;
    let jsonl = args.output.jsonl();

    let (rx, counts_rest) = read_targets(&args.target, args.targets.as_deref())?;
    let mut rx = rx;
    // The deadline bounds the whole run: each target's own deadline is what
    // is left of it, so a target in flight ends with "deadline reached".
    let deadline = tokio::time::Instant::now() + base.deadline;
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    }
    .boxed()
    .shared();

    let mut tally = Tally::default();
    let mut running: JoinSet<Done> = JoinSet::new();
    let mut stopped = false;
    let mut listed_all = false;
    let limit = args.concurrency as usize;
    let mut stop_main = std::pin::pin!(futures::future::select(
        Box::pin(tokio::time::sleep_until(deadline)),
        interrupt.clone(),
    ));
    loop {
        if (stopped || listed_all) && running.is_empty() {
            break;
        }
        tokio::select! {
            biased;
            _ = &mut stop_main, if !stopped => stopped = true,
            Some(done) = running.join_next(), if !running.is_empty() => {
                let done = done.unwrap_or_else(|e| {
                    Done::Error(TargetError::new(None, "?", &words::internal_error(&e.to_string())))
                });
                print(&done, jsonl, &mut tally)?;
            }
            entry = rx.recv(), if !stopped && !listed_all && running.len() < limit => {
                let Some(entry) = entry else {
                    listed_all = true;
                    continue;
                };
                let text = match entry.text {
                    Ok(text) => text,
                    Err(e) => {
                        print(&Done::Error(TargetError::new(entry.line, "", &e)), jsonl, &mut tally)?;
                        continue;
                    }
                };
                let cfg = super::check::build_config_with(
                    builder.clone(), &text, &args.login, None, false,
                );
                match cfg {
                    Err(e) => {
                        let e = TargetError::new(entry.line, &text, &e.to_string());
                        print(&Done::Error(e), jsonl, &mut tally)?;
                    }
                    Ok(mut cfg) => {
                        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
                        cfg.deadline = cfg.deadline.min(left);
                        let engine = engine.clone();
                        let stop = interrupt.clone();
                        running.spawn(async move {
                            Done::Report(Box::new(engine.diagnose(&cfg, None, stop).await))
                        });
                    }
                }
            }
        }
    }
    // Targets never started: those already read, and for a file the rest of
    // it (standard input may never end, so only what was already read).
    if !listed_all {
        rx.close();
        loop {
            let next = if counts_rest {
                rx.recv().await
            } else {
                rx.try_recv().ok()
            };
            match next {
                Some(_) => tally.not_checked += 1,
                None => break,
            }
        }
    }
    if !jsonl {
        super::emit(&tally.render_end())?;
    }
    Ok(ExitCode::from(tally.exit_code()))
}

/// Prints a finished target (one write) and counts it.
fn print(done: &Done, jsonl: bool, tally: &mut Tally) -> anyhow::Result<()> {
    let bytes = match (done, jsonl) {
        (Done::Report(r), true) => JsonLine.render(r),
        (Done::Report(r), false) => summary_line(r),
        (Done::Error(e), true) => e.json_line(),
        (Done::Error(e), false) => error_line(e),
    };
    match done {
        Done::Report(r) => tally.add_report(r),
        Done::Error(e) => tally.add_error(e),
    }
    super::emit(&bytes)
}

/// The list of targets as a channel fed by a reader thread: the arguments,
/// then the file's lines (blank lines and `#` comments skipped). The
/// channel holds a few entries only, so a long file is read as the run
/// goes. Also says whether the rest of the list can be counted after a stop
/// (not for standard input, which may never end).
fn read_targets(
    args: &[String],
    file: Option<&Path>,
) -> Result<(mpsc::Receiver<Entry>, bool), ConfigError> {
    let reader: Option<Box<dyn BufRead + Send>> = match file {
        None => None,
        Some(p) if p.as_os_str() == "-" => {
            Some(Box::new(std::io::BufReader::new(std::io::stdin())))
        }
        Some(p) => {
            let f = std::fs::File::open(p).map_err(|e| ConfigError(words::cannot_open(p, &e)))?;
            Some(Box::new(std::io::BufReader::new(f)))
        }
    };
    let counts_rest = file.is_none_or(|p| p.as_os_str() != "-");
    let (tx, rx) = mpsc::channel(64);
    let args = args.to_vec();
    std::thread::spawn(move || {
        for a in args {
            let e = Entry {
                line: None,
                text: Ok(a),
            };
            if tx.blocking_send(e).is_err() {
                return;
            }
        }
        let Some(mut reader) = reader else { return };
        let mut buf = Vec::new();
        let mut n = 0u64;
        loop {
            buf.clear();
            n += 1;
            let text = match reader.read_until(b'\n', &mut buf) {
                Ok(0) => return,
                Ok(_) => {
                    let line = String::from_utf8_lossy(&buf);
                    let t = line.trim();
                    if t.is_empty() || t.starts_with('#') {
                        continue;
                    }
                    Ok(t.to_string())
                }
                Err(e) => Err(words::cannot_read(&e)),
            };
            let failed = text.is_err();
            let e = Entry {
                line: Some(n),
                text,
            };
            if tx.blocking_send(e).is_err() || failed {
                return;
            }
        }
    });
    Ok((rx, counts_rest))
}

/// Makes sure `concurrency` targets can hold their connections: raises the
/// soft open-file limit (up to the hard limit) when it is too low, and
/// refuses a concurrency the hard limit cannot carry.
fn raise_open_file_limit(concurrency: u32) -> Result<(), ConfigError> {
    let needed = u64::from(concurrency) * FILES_PER_TARGET + FILES_SPARE;
    match nofile::raise_to(needed) {
        Ok(()) => Ok(()),
        Err(limit) => Err(ConfigError(words::too_few_files(
            concurrency,
            needed,
            limit,
        ))),
    }
}

#[cfg(target_os = "linux")]
mod nofile {
    //! `getrlimit`/`setrlimit(RLIMIT_NOFILE)` (Linux).

    use std::ffi::{c_int, c_ulong};

    /// `struct rlimit` (`rlim_t` is an unsigned long on Linux).
    #[repr(C)]
    struct RLimit {
        cur: c_ulong,
        max: c_ulong,
    }

    /// `RLIMIT_NOFILE` on Linux (every architecture but MIPS and SPARC).
    #[cfg(not(any(target_arch = "mips", target_arch = "mips64", target_arch = "sparc64")))]
    const RLIMIT_NOFILE: c_int = 7;
    #[cfg(any(target_arch = "mips", target_arch = "mips64"))]
    const RLIMIT_NOFILE: c_int = 5;
    #[cfg(target_arch = "sparc64")]
    const RLIMIT_NOFILE: c_int = 6;

    unsafe extern "C" {
        fn getrlimit(resource: c_int, rlim: *mut RLimit) -> c_int;
        fn setrlimit(resource: c_int, rlim: *const RLimit) -> c_int;
    }

    /// Raises the soft limit to at least `needed` (to the hard limit);
    /// `Err(limit)` with the highest limit reachable when it is lower.
    pub fn raise_to(needed: u64) -> Result<(), u64> {
        let mut l = RLimit { cur: 0, max: 0 };
        // SAFETY: plain FFI call with a valid pointer to an owned, correctly
        // laid out value.
        if unsafe { getrlimit(RLIMIT_NOFILE, &mut l) } != 0 {
            return Ok(()); // unknown: let the run try
        }
        // c_ulong is 32 bits on 32-bit targets.
        #[allow(clippy::useless_conversion)]
        let (cur, max) = (u64::from(l.cur), u64::from(l.max));
        if cur >= needed {
            return Ok(());
        }
        if max < needed {
            return Err(max);
        }
        let raised = RLimit {
            cur: l.max,
            max: l.max,
        };
        // SAFETY: as above; raising the soft limit up to the hard one is
        // always allowed.
        if unsafe { setrlimit(RLIMIT_NOFILE, &raised) } != 0 {
            return Err(cur);
        }
        Ok(())
    }
}

#[cfg(not(target_os = "linux"))]
mod nofile {
    //! Other systems: the limit is left as it is.

    /// Does nothing.
    pub fn raise_to(_needed: u64) -> Result<(), u64> {
        Ok(())
    }
}
