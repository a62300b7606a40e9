//! `popscope serve`: the Prometheus exporter ([`crate::exporter`]) on a
//! listening socket, until Ctrl-C or SIGTERM.

use std::net::SocketAddr;
use std::process::ExitCode;

use anyhow::Context;

use crate::cli::ServeArgs;
use crate::config::ConfigError;
use crate::exporter::{Exporter, ExporterConfig, Settings};

/// What the command says, in one place (the messages `monitoring-serve-*`).
pub(super) mod text {
    use std::net::SocketAddr;

    use crate::i18n::t;

    /// `--listen` is not an address.
    pub fn bad_listen(raw: &str) -> String {
        t!(
            "monitoring-serve-bad-listen",
            typed = crate::transcript::sanitize_str(raw)
        )
    }

    /// The socket could not be bound.
    pub fn cannot_listen(addr: SocketAddr) -> String {
        t!("monitoring-serve-cannot-listen", address = addr.to_string())
    }

    /// The first line on stdout: where the exporter listens.
    pub fn listening(addr: SocketAddr) -> String {
        t!("monitoring-serve-listening", address = addr.to_string())
    }

    /// An open exporter on a reachable address.
    pub fn open_warning(addr: SocketAddr) -> String {
        t!("monitoring-serve-open-warning", address = addr.to_string())
    }

    /// The server ended on an error.
    pub fn serve_failed() -> String {
        t!("monitoring-serve-failed")
    }
}

/// Runs the exporter until Ctrl-C or SIGTERM; exit code 0 after a clean
/// shutdown.
pub async fn serve_command(args: ServeArgs) -> anyhow::Result<ExitCode> {
    let listen: SocketAddr = args
        .listen
        .trim()
        .parse()
        .map_err(|_| ConfigError(text::bad_listen(&args.listen)))?;
    let config = match &args.config {
        Some(path) => ExporterConfig::load(path)?,
        None => ExporterConfig::defaults(),
    };
    let settings = Settings::new(config, &args.allow_targets, args.max_probes)?;
    let exporter = Exporter::new(settings)?;
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| text::cannot_listen(listen))?;
    let bound = listener.local_addr().unwrap_or(listen);
    if !bound.ip().is_loopback() && !exporter.has_allow_list() {
        eprintln!("{}", text::open_warning(bound));
    }
    super::emit(format!("{}\n", text::listening(bound)).as_bytes())?;
    crate::exporter::serve(listener, exporter, shutdown_signal())
        .await
        .with_context(text::serve_failed)?;
    Ok(ExitCode::SUCCESS)
}

/// Completes on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = ctrl_c => {},
                    _ = term.recv() => {},
                }
            }
            Err(_) => ctrl_c.await,
        }
    }
    #[cfg(not(unix))]
    ctrl_c.await;
}
