//! `popscope serve`: the Prometheus exporter ([`crate::exporter`]) on a
//! listening socket, until Ctrl-C or SIGTERM.

use std::net::SocketAddr;
use std::process::ExitCode;

use anyhow::Context;

use crate::cli::ServeArgs;
use crate::config::ConfigError;
use crate::exporter::{Exporter, ExporterConfig, Settings};

/// What the command says, in one place.
mod text {
    use std::net::SocketAddr;

    /// `--listen` is not an address.
    pub fn bad_listen(raw: &str) -> String {
        format!(
            "invalid --listen \"{}\": give an address and port, e.g. 127.0.0.1:9815 or [::1]:9815",
            crate::transcript::sanitize_str(raw)
        )
    }

    /// The socket could not be bound.
    pub fn cannot_listen(addr: SocketAddr) -> String {
        format!("cannot listen on {addr}")
    }

    /// The first line on stdout: where the exporter listens.
    pub fn listening(addr: SocketAddr) -> String {
        format!("popscope exporter listening on http://{addr}/")
    }

    /// An open exporter on a reachable address.
    pub fn open_warning(addr: SocketAddr) -> String {
        format!(
            "popscope: warning: listening on {addr}, which is not a loopback address, with no allow-list: anyone who can reach it can make this machine probe any host; add --allow-target PATTERN or allow_targets in the config file"
        )
    }

    /// The server ended on an error.
    pub const SERVE_FAILED: &str = "the exporter stopped on an error";
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
        .context(text::SERVE_FAILED)?;
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
