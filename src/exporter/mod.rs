//! The Prometheus exporter behind `popscope serve`: an HTTP server whose
//! `/probe?target=HOST[&module=NAME]` runs one diagnosis through a shared
//! [`Engine`] and answers with Prometheus metrics (docs/monitoring.md).
//!
//! Bounded everywhere: at most `max_probes` diagnoses at once (excess
//! requests wait for a slot until their deadline, then get a 503), each
//! diagnosis ends by its deadline (the module's, shortened by Prometheus's
//! `X-Prometheus-Scrape-Timeout-Seconds`), URLs are short, label values come
//! from popscope's identifiers and addresses only, and an allow-list can
//! limit the targets.

pub mod config;
pub mod metrics;
mod text;

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::AtomicI64;
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;
use serde::Deserialize;
use tokio::sync::Semaphore;

use crate::config::ConfigError;
use crate::run::Engine;
use crate::target::Target;

pub use config::{AllowList, DEFAULT_MODULE, ExporterConfig, Module};

/// The longest request URL served (path and query).
pub const MAX_URI_BYTES: usize = 2048;

/// Prometheus's header with the scrape timeout in seconds.
pub const SCRAPE_TIMEOUT_HEADER: &str = "x-prometheus-scrape-timeout-seconds";

/// What is kept back from the scrape timeout for the answer to travel.
const SCRAPE_MARGIN: Duration = Duration::from_millis(500);

/// Everything the exporter needs to serve.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Modules (always one named [`DEFAULT_MODULE`]).
    pub config: ExporterConfig,
    /// Targets that may be probed (empty: any).
    pub allow: AllowList,
    /// Most diagnoses at once.
    pub max_probes: usize,
}

impl Settings {
    /// Settings from the config file (if any), extra allow-list patterns
    /// (`--allow-target`, added to the file's) and the probe limit.
    pub fn new(
        config: ExporterConfig,
        extra_allow: &[String],
        max_probes: usize,
    ) -> Result<Settings, ConfigError> {
        if max_probes == 0 {
            return Err(ConfigError(text::zero_probes()));
        }
        let mut patterns = config.allow_targets.clone();
        patterns.extend(extra_allow.iter().cloned());
        Ok(Settings {
            allow: AllowList::new(&patterns)?,
            config,
            max_probes,
        })
    }
}

/// The exporter's own metrics (`/metrics`).
struct OwnMetrics {
    registry: Registry,
    probes: Family<Vec<(&'static str, &'static str)>, Counter>,
    duration: Histogram,
    in_flight: Gauge<i64, AtomicI64>,
    rejected: Family<Vec<(&'static str, &'static str)>, Counter>,
}

impl OwnMetrics {
    fn new() -> OwnMetrics {
        let mut registry = Registry::default();
        let probes = Family::default();
        let duration = Histogram::new([0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0]);
        let in_flight = Gauge::default();
        let rejected = Family::default();
        registry.register(
            "popscope_exporter_probes",
            text::help::PROBES,
            probes.clone(),
        );
        registry.register(
            "popscope_exporter_probe_duration_seconds",
            text::help::PROBE_DURATION,
            duration.clone(),
        );
        registry.register(
            "popscope_exporter_probes_in_flight",
            text::help::IN_FLIGHT,
            in_flight.clone(),
        );
        registry.register(
            "popscope_exporter_rejected_requests",
            text::help::REJECTED,
            rejected.clone(),
        );
        // Every series exists from the start (0, not absent).
        for r in ["success", "failure"] {
            let _ = probes.get_or_create(&vec![("result", r)]);
        }
        for r in Rejection::ALL {
            let _ = rejected.get_or_create(&vec![("reason", r.as_str())]);
        }
        OwnMetrics {
            registry,
            probes,
            duration,
            in_flight,
            rejected,
        }
    }
}

/// Why a request was refused (the `reason` label of
/// `popscope_exporter_rejected_requests_total`).
#[derive(Debug, Clone, Copy)]
enum Rejection {
    /// The URL was too long (414).
    TooLong,
    /// No target, an unreadable query or a target that does not parse (400).
    BadTarget,
    /// An unknown module (400).
    UnknownModule,
    /// Not on the allow-list (403).
    Forbidden,
    /// No probe slot before the deadline (503).
    Busy,
}

impl Rejection {
    const ALL: [Rejection; 5] = [
        Rejection::TooLong,
        Rejection::BadTarget,
        Rejection::UnknownModule,
        Rejection::Forbidden,
        Rejection::Busy,
    ];

    fn as_str(self) -> &'static str {
        match self {
            Rejection::TooLong => "too_long",
            Rejection::BadTarget => "bad_target",
            Rejection::UnknownModule => "unknown_module",
            Rejection::Forbidden => "forbidden",
            Rejection::Busy => "busy",
        }
    }

    fn status(self) -> StatusCode {
        match self {
            Rejection::TooLong => StatusCode::URI_TOO_LONG,
            Rejection::BadTarget | Rejection::UnknownModule => StatusCode::BAD_REQUEST,
            Rejection::Forbidden => StatusCode::FORBIDDEN,
            Rejection::Busy => StatusCode::SERVICE_UNAVAILABLE,
        }
    }
}

/// A module ready to probe: its settings and its engine (resolver and
/// trust store, shared by every probe of the module).
struct Ready {
    module: Module,
    engine: Engine,
}

/// The exporter: modules with their engines, the allow-list, the probe
/// slots and its own metrics. Cheap to clone (shared).
#[derive(Clone)]
pub struct Exporter {
    inner: Arc<Inner>,
}

struct Inner {
    modules: BTreeMap<String, Ready>,
    allow: AllowList,
    slots: Semaphore,
    max_probes: usize,
    metrics: OwnMetrics,
}

impl Exporter {
    /// Builds an engine per module (reads CA files, sets up resolvers).
    pub fn new(settings: Settings) -> Result<Exporter, ConfigError> {
        let mut modules = BTreeMap::new();
        for (name, module) in settings.config.modules {
            let cfg = module.builder.clone().build("localhost")?;
            let engine = Engine::new(&cfg).map_err(|e| ConfigError(e.to_string()))?;
            modules.insert(name, Ready { module, engine });
        }
        Ok(Exporter {
            inner: Arc::new(Inner {
                modules,
                allow: settings.allow,
                slots: Semaphore::new(settings.max_probes),
                max_probes: settings.max_probes,
                metrics: OwnMetrics::new(),
            }),
        })
    }

    /// Whether an allow-list limits the targets.
    pub fn has_allow_list(&self) -> bool {
        !self.inner.allow.is_empty()
    }

    /// The HTTP routes: `/`, `/probe`, `/metrics`.
    pub fn router(&self) -> Router {
        Router::new()
            .route("/", get(index))
            .route("/probe", get(probe))
            .route("/metrics", get(own_metrics))
            .fallback(not_found)
            .with_state(self.clone())
    }

    fn reject(&self, why: Rejection, body: String) -> Response {
        self.inner
            .metrics
            .rejected
            .get_or_create(&vec![("reason", why.as_str())])
            .inc();
        plain(why.status(), body)
    }
}

/// Serves the exporter on `listener` until `shutdown` completes, then
/// finishes the requests in flight and returns.
pub async fn serve(
    listener: tokio::net::TcpListener,
    exporter: Exporter,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, exporter.router())
        .with_graceful_shutdown(shutdown)
        .await
}

/// The deadline of one probe: the module's, shortened to the scrape timeout
/// minus 0.5 s (half the timeout when it is under a second).
pub fn probe_deadline(module_deadline: Duration, scrape_timeout: Option<&str>) -> Duration {
    let header = scrape_timeout
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s > 0.0)
        .map(|s| Duration::from_secs_f64(s.min(86_400.0)));
    match header {
        Some(h) => {
            let budget = h.saturating_sub(SCRAPE_MARGIN).max(h / 2);
            module_deadline.min(budget)
        }
        None => module_deadline,
    }
}

fn plain(status: StatusCode, body: String) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        body,
    )
        .into_response()
}

fn metrics_response(body: String) -> Response {
    (
        StatusCode::OK,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static(metrics::CONTENT_TYPE),
        )],
        body,
    )
        .into_response()
}

async fn index() -> Html<String> {
    Html(text::index_html())
}

async fn not_found() -> Response {
    plain(StatusCode::NOT_FOUND, text::not_found())
}

async fn own_metrics(State(ex): State<Exporter>) -> Response {
    let mut out = String::new();
    let _ = prometheus_client::encoding::text::encode(&mut out, &ex.inner.metrics.registry);
    metrics_response(out)
}

/// The query of `/probe` (other parameters are ignored).
#[derive(Debug, Deserialize)]
struct ProbeQuery {
    target: Option<String>,
    module: Option<String>,
}

/// Counts a probe as in flight while alive.
struct InFlight<'a>(&'a Gauge<i64, AtomicI64>);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.dec();
    }
}

async fn probe(
    State(ex): State<Exporter>,
    uri: Uri,
    headers: HeaderMap,
    query: Result<Query<ProbeQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let start = Instant::now();
    let inner = &ex.inner;
    if uri.to_string().len() > MAX_URI_BYTES {
        return ex.reject(Rejection::TooLong, text::too_long(MAX_URI_BYTES));
    }
    let q = match query {
        Ok(Query(q)) => q,
        Err(e) => return ex.reject(Rejection::BadTarget, text::bad_query(&e.body_text())),
    };
    let Some(raw) = q.target.filter(|t| !t.trim().is_empty()) else {
        return ex.reject(Rejection::BadTarget, text::no_target());
    };
    let target = match Target::parse(&raw) {
        Ok(t) => t,
        Err(e) => return ex.reject(Rejection::BadTarget, text::bad_target(&e.to_string())),
    };
    let name = q.module.unwrap_or_else(|| DEFAULT_MODULE.to_string());
    let Some(ready) = inner.modules.get(&name) else {
        let known: Vec<&str> = inner.modules.keys().map(String::as_str).collect();
        return ex.reject(
            Rejection::UnknownModule,
            text::unknown_module(&name, &known),
        );
    };
    if !inner.allow.allows(&target) {
        return ex.reject(Rejection::Forbidden, text::forbidden(&raw));
    }
    let deadline = probe_deadline(
        ready.module.deadline,
        headers
            .get(SCRAPE_TIMEOUT_HEADER)
            .and_then(|v| v.to_str().ok()),
    );
    let permit = match tokio::time::timeout(deadline, inner.slots.acquire()).await {
        Ok(Ok(p)) => p,
        _ => return ex.reject(Rejection::Busy, text::busy(inner.max_probes)),
    };
    let remaining = deadline.saturating_sub(start.elapsed());
    if remaining < Duration::from_millis(10) {
        return ex.reject(Rejection::Busy, text::busy(inner.max_probes));
    }
    let cfg = match ready.module.builder.clone().deadline(remaining).build(&raw) {
        Ok(c) => c,
        Err(e) => return ex.reject(Rejection::BadTarget, text::bad_config(&e.0)),
    };
    inner.metrics.in_flight.inc();
    let flight = InFlight(&inner.metrics.in_flight);
    // The run ends by its own deadline; the timer is a second guard.
    let report = ready
        .engine
        .diagnose(&cfg, None, tokio::time::sleep(remaining))
        .await;
    drop(flight);
    drop(permit);
    let ok = metrics::success(&report);
    let result = if ok { "success" } else { "failure" };
    inner
        .metrics
        .probes
        .get_or_create(&vec![("result", result)])
        .inc();
    inner
        .metrics
        .duration
        .observe(start.elapsed().as_secs_f64());
    metrics_response(metrics::encode_probe(&report))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scrape_timeout_shortens_the_deadline() {
        let m = Duration::from_secs(30);
        assert_eq!(probe_deadline(m, None), m);
        assert_eq!(probe_deadline(m, Some("10")), Duration::from_millis(9500));
        assert_eq!(probe_deadline(m, Some("2.5")), Duration::from_secs(2));
        assert_eq!(probe_deadline(m, Some("0.4")), Duration::from_millis(200));
        assert_eq!(probe_deadline(m, Some("120")), m);
        assert_eq!(probe_deadline(m, Some("junk")), m);
        assert_eq!(probe_deadline(m, Some("-3")), m);
    }
}
