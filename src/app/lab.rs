//! `popscope lab` and `popscope demo`: the lab server as a command. The lab
//! itself (`crate::lab`) is a leaf; this front end starts it and diagnoses it.

use std::io::IsTerminal;
use std::net::IpAddr;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;

use super::emit;
use crate::cli::{DemoArgs, LabArgs};
use crate::config::{ConfigError, LoginConfig, RunConfig};
use crate::lab::{Lab, LabConfig, Scenario};
use crate::pop3::auth::Secret;

/// One line per scenario: name, expected check, description.
fn scenario_list() -> String {
    let mut s = String::from("Scenarios (popscope lab --scenario NAME, or --scenario all):\n");
    for sc in Scenario::all() {
        s.push_str(&format!(
            "  {:<22} {:<20} {}\n",
            sc.name(),
            sc.expected_check()
                .map_or_else(|| "(passes)".to_string(), |id| id.to_string()),
            sc.description()
        ));
    }
    s
}

/// Parses `--scenario` values (`all` or names, comma-separated allowed).
fn parse_scenarios(values: &[String]) -> Result<Vec<Scenario>, ConfigError> {
    let mut out = Vec::new();
    for v in values.iter().flat_map(|v| v.split(',')) {
        let v = v.trim();
        if v.eq_ignore_ascii_case("all") {
            return Ok(Scenario::all().to_vec());
        }
        out.push(v.parse::<Scenario>().map_err(|e| {
            ConfigError(format!(
                "{e}; run `popscope lab --list` to see the scenarios"
            ))
        })?);
    }
    Ok(out)
}

/// `popscope lab`: serve until Ctrl-C.
pub(super) async fn lab_command(args: LabArgs) -> anyhow::Result<ExitCode> {
    if args.list {
        emit(scenario_list().as_bytes())?;
        return Ok(ExitCode::SUCCESS);
    }
    let scenarios = parse_scenarios(&args.scenario)?;
    let listen: IpAddr = args
        .listen
        .parse()
        .map_err(|_| ConfigError("--listen needs an IP address such as 127.0.0.1 or ::1".into()))?;
    let lab = Lab::start(LabConfig {
        scenarios,
        listen,
        plain_port: (args.plain_port != 0).then_some(args.plain_port),
        tls_port: (args.tls_port != 0).then_some(args.tls_port),
        mailbox_dir: args.mailbox_dir.clone(),
        ca_dir: match &args.ca_dir {
            // Absolute, so the printed commands work from any directory.
            Some(d) => {
                std::fs::create_dir_all(d)
                    .with_context(|| format!("cannot create {}", d.display()))?;
                Some(
                    std::fs::canonicalize(d)
                        .with_context(|| format!("cannot resolve {}", d.display()))?,
                )
            }
            None => None,
        },
        ..Default::default()
    })
    .await
    .context("cannot start the lab")?;
    if !listen.is_loopback() {
        eprintln!("{}", public_warning(listen));
    }
    // Listen for the signals before saying "Serving": one that arrives
    // right after must still stop the lab cleanly.
    let stop = stop_signal();
    emit(lab.describe().as_bytes())?;
    emit(b"\nServing; press Ctrl-C to stop.\n")?;
    stop.await;
    lab.shutdown().await;
    emit(b"lab stopped\n")?;
    Ok(ExitCode::SUCCESS)
}

/// The warning printed when the lab listens beyond this machine.
fn public_warning(listen: IpAddr) -> String {
    format!(
        "warning: the lab listens on {listen}, which other machines can reach. Its accounts and \
         passwords (printed below) are public: anyone on the network can log in and read or \
         delete the lab's mail. That is fine for a classroom on a trusted network; for solo \
         use, listen on a loopback address instead (--listen 127.0.0.1 or --listen ::1)."
    )
}

/// Installs the handlers for Ctrl-C, SIGTERM and SIGHUP now and returns a
/// future that completes at the first of them, so that the lab always stops
/// cleanly and removes its temporary CA directory.
fn stop_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    let unix = {
        use tokio::signal::unix::{SignalKind, signal};
        let sig = |kind| signal(kind).ok();
        (
            sig(SignalKind::interrupt()),
            sig(SignalKind::terminate()),
            sig(SignalKind::hangup()),
        )
    };
    async move {
        #[cfg(unix)]
        if let (Some(mut int), Some(mut term), Some(mut hup)) = unix {
            tokio::select! {
                _ = int.recv() => {}
                _ = term.recv() => {}
                _ = hup.recv() => {}
            }
            return;
        }
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// The run config that diagnoses one lab scenario (both ports, lab CA
/// trusted, logged in as the lab's first user replaying `basic`). Built from
/// the defaults only: the user's `POPSCOPE_*` variables do not change a demo.
fn demo_config(lab: &Lab, scenario: Scenario) -> anyhow::Result<RunConfig> {
    let ep = lab
        .endpoint(scenario)
        .context("the scenario is not running")?;
    let user = lab.users().first().context("the lab has no user")?;
    let login = LoginConfig::with_password(&user.name, Secret::new(user.password.clone()));
    Ok(RunConfig::builder()
        .ca_file(Some(lab.ca_pem_path().to_path_buf()))
        .plain_port(ep.plain.port())
        .tls_port(ep.tls.port())
        .timeout(Duration::from_secs(5))
        .deadline(Duration::from_secs(30))
        .login(Some(login))
        .build(&ep.plain.ip().to_string())?)
}

/// `popscope demo`: start the lab in-process, diagnose it, stop it.
pub(super) async fn demo_command(args: DemoArgs) -> anyhow::Result<ExitCode> {
    let scenario = match parse_scenarios(std::slice::from_ref(&args.scenario))?[..] {
        [one] => one,
        _ => return Err(ConfigError("demo takes one scenario".into()).into()),
    };
    let lab = Lab::start(LabConfig::new(vec![scenario]))
        .await
        .context("cannot start the lab")?;
    let cfg = demo_config(&lab, scenario)?;
    let out = args.output.to_output(std::io::stdout().is_terminal());
    if !out.json {
        emit(
            format!(
                "popscope demo: a built-in lab POP3 server (scenario '{}': {}) on {}, diagnosed live.\n\n",
                scenario.name(),
                scenario.description(),
                lab.endpoint(scenario).map(|e| e.plain.ip().to_string()).unwrap_or_default()
            )
            .as_bytes(),
        )?;
    }
    if std::io::stdout().is_terminal() && std::io::stdin().is_terminal() && !out.json {
        let code = crate::tui::run(
            std::sync::Arc::new(super::EngineRunner),
            Some(cfg),
            RunConfig::builder(),
        )
        .await;
        lab.shutdown().await;
        return code;
    }
    let report = super::diagnose(&cfg).await;
    lab.shutdown().await;
    let report = report?;
    emit(&super::render(&report, &out))?;
    Ok(ExitCode::from(crate::report::exit_code(report.verdict)))
}
