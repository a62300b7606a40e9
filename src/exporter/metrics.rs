//! Metrics: one probe's report as Prometheus text (blackbox_exporter's
//! names plus popscope's own), and the exporter's own metrics.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicI64, AtomicU64};
use std::time::Duration;

use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::registry::Registry;

use crate::model::Status;
use crate::report::Report;

use super::text::help;

/// The content type of every metrics page (OpenMetrics text, which
/// Prometheus asks for first and parses).
pub const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

/// At most this many endpoints get per-endpoint series in one probe (DNS
/// may answer with many addresses; label cardinality stays bounded).
pub const MAX_ENDPOINTS: usize = 16;

type Labels = Vec<(&'static str, String)>;
type FloatGauge = Gauge<f64, AtomicU64>;

/// The value of `popscope_check_status`: -1 skip, 0 pass or info, 1 warn, 2 fail.
pub fn status_value(s: Status) -> i64 {
    match s {
        Status::Skip => -1,
        Status::Info | Status::Pass => 0,
        Status::Warn => 1,
        Status::Fail => 2,
    }
}

/// The `probe_success` rule: the verdict is pass or warn, and at least one
/// POP3 endpoint sent a greeting.
pub fn success(report: &Report) -> bool {
    report.verdict != Status::Fail && report.endpoints.iter().any(|e| e.greeting.is_some())
}

/// `TLSv1.3` (rustls) -> `TLS 1.3` (blackbox_exporter); other values are
/// not labels (bounded cardinality).
fn tls_version_label(v: &str) -> Option<&'static str> {
    match v {
        "TLSv1.3" => Some("TLS 1.3"),
        "TLSv1.2" => Some("TLS 1.2"),
        "TLSv1.1" => Some("TLS 1.1"),
        "TLSv1.0" => Some("TLS 1.0"),
        _ => None,
    }
}

/// A label value limited to characters an endpoint or id uses (the values
/// come from popscope's own identifiers and addresses; this is a second
/// guard, not the sanitiser).
fn label(v: &str) -> String {
    v.chars()
        .filter(|c| c.is_ascii_alphanumeric() || ".:[]-_%/ ".contains(*c))
        .take(64)
        .collect()
}

/// The endpoint label of an endpoint: `address:port`, IPv6 in brackets.
fn endpoint_label(address: &str, port: u16) -> String {
    if address.contains(':') {
        label(&format!("[{address}]:{port}"))
    } else {
        label(&format!("{address}:{port}"))
    }
}

/// One probe's metrics, as OpenMetrics text.
pub fn encode_probe(report: &Report) -> String {
    let mut reg = Registry::default();
    let ok = success(report);
    let g = Gauge::<i64, AtomicI64>::default();
    g.set(i64::from(ok));
    reg.register("probe_success", help::SUCCESS, g);
    let d = FloatGauge::default();
    d.set(Duration::from_millis(report.duration_ms).as_secs_f64());
    reg.register("probe_duration_seconds", help::DURATION, d);

    let expiry = report
        .endpoints
        .iter()
        .filter_map(|e| e.tls.as_ref())
        .flat_map(|t| t.certificates.iter())
        .filter_map(|c| {
            time::OffsetDateTime::parse(
                &c.not_after,
                &time::format_description::well_known::Rfc3339,
            )
            .ok()
        })
        .map(|t| t.unix_timestamp())
        .min();
    if let Some(t) = expiry {
        let g = Gauge::<i64, AtomicI64>::default();
        g.set(t);
        reg.register("probe_ssl_earliest_cert_expiry", help::CERT_EXPIRY, g);
    }

    let versions: BTreeSet<&'static str> = report
        .endpoints
        .iter()
        .filter_map(|e| e.tls.as_ref()?.version.as_deref())
        .filter_map(tls_version_label)
        .collect();
    if !versions.is_empty() {
        let fam = Family::<Labels, Gauge>::default();
        for v in versions {
            fam.get_or_create(&vec![("version", v.to_string())]).set(1);
        }
        reg.register("probe_tls_version_info", help::TLS_VERSION, fam);
    }

    let verdict = Gauge::<i64, AtomicI64>::default();
    verdict.set(i64::from(report.verdict.severity()));
    reg.register("popscope_verdict", help::VERDICT, verdict);

    // Endpoints in report order, at most MAX_ENDPOINTS of them.
    let endpoints: Vec<String> = report
        .endpoints
        .iter()
        .map(|e| endpoint_label(&e.address, e.port))
        .collect();
    let kept: BTreeSet<&String> = endpoints.iter().take(MAX_ENDPOINTS).collect();
    let dropped = endpoints.len().saturating_sub(MAX_ENDPOINTS);

    // Two checks with one id and endpoint: the worse one counts.
    let mut worst: BTreeMap<(String, String), i64> = BTreeMap::new();
    for c in &report.checks {
        let ep = c.endpoint.as_deref().map(label).unwrap_or_default();
        if !ep.is_empty() && !kept.contains(&ep) {
            continue;
        }
        let v = status_value(c.status);
        worst
            .entry((label(&c.id.to_string()), ep))
            .and_modify(|w| *w = (*w).max(v))
            .or_insert(v);
    }
    let checks = Family::<Labels, Gauge>::default();
    for ((check, endpoint), v) in worst {
        checks
            .get_or_create(&vec![("check", check), ("endpoint", endpoint)])
            .set(v);
    }
    reg.register("popscope_check_status", help::CHECK_STATUS, checks);

    let causes = Family::<Labels, Gauge>::default();
    for c in &report.diagnosis.causes {
        causes
            .get_or_create(&vec![("id", label(&c.id.to_string()))])
            .set(1);
    }
    reg.register("popscope_cause", help::CAUSE, causes);

    let trips = Family::<Labels, Gauge>::default();
    for (e, ep) in report.endpoints.iter().zip(&endpoints).take(MAX_ENDPOINTS) {
        trips
            .get_or_create(&vec![("endpoint", ep.clone())])
            .set(i64::from(e.round_trips));
    }
    reg.register("popscope_round_trips", help::ROUND_TRIPS, trips);

    let dropped_g = Gauge::<i64, AtomicI64>::default();
    dropped_g.set(dropped as i64);
    reg.register("popscope_endpoints_dropped", help::DROPPED, dropped_g);

    let mut out = String::new();
    // Writing to a String cannot fail.
    let _ = encode(&mut out, &reg);
    out
}
