//! The exporter's settings: modules (how to probe) from a small TOML file,
//! and the allow-list of targets.

use std::collections::BTreeMap;
use std::io::Read;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

use crate::config::{ConfigError, Family, RunConfig, RunConfigBuilder, parse_duration};
use crate::target::{Host, Target};

use super::text;

/// The module used when a request names none.
pub const DEFAULT_MODULE: &str = "default";

/// The largest config file read.
const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

/// The config file as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    #[serde(default)]
    allow_targets: Vec<String>,
    #[serde(default)]
    modules: BTreeMap<String, ModuleFile>,
}

/// One `[modules.NAME]` table as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ModuleFile {
    plain_port: Option<u16>,
    tls_port: Option<u16>,
    timeout: Option<String>,
    deadline: Option<String>,
    ca_file: Option<PathBuf>,
    tls_name: Option<String>,
    expiry_warn: Option<u32>,
    ipv4: Option<bool>,
    ipv6: Option<bool>,
}

/// One module: how a probe runs (ports, timeouts, trust, address family).
#[derive(Debug, Clone)]
pub struct Module {
    /// Its name (`default` unless the file says otherwise).
    pub name: String,
    /// The run configuration every probe of this module starts from.
    pub builder: RunConfigBuilder,
    /// The module's own deadline (a scrape timeout can only shorten it).
    pub deadline: Duration,
}

/// The modules and allow-list read from the config file.
#[derive(Debug, Clone)]
pub struct ExporterConfig {
    /// Modules by name; always holds [`DEFAULT_MODULE`].
    pub modules: BTreeMap<String, Module>,
    /// Patterns from `allow_targets`.
    pub allow_targets: Vec<String>,
}

impl ExporterConfig {
    /// Only the default module, with popscope's defaults (the same as
    /// `popscope check`), and no allow-list.
    pub fn defaults() -> ExporterConfig {
        let mut modules = BTreeMap::new();
        let builder = RunConfig::builder();
        modules.insert(
            DEFAULT_MODULE.to_string(),
            Module {
                name: DEFAULT_MODULE.to_string(),
                builder,
                deadline: Duration::from_secs(60),
            },
        );
        ExporterConfig {
            modules,
            allow_targets: Vec::new(),
        }
    }

    /// Reads a config file (relative `ca_file` paths are relative to it).
    pub fn load(path: &Path) -> Result<ExporterConfig, ConfigError> {
        let file = std::fs::File::open(path)
            .map_err(|e| ConfigError(text::config_unreadable(path, &e)))?;
        let mut raw = String::new();
        file.take(MAX_CONFIG_BYTES + 1)
            .read_to_string(&mut raw)
            .map_err(|e| ConfigError(text::config_unreadable(path, &e)))?;
        if raw.len() as u64 > MAX_CONFIG_BYTES {
            return Err(ConfigError(text::config_too_large(path, MAX_CONFIG_BYTES)));
        }
        let base = path.parent().unwrap_or(Path::new("."));
        ExporterConfig::parse(&raw, base).map_err(|e| match e {
            ParseError::Toml(why) => ConfigError(text::config_invalid(path, &why)),
            ParseError::Config(e) => e,
        })
    }

    /// Parses config text; `base` is where relative paths start.
    fn parse(raw: &str, base: &Path) -> Result<ExporterConfig, ParseError> {
        let file: FileConfig =
            toml::from_str(raw).map_err(|e| ParseError::Toml(e.message().to_string()))?;
        let mut cfg = ExporterConfig::defaults();
        for pattern in &file.allow_targets {
            Pattern::parse(pattern).map_err(ParseError::Config)?;
        }
        cfg.allow_targets = file.allow_targets;
        for (name, m) in file.modules {
            let module = m.into_module(&name, base).map_err(ParseError::Config)?;
            cfg.modules.insert(name, module);
        }
        Ok(cfg)
    }

    /// The module names, sorted.
    pub fn module_names(&self) -> Vec<&str> {
        self.modules.keys().map(String::as_str).collect()
    }
}

enum ParseError {
    Toml(String),
    Config(ConfigError),
}

impl ModuleFile {
    fn into_module(self, name: &str, base: &Path) -> Result<Module, ConfigError> {
        let words = |e: ConfigError| ConfigError(text::module_invalid(name, &e.0));
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(ConfigError(text::bad_module_name(name)));
        }
        let mut b = RunConfig::builder();
        let mut deadline = Duration::from_secs(60);
        if let Some(p) = self.plain_port {
            b = b.plain_port(p);
        }
        if let Some(p) = self.tls_port {
            b = b.tls_port(p);
        }
        if let Some(t) = &self.timeout {
            b = b.timeout(parse_duration(t).map_err(words)?);
        }
        if let Some(d) = &self.deadline {
            deadline = parse_duration(d).map_err(words)?;
        }
        b = b.deadline(deadline);
        if let Some(ca) = self.ca_file {
            b = b.ca_file(Some(base.join(ca)));
        }
        b = b.tls_name(self.tls_name);
        if let Some(days) = self.expiry_warn {
            b = b.expiry_warn_days(days);
        }
        let family = match (self.ipv4.unwrap_or(false), self.ipv6.unwrap_or(false)) {
            (true, true) => return Err(words(ConfigError(text::both_families()))),
            (true, false) => Family::V4,
            (false, true) => Family::V6,
            (false, false) => Family::Any,
        };
        b = b.family(family);
        // Validate now (ports, CA file, TLS name), not at the first scrape.
        b.clone().build("localhost").map_err(words)?;
        Ok(Module {
            name: name.to_string(),
            builder: b,
            deadline,
        })
    }
}

/// One allow-list pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Pattern {
    /// This host, any port.
    Host(String),
    /// This host with this port named in the target.
    HostPort(String, u16),
    /// Any name under this domain (stored with its leading dot).
    Suffix(String),
}

impl Pattern {
    fn parse(raw: &str) -> Result<Pattern, ConfigError> {
        let bad = || ConfigError(text::bad_pattern(raw));
        let p = raw.trim().to_ascii_lowercase();
        if let Some(domain) = p.strip_prefix("*.") {
            let domain = domain.trim_end_matches('.');
            if domain.is_empty() || domain.contains([':', '*', '/', '@']) {
                return Err(bad());
            }
            return Ok(Pattern::Suffix(format!(".{domain}")));
        }
        if p.is_empty() || p.contains(['*', '/', '@']) {
            return Err(bad());
        }
        if let Ok(ip) = p
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<IpAddr>()
        {
            return Ok(Pattern::Host(ip.to_string()));
        }
        let (host, port) = match p.rsplit_once(':') {
            Some((h, port)) => (h, Some(port.parse::<u16>().map_err(|_| bad())?)),
            None => (p.as_str(), None),
        };
        let host = host.trim_start_matches('[').trim_end_matches(']');
        let host = match host.parse::<IpAddr>() {
            Ok(ip) => ip.to_string(),
            Err(_) if host.contains(':') || host.is_empty() => return Err(bad()),
            Err(_) => host.trim_end_matches('.').to_string(),
        };
        Ok(match port {
            Some(0) => return Err(bad()),
            Some(port) => Pattern::HostPort(host, port),
            None => Pattern::Host(host),
        })
    }

    fn matches(&self, target: &Target) -> bool {
        let host = target.host.to_string();
        match self {
            Pattern::Host(h) => *h == host,
            Pattern::HostPort(h, p) => *h == host && target.port == Some(*p),
            Pattern::Suffix(s) => {
                matches!(target.host, Host::Name(_)) && host.ends_with(s.as_str())
            }
        }
    }
}

/// Which targets the exporter may probe: every target when empty.
#[derive(Debug, Clone, Default)]
pub struct AllowList {
    patterns: Vec<Pattern>,
}

impl AllowList {
    /// Parses the patterns (exact host, host:port, or `*.domain`).
    pub fn new<S: AsRef<str>>(patterns: &[S]) -> Result<AllowList, ConfigError> {
        Ok(AllowList {
            patterns: patterns
                .iter()
                .map(|p| Pattern::parse(p.as_ref()))
                .collect::<Result<_, _>>()?,
        })
    }

    /// Whether there is no list (every target allowed).
    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// Whether `target` may be probed.
    pub fn allows(&self, target: &Target) -> bool {
        self.patterns.is_empty() || self.patterns.iter().any(|p| p.matches(target))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn allowed(patterns: &[&str], target: &str) -> bool {
        AllowList::new(patterns)
            .unwrap()
            .allows(&Target::parse(target).unwrap())
    }

    #[test]
    fn allow_list_patterns() {
        assert!(allowed(&[], "anything.example"));
        assert!(allowed(&["pop.example.com"], "pop.example.com"));
        assert!(allowed(&["pop.example.com"], "pop.example.com:995"));
        assert!(allowed(&["POP.Example.com."], "pop3s://pop.example.com"));
        assert!(!allowed(&["pop.example.com"], "other.example.com"));
        assert!(allowed(&["pop.example.com:995"], "pop.example.com:995"));
        assert!(!allowed(&["pop.example.com:995"], "pop.example.com"));
        assert!(!allowed(&["pop.example.com:995"], "pop.example.com:110"));
        assert!(allowed(&["*.example.com"], "a.b.example.com"));
        assert!(!allowed(&["*.example.com"], "example.com"));
        assert!(!allowed(&["*.example.com"], "badexample.com"));
        assert!(allowed(&["127.0.0.1"], "127.0.0.1:110"));
        assert!(allowed(&["::1"], "[::1]:995"));
        assert!(allowed(&["[::1]:995"], "[::1]:995"));
        assert!(!allowed(&["[::1]:995"], "[::1]:110"));
        for bad in ["", "*.", "a*b", "host:0", "host:x", "user@host", "*.a:1"] {
            assert!(AllowList::new(&[bad]).is_err(), "{bad}");
        }
    }

    #[test]
    fn config_file_modules() {
        let cfg = ExporterConfig::parse(
            "allow_targets = [\"*.example.com\"]\n[modules.fast]\nplain_port = 1110\ntls_port = 1995\ntimeout = \"2s\"\ndeadline = \"5s\"\nexpiry_warn = 30\nipv4 = true\n",
            Path::new("."),
        )
        .ok()
        .unwrap();
        assert_eq!(cfg.module_names(), ["default", "fast"]);
        let fast = &cfg.modules["fast"];
        assert_eq!(fast.deadline, Duration::from_secs(5));
        let run = fast.builder.clone().build("pop.example.com").unwrap();
        assert_eq!((run.plain_port, run.tls_port), (1110, 1995));
        assert_eq!(run.timeout, Duration::from_secs(2));
        assert_eq!(run.expiry_warn_days, 30);
        assert_eq!(run.family, Family::V4);
        assert_eq!(cfg.allow_targets, ["*.example.com"]);
    }

    #[test]
    fn config_file_errors_are_words() {
        let err = |raw: &str| match ExporterConfig::parse(raw, Path::new(".")) {
            Ok(_) => panic!("accepted: {raw}"),
            Err(ParseError::Toml(w)) => w,
            Err(ParseError::Config(e)) => e.0,
        };
        assert!(err("[modules.a]\nportt = 1\n").contains("unknown field `portt`"));
        assert!(err("colour = 1\n").contains("unknown field `colour`"));
        assert!(err("[modules.a]\ntimeout = \"fast\"\n").contains("module \"a\""));
        assert!(err("[modules.a]\nipv4 = true\nipv6 = true\n").contains("at most one"));
        assert!(err("allow_targets = [\"a*b\"]\n").contains("invalid allow-list pattern"));
        assert!(err("[modules.\"a b\"]\n").contains("not allowed"));
        assert!(
            err("[modules.a]\nca_file = \"/nonexistent/ca.pem\"\n")
                .contains("cannot read --ca-file")
        );
    }
}
