//! `popscope lab` and `popscope demo`: the lab server as a command. The lab
//! itself (`crate::lab`) is a leaf; this front end starts it and diagnoses it.

use std::io::IsTerminal;
use std::net::IpAddr;
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;

use super::emit;
use crate::cli::{DemoArgs, LabArgs};
use crate::config::{ConfigError, LoginConfig, RunConfig};
use crate::i18n::t;
use crate::lab::classroom::{self, Assignment, Seat, Student};
use crate::lab::{CA_FILE_NAME, DEFAULT_MAX_PER_ADDRESS, Lab, LabConfig, Scenario};
use crate::pop3::auth::Secret;

/// One line per scenario: name, expected check (unless `blind`),
/// description.
fn scenario_list(blind: bool) -> String {
    let mut s = format!("{}\n", t!("lab-cmd-list-heading"));
    for sc in Scenario::all() {
        if blind {
            s.push_str(&format!("  {:<22} {}\n", sc.name(), sc.description()));
            continue;
        }
        s.push_str(&format!(
            "  {:<22} {:<20} {}\n",
            sc.name(),
            sc.expected_check()
                .map_or_else(|| t!("lab-cmd-list-passes"), |id| id.to_string()),
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
        out.push(
            v.parse::<Scenario>()
                .map_err(|e| ConfigError(t!("lab-cmd-see-list", error = e.to_string())))?,
        );
    }
    Ok(out)
}

/// `popscope lab`: serve until Ctrl-C.
pub(super) async fn lab_command(args: LabArgs) -> anyhow::Result<ExitCode> {
    if args.list {
        emit(scenario_list(args.blind).as_bytes())?;
        return Ok(ExitCode::SUCCESS);
    }
    let scenarios = parse_scenarios(&args.scenario)?;
    let listen: IpAddr = args
        .listen
        .parse()
        .map_err(|_| ConfigError(t!("lab-cmd-bad-listen")))?;
    for name in &args.hostname {
        check_hostname(name)?;
    }
    let students = classroom_students(&args, &scenarios)?;
    let n = students.len();
    let mut tls_names = args.hostname.clone();
    if listen.is_unspecified() {
        tls_names.extend(machine_names(listen));
    }
    let max_per_address = args.max_per_address.unwrap_or(if n > 0 {
        classroom::max_per_address(n)
    } else {
        DEFAULT_MAX_PER_ADDRESS
    });
    if max_per_address == 0 {
        return Err(ConfigError(t!("lab-cmd-zero-per-address")).into());
    }
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
                    .with_context(|| text::path("lab-cmd-cannot-create", d))?;
                Some(
                    std::fs::canonicalize(d)
                        .with_context(|| text::path("lab-cmd-cannot-resolve", d))?,
                )
            }
            None => None,
        },
        max_per_address,
        max_connections: classroom::max_connections(n),
        students: students.clone(),
        blind: args.blind || n > 0,
        tls_names: tls_names.clone(),
        ..Default::default()
    })
    .await
    .with_context(|| t!("lab-cmd-cannot-start"))?;
    if !listen.is_loopback() {
        eprintln!("{}", text::public_warning(listen));
    }
    if n > 0 {
        let host = sheet_host(&args.hostname, listen, &tls_names);
        let rows: Vec<(Student, Seat)> = students
            .iter()
            .filter_map(|st| {
                lab.endpoint(st.scenario).map(|ep| {
                    let seat = Seat {
                        host: host.clone(),
                        plain_port: ep.plain.port(),
                        tls_port: ep.tls.port(),
                    };
                    (st.clone(), seat)
                })
            })
            .collect();
        if let Some(roster) = &args.roster {
            write_private(roster, classroom::roster_csv(&rows).as_bytes())?;
        }
        if let Some(dir) = &args.sheets {
            write_sheets(dir, &rows)?;
        }
        emit(text::classroom_files(n, args.roster.as_deref(), args.sheets.as_deref()).as_bytes())?;
    }
    // Listen for the signals before saying "Serving": one that arrives
    // right after must still stop the lab cleanly.
    let stop = stop_signal();
    emit(lab.describe().as_bytes())?;
    emit(format!("\n{}\n", t!("lab-cmd-serving")).as_bytes())?;
    stop.await;
    lab.shutdown().await;
    emit(format!("{}\n", t!("lab-cmd-stopped")).as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

/// The classroom's students, or none without `--classroom`; usage errors
/// for the flags that need it or go with it.
fn classroom_students(args: &LabArgs, pool: &[Scenario]) -> anyhow::Result<Vec<Student>> {
    let Some(n) = args.classroom else {
        let stray = [
            (args.roster.is_some(), "--roster"),
            (args.sheets.is_some(), "--sheets"),
            (args.assign.is_some(), "--assign"),
            (args.seed.is_some(), "--seed"),
            (args.round_robin, "--round-robin"),
        ];
        if let Some((_, flag)) = stray.iter().find(|(set, _)| *set) {
            return Err(ConfigError(text::needs_classroom(flag)).into());
        }
        return Ok(Vec::new());
    };
    if args.roster.is_none() {
        return Err(ConfigError(t!("lab-cmd-needs-roster")).into());
    }
    let seed = match args.seed {
        Some(s) => s,
        None => classroom::random_seed()?,
    };
    let how = if let Some(file) = &args.assign {
        let content = std::fs::read_to_string(file)
            .with_context(|| text::path("lab-cmd-cannot-read-assign", file))?;
        Assignment::File(
            classroom::parse_assignment(&content).map_err(|e| ConfigError(e.to_string()))?,
            seed,
        )
    } else if args.round_robin {
        Assignment::RoundRobin
    } else {
        Assignment::Random(seed)
    };
    Ok(classroom::students(n, pool, &how).map_err(|e| ConfigError(e.to_string()))?)
}

/// `--hostname` takes a DNS name or an IP literal, nothing else.
fn check_hostname(name: &str) -> Result<(), ConfigError> {
    let ok = !name.is_empty()
        && name.len() <= 253
        && (name.parse::<IpAddr>().is_ok()
            || name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.'));
    if ok {
        Ok(())
    } else {
        Err(ConfigError(text::bad_hostname(name)))
    }
}

/// The host the sheets tell students to type: the first `--hostname`, else
/// a specific listen address, else the first name found for this machine.
fn sheet_host(hostnames: &[String], listen: IpAddr, tls_names: &[String]) -> String {
    if let Some(h) = hostnames.first() {
        return h.clone();
    }
    if !listen.is_unspecified() {
        return listen.to_string();
    }
    tls_names
        .first()
        .cloned()
        .unwrap_or_else(|| "127.0.0.1".to_string())
}

/// This machine's name and main non-loopback address, found cheaply, for a
/// lab listening on every address (0.0.0.0 or ::): the address the default
/// route leaves from (a UDP socket "connected" to a documentation address:
/// no packet is sent) and the kernel's host name. Empty when none is found;
/// `--hostname` then names them.
fn machine_names(listen: IpAddr) -> Vec<String> {
    let mut out = Vec::new();
    let probes: [&str; 2] = if listen.is_ipv4() {
        ["192.0.2.1:9", "[2001:db8::1]:9"]
    } else {
        ["[2001:db8::1]:9", "192.0.2.1:9"]
    };
    for probe in probes {
        let bind = if probe.starts_with('[') {
            "[::]:0"
        } else {
            "0.0.0.0:0"
        };
        if let Ok(sock) = std::net::UdpSocket::bind(bind)
            && sock.connect(probe).is_ok()
            && let Ok(local) = sock.local_addr()
            && !local.ip().is_unspecified()
            && !local.ip().is_loopback()
        {
            out.push(local.ip().to_string());
        }
        if listen.is_ipv4() {
            // 0.0.0.0 serves IPv4 only.
            break;
        }
    }
    if let Ok(name) = std::fs::read_to_string("/proc/sys/kernel/hostname") {
        let name = name.trim();
        if !name.is_empty() && check_hostname(name).is_ok() && name != "localhost" {
            out.push(name.to_string());
        }
    }
    out
}

/// Writes `bytes` to `path`, readable by its owner only (mode 0600).
fn write_private(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    use std::io::Write;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts
        .open(path)
        .with_context(|| text::path("lab-cmd-cannot-write", path))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        f.set_permissions(std::fs::Permissions::from_mode(0o600))
            .with_context(|| text::path("lab-cmd-cannot-restrict", path))?;
    }
    f.write_all(bytes)
        .with_context(|| text::path("lab-cmd-cannot-write", path))?;
    Ok(())
}

/// One sheet per student (`DIR/etu01.md`, ...) and all of them in
/// `DIR/sheets.md` for printing.
fn write_sheets(dir: &Path, rows: &[(Student, Seat)]) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).with_context(|| text::path("lab-cmd-cannot-create", dir))?;
    let mut all = String::new();
    for (st, seat) in rows {
        let sheet = classroom::sheet(st, seat, CA_FILE_NAME);
        write_private(&dir.join(format!("{}.md", st.account)), sheet.as_bytes())?;
        if !all.is_empty() {
            all.push_str("\n---\n\n");
        }
        all.push_str(&sheet);
    }
    write_private(&dir.join("sheets.md"), all.as_bytes())
}

/// The command's sentences that take arguments (messages in `lab.ftl`).
mod text {
    use std::net::IpAddr;
    use std::path::Path;

    use crate::i18n::t;

    /// Message `id` about a file or directory (its only argument).
    pub(super) fn path(id: &str, path: &Path) -> String {
        crate::i18n::tr(id, &[("path", path.display().to_string().into())])
    }

    pub(super) fn needs_classroom(flag: &str) -> String {
        t!("lab-cmd-needs-classroom", flag = flag)
    }

    pub(super) fn bad_hostname(name: &str) -> String {
        t!(
            "lab-cmd-bad-hostname",
            name = name.escape_default().to_string()
        )
    }

    pub(super) fn classroom_files(
        n: usize,
        roster: Option<&Path>,
        sheets: Option<&Path>,
    ) -> String {
        let mut s = format!("{}\n", t!("lab-cmd-classroom-created", count = n));
        if let Some(r) = roster {
            let line = t!("lab-cmd-roster-written", path = r.display().to_string());
            s.push_str(&format!("{line}\n"));
        }
        match sheets {
            Some(d) => {
                let line = t!("lab-cmd-sheets-written", path = d.display().to_string());
                s.push_str(&format!("{line}\n"));
            }
            None => s.push_str(&format!("{}\n", t!("lab-cmd-no-sheets"))),
        }
        s.push('\n');
        s
    }

    /// The warning printed when the lab listens beyond this machine.
    pub(super) fn public_warning(listen: IpAddr) -> String {
        t!("lab-cmd-public-warning", listen = listen.to_string())
    }

    /// The demo's first lines.
    pub(super) fn demo_intro(scenario: crate::lab::Scenario, address: &str) -> String {
        t!(
            "lab-cmd-demo-intro",
            scenario = scenario.name(),
            description = scenario.description(),
            address = address
        )
    }
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
        .with_context(|| t!("lab-cmd-not-running"))?;
    let user = lab.users().first().with_context(|| t!("lab-cmd-no-user"))?;
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
        _ => return Err(ConfigError(t!("lab-cmd-demo-one")).into()),
    };
    let lab = Lab::start(LabConfig::new(vec![scenario]))
        .await
        .with_context(|| t!("lab-cmd-cannot-start"))?;
    let cfg = demo_config(&lab, scenario)?;
    let out = args.output.to_output(std::io::stdout().is_terminal());
    if !out.json {
        let address = lab
            .endpoint(scenario)
            .map(|e| e.plain.ip().to_string())
            .unwrap_or_default();
        emit(format!("{}\n\n", text::demo_intro(scenario, &address)).as_bytes())?;
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
