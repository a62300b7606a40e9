//! The edge: runs a command, prints its output, maps the verdict to an exit
//! code. The only place (with `main.rs`) that writes to the terminal.
//!
//! Every command builds a [`RunConfig`] and calls the one library entry point
//! ([`crate::run`]); errors become plain words here ([`report_error`]).

mod check;
mod lab;
mod many;
mod plugin;
mod serve;

use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;

use crate::cli::{Cli, Command, TuiArgs};
use crate::config::{ConfigError, OutputConfig, RunConfig};
use crate::report::{self, Exporter};
use crate::run::Engine;

/// Exit code for usage and internal errors.
pub const EXIT_USAGE: u8 = 3;

/// The `popscope` program: parses the command line, runs the command and
/// returns the exit code (0 pass, 1 warning, 2 failure, 3 usage or internal
/// error).
pub fn main() -> ExitCode {
    use clap::{CommandFactory, FromArgMatches};
    // The language first: it also translates --help and argument errors.
    match crate::i18n::detect(lang_arg(std::env::args_os()).as_deref()) {
        Ok(lang) => crate::i18n::set_global(lang),
        Err(e) => {
            eprintln!("popscope: {e}");
            return ExitCode::from(EXIT_USAGE);
        }
    }
    let parsed = crate::cli::localize(Cli::command())
        .try_get_matches()
        .and_then(|m| Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version are not errors; every other argument error is
            // a usage error: exit 3 (never 2, which monitoring reads as "fail").
            // `popscope plugin` is read by monitoring systems from stdout:
            // its argument errors are one `POP3 UNKNOWN - ...` line there.
            if e.use_stderr() && std::env::args_os().nth(1).is_some_and(|a| a == "plugin") {
                return plugin::clap_error(&e);
            }
            let code = if e.use_stderr() { EXIT_USAGE } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match run(cli) {
        Ok(code) => code,
        Err(e) => report_error(&e),
    }
}

/// The language asked for on the command line (`--lang fr`, `--lang=fr`)
/// or in `POPSCOPE_LANG`, read before clap so that help and argument errors
/// are translated too.
fn lang_arg(args: impl Iterator<Item = std::ffi::OsString>) -> Option<String> {
    let mut args = args.skip(1).map(|a| a.to_string_lossy().into_owned());
    while let Some(a) = args.next() {
        if a == "--" {
            break;
        }
        if a == "--lang" {
            return args.next();
        }
        if let Some(v) = a.strip_prefix("--lang=") {
            return Some(v.to_string());
        }
    }
    std::env::var("POPSCOPE_LANG")
        .ok()
        .filter(|v| !v.is_empty())
}

/// Runs the parsed command line.
fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    match cli.command {
        Some(Command::Check(args)) => rt.block_on(check::check(args)),
        Some(Command::Lab(args)) => rt.block_on(lab::lab_command(args)),
        Some(Command::Demo(args)) => rt.block_on(lab::demo_command(args)),
        Some(Command::Replay(args)) => rt.block_on(check::replay(args)),
        Some(Command::Tui(args)) => rt.block_on(tui_command(args)),
        // The plugin runs on its own runtime, abandoned once it has answered.
        Some(Command::Plugin(args)) => Ok(plugin::plugin(args)),
        Some(Command::Serve(args)) => rt.block_on(serve::serve_command(args)),
        None if std::io::stdout().is_terminal() && std::io::stdin().is_terminal() => rt.block_on(
            crate::tui::run(Arc::new(EngineRunner), None, RunConfig::builder()),
        ),
        None => {
            use clap::CommandFactory;
            let mut cmd = crate::cli::localize(Cli::command());
            let _ = cmd.print_help();
            Ok(ExitCode::from(EXIT_USAGE))
        }
    }
}

/// Prints an error that ended a command and returns its exit code (3): a
/// usage error as the sentence that says what to type instead, anything else
/// with its chain of causes, in words.
fn report_error(e: &anyhow::Error) -> ExitCode {
    match e.downcast_ref::<ConfigError>() {
        Some(usage) => eprintln!("popscope: {usage}"),
        None => eprintln!("popscope: error: {e:#}"),
    }
    ExitCode::from(EXIT_USAGE)
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
async fn diagnose(cfg: &RunConfig) -> anyhow::Result<report::Report> {
    let cancel = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    Ok(crate::run::diagnose(cfg, None, cancel).await?)
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
        Box::pin(async move {
            let engine = Engine::new(&cfg)?;
            let sink: crate::run::EventSink = Arc::new(move |e| {
                let _ = events.send(e);
            });
            Ok(engine
                .diagnose(&cfg, Some(sink), std::future::pending())
                .await)
        })
    }
}

/// Renders a report per the output settings.
fn render(report: &report::Report, out: &OutputConfig) -> Vec<u8> {
    if out.compact {
        report::many::JsonLine.render(report)
    } else if out.json {
        report::json::Json.render(report)
    } else {
        report::text::Text {
            color: out.color,
            transcript: out.transcript,
            transcript_only: out.transcript_only,
            explain: out
                .explain
                .unwrap_or_else(|| report::text::default_explain(report)),
        }
        .render(report)
    }
}

async fn tui_command(args: TuiArgs) -> anyhow::Result<ExitCode> {
    if !std::io::stdout().is_terminal() {
        return Err(ConfigError(
            "the TUI needs a terminal; use `popscope check` for text or --json output".into(),
        )
        .into());
    }
    let base = args.probe.to_builder()?;
    let start = match &args.target {
        Some(t) => Some(check::build_config(t, &args.probe, &args.login, None)?),
        None => None,
    };
    crate::tui::run(Arc::new(EngineRunner), start, base).await
}
