//! `popscope check` and `popscope replay`: diagnose one target, print the
//! report, exit with its verdict.

use std::io::IsTerminal;
use std::process::ExitCode;

use crate::cli::{CheckArgs, LoginArgs, OutputArgs, ProbeArgs, ReplayArgs};
use crate::config::{ConfigError, RunConfig};
use crate::report;

/// `popscope check`: one target as always; several targets, `--targets` or
/// `--format jsonl` run through [`super::many`].
pub(super) async fn check(args: CheckArgs) -> anyhow::Result<ExitCode> {
    match args.target.as_slice() {
        [one] if args.targets.is_none() && !args.output.jsonl() => {
            let cfg = build_config(one, &args.probe, &args.login, None)?;
            report_command(cfg, &args.output).await
        }
        _ => super::many::check_many(args).await,
    }
}

/// `popscope replay PROFILE TARGET`.
pub(super) async fn replay(args: ReplayArgs) -> anyhow::Result<ExitCode> {
    let cfg = build_config(
        &args.target,
        &args.probe,
        &args.login,
        Some(&args.replay_profile),
    )?;
    report_command(cfg, &args.output).await
}

/// Diagnoses, prints the report, exits with its verdict.
async fn report_command(cfg: RunConfig, output: &OutputArgs) -> anyhow::Result<ExitCode> {
    let out = output.to_output(std::io::stdout().is_terminal());
    let report = super::diagnose(&cfg).await?;
    super::emit(&super::render(&report, &out))?;
    Ok(ExitCode::from(report::exit_code(report.verdict)))
}

/// Flags -> a validated config with login settings and the dialogue profile.
/// The password is prompted for only when both stdin and stderr are terminals.
pub(super) fn build_config(
    target: &str,
    probe: &ProbeArgs,
    login: &LoginArgs,
    profile: Option<&str>,
) -> Result<RunConfig, ConfigError> {
    let interactive = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
    build_config_with(probe.to_builder()?, target, login, profile, interactive)
}

/// [`build_config`] from a prepared builder; prompts for a password only
/// when `interactive`.
pub(super) fn build_config_with(
    builder: crate::config::RunConfigBuilder,
    target: &str,
    login: &LoginArgs,
    profile: Option<&str>,
    interactive: bool,
) -> Result<RunConfig, ConfigError> {
    // A bad target is reported before any password prompt; the user may come
    // from a user@domain target.
    let target_user = crate::target::Target::parse(target)
        .map_err(|e| ConfigError(e.to_string()))?
        .user;
    let login = login.to_login(target_user.as_deref(), interactive)?;
    builder
        .login(login)
        .profile(profile.map(str::to_string))
        .build(target)
}
