//! Every sentence the exporter says (HTTP bodies, metric help, config
//! errors), in one place. The human texts are the messages
//! `monitoring-exporter-*` of monitoring.ftl, in the run's language; the
//! metric help ([`help`]) is machine output for Prometheus and stays English.

use std::path::Path;

use crate::i18n::t;
use crate::transcript::sanitize_str;

/// `/probe` without `target=`.
pub fn no_target() -> String {
    format!("{}\n", t!("monitoring-exporter-no-target"))
}

/// The request line is longer than the exporter accepts.
pub fn too_long(max: usize) -> String {
    format!("{}\n", t!("monitoring-exporter-too-long", max = max))
}

/// The query string could not be read.
pub fn bad_query(why: &str) -> String {
    format!("{}\n", t!("monitoring-exporter-bad-query", why = why))
}

/// The target could not be parsed.
pub fn bad_target(why: &str) -> String {
    format!("{}\n", t!("monitoring-exporter-bad-target", why = why))
}

/// The target parsed, but its run configuration did not build.
pub fn bad_config(why: &str) -> String {
    format!("{}\n", t!("monitoring-exporter-bad-config", why = why))
}

/// An unknown module.
pub fn unknown_module(name: &str, known: &[&str]) -> String {
    let msg = t!(
        "monitoring-exporter-unknown-module",
        name = sanitize_str(name),
        known = known.join(", ")
    );
    format!("{msg}\n")
}

/// A target outside the allow-list.
pub fn forbidden(target: &str) -> String {
    let msg = t!(
        "monitoring-exporter-forbidden",
        target = sanitize_str(target)
    );
    format!("{msg}\n")
}

/// Every probe slot stayed busy until the deadline.
pub fn busy(max: usize) -> String {
    format!("{}\n", t!("monitoring-exporter-busy", max = max))
}

/// An unknown path.
pub fn not_found() -> String {
    format!("{}\n", t!("monitoring-exporter-not-found"))
}

/// The front page (HTML; the messages hold no markup characters).
pub fn index_html() -> String {
    let title = t!("monitoring-exporter-index-title");
    format!(
        "<!DOCTYPE html>\n<html><head><title>{title}</title></head><body>\n<h1>{title}</h1>\n<p>{}</p>\n<ul>\n<li><a href=\"/metrics\">/metrics</a>: {}</li>\n<li><a href=\"/probe?target=localhost\">/probe?target=HOST&amp;module=NAME</a>: {}</li>\n</ul>\n</body></html>\n",
        t!("monitoring-exporter-index-intro"),
        t!("monitoring-exporter-index-metrics"),
        t!("monitoring-exporter-index-probe"),
    )
}

/// The config file cannot be read.
pub fn config_unreadable(path: &Path, why: &std::io::Error) -> String {
    t!(
        "monitoring-exporter-config-unreadable",
        path = path.display().to_string(),
        why = why.to_string()
    )
}

/// The config file is larger than the exporter reads.
pub fn config_too_large(path: &Path, max: u64) -> String {
    t!(
        "monitoring-exporter-config-too-large",
        path = path.display().to_string(),
        max = max
    )
}

/// The config file is not valid (TOML syntax, unknown key, wrong type).
pub fn config_invalid(path: &Path, why: &str) -> String {
    t!(
        "monitoring-exporter-config-invalid",
        path = path.display().to_string(),
        why = why.trim()
    )
}

/// A module setting is wrong.
pub fn module_invalid(module: &str, why: &str) -> String {
    t!(
        "monitoring-exporter-module-invalid",
        module = module,
        why = why
    )
}

/// A module asks for both IPv4 only and IPv6 only.
pub fn both_families() -> String {
    t!("monitoring-exporter-both-families")
}

/// A module name that is not a plain word.
pub fn bad_module_name(name: &str) -> String {
    t!(
        "monitoring-exporter-bad-module-name",
        name = sanitize_str(name)
    )
}

/// A bad allow-list pattern.
pub fn bad_pattern(pattern: &str) -> String {
    t!(
        "monitoring-exporter-bad-pattern",
        pattern = sanitize_str(pattern)
    )
}

/// `--max-probes 0`.
pub fn zero_probes() -> String {
    t!("monitoring-exporter-zero-probes")
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::testing::english_word;
    use crate::i18n::{Lang, scoped};

    /// Every human text of the exporter, in the current language.
    fn sentences() -> Vec<String> {
        let p = Path::new("/etc/popscope/exportateur.toml");
        vec![
            no_target(),
            too_long(4096),
            bad_query("zzz"),
            bad_target("zzz"),
            bad_config("zzz"),
            unknown_module("x", &["default", "rapide"]),
            forbidden("pop.example.com"),
            busy(16),
            not_found(),
            index_html(),
            config_unreadable(p, &std::io::Error::other("zzz")),
            config_too_large(p, 65536),
            config_invalid(p, " zzz\n"),
            module_invalid("rapide", "zzz"),
            both_families(),
            bad_module_name("a b"),
            bad_pattern("a*b"),
            zero_probes(),
        ]
    }

    #[test]
    fn exporter_sentences_in_both_languages() {
        let en = scoped(Lang::En, sentences);
        let fr = scoped(Lang::Fr, sentences);
        assert_eq!(
            en[0],
            "no target: add ?target=HOST to the URL, e.g. /probe?target=pop.example.com (optionally &module=NAME)\n"
        );
        assert_eq!(
            en[9],
            "<!DOCTYPE html>\n<html><head><title>popscope exporter</title></head><body>\n<h1>popscope exporter</h1>\n<p>A Prometheus exporter for POP3 services (see docs/monitoring.md).</p>\n<ul>\n<li><a href=\"/metrics\">/metrics</a>: the exporter's own metrics</li>\n<li><a href=\"/probe?target=localhost\">/probe?target=HOST&amp;module=NAME</a>: diagnose one POP3 service</li>\n</ul>\n</body></html>\n"
        );
        assert_eq!(
            en[15],
            "module name \"a b\" is not allowed: use letters, digits, '-' and '_' only"
        );
        assert_eq!(
            en[7],
            "too many probes at once: all 16 probe slots stayed busy until this scrape's deadline; raise --max-probes or scrape less often\n"
        );
        assert!(fr[9].contains("<h1>exportateur popscope</h1>"), "{}", fr[9]);
        assert!(fr[9].starts_with("<!DOCTYPE html>\n<html>"), "{}", fr[9]);
        for (e, f) in en.iter().zip(&fr) {
            assert_ne!(e, f, "not translated: {f}");
            assert_eq!(e.ends_with('\n'), f.ends_with('\n'), "{f}");
            assert!(!f.contains("monitoring-exporter-"), "id shown: {f}");
            assert!(!e.contains("monitoring-exporter-"), "id shown: {e}");
            assert_eq!(english_word(f, &[]), None, "English in {f}");
        }
    }
}
