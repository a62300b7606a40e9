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
use crate::i18n::t;
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
        .with_context(|| t!("cli-app-runtime"))?;
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
        None => eprintln!(
            "popscope: {}",
            t!("cli-app-error", error = format!("{e:#}"))
        ),
    }
    ExitCode::from(EXIT_USAGE)
}

/// Writes bytes to stdout; a closed pipe (`| head`) is not an error.
pub fn emit(bytes: &[u8]) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|_| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => r.with_context(|| t!("cli-app-stdout")),
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
        return Err(ConfigError(t!("cli-app-tui-needs-terminal")).into());
    }
    let base = args.probe.to_builder()?;
    let start = match &args.target {
        Some(t) => Some(check::build_config(t, &args.probe, &args.login, None)?),
        None => None,
    };
    crate::tui::run(Arc::new(EngineRunner), start, base).await
}

#[cfg(test)]
mod tests {
    //! Every sentence of the command edge (errors of `check`, many targets,
    //! `plugin`, `serve`, the login flags) in both languages: no message id
    //! shows, the English is the one scripts and tests know, the French has
    //! no English left.

    use crate::cli::LoginArgs;
    use crate::i18n::testing::english_word;
    use crate::i18n::{Lang, scoped, t};
    use std::net::SocketAddr;
    use std::path::Path;

    /// Message id prefixes of the edge: one in the output is a missing message.
    const IDS: &[&str] = &[
        "cli-app-",
        "cli-many-",
        "cli-error-",
        "monitoring-plugin-",
        "monitoring-serve-",
    ];

    fn login(user: Option<&str>) -> LoginArgs {
        LoginArgs {
            user: user.map(str::to_string),
            password_env: None,
            password_file: None,
            token_env: None,
            token_file: None,
            auth: None,
            allow_cleartext_auth: false,
            allow_delete: false,
            profile: None,
            max_bytes: 0,
        }
    }

    fn login_error(args: LoginArgs) -> String {
        match args.to_login(None, false) {
            Err(e) => e.0,
            Ok(_) => panic!("login flags accepted"),
        }
    }

    /// Every sentence, in the current language.
    fn sentences() -> Vec<String> {
        let io = std::io::Error::other("boum");
        let addr: SocketAddr = "192.0.2.1:9815".parse().expect("address");
        let dir = tempfile::tempdir().expect("temp dir");
        let missing = dir.path().join("absent");
        let empty = dir.path().join("vide");
        std::fs::write(&empty, "\n").expect("write");
        let mut v = vec![
            t!("cli-app-error", error = "boum"),
            t!("cli-app-runtime"),
            t!("cli-app-stdout"),
            t!("cli-app-tui-needs-terminal"),
            t!("cli-error-password-prompt", user = "alice"),
            t!("cli-error-password-terminal", error = "boum"),
            super::many::words::json_needs_one(),
            super::many::words::cannot_open(Path::new("/liste.txt"), &io),
            super::many::words::cannot_read(&io),
            super::many::words::too_few_files(4096, 32832, 1024),
            super::many::words::internal_error("boum"),
            super::plugin::words::bad_port(),
            super::plugin::words::bad_host("pop.example.com:995"),
            super::plugin::words::bad_timeout("x"),
            super::plugin::words::clap("zzz"),
            super::plugin::words::runtime("boum"),
            super::serve::text::bad_listen("x"),
            super::serve::text::cannot_listen(addr),
            super::serve::text::listening(addr),
            super::serve::text::open_warning(addr),
            super::serve::text::serve_failed(),
        ];
        let mut secret_without_user = login(None);
        secret_without_user.password_env = Some("VAR".into());
        v.push(login_error(secret_without_user));
        let mut token = login(Some("alice"));
        token.auth = Some(crate::cli::AuthArg::Xoauth2);
        token.token_env = Some("POPSCOPE_TEST_ABSENT_VARIABLE_T".into());
        v.push(login_error(token));
        let mut env = login(Some("alice"));
        env.password_env = Some("POPSCOPE_TEST_ABSENT_VARIABLE_P".into());
        v.push(login_error(env));
        for (path, token) in [
            (&missing, false),
            (&missing, true),
            (&empty, false),
            (&empty, true),
        ] {
            let mut a = login(Some("alice"));
            if token {
                a.token_file = Some(path.clone());
            } else {
                a.password_file = Some(path.clone());
            }
            v.push(login_error(a));
        }
        if std::env::var_os("POPSCOPE_PASSWORD").is_none_or(|p| p.is_empty()) {
            v.push(login_error(login(Some("alice"))));
        }
        v
    }

    #[test]
    fn edge_sentences_in_both_languages() {
        let en = scoped(Lang::En, sentences);
        let fr = scoped(Lang::Fr, sentences);
        assert_eq!(en.len(), fr.len());
        assert_eq!(
            en[6],
            "--format json (or --json) prints one report for one target; with several targets use --format jsonl (one JSON report per line)"
        );
        assert_eq!(
            en[9],
            "--concurrency 4096 needs about 32832 open files, but this system allows 1024 (ulimit -n); lower --concurrency or raise the limit"
        );
        assert_eq!(en[4], "POP3 password for alice: ");
        assert_eq!(
            en[18],
            "popscope exporter listening on http://192.0.2.1:9815/"
        );
        assert_eq!(
            en[12],
            "-H takes a host name or address only, not \"pop.example.com:995\": type e.g. -H pop.example.com, the port goes in -p and -S selects implicit TLS"
        );
        assert_eq!(
            fr[6],
            "--format json (ou --json) affiche un rapport pour une seule cible\u{a0}; avec plusieurs cibles, utilisez --format jsonl (un rapport JSON par ligne)"
        );
        assert_eq!(fr[4], "Mot de passe POP3 pour alice\u{a0}: ");
        // Flag and command names, variable names and URLs are not English prose.
        let allowed = ["json", "jsonl", "allow-target", "password-env", "check"];
        // The operating system's error text is not popscope's.
        let dir = tempfile::tempdir().expect("temp dir");
        let os_error = std::fs::read_to_string(dir.path().join("absent"))
            .expect_err("no such file")
            .to_string();
        for (e, f) in en.iter().zip(&fr) {
            assert_ne!(e, f, "not translated: {f}");
            for text in [e, f] {
                assert!(!IDS.iter().any(|id| text.contains(id)), "id shown: {text}");
            }
            let own = f.replace(&os_error, "").replace("POPSCOPE_PASSWORD", "");
            assert_eq!(english_word(&own, &allowed), None, "English in {f}");
            assert!(
                !f.contains(" :") && !f.contains(" ;"),
                "no-break space: {f}"
            );
        }
    }
}
