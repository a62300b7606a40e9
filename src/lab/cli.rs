//! `popscope lab` and `popscope demo`: the lab server as a command.

use std::io::IsTerminal;
use std::net::IpAddr;
use std::process::ExitCode;

use anyhow::Context;

use super::{Lab, LabConfig, Scenario};
use crate::cli::{DemoArgs, LabArgs, ProbeArgs};
use crate::config::{OutputConfig, RunConfig};

/// One line per scenario: name, expected check, description.
pub fn scenario_list() -> String {
    let mut s = String::from("Scenarios (popscope lab --scenario NAME, or --scenario all):\n");
    for sc in Scenario::all() {
        s.push_str(&format!(
            "  {:<22} {:<20} {}\n",
            sc.name(),
            sc.expected_check().unwrap_or("(passes)"),
            sc.description()
        ));
    }
    s
}

/// Parses `--scenario` values (`all` or names, comma-separated allowed).
pub fn parse_scenarios(values: &[String]) -> anyhow::Result<Vec<Scenario>> {
    let mut out = Vec::new();
    for v in values.iter().flat_map(|v| v.split(',')) {
        let v = v.trim();
        if v.eq_ignore_ascii_case("all") {
            return Ok(Scenario::all().to_vec());
        }
        out.push(
            v.parse::<Scenario>().map_err(|e| {
                anyhow::anyhow!("{e}; run `popscope lab --list` to see the scenarios")
            })?,
        );
    }
    Ok(out)
}

/// `popscope lab`: serve until Ctrl-C.
pub async fn lab_command(args: LabArgs) -> anyhow::Result<ExitCode> {
    if args.list {
        crate::app::emit(scenario_list().as_bytes())?;
        return Ok(ExitCode::SUCCESS);
    }
    let scenarios = match parse_scenarios(&args.scenario) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("popscope: {e}");
            return Ok(ExitCode::from(crate::app::EXIT_USAGE));
        }
    };
    let listen: IpAddr = match args.listen.parse() {
        Ok(ip) => ip,
        Err(_) => {
            eprintln!("popscope: --listen needs an IP address such as 127.0.0.1 or ::1");
            return Ok(ExitCode::from(crate::app::EXIT_USAGE));
        }
    };
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
    crate::app::emit(lab.describe().as_bytes())?;
    crate::app::emit(b"\nServing; press Ctrl-C to stop.\n")?;
    let _ = tokio::signal::ctrl_c().await;
    lab.shutdown().await;
    crate::app::emit(b"lab stopped\n")?;
    Ok(ExitCode::SUCCESS)
}

/// The run config that diagnoses one lab scenario (both ports, lab CA trusted).
pub fn demo_config(lab: &Lab, scenario: Scenario) -> anyhow::Result<RunConfig> {
    let ep = lab
        .endpoint(scenario)
        .context("the scenario is not running")?;
    let mut probe = ProbeArgs::defaults();
    probe.ca_file = Some(lab.ca_pem_path().to_path_buf());
    probe.plain_port = ep.plain.port();
    probe.tls_port = ep.tls.port();
    probe.timeout = "5s".into();
    probe.deadline = "30s".into();
    let cfg = RunConfig::from_args(&ep.plain.ip().to_string(), &probe)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    // Log in as the lab's first user and replay the read-only `basic` profile.
    let user = lab.users().first().context("the lab has no user")?;
    let login = crate::config::LoginConfig::with_password(
        &user.name,
        crate::pop3::auth::Secret::new(user.password.clone()),
    );
    cfg.with_dialogue(Some(login), None)
        .map_err(|e| anyhow::anyhow!("{e}"))
}

/// `popscope demo`: start the lab in-process, diagnose it, stop it.
pub async fn demo_command(args: DemoArgs) -> anyhow::Result<ExitCode> {
    let scenario = match parse_scenarios(std::slice::from_ref(&args.scenario)) {
        Ok(s) if s.len() == 1 => s[0],
        Ok(_) => {
            eprintln!("popscope: demo takes one scenario");
            return Ok(ExitCode::from(crate::app::EXIT_USAGE));
        }
        Err(e) => {
            eprintln!("popscope: {e}");
            return Ok(ExitCode::from(crate::app::EXIT_USAGE));
        }
    };
    let lab = Lab::start(LabConfig::new(vec![scenario]))
        .await
        .context("cannot start the lab")?;
    let cfg = demo_config(&lab, scenario)?;
    let out = OutputConfig::from_args(&args.output, std::io::stdout().is_terminal());
    if !out.json {
        crate::app::emit(
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
        let code = crate::tui::run(std::sync::Arc::new(crate::app::EngineRunner), Some(cfg)).await;
        lab.shutdown().await;
        return code;
    }
    let report = crate::app::diagnose(&cfg).await;
    lab.shutdown().await;
    let report = report?;
    crate::app::emit(&crate::app::render(&report, &out))?;
    Ok(ExitCode::from(crate::report::exit_code(report.verdict)))
}
