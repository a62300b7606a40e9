//! Every sentence the exporter says (HTTP bodies, metric help, config
//! errors), in one place for localisation.

use std::path::Path;

/// `/probe` without `target=`.
pub const NO_TARGET: &str = "no target: add ?target=HOST to the URL, e.g. /probe?target=pop.example.com (optionally &module=NAME)\n";

/// The request line is longer than the exporter accepts.
pub fn too_long(max: usize) -> String {
    format!("the request is too long: the URL may have at most {max} bytes\n")
}

/// The query string could not be read.
pub fn bad_query(why: &str) -> String {
    format!("cannot read the query string ({why}): use /probe?target=HOST&module=NAME\n")
}

/// The target could not be parsed.
pub fn bad_target(why: &str) -> String {
    format!("bad target: {why}\n")
}

/// The target parsed, but its run configuration did not build.
pub fn bad_config(why: &str) -> String {
    format!("cannot probe this target with this module: {why}\n")
}

/// An unknown module.
pub fn unknown_module(name: &str, known: &[&str]) -> String {
    format!(
        "unknown module \"{}\": the modules are {}\n",
        crate::transcript::sanitize_str(name),
        known.join(", ")
    )
}

/// A target outside the allow-list.
pub fn forbidden(target: &str) -> String {
    format!(
        "target \"{}\" is not allowed: this exporter probes only the targets on its allow-list (--allow-target, allow_targets in the config file)\n",
        crate::transcript::sanitize_str(target)
    )
}

/// Every probe slot stayed busy until the deadline.
pub fn busy(max: usize) -> String {
    format!(
        "too many probes at once: all {max} probe slots stayed busy until this scrape's deadline; raise --max-probes or scrape less often\n"
    )
}

/// An unknown path.
pub const NOT_FOUND: &str = "not found: the exporter serves /, /probe?target=HOST and /metrics\n";

/// The front page (HTML).
pub const INDEX_HTML: &str = "<!DOCTYPE html>\n<html><head><title>popscope exporter</title></head><body>\n<h1>popscope exporter</h1>\n<p>A Prometheus exporter for POP3 services (see docs/monitoring.md).</p>\n<ul>\n<li><a href=\"/metrics\">/metrics</a>: the exporter's own metrics</li>\n<li><a href=\"/probe?target=localhost\">/probe?target=HOST&amp;module=NAME</a>: diagnose one POP3 service</li>\n</ul>\n</body></html>\n";

/// The config file cannot be read.
pub fn config_unreadable(path: &Path, why: &std::io::Error) -> String {
    format!(
        "cannot read the exporter config file {}: {why}",
        path.display()
    )
}

/// The config file is larger than the exporter reads.
pub fn config_too_large(path: &Path, max: u64) -> String {
    format!(
        "the exporter config file {} is larger than {max} bytes: it should hold only modules and allow_targets",
        path.display()
    )
}

/// The config file is not valid (TOML syntax, unknown key, wrong type).
pub fn config_invalid(path: &Path, why: &str) -> String {
    format!(
        "the exporter config file {} is not valid: {}; see docs/monitoring.md for the keys",
        path.display(),
        why.trim()
    )
}

/// A module setting is wrong.
pub fn module_invalid(module: &str, why: &str) -> String {
    format!("module \"{module}\" in the exporter config: {why}")
}

/// A module asks for both IPv4 only and IPv6 only.
pub const BOTH_FAMILIES: &str =
    "ipv4 = true and ipv6 = true together probe nothing: set at most one of them";

/// A module name that is not a plain word.
pub fn bad_module_name(name: &str) -> String {
    format!(
        "module name \"{}\" is not allowed: use letters, digits, '-' and '_' only",
        crate::transcript::sanitize_str(name)
    )
}

/// A bad allow-list pattern.
pub fn bad_pattern(pattern: &str) -> String {
    format!(
        "invalid allow-list pattern \"{}\": give a host (pop.example.com), host:port (pop.example.com:995) or *.domain (*.example.com)",
        crate::transcript::sanitize_str(pattern)
    )
}

/// `--max-probes 0`.
pub const ZERO_PROBES: &str = "--max-probes must be at least 1";

/// Help of the per-probe metrics.
pub mod help {
    /// `probe_success`.
    pub const SUCCESS: &str =
        "1 when the verdict is pass or warn and at least one POP3 endpoint greeted, else 0";
    /// `probe_duration_seconds`.
    pub const DURATION: &str = "How long the diagnosis took";
    /// `probe_ssl_earliest_cert_expiry`.
    pub const CERT_EXPIRY: &str = "Unix time of the earliest not-after among the certificates seen";
    /// `probe_tls_version_info`.
    pub const TLS_VERSION: &str = "TLS versions negotiated (1 per version seen)";
    /// `popscope_check_status`.
    pub const CHECK_STATUS: &str = "Each check: -1 skip, 0 pass or info, 1 warn, 2 fail";
    /// `popscope_cause`.
    pub const CAUSE: &str = "1 for each root cause the diagnosis found";
    /// `popscope_round_trips`.
    pub const ROUND_TRIPS: &str = "Network round trips the probe of each endpoint waited for";
    /// `popscope_verdict`.
    pub const VERDICT: &str = "The verdict: 0 pass, 1 warn, 2 fail";
    /// `popscope_endpoints_dropped`.
    pub const DROPPED: &str =
        "Endpoints left out of the per-endpoint metrics (more than the exporter labels)";
    /// `popscope_exporter_probes`.
    pub const PROBES: &str = "Probes run, by result (success or failure)";
    /// `popscope_exporter_probe_duration_seconds`.
    pub const PROBE_DURATION: &str = "Duration of the probes run";
    /// `popscope_exporter_probes_in_flight`.
    pub const IN_FLIGHT: &str = "Probes running now";
    /// `popscope_exporter_rejected_requests`.
    pub const REJECTED: &str = "Requests refused, by reason";
}
