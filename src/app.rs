//! The edge: runs a command, prints its output, maps the verdict to an exit
//! code. The only place (with `main.rs`) that writes to the terminal.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;

use crate::checks::{self, Rules};
use crate::cli::{CheckArgs, Cli, Command, LoginArgs, ProbeArgs, ReplayArgs, TuiArgs};
use crate::config::{ConfigError, LoginConfig};
use crate::config::{OutputConfig, RunConfig};
use crate::probe::Prober;
use crate::report::{self, Exporter};

/// Exit code for usage and internal errors.
pub const EXIT_USAGE: u8 = 3;

/// Runs the parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    match cli.command {
        Some(Command::Check(args)) => rt.block_on(check(args)),
        Some(Command::Lab(args)) => rt.block_on(crate::lab::cli::lab_command(args)),
        Some(Command::Demo(args)) => rt.block_on(crate::lab::cli::demo_command(args)),
        Some(Command::Replay(args)) => rt.block_on(replay_command(args)),
        Some(Command::Tui(args)) => rt.block_on(tui_command(args)),
        None if std::io::stdout().is_terminal() && std::io::stdin().is_terminal() => {
            rt.block_on(crate::tui::run(Arc::new(EngineRunner), None))
        }
        None => {
            use clap::CommandFactory;
            let mut cmd = Cli::command();
            let _ = cmd.print_help();
            Ok(ExitCode::from(EXIT_USAGE))
        }
    }
}

/// Writes bytes to stdout; a closed pipe (`| head`) is not an error.
pub fn emit(bytes: &[u8]) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|_| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => r.context("cannot write to standard output"),
    }
}

/// Runs a full diagnosis for a validated config and returns the report
/// (Ctrl-C ends it early with partial results).
pub async fn diagnose(cfg: &RunConfig) -> anyhow::Result<report::Report> {
    let cancel = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    diagnose_with(cfg, None, cancel).await
}

/// The real engine behind the TUI.
#[derive(Debug, Clone, Copy)]
pub struct EngineRunner;

impl crate::tui::Runner for EngineRunner {
    fn start(
        &self,
        cfg: RunConfig,
        events: tokio::sync::mpsc::UnboundedSender<crate::model::Event>,
    ) -> futures::future::BoxFuture<'static, anyhow::Result<report::Report>> {
        Box::pin(async move { diagnose_with(&cfg, Some(events), std::future::pending()).await })
    }
}

/// A diagnosis streaming events, ending early when `cancel` completes.
pub async fn diagnose_with(
    cfg: &RunConfig,
    events: Option<tokio::sync::mpsc::UnboundedSender<crate::model::Event>>,
    cancel: impl std::future::Future<Output = ()>,
) -> anyhow::Result<report::Report> {
    let prober = Prober::new(cfg).map_err(|e| anyhow::anyhow!("{e}"))?;
    let outcome = prober.run(cfg, events, cancel).await;
    let rules = Rules {
        expiry_warn_days: cfg.expiry_warn_days,
        slow: cfg.slow,
        now: time::OffsetDateTime::now_utc(),
        domain_lookup: cfg.target.is_domain_lookup(),
    };
    let checks = checks::evaluate(&outcome, &rules);
    Ok(report::build(&cfg.target, &outcome, checks))
}

/// Renders a report per the output settings.
pub fn render(report: &report::Report, out: &OutputConfig) -> Vec<u8> {
    if out.json {
        report::json::Json.render(report)
    } else {
        report::text::Text {
            color: out.color,
            transcript: out.transcript,
            transcript_only: out.transcript_only,
        }
        .render(report)
    }
}

async fn check(args: CheckArgs) -> anyhow::Result<ExitCode> {
    let cfg = build_config(&args.target, &args.probe, &args.login, None);
    report_command(cfg, &args.output).await
}

/// `check` and `replay`: diagnose, print the report, exit with its verdict
/// (a configuration error is a usage error).
async fn report_command(
    cfg: Result<RunConfig, ConfigError>,
    output: &crate::cli::OutputArgs,
) -> anyhow::Result<ExitCode> {
    let cfg = match cfg {
        Ok(c) => c,
        Err(e) => {
            eprintln!("popscope: {e}");
            return Ok(ExitCode::from(EXIT_USAGE));
        }
    };
    let out = OutputConfig::from_args(output, std::io::stdout().is_terminal());
    let report = diagnose(&cfg).await?;
    emit(&render(&report, &out))?;
    Ok(ExitCode::from(report::exit_code(report.verdict)))
}

async fn tui_command(args: TuiArgs) -> anyhow::Result<ExitCode> {
    if !std::io::stdout().is_terminal() {
        eprintln!(
            "popscope: the TUI needs a terminal; use `popscope check` for text or --json output"
        );
        return Ok(ExitCode::from(EXIT_USAGE));
    }
    let start = match &args.target {
        Some(t) => match build_config(t, &args.probe, &args.login, None) {
            Ok(c) => Some(c),
            Err(e) => {
                eprintln!("popscope: {e}");
                return Ok(ExitCode::from(EXIT_USAGE));
            }
        },
        None => None,
    };
    crate::tui::run(Arc::new(EngineRunner), start).await
}

/// Flags → a validated config with login settings and the dialogue profile.
/// The password is prompted for only when both stdin and stderr are terminals.
pub fn build_config(
    target: &str,
    probe: &ProbeArgs,
    login: &LoginArgs,
    profile: Option<&str>,
) -> Result<RunConfig, ConfigError> {
    let cfg = RunConfig::from_args(target, probe)?;
    let interactive = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
    let login = LoginConfig::from_args(login, cfg.target.user.as_deref(), interactive)?;
    cfg.with_dialogue(login, profile)
}

async fn replay_command(args: ReplayArgs) -> anyhow::Result<ExitCode> {
    let cfg = build_config(
        &args.target,
        &args.probe,
        &args.login,
        Some(&args.replay_profile),
    );
    report_command(cfg, &args.output).await
}
