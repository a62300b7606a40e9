//! `popscope plugin`: a Monitoring Plugins check (docs/monitoring.md). One
//! status line on stdout, exit 0-3; every usage or internal error is
//! `POP3 UNKNOWN - ...` on stdout with exit 3; the run never outlives `-t`.

use std::process::ExitCode;
use std::time::Duration;

use crate::cli::{PluginArgs, ProbeArgs};
use crate::config::{ConfigError, RunConfig, parse_duration};
use crate::report::Exporter;
use crate::report::nagios::{self, Nagios, Range, State, Thresholds};
use crate::target::{Target, TargetKind};

/// Runs the plugin on its own runtime, which is abandoned (not waited for)
/// once the answer is printed, so nothing outlives `-t`.
pub(super) fn plugin(args: PluginArgs) -> ExitCode {
    let (cfg, nagios, limit) = match prepare(&args) {
        Ok(v) => v,
        Err(e) => return usage_error(&e.0),
    };
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => return usage_error(&words::runtime(&e.to_string())),
    };
    let result = rt.block_on(async {
        let engine = crate::run::Engine::new(&cfg)?;
        let run = engine.diagnose(&cfg, None, async {
            let _ = tokio::signal::ctrl_c().await;
        });
        Ok::<_, crate::run::RunError>(tokio::time::timeout(limit, run).await.ok())
    });
    rt.shutdown_background();
    let (bytes, code) = match result {
        Ok(Some(report)) => {
            let e = nagios.evaluate(&report);
            (nagios.render(&report), e.state.code())
        }
        Ok(None) => (
            nagios::timed_out(limit.as_secs_f64()),
            State::Critical.code(),
        ),
        Err(e) => (nagios::unknown(&e.to_string()), State::Unknown.code()),
    };
    match super::emit(&bytes) {
        Ok(()) => ExitCode::from(code),
        Err(_) => ExitCode::from(State::Unknown.code()),
    }
}

/// Prints `POP3 UNKNOWN - message` on stdout; exit 3.
pub(super) fn usage_error(message: &str) -> ExitCode {
    let _ = super::emit(&nagios::unknown(message));
    ExitCode::from(State::Unknown.code())
}

/// The usage line for an argument error clap found: its first line, and
/// where the options are listed.
pub(super) fn clap_error(e: &clap::Error) -> ExitCode {
    let rendered = e.render().to_string();
    // The message is the first paragraph (clap lists missing flags on the
    // lines after its first), before the usage and the hint.
    let message = rendered
        .trim_start()
        .lines()
        .take_while(|l| !l.trim().is_empty() && !l.starts_with("Usage:"))
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" ");
    let message = message.strip_prefix("error:").unwrap_or(&message).trim();
    usage_error(&words::clap(message))
}

/// Flags -> the run configuration, the renderer and the hard limit.
fn prepare(args: &PluginArgs) -> Result<(RunConfig, Nagios, Duration), ConfigError> {
    let limit = parse_duration(&args.timeout)
        .map_err(|_| ConfigError(words::bad_timeout(&args.timeout)))?;
    // The engine stops a little before -t, so its partial report (with the
    // cause) is printed in time; the hard cut at -t is the safety net.
    let engine_deadline = limit.saturating_sub((limit / 10).min(Duration::from_millis(500)));
    let range = |flag: &str, v: &Option<String>| {
        v.as_deref()
            .map(|s| Range::parse(flag, s))
            .transpose()
            .map_err(|e| ConfigError(e.0))
    };
    let thresholds = Thresholds {
        warning: range("-w", &args.warning)?,
        critical: range("-c", &args.critical)?,
        expiry_warn: args.expiry_warn,
        expiry_crit: args.expiry_crit,
    };
    if args.port == Some(0) || args.plain_port == 0 || args.tls_port == 0 {
        return Err(ConfigError(words::bad_port()));
    }
    let target = target(args)?;
    let millis = |d: Duration| format!("{}ms", d.as_millis().max(1));
    let probe = ProbeArgs {
        dns_servers: Vec::new(),
        ca_file: args.ca_file.clone(),
        tls_name: args.tls_name.clone(),
        timeout: millis(engine_deadline),
        deadline: millis(engine_deadline),
        ipv4: args.ipv4,
        ipv6: args.ipv6,
        expiry_warn: args.expiry_warn.max(args.expiry_crit.unwrap_or(0)),
        slow: "2s".into(),
        plain_port: args.plain_port,
        tls_port: args.tls_port,
    };
    let cfg = probe.to_builder()?.build(&target)?;
    Ok((cfg, Nagios { thresholds }, limit))
}

/// `-H`, `-p`, `-S` -> a popscope target: both ports without -p/-S,
/// `pop3s://HOST[:PORT]` with -S, `HOST:PORT` with -p alone.
fn target(args: &PluginArgs) -> Result<String, ConfigError> {
    let parsed = Target::parse(&args.hostname).map_err(|e| ConfigError(e.to_string()))?;
    if !matches!(parsed.kind, TargetKind::Host | TargetKind::Ip) {
        return Err(ConfigError(words::bad_host(&args.hostname)));
    }
    let host = parsed.host.url_form();
    Ok(match (args.port, args.ssl) {
        (Some(p), true) => format!("pop3s://{host}:{p}"),
        (None, true) => format!("pop3s://{host}:{}", args.tls_port),
        (Some(p), false) => format!("{host}:{p}"),
        (None, false) => host,
    })
}

/// Every sentence of this command, in one place (the messages
/// `monitoring-plugin-*`).
pub(super) mod words {
    use crate::i18n::t;
    use crate::transcript::sanitize_str;

    /// A port of 0.
    pub fn bad_port() -> String {
        t!("monitoring-plugin-bad-port")
    }

    /// `-H` with more than a host.
    pub fn bad_host(typed: &str) -> String {
        t!("monitoring-plugin-bad-host", typed = sanitize_str(typed))
    }

    /// A bad `-t`.
    pub fn bad_timeout(typed: &str) -> String {
        t!("monitoring-plugin-bad-timeout", typed = sanitize_str(typed))
    }

    /// An argument error found by clap (its text is clap's).
    pub fn clap(first_line: &str) -> String {
        t!("monitoring-plugin-clap", message = first_line)
    }

    /// The async runtime could not start.
    pub fn runtime(e: &str) -> String {
        t!("cli-app-runtime-error", error = e)
    }
}
